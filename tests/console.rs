//! Issue 16, the clerk's console: help, usage errors, path errors and the
//! small commands speak Chinese by default and English with `--lang en`.

use crate::common;

use common::{repo, Workdir};

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts stderr holds `needle`, showing it when not.
fn assert_err(o: &std::process::Output, needle: &str) {
    let e = stderr(o);
    assert!(e.contains(needle), "missing `{needle}` in:\n{e}");
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Every command path, e.g. `["ledger", "mark-paid"]`.
fn command_paths(cmd: &clap::Command, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(prefix.clone());
    for sub in cmd.get_subcommands() {
        let mut p = prefix.clone();
        p.push(sub.get_name().to_string());
        command_paths(sub, p, out);
    }
}

#[test]
fn every_help_line_of_every_command_carries_chinese() {
    let w = Workdir::new();
    let mut paths = Vec::new();
    command_paths(&yibao_recon::cli::command(), Vec::new(), &mut paths);
    assert!(paths.len() >= 12, "{paths:?}");
    for path in paths {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let text = stdout(&w.run_expect(&args, 0));
        assert!(text.contains("用法："), "{args:?}:\n{text}");
        // Under each heading, an option or argument line starts with `-x`,
        // `--x` or `<X>`, a command line with its name; the examples after
        // 示例 are command lines and are left alone.
        let mut section = String::new();
        for line in text.lines() {
            if !line.starts_with(' ') {
                if line.ends_with(':') || line.ends_with('：') {
                    assert!(has_cjk(line), "{args:?}: heading `{line}`");
                    section = line.to_string();
                }
                continue;
            }
            let t = line.trim_start();
            let item = if section.starts_with("命令") {
                !t.is_empty()
            } else {
                !section.starts_with("示例") && (t.starts_with('-') || t.starts_with('<'))
            };
            if item {
                assert!(has_cjk(t), "{args:?}: no Chinese on `{line}`\n{text}");
            }
        }
    }
}

#[test]
fn lang_is_grouped_with_the_behaviour_flags_not_among_the_inputs() {
    let w = Workdir::new();
    let text = stdout(&w.run_expect(&["run", "--help"], 0));
    let at = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle}:\n{text}"))
    };
    let (inputs, first, last, lang) = (
        at("输入:"),
        at("--enrollment"),
        at("--elsewhere"),
        at("--lang"),
    );
    assert!(inputs < first && first < last, "{text}");
    assert!(
        !(first..last).contains(&lang),
        "--lang sits among the inputs:\n{text}"
    );
    assert!(at("运行方式:") < lang, "{text}");
}

fn run_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec![
        "run",
        "--policy",
        "policies/ningxia-2026.toml",
        "--as-of",
        "2026-01-31",
        "--enrollment",
        "inputs/enrollment.csv",
        "--out",
        "out",
    ];
    v.extend_from_slice(extra);
    v
}

#[test]
fn a_missing_input_names_its_flag_and_says_missing() {
    let w = Workdir::new();
    w.copy_sample("ningxia");
    let o = w.run_expect(&run_args(&["--civil", "inputs/nope.csv"]), 1);
    assert_err(&o, "--civil 给出的文件 inputs/nope.csv 不存在");
    let o = w.run_expect(
        &run_args(&["--civil", "inputs/nope.csv", "--lang", "en"]),
        1,
    );
    let e = stderr(&o);
    assert!(e.contains("--civil inputs/nope.csv: no such file"), "{e}");
    assert!(!has_cjk(&e), "{e}");
    assert!(!w.path("out").exists());
}

#[test]
fn a_directory_given_as_an_input_names_its_flag_and_says_directory() {
    let w = Workdir::new();
    w.copy_sample("ningxia");
    let o = w.run_expect(&run_args(&["--agri", "inputs"]), 1);
    assert_err(&o, "--agri 给出的 inputs 是一个目录，不是文件");
    let o = w.run_expect(&run_args(&["--agri", "inputs", "--lang", "en"]), 1);
    assert_err(&o, "--agri inputs: is a directory, not a file");
    // The same for validate's file and the enrollment flag.
    let o = w.run_expect(&["validate", "--kind", "civil", "inputs"], 1);
    assert_err(&o, "是一个目录");
    let mut args = run_args(&[]);
    args[6] = "inputs/missing-enrollment.csv";
    let o = w.run_expect(&args, 1);
    assert_err(
        &o,
        "--enrollment 给出的文件 inputs/missing-enrollment.csv 不存在",
    );
}

#[test]
fn an_unreadable_input_names_its_flag_and_says_unreadable() {
    use std::os::unix::fs::PermissionsExt;
    let w = Workdir::new();
    w.copy_sample("ningxia");
    let p = w.path("inputs/civil.csv");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::File::open(&p).is_ok() {
        return; // root reads anything: the case cannot be made here
    }
    let o = w.run_expect(&run_args(&["--civil", "inputs/civil.csv"]), 1);
    assert_err(&o, "--civil 给出的文件 inputs/civil.csv 无法读取");
}

#[test]
fn a_non_empty_out_is_refused_in_the_clerks_language() {
    let w = Workdir::new();
    w.copy_sample("ningxia");
    w.write("out/old.txt", "x");
    let o = w.run_expect(&run_args(&[]), 2);
    assert_err(
        &o,
        "用法错误：--out out 不是空目录；要替换其中的内容请加 --force",
    );
    let e = stderr(&o);
    assert!(!e.contains("is not empty"), "English inside Chinese: {e}");
    let o = w.run_expect(&run_args(&["--lang", "en"]), 2);
    let e = stderr(&o);
    assert!(e.contains("--out out is not empty; pass --force"), "{e}");
    assert!(!has_cjk(&e), "{e}");
}

#[test]
fn a_bad_as_of_is_said_in_chinese_by_default() {
    let w = Workdir::new();
    w.copy_sample("ningxia");
    let mut args = run_args(&[]);
    args[4] = "2026-13-45";
    let o = w.run_expect(&args, 2);
    let e = stderr(&o);
    assert!(e.contains("--as-of `2026-13-45` 不是日期"), "{e}");
    assert!(!e.contains("invalid value"), "clap's English: {e}");
    args.extend(["--lang", "en"]);
    let o = w.run_expect(&args, 2);
    assert_err(&o, "--as-of `2026-13-45` is not a date");
    // validate and explain parse it the same way.
    let o = w.run_expect(
        &[
            "validate",
            "--kind",
            "civil",
            "inputs/civil.csv",
            "--as-of",
            "soon",
        ],
        2,
    );
    assert_err(&o, "不是日期");
}

#[test]
fn clap_usage_errors_are_chinese_by_default_and_english_on_request() {
    let w = Workdir::new();
    let o = w.run_expect(&["run", "--polcy", "x.toml"], 2);
    assert_err(&o, "用法错误：没有参数 --polcy");
    assert_err(&o, "是不是要写 --policy");
    let o = w.run_expect(&["frobnicate"], 2);
    assert_err(&o, "没有命令 frobnicate");
    let o = w.run_expect(&["validate", "--kind", "civil"], 2);
    assert_err(&o, "缺少必需的参数");
    let o = w.run_expect(&["run", "--polcy", "x.toml", "--lang", "en"], 2);
    assert_err(&o, "unexpected argument '--polcy'");
    let o = w.run_expect(&["validate", "--kind", "nonsense", "x.csv"], 2);
    assert_err(&o, "--kind `nonsense` 不是来源类型");
}

#[test]
fn validate_speaks_chinese_and_masks_only_id_shaped_values() {
    let w = Workdir::new();
    let id = common::valid_id("64010419800101001");
    w.write(
        "civil.csv",
        format!(
            "姓名,身份证号,救助类别,认定日期,行政区划代码,退出日期\n\
             张三,{id},低保,2025-01-01,640104,2025-13-45\n\
             李四,640104198001010012,低保,2025-01-01,640104,\n"
        ),
    );
    let o = w.run_expect(
        &[
            "validate",
            "--kind",
            "civil",
            "civil.csv",
            "--as-of",
            "2026-01-31",
        ],
        0,
    );
    let text = stdout(&o);
    assert!(text.contains("文件：civil.csv\n"), "{text}");
    assert!(
        text.contains("读取 2 行：接受 0，拒收 2，合并完全相同的重复行 0（跳过空行 0）"),
        "{text}"
    );
    // The bad date stays readable; the ID is masked wherever it stands.
    assert!(text.contains("退出日期 `2025-13-45`"), "{text}");
    assert!(!text.contains("**********"), "a non-ID masked: {text}");
    assert!(text.contains("`640104********0012`"), "{text}");
    assert!(
        !text.contains(&id) && !text.contains("640104198001010012"),
        "{text}"
    );
    assert!(
        !text.contains("rows read") && !text.contains("file:"),
        "{text}"
    );
    let o = w.run_expect(
        &[
            "validate",
            "--kind",
            "civil",
            "civil.csv",
            "--as-of",
            "2026-01-31",
            "--lang",
            "en",
        ],
        0,
    );
    assert!(
        stdout(&o).contains("rows read 2: accepted 0, rejected 2, merged duplicates 0"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn check_policy_columns_line_up_by_display_width() {
    let w = Workdir::new();
    let hl = repo().join("policies/hulunbuir-2026.toml");
    let text = stdout(&w.run_expect(&["check-policy", hl.to_str().unwrap()], 0));
    // The tier table: the header and each tier row start the categories
    // column at the same display column, whatever Chinese precedes it.
    let rows: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("顺序"))
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(rows.len() >= 3, "{text}");
    // The categories column starts at display column 4+1+14+1+8+2+36+1.
    let col = |l: &str| {
        let mut width = 0;
        let mut prev = ' ';
        for c in l.chars() {
            if width == 67 {
                return (prev, c);
            }
            width += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            prev = c;
        }
        (prev, '?')
    };
    for r in &rows {
        let (before, at) = col(r);
        assert!(
            before == ' ' && at != ' ',
            "misaligned:\n{}",
            rows.join("\n")
        );
    }
}

#[test]
fn a_missing_job_file_names_the_flag() {
    let w = Workdir::new();
    let o = w.run_expect(&["run", "--job", "jobs/nope.toml"], 1);
    assert_err(&o, "--job 给出的文件 jobs/nope.toml 不存在");
    w.write("jobs/keep", "");
    let o = w.run_expect(
        &["explain", "--id", "x", "--job", "jobs", "--lang", "en"],
        1,
    );
    assert_err(&o, "--job jobs: is a directory, not a file");
}

#[test]
fn explain_says_in_chinese_when_no_record_is_accepted() {
    let w = Workdir::new();
    w.copy_sample("ningxia");
    let id = common::valid_id("11010119900307451");
    let args = [
        "explain",
        "--id",
        &id,
        "--policy",
        "policies/ningxia-2026.toml",
        "--as-of",
        "2026-01-31",
        "--enrollment",
        "inputs/enrollment.csv",
    ];
    let text = stdout(&w.run_expect(&args, 0));
    assert!(
        text.contains("：各输入文件中都没有此人被接受的记录"),
        "{text}"
    );
    assert!(!text.contains(&id), "{text}");
}

/// The refusals the run makes about `--out` and its inputs (src/pipeline.rs)
/// speak the clerk's language too.
#[test]
fn out_and_input_refusals_are_in_the_clerks_language() {
    let w = Workdir::new();
    w.copy_sample("ningxia");
    w.write("out", "a file, not a directory");
    let o = w.run_expect(&run_args(&[]), 2);
    assert_err(&o, "用法错误：--out out 已存在，但不是目录");
    let o = w.run_expect(&run_args(&["--lang", "en"]), 2);
    assert_err(&o, "--out out exists and is not a directory");
    let o = w.run_expect(
        &[
            "run",
            "--policy",
            "policies/ningxia-2026.toml",
            "--as-of",
            "2026-01-31",
            "--civil",
            "inputs/civil.csv",
            "--out",
            "fresh",
        ],
        2,
    );
    assert_err(&o, "用法错误：缺少 --enrollment");
}
