//! Every integration test in one binary (issue 15): the release profile
//! optimises the whole program at link time (`lto = "fat"`), so each test
//! binary costs a link of minutes; one binary keeps `make test` (and CI) to
//! one such link. Each file below is a module, as it was a binary of its
//! own; `cargo test --release --test integration golden::` runs one of them.
//!
//! `autotests = false` (Cargo.toml): a file of `tests/` that is not declared
//! here would never run, so [`every_test_file_is_declared`] checks.

mod browser_support;
mod cli;
mod common;
mod console;
mod county_workbooks;
mod damaged_exports;
mod dashboard;
mod dashboard_months;
mod dashboard_sizes;
mod edges;
mod ending;
mod examples;
mod faults;
mod forecast;
mod golden;
mod grades_input;
mod guide;
mod hostile;
mod invented_region;
mod language;
mod ledger;
mod ledger_support;
mod ledgers;
mod messy;
mod policy_limits;
mod policy_table;
mod print_pdf;
mod privacy;
mod progress;
mod real_exports;
mod rerun;
mod rules_edges;
mod rules_more;
mod rules_planted;
mod scale;
mod third_region;
mod undated;
mod verify;
mod xlsx;

/// Every `tests/*.rs` file and support folder is a module of this binary.
#[test]
fn every_test_file_is_declared() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let main = std::fs::read_to_string(dir.join("main.rs")).expect("tests/main.rs");
    let declared: Vec<&str> = main
        .lines()
        .filter_map(|l| l.strip_prefix("mod ")?.strip_suffix(';'))
        .collect();
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("tests/") {
        let path = entry.expect("a tests/ entry").path();
        let name = match (path.is_dir(), path.extension()) {
            (true, _) if path.join("mod.rs").exists() => path.file_name(),
            (false, Some(ext)) if ext == "rs" => path.file_stem(),
            _ => None,
        };
        let Some(name) = name.and_then(|n| n.to_str()) else {
            continue;
        };
        if name != "main" && !declared.contains(&name) {
            missing.push(name.to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "not declared in tests/main.rs: {missing:?}"
    );
}
