//! Rosters with no region column (issue 11, SPEC §2 "Region as a name"): an
//! identity is placed in the county of the person's enrollment row for `Y`
//! (参保区划代码; a resident row before an employee row, then the lowest
//! code), else the resident register's 常住区划代码. A person found in
//! neither cannot be placed and the row is rejected (MISSING_FIELD), naming
//! the missing column — never placed by the ID's own six digits (SPEC §2:
//! an ID keeps the county of its first issue).
//!
//! Every record of a person lands in the same partition slice, so this runs
//! on a slice's parsed rows before they are counted.

use std::collections::HashMap;

use super::read::{RawRow, TableMeta};
use super::row::Row;
use super::schema::Col;
use super::{InputCounts, ParseCtx, ParsedRow, Record, RejectReason};
use crate::domain::{County, PersonId, Scheme, SourceKind};
use crate::i18n::Msg;

/// The note a file without a region column gets in `summary.json`.
pub const NO_REGION_NOTE: &str = "无区划列：区县取自本人当年参保记录的参保区划代码，否则取人员库常住区划代码 — no region column: the county comes from the person's enrollment row for the policy year, else the register's 常住区划代码";

/// The note an undated roster gets in `summary.json`.
pub const UNDATED_NOTE: &str = "无认定日期列：按名单快照处理，身份在对账日有效，开始日期由账本推定（无记录则为“认定日期未知”） — no start-date column: read as a snapshot valid at the as-of date; its start comes from the ledger (else 认定日期未知)";

/// Whether a file of `kind` is a roster without a region column.
pub fn lacks_region(kind: SourceKind, meta: &TableMeta) -> bool {
    is_roster(kind) && meta.col(Col::RegionCode).is_none()
}

/// Whether a file of `kind` is a roster without a start-date column.
pub fn lacks_start(kind: SourceKind, meta: &TableMeta) -> bool {
    is_roster(kind) && meta.col(Col::StartDate).is_none()
}

fn is_roster(kind: SourceKind) -> bool {
    matches!(
        kind,
        SourceKind::Civil | SourceKind::Agri | SourceKind::Disability | SourceKind::Veterans
    )
}

/// Places the identities of rosters without a region column; rows that
/// cannot be placed become rejects. `rows` and `parsed` are aligned.
pub fn place(
    rows: &[RawRow<'_>],
    parsed: &mut [ParsedRow],
    kinds: &[SourceKind],
    metas: &[TableMeta],
    ctx: ParseCtx<'_>,
    counts: &mut [InputCounts],
) {
    let Some(year) = ctx.policy_year else { return };
    let unplaced: Vec<bool> = kinds
        .iter()
        .zip(metas)
        .map(|(k, m)| lacks_region(*k, m))
        .collect();
    if !unplaced.iter().any(|u| *u) {
        return;
    }
    let (enrolled, registered) = known_counties(parsed, year);
    for (raw, p) in rows.iter().zip(parsed.iter_mut()) {
        let f = usize::from(raw.file);
        if !unplaced[f] {
            continue;
        }
        let ParsedRow::Accepted(records, _) = p else {
            continue;
        };
        let Some(person) = records.iter().find_map(|r| match r {
            Record::Identity(i) => Some(i.person.clone()),
            _ => None,
        }) else {
            continue;
        };
        let county = match (enrolled.get(&person), registered.get(&person)) {
            (Some((_, c)), _) => {
                counts[f].placed_by_enrollment += 1;
                *c
            }
            (None, Some(c)) => {
                counts[f].placed_by_register += 1;
                *c
            }
            (None, None) => {
                *p = ParsedRow::Rejected(Row::new(&metas[f], *raw).reject(
                    Col::RegionCode,
                    RejectReason::MissingField,
                    Msg::new(
                        "名单无行政区划列，且参保缴费台账（当年）与人员库中均无此人，无法确定所属区县；请在名单中补上区划代码或区县名称",
                        "the roster has no region column and neither the enrollment ledger (policy year) nor the resident register holds this person, so the county is unknown; add a region code or county name column to the roster",
                    ),
                ));
                continue;
            }
        };
        for r in records.iter_mut() {
            if let Record::Identity(i) = r {
                i.county = county;
            }
        }
    }
}

type Counties = HashMap<PersonId, County>;

/// Each person's enrollment county for `year` (a resident row first, then
/// the lowest code) and register county.
fn known_counties(
    parsed: &[ParsedRow],
    year: i32,
) -> (HashMap<PersonId, (bool, County)>, Counties) {
    let mut enrolled: HashMap<PersonId, (bool, County)> = HashMap::new();
    let mut registered: Counties = HashMap::new();
    for p in parsed {
        let ParsedRow::Accepted(records, _) = p else {
            continue;
        };
        for r in records {
            match r {
                Record::Enrollment(e) if e.year == year => {
                    let rank = (e.scheme != Scheme::Resident, e.county);
                    enrolled
                        .entry(e.person.clone())
                        .and_modify(|x| *x = (*x).min(rank))
                        .or_insert(rank);
                }
                Record::Person(pr) => {
                    registered
                        .entry(pr.person.clone())
                        .and_modify(|c| *c = (*c).min(pr.county))
                        .or_insert(pr.county);
                }
                _ => {}
            }
        }
    }
    (enrolled, registered)
}
