//! The smaller commands: check-policy and validate, and exit codes.

use crate::common;

use common::{repo, Workdir};

#[test]
fn check_policy_prints_the_tier_table_for_both_seeds() {
    let w = Workdir::new();
    let nx = repo().join("policies/ningxia-2026.toml");
    let o = w.run_expect(&["check-policy", nx.to_str().unwrap()], 0);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("nx-80"), "{text}");
    assert!(text.contains("dibao 低保对象"), "{text}");
    assert!(text.contains("2026-07-01 … 2026-12-31: 1100.00"), "{text}");
    let hl = repo().join("policies/hulunbuir-2026.toml");
    let o = w.run_expect(&["check-policy", hl.to_str().unwrap()], 0);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("残联 100.00 + 医疗救助基金 100.00"), "{text}");
}

/// Issue 15: the binary ends with `_exit` (skipping the C library's exit
/// handlers, where the allocator cleaned up), after flushing standard output:
/// what a command prints still reaches a pipe whole, to the last byte.
#[test]
fn printed_output_reaches_a_pipe_whole() {
    let w = Workdir::new();
    for seed in ["policies/ningxia-2026.toml", "policies/hulunbuir-2026.toml"] {
        let path = repo().join(seed);
        let o = w.run_expect(&["check-policy", path.to_str().unwrap()], 0);
        let schemas = yibao_recon::pipeline::load_schemas(None).unwrap();
        let policy = yibao_recon::policy::Policy::load(&path, &schemas.vocab).unwrap();
        let expected = yibao_recon::policy::table::render(&policy);
        assert_eq!(String::from_utf8_lossy(&o.stdout), expected, "{seed}");
    }
}

#[test]
fn check_policy_names_the_bad_key() {
    let w = Workdir::new();
    let text = std::fs::read_to_string(repo().join("policies/ningxia-2026.toml")).unwrap();
    w.write(
        "bad.toml",
        text.replace(
            "[newborn]\nwindow_days = 183",
            "[newborn]\nwindow_days = 183\nwindow_dayz = 1",
        ),
    );
    let o = w.run_expect(&["check-policy", "bad.toml"], 1);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("bad.toml") && err.contains("newborn.window_dayz"),
        "{err}"
    );
    // Issue 16: check-policy does not tell the user to run check-policy.
    assert!(!err.contains("check-policy"), "{err}");
    let o = w.run_expect(&["check-policy", "bad.toml", "--lang", "en"], 1);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("policy key `newborn.window_dayz`"), "{err}");
    assert!(!err.contains("check-policy"), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    let w = Workdir::new();
    w.run_expect(&["run", "--policy", "x.toml"], 2);
    w.run_expect(&["validate", "--kind", "nonsense", "x.csv"], 2);
    w.run_expect(&["frobnicate"], 2);
}

#[test]
fn validate_counts_one_export_without_a_policy() {
    let w = Workdir::new();
    w.copy_sample("ningxia");
    let o = w.run_expect(
        &[
            "validate",
            "--kind",
            "civil",
            "inputs/civil.csv",
            "--as-of",
            "2026-01-31",
            "--rejects",
            "civil-rejects.csv",
        ],
        0,
    );
    let text = String::from_utf8_lossy(&o.stdout);
    // No policy: the out-of-region row is not rejected here.
    assert!(
        text.contains("读取 25 行：接受 20，拒收 4，合并完全相同的重复行 1"),
        "{text}"
    );
    assert!(text.contains("编码：UTF-8-BOM"), "{text}");
    let rows = common::read_csv(&w.path("civil-rejects.csv"));
    assert_eq!(rows.len(), 4);
    assert_eq!(
        rows[0]["身份证号(原文)"], "640104198202023121",
        "the rejects file keeps the ID a clerk needs"
    );
}

#[test]
fn a_missing_policy_file_is_a_clear_error() {
    let w = Workdir::new();
    w.copy_sample("ningxia");
    let o = w.run_expect(
        &[
            "run",
            "--policy",
            "nope.toml",
            "--as-of",
            "2026-01-31",
            "--enrollment",
            "inputs/enrollment.csv",
            "--out",
            "out",
        ],
        1,
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("nope.toml"));
    assert!(!w.path("out").exists());
}

#[test]
fn job_file_runs_with_paths_relative_to_the_job() {
    let w = Workdir::new();
    w.copy_sample("ningxia");
    w.write(
        "jobs/month.toml",
        "policy = \"../policies/ningxia-2026.toml\"\nas_of = 2026-01-31\nout = \"../reports/2026-01\"\nquiet = true\n\n[inputs]\nenrollment = [\"../inputs/enrollment.csv\"]\ncivil = [\"../inputs/civil.csv\"]\n",
    );
    // Run from another directory: the job's paths still resolve.
    let o = std::process::Command::new(common::BIN)
        .args(["run", "--job", w.path("jobs/month.toml").to_str().unwrap()])
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let refunds = common::read_csv(&w.path("reports/2026-01/refunds.csv"));
    assert!(refunds
        .iter()
        .any(|r| r["身份证号"] == "640104196804121025" && r["退费金额"] == "320.00"));
    w.write(
        "jobs/bad.toml",
        "policy = \"p.toml\"\nas_of = 2026-01-31\nout = \"o\"\ninputz = 1\n",
    );
    let o = w.run_expect(&["run", "--job", "jobs/bad.toml"], 2);
    assert!(String::from_utf8_lossy(&o.stderr).contains("inputz"));
}

#[test]
fn explain_shows_identities_tier_and_verdicts() {
    let w = Workdir::new();
    w.copy_sample("ningxia");
    let args = [
        "explain",
        "--id",
        "640105195909232110",
        "--policy",
        "policies/ningxia-2026.toml",
        "--as-of",
        "2026-01-31",
        "--enrollment",
        "inputs/enrollment.csv",
        "--civil",
        "inputs/civil.csv",
        "--disability",
        "inputs/disability.csv",
    ];
    let o = w.run_expect(&args, 0);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("inputs/disability.csv:2  disabled_g2 二级残疾  2024-03-01"),
        "{text}"
    );
    assert!(
        text.contains("inputs/civil.csv:3  dibao 低保对象  2025-12-01"),
        "{text}"
    );
    assert!(
        text.contains("disabled_g2 二级残疾 属 nx-0 档，个人缴费 0.00，是对账日有效身份中最低的"),
        "{text}"
    );
    assert!(
        text.contains("HARDSHIP_DIFF 困难身份差额退费 payable：退 400.00"),
        "{text}"
    );
    assert!(text.contains("医疗救助基金 400.00 settled"), "{text}");
    assert!(
        text.starts_with("640105********2110"),
        "the header masks the ID: {text}"
    );
    // Issue 16: empty verdicts are Chinese by default, English on request.
    assert!(text.contains("R4 重新核定：\n  无\n"), "{text}");
    assert!(text.contains("R5 应参未参：\n  不在名单上\n"), "{text}");
    assert!(
        !text.contains("  none") && !text.contains("not listed"),
        "{text}"
    );
    let mut en = args.to_vec();
    en.extend(["--lang", "en"]);
    let text = String::from_utf8_lossy(&w.run_expect(&en, 0).stdout).to_string();
    assert!(text.contains("R4 re-rating:\n  none\n"), "{text}");
    assert!(
        text.contains("disabled_g2 `二级残疾` in tier nx-0 — personal 0.00"),
        "{text}"
    );
    assert!(text.contains("HARDSHIP_DIFF payable: 400.00"), "{text}");
    assert!(
        text.contains("R5 missing enrollment:\n  not listed\n"),
        "{text}"
    );
}

#[test]
fn explain_names_the_tie_rule_and_rejected_rows() {
    let w = Workdir::new();
    w.copy_sample("hulunbuir");
    let o = w.run_expect(
        &[
            "explain",
            "--id",
            "152101196206211131",
            "--policy",
            "policies/hulunbuir-2026.toml",
            "--as-of",
            "2026-01-31",
            "--enrollment",
            "inputs/enrollment.csv",
            "--civil",
            "inputs/civil.csv",
            "--disability",
            "inputs/disability.csv",
        ],
        0,
    );
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("；与 disabled_g1 并列，按政策的档次顺序取"),
        "{text}"
    );
    let o = w.run_expect(
        &[
            "explain",
            "--id",
            "150702198303033011",
            "--policy",
            "policies/hulunbuir-2026.toml",
            "--as-of",
            "2026-01-31",
            "--enrollment",
            "inputs/enrollment.csv",
            "--civil",
            "inputs/civil.csv",
        ],
        0,
    );
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("OUT_OF_REGION"), "{text}");
}

#[test]
fn lang_switches_messages_between_chinese_and_english() {
    let w = Workdir::new();
    w.copy_sample("ningxia");
    let mut zh = common::sample_args("ningxia", "zh");
    let mut en = common::sample_args("ningxia", "en");
    en.extend(["--lang".to_string(), "en".to_string()]);
    for args in [&mut zh, &mut en] {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        w.run_expect(&refs, 0);
    }
    let msg = |dir: &str, reason: &str| {
        common::read_csv(&w.path(&format!("{dir}/rejects.csv")))
            .into_iter()
            .find(|r| r["拒收原因"] == reason)
            .map(|r| r["说明"].clone())
            .unwrap()
    };
    assert!(
        msg("zh", "BAD_AMOUNT").starts_with("不是以元为单位的金额"),
        "{}",
        msg("zh", "BAD_AMOUNT")
    );
    assert!(
        msg("zh", "BAD_AMOUNT").contains("例：400"),
        "an example of a good value"
    );
    assert!(
        msg("en", "BAD_AMOUNT").starts_with("not an amount in yuan"),
        "{}",
        msg("en", "BAD_AMOUNT")
    );
    // Run errors follow --lang too.
    let o = w.run_expect(&["check-policy", "nope.toml"], 1);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("nope.toml 不存在"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = w.run_expect(&["check-policy", "nope.toml", "--lang", "en"], 1);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("nope.toml: no such file"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn every_command_help_shows_a_working_example() {
    let w = Workdir::new();
    for cmd in ["run", "explain", "check-policy", "validate"] {
        let o = w.run_expect(&[cmd, "--help"], 0);
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(
            text.contains("示例："),
            "{cmd} --help has no example:\n{text}"
        );
        assert!(
            text.contains(&format!("yibao-recon {cmd} ")),
            "{cmd} --help example does not run {cmd}:\n{text}"
        );
    }
}
