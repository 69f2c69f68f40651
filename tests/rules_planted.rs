//! Rule readings the planted shapes of `generate --plant` (issue 12) pinned:
//! each test builds the smallest input that shows the case, runs the real
//! binary and asserts the exact rows, worked out by hand from the SPEC.

use crate::common;

use common::rows::{check, one, Row};
use common::{read_csv, repo, valid_id as id, Workdir};

const ENROLL: &str =
    "身份证号,姓名,参保年度,险种类型,参保区划代码,参保状态,核定类别,应缴金额,实缴金额,缴费日期\n";
const CIVIL: &str = "姓名,身份证号,救助类别,认定日期,行政区划代码\n";

fn out(w: &Workdir, name: &str) -> Vec<Row> {
    read_csv(&w.path(&format!("out/{name}")))
}

/// SPEC R7 lists "a person with an identity at `T` whose recognition county
/// differs from the 参保区划代码 of their 390 row for `Y`" and makes no
/// exception for rows R3 voids: a DUPLICATE row in another county is
/// refunded (R3) and listed as a transfer (R7) — the clerk sees the row sits
/// in another county than the recognition.
#[test]
fn r7_a_void_duplicate_row_in_another_county_is_a_transfer() {
    // A: 低保 in 640104, kept payment 640104 (2025-11-05), duplicate 640105
    //    (2025-11-10) → DUPLICATE refund on 640105 and a transfer
    //    640104 → 640105 for that row.
    // B: 低保 in 640104, kept payment 640105 (2025-11-01), duplicate 640104
    //    (2025-11-10) → one transfer 640104 → 640105 (the kept row); the
    //    duplicate is in the recognition county.
    // C: 低保 in 640104, one payment in 640105 → one transfer (control).
    let a = id("64010419700101101");
    let b = id("64010419700101102");
    let c = id("64010419700101103");
    let civil: String = [&a, &b, &c]
        .iter()
        .map(|i| format!("某某,{i},低保对象,2024-03-01,640104\n"))
        .collect();
    let row = |i: &str, county: &str, day: &str| {
        format!("{i},某某,2026,390,{county},参保缴费,低保对象,80,80,{day}\n")
    };
    let enrollment = [
        row(&a, "640104", "2025-11-05"),
        row(&a, "640105", "2025-11-10"),
        row(&b, "640105", "2025-11-01"),
        row(&b, "640104", "2025-11-10"),
        row(&c, "640105", "2025-11-05"),
    ]
    .concat();
    let w = Workdir::new();
    w.write("in/civil.csv", format!("{CIVIL}{civil}"));
    w.write("in/enrollment.csv", format!("{ENROLL}{enrollment}"));
    let policy = repo().join("policies/ningxia-2026.toml");
    w.run_expect(
        &[
            "run",
            "--policy",
            policy.to_str().unwrap(),
            "--as-of",
            "2026-01-31",
            "--enrollment",
            "in/enrollment.csv",
            "--civil",
            "in/civil.csv",
            "--out",
            "out",
            "--quiet",
        ],
        0,
    );
    let transfers = out(&w, "transfers.csv");
    for i in [&a, &b, &c] {
        check(
            &one(&transfers, i, "transfer"),
            "区划代码=640104; 参保区划代码=640105",
        );
    }
    assert_eq!(transfers.len(), 3, "{transfers:#?}");
    let refunds = out(&w, "refunds.csv");
    check(
        &one(&refunds, &a, "refund"),
        "区划代码=640105; 退费金额=80.00",
    );
}
