//! Issue 16 point 5: the dashboard shows the months. The two-month scenario of
//! `sample_data/months/` (README table, cases A–I) runs into one ledger; the
//! January `report.html` must chart both months with the values the scenario
//! gives, and count January's new / carried / resolved / paid items. The first
//! month and a `--no-ledger` run say there is one month only, with no chart.
//!
//! Expected values come from the scenario's table and SPEC §4 R8, not from
//! running the tool:
//! - December: refunds A, B, G×2, H = 5; re-ratings C, I = 2; missing D, E, I = 3.
//!   Coverage (低收入人口和脱贫人口, every civil category at as-of, alive):
//!   A, B, D, E, H, I hold an identity on 2025-12-31 (C's 低保 ended 12-15) → base 6;
//!   covered = those not missing (A, B, H paid) → 3; 3/6 = 50.00%.
//! - January: refunds A (paid), B, G×2 = 4 (H no longer due); re-ratings I = 1;
//!   missing E, F, I = 3. Base: A, B, D, E, H (低保 from 01-05), I, F (from 01-10)
//!   = 7; covered A, B, D (enrolled, due 0), H = 4; 4/7 = 57.14%.
//! - January's lifecycles: refunds new 0, carried 3 (B, G×2), resolved 0, paid 1 (A);
//!   re-ratings carried 1 (I), resolved 1 (C); missing new 1 (F), carried 2 (E, I),
//!   resolved 1 (D).

use crate::common;
use crate::ledger_support;

use std::collections::BTreeMap;

use common::Workdir;
use ledger_support::*;

/// Every `<tag …>` start tag carrying `marker`, as attribute maps.
fn tags(html: &str, tag: &str, marker: &str) -> Vec<BTreeMap<String, String>> {
    let open = format!("<{tag} ");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&open) {
        rest = &rest[i + open.len()..];
        let end = rest.find('>').expect("unterminated tag");
        let head = &rest[..end];
        if head.contains(marker) {
            let mut m = BTreeMap::new();
            let mut s = head.trim().trim_end_matches('/');
            while let Some(eq) = s.find("=\"") {
                let name = s[..eq].trim().to_string();
                let after = &s[eq + 2..];
                let q = after.find('"').expect("unterminated attribute");
                m.insert(name, after[..q].to_string());
                s = after[q + 1..].trim_start();
            }
            out.push(m);
        }
    }
    out
}

/// The points of one series: as-of → attributes.
fn series(html: &str, id: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    tags(html, "circle", &format!("data-series=\"{id}\""))
        .into_iter()
        .map(|a| (a["data-as-of"].clone(), a))
        .collect()
}

fn lifecycle(html: &str) -> BTreeMap<String, [String; 4]> {
    tags(html, "tr", "data-list=")
        .into_iter()
        .map(|a| {
            (
                a["data-list"].clone(),
                ["data-new", "data-carried", "data-resolved", "data-paid"].map(|k| a[k].clone()),
            )
        })
        .collect()
}

fn both_months() -> Workdir {
    let w = months_workdir();
    run_scenario(&w);
    w
}

#[test]
fn the_second_month_charts_both_months_with_the_scenarios_values() {
    let w = both_months();
    let jan = w.read("reports/2026-01/report.html");
    assert!(jan.contains("<section id=\"months\">"), "no month section");
    assert!(
        !jan.contains("data-months=\"one\""),
        "January has two months"
    );
    for (list, dec, janv) in [
        ("refunds", "5", "4"),
        ("rerating", "2", "1"),
        ("missing_enrollment", "3", "3"),
    ] {
        let pts = series(&jan, list);
        assert_eq!(
            pts.keys().collect::<Vec<_>>(),
            ["2025-12-31", "2026-01-31"],
            "{list}: one point per month"
        );
        assert_eq!(pts["2025-12-31"]["data-value"], dec, "{list} in December");
        assert_eq!(pts["2026-01-31"]["data-value"], janv, "{list} in January");
    }
    let cov = series(&jan, "coverage:low_income_and_alleviated");
    let got: Vec<[&str; 3]> = cov
        .values()
        .map(|a| {
            [
                a["data-value"].as_str(),
                a["data-base"].as_str(),
                a["data-covered"].as_str(),
            ]
        })
        .collect();
    assert_eq!(got, [["50.00", "6", "3"], ["57.14", "7", "4"]]);
    // Both months are below the 99% target: their points are in the warning colour.
    for a in cov.values() {
        assert_eq!(a["fill"], "#e03131", "{a:?}");
    }
    // The newborn group has nobody in either month: said, not drawn.
    assert!(series(&jan, "coverage:newborn").is_empty());
    assert!(jan.contains("data-series=\"coverage:newborn\"><figcaption>"));
    // Each series' line joins its two points.
    let lines = jan.matches("<polyline points=").count();
    assert_eq!(
        lines,
        1 + 6,
        "one line per coverage group with values and per list"
    );
    // The table of values says the same.
    let rows = tags(&jan, "tr", "data-as-of=");
    assert_eq!(rows.len(), 2);
    assert!(jan.contains("<td class=\"n\">50.00%（3/6）</td>"));
    assert!(jan.contains("<td class=\"n\">57.14%（4/7）</td>"));

    let want: BTreeMap<String, [String; 4]> = [
        ("refunds", ["0", "3", "0", "1"]),
        ("rerating", ["0", "1", "1", "0"]),
        ("missing_enrollment", ["1", "2", "1", "0"]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.map(String::from)))
    .collect();
    assert_eq!(lifecycle(&jan), want, "January's lifecycles");
    assert!(jan.contains("与上次对账（2025-12-31）相比"));
}

#[test]
fn the_first_month_says_one_month_so_far_and_draws_no_chart() {
    let w = months_workdir();
    run_month(&w, DEC);
    let dec = w.read("reports/2025-12/report.html");
    assert!(dec.contains("data-months=\"one\""), "no one-month note");
    assert!(dec.contains("对账台账中目前只有一个月（2025-12-31）的记录"));
    assert!(!dec.contains("<svg class=\"mini\""), "a chart of one point");
    let want: BTreeMap<String, [String; 4]> = [
        ("refunds", ["5", "0", "0", "0"]),
        ("rerating", ["2", "0", "0", "0"]),
        ("missing_enrollment", ["3", "0", "0", "0"]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.map(String::from)))
    .collect();
    assert_eq!(lifecycle(&dec), want, "December: everything new");
    assert!(dec.contains("<td class=\"n\">50.00%（3/6）</td>"));
}

#[test]
fn a_trial_run_says_it_reads_no_ledger() {
    let w = months_workdir();
    run_scenario(&w);
    // A trial of February's inputs (January's files) beside a ledger with two months.
    let mut args = month_args(JAN, "trial");
    args.push("--no-ledger".into());
    run_args(&w, &args, 0);
    let page = w.read("trial/report.html");
    assert!(page.contains("data-months=\"trial\""), "no trial note");
    assert!(page.contains("--no-ledger"));
    assert!(
        !page.contains("<svg class=\"mini\""),
        "a trial draws no month chart"
    );
    assert!(
        !page.contains("data-list="),
        "a trial has nothing to compare"
    );
    assert!(page.contains("<td class=\"n\">57.14%（4/7）</td>"));
}

#[test]
fn the_same_months_give_the_same_page_byte_for_byte() {
    let a = both_months();
    let b = both_months();
    assert_eq!(
        a.read("reports/2026-01/report.html"),
        b.read("reports/2026-01/report.html")
    );
    // Re-running January with the same inputs (a replay) gives the same page.
    let mut args = month_args(JAN, "again");
    args.extend(["--ledger".into(), "reports/ledger.sqlite".into()]);
    run_args(&a, &args, 0);
    assert_eq!(
        a.read("reports/2026-01/report.html"),
        a.read("again/report.html")
    );
}
