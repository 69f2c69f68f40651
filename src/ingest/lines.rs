//! Accounting for lines (issue 10): a CSV export read as *physical* lines,
//! so every line of the file is counted once (above the header, the header,
//! a data row or part of one, blank, totals/notes), and a broken quote costs
//! only its own record.
//!
//! Why not the `csv` crate's reader: it cannot resume. One stray quote at the
//! start of a field (`"马小红`) makes it read the rest of the file as one
//! field. Here a record is built from whole lines: a line without a quote is
//! split at the delimiter (the common case, one pass with `memchr`); a line
//! with a quote is parsed with the same rules as the `csv` crate (RFC 4180
//! `""` escapes, a quote only opens at the start of a field). When a quote is
//! still open at the end of a line the next lines are joined, but only while
//! they could be the rest of one field: at most [`MAX_RECORD_LINES`] lines,
//! and never a line that holds a whole row's worth of delimiters. Otherwise
//! the record is a broken quote ([`Item::BrokenQuote`]) and reading resumes
//! on the line after the one where the quote opened.
//!
//! Line ends: `\n`, `\r\n` or a lone `\r` (old Mac exports), as the `csv`
//! crate reads them.

use std::collections::VecDeque;
use std::io::BufRead;

/// The most physical lines one record may span: a quoted address or note
/// with a few line breaks, never a block of rows.
pub const MAX_RECORD_LINES: usize = 8;

/// What the reader found next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A record starting on physical line `line` and spanning `lines` lines.
    Record { line: u64, lines: u64 },
    /// A quote opened on `line` never closed where a field could end; the
    /// record is set aside (`text` is that line as written) and the next
    /// item starts on `line + 1`.
    BrokenQuote { line: u64, text: String },
}

/// One record's fields, back to back (the bytes of every field, and where
/// each ends). Like `csv::ByteRecord`, but filled without a call per field
/// into another crate: the reader's hot loop stays inlined.
#[derive(Debug, Default, Clone)]
pub struct Fields {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl Fields {
    #[inline]
    pub fn clear(&mut self) {
        self.bytes.clear();
        self.ends.clear();
    }

    #[inline]
    pub fn push_field(&mut self, f: &[u8]) {
        self.bytes.extend_from_slice(f);
        self.ends.push(self.bytes.len());
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Field `i`, if the record has it.
    pub fn get(&self, i: usize) -> Option<&[u8]> {
        let end = *self.ends.get(i)?;
        let start = match i {
            0 => 0,
            _ => self.ends[i - 1],
        };
        self.bytes.get(start..end)
    }

    pub fn iter(&self) -> impl Iterator<Item = &[u8]> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// Every field's bytes, back to back.
    pub fn as_slice(&self) -> &[u8] {
        &self.bytes
    }

    /// Where each field ends in [`Fields::as_slice`].
    pub fn ends(&self) -> &[usize] {
        &self.ends
    }
}

/// A record's fields, however they are stored: [`Fields`] (copied out of
/// the line) or [`Split`] (where they lie in the line, issue 15).
pub trait FieldList {
    /// How many fields the record has.
    fn count(&self) -> usize;
    /// Field `i`, if the record has it.
    fn field(&self, i: usize) -> Option<&[u8]>;
    /// The fields in order.
    fn fields(&self) -> impl Iterator<Item = &[u8]> + '_ {
        (0..self.count()).filter_map(|i| self.field(i))
    }
}

impl FieldList for Fields {
    #[inline]
    fn count(&self) -> usize {
        self.len()
    }
    #[inline]
    fn field(&self, i: usize) -> Option<&[u8]> {
        self.get(i)
    }
}

/// Splits `bytes` (a range of a file without quotes) into its lines and
/// their fields in one pass, calling `line(start, end, ends)` for each
/// line `bytes[start..end]` (its terminator left out), where `ends[i]` is
/// where field `i` ends, relative to `start` (the next field starts one
/// delimiter later); `ends` is emptied after each line. `\n`, `\r\n` and a
/// lone `\r` end a line, as [`CsvLines`] reads them; what follows the last
/// terminator is a line too, unless it is empty.
///
/// Eight bytes at a time (the fallback): a word's delimiters, `\n` and `\r` are found
/// with exact bit arithmetic (no false positives), and the delimiters
/// before each line end are taken in a tight loop over the bits, so the
/// work per field is a push (issue 15: fields are a few bytes long, so
/// stops are dense; a call per stop cost more than finding them).
///
/// Where the CPU has AVX2 (checked at run time), 64 bytes at a time
/// ([`avx2::split_blocks`]), the rest by words.
pub fn split_lines(
    bytes: &[u8],
    delimiter: u8,
    ends: &mut Vec<usize>,
    mut line: impl FnMut(usize, usize, &[usize]),
) {
    let mut at = LineAt {
        start: 0,
        lf_of_crlf: usize::MAX,
    };
    ends.clear();
    #[cfg(target_arch = "x86_64")]
    let base = avx2::split_blocks(bytes, delimiter, &mut at, ends, &mut line);
    #[cfg(not(target_arch = "x86_64"))]
    let base = 0;
    split_words(bytes, base, delimiter, at, ends, line);
}

/// [`split_lines`] from `base` on (where the line that `at` tells of
/// started earlier), eight bytes at a time.
fn split_words(
    bytes: &[u8],
    mut base: usize,
    delimiter: u8,
    mut at: LineAt,
    ends: &mut Vec<usize>,
    mut line: impl FnMut(usize, usize, &[usize]),
) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let (d, n, r) = (
        ONES * u64::from(delimiter),
        ONES * u64::from(b'\n'),
        ONES * u64::from(b'\r'),
    );
    let mut words = bytes.get(base..).unwrap_or(&[]).chunks_exact(8);
    for word in &mut words {
        let Ok(word) = <[u8; 8]>::try_from(word) else {
            continue;
        };
        let x = u64::from_le_bytes(word);
        let delims = zero_bytes(x ^ d);
        // Most words hold no byte below `\r` + 1, so no line end: one test
        // says so, and only the other words are searched for `\n` and `\r`.
        let eols = match any_below_14(x) {
            false => 0,
            // A delimiter that is also a line end byte reads as a delimiter.
            true => (zero_bytes(x ^ n) | zero_bytes(x ^ r)) & !delims,
        };
        at.stops::<BYTE_MARK_SHIFT>(bytes, base, (delims, eols), ends, &mut line);
        base += 8;
    }
    for (k, &b) in words.remainder().iter().enumerate() {
        let i = base + k;
        if b == delimiter {
            ends.push(i - at.start);
        } else if b == b'\n' || b == b'\r' {
            at.end_line(bytes, i, ends, &mut line);
        }
    }
    if at.start < bytes.len() {
        ends.push(bytes.len() - at.start);
        line(at.start, bytes.len(), ends);
        ends.clear();
    }
}

/// Where [`split_lines`] is: the current line's start, and the `\n` of a
/// `\r\n` that ended the last line (not a line of its own).
struct LineAt {
    start: usize,
    lf_of_crlf: usize,
}

impl LineAt {
    /// A `\n` or `\r` at `i`: the current line ends there (unless it is the
    /// `\n` of a `\r\n`).
    #[inline(always)]
    fn end_line(
        &mut self,
        bytes: &[u8],
        i: usize,
        ends: &mut Vec<usize>,
        line: &mut impl FnMut(usize, usize, &[usize]),
    ) {
        if i != self.lf_of_crlf {
            ends.push(i - self.start);
            line(self.start, i, ends);
            ends.clear();
            if bytes.get(i) == Some(&b'\r') && bytes.get(i + 1) == Some(&b'\n') {
                self.lf_of_crlf = i + 1;
            }
        }
        self.start = i + 1;
    }

    /// The stops of one step of `bytes` at `base` (a word, or AVX2's 64
    /// bytes), each byte marked in `delims` or `eols` by a bit whose index
    /// `>> SHIFT` is its offset: the delimiters before each line end go
    /// with that line, then the line ends, then the delimiters after the
    /// last one start the next line's fields.
    #[inline(always)]
    fn stops<const SHIFT: u32>(
        &mut self,
        bytes: &[u8],
        base: usize,
        (mut delims, mut eols): (u64, u64),
        ends: &mut Vec<usize>,
        line: &mut impl FnMut(usize, usize, &[usize]),
    ) {
        while eols != 0 {
            let low = eols & eols.wrapping_neg();
            let before = delims & (low - 1);
            push_marks::<SHIFT>(before, base, self.start, ends);
            delims ^= before;
            eols ^= low;
            let i = base + (low.trailing_zeros() >> SHIFT) as usize;
            self.end_line(bytes, i, ends, line);
        }
        push_marks::<SHIFT>(delims, base, self.start, ends);
    }
}

/// Marks of a word's bytes ([`zero_bytes`]) are their high bits: bit
/// `8 * k + 7` marks byte `k`, so a mark's byte is its bit index `>> 3`.
const BYTE_MARK_SHIFT: u32 = 3;

/// Pushes where each byte marked in `marks` (a mark per byte, its bit
/// index `>> SHIFT` the byte's offset) lies in the step at `base`,
/// relative to `start`.
/// All at once: room for as many as are marked is made once, and the loop
/// over the marks writes without a capacity check or a stored length per
/// field (issue 15: `push` per field was most of the splitter's own time).
#[inline(always)]
fn push_marks<const SHIFT: u32>(mut marks: u64, base: usize, start: usize, ends: &mut Vec<usize>) {
    // The line may start inside the step (after a line end in it).
    let at = base.wrapping_sub(start);
    ends.extend((0..marks.count_ones()).map(|_| {
        let end = at.wrapping_add((marks.trailing_zeros() >> SHIFT) as usize);
        marks &= marks.wrapping_sub(1);
        end
    }));
}

/// Whether a byte of `x` is below 14 (`\r` is 13, `\n` 10): a byte below
/// borrows in the subtraction and has its high bit clear. Exact for "any"
/// (a borrow reaches higher bytes only from a byte that is below itself).
#[inline]
fn any_below_14(x: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    x.wrapping_sub(ONES * 14) & !x & HIGH != 0
}

/// The high bit set in each byte of `x` that is zero, and only there: the
/// low seven bits plus 0x7F carry into bit 7 unless they are all zero, and
/// never into the next byte.
#[inline]
fn zero_bytes(x: u64) -> u64 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    !(((x & LOW7).wrapping_add(LOW7)) | x | LOW7)
}

/// The 64-byte steps of [`split_lines`] with AVX2 compares (issue 15:
/// finding the stops eight bytes at a time was most of the split's time).
#[cfg(target_arch = "x86_64")]
mod avx2;

/// A line without quotes, its fields where they lie: `ends[i]` is where
/// field `i` ends in `line` (the next starts one delimiter later).
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    pub line: &'a [u8],
    pub ends: &'a [usize],
}

impl FieldList for Split<'_> {
    #[inline]
    fn count(&self) -> usize {
        self.ends.len()
    }
    #[inline]
    fn field(&self, i: usize) -> Option<&[u8]> {
        let end = *self.ends.get(i)?;
        let start = match i {
            0 => 0,
            _ => self.ends[i - 1] + 1,
        };
        self.line.get(start..end)
    }
}

/// Physical lines in `bytes` the way [`CsvLines`] counts them (`\n`,
/// `\r\n`, a lone `\r`); `last`: the end of the file, where a last line
/// without a terminator counts too.
pub fn count_lines(bytes: &[u8], last: bool) -> u64 {
    let ends = if memchr::memchr(b'\r', bytes).is_none() {
        memchr::memchr_iter(b'\n', bytes).count()
    } else {
        memchr::memchr2_iter(b'\n', b'\r', bytes)
            .filter(|&i| !(bytes[i] == b'\n' && i > 0 && bytes[i - 1] == b'\r'))
            .count()
    };
    let open = last && !matches!(bytes.last(), None | Some(b'\n' | b'\r'));
    ends as u64 + u64::from(open)
}

/// What the reader learns of a range in one pass over its bytes (issue 15:
/// the lines were counted in two passes and the quotes looked for in a
/// third, each over the whole range).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scan {
    /// Its physical lines, as [`count_lines`] counts them.
    pub lines: u64,
    /// Whether it holds a quote (`"`).
    pub quoted: bool,
}

/// [`count_lines`] of `bytes` and whether they hold a quote, in one pass
/// where the CPU has AVX2 (the rest, or every byte without it, as before).
pub fn scan_range(bytes: &[u8], last: bool) -> Scan {
    #[cfg(target_arch = "x86_64")]
    if let Some((ends, quoted, base)) = avx2::scan_blocks(bytes) {
        let (mut ends, mut quoted) = (ends, quoted);
        for (i, &b) in bytes.iter().enumerate().skip(base) {
            match b {
                b'\r' => ends += 1,
                b'\n' if !(i > 0 && bytes[i - 1] == b'\r') => ends += 1,
                b'"' => quoted = true,
                _ => {}
            }
        }
        let open = last && !matches!(bytes.last(), None | Some(b'\n' | b'\r'));
        return Scan {
            lines: ends + u64::from(open),
            quoted,
        };
    }
    Scan {
        lines: count_lines(bytes, last),
        quoted: memchr::memchr(b'"', bytes).is_some(),
    }
}

/// Where `bytes` (starting at a record's start) may be cut so that each part
/// reads as it would in one piece: just after a `\n` with no quote in the
/// [`MAX_RECORD_LINES`] lines before it (or since the start), so no record
/// that opens a quote can reach past the cut (issue 15). The latest such
/// place; `None` when there is none.
pub fn cut_point(bytes: &[u8]) -> Option<usize> {
    let mut end = memchr::memrchr(b'\n', bytes)? + 1;
    loop {
        // The window: the lines ending at `end`, back to MAX_RECORD_LINES
        // line starts or the start.
        let mut from = end - 1;
        let mut n = 0;
        let window = loop {
            match memchr::memrchr(b'\n', &bytes[..from]) {
                Some(q) => {
                    n += 1;
                    if n == MAX_RECORD_LINES {
                        break q + 1;
                    }
                    from = q;
                }
                None => break 0,
            }
        };
        match memchr::memrchr(b'"', &bytes[window..end]) {
            None => return Some(end),
            Some(q) => {
                // Cut before the quote's line instead.
                let line_start = memchr::memrchr(b'\n', &bytes[..window + q])? + 1;
                end = line_start;
            }
        }
    }
}

impl<'a> FromIterator<&'a str> for Fields {
    fn from_iter<I: IntoIterator<Item = &'a str>>(it: I) -> Fields {
        let mut f = Fields::default();
        for s in it {
            f.push_field(s.as_bytes());
        }
        f
    }
}

/// Where every physical line of an input went (summary.json): above the
/// header (titles, blank lines, a two-row header's group row), the header,
/// data rows (a row with a quoted line break spans several lines), blank
/// rows, totals and notes. They add up to the file's physical lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineAccount {
    /// Lines in the file (sheet rows up to the last non-empty one).
    pub physical: u64,
    /// The header's (first) line.
    pub header_line: u64,
    /// Lines the header spans (1 unless a header cell has a line break).
    pub header: u64,
    /// Lines of data rows (read: accepted, rejected or merged).
    pub rows: u64,
    /// Lines of blank rows below the header.
    pub blank: u64,
    /// The line of each totals or notes row (合计、备注：…), skipped.
    pub notes: Vec<u64>,
    /// Lines of totals and notes rows.
    pub note_lines: u64,
}

impl LineAccount {
    /// Lines above the header, skipped.
    pub fn above_header(&self) -> u64 {
        self.header_line.saturating_sub(1)
    }

    /// The console's one line about the table, when there is more to say
    /// than "header on line 1, nothing skipped".
    pub fn console_line(&self) -> Option<String> {
        if self.header_line <= 1 && self.notes.is_empty() && self.blank == 0 {
            return None;
        }
        let shown: Vec<String> = self.notes.iter().take(5).map(u64::to_string).collect();
        let more = if self.notes.len() > 5 { "…" } else { "" };
        Some(format!(
            "表头在第 {} 行（其上 {} 行标题/空行已跳过）；合计/备注 {} 行已跳过（第 {}{more} 行）；空行 {} 行；共 {} 行{} — header on line {}, {} line(s) above skipped, {} totals/notes row(s) and {} blank line(s) skipped, {} lines{}",
            self.header_line,
            self.above_header(),
            self.notes.len(),
            if shown.is_empty() { "-".to_string() } else { shown.join("、") },
            self.blank,
            self.physical,
            if self.balances() { "，全部计入" } else { "，有行未计入（请报告）" },
            self.header_line,
            self.above_header(),
            self.notes.len(),
            self.blank,
            self.physical,
            if self.balances() { " all accounted for" } else { " NOT all accounted for (please report)" },
        ))
    }

    /// Whether every physical line is accounted for exactly once.
    pub fn balances(&self) -> bool {
        self.physical
            == self.above_header() + self.header + self.rows + self.blank + self.note_lines
    }
}

struct Line {
    no: u64,
    /// The line's bytes, terminator included.
    bytes: Vec<u8>,
}

/// Records of a CSV stream, with the physical lines they came from.
pub struct CsvLines<R> {
    src: R,
    delimiter: u8,
    /// Number of the next line read from `src`.
    next_no: u64,
    /// Lines read ahead while looking for a closing quote, to be read again.
    replay: VecDeque<Line>,
    /// A spare line buffer (reused, so the common case allocates nothing).
    spare: Vec<u8>,
    /// A line holding at least this many delimiters is a row of its own,
    /// never the continuation of a quoted field (0: no such check).
    row_delimiters: usize,
}

impl<R: BufRead> CsvLines<R> {
    pub fn new(src: R, delimiter: u8) -> CsvLines<R> {
        CsvLines {
            src,
            delimiter,
            next_no: 1,
            replay: VecDeque::new(),
            spare: Vec::new(),
            row_delimiters: 0,
        }
    }

    /// Tells the reader how wide a row is (the header's width), so a
    /// continuation line that holds a whole row ends an open quote.
    pub fn set_width(&mut self, width: usize) {
        self.row_delimiters = if width >= 3 { width - 1 } else { 0 };
    }

    /// Numbers lines from `line` (a reader started inside a file).
    pub fn starting_at(mut self, line: u64) -> CsvLines<R> {
        self.next_no = line;
        self
    }

    /// Physical lines read so far.
    pub fn lines_read(&self) -> u64 {
        self.next_no - 1 - self.replay.len() as u64
    }

    /// Reads the next record into `rec`; `None` at the end of the input.
    pub fn next_record(&mut self, rec: &mut Fields) -> std::io::Result<Option<Item>> {
        if self.replay.is_empty() && self.plain_in_buffer(rec)? {
            let line = self.next_no;
            self.next_no += 1;
            return Ok(Some(Item::Record { line, lines: 1 }));
        }
        let Some(first) = self.take_line()? else {
            return Ok(None);
        };
        let content = strip_terminator(&first.bytes);
        if memchr::memchr(b'"', content).is_none() {
            split_plain(content, self.delimiter, rec);
            let line = first.no;
            self.spare = first.bytes;
            return Ok(Some(Item::Record { line, lines: 1 }));
        }
        self.quoted_record(first, rec).map(Some)
    }

    /// The common case without copying the line: a whole line without a
    /// quote already in the reader's buffer is split where it lies. `false`
    /// (nothing consumed) sends anything else the long way.
    fn plain_in_buffer(&mut self, rec: &mut Fields) -> std::io::Result<bool> {
        let delimiter = self.delimiter;
        let buf = self.src.fill_buf()?;
        let Some(end) = memchr::memchr2(b'\n', b'\r', buf) else {
            return Ok(false);
        };
        let used = match (buf[end], buf.get(end + 1)) {
            (b'\n', _) => end + 1,
            (_, Some(b'\n')) => end + 2,
            (_, Some(_)) => end + 1,
            // A `\r` at the end of the buffer: a `\n` may follow.
            (_, None) => return Ok(false),
        };
        let content = &buf[..end];
        if memchr::memchr(b'"', content).is_some() {
            return Ok(false);
        }
        split_plain(content, delimiter, rec);
        self.src.consume(used);
        Ok(true)
    }

    /// A record whose first line holds a quote: join lines while the quote
    /// is open and the next line could continue a field.
    fn quoted_record(&mut self, first: Line, rec: &mut Fields) -> std::io::Result<Item> {
        let mut joined = first.bytes.clone();
        let mut more: Vec<Line> = Vec::new();
        loop {
            if parse_quoted(strip_terminator(&joined), self.delimiter, rec) {
                return Ok(Item::Record {
                    line: first.no,
                    lines: 1 + more.len() as u64,
                });
            }
            if 1 + more.len() >= MAX_RECORD_LINES {
                break;
            }
            let Some(next) = self.take_line()? else {
                break;
            };
            if self.is_whole_row(&next.bytes) {
                more.push(next);
                break;
            }
            joined.extend_from_slice(&next.bytes);
            more.push(next);
        }
        // Broken: every line after the first is read again.
        for l in more.into_iter().rev() {
            self.replay.push_front(l);
        }
        rec.clear();
        Ok(Item::BrokenQuote {
            line: first.no,
            text: String::from_utf8_lossy(strip_terminator(&first.bytes)).into_owned(),
        })
    }

    /// A line that holds a whole row's delimiters before any quote that
    /// could close the open field is a row of its own. (The rest of a row
    /// whose quoted first field has a line break has its delimiters after
    /// the closing quote.)
    fn is_whole_row(&self, line: &[u8]) -> bool {
        let before_quote = &line[..memchr::memchr(b'"', line).unwrap_or(line.len())];
        self.row_delimiters > 0
            && memchr::memchr_iter(self.delimiter, before_quote).count() >= self.row_delimiters
    }

    fn take_line(&mut self) -> std::io::Result<Option<Line>> {
        if let Some(l) = self.replay.pop_front() {
            return Ok(Some(l));
        }
        let mut bytes = std::mem::take(&mut self.spare);
        bytes.clear();
        if !read_physical(&mut self.src, &mut bytes)? {
            self.spare = bytes;
            return Ok(None);
        }
        let no = self.next_no;
        self.next_no += 1;
        Ok(Some(Line { no, bytes }))
    }

    /// The underlying reader (to drain what is left for hashing).
    pub fn into_inner(self) -> R {
        self.src
    }
}

/// Appends one physical line (terminator included) to `out`; `false` at the
/// end of the input.
fn read_physical(src: &mut impl BufRead, out: &mut Vec<u8>) -> std::io::Result<bool> {
    loop {
        let buf = src.fill_buf()?;
        if buf.is_empty() {
            return Ok(!out.is_empty());
        }
        match memchr::memchr2(b'\n', b'\r', buf) {
            Some(i) => {
                let cr = buf[i] == b'\r';
                out.extend_from_slice(&buf[..=i]);
                src.consume(i + 1);
                if cr && src.fill_buf()?.first() == Some(&b'\n') {
                    out.push(b'\n');
                    src.consume(1);
                }
                return Ok(true);
            }
            None => {
                let n = buf.len();
                out.extend_from_slice(buf);
                src.consume(n);
            }
        }
    }
}

fn strip_terminator(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// A line without quotes: fields are what lies between delimiters.
pub fn split_plain(content: &[u8], delimiter: u8, rec: &mut Fields) {
    rec.clear();
    let mut start = 0;
    for at in memchr::memchr_iter(delimiter, content) {
        rec.push_field(&content[start..at]);
        start = at + 1;
    }
    rec.push_field(&content[start..]);
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote seen inside a quoted field: `""` or the closing quote.
    QuoteInQuoted,
}

/// Parses `content` as one record with the `csv` crate's rules; `false` when
/// a quoted field is still open at its end (`rec` is then meaningless).
fn parse_quoted(content: &[u8], delimiter: u8, rec: &mut Fields) -> bool {
    rec.clear();
    let mut field: Vec<u8> = Vec::with_capacity(content.len());
    let mut state = State::FieldStart;
    for &b in content {
        state = match (state, b) {
            (State::FieldStart, b'"') => State::Quoted,
            (State::FieldStart | State::Unquoted | State::QuoteInQuoted, d) if d == delimiter => {
                rec.push_field(&field);
                field.clear();
                State::FieldStart
            }
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::QuoteInQuoted, b'"') => {
                field.push(b'"');
                State::Quoted
            }
            (State::Quoted, _) => {
                field.push(b);
                State::Quoted
            }
            (_, _) => {
                field.push(b);
                State::Unquoted
            }
        };
    }
    if state == State::Quoted {
        return false;
    }
    rec.push_field(&field);
    true
}

#[cfg(test)]
mod tests;
