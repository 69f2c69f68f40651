//! A row block's frames in a spill file ([`crate::ingest::spill`]): how a
//! block (or some of its rows, [`RowBlock::encode_rows`]) is encoded as a
//! frame, and how a partition's frames are read back as rows borrowed from
//! the file's bytes ([`frame_rows`]); with the reused buffers they fill
//! ([`room_for`], [`room_in`]).

use super::block::{end_width, last_end, HistoryRec, RawRow, RowBlock, RowHead, RowKey};

/// The most bytes a [`HistoryRec`] takes in a spill file: a varint, the
/// hash, two more varints and the key ([`HistoryRec::encode`]).
const HIST_MAX: usize = 3 + 8 + 10 + 5 + 8;

/// What a frame's previous history row left for the next to step from:
/// its line, year and key.
type HistoryPrev = (u64, i32, u64);

impl HistoryRec {
    /// A varint `file << 2 | same key << 1 | covered`, `[hash u64]`, then
    /// varints: the line as a step from the frame's previous history row's
    /// (`prev`), the year likewise; then `[key u64]` unless it is the
    /// previous row's (a person's years lie together in most ledgers).
    /// Issue 15: about 11 bytes instead of 39 (the hash 64 bits since i27h).
    fn encode(&self, prev: &mut HistoryPrev, out: &mut Vec<u8>) {
        let same = self.key == prev.2;
        let mut b = Staged::default();
        b.varint(u64::from(self.file) << 2 | u64::from(same) << 1 | u64::from(self.covered));
        b.bytes(&self.hash.to_le_bytes());
        b.varint(step(self.line, prev.0));
        b.varint(zigzag(i64::from(self.year) - i64::from(prev.1)));
        if !same {
            b.bytes(&self.key.to_le_bytes());
        }
        b.append_to(out);
        *prev = (self.line, self.year, self.key);
    }

    fn decode(b: &mut Cursor<'_>, prev: &mut HistoryPrev) -> Option<HistoryRec> {
        let head = b.varint()?;
        let hash = u64::from_le_bytes(b.take(8)?.try_into().ok()?);
        let line = b.step(prev.0)?;
        let year = i32::try_from(i64::from(prev.1).checked_add(unzigzag(b.varint()?))?).ok()?;
        let key = match head & 2 {
            0 => u64::from_le_bytes(b.take(8)?.try_into().ok()?),
            _ => prev.2,
        };
        *prev = (line, year, key);
        Some(HistoryRec {
            line,
            key,
            hash,
            year,
            file: u16::try_from(head >> 2).ok()?,
            covered: head & 1 == 1,
        })
    }
}

impl RowBlock {
    /// Serialises the block (for a spill file) as one frame:
    /// `[rows u64][head bytes u64][end bytes u64][text bytes u64]
    /// [history rows u64][history bytes u64]`, then the rows' heads
    /// ([`encode_head`]), then their field ends, then their text, then the
    /// history rows ([`HistoryRec::encode`]).
    pub fn encode(&self, out: &mut Vec<u8>) {
        let rows: Vec<(u32, RowKey)> = (0..self.heads.len())
            .map(|i| (i as u32, self.heads[i].key))
            .collect();
        out.reserve(self.frames_bound(&self.text, 1, self.history.len()));
        self.encode_rows(&self.text, &rows, &self.history, out);
    }

    /// The most bytes [`RowBlock::encode_rows`] writes for `frames` pieces
    /// of this block's rows holding `history` history rows together.
    /// `text` is what the rows are read over ([`RowBlock::iter_over`]).
    pub(crate) fn frames_bound(&self, text: &str, frames: usize, history: usize) -> usize {
        FRAME_HEAD * frames
            + HEAD_MAX * self.heads.len()
            + self.ends.len()
            + text.len()
            + HIST_MAX * history
            + STAGED
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
        let ends_of = |h: &RowHead| {
            self.ends
                .get(h.ends_at..h.ends_at + h.ends_len())
                .unwrap_or(&[])
        };
        let text_len = |h: &RowHead| last_end(ends_of(h), usize::from(h.width));
        // Each part's size is what it took once written (issue 15, i27h:
        // no pass over the rows to count them first). Room for the heads,
        // then for the history rows, at their most; the ends and text grow
        // `out` if the caller left too little (`encode_routed` reserves a
        // range's bound, `encode` a block's).
        out.reserve(FRAME_HEAD + HEAD_MAX * rows.len() + STAGED);
        let frame = out.len();
        out.resize(frame + FRAME_HEAD, 0);
        let (mut n, mut prev) = (0usize, 0u64);
        for (h, key) in rows.iter().filter_map(|&(i, k)| Some((head(i)?, k))) {
            encode_head(h, key, &mut prev, out);
            n += 1;
        }
        let heads = out.len() - frame - FRAME_HEAD;
        let ends_at = out.len();
        for h in rows.iter().filter_map(|&(i, _)| head(i)) {
            out.extend_from_slice(ends_of(h));
        }
        let ends = out.len() - ends_at;
        let t = src.as_bytes();
        let text_at = out.len();
        for h in rows.iter().filter_map(|&(i, _)| head(i)) {
            out.extend_from_slice(t.get(h.text_at..h.text_at + text_len(h)).unwrap_or(&[]));
        }
        let text = out.len() - text_at;
        out.reserve(HIST_MAX * history.len() + STAGED);
        let hist_at = out.len();
        let mut prev: HistoryPrev = (0, 0, 0);
        for h in history {
            h.encode(&mut prev, out);
        }
        let hist = out.len() - hist_at;
        for (k, count) in [n, heads, ends, text, history.len(), hist]
            .into_iter()
            .enumerate()
        {
            out[frame + 8 * k..frame + 8 * k + 8].copy_from_slice(&(count as u64).to_le_bytes());
        }
    }
}

/// A row's head in a frame, with `key` as its person key: `[key u64]`, then
/// varints: the line as a step from the frame's previous row's (`prev`),
/// the field count, and `file << 3 | width code << 1 | ID read` (width code
/// 0, 1, 2 for ends 1, 2, 4 bytes wide; issue 15: about 11 bytes instead
/// of 21).
fn encode_head(h: &RowHead, key: RowKey, prev: &mut u64, out: &mut Vec<u8>) {
    let mut b = Staged::default();
    b.bytes(&key.key.to_le_bytes());
    b.varint(step(h.line, *prev));
    *prev = h.line;
    b.varint(u64::from(h.fields));
    let code = u64::from(h.width.trailing_zeros());
    b.varint(u64::from(h.file) << 3 | code << 1 | u64::from(key.id_read));
    b.append_to(out);
}

/// The most bytes [`encode_head`] writes.
const HEAD_MAX: usize = 8 + 10 + 3 + 3;

/// Bytes [`Staged`] holds: more than [`HEAD_MAX`] and [`HIST_MAX`].
const STAGED: usize = 48;

/// A record's bytes gathered on the stack, then appended at once (issue
/// 15: a push per byte cost more than the bytes saved).
struct Staged {
    buf: [u8; STAGED],
    len: usize,
}

impl Default for Staged {
    fn default() -> Staged {
        Staged {
            buf: [0; STAGED],
            len: 0,
        }
    }
}

impl Staged {
    #[inline]
    fn bytes(&mut self, b: &[u8]) {
        self.buf[self.len..self.len + b.len()].copy_from_slice(b);
        self.len += b.len();
    }

    /// `v` as a LEB128 varint (seven bits a byte, low bits first).
    #[inline]
    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.buf[self.len] = v as u8 | 0x80;
            self.len += 1;
            v >>= 7;
        }
        self.buf[self.len] = v as u8;
        self.len += 1;
    }

    /// Appends the staged bytes: all [`STAGED`] of them, a copy of fixed
    /// size (inlined, no call), then the tail cut off again.
    #[inline]
    fn append_to(&self, out: &mut Vec<u8>) {
        let at = out.len();
        out.extend_from_slice(&self.buf);
        out.truncate(at + self.len);
    }
}

/// The step from `prev` to `line` (either way), zigzagged for a varint.
#[inline]
fn step(line: u64, prev: u64) -> u64 {
    zigzag(line.wrapping_sub(prev) as i64)
}

#[inline]
fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

#[inline]
fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// Reads a frame's bytes front to back.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    #[inline]
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let b = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(b)
    }

    #[inline]
    fn varint(&mut self) -> Option<u64> {
        // Most are one byte.
        let first = *self.bytes.get(self.at)?;
        if first < 0x80 {
            self.at += 1;
            return Some(u64::from(first));
        }
        self.varint_long()
    }

    fn varint_long(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.bytes.get(self.at)?;
            self.at += 1;
            v |= u64::from(b & 0x7f).checked_shl(shift)?;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }

    /// A line stored as a [`step`] after `prev`.
    #[inline]
    fn step(&mut self, prev: u64) -> Option<u64> {
        Some(prev.wrapping_add(unzigzag(self.varint()?) as u64))
    }

    fn done(&self) -> bool {
        self.at == self.bytes.len()
    }
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

/// Where decoded history rows go: one vector, or (issue 15) a
/// partition's slices straight away (`reduce`), not copied there after.
pub trait HistorySink {
    /// Room for `n` more history rows.
    fn room(&mut self, n: usize);
    fn put(&mut self, h: HistoryRec);
}

impl HistorySink for Vec<HistoryRec> {
    fn room(&mut self, n: usize) {
        room_in(self, n);
    }

    #[inline]
    fn put(&mut self, h: HistoryRec) {
        self.push(h);
    }
}

/// How many rows the frames in `bytes` hold, `None` when `bytes` is not a
/// sequence of frames (as [`frame_rows_into`] reads it).
pub fn frame_row_count(bytes: &[u8]) -> Option<usize> {
    Frames::of(bytes).map(|f| f.rows())
}

/// Where a frame's parts lie in a spill file's bytes.
struct FrameAt {
    heads: std::ops::Range<usize>,
    ends: std::ops::Range<usize>,
    text: std::ops::Range<usize>,
    history: std::ops::Range<usize>,
    rows: usize,
    history_rows: usize,
}

/// A spill file's frames, and their rows and history rows in all, found
/// from the frames' heads as the file's bytes arrive ([`Frames::scan`]).
///
/// Issue 15: a partition's frames are a few KB apart at 10 M persons (a
/// reading thread's chunk cut into a frame per partition), so walking their
/// heads after the whole file was read fetched each from memory (a cache
/// and a TLB miss per frame), and it was walked twice (the partition's row
/// count, then its rows). Scanned as each piece of the file is read, the
/// heads are still in the cache.
#[derive(Default)]
pub struct Frames {
    at: Vec<FrameAt>,
    rows: usize,
    history_rows: usize,
    /// Where the next frame's head starts.
    next: usize,
}

impl Frames {
    /// The frames of a whole file's `bytes`; `None` when `bytes` is not a
    /// sequence of frames' heads.
    pub fn of(bytes: &[u8]) -> Option<Frames> {
        let mut frames = Frames::default();
        frames.scan(bytes)?;
        frames.finish(bytes.len())?;
        Some(frames)
    }

    /// Adds the frames whose heads lie wholly in `bytes`, the file's first
    /// bytes (more of them at each call), beyond those found already.
    pub fn scan(&mut self, bytes: &[u8]) -> Option<()> {
        while self.next.checked_add(FRAME_HEAD)? <= bytes.len() {
            let at = self.next;
            let u64_at = |k: usize| -> Option<usize> {
                let b = bytes.get(at + 8 * k..at + 8 * k + 8)?;
                usize::try_from(u64::from_le_bytes(b.try_into().ok()?)).ok()
            };
            let [rows, heads, ends, text, history_rows, history] = [0, 1, 2, 3, 4, 5].map(u64_at);
            let (rows, history_rows) = (rows?, history_rows?);
            let mut next = at + FRAME_HEAD;
            let mut part = |len: Option<usize>| -> Option<std::ops::Range<usize>> {
                let start = next;
                next = next.checked_add(len?)?;
                Some(start..next)
            };
            self.at.push(FrameAt {
                heads: part(heads)?,
                ends: part(ends)?,
                text: part(text)?,
                history: part(history)?,
                rows,
                history_rows,
            });
            self.rows = self.rows.checked_add(rows)?;
            self.history_rows = self.history_rows.checked_add(history_rows)?;
            self.next = next;
        }
        Some(())
    }

    /// Whether the file's `len` bytes, all scanned, hold no cut-off head
    /// (a frame's parts past the end are found when its rows are read).
    pub fn finish(&self, len: usize) -> Option<()> {
        (self.next >= len).then_some(())
    }

    /// The rows the frames hold.
    pub fn rows(&self) -> usize {
        self.rows
    }
}

/// [`frame_rows`], appending to `out` and `history` (issue 15: vectors
/// kept from partition to partition, so their pages are not faulted in
/// afresh for each).
pub fn frame_rows_into<'a>(
    bytes: &'a [u8],
    spare: (usize, usize),
    out: &mut Vec<RawRow<'a>>,
    history: &mut impl HistorySink,
) -> Option<()> {
    frames_rows_into(bytes, &Frames::of(bytes)?, spare, out, history)
}

/// [`frame_rows_into`] with the frames of `bytes` found already
/// ([`Frames::scan`] as the file was read).
pub fn frames_rows_into<'a>(
    bytes: &'a [u8],
    frames: &Frames,
    (spare, spare_history): (usize, usize),
    out: &mut Vec<RawRow<'a>>,
    history: &mut impl HistorySink,
) -> Option<()> {
    // Counting first gives one allocation of the right size.
    room_in(out, frames.rows.checked_add(spare)?);
    history.room(frames.history_rows.checked_add(spare_history)?);
    for f in &frames.at {
        frame_into(bytes, f, out, history)?;
    }
    Some(())
}

/// One frame's rows and history rows.
fn frame_into<'a>(
    bytes: &'a [u8],
    f: &FrameAt,
    out: &mut Vec<RawRow<'a>>,
    history: &mut impl HistorySink,
) -> Option<()> {
    let ends = bytes.get(f.ends.clone())?;
    let text = simdutf8::basic::from_utf8(bytes.get(f.text.clone())?).ok()?;
    let mut heads = Cursor {
        bytes: bytes.get(f.heads.clone())?,
        at: 0,
    };
    let (mut t, mut e, mut line) = (0usize, 0usize, 0u64);
    for _ in 0..f.rows {
        let key = u64::from_le_bytes(heads.take(8)?.try_into().ok()?);
        line = heads.step(line)?;
        let n = usize::try_from(heads.varint()?).ok()?;
        let tail = heads.varint()?;
        let width = 1usize << ((tail >> 1) & 3);
        let row_ends = ends.get(e..e.checked_add(n.checked_mul(width)?)?)?;
        let len = last_end(row_ends, width);
        if width > 4 || end_width(len) != width {
            return None;
        }
        out.push(RawRow {
            line,
            key,
            file: u16::try_from(tail >> 3).ok()?,
            id_read: tail & 1 == 1,
            ends: row_ends,
            text: text.get(t..t + len)?,
        });
        t += len;
        e += row_ends.len();
    }
    if t != text.len() || e != ends.len() || !heads.done() {
        return None;
    }
    let mut hist = Cursor {
        bytes: bytes.get(f.history.clone())?,
        at: 0,
    };
    let mut prev: HistoryPrev = (0, 0, 0);
    for _ in 0..f.history_rows {
        history.put(HistoryRec::decode(&mut hist, &mut prev)?);
    }
    hist.done().then_some(())
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

/// Bytes of a frame's head (six counts).
const FRAME_HEAD: usize = 48;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::lines::Fields;

    fn record(fields: &[&str]) -> Fields {
        let mut rec = Fields::default();
        for f in fields {
            rec.push_field(f.as_bytes());
        }
        rec
    }

    fn texts(rows: &[RawRow<'_>]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| {
                (0..r.fields())
                    .map(|i| r.get(i).unwrap().to_string())
                    .collect()
            })
            .collect()
    }

    /// Rows of each end width (texts shorter than 256 bytes, than 64 KiB,
    /// and longer), lines going back (a second file), history rows whose
    /// lines and years go both ways: all read back as they were written.
    #[test]
    fn every_end_width_and_history_row_reads_back() {
        let long = "x".repeat(300);
        let longer = "y".repeat(70_000);
        let rows: Vec<Vec<&str>> = vec![
            vec!["a", "", "bc"],
            vec![&long, "z"],
            vec!["", &longer, "w", ""],
            vec![],
            vec!["k"],
        ];
        let mut block = RowBlock::default();
        for (i, r) in rows.iter().enumerate() {
            let (file, line) = ([0u16, 3, 3, 700, 1][i], [9u64, 2, 1 << 40, 5, 4][i]);
            block.push_record(file, line, &record(r), b',');
        }
        block.history = vec![
            HistoryRec {
                line: 7,
                key: 1,
                hash: u64::MAX,
                year: 2024,
                file: 0,
                covered: true,
            },
            HistoryRec {
                line: 3,
                key: u64::MAX,
                hash: 5,
                year: -3,
                file: 9000,
                covered: false,
            },
            HistoryRec {
                line: u64::MAX,
                key: 2,
                hash: 0,
                year: i32::MAX,
                file: 1,
                covered: true,
            },
            HistoryRec {
                line: 1,
                key: 3,
                hash: 7,
                year: 2020,
                file: 2,
                covered: true,
            },
            HistoryRec {
                line: 0,
                key: 3,
                hash: 1 << 60,
                year: i32::MIN,
                file: 2,
                covered: false,
            },
        ];
        let mut bytes = Vec::new();
        block.encode(&mut bytes);
        block.encode(&mut bytes);
        let (back, history) = frame_rows(&bytes, 0, 0).unwrap();
        let want: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|f| f.to_string()).collect())
            .collect();
        let twice: Vec<Vec<String>> = want.iter().chain(&want).cloned().collect();
        assert_eq!(texts(&back), twice);
        let lines: Vec<(u16, u64)> = back.iter().map(|r| (r.file, r.line)).collect();
        assert_eq!(
            &lines[..5],
            &[(0, 9), (3, 2), (3, 1 << 40), (700, 5), (1, 4)]
        );
        let mine: Vec<(u16, u64)> = block.iter().map(|r| (r.file, r.line)).collect();
        assert_eq!(&lines[5..], &mine[..]);
        assert_eq!(
            history,
            [block.history.clone(), block.history.clone()].concat()
        );
        // A frame cut short, or with a byte more, is refused.
        assert!(frame_rows(&bytes[..bytes.len() - 1], 0, 0).is_none());
        let mut more = bytes.clone();
        more.push(0);
        assert!(frame_rows(&more, 0, 0).is_none());
    }

    /// Frames found piece by piece as a file's bytes arrive, whatever the
    /// pieces' sizes (a head split between two reads), are the frames found
    /// in the whole, and give the same rows; a file ending inside a head is
    /// refused, one ending inside a frame's parts is refused when read.
    #[test]
    fn frames_found_piece_by_piece_are_those_of_the_whole() {
        let mut block = RowBlock::default();
        for (i, r) in [vec!["a", "bc"], vec!["甲", "", "z"], vec!["k"]]
            .iter()
            .enumerate()
        {
            block.push_record(i as u16, 10 - i as u64, &record(r), b',');
        }
        block.history = vec![HistoryRec {
            line: 4,
            key: 8,
            hash: 99,
            year: 2023,
            file: 1,
            covered: true,
        }];
        let mut bytes = Vec::new();
        for _ in 0..3 {
            block.encode(&mut bytes);
        }
        let (want, want_history) = frame_rows(&bytes, 0, 0).unwrap();
        for piece in [1, 7, 47, 48, 49, 100, bytes.len()] {
            let mut frames = Frames::default();
            let mut upto = 0;
            while upto < bytes.len() {
                upto = (upto + piece).min(bytes.len());
                frames.scan(&bytes[..upto]).unwrap();
            }
            assert!(frames.finish(bytes.len()).is_some(), "piece {piece}");
            assert_eq!(frames.rows(), 9);
            let (mut rows, mut history) = (Vec::new(), Vec::new());
            frames_rows_into(&bytes, &frames, (0, 0), &mut rows, &mut history).unwrap();
            assert_eq!(texts(&rows), texts(&want), "piece {piece}");
            assert_eq!(history, want_history, "piece {piece}");
        }
        let frame = bytes.len() / 3;
        assert!(Frames::of(&bytes[..frame + FRAME_HEAD - 1]).is_none());
        let cut = &bytes[..frame + FRAME_HEAD + 1];
        let frames = Frames::of(cut).unwrap();
        let (mut rows, mut history) = (Vec::new(), Vec::new());
        assert!(frames_rows_into(cut, &frames, (0, 0), &mut rows, &mut history).is_none());
    }

    /// A row takes the same bytes, and so the same hash, however it was
    /// pushed: split in place, from a record, copied from another block, or
    /// read back from a frame (duplicate merging depends on it).
    #[test]
    fn equal_rows_hash_alike_whichever_way_they_came() {
        let line = "11,甲,2024-01-01,";
        let ends = [2usize, 6, 17, 18];
        let mut in_place = RowBlock::default();
        in_place.push_in_place((0, 2), 0, &ends);
        let mut fields = RowBlock::default();
        fields.push_record(1, 3, &record(&["11", "甲", "2024-01-01", ""]), b',');
        let a = in_place.iter_over(line).next().unwrap();
        let b = fields.iter().next().unwrap();
        let mut copied = RowBlock::default();
        copied.push_row(&a, RowKey::default());
        let c = copied.iter().next().unwrap();
        let mut bytes = Vec::new();
        fields.encode(&mut bytes);
        let (back, _) = frame_rows(&bytes, 0, 0).unwrap();
        for r in [b, c, back[0]] {
            assert_eq!(r.content_hash(), a.content_hash());
            assert_eq!(r.history_hash(), a.history_hash());
        }
        assert_eq!(texts(&[a]), vec![vec!["11", "甲", "2024-01-01", ""]]);
        // Boundaries still count: "a,bc" is not "ab,c".
        let mut other = RowBlock::default();
        other.push_record(0, 2, &record(&["1", "1,甲", "2024-01-01", ""]), b',');
        assert_ne!(
            other.iter().next().unwrap().content_hash(),
            a.content_hash()
        );
        assert_ne!(
            other.iter().next().unwrap().history_hash(),
            a.history_hash()
        );
    }
}
