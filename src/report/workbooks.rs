//! The run's workbooks (SPEC §5, issue 15): `report.xlsx` for the province
//! and `by_county/<区划代码>-<区县名称>.xlsx` for each county, written at
//! once — the county workbooks on every core — each deterministic.

use std::path::Path;
use std::time::Instant;

use super::by_county::{self, CountyBook, Names};
use super::csv_out::{HeaderLang, ReportTable};
use crate::error::Result;
use crate::ingest::schema::Schemas;

/// Sheet names and header labels in the run's header language.
struct Labels<'a> {
    schemas: &'a Schemas,
    lang: HeaderLang,
}

impl Labels<'_> {
    /// A table's sheet name (its Chinese name from `schemas/reports.toml`).
    fn sheet(&self, file: &str) -> String {
        let stem = file.trim_end_matches(".csv");
        self.schemas
            .sheets
            .get(stem)
            .cloned()
            .unwrap_or_else(|| stem.to_string())
    }

    fn header(&self, key: &str) -> String {
        match self.lang {
            HeaderLang::Zh => self.schemas.label(key).to_string(),
            HeaderLang::En => key.to_string(),
        }
    }

    /// One workbook at `path`: each table a sheet (split at Excel's row limit).
    fn write<'t>(
        &self,
        path: &Path,
        tables: impl IntoIterator<Item = &'t ReportTable>,
    ) -> Result<()> {
        let sheets: Vec<(String, &ReportTable)> = tables
            .into_iter()
            .map(|t| (self.sheet(t.file), t))
            .collect();
        super::xlsx_out::write_report_xlsx(path, &sheets, &|k| self.header(k))
    }
}

/// How long `report.xlsx` and the county workbooks took (wall ms; written
/// at the same time).
#[derive(Debug, Default, Clone, Copy)]
pub struct Took {
    pub report_ms: u128,
    pub counties_ms: u128,
}

/// Writes `report.xlsx` and every county's workbook into `dir`.
pub fn write_all(
    dir: &Path,
    tables: &[ReportTable],
    books: &[CountyBook],
    schemas: &Schemas,
    lang: HeaderLang,
) -> Result<Took> {
    let labels = Labels { schemas, lang };
    let list = |file: &str| labels.sheet(file);
    let column = |key: &str| labels.header(key);
    let names = Names {
        list: &list,
        column: &column,
    };
    let report = by_county::report_tables(tables, books, by_county::small_list_rows(), &names);
    let timed = |f: &dyn Fn() -> Result<()>| {
        let t = Instant::now();
        f().map(|()| t.elapsed().as_millis())
    };
    let (province, counties) = rayon::join(
        || timed(&|| labels.write(&dir.join("report.xlsx"), report.iter().map(|t| &**t))),
        || timed(&|| by_county::write_all(dir, books, tables, &|p, t| labels.write(p, t))),
    );
    Ok(Took {
        report_ms: province?,
        counties_ms: counties?,
    })
}
