//! 一人一档 enrollment rows of one person: five years of history (310 runs,
//! gap years) and the policy year's row (paid in the period, late, unpaid,
//! rated wrong on purpose, paid twice).

use chrono::{Datelike, Duration, NaiveDate};
use fastrand::Rng;

use super::dirty::{finish, legacy_if, push_date_or_bad, push_id};
use super::ids::Core;
use super::person::{Gen, Out, Span, Who};
use super::random::{chance, date_in, weighted, ymd};
use super::text::{push_date, push_num, push_yuan, DateForm};
use super::vocab::DYNAMIC_GROUPS;
use super::{DirtyKind, OutFile};
use crate::domain::{add_months, Fen};

impl Gen<'_> {
    /// The ordinary amount of a history year: the policy's ordinary amount in
    /// `Y`-1, 20 yuan less for each year before (a plausible rising schedule).
    pub(super) fn hist_ordinary(&self, year: i32) -> Fen {
        let back = i64::from((self.year - 1 - year).max(0));
        Fen((self.policy.ordinary.0 - back * 2_000).max(0))
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn enrollment(
        &self,
        rng: &mut Rng,
        core: &Core,
        who: &Who,
        born19: bool,
        newborn: bool,
        died: Option<NaiveDate>,
        elsewhere: bool,
        spans: &[Span],
        out: &mut Out,
    ) {
        let y = self.year;
        let first = y - 5;
        let age_y = y - core.birth.year();
        // ~8% employees (310) for a run of years.
        let employee = ((18..60).contains(&age_y) && chance(rng, 0.135)).then(|| {
            let a = rng.i32(first..=y);
            (a, rng.i32(a..=y))
        });
        // ~8% with gap years (no row, or registered and unpaid), some ≥ 4 years.
        let gap = (!newborn && chance(rng, 0.08)).then(|| {
            let len = [1, 2, 3, 4, 5][weighted(rng, &[40, 25, 15, 12, 8])];
            let last = if chance(rng, 0.7) {
                y - 1
            } else {
                rng.i32(first + len - 1..=y - 1)
            };
            (last - len + 1, last)
        });
        // 1%: enrolled in another county than they live (R7 transfers).
        let county = self.record_county_p(rng, core.county, 0.01);
        let ccode = &self.counties[county].code;
        let spoils = legacy_if(
            born19,
            &[
                DirtyKind::BadChecksum,
                DirtyKind::Duplicate,
                DirtyKind::BadDate,
                DirtyKind::Legacy15,
            ],
        );
        let employee_amount = Fen::yuan(i64::from(rng.u32(24..=60)) * 100);

        for yr in first..y {
            if core.birth.year() > yr {
                continue;
            }
            let in_job = employee.is_some_and(|(a, b)| a <= yr && yr <= b);
            let in_gap = gap.is_some_and(|(a, b)| a <= yr && yr <= b);
            let mut row = ERow::new(yr, ccode);
            if in_job {
                row.scheme = "310";
                row.due = employee_amount;
                row.paid = Some(employee_amount);
                row.date = Some((ymd(yr, 1, 15), DateForm::Iso));
            } else if in_gap {
                if !chance(rng, 0.3) {
                    continue;
                }
                row.due = self.hist_ordinary(yr);
            } else {
                let d = date_in(rng, ymd(yr - 1, 9, 1), ymd(yr - 1, 12, 31))
                    .unwrap_or(ymd(yr - 1, 12, 1))
                    .max(core.birth)
                    .min(ymd(yr, 12, 31));
                let ord = self.hist_ordinary(yr);
                match self.best_at(spans, d) {
                    Some((cat, t)) => {
                        row.rating = &self.rating_text[usize::from(cat.0)];
                        row.due = self.policy.tiers[t].personal.min(ord);
                    }
                    None => row.due = ord,
                }
                row.paid = Some(row.due);
                row.date = Some((d, DateForm::Iso));
            }
            let dk = self.spoil(rng, spoils);
            row.write(out, who, dk, rng);
        }

        // Year Y.
        let in_job = employee.is_some_and(|(_, b)| b == y);
        if in_job {
            let mut row = ERow::new(y, ccode);
            row.scheme = "310";
            row.status = ["参保缴费", "暂停", "终止"][weighted(rng, &[92, 5, 3])];
            row.due = employee_amount;
            row.paid = Some(employee_amount);
            row.date = Some((ymd(y - 1, 12, 20), DateForm::Iso));
            let dk = self.spoil(rng, spoils);
            row.write(out, who, dk, rng);
        }
        #[derive(PartialEq)]
        enum Plan {
            None,
            Unpaid,
            InPeriod,
            Late,
        }
        let plan = if newborn {
            match weighted(rng, &[75, 10, 15]) {
                0 => Plan::Late, // paid after birth, whenever that was
                1 => Plan::Unpaid,
                _ => Plan::None,
            }
        } else if elsewhere && !chance(rng, 0.1) {
            Plan::None
        } else if in_job {
            if chance(rng, 0.05) {
                Plan::InPeriod
            } else {
                Plan::None
            }
        } else {
            match weighted(rng, &[4, 6, 3, 87]) {
                0 => Plan::None,
                1 => Plan::Unpaid,
                2 => Plan::Late,
                _ => Plan::InPeriod,
            }
        };
        if plan == Plan::None {
            return;
        }
        // The payment (or registration) date.
        let paid_on = match plan {
            Plan::Late if newborn => {
                let lo = self.c0.max(core.birth);
                date_in(rng, lo, self.as_of)
            }
            Plan::Late => match self.late {
                Some((lo, hi)) => date_in(rng, lo.max(core.birth), hi),
                None => self
                    .in_period
                    .and_then(|(lo, hi)| date_in(rng, lo.max(core.birth), hi)),
            },
            Plan::InPeriod => self
                .in_period
                .and_then(|(lo, hi)| date_in(rng, lo.max(core.birth), hi)),
            _ => None,
        };
        // Nobody pays after their death: such a row stays registered, unpaid.
        let paid_on = paid_on.filter(|d| died.is_none_or(|x| *d < x));
        let rated_on = match paid_on {
            Some(d) => d,
            None => self
                .in_period
                .and_then(|(lo, hi)| date_in(rng, lo.max(core.birth), hi))
                .unwrap_or(self.as_of),
        };
        let best = self.best_at(spans, rated_on);
        let late_price = |d: NaiveDate| {
            if d > self.c1 && !newborn {
                self.policy.band_for(d).unwrap_or(self.policy.ordinary)
            } else {
                self.policy.ordinary
            }
        };
        let mut row = ERow::new(y, ccode);
        match best {
            Some((cat, t)) => {
                row.rating = &self.rating_text[usize::from(cat.0)];
                row.due = self.policy.tiers[t].personal;
            }
            None => row.due = late_price(rated_on),
        }
        // A few percent rated wrong on purpose: 8% of identity holders rated
        // ordinary (refunds when paid, re-ratings when not), 1% of the others
        // rated with a hardship category no identity supports.
        match best {
            Some(_) if chance(rng, 0.08) => {
                row.rating = "普通居民";
                row.due = late_price(rated_on);
            }
            None if !self.tiered.is_empty() && chance(rng, 0.01) => {
                let cat = self.tiered[rng.usize(0..self.tiered.len())];
                row.rating = &self.rating_text[usize::from(cat.0)];
                row.due = self.policy.personal(self.policy.tier_of(cat));
            }
            _ => {}
        }
        row.decimals = chance(rng, 0.1);
        if let Some(d) = paid_on {
            row.paid = Some(row.due);
            let form = match weighted(rng, &[80, 10, 5, 5]) {
                0 => DateForm::Iso,
                1 => DateForm::DateTime,
                2 => DateForm::Slash,
                _ => DateForm::Compact,
            };
            // Rows due 0 often carry no date.
            if !(row.due.is_zero() && chance(rng, 0.5)) {
                row.date = Some((d, form));
            }
            if !row.due.is_zero() && chance(rng, 0.9) {
                row.tax = Some(d);
                row.tax_seq = core.idx;
            }
            if d > self.c1 {
                if chance(rng, 0.03) {
                    row.dynamic = DYNAMIC_GROUPS[rng.usize(0..DYNAMIC_GROUPS.len())];
                }
                let exempt = newborn || best.is_some() || !row.dynamic.is_empty();
                if !exempt {
                    let from = d.max(ymd(y, 1, 1));
                    let w = &self.policy.waiting;
                    let start = add_months(
                        from + Duration::days(i64::from(w.fixed_days)),
                        w.fixed_months,
                    );
                    row.benefit_start = match weighted(rng, &[80, 5, 15]) {
                        0 => Some(start),
                        1 => Some(add_months(start, 1)),
                        _ => None,
                    };
                }
                if gap.is_some() && chance(rng, 0.1) {
                    row.repair_years = 1;
                }
            }
        } else if chance(rng, 0.03) {
            row.status = "暂停";
        }
        let dk = self.spoil(rng, spoils);
        row.write(out, who, dk, rng);

        // 0.3% of payers paid twice (R3 DUPLICATE), mostly in another county.
        if let (Some(d), Some((lo, hi))) = (paid_on, self.in_period) {
            if chance(rng, 0.003) {
                let other = self.record_county_p(rng, county, 0.7);
                let d2 = date_in(rng, lo.max(core.birth), hi).unwrap_or(d);
                row.county = &self.counties[other].code;
                row.date = Some((d2, DateForm::Iso));
                row.tax = (!row.due.is_zero()).then_some(d2);
                row.tax_seq = core.idx + 500_000_000;
                row.benefit_start = None;
                let dk = self.spoil(rng, spoils);
                row.write(out, who, dk, rng);
            }
        }
    }

    pub(super) fn record_county_p(&self, rng: &mut Rng, home: usize, p: f64) -> usize {
        if self.counties.len() > 1 && chance(rng, p) {
            (home + 1 + rng.usize(0..self.counties.len() - 1)) % self.counties.len()
        } else {
            home
        }
    }
}

/// One enrollment row (SPEC §2 `enrollment`).
pub(super) struct ERow<'a> {
    pub(super) year: i32,
    pub(super) scheme: &'static str,
    pub(super) county: &'a str,
    pub(super) status: &'static str,
    pub(super) rating: &'a str,
    pub(super) due: Fen,
    pub(super) paid: Option<Fen>,
    pub(super) date: Option<(NaiveDate, DateForm)>,
    pub(super) benefit_start: Option<NaiveDate>,
    pub(super) repair_years: u32,
    pub(super) tax: Option<NaiveDate>,
    pub(super) tax_seq: u64,
    pub(super) dynamic: &'static str,
    pub(super) decimals: bool,
}

impl<'a> ERow<'a> {
    pub(super) fn new(year: i32, county: &'a str) -> ERow<'a> {
        ERow {
            year,
            scheme: "390",
            county,
            status: "参保缴费",
            rating: "普通居民",
            due: Fen::ZERO,
            paid: None,
            date: None,
            benefit_start: None,
            repair_years: 0,
            tax: None,
            tax_seq: 0,
            dynamic: "",
            decimals: false,
        }
    }

    pub(super) fn write(&self, out: &mut Out, who: &Who, dk: Option<DirtyKind>, rng: &mut Rng) {
        // A bad date needs a date to spoil.
        let dk = match dk {
            Some(DirtyKind::BadDate) if self.date.is_none() => Some(DirtyKind::Duplicate),
            d => d,
        };
        let s = out.text.len();
        let t = &mut out.text;
        push_num(t, self.year as u32, 4);
        t.push(',');
        push_id(t, who.id, dk, rng);
        t.push(',');
        t.push_str(who.name);
        t.push(',');
        t.push_str(self.scheme);
        t.push(',');
        t.push_str(self.county);
        t.push(',');
        t.push_str(self.status);
        t.push(',');
        t.push_str(self.rating);
        t.push(',');
        push_yuan(t, self.due, self.decimals);
        t.push(',');
        if let Some(p) = self.paid {
            push_yuan(t, p, self.decimals);
        }
        t.push(',');
        if let Some((d, form)) = self.date {
            push_date_or_bad(t, d, form, dk, rng);
        }
        t.push(',');
        if let Some(d) = self.benefit_start {
            push_date(t, d, DateForm::Iso);
        }
        t.push(',');
        if self.repair_years > 0 {
            push_num(t, self.repair_years, 1);
        }
        t.push(',');
        if let Some(d) = self.tax {
            // 18-digit 电子税票号: 3, province, year and month paid, a serial.
            t.push('3');
            t.push_str(&who.id[..2]);
            push_num(t, d.year() as u32, 4);
            push_num(t, d.month(), 2);
            push_num(t, (self.tax_seq % 1_000_000_000) as u32, 9);
        }
        t.push(',');
        t.push_str(self.dynamic);
        finish(out, OutFile::Enrollment, s, dk);
    }
}
