//! The data rows of a sheet written by hand (issue 15): the XML
//! rust_xlsxwriter's constant-memory sheets write for the same cells, byte
//! for byte but for the cells' implied places (below), without its per-cell
//! work (a `BTreeMap` row of cells, an
//! `Arc<str>` per text, a hashed `Format` per number, `write!` per cell).
//!
//! What the writer does and this matches (rust_xlsxwriter 0.102,
//! `Worksheet::flush_data_row` and `write_*_cell`): a row is
//! `<row r="N">` (no `spans` in constant-memory mode) and its cells in
//! column order; a row without cells is not written; an empty text is no
//! cell; a text is an inline string, its literal `_xHHHH_` escaped as
//! `_x005F_xHHHH_`, then `&<>` and the control characters (tab and line
//! feed aside, and U+FFFE/U+FFFF) as XML and `_xHHHH_`, with
//! `xml:space="preserve"` when it begins or ends with a space, tab or line
//! feed; a number is the shortest text of its `f64` (Rust's `Display`).
//! Where the writer names every cell's place (`r="B7"`), a cell right after
//! the previous cell of its row leaves it out (issue 15, see `At`).

use chrono::{Datelike, NaiveDate};

use super::{fit_cell, formula_like, neutralise, Cell, MAX_CELL_CHARS};
use crate::report::digits::{itoa_buf, write_u64};

/// The style indices (`s="N"`) of the formatted cells, as the writer
/// numbered the formats (0: never used in this workbook yet).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Styles {
    pub money: u32,
    pub date: u32,
    pub percent: u32,
}

/// Whether `d` is written as an Excel date (Excel holds 1900–9999; others
/// are `YYYY-MM-DD` text, as [`super::excel_date`] decides).
pub(super) fn is_excel_date(d: NaiveDate) -> bool {
    (1900..=9999).contains(&d.year())
}

/// Days from the common era's 0001-01-01 to 1899-12-30, Excel's day 0.
const EXCEL_EPOCH_CE: i32 = 693_594;

/// Days from the common era's 0001-01-01 to 1900-03-01.
const MARCH_1900_CE: i32 = 693_655;

/// Excel's serial day of `d` (an [`is_excel_date`]), as
/// `ExcelDateTime::to_excel` gives it: days since 1899-12-30 from
/// 1900-03-01 on, since 1899-12-31 before (Excel's false 1900-02-29).
fn excel_serial(d: NaiveDate) -> i64 {
    let days = d.num_days_from_ce();
    i64::from(days - EXCEL_EPOCH_CE) - i64::from(days < MARCH_1900_CE)
}

/// Appends the `<row>` of sheet row `r` (0-based) holding `cells` to `out`;
/// the first and last column written, or `None` (and nothing appended)
/// when the row has no cell to write.
pub(super) fn push_row(
    out: &mut Vec<u8>,
    r: u32,
    cells: &[Cell],
    styles: &Styles,
) -> Option<(u16, u16)> {
    let start = out.len();
    let mut number = itoa_buf();
    let row_num = write_u64(&mut number, u64::from(r) + 1);
    out.extend_from_slice(b"<row r=\"");
    out.extend_from_slice(row_num);
    out.extend_from_slice(b"\">");
    let mut span: Option<(u16, u16)> = None;
    for (c, cell) in cells.iter().enumerate() {
        let Ok(col) = u16::try_from(c) else { break };
        // Issue 15: a cell right after the row's previous cell leaves its
        // place implied (see [`At`]).
        let implied = span.is_some_and(|(_, last)| last + 1 == col);
        if push_cell(
            out,
            At {
                row_num,
                col,
                implied,
            },
            cell,
            styles,
        ) {
            span = Some(span.map_or((col, col), |(first, _)| (first, col)));
        }
    }
    if span.is_some() {
        out.extend_from_slice(b"</row>");
    } else {
        out.truncate(start);
    }
    span
}

/// Where a cell goes: its row's number (1-based, as text) and its column.
///
/// Issue 15: `implied` when the cell directly follows the previous cell
/// written in its row; its `r` attribute is then left out (`<c>` instead of
/// `<c r="B7">`). SpreadsheetML makes `r` optional, and a cell without it is
/// the one after its left neighbour (Excel, WPS, LibreOffice, calamine read
/// it so). The first cell of every row, and a cell after a gap, still name
/// their place. Every cell's `r` repeated the row's number, which the
/// compressor could not match from row to row: without them a county
/// workbook's sheet XML is ≈ 18 % shorter and deflates in ≈ 35 % less time
/// to about half the bytes (1 M persons: county workbooks 20.8 → 10.1 MB).
#[derive(Clone, Copy)]
struct At<'a> {
    row_num: &'a [u8],
    col: u16,
    implied: bool,
}

/// A number cell's value, printed as the writer prints its `f64`.
enum Value {
    /// `x as f64 / 10^k`.
    Scaled(i64, u32),
    /// `i as f64`.
    Int(i64),
    /// Anything else (values no integer path covers).
    Float(f64),
}

/// Appends the `<c>` of one cell; false when the cell is not written
/// (an empty text, a missing date).
fn push_cell(out: &mut Vec<u8>, at: At<'_>, cell: &Cell, styles: &Styles) -> bool {
    let (style, value) = match cell {
        Cell::Text(s) => return push_text(out, at, s),
        // Display only: the tool's sums are in integer fen.
        Cell::Money(fen) => (styles.money, Value::Scaled(fen.0, 2)),
        Cell::Date(Some(d)) if is_excel_date(*d) => (styles.date, Value::Int(excel_serial(*d))),
        // A date Excel cannot hold: its text as it is (never neutralised).
        Cell::Date(Some(d)) => {
            push_inline(out, at, false, &crate::domain::fmt_date(*d));
            return true;
        }
        Cell::Date(None) => return false,
        Cell::Int(i) => (0, Value::Int(*i)),
        // Excel's percentages are fractions: 98.50% is 0.985.
        Cell::Percent(centi) => match i64::try_from(*centi) {
            Ok(c) => (styles.percent, Value::Scaled(c, 4)),
            Err(_) => (styles.percent, Value::Float(*centi as f64 / 10_000.0)),
        },
    };
    open_cell(out, at, style);
    out.extend_from_slice(b"><v>");
    push_value(out, value);
    out.extend_from_slice(b"</v></c>");
    true
}

/// `<c r="B7"` (`<c` when its place is implied) and ` s="N"` when styled.
fn open_cell(out: &mut Vec<u8>, at: At<'_>, style: u32) {
    if at.implied {
        out.extend_from_slice(b"<c");
    } else {
        out.extend_from_slice(b"<c r=\"");
        push_col_name(out, at.col);
        out.extend_from_slice(at.row_num);
        out.push(b'"');
    }
    if style > 0 {
        let mut digits = itoa_buf();
        out.extend_from_slice(b" s=\"");
        out.extend_from_slice(write_u64(&mut digits, u64::from(style)));
        out.push(b'"');
    }
}

/// A text cell as written to the sheet: neutralised (a formula-looking
/// text gets its apostrophe) and cut to Excel's length; false when empty.
fn push_text(out: &mut Vec<u8>, at: At<'_>, s: &str) -> bool {
    if s.is_empty() {
        return false;
    }
    let quote = formula_like(s);
    // Bytes bound UTF-16 units: most texts need no counting.
    if s.len() + usize::from(quote) <= MAX_CELL_CHARS {
        push_inline(out, at, quote, s);
    } else {
        let cut = fit_cell(neutralise(s));
        push_inline(out, at, false, &cut);
    }
    true
}

/// `<c r=".." t="inlineStr"><is><t>…</t></is></c>` (`r` if not implied) of `'` (if `quote`)
/// and `s`.
fn push_inline(out: &mut Vec<u8>, at: At<'_>, quote: bool, s: &str) {
    open_cell(out, at, 0);
    out.extend_from_slice(b" t=\"inlineStr\"><is><t");
    let edge = |b: Option<&u8>| matches!(b, Some(b'\t' | b'\n' | b' '));
    let bytes = s.as_bytes();
    if (!quote && edge(bytes.first())) || edge(bytes.last()) {
        out.extend_from_slice(b" xml:space=\"preserve\"");
    }
    out.push(b'>');
    if quote {
        out.push(b'\'');
    }
    push_escaped(out, bytes);
    out.extend_from_slice(b"</t></is></c>");
}

/// Whether byte `b` may need escaping (`_` of a literal `_xHHHH_`, `&<>`,
/// control characters but tab and line feed, the lead byte of U+FFFE/F).
const fn special(b: u8) -> bool {
    matches!(b, b'_' | b'&' | b'<' | b'>' | 0xEF) || (b < 0x20 && b != b'\t' && b != b'\n')
}

/// [`special`] of every byte, looked up (issue 15).
const SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = special(b as u8);
        b += 1;
    }
    table
};

/// Whether `s` holds a [`special`] byte (issue 15). Most texts (names,
/// codes, IDs, places) hold none and are short: whole 16-byte blocks are
/// tested with comparisons the compiler does 16 at a time, the rest (most
/// of a short text) by table, with no branch per byte. Matching `special`
/// byte by byte took ≈ 1.7 times as long (a branch per byte on the
/// multi-byte characters of a Chinese text).
fn any_special(s: &[u8]) -> bool {
    let flag = |b: u8| {
        (b == b'_')
            | (b == b'&')
            | (b == b'<')
            | (b == b'>')
            | (b == 0xEF)
            | ((b < 0x20) & (b != b'\t') & (b != b'\n'))
    };
    let mut blocks = s.chunks_exact(16);
    let mut any = false;
    for block in &mut blocks {
        any |= block.iter().fold(false, |a, &b| a | flag(b));
    }
    blocks
        .remainder()
        .iter()
        .fold(any, |a, &b| a | SPECIAL[usize::from(b)])
}

/// `s` escaped as the writer does: `escape_xml_escapes` then
/// `escape_xml_data`.
fn push_escaped(out: &mut Vec<u8>, s: &[u8]) {
    if !any_special(s) {
        out.extend_from_slice(s);
        return;
    }
    let mut run = 0;
    let mut i = 0;
    while i < s.len() {
        let b = s[i];
        if !special(b) {
            i += 1;
            continue;
        }
        out.extend_from_slice(&s[run..i]);
        let mut width = 1;
        match b {
            b'_' => {
                if literal_escape_at(s, i) {
                    out.extend_from_slice(b"_x005F");
                }
                out.push(b'_');
            }
            b'&' => out.extend_from_slice(b"&amp;"),
            b'<' => out.extend_from_slice(b"&lt;"),
            b'>' => out.extend_from_slice(b"&gt;"),
            0xEF => match s.get(i + 1..i + 3) {
                Some([0xBF, 0xBE]) => (out.extend_from_slice(b"_xFFFE_"), width = 3).1,
                Some([0xBF, 0xBF]) => (out.extend_from_slice(b"_xFFFF_"), width = 3).1,
                _ => out.push(b),
            },
            _ => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                out.extend_from_slice(b"_x00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 0xF)]);
                out.push(b'_');
            }
        }
        i += width;
        run = i;
    }
    out.extend_from_slice(&s[run..]);
}

/// Whether `s[i..]` begins with a literal `_xHHHH_` (four hex digits).
fn literal_escape_at(s: &[u8], i: usize) -> bool {
    match s.get(i..i + 7) {
        Some([b'_', b'x', h @ .., b'_']) => h.iter().all(u8::is_ascii_hexdigit),
        _ => false,
    }
}

/// Excel's name of column `col` (0 is `A`, 25 `Z`, 26 `AA`).
fn push_col_name(out: &mut Vec<u8>, col: u16) {
    let mut name = [0u8; 4];
    let mut n = u32::from(col) + 1;
    let mut at = name.len();
    while n > 0 {
        let rem = (n - 1) % 26;
        at -= 1;
        name[at] = b'A' + rem as u8;
        n = (n - 1) / 26;
    }
    out.extend_from_slice(&name[at..]);
}

/// Below this magnitude `x / 10^k` (k = 2 or 4) prints as its own
/// decimal: the `f64` nearest to it is closer to it than half the last
/// decimal kept, so no shorter text reads back as the same `f64`, and
/// its shortest text (Rust's `Display`, the writer's) is that decimal
/// with trailing zeros cut. 10^15 / 10^2 is below 2^44, where an `f64`'s
/// spacing is at most 2^-9 < 0.01 (10^15 / 10^4 below 2^37: 2^-16 < 10^-4).
const SCALED_EXACT: u64 = 1_000_000_000_000_000;

/// Integers an `f64` holds exactly (2^53).
const INT_EXACT: u64 = 1 << 53;

fn push_value(out: &mut Vec<u8>, value: Value) {
    let mut digits = itoa_buf();
    match value {
        Value::Scaled(x, k) if x.unsigned_abs() < SCALED_EXACT => {
            if x < 0 {
                out.push(b'-');
            }
            let scale = 10u64.pow(k);
            let (whole, frac) = (x.unsigned_abs() / scale, x.unsigned_abs() % scale);
            out.extend_from_slice(write_u64(&mut digits, whole));
            if frac > 0 {
                // k digits with leading zeros, trailing zeros cut.
                let f = write_u64(&mut digits, scale + frac);
                let end = f.iter().rposition(|&d| d != b'0').map_or(1, |p| p + 1);
                out.push(b'.');
                out.extend_from_slice(&f[1..end]);
            }
        }
        Value::Scaled(x, k) => push_f64(out, x as f64 / 10f64.powi(k as i32)),
        Value::Int(i) if i.unsigned_abs() <= INT_EXACT => {
            if i < 0 {
                out.push(b'-');
            }
            out.extend_from_slice(write_u64(&mut digits, i.unsigned_abs()));
        }
        Value::Int(i) => push_f64(out, i as f64),
        Value::Float(x) => push_f64(out, x),
    }
}

/// `x`'s `Display` text (the writer's `{number}`).
fn push_f64(out: &mut Vec<u8>, x: f64) {
    use std::io::Write as _;
    // Writing into a Vec cannot fail.
    let _ = write!(out, "{x}");
}

#[cfg(test)]
#[path = "cells_tests.rs"]
mod tests;
