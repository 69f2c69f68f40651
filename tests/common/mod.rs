//! Shared test harness: every test gets its own work directory and runs the
//! real binary (as xsv's `tests/workdir.rs` does). On failure the assertion
//! message carries the directory, exit status, stdout and stderr.
#![allow(dead_code)]

/// The seven input kinds of a whole run, in the order the tests pass them.
pub const KINDS: [&str; 7] = [
    "enrollment",
    "persons",
    "civil",
    "agri",
    "disability",
    "veterans",
    "elsewhere",
];

pub mod rows;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_yibao-recon");

/// The repository root (where `policies/`, `schemas/` and `sample_data/` live).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub struct Workdir {
    pub dir: tempfile::TempDir,
}

impl Workdir {
    pub fn new() -> Workdir {
        Workdir {
            dir: tempfile::Builder::new()
                .prefix("yibao-test-")
                .tempdir()
                .expect("temp dir"),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Copies a sample region's inputs into `inputs/` of the work directory.
    pub fn copy_sample(&self, region: &str) {
        let src = repo().join("sample_data").join(region);
        let dst = self.path("inputs");
        std::fs::create_dir_all(&dst).unwrap();
        for e in std::fs::read_dir(src).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), dst.join(e.file_name())).unwrap();
        }
        std::fs::create_dir_all(self.path("policies")).unwrap();
        for e in std::fs::read_dir(repo().join("policies")).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), self.path("policies").join(e.file_name())).unwrap();
        }
    }

    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Runs the binary in the work directory.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .expect("run binary")
    }

    /// Runs and asserts the exit code, printing everything on mismatch.
    pub fn run_expect(&self, args: &[&str], code: i32) -> Output {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "yibao-recon {args:?}\nworkdir: {}\nstatus: {:?}\nstdout:\n{}\nstderr:\n{}",
            self.dir.path().display(),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }
}

/// The standard run arguments for a sample region copied into `inputs/`.
pub fn sample_args(region: &str, out: &str) -> Vec<String> {
    let policy = format!("policies/{region}-2026.toml");
    let mut a: Vec<String> = vec![
        "run".into(),
        "--policy".into(),
        policy,
        "--as-of".into(),
        "2026-01-31".into(),
        "--out".into(),
        out.into(),
        "--quiet".into(),
    ];
    for kind in KINDS {
        let rel = format!("inputs/{kind}.csv");
        if repo()
            .join("sample_data")
            .join(region)
            .join(format!("{kind}.csv"))
            .exists()
        {
            a.push(format!("--{kind}"));
            a.push(rel);
        }
    }
    a
}

/// Runs a whole sample region into `out` and returns the work directory.
pub fn run_sample(region: &str, out: &str) -> Workdir {
    let w = Workdir::new();
    w.copy_sample(region);
    let args = sample_args(region, out);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    w.run_expect(&refs, 0);
    w
}

/// Every file under `dir`, as paths relative to it (`by_county/…` for the
/// county workbooks), sorted.
pub fn files_under(dir: &Path) -> Vec<String> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().to_string();
        if e.file_type().unwrap().is_dir() {
            v.extend(
                files_under(&e.path())
                    .into_iter()
                    .map(|f| format!("{name}/{f}")),
            );
        } else {
            v.push(name);
        }
    }
    v.sort();
    v
}

/// A CSV report parsed into rows of (header → value) maps, BOM stripped.
pub fn read_csv(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut r = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// A valid GB 11643 ID from its first 17 digits (the check digit appended).
pub fn valid_id(first17: &str) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .bytes()
        .zip(W)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    format!(
        "{first17}{}",
        "10X98765432".as_bytes()[(sum % 11) as usize] as char
    )
}

/// A proptest configuration running `default` cases, or `PROPTEST_CASES`.
pub fn proptest_cases(default: u32) -> proptest::test_runner::Config {
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    proptest::test_runner::Config {
        cases: n,
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    }
}

/// A work directory holding one policy file (`policies/<name>`).
pub fn policy_workdir(policy: &str) -> Workdir {
    let w = Workdir::new();
    std::fs::create_dir_all(w.path("policies")).unwrap();
    std::fs::copy(
        repo().join("policies").join(policy),
        w.path(&format!("policies/{policy}")),
    )
    .unwrap();
    w
}

/// Runs the Ningxia 2026 policy on `inputs/enrollment.csv` and one roster
/// (`flag inputs/<name>`, e.g. `--civil`) into `out/<name>`.
pub fn run_roster(w: &Workdir, flag: &str, name: &str, quiet: bool) -> Output {
    let input = format!("inputs/{name}");
    let out = format!("out/{name}");
    let mut args = vec![
        "run",
        "--policy",
        "policies/ningxia-2026.toml",
        "--as-of",
        "2026-01-31",
        "--enrollment",
        "inputs/enrollment.csv",
        flag,
        &input,
        "--out",
        &out,
        // Each file is a trial of the same month (issue 13: a recorded month
        // is not replaced by other inputs).
        "--no-ledger",
    ];
    if quiet {
        args.push("--quiet");
    }
    w.run(&args)
}
