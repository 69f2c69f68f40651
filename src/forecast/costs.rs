//! The money of a tally: each group's price once, times its persons, summed
//! per county × payer and per payer — integer fen, every product and sum
//! checked (a total past `i64` fen stops the forecast before any output,
//! as `report::totals` does for a run).

use std::collections::BTreeMap;

use super::price::{Group, Tally};
use crate::domain::{County, Fen};
use crate::error::{Error, Result};
use crate::policy::Policy;

/// One county × tier × grade: its price and persons, and what each payer
/// pays for them (code, per person, total).
#[derive(Debug, Clone)]
pub struct Line {
    pub group: Group,
    /// The grade's full amount there and the person's part of it.
    pub full: Fen,
    pub personal: Fen,
    pub persons: u64,
    pub payers: Vec<(String, Fen, Fen)>,
}

/// Persons and money.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sum {
    pub persons: u64,
    pub amount: Fen,
}

impl Sum {
    fn add(&mut self, persons: u64, amount: Fen) -> Option<()> {
        self.persons = self.persons.checked_add(persons)?;
        self.amount = self.amount.checked_add(amount)?;
        Some(())
    }
}

/// A tally priced.
#[derive(Debug, Clone, Default)]
pub struct Costs {
    /// In group order (county, tier order with ordinary last, grade).
    pub lines: Vec<Line>,
    pub by_county_payer: BTreeMap<(County, String), Sum>,
    pub by_payer: BTreeMap<String, Sum>,
    /// Every person once; the amount is every payer's together.
    pub total: Sum,
    /// What the persons pay themselves (个人缴费合计).
    pub personal: Fen,
    pub persons_by_county: BTreeMap<County, u64>,
}

fn overflow(what: &str) -> Error {
    Error::MoneyOverflow {
        what: what.to_string(),
    }
}

/// Prices every group of `tally` under `policy`.
pub fn cost(policy: &Policy, tally: &Tally, what: &str) -> Result<Costs> {
    let mut c = Costs::default();
    for (group, &persons) in &tally.groups {
        let price = policy.price(group.county, group.grade, group.tier());
        let mut payers = Vec::with_capacity(price.payers.len());
        for (code, each) in &price.payers {
            let total = each.checked_times(persons).ok_or_else(|| overflow(what))?;
            payers.push((code.to_string(), *each, total));
            c.by_county_payer
                .entry((group.county, code.to_string()))
                .or_default()
                .add(persons, total)
                .ok_or_else(|| overflow(what))?;
            c.by_payer
                .entry(code.to_string())
                .or_default()
                .add(persons, total)
                .ok_or_else(|| overflow(what))?;
            c.total.add(0, total).ok_or_else(|| overflow(what))?;
        }
        c.total
            .add(persons, Fen::ZERO)
            .ok_or_else(|| overflow(what))?;
        c.personal = price
            .personal
            .checked_times(persons)
            .and_then(|p| c.personal.checked_add(p))
            .ok_or_else(|| overflow(what))?;
        *c.persons_by_county.entry(group.county).or_default() += persons;
        c.lines.push(Line {
            group: *group,
            full: price.full,
            personal: price.personal,
            persons,
            payers,
        });
    }
    Ok(c)
}

/// One county × payer of `--compare`: this year's and next year's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Delta {
    pub this: Sum,
    pub next: Sum,
}

impl Delta {
    /// Next year's amount less this year's.
    pub fn difference(&self) -> Fen {
        self.next.amount - self.this.amount
    }
}

/// Both years per county × payer, and per payer (every key of either year).
pub struct Comparison {
    pub by_county_payer: BTreeMap<(County, String), Delta>,
    pub by_payer: BTreeMap<String, Delta>,
    pub total: Delta,
}

/// Joins this year's costs and next year's. Every amount here is one of the
/// two years' checked totals, and a difference of two `i64` totals of
/// non-negative amounts cannot overflow.
pub fn compare(this: &Costs, next: &Costs) -> Comparison {
    let mut by_county_payer: BTreeMap<(County, String), Delta> = BTreeMap::new();
    for (k, s) in &this.by_county_payer {
        by_county_payer.entry(k.clone()).or_default().this = *s;
    }
    for (k, s) in &next.by_county_payer {
        by_county_payer.entry(k.clone()).or_default().next = *s;
    }
    let mut by_payer: BTreeMap<String, Delta> = BTreeMap::new();
    for (k, s) in &this.by_payer {
        by_payer.entry(k.clone()).or_default().this = *s;
    }
    for (k, s) in &next.by_payer {
        by_payer.entry(k.clone()).or_default().next = *s;
    }
    Comparison {
        by_county_payer,
        by_payer,
        total: Delta {
            this: this.total,
            next: next.total,
        },
    }
}
