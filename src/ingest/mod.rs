//! Ingest: from department exports to validated, typed records.
//!
//! Every data row ends in exactly one of three places: a typed record, a
//! [`Reject`] with its reason, or merged into an identical earlier row.
//! One module per source family; they share the row helpers in [`row`].

pub mod enrollment;
pub mod identity;
pub mod read;
pub mod register;
pub mod row;
pub mod schema;
pub mod xlsx;

use std::path::PathBuf;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::domain::{
    Category, County, EnrollStatus, Fen, PersonId, Scheme, SourceKind, Vocabulary,
};
use crate::error::Result;
use read::{read_meta, stream_rows, TableMeta};
use row::Row;
use schema::Schemas;

/// Index of an input file in the run's list of inputs.
pub type FileIdx = u16;

/// Why a row was rejected (SPEC §2 reason codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RejectReason {
    IdLength,
    IdChecksum,
    IdBirthdate,
    IdRegion,
    MissingField,
    BadDate,
    BadAmount,
    UnknownCategory,
    DateOrder,
    DisabilityCertMismatch,
    OutOfRegion,
}

impl RejectReason {
    pub fn code(self) -> &'static str {
        match self {
            RejectReason::IdLength => "ID_LENGTH",
            RejectReason::IdChecksum => "ID_CHECKSUM",
            RejectReason::IdBirthdate => "ID_BIRTHDATE",
            RejectReason::IdRegion => "ID_REGION",
            RejectReason::MissingField => "MISSING_FIELD",
            RejectReason::BadDate => "BAD_DATE",
            RejectReason::BadAmount => "BAD_AMOUNT",
            RejectReason::UnknownCategory => "UNKNOWN_CATEGORY",
            RejectReason::DateOrder => "DATE_ORDER",
            RejectReason::DisabilityCertMismatch => "DISABILITY_CERT_MISMATCH",
            RejectReason::OutOfRegion => "OUT_OF_REGION",
        }
    }
}

/// A row that failed a check (进入拒收清单 `rejects.csv`): enough for a clerk to
/// find the person and fix the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    pub file: FileIdx,
    pub line: u64,
    /// The header of the offending column as written in the file.
    pub column: String,
    pub raw: String,
    /// 姓名 and 身份证号 as written in the row.
    pub name: String,
    pub id_raw: String,
    pub reason: RejectReason,
    pub message: crate::i18n::Msg,
}

/// Where a record came from, for every report that must answer "why".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    pub file: FileIdx,
    /// Line in the file (u32: four billion lines; kept small because every
    /// record of a province carries one).
    pub line: u32,
}

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
    Person(PersonRecord),
    Elsewhere(ElsewhereRecord),
}

/// What the parsers need to know beyond the row.
#[derive(Debug, Clone, Copy)]
pub struct ParseCtx<'a> {
    pub vocab: &'a Vocabulary,
    pub as_of: NaiveDate,
    /// Region prefix of the policy (`64`, `1507`); `None` checks no region.
    pub region_prefix: Option<&'a str>,
    /// The policy year: enrollment rows before it are kept as history only.
    pub policy_year: Option<i32>,
}

/// Read counts of one input (read = accepted + rejected + merged duplicates).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputCounts {
    pub read: u64,
    pub accepted: u64,
    pub rejected: u64,
    pub merged_duplicates: u64,
    pub blank_rows: u64,
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
    pub ignored_columns: Vec<String>,
    pub counts: InputCounts,
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
    pub conflicts: Vec<crate::rules::Conflict>,
}

/// An input named on the command line.
#[derive(Debug, Clone)]
pub struct InputSpec {
    pub kind: SourceKind,
    pub path: PathBuf,
    pub display: String,
}

/// Reads and validates every input. All headers are checked before any row is
/// parsed, so a missing column fails the run before any work or output. Each
/// file is streamed in chunks; a chunk's rows are validated in parallel.
pub fn ingest_all(
    inputs: &[InputSpec],
    schemas: &Schemas,
    ctx: ParseCtx<'_>,
    progress: &crate::progress::Progress,
) -> Result<Ingested> {
    let metas: Vec<TableMeta> = inputs
        .par_iter()
        .map(|i| read_meta(&i.path, &i.display, schemas.source(i.kind)))
        .collect::<Result<_>>()?;
    let mut out = Ingested::default();
    for (idx, (spec, meta)) in inputs.iter().zip(metas).enumerate() {
        let file = FileIdx::try_from(idx).map_err(|_| {
            crate::error::Error::Usage("too many input files (at most 65535)".into())
        })?;
        let bar = progress.counter(&format!("读取校验 {}", spec.display));
        let mut counts = InputCounts::default();
        // The reader (decode, CSV, duplicate hashing) runs on its own thread
        // while the previous chunk is validated in parallel: on two cores the
        // two halves overlap instead of taking turns.
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<read::RawRow>>(2);
        let stats = std::thread::scope(|scope| {
            let reader = scope.spawn(|| {
                stream_rows(&spec.path, &spec.display, move |chunk| {
                    tx.send(chunk).map_err(|_| {
                        crate::error::Error::Internal("the validator stopped early".into())
                    })
                })
            });
            for chunk in rx {
                let parsed: Vec<ParsedRow> = chunk
                    .par_iter()
                    .map(|raw| parse_row(spec.kind, &Row::new(&meta, raw, file), ctx))
                    .collect();
                bar.inc(chunk.len() as u64);
                for p in parsed {
                    match p {
                        ParsedRow::Accepted(records, conflicts) => {
                            counts.accepted += 1;
                            out.conflicts.extend(conflicts);
                            for r in records {
                                match r {
                                    Record::Identity(x) => out.identities.push(x),
                                    Record::Enrollment(x)
                                        if ctx.policy_year.is_some_and(|y| x.year < y) =>
                                    {
                                        out.history.push(HistoryRow {
                                            person: x.person,
                                            year: x.year,
                                            covered: match x.scheme {
                                                Scheme::Resident => x.paid >= x.due,
                                                Scheme::Employee => true,
                                            },
                                            origin: x.origin,
                                        })
                                    }
                                    Record::Enrollment(x) => out.enrollment.push(x),
                                    Record::Person(x) => out.persons.push(x),
                                    Record::Elsewhere(x) => out.elsewhere.push(x),
                                }
                            }
                        }
                        ParsedRow::Rejected(r) => {
                            counts.rejected += 1;
                            out.rejects.push(*r);
                        }
                    }
                }
            }
            reader
                .join()
                .map_err(|_| crate::error::Error::Internal("the reader thread panicked".into()))?
        })?;
        bar.finish_and_clear();
        counts.read = stats.rows_read;
        counts.merged_duplicates = stats.merged_duplicates;
        counts.blank_rows = stats.blank_rows;
        out.files.push(InputFile {
            kind: spec.kind,
            display: spec.display.clone(),
            path: spec.path.clone(),
            sha256: stats.sha256,
            encoding: meta.encoding,
            ignored_columns: meta.ignored_columns.clone(),
            counts,
        });
    }
    Ok(out)
}

/// The outcome of one row.
pub enum ParsedRow {
    /// One row may give several records (an agriculture row whose risk was
    /// cleared gives two identities) and doubts worth listing.
    Accepted(Vec<Record>, Vec<crate::rules::Conflict>),
    Rejected(Box<Reject>),
}

fn parse_row(kind: SourceKind, row: &Row<'_>, ctx: ParseCtx<'_>) -> ParsedRow {
    let result = match kind {
        SourceKind::Civil | SourceKind::Veterans => identity::parse_roster(kind, row, ctx),
        SourceKind::Agri => identity::parse_agri(row, ctx),
        SourceKind::Disability => identity::parse_disability(row, ctx),
        SourceKind::Enrollment => enrollment::parse(row, ctx),
        SourceKind::Persons => register::parse_person(row, ctx).map(|r| (vec![r], vec![])),
        SourceKind::Elsewhere => register::parse_elsewhere(row, ctx).map(|r| (vec![r], vec![])),
    };
    match result {
        Ok((records, conflicts)) => ParsedRow::Accepted(records, conflicts),
        Err(r) => ParsedRow::Rejected(r),
    }
}
