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
    pub contribution: RawContribution,
    #[serde(default)]
    pub tier: Vec<RawTier>,
    #[serde(default)]
    pub payers: BTreeMap<String, String>,
    pub late_payment: RawLatePayment,
    pub waiting_period: RawWaiting,
    pub dynamic_enrollment: RawDynamic,
    pub newborn: RawNewborn,
    pub refunds: RawRefunds,
    pub fiscal: Option<RawFiscal>,
    #[serde(default)]
    pub coverage_group: Vec<RawCoverageGroup>,
    pub counties: BTreeMap<String, String>,
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTier {
    pub id: String,
    pub name: String,
    pub personal: Fen,
    pub categories: Vec<String>,
    pub payers: BTreeMap<String, Fen>,
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
