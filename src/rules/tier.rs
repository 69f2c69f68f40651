//! R1 — the tier that prices a person (就高不就低: one tier only).
//!
//! `best(set)` is the identity with the lowest personal amount; ties go to the
//! policy's tier order, and within one tier to the first category in the
//! policy's list. An identity whose category the policy gives no tier counts
//! as ordinary.

use chrono::NaiveDate;

use crate::domain::Fen;
use crate::ingest::HardshipIdentity;
use crate::policy::Policy;

/// The outcome of `best`: the tier (`None` = ordinary) and the identity that
/// justifies it (for an ordinary result, the first untiered identity, if any).
#[derive(Debug, Clone, Copy)]
pub struct Best<'a> {
    pub tier: Option<usize>,
    pub identity: Option<&'a HardshipIdentity>,
    pub personal: Fen,
}

impl Best<'_> {
    pub fn is_subsidised(&self) -> bool {
        self.tier.is_some()
    }
}

/// Sort key of an identity for `best`: personal amount, tier order, position
/// in the tier's list, then county, start and origin so the choice is stable.
fn rank(
    policy: &Policy,
    id: &HardshipIdentity,
) -> (
    Fen,
    usize,
    usize,
    crate::domain::County,
    NaiveDate,
    crate::ingest::Origin,
) {
    let tier = policy.tier_of(id.category);
    let pos = tier
        .and_then(|t| {
            policy.tiers[t]
                .categories
                .iter()
                .position(|c| *c == id.category)
        })
        .unwrap_or(0);
    (
        policy.personal(tier),
        tier.unwrap_or(usize::MAX),
        pos,
        id.county,
        id.start,
        id.origin,
    )
}

/// `best(ids(p, a, b))`: the identity among those overlapping `[a, b]` that
/// prices the person.
pub fn best<'a>(
    policy: &Policy,
    identities: &'a [HardshipIdentity],
    a: NaiveDate,
    b: NaiveDate,
) -> Best<'a> {
    let chosen = identities
        .iter()
        .filter(|i| i.overlaps(a, b))
        .min_by_key(|i| rank(policy, i));
    match chosen {
        Some(i) => {
            let tier = policy.tier_of(i.category);
            Best {
                tier,
                identity: Some(i),
                personal: policy.personal(tier),
            }
        }
        None => Best {
            tier: None,
            identity: None,
            personal: policy.ordinary,
        },
    }
}

/// R1: what the person owes at `t`. An ordinary, non-exempt resident after the
/// concentrated period pays the late-payment band for `t` (the ordinary amount
/// when no band covers `t`).
pub fn due_at<'a>(
    policy: &Policy,
    identities: &'a [HardshipIdentity],
    t: NaiveDate,
    exempt: bool,
) -> (Fen, Best<'a>) {
    let b = best(policy, identities, t, t);
    let due = if b.is_subsidised() {
        b.personal
    } else if t > policy.c1 && !exempt {
        policy.band_for(t).unwrap_or(policy.ordinary)
    } else {
        policy.ordinary
    };
    (due, b)
}

/// The identity whose 区划代码 places a person (R5, R7, R8's hardship groups):
/// the one that gives `best` at `t`; with only untiered identities, the lowest
/// county among them.
pub fn recognition<'a>(
    policy: &Policy,
    identities: &'a [HardshipIdentity],
    t: NaiveDate,
) -> Option<&'a HardshipIdentity> {
    best(policy, identities, t, t).identity.or_else(|| {
        identities
            .iter()
            .filter(|i| i.overlaps(t, t))
            .min_by_key(|i| (&i.county, i.start, i.origin))
    })
}
