//! Issue 5 — faults: a run killed (`kill -9`) at every step leaves no partial
//! output directory and a ledger that is exactly before or exactly after the
//! run, and re-running the same command always converges to the clean result;
//! two runs on one ledger: the second is refused; an unwritable `--out` or a
//! full disk: a clear error and nothing half-written.
//!
//! Named kill points use the binary's `YIBAO_RECON_PAUSE_AT` hook (the run
//! stops there and the test kills it); the timed kills need no hook.

use crate::common;
use crate::ledger_support;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use common::{Workdir, BIN};
use ledger_support::*;

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
                err.contains("的运行在输出写完、账本记录之前被中断"),
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

/// While another run holds the ledger, a second run of `month` into `out`
/// and an import are refused as "in use" (neither waits), and the second
/// run writes no output.
fn others_are_told_in_use(w: &Workdir, month: (&str, &str), out: &str) {
    let o = run_args(w, &month_args(month, out), 1);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("the ledger is in use by another yibao-recon process"),
        "{err}"
    );
    assert!(!w.path(out).exists());
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
}

#[test]
fn a_second_run_on_the_same_ledger_is_refused() {
    let w = months_workdir();
    run_month(&w, DEC);
    let first = start_paused(&w, &month_args(JAN, "reports/2026-01"), "locked");
    let ledger_before = dump(&w.path("reports/ledger.sqlite"));
    others_are_told_in_use(&w, JAN, "reports/2026-01-b");
    // Reading works.
    let o = w.run_expect(&["ledger", "runs", "--ledger", "reports/ledger.sqlite"], 0);
    assert!(String::from_utf8_lossy(&o.stdout).contains("2025-12-31"));
    kill9(first);
    assert_eq!(dump(&w.path("reports/ledger.sqlite")), ledger_before);
    run_args(&w, &month_args(JAN, "reports/2026-01-b"), 0);
    assert!(leftovers(&w.path("reports")).is_empty());
}

/// The journal mode the ledger's file is in (`wal` between runs).
fn journal_mode(w: &Workdir) -> String {
    let conn = rusqlite::Connection::open(w.path("reports/ledger.sqlite")).unwrap();
    conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap()
}

/// Issue 15: a new ledger's first run writes its pages straight into the
/// file through a rollback journal and switches the file to WAL after its
/// commit. Killed at every step — the tables begun, the month's rows in the
/// cache, the pages written into the file with the journal beside them, the
/// output published, between the commit and the switch to WAL, after it —
/// the ledger is no ledger or the whole month, never a part of it; the same
/// command again converges, and leaves the ledger in WAL mode.
#[test]
fn a_new_ledger_killed_at_every_step_of_its_first_run_is_none_or_whole() {
    let reference = months_workdir();
    run_month(&reference, DEC);
    let after = dump(&reference.path("reports/ledger.sqlite"));
    let outputs = csv_outputs(&reference.path("reports/2025-12"));
    assert_eq!(journal_mode(&reference), "wal");
    let dec = month_args(DEC, "reports/2025-12");
    for (point, ledger_after) in [
        ("locked", false),
        ("recorded", false),
        ("staged", false),
        ("published", false),
        ("first-committed", true),
        ("committed", true),
    ] {
        let w = months_workdir();
        kill9(start_paused(&w, &dec, point));
        if point == "staged" {
            // The pages are in the file, the journal that undoes them beside it.
            assert!(w.path("reports/ledger.sqlite-journal").exists(), "{point}");
        }
        let want = if ledger_after {
            after.as_str()
        } else {
            "<no ledger>"
        };
        assert_eq!(dump(&w.path("reports/ledger.sqlite")), want, "{point}");
        // The same command again.
        run_args(&w, &dec, 0);
        assert_eq!(dump(&w.path("reports/ledger.sqlite")), after, "{point}");
        assert_eq!(csv_outputs(&w.path("reports/2025-12")), outputs, "{point}");
        assert!(leftovers(&w.path("reports")).is_empty(), "{point}");
        assert_eq!(ledger_files(&w), ["reports/ledger.sqlite"], "{point}");
        assert_eq!(journal_mode(&w), "wal", "{point}");
        // And the next month builds on it.
        run_month(&w, JAN);
    }
}

/// Issue 15: while a new ledger's first run holds the file exclusively
/// (its pages written, the journal beside them), a second run or an import
/// is told the ledger is in use, not that it is no ledger.
#[test]
fn a_new_ledger_in_its_first_run_is_in_use_for_everyone_else() {
    let w = months_workdir();
    let first = start_paused(&w, &month_args(DEC, "reports/2025-12"), "staged");
    others_are_told_in_use(&w, DEC, "reports/2025-12-b");
    kill9(first);
    assert_eq!(dump(&w.path("reports/ledger.sqlite")), "<no ledger>");
    run_args(&w, &month_args(DEC, "reports/2025-12-b"), 0);
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
    // cannot be written (the limit leaves room for SQLite's 32 KiB shared-
    // memory file of the ledger, not for the lists); the old output stays.
    let w = Workdir::new();
    big_inputs(&w, 6000);
    run_args(&w, &big_args(), 0);
    let old = csv_outputs(&w.path("reports/big"));
    let after = dump(&w.path("reports/ledger.sqlite"));
    let mut forced = big_args();
    forced.push("--force".into());
    let o = run_with_file_limit(&w, &forced, 64);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("File too large"), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("内部错误"),
        "{err}"
    );
    assert_eq!(csv_outputs(&w.path("reports/big")), old);
    assert_eq!(dump(&w.path("reports/ledger.sqlite")), after);
    assert!(leftovers(&w.path("reports")).is_empty());
}

/// The ledger's file and the files SQLite keeps beside it.
fn ledger_files(w: &Workdir) -> Vec<String> {
    ["", "-wal", "-shm", "-journal", ".publishing"]
        .iter()
        .map(|s| format!("reports/ledger.sqlite{s}"))
        .filter(|p| w.path(p).exists())
        .collect()
}

#[test]
fn a_failure_before_a_new_ledgers_first_commit_leaves_no_ledger() {
    let w = months_workdir();
    let o = run_with_file_limit(&w, &month_args(DEC, "reports/2025-12"), 8);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("ledger.sqlite"), "{err}");
    assert_eq!(ledger_files(&w), Vec::<String>::new());
    assert!(!w.path("reports/2025-12").exists());
    // A refused run (bad input) after the ledger was created: none either.
    w.write("months/bad.csv", "no,header,we,know\n1,2,3,4\n");
    let mut args = month_args(DEC, "reports/2025-12");
    args.extend(["--civil".into(), "months/bad.csv".into()]);
    run_args(&w, &args, 1);
    assert_eq!(ledger_files(&w), Vec::<String>::new());
}

#[test]
fn a_workbook_that_cannot_be_written_is_an_io_error_naming_the_path() {
    let w = Workdir::new();
    // Names of 48 pseudo-random CJK characters: text the compressor cannot
    // shorten, shown in several sheets of a workbook but once in a CSV row,
    // so a workbook outweighs every CSV file (issue 15: with the cells'
    // places implied, regular names and IDs deflate far below the CSVs).
    let mut rng = fastrand::Rng::with_seed(15);
    big_inputs_named(&w, 6000, |_| {
        (0..48)
            .map(|_| char::from_u32(rng.u32(0x4E00..0x9FA5)).unwrap_or('人'))
            .collect()
    });
    // No system temporary directory at all: the workbooks' temporary sheets
    // go to the run's staging directory beside the output (issue 15, since
    // rust_xlsxwriter 0.100 the system's is never opened), so the run does
    // not need one. (A temporary sheet that cannot be created is an I/O
    // error naming its directory and workbook: the unit test
    // `a_temporary_sheet_that_cannot_be_made_names_its_directory_and_workbook`.)
    let o = Command::new(BIN)
        .args(big_args())
        .current_dir(w.dir.path())
        .env("TMPDIR", "/nonexistent-tmp")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(w.path("reports/big/report.xlsx").is_file());
    assert!(w.path("reports/big/by_county").is_dir());

    // Room for every output file but the largest workbooks (issue 15: the
    // workbooks are packed straight into their files, no temporary sheets;
    // here a whole county's lists in one workbook outweigh any one CSV
    // file); a replay, so the ledger has nothing to write.
    let old = csv_outputs(&w.path("reports/big"));
    let ledger = dump(&w.path("reports/ledger.sqlite"));
    let sizes = |dir: &str, workbooks: bool| -> u64 {
        std::fs::read_dir(w.path(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "xlsx") == workbooks)
            .map(|p| p.metadata().unwrap().len())
            .max()
            .unwrap_or(0)
    };
    let largest = sizes("reports/big", false);
    let kib = u32::try_from(largest * 11 / 10 / 1024).unwrap().max(40);
    let workbook = sizes("reports/big", true).max(sizes("reports/big/by_county", true));
    assert!(
        workbook > u64::from(kib) * 1024,
        "a workbook ({workbook} bytes) must outweigh the limit ({kib} KiB)"
    );
    let mut forced = big_args();
    forced.push("--force".into());
    let o = run_with_file_limit(&w, &forced, kib);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(".xlsx") && err.contains("File too large"),
        "{err}"
    );
    assert!(err.contains("reports/"), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("内部错误"),
        "{err}"
    );
    assert_eq!(csv_outputs(&w.path("reports/big")), old);
    assert_eq!(dump(&w.path("reports/ledger.sqlite")), ledger);
    assert!(leftovers(&w.path("reports")).is_empty());
}

#[test]
fn the_same_command_unchanged_converges_after_a_kill_at_any_step() {
    let reference = months_workdir();
    run_month(&reference, DEC);
    run_month(&reference, JAN);
    let after = dump(&reference.path("reports/ledger.sqlite"));
    let outputs = csv_outputs(&reference.path("reports/2026-01"));
    let jan = month_args(JAN, "reports/2026-01");
    for point in ["locked", "recorded", "staged", "published", "committed"] {
        let w = months_workdir();
        run_month(&w, DEC);
        kill9(start_paused(&w, &jan, point));
        // The same command, no flag added.
        run_args(&w, &jan, 0);
        let out = w.path("reports/2026-01");
        assert_eq!(csv_outputs(&out), outputs, "{point}");
        assert_eq!(dump(&w.path("reports/ledger.sqlite")), after, "{point}");
        assert!(leftovers(&w.path("reports")).is_empty(), "{point}");
        assert!(!w.path("reports/ledger.sqlite.publishing").exists());
        // And once more, after a clean finish: it converges silently.
        run_args(&w, &jan, 0);
        assert_eq!(csv_outputs(&out), outputs, "{point}");
        assert_eq!(dump(&w.path("reports/ledger.sqlite")), after, "{point}");
    }
}

/// Found by the timed kills: a kill while the publishing marker was being
/// written left it empty, and every later run — January's own or another
/// month's — was refused as "interrupted" naming no run. The marker is now
/// renamed into place whole; one cut short (as an older build could leave)
/// was written before any output moved, so it blocks nothing.
#[test]
fn a_publishing_marker_cut_short_blocks_no_run() {
    let w = months_workdir();
    run_month(&w, DEC);
    w.write("reports/ledger.sqlite.publishing", "");
    run_month(&w, JAN);
    assert!(!w.path("reports/ledger.sqlite.publishing").exists());
    w.write("reports/ledger.sqlite.publishing", "{\"series\": \"ningx");
    let mut again = month_args(JAN, "reports/2026-01");
    again.push("--force".into());
    run_args(&w, &again, 0);
    assert!(leftovers(&w.path("reports")).is_empty());
}

#[test]
fn a_foreign_file_in_out_is_never_replaced_without_force() {
    let w = months_workdir();
    run_month(&w, DEC);
    let jan = month_args(JAN, "reports/2026-01");
    kill9(start_paused(&w, &jan, "published"));
    // Someone puts a file of their own into the published output.
    w.write("reports/2026-01/notes.txt", "mine");
    let o = run_args(&w, &jan, 2);
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
    assert_eq!(w.read("reports/2026-01/notes.txt"), "mine");
}

#[test]
fn readers_work_in_every_phase_of_a_run() {
    let w = months_workdir();
    run_month(&w, DEC);
    let jan = month_args(JAN, "reports/2026-01");
    for point in ["locked", "recorded", "staged", "published", "partitioned"] {
        let run = start_paused(&w, &jan, point);
        let t = Instant::now();
        let o = w.run(&["ledger", "runs", "--ledger", "reports/ledger.sqlite"]);
        let h = w.run(&[
            "ledger",
            "history",
            "--id",
            B,
            "--ledger",
            "reports/ledger.sqlite",
        ]);
        let waited = t.elapsed();
        kill9(run);
        let runs = String::from_utf8_lossy(&o.stdout);
        assert_eq!(o.status.code(), Some(0), "{point}: {o:?}");
        assert!(
            runs.contains("2025-12-31") && !runs.contains("2026-01-31"),
            "{point}: {runs}"
        );
        assert_eq!(h.status.code(), Some(0), "{point}: {h:?}");
        assert!(String::from_utf8_lossy(&h.stdout).contains("2025-12-31"));
        assert!(waited.as_secs() < 5, "{point}: readers waited {waited:?}");
    }
}
