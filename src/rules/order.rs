//! The order the rules take records in: each list by person, then by its
//! own second key (a year, a start date) and its origin, as the merge-join
//! of [`super::for_each_batch`] needs.

use rayon::prelude::*;

use crate::domain::PersonId;
use crate::ingest::Origin;

/// A record's sort key: its person, its second key, its origin.
pub(super) type Key<'a> = (&'a PersonId, i64, Origin);

/// Keeps the records of `v` that `keep` accepts and sorts them stably by
/// `key` — the outcome of `retain(keep)` then `par_sort_by_cached_key(key)`,
/// each record kept moved once (issue 15: `retain` moved every record
/// after the first it dropped).
///
/// Issue 15: in the usual list every person is a resident ID (a `u64`) and
/// the second keys span fewer than 2¹⁶ values, so the key packs into two
/// integers — the ID, and the second key's offset from the smallest, the
/// file and the line — sorted with each record's position (ties keep their
/// order). Any other list is sorted by its key as it is.
pub(super) fn keep_sorted_by_person<T: Send + Sync>(
    v: &mut Vec<T>,
    keep: impl Fn(&T) -> bool,
    key: impl Fn(&T) -> Key<'_> + Sync,
) {
    let Some(mut keys) = packed(v, &keep, &key) else {
        v.retain(keep);
        v.par_sort_by_cached_key(|r| {
            let (person, second, origin) = key(r);
            (person.clone(), second, origin)
        });
        return;
    };
    if keys.len() == v.len() && keys.is_sorted() {
        return;
    }
    keys.par_sort_unstable();
    // Each record kept moved to its place once, following the cycles of
    // the permutation (as the standard library's `sort_by_cached_key`
    // does): the record for place `i` is at its first position, or, if
    // that place was filled before `i`, where the record there was moved.
    for i in 0..keys.len() {
        let mut from = keys[i].2;
        while (from as usize) < i {
            from = keys[from as usize].2;
        }
        keys[i].2 = from;
        v.swap(i, from as usize);
    }
    v.truncate(keys.len());
}

/// [`keep_sorted_by_person`] keeping every record.
pub(super) fn sort_by_person<T: Send + Sync>(v: &mut Vec<T>, key: impl Fn(&T) -> Key<'_> + Sync) {
    keep_sorted_by_person(v, |_| true, key);
}

/// The packed keys of the records of `v` that `keep` accepts, with each
/// record's position, in `v`'s order; `None` when some key does not pack.
fn packed<T>(
    v: &[T],
    keep: impl Fn(&T) -> bool,
    key: impl Fn(&T) -> Key<'_>,
) -> Option<Vec<(u64, u64, u32)>> {
    u32::try_from(v.len()).ok()?;
    let lowest = v.iter().filter(|r| keep(r)).map(|r| key(r).1).min()?;
    v.iter()
        .zip(0u32..)
        .filter(|(r, _)| keep(r))
        .map(|(r, i)| {
            let (person, second, origin) = key(r);
            let PersonId::Resident(id) = person else {
                return None;
            };
            let second = u16::try_from(second.checked_sub(lowest)?).ok()?;
            let rest =
                u64::from(second) << 48 | u64::from(origin.file) << 32 | u64::from(origin.line);
            Some((*id, rest, i))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{keep_sorted_by_person, sort_by_person, Key};
    use crate::domain::PersonId;
    use crate::ingest::Origin;

    type Rec = (PersonId, i64, Origin, usize);

    fn key(r: &Rec) -> Key<'_> {
        (&r.0, r.1, r.2)
    }

    /// The order of a stable sort by the whole key, whatever the keys:
    /// resident and other IDs, second keys near and far apart, repeated
    /// keys (kept in their order), files and lines at their limits.
    #[test]
    fn sorts_as_a_stable_sort_by_the_key() {
        let other = |n: &str| PersonId::Other(Box::new(("02".into(), n.into())));
        let ids = [
            PersonId::Resident(7),
            PersonId::Resident(3),
            PersonId::Resident(u64::MAX),
            PersonId::Resident(0),
        ];
        let seconds = [
            [0i64, 1, -5, 2],
            [2026, 2025, 2026, 1990],
            [-1, 70_000, 0, 3],
        ];
        let origins = [
            Origin { file: 0, line: 9 },
            Origin { file: 1, line: 2 },
            Origin {
                file: u16::MAX,
                line: u32::MAX,
            },
            Origin { file: 0, line: 9 },
        ];
        for with_other in [false, true] {
            for second in seconds {
                let mut recs: Vec<Rec> = Vec::new();
                for n in 0..48 {
                    let id = if with_other && n % 7 == 0 {
                        other(&format!("P{}", n % 3))
                    } else {
                        ids[n % 4].clone()
                    };
                    recs.push((id, second[(n / 4) % 4], origins[(n / 3) % 4], n));
                }
                let mut want = recs.clone();
                want.sort_by(|a, b| key(a).cmp(&key(b)));
                let mut all = recs.clone();
                sort_by_person(&mut all, key);
                assert_eq!(all, want, "{second:?} {with_other}");
                // Sorted already: left as it is.
                sort_by_person(&mut all, key);
                assert_eq!(all, want);
                // Some dropped: as `retain` then the sort.
                for drop in [0, 1, 5] {
                    let keep = |r: &Rec| r.3 % 6 != drop;
                    let mut kept = recs.clone();
                    keep_sorted_by_person(&mut kept, keep, key);
                    let want: Vec<Rec> = want.iter().filter(|r| keep(r)).cloned().collect();
                    assert_eq!(kept, want, "{second:?} {with_other} {drop}");
                }
                let mut none = recs.clone();
                keep_sorted_by_person(&mut none, |_| false, key);
                assert!(none.is_empty());
            }
        }
    }
}
