//! R2 and R3 — refunds (退费). One paid row gets at most one refund, chosen in
//! the order DECEASED, DUPLICATE, JOINED_EMPLOYEE, HARDSHIP_DIFF, and a refund
//! never exceeds what was paid.

use crate::domain::County;
use chrono::NaiveDate;

use super::tier::{best, At, Best};
use super::{PersonFile, RunDates};
use crate::domain::{Category, EnrollStatus, Fen, PersonId, Scheme, SourceKind};
use crate::ingest::{EnrollmentRow, Origin};
use crate::policy::{Policy, RefundMode, RefundRule};

/// Why money goes back (退费原因).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RefundReason {
    /// 死亡退费: died before the policy year.
    Deceased,
    /// 重复参保退费: more than one paid resident row.
    Duplicate,
    /// 参加职工医保退费: also insured as an employee.
    JoinedEmployee,
    /// 困难身份差额退费: paid more than the hardship tier's amount.
    HardshipDiff,
}

impl RefundReason {
    pub fn code(self) -> &'static str {
        match self {
            RefundReason::Deceased => "DECEASED",
            RefundReason::Duplicate => "DUPLICATE",
            RefundReason::JoinedEmployee => "JOINED_EMPLOYEE",
            RefundReason::HardshipDiff => "HARDSHIP_DIFF",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            RefundReason::Deceased => "死亡退费",
            RefundReason::Duplicate => "重复参保退费",
            RefundReason::JoinedEmployee => "参加职工医保退费",
            RefundReason::HardshipDiff => "困难身份差额退费",
        }
    }
}

/// What the clerk does with a listed refund.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RefundStatus {
    /// 可退费: pay it.
    Payable,
    /// 待复核: a person confirms first.
    Review,
    /// 已过申请期限: the application deadline has passed.
    Expired,
}

impl RefundStatus {
    pub fn code(self) -> &'static str {
        match self {
            RefundStatus::Payable => "payable",
            RefundStatus::Review => "review",
            RefundStatus::Expired => "expired",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            RefundStatus::Payable => "可退费",
            RefundStatus::Review => "待复核",
            RefundStatus::Expired => "已过期限",
        }
    }
}

/// The identity that justifies a verdict: which record, from which file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Basis {
    pub category: Category,
    pub source: SourceKind,
    pub origin: Origin,
    /// `None`: an undated roster's identity whose start is unknown (issue 11).
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub county: County,
}

impl Basis {
    pub fn of(b: &Best<'_>) -> Option<Basis> {
        b.identity.map(|i| Basis {
            category: i.category,
            source: i.source,
            origin: i.origin,
            start: i.known_start(),
            end: i.end,
            county: i.county,
        })
    }
}

/// One line of `refunds.csv`.
#[derive(Debug, Clone)]
pub struct RefundItem {
    pub county: County,
    pub person: PersonId,
    pub name: String,
    pub year: i32,
    pub reason: RefundReason,
    pub paid: Fen,
    pub pay_date: Option<NaiveDate>,
    pub amount: Fen,
    /// The tier that prices the row (HARDSHIP_DIFF) and its basis.
    pub tier: Option<usize>,
    /// That tier's personal amount for the row's county and grade.
    pub tier_personal: Option<Fen>,
    /// Issue 14: the row's population and grade (人员类别, 缴费档次).
    pub grade: crate::policy::GradeRef,
    pub basis: Option<Basis>,
    pub status: RefundStatus,
    pub deadline: Option<NaiveDate>,
    pub tax_receipt: String,
    pub origin: Origin,
    pub note: String,
}

impl RefundItem {
    pub fn sort_key(&self) -> (&str, &PersonId, RefundReason, Origin) {
        (&self.county, &self.person, self.reason, self.origin)
    }
}

/// The window `w = [d, max(d, C1)]` over which identities price a payment
/// made on `d` (rows due 0 often carry no date: `C1` stands in).
pub fn pricing_window(policy: &Policy, pay_date: Option<NaiveDate>) -> (NaiveDate, NaiveDate) {
    let d = pay_date.unwrap_or(policy.c1);
    (d, d.max(policy.c1))
}

/// The status a refund gets from its rule at `t`.
fn status(rule: Option<&RefundRule>, t: NaiveDate) -> Option<(RefundStatus, Option<NaiveDate>)> {
    let Some(rule) = rule else {
        // A reason the policy does not mention: listed for review, no deadline.
        return Some((RefundStatus::Review, None));
    };
    let base = match rule.mode {
        RefundMode::Auto => RefundStatus::Payable,
        RefundMode::Review => RefundStatus::Review,
        RefundMode::Off => return None,
    };
    match rule.deadline {
        Some(d) if t > d => Some((RefundStatus::Expired, Some(d))),
        d => Some((base, d)),
    }
}

/// Whether a full refund for `rule` may apply to a payment on `d`.
/// A blank 缴费日期 counts as `C1`, inside the period (SPEC R3).
fn in_scope(policy: &Policy, rule: Option<&RefundRule>, d: NaiveDate) -> bool {
    match rule {
        Some(r) if r.paid_in_concentrated_period_only => policy.c0 <= d && d <= policy.c1,
        _ => true,
    }
}

/// The payment day R3 compares (and R9 prices at): a blank 缴费日期 counts as
/// `C1`, so a dated payment inside the period is earlier than it.
pub fn pay_day(policy: &Policy, row: &EnrollmentRow) -> NaiveDate {
    row.pay_date.unwrap_or(policy.c1)
}

/// A person's paid resident rows for `Y` as R3 sees them: in keep order
/// (earliest payment day, blank = `C1`; same day, the lowest county; then
/// file order), and whether the person died before the year or holds an
/// active employee row — the facts that void rows whatever the refunds say.
pub struct PaidRows<'a> {
    /// Keep order: the first is the kept payment, every other a DUPLICATE.
    /// Inline (issue 15: a person has one or two such rows; a `Vec` was an
    /// allocation per person).
    pub rows: smallvec::SmallVec<[&'a EnrollmentRow; 2]>,
    /// Death before `Y`-01-01 (or the policy's `death_before`): DECEASED.
    pub dead: bool,
    /// An active 310 row for `Y`: JOINED_EMPLOYEE.
    pub employee: bool,
}

impl<'a> PaidRows<'a> {
    pub fn of(policy: &Policy, dates: RunDates, p: &PersonFile<'a>) -> PaidRows<'a> {
        let enrollment: &'a [EnrollmentRow] = p.enrollment;
        let mut rows: smallvec::SmallVec<[&'a EnrollmentRow; 2]> = enrollment
            .iter()
            .filter(|r| r.year == dates.year && r.scheme == Scheme::Resident && r.is_paid())
            .collect();
        rows.sort_by_key(|r| (pay_day(policy, r), r.county, r.origin));
        let employee = p.enrollment.iter().any(|r| {
            r.year == dates.year && r.scheme == Scheme::Employee && r.status == EnrollStatus::Active
        });
        let deceased_before = policy
            .refunds
            .deceased
            .as_ref()
            .and_then(|r| r.death_before)
            .or_else(|| NaiveDate::from_ymd_opt(dates.year, 1, 1));
        let dead = p
            .register
            .and_then(|r| r.death)
            .zip(deceased_before)
            .is_some_and(|(death, before)| death < before);
        PaidRows {
            rows,
            dead,
            employee,
        }
    }

    /// The one row R3 leaves standing (R9 subsidises at most it, and the
    /// fiscal count places the person by it): the kept payment, unless the
    /// person died before the year or is an employee, which void every row.
    /// Structural: the refund's mode, scope, deadline or a paid amount of 0
    /// do not revive a void row (SPEC R9).
    pub fn standing(&self) -> Option<&'a EnrollmentRow> {
        if self.dead || self.employee {
            return None;
        }
        self.rows.first().copied()
    }
}

/// `rows`: the person's paid rows as R3 sees them ([`PaidRows::of`]).
pub fn judge(
    policy: &Policy,
    dates: RunDates,
    p: &PersonFile<'_>,
    rows: &PaidRows<'_>,
    out: &mut Vec<RefundItem>,
) {
    let (paid, dead, employee) = (&rows.rows, rows.dead, rows.employee);

    for (i, row) in paid.iter().enumerate() {
        let item =
            |reason, amount, rule: Option<&RefundRule>, b: Option<&Best<'_>>, note: String| {
                status(rule, dates.t).map(|(status, deadline)| RefundItem {
                    county: row.county,
                    person: p.id.clone(),
                    name: p.name().to_string(),
                    year: row.year,
                    reason,
                    paid: row.paid,
                    pay_date: row.pay_date,
                    amount,
                    tier: b.and_then(|b| b.tier),
                    tier_personal: b.filter(|b| b.is_subsidised()).map(Best::personal),
                    grade: row.grade,
                    basis: b.and_then(Basis::of),
                    status,
                    deadline,
                    tax_receipt: row.tax_receipt.as_str().to_owned(),
                    origin: row.origin,
                    note,
                })
            };
        if row.paid <= Fen::ZERO {
            continue;
        }
        let refunds = &policy.refunds;
        let chosen = if dead {
            item(
                RefundReason::Deceased,
                row.paid,
                refunds.deceased.as_ref(),
                None,
                "死亡日期早于参保年度".into(),
            )
        } else if i > 0 && in_scope(policy, refunds.duplicate.as_ref(), pay_day(policy, row)) {
            item(
                RefundReason::Duplicate,
                row.paid,
                refunds.duplicate.as_ref(),
                None,
                format!("同年度已有更早的缴费 ({} 条)", paid.len()),
            )
        } else if employee
            && in_scope(
                policy,
                refunds.joined_employee.as_ref(),
                pay_day(policy, row),
            )
        {
            item(
                RefundReason::JoinedEmployee,
                row.paid,
                refunds.joined_employee.as_ref(),
                None,
                "同年度有参保缴费状态的职工医保".into(),
            )
        } else if p.identities.is_empty() {
            // Issue 15: without an identity nothing is subsidised, so no
            // difference is refunded (`best` would price the ordinary grade
            // for nothing).
            None
        } else {
            let w = pricing_window(policy, row.pay_date);
            let best = best(policy, p.identities, w, At::row(row), row.county);
            if best.is_subsidised() && best.personal() < row.paid {
                let refund = item(
                    RefundReason::HardshipDiff,
                    row.paid - best.personal(),
                    Some(&refunds.hardship_diff),
                    Some(&best),
                    String::new(),
                );
                start_unknown_review(refund, &best)
            } else {
                None
            }
        };
        out.extend(chosen);
    }
}

/// Issue 11 (SPEC §2 "Undated rosters"): a refund priced by an identity whose
/// start is unknown is never payable — listed for review, 认定日期未知.
fn start_unknown_review(item: Option<RefundItem>, best: &Best<'_>) -> Option<RefundItem> {
    let unknown = best.identity.is_some_and(|i| i.start_unknown());
    item.map(|mut r| {
        if unknown {
            if r.status == RefundStatus::Payable {
                r.status = RefundStatus::Review;
            }
            r.note = "认定日期未知".into();
        }
        r
    })
}
