//! The fast path for enrollment rows of years before `Y` (参保历史), most of
//! a province's ledger (issue 15): the same checks as
//! [`super::enrollment::parse`], on the bytes as written, for the common
//! form only. Vocabulary texts are looked up once per distinct text
//! ([`Memo`]), a person's ID is checked once for their consecutive rows (a
//! ledger lists one person's years together), dates and amounts in their
//! plain forms are read without cleaning. Whatever is not in the common
//! form, or would be rejected or give a conflict, returns `None` and goes
//! the long way, so the outcome of every row is exactly that of
//! [`super::enrollment::parse`].

use super::row::Row;
use super::schema::Col;
use super::ParseCtx;
use crate::domain::{parse_date, parse_person_id, Fen, PersonId, Scheme};

/// What a history row comes to when it passes every check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FastHistory {
    /// The packed resident ID.
    pub key: u64,
    pub year: i32,
    pub covered: bool,
}

/// Distinct texts seen at most; beyond that, lookups are not remembered.
const MEMO_TEXTS: usize = 64;

/// Results of pure lookups by the exact text as written, kept by one
/// reader task (one per rayon job, so nothing is shared).
#[derive(Default)]
pub struct Memo {
    schemes: Vec<(Box<str>, Option<Scheme>)>,
    statuses: Vec<(Box<str>, bool)>,
    ratings: Vec<(Box<str>, bool)>,
    dynamic: Vec<(Box<str>, bool)>,
    /// The last ID checked, with its document type, and its packed key.
    last_id: Option<(Box<str>, Box<str>, u64)>,
    /// The last 区划代码 that passed [`plain_county_ok`] (a person's rows
    /// are together and name one county): its bytes and length, 0 = none.
    last_county: ([u8; 12], usize),
}

/// Whether two short texts are the same bytes, compared inline eight bytes
/// at a time (a `memcmp` call per field was the fast path's largest cost).
#[inline]
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut wa = a.chunks_exact(8);
    let mut wb = b.chunks_exact(8);
    for (x, y) in (&mut wa).zip(&mut wb) {
        if x != y {
            return false;
        }
    }
    wa.remainder()
        .iter()
        .zip(wb.remainder())
        .all(|(x, y)| x == y)
}

/// `f(text)`, remembered in `memo` by the exact text.
fn memo<T: Copy>(memo: &mut Vec<(Box<str>, T)>, text: &str, f: impl FnOnce(&str) -> T) -> T {
    if let Some((_, v)) = memo.iter().find(|(k, _)| same(k, text)) {
        return *v;
    }
    let v = f(text);
    if memo.len() < MEMO_TEXTS {
        memo.push((text.into(), v));
    }
    v
}

/// An amount as written: blank (`None`), or plain digits with at most one
/// point, read as [`crate::domain::parse_yuan`] reads them. `Err` when not in that form.
fn plain_amount(v: &str) -> Result<Option<Fen>, ()> {
    if v.is_empty() {
        return Ok(None);
    }
    if !v.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Err(());
    }
    digits_fen(v.as_bytes()).map(Some).ok_or(())
}

/// [`crate::domain::parse_yuan`] of a text of ASCII digits and points, by hand (issue 15:
/// the library parse was a measured cost): whole yuan of 1–12 digits, then
/// optionally a point and one or two digits of jiao and fen.
fn digits_fen(b: &[u8]) -> Option<Fen> {
    let (whole, frac) = match b.iter().position(|&c| c == b'.') {
        Some(p) => (&b[..p], Some(&b[p + 1..])),
        None => (b, None),
    };
    if whole.is_empty() || whole.len() > 12 {
        return None;
    }
    let num = |d: &[u8]| {
        d.iter().try_fold(0i64, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
        })
    };
    let fen = match frac {
        None => 0,
        Some(f @ [_]) => num(f)? * 10,
        Some(f @ [_, _]) => num(f)?,
        Some(_) => return None,
    };
    Some(Fen(num(whole)? * 100 + fen))
}

/// A date as written: blank, or a 10-character date [`parse_date`] reads.
fn plain_date_ok(v: &str) -> Result<bool, ()> {
    match v.len() {
        0 => Ok(false),
        10 => match dashed_date_ok(v.as_bytes()) {
            Some(true) => Ok(true),
            Some(false) => Err(()),
            // Another 10-character form (`2020/10/07`): the general parser.
            None => parse_date(v).map(|_| true).ok_or(()),
        },
        _ => Err(()),
    }
}

/// Whether `YYYY-MM-DD` names a real day of the proleptic Gregorian
/// calendar, as [`parse_date`] (chrono) decides it, by hand (issue 15);
/// `None` when the text is not in that shape.
fn dashed_date_ok(b: &[u8]) -> Option<bool> {
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| b[i].is_ascii_digit());
    if !shaped {
        return None;
    }
    let num =
        |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
    let (year, month, day) = (num(0..4), num(5..7), num(8..10));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Some(false),
    };
    Some((1..=days).contains(&day))
}

/// The row's person, year and coverage when every field is in its common
/// form and passes the checks of [`super::enrollment::parse`] without a
/// conflict; `None` otherwise (the row then goes the long way).
pub fn fast_history(row: &Row<'_>, ctx: ParseCtx<'_>, m: &mut Memo) -> Option<FastHistory> {
    let policy_year = ctx.policy_year?;
    let year_text = row.untrimmed(Col::Year);
    if year_text.len() != 4 || !year_text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = year_text.parse().ok()?;
    if !(1990..=2100).contains(&year) || year >= policy_year {
        return None;
    }
    let key = person_key(row, ctx, m)?;
    if row.get(Col::Name).is_empty() {
        return None;
    }
    let vocab = ctx.vocab;
    let scheme = memo(&mut m.schemes, row.untrimmed(Col::Scheme), |t| {
        vocab.scheme(t.trim())
    })?;
    let status_known = memo(&mut m.statuses, row.untrimmed(Col::Status), |t| {
        vocab.status(t.trim()).is_some()
    });
    if !status_known {
        return None;
    }
    let due = match (scheme, plain_amount(row.untrimmed(Col::Due)).ok()?) {
        (_, Some(d)) => d,
        (Scheme::Employee, None) => Fen::ZERO,
        (Scheme::Resident, None) => return None,
    };
    let paid = plain_amount(row.untrimmed(Col::Paid))
        .ok()?
        .unwrap_or(Fen::ZERO);
    let paid_on = plain_date_ok(row.untrimmed(Col::PayDate)).ok()?;
    if paid > Fen::ZERO && !paid_on {
        return None;
    }
    plain_date_ok(row.untrimmed(Col::BenefitStart)).ok()?;
    let repair = row.untrimmed(Col::RepairYears);
    if !(repair.is_empty() || (repair.len() <= 9 && repair.bytes().all(|b| b.is_ascii_digit()))) {
        return None;
    }
    if !county_ok(row.untrimmed(Col::RegionCode), ctx, &mut m.last_county) {
        return None;
    }
    let rating_known = memo(&mut m.ratings, row.untrimmed(Col::Rating), |t| {
        let t = t.trim();
        vocab.is_ordinary_rating(t) || vocab.category_by_text(t).is_some()
    });
    let dynamic_known = memo(&mut m.dynamic, row.untrimmed(Col::DynamicGroup), |t| {
        let t = t.trim();
        t.is_empty() || vocab.dynamic_group(t).is_some()
    });
    if !(rating_known && dynamic_known) {
        return None;
    }
    Some(FastHistory {
        key,
        year,
        covered: match scheme {
            Scheme::Resident => paid >= due,
            Scheme::Employee => true,
        },
    })
}

/// The packed resident ID of an 18-character ID written plainly, checked
/// once for consecutive rows of the same ID and document type.
fn person_key(row: &Row<'_>, ctx: ParseCtx<'_>, m: &mut Memo) -> Option<u64> {
    let id = row.untrimmed(Col::IdNumber);
    if id.len() != 18 || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let doc_type = row.get(Col::DocType);
    if let Some((last, last_doc, key)) = &m.last_id {
        if same(last, id) && same(last_doc, doc_type) {
            return Some(*key);
        }
    }
    match parse_person_id(id, doc_type, ctx.as_of) {
        Ok(PersonId::Resident(key)) => {
            m.last_id = Some((id.into(), doc_type.into(), key));
            Some(key)
        }
        _ => None,
    }
}

/// [`plain_county_ok`], answered without a lookup when `v` is the last
/// text that passed (kept in `last`; length 0 = nothing passed yet, so a
/// blank text is never taken for it).
fn county_ok(v: &str, ctx: ParseCtx<'_>, last: &mut ([u8; 12], usize)) -> bool {
    let b = v.as_bytes();
    if last.1 != 0 && last.1 == b.len() && last.0[..b.len()] == *b {
        return true;
    }
    let ok = plain_county_ok(v, ctx);
    if ok {
        // 6, 9 or 12 bytes: it fits.
        last.0[..b.len()].copy_from_slice(b);
        last.1 = b.len();
    }
    ok
}

/// A 区划代码 of 6, 9 or 12 plain digits inside the policy's region and,
/// issue 14, of a county the policy lists (what [`Row::county`] accepts
/// without cleaning).
fn plain_county_ok(v: &str, ctx: ParseCtx<'_>) -> bool {
    matches!(v.len(), 6 | 9 | 12)
        && v.bytes().all(|b| b.is_ascii_digit())
        && ctx.region_prefix.is_none_or(|p| v[..6].starts_with(p))
        && ctx.policy.is_none_or(|p| p.lists_county(&v[..6]))
}

/// The context the reading tests parse in: Ningxia (区划 64…), policy
/// year 2026, as of 2026-01-31, no policy's grades.
#[cfg(test)]
pub(crate) fn test_ctx(vocab: &crate::domain::vocab::Vocabulary) -> ParseCtx<'_> {
    ParseCtx {
        vocab,
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 1, 31).expect("a real day"),
        region_prefix: Some("64"),
        policy_year: Some(2026),
        policy: None,
    }
}

#[cfg(test)]
mod tests {
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
                    assert_eq!(plain_date_ok(&t).is_ok(), parse_date(&t).is_some(), "{t}");
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
        assert_eq!(plain_date_ok("2020/10/07"), Ok(true));
        assert_eq!(plain_date_ok("2020/13/07"), Err(()));
        assert_eq!(plain_date_ok(""), Ok(false));
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
            assert_eq!(plain_amount(t), want, "{t}");
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
            assert!(same(a, b));
        }
        for (a, b) in [
            ("", "1"),
            ("390", "310"),
            ("普通居民", "普通人群"),
            ("64020520141226732X", "64020520141226732x"),
            ("640205201412267321", "740205201412267321"),
        ] {
            assert!(!same(a, b), "{a} {b}");
        }
    }

    #[test]
    fn the_fast_path_agrees_with_the_long_way_on_every_form() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("enrollment.csv");
        let mut text = format!("{HEADER}\n");
        // First a row with a blank 区划代码, while nothing is remembered.
        let mut blank_county = BASE;
        blank_county[4] = "";
        text.push_str(&blank_county.join(","));
        text.push('\n');
        for col in 0..BASE.len() {
            for v in variants(col) {
                // Each form twice, the second time after the base row, so
                // the remembered ID and texts are used both ways.
                for _ in 0..2 {
                    let mut row = BASE;
                    row[col] = v;
                    text.push_str(&row.join(","));
                    text.push('\n');
                }
                text.push_str(&BASE.join(","));
                text.push('\n');
            }
        }
        std::fs::write(&path, text).unwrap();
        let schemas = Schemas::embedded().unwrap();
        let schema = schemas.source(crate::domain::SourceKind::Enrollment);
        let meta = read_meta(&path, "enrollment.csv", schema).unwrap();
        let blocks = all_blocks(&path, "enrollment.csv", &meta);
        let ctx = test_ctx(&schemas.vocab);
        let mut m = Memo::default();
        let (mut fast_rows, mut rows) = (0, 0);
        for raw in blocks.iter().flat_map(RowBlock::iter) {
            let row = Row::new(&meta, raw);
            let fast = fast_history(&row, ctx, &mut m);
            if let Some(f) = fast {
                assert_eq!(Some(f), slow(&row, ctx), "line {}", raw.line);
                fast_rows += 1;
            }
            rows += 1;
        }
        assert!(rows > 200, "{rows}");
        // The base row and the plain forms of every field go the fast way.
        assert!(fast_rows > rows / 2, "{fast_rows} of {rows}");
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
}
