//! Issue 16, lists that print: a county's refund list long enough for three
//! pages or more, converted to PDF by LibreOffice headless (`make test-deps`
//! installs `libreoffice-calc-nogui` and `poppler-utils`), prints as a clerk
//! hands it over:
//! - landscape pages, every column of the list on each page (fit to width);
//! - the title (region, county, month, list) on its first page;
//! - the header row on every page the list's rows flow over;
//! - every refund row exactly once, in the CSV's order;
//! - `第 x 页 共 y 页` at the foot of page x of y;
//! - the sign-off line (制表人 / 审核人 / 日期) under the last row.
//!
//! That LibreOffice opens and prints the workbook also proves it reads in a
//! spreadsheet program that is not ours. Like the dashboard test (Chromium),
//! the test fails loudly, naming `make test-deps`, when a program is missing:
//! CI runs `make test`, which installs them first.

use crate::common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{read_csv, repo, valid_id, Workdir};

const SOFFICE: &str = "/usr/bin/soffice";
const PDFTOTEXT: &str = "/usr/bin/pdftotext";
const PDFINFO: &str = "/usr/bin/pdfinfo";

/// Refund rows of the county: enough for at least three printed pages even
/// at the small scale that fitting 26 columns to an A4 width needs.
const PERSONS: usize = 400;

const ENROLL: &str = "身份证号,姓名,参保年度,险种类型,参保区划代码,参保状态,核定类别,应缴金额,实缴金额,缴费日期,待遇开始日期\n";
const CIVIL: &str = "姓名,身份证号,救助类别,认定日期,行政区划代码\n";

fn program(path: &'static str, what: &str) -> &'static str {
    assert!(
        Path::new(path).is_file(),
        "{path} is missing: the print test needs {what}. \
         Run `make test-deps` (apt-get install libreoffice-calc-nogui poppler-utils), \
         then rerun the tests."
    );
    path
}

/// Runs `cmd` to completion within `secs` seconds; its stdout.
fn run(mut cmd: Command, what: &str, secs: u64) -> String {
    let work = tempfile::tempdir().unwrap();
    let (out, err) = (work.path().join("stdout"), work.path().join("stderr"));
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .unwrap_or_else(|e| panic!("start {what}: {e}"));
    let deadline = Instant::now() + Duration::from_secs(secs);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not finish in {secs} s");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let stderr = std::fs::read_to_string(&err).unwrap_or_default();
    assert!(status.success(), "{what} failed ({status}):\n{stderr}");
    std::fs::read_to_string(&out).unwrap()
}

/// `PERSONS` people of 640104 兴庆区, each on the civil roster as 低保 from
/// 2024-01-01 and each having paid the ordinary 400 for 2026 on 2025-11-01.
/// SPEC §4 R2 (Ningxia: 低保 pays 80, HARDSHIP_DIFF `auto`): each is owed
/// 320.00, payable — one refund row per person, all in 640104.
fn inputs(w: &Workdir) -> Vec<String> {
    let (mut enroll, mut civil) = (ENROLL.to_string(), CIVIL.to_string());
    let mut ids = Vec::new();
    for i in 0..PERSONS {
        let id = valid_id(&format!("64010419{:02}0101{:03}", 50 + i % 40, i));
        enroll.push_str(&format!(
            "{id},居民{i:03},2026,390,640104,参保缴费,普通居民,400,400,2025-11-01,\n"
        ));
        civil.push_str(&format!("居民{i:03},{id},低保,2024-01-01,640104\n"));
        ids.push(id);
    }
    w.write("in/enrollment.csv", enroll);
    w.write("in/civil.csv", civil);
    ids
}

/// The PDF's pages as text (`pdftotext -layout`, pages split at form feeds).
fn pdf_pages(pdf: &Path) -> Vec<String> {
    let mut cmd = Command::new(program(PDFTOTEXT, "poppler-utils"));
    cmd.arg("-layout").arg(pdf).arg("-");
    let text = run(cmd, "pdftotext", 120);
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// `(pages, width, height)` in points, from `pdfinfo`.
fn pdf_info(pdf: &Path) -> (usize, f64, f64) {
    let mut cmd = Command::new(program(PDFINFO, "poppler-utils"));
    cmd.arg(pdf);
    let info = run(cmd, "pdfinfo", 120);
    let field = |name: &str| -> &str {
        info.lines()
            .find_map(|l| l.strip_prefix(name))
            .unwrap_or_else(|| panic!("pdfinfo without {name}:\n{info}"))
            .trim()
    };
    let pages = field("Pages:").parse().unwrap();
    let size: Vec<f64> = field("Page size:")
        .split_whitespace()
        .filter_map(|t| t.parse().ok())
        .collect();
    (pages, size[0], size[1])
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn a_long_county_refund_list_prints_with_its_header_on_every_page() {
    let soffice = program(SOFFICE, "LibreOffice headless");
    let w = Workdir::new();
    let ids = inputs(&w);
    let policy = repo().join("policies/ningxia-2026.toml");
    w.run_expect(
        &[
            "run",
            "--policy",
            policy.to_str().unwrap(),
            "--as-of",
            "2026-01-31",
            "--enrollment",
            "in/enrollment.csv",
            "--civil",
            "in/civil.csv",
            "--out",
            "out",
            "--no-ledger",
            "--quiet",
        ],
        0,
    );
    // The inputs give what SPEC R2 says: one 320.00 refund per person.
    let refunds = read_csv(&w.path("out/refunds.csv"));
    assert_eq!(refunds.len(), PERSONS);
    let mut want_ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    want_ids.sort();
    for (r, id) in refunds.iter().zip(&want_ids) {
        assert_eq!(
            (&*r["区划代码"], &*r["身份证号"], &*r["退费金额"]),
            ("640104", *id, "320.00")
        );
    }
    let header: Vec<String> = {
        let text = w.read("out/refunds.csv");
        let first = text.lines().next().unwrap().trim_start_matches('\u{feff}');
        first.split(',').map(str::to_string).collect()
    };

    // LibreOffice with a profile of its own, so parallel runs never collide.
    let book = w.path("out/by_county/640104-兴庆区.xlsx");
    let pdf_dir = w.path("pdf");
    let mut cmd = Command::new(soffice);
    cmd.arg(format!(
        "-env:UserInstallation=file://{}",
        w.path("lo-profile").display()
    ))
    .args([
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
    ])
    .arg(&pdf_dir)
    .arg(&book)
    .env("HOME", w.path("home"));
    run(cmd, "soffice --convert-to pdf", 300);
    let pdf = pdf_dir.join("640104-兴庆区.pdf");
    assert!(pdf.is_file(), "LibreOffice wrote no {}", pdf.display());

    let (count, width, height) = pdf_info(&pdf);
    assert!(width > height, "landscape pages: {width} x {height} pt");
    let pages = pdf_pages(&pdf);
    assert_eq!(pages.len(), count, "pdftotext and pdfinfo agree");

    // The refund list is the workbook's first sheet: its pages run from
    // page 1 to the first page with a sign-off line (each list ends with one).
    let end = pages
        .iter()
        .position(|p| p.contains("制表人："))
        .expect("a sign-off line");
    assert!(
        end >= 2,
        "{PERSONS} refund rows fill {} page(s); the test wants at least 3",
        end + 1
    );
    let refund_pages: Vec<(usize, Vec<usize>)> = pages[..=end]
        .iter()
        .map(|p| {
            want_ids
                .iter()
                .enumerate()
                .filter(|(_, id)| p.contains(**id))
                .map(|(i, _)| i)
                .collect()
        })
        .enumerate()
        .collect();
    // Every row exactly once, in order, across the pages, and rows on each.
    let flowed: Vec<usize> = refund_pages.iter().flat_map(|(_, r)| r.clone()).collect();
    assert_eq!(flowed, (0..PERSONS).collect::<Vec<_>>());
    for (n, rows) in &refund_pages {
        assert!(!rows.is_empty(), "page {} holds no refund row", n + 1);
    }

    let title = "宁夏回族自治区 兴庆区 2026年1月 退费名单";
    for (n, _) in &refund_pages {
        let page = &pages[*n];
        let lines: Vec<&str> = page.lines().filter(|l| !l.trim().is_empty()).collect();
        // The title on the first page only, above the header.
        let first_row = if *n == 0 {
            assert_eq!(
                squeeze(lines[0]),
                squeeze(title),
                "page 1 starts with the title"
            );
            1
        } else {
            assert!(
                !squeeze(page).contains(&squeeze(title)),
                "page {}: title repeated",
                n + 1
            );
            0
        };
        // The header row, whole (every column fits the width), on top.
        let got: Vec<&str> = lines[first_row].split_whitespace().collect();
        assert_eq!(got, header, "page {}: the header row", n + 1);
        // The footer.
        let foot = format!("第{}页共{}页", n + 1, count);
        assert!(
            squeeze(lines[lines.len() - 1]).contains(&foot),
            "page {}: footer {foot:?}, last line {:?}",
            n + 1,
            lines[lines.len() - 1]
        );
        // The sign-off line under the last row of the last page only.
        let sign = page.find("制表人：");
        if *n == end {
            let sign = sign.unwrap_or_else(|| panic!("no sign-off line:\n{page}"));
            let last_row = page.rfind(want_ids[PERSONS - 1]).unwrap();
            assert!(sign > last_row, "the sign-off line is under the table");
            let line = page[sign..].lines().next().unwrap();
            let parts: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(parts, ["制表人：", "审核人：", "日期："]);
        }
    }
}
