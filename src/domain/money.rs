//! Money as integer fen (分). Never floats.

use serde::{de, Deserialize, Deserializer};
use std::fmt;
use std::ops::{Add, Sub};

use super::id::fullwidth_to_ascii;

/// An amount of money in fen (1 元 = 100 分).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Fen(pub i64);

impl Fen {
    pub const ZERO: Fen = Fen(0);

    /// Whole yuan as fen.
    pub const fn yuan(y: i64) -> Fen {
        Fen(y * 100)
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    pub fn checked_add(self, rhs: Fen) -> Option<Fen> {
        self.0.checked_add(rhs.0).map(Fen)
    }

    /// `self × n` (a per-capita amount times persons), `None` past `i64`.
    pub fn checked_times(self, n: u64) -> Option<Fen> {
        i64::try_from(n)
            .ok()
            .and_then(|n| self.0.checked_mul(n))
            .map(Fen)
    }

    /// `self × n` for totals already checked to fit ([`Fen::checked_times`]).
    pub fn times(self, n: u64) -> Fen {
        self.checked_times(n).unwrap_or_else(|| overflow("×"))
    }

    /// `self × num / den`, rounded toward zero (a share in percent or basis
    /// points), computed in 128 bits so no intermediate product overflows.
    pub fn share(self, num: u32, den: u32) -> Fen {
        let v = i128::from(self.0) * i128::from(num) / i128::from(den.max(1));
        i64::try_from(v)
            .map(Fen)
            .unwrap_or_else(|_| overflow("share"))
    }
}

/// Money never wraps: a total past `i64` fen stops the program. Run totals are
/// checked against that limit before the reports add them up
/// (`report::totals::check`), so reaching this is a bug, not bad data.
#[cold]
fn overflow(op: &str) -> ! {
    panic!("money arithmetic overflowed i64 fen at `{op}` (this is a bug in yibao-recon: totals are checked before reports add them up)")
}

impl Add for Fen {
    type Output = Fen;
    fn add(self, rhs: Fen) -> Fen {
        self.checked_add(rhs).unwrap_or_else(|| overflow("+"))
    }
}

impl Sub for Fen {
    type Output = Fen;
    fn sub(self, rhs: Fen) -> Fen {
        self.0
            .checked_sub(rhs.0)
            .map(Fen)
            .unwrap_or_else(|| overflow("-"))
    }
}

impl std::iter::Sum for Fen {
    fn sum<I: Iterator<Item = Fen>>(iter: I) -> Fen {
        iter.fold(Fen::ZERO, |a, b| a + b)
    }
}

/// Prints yuan with two decimals (`320.00`, `-320.00`).
impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl Fen {
    /// Yuan with thousands separators, as read on a page: `1,234,567.89`,
    /// `-1,200.00` (issue 16: the dashboard's sums were hard to read).
    pub fn grouped(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let digits = (abs / 100).to_string();
        let mut int = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, d) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                int.push(',');
            }
            int.push(d);
        }
        format!("{sign}{int}.{:02}", abs % 100)
    }
}

/// Parses yuan with up to two decimals: `400`, `400.00`, `￥400`, `¥400`,
/// `1,100.00`, `400元`. Negative amounts and anything else are `None`
/// (the caller rejects with BAD_AMOUNT).
pub fn parse_yuan(raw: &str) -> Option<Fen> {
    // The common form (`400`, `400.00`) needs no cleaning, so no allocation.
    if !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return parse_plain(raw);
    }
    let s: String = raw
        .trim()
        .chars()
        .map(fullwidth_to_ascii)
        .filter(|c| !matches!(c, ',' | ' ' | '，'))
        .collect();
    parse_plain(s.trim_start_matches(['¥', '￥']).trim_end_matches('元'))
}

/// Digits with at most two decimals, nothing else.
fn parse_plain(s: &str) -> Option<Fen> {
    if s.is_empty() {
        return None;
    }
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, f),
        None => (s, ""),
    };
    if whole.is_empty() || whole.len() > 12 || frac.len() > 2 {
        return None;
    }
    if !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if s.ends_with('.') {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let frac: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    Some(Fen(whole * 100 + frac))
}

/// Policy files may write an amount as an integer number of yuan (`400`) or as
/// a string (`"400.00"`); both become fen without touching floats.
impl<'de> Deserialize<'de> for Fen {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Fen, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Fen;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "an amount in yuan: an integer such as 400 or a string such as \"400.00\"",
                )
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Fen, E> {
                if v < 0 {
                    return Err(E::custom("金额不能为负 (amounts are never negative)"));
                }
                v.checked_mul(100).map(Fen).ok_or_else(|| {
                    E::custom(format!(
                        "{v} 元超出可计算范围 ({v} yuan is too large to compute with)"
                    ))
                })
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Fen, E> {
                i64::try_from(v)
                    .ok()
                    .and_then(|y| y.checked_mul(100))
                    .map(Fen)
                    .ok_or_else(|| {
                        E::custom(format!(
                            "{v} 元超出可计算范围 ({v} yuan is too large to compute with)"
                        ))
                    })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Fen, E> {
                parse_yuan(v).ok_or_else(|| {
                    E::custom(format!("`{v}` is not an amount in yuan (e.g. \"400.00\")"))
                })
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Fen, E> {
                Err(E::custom(
                    "write a decimal amount as a string, e.g. \"80.50\" (money is never a float)",
                ))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn grouped_puts_a_comma_every_three_digits() {
        use super::Fen;
        assert_eq!(Fen(0).grouped(), "0.00");
        assert_eq!(Fen(99_999).grouped(), "999.99");
        assert_eq!(Fen(100_000).grouped(), "1,000.00");
        assert_eq!(Fen(12_345_678_901).grouped(), "123,456,789.01");
        assert_eq!(Fen(-120_000).grouped(), "-1,200.00");
        assert_eq!(Fen(i64::MIN).grouped(), "-92,233,720,368,547,758.08");
    }

    use super::*;

    #[test]
    fn every_listed_form() {
        assert_eq!(parse_yuan("400"), Some(Fen(40000)));
        assert_eq!(parse_yuan("400.00"), Some(Fen(40000)));
        assert_eq!(parse_yuan("￥400"), Some(Fen(40000)));
        assert_eq!(parse_yuan("¥400.5"), Some(Fen(40050)));
        assert_eq!(parse_yuan("1,100.00"), Some(Fen(110000)));
        assert_eq!(parse_yuan("400元"), Some(Fen(40000)));
        assert_eq!(parse_yuan("０.０５"), Some(Fen(5)));
    }

    #[test]
    fn rejects_nonsense() {
        for s in [
            "", "四百", "400.001", "-400", "4e2", "400.", ".5", "1.2.3", "NaN",
        ] {
            assert_eq!(parse_yuan(s), None, "{s}");
        }
    }

    #[test]
    fn arithmetic_is_checked() {
        assert_eq!(Fen(i64::MAX).checked_add(Fen(1)), None);
        assert_eq!(Fen(70_000).checked_times(3), Some(Fen(210_000)));
        assert_eq!(Fen(i64::MAX).checked_times(2), None);
        assert_eq!(Fen(1).checked_times(u64::MAX), None);
        // 128-bit intermediates: no overflow before the division.
        assert_eq!(
            Fen(i64::MAX).share(8000, 10_000),
            Fen(7_378_697_629_483_820_645)
        );
        assert_eq!(Fen(42000).share(30, 100), Fen(12600));
        assert!(std::panic::catch_unwind(|| Fen(i64::MAX) + Fen(1)).is_err());
        assert!(std::panic::catch_unwind(|| Fen(i64::MIN) - Fen(1)).is_err());
        assert!(
            std::panic::catch_unwind(|| [Fen(i64::MAX), Fen(1)].into_iter().sum::<Fen>()).is_err()
        );
    }

    #[test]
    fn prints_two_decimals() {
        assert_eq!(Fen(32000).to_string(), "320.00");
        assert_eq!(Fen(-32000).to_string(), "-320.00");
        assert_eq!(Fen(5).to_string(), "0.05");
        assert_eq!(Fen(0).to_string(), "0.00");
    }
}
