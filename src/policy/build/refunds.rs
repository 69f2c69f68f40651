//! `[refunds.<reason>]`: each refund reason's mode and deadlines.

use super::Ctx;
use crate::error::Result;
use crate::policy::raw::{RawPolicy, RawRefundRule};
use crate::policy::{RefundRule, Refunds};

fn rule(r: &RawRefundRule) -> RefundRule {
    RefundRule {
        mode: r.mode,
        deadline: r.deadline.map(|d| d.0),
        paid_in_concentrated_period_only: r.paid_in_concentrated_period_only,
        death_before: r.death_before.map(|d| d.0),
    }
}

pub(super) fn refunds(raw: &RawPolicy, cx: &Ctx) -> Result<Refunds> {
    let r = &raw.refunds;
    if r.deceased
        .as_ref()
        .is_some_and(|d| d.death_before.is_none())
    {
        return Err(cx.err(
            "refunds.deceased.death_before",
            "死亡退费需要给出死亡须早于的日期；the deceased refund needs the date deaths must precede",
        ));
    }
    Ok(Refunds {
        hardship_diff: rule(&r.hardship_diff),
        duplicate: r.duplicate.as_ref().map(rule),
        joined_employee: r.joined_employee.as_ref().map(rule),
        deceased: r.deceased.as_ref().map(rule),
    })
}
