//! Shapes for R7 (transfers), R9 (subsidies: due-0 rows, several payers)
//! and controls that must appear nowhere (an ordinary payer, an identity the
//! policy gives no tier).

use chrono::NaiveDate;

use super::rows::subsidy;
use super::spec::ymd;
use super::{always, ident, Ctx, Enr, Planted, Shape, CATEGORIES};
use crate::domain::Fen;
use crate::policy::Policy;

pub fn shapes() -> Vec<Shape> {
    let s = Shape::adult;
    vec![
        s("r7_transfer", always, transferred),
        s("r7_same_county_9digit_code", always, same_county_long_code),
        s("r9_due0_blank_date_settled", always, due0_blank_date),
        s("r9_severe_disability_payers", always, severe_disability),
        s("r1_ordinary_payer_nowhere", always, ordinary_payer),
        s(
            "r1_untiered_identity_nowhere",
            has_untiered,
            untiered_identity,
        ),
    ]
}

/// A 390 row for `Y` rated `cat`, paid its tier amount in the period.
fn paid_tier(c: &Ctx, cat: &'static str) -> Vec<Enr> {
    let mut rows = c.history();
    let mut r = Enr::resident(c.y, c.home, c.personal(cat), Some(c.d_in()));
    r.rating = Some(cat);
    rows.push(r);
    rows
}

/// 低保 recognised in another county, enrolled and paid at home: R7 lists
/// the move ([`Ctx::transfers`]); R9 subsidises in the enrollment county.
fn transferred(c: &Ctx) -> Planted {
    Planted::of(
        vec![ident("dibao", ymd(c.y - 2, 3, 1), None, c.other)],
        paid_tier(c, "dibao"),
        subsidy(c, c.home, "dibao", c.personal("dibao")),
    )
}

/// The roster's 区划代码 is the home county's 9-digit code: same county.
fn same_county_long_code(c: &Ctx) -> Planted {
    let code = format!("{}003", c.home);
    Planted::of(
        vec![ident("dibao", ymd(c.y - 2, 3, 1), None, &code)],
        paid_tier(c, "dibao"),
        subsidy(c, c.home, "dibao", c.personal("dibao")),
    )
}

/// 特困, a due-0 row 参保缴费 with no 缴费日期 (`d` = `C1`): settled subsidy.
fn due0_blank_date(c: &Ctx) -> Planted {
    let mut rows = c.history();
    let mut r = Enr::resident(c.y, c.home, Fen::ZERO, None);
    r.rating = Some("tekun");
    r.paid = Some(Fen::ZERO);
    rows.push(r);
    Planted::of(
        vec![ident("tekun", ymd(c.y - 6, 4, 1), None, c.home)],
        rows,
        subsidy(c, c.home, "tekun", Fen::ZERO),
    )
}

/// 一级残疾, paid the tier amount: one subsidy row per payer of the tier.
fn severe_disability(c: &Ctx) -> Planted {
    Planted::of(
        vec![ident("disabled_g1", ymd(c.y - 8, 9, 1), None, c.home)],
        paid_tier(c, "disabled_g1"),
        subsidy(c, c.home, "disabled_g1", c.personal("disabled_g1")),
    )
}

/// An ordinary resident, five covered years, paid in the period: no list.
fn ordinary_payer(c: &Ctx) -> Planted {
    let mut rows = c.history();
    rows.push(Enr::resident(c.y, c.home, c.ordinary(), Some(c.d_in())));
    Planted::of(Vec::new(), rows, Vec::new())
}

/// A category the policy gives no tier (Ningxia 事实无人抚养儿童, Hulunbuir
/// 已脱贫人口).
fn untiered(p: &Policy) -> Option<&'static str> {
    CATEGORIES.into_iter().find(|code| {
        p.vocab
            .category(code)
            .is_some_and(|k| !p.tiers.iter().any(|t| t.categories.contains(&k)))
            && !code.starts_with("disabled_g")
    })
}

fn has_untiered(p: &Policy, _: NaiveDate) -> bool {
    untiered(p).is_some()
}

/// An untiered identity and an ordinary payment in the period: ordinary for
/// amounts, so no refund, no subsidy.
fn untiered_identity(c: &Ctx) -> Planted {
    let cat = untiered(c.policy).unwrap_or("defacto_orphan");
    let mut rows = c.history();
    rows.push(Enr::resident(c.y, c.home, c.ordinary(), Some(c.d_in())));
    Planted::of(
        vec![ident(cat, ymd(c.y - 3, 2, 1), None, c.home)],
        rows,
        Vec::new(),
    )
}
