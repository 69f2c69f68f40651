//! Reports: one builder per output (`lists`), the shared CSV writer
//! (`csv_out`) and the run summary (`summary`). Adding a report means a
//! builder in `lists`, its labels in `schemas/reports.toml`, and one line in
//! [`build_marked`] (a list with the ledger's columns) or [`build_unmarked`]
//! and its place in [`in_order`].

/// A per-person list's columns without and with the grade columns (人员类别,
/// 缴费档次: issue 14), which stand after the person's `$head` columns and
/// only where the policy has grades, so one-grade policies' lists keep
/// their columns byte for byte.
macro_rules! graded_columns {
    ($plain:ident, $graded:ident, [$($head:literal),* $(,)?], [$($tail:literal),* $(,)?]) => {
        pub const $plain: &[&str] = &[$($head,)* $($tail,)*];
        pub const $graded: &[&str] = &[$($head,)* "population", "grade", $($tail,)*];
    };
}

pub mod by_county;
pub mod csv_out;
mod digits;
pub mod ending;
pub mod html;
pub mod ledgers;
pub mod lists;
pub mod summary;
pub mod totals;
pub mod warnings;
pub mod workbooks;
pub mod xlsx_out;

use crate::ingest::Ingested;
use crate::policy::Policy;
use crate::rules::Outcome;
pub use csv_out::{push_date, Cell, HeaderLang, ReportTable};
use rayon::prelude::*;

/// How many tables [`build_marked`] gives.
pub const MARKED_TABLES: usize = 5;

type Build<'a> = Box<dyn Fn() -> ReportTable + Send + Sync + 'a>;

/// The lists that carry the ledger's lifecycle columns (issue 5): refunds,
/// re-ratings, missing enrollments, changes and conflicts, in that order.
pub fn build_marked(
    policy: &Policy,
    data: &Ingested,
    outcome: &Outcome,
    lang: crate::i18n::Lang,
    marks: &crate::ledger::Marks,
) -> Vec<ReportTable> {
    let ctx = lists::Ctx {
        policy,
        files: &data.files,
        lang,
    };
    let mut conflicts = data.conflicts.clone();
    conflicts.extend(outcome.conflicts.iter().cloned());
    let ctx = &ctx;
    let builders: Vec<Build<'_>> = vec![
        Box::new(|| lists::refunds(ctx, &outcome.refunds, &marks.refunds)),
        Box::new(|| lists::rerating(ctx, &outcome.rerating, &marks.rerating)),
        Box::new(|| lists::missing(ctx, &outcome.missing, &marks.missing)),
        Box::new(|| lists::changes(ctx, &marks.changes, marks.previous)),
        Box::new(|| lists::conflicts(ctx, &conflicts, &marks.conflicts)),
    ];
    // The tables are independent: built in parallel, kept in this order.
    builders.par_iter().map(|build| build()).collect()
}

/// The tables that do not depend on the ledger (issue 15: built and written
/// while the ledger's SQL runs): transfers, late payment, coverage, the
/// subsidy detail and ledger, the fiscal ledger (where the policy has a
/// split) and rejects, in that order.
pub fn build_unmarked(
    policy: &Policy,
    data: &Ingested,
    outcome: &Outcome,
    lang: crate::i18n::Lang,
) -> Vec<ReportTable> {
    let ctx = lists::Ctx {
        policy,
        files: &data.files,
        lang,
    };
    let ctx = &ctx;
    let mut builders: Vec<Build<'_>> = vec![
        Box::new(|| lists::transfers(ctx, &outcome.transfers)),
        Box::new(|| lists::late_payment(ctx, &outcome.late)),
        Box::new(|| ledgers::coverage(ctx, &outcome.coverage)),
        Box::new(|| ledgers::subsidy_detail(ctx, &outcome.subsidy)),
        Box::new(|| ledgers::subsidy_ledger(ctx, &outcome.subsidy)),
    ];
    if let Some(f) = &policy.fiscal {
        builders.push(Box::new(move || {
            ledgers::fiscal_ledger(ctx, f, &outcome.fiscal_persons)
        }));
    }
    builders.push(Box::new(|| {
        lists::rejects(&data.files, &data.rejects, lang)
    }));
    builders.par_iter().map(|build| build()).collect()
}

/// Every table of a run, in the order they are written (and sheeted): the
/// first four lists of [`build_marked`], then [`build_unmarked`]'s, then
/// conflicts last.
pub fn in_order(marked: Vec<ReportTable>, unmarked: Vec<ReportTable>) -> Vec<ReportTable> {
    let mut marked = marked.into_iter();
    let mut out: Vec<ReportTable> = marked.by_ref().take(4).collect();
    out.extend(unmarked);
    out.extend(marked);
    out
}

/// `--mask-ids` (issues 5 and 13): lists to share with village and community
/// outreach staff. ID columns are masked whole (`640104********1025`, even a
/// value too short to be an ID); every other text cell, whatever its column
/// (raw values, names, addresses, messages, notes), gets the one rule for
/// ID-shaped text, [`crate::domain::mask_ids_in_text`].
pub fn mask_ids(tables: &mut [ReportTable]) {
    for t in tables {
        let whole: Vec<bool> = t
            .columns
            .iter()
            .map(|c| matches!(*c, "id_number" | "id_as_written"))
            .collect();
        for row in &mut t.rows {
            for (cell, &whole) in row.iter_mut().zip(&whole) {
                if let Cell::Text(s) = cell {
                    *s = if whole {
                        crate::domain::mask(&crate::domain::mask_ids_in_text(s)).into()
                    } else {
                        crate::domain::mask_ids_in_text(s).into()
                    };
                }
            }
        }
    }
}

/// `summary.json` of a masked run: every string masked by the same rule,
/// except the SHA-256 fingerprints (hex, not IDs; they identify files).
pub fn mask_ids_in_json(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::String(s) => *s = crate::domain::mask_ids_in_text(s),
        serde_json::Value::Array(a) => a.iter_mut().for_each(mask_ids_in_json),
        serde_json::Value::Object(o) => {
            for (k, v) in o.iter_mut() {
                if !k.contains("sha256") && k != "fingerprint" {
                    mask_ids_in_json(v);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_keep_the_order_of_the_spec() {
        let named = |files: &[&'static str]| -> Vec<ReportTable> {
            files.iter().map(|f| ReportTable::new(f, &[])).collect()
        };
        let marked = named(&[
            "refunds.csv",
            "rerating.csv",
            "missing_enrollment.csv",
            "changes.csv",
            "conflicts.csv",
        ]);
        assert_eq!(marked.len(), MARKED_TABLES);
        let unmarked = named(&["transfers.csv", "subsidy_detail.csv", "rejects.csv"]);
        let files: Vec<&str> = in_order(marked, unmarked).iter().map(|t| t.file).collect();
        assert_eq!(
            files,
            [
                "refunds.csv",
                "rerating.csv",
                "missing_enrollment.csv",
                "changes.csv",
                "transfers.csv",
                "subsidy_detail.csv",
                "rejects.csv",
                "conflicts.csv"
            ]
        );
    }

    #[test]
    fn masks_id_columns_whole_and_digit_runs_in_text() {
        let mut t = vec![ReportTable::new(
            "x.csv",
            &["id_number", "name", "note", "village"],
        )];
        t[0].push(vec![
            Cell::text("640104-19680412-1025"),
            Cell::text("马玉兰"),
            Cell::text("见 640104196804121025"),
            Cell::text("６４０１０４１９６８０４１２１０２５"),
        ]);
        mask_ids(&mut t);
        assert_eq!(t[0].rows[0][0], Cell::text("640104********1025"));
        assert_eq!(t[0].rows[0][1], Cell::text("马玉兰"));
        assert_eq!(t[0].rows[0][2], Cell::text("见 640104********1025"));
        assert_eq!(t[0].rows[0][3], Cell::text("640104********1025"));
    }
}
