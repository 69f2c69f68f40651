//! Item keys (清单条目键): what makes "the same item" from one month to the
//! next. A key never collides: two items of one person (two duplicate
//! payments, two rows in different counties) are two keys.
//!
//! - refunds: `series|refunds|身份证号|year|参保区划代码|缴费日期#n` — one
//!   paid enrollment row gets at most one refund (R3), so the payment row
//!   identifies the refund; the reason is an attribute, not part of the key.
//!   That way a refund paid under one reason blocks the same payment from being
//!   listed again under another (never paid twice).
//! - rerating: `series|rerating|身份证号|year|参保区划代码#n` (one unpaid row).
//! - missing enrollment: `series|missing_enrollment|身份证号|year` (R5 lists a
//!   person once).
//!
//! `series` is `region code/policy year`, so two regions or two policy years
//! can share a ledger without meeting. `#n` numbers items whose other parts
//! tie (two payments on one day in one county) in a stable order: 电子税票号,
//! amount, then the row's place in the inputs.

use std::cmp::Ordering;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::fmt::Write;

use foldhash::fast::FixedState;

use super::ListKind;
use crate::domain::{Category, Fen};
use crate::ingest::Origin;
use crate::policy::Policy;
use crate::report::push_date;
use crate::rules::Outcome;

/// One listed item as the ledger sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemFacts {
    pub list: ListKind,
    pub key: String,
    pub person: String,
    pub year: i32,
    pub county: String,
    /// 缴费日期 of the refunded payment (`-` when blank; empty off refunds).
    pub pay_date: String,
    pub name: String,
    /// What the item is, in words (reason, category change, category).
    pub detail: String,
    /// Refund amount; new amount due; amount due.
    pub amount: Fen,
    /// payable / review / expired (refunds only).
    pub disposition: String,
    pub origin: Option<Origin>,
}

/// The series a policy's runs belong to.
pub fn series(policy: &Policy) -> String {
    format!("{}/{}", policy.region_code, policy.year)
}

/// The items of the three followed lists, aligned with the outcome's order.
pub fn collect(policy: &Policy, outcome: &Outcome) -> [Vec<ItemFacts>; 3] {
    let s = series(policy);
    let cat = |c: Option<Category>| match c {
        Some(c) => policy.vocab.zh(c).to_string(),
        None => "普通居民".to_string(),
    };

    let mut refunds: Vec<ItemFacts> = outcome
        .refunds
        .iter()
        .map(|r| {
            let mut pay = String::with_capacity(10);
            match r.pay_date {
                Some(d) => push_date(&mut pay, d),
                None => pay.push('-'),
            }
            ItemFacts {
                list: ListKind::Refunds,
                key: key(format_args!(
                    "{s}|refunds|{}|{}|{}|{pay}",
                    r.person, r.year, &*r.county
                )),
                person: r.person.to_string(),
                year: r.year,
                county: r.county.to_string(),
                pay_date: pay,
                name: r.name.clone(),
                detail: r.reason.zh().to_string(),
                amount: r.amount,
                disposition: r.status.code().to_string(),
                origin: Some(r.origin),
            }
        })
        .collect();
    number(&mut refunds, |a, b| {
        let (x, y) = (&outcome.refunds[a], &outcome.refunds[b]);
        (&x.tax_receipt, x.paid, x.origin).cmp(&(&y.tax_receipt, y.paid, y.origin))
    });

    let mut rerating: Vec<ItemFacts> = outcome
        .rerating
        .iter()
        .map(|r| ItemFacts {
            list: ListKind::Rerating,
            key: key(format_args!(
                "{s}|rerating|{}|{}|{}",
                r.person, r.year, &*r.county
            )),
            person: r.person.to_string(),
            year: r.year,
            county: r.county.to_string(),
            pay_date: String::new(),
            name: r.name.clone(),
            detail: format!("{} → {}", cat(r.old_category), cat(r.new_category)),
            amount: r.new_due,
            disposition: String::new(),
            origin: Some(r.origin),
        })
        .collect();
    number(&mut rerating, |a, b| {
        let (x, y) = (&outcome.rerating[a], &outcome.rerating[b]);
        (&x.old_rating_text, x.old_due, x.origin).cmp(&(&y.old_rating_text, y.old_due, y.origin))
    });

    let year = policy.year;
    let mut missing: Vec<ItemFacts> = outcome
        .missing
        .iter()
        .map(|m| ItemFacts {
            list: ListKind::Missing,
            key: key(format_args!("{s}|missing_enrollment|{}|{year}", m.person)),
            person: m.person.to_string(),
            year,
            county: m.county.to_string(),
            pay_date: String::new(),
            name: m.name.clone(),
            detail: format!(
                "{}；{}",
                cat(m.category),
                if m.registered {
                    "登记未缴费"
                } else {
                    "未登记"
                }
            ),
            amount: m.due,
            disposition: String::new(),
            origin: m.origin,
        })
        .collect();
    number(&mut missing, |a, b| {
        outcome.missing[a].origin.cmp(&outcome.missing[b].origin)
    });
    [refunds, rerating, missing]
}

/// An item's key with room for the `#n` [`number`] appends (issue 15: one
/// allocation per key, not a second one to grow it).
fn key(parts: std::fmt::Arguments<'_>) -> String {
    let mut k = String::with_capacity(KEY_ROOM);
    let _ = k.write_fmt(parts);
    k
}

/// Bytes reserved per key: a refund's key is about 65 bytes, `#n` included.
const KEY_ROOM: usize = 80;

/// Appends `#n` to every key: items whose key parts tie are numbered in the
/// order `tie` gives (indices into the list), the others get `#1`.
///
/// Issue 15: each key is hashed once into a table sized up front (foldhash,
/// no regrowth) that holds the key's first index; only the keys met again
/// get a group (a `Vec`), instead of one `Vec` per key.
fn number(items: &mut [ItemFacts], tie: impl Fn(usize, usize) -> Ordering) {
    let mut first: HashMap<&str, usize, FixedState> =
        HashMap::with_capacity_and_hasher(items.len(), FixedState::default());
    // Groups of tying keys by their first index, each in the items' order.
    let mut ties: HashMap<usize, Vec<usize>, FixedState> = HashMap::default();
    for (i, it) in items.iter().enumerate() {
        match first.entry(it.key.as_str()) {
            Entry::Vacant(v) => {
                v.insert(i);
            }
            Entry::Occupied(o) => ties
                .entry(*o.get())
                .or_insert_with(|| vec![*o.get()])
                .push(i),
        }
    }
    drop(first);
    let mut suffix = vec![1usize; items.len()];
    for mut idx in ties.into_values() {
        idx.sort_by(|&a, &b| tie(a, b));
        for (n, i) in idx.into_iter().enumerate() {
            suffix[i] = n + 1;
        }
    }
    for (it, n) in items.iter_mut().zip(suffix) {
        // Appended in place: one key per item, no second copy (issue 15).
        let _ = write!(it.key, "#{n}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(key: &str) -> ItemFacts {
        ItemFacts {
            list: ListKind::Refunds,
            key: key.into(),
            person: String::new(),
            year: 2026,
            county: String::new(),
            pay_date: String::new(),
            name: String::new(),
            detail: String::new(),
            amount: Fen::ZERO,
            disposition: String::new(),
            origin: None,
        }
    }

    #[test]
    fn ties_are_numbered_by_the_tie_order_and_never_collide() {
        let mut v = vec![item("a"), item("b"), item("a"), item("a")];
        // Reverse input order for the tie: index 3 first.
        number(&mut v, |x, y| y.cmp(&x));
        let keys: Vec<&str> = v.iter().map(|i| i.key.as_str()).collect();
        assert_eq!(keys, ["a#3", "b#1", "a#2", "a#1"]);
        let mut uniq = keys.clone();
        uniq.sort();
        uniq.dedup();
        assert_eq!(uniq.len(), keys.len());
    }
}
