//! Ingest: from department exports to validated, typed records.
//!
//! Every data row ends in exactly one of three places: a typed record, a
//! [`Reject`] with its reason, or merged into an identical earlier row.
//! One module per source family; they share the row helpers in [`row`].

pub mod bind;
pub mod dating;
pub mod enrollment;
pub mod grade;
pub mod history;
pub mod identity;
pub mod lines;
pub mod ranges;
pub mod read;
pub mod regionless;
pub mod register;
pub mod row;
pub mod schema;
mod serial;
mod source;
pub mod spill;
pub mod table;
pub mod xlsx;

use std::path::PathBuf;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::domain::{
    Category, County, EnrollStatus, Fen, PersonId, Scheme, SourceKind, Vocabulary,
};
use crate::error::Result;
use read::{read_meta_checked, TableMeta};
use row::Row;
use schema::{Col, Schemas};

pub use crate::findings::{Conflict, ConflictCode, FileIdx, Origin, Reject, RejectReason};

/// Outreach columns some identity exports carry (乡镇街道, 村社区, 联系电话).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outreach {
    pub township: String,
    pub village: String,
    pub phone: String,
}

/// One hardship identity (困难身份) valid over `[start, end)`.
#[derive(Debug, Clone)]
pub struct HardshipIdentity {
    pub person: PersonId,
    pub name: String,
    pub category: Category,
    pub start: NaiveDate,
    /// Exclusive end; `None` = still valid.
    pub end: Option<NaiveDate>,
    pub source: SourceKind,
    /// Recognition county (6 digits).
    pub county: County,
    pub origin: Origin,
    /// Only rows that carry outreach columns pay for them.
    pub outreach: Option<Box<Outreach>>,
    /// Issue 11: from a start-date column, or an undated roster's snapshot.
    pub dating: dating::Dating,
}

impl HardshipIdentity {
    /// Whether `[start, end)` overlaps the closed window `[a, b]`.
    pub fn overlaps(&self, a: NaiveDate, b: NaiveDate) -> bool {
        self.start <= b && self.end.is_none_or(|e| e > a)
    }
}

/// One enrollment row (一人一档参保缴费): person × year × scheme.
#[derive(Debug, Clone)]
pub struct EnrollmentRow {
    pub person: PersonId,
    pub name: String,
    pub year: i32,
    pub scheme: Scheme,
    /// 参保区划代码 (6 digits).
    pub county: County,
    /// Issue 14: the population and grade (人员类别, 缴费档次) the row is
    /// priced at; the policy's default where the export has no such column.
    pub grade: crate::policy::GradeRef,
    pub status: EnrollStatus,
    /// 核定类别: `None` is 普通居民.
    pub rating: Option<Category>,
    pub rating_text: String,
    /// 应缴金额 (blank only allowed on 310 rows, read as 0).
    pub due: Fen,
    pub paid: Fen,
    pub pay_date: Option<NaiveDate>,
    pub benefit_start: Option<NaiveDate>,
    pub repair_years: u32,
    pub tax_receipt: String,
    /// Canonical 动态参保类别 code.
    pub dynamic_group: Option<String>,
    pub origin: Origin,
}

impl EnrollmentRow {
    /// A resident row is *paid* when 实缴 ≥ 应缴 > 0, or 应缴 = 0 and 参保缴费.
    pub fn is_paid(&self) -> bool {
        (self.due > Fen::ZERO && self.paid >= self.due)
            || (self.due.is_zero() && self.status == EnrollStatus::Active)
    }
}

/// A row of a year before `Y` (参保历史), kept only as far as the rules need it:
/// whether the person was covered that year (R6's gap years).
#[derive(Debug, Clone)]
pub struct HistoryRow {
    pub person: PersonId,
    pub year: i32,
    /// A 390 row with 实缴 ≥ 应缴, or any 310 row whatever its status today.
    pub covered: bool,
    pub origin: Origin,
}

/// One resident of 一人一档人员库.
#[derive(Debug, Clone)]
pub struct PersonRecord {
    pub person: PersonId,
    pub name: String,
    /// 常住区划代码 (6 digits).
    pub county: County,
    pub death: Option<NaiveDate>,
    pub origin: Origin,
}

/// One person insured outside this ledger (异地参保).
#[derive(Debug, Clone)]
pub struct ElsewhereRecord {
    pub person: PersonId,
    pub name: String,
    pub note: String,
    /// 年度: `None` counts for every year.
    pub year: Option<i32>,
    pub origin: Origin,
}

/// A record of any kind, as the row parsers produce them.
#[derive(Debug, Clone)]
pub enum Record {
    Identity(HardshipIdentity),
    Enrollment(EnrollmentRow),
    /// An enrollment row of a year before the policy year.
    History(HistoryRow),
    Person(PersonRecord),
    Elsewhere(ElsewhereRecord),
}

/// The records of one row: one, inline (issue 15: a vector per row was a
/// measured cost), or more (an agriculture row whose risk was cleared gives
/// two identities).
pub type Records = smallvec::SmallVec<[Record; 1]>;

/// What the parsers need to know beyond the row.
#[derive(Debug, Clone, Copy)]
pub struct ParseCtx<'a> {
    pub vocab: &'a Vocabulary,
    pub as_of: NaiveDate,
    /// Region prefix of the policy (`64`, `1507`); `None` checks no region.
    pub region_prefix: Option<&'a str>,
    /// The policy year: enrollment rows before it are kept as history only.
    pub policy_year: Option<i32>,
    /// Issue 14: the policy whose grades, populations and narrowed
    /// categories the rows are read by; `None` (validate) reads none of them.
    pub policy: Option<&'a crate::policy::Policy>,
}

/// Read counts of one input (read = accepted + rejected + merged duplicates).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputCounts {
    pub read: u64,
    pub accepted: u64,
    pub rejected: u64,
    pub merged_duplicates: u64,
    pub blank_rows: u64,
    /// Issue 11: identities of a roster without a region column placed by
    /// the person's enrollment row for `Y`, or else by the register.
    pub placed_by_enrollment: u64,
    pub placed_by_register: u64,
}

/// One input file of a run.
#[derive(Debug, Clone)]
pub struct InputFile {
    pub kind: SourceKind,
    /// The path as the user gave it (printed in reports).
    pub display: String,
    pub path: PathBuf,
    pub sha256: String,
    pub encoding: &'static str,
    /// Issue 11: how the file's layout was read (no region column, no start
    /// date), for the summary.
    pub notes: Vec<&'static str>,
    pub ignored_columns: Vec<String>,
    /// Every header and what became of it (printed once, kept in the summary).
    pub columns: Vec<bind::HeaderColumn>,
    pub counts: InputCounts,
    /// Where every physical line went (header, skipped, rows).
    pub lines: lines::LineAccount,
}

/// Everything ingest produced for a run.
#[derive(Debug, Default)]
pub struct Ingested {
    pub files: Vec<InputFile>,
    pub identities: Vec<HardshipIdentity>,
    /// Rows for `Y` and later (the rules read these in full).
    pub enrollment: Vec<EnrollmentRow>,
    /// Rows for years before `Y`, reduced to coverage (see [`HistoryRow`]).
    pub history: Vec<HistoryRow>,
    pub persons: Vec<PersonRecord>,
    pub elsewhere: Vec<ElsewhereRecord>,
    pub rejects: Vec<Reject>,
    /// Rows kept but doubtful (UNKNOWN_RATING …), found while parsing.
    pub conflicts: Vec<Conflict>,
}

/// An input named on the command line.
#[derive(Debug, Clone)]
pub struct InputSpec {
    pub kind: SourceKind,
    pub path: PathBuf,
    pub display: String,
}

/// Where and how finely a run's rows are partitioned.
#[derive(Debug, Clone)]
pub struct SpillOpts {
    /// `None`: one partition per [`spill::PARTITION_INPUT_BYTES`] of input.
    pub partitions: Option<usize>,
    /// Directory for the partitions' temporary files.
    pub dir: PathBuf,
    /// Bytes of rows the partitions may hold in memory before they spill to
    /// temporary files (`--memory`); `None`: [`spill::DEFAULT_BUDGET`].
    pub memory: Option<u64>,
}

impl SpillOpts {
    /// Partitions sized by the input, temporary files in the system's
    /// temporary directory.
    pub fn in_temp_dir() -> SpillOpts {
        SpillOpts {
            partitions: None,
            dir: std::env::temp_dir(),
            memory: None,
        }
    }
}

/// Every input read and split by person ([`spill`]); the rows are validated
/// partition by partition by [`Scattered::reduce`].
pub struct Scattered {
    /// Per-file facts. `read` and `blank_rows` are known once the files are
    /// read; `accepted`, `rejected` and `merged_duplicates` are complete in
    /// what [`Scattered::reduce`] returns.
    pub files: Vec<InputFile>,
    metas: Vec<TableMeta>,
    parts: spill::Partitions,
    rejects: Vec<Reject>,
    conflicts: Vec<Conflict>,
}

/// What [`Scattered::reduce`] gives back.
pub struct Reduced<T> {
    /// The inputs, their counts complete.
    pub files: Vec<InputFile>,
    /// Rejects and conflicts of the rows validated while reading; those of
    /// the partitions are wherever the caller's `each` put them.
    pub rejects: Vec<Reject>,
    pub conflicts: Vec<Conflict>,
    pub acc: T,
}

/// Reads every input into partitions. All headers are checked before any row
/// is read, so a missing column fails the run before any work or output.
/// A UTF-8 CSV is read in byte ranges on every core ([`ranges`]); other
/// files are streamed in blocks by one reader (`serial`). Either way rows
/// are routed to their partitions in the order of the file (enrollment rows
/// of years before `Y` are validated on the way, see `route`).
pub fn scatter(
    inputs: &[InputSpec],
    schemas: &Schemas,
    ctx: ParseCtx<'_>,
    opts: &SpillOpts,
    progress: &crate::progress::Progress,
) -> Result<Scattered> {
    let metas: Vec<TableMeta> = inputs
        .par_iter()
        .map(|i| {
            let check = bind::FitCheck {
                vocab: Some(ctx.vocab),
                populations: ctx.policy.map(|p| p as &dyn bind::PopulationTexts),
            };
            read_meta_checked(&i.path, &i.display, schemas.source(i.kind), check)
        })
        .collect::<Result<_>>()?;
    let input_bytes: u64 = inputs
        .iter()
        .filter_map(|i| std::fs::metadata(&i.path).ok())
        .map(|m| m.len())
        .sum();
    let count = opts
        .partitions
        .unwrap_or_else(|| spill::partitions_for(input_bytes))
        .max(1);
    let budget = opts.memory.unwrap_or(spill::DEFAULT_BUDGET);
    let mut parts = spill::Partitions::new(count, &opts.dir, budget);
    let mut files = Vec::with_capacity(inputs.len());
    // Findings of rows validated while reading (history rows), with their
    // rows' hashes: repeats are merged once every file is read.
    let mut early_rejects: Vec<(FileIdx, u128, Reject)> = Vec::new();
    let mut early_conflicts: Vec<(FileIdx, u128, Conflict)> = Vec::new();
    let mut late_rejects: Vec<Reject> = Vec::new();
    // Issue 16: one bar over the bytes of all inputs; each file's own
    // bytes are counted from its start (its header was read for the metas).
    let bar = progress.bytes(input_bytes, "读取 reading");
    let mut done_bytes = 0u64;
    for (idx, (spec, meta)) in inputs.iter().zip(&metas).enumerate() {
        let file = FileIdx::try_from(idx).map_err(|_| {
            crate::error::Error::Usage("too many input files (at most 65535)".into())
        })?;
        bar.set_message(format!("读取 {}", spec.display));
        let size = std::fs::metadata(&spec.path).map_or(0, |m| m.len());
        let stats = match ranges::read_file(spec, file, meta, ctx, &mut parts, |at| {
            bar.set_position(done_bytes + at.min(size));
        })? {
            Some(out) => {
                early_rejects.extend(out.early_rejects);
                early_conflicts.extend(out.early_conflicts);
                out.stats
            }
            None => serial::read_serial(
                (spec, file, meta, ctx),
                &mut parts,
                (&mut early_rejects, &mut early_conflicts),
                |here| bar.set_position(done_bytes + here.min(size)),
            )?,
        };
        done_bytes += size;
        bar.set_position(done_bytes);
        // Rows rejected while reading (a broken quote, a row too wide) are
        // never repeats worth merging: each is its own line's reject.
        let read_rejects = stats.rejects.len() as u64;
        late_rejects.extend(stats.rejects);
        files.push(InputFile {
            kind: spec.kind,
            display: spec.display.clone(),
            path: spec.path.clone(),
            sha256: stats.sha256,
            encoding: meta.encoding,
            notes: [
                (
                    regionless::lacks_region(spec.kind, meta),
                    regionless::NO_REGION_NOTE,
                ),
                (
                    regionless::lacks_start(spec.kind, meta),
                    regionless::UNDATED_NOTE,
                ),
            ]
            .into_iter()
            .filter_map(|(on, note)| on.then_some(note))
            .collect(),
            ignored_columns: meta.ignored_columns.clone(),
            columns: meta.binding.clone(),
            counts: InputCounts {
                read: stats.rows_read,
                blank_rows: stats.blank_rows,
                rejected: read_rejects,
                ..InputCounts::default()
            },
            lines: stats.lines,
        });
    }
    bar.finish_and_clear();
    let (mut rejects, conflicts) = merge_early(&mut files, early_rejects, early_conflicts);
    rejects.extend(late_rejects);
    Ok(Scattered {
        files,
        metas,
        parts,
        rejects,
        conflicts,
    })
}

/// Where a row goes once read.
enum Route {
    /// To its person's partition, as text, validated later.
    Raw(u64),
    /// A history row, validated already, to its person's partition.
    History(read::HistoryRec, Vec<Conflict>),
    /// Rejected already (a history-year enrollment row); its hash.
    Rejected(u128, Box<Reject>),
}

/// Validates an enrollment row of a year before `Y` at once (most of a
/// province's ledger): it then travels as a 40-byte [`read::HistoryRec`],
/// or not at all when rejected. Every other row travels as text.
fn route(kind: SourceKind, row: &Row<'_>, ctx: ParseCtx<'_>, memo: &mut history::Memo) -> Route {
    let raw = || Route::Raw(person_key(kind, row, ctx));
    let (SourceKind::Enrollment, Some(y)) = (kind, ctx.policy_year) else {
        return raw();
    };
    if let Some(h) = history::fast_history(row, ctx, memo) {
        return Route::History(
            read::HistoryRec {
                line: row.raw().line,
                key: h.key,
                hash: row.raw().content_hash(),
                year: h.year,
                file: row.raw().file,
                covered: h.covered,
            },
            Vec::new(),
        );
    }
    if enrollment::year_of(row).is_some_and(|ry| ry >= y) {
        return raw();
    }
    match enrollment::parse(row, ctx) {
        Ok((records, conflicts)) => match records.as_slice() {
            [Record::History(h)] => match h.person {
                PersonId::Resident(key) => Route::History(
                    read::HistoryRec {
                        line: row.raw().line,
                        key,
                        hash: row.raw().content_hash(),
                        year: h.year,
                        file: row.raw().file,
                        covered: h.covered,
                    },
                    conflicts,
                ),
                PersonId::Other(_) => raw(),
            },
            _ => raw(),
        },
        Err(reject) => Route::Rejected(row.raw().content_hash(), reject),
    }
}

/// Merges repeats among rows rejected while reading (the first, by line,
/// is the reject; the others are counted as merged) and drops the conflicts
/// of repeats; counts the rejects.
fn merge_early(
    files: &mut [InputFile],
    mut rejects: Vec<(FileIdx, u128, Reject)>,
    mut conflicts: Vec<(FileIdx, u128, Conflict)>,
) -> (Vec<Reject>, Vec<Conflict>) {
    rejects.sort_by_key(|(f, h, r)| (*f, *h, r.line));
    let mut kept = Vec::with_capacity(rejects.len());
    let mut last = None;
    for (f, h, r) in rejects {
        let c = &mut files[usize::from(f)].counts;
        if last == Some((f, h)) {
            c.merged_duplicates += 1;
        } else {
            c.rejected += 1;
            kept.push(r);
        }
        last = Some((f, h));
    }
    conflicts.sort_by_key(|(f, h, c)| (*f, *h, c.origin.line, c.code));
    let mut first_line = None;
    let conflicts = conflicts
        .into_iter()
        .filter(|(f, h, c)| {
            match first_line {
                Some((ff, hh, _)) if (ff, hh) == (*f, *h) => {}
                _ => first_line = Some((*f, *h, c.origin.line)),
            }
            first_line == Some((*f, *h, c.origin.line))
        })
        .map(|(_, _, c)| c)
        .collect();
    (kept, conflicts)
}

/// The key that sends a row to its partition: the person's ID when it can be
/// read (so all of one person's rows meet), else the row's own hash (the row
/// will be rejected, and an exact repeat still meets it).
fn person_key(kind: SourceKind, row: &Row<'_>, ctx: ParseCtx<'_>) -> u64 {
    let doc_type = row.get(Col::DocType);
    let id = match kind {
        SourceKind::Disability => identity::cert_id_text(row.get(Col::CertNumber))
            .and_then(|t| crate::domain::parse_person_id(&t, doc_type, ctx.as_of).ok()),
        _ => crate::domain::parse_person_id(row.get(Col::IdNumber), doc_type, ctx.as_of).ok(),
    };
    match id {
        Some(id) => key_of(&id),
        None => row.raw().content_hash() as u64,
    }
}

/// Whether the run has a resident register (一人一档人员库): a persons file
/// with at least one data row (docs/decisions.md).
pub fn has_register(files: &[InputFile]) -> bool {
    files
        .iter()
        .any(|f| f.kind == SourceKind::Persons && f.counts.read > 0)
}

/// A person's partition key: the packed resident ID, or a hash of another
/// document's number (a newborn under a parent's number meets the parent's
/// partition, which is harmless).
pub fn key_of(id: &PersonId) -> u64 {
    match id {
        PersonId::Resident(v) => *v,
        PersonId::Other(o) => xxhash_rust::xxh3::xxh3_64(o.1.as_bytes()),
    }
}

impl Scattered {
    pub fn partitions(&self) -> usize {
        self.parts.count()
    }

    /// Validates each partition into records and hands them to `each`,
    /// partitions in parallel (one accumulator per rayon task, from `init`,
    /// combined by `merge`). Whatever `each` collects must be sorted
    /// afterwards: the order partitions finish in is not fixed.
    pub fn reduce<T: Send>(
        self,
        ctx: ParseCtx<'_>,
        init: impl Fn() -> T + Sync + Send,
        each: impl Fn(&mut T, Ingested) + Sync + Send,
        merge: impl Fn(T, T) -> T + Sync + Send,
        partition_done: impl Fn() + Sync + Send,
    ) -> Result<Reduced<T>> {
        let Scattered {
            mut files,
            metas,
            parts,
            rejects,
            conflicts,
        } = self;
        let kinds: Vec<SourceKind> = files.iter().map(|f| f.kind).collect();
        let zero = || (init(), vec![InputCounts::default(); kinds.len()]);
        let dir = parts.dir().to_path_buf();
        let spare = SpareBuffers::default();
        let spare_rows = spill::SpareRows::default();
        let (acc, counts) = parts
            .into_sources()
            .into_par_iter()
            .map(|source| -> Result<_> {
                let mut buf = spare.take();
                let tail = source.read_into(&mut buf)?;
                let (rows, mut history) = spare_rows.take();
                // Rows borrowing nothing become rows borrowing `buf`.
                let mut rows: Vec<read::RawRow<'_>> = rows;
                spill::partition_rows_into(&buf, &tail, &dir, (&mut rows, &mut history))?;
                let mut acc = init();
                let counts = load(&rows, &history, &kinds, &metas, ctx, |part| {
                    each(&mut acc, part)
                });
                spare_rows.put(rows, history);
                spare.put(buf);
                partition_done();
                Ok((acc, counts))
            })
            .try_reduce(zero, |(a, mut ca), (b, cb)| {
                for (x, y) in ca.iter_mut().zip(cb) {
                    x.accepted += y.accepted;
                    x.rejected += y.rejected;
                    x.merged_duplicates += y.merged_duplicates;
                    x.placed_by_enrollment += y.placed_by_enrollment;
                    x.placed_by_register += y.placed_by_register;
                }
                Ok((merge(a, b), ca))
            })?;
        for (f, c) in files.iter_mut().zip(counts) {
            f.counts.accepted += c.accepted;
            f.counts.rejected += c.rejected;
            f.counts.merged_duplicates += c.merged_duplicates;
            f.counts.placed_by_enrollment += c.placed_by_enrollment;
            f.counts.placed_by_register += c.placed_by_register;
        }
        Ok(Reduced {
            files,
            rejects,
            conflicts,
            acc,
        })
    }
}

/// Spill-file buffers between partitions (fresh memory costs page faults).
/// Shared rather than one per thread: a thread waiting inside a partition's
/// parallel steps may start another partition, and a per-thread buffer was
/// then taken already (a fresh one was faulted in, and one of the two freed
/// afterwards).
#[derive(Default)]
struct SpareBuffers(std::sync::Mutex<Vec<Vec<u8>>>);

impl SpareBuffers {
    fn take(&self) -> Vec<u8> {
        let mut spare = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        spare.pop().unwrap_or_default()
    }

    fn put(&self, buf: Vec<u8>) {
        let mut spare = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        spare.push(buf);
    }
}

/// Persons' rows validated and judged together: a partition is cut into
/// slices of about this many rows, so the working set of each step (the
/// duplicate set, the records, their sort) stays small and in cache.
const SLICE_ROWS: usize = 65_536;

/// Validates one partition slice by slice ([`load_slice`]), handing each
/// slice's records to `each`; returns the partition's counts per file.
fn load(
    rows: &[read::RawRow<'_>],
    history: &[read::HistoryRec],
    kinds: &[SourceKind],
    metas: &[TableMeta],
    ctx: ParseCtx<'_>,
    mut each: impl FnMut(Ingested),
) -> Vec<InputCounts> {
    let mut counts = vec![InputCounts::default(); kinds.len()];
    let slices = rows.len().div_ceil(SLICE_ROWS).max(1);
    let (starts, order) = by_slice(rows.iter().map(|r| r.key), slices);
    // History rows are copied out slice by slice in one pass (sized first:
    // a vector grown by doubling faults in fresh pages each time).
    let mut history_of: Vec<Vec<read::HistoryRec>> = {
        let mut n = vec![0usize; slices];
        for h in history {
            n[spill::slice_of(h.key, slices)] += 1;
        }
        n.into_iter().map(Vec::with_capacity).collect()
    };
    for h in history {
        history_of[spill::slice_of(h.key, slices)].push(*h);
    }
    let mut members = Vec::with_capacity(SLICE_ROWS * 2);
    let mut seen = Repeats(read::RowHashSet::default());
    for (s, history) in history_of.iter().enumerate() {
        members.clear();
        members.extend(
            order[starts[s]..starts[s + 1]]
                .iter()
                .map(|&i| rows[i as usize]),
        );
        let mut part = load_slice(&members, kinds, metas, ctx, &mut seen, &mut counts);
        // History rows validated while reading: merge repeats, keep the rest.
        seen.restart(history.len());
        part.history.reserve(history.len());
        for h in history {
            if seen.first(h.file, h.hash, &mut counts) {
                counts[usize::from(h.file)].accepted += 1;
                part.history.push(HistoryRow {
                    person: PersonId::Resident(h.key),
                    year: h.year,
                    covered: h.covered,
                    origin: Origin {
                        file: h.file,
                        line: u32::try_from(h.line).unwrap_or(u32::MAX),
                    },
                });
            }
        }
        each(part);
    }
    counts
}

/// The slice of each item by its key: the start of each slice in the order
/// returned (one more start than slices, the last is the count) and the
/// items' indices slice by slice, each slice in the items' order (a
/// counting sort: the first of two identical rows is the one kept).
fn by_slice(keys: impl ExactSizeIterator<Item = u64>, slices: usize) -> (Vec<usize>, Vec<u32>) {
    let slice: Vec<u32> = keys.map(|k| spill::slice_of(k, slices) as u32).collect();
    let mut starts = vec![0usize; slices + 1];
    for &s in &slice {
        starts[s as usize + 1] += 1;
    }
    for i in 0..slices {
        starts[i + 1] += starts[i];
    }
    let mut next = starts.clone();
    let mut order = vec![0u32; slice.len()];
    for (i, &s) in slice.iter().enumerate() {
        order[next[s as usize]] = i as u32;
        next[s as usize] += 1;
    }
    (starts, order)
}

/// Rows seen so far in a slice, by file and content hash.
struct Repeats(read::RowHashSet);

impl Repeats {
    /// Empties the set for `n` more rows; its table is kept from slice to
    /// slice (a fresh one costs page faults).
    fn restart(&mut self, n: usize) {
        self.0.clear();
        self.0.reserve(n);
    }

    /// Whether this is the first row of `file` with this content; a repeat
    /// is counted as merged. (The file index goes into the key's high half;
    /// the table indexes by the low half.)
    fn first(&mut self, file: FileIdx, hash: u128, counts: &mut [InputCounts]) -> bool {
        let fresh = self.0.insert(hash ^ (u128::from(file) << 64));
        if !fresh {
            counts[usize::from(file)].merged_duplicates += 1;
        }
        fresh
    }
}

/// Validates rows into records, after merging byte-identical repeats of an
/// earlier row of the same file (a repeat has the same ID, so it is always in
/// the same partition and slice). Returns the records, rejects and
/// conflicts (`files` left empty); adds to the counts per file.
fn load_slice(
    rows: &[read::RawRow<'_>],
    kinds: &[SourceKind],
    metas: &[TableMeta],
    ctx: ParseCtx<'_>,
    seen: &mut Repeats,
    counts: &mut [InputCounts],
) -> Ingested {
    seen.restart(rows.len());
    let kept: Vec<read::RawRow<'_>> = rows
        .iter()
        .filter(|r| seen.first(r.file, r.content_hash(), counts))
        .copied()
        .collect();
    let mut parsed: Vec<(FileIdx, ParsedRow)> = kept
        .par_iter()
        .map(|r| {
            let f = usize::from(r.file);
            (r.file, parse_row(kinds[f], &Row::new(&metas[f], *r), ctx))
        })
        .collect();
    regionless::place(&kept, &mut parsed, kinds, metas, ctx, counts);
    // Sized once: a slice's vectors would otherwise grow (and fault in fresh
    // pages) a few times each.
    let mut n = [0usize; 5];
    for (_, p) in &parsed {
        if let ParsedRow::Accepted(records, _) = p {
            for r in records {
                n[match r {
                    Record::Identity(_) => 0,
                    Record::Enrollment(_) => 1,
                    Record::History(_) => 2,
                    Record::Person(_) => 3,
                    Record::Elsewhere(_) => 4,
                }] += 1;
            }
        }
    }
    let mut out = Ingested {
        identities: Vec::with_capacity(n[0]),
        enrollment: Vec::with_capacity(n[1]),
        history: Vec::with_capacity(n[2]),
        persons: Vec::with_capacity(n[3]),
        elsewhere: Vec::with_capacity(n[4]),
        ..Ingested::default()
    };
    for (file, p) in parsed {
        let c = &mut counts[usize::from(file)];
        match p {
            ParsedRow::Accepted(records, conflicts) => {
                c.accepted += 1;
                out.conflicts.extend(conflicts);
                for r in records {
                    out.push(r);
                }
            }
            ParsedRow::Rejected(r) => {
                c.rejected += 1;
                out.rejects.push(*r);
            }
        }
    }
    out
}

impl Ingested {
    fn is_empty(&self) -> bool {
        self.identities.is_empty()
            && self.enrollment.is_empty()
            && self.history.is_empty()
            && self.persons.is_empty()
            && self.elsewhere.is_empty()
            && self.rejects.is_empty()
            && self.conflicts.is_empty()
    }

    fn push(&mut self, r: Record) {
        match r {
            Record::Identity(x) => self.identities.push(x),
            Record::Enrollment(x) => self.enrollment.push(x),
            Record::History(x) => self.history.push(x),
            Record::Person(x) => self.persons.push(x),
            Record::Elsewhere(x) => self.elsewhere.push(x),
        }
    }

    /// Adds a partition's records and findings.
    pub fn absorb(&mut self, mut part: Ingested) {
        if self.is_empty() {
            part.files = std::mem::take(&mut self.files);
            *self = part;
            return;
        }
        self.identities.extend(part.identities);
        self.enrollment.extend(part.enrollment);
        self.history.extend(part.history);
        self.persons.extend(part.persons);
        self.elsewhere.extend(part.elsewhere);
        self.rejects.extend(part.rejects);
        self.conflicts.extend(part.conflicts);
    }
}

/// Reads and validates every input into one [`Ingested`] (all partitions
/// together), for tests and callers that want the whole. Rejects and
/// conflicts are in file and line order.
pub fn ingest_all(
    inputs: &[InputSpec],
    schemas: &Schemas,
    ctx: ParseCtx<'_>,
    progress: &crate::progress::Progress,
) -> Result<Ingested> {
    ingest_for(
        inputs,
        schemas,
        ctx,
        &SpillOpts::in_temp_dir(),
        progress,
        Want::All,
    )
}

/// How much of the inputs a command keeps.
#[derive(Debug, Clone, Copy)]
pub enum Want<'a> {
    /// Every record.
    All,
    /// What `validate` needs: every file's counts, rejects and conflicts,
    /// no records (memory stays bounded on a province's file).
    Findings,
    /// What `explain` needs: the records of one person (only that person's
    /// partition is validated) and the rejects found while reading; the
    /// files' counts then cover that partition only.
    Person(&'a PersonId),
}

/// Reads and validates the inputs, keeping what `want` asks for.
pub fn ingest_for(
    inputs: &[InputSpec],
    schemas: &Schemas,
    ctx: ParseCtx<'_>,
    opts: &SpillOpts,
    progress: &crate::progress::Progress,
    want: Want<'_>,
) -> Result<Ingested> {
    let mut scattered = scatter(inputs, schemas, ctx, opts, progress)?;
    if let Want::Person(id) = want {
        scattered.parts.keep_only(key_of(id));
    }
    gather(scattered, ctx, !matches!(want, Want::Findings))
}

/// Validates every partition into one [`Ingested`]; without `records` only
/// the rejects and conflicts are kept.
fn gather(scattered: Scattered, ctx: ParseCtx<'_>, records: bool) -> Result<Ingested> {
    let keep = |acc: &mut Ingested, mut part: Ingested| {
        if !records {
            part = Ingested {
                rejects: part.rejects,
                conflicts: part.conflicts,
                ..Ingested::default()
            };
        }
        acc.absorb(part);
    };
    let Reduced {
        files,
        rejects,
        conflicts,
        acc: mut out,
    } = scattered.reduce(
        ctx,
        Ingested::default,
        keep,
        |mut a, b| {
            a.absorb(b);
            a
        },
        || (),
    )?;
    out.files = files;
    out.rejects.extend(rejects);
    out.conflicts.extend(conflicts);
    out.rejects.sort_by_key(|r| (r.file, r.line));
    out.conflicts
        .sort_by(|a, b| (a.origin, a.code, &a.person).cmp(&(b.origin, b.code, &b.person)));
    Ok(out)
}

/// The outcome of one row.
pub enum ParsedRow {
    /// One row may give several records (an agriculture row whose risk was
    /// cleared gives two identities) and doubts worth listing.
    Accepted(Records, Vec<Conflict>),
    Rejected(Box<Reject>),
}

fn parse_row(kind: SourceKind, row: &Row<'_>, ctx: ParseCtx<'_>) -> ParsedRow {
    let result = match kind {
        SourceKind::Civil | SourceKind::Veterans => identity::parse_roster(kind, row, ctx),
        SourceKind::Agri => identity::parse_agri(row, ctx),
        SourceKind::Disability => identity::parse_disability(row, ctx),
        SourceKind::Enrollment => enrollment::parse(row, ctx),
        SourceKind::Persons => {
            register::parse_person(row, ctx).map(|r| (Records::from_buf([r]), vec![]))
        }
        SourceKind::Elsewhere => {
            register::parse_elsewhere(row, ctx).map(|r| (Records::from_buf([r]), vec![]))
        }
    };
    match result {
        Ok((records, conflicts)) => ParsedRow::Accepted(records, conflicts),
        Err(r) => ParsedRow::Rejected(r),
    }
}
