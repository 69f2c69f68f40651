//! Issue 15: the counties a policy lists (`[counties]`), as a set every
//! input row's county is checked against — a bit per 6-digit code, so the
//! check is one load whatever the number of counties (the string map's
//! search, and then a scan or a binary search of the codes, were measured
//! costs of every row).

use crate::domain::County;

/// Codes `000000`–`999999`, one bit each (125 KB when anything is listed).
const CODES: usize = 1_000_000;

/// A set of counties.
#[derive(Debug, Clone, Default)]
pub struct Listed {
    bits: Vec<u64>,
}

impl Listed {
    pub fn insert(&mut self, c: County) {
        if self.bits.is_empty() {
            self.bits = vec![0; CODES.div_ceil(64)];
        }
        let n = c.number() as usize;
        self.bits[n / 64] |= 1 << (n % 64);
    }

    pub fn contains(&self, c: County) -> bool {
        let n = c.number() as usize;
        self.bits
            .get(n / 64)
            .is_some_and(|w| w & (1 << (n % 64)) != 0)
    }

    pub fn clear(&mut self) {
        self.bits.clear();
    }
}

impl FromIterator<County> for Listed {
    fn from_iter<I: IntoIterator<Item = County>>(iter: I) -> Listed {
        let mut set = Listed::default();
        for c in iter {
            set.insert(c);
        }
        set
    }
}

#[cfg(test)]
mod tests {
    use super::Listed;
    use crate::domain::County;

    /// Every 6-digit code is its own number, so each has its own bit; a
    /// set holds exactly what was put in it, the codes at both ends too.
    #[test]
    fn a_set_holds_exactly_its_counties() {
        let put = ["000000", "439903", "640104", "640105", "999999"];
        let set: Listed = put.iter().filter_map(|c| County::parse(c)).collect();
        for n in 0..1_000_000u32 {
            let code = format!("{n:06}");
            let c = County::parse(&code).unwrap();
            assert_eq!(c.number(), n);
            assert_eq!(set.contains(c), put.contains(&code.as_str()), "{code}");
        }
        let mut empty = set.clone();
        empty.clear();
        assert!(!empty.contains(County::parse("640104").unwrap()));
        assert!(!Listed::default().contains(County::parse("000000").unwrap()));
    }
}
