//! Stage 4 of a run, record: the ledger's transaction on one thread and,
//! beside it (issue 15), the tables that do not need the ledger, built and
//! written as CSV into the staging directory.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver};
use std::sync::Arc;
use std::time::Instant;

use super::{absolute, out_not_empty, Judged, Prepared, RunConfig};
use crate::error::{Error, Result};
use crate::ingest::schema::Schemas;
use crate::policy::Policy;
use crate::progress::Progress;
use crate::report::summary::WriteSteps;

/// The run as the ledger holds it, and where its outputs are staged.
pub(super) struct Recorded {
    pub(super) schemas: Schemas,
    pub(super) policy: Policy,
    pub(super) staging: tempfile::TempDir,
    pub(super) ledger: crate::ledger::Ledger,
    pub(super) ledger_path: PathBuf,
    pub(super) occupied: bool,
    pub(super) record: crate::ledger::RunRecord,
    pub(super) marks: Arc<crate::ledger::Marks>,
    /// Issue 16: the manifest of the run this one is compared with.
    pub(super) previous: Option<serde_json::Value>,
    /// Issue 16: the months the dashboard charts.
    pub(super) months: crate::ledger::months::Months,
    pub(super) out_abs: PathBuf,
    /// Issue 15: the tables built (masked with `--mask-ids`) while the
    /// ledger's SQL ran.
    pub(super) tables: Tables,
    /// Issue 15: the county workbooks begun (or written whole) while the
    /// ledger's SQL ran.
    pub(super) drafts: crate::report::workbooks::Drafts,
    /// Which lists with the ledger's columns were written as CSV meanwhile.
    pub(super) marked_written: Vec<&'static str>,
    /// The writing bar, counting every file from the first CSV on.
    pub(super) writing: indicatif::ProgressBar,
    /// When this stage began: `timings_ms.write` counts from here.
    pub(super) started: Instant,
    /// The write stage's steps timed so far (the ledger and beside it).
    pub(super) steps: WriteSteps,
}

/// The tables the record stage built beside the ledger (issue 15).
pub(super) enum Tables {
    /// Those without the ledger's columns (written as CSV); the lists with
    /// them are built in the write stage.
    Unmarked(Vec<crate::report::ReportTable>),
    /// Every table, in the reports' order, once the ledger's marks came in
    /// time: the files of the lists with its columns, and the county plan.
    All {
        tables: Vec<crate::report::ReportTable>,
        marked_files: Vec<&'static str>,
        books: Vec<crate::report::by_county::CountyBook>,
    },
}

/// Stage 4, record: the private staging directory, then the run's
/// lifecycles and record inside the ledger's transaction (issue 5) and what
/// its rosters listed (issue 11) on one thread, while this one builds the
/// tables that do not need the ledger and writes their CSV files (issue 15).
pub(super) fn record(
    cfg: &RunConfig,
    p: Prepared,
    judged: &Judged,
    progress: &Progress,
) -> Result<Recorded> {
    let started = Instant::now();
    // Issue 5: the staging directory (an unwritable --out fails here), then
    // the ledger's lock if it was not taken above.
    crate::owner_only::create_dir_all(&p.parent)?;
    let staging =
        crate::owner_only::tempdir_in(&p.parent, &crate::ledger::outdir::staging_prefix())?;
    let Prepared {
        schemas,
        policy,
        occupied,
        ledger_path,
        locked_early,
        ..
    } = p;
    let mut steps = WriteSteps::default();
    let ledger_done = AtomicBool::new(false);
    // Issue 15: the ledger's marks, sent as soon as they are computed (the
    // channel closes if its thread ends without them).
    let (known, marks_rx) = channel::<Arc<crate::ledger::Marks>>();
    let (ledgered, beside) = std::thread::scope(|scope| {
        let (ledger_done, policy, schemas, ledger_path) =
            (&ledger_done, &policy, &schemas, &ledger_path);
        let sql = scope.spawn(move || {
            let t = Instant::now();
            let l = in_ledger(
                cfg,
                (policy, schemas),
                locked_early,
                (ledger_path, occupied),
                (judged, &|m: &Arc<crate::ledger::Marks>| {
                    // A closed receiver only means nobody waits for them.
                    let _ = known.send(Arc::clone(m));
                }),
            );
            ledger_done.store(true, Ordering::Release);
            (l, t.elapsed().as_millis())
        });
        let beside = beside_all(
            cfg,
            (policy, schemas),
            judged,
            (staging.path(), progress),
            (&marks_rx, ledger_done),
            &mut steps,
        );
        let ledgered = sql.join().map(|(l, ms)| {
            steps.ledger_ms = ms;
            l
        });
        (ledgered, beside)
    });
    // The ledger's refusal comes first: it is why the run stops.
    let l = ledgered.map_err(|_| Error::Internal("the ledger's thread panicked".into()))??;
    let beside = beside?;
    Ok(Recorded {
        schemas,
        policy,
        staging,
        ledger: l.ledger,
        ledger_path,
        occupied,
        record: l.record,
        marks: l.marks,
        previous: l.previous,
        months: l.months,
        out_abs: l.out_abs,
        tables: beside.tables,
        drafts: beside.drafts,
        marked_written: beside.marked_written,
        writing: beside.writing,
        started,
        steps,
    })
}

/// What this core did beside the ledger.
struct Beside {
    tables: Tables,
    drafts: crate::report::workbooks::Drafts,
    marked_written: Vec<&'static str>,
    writing: indicatif::ProgressBar,
}

/// This core's part of the record stage, beside the ledger's thread (issue
/// 15), each step timed: the tables without the ledger's columns and their
/// CSV files; the county workbooks begun with those lists; once the
/// ledger's marks are known, the lists with its columns and their CSV
/// files; then, every table built, whole county workbooks until the ledger
/// is done. A step left for later (the ledger was done first) is the write
/// stage's.
fn beside_all(
    cfg: &RunConfig,
    (policy, schemas): (&Policy, &Schemas),
    judged: &Judged,
    (staging, progress): (&Path, &Progress),
    (marks_rx, ledger_done): (&Receiver<Arc<crate::ledger::Marks>>, &AtomicBool),
    steps: &mut WriteSteps,
) -> Result<Beside> {
    let t = Instant::now();
    let (unmarked, writing) = beside_ledger(cfg, (policy, schemas), judged, staging, progress)?;
    steps.beside_ledger_ms = t.elapsed().as_millis();
    let t = Instant::now();
    let mut drafts = crate::report::workbooks::draft_early(
        staging,
        policy,
        &unmarked,
        (schemas, cfg.header_lang, heading(cfg, policy)),
        ledger_done,
    )?;
    steps.county_xlsx_early_ms = t.elapsed().as_millis();
    let t = Instant::now();
    let marked = marked_beside(
        cfg,
        (policy, schemas),
        judged,
        (staging, &writing),
        (marks_rx, ledger_done),
    )?;
    steps.marked_early_ms = t.elapsed().as_millis();
    let Some((marked, marked_written)) = marked else {
        return Ok(Beside {
            tables: Tables::Unmarked(unmarked),
            drafts,
            marked_written: Vec::new(),
            writing,
        });
    };
    let marked_files: Vec<&'static str> = marked.iter().map(|t| t.file).collect();
    let tables = crate::report::in_order(marked, unmarked);
    let books = crate::report::by_county::plan(policy, &tables);
    let t = Instant::now();
    crate::report::workbooks::pack_beside(
        staging,
        (&tables, &books),
        &mut drafts,
        (schemas, cfg.header_lang, heading(cfg, policy)),
        ledger_done,
    )?;
    steps.county_xlsx_beside_ms = t.elapsed().as_millis();
    Ok(Beside {
        tables: Tables::All {
            tables,
            marked_files,
            books,
        },
        drafts,
        marked_written,
        writing,
    })
}

/// What a county workbook's printed lists name besides county and list.
pub(super) fn heading<'p>(
    cfg: &RunConfig,
    policy: &'p Policy,
) -> crate::report::workbooks::Heading<'p> {
    crate::report::workbooks::Heading {
        region: &policy.region_name,
        as_of: cfg.as_of,
    }
}

/// What the ledger's transaction gives the run.
struct Ledgered {
    ledger: crate::ledger::Ledger,
    record: crate::ledger::RunRecord,
    marks: Arc<crate::ledger::Marks>,
    previous: Option<serde_json::Value>,
    months: crate::ledger::months::Months,
    out_abs: PathBuf,
}

/// The ledger's part of the record stage (its own thread): the lock if not
/// taken yet, the run's lifecycles and record, what its rosters listed.
fn in_ledger(
    cfg: &RunConfig,
    (policy, schemas): (&Policy, &Schemas),
    locked_early: Option<crate::ledger::Ledger>,
    (ledger_path, occupied): (&Path, bool),
    (judged, known): (&Judged, crate::ledger::MarksKnown<'_>),
) -> Result<Ledgered> {
    let ledger = match locked_early {
        Some(l) => l,
        None => crate::ledger::Ledger::open_locked(ledger_path)?,
    };
    crate::ledger::pause_point("locked");
    let (data, outcome) = (&judged.data, &judged.outcome);
    let out_abs = absolute(&cfg.out);
    let mut record =
        crate::ledger::RunRecord::new(policy, cfg.as_of, &schemas.origin, data, outcome);
    if let Some(m) = record.manifest.as_object_mut() {
        m.insert("out".into(), out_abs.display().to_string().into());
    }
    if occupied && !ledger.owns_output(&record, &out_abs)? {
        return Err(out_not_empty(cfg));
    }
    let marks = ledger.record_run(&record, policy, outcome, (cfg.replace, known))?;
    let previous = match marks.previous {
        Some(d) => crate::ledger::history::manifest_of(&ledger, &record.series, d)?,
        None => None,
    };
    let months = crate::ledger::months::load(&ledger, &record.series, cfg.as_of, &marks)?;
    crate::ledger::pause_point("recorded");
    let roster_kinds: Vec<_> = data
        .files
        .iter()
        .filter(|f| f.counts.accepted > 0)
        .map(|f| f.kind)
        .collect();
    crate::ledger::snapshots::record(
        &ledger,
        &record.series,
        cfg.as_of,
        &roster_kinds,
        &judged.listed,
    )?;
    ledger.write_pages()?;
    Ok(Ledgered {
        ledger,
        record,
        marks,
        previous,
        months,
        out_abs,
    })
}

/// Beside the ledger: the tables without its columns, masked with
/// `--mask-ids`, and their CSV files in `staging`; the writing bar starts
/// here (it counts every table, report.html and the workbooks).
fn beside_ledger(
    cfg: &RunConfig,
    (policy, schemas): (&Policy, &Schemas),
    judged: &Judged,
    staging: &Path,
    progress: &Progress,
) -> Result<(Vec<crate::report::ReportTable>, indicatif::ProgressBar)> {
    let mut tables = crate::report::build_unmarked(policy, &judged.data, &judged.outcome, cfg.lang);
    if cfg.mask_ids {
        crate::report::mask_ids(&mut tables);
    }
    let writing = progress.bar(
        (tables.len() + crate::report::MARKED_TABLES + 2) as u64,
        "写出 writing reports",
        "个文件 files",
    );
    write_csvs(cfg, schemas, &tables, staging, &writing)?;
    Ok((tables, writing))
}

/// Writes each table's CSV file into `dir`, one step of the bar each.
fn write_csvs(
    cfg: &RunConfig,
    schemas: &Schemas,
    tables: &[crate::report::ReportTable],
    dir: &Path,
    writing: &indicatif::ProgressBar,
) -> Result<()> {
    for t in tables {
        writing.set_message(format!("写出 {}", t.file));
        t.write(dir, schemas, cfg.header_lang)?;
        writing.inc(1);
    }
    Ok(())
}

/// Beside the ledger, once its marks are known and while it writes the
/// run's rows (issue 15): the lists with its columns, built as the write
/// stage would (masked with `--mask-ids`), and as many of their CSV files as
/// are written before the ledger is done (the others are written after it,
/// so no core waits). `None`: the ledger ended without marks (it refused the
/// run, or failed); its error is the run's.
fn marked_beside(
    cfg: &RunConfig,
    (policy, schemas): (&Policy, &Schemas),
    judged: &Judged,
    (staging, writing): (&Path, &indicatif::ProgressBar),
    (marks, ledger_done): (&Receiver<Arc<crate::ledger::Marks>>, &AtomicBool),
) -> Result<Option<MarkedEarly>> {
    let Ok(marks) = marks.recv() else {
        return Ok(None);
    };
    let (data, outcome) = (&judged.data, &judged.outcome);
    let mut tables = crate::report::build_marked(policy, data, outcome, cfg.lang, &marks);
    if cfg.mask_ids {
        crate::report::mask_ids(&mut tables);
    }
    let mut written = Vec::new();
    for t in &tables {
        if ledger_done.load(Ordering::Acquire) {
            break;
        }
        writing.set_message(format!("写出 {}", t.file));
        t.write(staging, schemas, cfg.header_lang)?;
        writing.inc(1);
        written.push(t.file);
    }
    Ok(Some((tables, written)))
}

/// The lists with the ledger's columns and which of them were written.
type MarkedEarly = (Vec<crate::report::ReportTable>, Vec<&'static str>);
