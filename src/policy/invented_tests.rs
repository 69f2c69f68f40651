//! The invented region's policy (`tests/fixtures/invented/luting-2026.toml`):
//! `price()` for every (county, grade, tier), worked by hand from the file's
//! comments, plus the grade texts, narrowing and county lookups.

use super::*;
use crate::domain::{County, SourceKind};
use crate::ingest::schema::Schemas;

const LUTING: &str = include_str!("../../tests/fixtures/invented/luting-2026.toml");

pub(super) fn luting() -> Policy {
    Policy::from_str(
        LUTING,
        "luting-2026.toml",
        &Schemas::embedded().unwrap().vocab,
    )
    .unwrap()
}

fn yuan(v: i64) -> Fen {
    Fen::yuan(v)
}

/// A price: the grade's full amount, the person's part, the payers in code order.
fn pr<'p>(full: i64, personal: i64, payers: &[(&'p str, i64)]) -> Price<'p> {
    Price {
        full: yuan(full),
        personal: yuan(personal),
        payers: payers.iter().map(|(c, a)| (*c, yuan(*a))).collect(),
    }
}

struct Refs {
    g1: GradeRef,
    g2: GradeRef,
    s1: GradeRef,
}

fn refs(p: &Policy) -> Refs {
    Refs {
        g1: p.grade_by_ref("resident.g1").unwrap(),
        g2: p.grade_by_ref("resident.g2").unwrap(),
        s1: p.grade_by_ref("student.s1").unwrap(),
    }
}

fn tier(p: &Policy, id: &str) -> Option<usize> {
    Some(p.tiers.iter().position(|t| t.id == id).unwrap())
}

/// 汀北区 (439902) and 鹭山县 (439921) price as the city's tables; the
/// expected prices of every tier on every grade there.
fn city_table(p: &Policy, county: &str) {
    let r = refs(p);
    let price = |g, t: &str| p.price(county, g, tier(p, t));
    // Ordinary payers: the grade's amount, no payers.
    assert_eq!(p.price(county, r.g1, None), pr(400, 400, &[]));
    assert_eq!(p.price(county, r.g2, None), pr(700, 700, &[]));
    assert_eq!(p.price(county, r.s1, None), pr(200, 200, &[]));
    // lt-full: 一档 0 (救助 400); 二档 capped at 一档's 400 → pays 700 − 400 = 300;
    // 大学生 0 (救助 200).
    assert_eq!(
        price(r.g1, "lt-full"),
        pr(400, 0, &[("medical_assistance", 400)])
    );
    assert_eq!(
        price(r.g2, "lt-full"),
        pr(700, 300, &[("medical_assistance", 400)])
    );
    assert_eq!(
        price(r.s1, "lt-full"),
        pr(200, 0, &[("medical_assistance", 200)])
    );
    // lt-martyr: full on both grades (退役军人事务局 400 / 700); no student price.
    assert_eq!(price(r.g1, "lt-martyr"), pr(400, 0, &[("veterans", 400)]));
    assert_eq!(price(r.g2, "lt-martyr"), pr(700, 0, &[("veterans", 700)]));
    assert_eq!(price(r.s1, "lt-martyr"), pr(200, 200, &[]));
    // lt-dibao: 一档 60% × 400 = 240 → pays 160; 二档 fixed 240 → pays 460.
    assert_eq!(
        price(r.g1, "lt-dibao"),
        pr(400, 160, &[("medical_assistance", 240)])
    );
    assert_eq!(
        price(r.g2, "lt-dibao"),
        pr(700, 460, &[("medical_assistance", 240)])
    );
    assert_eq!(price(r.s1, "lt-dibao"), pr(200, 200, &[]));
    // lt-youfu: 300 on both grades, 150 + 150 → pays 100 / 400.
    let joint = [("medical_assistance", 150), ("veterans", 150)];
    assert_eq!(price(r.g1, "lt-youfu"), pr(400, 100, &joint));
    assert_eq!(price(r.g2, "lt-youfu"), pr(700, 400, &joint));
    assert_eq!(price(r.s1, "lt-youfu"), pr(200, 200, &[]));
    // lt-student: students only, pays 50 (教育局 150).
    assert_eq!(price(r.g1, "lt-student"), pr(400, 400, &[]));
    assert_eq!(price(r.g2, "lt-student"), pr(700, 700, &[]));
    assert_eq!(
        price(r.s1, "lt-student"),
        pr(200, 50, &[("education", 150)])
    );
}

#[test]
fn tingbei_prices_every_grade_and_tier_as_the_city_table() {
    city_table(&luting(), "439902");
}

#[test]
fn lushan_prices_as_the_city_table() {
    city_table(&luting(), "439921");
}

#[test]
fn tingnan_overrides_dibao_on_grade_one_and_youfu_on_grade_two() {
    let p = luting();
    let r = refs(&p);
    let c = "439903";
    let price = |g, t: &str| p.price(c, g, tier(&p, t));
    // Overridden: 低保 一档 full (救助 400); 优抚 二档 subsidy 400 split 50/50
    // = 200 + 200 → pays 700 − 400 = 300.
    assert_eq!(
        price(r.g1, "lt-dibao"),
        pr(400, 0, &[("medical_assistance", 400)])
    );
    assert_eq!(
        price(r.g2, "lt-youfu"),
        pr(700, 300, &[("medical_assistance", 200), ("veterans", 200)])
    );
    // Not overridden: as the city table.
    assert_eq!(
        price(r.g2, "lt-dibao"),
        pr(700, 460, &[("medical_assistance", 240)])
    );
    assert_eq!(
        price(r.g1, "lt-youfu"),
        pr(400, 100, &[("medical_assistance", 150), ("veterans", 150)])
    );
    assert_eq!(
        price(r.g1, "lt-full"),
        pr(400, 0, &[("medical_assistance", 400)])
    );
    assert_eq!(
        price(r.g2, "lt-full"),
        pr(700, 300, &[("medical_assistance", 400)])
    );
    assert_eq!(
        price(r.s1, "lt-full"),
        pr(200, 0, &[("medical_assistance", 200)])
    );
    assert_eq!(price(r.g1, "lt-martyr"), pr(400, 0, &[("veterans", 400)]));
    assert_eq!(price(r.g2, "lt-martyr"), pr(700, 0, &[("veterans", 700)]));
    assert_eq!(price(r.s1, "lt-martyr"), pr(200, 200, &[]));
    assert_eq!(price(r.s1, "lt-dibao"), pr(200, 200, &[]));
    assert_eq!(price(r.s1, "lt-youfu"), pr(200, 200, &[]));
    assert_eq!(price(r.g1, "lt-student"), pr(400, 400, &[]));
    assert_eq!(price(r.g2, "lt-student"), pr(700, 700, &[]));
    assert_eq!(
        price(r.s1, "lt-student"),
        pr(200, 50, &[("education", 150)])
    );
    assert_eq!(p.price(c, r.g2, None), pr(700, 700, &[]));
}

#[test]
fn lushan_puts_low_income_in_the_dibao_tier_only_there() {
    let p = luting();
    let low_income = p.vocab.category("low_income").unwrap();
    let dibao = p.vocab.category("dibao").unwrap();
    assert_eq!(p.tier_in("439921", low_income), tier(&p, "lt-dibao"));
    assert_eq!(p.tier_in("439902", low_income), None);
    assert_eq!(p.tier_in("439903", low_income), None);
    assert_eq!(p.tier_in("439921", dibao), tier(&p, "lt-dibao"));
}

#[test]
fn grades_texts_and_labels() {
    let p = luting();
    let r = refs(&p);
    assert!(p.has_grades());
    assert_eq!(p.grades(), vec![r.g1, r.g2, r.s1]);
    assert_eq!(p.default_grade(), r.g1);
    assert_eq!(p.grade_label(r.g2), "城乡居民 二档");
    assert_eq!(p.grade_label(r.s1), "大学生 大学生档");
    assert_eq!(p.grade_of_text(None, None), Some(r.g1));
    assert_eq!(p.grade_of_text(None, Some("居民二档")), Some(r.g2));
    assert_eq!(p.grade_of_text(Some("成年居民"), Some("２")), Some(r.g2));
    assert_eq!(p.grade_of_text(Some("在校大学生"), None), Some(r.s1));
    // No population column: a grade text only students have names students.
    assert_eq!(p.grade_of_text(None, Some("学生档")), Some(r.s1));
    assert_eq!(p.grade_of_text(Some("大学生"), Some("二档")), None);
    assert_eq!(p.grade_of_text(None, Some("三档")), None);
    assert_eq!(p.grade_of_text(Some("职工"), None), None);
    // The one-grade accessors: the default grade, no county.
    assert_eq!(p.ordinary, yuan(400));
    assert_eq!(p.tiers[2].personal, yuan(160));
}

#[test]
fn late_bands_per_grade() {
    let p = luting();
    let r = refs(&p);
    let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    assert_eq!(p.band_for_in("439902", r.g1, d(6, 30)), Some(yuan(400)));
    assert_eq!(p.band_for_in("439902", r.g1, d(7, 1)), Some(yuan(1100)));
    assert_eq!(p.band_for_in("439903", r.g2, d(7, 1)), Some(yuan(1400)));
    assert_eq!(p.band_for_in("439903", r.s1, d(7, 1)), None);
}

#[test]
fn veterans_of_injury_grade_one_to_six_are_narrowed() {
    let p = luting();
    let youfu = p.vocab.category("youfu").unwrap();
    let narrowed = p.vocab.category("disabled_veteran_1_6").unwrap();
    let with = |v: Option<&'static str>| {
        move |k: &str| {
            (k == "injury_grade")
                .then_some(v)
                .flatten()
                .map(String::from)
        }
    };
    assert_eq!(
        p.narrow(SourceKind::Veterans, youfu, &with(Some("六级"))),
        narrowed
    );
    assert_eq!(
        p.narrow(SourceKind::Veterans, youfu, &with(Some("1级"))),
        narrowed
    );
    assert_eq!(
        p.narrow(SourceKind::Veterans, youfu, &with(Some("７"))),
        youfu
    );
    assert_eq!(p.narrow(SourceKind::Veterans, youfu, &with(None)), youfu);
    assert_eq!(p.narrow(SourceKind::Civil, youfu, &with(Some("1"))), youfu);
    assert_eq!(
        p.narrowing_columns(SourceKind::Veterans),
        vec!["injury_grade".to_string()]
    );
    assert!(p.narrowing_columns(SourceKind::Civil).is_empty());
}

#[test]
fn listed_counties_only() {
    let p = luting();
    assert!(p.lists_county("439903"));
    assert!(!p.lists_county("439904"));
    // Only a whole 6-digit key is listed.
    for code in ["43990", "4399030", "439903 ", "", "43990x"] {
        assert!(!p.lists_county(code), "{code:?}");
    }
}

/// Issue 15: the parsed-county check answers as the text check does, for
/// every code of the region and around it, with and without `[counties]`.
#[test]
fn parsed_county_check_agrees_with_the_text_check() {
    let with_table = luting();
    let mut without = luting();
    without.counties.clear();
    without.listed.clear();
    for p in [&with_table, &without] {
        let mut listed = 0;
        for n in 430_000..450_000 {
            let code = format!("{n:06}");
            let county = County::parse(&code).unwrap();
            assert_eq!(p.lists(county), p.lists_county(&code), "{code}");
            if !p.counties.is_empty() {
                // The definition: a `[counties]` key.
                assert_eq!(p.lists(county), p.counties.contains_key(&code), "{code}");
            }
            listed += usize::from(p.lists(county));
        }
        assert!(listed > 0);
    }
}

/// Issue 15: the rules price in a parsed `County` (no text made of the code
/// when the policy has no county overrides) and get the payers borrowed.
/// Every look-up by `County` answers as the look-up by the code's text, and
/// the payers are the price rule's own payer map (the owned `(String, Fen)`
/// list the price held before), for every county listed or overridden, one
/// not listed, every grade, tier and category, in the invented region (which
/// has overrides) and both seeds (which have none).
#[test]
fn prices_by_county_value_match_prices_by_text() {
    let seeds = [
        luting(),
        Policy::from_str(
            include_str!("../../policies/ningxia-2026.toml"),
            "ningxia-2026.toml",
            &Schemas::embedded().unwrap().vocab,
        )
        .unwrap(),
        Policy::from_str(
            include_str!("../../policies/hulunbuir-2026.toml"),
            "hulunbuir-2026.toml",
            &Schemas::embedded().unwrap().vocab,
        )
        .unwrap(),
    ];
    let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    let mut checked = 0;
    for p in &seeds {
        let mut codes: Vec<String> = p.counties.keys().cloned().collect();
        codes.extend(p.overrides.keys().cloned());
        codes.push(format!("{:0<6}", p.region_prefix));
        codes.push("999999".to_string());
        for code in &codes {
            let county = County::parse(code).unwrap();
            for g in p.grades() {
                assert_eq!(p.full_in(county, g), p.full_in(code.as_str(), g));
                assert_eq!(
                    p.band_for_in(county, g, day),
                    p.band_for_in(code.as_str(), g, day)
                );
                for c in (0..64).map(Category) {
                    assert_eq!(p.tier_in(county, c), p.tier_in(code.as_str(), c));
                }
                let tiers = std::iter::once(None).chain((0..p.tiers.len()).map(Some));
                for t in tiers {
                    let by_value = p.price(county, g, t);
                    assert_eq!(by_value, p.price(code.as_str(), g, t));
                    let Some(t) = t else { continue };
                    assert_eq!(p.try_price(county, g, t), p.try_price(code.as_str(), g, t));
                    let rule = p.price_rule(county, g, t);
                    assert_eq!(
                        rule.map(|r| r as *const _),
                        p.price_rule(code.as_str(), g, t).map(|r| r as *const _)
                    );
                    if let (Some(Split::Amounts(m)), Ok(_)) =
                        (rule.map(|r| &r.split), p.try_price(county, g, t))
                    {
                        let owned: Vec<(String, Fen)> =
                            m.iter().map(|(c, a)| (c.clone(), *a)).collect();
                        let borrowed: Vec<(String, Fen)> = by_value
                            .payers
                            .iter()
                            .map(|(c, a)| ((*c).to_owned(), *a))
                            .collect();
                        assert_eq!(borrowed, owned);
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 50, "{checked}");
}
