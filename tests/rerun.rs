//! Issue 13 — a month cannot be overwritten by accident: a recorded month
//! re-run with other inputs is refused (exit 2) naming what differs and the
//! flag that replaces it; the identical command converges silently;
//! `--no-ledger` reads and writes no ledger and says so.

use crate::common;
use crate::ledger_support;

use common::Workdir;
use ledger_support::*;

/// January's arguments without the `--kind` input.
fn without(kind: &str, out: &str) -> Vec<String> {
    let full = month_args(JAN, out);
    let mut args = Vec::new();
    let mut skip = false;
    for a in full {
        if skip {
            skip = false;
            continue;
        }
        if a == format!("--{kind}") {
            skip = true;
            continue;
        }
        args.push(a);
    }
    args
}

fn recorded() -> (Workdir, String) {
    let w = months_workdir();
    run_month(&w, DEC);
    run_month(&w, JAN);
    let d = dump(&w.path("reports/ledger.sqlite"));
    (w, d)
}

#[test]
fn a_trial_with_fewer_inputs_is_refused_and_names_what_is_missing() {
    let (w, before) = recorded();
    let o = run_args(&w, &without("civil", "reports/2026-01-trial"), 2);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("dropped: --civil months/2026-01/civil.csv"),
        "{err}"
    );
    assert!(
        err.contains("--replace") && err.contains("--no-ledger"),
        "{err}"
    );
    assert!(!err.contains("640"), "no ID in the message: {err}");
    assert_eq!(dump(&w.path("reports/ledger.sqlite")), before);
    assert!(!w.path("reports/2026-01-trial").exists());
    assert!(leftovers(&w.path("reports")).is_empty());
}

#[test]
fn an_added_input_is_named_too() {
    let (w, before) = recorded();
    let mut args = month_args(JAN, "reports/2026-01-more");
    args.extend(["--civil".into(), "months/2025-12/civil.csv".into()]);
    let o = run_args(&w, &args, 2);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("added: --civil months/2025-12/civil.csv"),
        "{err}"
    );
    assert_eq!(dump(&w.path("reports/ledger.sqlite")), before);
}

#[test]
fn the_identical_command_converges_silently() {
    let (w, before) = recorded();
    let out = w.path("reports/2026-01");
    let bytes = csv_outputs(&out);
    let mut args = month_args(JAN, "reports/2026-01");
    args.retain(|a| a != "--quiet");
    let o = run_args(&w, &args, 0);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("：同月同输入已记录，未改动"), "{err}");
    assert_eq!(csv_outputs(&out), bytes);
    assert_eq!(dump(&w.path("reports/ledger.sqlite")), before);
}

#[test]
fn replace_replaces_on_purpose() {
    let (w, _) = recorded();
    let mut args = without("civil", "reports/2026-01");
    args.extend(["--replace".into(), "--force".into()]);
    args.retain(|a| a != "--quiet");
    let o = run_args(&w, &args, 0);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("：已替换 2026-01-31 的记录（--replace）"),
        "{err}"
    );
    let d = dump(&w.path("reports/ledger.sqlite"));
    assert_eq!(
        d.lines().filter(|l| l.starts_with("run ")).count(),
        2,
        "{d}"
    );
}

#[test]
fn no_ledger_reads_and_writes_no_ledger_and_says_so() {
    // No ledger yet: none is created.
    let w = months_workdir();
    let mut args = month_args(JAN, "reports/trial");
    args.retain(|a| a != "--quiet");
    args.push("--no-ledger".into());
    let o = run_args(&w, &args, 0);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("账本：试算（--no-ledger），未读取也未写入任何账本"),
        "{err}"
    );
    let names: Vec<String> = std::fs::read_dir(w.path("reports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(names, ["trial"]);
    let summary: serde_json::Value =
        serde_json::from_str(&w.read("reports/trial/summary.json")).unwrap();
    assert_eq!(summary["ledger"]["no_ledger"], true);
    assert_eq!(summary["ledger"]["path"], serde_json::Value::Null);
    // Every item is new, as on a first run.
    let lifecycle = &summary["ledger"]["lifecycle"]["refunds"];
    assert_eq!(lifecycle["carried"], 0, "{lifecycle}");

    // A recorded ledger beside it: not a byte of it changes, and December's
    // paid refunds are not read either.
    let (w, before) = recorded();
    let ledger = std::fs::read(w.path("reports/ledger.sqlite")).unwrap();
    let mut args = without("civil", "reports/2026-01-trial");
    args.push("--no-ledger".into());
    run_args(&w, &args, 0);
    assert_eq!(
        std::fs::read(w.path("reports/ledger.sqlite")).unwrap(),
        ledger
    );
    assert_eq!(dump(&w.path("reports/ledger.sqlite")), before);
    let s: serde_json::Value =
        serde_json::from_str(&w.read("reports/2026-01-trial/summary.json")).unwrap();
    assert_eq!(s["ledger"]["previous_as_of"], serde_json::Value::Null);
}
