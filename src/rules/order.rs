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
/// Issue 15: in the usual list every person is a resident ID (a `u64`), so
/// the records are sorted as integers, the ID and the record's position
/// packed into one `u128` (ties keep their order), and only the records of
/// a person with several are then sorted by their second key and origin
/// (comparing the whole key of every record cost more than that). Any
/// other list is sorted by its key as it is.
pub(super) fn keep_sorted_by_person<T: Send + Sync>(
    v: &mut Vec<T>,
    keep: impl Fn(&T) -> bool,
    key: impl Fn(&T) -> Key<'_> + Sync,
) {
    let Some(mut keys) = by_resident(v, &keep, &key) else {
        v.retain(keep);
        v.par_sort_by_cached_key(|r| {
            let (person, second, origin) = key(r);
            (person.clone(), second, origin)
        });
        return;
    };
    keys.sort_unstable();
    let from = in_order(v, &keys, key);
    let still = from.len() == v.len() && from.iter().zip(0u32..).all(|(&f, at)| f == at);
    if !still {
        gather_in_place(v, from);
    }
}

/// Each kept record's resident ID and position (`id << 32 | position`),
/// in `v`'s order; `None` when some person is not a resident ID.
fn by_resident<T>(
    v: &[T],
    keep: impl Fn(&T) -> bool,
    key: impl Fn(&T) -> Key<'_>,
) -> Option<Vec<u128>> {
    u32::try_from(v.len()).ok()?;
    v.iter()
        .zip(0u32..)
        .filter(|(r, _)| keep(r))
        .map(|(r, at)| match key(r).0 {
            PersonId::Resident(id) => Some(u128::from(*id) << 32 | u128::from(at)),
            PersonId::Other(_) => None,
        })
        .collect()
}

/// The positions in `keys` (sorted: by ID, then position), each person's
/// records then sorted stably by their second key and origin.
fn in_order<T>(v: &[T], keys: &[u128], key: impl Fn(&T) -> Key<'_>) -> Vec<u32> {
    let mut from: Vec<u32> = keys.iter().map(|&k| k as u32).collect();
    let mut at = 0;
    for run in keys.chunk_by(|a, b| a >> 32 == b >> 32) {
        if run.len() > 1 {
            from[at..at + run.len()].sort_by_key(|&p| {
                let (_, second, origin) = key(&v[p as usize]);
                (second, origin)
            });
        }
        at += run.len();
    }
    from
}

/// Moves the record at position `from[i]` of `v` to place `i`, for every
/// `i` (`from`: distinct positions), and drops the records no place takes.
///
/// Issue 15: each cycle of the permutation is followed once, its places
/// marked as they are filled. The standard library's way (as
/// `sort_by_cached_key` does it) looks for where a place's record went by
/// following the moves made before it, again for every place: pointer
/// chasing through the positions, many steps per record on a random order.
/// The records lie at random places: the record [`AHEAD`] moves on along
/// the cycle is asked for early, so that several come from memory at once
/// (each move waited for its record before; half the gather's time at 1 M).
fn gather_in_place<T>(v: &mut Vec<T>, mut from: Vec<u32>) {
    let kept = from.len();
    if kept < v.len() {
        // The places after the kept ones take the records left out (in any
        // order: they are dropped), so that `from` is a permutation.
        let mut taken = vec![false; v.len()];
        for &p in &from {
            taken[p as usize] = true;
        }
        from.extend((0..v.len()).filter(|&p| !taken[p]).map(|p| p as u32));
    }
    for start in 0..from.len() {
        // `ahead`: a place further along the cycle, its record fetched.
        let mut ahead = start;
        for _ in 0..AHEAD {
            match next_on_cycle(&from, ahead, start) {
                Some(next) => {
                    ahead = next;
                    prefetch(&v[ahead]);
                }
                None => break,
            }
        }
        // The cycle through `start`: its record travels along the cycle
        // while each place it leaves takes the record of its own source.
        let mut place = start;
        loop {
            let src = std::mem::replace(&mut from[place], FILLED);
            if src == FILLED || src as usize == start {
                break;
            }
            if let Some(next) = next_on_cycle(&from, ahead, start) {
                ahead = next;
                prefetch(&v[ahead]);
            }
            v.swap(place, src as usize);
            place = src as usize;
        }
    }
    v.truncate(kept);
}

/// A place filled (no position: `v.len()` fits a `u32`).
const FILLED: u32 = u32::MAX;

/// How many moves ahead [`gather_in_place`] asks for a record.
const AHEAD: usize = 8;

/// The place after `place` on its cycle (whose record `place` takes);
/// `None` back at `start`, at a place filled, or when `place` is `start`
/// (a cycle's lookahead that has reached its end).
#[inline(always)]
fn next_on_cycle(from: &[u32], place: usize, start: usize) -> Option<usize> {
    let next = from[place];
    (next != FILLED && next as usize != start).then_some(next as usize)
}

/// Asks the processor to start fetching every cache line of `v`: a hint,
/// with no effect on what the program computes. Does nothing on other
/// processors than x86-64.
#[inline(always)]
fn prefetch<T>(v: &T) {
    let first = (v as *const T).cast::<u8>();
    let bytes = std::mem::size_of::<T>();
    for at in (0..bytes).step_by(64) {
        crate::memory::prefetch_line(first.wrapping_add(at));
    }
    crate::memory::prefetch_line(first.wrapping_add(bytes.saturating_sub(1)));
}

/// [`keep_sorted_by_person`] keeping every record.
pub(super) fn sort_by_person<T: Send + Sync>(v: &mut Vec<T>, key: impl Fn(&T) -> Key<'_> + Sync) {
    keep_sorted_by_person(v, |_| true, key);
}

#[cfg(test)]
mod tests {
    use super::{gather_in_place, keep_sorted_by_person, sort_by_person, Key};
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

    /// Issue 15: every record goes to the place that names its position,
    /// for permutations of every cycle shape and for places naming only
    /// some positions (the rest dropped), as a gather by position gives.
    #[test]
    fn gathers_in_place_as_a_gather_by_position() {
        let mut seed = 7u64;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        for n in [0usize, 1, 2, 3, 5, 8, 64, 1000] {
            for round in 0..20 {
                let mut from: Vec<u32> = (0..n as u32).collect();
                for i in (1..n).rev() {
                    from.swap(i, next(i + 1));
                }
                if round % 3 == 1 && n > 0 {
                    from.truncate(next(n + 1));
                }
                if round == 2 {
                    from.reverse();
                }
                let v: Vec<String> = (0..n).map(|i| format!("r{i}")).collect();
                let want: Vec<String> = from.iter().map(|&p| v[p as usize].clone()).collect();
                let mut got = v.clone();
                gather_in_place(&mut got, from.clone());
                assert_eq!(got, want, "{n} {round}");
            }
        }
    }
}
