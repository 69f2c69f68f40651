//! Issue 5 — faults: a run killed (`kill -9`) at every step leaves no partial
//! output directory and a ledger that is exactly before or exactly after the
//! run, and re-running the same command always converges to the clean result;
//! two runs on one ledger: the second is refused; an unwritable `--out` or a
//! full disk: a clear error and nothing half-written.
//!
//! Named kill points use the binary's `YIBAO_RECON_PAUSE_AT` hook (the run
//! stops there and the test kills it); the timed kills need no hook.

mod common;
mod ledger_support;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use common::{Workdir, BIN};
use ledger_support::*;

/// Starts `args` paused at `point` and returns the child once it says so.
fn start_paused(w: &Workdir, args: &[String], point: &str) -> std::process::Child {
    let mut child = Command::new(BIN)
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
fn kill9(mut child: std::process::Child) {
    child.kill().unwrap();
    child.wait().unwrap();
}

fn jan_forced() -> Vec<String> {
    let mut a = month_args(JAN, "reports/2026-01");
    a.push("--force".into());
    a
}

/// December recorded, and an old January output (to be replaced with --force).
fn prepared() -> Workdir {
    let w = months_workdir();
    run_month(&w, DEC);
    w.write("reports/2026-01/old.txt", "last time's output");
    w
}

#[test]
fn a_kill_at_every_step_leaves_before_or_after_and_a_rerun_converges() {
    // The clean result.
    let reference = prepared();
    let before = dump(&reference.path("reports/ledger.sqlite"));
    run_args(&reference, &jan_forced(), 0);
    let after = dump(&reference.path("reports/ledger.sqlite"));
    let outputs = csv_outputs(&reference.path("reports/2026-01"));
    assert_ne!(before, after);

    // (point, ledger after the kill, what --out holds after the kill)
    for (point, ledger_after, out_state) in [
        ("locked", false, "old"),
        ("recorded", false, "old"),
        ("staged", false, "old"),
        ("swapping", false, "missing"),
        ("published", false, "new"),
        ("committed", true, "new"),
    ] {
        let w = prepared();
        kill9(start_paused(&w, &jan_forced(), point));
        let out = w.path("reports/2026-01");
        match out_state {
            "old" => {
                assert!(out.join("old.txt").exists(), "{point}");
                assert!(!out.join("refunds.csv").exists(), "{point}");
            }
            "missing" => assert!(!out.exists(), "{point}: half-swapped output visible"),
            _ => assert_eq!(csv_outputs(&out), outputs, "{point}: output incomplete"),
        }
        let want = if ledger_after { &after } else { &before };
        assert_eq!(&dump(&w.path("reports/ledger.sqlite")), want, "{point}");

        if point == "published" {
            // Output out there, ledger without it: another month is refused
            // until this one is run again.
            let mut feb = month_args(("2026-01", "2026-02-28"), "reports/2026-02");
            feb.push("--force".into());
            let o = run_args(&w, &feb, 2);
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(
                err.contains("was interrupted after writing its output"),
                "{err}"
            );
        }
        // Recovery: the same command again.
        run_args(&w, &jan_forced(), 0);
        assert_eq!(dump(&w.path("reports/ledger.sqlite")), after, "{point}");
        assert_eq!(csv_outputs(&out), outputs, "{point}");
        assert!(!out.join("old.txt").exists(), "{point}");
        assert!(leftovers(&w.path("reports")).is_empty(), "{point}");
        assert!(!w.path("reports/ledger.sqlite.publishing").exists());
    }
}

#[test]
fn a_run_killed_mid_swap_gets_its_old_output_back() {
    let w = prepared();
    kill9(start_paused(&w, &jan_forced(), "swapping"));
    assert!(!w.path("reports/2026-01").exists());
    assert_eq!(leftovers(&w.path("reports")).len(), 2, "staging + aside");
    // Any later run in that directory puts the old output back first.
    let o = run_args(&w, &month_args(JAN, "reports/2026-01"), 2);
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
    assert_eq!(w.read("reports/2026-01/old.txt"), "last time's output");
    assert!(leftovers(&w.path("reports")).is_empty());
}

/// Valid 身份证号 with its check digit.
fn id(region: &str, birth: &str, seq: u32) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let s17 = format!("{region}{birth}{seq:03}");
    let sum: u32 = s17
        .bytes()
        .zip(W)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    format!("{s17}{}", &"10X98765432"[(sum % 11) as usize..][..1])
}

/// `n` persons with 低保: half paid the ordinary 400 before recognition
/// (refund 320), half never enrolled (missing): a run with n items.
fn big_inputs(w: &Workdir, n: u32) {
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
        civil.push_str(&format!("人{i},{pid},低保对象,2025-11-20,640104\n"));
        if i % 2 == 0 {
            enrol.push_str(&format!(
                "2026,{pid},人{i},390,640104,参保缴费,普通居民,400,400,2025-11-05\n"
            ));
        }
    }
    w.write("big/civil.csv", civil);
    w.write("big/enrollment.csv", enrol);
    std::fs::create_dir_all(w.path("policies")).unwrap();
    std::fs::copy(
        common::repo().join("policies/ningxia-2026.toml"),
        w.path("policies/ningxia-2026.toml"),
    )
    .unwrap();
}

fn big_args() -> Vec<String> {
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

#[test]
fn kills_at_random_moments_never_leave_a_half_state() {
    let n = 6000;
    let reference = Workdir::new();
    big_inputs(&reference, n);
    let t0 = Instant::now();
    run_args(&reference, &big_args(), 0);
    let took = t0.elapsed();
    let after = dump(&reference.path("reports/ledger.sqlite"));
    let outputs = csv_outputs(&reference.path("reports/big"));
    let (mut killed_before, mut killed_after) = (0, 0);
    let kills = 10u32;
    for k in 0..kills {
        let w = Workdir::new();
        big_inputs(&w, n);
        let mut child = Command::new(BIN)
            .args(big_args())
            .current_dir(w.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(took.mul_f64(f64::from(k) / f64::from(kills - 1) * 1.1));
        let _ = child.kill();
        let status = child.wait().unwrap();
        let out = w.path("reports/big");
        if out.exists() {
            assert_eq!(csv_outputs(&out), outputs, "kill {k}: partial output");
        }
        let d = dump(&w.path("reports/ledger.sqlite"));
        if d == after {
            killed_after += 1;
        } else {
            assert_eq!(
                d, "<no ledger>",
                "kill {k} ({status}): ledger between states"
            );
            killed_before += 1;
        }
        // Recovery.
        run_args(
            &w,
            &big_args()
                .into_iter()
                .chain(["--force".to_string()])
                .collect::<Vec<_>>(),
            0,
        );
        assert_eq!(dump(&w.path("reports/ledger.sqlite")), after, "kill {k}");
        assert_eq!(csv_outputs(&out), outputs, "kill {k}");
        assert!(leftovers(&w.path("reports")).is_empty(), "kill {k}");
    }
    assert_eq!(killed_before + killed_after, kills);
    eprintln!("{kills} kills over {took:?}: {killed_before} before, {killed_after} after");
}

#[test]
fn a_second_run_on_the_same_ledger_is_refused() {
    let w = months_workdir();
    run_month(&w, DEC);
    let first = start_paused(&w, &month_args(JAN, "reports/2026-01"), "locked");
    let ledger_before = dump(&w.path("reports/ledger.sqlite"));
    let o = run_args(&w, &month_args(JAN, "reports/2026-01-b"), 1);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("the ledger is in use by another yibao-recon process"),
        "{err}"
    );
    assert!(!w.path("reports/2026-01-b").exists());
    // An import waits for no one either; reading works.
    let o = w.run_expect(
        &[
            "ledger",
            "mark-paid",
            "months/paid-2026-01.csv",
            "--ledger",
            "reports/ledger.sqlite",
        ],
        1,
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("in use by another"));
    let o = w.run_expect(&["ledger", "runs", "--ledger", "reports/ledger.sqlite"], 0);
    assert!(String::from_utf8_lossy(&o.stdout).contains("2025-12-31"));
    kill9(first);
    assert_eq!(dump(&w.path("reports/ledger.sqlite")), ledger_before);
    run_args(&w, &month_args(JAN, "reports/2026-01-b"), 0);
    assert!(leftovers(&w.path("reports")).is_empty());
}

#[test]
fn an_unwritable_out_is_a_clear_error_and_writes_nothing() {
    let w = months_workdir();
    w.write("afile", "not a directory");
    for out in ["afile/2025-12", "/proc/yibao-recon-test/2025-12"] {
        let o = run_args(&w, &month_args(DEC, out), 1);
        let err = String::from_utf8_lossy(&o.stderr);
        let parent = Path::new(out).parent().unwrap().display().to_string();
        assert!(err.contains(&parent), "{out}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    assert_eq!(w.read("afile"), "not a directory");
    assert!(leftovers(w.dir.path()).is_empty());
    assert!(!w.path("ledger.sqlite").exists());
}

/// Runs `args` with files limited to `kib` KiB (a full disk: writes past
/// it fail with EFBIG instead of killing the process).
fn run_with_file_limit(w: &Workdir, args: &[String], kib: u32) -> std::process::Output {
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    Command::new("bash")
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f {kib}; exec {BIN} {}",
            quoted.join(" ")
        ))
        .current_dir(w.dir.path())
        .output()
        .unwrap()
}

#[test]
fn a_full_disk_is_a_clear_error_and_writes_nothing() {
    // A new month: the ledger cannot grow, so the run stops before any output.
    let w = months_workdir();
    run_month(&w, DEC);
    let before = dump(&w.path("reports/ledger.sqlite"));
    let o = run_with_file_limit(&w, &month_args(JAN, "reports/2026-01"), 8);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("ledger.sqlite"), "{err}");
    assert!(!w.path("reports/2026-01").exists());
    assert_eq!(dump(&w.path("reports/ledger.sqlite")), before);
    assert!(leftovers(&w.path("reports")).is_empty());

    // The same month again (nothing for the ledger to write): the outputs
    // cannot be written; the old output stays as it was.
    run_month(&w, JAN);
    let old = csv_outputs(&w.path("reports/2026-01"));
    let after = dump(&w.path("reports/ledger.sqlite"));
    let o = run_with_file_limit(&w, &jan_forced(), 8);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("File too large"), "{err}");
    assert_eq!(csv_outputs(&w.path("reports/2026-01")), old);
    assert_eq!(dump(&w.path("reports/ledger.sqlite")), after);
    assert!(leftovers(&w.path("reports")).is_empty());
}
