//! Issue 14: `check-policy` prints a graded policy's full table per
//! population × grade, aligned for Chinese text, and its county overrides.
//! Expected lines come from the invented policy's comments
//! (`tests/fixtures/invented/luting-2026.toml`).

use crate::common;

use common::{repo, Workdir};

fn table() -> String {
    let w = Workdir::new();
    let file = repo().join("tests/fixtures/invented/luting-2026.toml");
    let o = w.run_expect(&["check-policy", file.to_str().unwrap()], 0);
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The lines of the section headed `== {heading}`, up to the next blank line.
fn section<'a>(text: &'a str, heading: &str) -> Vec<&'a str> {
    text.lines()
        .skip_while(|l| !l.starts_with(&format!("== {heading}")))
        .take_while(|l| !l.is_empty())
        .collect()
}

fn width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

#[test]
fn every_population_and_grade_has_its_table() {
    let text = table();
    assert!(
        text.contains("人员类别 × 缴费档次 populations × grades: 3"),
        "{text}"
    );
    let g2 = section(&text, "城乡居民 二档");
    assert!(g2[0].contains("普通缴费 ordinary 700.00"), "{text}");
    // 特困 on 二档: capped at 一档's 400 → pays 300.
    let full = g2.iter().find(|l| l.contains("lt-full")).unwrap();
    assert!(
        full.contains("300.00") && full.contains("以一档为限"),
        "{full}"
    );
    let dibao = g2.iter().find(|l| l.contains("lt-dibao")).unwrap();
    assert!(
        dibao.contains("460.00") && dibao.contains("定额资助 240.00"),
        "{dibao}"
    );
    let g1 = section(&text, "城乡居民 一档");
    let dibao = g1.iter().find(|l| l.contains("lt-dibao")).unwrap();
    assert!(
        dibao.contains("160.00") && dibao.contains("资助 60%"),
        "{dibao}"
    );
    let youfu = g1.iter().find(|l| l.contains("lt-youfu")).unwrap();
    assert!(
        youfu.contains("区医保局 (医疗救助资金) 150.00 + 区退役军人事务局 150.00"),
        "{youfu}"
    );
    // Students: only the tiers that price their grade.
    let s1 = section(&text, "大学生 大学生档");
    assert!(
        s1.iter()
            .any(|l| l.contains("lt-student") && l.contains("50.00")),
        "{text}"
    );
    assert!(!s1.iter().any(|l| l.contains("lt-dibao")), "{text}");
}

/// Every row's categories column starts at the same display column, however
/// much Chinese the payer and rule columns hold.
#[test]
fn grade_tables_line_up_by_display_width() {
    let text = table();
    for heading in ["城乡居民 一档", "城乡居民 二档", "大学生 大学生档"] {
        let rows: Vec<&str> = section(&text, heading)
            .into_iter()
            .skip(2)
            .take_while(|l| !l.starts_with("补缴"))
            .collect();
        assert!(rows.len() >= 3, "{text}");
        let starts: Vec<usize> = rows
            .iter()
            // The categories column follows the last two-space gap (names
            // and codes hold single spaces only).
            .map(|l| width(&l[..l.rfind("  ").unwrap() + 2]))
            .collect();
        assert!(
            starts.windows(2).all(|w| w[0] == w[1]),
            "{heading}: {starts:?}\n{text}"
        );
    }
}

#[test]
fn county_overrides_are_listed_with_the_city_value() {
    let text = table();
    assert!(text.contains("区县代缴标准 county overrides: 2"), "{text}");
    assert!(
        text.contains("  城乡居民 一档 lt-dibao: 个人缴费 0.00（全市 city 160.00）"),
        "{text}"
    );
    assert!(
        text.contains("  城乡居民 二档 lt-youfu: 个人缴费 300.00（全市 city 400.00）; 区医保局 (医疗救助资金) 200.00 (50%) + 区退役军人事务局 200.00 (50%)"),
        "{text}"
    );
    assert!(text.contains("439921 鹭山县"), "{text}");
    assert!(
        text.contains("  lt-dibao 身份类别 categories: dibao, low_income,"),
        "{text}"
    );
    assert!(
        text.contains(
            "类别细分 narrowing: veterans youfu 优抚对象 → disabled_veteran_1_6 1至6级残疾军人"
        ),
        "{text}"
    );
}
