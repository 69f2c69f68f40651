//! R8 — coverage (参保率) of each policy group, per county and in total,
//! against the group's target, with the persons still needed to reach it.

use crate::domain::County;
use foldhash::fast::FixedState;
use std::collections::HashMap;

use super::{PersonFile, RunDates};
use crate::ingest::HardshipIdentity;
use crate::policy::{CoverageKind, Policy};

/// One person counted in one group's base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageMark {
    pub group: usize,
    pub county: County,
    pub covered: bool,
}

/// Which groups a person is in at `T`, where, and whether covered.
/// `placed`: the person's recognition identity at `T` ([`super::tier::recognition`]).
pub fn judge(
    policy: &Policy,
    dates: RunDates,
    p: &PersonFile<'_>,
    placed: Option<&HardshipIdentity>,
    out: &mut Vec<CoverageMark>,
) {
    let t = dates.t;
    if !p.alive_at(t) {
        return;
    }
    for (g, group) in policy.coverage_groups.iter().enumerate() {
        match group.kind {
            CoverageKind::Categories => {
                let in_group = p
                    .identities
                    .iter()
                    .any(|i| i.overlaps(t, t) && group.categories.contains(&i.category));
                if !in_group {
                    continue;
                }
                if let Some(id) = placed {
                    out.push(CoverageMark {
                        group: g,
                        county: id.county,
                        covered: p.covered(dates.year),
                    });
                }
            }
            CoverageKind::Newborn => {
                if let (Some(r), true) = (p.register, p.is_newborn(policy, t)) {
                    out.push(CoverageMark {
                        group: g,
                        county: r.county,
                        // A paid 390 row, or insured elsewhere (SPEC §2, R5).
                        covered: p.resident_rows(dates.year).any(|row| row.is_paid())
                            || p.elsewhere_in(dates.year),
                    });
                }
            }
            CoverageKind::Overall => {
                if let Some(r) = p.register {
                    out.push(CoverageMark {
                        group: g,
                        county: r.county,
                        covered: p.covered(dates.year),
                    });
                }
            }
        }
    }
}

/// One line of `coverage.csv`: a group in a county, or its total (`county` = None).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageRow {
    pub group: usize,
    pub county: Option<County>,
    pub base: u64,
    pub covered: u64,
    pub target_percent: u32,
}

impl CoverageRow {
    /// Coverage in hundredths of a percent, rounded half up (`None` for an empty base).
    pub fn rate_centi_percent(&self) -> Option<u64> {
        (self.base > 0).then(|| (self.covered * 1_000_000 / self.base + 50) / 100)
    }

    /// `max(0, ⌈target × base⌉ − covered)`, in whole persons.
    pub fn needed(&self) -> u64 {
        let want = (u64::from(self.target_percent) * self.base).div_ceil(100);
        want.saturating_sub(self.covered)
    }

    pub fn meets_target(&self) -> bool {
        self.needed() == 0
    }
}

/// Persons counted per group × county: (base, covered).
///
/// Issue 15: a hash table (foldhash, fixed seed; its keys are the policy's
/// groups and the records' counties), not a `BTreeMap`: a mark is counted
/// per person, and a tree search over the counties cost more than the
/// rule that made the mark. [`aggregate`] reads the counts in key order.
pub type Counts = HashMap<(usize, County), (u64, u64), FixedState>;

/// Counts marks (issue 15: as they are made, so the run keeps a few counts
/// per county rather than a mark per person).
pub fn count(per: &mut Counts, marks: impl IntoIterator<Item = CoverageMark>) {
    for m in marks {
        let e = per.entry((m.group, m.county)).or_default();
        e.0 += 1;
        e.1 += u64::from(m.covered);
    }
}

/// Adds the counts of `other` to `per`.
pub fn add_counts(per: &mut Counts, other: Counts) {
    for (k, (b, c)) in other {
        let e = per.entry(k).or_default();
        e.0 += b;
        e.1 += c;
    }
}

/// The counted marks per group × county, then a total per group; groups whose
/// kind needs the resident register are skipped when the run has none.
pub fn aggregate(policy: &Policy, per: &Counts, have_register: bool) -> Vec<CoverageRow> {
    let mut rows = Vec::new();
    let mut per: Vec<_> = per.iter().collect();
    per.sort_unstable_by_key(|(k, _)| **k);
    for (g, group) in policy.coverage_groups.iter().enumerate() {
        if group.kind != CoverageKind::Categories && !have_register {
            continue;
        }
        let (mut base, mut covered) = (0, 0);
        for ((_, county), (b, c)) in per.iter().filter(|((group, _), _)| *group == g) {
            base += b;
            covered += c;
            rows.push(CoverageRow {
                group: g,
                county: Some(*county),
                base: *b,
                covered: *c,
                target_percent: group.target_percent,
            });
        }
        rows.push(CoverageRow {
            group: g,
            county: None,
            base,
            covered,
            target_percent: group.target_percent,
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::CoverageRow;

    fn row(base: u64, covered: u64, target: u32) -> CoverageRow {
        CoverageRow {
            group: 0,
            county: None,
            base,
            covered,
            target_percent: target,
        }
    }

    #[test]
    fn needed_rounds_the_target_up() {
        assert_eq!(row(10, 9, 95).needed(), 1); // ⌈9.5⌉ = 10
        assert_eq!(row(100, 99, 99).needed(), 0);
        assert_eq!(row(101, 99, 99).needed(), 1); // ⌈99.99⌉ = 100
        assert_eq!(row(0, 0, 99).needed(), 0);
        assert_eq!(row(5, 5, 80).needed(), 0);
    }

    #[test]
    fn rate_is_rounded_half_up() {
        assert_eq!(row(3, 2, 95).rate_centi_percent(), Some(6667));
        assert_eq!(row(8, 1, 95).rate_centi_percent(), Some(1250));
        assert_eq!(row(0, 0, 95).rate_centi_percent(), None);
    }
}
