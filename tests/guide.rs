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
//!
//! Issue 16 point 7, the guide as written: every other fenced block of a
//! guide is what a command prints or what a file holds, and says so on the
//! line above it — `<!-- output: yibao-recon … -->` (the block is compared
//! with what that command, run in its place in the guide, printed) or
//! `<!-- file: jobs/… -->` (compared with the repository's file). A block
//! may leave lines out where it has a line `……`, and leave text out of a
//! line where it has `…`; nothing else differs but the sandbox's path. And
//! every reject reason's example in the guides' tables is fed to the tool,
//! which must reject it with that reason.

use crate::common;

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
    for d in ["sample_data", "policies", "jobs", "tests/fixtures"] {
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

/// What one command of the guide printed (stdout, then stderr), by its words.
type Printed = Vec<(String, String)>;

/// Runs every command of one guide; returns the sandbox for further checks
/// and what each command printed.
fn run_guide(rel: &str, min_commands: usize) -> (tempfile::TempDir, Printed) {
    let md = std::fs::read_to_string(repo().join(rel)).unwrap();
    let cmds = commands(rel, &md);
    assert!(
        cmds.len() >= min_commands,
        "{rel}: only {} yibao-recon commands found in ```sh blocks",
        cmds.len()
    );
    let dir = sandbox();
    let mut failures = Vec::new();
    let mut printed = Vec::new();
    for c in &cmds {
        let args = confine(&c.words, dir.path());
        let o = Command::new(BIN)
            .args(&args)
            .current_dir(dir.path())
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", "C.UTF-8")
            .output()
            .expect("run yibao-recon");
        printed.push((
            c.words.join(" "),
            format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            )
            .replace(&format!("{}/", dir.path().display()), ""),
        ));
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
    check_blocks(rel, &md, &printed);
    (dir, printed)
}

/// Every fenced block that is not ```sh, with the line it starts on and the
/// marker on the line above it (`output: …` / `file: …`), if any.
fn shown_blocks(md: &str) -> Vec<(usize, Option<String>, String)> {
    let lines: Vec<&str> = md.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim();
        let Some(lang) = t.strip_prefix("```") else {
            i += 1;
            continue;
        };
        let start = i;
        // A block indented under a list item: its lines lose that indent.
        let indent = lines[i].len() - lines[i].trim_start().len();
        let mut body = Vec::new();
        i += 1;
        while i < lines.len() && lines[i].trim() != "```" {
            let l = lines[i];
            let cut = l.len() - l.trim_start().len();
            body.push(&l[cut.min(indent)..]);
            i += 1;
        }
        i += 1;
        if lang.trim() == "sh" {
            continue;
        }
        let marker = lines[..start]
            .iter()
            .rev()
            .find(|l| !l.trim().is_empty())
            .and_then(|l| l.trim().strip_prefix("<!--"))
            .and_then(|l| l.strip_suffix("-->"))
            .map(|l| l.trim().to_string());
        out.push((start + 1, marker, body.join("\n")));
    }
    out
}

/// Whether `line` of a block matches `real`: equal, or with each `…` of
/// the block standing for any text.
fn line_matches(line: &str, real: &str) -> bool {
    let parts: Vec<&str> = line.split('…').collect();
    if parts.len() == 1 {
        return line.trim_end() == real.trim_end();
    }
    let real = real.trim_end();
    let (first, last) = (parts[0], parts[parts.len() - 1].trim_end());
    if !real.starts_with(first) || !real.ends_with(last) || real.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &real[first.len()..real.len() - last.len()];
    for p in &parts[1..parts.len() - 1] {
        match rest.find(p) {
            Some(at) => rest = &rest[at + p.len()..],
            None => return false,
        }
    }
    true
}

/// The block's lines are the real output's, in order: consecutive, except
/// where a line `……` of the block leaves some out.
fn excerpt_of(block: &str, real: &str) -> Result<(), String> {
    let real: Vec<&str> = real.lines().collect();
    let mut at = 0;
    let mut may_skip = false;
    for line in block.lines() {
        if line.trim() == "……" {
            may_skip = true;
            continue;
        }
        let found = if may_skip {
            (at..real.len()).find(|&k| line_matches(line, real[k]))
        } else {
            (at < real.len() && line_matches(line, real[at])).then_some(at)
        };
        match found {
            Some(k) => at = k + 1,
            None => {
                return Err(format!(
                    "the guide shows\n  {line}\nbut the tool printed{}\n  {}",
                    if may_skip {
                        " (from there on)"
                    } else {
                        " there"
                    },
                    real.get(at).copied().unwrap_or("(nothing more)")
                ))
            }
        }
        may_skip = false;
    }
    Ok(())
}

/// Each shown block against what it claims to be.
fn check_blocks(rel: &str, md: &str, printed: &Printed) {
    let mut failures = Vec::new();
    for (line, marker, body) in shown_blocks(md) {
        let Some(marker) = marker else {
            failures.push(format!(
                "{rel}:{line}: a block with no `<!-- output: … -->` or `<!-- file: … -->` above it"
            ));
            continue;
        };
        if let Some(path) = marker.strip_prefix("file:") {
            let real = std::fs::read_to_string(repo().join(path.trim())).unwrap_or_default();
            // A file is shown from any of its lines on (its comments left out).
            if let Err(e) = excerpt_of(&format!("……\n{body}"), &real) {
                failures.push(format!("{rel}:{line}: {}: {e}", path.trim()));
            }
            continue;
        }
        let Some(cmd) = marker.strip_prefix("output:") else {
            failures.push(format!("{rel}:{line}: unknown marker `{marker}`"));
            continue;
        };
        let words = cmd.split_whitespace().skip(1).collect::<Vec<_>>().join(" ");
        match printed.iter().find(|(w, _)| *w == words) {
            None => failures.push(format!(
                "{rel}:{line}: `{}` is not a command the guide runs before this block",
                cmd.trim()
            )),
            Some((_, real)) => {
                if let Err(e) = excerpt_of(&body, real) {
                    failures.push(format!("{rel}:{line}: `{}`: {e}", cmd.trim()));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
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
fn excerpts_match_line_by_line() {
    let real = "a\nb 1 c\nd\ne\n";
    assert!(excerpt_of("a\nb … c", real).is_ok());
    assert!(excerpt_of("a\n……\ne", real).is_ok());
    assert!(excerpt_of("a\nd", real).is_err(), "a gap needs ……");
    assert!(excerpt_of("a\nb 2 c", real).is_err());
    assert!(line_matches("x … z", "x y z"));
    assert!(!line_matches("x … z", "x y"));
}

#[test]
fn english_guide_commands_run() {
    run_guide("docs/guide.en.md", 8);
}

#[test]
fn chinese_guide_commands_run_and_its_columns_match_the_reports() {
    let (dir, _) = run_guide("docs/guide.zh.md", 15);
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

/// A reject reason's example in a guide's table: the code, the input kind
/// (`--civil`), the column and the value written in it.
#[derive(Debug)]
struct Example {
    at: String,
    code: String,
    kind: String,
    column: String,
    value: String,
    /// Values the same row's advice says are accepted (BAD_DATE, BAD_AMOUNT).
    accepted: Vec<String>,
    /// The policy the example names (a backticked `….toml` path), else Ningxia's:
    /// `UNKNOWN_GRADE` needs a policy with grades.
    policy: Option<String>,
}

/// The backticked spans of a table cell.
fn ticked(cell: &str) -> Vec<String> {
    cell.split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s.to_string())
        .collect()
}

/// Every row of a table whose first cell is a reason code; the row's
/// example is the cell that starts with a backticked flag: `` `--civil`
/// 认定日期 `11/05/2025` `` (or `留空` / `left blank` for an empty value).
fn reject_examples(rel: &str, md: &str) -> (Vec<Example>, Vec<String>) {
    let (mut examples, mut without) = (Vec::new(), Vec::new());
    for (n, line) in md.lines().enumerate() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 4 || !line.starts_with('|') {
            continue;
        }
        let code = cells[1].trim_matches('`');
        if code.len() < 4 || !code.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
            continue;
        }
        let Some(cell) = cells.iter().find(|c| c.starts_with("`--")) else {
            without.push(code.to_string());
            continue;
        };
        let spans = ticked(cell);
        let after_flag = cell.splitn(3, '`').nth(2).unwrap_or("");
        let column = after_flag
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_string();
        let blank = cell.contains("留空") || cell.contains("left blank");
        let value = if blank {
            String::new()
        } else {
            spans.get(1).cloned().unwrap_or_default()
        };
        let policy = spans.iter().skip(2).find(|s| s.ends_with(".toml")).cloned();
        let accepted = if matches!(code, "BAD_DATE" | "BAD_AMOUNT") {
            let advice = cells[cells.len() - 3];
            ticked(advice)
        } else {
            Vec::new()
        };
        examples.push(Example {
            at: format!("{rel}:{}", n + 1),
            code: code.to_string(),
            kind: spans[0].trim_start_matches("--").to_string(),
            column,
            value,
            accepted,
            policy,
        });
    }
    (examples, without)
}

/// A valid row of each kind (Ningxia 2026, as of 2026-01-31), header first.
fn base_rows(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "civil" => (
            "姓名,身份证号,救助类别,认定日期,行政区划代码,退出日期",
            "马玉兰,640104196804121025,低保,2025-06-01,640104,",
        ),
        "disability" => (
            "残疾人证号,姓名,残疾类别,残疾等级,发证日期,有效期至,行政区划代码",
            "64010419680412102542,马玉兰,肢体,二级,2024-03-01,,640104",
        ),
        "enrollment" => (
            "参保年度,身份证号,姓名,险种类型,参保区划代码,参保状态,核定类别,应缴金额,实缴金额,缴费日期",
            "2026,640104196804121025,马玉兰,390,640104,参保缴费,普通居民,400,400,2025-11-05",
        ),
        other => panic!("no base row for --{other}"),
    }
}

/// A valid enrollment row under the invented graded region (鹭汀市, 汀北区
/// 439902) with its 缴费档次, header first.
fn graded_base_rows(kind: &str) -> (String, String) {
    assert_eq!(kind, "enrollment", "graded examples are enrollment rows");
    let (h, r) = base_rows(kind);
    (
        format!("{h},缴费档次"),
        format!("{},一档", r.replace(",640104,", ",439902,")),
    )
}

/// Runs the Ningxia policy (or the example's own) on a file of `kind` whose line 2 is the base row
/// with `column` set to `value`; the reasons the run gave that line.
fn reasons_for(kind: &str, column: &str, value: &str, policy: Option<&str>) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let (header, row) = match policy {
        Some(_) => graded_base_rows(kind),
        None => {
            let (h, r) = base_rows(kind);
            (h.to_string(), r.to_string())
        }
    };
    let at = header
        .split(',')
        .position(|h| h == column)
        .unwrap_or_else(|| panic!("--{kind} has no column {column}"));
    let mut fields: Vec<String> = row.split(',').map(str::to_string).collect();
    fields[at] = if value.contains(',') && !value.contains('"') {
        format!("\"{value}\"")
    } else {
        value.to_string()
    };
    std::fs::write(
        dir.path().join("example.csv"),
        format!("{header}\n{}\n", fields.join(",")),
    )
    .unwrap();
    let (eh, er) = match policy {
        Some(_) => graded_base_rows("enrollment"),
        None => {
            let (h, r) = base_rows("enrollment");
            (h.to_string(), r.to_string())
        }
    };
    std::fs::write(dir.path().join("enrollment.csv"), format!("{eh}\n{er}\n")).unwrap();
    let policy = repo().join(policy.unwrap_or("policies/ningxia-2026.toml"));
    let mut args = vec![
        "run".to_string(),
        "--policy".into(),
        policy.display().to_string(),
        "--as-of".into(),
        "2026-01-31".into(),
        "--out".into(),
        "out".into(),
        "--no-ledger".into(),
        "--quiet".into(),
        "--header-lang".into(),
        "en".into(),
        "--enrollment".into(),
    ];
    if kind == "enrollment" {
        args.push("example.csv".into());
    } else {
        args.extend([
            "enrollment.csv".into(),
            format!("--{kind}"),
            "example.csv".into(),
        ]);
    }
    let o = Command::new(BIN)
        .args(&args)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{args:?}: {o:?}");
    read_csv(&dir.path().join("out/rejects.csv"))
        .into_iter()
        .filter(|r| r["file"] == "example.csv" && r["line"] == "2")
        .map(|r| r["reject_reason"].clone())
        .collect()
}

#[test]
fn every_reject_reasons_example_in_the_guides_gives_that_reason() {
    let mut failures = Vec::new();
    for rel in ["docs/guide.zh.md", "docs/guide.en.md"] {
        let md = std::fs::read_to_string(repo().join(rel)).unwrap();
        let (examples, without) = reject_examples(rel, &md);
        assert!(
            examples.len() >= 13,
            "{rel}: only {} examples",
            examples.len()
        );
        // Only a row too wide to print has no example (and the conflicts,
        // which are not rejects).
        for code in without {
            let conflict = [
                "NAME_MISMATCH",
                "UNKNOWN_RATING",
                "UNSUPPORTED_RATING",
                "UNKNOWN_DYNAMIC_GROUP",
                "PAID_REFUND_NOT_DUE",
                "PAID_REFUND_CHANGED",
            ];
            if code != "ROW_TOO_WIDE" && !conflict.contains(&code.as_str()) {
                failures.push(format!("{rel}: {code} has no example"));
            }
        }
        for e in &examples {
            let got = reasons_for(&e.kind, &e.column, &e.value, e.policy.as_deref());
            if got != [e.code.clone()] {
                failures.push(format!(
                    "{}: --{} {} `{}` gives {got:?}, the guide says {}",
                    e.at, e.kind, e.column, e.value, e.code
                ));
            }
            for ok in &e.accepted {
                let (column, kind) = match e.code.as_str() {
                    "BAD_AMOUNT" => ("实缴金额", "enrollment"),
                    _ => (e.column.as_str(), e.kind.as_str()),
                };
                let got = reasons_for(kind, column, ok, e.policy.as_deref());
                if !got.is_empty() {
                    failures.push(format!(
                        "{}: the guide says `{ok}` is accepted in {column}, the tool gives {got:?}",
                        e.at
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
