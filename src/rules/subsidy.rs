//! R9 — the subsidy ledger (资助台账): for each paid resident row, the tier that
//! prices it and what each payer owes; and, where the policy has a fiscal
//! split, who counts for the per-capita fiscal subsidy (财政补助).

use super::refund::{pricing_window, Basis, PaidRows, RefundItem, RefundReason, RefundStatus};
use super::tier::{best, At};
use super::PersonFile;
use crate::domain::County;
use crate::domain::{Fen, PersonId};
use crate::ingest::Origin;
use crate::policy::{Policy, RefundMode};

/// Whether the payer's share is final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SubsidyStatus {
    /// The row paid the tier's amount, or an `auto` refund brings it there.
    Settled,
    /// Only a refund still to be confirmed brings it there (or nothing does).
    PendingReview,
}

impl SubsidyStatus {
    pub fn code(self) -> &'static str {
        match self {
            SubsidyStatus::Settled => "settled",
            SubsidyStatus::PendingReview => "pending_review",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            SubsidyStatus::Settled => "已确定",
            SubsidyStatus::PendingReview => "待复核",
        }
    }
}

/// One payer's share for one paid row (`subsidy_detail.csv`).
#[derive(Debug, Clone)]
pub struct SubsidyItem {
    pub county: County,
    pub person: PersonId,
    pub name: String,
    pub year: i32,
    pub tier: usize,
    /// The tier's personal amount for the row's county and grade.
    pub tier_personal: Fen,
    /// Issue 14: the row's population and grade (人员类别, 缴费档次).
    pub grade: crate::policy::GradeRef,
    pub paid: Fen,
    pub payer: String,
    pub amount: Fen,
    pub status: SubsidyStatus,
    pub basis: Option<Basis>,
    pub origin: Origin,
}

impl SubsidyItem {
    pub fn sort_key(&self) -> (&str, &PersonId, &str, Origin) {
        (&self.county, &self.person, &self.payer, self.origin)
    }
}

/// `refunds` are this person's refund items from R2/R3. At most one row is
/// subsidised: the one R3 leaves standing ([`PaidRows::standing`]); a row R3
/// voids never is, whatever its refund's status and even when it paid 0.
pub fn judge(
    policy: &Policy,
    p: &PersonFile<'_>,
    paid: &PaidRows<'_>,
    refunds: &[RefundItem],
    out: &mut Vec<SubsidyItem>,
) {
    // Issue 15: without an identity nothing is subsidised (no need to price).
    if let Some(row) = paid.standing().filter(|_| !p.identities.is_empty()) {
        let w = pricing_window(policy, row.pay_date);
        let best = best(policy, p.identities, w, At::row(row), row.county);
        let Some(tier) = best.tier else { return };
        let personal = best.personal();
        let status = if row.paid == personal {
            SubsidyStatus::Settled
        } else {
            match refunds.iter().find(|r| {
                r.origin == row.origin
                    && r.reason == RefundReason::HardshipDiff
                    && row.paid - r.amount == personal
            }) {
                Some(r)
                    if r.status == RefundStatus::Payable
                        && policy.refunds.hardship_diff.mode == RefundMode::Auto =>
                {
                    SubsidyStatus::Settled
                }
                _ => SubsidyStatus::PendingReview,
            }
        };
        // Issue 11: a tier whose identity has an unknown start is never settled.
        let status = match best.identity {
            Some(i) if i.start_unknown() => SubsidyStatus::PendingReview,
            _ => status,
        };
        // Issue 14: each paying department of the tier on the row's grade in
        // its county (several payers per tier), in the policy's payer order.
        for (payer, amount) in &best.price.payers {
            out.push(SubsidyItem {
                county: row.county,
                person: p.id.clone(),
                name: p.name().to_string(),
                year: row.year,
                tier,
                tier_personal: personal,
                grade: row.grade,
                paid: row.paid,
                payer: (*payer).to_owned(),
                amount: *amount,
                status,
                basis: Basis::of(&best),
                origin: row.origin,
            });
        }
    }
}

/// The county a person counts in for the fiscal subsidy: that of their paid
/// resident row for `Y` that R3 does not refund in full — the row it leaves
/// standing (a void row counts as refunded in full even when its refund has
/// expired or it paid 0). `None`: not counted.
pub fn fiscal_county(paid: &PaidRows<'_>) -> Option<County> {
    paid.standing().map(|r| r.county)
}
