//! Findings: what reading and judging say about a row besides the records
//! themselves — a [`Reject`] (拒收, the row is set aside with its reason) or a
//! [`Conflict`] (待核实, the row is kept and a person should look), each with
//! the [`Origin`] that locates it. Both ingest and the rules build findings, so
//! they live here, below both, and neither module depends on the other for them.

use crate::domain::PersonId;
use crate::i18n::Msg;

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
    /// 引号未闭合: a quote opened on the row's line and did not close where a
    /// real field would have (issue 10); reading resumed on the next line.
    BrokenQuote,
    /// 身份证号位数被 Excel 丢失: scientific notation (`6.40104E+17`) or a
    /// number cell with more than 15 significant digits.
    IdDigitsLost,
    /// 列数超出支持范围: more fields than any spreadsheet has columns.
    RowTooWide,
    /// 缴费档次或人员类别无法识别 (issue 14): a grade or population text the
    /// policy does not declare — the row's price is unknown, so it is not
    /// read as the default grade.
    UnknownGrade,
}

impl RejectReason {
    /// Every reason, in code order (for the tables that must name each one).
    pub const ALL: [RejectReason; 15] = [
        RejectReason::IdLength,
        RejectReason::IdChecksum,
        RejectReason::IdBirthdate,
        RejectReason::IdRegion,
        RejectReason::MissingField,
        RejectReason::BadDate,
        RejectReason::BadAmount,
        RejectReason::UnknownCategory,
        RejectReason::DateOrder,
        RejectReason::DisabilityCertMismatch,
        RejectReason::OutOfRegion,
        RejectReason::BrokenQuote,
        RejectReason::IdDigitsLost,
        RejectReason::RowTooWide,
        RejectReason::UnknownGrade,
    ];

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
            RejectReason::BrokenQuote => "BROKEN_QUOTE",
            RejectReason::IdDigitsLost => "ID_DIGITS_LOST",
            RejectReason::RowTooWide => "ROW_TOO_WIDE",
            RejectReason::UnknownGrade => "UNKNOWN_GRADE",
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
    pub message: Msg,
}

/// Where a record came from, for every report that must answer "why".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    pub file: FileIdx,
    /// Line in the file (u32: four billion lines; kept small because every
    /// record of a province carries one).
    pub line: u32,
}

/// A doubt worth a person's look (`conflicts.csv`); the row is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub origin: Origin,
    pub person: PersonId,
    pub name: String,
    pub code: ConflictCode,
    pub message: Msg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ConflictCode {
    /// 姓名不一致: the same ID with different names across sources.
    NameMismatch,
    /// 核定类别无法识别: read as 普通居民.
    UnknownRating,
    /// 核定类别无身份支持: a paid row priced below ordinary with no identity.
    UnsupportedRating,
    /// 动态参保类别无法识别.
    UnknownDynamicGroup,
}

impl ConflictCode {
    pub fn code(self) -> &'static str {
        match self {
            ConflictCode::NameMismatch => "NAME_MISMATCH",
            ConflictCode::UnknownRating => "UNKNOWN_RATING",
            ConflictCode::UnsupportedRating => "UNSUPPORTED_RATING",
            ConflictCode::UnknownDynamicGroup => "UNKNOWN_DYNAMIC_GROUP",
        }
    }
}

impl Conflict {
    pub fn at(
        origin: Origin,
        person: PersonId,
        name: &str,
        code: ConflictCode,
        message: Msg,
    ) -> Conflict {
        Conflict {
            origin,
            person,
            name: name.to_string(),
            code,
            message,
        }
    }
}
