//! Issue 14, point 5: an invented region (鹭汀市, `tests/fixtures/invented/
//! luting-2026.toml`, written by the policy authoring guide's example) run end
//! to end on small inputs. Every expected row below is worked out by hand from
//! the policy's numbers and SPEC §4 (the arithmetic is in the comments), never
//! from a run of the tool.
//!
//! The policy, in short (元 per person per year; T = 2026-01-31, C1 = 2025-12-31):
//! - 城乡居民 一档 400 (bands 2026-01-01…06-30 400, 07-01…12-31 1100), 二档 700
//!   (bands 700 / 1400); 大学生 one grade, 大学生档 200. Default: 城乡居民 一档.
//! - lt-full (特困, 孤儿): 一档 personal 0, payer 区医保局 400; 二档 personal 0
//!   capped at 一档's subsidy → subsidy min(700, 400) = 400, personal 700 − 400 = 300.
//! - lt-martyr (烈士遗属, 1至6级残疾军人): 一档 0 (区退役军人事务局 400), 二档 0 (700).
//! - lt-dibao (低保, 监测对象): 一档 subsidy 60 % × 400 = 240 → personal 160;
//!   二档 subsidy 240 → personal 700 − 240 = 460; payer 区医保局.
//! - lt-youfu (优抚对象): subsidy 300 on either grade, 区医保局 150 + 区退役军人事务局 150
//!   → personal 一档 100, 二档 400.
//! - lt-student (家庭经济困难大学生): 大学生档 personal 50, 区教育局 150.
//! - 汀南区 439903: lt-dibao 一档 personal 0 (区医保局 400); lt-youfu 二档 subsidy 400
//!   shared 50 % / 50 % → 200 + 200, personal 300.
//! - 鹭山县 439921: lt-dibao also holds low_income.
//! - A veterans record of 优抚对象 whose 伤残等级 reads 1–6 is 1至6级残疾军人.
//! - HARDSHIP_DIFF refunds `auto`; counties 439902 汀北区, 439903 汀南区, 439921 鹭山县.

use crate::common;

use common::rows::{check, none, one, Row};
use common::{read_csv, repo, valid_id, Workdir};

const ENROLL: &str =
    "身份证号,姓名,参保年度,险种类型,参保区划代码,参保状态,核定类别,人员类别,缴费档次,应缴金额,实缴金额,缴费日期\n";
const CIVIL: &str = "姓名,身份证号,救助类别,认定日期,行政区划代码\n";
const VETERANS: &str = "姓名,身份证号,优抚类别,认定日期,行政区划代码,伤残等级\n";

/// A valid ID for person `n` born on `birth` (YYYYMMDD).
fn id(birth: &str, n: u32) -> String {
    valid_id(&format!("430102{birth}{n:03}"))
}

/// The people of the test, by role.
struct People {
    dibao_g2_paid_full: String,
    tekun_g2_paid_diff: String,
    tekun_g2_unpaid: String,
    dibao_g1_wrong_due: String,
    dibao_g2_rated_ordinary: String,
    ordinary_g2_unpaid: String,
    dibao_unregistered: String,
    needy_student: String,
    needy_student_unregistered: String,
    dibao_g1_paid: String,
    dibao_override: String,
    low_income_override: String,
    low_income_plain: String,
    youfu_g1: String,
    youfu_g2_override: String,
    veteran_grade5: String,
    late_g2: String,
    unknown_grade: String,
    unknown_population: String,
    unlisted_county: String,
}

fn people() -> People {
    let a = |n| id("19700101", n);
    People {
        dibao_g2_paid_full: a(1),
        tekun_g2_paid_diff: a(2),
        tekun_g2_unpaid: a(3),
        dibao_g1_wrong_due: a(4),
        dibao_g2_rated_ordinary: a(5),
        ordinary_g2_unpaid: a(6),
        dibao_unregistered: a(7),
        needy_student: id("20050901", 8),
        needy_student_unregistered: id("20060901", 20),
        dibao_g1_paid: a(9),
        dibao_override: a(10),
        low_income_override: a(11),
        low_income_plain: a(12),
        youfu_g1: a(13),
        youfu_g2_override: a(14),
        veteran_grade5: a(15),
        late_g2: a(16),
        unknown_grade: a(17),
        unknown_population: a(18),
        unlisted_county: a(19),
    }
}

/// The inputs (see each line's comment) and the run.
fn run_luting() -> (Workdir, People) {
    let p = people();
    let enrollment = [
        // line 2: 二档 低保 who paid the full 二档 amount.
        format!(
            "{},甲一,2026,390,439902,参保缴费,,城乡居民,二档,700,700,2025-11-05",
            p.dibao_g2_paid_full
        ),
        // line 3: 特困 on 二档 who paid the difference above the 一档 cap.
        format!(
            "{},甲二,2026,390,439902,参保缴费,特困人员,城乡居民,二档,300,300,2025-11-05",
            p.tekun_g2_paid_diff
        ),
        // line 4: 特困 on 二档, unpaid, rated as if fully subsidised (due 0).
        format!(
            "{},甲三,2026,390,439902,暂停,特困人员,城乡居民,二档,0,0,",
            p.tekun_g2_unpaid
        ),
        // line 5: 低保 on 一档, unpaid, due 80 (the amount of another region).
        format!(
            "{},甲四,2026,390,439902,暂停,低保对象,城乡居民,一档,80,0,",
            p.dibao_g1_wrong_due
        ),
        // line 6: 二档, unpaid, rated 普通居民 though 低保.
        format!(
            "{},甲五,2026,390,439902,暂停,,城乡居民,二档,700,0,",
            p.dibao_g2_rated_ordinary
        ),
        // line 7: an ordinary resident on 二档, unpaid, due 700.
        format!(
            "{},甲六,2026,390,439902,暂停,,城乡居民,二档,700,0,",
            p.ordinary_g2_unpaid
        ),
        // line 8: a needy student on the student standard, unpaid, due 200.
        format!(
            "{},甲八,2026,390,439902,暂停,,大学生,,200,0,",
            p.needy_student
        ),
        // line 9: 低保 on 一档 (no grade text: the default) who paid 160.
        format!(
            "{},甲九,2026,390,439902,参保缴费,低保对象,城乡居民,,160,160,2025-11-05",
            p.dibao_g1_paid
        ),
        // line 10: 低保 in 汀南区 on 一档 who paid the ordinary 400.
        format!(
            "{},乙一,2026,390,439903,参保缴费,,城乡居民,一档,400,400,2025-11-05",
            p.dibao_override
        ),
        // line 11: 低收入 in 鹭山县 on 一档 who paid 400.
        format!(
            "{},丙一,2026,390,439921,参保缴费,,,,400,400,2025-11-05",
            p.low_income_override
        ),
        // line 12: 低收入 in 汀北区 (no tier there) who paid 400.
        format!(
            "{},甲十二,2026,390,439902,参保缴费,,,,400,400,2025-11-05",
            p.low_income_plain
        ),
        // line 13: 优抚对象 (八级) on 一档 who paid 100.
        format!(
            "{},甲十三,2026,390,439902,参保缴费,优抚对象,城乡居民,一档,100,100,2025-11-05",
            p.youfu_g1
        ),
        // line 14: 优抚对象 in 汀南区 on 二档 who paid 300.
        format!(
            "{},乙十四,2026,390,439903,参保缴费,优抚对象,城乡居民,二档,300,300,2025-11-05",
            p.youfu_g2_override
        ),
        // line 15: 优抚对象 with 伤残等级 五级 on 二档 who paid the full 700.
        format!(
            "{},甲十五,2026,390,439902,参保缴费,,城乡居民,二档,700,700,2025-11-05",
            p.veteran_grade5
        ),
        // line 16: an ordinary 二档 resident who paid 700 late.
        format!(
            "{},甲十六,2026,390,439902,参保缴费,,城乡居民,二档,700,700,2026-01-10",
            p.late_g2
        ),
        // line 17: a grade the policy does not declare.
        format!(
            "{},甲十七,2026,390,439902,参保缴费,,城乡居民,三档,900,900,2025-11-05",
            p.unknown_grade
        ),
        // line 18: a population the policy does not declare.
        format!(
            "{},甲十八,2026,390,439902,参保缴费,,研究生,,200,200,2025-11-05",
            p.unknown_population
        ),
        // line 19: a county the policy does not list.
        format!(
            "{},甲十九,2026,390,439905,参保缴费,,城乡居民,一档,400,400,2025-11-05",
            p.unlisted_county
        ),
    ];
    let civil = [
        format!("甲一,{},低保对象,2025-01-01,439902", p.dibao_g2_paid_full),
        format!("甲二,{},特困人员,2020-01-01,439902", p.tekun_g2_paid_diff),
        format!("甲三,{},特困人员,2020-01-01,439902", p.tekun_g2_unpaid),
        format!("甲四,{},低保对象,2025-01-01,439902", p.dibao_g1_wrong_due),
        format!(
            "甲五,{},低保对象,2025-01-01,439902",
            p.dibao_g2_rated_ordinary
        ),
        format!("甲七,{},低保对象,2025-01-01,439902", p.dibao_unregistered),
        format!(
            "甲八,{},家庭经济困难大学生,2025-09-01,439902",
            p.needy_student
        ),
        format!(
            "甲二十,{},家庭经济困难大学生,2025-09-01,439902",
            p.needy_student_unregistered
        ),
        format!("甲九,{},低保对象,2025-01-01,439902", p.dibao_g1_paid),
        format!("乙一,{},低保对象,2025-01-01,439903", p.dibao_override),
        format!(
            "丙一,{},低收入人口,2025-01-01,439921",
            p.low_income_override
        ),
        format!("甲十二,{},低收入人口,2025-01-01,439902", p.low_income_plain),
    ];
    let veterans = [
        format!("甲十三,{},优抚对象,2019-01-01,439902,八级", p.youfu_g1),
        format!("乙十四,{},优抚对象,2019-01-01,439903,", p.youfu_g2_override),
        format!(
            "甲十五,{},优抚对象,2019-01-01,439902,五级",
            p.veteran_grade5
        ),
    ];
    let w = Workdir::new();
    let body = |rows: &[String]| rows.iter().map(|r| format!("{r}\n")).collect::<String>();
    w.write(
        "in/enrollment.csv",
        format!("{ENROLL}{}", body(&enrollment)),
    );
    w.write("in/civil.csv", format!("{CIVIL}{}", body(&civil)));
    w.write("in/veterans.csv", format!("{VETERANS}{}", body(&veterans)));
    let policy = repo().join("tests/fixtures/invented/luting-2026.toml");
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
            "--veterans",
            "in/veterans.csv",
            "--out",
            "out",
            "--quiet",
            "--no-ledger",
        ],
        0,
    );
    (w, p)
}

fn out(w: &Workdir, name: &str) -> Vec<Row> {
    read_csv(&w.path(&format!("out/{name}")))
}

#[test]
fn invented_region_refunds_rerating_missing_subsidies_and_rejects() {
    let (w, p) = run_luting();
    refunds(&w, &p);
    rerating(&w, &p);
    missing(&w, &p);
    subsidies(&w, &p);
    late_payment(&w, &p);
    rejects(&w, &p);
    fiscal(&w);
    coverage(&w);
}

/// R8: coverage does not depend on the grade — a paid row of any grade
/// covers. 困难群众 (tekun, orphan, dibao, low_income, monitored_*) at T:
/// 汀北区 lines 2, 3, 4, 5, 6 and the unregistered 低保, 9, 12 → 8 persons, of
/// whom 2, 3, 9, 12 paid → 4 covered; 汀南区 line 10 (1/1); 鹭山县 line 11 (1/1).
/// Total 10 / 6; ⌈99 % × 10⌉ − 6 = 10 − 6 = 4 still needed. (The student
/// and the 优抚对象 are not in the group; no register, so no `overall`.)
fn coverage(w: &Workdir) {
    let c = out(w, "coverage.csv");
    let rows: Vec<String> = c
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {} {}",
                r["人群代码"], r["区划代码"], r["应参保人数"], r["已参保人数"], r["距目标还差人数"]
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            "hardship 439902 8 4 4",
            "hardship 439903 1 1 0",
            "hardship 439921 1 1 0",
            "hardship TOTAL 10 6 4",
        ]
    );
}

/// The fiscal per-capita count is per person with a standing paid row, in
/// the row's county, whatever the grade: 汀北区 lines 2, 3, 9, 12, 13, 15, 16
/// = 7; 汀南区 lines 10, 14 = 2; 鹭山县 line 11 = 1.
fn fiscal(w: &Workdir) {
    let f = out(w, "fiscal_ledger.csv");
    let persons: Vec<(&str, &str)> = f
        .iter()
        .map(|r| (r["区划代码"].as_str(), r["人数"].as_str()))
        .collect();
    assert_eq!(
        persons,
        [
            ("439902", "7"),
            ("439903", "2"),
            ("439921", "1"),
            ("TOTAL", "10")
        ]
    );
}

/// R2: refund = paid − the personal amount of the row's grade in its county.
fn refunds(w: &Workdir, p: &People) {
    let r = out(w, "refunds.csv");
    // 二档 低保 paid 700; 二档 personal 460 → refund 240 (not 700 − 160 = 540,
    // not the old one-grade 335).
    check(
        &one(&r, &p.dibao_g2_paid_full, "refund"),
        "区划代码=439902; 区县名称=汀北区; 人员类别=城乡居民; 缴费档次=二档; 退费原因代码=HARDSHIP_DIFF; \
         实缴金额=700.00; 退费金额=240.00; 身份类别代码=dibao; 该档个人缴费=460.00; 状态代码=payable",
    );
    // 汀南区 prices 低保 on 一档 at 0: paid 400 → refund 400.
    check(
        &one(&r, &p.dibao_override, "refund"),
        "区划代码=439903; 缴费档次=一档; 实缴金额=400.00; 退费金额=400.00; 该档个人缴费=0.00",
    );
    // 鹭山县 puts 低收入 in lt-dibao: 一档 personal 160 → refund 400 − 160 = 240.
    check(
        &one(&r, &p.low_income_override, "refund"),
        "区划代码=439921; 人员类别=城乡居民; 缴费档次=一档; 退费金额=240.00; 身份类别代码=low_income; 该档个人缴费=160.00",
    );
    // 优抚对象 with 伤残等级 五级 is a 1至6级残疾军人: lt-martyr, 二档 personal 0 →
    // the full 700 back.
    check(
        &one(&r, &p.veteran_grade5, "refund"),
        "缴费档次=二档; 退费金额=700.00; 身份类别代码=disabled_veteran_1_6; 该档个人缴费=0.00",
    );
    // Paid exactly the personal amount, or no tier in that county: nothing.
    for who in [
        &p.tekun_g2_paid_diff,
        &p.dibao_g1_paid,
        &p.low_income_plain,
        &p.youfu_g1,
        &p.youfu_g2_override,
        &p.late_g2,
    ] {
        none(&r, who, "refund");
    }
    assert_eq!(r.len(), 4, "{r:#?}");
}

/// R4: unpaid rows re-rated to their own grade's amount; the grade never changes.
fn rerating(w: &Workdir, p: &People) {
    let r = out(w, "rerating.csv");
    // 特困 on 二档: personal 300 (the cap leaves 700 − 400), rated due 0 → +300.
    check(
        &one(&r, &p.tekun_g2_unpaid, "rerating"),
        "人员类别=城乡居民; 缴费档次=二档; 原应缴金额=0.00; 新类别代码=tekun; 新应缴金额=300.00; 差额=300.00; \
         资助方=区医保局 (医疗救助资金) 400.00",
    );
    // 低保 on 一档 due 80: 一档 personal 160 → +80.
    check(
        &one(&r, &p.dibao_g1_wrong_due, "rerating"),
        "缴费档次=一档; 原应缴金额=80.00; 新类别代码=dibao; 新应缴金额=160.00; 差额=80.00; \
         资助方=区医保局 (医疗救助资金) 240.00",
    );
    // 低保 on 二档 rated 普通居民 due 700: 二档 personal 460 → −240 (not 一档's 160).
    check(
        &one(&r, &p.dibao_g2_rated_ordinary, "rerating"),
        "缴费档次=二档; 原应缴金额=700.00; 新类别代码=dibao; 新应缴金额=460.00; 差额=-240.00",
    );
    // The needy student on the student standard: personal 50 → −150, 区教育局 150.
    check(
        &one(&r, &p.needy_student, "rerating"),
        "人员类别=大学生; 缴费档次=大学生档; 原应缴金额=200.00; 新类别代码=needy_student; 新应缴金额=50.00; \
         差额=-150.00; 资助方=区教育局 (学生资助资金) 150.00",
    );
    // An ordinary 二档 row due 700 (the 二档 band for January is 700): never
    // re-rated to 一档's 400.
    none(&r, &p.ordinary_g2_unpaid, "rerating");
    assert_eq!(r.len(), 4, "{r:#?}");
}

/// R5: due at the registered row's grade, else the default; other grades shown.
fn missing(w: &Workdir, p: &People) {
    let m = out(w, "missing_enrollment.csv");
    // No row: default 城乡居民 一档, 低保 personal 160; 二档 460 beside it.
    check(
        &one(&m, &p.dibao_unregistered, "missing"),
        "区划代码=439902; 人员类别=城乡居民; 缴费档次=一档; 身份类别代码=dibao; 应缴金额=160.00; \
         其他档次应缴金额=二档 460.00; 登记状态=未登记",
    );
    // Registered on 二档 (unpaid): 特困 二档 300; 一档 would be 0.
    check(
        &one(&m, &p.tekun_g2_unpaid, "missing"),
        "缴费档次=二档; 应缴金额=300.00; 其他档次应缴金额=一档 0.00; 登记状态=登记未缴费",
    );
    check(
        &one(&m, &p.dibao_g2_rated_ordinary, "missing"),
        "缴费档次=二档; 应缴金额=460.00; 其他档次应缴金额=一档 160.00",
    );
    check(
        &one(&m, &p.dibao_g1_wrong_due, "missing"),
        "缴费档次=一档; 应缴金额=160.00; 其他档次应缴金额=二档 460.00",
    );
    // The student: the student standard's only grade, personal 50, no other grade.
    check(
        &one(&m, &p.needy_student, "missing"),
        "人员类别=大学生; 缴费档次=大学生档; 身份类别代码=needy_student; 应缴金额=50.00; \
         其他档次应缴金额=; 登记状态=登记未缴费",
    );
    // A needy student with no row: the resident standard does not subsidise
    // 家庭经济困难大学生, the student standard does → 大学生档, personal 50.
    check(
        &one(&m, &p.needy_student_unregistered, "missing"),
        "人员类别=大学生; 缴费档次=大学生档; 身份类别代码=needy_student; 应缴金额=50.00; \
         其他档次应缴金额=; 登记状态=未登记",
    );
    // Covered (paid) identity holders and an ordinary resident are not listed.
    none(&m, &p.ordinary_g2_unpaid, "missing");
    none(&m, &p.dibao_g2_paid_full, "missing");
    assert_eq!(m.len(), 6, "{m:#?}");
}

/// R9: one detail row per payer of the tier's price on the row's grade.
fn subsidies(w: &Workdir, p: &People) {
    let d = out(w, "subsidy_detail.csv");
    let rows = |who: &str| -> Vec<(String, String, String)> {
        d.iter()
            .filter(|r| r["身份证号"] == who)
            .map(|r| {
                (
                    r["资助方代码"].clone(),
                    r["资助金额"].clone(),
                    r["资助状态"].clone(),
                )
            })
            .collect()
    };
    let s =
        |payer: &str, amount: &str| (payer.to_string(), amount.to_string(), "settled".to_string());
    // 二档 低保: fixed 240 (the auto refund of 240 brings the 700 to 460).
    assert_eq!(
        rows(&p.dibao_g2_paid_full),
        [s("medical_assistance", "240.00")]
    );
    // 特困 二档 paid 300: the subsidy is capped at 一档's 400.
    assert_eq!(
        rows(&p.tekun_g2_paid_diff),
        [s("medical_assistance", "400.00")]
    );
    // 低保 一档: 60 % of 400 = 240.
    assert_eq!(rows(&p.dibao_g1_paid), [s("medical_assistance", "240.00")]);
    // 汀南区 override: 低保 一档 in full, 400.
    assert_eq!(rows(&p.dibao_override), [s("medical_assistance", "400.00")]);
    // 鹭山县 低收入: 240 (the refund of 240 settles it).
    assert_eq!(
        rows(&p.low_income_override),
        [s("medical_assistance", "240.00")]
    );
    // 优抚对象 一档: the jointly paid tier, 150 + 150.
    assert_eq!(
        rows(&p.youfu_g1),
        [s("medical_assistance", "150.00"), s("veterans", "150.00")]
    );
    // 汀南区 优抚对象 二档: 400 by shares 50 % / 50 % → 200 + 200.
    assert_eq!(
        rows(&p.youfu_g2_override),
        [s("medical_assistance", "200.00"), s("veterans", "200.00")]
    );
    // 1至6级残疾军人 二档: 区退役军人事务局 700.
    assert_eq!(rows(&p.veteran_grade5), [s("veterans", "700.00")]);
    check(
        &one(
            &d.iter()
                .filter(|r| r["资助方代码"] == "medical_assistance")
                .cloned()
                .collect::<Vec<_>>(),
            &p.youfu_g2_override,
            "subsidy",
        ),
        "人员类别=城乡居民; 缴费档次=二档; 资助档次=lt-youfu; 该档个人缴费=300.00; 实缴金额=300.00",
    );
    assert_eq!(d.len(), 10, "{d:#?}");
    // Per county × payer: 汀北区 区医保局 240 + 400 + 240 + 150 = 1030, 退役军人 150 + 700
    // = 850; 汀南区 400 + 200 = 600 and 200; 鹭山县 240.
    let ledger = out(w, "subsidy_ledger.csv");
    let amount = |county: &str, payer: &str| -> Vec<String> {
        ledger
            .iter()
            .filter(|r| r["区划代码"] == county && r["资助方代码"] == payer)
            .map(|r| format!("{} {}", r["人数"], r["资助金额"]))
            .collect()
    };
    assert_eq!(amount("439902", "medical_assistance"), ["4 1030.00"]);
    assert_eq!(amount("439902", "veterans"), ["2 850.00"]);
    assert_eq!(amount("439903", "medical_assistance"), ["2 600.00"]);
    assert_eq!(amount("439903", "veterans"), ["1 200.00"]);
    assert_eq!(amount("439921", "medical_assistance"), ["1 240.00"]);
}

/// R6: the band of the row's own grade.
fn late_payment(w: &Workdir, p: &People) {
    let l = out(w, "late_payment.csv");
    // Paid 2026-01-10 after C1 on 二档: the 二档 band for January is 700; the
    // benefit starts 90 days after payment: 2026-01-10 + 90 = 2026-04-10.
    check(
        &one(&l, &p.late_g2, "late"),
        "人员类别=城乡居民; 缴费档次=二档; 实缴金额=700.00; 应缴标准=700.00; \
         应享待遇开始日期=2026-04-10; 核查标记=NO_HISTORY",
    );
    assert_eq!(l.len(), 1, "{l:#?}");
}

/// An unknown grade or population text, and a county the policy does not list.
fn rejects(w: &Workdir, p: &People) {
    let r = out(w, "rejects.csv");
    let line = |n: &str| -> Row {
        r.iter()
            .find(|x| x["文件"] == "in/enrollment.csv" && x["行号"] == n)
            .cloned()
            .unwrap_or_else(|| panic!("no reject on line {n}: {r:#?}"))
    };
    check(
        &line("17"),
        "列=缴费档次; 原始值=三档; 拒收原因=UNKNOWN_GRADE",
    );
    check(
        &line("18"),
        "列=人员类别; 原始值=研究生; 拒收原因=UNKNOWN_GRADE",
    );
    check(
        &line("19"),
        "列=参保区划代码; 原始值=439905; 拒收原因=OUT_OF_REGION",
    );
    assert!(line("17")["说明"].contains("城乡居民 二档"), "{r:#?}");
    assert!(line("19")["说明"].contains("439905"), "{r:#?}");
    assert_eq!(r.len(), 3, "{r:#?}");
    let _ = (&p.unknown_grade, &p.unknown_population, &p.unlisted_county);
}

/// `explain` shows the row's population and grade and the refund of that
/// grade (二档 低保 paid 700: refund 700 − 460 = 240).
#[test]
fn explain_names_the_grade_of_each_row() {
    let (w, p) = run_luting();
    let policy = repo().join("tests/fixtures/invented/luting-2026.toml");
    let out = w.run_expect(
        &[
            "explain",
            "--id",
            &p.dibao_g2_paid_full,
            "--policy",
            policy.to_str().unwrap(),
            "--as-of",
            "2026-01-31",
            "--enrollment",
            "in/enrollment.csv",
            "--civil",
            "in/civil.csv",
            "--lang",
            "en",
        ],
        0,
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("城乡居民 二档"), "{text}");
    assert!(text.contains("240.00"), "{text}");
}

/// The graded lists are the same bytes whatever the thread count and the
/// number of partitions.
#[test]
fn graded_lists_do_not_depend_on_threads_or_partitions() {
    let (w, _) = run_luting();
    let policy = repo().join("tests/fixtures/invented/luting-2026.toml");
    for (out, threads, parts) in [("one", "1", "1"), ("many", "8", "5")] {
        let o = std::process::Command::new(common::BIN)
            .args([
                "run",
                "--policy",
                policy.to_str().unwrap(),
                "--as-of",
                "2026-01-31",
                "--enrollment",
                "in/enrollment.csv",
                "--civil",
                "in/civil.csv",
                "--veterans",
                "in/veterans.csv",
                "--out",
                out,
                "--quiet",
                "--no-ledger",
                "--partitions",
                parts,
            ])
            .current_dir(w.dir.path())
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    for f in [
        "refunds.csv",
        "rerating.csv",
        "missing_enrollment.csv",
        "subsidy_detail.csv",
        "subsidy_ledger.csv",
        "late_payment.csv",
        "rejects.csv",
    ] {
        assert_eq!(
            w.read(&format!("one/{f}")),
            w.read(&format!("many/{f}")),
            "{f}"
        );
        assert_eq!(
            w.read(&format!("one/{f}")),
            w.read(&format!("out/{f}")),
            "{f}"
        );
    }
}
