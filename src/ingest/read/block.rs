//! The row block ([`RowBlock`]): rows stored back to back, one allocation
//! per block, as the readers fill them and the partitions hold them; the
//! rows borrowed from it ([`RawRow`]), the history rows that travel with it
//! ([`HistoryRec`]) and the set of row hashes duplicate merging keeps
//! ([`RowHashSet`]). How a block is written to a spill file and read back
//! is in [`super::frame`].

use crate::ingest::lines::Fields;

/// Rows stored back to back: one allocation per block, none per row. The
/// texts of all rows are one `String` (so always valid UTF-8: a stray byte
/// that is not becomes U+FFFD when the row is read, and the row is still
/// validated, and rejected where it matters, never lost); each row has a head
/// (file, line, person key, where its text starts) and the end offsets of
/// its fields, little-endian, as they are written to a spill file, each
/// [`end_width`] bytes wide: one byte when the row's text is shorter than
/// 256 bytes, two below 64 KiB, else four (issue 15: most rows' ends take a
/// quarter of the bytes they did, in memory and in the spill files; the
/// width follows from the text's length alone, so equal rows still have
/// equal bytes and hash alike).
/// A row's fields are separated by one byte (its file's delimiter), so a
/// line without quotes is its own row text, copied in one piece (issue 15);
/// field `i` starts one byte after field `i - 1` ends.
/// Blocks travel from the reader to the partitions, and through the spill
/// files of [`super::spill`](crate::ingest::spill) ([`RowBlock::encode`],
/// [`frame_rows`](super::frame_rows)).
#[derive(Debug, Default, Clone)]
pub struct RowBlock {
    pub(super) heads: Vec<RowHead>,
    /// Field end offsets relative to each row's text start, [`end_width`]
    /// bytes each.
    pub(super) ends: Vec<u8>,
    pub(super) text: String,
    /// History rows already validated (they travel without their text).
    pub history: Vec<HistoryRec>,
}

/// An enrollment row of a year before the policy year, validated as it was
/// read and reduced to what the rules need of it (`crate::ingest::HistoryRow`),
/// plus its content hash for duplicate merging ([`RawRow::history_hash`]).
/// A province's ledger is mostly such rows, so they cross the spill files at
/// 11 to 19 bytes instead of their full text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryRec {
    pub line: u64,
    /// The packed resident ID (the partition key).
    pub key: u64,
    /// [`RawRow::history_hash`]: compared only with the hashes of rows of
    /// the same person, year and file.
    pub hash: u64,
    pub year: i32,
    pub file: u16,
    pub covered: bool,
}

/// The key that chose a row's partition ([`RawRow::key`]), and whether it
/// is the row's resident ID as validation reads it ([`RawRow::id_read`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RowKey {
    pub key: u64,
    pub id_read: bool,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct RowHead {
    pub(super) line: u64,
    pub(super) key: RowKey,
    pub(super) text_at: usize,
    pub(super) ends_at: usize,
    pub(super) file: u16,
    pub(super) fields: u16,
    /// Bytes per field end ([`end_width`] of the row's text length).
    pub(super) width: u8,
}

impl RowHead {
    /// Bytes of the row's field ends.
    #[inline]
    pub(super) fn ends_len(&self) -> usize {
        usize::from(self.width) * usize::from(self.fields)
    }
}

impl RowBlock {
    pub(in crate::ingest) fn with_capacity(rows: usize, text: usize) -> RowBlock {
        RowBlock {
            heads: Vec::with_capacity(rows),
            ends: Vec::with_capacity(rows * 16),
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
        key: RowKey,
        (text_at, ends_at): (usize, usize),
        (fields, width): (usize, usize),
    ) {
        self.heads.push(RowHead {
            line,
            key,
            text_at,
            ends_at,
            file,
            fields: u16::try_from(fields).unwrap_or(u16::MAX),
            width: width as u8,
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
        // The ends went in four bytes wide; narrowed in place once the
        // text's length is known.
        let fields = (self.ends.len() - ends_at) / 4;
        let width = end_width(self.text.len() - text_at);
        if width < 4 {
            for k in 0..fields {
                let at = ends_at + 4 * k;
                let end = [
                    self.ends[at],
                    self.ends[at + 1],
                    self.ends[at + 2],
                    self.ends[at + 3],
                ];
                let to = ends_at + width * k;
                self.ends[to..to + width].copy_from_slice(&end[..width]);
            }
            self.ends.truncate(ends_at + width * fields);
        }
        self.push_head(
            file,
            line,
            RowKey::default(),
            (text_at, ends_at),
            (fields, width),
        );
    }

    /// Appends a record (fields read by
    /// [`super::lines::CsvLines`](crate::ingest::lines::CsvLines), quotes
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
    /// number (序号) column's field is left empty, as
    /// [`stream_rows`](super::stream_rows) does (then the fields are copied
    /// one by one). The same bytes as
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
        // The line copied in one piece, then its ends as a row in place.
        let text_at = self.text.len();
        self.text
            .push_str(text.get(..ends.last().copied().unwrap_or(0)).unwrap_or(""));
        self.push_in_place((file, line), text_at, ends);
    }

    /// Appends a copy of a row (from another block) with its person key.
    pub fn push_row(&mut self, row: &RawRow<'_>, key: RowKey) {
        let (text_at, ends_at) = (self.text.len(), self.ends.len());
        self.text.push_str(row.text);
        self.ends.extend_from_slice(row.ends);
        self.push_head(
            row.file,
            row.line,
            key,
            (text_at, ends_at),
            (row.fields(), row.width()),
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
        let width = end_width(ends.last().copied().unwrap_or(0));
        match width {
            1 => self.ends.extend(ends.iter().map(|&end| end as u8)),
            2 => {
                self.ends.reserve(2 * ends.len());
                for &end in ends {
                    self.ends.extend_from_slice(&(end as u16).to_le_bytes());
                }
            }
            _ => {
                self.ends.reserve(4 * ends.len());
                for &end in ends {
                    let at = u32::try_from(end).unwrap_or(u32::MAX);
                    self.ends.extend_from_slice(&at.to_le_bytes());
                }
            }
        }
        self.push_head(
            file,
            line,
            RowKey::default(),
            (text_at, ends_at),
            (ends.len(), width),
        );
    }

    /// The rows, their texts read from `text`: the block's own, or the one
    /// its rows were pushed in place over ([`RowBlock::push_in_place`]).
    pub(crate) fn iter_over<'a>(&'a self, text: &'a str) -> impl Iterator<Item = RawRow<'a>> + 'a {
        self.heads.iter().map(move |h| {
            let ends = self
                .ends
                .get(h.ends_at..h.ends_at + h.ends_len())
                .unwrap_or(&[]);
            RawRow {
                file: h.file,
                line: h.line,
                key: h.key.key,
                id_read: h.key.id_read,
                ends,
                text: text
                    .get(h.text_at..h.text_at + last_end(ends, usize::from(h.width)))
                    .unwrap_or(""),
            }
        })
    }

    /// The block's own text (see [`RowBlock::iter_over`]).
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    pub fn clear(&mut self) {
        self.heads.clear();
        self.ends.clear();
        self.text.clear();
        self.history.clear();
    }
}

/// Bytes per field end of a row whose text is `len` bytes long: the
/// fewest that hold `len`, of one, two or four.
#[inline]
pub(super) fn end_width(len: usize) -> usize {
    match len {
        0..=0xff => 1,
        0x100..=0xffff => 2,
        _ => 4,
    }
}

/// How many ends `width` bytes wide `ends` holds (a shift, not a division:
/// this runs for every row).
#[inline]
fn count(ends: &[u8], width: usize) -> usize {
    match width {
        1 => ends.len(),
        2 => ends.len() >> 1,
        _ => ends.len() >> 2,
    }
}

/// End `i` of ends `width` bytes wide.
#[inline]
fn end_at(ends: &[u8], width: usize, i: usize) -> Option<usize> {
    match width {
        1 => ends.get(i).map(|&b| usize::from(b)),
        2 => {
            let b = ends.get(2 * i..2 * i + 2)?;
            Some(usize::from(u16::from_le_bytes([b[0], b[1]])))
        }
        _ => Some(u32::from_le_bytes(ends.get(4 * i..4 * i + 4)?.try_into().ok()?) as usize),
    }
}

/// A delimiter as the character joining a row's fields (delimiters are
/// ASCII; any other byte could not stand alone in UTF-8 text).
fn sep_char(sep: u8) -> char {
    match sep.is_ascii() {
        true => char::from(sep),
        false => ',',
    }
}

/// The length of a row's text: its last field's end (ends `width` bytes
/// wide).
#[inline]
pub(super) fn last_end(ends: &[u8], width: usize) -> usize {
    count(ends, width)
        .checked_sub(1)
        .and_then(|i| end_at(ends, width, i))
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
    /// Issue 15: `key` is the row's resident ID, read already: the row's
    /// `IdNumber` column (its own source kind's, not a certificate's) with
    /// its `DocType` gave `PersonId::Resident(key)` when the row was routed
    /// (`scatter::route`), so validation need not read it again
    /// (`Row::person_id`). False when not known (before routing, or any
    /// other outcome of that reading).
    pub id_read: bool,
    pub(super) ends: &'a [u8],
    pub(super) text: &'a str,
}

impl<'a> RawRow<'a> {
    /// The key that chose the row's partition, as [`RowBlock::push_row`]
    /// takes it.
    pub fn row_key(&self) -> RowKey {
        RowKey {
            key: self.key,
            id_read: self.id_read,
        }
    }

    /// Field `i`, if the row has it.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&'a str> {
        // Most rows are shorter than 256 bytes: their ends are bytes.
        let (start, end) = match self.text.len() <= 0xff {
            true => (
                match i {
                    0 => 0,
                    _ => usize::from(*self.ends.get(i - 1)?) + 1,
                },
                usize::from(*self.ends.get(i)?),
            ),
            false => self.wide_bounds(i)?,
        };
        self.text.get(start..end)
    }

    /// The bytes of fields `cols`, each as [`RawRow::get`] gives it (a
    /// column past the row's last field, or `usize::MAX` for one the file
    /// lacks: empty), read in one go (issue 15: the history fast path reads
    /// fourteen fields of every history row). Bytes, not `&str`: a field
    /// starts one byte after its file's ASCII delimiter and ends at the
    /// next, so its bounds are always character boundaries and need no
    /// check.
    #[inline]
    pub fn fields_at<const N: usize>(&self, cols: &[usize; N]) -> [&'a [u8]; N] {
        let text = self.text.as_bytes();
        let mut out = [&[][..]; N];
        if text.len() > 0xff {
            let fields = self.fields();
            for (o, &i) in out.iter_mut().zip(cols) {
                if let Some((s, e)) = (i < fields).then(|| self.wide_bounds(i)).flatten() {
                    *o = text.get(s..e).unwrap_or(&[]);
                }
            }
            return out;
        }
        // Most rows are shorter than 256 bytes: their ends are bytes.
        let ends = self.ends;
        for (o, &i) in out.iter_mut().zip(cols) {
            let bounds = match i {
                0 => ends.first().map(|&e| (0, e)),
                _ if i < ends.len() => Some((usize::from(ends[i - 1]) + 1, ends[i])),
                _ => None,
            };
            if let Some((s, e)) = bounds {
                *o = text.get(s..usize::from(e)).unwrap_or(&[]);
            }
        }
        out
    }

    /// Fields `first` to `last` of a row shorter than 256 bytes (one that
    /// has field `last`): their bytes with the delimiters between them,
    /// where they start in the row's text, and the ends of fields `first`
    /// to `last - 1` in the text (issue 15: a person's fields, compared with
    /// the previous row's in one step). `None` for any other row.
    #[inline]
    pub fn narrow_span(&self, first: usize, last: usize) -> Option<(&'a [u8], usize, &'a [u8])> {
        if self.text.len() > 0xff || first > last {
            return None;
        }
        let start = match first {
            0 => 0,
            _ => usize::from(*self.ends.get(first - 1)?) + 1,
        };
        let end = usize::from(*self.ends.get(last)?);
        let span = self.text.as_bytes().get(start..end)?;
        Some((span, start, self.ends.get(first..last)?))
    }

    /// Where field `i` of a row of 256 bytes or more starts and ends.
    #[inline(never)]
    fn wide_bounds(&self, i: usize) -> Option<(usize, usize)> {
        let width = self.width();
        let start = match i {
            0 => 0,
            _ => end_at(self.ends, width, i - 1)? + 1,
        };
        Some((start, end_at(self.ends, width, i)?))
    }

    /// Bytes per field end ([`end_width`] of the text's length).
    #[inline]
    pub(super) fn width(&self) -> usize {
        end_width(self.text.len())
    }

    /// The row's text and its field ends as stored, for a prefetch hint
    /// (issue 15: `reduce` asks for a row's memory ahead of parsing it;
    /// asking through [`RawRow::get`] read the ends and the text, so the
    /// hint itself waited for memory). Reads neither.
    #[inline]
    pub fn bytes(&self) -> (&'a [u8], &'a [u8]) {
        (self.text.as_bytes(), self.ends)
    }

    /// How many fields the row has.
    pub(super) fn fields(&self) -> usize {
        count(self.ends, self.width())
    }

    /// A 128-bit hash of the row's fields and their boundaries ("a,bc" ≠
    /// "ab,c"), not of its file or line: of its text (the fields joined by
    /// the file's delimiter) and its field ends (as stored: their width
    /// follows from the text's length, so equal rows hash alike). Only ever compared within
    /// a run (duplicate merging, a rejected row's partition); it reaches no
    /// output. Two distinct rows collide with
    /// probability 2⁻¹²⁸, so duplicate merging keeps no row text.
    pub fn content_hash(&self) -> u128 {
        let bounds = xxhash_rust::xxh3::xxh3_64(self.ends);
        xxhash_rust::xxh3::xxh3_128_with_seed(self.text.as_bytes(), bounds)
    }

    /// A 64-bit hash of the same fields and boundaries as
    /// [`RawRow::content_hash`], for a history row ([`HistoryRec`]): such
    /// hashes are compared only among the rows of one person's year of one
    /// file (`reduce::past`, duplicate merging), nearly always one or two
    /// rows, so two distinct rows are taken for repeats with probability
    /// 2⁻⁶⁴ per pair (issue 15: 8 bytes less per history row in the spill
    /// files and 16 in memory; decisions.md, i27h).
    pub fn history_hash(&self) -> u64 {
        let bounds = xxhash_rust::xxh3::xxh3_64(self.ends);
        xxhash_rust::xxh3::xxh3_64_with_seed(self.text.as_bytes(), bounds)
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
