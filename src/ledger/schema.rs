//! The ledger's SQLite schema (对账台账库表结构), created on first use and
//! versioned with `PRAGMA user_version`. A file that is not ours (another
//! application id) or that a newer yibao-recon wrote is refused, never
//! "upgraded" by guesswork.

use rusqlite::Connection;

use crate::error::{Error, Result};

/// `PRAGMA application_id` of a yibao-recon ledger ("YBRC").
pub const APPLICATION_ID: i64 = 0x5942_5243;

/// The schema version this build writes and reads.
pub const VERSION: i64 = 1;

/// Version 1. One row per run (`runs`), one per item ever listed (`items`),
/// one per item per run that listed or resolved it (`item_runs`), and one per
/// refund confirmed paid (`payments`).
///
/// `runs.run_id` and `payments.seq` share one increasing sequence, so a run
/// sees exactly the payments imported before it was first recorded: replaying
/// an old month ignores later imports and gives the same bytes.
const DDL_V1: &str = "
CREATE TABLE runs (
    run_id        INTEGER PRIMARY KEY,
    series        TEXT NOT NULL,
    as_of         TEXT NOT NULL,
    policy_id     TEXT NOT NULL,
    policy_sha256 TEXT NOT NULL,
    fingerprint   TEXT NOT NULL,
    manifest      TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    UNIQUE (series, as_of)
);
CREATE TABLE items (
    key      TEXT PRIMARY KEY,
    series   TEXT NOT NULL,
    list     TEXT NOT NULL CHECK (list IN ('refunds', 'rerating', 'missing_enrollment')),
    person   TEXT NOT NULL,
    year     INTEGER NOT NULL,
    county   TEXT NOT NULL,
    pay_date TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX items_by_person ON items (person, year);
CREATE TABLE item_runs (
    run_id       INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    key          TEXT NOT NULL REFERENCES items (key),
    lifecycle    TEXT NOT NULL CHECK (lifecycle IN ('new', 'carried', 'resolved', 'paid')),
    first_listed TEXT NOT NULL,
    disposition  TEXT NOT NULL,
    detail       TEXT NOT NULL,
    amount_fen   INTEGER NOT NULL,
    county       TEXT NOT NULL,
    name         TEXT NOT NULL,
    PRIMARY KEY (run_id, key)
) WITHOUT ROWID;
CREATE INDEX item_runs_by_key ON item_runs (key);
CREATE TABLE payments (
    key           TEXT PRIMARY KEY REFERENCES items (key),
    seq           INTEGER NOT NULL,
    amount_fen    INTEGER NOT NULL,
    paid_on       TEXT,
    source_file   TEXT NOT NULL,
    source_line   INTEGER NOT NULL,
    source_sha256 TEXT NOT NULL,
    recorded_at   TEXT NOT NULL
) WITHOUT ROWID;
";

fn sql_err(path: &str, e: rusqlite::Error) -> Error {
    Error::io(path, format!("ledger database error: {e}"))
}

/// Refuses a database that is neither empty nor a yibao-recon ledger,
/// without writing to it (the check `ensure` repeats under the lock).
pub fn check_ours(conn: &Connection, path: &str) -> Result<()> {
    let app: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(|e| not_a_ledger(path, e))?;
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(|e| not_a_ledger(path, e))?;
    if app != APPLICATION_ID && !(app == 0 && tables == 0) {
        return Err(foreign(path));
    }
    Ok(())
}

fn foreign(path: &str) -> Error {
    Error::io(
        path,
        "this file is not a yibao-recon ledger (another SQLite database); give --ledger a new file name",
    )
}

/// Creates the tables in an empty file, or checks an existing file is a
/// ledger of this version. Runs inside the caller's transaction.
pub fn ensure(conn: &Connection, path: &str) -> Result<()> {
    let err = |e| sql_err(path, e);
    let app: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(|e| not_a_ledger(path, e))?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(err)?;
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(err)?;
    if app == 0 && version == 0 && tables == 0 {
        conn.execute_batch(DDL_V1).map_err(err)?;
        conn.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {VERSION};"
        ))
        .map_err(err)?;
        return Ok(());
    }
    if app != APPLICATION_ID {
        return Err(foreign(path));
    }
    if version > VERSION {
        return Err(Error::io(
            path,
            format!(
                "this ledger was written by a newer yibao-recon (schema version {version}, this build reads {VERSION}); use that version"
            ),
        ));
    }
    if version < VERSION {
        return Err(Error::Internal(format!(
            "{path}: ledger schema version {version} has no migration"
        )));
    }
    Ok(())
}

/// SQLite's "file is not a database" in words a clerk can act on.
pub fn not_a_ledger(path: &str, e: rusqlite::Error) -> Error {
    // Issue 15: a new ledger's first run holds the file exclusively once it
    // writes its pages (a rollback journal): that is "in use", not "not a
    // ledger".
    if super::is_busy(&e) {
        return super::locked(path);
    }
    Error::io(
        path,
        format!("cannot be opened as a ledger ({e}); --ledger must name a yibao-recon ledger file or a new file"),
    )
}
