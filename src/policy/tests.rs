use chrono::NaiveDate;

use super::*;
use crate::domain::SourceKind;
use crate::ingest::schema::Schemas;
use crate::ingest::{HardshipIdentity, Origin};
use crate::rules::tier::{best, due_at, At};

const NINGXIA: &str = include_str!("../../policies/ningxia-2026.toml");
const HULUNBUIR: &str = include_str!("../../policies/hulunbuir-2026.toml");

fn vocab() -> Vocabulary {
    Schemas::embedded().unwrap().vocab
}

fn load(text: &str) -> Result<Policy> {
    Policy::from_str(text, "test.toml", &vocab())
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn key_of(e: Error) -> String {
    match e {
        Error::Policy { key, .. } => key,
        other => panic!("expected a policy error, got {other}"),
    }
}

#[test]
fn ningxia_numbers_come_from_the_notice() {
    let p = load(NINGXIA).unwrap();
    assert_eq!((p.c0, p.c1), (d(2025, 10, 29), d(2025, 12, 31)));
    assert_eq!(p.ordinary, Fen::yuan(400));
    let amounts: Vec<i64> = p.tiers.iter().map(|t| t.personal.0 / 100).collect();
    assert_eq!(amounts, vec![0, 80, 120, 220]);
    assert_eq!(p.band_for(d(2026, 6, 30)), Some(Fen::yuan(400)));
    assert_eq!(p.band_for(d(2026, 7, 1)), Some(Fen::yuan(1100)));
    assert_eq!(p.newborn_days, 183);
    assert_eq!(p.refunds.hardship_diff.mode, RefundMode::Auto);
    let v = &p.vocab;
    for code in ["defacto_orphan", "low_income", "disabled_g4"] {
        assert_eq!(
            p.tier_of(v.category(code).unwrap()),
            None,
            "{code} is ordinary in Ningxia"
        );
    }
}

#[test]
fn hulunbuir_numbers_come_from_the_notice() {
    let p = load(HULUNBUIR).unwrap();
    assert_eq!((p.c0, p.c1), (d(2025, 9, 22), d(2025, 12, 31)));
    assert_eq!(p.tiers.len(), 3);
    assert_eq!(
        p.tiers[2].payers.get("disability_federation"),
        Some(&Fen::yuan(100))
    );
    assert_eq!(p.refunds.hardship_diff.mode, RefundMode::Review);
    assert_eq!(p.newborn_days, 90);
    let f = p.fiscal.as_ref().unwrap();
    assert_eq!(f.per_capita, Fen::yuan(700));
    assert_eq!(f.county_tiers.get("150781"), None, "满洲里市 is untiered");
    assert_eq!(p.region_prefix, "1507");
}

#[test]
fn unknown_key_names_its_path() {
    let text = NINGXIA.replace(
        "[contribution]\nordinary = 400",
        "[contribution]\nordinary = 400\nordinay_typo = 1",
    );
    assert_eq!(
        key_of(load(&text).unwrap_err()),
        "contribution.ordinay_typo"
    );
}

#[test]
fn overlapping_bands_are_an_error() {
    let text = NINGXIA.replace(
        "{ from = 2026-07-01, to = 2026-12-31, amount = 1100 }",
        "{ from = 2026-06-30, to = 2026-12-31, amount = 1100 }",
    );
    assert_eq!(key_of(load(&text).unwrap_err()), "late_payment.bands[1]");
}

#[test]
fn a_category_in_two_tiers_is_an_error() {
    let text = NINGXIA.replace(
        "categories = [\"disabled_g3\"]",
        "categories = [\"disabled_g3\", \"dibao\"]",
    );
    assert_eq!(key_of(load(&text).unwrap_err()), "tier[2].categories[1]");
}

#[test]
fn amounts_must_add_up_to_ordinary() {
    let text = NINGXIA.replace(
        "payers = { medical_assistance = 280 }",
        "payers = { medical_assistance = 200 }",
    );
    let e = load(&text).unwrap_err();
    let msg = e.to_string();
    assert_eq!(key_of(e), "tier[2].payers");
    assert!(msg.contains("must add up"), "{msg}");
}

#[test]
fn unknown_category_and_payer_are_errors() {
    let text = NINGXIA.replace(
        "categories = [\"disabled_g3\"]",
        "categories = [\"disabled_g5\"]",
    );
    assert_eq!(key_of(load(&text).unwrap_err()), "tier[2].categories[0]");
    let text = NINGXIA.replace(
        "payers = { medical_assistance = 280 }",
        "payers = { civil_fund = 280 }",
    );
    assert_eq!(
        key_of(load(&text).unwrap_err()),
        "tier[2].payers.civil_fund"
    );
}

#[test]
fn money_is_never_a_float() {
    let text = NINGXIA.replace("ordinary = 400", "ordinary = 400.5");
    assert_eq!(key_of(load(&text).unwrap_err()), "contribution.ordinary");
}

fn ident(
    p: &Policy,
    code: &str,
    start: NaiveDate,
    end: Option<NaiveDate>,
    line: u32,
) -> HardshipIdentity {
    HardshipIdentity {
        person: crate::domain::parse_person_id("11010519491231002X", "", d(2026, 1, 31)).unwrap(),
        name: "测试".into(),
        category: p.vocab.category(code).unwrap(),
        start,
        end,
        source: SourceKind::Civil,
        county: crate::domain::County::parse("640104").unwrap(),
        origin: Origin { file: 0, line },
        outreach: None,
        dating: crate::ingest::dating::Dating::Dated,
    }
}

#[test]
fn best_takes_the_lowest_personal_amount() {
    let p = load(NINGXIA).unwrap();
    let ids = vec![
        ident(&p, "dibao", d(2025, 12, 1), None, 2),
        ident(&p, "disabled_g2", d(2024, 3, 1), None, 3),
    ];
    let b = best(
        &p,
        &ids,
        (d(2025, 11, 5), d(2025, 12, 31)),
        At::own(&p),
        crate::domain::County::UNPLACED,
    );
    assert_eq!(b.personal(), Fen::ZERO);
    assert_eq!(p.vocab.code(b.identity.unwrap().category), "disabled_g2");
}

#[test]
fn ties_go_to_the_policy_tier_order() {
    let p = load(HULUNBUIR).unwrap();
    // Disability first in the list: the tier order still puts 医疗救助 200 first.
    let ids = vec![
        ident(&p, "disabled_g1", d(2022, 1, 1), None, 2),
        ident(&p, "dibao", d(2024, 1, 1), None, 3),
    ];
    let b = best(
        &p,
        &ids,
        (d(2026, 1, 31), d(2026, 1, 31)),
        At::own(&p),
        crate::domain::County::UNPLACED,
    );
    assert_eq!(b.personal(), Fen::yuan(200));
    assert_eq!(p.tiers[b.tier.unwrap()].id, "hl-200-ma");
    assert_eq!(
        b.payer_codes().collect::<Vec<_>>(),
        vec!["medical_assistance"]
    );
}

#[test]
fn untiered_identity_is_ordinary_and_late_band_applies_after_c1() {
    let p = load(NINGXIA).unwrap();
    let ids = vec![ident(&p, "defacto_orphan", d(2022, 9, 1), None, 2)];
    let (due, b) = due_at(
        &p,
        &ids,
        d(2026, 7, 15),
        false,
        (crate::domain::County::UNPLACED, p.default_grade()),
    );
    assert!(!b.is_subsidised());
    assert_eq!(due, Fen::yuan(1100));
    let (due, _) = due_at(
        &p,
        &ids,
        d(2026, 7, 15),
        true,
        (crate::domain::County::UNPLACED, p.default_grade()),
    );
    assert_eq!(
        due,
        Fen::yuan(400),
        "exempt residents pay the ordinary amount"
    );
    let (due, _) = due_at(
        &p,
        &[],
        d(2025, 12, 31),
        false,
        (crate::domain::County::UNPLACED, p.default_grade()),
    );
    assert_eq!(due, Fen::yuan(400), "inside the concentrated period");
}

#[test]
fn an_identity_ending_on_a_day_does_not_cover_that_day() {
    let p = load(NINGXIA).unwrap();
    let ids = vec![ident(&p, "dibao", d(2023, 5, 1), Some(d(2025, 12, 15)), 2)];
    assert!(best(
        &p,
        &ids,
        (d(2025, 12, 14), d(2025, 12, 14)),
        At::own(&p),
        crate::domain::County::UNPLACED
    )
    .is_subsidised());
    assert!(!best(
        &p,
        &ids,
        (d(2025, 12, 15), d(2025, 12, 15)),
        At::own(&p),
        crate::domain::County::UNPLACED
    )
    .is_subsidised());
}

/// Issue 13 point 7: numbers the rules cannot compute with are policy errors
/// naming the key; the limit itself is accepted.
#[test]
fn values_beyond_the_computable_ranges_are_rejected_with_their_key() {
    let rejected = |text: String, key: &str| {
        let e = load(&text).expect_err(key);
        let msg = e.to_string();
        assert_eq!(key_of(e), key, "{msg}");
    };
    let nx = |from: &str, to: &str| {
        assert!(NINGXIA.contains(from), "{from}");
        NINGXIA.replacen(from, to, 1)
    };
    let hl = |from: &str, to: &str| {
        assert!(HULUNBUIR.contains(from), "{from}");
        HULUNBUIR.replacen(from, to, 1)
    };
    // Days: at most 3660 (ten years). 4294967295 used to panic in the run.
    assert!(load(&nx("fixed_days = 90", "fixed_days = 3660")).is_ok());
    rejected(
        nx("fixed_days = 90", "fixed_days = 3661"),
        "waiting_period.fixed_days",
    );
    rejected(
        nx("fixed_days = 90", "fixed_days = 4294967295"),
        "waiting_period.fixed_days",
    );
    // Months: at most 120 per key. 4000000 used to spin the CPU.
    assert!(load(&hl("fixed_months = 3", "fixed_months = 120")).is_ok());
    rejected(
        hl("fixed_months = 3", "fixed_months = 121"),
        "waiting_period.fixed_months",
    );
    rejected(
        hl("fixed_months = 3", "fixed_months = 4000000"),
        "waiting_period.fixed_months",
    );
    rejected(
        hl("per_gap_year_months = 1", "per_gap_year_months = 121"),
        "waiting_period.per_gap_year_months",
    );
    rejected(
        hl(
            "min_variable_months_after_4_years = 3",
            "min_variable_months_after_4_years = 121",
        ),
        "waiting_period.min_variable_months_after_4_years",
    );
    // Amounts: at most 100,000 yuan.
    assert!(load(&nx("amount = 1100", "amount = 100000")).is_ok());
    rejected(
        nx("amount = 1100", "amount = 100001"),
        "late_payment.bands[1].amount",
    );
    rejected(
        nx("ordinary = 400", "ordinary = 20000000000000000"),
        "contribution.ordinary",
    );
    rejected(nx("personal = 80", "personal = 100001"), "tier[1].personal");
    rejected(
        nx(
            "payers = { medical_assistance = 320 }",
            "payers = { medical_assistance = 100001 }",
        ),
        "tier[1].payers.medical_assistance",
    );
    assert!(load(&hl("per_capita = 700", "per_capita = 100000")).is_ok());
    rejected(
        hl("per_capita = 700", "per_capita = 100001"),
        "fiscal.per_capita",
    );
    // Basis points: each at most 10000, so their sum cannot wrap to 10000.
    rejected(
        hl("central_bp = 8000", "central_bp = 4294967295"),
        "fiscal.central_bp",
    );
}

/// `ordinary = i64::MAX` yuan is too large, not "not above zero" (it wrapped
/// to a negative number of fen when multiplied by 100).
#[test]
fn an_amount_past_i64_fen_is_too_large_not_negative() {
    for v in ["9223372036854775807", "92233720368547759"] {
        let text = NINGXIA.replacen("ordinary = 400", &format!("ordinary = {v}"), 1);
        let e = load(&text).unwrap_err();
        let msg = e.to_string();
        assert_eq!(key_of(e), "contribution.ordinary", "{msg}");
        assert!(msg.contains("too large"), "{msg}");
        assert!(!msg.contains("above zero"), "{msg}");
    }
}

/// Issue 14: a one-grade policy (both seeds) prices every tier in every
/// county exactly as its file's `personal` and `payers` say.
#[test]
fn seeds_have_one_grade_priced_as_their_tiers_say() {
    for (text, personal, payers) in [
        (
            NINGXIA,
            vec![0, 80, 120, 220],
            vec![
                vec![("medical_assistance", 400)],
                vec![("medical_assistance", 320)],
                vec![("medical_assistance", 280)],
                vec![("medical_assistance", 180)],
            ],
        ),
        (
            HULUNBUIR,
            vec![0, 200, 200],
            vec![
                vec![("medical_assistance", 400)],
                vec![("medical_assistance", 200)],
                vec![("disability_federation", 100), ("medical_assistance", 100)],
            ],
        ),
    ] {
        let p = load(text).unwrap();
        assert!(!p.has_grades());
        let g = p.default_grade();
        assert_eq!(p.grades(), vec![g]);
        assert_eq!(
            p.grade_of_text(None, Some("二档")),
            Some(g),
            "one grade: every text names it"
        );
        for county in p.counties.keys() {
            assert!(p.lists_county(county));
            assert_eq!(p.price(county, g, None).personal, Fen::yuan(400));
            for (t, (want, pay)) in personal.iter().zip(&payers).enumerate() {
                let got = p.price(county, g, Some(t));
                assert_eq!(got.full, Fen::yuan(400));
                assert_eq!(got.personal, Fen::yuan(*want));
                let pay: Vec<(&str, Fen)> = pay.iter().map(|(c, a)| (*c, Fen::yuan(*a))).collect();
                assert_eq!(got.payers.as_slice(), pay);
                assert_eq!(p.tiers[t].personal, Fen::yuan(*want));
            }
            assert_eq!(
                p.band_for_in(county, g, d(2026, 7, 1)),
                p.band_for(d(2026, 7, 1))
            );
        }
    }
}
