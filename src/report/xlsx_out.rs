//! `report.xlsx` and the county workbooks: every report as a worksheet
//! (Chinese sheet names, frozen header row, autofilter), written
//! deterministically so identical inputs give byte-identical workbooks.
//!
//! Cells keep their types: text stays text (IDs are never numbers; formula-
//! looking text is neutralised as in the CSV files), amounts are numbers
//! formatted `0.00`, percentages (参保率) are fractions formatted `0.00%`,
//! dates are real Excel dates formatted `yyyy-mm-dd` (dates Excel cannot
//! hold, before 1900, are written as `YYYY-MM-DD` text), counts are numbers.
//! A table longer than a sheet continues on `<name> (2)`, `<name> (3)` …
//! each with the header: never truncated.
//!
//! A sheet with a [`PrintForm`] (issue 16: the county workbooks' per-person
//! lists) prints as a clerk hands it over: a title row above the header,
//! landscape A4, fit to the page's width (rows flow over pages), the header
//! row repeated on every page, a page footer and a sign-off line (制表人 /
//! 审核人 / 日期) under the table.
//!
//! rust_xlsxwriter writes every part of the package and each sheet but its
//! data rows; those are written by hand (issue 15, [`cells`]) and spliced
//! into the sheets as the package is written ([`package`]): the file is
//! byte for byte what the writer makes of the same cells.

use std::collections::HashSet;
use std::path::Path;

use chrono::Datelike;
use rust_xlsxwriter::{ExcelDateTime, Format, IgnoreError, Worksheet};

use super::csv_out::{formula_like, neutralise, Cell, ReportTable};
use crate::domain::fmt_date;
use crate::error::{Error, Result};
use crate::ingest::schema::WorkbookSettings;

/// Data rows that fit on one worksheet (1,048,576 rows less the header).
pub const MAX_DATA_ROWS: usize = 1_048_575;

/// Excel's limit on the characters (UTF-16 units) of one cell.
const MAX_CELL_CHARS: usize = 32_767;

/// Excel's limit on a sheet name.
const MAX_SHEET_NAME_CHARS: usize = 31;

/// One worksheet to write: its name, its table (every row, or the rows at
/// `rows`, in that order) and, for a list that is printed, how it prints.
pub struct SheetSpec<'a> {
    pub name: String,
    pub table: &'a ReportTable,
    /// The table's rows to write (a county's share of a list, issue 15),
    /// by index; `None`: every row.
    pub rows: Option<&'a [usize]>,
    pub print: Option<PrintForm>,
}

impl<'a> SheetSpec<'a> {
    /// The rows this sheet writes, in order, without copying them.
    fn rows(&self) -> Vec<&'a [Cell]> {
        let table: &'a ReportTable = self.table;
        match self.rows {
            Some(ix) => ix.iter().map(|&r| table.rows[r].as_slice()).collect(),
            None => table.rows.iter().map(Vec::as_slice).collect(),
        }
    }
}

/// How a sheet prints (issue 16): the texts come from `schemas/reports.toml`
/// (`[print]`), the title already filled in for this sheet.
#[derive(Debug, Clone)]
pub struct PrintForm {
    /// The title row above the header (county, month, list).
    pub title: String,
    /// The page footer in Excel's header/footer codes (`&C第 &P 页 共 &N 页`).
    pub footer: String,
    /// The sign-off line under the table, spread over its width
    /// (`制表人：`, `审核人：`, `日期：`).
    pub sign: Vec<String>,
}

/// Excel's rows on one worksheet.
const MAX_ROWS: usize = MAX_DATA_ROWS + 1;

/// Rows a printed sheet adds besides its header: the title above it, a
/// blank row and the sign-off line below the table.
const PRINT_EXTRA_ROWS: usize = 3;

/// A4 in Excel's paper sizes.
const PAPER_A4: u8 = 9;

/// Writes `sheets` to the workbook at `path`, one worksheet per table in the
/// given order, headers from `headers(key)`.
///
/// The workbook file is created owner-only, and the writer's temporary
/// sheets go beside it (the run's private staging directory), not to the
/// system's temporary directory. A temporary sheet that cannot be created
/// is an I/O error naming its directory and the workbook; the writer panics
/// when one cannot be written (a full disk): that becomes an I/O error
/// naming the directory, never a panic text.
pub fn write_report_xlsx(
    path: &Path,
    sheets: &[SheetSpec<'_>],
    headers: &dyn Fn(&str) -> String,
    settings: &WorkbookSettings,
) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut draft = Draft::new(dir, &file_name(path))?;
    let placed: Vec<(usize, &SheetSpec<'_>)> = sheets.iter().enumerate().collect();
    draft.add(&placed, headers)?;
    draft.save(path, settings, &|file| {
        sheets.iter().map(|s| s.table).find(|t| t.file == file)
    })
}

thread_local! {
    /// Set while [`quietly`] runs on this thread.
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, turning a panic into `Err(its message)` without printing it.
fn quietly<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result.map_err(|p| {
        p.downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown failure".into())
    })
}

/// The workbook's bytes, with at most `max_rows` data rows per worksheet,
/// its temporary sheets in `tempdir` (default: the system's): the tests'
/// way to a workbook in memory.
#[cfg(test)]
fn build_workbook(
    sheets: &[SheetSpec<'_>],
    headers: &dyn Fn(&str) -> String,
    max_rows: usize,
    tempdir: Option<&Path>,
) -> std::result::Result<Vec<u8>, BuildError> {
    let mut book = Book::new(tempdir)?;
    let placed: Vec<(usize, &SheetSpec<'_>)> = sheets.iter().enumerate().collect();
    book.add(&placed, headers, max_rows)?;
    book.pack(Vec::new(), None, &|file| {
        sheets.iter().map(|s| s.table).find(|t| t.file == file)
    })
}

struct Formats {
    header: Format,
    money: Format,
    date: Format,
    percent: Format,
    title: Format,
}

type XlsxResult = std::result::Result<(), rust_xlsxwriter::XlsxError>;

/// One worksheet: column widths, the title row of a printed sheet, the
/// header, the rows (unless `by_hand`: then they are left out, to be
/// written by hand, issue 15), then the sheet's view (frozen header,
/// filter) and, for a printed sheet, its sign-off line and page setup.
fn write_sheet(
    ws: &mut Worksheet,
    (header, rows): (&[String], &[&[Cell]]),
    by_hand: bool,
    f: &Formats,
    print: Option<&PrintForm>,
) -> XlsxResult {
    set_widths(ws, header, rows)?;
    // The header's row: 0, or 1 under a printed sheet's title.
    let top: u32 = match print {
        Some(p) => {
            write_title(ws, &p.title, header.len(), f)?;
            1
        }
        None => 0,
    };
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(top, col(c), h, &f.header)?;
    }
    let written: &[&[Cell]] = if by_hand { &[] } else { rows };
    for (r, row) in written.iter().enumerate() {
        // `r` stays below the sheet's row limit (see `Book::add`).
        write_row(ws, top + 1 + r as u32, row, f)?;
    }
    let last_col = col(header.len().saturating_sub(1));
    let last_row = top + rows.len() as u32;
    if !header.is_empty() {
        ws.set_freeze_panes(top + 1, 0)?;
        ws.autofilter(top, 0, last_row, last_col)?;
        if last_row > top {
            // IDs are text on purpose: no green "number stored as text" flags.
            ws.ignore_error_range(
                top + 1,
                0,
                last_row,
                last_col,
                IgnoreError::NumberStoredAsText,
            )?;
        }
    }
    if let Some(p) = print {
        let sign_row = last_row + 2;
        write_sign_line(ws, sign_row, &p.sign, header.len())?;
        page_setup(ws, p, top, sign_row, last_col)?;
    }
    Ok(())
}

/// The widest a column is made, in characters (before its margin of 2).
const WIDEST: usize = 60;

/// Column widths from the header and the rows (a constant-memory sheet
/// needs them before its rows).
fn set_widths(ws: &mut Worksheet, header: &[String], rows: &[&[Cell]]) -> XlsxResult {
    let mut widths: Vec<usize> = header.iter().map(|h| display_width(h)).collect();
    for row in rows {
        for (c, cell) in row.iter().enumerate() {
            if let Some(m) = widths.get_mut(c) {
                // Issue 15: a text's width is at most its bytes (a wide
                // character takes three or four), plus a formula's
                // apostrophe, and no width counts past `WIDEST`: most
                // texts need no measuring.
                if let Cell::Text(s) = cell {
                    if s.len() < *m || *m >= WIDEST {
                        continue;
                    }
                }
                *m = (*m).max(cell_width(cell));
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(col(c), (w.clamp(&6, &WIDEST) + 2) as f64)?;
    }
    Ok(())
}

fn write_row(ws: &mut Worksheet, r: u32, row: &[Cell], f: &Formats) -> XlsxResult {
    for (c, cell) in row.iter().enumerate() {
        match cell {
            Cell::Text(s) => {
                ws.write_string(r, col(c), fit_cell(neutralise(s)))?;
            }
            Cell::Money(fen) => {
                // Display only: the tool's sums are in integer fen.
                ws.write_number_with_format(r, col(c), fen.0 as f64 / 100.0, &f.money)?;
            }
            Cell::Date(Some(d)) => {
                match excel_date(*d) {
                    Some(x) => ws.write_datetime_with_format(r, col(c), x, &f.date)?,
                    None => ws.write_string(r, col(c), fmt_date(*d))?,
                };
            }
            Cell::Date(None) => {}
            Cell::Int(i) => {
                ws.write_number(r, col(c), *i as f64)?;
            }
            Cell::Percent(centi) => {
                // Excel's percentages are fractions: 98.50% is 0.985.
                ws.write_number_with_format(r, col(c), *centi as f64 / 10_000.0, &f.percent)?;
            }
        }
    }
    Ok(())
}

/// A printed sheet's title: row 0, across the table's columns.
fn write_title(ws: &mut Worksheet, title: &str, columns: usize, f: &Formats) -> XlsxResult {
    ws.set_row_height(0, 24)?;
    if columns > 1 {
        ws.merge_range(0, 0, 0, col(columns - 1), title, &f.title)?;
    } else {
        ws.write_string_with_format(0, 0, title, &f.title)?;
    }
    Ok(())
}

/// The sign-off line at `row`: its parts spread over the table's width
/// (part `i` of `k` in column `i × columns / k`), or side by side in the
/// first column of a table too narrow for that.
fn write_sign_line(ws: &mut Worksheet, row: u32, parts: &[String], columns: usize) -> XlsxResult {
    let k = parts.len();
    if k == 0 {
        return Ok(());
    }
    if columns >= k {
        for (i, part) in parts.iter().enumerate() {
            ws.write_string(row, col(i * columns / k), part)?;
        }
    } else {
        ws.write_string(row, 0, parts.join("\u{3000}\u{3000}\u{3000}\u{3000}"))?;
    }
    Ok(())
}

/// Landscape A4, fit to one page wide (as many pages long as it takes),
/// the header row (`header_row`) on every page, the footer, and the print
/// area from the title to the sign-off line.
fn page_setup(
    ws: &mut Worksheet,
    p: &PrintForm,
    header_row: u32,
    sign_row: u32,
    last_col: u16,
) -> XlsxResult {
    ws.set_landscape();
    ws.set_paper_size(PAPER_A4);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_footer(&p.footer);
    ws.set_repeat_rows(header_row, header_row)?;
    ws.set_print_area(0, 0, sign_row, last_col)?;
    Ok(())
}

/// The display width a cell needs (as written: a neutralised text has its
/// apostrophe), counted without building the text (issue 15: every cell of
/// every sheet passes here, so no formatting machinery).
fn cell_width(cell: &Cell) -> usize {
    match cell {
        Cell::Text(s) => display_width(s) + usize::from(formula_like(s)),
        // `Fen`'s text: sign, yuan, point, two digits of fen.
        Cell::Money(fen) => usize::from(fen.0 < 0) + decimal_len(fen.0.unsigned_abs() / 100) + 3,
        Cell::Date(Some(_)) => 10,
        Cell::Date(None) => 0,
        Cell::Int(i) => usize::from(*i < 0) + decimal_len(i.unsigned_abs()),
        Cell::Percent(_) => 7, // 100.00%
    }
}

/// The number of decimal digits of `x` (1 for 0).
fn decimal_len(mut x: u64) -> usize {
    let mut n = 1;
    while x >= 10 {
        x /= 10;
        n += 1;
    }
    n
}

/// Column index as rust_xlsxwriter wants it. Report tables have a handful of
/// columns; anything past Excel's last column is refused by the writer.
fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

fn excel_date(d: chrono::NaiveDate) -> Option<ExcelDateTime> {
    let year = u16::try_from(d.year()).ok()?;
    if year < 1900 {
        return None; // Excel's dates start in 1900
    }
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8).ok()
}

/// Excel refuses longer cells; the CSV report keeps the full text. Excel
/// (and the writer) count a cell's characters in UTF-16 units: a character
/// beyond the Basic Multilingual Plane (CJK Extension B and later, as in
/// rare given names) counts two.
fn fit_cell(s: String) -> String {
    if s.len() <= MAX_CELL_CHARS || s.encode_utf16().count() <= MAX_CELL_CHARS {
        return s;
    }
    let mut units = 0;
    let mut t: String = s
        .chars()
        .take_while(|c| {
            units += c.len_utf16();
            units < MAX_CELL_CHARS
        })
        .collect();
    t.push('…');
    t
}

/// Width in Excel "characters": CJK and full-width forms count double.
fn display_width(s: &str) -> usize {
    if s.is_ascii() {
        return s.len();
    }
    s.chars()
        .map(|c| match c {
            '\u{1100}'..='\u{115F}'
            | '\u{2E80}'..='\u{A4CF}'
            | '\u{AC00}'..='\u{D7A3}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{FE30}'..='\u{FE4F}'
            | '\u{FF00}'..='\u{FF60}'
            | '\u{FFE0}'..='\u{FFE6}'
            | '\u{20000}'..='\u{3FFFD}' => 2,
            _ => 1,
        })
        .sum()
}

/// A valid sheet name, unique in the workbook (Excel compares names without
/// case): forbidden characters `[]:*?/\` become `_`, no leading or trailing
/// apostrophe, at most 31 characters including the ` (n)` suffix of a
/// continuation sheet (`part` > 1) or of a name already taken.
fn unique_sheet_name(name: &str, part: usize, used: &mut HashSet<String>) -> String {
    let mut base: String = name
        .chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    base = base.trim().trim_matches('\'').trim().to_string();
    if base.is_empty() {
        base = "Sheet".to_string();
    }
    let mut n = part;
    loop {
        let suffix = if n > 1 {
            format!(" ({n})")
        } else {
            String::new()
        };
        let keep = MAX_SHEET_NAME_CHARS - suffix.chars().count();
        let head: String = base.chars().take(keep).collect();
        let candidate = format!("{}{suffix}", head.trim_end().trim_end_matches('\''));
        // "History" is reserved by Excel.
        let key = candidate.to_lowercase();
        if key != "history" && used.insert(key) {
            return candidate;
        }
        n += 1;
    }
}

fn internal(e: impl std::fmt::Display) -> Error {
    Error::Internal(format!("report.xlsx: {e}"))
}

mod cells;
mod draft;
mod package;
use draft::file_name;
pub use draft::Draft;
#[cfg(test)]
use draft::{Book, BuildError};

#[cfg(test)]
mod print_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Fen;
    use calamine::{Data, Reader, Xlsx};
    use chrono::NaiveDate;

    const COLS: &[&str] = &["id", "name", "amount", "date", "n"];

    pub(super) fn label(k: &str) -> String {
        match k {
            "id" => "身份证号",
            "name" => "姓名",
            "amount" => "金额",
            "date" => "日期",
            _ => "人数",
        }
        .to_string()
    }

    pub(super) fn table(n: usize) -> ReportTable {
        let mut t = ReportTable::new("refunds.csv", COLS);
        for i in 0..n {
            t.push(vec![
                Cell::text(format!("11010519491231{:04}", i)),
                Cell::text(if i == 0 {
                    "=HYPERLINK(\"x\")"
                } else {
                    "张三"
                }),
                Cell::Money(Fen(-32_000 + i as i64)),
                Cell::Date(NaiveDate::from_ymd_opt(2025, 11, 5)),
                Cell::Int(i as i64),
            ]);
        }
        t
    }

    pub(super) fn plain<'a>(name: &str, table: &'a ReportTable) -> SheetSpec<'a> {
        SheetSpec {
            name: name.to_string(),
            table,
            rows: None,
            print: None,
        }
    }

    fn open(path: &Path) -> Xlsx<std::io::BufReader<std::fs::File>> {
        calamine::open_workbook(path).unwrap()
    }

    #[test]
    fn cells_keep_their_types() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.xlsx");
        let mut t = table(2);
        t.rows[1][3] = Cell::Date(None);
        t.rows[1][0] = Cell::text("110105194912310029");
        write_report_xlsx(&path, &[plain("退费清单", &t)], &label, &Default::default()).unwrap();

        let mut wb = open(&path);
        assert_eq!(wb.sheet_names(), ["退费清单"]);
        let r = wb.worksheet_range("退费清单").unwrap();
        assert_eq!(r.start(), Some((0, 0)));
        assert_eq!(r.get_size(), (3, 5));
        let header: Vec<String> = r
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert_eq!(header, ["身份证号", "姓名", "金额", "日期", "人数"]);
        assert_eq!(
            r.get((1, 1)),
            Some(&Data::String("'=HYPERLINK(\"x\")".into()))
        );
        assert_eq!(r.get((1, 2)), Some(&Data::Float(-320.0)));
        assert_eq!(r.get((2, 2)), Some(&Data::Float(-319.99)));
        // An 18-digit ID is a string, not a (lossy) number.
        assert_eq!(
            r.get((2, 0)),
            Some(&Data::String("110105194912310029".into()))
        );
        match r.get((1, 3)) {
            Some(Data::DateTime(d)) => {
                let (y, m, day, ..) = d.to_ymd_hms_milli();
                assert_eq!((y, m, day), (2025, 11, 5));
            }
            other => panic!("date cell: {other:?}"),
        }
        assert_eq!(r.get((2, 3)), Some(&Data::Empty));
        assert_eq!(r.get((2, 4)), Some(&Data::Float(1.0)));
    }

    #[test]
    fn long_tables_continue_on_more_sheets() {
        let t = table(7);
        let empty = table(0);
        let sheets = [plain("退费清单", &t), plain("拒收/清单", &empty)];
        let bytes = build_workbook(&sheets, &label, 3, None).unwrap();
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(
            book.sheet_names(),
            ["退费清单", "退费清单 (2)", "退费清单 (3)", "拒收_清单"]
        );
        let mut ids = Vec::new();
        for (name, rows) in [
            ("退费清单", 4),
            ("退费清单 (2)", 4),
            ("退费清单 (3)", 2),
            ("拒收_清单", 1),
        ] {
            let r = book.worksheet_range(name).unwrap();
            assert_eq!(r.height(), rows, "{name}");
            assert_eq!(
                r.get((0, 0)),
                Some(&Data::String("身份证号".into())),
                "{name}"
            );
            ids.extend(r.rows().skip(1).map(|row| row[0].to_string()));
        }
        let want: Vec<String> = t.rows.iter().map(|r| r[0].render()).collect();
        assert_eq!(ids, want, "every row once, in order");
    }

    #[test]
    fn same_tables_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.xlsx"), dir.path().join("b.xlsx"));
        let t = table(5);
        let sheets = [plain("退费清单", &t), plain("漏保名单", &t)];
        write_report_xlsx(&a, &sheets, &label, &Default::default()).unwrap();
        // Cross a second boundary so a wall-clock timestamp would differ.
        std::thread::sleep(std::time::Duration::from_millis(1100));
        write_report_xlsx(&b, &sheets, &label, &Default::default()).unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    }

    #[test]
    fn a_temporary_sheet_that_cannot_be_made_names_its_directory_and_workbook() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("gone");
        let t = table(2);
        let Err(e) = build_workbook(&[plain("退费清单", &t)], &label, 10, Some(&missing))
        else {
            panic!("a workbook with its temporary sheets in a missing directory");
        };
        let book = dir.path().join("by_county").join("640104-兴庆区.xlsx");
        let e = e.into_error(&file_name(&book));
        let Error::Io { path, message } = &e else {
            panic!("not an I/O error: {e:?}");
        };
        assert_eq!(path, &missing.display().to_string());
        assert!(
            message.starts_with("by_county/640104-兴庆区.xlsx 的临时工作表"),
            "{message}"
        );
        let zh = e.localized(crate::i18n::Lang::Zh);
        assert!(zh.contains("无法读取或写入"), "{zh}");
        assert!(!zh.contains("内部错误"), "{zh}");
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut used = HashSet::new();
        assert_eq!(
            unique_sheet_name("a[b]:c*d?e/f\\g", 1, &mut used),
            "a_b__c_d_e_f_g"
        );
        let long = "城乡居民基本医疗保险参保缴费对账结果明细清单一二三四五六七八九十";
        let first = unique_sheet_name(long, 1, &mut used);
        assert_eq!(first.chars().count(), 31);
        let second = unique_sheet_name(long, 2, &mut used);
        assert_eq!(second.chars().count(), 31);
        assert!(second.ends_with(" (2)"));
        assert_eq!(unique_sheet_name("'x'", 1, &mut used), "x");
        assert_eq!(unique_sheet_name("X", 1, &mut used), "X (2)");
        assert_eq!(unique_sheet_name("", 1, &mut used), "Sheet");
        assert_eq!(unique_sheet_name("History", 1, &mut used), "History (2)");
        for n in &used {
            rust_xlsxwriter::utility::check_sheet_name(n).unwrap();
        }
    }

    #[test]
    fn a_cell_too_long_for_excel_is_cut_in_utf16_units() {
        // 20,000 characters of CJK Extension B: 40,000 UTF-16 units.
        let rare = "\u{20000}".repeat(20_000);
        let cut = fit_cell(rare.clone());
        assert_eq!(cut.encode_utf16().count(), MAX_CELL_CHARS);
        assert_eq!(cut.chars().count(), 16_383 + 1);
        assert!(cut.ends_with('…') && cut.starts_with('\u{20000}'));
        let fits = "\u{20000}".repeat(16_383);
        assert_eq!(fit_cell(fits.clone()), fits);
        let latin = "x".repeat(MAX_CELL_CHARS + 1);
        assert_eq!(fit_cell(latin).chars().count(), MAX_CELL_CHARS);
        // The writer takes the cut cell.
        let mut t = ReportTable::new("rejects.csv", &["id"]);
        t.push(vec![Cell::text(rare)]);
        let bytes = build_workbook(&[plain("拒收", &t)], &label, 10, None).unwrap();
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let r = book.worksheet_range("拒收").unwrap();
        assert_eq!(r.get((1, 0)), Some(&Data::String(cut)));
    }

    #[test]
    fn numbers_are_as_wide_as_their_text() {
        for fen in [
            0,
            5,
            -5,
            99,
            100,
            -100,
            123_456,
            -32_000,
            i64::MAX,
            i64::MIN + 1,
        ] {
            let cell = Cell::Money(Fen(fen));
            assert_eq!(cell_width(&cell), Fen(fen).to_string().len(), "{fen}");
        }
        for i in [0, 9, 10, -1, -10, 1_000_000, i64::MAX, i64::MIN] {
            assert_eq!(cell_width(&Cell::Int(i)), i.to_string().len(), "{i}");
        }
    }

    #[test]
    fn widths_count_cjk_double() {
        assert_eq!(display_width("身份证号"), 8);
        assert_eq!(display_width("320.00"), 6);
    }
}
