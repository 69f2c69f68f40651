//! Finding the table (issue 10): where an export's header is, which of its
//! columns are row numbers (序号), and which rows are not people — blank rows
//! and the totals and notes (合计、小计、共N人、备注：…、制表人：…) that
//! department systems print around the data. The texts are data
//! (`schemas/table.toml`).

use std::sync::OnceLock;

use serde::Deserialize;

use super::lines::FieldList;
use super::schema::{norm_header, SourceSchema};
use crate::domain::vocab::{norm_text, parse_toml};

/// The texts that find a table (`schemas/table.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableRules {
    /// Rows searched for the header.
    pub header_window: usize,
    /// Schema columns a row must name to be the header.
    pub min_header_columns: usize,
    ordinal_headers: Vec<String>,
    totals_notes_prefixes: Vec<String>,
    count_starts: Vec<String>,
    count_units: Vec<String>,
}

/// The rules compiled into the binary.
pub fn rules() -> &'static TableRules {
    static RULES: OnceLock<TableRules> = OnceLock::new();
    RULES.get_or_init(|| {
        let mut r: TableRules = parse_toml(
            include_str!("../../schemas/table.toml"),
            "schemas/table.toml",
        )
        .unwrap_or_else(|e| panic!("the embedded schemas/table.toml is invalid: {e}"));
        for list in [
            &mut r.ordinal_headers,
            &mut r.totals_notes_prefixes,
            &mut r.count_starts,
            &mut r.count_units,
        ] {
            for t in list.iter_mut() {
                *t = norm_text(t);
            }
        }
        r
    })
}

/// Where the header is among the first rows of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Index (among the rows given) of the header row; for a two-row header,
    /// the lower row.
    pub at: usize,
    /// The header texts: the row's own, with a blank cell taking the text of
    /// the cell above it when that names more columns (a two-row header whose
    /// first columns are merged over both rows).
    pub header: Vec<String>,
}

/// Distinct schema columns named by a row's cells.
fn score(cells: &[String], schema: &SourceSchema) -> usize {
    let mut keys: Vec<&str> = cells
        .iter()
        .filter_map(|c| schema.column_for_header(c))
        .map(|c| c.key.as_str())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys.len()
}

/// The lower row, its blank cells filled from the row above.
fn merged(upper: &[String], lower: &[String]) -> Vec<String> {
    let width = upper.len().max(lower.len());
    (0..width)
        .map(|i| match lower.get(i).map(|s| s.trim()) {
            Some(t) if !t.is_empty() => lower[i].clone(),
            _ => upper.get(i).cloned().unwrap_or_default(),
        })
        .collect()
}

/// The header among `rows` (the first rows of a file): the row naming the
/// most schema columns (the first such row), at least
/// [`TableRules::min_header_columns`] of them; `None` when no row does.
pub fn find_header(rows: &[Vec<String>], schema: &SourceSchema) -> Option<Found> {
    let min = rules().min_header_columns;
    let mut best: Option<(usize, Found)> = None;
    for (i, row) in rows.iter().enumerate() {
        let own = score(row, schema);
        let mut cand = (own, row.clone());
        if let Some(up) = i.checked_sub(1).and_then(|u| rows.get(u)) {
            // A group row has several cells; a title has one. A group row
            // that names no more columns still lends its texts (序号 merged
            // over both rows) to the blank cells below them.
            let group =
                score(up, schema) < min && up.iter().filter(|c| !c.trim().is_empty()).count() >= 2;
            let m = merged(up, row);
            let s = score(&m, schema);
            if s > own || (s == own && group) {
                cand = (s, m);
            }
        }
        if cand.0 >= min && best.as_ref().is_none_or(|(s, _)| cand.0 > *s) {
            best = Some((
                cand.0,
                Found {
                    at: i,
                    header: cand.1,
                },
            ));
        }
    }
    best.map(|(_, f)| f)
}

/// Positions of the row-number columns (序号) of a header.
pub fn ordinal_columns(header: &[String]) -> Vec<usize> {
    let r = rules();
    header
        .iter()
        .enumerate()
        .filter(|(_, h)| r.ordinal_headers.contains(&norm_header(h)))
        .map(|(i, _)| i)
        .collect()
}

/// What a row is, before any validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// Nothing but whitespace (a row number alone counts as nothing).
    Blank,
    /// A total or a note: not a person.
    Note,
    /// A person's row (to be validated).
    Data,
}

/// What the row classifier needs to know of a table.
#[derive(Debug, Clone, Default)]
pub struct Shape {
    /// ID columns (身份证号, 残疾人证号).
    pub id_cols: Vec<usize>,
    /// Row-number columns (序号).
    pub ordinal_cols: Vec<usize>,
}

/// Blank, totals/notes or data. A row with an ID-like value (six digits or
/// more) in an ID column is always data, whatever else it says (a person
/// named 合计 is still a person); otherwise its first text decides. After
/// `in_trailer` (a totals or notes row was seen), a row without an ID and
/// with at most two texts (the lines of a note) is a note too.
/// Ordered for the common row: the first text and the ID are found at once.
pub fn classify(rec: &impl FieldList, shape: &Shape, in_trailer: bool) -> RowKind {
    // The common row first (issue 15: every row of every file comes here):
    // an ID-like value in an ID column that is not a row-number column is
    // not blank (six digits are not whitespace), so the row has a text and
    // the ID check below would say data whatever the rest says.
    if shape
        .id_cols
        .iter()
        .any(|&c| !shape.ordinal_cols.contains(&c) && rec.field(c).is_some_and(id_like))
    {
        return RowKind::Data;
    }
    // Cheapest first: most rows have an ID and a first cell that is text.
    let row_number = |i: usize, f: &[u8]| {
        shape.ordinal_cols.contains(&i) && f.iter().all(|b| b.is_ascii_digit() || *b == b' ')
    };
    let mut texts = rec
        .fields()
        .enumerate()
        .filter(|(i, f)| !(is_blank(f) || row_number(*i, f)));
    let Some((_, first)) = texts.next() else {
        return RowKind::Blank;
    };
    if shape
        .id_cols
        .iter()
        .any(|&c| rec.field(c).is_some_and(id_like))
    {
        return RowKind::Data;
    }
    if is_note_text(&String::from_utf8_lossy(first)) || (in_trailer && texts.count() < 2) {
        RowKind::Note
    } else {
        RowKind::Data
    }
}

/// Whether a row repeats the header (each county block of an export with
/// its own header row): every non-blank header cell is there again, in its
/// place. Such a row is skipped with the totals and notes.
pub fn repeats_header(rec: &impl FieldList, header: &[String]) -> bool {
    let mut named = 0;
    for (i, h) in header.iter().enumerate() {
        if h.is_empty() {
            continue;
        }
        // Plain text shorter than the header text: not it, whatever its
        // spaces (a byte that is not UTF-8 may read as a longer U+FFFD).
        // Plain text against a header text that is not (the common data
        // row against a Chinese header): not it either, since ASCII reads
        // and trims to ASCII.
        if rec
            .field(i)
            .is_none_or(|c| c.is_ascii() && (c.len() < h.len() || !h.is_ascii()))
        {
            return false;
        }
        let cell = rec.field(i).map(String::from_utf8_lossy);
        if cell.as_deref().map(str::trim) != Some(h.as_str()) {
            return false;
        }
        named += 1;
    }
    named >= 2
}

/// Six digits or more (full-width ones too): an attempt at an ID.
fn id_like(f: &[u8]) -> bool {
    let mut ascii = 0;
    for b in f {
        ascii += usize::from(b.is_ascii_digit());
        if ascii == 6 {
            return true;
        }
    }
    let digits = String::from_utf8_lossy(f)
        .chars()
        .filter(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
        .count();
    digits >= 6
}

/// Whether a text opens a total or a note (`合计`, `共15人`, `备注：…`).
pub fn is_note_text(text: &str) -> bool {
    let r = rules();
    let t = norm_text(text);
    if r.totals_notes_prefixes.iter().any(|p| t.starts_with(p)) {
        return true;
    }
    r.count_starts.iter().any(|s| {
        t.strip_prefix(s.as_str()).is_some_and(|rest| {
            let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            digits > 0 && r.count_units.iter().any(|u| rest[digits..].starts_with(u))
        })
    })
}

/// A field that is empty or only whitespace (full-width spaces included).
pub fn is_blank(f: &[u8]) -> bool {
    let rest = f.trim_ascii_start();
    match rest.first() {
        None => true,
        Some(b) if b.is_ascii() => false,
        Some(_) => std::str::from_utf8(rest).is_ok_and(|s| s.trim().is_empty()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::SourceKind;
    use crate::ingest::schema::Schemas;

    fn rows(lines: &[&str]) -> Vec<Vec<String>> {
        lines
            .iter()
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn titles_are_skipped_and_a_two_row_header_read_by_its_lower_row() {
        let s = Schemas::embedded().unwrap();
        let civil = s.source(SourceKind::Civil);
        let found = find_header(
            &rows(&[
                "宁夏回族自治区2026年1月城乡低保对象花名册,,,,,",
                "填报单位：兴庆区民政局 填报日期：2026-01-31,,,,,",
                "",
                "序号,姓名,身份证号,救助信息,,",
                ",,,救助类别,认定日期,行政区划代码",
                "1,马秀兰,640104197003121222,低保对象,2025-11-20,640104",
            ]),
            civil,
        )
        .unwrap();
        assert_eq!(found.at, 4);
        assert_eq!(
            found.header,
            [
                "序号",
                "姓名",
                "身份证号",
                "救助类别",
                "认定日期",
                "行政区划代码"
            ]
        );
        assert!(find_header(&rows(&["a,b", "1,640104197003121222"]), civil).is_none());
    }

    #[test]
    fn totals_and_notes_are_told_from_people() {
        let shape = Shape {
            id_cols: vec![2],
            ordinal_cols: vec![0],
        };
        let rec = |s: &str| s.split(',').collect::<super::super::lines::Fields>();
        assert_eq!(classify(&rec("12,,,"), &shape, false), RowKind::Blank);
        assert_eq!(
            classify(&rec(" ,\u{3000},,"), &shape, false),
            RowKind::Blank
        );
        for note in [
            "合计,,,",
            ",合计：15人,,",
            "共 15 人,,,",
            "备注：本表…,,,",
            "制表人：张三  审核人：李四,,,",
            "共计3户,,,",
        ] {
            assert_eq!(classify(&rec(note), &shape, false), RowKind::Note, "{note}");
        }
        // A row with an ID is a person whatever its name says.
        assert_eq!(
            classify(&rec("1,合计,640104197003121222,低保"), &shape, false),
            RowKind::Data
        );
        // A person without an ID is a row to reject, not a note.
        assert_eq!(
            classify(&rec("3,马秀兰,,低保"), &shape, false),
            RowKind::Data
        );
        assert_eq!(classify(&rec("3,共青,,低保"), &shape, false), RowKind::Data);
        // A header repeated at the top of the next county block.
        let header: Vec<String> = ["序号", "姓名", "身份证号", "救助类别"]
            .map(String::from)
            .to_vec();
        assert!(repeats_header(
            &rec("序号,姓名, 身份证号 ,救助类别"),
            &header
        ));
        assert!(!repeats_header(
            &rec("1,姓名,640104197003121222,低保"),
            &header
        ));
        // The lines of a note after it.
        assert_eq!(
            classify(&rec("2. 本表由民政局提供,,,"), &shape, true),
            RowKind::Note
        );
        assert_eq!(
            classify(&rec("2. 本表由民政局提供,,,"), &shape, false),
            RowKind::Data
        );
    }
}
