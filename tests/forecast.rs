//! `yibao-recon forecast` (issue 14 point 4): next year's policy priced on
//! the people recognised today. Every expected row below is worked by hand
//! from the policy files' numbers (the arithmetic is in the comments), never
//! taken from a run of the tool.

use crate::common;

use std::collections::BTreeMap;

use common::{read_csv, valid_id, Workdir};

/// The small roster, as of 2026-09-30 (Hulunbuir counties):
/// - A 特困 in 150702 since 2020 → hl-0.
/// - B 低保 in 150702 and a 一级 disability certificate in 150702: under
///   2026 both tiers are personal 200, the tie goes to the policy's order →
///   hl-200-ma; under the 2027 fixture the disability tier is 180 → hl-200-dis.
/// - C 二级 disability in 150782 → hl-200-dis (two payers).
/// - D 低保 in 150781 exited 2026-06-30 → no identity at T, not counted.
/// - E 低保 in 150781 since 2026-01-01 → hl-200-ma.
/// - F 特困 in 150782, died 2026-08-01 (register) → not counted.
/// - G 高龄低收入老年人 in 150782: ordinary in 2026, hl-200-ma in the fixture.
/// - one civil row with a wrong check digit → rejects.csv.
struct Roster {
    w: Workdir,
}

fn ids() -> BTreeMap<&'static str, String> {
    [
        ("A", "15070219500101001"),
        ("B", "15070219600202002"),
        ("C", "15078219700303003"),
        ("D", "15078119800404004"),
        ("E", "15078119850505005"),
        ("F", "15078219400606006"),
        ("G", "15078219300707007"),
    ]
    .into_iter()
    .map(|(k, v)| (k, valid_id(v)))
    .collect()
}

impl Roster {
    fn new() -> Roster {
        let w = Workdir::new();
        let id = ids();
        let mut bad = id["A"].clone();
        let last = if bad.ends_with('1') { '2' } else { '1' };
        bad.pop();
        bad.push(last);
        w.write(
            "in/civil.csv",
            format!(
                "行政区划代码,姓名,身份证号,救助类别,认定日期,退出日期\n\
                 150702,甲,{},特困人员,2020-01-01,\n\
                 150702,乙,{},低保对象,2025-01-01,\n\
                 150781,丁,{},低保对象,2024-01-01,2026-06-30\n\
                 150781,戊,{},低保对象,2026-01-01,\n\
                 150782,己,{},特困人员,2019-01-01,\n\
                 150782,庚,{},高龄低收入老年人,2025-03-01,\n\
                 150702,错号,{bad},特困人员,2020-01-01,\n",
                id["A"], id["B"], id["D"], id["E"], id["F"], id["G"]
            ),
        );
        w.write(
            "in/disability.csv",
            format!(
                "姓名,残疾人证号,残疾等级,发证日期,行政区划代码\n\
                 乙,{}41,一级,2022-01-01,150702\n\
                 丙,{}12,二级,2021-05-20,150782\n",
                id["B"], id["C"]
            ),
        );
        w.write(
            "in/persons.csv",
            format!(
                "身份证号,姓名,常住区划代码,死亡日期\n{},己,150782,2026-08-01\n",
                id["F"]
            ),
        );
        std::fs::create_dir_all(w.path("policies")).unwrap();
        for p in [
            "policies/hulunbuir-2026.toml",
            "tests/fixtures/hulunbuir-2027-next.toml",
        ] {
            let name = std::path::Path::new(p).file_name().unwrap();
            std::fs::copy(common::repo().join(p), w.path("policies").join(name)).unwrap();
        }
        Roster { w }
    }

    fn forecast(&self, extra: &[&str]) -> std::process::Output {
        let mut args = vec![
            "forecast",
            "--as-of",
            "2026-09-30",
            "--civil",
            "in/civil.csv",
            "--disability",
            "in/disability.csv",
            "--persons",
            "in/persons.csv",
            "--quiet",
        ];
        args.extend_from_slice(extra);
        self.w.run_expect(&args, 0)
    }

    fn csv(&self, rel: &str) -> Vec<BTreeMap<String, String>> {
        read_csv(&self.w.path(rel))
    }
}

/// The named columns of each row, joined by `|`.
fn pick(rows: &[BTreeMap<String, String>], cols: &[&str]) -> Vec<String> {
    rows.iter()
        .map(|r| {
            cols.iter()
                .map(|c| {
                    r.get(*c)
                        .unwrap_or_else(|| panic!("no column {c}: {r:?}"))
                        .as_str()
                })
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect()
}

fn fen(s: &str) -> i64 {
    let (y, f) = s.split_once('.').unwrap_or((s, "0"));
    let neg = y.starts_with('-');
    let v = y.trim_start_matches('-').parse::<i64>().unwrap() * 100 + f.parse::<i64>().unwrap();
    if neg {
        -v
    } else {
        v
    }
}

#[test]
fn seed_policy_per_county_tier_payer_with_fiscal_split() {
    let r = Roster::new();
    r.forecast(&[
        "--policy",
        "policies/hulunbuir-2026.toml",
        "--out",
        "out",
        "--header-lang",
        "en",
    ]);
    let rows = r.csv("out/forecast.csv");
    let cols = [
        "county_code",
        "tier",
        "full_amount",
        "personal_amount",
        "payer",
        "payer_amount",
        "persons",
        "subsidy_amount",
    ];
    let got = pick(&rows, &cols);
    // hulunbuir-2026: ordinary 400; hl-0 personal 0, 医疗救助 400;
    // hl-200-ma personal 200, 医疗救助 200; hl-200-dis personal 200,
    // 残联 100 + 医疗救助 100. One person per group, so subsidy = per person.
    let detail = [
        "150702|hl-0|400.00|0.00|medical_assistance|400.00|1|400.00", // A
        "150702|hl-200-ma|400.00|200.00|medical_assistance|200.00|1|200.00", // B (tie → notice's order)
        "150781|hl-200-ma|400.00|200.00|medical_assistance|200.00|1|200.00", // E (D exited before T)
        "150782|ordinary|400.00|400.00||0.00|1|0.00",                        // G (untiered); F died
    ];
    // C's two payers, in whichever order the policy lists them.
    let c_rows = [
        "150782|hl-200-dis|400.00|200.00|disability_federation|100.00|1|100.00",
        "150782|hl-200-dis|400.00|200.00|medical_assistance|100.00|1|100.00",
    ];
    // Six detail rows, two payer totals, the grand total.
    assert_eq!(got.len(), 9, "{got:#?}");
    assert_eq!(&got[..3], &detail[..3]);
    let mut c_got = got[3..5].to_vec();
    c_got.sort();
    assert_eq!(c_got, c_rows);
    assert_eq!(got[5], detail[3]);
    // Totals: 医疗救助 A 400 + B 200 + E 200 + C 100 = 900.00 for 4 persons;
    // 残联 C 100.00; everyone A B C E G = 5 persons, 900 + 100 = 1000.00.
    assert_eq!(
        &got[6..8],
        [
            "TOTAL||||disability_federation||1|100.00",
            "TOTAL||||medical_assistance||4|900.00",
        ]
    );
    let all = pick(
        &rows[8..],
        &["county_code", "payer", "persons", "subsidy_amount"],
    );
    assert_eq!(all, ["TOTAL||5|1000.00"]);

    // Fiscal 700 per person: central 80%, region 14%, local 6% split by the
    // city's tier. 150702 (tier1, city 30%): 2 persons → 1400.00; central
    // 1120.00, region 196.00, local 84.00 → city 25.20, banner 58.80.
    // 150781 (untiered): 1 → 700.00; 560.00, 98.00, untiered 42.00.
    // 150782 (tier2, 50%): 2 (C, G) → 1400.00; 1120.00, 196.00, 42.00, 42.00.
    // Advance 60%: 840.00 → 672.00, 117.60, local 50.40 → 15.12 / 35.28;
    // 420.00 → 336.00, 58.80, 25.20; 840.00 → 672.00, 117.60, 25.20, 25.20.
    let fiscal = pick(
        &r.csv("out/forecast_fiscal.csv"),
        &[
            "county_code",
            "fiscal_tier",
            "persons",
            "full_year_total",
            "central",
            "region",
            "city",
            "banner",
            "untiered_local",
            "advance_total",
            "advance_city",
            "advance_banner",
            "advance_untiered_local",
        ],
    );
    assert_eq!(
        fiscal,
        [
            "150702|tier1|2|1400.00|1120.00|196.00|25.20|58.80|0.00|840.00|15.12|35.28|0.00",
            "150781|untiered|1|700.00|560.00|98.00|0.00|0.00|42.00|420.00|0.00|0.00|25.20",
            "150782|tier2|2|1400.00|1120.00|196.00|42.00|42.00|0.00|840.00|25.20|25.20|0.00",
            // 5 persons → 3500.00; 2800.00 + 490.00 + 67.20 + 100.80 + 42.00.
            "TOTAL||5|3500.00|2800.00|490.00|67.20|100.80|42.00|2100.00|40.32|60.48|25.20",
        ]
    );

    // The bad check digit is rejected and reported; every line accounted for.
    let rejects = r.csv("out/rejects.csv");
    assert_eq!(
        pick(&rejects, &["line", "reject_reason"]),
        ["8|ID_CHECKSUM"]
    );
    let summary: serde_json::Value = serde_json::from_str(&r.w.read("out/summary.json")).unwrap();
    assert_eq!(summary["command"], "forecast");
    assert_eq!(summary["forecast"]["next"]["persons"], 5);
    assert_eq!(summary["forecast"]["next"]["subsidy_total"], "1000.00");
    // Personal: A 0 + B 200 + E 200 + C 200 + G 400 = 1000.00.
    assert_eq!(summary["forecast"]["next"]["personal_total"], "1000.00");
    assert_eq!(summary["forecast"]["deceased_excluded"], 1);
    for f in summary["inputs"].as_array().unwrap() {
        let n = |k: &str| f[k].as_u64().unwrap();
        assert_eq!(
            n("rows_read"),
            n("accepted") + n("rejected") + n("merged_duplicates")
        );
    }
    assert_eq!(summary["inputs"][1]["rejected"], 1, "{summary:#}");
}

#[test]
fn compare_gives_per_county_per_payer_differences_that_add_up() {
    let r = Roster::new();
    r.forecast(&[
        "--policy",
        "policies/hulunbuir-2027-next.toml",
        "--compare",
        "policies/hulunbuir-2026.toml",
        "--out",
        "out",
        "--header-lang",
        "en",
    ]);
    let rows = r.csv("out/forecast_compare.csv");
    let got = pick(
        &rows,
        &[
            "county_code",
            "payer",
            "current_persons",
            "current_subsidy",
            "next_persons",
            "next_subsidy",
            "difference",
        ],
    );
    // 2026 as in the seed test. 2027 fixture: A hl-0 医疗救助 420; B's
    // disability tier is now personal 180 < 200 → hl-200-dis, 残联 120 +
    // 医疗救助 120; E hl-200-ma 医疗救助 220; C 残联 120 + 医疗救助 120;
    // G 高龄低收入 now hl-200-ma, 医疗救助 220.
    assert_eq!(
        got,
        [
            // B: 0 → 120.
            "150702|disability_federation|0|0.00|1|120.00|120.00",
            // A 400 + B 200 = 600 → A 420 + B 120 = 540: −60.
            "150702|medical_assistance|2|600.00|2|540.00|-60.00",
            // E 200 → 220.
            "150781|medical_assistance|1|200.00|1|220.00|20.00",
            // C 100 → 120.
            "150782|disability_federation|1|100.00|1|120.00|20.00",
            // C 100 → C 120 + G 220 = 340: +240.
            "150782|medical_assistance|1|100.00|2|340.00|240.00",
            // 残联 100 → 240: +140 (= 120 + 20).
            "TOTAL|disability_federation|1|100.00|2|240.00|140.00",
            // 医疗救助 900 → 1100: +200 (= −60 + 20 + 240).
            "TOTAL|medical_assistance|4|900.00|5|1100.00|200.00",
            // Everyone (5 persons both years): 1000 → 1340: +340.
            "TOTAL||5|1000.00|5|1340.00|340.00",
        ]
    );
    // And the rows add up as a rule, not only in this example: each payer's
    // county rows sum to its TOTAL row, the payers' TOTAL rows to the last.
    let mut per_payer: BTreeMap<String, [i64; 3]> = BTreeMap::new();
    let cols = ["current_subsidy", "next_subsidy", "difference"];
    for r in rows.iter().filter(|r| r["county_code"] != "TOTAL") {
        let e = per_payer.entry(r["payer"].clone()).or_default();
        for (i, c) in cols.iter().enumerate() {
            e[i] += fen(&r[*c]);
        }
    }
    let totals: Vec<_> = rows
        .iter()
        .filter(|r| r["county_code"] == "TOTAL")
        .collect();
    let (grand, payers) = totals.split_last().unwrap();
    assert_eq!(payers.len(), per_payer.len());
    let mut sum = [0i64; 3];
    for t in payers {
        let want = per_payer[&t["payer"]];
        for (i, c) in cols.iter().enumerate() {
            assert_eq!(fen(&t[*c]), want[i], "{c} of {}", t["payer"]);
            sum[i] += want[i];
        }
    }
    for (i, c) in cols.iter().enumerate() {
        assert_eq!(fen(&grand[*c]), sum[i], "grand {c}");
    }
    let summary: serde_json::Value = serde_json::from_str(&r.w.read("out/summary.json")).unwrap();
    assert_eq!(summary["forecast"]["difference"], "340.00");
    assert_eq!(summary["compare_policy"]["id"], "hulunbuir-2026");
}

#[test]
fn outputs_are_chinese_owner_only_and_a_full_out_is_refused() {
    let r = Roster::new();
    r.forecast(&["--policy", "policies/hulunbuir-2026.toml", "--out", "out"]);
    let bytes = std::fs::read(r.w.path("out/forecast.csv")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(
        text.starts_with("区划代码,区县名称,资助档次,资助档次名称,人员类别,缴费档次,档次缴费标准,个人缴费,资助方代码,资助方,人均资助,人数,资助金额\r\n"),
        "{text}"
    );
    for f in [
        "forecast.csv",
        "forecast_fiscal.csv",
        "rejects.csv",
        "report.xlsx",
        "report.html",
        "summary.json",
    ] {
        let p = r.w.path(&format!("out/{f}"));
        assert!(p.is_file(), "{f}");
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&p).unwrap().permissions().mode() & 0o077,
            0,
            "{f}"
        );
    }
    let html = r.w.read("out/report.html");
    assert!(html.contains("<section id=\"forecast\">"), "{html}");
    assert!(html.contains("1,000.00 元"), "{html}");
    // No ledger is written beside the output.
    assert!(!r.w.path("ledger.sqlite").exists());
    // A second forecast into the same directory is refused without --force.
    let out = r.w.run(&[
        "forecast",
        "--policy",
        "policies/hulunbuir-2026.toml",
        "--as-of",
        "2026-09-30",
        "--civil",
        "in/civil.csv",
        "--out",
        "out",
        "--quiet",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    r.forecast(&[
        "--policy",
        "policies/hulunbuir-2026.toml",
        "--out",
        "out",
        "--force",
    ]);
}

#[test]
fn mask_ids_masks_the_rejects() {
    let r = Roster::new();
    r.forecast(&[
        "--policy",
        "policies/hulunbuir-2026.toml",
        "--out",
        "out",
        "--mask-ids",
    ]);
    let id = &ids()["A"];
    for f in ["rejects.csv", "summary.json", "report.html"] {
        let text = r.w.read(&format!("out/{f}"));
        assert!(!text.contains(&id[..17]), "{f} holds a full ID");
    }
    assert!(r.w.read("out/rejects.csv").contains("150702********"));
}

#[test]
fn a_forecast_needs_a_roster() {
    let r = Roster::new();
    let out = r.w.run(&[
        "forecast",
        "--policy",
        "policies/hulunbuir-2026.toml",
        "--as-of",
        "2026-09-30",
        "--persons",
        "in/persons.csv",
        "--out",
        "out",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("至少需要一份名单"));
    assert!(!r.w.path("out").exists());
}

#[test]
fn the_workbook_has_a_sheet_per_table_and_bytes_do_not_depend_on_threads() {
    use calamine::{Reader, Xlsx};
    let r = Roster::new();
    let run = |threads: &str, out: &str| {
        let o = std::process::Command::new(common::BIN)
            .args([
                "forecast",
                "--policy",
                "policies/hulunbuir-2027-next.toml",
                "--compare",
                "policies/hulunbuir-2026.toml",
                "--as-of",
                "2026-09-30",
                "--civil",
                "in/civil.csv",
                "--disability",
                "in/disability.csv",
                "--persons",
                "in/persons.csv",
                "--out",
                out,
                "--quiet",
            ])
            .env("RAYON_NUM_THREADS", threads)
            .current_dir(r.w.dir.path())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{o:?}");
    };
    run("1", "one");
    run("4", "four");
    let book: Xlsx<_> = calamine::open_workbook(r.w.path("one/report.xlsx")).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["预算测算", "政策对比", "财政补助测算", "拒收清单"]
    );
    for f in [
        "forecast.csv",
        "forecast_compare.csv",
        "forecast_fiscal.csv",
        "rejects.csv",
        "report.xlsx",
        "report.html",
    ] {
        assert_eq!(
            std::fs::read(r.w.path(&format!("one/{f}"))).unwrap(),
            std::fs::read(r.w.path(&format!("four/{f}"))).unwrap(),
            "{f}"
        );
    }
    let strip = |rel: &str| {
        let mut v: serde_json::Value = serde_json::from_str(&r.w.read(rel)).unwrap();
        v.as_object_mut().unwrap().remove("timings_ms");
        v
    };
    assert_eq!(strip("one/summary.json"), strip("four/summary.json"));
}

/// The invented region (tests/fixtures/invented/luting-2026.toml, i14a's
/// authoring example), as of 2026-09-30, everyone at the default grade
/// 城乡居民 一档 (full 400):
/// - P1 低保 in 439902 汀北区 → lt-dibao, 一档 subsidy 60% × 400 = 240
///   (医疗救助 100% of it), personal 160.
/// - P2 低保 in 439903 汀南区 → the county's override: personal 0, 医疗救助 400.
/// - P3 低收入 in 439921 鹭山县 → the county puts 低收入 in lt-dibao: 240 / 160.
/// - P4 低收入 in 439902 → no tier there: ordinary, personal 400.
/// - P5 优抚 in 439902 → lt-youfu, subsidy 300 paid jointly: 医疗救助 150 +
///   退役军人事务局 150, personal 100.
/// - P6 特困 in 439903 → lt-full: 医疗救助 400, personal 0.
/// - P7 低保 and 优抚 in 439902: personal 160 vs 100 → lt-youfu.
#[test]
fn invented_region_percentage_joint_payers_and_county_overrides() {
    let w = Workdir::new();
    let id = |s: &str| valid_id(s);
    let (p1, p2, p3, p4, p5, p6, p7) = (
        id("43010219600101001"),
        id("43010219600202002"),
        id("43010219600303003"),
        id("43010219600404004"),
        id("43010219600505005"),
        id("43010219600606006"),
        id("43010219600707007"),
    );
    w.write(
        "in/civil.csv",
        format!(
            "行政区划代码,姓名,身份证号,救助类别,认定日期,退出日期\n\
             439902,一,{p1},低保对象,2025-01-01,\n\
             439903,二,{p2},低保对象,2025-01-01,\n\
             439921,三,{p3},低收入人口,2025-01-01,\n\
             439902,四,{p4},低收入人口,2025-01-01,\n\
             439903,六,{p6},特困人员,2020-01-01,\n\
             439902,七,{p7},低保对象,2025-01-01,\n"
        ),
    );
    w.write(
        "in/veterans.csv",
        format!(
            "姓名,身份证号,优抚类别,认定日期,行政区划代码\n\
             五,{p5},优抚对象,2019-01-01,439902\n\
             七,{p7},优抚对象,2019-01-01,439902\n"
        ),
    );
    let policy = common::repo().join("tests/fixtures/invented/luting-2026.toml");
    w.run_expect(
        &[
            "forecast",
            "--policy",
            policy.to_str().unwrap(),
            "--as-of",
            "2026-09-30",
            "--civil",
            "in/civil.csv",
            "--veterans",
            "in/veterans.csv",
            "--out",
            "out",
            "--header-lang",
            "en",
            "--quiet",
        ],
        0,
    );
    let rows = read_csv(&w.path("out/forecast.csv"));
    let got = pick(
        &rows,
        &[
            "county_code",
            "tier",
            "population",
            "grade",
            "full_amount",
            "personal_amount",
            "payer",
            "payer_amount",
            "persons",
            "subsidy_amount",
        ],
    );
    assert_eq!(
        got,
        [
            // P1: 60% × 400 = 240 subsidy, 160 personal.
            "439902|lt-dibao|城乡居民|一档|400.00|160.00|medical_assistance|240.00|1|240.00",
            // P5 and P7: 150 + 150 each, × 2 persons.
            "439902|lt-youfu|城乡居民|一档|400.00|100.00|medical_assistance|150.00|2|300.00",
            "439902|lt-youfu|城乡居民|一档|400.00|100.00|veterans|150.00|2|300.00",
            // P4: 低收入 has no tier in 汀北区.
            "439902|ordinary|城乡居民|一档|400.00|400.00||0.00|1|0.00",
            // P6.
            "439903|lt-full|城乡居民|一档|400.00|0.00|medical_assistance|400.00|1|400.00",
            // P2: 汀南区's override, full subsidy.
            "439903|lt-dibao|城乡居民|一档|400.00|0.00|medical_assistance|400.00|1|400.00",
            // P3: 鹭山县's override adds 低收入 to lt-dibao.
            "439921|lt-dibao|城乡居民|一档|400.00|160.00|medical_assistance|240.00|1|240.00",
            // 医疗救助: 240 + 300 + 400 + 400 + 240 = 1580 for P1 P5 P7 P6 P2 P3.
            "TOTAL||||||medical_assistance||6|1580.00",
            // 退役军人事务局: 300 for P5 P7.
            "TOTAL||||||veterans||2|300.00",
            // Everyone once: 7 persons, 1580 + 300 = 1880.
            "TOTAL||||||||7|1880.00",
        ]
    );
    // Fiscal 700: central 60%, region 25%, local 15%; inner city 50%, outer 30%.
    // 汀北区 inner, 4 persons: 2800 → 1680 / 700 / local 420 → 210 / 210.
    // 汀南区 inner, 2: 1400 → 840 / 350 / 210 → 105 / 105.
    // 鹭山县 outer, 1: 700 → 420 / 175 / 105 → city 31.50, banner 73.50.
    let fiscal = pick(
        &read_csv(&w.path("out/forecast_fiscal.csv")),
        &[
            "county_code",
            "persons",
            "full_year_total",
            "central",
            "region",
            "city",
            "banner",
            "advance_total",
        ],
    );
    assert_eq!(
        fiscal,
        [
            "439902|4|2800.00|1680.00|700.00|210.00|210.00|1680.00",
            "439903|2|1400.00|840.00|350.00|105.00|105.00|840.00",
            "439921|1|700.00|420.00|175.00|31.50|73.50|420.00",
            // 7 → 4900; 2940 + 1225 + 346.50 + 388.50; advance 60% = 2940.
            "TOTAL|7|4900.00|2940.00|1225.00|346.50|388.50|2940.00",
        ]
    );
}

/// Grades from the enrollment export (luting-2026, as of 2026-09-30):
/// - Q1 低保 in 439902, enrolled 2026 at 居民二档 → lt-dibao 二档: fixed
///   subsidy 240 (医疗救助), personal 700 − 240 = 460.
/// - Q2 特困 in 439902 at 二档 → lt-full 二档, capped at 一档's 400:
///   医疗救助 400, personal 700 − 400 = 300.
/// - Q3 优抚 in 439903 汀南区 at 二档 → the county's override: subsidy 400
///   split 50/50, 医疗救助 200 + 退役军人事务局 200, personal 300.
/// - Q4 低保 in 439902 with no enrollment row → the default grade 一档: 240 / 160.
/// - Q5 优抚 in 439902 whose 伤残等级 is 三级: narrowed to 1至6级残疾军人 →
///   lt-martyr 一档, 退役军人事务局 400, personal 0 (no enrollment row: 一档).
#[test]
fn invented_region_grades_come_from_the_enrollment_export() {
    let w = Workdir::new();
    let (q1, q2, q3, q4, q5) = (
        valid_id("43010219700101011"),
        valid_id("43010219700202012"),
        valid_id("43010219700303013"),
        valid_id("43010219700404014"),
        valid_id("43010219700505015"),
    );
    w.write(
        "in/civil.csv",
        format!(
            "行政区划代码,姓名,身份证号,救助类别,认定日期,退出日期\n\
             439902,甲,{q1},低保对象,2025-01-01,\n\
             439902,乙,{q2},特困人员,2020-01-01,\n\
             439902,丁,{q4},低保对象,2025-01-01,\n"
        ),
    );
    w.write(
        "in/veterans.csv",
        format!(
            "姓名,身份证号,优抚类别,认定日期,行政区划代码,伤残等级\n\
             丙,{q3},优抚对象,2019-01-01,439903,\n\
             戊,{q5},优抚对象,2019-01-01,439902,三级\n"
        ),
    );
    w.write(
        "in/enrollment.csv",
        format!(
            "身份证号,姓名,参保年度,险种类型,参保区划代码,参保状态,核定类别,应缴金额,实缴金额,缴费日期,缴费档次\n\
             {q1},甲,2026,390,439902,参保缴费,低保对象,460,460,2025-10-01,居民二档\n\
             {q2},乙,2026,390,439902,参保缴费,特困人员,300,300,2025-10-01,居民二档\n\
             {q3},丙,2026,390,439903,参保缴费,优抚对象,300,300,2025-10-01,居民二档\n"
        ),
    );
    let policy = common::repo().join("tests/fixtures/invented/luting-2026.toml");
    w.run_expect(
        &[
            "forecast",
            "--policy",
            policy.to_str().unwrap(),
            "--as-of",
            "2026-09-30",
            "--civil",
            "in/civil.csv",
            "--veterans",
            "in/veterans.csv",
            "--enrollment",
            "in/enrollment.csv",
            "--out",
            "out",
            "--header-lang",
            "en",
            "--quiet",
        ],
        0,
    );
    let got = pick(
        &read_csv(&w.path("out/forecast.csv")),
        &[
            "county_code",
            "tier",
            "population",
            "grade",
            "full_amount",
            "personal_amount",
            "payer",
            "payer_amount",
            "persons",
            "subsidy_amount",
        ],
    );
    assert_eq!(
        got,
        [
            "439902|lt-full|城乡居民|二档|700.00|300.00|medical_assistance|400.00|1|400.00",
            "439902|lt-martyr|城乡居民|一档|400.00|0.00|veterans|400.00|1|400.00",
            "439902|lt-dibao|城乡居民|一档|400.00|160.00|medical_assistance|240.00|1|240.00",
            "439902|lt-dibao|城乡居民|二档|700.00|460.00|medical_assistance|240.00|1|240.00",
            "439903|lt-youfu|城乡居民|二档|700.00|300.00|medical_assistance|200.00|1|200.00",
            "439903|lt-youfu|城乡居民|二档|700.00|300.00|veterans|200.00|1|200.00",
            // 医疗救助 400 + 240 + 240 + 200 = 1080 for Q2 Q4 Q1 Q3;
            // 退役军人 Q5 400 + Q3 200 = 600; everyone: 5 persons, 1680.
            "TOTAL||||||medical_assistance||4|1080.00",
            "TOTAL||||||veterans||2|600.00",
            "TOTAL||||||||5|1680.00",
        ]
    );
}
