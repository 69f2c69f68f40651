//! R5 — missing enrollment (应参未参 / 促保名单): people with an identity at `T`,
//! alive, and not covered for `Y`; and newborns with no paid resident row.

use crate::domain::County;
use chrono::NaiveDate;

use super::rerating::band_exempt;
use super::tier::{due_at, recognition, subsidised, At};
use super::{PersonFile, RunDates};
use crate::domain::{Category, Fen, PersonId, SourceKind};
use crate::ingest::{Origin, Outreach};
use crate::policy::Policy;

/// One line of `missing_enrollment.csv`.
#[derive(Debug, Clone)]
pub struct MissingItem {
    /// Recognition county (identity) or 常住区划代码 (newborn without identity).
    pub county: County,
    pub person: PersonId,
    pub name: String,
    pub category: Option<Category>,
    pub tier: Option<usize>,
    pub source: SourceKind,
    pub since: Option<NaiveDate>,
    pub due: Fen,
    /// Issue 14: the population and grade `due` is of — the unpaid row's
    /// where the person registered one, else the policy's default.
    pub grade: crate::policy::GradeRef,
    /// The amounts of the population's other grades, in declaration order
    /// (only where the policy has grades).
    pub other_grades: Vec<(crate::policy::GradeRef, Fen)>,
    /// 登记未缴费 (a resident row for `Y` exists, unpaid) or 未登记.
    pub registered: bool,
    pub dynamic_open: bool,
    pub dynamic_basis: String,
    pub newborn: bool,
    pub outreach: Outreach,
    pub origin: Option<Origin>,
}

impl MissingItem {
    pub fn sort_key(&self) -> (&str, &PersonId) {
        (&self.county, &self.person)
    }
}

pub fn judge(policy: &Policy, dates: RunDates, p: &PersonFile<'_>) -> Option<MissingItem> {
    let t = dates.t;
    if !p.alive_at(t) {
        return None;
    }
    let at_t: Vec<_> = p.identities.iter().filter(|i| i.overlaps(t, t)).collect();
    let newborn = p.is_newborn(policy, t);
    // Identity holders not covered; newborns with no paid resident row, even
    // when an active 310 row covers them and whether or not they hold an
    // identity — unless they are insured elsewhere (SPEC R5, §2).
    let has_paid_resident = p.resident_rows(dates.year).any(|r| r.is_paid());
    let listed = (!at_t.is_empty() && !p.covered(dates.year))
        || (newborn && !has_paid_resident && !p.elsewhere_in(dates.year));
    if !listed {
        return None;
    }
    let unpaid_row = p.resident_rows(dates.year).find(|r| !r.is_paid());
    let flag = unpaid_row.and_then(|r| r.dynamic_group.as_deref());
    let exempt = band_exempt(policy, p, t, flag);
    let (dynamic_open, dynamic_basis) = dynamic_open(policy, p, t, newborn, flag);

    // The recognition county: the identity that gives `best`; with only
    // untiered identities, the lowest county among them.
    let shown = recognition(policy, p.identities, t);
    let (county, category, source, since, outreach, origin) = match shown {
        Some(i) => (
            i.county,
            Some(i.category),
            i.source,
            i.known_start(),
            best_outreach(&at_t, i),
            Some(i.origin),
        ),
        // A newborn without an identity is placed by the register, or else by
        // the enrollment ledger (the only other source that can hold them).
        None => (
            p.register
                .map(|r| r.county)
                .or_else(|| p.enrollment.first().map(|r| r.county))?,
            None,
            SourceKind::Persons,
            p.id.birth_date(),
            Outreach::default(),
            p.register.map(|r| r.origin),
        ),
    };
    // Issue 14: priced in the recognition county, at the grade of the row
    // the person registered (their choice and population), else the default
    // grade of the first population whose standard subsidises them.
    let grade = match unpaid_row {
        Some(r) => r.grade,
        None => unregistered_grade(policy, p, t, county),
    };
    let (due, b) = due_at(policy, p.identities, t, exempt, (county, grade));
    let other_grades = if policy.has_grades() {
        policy
            .grades()
            .into_iter()
            .filter(|g| g.population == grade.population && *g != grade)
            .map(|g| (g, due_at(policy, p.identities, t, exempt, (county, g)).0))
            .collect()
    } else {
        Vec::new()
    };
    Some(MissingItem {
        county,
        person: p.id.clone(),
        name: p.name().to_string(),
        category,
        tier: b.tier,
        source,
        since,
        due,
        grade,
        other_grades,
        registered: unpaid_row.is_some(),
        dynamic_open,
        dynamic_basis,
        newborn,
        outreach,
        origin,
    })
}

/// The grade an unregistered person is told: the policy's default, unless
/// their identity is subsidised only in another population's standard (a
/// 家庭经济困难大学生 is a student): then that population's default grade.
fn unregistered_grade(
    policy: &Policy,
    p: &PersonFile<'_>,
    t: NaiveDate,
    county: County,
) -> crate::policy::GradeRef {
    let default = policy.default_grade();
    if !policy.has_grades() {
        return default;
    }
    let subsidises = |g| {
        let at = At {
            county: Some(county),
            grade: g,
        };
        subsidised(policy, p.identities, (t, t), at, county)
    };
    if subsidises(default) {
        return default;
    }
    let mut defaults: Vec<_> = policy
        .grades()
        .into_iter()
        .filter(|g| g.population != default.population)
        .collect();
    defaults.dedup_by_key(|g| g.population);
    defaults
        .into_iter()
        .map(|g| {
            policy
                .grade_of_text(Some(policy.population_name(g)), None)
                .unwrap_or(g)
        })
        .find(|g| subsidises(*g))
        .unwrap_or(default)
}

/// The outreach columns of the shown identity, or of any identity that has them.
fn best_outreach(
    at_t: &[&crate::ingest::HardshipIdentity],
    shown: &crate::ingest::HardshipIdentity,
) -> Outreach {
    shown
        .outreach
        .as_deref()
        .or_else(|| at_t.iter().find_map(|i| i.outreach.as_deref()))
        .cloned()
        .unwrap_or_default()
}

/// Whether the person may still enrol at `t`, and why.
fn dynamic_open(
    policy: &Policy,
    p: &PersonFile<'_>,
    t: NaiveDate,
    newborn: bool,
    flag: Option<&str>,
) -> (bool, String) {
    if t <= policy.c1 {
        return (true, "集中征缴期内".to_string());
    }
    if newborn {
        return (true, format!("新生儿 (出生 {} 天内)", policy.newborn_days));
    }
    if let Some(g) = flag.filter(|g| policy.dynamic.groups.iter().any(|x| x == *g)) {
        return (true, format!("动态参保类别 {g}"));
    }
    let qualifies = |i: &&crate::ingest::HardshipIdentity| {
        i.overlaps(t, t)
            && policy.dynamic.categories.contains(&i.category)
            && policy.tier_in(i.county, i.category).is_some()
            && (!policy.dynamic.recognised_after_concentrated_only || i.start > policy.c1)
    };
    // The identity that prices the person explains it first; any other that qualifies next.
    let open = recognition(policy, p.identities, t)
        .filter(qualifies)
        .or_else(|| p.identities.iter().find(qualifies));
    match open {
        Some(i) if policy.dynamic.recognised_after_concentrated_only => {
            (true, format!("集中征缴期后新认定 ({})", i.start))
        }
        Some(i) => (true, format!("{} 可动态参保", policy.vocab.zh(i.category))),
        // Issue 11: an undated roster's identity may have been recognised
        // after C1 or not; nobody can tell yet.
        None if policy.dynamic.recognised_after_concentrated_only
            && p.identities.iter().any(|i| {
                i.overlaps(t, t)
                    && i.start_unknown()
                    && policy.dynamic.categories.contains(&i.category)
            }) =>
        {
            (
                false,
                "认定日期未知, 不能判断是否属绿色通道 (请向来源部门核实认定日期)".to_string(),
            )
        }
        None if policy.dynamic.recognised_after_concentrated_only => (
            false,
            "身份认定早于集中征缴期结束, 不属绿色通道".to_string(),
        ),
        None => (false, "普通居民, 集中征缴期已结束".to_string()),
    }
}
