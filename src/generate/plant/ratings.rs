//! Shapes for R4 (re-rating: up, down, sideways by payers, not at all) and
//! R5 (missing enrollment, newborns at the window's edges, 310-only and
//! 异地参保 newborns — #12 classes 1 and 2).

use chrono::{Duration, NaiveDate};

use super::rows::{conflict, missing, rerate};
use super::spec::ymd;
use super::{always, ident, Birth, Ctx, Enr, Person, Planted, Shape, CATEGORIES};
use crate::domain::Fen;
use crate::policy::Policy;

pub fn shapes() -> Vec<Shape> {
    let s = Shape::adult;
    let nb = |name, days, build| Shape {
        name,
        applies: always,
        birth: Birth::DaysBeforeT(days),
        build,
    };
    vec![
        s("r4_up_identity_exited", always, up_identity_exited),
        s("r4_down_identity_held", always, down_identity_held),
        s(
            "r4_sideways_other_payers",
            has_payer_pair,
            sideways_other_payers,
        ),
        s(
            "r4_same_tier_other_name",
            has_tier_mate,
            same_tier_other_name,
        ),
        s("r4_risk_cleared_alleviated", always, risk_cleared),
        s(
            "r4_rating_without_identity",
            always,
            rating_without_identity,
        ),
        s("r4_paid_unsupported_rating", always, paid_unsupported),
        s("r5_tekun_no_row", always, tekun_no_row),
        s(
            "r5_recognised_after_c1",
            super::after_c1,
            recognised_after_c1,
        ),
        s("r5_registered_unpaid", always, registered_unpaid),
        s("r5_elsewhere_identity", always, elsewhere_identity),
        s("r5_dead_identity_holder", always, dead_identity_holder),
        nb("r5_newborn_born_on_t", |_, _| 0, newborn_no_row),
        nb(
            "r5_newborn_window_edge",
            |p, _| i64::from(p.newborn_days),
            newborn_no_row,
        ),
        nb(
            "r5_newborn_past_window",
            |p, _| i64::from(p.newborn_days) + 1,
            newborn_no_row,
        ),
        nb(
            "r5_newborn_identity_no_row",
            |_, _| 40,
            newborn_identity_no_row,
        ),
        nb("r5_newborn_310_only", |_, _| 20, newborn_310_only),
        nb("r5_newborn_elsewhere", |_, _| 30, newborn_elsewhere),
        nb("r5_newborn_paid_390", |_, _| 30, newborn_paid),
    ]
}

fn unpaid(c: &Ctx, rating: Option<&'static str>, due: Fen) -> Enr {
    let mut r = Enr::resident(c.y, c.home, due, None);
    r.rating = rating;
    r
}

fn person(ids: Vec<super::Ident>, rows: Vec<Enr>) -> Person {
    Planted::of(ids, rows, Vec::new()).person
}

/// Worked example 4: rated 低保, unpaid, 低保 exited 15 December → at `T` no
/// identity: re-rated to ordinary (the band for `T` after `C1`); not missing.
fn up_identity_exited(c: &Ctx) -> Planted {
    let p = c.personal("dibao");
    let ids = vec![ident(
        "dibao",
        ymd(c.y - 3, 5, 1),
        Some(ymd(c.y - 1, 12, 15)),
        c.home,
    )];
    let mut rows = c.history();
    rows.push(unpaid(c, Some("dibao"), p));
    Planted {
        person: person(ids, rows),
        expect: vec![rerate(c, c.home, p, None)],
    }
}

/// Registered as 普通居民, unpaid, 低保 for two years → re-rated down to
/// 低保, and listed missing (登记未缴费) at the tier amount.
fn down_identity_held(c: &Ctx) -> Planted {
    let start = ymd(c.y - 2, 6, 1);
    let ids = vec![ident("dibao", start, None, c.home)];
    let mut rows = c.history();
    rows.push(unpaid(c, None, c.ordinary()));
    let p = c.personal("dibao");
    Planted {
        person: person(ids, rows),
        expect: vec![
            rerate(c, c.home, c.ordinary(), Some("dibao")),
            missing(c, c.home, Some("dibao"), p, true, start),
        ],
    }
}

/// Two categories whose tiers ask the same personal amount of different
/// payers (Hulunbuir: 低保 医疗救助 200 vs 重度残疾 残联+医疗救助 200).
fn payer_pair(p: &Policy) -> Option<(&'static str, &'static str)> {
    let tier = |code: &str| {
        let c = p.vocab.category(code)?;
        p.tiers.iter().position(|t| t.categories.contains(&c))
    };
    for a in CATEGORIES {
        for b in CATEGORIES {
            if let (Some(i), Some(j)) = (tier(a), tier(b)) {
                let (ti, tj) = (&p.tiers[i], &p.tiers[j]);
                if i < j && ti.personal == tj.personal && ti.payers.keys().ne(tj.payers.keys()) {
                    return Some((a, b));
                }
            }
        }
    }
    None
}

fn has_payer_pair(p: &Policy, _: NaiveDate) -> bool {
    payer_pair(p).is_some()
}

/// Rated with one tier, holding another of the same amount but other payers:
/// re-rated (difference 0), and missing at that amount.
fn sideways_other_payers(c: &Ctx) -> Planted {
    let (held, rated) = payer_pair(c.policy).unwrap_or(("dibao", "disabled_g1"));
    let start = ymd(c.y - 2, 6, 1);
    let mut rows = c.history();
    rows.push(unpaid(c, Some(rated), c.personal(rated)));
    Planted {
        person: person(vec![ident(held, start, None, c.home)], rows),
        expect: vec![
            rerate(c, c.home, c.personal(rated), Some(held)),
            missing(c, c.home, Some(held), c.personal(held), true, start),
        ],
    }
}

/// Another category of 低保's own tier (same amount, same payers).
fn tier_mate(p: &Policy) -> Option<&'static str> {
    let dibao = p.vocab.category("dibao")?;
    let t = p.tiers.iter().find(|t| t.categories.contains(&dibao))?;
    CATEGORIES.into_iter().find(|c| {
        *c != "dibao"
            && p.vocab
                .category(c)
                .is_some_and(|k| t.categories.contains(&k))
    })
}

fn has_tier_mate(p: &Policy, _: NaiveDate) -> bool {
    tier_mate(p).is_some()
}

/// Rated with a category of the same tier as the 低保 held: not a re-rating.
fn same_tier_other_name(c: &Ctx) -> Planted {
    let mate = tier_mate(c.policy).unwrap_or("dibao");
    let start = ymd(c.y - 2, 6, 1);
    let mut rows = c.history();
    rows.push(unpaid(c, Some(mate), c.personal(mate)));
    Planted {
        person: person(vec![ident("dibao", start, None, c.home)], rows),
        expect: vec![missing(
            c,
            c.home,
            Some("dibao"),
            c.personal("dibao"),
            true,
            start,
        )],
    }
}

/// Worked example 6: 脱贫不稳定户 with 风险消除日期 `Y`-1-06-30, rated
/// monitored_unstable, unpaid → at `T` poverty_alleviated: re-rated to its
/// amount (ordinary where it has no tier), and missing.
fn risk_cleared(c: &Ctx) -> Planted {
    let cleared = ymd(c.y - 1, 6, 30);
    let ids = vec![ident(
        "monitored_unstable",
        ymd(c.y - 5, 3, 1),
        Some(cleared),
        c.home,
    )];
    let old = c.personal("monitored_unstable");
    let mut rows = c.history();
    rows.push(unpaid(c, Some("monitored_unstable"), old));
    let new_due = c.due_at_t(Some("poverty_alleviated"));
    let mut expect = Vec::new();
    if new_due != old
        || c.payers(Some("monitored_unstable")) != c.payers(Some("poverty_alleviated"))
    {
        expect.push(rerate(c, c.home, old, Some("poverty_alleviated")));
    }
    expect.push(missing(
        c,
        c.home,
        Some("poverty_alleviated"),
        new_due,
        true,
        cleared,
    ));
    Planted {
        person: person(ids, rows),
        expect,
    }
}

/// Rated 低保, unpaid, no identity at all → re-rated to ordinary; not missing.
fn rating_without_identity(c: &Ctx) -> Planted {
    let p = c.personal("dibao");
    let mut rows = c.history();
    rows.push(unpaid(c, Some("dibao"), p));
    Planted {
        person: person(Vec::new(), rows),
        expect: vec![rerate(c, c.home, p, None)],
    }
}

/// Rated 低保 and paid the tier amount, no identity: paid rows are never
/// re-rated; UNSUPPORTED_RATING for review; no subsidy (w holds no identity).
fn paid_unsupported(c: &Ctx) -> Planted {
    let p = c.personal("dibao");
    let mut rows = c.history();
    let mut r = Enr::resident(c.y, c.home, p, Some(c.d_in()));
    r.rating = Some("dibao");
    rows.push(r);
    Planted {
        person: person(Vec::new(), rows),
        expect: vec![conflict("UNSUPPORTED_RATING")],
    }
}

/// Worked example 5: 特困 since `Y`-6, no row for `Y` → missing, due 0, 未登记.
fn tekun_no_row(c: &Ctx) -> Planted {
    let start = ymd(c.y - 6, 4, 1);
    Planted {
        person: person(vec![ident("tekun", start, None, c.home)], c.history()),
        expect: vec![missing(
            c,
            c.home,
            Some("tekun"),
            c.personal("tekun"),
            false,
            start,
        )],
    }
}

/// 低保 recognised ten days after `C1`, no row: missing, dynamic enrollment open.
fn recognised_after_c1(c: &Ctx) -> Planted {
    let start = c.c1 + Duration::days(10);
    Planted {
        person: person(vec![ident("dibao", start, None, c.home)], c.history()),
        expect: vec![missing(
            c,
            c.home,
            Some("dibao"),
            c.personal("dibao"),
            false,
            start,
        )],
    }
}

/// 低保, registered at the tier amount, unpaid: missing (登记未缴费), no re-rating.
fn registered_unpaid(c: &Ctx) -> Planted {
    let start = ymd(c.y - 2, 6, 1);
    let p = c.personal("dibao");
    let mut rows = c.history();
    rows.push(unpaid(c, Some("dibao"), p));
    Planted {
        person: person(vec![ident("dibao", start, None, c.home)], rows),
        expect: vec![missing(c, c.home, Some("dibao"), p, true, start)],
    }
}

/// 低保 insured in another province (异地参保), no row: covered, never listed.
fn elsewhere_identity(c: &Ctx) -> Planted {
    let mut p = person(
        vec![ident("dibao", ymd(c.y - 2, 6, 1), None, c.home)],
        c.history(),
    );
    p.elsewhere = true;
    Planted {
        person: p,
        expect: Vec::new(),
    }
}

/// 特困 who died 20 days before `T`, no row: not alive, not missing.
fn dead_identity_holder(c: &Ctx) -> Planted {
    let mut p = person(
        vec![ident("tekun", ymd(c.y - 6, 4, 1), None, c.home)],
        c.history(),
    );
    p.died = Some(c.t - Duration::days(20));
    Planted {
        person: p,
        expect: Vec::new(),
    }
}

/// A newborn (by the window) with no row: missing at the ordinary amount;
/// one day past the window: nobody's business.
fn newborn_no_row(c: &Ctx) -> Planted {
    let expect = if c.newborn() {
        vec![missing(c, c.home, None, c.ordinary(), false, c.birth)]
    } else {
        Vec::new()
    };
    Planted {
        person: Person::default(),
        expect,
    }
}

/// A newborn holding 低保 from birth, no row: missing at the tier amount.
fn newborn_identity_no_row(c: &Ctx) -> Planted {
    let p = c.personal("dibao").min(c.ordinary());
    Planted {
        person: person(vec![ident("dibao", c.birth, None, c.home)], Vec::new()),
        expect: vec![missing(c, c.home, Some("dibao"), p, false, c.birth)],
    }
}

/// #12 class 1: a newborn holding 低保 whose only row for `Y` is an active
/// 310 row: "no paid 390 row" → listed anyway, at the tier amount.
fn newborn_310_only(c: &Ctx) -> Planted {
    let mut e = Enr::resident(
        c.y,
        c.home,
        Fen::yuan(3600),
        Some(c.birth + Duration::days(1)),
    );
    e.scheme = "310";
    let p = c.personal("dibao").min(c.ordinary());
    Planted {
        person: person(vec![ident("dibao", c.birth, None, c.home)], vec![e]),
        expect: vec![missing(c, c.home, Some("dibao"), p, false, c.birth)],
    }
}

/// #12 class 2: a newborn in the 异地参保 list, no row: never listed by R5.
fn newborn_elsewhere(_: &Ctx) -> Planted {
    Planted {
        person: Person {
            elsewhere: true,
            ..Person::default()
        },
        expect: Vec::new(),
    }
}

/// A newborn paid the ordinary amount five days after birth: covered, and
/// exempt from R6 inside the window.
fn newborn_paid(c: &Ctx) -> Planted {
    let d = c.birth + Duration::days(5);
    Planted {
        person: person(
            Vec::new(),
            vec![Enr::resident(c.y, c.home, c.ordinary(), Some(d))],
        ),
        expect: Vec::new(),
    }
}
