//! Issue 13 point 7 — a policy is checked to the limits the run needs.
//! Extreme values (days, months, amounts, shares, at, just past and far past
//! the limits of docs/policy-authoring.md) go through `check-policy` and then
//! `run` on a small province that exercises every rule that computes with
//! them. Either `check-policy` rejects the file (exit 1, naming the key) and
//! `run` refuses it the same way, or both succeed and the run completes —
//! never a panic, never a hang (each process is bounded), never a wrapped
//! (negative) money total.

use crate::common;

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Workdir, BIN};
use proptest::prelude::*;

/// A one-region policy modelled on Hulunbuir's, with the numbers under test
/// as placeholders.
const TEMPLATE: &str = r#"
[policy]
id = "limits-2026"
region_code = "150700"
region_name = "呼伦贝尔市"
year = 2026
source = "test"

[concentrated_period]
start = 2025-09-22
end = 2025-12-31

[contribution]
ordinary = {ORDINARY}

[[tier]]
id = "t0"
name = "全额资助"
personal = {PERSONAL}
categories = ["tekun", "dibao"]
payers = { medical_assistance = {PAYER} }

[payers]
medical_assistance = "医疗救助基金"

[late_payment]
bands = [ { from = 2026-01-01, to = 2026-12-31, amount = {BAND} } ]

[waiting_period]
{FIXED}
gap_waits = true
per_gap_year_months = {PER_GAP}
min_variable_months_after_4_years = {MIN_VAR}

[dynamic_enrollment]
categories = ["tekun", "dibao"]
recognised_after_concentrated_only = true

[newborn]
window_days = {NEWBORN}

[refunds.hardship_diff]
mode = "review"

[fiscal]
per_capita = {PER_CAPITA}
advance_percent = {ADVANCE}
central_bp = {CENTRAL_BP}
region_bp = {REGION_BP}
local_bp = 600
city_share_percent = { tier1 = 30 }
county_tiers = { 150702 = "tier1" }

[[coverage_group]]
id = "low"
name = "低收入人口"
kind = "categories"
categories = ["tekun", "dibao"]
target_percent = 99

[[coverage_group]]
id = "overall"
name = "全民参保"
kind = "overall"
target_percent = 95

[counties]
150702 = "海拉尔区"
150703 = "扎赉诺尔区"
"#;

/// A late payer after six uncovered years (waits and the ≥ 4-year rule), a
/// due-0 特困 row (subsidy, fiscal count), a payment in the period, a
/// newborn with nothing (missing, due the ordinary amount), an unpaid 低保
/// rating (re-rating), a death before the year with a payment (full refund),
/// and a hardship payment of the ordinary amount (HARDSHIP_DIFF).
const ENROLLMENT: &str = "身份证号,姓名,参保年度,险种类型,参保区划代码,参保状态,核定类别,应缴金额,实缴金额,缴费日期,待遇开始日期\n\
150702198001010017,甲,2019,390,150702,参保缴费,普通居民,250,250,2018-11-01,\n\
150702198001010017,甲,2026,390,150702,参保缴费,普通居民,400,400,2026-01-31,2026-05-31\n\
150702195001010013,乙,2026,390,150702,参保缴费,特困,0,0,,\n\
15070319850101001X,丙,2026,390,150703,参保缴费,普通居民,400,400,2025-11-01,\n\
150702197001010012,丁,2026,390,150702,参保缴费,低保,200,,,\n\
150702194001010019,戊,2026,390,150702,参保缴费,普通居民,400,400,2025-10-10,\n\
150702196001010018,己,2026,390,150702,参保缴费,普通居民,400,400,2025-10-10,\n";

const CIVIL: &str = "姓名,身份证号,救助类别,认定日期,行政区划代码\n\
乙,150702195001010013,特困,2020-01-01,150702\n\
丁,150702197001010012,低保,2024-01-01,150702\n\
己,150702196001010018,低保,2024-01-01,150702\n";

const PERSONS: &str = "身份证号,姓名,常住区划代码,死亡日期\n\
150702198001010017,甲,150702,\n\
150702195001010013,乙,150702,\n\
15070319850101001X,丙,150703,\n\
150702197001010012,丁,150702,\n\
150702194001010019,戊,150702,2025-12-10\n\
150702196001010018,己,150702,\n\
150702202512010018,新,150702,\n";

/// Every process gets this long; a hang fails the case.
const LIMIT: Duration = Duration::from_secs(60);

struct Ran {
    code: Option<i32>,
    stderr: String,
}

/// Runs the binary with `args` in `w`, killing it after [`LIMIT`].
fn bounded(w: &Workdir, args: &[&str]) -> Ran {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(w.dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("yibao-recon {args:?} did not finish within {LIMIT:?} (a hang)");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut stderr);
    }
    Ran {
        code: status.code(),
        stderr,
    }
}

/// Yuan as written in TOML: small, at and past the 100,000 limit, the values
/// from the issue, around i64::MAX fen and yuan, and past i64 (not TOML).
fn amount() -> impl Strategy<Value = i128> {
    prop_oneof![
        Just(0i128),
        Just(1),
        Just(400),
        Just(100_000),
        Just(100_001),
        Just(20_000_000_000_000_000),
        Just(92_233_720_368_547_758),
        Just(92_233_720_368_547_759),
        Just(i128::from(i64::MAX)),
        Just(i128::from(i64::MAX) + 1),
        (0i128..=200_000),
        any::<u64>().prop_map(i128::from),
    ]
}

fn days() -> impl Strategy<Value = u64> {
    prop_oneof![
        Just(0u64),
        Just(90),
        Just(3_660),
        Just(3_661),
        Just(u64::from(u32::MAX)),
        Just(u64::from(u32::MAX) + 1),
        (0u64..=5_000),
        any::<u32>().prop_map(u64::from),
    ]
}

fn months() -> impl Strategy<Value = u64> {
    prop_oneof![
        Just(0u64),
        Just(3),
        Just(120),
        Just(121),
        Just(4_000_000),
        Just(u64::from(u32::MAX)),
        (0u64..=200),
        any::<u32>().prop_map(u64::from),
    ]
}

/// (central, region) basis points with local 600: the real split, the limit,
/// and a pair whose u32 sum wraps around to exactly 10000.
fn shares() -> impl Strategy<Value = (u64, u64)> {
    prop_oneof![
        Just((8_000u64, 1_400u64)),
        Just((9_400, 0)),
        Just((10_000, 0)),
        Just((u64::from(u32::MAX), 9_401)),
        (0u64..=12_000, 0u64..=12_000),
    ]
}

#[derive(Debug, Clone)]
struct Numbers {
    ordinary: i128,
    personal: i128,
    band: i128,
    per_capita: i128,
    fixed: (bool, u64),
    per_gap: u64,
    min_var: u64,
    newborn: u64,
    advance: u64,
    shares: (u64, u64),
}

/// The drawn numbers, grouped as the strategies draw them.
type Drawn = (
    (i128, i128, i128, i128),
    (bool, u64, u64, u64, u64),
    (u64, u64, (u64, u64)),
);

fn assemble(drawn: Drawn) -> Numbers {
    let (
        (ordinary, personal, band, per_capita),
        (by_days, d, m, per_gap, min_var),
        (newborn, advance, shares),
    ) = drawn;
    Numbers {
        ordinary,
        personal,
        band,
        per_capita,
        fixed: if by_days { (true, d) } else { (false, m) },
        per_gap,
        min_var,
        newborn,
        advance,
        shares,
    }
}

/// Any numbers at all: mostly refused.
fn any_numbers() -> impl Strategy<Value = Numbers> {
    (
        (amount(), amount(), amount(), amount()),
        (any::<bool>(), days(), months(), months(), months()),
        (
            prop_oneof![Just(90u64), Just(0), Just(366), Just(367), days()],
            prop_oneof![Just(60u64), Just(100), Just(101), months()],
            shares(),
        ),
    )
        .prop_map(assemble)
}

/// Numbers inside every limit, with the limits themselves often drawn: the
/// run must complete with them.
fn accepted_numbers() -> impl Strategy<Value = Numbers> {
    let amount = || prop_oneof![Just(1i128), Just(100_000), 1i128..=100_000];
    let months = || prop_oneof![Just(0u64), Just(120), 0u64..=120];
    (
        (amount(), amount(), amount(), amount()),
        (
            any::<bool>(),
            prop_oneof![Just(3_660u64), 0u64..=3_660],
            months(),
            months(),
            months(),
        ),
        (
            prop_oneof![Just(1u64), Just(366), 1u64..=366],
            0u64..=100,
            (0u64..=9_400).prop_map(|c| (c, 9_400 - c)),
        ),
    )
        .prop_map(assemble)
}

fn policy_text(n: &Numbers) -> String {
    // The personal amount stays below ordinary and the payer makes up the
    // difference, so the tier adds up whenever the amounts are acceptable.
    let personal = n.personal.min(n.ordinary - 1);
    let payer = n.ordinary - personal;
    let fixed = match n.fixed {
        (true, d) => format!("fixed_days = {d}"),
        (false, m) => format!("fixed_months = {m}"),
    };
    TEMPLATE
        .replace("{ORDINARY}", &n.ordinary.to_string())
        .replace("{PERSONAL}", &personal.to_string())
        .replace("{PAYER}", &payer.to_string())
        .replace("{BAND}", &n.band.to_string())
        .replace("{PER_CAPITA}", &n.per_capita.to_string())
        .replace("{FIXED}", &fixed)
        .replace("{PER_GAP}", &n.per_gap.to_string())
        .replace("{MIN_VAR}", &n.min_var.to_string())
        .replace("{NEWBORN}", &n.newborn.to_string())
        .replace("{ADVANCE}", &n.advance.to_string())
        .replace("{CENTRAL_BP}", &n.shares.0.to_string())
        .replace("{REGION_BP}", &n.shares.1.to_string())
}

#[derive(Debug, PartialEq, Eq)]
enum Checked {
    Refused,
    Accepted,
}

/// check-policy, then run: both refuse (exit 1, naming a policy key) or both
/// succeed with complete outputs whose money totals are not wrapped.
fn check_then_run(n: &Numbers) -> Checked {
    let w = Workdir::new();
    w.write("policy.toml", policy_text(n));
    w.write("in/enrollment.csv", ENROLLMENT);
    w.write("in/civil.csv", CIVIL);
    w.write("in/persons.csv", PERSONS);
    let check = bounded(&w, &["check-policy", "policy.toml"]);
    let run = bounded(
        &w,
        &[
            "run",
            "--policy",
            "policy.toml",
            "--as-of",
            "2026-01-31",
            "--enrollment",
            "in/enrollment.csv",
            "--civil",
            "in/civil.csv",
            "--persons",
            "in/persons.csv",
            "--out",
            "out",
            "--quiet",
        ],
    );
    match check.code {
        Some(1) => {
            // Issue 16: a value the TOML reader cannot hold is named by its line.
            assert!(
                check.stderr.contains("政策文件键") || check.stderr.contains("政策文件第"),
                "check-policy refused without naming a key or line: {}",
                check.stderr
            );
            assert_eq!(run.code, Some(1), "run of a refused policy: {}", run.stderr);
            assert!(
                run.stderr.contains("政策文件键") || run.stderr.contains("政策文件第"),
                "{}",
                run.stderr
            );
            Checked::Refused
        }
        Some(0) => {
            assert_eq!(
                run.code,
                Some(0),
                "run of an accepted policy: {}",
                run.stderr
            );
            let summary = w.read("out/summary.json");
            let v: serde_json::Value = serde_json::from_str(&summary).unwrap();
            for (file, o) in v["outputs"].as_object().unwrap() {
                for key in ["total_refund", "total_due", "full_year_total"] {
                    if let Some(s) = o.get(key).and_then(|x| x.as_str()) {
                        assert!(!s.starts_with('-'), "{file} {key} = {s} (wrapped)");
                    }
                }
            }
            Checked::Accepted
        }
        other => panic!(
            "check-policy exited {other:?} (a panic or a signal): {}",
            check.stderr
        ),
    }
}

proptest! {
    #![proptest_config(common::proptest_cases(24))]

    #[test]
    fn extreme_policy_values_are_refused_or_run_to_completion(n in any_numbers()) {
        check_then_run(&n);
    }

    #[test]
    fn values_at_the_limits_run_to_completion(n in accepted_numbers()) {
        prop_assert_eq!(check_then_run(&n), Checked::Accepted);
    }
}

/// The values from issue 13, each on its own: refused with its key.
#[test]
fn the_issue_values_are_policy_errors_naming_their_key() {
    let base = Numbers {
        ordinary: 400,
        personal: 0,
        band: 400,
        per_capita: 700,
        fixed: (false, 3),
        per_gap: 1,
        min_var: 3,
        newborn: 90,
        advance: 60,
        shares: (8_000, 1_400),
    };
    assert_eq!(check_then_run(&base), Checked::Accepted);
    for (n, key) in [
        (
            Numbers {
                fixed: (true, 4_294_967_295),
                ..base.clone()
            },
            "waiting_period.fixed_days",
        ),
        (
            Numbers {
                fixed: (false, 4_000_000),
                ..base.clone()
            },
            "waiting_period.fixed_months",
        ),
        (
            Numbers {
                ordinary: 20_000_000_000_000_000,
                ..base.clone()
            },
            "contribution.ordinary",
        ),
        (
            Numbers {
                ordinary: i128::from(i64::MAX),
                ..base.clone()
            },
            "contribution.ordinary",
        ),
    ] {
        let w = Workdir::new();
        w.write("policy.toml", policy_text(&n));
        let r = bounded(&w, &["check-policy", "policy.toml"]);
        assert_eq!(r.code, Some(1), "{key}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!("`{key}`")),
            "{key}: {}",
            r.stderr
        );
        assert!(!r.stderr.contains("above zero"), "{key}: {}", r.stderr);
        assert_eq!(check_then_run(&n), Checked::Refused);
    }
}

/// Amounts from the data are not capped by the policy: twelve digits of yuan
/// per row, repaid in full by a DUPLICATE refund. 92,234 such rows add up to
/// more than i64::MAX fen (92,233,720,368,547,758.07 yuan); the run stops
/// with an overflow error naming the list and writes nothing, instead of
/// printing a wrapped, negative total.
#[test]
fn a_money_total_past_i64_is_an_error_not_a_wrapped_number() {
    let w = Workdir::new();
    let mut e = String::from(
        "身份证号,姓名,参保年度,险种类型,参保区划代码,参保状态,核定类别,应缴金额,实缴金额,缴费日期,电子税票号\n",
    );
    for i in 0..92_240 {
        e.push_str(&format!(
            "150702198001010017,甲,2026,390,150702,参保缴费,普通居民,400,999999999999.99,2025-11-01,T{i:08}\n"
        ));
    }
    w.write("in/enrollment.csv", e);
    let policy = common::repo().join("policies/hulunbuir-2026.toml");
    let r = bounded(
        &w,
        &[
            "run",
            "--policy",
            policy.to_str().unwrap(),
            "--as-of",
            "2026-01-31",
            "--enrollment",
            "in/enrollment.csv",
            "--out",
            "out",
            "--quiet",
        ],
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("refunds.csv 退费金额"), "{}", r.stderr);
    assert!(r.stderr.contains("金额合计超出可计算范围"), "{}", r.stderr);
    assert!(!w.path("out").exists(), "nothing is written");
}
