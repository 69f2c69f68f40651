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

use super::read::{RawRow, TableMeta};
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

/// The columns of a year the fast path reads (they change from one of a
/// person's years to the next), in this order.
const YEAR_COLS: [Col; 6] = [
    Col::Year,
    Col::Due,
    Col::Paid,
    Col::PayDate,
    Col::BenefitStart,
    Col::RepairYears,
];
const YEAR: usize = 0;
const DUE: usize = 1;
const PAID: usize = 2;
const PAY_DATE: usize = 3;
const BENEFIT_START: usize = 4;
const REPAIR: usize = 5;
/// The columns of the person, which a ledger repeats on each of their
/// rows ([`LastPerson`]).
const PERSON_COLS: [Col; 8] = [
    Col::IdNumber,
    Col::DocType,
    Col::Name,
    Col::Scheme,
    Col::Status,
    Col::RegionCode,
    Col::Rating,
    Col::DynamicGroup,
];

/// Results of pure lookups by the exact text as written, kept by one
/// reader task for one block of rows of one file ([`Memo::begin`]).
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
    /// The file whose columns `cols` describes (its address; 0: none).
    cols_of: usize,
    cols: Cols,
    /// The person fields of the last row whose person passed.
    last_person: LastPerson,
}

/// Where a file has the columns the fast path reads, looked up once.
#[derive(Default)]
struct Cols {
    /// The index of each of [`YEAR_COLS`] (`usize::MAX`: the file lacks it).
    year: [usize; YEAR_COLS.len()],
    /// The file's [`PERSON_COLS`] as runs of adjacent columns (first,
    /// last), in the file's order; `runs` of them. A column the file lacks
    /// is blank on every row, so it is in none.
    at: [(usize, usize); PERSON_COLS.len()],
    runs: usize,
}

impl Cols {
    fn of(table: &TableMeta) -> Cols {
        let mut person: Vec<usize> = PERSON_COLS.iter().filter_map(|&c| table.col(c)).collect();
        person.sort_unstable();
        person.dedup();
        let mut cols = Cols {
            year: YEAR_COLS.map(|c| table.col(c).unwrap_or(usize::MAX)),
            ..Cols::default()
        };
        for i in person {
            match cols.runs.checked_sub(1) {
                Some(r) if cols.at[r].1 + 1 == i => cols.at[r].1 = i,
                _ => {
                    cols.at[cols.runs] = (i, i);
                    cols.runs += 1;
                }
            }
        }
        cols
    }

    fn runs(&self) -> &[(usize, usize)] {
        &self.at[..self.runs]
    }
}

impl Memo {
    /// Forgets everything remembered: what a text gave holds for one file
    /// read under one context (region, policy, date), and a reader task's
    /// memo serves many files and, in a test binary, many runs. Called for
    /// each block of rows routed (thousands of rows).
    pub fn begin(&mut self) {
        *self = Memo::default();
    }

    /// Looks up where `table` has the columns read, once per file.
    #[inline]
    fn cols_for(&mut self, table: &TableMeta) {
        let at = std::ptr::from_ref(table) as usize;
        if self.cols_of != at {
            self.cols = Cols::of(table);
            self.cols_of = at;
        }
    }
}

/// The person fields ([`PERSON_COLS`]) of the last row whose person passed
/// every check, and what they gave: the checks depend on those bytes alone
/// (and the context), so a row whose person fields are the same bytes
/// passes them too (issue 15: a person's rows of other years repeat them).
/// Kept as each run of adjacent columns' bytes ([`Cols`]) and where its
/// fields end inside it, and compared a run at a time (the ID to the
/// rating, in the common layout, in one step) instead of each field looked
/// up. Rows of 256 bytes or more are checked the long way.
#[derive(Default)]
struct LastPerson {
    /// The runs' bytes, back to back, and each run's length.
    bytes: Vec<u8>,
    lens: [usize; PERSON_COLS.len()],
    /// Where each field but a run's last ends, from the run's start.
    inner: Vec<usize>,
    /// The packed ID and scheme; `None` before any person passed.
    gave: Option<(u64, Scheme)>,
}

impl LastPerson {
    /// What the last person gave, when `row`'s person fields are theirs.
    #[inline]
    fn is(&self, row: &RawRow<'_>, cols: &Cols) -> Option<(u64, Scheme)> {
        let gave = self.gave?;
        let (mut at, mut inner) = (0, self.inner.iter());
        for (&(first, last), &len) in cols.runs().iter().zip(&self.lens) {
            let (span, start, ends) = row.narrow_span(first, last)?;
            if !same(span, self.bytes.get(at..at + len)?) {
                return None;
            }
            for &e in ends {
                if usize::from(e).checked_sub(start) != inner.next().copied() {
                    return None;
                }
            }
            at += len;
        }
        Some(gave)
    }

    /// Remembers the person fields of `row`, whose person passed, and what
    /// they gave (nothing when the row is not one [`LastPerson::is`] reads).
    fn keep(&mut self, row: &RawRow<'_>, cols: &Cols, gave: (u64, Scheme)) {
        self.bytes.clear();
        self.inner.clear();
        self.gave = None;
        for (&(first, last), len) in cols.runs().iter().zip(&mut self.lens) {
            let Some((span, start, ends)) = row.narrow_span(first, last) else {
                return;
            };
            self.bytes.extend_from_slice(span);
            *len = span.len();
            self.inner
                .extend(ends.iter().map(|&e| usize::from(e).saturating_sub(start)));
        }
        self.gave = Some(gave);
    }
}

/// Whether two short texts are the same bytes, compared inline eight bytes
/// at a time (a `memcmp` call per field was the fast path's largest cost),
/// the last eight overlapping the word before (issue 15: the tail was
/// compared a byte at a time); four at a time below eight.
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n < 8 {
        return match n {
            4.. => word::<4>(a, 0) == word::<4>(b, 0) && word::<4>(a, n - 4) == word::<4>(b, n - 4),
            _ => a.iter().zip(b).all(|(x, y)| x == y),
        };
    }
    let mut i = 0;
    while i + 8 < n {
        if word::<8>(a, i) != word::<8>(b, i) {
            return false;
        }
        i += 8;
    }
    word::<8>(a, n - 8) == word::<8>(b, n - 8)
}

/// The `N` bytes of `s` at `i` as an array (compared as one word); zeros
/// past the end (never asked for: [`same`] reads inside both texts).
#[inline(always)]
fn word<const N: usize>(s: &[u8], i: usize) -> [u8; N] {
    s.get(i..i + N)
        .and_then(|w| <[u8; N]>::try_from(w).ok())
        .unwrap_or([0; N])
}

/// `f(text)`, remembered in `memo` by the exact text.
fn memo<T: Copy>(memo: &mut Vec<(Box<str>, T)>, text: &str, f: impl FnOnce(&str) -> T) -> T {
    if let Some((_, v)) = memo
        .iter()
        .find(|(k, _)| same(k.as_bytes(), text.as_bytes()))
    {
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
fn plain_amount(v: &[u8]) -> Result<Option<Fen>, ()> {
    if v.is_empty() {
        return Ok(None);
    }
    digits_fen(v).map(Some).ok_or(())
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
fn plain_date_ok(v: &[u8]) -> Result<bool, ()> {
    match v.len() {
        0 => Ok(false),
        10 => match dashed_date_ok(v) {
            Some(true) => Ok(true),
            Some(false) => Err(()),
            // Another 10-character form (`2020/10/07`): the general parser.
            None => std::str::from_utf8(v)
                .ok()
                .and_then(parse_date)
                .map(|_| true)
                .ok_or(()),
        },
        _ => Err(()),
    }
}

/// A year written as four plain digits.
#[inline]
fn plain_year(v: &[u8]) -> Option<i32> {
    match v {
        [a, b, c, d] if v.iter().all(u8::is_ascii_digit) => Some(
            [a, b, c, d]
                .iter()
                .fold(0, |n, &&x| n * 10 + i32::from(x - b'0')),
        ),
        _ => None,
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
/// conflict; `None` otherwise (the row then goes the long way). The
/// fields are read once, as bytes; the person's are checked only when they
/// are not the bytes of the last person who passed ([`LastPerson`]).
pub fn fast_history(row: &Row<'_>, ctx: ParseCtx<'_>, m: &mut Memo) -> Option<FastHistory> {
    let policy_year = ctx.policy_year?;
    m.cols_for(row.table());
    let f = row.raw().fields_at(&m.cols.year);
    let year = plain_year(f[YEAR])?;
    if !(1990..=2100).contains(&year) || year >= policy_year {
        return None;
    }
    let (key, scheme) = match m.last_person.is(row.raw(), &m.cols) {
        Some(gave) => gave,
        None => {
            let gave = person_ok(row, ctx, m)?;
            m.last_person.keep(row.raw(), &m.cols, gave);
            gave
        }
    };
    let due = match (scheme, plain_amount(f[DUE]).ok()?) {
        (_, Some(d)) => d,
        (Scheme::Employee, None) => Fen::ZERO,
        (Scheme::Resident, None) => return None,
    };
    let paid = plain_amount(f[PAID]).ok()?.unwrap_or(Fen::ZERO);
    let paid_on = plain_date_ok(f[PAY_DATE]).ok()?;
    if paid > Fen::ZERO && !paid_on {
        return None;
    }
    plain_date_ok(f[BENEFIT_START]).ok()?;
    let repair = f[REPAIR];
    if !(repair.is_empty() || (repair.len() <= 9 && repair.iter().all(u8::is_ascii_digit))) {
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

/// The checks of a row's person fields ([`PERSON_COLS`]: ID and document type,
/// name, scheme, status, 区划代码, rating, dynamic group), each as written;
/// the packed ID and the scheme when they all pass.
fn person_ok(row: &Row<'_>, ctx: ParseCtx<'_>, m: &mut Memo) -> Option<(u64, Scheme)> {
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
    if !status_known || !county_ok(row.untrimmed(Col::RegionCode), ctx, &mut m.last_county) {
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
    (rating_known && dynamic_known).then_some((key, scheme))
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
        if same(last.as_bytes(), id.as_bytes()) && same(last_doc.as_bytes(), doc_type.as_bytes()) {
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
        && ctx.policy.is_none_or(|p| {
            // The parsed county's scan of the policy's codes, not the map's
            // hashed string look-up (issue 15, i27h); the same answer
            // (`policy::invented_tests` checks `lists` against `lists_county`).
            crate::domain::County::parse(v).is_some_and(|c| p.lists(c))
        })
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
mod tests;
