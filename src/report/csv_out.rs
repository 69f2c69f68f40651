//! The CSV writer every report shares: UTF-8 with BOM (so Excel and WPS open
//! it), Chinese or English headers, `320.00` amounts, `YYYY-MM-DD` dates, and
//! text cells that a spreadsheet would run as a formula neutralised.

use std::io::Write;
use std::path::Path;

use chrono::NaiveDate;

use crate::domain::{fmt_date, Fen, Text};
use crate::error::{Error, Result};
use crate::ingest::schema::Schemas;
use crate::report::digits::{itoa_buf, write_u64};

/// One cell of a report.
///
/// Issue 15: a text is a [`Text`] (inline up to 24 bytes: codes, county and
/// category names, IDs, most names), not a `String`. At 10 M the lists hold
/// tens of millions of text cells; as `String`s each was an allocation when
/// the row was built and a free when the tables were dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(Text),
    /// Formatted by the tool (`-320.00`): never neutralised.
    Money(Fen),
    Date(Option<NaiveDate>),
    Int(i64),
    /// A percentage in hundredths of a percent (`9850` is 98.50%): `98.50`
    /// in the CSV, a number formatted as a percentage in the workbooks.
    Percent(u64),
}

impl Cell {
    pub fn text(s: impl Into<Text>) -> Cell {
        Cell::Text(s.into())
    }

    /// A person's ID as text, formatted straight into the cell (inline:
    /// no `String` built and freed per row).
    pub fn id(p: &crate::domain::PersonId) -> Cell {
        use compact_str::ToCompactString;
        Cell::Text(p.to_compact_string())
    }

    /// The cell as written to CSV.
    pub fn render(&self) -> String {
        let mut buf = String::new();
        self.shown(&mut buf).to_owned()
    }

    /// The cell as written to CSV: the text itself where it is written as
    /// it is, else built in `buf` (issue 15: no allocation per cell).
    pub fn shown<'a>(&'a self, buf: &'a mut String) -> &'a str {
        use std::fmt::Write as _;
        buf.clear();
        // Writing into a String cannot fail.
        let _ = match self {
            Cell::Text(s) if !formula_like(s) => return s,
            Cell::Text(s) => write!(buf, "'{s}"),
            Cell::Money(f) => {
                push_money(buf, *f);
                Ok(())
            }
            Cell::Date(Some(d)) => {
                push_date(buf, *d);
                Ok(())
            }
            Cell::Date(None) => Ok(()),
            Cell::Int(i) => {
                push_int(buf, *i);
                Ok(())
            }
            Cell::Percent(c) => write!(buf, "{}.{:02}", c / 100, c % 100),
        };
        buf
    }
}

/// `fen` as its `Display` writes it (`-320.00`), by hand (issue 15: every
/// money cell of every list went through `core::fmt`).
fn push_money(buf: &mut String, fen: Fen) {
    if fen.0 < 0 {
        buf.push('-');
    }
    let abs = fen.0.unsigned_abs();
    push_digits(buf, abs / 100);
    let cents = (abs % 100) as u8;
    buf.push('.');
    buf.push(char::from(b'0' + cents / 10));
    buf.push(char::from(b'0' + cents % 10));
}

/// `i` as its `Display` writes it, by hand (issue 15).
fn push_int(buf: &mut String, i: i64) {
    if i < 0 {
        buf.push('-');
    }
    push_digits(buf, i.unsigned_abs());
}

/// The decimal digits of `n` (no sign, no leading zeros; `0` for zero).
fn push_digits(buf: &mut String, n: u64) {
    let mut digits = itoa_buf();
    // ASCII digits only.
    buf.push_str(std::str::from_utf8(write_u64(&mut digits, n)).unwrap_or_default());
}

/// `date` as [`fmt_date`] writes it (`YYYY-MM-DD`), by hand for the years
/// of four digits (chrono's formatting walks its format string per date).
pub fn push_date(buf: &mut String, date: NaiveDate) {
    use chrono::Datelike;
    let year = date.year();
    if !(0..=9999).contains(&year) {
        buf.push_str(&fmt_date(date));
        return;
    }
    let digit = |x: u32| char::from(b'0' + (x % 10) as u8);
    let y = year.unsigned_abs();
    for x in [y / 1000, y / 100, y / 10, y] {
        buf.push(digit(x));
    }
    for part in [date.month(), date.day()] {
        buf.push('-');
        buf.push(digit(part / 10));
        buf.push(digit(part));
    }
}

/// A text starting with `=`, `+`, `-`, `@` (or a tab / carriage return) would
/// be run as a formula by Excel; a leading `'` keeps it text.
pub fn neutralise(s: &str) -> String {
    if formula_like(s) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// Whether a spreadsheet would take `s` for a formula (its first character
/// is `=` `+` `-` `@`, a tab or a carriage return): [`neutralise`] quotes it.
pub fn formula_like(s: &str) -> bool {
    matches!(
        s.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// Header language of the reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderLang {
    Zh,
    En,
}

/// A finished report: its file name, column keys and rows.
#[derive(Debug, Clone)]
pub struct ReportTable {
    pub file: &'static str,
    pub columns: &'static [&'static str],
    pub rows: Vec<Vec<Cell>>,
}

impl ReportTable {
    pub fn new(file: &'static str, columns: &'static [&'static str]) -> ReportTable {
        ReportTable {
            file,
            columns,
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len(), "{}", self.file);
        self.rows.push(row);
    }

    /// Writes the table into `dir`.
    pub fn write(&self, dir: &Path, schemas: &Schemas, lang: HeaderLang) -> Result<()> {
        let path = dir.join(self.file);
        let io = |e: std::io::Error| Error::io(path.display(), e);
        let file = crate::owner_only::create_file(&path)?;
        let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
        out.write_all(b"\xEF\xBB\xBF").map_err(io)?;
        let header = self.columns.iter().map(|k| match lang {
            HeaderLang::Zh => schemas.label(k),
            HeaderLang::En => k,
        });
        let mut line = Vec::with_capacity(1024);
        record(&mut line, header);
        out.write_all(&line).map_err(io)?;
        let mut buf = String::new();
        for row in &self.rows {
            if row.len() != self.columns.len() {
                return Err(Error::Internal(format!(
                    "{}: a row of {} cells under {} columns",
                    self.file,
                    row.len(),
                    self.columns.len()
                )));
            }
            line.clear();
            for (i, cell) in row.iter().enumerate() {
                if i > 0 {
                    line.push(b',');
                }
                field(&mut line, cell.shown(&mut buf));
            }
            end_record(&mut line);
            out.write_all(&line).map_err(io)?;
        }
        out.flush().map_err(io)?;
        Ok(())
    }
}

/// One CSV record of `fields` into `line` (cleared first), as the `csv`
/// crate's writer writes it with this module's settings (issue 15: by hand,
/// its per-field state machine was half of a list's CPU).
fn record<'a>(line: &mut Vec<u8>, fields: impl Iterator<Item = &'a str>) {
    line.clear();
    for (i, f) in fields.enumerate() {
        if i > 0 {
            line.push(b',');
        }
        field(line, f);
    }
    end_record(line);
}

/// A field as `csv` writes it with `QuoteStyle::Necessary`, `,`, `"` and
/// CRLF: quoted (inner quotes doubled) when it holds `,`, `"`, CR or LF.
fn field(line: &mut Vec<u8>, f: &str) {
    let bytes = f.as_bytes();
    // Issue 15: no early exit, so the test runs 16–64 bytes at a time
    // (`any` branched per byte; almost no field needs quoting).
    let quoted = bytes
        .iter()
        .fold(false, |q, b| q | matches!(b, b',' | b'"' | b'\r' | b'\n'));
    if !quoted {
        line.extend_from_slice(bytes);
        return;
    }
    line.push(b'"');
    for &b in bytes {
        if b == b'"' {
            line.push(b'"');
        }
        line.push(b);
    }
    line.push(b'"');
}

/// The record's CRLF; a record that wrote no byte (one empty field) is
/// `""` first, as `csv` writes it, so the line is not read as blank.
fn end_record(line: &mut Vec<u8>) {
    if line.is_empty() {
        line.extend_from_slice(b"\"\"");
    }
    line.extend_from_slice(b"\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_but_amounts_stay_numbers() {
        assert_eq!(
            Cell::text("=HYPERLINK(\"x\")").render(),
            "'=HYPERLINK(\"x\")"
        );
        assert_eq!(Cell::text("+1").render(), "'+1");
        assert_eq!(Cell::text("@SUM(A1)").render(), "'@SUM(A1)");
        assert_eq!(Cell::text("-2").render(), "'-2");
        assert_eq!(Cell::Money(Fen(-32000)).render(), "-320.00");
        assert_eq!(Cell::text("张三").render(), "张三");
        assert_eq!(Cell::Percent(9850).render(), "98.50");
        assert_eq!(Cell::Percent(10_000).render(), "100.00");
        assert_eq!(Cell::Percent(7).render(), "0.07");
        assert_eq!(Cell::Int(-12).render(), "-12");
        assert_eq!(Cell::Date(None).render(), "");
    }

    /// Issue 15: money and counts written by hand say what `Display` says.
    #[test]
    fn money_and_counts_are_written_as_display_writes_them() {
        let mut values = vec![
            0,
            1,
            -1,
            5,
            -5,
            9,
            10,
            -10,
            99,
            100,
            -100,
            101,
            -32_000,
            1_000_000_000_000_007,
            i64::MAX,
            i64::MIN,
            i64::MAX - 1,
            i64::MIN + 1,
        ];
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for shift in 0..64 {
            x = x.rotate_left(7).wrapping_mul(0x2545_F491_4F6C_DD1D);
            values.push((x >> shift) as i64);
            values.push(-((x >> (shift + 1).min(63)) as i64));
        }
        let mut buf = String::new();
        for v in values {
            assert_eq!(
                Cell::Money(Fen(v)).shown(&mut buf),
                Fen(v).to_string(),
                "{v}"
            );
            assert_eq!(Cell::Int(v).shown(&mut buf), v.to_string(), "{v}");
        }
    }

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        let days = [
            (2026, 1, 31),
            (2025, 12, 1),
            (1900, 2, 28),
            (1, 1, 1),
            (999, 10, 9),
            (9999, 12, 31),
            (0, 1, 1),
            (-5, 3, 4),
            (10_000, 1, 1),
        ];
        for (y, m, d) in days {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(Cell::Date(Some(date)).render(), fmt_date(date), "{date:?}");
        }
    }

    /// Issue 15: records written by hand are the `csv` crate's bytes, for
    /// fields with and without commas, quotes, CR, LF, spaces, CJK, empty
    /// fields and rows of one field.
    #[test]
    fn records_are_the_bytes_the_csv_crate_writes() {
        let alphabet = [
            "", "a", ",", "\"", "\r", "\n", " ", "张", "\r\n", "x,y", "'=1", "\t",
        ];
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = |n: usize| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n as u64) as usize
        };
        for _ in 0..4000 {
            let width = 1 + next(4);
            let fields: Vec<String> = (0..width)
                .map(|_| {
                    (0..next(4))
                        .map(|_| alphabet[next(alphabet.len())])
                        .collect()
                })
                .collect();
            let mut want = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(Vec::new());
            want.write_record(&fields).unwrap();
            let want = want.into_inner().unwrap();
            let mut got = Vec::new();
            record(&mut got, fields.iter().map(String::as_str));
            assert_eq!(got, want, "{fields:?}");
        }
    }

    #[test]
    fn rows_are_the_bytes_of_whole_records() {
        let dir = tempfile::tempdir().unwrap();
        let mut t = ReportTable::new("x.csv", &["a", "b", "c"]);
        t.push(vec![Cell::text("=1"), Cell::text(""), Cell::Money(Fen(-5))]);
        t.push(vec![Cell::text("a,\"b\""), Cell::Date(None), Cell::Int(7)]);
        let schemas = Schemas::embedded().unwrap();
        t.write(dir.path(), &schemas, HeaderLang::En).unwrap();
        let got = std::fs::read(dir.path().join("x.csv")).unwrap();
        assert_eq!(
            got,
            "\u{feff}a,b,c\r\n'=1,,-0.05\r\n\"a,\"\"b\"\"\",,7\r\n".as_bytes()
        );
    }
}
