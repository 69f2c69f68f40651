//! Progress bars appear on a terminal and nowhere else: a pseudo-terminal run
//! (util-linux `script`) shows them; a pipe or `--quiet` shows none.

use crate::common;

use common::Workdir;

fn sample_cmd(quiet: bool) -> String {
    let args: Vec<String> =
        common::sample_args("ningxia", if quiet { "out-quiet" } else { "out-tty" })
            .into_iter()
            .filter(|a| a != "--quiet")
            .collect();
    format!(
        "{} {}{}",
        common::BIN,
        args.join(" "),
        if quiet { " --quiet" } else { "" }
    )
}

fn in_pty(w: &Workdir, cmd: &str) -> String {
    let script = ["/usr/bin/script", "/bin/script"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .expect(
            "util-linux `script` is needed for the pseudo-terminal test (apt-get install bsdutils)",
        );
    let o = std::process::Command::new(script)
        .args(["-qec", cmd, "/dev/null"])
        .current_dir(w.dir.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).to_string()
}

#[test]
fn a_terminal_sees_progress_bars_for_reading_and_writing() {
    let w = Workdir::new();
    w.copy_sample("ningxia");
    let screen = in_pty(&w, &sample_cmd(false));
    assert!(screen.contains("读取 inputs/enrollment.csv"), "{screen}");
    // Issue 16: reading is one bar over the bytes of all inputs (the sample's
    // seven files), with percentage, rate and time left.
    let total: u64 = std::fs::read_dir(w.path("inputs"))
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    let total = format!("/{:.2} kB ", total as f64 / 1000.0);
    assert!(
        screen.contains(&total) && screen.contains("% ") && screen.contains("B/s 剩余 "),
        "reading counts bytes of all inputs ({total}): {screen}"
    );
    // The rules count partitions and never pass their total; writing counts
    // files and names the one being written.
    assert!(screen.contains("/1 个分区 partitions"), "{screen}");
    assert!(!screen.contains("2/1 个分区"), "{screen}");
    assert!(screen.contains("写出 refunds.csv"), "{screen}");
    assert!(screen.contains("/13 个文件 files"), "{screen}");
    assert!(
        !screen.contains("640104196804121025"),
        "no full ID on the terminal"
    );
}

#[test]
fn quiet_or_no_terminal_means_no_bars() {
    let w = Workdir::new();
    w.copy_sample("ningxia");
    let screen = in_pty(&w, &sample_cmd(true));
    assert!(!screen.contains("读取 inputs/"), "--quiet: {screen}");
    let args = common::sample_args("ningxia", "out-pipe");
    let args: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| *a != "--quiet")
        .collect();
    let o = w.run_expect(&args, 0);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !err.contains("读取 inputs/") && !err.contains('\u{1b}'),
        "not a TTY: {err}"
    );
    // Issue 16: the ending (what happened, where the results are) prints
    // without a terminal too; it replaced the per-report row lines.
    assert!(
        err.contains("—— 本月对账结果（对账日期 2026-01-31）——")
            && err.contains("看板：out-pipe/report.html"),
        "the plain ending still prints: {err}"
    );
}

/// What a terminal showed: escape sequences removed, each redraw (`\r`) a
/// line of its own.
fn screen_lines(raw: &str) -> Vec<String> {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ parameters, then one letter.
            if chars.peek() == Some(&'[') {
                chars.next();
                for d in chars.by_ref() {
                    if d.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
            continue;
        }
        out.push(if c == '\r' { '\n' } else { c });
    }
    out.lines()
        .map(|l| l.trim_end().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// The number after `prefix` in `line` (`剩余 3s` → 3, `已判定 12 人` → 12).
fn number_after(line: &str, prefix: &str) -> Option<u64> {
    let rest = &line[line.find(prefix)? + prefix.len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Issue 16 point 2 at three sizes (the sample, 20,000 and 200,000
/// generated persons — the last long enough for the reading bar to be drawn
/// part way with a rate in MB/s and the time left). No timing is asserted:
/// only what the bars say and that their units are true.
#[test]
fn bars_tell_progress_at_three_sizes() {
    let policy = common::repo().join("policies/ningxia-2026.toml");
    for persons in [0u64, 20_000, 200_000] {
        let w = Workdir::new();
        let dir = if persons == 0 {
            w.copy_sample("ningxia");
            "inputs".to_string()
        } else {
            let n = persons.to_string();
            let p = policy.to_str().unwrap();
            w.run_expect(
                &[
                    "generate",
                    "--persons",
                    &n,
                    "--seed",
                    "16",
                    "--policy",
                    p,
                    "--out",
                    "data",
                    "--quiet",
                ],
                0,
            );
            "data".to_string()
        };
        let kinds = common::KINDS;
        let inputs: String = kinds
            .iter()
            .map(|k| format!(" --{k} {dir}/{k}.csv"))
            .collect();
        let cmd = format!(
            "{} run --policy {} --as-of 2026-01-31{inputs} --out out --no-ledger",
            common::BIN,
            policy.display()
        );
        let lines = screen_lines(&in_pty(&w, &cmd));
        let total: u64 = kinds
            .iter()
            .map(|k| {
                std::fs::metadata(w.path(&format!("{dir}/{k}.csv")))
                    .unwrap()
                    .len()
            })
            .sum();
        let size = format!("{persons} persons");
        // Reading: one bar over the bytes of all inputs, with the total,
        // a percentage, a rate and the time left.
        let reading: Vec<&String> = lines.iter().filter(|l| l.starts_with("读取 ")).collect();
        assert!(
            !reading.is_empty(),
            "{size}: no reading bar:\n{}",
            lines.join("\n")
        );
        let unit = if total >= 1_000_000 { "MB" } else { "kB" };
        let divisor = if total >= 1_000_000 { 1e6 } else { 1e3 };
        let total_shown = format!("/{:.2} {unit} ", total as f64 / divisor);
        for l in &reading {
            assert!(
                l.contains(&total_shown) && l.contains("% ") && l.contains("B/s 剩余 "),
                "{size}: reading bar `{l}` (total {total_shown})"
            );
            assert!(
                number_after(l, "剩余 ").is_some(),
                "{size}: no time left in `{l}`"
            );
        }
        if persons >= 200_000 {
            let midway = reading.iter().find(|l| {
                let pct = l.split("] ").nth(1).and_then(|r| number_after(r, ""));
                pct.is_some_and(|p| (1..100).contains(&p)) && l.contains(" MB/s 剩余 ")
            });
            assert!(
                midway.is_some(),
                "{size}: the reading bar was never drawn part way with MB/s and time left:\n{}",
                reading
                    .iter()
                    .map(|l| l.as_str())
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
        // Judging: counts persons in its label, moves by partitions, never
        // past their number.
        let judging: Vec<&String> = lines
            .iter()
            .filter(|l| l.starts_with("校验对账 "))
            .collect();
        assert!(!judging.is_empty(), "{size}: no judging bar");
        for l in &judging {
            assert!(
                l.contains(" 人 persons judged") && l.contains(" 个分区 partitions"),
                "{size}: `{l}`"
            );
            assert!(
                !l.contains(" 行"),
                "{size}: judging counts persons, not rows: `{l}`"
            );
            let (pos, len) = l
                .split("] ")
                .nth(1)
                .and_then(|r| r.split_once('/'))
                .map(|(a, b)| (a.parse::<u64>().unwrap(), number_after(b, "").unwrap()))
                .unwrap();
            assert!(pos <= len, "{size}: `{l}` passes its total");
        }
        if persons >= 200_000 {
            assert!(
                judging
                    .iter()
                    .any(|l| number_after(l, "已判定 ").is_some_and(|n| n > 0)),
                "{size}: the judging bar never showed a person judged:\n{}",
                judging
                    .iter()
                    .map(|l| l.as_str())
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
        // Writing: counts files and names the one being written.
        let writing: Vec<&String> = lines.iter().filter(|l| l.starts_with("写出 ")).collect();
        assert!(
            writing.iter().any(|l| l.starts_with("写出 refunds.csv ")),
            "{size}: the writing bar names no file"
        );
        assert!(
            writing.iter().all(|l| l.contains(" 个文件 files ")),
            "{size}: {writing:?}"
        );
    }
}
