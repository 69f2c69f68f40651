//! R6 — late payment and waiting periods (补缴与待遇等待期): every paid resident
//! row of a non-exempt person that was paid after the concentrated period, or
//! (where the policy puts waits on gaps) follows years without coverage.

use crate::domain::County;
use chrono::NaiveDate;

use super::tier::{subsidised, At};
use super::{PersonFile, RunDates};
use crate::domain::{add_days, add_months, Fen, PersonId};
use crate::ingest::{EnrollmentRow, Origin};
use crate::policy::Policy;

/// One line of `late_payment.csv`.
#[derive(Debug, Clone)]
pub struct LateItem {
    pub county: County,
    pub person: PersonId,
    pub name: String,
    pub year: i32,
    pub pay_date: NaiveDate,
    pub paid: Fen,
    pub late: bool,
    pub gap_years: u32,
    pub repair_years: u32,
    pub no_history: bool,
    pub expected_amount: Fen,
    /// Issue 14: the row's population and grade (人员类别, 缴费档次).
    pub grade: crate::policy::GradeRef,
    pub variable_months: u32,
    pub expected_start: NaiveDate,
    pub recorded_start: Option<NaiveDate>,
    pub amount_mismatch: bool,
    pub start_mismatch: bool,
    pub origin: Origin,
}

impl LateItem {
    pub fn sort_key(&self) -> (&str, &PersonId, Origin) {
        (&self.county, &self.person, self.origin)
    }

    /// AMOUNT_MISMATCH / START_MISMATCH / NO_HISTORY, `;`-separated.
    pub fn flags(&self) -> String {
        let mut f = Vec::new();
        if self.amount_mismatch {
            f.push("AMOUNT_MISMATCH");
        }
        if self.start_mismatch {
            f.push("START_MISMATCH");
        }
        if self.no_history {
            f.push("NO_HISTORY");
        }
        f.join(";")
    }
}

/// Covered in a history year (before `Y`): a 390 row with 实缴 ≥ 应缴, any 310
/// row whatever its status today (folded into [`crate::ingest::HistoryRow::covered`] at
/// ingest), or an elsewhere entry for that year.
fn covered_in_history(p: &PersonFile<'_>, y: i32) -> bool {
    p.history.iter().any(|r| r.year == y && r.covered)
        || p.elsewhere.iter().any(|e| e.year == Some(y))
}

/// Consecutive uncovered years just before `year`, counted back until a covered
/// year or the earliest year the history holds. `None`: no earlier row at all.
pub fn gap_years(p: &PersonFile<'_>, year: i32) -> Option<u32> {
    let earliest = p
        .history
        .iter()
        .map(|r| r.year)
        .filter(|y| *y < year)
        .min()?;
    let mut gap = 0;
    let mut y = year - 1;
    while y >= earliest && !covered_in_history(p, y) {
        gap += 1;
        y -= 1;
    }
    Some(gap)
}

/// The benefit start the policy gives a payment on `d` after `gap` uncovered years.
pub fn expected_start(
    policy: &Policy,
    year: i32,
    d: NaiveDate,
    gap: u32,
    repair: u32,
) -> (NaiveDate, u32) {
    let w = &policy.waiting;
    let base = NaiveDate::from_ymd_opt(year, 1, 1).map_or(d, |jan1| d.max(jan1));
    let mut variable = w
        .per_gap_year_months
        .saturating_mul(gap.saturating_sub(repair));
    if gap >= 4 && w.per_gap_year_months > 0 {
        variable = variable.max(w.min_variable_months_after_4_years);
    }
    // The months (fixed + variable) are summed and added once, then clamped:
    // 2026-01-31 + (3 + 1) months = 2026-05-31, not 2026-04-30 + 1 = 2026-05-30.
    let after_days = add_days(base, w.fixed_days);
    (
        add_months(after_days, w.fixed_months.saturating_add(variable)),
        variable,
    )
}

fn exempt(policy: &Policy, p: &PersonFile<'_>, row: &EnrollmentRow, d: NaiveDate) -> bool {
    let newborn_at_d = super::newborn_at(p.id, policy, d);
    subsidised(policy, p.identities, (d, d), At::row(row), row.county)
        || newborn_at_d
        || row
            .dynamic_group
            .as_deref()
            .is_some_and(|g| policy.waiting.exempt_dynamic_groups.iter().any(|x| x == g))
}

pub fn judge(policy: &Policy, dates: RunDates, p: &PersonFile<'_>, out: &mut Vec<LateItem>) {
    for row in p.resident_rows(dates.year).filter(|r| r.is_paid()) {
        let d = row.pay_date.unwrap_or(policy.c1);
        if exempt(policy, p, row, d) {
            continue;
        }
        let late = d > policy.c1;
        let history = gap_years(p, dates.year);
        let gap = history.unwrap_or(0);
        if !(late || (gap >= 1 && policy.waiting.gap_waits)) {
            continue;
        }
        // Issue 14: the band and full amount of the row's own grade and county.
        let full = policy.price(row.county, row.grade, None).full;
        let expected_amount = if late {
            policy.band_for_in(row.county, row.grade, d).unwrap_or(full)
        } else {
            full
        };
        let (start, variable) = expected_start(policy, dates.year, d, gap, row.repair_years);
        out.push(LateItem {
            county: row.county,
            person: p.id.clone(),
            name: p.name().to_string(),
            year: row.year,
            pay_date: d,
            paid: row.paid,
            late,
            gap_years: gap,
            repair_years: row.repair_years,
            no_history: history.is_none(),
            expected_amount,
            grade: row.grade,
            variable_months: variable,
            expected_start: start,
            recorded_start: row.benefit_start,
            amount_mismatch: row.paid != expected_amount,
            start_mismatch: row.benefit_start.is_some_and(|s| s != start),
            origin: row.origin,
        });
    }
}
