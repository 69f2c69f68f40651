//! County names (区县名称) for region columns that hold a name instead of a
//! 区划代码 (issue 11, SPEC §2 "Region as a name"): `兴庆区`, `银川市兴庆区`,
//! `宁夏回族自治区银川市兴庆区`, `呼伦贝尔市鄂温克族自治旗`.
//!
//! A name matches when, after dropping a prefix that ends in 省, 自治区, 市,
//! 盟, 州 or 地区, it equals one county name of the policy's `[counties]`.
//! The short form without the last 区/县/旗/市 (`兴庆`, `灵武`, `阿荣`) matches
//! too, but only when exactly one county of the policy has that stem and the
//! stem keeps at least two characters. Anything else is no match, reported
//! with the nearest county names; two counties of one name are ambiguous and
//! never guessed.

use std::collections::HashMap;

use super::vocab::norm_text;
use super::County;

/// The ends of a prefix that may stand before a county name.
const PREFIX_ENDS: [&str; 6] = ["自治区", "地区", "省", "市", "盟", "州"];
/// The last character a short form may drop.
const SUFFIXES: [char; 4] = ['区', '县', '旗', '市'];

/// The policy's county names, indexed for look-up.
#[derive(Debug, Clone, Default)]
pub struct CountyNames {
    full: HashMap<String, Vec<County>>,
    short: HashMap<String, Vec<County>>,
    names: Vec<(County, String)>,
}

/// Why a name found no county.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlaceMiss {
    /// Several counties bear the name: these (name and code).
    Ambiguous(Vec<String>),
    /// No county: the nearest names (name and code), nearest first.
    Unknown(Vec<String>),
}

impl CountyNames {
    /// From the policy's `[counties]` (code → name).
    pub fn new<'a>(counties: impl IntoIterator<Item = (&'a String, &'a String)>) -> CountyNames {
        let mut out = CountyNames::default();
        for (code, name) in counties {
            let Some(county) = County::parse(code) else {
                continue;
            };
            let n = norm_text(name);
            if n.is_empty() {
                continue;
            }
            if let Some(stem) = n.strip_suffix(SUFFIXES).filter(|s| s.chars().count() >= 2) {
                out.short.entry(stem.to_string()).or_default().push(county);
            }
            out.full.entry(n.clone()).or_default().push(county);
            out.names.push((county, n));
        }
        out.names.sort();
        out
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The county a name denotes.
    pub fn resolve(&self, text: &str) -> Result<County, PlaceMiss> {
        let t = norm_text(text);
        let candidates = tails(&t);
        for (table, full) in [(&self.full, true), (&self.short, false)] {
            for c in &candidates {
                match table.get(*c).map(Vec::as_slice) {
                    Some([one]) => return Ok(*one),
                    Some(many) if full => return Err(PlaceMiss::Ambiguous(self.labels(many))),
                    // An ambiguous short form is no short form.
                    _ => {}
                }
            }
        }
        Err(PlaceMiss::Unknown(self.nearest(&candidates)))
    }

    fn labels(&self, counties: &[County]) -> Vec<String> {
        self.names
            .iter()
            .filter(|(c, _)| counties.contains(c))
            .map(|(c, n)| format!("{n}（{c}）"))
            .collect()
    }

    /// The three county names nearest to any tail of the text: character
    /// edit distance, then more characters in common (`鄂温克旗` is as far
    /// from `阿荣旗` as from `鄂温克族自治旗`, but shares more with the
    /// latter), then code.
    fn nearest(&self, candidates: &[&str]) -> Vec<String> {
        let mut scored: Vec<(usize, std::cmp::Reverse<usize>, &County, &String)> = self
            .names
            .iter()
            .map(|(c, n)| {
                let (d, shared) = candidates
                    .iter()
                    .map(|t| {
                        let shared = n.chars().filter(|ch| t.contains(*ch)).count();
                        (strsim::levenshtein(t, n), std::cmp::Reverse(shared))
                    })
                    .min()
                    .unwrap_or((usize::MAX, std::cmp::Reverse(0)));
                (d, shared, c, n)
            })
            .collect();
        scored.sort();
        scored
            .into_iter()
            .take(3)
            .map(|(_, _, c, n)| format!("{n}（{c}）"))
            .collect()
    }
}

/// The text and every tail of it that follows a prefix ending in one of
/// [`PREFIX_ENDS`], longest first.
fn tails(t: &str) -> Vec<&str> {
    let mut out = vec![t];
    for (i, _) in t.char_indices().skip(1) {
        let head = &t[..i];
        if PREFIX_ENDS.iter().any(|e| head.ends_with(e)) {
            out.push(&t[i..]);
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(pairs: &[(&str, &str)]) -> CountyNames {
        let owned: Vec<(String, String)> = pairs
            .iter()
            .map(|(c, n)| (c.to_string(), n.to_string()))
            .collect();
        CountyNames::new(owned.iter().map(|(c, n)| (c, n)))
    }

    fn code(r: Result<County, PlaceMiss>) -> String {
        r.map(|c| c.to_string())
            .unwrap_or_else(|e| format!("{e:?}"))
    }

    #[test]
    fn names_match_with_or_without_their_prefixes() {
        let n = names(&[
            ("640104", "兴庆区"),
            ("640181", "灵武市"),
            ("640502", "沙坡头区"),
            ("150724", "鄂温克族自治旗"),
            ("150781", "满洲里市"),
        ]);
        assert_eq!(code(n.resolve("兴庆区")), "640104");
        assert_eq!(code(n.resolve(" 银川市 兴庆区")), "640104");
        assert_eq!(code(n.resolve("宁夏回族自治区银川市兴庆区")), "640104");
        assert_eq!(code(n.resolve("中卫市沙坡头区")), "640502");
        assert_eq!(code(n.resolve("呼伦贝尔市鄂温克族自治旗")), "150724");
        assert_eq!(code(n.resolve("内蒙古自治区呼伦贝尔市满洲里市")), "150781");
        // A county-level city keeps its own 市.
        assert_eq!(code(n.resolve("灵武市")), "640181");
        assert_eq!(code(n.resolve("银川市灵武市")), "640181");
    }

    #[test]
    fn short_forms_only_where_unambiguous() {
        let n = names(&[
            ("640104", "兴庆区"),
            ("640181", "灵武市"),
            ("140101", "城区"),
            ("140201", "矿区"),
            ("330101", "新城区"),
            ("330102", "新城县"),
        ]);
        assert_eq!(code(n.resolve("兴庆")), "640104");
        assert_eq!(code(n.resolve("银川市兴庆")), "640104");
        assert_eq!(code(n.resolve("灵武")), "640181");
        // One character left is no short form.
        assert!(matches!(n.resolve("城"), Err(PlaceMiss::Unknown(_))));
        // Two counties share the stem 新城: neither is guessed.
        assert!(matches!(n.resolve("新城"), Err(PlaceMiss::Unknown(_))));
        assert_eq!(code(n.resolve("新城县")), "330102");
    }

    #[test]
    fn a_shared_name_is_ambiguous_and_a_stranger_gets_the_nearest() {
        let n = names(&[
            ("640104", "兴庆区"),
            ("640105", "西夏区"),
            ("640106", "金凤区"),
            ("650101", "城关区"),
            ("650201", "城关区"),
        ]);
        assert_eq!(
            n.resolve("城关区"),
            Err(PlaceMiss::Ambiguous(vec![
                "城关区（650101）".into(),
                "城关区（650201）".into()
            ]))
        );
        match n.resolve("银川市兴庆县") {
            Err(PlaceMiss::Unknown(near)) => assert_eq!(near[0], "兴庆区（640104）"),
            other => panic!("{other:?}"),
        }
        let n = names(&[
            ("150721", "阿荣旗"),
            ("150724", "鄂温克族自治旗"),
            ("150725", "陈巴尔虎旗"),
        ]);
        // Both at edit distance 3; 鄂温克族自治旗 shares four characters.
        match n.resolve("鄂温克旗") {
            Err(PlaceMiss::Unknown(near)) => assert_eq!(near[0], "鄂温克族自治旗（150724）"),
            other => panic!("{other:?}"),
        }
    }
}
