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
mod reduce;
pub mod regionless;
pub mod register;
pub mod row;
mod scatter;
pub mod schema;
mod serial;
mod source;
pub mod spill;
pub mod table;
pub mod xlsx;

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::domain::{
    Category, County, EnrollStatus, Fen, PersonId, Scheme, SourceKind, Text, Vocabulary,
};
use crate::error::Result;
use read::TableMeta;
use schema::Schemas;

pub use crate::findings::{Conflict, ConflictCode, FileIdx, Origin, Reject, RejectReason};
pub use reduce::ParsedRow;
pub use scatter::scatter;
use scatter::{route, Route};

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
    pub name: Text,
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
    pub name: Text,
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
    pub rating_text: Text,
    /// 应缴金额 (blank only allowed on 310 rows, read as 0).
    pub due: Fen,
    pub paid: Fen,
    pub pay_date: Option<NaiveDate>,
    pub benefit_start: Option<NaiveDate>,
    pub repair_years: u32,
    pub tax_receipt: Text,
    /// Canonical 动态参保类别 code.
    pub dynamic_group: Option<Text>,
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
    pub name: Text,
    /// 常住区划代码 (6 digits).
    pub county: County,
    pub death: Option<NaiveDate>,
    pub origin: Origin,
}

/// One person insured outside this ledger (异地参保).
#[derive(Debug, Clone)]
pub struct ElsewhereRecord {
    pub person: PersonId,
    pub name: Text,
    pub note: Text,
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
