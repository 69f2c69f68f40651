//! Bulk inserts (批量写入, issue 15): the rows of one table written with one
//! statement per [`CHUNK`] rows instead of one per row, inside the run's
//! transaction. SQLite applies a multi-row `INSERT` row by row (an `OR
//! IGNORE` row that conflicts is skipped alone), so the table ends the same;
//! what is saved is the per-statement work (binding, reset, halt, and the
//! scratch table each `CHECK (x IN (…))` opens per execution). A value the
//! same for every row is bound once per statement (issue 15, i26l).

use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use rusqlite::Connection;

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
    shared: &[ToSqlOutput<'_>],
    rows: &[T],
    cols: impl Fn(&T) -> [ToSqlOutput<'_>; N],
) -> rusqlite::Result<()> {
    debug_assert_eq!(row.iter().filter(|c| **c == Col::Each).count(), N);
    let chunk_rows = (PARAMS / N.max(1)).max(1);
    let prepare = |n: usize| -> rusqlite::Result<rusqlite::Statement<'_>> {
        let mut st = conn.prepare(&statement(head, row, shared.len(), n))?;
        for (i, v) in shared.iter().enumerate() {
            st.raw_bind_parameter(i + 1, v)?;
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
                st.raw_bind_parameter(i, v)?;
                i += 1;
            }
        }
        st.raw_execute()?;
    }
    Ok(())
}

/// Where a row's column takes its value from (see [`insert`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    /// The statement's shared value of this index.
    Shared(usize),
    /// The row's next value.
    Each,
}

/// A text column, bound from the caller's string.
pub fn text(s: &str) -> ToSqlOutput<'_> {
    ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes()))
}

/// An integer column.
pub fn int(i: i64) -> ToSqlOutput<'static> {
    ToSqlOutput::Owned(Value::Integer(i))
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
