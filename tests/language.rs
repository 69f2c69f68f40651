//! Issue 16 point 1, the language catalogue: every command's `--help` (walked
//! from the clap command tree, so a command added later is covered with no
//! list to keep) and a catalogue of error cases and small-command outputs,
//! each run in Chinese (the default, `--lang zh` even under an English
//! `LANG`) and in English (`--lang en`, and `LANG=en_US.UTF-8` with no
//! flag). A Chinese line must hold Chinese unless it is only paths, codes,
//! numbers and flags (or an example command line); an English line must hold
//! no Chinese except quoted data (`…`, “…”) and paths. Errors about a path
//! name the flag and say missing / a directory / unreadable.

use crate::common;

use std::process::{Command, Output};

use common::{Workdir, BIN};
use yibao_recon::i18n::{has_cjk_outside_quotes, is_cjk};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Mode {
    /// No flag, no language in the environment.
    ZhDefault,
    /// `--lang zh` under `LANG=en_US.UTF-8`: the flag wins.
    ZhFlag,
    /// `--lang en`.
    EnFlag,
    /// `LANG=en_US.UTF-8`, no flag.
    EnEnv,
}

const MODES: [Mode; 4] = [Mode::ZhDefault, Mode::ZhFlag, Mode::EnFlag, Mode::EnEnv];

impl Mode {
    fn zh(self) -> bool {
        matches!(self, Mode::ZhDefault | Mode::ZhFlag)
    }
}

fn run_in(w: &Workdir, args: &[String], mode: Mode) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(w.dir.path())
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8");
    let mut args = args.to_vec();
    match mode {
        Mode::ZhDefault => {}
        Mode::ZhFlag => {
            cmd.env("LANG", "en_US.UTF-8");
            args.extend(["--lang".into(), "zh".into()]);
        }
        Mode::EnFlag => args.extend(["--lang".into(), "en".into()]),
        Mode::EnEnv => {
            cmd.env("LANG", "en_US.UTF-8");
        }
    }
    cmd.args(&args).output().expect("run yibao-recon")
}

/// A word that is not language: a flag, a path, a code, a number, an ID.
fn neutral_word(w: &str) -> bool {
    let w = w.trim_matches(|c: char| ",;:()[]{}'\"!?".contains(c));
    w.is_empty()
        || w.starts_with('-')
        || w.contains(['/', '.', '_', '`', '=', '<', '>', '*', '\\', ':', '→', '…'])
        || w.chars().any(|c| c.is_ascii_digit())
        || (w.len() > 1 && w.chars().all(|c| c.is_ascii_uppercase()))
        || !w.chars().any(|c| c.is_ascii_alphabetic())
}

/// A line fit for a Chinese reader.
fn zh_ok(line: &str) -> bool {
    let t = line.trim();
    t.is_empty()
        || t.chars().any(is_cjk)
        || t.starts_with("yibao-recon ")
        || t.split_whitespace().all(neutral_word)
}

/// A line fit for an English reader: Chinese only in quotes or in a path.
fn en_ok(line: &str) -> bool {
    let without_paths: Vec<&str> = line
        .split_whitespace()
        .filter(|w| !w.contains('/'))
        .collect();
    !has_cjk_outside_quotes(&without_paths.join(" "))
}

/// The lines of `o` (stdout and stderr) in the wrong language for `mode`.
fn wrong_lines(o: &Output, mode: Mode) -> Vec<String> {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    text.lines()
        .filter(|l| if mode.zh() { !zh_ok(l) } else { !en_ok(l) })
        .map(str::to_string)
        .collect()
}

fn command_paths(cmd: &clap::Command, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    if !cmd.is_hide_set() {
        out.push(prefix.clone());
    }
    for sub in cmd.get_subcommands() {
        let mut p = prefix.clone();
        p.push(sub.get_name().to_string());
        command_paths(sub, p, out);
    }
}

#[test]
fn the_line_rules_tell_the_languages_apart() {
    assert!(zh_ok("读取 25 行"));
    assert!(zh_ok("  yibao-recon run --policy policies/x.toml \\"));
    assert!(zh_ok("      --out reports/2026-01"));
    assert!(zh_ok("640104********1025  2026-01-31  HARDSHIP_DIFF"));
    assert!(!zh_ok("rows read 25: accepted 20"));
    assert!(!zh_ok("Usage: yibao-recon run"));
    assert!(en_ok("rows read 25, column `身份证号`"));
    assert!(en_ok("see by_county/640104-兴庆区.xlsx"));
    assert!(!en_ok("文件：civil.csv"));
    assert!(!en_ok("civil 民政"));
}

#[test]
fn every_help_page_is_in_one_language() {
    let w = Workdir::new();
    let mut paths = Vec::new();
    command_paths(&yibao_recon::cli::command(), Vec::new(), &mut paths);
    assert!(paths.len() >= 12, "{paths:?}");
    let mut wrong = Vec::new();
    for path in &paths {
        for mode in MODES {
            let mut args = path.clone();
            args.push("--help".into());
            let o = run_in(&w, &args, mode);
            assert_eq!(o.status.code(), Some(0), "{args:?} {mode:?}: {o:?}");
            let text = String::from_utf8_lossy(&o.stdout);
            let usage = if mode.zh() { "用法：" } else { "Usage: " };
            assert!(text.contains(usage), "{args:?} {mode:?}:\n{text}");
            for l in wrong_lines(&o, mode) {
                wrong.push(format!("{args:?} {mode:?}: {l}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "help lines in the wrong language:\n{}",
        wrong.join("\n")
    );
}

/// One case of the catalogue: arguments (`{out}` is replaced by a fresh
/// directory per run), the exit code, and for a path error the words each
/// language must say (the flag, and missing / directory / unreadable).
struct Case {
    name: &'static str,
    args: Vec<&'static str>,
    code: i32,
    zh_says: Vec<&'static str>,
    en_says: Vec<&'static str>,
}

fn case(name: &'static str, args: &[&'static str], code: i32) -> Case {
    Case {
        name,
        args: args.to_vec(),
        code,
        zh_says: Vec::new(),
        en_says: Vec::new(),
    }
}

fn says(mut c: Case, zh: &[&'static str], en: &[&'static str]) -> Case {
    c.zh_says = zh.to_vec();
    c.en_says = en.to_vec();
    c
}

const NX: &str = "policies/ningxia-2026.toml";

fn run_with(extra: &[&'static str]) -> Vec<&'static str> {
    let mut v = vec![
        "run",
        "--policy",
        NX,
        "--as-of",
        "2026-01-31",
        "--enrollment",
        "inputs/enrollment.csv",
        "--out",
        "{out}",
        "--no-ledger",
    ];
    v.extend_from_slice(extra);
    v
}

/// The work directory every case runs in: the Ningxia sample, a policy with
/// a TOML syntax error, one with an unknown key, broken job and input files,
/// and a ledger with one recorded month.
fn catalogue_workdir() -> Workdir {
    let w = Workdir::new();
    w.copy_sample("ningxia");
    let policy = w.read(NX);
    w.write("policies/syntax.toml", policy.replacen("[", "[[", 1));
    w.write(
        "policies/unknown-key.toml",
        format!("frobnicate = 1\n{policy}"),
    );
    w.write(
        "jobs/broken.toml",
        "policy = \"../policies/x.toml\nas_of = \n",
    );
    w.write(
        "inputs/no-category.csv",
        "姓名,身份证号,认定日期,行政区划代码\n张三,640104196804121025,2025-01-01,640104\n",
    );
    w.write("inputs/no-header.csv", "这不是名单\n只是一段说明文字\n");
    w.write(
        "inputs/empty-civil.csv",
        "姓名,身份证号,救助类别,认定日期,行政区划代码\n",
    );
    w.write(
        "paid.csv",
        "身份证号,参保年度,退费金额\n640104196804121025,2026,999.00\n",
    );
    let mut args = common::sample_args("ningxia", "recorded");
    args.retain(|a| a != "--quiet");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    w.run_expect(&args, 0);
    assert!(w.path("ledger.sqlite").is_file());
    w
}

fn catalogue() -> Vec<Case> {
    let mut c = vec![
        // Bad flag values and usage.
        case("bad --header-lang", &run_with(&["--header-lang", "fr"]), 2),
        case(
            "bad --persons",
            &[
                "generate",
                "--persons",
                "many",
                "--policy",
                NX,
                "--out",
                "{out}",
            ],
            2,
        ),
        case(
            "bad --kind",
            &["validate", "--kind", "nonsense", "inputs/civil.csv"],
            2,
        ),
        // --memory's size is parsed by clap: its reason must follow the
        // language too (zh says what a size looks like, en has no CJK).
        says(
            case("bad --memory", &run_with(&["--memory", "4X"]), 2),
            &["--memory", "应为大小"],
            &["--memory", "is not a size"],
        ),
        case("unknown flag", &run_with(&["--polcy", "x"]), 2),
        case("unknown command", &["frobnicate"], 2),
        case("no command", &[], 2),
        case("missing argument", &["validate", "--kind", "civil"], 2),
        case("conflicting flags", &run_with(&["--ledger", "l.sqlite"]), 2),
        case(
            "bad --as-of (run)",
            &[
                "run",
                "--policy",
                NX,
                "--as-of",
                "2026-13-45",
                "--enrollment",
                "inputs/enrollment.csv",
                "--out",
                "{out}",
            ],
            2,
        ),
        case(
            "bad --as-of (validate)",
            &[
                "validate",
                "--kind",
                "civil",
                "inputs/civil.csv",
                "--as-of",
                "soon",
            ],
            2,
        ),
        case(
            "bad --as-of (explain)",
            &[
                "explain",
                "--id",
                "640104196804121025",
                "--policy",
                NX,
                "--as-of",
                "31/01/2026",
                "--enrollment",
                "inputs/enrollment.csv",
            ],
            2,
        ),
        case(
            "bad --as-of (generate)",
            &[
                "generate",
                "--persons",
                "10",
                "--policy",
                NX,
                "--as-of",
                "someday",
                "--out",
                "{out}",
            ],
            2,
        ),
        case(
            "bad --id (explain)",
            &[
                "explain",
                "--id",
                "12345",
                "--policy",
                NX,
                "--as-of",
                "2026-01-31",
                "--enrollment",
                "inputs/enrollment.csv",
            ],
            2,
        ),
        case(
            "non-empty --out",
            &[
                "run",
                "--policy",
                NX,
                "--as-of",
                "2026-01-31",
                "--enrollment",
                "inputs/enrollment.csv",
                "--out",
                "inputs",
            ],
            2,
        ),
        case(
            "run without --enrollment",
            &[
                "run",
                "--policy",
                NX,
                "--as-of",
                "2026-01-31",
                "--civil",
                "inputs/civil.csv",
                "--out",
                "{out}",
            ],
            2,
        ),
        // Policy files.
        case(
            "TOML syntax error (run)",
            &[
                "run",
                "--policy",
                "policies/syntax.toml",
                "--as-of",
                "2026-01-31",
                "--enrollment",
                "inputs/enrollment.csv",
                "--out",
                "{out}",
            ],
            1,
        ),
        case(
            "TOML syntax error (check-policy)",
            &["check-policy", "policies/syntax.toml"],
            1,
        ),
        case(
            "unknown policy key (run)",
            &[
                "run",
                "--policy",
                "policies/unknown-key.toml",
                "--as-of",
                "2026-01-31",
                "--enrollment",
                "inputs/enrollment.csv",
                "--out",
                "{out}",
            ],
            1,
        ),
        case(
            "unknown policy key (check-policy)",
            &["check-policy", "policies/unknown-key.toml"],
            1,
        ),
        case("broken job file", &["run", "--job", "jobs/broken.toml"], 2),
        // Inputs that cannot be read as tables.
        case(
            "missing column",
            &["validate", "--kind", "civil", "inputs/no-category.csv"],
            1,
        ),
        case(
            "no header row",
            &[
                "validate",
                "--kind",
                "civil",
                "inputs/no-header.csv",
                "--as-of",
                "2026-01-31",
            ],
            1,
        ),
        // Ledger subcommands.
        case(
            "ledger history: bad id",
            &[
                "ledger",
                "history",
                "--id",
                "12345",
                "--ledger",
                "ledger.sqlite",
            ],
            2,
        ),
        case(
            "ledger history: no such person",
            &[
                "ledger",
                "history",
                "--id",
                "110101199003074514",
                "--ledger",
                "ledger.sqlite",
            ],
            2,
        ),
        case(
            "ledger runs: not a ledger",
            &["ledger", "runs", "--ledger", "inputs/civil.csv"],
            1,
        ),
        case(
            "ledger mark-paid: not a paid file",
            &[
                "ledger",
                "mark-paid",
                "inputs/civil.csv",
                "--ledger",
                "ledger.sqlite",
            ],
            1,
        ),
        case(
            "ledger mark-paid: no such refund",
            &[
                "ledger",
                "mark-paid",
                "paid.csv",
                "--ledger",
                "ledger.sqlite",
            ],
            1,
        ),
        case(
            "ledger forget: bad id",
            &["ledger", "forget", "--id", "x", "--ledger", "ledger.sqlite"],
            2,
        ),
        // What the small commands print.
        case(
            "validate output",
            &[
                "validate",
                "--kind",
                "civil",
                "inputs/civil.csv",
                "--as-of",
                "2026-01-31",
            ],
            0,
        ),
        case(
            "validate output (enrollment)",
            &[
                "validate",
                "--kind",
                "enrollment",
                "inputs/enrollment.csv",
                "--as-of",
                "2026-01-31",
            ],
            0,
        ),
        case(
            "explain output",
            &[
                "explain",
                "--id",
                "640104196804121025",
                "--policy",
                NX,
                "--as-of",
                "2026-01-31",
                "--enrollment",
                "inputs/enrollment.csv",
                "--persons",
                "inputs/persons.csv",
                "--civil",
                "inputs/civil.csv",
                "--ledger",
                "ledger.sqlite",
            ],
            0,
        ),
        case(
            "explain output (no record)",
            &[
                "explain",
                "--id",
                "110101199003074514",
                "--policy",
                NX,
                "--as-of",
                "2026-01-31",
                "--enrollment",
                "inputs/enrollment.csv",
            ],
            0,
        ),
        case(
            "ledger history output",
            &[
                "ledger",
                "history",
                "--id",
                "640104196804121025",
                "--ledger",
                "ledger.sqlite",
            ],
            0,
        ),
        case(
            "ledger runs output",
            &["ledger", "runs", "--ledger", "ledger.sqlite"],
            0,
        ),
        case(
            "run with an empty roster: the ending warns",
            &run_with(&["--civil", "inputs/empty-civil.csv"]),
            0,
        ),
    ];
    // Paths: each names its flag and says what is wrong with the path.
    let missing = (["不存在"], ["no such file"]);
    let dir = (["是一个目录"], ["is a directory"]);
    for (name, args, flag, (zh, en)) in [
        (
            "missing --civil",
            run_with(&["--civil", "inputs/nope.csv"]),
            "--civil",
            missing,
        ),
        (
            "directory --agri",
            run_with(&["--agri", "inputs"]),
            "--agri",
            dir,
        ),
        (
            "missing --policy",
            vec![
                "run",
                "--policy",
                "policies/nope.toml",
                "--as-of",
                "2026-01-31",
                "--enrollment",
                "inputs/enrollment.csv",
                "--out",
                "{out}",
            ],
            "--policy",
            missing,
        ),
        (
            "missing --job",
            vec!["run", "--job", "jobs/nope.toml"],
            "--job",
            missing,
        ),
        (
            "missing check-policy FILE",
            vec!["check-policy", "policies/nope.toml"],
            "check-policy FILE",
            missing,
        ),
        (
            "directory check-policy FILE",
            vec!["check-policy", "policies"],
            "check-policy FILE",
            dir,
        ),
        (
            "missing validate FILE",
            vec!["validate", "--kind", "civil", "inputs/nope.csv"],
            "validate FILE",
            missing,
        ),
        (
            "directory validate FILE",
            vec!["validate", "--kind", "civil", "inputs"],
            "validate FILE",
            dir,
        ),
        (
            "missing --ledger",
            vec!["ledger", "runs", "--ledger", "nope.sqlite"],
            "--ledger",
            missing,
        ),
        (
            "directory --ledger",
            vec![
                "ledger",
                "history",
                "--id",
                "640104196804121025",
                "--ledger",
                "inputs",
            ],
            "--ledger",
            dir,
        ),
        (
            "missing mark-paid FILE",
            vec![
                "ledger",
                "mark-paid",
                "nope.csv",
                "--ledger",
                "ledger.sqlite",
            ],
            "mark-paid FILE",
            missing,
        ),
    ] {
        let mut zh_says = vec![flag];
        zh_says.extend(zh);
        let mut en_says = vec![flag];
        en_says.extend(en);
        c.push(Case {
            name,
            args,
            code: 1,
            zh_says,
            en_says,
        });
    }
    c
}

#[test]
fn every_error_and_output_of_the_catalogue_is_in_one_language() {
    let w = catalogue_workdir();
    // A file the owner cannot read (not when the tests run as root, who
    // reads anything).
    {
        use std::os::unix::fs::PermissionsExt;
        w.write("inputs/locked.csv", "x");
        let p = w.path("inputs/locked.csv");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    let root_reads_anything = std::fs::File::open(w.path("inputs/locked.csv")).is_ok();
    let mut cases = catalogue();
    if !root_reads_anything {
        cases.push(says(
            case(
                "unreadable --civil",
                &run_with(&["--civil", "inputs/locked.csv"]),
                1,
            ),
            &["--civil", "无法读取", "没有读取权限"],
            &["--civil", "cannot be read"],
        ));
    }
    let mut wrong = Vec::new();
    let mut n = 0;
    for c in &cases {
        for mode in MODES {
            n += 1;
            let out = format!("out-{n}");
            let args: Vec<String> = c.args.iter().map(|a| a.replace("{out}", &out)).collect();
            let o = run_in(&w, &args, mode);
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
            if o.status.code() != Some(c.code) {
                wrong.push(format!(
                    "{} {mode:?} {args:?}: exit {:?}, expected {}:\n{text}",
                    c.name,
                    o.status.code(),
                    c.code
                ));
            }
            if text.trim().is_empty() {
                wrong.push(format!("{} {mode:?}: says nothing", c.name));
            }
            let needles = if mode.zh() { &c.zh_says } else { &c.en_says };
            for needle in needles {
                if !text.contains(needle) {
                    wrong.push(format!("{} {mode:?}: `{needle}` not said:\n{text}", c.name));
                }
            }
            for l in wrong_lines(&o, mode) {
                wrong.push(format!("{} {mode:?}: {l}", c.name));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} lines in the wrong language (or wrong exits):\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
