//! Undated rosters (无认定日期的名单, SPEC §2 "Undated rosters"): a roster
//! kind exported with no start-date column (认定/识别/发证日期) is a snapshot —
//! who holds the identity on the roster's date (its 数据日期 / 所属年月 column,
//! else `T`). Such an identity counts as valid at `T`; its start is unknown
//! until the ledger says otherwise (the day after the last recorded run whose
//! rosters did not list it, `crate::ledger::snapshots`).
//!
//! An unknown start is held as [`UNKNOWN_START`], so the identity holds over
//! any window (SPEC: "taken to hold over the payment window for computing
//! amounts"); every verdict that depends on it is marked for review.

use chrono::NaiveDate;

use super::row::Row;
use super::schema::Col;
use super::{HardshipIdentity, ParseCtx, Reject};
use crate::domain::{Category, PersonId, SourceKind};

/// The start of a snapshot identity whose start nobody knows: before any date.
pub const UNKNOWN_START: NaiveDate = NaiveDate::MIN;

/// How an identity's start is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dating {
    /// From the roster's own start-date column.
    Dated,
    /// From an undated roster dated `on`. `known`: the ledger gave the start
    /// (otherwise `start` is [`UNKNOWN_START`]).
    Snapshot { on: NaiveDate, known: bool },
}

impl HardshipIdentity {
    /// The start as a date a clerk can read; `None` when it is unknown.
    pub fn known_start(&self) -> Option<NaiveDate> {
        (!self.start_unknown()).then_some(self.start)
    }

    /// An undated roster's identity whose start no recorded run gives
    /// (认定日期未知): verdicts that depend on its start go to review.
    pub fn start_unknown(&self) -> bool {
        matches!(self.dating, Dating::Snapshot { known: false, .. })
    }
}

/// The start of an identity row: its start-date column when the file has
/// one (a blank value is then MISSING_FIELD), else a snapshot of the
/// roster's date.
pub fn start_of(
    row: &Row<'_>,
    key: Col,
    what: &str,
    ctx: ParseCtx<'_>,
) -> Result<(NaiveDate, Dating), Box<Reject>> {
    if row.has(key) {
        return Ok((row.date(key, what)?, Dating::Dated));
    }
    snapshot(row, ctx)
}

/// An undated identity: a snapshot of the roster's date, start unknown.
fn snapshot(row: &Row<'_>, ctx: ParseCtx<'_>) -> Result<(NaiveDate, Dating), Box<Reject>> {
    let on = row.opt_date(Col::RosterDate)?.unwrap_or(ctx.as_of);
    Ok((UNKNOWN_START, Dating::Snapshot { on, known: false }))
}

/// The start of an agriculture row whose category comes from its household
/// type (户类型, SPEC §2 "Binding details"): 1 January of its 脱贫年度 where
/// given (`2019`, `2019年`, or a date); else the row's own start date when
/// it has one (a blank one is no error here: a 脱贫户 member who is not
/// monitored has no 识别监测时间); else a snapshot.
pub fn household_start(
    row: &Row<'_>,
    ctx: ParseCtx<'_>,
) -> Result<(NaiveDate, Dating), Box<Reject>> {
    let text = row.get(Col::ExitYear);
    if text.is_empty() {
        return match row.opt_date(Col::StartDate)? {
            Some(d) => Ok((d, Dating::Dated)),
            None => snapshot(row, ctx),
        };
    }
    let year = super::enrollment::parse_year(text)
        .or_else(|| crate::domain::parse_date(text).map(|d| chrono::Datelike::year(&d)));
    match year.and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1)) {
        Some(jan1) => Ok((jan1, Dating::Dated)),
        None => Err(row.reject(
            Col::ExitYear,
            super::RejectReason::BadDate,
            crate::i18n::Msg::new(
                "脱贫年度应为年份，例：2019 或 2019年",
                "脱贫年度 should be a year, e.g. 2019 or 2019年",
            ),
        )),
    }
}

/// The key of an identity as the ledger remembers it (person × category ×
/// source kind), a 64-bit hash: the ledger needs only to tell whether a run
/// listed it, not to read it back.
pub fn listing_key(person: &PersonId, category_code: &str, source: SourceKind) -> i64 {
    let text = format!("{person}\u{1f}{category_code}\u{1f}{}", source.key());
    xxhash_rust::xxh3::xxh3_64(text.as_bytes()) as i64
}

/// The person of a listing as the ledger keeps it (a 64-bit hash of the ID
/// as the ledger spells it), so that `ledger forget` can remove every
/// listing of one person without knowing the categories they held.
pub fn person_key(person: &str) -> i64 {
    xxhash_rust::xxh3::xxh3_64(person.as_bytes()) as i64
}

/// One identity a run's rosters listed, as the ledger remembers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listing {
    pub source: SourceKind,
    /// [`listing_key`]: person × category × source kind.
    pub key: i64,
    /// [`person_key`].
    pub person: i64,
}

/// The identities a run's rosters list at `t` (valid at `t`), as ledger keys
/// with their source kind.
pub fn listed_at(
    identities: &[HardshipIdentity],
    t: NaiveDate,
    code: impl Fn(Category) -> String,
) -> Vec<Listing> {
    identities
        .iter()
        .filter(|i| i.overlaps(t, t))
        .map(|i| Listing {
            source: i.source,
            key: listing_key(&i.person, &code(i.category), i.source),
            person: person_key(&i.person.to_string()),
        })
        .collect()
}

/// Starts the ledger gives snapshot identities (see
/// `crate::ledger::snapshots::load`): per roster kind, the as-of date of the
/// latest recorded run that had a roster of that kind, and for the identities
/// that run listed, the day after the last run that did not (`None`: every
/// recorded run of that kind listed it — still unknown).
#[derive(Debug, Default, Clone)]
pub struct SnapshotStarts {
    pub kinds: std::collections::HashMap<SourceKind, KindStarts>,
}

#[derive(Debug, Default, Clone)]
pub struct KindStarts {
    pub latest: Option<NaiveDate>,
    pub listed: std::collections::HashMap<i64, Option<NaiveDate>>,
}

impl SnapshotStarts {
    /// The start of an identity by its key, `None` when unknown.
    pub fn start(&self, source: SourceKind, key: i64) -> Option<NaiveDate> {
        let k = self.kinds.get(&source)?;
        match k.listed.get(&key) {
            Some(since) => *since,
            None => k.latest.and_then(|d| d.succ_opt()),
        }
    }

    /// Gives each snapshot identity the start the ledger knows for it.
    pub fn apply(&self, identities: &mut [HardshipIdentity], code: impl Fn(Category) -> String) {
        if self.kinds.is_empty() {
            return;
        }
        for i in identities.iter_mut() {
            if let Dating::Snapshot { on, known: false } = i.dating {
                let key = listing_key(&i.person, &code(i.category), i.source);
                if let Some(start) = self.start(i.source, key) {
                    i.start = start;
                    i.dating = Dating::Snapshot { on, known: true };
                }
            }
        }
    }
}
