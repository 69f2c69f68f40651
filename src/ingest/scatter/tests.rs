//! Issue 15: the ID read while routing ([`super::person_key`]) is taken by
//! validation (`Row::person_id`) instead of being read again; these tests
//! hold that shortcut to the long way.

use super::*;
use crate::ingest::history::test_ctx;
use crate::ingest::read::{all_blocks, read_meta, RowBlock};
use crate::ingest::reduce::parse_row;

/// ID texts of every kind: valid (plain, lower-case `x`, padded, full-width,
/// quoted, 15-digit legacy), and each way of being wrong.
const IDS: &[&str] = &[
    "64020520141226732X",
    "64020520141226732x",
    " 64020520141226732X ",
    "６４０２０５２０１４１２２６７３２Ｘ",
    "'64020520141226732X",
    "=\"64020520141226732X\"",
    "110105194912310021",
    "11010519491231002X",
    "640205141226732",
    "640205201412267320",
    "64020520991226732X",
    "19020520141226732X",
    "6.40205E+17",
    "640205201412267000",
    "6402052014122673",
    "91020520141226732X",
    "",
    "E12345678",
];

const DOC_TYPES: &[&str] = &[
    "",
    "1",
    "01",
    " 01",
    "０１",
    "居民身份证",
    "02",
    "护照",
    "9",
];

/// Each kind's header (with a 证件类型 column) and a row with `{id}` and
/// `{doc}` to fill in.
fn tables() -> [(SourceKind, &'static str, &'static str); 6] {
    [
        (
            SourceKind::Enrollment,
            "身份证号,姓名,参保年度,险种类型,参保区划代码,参保状态,核定类别,应缴金额,实缴金额,缴费日期,待遇开始日期,修复年数,证件类型",
            "{id},黎明,2026,390,640205,参保缴费,普通居民,380,380,2025-10-10,,,{doc}",
        ),
        (
            SourceKind::Enrollment,
            "身份证号,姓名,参保年度,险种类型,参保区划代码,参保状态,核定类别,应缴金额,实缴金额,缴费日期,待遇开始日期,修复年数,证件类型",
            "{id},黎明,2025,390,640205,参保缴费,普通居民,360,360,2024-10-01,,,{doc}",
        ),
        (
            SourceKind::Civil,
            "姓名,身份证号,救助类别,认定日期,行政区划代码,证件类型",
            "黎明,{id},低保对象,2025-10-20,640205,{doc}",
        ),
        (
            SourceKind::Agri,
            "姓名,身份证号,人员类别,识别日期,行政区划代码,证件类型",
            "韦秀英,{id},已脱贫人口,2021-01,640205,{doc}",
        ),
        (
            SourceKind::Persons,
            "身份证号,姓名,常住区划代码,证件类型",
            "{id},黎明,640205,{doc}",
        ),
        (
            SourceKind::Disability,
            "姓名,残疾人证号,残疾等级,发证日期,行政区划代码,身份证号,证件类型",
            "覃桂兰,64020520141226732X11,二级,2020-06-01,640205,{id},{doc}",
        ),
    ]
}

fn csv_field(v: &str) -> String {
    match v.contains([',', '"']) {
        true => format!("\"{}\"", v.replace('"', "\"\"")),
        false => v.to_string(),
    }
}

/// Every row routed as text is validated the same, to the last reject
/// reason and message, whether validation takes the routing's reading of
/// the ID or reads it again; and the shortcut is taken for valid resident
/// IDs only.
#[test]
fn the_id_read_while_routing_validates_as_the_long_way() {
    let dir = tempfile::tempdir().unwrap();
    let schemas = Schemas::embedded().unwrap();
    let ctx = test_ctx(&schemas.vocab);
    let (mut taken, mut long_way, mut accepted_taken) = (0, 0, 0);
    for (t, (kind, header, row)) in tables().into_iter().enumerate() {
        let path = dir.path().join(format!("t{t}.csv"));
        let mut text = format!("{header}\n");
        for id in IDS {
            for doc in DOC_TYPES {
                let line = row
                    .replace("{id}", &csv_field(id))
                    .replace("{doc}", &csv_field(doc));
                text.push_str(&line);
                text.push('\n');
            }
        }
        std::fs::write(&path, text).unwrap();
        let meta = read_meta(&path, "t.csv", schemas.source(kind)).unwrap();
        let blocks = all_blocks(&path, "t.csv", &meta);
        let mut memo = history::Memo::default();
        for raw in blocks.iter().flat_map(RowBlock::iter) {
            let Route::Raw(key) = route(kind, &Row::new(&meta, raw), ctx, &mut memo) else {
                continue;
            };
            let mut with_key = raw;
            (with_key.key, with_key.id_read) = (key.key, key.id_read);
            let mut without = with_key;
            without.id_read = false;
            let shortcut = format!("{:?}", parse_row(kind, &Row::new(&meta, with_key), ctx));
            let long = format!("{:?}", parse_row(kind, &Row::new(&meta, without), ctx));
            assert_eq!(shortcut, long, "{kind:?} line {}", raw.line);
            if key.id_read {
                taken += 1;
                accepted_taken += usize::from(shortcut.starts_with("Accepted"));
                let id = Row::new(&meta, raw).get(Col::IdNumber);
                let doc = Row::new(&meta, raw).get(Col::DocType);
                assert_eq!(
                    crate::domain::parse_person_id(id, doc, ctx.as_of),
                    Ok(PersonId::Resident(key.key))
                );
            } else {
                long_way += 1;
            }
        }
    }
    assert!(taken > 100, "{taken}");
    assert!(accepted_taken > 50, "{accepted_taken}");
    assert!(long_way > 300, "{long_way}");
}

/// A disability row's key is its certificate's person: never taken for
/// the 身份证号 column beside it.
#[test]
fn a_certificate_key_is_not_the_id_column() {
    let schemas = Schemas::embedded().unwrap();
    let ctx = test_ctx(&schemas.vocab);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.csv");
    std::fs::write(
        &path,
        "姓名,残疾人证号,残疾等级,发证日期,行政区划代码,身份证号\n覃桂兰,64020520141226732X11,二级,2020-06-01,640205,110105194912310021\n",
    )
    .unwrap();
    let meta = read_meta(&path, "d.csv", schemas.source(SourceKind::Disability)).unwrap();
    let blocks = all_blocks(&path, "d.csv", &meta);
    let raw = blocks.iter().flat_map(RowBlock::iter).next().unwrap();
    let mut memo = history::Memo::default();
    let Route::Raw(key) = route(
        SourceKind::Disability,
        &Row::new(&meta, raw),
        ctx,
        &mut memo,
    ) else {
        panic!("routed as text");
    };
    assert!(!key.id_read);
    assert_eq!(
        Some(key.key),
        crate::domain::parse_person_id("64020520141226732X", "", ctx.as_of)
            .ok()
            .as_ref()
            .map(key_of)
    );
}
