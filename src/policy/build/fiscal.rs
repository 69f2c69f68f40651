//! `[fiscal]`: the per-capita fiscal subsidy split (财政补助分担).

use super::Ctx;
use crate::error::Result;
use crate::policy::raw::RawPolicy;
use crate::policy::Fiscal;

pub(super) fn fiscal(raw: &RawPolicy, cx: &Ctx) -> Result<Option<Fiscal>> {
    let Some(f) = &raw.fiscal else {
        return Ok(None);
    };
    let total = f.central_bp + f.region_bp + f.local_bp;
    if total != 10_000 {
        return Err(cx.err(
            "fiscal",
            format!("central_bp + region_bp + local_bp = {total}，应为 10000（100%）；central_bp + region_bp + local_bp = {total}, expected 10000 (100%)"),
        ));
    }
    if f.advance_percent > 100 {
        return Err(cx.err(
            "fiscal.advance_percent",
            format!(
                "{} 超过 100；{} is above 100",
                f.advance_percent, f.advance_percent
            ),
        ));
    }
    for (tier, pct) in &f.city_share_percent {
        if *pct > 100 {
            return Err(cx.err(
                format!("fiscal.city_share_percent.{tier}"),
                format!("{pct} 超过 100；{pct} is above 100"),
            ));
        }
    }
    for (county, tier) in &f.county_tiers {
        if !f.city_share_percent.contains_key(tier) {
            return Err(cx.err(
                format!("fiscal.county_tiers.{county}"),
                format!("`{tier}` 不在 fiscal.city_share_percent 中；tier `{tier}` is not in fiscal.city_share_percent"),
            ));
        }
        if !raw.counties.contains_key(county) {
            return Err(cx.err(
                format!("fiscal.county_tiers.{county}"),
                "该区县未在 [counties] 中登记；county is not listed in [counties]",
            ));
        }
    }
    Ok(Some(f.clone()))
}
