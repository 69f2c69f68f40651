//! Reading one export as a stream of rows: encoding detection (UTF-8, UTF-8
//! with BOM, UTF-16 with BOM, GBK/GB18030), CSV or XLSX parsing, and header
//! matching against the source schema. Rows arrive in blocks ([`RowBlock`]:
//! one allocation per 65,536 rows), so a file of any size is read in bounded
//! memory; byte-identical duplicate rows are merged later, per partition
//! (`super::load_slice`), by their 128-bit hash.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::bind::{bind, FitCheck, HeaderColumn, FIT_SAMPLE_ROWS};
use super::schema::{Col, SourceSchema};
use crate::error::{Error, Result};

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
    /// Data rows seen (blank rows excluded).
    pub rows_read: u64,
    /// Entirely blank rows (spreadsheets leave them at the end), skipped.
    pub blank_rows: u64,
}

/// Rows stored back to back: one allocation per block, none per row. The
/// texts of all rows are one `String` (so always valid UTF-8: a stray byte
/// that is not becomes U+FFFD when the row is read, and the row is still
/// validated, and rejected where it matters, never lost); each row has a head
/// (file, line, person key, where its text starts) and the end offsets of
/// its fields (u32, little-endian, as they are written to a spill file).
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
    fn with_capacity(rows: usize, text: usize) -> RowBlock {
        RowBlock {
            heads: Vec::with_capacity(rows),
            ends: Vec::with_capacity(rows * 48),
            text: String::with_capacity(text),
            history: Vec::new(),
        }
    }

    pub fn rows(&self) -> usize {
        self.heads.len()
    }

    /// Bytes held (text and offsets).
    pub fn byte_len(&self) -> usize {
        self.text.len()
            + self.ends.len()
            + std::mem::size_of::<RowHead>() * self.heads.len()
            + std::mem::size_of::<HistoryRec>() * self.history.len()
    }

    fn push_fields<'f>(&mut self, file: u16, line: u64, fields: impl Iterator<Item = &'f str>) {
        let (text_at, ends_at) = (self.text.len(), self.ends.len());
        for f in fields.take(usize::from(u16::MAX)) {
            self.text.push_str(f);
            let end = u32::try_from(self.text.len() - text_at).unwrap_or(u32::MAX);
            self.ends.extend_from_slice(&end.to_le_bytes());
        }
        self.heads.push(RowHead {
            line,
            key: 0,
            text_at,
            ends_at,
            file,
            fields: u16::try_from((self.ends.len() - ends_at) / 4).unwrap_or(u16::MAX),
        });
    }

    /// Appends a CSV record, replacing bytes that are not UTF-8.
    pub(crate) fn push_record(&mut self, file: u16, line: u64, rec: &csv::ByteRecord) {
        match std::str::from_utf8(rec.as_slice()) {
            // The fields' bytes are valid together; each field is valid alone
            // when every field boundary is a character boundary.
            Ok(all) if rec_bounds(rec).all(|b| all.is_char_boundary(b)) => {
                let mut start = 0;
                self.push_fields(
                    file,
                    line,
                    rec_bounds(rec).map(|end| {
                        let f = &all[start..end];
                        start = end;
                        f
                    }),
                );
            }
            _ => {
                let fixed: Vec<String> = rec
                    .iter()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect();
                self.push_fields(file, line, fixed.iter().map(String::as_str));
            }
        }
    }

    /// Appends a copy of a row (from another block) with its person key.
    pub fn push_row(&mut self, row: &RawRow<'_>, key: u64) {
        let (text_at, ends_at) = (self.text.len(), self.ends.len());
        self.text.push_str(row.text);
        self.ends.extend_from_slice(row.ends);
        self.heads.push(RowHead {
            line: row.line,
            key,
            text_at,
            ends_at,
            file: row.file,
            fields: u16::try_from(row.ends.len() / 4).unwrap_or(u16::MAX),
        });
    }

    /// The rows, in the order they were pushed.
    pub fn iter(&self) -> impl Iterator<Item = RawRow<'_>> + '_ {
        self.heads.iter().map(|h| {
            let ends = self
                .ends
                .get(h.ends_at..h.ends_at + 4 * usize::from(h.fields))
                .unwrap_or(&[]);
            RawRow {
                file: h.file,
                line: h.line,
                key: h.key,
                ends,
                text: self
                    .text
                    .get(h.text_at..h.text_at + last_end(ends))
                    .unwrap_or(""),
            }
        })
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
    let mut out = Vec::with_capacity(total);
    let mut history = Vec::with_capacity(total_history);
    for (heads_at, ends_at, text_at, hist_at, next) in frames {
        let ends = bytes.get(ends_at..text_at)?;
        let text = std::str::from_utf8(bytes.get(text_at..hist_at)?).ok()?;
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
    Some((out, history))
}

/// Bytes of a frame's head (four counts).
const FRAME_HEAD: usize = 32;

/// Bytes of a row's head in a spill file.
const HEAD_BYTES: usize = 20;

fn le_u32(b: &[u8], at: usize) -> Option<usize> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?) as usize)
}

/// The length of a row's text: its last field's end.
fn last_end(ends: &[u8]) -> usize {
    ends.len()
        .checked_sub(4)
        .and_then(|at| le_u32(ends, at))
        .unwrap_or(0)
}

/// The end offset of each field of a CSV record.
fn rec_bounds(rec: &csv::ByteRecord) -> impl Iterator<Item = usize> + '_ {
    let mut end = 0;
    rec.iter().map(move |f| {
        end += f.len();
        end
    })
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
            _ => le_u32(self.ends, 4 * (i - 1))?,
        };
        self.text.get(start..end)
    }

    /// A 128-bit hash of the row's fields and their boundaries ("a,bc" ≠
    /// "ab,c"), not of its file or line. Two distinct rows collide with
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

/// Reads only the header and matches it: a missing required column is an
/// error naming the file, the column and the headers accepted for it.
pub fn read_meta(path: &Path, display: &str, schema: &SourceSchema) -> Result<TableMeta> {
    read_meta_checked(path, display, schema, FitCheck::default())
}

/// [`read_meta`], checking the values of ambiguous headers against `check`
/// (the first [`FIT_SAMPLE_ROWS`] data rows are read for that).
pub fn read_meta_checked(
    path: &Path,
    display: &str,
    schema: &SourceSchema,
    check: FitCheck<'_>,
) -> Result<TableMeta> {
    let mut meta = None;
    let mut source = open(path, display)?;
    if let Some(header) = source.next_record(display)? {
        meta = Some(header);
    }
    let header = meta.ok_or_else(|| Error::BadFile {
        file: display.to_string(),
        message: "the file is empty: expected a header row".to_string(),
    })?;
    let mut samples = Vec::new();
    while samples.len() < FIT_SAMPLE_ROWS {
        match source.next_record(display) {
            Ok(Some(row)) => samples.push(row),
            // A row the reader cannot read is reported when the rows are.
            _ => break,
        }
    }
    let fit = (samples.as_slice(), check);
    build_meta(
        display,
        schema,
        header,
        fit,
        source.encoding,
        source.from_xlsx,
    )
}

/// Streams the data rows of a file to `on_block` in blocks of [`CHUNK_ROWS`],
/// after skipping blank rows; every row is tagged with `file`. Duplicates are
/// merged later (per partition, see [`super::spill`]), not here, so reading
/// keeps nothing per row.
/// `spare` may hand back an emptied block to fill (its memory is reused).
pub fn stream_rows(
    path: &Path,
    display: &str,
    file: u16,
    spare: impl Fn() -> Option<RowBlock>,
    mut on_block: impl FnMut(RowBlock) -> Result<()>,
) -> Result<FileStats> {
    let mut source = open(path, display)?;
    source.next_record(display)?; // the header, already matched
    let mut stats = FileStats::default();
    let mut block = RowBlock::with_capacity(CHUNK_ROWS, BLOCK_BYTES);
    let mut rec = csv::ByteRecord::new();
    let mut line = 1u64;
    while source.next_byte_record(&mut rec, display, line + 1)? {
        line += 1;
        if rec.iter().all(is_blank) {
            stats.blank_rows += 1;
            continue;
        }
        stats.rows_read += 1;
        block.push_record(file, line, &rec);
        if block.rows() == CHUNK_ROWS {
            let next = spare().unwrap_or_else(|| RowBlock::with_capacity(CHUNK_ROWS, BLOCK_BYTES));
            on_block(std::mem::replace(&mut block, next))?;
        }
    }
    if block.rows() > 0 {
        on_block(block)?;
    }
    stats.sha256 = source.finish()?;
    Ok(stats)
}

/// Bytes reserved for a block (grown if its rows are wider).
const BLOCK_BYTES: usize = 8 << 20;

/// A field that is empty or only whitespace (full-width spaces included).
fn is_blank(f: &[u8]) -> bool {
    f.iter().all(u8::is_ascii_whitespace)
        || std::str::from_utf8(f).is_ok_and(|s| s.trim().is_empty())
}

/// A reader that hands a copy of the bytes passing through it to a thread
/// that hashes them (the input's SHA-256), so hashing runs beside parsing.
struct HashingReader<R> {
    inner: R,
    to_hasher: std::sync::mpsc::SyncSender<Vec<u8>>,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n > 0 {
            // The hasher only stops when this reader is dropped.
            let _ = self.to_hasher.send(buf[..n].to_vec());
        }
        Ok(n)
    }
}

/// Starts the hashing thread: it hashes what arrives until every sender is
/// dropped.
fn hasher() -> (
    std::sync::mpsc::SyncSender<Vec<u8>>,
    std::thread::JoinHandle<String>,
) {
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(16);
    let handle = std::thread::spawn(move || {
        let mut h = Sha256::new();
        for chunk in rx {
            h.update(&chunk);
        }
        hex(&h.finalize())
    });
    (tx, handle)
}

/// Where rows come from: a CSV stream, or an XLSX sheet read whole.
struct Source {
    csv: Option<csv::Reader<Box<dyn Read>>>,
    xlsx: Option<std::vec::IntoIter<Vec<String>>>,
    hasher: Option<std::thread::JoinHandle<String>>,
    raw_path: std::path::PathBuf,
    encoding: &'static str,
    from_xlsx: bool,
}

impl Source {
    fn next_record(&mut self, display: &str) -> Result<Option<Vec<String>>> {
        let mut rec = csv::ByteRecord::new();
        if !self.next_byte_record(&mut rec, display, 1)? {
            return Ok(None);
        }
        Ok(Some(
            rec.iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect(),
        ))
    }

    /// Reads the next row into `rec`; `false` at the end of the file.
    fn next_byte_record(
        &mut self,
        rec: &mut csv::ByteRecord,
        display: &str,
        line: u64,
    ) -> Result<bool> {
        if let Some(rows) = self.xlsx.as_mut() {
            return Ok(match rows.next() {
                Some(fields) => {
                    rec.clear();
                    for f in &fields {
                        rec.push_field(f.as_bytes());
                    }
                    true
                }
                None => false,
            });
        }
        let Some(reader) = self.csv.as_mut() else {
            return Ok(false);
        };
        reader.read_byte_record(rec).map_err(|e| Error::BadFile {
            file: display.to_string(),
            message: format!("line {line}: cannot be read as CSV: {e}"),
        })
    }

    /// The SHA-256 of the file's bytes.
    fn finish(mut self) -> Result<String> {
        if self.from_xlsx {
            let bytes =
                std::fs::read(&self.raw_path).map_err(|e| Error::io(self.raw_path.display(), e))?;
            return Ok(hex(&Sha256::digest(&bytes)));
        }
        // Drain what the CSV reader left unread (nothing, normally) so the
        // hash covers every byte; dropping the reader ends the hasher.
        if let Some(r) = self.csv.take() {
            let mut inner = r.into_inner();
            std::io::copy(&mut inner, &mut std::io::sink())
                .map_err(|e| Error::io(self.raw_path.display(), e))?;
        }
        self.hasher
            .take()
            .ok_or_else(|| Error::Internal("the input was hashed twice".into()))?
            .join()
            .map_err(|_| Error::Internal("the hashing thread panicked".into()))
    }
}

/// Opens a file, sniffs its format and encoding from the first 64 KiB.
fn open(path: &Path, display: &str) -> Result<Source> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(display, e))?;
    let mut prefix = vec![0u8; 65_536];
    let mut got = 0;
    while got < prefix.len() {
        let n = file
            .read(&mut prefix[got..])
            .map_err(|e| Error::io(display, e))?;
        if n == 0 {
            break;
        }
        got += n;
    }
    prefix.truncate(got);
    if prefix.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(Error::BadFile {
            file: display.to_string(),
            message: "this is an old-format Excel workbook (.xls); save it as .xlsx or CSV (UTF-8 or GBK)".to_string(),
        });
    }
    if prefix.starts_with(b"PK\x03\x04") {
        let (header, rows) = super::xlsx::read_xlsx(path, display)?;
        let mut all = vec![header];
        all.extend(rows);
        return Ok(Source {
            csv: None,
            xlsx: Some(all.into_iter()),
            hasher: None,
            raw_path: path.to_path_buf(),
            encoding: "XLSX",
            from_xlsx: true,
        });
    }
    let encoding = sniff_encoding(&prefix);
    let text_start = String::from_utf8_lossy(&prefix[..prefix.len().min(4096)]).into_owned();
    let delimiter = sniff_delimiter(match encoding {
        "UTF-16LE" | "UTF-16BE" => "",
        _ => &text_start,
    });
    let (to_hasher, hasher) = hasher();
    let raw = HashingReader {
        inner: std::io::Cursor::new(prefix).chain(file),
        to_hasher,
    };
    let reader: Box<dyn Read> = match encoding {
        "UTF-8" => Box::new(raw),
        "UTF-8-BOM" => {
            let mut r = raw;
            let mut bom = [0u8; 3];
            r.read_exact(&mut bom).map_err(|e| Error::io(display, e))?;
            Box::new(r)
        }
        "UTF-16LE" | "UTF-16BE" => {
            Box::new(encoding_rs_io::DecodeReaderBytesBuilder::new().build(raw))
        }
        _ => Box::new(
            encoding_rs_io::DecodeReaderBytesBuilder::new()
                .encoding(Some(encoding_rs::GB18030))
                .build(raw),
        ),
    };
    let delimiter = if matches!(encoding, "UTF-16LE" | "UTF-16BE") {
        b'\t'
    } else {
        delimiter
    };
    let csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .buffer_capacity(1 << 20)
        .from_reader(reader);
    Ok(Source {
        csv: Some(csv),
        xlsx: None,
        hasher: Some(hasher),
        raw_path: path.to_path_buf(),
        encoding,
        from_xlsx: false,
    })
}

/// A BOM decides; otherwise a prefix that is valid UTF-8 (a character cut at
/// the end of the prefix allowed) means UTF-8, and anything else GB18030.
fn sniff_encoding(prefix: &[u8]) -> &'static str {
    if prefix.starts_with(b"\xEF\xBB\xBF") {
        return "UTF-8-BOM";
    }
    if prefix.starts_with(b"\xFF\xFE") {
        return "UTF-16LE";
    }
    if prefix.starts_with(b"\xFE\xFF") {
        return "UTF-16BE";
    }
    match std::str::from_utf8(prefix) {
        Ok(_) => "UTF-8",
        Err(e) if e.error_len().is_none() && prefix.len() - e.valid_up_to() < 4 => "UTF-8",
        Err(_) => "GB18030",
    }
}

fn build_meta(
    display: &str,
    schema: &SourceSchema,
    header: Vec<String>,
    (samples, check): (&[Vec<String>], FitCheck<'_>),
    encoding: &'static str,
    from_xlsx: bool,
) -> Result<TableMeta> {
    let header: Vec<String> = header
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let binding = bind(schema, &header, samples, check, display)?;
    let mut meta = TableMeta {
        by_col: Vec::new(),
        header,
        ignored_columns: binding.ignored(),
        columns: binding.columns,
        binding: binding.report,
        encoding,
        from_xlsx,
    };
    meta.by_col = Col::ALL.iter().map(|c| meta.column(c.key())).collect();
    Ok(meta)
}

/// Comma unless the first line has tabs and no commas (Excel's "Unicode text").
fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    if first.contains('\t') && !first.contains(',') {
        b'\t'
    } else {
        b','
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_encodings() {
        assert_eq!(sniff_encoding("姓名".as_bytes()), "UTF-8");
        assert_eq!(sniff_encoding(b"\xEF\xBB\xBFabc"), "UTF-8-BOM");
        let (gbk, _, _) = encoding_rs::GBK.encode("姓名,低保对象");
        assert_eq!(sniff_encoding(&gbk), "GB18030");
        // A prefix that cuts a character in half is still UTF-8.
        let cut = &"姓名".as_bytes()[..4];
        assert_eq!(sniff_encoding(cut), "UTF-8");
    }

    #[test]
    fn sniffs_tab_delimited() {
        assert_eq!(sniff_delimiter("姓名\t身份证号\n"), b'\t');
        assert_eq!(sniff_delimiter("姓名,身份证号\n"), b',');
    }
}
