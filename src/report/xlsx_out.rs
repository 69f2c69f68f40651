//! `report.xlsx`: every report as a worksheet (Chinese sheet names, frozen
//! header row, autofilter), written deterministically so identical inputs
//! give byte-identical workbooks.
//!
//! Cells keep their types: text stays text (IDs are never numbers; formula-
//! looking text is neutralised as in the CSV files), amounts are numbers
//! formatted `0.00`, dates are real Excel dates formatted `yyyy-mm-dd`
//! (dates Excel cannot hold, before 1900, are written as `YYYY-MM-DD`
//! text), counts are numbers. A table longer than a sheet continues on
//! `<name> (2)`, `<name> (3)` … each with the header: never truncated.

use std::collections::HashSet;
use std::path::Path;

use chrono::Datelike;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, IgnoreError, Workbook, Worksheet};

use super::csv_out::{neutralise, Cell, ReportTable};
use crate::domain::fmt_date;
use crate::error::{Error, Result};

/// Data rows that fit on one worksheet (1,048,576 rows less the header).
pub const MAX_DATA_ROWS: usize = 1_048_575;

/// Excel's limit on the characters of one cell.
const MAX_CELL_CHARS: usize = 32_767;

/// Excel's limit on a sheet name.
const MAX_SHEET_NAME_CHARS: usize = 31;

/// Writes `sheets` (sheet name, table) to the workbook at `path`, one
/// worksheet per table in the given order, headers from `headers(key)`.
///
/// The workbook file is created owner-only, and the writer's temporary
/// sheets go beside it (the run's private staging directory), not to the
/// system's temporary directory. The writer panics when a temporary file
/// cannot be written (a full disk): that becomes an I/O error naming the
/// directory, never a panic text.
pub fn write_report_xlsx(
    path: &Path,
    sheets: &[(String, &ReportTable)],
    headers: &dyn Fn(&str) -> String,
) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // Every worksheet first opens an unnamed file in the system's temporary
    // directory (replaced at once by one in `dir`): that must be possible.
    let sys_tmp = std::env::temp_dir();
    tempfile::tempfile_in(&sys_tmp).map_err(|e| Error::io(sys_tmp.display(), e))?;
    let file = crate::owner_only::create_file(path)?;
    let written = quietly(|| {
        let mut workbook = build_workbook(sheets, headers, MAX_DATA_ROWS, Some(dir))?;
        // Test hook: the temporary sheets are written and still open here.
        crate::ledger::pause_point("workbook");
        workbook
            .save_to_writer(file)
            .map_err(|e| Error::io(path.display(), e))
    });
    written.unwrap_or_else(|panic| {
        Err(Error::io(
            dir.display(),
            format!("the workbook's temporary sheets could not be written ({panic})"),
        ))
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

/// The workbook, with at most `max_rows` data rows per worksheet, its
/// temporary sheets in `tempdir` (default: the system's).
fn build_workbook(
    sheets: &[(String, &ReportTable)],
    headers: &dyn Fn(&str) -> String,
    max_rows: usize,
    tempdir: Option<&Path>,
) -> Result<Workbook> {
    let max_rows = max_rows.clamp(1, MAX_DATA_ROWS);
    let mut workbook = Workbook::new();
    if let Some(dir) = tempdir {
        workbook
            .set_tempdir(dir)
            .map_err(|e| Error::io(dir.display(), e))?;
    }
    // rust_xlsxwriter stamps the current time into docProps/core.xml
    // (created and modified): a fixed time keeps the bytes reproducible.
    let epoch = ExcelDateTime::from_ymd(2000, 1, 1).map_err(internal)?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&epoch));

    let formats = Formats {
        header: Format::new().set_bold(),
        money: Format::new().set_num_format("0.00"),
        date: Format::new().set_num_format("yyyy-mm-dd"),
    };
    let mut used = HashSet::new();
    for (name, table) in sheets {
        let header: Vec<String> = table.columns.iter().map(|k| headers(k)).collect();
        // A table with no rows still gets its sheet (with the header).
        let chunks: Vec<&[Vec<Cell>]> = if table.rows.is_empty() {
            vec![&[]]
        } else {
            table.rows.chunks(max_rows).collect()
        };
        for (i, rows) in chunks.into_iter().enumerate() {
            let sheet_name = unique_sheet_name(name, i + 1, &mut used);
            // Constant-memory sheets stream rows to a temporary file instead of
            // holding every cell: a province's lists stay cheap to write.
            let ws = workbook.add_worksheet_with_constant_memory();
            ws.set_name(&sheet_name).map_err(internal)?;
            write_sheet(ws, &header, rows, &formats)
                .map_err(|e| internal(format!("worksheet `{sheet_name}`: {e}")))?;
        }
    }
    Ok(workbook)
}

struct Formats {
    header: Format,
    money: Format,
    date: Format,
}

fn write_sheet(
    ws: &mut Worksheet,
    header: &[String],
    rows: &[Vec<Cell>],
    f: &Formats,
) -> std::result::Result<(), rust_xlsxwriter::XlsxError> {
    // Widths first: a constant-memory sheet needs its columns before its rows.
    let mut widths: Vec<usize> = header.iter().map(|h| display_width(h)).collect();
    for row in rows {
        for (c, cell) in row.iter().enumerate() {
            if let Some(m) = widths.get_mut(c) {
                *m = (*m).max(cell_width(cell));
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(col(c), (w.clamp(&6, &60) + 2) as f64)?;
    }
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, col(c), h, &f.header)?;
    }
    for (r, row) in rows.iter().enumerate() {
        // `r < MAX_DATA_ROWS`, so the row number fits.
        let r = (r + 1) as u32;
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
            }
        }
    }
    let last_col = col(header.len().saturating_sub(1));
    let last_row = rows.len() as u32;
    if !header.is_empty() {
        ws.set_freeze_panes(1, 0)?;
        ws.autofilter(0, 0, last_row, last_col)?;
        if last_row > 0 {
            // IDs are text on purpose: no green "number stored as text" flags.
            ws.ignore_error_range(1, 0, last_row, last_col, IgnoreError::NumberStoredAsText)?;
        }
    }
    Ok(())
}

/// The display width a cell needs.
fn cell_width(cell: &Cell) -> usize {
    match cell {
        Cell::Text(s) => display_width(&neutralise(s)),
        Cell::Money(fen) => fen.to_string().len(),
        Cell::Date(Some(_)) => 10,
        Cell::Date(None) => 0,
        Cell::Int(i) => i.to_string().len(),
    }
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

/// Excel refuses longer cells; the CSV report keeps the full text.
fn fit_cell(s: String) -> String {
    if s.chars().count() <= MAX_CELL_CHARS {
        return s;
    }
    let mut t: String = s.chars().take(MAX_CELL_CHARS - 1).collect();
    t.push('…');
    t
}

/// Width in Excel "characters": CJK and full-width forms count double.
fn display_width(s: &str) -> usize {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Fen;
    use calamine::{Data, Reader, Xlsx};
    use chrono::NaiveDate;

    const COLS: &[&str] = &["id", "name", "amount", "date", "n"];

    fn label(k: &str) -> String {
        match k {
            "id" => "身份证号",
            "name" => "姓名",
            "amount" => "金额",
            "date" => "日期",
            _ => "人数",
        }
        .to_string()
    }

    fn table(n: usize) -> ReportTable {
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
        write_report_xlsx(&path, &[("退费清单".to_string(), &t)], &label).unwrap();

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
        let sheets = [
            ("退费清单".to_string(), &t),
            ("拒收/清单".to_string(), &empty),
        ];
        let mut wb = build_workbook(&sheets, &label, 3, None).unwrap();
        let bytes = wb.save_to_buffer().unwrap();
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
        let sheets = [("退费清单".to_string(), &t), ("漏保名单".to_string(), &t)];
        write_report_xlsx(&a, &sheets, &label).unwrap();
        // Cross a second boundary so a wall-clock timestamp would differ.
        std::thread::sleep(std::time::Duration::from_millis(1100));
        write_report_xlsx(&b, &sheets, &label).unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
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
    fn widths_count_cjk_double() {
        assert_eq!(display_width("身份证号"), 8);
        assert_eq!(display_width("320.00"), 6);
    }
}
