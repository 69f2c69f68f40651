//! Issue 15: the rows written by hand are the writer's own, byte for byte
//! but for the cells' implied places: each tricky value against
//! rust_xlsxwriter writing the same cell, and whole workbooks (every part,
//! decompressed) against the writer's, both sides' sheets with the `r` of
//! each cell that follows its left neighbour left out ([`implied_places`]).

use std::io::Read;

use chrono::{Datelike, NaiveDate};

use super::super::draft::Book;
use super::super::print_tests::printed;
use super::super::tests::{label, plain, table};
use super::super::{SheetSpec, MAX_DATA_ROWS};
use super::*;
use crate::domain::Fen;
use crate::report::csv_out::ReportTable;

/// Every part of the package in `bytes`, in order, decompressed.
fn parts(bytes: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut part = zip.by_index(i).unwrap();
            let mut text = String::new();
            part.read_to_string(&mut text).unwrap();
            (part.name().to_string(), text)
        })
        .collect()
}

/// A sheet's XML with the `r` of every cell that directly follows the
/// previous cell of its row left out (`<c r="B7" …` → `<c …`): what the
/// hand-written rows write, derived here from the XML alone.
fn implied_places(xml: &str) -> String {
    let column = |name: &str| {
        name.bytes()
            .take_while(u8::is_ascii_uppercase)
            .fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1))
    };
    let mut out = String::with_capacity(xml.len());
    let mut last: Option<u32> = None;
    let mut rest = xml;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if rest.starts_with("<row ") {
            last = None;
        } else if let Some(tail) = rest.strip_prefix("<c r=\"") {
            let name = &tail[..tail.find('"').unwrap()];
            let col = column(name);
            let follows = last.is_some_and(|l| l + 1 == col);
            last = Some(col);
            if follows {
                out.push_str("<c");
                rest = &tail[name.len() + 1..];
                continue;
            }
        } else if rest.starts_with("<c ") || rest.starts_with("<c>") || rest.starts_with("<c/") {
            last = last.map(|l| l + 1);
        }
        out.push('<');
        rest = &rest[1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn a_cell_after_its_left_neighbour_leaves_its_place_implied() {
    let styles = Styles {
        money: 3,
        date: 4,
        percent: 5,
    };
    let mut out = Vec::new();
    let cells = [
        Cell::text(""),
        Cell::text("a"),
        Cell::Money(Fen(150)),
        Cell::Date(None),
        Cell::Int(7),
        date(10_000, 1, 1),
    ];
    assert_eq!(push_row(&mut out, 6, &cells, &styles), Some((1, 5)));
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "<row r=\"7\"><c r=\"B7\" t=\"inlineStr\"><is><t>a</t></is></c>\
         <c s=\"3\"><v>1.5</v></c><c r=\"E7\"><v>7</v></c>\
         <c t=\"inlineStr\"><is><t>+10000-01-01</t></is></c></row>"
    );
    let writer = "<row r=\"7\"><c r=\"B7\" t=\"x\"/><c r=\"C7\"/><c r=\"E7\"/><c r=\"F7\"/></row>\
                  <row r=\"8\"><c r=\"A8\"/><c r=\"B8\"/></row>";
    assert_eq!(
        implied_places(writer),
        "<row r=\"7\"><c r=\"B7\" t=\"x\"/><c/><c r=\"E7\"/><c/></row><row r=\"8\"><c r=\"A8\"/><c/></row>"
    );
}

/// The workbook of `sheets`, each at its place (added in this order), by
/// hand and by the writer: equal part by part, the sheets' cells with
/// their places implied as the hand-written rows write them.
fn same_as_the_writer_placed(sheets: &[(usize, &SheetSpec<'_>)], max_rows: usize) {
    let build = |mut book: Book| {
        book.add(sheets, &label, max_rows).unwrap();
        book.pack(Vec::new(), None, &|file| {
            sheets.iter().map(|(_, s)| s.table).find(|t| t.file == file)
        })
        .unwrap()
    };
    let hand = build(Book::new(None).unwrap());
    let writer = build(Book::new(None).unwrap().by_the_writer());
    let sheets_implied = |mut p: Vec<(String, String)>| {
        for (name, text) in &mut p {
            if name.starts_with("xl/worksheets/sheet") {
                *text = implied_places(text);
            }
        }
        p
    };
    let (hand_parts, writer_parts) = (sheets_implied(parts(&hand)), sheets_implied(parts(&writer)));
    let names = |p: &[(String, String)]| p.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&hand_parts), names(&writer_parts));
    for ((name, h), (_, w)) in hand_parts.iter().zip(&writer_parts) {
        if h != w {
            let at = h
                .bytes()
                .zip(w.bytes())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            let around = |s: &str| {
                let b = s.as_bytes();
                String::from_utf8_lossy(&b[at.saturating_sub(200)..(at + 100).min(b.len())])
                    .into_owned()
            };
            panic!(
                "{name} differs at byte {at}:\nhand:   {}\nwriter: {}",
                around(h),
                around(w)
            );
        }
    }
    // The files themselves differ (the writer names every cell's place);
    // how the parts are packed is the same code either way.
}

/// [`same_as_the_writer_placed`], each sheet in the place it is given.
fn same_as_the_writer(sheets: &[SheetSpec<'_>], max_rows: usize) {
    let placed: Vec<(usize, &SheetSpec<'_>)> = sheets.iter().enumerate().collect();
    same_as_the_writer_placed(&placed, max_rows);
}

fn date(y: i32, m: u32, d: u32) -> Cell {
    Cell::Date(NaiveDate::from_ymd_opt(y, m, d))
}

/// Texts the writer escapes or marks: control characters, edge
/// whitespace, literal `_xHHHH_`, XML's `&<>`, formula-looking texts, the
/// non-characters U+FFFE/U+FFFF, a text longer than Excel's cell.
fn tricky_texts() -> Vec<String> {
    let mut texts: Vec<String> = [
        "",
        " ",
        "  lead",
        "trail ",
        "\tTab",
        "tab\t",
        "\nnl",
        "nl\n",
        "a\u{1}b",
        "\u{0}",
        "\u{8}\u{b}\u{c}\r\u{1f}",
        "in\tside",
        "in\nside",
        "_x0041_",
        "_x005F_x0041_",
        "a_x12_b",
        "_xABCD",
        "_xabcd_",
        "__x0000__",
        "_x00G1_",
        "_x",
        "_",
        "_x0041_x0042_",
        "x_x4E2D_",
        "_x中文_",
        "_x0041中",
        "&<>\"'",
        "a&amp;b",
        "=1+2",
        "+86",
        "-5",
        "@sum",
        "\t=x",
        "\r=x",
        "'quoted",
        "张三 ",
        " 李四",
        "\u{FFFE}",
        "\u{FFFF}x",
        "\u{FFFD}",
        "\u{EFBF}",
        "110105194912310029",
        "320.00",
        "中\u{20000}文",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    texts.push("x".repeat(MAX_CELL_CHARS + 5));
    texts.push(format!("={}", "y".repeat(MAX_CELL_CHARS)));
    texts.push(format!("{} ", "\u{20000}".repeat(16_400)));
    texts
}

#[test]
fn texts_are_written_as_the_writer_writes_them() {
    let mut t = ReportTable::new("rejects.csv", &["id", "name"]);
    for (i, s) in tricky_texts().into_iter().enumerate() {
        t.push(vec![Cell::text(s), Cell::text(format!("row {i}"))]);
    }
    // A row whose every cell is empty is no row at all.
    t.push(vec![Cell::text(""), Cell::Date(None)]);
    same_as_the_writer(&[plain("拒收", &t)], MAX_DATA_ROWS);
}

#[test]
fn numbers_and_dates_are_written_as_the_writer_writes_them() {
    let mut t = ReportTable::new("refunds.csv", &["amount", "date", "n", "rate"]);
    let fens = [
        0,
        1,
        -1,
        5,
        -5,
        10,
        99,
        100,
        -100,
        101,
        -32_000,
        123_456,
        1_000_000_007,
        99_999_999_999_999,
        999_999_999_999_999,
        1_000_000_000_000_000,
        -1_000_000_000_000_001,
        123_456_789_012_345_678,
        i64::MAX,
        i64::MIN,
    ];
    let ints = [
        0,
        1,
        -1,
        2026,
        1 << 53,
        (1 << 53) + 1,
        -(1 << 53) - 1,
        i64::MAX,
        i64::MIN,
    ];
    let dates = [
        date(1900, 1, 1),
        date(1900, 2, 28),
        date(1900, 3, 1),
        date(1899, 12, 31),
        date(1, 1, 1),
        date(2026, 1, 31),
        date(2024, 2, 29),
        date(9999, 12, 31),
        date(10_000, 1, 1),
        Cell::Date(None),
    ];
    let rates = [0, 1, 9850, 10_000, 12_345, 99_999_999, u64::MAX];
    let mut rng = fastrand::Rng::with_seed(15);
    for i in 0..2_000 {
        let fen = fens.get(i).copied().unwrap_or_else(|| match i % 3 {
            0 => rng.i64(-1_000_000..1_000_000),
            1 => rng.i64(-(1 << 50)..(1 << 50)),
            _ => rng.i64(..),
        });
        t.push(vec![
            Cell::Money(Fen(fen)),
            dates
                .get(i)
                .cloned()
                .unwrap_or_else(|| date(rng.i32(1900..2200), rng.u32(1..13), rng.u32(1..29))),
            Cell::Int(ints.get(i).copied().unwrap_or_else(|| rng.i64(..))),
            Cell::Percent(
                rates
                    .get(i)
                    .copied()
                    .unwrap_or_else(|| rng.u64(..1_000_000)),
            ),
        ]);
    }
    same_as_the_writer(&[plain("退费清单", &t)], MAX_DATA_ROWS);
}

#[test]
fn every_day_excel_holds_has_the_writers_serial() {
    let ce = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap().num_days_from_ce();
    assert_eq!(EXCEL_EPOCH_CE, ce(1899, 12, 30));
    assert_eq!(MARCH_1900_CE, ce(1900, 3, 1));
    let mut d = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
    let last = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap();
    while d <= last {
        let x = super::super::excel_date(d).unwrap().to_excel();
        assert_eq!(excel_serial(d) as f64, x, "{d}");
        d = d.succ_opt().unwrap();
    }
    for d in [date(1899, 12, 31), date(10_000, 1, 1), date(-5, 1, 1)] {
        let Cell::Date(Some(d)) = d else { panic!() };
        assert!(
            !is_excel_date(d) && super::super::excel_date(d).is_none(),
            "{d}"
        );
    }
}

#[test]
fn column_names_are_excels() {
    for c in [0u16, 1, 25, 26, 27, 51, 52, 701, 702, 703, 16_383] {
        let mut out = Vec::new();
        push_col_name(&mut out, c);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            rust_xlsxwriter::column_number_to_name(c),
            "{c}"
        );
    }
}

/// The county workbooks' case: printed sheets (title, sign-off line), a
/// list cut at the row limit (continuation sheets), formats first used on
/// different sheets, sheets added out of their final order, empty lists.
#[test]
fn workbooks_of_many_sheets_are_the_writers() {
    let t = table(9);
    let mut dated = ReportTable::new("late_payment.csv", &["id", "date", "amount"]);
    for i in 0..5 {
        dated.push(vec![
            Cell::text(format!("64010419491231{i:04}")),
            date(2026, 1, i + 1),
            Cell::Money(Fen(i64::from(i) * 101)),
        ]);
    }
    let mut rates = ReportTable::new("coverage.csv", &["county", "rate"]);
    rates.push(vec![Cell::text("兴庆区"), Cell::Percent(9850)]);
    let empty = table(0);
    let picked = [4usize, 0, 7, 2];
    for max_rows in [2, 3, MAX_DATA_ROWS] {
        let mut some = printed("部分", &t);
        some.rows = Some(&picked);
        let sheets = [
            printed("补缴", &dated),
            plain("参保率", &rates),
            printed("退费名单", &t),
            some,
            printed("空", &empty),
            plain("空白", &empty),
        ];
        same_as_the_writer(&sheets, max_rows);
        // Added out of their final order, as a county's sheets begun
        // beside the ledger are.
        let places = [4, 5, 0, 1, 3, 2];
        let placed: Vec<(usize, &SheetSpec<'_>)> = places.into_iter().zip(&sheets).collect();
        same_as_the_writer_placed(&placed, max_rows);
    }
}

/// Issue 15: the block-and-table test finds a byte to escape wherever it
/// stands (in a 16-byte block or in the rest), and only such bytes.
#[test]
fn any_special_is_special_of_some_byte() {
    for len in 0..40 {
        for at in 0..len {
            for b in 0..=255u8 {
                let mut s = vec![b'a'; len];
                s[at] = b;
                assert_eq!(any_special(&s), special(b), "byte {b:#x} at {at} of {len}");
            }
        }
        let cjk = "兴庆区医疗救助基金".repeat(3);
        assert!(!any_special(&cjk.as_bytes()[..len.min(cjk.len())]));
    }
}
