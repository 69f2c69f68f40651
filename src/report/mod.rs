//! Reports: one builder per output (`lists`), the shared CSV writer
//! (`csv_out`) and the run summary (`summary`). Adding a report means a
//! builder in `lists`, its labels in `schemas/reports.toml`, and one line in
//! [`build_all`].

pub mod csv_out;
pub mod lists;
pub mod summary;

use crate::ingest::Ingested;
use crate::policy::Policy;
use crate::rules::Outcome;
pub use csv_out::{Cell, HeaderLang, ReportTable};

/// Every CSV report of a run, in the order they are written.
pub fn build_all(policy: &Policy, data: &Ingested, outcome: &Outcome) -> Vec<ReportTable> {
    let ctx = lists::Ctx {
        policy,
        files: &data.files,
    };
    let mut conflicts = data.conflicts.clone();
    conflicts.extend(outcome.conflicts.iter().cloned());
    vec![
        lists::refunds(&ctx, &outcome.refunds),
        lists::rerating(&ctx, &outcome.rerating),
        lists::missing(&ctx, &outcome.missing),
        lists::rejects(&data.files, &data.rejects),
        lists::conflicts(&ctx, &conflicts),
    ]
}
