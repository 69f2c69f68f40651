//! Each department's roster: 民政 (civil), 农业农村 (agri), 残联 (disability)
//! and 退役军人 (veterans) rows of one person, and the identity spans the
//! enrollment rows are priced by.

use chrono::{Duration, NaiveDate};
use fastrand::Rng;

use super::dirty::{finish, legacy_if, name_for, push_date_or_bad, push_id, ROSTER_SPOILS};
use super::ids::Core;
use super::person::{Gen, Out, Span, Who};
use super::random::{chance, date_in, first_of_month, weighted, ymd};
use super::text::{push_date, push_num, DateForm};
use super::vocab::*;
use super::{DirtyKind, OutFile};
use crate::domain::{add_months, Category};

impl Gen<'_> {
    /// A 区划代码 for a record in county `k`: 6, 9 or 12 digits.
    pub(super) fn region_code(&self, rng: &mut Rng, k: usize) -> String {
        let mut s = self.counties[k].code.clone();
        match weighted(rng, &[70, 20, 10]) {
            0 => {}
            1 => push_num(&mut s, rng.u32(1..=20), 3),
            _ => {
                push_num(&mut s, rng.u32(1..=20), 3);
                push_num(&mut s, rng.u32(1..=30), 3);
            }
        }
        s
    }

    /// The county of an identity record: the person's own, 3% another (R7).
    pub(super) fn record_county(&self, rng: &mut Rng, home: usize) -> usize {
        if self.counties.len() > 1 && chance(rng, 0.03) {
            (home + 1 + rng.usize(0..self.counties.len() - 1)) % self.counties.len()
        } else {
            home
        }
    }

    /// A recognition date: mostly years back, ~10% inside the concentrated
    /// period, ~3% after it (up to as-of); never before `not_before`.
    pub(super) fn recognised(
        &self,
        rng: &mut Rng,
        from: NaiveDate,
        not_before: NaiveDate,
    ) -> NaiveDate {
        let r = rng.f64();
        let d = match (r, self.late, self.in_period) {
            (r, Some((lo, hi)), _) if r < 0.03 => date_in(rng, lo, hi),
            (r, _, Some((lo, hi))) if r < 0.13 => date_in(rng, lo, hi),
            _ => date_in(rng, from, (self.c0 - Duration::days(1)).min(self.as_of)),
        };
        d.unwrap_or(from).max(not_before).min(self.as_of)
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn civil(
        &self,
        rng: &mut Rng,
        core: &Core,
        who: &Who,
        born19: bool,
        age: i64,
        spans: &mut Vec<Span>,
        out: &mut Out,
    ) {
        let c = &self.cats;
        let rural = self.counties[core.county].rural;
        let mut held: Vec<(Category, &str)> = Vec::new();
        if chance(rng, 0.045) {
            let texts = if rural {
                TEXT_DIBAO_RURAL
            } else {
                TEXT_DIBAO_URBAN
            };
            held.push((c.dibao, texts[weighted(rng, &[60, 30, 10])]));
        }
        if chance(rng, 0.006) {
            held.push((c.tekun, TEXT_TEKUN[weighted(rng, &[60, 25, 15])]));
        }
        if age < 18 && chance(rng, 0.003) {
            held.push((c.orphan, "孤儿"));
        }
        if age < 18 && chance(rng, 0.004) {
            held.push((c.defacto_orphan, "事实无人抚养儿童"));
        }
        if chance(rng, 0.015) {
            held.push((c.low_income, "低收入人口"));
        }
        if age >= 80 && chance(rng, 0.03) {
            held.push((c.elderly_low_income, "高龄低收入老年人"));
        }
        for (cat, text) in held {
            let start = self.recognised(rng, ymd(2014, 1, 1), core.birth);
            let end = if chance(rng, 0.10) {
                date_in(rng, start + Duration::days(30), self.as_of)
            } else {
                None
            };
            spans.push(Span { cat, start, end });
            let county = self.record_county(rng, core.county);
            let dk = self.spoil(rng, legacy_if(born19, &ROSTER_SPOILS));
            let form = match weighted(rng, &[85, 5, 5, 5]) {
                0 => DateForm::Iso,
                1 => DateForm::Slash,
                2 => DateForm::Compact,
                _ => DateForm::Chinese,
            };
            let s = out.text.len();
            let t = &mut out.text;
            t.push_str(name_for(who, dk));
            t.push(',');
            push_id(t, who.id, dk, rng);
            t.push(',');
            t.push_str(text);
            t.push(',');
            push_date_or_bad(t, start, form, dk, rng);
            t.push(',');
            let code = self.region_code(rng, county);
            t.push_str(&code);
            t.push(',');
            if let Some(e) = end {
                push_date(t, e, DateForm::Iso);
            }
            t.push(',');
            t.push_str(if end.is_some() { "已退出" } else { "正常" });
            t.push(',');
            self.outreach(rng, t);
            finish(out, OutFile::Civil, s, dk);
        }
    }

    pub(super) fn agri(
        &self,
        rng: &mut Rng,
        core: &Core,
        who: &Who,
        born19: bool,
        spans: &mut Vec<Span>,
        out: &mut Out,
    ) {
        let c = &self.cats;
        let county = &self.counties[core.county];
        let monitored_rate = if county.rural { 0.01 } else { 0.001 };
        let (cat, text, start, cleared) = if chance(rng, monitored_rate) {
            let (cat, text, clear_p) = match weighted(rng, &[50, 35, 15]) {
                0 => (c.unstable, "脱贫不稳定户", 0.35),
                1 => (c.marginal, "边缘易致贫户", 0.25),
                _ => (c.sudden, "突发严重困难户", 0.30),
            };
            let start = self.recognised(rng, ymd(2021, 1, 1), core.birth);
            let cleared = if chance(rng, clear_p) {
                date_in(rng, start + Duration::days(60), self.as_of)
            } else {
                None
            };
            (cat, text, start, cleared)
        } else if county.rural && chance(rng, county.alleviated_rate) {
            let start = date_in(rng, ymd(2014, 1, 1), ymd(2020, 12, 31))
                .unwrap_or(self.as_of)
                .max(core.birth)
                .min(self.as_of);
            (c.alleviated, "已脱贫人口", start, None)
        } else {
            return;
        };
        // 识别日期: the monitoring system exports months (202104, 2021-04).
        let form = match weighted(rng, &[50, 20, 30]) {
            0 => DateForm::Month,
            1 => DateForm::MonthDash,
            _ => DateForm::Iso,
        };
        let start = match form {
            DateForm::Month | DateForm::MonthDash => first_of_month(start).max(core.birth),
            _ => start,
        };
        let start_form = if first_of_month(start) == start {
            form
        } else {
            DateForm::Iso
        };
        if cat == c.unstable {
            // From 风险消除日期 on, still 已脱贫人口 (SPEC §1 agriculture rule).
            spans.push(Span {
                cat,
                start,
                end: cleared,
            });
            if let Some(e) = cleared {
                spans.push(Span {
                    cat: c.alleviated,
                    start: e,
                    end: None,
                });
            }
        } else {
            spans.push(Span {
                cat,
                start,
                end: cleared,
            });
        }
        let rec_county = self.record_county(rng, core.county);
        let dk = self.spoil(rng, legacy_if(born19, &ROSTER_SPOILS));
        let s = out.text.len();
        let t = &mut out.text;
        push_id(t, who.id, dk, rng);
        t.push(',');
        t.push_str(name_for(who, dk));
        t.push(',');
        let code = self.region_code(rng, rec_county);
        t.push_str(&code);
        t.push(',');
        t.push_str(text);
        t.push(',');
        push_date_or_bad(t, start, start_form, dk, rng);
        t.push(',');
        if let Some(e) = cleared {
            push_date(t, e, DateForm::Iso);
        }
        t.push(',');
        self.outreach(rng, t);
        finish(out, OutFile::Agri, s, dk);
    }

    pub(super) fn disability(
        &self,
        rng: &mut Rng,
        core: &Core,
        who: &Who,
        spans: &mut Vec<Span>,
        out: &mut Out,
    ) {
        // Certificates are issued from age 1 on.
        let one = core.birth + Duration::days(365);
        if one > self.as_of || !chance(rng, 0.06) {
            return;
        }
        let grade = weighted(rng, &[12, 23, 30, 35]); // 0 = 一级
        let kind = weighted(rng, &[12, 15, 3, 45, 8, 10, 7]); // 0 = 视力
        let issued = self.recognised(rng, ymd(2008, 1, 1), one);
        let valid_to = chance(rng, 0.2).then(|| add_months(issued, 120));
        spans.push(Span {
            cat: self.cats.disabled[grade],
            start: issued,
            end: valid_to,
        });
        let county = self.record_county(rng, core.county);
        let dk = self.spoil(
            rng,
            &[
                DirtyKind::BadChecksum,
                DirtyKind::BadDate,
                DirtyKind::Duplicate,
                DirtyKind::NameConflict,
            ],
        );
        let s = out.text.len();
        let t = &mut out.text;
        push_id(t, who.id, dk, rng);
        push_num(t, kind as u32 + 1, 1);
        push_num(t, grade as u32 + 1, 1);
        match weighted(rng, &[95, 4, 1]) {
            0 => {}
            1 => t.push_str("B1"),
            _ => t.push_str("B2"),
        }
        t.push(',');
        t.push_str(name_for(who, dk));
        t.push(',');
        t.push_str(DISABILITY_KINDS[kind]);
        t.push(',');
        if chance(rng, 0.1) {
            push_num(t, grade as u32 + 1, 1);
        } else {
            t.push_str(GRADE_TEXTS[grade]);
        }
        t.push(',');
        let form = if chance(rng, 0.2) {
            DateForm::Compact
        } else {
            DateForm::Iso
        };
        push_date_or_bad(t, issued, form, dk, rng);
        t.push(',');
        if let Some(v) = valid_to {
            push_date(t, v, DateForm::Iso);
        }
        t.push(',');
        let code = self.region_code(rng, county);
        t.push_str(&code);
        finish(out, OutFile::Disability, s, dk);
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn veterans(
        &self,
        rng: &mut Rng,
        core: &Core,
        who: &Who,
        born19: bool,
        age: i64,
        spans: &mut Vec<Span>,
        out: &mut Out,
    ) {
        let (cat, text) = if age >= 30 && chance(rng, 0.008) {
            (
                self.cats.youfu,
                TEXT_YOUFU[weighted(rng, &[70, 8, 8, 6, 4, 4])],
            )
        } else if !core.male && age >= 75 && chance(rng, 0.004) {
            (self.cats.widow, "离休干部遗孀")
        } else {
            return;
        };
        let start = self.recognised(rng, ymd(1995, 1, 1), core.birth);
        let end = if chance(rng, 0.02) {
            date_in(rng, start + Duration::days(30), self.as_of)
        } else {
            None
        };
        spans.push(Span { cat, start, end });
        let county = self.record_county(rng, core.county);
        let dk = self.spoil(rng, legacy_if(born19, &ROSTER_SPOILS));
        let s = out.text.len();
        let t = &mut out.text;
        t.push_str(name_for(who, dk));
        t.push(',');
        push_id(t, who.id, dk, rng);
        t.push(',');
        t.push_str(text);
        t.push(',');
        push_date_or_bad(t, start, DateForm::Iso, dk, rng);
        t.push(',');
        let code = self.region_code(rng, county);
        t.push_str(&code);
        t.push(',');
        if let Some(e) = end {
            push_date(t, e, DateForm::Iso);
        }
        finish(out, OutFile::Veterans, s, dk);
    }

    /// 乡镇街道, 村社区, 联系电话 — filled on ~30% of identity rows.
    pub(super) fn outreach(&self, rng: &mut Rng, t: &mut String) {
        if chance(rng, 0.3) {
            t.push_str(TOWNS[rng.usize(0..TOWNS.len())]);
            t.push(',');
            t.push_str(VILLAGES[rng.usize(0..VILLAGES.len())]);
            t.push(',');
            t.push_str(["13", "15", "18"][rng.usize(0..3)]);
            push_num(t, rng.u32(0..1_000_000_000), 9);
        } else {
            t.push_str(",,");
        }
    }
}
