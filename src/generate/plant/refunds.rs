//! Shapes for R2 (HARDSHIP_DIFF) and R3 (DECEASED, DUPLICATE,
//! JOINED_EMPLOYEE), including #12's blank-date and void-row classes.

use chrono::{Duration, NaiveDate};

use super::rows::{refund, subsidy};
use super::spec::ymd;
use super::{always, ident, in_year, Ctx, Enr, Expect, Person, Planted, Shape};
use crate::domain::Fen;

pub fn shapes() -> Vec<Shape> {
    let s = Shape::adult;
    vec![
        s("r2_held_before_payment", always, held_before_payment),
        s(
            "r2_recognised_after_payment",
            always,
            recognised_after_payment,
        ),
        s("r2_starts_on_c1", always, starts_on_c1),
        s("r2_starts_on_payment_day", always, starts_on_payment_day),
        s("r2_ends_on_payment_day", always, ends_on_payment_day),
        s("r2_ends_on_c1", always, ends_on_c1),
        s("r2_three_depts_two_counties", always, three_departments),
        s("r2_two_tiers_tie_order", always, two_tiers),
        s("id15_roster_joins_18", always, id15_roster),
        s("id15_enrollment_joins_18", always, id15_enrollment),
        s("r3_duplicate_two_counties", always, duplicate_two_counties),
        s("r3_duplicate_same_day", always, duplicate_same_day),
        s("r3_blank_date_counts_as_c1", always, blank_date_is_c1),
        s("r3_joined_employee", always, joined_employee),
        s("r3_employee_row_suspended", always, employee_suspended),
        s(
            "r3_joined_employee_over_hardship",
            always,
            joined_over_hardship,
        ),
        s("r3_deceased", always, deceased),
        s("r3_deceased_dec31", always, deceased_last_day),
        s("r3_died_on_jan1_cutoff", in_year, died_on_cutoff),
        s("r3_deceased_two_rows", always, deceased_two_rows),
        s("r3_deceased_over_hardship", always, deceased_over_hardship),
        s("r9_deceased_due0_void", always, deceased_due0_void),
        s("r9_duplicate_one_subsidy", always, duplicate_one_subsidy),
    ]
}

/// Five covered years and a 390 row for `Y` paid the ordinary amount on `d`.
fn paid_ordinary(c: &Ctx, d: NaiveDate) -> Vec<Enr> {
    let mut rows = c.history();
    rows.push(Enr::resident(c.y, c.home, c.ordinary(), Some(d)));
    rows
}

/// R2 for an ordinary payment of `paid` on `d` priced by `cat`: refund the
/// difference (mode from the policy) and R9's subsidy for the same tier.
fn hardship(c: &Ctx, county: &str, cat: &str, paid: Fen, d: Option<NaiveDate>) -> Vec<Expect> {
    let mut v = Vec::new();
    if c.personal(cat) < paid {
        let terms = c.refund_terms(Some(&c.policy.refunds.hardship_diff));
        let amount = Fen(paid.0 - c.personal(cat).0);
        v.push(refund(county, "HARDSHIP_DIFF", paid, amount, d, terms));
    }
    if c.subsidised(cat) {
        v.extend(subsidy(c, county, cat, paid));
    }
    v
}

fn with_identity(c: &Ctx, start: NaiveDate, end: Option<NaiveDate>, d: NaiveDate) -> Person {
    Person {
        ids: vec![ident("dibao", start, end, c.home)],
        rows: paid_ordinary(c, d),
        ..Person::default()
    }
}

/// 低保 since two years before; paid 400 in the period → refund the difference.
fn held_before_payment(c: &Ctx) -> Planted {
    let d = c.d_in();
    Planted {
        person: with_identity(c, ymd(c.y - 2, 3, 1), None, d),
        expect: hardship(c, c.home, "dibao", c.ordinary(), Some(d)),
    }
}

/// Recognised ten days after paying, before `C1`: still refunded (w = [d, C1]).
fn recognised_after_payment(c: &Ctx) -> Planted {
    let d = c.d_in();
    Planted {
        person: with_identity(c, d + Duration::days(10), None, d),
        expect: hardship(c, c.home, "dibao", c.ordinary(), Some(d)),
    }
}

/// Recognised on `C1` itself: w is closed, so refunded.
fn starts_on_c1(c: &Ctx) -> Planted {
    let d = c.d_in();
    Planted {
        person: with_identity(c, c.c1, None, d),
        expect: hardship(c, c.home, "dibao", c.ordinary(), Some(d)),
    }
}

/// Recognised on the payment day: held on `d`, refunded.
fn starts_on_payment_day(c: &Ctx) -> Planted {
    let d = c.d_in();
    Planted {
        person: with_identity(c, d, None, d),
        expect: hardship(c, c.home, "dibao", c.ordinary(), Some(d)),
    }
}

/// Exited on the payment day: `[start, d)` misses `[d, C1]` → nothing owed.
fn ends_on_payment_day(c: &Ctx) -> Planted {
    let d = c.d_in();
    Planted {
        person: with_identity(c, ymd(c.y - 3, 5, 1), Some(d), d),
        expect: Vec::new(),
    }
}

/// Exited on `C1`: `[start, C1)` overlaps `[d, C1]` → refunded; no identity at `T`.
fn ends_on_c1(c: &Ctx) -> Planted {
    let d = c.d_in();
    Planted {
        person: with_identity(c, ymd(c.y - 3, 5, 1), Some(c.c1), d),
        expect: hardship(c, c.home, "dibao", c.ordinary(), Some(d)),
    }
}

/// 边缘易致贫 (agri, home), 特困 (civil, another county), 四级残疾 (home):
/// best is the lowest personal amount; R7 ([`Ctx::transfers`]) follows the
/// best record's county.
fn three_departments(c: &Ctx) -> Planted {
    let d = c.d_in();
    let ids = vec![
        ident("monitored_marginal", ymd(c.y - 3, 5, 1), None, c.home),
        ident("tekun", ymd(c.y - 4, 1, 1), None, c.other),
        ident("disabled_g4", ymd(c.y - 6, 1, 1), None, c.home),
    ];
    identities_paid_ordinary(c, ids, d)
}

/// 低保 (home) and 二级残疾 (another county): the lower amount wins, and on
/// equal amounts the policy's tier order (Hulunbuir: 医疗救助 200 first).
fn two_tiers(c: &Ctx) -> Planted {
    let d = c.d_in();
    let ids = vec![
        ident("disabled_g2", ymd(c.y - 5, 6, 1), None, c.other),
        ident("dibao", ymd(c.y - 2, 6, 1), None, c.home),
    ];
    identities_paid_ordinary(c, ids, d)
}

fn identities_paid_ordinary(c: &Ctx, ids: Vec<super::Ident>, d: NaiveDate) -> Planted {
    let cats: Vec<&str> = ids.iter().map(|i| i.cat).collect();
    let best = c.best(&cats).unwrap_or("dibao");
    let expect = hardship(c, c.home, best, c.ordinary(), Some(d));
    Planted {
        person: Person {
            ids,
            rows: paid_ordinary(c, d),
            ..Person::default()
        },
        expect,
    }
}

/// The 民政 roster spells the ID in 15 digits; the ledger in 18: one person.
fn id15_roster(c: &Ctx) -> Planted {
    let mut p = held_before_payment(c);
    p.person.roster_id15 = true;
    p
}

/// The ledger spells the ID in 15 digits; the roster in 18: one person.
fn id15_enrollment(c: &Ctx) -> Planted {
    let mut p = held_before_payment(c);
    p.person.enrollment_id15 = true;
    p
}

fn rows_only(rows: Vec<Enr>) -> Person {
    Planted::of(Vec::new(), rows, Vec::new()).person
}

fn duplicate_terms(c: &Ctx) -> (&'static str, String) {
    c.refund_terms(c.policy.refunds.duplicate.as_ref())
}

/// Paid in two counties: the earlier payment is kept, the other refunded in full.
fn duplicate_two_counties(c: &Ctx) -> Planted {
    let (d1, d2) = (c.d_in(), c.d_in() + Duration::days(5));
    let mut rows = paid_ordinary(c, d1);
    rows.push(Enr::resident(c.y, c.other, c.ordinary(), Some(d2)));
    let ord = c.ordinary();
    Planted {
        person: rows_only(rows),
        expect: vec![refund(
            c.other,
            "DUPLICATE",
            ord,
            ord,
            Some(d2),
            duplicate_terms(c),
        )],
    }
}

/// Paid on the same day in two counties: the lowest 参保区划代码 is kept.
fn duplicate_same_day(c: &Ctx) -> Planted {
    let d = c.d_in();
    let mut rows = paid_ordinary(c, d);
    rows.push(Enr::resident(c.y, c.other, c.ordinary(), Some(d)));
    let refunded = c.home.max(c.other);
    let ord = c.ordinary();
    Planted {
        person: rows_only(rows),
        expect: vec![refund(
            refunded,
            "DUPLICATE",
            ord,
            ord,
            Some(d),
            duplicate_terms(c),
        )],
    }
}

/// #12 class 4: a blank-date due-0 row in the lower county and a payment in
/// the period in the other. The blank date counts as `C1`, so the dated row is
/// kept (and refunded its hardship difference, and subsidised there); the
/// void due-0 row paid nothing and so has no refund row and no subsidy. The
/// 特困 record is in the dated row's county, so R7 lists the void row's county.
fn blank_date_is_c1(c: &Ctx) -> Planted {
    let (lo, hi) = (c.home.min(c.other), c.home.max(c.other));
    let d = c.d_in();
    let mut rows = c.history();
    let mut zero = Enr::resident(c.y, lo, Fen::ZERO, None);
    zero.rating = Some("tekun");
    zero.paid = Some(Fen::ZERO);
    rows.push(zero);
    rows.push(Enr::resident(c.y, hi, c.ordinary(), Some(d)));
    Planted {
        person: Person {
            ids: vec![ident("tekun", ymd(c.y - 6, 4, 1), None, hi)],
            rows,
            ..Person::default()
        },
        expect: hardship(c, hi, "tekun", c.ordinary(), Some(d)),
    }
}

fn employee_row(c: &Ctx, status: &'static str) -> Enr {
    let mut e = Enr::resident(c.y, c.home, Fen::yuan(3600), Some(ymd(c.y - 1, 12, 20)));
    e.scheme = "310";
    e.status = status;
    e
}

/// A paid 390 row and an active 310 row: the 390 payment is refunded in full.
fn joined_employee(c: &Ctx) -> Planted {
    let d = c.d_in();
    let mut rows = paid_ordinary(c, d);
    rows.push(employee_row(c, "参保缴费"));
    let ord = c.ordinary();
    let terms = c.refund_terms(c.policy.refunds.joined_employee.as_ref());
    Planted {
        person: rows_only(rows),
        expect: vec![refund(c.home, "JOINED_EMPLOYEE", ord, ord, Some(d), terms)],
    }
}

/// The 310 row is 暂停: not active, nothing to refund.
fn employee_suspended(c: &Ctx) -> Planted {
    let mut rows = paid_ordinary(c, c.d_in());
    rows.push(employee_row(c, "暂停"));
    Planted {
        person: rows_only(rows),
        expect: Vec::new(),
    }
}

/// 低保 holder who also joined the employee scheme: JOINED_EMPLOYEE comes
/// before HARDSHIP_DIFF (one refund per row), and the void row is never
/// subsidised.
fn joined_over_hardship(c: &Ctx) -> Planted {
    let mut p = joined_employee(c);
    p.person.ids = vec![ident("dibao", ymd(c.y - 2, 3, 1), None, c.home)];
    p
}

fn deceased_terms(c: &Ctx) -> (&'static str, String) {
    c.refund_terms(c.policy.refunds.deceased.as_ref())
}

fn died_paid(c: &Ctx, died: NaiveDate) -> Planted {
    let d = c.d_in();
    let ord = c.ordinary();
    Planted {
        person: Person {
            rows: paid_ordinary(c, d),
            died: Some(died),
            ..Person::default()
        },
        expect: vec![refund(
            c.home,
            "DECEASED",
            ord,
            ord,
            Some(d),
            deceased_terms(c),
        )],
    }
}

/// Died 15 December of `Y`-1 after paying: DECEASED, all of it.
fn deceased(c: &Ctx) -> Planted {
    died_paid(c, ymd(c.y - 1, 12, 15))
}

/// Died on the last day before the cut-off (`Y`-1-12-31): DECEASED.
fn deceased_last_day(c: &Ctx) -> Planted {
    died_paid(c, ymd(c.y - 1, 12, 31))
}

/// Died on `Y`-01-01, the cut-off itself: "before" does not hold, no refund.
fn died_on_cutoff(c: &Ctx) -> Planted {
    let mut p = died_paid(c, ymd(c.y, 1, 1));
    p.expect.clear();
    p
}

/// Died before `Y` with two paid rows: every row is void, both DECEASED
/// (DECEASED comes before DUPLICATE).
fn deceased_two_rows(c: &Ctx) -> Planted {
    let (d1, d2) = (c.d_in(), c.d_in() + Duration::days(5));
    let mut p = died_paid(c, ymd(c.y - 1, 12, 15));
    p.person
        .rows
        .push(Enr::resident(c.y, c.other, c.ordinary(), Some(d2)));
    let ord = c.ordinary();
    p.expect = vec![
        refund(c.home, "DECEASED", ord, ord, Some(d1), deceased_terms(c)),
        refund(c.other, "DECEASED", ord, ord, Some(d2), deceased_terms(c)),
    ];
    p
}

/// A 特困 person who paid 400 and died before `Y`: DECEASED (before
/// HARDSHIP_DIFF), and no subsidy for the void row.
fn deceased_over_hardship(c: &Ctx) -> Planted {
    let mut p = deceased(c);
    p.person.ids = vec![ident("tekun", ymd(c.y - 6, 4, 1), None, c.home)];
    p
}

/// #12 class 3: 特困, died before `Y`, a due-0 row 参保缴费 with no date:
/// void, paid nothing → no refund row, and never subsidised.
fn deceased_due0_void(c: &Ctx) -> Planted {
    let mut rows = c.history();
    let mut zero = Enr::resident(c.y, c.home, Fen::ZERO, None);
    zero.rating = Some("tekun");
    zero.paid = Some(Fen::ZERO);
    rows.push(zero);
    Planted {
        person: Person {
            ids: vec![ident("tekun", ymd(c.y - 6, 4, 1), None, c.home)],
            rows,
            died: Some(ymd(c.y - 1, 12, 15)),
            ..Person::default()
        },
        expect: Vec::new(),
    }
}

/// #12 class 3: 低保, paid the tier amount twice (home, then another
/// county): the second is a DUPLICATE refund, and only the kept row is
/// subsidised, whatever the refund's status. R7 lists the refunded row too:
/// it sits in another county than the recognition.
fn duplicate_one_subsidy(c: &Ctx) -> Planted {
    let (d1, d2) = (c.d_in(), c.d_in() + Duration::days(5));
    let p80 = c.personal("dibao");
    let mut rows = c.history();
    for (county, d) in [(c.home, d1), (c.other, d2)] {
        let mut r = Enr::resident(c.y, county, p80, Some(d));
        r.rating = Some("dibao");
        rows.push(r);
    }
    let mut expect = vec![refund(
        c.other,
        "DUPLICATE",
        p80,
        p80,
        Some(d2),
        duplicate_terms(c),
    )];
    expect.extend(subsidy(c, c.home, "dibao", p80));
    Planted {
        person: Person {
            ids: vec![ident("dibao", ymd(c.y - 2, 3, 1), None, c.home)],
            rows,
            ..Person::default()
        },
        expect,
    }
}
