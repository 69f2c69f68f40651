//! The parallel reader against the serial way, and its cuts.

use super::*;
use crate::domain::id::check_char;
use crate::findings::RejectReason;
use crate::ingest::lines::count_lines;
use crate::ingest::read::{HistoryRec, RawRow};
use crate::ingest::schema::Schemas;
use crate::ingest::spill;
use crate::ingest::InputSpec;

type Rows = Vec<(u16, u64, u64, Vec<String>)>;

/// Everything reading gave: the file's stats, the findings of rows
/// validated while reading, and each partition's rows and history rows
/// in the order they will be judged.
#[derive(Debug, PartialEq)]
struct Got {
    stats: (
        u64,
        u64,
        crate::ingest::lines::LineAccount,
        Vec<Reject>,
        String,
    ),
    early: Vec<(FileIdx, u128, Reject)>,
    conflicts: Vec<(FileIdx, u128, Conflict)>,
    parts: Vec<(Rows, Vec<HistoryRec>)>,
}

/// Reads `path` as an enrollment file into `count` partitions (memory
/// budget `budget`) on `threads` threads: in ranges of about `target`
/// bytes, or the serial way (`None`).
fn read(
    path: &std::path::Path,
    target: Option<usize>,
    threads: usize,
    count: usize,
    budget: u64,
) -> Got {
    let schemas = Schemas::embedded().unwrap();
    let ctx = crate::ingest::history::test_ctx(&schemas.vocab);
    let kind = SourceKind::Enrollment;
    let meta = read::read_meta(path, "t.csv", schemas.source(kind)).unwrap();
    let spec = InputSpec {
        kind,
        path: path.to_path_buf(),
        display: "t.csv".into(),
    };
    let dir = tempfile::tempdir().unwrap();
    let mut parts = Partitions::new(count, dir.path(), budget);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let (mut early, mut conflicts) = (Vec::new(), Vec::new());
    let stats = pool.install(|| match target {
        Some(t) => {
            let out = read_file_in(t, &spec, (3, &meta, ctx), &mut parts, |_| {})
                .unwrap()
                .expect("read in ranges");
            (early, conflicts) = (out.early_rejects, out.early_conflicts);
            out.stats
        }
        None => crate::ingest::serial::read_serial(
            (&spec, 3, &meta, ctx),
            &mut parts,
            (&mut early, &mut conflicts),
            |_| {},
        )
        .unwrap(),
    });
    let mut buf = Vec::new();
    let parts = parts
        .into_sources()
        .into_iter()
        .map(|source| {
            let mem = source.read_into(&mut buf).unwrap();
            let (rows, history) = spill::partition_rows(&buf, &mem, dir.path()).unwrap();
            let fields = |r: &RawRow<'_>| -> Vec<String> {
                (0..).map_while(|i| r.get(i)).map(str::to_string).collect()
            };
            let rows = rows
                .iter()
                .map(|r| (r.file, r.line, r.key, fields(r)))
                .collect();
            (rows, history)
        })
        .collect();
    Got {
        stats: (
            stats.rows_read,
            stats.blank_rows,
            stats.lines,
            stats.rejects,
            stats.sha256,
        ),
        early,
        conflicts,
        parts,
    }
}

/// `path` read in ranges of each of `targets` bytes on 1, 2 and 8 threads,
/// and into 1 to 7 partitions held, spilled or mixed, gives exactly what
/// reading it the serial way does (`serial`: into 3 spilled partitions).
fn reads_as_serial(path: &std::path::Path, serial: &Got, targets: &[usize], name: &str) {
    for &target in targets {
        for threads in [1, 2, 8] {
            let got = read(path, Some(target), threads, 3, 0);
            assert!(
                got == *serial,
                "{name}: ranges of {target} bytes on {threads} threads"
            );
        }
    }
    for (count, budget) in [(1, 0), (7, 0), (3, u64::MAX), (3, 40_000)] {
        let serial = read(path, None, 2, count, budget);
        let got = read(path, Some(100), 2, count, budget);
        assert!(got == serial, "{name}: {count} partitions, budget {budget}");
    }
}

fn id(n: u64, valid: bool) -> String {
    let first17 = format!(
        "640205{}{:02}{:02}{:03}",
        1950 + n % 60,
        1 + n % 12,
        1 + n % 28,
        n % 1000
    );
    let check = check_char(first17.as_bytes()).unwrap();
    let check = match valid {
        true => check,
        false if check == b'0' => b'1',
        false => b'0',
    };
    format!("{first17}{}", char::from(check))
}

/// A ledger export with everything a range boundary could spoil, and
/// the lines (numbered as written) where the special rows are.
struct Export {
    text: String,
    broken_quote: u64,
    bad_id: Vec<u64>,
    notes: Vec<u64>,
    lines: u64,
}

/// The physical line the next entry starts on.
fn next_line(lines: &[String]) -> u64 {
    1 + lines
        .iter()
        .map(|l| 1 + l.matches('\n').count() as u64)
        .sum::<u64>()
}

fn export(persons: u64) -> Export {
    let mut lines: Vec<String> = vec![
        "2026年度城乡居民医保参保缴费明细".into(),
        "参保年度,身份证号,姓名,险种类型,参保区划代码,参保状态,核定类别,应缴金额,实缴金额,缴费日期,待遇开始日期,修复年数,电子税票号,动态参保类别".into(),
    ];
    let (mut broken_quote, mut bad_id, mut notes) = (0, Vec::new(), Vec::new());
    for n in 0..persons {
        let valid = n % 17 != 5;
        for y in 2022..=2026 {
            let due = 300 + 20 * (y - 2022);
            let row = format!(
                "{y},{},马{n},390,640205,参保缴费,普通居民,{due},{due},{}-10-07,,,,",
                id(n, valid),
                y - 1
            );
            if !valid && y < 2026 {
                bad_id.push(next_line(&lines));
            }
            lines.push(row.clone());
            if n % 13 == 0 {
                if !valid && y < 2026 {
                    bad_id.push(next_line(&lines));
                }
                lines.push(row); // an exact repeat (merged later)
            }
        }
        match n {
            20 => lines.push(String::new()),
            30 => {
                // A quoted name with a line break: one record, two lines.
                lines.push(format!(
                    "2026,{},\"马\n小红\",390,640205,参保缴费,普通居民,380,380,2025-10-07,,,,",
                    id(9000, true)
                ));
            }
            40 => {
                broken_quote = next_line(&lines);
                lines.push(format!(
                    "2026,{},\"马小红,390,640205,参保缴费,普通居民,380,380,2025-10-07,,,,",
                    id(9001, true)
                ));
            }
            50 => {
                // A subtotal, then a line that is a note only after it.
                notes.push(next_line(&lines));
                lines.push("小计,,,,,,,,,,,,,".into());
                notes.push(next_line(&lines));
                lines.push("银川市兴庆区,以上,,,,,,,,,,,,".into());
            }
            _ => {}
        }
    }
    for t in [
        "合计,,,,,,,,,,,,,",
        "备注：本表由税务部门提供",
        "2. 数据截至2026年1月",
    ] {
        notes.push(next_line(&lines));
        lines.push(t.into());
    }
    let physical = next_line(&lines) - 1;
    Export {
        text: lines.join("\n") + "\n",
        broken_quote,
        bad_id,
        notes,
        lines: physical,
    }
}

#[test]
fn ranges_read_as_the_whole_file_does() {
    let e = export(70);
    let dir = tempfile::tempdir().unwrap();
    let variants: [(&str, Vec<u8>); 4] = [
        ("LF", e.text.clone().into_bytes()),
        ("CRLF", e.text.replace('\n', "\r\n").into_bytes()),
        (
            "BOM",
            [b"\xEF\xBB\xBF".as_slice(), e.text.as_bytes()].concat(),
        ),
        ("no last newline", e.text.trim_end().as_bytes().to_vec()),
    ];
    for (name, bytes) in variants {
        let path = dir.path().join("enrollment.csv");
        std::fs::write(&path, &bytes).unwrap();
        let serial = read(&path, None, 2, 3, 0);
        // What the file says, whatever the way it is read.
        let (_, _, account, rejects, sha) = &serial.stats;
        assert_eq!(account.physical, e.lines, "{name}");
        assert!(account.balances(), "{name}: {account:?}");
        assert_eq!(account.header_line, 2, "{name}");
        assert_eq!(account.notes, e.notes, "{name}");
        assert_eq!(account.blank, 1, "{name}");
        let broken: Vec<(u64, RejectReason)> = rejects.iter().map(|r| (r.line, r.reason)).collect();
        assert_eq!(
            broken,
            [(e.broken_quote, RejectReason::BrokenQuote)],
            "{name}"
        );
        let early: Vec<u64> = serial.early.iter().map(|(_, _, r)| r.line).collect();
        assert_eq!(early, e.bad_id, "{name}");
        assert_eq!(*sha, read::hex(&Sha256::digest(&bytes)), "{name}");
        reads_as_serial(&path, &serial, &[1, 64, 300, 4096, 1 << 20], name);
    }
}

#[test]
fn cuts_keep_quoted_records_whole() {
    // Every 4th line holds a quote: no 8 quote-free lines anywhere.
    let text: String = (0..40)
        .map(|i| match i % 4 {
            0 => format!("\"a\n{i}\",x\n"),
            _ => format!("{i},y\n"),
        })
        .collect();
    assert_eq!(cut_point(text.as_bytes()), None);
    // Quote-free lines after the last quote: the cut follows them.
    let tail: String = (0..10).map(|i| format!("{i},z\n")).collect();
    let both = format!("{text}{tail}");
    assert_eq!(cut_point(both.as_bytes()), Some(both.len()));
    let short = format!("{text}1,z\n2,z\n");
    let cut = cut_point(short.as_bytes()).map(|c| &short[..c]);
    assert!(cut.is_none_or(|c| !c.ends_with("2,z\n")), "{cut:?}");
    assert_eq!(count_lines(b"a\r\nb\rc\nd", true), 4);
    assert_eq!(count_lines(b"a\r\nb\rc\nd", false), 3);
    assert_eq!(count_lines(b"a\r\n", true), 1);
}

/// Not a check: reads the export `YIBAO_READ_BENCH` names as an
/// enrollment file (or the kind `YIBAO_READ_BENCH_KIND` names, e.g.
/// `civil`) into 10 spilled partitions, the way a run does, so the read
/// stage's CPU can be measured alone (issue 15):
/// `YIBAO_READ_BENCH=enrollment.csv perf stat -e task-clock <test binary>
/// --ignored --exact ingest::ranges::tests::read_bench`. With
/// `YIBAO_READ_RANGE_BYTES=0` it reads the serial way.
#[test]
#[ignore]
fn read_bench() {
    let Ok(path) = std::env::var("YIBAO_READ_BENCH") else {
        return;
    };
    let schemas = Schemas::embedded().unwrap();
    let ctx = crate::ingest::history::test_ctx(&schemas.vocab);
    let kind = std::env::var("YIBAO_READ_BENCH_KIND")
        .ok()
        .and_then(|k| SourceKind::from_key(&k))
        .unwrap_or(SourceKind::Enrollment);
    let path = std::path::PathBuf::from(path);
    let meta = read::read_meta(&path, "bench.csv", schemas.source(kind)).unwrap();
    let spec = InputSpec {
        kind,
        path,
        display: "bench.csv".into(),
    };
    let dir = tempfile::tempdir().unwrap();
    let mut parts = Partitions::new(10, dir.path(), 0);
    let stats = match read_file(&spec, 0, &meta, ctx, &mut parts, |_| {}).unwrap() {
        Some(out) => out.stats,
        None => {
            let (mut early, mut conflicts) = (Vec::new(), Vec::new());
            let early = (&mut early, &mut conflicts);
            crate::ingest::serial::read_serial((&spec, 0, &meta, ctx), &mut parts, early, |_| {})
                .unwrap()
        }
    };
    eprintln!("rows read {}", stats.rows_read);
}

mod gb18030;
