//! Dates as departments export them, and calendar arithmetic for the rules.

use chrono::{Duration, NaiveDate};

use super::id::fullwidth_to_ascii;

/// Parses every date form the exports use:
/// `2025-11-05`, `2025/11/5`, `2025.11.5`, `20251105`, `2025年11月5日`, a
/// datetime (the time is dropped), or a month alone (`202511`, `2025-11`,
/// `2025年11月`) which means the first day of that month.
/// Returns `None` for anything else (the caller rejects with BAD_DATE).
pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    // The common form, without allocating: `2025-11-05`.
    let b = raw.as_bytes();
    if b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
    {
        let num =
            |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
        return NaiveDate::from_ymd_opt(num(0..4) as i32, num(5..7), num(8..10));
    }
    // Issue 15: ASCII text (every other form the exports write: `20251105`,
    // `2025/11/5`, a time after the date) is read in place; only full-width
    // digits and 年月日 need a cleaned copy.
    if raw.is_ascii() {
        return general_form(super::trim_ws(raw));
    }
    let s: String = raw.trim().chars().map(fullwidth_to_ascii).collect();
    general_form(&s)
}

/// A date as [`parse_date`] reads it, once full-width characters are ASCII:
/// a time part after a space or `T` is dropped, then 8 or 6 digits, or
/// year, month (and day) between `-`, `/`, `.` or 年/月(/日).
fn general_form(s: &str) -> Option<NaiveDate> {
    let s = super::trim_ws(s);
    // Drop a time part: "2025-11-05 10:23:00", "2025-11-05T10:23".
    let s = s.split([' ', 'T']).next().unwrap_or(s);
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return match s.len() {
            8 => ymd(&s[0..4], &s[4..6], &s[6..8]),
            6 => ymd(&s[0..4], &s[4..6], "1"),
            _ => None,
        };
    }
    let cleaned;
    let s = if s.is_ascii() {
        s
    } else {
        cleaned = s.replace(['年', '月'], "-").replace('日', "");
        &cleaned
    };
    let mut parts = s.split(['-', '/', '.']).filter(|p| !p.is_empty());
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(y), Some(m), Some(d), None) if y.len() == 4 => ymd(y, m, d),
        (Some(y), Some(m), None, None) if y.len() == 4 => ymd(y, m, "1"),
        _ => None,
    }
}

fn ymd(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    let all_digits =
        |t: &str| !t.is_empty() && t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit());
    if !(all_digits(y) && all_digits(m) && all_digits(d)) || m.len() > 2 || d.len() > 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// An Excel serial day number (1900 date system) as a date.
pub fn from_excel_serial(serial: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    base.checked_add_signed(Duration::days(serial.floor() as i64))
}

/// Adds calendar months, clamping to the month's last day
/// (2026-01-31 + 3 months = 2026-04-30). Saturates at the last date chrono
/// can hold (year 262143), which the policy limits keep far out of reach
/// (`policy::limits`): never a loop, never a panic.
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(chrono::Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// Adds days, saturating like [`add_months`].
pub fn add_days(date: NaiveDate, days: u32) -> NaiveDate {
    date.checked_add_signed(Duration::days(i64::from(days)))
        .unwrap_or(NaiveDate::MAX)
}

/// Formats a date the way every report prints it (`YYYY-MM-DD`).
pub fn fmt_date(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The allocation-free `YYYY-MM-DD` path agrees with the general parser.
    #[test]
    fn fast_form_agrees_with_the_general_parser() {
        for y in [1899, 2000, 2024, 2025] {
            for m in 0..=13 {
                for d in 0..=32 {
                    let s = format!("{y:04}-{m:02}-{d:02}");
                    let general = ymd(&s[0..4], &s[5..7], &s[8..10]);
                    assert_eq!(parse_date(&s), general, "{s}");
                }
            }
        }
    }

    /// The general parser as it was before the in-place path (issue 15):
    /// every text cleaned into a copy first, its parts collected.
    fn parse_date_copying(raw: &str) -> Option<NaiveDate> {
        let s: String = raw.trim().chars().map(fullwidth_to_ascii).collect();
        let s = s.trim();
        let s = s.split([' ', 'T']).next().unwrap_or(s);
        if s.is_empty() {
            return None;
        }
        if s.bytes().all(|b| b.is_ascii_digit()) {
            return match s.len() {
                8 => ymd(&s[0..4], &s[4..6], &s[6..8]),
                6 => ymd(&s[0..4], &s[4..6], "1"),
                _ => None,
            };
        }
        let cleaned = s.replace(['年', '月'], "-").replace('日', "");
        let parts: Vec<&str> = cleaned
            .split(['-', '/', '.'])
            .filter(|p| !p.is_empty())
            .collect();
        match parts.as_slice() {
            [y, m, d] if y.len() == 4 => ymd(y, m, d),
            [y, m] if y.len() == 4 => ymd(y, m, "1"),
            _ => None,
        }
    }

    /// Every text built from date-like pieces (digits, separators, times,
    /// full-width digits, 年月日, spaces) reads as the copying parser read it.
    #[test]
    fn in_place_reading_agrees_with_the_copying_parser() {
        let pieces = [
            "2025",
            "1899",
            "0000",
            "11",
            "1",
            "02",
            "29",
            "30",
            "5",
            "13",
            "123",
            "20251105",
            "202511",
            "2024022",
            "-",
            "/",
            ".",
            " ",
            "T",
            "年",
            "月",
            "日",
            "１",
            "２０２５",
            "－",
            "　",
            "10:23:00",
            "x",
            "",
        ];
        let mut rng = fastrand::Rng::with_seed(15);
        let mut checked = 0;
        for _ in 0..200_000 {
            let n = rng.usize(1..7);
            let s: String = (0..n).map(|_| pieces[rng.usize(..pieces.len())]).collect();
            assert_eq!(parse_date(&s), parse_date_copying(&s), "{s:?}");
            checked += usize::from(parse_date(&s).is_some());
        }
        // Some of the texts were dates, not only rejects.
        assert!(checked > 1_000, "{checked}");
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn month_and_day_arithmetic_clamps_and_saturates() {
        assert_eq!(add_months(d(2026, 1, 31), 3), d(2026, 4, 30));
        assert_eq!(add_months(d(2026, 1, 31), 4), d(2026, 5, 31));
        assert_eq!(add_months(d(2024, 1, 31), 1), d(2024, 2, 29));
        assert_eq!(add_months(d(2026, 1, 31), 0), d(2026, 1, 31));
        assert_eq!(add_months(d(2026, 1, 31), u32::MAX), NaiveDate::MAX);
        assert_eq!(add_days(d(2026, 1, 1), 90), d(2026, 4, 1));
        assert_eq!(add_days(d(2026, 1, 1), u32::MAX), NaiveDate::MAX);
    }

    #[test]
    fn every_listed_form() {
        let want = d(2025, 11, 5);
        for s in [
            "2025-11-05",
            "2025/11/5",
            "20251105",
            "2025年11月5日",
            "2025-11-05 10:23:00",
            "2025/11/5 8:00",
            " 2025-11-05 ",
            "2025.11.05",
        ] {
            assert_eq!(parse_date(s), Some(want), "{s}");
        }
    }

    #[test]
    fn month_alone_is_first_day() {
        assert_eq!(parse_date("202511"), Some(d(2025, 11, 1)));
        assert_eq!(parse_date("2025-11"), Some(d(2025, 11, 1)));
        assert_eq!(parse_date("2025年11月"), Some(d(2025, 11, 1)));
    }

    #[test]
    fn rejects_nonsense() {
        for s in [
            "",
            "2025-13-40",
            "2025-02-30",
            "45962",
            "11/05/2025",
            "昨天",
            "2025-1-1-1",
            "2025-011-01",
        ] {
            assert_eq!(parse_date(s), None, "{s}");
        }
    }

    #[test]
    fn excel_serial() {
        assert_eq!(from_excel_serial(45966.0), Some(d(2025, 11, 5)));
        assert_eq!(from_excel_serial(45966.75), Some(d(2025, 11, 5)));
        assert_eq!(from_excel_serial(-1.0), None);
    }

    #[test]
    fn month_arithmetic_clamps() {
        assert_eq!(add_months(d(2026, 1, 31), 3), d(2026, 4, 30));
        assert_eq!(add_months(d(2025, 11, 30), 3), d(2026, 2, 28));
        assert_eq!(add_months(d(2026, 1, 10), 3), d(2026, 4, 10));
        assert_eq!(add_months(d(2026, 12, 31), 14), d(2028, 2, 29));
    }
}
