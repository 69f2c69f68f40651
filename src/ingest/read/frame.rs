//! A row block's frames in a spill file ([`crate::ingest::spill`]): how a
//! block (or some of its rows, [`RowBlock::encode_rows`]) is encoded as a
//! frame, and how a partition's frames are read back as rows borrowed from
//! the file's bytes ([`frame_rows`]); with the reused buffers they fill
//! ([`room_for`], [`room_in`]).

use super::block::{last_end, HistoryRec, RawRow, RowBlock, RowHead, RowKey};

/// Bytes of a [`HistoryRec`] in a spill file.
const HIST_BYTES: usize = 8 + 8 + 16 + 4 + 2 + 1;

impl HistoryRec {
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.line.to_le_bytes());
        out.extend_from_slice(&self.key.to_le_bytes());
        out.extend_from_slice(&self.hash.to_le_bytes());
        out.extend_from_slice(&self.year.to_le_bytes());
        out.extend_from_slice(&self.file.to_le_bytes());
        out.push(u8::from(self.covered));
    }

    fn decode(b: &[u8]) -> Option<HistoryRec> {
        Some(HistoryRec {
            line: u64::from_le_bytes(b.get(0..8)?.try_into().ok()?),
            key: u64::from_le_bytes(b.get(8..16)?.try_into().ok()?),
            hash: u128::from_le_bytes(b.get(16..32)?.try_into().ok()?),
            year: i32::from_le_bytes(b.get(32..36)?.try_into().ok()?),
            file: u16::from_le_bytes(b.get(36..38)?.try_into().ok()?),
            covered: match *b.get(38)? {
                0 => false,
                1 => true,
                _ => return None,
            },
        })
    }
}

impl RowBlock {
    /// Serialises the block (for a spill file) as one frame:
    /// `[rows u64][end bytes u64][text bytes u64][history rows u64]`, then
    /// per row `[line u64][key u64][file u16][fields u16][ID read u8]`
    /// ([`RowKey`]), then the end
    /// offsets, then the text, then the history rows.
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.reserve(
            FRAME_HEAD
                + HEAD_BYTES * self.heads.len()
                + self.ends.len()
                + self.text.len()
                + HIST_BYTES * self.history.len(),
        );
        for n in [
            self.heads.len(),
            self.ends.len(),
            self.text.len(),
            self.history.len(),
        ] {
            out.extend_from_slice(&(n as u64).to_le_bytes());
        }
        for h in &self.heads {
            encode_head(h, h.key, out);
        }
        out.extend_from_slice(&self.ends);
        out.extend_from_slice(self.text.as_bytes());
        for h in &self.history {
            h.encode(out);
        }
    }

    /// The most bytes [`RowBlock::encode_rows`] writes for `frames` pieces
    /// of this block's rows holding `history` history rows together.
    /// `text` is what the rows are read over ([`RowBlock::iter_over`]).
    pub(crate) fn frames_bound(&self, text: &str, frames: usize, history: usize) -> usize {
        FRAME_HEAD * frames
            + HEAD_BYTES * self.heads.len()
            + self.ends.len()
            + text.len()
            + HIST_BYTES * history
    }

    /// Encodes as one frame, exactly as [`RowBlock::encode`] would a block
    /// that held the rows `rows` of this block (by index, each with its
    /// person key, pushed by [`RowBlock::push_row`]) and `history`: the rows'
    /// bytes are copied once, straight into `out` (issue 15: a range's piece
    /// of a partition). The rows' texts are read from `src`, as by
    /// [`RowBlock::iter_over`].
    pub(crate) fn encode_rows(
        &self,
        src: &str,
        rows: &[(u32, RowKey)],
        history: &[HistoryRec],
        out: &mut Vec<u8>,
    ) {
        let head = |i: u32| self.heads.get(i as usize);
        let ends_len = |h: &RowHead| 4 * usize::from(h.fields);
        let text_len = |h: &RowHead| {
            last_end(
                self.ends
                    .get(h.ends_at..h.ends_at + ends_len(h))
                    .unwrap_or(&[]),
            )
        };
        let (mut ends, mut text) = (0usize, 0usize);
        for h in rows.iter().filter_map(|&(i, _)| head(i)) {
            ends += ends_len(h);
            text += text_len(h);
        }
        let n = rows.iter().filter(|&&(i, _)| head(i).is_some()).count();
        out.reserve(FRAME_HEAD + HEAD_BYTES * n + ends + text + HIST_BYTES * history.len());
        for count in [n, ends, text, history.len()] {
            out.extend_from_slice(&(count as u64).to_le_bytes());
        }
        for (h, key) in rows.iter().filter_map(|&(i, k)| Some((head(i)?, k))) {
            encode_head(h, key, out);
        }
        for h in rows.iter().filter_map(|&(i, _)| head(i)) {
            out.extend_from_slice(
                self.ends
                    .get(h.ends_at..h.ends_at + ends_len(h))
                    .unwrap_or(&[]),
            );
        }
        for h in rows.iter().filter_map(|&(i, _)| head(i)) {
            let t = src.as_bytes();
            out.extend_from_slice(t.get(h.text_at..h.text_at + text_len(h)).unwrap_or(&[]));
        }
        for h in history {
            h.encode(out);
        }
    }
}

/// A row's head in a frame, with `key` as its person key.
fn encode_head(h: &RowHead, key: RowKey, out: &mut Vec<u8>) {
    out.extend_from_slice(&h.line.to_le_bytes());
    out.extend_from_slice(&key.key.to_le_bytes());
    out.extend_from_slice(&h.file.to_le_bytes());
    out.extend_from_slice(&h.fields.to_le_bytes());
    out.push(u8::from(key.id_read));
}

/// The rows of the frames [`RowBlock::encode`] wrote into `bytes`, borrowed
/// from it (nothing is copied), and their history rows; `None` when `bytes`
/// is not such a sequence of frames. Room for `spare` more rows and
/// `spare_history` more history rows is left (for those still in memory).
pub fn frame_rows(
    bytes: &[u8],
    spare: usize,
    spare_history: usize,
) -> Option<(Vec<RawRow<'_>>, Vec<HistoryRec>)> {
    let (mut out, mut history) = (Vec::new(), Vec::new());
    frame_rows_into(bytes, (spare, spare_history), &mut out, &mut history)?;
    Some((out, history))
}

/// [`frame_rows`], appending to `out` and `history` (issue 15: vectors
/// kept from partition to partition, so their pages are not faulted in
/// afresh for each).
pub fn frame_rows_into<'a>(
    bytes: &'a [u8],
    (spare, spare_history): (usize, usize),
    out: &mut Vec<RawRow<'a>>,
    history: &mut Vec<HistoryRec>,
) -> Option<()> {
    let u64_at = |b: &[u8], at: usize| -> Option<usize> {
        usize::try_from(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?)).ok()
    };
    // Each frame's extent; counting first gives one allocation of the
    // right size.
    let mut frames = Vec::new();
    let (mut total, mut total_history) = (spare, spare_history);
    let mut at = 0usize;
    while at < bytes.len() {
        let (rows, ends, text, hist) = (
            u64_at(bytes, at)?,
            u64_at(bytes, at + 8)?,
            u64_at(bytes, at + 16)?,
            u64_at(bytes, at + 24)?,
        );
        let ends_at = at
            .checked_add(FRAME_HEAD)?
            .checked_add(rows.checked_mul(HEAD_BYTES)?)?;
        let text_at = ends_at.checked_add(ends)?;
        let hist_at = text_at.checked_add(text)?;
        let next = hist_at.checked_add(hist.checked_mul(HIST_BYTES)?)?;
        frames.push((at + FRAME_HEAD, ends_at, text_at, hist_at, next));
        total = total.checked_add(rows)?;
        total_history = total_history.checked_add(hist)?;
        at = next;
    }
    room_in(out, total);
    room_in(history, total_history);
    for (heads_at, ends_at, text_at, hist_at, next) in frames {
        let ends = bytes.get(ends_at..text_at)?;
        let text = simdutf8::basic::from_utf8(bytes.get(text_at..hist_at)?).ok()?;
        let (mut t, mut e) = (0usize, 0usize);
        for h in bytes.get(heads_at..ends_at)?.chunks_exact(HEAD_BYTES) {
            let n = usize::from(u16::from_le_bytes([h[18], h[19]]));
            let row_ends = ends.get(e..e + 4 * n)?;
            let len = last_end(row_ends);
            out.push(RawRow {
                line: u64::from_le_bytes(h[..8].try_into().ok()?),
                key: u64::from_le_bytes(h[8..16].try_into().ok()?),
                file: u16::from_le_bytes([h[16], h[17]]),
                id_read: match h[20] {
                    0 => false,
                    1 => true,
                    _ => return None,
                },
                ends: row_ends,
                text: text.get(t..t + len)?,
            });
            t += len;
            e += 4 * n;
        }
        if t != text.len() || e != ends.len() {
            return None;
        }
        for h in bytes.get(hist_at..next)?.chunks_exact(HIST_BYTES) {
            history.push(HistoryRec::decode(h)?);
        }
    }
    Some(())
}

/// Empties `buf` and makes room for `n` bytes. A buffer too small is
/// replaced by a fresh one with an eighth more room, not grown: growing
/// copies its whole old capacity (length does not matter to `realloc`)
/// into fresh pages, and the next buffer of about the same size then fits
/// (issue 15: fresh memory is zeroed page by page by the kernel).
pub(in crate::ingest) fn room_for(buf: &mut Vec<u8>, n: usize) {
    buf.clear();
    room_in(buf, n);
}

/// Makes room for `more` items in `v`: an empty vector too small is
/// replaced (with an eighth more room), as in [`room_for`]; one holding
/// items grows as usual.
pub(in crate::ingest) fn room_in<T>(v: &mut Vec<T>, more: usize) {
    if v.capacity() - v.len() >= more {
        return;
    }
    if v.is_empty() {
        *v = Vec::new();
        *v = Vec::with_capacity(more + more / 8);
    } else {
        v.reserve(more);
    }
}

/// Bytes of a frame's head (four counts).
const FRAME_HEAD: usize = 32;

/// Bytes of a row's head in a spill file.
const HEAD_BYTES: usize = 21;
