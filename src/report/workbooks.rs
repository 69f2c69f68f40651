//! The run's workbooks (SPEC §5, issue 15): `report.xlsx` for the province
//! and `by_county/<区划代码>-<区县名称>.xlsx` for each county, written at
//! once — the county workbooks on every core — each deterministic. The county
//! workbooks' lists print as a clerk hands them over (issue 16): a title
//! naming county, list and month, and the page setup of [`PrintForm`].

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use chrono::{Datelike, NaiveDate};

use super::by_county::{self, CountyBook, Names};
use super::csv_out::{HeaderLang, ReportTable};
use super::xlsx_out::{Draft, PrintForm, SheetSpec};
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

    /// A county's sheet of `table`: its rows of the list, printed with
    /// a title naming county, list and month.
    fn county_sheet<'t>(
        &self,
        book: &CountyBook,
        table: &'t ReportTable,
        rows: &'t [usize],
    ) -> SheetSpec<'t> {
        let name = self.sheet(table.file);
        let print = Some(self.print_form(book.display_name(), &name));
        SheetSpec {
            name,
            table,
            rows: Some(rows),
            print,
        }
    }

    /// Writes the sheets of `book`'s lists that `pick` chooses into `draft`,
    /// each at its list's place (the order of [`by_county::PER_PERSON`]).
    fn add_county_sheets(
        &self,
        draft: &mut Draft,
        book: &CountyBook,
        tables: &[ReportTable],
        pick: &dyn Fn(&str) -> bool,
    ) -> Result<()> {
        let sheets: Vec<(usize, SheetSpec<'_>)> = book
            .rows
            .iter()
            .filter(|(t, _)| pick(tables[*t].file))
            .map(|(t, rows)| {
                let table = &tables[*t];
                (
                    by_county::place(table.file),
                    self.county_sheet(book, table, rows),
                )
            })
            .collect();
        let placed: Vec<(usize, &SheetSpec<'_>)> = sheets.iter().map(|(p, s)| (*p, s)).collect();
        draft.add(&placed, &|k| self.header(k))
    }

    /// A county's workbook begun: the sheets of the lists in `early` (those
    /// that do not need the ledger), with `tables` holding them.
    fn draft_county(
        &self,
        dir: &Path,
        book: &CountyBook,
        tables: &[ReportTable],
        early: &[&str],
    ) -> Result<Draft> {
        let mut draft = Draft::new(&dir.join(by_county::DIR), &book.file)?;
        self.add_county_sheets(&mut draft, book, tables, &|f| early.contains(&f))?;
        Ok(draft)
    }

    /// A county's workbook: each of its lists a sheet that prints, of the
    /// county's rows of the run's `tables`. Always the same steps, whether
    /// its draft was begun beside the ledger or is begun here: the sheets
    /// of the early lists, then the others, then the file.
    fn write_county(
        &self,
        (dir, path): (&Path, &Path),
        book: &CountyBook,
        tables: &[ReportTable],
        drafts: &Drafts,
    ) -> Result<()> {
        let early = &drafts.early;
        let mut draft = match drafts.take(&book.code) {
            Some(d) => d,
            None => self.draft_county(dir, book, tables, early)?,
        };
        self.add_county_sheets(&mut draft, book, tables, &|f| !early.contains(&f))?;
        draft.save(path, &self.schemas.workbook, &|file| {
            tables.iter().find(|t| t.file == file)
        })
    }
}

/// County workbooks begun while the ledger's transaction ran (issue 15):
/// each holds the sheets of the per-person lists that do not need the
/// ledger (`early`); the rest are begun in [`write_all`] the same way.
#[derive(Default)]
pub struct Drafts {
    /// The per-person lists written before the ledger's (CSV files).
    pub early: Vec<&'static str>,
    /// By county code.
    books: Mutex<HashMap<String, Draft>>,
    /// The workbooks (their files) written whole beside the ledger, which
    /// [`write_all`] leaves out.
    packed: Vec<String>,
}

impl Drafts {
    /// How many county workbooks were begun.
    pub fn len(&self) -> usize {
        self.books.lock().map(|b| b.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn take(&self, code: &str) -> Option<Draft> {
        self.books.lock().ok()?.remove(code)
    }
}

/// Beside the ledger's transaction (issue 15): begins the county workbooks
/// with the sheets of the per-person lists in `unmarked` (the tables built
/// without the ledger), the county with the most rows first, until `stop`
/// is set (the ledger is done: the rest are begun with the others, in
/// [`write_all`], so no core waits). The bytes of a workbook do not depend
/// on where it was begun.
pub fn draft_early(
    dir: &Path,
    policy: &crate::policy::Policy,
    unmarked: &[ReportTable],
    (schemas, lang, heading): (&Schemas, HeaderLang, Heading<'_>),
    stop: &AtomicBool,
) -> Result<Drafts> {
    let labels = Labels {
        schemas,
        lang,
        heading,
    };
    let early: Vec<&'static str> = unmarked
        .iter()
        .map(|t| t.file)
        .filter(|f| by_county::is_per_person(f))
        .collect();
    let mut books = by_county::plan(policy, unmarked);
    books.sort_by_key(|b| std::cmp::Reverse(b.total_rows()));
    crate::owner_only::create_dir_all(&dir.join(by_county::DIR))?;
    let mut drafts = HashMap::new();
    for book in books.iter().take(by_county::MAX_DRAFTS) {
        if stop.load(Ordering::Acquire) {
            break;
        }
        let draft = labels.draft_county(dir, book, unmarked, &early)?;
        drafts.insert(book.code.clone(), draft);
    }
    Ok(Drafts {
        early,
        books: Mutex::new(drafts),
        packed: Vec::new(),
    })
}

/// Beside the ledger, once every table is built and its CSV files are
/// written (issue 15): whole county workbooks, the smallest first, until
/// `stop` (the ledger is done), so this core does not idle while the
/// ledger's SQL finishes; [`write_all`] writes the others after it. The
/// smallest first, so the last one begun ends soon after the ledger; a
/// workbook's bytes do not depend on when or on which thread it is written.
pub fn pack_beside(
    dir: &Path,
    (tables, books): (&[ReportTable], &[CountyBook]),
    drafts: &mut Drafts,
    (schemas, lang, heading): (&Schemas, HeaderLang, Heading<'_>),
    stop: &AtomicBool,
) -> Result<()> {
    let labels = Labels {
        schemas,
        lang,
        heading,
    };
    let mut order: Vec<&CountyBook> = books.iter().collect();
    order.sort_by_key(|b| b.total_rows());
    crate::owner_only::create_dir_all(&dir.join(by_county::DIR))?;
    for book in order {
        if stop.load(Ordering::Acquire) {
            break;
        }
        labels.write_county((dir, &dir.join(&book.file)), book, tables, drafts)?;
        drafts.packed.push(book.file.clone());
    }
    Ok(())
}

/// How long `report.xlsx` and the county workbooks took (wall ms; written
/// at the same time).
#[derive(Debug, Default, Clone, Copy)]
pub struct Took {
    pub report_ms: u128,
    pub counties_ms: u128,
}

/// Writes `report.xlsx` and every county's workbook into `dir`, the
/// county workbooks from their `drafts` where begun.
pub fn write_all(
    dir: &Path,
    (tables, books): (&[ReportTable], &[CountyBook]),
    drafts: &Drafts,
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
        || {
            timed(&|| {
                let rest: Vec<&CountyBook> = books
                    .iter()
                    .filter(|b| !drafts.packed.contains(&b.file))
                    .collect();
                by_county::write_all(dir, &rest, &|p, b| {
                    labels.write_county((dir, p), b, tables, drafts)
                })
            })
        },
    );
    Ok(Took {
        report_ms: province?,
        counties_ms: counties?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Cell;

    fn list(file: &'static str, codes: &[&str]) -> ReportTable {
        let mut t = ReportTable::new(file, &["county_code", "id_number", "refund_amount"]);
        for (i, c) in codes.iter().enumerate() {
            t.push(vec![
                Cell::text(*c),
                Cell::text(format!("{file}-{i}")),
                Cell::Money(crate::domain::Fen(100 * i as i64 + 1)),
            ]);
        }
        t
    }

    /// Issue 15: the county workbooks are the same bytes whether every one
    /// was begun beside the ledger or none was.
    #[test]
    fn a_county_workbook_is_the_same_begun_or_written_beside_the_ledger_or_after() {
        let schemas = Schemas::embedded().unwrap();
        let policy = crate::policy::Policy::from_str(
            include_str!("../../policies/ningxia-2026.toml"),
            "ningxia-2026.toml",
            &schemas.vocab,
        )
        .unwrap();
        let heading = Heading {
            region: "宁夏回族自治区",
            as_of: NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
        };
        let refunds = list("refunds.csv", &["640104", "640105", "999999"]);
        let transfers = list("transfers.csv", &["640105"]);
        let detail = list("subsidy_detail.csv", &["640104", "640104", "", "640105"]);
        let unmarked = vec![transfers.clone(), detail.clone()];
        let tables = vec![refunds, transfers, detail];
        let books = by_county::plan(&policy, &tables);
        let mut written = Vec::new();
        // Begun beside the ledger or not; then written whole beside it
        // (issue 15) or after it.
        for (stop, pack) in [(false, false), (true, false), (false, true), (true, true)] {
            let dir = tempfile::tempdir().unwrap();
            let flag = AtomicBool::new(stop);
            let mut drafts = draft_early(
                dir.path(),
                &policy,
                &unmarked,
                (&schemas, HeaderLang::Zh, heading),
                &flag,
            )
            .unwrap();
            // Every county of the policy and the blank code (999999 is only
            // on the refunds list, known after the ledger).
            let begun = if stop { 0 } else { policy.counties.len() + 1 };
            assert_eq!(drafts.len(), begun, "stop={stop}");
            let ledger_done = AtomicBool::new(!pack);
            pack_beside(
                dir.path(),
                (&tables, &books),
                &mut drafts,
                (&schemas, HeaderLang::Zh, heading),
                &ledger_done,
            )
            .unwrap();
            let packed = if pack { books.len() } else { 0 };
            assert_eq!(drafts.packed.len(), packed, "pack={pack}");
            for b in &books {
                assert_eq!(dir.path().join(&b.file).exists(), pack, "{}", b.file);
            }
            write_all(
                dir.path(),
                (&tables, &books),
                &drafts,
                &schemas,
                HeaderLang::Zh,
                heading,
            )
            .unwrap();
            assert!(drafts.is_empty(), "every draft was saved");
            let bytes: Vec<(String, Vec<u8>)> = books
                .iter()
                .map(|b| {
                    (
                        b.file.clone(),
                        std::fs::read(dir.path().join(&b.file)).unwrap(),
                    )
                })
                .collect();
            written.push(bytes);
        }
        for w in &written[1..] {
            assert_eq!(&written[0], w);
        }
        // The sheets stand in the lists' order, whatever was written first.
        let (_, xinqing) = written[0]
            .iter()
            .find(|(f, _)| f.contains("640104"))
            .unwrap();
        use calamine::Reader;
        let book = calamine::Xlsx::new(std::io::Cursor::new(xinqing.clone())).unwrap();
        let want: Vec<String> = ["refunds", "transfers", "subsidy_detail"]
            .iter()
            .map(|k| schemas.sheets[*k].clone())
            .collect();
        assert_eq!(book.sheet_names(), want);
    }

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
