//! The contribution policy of one region and year (缴费政策), loaded from a
//! TOML file and validated. No policy number lives in Rust code: amounts,
//! periods, tiers, payers, bands, waits, refund modes and targets all come from
//! the file, and every validation error names the key's path.

pub mod limits;
pub mod raw;
pub mod table;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use chrono::NaiveDate;

use crate::domain::vocab::parse_toml;
use crate::domain::{Category, Fen, Vocabulary};
use crate::error::{Error, Result};
pub use raw::{CoverageKind, RefundMode};
use raw::{RawPolicy, RawRefundRule};

/// A subsidised tier (资助档次): the personal amount its categories pay and who
/// pays the rest of the ordinary amount.
#[derive(Debug, Clone)]
pub struct Tier {
    pub id: String,
    pub name: String,
    pub personal: Fen,
    /// In the policy's order: the first held is the one printed.
    pub categories: Vec<Category>,
    /// Payer code → amount, sorted by code.
    pub payers: BTreeMap<String, Fen>,
}

/// A late-payment price band (补缴标准) for payments on `[from, to]`.
#[derive(Debug, Clone, Copy)]
pub struct Band {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub amount: Fen,
}

/// Waiting periods (待遇等待期).
#[derive(Debug, Clone)]
pub struct Waiting {
    pub fixed_days: u32,
    pub fixed_months: u32,
    pub gap_waits: bool,
    pub per_gap_year_months: u32,
    pub min_variable_months_after_4_years: u32,
    pub exempt_dynamic_groups: Vec<String>,
}

/// Who may still enrol after the concentrated period (动态参保 / 绿色通道).
#[derive(Debug, Clone)]
pub struct Dynamic {
    pub categories: BTreeSet<Category>,
    pub recognised_after_concentrated_only: bool,
    pub groups: Vec<String>,
}

/// One refund reason's rule.
#[derive(Debug, Clone)]
pub struct RefundRule {
    pub mode: RefundMode,
    pub deadline: Option<NaiveDate>,
    pub paid_in_concentrated_period_only: bool,
    pub death_before: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct Refunds {
    pub hardship_diff: RefundRule,
    /// `None`: the policy does not mention the reason (listed for review).
    pub duplicate: Option<RefundRule>,
    pub joined_employee: Option<RefundRule>,
    pub deceased: Option<RefundRule>,
}

/// The fiscal subsidy split (财政补助分担): the file's table, once validated
/// (shares add up to 100%, every tiered county is a county of the region).
pub type Fiscal = raw::RawFiscal;

#[derive(Debug, Clone)]
pub struct CoverageGroup {
    pub id: String,
    pub name: String,
    pub kind: CoverageKind,
    pub categories: BTreeSet<Category>,
    pub target_percent: u32,
}

/// A validated policy.
#[derive(Debug, Clone)]
pub struct Policy {
    pub id: String,
    pub region_code: String,
    /// The code with trailing `00` pairs removed (`64`, `1507`): every county
    /// of the region starts with it.
    pub region_prefix: String,
    pub region_name: String,
    pub year: i32,
    pub source: String,
    /// 集中征缴期 `[C0, C1]`.
    pub c0: NaiveDate,
    pub c1: NaiveDate,
    pub ordinary: Fen,
    /// In tie order.
    pub tiers: Vec<Tier>,
    tier_of: HashMap<Category, usize>,
    pub payers: BTreeMap<String, String>,
    pub bands: Vec<Band>,
    pub waiting: Waiting,
    pub dynamic: Dynamic,
    pub newborn_days: u32,
    pub refunds: Refunds,
    pub fiscal: Option<Fiscal>,
    pub coverage_groups: Vec<CoverageGroup>,
    pub counties: BTreeMap<String, String>,
    /// The schema vocabulary plus this policy's own categories and aliases.
    pub vocab: Vocabulary,
    /// SHA-256 of the policy file's bytes.
    pub sha256: String,
}

impl Policy {
    /// Loads and validates a policy file against the schema vocabulary.
    pub fn load(path: &Path, base_vocab: &Vocabulary) -> Result<Policy> {
        let display = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| Error::io(&display, e))?;
        let text = String::from_utf8(bytes.clone()).map_err(|_| Error::Policy {
            file: display.clone(),
            key: "(file)".into(),
            message: "a policy file must be UTF-8 text".into(),
        })?;
        let mut policy = Policy::from_str(&text, &display, base_vocab)?;
        policy.sha256 = crate::ingest::read::hex(&<sha2::Sha256 as sha2::Digest>::digest(&bytes));
        Ok(policy)
    }

    /// Parses and validates policy text; `file` names it in errors.
    pub fn from_str(text: &str, file: &str, base_vocab: &Vocabulary) -> Result<Policy> {
        let raw: RawPolicy = parse_toml(text, "").map_err(|m| {
            let (key, message) = split_key(&m);
            Error::Policy {
                file: file.to_string(),
                key,
                message,
            }
        })?;
        build(raw, file, base_vocab)
    }

    /// The tier a category belongs to, if any (untiered categories count as ordinary).
    pub fn tier_of(&self, c: Category) -> Option<usize> {
        self.tier_of.get(&c).copied()
    }

    /// The personal amount of a tier, or the ordinary amount for `None`.
    pub fn personal(&self, tier: Option<usize>) -> Fen {
        tier.map_or(self.ordinary, |t| self.tiers[t].personal)
    }

    /// The payer codes of a tier (empty for ordinary).
    pub fn payer_set(&self, tier: Option<usize>) -> Vec<&str> {
        tier.map(|t| self.tiers[t].payers.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// The late-payment price for a payment on `d`, if a band covers it.
    pub fn band_for(&self, d: NaiveDate) -> Option<Fen> {
        self.bands
            .iter()
            .find(|b| b.from <= d && d <= b.to)
            .map(|b| b.amount)
    }

    pub fn county_name(&self, code: &str) -> &str {
        self.counties.get(code).map(String::as_str).unwrap_or("")
    }

    pub fn payer_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.payers.get(code).map(String::as_str).unwrap_or(code)
    }
}

/// `parse_toml` says "…: key `a.b` (line n): msg"; split it for the error type.
fn split_key(m: &str) -> (String, String) {
    let m = m.trim_start_matches(": ").trim_start_matches(':').trim();
    if let Some(rest) = m.strip_prefix("key `") {
        if let Some((key, msg)) = rest.split_once('`') {
            return (
                key.to_string(),
                msg.trim_start_matches(':').trim().to_string(),
            );
        }
    }
    ("(file)".to_string(), m.to_string())
}

fn build(raw: RawPolicy, file: &str, base_vocab: &Vocabulary) -> Result<Policy> {
    // First the ranges the rules can compute with: every later check may
    // then add amounts and days without overflowing.
    limits::check(&raw, file)?;
    let err = |key: &str, message: String| Error::Policy {
        file: file.to_string(),
        key: key.to_string(),
        message,
    };
    let mut vocab = base_vocab.clone();
    vocab.extend(&raw.category, &raw.aliases).map_err(|m| {
        let (k, msg) = m.split_once(": ").unwrap_or(("aliases", &m));
        err(k, msg.to_string())
    })?;
    vocab.set_counties(crate::domain::place::CountyNames::new(&raw.counties));
    let cat = |key: &str, code: &str| -> Result<Category> {
        vocab
            .category(code)
            .ok_or_else(|| err(key, format!("unknown category `{code}`; expected a code from schemas/categories.toml or the policy's [[category]]")))
    };

    let h = &raw.policy;
    if h.region_code.len() != 6 || !h.region_code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err(
            "policy.region_code",
            format!(
                "`{}` is not a 6-digit division code such as 640000",
                h.region_code
            ),
        ));
    }
    let mut prefix = h.region_code.as_str();
    while prefix.len() > 2 && prefix.ends_with("00") {
        prefix = &prefix[..prefix.len() - 2];
    }
    if !(1990..=2100).contains(&h.year) {
        return Err(err(
            "policy.year",
            format!("{} is not a plausible policy year", h.year),
        ));
    }
    let (c0, c1) = (
        raw.concentrated_period.start.0,
        raw.concentrated_period.end.0,
    );
    if c1 < c0 {
        return Err(err(
            "concentrated_period.end",
            format!("{c1} is before the start {c0}"),
        ));
    }
    let ordinary = raw.contribution.ordinary;
    if ordinary <= Fen::ZERO {
        return Err(err(
            "contribution.ordinary",
            "the ordinary contribution must be above zero".into(),
        ));
    }

    let mut tiers = Vec::new();
    let mut tier_of = HashMap::new();
    let mut tier_ids = BTreeSet::new();
    for (i, t) in raw.tier.iter().enumerate() {
        let key = format!("tier[{i}]");
        if !tier_ids.insert(t.id.clone()) {
            return Err(err(
                &format!("{key}.id"),
                format!("tier id `{}` is used twice", t.id),
            ));
        }
        if t.personal >= ordinary {
            return Err(err(
                &format!("{key}.personal"),
                format!("{} is not below the ordinary amount {ordinary}", t.personal),
            ));
        }
        if t.categories.is_empty() {
            return Err(err(
                &format!("{key}.categories"),
                "a tier needs at least one category".into(),
            ));
        }
        let mut cats = Vec::new();
        for (j, code) in t.categories.iter().enumerate() {
            let ckey = format!("{key}.categories[{j}]");
            let c = cat(&ckey, code)?;
            if let Some(other) = tier_of.insert(c, i) {
                return Err(err(&ckey, format!("category `{code}` is already in tier[{other}] (`{}`); a category belongs to one tier", raw.tier[other].id)));
            }
            cats.push(c);
        }
        for payer in t.payers.keys() {
            if !raw.payers.contains_key(payer) {
                return Err(err(
                    &format!("{key}.payers.{payer}"),
                    format!("payer `{payer}` is not named in [payers]"),
                ));
            }
        }
        let sum: Fen = t.payers.values().copied().sum();
        if t.personal + sum != ordinary {
            return Err(err(
                &format!("{key}.payers"),
                format!("personal {} + payers {} = {}, but the ordinary amount is {ordinary}; they must add up", t.personal, sum, t.personal + sum),
            ));
        }
        tiers.push(Tier {
            id: t.id.clone(),
            name: t.name.clone(),
            personal: t.personal,
            categories: cats,
            payers: t.payers.clone(),
        });
    }

    let mut bands: Vec<Band> = Vec::new();
    for (i, b) in raw.late_payment.bands.iter().enumerate() {
        let key = format!("late_payment.bands[{i}]");
        if b.to.0 < b.from.0 {
            return Err(err(
                &key,
                format!("ends {} before it starts {}", b.to.0, b.from.0),
            ));
        }
        if b.from.0 <= c1 {
            return Err(err(
                &format!("{key}.from"),
                format!(
                    "{} is inside the concentrated period (ends {c1}); bands price late payments",
                    b.from.0
                ),
            ));
        }
        if let Some((j, o)) = bands
            .iter()
            .enumerate()
            .find(|(_, o)| b.from.0 <= o.to && o.from <= b.to.0)
        {
            return Err(err(
                &key,
                format!(
                    "{}…{} overlaps late_payment.bands[{j}] {}…{}",
                    b.from.0, b.to.0, o.from, o.to
                ),
            ));
        }
        bands.push(Band {
            from: b.from.0,
            to: b.to.0,
            amount: b.amount,
        });
    }

    let w = &raw.waiting_period;
    let (fixed_days, fixed_months) = match (w.fixed_days, w.fixed_months) {
        (Some(_), Some(_)) => {
            return Err(err(
                "waiting_period",
                "give fixed_days or fixed_months, not both".into(),
            ))
        }
        (d, m) => (d.unwrap_or(0), m.unwrap_or(0)),
    };
    let check_groups = |key: &str, groups: &[String]| -> Result<()> {
        for (i, g) in groups.iter().enumerate() {
            if !vocab.is_dynamic_group_code(g) {
                return Err(err(&format!("{key}[{i}]"), format!("unknown dynamic group `{g}`; expected a code from schemas/codes.toml [dynamic_groups]")));
            }
        }
        Ok(())
    };
    check_groups(
        "waiting_period.exempt_dynamic_groups",
        &w.exempt_dynamic_groups,
    )?;
    if !w.gap_waits && w.per_gap_year_months != 0 {
        return Err(err(
            "waiting_period.per_gap_year_months",
            "gap_waits is false, so the per-year wait must be 0".into(),
        ));
    }
    let waiting = Waiting {
        fixed_days,
        fixed_months,
        gap_waits: w.gap_waits,
        per_gap_year_months: w.per_gap_year_months,
        min_variable_months_after_4_years: w.min_variable_months_after_4_years,
        exempt_dynamic_groups: w.exempt_dynamic_groups.clone(),
    };

    let mut dyn_cats = BTreeSet::new();
    for (i, code) in raw.dynamic_enrollment.categories.iter().enumerate() {
        dyn_cats.insert(cat(&format!("dynamic_enrollment.categories[{i}]"), code)?);
    }
    check_groups("dynamic_enrollment.groups", &raw.dynamic_enrollment.groups)?;

    if raw.newborn.window_days == 0 || raw.newborn.window_days > 366 {
        return Err(err(
            "newborn.window_days",
            format!("{} is not a window of 1–366 days", raw.newborn.window_days),
        ));
    }

    let rule = |r: &RawRefundRule| RefundRule {
        mode: r.mode,
        deadline: r.deadline.map(|d| d.0),
        paid_in_concentrated_period_only: r.paid_in_concentrated_period_only,
        death_before: r.death_before.map(|d| d.0),
    };
    if raw
        .refunds
        .deceased
        .as_ref()
        .is_some_and(|r| r.death_before.is_none())
    {
        return Err(err(
            "refunds.deceased.death_before",
            "the deceased refund needs the date deaths must precede".into(),
        ));
    }
    let refunds = Refunds {
        hardship_diff: rule(&raw.refunds.hardship_diff),
        duplicate: raw.refunds.duplicate.as_ref().map(rule),
        joined_employee: raw.refunds.joined_employee.as_ref().map(rule),
        deceased: raw.refunds.deceased.as_ref().map(rule),
    };

    let fiscal = match &raw.fiscal {
        None => None,
        Some(f) => {
            let total = f.central_bp + f.region_bp + f.local_bp;
            if total != 10_000 {
                return Err(err(
                    "fiscal",
                    format!("central_bp + region_bp + local_bp = {total}, expected 10000 (100%)"),
                ));
            }
            if f.advance_percent > 100 {
                return Err(err(
                    "fiscal.advance_percent",
                    format!("{} is above 100", f.advance_percent),
                ));
            }
            for (tier, pct) in &f.city_share_percent {
                if *pct > 100 {
                    return Err(err(
                        &format!("fiscal.city_share_percent.{tier}"),
                        format!("{pct} is above 100"),
                    ));
                }
            }
            for (county, tier) in &f.county_tiers {
                if !f.city_share_percent.contains_key(tier) {
                    return Err(err(
                        &format!("fiscal.county_tiers.{county}"),
                        format!("tier `{tier}` is not in fiscal.city_share_percent"),
                    ));
                }
                if !raw.counties.contains_key(county) {
                    return Err(err(
                        &format!("fiscal.county_tiers.{county}"),
                        "county is not listed in [counties]".into(),
                    ));
                }
            }
            Some(f.clone())
        }
    };

    let mut coverage_groups = Vec::new();
    for (i, g) in raw.coverage_group.iter().enumerate() {
        let key = format!("coverage_group[{i}]");
        if g.target_percent > 100 {
            return Err(err(
                &format!("{key}.target_percent"),
                format!("{} is above 100", g.target_percent),
            ));
        }
        let mut cats = BTreeSet::new();
        for (j, code) in g.categories.iter().enumerate() {
            cats.insert(cat(&format!("{key}.categories[{j}]"), code)?);
        }
        if g.kind == CoverageKind::Categories && cats.is_empty() {
            return Err(err(
                &format!("{key}.categories"),
                "a group of kind `categories` needs categories".into(),
            ));
        }
        coverage_groups.push(CoverageGroup {
            id: g.id.clone(),
            name: g.name.clone(),
            kind: g.kind,
            categories: cats,
            target_percent: g.target_percent,
        });
    }

    for code in raw.counties.keys() {
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) || !code.starts_with(prefix)
        {
            return Err(err(
                &format!("counties.{code}"),
                format!("expected a 6-digit county code of region {}", h.region_code),
            ));
        }
    }

    Ok(Policy {
        id: h.id.clone(),
        region_code: h.region_code.clone(),
        region_prefix: prefix.to_string(),
        region_name: h.region_name.clone(),
        year: h.year,
        source: h.source.clone(),
        c0,
        c1,
        ordinary,
        tiers,
        tier_of,
        payers: raw.payers.clone(),
        bands,
        waiting,
        dynamic: Dynamic {
            categories: dyn_cats,
            recognised_after_concentrated_only: raw
                .dynamic_enrollment
                .recognised_after_concentrated_only,
            groups: raw.dynamic_enrollment.groups.clone(),
        },
        newborn_days: raw.newborn.window_days,
        refunds,
        fiscal,
        coverage_groups,
        counties: raw.counties.clone(),
        vocab,
        sha256: String::new(),
    })
}

#[cfg(test)]
mod tests;
