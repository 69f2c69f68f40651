//! Edge cases on small synthetic files: a late-payment band boundary, the
//! refund modes from the policy, formula injection in a roster.

use crate::common;

use common::{read_csv, repo, valid_id as id, Workdir};

const ENROLL_HEADER: &str = "身份证号,姓名,参保年度,险种类型,参保区划代码,参保状态,核定类别,应缴金额,实缴金额,缴费日期,待遇开始日期\n";

fn run(w: &Workdir, policy: &str, as_of: &str, extra: &[&str]) {
    let mut args = vec![
        "run",
        "--policy",
        policy,
        "--as-of",
        as_of,
        "--enrollment",
        "in/enrollment.csv",
        "--out",
        "out",
        "--quiet",
    ];
    args.extend_from_slice(extra);
    w.run_expect(&args, 0);
}

#[test]
fn ningxia_band_boundary_june_30_is_400_july_1_is_1100() {
    let w = Workdir::new();
    let (a, b) = (id("64010419800101121"), id("64010419800101122"));
    w.write(
        "in/enrollment.csv",
        format!(
            "{ENROLL_HEADER}{a},甲,2026,390,640104,参保缴费,普通居民,400,400,2026-06-30,2026-09-28\n\
             {b},乙,2026,390,640104,参保缴费,普通居民,1100,1100,2026-07-01,\n"
        ),
    );
    let policy = repo().join("policies/ningxia-2026.toml");
    run(&w, policy.to_str().unwrap(), "2026-07-31", &[]);
    let late = read_csv(&w.path("out/late_payment.csv"));
    let row = |i: &str| {
        late.iter()
            .find(|r| r["身份证号"] == i)
            .unwrap_or_else(|| panic!("{i}: {late:#?}"))
    };
    let ra = row(&a);
    assert_eq!(
        (
            ra["应缴标准"].as_str(),
            ra["应享待遇开始日期"].as_str(),
            ra["核查标记"].as_str()
        ),
        ("400.00", "2026-09-28", "NO_HISTORY")
    );
    let rb = row(&b);
    assert_eq!(
        (
            rb["应缴标准"].as_str(),
            rb["应享待遇开始日期"].as_str(),
            rb["核查标记"].as_str()
        ),
        ("1100.00", "2026-09-29", "NO_HISTORY")
    );
}

#[test]
fn unpaid_ordinary_row_after_july_is_rerated_to_the_1100_band() {
    let w = Workdir::new();
    let a = id("64010419800101123");
    w.write(
        "in/enrollment.csv",
        format!("{ENROLL_HEADER}{a},丙,2026,390,640104,参保缴费,普通居民,400,,,\n"),
    );
    let policy = repo().join("policies/ningxia-2026.toml");
    run(&w, policy.to_str().unwrap(), "2026-07-31", &[]);
    let rr = read_csv(&w.path("out/rerating.csv"));
    assert_eq!(rr.len(), 1);
    assert_eq!(
        (rr[0]["新应缴金额"].as_str(), rr[0]["差额"].as_str()),
        ("1100.00", "700.00")
    );
}

/// The same paid-then-recognised person under the three HARDSHIP_DIFF modes.
#[test]
fn hardship_refund_mode_comes_from_the_policy() {
    let text = std::fs::read_to_string(repo().join("policies/ningxia-2026.toml")).unwrap();
    let a = id("64010419800101124");
    for (mode, want) in [
        ("auto", Some("payable")),
        ("review", Some("review")),
        ("off", None),
    ] {
        let w = Workdir::new();
        w.write(
            "policy.toml",
            text.replace(
                "[refunds.hardship_diff]\nmode = \"auto\"",
                &format!("[refunds.hardship_diff]\nmode = \"{mode}\""),
            ),
        );
        w.write(
            "in/enrollment.csv",
            format!(
                "{ENROLL_HEADER}{a},丁,2026,390,640104,参保缴费,普通居民,400,400,2025-11-05,\n"
            ),
        );
        w.write(
            "in/civil.csv",
            format!(
                "姓名,身份证号,救助类别,认定日期,行政区划代码\n丁,{a},低保,2025-11-20,640104\n"
            ),
        );
        run(
            &w,
            "policy.toml",
            "2026-01-31",
            &["--civil", "in/civil.csv"],
        );
        let refunds = read_csv(&w.path("out/refunds.csv"));
        assert_eq!(
            refunds.first().map(|r| r["状态代码"].as_str()),
            want,
            "mode {mode}"
        );
        // The subsidy follows: settled with an auto refund, pending review otherwise.
        let detail = read_csv(&w.path("out/subsidy_detail.csv"));
        let want_status = if mode == "auto" {
            "settled"
        } else {
            "pending_review"
        };
        assert_eq!(detail[0]["资助状态"], want_status, "mode {mode}");
    }
}

#[test]
fn formula_looking_text_is_neutralised_in_csv() {
    let w = Workdir::new();
    let a = id("64010419800101125");
    w.write("in/enrollment.csv", ENROLL_HEADER);
    w.write(
        "in/civil.csv",
        format!("姓名,身份证号,救助类别,认定日期,行政区划代码,乡镇街道,联系电话\n=HYPERLINK(\"http://x\"),{a},特困,2020-01-01,640104,+镇,@123\n"),
    );
    let policy = repo().join("policies/ningxia-2026.toml");
    run(
        &w,
        policy.to_str().unwrap(),
        "2026-01-31",
        &["--civil", "in/civil.csv"],
    );
    let missing = read_csv(&w.path("out/missing_enrollment.csv"));
    assert_eq!(missing[0]["姓名"], "'=HYPERLINK(\"http://x\")");
    assert_eq!(missing[0]["乡镇街道"], "'+镇");
    assert_eq!(missing[0]["联系电话"], "'@123");
    assert_eq!(missing[0]["应缴金额"], "0.00");
}
