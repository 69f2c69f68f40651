//! County codes (县级区划代码): six ASCII digits held inline, so the hundreds
//! of millions of records of a province carry no allocation for them.

use std::fmt;
use std::ops::Deref;

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct County([u8; 6]);

impl County {
    /// Issue 11: a roster row's county before it is placed (a roster with no
    /// region column; see `ingest::regionless`). Never reaches the rules.
    pub const UNPLACED: County = County(*b"000000");

    /// The first six digits of a 6-, 9- or 12-digit division code.
    pub fn parse(digits: &str) -> Option<County> {
        let b = digits.as_bytes();
        if b.len() < 6 || !b[..6].iter().all(u8::is_ascii_digit) {
            return None;
        }
        let mut c = [0u8; 6];
        c.copy_from_slice(&b[..6]);
        Some(County(c))
    }

    /// The code as a number (`640104` → 640,104), below 1,000,000.
    pub fn number(self) -> u32 {
        self.0
            .iter()
            .fold(0, |n, d| n * 10 + u32::from(d.wrapping_sub(b'0') % 10))
    }
}

impl Deref for County {
    type Target = str;
    fn deref(&self) -> &str {
        // Built only from ASCII digits in `parse`.
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}

impl fmt::Display for County {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl fmt::Debug for County {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "County({})", &**self)
    }
}

#[cfg(test)]
mod tests {
    use super::County;

    #[test]
    fn keeps_six_digits() {
        assert_eq!(&*County::parse("640104001001").unwrap(), "640104");
        assert!(County::parse("64010").is_none());
        assert!(County::parse("64a104").is_none());
        assert!(County::parse("640104").unwrap() < County::parse("640105").unwrap());
    }
}
