//! Reading the first worksheet of an `.xlsx` workbook as rows of strings, so
//! the rest of ingest treats a workbook exactly like a CSV export.
//!
//! Row positions are kept: sheet row `n` is line `n`, blank rows included, so
//! reject line numbers point at the row a clerk sees in Excel (the header is
//! found wherever it is, see [`super::table`]). Columns are kept in place too
//! (column A is index 0). Cells are read one by one and kept sparse (a cell
//! at `XFD1048576` costs one cell, not the rectangle above it).
//!
//! Bounded memory (issue 10): before anything is decompressed, each part's
//! declared size is checked against the file's size ([`MAX_EXPANSION`]); the
//! sheet's declared dimension and the cells actually read are checked against
//! a cell budget proportionate to the file ([`cell_budget`]). A workbook over
//! a limit is refused with the file, the sheet and the limit named.
//!
//! Cell → string: text as is; a date or datetime → `YYYY-MM-DD` (time
//! dropped); an integer-valued number → its digits (`45966`, `400`), except
//! one of 16 or more digits, which Excel cannot hold (15 significant digits):
//! it is written as Excel shows it (`6.40104195909232E+17`), so an ID typed as
//! a number is rejected as ID_DIGITS_LOST whatever its check digit says;
//! other numbers → the shortest decimal that reads back the same (`400.5`);
//! booleans → `true` / `false`; empty and error cells → `""`.

use std::io::Cursor;
use std::path::Path;

use calamine::{DataRef, Reader, SheetType, SheetVisible, Xlsx};

use crate::error::{Error, Result};

/// A sheet row: its index from 0 and its non-empty cells (column from 0, text).
pub type SparseRow = (u32, Vec<(u32, String)>);

/// One worksheet, sparse: the non-empty cells of each non-empty row.
#[derive(Debug, Default)]
pub struct Sheet {
    /// (row index from 0, [(column index from 0, text)]) in row order.
    pub rows: Vec<SparseRow>,
    /// Rows in the sheet up to its last non-empty row.
    pub height: u32,
}

impl Sheet {
    /// Row `at` (from 0) as dense fields; an empty vector for a blank row.
    #[cfg(test)]
    fn dense(&self, at: u32) -> Vec<String> {
        let Some((_, cells)) = self.rows.iter().find(|(r, _)| *r == at) else {
            return Vec::new();
        };
        let width = cells.last().map_or(0, |(c, _)| *c as usize + 1);
        let mut out = vec![String::new(); width];
        for (c, t) in cells {
            out[*c as usize] = t.clone();
        }
        out
    }
}

/// A part may expand to at most this many times the workbook's size (a real
/// sheet's XML compresses 5–20×).
pub const MAX_EXPANSION: u64 = 100;
/// Parts up to this size are always allowed.
const MIN_PART_BYTES: u64 = 16 << 20;

/// Cells (and the columns they span, row by row) a workbook of `file_bytes`
/// may hold: 64 per byte of the file, and at least two million. A real
/// roster stores a cell in well under a byte's worth of this.
pub fn cell_budget(file_bytes: u64) -> u64 {
    (file_bytes.saturating_mul(64)).max(2_000_000)
}

/// Reads the first worksheet of the `.xlsx` workbook at `path`.
/// `display` names the file in errors.
///
/// "First worksheet" is the first visible worksheet in tab order (chart
/// sheets and hidden sheets are skipped; if every worksheet is hidden, the
/// first one).
pub fn read_xlsx(path: &Path, display: &str) -> Result<Sheet> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(display, e))?;
    read_xlsx_bytes(bytes, display)
}

fn bad(display: &str, message: impl Into<String>) -> Error {
    Error::BadFile {
        file: display.to_string(),
        message: message.into(),
    }
}

fn read_xlsx_bytes(bytes: Vec<u8>, display: &str) -> Result<Sheet> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(bad(
            display,
            "this is an old-format .xls workbook or a password-protected .xlsx; \
             remove the password and save it as .xlsx (Excel 工作簿) or CSV",
        ));
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(bad(
            display,
            "not an .xlsx workbook (no ZIP signature); save it from Excel/WPS as .xlsx or CSV",
        ));
    }
    let file_bytes = bytes.len() as u64;
    check_parts(&bytes, display)?;
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| {
        bad(
            display,
            format!("cannot be read as an .xlsx workbook ({e}); open it in Excel/WPS and save it again as .xlsx or CSV"),
        )
    })?;

    let worksheets: Vec<&calamine::Sheet> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .collect();
    let sheet = worksheets
        .iter()
        .find(|s| s.visible == SheetVisible::Visible)
        .or_else(|| worksheets.first())
        .map(|s| s.name.clone())
        .ok_or_else(|| bad(display, "the workbook has no worksheet"))?;
    let unreadable = |e: calamine::XlsxError| {
        bad(
            display,
            format!("worksheet `{sheet}` cannot be read ({e}); save the sheet as CSV"),
        )
    };
    let mut cells = book.worksheet_cells_reader(&sheet).map_err(unreadable)?;
    let budget = cell_budget(file_bytes);
    let dim = cells.dimensions();
    let declared = (u64::from(dim.end.0.saturating_sub(dim.start.0)) + 1)
        .saturating_mul(u64::from(dim.end.1.saturating_sub(dim.start.1)) + 1);
    if declared > budget {
        return Err(too_big(display, &sheet, &format!(
            "its declared size (dimension) is {declared} cells, more than the {budget} a {file_bytes}-byte workbook may hold"
        )));
    }
    let mut out = Sheet::default();
    let mut spent = 0u64;
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let text = cell_to_string(cell.get_value());
        if text.is_empty() {
            continue;
        }
        let (r, c) = cell.get_position();
        match out.rows.last_mut() {
            Some((last, row)) if *last == r => {
                // A row's cells cost the columns they span.
                let before = row.last().map_or(0, |(c, _)| u64::from(*c) + 1);
                spent += u64::from(c + 1).saturating_sub(before).max(1);
                row.push((c, text));
            }
            _ => {
                spent += u64::from(c) + 1;
                out.rows.push((r, vec![(c, text)]));
            }
        }
        if spent > budget {
            return Err(too_big(display, &sheet, &format!(
                "it holds more than {budget} cells (counting the empty columns before each cell), the most a {file_bytes}-byte workbook may hold"
            )));
        }
    }
    // Cells of a row may come out of order in a hand-made file.
    for (_, row) in &mut out.rows {
        if !row.is_sorted_by_key(|(c, _)| *c) {
            row.sort_by_key(|(c, _)| *c);
            row.dedup_by_key(|(c, _)| *c);
        }
    }
    if !out.rows.is_sorted_by_key(|(r, _)| *r) {
        out.rows.sort_by_key(|(r, _)| *r);
    }
    out.height = out.rows.last().map_or(0, |(r, _)| r + 1);
    if out.rows.is_empty() {
        return Err(bad(
            display,
            format!("worksheet `{sheet}` is empty: expected a header row"),
        ));
    }
    Ok(out)
}

fn too_big(display: &str, sheet: &str, what: &str) -> Error {
    bad(
        display,
        format!("worksheet `{sheet}` was not read: {what}. Delete the empty rows and columns beyond the data (or save the sheet as CSV) and run again"),
    )
}

/// Refuses a workbook whose parts declare more bytes than a real workbook of
/// its size unpacks to (a "zip bomb"), before any part is decompressed.
fn check_parts(bytes: &[u8], display: &str) -> Result<()> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(()); // calamine names the damage
    };
    let limit = (bytes.len() as u64)
        .saturating_mul(MAX_EXPANSION)
        .max(MIN_PART_BYTES);
    let mut total = 0u64;
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index_raw(i) else {
            continue;
        };
        total = total.saturating_add(part.size());
        if part.size() > limit || total > limit.saturating_mul(2) {
            return Err(bad(
                display,
                format!(
                    "part `{}` unpacks to {} bytes, more than {MAX_EXPANSION} times the workbook's {} bytes (limit {limit}); the workbook was not read. Open it in Excel/WPS, delete what lies beyond the data, and save it again (or as CSV)",
                    part.name(),
                    part.size(),
                    bytes.len()
                ),
            ));
        }
    }
    Ok(())
}

/// One cell as the CSV reader would have seen it.
fn cell_to_string(cell: &DataRef<'_>) -> String {
    match cell {
        DataRef::String(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Int(i) if i.unsigned_abs() >= DIGITS_LOST_FROM as u64 => sci(*i as f64),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => float_to_string(*f),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(dt) => {
            let v = dt.as_f64();
            if dt.is_datetime() && v >= 1.0 {
                let (y, m, d, ..) = dt.to_ymd_hms_milli();
                format!("{y:04}-{m:02}-{d:02}")
            } else {
                // A time of day or a duration has no date: keep it readable
                // (`10:30:00`) so a date column rejects it as BAD_DATE.
                time_of_day(v)
            }
        }
        // `2025-11-05T00:00:00` → `2025-11-05`; a bare time stays as is.
        DataRef::DateTimeIso(s) => match s.split_once('T') {
            Some((date, _)) if !date.is_empty() => date.to_string(),
            _ => s.clone(),
        },
        DataRef::Error(_) | DataRef::Empty => String::new(),
    }
}

/// Integers from here on have more than 15 significant digits: Excel keeps
/// only 15, so the digits after them are lost.
const DIGITS_LOST_FROM: f64 = 1e15;

/// A number as Excel displays a long one: `6.40104195909232E+17`.
fn sci(f: f64) -> String {
    format!("{f:E}").replace('E', "E+").replace("E+-", "E-")
}

/// Integer-valued floats without `.0`; others in their shortest round-trip
/// form. Rust's `Display` for `f64` never uses an exponent, which is what a
/// text field needs.
fn float_to_string(f: f64) -> String {
    if f == 0.0 {
        return "0".to_string(); // no `-0`
    }
    if f.is_finite() && f.abs() >= DIGITS_LOST_FROM && f.fract() == 0.0 {
        return sci(f);
    }
    f.to_string()
}

fn time_of_day(v: f64) -> String {
    if !v.is_finite() || v < 0.0 {
        return float_to_string(v);
    }
    let secs = (v * 86_400.0).round() as u64;
    format!(
        "{:02}:{:02}:{:02}",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

    #[test]
    fn reads_text_dates_and_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("civil.xlsx");
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        let date_fmt = Format::new().set_num_format("yyyy-mm-dd");
        let time_fmt = Format::new().set_num_format("hh:mm");
        for (c, h) in [
            "姓名",
            "身份证号",
            "认定日期",
            "序号",
            "金额",
            "在册",
            "备注",
        ]
        .iter()
        .enumerate()
        {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        // Row 2: a full row.
        ws.write_string(1, 0, "张三").unwrap();
        ws.write_string(1, 1, "11010519491231002X").unwrap();
        ws.write_datetime_with_format(
            1,
            2,
            ExcelDateTime::from_ymd(2025, 11, 5)
                .unwrap()
                .and_hms(13, 45, 0)
                .unwrap(),
            &date_fmt,
        )
        .unwrap();
        ws.write_number(1, 3, 45966).unwrap();
        ws.write_number(1, 4, 400.5).unwrap();
        ws.write_boolean(1, 5, true).unwrap();
        ws.write_string(1, 6, "=1+1").unwrap();
        // Row 3 blank; row 4: short row with an ID that is text of digits,
        // a plain 400 and a time-only cell.
        ws.write_string(3, 1, "110105194912310029").unwrap();
        ws.write_datetime_with_format(3, 2, ExcelDateTime::from_hms(10, 30, 0).unwrap(), &time_fmt)
            .unwrap();
        ws.write_number(3, 4, 400.0).unwrap();
        ws.write_number(3, 5, -0.0).unwrap();
        // A second sheet is ignored.
        wb.add_worksheet().write_string(0, 0, "other").unwrap();
        wb.save(&path).unwrap();

        let sheet = read_xlsx(&path, "civil.xlsx").unwrap();
        assert_eq!(sheet.height, 4);
        assert_eq!(
            sheet.dense(0),
            [
                "姓名",
                "身份证号",
                "认定日期",
                "序号",
                "金额",
                "在册",
                "备注"
            ]
        );
        assert_eq!(
            sheet.dense(1),
            [
                "张三",
                "11010519491231002X",
                "2025-11-05",
                "45966",
                "400.5",
                "true",
                "=1+1"
            ]
        );
        assert!(sheet.dense(2).is_empty(), "blank row");
        assert_eq!(
            sheet.dense(3),
            ["", "110105194912310029", "10:30:00", "", "400", "0"]
        );
    }

    #[test]
    fn header_and_lines_keep_their_sheet_positions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.xlsx");
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        // Column A empty, header in B1:C1, a value beyond the header in E3,
        // data in row 3 only.
        ws.write_string(0, 1, "姓名").unwrap();
        ws.write_string(0, 2, "身份证号").unwrap();
        ws.write_string(2, 1, "李四").unwrap();
        ws.write_string(2, 4, "extra").unwrap();
        wb.save(&path).unwrap();
        let sheet = read_xlsx(&path, "a.xlsx").unwrap();
        assert_eq!(sheet.dense(0), ["", "姓名", "身份证号"]);
        assert_eq!(sheet.height, 3);
        assert!(sheet.dense(1).is_empty());
        assert_eq!(sheet.dense(2), ["", "李四", "", "", "extra"]);
    }

    #[test]
    fn skips_hidden_first_sheet() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.xlsx");
        let mut wb = Workbook::new();
        wb.add_worksheet()
            .set_hidden(true)
            .write_string(0, 0, "dictionary")
            .unwrap();
        wb.add_worksheet().write_string(0, 0, "姓名").unwrap();
        wb.worksheet_from_index(1).unwrap().set_active(true);
        wb.save(&path).unwrap();
        let sheet = read_xlsx(&path, "h.xlsx").unwrap();
        assert_eq!(sheet.dense(0), ["姓名"]);
        assert_eq!(sheet.height, 1);
    }

    #[test]
    fn not_a_workbook_is_a_bad_file() {
        let dir = tempfile::tempdir().unwrap();
        for (name, bytes) in [
            ("a.xlsx", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest".to_vec()),
            ("b.xlsx", "姓名,身份证号\n".as_bytes().to_vec()),
            ("c.xlsx", b"PK\x03\x04truncated".to_vec()),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            match read_xlsx(&path, name) {
                Err(Error::BadFile { file, message }) => {
                    assert_eq!(file, name);
                    assert!(message.contains(".xlsx"), "{message}");
                }
                other => panic!("{name}: {other:?}"),
            }
        }
        let empty = dir.path().join("empty.xlsx");
        Workbook::new().save(&empty).unwrap();
        assert!(matches!(
            read_xlsx(&empty, "empty.xlsx"),
            Err(Error::BadFile { message, .. }) if message.contains("empty")
        ));
    }

    #[test]
    fn floats_print_like_text() {
        assert_eq!(float_to_string(45966.0), "45966");
        assert_eq!(float_to_string(400.5), "400.5");
        assert_eq!(float_to_string(0.1 + 0.2), "0.30000000000000004");
        // 16 digits or more: Excel kept only 15 of them.
        assert_eq!(float_to_string(1e20), "1E+20");
        assert_eq!(
            float_to_string(640104195909232000.0),
            "6.40104195909232E+17"
        );
        assert_eq!(float_to_string(640104590923211.0), "640104590923211");
        assert_eq!(float_to_string(-0.0), "0");
    }

    #[test]
    fn hostile_workbooks_are_refused_before_they_are_read() {
        let dir = tempfile::tempdir().unwrap();
        // One cell at the last column of the last row: the declared
        // dimension is 17 billion cells in a file of a few kilobytes.
        let far = dir.path().join("far.xlsx");
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "姓名").unwrap();
        ws.write_string(1_048_575, 16_383, "x").unwrap();
        wb.save(&far).unwrap();
        assert!(std::fs::metadata(&far).unwrap().len() < 10_000);
        match read_xlsx(&far, "far.xlsx") {
            Err(Error::BadFile { file, message }) => {
                assert_eq!(file, "far.xlsx");
                assert!(message.contains("Sheet1"), "{message}");
                assert!(message.contains("cells"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        // A part that unpacks to 256 MiB of whitespace from a file of a few
        // hundred kilobytes.
        let bomb = dir.path().join("bomb.xlsx");
        {
            use std::io::Write;
            let f = std::fs::File::create(&bomb).unwrap();
            let mut z = zip::ZipWriter::new(f);
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .compression_level(Some(1));
            z.start_file("xl/sharedStrings.xml", opts).unwrap();
            let spaces = vec![b' '; 1 << 20];
            for _ in 0..256 {
                z.write_all(&spaces).unwrap();
            }
            z.finish().unwrap();
        }
        match read_xlsx(&bomb, "bomb.xlsx") {
            Err(Error::BadFile { message, .. }) => {
                assert!(message.contains("xl/sharedStrings.xml"), "{message}")
            }
            other => panic!("{other:?}"),
        }
    }
}
