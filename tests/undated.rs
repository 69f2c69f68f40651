//! Issue 11 — rosters laid out like the real exports: county *names* instead
//! of codes, no region column at all, and no start date (SPEC §2 "Region as
//! a name", "Undated rosters"), built from the Ningxia sample's people.
//! Expected lists come from the SPEC's text (worked out in the comments),
//! never from running the tool.

use crate::common;

use std::collections::BTreeMap;

use common::{read_csv, Workdir};

/// Sample people (sample_data/CASES.md).
const MA: &str = "640104196804121025"; // 马玉兰, NX-E1
const YANG: &str = "640105195909232110"; // 杨建国, NX-E2
const DING: &str = "640106197201303249"; // 丁秀英, NX-E3
const HAI: &str = "640324195103035177"; // 海富贵, NX-E5

const ENROLL_HEADER: &str =
    "参保年度,身份证号,姓名,险种类型,参保区划代码,参保状态,核定类别,应缴金额,实缴金额,缴费日期\n";

type Rows = Vec<BTreeMap<String, String>>;

fn run(w: &Workdir, as_of: &str, out: &str, inputs: &[(&str, &str)]) {
    run_policy(w, "policies/ningxia-2026.toml", as_of, out, inputs);
}

fn run_policy(w: &Workdir, policy: &str, as_of: &str, out: &str, inputs: &[(&str, &str)]) {
    let mut args = vec![
        "run",
        "--policy",
        policy,
        "--as-of",
        as_of,
        "--out",
        out,
        "--quiet",
        "--header-lang",
        "en",
    ];
    for (flag, path) in inputs {
        args.push(flag);
        args.push(path);
    }
    w.run_expect(&args, 0);
}

fn list(w: &Workdir, out: &str, file: &str) -> Rows {
    read_csv(&w.path(&format!("{out}/{file}")))
}

/// Asserts the fields of one list row.
fn expect(row: &BTreeMap<String, String>, want: &[(&str, &str)]) {
    for (k, v) in want {
        assert_eq!(row[*k], *v, "column {k} of {row:#?}");
    }
}

fn of<'a>(rows: &'a Rows, id: &str) -> Vec<&'a BTreeMap<String, String>> {
    rows.iter().filter(|r| r["id_number"] == id).collect()
}

fn workdir() -> Workdir {
    workdir_for("ningxia-2026.toml")
}

fn workdir_for(policy: &str) -> Workdir {
    let w = Workdir::new();
    std::fs::create_dir_all(w.path("policies")).unwrap();
    std::fs::copy(
        common::repo().join("policies").join(policy),
        w.path("policies").join(policy),
    )
    .unwrap();
    w
}

/// A veterans' register as 优抚 systems export it: 对象姓名, 身份号码,
/// 所属行政区划 holding a name, no recognition date.
fn veterans(rows: &[(&str, &str, &str)]) -> String {
    let mut s = String::from("姓名,身份证号,优抚类别,所属行政区划\n");
    for (name, id, place) in rows {
        s.push_str(&format!("{name},{id},优抚对象,{place}\n"));
    }
    s
}

/// First-ever run (no ledger): an undated 优抚 identity's start is unknown.
/// Ningxia prices youfu at 80 (SPEC §3).
/// - 马玉兰 paid 400 on 2025-11-05: R2 refund 400 − 80 = 320.00, listed for
///   review (never payable) with 认定日期未知 and a blank start; R9 youfu
///   tier, medical_assistance 320.00, pending_review.
/// - 丁秀英 paid 400 on 2026-01-10 (after C1 = 2025-12-31): the unknown
///   start holds over her payment window, so R2 refunds 320.00 for review
///   too, and R6 does not list her as a late payer.
/// - Both are placed by the names 银川市兴庆区 (640104) and 金凤区 (640106).
#[test]
fn first_run_lists_unknown_starts_for_review_only() {
    let w = workdir();
    w.write(
        "in/enrollment.csv",
        format!(
            "{ENROLL_HEADER}2026,{MA},马玉兰,390,640104,参保缴费,普通居民,400,400,2025-11-05\n\
             2026,{DING},丁秀英,390,640106,参保缴费,普通居民,400,400,2026-01-10\n"
        ),
    );
    w.write(
        "in/veterans.csv",
        veterans(&[("马玉兰", MA, "银川市兴庆区"), ("丁秀英", DING, "金凤区")]),
    );
    run(
        &w,
        "2026-01-31",
        "reports/m1",
        &[
            ("--enrollment", "in/enrollment.csv"),
            ("--veterans", "in/veterans.csv"),
        ],
    );
    let refunds = list(&w, "reports/m1", "refunds.csv");
    assert_eq!(refunds.len(), 2, "{refunds:#?}");
    for (id, county) in [(MA, "640104"), (DING, "640106")] {
        let r = of(&refunds, id);
        assert_eq!(r.len(), 1, "{id}: {refunds:#?}");
        expect(
            r[0],
            &[
                ("reason", "HARDSHIP_DIFF"),
                ("refund_amount", "320.00"),
                ("status", "review"),
                ("basis_start", ""),
                ("note", "认定日期未知"),
                ("category", "youfu"),
            ],
        );
        assert_eq!(r[0]["county_code"], county);
    }
    let subsidy = list(&w, "reports/m1", "subsidy_detail.csv");
    assert_eq!(subsidy.len(), 2, "{subsidy:#?}");
    for s in &subsidy {
        expect(
            s,
            &[
                ("subsidy_status", "pending_review"),
                ("subsidy_amount", "320.00"),
                ("payer", "medical_assistance"),
            ],
        );
    }
    assert!(of(&list(&w, "reports/m1", "late_payment.csv"), DING).is_empty());
    let summary: serde_json::Value =
        serde_json::from_str(&w.read("reports/m1/summary.json")).unwrap();
    let vet = &summary["inputs"][1];
    assert_eq!(vet["kind"], "veterans");
    assert_eq!(vet["accepted"], 2);
    assert!(vet["layout_notes"][0]
        .as_str()
        .unwrap()
        .contains("无认定日期列"));
}

/// Two months on one ledger. Month 1 (2026-01-31): the veterans' roster
/// lists 马玉兰 only. Month 2 (2026-02-28): it lists 马玉兰, 杨建国 and
/// 丁秀英. SPEC: the start is the day after the last recorded run whose
/// rosters did not list the identity.
/// - 杨建国 and 丁秀英: not listed in month 1 → start 2026-02-01.
///   杨建国 paid 400 on 2026-02-10 (identity held) → R2 320.00, payable
///   (Ningxia HARDSHIP_DIFF is auto), start 2026-02-01; R9 settled.
///   丁秀英 paid 400 on 2026-01-20, before her start → no refund, and R6
///   lists her: late, expected 400 (band 2026-01-01…06-30), benefit start
///   2026-01-20 + 90 days = 2026-04-20.
/// - 马玉兰: listed by every recorded run → still unknown: review, 认定日期未知.
#[test]
fn second_run_dates_a_new_listing_the_day_after_the_first() {
    let w = workdir();
    w.write(
        "in/m1/enrollment.csv",
        format!(
            "{ENROLL_HEADER}2026,{MA},马玉兰,390,640104,参保缴费,普通居民,400,400,2025-11-05\n\
             2026,{YANG},杨建国,390,640105,参保缴费,普通居民,400,0,\n\
             2026,{DING},丁秀英,390,640106,参保缴费,普通居民,400,400,2026-01-20\n"
        ),
    );
    w.write("in/m1/veterans.csv", veterans(&[("马玉兰", MA, "兴庆区")]));
    run(
        &w,
        "2026-01-31",
        "reports/m1",
        &[
            ("--enrollment", "in/m1/enrollment.csv"),
            ("--veterans", "in/m1/veterans.csv"),
        ],
    );
    // Month 1: 丁秀英 holds no identity yet and paid late: R6 lists her.
    assert_eq!(
        of(&list(&w, "reports/m1", "late_payment.csv"), DING).len(),
        1
    );
    w.write(
        "in/m2/enrollment.csv",
        format!(
            "{ENROLL_HEADER}2026,{MA},马玉兰,390,640104,参保缴费,普通居民,400,400,2025-11-05\n\
             2026,{YANG},杨建国,390,640105,参保缴费,普通居民,400,400,2026-02-10\n\
             2026,{DING},丁秀英,390,640106,参保缴费,普通居民,400,400,2026-01-20\n"
        ),
    );
    w.write(
        "in/m2/veterans.csv",
        veterans(&[
            ("马玉兰", MA, "兴庆区"),
            ("杨建国", YANG, "银川市西夏区"),
            ("丁秀英", DING, "金凤区"),
        ]),
    );
    run(
        &w,
        "2026-02-28",
        "reports/m2",
        &[
            ("--enrollment", "in/m2/enrollment.csv"),
            ("--veterans", "in/m2/veterans.csv"),
        ],
    );
    let refunds = list(&w, "reports/m2", "refunds.csv");
    let yang = of(&refunds, YANG);
    assert_eq!(yang.len(), 1, "{refunds:#?}");
    expect(
        yang[0],
        &[
            ("refund_amount", "320.00"),
            ("status", "payable"),
            ("basis_start", "2026-02-01"),
            ("note", ""),
        ],
    );
    let ma = of(&refunds, MA);
    assert_eq!(ma.len(), 1, "{refunds:#?}");
    expect(ma[0], &[("status", "review"), ("note", "认定日期未知")]);
    assert!(of(&refunds, DING).is_empty(), "{refunds:#?}");
    assert_eq!(refunds.len(), 2);

    let subsidy = list(&w, "reports/m2", "subsidy_detail.csv");
    let status = |id| {
        of(&subsidy, id)
            .iter()
            .map(|s| s["subsidy_status"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(status(YANG), ["settled"]);
    assert_eq!(status(MA), ["pending_review"]);
    assert!(status(DING).is_empty());

    // explain reads the same start from the ledger; without it, unknown.
    let explain = |ledger: &[&str]| {
        let mut args = vec![
            "explain",
            "--id",
            YANG,
            "--policy",
            "policies/ningxia-2026.toml",
            "--as-of",
            "2026-02-28",
            "--enrollment",
            "in/m2/enrollment.csv",
            "--veterans",
            "in/m2/veterans.csv",
        ];
        args.extend(ledger);
        String::from_utf8_lossy(&w.run_expect(&args, 0).stdout).into_owned()
    };
    let with = explain(&["--ledger", "reports/ledger.sqlite"]);
    assert!(with.contains("youfu 优抚对象  2026-02-01 …"), "{with}");
    let without = explain(&[]);
    assert!(without.contains("认定日期未知"), "{without}");

    let late = list(&w, "reports/m2", "late_payment.csv");
    assert_eq!(late.len(), 1, "{late:#?}");
    assert_eq!(late[0]["id_number"], DING);
    expect(
        &late[0],
        &[
            ("expected_amount", "400.00"),
            ("expected_start", "2026-04-20"),
        ],
    );
}

/// A 民政 export with the county as a name (with or without its city, or
/// the short form) and no start date; a veterans' register with no region
/// column at all. SPEC §2: a name matches after dropping a prefix ending in
/// 市 …; a roster without a region column takes the county of the person's
/// enrollment row for `Y`, else the register's 常住区划代码.
/// - 海富贵 (特困, no enrollment): R5 missing, county 同心县 640324 by name,
///   due 0 (tekun), outreach columns carried.
/// - 马玉兰 (低保, 地区 “兴庆”): short form of 兴庆区 → 640104.
/// - a row with 地区 “银川市兴庆县” matches no county: OUT_OF_REGION, the
///   message naming 兴庆区（640104） first.
/// - veterans without a region column: 杨建国 is placed by his 2026
///   enrollment row (640105); 丁秀英 has no enrollment row, so by the
///   register (640106) — she is missing for R5 there, due 80 (youfu);
///   苏桂英 is in neither: rejected (MISSING_FIELD).
#[test]
fn county_names_and_rosters_without_a_region_column() {
    let w = workdir();
    w.write(
        "in/enrollment.csv",
        format!(
            "{ENROLL_HEADER}2026,{MA},马玉兰,390,640104,参保缴费,低保对象,80,0,\n\
             2026,{YANG},杨建国,390,640105,参保缴费,普通居民,400,0,\n"
        ),
    );
    w.write(
        "in/persons.csv",
        format!("身份证号,姓名,常住区划代码\n{DING},丁秀英,640106\n{HAI},海富贵,640324\n{MA},马玉兰,640104\n{YANG},杨建国,640105\n"),
    );
    w.write(
        "in/civil.csv",
        format!(
            "姓名,身份证号,救助类别,地区,镇街,村社,联系电话\n\
             海富贵,{HAI},特困人员,吴忠市同心县,豫海镇,南关村,13900000000\n\
             马玉兰,{MA},低保对象,兴庆,,,\n\
             马玉兰,{MA},城市低保,银川市兴庆县,,,\n"
        ),
    );
    w.write(
        "in/veterans.csv",
        "姓名,身份证号,优抚类别\n杨建国,640105195909232110,优抚对象\n丁秀英,640106197201303249,优抚对象\n苏桂英,640104195002142727,优抚对象\n",
    );
    run(
        &w,
        "2026-01-31",
        "reports/m1",
        &[
            ("--enrollment", "in/enrollment.csv"),
            ("--persons", "in/persons.csv"),
            ("--civil", "in/civil.csv"),
            ("--veterans", "in/veterans.csv"),
        ],
    );
    let missing = list(&w, "reports/m1", "missing_enrollment.csv");
    let hai = of(&missing, HAI);
    assert_eq!(hai.len(), 1, "{missing:#?}");
    expect(
        hai[0],
        &[
            ("county_code", "640324"),
            ("category", "tekun"),
            ("due_amount", "0.00"),
            ("identity_since", ""),
            ("township", "豫海镇"),
            ("village", "南关村"),
        ],
    );
    let ding = of(&missing, DING);
    assert_eq!(ding.len(), 1, "{missing:#?}");
    expect(
        ding[0],
        &[
            ("county_code", "640106"),
            ("category", "youfu"),
            ("due_amount", "80.00"),
        ],
    );
    // 马玉兰 (dibao by the short form 兴庆) and 杨建国 (youfu, placed by his
    // enrollment row) hold identities at T and their 2026 rows are unpaid:
    // listed as 登记未缴费 in their recognition counties.
    for (id, county, category) in [(MA, "640104", "dibao"), (YANG, "640105", "youfu")] {
        let m = of(&missing, id);
        assert_eq!(m.len(), 1, "{missing:#?}");
        assert_eq!(m[0]["county_code"], county);
        assert_eq!(m[0]["category"], category);
        expect(
            m[0],
            &[("due_amount", "80.00"), ("registration", "登记未缴费")],
        );
    }
    assert_eq!(missing.len(), 4, "{missing:#?}");
    // 杨建国 is rated 普通居民 400 but youfu prices him at 80: re-rated in
    // his enrollment county; 马玉兰's rating 低保对象 80 already fits.
    let rerating = list(&w, "reports/m1", "rerating.csv");
    let yang = of(&rerating, YANG);
    assert_eq!(yang.len(), 1, "{rerating:#?}");
    assert_eq!(yang[0]["county_code"], "640105");
    assert!(of(&rerating, MA).is_empty(), "{rerating:#?}");

    let rejects = list(&w, "reports/m1", "rejects.csv");
    assert_eq!(rejects.len(), 2, "{rejects:#?}");
    let by_file = |f: &str| -> Vec<&BTreeMap<String, String>> {
        rejects.iter().filter(|r| r["file"].ends_with(f)).collect()
    };
    let civil = by_file("civil.csv");
    assert_eq!(civil.len(), 1);
    expect(
        civil[0],
        &[
            ("line", "4"),
            ("reject_reason", "OUT_OF_REGION"),
            ("raw_value", "银川市兴庆县"),
        ],
    );
    assert!(
        civil[0]["message"].contains("最接近的有：兴庆区（640104）"),
        "{civil:#?}"
    );
    let vet = by_file("veterans.csv");
    assert_eq!(vet.len(), 1);
    expect(vet[0], &[("line", "4"), ("reject_reason", "MISSING_FIELD")]);

    let summary: serde_json::Value =
        serde_json::from_str(&w.read("reports/m1/summary.json")).unwrap();
    let vet = summary["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "veterans")
        .unwrap();
    assert_eq!(vet["county_from_enrollment"], 1);
    assert_eq!(vet["county_from_register"], 1);
    assert_eq!(vet["rejected"], 1);
}

/// A 残联 export from Hulunbuir (the other seed): 户籍区县 as a name with the
/// city prefix, no 发证日期. Hulunbuir prices disabled_g1/g2 at 200 (残联 100
/// + 医疗救助 100) and lists HARDSHIP_DIFF for review (SPEC §3).
/// - 孟凡华 (HL-02's certificate, grade 1; 呼伦贝尔市海拉尔区 → 150702) paid
///   400 on 2025-10-20: R2 200.00, review, 认定日期未知, blank start; R9 both
///   payers' shares pending_review.
/// - 吴凤山 (grade 2; 陈巴尔虎旗 → 150725) has no enrollment row: R5 missing,
///   due 200.00, 未登记; the green channel (recognised after C1) not open,
///   because his recognition date is unknown.
/// - `鄂温克旗` (a colloquial short form the rule does not derive):
///   OUT_OF_REGION, 鄂温克族自治旗（150724） the nearest name.
#[test]
fn hulunbuir_disability_names_without_issue_dates() {
    let w = workdir_for("hulunbuir-2026.toml");
    const MENG: &str = "152101196206211131";
    const WU: &str = "150725195612031416";
    w.write(
        "in/enrollment.csv",
        format!(
            "{ENROLL_HEADER}2026,{MENG},孟凡华,390,150702,参保缴费,普通居民,400,400,2025-10-20\n"
        ),
    );
    w.write(
        "in/disability.csv",
        format!(
            "姓名,残疾人证号,残疾类别,残疾等级,户籍区县\n\
             孟凡华,{MENG}41,肢体,一级,呼伦贝尔市海拉尔区\n\
             吴凤山,{WU}12,视力,二级,陈巴尔虎旗\n\
             吴凤山,{WU}12,视力,二级,鄂温克旗\n"
        ),
    );
    run_policy(
        &w,
        "policies/hulunbuir-2026.toml",
        "2026-01-31",
        "reports/m1",
        &[
            ("--enrollment", "in/enrollment.csv"),
            ("--disability", "in/disability.csv"),
        ],
    );
    let refunds = list(&w, "reports/m1", "refunds.csv");
    assert_eq!(refunds.len(), 1, "{refunds:#?}");
    let r = &refunds[0];
    assert_eq!(r["id_number"], MENG);
    expect(
        r,
        &[
            ("county_code", "150702"),
            ("refund_amount", "200.00"),
            ("status", "review"),
            ("category", "disabled_g1"),
            ("basis_start", ""),
            ("note", "认定日期未知"),
        ],
    );
    let subsidy = list(&w, "reports/m1", "subsidy_detail.csv");
    assert_eq!(subsidy.len(), 2, "{subsidy:#?}");
    assert!(subsidy
        .iter()
        .all(|s| s["subsidy_status"] == "pending_review" && s["subsidy_amount"] == "100.00"));
    let missing = list(&w, "reports/m1", "missing_enrollment.csv");
    assert_eq!(missing.len(), 1, "{missing:#?}");
    assert_eq!(missing[0]["id_number"], WU);
    expect(
        &missing[0],
        &[
            ("county_code", "150725"),
            ("category", "disabled_g2"),
            ("due_amount", "200.00"),
            ("registration", "未登记"),
            ("dynamic_open", "否"),
        ],
    );
    // Hulunbuir's green channel is for identities recognised after C1: an
    // unknown start can neither open it nor be said to predate it.
    assert!(
        missing[0]["dynamic_basis"].starts_with("认定日期未知"),
        "{missing:#?}"
    );
    let rejects = list(&w, "reports/m1", "rejects.csv");
    assert_eq!(rejects.len(), 1, "{rejects:#?}");
    expect(
        &rejects[0],
        &[("line", "4"), ("reject_reason", "OUT_OF_REGION")],
    );
    assert!(
        rejects[0]["message"].contains("最接近的有：鄂温克族自治旗（150724）"),
        "{rejects:#?}"
    );
}

/// A 防返贫监测 export: 户类型 first, the monitoring type blank for 脱贫户,
/// 识别监测时间 blank for them, 脱贫年度 where the system has it, the county
/// as 县(市、区、旗). SPEC §2 "Binding details": a blank monitoring type
/// falls back to 户类型 — 脱贫户 is poverty_alleviated from 1 January of its
/// 脱贫年度 where given, else undated. Ningxia prices it at 220.
/// - 马玉兰 (脱贫年度 2019, 兴庆区) paid 400 on 2025-11-05: R2 180.00
///   payable (auto), start 2019-01-01.
/// - 杨建国 (no 脱贫年度, 银川市西夏区) paid 400 on 2025-11-05: R2 180.00
///   for review, 认定日期未知, blank start.
/// - 丁秀英 (监测对象类型 边缘易致贫户, identified 2025-12-01, 金凤区) paid 400
///   on 2025-11-05: w = [2025-11-05, 2025-12-31] overlaps, monitored_marginal
///   80 → R2 320.00 payable, start 2025-12-01.
/// - 海富贵's 脱贫年度 `去年` is no year: rejected (BAD_DATE).
#[test]
fn agri_household_type_fallback_dates_by_exit_year() {
    let w = workdir();
    w.write(
        "in/enrollment.csv",
        format!(
            "{ENROLL_HEADER}2026,{MA},马玉兰,390,640104,参保缴费,普通居民,400,400,2025-11-05\n\
             2026,{YANG},杨建国,390,640105,参保缴费,普通居民,400,400,2025-11-05\n\
             2026,{DING},丁秀英,390,640106,参保缴费,普通居民,400,400,2025-11-05\n"
        ),
    );
    w.write(
        "in/agri.csv",
        format!(
            "户类型,姓名,身份证号,监测对象类型,识别监测时间,县(市、区、旗),乡(镇),村,脱贫年度\n\
             脱贫户,马玉兰,{MA},,,兴庆区,,,2019\n\
             脱贫户,杨建国,{YANG},,,银川市西夏区,,,\n\
             一般农户,丁秀英,{DING},边缘易致贫户,2025-12-01,金凤区,,,\n\
             脱贫户,海富贵,{HAI},,,同心县,,,去年\n"
        ),
    );
    run(
        &w,
        "2026-01-31",
        "reports/m1",
        &[
            ("--enrollment", "in/enrollment.csv"),
            ("--agri", "in/agri.csv"),
        ],
    );
    let refunds = list(&w, "reports/m1", "refunds.csv");
    assert_eq!(refunds.len(), 3, "{refunds:#?}");
    let one = |id| {
        let r = of(&refunds, id);
        assert_eq!(r.len(), 1, "{id}: {refunds:#?}");
        r[0].clone()
    };
    let want = [
        (
            MA,
            "640104",
            "poverty_alleviated",
            "180.00",
            "payable",
            "2019-01-01",
            "",
        ),
        (
            YANG,
            "640105",
            "poverty_alleviated",
            "180.00",
            "review",
            "",
            "认定日期未知",
        ),
        (
            DING,
            "640106",
            "monitored_marginal",
            "320.00",
            "payable",
            "2025-12-01",
            "",
        ),
    ];
    for (id, county, category, amount, status, start, note) in want {
        expect(
            &one(id),
            &[
                ("county_code", county),
                ("category", category),
                ("refund_amount", amount),
                ("status", status),
                ("basis_start", start),
                ("note", note),
            ],
        );
    }
    // 海富贵's 脱贫年度 `去年` is no year: BAD_DATE on that column.
    let rejects = list(&w, "reports/m1", "rejects.csv");
    assert_eq!(rejects.len(), 1, "{rejects:#?}");
    expect(
        &rejects[0],
        &[
            ("line", "5"),
            ("column", "脱贫年度"),
            ("raw_value", "去年"),
            ("reject_reason", "BAD_DATE"),
        ],
    );
}

/// A roster with both a name column (地区, first) and a code column: the code
/// column binds (its headers rank before the name headers in schemas/), the
/// name column is reported as outranked. 海富贵 (特困, not enrolled) is then
/// listed by R5 in 640324, whatever 地区 says.
#[test]
fn a_code_column_outranks_a_name_column() {
    let w = workdir();
    w.write(
        "in/enrollment.csv",
        format!(
            "{ENROLL_HEADER}2026,{MA},马玉兰,390,640104,参保缴费,普通居民,400,400,2025-11-05\n"
        ),
    );
    w.write(
        "in/civil.csv",
        format!("地区,姓名,身份证号,救助类别,行政区划代码\n西夏区,海富贵,{HAI},特困人员,640324\n"),
    );
    run(
        &w,
        "2026-01-31",
        "reports/m1",
        &[
            ("--enrollment", "in/enrollment.csv"),
            ("--civil", "in/civil.csv"),
        ],
    );
    let missing = list(&w, "reports/m1", "missing_enrollment.csv");
    assert_eq!(missing.len(), 1, "{missing:#?}");
    expect(
        &missing[0],
        &[("id_number", HAI), ("county_code", "640324")],
    );
    let summary: serde_json::Value =
        serde_json::from_str(&w.read("reports/m1/summary.json")).unwrap();
    let civil = &summary["inputs"][1]["columns"][0];
    assert_eq!(civil["header"], "地区", "{civil}");
    assert_eq!(civil["status"], "ignored_outranked", "{civil}");
}
