//! A range's rows routed to their partitions ([`route`]; history rows
//! validated on the way) and encoded as frames, piece by piece, or handed
//! over as blocks (issue 15).

use super::{Env, Pieces, RangeOut};
use crate::ingest::history::Memo;
use crate::ingest::read::{self, RowBlock};
use crate::ingest::row::Row;
use crate::ingest::{route, Route};

/// One partition's share of a range: the block's rows going there (index,
/// person key) and its history rows.
pub(super) type Routed = (Vec<(u32, read::RowKey)>, Vec<read::HistoryRec>);

/// What goes to a partition: a row as text (with its person key), or a
/// history row validated already.
enum To {
    Raw(read::RowKey),
    History(read::HistoryRec),
}

/// Sends each row of `block` to its partition, or validates it at once
/// (history rows, see [`route`]); `each` is told where each row goes.
fn route_each(
    env: &Env<'_>,
    (block, text): (&RowBlock, &str),
    memo: &mut Memo,
    out: &mut RangeOut,
    mut each: impl FnMut(usize, u32, &read::RawRow<'_>, To),
) {
    // The memo is the thread's, kept from whatever it read last.
    memo.begin();
    for (i, r) in block.iter_over(text).enumerate() {
        let i = u32::try_from(i).unwrap_or(u32::MAX);
        match route(env.kind, &Row::new(env.meta, r), env.ctx, memo) {
            Route::Raw(key) => each(env.partition_of.of(key.key), i, &r, To::Raw(key)),
            Route::History(rec, conflicts) => {
                let p = env.partition_of.of(rec.key);
                each(p, i, &r, To::History(rec));
                // Most history rows have none: no call to extend by nothing
                // (issue 15: 0.8 % of a 10 M run went there).
                // Keyed by the 128-bit hash, as rejects are: merged across
                // the whole file, not one person's year.
                if !conflicts.is_empty() {
                    let hash = r.content_hash();
                    out.early_conflicts
                        .extend(conflicts.into_iter().map(|c| (hash, c)));
                }
            }
            Route::Rejected(hash, reject) => out.early_rejects.push((hash, *reject)),
        }
    }
}

/// Routes the rows and hands over a block per partition that has rows.
pub(super) fn route_rows(
    env: &Env<'_>,
    block: (&RowBlock, &str),
    pieces: &mut Vec<RowBlock>,
    memo: &mut Memo,
    out: &mut RangeOut,
) {
    pieces.resize_with(env.partitions, RowBlock::default);
    route_each(env, block, memo, out, |p, _, r, to| match to {
        To::Raw(key) => pieces[p].push_row(r, key),
        To::History(h) => pieces[p].history.push(h),
    });
    out.pieces = Pieces::Blocks(
        pieces
            .iter_mut()
            .enumerate()
            .filter(|(_, b)| b.rows() > 0 || !b.history.is_empty())
            .map(|(p, b)| (p, std::mem::take(b)))
            .collect(),
    );
}

/// A range's frames: the bytes, and each piece's partition and place in
/// them (a partition may have a piece per chunk, in the order of the
/// range).
pub(super) struct FramesOut {
    pub(super) bytes: Vec<u8>,
    pub(super) at: Vec<(usize, std::ops::Range<usize>)>,
}

impl FramesOut {
    /// An emptied buffer from the pool (its pages are in memory already).
    pub(super) fn from_pool(env: &Env<'_>) -> FramesOut {
        let mut bytes = env
            .frame_pool
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop()
            .unwrap_or_default();
        bytes.clear();
        FramesOut {
            bytes,
            at: Vec::new(),
        }
    }
}

/// Routes the rows and appends each partition's piece to `frames` as a
/// frame, the rows' bytes copied once, from the block into the frame.
pub(super) fn encode_routed(
    env: &Env<'_>,
    (block, text): (&RowBlock, &str),
    routed: &mut Vec<Routed>,
    memo: &mut Memo,
    out: &mut RangeOut,
    frames: &mut FramesOut,
) {
    routed.resize_with(env.partitions, Default::default);
    route_each(env, (block, text), memo, out, |p, i, _, to| match to {
        To::Raw(key) => routed[p].0.push((i, key)),
        To::History(h) => routed[p].1.push(h),
    });
    let (count, history) = routed
        .iter()
        .filter(|(rows, history)| !rows.is_empty() || !history.is_empty())
        .fold((0, 0), |(f, h), (_, history)| (f + 1, h + history.len()));
    // Room for every piece at once: growing a buffer piece by piece copies
    // it into fresh pages each time. An empty buffer too small is replaced
    // rather than grown (a pooled one is seldom too small).
    let bound = block.frames_bound(text, count, history);
    match frames.bytes.is_empty() {
        true => read::room_for(&mut frames.bytes, bound),
        false => frames.bytes.reserve(bound),
    }
    for (p, (rows, history)) in routed.iter_mut().enumerate() {
        if rows.is_empty() && history.is_empty() {
            continue;
        }
        let start = frames.bytes.len();
        block.encode_rows(text, rows, history, &mut frames.bytes);
        frames.at.push((p, start..frames.bytes.len()));
        rows.clear();
        history.clear();
    }
}
