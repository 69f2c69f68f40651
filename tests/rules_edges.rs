//! Issue 12: the five rule classes where an independent implementation of
//! SPEC §4 disagreed with the tool (R5 newborns, R5/R8 elsewhere, R9 void
//! rows, R3 blank payment days, R6 month sums). Each test builds small input
//! files, runs the real binary and asserts the exact rows; every expected
//! value is worked out by hand from the SPEC's text in the comments.

use crate::common;

use common::rows::{check, for_id, none, one, Row};
use common::{read_csv, repo, valid_id as id, Workdir};

const ENROLL: &str = "身份证号,姓名,参保年度,险种类型,参保区划代码,参保状态,核定类别,应缴金额,实缴金额,缴费日期,待遇开始日期\n";
const CIVIL: &str = "姓名,身份证号,救助类别,认定日期,行政区划代码\n";
const PERSONS: &str = "身份证号,姓名,常住区划代码,死亡日期\n";
const ELSEWHERE: &str = "身份证号,姓名,说明,年度\n";

/// Writes the given inputs (kind → body without header) and runs `region`'s
/// seed policy at `as_of`; returns the work directory (outputs in `out/`).
fn run(region: &str, as_of: &str, inputs: &[(&str, String)]) -> Workdir {
    let w = Workdir::new();
    let policy = repo().join(format!("policies/{region}-2026.toml"));
    let policy = policy.to_str().unwrap().to_string();
    let mut args: Vec<String> = ["run", "--policy", &policy, "--as-of", as_of]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for (kind, body) in inputs {
        let header = match *kind {
            "enrollment" => ENROLL,
            "civil" => CIVIL,
            "persons" => PERSONS,
            "elsewhere" => ELSEWHERE,
            other => panic!("no header for {other}"),
        };
        let rel = format!("in/{kind}.csv");
        w.write(&rel, format!("{header}{body}"));
        args.extend([format!("--{kind}"), rel]);
    }
    args.extend(["--out", "out", "--quiet"].map(String::from));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    w.run_expect(&refs, 0);
    w
}

fn out(w: &Workdir, name: &str) -> Vec<Row> {
    read_csv(&w.path(&format!("out/{name}")))
}

/// The lines of output `name` whose column `col` holds `value`, as written.
fn lines_for(w: &Workdir, name: &str, col: &str, value: &str) -> Vec<String> {
    let text = w.read(&format!("out/{name}"));
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let at = header
        .iter()
        .position(|h| h.trim_start_matches('\u{feff}') == col)
        .unwrap();
    text.lines()
        .skip(1)
        .filter(|l| l.split(',').nth(at) == Some(value))
        .map(str::to_string)
        .collect()
}

// ---------------------------------------------------------------------------
// R5: newborns with no paid 390 row are listed even when an active 310 row
// covers them, identity or not.
// ---------------------------------------------------------------------------

/// Ningxia, T = 2026-01-31, window 183 days; both born 2025-12-01 (61 days).
/// A holds 低保 (nx-80) from 2025-12-05 in 640104 and an active 310 row;
/// B holds no identity, an active 310 row, and lives in 640105.
/// SPEC R5: listed, due the ordinary amount unless an identity gives less
/// (A: 80.00, placed by the identity; B: 400.00, placed by the register);
/// no 390 row at all → 未登记; after C1 a newborn may still enrol (dynamic open).
#[test]
fn r5_newborn_covered_only_by_an_active_310_row_is_listed_with_or_without_identity() {
    let a = id("64010420251201001");
    let b = id("64010520251201002");
    let w = run(
        "ningxia",
        "2026-01-31",
        &[
            (
                "enrollment",
                format!(
                    "{a},新甲,2026,310,640104,参保缴费,,,,,\n{b},新乙,2026,310,640105,参保缴费,,,,,\n"
                ),
            ),
            ("civil", format!("新甲,{a},低保,2025-12-05,640104\n")),
            (
                "persons",
                format!("{a},新甲,640104,\n{b},新乙,640105,\n"),
            ),
        ],
    );
    let missing = out(&w, "missing_enrollment.csv");
    assert_eq!(missing.len(), 2, "{missing:#?}");
    check(
        &one(&missing, &a, "missing"),
        "区划代码=640104; 身份类别代码=dibao; 来源部门=民政; 身份认定日期=2025-12-05; \
         应缴金额=80.00; 登记状态=未登记; 可动态参保=是; 新生儿=是",
    );
    check(
        &one(&missing, &b, "missing"),
        "区划代码=640105; 身份类别代码=ordinary; 来源部门=一人一档人员库; 应缴金额=400.00; \
         登记状态=未登记; 可动态参保=是; 新生儿=是",
    );
    // Neither has a paid 390 row: both in the newborn base, neither covered.
    let cov = out(&w, "coverage.csv");
    let total = cov
        .iter()
        .find(|r| r["人群代码"] == "newborn" && r["区划代码"] == "TOTAL")
        .unwrap();
    check(total, "应参保人数=2; 已参保人数=0");
}

// ---------------------------------------------------------------------------
// R5/R8: a newborn listed in `elsewhere` is never listed and counts as covered.
// ---------------------------------------------------------------------------

/// Ningxia, T = 2026-01-31; three newborns born 2025-12-01 living in 640104:
/// C listed elsewhere for 2026, D with a paid 390 row (400 on 2026-01-10),
/// E with nothing. R5 lists E only. R8 newborn in 640104: base 3, covered 2
/// (C, D), rate 2/3 = 66.67%, needed ⌈0.80 × 3⌉ − 2 = 3 − 2 = 1.
#[test]
fn r5_r8_newborn_listed_elsewhere_is_not_missing_and_counts_as_covered() {
    let c = id("64010420251201011");
    let d = id("64010420251201021");
    let e = id("64010420251201031");
    let w = run(
        "ningxia",
        "2026-01-31",
        &[
            (
                "enrollment",
                format!("{d},新丁,2026,390,640104,参保缴费,普通居民,400,400,2026-01-10,\n"),
            ),
            (
                "persons",
                format!("{c},新丙,640104,\n{d},新丁,640104,\n{e},新戊,640104,\n"),
            ),
            ("elsewhere", format!("{c},新丙,随父母在外省参保,2026\n")),
        ],
    );
    let missing = out(&w, "missing_enrollment.csv");
    assert_eq!(
        missing
            .iter()
            .map(|r| r["身份证号"].as_str())
            .collect::<Vec<_>>(),
        vec![e.as_str()]
    );
    check(
        &missing[0],
        "区划代码=640104; 应缴金额=400.00; 登记状态=未登记; 新生儿=是",
    );
    assert_eq!(
        lines_for(&w, "coverage.csv", "人群代码", "newborn"),
        vec![
            "newborn,新生儿,640104,兴庆区,3,2,66.67,80,1,否".to_string(),
            "newborn,新生儿,TOTAL,合计,3,2,66.67,80,1,否".to_string(),
        ]
    );
}

// ---------------------------------------------------------------------------
// R9: at most one subsidy per person and year; a void row is never
// subsidised, whatever its refund's status, even when it paid 0.
// ---------------------------------------------------------------------------

/// Ningxia, T = 2026-01-31 (DUPLICATE/JOINED_EMPLOYEE close 2025-12-31,
/// DECEASED 2026-06-30). All hold 低保 (nx-80: personal 80, 医疗救助 320)
/// from 2024-01-01 in 640104.
/// - P2 paid 80 in 640104 on 2025-11-01 and 80 in 640105 on 2025-11-15: the
///   640105 row is a DUPLICATE, expired; one subsidy, on the kept 640104 row.
/// - P7 died 2025-12-10, paid 80 on 2025-11-01: DECEASED 80.00 payable; no subsidy.
/// - P8 is 特困 (nx-0) with a due-0 row and an active 310 row: JOINED_EMPLOYEE
///   voids the 390 row (paid 0, so no refund row); no subsidy.
#[test]
fn r9_void_rows_are_never_subsidised_ningxia() {
    let p2 = id("64010419800101201");
    let p7 = id("64010419400101701");
    let p8 = id("64010419500101801");
    let w = run(
        "ningxia",
        "2026-01-31",
        &[
            (
                "enrollment",
                format!(
                    "{p2},赵二,2026,390,640104,参保缴费,低保,80,80,2025-11-01,\n\
                     {p2},赵二,2026,390,640105,参保缴费,低保,80,80,2025-11-15,\n\
                     {p7},钱七,2026,390,640104,参保缴费,低保,80,80,2025-11-01,\n\
                     {p8},孙八,2026,390,640104,参保缴费,特困,0,0,,\n\
                     {p8},孙八,2026,310,640104,参保缴费,,,,,\n"
                ),
            ),
            (
                "civil",
                format!(
                    "赵二,{p2},低保,2024-01-01,640104\n钱七,{p7},低保,2024-01-01,640104\n\
                     孙八,{p8},特困,2024-01-01,640104\n"
                ),
            ),
            (
                "persons",
                format!("{p2},赵二,640104,\n{p7},钱七,640104,2025-12-10\n{p8},孙八,640104,\n"),
            ),
        ],
    );
    let refunds = out(&w, "refunds.csv");
    check(
        &one(&refunds, &p2, "refunds"),
        "区划代码=640105; 退费原因代码=DUPLICATE; 退费金额=80.00; 状态代码=expired; \
         申请截止日期=2025-12-31",
    );
    check(
        &one(&refunds, &p7, "refunds"),
        "区划代码=640104; 退费原因代码=DECEASED; 退费金额=80.00; 状态代码=payable; \
         申请截止日期=2026-06-30",
    );
    none(&refunds, &p8, "refunds");
    assert_eq!(refunds.len(), 2, "{refunds:#?}");

    let detail = out(&w, "subsidy_detail.csv");
    assert_eq!(detail.len(), 1, "{detail:#?}");
    check(
        &one(&detail, &p2, "subsidy_detail"),
        "区划代码=640104; 身份类别代码=dibao; 资助档次=nx-80; 该档个人缴费=80.00; 实缴金额=80.00; \
         资助方代码=medical_assistance; 资助金额=320.00; 资助状态=settled; 参保行号=2",
    );
    assert_eq!(
        lines_for(&w, "subsidy_ledger.csv", "资助方代码", "medical_assistance"),
        vec![
            "640104,兴庆区,medical_assistance,医疗救助基金,settled,1,320.00".to_string(),
            "TOTAL,合计,medical_assistance,医疗救助基金,settled,1,320.00".to_string(),
        ]
    );
}

/// Ningxia at T = 2026-07-31: the DECEASED refund (deadline 2026-06-30) has
/// expired; the row is still void, so still no subsidy.
#[test]
fn r9_expired_deceased_refund_does_not_revive_the_subsidy() {
    let p = id("64010419400101702");
    let w = run(
        "ningxia",
        "2026-07-31",
        &[
            (
                "enrollment",
                format!("{p},钱九,2026,390,640104,参保缴费,低保,80,80,2025-11-01,\n"),
            ),
            ("civil", format!("钱九,{p},低保,2024-01-01,640104\n")),
            ("persons", format!("{p},钱九,640104,2025-12-10\n")),
        ],
    );
    check(
        &one(&out(&w, "refunds.csv"), &p, "refunds"),
        "退费原因代码=DECEASED; 退费金额=80.00; 状态代码=expired; 申请截止日期=2026-06-30",
    );
    assert!(out(&w, "subsidy_detail.csv").is_empty());
}

/// Hulunbuir, T = 2026-01-31 (no duplicate/joined/deceased rule: R3 lists them
/// for review, no deadline). 150702 is fiscal tier1 (city 30% of the local 6%).
/// - P1 特困, died 2025-12-10, due-0 row with no date: void, no refund row (paid
///   0), no subsidy, not in the fiscal count.
/// - P3 低保 (hl-200-ma), paid 200 in 150702 on 2025-10-10 and in 150703 on
///   2025-11-15: DUPLICATE 200.00 review on 150703; one subsidy (150702, 200.00
///   settled); counted once, in 150702.
/// - P4 低保, paid 200 on 2025-10-10 plus an active 310 row: JOINED_EMPLOYEE
///   200.00 review; no subsidy; not counted.
/// - P5 特困, alive, due-0 row with no date: subsidy 400.00 settled; counted.
/// - P6 低保, died 2025-12-10, paid 200 on 2025-10-10: DECEASED 200.00 review;
///   no subsidy; not counted.
///
/// Fiscal, 150702: 2 persons × 700 = 1400.00; central 80% 1120.00; region 14%
/// 196.00; local 6% 84.00 → city 30% 25.20, banner 58.80; advance 60% 840.00
/// (672.00, 117.60, 15.12, 35.28). No 150703 row; total 2 persons.
#[test]
fn r9_void_rows_are_never_subsidised_nor_counted_hulunbuir() {
    let p1 = id("15070219400101101");
    let p3 = id("15070219800101301");
    let p4 = id("15070219800101401");
    let p5 = id("15070219500101501");
    let p6 = id("15070219400101601");
    let w = run(
        "hulunbuir",
        "2026-01-31",
        &[
            (
                "enrollment",
                format!(
                    "{p1},李一,2026,390,150702,参保缴费,特困,0,0,,\n\
                     {p3},李三,2026,390,150702,参保缴费,低保,200,200,2025-10-10,\n\
                     {p3},李三,2026,390,150703,参保缴费,低保,200,200,2025-11-15,\n\
                     {p4},李四,2026,390,150702,参保缴费,低保,200,200,2025-10-10,\n\
                     {p4},李四,2026,310,150702,参保缴费,,,,,\n\
                     {p5},李五,2026,390,150702,参保缴费,特困,0,0,,\n\
                     {p6},李六,2026,390,150702,参保缴费,低保,200,200,2025-10-10,\n"
                ),
            ),
            (
                "civil",
                format!(
                    "李一,{p1},特困,2020-01-01,150702\n李三,{p3},低保,2024-01-01,150702\n\
                     李四,{p4},低保,2024-01-01,150702\n李五,{p5},特困,2020-01-01,150702\n\
                     李六,{p6},低保,2024-01-01,150702\n"
                ),
            ),
            (
                "persons",
                format!(
                    "{p1},李一,150702,2025-12-10\n{p3},李三,150702,\n{p4},李四,150702,\n\
                     {p5},李五,150702,\n{p6},李六,150702,2025-12-10\n"
                ),
            ),
        ],
    );
    let refunds = out(&w, "refunds.csv");
    assert_eq!(refunds.len(), 3, "{refunds:#?}");
    none(&refunds, &p1, "refunds");
    check(
        &one(&refunds, &p3, "refunds"),
        "区划代码=150703; 退费原因代码=DUPLICATE; 退费金额=200.00; 状态代码=review; 申请截止日期=",
    );
    check(
        &one(&refunds, &p4, "refunds"),
        "区划代码=150702; 退费原因代码=JOINED_EMPLOYEE; 退费金额=200.00; 状态代码=review",
    );
    check(
        &one(&refunds, &p6, "refunds"),
        "区划代码=150702; 退费原因代码=DECEASED; 退费金额=200.00; 状态代码=review",
    );

    let detail = out(&w, "subsidy_detail.csv");
    assert_eq!(detail.len(), 2, "{detail:#?}");
    check(
        &one(&detail, &p3, "subsidy_detail"),
        "区划代码=150702; 资助档次=hl-200-ma; 实缴金额=200.00; 资助方代码=medical_assistance; \
         资助金额=200.00; 资助状态=settled; 参保行号=3",
    );
    check(
        &one(&detail, &p5, "subsidy_detail"),
        "区划代码=150702; 资助档次=hl-0; 实缴金额=0.00; 资助方代码=medical_assistance; \
         资助金额=400.00; 资助状态=settled; 参保行号=7",
    );
    for p in [&p1, &p4, &p6] {
        assert!(for_id(&detail, p).is_empty(), "{p}: {detail:#?}");
    }

    let fiscal = w.read("out/fiscal_ledger.csv");
    let rows: Vec<&str> = fiscal.lines().skip(1).collect();
    assert_eq!(
        rows,
        vec![
            "150702,海拉尔区,tier1,2,700.00,1400.00,1120.00,196.00,25.20,58.80,0.00,60,840.00,672.00,117.60,15.12,35.28,0.00",
            "TOTAL,合计,,2,700.00,1400.00,1120.00,196.00,25.20,58.80,0.00,60,840.00,672.00,117.60,15.12,35.28,0.00",
        ]
    );
}

// ---------------------------------------------------------------------------
// R3: a blank 缴费日期 counts as C1 wherever R3 compares payment days.
// ---------------------------------------------------------------------------

/// The shape of issue 12, class 4: 特困 since 2020 recognised in `undated`,
/// a due-0 row there with no 缴费日期, and the ordinary 400 paid on
/// 2025-11-15 in `dated` (T = 2026-01-31). Returns the work directory and the
/// one refund row and the one subsidy row the SPEC gives this shape.
fn blank_date_shape(region: &str, p: String, undated: &str, dated: &str) -> (Workdir, (Row, Row)) {
    let w = run(
        region,
        "2026-01-31",
        &[
            (
                "enrollment",
                format!(
                    "{p},周一,2026,390,{undated},参保缴费,特困,0,0,,\n\
                     {p},周一,2026,390,{dated},参保缴费,普通居民,400,400,2025-11-15,\n"
                ),
            ),
            ("civil", format!("周一,{p},特困,2020-01-01,{undated}\n")),
        ],
    );
    let (refunds, detail) = (out(&w, "refunds.csv"), out(&w, "subsidy_detail.csv"));
    assert_eq!(
        (refunds.len(), detail.len()),
        (1, 1),
        "{refunds:#?}\n{detail:#?}"
    );
    let rows = (refunds[0].clone(), detail[0].clone());
    (w, rows)
}

/// Ningxia, T = 2026-01-31. 特困 (nx-0) since 2020 in 640104. A due-0 row with
/// no date in 640104 (counts as C1 = 2025-12-31) and 400 paid in 640105 on
/// 2025-11-15: the dated row is earlier, so it is kept and the due-0 row is the
/// DUPLICATE (paid 0: no refund row). The kept row was priced by 特困 (0) over
/// w = [2025-11-15, 2025-12-31]: HARDSHIP_DIFF 400.00, auto → payable (no
/// deadline). R9 follows: one subsidy, on 640105, 医疗救助 400.00, settled (an
/// auto refund brings the row to the tier's 0).
#[test]
fn r3_blank_pay_date_counts_as_c1_so_a_dated_payment_is_kept() {
    let (refunds, detail) =
        blank_date_shape("ningxia", id("64010419600101001"), "640104", "640105").1;
    check(
        &refunds,
        "区划代码=640105; 退费原因代码=HARDSHIP_DIFF; 实缴金额=400.00; 缴费日期=2025-11-15; \
         退费金额=400.00; 身份类别代码=tekun; 该档个人缴费=0.00; 状态代码=payable; \
         申请截止日期=; 参保行号=3",
    );
    check(
        &detail,
        "区划代码=640105; 资助档次=nx-0; 实缴金额=400.00; 资助方代码=medical_assistance; \
         资助金额=400.00; 资助状态=settled; 参保行号=3",
    );
}

/// Hulunbuir, T = 2026-01-31: the same shape with the undated due-0 row in
/// 150702 (tier1) and 400 paid on 2025-11-15 in 150703 (tier2). The 150703 row
/// is kept: HARDSHIP_DIFF 400.00 review; subsidy on 150703 pending_review (only
/// a review refund brings it to 0); the fiscal count places the person in
/// 150703: 700.00, central 560.00, region 98.00, local 42.00 → city 50% 21.00,
/// banner 21.00; advance 60% 420.00 (336.00, 58.80, 12.60, 12.60).
#[test]
fn r3_r9_blank_pay_date_the_subsidy_and_fiscal_county_follow_the_kept_row() {
    let (w, (refunds, detail)) =
        blank_date_shape("hulunbuir", id("15070219600101001"), "150702", "150703");
    check(
        &refunds,
        "区划代码=150703; 退费原因代码=HARDSHIP_DIFF; 退费金额=400.00; 状态代码=review",
    );
    check(
        &detail,
        "区划代码=150703; 资助档次=hl-0; 资助金额=400.00; 资助状态=pending_review; 参保行号=3",
    );
    let fiscal = w.read("out/fiscal_ledger.csv");
    assert_eq!(
        fiscal.lines().skip(1).collect::<Vec<_>>(),
        vec![
            "150703,扎赉诺尔区,tier2,1,700.00,700.00,560.00,98.00,21.00,21.00,0.00,60,420.00,336.00,58.80,12.60,12.60,0.00",
            "TOTAL,合计,,1,700.00,700.00,560.00,98.00,21.00,21.00,0.00,60,420.00,336.00,58.80,12.60,12.60,0.00",
        ]
    );
}

// ---------------------------------------------------------------------------
// R6: waiting months are summed first and added once, then clamped.
// ---------------------------------------------------------------------------

/// Hulunbuir (3 fixed + 1 per gap year; ≥ 4 years: at least 3), T = 2026-02-28.
/// All paid the ordinary 400 on 2026-01-31 (late: after C1 2025-12-31; the
/// 2026 band is 400), no identity, born 1980.
/// - Q1: covered 2024, no 2025 row → gap 1 → 3 + 1 = 4 months:
///   2026-01-31 + 4 months = 2026-05-31 (not 2026-04-30 + 1 = 2026-05-30).
/// - Q2: covered 2022, no 2023/2024 rows, 2025 row unpaid → gap 3 → 3 + 3 = 6
///   months: 2026-07-31. The ledger says 2026-07-30 → START_MISMATCH.
/// - Q3: as Q2 with the ledger saying 2026-07-31 → no flag.
#[test]
fn r6_waiting_months_are_summed_then_added_once_and_start_mismatch_follows() {
    let q1 = id("15070219800101011");
    let q2 = id("15070219800101021");
    let q3 = id("15070219800101031");
    let mut e = format!(
        "{q1},郑一,2024,390,150702,参保缴费,普通居民,380,380,2023-11-01,\n\
         {q1},郑一,2026,390,150702,参保缴费,普通居民,400,400,2026-01-31,\n"
    );
    for (q, name, recorded) in [(&q2, "郑二", "2026-07-30"), (&q3, "郑三", "2026-07-31")] {
        e.push_str(&format!(
            "{q},{name},2022,390,150702,参保缴费,普通居民,350,350,2021-11-01,\n\
             {q},{name},2025,390,150702,参保缴费,普通居民,400,,,\n\
             {q},{name},2026,390,150702,参保缴费,普通居民,400,400,2026-01-31,{recorded}\n"
        ));
    }
    let w = run("hulunbuir", "2026-02-28", &[("enrollment", e)]);
    let late = out(&w, "late_payment.csv");
    assert_eq!(late.len(), 3, "{late:#?}");
    check(
        &one(&late, &q1, "late"),
        "缴费日期=2026-01-31; 集中征缴期后缴费=是; 连续断保年数=1; 修复年数=0; 应缴标准=400.00; \
         变动等待期(月)=1; 应享待遇开始日期=2026-05-31; 系统待遇开始日期=; 核查标记=",
    );
    check(
        &one(&late, &q2, "late"),
        "连续断保年数=3; 变动等待期(月)=3; 应享待遇开始日期=2026-07-31; \
         系统待遇开始日期=2026-07-30; 核查标记=START_MISMATCH",
    );
    check(
        &one(&late, &q3, "late"),
        "连续断保年数=3; 变动等待期(月)=3; 应享待遇开始日期=2026-07-31; \
         系统待遇开始日期=2026-07-31; 核查标记=",
    );
}
