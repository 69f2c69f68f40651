//! R7 — transfers (参保关系转移): a person recognised in one county but
//! enrolled for `Y` in another. Ningxia's notice: 按身份认定地建立医保关系.

use super::{PersonFile, RunDates};
use crate::domain::County;
use crate::domain::{Category, PersonId};
use crate::ingest::{HardshipIdentity, Origin};

/// One line of `transfers.csv`.
#[derive(Debug, Clone)]
pub struct TransferItem {
    /// Recognition county (the identity's 区划代码).
    pub county: County,
    pub person: PersonId,
    pub name: String,
    pub category: Category,
    pub identity_origin: Origin,
    pub enrolled_county: County,
    /// Issue 14: the enrollment row's population and grade.
    pub grade: crate::policy::GradeRef,
    pub paid: bool,
    pub origin: Origin,
}

impl TransferItem {
    pub fn sort_key(&self) -> (&str, &PersonId, Origin) {
        (&self.county, &self.person, self.origin)
    }
}

/// `placed`: the person's recognition identity at `T` ([`super::tier::recognition`]).
pub fn judge(
    dates: RunDates,
    p: &PersonFile<'_>,
    placed: Option<&HardshipIdentity>,
    out: &mut Vec<TransferItem>,
) {
    let Some(id) = placed else {
        return;
    };
    for row in p
        .resident_rows(dates.year)
        .filter(|r| r.county != id.county)
    {
        out.push(TransferItem {
            county: id.county,
            person: p.id.clone(),
            name: p.name().to_string(),
            category: id.category,
            identity_origin: id.origin,
            enrolled_county: row.county,
            grade: row.grade,
            paid: row.is_paid(),
            origin: row.origin,
        });
    }
}
