//! Bulk inserts (批量写入, issue 15): the rows of one table written with one
//! statement per [`PARAMS`] bound parameters instead of one per row, inside
//! the run's transaction. SQLite applies a multi-row `INSERT` row by row (an
//! `OR IGNORE` row that conflicts is skipped alone), so the table ends the
//! same; what is saved is the per-statement work (binding, reset, halt). A
//! value the same for every row is bound once per statement, and a text is
//! bound where it lies, not copied (issue 15, i26l).

use std::ffi::{c_int, CStr};
use std::ptr;

use rusqlite::{ffi, Connection};

/// Parameters per statement: 2,048 stay far below SQLite's limit of
/// 32,766 bound parameters. Issue 15 (i25l): about 256 rows of a 9-column
/// table (it was 64 rows), a quarter of the statements, so a quarter of the
/// per-statement work and of the statement journal's copies of the pages
/// each statement first touches. Issue 15 (i26l): counted in parameters,
/// not rows, so a table whose rows bind two parameters (the roster
/// listings) writes 1,024 rows per statement.
pub const PARAMS: usize = 2048;

/// Inserts `rows` into `head` (`INSERT … INTO table (a, b, …)`), each row's
/// columns laid out by `row`: [`Col::Shared`] `i` is `shared[i]`, the same
/// for every row, bound once per statement (issue 15 (i26l): a run's id, its
/// series, a listing's roster kind were bound, and copied, once per row);
/// the [`Col::Each`] columns take the `N` values `cols` gives, in order.
/// Rows go in the order of `rows`.
///
/// The statement of [`PARAMS`] parameters' worth of rows is prepared once
/// per call and reused for every full chunk (issue 15: not its text rebuilt,
/// hashed and looked up in the statement cache per chunk); a shorter last
/// chunk gets its own.
pub fn insert<T, const N: usize>(
    conn: &Connection,
    (head, row): (&str, &[Col]),
    shared: &[Val<'_>],
    rows: &[T],
    cols: impl Fn(&T) -> [Val<'_>; N],
) -> rusqlite::Result<()> {
    debug_assert_eq!(row.iter().filter(|c| **c == Col::Each).count(), N);
    let chunk_rows = (PARAMS / N.max(1)).max(1);
    let prepare = |n: usize| -> rusqlite::Result<Raw<'_>> {
        let mut st = Raw::prepare(conn, &statement(head, row, shared.len(), n))?;
        for (i, v) in shared.iter().enumerate() {
            st.bind(i + 1, *v)?;
        }
        Ok(st)
    };
    let mut full = None;
    for chunk in rows.chunks(chunk_rows) {
        let mut short;
        let st = if chunk.len() == chunk_rows {
            match &mut full {
                Some(st) => st,
                None => full.insert(prepare(chunk_rows)?),
            }
        } else {
            short = prepare(chunk.len())?;
            &mut short
        };
        let mut i = shared.len() + 1;
        for row in chunk {
            for v in cols(row) {
                st.bind(i, v)?;
                i += 1;
            }
        }
        st.execute()?;
    }
    Ok(())
}

/// Runs `f` with SQLite's `CHECK` constraints left out of the statements it
/// prepares (`PRAGMA ignore_check_constraints`), then puts them back.
///
/// Issue 15 (i26l): SQLite evaluates a `CHECK (x IN ('a', 'b', 'c'))`
/// by building a scratch B-tree of the list for every row it checks (the
/// "once per statement" shortcut is off inside `CHECK`), so at 10 M persons
/// 670 k scratch trees for `items.list` and `item_runs.lifecycle`. Only for
/// rows whose checked columns are the `code()` of a Rust enum
/// (`ListKind`, `Lifecycle`), which the type system keeps inside those
/// lists (pinned by a test of every code against the schema): the rows
/// and the schema are the same, a ledger edited by hand is still checked by
/// every other statement.
pub fn without_checks<R>(
    conn: &Connection,
    f: impl FnOnce() -> rusqlite::Result<R>,
) -> rusqlite::Result<R> {
    conn.execute_batch("PRAGMA ignore_check_constraints = ON")?;
    let r = f();
    let back = conn.execute_batch("PRAGMA ignore_check_constraints = OFF");
    let r = r?;
    back?;
    Ok(r)
}

/// Where a row's column takes its value from (see [`insert`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    /// The statement's shared value of this index.
    Shared(usize),
    /// The row's next value.
    Each,
}

/// A column's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Val<'a> {
    Int(i64),
    Text(&'a str),
}

/// A text column, bound where it lies (see [`Raw`]).
pub fn text(s: &str) -> Val<'_> {
    Val::Text(s)
}

/// An integer column.
pub fn int(i: i64) -> Val<'static> {
    Val::Int(i)
}

/// A prepared statement whose texts SQLite reads where they lie
/// (`SQLITE_STATIC`) instead of copying each into an allocation of its own
/// (`SQLITE_TRANSIENT`, rusqlite's only way): issue 15 (i26l), at 10 M
/// persons 334 k items of eleven texts (3.7 M binds), each an allocation, a copy
/// and a free. Safe because every text bound outlives the statement: a
/// [`Val`] borrows it from the rows (or the shared values) that outlive
/// [`insert`], every parameter is bound again before each execution, and
/// the statement is finalized before `insert` returns.
struct Raw<'c> {
    conn: &'c Connection,
    stmt: *mut ffi::sqlite3_stmt,
}

impl<'c> Raw<'c> {
    fn prepare(conn: &'c Connection, sql: &str) -> rusqlite::Result<Raw<'c>> {
        let len = c_int::try_from(sql.len()).map_err(|_| too_big())?;
        let mut stmt = ptr::null_mut();
        // SAFETY: the connection's handle is open while `conn` lives, and
        // `sql` is `len` valid bytes.
        let rc = unsafe {
            ffi::sqlite3_prepare_v2(
                conn.handle(),
                sql.as_ptr().cast(),
                len,
                &mut stmt,
                ptr::null_mut(),
            )
        };
        let raw = Raw { conn, stmt };
        if rc != ffi::SQLITE_OK {
            return Err(raw.error(rc));
        }
        Ok(raw)
    }

    /// Binds parameter `i` (from 1). A text must stay where it lies until
    /// the statement is finalized or the parameter bound again.
    fn bind(&mut self, i: usize, v: Val<'_>) -> rusqlite::Result<()> {
        let i = c_int::try_from(i).map_err(|_| too_big())?;
        // SAFETY: `stmt` is a live statement; a text's bytes outlive it
        // (see the type's comment) and are `len` long.
        let rc = unsafe {
            match v {
                Val::Int(n) => ffi::sqlite3_bind_int64(self.stmt, i, n),
                Val::Text(s) => {
                    let len = c_int::try_from(s.len()).map_err(|_| too_big())?;
                    ffi::sqlite3_bind_text(
                        self.stmt,
                        i,
                        s.as_ptr().cast(),
                        len,
                        ffi::SQLITE_STATIC(),
                    )
                }
            }
        };
        match rc {
            ffi::SQLITE_OK => Ok(()),
            _ => Err(self.error(rc)),
        }
    }

    /// Runs the statement to its end and resets it (its bindings stay).
    fn execute(&mut self) -> rusqlite::Result<()> {
        // SAFETY: `stmt` is a live statement of this connection.
        let rc = unsafe { ffi::sqlite3_step(self.stmt) };
        // SAFETY: as above; reset returns the step's error again.
        unsafe { ffi::sqlite3_reset(self.stmt) };
        match rc {
            ffi::SQLITE_DONE => Ok(()),
            ffi::SQLITE_ROW => Err(rusqlite::Error::ExecuteReturnedResults),
            _ => Err(self.error(rc)),
        }
    }

    /// SQLite's error `rc` with the connection's message.
    fn error(&self, rc: c_int) -> rusqlite::Error {
        // SAFETY: the handle is open; SQLite's message is a C string it
        // owns until the next call on the connection, copied here.
        let msg = unsafe {
            let m = ffi::sqlite3_errmsg(self.conn.handle());
            (!m.is_null()).then(|| CStr::from_ptr(m).to_string_lossy().into_owned())
        };
        rusqlite::Error::SqliteFailure(ffi::Error::new(rc), msg)
    }
}

impl Drop for Raw<'_> {
    fn drop(&mut self) {
        // SAFETY: finalized once, here; a null statement is a no-op.
        unsafe { ffi::sqlite3_finalize(self.stmt) };
    }
}

/// A statement or value past SQLite's `int` sizes (never at our sizes).
fn too_big() -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(ffi::Error::new(ffi::SQLITE_TOOBIG), None)
}

/// `head VALUES (?2, ?1, ?3), (?4, ?1, ?5)`: `rows` rows laid out by `row`,
/// the shared values numbered first, every parameter numbered (an
/// unnumbered `?` after `?1` would take the number after the largest so
/// far, which depends on where the shared ones stand).
fn statement(head: &str, row: &[Col], shared: usize, rows: usize) -> String {
    let mut sql = String::with_capacity(head.len() + 8 + rows * row.len() * 7);
    sql.push_str(head);
    sql.push_str(" VALUES ");
    let mut next = shared + 1;
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for (j, c) in row.iter().enumerate() {
            if j > 0 {
                sql.push_str(", ");
            }
            let n = match c {
                Col::Shared(i) => i + 1,
                Col::Each => {
                    next += 1;
                    next - 1
                }
            };
            sql.push('?');
            sql.push_str(&n.to_string());
        }
        sql.push(')');
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_lands_once_and_or_ignore_skips_only_the_conflicting_row() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE t (k INTEGER PRIMARY KEY, s TEXT NOT NULL, v TEXT NOT NULL, r INTEGER NOT NULL)",
        )
        .unwrap();
        // Two full chunks and a remainder; key 7 twice, in the second
        // chunk (the second is ignored, the rows after it still land).
        let chunk = PARAMS / 2;
        let last = (2 * chunk + 21) as i64;
        let mut rows: Vec<(i64, String)> = (0..last).map(|k| (k, format!("v{k}"))).collect();
        rows.insert(chunk + 36, (7, "again".into()));
        let layout = [Col::Each, Col::Shared(1), Col::Each, Col::Shared(0)];
        insert(
            &conn,
            ("INSERT OR IGNORE INTO t (k, s, v, r)", &layout),
            &[int(42), text("shared")],
            &rows,
            |r| [int(r.0), text(&r.1)],
        )
        .unwrap();
        let n: i64 = conn
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, last);
        // Every row, of the full chunks and of the last one, has the
        // shared values in their columns.
        let shared: i64 = conn
            .query_row(
                "SELECT count(*) FROM t WHERE s = 'shared' AND r = 42",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(shared, last);
        let v: String = conn
            .query_row("SELECT v FROM t WHERE k = 7", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, "v7");
        let v: String = conn
            .query_row("SELECT v FROM t WHERE k = ?1", [last - 1], |r| r.get(0))
            .unwrap();
        assert_eq!(v, format!("v{}", last - 1));
        assert_eq!(
            statement("INSERT INTO t (a, b, c)", &layout[..3], 2, 2),
            "INSERT INTO t (a, b, c) VALUES (?3, ?2, ?4), (?5, ?2, ?6)"
        );
    }
}
