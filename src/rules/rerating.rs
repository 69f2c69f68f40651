//! R4 — re-rating (重新核定) of unpaid resident rows whose 核定类别 no longer
//! matches the person's identities at `T`, and the UNSUPPORTED_RATING doubt on
//! paid rows priced below ordinary with no identity behind them.

use super::refund::{pricing_window, Basis};
use super::tier::{best, due_at};
use super::{Conflict, ConflictCode, PersonFile, RunDates};
use crate::domain::County;
use crate::domain::{Category, EnrollStatus, Fen, PersonId};
use crate::i18n::Msg;
use crate::ingest::Origin;
use crate::policy::Policy;

/// One line of `rerating.csv`.
#[derive(Debug, Clone)]
pub struct ReratingItem {
    pub county: County,
    pub person: PersonId,
    pub name: String,
    pub year: i32,
    pub old_rating_text: String,
    pub old_category: Option<Category>,
    pub old_due: Fen,
    pub new_category: Option<Category>,
    pub new_tier: Option<usize>,
    pub new_due: Fen,
    /// new − old.
    pub difference: Fen,
    pub basis: Option<Basis>,
    pub origin: Origin,
    pub note: String,
}

impl ReratingItem {
    pub fn sort_key(&self) -> (&str, &PersonId, Origin) {
        (&self.county, &self.person, self.origin)
    }
}

/// Whether this row's operator flag or the person's age exempts them from
/// late-payment prices.
pub fn band_exempt(
    policy: &Policy,
    p: &PersonFile<'_>,
    t: chrono::NaiveDate,
    flag: Option<&str>,
) -> bool {
    p.is_newborn(policy, t) || flag.is_some_and(|g| policy.dynamic.groups.iter().any(|x| x == g))
}

pub fn judge(
    policy: &Policy,
    dates: RunDates,
    p: &PersonFile<'_>,
    out: &mut Vec<ReratingItem>,
    conflicts: &mut Vec<Conflict>,
) {
    for row in p.resident_rows(dates.year) {
        let rated_tier = row.rating.and_then(|c| policy.tier_of(c));
        if row.is_paid() {
            // Paid rows are never re-rated; a price below ordinary that no
            // identity over the pricing window supports is a doubt to review.
            if row.due < policy.ordinary {
                let (a, b) = pricing_window(policy, row.pay_date);
                let best = best(policy, p.identities, a, b);
                if best.personal > row.due {
                    conflicts.push(Conflict::at(
                        row.origin,
                        p.id.clone(),
                        &row.name,
                        ConflictCode::UnsupportedRating,
                        Msg::new(
                            format!(
                                "按“{}”缴费 {}（应缴 {}），但 {a} 至 {b} 间没有身份支持低于 {} 的金额；请人工复核核定类别（本工具不会自行向群众追缴）",
                                row.rating_text, row.paid, row.due, best.personal
                            ),
                            format!(
                                "paid {} as `{}` (due {}), but no identity from {a} to {b} gives less than {}; review the rating, the tool asks no citizen for money",
                                row.paid, row.rating_text, row.due, best.personal
                            ),
                        ),
                    ));
                }
            }
            continue;
        }
        if row.status == EnrollStatus::Terminated {
            continue;
        }
        let exempt = band_exempt(policy, p, dates.t, row.dynamic_group.as_deref());
        let (new_due, b) = due_at(policy, p.identities, dates.t, exempt);
        let payers_changed = policy.payer_set(rated_tier) != policy.payer_set(b.tier);
        if new_due == row.due && !payers_changed {
            continue;
        }
        let new_category = b.tier.and(b.identity.map(|i| i.category));
        let note = match (b.tier, new_due == row.due) {
            (None, _) if new_due != policy.ordinary => {
                format!("集中征缴期后普通居民按补缴标准 {new_due}")
            }
            (None, _) => "T 时无有效资助身份, 按普通居民核定".to_string(),
            (Some(_), true) => "金额不变, 资助方不同".to_string(),
            (Some(_), false) => String::new(),
        };
        out.push(ReratingItem {
            county: row.county,
            person: p.id.clone(),
            name: p.name().to_string(),
            year: row.year,
            old_rating_text: row.rating_text.clone(),
            old_category: row.rating,
            old_due: row.due,
            new_category,
            new_tier: b.tier,
            new_due,
            difference: new_due - row.due,
            basis: if b.tier.is_some() {
                Basis::of(&b)
            } else {
                None
            },
            origin: row.origin,
            note,
        });
    }
}
