//! Issue 15 (SPEC §5): a workbook per county (区县工作簿) and what
//! `report.xlsx` keeps.
//!
//! A county clerk acts on their own county's people: every county gets
//! `by_county/<区划代码>-<区县名称>.xlsx` with its own rows of each per-person
//! list (the list's `county_code` column decides), in the CSV's order. The
//! workbooks are independent, so they are written in parallel, each one
//! deterministic. `report.xlsx` keeps what the province reads — coverage,
//! subsidy and fiscal ledgers, a county × list sheet of counts and money,
//! rejects and conflicts — and a per-person list only while it has at most
//! [`small_list_rows`] rows; a longer one is replaced by a note pointing to
//! the county workbooks and the CSV (which stays complete).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rayon::prelude::*;

use super::csv_out::{Cell, ReportTable};
use crate::domain::Fen;
use crate::error::Result;
use crate::policy::Policy;

/// The folder of the county workbooks, inside the run's output directory.
pub const DIR: &str = "by_county";

/// Per-person lists (by CSV file) and the money column the county × list
/// sheet sums (`None`: the list carries no amount).
pub const PER_PERSON: &[(&str, Option<&str>)] = &[
    ("refunds.csv", Some("refund_amount")),
    ("rerating.csv", Some("difference")),
    ("missing_enrollment.csv", Some("due_amount")),
    ("changes.csv", Some("item_amount")),
    ("transfers.csv", None),
    ("late_payment.csv", Some("paid_amount")),
    ("subsidy_detail.csv", Some("subsidy_amount")),
];

/// A list's place among a county workbook's sheets: its place in
/// [`PER_PERSON`] (the order of the run's tables).
pub fn place(file: &str) -> usize {
    PER_PERSON
        .iter()
        .position(|(f, _)| *f == file)
        .unwrap_or(PER_PERSON.len())
}

/// At most this many county workbooks are begun beside the ledger (each
/// keeps a temporary file per sheet open until it is saved).
pub const MAX_DRAFTS: usize = 300;

/// A per-person list above this many rows is left out of `report.xlsx`.
pub const SMALL_LIST_ROWS: usize = 50_000;

/// The threshold: [`SMALL_LIST_ROWS`], or `YIBAO_RECON_SMALL_LIST_ROWS`
/// (a test hook, so a small fixture can cross it).
pub fn small_list_rows() -> usize {
    std::env::var("YIBAO_RECON_SMALL_LIST_ROWS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(SMALL_LIST_ROWS)
}

/// Whether `file` is a per-person list (it goes to the county workbooks).
pub fn is_per_person(file: &str) -> bool {
    PER_PERSON.iter().any(|(f, _)| *f == file)
}

/// One county's workbook: its file (relative to the output directory) and,
/// per per-person table (index into the run's tables), that county's rows.
#[derive(Debug)]
pub struct CountyBook {
    pub code: String,
    pub name: String,
    pub file: String,
    pub rows: Vec<(usize, Vec<usize>)>,
}

impl CountyBook {
    /// Rows over all of this county's lists.
    pub fn total_rows(&self) -> usize {
        self.rows.iter().map(|(_, r)| r.len()).sum()
    }

    /// How the county is named on a printed list: its name, else its code,
    /// else `未填区划` (rows without a county code).
    pub fn display_name(&self) -> &str {
        match (self.name.trim(), self.code.trim()) {
            ("", "") => UNCODED,
            ("", code) => code,
            (name, _) => name,
        }
    }
}

/// Every county's workbook, in county-code order: each county of the policy
/// (so a clerk always finds a workbook, empty lists included) and each code
/// a list names besides.
pub fn plan(policy: &Policy, tables: &[ReportTable]) -> Vec<CountyBook> {
    let lists: Vec<usize> = (0..tables.len())
        .filter(|&i| is_per_person(tables[i].file))
        .collect();
    let mut by_code: BTreeMap<String, Vec<Vec<usize>>> = policy
        .counties
        .keys()
        .map(|c| (c.clone(), vec![Vec::new(); lists.len()]))
        .collect();
    for (k, &t) in lists.iter().enumerate() {
        let table = &tables[t];
        let Some(col) = table.columns.iter().position(|c| *c == "county_code") else {
            continue;
        };
        for (r, row) in table.rows.iter().enumerate() {
            let code = match &row[col] {
                Cell::Text(s) => s.as_str(),
                _ => "",
            };
            // Issue 15: a county's name is built only the first time it is
            // met (a `String` per row of every list before).
            match by_code.get_mut(code) {
                Some(rows) => rows[k].push(r),
                None => {
                    let mut rows = vec![Vec::new(); lists.len()];
                    rows[k].push(r);
                    by_code.insert(code.to_string(), rows);
                }
            }
        }
    }
    let mut taken = BTreeSet::new();
    by_code
        .into_iter()
        .map(|(code, rows)| {
            let name = policy.county_name(&code).to_string();
            let file = unique_file(&code, &name, &mut taken);
            CountyBook {
                code,
                name,
                file,
                rows: lists.iter().copied().zip(rows).collect(),
            }
        })
        .collect()
}

/// The workbook (and printed name) of rows without a county code.
const UNCODED: &str = "未填区划";

/// `by_county/<区划代码>-<区县名称>.xlsx`, with characters no file system
/// takes replaced by `_`; a row without a county code goes to `未填区划`.
fn unique_file(code: &str, name: &str, taken: &mut BTreeSet<String>) -> String {
    let clean = |s: &str| -> String {
        s.trim()
            .chars()
            .map(|c| match c {
                '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
                c if c.is_control() => '_',
                c => c,
            })
            .collect::<String>()
            .trim_matches('.')
            .to_string()
    };
    let (code, name) = (clean(code), clean(name));
    let stem = match (code.is_empty(), name.is_empty()) {
        (true, _) => UNCODED.to_string(),
        (false, true) => code,
        (false, false) => format!("{code}-{name}"),
    };
    let mut file = format!("{DIR}/{stem}.xlsx");
    let mut n = 2;
    while !taken.insert(file.to_lowercase()) {
        file = format!("{DIR}/{stem} ({n}).xlsx");
        n += 1;
    }
    file
}

/// Writes one county's workbook (at the path; its rows, by index into the
/// run's tables, are the book's).
pub type WriteBook<'a> = dyn Fn(&Path, &CountyBook) -> Result<()> + Sync + 'a;

/// Writes every county's workbook into `dir` (the run's staging directory),
/// in parallel; `write` writes one county's workbook of the given tables.
///
/// Each workbook is its own task, the largest first (issue 15): the cores
/// share the small ones at the end instead of one core finishing a large
/// county alone. A workbook's bytes do not depend on when it is written.
pub fn write_all(dir: &Path, books: &[&CountyBook], write: &WriteBook<'_>) -> Result<()> {
    crate::owner_only::create_dir_all(&dir.join(DIR))?;
    let mut order: Vec<&CountyBook> = books.to_vec();
    order.sort_by_key(|b| std::cmp::Reverse(b.total_rows()));
    order
        .par_iter()
        .with_max_len(1)
        .map(|b| write(&dir.join(&b.file), b))
        .collect::<Vec<Result<()>>>()
        .into_iter()
        .collect()
}

/// The sheets of `report.xlsx`: every table, a per-person list above
/// `limit` rows replaced by a note; the county × list sheet after the
/// subsidy ledger's (before the fiscal ledger, rejects and conflicts).
pub fn report_tables<'t>(
    tables: &'t [ReportTable],
    books: &[CountyBook],
    limit: usize,
    names: &Names<'_>,
) -> Vec<Cow<'t, ReportTable>> {
    let mut out = Vec::with_capacity(tables.len() + 1);
    for t in tables {
        if is_per_person(t.file) && t.rows.len() > limit {
            out.push(Cow::Owned(too_long_note(t, limit)));
        } else {
            out.push(Cow::Borrowed(t));
        }
        if t.file == "subsidy_ledger.csv" {
            out.push(Cow::Owned(county_counts(tables, books, names)));
        }
    }
    if !tables.iter().any(|t| t.file == "subsidy_ledger.csv") {
        out.push(Cow::Owned(county_counts(tables, books, names)));
    }
    out
}

/// How the county × list sheet names a list (by its CSV file) and a column
/// (by its key), in the run's header language.
pub struct Names<'a> {
    pub list: &'a dyn Fn(&str) -> String,
    pub column: &'a dyn Fn(&str) -> String,
}

const NOTE_COLUMNS: &[&str] = &["note"];

fn too_long_note(t: &ReportTable, limit: usize) -> ReportTable {
    let mut note = ReportTable::new(t.file, NOTE_COLUMNS);
    note.push(vec![Cell::text(format!(
        "本清单共 {} 行，超过 {} 行，不放入本工作簿：各区县的名单见 {DIR}/<区划代码>-<区县名称>.xlsx，完整清单见 {}。\
         This list has {} rows (more than {}): each county's rows are in {DIR}/<code>-<county>.xlsx, the whole list in {}.",
        t.rows.len(),
        limit,
        t.file,
        t.rows.len(),
        limit,
        t.file
    ))]);
    note
}

/// File name of the county × list sheet's table (never written as CSV).
pub const COUNTS_FILE: &str = "county_lists.csv";

const COUNTS_COLUMNS: &[&str] = &[
    "county_code",
    "county_name",
    "county_list",
    "rows",
    "money_column",
    "money_total",
];

/// Per county and per-person list: rows and the sum of the list's amount;
/// then a 合计 row per list.
fn county_counts(tables: &[ReportTable], books: &[CountyBook], names: &Names<'_>) -> ReportTable {
    let mut t = ReportTable::new(COUNTS_FILE, COUNTS_COLUMNS);
    let money_col = |table: &ReportTable| {
        PER_PERSON
            .iter()
            .find(|(f, _)| *f == table.file)
            .and_then(|(_, m)| *m)
            .and_then(|m| Some((m, table.columns.iter().position(|c| *c == m)?)))
    };
    let sum = |table: &ReportTable, rows: &mut dyn Iterator<Item = &Vec<Cell>>| {
        money_col(table).map(|(_, c)| {
            rows.map(|r| match r[c] {
                Cell::Money(f) => f,
                _ => Fen(0),
            })
            .fold(Fen(0), |a, b| a + b)
        })
    };
    let mut push = |code: &str, name: &str, table: &ReportTable, n: usize, money: Option<Fen>| {
        t.push(vec![
            Cell::text(code),
            Cell::text(name),
            Cell::text((names.list)(table.file)),
            Cell::Int(n as i64),
            Cell::text(
                money_col(table)
                    .map(|(m, _)| (names.column)(m))
                    .unwrap_or_default(),
            ),
            money.map(Cell::Money).unwrap_or(Cell::text("")),
        ]);
    };
    for b in books {
        for (ti, rows) in &b.rows {
            let table = &tables[*ti];
            let money = sum(table, &mut rows.iter().map(|&r| &table.rows[r]));
            push(&b.code, &b.name, table, rows.len(), money);
        }
    }
    for table in tables.iter().filter(|t| is_per_person(t.file)) {
        let money = sum(table, &mut table.rows.iter());
        push(
            super::ledgers::TOTAL,
            "合计",
            table,
            table.rows.len(),
            money,
        );
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> Policy {
        let schemas = crate::ingest::schema::Schemas::embedded().unwrap();
        Policy::from_str(
            include_str!("../../policies/ningxia-2026.toml"),
            "ningxia-2026.toml",
            &schemas.vocab,
        )
        .unwrap()
    }

    fn refunds(codes: &[&str]) -> ReportTable {
        let mut t = ReportTable::new(
            "refunds.csv",
            &["county_code", "id_number", "refund_amount"],
        );
        for (i, c) in codes.iter().enumerate() {
            t.push(vec![
                Cell::text(*c),
                Cell::text(format!("id{i}")),
                Cell::Money(Fen(100 * (i as i64 + 1))),
            ]);
        }
        t
    }

    #[test]
    fn every_row_goes_to_its_county_once() {
        let p = policy();
        let tables = vec![
            refunds(&["640104", "640105", "640104", "", "999999"]),
            ReportTable::new("coverage.csv", &["county_code"]),
        ];
        let books = plan(&p, &tables);
        // Every policy county has a workbook, plus the codes only the list names.
        assert_eq!(books.len(), p.counties.len() + 2);
        let mut seen: Vec<usize> = books
            .iter()
            .flat_map(|b| b.rows.iter().flat_map(|(_, r)| r.clone()))
            .collect();
        seen.sort();
        assert_eq!(seen, [0, 1, 2, 3, 4]);
        let b = books.iter().find(|b| b.code == "640104").unwrap();
        assert_eq!(b.rows, [(0, vec![0, 2])]);
        assert_eq!(
            b.file,
            format!("by_county/640104-{}.xlsx", p.county_name("640104"))
        );
        let blank = books.iter().find(|b| b.code.is_empty()).unwrap();
        assert_eq!(blank.file, "by_county/未填区划.xlsx");
        let unknown = books.iter().find(|b| b.code == "999999").unwrap();
        assert_eq!(unknown.file, "by_county/999999.xlsx");
    }

    #[test]
    fn file_names_are_safe_and_unique() {
        let mut taken = BTreeSet::new();
        assert_eq!(
            unique_file("64/01", "a:b", &mut taken),
            "by_county/64_01-a_b.xlsx"
        );
        assert_eq!(
            unique_file("64_01", "a_b", &mut taken),
            "by_county/64_01-a_b (2).xlsx"
        );
        assert_eq!(unique_file("..", "", &mut taken), "by_county/未填区划.xlsx");
    }

    #[test]
    fn long_lists_leave_report_xlsx_and_counts_add_up() {
        let p = policy();
        let tables = vec![refunds(&["640104", "640105", "640104"])];
        let books = plan(&p, &tables);
        let id = |f: &str| f.to_string();
        let name = Names {
            list: &id,
            column: &id,
        };
        let small = report_tables(&tables, &books, 3, &name);
        assert_eq!(small[0].rows, tables[0].rows);
        let big = report_tables(&tables, &books, 2, &name);
        assert_eq!(big[0].columns, NOTE_COLUMNS);
        assert_eq!(big[0].rows.len(), 1);
        let counts = &big[1];
        assert_eq!(counts.file, COUNTS_FILE);
        let row = |code: &str| {
            counts
                .rows
                .iter()
                .find(|r| r[0] == Cell::text(code))
                .cloned()
                .unwrap()
        };
        assert_eq!(row("640104")[3], Cell::Int(2));
        assert_eq!(row("640104")[5], Cell::Money(Fen(400)));
        assert_eq!(row(super::super::ledgers::TOTAL)[3], Cell::Int(3));
        assert_eq!(row(super::super::ledgers::TOTAL)[5], Cell::Money(Fen(600)));
    }
}
