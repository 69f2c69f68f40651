//! Rules R1–R9 (SPEC §4): the join of identities against the ledger, and one
//! module per rule family. Each person is judged independently, so the join
//! groups every record by person and judges the groups in parallel (rayon);
//! results are sorted afterwards, so the thread count never changes a byte.

pub mod coverage;
pub mod late;
pub mod missing;
mod order;
pub mod refund;
pub mod rerating;
pub mod subsidy;
pub mod tier;
pub mod transfer;

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;

use crate::domain::{EnrollStatus, PersonId, Scheme};
pub use crate::findings::{Conflict, ConflictCode};
use crate::i18n::Msg;
use crate::ingest::{
    ElsewhereRecord, EnrollmentRow, HardshipIdentity, HistoryRow, Ingested, Origin, PersonRecord,
};
use crate::policy::Policy;
pub use coverage::{CoverageMark, CoverageRow};
pub use late::LateItem;
pub use missing::MissingItem;
pub use refund::{RefundItem, RefundReason, RefundStatus};
pub use rerating::ReratingItem;
pub use subsidy::SubsidyItem;
pub use transfer::TransferItem;

/// The run's time frame.
#[derive(Debug, Clone, Copy)]
pub struct RunDates {
    /// As-of date `T`.
    pub t: NaiveDate,
    /// Policy year `Y`.
    pub year: i32,
}

/// Everything known about one person (一人一档的一档).
#[derive(Clone, Copy)]
pub struct PersonFile<'a> {
    pub id: &'a PersonId,
    pub identities: &'a [HardshipIdentity],
    /// Rows for `Y` (later years are dropped before the rules run).
    pub enrollment: &'a [EnrollmentRow],
    /// Coverage of the years before `Y`.
    pub history: &'a [HistoryRow],
    pub register: Option<&'a PersonRecord>,
    pub elsewhere: &'a [ElsewhereRecord],
    /// Whether the run had a resident register at all.
    pub have_register: bool,
}

impl PersonFile<'_> {
    /// Resident (390) rows for year `y`.
    pub fn resident_rows(&self, y: i32) -> impl Iterator<Item = &EnrollmentRow> {
        self.enrollment
            .iter()
            .filter(move |r| r.year == y && r.scheme == Scheme::Resident)
    }

    /// Covered in `Y`: a paid 390 row, an active 310 row, or listed elsewhere.
    pub fn covered(&self, y: i32) -> bool {
        self.enrollment.iter().any(|r| {
            r.year == y
                && match r.scheme {
                    Scheme::Resident => r.is_paid(),
                    Scheme::Employee => r.status == EnrollStatus::Active,
                }
        }) || self.elsewhere_in(y)
    }

    /// Listed in `elsewhere` (异地参保) for `y` (an entry without 年度 counts
    /// for every year).
    pub fn elsewhere_in(&self, y: i32) -> bool {
        self.elsewhere
            .iter()
            .any(|e| e.year.is_none_or(|ey| ey == y))
    }

    /// Alive at `t` as far as the register knows (no register: assumed alive).
    pub fn alive_at(&self, t: NaiveDate) -> bool {
        self.register.and_then(|p| p.death).is_none_or(|d| d > t)
    }

    /// A newborn at `t`: born `b` with 0 ≤ t − b ≤ the policy's window.
    pub fn is_newborn(&self, policy: &Policy, t: NaiveDate) -> bool {
        newborn_at(self.id, policy, t)
    }

    /// The best name for reports: the enrollment file's name wins, then the
    /// register's, then the first identity's.
    pub fn name(&self) -> &str {
        self.enrollment
            .first()
            .map(|r| r.name.as_str())
            .or(self.register.map(|p| p.name.as_str()))
            .or(self.identities.first().map(|i| i.name.as_str()))
            .or(self.elsewhere.first().map(|e| e.name.as_str()))
            .unwrap_or("")
    }
}

/// A newborn at `d`: born `b` with 0 ≤ d − b ≤ the policy's window.
pub fn newborn_at(id: &PersonId, policy: &Policy, d: NaiveDate) -> bool {
    born_within(id, policy.newborn_days, d)
}

/// Born `b` with 0 ≤ d − b ≤ `days`.
fn born_within(id: &PersonId, days: u32, d: NaiveDate) -> bool {
    let window = i64::from(days);
    // Issue 15: most persons were born before the window's first year
    // (`window` days reach back at most `window / 365 + 1` years), which
    // their ID's year says without building the date.
    let before = |y: i32| i64::from(y) < i64::from(d.year()) - window / 365 - 1;
    if id.birth_year().is_none_or(before) {
        return false;
    }
    id.birth_date()
        .is_some_and(|b| (0..=window).contains(&(d - b).num_days()))
}

/// What the rules produced for the run.
#[derive(Debug, Default)]
pub struct Outcome {
    pub refunds: Vec<RefundItem>,
    pub rerating: Vec<ReratingItem>,
    pub missing: Vec<MissingItem>,
    pub late: Vec<LateItem>,
    pub transfers: Vec<TransferItem>,
    pub coverage: Vec<CoverageRow>,
    pub subsidy: Vec<SubsidyItem>,
    /// Persons counted for the fiscal subsidy, per county.
    pub fiscal_persons: std::collections::BTreeMap<crate::domain::County, u64>,
    pub conflicts: Vec<Conflict>,
    /// Whether the run had a resident register (一人一档人员库).
    pub have_register: bool,
    /// Enrollment rows for years after `Y`, ignored by the rules.
    pub future_rows: u64,
    pub persons: u64,
}

/// One person's results, before they are merged into the run's [`Outcome`].
#[derive(Debug, Default)]
pub struct Verdicts {
    pub refunds: Vec<RefundItem>,
    pub rerating: Vec<ReratingItem>,
    pub missing: Option<MissingItem>,
    pub late: Vec<LateItem>,
    pub transfers: Vec<TransferItem>,
    pub coverage: Vec<CoverageMark>,
    pub subsidy: Vec<SubsidyItem>,
    pub fiscal_county: Option<crate::domain::County>,
    pub conflicts: Vec<Conflict>,
}

/// Drops rows for years after `Y` (counted) and sorts every list by person, as
/// the merge-join in [`group`] needs. Returns the number of rows dropped.
fn prepare(dates: RunDates, data: &mut Ingested) -> u64 {
    let future_rows = data
        .enrollment
        .iter()
        .filter(|r| r.year > dates.year)
        .count() as u64;
    // The records are large: their keys are sorted with their positions
    // and each record is moved once, where a merge sort moves it log n
    // times. Stable, as before.
    order::sort_by_person(&mut data.identities, |r| {
        (&r.person, i64::from(r.start.num_days_from_ce()), r.origin)
    });
    order::keep_sorted_by_person(
        &mut data.enrollment,
        |r| r.year <= dates.year,
        |r| (&r.person, i64::from(r.year), r.origin),
    );
    // Issue 15: a partition's history rows arrive sorted (merging repeats
    // sorted them, `ingest::reduce`); a check is one pass, a sort many.
    if !data
        .history
        .is_sorted_by(|a, b| history_order(a) <= history_order(b))
    {
        data.history
            .par_sort_unstable_by(|a, b| history_order(a).cmp(&history_order(b)));
    }
    order::sort_by_person(&mut data.persons, |r| (&r.person, 0, r.origin));
    order::sort_by_person(&mut data.elsewhere, |r| (&r.person, 0, r.origin));
    future_rows
}

/// The order the rules take history rows in: person, year, origin.
fn history_order(r: &HistoryRow) -> (&PersonId, i32, Origin) {
    (&r.person, r.year, r.origin)
}

/// One person's file and every rule's verdict on it (for `explain`).
pub fn judge_one<'a>(
    policy: &Policy,
    dates: RunDates,
    data: &'a mut Ingested,
    id: &PersonId,
) -> Option<(PersonFile<'a>, Verdicts)> {
    prepare(dates, data);
    let have_register = has_register(data);
    let data: &'a Ingested = data;
    let mut found = None;
    for_each_batch(data, have_register, |batch| {
        if found.is_none() {
            found = batch.iter().find(|p| p.id == id).copied();
        }
    });
    found.map(|p| {
        let v = judge(policy, dates, &p);
        (p, v)
    })
}

/// Groups every record by person and applies the rules to each group in parallel.
pub fn reconcile(policy: &Policy, dates: RunDates, data: &mut Ingested) -> Outcome {
    let mut r = Reconciler::new(policy, dates, has_register(data));
    r.add(data);
    r.finish()
}

/// The rules applied partition by partition (a partition holds every record
/// of its persons, see [`crate::ingest::spill`]); verdicts are folded into
/// one [`Outcome`], sorted at the end so no partition or thread order shows.
pub struct Reconciler<'p> {
    policy: &'p Policy,
    dates: RunDates,
    out: Outcome,
    /// The lists of the sets merged in, in merge order after `out`'s own
    /// (issue 15: each item is moved into the run's lists once, at
    /// [`Reconciler::finish`], not copied again at every merge).
    merged: Vec<Outcome>,
    /// Coverage marks counted per group × county.
    coverage: coverage::Counts,
}

impl<'p> Reconciler<'p> {
    /// `have_register`: whether the run has a resident register (一人一档人员库).
    pub fn new(policy: &'p Policy, dates: RunDates, have_register: bool) -> Reconciler<'p> {
        Reconciler {
            policy,
            dates,
            out: Outcome {
                have_register,
                ..Outcome::default()
            },
            merged: Vec::new(),
            coverage: coverage::Counts::default(),
        }
    }

    /// Persons judged so far (issue 16: the judging bar counts them).
    pub fn persons(&self) -> u64 {
        self.out.persons
    }

    /// Judges every person of `data` (one partition, or the whole run).
    pub fn add(&mut self, data: &mut Ingested) {
        let (policy, dates) = (self.policy, self.dates);
        self.out.future_rows += prepare(dates, data);
        // Persons are judged in batches, each batch in parallel, and their
        // verdicts folded straight into the outcome: no per-person vector of
        // files or verdicts is ever held for the whole province.
        let (out, counts) = (&mut self.out, &mut self.coverage);
        for_each_batch(data, out.have_register, |batch| {
            out.persons += batch.len() as u64;
            // Each task's verdicts go straight into the outcome (issue 15:
            // merging the tasks' lists pairwise first copied them again).
            // Boxed: the fold hands its accumulator on by value at each
            // person, and the lists' heads are too many bytes to copy so.
            let folded: Vec<Box<Folded>> = batch
                .par_iter()
                .fold(Box::<Folded>::default, |mut acc, p| {
                    judge_into(policy, dates, p, &mut acc);
                    coverage::count(&mut acc.coverage, acc.v.coverage.drain(..));
                    acc
                })
                .collect();
            for f in folded {
                f.into_outcome(out, counts);
            }
        });
    }

    /// Combines the verdicts of two sets of partitions: counts are added,
    /// lists kept as they are (in order: this set's, then `other`'s).
    pub fn merge(mut self, other: Reconciler<'p>) -> Reconciler<'p> {
        let Reconciler {
            out: mut b,
            merged,
            coverage,
            ..
        } = other;
        let a = &mut self.out;
        for (county, n) in std::mem::take(&mut b.fiscal_persons) {
            *a.fiscal_persons.entry(county).or_default() += n;
        }
        a.future_rows += std::mem::take(&mut b.future_rows);
        a.persons += std::mem::take(&mut b.persons);
        self.merged.push(b);
        self.merged.extend(merged);
        coverage::add_counts(&mut self.coverage, coverage);
        self
    }

    /// The outcome, every list in its report order.
    pub fn finish(self) -> Outcome {
        let (mut out, mut merged) = (self.out, self.merged);
        gather(&mut out, &mut merged, |o| &mut o.refunds);
        gather(&mut out, &mut merged, |o| &mut o.rerating);
        gather(&mut out, &mut merged, |o| &mut o.missing);
        gather(&mut out, &mut merged, |o| &mut o.late);
        gather(&mut out, &mut merged, |o| &mut o.transfers);
        gather(&mut out, &mut merged, |o| &mut o.subsidy);
        gather(&mut out, &mut merged, |o| &mut o.conflicts);
        out.refunds
            .par_sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        out.rerating
            .par_sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        out.missing
            .par_sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        out.late.par_sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        out.transfers
            .par_sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        out.subsidy
            .par_sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        out.coverage = coverage::aggregate(self.policy, &self.coverage, out.have_register);
        out
    }
}

/// Appends one list of every merged outcome to `out`'s, in order, each
/// item moved once (into room reserved for all of them).
fn gather<T>(
    out: &mut Outcome,
    merged: &mut [Outcome],
    list: impl Fn(&mut Outcome) -> &mut Vec<T>,
) {
    let more: usize = merged.iter_mut().map(|o| list(o).len()).sum();
    let all = list(out);
    all.reserve_exact(more);
    for o in merged {
        // Taken: each part's room is freed as soon as it is moved.
        all.append(&mut std::mem::take(list(o)));
    }
}

/// Whether `data` comes with a resident register: by its files when it has
/// them (as a run decides), else by its records.
fn has_register(data: &Ingested) -> bool {
    if data.files.is_empty() {
        !data.persons.is_empty()
    } else {
        crate::ingest::has_register(&data.files)
    }
}

/// Persons judged per batch (bounds the memory of files and verdicts in flight).
///
/// Issue 15: small enough that a batch's records, walked here, are still
/// in the cache when its persons are judged (65,536 persons' records were
/// tens of MB, read twice from memory).
const BATCH_PERSONS: usize = 4_096;

/// Merge-walks the sorted lists into one [`PersonFile`] per person, handing
/// them to `on_batch` [`BATCH_PERSONS`] at a time, in person order.
fn for_each_batch<'a>(
    data: &'a Ingested,
    have_register: bool,
    mut on_batch: impl FnMut(&[PersonFile<'a>]),
) {
    // The lists are sorted by person ([`prepare`]): the persons in order are
    // the smallest head of the four lists at each step (a merge, no sort);
    // history alone names no one.
    let (mut i, mut e, mut h, mut p, mut x) = (0, 0, 0, 0, 0);
    let records = [
        data.identities.len(),
        data.enrollment.len(),
        data.persons.len(),
        data.elsewhere.len(),
    ];
    let mut batch = Vec::with_capacity(BATCH_PERSONS.min(records.iter().sum()));
    loop {
        let heads = [
            data.identities.get(i).map(|r| &r.person),
            data.enrollment.get(e).map(|r| &r.person),
            data.persons.get(p).map(|r| &r.person),
            data.elsewhere.get(x).map(|r| &r.person),
        ];
        let Some(id) = heads.into_iter().flatten().min() else {
            break;
        };
        let ri = run_of(&data.identities, &mut i, id, |r| &r.person);
        let re = run_of(&data.enrollment, &mut e, id, |r| &r.person);
        let rh = run_of(&data.history, &mut h, id, |r| &r.person);
        let rp = run_of(&data.persons, &mut p, id, |r| &r.person);
        let rx = run_of(&data.elsewhere, &mut x, id, |r| &r.person);
        batch.push(PersonFile {
            id,
            identities: &data.identities[ri],
            enrollment: &data.enrollment[re],
            history: &data.history[rh],
            register: data.persons[rp].first(),
            elsewhere: &data.elsewhere[rx],
            have_register,
        });
        if batch.len() == BATCH_PERSONS {
            on_batch(&batch);
            batch.clear();
        }
    }
    if !batch.is_empty() {
        on_batch(&batch);
    }
}

/// Verdicts of many persons folded together (one per rayon task).
#[derive(Default)]
struct Folded {
    v: Verdicts,
    missing: Vec<MissingItem>,
    fiscal: Vec<crate::domain::County>,
    /// The task's coverage marks, counted.
    coverage: coverage::Counts,
}

impl Folded {
    /// Appends to the run's outcome; the lists are sorted afterwards, so the
    /// order of tasks never shows in the output.
    fn into_outcome(self, out: &mut Outcome, counts: &mut coverage::Counts) {
        out.refunds.extend(self.v.refunds);
        out.rerating.extend(self.v.rerating);
        out.missing.extend(self.missing);
        out.late.extend(self.v.late);
        out.transfers.extend(self.v.transfers);
        out.subsidy.extend(self.v.subsidy);
        out.conflicts.extend(self.v.conflicts);
        coverage::count(counts, self.v.coverage);
        coverage::add_counts(counts, self.coverage);
        for c in self.fiscal {
            *out.fiscal_persons.entry(c).or_default() += 1;
        }
    }
}

/// The run of records of person `id` starting at `*pos` in a list sorted by person.
fn run_of<T>(
    v: &[T],
    pos: &mut usize,
    id: &PersonId,
    key: impl Fn(&T) -> &PersonId,
) -> std::ops::Range<usize> {
    // Lists may hold persons the walk does not visit (history-only persons).
    while *pos < v.len() && key(&v[*pos]) < id {
        *pos += 1;
    }
    let start = *pos;
    while *pos < v.len() && key(&v[*pos]) == id {
        *pos += 1;
    }
    start..*pos
}

/// One person's verdicts on their own (for `explain`).
fn judge(policy: &Policy, dates: RunDates, p: &PersonFile<'_>) -> Verdicts {
    let mut one = Folded::default();
    judge_into(policy, dates, p, &mut one);
    let Folded {
        mut v,
        mut missing,
        mut fiscal,
        ..
    } = one;
    v.missing = missing.pop();
    v.fiscal_county = fiscal.pop();
    v
}

/// Appends one person's verdicts to `acc` (the rules only push to their
/// lists, so they push straight into the task's lists: no vectors per
/// person).
fn judge_into(policy: &Policy, dates: RunDates, p: &PersonFile<'_>, acc: &mut Folded) {
    let v = &mut acc.v;
    name_mismatches(p, &mut v.conflicts);
    let paid = refund::PaidRows::of(policy, dates, p);
    let own_refunds = v.refunds.len();
    refund::judge(policy, dates, p, &paid, &mut v.refunds);
    rerating::judge(policy, dates, p, &mut v.rerating, &mut v.conflicts);
    acc.missing.extend(missing::judge(policy, dates, p));
    late::judge(policy, dates, p, &mut v.late);
    // Issue 15: the identity that places the person at `T`, found once for
    // the two rules that ask.
    let placed = tier::recognition(policy, p.identities, dates.t);
    transfer::judge(dates, p, placed, &mut v.transfers);
    coverage::judge(policy, dates, p, placed, &mut v.coverage);
    subsidy::judge(policy, p, &paid, &v.refunds[own_refunds..], &mut v.subsidy);
    if policy.fiscal.is_some() {
        acc.fiscal.extend(subsidy::fiscal_county(&paid));
    }
}

/// NAME_MISMATCH: every record whose name differs from the name the reports
/// use (the enrollment file's name wins).
fn name_mismatches(p: &PersonFile<'_>, out: &mut Vec<Conflict>) {
    let want = p.name();
    use crate::domain::vocab::norm_key as norm;
    // Normalised only when some name differs byte for byte (most agree).
    let mut want_n = None;
    let mut check = |origin: Origin, name: &str, what: (&str, &str)| {
        if name != want && norm(name) != *want_n.get_or_insert_with(|| norm(want)) {
            out.push(Conflict::at(
                origin,
                p.id.clone(),
                name,
                ConflictCode::NameMismatch,
                Msg::new(
                    format!("{}中姓名为“{name}”，而清单使用“{want}”（以参保缴费台账姓名为准）；请核实是否同一人或录入有误", what.0),
                    format!("{} has 姓名 `{name}` but the reports use `{want}` (the enrollment ledger's name wins); check it is the same person", what.1),
                ),
            ));
        }
    };
    for r in p.enrollment {
        check(r.origin, &r.name, ("本参保记录", "this enrollment row"));
    }
    if let Some(r) = p.register {
        check(r.origin, &r.name, ("人员库", "the resident register"));
    }
    let mut last = None;
    for r in p.identities {
        // An agriculture row may give two identities; report its line once.
        if last != Some(r.origin) {
            check(r.origin, &r.name, ("本身份记录", "this identity record"));
        }
        last = Some(r.origin);
    }
    for r in p.elsewhere {
        check(r.origin, &r.name, ("异地参保名单", "the elsewhere list"));
    }
}

#[cfg(test)]
mod tests {
    use super::born_within;
    use crate::domain::PersonId;
    use chrono::NaiveDate;

    /// Issue 15: the birth-year shortcut gives what the dates give, for
    /// windows of a day to several years, on and around their edges.
    #[test]
    fn born_within_is_the_date_difference() {
        let d0 = NaiveDate::from_ymd_opt(2023, 12, 30).unwrap();
        let births: Vec<NaiveDate> = (0..1500).map(|n| d0 - chrono::Days::new(n)).collect();
        for days in [0u32, 1, 28, 180, 364, 365, 366, 730, 1000] {
            for dn in [0u64, 1, 2, 3, 60, 400] {
                let d = d0 + chrono::Days::new(dn);
                for b in &births {
                    let id = PersonId::Resident(
                        format!("640104{}001", b.format("%Y%m%d"))
                            .parse::<u64>()
                            .unwrap()
                            * 11,
                    );
                    assert_eq!(id.birth_date(), Some(*b));
                    let want = (0..=i64::from(days)).contains(&(d - *b).num_days());
                    assert_eq!(born_within(&id, days, d), want, "{b} {d} {days}");
                }
            }
        }
        let other = PersonId::Other(Box::new(("02".into(), "X1".into())));
        assert!(!born_within(&other, 365, d0));
    }
}
