//! The contribution policy of one region and year (缴费政策), loaded from a
//! TOML file and validated. No policy number lives in Rust code: amounts,
//! periods, tiers, payers, bands, waits, refund modes and targets all come from
//! the file, and every validation error names the key's path.

mod build;
pub mod limits;
pub mod listed;
pub mod model;
pub mod priced;
pub mod raw;
pub mod table;
mod table_grades;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use chrono::NaiveDate;

use crate::domain::vocab::parse_toml;
use crate::domain::{Category, Fen, Vocabulary};
use crate::error::{Error, Result};
pub use model::{
    CountyKey, CountyOverride, Grade, GradeRef, Narrowing, Payers, Population, Price, Split,
    Subsidy, TierPrice,
};
use raw::RawPolicy;
pub use raw::{CoverageKind, RefundMode};

/// A subsidised tier (资助档次): the personal amount its categories pay and who
/// pays the rest of the ordinary amount. `personal` and `payers` are its price
/// at the default grade outside any county override (a one-grade policy's
/// only price); [`Policy::price`] gives every (county, grade).
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
    /// The default grade's ordinary amount (outside any county override).
    pub ordinary: Fen,
    /// In tie order.
    pub tiers: Vec<Tier>,
    tier_of: HashMap<Category, usize>,
    pub payers: BTreeMap<String, String>,
    /// The default grade's late-payment bands (outside any county override).
    pub bands: Vec<Band>,
    /// Populations (人员类别) and their grades (档次); one implicit population
    /// with one grade when the file declares none.
    pub populations: Vec<Population>,
    pub default_population: u16,
    /// No `[[population]]` in the file: the one grade is implied.
    pub implicit_grades: bool,
    /// Per tier: grade → price.
    pub prices: Vec<BTreeMap<GradeRef, TierPrice>>,
    /// County code → what differs there.
    pub overrides: BTreeMap<String, CountyOverride>,
    pub narrowings: Vec<Narrowing>,
    pub waiting: Waiting,
    pub dynamic: Dynamic,
    pub newborn_days: u32,
    pub refunds: Refunds,
    pub fiscal: Option<Fiscal>,
    pub coverage_groups: Vec<CoverageGroup>,
    pub counties: BTreeMap<String, String>,
    /// Issue 15: the `[counties]` codes as a set of [`County`] values: every
    /// row's county is checked against them ([`Policy::lists`]).
    pub listed: listed::Listed,
    /// The schema vocabulary plus this policy's own categories and aliases.
    pub vocab: Vocabulary,
    /// SHA-256 of the policy file's bytes.
    pub sha256: String,
    /// Issue 15: every (county override, grade, category) priced once, when
    /// the policy is built (the rules' `best` reads it). Built from the
    /// fields above: a policy changed after it is built must rebuild it.
    price_table: priced::PriceTable,
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
        let split_key = build::split_key;
        let raw: RawPolicy = parse_toml(text, "").map_err(|m| {
            let (key, message) = split_key(&m);
            Error::Policy {
                file: file.to_string(),
                key,
                message,
            }
        })?;
        build::build(raw, file, base_vocab)
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

    /// The county's name, or the code itself when the policy has no name for it.
    pub fn county_label<'a>(&'a self, code: &'a str) -> &'a str {
        self.counties.get(code).map_or(code, String::as_str)
    }

    pub fn payer_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.payers.get(code).map(String::as_str).unwrap_or(code)
    }
}

#[cfg(test)]
mod check_tests;
#[cfg(test)]
mod invented_tests;
#[cfg(test)]
mod tests;
