//! Worked examples (SPEC §4), the sample cases of sample_data/CASES.md, reject
//! classes one by one, and encoding equivalence. Every test runs the real binary.
//!
//! Expected fields are written as `"header=value; header=value"` specs and are
//! compared exactly (a blank value is written `header=`).

use crate::common;

use common::rows::*;
use common::{repo, run_sample, sample_args, Workdir};

fn summary_inputs(w: &Workdir, out: &str) -> Vec<serde_json::Value> {
    let text = w.read(&format!("{out}/summary.json"));
    let s: serde_json::Value = serde_json::from_str(&text).unwrap();
    s["inputs"].as_array().expect("inputs[]").clone()
}

/// The summary input of this kind (the first, if several).
fn input<'a>(inputs: &'a [serde_json::Value], kind: &str) -> &'a serde_json::Value {
    inputs.iter().find(|i| i["kind"] == kind).unwrap()
}

/// Lines of `text` split at `sep`.
fn table(text: &str, sep: char) -> Vec<Vec<&str>> {
    text.lines().map(|l| l.split(sep).collect()).collect()
}

/// [rows_read, accepted, rejected, merged_duplicates] of one summary input.
fn counts(i: &serde_json::Value) -> [u64; 4] {
    let n = |k: &str| i[k].as_u64().unwrap_or_else(|| panic!("{k} in {i}"));
    ["rows_read", "accepted", "rejected", "merged_duplicates"].map(n)
}

/// rows_read = accepted + rejected + merged_duplicates.
fn reconciles(c: [u64; 4]) -> bool {
    c[0] == c[1] + c[2] + c[3]
}

// ---------------------------------------------------------------------------
// SPEC §4 worked examples (Ningxia, T = 2026-01-31)
// ---------------------------------------------------------------------------

#[test]
fn worked_example_1_paid_in_period_dibao_later_refunds_320() {
    let w = run_sample("ningxia", OUT);
    let id = "640104196804121025";
    let r = one(&report(&w, "refunds.csv"), id, "refunds");
    check(
        &r,
        "退费原因代码=HARDSHIP_DIFF; 实缴金额=400.00; 缴费日期=2025-11-05; 退费金额=320.00; \
         身份类别代码=dibao; 该档个人缴费=80.00; 依据文件=inputs/civil.csv; 依据行号=2; \
         状态代码=payable; 电子税票号=364000002025110001; 参保文件=inputs/enrollment.csv; \
         参保行号=4",
    );
    none(&report(&w, "rerating.csv"), id, "rerating");
    none(&report(&w, "missing_enrollment.csv"), id, "missing");
}

#[test]
fn worked_example_2_disability_g2_beats_dibao_refunds_400() {
    let w = run_sample("ningxia", OUT);
    let id = "640105195909232110";
    let r = one(&report(&w, "refunds.csv"), id, "refunds");
    check(
        &r,
        "退费原因代码=HARDSHIP_DIFF; 退费金额=400.00; 身份类别代码=disabled_g2; \
         该档个人缴费=0.00; 依据文件=inputs/disability.csv; 依据行号=2; 状态代码=payable; \
         参保行号=7",
    );
    none(&report(&w, "missing_enrollment.csv"), id, "missing");
}

#[test]
fn worked_example_3_late_payer_identity_after_c1_gets_no_refund() {
    let w = run_sample("ningxia", OUT);
    let id = "640106197201303249";
    none(&report(&w, "refunds.csv"), id, "refunds");
    // R6: a late-payment row, expected 400, benefit start 2026-04-10 (90 days).
    check(
        &one(&report(&w, "late_payment.csv"), id, "late_payment"),
        "缴费日期=2026-01-10; 集中征缴期后缴费=是; 应缴标准=400.00; 应享待遇开始日期=2026-04-10; 核查标记=",
    );
    none(&report(&w, "rerating.csv"), id, "rerating");
    none(&report(&w, "missing_enrollment.csv"), id, "missing");
}

#[test]
fn worked_example_4_exited_dibao_unpaid_rerated_to_ordinary_400() {
    let w = run_sample("ningxia", OUT);
    let id = "640121196607084153";
    let r = one(&report(&w, "rerating.csv"), id, "rerating");
    check(
        &r,
        "参保年度=2026; 原类别代码=dibao; 原应缴金额=80.00; 新类别代码=ordinary; \
         新应缴金额=400.00; 差额=320.00; 参保文件=inputs/enrollment.csv; 参保行号=13",
    );
    none(&report(&w, "missing_enrollment.csv"), id, "missing");
    none(&report(&w, "refunds.csv"), id, "refunds");
}

#[test]
fn worked_example_5_tekun_without_2026_row_is_missing_due_0_open() {
    let w = run_sample("ningxia", OUT);
    let r = one(
        &report(&w, "missing_enrollment.csv"),
        "640324195103035177",
        "missing",
    );
    check(
        &r,
        "区划代码=640324; 身份类别代码=tekun; 来源部门=民政; 应缴金额=0.00; 登记状态=未登记; \
         可动态参保=是; 乡镇街道=丁塘镇; 村社区=丁塘村; 联系电话=13995300517; \
         来源文件=inputs/civil.csv; 来源行号=6",
    );
}

#[test]
fn worked_example_6_risk_cleared_monitored_unstable_rerated_to_poverty_alleviated_220() {
    let w = run_sample("ningxia", OUT);
    let id = "640522198011196020";
    let r = one(&report(&w, "rerating.csv"), id, "rerating");
    check(
        &r,
        "原类别代码=monitored_unstable; 原应缴金额=80.00; 新类别代码=poverty_alleviated; \
         新应缴金额=220.00; 差额=140.00; 依据文件=inputs/agri.csv; 依据行号=2; 参保行号=18",
    );
    let m = one(&report(&w, "missing_enrollment.csv"), id, "missing");
    check(
        &m,
        "区划代码=640522; 身份类别代码=poverty_alleviated; 来源部门=农业农村; 应缴金额=220.00; \
         登记状态=登记未缴费; 可动态参保=是; 乡镇街道=海城镇; 村社区=山门村; \
         联系电话=13709550602",
    );
}

// ---------------------------------------------------------------------------
// Other Ningxia cases
// ---------------------------------------------------------------------------

#[test]
fn ningxia_refunds_are_exactly_the_six_hardship_diffs_totalling_2000() {
    let w = run_sample("ningxia", OUT);
    // The R3 refunds (NX-28, NX-30, NX-31, NX-32) are pinned in tests/rules_more.rs.
    let rows: Vec<Row> = report(&w, "refunds.csv")
        .into_iter()
        .filter(|r| r["退费原因代码"] == "HARDSHIP_DIFF")
        .collect();
    let want = [
        "640104194503120134,320.00,elderly_low_income,26", // NX-14: 15-digit ID in civil.csv
        "640104196804121025,320.00,dibao,4",               // NX-E1
        "640105195909232110,400.00,disabled_g2,7",         // NX-E2
        "640221197412121823,320.00,dibao,38",              // NX-19a: '-prefixed ID
        "640302197710051428,320.00,dibao,29",              // NX-15: name mismatch
        "640502198307071918,320.00,dibao,41",              // NX-19b: ="…" ID
    ];
    let want_ids: Vec<&str> = want.iter().map(|w| &w[..18]).collect();
    assert_eq!(ids(&rows), want_ids);
    let mut total_fen = 0i64;
    for line in want {
        let f: Vec<&str> = line.split(',').collect();
        let r = one(&rows, f[0], "refunds");
        check(&r, "退费原因代码=HARDSHIP_DIFF; 状态代码=payable");
        check(
            &r,
            &format!(
                "退费金额={}; 身份类别代码={}; 参保行号={}",
                f[1], f[2], f[3]
            ),
        );
        total_fen += r["退费金额"].replace('.', "").parse::<i64>().unwrap();
    }
    assert_eq!(total_fen, 200_000, "refunds total 2,000.00");
    // The enrollment ledger's name wins over civil.csv's 孙莉娟 (NX-15).
    check(&one(&rows, "640302197710051428", "refunds"), "姓名=孙丽娟");
}

#[test]
fn ningxia_rerating_lists_exactly_four_rows_and_not_same_amount_same_payer() {
    let w = run_sample("ningxia", OUT);
    let rows = report(&w, "rerating.csv");
    let want = "640121196607084153 640181196101171731 640221195510012015 640522198011196020";
    assert_eq!(ids(&rows), words(want));
    // NX-18: 三级残疾 (certificate with reissue suffix B1) → disabled_g3 120.
    check(
        &one(&rows, "640181196101171731", "NX-18"),
        "原类别代码=ordinary; 原应缴金额=400.00; 新类别代码=disabled_g3; 新应缴金额=120.00; \
         差额=-280.00; 依据文件=inputs/disability.csv; 依据行号=3; 参保行号=35",
    );
    // NX-19c: full-width ID in veterans.csv → youfu 80.
    check(
        &one(&rows, "640221195510012015", "NX-19c"),
        "新类别代码=youfu; 新应缴金额=80.00; 差额=-320.00; 依据文件=inputs/veterans.csv; \
         依据行号=2; 参保行号=44",
    );
    // NX-07: rated 低保对象 80 = R1 amount, same payer.
    none(&rows, "640122196305277028", "NX-07");
}

#[test]
fn ningxia_missing_enrollment_lists_the_eight_expected_persons() {
    let w = run_sample("ningxia", OUT);
    let rows = report(&w, "missing_enrollment.csv");
    // id, 区划代码, 身份类别代码, 应缴金额, 登记状态, 可动态参保
    let want = [
        "640105202512011216,640105,ordinary,400.00,未登记,是", // NX-12 newborn
        "640122196305277028,640122,dibao,80.00,登记未缴费,是", // NX-07
        "640181196101171731,640181,disabled_g3,120.00,登记未缴费,是", // NX-18
        "640221195510012015,640221,youfu,80.00,登记未缴费,是", // NX-19c
        "640324195103035177,640324,tekun,0.00,未登记,是",      // NX-E5
        "640402201008168137,640402,defacto_orphan,400.00,未登记,否", // NX-08 untiered
        "64042220090418278X,640422,orphan,0.00,未登记,是",     // NX-19d lowercase x
        "640522198011196020,640522,poverty_alleviated,220.00,登记未缴费,是", // NX-E6
    ];
    let want_ids: Vec<&str> = want.iter().map(|w| &w[..18]).collect();
    assert_eq!(ids(&rows), want_ids);
    for line in want {
        let f: Vec<&str> = line.split(',').collect();
        let spec = format!(
            "区划代码={}; 身份类别代码={}; 应缴金额={}; 登记状态={}; 可动态参保={}",
            f[1], f[2], f[3], f[4], f[5]
        );
        check(&one(&rows, f[0], "missing"), &spec);
    }
    let m = |id: &str| one(&rows, id, "missing");
    check(&m("640105202512011216"), "新生儿=是");
    let outreach = "来源部门=民政; 乡镇街道=习岗镇; 村社区=新平村; 联系电话=13895100702";
    check(&m("640122196305277028"), outreach);
    check(&m("640181196101171731"), "来源部门=残联");
    check(&m("640221195510012015"), "来源部门=退役军人事务");
}

#[test]
fn ningxia_not_missing_dead_elsewhere_employee_old_baby_exited_or_covered() {
    let w = run_sample("ningxia", OUT);
    let rows = report(&w, "missing_enrollment.csv");
    for line in [
        "640121196607084153 NX-E4 低保 exited before T",
        "640323195212019057 NX-09 died 2025-12-20",
        "640181195802141012 NX-10 insured in another province",
        "640202198506301169 NX-11 covered by an active 310 row",
        "640106202506011320 NX-13 born 244 days before T, outside the window",
        "640302196404042510 NX-23 四级残疾 but paid",
        "640106197201303249 NX-E3 paid late, covered",
    ] {
        let (id, why) = line.split_once(' ').unwrap();
        none(&rows, id, why);
    }
}

#[test]
fn ningxia_conflicts_name_mismatch_unknown_rating_unsupported_rating() {
    let w = run_sample("ningxia", OUT);
    let rows = report(&w, "conflicts.csv");
    assert_eq!(rows.len(), 4, "{rows:#?}");
    check(
        &rows[0],
        "文件=inputs/civil.csv; 行号=13; 身份证号=640302197710051428; 姓名=孙莉娟; \
         问题代码=NAME_MISMATCH",
    );
    check(
        &rows[1],
        "文件=inputs/enrollment.csv; 行号=30; 身份证号=640104199003211518; \
         问题代码=UNKNOWN_RATING",
    );
    check(
        &rows[2],
        "文件=inputs/enrollment.csv; 行号=32; 身份证号=640106196908081622; \
         问题代码=UNSUPPORTED_RATING",
    );
    // NX-35: a late payer who paid 300, below the ordinary 400, with no identity.
    check(
        &rows[3],
        "文件=inputs/enrollment.csv; 行号=95; 身份证号=640424198105165046; 姓名=朱玉霞; \
         问题代码=UNSUPPORTED_RATING",
    );
    // NX-35 is in late_payment.csv (R6) but in none of these.
    for f in ["refunds.csv", "rerating.csv", "missing_enrollment.csv"] {
        none(&report(&w, f), "640424198105165046", f);
    }
    // NX-16 (read as 普通居民) and NX-17 (paid 80, unsupported) appear nowhere else.
    for id in ["640104199003211518", "640106196908081622"] {
        for f in ["refunds.csv", "rerating.csv", "missing_enrollment.csv"] {
            none(&report(&w, f), id, f);
        }
    }
}

// ---------------------------------------------------------------------------
// Hulunbuir cases
// ---------------------------------------------------------------------------

#[test]
fn hulunbuir_hl02_tie_goes_to_dibao_200_paid_by_medical_assistance_only() {
    let w = run_sample("hulunbuir", OUT);
    let id = "152101196206211131";
    check(
        &one(&report(&w, "rerating.csv"), id, "rerating"),
        "区划代码=150702; 原类别代码=ordinary; 原应缴金额=400.00; 新类别代码=dibao; \
         新应缴金额=200.00; 差额=-200.00; 资助方=医疗救助基金 200.00; \
         依据文件=inputs/civil.csv; 依据行号=3; 参保行号=7",
    );
    check(
        &one(&report(&w, "missing_enrollment.csv"), id, "missing"),
        "区划代码=150702; 身份类别代码=dibao; 来源部门=民政; 应缴金额=200.00; \
         登记状态=登记未缴费; 可动态参保=否",
    );
}

#[test]
fn hulunbuir_hl03_same_amount_other_payer_set_is_rerated_with_difference_zero() {
    let w = run_sample("hulunbuir", OUT);
    let id = "150723197509141226";
    check(
        &one(&report(&w, "rerating.csv"), id, "rerating"),
        "原类别代码=disabled_g1; 原应缴金额=200.00; 新类别代码=dibao; 新应缴金额=200.00; \
         差额=0.00; 资助方=医疗救助基金 200.00; 依据文件=inputs/civil.csv; 依据行号=4; \
         参保行号=9",
    );
    check(
        &one(&report(&w, "missing_enrollment.csv"), id, "missing"),
        "应缴金额=200.00; 登记状态=登记未缴费; 可动态参保=否",
    );
}

#[test]
fn hulunbuir_dynamic_open_only_for_identity_after_c1_hl05_yes_hl04_no() {
    let w = run_sample("hulunbuir", OUT);
    let rows = report(&w, "missing_enrollment.csv");
    check(
        &one(&rows, "150725195612031416", "HL-05"),
        "区划代码=150725; 身份类别代码=tekun; 应缴金额=0.00; 登记状态=未登记; 可动态参保=是; \
         乡镇街道=巴彦库仁镇; 村社区=呼和诺尔嘎查; 联系电话=13804700141",
    );
    check(
        &one(&rows, "150724201002271318", "HL-04"),
        "区划代码=150724; 身份类别代码=defacto_orphan; 应缴金额=0.00; 登记状态=未登记; \
         可动态参保=否; 乡镇街道=巴彦托海镇; 村社区=团结社区; 联系电话=13904700131",
    );
}

#[test]
fn hulunbuir_hl01_hl22_hardship_refunds_are_review_not_payable() {
    let w = run_sample("hulunbuir", OUT);
    let rows = report(&w, "refunds.csv");
    // Only HL-01 and HL-22: HL-10's byte-identical copy is merged, not a
    // DUPLICATE refund; HL-25 died after 2026-01-01, so no DECEASED refund.
    assert_eq!(ids(&rows), ["150702196803081029", "150785197306063925"]);
    check(
        &rows[0],
        "区划代码=150702; 身份证号=150702196803081029; 退费原因代码=HARDSHIP_DIFF; \
         实缴金额=400.00; 缴费日期=2025-10-10; 退费金额=200.00; 身份类别代码=dibao; \
         该档个人缴费=200.00; 依据文件=inputs/civil.csv; 依据行号=2; 身份起始日期=2025-11-01; \
         状态代码=review; 参保文件=inputs/enrollment.csv; 参保行号=4",
    );
    // HL-22: 低保 held since 2024-04-01, already on the payment day.
    check(
        &rows[1],
        "区划代码=150785; 身份证号=150785197306063925; 退费原因代码=HARDSHIP_DIFF; \
         实缴金额=400.00; 缴费日期=2025-10-15; 退费金额=200.00; 身份类别代码=dibao; \
         该档个人缴费=200.00; 依据文件=inputs/civil.csv; 依据行号=10; 身份起始日期=2024-04-01; \
         状态代码=review; 参保文件=inputs/enrollment.csv; 参保行号=55",
    );
}

#[test]
fn hulunbuir_whole_run_rerating_missing_and_conflicts() {
    let w = run_sample("hulunbuir", OUT);
    let rer = report(&w, "rerating.csv");
    let want = "150721197910301617 150723197509141226 152101196206211131";
    assert_eq!(ids(&rer), words(want));
    // HL-07: 边缘易致贫户 ended; it does not become poverty_alleviated.
    check(
        &one(&rer, "150721197910301617", "HL-07"),
        "原类别代码=monitored_marginal; 新类别代码=ordinary; 新应缴金额=400.00; 差额=200.00; \
         参保行号=18",
    );
    let miss = report(&w, "missing_enrollment.csv");
    let want = "150723197509141226 150724201002271318 150725195612031416 \
                150783202512151820 152101196206211131";
    let msg = "HL-07 (ended) and HL-14 (elsewhere) not listed";
    assert_eq!(ids(&miss), words(want), "{msg}");
    // HL-09: newborn inside the 90-day window.
    check(
        &one(&miss, "150783202512151820", "HL-09"),
        "区划代码=150783; 应缴金额=400.00; 登记状态=未登记; 可动态参保=是; 新生儿=是",
    );
    assert!(report(&w, "conflicts.csv").is_empty());
}

// ---------------------------------------------------------------------------
// Sample rejects: one test per reason code (CASES.md reject tables)
// ---------------------------------------------------------------------------

/// CASES.md reject tables: region,file,line,column,raw value,姓名,身份证号 as written,reason.
const SAMPLE_REJECTS: &str = "\
ningxia,agri.csv,4,身份证号,640422199902313330,蒋涛,640422199902313330,ID_BIRTHDATE
ningxia,civil.csv,19,身份证号,640104198202023121,彭丽,640104198202023121,ID_CHECKSUM
ningxia,civil.csv,20,认定日期,,宋杰,640105195705053516,MISSING_FIELD
ningxia,civil.csv,21,救助类别,临时救助对象,邓红,640106197108083827,UNKNOWN_CATEGORY
ningxia,civil.csv,22,退出日期,2025-03-01,曾军,640121196509093910,DATE_ORDER
ningxia,civil.csv,23,行政区划代码,150702,袁鹏,640105197611114110,OUT_OF_REGION
ningxia,disability.csv,6,残疾等级,一级,程静,64010419841010402943,DISABILITY_CERT_MISMATCH
ningxia,enrollment.csv,65,身份证号,64010419800101301,曹伟,64010419800101301,ID_LENGTH
ningxia,enrollment.csv,66,实缴金额,四百,许强,640105197807073736,BAD_AMOUNT
ningxia,enrollment.csv,67,缴费日期,,潘娜,640106199112124221,MISSING_FIELD
ningxia,veterans.csv,4,身份证号,990104197304043416,谢芳,990104197304043416,ID_REGION
ningxia,veterans.csv,5,认定日期,2025-13-40,唐敏,640106195606063627,BAD_DATE
hulunbuir,agri.csv,4,识别日期,2025-02-30,胡晓丽,150727197707173128,BAD_DATE
hulunbuir,civil.csv,9,行政区划代码,640104,石磊,150702198303033011,OUT_OF_REGION
hulunbuir,disability.csv,5,残疾类别,视力,霍建军,15078119690919321942,DISABILITY_CERT_MISMATCH
hulunbuir,enrollment.csv,39,参保年度,,廉春梅,150727198606063346,MISSING_FIELD
";

/// Every SAMPLE_REJECTS row with this reason is in that region's rejects.csv.
fn sample_rejects(reason: &str) {
    let want: Vec<Vec<&str>> = SAMPLE_REJECTS
        .lines()
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|f| f[7] == reason)
        .collect();
    assert!(!want.is_empty(), "no sample case for {reason}");
    for f in want {
        let w = run_sample(f[0], OUT);
        let rows = report(&w, "rejects.csv");
        let (file, n) = (format!("inputs/{}", f[1]), f[2]);
        let r = rows
            .iter()
            .find(|r| r["文件"] == file && r["行号"] == n)
            .unwrap_or_else(|| panic!("{}: no reject for {file}:{n} in {rows:#?}", f[0]));
        let spec = format!(
            "列={}; 原始值={}; 姓名={}; 身份证号(原文)={}; 拒收原因={}",
            f[3], f[4], f[5], f[6], f[7]
        );
        check(r, &spec);
    }
}

#[test]
fn sample_reject_id_length() {
    sample_rejects("ID_LENGTH");
}

#[test]
fn sample_reject_id_checksum() {
    sample_rejects("ID_CHECKSUM");
}

#[test]
fn sample_reject_id_birthdate() {
    sample_rejects("ID_BIRTHDATE");
}

#[test]
fn sample_reject_id_region() {
    sample_rejects("ID_REGION");
}

#[test]
fn sample_reject_missing_field() {
    sample_rejects("MISSING_FIELD");
}

#[test]
fn sample_reject_bad_date() {
    sample_rejects("BAD_DATE");
}

#[test]
fn sample_reject_bad_amount() {
    sample_rejects("BAD_AMOUNT");
}

#[test]
fn sample_reject_unknown_category() {
    sample_rejects("UNKNOWN_CATEGORY");
}

#[test]
fn sample_reject_date_order() {
    sample_rejects("DATE_ORDER");
}

#[test]
fn sample_reject_disability_cert_mismatch() {
    sample_rejects("DISABILITY_CERT_MISMATCH");
}

#[test]
fn sample_reject_out_of_region() {
    sample_rejects("OUT_OF_REGION");
}

#[test]
fn sample_rejects_are_complete_sorted_and_counts_reconcile() {
    // region, total rejects, then per kind `kind:rows_read/rejected/merged_duplicates`
    let cases = "\
ningxia 12 civil:25/5/1 agri:4/1/0 disability:5/1/0 veterans:4/2/0 enrollment:104/3/0 \
persons:39/0/0 elsewhere:1/0/0
hulunbuir 4 civil:9/1/0 agri:3/1/0 disability:5/1/0 enrollment:57/1/1 persons:24/0/0 \
elsewhere:1/0/0";
    for f in table(cases, ' ') {
        let w = run_sample(f[0], OUT);
        let rows = report(&w, "rejects.csv");
        assert_eq!(rows.len().to_string(), f[1], "{}: {rows:#?}", f[0]);
        let key = |r: &Row| (r["文件"].clone(), r["行号"].parse::<u64>().unwrap());
        let keys: Vec<(String, u64)> = rows.iter().map(key).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "{}: sorted by file, then line", f[0]);
        let inputs = summary_inputs(&w, OUT);
        for spec in &f[2..] {
            let (kind, n) = spec.split_once(':').unwrap();
            let c = counts(input(&inputs, kind));
            let got = format!("{}/{}/{}", c[0], c[2], c[3]);
            assert_eq!(got, n, "{} {kind}: read/rejected/merged", f[0]);
            assert!(reconciles(c), "{} {kind}: {c:?}", f[0]);
        }
    }
}

// ---------------------------------------------------------------------------
// Synthetic bad inputs, one class at a time
// ---------------------------------------------------------------------------

const ENROLL_HEADER: &str =
    "身份证号,姓名,参保年度,险种类型,参保区划代码,参保状态,核定类别,应缴金额,实缴金额,缴费日期";
const CIVIL_HEADER: &str = "姓名,身份证号,救助类别,认定日期,行政区划代码,退出日期";
const DISABILITY_HEADER: &str = "姓名,残疾人证号,残疾类别,残疾等级,发证日期,行政区划代码";

/// GB 11643-1999 check character for the first 17 digits.
fn check_char(first17: &str) -> char {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let digits = first17.chars().map(|c| c.to_digit(10).unwrap());
    let sum: u32 = digits.zip(W).map(|(d, w)| d * w).sum();
    b"10X98765432"[(sum % 11) as usize] as char
}

/// Expands `{id:<17 digits>}` to a valid ID and `{bad:<17 digits>}` to one
/// whose check character is wrong.
fn expand(row: &str) -> String {
    let mut out = row.to_string();
    for (tag, valid) in [("{id:", true), ("{bad:", false)] {
        while let Some(at) = out.find(tag) {
            let body = &out[at + tag.len()..at + tag.len() + 17];
            let c = check_char(body);
            let c = if valid {
                c
            } else if c == '0' {
                '1'
            } else {
                '0'
            };
            let id = format!("{body}{c}");
            out.replace_range(at..at + tag.len() + 18, &id);
        }
    }
    out
}

/// Writes a one-row valid enrollment file and `rel`, then runs Ningxia with
/// `--enrollment inputs/enrollment.csv --<kind> <rel>` into `out`.
fn run_with(w: &Workdir, kind: &str, rel: &str, text: &str, out: &str) -> std::process::Output {
    let payer = "{id:64010419800101123},张三,2026,390,640104,参保缴费,普通居民,400,400,2025-11-05";
    w.write(
        "inputs/enrollment.csv",
        expand(&format!("{ENROLL_HEADER}\n{payer}\n")),
    );
    w.write(rel, text);
    let policy = repo().join("policies/ningxia-2026.toml");
    let policy = policy.to_str().unwrap();
    let flag = format!("--{kind}");
    let mut args = vec!["run", "--policy", policy, "--out", out, &flag, rel];
    args.extend("--as-of 2026-01-31 --quiet --enrollment inputs/enrollment.csv".split(' '));
    w.run(&args)
}

const GOOD_CIVIL: &str = "李四,{id:64010419700101234},低保,2024-01-01,640104,";
const GOOD_DISABILITY: &str = "钱七,{id:64010419660606111}42,肢体,二级,2024-03-01,640104";
const GOOD_ENROLLMENT: &str =
    "{id:64010519820303135},赵六,2025,390,640105,参保缴费,普通居民,400,400,2024-11-15";

/// Runs a `kind` file of its header, one good row (line 2) and `bad` (line 3
/// on); asserts exit 0; returns the work dir, that file's rejects and its
/// summary counts [rows_read, accepted, rejected, merged_duplicates].
fn run_bad(kind: &str, bad: &str) -> (Workdir, Vec<Row>, [u64; 4]) {
    let (header, good) = match kind {
        "civil" => (CIVIL_HEADER, GOOD_CIVIL),
        "disability" => (DISABILITY_HEADER, GOOD_DISABILITY),
        _ => (ENROLL_HEADER, GOOD_ENROLLMENT),
    };
    let w = Workdir::new();
    // Bad enrollment rows go to a second enrollment file, apart from the ledger.
    let name = if kind == "enrollment" { "extra" } else { kind };
    let rel = format!("inputs/{name}.csv");
    let text = expand(&format!("{header}\n{good}\n{bad}\n"));
    let out = run_with(&w, kind, &rel, &text, OUT);
    let msg = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "the run stopped: {msg}");
    let rows = report(&w, "rejects.csv");
    let rows: Vec<Row> = rows.into_iter().filter(|r| r["文件"] == rel).collect();
    let inputs = summary_inputs(&w, OUT);
    let mine: Vec<_> = inputs.iter().filter(|i| i["path"] == rel).collect();
    assert_eq!(mine.len(), 1, "one summary input for {rel}: {inputs:#?}");
    let c = counts(mine[0]);
    assert!(
        reconciles(c),
        "{rel}: read = accepted + rejected + merged: {c:?}"
    );
    (w, rows, c)
}

/// One bad row per reject class: kind|row|column|reason.
const BAD_ROWS: &str = "\
civil|王五,64010419800101123,低保,2024-01-01,640104,|身份证号|ID_LENGTH
civil|王五,{bad:64010419750505345},低保,2024-01-01,640104,|身份证号|ID_CHECKSUM
civil|王五,{id:64010419800230456},低保,2024-01-01,640104,|身份证号|ID_BIRTHDATE
civil|王五,{id:64010420270101456},低保,2024-01-01,640104,|身份证号|ID_BIRTHDATE
civil|王五,{id:99010419800101567},低保,2024-01-01,640104,|身份证号|ID_REGION
civil|王五,{id:64010419800101678},低保,,640104,|认定日期|MISSING_FIELD
civil|王五,{id:64010419800101789},低保,2025-02-30,640104,|认定日期|BAD_DATE
enrollment|{id:64010519820303135},赵六,2026,390,640105,参保缴费,普通居民,400.123,,|应缴金额|BAD_AMOUNT
civil|王五,{id:64010419800101246},临时救助对象,2024-01-01,640104,|救助类别|UNKNOWN_CATEGORY
civil|王五,{id:64010419800101357},低保,2025-06-01,640104,2025-03-01|退出日期|DATE_ORDER
disability|孙八,{id:64010419670707222}43,肢体,一级,2024-03-01,640104|残疾等级|DISABILITY_CERT_MISMATCH
civil|王五,{id:64010419800101468},低保,2024-01-01,150702,|行政区划代码|OUT_OF_REGION
";

/// Each BAD_ROWS row with this reason, run on its own: rejected at line 3 with
/// its column and reason, and the file's counts are read 2 = 1 + 1 + 0.
fn bad_input(reason: &str) {
    let cases: Vec<Vec<&str>> = table(BAD_ROWS, '|')
        .into_iter()
        .filter(|f| f[3] == reason)
        .collect();
    assert!(!cases.is_empty(), "no bad row for {reason}");
    for f in cases {
        let (_w, rows, c) = run_bad(f[0], f[1]);
        assert_eq!(rows.len(), 1, "one reject expected for {}: {rows:#?}", f[1]);
        check(&rows[0], &format!("行号=3; 列={}; 拒收原因={reason}", f[2]));
        assert_eq!(c, [2, 1, 1, 0], "[read, accepted, rejected, merged]");
    }
}

#[test]
fn bad_input_id_length() {
    bad_input("ID_LENGTH");
}

#[test]
fn bad_input_id_checksum() {
    bad_input("ID_CHECKSUM");
}

#[test]
fn bad_input_id_birthdate() {
    bad_input("ID_BIRTHDATE");
}

#[test]
fn bad_input_id_region() {
    bad_input("ID_REGION");
}

#[test]
fn bad_input_missing_field() {
    bad_input("MISSING_FIELD");
}

#[test]
fn bad_input_bad_date() {
    bad_input("BAD_DATE");
}

#[test]
fn bad_input_bad_amount() {
    bad_input("BAD_AMOUNT");
}

#[test]
fn bad_input_unknown_category() {
    bad_input("UNKNOWN_CATEGORY");
}

#[test]
fn bad_input_date_order() {
    bad_input("DATE_ORDER");
}

#[test]
fn bad_input_disability_cert_mismatch() {
    bad_input("DISABILITY_CERT_MISMATCH");
}

#[test]
fn bad_input_out_of_region() {
    bad_input("OUT_OF_REGION");
}

#[test]
fn missing_required_column_fails_with_exit_1_and_writes_nothing() {
    let w = Workdir::new();
    // The category column (SPEC §2: since the amendment a roster without a
    // start date is a snapshot, so 认定日期 is no longer a required column).
    let civil = expand(
        "姓名,身份证号,认定日期,行政区划代码\n李四,{id:64010419800101123},2025-11-20,640104\n",
    );
    let out = run_with(&w, "civil", "inputs/civil.csv", &civil, "out/2026-01");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {err}");
    // The file, the column, and every alias schemas/civil.toml accepts for it.
    let schema = std::fs::read_to_string(repo().join("schemas/civil.toml")).unwrap();
    let schema: toml::Value = toml::from_str(&schema).unwrap();
    let cols = schema["column"].as_array().unwrap();
    let col = cols.iter().find(|c| c["zh"].as_str() == Some("救助类别"));
    let aliases = col.unwrap()["aliases"].as_array().unwrap();
    assert!(!aliases.is_empty());
    let aliases = aliases.iter().map(|a| a.as_str().unwrap());
    for want in ["inputs/civil.csv", "救助类别"].into_iter().chain(aliases) {
        assert!(err.contains(want), "stderr lacks `{want}`: {err}");
    }
    assert!(
        !w.path("out/2026-01").exists(),
        "--out exists after a failed run"
    );
    assert!(!w.path("out").exists(), "nothing written under out/");
}

#[test]
fn malformed_rows_never_stop_the_run() {
    let body = "王五,64010419800101123,低保,2024-01-01,640104,
王五,{id:64010419800101999},低保,not-a-date,640104,
only,two
王五,{id:64010419800101999},低保,2024-01-01,999999,";
    let (w, rows, c) = run_bad("civil", body);
    let lines: Vec<&str> = rows.iter().map(|r| r["行号"].as_str()).collect();
    assert_eq!(lines, ["3", "4", "5", "6"], "{rows:#?}");
    assert_eq!(c, [5, 1, 4, 0], "[read, accepted, rejected, merged]");
    // The good row still reaches the reports: 李四 holds 低保 and has no 2026 row.
    let good_id = expand("{id:64010419700101234}");
    one(&report(&w, "missing_enrollment.csv"), &good_id, "missing");
}

// ---------------------------------------------------------------------------
// Encoding equivalence
// ---------------------------------------------------------------------------

#[test]
fn swapping_gbk_and_utf8_bom_encodings_gives_byte_identical_csv_outputs() {
    let a = run_sample("ningxia", "out-a");
    let b = Workdir::new();
    b.copy_sample("ningxia");
    // civil.csv: UTF-8 with BOM → GBK.
    let civil = std::fs::read(b.path("inputs/civil.csv")).unwrap();
    let civil = civil
        .strip_prefix(b"\xEF\xBB\xBF")
        .expect("civil.csv has a BOM");
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(std::str::from_utf8(civil).unwrap());
    assert!(!unmappable, "civil.csv text is GBK-encodable");
    b.write("inputs/civil.csv", &gbk);
    // agri.csv: GBK → UTF-8 with BOM.
    let agri = std::fs::read(b.path("inputs/agri.csv")).unwrap();
    let (text, _, malformed) = encoding_rs::GBK.decode(&agri);
    assert!(
        !malformed && text.contains("脱贫不稳定户"),
        "agri.csv: {text}"
    );
    b.write("inputs/agri.csv", format!("\u{feff}{text}"));
    let args = sample_args("ningxia", "out-b");
    b.run_expect(&args.iter().map(String::as_str).collect::<Vec<_>>(), 0);
    for kind in ["civil", "agri"] {
        let (x, y) = (summary_inputs(&a, "out-a"), summary_inputs(&b, "out-b"));
        let enc = |v: &[serde_json::Value]| input(v, kind)["encoding"].clone();
        assert_ne!(enc(&x), enc(&y), "{kind} was read in another encoding");
    }
    for f in words("refunds.csv rerating.csv missing_enrollment.csv rejects.csv conflicts.csv") {
        let x = std::fs::read(a.path(&format!("out-a/{f}"))).unwrap();
        let y = std::fs::read(b.path(&format!("out-b/{f}"))).unwrap();
        let (sx, sy) = (String::from_utf8_lossy(&x), String::from_utf8_lossy(&y));
        assert!(
            x == y,
            "{f} differs:\n--- original\n{sx}\n--- swapped\n{sy}"
        );
    }
}
