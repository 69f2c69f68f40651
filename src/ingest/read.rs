//! Reading one export as a stream of rows: the header found and matched
//! against the source schema ([`super::table`]), the records handed out by
//! [`super::source`] (format, encoding, physical lines) sorted into data
//! rows, blank rows and totals/notes, every line accounted for
//! ([`super::lines::LineAccount`]). Rows arrive in blocks ([`RowBlock`]: one
//! allocation per 65,536 rows), so a file of any size is read in bounded
//! memory; byte-identical duplicate rows are merged later, per partition
//! (`super::load_slice`), by their 128-bit hash.

use std::path::Path;

use super::bind::{bind, FitCheck, HeaderColumn, FIT_SAMPLE_ROWS};
use super::lines::{Fields, Item, LineAccount};
use super::schema::{Col, SourceSchema};
use super::source::open;
use super::table::{self, RowKind, Shape};
use crate::error::{Error, Result};
use crate::findings::{FileIdx, Reject, RejectReason};
use crate::i18n::Msg;

/// Column key → index into a row.
pub type Columns = Vec<(String, usize)>;

/// What is known of an export once its header is read.
#[derive(Debug, Clone)]
pub struct TableMeta {
    /// Header texts as written in the file.
    pub header: Vec<String>,
    /// Column key → index into a row, sorted by key.
    pub columns: Columns,
    /// The position of each [`Col`] (indexed by `Col as usize`).
    by_col: Vec<Option<usize>>,
    pub encoding: &'static str,
    /// Headers that matched no column of the schema (named in the summary).
    pub ignored_columns: Vec<String>,
    /// Every header and what became of it (bound, or ignored and why).
    pub binding: Vec<HeaderColumn>,
    /// Read from an XLSX workbook: a bare number in a date column is an Excel
    /// serial date there, and a long ID may have been stored as a number.
    pub from_xlsx: bool,
    /// The header's line and the lines it spans (issue 10: found, not
    /// assumed to be line 1).
    pub header_line: u64,
    pub header_lines: u64,
    /// ID and row-number columns, for telling people from totals and notes.
    pub shape: Shape,
}

impl TableMeta {
    /// The index of a column the parsers read, if the file has it.
    #[inline]
    pub fn col(&self, c: Col) -> Option<usize> {
        self.by_col.get(c as usize).copied().flatten()
    }

    /// The index of a column by key, if the file has it.
    pub fn column(&self, key: &str) -> Option<usize> {
        self.columns.iter().find(|(k, _)| k == key).map(|(_, i)| *i)
    }
}

/// What reading the whole file saw.
#[derive(Debug, Clone, Default)]
pub struct FileStats {
    pub sha256: String,
    /// Data rows seen (blank rows and totals/notes excluded; rows rejected
    /// while reading included).
    pub rows_read: u64,
    /// Entirely blank rows (spreadsheets leave them at the end), skipped.
    pub blank_rows: u64,
    /// Where every physical line went.
    pub lines: LineAccount,
    /// Rows rejected while reading: a broken quote, a row too wide.
    pub rejects: Vec<Reject>,
}

/// The most fields a row may have: Excel's 16,384 columns (`XFD`). A wider
/// row is rejected as ROW_TOO_WIDE, never cut short.
pub const MAX_FIELDS: usize = 16_384;

/// Rows stored back to back: one allocation per block, none per row. The
/// texts of all rows are one `String` (so always valid UTF-8: a stray byte
/// that is not becomes U+FFFD when the row is read, and the row is still
/// validated, and rejected where it matters, never lost); each row has a head
/// (file, line, person key, where its text starts) and the end offsets of
/// its fields (u32, little-endian, as they are written to a spill file).
/// A row's fields are separated by one byte (its file's delimiter), so a
/// line without quotes is its own row text, copied in one piece (issue 15);
/// field `i` starts one byte after field `i - 1` ends.
/// Blocks travel from the reader to the partitions, and through the spill
/// files of [`super::spill`] ([`RowBlock::encode`], [`frame_rows`]).
#[derive(Debug, Default, Clone)]
pub struct RowBlock {
    heads: Vec<RowHead>,
    /// Field end offsets relative to each row's text start, 4 bytes each.
    ends: Vec<u8>,
    text: String,
    /// History rows already validated (they travel without their text).
    pub history: Vec<HistoryRec>,
}

/// An enrollment row of a year before the policy year, validated as it was
/// read and reduced to what the rules need of it (`super::HistoryRow`),
/// plus its content hash for duplicate merging. A province's ledger is
/// mostly such rows, so they cross the spill files at 40 bytes instead of
/// their full text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryRec {
    pub line: u64,
    /// The packed resident ID (the partition key).
    pub key: u64,
    pub hash: u128,
    pub year: i32,
    pub file: u16,
    pub covered: bool,
}

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

#[derive(Debug, Clone, Copy)]
struct RowHead {
    line: u64,
    key: u64,
    text_at: usize,
    ends_at: usize,
    file: u16,
    fields: u16,
}

impl RowBlock {
    pub(super) fn with_capacity(rows: usize, text: usize) -> RowBlock {
        RowBlock {
            heads: Vec::with_capacity(rows),
            ends: Vec::with_capacity(rows * 48),
            text: String::with_capacity(text),
            history: Vec::new(),
        }
    }

    /// An empty block with room for as many rows, bytes and history rows
    /// as `other` holds and an eighth more (partitions fill blocks of about
    /// one size, so a held block is seldom grown and never much too big).
    pub fn shaped_like(other: &RowBlock) -> RowBlock {
        let more = |n: usize| n + n / 8;
        RowBlock {
            heads: Vec::with_capacity(more(other.heads.len())),
            ends: Vec::with_capacity(more(other.ends.len())),
            text: String::with_capacity(more(other.text.len())),
            history: Vec::with_capacity(more(other.history.len())),
        }
    }

    pub fn rows(&self) -> usize {
        self.heads.len()
    }

    /// Bytes allocated (what holding the block costs).
    pub fn capacity_bytes(&self) -> usize {
        self.text.capacity()
            + self.ends.capacity()
            + std::mem::size_of::<RowHead>() * self.heads.capacity()
            + std::mem::size_of::<HistoryRec>() * self.history.capacity()
    }

    /// Bytes held (text and offsets).
    pub fn byte_len(&self) -> usize {
        self.text.len()
            + self.ends.len()
            + std::mem::size_of::<RowHead>() * self.heads.len()
            + std::mem::size_of::<HistoryRec>() * self.history.len()
    }

    /// The head of a row whose text and field ends were just appended at
    /// `text_at` / `ends_at`.
    #[inline]
    fn push_head(
        &mut self,
        file: u16,
        line: u64,
        key: u64,
        (text_at, ends_at): (usize, usize),
        fields: usize,
    ) {
        self.heads.push(RowHead {
            line,
            key,
            text_at,
            ends_at,
            file,
            fields: u16::try_from(fields).unwrap_or(u16::MAX),
        });
    }

    /// Appends fields one by one, joined by `sep` (the file's delimiter,
    /// as a line without quotes holds them).
    fn push_fields<'f>(
        &mut self,
        (file, line, sep): (u16, u64, u8),
        fields: impl Iterator<Item = &'f str>,
    ) {
        let sep = sep_char(sep);
        let (text_at, ends_at) = (self.text.len(), self.ends.len());
        for (i, f) in fields.enumerate() {
            if i > 0 {
                self.text.push(sep);
            }
            self.text.push_str(f);
            let end = u32::try_from(self.text.len() - text_at).unwrap_or(u32::MAX);
            self.ends.extend_from_slice(&end.to_le_bytes());
        }
        self.push_head(
            file,
            line,
            0,
            (text_at, ends_at),
            (self.ends.len() - ends_at) / 4,
        );
    }

    /// Appends a record (fields read by [`super::lines::CsvLines`], quotes
    /// removed) joined by `sep`, the file's delimiter, replacing bytes that
    /// are not UTF-8. Equal fields give equal row text and ends, however the
    /// line was quoted, so exact duplicates still meet.
    pub(crate) fn push_record(&mut self, file: u16, line: u64, rec: &Fields, sep: u8) {
        match simdutf8::basic::from_utf8(rec.as_slice()) {
            Ok(all) if rec.ends().iter().all(|&b| all.is_char_boundary(b)) => {
                let mut start = 0;
                let fields = rec.ends().iter().map(|&end| {
                    let f = all.get(start..end).unwrap_or("");
                    start = end;
                    f
                });
                self.push_fields((file, line, sep), fields);
            }
            _ => {
                let fixed: Vec<String> = rec
                    .iter()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect();
                self.push_fields((file, line, sep), fixed.iter().map(String::as_str));
            }
        }
    }

    /// Appends a line's fields where they lie in `line` (valid UTF-8 without
    /// quotes; `ends[i]` is where field `i` ends, the delimiter follows):
    /// the line is the row's text, copied in one piece (issue 15). A row
    /// number (序号) column's field is left empty, as [`stream_rows`] does
    /// (then the fields are copied one by one). The same bytes as
    /// [`RowBlock::push_record`].
    pub(crate) fn push_split(
        &mut self,
        (file, line, sep): (u16, u64, u8),
        text: &str,
        ends: &[usize],
        ordinal: &[usize],
    ) {
        if !ordinal.is_empty() {
            let mut start = 0;
            let fields = ends.iter().enumerate().map(|(i, &end)| {
                let f = match ordinal.contains(&i) {
                    true => "",
                    false => text.get(start..end).unwrap_or(""),
                };
                start = end + 1;
                f
            });
            return self.push_fields((file, line, sep), fields);
        }
        let (text_at, ends_at) = (self.text.len(), self.ends.len());
        self.text
            .push_str(text.get(..ends.last().copied().unwrap_or(0)).unwrap_or(""));
        self.ends.reserve(4 * ends.len());
        for &end in ends {
            let at = u32::try_from(end).unwrap_or(u32::MAX);
            self.ends.extend_from_slice(&at.to_le_bytes());
        }
        self.push_head(file, line, 0, (text_at, ends_at), ends.len());
    }

    /// Appends a copy of a row (from another block) with its person key.
    pub fn push_row(&mut self, row: &RawRow<'_>, key: u64) {
        let (text_at, ends_at) = (self.text.len(), self.ends.len());
        self.text.push_str(row.text);
        self.ends.extend_from_slice(row.ends);
        self.push_head(
            row.file,
            row.line,
            key,
            (text_at, ends_at),
            row.ends.len() / 4,
        );
    }

    /// The rows, in the order they were pushed.
    pub fn iter(&self) -> impl Iterator<Item = RawRow<'_>> + '_ {
        self.iter_over(&self.text)
    }

    /// Appends a row whose text stays where it lies: at `text_at` in the
    /// text the block is later read over ([`RowBlock::iter_over`],
    /// [`RowBlock::encode_rows`]; issue 15: a range's lines without quotes
    /// are parsed and routed in place, and a history row's text is never
    /// copied). A block holds rows of one kind only: in place, or copied.
    pub(crate) fn push_in_place(
        &mut self,
        (file, line): (u16, u64),
        text_at: usize,
        ends: &[usize],
    ) {
        let ends_at = self.ends.len();
        self.ends.reserve(4 * ends.len());
        for &end in ends {
            let at = u32::try_from(end).unwrap_or(u32::MAX);
            self.ends.extend_from_slice(&at.to_le_bytes());
        }
        self.push_head(file, line, 0, (text_at, ends_at), ends.len());
    }

    /// The rows, their texts read from `text`: the block's own, or the one
    /// its rows were pushed in place over ([`RowBlock::push_in_place`]).
    pub(crate) fn iter_over<'a>(&'a self, text: &'a str) -> impl Iterator<Item = RawRow<'a>> + 'a {
        self.heads.iter().map(move |h| {
            let ends = self
                .ends
                .get(h.ends_at..h.ends_at + 4 * usize::from(h.fields))
                .unwrap_or(&[]);
            RawRow {
                file: h.file,
                line: h.line,
                key: h.key,
                ends,
                text: text
                    .get(h.text_at..h.text_at + last_end(ends))
                    .unwrap_or(""),
            }
        })
    }

    /// The block's own text (see [`RowBlock::iter_over`]).
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// Serialises the block (for a spill file) as one frame:
    /// `[rows u64][end bytes u64][text bytes u64][history rows u64]`, then
    /// per row `[line u64][key u64][file u16][fields u16]`, then the end
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
            out.extend_from_slice(&h.line.to_le_bytes());
            out.extend_from_slice(&h.key.to_le_bytes());
            out.extend_from_slice(&h.file.to_le_bytes());
            out.extend_from_slice(&h.fields.to_le_bytes());
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
        rows: &[(u32, u64)],
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
            out.extend_from_slice(&h.line.to_le_bytes());
            out.extend_from_slice(&key.to_le_bytes());
            out.extend_from_slice(&h.file.to_le_bytes());
            out.extend_from_slice(&h.fields.to_le_bytes());
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

    pub fn clear(&mut self) {
        self.heads.clear();
        self.ends.clear();
        self.text.clear();
        self.history.clear();
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
pub(super) fn room_for(buf: &mut Vec<u8>, n: usize) {
    buf.clear();
    room_in(buf, n);
}

/// Makes room for `more` items in `v`: an empty vector too small is
/// replaced (with an eighth more room), as in [`room_for`]; one holding
/// items grows as usual.
pub(super) fn room_in<T>(v: &mut Vec<T>, more: usize) {
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
const HEAD_BYTES: usize = 20;

fn le_u32(b: &[u8], at: usize) -> Option<usize> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?) as usize)
}

/// A delimiter as the character joining a row's fields (delimiters are
/// ASCII; any other byte could not stand alone in UTF-8 text).
fn sep_char(sep: u8) -> char {
    match sep.is_ascii() {
        true => char::from(sep),
        false => ',',
    }
}

/// The length of a row's text: its last field's end.
fn last_end(ends: &[u8]) -> usize {
    ends.len()
        .checked_sub(4)
        .and_then(|at| le_u32(ends, at))
        .unwrap_or(0)
}

/// One data row and its line number (the header is line 1), borrowed from a
/// [`RowBlock`] or a spill file's bytes.
#[derive(Debug, Clone, Copy)]
pub struct RawRow<'a> {
    /// Index of the input file in the run.
    pub file: u16,
    pub line: u64,
    /// The person key that chose the row's partition (0 before that).
    pub key: u64,
    ends: &'a [u8],
    text: &'a str,
}

impl<'a> RawRow<'a> {
    /// Field `i`, if the row has it.
    pub fn get(&self, i: usize) -> Option<&'a str> {
        let end = le_u32(self.ends, 4 * i)?;
        let start = match i {
            0 => 0,
            _ => le_u32(self.ends, 4 * (i - 1))? + 1,
        };
        self.text.get(start..end)
    }

    /// A 128-bit hash of the row's fields and their boundaries ("a,bc" ≠
    /// "ab,c"), not of its file or line: of its text (the fields joined by
    /// the file's delimiter) and its field ends. Only ever compared within
    /// a run (duplicate merging, a rejected row's partition); it reaches no
    /// output. Two distinct rows collide with
    /// probability 2⁻¹²⁸, so duplicate merging keeps no row text.
    pub fn content_hash(&self) -> u128 {
        let bounds = xxhash_rust::xxh3::xxh3_64(self.ends);
        xxhash_rust::xxh3::xxh3_128_with_seed(self.text.as_bytes(), bounds)
    }
}

/// A set of 128-bit row hashes ([`RawRow::content_hash`]): the keys are hashes
/// already, so their low bits index the table instead of hashing them again.
pub type RowHashSet = std::collections::HashSet<u128, std::hash::BuildHasherDefault<PreHashed>>;

#[derive(Default)]
pub struct PreHashed(u64);

impl std::hash::Hasher for PreHashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes.iter().take(8) {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }
    fn write_u128(&mut self, v: u128) {
        self.0 = v as u64;
    }
}

/// Rows handed to the caller at a time.
pub const CHUNK_ROWS: usize = 65_536;

/// Finds the header among the first rows ([`table::find_header`]) and
/// matches it: a missing required column is an error naming the file, the
/// column and the headers accepted for it; no header at all is an error
/// showing the first lines (IDs masked) and what was looked for.
pub fn read_meta(path: &Path, display: &str, schema: &SourceSchema) -> Result<TableMeta> {
    read_meta_checked(path, display, schema, FitCheck::default())
}

/// [`read_meta`], checking the values of ambiguous headers against `check`
/// (the first [`FIT_SAMPLE_ROWS`] data rows below the header are read for
/// that).
pub fn read_meta_checked(
    path: &Path,
    display: &str,
    schema: &SourceSchema,
    check: FitCheck<'_>,
) -> Result<TableMeta> {
    let mut source = open(path, display)?;
    let window = table::rules().header_window;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut spans: Vec<(u64, u64)> = Vec::new();
    let mut rec = Fields::default();
    while rows.len() < window {
        match source.next_item(&mut rec, display)? {
            None => break,
            Some(Item::Record { line, lines }) => {
                rows.push(
                    rec.iter()
                        .map(|f| String::from_utf8_lossy(f).into_owned())
                        .collect(),
                );
                spans.push((line, lines));
            }
            Some(Item::BrokenQuote { line, .. }) => {
                rows.push(Vec::new());
                spans.push((line, 1));
            }
        }
    }
    if rows.iter().flatten().all(|f| table::is_blank(f.as_bytes())) {
        return Err(Error::BadFile {
            file: display.to_string(),
            message: "the file is empty: expected a header row".to_string(),
        });
    }
    let found =
        table::find_header(&rows, schema).ok_or_else(|| no_header(display, schema, &rows))?;
    let (header_line, header_lines) = spans[found.at];
    let samples = fit_samples(&mut source, &rows[found.at + 1..], display);
    let mut meta = build_meta(
        display,
        schema,
        found.header,
        (samples.as_slice(), check),
        (source.encoding, source.from_xlsx),
        header_line,
    )?;
    meta.header_lines = header_lines;
    Ok(meta)
}

/// The first [`FIT_SAMPLE_ROWS`] non-blank rows below the header: those
/// already read while looking for it, then more from `source`. A row the
/// reader cannot read ends the sample (it is reported when the rows are).
fn fit_samples(
    source: &mut super::source::Source,
    below: &[Vec<String>],
    display: &str,
) -> Vec<Vec<String>> {
    let nonblank = |r: &Vec<String>| r.iter().any(|f| !table::is_blank(f.as_bytes()));
    let mut samples: Vec<Vec<String>> = below
        .iter()
        .filter(|r| nonblank(r))
        .take(FIT_SAMPLE_ROWS)
        .cloned()
        .collect();
    let mut rec = Fields::default();
    while samples.len() < FIT_SAMPLE_ROWS {
        match source.next_item(&mut rec, display) {
            Ok(Some(Item::Record { .. })) => {
                let row: Vec<String> = rec
                    .iter()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect();
                if nonblank(&row) {
                    samples.push(row);
                }
            }
            Ok(Some(Item::BrokenQuote { .. })) => {}
            _ => break,
        }
    }
    samples
}

/// No row looks like the header: show the first lines (IDs masked).
fn no_header(display: &str, schema: &SourceSchema, rows: &[Vec<String>]) -> Error {
    let looked_for: Vec<&str> = schema
        .columns
        .iter()
        .filter(|c| c.required)
        .map(|c| c.zh.as_str())
        .collect();
    let first_lines: Vec<String> = rows
        .iter()
        .filter(|r| r.iter().any(|f| !table::is_blank(f.as_bytes())))
        .take(3)
        .map(|r| {
            let line: String = r.join(",").chars().take(80).collect();
            crate::domain::mask_ids_in_text(&line)
        })
        .collect();
    Error::NoHeader {
        file: display.to_string(),
        rows: rows.len(),
        looked_for: looked_for.join("、"),
        first_lines: first_lines.join(" ⏎ "),
    }
}

/// Streams the data rows of a file to `on_block` in blocks of [`CHUNK_ROWS`];
/// every row is tagged with `file`. Lines above the header and the header
/// are passed over; blank rows and totals/notes rows are counted and
/// skipped ([`table::classify`]); a broken quote or a row wider than
/// [`MAX_FIELDS`] is rejected here (in [`FileStats::rejects`]).
/// Duplicates are merged later (per partition, see [`super::spill`]), not
/// here, so reading keeps nothing per row.
/// `spare` may hand back an emptied block to fill (its memory is reused).
pub fn stream_rows(
    path: &Path,
    display: &str,
    file: FileIdx,
    meta: &TableMeta,
    spare: impl Fn() -> Option<RowBlock>,
    mut on_block: impl FnMut(RowBlock) -> Result<()>,
) -> Result<FileStats> {
    let mut source = open(path, display)?;
    source.set_width(meta.header.len());
    let mut stats = FileStats {
        lines: LineAccount {
            header_line: meta.header_line,
            header: meta.header_lines,
            ..LineAccount::default()
        },
        ..FileStats::default()
    };
    let mut block = RowBlock::with_capacity(CHUNK_ROWS, BLOCK_BYTES);
    let mut rec = Fields::default();
    let mut unnumbered = Fields::default();
    let mut in_trailer = false;
    while let Some(item) = source.next_item(&mut rec, display)? {
        let (line, lines) = match &item {
            Item::Record { line, lines } => (*line, *lines),
            Item::BrokenQuote { line, .. } => (*line, 1),
        };
        if line <= meta.header_line {
            continue; // above the header (counted by its line), or the header
        }
        if let Item::BrokenQuote { text, .. } = item {
            stats.rows_read += 1;
            stats.lines.rows += lines;
            stats
                .rejects
                .push(broken_quote(file, line, text, meta, source.delimiter));
            continue;
        }
        match table::classify(&rec, &meta.shape, in_trailer) {
            RowKind::Blank => {
                stats.blank_rows += 1;
                stats.lines.blank += lines;
                continue;
            }
            RowKind::Note => {
                in_trailer = true;
                stats.lines.notes.push(line);
                stats.lines.note_lines += lines;
                continue;
            }
            RowKind::Data if table::repeats_header(&rec, &meta.header) => {
                stats.lines.notes.push(line);
                stats.lines.note_lines += lines;
                continue;
            }
            RowKind::Data => in_trailer = false,
        }
        stats.rows_read += 1;
        stats.lines.rows += lines;
        if rec.len() > MAX_FIELDS {
            stats.rejects.push(too_wide(file, line, &rec, meta));
            continue;
        }
        if meta.shape.ordinal_cols.is_empty() {
            block.push_record(file, line, &rec, source.delimiter);
        } else {
            // A row number (序号) is not part of the record: two rows that
            // differ only there are exact duplicates.
            unnumbered.clear();
            for (i, f) in rec.iter().enumerate() {
                let ordinal = meta.shape.ordinal_cols.contains(&i);
                unnumbered.push_field(if ordinal { b"" } else { f });
            }
            block.push_record(file, line, &unnumbered, source.delimiter);
        }
        if block.rows() == CHUNK_ROWS {
            let next = spare().unwrap_or_else(|| RowBlock::with_capacity(CHUNK_ROWS, BLOCK_BYTES));
            on_block(std::mem::replace(&mut block, next))?;
        }
    }
    if block.rows() > 0 {
        on_block(block)?;
    }
    stats.lines.physical = source.lines_read();
    stats.sha256 = source.finish()?;
    Ok(stats)
}

/// The name and ID of a row rejected while reading, as far as they can be
/// read from its fields.
fn names_of(fields: &Fields, meta: &TableMeta) -> (String, String) {
    let field = |c: Col| {
        meta.col(c)
            .and_then(|i| fields.get(i))
            .map(|f| {
                String::from_utf8_lossy(f)
                    .trim()
                    .trim_matches('"')
                    .to_string()
            })
            .unwrap_or_default()
    };
    let id = match field(Col::IdNumber) {
        id if id.is_empty() => field(Col::CertNumber),
        id => id,
    };
    (field(Col::Name), id)
}

pub(super) fn broken_quote(
    file: FileIdx,
    line: u64,
    text: String,
    meta: &TableMeta,
    delimiter: u8,
) -> Reject {
    let mut fields = Fields::default();
    super::lines::split_plain(text.as_bytes(), delimiter, &mut fields);
    let opened = fields
        .iter()
        .position(|f| f.starts_with(b"\""))
        .and_then(|i| meta.header.get(i))
        .cloned()
        .unwrap_or_default();
    let n = super::lines::MAX_RECORD_LINES;
    let (name, id_raw) = names_of(&fields, meta);
    Reject {
        file,
        line,
        column: opened,
        raw: text,
        name,
        id_raw,
        reason: RejectReason::BrokenQuote,
        message: Msg::new(
            format!("第{line}行有一个引号（\"）没有闭合：{n}行之内没有结束引号，或下一行已是完整的一行；本行未读取，从下一行起照常读取。请在源文件中删去多余的引号或补上结束引号"),
            format!("a quote (\") opened on line {line} is never closed within {n} lines, or the next line is a whole row of its own; this row was not read, reading resumed on the next line. Remove the stray quote or close it in the source file"),
        ),
    }
}

pub(super) fn too_wide(file: FileIdx, line: u64, rec: &Fields, meta: &TableMeta) -> Reject {
    let n = rec.len();
    let (name, id_raw) = names_of(rec, meta);
    Reject {
        file,
        line,
        column: String::new(),
        raw: format!("{n} fields"),
        name,
        id_raw,
        reason: RejectReason::RowTooWide,
        message: Msg::new(
            format!("本行有 {n} 列，超过支持的 {MAX_FIELDS} 列（Excel 的最大列数）；本行未读取。请检查分隔符或删去多余的列"),
            format!("the row has {n} fields, more than the {MAX_FIELDS} supported (Excel's widest sheet); the row was not read. Check the delimiter or remove the extra columns"),
        ),
    }
}

/// Bytes reserved for a block (grown if its rows are wider).
const BLOCK_BYTES: usize = 8 << 20;

fn build_meta(
    display: &str,
    schema: &SourceSchema,
    header: Vec<String>,
    (samples, check): (&[Vec<String>], FitCheck<'_>),
    (encoding, from_xlsx): (&'static str, bool),
    header_line: u64,
) -> Result<TableMeta> {
    let mut header: Vec<String> = header
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    while header.last().is_some_and(String::is_empty) {
        header.pop();
    }
    let binding = bind(schema, &header, samples, check, (display, header_line))?;
    let mut meta = TableMeta {
        by_col: Vec::new(),
        shape: Shape {
            id_cols: Vec::new(),
            ordinal_cols: table::ordinal_columns(&header),
        },
        header,
        ignored_columns: binding.ignored(),
        columns: binding.columns,
        binding: binding.report,
        encoding,
        from_xlsx,
        header_line,
        header_lines: 1,
    };
    meta.by_col = Col::ALL.iter().map(|c| meta.column(c.key())).collect();
    meta.shape.id_cols = [Col::IdNumber, Col::CertNumber]
        .iter()
        .filter_map(|c| meta.col(*c))
        .collect();
    Ok(meta)
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
