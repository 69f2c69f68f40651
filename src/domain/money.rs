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
}

impl Add for Fen {
    type Output = Fen;
    fn add(self, rhs: Fen) -> Fen {
        Fen(self.0 + rhs.0)
    }
}

impl Sub for Fen {
    type Output = Fen;
    fn sub(self, rhs: Fen) -> Fen {
        Fen(self.0 - rhs.0)
    }
}

impl std::iter::Sum for Fen {
    fn sum<I: Iterator<Item = Fen>>(iter: I) -> Fen {
        Fen(iter.map(|f| f.0).sum())
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
    fn prints_two_decimals() {
        assert_eq!(Fen(32000).to_string(), "320.00");
        assert_eq!(Fen(-32000).to_string(), "-320.00");
        assert_eq!(Fen(5).to_string(), "0.05");
        assert_eq!(Fen(0).to_string(), "0.00");
    }
}
