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
