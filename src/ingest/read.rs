//! Reading one export as a stream of rows: the header found and matched
//! against the source schema ([`super::table`]), the records handed out by
//! [`super::source`] (format, encoding, physical lines) sorted into data
//! rows, blank rows and totals/notes, every line accounted for
//! ([`super::lines::LineAccount`]). Rows arrive in blocks ([`RowBlock`]: one
//! allocation per 65,536 rows), so a file of any size is read in bounded
//! memory; byte-identical duplicate rows are merged later, per partition
//! (`super::reduce::load`), by their 128-bit hash. The row block is
//! in `block`, its frames in the spill files in `frame`.

mod block;
mod frame;

use std::path::Path;

use super::bind::{bind, FitCheck, HeaderColumn, FIT_SAMPLE_ROWS};
use super::lines::{Fields, Item, LineAccount};
use super::schema::{Col, SourceSchema};
use super::source::open;
use super::table::{self, RowKind, Shape};
use crate::error::{Error, Result};
use crate::findings::{FileIdx, Reject, RejectReason};
use crate::i18n::Msg;

pub use block::{HistoryRec, PreHashed, RawRow, RowBlock, RowHashSet, RowKey};
pub use frame::{
    frame_row_count, frame_rows, frame_rows_into, frames_rows_into, Frames, HistorySink,
};
pub(super) use frame::{room_for, room_in};

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
    /// The field delimiter of a CSV file (`,` or tab), the one its header
    /// was found with; `,` for a workbook.
    pub delimiter: u8,
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
    let mut source = open(path, display, None)?;
    let (mut rows, mut spans) = header_window(&mut source, display)?;
    let found = match table::find_header(&rows, schema) {
        Some(found) => found,
        // The delimiter was sniffed from the first lines, and titles above
        // the header may hold more tabs than the few rows below hold commas:
        // the other delimiter is tried before the file is refused.
        None => {
            let retried = match other_delimiter(&source) {
                Some(d) => {
                    let mut other = open(path, display, Some(d))?;
                    let (r, s) = header_window(&mut other, display)?;
                    table::find_header(&r, schema).map(|f| (other, r, s, f))
                }
                None => None,
            };
            let (other, r, s, found) = retried.ok_or_else(|| no_header(display, schema, &rows))?;
            (source, rows, spans) = (other, r, s);
            found
        }
    };
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
    meta.delimiter = source.delimiter;
    Ok(meta)
}

/// The rows of a file's first lines, where its header is looked for
/// ([`table::rules`]' `header_window`), with each row's line and how many
/// lines it spans; a file of blank lines only is refused as empty.
#[allow(clippy::type_complexity)]
fn header_window(
    source: &mut super::source::Source,
    display: &str,
) -> Result<(Vec<Vec<String>>, Vec<(u64, u64)>)> {
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
    Ok((rows, spans))
}

/// The delimiter a CSV file is read with when no header is found with the
/// sniffed one: tab for comma and comma for tab. A workbook has none, and
/// UTF-16 text (Excel's "Unicode text") is always tab-delimited.
fn other_delimiter(source: &super::source::Source) -> Option<u8> {
    if source.from_xlsx || source.encoding.starts_with("UTF-16") {
        return None;
    }
    match source.delimiter {
        b',' => Some(b'\t'),
        b'\t' => Some(b','),
        _ => None,
    }
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

/// Every block of a file as [`stream_rows`] streams them, collected (the
/// reading tests' way to get a file's rows).
#[cfg(test)]
pub(crate) fn all_blocks(path: &Path, display: &str, meta: &TableMeta) -> Vec<RowBlock> {
    let mut blocks = Vec::new();
    stream_rows(
        path,
        display,
        0,
        meta,
        || None,
        |b| {
            blocks.push(b);
            Ok(())
        },
    )
    .expect("a test file is readable");
    blocks
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
    let mut source = open(path, display, Some(meta.delimiter))?;
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
        delimiter: b',',
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
