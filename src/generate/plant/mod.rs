//! Planted answers (`generate --plant`): among the random background
//! population, persons of known shape, and an answer key (`answers.csv`)
//! beside the data saying exactly which rows each must produce — and, by
//! omission, on which lists they must not appear.
//!
//! A shape is a small function in one of `refunds`, `ratings`, `late`,
//! `others`: it describes a person (identities, enrollment rows, death,
//! 异地参保) and writes the expected rows from SPEC §4's sentences with the
//! numbers read from the policy ([`spec`]), never by calling `crate::rules`.
//! [`check`] compares a run's outputs with the key (`yibao-recon verify`).

pub mod check;
mod late;
mod others;
mod ratings;
mod refunds;
mod rows;
pub mod spec;
mod write;

pub use write::AnswerKey;

use chrono::NaiveDate;

use crate::domain::Fen;
use crate::policy::Policy;

/// The lists the key speaks about: a planted person's rows on any of them
/// must be exactly the key's (none when the key names none).
pub const LISTS: [&str; 7] = [
    "refunds.csv",
    "rerating.csv",
    "missing_enrollment.csv",
    "transfers.csv",
    "late_payment.csv",
    "subsidy_detail.csv",
    "conflicts.csv",
];

/// The header of `answers.csv`.
pub const ANSWERS_HEADER: &str = "shape,id_number,rule,list,fields";

/// What every shape may read: the policy and the run's dates, and the counties
/// the person lives in (`home`) and another one (`other`, ≠ `home` when the
/// policy has two counties).
pub struct Ctx<'a> {
    pub policy: &'a Policy,
    /// The as-of date `T`.
    pub t: NaiveDate,
    /// The policy year `Y`.
    pub y: i32,
    pub c0: NaiveDate,
    pub c1: NaiveDate,
    pub home: &'a str,
    pub other: &'a str,
    /// The person's birth date (from the ID).
    pub birth: NaiveDate,
}

/// One identity record, written in its department's roster (civil, agri,
/// disability or veterans, by the category).
#[derive(Clone)]
pub struct Ident {
    /// Canonical category code (`dibao`, `disabled_g2` …).
    pub cat: &'static str,
    pub start: NaiveDate,
    /// 退出日期 / 风险消除日期 / 有效期至 (exclusive); `None` = still valid.
    pub end: Option<NaiveDate>,
    pub county: String,
}

/// One enrollment row (`enrollment.csv`).
#[derive(Clone)]
pub struct Enr {
    pub year: i32,
    /// `390` resident or `310` employee.
    pub scheme: &'static str,
    pub county: String,
    /// 参保状态 text.
    pub status: &'static str,
    /// 核定类别: a category code, or `None` for 普通居民.
    pub rating: Option<&'static str>,
    pub due: Fen,
    pub paid: Option<Fen>,
    pub date: Option<NaiveDate>,
    pub benefit_start: Option<NaiveDate>,
    pub repair_years: u32,
    /// 动态参保类别 text.
    pub dynamic: &'static str,
}

impl Enr {
    /// A 390 row for `year` in `county`, 参保缴费, rated 普通居民, due `due`,
    /// paid `due` on `date` (unpaid when `date` is `None`).
    pub fn resident(year: i32, county: &str, due: Fen, date: Option<NaiveDate>) -> Enr {
        Enr {
            year,
            scheme: "390",
            county: county.to_string(),
            status: "参保缴费",
            rating: None,
            due,
            paid: date.map(|_| due),
            date,
            benefit_start: None,
            repair_years: 0,
            dynamic: "",
        }
    }
}

/// A planted person as the exports show them.
#[derive(Default)]
pub struct Person {
    pub ids: Vec<Ident>,
    pub rows: Vec<Enr>,
    pub died: Option<NaiveDate>,
    pub elsewhere: bool,
    /// Roster rows spell the ID in its 15-digit legacy form.
    pub roster_id15: bool,
    /// Enrollment rows spell the ID in its 15-digit legacy form.
    pub enrollment_id15: bool,
}

/// One expected output row: the rule, the list and the columns (English
/// header keys) that must hold these values.
pub struct Expect {
    pub rule: &'static str,
    pub list: &'static str,
    pub fields: Vec<(&'static str, String)>,
}

/// A shape's person with the rows they must produce.
pub struct Planted {
    pub person: Person,
    pub expect: Vec<Expect>,
}

/// How a shape's person is born.
#[derive(Clone, Copy)]
pub enum Birth {
    /// An adult born 1960–1989 (so a 15-digit ID exists for them).
    Adult,
    /// Born this many days before `T` (a function of the policy and `T`).
    DaysBeforeT(fn(&Policy, NaiveDate) -> i64),
}

/// Whether a shape applies to a policy at an as-of date.
pub type Applies = fn(&Policy, NaiveDate) -> bool;

/// A shape of planted person.
pub struct Shape {
    pub name: &'static str,
    /// Whether the shape makes sense for this policy and as-of date.
    pub applies: Applies,
    pub birth: Birth,
    pub build: fn(&Ctx) -> Planted,
}

impl Shape {
    /// A shape whose person is an adult ([`Birth::Adult`]).
    pub fn adult(name: &'static str, applies: Applies, build: fn(&Ctx) -> Planted) -> Shape {
        Shape {
            name,
            applies,
            birth: Birth::Adult,
            build,
        }
    }

    /// The shape's person and every row they must produce: the shape's own
    /// expectations plus R7's transfers, worked out for every shape alike
    /// from the person's identities and rows ([`Ctx::transfers`]).
    pub fn plant(&self, c: &Ctx) -> Planted {
        let mut planted = (self.build)(c);
        let transfers = c.transfers(&planted.person);
        planted.expect.extend(transfers);
        planted
    }
}

impl Planted {
    /// A person with these identities and enrollment rows, and what they must produce.
    pub fn of(ids: Vec<Ident>, rows: Vec<Enr>, expect: Vec<Expect>) -> Planted {
        Planted {
            person: Person {
                ids,
                rows,
                ..Person::default()
            },
            expect,
        }
    }
}

/// Every shape, in the order of the report table.
pub fn catalogue() -> Vec<Shape> {
    let mut v = refunds::shapes();
    v.extend(ratings::shapes());
    v.extend(late::shapes());
    v.extend(others::shapes());
    v
}

/// The shapes that apply to `policy` at `t`.
pub fn applicable(policy: &Policy, t: NaiveDate) -> Vec<Shape> {
    catalogue()
        .into_iter()
        .filter(|s| (s.applies)(policy, t))
        .collect()
}

pub fn always(_: &Policy, _: NaiveDate) -> bool {
    true
}

/// `T` is a month or more after the concentrated period (late payments on `C1` + 20 days and on `Y`-01-31 exist).
pub fn after_c1(p: &Policy, t: NaiveDate) -> bool {
    t >= p.c1 + chrono::Duration::days(31)
}

/// `T` is on or after 1 January of `Y` (deaths on the cut-off are in the past).
pub fn in_year(p: &Policy, t: NaiveDate) -> bool {
    t >= spec::ymd(p.year, 1, 1)
}

/// An identity record of `cat` in `county` over `[start, end)`.
pub fn ident(cat: &'static str, start: NaiveDate, end: Option<NaiveDate>, county: &str) -> Ident {
    Ident {
        cat,
        start,
        end,
        county: county.to_string(),
    }
}

/// Every category code the generator can plant (SPEC §1).
pub const CATEGORIES: [&str; 16] = [
    "tekun",
    "orphan",
    "defacto_orphan",
    "dibao",
    "low_income",
    "elderly_low_income",
    "monitored_unstable",
    "monitored_marginal",
    "monitored_sudden",
    "poverty_alleviated",
    "disabled_g1",
    "disabled_g2",
    "disabled_g3",
    "disabled_g4",
    "youfu",
    "retiree_widow",
];
