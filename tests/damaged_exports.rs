//! Issue 10 — exports as department systems write them, damaged: no header found,
//! broken quotes, hostile workbooks, rows too wide, IDs Excel damaged. Each
//! test runs the real binary and checks what a clerk sees (exit code,
//! message, rejects.csv, summary.json).

use crate::common;

use common::{read_csv, Workdir};

const ENROLLMENT: &str = "参保年度,身份证号,姓名,险种类型,参保区划代码,参保状态,核定类别,应缴金额,实缴金额,缴费日期\n2026,640104197003121222,马秀兰,390,640104,参保缴费,普通居民,400,400,2025-11-05\n";
const CIVIL_HEADER: &str = "姓名,身份证号,救助类别,认定日期,行政区划代码,退出日期,状态";

fn workdir() -> Workdir {
    let w = common::policy_workdir("ningxia-2026.toml");
    w.write("inputs/enrollment.csv", ENROLLMENT);
    w
}

/// Runs `inputs/<name>` as the month's roster of `kind` (`--civil` …).
fn run(w: &Workdir, kind: &str, name: &str, quiet: bool) -> std::process::Output {
    common::run_roster(w, kind, name, quiet)
}

fn text(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn summary_input(w: &Workdir, name: &str) -> serde_json::Value {
    let s: serde_json::Value =
        serde_json::from_str(&w.read(&format!("out/{name}/summary.json"))).unwrap();
    s["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["path"] == format!("inputs/{name}"))
        .unwrap()
        .clone()
}

fn rejects(w: &Workdir, name: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    read_csv(&w.path(&format!("out/{name}/rejects.csv")))
        .into_iter()
        .filter(|r| r["文件"] == format!("inputs/{name}"))
        .collect()
}

/// A roster of `n` valid people in county 640104.
fn civil_rows(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let id = common::valid_id(&format!("64010419{:02}0101{:03}", 50 + i / 1000, i % 1000));
            format!("居民{i},{id},低保对象,2025-11-20,640104,,正常")
        })
        .collect()
}

// Point 1 ------------------------------------------------------------------

#[test]
fn a_file_without_a_header_names_the_file_shows_masked_lines_and_what_was_looked_for() {
    let w = workdir();
    let rows = civil_rows(3);
    w.write("inputs/noheader.csv", rows.join("\n") + "\n");
    let o = run(&w, "--civil", "noheader.csv", true);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o);
    assert!(err.contains("inputs/noheader.csv"), "{err}");
    assert!(err.contains("找不到表头"), "{err}");
    assert!(err.contains("姓名、身份证号、救助类别"), "{err}");
    assert!(err.contains("居民0"), "the first lines are shown: {err}");
    let id = rows[0].split(',').nth(1).unwrap();
    assert!(!err.contains(id), "a full ID in the message: {err}");
    assert!(err.contains(&yibao_recon::domain::mask(id)), "{err}");
    assert!(!w.path("out/noheader.csv").exists());
}

#[test]
fn the_console_says_where_the_header_was_found_in_one_line() {
    let w = workdir();
    let mut text_in =
        String::from("2026年1月城乡低保对象花名册,,,,,,\n填报单位：兴庆区民政局,,,,,,\n");
    text_in.push_str(CIVIL_HEADER);
    text_in.push('\n');
    text_in.push_str(&civil_rows(2).join("\n"));
    text_in.push_str("\n合计,,,,,,\n");
    w.write("inputs/titled.csv", &text_in);
    let o = run(&w, "--civil", "titled.csv", false);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let all = text(&o);
    let line: Vec<&str> = all
        .lines()
        .filter(|l| l.contains("inputs/titled.csv") && l.contains("表头在第 3 行"))
        .collect();
    assert_eq!(line.len(), 1, "{all}");
    assert!(line[0].contains("其上 2 行"), "{}", line[0]);
    assert!(
        line[0].contains("合计/备注 1 行已跳过（第 6 行）"),
        "{}",
        line[0]
    );
    assert!(line[0].contains("全部计入"), "{}", line[0]);
}

// Point 2 ------------------------------------------------------------------

#[test]
fn a_person_row_with_a_valid_id_is_never_a_totals_row() {
    let w = workdir();
    let id = common::valid_id("64010419700312122");
    w.write(
        "inputs/c.csv",
        format!(
            "{CIVIL_HEADER}\n合计,{id},低保对象,2025-11-20,640104,,正常\n合计,,,,,,\n共1人,,,,,,\n"
        ),
    );
    let o = run(&w, "--civil", "c.csv", true);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let c = summary_input(&w, "c.csv");
    assert_eq!(c["rows_read"], 1);
    assert_eq!(c["accepted"], 1);
    assert_eq!(c["totals_notes_lines"], serde_json::json!([3, 4]));
    assert!(rejects(&w, "c.csv").is_empty());
}

// Point 3 ------------------------------------------------------------------

#[test]
fn one_broken_quote_in_a_civil_export_costs_only_its_own_row() {
    let w = workdir();
    let mut rows = civil_rows(3000);
    // Line 10 of the file (row 9): a stray quote before the name.
    rows[8] = format!("\"{}", rows[8]);
    w.write(
        "inputs/big.csv",
        format!("{CIVIL_HEADER}\n{}\n", rows.join("\n")),
    );
    let o = run(&w, "--civil", "big.csv", true);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let c = summary_input(&w, "big.csv");
    assert_eq!(c["rows_read"], 3000);
    assert_eq!(c["accepted"], 2999);
    assert_eq!(c["rejected"], 1);
    assert_eq!(c["physical_lines"], 3001);
    assert_eq!(c["line_accounting"]["balances"], true);
    let r = rejects(&w, "big.csv");
    assert_eq!(r.len(), 1);
    assert_eq!(r[0]["行号"], "10");
    assert_eq!(r[0]["拒收原因"], "BROKEN_QUOTE");
    assert_eq!(r[0]["列"], "姓名");
    assert!(r[0]["说明"].contains("第10行"), "{:?}", r[0]);
    assert_eq!(r[0]["姓名"], "居民8");
}

#[test]
fn a_quoted_address_with_a_line_break_is_still_one_field() {
    let w = workdir();
    let rows = civil_rows(2);
    w.write(
        "inputs/addr.csv",
        format!(
            "{CIVIL_HEADER},村社区\n{},\"兴庆区\n胜利街\"\n{},\n",
            rows[0], rows[1]
        ),
    );
    let o = run(&w, "--civil", "addr.csv", true);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let c = summary_input(&w, "addr.csv");
    assert_eq!(c["rows_read"], 2);
    assert_eq!(c["accepted"], 2);
    assert_eq!(c["physical_lines"], 4);
    assert_eq!(c["line_accounting"]["rows"], 3);
    assert_eq!(c["line_accounting"]["balances"], true);
}

// Point 5 ------------------------------------------------------------------

#[test]
fn hostile_workbooks_are_refused_with_the_file_the_sheet_and_the_limit() {
    let w = workdir();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in CIVIL_HEADER.split(',').enumerate() {
        sheet.write_string(0, c as u16, h).unwrap();
    }
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    assert!(bytes.len() < 10_000);
    w.write("inputs/far.xlsx", bytes);
    let o = run(&w, "--civil", "far.xlsx", true);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o);
    assert!(err.contains("inputs/far.xlsx"), "{err}");
    assert!(err.contains("Sheet1"), "{err}");
    assert!(err.contains("2000000"), "the limit: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_row_wider_than_any_sheet_is_rejected_not_cut_into_a_duplicate() {
    let w = workdir();
    let row = civil_rows(1).remove(0);
    let mut text_in = format!("{CIVIL_HEADER}\n");
    // Five rows alike in their first 16,384 fields, different after.
    for i in 0..5 {
        text_in.push_str(&format!("{row}{}{i}\n", ",".repeat(20_000)));
    }
    w.write("inputs/wide.csv", text_in);
    let o = run(&w, "--civil", "wide.csv", true);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let c = summary_input(&w, "wide.csv");
    assert_eq!(c["rows_read"], 5);
    assert_eq!(c["rejected"], 5);
    assert_eq!(c["merged_duplicates"], 0);
    let r = rejects(&w, "wide.csv");
    assert!(r.iter().all(|r| r["拒收原因"] == "ROW_TOO_WIDE"), "{r:?}");
    assert_eq!(r[0]["姓名"], "居民0");
}

// Point 6 ------------------------------------------------------------------

/// An 18-digit ID whose first 15 digits followed by `000` still pass the
/// check digit: what a number cell turns it into looks valid.
fn id_that_survives_truncation() -> (String, String) {
    for d in 0..100_000u32 {
        let first15 = format!("6401041970{d:05}");
        let truncated = format!("{first15}000");
        let birth_ok = chrono::NaiveDate::parse_from_str(&truncated[6..14], "%Y%m%d").is_ok();
        if birth_ok && common::valid_id(&truncated[..17]) == truncated {
            let real = common::valid_id(&format!("{first15}12"));
            return (real, truncated);
        }
    }
    unreachable!("one prefix in eleven fits");
}

#[test]
fn an_id_from_a_number_cell_is_rejected_as_digits_lost_whatever_its_check_digit() {
    let w = workdir();
    let (real, truncated) = id_that_survives_truncation();
    assert_ne!(real, truncated);
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in CIVIL_HEADER.split(',').enumerate() {
        sheet.write_string(0, c as u16, h).unwrap();
    }
    let cells = ["马秀兰", "", "低保对象", "2025-11-20", "640104", "", "正常"];
    for (r, id_cell) in [Some(()), None].into_iter().enumerate() {
        let row = r as u32 + 1;
        for (c, v) in cells.iter().enumerate() {
            sheet.write_string(row, c as u16, *v).unwrap();
        }
        match id_cell {
            // Typed as a number: Excel keeps 15 significant digits, so the
            // cell holds the truncated number.
            Some(_) => sheet.write_number(row, 1, truncated.parse::<f64>().unwrap()),
            // A text cell with a mistyped check digit.
            None => sheet.write_string(row, 1, "640104198202023121"),
        }
        .unwrap();
    }
    sheet.write_string(3, 0, "合计").unwrap();
    w.write("inputs/n.xlsx", book.save_to_buffer().unwrap());
    let o = run(&w, "--civil", "n.xlsx", true);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let r = rejects(&w, "n.xlsx");
    assert_eq!(r.len(), 2, "{r:?}");
    assert_eq!(r[0]["行号"], "2");
    assert_eq!(r[0]["拒收原因"], "ID_DIGITS_LOST");
    assert!(r[0]["说明"].contains("文本"), "{:?}", r[0]);
    assert!(r[0]["原始值"].contains("E+17"), "{:?}", r[0]);
    // The hint only where Excel's damage shows.
    assert_eq!(r[1]["拒收原因"], "ID_CHECKSUM");
    assert!(!r[1]["说明"].contains("文本"), "{:?}", r[1]);
    let c = summary_input(&w, "n.xlsx");
    assert_eq!(c["accepted"], 0);
    assert_eq!(c["totals_notes_lines"], serde_json::json!([4]));
    // No one who does not exist reaches the missing-enrollment list.
    let missing = read_csv(&w.path("out/n.xlsx/missing_enrollment.csv"));
    assert!(missing.iter().all(|m| m["身份证号"] != truncated));
}

#[test]
fn a_csv_excel_saved_in_scientific_notation_gets_the_text_column_hint() {
    let w = workdir();
    w.write(
        "inputs/sci.csv",
        format!("{CIVIL_HEADER}\n马秀兰,6.40104E+17,低保对象,2025-11-20,640104,,正常\n李建军,640104195909232000,低保对象,2025-11-20,640104,,正常\n王芳,640104198202023121,低保对象,2025-11-20,640104,,正常\n"),
    );
    let o = run(&w, "--civil", "sci.csv", true);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let r = rejects(&w, "sci.csv");
    assert_eq!(r.len(), 3, "{r:?}");
    assert_eq!(r[0]["拒收原因"], "ID_DIGITS_LOST");
    assert!(r[0]["说明"].contains("文本"));
    // Zeros where the last digits were: the check digit fails, the hint shows.
    assert_eq!(r[1]["拒收原因"], "ID_CHECKSUM");
    assert!(r[1]["说明"].contains("文本"));
    // A plain typo: no hint.
    assert_eq!(r[2]["拒收原因"], "ID_CHECKSUM");
    assert!(!r[2]["说明"].contains("文本"));
}
