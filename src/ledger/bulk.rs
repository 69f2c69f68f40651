//! Bulk inserts (批量写入, issue 15): the rows of one table written with one
//! statement per [`CHUNK`] rows instead of one per row, inside the run's
//! transaction. SQLite applies a multi-row `INSERT` row by row (an `OR
//! IGNORE` row that conflicts is skipped alone), so the table ends the same;
//! what is saved is the per-statement work (binding, reset, halt, and the
//! scratch table each `CHECK (x IN (…))` opens per execution).

use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use rusqlite::Connection;

/// Rows per statement: 256 rows of 9 columns stay far below SQLite's
/// limit of 32,766 bound parameters. Issue 15 (i25l): 256 rather than 64,
/// a quarter of the statements, so a quarter of the per-statement work and
/// of the statement journal's copies of the pages each statement first
/// touches.
pub const CHUNK: usize = 256;

/// Inserts `rows` into `head` (`INSERT … INTO table (a, b, …)`), each row's
/// `N` columns given by `cols`, in the order of `rows`.
///
/// The statement of [`CHUNK`] rows is prepared once per call and reused for
/// every full chunk (issue 15: not its text rebuilt, hashed and looked up in
/// the statement cache per chunk); a shorter last chunk gets its own.
pub fn insert<T, const N: usize>(
    conn: &Connection,
    head: &str,
    rows: &[T],
    cols: impl Fn(&T) -> [ToSqlOutput<'_>; N],
) -> rusqlite::Result<()> {
    let mut full = None;
    for chunk in rows.chunks(CHUNK) {
        let mut short;
        let st = if chunk.len() == CHUNK {
            match &mut full {
                Some(st) => st,
                None => full.insert(conn.prepare(&statement(head, N, CHUNK))?),
            }
        } else {
            short = conn.prepare(&statement(head, N, chunk.len()))?;
            &mut short
        };
        let mut i = 1;
        for row in chunk {
            for v in cols(row) {
                st.raw_bind_parameter(i, v)?;
                i += 1;
            }
        }
        st.raw_execute()?;
    }
    Ok(())
}

/// A text column, bound from the caller's string.
pub fn text(s: &str) -> ToSqlOutput<'_> {
    ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes()))
}

/// An integer column.
pub fn int(i: i64) -> ToSqlOutput<'static> {
    ToSqlOutput::Owned(Value::Integer(i))
}

/// `head VALUES (?, …), (?, …)`: `rows` groups of `n` parameters.
fn statement(head: &str, n: usize, rows: usize) -> String {
    let one = format!("({})", vec!["?"; n].join(", "));
    format!("{head} VALUES {}", vec![one; rows].join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_lands_once_and_or_ignore_skips_only_the_conflicting_row() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)")
            .unwrap();
        // Two full chunks and a remainder; key 7 twice, in the second
        // chunk (the second is ignored, the rows after it still land).
        let last = (2 * CHUNK + 21) as i64;
        let mut rows: Vec<(i64, String)> = (0..last).map(|k| (k, format!("v{k}"))).collect();
        rows.insert(CHUNK + 36, (7, "again".into()));
        insert(&conn, "INSERT OR IGNORE INTO t (k, v)", &rows, |r| {
            [int(r.0), text(&r.1)]
        })
        .unwrap();
        let n: i64 = conn
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, last);
        let v: String = conn
            .query_row("SELECT v FROM t WHERE k = 7", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, "v7");
        let v: String = conn
            .query_row("SELECT v FROM t WHERE k = ?1", [last - 1], |r| r.get(0))
            .unwrap();
        assert_eq!(v, format!("v{}", last - 1));
        assert_eq!(
            statement("INSERT INTO t (a, b)", 2, 2),
            "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)"
        );
    }
}
