//! R1 — the tier that prices a person (就高不就低: one tier only).
//!
//! `best(set)` is the identity with the lowest personal amount; ties go to the
//! policy's tier order, and within one tier to the first category in the
//! policy's list. An identity whose category the policy gives no tier counts
//! as ordinary. Issue 14: amounts are those of a (county, grade) — the
//! enrollment row's 参保区划代码 and 缴费档次 where a row is priced, else
//! each identity's own county at the policy's default grade.

use chrono::NaiveDate;

use crate::domain::{County, Fen};
use crate::ingest::HardshipIdentity;
use crate::policy::priced::Tiered;
use crate::policy::{CountyKey, GradeRef, Policy, Price};

/// Where and at which grade a person is priced.
#[derive(Debug, Clone, Copy)]
pub struct At {
    /// `None`: each identity in its own recognition county.
    pub county: Option<County>,
    pub grade: GradeRef,
}

impl At {
    /// An enrollment row's county and grade (R2, R4, R6, R9).
    pub fn row(r: &crate::ingest::EnrollmentRow) -> At {
        At {
            county: Some(r.county),
            grade: r.grade,
        }
    }

    /// Each identity in its own county, at the policy's default grade (the
    /// recognition of R5, R7, R8).
    pub fn own(policy: &Policy) -> At {
        At {
            county: None,
            grade: policy.default_grade(),
        }
    }
}

/// The outcome of `best`: the tier (`None` = ordinary) and the identity that
/// justifies it (for an ordinary result, the first untiered identity, if any).
#[derive(Debug, Clone)]
pub struct Best<'a> {
    /// A tier that subsidises this grade in this county; `None` = ordinary.
    pub tier: Option<usize>,
    pub identity: Option<&'a HardshipIdentity>,
    /// The grade's full amount, the person's part and each payer's.
    pub price: Price<'a>,
    /// The county the price is that of.
    pub county: Option<County>,
}

impl Best<'_> {
    pub fn is_subsidised(&self) -> bool {
        self.tier.is_some()
    }

    /// What the person pays (应缴个人部分).
    pub fn personal(&self) -> Fen {
        self.price.personal
    }

    /// The payer codes, in the policy's order (empty for ordinary).
    pub fn payer_codes(&self) -> impl Iterator<Item = &str> + '_ {
        self.price.payers.iter().map(|(c, _)| *c)
    }
}

/// The tier of category `c` in `county`, and its price at `grade`; a tier
/// that does not subsidise that grade there prices as ordinary (`None`).
pub fn priced(
    policy: &Policy,
    county: impl CountyKey + Copy,
    grade: GradeRef,
    c: crate::domain::Category,
) -> (Option<usize>, Price<'_>) {
    let tier = policy.tier_in(county, c);
    let price = policy.price(county, grade, tier);
    if price.payers.is_empty() {
        (None, price)
    } else {
        (tier, price)
    }
}

/// Sort key of an identity for `best`: personal amount, tier order, position
/// in the tier's list, then county, start and origin so the choice is stable.
type Rank = (Fen, usize, usize, County, NaiveDate, crate::ingest::Origin);

/// An identity's tier and price as ranked: from the policy's table
/// (issue 15: no look-ups, and the price is built only for the chosen one),
/// or priced directly for a category the table does not hold.
enum Ranked<'p> {
    Table(Tiered<'p>),
    Direct(Option<usize>, Price<'p>),
}

impl<'p> Ranked<'p> {
    fn tier(&self) -> Option<usize> {
        match self {
            Ranked::Table(t) => t.tier,
            Ranked::Direct(t, _) => *t,
        }
    }

    fn into_price(self) -> Price<'p> {
        match self {
            Ranked::Table(t) => t.price(),
            Ranked::Direct(_, p) => p,
        }
    }
}

fn rank<'p>(policy: &'p Policy, id: &HardshipIdentity, at: At) -> (Rank, Ranked<'p>) {
    let county = at.county.unwrap_or(id.county);
    let (personal, pos, ranked) = match policy.price_table().get(county, at.grade, id.category) {
        Some(t) => (t.personal, t.pos, Ranked::Table(t)),
        None => {
            let (tier, price) = priced(policy, county, at.grade, id.category);
            let pos = policy.place_in_tier(tier, id.category);
            (price.personal, pos, Ranked::Direct(tier, price))
        }
    };
    let key = (
        personal,
        ranked.tier().unwrap_or(usize::MAX),
        pos,
        id.county,
        id.start,
        id.origin,
    );
    (key, ranked)
}

/// `best(ids(p, a, b))`: the identity among those overlapping `[a, b]` that
/// prices the person, at `at`. With no identity, the ordinary price of the
/// grade in `at`'s county (`fallback` when `at` names none).
pub fn best<'a>(
    policy: &'a Policy,
    identities: &'a [HardshipIdentity],
    (a, b): (NaiveDate, NaiveDate),
    at: At,
    fallback: County,
) -> Best<'a> {
    let chosen = identities
        .iter()
        .filter(|i| i.overlaps(a, b))
        .map(|i| (rank(policy, i, at), i))
        .min_by(|x, y| x.0 .0.cmp(&y.0 .0));
    match chosen {
        Some(((_, ranked), i)) => Best {
            tier: ranked.tier(),
            identity: Some(i),
            price: ranked.into_price(),
            county: Some(at.county.unwrap_or(i.county)),
        },
        None => {
            let county = at.county.unwrap_or(fallback);
            Best {
                tier: None,
                identity: None,
                price: policy.price(county, at.grade, None),
                county: Some(county),
            }
        }
    }
}

/// `best(…).is_subsidised()`: never without identities, where `best` would
/// price the ordinary grade for nothing (issue 15).
pub fn subsidised(
    policy: &Policy,
    identities: &[HardshipIdentity],
    window: (NaiveDate, NaiveDate),
    at: At,
    fallback: County,
) -> bool {
    !identities.is_empty() && best(policy, identities, window, at, fallback).is_subsidised()
}

/// R1: what the person owes at `t`, priced in `county` at `grade`. An
/// ordinary, non-exempt resident after the concentrated period pays the
/// grade's late-payment band for `t` (its full amount when no band covers `t`).
pub fn due_at<'a>(
    policy: &'a Policy,
    identities: &'a [HardshipIdentity],
    t: NaiveDate,
    exempt: bool,
    (county, grade): (County, GradeRef),
) -> (Fen, Best<'a>) {
    let at = At {
        county: Some(county),
        grade,
    };
    let b = best(policy, identities, (t, t), at, county);
    let due = if b.is_subsidised() {
        b.personal()
    } else if t > policy.c1 && !exempt {
        policy.band_for_in(county, grade, t).unwrap_or(b.price.full)
    } else {
        b.price.full
    };
    (due, b)
}

/// The identity whose 区划代码 places a person (R5, R7, R8's hardship groups):
/// the one that gives `best` at `t` (each in its own county, default grade);
/// with only untiered identities, the lowest county among them (their rank).
pub fn recognition<'a>(
    policy: &'a Policy,
    identities: &'a [HardshipIdentity],
    t: NaiveDate,
) -> Option<&'a HardshipIdentity> {
    // Without identities, none: no need to price the ordinary grade.
    if identities.is_empty() {
        return None;
    }
    best(
        policy,
        identities,
        (t, t),
        At::own(policy),
        County::UNPLACED,
    )
    .identity
}
