//! A slice's history rows (参保历史, validated while reading) turned into
//! [`HistoryRow`]s: byte-identical repeats merged and the rest handed on in
//! the rules' order (person, year, origin), so `rules::prepare` finds the list
//! sorted and does not sort it again.
//!
//! Issue 15: merging repeats through a hash set of every history row of the
//! slice cost a cache miss per row (the set is larger than the cache), and
//! the rules sorted the rows afterwards anyway. Sorted first, two identical
//! rows (same file, same content hash, hence the same person and year) are
//! in the same run of one person's year, where a repeat is found by looking
//! back along the run.

use rayon::prelude::*;

use crate::domain::PersonId;
use crate::findings::Origin;
use crate::ingest::read::HistoryRec;
use crate::ingest::{HistoryRow, InputCounts};

/// A run of one person's year longer than this is checked through a hash set
/// instead of by looking back along it (a pathological file may repeat one
/// row many times).
const LOOK_BACK: usize = 16;

/// How many rows ahead of the one merged the next is fetched
/// ([`super::prefetch`]): a few persons' runs.
const AHEAD: usize = 16;

/// The slice's history rows: `fast` (rows validated while reading, in the
/// order read) with repeats of an earlier row of the same file merged and
/// counted, together with `long_way` (history rows validated with the other
/// rows, already merged), all sorted by (person, year, origin).
pub(super) fn history_rows(
    fast: &[HistoryRec],
    long_way: Vec<HistoryRow>,
    counts: &mut [InputCounts],
) -> Vec<HistoryRow> {
    let order = sorted_order(fast);
    let mut out = Vec::with_capacity(fast.len() + long_way.len());
    let mut seen = super::Repeats(crate::ingest::read::RowHashSet::default());
    let (mut start, mut fetched) = (0, 0);
    while start < order.len() {
        // The rows are read in their sorted order, all over `fast`: each is
        // asked for `AHEAD` rows before its turn. (Issue 15: asking for the
        // first row of the run `AHEAD` positions on left the rest of that
        // run, a person's other years, to wait for memory.)
        let upto = (start + AHEAD).min(order.len());
        while fetched < upto {
            super::prefetch(&fast[order[fetched]]);
            fetched += 1;
        }
        let first = &fast[order[start]];
        let end = start
            + order[start..]
                .iter()
                .position(|&i| (fast[i].key, fast[i].year) != (first.key, first.year))
                .unwrap_or(order.len() - start);
        keep_firsts(fast, &order[start..end], &mut seen, counts, &mut out);
        start = end;
    }
    if long_way.is_empty() {
        return out;
    }
    let mut long_way = long_way;
    long_way.sort_unstable_by(|a, b| rules_order(a).cmp(&rules_order(b)));
    merge(out, long_way)
}

/// The order history rows take: person (the packed ID), year, file, line.
/// No two rows share it ((file, line) is unique).
fn rank(h: &HistoryRec) -> (u64, i32, u16, u64) {
    (h.key, h.year, h.file, h.line)
}

/// The positions of `fast` in [`rank`] order. A ledger lists a person's
/// years together and in order, so the rows fall into runs already in
/// order, about one per person: the runs are sorted (by person, then by
/// their first row), not the rows; the rows of a person split over several
/// runs (a second file, an unordered export) are sorted among themselves.
/// Rows in no order at all make runs of one row, sorted as rows would be.
fn sorted_order(fast: &[HistoryRec]) -> Vec<usize> {
    let mut runs: Vec<(u64, usize, usize)> = Vec::new();
    let mut start = 0;
    for i in 1..=fast.len() {
        if i == fast.len() || fast[i].key != fast[start].key || rank(&fast[i]) < rank(&fast[i - 1])
        {
            runs.push((fast[start].key, start, i));
            start = i;
        }
    }
    runs.par_sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| rank(&fast[a.1]).cmp(&rank(&fast[b.1])))
    });
    let mut order = Vec::with_capacity(fast.len());
    let mut i = 0;
    while i < runs.len() {
        let key = runs[i].0;
        let j = i + runs[i..]
            .iter()
            .position(|r| r.0 != key)
            .unwrap_or(runs.len() - i);
        let first = order.len();
        for &(_, s, e) in &runs[i..j] {
            order.extend(s..e);
        }
        if j - i > 1 {
            order[first..].sort_unstable_by_key(|&p| rank(&fast[p]));
        }
        i = j;
    }
    order
}

/// The order `rules::prepare` sorts history rows in.
fn rules_order(r: &HistoryRow) -> (&PersonId, i32, Origin) {
    (&r.person, r.year, r.origin)
}

/// One run of a person's year (positions in `fast`, in (file, line) order):
/// each row that repeats no earlier row of its file is kept (accepted), each
/// repeat counted.
fn keep_firsts(
    fast: &[HistoryRec],
    run: &[usize],
    seen: &mut super::Repeats,
    counts: &mut [InputCounts],
    out: &mut Vec<HistoryRow>,
) {
    let large = run.len() > LOOK_BACK;
    if large {
        seen.restart(run.len());
    }
    for (i, h) in run.iter().map(|&p| &fast[p]).enumerate() {
        let first = if large {
            seen.first(h.file, u128::from(h.hash), counts)
        } else if run[..i]
            .iter()
            .any(|&e| fast[e].file == h.file && fast[e].hash == h.hash)
        {
            counts[usize::from(h.file)].merged_duplicates += 1;
            false
        } else {
            true
        };
        if first {
            counts[usize::from(h.file)].accepted += 1;
            out.push(row_of(h));
        }
    }
}

fn row_of(h: &HistoryRec) -> HistoryRow {
    HistoryRow {
        person: PersonId::Resident(h.key),
        year: h.year,
        covered: h.covered,
        origin: Origin {
            file: h.file,
            line: u32::try_from(h.line).unwrap_or(u32::MAX),
        },
    }
}

/// Two lists sorted by [`rules_order`] as one.
fn merge(a: Vec<HistoryRow>, b: Vec<HistoryRow>) -> Vec<HistoryRow> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    while let (Some(x), Some(y)) = (a.peek(), b.peek()) {
        let next = if rules_order(x) <= rules_order(y) {
            a.next()
        } else {
            b.next()
        };
        out.extend(next);
    }
    out.extend(a);
    out.extend(b);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The long way this replaces: repeats merged through a hash set in the
    /// order read, then every row sorted as `rules::prepare` sorts them.
    fn long_way(
        fast: &[HistoryRec],
        other: Vec<HistoryRow>,
        counts: &mut [InputCounts],
    ) -> Vec<HistoryRow> {
        let mut seen = super::super::Repeats(crate::ingest::read::RowHashSet::default());
        let mut out = other;
        for h in fast {
            if seen.first(h.file, u128::from(h.hash), counts) {
                counts[usize::from(h.file)].accepted += 1;
                out.push(row_of(h));
            }
        }
        out.sort_by(|a, b| rules_order(a).cmp(&rules_order(b)));
        out
    }

    fn fields(rows: &[HistoryRow]) -> Vec<(PersonId, i32, bool, Origin)> {
        rows.iter()
            .map(|r| (r.person.clone(), r.year, r.covered, r.origin))
            .collect()
    }

    fn counted(c: &[InputCounts]) -> Vec<(u64, u64)> {
        c.iter()
            .map(|c| (c.accepted, c.merged_duplicates))
            .collect()
    }

    /// Rows of three files in the order read (lines ascending per file),
    /// drawn so that repeats of one row (same content hash) fall near and
    /// far apart, across files, and in runs longer than [`LOOK_BACK`]; the
    /// content decides person, year and coverage as a real row's text does.
    fn read_rows(rng: &mut fastrand::Rng, n: usize, contents: u64) -> Vec<HistoryRec> {
        let mut line = [1u64; 3];
        (0..n)
            .map(|_| {
                let file = rng.u16(0..3);
                let content = rng.u64(0..contents);
                line[usize::from(file)] += rng.u64(1..3);
                HistoryRec {
                    line: line[usize::from(file)],
                    key: content % 7,
                    hash: content.wrapping_mul(0x9E37_79B9_7F4A_7C15),
                    year: 2020 + (content / 7 % 3) as i32,
                    file,
                    covered: content % 2 == 0,
                }
            })
            .collect()
    }

    /// A ledger as exports list it: each person's years together, mostly
    /// ascending, blocks of a person sometimes repeated further down or in a
    /// second file, sometimes a block written backwards.
    fn ledger_rows(rng: &mut fastrand::Rng, persons: usize) -> Vec<HistoryRec> {
        let mut line = [1u64; 3];
        let mut rows = Vec::new();
        for _ in 0..persons {
            let key = rng.u64(0..persons as u64 / 2 + 1);
            let file = if rng.u8(0..8) == 0 { 1 } else { 0 };
            let first = 2015 + rng.i32(0..5);
            let mut years: Vec<i32> = (first..first + rng.i32(1..7)).collect();
            if rng.u8(0..10) == 0 {
                years.reverse();
            }
            for year in years {
                // One text in three differs (a second row of the year).
                let variant = u64::from(rng.u8(0..3) == 0);
                line[usize::from(file)] += 1;
                rows.push(HistoryRec {
                    line: line[usize::from(file)],
                    key,
                    hash: (key << 40) ^ (year as u64) << 2 ^ variant,
                    year,
                    file,
                    covered: variant == 0,
                });
            }
        }
        rows
    }

    #[test]
    fn sorted_runs_of_a_ledger_give_what_the_hash_set_did() {
        let mut rng = fastrand::Rng::with_seed(1915);
        for round in 0..300 {
            let persons = rng.usize(0..60);
            let fast = ledger_rows(&mut rng, persons);
            let (mut want_c, mut got_c) = (
                vec![InputCounts::default(); 3],
                vec![InputCounts::default(); 3],
            );
            let want = long_way(&fast, Vec::new(), &mut want_c);
            let got = history_rows(&fast, Vec::new(), &mut got_c);
            assert_eq!(fields(&got), fields(&want), "round {round}");
            assert_eq!(counted(&got_c), counted(&want_c), "round {round}");
        }
    }

    #[test]
    fn sorted_merging_keeps_and_counts_what_the_hash_set_did() {
        let mut rng = fastrand::Rng::with_seed(15);
        for round in 0..300 {
            let n = rng.usize(0..200);
            // Few contents: many repeats and long runs; many: few repeats.
            let contents = [3, 40, 1_000][round % 3];
            let fast = read_rows(&mut rng, n, contents);
            let other: Vec<HistoryRow> = (0..rng.usize(0..4))
                .map(|i| HistoryRow {
                    person: PersonId::Resident(rng.u64(0..7)),
                    year: 2020 + rng.i32(0..3),
                    covered: rng.bool(),
                    origin: Origin {
                        file: 3,
                        line: i as u32 + 1,
                    },
                })
                .collect();
            let (mut want_c, mut got_c) = (
                vec![InputCounts::default(); 4],
                vec![InputCounts::default(); 4],
            );
            let want = long_way(&fast, other.clone(), &mut want_c);
            let got = history_rows(&fast, other, &mut got_c);
            assert_eq!(fields(&got), fields(&want), "round {round}");
            assert_eq!(counted(&got_c), counted(&want_c), "round {round}");
        }
    }

    #[test]
    fn a_repeat_is_merged_into_the_first_row_of_its_file_only() {
        let rec = |file, line, hash| HistoryRec {
            line,
            key: 9,
            hash,
            year: 2024,
            file,
            covered: true,
        };
        // File 0 repeats its line 2 at line 5; file 1 has the same text once.
        let fast = vec![rec(0, 2, 7), rec(1, 3, 7), rec(0, 4, 8), rec(0, 5, 7)];
        let mut counts = vec![InputCounts::default(); 2];
        let got = history_rows(&fast, Vec::new(), &mut counts);
        let lines: Vec<(u16, u32)> = got.iter().map(|r| (r.origin.file, r.origin.line)).collect();
        assert_eq!(lines, vec![(0, 2), (0, 4), (1, 3)]);
        assert_eq!(counted(&counts), vec![(2, 1), (1, 0)]);
    }
}
