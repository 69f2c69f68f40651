//! `make verify` at a small size: for both seed policies and three as-of
//! dates, generate a province with planted shapes, run the tool and check
//! every planted person against the answer key; and the checker itself
//! catches a planted person on a list the key does not name for them.

use crate::common;

use common::{repo, Workdir};

const DATES: [&str; 3] = ["2025-12-31", "2026-01-31", "2026-07-31"];

/// Generates `persons` with planted shapes into `d/data` and runs the tool
/// into `d/out`.
fn generate_and_run(w: &Workdir, region: &str, as_of: &str, d: &str) {
    let policy = repo().join(format!("policies/{region}-2026.toml"));
    let policy = policy.to_str().unwrap();
    let data = format!("{d}/data");
    w.run_expect(
        &[
            "generate",
            "--persons",
            "1500",
            "--seed",
            "12",
            "--plant",
            "--plant-share",
            "0.6",
            "--policy",
            policy,
            "--as-of",
            as_of,
            "--out",
            &data,
            "--quiet",
        ],
        0,
    );
    let mut args: Vec<String> = ["run", "--policy", policy, "--as-of", as_of]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for kind in common::KINDS {
        args.push(format!("--{kind}"));
        args.push(format!("{data}/{kind}.csv"));
    }
    for a in ["--header-lang", "en", "--quiet", "--ledger"] {
        args.push(a.into());
    }
    args.push(format!("{d}/ledger.sqlite"));
    args.push("--out".into());
    args.push(format!("{d}/out"));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    w.run_expect(&refs, 0);
}

fn verify(w: &Workdir, d: &str, code: i32) -> String {
    let answers = format!("{d}/data/answers.csv");
    let out = format!("{d}/out");
    let o = w.run_expect(&["verify", "--answers", &answers, "--out", &out], code);
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn every_planted_answer_holds_for_both_policies_and_three_dates() {
    let w = Workdir::new();
    for region in ["ningxia", "hulunbuir"] {
        for as_of in DATES {
            let d = format!("{region}-{as_of}");
            generate_and_run(&w, region, as_of, &d);
            let table = verify(&w, &d, 0);
            let total = table.lines().find(|l| l.starts_with("total")).unwrap();
            let tally = total.split_whitespace().nth(1).unwrap();
            let (ok, all) = tally.split_once('/').unwrap();
            assert_eq!(ok, all, "{region} {as_of}:\n{table}");
            // Most shapes apply at every date (49 inside the period, 61 after it).
            let shapes = table.lines().filter(|l| l.contains('/')).count() - 1;
            assert!(shapes >= 45, "{region} {as_of}: {shapes} shapes\n{table}");
        }
    }
}

#[test]
fn a_planted_person_on_a_list_the_key_does_not_name_is_a_mismatch() {
    let w = Workdir::new();
    let d = "nx";
    generate_and_run(&w, "ningxia", "2026-01-31", d);
    // Drop the key's DUPLICATE refund of one planted person: the run still
    // lists it, so the checker must report a row the key says is not there.
    let key = w.read(&format!("{d}/data/answers.csv"));
    let victim = key
        .lines()
        .find(|l| l.starts_with("r3_duplicate_two_counties,") && l.contains("refunds.csv"))
        .expect("a planted duplicate")
        .to_string();
    let id = victim.split(',').nth(1).unwrap().to_string();
    let edited: String = key
        .lines()
        .filter(|l| *l != victim)
        .map(|l| format!("{l}\n"))
        .collect();
    w.write(&format!("{d}/data/answers.csv"), edited);
    let table = verify(&w, d, 1);
    let line = table
        .lines()
        .find(|l| l.starts_with("MISMATCH r3_duplicate_two_counties"))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(
        line.contains(&format!("{id} refunds.csv: expected [] got [")),
        "{line}"
    );
    // …and a key row the lists do not hold is a mismatch too.
    let key = w.read(&format!("{d}/data/answers.csv"));
    let planted = key
        .lines()
        .find(|l| l.starts_with("r1_ordinary_payer_nowhere,"))
        .unwrap();
    let other = planted.split(',').nth(1).unwrap();
    w.write(
        &format!("{d}/data/answers.csv"),
        format!(
            "{key}r1_ordinary_payer_nowhere,{other},R5,missing_enrollment.csv,due_amount=400.00\n"
        ),
    );
    let table = verify(&w, d, 1);
    assert!(
        table.contains(&format!(
            "{other} missing_enrollment.csv: expected [due_amount=400.00] got []"
        )),
        "{table}"
    );
}
