//! The history fast path against the long way ([`super::fast_history`]).

use super::*;
use crate::domain::parse_yuan;
use crate::ingest::enrollment;
use crate::ingest::read::{all_blocks, read_meta, RowBlock};
use crate::ingest::schema::Schemas;
use crate::ingest::Record;

const HEADER: &str = "参保年度,身份证号,姓名,险种类型,参保区划代码,参保状态,核定类别,应缴金额,实缴金额,缴费日期,待遇开始日期,修复年数,电子税票号,动态参保类别";
const BASE: [&str; 14] = [
    "2021",
    "64020520141226732X",
    "任丹",
    "390",
    "640205",
    "参保缴费",
    "普通居民",
    "320",
    "320",
    "2020-10-07",
    "",
    "",
    "",
    "",
];

/// Forms of each field, common and not, valid and not.
fn variants(col: usize) -> &'static [&'static str] {
    match col {
        0 => &[
            "2021",
            "2025",
            "2026",
            "2027",
            "1989",
            "2021年",
            " 2021",
            "２０２１",
            "202101",
            "",
            "x",
        ],
        1 => &[
            "64020520141226732X",
            "64020520141226732x",
            "640205201412267320",
            " 64020520141226732X",
            "6.40205E+17",
            "640205141226732",
            "",
            "110105194912310021",
            "11010519491231002X",
            "64020520991226732X",
        ],
        2 => &["任丹", "", " ", "  任丹 "],
        3 => &["390", "310", " 390", "城乡居民基本医疗保险", "999", ""],
        4 => &[
            "640205",
            "640205001",
            "640205001001",
            "650205",
            "64020",
            "兴庆区",
            "640205 兴庆区",
            "'640205",
            "",
        ],
        5 => &["参保缴费", "暂停", "终止", "1", "?", ""],
        6 => &[
            "普通居民",
            "",
            "低保对象",
            "特困供养人员",
            "某某类",
            " 普通居民",
        ],
        7 => &[
            "320", "320.00", "320.5", "320.", "¥320", "1,320", "", "abc", "0",
        ],
        8 => &["320", "0", "", "300", "320.01", "３２０", "-5"],
        9 => &[
            "2020-10-07",
            "",
            "2020/10/07",
            "20201007",
            "2020-02-30",
            "2020-10-7",
            "x",
        ],
        10 => &["", "2021-01-01", "2021-13-01", "2021.1.1"],
        11 => &["", "0", "2", "2年", "x", "１"],
        12 => &["", "T123"],
        13 => &["", "退役军人", "刑满释放人员", "未知群体", " "],
        _ => &[""],
    }
}

/// What the long way makes of the row, when it is a plain history row.
fn slow(row: &Row<'_>, ctx: ParseCtx<'_>) -> Option<FastHistory> {
    let year = enrollment::year_of(row)?;
    if year >= ctx.policy_year? {
        return None;
    }
    match enrollment::parse(row, ctx) {
        Ok((records, conflicts)) if conflicts.is_empty() => match records.as_slice() {
            [Record::History(h)] => match h.person {
                PersonId::Resident(key) => Some(FastHistory {
                    key,
                    year: h.year,
                    covered: h.covered,
                }),
                PersonId::Other(_) => None,
            },
            _ => None,
        },
        _ => None,
    }
}

#[test]
fn the_hand_written_date_agrees_with_chrono() {
    let years = (0..=30).chain(1880..=2120).chain([
        100, 200, 300, 400, 1600, 1700, 1800, 1900, 2000, 2400, 9996, 9999,
    ]);
    let mut texts = 0;
    for y in years {
        for m in 0..100 {
            for d in 0..100 {
                let t = format!("{y:04}-{m:02}-{d:02}");
                assert_eq!(
                    dashed_date_ok(t.as_bytes()),
                    Some(parse_date(&t).is_some()),
                    "{t}"
                );
                assert_eq!(
                    plain_date_ok(t.as_bytes()).is_ok(),
                    parse_date(&t).is_some(),
                    "{t}"
                );
                texts += 1;
            }
        }
    }
    assert!(texts > 2_000_000);
    // Other shapes go to the general parser, with its answer.
    for t in [
        "2020/10/07",
        "2020.10.07",
        "2020-1-7  ",
        "２０２０-10-07",
        "x",
        "",
    ] {
        assert_eq!(dashed_date_ok(t.as_bytes()), None, "{t}");
    }
    assert_eq!(plain_date_ok("2020/10/07".as_bytes()), Ok(true));
    assert_eq!(plain_date_ok("2020/13/07".as_bytes()), Err(()));
    assert_eq!(plain_date_ok("".as_bytes()), Ok(false));
}

#[test]
fn the_hand_written_amount_agrees_with_parse_yuan() {
    // Every text of up to seven characters from digits and points, and
    // long ones around the twelve-digit limit.
    let alphabet = [b'0', b'1', b'5', b'9', b'.'];
    let mut texts: Vec<Vec<u8>> = vec![Vec::new()];
    let mut all = Vec::new();
    for _ in 0..7 {
        texts = texts
            .iter()
            .flat_map(|t| {
                alphabet.iter().map(move |&c| {
                    let mut t = t.clone();
                    t.push(c);
                    t
                })
            })
            .collect();
        all.extend(texts.iter().cloned());
    }
    for n in 10..=14 {
        for tail in ["", ".", ".5", ".05", ".123"] {
            all.push(format!("{}{tail}", "9".repeat(n)).into_bytes());
            all.push(format!("{}{tail}", "1".repeat(n)).into_bytes());
        }
    }
    for t in &all {
        let t = std::str::from_utf8(t).unwrap();
        assert_eq!(digits_fen(t.as_bytes()), parse_yuan(t), "{t}");
        let want = match t {
            "" => Ok(None),
            _ => parse_yuan(t).map(Some).ok_or(()),
        };
        assert_eq!(plain_amount(t.as_bytes()), want, "{t}");
    }
    assert!(all.len() > 90_000);
}

#[test]
fn same_compares_bytes() {
    for (a, b) in [
        ("", ""),
        ("390", "390"),
        ("普通居民", "普通居民"),
        ("64020520141226732X", "64020520141226732X"),
    ] {
        assert!(same(a.as_bytes(), b.as_bytes()));
    }
    for (a, b) in [
        ("", "1"),
        ("390", "310"),
        ("普通居民", "普通人群"),
        ("64020520141226732X", "64020520141226732x"),
        ("640205201412267321", "740205201412267321"),
    ] {
        assert!(!same(a.as_bytes(), b.as_bytes()), "{a} {b}");
    }
    // Every length to 40 (the overlapping last word, four bytes at a
    // time below eight), a difference at every place.
    for n in 0..40 {
        let a: Vec<u8> = (0..n).map(|i| b'0' + (i % 10) as u8).collect();
        assert!(same(&a, &a.clone()), "{n}");
        for at in 0..n {
            let mut b = a.clone();
            b[at] ^= 0x20;
            assert!(!same(&a, &b), "{n} {at}");
        }
        assert!(!same(&a, &a[..n.saturating_sub(1)]) || n == 0, "{n}");
    }
}

/// Reads `text` as an enrollment file and routes its rows in order
/// through one memo: each row's fast outcome (checked against the long
/// way wherever the fast path takes the row) by line. Every row's
/// fields as [`RawRow::fields_at`] and [`RawRow::narrow_span`] read
/// them are checked against [`RawRow::get`] too.
fn fast_outcomes(text: &str) -> Vec<Option<FastHistory>> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("enrollment.csv");
    std::fs::write(&path, text).unwrap();
    let schemas = Schemas::embedded().unwrap();
    let schema = schemas.source(crate::domain::SourceKind::Enrollment);
    let meta = read_meta(&path, "enrollment.csv", schema).unwrap();
    let blocks = all_blocks(&path, "enrollment.csv", &meta);
    let ctx = test_ctx(&schemas.vocab);
    let mut m = Memo::default();
    let mut out = Vec::new();
    for raw in blocks.iter().flat_map(RowBlock::iter) {
        fields_read_as_get_reads_them(&raw);
        let row = Row::new(&meta, raw);
        let fast = fast_history(&row, ctx, &mut m);
        if let Some(f) = fast {
            assert_eq!(Some(f), slow(&row, ctx), "line {}", raw.line);
        }
        out.push(fast);
    }
    out
}

fn fields_read_as_get_reads_them(raw: &RawRow<'_>) {
    let cols: [usize; 18] = std::array::from_fn(|i| if i == 17 { usize::MAX } else { i });
    let fields = raw.fields_at(&cols);
    for (&i, f) in cols.iter().zip(fields) {
        let want = if i == usize::MAX {
            ""
        } else {
            raw.get(i).unwrap_or("")
        };
        assert_eq!(f, want.as_bytes(), "line {} field {i}", raw.line);
    }
    let narrow = raw.get(0).is_some_and(|_| {
        let n = (0..).take_while(|&i| raw.get(i).is_some()).count();
        let len: usize = (0..n).map(|i| raw.get(i).unwrap().len() + 1).sum();
        len <= 0x100
    });
    for first in 0..16 {
        for last in first..16 {
            let want = (narrow && raw.get(last).is_some()).then(|| {
                let parts: Vec<&str> = (first..=last).map(|i| raw.get(i).unwrap()).collect();
                parts.join(",")
            });
            let got = raw.narrow_span(first, last).map(|(span, start, ends)| {
                // The inner ends are where the span's fields end.
                let mut at = start;
                for (k, &e) in ends.iter().enumerate() {
                    at += raw.get(first + k).unwrap().len();
                    assert_eq!(usize::from(e), at, "line {}", raw.line);
                    at += 1;
                }
                String::from_utf8(span.to_vec()).unwrap()
            });
            assert_eq!(got, want, "line {} fields {first}..={last}", raw.line);
        }
    }
}

/// The rows as a file's lines, after the header.
fn file(header: &str, rows: &[Vec<&str>]) -> String {
    let mut text = format!("{header}\n");
    for row in rows {
        text.push_str(&row.join(","));
        text.push('\n');
    }
    text
}

#[test]
fn the_fast_path_agrees_with_the_long_way_on_every_form() {
    // First a row with a blank 区划代码, while nothing is remembered.
    let mut blank_county = BASE;
    blank_county[4] = "";
    let mut rows = vec![blank_county.to_vec()];
    for col in 0..BASE.len() {
        for v in variants(col) {
            // Each form twice, the second time after the base row, so
            // the remembered ID and texts are used both ways.
            for _ in 0..2 {
                let mut row = BASE;
                row[col] = v;
                rows.push(row.to_vec());
            }
            rows.push(BASE.to_vec());
        }
    }
    let outcomes = fast_outcomes(&file(HEADER, &rows));
    let fast_rows = outcomes.iter().flatten().count();
    assert!(outcomes.len() > 200, "{}", outcomes.len());
    // The base row and the plain forms of every field go the fast way.
    assert!(
        fast_rows > outcomes.len() / 2,
        "{fast_rows} of {}",
        outcomes.len()
    );
}

/// Issue 15: a person's fields are compared with the last person's who
/// passed; a row whose person field differs in one byte only, right
/// after that person's rows, is checked afresh (and fails where the
/// long way fails it).
#[test]
fn a_person_field_one_byte_off_is_checked_afresh() {
    // (column, text one byte off BASE's, whether the long way takes it)
    let off = [
        (1, "64020520141226732Y", false),
        (1, "64020520141226732x", true),
        (1, "64020520141226733X", false),
        (2, "任丹 ", true),
        (3, "391", false),
        (4, "650205", false),
        (4, "640206", true),
        (5, "参保缴费 ", true),
        (6, "普通居民x", false),
        (13, "x", false),
    ];
    let mut rows = Vec::new();
    for (col, text, _) in off {
        rows.push(BASE.to_vec());
        let mut row = BASE;
        row[col] = text;
        rows.push(row.to_vec());
    }
    rows.push(BASE.to_vec());
    let outcomes = fast_outcomes(&file(HEADER, &rows));
    for (k, (col, text, taken)) in off.iter().enumerate() {
        assert!(outcomes[2 * k].is_some(), "the base row before {text}");
        let ours = outcomes[2 * k + 1];
        assert_eq!(ours.is_some(), *taken, "field {col} as {text}");
    }
    assert!(outcomes.last().unwrap().is_some());
}

/// The same bytes split into fields otherwise (a delimiter inside a
/// quoted field) are not the same person's fields.
#[test]
fn the_same_bytes_split_otherwise_are_another_person() {
    let mut a = BASE.map(str::to_string);
    a[2] = "\"任丹,390\"".into();
    let mut b = BASE.map(str::to_string);
    b[3] = "\"390,390\"".into();
    let rows = [a, b.clone(), b];
    let rows: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    let outcomes = fast_outcomes(&file(HEADER, &rows));
    assert!(outcomes[0].is_some(), "a name with a comma is a name");
    assert_eq!(outcomes[1..], [None, None], "390,390 is no scheme");
}

/// Another layout: the document type present, the person's columns in
/// three runs with the year's between them, and rows of 256 bytes or
/// more (their ends two bytes wide; the person fields then checked the
/// long way).
#[test]
fn the_fast_path_agrees_in_another_layout() {
    let header = "身份证号,证件类型,参保年度,应缴金额,姓名,险种类型,实缴金额,缴费日期,参保区划代码,参保状态,核定类别,待遇开始日期,修复年数,电子税票号,动态参保类别";
    let base = [
        "64020520141226732X",
        "01",
        "2021",
        "320",
        "任丹",
        "390",
        "320",
        "2020-10-07",
        "640205",
        "参保缴费",
        "普通居民",
        "",
        "",
        "",
        "",
    ];
    let mut rows = Vec::new();
    for (col, v) in [
        (1, "1"),
        (1, "02"),
        (1, ""),
        (2, "2022"),
        (2, "2026"),
        (4, "LONG"),
        (4, ""),
        (8, "650205"),
        (3, "320.5"),
        (6, "300"),
        (14, "退役军人"),
        (14, "未知群体"),
    ] {
        for _ in 0..2 {
            let mut row = base;
            row[col] = if v == "LONG" { LONG_NAME } else { v };
            rows.push(row.to_vec());
        }
        rows.push(base.to_vec());
    }
    let outcomes = fast_outcomes(&file(header, &rows));
    // The base rows go the fast way, after whichever row.
    for (i, o) in outcomes.iter().enumerate().skip(2).step_by(3) {
        assert!(o.is_some(), "row {i}");
    }
    // The long name's rows (two-byte ends) too.
    assert!(outcomes[15].is_some() && outcomes[16].is_some());
}

/// A name long enough to make its row 256 bytes or more.
const LONG_NAME: &str = "任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任任";

/// What was remembered under one context is forgotten at
/// [`Memo::begin`] (a reader task's memo outlives a run in a test
/// binary): a county remembered under region 64 is not taken under 65.
#[test]
fn begin_forgets_what_another_context_gave() {
    let text = file(HEADER, &[BASE.to_vec()]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("enrollment.csv");
    std::fs::write(&path, text).unwrap();
    let schemas = Schemas::embedded().unwrap();
    let schema = schemas.source(crate::domain::SourceKind::Enrollment);
    let meta = read_meta(&path, "enrollment.csv", schema).unwrap();
    let blocks = all_blocks(&path, "enrollment.csv", &meta);
    let raw = blocks.iter().flat_map(RowBlock::iter).next().unwrap();
    let row = Row::new(&meta, raw);
    let ctx = test_ctx(&schemas.vocab);
    let other = ParseCtx {
        region_prefix: Some("65"),
        ..ctx
    };
    let mut m = Memo::default();
    assert!(fast_history(&row, ctx, &mut m).is_some());
    m.begin();
    assert_eq!(fast_history(&row, other, &mut m), None);
    assert_eq!(slow(&row, other), None);
}

/// A reading task's first row with a blank 区划代码 must not pass the
/// remembered-county check (nothing is remembered yet, and "no county"
/// was stored as length 0).
#[test]
fn a_blank_county_is_not_the_remembered_one() {
    let mut last = ([0u8; 12], 0);
    let schemas = Schemas::embedded().unwrap();
    let ctx = test_ctx(&schemas.vocab);
    assert!(!county_ok("", ctx, &mut last));
    assert!(county_ok("640205", ctx, &mut last));
    assert!(!county_ok("", ctx, &mut last));
    assert!(!county_ok("650205", ctx, &mut last));
}
