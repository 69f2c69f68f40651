//! Reducing the partitions ([`Scattered::reduce`]): each partition's rows
//! read back, cut into slices, byte-identical repeats merged, the rest
//! validated into records ([`ParsedRow`]) and handed on slice by slice.

use rayon::prelude::*;

use super::read::{self, TableMeta};
use super::row::Row;
use super::{
    enrollment, identity, regionless, register, spill, Ingested, InputCounts, ParseCtx, Records,
    Reduced, Scattered,
};
use crate::domain::SourceKind;
use crate::error::Result;
use crate::findings::{Conflict, FileIdx, Reject};

mod past;
mod sieve;

impl Scattered {
    pub fn partitions(&self) -> usize {
        self.parts.count()
    }

    /// Validates each partition into records and hands them to `each`,
    /// partitions in parallel (one accumulator per rayon task, from `init`,
    /// combined by `merge`). Whatever `each` collects must be sorted
    /// afterwards: the order partitions finish in is not fixed.
    pub fn reduce<T: Send>(
        self,
        ctx: ParseCtx<'_>,
        init: impl Fn() -> T + Sync + Send,
        each: impl Fn(&mut T, Ingested) + Sync + Send,
        merge: impl Fn(T, T) -> T + Sync + Send,
        partition_done: impl Fn() + Sync + Send,
    ) -> Result<Reduced<T>> {
        let Scattered {
            mut files,
            metas,
            parts,
            rejects,
            conflicts,
        } = self;
        let kinds: Vec<SourceKind> = files.iter().map(|f| f.kind).collect();
        let zero = || (init(), vec![InputCounts::default(); kinds.len()]);
        let dir = parts.dir().to_path_buf();
        let spare: Spare<Vec<u8>> = Spare::default();
        let spare_scratch: Spare<Scratch> = Spare::default();
        let spare_rows = spill::SpareRows::default();
        let (acc, counts) = parts
            .into_sources()
            .into_par_iter()
            .map(|source| -> Result<_> {
                let mut buf = spare.take();
                let tail = source.read_into(&mut buf)?;
                // Rows borrowing nothing become rows borrowing `buf`.
                let mut rows: Vec<read::RawRow<'_>> = spare_rows.take();
                let mut scratch = spare_scratch.take();
                let slices = spill::partition_row_count(&tail)
                    .div_ceil(SLICE_ROWS)
                    .max(1);
                let mut by_slice = HistoryBySlice::new(&mut scratch.history_of, slices);
                spill::partition_rows_into(&buf, &tail, &dir, (&mut rows, &mut by_slice))?;
                let mut acc = init();
                let counts = load(&rows, slices, &kinds, &metas, ctx, &mut scratch, |part| {
                    each(&mut acc, part)
                });
                spare_scratch.put(scratch);
                spare_rows.put(rows);
                spare.put(buf);
                partition_done();
                Ok((acc, counts))
            })
            .try_reduce(zero, |(a, mut ca), (b, cb)| {
                for (x, y) in ca.iter_mut().zip(cb) {
                    x.accepted += y.accepted;
                    x.rejected += y.rejected;
                    x.merged_duplicates += y.merged_duplicates;
                    x.placed_by_enrollment += y.placed_by_enrollment;
                    x.placed_by_register += y.placed_by_register;
                }
                Ok((merge(a, b), ca))
            })?;
        for (f, c) in files.iter_mut().zip(counts) {
            f.counts.accepted += c.accepted;
            f.counts.rejected += c.rejected;
            f.counts.merged_duplicates += c.merged_duplicates;
            f.counts.placed_by_enrollment += c.placed_by_enrollment;
            f.counts.placed_by_register += c.placed_by_register;
        }
        Ok(Reduced {
            files,
            rejects,
            conflicts,
            acc,
        })
    }
}

/// Buffers kept between partitions (fresh memory costs page faults): the
/// spill file read back, the rows parsed. Shared rather than one per
/// thread: a thread waiting inside a partition's parallel steps may start
/// another partition, and a per-thread buffer was then taken already (a
/// fresh one was faulted in, and one of the two freed afterwards).
struct Spare<T>(std::sync::Mutex<Vec<T>>);

impl<T> Default for Spare<T> {
    fn default() -> Self {
        Spare(std::sync::Mutex::new(Vec::new()))
    }
}

impl<T: Default> Spare<T> {
    fn take(&self) -> T {
        let mut spare = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        spare.pop().unwrap_or_default()
    }

    fn put(&self, buf: T) {
        let mut spare = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        spare.push(buf);
    }
}

/// Persons' rows validated and judged together: a partition is cut into
/// slices of about this many rows, so the working set of each step (the
/// duplicate set, the records, their sort) stays small and in cache.
const SLICE_ROWS: usize = 65_536;

/// A partition's working vectors, kept from partition to partition (issue
/// 15: fresh ones, a few tens of MB per partition at 10 M persons, were
/// faulted in page by page each time): the rows parsed, a slice's rows and
/// their hashes, the repeats seen (and the sieve before them), the
/// history rows by slice (filled by
/// [`HistoryBySlice`] as the partition is read), the rows' slices and their
/// order.
#[derive(Default)]
struct Scratch {
    parsed: Vec<ParsedRow>,
    /// Empty between partitions (the rows borrow a partition's bytes).
    members: Vec<read::RawRow<'static>>,
    hashes: Vec<u128>,
    seen: Repeats,
    sieve: sieve::Sieve,
    history_of: Vec<Vec<read::HistoryRec>>,
    slice: Vec<u32>,
    order: Vec<u32>,
}

/// Validates one partition in `slices` slices ([`load_slice`]), handing
/// each slice's records to `each`; returns the partition's counts per file.
/// The history rows of slice `s` are `scratch.history_of[s]` (none where
/// there is no such vector).
fn load(
    rows: &[read::RawRow<'_>],
    slices: usize,
    kinds: &[SourceKind],
    metas: &[TableMeta],
    ctx: ParseCtx<'_>,
    scratch: &mut Scratch,
    mut each: impl FnMut(Ingested),
) -> Vec<InputCounts> {
    let mut counts = vec![InputCounts::default(); kinds.len()];
    let slice_of = spill::SliceOf::new(slices);
    let Scratch {
        parsed,
        members,
        hashes,
        seen,
        sieve,
        history_of,
        slice,
        order,
    } = scratch;
    slice.clear();
    slice.extend(rows.iter().map(|r| slice_of.of(r.key) as u32));
    let starts = by_slice(slice, slices, order);
    // Rows borrowing nothing become rows borrowing the partition.
    let mut rows_of_slice: Vec<read::RawRow<'_>> = std::mem::take(members);
    for s in 0..slices {
        let history = history_of.get(s).map_or(&[][..], Vec::as_slice);
        gather(rows, &order[starts[s]..starts[s + 1]], &mut rows_of_slice);
        let mut part = load_slice(
            &rows_of_slice,
            (seen, sieve, hashes),
            kinds,
            metas,
            ctx,
            parsed,
            &mut counts,
        );
        // History rows validated while reading: merge repeats, keep the rest,
        // in the rules' order.
        let long_way = std::mem::take(&mut part.history);
        part.history = past::history_rows(history, long_way, &mut counts);
        each(part);
    }
    *members = spill::unborrowed(rows_of_slice);
    counts
}

/// A partition's history rows put into their slices' vectors as they are
/// read back, the first `slices` of `history_of` (kept from partition to
/// partition). Issue 15: read into one vector and copied out by slice
/// afterwards, every history row was written twice and read three times.
struct HistoryBySlice<'v> {
    of: spill::SliceOf,
    slices: &'v mut [Vec<read::HistoryRec>],
}

impl<'v> HistoryBySlice<'v> {
    fn new(history_of: &'v mut Vec<Vec<read::HistoryRec>>, slices: usize) -> Self {
        if history_of.len() < slices {
            history_of.resize_with(slices, Vec::new);
        }
        let slices_of = &mut history_of[..slices];
        slices_of.iter_mut().for_each(Vec::clear);
        HistoryBySlice {
            of: spill::SliceOf::new(slices),
            slices: slices_of,
        }
    }
}

impl read::HistorySink for HistoryBySlice<'_> {
    /// Each slice's share (the keys spread evenly over the slices) and an
    /// eighth more where a vector needs more room.
    fn room(&mut self, n: usize) {
        let share = n / self.slices.len().max(1);
        for v in self.slices.iter_mut() {
            read::room_in(v, share);
        }
    }

    #[inline]
    fn put(&mut self, h: read::HistoryRec) {
        self.slices[self.of.of(h.key)].push(h);
    }
}

/// How many rows ahead of the one copied the next is fetched ([`gather`]).
const GATHER_AHEAD: usize = 16;

/// The rows `slice` (positions in `rows`, rising) copied into `members`.
/// Issue 15: a slice's rows lie a dozen rows apart in the partition, too
/// irregularly for the processor to guess, so each is asked for ahead.
fn gather<'a>(rows: &[read::RawRow<'a>], slice: &[u32], members: &mut Vec<read::RawRow<'a>>) {
    members.clear();
    members.reserve(slice.len());
    for (k, &i) in slice.iter().enumerate() {
        if let Some(ahead) = slice
            .get(k + GATHER_AHEAD)
            .and_then(|&a| rows.get(a as usize))
        {
            prefetch(ahead);
        }
        members.push(rows[i as usize]);
    }
}

/// The items by slice (`slice` holds each item's slice number, below
/// `slices`): the items' indices slice by slice into `order`, each slice in
/// the items' order (a counting sort: the first of two identical rows is
/// the one kept); returns the start of each slice in `order` (one more
/// start than slices, the last is the count).
fn by_slice(slice: &[u32], slices: usize, order: &mut Vec<u32>) -> Vec<usize> {
    let mut starts = vec![0usize; slices + 1];
    for &s in slice {
        starts[s as usize + 1] += 1;
    }
    for i in 0..slices {
        starts[i + 1] += starts[i];
    }
    let mut next = starts.clone();
    order.clear();
    order.resize(slice.len(), 0);
    for (i, &s) in slice.iter().enumerate() {
        order[next[s as usize]] = i as u32;
        next[s as usize] += 1;
    }
    starts
}

/// Each row's content hash into `hashes` and outcome into `parsed` (the
/// partition's buffers, kept from slice to slice and partition to
/// partition: a fresh one per slice faulted in its pages), in parallel.
///
/// Its file is the row's: `rows` and `parsed` stay aligned. Each outcome
/// is written over the one the previous slice left in its place (issue 15:
/// emptying the vector after each slice dropped every outcome in a pass of
/// its own, over a vector no longer in the cache; overwritten, the old one
/// is dropped where the new one is written). (Writing each outcome into
/// reserved room by hand, with `set_len`, measured no faster than rayon's
/// unzip: the unsafe code was not worth it.)
fn hash_and_parse(
    rows: &[read::RawRow<'_>],
    (kinds, metas, ctx): (&[SourceKind], &[TableMeta], ParseCtx<'_>),
    hashes: &mut Vec<u128>,
    parsed: &mut Vec<ParsedRow>,
) {
    hashes.resize(rows.len(), 0);
    parsed.resize_with(rows.len(), || ParsedRow::Merged);
    rows.par_iter()
        .zip(hashes.par_iter_mut())
        .zip(parsed.par_iter_mut())
        .enumerate()
        .for_each(|(i, ((r, hash), outcome))| {
            // The text and field ends of the row `ROWS_AHEAD` on are asked
            // for: they come from memory while this one is hashed and parsed.
            if let Some(ahead) = rows.get(i + ROWS_AHEAD) {
                prefetch_row(ahead);
            }
            let f = usize::from(r.file);
            let row = Row::new(&metas[f], *r);
            *hash = r.content_hash();
            *outcome = parse_row(kinds[f], &row, ctx);
        });
}

/// Marks (and counts as merged) each row of the slice repeating an earlier
/// one of its file: its parsed outcome becomes [`ParsedRow::Merged`].
/// Issue 15: the outcomes are left in place (removing them moved every
/// later outcome, a couple of hundred bytes each, down the vector). Only the
/// rows the sieve finds sharing a slot go through the set, in the slice's
/// order (a row alone in its slot repeats nothing and is repeated by
/// nothing), so the first of two identical rows is still the one kept.
fn mark_repeats(
    rows: &[read::RawRow<'_>],
    (seen, sieve): (&mut Repeats, &mut sieve::Sieve),
    hashes: &[u128],
    parsed: &mut [ParsedRow],
    counts: &mut [InputCounts],
) {
    sieve.sift(hashes);
    seen.restart(0);
    for ((r, &h), p) in rows.iter().zip(hashes).zip(parsed) {
        if sieve.shared(h) && !seen.first(r.file, h, counts) {
            *p = ParsedRow::Merged;
        }
    }
}

/// Asks the processor to start fetching `v` into the cache, ahead of its
/// use: a hint, with no effect on what the program computes (issue 15: the
/// steps reading a slice's rows in an order other than memory's wait for
/// memory on most rows otherwise).
#[inline(always)]
fn prefetch<T>(v: &T) {
    let first = (v as *const T).cast::<u8>();
    crate::memory::prefetch_line(first);
    crate::memory::prefetch_line(first.wrapping_add(std::mem::size_of::<T>().saturating_sub(1)));
}

/// How many rows ahead of the one parsed the next one's text is fetched.
const ROWS_AHEAD: usize = 4;

/// Starts fetching a row's text and field ends (their addresses are in the
/// row itself: issue 15, asking through the first field's bounds read the
/// ends and the text, so the hint itself waited for memory on most rows).
#[inline(always)]
fn prefetch_row(row: &read::RawRow<'_>) {
    let (text, ends) = row.bytes();
    prefetch_span(text);
    prefetch_span(ends);
}

/// Starts fetching the cache lines of `bytes`: its first three and its
/// last (a row's text is rarely longer than that).
#[inline(always)]
fn prefetch_span(bytes: &[u8]) {
    let p = bytes.as_ptr();
    crate::memory::prefetch_line(p);
    if bytes.len() > 64 {
        crate::memory::prefetch_line(p.wrapping_add(64));
    }
    if bytes.len() > 128 {
        crate::memory::prefetch_line(p.wrapping_add(128));
    }
    crate::memory::prefetch_line(p.wrapping_add(bytes.len().saturating_sub(1)));
}

/// Rows seen so far in a slice, by file and content hash.
#[derive(Default)]
struct Repeats(read::RowHashSet);

impl Repeats {
    /// Empties the set for `n` more rows; its table is kept from slice to
    /// slice (a fresh one costs page faults).
    fn restart(&mut self, n: usize) {
        self.0.clear();
        self.0.reserve(n);
    }

    /// Whether this is the first row of `file` with this content; a repeat
    /// is counted as merged. (The file index goes into the key's high half;
    /// the table indexes by the low half.)
    fn first(&mut self, file: FileIdx, hash: u128, counts: &mut [InputCounts]) -> bool {
        let fresh = self.0.insert(hash ^ (u128::from(file) << 64));
        if !fresh {
            counts[usize::from(file)].merged_duplicates += 1;
        }
        fresh
    }
}

/// Validates a slice's rows into records, merging byte-identical repeats
/// of an earlier row of the same file ([`Repeats`]; a repeat has the same
/// ID, so it is always in the same partition and slice). Returns the
/// records, rejects and conflicts
/// (`files` left empty); adds to the counts per file. `parsed` is room for
/// the parsed rows, left holding emptied outcomes; `seen`, `sieve` and `hashes` are kept from slice to
/// slice.
///
/// Issue 15: each row is hashed by the task that parses it, just before,
/// so its text is fetched from memory once (hashing the slice first, in
/// one pass, fetched every row twice: the slice had left the cache by the
/// time it was parsed). Repeats are rare: parsing one for nothing costs
/// less than the second fetch of every row. The repeats are then found in
/// the slice's order, so the first of two identical rows is the one kept
/// whatever the thread count.
fn load_slice(
    rows: &[read::RawRow<'_>],
    (seen, sieve, hashes): (&mut Repeats, &mut sieve::Sieve, &mut Vec<u128>),
    kinds: &[SourceKind],
    metas: &[TableMeta],
    ctx: ParseCtx<'_>,
    parsed: &mut Vec<ParsedRow>,
    counts: &mut [InputCounts],
) -> Ingested {
    hash_and_parse(rows, (kinds, metas, ctx), hashes, parsed);
    mark_repeats(rows, (seen, sieve), hashes, parsed, counts);
    regionless::place(rows, parsed, kinds, metas, ctx, counts);
    let mut out = sized_for(rows, kinds);
    // Each record is moved once, from its row's outcome into its vector;
    // the emptied outcomes stay, to be written over by the next slice's
    // ([`hash_and_parse`]). (Issue 15: draining them by value instead, to
    // drop each while in the cache, moved every outcome once more: more
    // `memcpy` samples than the drops it saved.)
    for (row, p) in rows.iter().zip(parsed.iter_mut()) {
        let c = &mut counts[usize::from(row.file)];
        match p {
            ParsedRow::Accepted(records, conflicts) => {
                c.accepted += 1;
                out.conflicts.append(conflicts);
                for r in records.drain(..) {
                    out.push(r);
                }
            }
            ParsedRow::Rejected(_) => {
                c.rejected += 1;
                if let ParsedRow::Rejected(r) = std::mem::replace(p, ParsedRow::Merged) {
                    out.rejects.push(*r);
                }
            }
            ParsedRow::Merged => {}
        }
    }
    out
}

/// A slice's vectors, sized once for the most records its rows can give
/// (a vector grown by doubling faults in fresh pages each time; room never
/// written to is never faulted in). Issue 15: counted from the rows' kinds,
/// not from their outcomes — a pass over the outcomes (a couple of hundred
/// bytes each, the slice's no longer in the cache) cost more than the room.
/// History rows validated here are rare (most are validated while reading):
/// their vector grows as needed.
fn sized_for(rows: &[read::RawRow<'_>], kinds: &[SourceKind]) -> Ingested {
    let mut per_file = vec![0usize; kinds.len()];
    for r in rows {
        if let Some(n) = per_file.get_mut(usize::from(r.file)) {
            *n += 1;
        }
    }
    // Identities, enrollment rows, persons, people insured elsewhere.
    let mut n = [0usize; 4];
    for (kind, rows) in kinds.iter().zip(per_file) {
        match kind {
            SourceKind::Civil | SourceKind::Veterans | SourceKind::Disability => n[0] += rows,
            // A row whose risk was cleared gives two identities.
            SourceKind::Agri => n[0] += 2 * rows,
            SourceKind::Enrollment => n[1] += rows,
            SourceKind::Persons => n[2] += rows,
            SourceKind::Elsewhere => n[3] += rows,
        }
    }
    Ingested {
        identities: Vec::with_capacity(n[0]),
        enrollment: Vec::with_capacity(n[1]),
        persons: Vec::with_capacity(n[2]),
        elsewhere: Vec::with_capacity(n[3]),
        ..Ingested::default()
    }
}

/// The outcome of one row.
#[derive(Debug)]
pub enum ParsedRow {
    /// One row may give several records (an agriculture row whose risk was
    /// cleared gives two identities) and doubts worth listing.
    Accepted(Records, Vec<Conflict>),
    Rejected(Box<Reject>),
    /// A byte-identical repeat of an earlier row of its file, merged.
    Merged,
}

pub(super) fn parse_row(kind: SourceKind, row: &Row<'_>, ctx: ParseCtx<'_>) -> ParsedRow {
    let result = match kind {
        SourceKind::Civil | SourceKind::Veterans => identity::parse_roster(kind, row, ctx),
        SourceKind::Agri => identity::parse_agri(row, ctx),
        SourceKind::Disability => identity::parse_disability(row, ctx),
        SourceKind::Enrollment => enrollment::parse(row, ctx),
        SourceKind::Persons => {
            register::parse_person(row, ctx).map(|r| (Records::from_buf([r]), vec![]))
        }
        SourceKind::Elsewhere => {
            register::parse_elsewhere(row, ctx).map(|r| (Records::from_buf([r]), vec![]))
        }
    };
    match result {
        Ok((records, conflicts)) => ParsedRow::Accepted(records, conflicts),
        Err(r) => ParsedRow::Rejected(r),
    }
}

#[cfg(test)]
mod tests;
