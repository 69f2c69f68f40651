//! `check-policy`'s issue-14 sections: the tier table per population ×
//! grade, the county overrides, and the narrowed categories. A one-grade
//! policy without overrides or narrowings prints none of this (its table is
//! [`super::table::render`]'s as before).

use std::fmt::Write;

use super::model::{CountyOverride, GradeRef, Split, Subsidy, TierPrice};
use super::table::{pad, pad_left};
use super::Policy;
use crate::domain::fmt_date;

/// A grade's table: tie order, tier, personal amount, payers, pricing rule,
/// categories — each column as wide as its widest cell in display width
/// (Chinese characters take two columns), the amount right-aligned.
pub(super) fn grade_table(s: &mut String, rows: &[[String; 6]]) {
    let width = |i: usize| {
        rows.iter()
            .map(|r| unicode_width::UnicodeWidthStr::width(r[i].as_str()))
            .max()
            .unwrap_or(0)
    };
    let w: Vec<usize> = (0..5).map(width).collect();
    for r in rows {
        let _ = writeln!(
            s,
            "{}  {}  {}  {}  {}  {}",
            pad(&r[0], w[0]),
            pad(&r[1], w[1]),
            pad_left(&r[2], w[2]),
            pad(&r[3], w[3]),
            pad(&r[4], w[4]),
            r[5]
        );
    }
}

/// How a price is set, in words: 个人定额 / 定额资助 240.00 / 资助 60%, and its cap.
fn rule_text(p: &Policy, g: GradeRef, r: &TierPrice) -> String {
    let mut t = match r.subsidy {
        Subsidy::Personal(_) => "个人定额".to_string(),
        Subsidy::Fixed(v) => format!("定额资助 {v}"),
        Subsidy::Percent(x) => format!("资助 {x}%"),
    };
    if let Some(c) = r.cap {
        let name = if c.population == g.population {
            p.grade_name(c).to_string()
        } else {
            p.grade_label(c)
        };
        let _ = write!(t, "，以{name}为限");
    }
    t
}

/// The payers of (county, grade, tier) as printed: names, amounts, shares.
fn payers_text(p: &Policy, county: &str, g: GradeRef, t: usize) -> String {
    let price = p.price(county, g, Some(t));
    let shares = match p.price_rule(county, g, t).map(|r| &r.split) {
        Some(Split::Shares(m)) => Some(m),
        _ => None,
    };
    let parts: Vec<String> = price
        .payers
        .iter()
        .map(|(c, a)| match shares.and_then(|m| m.get(*c)) {
            Some(pct) => format!("{} {a} ({pct}%)", p.payer_name(c)),
            None => format!("{} {a}", p.payer_name(c)),
        })
        .collect();
    if parts.is_empty() {
        "-".into()
    } else {
        parts.join(" + ")
    }
}

/// The tier table of every population × grade (no county override).
pub(super) fn render_grades(p: &Policy, s: &mut String) {
    let _ = writeln!(
        s,
        "人员类别 × 缴费档次 populations × grades: {}",
        p.grades().len()
    );
    for g in p.grades() {
        let _ = writeln!(s);
        grade_heading(p, g, s);
        grade_table(s, &grade_rows(p, g));
        grade_bands(p, g, s);
    }
    let _ = writeln!(s);
}

/// `== 城乡居民 二档 (resident.g2) — 普通缴费 ordinary 700.00 ==` and the
/// export texts that name it.
fn grade_heading(p: &Policy, g: GradeRef, s: &mut String) {
    let grade = p.grade(g);
    let pop = &p.populations[usize::from(g.population)];
    let texts: Vec<&str> = [pop.name.as_str()]
        .into_iter()
        .chain(pop.texts.iter().map(String::as_str))
        .collect();
    let gtexts: Vec<&str> = [grade.name.as_str()]
        .into_iter()
        .chain(grade.texts.iter().map(String::as_str))
        .collect();
    let _ = writeln!(
        s,
        "== {} ({}.{}){} — 普通缴费 ordinary {} ==",
        p.grade_label(g),
        pop.id,
        grade.id,
        if g == p.default_grade() {
            " 默认 default"
        } else {
            ""
        },
        grade.ordinary
    );
    let _ = writeln!(
        s,
        "导出文本 export texts: 人员类别 {} / 缴费档次 {}",
        texts.join("、"),
        gtexts.join("、")
    );
}

/// The header, one row per tier that prices the grade, and the ordinary row
/// with every category no tier subsidises on it.
fn grade_rows(p: &Policy, g: GradeRef) -> Vec<[String; 6]> {
    let v = &p.vocab;
    let mut rows = vec![[
        "顺序",
        "档次 tier",
        "个人缴费",
        "资助方 payers",
        "定价 rule",
        "身份类别 categories",
    ]
    .map(String::from)];
    for (i, t) in p.tiers.iter().enumerate() {
        let Some(rule) = p.price_rule("", g, i) else {
            continue;
        };
        let cats: Vec<String> = t
            .categories
            .iter()
            .map(|c| format!("{} {}", v.code(*c), v.zh(*c)))
            .collect();
        rows.push([
            (i + 1).to_string(),
            t.id.clone(),
            p.price("", g, Some(i)).personal.to_string(),
            payers_text(p, "", g, i),
            rule_text(p, g, rule),
            cats.join(", "),
        ]);
    }
    let ordinary: Vec<&str> = v
        .categories()
        .filter(|c| {
            p.tier_of(*c)
                .is_none_or(|t| p.price_rule("", g, t).is_none())
        })
        .map(|c| v.code(c))
        .collect();
    rows.push([
        "-".into(),
        "普通 ordinary".into(),
        p.grade(g).ordinary.to_string(),
        "-".into(),
        "-".into(),
        ordinary.join(", "),
    ]);
    rows
}

fn grade_bands(p: &Policy, g: GradeRef, s: &mut String) {
    let grade = p.grade(g);
    if grade.bands.is_empty() {
        let _ = writeln!(
            s,
            "补缴 late payment: 无补缴标准，期后按普通缴费 {} no bands: late payments pay the ordinary amount",
            grade.ordinary
        );
    }
    for b in &grade.bands {
        let _ = writeln!(
            s,
            "补缴 late payment {} … {}: {}",
            fmt_date(b.from),
            fmt_date(b.to),
            b.amount
        );
    }
}

/// Each overridden county: what differs from the policy's tables.
pub(super) fn render_overrides(p: &Policy, s: &mut String) {
    if p.overrides.is_empty() {
        return;
    }
    let _ = writeln!(s, "区县代缴标准 county overrides: {}", p.overrides.len());
    for (county, o) in &p.overrides {
        let _ = writeln!(
            s,
            "{county} {} ({})",
            p.county_label(county),
            o.keys.join(", ")
        );
        for g in p.grades() {
            county_grade_changes(p, county, o, g, s);
        }
        if !o.categories.is_empty() {
            county_category_changes(p, county, s);
        }
    }
    let _ = writeln!(s);
}

/// A grade's amount, bands and tier prices where they differ in `county`.
fn county_grade_changes(p: &Policy, county: &str, o: &CountyOverride, g: GradeRef, s: &mut String) {
    let (city, here) = (p.full_in("", g), p.full_in(county, g));
    if city != here {
        let _ = writeln!(
            s,
            "  {} 普通缴费 ordinary {here}（全市 city {city}）",
            p.grade_label(g)
        );
    }
    for b in o.bands.get(&g).into_iter().flatten() {
        let _ = writeln!(
            s,
            "  {} 补缴 late payment {} … {}: {}",
            p.grade_label(g),
            fmt_date(b.from),
            fmt_date(b.to),
            b.amount
        );
    }
    for (t, tier) in p.tiers.iter().enumerate() {
        let (was, now) = (p.price("", g, Some(t)), p.price(county, g, Some(t)));
        if was == now {
            continue;
        }
        let rule = p
            .price_rule(county, g, t)
            .map_or_else(|| "-".to_string(), |r| rule_text(p, g, r));
        let _ = writeln!(
            s,
            "  {} {}: 个人缴费 {}（全市 city {}）; {}; {rule}",
            p.grade_label(g),
            tier.id,
            now.personal,
            was.personal,
            payers_text(p, county, g, t)
        );
    }
}

/// Each tier whose categories differ in `county`.
fn county_category_changes(p: &Policy, county: &str, s: &mut String) {
    let v = &p.vocab;
    for (t, tier) in p.tiers.iter().enumerate() {
        let here: Vec<&str> = v
            .categories()
            .filter(|c| p.tier_in(county, *c) == Some(t))
            .map(|c| v.code(c))
            .collect();
        let city: Vec<&str> = tier.categories.iter().map(|c| v.code(*c)).collect();
        let (mut a, mut b) = (city.clone(), here.clone());
        a.sort_unstable();
        b.sort_unstable();
        if a != b {
            let _ = writeln!(
                s,
                "  {} 身份类别 categories: {}（全市 city {}）",
                tier.id,
                here.join(", "),
                city.join(", ")
            );
        }
    }
}

/// The categories narrowed by an attribute of their source record.
pub(super) fn render_narrowings(p: &Policy, s: &mut String) {
    let v = &p.vocab;
    for n in &p.narrowings {
        let _ = writeln!(
            s,
            "类别细分 narrowing: {} {} {} → {} {}，当 {} ∈ {{{}}}",
            n.source.key(),
            v.code(n.category),
            v.zh(n.category),
            v.code(n.becomes),
            v.zh(n.becomes),
            n.column,
            n.values.join(", ")
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 14: the payers column of a grade's table is as wide as its
    /// widest cell, so a joint payer's long Chinese text does not push the
    /// next column out of line.
    #[test]
    fn columns_line_up_after_long_chinese_payer_texts() {
        let row = |a: &str, b: &str| {
            [
                "1".to_string(),
                "t".into(),
                "0.00".into(),
                a.to_string(),
                b.to_string(),
                "x".into(),
            ]
        };
        let mut s = String::new();
        grade_table(
            &mut s,
            &[
                row(
                    "区医保局 150.00 + 区退役军人事务局 150.00",
                    "定额资助 300.00",
                ),
                row("civil 1.00", "资助 60%"),
            ],
        );
        let at: Vec<usize> = s
            .lines()
            .map(|l| {
                let i = l.rfind("  ").unwrap();
                unicode_width::UnicodeWidthStr::width(&l[..i])
            })
            .collect();
        assert_eq!(at[0], at[1], "{s}");
    }
}
