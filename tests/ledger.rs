//! Issue 5 — the reconciliation ledger, through the real binary: the
//! two-month scenario of `sample_data/months/` against its golden lists,
//! idempotent re-runs, months in order, stable keys, `ledger mark-paid`,
//! `ledger history`, and privacy (masked IDs, owner-only files).
//! Bless the golden lists after a reviewed change with
//! `UPDATE_GOLDEN=1 cargo test --release --test integration ledger::`.

use crate::common;
use crate::ledger_support;

use std::path::Path;

use common::{read_csv, repo};
use ledger_support::*;

const LISTS: [&str; 5] = [
    "refunds.csv",
    "rerating.csv",
    "missing_enrollment.csv",
    "changes.csv",
    "conflicts.csv",
];

fn summary(w: &common::Workdir, out: &str) -> serde_json::Value {
    serde_json::from_str(&w.read(&format!("{out}/summary.json"))).unwrap()
}

/// `(姓名, lifecycle)` of every row of a list, in file order.
fn lifecycles(path: &Path) -> Vec<(String, String)> {
    read_csv(path)
        .into_iter()
        .map(|r| (r["姓名"].clone(), r["生命周期状态"].clone()))
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn two_months_show_new_carried_resolved_and_paid_items() {
    let w = months_workdir();
    run_scenario(&w);
    let bless = std::env::var_os("UPDATE_GOLDEN").is_some();
    for (month, _) in [DEC, JAN] {
        let golden = repo().join("tests/golden/months").join(month);
        for f in LISTS {
            let got = std::fs::read(w.path(&format!("reports/{month}/{f}"))).unwrap();
            let path = golden.join(f);
            if bless {
                std::fs::create_dir_all(&golden).unwrap();
                std::fs::write(&path, &got).unwrap();
                continue;
            }
            let want = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(
                want == got,
                "{month}/{f} differs from {}\n--- expected\n{}\n--- got\n{}",
                path.display(),
                String::from_utf8_lossy(&want),
                String::from_utf8_lossy(&got)
            );
        }
    }

    // December: everything is new (5 refunds, 2 re-ratings, 3 missing).
    let dec = summary(&w, "reports/2025-12");
    assert_eq!(dec["ledger"]["lifecycle"]["refunds"]["new"], 5);
    assert_eq!(dec["ledger"]["lifecycle"]["rerating"]["new"], 2);
    assert_eq!(dec["ledger"]["lifecycle"]["missing_enrollment"]["new"], 3);
    assert_eq!(dec["ledger"]["previous_as_of"], serde_json::Value::Null);

    // January: A paid, B and G's two refunds carried, H's paid refund gone
    // (a conflict, not silently dropped); C's re-rating and D's missing
    // enrollment resolved; F new.
    let jan = w.path("reports/2026-01");
    assert_eq!(
        lifecycles(&jan.join("refunds.csv")),
        pairs(&[
            ("马秀兰", "paid"),
            ("李建军", "carried"),
            ("陈志强", "carried"),
            ("陈志强", "carried")
        ])
    );
    assert_eq!(
        lifecycles(&jan.join("rerating.csv")),
        pairs(&[("周海", "carried")])
    );
    assert_eq!(
        lifecycles(&jan.join("missing_enrollment.csv")),
        pairs(&[
            ("赵小燕", "new"),
            ("周海", "carried"),
            ("刘桂花", "carried")
        ])
    );
    let changes: Vec<(String, String, String)> = read_csv(&jan.join("changes.csv"))
        .into_iter()
        .map(|r| {
            (
                r["姓名"].clone(),
                r["变动代码"].clone(),
                r["清单代码"].clone(),
            )
        })
        .collect();
    let want: Vec<(String, String, String)> = [
        ("马秀兰", "paid", "refunds"),
        ("赵小燕", "new", "missing_enrollment"),
        ("陈志强", "changed", "refunds"),
        ("陈志强", "changed", "refunds"),
        ("王芳", "resolved", "rerating"),
        ("张德明", "resolved", "missing_enrollment"),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    assert_eq!(changes, want);
    let conflicts = read_csv(&jan.join("conflicts.csv"));
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0]["问题代码"], "PAID_REFUND_NOT_DUE");
    assert_eq!(conflicts[0]["身份证号"], H);
    // First listed in December for everything carried over.
    for r in read_csv(&jan.join("refunds.csv")) {
        assert_eq!(r["首次列出日期"], "2025-12-31");
    }
    let s = summary(&w, "reports/2026-01");
    assert_eq!(s["ledger"]["previous_as_of"], "2025-12-31");
    assert_eq!(s["ledger"]["lifecycle"]["refunds"]["paid"], 1);
    assert_eq!(s["ledger"]["lifecycle"]["refunds"]["carried"], 3);
    assert_eq!(s["ledger"]["lifecycle"]["refunds"]["resolved"], 0);
    assert_eq!(s["ledger"]["lifecycle"]["rerating"]["resolved"], 1);
    assert_eq!(
        s["ledger"]["lifecycle"]["missing_enrollment"]["resolved"],
        1
    );
    assert_eq!(s["ledger"]["changes"], 6);
}

#[test]
fn rerunning_a_month_with_the_same_inputs_changes_nothing() {
    let w = months_workdir();
    run_scenario(&w);
    let ledger = w.path("reports/ledger.sqlite");
    let bytes = std::fs::read(&ledger).unwrap();
    let before = dump(&ledger);
    let jan = csv_outputs(&w.path("reports/2026-01"));

    // January again, same inputs, into the same directory (--force).
    let mut args = month_args(JAN, "reports/2026-01");
    args.push("--force".into());
    run_args(&w, &args, 0);
    assert_eq!(
        std::fs::read(&ledger).unwrap(),
        bytes,
        "ledger file changed"
    );
    assert_eq!(csv_outputs(&w.path("reports/2026-01")), jan);

    // December again, after January and after the payments were imported:
    // the same lists as the first time (later imports are not seen).
    let dec = csv_outputs(&w.path("reports/2025-12"));
    run_args(&w, &month_args(DEC, "reports/2025-12-again"), 0);
    assert_eq!(csv_outputs(&w.path("reports/2025-12-again")), dec);
    assert_eq!(dump(&ledger), before);
    assert_eq!(std::fs::read(&ledger).unwrap(), bytes);
    // summary.json: only timings and generated_at differ.
    let strip = |p: &str| {
        let mut v = summary(&w, p);
        let o = v.as_object_mut().unwrap();
        o.remove("timings_ms");
        o.remove("generated_at");
        v
    };
    assert_eq!(strip("reports/2025-12"), strip("reports/2025-12-again"));
}

#[test]
fn months_are_recorded_in_order() {
    let w = months_workdir();
    run_month(&w, JAN);
    let ledger = w.path("reports/ledger.sqlite");
    let before = dump(&ledger);
    // December after January (other inputs than any recorded run): refused.
    let o = run_args(&w, &month_args(DEC, "reports/2025-12"), 2);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("更晚的一次运行（2026-01-31）"), "{err}");
    assert!(err.contains("各月须按顺序记录"), "{err}");
    assert!(!w.path("reports/2025-12").exists());
    assert_eq!(dump(&ledger), before);
    // A second ledger takes it.
    let mut args = month_args(DEC, "reports/2025-12");
    args.extend(["--ledger".into(), "other.sqlite".into()]);
    run_args(&w, &args, 0);
    assert!(w.path("other.sqlite").exists());
}

#[test]
fn the_latest_month_with_corrected_inputs_replaces_its_record() {
    let w = months_workdir();
    run_month(&w, DEC);
    // December's enrollment corrected: 王芳 (C) already paid the ordinary rate.
    let fixed = w.read("months/2025-12/enrollment.csv").replace(
        &format!("{C},王芳,390,640106,参保缴费,低保对象,80,,"),
        &format!("{C},王芳,390,640106,参保缴费,普通居民,400,400,2025-12-20"),
    );
    assert_ne!(fixed, w.read("months/2025-12/enrollment.csv"));
    w.write("months/2025-12/enrollment.csv", &fixed);
    let before = dump(&w.path("reports/ledger.sqlite"));
    let mut args = month_args(DEC, "reports/2025-12");
    args.push("--force".into());
    // Issue 13: not by accident — refused, naming the changed input and the flag.
    let o = run_args(&w, &args, 2);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("changed: --enrollment months/2025-12/enrollment.csv"),
        "{err}"
    );
    assert!(err.contains("--replace"), "{err}");
    assert_eq!(dump(&w.path("reports/ledger.sqlite")), before);
    args.push("--replace".into());
    let o = run_args(&w, &args, 0);
    assert!(o.status.success());
    let names: Vec<String> = read_csv(&w.path("reports/2025-12/rerating.csv"))
        .into_iter()
        .map(|r| r["姓名"].clone())
        .collect();
    assert_eq!(names, ["周海"]);
    let d = dump(&w.path("reports/ledger.sqlite"));
    assert_eq!(
        d.lines().filter(|l| l.starts_with("run ")).count(),
        1,
        "{d}"
    );
    assert!(
        !d.contains(&format!("state 2025-12-31 640000/2026|rerating|{C}")),
        "{d}"
    );
    // January compares with the corrected December: C's row never resolves.
    run_month(&w, JAN);
    let changes = w.read("reports/2026-01/changes.csv");
    assert!(!changes.contains("王芳"), "{changes}");
}

#[test]
fn a_paid_refund_never_comes_back_as_new() {
    let w = months_workdir();
    run_scenario(&w);
    // February: A's 低保 replaced by 特困 (full subsidy): the rules now give
    // 400.00 for the same payment. Still `paid`, and a conflict to review.
    let civil = w.read("months/2026-01/civil.csv").replace(
        &format!("马秀兰,{A},低保对象"),
        &format!("马秀兰,{A},特困人员"),
    );
    w.write("months/2026-02/civil.csv", civil);
    for f in ["enrollment.csv", "persons.csv"] {
        w.write(
            &format!("months/2026-02/{f}"),
            w.read(&format!("months/2026-01/{f}")),
        );
    }
    run_args(
        &w,
        &month_args(("2026-02", "2026-02-28"), "reports/2026-02"),
        0,
    );
    let refunds = read_csv(&w.path("reports/2026-02/refunds.csv"));
    let a = refunds.iter().find(|r| r["身份证号"] == A).unwrap();
    assert_eq!(a["退费金额"], "400.00");
    assert_eq!(a["生命周期状态"], "paid");
    assert_eq!(a["首次列出日期"], "2025-12-31");
    let conflicts = read_csv(&w.path("reports/2026-02/conflicts.csv"));
    let codes: Vec<(&str, &str)> = conflicts
        .iter()
        .map(|r| (r["身份证号"].as_str(), r["问题代码"].as_str()))
        .collect();
    assert_eq!(
        codes,
        [(H, "PAID_REFUND_NOT_DUE"), (A, "PAID_REFUND_CHANGED")]
    );
    let changes = w.read("reports/2026-02/changes.csv");
    assert!(
        !changes.contains(A),
        "nothing changed for A's item: {changes}"
    );
}

#[test]
fn two_items_of_one_person_are_two_keys_and_stay_stable() {
    let w = months_workdir();
    // One person paid three times, in the same county, on the same day:
    // two DUPLICATE refunds whose other key parts tie.
    let name = "陈志强";
    let extra: String = [
        "364000002025110201",
        "364000002025110202",
        "364000002025110203",
    ]
    .iter()
    .map(|r| format!("2026,{G},{name},390,640104,参保缴费,普通居民,400,400,2025-11-06,{r}\r\n"))
    .collect();
    let base = w.read("months/2025-12/enrollment.csv");
    let without_g: String = base
        .split_inclusive('\n')
        .filter(|l| !l.contains(G))
        .collect();
    w.write(
        "months/2025-12/enrollment.csv",
        format!("{without_g}{extra}"),
    );
    run_month(&w, DEC);
    let conn = rusqlite::Connection::open(w.path("reports/ledger.sqlite")).unwrap();
    let keys: Vec<String> = conn
        .prepare("SELECT key FROM items WHERE person = ?1 ORDER BY key")
        .unwrap()
        .query_map([G], |r| r.get(0))
        .unwrap()
        .map(|k| k.unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            format!("640000/2026|refunds|{G}|2026|640104|2025-11-06#1"),
            format!("640000/2026|refunds|{G}|2026|640104|2025-11-06#2"),
        ]
    );
    // January: the two refunded rows in the other order (the kept, first row
    // stays first, so R3 keeps the same payment). Both refunds carry over:
    // the tie is numbered by 电子税票号, not by the rows' places.
    let rows: Vec<&str> = extra.split_inclusive('\n').collect();
    let reordered = format!("{}{}{}", rows[0], rows[2], rows[1]);
    let jan_base = w.read("months/2026-01/enrollment.csv");
    let jan_without_g: String = jan_base
        .split_inclusive('\n')
        .filter(|l| !l.contains(G))
        .collect();
    w.write(
        "months/2026-01/enrollment.csv",
        format!("{jan_without_g}{reordered}"),
    );
    run_month(&w, JAN);
    let mut g: Vec<(String, String)> = read_csv(&w.path("reports/2026-01/refunds.csv"))
        .into_iter()
        .filter(|r| r["身份证号"] == G)
        .map(|r| (r["电子税票号"].clone(), r["生命周期状态"].clone()))
        .collect();
    g.sort();
    assert_eq!(
        g,
        pairs(&[
            ("364000002025110202", "carried"),
            ("364000002025110203", "carried")
        ])
    );
    let changes = w.read("reports/2026-01/changes.csv");
    assert!(
        !changes
            .lines()
            .any(|l| l.contains(G) && (l.contains(",new,") || l.contains(",resolved,"))),
        "{changes}"
    );
}

#[test]
fn mark_paid_refuses_the_whole_file_naming_each_bad_line() {
    let w = months_workdir();
    run_month(&w, DEC);
    let ledger = w.path("reports/ledger.sqlite");
    let before = dump(&ledger);
    let unknown = "110101199003074514"; // valid, never listed
    w.write(
        "paid-bad.csv",
        format!(
            "身份证号,参保年度,退费金额\n{A},2026,320.00\n{B},2026,300.00\n{unknown},2026,320.00\n64010419700312122X,2026,320.00\n{A},2025,320.00\n"
        ),
    );
    let args = [
        "ledger",
        "mark-paid",
        "paid-bad.csv",
        "--ledger",
        "reports/ledger.sqlite",
    ];
    let o = w.run_expect(&args, 1);
    let err = String::from_utf8_lossy(&o.stderr);
    for needle in [
        "4 行被拒绝，本次未导入任何记录",
        "第 3 行：640105********1318 2026: 金额 300.00 与列出的退费金额 320.00 不符",
        "第 4 行：110101********4514 2026: 账本中没有列出过这笔退费",
        "第 5 行：身份证号 `640104********122X` 无效",
        "第 6 行：640104********1222 2025: 账本中没有列出过这笔退费",
    ] {
        assert!(err.contains(needle), "missing `{needle}` in:\n{err}");
    }
    assert!(!err.contains(A) && !err.contains(B), "full IDs in: {err}");
    assert_eq!(dump(&ledger), before, "a refused file imports nothing");

    // G's two refunds of 400.00 in one file: two rows, two items.
    let mark_paid_g = |extra: &[&str], code: i32| {
        let mut args = vec![
            "ledger",
            "mark-paid",
            "paid-g.csv",
            "--ledger",
            "reports/ledger.sqlite",
        ];
        args.extend_from_slice(extra);
        w.run_expect(&args, code)
    };
    w.write(
        "paid-g.csv",
        format!("身份证号,参保年度,退费金额,退费日期\n{G},2026,400.00,2026-01-10\n{G},2026,400.00,2026-01-10\n"),
    );
    // Two identical rows cannot be told apart: refused.
    let o = mark_paid_g(&[], 1);
    assert!(String::from_utf8_lossy(&o.stderr).contains("1 行与前面某行完全相同"));
    w.write(
        "paid-g.csv",
        format!("身份证号,参保年度,退费金额,参保区划代码\n{G},2026,400.00,640105\n{G},2026,400.00,640106\n"),
    );
    let o = mark_paid_g(&[], 0);
    assert!(String::from_utf8_lossy(&o.stdout).contains("已确认退费 2 笔，合计 800.00 元"));
    // Issue 16: the same file again is a no-op that says so, exit 0.
    let before_again = dump(&ledger);
    let o = mark_paid_g(&["--lang", "en"], 0);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        "paid-g.csv was imported before (2 refund(s), total 800.00, already recorded); nothing was changed"
    );
    let o = mark_paid_g(&[], 0);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("已导入过"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert_eq!(
        dump(&ledger),
        before_again,
        "a repeated import changes nothing"
    );
    // Another file paying the same refunds again is refused.
    w.write(
        "paid-g.csv",
        format!("身份证号,参保年度,退费金额,参保区划代码,退费日期\n{G},2026,400.00,640105,2026-01-20\n{G},2026,400.00,640106,2026-01-20\n"),
    );
    let o = mark_paid_g(&[], 1);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("already confirmed paid (paid-g.csv line 2)")
    );
    let d = dump(&ledger);
    assert_eq!(
        d.lines().filter(|l| l.starts_with("paid ")).count(),
        2,
        "{d}"
    );
}

#[test]
fn history_shows_one_persons_items_across_months() {
    let w = months_workdir();
    run_scenario(&w);
    let o = ledger_for(&w, "history", A, 0);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("640104********1222"), "{text}");
    assert!(!text.contains(A), "{text}");
    let rows: Vec<&str> = text.lines().filter(|l| l.starts_with("20")).collect();
    assert_eq!(rows.len(), 3, "{text}"); // Dec new, Jan paid, the payment
    assert!(rows[0].starts_with("2025-12-31\trefunds 退费名单\t2026\t640104\t2025-11-05\t困难身份差额退费\t320.00\tpayable\tnew 新增\t2025-12-31"), "{text}");
    assert!(rows[1].contains("\tpaid 已退费\t2025-12-31"), "{text}");
    assert!(
        text.contains(
            "2026\t640104\t2025-11-05\t320.00\t2026-01-12\tmonths/paid-2026-01.csv 第 2 行"
        ),
        "{text}"
    );
    // A 15-digit or lowercase-x spelling finds the same person; an unknown one is an error.
    let o = w.run_expect(
        &[
            "ledger",
            "history",
            "--id",
            I,
            "--ledger",
            "reports/ledger.sqlite",
        ],
        0,
    );
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        text.lines().filter(|l| l.starts_with("20")).count(),
        4,
        "{text}"
    );
    let o = w.run_expect(
        &[
            "ledger",
            "history",
            "--id",
            "110101199003074514",
            "--ledger",
            "reports/ledger.sqlite",
        ],
        2,
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("中没有 110101********4514 的任何条目"));
    let o = w.run_expect(&["ledger", "runs", "--ledger", "reports/ledger.sqlite"], 0);
    let runs = String::from_utf8_lossy(&o.stdout);
    assert_eq!(runs.lines().count(), 3, "{runs}");
    assert!(
        runs.contains("640000/2026\t2025-12-31\tningxia-2026"),
        "{runs}"
    );
}

#[test]
fn the_ledger_defaults_beside_the_output_directory_and_follows_job_files() {
    let w = months_workdir();
    run_month(&w, DEC);
    assert!(w.path("reports/ledger.sqlite").is_file());
    let job = "policy = \"../policies/ningxia-2026.toml\"\nas_of = 2026-01-31\nout = \"../out/jan\"\nledger = \"../books/ledger.sqlite\"\nquiet = true\n\n[inputs]\nenrollment = [\"../months/2026-01/enrollment.csv\"]\ncivil = [\"../months/2026-01/civil.csv\"]\n";
    w.write("jobs/jan.toml", job);
    std::fs::create_dir_all(w.path("books")).unwrap();
    w.run_expect(&["run", "--job", "jobs/jan.toml"], 0);
    assert!(w.path("books/ledger.sqlite").is_file());
    assert!(!w.path("out/ledger.sqlite").exists());
    // --ledger on the command line overrides the job's.
    w.run_expect(
        &[
            "run",
            "--job",
            "jobs/jan.toml",
            "--force",
            "--ledger",
            "cli.sqlite",
        ],
        0,
    );
    assert!(w.path("cli.sqlite").is_file());
    // A ledger in a directory that does not exist: a clear error, no output.
    let mut args = month_args(DEC, "reports/x");
    args.extend(["--ledger".into(), "nowhere/ledger.sqlite".into()]);
    let o = run_args(&w, &args, 1);
    assert!(String::from_utf8_lossy(&o.stderr).contains("the ledger's directory does not exist"));
    assert!(!w.path("reports/x").exists());
    assert!(leftovers(&w.path("reports")).is_empty());
}

#[test]
fn a_file_that_is_not_a_ledger_is_refused_untouched() {
    let w = months_workdir();
    for (name, bytes) in [
        ("notes.csv", b"a,b\n1,2\n".to_vec()),
        ("other.sqlite", {
            let p = w.path("other.sqlite");
            let c = rusqlite::Connection::open(&p).unwrap();
            c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
                .unwrap();
            drop(c);
            std::fs::read(&p).unwrap()
        }),
    ] {
        w.write(name, &bytes);
        let mut args = month_args(DEC, "reports/x");
        args.extend(["--ledger".into(), name.into()]);
        let o = run_args(&w, &args, 1);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("not a yibao-recon ledger")
                || err.contains("cannot be opened as a ledger"),
            "{name}: {err}"
        );
        assert_eq!(
            std::fs::read(w.path(name)).unwrap(),
            bytes,
            "{name} changed"
        );
        assert!(!w.path("reports/x").exists());
    }
}

#[cfg(unix)]
#[test]
fn outputs_and_ledger_are_owner_only_and_logs_hold_no_full_id() {
    use std::os::unix::fs::PermissionsExt;
    let w = months_workdir();
    let args: Vec<String> = month_args(DEC, "reports/2025-12")
        .into_iter()
        .filter(|a| a != "--quiet")
        .collect();
    let o = run_args(&w, &args, 0);
    let log = String::from_utf8_lossy(&o.stderr).to_string() + &String::from_utf8_lossy(&o.stdout);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&w.path("reports/2025-12")), 0o700);
    assert_eq!(mode(&w.path("reports/ledger.sqlite")), 0o600);
    assert_eq!(mode(&w.path("reports/2025-12/by_county")), 0o700);
    for f in common::files_under(&w.path("reports/2025-12")) {
        let p = w.path("reports/2025-12").join(f);
        assert_eq!(mode(&p), 0o600, "{}", p.display());
    }
    let summary = w.read("reports/2025-12/summary.json");
    for id in ALL {
        assert!(!log.contains(id), "log holds {id}:\n{log}");
        assert!(!summary.contains(id), "summary.json holds {id}");
    }
    assert!(w.read("reports/2025-12/refunds.csv").contains(A));
}

#[test]
fn mask_ids_writes_lists_without_a_full_id() {
    let w = months_workdir();
    let mut args = month_args(DEC, "reports/2025-12");
    args.push("--mask-ids".into());
    run_args(&w, &args, 0);
    let out = w.path("reports/2025-12");
    for name in common::files_under(&out) {
        let p = out.join(&name);
        let text = if name.ends_with(".xlsx") {
            xlsx_text(&p)
        } else {
            std::fs::read_to_string(&p).unwrap()
        };
        for id in ALL {
            assert!(!text.contains(id), "{name} holds {id}");
        }
    }
    let refunds = read_csv(&out.join("refunds.csv"));
    assert_eq!(refunds[0]["身份证号"], "640104********1222");
    assert_eq!(refunds[0]["姓名"], "马秀兰");
    // The ledger keeps the full IDs (its keys), so January still matches.
    let s: serde_json::Value =
        serde_json::from_str(&w.read("reports/2025-12/summary.json")).unwrap();
    assert_eq!(s["ledger"]["ids_masked"], true);
    run_month(&w, JAN);
    assert!(w.read("reports/2026-01/refunds.csv").contains(",carried,"));
}

/// Every cell of every sheet of a workbook, as text.
fn xlsx_text(path: &Path) -> String {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook(path).unwrap();
    let mut out = String::new();
    for name in book.sheet_names().to_vec() {
        let range = book.worksheet_range(&name).unwrap();
        for row in range.rows() {
            for c in row {
                out.push_str(&c.to_string());
                out.push('\t');
            }
            out.push('\n');
        }
    }
    out
}
