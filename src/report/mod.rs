//! Reports: one builder per output (`lists`), the shared CSV writer
//! (`csv_out`) and the run summary (`summary`). Adding a report means a
//! builder in `lists`, its labels in `schemas/reports.toml`, and one line in
//! [`build_all`].

pub mod csv_out;
pub mod html;
pub mod ledgers;
pub mod lists;
pub mod summary;
pub mod xlsx_out;

use crate::ingest::Ingested;
use crate::policy::Policy;
use crate::rules::Outcome;
pub use csv_out::{Cell, HeaderLang, ReportTable};

/// Every CSV report of a run, in the order they are written.
pub fn build_all(
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
    let mut conflicts = data.conflicts.clone();
    conflicts.extend(outcome.conflicts.iter().cloned());
    let mut tables = vec![
        lists::refunds(&ctx, &outcome.refunds),
        lists::rerating(&ctx, &outcome.rerating),
        lists::missing(&ctx, &outcome.missing),
        lists::transfers(&ctx, &outcome.transfers),
        lists::late_payment(&ctx, &outcome.late),
        ledgers::coverage(&ctx, &outcome.coverage),
        ledgers::subsidy_detail(&ctx, &outcome.subsidy),
        ledgers::subsidy_ledger(&ctx, &outcome.subsidy),
    ];
    if let Some(f) = &policy.fiscal {
        tables.push(ledgers::fiscal_ledger(&ctx, f, &outcome.fiscal_persons));
    }
    tables.push(lists::rejects(&data.files, &data.rejects, lang));
    tables.push(lists::conflicts(&ctx, &conflicts));
    tables
}
