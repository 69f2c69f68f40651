//! Reports: one builder per output (`lists`), the shared CSV writer
//! (`csv_out`) and the run summary (`summary`). Adding a report means a
//! builder in `lists`, its labels in `schemas/reports.toml`, and one line in
//! [`build_all`].

pub mod csv_out;
pub mod html;
pub mod ledgers;
pub mod lists;
pub mod summary;
pub mod totals;
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

/// `--mask-ids` (issue 5): lists to share with village and community
/// outreach staff. ID columns are masked whole (`640104********1025`); in the
/// free-text columns (raw values, messages, notes) any run of 15 or more
/// digits is masked.
pub fn mask_ids(tables: &mut [ReportTable]) {
    for t in tables {
        let cols: Vec<(usize, bool)> = t
            .columns
            .iter()
            .enumerate()
            .filter_map(|(i, c)| match *c {
                "id_number" | "id_as_written" => Some((i, true)),
                "raw_value" | "message" | "note" => Some((i, false)),
                _ => None,
            })
            .collect();
        for row in &mut t.rows {
            for &(i, whole) in &cols {
                if let Some(Cell::Text(s)) = row.get_mut(i) {
                    *s = if whole {
                        crate::domain::mask(s)
                    } else {
                        mask_digit_runs(s)
                    };
                }
            }
        }
    }
}

/// Masks every run of 15 or more digits (an ID, with its check `X`) in `s`.
pub fn mask_digit_runs(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let mut j = i;
        while j < chars.len() && chars[j].is_ascii_digit() {
            j += 1;
        }
        if j - i >= 15 {
            if j < chars.len() && matches!(chars[j], 'X' | 'x') {
                j += 1;
            }
            out.push_str(&crate::domain::mask(
                &chars[i..j].iter().collect::<String>(),
            ));
            i = j;
        } else if j > i {
            out.extend(&chars[i..j]);
            i = j;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_id_columns_whole_and_digit_runs_in_text() {
        assert_eq!(
            mask_digit_runs("身份证号 64010419680412102X 校验位不符, 电话 13709550602"),
            "身份证号 640104********102X 校验位不符, 电话 13709550602"
        );
        let mut t = vec![ReportTable::new("x.csv", &["id_number", "name", "note"])];
        t[0].push(vec![
            Cell::text("640104196804121025"),
            Cell::text("马玉兰"),
            Cell::text("见 640104196804121025"),
        ]);
        mask_ids(&mut t);
        assert_eq!(t[0].rows[0][0], Cell::text("640104********1025"));
        assert_eq!(t[0].rows[0][1], Cell::text("马玉兰"));
        assert_eq!(t[0].rows[0][2], Cell::text("见 640104********1025"));
    }
}
