//! The workbook's package assembled from what rust_xlsxwriter wrote and the
//! rows written by hand (issue 15).
//!
//! The writer writes every part of the workbook — styles, `workbook.xml`
//! with the defined names of filters, print titles and print areas, content
//! types, document properties — and each sheet with everything but its data
//! rows (column widths, title, header, frozen panes, filter, sign-off line,
//! page setup), into memory. Here every part is copied into the file as the
//! writer compressed it (no second compression), in the writer's order, but
//! a sheet with data rows: its XML gets the rows spliced in after its header
//! row (before `</sheetData>` or the sign-off line) and its `<dimension>`
//! widened to them, deflated straight into the file as it is written.

use std::io::{Cursor, Read, Write};
use std::ops::Range;

use zip9::write::SimpleFileOptions;
use zip9::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use super::cells::{push_row, Styles};
use super::Cell;
use crate::report::csv_out::ReportTable;

/// Which rows of a table a sheet holds.
#[derive(Debug, Clone)]
pub(super) enum Rows {
    /// Rows `a..b` of the table.
    Span(Range<usize>),
    /// These rows of the table, in this order.
    Picked(Vec<usize>),
}

/// A sheet's data rows: `rows` of `table`, the first at sheet row
/// `top + 1` (under the header at `top`).
pub(super) struct SheetRows<'t> {
    pub table: &'t ReportTable,
    pub rows: &'t Rows,
    pub top: u32,
}

impl SheetRows<'_> {
    /// The rows' cells in order; `None` for an index past the table (a
    /// bug of ours: the draft and the tables disagree).
    fn each(&self) -> Option<Vec<&[Cell]>> {
        let at = |r: usize| self.table.rows.get(r).map(Vec::as_slice);
        match self.rows {
            Rows::Span(span) => span.clone().map(at).collect(),
            Rows::Picked(ix) => ix.iter().map(|&r| at(r)).collect(),
        }
    }
}

/// Why a package could not be assembled.
#[derive(Debug)]
pub(super) enum PackError {
    Zip(zip9::result::ZipError),
    Io(std::io::Error),
    Internal(String),
}

impl From<zip9::result::ZipError> for PackError {
    fn from(e: zip9::result::ZipError) -> Self {
        PackError::Zip(e)
    }
}

impl From<std::io::Error> for PackError {
    fn from(e: std::io::Error) -> Self {
        PackError::Io(e)
    }
}

/// The writer hands a sheet's rows to the compressor as it reads them back
/// from its temporary file: in pieces of this size (`std::io::copy` from a
/// default `BufReader`). The compressor's output depends on the pieces
/// (at some levels), so the rows are handed over in the same ones.
const PIECE: usize = 8 * 1024;

/// Rows rendered before their pieces are handed over.
const BATCH: usize = 32 * PIECE;

/// Writes the package: every part of `written` (the writer's workbook), the
/// sheet `xl/worksheets/sheetN.xml` with `sheets[N - 1]`'s rows added.
/// `level` is the deflate level the writer used.
pub(super) fn assemble<W: Write>(
    written: &[u8],
    out: W,
    sheets: &[Option<SheetRows<'_>>],
    styles: &Styles,
    level: Option<i64>,
) -> Result<W, PackError> {
    let mut archive = ZipArchive::new(Cursor::new(written))?;
    let mut zip = ZipWriter::new_stream(out);
    // The writer's options (`Packager::new`).
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(level)
        .unix_permissions(0o600)
        .last_modified_time(DateTime::default())
        .large_file(false);
    for i in 0..archive.len() {
        let name = archive.by_index_raw(i)?.name()?.to_string();
        match sheet_number(&name).and_then(|n| sheets.get(n - 1)?.as_ref()) {
            Some(rows) => {
                let mut xml = String::new();
                archive.by_index(i)?.read_to_string(&mut xml)?;
                zip.start_file(name.as_str(), options)?;
                write_sheet(&mut zip, &xml, rows, styles)?;
            }
            None => {
                // Small parts: compressed again, as the writer did, so the
                // file is the writer's byte for byte (a raw copy would
                // drop the data descriptors of its streamed entries).
                let mut part = Vec::new();
                archive.by_index(i)?.read_to_end(&mut part)?;
                zip.start_file(name.as_str(), options)?;
                zip.write_all(&part)?;
            }
        }
    }
    Ok(zip.finish()?.into_inner())
}

/// `N` of `xl/worksheets/sheetN.xml`.
fn sheet_number(name: &str) -> Option<usize> {
    let n = name
        .strip_prefix("xl/worksheets/sheet")?
        .strip_suffix(".xml")?;
    n.parse().ok().filter(|&n| n > 0)
}

/// The sheet's XML (`xml`, as the writer wrote it without data rows) with
/// `rows` written into it, in the three writes of the writer: the head
/// through `<sheetData>`, the rows in [`PIECE`]s, the end from
/// `</sheetData>`.
fn write_sheet(
    out: &mut impl Write,
    xml: &str,
    rows: &SheetRows<'_>,
    styles: &Styles,
) -> Result<(), PackError> {
    let cells = rows
        .each()
        .ok_or_else(|| PackError::Internal("a sheet's rows are not in its table".into()))?;
    let first = rows.top + 1;
    let data = extent(&cells, first);
    let Some(parts) = split_sheet(xml, first, data.is_some()) else {
        return Err(PackError::Internal("no <sheetData> in a sheet".into()));
    };
    let head = with_dimension(&parts.head, data, xml.contains("<c r=\""));
    out.write_all(head.as_bytes())?;
    let mut buf = Vec::with_capacity(BATCH + 64 * 1024);
    buf.extend_from_slice(parts.before.as_bytes());
    for (r, row) in (first..).zip(&cells) {
        push_row(&mut buf, r, row, styles);
        if buf.len() >= BATCH {
            hand_over(out, &mut buf)?;
        }
    }
    buf.extend_from_slice(parts.after.as_bytes());
    hand_over(out, &mut buf)?;
    if !buf.is_empty() {
        out.write_all(&buf)?;
    }
    out.write_all(parts.end.as_bytes())?;
    Ok(())
}

/// Writes the whole [`PIECE`]s of `buf`, one write each, keeping the rest.
fn hand_over(out: &mut impl Write, buf: &mut Vec<u8>) -> std::io::Result<()> {
    let whole = buf.len() / PIECE * PIECE;
    for piece in buf[..whole].chunks(PIECE) {
        out.write_all(piece)?;
    }
    buf.drain(..whole);
    Ok(())
}

/// A sheet's XML as the writer wrote it: `head` through `<sheetData>`, its
/// rows `before` and `after` where the data rows go, and `end` from
/// `</sheetData>`.
#[derive(Debug, PartialEq)]
struct SheetParts<'x> {
    head: std::borrow::Cow<'x, str>,
    before: &'x str,
    after: &'x str,
    end: std::borrow::Cow<'x, str>,
}

/// `xml` cut where the data rows go: before the writer's first row below
/// the header (sheet row `first` and on, 0-based; the sign-off line), else
/// before `</sheetData>`. An empty `<sheetData/>` opens and closes around
/// the data rows if there are any (`data`).
fn split_sheet(xml: &str, first: u32, data: bool) -> Option<SheetParts<'_>> {
    const EMPTY: &str = "<sheetData/>";
    const OPEN: &str = "<sheetData>";
    const CLOSE: &str = "</sheetData>";
    if let Some(at) = xml.find(EMPTY) {
        let (head, end) = (&xml[..at], &xml[at + EMPTY.len()..]);
        return Some(if data {
            SheetParts {
                head: format!("{head}{OPEN}").into(),
                before: "",
                after: "",
                end: format!("{CLOSE}{end}").into(),
            }
        } else {
            SheetParts {
                head: xml[..at + EMPTY.len()].into(),
                before: "",
                after: "",
                end: end.into(),
            }
        });
    }
    let start = xml.find(OPEN)? + OPEN.len();
    let close = xml[start..].find(CLOSE)? + start;
    let rows = &xml[start..close];
    let mut split = rows.len();
    let mut from = 0;
    while let Some(k) = rows[from..].find("<row r=\"") {
        let at = from + k;
        let digits = &rows[at + 8..];
        let len = digits.bytes().take_while(u8::is_ascii_digit).count();
        let row: u32 = digits[..len].parse().ok()?;
        // `r` is 1-based.
        if row > first {
            split = at;
            break;
        }
        from = at + 8;
    }
    Some(SheetParts {
        head: xml[..start].into(),
        before: &rows[..split],
        after: &rows[split..],
        end: xml[close..].into(),
    })
}

/// The rows and columns the data cells take (0-based, inclusive), the first
/// row at `first`; `None` when no cell is written.
fn extent(cells: &[&[Cell]], first: u32) -> Option<(u32, u16, u32, u16)> {
    let written = |c: &Cell| match c {
        Cell::Text(s) => !s.is_empty(),
        Cell::Date(d) => d.is_some(),
        _ => true,
    };
    let mut found: Option<(u32, u16, u32, u16)> = None;
    for (r, row) in (first..).zip(cells) {
        let Some(a) = row.iter().position(written) else {
            continue;
        };
        let b = row.iter().rposition(written).unwrap_or(a);
        let (a, b) = (col(a), col(b));
        found = Some(match found {
            None => (r, a, r, b),
            Some((r0, a0, _, b0)) => (r0, a0.min(a), r, b0.max(b)),
        });
    }
    found
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// `head` with its `<dimension ref>` widened to `data` (the writer's
/// dimension covers only the cells it wrote).
/// `wrote_cells`: whether the writer wrote any cell (it says `A1` also
/// when it wrote none).
fn with_dimension(
    head: &str,
    data: Option<(u32, u16, u32, u16)>,
    wrote_cells: bool,
) -> std::borrow::Cow<'_, str> {
    const OPEN: &str = "<dimension ref=\"";
    let Some(data) = data else {
        return head.into();
    };
    let Some(start) = head.find(OPEN).map(|s| s + OPEN.len()) else {
        return head.into();
    };
    let Some(len) = head[start..].find('"') else {
        return head.into();
    };
    let (r0, c0, r1, c1) = match parse_range(&head[start..start + len]) {
        Some(w) if wrote_cells => (
            w.0.min(data.0),
            w.1.min(data.1),
            w.2.max(data.2),
            w.3.max(data.3),
        ),
        _ => data,
    };
    let range = rust_xlsxwriter::cell_range(r0, c0, r1, c1);
    format!("{}{range}{}", &head[..start], &head[start + len..]).into()
}

/// `A1` or `A1:Z932` as (first row, first column, last row, last column).
fn parse_range(s: &str) -> Option<(u32, u16, u32, u16)> {
    let (a, b) = s.split_once(':').unwrap_or((s, s));
    let (r0, c0) = parse_cell(a)?;
    let (r1, c1) = parse_cell(b)?;
    Some((r0, c0, r1, c1))
}

/// `B7` as (6, 1).
fn parse_cell(s: &str) -> Option<(u32, u16)> {
    let letters = s.bytes().take_while(u8::is_ascii_uppercase).count();
    let mut col: u32 = 0;
    for b in s[..letters].bytes() {
        col = col * 26 + u32::from(b - b'A') + 1;
    }
    let row: u32 = s[letters..].parse().ok()?;
    Some((
        row.checked_sub(1)?,
        u16::try_from(col.checked_sub(1)?).ok()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_read_back() {
        assert_eq!(parse_range("A1"), Some((0, 0, 0, 0)));
        assert_eq!(parse_range("A1:Z932"), Some((0, 0, 931, 25)));
        assert_eq!(
            parse_range("AA3:XFD1048576"),
            Some((2, 26, 1_048_575, 16_383))
        );
        assert_eq!(parse_range("1:2"), None);
        for (r, c) in [(0, 0), (9, 25), (99, 26), (1_048_575, 16_383)] {
            let text = rust_xlsxwriter::cell_range(r, c, r, c);
            assert_eq!(parse_cell(&text), Some((r, c)), "{text}");
        }
    }

    #[test]
    fn rows_go_under_the_header_and_above_the_sign_off_line() {
        let xml = "<x><sheetData><row r=\"1\"><c r=\"A1\"/></row><row r=\"2\"></row>\
                   <row r=\"12\"><c r=\"A12\"/></row></sheetData></x>";
        let parts = split_sheet(xml, 2, true).unwrap();
        assert_eq!(parts.head, "<x><sheetData>");
        assert_eq!(
            parts.before,
            "<row r=\"1\"><c r=\"A1\"/></row><row r=\"2\"></row>"
        );
        assert_eq!(parts.after, "<row r=\"12\"><c r=\"A12\"/></row>");
        assert_eq!(parts.end, "</sheetData></x>");
        let parts = split_sheet("<sheetData><row r=\"1\"></row></sheetData>", 1, true).unwrap();
        assert_eq!((parts.before, parts.after), ("<row r=\"1\"></row>", ""));
        let parts = split_sheet("<a/><sheetData/><b/>", 1, true).unwrap();
        assert_eq!(
            (&*parts.head, &*parts.end),
            ("<a/><sheetData>", "</sheetData><b/>")
        );
        let parts = split_sheet("<a/><sheetData/><b/>", 1, false).unwrap();
        assert_eq!((&*parts.head, &*parts.end), ("<a/><sheetData/>", "<b/>"));
        assert_eq!(split_sheet("<x/>", 1, true), None);
    }
}
