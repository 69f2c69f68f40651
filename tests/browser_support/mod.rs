//! Headless Chromium for the dashboard tests (`tests/dashboard.rs`,
//! `tests/dashboard_sizes.rs`): Debian's `/usr/bin/chromium` (`make
//! test-deps`) with a fresh profile per call, its console logged to stderr so
//! that any message of the page fails the test, and a canary page proving
//! that channel works with the installed build.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";

pub fn chromium() -> &'static str {
    assert!(
        Path::new(CHROMIUM).is_file(),
        "{CHROMIUM} is missing: the dashboard test needs Debian's headless Chromium. \
         Run `make test-deps` (apt-get install chromium fonts-noto-cjk), then rerun the tests."
    );
    CHROMIUM
}

pub struct Browser {
    pub stdout: String,
    pub stderr: String,
}

/// Runs headless Chromium on `url` with a fresh profile, logging to stderr.
pub fn browse(work: &Path, tag: &str, extra: &[String], url: &str) -> Browser {
    let profile = work.join(format!("chromium-profile-{tag}"));
    std::fs::create_dir_all(&profile).unwrap();
    let out_path = work.join(format!("chromium-{tag}.stdout"));
    let err_path = work.join(format!("chromium-{tag}.stderr"));
    let mut args: Vec<String> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--enable-logging=stderr",
        "--v=0",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    args.extend(extra.iter().cloned());
    args.push(url.to_string());
    let mut child = Command::new(chromium())
        .args(&args)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("start chromium");
    let deadline = Instant::now() + Duration::from_secs(180);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "chromium {tag} did not finish in 180 s; stderr:\n{}",
                std::fs::read_to_string(&err_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let b = Browser {
        stdout: std::fs::read_to_string(&out_path).unwrap_or_default(),
        stderr: std::fs::read_to_string(&err_path).unwrap_or_default(),
    };
    assert!(
        status.success(),
        "chromium {tag} failed ({status}); args {args:?}\nstderr:\n{}",
        b.stderr
    );
    b
}

/// The lines of Chromium's stderr that report a console message of the page.
pub fn console_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
        .collect()
}

pub fn file_url(p: &Path) -> String {
    format!("file://{}", p.canonicalize().unwrap().display())
}

/// Proves the console channel works with this Chromium: a page with a
/// deliberate console.error and an uncaught exception must be caught.
pub fn canary(work: &Path) {
    let page = work.join("canary.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><p>canary</p>\
         <script>console.error(\"canary-console-error\"); canary_undefined_function();</script></body></html>",
    )
    .unwrap();
    let b = browse(work, "canary", &["--dump-dom".into()], &file_url(&page));
    let lines = console_lines(&b.stderr);
    assert!(
        lines.iter().any(|l| l.contains("canary-console-error"))
            && lines
                .iter()
                .any(|l| l.contains("Uncaught") && l.contains("canary_undefined_function")),
        "the console check is blind: Chromium did not log the canary page's console error \
         and uncaught exception to stderr with --enable-logging=stderr --v=0.\nstderr:\n{}",
        b.stderr
    );
}
