//! The CSV writer every report shares: UTF-8 with BOM (so Excel and WPS open
//! it), Chinese or English headers, `320.00` amounts, `YYYY-MM-DD` dates, and
//! text cells that a spreadsheet would run as a formula neutralised.

use std::io::Write;
use std::path::Path;

use chrono::NaiveDate;

use crate::domain::{fmt_date, Fen};
use crate::error::{Error, Result};
use crate::ingest::schema::Schemas;

/// One cell of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    /// Formatted by the tool (`-320.00`): never neutralised.
    Money(Fen),
    Date(Option<NaiveDate>),
    Int(i64),
    /// A percentage in hundredths of a percent (`9850` is 98.50%): `98.50`
    /// in the CSV, a number formatted as a percentage in the workbooks.
    Percent(u64),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    /// The cell as written to CSV.
    pub fn render(&self) -> String {
        match self {
            Cell::Text(s) => neutralise(s),
            Cell::Money(f) => f.to_string(),
            Cell::Date(d) => d.map(fmt_date).unwrap_or_default(),
            Cell::Int(i) => i.to_string(),
            Cell::Percent(c) => format!("{}.{:02}", c / 100, c % 100),
        }
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
        let file = crate::owner_only::create_file(&path)?;
        let mut buf = std::io::BufWriter::new(file);
        buf.write_all(b"\xEF\xBB\xBF")
            .map_err(|e| Error::io(path.display(), e))?;
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(buf);
        let header: Vec<&str> = self
            .columns
            .iter()
            .map(|k| match lang {
                HeaderLang::Zh => schemas.label(k),
                HeaderLang::En => k,
            })
            .collect();
        let io = |e: csv::Error| Error::io(path.display(), e);
        w.write_record(&header).map_err(io)?;
        for row in &self.rows {
            w.write_record(row.iter().map(Cell::render)).map_err(io)?;
        }
        w.flush().map_err(|e| Error::io(path.display(), e))?;
        Ok(())
    }
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
    }
}
