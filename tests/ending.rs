//! Issue 16 point 3: the run ends with what the clerk acts on, and warns
//! about a run that may not mean what it seems — on the console, in
//! `summary.json` (`warnings`) and in `report.html` (the warnings box).
//!
//! The Ningxia figures below are those of the reviewed golden outputs
//! (`tests/golden/ningxia/`: refunds.csv 7 payable 2,400.00 + 3 expired
//! 1,200.00; rerating.csv 4 rows, differences summing to -140.00;
//! missing_enrollment.csv 4 未登记 + 4 登记未缴费, due 1,300.00;
//! coverage.csv 14/19 of 低收入人口和脱贫人口 against 99 %, 1/2 newborns
//! against 80 %; rejects.csv 12 rows, 2 MISSING_FIELD; conflicts.csv 4 rows,
//! 2 UNSUPPORTED_RATING).

use crate::common;

use common::{sample_args, Workdir};

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// The sample's arguments without `--quiet`, plus `extra`.
fn loud_args(out: &str, extra: &[&str]) -> Vec<String> {
    let mut a: Vec<String> = sample_args("ningxia", out)
        .into_iter()
        .filter(|x| x != "--quiet")
        .collect();
    a.extend(extra.iter().map(|s| s.to_string()));
    a
}

fn run(w: &Workdir, args: &[String]) -> String {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    stderr(&w.run_expect(&refs, 0))
}

/// The ending: the lines from its heading on.
fn ending(text: &str) -> Vec<&str> {
    text.lines().skip_while(|l| !l.starts_with("——")).collect()
}

#[test]
fn ningxia_ending_says_what_happened() {
    let w = Workdir::new();
    w.copy_sample("ningxia");
    let text = run(&w, &loud_args("out", &[]));
    assert_eq!(
        ending(&text),
        [
            "—— 本月对账结果（对账日期 2026-01-31）——",
            "退费：可退费 7 人 2,400.00 元；待复核 0 人 0.00 元；已过期限 3 人 1,200.00 元",
            "重新核定：4 人，应缴差额合计 -140.00 元",
            "应参未参：8 人（未登记 4，登记未缴费 4），应缴合计 1,300.00 元",
            "参保率：低收入人口和脱贫人口 73.68%（14/19），目标 99%，还差 5 人",
            "参保率：新生儿 50.00%（1/2），目标 80%，还差 1 人",
            "与上月相比：账本中没有更早的对账，本月条目都是新增",
            "拒收：12 行，最多的原因：必填项为空 2 行、金额无法识别 1 行、日期无法识别 1 行",
            "待核实：4 行，最多的原因：按资助档缴费但找不到对应身份 2 行、同一身份证号姓名不一致 1 行、核定类别无法识别（按普通居民处理） 1 行",
            "看板：out/report.html",
            "汇总工作簿：out/report.xlsx",
            "各区县工作簿（22 个）：out/by_county/",
        ],
        "{text}"
    );
    assert!(!text.contains("done in"), "{text}");
    let summary: serde_json::Value = serde_json::from_str(&w.read("out/summary.json")).unwrap();
    assert_eq!(summary["warnings"], serde_json::json!([]));
    assert!(!w.read("out/report.html").contains("id=\"warnings\""));
}

#[test]
fn ending_in_english_with_lang_en() {
    let w = Workdir::new();
    w.copy_sample("ningxia");
    let text = run(&w, &loud_args("out", &["--lang", "en", "--no-ledger"]));
    let end = ending(&text);
    assert_eq!(end[0], "—— This month's results (as of 2026-01-31) ——");
    assert_eq!(
        end[1],
        "Refunds: payable 7 (CNY 2,400.00); review 0 (CNY 0.00); expired 3 (CNY 1,200.00)"
    );
    assert_eq!(
        end[6],
        "Since last month: trial run (--no-ledger), not compared"
    );
    assert_eq!(
        end[7],
        "rejected rows: 12, most often MISSING_FIELD 2, BAD_AMOUNT 1, BAD_DATE 1"
    );
}

#[test]
fn quiet_prints_no_ending() {
    let w = Workdir::new();
    w.copy_sample("ningxia");
    let refs = sample_args("ningxia", "out");
    let text = run(&w, &refs);
    assert_eq!(text, "", "--quiet printed: {text}");
}

/// The warnings a run's summary.json carries, by code.
fn warning_codes(w: &Workdir, out: &str) -> Vec<String> {
    let s: serde_json::Value =
        serde_json::from_str(&w.read(&format!("{out}/summary.json"))).unwrap();
    s["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["code"].as_str().unwrap().to_string())
        .collect()
}

/// The run's warnings are exactly `want` (code, a piece of its console
/// line), each in summary.json, in report.html's box and on the console.
fn assert_warnings(w: &Workdir, out: &str, text: &str, want: &[(&str, &str)]) {
    let codes: Vec<&str> = want.iter().map(|(c, _)| *c).collect();
    assert_eq!(warning_codes(w, out), codes, "{out}/summary.json");
    let html = w.read(&format!("{out}/report.html"));
    for (code, console) in want {
        assert!(
            html.contains("id=\"warnings\"") && html.contains(&format!("data-code=\"{code}\"")),
            "{code} not in the dashboard's warnings box"
        );
        assert!(
            ending(text)
                .iter()
                .any(|l| l.starts_with("请注意：") && l.contains(console)),
            "{code}: no line with {console:?} in the ending:\n{text}"
        );
    }
}

/// The sample's loud arguments with `flag`'s value set to `value` (or the
/// flag and its value dropped when `value` is `None`).
fn with_flag(mut args: Vec<String>, flag: &str, value: Option<&str>) -> Vec<String> {
    let at = args.iter().position(|a| a == flag).unwrap();
    match value {
        Some(v) => args[at + 1] = v.to_string(),
        None => {
            args.drain(at..at + 2);
        }
    }
    args
}

#[test]
fn warns_of_an_input_with_no_accepted_row() {
    let w = Workdir::new();
    w.copy_sample("ningxia");
    // Every row of the civil roster has an ID with a wrong check character.
    w.write(
        "inputs/civil.csv",
        "姓名,身份证号,救助类别,认定日期,行政区划代码\n马玉兰,640104196804121020,低保对象,2025-11-20,640104\n",
    );
    let text = run(&w, &loud_args("out", &["--no-ledger"]));
    assert_warnings(
        &w,
        "out",
        &text,
        &[(
            "NO_ACCEPTED_ROWS",
            "inputs/civil.csv（民政）没有一行被接受（读取 1 行，拒收 1 行）",
        )],
    );
}

#[test]
fn warns_of_an_as_of_outside_the_policy_year() {
    let w = Workdir::new();
    w.copy_sample("ningxia");
    let args = with_flag(
        loud_args("out", &["--no-ledger"]),
        "--as-of",
        Some("2027-03-31"),
    );
    let text = run(&w, &args);
    let said = "对账日期 2027-03-31 不在政策年度 2026 及其前一年内";
    assert_warnings(&w, "out", &text, &[("AS_OF_OUTSIDE_POLICY_YEAR", said)]);
}

#[test]
fn warns_of_no_persons_file() {
    let w = Workdir::new();
    w.copy_sample("ningxia");
    let args = with_flag(loud_args("out", &["--no-ledger"]), "--persons", None);
    let text = run(&w, &args);
    let said = "未提供一人一档人员库（--persons）";
    assert_warnings(&w, "out", &text, &[("NO_PERSONS_FILE", said)]);
}

#[test]
fn warns_of_an_input_under_half_of_last_months() {
    let w = Workdir::new();
    w.copy_sample("ningxia");
    run(&w, &loud_args("reports/2026-01", &[]));
    // February: the same files, but the civil roster keeps 10 of its 25 rows.
    let civil = w.read("inputs/civil.csv");
    let kept: Vec<&str> = civil.lines().take(11).collect();
    w.write("inputs/civil.csv", kept.join("\n") + "\n");
    let args = with_flag(
        loud_args("reports/2026-02", &[]),
        "--as-of",
        Some("2026-02-28"),
    );
    let text = run(&w, &args);
    let said = "civil（民政）本月读取 10 行，不到上次对账（2026-01-31）25 行的一半";
    assert_warnings(
        &w,
        "reports/2026-02",
        &text,
        &[("INPUT_MUCH_SMALLER", said)],
    );
    assert!(
        ending(&text)
            .iter()
            .any(|l| l.starts_with("与上次对账（2026-01-31）相比：新增 ")),
        "{text}"
    );
}
