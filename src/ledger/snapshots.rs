//! What each recorded run's rosters listed (名单快照), for undated rosters
//! (issue 11, SPEC §2 "Undated rosters"): an identity from a roster with no
//! start-date column starts, for R2, on the day after the last recorded run
//! whose rosters did not list it.
//!
//! Per recorded run the ledger keeps two things and no more:
//! - `roster_kinds`: which roster kinds (civil, agri, disability, veterans)
//!   the run had, with at least one accepted row — a run without a veterans
//!   roster says nothing about who was a veteran then;
//! - `roster_listings`: for each of those kinds, a 64-bit hash of every
//!   identity (person × category × source kind) valid at the run's as-of
//!   date ([`crate::ingest::dating::listing_key`]), and a 64-bit hash of the
//!   person alone ([`crate::ingest::dating::person_key`]) so that `ledger
//!   forget` can remove a person's listings. No names, no dates.
//!
//! Both tables reference `runs` with `ON DELETE CASCADE`, so replacing a
//! month drops what its old inputs listed. They are created on first use
//! (`CREATE TABLE IF NOT EXISTS`): a ledger written before them reads as
//! "no run recorded its rosters", i.e. every snapshot start unknown.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use super::bulk::{int, text, Col};
use super::{sql_err, Ledger};
use crate::domain::{fmt_date, parse_date, SourceKind};
use crate::error::Result;
use crate::ingest::dating::{KindStarts, Listing, SnapshotStarts};

const DDL: &str = "
CREATE TABLE IF NOT EXISTS roster_kinds (
    run_id INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    PRIMARY KEY (run_id, source)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS roster_listings (
    run_id INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    key    INTEGER NOT NULL,
    person INTEGER NOT NULL,
    PRIMARY KEY (run_id, source, key)
) WITHOUT ROWID;
";

/// The roster kinds whose identities the ledger follows.
pub const ROSTER_KINDS: [SourceKind; 4] = [
    SourceKind::Civil,
    SourceKind::Agri,
    SourceKind::Disability,
    SourceKind::Veterans,
];

fn has_tables(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT count(*) = 2 FROM sqlite_master WHERE type = 'table' AND name IN ('roster_kinds', 'roster_listings')",
        [],
        |r| r.get(0),
    )
}

/// The starts the runs of `series` recorded before `as_of` give snapshot
/// identities (see [`SnapshotStarts`]).
pub fn load(ledger: &Ledger, series: &str, as_of: NaiveDate) -> Result<SnapshotStarts> {
    let display = ledger.display();
    load_conn(ledger.conn(), series, as_of).map_err(|e| sql_err(&display, e))
}

fn load_conn(
    conn: &Connection,
    series: &str,
    as_of: NaiveDate,
) -> rusqlite::Result<SnapshotStarts> {
    let mut out = SnapshotStarts::default();
    if !has_tables(conn)? {
        return Ok(out);
    }
    let mut runs = conn.prepare(
        "SELECT r.run_id, r.as_of FROM runs r JOIN roster_kinds k ON k.run_id = r.run_id
         WHERE r.series = ?1 AND r.as_of < ?2 AND k.source = ?3 ORDER BY r.as_of DESC",
    )?;
    let mut keys =
        conn.prepare("SELECT key FROM roster_listings WHERE run_id = ?1 AND source = ?2")?;
    for kind in ROSTER_KINDS {
        let list: Vec<(i64, String)> = runs
            .query_map(params![series, fmt_date(as_of), kind.key()], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let Some((latest_id, latest)) = list.first() else {
            continue;
        };
        let mut load_keys = |run_id: i64| -> rusqlite::Result<HashSet<i64>> {
            keys.query_map(params![run_id, kind.key()], |r| r.get(0))?
                .collect()
        };
        // Every identity the latest run listed: walk back to the last run
        // that did not list it.
        let mut pending = load_keys(*latest_id)?;
        let mut listed: HashMap<i64, Option<NaiveDate>> =
            pending.iter().map(|k| (*k, None)).collect();
        for (run_id, day) in &list[1..] {
            if pending.is_empty() {
                break;
            }
            let there = load_keys(*run_id)?;
            let since = parse_date(day).and_then(|d| d.succ_opt());
            pending.retain(|k| {
                let kept = there.contains(k);
                if !kept {
                    listed.insert(*k, since);
                }
                kept
            });
        }
        out.kinds.insert(
            kind,
            KindStarts {
                latest: parse_date(latest),
                listed,
            },
        );
    }
    Ok(out)
}

/// Records which roster kinds the run of `series` at `as_of` had and the
/// identities they listed. Inside the run's transaction, after the run's row
/// is written; repeating it (a replay) changes nothing.
pub fn record(
    ledger: &Ledger,
    series: &str,
    as_of: NaiveDate,
    kinds: &[SourceKind],
    listed: &[Listing],
) -> Result<()> {
    let display = ledger.display();
    record_conn(ledger.conn(), series, as_of, kinds, listed).map_err(|e| sql_err(&display, e))
}

fn record_conn(
    conn: &Connection,
    series: &str,
    as_of: NaiveDate,
    kinds: &[SourceKind],
    listed: &[Listing],
) -> rusqlite::Result<()> {
    // No run row (a ledger that records nothing, e.g. a trial run): nothing
    // to attach the listings to.
    let run_id: Option<i64> = conn
        .query_row(
            "SELECT run_id FROM runs WHERE series = ?1 AND as_of = ?2",
            params![series, fmt_date(as_of)],
            |r| r.get(0),
        )
        .optional()?;
    let Some(run_id) = run_id else {
        return Ok(());
    };
    conn.execute_batch(DDL)?;
    let mut kind_st =
        conn.prepare("INSERT OR IGNORE INTO roster_kinds (run_id, source) VALUES (?1, ?2)")?;
    for k in kinds.iter().filter(|k| ROSTER_KINDS.contains(k)) {
        kind_st.execute(params![run_id, k.key()])?;
    }
    // Issue 15: in the primary key's order (source as text, then key), so
    // each insert lands on the B-tree's last page. The rows are sorted by
    // value, not by reference: 1.6 M listings at 10 M persons, read in a
    // random order through references, cost a cache miss each. The row's
    // place breaks ties, so of two equal keys the first is kept, as `INSERT
    // OR IGNORE` kept it before.
    let order = text_order(kinds);
    let mut rows: Vec<(u128, i64)> = listed
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let rank = order.iter().position(|k| *k == l.source)?;
            Some((sort_key(rank, l.key, i), l.person))
        })
        .collect();
    rows.sort_unstable_by_key(|r| r.0);
    // Issue 15 (i26l): one kind's rows at a time, the run's id and the
    // kind's name bound once per statement, not once per row.
    let layout = [Col::Shared(0), Col::Shared(1), Col::Each, Col::Each];
    let mut rest = &rows[..];
    for (rank, kind) in order.iter().enumerate() {
        let n = rest.partition_point(|r| r.0 >> RANK_SHIFT == rank as u128);
        let (these, after) = rest.split_at(n);
        rest = after;
        super::bulk::insert(
            conn,
            (
                "INSERT OR IGNORE INTO roster_listings (run_id, source, key, person)",
                &layout,
            ),
            &[int(run_id), text(kind.key())],
            these,
            |&(sorted, person)| [int(listing_key(sorted)), int(person)],
        )?;
    }
    Ok(())
}

/// The distinct kinds of `kinds` in the order of their names, the order
/// SQLite gives the `source` column.
fn text_order(kinds: &[SourceKind]) -> Vec<SourceKind> {
    let mut order = kinds.to_vec();
    order.sort_unstable_by_key(|k| k.key());
    order.dedup();
    order
}

/// Where a listing's roster kind stands in [`sort_key`] (a kind's rank is
/// below 8: three bits).
const RANK_SHIFT: u32 = 125;
/// Where its key stands (64 bits, below the kind's rank).
const KEY_SHIFT: u32 = 61;

/// A listing's place in the primary key's order as one integer (issue 15,
/// i26l: integers compared, not a kind's name and then its key): the
/// kind's rank in [`text_order`], the key with its sign bit flipped (so
/// unsigned order is signed order), then the row's place in the inputs
/// (61 bits), which breaks ties.
fn sort_key(rank: usize, key: i64, place: usize) -> u128 {
    debug_assert!(rank < 8 && (place as u128) < 1 << KEY_SHIFT);
    (rank as u128) << RANK_SHIFT | u128::from(key as u64 ^ 1 << 63) << KEY_SHIFT | place as u128
}

/// The listing key a [`sort_key`] holds.
fn listing_key(sorted: u128) -> i64 {
    ((sorted >> KEY_SHIFT) as u64 ^ 1 << 63) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A listing whose person key is its identity key (one identity per
    /// person in these tests).
    fn l(source: SourceKind, key: i64) -> Listing {
        Listing {
            source,
            key,
            person: key,
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn conn_with_runs(days: &[NaiveDate]) -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        crate::ledger::schema::ensure(&conn, ":memory:").unwrap();
        for (i, day) in days.iter().enumerate() {
            conn.execute(
                "INSERT INTO runs VALUES (?1, 's', ?2, 'p', 'h', 'f', '{}', 'now')",
                params![i as i64 + 1, fmt_date(*day)],
            )
            .unwrap();
        }
        conn
    }

    #[test]
    fn start_is_the_day_after_the_last_run_that_did_not_list_it() {
        let runs = [d(2026, 1, 31), d(2026, 2, 28), d(2026, 3, 31)];
        let conn = conn_with_runs(&runs);
        let v = SourceKind::Veterans;
        // Key 1 listed in every run; key 2 from March; key 3 in January and
        // March only; key 4 never.
        record_conn(&conn, "s", runs[0], &[v], &[l(v, 1), l(v, 3)]).unwrap();
        record_conn(&conn, "s", runs[1], &[v], &[l(v, 1)]).unwrap();
        record_conn(&conn, "s", runs[2], &[v], &[l(v, 1), l(v, 2), l(v, 3)]).unwrap();
        let s = load_conn(&conn, "s", d(2026, 4, 30)).unwrap();
        assert_eq!(s.start(v, 1), None);
        assert_eq!(s.start(v, 2), Some(d(2026, 3, 1)));
        assert_eq!(s.start(v, 3), Some(d(2026, 3, 1)));
        assert_eq!(s.start(v, 4), Some(d(2026, 4, 1)));
        // No run of another kind: unknown.
        assert_eq!(s.start(SourceKind::Civil, 4), None);
        // As of March, only January and February count: February listed
        // neither key 2 nor key 3; key 1 is listed by both.
        let s = load_conn(&conn, "s", runs[2]).unwrap();
        assert_eq!(s.start(v, 2), Some(d(2026, 3, 1)));
        assert_eq!(s.start(v, 3), Some(d(2026, 3, 1)));
        assert_eq!(s.start(v, 1), None);
    }

    #[test]
    fn a_run_without_that_roster_kind_says_nothing() {
        let runs = [d(2026, 1, 31), d(2026, 2, 28)];
        let conn = conn_with_runs(&runs);
        let (v, c) = (SourceKind::Veterans, SourceKind::Civil);
        record_conn(&conn, "s", runs[0], &[c], &[l(c, 9)]).unwrap();
        record_conn(&conn, "s", runs[1], &[v, c], &[l(v, 1)]).unwrap();
        let s = load_conn(&conn, "s", d(2026, 3, 31)).unwrap();
        // January had no veterans roster: key 1 is listed since the first
        // veterans roster, so its start is still unknown.
        assert_eq!(s.start(v, 1), None);
        assert_eq!(s.start(c, 9), Some(d(2026, 3, 1)));
        // Replacing February drops what it listed.
        conn.execute("PRAGMA foreign_keys = ON", []).unwrap();
        conn.execute("DELETE FROM runs WHERE run_id = 2", [])
            .unwrap();
        let s = load_conn(&conn, "s", d(2026, 3, 31)).unwrap();
        assert_eq!(s.start(v, 1), None);
        assert_eq!(s.start(c, 9), None);
    }

    #[test]
    fn listings_in_any_order_are_all_kept_and_a_repeated_key_keeps_its_first_row() {
        let runs = [d(2026, 1, 31)];
        let conn = conn_with_runs(&runs);
        let (v, c) = (SourceKind::Veterans, SourceKind::Civil);
        // Out of key order, across kinds, more rows than one statement
        // takes, and key 3 of veterans twice with two person keys.
        let mut listed: Vec<Listing> = (0..200).rev().map(|k| l(c, k * 7 - 500)).collect();
        listed.push(Listing {
            source: v,
            key: 3,
            person: 30,
        });
        listed.push(l(v, -9));
        listed.push(Listing {
            source: v,
            key: 3,
            person: 31,
        });
        record_conn(&conn, "s", runs[0], &[v, c], &listed).unwrap();
        let rows: Vec<(String, i64, i64)> = conn
            .prepare("SELECT source, key, person FROM roster_listings ORDER BY source, key")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let mut want: Vec<(String, i64, i64)> = (0..200)
            .map(|k| ("civil".to_string(), k * 7 - 500, k * 7 - 500))
            .collect();
        want.push(("veterans".into(), -9, -9));
        want.push(("veterans".into(), 3, 30));
        assert_eq!(rows, want);
    }

    #[test]
    fn the_sort_key_orders_as_kind_key_place_and_gives_the_key_back() {
        let keys = [i64::MIN, -9, -1, 0, 1, 3, i64::MAX];
        for (rank, key, place) in [(0, i64::MIN, 0), (7, i64::MAX, 5), (2, -1, 1 << 40)] {
            assert_eq!(listing_key(sort_key(rank, key, place)), key);
        }
        let mut all = Vec::new();
        for rank in [1, 0] {
            for (place, key) in keys.iter().rev().enumerate() {
                all.push(((rank, *key, place), sort_key(rank, *key, place)));
            }
        }
        let mut by_tuple = all.clone();
        by_tuple.sort_by_key(|a| a.0);
        all.sort_by_key(|a| a.1);
        assert_eq!(all, by_tuple);
        assert_eq!(
            text_order(&[
                SourceKind::Veterans,
                SourceKind::Civil,
                SourceKind::Agri,
                SourceKind::Civil
            ]),
            [SourceKind::Agri, SourceKind::Civil, SourceKind::Veterans]
        );
    }

    #[test]
    fn an_older_ledger_without_the_tables_knows_no_start() {
        let conn = conn_with_runs(&[d(2026, 1, 31)]);
        let s = load_conn(&conn, "s", d(2026, 2, 28)).unwrap();
        assert!(s.kinds.is_empty());
        assert_eq!(s.start(SourceKind::Veterans, 1), None);
        // A run the ledger did not record leaves nothing behind.
        let v = SourceKind::Veterans;
        record_conn(&conn, "s", d(2026, 2, 28), &[v], &[l(v, 1)]).unwrap();
        assert!(!has_tables(&conn).unwrap());
    }
}
