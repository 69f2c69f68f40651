//! `[policy]` and `[concentrated_period]`: who, which year, and the 集中征缴期.

use chrono::NaiveDate;

use super::Ctx;
use crate::error::Result;
use crate::policy::raw::RawPolicy;

pub(super) struct Header {
    pub id: String,
    pub region_code: String,
    pub region_name: String,
    /// The code with trailing `00` pairs removed (`64`, `1507`).
    pub prefix: String,
    pub year: i32,
    pub source: String,
    pub c0: NaiveDate,
    pub c1: NaiveDate,
}

pub(super) fn header(raw: &RawPolicy, cx: &Ctx) -> Result<Header> {
    let h = &raw.policy;
    if h.region_code.len() != 6 || !h.region_code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(cx.err(
            "policy.region_code",
            format!(
                "`{}` 不是 6 位区划代码（如 640000）；`{}` is not a 6-digit division code such as 640000",
                h.region_code, h.region_code
            ),
        ));
    }
    let mut prefix = h.region_code.as_str();
    while prefix.len() > 2 && prefix.ends_with("00") {
        prefix = &prefix[..prefix.len() - 2];
    }
    if !(1990..=2100).contains(&h.year) {
        return Err(cx.err(
            "policy.year",
            format!(
                "{} 不是合理的参保年度（1990–2100）；{} is not a plausible policy year",
                h.year, h.year
            ),
        ));
    }
    let (c0, c1) = (
        raw.concentrated_period.start.0,
        raw.concentrated_period.end.0,
    );
    if c1 < c0 {
        return Err(cx.err(
            "concentrated_period.end",
            format!("结束日 {c1} 早于开始日 {c0}；{c1} is before the start {c0}"),
        ));
    }
    Ok(Header {
        id: h.id.clone(),
        region_code: h.region_code.clone(),
        region_name: h.region_name.clone(),
        prefix: prefix.to_string(),
        year: h.year,
        source: h.source.clone(),
        c0,
        c1,
    })
}
