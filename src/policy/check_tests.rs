//! Issue 14's checks: one test per error class, each naming the key's path.
//! Every case edits the invented region's file in one place.

use super::*;
use crate::ingest::schema::Schemas;

const LUTING: &str = include_str!("../../tests/fixtures/invented/luting-2026.toml");

/// The key and message `LUTING` with `from` → `to` fails at.
fn fails(from: &str, to: &str) -> (String, String) {
    assert!(LUTING.contains(from), "the fixture has no `{from}`");
    let text = LUTING.replacen(from, to, 1);
    match Policy::from_str(&text, "t.toml", &Schemas::embedded().unwrap().vocab) {
        Ok(_) => panic!("`{from}` → `{to}` was accepted"),
        Err(Error::Policy { key, message, .. }) => (key, message),
        Err(e) => panic!("expected a policy error, got {e}"),
    }
}

fn key(from: &str, to: &str) -> String {
    fails(from, to).0
}

const G2_DIBAO: &str =
    "grade = \"resident.g2\"\nsubsidy = 240\npayers = { medical_assistance = 240 }";

#[test]
fn the_fixture_loads() {
    Policy::from_str(LUTING, "t.toml", &Schemas::embedded().unwrap().vocab).unwrap();
}

#[test]
fn contribution_or_late_payment_beside_populations_is_an_error() {
    let at = "[[population]]\nid = \"resident\"";
    assert_eq!(
        key(at, &format!("[contribution]\nordinary = 400\n\n{at}")),
        "contribution"
    );
    assert_eq!(
        key(at, &format!("[late_payment]\nbands = []\n\n{at}")),
        "late_payment"
    );
}

#[test]
fn a_grade_text_naming_two_grades_is_an_error() {
    let (k, m) = fails("texts = [\"居民二档\"", "texts = [\"居民一档\"");
    assert_eq!(k, "population[0].grade[1].texts[0]");
    assert!(m.contains("居民一档"), "{m}");
}

#[test]
fn a_default_grade_must_exist() {
    assert_eq!(
        key("default_grade = \"g1\"", "default_grade = \"g3\""),
        "population[0].default_grade"
    );
}

#[test]
fn a_price_must_name_an_existing_grade() {
    assert_eq!(
        key(G2_DIBAO, &G2_DIBAO.replace("resident.g2", "resident.g3")),
        "tier[2].price[1].grade"
    );
}

#[test]
fn a_tier_prices_a_grade_once() {
    assert_eq!(
        key(G2_DIBAO, &G2_DIBAO.replace("resident.g2", "resident.g1")),
        "tier[2].price[1].grade"
    );
}

#[test]
fn exactly_one_of_personal_subsidy_percent() {
    assert_eq!(
        key(
            G2_DIBAO,
            &G2_DIBAO.replace("subsidy = 240", "subsidy = 240\npersonal = 460")
        ),
        "tier[2].price[1].personal"
    );
}

#[test]
fn exactly_one_of_payers_and_shares() {
    assert_eq!(
        key(
            G2_DIBAO,
            &format!("{G2_DIBAO}\nshares = {{ medical_assistance = 100 }}")
        ),
        "tier[2].price[1].payers"
    );
}

#[test]
fn shares_must_add_up_to_100() {
    let (k, m) = fails(
        "shares = { medical_assistance = 50, veterans = 50 }",
        "shares = { medical_assistance = 50, veterans = 40 }",
    );
    assert_eq!(k, "county_override[0].tier[1].shares");
    assert!(m.contains("90%"), "{m}");
}

#[test]
fn a_payer_must_be_named_in_payers() {
    assert_eq!(
        key(
            "shares = { medical_assistance = 100 }",
            "shares = { civil = 100 }"
        ),
        "tier[2].price[0].shares.civil"
    );
}

#[test]
fn a_cap_must_name_an_existing_other_grade_priced_by_the_tier() {
    assert_eq!(
        key("cap = \"resident.g1\"", "cap = \"resident.g9\""),
        "tier[0].price[1].cap"
    );
    assert_eq!(
        key("cap = \"resident.g1\"", "cap = \"resident.g2\""),
        "tier[0].price[1].cap"
    );
    // 烈士遗属 are not priced on the student grade: nothing to cap at.
    let (k, m) = fails(
        "personal = 0\npayers = { veterans = 700 }",
        "personal = 0\ncap = \"student.s1\"\npayers = { veterans = 700 }",
    );
    assert_eq!(k, "tier[1].price[1].cap");
    assert!(m.contains("城乡居民 二档"), "{m}");
}

#[test]
fn payer_amounts_must_add_up_on_every_grade() {
    let (k, m) = fails(
        G2_DIBAO,
        &G2_DIBAO.replace("medical_assistance = 240", "medical_assistance = 200"),
    );
    assert_eq!(k, "tier[2].price[1].payers");
    assert!(m.contains("must add up") && m.contains("二档"), "{m}");
}

/// A county's own 二档 amount makes the city's 700 for 烈士遗属 wrong there:
/// the error names the tier's key and the county.
#[test]
fn payer_amounts_must_add_up_in_every_county() {
    let (k, m) = fails(
        "[[county_override.tier]]\ntier = \"lt-dibao\"\ngrade = \"resident.g1\"",
        "[[county_override.grade]]\ngrade = \"resident.g2\"\nordinary = 800\n\n[[county_override.tier]]\ntier = \"lt-dibao\"\ngrade = \"resident.g1\"",
    );
    assert_eq!(k, "tier[1].price[1].payers");
    assert!(m.contains("439903") && m.contains("汀南区"), "{m}");
}

#[test]
fn a_personal_amount_must_be_below_the_grade() {
    let (k, m) = fails(
        "personal = 50\npayers = { education = 150 }",
        "personal = 200\npayers = { education = 0 }",
    );
    assert_eq!(k, "tier[4].price[0].personal");
    assert!(m.contains("not below"), "{m}");
}

#[test]
fn a_fixed_subsidy_may_not_exceed_the_grade() {
    assert_eq!(
        key(
            G2_DIBAO,
            "grade = \"resident.g2\"\nsubsidy = 701\npayers = { medical_assistance = 701 }"
        ),
        "tier[2].price[1].subsidy"
    );
}

#[test]
fn a_percentage_is_at_most_100() {
    assert_eq!(
        key("subsidy_percent = 60", "subsidy_percent = 101"),
        "tier[2].price[0].subsidy_percent"
    );
}

#[test]
fn grade_amounts_are_within_the_limits() {
    assert_eq!(
        key("ordinary = 700", "ordinary = 100001"),
        "population[0].grade[1].ordinary"
    );
    assert_eq!(
        key("ordinary = 700", "ordinary = 0"),
        "population[0].grade[1].ordinary"
    );
}

#[test]
fn an_override_names_listed_counties_only() {
    assert_eq!(
        key("counties = [\"439903\"]", "counties = [\"439904\"]"),
        "county_override[0].counties[0]"
    );
}

#[test]
fn an_override_names_an_existing_tier() {
    assert_eq!(
        key("tier = \"lt-youfu\"\ngrade", "tier = \"lt-yofu\"\ngrade"),
        "county_override[0].tier[1].tier"
    );
}

#[test]
fn an_override_replaces_a_thing_once_per_county() {
    assert_eq!(
        key("counties = [\"439921\"]", "counties = [\"439921\", \"439903\"]\n\n[[county_override.tier]]\ntier = \"lt-dibao\"\ngrade = \"resident.g1\"\npersonal = 0\npayers = { medical_assistance = 400 }"),
        "county_override[1]"
    );
}

#[test]
fn a_narrowing_names_a_roster_source_known_categories_and_a_column_key() {
    assert_eq!(
        key("source = \"veterans\"", "source = \"enrollment\""),
        "narrowing[0].source"
    );
    assert_eq!(
        key(
            "becomes = \"disabled_veteran_1_6\"",
            "becomes = \"disabled_veteran_7\""
        ),
        "narrowing[0].becomes"
    );
    assert_eq!(
        key("becomes = \"disabled_veteran_1_6\"", "becomes = \"youfu\""),
        "narrowing[0].becomes"
    );
    assert_eq!(
        key("column = \"injury_grade\"", "column = \"伤残等级\""),
        "narrowing[0].column"
    );
}

#[test]
fn a_tier_needs_a_price() {
    let at = "[[tier]]\nid = \"lt-student\"\nname = \"家庭经济困难大学生\"\ncategories = [\"needy_student\"]\n\n[[tier.price]]\ngrade = \"student.s1\"\npersonal = 50\npayers = { education = 150 }";
    assert_eq!(
        key(at, "[[tier]]\nid = \"lt-student\"\nname = \"家庭经济困难大学生\"\ncategories = [\"needy_student\"]"),
        "tier[4].personal"
    );
}

/// Errors speak Chinese first, English after.
#[test]
fn messages_are_chinese_first() {
    let (_, m) = fails("counties = [\"439903\"]", "counties = [\"439904\"]");
    assert!(m.starts_with("区县"), "{m}");
}

/// A percentage is of the grade's amount, rounded half-up to the fen.
#[test]
fn percentages_round_half_up_to_the_fen() {
    use super::model::percent_of;
    assert_eq!(percent_of(Fen(33_333), 60), Fen(20_000)); // 199.998 → 200.00
    assert_eq!(percent_of(Fen(12_345), 50), Fen(6_173)); // 61.725 → 61.73
    assert_eq!(percent_of(Fen(12_343), 50), Fen(6_172)); // 61.715 → 61.72
    assert_eq!(percent_of(Fen(40_000), 60), Fen(24_000));
}

/// Shares split by largest remainder: the parts always add up to the whole.
#[test]
fn shares_split_by_largest_remainder() {
    use super::model::split_shares;
    let shares = |v: &[(&str, u32)]| -> BTreeMap<String, u32> {
        v.iter().map(|(c, s)| (c.to_string(), *s)).collect()
    };
    // 1.00 yuan in thirds: 33.33 each, the cent left over to the first code.
    let thirds = shares(&[("a", 34), ("b", 33), ("c", 33)]);
    let got = split_shares(Fen(100), &thirds);
    assert_eq!(
        got.as_slice(),
        [("a", Fen(34)), ("b", Fen(33)), ("c", Fen(33))]
    );
    // 0.05 yuan 55/45: 2.75 and 2.25 fen → 3 + 2.
    let uneven = shares(&[("a", 55), ("b", 45)]);
    let got = split_shares(Fen(5), &uneven);
    assert_eq!(got.as_slice(), [("a", Fen(3)), ("b", Fen(2))]);
    // 0.01 yuan 50/50: the tie goes to the earlier code.
    let halves = shares(&[("a", 50), ("b", 50)]);
    let got = split_shares(Fen(1), &halves);
    assert_eq!(got.as_slice(), [("a", Fen(1)), ("b", Fen(0))]);
}

/// A county's categories stay in one tier each after its overrides: moving
/// 低收入人口 into 低保's tier in 鹭山县 while it is still in 优抚's there
/// is an error at the override's key.
#[test]
fn an_override_keeps_a_category_in_one_tier() {
    let (k, m) = fails(
        "[waiting_period]",
        "[[county_override]]\ncounties = [\"439921\"]\n\n[[county_override.tier]]\ntier = \"lt-youfu\"\ncategories = [\"youfu\", \"dibao\"]\n\n[waiting_period]",
    );
    assert_eq!(k, "county_override[2].tier[0].categories[1]", "{m}");
}

/// Two tables may change different tiers' categories for the same county.
#[test]
fn overrides_of_different_tiers_categories_combine() {
    let text = LUTING.replacen(
        "[waiting_period]",
        "[[county_override]]\ncounties = [\"439921\", \"439902\"]\n\n[[county_override.tier]]\ntier = \"lt-youfu\"\ncategories = [\"youfu\", \"elderly_low_income\"]\n\n[waiting_period]",
        1,
    );
    let p = Policy::from_str(&text, "t.toml", &Schemas::embedded().unwrap().vocab).unwrap();
    let cat = |c: &str| p.vocab.category(c).unwrap();
    let tier = |id: &str| p.tiers.iter().position(|t| t.id == id);
    assert_eq!(p.tier_in("439921", cat("low_income")), tier("lt-dibao"));
    assert_eq!(
        p.tier_in("439921", cat("elderly_low_income")),
        tier("lt-youfu")
    );
    assert_eq!(
        p.tier_in("439902", cat("elderly_low_income")),
        tier("lt-youfu")
    );
    assert_eq!(p.tier_in("439902", cat("low_income")), None);
    assert_eq!(p.tier_in("439903", cat("elderly_low_income")), None);
}
