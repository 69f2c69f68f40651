//! The ranges a policy's numbers must lie in for the rules to compute with
//! them (政策数值上下限). SPEC §3: "Values outside what the rules can compute
//! with (days, months, amounts) are `check-policy` errors". Each limit is far
//! beyond any real notice and far inside what the arithmetic can hold; the
//! table in `docs/policy-authoring.md` gives the same numbers.

use super::raw::{RawPolicy, RawPrice};
use crate::domain::Fen;
use crate::error::{Error, Result};

/// The largest amount a policy may name (ordinary contribution, a tier's
/// personal amount or payer share, a late-payment band, the fiscal per-capita
/// subsidy): 100,000 元 = 10^7 fen, 250 times the seeds' 400 元.
///
/// Derivation: SPEC §7 sizes a province at up to 10^8 enrollment rows. A
/// total over every row of one list (the subsidy ledger, the missing list's
/// dues, the fiscal full-year total) is then at most 10^8 × 10^7 = 10^15 fen,
/// about 9,000 times below `i64::MAX` (9.22 × 10^18 fen). Shares (basis points,
/// percent) are computed in 128 bits (`Fen::share`), so they add no factor.
pub const MAX_AMOUNT: Fen = Fen::yuan(100_000);

/// The longest fixed wait in days: 3,660 (ten years).
pub const MAX_WAIT_DAYS: u32 = 3_660;

/// The most months any one waiting-period key may add: 120 (ten years).
/// With 参保年度 limited to 1990–2100 (at most 110 gap years), the longest
/// wait is 120 + 120 × 110 months, about 1,110 years: a real date.
pub const MAX_WAIT_MONTHS: u32 = 120;

/// A share in basis points may not exceed the whole (10,000 = 100%).
pub const MAX_BASIS_POINTS: u32 = 10_000;

/// Checks every number of `raw` against the limits above; the error names the
/// key's path and the allowed range.
pub fn check(raw: &RawPolicy, file: &str) -> Result<()> {
    let err = |key: String, message: String| Error::Policy {
        file: file.to_string(),
        key,
        message,
    };
    let amount = |key: String, v: Fen| -> Result<()> {
        if v > MAX_AMOUNT {
            return Err(err(
                key,
                format!(
                    "{v} 元超出可计算范围：金额应为 0–{MAX_AMOUNT} 元（全省 1 亿行相加仍不溢出）；{v} yuan is outside the range the rules compute with: 0–{MAX_AMOUNT} yuan"
                ),
            ));
        }
        Ok(())
    };
    let upto = |key: &str, v: u32, max: u32, unit: (&str, &str)| -> Result<()> {
        if v > max {
            return Err(err(
                key.to_string(),
                format!(
                    "{v} 超出可计算范围：应为 0–{max} {}；{v} is outside the range the rules compute with: 0–{max} {}",
                    unit.0, unit.1
                ),
            ));
        }
        Ok(())
    };

    if let Some(c) = &raw.contribution {
        amount("contribution.ordinary".into(), c.ordinary)?;
    }
    if let Some(l) = &raw.late_payment {
        for (i, b) in l.bands.iter().enumerate() {
            amount(format!("late_payment.bands[{i}].amount"), b.amount)?;
        }
    }
    for (p, pop) in raw.population.iter().enumerate() {
        for (g, grade) in pop.grade.iter().enumerate() {
            let key = format!("population[{p}].grade[{g}]");
            amount(format!("{key}.ordinary"), grade.ordinary)?;
            for (i, b) in grade.bands.iter().enumerate() {
                amount(format!("{key}.bands[{i}].amount"), b.amount)?;
            }
        }
    }
    let price = |key: &str, p: &RawPrice| -> Result<()> {
        if let Some(v) = p.personal {
            amount(format!("{key}.personal"), v)?;
        }
        if let Some(v) = p.subsidy {
            amount(format!("{key}.subsidy"), v)?;
        }
        if let Some(v) = p.subsidy_percent {
            upto(&format!("{key}.subsidy_percent"), v, 100, ("%", "percent"))?;
        }
        for (payer, v) in &p.payers {
            amount(format!("{key}.payers.{payer}"), *v)?;
        }
        for (payer, v) in &p.shares {
            upto(&format!("{key}.shares.{payer}"), *v, 100, ("%", "percent"))?;
        }
        Ok(())
    };
    for (i, t) in raw.tier.iter().enumerate() {
        price(&format!("tier[{i}]"), &t.top_price())?;
        for (j, p) in t.price.iter().enumerate() {
            price(&format!("tier[{i}].price[{j}]"), p)?;
        }
    }
    for (i, o) in raw.county_override.iter().enumerate() {
        for (j, g) in o.grade.iter().enumerate() {
            let key = format!("county_override[{i}].grade[{j}]");
            if let Some(v) = g.ordinary {
                amount(format!("{key}.ordinary"), v)?;
            }
            for (k, b) in g.bands.iter().flatten().enumerate() {
                amount(format!("{key}.bands[{k}].amount"), b.amount)?;
            }
        }
        for (j, t) in o.tier.iter().enumerate() {
            price(&format!("county_override[{i}].tier[{j}]"), &t.price())?;
        }
    }

    let w = &raw.waiting_period;
    let months = ("个月", "months");
    if let Some(d) = w.fixed_days {
        upto(
            "waiting_period.fixed_days",
            d,
            MAX_WAIT_DAYS,
            ("天（10 年）", "days (10 years)"),
        )?;
    }
    if let Some(m) = w.fixed_months {
        upto("waiting_period.fixed_months", m, MAX_WAIT_MONTHS, months)?;
    }
    upto(
        "waiting_period.per_gap_year_months",
        w.per_gap_year_months,
        MAX_WAIT_MONTHS,
        months,
    )?;
    upto(
        "waiting_period.min_variable_months_after_4_years",
        w.min_variable_months_after_4_years,
        MAX_WAIT_MONTHS,
        months,
    )?;

    if let Some(f) = &raw.fiscal {
        amount("fiscal.per_capita".into(), f.per_capita)?;
        let bp = ("基点（100%）", "basis points (100%)");
        upto("fiscal.central_bp", f.central_bp, MAX_BASIS_POINTS, bp)?;
        upto("fiscal.region_bp", f.region_bp, MAX_BASIS_POINTS, bp)?;
        upto("fiscal.local_bp", f.local_bp, MAX_BASIS_POINTS, bp)?;
    }
    Ok(())
}
