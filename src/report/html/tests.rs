//! Unit tests of the dashboard page.

use super::texts::describe;
use super::*;
use crate::ingest::schema::Schemas;

fn policy() -> Policy {
    let schemas = Schemas::embedded().unwrap();
    Policy::from_str(
        include_str!("../../../policies/ningxia-2026.toml"),
        "policies/ningxia-2026.toml",
        &schemas.vocab,
    )
    .unwrap()
}

fn row(group: usize, county: Option<&str>, base: u64, covered: u64) -> CoverageRow {
    CoverageRow {
        group,
        county: county.and_then(crate::domain::County::parse),
        base,
        covered,
        target_percent: 99,
    }
}

#[test]
fn money_reads_with_thousands_separators_and_every_list_has_a_chinese_name() {
    assert_eq!(yuan(Fen(240_000)), "2,400.00 元");
    assert_eq!(yuan(Fen(-123_456_700)), "-1,234,567.00 元");
    assert_eq!(describe("changes.csv").0, "变动清单");
}

/// The dashboard and the run's ending name every reject reason in
/// Chinese, the three of issue 10 included.
#[test]
fn every_reject_reason_has_a_chinese_name_and_a_next_step() {
    for r in crate::findings::RejectReason::ALL {
        let (zh, todo) = reject_text(r.code());
        assert!(!zh.is_empty() && !todo.is_empty(), "{}", r.code());
    }
}

#[test]
fn escapes_every_special_character() {
    assert_eq!(
        esc(r#"<a href="x">'兴庆&区'</a>"#),
        "&lt;a href=&quot;x&quot;&gt;&#39;兴庆&amp;区&#39;&lt;/a&gt;"
    );
}

#[test]
fn data_texts_are_escaped_in_the_page() {
    let mut p = policy();
    p.region_name = "<script>alert(1)</script>宁夏".into();
    p.counties
        .insert("640104".into(), "兴庆<b>区</b>\"&'".into());
    p.coverage_groups[0].name = "低收入<i>人口</i>".into();
    let outcome = Outcome {
        coverage: vec![row(0, Some("640104"), 2, 1), row(0, None, 2, 1)],
        have_register: true,
        ..Outcome::default()
    };
    let page = dashboard(
        &p,
        NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
        &[],
        &outcome,
        &Ingested::default(),
    );
    assert!(!page.contains("<script"), "{page}");
    assert!(!page.contains("<b>区"), "{page}");
    assert!(!page.contains("<i>人口"), "{page}");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;宁夏"));
    assert!(page.contains("兴庆&lt;b&gt;区&lt;/b&gt;&quot;&amp;&#39;"));
    assert!(page.contains("低收入&lt;i&gt;人口&lt;/i&gt;"));
}

#[test]
fn below_target_county_is_highlighted_in_colour_and_text() {
    let p = policy();
    let outcome = Outcome {
        coverage: vec![
            row(0, Some("640104"), 3, 3),
            row(0, Some("640122"), 2, 1),
            row(0, None, 5, 4),
        ],
        have_register: true,
        ..Outcome::default()
    };
    let page = dashboard(
        &p,
        NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
        &[],
        &outcome,
        &Ingested::default(),
    );
    // 贺兰县 640122: 1 of 2 → 50.00%, 1 needed; flagged in the table row…
    let tr = page
        .lines()
        .find(|l| l.contains("data-county=\"640122\""))
        .expect("row for 640122");
    assert!(tr.starts_with("<tr class=\"below\""), "{tr}");
    assert!(tr.contains("data-rate=\"50.00\""), "{tr}");
    assert!(tr.contains("data-needed=\"1\""), "{tr}");
    assert!(tr.contains("未达标"), "{tr}");
    // …in the chart (the bar's colour and a text mark)…
    assert!(page.contains("class=\"bar below\" x=\""));
    assert!(page.contains(&format!("fill=\"{BAD}\"><title>贺兰县 640122：50.00%")));
    assert!(page.contains("▼ 未达标，还差 1 人"));
    assert!(page.contains("低于目标的区县（1个）：贺兰县 640122"));
    // …and a county at target is not.
    let ok = page
        .lines()
        .find(|l| l.contains("data-county=\"640104\""))
        .unwrap();
    assert!(ok.starts_with("<tr data-group"), "{ok}");
    assert!(ok.contains("data-rate=\"100.00\""));
    assert!(page.contains(&format!("fill=\"{GOOD}\"><title>兴庆区 640104：100.00%")));
}

#[test]
fn the_page_is_self_contained_and_deterministic() {
    let p = policy();
    let outcome = Outcome {
        coverage: vec![row(0, Some("640104"), 3, 2), row(0, None, 3, 2)],
        ..Outcome::default()
    };
    let d = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
    let a = dashboard(&p, d, &[], &outcome, &Ingested::default());
    let b = dashboard(&p, d, &[], &outcome, &Ingested::default());
    assert_eq!(a, b);
    for bad in ["<script", "http://", "https://", "<link", "<img", "@import"] {
        assert!(!a.contains(bad), "{bad}");
    }
    assert!(a.contains("<meta charset=\"utf-8\">"));
    assert!(a.contains("<html lang=\"zh-CN\">"));
    assert!(a.contains("href=\"report.xlsx\""));
    // No register: the groups that need it say so.
    assert!(a.contains("本次未提供一人一档人员库，无法计算该人群。"));
}

mod months {
    use super::*;
    use crate::ledger::months::{GroupPoint, ListTally, MonthPoint, Months};
    use crate::ledger::ListKind;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn point(as_of: NaiveDate, refunds: u64, covered: Option<u64>) -> MonthPoint {
        MonthPoint {
            as_of,
            lists: [Some(refunds), Some(1), Some(2), Some(0), None, Some(3)],
            coverage: covered
                .map(|c| GroupPoint {
                    group: "low_income_and_alleviated".into(),
                    base: 200,
                    covered: c,
                    target_percent: 99,
                })
                .into_iter()
                .collect(),
        }
    }

    fn page(m: &Months) -> String {
        let p = policy();
        let outcome = Outcome::default();
        let warnings = Vec::new();
        render(&Page {
            policy: &p,
            as_of: day(2026, 1, 31),
            tables: &[],
            outcome: &outcome,
            data: &Ingested::default(),
            workbooks: &[],
            warnings: &warnings,
            months: m,
        })
    }

    fn tally(list: ListKind, new: usize) -> ListTally {
        ListTally {
            list,
            new,
            carried: 0,
            resolved: 0,
            paid: 0,
        }
    }

    #[test]
    fn a_trial_run_says_so_and_draws_no_chart() {
        let m = Months {
            trial: true,
            points: vec![point(day(2026, 1, 31), 4, Some(198))],
            previous: None,
            current: vec![tally(ListKind::Refunds, 4)],
        };
        let html = page(&m);
        assert!(html.contains("data-months=\"trial\""));
        assert!(!html.contains("<svg class=\"mini\""));
        assert!(
            !html.contains("data-list="),
            "a trial compares with nothing"
        );
        assert!(html.contains("99.00%（198/200）"));
    }

    #[test]
    fn one_month_says_one_month_so_far_with_its_counts() {
        let m = Months {
            trial: false,
            points: vec![point(day(2025, 12, 31), 5, Some(150))],
            previous: None,
            current: vec![tally(ListKind::Refunds, 5)],
        };
        let html = page(&m);
        assert!(html.contains("对账台账中目前只有一个月（2025-12-31）的记录"));
        assert!(!html.contains("<svg class=\"mini\""));
        assert!(html.contains("data-list=\"refunds\" data-new=\"5\" data-carried=\"0\""));
        assert!(html.contains("75.00%（150/200）"));
    }

    #[test]
    fn a_month_without_coverage_breaks_the_line_and_keeps_the_others() {
        let m = Months {
            trial: false,
            points: vec![
                point(day(2025, 11, 30), 7, Some(190)),
                point(day(2025, 12, 31), 5, None),
                point(day(2026, 1, 31), 4, Some(198)),
            ],
            previous: Some(day(2025, 12, 31)),
            current: vec![tally(ListKind::Refunds, 1)],
        };
        let html = page(&m);
        let cov = "data-series=\"coverage:low_income_and_alleviated\"";
        let pts: Vec<&str> = html
            .lines()
            .filter(|l| l.starts_with("<circle") && l.contains(cov))
            .collect();
        assert_eq!(pts.len(), 2, "{pts:?}");
        assert!(pts[0].contains("data-as-of=\"2025-11-30\" data-value=\"95.00\""));
        assert!(pts[1].contains("data-as-of=\"2026-01-31\" data-value=\"99.00\""));
        // 99.00% meets the 99% target: green; 95.00% does not: red.
        assert!(pts[0].contains(&format!("fill=\"{BAD}\"")));
        assert!(pts[1].contains(&format!("fill=\"{GOOD}\"")));
        // The refunds line joins its three points; the coverage group has no
        // two neighbouring months, so no line; late_payment has no value at all.
        let refunds: Vec<&str> = html
            .lines()
            .filter(|l| l.contains("data-series=\"refunds\" data-as-of"))
            .collect();
        assert_eq!(refunds.len(), 3);
        assert_eq!(
            html.matches("<polyline").count(),
            5,
            "refunds, rerating, missing, transfers, rejects"
        );
        assert!(html.contains("data-series=\"late_payment\"><figcaption>"));
        assert!(html.contains("与上次对账（2025-12-31）相比"));
    }

    #[test]
    fn many_months_thin_their_labels_and_keep_the_last() {
        let points: Vec<MonthPoint> = (0..16u32)
            .map(|i| {
                let (y, m) = if i < 4 { (2025, 9 + i) } else { (2026, i - 3) };
                point(
                    day(y, m, 1),
                    1_000_000 + u64::from(i) * 12_345,
                    Some(150 + u64::from(i)),
                )
            })
            .collect();
        let m = Months {
            trial: false,
            points,
            previous: None,
            current: Vec::new(),
        };
        let html = page(&m);
        let refunds = html
            .split("<figure class=\"mini\" data-series=\"refunds\">")
            .nth(1)
            .unwrap();
        let refunds = &refunds[..refunds.find("</figure>").unwrap()];
        let months = refunds.matches("text-anchor=\"middle\">20").count();
        assert!((3..16).contains(&months), "{months} month labels");
        assert!(
            refunds.contains(">2026-12</text>"),
            "the last month is labelled"
        );
        let values = refunds.matches("<text class=\"val\"").count();
        assert!((1..16).contains(&values), "{values} value labels");
        assert!(
            refunds.contains(">1,185,175</text>"),
            "the last value is labelled"
        );
        assert_eq!(page(&m), html, "deterministic");
    }

    #[test]
    fn the_county_chart_makes_room_for_its_longest_value() {
        let p = policy();
        let outcome = Outcome {
            coverage: vec![
                row(0, Some("640104"), 12_345_678, 1_000_000),
                row(0, None, 12_345_678, 1_000_000),
            ],
            have_register: true,
            ..Outcome::default()
        };
        let html = dashboard(&p, day(2026, 1, 31), &[], &outcome, &Ingested::default());
        let text = "8.10%  1000000/12345678  ▼ 未达标，还差 11222222 人";
        assert!(html.contains(text), "{html}");
        let num = |after: &str| -> f64 {
            let at = html.find(after).unwrap() + after.len();
            let rest = &html[at..];
            rest[..rest.find('"').unwrap()].parse().unwrap()
        };
        let width = num("<svg class=\"chart\" width=\"");
        let x = num("<text class=\"below\" x=\"");
        let need = super::super::svg::text_width(text, 13.0, true);
        assert!(x + need <= width, "{x} + {need} > {width}");
    }
}
