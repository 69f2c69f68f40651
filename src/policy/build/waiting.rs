//! `[waiting_period]`, `[dynamic_enrollment]` and `[newborn]`: who waits how
//! long, who may still enrol after the concentrated period, and the newborn
//! window.

use std::collections::BTreeSet;

use super::Ctx;
use crate::domain::Vocabulary;
use crate::error::Result;
use crate::policy::raw::RawPolicy;
use crate::policy::{Dynamic, Waiting};

fn check_groups(cx: &Ctx, vocab: &Vocabulary, key: &str, groups: &[String]) -> Result<()> {
    for (i, g) in groups.iter().enumerate() {
        if !vocab.is_dynamic_group_code(g) {
            return Err(cx.err(
                format!("{key}[{i}]"),
                format!("未知的动态参保类别 `{g}`：应为 schemas/codes.toml [dynamic_groups] 中的代码；unknown dynamic group `{g}`; expected a code from schemas/codes.toml [dynamic_groups]"),
            ));
        }
    }
    Ok(())
}

pub(super) fn waiting(raw: &RawPolicy, cx: &Ctx, vocab: &Vocabulary) -> Result<Waiting> {
    let w = &raw.waiting_period;
    let (fixed_days, fixed_months) = match (w.fixed_days, w.fixed_months) {
        (Some(_), Some(_)) => return Err(cx.err(
            "waiting_period",
            "fixed_days 与 fixed_months 只能给出一个；give fixed_days or fixed_months, not both",
        )),
        (d, m) => (d.unwrap_or(0), m.unwrap_or(0)),
    };
    check_groups(
        cx,
        vocab,
        "waiting_period.exempt_dynamic_groups",
        &w.exempt_dynamic_groups,
    )?;
    if !w.gap_waits && w.per_gap_year_months != 0 {
        return Err(cx.err(
            "waiting_period.per_gap_year_months",
            "gap_waits 为 false 时每断保年增加的等待月数必须为 0；gap_waits is false, so the per-year wait must be 0",
        ));
    }
    Ok(Waiting {
        fixed_days,
        fixed_months,
        gap_waits: w.gap_waits,
        per_gap_year_months: w.per_gap_year_months,
        min_variable_months_after_4_years: w.min_variable_months_after_4_years,
        exempt_dynamic_groups: w.exempt_dynamic_groups.clone(),
    })
}

pub(super) fn dynamic(raw: &RawPolicy, cx: &Ctx, vocab: &Vocabulary) -> Result<Dynamic> {
    let d = &raw.dynamic_enrollment;
    let mut categories = BTreeSet::new();
    for (i, code) in d.categories.iter().enumerate() {
        categories.insert(cx.cat(vocab, &format!("dynamic_enrollment.categories[{i}]"), code)?);
    }
    check_groups(cx, vocab, "dynamic_enrollment.groups", &d.groups)?;
    Ok(Dynamic {
        categories,
        recognised_after_concentrated_only: d.recognised_after_concentrated_only,
        groups: d.groups.clone(),
    })
}

pub(super) fn newborn(raw: &RawPolicy, cx: &Ctx) -> Result<u32> {
    let days = raw.newborn.window_days;
    if days == 0 || days > 366 {
        return Err(cx.err(
            "newborn.window_days",
            format!("{days} 不是 1–366 天的窗口；{days} is not a window of 1–366 days"),
        ));
    }
    Ok(days)
}
