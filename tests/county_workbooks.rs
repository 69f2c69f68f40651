//! Issue 15 (SPEC §5): each county's workbook holds exactly that county's
//! rows of each per-person list; together they hold every row once;
//! `report.xlsx` keeps a per-person list only while it is small; the county
//! workbooks of a `--mask-ids` run are masked. Issue 16: each county list
//! carries its print form (title row above the header, sign-off line under
//! the rows), read past here; how it prints: tests/print_pdf.rs. (Determinism across thread
//! counts, county workbooks included: tests/golden.rs.)

use crate::common;

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx};
use common::{read_csv, Workdir};

/// The per-person lists: CSV file and its sheet name (schemas/reports.toml).
const LISTS: [(&str, &str); 7] = [
    ("refunds.csv", "退费名单"),
    ("rerating.csv", "重新核定名单"),
    ("missing_enrollment.csv", "应参未参名单"),
    ("changes.csv", "变动清单"),
    ("transfers.csv", "转移接续名单"),
    ("late_payment.csv", "补缴及等待期核查"),
    ("subsidy_detail.csv", "资助明细"),
];

/// The columns compared (text in both the CSV and the workbook).
const KEYS: [&str; 4] = ["区划代码", "区县名称", "身份证号", "姓名"];

fn run(w: &Workdir, out: &str, extra: &[&str], small_list_rows: Option<usize>) {
    let mut args = common::sample_args("ningxia", out);
    args.extend(extra.iter().map(|s| s.to_string()));
    let mut cmd = std::process::Command::new(common::BIN);
    cmd.args(&args).current_dir(w.dir.path());
    if let Some(n) = small_list_rows {
        cmd.env("YIBAO_RECON_SMALL_LIST_ROWS", n.to_string());
    }
    let o = cmd.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn county_books(out: &Path) -> Vec<(String, PathBuf)> {
    let mut v: Vec<(String, PathBuf)> = std::fs::read_dir(out.join("by_county"))
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let stem = p.file_stem().unwrap().to_string_lossy().to_string();
            let code = stem.split('-').next().unwrap().to_string();
            (code, p)
        })
        .collect();
    v.sort();
    v
}

fn text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        c => c.to_string(),
    }
}

/// A sheet of `report.xlsx` as (header → cell text) rows: the header on the
/// first row, the rows under it.
fn sheet_rows(path: &Path, sheet: &str) -> Vec<Vec<(String, String)>> {
    let mut book: Xlsx<_> = calamine::open_workbook(path).unwrap();
    let range = book
        .worksheet_range(sheet)
        .unwrap_or_else(|e| panic!("{}: sheet {sheet}: {e}", path.display()));
    let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(text).collect()).collect();
    as_records(&rows)
}

fn as_records(rows: &[Vec<String>]) -> Vec<Vec<(String, String)>> {
    let header = &rows[0];
    rows[1..]
        .iter()
        .map(|r| header.iter().cloned().zip(r.iter().cloned()).collect())
        .collect()
}

/// A county workbook's list (issue 16: a list that prints) as (header → cell
/// text) rows, after checking its printed form: the title row naming region,
/// county, month (the run's as-of, 2026-01-31) and list; the header; the
/// rows; a blank row; the sign-off line 制表人 / 审核人 / 日期.
fn county_sheet_rows(path: &Path, sheet: &str) -> Vec<Vec<(String, String)>> {
    let mut book: Xlsx<_> = calamine::open_workbook(path).unwrap();
    let range = book
        .worksheet_range(sheet)
        .unwrap_or_else(|e| panic!("{}: sheet {sheet}: {e}", path.display()));
    let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(text).collect()).collect();
    let at = format!("{} {sheet}", path.display());
    let county = path
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .split_once('-')
        .map(|(_, name)| name.to_string())
        .unwrap();
    let filled =
        |r: &[String]| -> Vec<String> { r.iter().filter(|c| !c.is_empty()).cloned().collect() };
    assert!(rows.len() >= 4, "{at}: title, header, blank, sign-off");
    assert_eq!(
        filled(&rows[0]),
        [format!("宁夏回族自治区 {county} 2026年1月 {sheet}")],
        "{at}: title row"
    );
    assert_eq!(
        filled(&rows[rows.len() - 1]),
        ["制表人：", "审核人：", "日期："],
        "{at}: sign-off line"
    );
    assert_eq!(filled(&rows[rows.len() - 2]), Vec::<String>::new(), "{at}");
    as_records(&rows[1..rows.len() - 2])
}

fn keys_of(row: &[(String, String)]) -> Vec<String> {
    KEYS.iter()
        .map(|k| {
            row.iter()
                .find(|(h, _)| h == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| panic!("no column {k}"))
        })
        .collect()
}

#[test]
fn each_county_workbook_holds_exactly_its_rows_and_all_of_them_once() {
    let w = Workdir::new();
    w.copy_sample("ningxia");
    run(&w, "out", &[], None);
    let out = w.path("out");
    let books = county_books(&out);
    // Every county of the policy has its workbook.
    assert_eq!(books.len(), 22, "{books:?}");
    let mut nonempty_lists = 0;
    for (csv, sheet) in LISTS {
        let all = read_csv(&out.join(csv));
        if !all.is_empty() {
            nonempty_lists += 1;
        }
        let mut covered = 0;
        for (code, path) in &books {
            let want: Vec<Vec<String>> = all
                .iter()
                .filter(|r| r["区划代码"] == *code)
                .map(|r| KEYS.iter().map(|k| r[*k].clone()).collect())
                .collect();
            let got: Vec<Vec<String>> = county_sheet_rows(path, sheet)
                .iter()
                .map(|r| keys_of(r))
                .collect();
            assert_eq!(got, want, "{} {sheet}", path.display());
            covered += got.len();
        }
        // Each county's rows are its own and in the CSV's order, so the
        // counts adding up means every row is in exactly one workbook.
        assert_eq!(
            covered,
            all.len(),
            "{csv}: rows outside every county workbook"
        );
    }
    assert!(nonempty_lists >= 5, "the sample exercises the lists");
    // The sheets are the per-person lists, in order.
    let book: Xlsx<_> = calamine::open_workbook(&books[0].1).unwrap();
    let names: Vec<&str> = LISTS.iter().map(|(_, s)| *s).collect();
    assert_eq!(book.sheet_names(), names);
}

#[test]
fn report_xlsx_keeps_a_per_person_list_only_while_small() {
    let w = Workdir::new();
    w.copy_sample("ningxia");
    let limit = 3;
    run(&w, "small", &[], None);
    run(&w, "limited", &[], Some(limit));
    let (mut above, mut below) = (0, 0);
    for (csv, sheet) in LISTS {
        let all = read_csv(&w.path("small").join(csv));
        // By default (50,000 rows) the sample's lists are all in report.xlsx.
        let full = sheet_rows(&w.path("small/report.xlsx"), sheet);
        assert_eq!(full.len(), all.len(), "{sheet}");
        let limited = sheet_rows(&w.path("limited/report.xlsx"), sheet);
        if all.len() > limit {
            above += 1;
            assert_eq!(limited.len(), 1, "{sheet}: a note instead of the rows");
            let note = &limited[0][0].1;
            assert!(note.contains("by_county/") && note.contains(csv), "{note}");
        } else {
            below += 1;
            assert_eq!(limited.len(), all.len(), "{sheet}");
        }
        // The CSV stays complete either way.
        assert_eq!(read_csv(&w.path("limited").join(csv)).len(), all.len());
    }
    assert!(
        above > 0 && below > 0,
        "the limit splits the sample's lists"
    );
    // The county × list sheet: per list, the counties' rows add up to the
    // list's 合计 row, which is the CSV's row count.
    let counts = sheet_rows(&w.path("limited/report.xlsx"), "各区县名单汇总");
    for (csv, sheet) in LISTS {
        let n = read_csv(&w.path("limited").join(csv)).len();
        let rows: Vec<_> = counts.iter().filter(|r| r[2].1 == sheet).collect();
        let num = |r: &Vec<(String, String)>| r[3].1.parse::<usize>().unwrap();
        let total: Vec<usize> = rows
            .iter()
            .filter(|r| r[0].1 == "TOTAL")
            .map(|r| num(r))
            .collect();
        assert_eq!(total, [n], "{sheet}");
        let counties: usize = rows
            .iter()
            .filter(|r| r[0].1 != "TOTAL")
            .map(|r| num(r))
            .sum();
        assert_eq!(counties, n, "{sheet}");
    }
}

#[test]
fn county_workbooks_of_a_masked_run_are_masked() {
    let w = Workdir::new();
    w.copy_sample("ningxia");
    run(&w, "out", &["--mask-ids"], None);
    let mut ids = 0;
    for (_, path) in county_books(&w.path("out")) {
        for (_, sheet) in LISTS {
            for row in county_sheet_rows(&path, sheet) {
                for (h, v) in &row {
                    let digits = v.chars().filter(|c| c.is_ascii_digit()).count();
                    if h == "身份证号" {
                        ids += 1;
                        assert!(v.contains("********"), "{}: {v}", path.display());
                    }
                    assert!(
                        digits < 15 || v.contains('*'),
                        "{} {h}: {v} looks like an unmasked ID",
                        path.display()
                    );
                }
            }
        }
    }
    assert!(ids > 10, "the county workbooks hold IDs to mask");
}
