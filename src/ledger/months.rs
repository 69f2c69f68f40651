//! The months as the ledger remembers them (逐月走势, issue 16): for every
//! recorded run of a series up to this run's as-of date, the size of each list
//! and each coverage group's base and covered persons, read back from the
//! runs' manifests; and this run's new / carried / resolved / paid counts.
//! The dashboard draws its month charts from this and nothing else.
//!
//! Only runs up to this run's as-of date are read, so replaying an old month
//! gives the same page it gave then. A run recorded before manifests held
//! coverage (`coverage` key missing) has list sizes and no coverage point.

use chrono::NaiveDate;
use rusqlite::params;
use serde_json::Value;

use super::{sql_err, ChangeKind, Ledger, Lifecycle, ListKind, Marks};
use crate::domain::{fmt_date, parse_date};
use crate::error::Result;
use crate::policy::Policy;
use crate::rules::Outcome;

/// The lists charted month by month, as the manifest's `counts` names them.
/// `conflicts` is left out: the manifest counts the rule conflicts only, not
/// the ledger's own (`PAID_REFUND_NOT_DUE`), so it would not match `conflicts.csv`.
pub const CHARTED_LISTS: [&str; 6] = [
    "refunds",
    "rerating",
    "missing_enrollment",
    "transfers",
    "late_payment",
    "rejects",
];

/// One coverage group's totals (all counties) in one month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupPoint {
    /// The policy's coverage group id.
    pub group: String,
    pub base: u64,
    pub covered: u64,
    pub target_percent: u32,
}

/// One recorded month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthPoint {
    pub as_of: NaiveDate,
    /// Rows per list, aligned with [`CHARTED_LISTS`] (`None`: not recorded).
    pub lists: [Option<u64>; 6],
    pub coverage: Vec<GroupPoint>,
}

impl MonthPoint {
    /// This month's totals of coverage group `id`, when recorded.
    pub fn group(&self, id: &str) -> Option<&GroupPoint> {
        self.coverage.iter().find(|g| g.group == id)
    }
}

/// One followed list's lifecycle counts in this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListTally {
    pub list: ListKind,
    pub new: usize,
    pub carried: usize,
    pub resolved: usize,
    pub paid: usize,
}

/// What the dashboard's month section shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Months {
    /// `--no-ledger`: nothing was read, the page says so.
    pub trial: bool,
    /// The recorded runs of the series up to this one, oldest first.
    pub points: Vec<MonthPoint>,
    /// The run this one is compared with.
    pub previous: Option<NaiveDate>,
    /// This run's lifecycle counts per followed list.
    pub current: Vec<ListTally>,
}

/// The coverage totals a run's manifest records (`coverage`), one object
/// per policy group that had a total row.
pub fn coverage_json(policy: &Policy, outcome: &Outcome) -> Value {
    outcome
        .coverage
        .iter()
        .filter(|r| r.county.is_none())
        .filter_map(|r| {
            let g = policy.coverage_groups.get(r.group)?;
            Some(serde_json::json!({
                "group": g.id,
                "base": r.base,
                "covered": r.covered,
                "target_percent": r.target_percent,
            }))
        })
        .collect()
}

/// This run's lifecycle counts, as `summary.json`'s `ledger.lifecycle`.
pub fn tallies(marks: &Marks) -> Vec<ListTally> {
    ListKind::ALL
        .into_iter()
        .map(|list| {
            let n = |l: Lifecycle| marks.of(list).iter().filter(|x| x.lifecycle == l).count();
            ListTally {
                list,
                new: n(Lifecycle::New),
                carried: n(Lifecycle::Carried),
                paid: n(Lifecycle::Paid),
                resolved: marks
                    .changes
                    .iter()
                    .filter(|c| c.list == list && c.kind == ChangeKind::Resolved)
                    .count(),
            }
        })
        .collect()
}

/// The months of `series` up to `as_of` (this run included: it is recorded
/// inside the transaction before this is read).
pub fn load(ledger: &Ledger, series: &str, as_of: NaiveDate, marks: &Marks) -> Result<Months> {
    let display = ledger.display();
    let err = |e| sql_err(&display, e);
    let mut st = ledger
        .conn()
        .prepare(
            "SELECT as_of, manifest FROM runs WHERE series = ?1 AND as_of <= ?2 ORDER BY as_of",
        )
        .map_err(err)?;
    let rows = st
        .query_map(params![series, fmt_date(as_of)], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })
        .map_err(err)?;
    let mut points = Vec::new();
    for row in rows {
        let (date, manifest) = row.map_err(err)?;
        let Some(date) = parse_date(&date) else {
            continue;
        };
        let manifest: Value = serde_json::from_str(&manifest).unwrap_or_default();
        points.push(point(date, &manifest));
    }
    Ok(Months {
        trial: ledger.is_trial(),
        points,
        previous: marks.previous,
        current: tallies(marks),
    })
}

/// One month from its manifest.
fn point(as_of: NaiveDate, manifest: &Value) -> MonthPoint {
    let counts = &manifest["counts"];
    let lists = CHARTED_LISTS.map(|l| counts[l].as_u64());
    let coverage = manifest["coverage"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|g| {
            Some(GroupPoint {
                group: g["group"].as_str()?.to_string(),
                base: g["base"].as_u64()?,
                covered: g["covered"].as_u64()?,
                target_percent: u32::try_from(g["target_percent"].as_u64()?).ok()?,
            })
        })
        .collect();
    MonthPoint {
        as_of,
        lists,
        coverage,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_without_coverage_gives_list_sizes_only() {
        let m =
            serde_json::json!({"counts": {"refunds": 5, "rerating": 2, "missing_enrollment": 3}});
        let p = point(NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(), &m);
        assert_eq!(p.lists, [Some(5), Some(2), Some(3), None, None, None]);
        assert!(p.coverage.is_empty());
    }

    #[test]
    fn a_manifest_with_coverage_gives_each_group() {
        let m = serde_json::json!({"counts": {}, "coverage": [
            {"group": "newborn", "base": 7, "covered": 4, "target_percent": 80},
            {"group": "broken"}
        ]});
        let p = point(NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(), &m);
        assert_eq!(
            p.group("newborn"),
            Some(&GroupPoint {
                group: "newborn".into(),
                base: 7,
                covered: 4,
                target_percent: 80
            })
        );
        assert_eq!(p.coverage.len(), 1);
    }
}
