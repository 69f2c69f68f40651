//! The user guides cannot go stale: every `yibao-recon …` line in a ```sh block
//! of `docs/guide.zh.md` and `docs/guide.en.md` is run, in order, with the test
//! binary, in a temporary copy of the repository's `sample_data/`, `policies/`
//! and `jobs/` (laid out as in the repository, so the guide's relative paths
//! work). Each must exit 0, except a line whose comment says `预期失败` or
//! `expected to fail`, which must exit non-zero — with the code the comment
//! names, if it names one (`退出码 2`, `exit 2`). `\` continuations are joined;
//! an absolute `--out` / `--rejects` is moved into the temporary directory;
//! other lines (`make …`) are skipped. The Chinese guide's report sections are
//! also checked against the real outputs: every column header a run writes is
//! explained in its report's section, and every `标签 (key)` pair agrees with
//! `schemas/reports.toml`.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{read_csv, repo, BIN};

/// One command line of a guide.
#[derive(Debug)]
struct GuideCommand {
    /// Line of the guide where the command starts (1-based).
    line: usize,
    text: String,
    words: Vec<String>,
    expect_fail: bool,
    /// The exit code the comment names (`退出码 2`, `exit 2`), if any.
    expect_code: Option<i32>,
}

/// `预期失败（退出码 2）` / `expected to fail (exit 2)` → Some(2).
fn named_exit_code(comment: &str) -> Option<i32> {
    ["退出码", "exit"].iter().find_map(|word| {
        let rest = comment.split_once(word)?.1.trim_start();
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    })
}

/// The logical lines of every ```sh block, continuations joined.
fn sh_lines(md: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut in_sh = false;
    let mut in_other = false;
    let mut pending: Option<(usize, String)> = None;
    for (i, raw) in md.lines().enumerate() {
        let t = raw.trim();
        if let Some(lang) = t.strip_prefix("```") {
            if in_sh || in_other {
                assert!(
                    pending.is_none(),
                    "line {}: a ```sh block ends in a `\\` continuation",
                    i + 1
                );
                in_sh = false;
                in_other = false;
            } else if lang.trim() == "sh" {
                in_sh = true;
            } else {
                in_other = true;
            }
            continue;
        }
        if !in_sh {
            continue;
        }
        let (start, mut acc) = pending.take().unwrap_or((i + 1, String::new()));
        match t.strip_suffix('\\') {
            Some(head) => {
                acc.push_str(head.trim_end());
                acc.push(' ');
                pending = Some((start, acc));
            }
            None => {
                acc.push_str(t);
                out.push((start, acc));
            }
        }
    }
    assert!(!in_sh, "an unterminated ```sh block");
    out
}

/// Splits a shell line into words and its trailing comment. Quotes are
/// honoured; shell syntax the test cannot reproduce (pipes, redirections,
/// variables, `;`, `&`) is an error, so the guide stays plain commands.
fn split_words(line: &str) -> Result<(Vec<String>, String), String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                in_word = true;
                let mut closed = false;
                for d in chars.by_ref() {
                    if d == c {
                        closed = true;
                        break;
                    }
                    cur.push(d);
                }
                if !closed {
                    return Err(format!("unterminated quote {c}"));
                }
            }
            '#' if !in_word => {
                let comment: String = chars.collect();
                return Ok((words, comment.trim().to_string()));
            }
            '|' | '>' | '<' | ';' | '&' | '$' | '`' | '*' | '?' => {
                return Err(format!("shell syntax `{c}` the guide test cannot run"));
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok((words, String::new()))
}

/// Every `yibao-recon` command of a guide, in order.
fn commands(guide: &str, md: &str) -> Vec<GuideCommand> {
    let mut out = Vec::new();
    for (line, text) in sh_lines(md) {
        let (words, comment) =
            split_words(&text).unwrap_or_else(|e| panic!("{guide}:{line}: {e}\n  {text}"));
        match words.first().map(String::as_str) {
            None => continue,
            Some("yibao-recon") => out.push(GuideCommand {
                line,
                text: text.clone(),
                words: words[1..].to_vec(),
                expect_fail: comment.contains("预期失败") || comment.contains("expected to fail"),
                expect_code: named_exit_code(&comment),
            }),
            Some(other) => eprintln!("{guide}:{line}: skipped (`{other}` is not yibao-recon)"),
        }
    }
    out
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for e in std::fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        let to = dst.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to);
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
}

/// A temporary copy of the repository parts the guide's commands read.
fn sandbox() -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("yibao-guide-")
        .tempdir()
        .unwrap();
    for d in ["sample_data", "policies", "jobs"] {
        copy_dir(&repo().join(d), &dir.path().join(d));
    }
    dir
}

/// Output paths stay inside the sandbox: an absolute `--out` or `--rejects`
/// is moved under `<sandbox>/abs/`.
fn confine(words: &[String], root: &Path) -> Vec<String> {
    let mut out = Vec::with_capacity(words.len());
    let mut take_next = false;
    let move_in = |p: &str| -> String {
        let path = Path::new(p);
        if path.is_absolute() {
            let rel: PathBuf = path.components().skip(1).collect();
            root.join("abs").join(rel).display().to_string()
        } else {
            p.to_string()
        }
    };
    for w in words {
        if take_next {
            out.push(move_in(w));
            take_next = false;
            continue;
        }
        if w == "--out" || w == "--rejects" {
            take_next = true;
            out.push(w.clone());
        } else if let Some((flag, value)) = w
            .split_once('=')
            .filter(|(f, _)| *f == "--out" || *f == "--rejects")
        {
            out.push(format!("{flag}={}", move_in(value)));
        } else {
            out.push(w.clone());
        }
    }
    if let Some(parent) = out
        .iter()
        .skip_while(|w| *w != "--rejects")
        .nth(1)
        .and_then(|p| Path::new(p).parent().map(Path::to_path_buf))
    {
        std::fs::create_dir_all(root.join(parent)).unwrap();
    }
    out
}

/// Runs every command of one guide; returns the sandbox for further checks.
fn run_guide(rel: &str, min_commands: usize) -> tempfile::TempDir {
    let md = std::fs::read_to_string(repo().join(rel)).unwrap();
    let cmds = commands(rel, &md);
    assert!(
        cmds.len() >= min_commands,
        "{rel}: only {} yibao-recon commands found in ```sh blocks",
        cmds.len()
    );
    let dir = sandbox();
    let mut failures = Vec::new();
    for c in &cmds {
        let args = confine(&c.words, dir.path());
        let o = Command::new(BIN)
            .args(&args)
            .current_dir(dir.path())
            .output()
            .expect("run yibao-recon");
        let ok = if let Some(want) = c.expect_code {
            o.status.code() == Some(want)
        } else if c.expect_fail {
            o.status.code().is_some_and(|code| code != 0)
        } else {
            o.status.code() == Some(0)
        };
        eprintln!(
            "{rel}:{} exit {:?}{} {}",
            c.line,
            o.status.code(),
            if c.expect_fail {
                " (expected to fail)"
            } else {
                ""
            },
            c.text
        );
        if !ok {
            failures.push(format!(
                "{rel}:{}: `{}`\n  expected {}, got {:?}\n  stdout:\n{}\n  stderr:\n{}",
                c.line,
                c.text,
                match (c.expect_code, c.expect_fail) {
                    (Some(code), _) => format!("exit {code}"),
                    (None, true) => "a non-zero exit".to_string(),
                    (None, false) => "exit 0".to_string(),
                },
                o.status,
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    dir
}

#[test]
fn shell_lines_are_joined_and_split() {
    let md = "text\n```sh\nyibao-recon run --a 1 \\\n    --b 'x y'   # 预期失败（退出码 2）: reason\nmake run\n```\n```text\nyibao-recon not a command\n```\n  ```sh\n  yibao-recon check-policy p.toml\n  ```\n";
    let c = commands("t.md", md);
    assert_eq!(c.len(), 2);
    assert_eq!(c[0].line, 3);
    assert_eq!(c[0].words, ["run", "--a", "1", "--b", "x y"]);
    assert!(c[0].expect_fail);
    assert_eq!(c[0].expect_code, Some(2));
    assert_eq!(named_exit_code("expected to fail (exit 1): x"), Some(1));
    assert_eq!(named_exit_code("预期失败"), None);
    assert_eq!(c[1].words, ["check-policy", "p.toml"]);
    assert!(!c[1].expect_fail);
    assert!(split_words("yibao-recon run | tee x").is_err());
    let root = Path::new("/sandbox");
    assert_eq!(
        confine(&["run".into(), "--out".into(), "/tmp/r".into()], root),
        ["run", "--out", "/sandbox/abs/tmp/r"]
    );
    assert_eq!(
        confine(&["--out=reports/x".into()], root),
        ["--out=reports/x"]
    );
}

#[test]
fn english_guide_commands_run() {
    run_guide("docs/guide.en.md", 8);
}

#[test]
fn chinese_guide_commands_run_and_its_columns_match_the_reports() {
    let dir = run_guide("docs/guide.zh.md", 15);
    let md = std::fs::read_to_string(repo().join("docs/guide.zh.md")).unwrap();

    // The guide's own runs wrote these; every report has a section that
    // explains each of its columns.
    let month = dir.path().join("reports/2026-01");
    assert!(
        month.join("refunds.csv").is_file(),
        "the guide's run wrote no reports/2026-01"
    );
    let mut reports: BTreeMap<String, PathBuf> = BTreeMap::new();
    for d in [month, dir.path().join("reports/job-hulunbuir")] {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            if name.ends_with(".csv") {
                reports.entry(name).or_insert(p);
            }
        }
    }
    assert!(reports.contains_key("fiscal_ledger.csv"));
    let sections = report_sections(&md);
    for (file, path) in &reports {
        let text = sections
            .iter()
            .find(|(heading, _)| heading.contains(&format!("`{file}`")))
            .map(|(_, body)| body.as_str())
            .unwrap_or_else(|| panic!("docs/guide.zh.md has no ### section for `{file}`"));
        let headers = header_of(path);
        for h in headers {
            assert!(
                text.contains(&h),
                "docs/guide.zh.md: the `{file}` section does not explain column {h}"
            );
        }
    }

    // `标签 (key)` pairs in the column tables agree with schemas/reports.toml.
    let schema: toml::Value =
        toml::from_str(&std::fs::read_to_string(repo().join("schemas/reports.toml")).unwrap())
            .unwrap();
    let labels = schema["labels"].as_table().unwrap();
    let mut pairs = 0;
    for (_, body) in &sections {
        for line in body.lines().filter(|l| l.starts_with('|')) {
            for (label, key) in label_key_pairs(line) {
                let want = labels
                    .get(&key)
                    .and_then(|v| v.as_str())
                    .unwrap_or_else(|| {
                        panic!("guide names column key `{key}`, not in schemas/reports.toml")
                    });
                assert_eq!(label, want, "guide label for `{key}`");
                pairs += 1;
            }
        }
    }
    assert!(pairs > 50, "only {pairs} label (key) pairs checked");
}

/// The `### …` sections of part 四 (report columns): heading → body.
fn report_sections(md: &str) -> Vec<(String, String)> {
    let start = md.find("## 四、").expect("part 四 of the guide");
    let part = &md[start..];
    let end = part[1..].find("\n## ").map_or(part.len(), |i| i + 1);
    let part = &part[..end];
    let mut out: Vec<(String, String)> = Vec::new();
    for line in part.lines() {
        if let Some(h) = line.strip_prefix("### ") {
            out.push((h.to_string(), String::new()));
        } else if let Some(last) = out.last_mut() {
            last.1.push_str(line);
            last.1.push('\n');
        }
    }
    out
}

/// The header row of a report (BOM stripped).
fn header_of(path: &Path) -> Vec<String> {
    let rows = read_csv(path);
    if let Some(r) = rows.first() {
        return r.keys().cloned().collect();
    }
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    text.lines()
        .next()
        .unwrap_or("")
        .split(',')
        .map(str::to_string)
        .collect()
}

/// `区划代码 (county_code)、区县名称 (county_name)` → [(区划代码, county_code), …].
fn label_key_pairs(line: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(open) = rest.find(" (") {
        let after = &rest[open + 2..];
        let Some(close) = after.find(')') else { break };
        let key = &after[..close];
        if !key.is_empty() && key.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            let before = &rest[..open];
            let label = before
                .rsplit(['|', '、'])
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
            out.push((label, key.to_string()));
        }
        rest = &after[close + 1..];
    }
    out
}
