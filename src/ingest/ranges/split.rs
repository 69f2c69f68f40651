//! A range's lines sorted into data rows, blank rows and totals/notes, and
//! its data rows split into the row block: a plain range straight from its
//! bytes, a range with quotes by [`CsvLines`] (issue 15).

use super::Env;
use crate::ingest::lines::{split_lines, CsvLines, FieldList, Fields, Item, Split};
use crate::ingest::read::{self, FileStats, RowBlock, MAX_FIELDS};
use crate::ingest::table::{self, RowKind};

/// Sorts a range's records into data rows, blank rows and totals/notes as
/// [`read::stream_rows`] does, counting every line.
pub(super) struct Sorter<'e, 'a> {
    pub(super) env: &'e Env<'a>,
    pub(super) block: &'e mut RowBlock,
    pub(super) stats: FileStats,
    /// A totals or notes row came last (as far as this range knows).
    pub(super) trailer: bool,
    /// A row of the range has set the state, whatever came before.
    pub(super) settled: bool,
    /// A row before that would read otherwise under the other state.
    pub(super) sensitive: bool,
}

impl Sorter<'_, '_> {
    /// Whether the record starting on `line` is a data row to keep; counts
    /// it (and its lines) whatever it is.
    fn data_row(&mut self, line: u64, lines: u64, rec: &impl FieldList) -> bool {
        let meta = self.env.meta;
        if line <= meta.header_line {
            return false; // above the header (counted by its line), or the header
        }
        let kind = table::classify(rec, &meta.shape, self.trailer);
        if !self.settled && kind != RowKind::Blank {
            self.sensitive |= table::classify(rec, &meta.shape, !self.trailer) != kind;
        }
        let s = &mut self.stats;
        match kind {
            RowKind::Blank => {
                s.blank_rows += 1;
                s.lines.blank += lines;
                return false;
            }
            RowKind::Note => {
                (self.trailer, self.settled) = (true, true);
                s.lines.notes.push(line);
                s.lines.note_lines += lines;
                return false;
            }
            RowKind::Data if table::repeats_header(rec, &meta.header) => {
                s.lines.notes.push(line);
                s.lines.note_lines += lines;
                return false;
            }
            RowKind::Data => (self.trailer, self.settled) = (false, true),
        }
        s.rows_read += 1;
        s.lines.rows += lines;
        if rec.count() > MAX_FIELDS {
            let fields = (0..rec.count()).filter_map(|i| rec.field(i)).fold(
                Fields::default(),
                |mut f, x| {
                    f.push_field(x);
                    f
                },
            );
            let reject = read::too_wide(self.env.file, line, &fields, meta);
            s.rejects.push(reject);
            return false;
        }
        true
    }
}

/// A range without a quote, valid UTF-8: one pass over its bytes finds
/// the delimiters and line ends ([`split_lines`]); each data row is
/// pushed where it lies in `text` ([`RowBlock::push_in_place`]), or, when
/// a row number column must be emptied, copied.
pub(super) fn split_plain_range(
    text: &str,
    first_line: u64,
    sorter: &mut Sorter<'_, '_>,
    ends: &mut Vec<usize>,
) -> u64 {
    let b = text.as_bytes();
    let env = sorter.env;
    let (delimiter, file) = (env.delimiter, env.file);
    let ordinal = &env.meta.shape.ordinal_cols;
    let mut line = first_line;
    split_lines(b, delimiter, ends, |start, end, ends| {
        let split = Split {
            line: b.get(start..end).unwrap_or(&[]),
            ends,
        };
        if sorter.data_row(line, 1, &split) {
            if ordinal.is_empty() {
                sorter.block.push_in_place((file, line), start, ends);
            } else {
                let content = text.get(start..end).unwrap_or("");
                sorter
                    .block
                    .push_split((file, line, delimiter), content, ends, ordinal);
            }
        }
        line += 1;
    });
    line
}

/// A range with quotes (or not valid UTF-8): read by [`CsvLines`], as the
/// serial way reads it.
pub(super) fn read_quoted_range(bytes: &[u8], first_line: u64, sorter: &mut Sorter<'_, '_>) {
    let env = sorter.env;
    let meta = env.meta;
    let mut lines = CsvLines::new(bytes, env.delimiter).starting_at(first_line);
    lines.set_width(meta.header.len());
    let (mut rec, mut unnumbered) = (Fields::default(), Fields::default());
    // Reading a byte slice cannot fail.
    while let Ok(Some(item)) = lines.next_record(&mut rec) {
        let (line, n) = match &item {
            Item::Record { line, lines } => (*line, *lines),
            Item::BrokenQuote { line, .. } => (*line, 1),
        };
        if line <= meta.header_line {
            continue;
        }
        if let Item::BrokenQuote { text, .. } = item {
            let s = &mut sorter.stats;
            s.rows_read += 1;
            s.lines.rows += n;
            s.rejects.push(read::broken_quote(
                env.file,
                line,
                text,
                meta,
                env.delimiter,
            ));
            continue;
        }
        if !sorter.data_row(line, n, &rec) {
            continue;
        }
        if meta.shape.ordinal_cols.is_empty() {
            sorter
                .block
                .push_record(env.file, line, &rec, env.delimiter);
        } else {
            unnumbered.clear();
            for (i, f) in rec.iter().enumerate() {
                let ordinal = meta.shape.ordinal_cols.contains(&i);
                unnumbered.push_field(if ordinal { b"" } else { f });
            }
            sorter
                .block
                .push_record(env.file, line, &unnumbered, env.delimiter);
        }
    }
}
