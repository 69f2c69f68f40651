//! The run's workbooks (SPEC §5, issue 15): `report.xlsx` for the province
//! and `by_county/<区划代码>-<区县名称>.xlsx` for each county, written at
//! once — the county workbooks on every core — each deterministic. The county
//! workbooks' lists print as a clerk hands them over (issue 16): a title
//! naming county, list and month, and the page setup of [`PrintForm`].

use std::path::Path;
use std::time::Instant;

use chrono::{Datelike, NaiveDate};

use super::by_county::{self, CountyBook, Names};
use super::csv_out::{HeaderLang, ReportTable};
use super::xlsx_out::{PrintForm, SheetSpec};
use crate::error::Result;
use crate::ingest::schema::Schemas;

/// What a printed list's title names besides its county and list: the
/// policy's region (`宁夏回族自治区`) and the month of the as-of date.
#[derive(Debug, Clone, Copy)]
pub struct Heading<'a> {
    pub region: &'a str,
    pub as_of: NaiveDate,
}

/// Sheet names and header labels in the run's header language.
struct Labels<'a> {
    schemas: &'a Schemas,
    lang: HeaderLang,
    heading: Heading<'a>,
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

    /// How `list` prints in `county`'s workbook (`[print]` of reports.toml).
    fn print_form(&self, county: &str, list: &str) -> PrintForm {
        let texts = &self.schemas.print;
        let title = texts
            .title
            .replace("{region}", self.heading.region)
            .replace("{county}", county)
            .replace("{year}", &self.heading.as_of.year().to_string())
            .replace("{month}", &self.heading.as_of.month().to_string())
            .replace("{list}", list);
        PrintForm {
            title: title.trim().to_string(),
            footer: texts.footer.clone(),
            sign: texts.sign.clone(),
        }
    }

    /// `report.xlsx`: each table a sheet (split at Excel's row limit).
    fn write_report<'t>(
        &self,
        path: &Path,
        tables: impl IntoIterator<Item = &'t ReportTable>,
    ) -> Result<()> {
        let sheets: Vec<SheetSpec<'_>> = tables
            .into_iter()
            .map(|t| SheetSpec {
                name: self.sheet(t.file),
                table: t,
                rows: None,
                print: None,
            })
            .collect();
        super::xlsx_out::write_report_xlsx(
            path,
            &sheets,
            &|k| self.header(k),
            &self.schemas.workbook,
        )
    }

    /// A county's workbook: each of its lists a sheet that prints, of the
    /// county's rows of the run's `tables`.
    fn write_county(&self, path: &Path, book: &CountyBook, tables: &[ReportTable]) -> Result<()> {
        let sheets: Vec<SheetSpec<'_>> = book
            .rows
            .iter()
            .map(|(t, rows)| {
                let table = &tables[*t];
                let name = self.sheet(table.file);
                let print = Some(self.print_form(book.display_name(), &name));
                SheetSpec {
                    name,
                    table,
                    rows: Some(rows),
                    print,
                }
            })
            .collect();
        super::xlsx_out::write_report_xlsx(
            path,
            &sheets,
            &|k| self.header(k),
            &self.schemas.workbook,
        )
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
    heading: Heading<'_>,
) -> Result<Took> {
    let labels = Labels {
        schemas,
        lang,
        heading,
    };
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
        || timed(&|| labels.write_report(&dir.join("report.xlsx"), report.iter().map(|t| &**t))),
        || timed(&|| by_county::write_all(dir, books, &|p, b| labels.write_county(p, b, tables))),
    );
    Ok(Took {
        report_ms: province?,
        counties_ms: counties?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_names_region_county_month_and_list() {
        let schemas = Schemas::embedded().unwrap();
        let labels = Labels {
            schemas: &schemas,
            lang: HeaderLang::Zh,
            heading: Heading {
                region: "宁夏回族自治区",
                as_of: NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
            },
        };
        let form = labels.print_form("兴庆区", "退费名单");
        assert_eq!(form.title, "宁夏回族自治区 兴庆区 2026年1月 退费名单");
        assert_eq!(form.footer, "&C第 &P 页 共 &N 页");
        assert_eq!(form.sign, ["制表人：", "审核人：", "日期："]);
    }
}
