//! Reports: one builder per output (`lists`), the shared CSV writer
//! (`csv_out`) and the run summary (`summary`). Adding a report means a
//! builder in `lists`, its labels in `schemas/reports.toml`, and one line in
//! [`build_all`].

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
pub use csv_out::{Cell, HeaderLang, ReportTable};
use rayon::prelude::*;

/// Every CSV report of a run, in the order they are written.
pub fn build_all(
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
    type Build<'a> = Box<dyn Fn() -> ReportTable + Send + Sync + 'a>;
    let mut builders: Vec<Build<'_>> = vec![
        // Issue 5: the ledger's lifecycle columns, and changes.csv.
        Box::new(|| lists::refunds(ctx, &outcome.refunds, &marks.refunds)),
        Box::new(|| lists::rerating(ctx, &outcome.rerating, &marks.rerating)),
        Box::new(|| lists::missing(ctx, &outcome.missing, &marks.missing)),
        Box::new(|| lists::changes(ctx, &marks.changes, marks.previous)),
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
    builders.push(Box::new(|| {
        lists::conflicts(ctx, &conflicts, &marks.conflicts)
    }));
    // The tables are independent: built in parallel, kept in this order.
    builders.par_iter().map(|build| build()).collect()
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
                        crate::domain::mask(&crate::domain::mask_ids_in_text(s))
                    } else {
                        crate::domain::mask_ids_in_text(s)
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
