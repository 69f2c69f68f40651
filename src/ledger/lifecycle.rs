//! Lifecycles (生命周期): this run's items against the previous run of the
//! same series and the refunds confirmed paid, inside the run's transaction.
//!
//! For a run at as-of `T` (sequence number `N`), with `P` the latest recorded
//! run of the series before `T`:
//! - an item confirmed paid (a payment imported before `N`) is `paid`; if this
//!   run computes another amount, that contradiction goes to `conflicts.csv`;
//! - an item `P` listed as new or carried is `carried`;
//! - any other item is `new`, first listed at `T`;
//! - an item `P` listed open that this run does not list is `resolved`;
//! - a paid item this run does not list at all is a conflict (paid, no longer due).
//!
//! Re-running a recorded month with the same inputs (same fingerprint) is a
//! replay: the same computation against the same `P` and the same payments,
//! nothing written. With other inputs it is refused, naming what differs
//! ([`super::rerun`]), unless `--replace` asks to replace that month, which
//! is possible only while no later month builds on it.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDate;
use foldhash::fast::FixedState;
use rusqlite::{params, Connection, OptionalExtension};

use super::bulk::{self, int, text, Col};
use super::{
    sql_err, Change, ChangeKind, ItemFacts, LedgerConflict, Lifecycle, ListKind, Mark, Marks,
};
use crate::domain::{fmt_date, parse_date, Fen};
use crate::error::Result;
use crate::i18n::Msg;

/// What a run records about itself.
#[derive(Debug, Clone)]
pub struct RunRecord {
    pub series: String,
    pub as_of: NaiveDate,
    pub policy_id: String,
    pub policy_sha256: String,
    /// SHA-256 over what decides the outputs (tool version, policy, as-of,
    /// schemas, every input's kind and SHA-256).
    pub fingerprint: String,
    /// JSON: inputs, policy, counts.
    pub manifest: serde_json::Value,
}

impl RunRecord {
    /// The record of a run: its manifest, and the fingerprint that tells a
    /// replay of the same month and inputs from a new run.
    pub fn new(
        policy: &crate::policy::Policy,
        as_of: NaiveDate,
        schemas_origin: &str,
        data: &crate::ingest::Ingested,
        outcome: &crate::rules::Outcome,
    ) -> RunRecord {
        use sha2::{Digest, Sha256};
        let version = env!("CARGO_PKG_VERSION");
        let inputs: Vec<serde_json::Value> = data
            .files
            .iter()
            .map(crate::report::summary::input_json)
            .collect();
        // Issue 13: the inputs as a set (sorted), so the same files given
        // in another order (a job file's table against the command line)
        // are the same month, not "other inputs".
        let mut given: Vec<[&str; 2]> = data
            .files
            .iter()
            .map(|f| [f.kind.key(), f.sha256.as_str()])
            .collect();
        given.sort_unstable();
        let decides = serde_json::json!({
            "tool_version": version,
            "policy_sha256": policy.sha256,
            "as_of": fmt_date(as_of),
            "schemas": schemas_origin,
            "inputs": given,
        });
        let fingerprint = crate::ingest::read::hex(&Sha256::digest(decides.to_string().as_bytes()));
        let manifest = serde_json::json!({
            "tool_version": version,
            "policy": {
                "id": policy.id,
                "sha256": policy.sha256,
                "region_code": policy.region_code,
                "year": policy.year,
            },
            "as_of": fmt_date(as_of),
            "schemas": schemas_origin,
            "inputs": inputs,
            "counts": {
                "refunds": outcome.refunds.len(),
                "rerating": outcome.rerating.len(),
                "missing_enrollment": outcome.missing.len(),
                "transfers": outcome.transfers.len(),
                "late_payment": outcome.late.len(),
                "rejects": data.rejects.len(),
                "conflicts": data.conflicts.len() + outcome.conflicts.len(),
            },
            // Issue 16: the dashboard charts coverage month by month.
            "coverage": super::months::coverage_json(policy, outcome),
        });
        RunRecord {
            series: super::keys::series(policy),
            as_of,
            policy_id: policy.id.clone(),
            policy_sha256: policy.sha256.clone(),
            fingerprint,
            manifest,
        }
    }
}

/// An item as a recorded run left it.
struct Prev {
    lifecycle: Lifecycle,
    first_listed: NaiveDate,
    list: ListKind,
    person: String,
    year: i32,
    county: String,
    name: String,
    detail: String,
    amount: Fen,
    disposition: String,
}

/// A confirmed refund.
struct Payment {
    amount: Fen,
    paid_on: Option<String>,
    source_file: String,
    source_line: i64,
    person: String,
    name: String,
    first_listed: Option<NaiveDate>,
}

fn date_col(s: String) -> NaiveDate {
    parse_date(&s).unwrap_or_default()
}

/// Computes this run's marks and, unless it is a replay, records the run.
/// `known` gets the marks as soon as they are computed, before the run's
/// rows are written (issue 15: the lists with the ledger's columns are
/// built beside those writes).
pub fn reconcile(
    conn: &Connection,
    display: &str,
    run: &RunRecord,
    lists: &[Vec<ItemFacts>; 3],
    (replace, known): (bool, super::MarksKnown<'_>),
) -> Result<Arc<Marks>> {
    let err = |e| sql_err(display, e);
    let as_of = fmt_date(run.as_of);
    let existing: Option<(i64, String, String)> = conn
        .query_row(
            "SELECT run_id, fingerprint, manifest FROM runs WHERE series = ?1 AND as_of = ?2",
            params![run.series, as_of],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()
        .map_err(err)?;
    let later: Option<String> = conn
        .query_row(
            "SELECT max(as_of) FROM runs WHERE series = ?1 AND as_of > ?2",
            params![run.series, as_of],
            |r| r.get(0),
        )
        .map_err(err)?;
    let replay = existing
        .as_ref()
        .is_some_and(|(_, f, _)| *f == run.fingerprint);
    if let (Some(later), false) = (&later, replay) {
        let (zh, en) = if existing.is_some() {
            (
                format!("{as_of} 的运行是用另一批输入记录的，且 {later} 的运行以它为基础"),
                format!("the run of {as_of} was recorded with other inputs, and the run of {later} builds on it"),
            )
        } else {
            (
                format!("账本已记录 {} 更晚的一次运行（{later}）", run.series),
                format!("it already holds a later run ({later}) of {}", run.series),
            )
        };
        return Err(crate::error::usage(
            format!(
                "账本 {display}：无法记录对账日期为 {as_of} 的运行：{zh}。各月须按顺序记录；重跑 {as_of} 只能用它原来的输入，试算请加 --no-ledger，或用 --ledger 指定一个新账本文件"
            ),
            format!(
                "ledger {display}: cannot record a run as of {as_of}: {en}. Months are recorded in order; re-run {as_of} only with its original inputs, pass --no-ledger for a trial run, or give --ledger a new file"
            ),
        ));
    }
    let replaced = existing.is_some() && !replay;
    if let (Some((_, _, manifest)), true, false) = (&existing, replaced, replace) {
        let old: serde_json::Value = serde_json::from_str(manifest).unwrap_or_default();
        let diffs = super::rerun::differences(&old, &run.manifest);
        return Err(super::rerun::refusal(display, &as_of, &diffs));
    }
    let seq = match &existing {
        Some((id, _, _)) if replay => *id,
        _ => {
            if let Some((id, _, _)) = &existing {
                conn.execute("DELETE FROM runs WHERE run_id = ?1", [id])
                    .map_err(err)?;
            }
            next_seq(conn).map_err(err)?
        }
    };
    let previous: Option<(i64, String)> = conn
        .query_row(
            "SELECT run_id, as_of FROM runs WHERE series = ?1 AND as_of < ?2 ORDER BY as_of DESC LIMIT 1",
            params![run.series, as_of],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .map_err(err)?;
    let prev = match &previous {
        Some((id, _)) => load_prev(conn, *id).map_err(err)?,
        None => ByKey::default(),
    };
    let paid = load_payments(conn, &run.series, seq, &as_of).map_err(err)?;

    let mut marks = Marks {
        previous: previous.map(|(_, d)| date_col(d)),
        replay,
        replaced,
        ..Marks::default()
    };
    // Issue 15: which keys this run lists matters only against the previous
    // run's open items and the payments; a first run has neither.
    let n: usize = lists.iter().map(Vec::len).sum();
    let track = !(prev.is_empty() && paid.is_empty());
    let mut seen: HashSet<&str, FixedState> =
        HashSet::with_capacity_and_hasher(if track { n } else { 0 }, FixedState::default());
    let mut rows: Vec<(&ItemFacts, Mark)> = Vec::with_capacity(n);
    marks.changes.reserve(n);
    for list in lists {
        for it in list {
            if track {
                seen.insert(&it.key);
            }
            let p = prev.get(&it.key);
            let mark = if let Some(pay) = paid.get(&it.key) {
                let first = p
                    .map(|p| p.first_listed)
                    .or(pay.first_listed)
                    .unwrap_or(run.as_of);
                if p.is_none_or(|p| p.lifecycle != Lifecycle::Paid) {
                    marks
                        .changes
                        .push(change(ChangeKind::Paid, it, first, paid_note(pay)));
                }
                if pay.amount != it.amount {
                    marks.conflicts.push(LedgerConflict {
                        origin: it.origin,
                        person: it.person.clone(),
                        name: it.name.clone(),
                        code: "PAID_REFUND_CHANGED",
                        message: Msg::new(
                            format!(
                                "该笔退费已确认支付 {}（{} 第 {} 行），本月数据算得 {}（{}）；已付款项不再重复列为新增，请人工核实差额",
                                pay.amount, pay.source_file, pay.source_line, it.amount, it.detail
                            ),
                            format!(
                                "this refund was confirmed paid {} ({} line {}); this month's inputs give {} ({}); it is not listed as new again: review the difference by hand",
                                pay.amount, pay.source_file, pay.source_line, it.amount, it.detail
                            ),
                        ),
                    });
                }
                Mark {
                    lifecycle: Lifecycle::Paid,
                    first_listed: first,
                }
            } else if let Some(p) = p.filter(|p| p.lifecycle.is_open()) {
                let note = differences(p, it);
                if !note.is_empty() {
                    marks
                        .changes
                        .push(change(ChangeKind::Changed, it, p.first_listed, note));
                }
                Mark {
                    lifecycle: Lifecycle::Carried,
                    first_listed: p.first_listed,
                }
            } else {
                marks
                    .changes
                    .push(change(ChangeKind::New, it, run.as_of, String::new()));
                Mark {
                    lifecycle: Lifecycle::New,
                    first_listed: run.as_of,
                }
            };
            match it.list {
                ListKind::Refunds => marks.refunds.push(mark),
                ListKind::Rerating => marks.rerating.push(mark),
                ListKind::Missing => marks.missing.push(mark),
            }
            rows.push((it, mark));
        }
    }

    let mut resolved: Vec<(&String, &Prev)> = prev
        .iter()
        .filter(|(k, p)| {
            p.lifecycle.is_open() && !seen.contains(k.as_str()) && !paid.contains_key(*k)
        })
        .collect();
    resolved.sort_by(|a, b| a.0.cmp(b.0));
    for (key, p) in &resolved {
        marks.changes.push(Change {
            kind: ChangeKind::Resolved,
            list: p.list,
            county: p.county.clone(),
            person: p.person.clone(),
            name: p.name.clone(),
            year: p.year,
            detail: p.detail.clone(),
            amount: p.amount,
            disposition: p.disposition.clone(),
            first_listed: p.first_listed,
            note: String::new(),
            key: (*key).clone(),
        });
    }
    let mut not_due: Vec<(&String, &Payment)> = paid
        .iter()
        .filter(|(k, _)| !seen.contains(k.as_str()))
        .collect();
    not_due.sort_by(|a, b| a.0.cmp(b.0));
    for (_, pay) in not_due {
        marks.conflicts.push(LedgerConflict {
            origin: None,
            person: pay.person.clone(),
            name: pay.name.clone(),
            code: "PAID_REFUND_NOT_DUE",
            message: Msg::new(
                format!(
                    "该笔退费已确认支付 {}（{} 第 {} 行），但本月数据不再支持这笔退费；请人工核实是否需更正来源数据或追回",
                    pay.amount, pay.source_file, pay.source_line
                ),
                format!(
                    "this refund was confirmed paid {} ({} line {}) but this month's inputs no longer support it; review whether the source data or the payment needs correcting",
                    pay.amount, pay.source_file, pay.source_line
                ),
            ),
        });
    }
    // Keys are unique among the changes (one per item), so the order is
    // total and an unstable sort gives the stable sort's order.
    marks.changes.sort_unstable_by(|a, b| {
        (&a.county, &a.person, a.list, &a.key).cmp(&(&b.county, &b.person, b.list, &b.key))
    });
    let marks = Arc::new(marks);
    known(&marks);

    if !replay {
        let mut manifest = run.manifest.clone();
        if let Some(o) = manifest.as_object_mut() {
            o.insert("lifecycle".into(), marks.counts());
        }
        conn.execute(
            "INSERT INTO runs (run_id, series, as_of, policy_id, policy_sha256, fingerprint, manifest, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                seq,
                run.series,
                as_of,
                run.policy_id,
                run.policy_sha256,
                run.fingerprint,
                manifest.to_string(),
                chrono::Local::now().to_rfc3339(),
            ],
        )
        .map_err(err)?;
        // Issue 15 (i26l): the rows' checked columns are enum codes.
        bulk::without_checks(conn, || {
            record_items(conn, seq, &run.series, &rows, &resolved)
        })
        .map_err(err)?;
    }
    Ok(marks)
}

/// The next number of the sequence shared by runs and payments.
pub fn next_seq(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT max(coalesce((SELECT max(run_id) FROM runs), 0), coalesce((SELECT max(seq) FROM payments), 0)) + 1",
        [],
        |r| r.get(0),
    )
}

/// Items by key, hashed with foldhash (issue 15).
type ByKey<V> = HashMap<String, V, FixedState>;

fn load_prev(conn: &Connection, run_id: i64) -> rusqlite::Result<ByKey<Prev>> {
    let mut st = conn.prepare(
        "SELECT ir.key, ir.lifecycle, ir.first_listed, i.list, i.person, i.year, ir.county, ir.name,
                ir.detail, ir.amount_fen, ir.disposition
         FROM item_runs ir JOIN items i ON i.key = ir.key WHERE ir.run_id = ?1",
    )?;
    let rows = st.query_map([run_id], |r| {
        let life: String = r.get(1)?;
        let list: String = r.get(3)?;
        Ok((
            r.get::<_, String>(0)?,
            Prev {
                lifecycle: Lifecycle::parse(&life).unwrap_or(Lifecycle::Resolved),
                first_listed: date_col(r.get(2)?),
                list: ListKind::parse(&list).unwrap_or(ListKind::Refunds),
                person: r.get(4)?,
                year: r.get(5)?,
                county: r.get(6)?,
                name: r.get(7)?,
                detail: r.get(8)?,
                amount: Fen(r.get(9)?),
                disposition: r.get(10)?,
            },
        ))
    })?;
    rows.collect()
}

fn load_payments(
    conn: &Connection,
    series: &str,
    seq: i64,
    as_of: &str,
) -> rusqlite::Result<ByKey<Payment>> {
    let mut st = conn.prepare(
        "SELECT p.key, p.amount_fen, p.paid_on, p.source_file, p.source_line, i.person,
           (SELECT ir.name FROM item_runs ir JOIN runs r ON r.run_id = ir.run_id
             WHERE ir.key = p.key AND r.as_of <= ?3 ORDER BY r.as_of DESC LIMIT 1),
           (SELECT ir.first_listed FROM item_runs ir JOIN runs r ON r.run_id = ir.run_id
             WHERE ir.key = p.key AND r.as_of < ?3 ORDER BY r.as_of DESC LIMIT 1)
         FROM payments p JOIN items i ON i.key = p.key
         WHERE i.series = ?1 AND p.seq < ?2",
    )?;
    let rows = st.query_map(params![series, seq, as_of], |r| {
        Ok((
            r.get::<_, String>(0)?,
            Payment {
                amount: Fen(r.get(1)?),
                paid_on: r.get(2)?,
                source_file: r.get(3)?,
                source_line: r.get(4)?,
                person: r.get(5)?,
                name: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
                first_listed: r.get::<_, Option<String>>(7)?.map(date_col),
            },
        ))
    })?;
    rows.collect()
}

/// One `item_runs` row before it is written.
struct StateRow<'a> {
    key: &'a str,
    lifecycle: Lifecycle,
    first_listed: &'a str,
    disposition: &'a str,
    detail: &'a str,
    amount: Fen,
    county: &'a str,
    name: &'a str,
}

/// Writes the run's items (new ones only; an item keeps the facts it was
/// first listed with) and each item's state in this run.
///
/// Issue 15: rows go in key order, the order of both tables' primary keys
/// and of `item_runs_by_key`, so every insert lands on the B-tree's last
/// page instead of a random one (at 10 M persons the random order made the
/// transaction page through the cache for every row). Both tables are
/// `WITHOUT ROWID`, so the order they are written in leaves no trace in
/// their contents. The sort is stable: equal keys (none are expected) keep
/// the order `INSERT OR IGNORE` saw before.
fn record_items(
    conn: &Connection,
    seq: i64,
    series: &str,
    rows: &[(&ItemFacts, Mark)],
    resolved: &[(&String, &Prev)],
) -> rusqlite::Result<()> {
    let mut by_key: Vec<&(&ItemFacts, Mark)> = rows.iter().collect();
    by_key.sort_by(|a, b| a.0.key.cmp(&b.0.key));
    let each = Col::Each;
    bulk::insert(
        conn,
        (
            "INSERT OR IGNORE INTO items (key, series, list, person, year, county, pay_date)",
            &[each, Col::Shared(0), each, each, each, each, each],
        ),
        &[text(series)],
        &by_key,
        |(it, _)| {
            [
                text(&it.key),
                text(it.list.code()),
                text(&it.person),
                int(i64::from(it.year)),
                text(&it.county),
                text(&it.pay_date),
            ]
        },
    )?;
    // Issue 15: each first-listed date formatted once (a first run's items
    // all share the run's date), not once per row.
    let mut dates: HashMap<NaiveDate, String, FixedState> = HashMap::default();
    for d in by_key.iter().map(|(_, m)| m.first_listed) {
        dates.entry(d).or_insert_with(|| fmt_date(d));
    }
    for (_, p) in resolved {
        dates
            .entry(p.first_listed)
            .or_insert_with(|| fmt_date(p.first_listed));
    }
    let mut states: Vec<StateRow> = by_key
        .iter()
        .map(|(it, m)| StateRow {
            key: &it.key,
            lifecycle: m.lifecycle,
            first_listed: &dates[&m.first_listed],
            disposition: &it.disposition,
            detail: &it.detail,
            amount: it.amount,
            county: &it.county,
            name: &it.name,
        })
        .chain(resolved.iter().map(|(key, p)| StateRow {
            key: key.as_str(),
            lifecycle: Lifecycle::Resolved,
            first_listed: &dates[&p.first_listed],
            disposition: &p.disposition,
            detail: &p.detail,
            amount: p.amount,
            county: &p.county,
            name: &p.name,
        }))
        .collect();
    states.sort_by(|a, b| a.key.cmp(b.key));
    bulk::insert(
        conn,
        (
            "INSERT INTO item_runs (run_id, key, lifecycle, first_listed, disposition, detail, amount_fen, county, name)",
            &[Col::Shared(0), each, each, each, each, each, each, each, each],
        ),
        &[int(seq)],
        &states,
        |s| {
            [
                text(s.key),
                text(s.lifecycle.code()),
                text(s.first_listed),
                text(s.disposition),
                text(s.detail),
                int(s.amount.0),
                text(s.county),
                text(s.name),
            ]
        },
    )
}

fn change(kind: ChangeKind, it: &ItemFacts, first: NaiveDate, note: String) -> Change {
    Change {
        kind,
        list: it.list,
        county: it.county.clone(),
        person: it.person.clone(),
        name: it.name.clone(),
        year: it.year,
        detail: it.detail.clone(),
        amount: it.amount,
        disposition: it.disposition.clone(),
        first_listed: first,
        note,
        key: it.key.clone(),
    }
}

/// What differs between last run's listing and this one (`a → b; …`).
fn differences(p: &Prev, it: &ItemFacts) -> String {
    let mut out = Vec::new();
    if p.detail != it.detail {
        out.push(format!("{} → {}", p.detail, it.detail));
    }
    if p.amount != it.amount {
        out.push(format!("{} → {}", p.amount, it.amount));
    }
    if p.disposition != it.disposition {
        out.push(format!("{} → {}", p.disposition, it.disposition));
    }
    if p.county != it.county {
        out.push(format!("{} → {}", p.county, it.county));
    }
    out.join("; ")
}

fn paid_note(p: &Payment) -> String {
    let on = p.paid_on.as_deref().unwrap_or("");
    let sep = if on.is_empty() { "" } else { " " };
    format!(
        "{on}{sep}{} {} 第 {} 行",
        p.amount, p.source_file, p.source_line
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(list: ListKind, key: &str, amount: i64) -> ItemFacts {
        ItemFacts {
            list,
            key: key.to_string(),
            person: "640104196804121025".to_string(),
            year: 2026,
            county: "640104".to_string(),
            pay_date: String::new(),
            name: "马玉兰".to_string(),
            detail: "退费".to_string(),
            amount: Fen(amount),
            disposition: String::new(),
            origin: None,
        }
    }

    fn count(conn: &Connection, table: &str) -> i64 {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }

    /// Issue 15 (i26l): `record_items` writes without the schema's
    /// `CHECK`s, which hold because every code it writes passes them.
    #[test]
    fn every_list_and_lifecycle_code_passes_the_schemas_checks() {
        let conn = Connection::open_in_memory().unwrap();
        crate::ledger::schema::ensure(&conn, ":memory:").unwrap();
        conn.execute_batch(
            "INSERT INTO runs VALUES (1, 's', '2026-01-31', 'p', 'h', 'f', '{}', 'now');
             INSERT INTO runs VALUES (2, 's', '2026-02-28', 'p', 'h', 'g', '{}', 'now');",
        )
        .unwrap();
        for list in ListKind::ALL {
            conn.execute(
                "INSERT INTO items VALUES (?1, 's', ?1, 'p', 2026, 'c', '')",
                [list.code()],
            )
            .unwrap();
        }
        let lifecycles = [
            Lifecycle::New,
            Lifecycle::Carried,
            Lifecycle::Resolved,
            Lifecycle::Paid,
        ];
        for (i, l) in lifecycles.into_iter().enumerate() {
            conn.execute(
                "INSERT INTO item_runs VALUES (?1, ?2, ?3, '', '', '', 0, '', '')",
                rusqlite::params![1 + i / 3, ListKind::ALL[i % 3].code(), l.code()],
            )
            .unwrap();
        }
        // And the checks are there: another code is refused.
        assert!(conn
            .execute(
                "INSERT INTO items VALUES ('k', 's', 'transfers', 'p', 2026, 'c', '')",
                [],
            )
            .is_err());
    }

    /// Issue 15: the marks are handed out complete before any of the run's
    /// rows is written, and they are the marks the run records.
    #[test]
    fn the_marks_are_known_before_the_run_is_written() {
        let ledger = crate::ledger::Ledger::trial().unwrap();
        let conn = ledger.conn();
        let run = RunRecord {
            series: "640000/2026".to_string(),
            as_of: NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
            policy_id: "ningxia-2026".to_string(),
            policy_sha256: "0".repeat(64),
            fingerprint: "f".repeat(64),
            manifest: serde_json::json!({}),
        };
        let lists = [
            vec![item(ListKind::Refunds, "k-refund", 32_000)],
            Vec::new(),
            vec![item(ListKind::Missing, "k-missing", 40_000)],
        ];
        let seen = std::cell::RefCell::new(None);
        let known = |m: &Arc<Marks>| {
            let rows = (count(conn, "runs"), count(conn, "item_runs"));
            *seen.borrow_mut() = Some((Arc::clone(m), rows));
        };
        let marks = reconcile(conn, "--no-ledger", &run, &lists, (false, &known)).unwrap();
        let (early, rows_then) = seen.into_inner().expect("the marks were handed out");
        assert_eq!(rows_then, (0, 0), "nothing of the run written yet");
        assert!(Arc::ptr_eq(&early, &marks));
        assert_eq!((marks.refunds.len(), marks.missing.len()), (1, 1));
        assert_eq!(marks.refunds[0].lifecycle, Lifecycle::New);
        assert_eq!((count(conn, "runs"), count(conn, "item_runs")), (1, 2));
    }
}
