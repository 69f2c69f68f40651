//! Issue 16: the print form of a county list (title row, header repeated
//! on every page, landscape A4 one page wide, footer, sign-off line) and
//! percentages stored as numbers, read back from the written workbook.

use super::tests::{label, plain, table};
use super::*;
use calamine::{Data, Reader, Xlsx};

/// A part of the workbook in `bytes` (e.g. `xl/worksheets/sheet1.xml`).
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
    text
}

/// A sheet printed as a county clerk prints it (title, footer, sign-off
/// line); the hand-written rows' tests use it too.
pub(super) fn printed<'a>(name: &str, table: &'a ReportTable) -> SheetSpec<'a> {
    SheetSpec {
        name: name.to_string(),
        table,
        rows: None,
        print: Some(PrintForm {
            title: "宁夏回族自治区 兴庆区 2026年1月 退费名单".into(),
            footer: "&C第 &P 页 共 &N 页".into(),
            sign: vec!["制表人：".into(), "审核人：".into(), "日期：".into()],
        }),
    }
}

#[test]
fn a_printed_sheet_has_title_header_rows_and_sign_off_line() {
    let t = table(3);
    let bytes = build_workbook(&[printed("退费名单", &t)], &label, MAX_DATA_ROWS, None).unwrap();
    let mut book = Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
    let r = book.worksheet_range("退费名单").unwrap();
    // Title, header, 3 rows, a blank row, the sign-off line.
    assert_eq!(r.start(), Some((0, 0)));
    assert_eq!(r.get_size(), (7, 5));
    let s = |row: usize, c: usize| r.get((row, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(
        s(0, 0),
        Data::String("宁夏回族自治区 兴庆区 2026年1月 退费名单".into())
    );
    assert_eq!(s(1, 0), Data::String("身份证号".into()));
    assert_eq!(s(1, 4), Data::String("人数".into()));
    assert_eq!(s(2, 0), Data::String("110105194912310000".into()));
    assert_eq!(s(4, 4), Data::Float(2.0));
    assert!((0..5).all(|c| s(5, c) == Data::Empty));
    // 5 columns, 3 parts: columns 0, 5/3 = 1 and 10/3 = 3.
    assert_eq!(s(6, 0), Data::String("制表人：".into()));
    assert_eq!(s(6, 1), Data::String("审核人：".into()));
    assert_eq!(s(6, 3), Data::String("日期：".into()));

    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    for want in [
        // The title merged over the table's width.
        r#"<mergeCell ref="A1:E1"/>"#,
        // Frozen under the header; the filter on the header and rows.
        r#"topLeftCell="A3""#,
        r#"<autoFilter ref="A2:E5"/>"#,
        // Landscape A4, one page wide, as many long as it takes.
        r#"<pageSetUpPr fitToPage="1"/>"#,
        r#"paperSize="9""#,
        r#"fitToHeight="0""#,
        r#"orientation="landscape""#,
        "<oddFooter>&amp;C第 &amp;P 页 共 &amp;N 页</oddFooter>",
    ] {
        assert!(sheet.contains(want), "no {want} in\n{sheet}");
    }
    let workbook = part(&bytes, "xl/workbook.xml");
    // The header row on every page; the print area from title to sign-off.
    for want in [
        r#"<definedName name="_xlnm.Print_Titles" localSheetId="0">退费名单!$2:$2</definedName>"#,
        r#"<definedName name="_xlnm.Print_Area" localSheetId="0">退费名单!$A$1:$E$7</definedName>"#,
    ] {
        assert!(workbook.contains(want), "no {want} in\n{workbook}");
    }
}

#[test]
fn a_sheet_that_is_not_printed_has_no_page_setup() {
    let t = table(1);
    let bytes = build_workbook(&[plain("退费名单", &t)], &label, MAX_DATA_ROWS, None).unwrap();
    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(!sheet.contains("mergeCell") && !sheet.contains("oddFooter"));
    assert!(!part(&bytes, "xl/workbook.xml").contains("_xlnm.Print"));
}

#[test]
fn a_long_printed_list_continues_with_its_title_on_every_sheet() {
    let t = table(5);
    let bytes = build_workbook(&[printed("退费名单", &t)], &label, 2, None).unwrap();
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let names = book.sheet_names();
    assert_eq!(names, ["退费名单", "退费名单 (2)", "退费名单 (3)"]);
    let mut ids = Vec::new();
    for (name, rows) in [("退费名单", 2), ("退费名单 (2)", 2), ("退费名单 (3)", 1)] {
        let r = book.worksheet_range(name).unwrap();
        assert_eq!(r.height(), rows + 4, "{name}");
        assert_eq!(
            r.get((0, 0)),
            Some(&Data::String(
                "宁夏回族自治区 兴庆区 2026年1月 退费名单".into()
            ))
        );
        assert_eq!(r.get((1, 0)), Some(&Data::String("身份证号".into())));
        ids.extend((0..rows).map(|i| r.get((2 + i, 0)).unwrap().to_string()));
    }
    let want: Vec<String> = t.rows.iter().map(|r| r[0].render()).collect();
    assert_eq!(ids, want, "every row once, in order");
}

#[test]
fn a_percentage_is_a_number_formatted_as_a_percentage() {
    let mut t = ReportTable::new("coverage.csv", &["rate"]);
    t.push(vec![Cell::Percent(7368)]);
    t.push(vec![Cell::Percent(10_000)]);
    t.push(vec![Cell::text("")]);
    let bytes = build_workbook(&[plain("参保率", &t)], &|k| k.to_string(), 9, None).unwrap();
    let mut book = Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
    let r = book.worksheet_range("参保率").unwrap();
    // 73.68% is the fraction 0.7368.
    assert_eq!(r.get((1, 0)), Some(&Data::Float(0.7368)));
    assert_eq!(r.get((2, 0)), Some(&Data::Float(1.0)));
    // The cell's style (its `s`, an index into cellXfs) shows `0.00%`.
    assert_eq!(number_format(&bytes, "A2"), "0.00%");
    assert_eq!(number_format(&bytes, "A3"), "0.00%");
}

/// The number format of cell `at` on the first sheet (`xf` by index,
/// then its `numFmt`; `General` when the cell has no style).
fn number_format(bytes: &[u8], at: &str) -> String {
    let attr = |text: &str, name: &str| -> Option<String> {
        let from = text.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(text[from..].split('"').next()?.to_string())
    };
    let sheet = part(bytes, "xl/worksheets/sheet1.xml");
    let cell = &sheet[sheet.find(&format!("<c r=\"{at}\"")).unwrap()..];
    let cell = &cell[..cell.find('>').unwrap()];
    let Some(style) = attr(cell, "s") else {
        return "General".into();
    };
    let styles = part(bytes, "xl/styles.xml");
    let xfs = &styles[styles.find("<cellXfs").unwrap()..];
    let xf = xfs
        .split("<xf ")
        .nth(style.parse::<usize>().unwrap() + 1)
        .unwrap();
    let id = attr(&format!(" {xf}"), "numFmtId").unwrap();
    let def = format!("<numFmt numFmtId=\"{id}\" formatCode=\"");
    match styles.find(&def) {
        Some(i) => styles[i + def.len()..]
            .split('"')
            .next()
            .unwrap()
            .to_string(),
        None => format!("built-in {id}"),
    }
}
