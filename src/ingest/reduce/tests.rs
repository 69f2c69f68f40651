//! Issue 15: byte-identical repeats are merged after the rows are parsed
//! (each row is hashed by the task that parses it). The first of two
//! identical rows of a file is still the one kept, a repeat is counted as
//! merged (not accepted or rejected again), a row of another file is never a
//! repeat, and the outcome is the same whatever the thread count.

use super::*;
use crate::ingest::history::test_ctx;
use crate::ingest::read::{all_blocks, read_meta, RowBlock};
use crate::ingest::schema::Schemas;

/// Distinct row texts: more than two slices' worth, so repeats fall into
/// several slices and across the tasks' shares of one.
const TEXTS: u64 = 150_000;

/// The `k`th distinct register row: one in seven has an ID that cannot be
/// valid (rejected), the others a valid resident ID.
fn text(k: u64) -> String {
    if k % 7 == 3 {
        return format!("bad{k},刘{k},640205");
    }
    let born = chrono::NaiveDate::from_ymd_opt(1950, 1, 1).unwrap() + chrono::Days::new(k % 20_000);
    let first17 = format!("640205{}{:03}", born.format("%Y%m%d"), k / 20_000);
    let check = crate::domain::id::check_char(first17.as_bytes()).unwrap();
    format!("{first17}{},刘{k},640205", check as char)
}

/// File 0's rows (text numbers, in order): every text once, a text seen 3
/// rows earlier repeated after every fifth, and every 97th repeated at the
/// end (in another slice's time). File 1: the first 1000 texts, the first
/// one twice.
fn files() -> [Vec<u64>; 2] {
    let mut first = Vec::new();
    for k in 0..TEXTS {
        first.push(k);
        if k % 5 == 0 && k >= 3 {
            first.push(k - 3);
        }
    }
    first.extend((0..TEXTS).step_by(97));
    let mut second: Vec<u64> = (0..1000).collect();
    second.push(0);
    [first, second]
}

/// What a run of `load` gave: counts per file, the persons' (file, line)
/// and the rejects' (file, line), in the order handed on.
type Outcome = (Vec<(u64, u64, u64)>, Vec<(u16, u32)>, Vec<(u16, u64)>);

fn run(rows: &[read::RawRow<'_>], metas: &[TableMeta], threads: usize) -> Outcome {
    let schemas = Schemas::embedded().unwrap();
    let ctx = test_ctx(&schemas.vocab);
    let kinds = [SourceKind::Persons; 2];
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    // Issue 15: twice, the second time with the working vectors the first
    // left (as the next partition finds them); the same outcome both times.
    let mut scratch = Scratch::default();
    let mut once = || {
        let (mut persons, mut rejects) = (Vec::new(), Vec::new());
        let counts = pool.install(|| {
            load(
                rows,
                rows.len().div_ceil(SLICE_ROWS).max(1),
                &kinds,
                metas,
                ctx,
                &mut scratch,
                |part| {
                    persons.extend(part.persons.iter().map(|p| (p.origin.file, p.origin.line)));
                    rejects.extend(part.rejects.iter().map(|r| (r.file, r.line)));
                },
            )
        });
        let counts: Vec<_> = counts
            .iter()
            .map(|c| (c.accepted, c.rejected, c.merged_duplicates))
            .collect();
        (counts, persons, rejects)
    };
    let first = once();
    assert_eq!(once(), first, "again with the vectors kept");
    first
}

#[test]
fn the_first_of_identical_rows_is_kept_whatever_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let schemas = Schemas::embedded().unwrap();
    let files = files();
    let mut metas = Vec::new();
    let mut blocks = Vec::new();
    for (f, ks) in files.iter().enumerate() {
        let path = dir.path().join(format!("p{f}.csv"));
        let mut csv = String::from("身份证号,姓名,常住区划代码\n");
        for &k in ks {
            csv.push_str(&text(k));
            csv.push('\n');
        }
        std::fs::write(&path, csv).unwrap();
        let meta = read_meta(&path, "p.csv", schemas.source(SourceKind::Persons)).unwrap();
        blocks.push(all_blocks(&path, "p.csv", &meta));
        metas.push(meta);
    }
    let mut rows = Vec::new();
    for (f, b) in blocks.iter().enumerate() {
        for mut r in b.iter().flat_map(RowBlock::iter) {
            // Routed by content, as a rejected row is: repeats share a slice.
            r.file = f as u16;
            r.key = r.content_hash() as u64;
            rows.push(r);
        }
    }
    // Expected from the files as written: each text's first line kept
    // (line 1 is the header), every later one merged.
    let mut want_counts = Vec::new();
    let (mut want_persons, mut want_rejects) = (Vec::new(), Vec::new());
    for (f, ks) in files.iter().enumerate() {
        let mut first_line = std::collections::HashMap::new();
        for (i, &k) in ks.iter().enumerate() {
            first_line.entry(k).or_insert(i as u64 + 2);
        }
        let rejected = first_line.keys().filter(|&&k| k % 7 == 3).count() as u64;
        let distinct = first_line.len() as u64;
        want_counts.push((distinct - rejected, rejected, ks.len() as u64 - distinct));
        for (k, line) in first_line {
            match k % 7 == 3 {
                true => want_rejects.push((f as u16, line)),
                false => want_persons.push((f as u16, line as u32)),
            }
        }
    }
    want_persons.sort_unstable();
    want_rejects.sort_unstable();
    let one = run(&rows, &metas, 1);
    for threads in [2, 3] {
        assert_eq!(run(&rows, &metas, threads), one, "{threads} threads");
    }
    let (counts, mut persons, mut rejects) = one;
    assert_eq!(counts, want_counts);
    persons.sort_unstable();
    rejects.sort_unstable();
    assert_eq!(persons, want_persons);
    assert_eq!(rejects, want_rejects);
}
