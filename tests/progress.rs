//! Progress bars appear on a terminal and nowhere else: a pseudo-terminal run
//! (util-linux `script`) shows them; a pipe or `--quiet` shows none.

mod common;

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
