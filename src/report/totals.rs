//! Money totals are checked before any report adds them up (合计金额校验).
//!
//! The reports, the dashboard and `summary.json` add amounts per list, per
//! status, per county and per payer. Policy amounts are capped
//! (`policy::limits`), but amounts from the data are not: 实缴金额 may hold up
//! to twelve digits of yuan, and a DECEASED or DUPLICATE refund repays it in
//! full. So before a single file is written, each list's amounts are summed
//! as absolute values with checked arithmetic: if that sum fits in `i64` fen,
//! every partial sum of the list does too, in any order and grouping, and the
//! report code can add without fear. If it does not fit, the run stops with
//! [`Error::MoneyOverflow`] naming the list, instead of printing a wrapped,
//! negative total. (`Fen`'s own `+` also refuses to wrap: it stops the
//! program as a bug, which this check makes unreachable.)

use crate::domain::Fen;
use crate::error::{Error, Result};
use crate::policy::Policy;
use crate::rules::Outcome;

/// Σ|amount| over one list, or the error naming it.
fn absolute_sum(what: &str, mut amounts: impl Iterator<Item = Fen>) -> Result<Fen> {
    amounts
        .try_fold(Fen::ZERO, |acc, a| {
            a.0.checked_abs().and_then(|x| acc.checked_add(Fen(x)))
        })
        .ok_or_else(|| Error::MoneyOverflow {
            what: what.to_string(),
        })
}

/// Checks that every money total the reports compute from `outcome` fits.
pub fn check(policy: &Policy, outcome: &Outcome) -> Result<()> {
    absolute_sum(
        "refunds.csv 退费金额",
        outcome.refunds.iter().map(|r| r.amount),
    )?;
    absolute_sum(
        "rerating.csv 差额",
        outcome.rerating.iter().map(|r| r.difference),
    )?;
    absolute_sum(
        "missing_enrollment.csv 应缴金额",
        outcome.missing.iter().map(|m| m.due),
    )?;
    absolute_sum(
        "subsidy_ledger.csv 资助金额",
        outcome.subsidy.iter().map(|s| s.amount),
    )?;
    if let Some(f) = &policy.fiscal {
        // The full-year total of all counties; every share and the advance
        // are parts of it (computed in 128 bits, `Fen::share`).
        let persons = outcome
            .fiscal_persons
            .values()
            .try_fold(0u64, |a, n| a.checked_add(*n));
        persons
            .and_then(|n| f.per_capita.checked_times(n))
            .ok_or_else(|| Error::MoneyOverflow {
                what: "fiscal_ledger.csv 全年补助合计".to_string(),
            })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_sums_fail_instead_of_wrapping() {
        let big = Fen(i64::MAX / 2 + 1);
        assert!(absolute_sum("x", [big, Fen(-5)].into_iter()).is_ok());
        let e = absolute_sum("refunds.csv 退费金额", [big, big].into_iter()).unwrap_err();
        assert!(matches!(e, Error::MoneyOverflow { ref what } if what == "refunds.csv 退费金额"));
        // Mixed signs that cancel in total still fail: a partial sum would not fit.
        assert!(absolute_sum("x", [big, Fen(-i64::MAX), big].into_iter()).is_err());
        assert!(absolute_sum("x", [Fen(i64::MIN)].into_iter()).is_err());
    }
}
