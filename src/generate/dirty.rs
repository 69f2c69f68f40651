//! Dirty rows: which rows are spoiled, and how a spoiled row is spelled (a bad
//! check character, the 15-digit ID, an impossible date, a duplicate line,
//! another 姓名).

use chrono::NaiveDate;
use fastrand::Rng;

use super::person::{Gen, Out, Who};
use super::random::chance;
use super::text::{push_date, DateForm};
use super::vocab::BAD_DATES;
use super::{DirtyKind, OutFile};

impl Gen<'_> {
    /// With probability `dirty`, one of the spoils in `allowed`.
    pub(super) fn spoil(&self, rng: &mut Rng, allowed: &[DirtyKind]) -> Option<DirtyKind> {
        if self.dirty > 0.0 && chance(rng, self.dirty) && !allowed.is_empty() {
            Some(allowed[rng.usize(0..allowed.len())])
        } else {
            None
        }
    }
}

pub(super) const ROSTER_SPOILS: [DirtyKind; 5] = [
    DirtyKind::BadChecksum,
    DirtyKind::BadDate,
    DirtyKind::Duplicate,
    DirtyKind::NameConflict,
    DirtyKind::Legacy15,
];

/// `kinds` without a trailing `Legacy15` unless the person was born 19xx
/// (15-digit IDs only ever held 19xx birth years).
pub(super) fn legacy_if(born19: bool, kinds: &[DirtyKind]) -> &[DirtyKind] {
    match kinds.split_last() {
        Some((DirtyKind::Legacy15, rest)) if !born19 => rest,
        _ => kinds,
    }
}

pub(super) fn name_for<'a>(who: &'a Who, dk: Option<DirtyKind>) -> &'a str {
    if dk == Some(DirtyKind::NameConflict) {
        who.alt_name
    } else {
        who.name
    }
}

/// Ends the row begun at byte `start`: line end, row count, and a second
/// byte-identical copy for a duplicate.
pub(super) fn finish(out: &mut Out, f: OutFile, start: usize, dk: Option<DirtyKind>) {
    out.text.push_str(f.eol());
    out.rows += 1;
    if let Some(k) = dk {
        out.dirty[DirtyKind::ALL.iter().position(|x| *x == k).unwrap_or(0)] += 1;
        if k == DirtyKind::Duplicate {
            let line = out.text[start..].to_string();
            out.text.push_str(&line);
            out.rows += 1;
        }
    }
}

/// Writes the ID as this row spells it.
pub(super) fn push_id(t: &mut String, id: &str, dk: Option<DirtyKind>, rng: &mut Rng) {
    match dk {
        Some(DirtyKind::BadChecksum) => {
            const CHECK: &[u8; 11] = b"10X98765432";
            let good = id.as_bytes()[17];
            let pos = CHECK.iter().position(|c| *c == good).unwrap_or(0);
            let bad = CHECK[(pos + 1 + rng.usize(0..10)) % 11];
            t.push_str(&id[..17]);
            t.push(bad as char);
        }
        Some(DirtyKind::Legacy15) => {
            // The 15-digit form: no century, no check character.
            t.push_str(&id[..6]);
            t.push_str(&id[8..17]);
        }
        _ => t.push_str(id),
    }
}

pub(super) fn push_date_or_bad(
    t: &mut String,
    d: NaiveDate,
    form: DateForm,
    dk: Option<DirtyKind>,
    rng: &mut Rng,
) {
    if dk == Some(DirtyKind::BadDate) {
        t.push_str(BAD_DATES[rng.usize(0..BAD_DATES.len())]);
    } else {
        push_date(t, d, form);
    }
}
