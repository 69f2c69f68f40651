//! The policy file as written (`policies/<region>-<year>.toml`), before
//! validation. Unknown keys are errors (`deny_unknown_fields`).

use std::collections::BTreeMap;

use serde::{de, Deserialize, Deserializer};

use crate::domain::vocab::ExtraCategory;
use crate::domain::Fen;

/// A date written as a TOML local date (`2025-10-29`) or a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PolicyDate(pub chrono::NaiveDate);

impl<'de> Deserialize<'de> for PolicyDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<PolicyDate, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            Toml(toml::value::Datetime),
            Text(String),
        }
        let date = match Either::deserialize(d)? {
            Either::Toml(dt) => {
                let day = dt
                    .date
                    .ok_or_else(|| de::Error::custom("expected a date such as 2025-10-29"))?;
                if dt.time.is_some() {
                    return Err(de::Error::custom(
                        "expected a date without a time, such as 2025-10-29",
                    ));
                }
                chrono::NaiveDate::from_ymd_opt(
                    i32::from(day.year),
                    u32::from(day.month),
                    u32::from(day.day),
                )
            }
            Either::Text(s) => crate::domain::parse_date(&s),
        };
        date.map(PolicyDate)
            .ok_or_else(|| de::Error::custom("expected a date such as 2025-10-29"))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPolicy {
    pub policy: RawHeader,
    pub concentrated_period: RawPeriod,
    /// Required in a one-grade policy; absent when `[[population]]` declares grades.
    pub contribution: Option<RawContribution>,
    /// Issue 14: populations (人员类别) with their contribution grades (档次).
    #[serde(default)]
    pub population: Vec<RawPopulation>,
    #[serde(default)]
    pub tier: Vec<RawTier>,
    #[serde(default)]
    pub payers: BTreeMap<String, String>,
    /// Required in a one-grade policy; a multi-grade policy gives `bands` per grade.
    pub late_payment: Option<RawLatePayment>,
    pub waiting_period: RawWaiting,
    pub dynamic_enrollment: RawDynamic,
    pub newborn: RawNewborn,
    pub refunds: RawRefunds,
    pub fiscal: Option<RawFiscal>,
    #[serde(default)]
    pub coverage_group: Vec<RawCoverageGroup>,
    #[serde(default)]
    pub counties: BTreeMap<String, String>,
    /// Issue 14: tiers and amounts that differ in listed counties.
    #[serde(default)]
    pub county_override: Vec<RawCountyOverride>,
    /// Issue 14: categories narrowed by an attribute of their source record.
    #[serde(default)]
    pub narrowing: Vec<RawNarrowing>,
    /// Extra texts for existing categories: text → code.
    #[serde(default)]
    pub aliases: BTreeMap<String, String>,
    /// The region's own finer categories.
    #[serde(default)]
    pub category: Vec<ExtraCategory>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHeader {
    pub id: String,
    pub region_code: String,
    pub region_name: String,
    pub year: i32,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPeriod {
    pub start: PolicyDate,
    pub end: PolicyDate,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawContribution {
    pub ordinary: Fen,
}

/// `[[population]]`: a population (人员类别) with its own grades.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPopulation {
    pub id: String,
    pub name: String,
    /// Texts of the export's 人员类别 column that name it (besides `name`).
    #[serde(default)]
    pub texts: Vec<String>,
    /// The grade of rows without a grade text; the first grade when absent.
    pub default_grade: Option<String>,
    pub grade: Vec<RawGrade>,
}

/// `[[population.grade]]`: one contribution grade (缴费档次).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGrade {
    pub id: String,
    pub name: String,
    /// Texts of the export's 缴费档次 column that name it (besides `name`).
    #[serde(default)]
    pub texts: Vec<String>,
    pub ordinary: Fen,
    #[serde(default)]
    pub bands: Vec<RawBand>,
}

/// How a tier prices one grade: exactly one of `personal`, `subsidy`,
/// `subsidy_percent`; payers by `payers` (amounts) or `shares` (percent).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPrice {
    /// `population.grade` (or a grade id unique in the policy); the default grade when absent.
    pub grade: Option<String>,
    pub personal: Option<Fen>,
    pub subsidy: Option<Fen>,
    pub subsidy_percent: Option<u32>,
    /// Cap the subsidy at this tier's subsidy on another grade.
    pub cap: Option<String>,
    #[serde(default)]
    pub payers: BTreeMap<String, Fen>,
    #[serde(default)]
    pub shares: BTreeMap<String, u32>,
}

impl RawPrice {
    /// Whether any pricing key is given.
    pub fn is_given(&self) -> bool {
        self.personal.is_some()
            || self.subsidy.is_some()
            || self.subsidy_percent.is_some()
            || self.cap.is_some()
            || !self.payers.is_empty()
            || !self.shares.is_empty()
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTier {
    pub id: String,
    pub name: String,
    pub categories: Vec<String>,
    /// The one-grade form (today's): the price at the default grade.
    pub personal: Option<Fen>,
    pub subsidy: Option<Fen>,
    pub subsidy_percent: Option<u32>,
    pub cap: Option<String>,
    #[serde(default)]
    pub payers: BTreeMap<String, Fen>,
    #[serde(default)]
    pub shares: BTreeMap<String, u32>,
    /// `[[tier.price]]`: the price per grade.
    #[serde(default)]
    pub price: Vec<RawPrice>,
}

impl RawTier {
    /// The tier's top-level pricing keys as a price at the default grade.
    pub fn top_price(&self) -> RawPrice {
        RawPrice {
            grade: None,
            personal: self.personal,
            subsidy: self.subsidy,
            subsidy_percent: self.subsidy_percent,
            cap: self.cap.clone(),
            payers: self.payers.clone(),
            shares: self.shares.clone(),
        }
    }
}

/// `[[county_override]]`: what differs in the listed counties.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCountyOverride {
    pub counties: Vec<String>,
    #[serde(default)]
    pub grade: Vec<RawGradeOverride>,
    #[serde(default)]
    pub tier: Vec<RawTierOverride>,
}

/// `[[county_override.grade]]`: a grade's amount or bands in those counties.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGradeOverride {
    pub grade: String,
    pub ordinary: Option<Fen>,
    pub bands: Option<Vec<RawBand>>,
}

/// `[[county_override.tier]]`: a tier's categories, or its price at one
/// grade, in those counties.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTierOverride {
    pub tier: String,
    pub categories: Option<Vec<String>>,
    pub grade: Option<String>,
    pub personal: Option<Fen>,
    pub subsidy: Option<Fen>,
    pub subsidy_percent: Option<u32>,
    pub cap: Option<String>,
    #[serde(default)]
    pub payers: BTreeMap<String, Fen>,
    #[serde(default)]
    pub shares: BTreeMap<String, u32>,
}

impl RawTierOverride {
    pub fn price(&self) -> RawPrice {
        RawPrice {
            grade: self.grade.clone(),
            personal: self.personal,
            subsidy: self.subsidy,
            subsidy_percent: self.subsidy_percent,
            cap: self.cap.clone(),
            payers: self.payers.clone(),
            shares: self.shares.clone(),
        }
    }
}

/// `[[narrowing]]`: records of `source` holding `category` whose `column`
/// reads one of `values` hold `becomes` instead.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNarrowing {
    pub source: String,
    pub category: String,
    pub column: String,
    pub values: Vec<String>,
    pub becomes: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLatePayment {
    pub bands: Vec<RawBand>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBand {
    pub from: PolicyDate,
    pub to: PolicyDate,
    pub amount: Fen,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWaiting {
    pub fixed_days: Option<u32>,
    pub fixed_months: Option<u32>,
    pub gap_waits: bool,
    #[serde(default)]
    pub per_gap_year_months: u32,
    #[serde(default)]
    pub min_variable_months_after_4_years: u32,
    #[serde(default)]
    pub exempt_dynamic_groups: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDynamic {
    pub categories: Vec<String>,
    pub recognised_after_concentrated_only: bool,
    #[serde(default)]
    pub groups: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNewborn {
    pub window_days: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRefunds {
    pub hardship_diff: RawRefundRule,
    pub duplicate: Option<RawRefundRule>,
    pub joined_employee: Option<RawRefundRule>,
    pub deceased: Option<RawRefundRule>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RefundMode {
    /// Listed as payable (自动退费).
    Auto,
    /// Listed for a person to confirm (人工复核).
    Review,
    /// Not listed.
    Off,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRefundRule {
    pub mode: RefundMode,
    pub deadline: Option<PolicyDate>,
    #[serde(default)]
    pub paid_in_concentrated_period_only: bool,
    pub death_before: Option<PolicyDate>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFiscal {
    pub per_capita: Fen,
    pub advance_percent: u32,
    pub central_bp: u32,
    pub region_bp: u32,
    pub local_bp: u32,
    pub city_share_percent: BTreeMap<String, u32>,
    pub county_tiers: BTreeMap<String, String>,
    /// A sentence for the summary (e.g. that the year's figures are provisional).
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCoverageGroup {
    pub id: String,
    pub name: String,
    pub kind: CoverageKind,
    #[serde(default)]
    pub categories: Vec<String>,
    pub target_percent: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CoverageKind {
    /// Persons holding any of the listed categories at T.
    Categories,
    /// Newborns at T (from the resident register).
    Newborn,
    /// Everyone alive in the resident register.
    Overall,
}
