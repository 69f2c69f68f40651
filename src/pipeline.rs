//! One monthly run, end to end: ingest → policy rules → reports, written into a
//! temporary directory that is renamed into place only when complete.

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::ingest::schema::Schemas;
use crate::ingest::{scatter, Ingested, InputSpec, ParseCtx, Scattered, SpillOpts};
use crate::policy::Policy;
use crate::progress::Progress;
use crate::report::summary::{self, SummaryInput, Timings, WriteSteps};
use crate::report::{build_marked, in_order, HeaderLang};
use crate::rules::{Outcome, Reconciler, RunDates};

mod record;
use record::{record, Recorded, Tables};

/// A validated run request (the CLI and job files build it; core code never
/// sees clap types).
#[derive(Debug, Clone)]
pub struct RunConfig {
    pub policy: PathBuf,
    pub as_of: NaiveDate,
    pub inputs: Vec<InputSpec>,
    pub out: PathBuf,
    pub force: bool,
    pub header_lang: HeaderLang,
    pub quiet: bool,
    pub schemas_dir: Option<PathBuf>,
    /// Language of messages in the reports and logs (`--lang`, default zh).
    pub lang: crate::i18n::Lang,
    /// Issue 5: the reconciliation ledger (`--ledger`); `None` is
    /// `ledger.sqlite` beside the output directory (in `--out`'s parent).
    pub ledger: Option<PathBuf>,
    /// Issue 5: write the lists with masked IDs (`--mask-ids`).
    pub mask_ids: bool,
    /// Issue 13: replace a month the ledger recorded with other inputs
    /// (`--replace`); without it such a run is refused.
    pub replace: bool,
    /// Issue 13: a trial run that reads and writes no ledger (`--no-ledger`).
    pub no_ledger: bool,
    /// Issue 4: partitions by person (`--partitions`); `None` sizes them by
    /// the input.
    pub partitions: Option<usize>,
    /// Issue 15: bytes of rows held in memory before partitions spill to
    /// temporary files (`--memory`); `None` holds none.
    pub memory: Option<u64>,
}

impl RunConfig {
    /// The ledger: `--ledger`, else `ledger.sqlite` beside the output
    /// directory (in `--out`'s parent).
    pub fn ledger_path(&self) -> PathBuf {
        self.ledger
            .clone()
            .unwrap_or_else(|| out_parent(&self.out).join("ledger.sqlite"))
    }
}

/// What a finished run reports back to the caller (for the log line).
#[derive(Debug)]
pub struct RunReport {
    pub out: PathBuf,
    pub lines: Vec<String>,
}

pub fn load_schemas(dir: Option<&Path>) -> Result<Schemas> {
    match dir {
        Some(d) => Schemas::from_dir(d),
        None => Schemas::embedded(),
    }
}

/// One monthly run: the stages in order, each timed.
pub fn run(cfg: &RunConfig) -> Result<RunReport> {
    let progress = Progress::new(cfg.quiet);
    let prepared = prepare(cfg)?;
    let read = read(cfg, &prepared, &progress)?;
    let judged = judge(cfg, &prepared, read, &progress)?;
    let mut recorded = record(cfg, prepared, &judged, &progress)?;
    let mut written = write(cfg, &mut recorded, &judged)?;
    let lines = console_lines(cfg, &recorded, &judged, &written);
    // Issue 15: the judged persons and the built tables are freed on their
    // own thread while the ledger commits (20–45 ms at 1 M on the main
    // thread after the commit, which itself takes 140–180 ms; the tables'
    // rows ≈ 0.45 s at 10 M before the commit).
    let tables = std::mem::take(&mut written.tables);
    let freeing = std::thread::spawn(move || drop((judged, tables)));
    publish(cfg, recorded, written)?;
    let _ = freeing.join();
    Ok(RunReport {
        out: cfg.out.clone(),
        lines,
    })
}

/// What the run stands on before it reads a row: schemas, policy, the
/// output's parent, and the ledger (locked now when it exists).
struct Prepared {
    schemas: Schemas,
    policy: Policy,
    parent: PathBuf,
    occupied: bool,
    ledger_path: PathBuf,
    locked_early: Option<crate::ledger::Ledger>,
}

/// Stage 1, prepare: schemas, policy, inputs and `--out` checked, what a
/// killed run left undone, the ledger locked.
fn prepare(cfg: &RunConfig) -> Result<Prepared> {
    let schemas = load_schemas(cfg.schemas_dir.as_deref())?;
    let policy = Policy::load(&cfg.policy, &schemas.vocab)?;
    check_inputs(cfg)?;
    // Issue 5 (ledger): first undo what a killed run left in --out's parent
    // (this may put back an --out it had moved aside, so before check_out).
    // An existing ledger is locked now, so a second run on it is refused
    // before its ingest; a new one is created only once the inputs have
    // passed (bad input writes nothing). The order of the steps that follow,
    // and why a kill at any point is safe: docs/decisions.md (Ledger).
    let parent = out_parent(&cfg.out);
    crate::ledger::outdir::recover(&parent);
    // Issue 13: a non-empty --out without --force is refused, unless the
    // ledger knows it as this very run's output (checked once the run's
    // fingerprint is known): the same command converges after a kill.
    let occupied = check_out(cfg)?;
    let ledger_path = cfg
        .ledger
        .clone()
        .unwrap_or_else(|| parent.join("ledger.sqlite"));
    let locked_early = open_ledger_early(cfg, &ledger_path, occupied)?;
    Ok(Prepared {
        schemas,
        policy,
        parent,
        occupied,
        ledger_path,
        locked_early,
    })
}

fn parse_ctx<'p>(cfg: &RunConfig, policy: &'p Policy) -> ParseCtx<'p> {
    ParseCtx {
        vocab: &policy.vocab,
        as_of: cfg.as_of,
        region_prefix: Some(&policy.region_prefix),
        policy_year: Some(policy.year),
        policy: Some(policy),
    }
}

/// The inputs, read into partitions, and the stage's wall time.
struct Read {
    scattered: Scattered,
    ms: u128,
}

/// Stage 2, read: rows are read into partitions by person (issue 4; spilled
/// beside the output when the input is large), so that memory is bounded by
/// a partition, not the province.
fn read(cfg: &RunConfig, p: &Prepared, progress: &Progress) -> Result<Read> {
    let t = Instant::now();
    let spill = SpillOpts {
        partitions: cfg.partitions,
        memory: cfg.memory,
        dir: if p.parent.is_dir() {
            p.parent.clone()
        } else {
            std::env::temp_dir()
        },
    };
    let ctx = parse_ctx(cfg, &p.policy);
    let scattered = scatter(&cfg.inputs, &p.schemas, ctx, &spill, progress)?;
    crate::ledger::pause_point("partitioned");
    Ok(Read {
        scattered,
        ms: t.elapsed().as_millis(),
    })
}

/// What the rules found, with the inputs' accounting.
struct Judged {
    data: Ingested,
    outcome: Outcome,
    /// Issue 11: what this run's rosters listed (for later undated rosters).
    listed: Vec<crate::ingest::dating::Listing>,
    timings: Timings,
}

/// One partition task's findings, and its thread time spent judging.
struct Part<'p> {
    reconciler: Reconciler<'p>,
    rejects: Vec<crate::ingest::Reject>,
    conflicts: Vec<crate::rules::Conflict>,
    judge_ns: u128,
    listed: Vec<crate::ingest::dating::Listing>,
}

/// Stage 3, judge: partitions are validated and judged (rules R1–R9) in
/// parallel; no money total may wrap.
fn judge(cfg: &RunConfig, p: &Prepared, read: Read, progress: &Progress) -> Result<Judged> {
    let policy = &p.policy;
    let ctx = parse_ctx(cfg, policy);
    let dates = RunDates {
        t: cfg.as_of,
        year: policy.year,
    };
    let scattered = read.scattered;
    let have_register = crate::ingest::has_register(&scattered.files);
    // Issue 11: what earlier runs' rosters listed dates undated rosters'
    // identities (no ledger yet: every such start is unknown).
    let series = crate::ledger::keys::series(policy);
    let starts = match &p.locked_early {
        Some(l) => crate::ledger::snapshots::load(l, &series, cfg.as_of)?,
        None => Default::default(),
    };
    let code = |c| policy.vocab.code(c).to_string();
    // Issue 16: the bar moves by partitions (their number is known); its
    // label counts the persons judged so far.
    let judging = |n: u64| format!("校验对账 已判定 {n} 人 persons judged");
    let stage = progress.bar(
        scattered.partitions() as u64,
        &judging(0),
        "个分区 partitions",
    );
    let judged_persons = std::sync::atomic::AtomicU64::new(0);
    let joined = Instant::now();
    let reduced = scattered.reduce(
        ctx,
        || Part {
            reconciler: Reconciler::new(policy, dates, have_register),
            rejects: Vec::new(),
            conflicts: Vec::new(),
            judge_ns: 0,
            listed: Vec::new(),
        },
        |acc, mut data| {
            let t = Instant::now();
            starts.apply(&mut data.identities, code);
            acc.listed.extend(crate::ingest::dating::listed_at(
                &data.identities,
                cfg.as_of,
                code,
            ));
            let before = acc.reconciler.persons();
            acc.reconciler.add(&mut data);
            let n = acc.reconciler.persons() - before;
            let all = judged_persons.fetch_add(n, std::sync::atomic::Ordering::Relaxed) + n;
            stage.set_message(judging(all));
            acc.rejects.append(&mut data.rejects);
            acc.conflicts.append(&mut data.conflicts);
            drop(data);
            acc.judge_ns += t.elapsed().as_nanos();
        },
        |mut a, mut b| {
            a.reconciler = a.reconciler.merge(b.reconciler);
            a.rejects.append(&mut b.rejects);
            a.conflicts.append(&mut b.conflicts);
            a.judge_ns += b.judge_ns;
            a.listed.append(&mut b.listed);
            a
        },
        // Issue 16: one step per partition (a partition gives `each` several
        // groups of persons, so counting those overshot).
        || stage.inc(1),
    )?;
    let t = Instant::now();
    let mut part = reduced.acc;
    let outcome = part.reconciler.finish();
    // Issue 13 point 7: no money total may wrap; refuse before writing anything.
    crate::report::totals::check(policy, &outcome)?;
    part.rejects.extend(reduced.rejects);
    part.conflicts.extend(reduced.conflicts);
    let data = Ingested {
        files: reduced.files,
        rejects: part.rejects,
        conflicts: part.conflicts,
        ..Ingested::default()
    };
    stage.finish_and_clear();
    // The partition stage's wall time, split between validating and judging
    // by the threads' time in each (they run interleaved on every core).
    let joined_ms = joined.elapsed().as_millis();
    let threads = rayon::current_num_threads().max(1) as u128;
    let rules_ms_in_parts = (part.judge_ns / 1_000_000 / threads).min(joined_ms);
    Ok(Judged {
        data,
        outcome,
        listed: part.listed,
        timings: Timings {
            read_ms: read.ms,
            validate_ms: joined_ms - rules_ms_in_parts,
            rules_ms: rules_ms_in_parts + t.elapsed().as_millis(),
            ..Timings::default()
        },
    })
}

/// The reports as written into the staging directory.
struct Written {
    /// summary.json as written (the console's ending reads its figures).
    summary: serde_json::Value,
    /// The tables written, handed back to be freed off the main thread.
    tables: Vec<crate::report::ReportTable>,
}

/// The notes summary.json carries about the run's inputs and policy.
fn notes(cfg: &RunConfig, policy: &Policy) -> Vec<String> {
    let mut notes = Vec::new();
    if !cfg
        .inputs
        .iter()
        .any(|i| i.kind == crate::domain::SourceKind::Persons)
    {
        notes.push(
            "no persons file (一人一档人员库): deaths are unknown and everyone is taken as alive; newborns come only from the enrollment file's own rows; coverage has no overall group"
                .to_string(),
        );
    }
    if crate::report::warnings::as_of_outside(cfg.as_of, policy.year) {
        notes.push(format!(
            "as-of date {} is outside policy year {} and the year before it",
            cfg.as_of, policy.year
        ));
    }
    if let Some(note) = policy.fiscal.as_ref().and_then(|f| f.note.clone()) {
        notes.push(note);
    }
    notes
}

/// Stage 5, write: the lists with the ledger's columns (masked with
/// `--mask-ids`), their CSV files and the dashboard beside the workbooks,
/// then summary.json.
fn write(cfg: &RunConfig, r: &mut Recorded, judged: &Judged) -> Result<Written> {
    let t = Instant::now();
    let (policy, data, outcome) = (&r.policy, &judged.data, &judged.outcome);
    // Issue 15: built beside the ledger's writes where its marks came in time.
    let (tables, marked_files, books) =
        match std::mem::replace(&mut r.tables, Tables::Unmarked(Vec::new())) {
            Tables::All {
                tables,
                marked_files,
                books,
            } => (tables, marked_files, books),
            Tables::Unmarked(unmarked) => {
                let mut marked = build_marked(policy, data, outcome, cfg.lang, &r.marks);
                if cfg.mask_ids {
                    crate::report::mask_ids(&mut marked);
                }
                let marked_files: Vec<&'static str> = marked.iter().map(|t| t.file).collect();
                let tables = in_order(marked, unmarked);
                // Issue 15: each county's own per-person lists in its own workbook.
                let books = crate::report::by_county::plan(policy, &tables);
                (tables, marked_files, books)
            }
        };
    let warnings = crate::report::warnings::collect(&crate::report::warnings::Facts {
        data,
        as_of: cfg.as_of,
        policy_year: policy.year,
        have_register: outcome.have_register,
        previous: r.previous.as_ref(),
    });
    let tables_ms = t.elapsed().as_millis();
    let to_write: Vec<&crate::report::ReportTable> = tables
        .iter()
        .filter(|t| marked_files.contains(&t.file) && !r.marked_written.contains(&t.file))
        .collect();
    let steps = write_files(cfg, r, judged, (&tables, &to_write, &books, &warnings))?;
    let mut timings = judged.timings;
    // As before issue 15, `write` counts the ledger's record too.
    timings.write_ms = r.started.elapsed().as_millis();
    timings.write_steps = WriteSteps { tables_ms, ..steps };
    let policy_display = cfg.policy.display().to_string();
    let notes = notes(cfg, policy);
    let mut summary = summary::build(&SummaryInput {
        policy,
        policy_path: &policy_display,
        schemas_origin: &r.schemas.origin,
        as_of: cfg.as_of,
        data,
        outcome,
        tables: &tables,
        notes: &notes,
        timings,
        warnings: &warnings,
        lang: cfg.lang,
    });
    if let Some(o) = summary.as_object_mut() {
        if let Some(serde_json::Value::Object(outputs)) = o.get_mut("outputs") {
            for b in &books {
                outputs.insert(
                    b.file.clone(),
                    serde_json::json!({ "rows": b.total_rows(), "county_code": b.code }),
                );
            }
        }
        // Issue 5: the ledger's headline (no IDs; the same on a replay).
        o.insert(
            "ledger".into(),
            serde_json::json!({
                "no_ledger": cfg.no_ledger,
                "path": (!cfg.no_ledger).then(|| r.ledger_path.display().to_string()),
                "series": r.record.series,
                "as_of": crate::domain::fmt_date(cfg.as_of),
                "previous_as_of": r.marks.previous.map(crate::domain::fmt_date),
                "lifecycle": r.marks.counts(),
                "changes": r.marks.changes.len(),
                "ids_masked": cfg.mask_ids,
            }),
        );
    }
    if cfg.mask_ids {
        crate::report::mask_ids_in_json(&mut summary);
    }
    let summary_path = r.staging.path().join("summary.json");
    let text =
        serde_json::to_string_pretty(&summary).map_err(|e| Error::Internal(e.to_string()))?;
    crate::owner_only::write(&summary_path, text + "\n")?;
    crate::ledger::pause_point("staged");
    Ok(Written { summary, tables })
}

/// The CSV files of `to_write` and the dashboard on this thread, the
/// workbooks beside them (report.xlsx and the county workbooks, on every
/// core).
fn write_files(
    cfg: &RunConfig,
    r: &Recorded,
    judged: &Judged,
    (tables, to_write, books, warnings): (
        &[crate::report::ReportTable],
        &[&crate::report::ReportTable],
        &[crate::report::by_county::CountyBook],
        &[crate::report::warnings::Warning],
    ),
) -> Result<WriteSteps> {
    let (staging, schemas, writing) = (r.staging.path(), &r.schemas, &r.writing);
    let (took, csv_html_ms) = std::thread::scope(|scope| -> Result<_> {
        let heading = record::heading(cfg, &r.policy);
        let drafts = &r.drafts;
        let workbook = scope.spawn(move || {
            crate::report::workbooks::write_all(
                staging,
                (tables, books),
                drafts,
                schemas,
                cfg.header_lang,
                heading,
            )
        });
        let t = Instant::now();
        let lists = (|| -> Result<()> {
            for table in to_write {
                writing.set_message(format!("写出 {}", table.file));
                table.write(staging, schemas, cfg.header_lang)?;
                writing.inc(1);
            }
            writing.set_message("写出 report.html");
            let dashboard = staging.join("report.html");
            let listed: Vec<(&str, usize)> = books
                .iter()
                .map(|b| (b.file.as_str(), b.total_rows()))
                .collect();
            let mut html = crate::report::html::render(&crate::report::html::Page {
                policy: &r.policy,
                as_of: cfg.as_of,
                tables,
                outcome: &judged.outcome,
                data: &judged.data,
                workbooks: &listed,
                warnings,
                months: &r.months,
            });
            if cfg.mask_ids {
                html = crate::domain::mask_ids_in_text(&html);
            }
            crate::owner_only::write(&dashboard, html)?;
            writing.inc(1);
            Ok(())
        })();
        let csv_html_ms = t.elapsed().as_millis();
        // Joined whatever the lists gave, so its error is never lost.
        let book = workbook
            .join()
            .map_err(|_| Error::Internal("the workbook writer panicked".into()))?;
        lists?;
        let took = book?;
        writing.set_message("写出 report.xlsx, by_county/");
        writing.inc(1);
        Ok((took, csv_html_ms))
    })?;
    writing.finish_and_clear();
    Ok(WriteSteps {
        csv_html_ms,
        report_xlsx_ms: took.report_ms,
        county_xlsx_ms: took.counties_ms,
        ..r.steps
    })
}

/// Stage 6, publish: the staged output goes into place first, then the
/// ledger commits; a kill between the two leaves outputs that a re-run
/// reproduces byte for byte before it commits (docs/decisions.md, Ledger).
fn publish(cfg: &RunConfig, r: Recorded, _written: Written) -> Result<()> {
    // Issue 13: a non-empty --out without --force is replaced only when the
    // ledger names it as this run's output (checked in `record`) and it
    // holds this very output.
    if r.occupied && !crate::ledger::outdir::holds_same_output(&cfg.out, r.staging.path()) {
        return Err(out_not_empty(cfg));
    }
    r.ledger.mark_publishing(&r.record, &r.out_abs)?;
    let aside = move_into_place(r.staging, &cfg.out, cfg.force || r.occupied)
        .inspect_err(|_| r.ledger.clear_publishing())?;
    crate::ledger::pause_point("published");
    r.ledger.commit_run()?;
    crate::ledger::pause_point("committed");
    if let Some(aside) = aside {
        let _ = std::fs::remove_dir_all(aside);
    }
    Ok(())
}

/// The lines the CLI prints: each input's binding and counts, what the
/// ledger did, then the ending (issue 16: what the clerk acts on, from the
/// summary's figures, and where the results are).
fn console_lines(cfg: &RunConfig, r: &Recorded, judged: &Judged, w: &Written) -> Vec<String> {
    let mut lines = Vec::new();
    let zh = cfg.lang == crate::i18n::Lang::Zh;
    for f in &judged.data.files {
        lines.push(f.binding_line_in(cfg.lang));
        let c = &f.counts;
        let (kind, file, enc) = (f.kind.key(), &f.display, &f.encoding);
        lines.push(if zh {
            format!(
                "{kind} {file}：读取 {} 行，接受 {}，拒收 {}，合并重复 {}（{enc}）",
                c.read, c.accepted, c.rejected, c.merged_duplicates
            )
        } else {
            format!(
                "{kind} {file}: read {} rows, accepted {}, rejected {}, merged duplicates {} ({enc})",
                c.read, c.accepted, c.rejected, c.merged_duplicates
            )
        });
        if let Some(table) = f.lines.console_line() {
            let table = crate::i18n::dash_half(&table, cfg.lang);
            lines.push(format!("  {}: {table}", f.display));
        }
    }
    let ledger = r.ledger_path.display();
    let said = match (cfg.no_ledger, r.marks.replay, r.marks.replaced) {
        (true, ..) => crate::i18n::Msg::new(
            "账本：试算（--no-ledger），未读取也未写入任何账本",
            "ledger: trial run (--no-ledger), no ledger was read or written",
        ),
        (_, true, _) => crate::i18n::Msg::new(
            format!("账本 {ledger}：同月同输入已记录，未改动"),
            format!("ledger {ledger}: unchanged (same month, same inputs)"),
        ),
        (_, _, true) => crate::i18n::Msg::new(
            format!("账本 {ledger}：已替换 {} 的记录（--replace）", cfg.as_of),
            format!(
                "ledger {ledger}: replaced the run of {} (--replace)",
                cfg.as_of
            ),
        ),
        _ => crate::i18n::Msg::new(
            format!("账本 {ledger}：已记录 {} 的对账", cfg.as_of),
            format!("ledger {ledger}: recorded the run of {}", cfg.as_of),
        ),
    };
    lines.push(said.get(cfg.lang).to_string());
    lines.extend(crate::report::ending::lines(&w.summary, &cfg.out, cfg.lang));
    lines
}

pub(crate) fn out_parent(out: &Path) -> PathBuf {
    match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Every input must exist and be a file.
fn check_inputs(cfg: &RunConfig) -> Result<()> {
    if !cfg
        .inputs
        .iter()
        .any(|i| i.kind == crate::domain::SourceKind::Enrollment)
    {
        return Err(crate::error::usage(
            "run 至少需要一个 --enrollment 文件（一人一档参保缴费明细）",
            "run needs at least one --enrollment file (一人一档参保缴费明细)",
        ));
    }
    for i in &cfg.inputs {
        if !i.path.is_file() {
            return Err(Error::io(
                &i.display,
                "no such file (expected a CSV export)",
            ));
        }
    }
    Ok(())
}

/// Refuses to write into a directory that holds an input (or over an
/// input); `true` when `--out` is not empty and `--force` was not given
/// (the caller then refuses unless it is this run's own output).
fn check_out(cfg: &RunConfig) -> Result<bool> {
    check_out_dir(&cfg.out, &cfg.inputs, cfg.force)
}

/// [`check_out`] for any command that writes an output directory (issue 14:
/// `forecast` shares the rule).
pub(crate) fn check_out_dir(out: &Path, inputs: &[InputSpec], force: bool) -> Result<bool> {
    let out_abs = absolute(out);
    for i in inputs {
        let input = absolute(&i.path);
        let input_dir = input.parent().map(Path::to_path_buf).unwrap_or_default();
        if input == out_abs || input_dir == out_abs || input.starts_with(&out_abs) {
            return Err(crate::error::usage(
                format!(
                    "--out {} 会写到输入文件 {} 所在的目录或覆盖它；请另选一个目录，例如 reports/2026-01",
                    out.display(),
                    i.display
                ),
                format!(
                    "--out {} would write next to or over the input {}; choose a separate directory such as reports/2026-01",
                    out.display(),
                    i.display
                ),
            ));
        }
    }
    if out.exists() {
        if !out.is_dir() {
            return Err(crate::error::usage(
                format!("--out {} 已存在，但不是目录；请另选一个目录", out.display()),
                format!("--out {} exists and is not a directory", out.display()),
            ));
        }
        let non_empty = std::fs::read_dir(out)
            .map_err(|e| Error::io(out.display(), e))?
            .next()
            .is_some();
        return Ok(non_empty && !force);
    }
    Ok(false)
}

/// The ledger, locked now when it exists (a new one is created only once
/// the inputs have passed, so bad input writes nothing), or an empty one in
/// memory for `--no-ledger`. A non-empty `--out` (without `--force`) that
/// the ledger does not know as some run's output is refused here, before
/// the ingest.
fn open_ledger_early(
    cfg: &RunConfig,
    ledger_path: &Path,
    occupied: bool,
) -> Result<Option<crate::ledger::Ledger>> {
    let ledger = if cfg.no_ledger {
        Some(crate::ledger::Ledger::trial()?)
    } else if ledger_path.is_file() {
        Some(crate::ledger::Ledger::open_locked(ledger_path)?)
    } else {
        None
    };
    if occupied {
        let known = match &ledger {
            Some(l) => l.may_own_output(&absolute(&cfg.out))?,
            None => false,
        };
        if !known {
            return Err(out_not_empty(cfg));
        }
    }
    Ok(ledger)
}

/// The refusal of a non-empty `--out` without `--force` (also made early by
/// `cli::run`, where it is certain).
pub(crate) fn out_not_empty(cfg: &RunConfig) -> Error {
    out_not_empty_at(&cfg.out)
}

/// The refusal of a non-empty `out` without `--force`.
pub(crate) fn out_not_empty_at(out: &Path) -> Error {
    crate::error::usage(
        format!(
            "--out {} 不是空目录；要替换其中的内容请加 --force，或另选一个新目录",
            out.display()
        ),
        format!(
            "--out {} is not empty; pass --force to replace it, or choose a new directory",
            out.display()
        ),
    )
}

fn absolute(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    // Not there yet: canonicalise the parent and append the name.
    let parent = out_parent(p);
    let base = parent.canonicalize().unwrap_or(parent);
    match p.file_name() {
        Some(n) => base.join(n),
        None => base,
    }
}

/// Moves the finished staging directory into place. With `--force` the old
/// output is moved aside first; the caller removes it (the returned path)
/// once the ledger has committed. A run killed between the two renames
/// leaves the old output aside, and the next run puts it back
/// (`ledger::outdir::recover`).
pub(crate) fn move_into_place(
    staging: tempfile::TempDir,
    out: &Path,
    force: bool,
) -> Result<Option<PathBuf>> {
    let staged = staging.keep();
    let fail = |e: std::io::Error| {
        let _ = std::fs::remove_dir_all(&staged);
        Error::io(out.display(), e)
    };
    if out.exists() {
        let empty = std::fs::read_dir(out).map_err(fail)?.next().is_none();
        if empty {
            std::fs::remove_dir(out).map_err(fail)?;
        } else if force {
            let aside = crate::ledger::outdir::aside_path(&out_parent(out), out);
            let _ = std::fs::remove_dir_all(&aside);
            std::fs::rename(out, &aside).map_err(fail)?;
            crate::ledger::pause_point("swapping");
            if let Err(e) = std::fs::rename(&staged, out) {
                // Put the old output back: nothing half-written stays.
                let _ = std::fs::rename(&aside, out);
                return Err(fail(e));
            }
            return Ok(Some(aside));
        }
    }
    std::fs::rename(&staged, out).map_err(fail)?;
    Ok(None)
}
