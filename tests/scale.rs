//! Determinism at scale: on generated data (not the hand-made sample), one
//! thread and several threads give byte-identical outputs, and so do one
//! partition held in memory and many partitions spilled to disk.

use crate::common;

use common::{repo, Workdir};

/// A work directory with `persons` persons generated into `data/` (seed
/// `seed`, the Ningxia policy), and that policy's path.
fn generated(persons: &str, seed: &str) -> (Workdir, String) {
    let w = Workdir::new();
    let policy = repo().join("policies/ningxia-2026.toml");
    let policy = policy.to_str().unwrap().to_string();
    w.run_expect(
        &[
            "generate",
            "--persons",
            persons,
            "--seed",
            seed,
            "--policy",
            &policy,
            "--out",
            "data",
            "--quiet",
        ],
        0,
    );
    (w, policy)
}

/// Runs the tool in `w` with `args` and the environment `env`; the run
/// must succeed.
fn run_ok(w: &Workdir, args: &[String], env: &[(&str, &str)]) {
    let o = std::process::Command::new(common::BIN)
        .args(args)
        .current_dir(w.dir.path())
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// summary.json of the run under `out` without what may differ between
/// equal runs (timings, generated_at, the ledger's path).
fn summary_sans_timings(w: &Workdir, out: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(w.path(out).join("summary.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let o = v.as_object_mut().unwrap();
    o.remove("timings_ms");
    o.remove("generated_at");
    o.remove("ledger");
    v
}

/// The files a run wrote under `out` that must be byte-identical between
/// runs: all but summary.json (it holds timings).
fn compared_files(w: &Workdir, out: &str) -> Vec<String> {
    common::files_under(&w.path(out))
        .into_iter()
        .filter(|n| n != "summary.json")
        .collect()
}

#[test]
fn generated_data_gives_identical_bytes_with_any_threads_and_partitions() {
    let (w, policy) = generated("20000", "11");
    let policy = policy.as_str();
    // (output, threads, partitions): "spilled" sends every partition through
    // a temporary file (each holds far more than one flush of rows); "held"
    // keeps them in memory (a budget they fit), "mixed" holds the first
    // blocks and spills the rest (issue 15).
    let runs = [
        ("one", "1", "1"),
        ("many", "4", "1"),
        ("spilled", "2", "3"),
        ("held", "2", "3"),
        ("mixed", "1", "3"),
    ];
    for (out, threads, parts) in runs {
        let mut args = generated_run_args(policy, out, parts);
        match out {
            // Issue 15: no memory budget, so every full block goes to a file.
            "spilled" => args.extend(["--memory".into(), "0".into()]),
            "held" => args.extend(["--memory".into(), "1G".into()]),
            "mixed" => args.extend(["--memory".into(), "3M".into()]),
            _ => {}
        }
        run_ok(&w, &args, &[("RAYON_NUM_THREADS", threads)]);
    }
    let names = compared_files(&w, "one");
    assert!(names.len() >= 12, "{names:?}");
    for n in &names {
        let a = std::fs::read(w.path("one").join(n)).unwrap();
        let b = std::fs::read(w.path("many").join(n)).unwrap();
        assert!(a == b, "{n} differs between 1 and 4 threads");
        let c = std::fs::read(w.path("spilled").join(n)).unwrap();
        assert!(a == c, "{n} differs between 1 partition and 3 spilled ones");
        for other in ["held", "mixed"] {
            let d = std::fs::read(w.path(other).join(n)).unwrap();
            assert!(a == d, "{n} differs between 1 partition and 3 {other} ones");
        }
    }
    // The partitions' temporary files (personal data) are gone: the work
    // directory holds the inputs, the outputs and their ledgers only.
    let mut left: Vec<String> = std::fs::read_dir(w.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [
            "data",
            "held",
            "held.sqlite",
            "many",
            "many.sqlite",
            "mixed",
            "mixed.sqlite",
            "one",
            "one.sqlite",
            "spilled",
            "spilled.sqlite"
        ],
        "nothing else is left beside the outputs"
    );
    // Counts and headline figures agree too (only timings differ).
    let summary = |out: &str| summary_sans_timings(&w, out);
    assert_eq!(summary("one"), summary("spilled"));
    assert_eq!(summary("one"), summary("held"));
    assert_eq!(summary("one"), summary("mixed"));
    // The lists are not trivially empty on generated data.
    let refunds = common::read_csv(&w.path("one/refunds.csv"));
    assert!(refunds.len() > 50, "{} refunds", refunds.len());
}

/// `explain` validates only the asked person's partition: with the rows
/// spread over several spilled partitions, every person's file and verdicts
/// are the same as when everything is read.
#[test]
fn one_persons_partition_gives_the_same_verdicts_as_the_whole() {
    use yibao_recon::domain::SourceKind;
    use yibao_recon::ingest::{ingest_all, ingest_for, schema::Schemas, InputSpec, ParseCtx, Want};
    use yibao_recon::rules::{judge_one, RunDates};

    let (w, policy_path) = generated("3000", "5");
    let schemas = Schemas::embedded().unwrap();
    let policy =
        yibao_recon::policy::Policy::load(std::path::Path::new(&policy_path), &schemas.vocab)
            .unwrap();
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
    let ctx = ParseCtx {
        vocab: &policy.vocab,
        as_of,
        region_prefix: Some(&policy.region_prefix),
        policy_year: Some(policy.year),
        policy: Some(&policy),
    };
    let inputs: Vec<InputSpec> = [
        (SourceKind::Enrollment, "enrollment"),
        (SourceKind::Persons, "persons"),
        (SourceKind::Civil, "civil"),
        (SourceKind::Agri, "agri"),
        (SourceKind::Disability, "disability"),
        (SourceKind::Veterans, "veterans"),
        (SourceKind::Elsewhere, "elsewhere"),
    ]
    .into_iter()
    .map(|(kind, name)| InputSpec {
        kind,
        path: w.path(&format!("data/{name}.csv")),
        display: format!("{name}.csv"),
    })
    .collect();
    let hidden = yibao_recon::progress::Progress::hidden();
    let dates = RunDates {
        t: as_of,
        year: policy.year,
    };
    let mut whole = ingest_all(&inputs, &schemas, ctx, &hidden).unwrap();
    let mut ids: Vec<_> = whole.identities.iter().map(|i| i.person.clone()).collect();
    ids.extend(whole.enrollment.iter().take(40).map(|r| r.person.clone()));
    ids.sort();
    ids.dedup();
    let spread = yibao_recon::ingest::SpillOpts {
        partitions: Some(7),
        dir: w.dir.path().to_path_buf(),
        memory: Some(0),
    };
    let mut checked = 0;
    for id in ids.iter().step_by(ids.len() / 30 + 1) {
        let want = judge_one(&policy, dates, &mut whole, id)
            .map(|(p, v)| format!("{:?} {v:?}", p.enrollment));
        let mut part =
            ingest_for(&inputs, &schemas, ctx, &spread, &hidden, Want::Person(id)).unwrap();
        let got = judge_one(&policy, dates, &mut part, id)
            .map(|(p, v)| format!("{:?} {v:?}", p.enrollment));
        assert_eq!(got, want, "{id}");
        assert!(
            part.enrollment.len() < whole.enrollment.len() / 3,
            "only one partition was read"
        );
        checked += 1;
    }
    assert!(checked >= 20, "{checked} persons checked");
}

/// Issue 15: a UTF-8 or GB18030 CSV is read in byte ranges on every core.
/// With ranges of 64 KiB the generated inputs (the civil roster in GBK with
/// CRLF line ends) are cut into many, and every output is byte-identical
/// to reading each file in one piece (`0`: the serial way), whatever the
/// threads and partitions.
#[test]
fn byte_ranges_give_the_bytes_of_serial_reading() {
    let (w, policy) = generated("20000", "12");
    let policy = policy.as_str();
    let enrollment = std::fs::metadata(w.path("data/enrollment.csv"))
        .unwrap()
        .len();
    assert!(enrollment > 20 * 65_536, "{enrollment} bytes: many ranges");
    let civil = std::fs::read(w.path("data/civil.csv")).unwrap();
    assert!(
        civil.len() > 65_536,
        "{} bytes: several ranges",
        civil.len()
    );
    assert!(
        std::str::from_utf8(&civil).is_err(),
        "the civil roster is GBK"
    );
    // (output, range bytes, threads, partitions)
    let runs = [
        ("serial", "0", "2", "3"),
        ("r1", "65536", "1", "3"),
        ("r2", "65536", "2", "1"),
        ("r8", "65536", "8", "5"),
        ("r2big", "1000000", "2", "3"),
    ];
    for (out, range, threads, parts) in runs {
        let mut args = generated_run_args(policy, out, parts);
        args.extend(["--memory".to_string(), "0".to_string()]);
        let env = [
            ("RAYON_NUM_THREADS", threads),
            ("YIBAO_READ_RANGE_BYTES", range),
        ];
        run_ok(&w, &args, &env);
    }
    let names = compared_files(&w, "serial");
    assert!(names.len() >= 12, "{names:?}");
    let summary = |out: &str| summary_sans_timings(&w, out);
    for (out, ..) in &runs[1..] {
        for n in &names {
            let a = std::fs::read(w.path("serial").join(n)).unwrap();
            let b = std::fs::read(w.path(out).join(n)).unwrap();
            assert!(a == b, "{n} differs between serial reading and {out}");
        }
        assert_eq!(summary("serial"), summary(out), "{out}");
    }
}

/// `run` on the seven generated inputs under `data/`, into `out` with its own
/// ledger `out.sqlite`, in `parts` partitions.
fn generated_run_args(policy: &str, out: &str, parts: &str) -> Vec<String> {
    let mut args: Vec<String> = ["run", "--policy", policy, "--as-of", "2026-01-31"]
        .iter()
        .map(|a| a.to_string())
        .collect();
    args.extend(["--out".into(), out.into(), "--quiet".into()]);
    for k in common::KINDS {
        args.extend([format!("--{k}"), format!("data/{k}.csv")]);
    }
    args.extend([
        "--ledger".into(),
        format!("{out}.sqlite"),
        "--partitions".into(),
        parts.into(),
    ]);
    args
}
