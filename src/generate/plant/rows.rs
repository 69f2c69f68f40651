//! The expected rows, one builder per list, naming the columns (English
//! header keys, `--header-lang en`) the checker compares.

use chrono::NaiveDate;

use super::spec::{day, yuan};
use super::{Ctx, Expect};
use crate::domain::Fen;

fn s(v: &str) -> String {
    v.to_string()
}

/// A row of `refunds.csv`.
pub fn refund(
    county: &str,
    reason: &'static str,
    paid: Fen,
    amount: Fen,
    pay_date: Option<NaiveDate>,
    (status, deadline): (&'static str, String),
) -> Expect {
    let rule = if reason == "HARDSHIP_DIFF" {
        "R2"
    } else {
        "R3"
    };
    Expect {
        rule,
        list: "refunds.csv",
        fields: vec![
            ("county_code", s(county)),
            ("reason", s(reason)),
            ("paid_amount", yuan(paid)),
            ("pay_date", pay_date.map(day).unwrap_or_default()),
            ("refund_amount", yuan(amount)),
            ("status", s(status)),
            ("deadline", deadline),
        ],
    }
}

/// A row of `rerating.csv`: the new category is compared when it is a tier.
pub fn rerate(c: &Ctx, county: &str, old_due: Fen, new_cat: Option<&str>) -> Expect {
    let new_due = c.due_at_t(new_cat);
    let mut fields = vec![
        ("county_code", s(county)),
        ("old_due", yuan(old_due)),
        ("new_due", yuan(new_due)),
        ("difference", yuan(Fen(new_due.0 - old_due.0))),
    ];
    // A tiered category is named; no identity is `ordinary`; an untiered
    // identity prices as ordinary and its printed name is not compared.
    match new_cat {
        Some(k) if c.tier(k).is_some() => fields.push(("new_category", s(k))),
        None => fields.push(("new_category", s("ordinary"))),
        Some(_) => {}
    }
    Expect {
        rule: "R4",
        list: "rerating.csv",
        fields,
    }
}

/// A row of `missing_enrollment.csv`.
pub fn missing(
    c: &Ctx,
    county: &str,
    cat: Option<&str>,
    due: Fen,
    registered: bool,
    since: NaiveDate,
) -> Expect {
    let mut fields = vec![
        ("county_code", s(county)),
        ("due_amount", yuan(due)),
        (
            "registration",
            s(if registered {
                "登记未缴费"
            } else {
                "未登记"
            }),
        ),
        ("newborn", s(if c.newborn() { "是" } else { "否" })),
    ];
    if let Some(k) = cat.filter(|k| c.tier(k).is_some()) {
        fields.push(("category", s(k)));
    }
    // Newborns inside the window may always enrol (both seeds' dynamic rules).
    if c.newborn() {
        fields.push(("dynamic_open", s("是")));
    } else if let Some(open) = c.dynamic_open(cat, since) {
        fields.push(("dynamic_open", s(open)));
    }
    Expect {
        rule: "R5",
        list: "missing_enrollment.csv",
        fields,
    }
}

/// A row of `transfers.csv`: recognised in `from`, enrolled in `to`.
pub fn transfer(from: &str, to: &str) -> Expect {
    Expect {
        rule: "R7",
        list: "transfers.csv",
        fields: vec![("county_code", s(from)), ("enrolled_county_code", s(to))],
    }
}

/// A row of `late_payment.csv` for a payment of `paid` on `d`.
#[allow(clippy::too_many_arguments)]
pub fn late(
    c: &Ctx,
    county: &str,
    d: NaiveDate,
    paid: Fen,
    gap: u32,
    repair: u32,
    recorded: Option<NaiveDate>,
    no_history: bool,
) -> Expect {
    let amount = c.expected_amount(d);
    let start = c.expected_start(d, gap, repair);
    let mut flags = Vec::new();
    if paid != amount {
        flags.push("AMOUNT_MISMATCH");
    }
    if recorded.is_some_and(|r| r != start) {
        flags.push("START_MISMATCH");
    }
    if no_history {
        flags.push("NO_HISTORY");
    }
    Expect {
        rule: "R6",
        list: "late_payment.csv",
        fields: vec![
            ("county_code", s(county)),
            ("pay_date", day(d)),
            ("paid_amount", yuan(paid)),
            ("gap_years", gap.to_string()),
            ("expected_amount", yuan(amount)),
            ("expected_start", day(start)),
            ("flags", flags.join(";")),
        ],
    }
}

/// The rows of `subsidy_detail.csv` (one per payer of `cat`'s tier) for a
/// row that paid `paid`.
pub fn subsidy(c: &Ctx, county: &str, cat: &str, paid: Fen) -> Vec<Expect> {
    let status = c.subsidy_status(cat, paid);
    c.payers(Some(cat))
        .into_iter()
        .map(|(payer, amount)| Expect {
            rule: "R9",
            list: "subsidy_detail.csv",
            fields: vec![
                ("county_code", s(county)),
                ("category", s(cat)),
                ("payer", payer),
                ("subsidy_amount", yuan(amount)),
                ("subsidy_status", s(status)),
            ],
        })
        .collect()
}

/// A row of `conflicts.csv`.
pub fn conflict(code: &str) -> Expect {
    Expect {
        rule: "R4",
        list: "conflicts.csv",
        fields: vec![("conflict", s(code))],
    }
}
