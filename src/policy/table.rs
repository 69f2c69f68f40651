//! The policy as a plain-text table (`check-policy`), for a clerk to compare
//! against the notice line by line.

use std::fmt::Write;

use super::{CoverageKind, Policy, RefundMode, RefundRule};
use crate::domain::fmt_date;

/// `text` padded with spaces to `width` terminal columns: a Chinese
/// character takes two (issue 16: `{:<36}` counts characters, so a column
/// after Chinese payer names drifted right).
pub(super) fn pad(text: &str, width: usize) -> String {
    let used = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

/// `text` right-aligned in `width` terminal columns.
pub(super) fn pad_left(text: &str, width: usize) -> String {
    let used = unicode_width::UnicodeWidthStr::width(text);
    format!("{}{text}", " ".repeat(width.saturating_sub(used)))
}

/// One row of the tier table: tie order, tier, personal amount, payers,
/// categories — every column padded by display width.
fn tier_row(s: &mut String, cells: [&str; 5]) {
    let _ = writeln!(
        s,
        "{} {} {}  {} {}",
        pad(cells[0], 4),
        pad(cells[1], 14),
        pad_left(cells[2], 8),
        pad(cells[3], 36),
        cells[4]
    );
}

/// The one-grade table (both seeds): the ordinary amount, the tiers, the bands.
fn one_grade(p: &Policy, s: &mut String) {
    let v = &p.vocab;
    let _ = writeln!(s, "普通居民 ordinary {}", p.ordinary);
    let _ = writeln!(s);
    tier_row(
        s,
        [
            "顺序",
            "档次 tier",
            "个人缴费",
            "资助方 payers",
            "身份类别 categories",
        ],
    );
    for (i, t) in p.tiers.iter().enumerate() {
        let payers: Vec<String> = t
            .payers
            .iter()
            .map(|(c, a)| format!("{} {a}", p.payer_name(c)))
            .collect();
        let cats: Vec<String> = t
            .categories
            .iter()
            .map(|c| format!("{} {}", v.code(*c), v.zh(*c)))
            .collect();
        tier_row(
            s,
            [
                &(i + 1).to_string(),
                &t.id,
                &t.personal.to_string(),
                &payers.join(" + "),
                &cats.join(", "),
            ],
        );
    }
    let untiered: Vec<&str> = v
        .categories()
        .filter(|c| p.tier_of(*c).is_none())
        .map(|c| v.code(c))
        .collect();
    tier_row(
        s,
        [
            "-",
            "普通 ordinary",
            &p.ordinary.to_string(),
            "-",
            &untiered.join(", "),
        ],
    );
    let _ = writeln!(s);
    for b in &p.bands {
        let _ = writeln!(
            s,
            "补缴 late payment {} … {}: {}",
            fmt_date(b.from),
            fmt_date(b.to),
            b.amount
        );
    }
}

pub fn render(p: &Policy) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "政策 policy  {} — {} {} ({})",
        p.id, p.region_code, p.region_name, p.source
    );
    let _ = writeln!(s, "参保年度 year {}", p.year);
    let _ = writeln!(
        s,
        "集中征缴期 concentrated period {} … {}",
        fmt_date(p.c0),
        fmt_date(p.c1)
    );
    if p.implicit_grades {
        one_grade(p, &mut s);
    } else {
        super::table_grades::render_grades(p, &mut s);
    }
    super::table_grades::render_overrides(p, &mut s);
    super::table_grades::render_narrowings(p, &mut s);
    let w = &p.waiting;
    let _ = writeln!(
        s,
        "等待期 waiting: fixed {} days / {} months; gap waits {}; +{} month(s) per gap year; ≥4 years keeps {} month(s)",
        w.fixed_days, w.fixed_months, if w.gap_waits { "on" } else { "off" }, w.per_gap_year_months, w.min_variable_months_after_4_years
    );
    let _ = writeln!(
        s,
        "动态参保 dynamic: {} categories{}; groups {}",
        p.dynamic.categories.len(),
        if p.dynamic.recognised_after_concentrated_only {
            " (recognised after the period only)"
        } else {
            ""
        },
        p.dynamic.groups.join(", ")
    );
    let _ = writeln!(s, "新生儿 newborn window {} days", p.newborn_days);
    let rule = |name: &str, r: Option<&RefundRule>, s: &mut String| {
        let text = match r {
            None => "not mentioned → review, no deadline".to_string(),
            Some(r) => format!(
                "{}{}{}",
                match r.mode {
                    RefundMode::Auto => "auto",
                    RefundMode::Review => "review",
                    RefundMode::Off => "off",
                },
                r.deadline
                    .map(|d| format!(", deadline {}", fmt_date(d)))
                    .unwrap_or_default(),
                if r.paid_in_concentrated_period_only {
                    ", payments in the concentrated period only"
                } else {
                    ""
                }
            ),
        };
        let _ = writeln!(s, "退费 refund {name}: {text}");
    };
    rule("HARDSHIP_DIFF", Some(&p.refunds.hardship_diff), &mut s);
    rule("DUPLICATE", p.refunds.duplicate.as_ref(), &mut s);
    rule(
        "JOINED_EMPLOYEE",
        p.refunds.joined_employee.as_ref(),
        &mut s,
    );
    rule("DECEASED", p.refunds.deceased.as_ref(), &mut s);
    for g in &p.coverage_groups {
        let kind = match g.kind {
            CoverageKind::Categories => format!("{} categories", g.categories.len()),
            CoverageKind::Newborn => "newborns".to_string(),
            CoverageKind::Overall => "everyone in the register".to_string(),
        };
        let _ = writeln!(
            s,
            "参保率目标 coverage {} {}: ≥{}% ({kind})",
            g.id, g.name, g.target_percent
        );
    }
    if let Some(f) = &p.fiscal {
        let _ = writeln!(
            s,
            "财政补助 fiscal {} per person: central {}bp, region {}bp, local {}bp; advance {}%",
            f.per_capita, f.central_bp, f.region_bp, f.local_bp, f.advance_percent
        );
    }
    let _ = writeln!(s, "区县 counties {}", p.counties.len());
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_after_chinese_text_line_up_by_display_width() {
        let mut s = String::new();
        tier_row(&mut s, ["1", "a", "0.00", "残联 100.00", "x"]);
        tier_row(&mut s, ["2", "b", "0.00", "civil 100.00", "y"]);
        let at: Vec<usize> = s
            .lines()
            .map(|l| {
                let i = l.rfind(' ').unwrap();
                unicode_width::UnicodeWidthStr::width(&l[..i])
            })
            .collect();
        assert_eq!(at[0], at[1], "{s}");
        assert_eq!(at[0], 4 + 1 + 14 + 1 + 8 + 2 + 36, "{s}");
    }
}
