//! Issue 14, inputs: a county the policy does not list, the grade and
//! population columns of the enrollment export, and the reject code for a
//! grade text the policy does not know. Expected rows come from the SPEC and
//! the text (comments give the reasoning), never from a run.

mod common;

use common::rows::{check, Row};
use common::{read_csv, repo, valid_id as id, Workdir};

const ENROLL: &str =
    "身份证号,姓名,参保年度,险种类型,参保区划代码,参保状态,核定类别,应缴金额,实缴金额,缴费日期\n";
const CIVIL: &str = "姓名,身份证号,救助类别,认定日期,行政区划代码\n";

/// Runs the Ningxia seed policy at 2026-01-31 on the given enrollment and
/// civil bodies (without headers).
fn run_ningxia(enrollment: &str, civil: &str) -> Workdir {
    let w = Workdir::new();
    w.write("in/enrollment.csv", format!("{ENROLL}{enrollment}"));
    w.write("in/civil.csv", format!("{CIVIL}{civil}"));
    let policy = repo().join("policies/ningxia-2026.toml");
    let policy = policy.to_str().unwrap();
    w.run_expect(
        &[
            "run",
            "--policy",
            policy,
            "--as-of",
            "2026-01-31",
            "--enrollment",
            "in/enrollment.csv",
            "--civil",
            "in/civil.csv",
            "--out",
            "out",
            "--quiet",
            "--no-ledger",
        ],
        0,
    );
    w
}

fn out(w: &Workdir, name: &str) -> Vec<Row> {
    read_csv(&w.path(&format!("out/{name}")))
}

/// 640199 starts with Ningxia's prefix 64 but is not one of the 22 counties
/// the policy's [counties] lists: OUT_OF_REGION on both the enrollment row
/// and the civil row, the message naming 640199 (issue 14: never accepted
/// with a blank county name). The listed county 640104 is read as before.
#[test]
fn a_county_the_policy_does_not_list_is_out_of_region_naming_it() {
    let a = id("64010419800101001");
    let b = id("64010419800101002");
    let w = run_ningxia(
        &format!(
            "{a},甲,2026,390,640199,参保缴费,,400,400,2025-11-05\n\
             {b},乙,2026,390,640104,参保缴费,,400,400,2025-11-05\n"
        ),
        &format!("丙,{b},低保对象,2025-01-01,640199001\n"),
    );
    let rejects = out(&w, "rejects.csv");
    assert_eq!(rejects.len(), 2, "{rejects:#?}");
    for r in &rejects {
        check(r, "拒收原因=OUT_OF_REGION");
        assert!(r["说明"].contains("640199"), "{r:#?}");
        assert!(r["说明"].contains("[counties]"), "{r:#?}");
    }
    check(
        &rejects[0],
        "文件=in/civil.csv; 行号=2; 列=行政区划代码; 原始值=640199001",
    );
    check(
        &rejects[1],
        "文件=in/enrollment.csv; 行号=2; 列=参保区划代码; 原始值=640199",
    );
    // B's civil row is rejected, so B holds no identity and paid the
    // ordinary 400: no refund; A's row never reaches a list.
    assert!(out(&w, "refunds.csv").is_empty());
    let summary = w.read("out/summary.json");
    let v: serde_json::Value = serde_json::from_str(&summary).unwrap();
    let inputs = v["inputs"].as_array().unwrap();
    let enrollment = inputs.iter().find(|i| i["kind"] == "enrollment").unwrap();
    assert_eq!(enrollment["accepted"], 1, "{enrollment:#}");
    assert_eq!(enrollment["rejected"], 1, "{enrollment:#}");
}
