//! Who costs what under one policy (预算测算): each person recognised at `T`
//! is placed as rule R1 places them — the identity with the lowest personal
//! amount, ties by the policy's tier order, then the category's place in
//! its tier, then county, start and record (`rules::tier`) — in the county
//! of that identity, with that county's tiers, at the person's grade.
//! Persons are only counted here; money is computed once per group
//! ([`super::costs`]), so no per-person amount is ever summed.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;

use crate::domain::{Category, County, PersonId, Scheme};
use crate::ingest::{EnrollmentRow, HardshipIdentity, Ingested};
use crate::policy::{GradeRef, Policy};

/// Where one person falls under one policy: county × tier × grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Group {
    pub county: County,
    /// The tier's index in tie order; [`ORDINARY`] for none (sorts last).
    pub tier_rank: usize,
    pub grade: GradeRef,
}

/// The tier rank of a person no tier prices (普通居民).
pub const ORDINARY: usize = usize::MAX;

impl Group {
    /// The tier (`None` = ordinary).
    pub fn tier(&self) -> Option<usize> {
        (self.tier_rank != ORDINARY).then_some(self.tier_rank)
    }
}

/// Persons per group under one policy.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    pub groups: BTreeMap<Group, u64>,
}

impl Tally {
    fn merge(&mut self, other: Tally) {
        for (g, n) in other.groups {
            *self.groups.entry(g).or_default() += n;
        }
    }

    /// Persons counted (each person is in exactly one group).
    pub fn persons(&self) -> u64 {
        self.groups.values().sum()
    }
}

/// What the forecast counted: the people under the next policy and, with
/// `--compare`, the same people under this year's.
#[derive(Debug, Default)]
pub struct Counted {
    pub next: Tally,
    pub this: Option<Tally>,
    /// Persons with an identity at `T` left out because the register says
    /// they died on or before `T`.
    pub deceased: u64,
    /// Persons the inputs name who hold no identity at `T` (not counted).
    pub not_recognised: u64,
}

impl Counted {
    pub fn merge(mut self, other: Counted) -> Counted {
        self.next.merge(other.next);
        match (&mut self.this, other.this) {
            (Some(a), Some(b)) => a.merge(b),
            (None, Some(b)) => self.this = Some(b),
            _ => {}
        }
        self.deceased += other.deceased;
        self.not_recognised += other.not_recognised;
        self
    }
}

/// The policies a forecast prices with, and its date.
#[derive(Clone, Copy)]
pub struct Pricing<'p> {
    /// The policy being forecast (its vocabulary read the inputs).
    pub next: &'p Policy,
    /// `--compare`: this year's policy.
    pub this: Option<&'p Policy>,
    pub t: NaiveDate,
}

impl Pricing<'_> {
    /// Counts every person of one slice of the inputs (all records of a
    /// person are in the same slice) into `acc`.
    pub fn count(&self, data: &mut Ingested, acc: &mut Counted) {
        data.identities
            .sort_by(|a, b| (&a.person, a.start, a.origin).cmp(&(&b.person, b.start, b.origin)));
        let grades = self.enrolled_grades(&data.enrollment);
        let dead: HashSet<&PersonId> = data
            .persons
            .iter()
            .filter(|p| p.death.is_some_and(|d| d <= self.t))
            .map(|p| &p.person)
            .collect();
        let mut seen: HashSet<&PersonId> = HashSet::new();
        for person in data.identities.chunk_by(|a, b| a.person == b.person) {
            let id = &person[0].person;
            seen.insert(id);
            let grade = grades
                .get(id)
                .copied()
                .unwrap_or_else(|| self.next.default_grade());
            let Some(next) = place(self.next, person, self.t, grade, Some) else {
                acc.not_recognised += 1;
                continue;
            };
            if dead.contains(id) {
                acc.deceased += 1;
                continue;
            }
            *acc.next.groups.entry(next).or_default() += 1;
            if let Some(this) = self.this {
                let g = carry_grade(self.next, this, grade);
                let map = |c: Category| this.vocab.category(self.next.vocab.code(c));
                // The same person, recognised today, is counted under this
                // year's policy too (ordinary when it prices no identity).
                let placed = place(this, person, self.t, g, map);
                let tally = acc.this.get_or_insert_with(Tally::default);
                if let Some(p) = placed {
                    *tally.groups.entry(p).or_default() += 1;
                }
            }
        }
        acc.not_recognised += data
            .enrollment
            .iter()
            .map(|r| &r.person)
            .chain(data.persons.iter().map(|p| &p.person))
            .filter(|p| !seen.contains(p))
            .collect::<HashSet<_>>()
            .len() as u64;
    }

    /// Each enrolled person's grade: that of their latest resident row up
    /// to the forecast year (a row already made for next year first).
    fn enrolled_grades<'a>(&self, rows: &'a [EnrollmentRow]) -> HashMap<&'a PersonId, GradeRef> {
        let mut latest: HashMap<&PersonId, &EnrollmentRow> = HashMap::new();
        for r in rows
            .iter()
            .filter(|r| r.scheme == Scheme::Resident && r.year <= self.next.year)
        {
            let e = latest.entry(&r.person).or_insert(r);
            if (r.year, std::cmp::Reverse(r.origin)) > (e.year, std::cmp::Reverse(e.origin)) {
                *e = r;
            }
        }
        latest.into_iter().map(|(p, r)| (p, r.grade)).collect()
    }
}

/// The grade a person holds under `next`, named as `this` names it (by
/// population and grade name; `this`'s default grade when it has no such).
fn carry_grade(next: &Policy, this: &Policy, g: GradeRef) -> GradeRef {
    this.grade_of_text(Some(next.population_name(g)), Some(next.grade_name(g)))
        .unwrap_or_else(|| this.default_grade())
}

/// R1 at `t` under `policy`: the group of the identity that prices the
/// person, or `None` when no identity holds at `t`. `map` gives an
/// identity's category in `policy`'s vocabulary (`None`: a category it does
/// not know, which counts as ordinary).
pub fn place(
    policy: &Policy,
    identities: &[HardshipIdentity],
    t: NaiveDate,
    grade: GradeRef,
    map: impl Fn(Category) -> Option<Category>,
) -> Option<Group> {
    identities
        .iter()
        .filter(|i| i.overlaps(t, t))
        .map(|i| {
            let category = map(i.category);
            // R1's pricing of one identity: a tier that does not subsidise
            // this grade in this county counts as ordinary.
            let (tier, price) = match category {
                Some(c) => crate::rules::tier::priced(policy, i.county, grade, c),
                None => (None, policy.price(i.county, grade, None)),
            };
            let personal = price.personal;
            let pos = match (tier, category) {
                (Some(t), Some(c)) => policy.tiers[t]
                    .categories
                    .iter()
                    .position(|x| *x == c)
                    .unwrap_or(0),
                _ => 0,
            };
            let group = Group {
                county: i.county,
                tier_rank: tier.unwrap_or(ORDINARY),
                grade,
            };
            (
                (personal, group.tier_rank, pos, i.county, i.start, i.origin),
                group,
            )
        })
        .min_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, g)| g)
}
