//! Shapes for R6 (late payment and waiting periods): every flag, the bands,
//! gap years with and without 修复年数, the months summed once (#12 class
//! 5), and the exemptions (subsidised identity on the payment day, 动态参保).

use chrono::{Duration, NaiveDate};

use super::rows::{late, refund, subsidy};
use super::spec::ymd;
use super::{after_c1, always, ident, Ctx, Enr, Expect, Planted, Shape};
use crate::domain::Fen;
use crate::policy::Policy;

pub fn shapes() -> Vec<Shape> {
    let s = Shape::adult;
    vec![
        s("r6_late_on_time_start", after_c1, late_on_time),
        s("r6_latest_band", after_c1, latest_band),
        s("r6_amount_mismatch", after_c1, amount_mismatch),
        s("r6_start_mismatch", after_c1, start_mismatch),
        s("r6_no_history", after_c1, no_history),
        s("r6_gap1_in_period", always, gap1_in_period),
        s("r6_gap1_paid_jan31", after_c1, gap1_paid_jan31),
        s("r6_gap3_recorded_day_early", after_c1, gap3_day_early),
        s("r6_gap5_repair3_min_months", always, gap5_repair3),
        s("r6_gap2_unpaid_rows", always, gap2_unpaid_rows),
        s("r6_310_history_counts", always, history_310),
        s("r6_dynamic_group_exempt", has_exempt_group, dynamic_exempt),
        s(
            "r2_late_held_on_payment_day",
            after_c1,
            late_held_on_payment_day,
        ),
        s("r2_late_recognised_after", after_c1, late_recognised_after),
    ]
}

/// History with the years in `uncovered` missing (no row at all).
fn history_without(c: &Ctx, uncovered: &[i32]) -> Vec<Enr> {
    c.history()
        .into_iter()
        .filter(|r| !uncovered.contains(&r.year))
        .collect()
}

/// A 390 row for `Y` paid `amount` on `d`, with the recorded benefit start.
fn paid(c: &Ctx, amount: Fen, d: NaiveDate, recorded: Option<NaiveDate>) -> Enr {
    let mut r = Enr::resident(c.y, c.home, amount, Some(d));
    r.benefit_start = recorded;
    r
}

fn planted(rows: Vec<Enr>, expect: Vec<Expect>) -> Planted {
    Planted::of(Vec::new(), rows, expect)
}

/// Paid the band 20 days after `C1`, recorded start as expected: listed, no flag.
fn late_on_time(c: &Ctx) -> Planted {
    let d = c.d_late();
    let amount = c.expected_amount(d);
    let start = c.expected_start(d, 0, 0);
    let mut rows = c.history();
    rows.push(paid(c, amount, d, Some(start)));
    planted(
        rows,
        vec![late(c, c.home, d, amount, 0, 0, Some(start), false)],
    )
}

/// Paid on the first day of the latest band begun by `T` (Ningxia in July:
/// the 1100 band), at that band's amount.
fn latest_band(c: &Ctx) -> Planted {
    let d = c
        .policy
        .bands
        .iter()
        .map(|b| b.from)
        .filter(|f| *f <= c.t && *f > c.c1)
        .max()
        .unwrap_or(c.d_late());
    let amount = c.expected_amount(d);
    let mut rows = c.history();
    rows.push(paid(c, amount, d, None));
    planted(rows, vec![late(c, c.home, d, amount, 0, 0, None, false)])
}

/// Charged and paid 100 yuan more than the band: AMOUNT_MISMATCH.
fn amount_mismatch(c: &Ctx) -> Planted {
    let d = c.d_late();
    let amount = Fen(c.expected_amount(d).0 + 10_000);
    let mut rows = c.history();
    rows.push(paid(c, amount, d, None));
    planted(rows, vec![late(c, c.home, d, amount, 0, 0, None, false)])
}

/// Recorded start one day after the expected one: START_MISMATCH.
fn start_mismatch(c: &Ctx) -> Planted {
    let d = c.d_late();
    let amount = c.expected_amount(d);
    let recorded = c.expected_start(d, 0, 0) + Duration::days(1);
    let mut rows = c.history();
    rows.push(paid(c, amount, d, Some(recorded)));
    planted(
        rows,
        vec![late(c, c.home, d, amount, 0, 0, Some(recorded), false)],
    )
}

/// No earlier row at all: gap 0, NO_HISTORY.
fn no_history(c: &Ctx) -> Planted {
    let d = c.d_late();
    let amount = c.expected_amount(d);
    let rows = vec![paid(c, amount, d, None)];
    planted(rows, vec![late(c, c.home, d, amount, 0, 0, None, true)])
}

/// Paid in the period after a one-year gap: listed only where the policy
/// puts waits on gaps (Hulunbuir: `Y`-01-01 + 3 + 1 months).
fn gap1_in_period(c: &Ctx) -> Planted {
    let d = c.d_in();
    let mut rows = history_without(c, &[c.y - 1]);
    rows.push(paid(c, c.ordinary(), d, None));
    let expect = if c.r6_lists(d, 1) {
        vec![late(c, c.home, d, c.ordinary(), 1, 0, None, false)]
    } else {
        Vec::new()
    };
    planted(rows, expect)
}

/// #12 class 5: paid `Y`-01-31 after a one-year gap; the months are summed
/// and added once (Hulunbuir 3 + 1 → `Y`-05-31, not -05-30).
fn gap1_paid_jan31(c: &Ctx) -> Planted {
    let d = ymd(c.y, 1, 31);
    let amount = c.expected_amount(d);
    let mut rows = history_without(c, &[c.y - 1]);
    rows.push(paid(c, amount, d, None));
    planted(rows, vec![late(c, c.home, d, amount, 1, 0, None, false)])
}

/// #12 class 5: a three-year gap, paid `Y`-01-31, the ledger's start one day
/// early (Hulunbuir: 2026-07-30 for 2026-07-31): START_MISMATCH.
fn gap3_day_early(c: &Ctx) -> Planted {
    let d = ymd(c.y, 1, 31);
    let amount = c.expected_amount(d);
    let recorded = c.expected_start(d, 3, 0) - Duration::days(1);
    let mut rows = history_without(c, &[c.y - 3, c.y - 2, c.y - 1]);
    rows.push(paid(c, amount, d, Some(recorded)));
    planted(
        rows,
        vec![late(c, c.home, d, amount, 3, 0, Some(recorded), false)],
    )
}

/// Five uncovered years before a covered `Y`-6, 修复年数 3, paid in the
/// period: where gaps wait, at least the policy's minimum after ≥ 4 years.
fn gap5_repair3(c: &Ctx) -> Planted {
    let d = c.d_in();
    let mut rows = vec![c.covered_year(c.y - 6)];
    let mut r = paid(c, c.ordinary(), d, None);
    r.repair_years = 3;
    rows.push(r);
    let expect = if c.r6_lists(d, 5) {
        vec![late(c, c.home, d, c.ordinary(), 5, 3, None, false)]
    } else {
        Vec::new()
    };
    planted(rows, expect)
}

/// `Y`-2 and `Y`-1 registered but unpaid (实缴 blank): uncovered, gap 2.
fn gap2_unpaid_rows(c: &Ctx) -> Planted {
    let d = c.d_in();
    let mut rows = history_without(c, &[c.y - 2, c.y - 1]);
    for yr in [c.y - 2, c.y - 1] {
        rows.push(Enr::resident(yr, c.home, c.ordinary(), None));
    }
    rows.push(paid(c, c.ordinary(), d, None));
    let expect = if c.r6_lists(d, 2) {
        vec![late(c, c.home, d, c.ordinary(), 2, 0, None, false)]
    } else {
        Vec::new()
    };
    planted(rows, expect)
}

/// `Y`-1 an employee (310, 终止 today): any 310 history row counts as
/// covered, so no gap and nothing listed for a payment in the period.
fn history_310(c: &Ctx) -> Planted {
    let mut rows = history_without(c, &[c.y - 1]);
    let mut e = Enr::resident(c.y - 1, c.home, Fen::yuan(3600), Some(ymd(c.y - 1, 1, 15)));
    e.scheme = "310";
    e.status = "终止";
    rows.push(e);
    rows.push(paid(c, c.ordinary(), c.d_in(), None));
    planted(rows, Vec::new())
}

fn has_exempt_group(p: &Policy, t: NaiveDate) -> bool {
    after_c1(p, t)
        && p.waiting
            .exempt_dynamic_groups
            .iter()
            .any(|g| g == "veteran")
}

/// A late payer flagged 退役军人 (动态参保类别) where the policy exempts
/// veterans: not listed.
fn dynamic_exempt(c: &Ctx) -> Planted {
    let d = c.d_late();
    let mut rows = c.history();
    let mut r = paid(c, c.ordinary(), d, None);
    r.dynamic = "退役军人";
    rows.push(r);
    planted(rows, Vec::new())
}

/// Paid late, 低保 recognised that very day: exempt from R6 (subsidised on
/// `d`), and refunded the difference (held on the payment day).
fn late_held_on_payment_day(c: &Ctx) -> Planted {
    let d = c.d_late();
    let amount = c.expected_amount(d);
    let mut rows = c.history();
    rows.push(paid(c, amount, d, None));
    let terms = c.refund_terms(Some(&c.policy.refunds.hardship_diff));
    let mut expect = Vec::new();
    if c.personal("dibao") < amount {
        let diff = Fen(amount.0 - c.personal("dibao").0);
        expect.push(refund(
            c.home,
            "HARDSHIP_DIFF",
            amount,
            diff,
            Some(d),
            terms,
        ));
    }
    expect.extend(subsidy(c, c.home, "dibao", amount));
    Planted::of(vec![ident("dibao", d, None, c.home)], rows, expect)
}

/// Paid late, 低保 recognised five days later: no refund (已缴纳的个人缴费不作
/// 调整), a late-payment row, no subsidy.
fn late_recognised_after(c: &Ctx) -> Planted {
    let d = c.d_late();
    let amount = c.expected_amount(d);
    let mut rows = c.history();
    rows.push(paid(c, amount, d, None));
    let later = ident("dibao", d + Duration::days(5), None, c.home);
    Planted::of(
        vec![later],
        rows,
        vec![late(c, c.home, d, amount, 0, 0, None, false)],
    )
}
