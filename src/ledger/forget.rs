//! `ledger forget --id X` (删除个人数据): removes one person's data from the
//! ledger on request (个人信息保护法 第四十七条), and leaves no copy of it in
//! the file's free pages or its write-ahead log.
//!
//! What is removed: every item of the person (`items`, keyed by the ID),
//! its state in every run (`item_runs`: name, county, amounts), the
//! refunds confirmed paid (`payments`) and what the runs' rosters listed of
//! the person (`roster_listings`, by the hash of the ID; issue 11). The runs' manifests hold no person
//! data (input paths, SHA-256s, counts) and stay.

use rusqlite::params;

use super::{sql_err, Ledger};
use crate::error::Result;

/// Every statement that removes a person's rows (`?1` is the person as the
/// ledger spells it), children before parents. A new table that holds a
/// person's data adds its `DELETE` here, and `tests/privacy.rs` checks
/// that the ID is gone from the file's bytes.
const REMOVE: &[&str] = &[
    "DELETE FROM payments WHERE key IN (SELECT key FROM items WHERE person = ?1)",
    "DELETE FROM item_runs WHERE key IN (SELECT key FROM items WHERE person = ?1)",
    "DELETE FROM items WHERE person = ?1",
];

/// What `forget` removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Forgotten {
    pub items: usize,
    pub states: usize,
    pub payments: usize,
    /// Roster listings (名单快照) of the person, across runs.
    pub listings: usize,
}

/// Removes `person`'s rows inside the ledger's lock, commits, then rewrites
/// the file (`VACUUM`) and empties the write-ahead log, so the deleted bytes
/// are gone from disk, not just unreachable.
pub fn forget(mut ledger: Ledger, person: &str) -> Result<Forgotten> {
    let display = ledger.display();
    let err = |e| sql_err(&display, e);
    ledger
        .conn
        .execute_batch("PRAGMA secure_delete = ON")
        .map_err(err)?;
    let mut counts = [0usize; 3];
    for (sql, n) in REMOVE.iter().zip(counts.iter_mut()) {
        *n = ledger.conn.execute(sql, params![person]).map_err(err)?;
    }
    let listings = forget_listings(&ledger.conn, person).map_err(err)?;
    ledger.conn.execute_batch("COMMIT").map_err(err)?;
    ledger.in_tx = false;
    ledger
        .conn
        // The copy VACUUM makes goes into a temporary file, not memory
        // (the lock set statement journals in memory, issue 15).
        .execute_batch("PRAGMA temp_store = FILE; VACUUM; PRAGMA wal_checkpoint(TRUNCATE);")
        .map_err(err)?;
    Ok(Forgotten {
        payments: counts[0],
        states: counts[1],
        items: counts[2],
        listings,
    })
}

/// Removes the person's roster listings, where the ledger has the table
/// (a ledger written before undated rosters has none).
fn forget_listings(conn: &rusqlite::Connection, person: &str) -> rusqlite::Result<usize> {
    let has: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'roster_listings'",
        [],
        |r| r.get(0),
    )?;
    if !has {
        return Ok(0);
    }
    conn.execute(
        "DELETE FROM roster_listings WHERE person = ?1",
        params![crate::ingest::dating::person_key(person)],
    )
}
