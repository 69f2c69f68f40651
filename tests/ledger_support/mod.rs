//! Shared by `tests/ledger.rs` and `tests/faults.rs`: the two-month scenario
//! of `sample_data/months/` (December 2025, then January 2026, Ningxia
//! policy) copied into a work directory, and a logical dump of a ledger so
//! two ledgers can be compared whatever their page layout.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::common::{repo, Workdir, BIN};

/// The scenario's people (sample_data/months/README.md).
pub const A: &str = "640104197003121222"; // 马秀兰: refund, confirmed paid
pub const B: &str = "640105196507081318"; // 李建军: refund carried
pub const C: &str = "640106198001151425"; // 王芳: re-rating resolved
pub const D: &str = "640121195504201519"; // 张德明: missing resolved
pub const E: &str = "640122197209301627"; // 刘桂花: missing carried
pub const F: &str = "640104199012051720"; // 赵小燕: missing, new in January
pub const G: &str = "640105197802141816"; // 陈志强: two duplicate refunds
pub const H: &str = "640106198506181929"; // 孙丽: paid, then contradicted
pub const I: &str = "640121196811112115"; // 周海: re-rating and missing carried
pub const ALL: [&str; 9] = [A, B, C, D, E, F, G, H, I];

pub const DEC: (&str, &str) = ("2025-12", "2025-12-31");
pub const JAN: (&str, &str) = ("2026-01", "2026-01-31");

/// A work directory with `months/` (the scenario's inputs) and `policies/`.
pub fn months_workdir() -> Workdir {
    let w = Workdir::new();
    copy_dir(&repo().join("sample_data/months"), &w.path("months"));
    copy_dir(&repo().join("policies"), &w.path("policies"));
    w
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for e in std::fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        let to = dst.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to);
        } else {
            std::fs::copy(e.path(), to).unwrap();
        }
    }
}

/// `run` arguments for one month of the scenario into `out`.
pub fn month_args(month: (&str, &str), out: &str) -> Vec<String> {
    let (dir, as_of) = month;
    let mut a: Vec<String> = [
        "run",
        "--policy",
        "policies/ningxia-2026.toml",
        "--as-of",
        as_of,
        "--out",
        out,
        "--quiet",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for kind in ["enrollment", "persons", "civil"] {
        a.push(format!("--{kind}"));
        a.push(format!("months/{dir}/{kind}.csv"));
    }
    a
}

pub fn run_args(w: &Workdir, args: &[String], code: i32) -> Output {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    w.run_expect(&refs, code)
}

/// Runs one month into `reports/<month>` (ledger: `reports/ledger.sqlite`).
pub fn run_month(w: &Workdir, month: (&str, &str)) -> Output {
    run_args(w, &month_args(month, &format!("reports/{}", month.0)), 0)
}

/// `ledger <sub> --id <id> --ledger reports/ledger.sqlite`, expecting `code`.
pub fn ledger_for(w: &Workdir, sub: &str, id: &str, code: i32) -> Output {
    w.run_expect(
        &[
            "ledger",
            sub,
            "--id",
            id,
            "--ledger",
            "reports/ledger.sqlite",
        ],
        code,
    )
}

/// December, the paid refunds of early January, then January.
pub fn run_scenario(w: &Workdir) {
    run_month(w, DEC);
    w.run_expect(
        &[
            "ledger",
            "mark-paid",
            "months/paid-2026-01.csv",
            "--ledger",
            "reports/ledger.sqlite",
        ],
        0,
    );
    run_month(w, JAN);
}

/// Everything a ledger holds that matters, as sorted text (wall-clock
/// columns left out). Opening it also rolls back a killed run's journal.
pub fn dump(path: &Path) -> String {
    if !path.exists() {
        return "<no ledger>".into();
    }
    let conn = rusqlite::Connection::open(path).unwrap();
    let empty: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .unwrap();
    if empty == 0 {
        return "<no ledger>".into();
    }
    let mut out = String::new();
    for (what, sql) in [
        (
            "run",
            "SELECT run_id || ' ' || series || ' ' || as_of || ' ' || fingerprint FROM runs ORDER BY run_id",
        ),
        (
            "item",
            "SELECT key || ' ' || list || ' ' || person FROM items ORDER BY key",
        ),
        (
            "state",
            "SELECT r.as_of || ' ' || ir.key || ' ' || ir.lifecycle || ' ' || ir.first_listed || ' ' || ir.disposition || ' ' || ir.amount_fen
             FROM item_runs ir JOIN runs r ON r.run_id = ir.run_id ORDER BY r.as_of, ir.key",
        ),
        (
            "paid",
            "SELECT key || ' ' || seq || ' ' || amount_fen || ' ' || source_file || ':' || source_line FROM payments ORDER BY key",
        ),
    ] {
        let mut st = conn.prepare(sql).unwrap();
        let rows = st.query_map([], |r| r.get::<_, String>(0)).unwrap();
        for r in rows {
            out.push_str(what);
            out.push(' ');
            out.push_str(&r.unwrap());
            out.push('\n');
        }
    }
    out
}

/// The CSV lists a run writes, by name, with their bytes.
pub fn csv_outputs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".csv"))
        .map(|e| {
            (
                e.file_name().to_string_lossy().to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

/// Files in `dir` whose name starts with `.yibao-recon` (staging, aside).
pub fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().to_string())
                .filter(|n| n.starts_with(".yibao-recon"))
                .collect()
        })
        .unwrap_or_default()
}

/// Valid 身份证号 with its check digit.
pub fn id(region: &str, birth: &str, seq: u32) -> String {
    crate::common::valid_id(&format!("{region}{birth}{seq:03}"))
}

/// `n` persons with 低保: half paid the ordinary 400 before recognition
/// (refund 320), half never enrolled (missing): a run with n items.
pub fn big_inputs(w: &Workdir, n: u32) {
    big_inputs_named(w, n, |i| format!("人{i}"));
}

/// [`big_inputs`] with person `i` named `name(i)`.
pub fn big_inputs_named(w: &Workdir, n: u32, mut name: impl FnMut(u32) -> String) {
    let mut civil = String::from("姓名,身份证号,救助类别,认定日期,行政区划代码\n");
    let mut enrol = String::from(
        "参保年度,身份证号,姓名,险种类型,参保区划代码,参保状态,核定类别,应缴金额,实缴金额,缴费日期\n",
    );
    let mut seen = std::collections::HashSet::new();
    for i in 0..n {
        let birth = format!("19{:02}{:02}{:02}", 40 + i % 50, 1 + i % 12, 1 + i % 28);
        let pid = id("640104", &birth, i / 1000 % 1000);
        if !seen.insert(pid.clone()) {
            continue;
        }
        let who = name(i);
        civil.push_str(&format!("{who},{pid},低保对象,2025-11-20,640104\n"));
        if i % 2 == 0 {
            enrol.push_str(&format!(
                "2026,{pid},{who},390,640104,参保缴费,普通居民,400,400,2025-11-05\n"
            ));
        }
    }
    w.write("big/civil.csv", civil);
    w.write("big/enrollment.csv", enrol);
    std::fs::create_dir_all(w.path("policies")).unwrap();
    std::fs::copy(
        repo().join("policies/ningxia-2026.toml"),
        w.path("policies/ningxia-2026.toml"),
    )
    .unwrap();
}

pub fn big_args() -> Vec<String> {
    [
        "run",
        "--policy",
        "policies/ningxia-2026.toml",
        "--as-of",
        "2026-01-31",
        "--enrollment",
        "big/enrollment.csv",
        "--civil",
        "big/civil.csv",
        "--out",
        "reports/big",
        "--quiet",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// Starts `args` paused at `point` and returns the child once it says so.
pub fn start_paused(w: &Workdir, args: &[String], point: &str) -> std::process::Child {
    spawn_paused(w, args, point, None)
}

/// [`start_paused`], under `umask` when given (the child is the binary
/// itself: the shell `exec`s it, so its pid is the run's).
pub fn spawn_paused(
    w: &Workdir,
    args: &[String],
    point: &str,
    umask: Option<&str>,
) -> std::process::Child {
    let mut cmd = match umask {
        Some(m) => {
            let mut c = Command::new("bash");
            c.arg("-c")
                .arg(format!("umask {m}; exec \"$0\" \"$@\""))
                .arg(BIN);
            c
        }
        None => Command::new(BIN),
    };
    let mut child = cmd
        .args(args)
        .current_dir(w.dir.path())
        .env("YIBAO_RECON_PAUSE_AT", point)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let want = format!("PAUSED AT {point}");
    loop {
        match lines.next() {
            Some(Ok(l)) if l.contains(&want) => break,
            Some(Ok(_)) => continue,
            _ => {
                let status = child.wait().unwrap();
                panic!("run ended ({status}) before reaching {point}");
            }
        }
    }
    child
}

/// kill -9 (std sends SIGKILL on Unix) and reap.
pub fn kill9(mut child: std::process::Child) {
    child.kill().unwrap();
    child.wait().unwrap();
}
