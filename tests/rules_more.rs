//! Rules R3, R6, R7, R8 and R9 on the sample cases NX-28…NX-39 and
//! HL-17…HL-25 of sample_data/CASES.md. Every test runs the real binary on a
//! copy of the sample inputs (`inputs/…`) and compares fields exactly.
//!
//! Expected fields are written as `"header=value; header=value"` specs (a blank
//! value is written `header=`), as in tests/examples.rs.

use crate::common;

use common::rows::*;
use common::run_sample;
use std::collections::BTreeMap;

/// A percentage cell without its `%` sign, if the report prints one (SPEC
/// does not fix the rate format; CASES.md writes `73.68%` and `99%`).
fn pct(s: &str) -> &str {
    s.trim().trim_end_matches('%')
}

// ---------------------------------------------------------------------------
// R3 — other refunds (Ningxia: DECEASED auto until 2026-06-30; DUPLICATE and
// JOINED_EMPLOYEE only for payments in the period, closed 2025-12-31)
// ---------------------------------------------------------------------------

#[test]
fn r3_nx28_died_before_y_is_deceased_400_payable_until_2026_06_30() {
    let w = run_sample("ningxia", OUT);
    let id = "640121194906184315";
    check(
        &one(&report(&w, "refunds.csv"), id, "refunds"),
        "区划代码=640121; 参保年度=2026; 退费原因代码=DECEASED; 实缴金额=400.00; \
         缴费日期=2025-11-03; 退费金额=400.00; 状态代码=payable; 申请截止日期=2026-06-30; \
         电子税票号=364000002025110019; 参保文件=inputs/enrollment.csv; 参保行号=70",
    );
    // No HARDSHIP_DIFF (no identity), no subsidy, paid inside the period.
    for f in ["subsidy_detail.csv", "late_payment.csv", "transfers.csv"] {
        none(&report(&w, f), id, f);
    }
}

#[test]
fn r3_nx29_died_on_y_jan_1_gets_no_refund() {
    let w = run_sample("ningxia", OUT);
    let id = "640181195210094427";
    for f in ["refunds.csv", "late_payment.csv", "subsidy_detail.csv"] {
        none(&report(&w, f), id, f);
    }
}

#[test]
fn r3_nx30_duplicate_refunds_the_later_640105_row_expired() {
    let w = run_sample("ningxia", OUT);
    let id = "640104198604224512";
    // Only the later payment (line 77, 640105); line 76 (640104, 2025-11-01) is kept.
    check(
        &one(&report(&w, "refunds.csv"), id, "refunds"),
        "区划代码=640105; 退费原因代码=DUPLICATE; 实缴金额=400.00; 缴费日期=2025-11-15; \
         退费金额=400.00; 状态代码=expired; 申请截止日期=2025-12-31; \
         电子税票号=364000002025110022; 参保文件=inputs/enrollment.csv; 参保行号=77",
    );
    for f in ["late_payment.csv", "transfers.csv", "subsidy_detail.csv"] {
        none(&report(&w, f), id, f);
    }
}

#[test]
fn r3_nx31_same_day_duplicate_keeps_the_lowest_county_and_refunds_640106() {
    let w = run_sample("ningxia", OUT);
    let id = "640104199101134624";
    // Line 80 (640106) comes first in the file but is the one refunded.
    check(
        &one(&report(&w, "refunds.csv"), id, "refunds"),
        "区划代码=640106; 退费原因代码=DUPLICATE; 实缴金额=400.00; 缴费日期=2025-11-20; \
         退费金额=400.00; 状态代码=expired; 申请截止日期=2025-12-31; \
         电子税票号=364000002025110023; 参保文件=inputs/enrollment.csv; 参保行号=80",
    );
    for f in ["late_payment.csv", "transfers.csv", "subsidy_detail.csv"] {
        none(&report(&w, f), id, f);
    }
}

#[test]
fn r3_nx32_paid_390_and_active_310_is_joined_employee_400_expired() {
    let w = run_sample("ningxia", OUT);
    let id = "640205198210014717";
    // The 390 row (line 84) only; the 310 row (line 85) is not refunded.
    check(
        &one(&report(&w, "refunds.csv"), id, "refunds"),
        "区划代码=640205; 退费原因代码=JOINED_EMPLOYEE; 实缴金额=400.00; \
         缴费日期=2025-11-10; 退费金额=400.00; 状态代码=expired; 申请截止日期=2025-12-31; \
         电子税票号=364000002025110025; 参保文件=inputs/enrollment.csv; 参保行号=84",
    );
    for f in ["late_payment.csv", "subsidy_detail.csv"] {
        none(&report(&w, f), id, f);
    }
}

#[test]
fn r3_nx33_suspended_310_row_is_not_joined_employee() {
    let w = run_sample("ningxia", OUT);
    let id = "640303198903084825";
    for f in ["refunds.csv", "late_payment.csv", "subsidy_detail.csv"] {
        none(&report(&w, f), id, f);
    }
}

#[test]
fn r3_ningxia_refunds_are_ten_rows_3600_payable_2400_expired_1200() {
    let w = run_sample("ningxia", OUT);
    let rows = report(&w, "refunds.csv");
    // id, reason, status, 参保行号
    let want = [
        "640104194503120134 HARDSHIP_DIFF payable 26", // NX-14
        "640104196804121025 HARDSHIP_DIFF payable 4",  // NX-E1
        "640104198604224512 DUPLICATE expired 77",     // NX-30
        "640104199101134624 DUPLICATE expired 80",     // NX-31
        "640105195909232110 HARDSHIP_DIFF payable 7",  // NX-E2
        "640121194906184315 DECEASED payable 70",      // NX-28
        "640205198210014717 JOINED_EMPLOYEE expired 84", // NX-32
        "640221197412121823 HARDSHIP_DIFF payable 38", // NX-19a
        "640302197710051428 HARDSHIP_DIFF payable 29", // NX-15
        "640502198307071918 HARDSHIP_DIFF payable 41", // NX-19b
    ];
    let want_ids: Vec<&str> = want.iter().map(|w| &w[..18]).collect();
    assert_eq!(ids(&rows), want_ids, "{rows:#?}");
    for line in want {
        let f = words(line);
        let spec = format!(
            "退费原因代码={}; 状态代码={}; 参保行号={}",
            f[1], f[2], f[3]
        );
        check(&one(&rows, f[0], "refunds"), &spec);
    }
    let mut by_status: BTreeMap<&str, i64> = BTreeMap::new();
    for r in &rows {
        *by_status.entry(r["状态代码"].as_str()).or_default() += fen(&r["退费金额"]);
    }
    assert_eq!(by_status["payable"], 240_000, "payable 2,400.00");
    assert_eq!(by_status["expired"], 120_000, "expired 1,200.00");
    assert_eq!(by_status.values().sum::<i64>(), 360_000, "total 3,600.00");
    // Not refunded: NX-29 (died 2026-01-01), NX-33 (310 row 暂停).
    none(&rows, "640181195210094427", "NX-29");
    none(&rows, "640303198903084825", "NX-33");
}

// ---------------------------------------------------------------------------
// R6 — late payment & waiting period
// ---------------------------------------------------------------------------

#[test]
fn r6_ningxia_late_payers_nx34_nx35_listed_nx36_nx39_exempt() {
    let w = run_sample("ningxia", OUT);
    let rows = report(&w, "late_payment.csv");
    // NX-E3, NX-34, NX-35 only.
    let want = "640106197201303249 640423197509274918 640424198105165046";
    assert_eq!(ids(&rows), words(want), "{rows:#?}");
    // NX-34: late, recorded start right → no flag.
    check(
        &one(&rows, "640423197509274918", "NX-34"),
        "区划代码=640423; 参保年度=2026; 缴费日期=2026-01-05; 实缴金额=400.00; \
         集中征缴期后缴费=是; 连续断保年数=0; 应缴标准=400.00; 变动等待期(月)=0; \
         应享待遇开始日期=2026-04-05; 系统待遇开始日期=2026-04-05; 核查标记=; \
         参保文件=inputs/enrollment.csv; 参保行号=92",
    );
    // NX-35: paid 300, expected 400 → AMOUNT_MISMATCH; start 2026-04-20 right.
    check(
        &one(&rows, "640424198105165046", "NX-35"),
        "区划代码=640424; 缴费日期=2026-01-20; 实缴金额=300.00; 集中征缴期后缴费=是; \
         连续断保年数=0; 应缴标准=400.00; 变动等待期(月)=0; 应享待遇开始日期=2026-04-20; \
         系统待遇开始日期=2026-04-20; 核查标记=AMOUNT_MISMATCH; \
         参保文件=inputs/enrollment.csv; 参保行号=95",
    );
    // NX-E3 (worked example 3): start 2026-04-10 = recorded.
    check(
        &one(&rows, "640106197201303249", "NX-E3"),
        "缴费日期=2026-01-10; 实缴金额=400.00; 集中征缴期后缴费=是; 应缴标准=400.00; \
         应享待遇开始日期=2026-04-10; 系统待遇开始日期=2026-04-10; 核查标记=; 参保行号=10",
    );
    // NX-36: 低保 at d (exempt). NX-39: newborn exactly 183 days old (exempt).
    // NX-22: paid on C1, not late.
    none(&rows, "640381196612245123", "NX-36");
    none(&rows, "640181202508015413", "NX-39");
    none(&rows, "640302199306162424", "NX-22");
    // NX-36 paid its tier: no refund, no conflict. NX-39: no refund, not missing.
    let refunds = report(&w, "refunds.csv");
    none(&refunds, "640381196612245123", "NX-36 refunds");
    none(&refunds, "640181202508015413", "NX-39 refunds");
    none(
        &report(&w, "conflicts.csv"),
        "640381196612245123",
        "NX-36 conflicts",
    );
    let missing = report(&w, "missing_enrollment.csv");
    none(&missing, "640381196612245123", "NX-36 missing");
    none(&missing, "640181202508015413", "NX-39 missing");
}

#[test]
fn r6_hulunbuir_gap_waits_hl17_hl18_hl19_hl20() {
    let w = run_sample("hulunbuir", OUT);
    let rows = report(&w, "late_payment.csv");
    // HL-13, HL-18, HL-17, HL-20, HL-19 (sorted by ID).
    let want = "150703197905303615 150724198411023521 150725197103213413 \
                150727199508123717 150784198805052225";
    assert_eq!(ids(&rows), words(want), "{rows:#?}");
    // HL-17: gap 4, 修复年数 2 → max(0, 4 − 2) = 2, floored to 3 variable months.
    check(
        &one(&rows, "150725197103213413", "HL-17"),
        "区划代码=150725; 参保年度=2026; 缴费日期=2025-11-20; 实缴金额=400.00; \
         集中征缴期后缴费=否; 连续断保年数=4; 修复年数=2; 应缴标准=400.00; \
         变动等待期(月)=3; 应享待遇开始日期=2026-07-01; 系统待遇开始日期=2026-07-01; \
         核查标记=; 参保文件=inputs/enrollment.csv; 参保行号=43",
    );
    // HL-18: gap 1 → 2026-05-01; recorded 2026-04-01 → START_MISMATCH.
    check(
        &one(&rows, "150724198411023521", "HL-18"),
        "区划代码=150724; 缴费日期=2025-12-01; 实缴金额=400.00; 集中征缴期后缴费=否; \
         连续断保年数=1; 修复年数=0; 应缴标准=400.00; 变动等待期(月)=1; \
         应享待遇开始日期=2026-05-01; 系统待遇开始日期=2026-04-01; \
         核查标记=START_MISMATCH; 参保文件=inputs/enrollment.csv; 参保行号=45",
    );
    // HL-19: late, continuous history → 3 months fixed only.
    check(
        &one(&rows, "150703197905303615", "HL-19"),
        "区划代码=150703; 缴费日期=2026-01-15; 实缴金额=400.00; 集中征缴期后缴费=是; \
         连续断保年数=0; 应缴标准=400.00; 变动等待期(月)=0; \
         应享待遇开始日期=2026-04-15; 系统待遇开始日期=2026-04-15; 核查标记=; \
         参保文件=inputs/enrollment.csv; 参保行号=48",
    );
    // HL-20: late, no row before 2026 → gap 0, NO_HISTORY; 待遇开始日期 blank.
    check(
        &one(&rows, "150727199508123717", "HL-20"),
        "区划代码=150727; 缴费日期=2026-01-08; 实缴金额=400.00; 集中征缴期后缴费=是; \
         连续断保年数=0; 应缴标准=400.00; 变动等待期(月)=0; \
         应享待遇开始日期=2026-04-08; 系统待遇开始日期=; 核查标记=NO_HISTORY; \
         参保文件=inputs/enrollment.csv; 参保行号=49",
    );
    // HL-13 (pre-existing): gap 1 → 2026-05-01, 待遇开始日期 blank.
    check(
        &one(&rows, "150784198805052225", "HL-13"),
        "连续断保年数=1; 应享待遇开始日期=2026-05-01; 系统待遇开始日期=; 核查标记=; \
         参保行号=33",
    );
    // Exempt or not triggered: HL-21/HL-22 (subsidised at d), HL-15 (gap 0).
    for id in [
        "150723196402153812",
        "150785197306063925",
        "150726195802282423",
    ] {
        none(&rows, id, "late_payment");
    }
}

// ---------------------------------------------------------------------------
// R7 — transfers
// ---------------------------------------------------------------------------

#[test]
fn r7_transfers_nx27_and_nx38_not_nx37() {
    let w = run_sample("ningxia", OUT);
    let rows = report(&w, "transfers.csv");
    let want = "640122196703152925 640205197802195326";
    assert_eq!(ids(&rows), words(want), "{rows:#?}");
    // NX-27: 低保 in 贺兰县 (640122001), enrolled in 兴庆区.
    check(
        &one(&rows, "640122196703152925", "NX-27"),
        "区划代码=640122; 身份类别代码=dibao; 参保区划代码=640104; \
         依据文件=inputs/civil.csv; 依据行号=17; 参保文件=inputs/enrollment.csv; 参保行号=64",
    );
    // NX-38: the best identity (dibao, 640205) decides, not the agri one (640221).
    check(
        &one(&rows, "640205197802195326", "NX-38"),
        "区划代码=640205; 身份类别代码=dibao; 参保区划代码=640221; \
         依据文件=inputs/civil.csv; 依据行号=26; 参保文件=inputs/enrollment.csv; \
         参保行号=104",
    );
    // NX-37: 640104001 (9 digits) = 640104.
    none(&rows, "640104197207075213", "NX-37");
    // Hulunbuir: no transfers at all.
    let h = run_sample("hulunbuir", OUT);
    assert!(report(&h, "transfers.csv").is_empty());
}

// ---------------------------------------------------------------------------
// R8 — coverage
// ---------------------------------------------------------------------------

/// Asserts coverage.csv against a CASES.md table of
/// `group county base covered rate target needed` lines (county `TOTAL` for the
/// total row). Every listed row must match exactly; a row CASES.md does not
/// list must have base 0 (SPEC leaves zero-base rows open); the report has no
/// group CASES.md does not list.
fn coverage_is(rows: &[Row], table: &str) {
    let want: Vec<Vec<&str>> = table.lines().map(words).filter(|f| !f.is_empty()).collect();
    for f in &want {
        let hits: Vec<&Row> = rows
            .iter()
            .filter(|r| r["人群代码"] == f[0] && r["区划代码"] == f[1])
            .collect();
        assert_eq!(hits.len(), 1, "coverage {} {}: {rows:#?}", f[0], f[1]);
        let r = hits[0];
        let got = [
            r["应参保人数"].as_str(),
            r["已参保人数"].as_str(),
            pct(&r["参保率(%)"]),
            pct(&r["目标(%)"]),
            r["距目标还差人数"].as_str(),
        ];
        assert_eq!(got, f[2..7], "coverage {} {}: {r:#?}", f[0], f[1]);
    }
    for r in rows {
        let listed = want
            .iter()
            .any(|f| r["人群代码"] == f[0] && r["区划代码"] == f[1]);
        assert!(
            listed || (want.iter().any(|f| r["人群代码"] == f[0]) && r["应参保人数"] == "0"),
            "coverage row not in CASES.md: {r:#?}"
        );
    }
}

#[test]
fn r8_ningxia_coverage_low_income_and_newborn_as_in_cases() {
    let w = run_sample("ningxia", OUT);
    let rows = report(&w, "coverage.csv");
    coverage_is(
        &rows,
        "
low_income_and_alleviated 640104 3 3 100.00 99 0
low_income_and_alleviated 640105 1 1 100.00 99 0
low_income_and_alleviated 640106 1 1 100.00 99 0
low_income_and_alleviated 640122 2 1 50.00 99 1
low_income_and_alleviated 640181 1 1 100.00 99 0
low_income_and_alleviated 640202 1 1 100.00 99 0
low_income_and_alleviated 640205 1 1 100.00 99 0
low_income_and_alleviated 640221 1 1 100.00 99 0
low_income_and_alleviated 640302 1 1 100.00 99 0
low_income_and_alleviated 640324 1 0 0.00 99 1
low_income_and_alleviated 640381 1 1 100.00 99 0
low_income_and_alleviated 640402 2 1 50.00 99 1
low_income_and_alleviated 640422 1 0 0.00 99 1
low_income_and_alleviated 640502 1 1 100.00 99 0
low_income_and_alleviated 640522 1 0 0.00 99 1
low_income_and_alleviated TOTAL 19 14 73.68 99 5
newborn 640105 1 0 0.00 80 1
newborn 640181 1 1 100.00 80 0
newborn TOTAL 2 1 50.00 80 1
",
    );
}

#[test]
fn r8_hulunbuir_coverage_overall_and_rural_as_in_cases() {
    let w = run_sample("hulunbuir", OUT);
    let rows = report(&w, "coverage.csv");
    // HL-23 counts in 150781 (常住), HL-24 in 150702; HL-25 (dead at T) in no base.
    coverage_is(
        &rows,
        "
overall 150702 4 2 50.00 95 2
overall 150703 1 1 100.00 95 0
overall 150721 2 1 50.00 95 1
overall 150722 1 1 100.00 95 0
overall 150723 2 1 50.00 95 1
overall 150724 2 1 50.00 95 1
overall 150725 2 1 50.00 95 1
overall 150726 1 1 100.00 95 0
overall 150727 1 1 100.00 95 0
overall 150781 2 1 50.00 95 1
overall 150782 1 1 100.00 95 0
overall 150783 2 1 50.00 95 1
overall 150784 1 1 100.00 95 0
overall 150785 1 1 100.00 95 0
overall TOTAL 23 15 65.22 95 7
rural_low_income_and_alleviated 150702 3 2 66.67 99 1
rural_low_income_and_alleviated 150722 1 1 100.00 99 0
rural_low_income_and_alleviated 150723 1 0 0.00 99 1
rural_low_income_and_alleviated 150724 1 0 0.00 99 1
rural_low_income_and_alleviated 150725 1 0 0.00 99 1
rural_low_income_and_alleviated 150726 1 1 100.00 99 0
rural_low_income_and_alleviated 150785 1 1 100.00 99 0
rural_low_income_and_alleviated TOTAL 9 5 55.56 99 4
",
    );
}

// ---------------------------------------------------------------------------
// R9 — subsidy ledger and fiscal ledger
// ---------------------------------------------------------------------------

#[test]
fn r9_hl21_disabled_g1_settled_canlian_100_and_medical_assistance_100() {
    let w = run_sample("hulunbuir", OUT);
    let id = "150723196402153812";
    let detail = report(&w, "subsidy_detail.csv");
    let mine = for_id(&detail, id);
    assert_eq!(mine.len(), 2, "HL-21: one row per payer: {mine:#?}");
    let payer = |name: &str| -> Row {
        let hits: Vec<&&Row> = mine.iter().filter(|r| r["资助方"] == name).collect();
        assert_eq!(hits.len(), 1, "HL-21 payer {name}: {mine:#?}");
        (*hits[0]).clone()
    };
    let base = "区划代码=150723; 参保年度=2026; 身份类别代码=disabled_g1; 该档个人缴费=200.00; \
                  实缴金额=200.00; 资助状态=settled; 依据文件=inputs/disability.csv; \
                  依据行号=6; 参保文件=inputs/enrollment.csv; 参保行号=52";
    check(&payer("残联"), &format!("{base}; 资助金额=100.00"));
    check(
        &payer("医疗救助基金"),
        &format!("{base}; 资助方代码=medical_assistance; 资助金额=100.00"),
    );
    // Paid exactly the tier: nothing else.
    for f in [
        "refunds.csv",
        "rerating.csv",
        "missing_enrollment.csv",
        "conflicts.csv",
        "late_payment.csv",
    ] {
        none(&report(&w, f), id, f);
    }
}

#[test]
fn r9_hl22_dibao_paid_400_is_pending_review_200() {
    let w = run_sample("hulunbuir", OUT);
    let id = "150785197306063925";
    check(
        &one(&report(&w, "subsidy_detail.csv"), id, "subsidy_detail"),
        "区划代码=150785; 参保年度=2026; 身份类别代码=dibao; 该档个人缴费=200.00; \
         实缴金额=400.00; 资助方代码=medical_assistance; 资助方=医疗救助基金; \
         资助金额=200.00; 资助状态=pending_review; 依据文件=inputs/civil.csv; 依据行号=10; \
         参保文件=inputs/enrollment.csv; 参保行号=55",
    );
    // The county ledger: 根河市 has HL-22's pending 200.00 and nothing else.
    let ledger = report(&w, "subsidy_ledger.csv");
    let here: Vec<&Row> = ledger
        .iter()
        .filter(|r| r["区划代码"] == "150785")
        .collect();
    assert_eq!(here.len(), 1, "{ledger:#?}");
    check(
        here[0],
        "资助方代码=medical_assistance; 资助状态=pending_review; 人数=1; 资助金额=200.00",
    );
    for f in ["late_payment.csv", "missing_enrollment.csv", "rerating.csv"] {
        none(&report(&w, f), id, f);
    }
}

#[test]
fn r9_hulunbuir_subsidy_detail_lists_exactly_the_six_cases() {
    let w = run_sample("hulunbuir", OUT);
    let rows = report(&w, "subsidy_detail.csv");
    // id, county, payer, amount, status (CASES.md whole-run expectations)
    let want = [
        "150702196803081029 150702 医疗救助基金 200.00 pending_review", // HL-01
        "150722198104161526 150722 医疗救助基金 200.00 settled",        // HL-06
        "150723196402153812 150723 残联 100.00 settled",                // HL-21
        "150723196402153812 150723 医疗救助基金 100.00 settled",        // HL-21
        "150726195802282423 150726 医疗救助基金 200.00 settled",        // HL-15
        "150782197208022012 150782 残联 100.00 settled",                // HL-11
        "150782197208022012 150782 医疗救助基金 100.00 settled",        // HL-11
        "150785197306063925 150785 医疗救助基金 200.00 pending_review", // HL-22
    ];
    let mut got: Vec<String> = rows
        .iter()
        .map(|r| {
            let k = ["身份证号", "区划代码", "资助方", "资助金额", "资助状态"];
            k.map(|k| r[k].as_str()).join(" ")
        })
        .collect();
    got.sort();
    let mut want = want.to_vec();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn r9_ningxia_subsidy_detail_nx36_nx37_nx38_and_total_4260() {
    let w = run_sample("ningxia", OUT);
    let rows = report(&w, "subsidy_detail.csv");
    // id, county (参保区划代码), amount; all medical_assistance, settled.
    let want = [
        "640104194503120134 640104 320.00", // NX-14
        "640104195002142727 640104 400.00", // NX-25
        "640104196804121025 640104 320.00", // NX-E1
        "640104197207075213 640104 320.00", // NX-37
        "640105195909232110 640105 400.00", // NX-E2
        "640106198711112615 640106 400.00", // NX-24
        "640122196703152925 640104 320.00", // NX-27
        "640205197802195326 640221 320.00", // NX-38: 参保 640221, not civil 640205
        "640221197412121823 640221 320.00", // NX-19a
        "640302197710051428 640302 320.00", // NX-15
        "640381196612245123 640381 320.00", // NX-36
        "640502198307071918 640502 320.00", // NX-19b
        "642221197005052818 640402 180.00", // NX-26
    ];
    let want_ids: Vec<&str> = want.iter().map(|w| &w[..18]).collect();
    assert_eq!(ids(&rows), want_ids, "{rows:#?}");
    let mut total = 0;
    for line in want {
        let f = words(line);
        let r = one(&rows, f[0], "subsidy_detail");
        let spec = format!(
            "区划代码={}; 资助金额={}; 资助方代码=medical_assistance; 资助状态=settled",
            f[1], f[2]
        );
        check(&r, &spec);
        total += fen(&r["资助金额"]);
    }
    assert_eq!(total, 426_000, "total 4,260.00");
    check(
        &one(&rows, "640381196612245123", "NX-36"),
        "身份类别代码=dibao; 实缴金额=80.00; 依据文件=inputs/civil.csv; 依据行号=24; \
         参保行号=98",
    );
    check(
        &one(&rows, "640205197802195326", "NX-38"),
        "身份类别代码=dibao; 依据文件=inputs/civil.csv; 依据行号=26; 参保行号=104",
    );
    // Ningxia has no fiscal split: no fiscal_ledger.csv.
    assert!(!w.path(&format!("{OUT}/fiscal_ledger.csv")).exists());
}

#[test]
fn r9_hulunbuir_fiscal_ledger_as_in_cases_total_16_persons_11200_advance_6720() {
    let w = run_sample("hulunbuir", OUT);
    let rows = report(&w, "fiscal_ledger.csv");
    // county tier persons full central region city banner untiered
    //   advance adv.central adv.region adv.city adv.banner adv.untiered
    let table = "\
150702 tier1 2 1400.00 1120.00 196.00 25.20 58.80 0.00 840.00 672.00 117.60 15.12 35.28 0.00
150703 tier2 1 700.00 560.00 98.00 21.00 21.00 0.00 420.00 336.00 58.80 12.60 12.60 0.00
150721 tier3 1 700.00 560.00 98.00 29.40 12.60 0.00 420.00 336.00 58.80 17.64 7.56 0.00
150722 tier2 1 700.00 560.00 98.00 21.00 21.00 0.00 420.00 336.00 58.80 12.60 12.60 0.00
150723 tier2 1 700.00 560.00 98.00 21.00 21.00 0.00 420.00 336.00 58.80 12.60 12.60 0.00
150724 tier1 1 700.00 560.00 98.00 12.60 29.40 0.00 420.00 336.00 58.80 7.56 17.64 0.00
150725 tier1 1 700.00 560.00 98.00 12.60 29.40 0.00 420.00 336.00 58.80 7.56 17.64 0.00
150726 tier3 1 700.00 560.00 98.00 29.40 12.60 0.00 420.00 336.00 58.80 17.64 7.56 0.00
150727 tier1 1 700.00 560.00 98.00 12.60 29.40 0.00 420.00 336.00 58.80 7.56 17.64 0.00
150781 untiered 1 700.00 560.00 98.00 0.00 0.00 42.00 420.00 336.00 58.80 0.00 0.00 25.20
150782 tier2 1 700.00 560.00 98.00 21.00 21.00 0.00 420.00 336.00 58.80 12.60 12.60 0.00
150783 tier1 1 700.00 560.00 98.00 12.60 29.40 0.00 420.00 336.00 58.80 7.56 17.64 0.00
150784 tier2 1 700.00 560.00 98.00 21.00 21.00 0.00 420.00 336.00 58.80 12.60 12.60 0.00
150785 tier3 2 1400.00 1120.00 196.00 58.80 25.20 0.00 840.00 672.00 117.60 35.28 15.12 0.00
TOTAL - 16 11200.00 8960.00 1568.00 298.20 331.80 42.00 6720.00 5376.00 940.80 178.92 199.08 25.20";
    let cols = [
        "人数",
        "全年补助合计",
        "中央",
        "自治区",
        "市级",
        "旗市区",
        "未分档地方部分",
        "预拨合计",
        "预拨中央",
        "预拨自治区",
        "预拨市级",
        "预拨旗市区",
        "预拨未分档地方部分",
    ];
    let want: Vec<Vec<&str>> = table.lines().map(words).collect();
    let counties: Vec<&str> = rows.iter().map(|r| r["区划代码"].as_str()).collect();
    let want_counties: Vec<&str> = want.iter().map(|f| f[0]).collect();
    assert_eq!(counties, want_counties, "county rows, then TOTAL");
    for f in &want {
        let r = rows.iter().find(|r| r["区划代码"] == f[0]).unwrap();
        if f[1] != "-" {
            check(r, &format!("财政分档={}", f[1]));
        }
        for (k, v) in cols.iter().zip(&f[2..]) {
            check(r, &format!("{k}={v}"));
        }
        check(r, "人均补助标准=700.00");
    }
    // HL-25 (died 2026-01-20, paid 2026) is counted with HL-01 in 150702;
    // HL-17…HL-22 each add one person to their county.
}
