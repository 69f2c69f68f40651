//! Reading the first worksheet of an `.xlsx` workbook as rows of strings, so
//! the rest of ingest treats a workbook exactly like a CSV export.
//!
//! Row positions are kept: the header is spreadsheet row 1 and data row `i`
//! is spreadsheet row `i + 2`, blank rows included (as all-empty vectors), so
//! reject line numbers point at the row a clerk sees in Excel. Columns are
//! kept in place too (column A is index 0).
//!
//! Cell → string: text as is; a date or datetime → `YYYY-MM-DD` (time
//! dropped); an integer-valued number → its digits (`45966`, `400`); other
//! numbers → the shortest decimal that reads back the same (`400.5`);
//! booleans → `true` / `false`; empty and error cells → `""`.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader, SheetType, SheetVisible, Xlsx};

use crate::error::{Error, Result};

/// Reads the first worksheet of the `.xlsx` workbook at `path`: the header
/// row (trailing blank header cells dropped) and the data rows, each padded
/// to at least the header width. `display` names the file in errors.
///
/// "First worksheet" is the first visible worksheet in tab order (chart
/// sheets and hidden sheets are skipped; if every worksheet is hidden, the
/// first one).
pub fn read_xlsx(path: &Path, display: &str) -> Result<(Vec<String>, Vec<Vec<String>>)> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(display, e))?;
    read_xlsx_bytes(bytes, display)
}

fn bad(display: &str, message: impl Into<String>) -> Error {
    Error::BadFile {
        file: display.to_string(),
        message: message.into(),
    }
}

fn read_xlsx_bytes(bytes: Vec<u8>, display: &str) -> Result<(Vec<String>, Vec<Vec<String>>)> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(bad(
            display,
            "this is an old-format .xls workbook or a password-protected .xlsx; \
             remove the password and save it as .xlsx (Excel 工作簿) or CSV",
        ));
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(bad(
            display,
            "not an .xlsx workbook (no ZIP signature); save it from Excel/WPS as .xlsx or CSV",
        ));
    }
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| {
        bad(
            display,
            format!("cannot be read as an .xlsx workbook ({e}); open it in Excel/WPS and save it again as .xlsx or CSV"),
        )
    })?;

    let worksheets: Vec<&calamine::Sheet> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .collect();
    let sheet = worksheets
        .iter()
        .find(|s| s.visible == SheetVisible::Visible)
        .or_else(|| worksheets.first())
        .map(|s| s.name.clone())
        .ok_or_else(|| bad(display, "the workbook has no worksheet"))?;
    let range = book.worksheet_range(&sheet).map_err(|e| {
        bad(
            display,
            format!("worksheet `{sheet}` cannot be read ({e}); save the sheet as CSV"),
        )
    })?;

    // Absolute position of the range's first cell (calamine starts the range
    // at the first non-empty cell); `None` for an empty sheet.
    let Some((row0, col0)) = range.start() else {
        return Err(bad(
            display,
            format!("worksheet `{sheet}` is empty: expected a header row"),
        ));
    };
    let (row0, col0) = (row0 as usize, col0 as usize);

    // Spreadsheet rows 1.. as strings, column A at index 0.
    let mut grid: Vec<Vec<String>> = vec![Vec::new(); row0];
    for cells in range.rows() {
        let mut row = vec![String::new(); col0];
        row.extend(cells.iter().map(cell_to_string));
        grid.push(row);
    }

    let mut rows = grid.into_iter();
    let mut header = rows.next().unwrap_or_default();
    trim_trailing_empty(&mut header, 0);
    if header.is_empty() {
        return Err(bad(
            display,
            format!("worksheet `{sheet}`: row 1 is empty: expected the header row in row 1"),
        ));
    }
    let width = header.len();
    let data = rows
        .map(|mut r| {
            trim_trailing_empty(&mut r, width);
            r.resize(r.len().max(width), String::new());
            r
        })
        .collect();
    Ok((header, data))
}

/// Drops empty cells at the end of `row`, but never below `keep` cells.
fn trim_trailing_empty(row: &mut Vec<String>, keep: usize) {
    while row.len() > keep && row.last().is_some_and(String::is_empty) {
        row.pop();
    }
}

/// One cell as the CSV reader would have seen it.
fn cell_to_string(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_to_string(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => {
            let v = dt.as_f64();
            if dt.is_datetime() && v >= 1.0 {
                let (y, m, d, ..) = dt.to_ymd_hms_milli();
                format!("{y:04}-{m:02}-{d:02}")
            } else {
                // A time of day or a duration has no date: keep it readable
                // (`10:30:00`) so a date column rejects it as BAD_DATE.
                time_of_day(v)
            }
        }
        // `2025-11-05T00:00:00` → `2025-11-05`; a bare time stays as is.
        Data::DateTimeIso(s) => match s.split_once('T') {
            Some((date, _)) if !date.is_empty() => date.to_string(),
            _ => s.clone(),
        },
        Data::DurationIso(s) => s.clone(),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

/// Integer-valued floats without `.0`; others in their shortest round-trip
/// form. Rust's `Display` for `f64` never uses an exponent, which is what a
/// text field needs.
fn float_to_string(f: f64) -> String {
    if f == 0.0 {
        return "0".to_string(); // no `-0`
    }
    f.to_string()
}

fn time_of_day(v: f64) -> String {
    if !v.is_finite() || v < 0.0 {
        return float_to_string(v);
    }
    let secs = (v * 86_400.0).round() as u64;
    format!(
        "{:02}:{:02}:{:02}",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

    #[test]
    fn reads_text_dates_and_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("civil.xlsx");
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        let date_fmt = Format::new().set_num_format("yyyy-mm-dd");
        let time_fmt = Format::new().set_num_format("hh:mm");
        for (c, h) in [
            "姓名",
            "身份证号",
            "认定日期",
            "序号",
            "金额",
            "在册",
            "备注",
        ]
        .iter()
        .enumerate()
        {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        // Row 2: a full row.
        ws.write_string(1, 0, "张三").unwrap();
        ws.write_string(1, 1, "11010519491231002X").unwrap();
        ws.write_datetime_with_format(
            1,
            2,
            ExcelDateTime::from_ymd(2025, 11, 5)
                .unwrap()
                .and_hms(13, 45, 0)
                .unwrap(),
            &date_fmt,
        )
        .unwrap();
        ws.write_number(1, 3, 45966).unwrap();
        ws.write_number(1, 4, 400.5).unwrap();
        ws.write_boolean(1, 5, true).unwrap();
        ws.write_string(1, 6, "=1+1").unwrap();
        // Row 3 blank; row 4: short row with an ID that is text of digits,
        // a plain 400 and a time-only cell.
        ws.write_string(3, 1, "110105194912310029").unwrap();
        ws.write_datetime_with_format(3, 2, ExcelDateTime::from_hms(10, 30, 0).unwrap(), &time_fmt)
            .unwrap();
        ws.write_number(3, 4, 400.0).unwrap();
        ws.write_number(3, 5, -0.0).unwrap();
        // A second sheet is ignored.
        wb.add_worksheet().write_string(0, 0, "other").unwrap();
        wb.save(&path).unwrap();

        let (header, rows) = read_xlsx(&path, "civil.xlsx").unwrap();
        assert_eq!(
            header,
            [
                "姓名",
                "身份证号",
                "认定日期",
                "序号",
                "金额",
                "在册",
                "备注"
            ]
        );
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows[0],
            [
                "张三",
                "11010519491231002X",
                "2025-11-05",
                "45966",
                "400.5",
                "true",
                "=1+1"
            ]
        );
        assert_eq!(rows[1], vec![String::new(); 7], "blank row kept");
        assert_eq!(
            rows[2],
            ["", "110105194912310029", "10:30:00", "", "400", "0", ""]
        );
    }

    #[test]
    fn header_and_lines_keep_their_sheet_positions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.xlsx");
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        // Column A empty, header in B1:C1, a value beyond the header in E3,
        // data in row 3 only.
        ws.write_string(0, 1, "姓名").unwrap();
        ws.write_string(0, 2, "身份证号").unwrap();
        ws.write_string(2, 1, "李四").unwrap();
        ws.write_string(2, 4, "extra").unwrap();
        wb.save(&path).unwrap();
        let (header, rows) = read_xlsx(&path, "a.xlsx").unwrap();
        assert_eq!(header, ["", "姓名", "身份证号"]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0], ["", "", ""]);
        assert_eq!(rows[1], ["", "李四", "", "", "extra"]);
    }

    #[test]
    fn skips_hidden_first_sheet() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.xlsx");
        let mut wb = Workbook::new();
        wb.add_worksheet()
            .set_hidden(true)
            .write_string(0, 0, "dictionary")
            .unwrap();
        wb.add_worksheet().write_string(0, 0, "姓名").unwrap();
        wb.worksheet_from_index(1).unwrap().set_active(true);
        wb.save(&path).unwrap();
        let (header, rows) = read_xlsx(&path, "h.xlsx").unwrap();
        assert_eq!(header, ["姓名"]);
        assert!(rows.is_empty());
    }

    #[test]
    fn not_a_workbook_is_a_bad_file() {
        let dir = tempfile::tempdir().unwrap();
        for (name, bytes) in [
            ("a.xlsx", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest".to_vec()),
            ("b.xlsx", "姓名,身份证号\n".as_bytes().to_vec()),
            ("c.xlsx", b"PK\x03\x04truncated".to_vec()),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            match read_xlsx(&path, name) {
                Err(Error::BadFile { file, message }) => {
                    assert_eq!(file, name);
                    assert!(message.contains(".xlsx"), "{message}");
                }
                other => panic!("{name}: {other:?}"),
            }
        }
        let empty = dir.path().join("empty.xlsx");
        Workbook::new().save(&empty).unwrap();
        assert!(matches!(
            read_xlsx(&empty, "empty.xlsx"),
            Err(Error::BadFile { message, .. }) if message.contains("empty")
        ));
    }

    #[test]
    fn floats_print_like_text() {
        assert_eq!(float_to_string(45966.0), "45966");
        assert_eq!(float_to_string(400.5), "400.5");
        assert_eq!(float_to_string(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(float_to_string(1e20), "100000000000000000000");
        assert_eq!(float_to_string(-0.0), "0");
    }
}
