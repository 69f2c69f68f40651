//! `summary.json`: what ran, on what, and what came out — the file an IT
//! clerk checks after a scheduled run. Every input satisfies
//! read = accepted + rejected + merged duplicates. Only `timings_ms` and
//! `generated_at` change between identical runs.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::csv_out::ReportTable;
use crate::domain::{fmt_date, Fen};
use crate::ingest::Ingested;
use crate::policy::Policy;
use crate::rules::{Outcome, RefundStatus};

/// Wall-clock milliseconds of each stage.
#[derive(Debug, Default, Clone, Copy)]
pub struct Timings {
    /// Reading, decoding and partitioning the inputs.
    pub read_ms: u128,
    /// Merging duplicates and validating rows into records.
    pub validate_ms: u128,
    /// Grouping by person (the join), the rules, sorting the lists.
    pub rules_ms: u128,
    pub write_ms: u128,
    /// Issue 15: the write stage's steps (they overlap).
    pub write_steps: WriteSteps,
}

/// Wall-clock milliseconds of the write stage's steps (issue 15). They
/// overlap: the ledger's SQL runs beside the tables that do not need it
/// (built and written as CSV meanwhile), and the workbooks beside the other
/// CSV files and the dashboard. `write` is the stage from the ledger's
/// start to summary.json.
#[derive(Debug, Default, Clone, Copy)]
pub struct WriteSteps {
    /// The ledger's transaction: lifecycles, the run's record, rosters.
    pub ledger_ms: u128,
    /// Beside it: the tables without the ledger's columns, and their CSV files.
    pub beside_ledger_ms: u128,
    /// Then, until the ledger is done: the county workbooks begun with
    /// those tables' lists (issue 15).
    pub county_xlsx_early_ms: u128,
    /// Then, once the ledger's marks are known and until it is done: the
    /// lists with its columns, built, and their CSV files (issue 15).
    pub marked_early_ms: u128,
    /// Then, every table built and until the ledger is done: whole county
    /// workbooks, the smallest first (issue 15).
    pub county_xlsx_beside_ms: u128,
    /// The lists with the ledger's columns, the county plan, the warnings.
    pub tables_ms: u128,
    /// The remaining CSV files and report.html.
    pub csv_html_ms: u128,
    /// report.xlsx, beside the county workbooks.
    pub report_xlsx_ms: u128,
    /// Every county's workbook (by_county/), on every core.
    pub county_xlsx_ms: u128,
}

pub struct SummaryInput<'a> {
    pub policy: &'a Policy,
    pub policy_path: &'a str,
    pub schemas_origin: &'a str,
    pub as_of: chrono::NaiveDate,
    pub data: &'a Ingested,
    pub outcome: &'a Outcome,
    pub tables: &'a [ReportTable],
    pub notes: &'a [String],
    pub timings: Timings,
    /// Issue 16: what the clerk should look at before acting on the lists.
    pub warnings: &'a [super::warnings::Warning],
    pub lang: crate::i18n::Lang,
}

/// One input as `summary.json` and the ledger's run manifest describe it:
/// path, SHA-256, encoding and read = accepted + rejected + merged duplicates.
pub fn input_json(f: &crate::ingest::InputFile) -> Value {
    let mut v = input_json_base(f);
    // Issue 11: a roster's layout (no region column, no start date), only
    // where it applies.
    if let (false, Some(o)) = (f.notes.is_empty(), v.as_object_mut()) {
        o.insert("layout_notes".into(), json!(f.notes));
        if f.notes.contains(&crate::ingest::regionless::NO_REGION_NOTE) {
            o.insert(
                "county_from_enrollment".into(),
                json!(f.counts.placed_by_enrollment),
            );
            o.insert(
                "county_from_register".into(),
                json!(f.counts.placed_by_register),
            );
        }
    }
    v
}

fn input_json_base(f: &crate::ingest::InputFile) -> Value {
    json!({
        "kind": f.kind.key(),
        "path": f.display,
        "sha256": f.sha256,
        "encoding": f.encoding,
        "rows_read": f.counts.read,
        "accepted": f.counts.accepted,
        "rejected": f.counts.rejected,
        "merged_duplicates": f.counts.merged_duplicates,
        "blank_rows_skipped": f.counts.blank_rows,
        "ignored_columns": f.ignored_columns,
        // Issue 10: where the table was found and where every line went.
        "header_line": f.lines.header_line,
        "lines_skipped_above_header": f.lines.above_header(),
        "totals_notes_skipped": f.lines.notes.len(),
        "totals_notes_lines": f.lines.notes,
        "physical_lines": f.lines.physical,
        "line_accounting": {
            "above_header": f.lines.above_header(),
            "header": f.lines.header,
            "rows": f.lines.rows,
            "blank": f.lines.blank,
            "totals_notes": f.lines.note_lines,
            "balances": f.lines.balances(),
        },
        "columns": f.columns.iter().map(|c| column_json(c, &f.columns)).collect::<Vec<_>>(),
    })
}

/// How one header of an input was bound (issue 11): its letter, its text,
/// the column it became or why it was ignored.
fn column_json(
    c: &crate::ingest::bind::HeaderColumn,
    all: &[crate::ingest::bind::HeaderColumn],
) -> Value {
    use crate::ingest::bind::ColumnUse;
    let (status, key, detail) = match &c.usage {
        ColumnUse::Bound { key, rank, .. } => ("bound", Some(key), json!({ "rank": rank })),
        ColumnUse::Unknown => ("ignored_unknown", None, Value::Null),
        ColumnUse::Outranked { key, by, .. } => (
            "ignored_outranked",
            Some(key),
            json!({ "by_column": crate::ingest::bind::column_letter(*by) }),
        ),
        ColumnUse::Unfit { key, samples, .. } => (
            "ignored_values_do_not_fit",
            Some(key),
            json!({ "samples": samples }),
        ),
    };
    json!({
        "column": c.letter(),
        "header": c.header,
        "status": status,
        "key": key,
        "detail": detail,
        "text": c.describe(all),
    })
}

pub fn build(s: &SummaryInput<'_>) -> Value {
    let inputs: Vec<Value> = s.data.files.iter().map(input_json).collect();

    let mut outputs = serde_json::Map::new();
    for t in s.tables {
        outputs.insert(t.file.to_string(), json!({ "rows": t.rows.len() }));
    }
    let refund_total: Fen = s.outcome.refunds.iter().map(|r| r.amount).sum();
    let mut by_status: BTreeMap<&str, (u64, Fen)> = BTreeMap::new();
    for r in &s.outcome.refunds {
        let e = by_status.entry(r.status.code()).or_default();
        e.0 += 1;
        e.1 = e.1 + r.amount;
    }
    let payable: Fen = s
        .outcome
        .refunds
        .iter()
        .filter(|r| r.status == RefundStatus::Payable)
        .map(|r| r.amount)
        .sum();
    if let Some(Value::Object(o)) = outputs.get_mut("refunds.csv") {
        o.insert("total_refund".into(), json!(refund_total.to_string()));
        o.insert("total_payable".into(), json!(payable.to_string()));
        o.insert(
            "by_status".into(),
            json!(by_status
                .iter()
                .map(|(k, (n, f))| (k.to_string(), json!({"rows": n, "amount": f.to_string()})))
                .collect::<serde_json::Map<_, _>>()),
        );
    }
    if let Some(Value::Object(o)) = outputs.get_mut("rerating.csv") {
        let diff: Fen = s.outcome.rerating.iter().map(|r| r.difference).sum();
        o.insert("total_difference".into(), json!(diff.to_string()));
    }
    if let Some(Value::Object(o)) = outputs.get_mut("missing_enrollment.csv") {
        let due: Fen = s.outcome.missing.iter().map(|m| m.due).sum();
        o.insert("total_due".into(), json!(due.to_string()));
        // Issue 16: 未登记 and 登记未缴费, as the ending tells them.
        let kind = |registered: bool| {
            let rows: Vec<Fen> = s
                .outcome
                .missing
                .iter()
                .filter(|m| m.registered == registered)
                .map(|m| m.due)
                .collect();
            json!({ "rows": rows.len(), "due": rows.into_iter().sum::<Fen>().to_string() })
        };
        o.insert(
            "by_kind".into(),
            json!({ "unregistered": kind(false), "registered_unpaid": kind(true) }),
        );
    }
    if let Some(Value::Object(o)) = outputs.get_mut("late_payment.csv") {
        let n =
            |f: fn(&crate::rules::LateItem) -> bool| s.outcome.late.iter().filter(|x| f(x)).count();
        o.insert("amount_mismatch".into(), json!(n(|x| x.amount_mismatch)));
        o.insert("start_mismatch".into(), json!(n(|x| x.start_mismatch)));
    }
    if let Some(Value::Object(o)) = outputs.get_mut("subsidy_ledger.csv") {
        // Issue 15: summed per (payer, status) and named once per pair
        // (a `format!` per subsidy item was ≈ 0.2 CPU-s at 10 M); the map
        // sorts its keys as the names' map did.
        let mut by_payer: BTreeMap<(&str, &str), Fen> = BTreeMap::new();
        for x in &s.outcome.subsidy {
            let e = by_payer.entry((&x.payer, x.status.code())).or_default();
            *e = *e + x.amount;
        }
        o.insert(
            "total_by_payer_status".into(),
            json!(by_payer
                .iter()
                .map(|((payer, status), v)| (format!("{payer}/{status}"), json!(v.to_string())))
                .collect::<serde_json::Map<_, _>>()),
        );
    }
    if let (Some(Value::Object(o)), Some(f)) =
        (outputs.get_mut("fiscal_ledger.csv"), &s.policy.fiscal)
    {
        let persons: u64 = s.outcome.fiscal_persons.values().sum();
        o.insert("persons".into(), json!(persons));
        o.insert(
            "full_year_total".into(),
            json!(f.per_capita.times(persons).to_string()),
        );
    }
    let coverage: Vec<Value> = s
        .outcome
        .coverage
        .iter()
        .filter(|r| r.county.is_none())
        .map(|r| {
            let g = &s.policy.coverage_groups[r.group];
            json!({
                "group": g.id,
                "name": g.name,
                "base": r.base,
                "covered": r.covered,
                "rate_percent": r.rate_centi_percent().map(|c| format!("{}.{:02}", c / 100, c % 100)),
                "target_percent": r.target_percent,
                "needed": r.needed(),
                "meets_target": r.meets_target(),
            })
        })
        .collect();
    let mut reasons: BTreeMap<&str, u64> = BTreeMap::new();
    for r in &s.data.rejects {
        *reasons.entry(r.reason.code()).or_default() += 1;
    }

    json!({
        "warnings": super::warnings::to_json(s.warnings, s.lang),
        "tool": { "name": env!("CARGO_PKG_NAME"), "version": env!("CARGO_PKG_VERSION") },
        "policy": {
            "id": s.policy.id,
            "file": s.policy_path,
            "sha256": s.policy.sha256,
            "region_code": s.policy.region_code,
            "region_name": s.policy.region_name,
            "year": s.policy.year,
            "source": s.policy.source,
        },
        "schemas": s.schemas_origin,
        "as_of": fmt_date(s.as_of),
        "inputs": inputs,
        "outputs": outputs,
        "coverage": coverage,
        "rejects_by_reason": reasons,
        "conflicts_by_reason": conflicts_by_reason(s.tables),
        "rules": {
            "persons_joined": s.outcome.persons,
            "future_year_rows_ignored": s.outcome.future_rows,
        },
        "notes": s.notes,
        "timings_ms": {
            "ingest": (s.timings.read_ms + s.timings.validate_ms) as u64,
            "read": s.timings.read_ms as u64,
            "validate": s.timings.validate_ms as u64,
            "rules": s.timings.rules_ms as u64,
            "write": s.timings.write_ms as u64,
            "write_steps": write_steps(&s.timings.write_steps),
        },
        "generated_at": chrono::Local::now().to_rfc3339(),
    })
}

fn write_steps(w: &WriteSteps) -> Value {
    json!({
        "ledger": w.ledger_ms as u64,
        "beside_ledger": w.beside_ledger_ms as u64,
        "county_xlsx_early": w.county_xlsx_early_ms as u64,
        "marked_early": w.marked_early_ms as u64,
        "county_xlsx_beside": w.county_xlsx_beside_ms as u64,
        "tables": w.tables_ms as u64,
        "csv_html": w.csv_html_ms as u64,
        "report_xlsx": w.report_xlsx_ms as u64,
        "county_xlsx": w.county_xlsx_ms as u64,
    })
}

/// Rows of `conflicts.csv` per problem code (issue 16: the ending's top
/// reasons), counted from the list itself, the ledger's doubts included.
fn conflicts_by_reason(tables: &[ReportTable]) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    let Some(t) = tables.iter().find(|t| t.file == "conflicts.csv") else {
        return out;
    };
    let Some(col) = t.columns.iter().position(|c| *c == "conflict") else {
        return out;
    };
    for row in &t.rows {
        if let Some(super::csv_out::Cell::Text(code)) = row.get(col) {
            *out.entry(code.to_string()).or_default() += 1;
        }
    }
    out
}
