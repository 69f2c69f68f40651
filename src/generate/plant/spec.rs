//! SPEC §4's sentences as small functions over the policy file's numbers —
//! the planted shapes' answers are written with these, independently of
//! `crate::rules`.

use chrono::{Datelike, Duration, NaiveDate};

use super::rows::transfer;
use super::{Ctx, Expect, Person};
use crate::domain::Fen;
use crate::policy::{RefundMode, RefundRule};

pub fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// Amounts as the lists print them: `320.00`, `-320.00`.
pub fn yuan(f: Fen) -> String {
    let sign = if f.0 < 0 { "-" } else { "" };
    let v = f.0.unsigned_abs();
    format!("{sign}{}.{:02}", v / 100, v % 100)
}

pub fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// "Month arithmetic is calendar months, clamped to the month's end."
pub fn plus_months(d: NaiveDate, months: u32) -> NaiveDate {
    let total = d.year() * 12 + d.month0() as i32 + months as i32;
    let (y, m) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
    let mut dd = d.day();
    loop {
        if let Some(x) = NaiveDate::from_ymd_opt(y, m, dd) {
            return x;
        }
        dd -= 1;
    }
}

impl Ctx<'_> {
    pub fn ordinary(&self) -> Fen {
        self.policy.ordinary
    }

    /// The tier index of a category code (`None`: the policy gives it no tier).
    pub fn tier(&self, cat: &str) -> Option<usize> {
        let c = self.policy.vocab.category(cat)?;
        self.policy
            .tiers
            .iter()
            .position(|t| t.categories.contains(&c))
    }

    /// "A category the policy gives no tier counts as ordinary for amounts."
    pub fn personal(&self, cat: &str) -> Fen {
        match self.tier(cat) {
            Some(t) => self.policy.tiers[t].personal,
            None => self.ordinary(),
        }
    }

    /// Subsidised: a tier whose personal amount is below ordinary.
    pub fn subsidised(&self, cat: &str) -> bool {
        self.personal(cat) < self.ordinary()
    }

    /// `best(set)`: the lowest personal amount, ties to the policy's tier order.
    pub fn best<'c>(&self, cats: &[&'c str]) -> Option<&'c str> {
        cats.iter()
            .copied()
            .min_by_key(|c| (self.personal(c), self.tier(c).unwrap_or(usize::MAX)))
    }

    /// The late-payment band a payment on `d` falls in.
    pub fn band(&self, d: NaiveDate) -> Option<Fen> {
        self.policy
            .bands
            .iter()
            .find(|b| b.from <= d && d <= b.to)
            .map(|b| b.amount)
    }

    /// R1 for a person whose best identity at `T` is `best` (`None` = no
    /// tiered identity): the tier's amount; for an ordinary, non-exempt
    /// resident after `C1`, the band for `T`.
    pub fn due_at_t(&self, best: Option<&str>) -> Fen {
        match best.filter(|c| self.tier(c).is_some()) {
            Some(c) => self.personal(c),
            None if self.t > self.c1 => self.band(self.t).unwrap_or(self.ordinary()),
            None => self.ordinary(),
        }
    }

    /// The payer codes of a category's tier (empty for ordinary).
    pub fn payers(&self, cat: Option<&str>) -> Vec<(String, Fen)> {
        match cat.and_then(|c| self.tier(c)) {
            Some(t) => self.policy.tiers[t]
                .payers
                .iter()
                .map(|(k, v)| (k.clone(), *v))
                .collect(),
            None => Vec::new(),
        }
    }

    /// A refund's status and deadline (R3): the policy's mode; past its
    /// deadline at `T`, `expired`; a reason the policy does not mention is
    /// `review` with no deadline.
    pub fn refund_terms(&self, rule: Option<&RefundRule>) -> (&'static str, String) {
        let Some(r) = rule else {
            return ("review", String::new());
        };
        let deadline = r.deadline.map(day).unwrap_or_default();
        let status = match (r.mode, r.deadline) {
            (_, Some(dl)) if self.t > dl => "expired",
            (RefundMode::Auto, _) => "payable",
            _ => "review",
        };
        (status, deadline)
    }

    /// R9: `settled` when the row paid the tier's amount or an `auto`
    /// HARDSHIP_DIFF refund brings it there, `pending_review` when only a
    /// `review` refund does.
    pub fn subsidy_status(&self, cat: &str, paid: Fen) -> &'static str {
        if paid == self.personal(cat) || self.policy.refunds.hardship_diff.mode == RefundMode::Auto
        {
            "settled"
        } else {
            "pending_review"
        }
    }

    /// R6's expected benefit start: max(d, Y-01-01) + fixed wait + per-gap-year
    /// wait × max(0, gap − 修复年数), at least the policy's minimum variable
    /// months after a gap of ≥ 4 years; months summed and added once.
    pub fn expected_start(&self, d: NaiveDate, gap: u32, repair: u32) -> NaiveDate {
        let w = &self.policy.waiting;
        let from = d.max(ymd(self.y, 1, 1)) + Duration::days(i64::from(w.fixed_days));
        let mut variable = 0;
        if w.gap_waits && w.per_gap_year_months > 0 {
            variable = w.per_gap_year_months * gap.saturating_sub(repair);
            if gap >= 4 {
                variable = variable.max(w.min_variable_months_after_4_years);
            }
        }
        plus_months(from, w.fixed_months + variable)
    }

    /// Whether R6 lists a non-exempt payment on `d` with this gap: late, or a
    /// gap where the policy puts waits on gaps.
    pub fn r6_lists(&self, d: NaiveDate, gap: u32) -> bool {
        d > self.c1 || (gap >= 1 && self.policy.waiting.gap_waits)
    }

    /// R6's expected amount: the band for `d` if late, else ordinary.
    pub fn expected_amount(&self, d: NaiveDate) -> Fen {
        if d > self.c1 {
            self.band(d).unwrap_or(self.ordinary())
        } else {
            self.ordinary()
        }
    }

    /// A newborn at `T`: 0 ≤ T − birth ≤ the policy's window.
    pub fn newborn(&self) -> bool {
        let age = (self.t - self.birth).num_days();
        (0..=i64::from(self.policy.newborn_days)).contains(&age)
    }

    /// R5's 动态参保 verdict for a category recognised on `start` (asserted
    /// only after `C1`; inside the period everyone may still pay).
    pub fn dynamic_open(&self, cat: Option<&str>, start: NaiveDate) -> Option<&'static str> {
        if self.t <= self.c1 {
            return None;
        }
        let dy = &self.policy.dynamic;
        let open = cat
            .and_then(|c| self.policy.vocab.category(c))
            .is_some_and(|c| dy.categories.contains(&c))
            && (!dy.recognised_after_concentrated_only || start > self.c1);
        Some(if open { "是" } else { "否" })
    }

    /// R7, word for word: "a person with an identity at `T` whose recognition
    /// county (区划代码, 6 digits) differs from the 参保区划代码 of their 390
    /// row for `Y`" — one transfer per such row, whatever R3 does with it (a
    /// refunded DUPLICATE row in another county is listed too). The
    /// recognition county is the 区划代码 of the record giving `best` at `T`,
    /// ties to the lowest code.
    pub fn transfers(&self, p: &Person) -> Vec<Expect> {
        let six = |k: &str| k.chars().take(6).collect::<String>();
        let recognition = p
            .ids
            .iter()
            .filter(|i| i.start <= self.t && i.end.is_none_or(|e| self.t < e))
            .map(|i| {
                let rank = self.tier(i.cat).unwrap_or(usize::MAX);
                (self.personal(i.cat), rank, six(&i.county))
            })
            .min()
            .map(|(_, _, county)| county);
        let Some(from) = recognition else {
            return Vec::new();
        };
        p.rows
            .iter()
            .filter(|r| r.year == self.y && r.scheme == "390" && six(&r.county) != from)
            .map(|r| transfer(&from, &r.county))
            .collect()
    }

    /// A payment day inside the concentrated period, a week after it opens.
    pub fn d_in(&self) -> NaiveDate {
        self.c0 + Duration::days(7)
    }

    /// A late payment day, 20 days after the period.
    pub fn d_late(&self) -> NaiveDate {
        self.c1 + Duration::days(20)
    }

    /// Five covered history years (`Y`-5 … `Y`-1), paid each November.
    pub fn history(&self) -> Vec<super::Enr> {
        (self.y - 5..self.y)
            .map(|yr| self.covered_year(yr))
            .collect()
    }

    pub fn covered_year(&self, yr: i32) -> super::Enr {
        super::Enr::resident(yr, self.home, self.ordinary(), Some(ymd(yr - 1, 11, 1)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::schema::Schemas;
    use crate::policy::Policy;

    fn policy(name: &str) -> Policy {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("policies")
            .join(name);
        Policy::load(&path, &Schemas::embedded().unwrap().vocab).unwrap()
    }

    fn ctx<'a>(p: &'a Policy, t: NaiveDate) -> Ctx<'a> {
        Ctx {
            policy: p,
            t,
            y: p.year,
            c0: p.c0,
            c1: p.c1,
            home: "150702",
            other: "150703",
            birth: ymd(1970, 1, 1),
        }
    }

    #[test]
    fn months_clamp_to_the_month_end() {
        assert_eq!(plus_months(ymd(2026, 1, 31), 3), ymd(2026, 4, 30));
        assert_eq!(plus_months(ymd(2026, 1, 31), 1), ymd(2026, 2, 28));
        assert_eq!(plus_months(ymd(2025, 11, 30), 3), ymd(2026, 2, 28));
    }

    /// SPEC R6's own examples: Hulunbuir 3 + 1 months from 2026-01-31 is
    /// 2026-05-31; worked example 3 (Ningxia, 90 days from 2026-01-10) is
    /// 2026-04-10.
    #[test]
    fn expected_start_follows_the_spec_examples() {
        let hl = policy("hulunbuir-2026.toml");
        let c = ctx(&hl, ymd(2026, 1, 31));
        assert_eq!(c.expected_start(ymd(2026, 1, 31), 1, 0), ymd(2026, 5, 31));
        // A five-year gap repaired by three: at least 3 variable months.
        assert_eq!(c.expected_start(ymd(2025, 9, 29), 5, 3), ymd(2026, 7, 1));
        let nx = policy("ningxia-2026.toml");
        let c = ctx(&nx, ymd(2026, 1, 31));
        assert_eq!(c.expected_start(ymd(2026, 1, 10), 0, 0), ymd(2026, 4, 10));
    }

    fn transfers_of(
        c: &Ctx,
        ids: Vec<super::super::Ident>,
        counties: &[(i32, &str)],
    ) -> Vec<(String, String)> {
        let rows = counties
            .iter()
            .map(|(y, k)| super::super::Enr::resident(*y, k, Fen::yuan(80), Some(ymd(2025, 11, 5))))
            .collect();
        let p = super::super::Planted::of(ids, rows, Vec::new()).person;
        c.transfers(&p)
            .into_iter()
            .map(|e| (e.fields[0].1.clone(), e.fields[1].1.clone()))
            .collect()
    }

    /// SPEC R7's sentence: every 390 row for `Y` in another county than the
    /// recognition county is a transfer (a refunded DUPLICATE row too); the
    /// county is the 6-digit code of the record giving `best` at `T`, ties to
    /// the lowest code; no identity at `T`, no transfer.
    #[test]
    fn transfers_list_every_row_for_y_in_another_county() {
        use super::super::ident;
        let nx = policy("ningxia-2026.toml");
        let c = ctx(&nx, ymd(2026, 1, 31));
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        let dibao = |k: &str| ident("dibao", ymd(2024, 3, 1), None, k);
        let rows = [(2025, "150703"), (2026, "150702"), (2026, "150703")];
        assert_eq!(
            transfers_of(&c, vec![dibao("150702")], &rows),
            vec![pair("150702", "150703")]
        );
        assert_eq!(
            transfers_of(&c, vec![dibao("150702003")], &rows[..2]),
            vec![]
        );
        let ended = ident("dibao", ymd(2024, 3, 1), Some(ymd(2026, 1, 31)), "150704");
        assert_eq!(transfers_of(&c, vec![ended], &rows), vec![]);
        let twice = vec![dibao("150704"), dibao("150703")];
        assert_eq!(
            transfers_of(&c, twice, &rows),
            vec![pair("150703", "150702")]
        );
    }

    /// SPEC §3 and R1: tiers, tie order, bands and refund terms from the files.
    #[test]
    fn amounts_and_terms_come_from_the_policy() {
        let nx = policy("ningxia-2026.toml");
        let c = ctx(&nx, ymd(2026, 7, 31));
        assert_eq!(c.personal("dibao"), Fen::yuan(80));
        assert_eq!(c.personal("defacto_orphan"), Fen::yuan(400));
        assert_eq!(c.best(&["dibao", "disabled_g2"]), Some("disabled_g2"));
        assert_eq!(c.due_at_t(None), Fen::yuan(1100));
        let dup = c.refund_terms(nx.refunds.duplicate.as_ref());
        assert_eq!(dup, ("expired", "2025-12-31".to_string()));
        let hl = policy("hulunbuir-2026.toml");
        let c = ctx(&hl, ymd(2026, 1, 31));
        assert_eq!(c.best(&["disabled_g2", "dibao"]), Some("dibao"));
        assert_eq!(
            c.refund_terms(hl.refunds.duplicate.as_ref()),
            ("review", String::new())
        );
        assert_eq!(yuan(Fen(-32_000)), "-320.00");
    }
}
