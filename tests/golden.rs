//! Golden tests: whole runs on `sample_data/` for both seed policies, every
//! output compared byte for byte with `tests/golden/<case>/`. Bless a
//! reviewed change with `make golden` (UPDATE_GOLDEN=1) and say in the commit
//! why the new output is right.

use crate::common;

use std::path::Path;

use common::{run_sample, Workdir};

/// Every region writes these; Hulunbuir adds fiscal_ledger.csv (its policy has a split).
const OUTPUTS: [&str; 12] = [
    "refunds.csv",
    "rerating.csv",
    "missing_enrollment.csv",
    "transfers.csv",
    "late_payment.csv",
    "coverage.csv",
    "subsidy_detail.csv",
    "subsidy_ledger.csv",
    "rejects.csv",
    "conflicts.csv",
    "report.xlsx",
    "summary.json",
];

/// summary.json without the fields that change between identical runs.
fn stable_summary(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let o = v.as_object_mut().unwrap();
    o.remove("timings_ms");
    o.remove("generated_at");
    serde_json::to_string_pretty(&v).unwrap() + "\n"
}

fn check_case(region: &str) {
    let w = run_sample(region, "out");
    let expected_dir = common::repo().join("tests/golden").join(region);
    let bless = std::env::var_os("UPDATE_GOLDEN").is_some();
    let got_files = common::files_under(&w.path("out"));
    for f in OUTPUTS {
        assert!(
            got_files.iter().any(|g| g == f),
            "{region}: {f} was not written"
        );
    }
    if bless {
        let _ = std::fs::remove_dir_all(&expected_dir);
        std::fs::create_dir_all(expected_dir.join("by_county")).unwrap();
    }
    if !bless {
        assert_eq!(
            common::files_under(&expected_dir),
            got_files,
            "{region}: the run wrote other files than the golden set"
        );
    }
    for name in got_files {
        let got = if name == "summary.json" {
            stable_summary(&w.path("out/summary.json")).into_bytes()
        } else {
            std::fs::read(w.path("out").join(&name)).unwrap()
        };
        let path = expected_dir.join(&name);
        if bless {
            std::fs::write(&path, &got).unwrap();
            continue;
        }
        let want = std::fs::read(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (run `make golden` to create it)", path.display()));
        assert!(
            want == got,
            "{region}/{name} differs from {}\n--- expected\n{}\n--- got\n{}",
            path.display(),
            String::from_utf8_lossy(&want),
            String::from_utf8_lossy(&got)
        );
    }
}

#[test]
fn golden_ningxia_2026() {
    check_case("ningxia");
}

#[test]
fn golden_hulunbuir_2026() {
    check_case("hulunbuir");
}

/// Same inputs → byte-identical outputs, whatever the thread count.
#[test]
fn one_thread_and_many_threads_give_identical_bytes() {
    let w = Workdir::new();
    w.copy_sample("ningxia");
    for (out, threads) in [("one", "1"), ("many", "8")] {
        let args = common::sample_args("ningxia", out);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = std::process::Command::new(common::BIN)
            .args(&refs)
            .current_dir(w.dir.path())
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let files = common::files_under(&w.path("one"));
    assert!(files.iter().any(|f| f.starts_with("by_county/")));
    assert_eq!(files, common::files_under(&w.path("many")));
    for f in files.iter().filter(|f| *f != "summary.json") {
        assert_eq!(
            std::fs::read(w.path("one").join(f)).unwrap(),
            std::fs::read(w.path("many").join(f)).unwrap(),
            "{f} differs between 1 and 8 threads"
        );
    }
    assert_eq!(
        stable_summary(&w.path("one/summary.json")),
        stable_summary(&w.path("many/summary.json"))
    );
}

#[test]
fn summary_accounts_for_every_row() {
    let w = run_sample("ningxia", "out");
    let v: serde_json::Value = serde_json::from_str(&w.read("out/summary.json")).unwrap();
    for input in v["inputs"].as_array().unwrap() {
        let n = |k: &str| input[k].as_u64().unwrap();
        assert_eq!(
            n("rows_read"),
            n("accepted") + n("rejected") + n("merged_duplicates"),
            "{}",
            input["path"]
        );
    }
    // 2000.00 hardship differences + 400.00 deceased are payable; the duplicate
    // and joined-employee refunds (1200.00) are past Ningxia's 2025-12-31 deadline.
    assert_eq!(v["outputs"]["refunds.csv"]["total_refund"], "3600.00");
    assert_eq!(v["outputs"]["refunds.csv"]["total_payable"], "2400.00");
    assert_eq!(
        v["outputs"]["refunds.csv"]["by_status"]["expired"]["amount"],
        "1200.00"
    );
    assert_eq!(v["rules"]["future_year_rows_ignored"], 1);
}

#[test]
fn english_headers_on_request() {
    let w = Workdir::new();
    w.copy_sample("ningxia");
    let mut args = common::sample_args("ningxia", "out");
    args.extend(["--header-lang".to_string(), "en".to_string()]);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    w.run_expect(&refs, 0);
    let refunds = w.read("out/refunds.csv");
    assert!(
        refunds.starts_with("\u{feff}county_code,county_name,id_number,name,year,reason,"),
        "{refunds}"
    );
}

#[test]
fn refuses_non_empty_out_without_force_and_replaces_with_force() {
    let w = Workdir::new();
    w.copy_sample("ningxia");
    w.write("out/keep.txt", "clerk's notes");
    let args = common::sample_args("ningxia", "out");
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = w.run_expect(&refs, 2);
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
    assert_eq!(w.read("out/keep.txt"), "clerk's notes");
    let mut forced = refs.clone();
    forced.push("--force");
    w.run_expect(&forced, 0);
    assert!(!w.path("out/keep.txt").exists());
    assert!(w.path("out/refunds.csv").exists());
    // No staging directories are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(w.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".yibao-recon"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn never_writes_into_an_input_directory() {
    let w = Workdir::new();
    w.copy_sample("ningxia");
    let args = common::sample_args("ningxia", "inputs");
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = w.run_expect(&refs, 2);
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("--out inputs 会写到输入文件"), "{e}");
    assert!(
        !e.contains("next to or over"),
        "English inside Chinese: {e}"
    );
    let mut en = refs.clone();
    en.extend(["--lang", "en"]);
    let o = w.run_expect(&en, 2);
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("would write next to or over the input"), "{e}");
}

#[test]
fn logs_never_print_a_full_id() {
    let w = Workdir::new();
    w.copy_sample("ningxia");
    let args: Vec<String> = common::sample_args("ningxia", "out")
        .into_iter()
        .filter(|a| a != "--quiet")
        .collect();
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = w.run_expect(&refs, 0);
    let log = String::from_utf8_lossy(&o.stderr).to_string() + &String::from_utf8_lossy(&o.stdout);
    assert!(!log.contains("640104196804121025"), "{log}");
    let v = w.run_expect(
        &[
            "validate",
            "--kind",
            "civil",
            "inputs/civil.csv",
            "--as-of",
            "2026-01-31",
        ],
        0,
    );
    let text = String::from_utf8_lossy(&v.stdout);
    assert!(!text.contains("640104198202023121"), "{text}");
    assert!(text.contains("640104********3121"), "{text}");
}
