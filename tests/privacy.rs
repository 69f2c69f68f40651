//! Issue 13 — privacy: every path a run creates is owner-only from its
//! creation, whatever the umask (checked mid-run too, unnamed partition files
//! included); `--mask-ids` leaves no ID-shaped token in any output; `ledger
//! forget` removes a person's data from the ledger's bytes.

use crate::common;
use crate::ledger_support;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use common::{sample_args, Workdir};
use ledger_support::*;

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// Every path under `root` except the inputs the test wrote, with a mode
/// other than 0600 (files) / 0700 (directories).
fn not_owner_only(root: &Path, inputs: &[&str]) -> Vec<String> {
    let mut bad = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            let rel = p.strip_prefix(root).unwrap().to_string_lossy().to_string();
            if inputs
                .iter()
                .any(|i| rel == *i || rel.starts_with(&format!("{i}/")))
            {
                continue;
            }
            let Ok(meta) = std::fs::symlink_metadata(&p) else {
                continue; // removed meanwhile
            };
            let m = meta.permissions().mode() & 0o777;
            let want = if meta.is_dir() { 0o700 } else { 0o600 };
            if m != want {
                bad.push(format!("{rel} {m:o}"));
            }
            if meta.is_dir() {
                stack.push(p);
            }
        }
    }
    bad
}

/// The files process `pid` holds open in `dir` (by name or unnamed), with
/// their modes.
fn open_files_in(pid: u32, dir: &Path) -> Vec<(String, u32)> {
    let dir = dir.canonicalize().unwrap().display().to_string();
    let mut out = Vec::new();
    for e in std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .flatten()
    {
        let Ok(target) = std::fs::read_link(e.path()) else {
            continue;
        };
        let target = target.display().to_string();
        if target.starts_with(&dir) {
            if let Ok(m) = std::fs::metadata(e.path()) {
                out.push((target, m.permissions().mode() & 0o777));
            }
        }
    }
    out
}

const INPUTS: [&str; 2] = ["big", "policies"];

#[test]
fn under_umask_000_everything_a_run_creates_is_owner_only_mid_run_too() {
    let w = Workdir::new();
    // Enough rows that two partitions spill to their unnamed files.
    big_inputs(&w, 40_000);
    let mut args = big_args();
    // No memory budget (issue 15): every full block goes to a file.
    args.extend([
        "--partitions".into(),
        "2".into(),
        "--memory".into(),
        "0".into(),
    ]);
    // `locked` first: --out's parent does not exist yet and the run makes
    // it; from then on the partitions spill into it (beside the output).
    for point in [
        "locked",
        "partitioned",
        "recorded",
        "workbook",
        "staged",
        "published",
    ] {
        let child = spawn_paused(&w, &args, point, Some("000"));
        let bad = not_owner_only(w.dir.path(), &INPUTS);
        let open = open_files_in(child.id(), w.dir.path());
        kill9(child);
        assert!(bad.is_empty(), "at {point}: {bad:?}");
        let loose: Vec<_> = open.iter().filter(|(_, m)| *m != 0o600).collect();
        assert!(loose.is_empty(), "at {point}: open files {loose:?}");
        if point == "partitioned" || point == "workbook" {
            // The partitions' files, then the workbook's temporary sheets.
            assert!(
                open.iter()
                    .any(|(t, _)| t.contains("(deleted)") || t.contains("/#")),
                "at {point}: no unnamed temporary file in the work directory: {open:?}"
            );
        }
    }
    // The whole run, then a replay and `validate --rejects`.
    let o = std::process::Command::new("bash")
        .arg("-c")
        .arg("umask 000; exec \"$0\" \"$@\"")
        .arg(common::BIN)
        .args(&args)
        .args(["--force"])
        .current_dir(w.dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert!(w.path("reports/big/report.xlsx").exists());
    let o = std::process::Command::new("bash")
        .arg("-c")
        .arg("umask 000; exec \"$0\" \"$@\"")
        .arg(common::BIN)
        .args([
            "validate",
            "--kind",
            "civil",
            "big/civil.csv",
            "--rejects",
            "reports/civil-rejects.csv",
        ])
        .current_dir(w.dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert_eq!(mode(&w.path("reports/civil-rejects.csv")), 0o600);
    assert_eq!(mode(&w.path("reports/ledger.sqlite")), 0o600);
    assert_eq!(not_owner_only(w.dir.path(), &INPUTS), Vec::<String>::new());
}

// ---------------------------------------------------------------------------
// --mask-ids

/// Full-width digits as ASCII.
fn ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap(),
            _ => c,
        })
        .collect()
}

/// The digits of an ID as written (separators dropped).
fn digits_of(id: &str) -> String {
    ascii_digits(id)
        .chars()
        .filter(char::is_ascii_digit)
        .collect()
}

/// ID-shaped tokens in `text`: 15 or more digits (full-width too), with any
/// single space or hyphen between two digits read through, not part of a
/// longer hexadecimal word (a SHA-256).
fn id_tokens(text: &str) -> Vec<String> {
    let chars: Vec<char> = ascii_digits(text).chars().collect();
    let sep = |c: char| matches!(c, ' ' | '-' | '－' | '\u{3000}' | '\u{a0}' | '\t');
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        let mut digits = String::new();
        while i < chars.len() {
            if chars[i].is_ascii_digit() {
                digits.push(chars[i]);
                i += 1;
            } else if sep(chars[i]) && i + 1 < chars.len() && chars[i + 1].is_ascii_digit() {
                i += 1;
            } else {
                break;
            }
        }
        let hexword = |k: Option<&char>| k.is_some_and(|c| c.is_ascii_alphabetic());
        let in_hex = hexword(start.checked_sub(1).and_then(|k| chars.get(k)))
            || (hexword(chars.get(i)) && !matches!(chars.get(i), Some('X' | 'x')));
        if digits.len() >= 15 && !in_hex {
            found.push(chars[start..i].iter().collect());
        }
    }
    found
}

/// Every output of a run as text: each file, and each part of each workbook.
fn output_texts(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for name in common::files_under(dir) {
        let p = dir.join(&name);
        if name.ends_with(".xlsx") {
            let mut zip = zip::ZipArchive::new(std::fs::File::open(&p).unwrap()).unwrap();
            for k in 0..zip.len() {
                let mut part = zip.by_index(k).unwrap();
                let mut text = String::new();
                std::io::Read::read_to_string(&mut part, &mut text).unwrap();
                out.push((format!("{name}:{}", part.name()), text));
            }
        } else {
            out.push((
                name,
                String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into(),
            ));
        }
    }
    out
}

/// IDs as the fixture writes them (an old 15-digit ID is also in it; the
/// run upgrades it to 18 digits).
const HIDDEN: [(&str, &str); 4] = [
    ("hyphens", "640104-19700101-6015"),
    ("spaces", "640104 1970 0101 6015"),
    ("full-width", "６４０１０４１９７００１０１６０１５"),
    ("in 姓名", "640105195909232110"),
];

/// The Ningxia sample with IDs where they do not belong: written with
/// hyphens, spaces and full-width digits in the ID column, and typed into
/// 姓名, 村社区 and 联系电话.
fn hostile_workdir() -> Workdir {
    let w = Workdir::new();
    w.copy_sample("ningxia");
    let mut civil = w.read("inputs/civil.csv");
    civil.push_str("张三,640104-19700101-6015,低保对象,2025-11-20,640104,,正常,,,\n");
    civil.push_str("李四,640104 1970 0101 6015,低保对象,2025-11-20,640104,,正常,,,\n");
    civil.push_str(
        "王五,６４０１０４１９７００１０１６０１５,低保对象,2025-11-20,640104,,正常,,,\n",
    );
    civil.push_str(
        "640105195909232110,640105195909232110,城市低保,2025-12-01,640105,,正常,,640104 700101 601,640104197001016015\n",
    );
    civil.push_str("赵六,640104700101601,低保对象,2025-11-20,640104,,正常,,,\n");
    w.write("inputs/civil.csv", civil);
    let mut enrol = w.read("inputs/enrollment.csv");
    enrol.push_str(
        "2026,640104-19700101-6015,640104197001016015,390,640104,参保缴费,普通居民,400,400,2025-11-05,,,,\n",
    );
    w.write("inputs/enrollment.csv", enrol);
    w
}

#[test]
fn masked_outputs_hold_no_id_shaped_token_anywhere() {
    let w = hostile_workdir();
    let args = sample_args("ningxia", "reports/plain");
    run_args(&w, &args, 0);
    // The fixture does put these IDs into the outputs when nothing is masked.
    let plain: String = output_texts(&w.path("reports/plain"))
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    for (what, id) in HIDDEN {
        assert!(
            plain.contains(id) || ascii_digits(&plain).contains(&digits_of(id)),
            "fixture: {what} {id} does not reach the unmasked outputs"
        );
    }
    let mut args = sample_args("ningxia", "reports/masked");
    // The same month and inputs: a replay on the ledger.
    args.push("--mask-ids".into());
    run_args(&w, &args, 0);
    let texts = output_texts(&w.path("reports/masked"));
    assert!(texts
        .iter()
        .any(|(n, _)| n.starts_with("report.xlsx:xl/worksheets/")));
    let mut leaks = Vec::new();
    for (name, text) in &texts {
        for t in id_tokens(text) {
            leaks.push(format!("{name}: {t}"));
        }
    }
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
    // Masked, not dropped: the rows are still there, with their ends.
    let rejects = w.read("reports/masked/rejects.csv");
    assert!(rejects.contains("640104********6015"), "{rejects}");
}

#[test]
fn the_scanner_catches_every_written_form() {
    for (what, id) in HIDDEN {
        assert_eq!(id_tokens(&format!("a,{id},b")).len(), 1, "{what}");
    }
    assert_eq!(id_tokens("旧号 640104700101601").len(), 1);
    assert!(id_tokens("640104********6015, 13709550602, 2026-01-31").is_empty());
    assert!(id_tokens("sha256 ab12345678901234567890cd").is_empty());
}

// ---------------------------------------------------------------------------
// ledger forget

fn ledger_bytes(w: &Workdir) -> Vec<u8> {
    let mut bytes = Vec::new();
    for suffix in ["", "-wal", "-journal"] {
        let p = PathBuf::from(format!(
            "{}{suffix}",
            w.path("reports/ledger.sqlite").display()
        ));
        if let Ok(b) = std::fs::read(p) {
            bytes.extend(b);
        }
    }
    bytes
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|x| x == needle.as_bytes())
}

/// Rows of `roster_listings` (issue 11) that belong to `person`.
fn listings_of(w: &Workdir, person: &str) -> i64 {
    let conn = rusqlite::Connection::open(w.path("reports/ledger.sqlite")).unwrap();
    conn.query_row(
        "SELECT count(*) FROM roster_listings WHERE person = ?1",
        [yibao_recon::ingest::dating::person_key(person)],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn forget_removes_a_person_from_the_ledgers_bytes() {
    let w = months_workdir();
    run_scenario(&w);
    assert!(contains(&ledger_bytes(&w), A));
    assert!(listings_of(&w, A) > 0, "A's civil identity was listed");
    let before = dump(&w.path("reports/ledger.sqlite"));
    let o = ledger_for(&w, "forget", A, 0);
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(
        !said.contains(A) && said.contains("640104********1222"),
        "{said}"
    );
    let bytes = ledger_bytes(&w);
    assert!(!contains(&bytes, A), "the ID is still in the ledger's file");
    assert!(
        !contains(&bytes, "马秀兰"),
        "the name is still in the ledger's file"
    );
    let after = dump(&w.path("reports/ledger.sqlite"));
    let without_a: Vec<&str> = before.lines().filter(|l| !l.contains(A)).collect();
    assert_eq!(after.lines().collect::<Vec<_>>(), without_a);
    assert!(after.contains(B));
    // What the rosters listed of A (undated rosters' starts) goes too.
    assert_eq!(listings_of(&w, A), 0);
    let o = ledger_for(&w, "history", A, 2);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("的任何条目"), "{err}");
    assert_eq!(mode(&w.path("reports/ledger.sqlite")), 0o600);
}
