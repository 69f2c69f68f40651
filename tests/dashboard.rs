//! `report.html` in a real browser: Debian's headless Chromium (`make test-deps`
//! installs it) opens the dashboard of each sample region, takes a screenshot,
//! dumps the DOM, and the test checks
//! - the screenshot is a real PNG of a non-trivial size (kept under
//!   `target/tmp/dashboard-<region>.png` to look at, beside a copy of the page);
//! - every row of `coverage.csv` appears in the dashboard with the same rate,
//!   base, covered, needed and target (the `data-*` hooks and the visible cells),
//!   and the dashboard shows no coverage row the CSV lacks;
//! - every list's row count equals its CSV's, and every link points at a file
//!   of the run;
//! - the page logged nothing to the browser console (no error, no uncaught
//!   exception, no failed load).
//!
//! Console check: Chromium started with `--enable-logging=stderr --v=0` writes
//! every message the page sends to its console (console.error, uncaught
//! exceptions, failed resource loads, invalid SVG attribute values) to stderr as
//! `…:INFO:CONSOLE:<line>] "<message>", source: <url> (<line>)` (older builds:
//! `CONSOLE(<line>)`). The dashboard has no script, so *any* console line is a
//! failure. So that a Chromium that stopped logging this way cannot make the
//! check pass silently, each test first opens a canary page with a deliberate
//! `console.error` and an uncaught ReferenceError and asserts both are seen.
//!
//! Where the page comes from: the test runs the real binary on the sample
//! (`run_sample`), and uses `out/report.html` when the run wrote one; until the
//! pipeline writes it, the test generates it into the same directory through the
//! library (`report::html::dashboard` on the same inputs) and says so on stderr.

use crate::browser_support;
use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use browser_support::{browse, canary, chromium, console_lines, file_url};
use common::{read_csv, run_sample};

/// Every `<tag …>` start tag in `html` carrying attribute `marker`, as attribute maps.
fn tags_with(html: &str, tag: &str, marker: &str) -> Vec<(BTreeMap<String, String>, String)> {
    let open = format!("<{tag} ");
    let close = format!("</{tag}>");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&open) {
        rest = &rest[i..];
        let end = rest.find('>').expect("unterminated tag");
        let head = &rest[open.len()..end];
        let body_end = rest.find(&close).unwrap_or(end);
        let body = rest[end + 1..body_end.max(end + 1)].to_string();
        if head.contains(marker) {
            out.push((attributes(head), body));
        }
        rest = &rest[end..];
    }
    out
}

/// `a="x" b="y"` → {a: x, b: y}, entities decoded (Chromium quotes with `"`).
fn attributes(head: &str) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    let mut s = head.trim();
    while let Some(eq) = s.find("=\"") {
        let name = s[..eq].trim().to_string();
        let after = &s[eq + 2..];
        let q = after.find('"').expect("unterminated attribute");
        m.insert(name, unescape(&after[..q]));
        s = after[q + 1..].trim_start();
    }
    m
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// CSV data rows (BOM and header excluded).
fn csv_rows(path: &Path) -> usize {
    read_csv(path).len()
}

fn check_region(region: &str) {
    chromium();
    let w = run_sample(region, "out");
    let out = w.path("out");
    let html_path = out.join("report.html");
    assert!(html_path.exists(), "{region}: every run writes report.html");
    let html = std::fs::read_to_string(&html_path).unwrap();
    for bad in [
        "<script", "<link", "<img", "<iframe", "url(", "http://", "https://",
    ] {
        assert!(
            !html.contains(bad),
            "report.html must be self-contained, found `{bad}`"
        );
    }
    let work = w.path("browser");
    std::fs::create_dir_all(&work).unwrap();
    canary(&work);

    // (a) Screenshot.
    let shot = work.join(format!("dashboard-{region}.png"));
    let b = browse(
        &work,
        "screenshot",
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,2000".into(),
        ],
        &file_url(&html_path),
    );
    let png = std::fs::read(&shot).unwrap_or_else(|e| {
        panic!(
            "no screenshot at {} ({e}); stderr:\n{}",
            shot.display(),
            b.stderr
        )
    });
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let (width, height) = (
        u32::from_be_bytes(png[16..20].try_into().unwrap()),
        u32::from_be_bytes(png[20..24].try_into().unwrap()),
    );
    assert_eq!((width, height), (1280, 2000), "screenshot size");
    assert!(
        png.len() > 40_000,
        "screenshot is only {} bytes: the page probably rendered blank",
        png.len()
    );
    let keep = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("dashboard-{region}.png"));
    std::fs::copy(&shot, &keep).unwrap();
    std::fs::copy(&html_path, keep.with_extension("html")).unwrap();
    eprintln!(
        "{region}: screenshot {} ({} bytes)",
        keep.display(),
        png.len()
    );
    let console = console_lines(&b.stderr);
    assert!(
        console.is_empty(),
        "console messages while taking the screenshot:\n{}",
        console.join("\n")
    );

    // (b) The DOM as the browser built it.
    let b = browse(&work, "dom", &["--dump-dom".into()], &file_url(&html_path));
    let console = console_lines(&b.stderr);
    // (c) No console message at all.
    assert!(
        console.is_empty(),
        "console messages while loading report.html:\n{}",
        console.join("\n")
    );
    let dom = &b.stdout;
    assert!(
        dom.contains("<html lang=\"zh-CN\">"),
        "no page in the DOM dump"
    );

    let rows = tags_with(dom, "tr", "data-county=");
    let mut shown: BTreeMap<(String, String), (BTreeMap<String, String>, String)> = BTreeMap::new();
    for (a, body) in rows {
        let key = (a["data-group"].clone(), a["data-county"].clone());
        assert!(
            shown.insert(key.clone(), (a, body)).is_none(),
            "{key:?} shown twice"
        );
    }
    let csv = read_csv(&out.join("coverage.csv"));
    assert!(!csv.is_empty(), "coverage.csv is empty");
    for r in &csv {
        let key = (r["人群代码"].clone(), r["区划代码"].clone());
        let (a, body) = shown
            .remove(&key)
            .unwrap_or_else(|| panic!("coverage.csv row {key:?} is not on the dashboard"));
        for (attr, col) in [
            ("data-rate", "参保率(%)"),
            ("data-base", "应参保人数"),
            ("data-covered", "已参保人数"),
            ("data-needed", "距目标还差人数"),
            ("data-target", "目标(%)"),
            ("data-meets", "是否达标"),
        ] {
            assert_eq!(
                a[attr], r[col],
                "{key:?}: dashboard {attr} vs coverage.csv {col}"
            );
        }
        // The visible cells print the same numbers.
        for col in ["应参保人数", "已参保人数", "参保率(%)", "距目标还差人数"] {
            let v = &r[col];
            if !v.is_empty() {
                assert!(
                    body.contains(&format!(">{v}</td>")),
                    "{key:?}: {col} {v} not shown in the row {body}"
                );
            }
        }
        let below = r["是否达标"] == "否";
        assert_eq!(
            a.get("class").is_some_and(|c| c.contains("below")),
            below,
            "{key:?}: highlight"
        );
        if below {
            assert!(body.contains("未达标"), "{key:?}: not marked in text");
        }
    }
    assert!(
        shown.is_empty(),
        "dashboard rows not in coverage.csv: {:?}",
        shown.keys()
    );
    // Some county is below target in both samples: its bar is in the warning colour.
    assert!(dom.contains("class=\"bar below\""), "no highlighted bar");
    assert!(
        csv.iter().any(|r| r["是否达标"] == "否"),
        "the sample should have a county below target"
    );

    // Each list's row count equals its CSV.
    let lists = tags_with(dom, "tr", "data-file=");
    assert!(lists.len() >= 10, "list table has {} rows", lists.len());
    for (a, _) in &lists {
        let file = &a["data-file"];
        assert_eq!(
            a["data-rows"],
            csv_rows(&out.join(file)).to_string(),
            "{file}: row count"
        );
    }
    // Every CSV of the run is linked, and every link is a file of the run.
    let hrefs: Vec<String> = tags_with(dom, "a", "href=")
        .into_iter()
        .map(|(a, _)| a["href"].clone())
        .collect();
    for e in std::fs::read_dir(&out).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().to_string();
        if name.ends_with(".csv") || name == "report.xlsx" {
            assert!(hrefs.contains(&name), "no link to {name}");
        }
    }
    // Issue 15: each county workbook is linked too (the only links into a folder).
    for e in std::fs::read_dir(out.join("by_county")).unwrap() {
        let name = format!("by_county/{}", e.unwrap().file_name().to_string_lossy());
        assert!(hrefs.contains(&name), "no link to {name}");
    }
    for h in &hrefs {
        let inside = !h.contains('/') || (h.starts_with("by_county/") && !h.contains(".."));
        assert!(
            inside && out.join(h).is_file(),
            "link {h} is not a file of the run"
        );
    }
    // Chinese text reached the page intact.
    assert!(dom.contains("参保率"), "Chinese text missing from the DOM");
    // Reject reasons: the dashboard's counts equal rejects.csv's.
    let rejects = read_csv(&out.join("rejects.csv"));
    let mut by_reason: BTreeMap<String, usize> = BTreeMap::new();
    for r in &rejects {
        *by_reason.entry(r["拒收原因"].clone()).or_default() += 1;
    }
    let shown_reasons: BTreeMap<String, usize> = tags_with(dom, "tr", "data-reason=")
        .into_iter()
        .map(|(a, _)| (a["data-reason"].clone(), a["data-count"].parse().unwrap()))
        .collect();
    assert_eq!(shown_reasons, by_reason, "reject reasons");
}

#[test]
fn ningxia_dashboard_renders_and_matches_coverage_csv() {
    check_region("ningxia");
}

#[test]
fn hulunbuir_dashboard_renders_and_matches_coverage_csv() {
    check_region("hulunbuir");
}
