//! R4 — re-rating (重新核定) of unpaid resident rows whose 核定类别 no longer
//! matches the person's identities at `T`, and the UNSUPPORTED_RATING doubt on
//! paid rows priced below ordinary with no identity behind them.

use super::refund::{pricing_window, Basis};
use super::tier::{best, due_at, priced, At};
use super::{Conflict, ConflictCode, PersonFile, RunDates};
use crate::domain::County;
use crate::domain::{Category, EnrollStatus, Fen, PersonId};
use crate::i18n::Msg;
use crate::ingest::{EnrollmentRow, Origin};
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
    /// The new tier's payers and amounts for the row's county and grade.
    pub new_payers: Vec<(String, Fen)>,
    pub new_due: Fen,
    /// Issue 14: the row's population and grade — kept: a re-rating never
    /// changes the grade the person chose.
    pub grade: crate::policy::GradeRef,
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
        if row.is_paid() {
            // Paid rows are never re-rated; a price below the grade's full
            // amount that no identity over the pricing window supports is a
            // doubt to review.
            unsupported(policy, p, row, conflicts);
            continue;
        }
        if row.status == EnrollStatus::Terminated {
            continue;
        }
        if let Some(item) = rerate(policy, dates, p, row) {
            out.push(item);
        }
    }
}

/// UNSUPPORTED_RATING: a paid row priced below its grade's full amount that
/// no identity over the pricing window supports.
fn unsupported(
    policy: &Policy,
    p: &PersonFile<'_>,
    row: &EnrollmentRow,
    conflicts: &mut Vec<Conflict>,
) {
    let full = policy.price(row.county, row.grade, None).full;
    if row.due >= full {
        return;
    }
    let (a, b) = pricing_window(policy, row.pay_date);
    let best = best(policy, p.identities, (a, b), At::row(row), row.county);
    if best.personal() <= row.due {
        return;
    }
    let least = best.personal();
    conflicts.push(Conflict::at(
        row.origin,
        p.id.clone(),
        &row.name,
        ConflictCode::UnsupportedRating,
        Msg::new(
            format!(
                "按“{}”缴费 {}（应缴 {}），但 {a} 至 {b} 间没有身份支持低于 {least} 的金额；请人工复核核定类别（本工具不会自行向群众追缴）",
                row.rating_text, row.paid, row.due
            ),
            format!(
                "paid {} as `{}` (due {}), but no identity from {a} to {b} gives less than {least}; review the rating, the tool asks no citizen for money",
                row.paid, row.rating_text, row.due
            ),
        ),
    ));
}

/// R4 for one unpaid row: the amount and payers of its own grade at `T`
/// (issue 14: a wrong amount for the chosen grade is re-rated; the grade
/// itself never changes).
fn rerate(
    policy: &Policy,
    dates: RunDates,
    p: &PersonFile<'_>,
    row: &EnrollmentRow,
) -> Option<ReratingItem> {
    let exempt = band_exempt(policy, p, dates.t, row.dynamic_group.as_deref());
    let (new_due, b) = due_at(
        policy,
        p.identities,
        dates.t,
        exempt,
        (row.county, row.grade),
    );
    let rated_payers = row
        .rating
        .map(|c| priced(policy, row.county, row.grade, c).1.payers)
        .unwrap_or_default();
    let payers_changed = rated_payers
        .iter()
        .map(|(code, _)| *code)
        .ne(b.payer_codes());
    if new_due == row.due && !payers_changed {
        return None;
    }
    let new_category = b.tier.and(b.identity.map(|i| i.category));
    let note = match (b.tier, new_due == row.due) {
        (None, _) if new_due != b.price.full => {
            format!("集中征缴期后普通居民按补缴标准 {new_due}")
        }
        (None, _) => "T 时无有效资助身份, 按普通居民核定".to_string(),
        (Some(_), true) => "金额不变, 资助方不同".to_string(),
        (Some(_), false) => String::new(),
    };
    Some(ReratingItem {
        county: row.county,
        person: p.id.clone(),
        name: p.name().to_string(),
        year: row.year,
        old_rating_text: row.rating_text.as_str().to_owned(),
        old_category: row.rating,
        old_due: row.due,
        new_category,
        new_tier: b.tier,
        new_payers: b
            .price
            .payers
            .iter()
            .map(|(code, fen)| ((*code).to_owned(), *fen))
            .collect(),
        new_due,
        grade: row.grade,
        difference: new_due - row.due,
        basis: if b.tier.is_some() {
            Basis::of(&b)
        } else {
            None
        },
        origin: row.origin,
        note,
    })
}
