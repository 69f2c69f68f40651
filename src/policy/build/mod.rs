//! From the file as written ([`RawPolicy`]) to a validated [`Policy`], one
//! step per section of the policy file, in the file's order: header and
//! period, categories, contribution and grades (with late payment), tiers and
//! payers, waiting, dynamic enrollment and newborns, refunds, fiscal,
//! coverage, counties and their overrides — and last the check that every
//! (population, grade, tier, county) adds up. A new key has its section's
//! file as its home.

mod categories;
mod counties;
mod coverage;
mod fiscal;
mod grades;
mod header;
mod refunds;
mod tiers;
mod waiting;

use crate::domain::{Category, County, Vocabulary};
use crate::error::{Error, Result};

use super::raw::RawPolicy;
use super::Policy;

/// What every section needs: the file name for errors, and (once built) the
/// vocabulary for category codes.
pub(super) struct Ctx<'a> {
    pub file: &'a str,
}

impl Ctx<'_> {
    /// A policy error at `key`.
    pub fn err(&self, key: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Policy {
            file: self.file.to_string(),
            key: key.into(),
            message: message.into(),
        }
    }

    /// The category `code` names, or an error at `key`.
    pub fn cat(&self, vocab: &Vocabulary, key: &str, code: &str) -> Result<Category> {
        vocab.category(code).ok_or_else(|| {
            self.err(
                key,
                format!("未知的身份类别代码 `{code}`：应为 schemas/categories.toml 或本政策 [[category]] 中的代码；unknown category `{code}`; expected a code from schemas/categories.toml or the policy's [[category]]"),
            )
        })
    }
}

/// `parse_toml` says "…: key `a.b` (line n): msg"; split it for the error type.
pub(super) fn split_key(m: &str) -> (String, String) {
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

pub(super) fn build(raw: RawPolicy, file: &str, base_vocab: &Vocabulary) -> Result<Policy> {
    let cx = Ctx { file };
    // First the ranges the rules can compute with: every later check may
    // then add amounts and days without overflowing.
    super::limits::check(&raw, file)?;
    let head = header::header(&raw, &cx)?;
    let vocab = categories::vocabulary(&raw, &cx, base_vocab)?;
    let narrowings = categories::narrowings(&raw, &cx, &vocab)?;
    let grades = grades::grades(&raw, &cx, head.c1)?;
    let tiers = tiers::tiers(&raw, &cx, &vocab, &grades.populations)?;
    let waiting = waiting::waiting(&raw, &cx, &vocab)?;
    let dynamic = waiting::dynamic(&raw, &cx, &vocab)?;
    let newborn_days = waiting::newborn(&raw, &cx)?;
    let refunds = refunds::refunds(&raw, &cx)?;
    let fiscal = fiscal::fiscal(&raw, &cx)?;
    let coverage_groups = coverage::groups(&raw, &cx, &vocab)?;
    counties::check_codes(&raw, &cx, &head.prefix)?;
    let overrides = counties::overrides(&raw, &cx, &vocab, &grades.populations, &tiers, head.c1)?;

    let default = grades.default_ref();
    let default_grade =
        &grades.populations[usize::from(default.population)].grades[usize::from(default.grade)];
    let (ordinary, bands) = (default_grade.ordinary, default_grade.bands.clone());
    let mut policy = Policy {
        id: head.id,
        region_code: head.region_code,
        region_prefix: head.prefix,
        region_name: head.region_name,
        year: head.year,
        source: head.source,
        c0: head.c0,
        c1: head.c1,
        ordinary,
        tiers: tiers.tiers,
        tier_of: tiers.tier_of,
        payers: raw.payers.clone(),
        bands,
        populations: grades.populations,
        default_population: grades.default_population,
        implicit_grades: grades.implicit,
        prices: tiers.prices,
        overrides,
        narrowings,
        waiting,
        dynamic,
        newborn_days,
        refunds,
        fiscal,
        coverage_groups,
        counties: raw.counties.clone(),
        // Every key is a 6-digit code (`check_codes`): each parses to itself.
        listed: raw
            .counties
            .keys()
            .filter_map(|k| County::parse(k))
            .collect(),
        vocab,
        sha256: String::new(),
        price_table: Default::default(),
    };
    tiers::check_every_price(&policy, &cx)?;
    tiers::fill_default_prices(&mut policy);
    policy.price_table = super::priced::PriceTable::build(&policy);
    Ok(policy)
}
