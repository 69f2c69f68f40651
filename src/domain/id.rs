//! Person identifiers (身份证号 and other 证件), validated once at the edge.
//!
//! After [`parse_person_id`] succeeds the rest of the pipeline only sees a
//! [`PersonId`]: a document type plus a normalised number. Two records are the
//! same person exactly when both parts are equal, so a newborn registered under a
//! parent's number with type `99` never merges with the parent.

use chrono::{Datelike, NaiveDate};
use std::fmt;

/// 证件类型 code of the mainland resident ID card (居民身份证).
pub const RESIDENT_ID: &str = "01";

/// One person's key: (证件类型, 号码).
///
/// A resident ID (the overwhelming case) is packed into a `u64` — the 17
/// digits times 11 plus the check character (X = 10) — so a province's
/// records cost no allocation for their key and compare as integers, in the
/// same order as the printed numbers. Other document types keep their text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PersonId {
    Resident(u64),
    Other(Box<(Box<str>, Box<str>)>),
}

impl PersonId {
    fn resident(number: &str) -> Option<PersonId> {
        let b = number.as_bytes();
        if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
            return None;
        }
        let first: u64 = number[..17].parse().ok()?;
        let check = match b[17] {
            b'X' => 10,
            d if d.is_ascii_digit() => u64::from(d - b'0'),
            _ => return None,
        };
        Some(PersonId::Resident(first * 11 + check))
    }

    /// The normalised number as written in reports.
    pub fn number(&self) -> String {
        match self {
            PersonId::Resident(v) => match resident_text(*v) {
                Some(b) => String::from_utf8_lossy(&b).into_owned(),
                None => format!("{:017}{}", v / 11, packed_check(*v)),
            },
            PersonId::Other(o) => o.1.to_string(),
        }
    }

    /// The 证件类型 code (`01` for a resident ID card).
    pub fn doc_type(&self) -> &str {
        match self {
            PersonId::Resident(_) => RESIDENT_ID,
            PersonId::Other(o) => &o.0,
        }
    }

    /// The year of birth a resident ID encodes, its date not checked
    /// (`None` for other document types): enough to tell most persons
    /// from newborns without building the date (issue 15).
    pub fn birth_year(&self) -> Option<i32> {
        match self {
            PersonId::Resident(v) => i32::try_from(v / 11 / 10_000_000 % 10_000).ok(),
            PersonId::Other(_) => None,
        }
    }

    /// Birth date encoded in a resident ID (`None` for other document types).
    pub fn birth_date(&self) -> Option<NaiveDate> {
        match self {
            PersonId::Resident(v) => {
                let ymd = (v / 11 / 1000) % 100_000_000;
                NaiveDate::from_ymd_opt(
                    (ymd / 10_000) as i32,
                    ((ymd / 100) % 100) as u32,
                    (ymd % 100) as u32,
                )
            }
            PersonId::Other(_) => None,
        }
    }

    /// The ID masked for logs: first six and last four characters kept.
    pub fn masked(&self) -> String {
        mask(&self.number())
    }
}

impl fmt::Display for PersonId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PersonId::Resident(v) => match resident_text(*v) {
                Some(b) => f.write_str(std::str::from_utf8(&b).map_err(|_| fmt::Error)?),
                None => f.write_str(&self.number()),
            },
            PersonId::Other(o) => write!(f, "{}:{}", o.0, o.1),
        }
    }
}

/// The check character of a packed resident ID (X for 10).
fn packed_check(v: u64) -> char {
    match v % 11 {
        10 => 'X',
        d => char::from(b'0' + d as u8),
    }
}

/// A packed resident ID's 18 characters, written digit by digit (issue 15:
/// every list prints IDs, and `format!("{:017}…")` cost an allocation and
/// `core::fmt`'s padding per ID, ≈ 0.9 % of a 10 M run). `None` for a value
/// no parsed ID gives (more than 17 digits), which `format!` prints.
fn resident_text(v: u64) -> Option<[u8; 18]> {
    let mut n = v / 11;
    if n >= 100_000_000_000_000_000 {
        return None;
    }
    let mut out = [b'0'; 18];
    out[17] = packed_check(v) as u8;
    for d in out[..17].iter_mut().rev() {
        *d = b'0' + (n % 10) as u8;
        n /= 10;
    }
    Some(out)
}

/// Why an ID failed GB 11643-1999 checks (maps to a reject reason code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdError {
    /// Not 18 characters of 17 digits plus a digit or `X` (after normalising).
    Length,
    /// The ISO 7064 MOD 11-2 check character does not match.
    Checksum,
    /// The embedded birth date is not a real date, or lies after the as-of date.
    BirthDate,
    /// The first two digits are not a province-level code.
    Region,
    /// The value is blank.
    Blank,
}

/// Masks any identifier-like text for logs (`640102********1234`).
pub fn mask(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= 10 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 10))
}

/// Strips what spreadsheets and people add around an ID: spaces, a leading `'`,
/// an `="…"` wrapper; full-width digits and letters become ASCII; `x` becomes `X`.
pub fn normalise_id_text(raw: &str) -> String {
    let mut s: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{feff}')
        .map(fullwidth_to_ascii)
        .collect();
    if let Some(inner) = s.strip_prefix("=\"").and_then(|r| r.strip_suffix('"')) {
        s = inner.to_string();
    }
    let s = s.trim_start_matches('\'').trim_matches('"');
    s.to_ascii_uppercase()
}

/// Maps a full-width ASCII variant (`０`–`９`, `Ｘ`, `＝`, …) to its ASCII form.
pub fn fullwidth_to_ascii(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: [u8; 11] = *b"10X98765432";

/// ISO 7064 MOD 11-2 check character for the first 17 digits.
///
/// Without a branch per digit (issue 15: it runs for every ID of every row,
/// ~1 % of a province's run): every byte is weighed, and whether one was
/// not a digit is decided once at the end.
pub fn check_char(first17: &[u8]) -> Option<u8> {
    let digits: &[u8; 17] = first17.try_into().ok()?;
    let mut sum = 0u32;
    let mut not_digit = false;
    for (&b, w) in digits.iter().zip(WEIGHTS) {
        let d = b.wrapping_sub(b'0');
        not_digit |= d > 9;
        sum += u32::from(d) * w;
    }
    match not_digit {
        true => None,
        false => Some(CHECK_CHARS[(sum % 11) as usize]),
    }
}

/// Province-level codes that exist (GB/T 2260), plus 81/82/83 for the
/// residence permits of Hong Kong, Macao and Taiwan residents.
fn province_exists(code: u32) -> bool {
    matches!(code, 11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81..=83)
}

fn birth_date_of(number: &str) -> Option<NaiveDate> {
    let digits = number.get(6..14)?;
    let y: i32 = digits.get(0..4)?.parse().ok()?;
    let m: u32 = digits.get(4..6)?.parse().ok()?;
    let d: u32 = digits.get(6..8)?.parse().ok()?;
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Converts a 15-digit legacy ID to 18 digits: `19` before the two-digit year,
/// and a computed check character.
pub fn upgrade_15(number: &str) -> Option<String> {
    if number.len() != 15 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut out = String::with_capacity(18);
    out.push_str(&number[..6]);
    out.push_str("19");
    out.push_str(&number[6..]);
    let c = check_char(out.as_bytes())?;
    out.push(c as char);
    Some(out)
}

/// Validates a resident ID number (GB 11643-1999) and returns it normalised.
/// `as_of` bounds the birth date: nobody on a roster is born after the run date.
pub fn validate_resident_id(raw: &str, as_of: NaiveDate) -> Result<String, IdError> {
    let text = normalise_id_text(raw);
    if text.is_empty() {
        return Err(IdError::Blank);
    }
    let number = if text.len() == 15 {
        upgrade_15(&text).ok_or(IdError::Length)?
    } else {
        text
    };
    let bytes = number.as_bytes();
    let shape_ok = bytes.len() == 18
        && bytes[..17].iter().all(u8::is_ascii_digit)
        && (bytes[17].is_ascii_digit() || bytes[17] == b'X');
    if !shape_ok {
        return Err(IdError::Length);
    }
    if check_char(&bytes[..17]) != Some(bytes[17]) {
        return Err(IdError::Checksum);
    }
    match birth_date_of(&number) {
        Some(b) if b <= as_of && b.year() >= 1880 => {}
        _ => return Err(IdError::BirthDate),
    }
    let province: u32 = number[..2].parse().map_err(|_| IdError::Length)?;
    if !province_exists(province) {
        return Err(IdError::Region);
    }
    Ok(number)
}

/// Validates a number of any document type and builds the person key.
///
/// * `01` (or blank type): the full GB 11643 checks.
/// * a foreigner's permanent-residence ID (18 characters starting with `9`):
///   the same check character, no region or birth-date check.
/// * every other type: kept as written (normalised), keyed by its type.
pub fn parse_person_id(raw: &str, doc_type: &str, as_of: NaiveDate) -> Result<PersonId, IdError> {
    if let Some(done) = resident_fast(raw, doc_type, as_of) {
        return done;
    }
    let doc_type = normalise_doc_type(doc_type);
    if doc_type == RESIDENT_ID {
        let number = validate_resident_id(raw, as_of)?;
        return PersonId::resident(&number).ok_or(IdError::Length);
    }
    let text = normalise_id_text(raw);
    if text.is_empty() {
        return Err(IdError::Blank);
    }
    let foreign_permanent = text.len() == 18
        && text.starts_with('9')
        && text.bytes().take(17).all(|b| b.is_ascii_digit());
    if foreign_permanent && check_char(&text.as_bytes()[..17]) != Some(text.as_bytes()[17]) {
        return Err(IdError::Checksum);
    }
    Ok(PersonId::Other(Box::new((doc_type.into(), text.into()))))
}

/// The common case without allocating: a resident ID (type blank, `1` or
/// `01`) written as 18 plain ASCII characters, `x` allowed. The same checks
/// in the same order as [`validate_resident_id`]; `None` sends anything
/// else the long way.
fn resident_fast(raw: &str, doc_type: &str, as_of: NaiveDate) -> Option<Result<PersonId, IdError>> {
    if !matches!(doc_type.trim(), "" | "1" | "01") {
        return None;
    }
    let b = raw.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let last = b[17].to_ascii_uppercase();
    if !(last.is_ascii_digit() || last == b'X') {
        return None;
    }
    if check_char(&b[..17]) != Some(last) {
        return Some(Err(IdError::Checksum));
    }
    let num =
        |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
    match NaiveDate::from_ymd_opt(num(6..10) as i32, num(10..12), num(12..14)) {
        Some(d) if d <= as_of && d.year() >= 1880 => {}
        _ => return Some(Err(IdError::BirthDate)),
    }
    if !province_exists(num(0..2)) {
        return Some(Err(IdError::Region));
    }
    let first = b[..17]
        .iter()
        .fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
    let check = if last == b'X' {
        10
    } else {
        u64::from(last - b'0')
    };
    Some(Ok(PersonId::Resident(first * 11 + check)))
}

/// `1` → `01`; blank → `01`; anything else as written (trimmed).
fn normalise_doc_type(doc_type: &str) -> String {
    let t: String = doc_type.trim().chars().map(fullwidth_to_ascii).collect();
    match t.as_str() {
        "" | "1" | "01" | "居民身份证" | "身份证" | "居民身份证(户口簿)" => {
            RESIDENT_ID.to_string()
        }
        other if other.len() == 1 && other.bytes().all(|b| b.is_ascii_digit()) => {
            format!("0{other}")
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 31).unwrap()
    }

    /// A resident ID prints as the 18 characters it was read from, X and
    /// leading zeros included (issue 15: written digit by digit).
    #[test]
    fn a_resident_id_prints_as_read() {
        for id in [
            "640104196804121025",
            "64010419680412102X",
            "000000000000000000",
            "000000000000000019",
            "99999999999999999X",
        ] {
            let p = PersonId::resident(id).unwrap();
            assert_eq!(p.number(), id);
            assert_eq!(p.to_string(), id);
        }
        // No parsed ID packs more than 17 digits; such a value still
        // prints as the general formatting does.
        let big = PersonId::Resident(100_000_000_000_000_000 * 11 + 3);
        assert_eq!(big.number(), "1000000000000000003");
        assert_eq!(big.to_string(), "1000000000000000003");
    }

    /// The allocation-free path gives exactly what the general one does.
    #[test]
    fn fast_path_agrees_with_the_long_way() {
        let mut rng = fastrand::Rng::with_seed(7);
        let mut taken = 0;
        for _ in 0..50_000 {
            let province = ["64", "15", "11", "19", "00", "82", "99"][rng.usize(..7)];
            let body = format!(
                "{province}{:04}{:04}{:02}{:02}{:03}",
                rng.u32(..10_000),
                rng.u32(1870..2030),
                rng.u32(0..14),
                rng.u32(0..33),
                rng.u32(..1000)
            );
            let check = match rng.u8(..4) {
                0 => ["0", "5", "X", "x"][rng.usize(..4)].to_string(),
                _ => (check_char(body.as_bytes()).unwrap() as char).to_string(),
            };
            let id = body + &check;
            let slow = validate_resident_id(&id, t()).map(|n| PersonId::resident(&n).unwrap());
            for doc in ["", "01", "1", " 01 "] {
                let fast = resident_fast(&id, doc, t()).expect("taken");
                assert_eq!(fast, slow, "{id}");
                assert_eq!(parse_person_id(&id, doc, t()), slow, "{id}");
            }
            taken += usize::from(slow.is_ok());
        }
        assert!(taken > 5_000, "{taken} valid IDs");
        // Anything unusual goes the long way.
        for odd in [
            " 640104199001011234",
            "６40104199001011234",
            "64010419900101123",
            "'640104199001011234",
        ] {
            assert!(resident_fast(odd, "", t()).is_none(), "{odd}");
        }
        assert!(resident_fast("640104199001011234", "99", t()).is_none());
    }

    fn with_check(first17: &str) -> String {
        let c = check_char(first17.as_bytes()).unwrap();
        format!("{first17}{}", c as char)
    }

    #[test]
    fn accepts_valid_id_and_reads_birth_date() {
        let id = with_check("64010419800101123");
        let p = parse_person_id(&id, "", t()).unwrap();
        assert_eq!(p.number(), id);
        assert_eq!(p.birth_date(), NaiveDate::from_ymd_opt(1980, 1, 1));
    }

    #[test]
    fn check_char_refuses_every_non_digit_in_every_place() {
        let base = *b"64010419800101123";
        for at in 0..17 {
            for byte in (0..=255u8).filter(|b| !b.is_ascii_digit()) {
                let mut first17 = base;
                first17[at] = byte;
                assert_eq!(check_char(&first17), None, "byte {byte} at {at}");
            }
        }
        assert_eq!(check_char(&base[..16]), None);
        assert_eq!(check_char(b"640104198001011234"), None);
        // MOD 11-2 by its definition: Σ digit·2^(17−i) mod 11 picks "10X98765432".
        for n in [
            0u64,
            1,
            64010419800101123,
            99999999999999999,
            11010519491231002,
        ] {
            let first17 = format!("{n:017}");
            let sum: u64 = first17
                .bytes()
                .enumerate()
                .map(|(i, d)| u64::from(d - b'0') * (1u64 << (17 - i)) % 11)
                .sum();
            let want = b"10X98765432"[(sum % 11) as usize];
            assert_eq!(check_char(first17.as_bytes()), Some(want), "{first17}");
        }
    }

    #[test]
    fn known_public_example_checksum() {
        // The GB 11643 textbook example 11010519491231002X.
        assert_eq!(check_char(b"11010519491231002"), Some(b'X'));
        assert!(validate_resident_id("11010519491231002x", t()).is_ok());
    }

    #[test]
    fn strips_excel_wrappers_and_fullwidth() {
        let id = with_check("64010419800101123");
        assert_eq!(validate_resident_id(&format!("'{id}"), t()).unwrap(), id);
        assert_eq!(
            validate_resident_id(&format!("=\"{id}\""), t()).unwrap(),
            id
        );
        assert_eq!(validate_resident_id(&format!(" {id} "), t()).unwrap(), id);
        let full: String = id
            .chars()
            .map(|c| char::from_u32(c as u32 + 0xfee0).unwrap())
            .collect();
        assert_eq!(validate_resident_id(&full, t()).unwrap(), id);
    }

    #[test]
    fn upgrades_15_digit_ids() {
        let up = validate_resident_id("640104800101123", t()).unwrap();
        assert_eq!(up.len(), 18);
        assert_eq!(&up[..6], "640104");
        assert_eq!(&up[6..14], "19800101");
        assert_eq!(up, with_check("64010419800101123"));
    }

    #[test]
    fn rejects_each_class() {
        assert_eq!(
            validate_resident_id("6401041980010112", t()),
            Err(IdError::Length)
        );
        assert_eq!(
            validate_resident_id("64010419800101123A", t()),
            Err(IdError::Length)
        );
        let good = with_check("64010419800101123");
        let last = good.as_bytes()[17];
        let wrong = if last == b'0' { '1' } else { '0' };
        let bad = format!("{}{wrong}", &good[..17]);
        assert_eq!(validate_resident_id(&bad, t()), Err(IdError::Checksum));
        assert_eq!(
            validate_resident_id(&with_check("64010419990231123"), t()),
            Err(IdError::BirthDate)
        );
        assert_eq!(
            validate_resident_id(&with_check("64010420270101123"), t()),
            Err(IdError::BirthDate)
        );
        assert_eq!(
            validate_resident_id(&with_check("99010419800101123"), t()),
            Err(IdError::Region)
        );
        assert_eq!(validate_resident_id("  ", t()), Err(IdError::Blank));
    }

    #[test]
    fn other_document_types_never_merge_with_resident_ids() {
        let id = with_check("64010419800101123");
        let parent = parse_person_id(&id, "01", t()).unwrap();
        let newborn = parse_person_id(&id, "99", t()).unwrap();
        assert_ne!(parent, newborn);
        assert_eq!(newborn.birth_date(), None);
        assert_eq!(newborn.number(), id);
        assert_eq!(newborn.doc_type(), "99");
    }

    #[test]
    fn packed_ids_round_trip_and_sort_like_text() {
        let mut texts = vec![
            with_check("64010419800101123"),
            "11010519491231002X".to_string(),
            with_check("64010419800101124"),
            with_check("15210119620621113"),
        ];
        let mut ids: Vec<PersonId> = texts
            .iter()
            .map(|t| parse_person_id(t, "", t_date()).unwrap())
            .collect();
        for (id, t) in ids.iter().zip(&texts) {
            assert_eq!(&id.number(), t);
            assert_eq!(&id.to_string(), t);
        }
        ids.sort();
        texts.sort();
        let back: Vec<String> = ids.iter().map(PersonId::number).collect();
        assert_eq!(back, texts);
        assert_eq!(ids[0].birth_date(), NaiveDate::from_ymd_opt(1949, 12, 31));
    }

    fn t_date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 31).unwrap()
    }

    #[test]
    fn masks_for_logs() {
        assert_eq!(mask("640104198001011234"), "640104********1234");
    }
}
