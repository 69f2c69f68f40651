//! `[counties]` and `[[county_override]]`: the region's counties, and the
//! tiers and amounts that differ in some of them (区县代缴标准).

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::tiers::{categories, price, Tiers};
use super::Ctx;
use crate::domain::Vocabulary;
use crate::error::Result;
use crate::policy::model::{grade_by_ref, CountyOverride, GradeRef, Population};
use crate::policy::raw::RawPolicy;

/// Every county code lies in the region.
pub(super) fn check_codes(raw: &RawPolicy, cx: &Ctx, prefix: &str) -> Result<()> {
    for code in raw.counties.keys() {
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) || !code.starts_with(prefix)
        {
            return Err(cx.err(
                format!("counties.{code}"),
                format!(
                    "应为本地区 {} 的 6 位区县代码；expected a 6-digit county code of region {}",
                    raw.policy.region_code, raw.policy.region_code
                ),
            ));
        }
    }
    Ok(())
}

/// County code → what differs there. A county may appear in several
/// `[[county_override]]` tables as long as they do not replace the same thing.
pub(super) fn overrides(
    raw: &RawPolicy,
    cx: &Ctx,
    vocab: &Vocabulary,
    pops: &[Population],
    tiers: &Tiers,
    c1: NaiveDate,
) -> Result<BTreeMap<String, CountyOverride>> {
    let default = GradeRef {
        population: 0,
        grade: pops[0].default_grade,
    };
    let mut out: BTreeMap<String, CountyOverride> = BTreeMap::new();
    for (i, o) in raw.county_override.iter().enumerate() {
        let key = format!("county_override[{i}]");
        if o.counties.is_empty() {
            return Err(cx.err(
                format!("{key}.counties"),
                "至少需要一个区县代码；an override needs at least one county",
            ));
        }
        for (j, c) in o.counties.iter().enumerate() {
            if !raw.counties.contains_key(c) {
                return Err(cx.err(
                    format!("{key}.counties[{j}]"),
                    format!("区县 `{c}` 未在 [counties] 中登记；county `{c}` is not listed in [counties]"),
                ));
            }
        }
        let mut one = CountyOverride {
            keys: vec![key.clone()],
            ..CountyOverride::default()
        };
        for (j, g) in o.grade.iter().enumerate() {
            let gkey = format!("{key}.grade[{j}]");
            let gr = grade_by_ref(pops, &g.grade).ok_or_else(|| {
                cx.err(
                    format!("{gkey}.grade"),
                    format!(
                        "`{}` 不是本政策的缴费档次；`{}` names no grade of this policy",
                        g.grade, g.grade
                    ),
                )
            })?;
            if g.ordinary.is_none() && g.bands.is_none() {
                return Err(cx.err(gkey, "需要 ordinary 或 bands；give ordinary or bands"));
            }
            if let Some(v) = g.ordinary {
                if v <= crate::domain::Fen::ZERO {
                    return Err(cx.err(
                        format!("{gkey}.ordinary"),
                        "普通缴费额必须大于零；the ordinary contribution must be above zero",
                    ));
                }
                if one.ordinary.insert(gr, v).is_some() {
                    return Err(twice(cx, &gkey));
                }
            }
            if let Some(b) = &g.bands {
                let bands = super::grades::bands(cx, &format!("{gkey}.bands"), b, c1)?;
                if one.bands.insert(gr, bands).is_some() {
                    return Err(twice(cx, &gkey));
                }
            }
        }
        let mut tier_of: Option<HashMap<_, _>> = None;
        for (j, t) in o.tier.iter().enumerate() {
            let tkey = format!("{key}.tier[{j}]");
            let ti = raw
                .tier
                .iter()
                .position(|x| x.id == t.tier)
                .ok_or_else(|| {
                    cx.err(
                        format!("{tkey}.tier"),
                        format!(
                            "`{}` 不是 [[tier]] 的 id；`{}` is not a tier id",
                            t.tier, t.tier
                        ),
                    )
                })?;
            let rp = t.price();
            if let Some(codes) = &t.categories {
                let map = tier_of.get_or_insert_with(|| tiers.tier_of.clone());
                map.retain(|_, v| *v != ti);
                categories(cx, vocab, &tkey, codes, map, ti, raw)?;
            } else if !rp.is_given() {
                return Err(cx.err(
                    tkey,
                    "需要 categories 或定价（personal / subsidy / subsidy_percent 与 payers / shares）；give categories or a price",
                ));
            }
            if rp.is_given() {
                let (g, p) = price(cx, raw, pops, default, &tkey, &rp)?;
                if one.prices.insert((ti, g), p).is_some() {
                    return Err(twice(cx, &tkey));
                }
            }
        }
        one.tier_of = tier_of;
        for c in &o.counties {
            merge(cx, &key, out.entry(c.clone()).or_default(), &one)?;
        }
    }
    Ok(out)
}

fn twice(cx: &Ctx, key: &str) -> crate::error::Error {
    cx.err(
        key,
        "同一区县的同一项被替换了两次；the same thing is replaced twice for these counties",
    )
}

/// Adds one override table to a county's: nothing may be replaced twice.
fn merge(cx: &Ctx, key: &str, into: &mut CountyOverride, one: &CountyOverride) -> Result<()> {
    for (g, v) in &one.ordinary {
        if into.ordinary.insert(*g, *v).is_some() {
            return Err(twice(cx, key));
        }
    }
    for (g, v) in &one.bands {
        if into.bands.insert(*g, v.clone()).is_some() {
            return Err(twice(cx, key));
        }
    }
    for (k, v) in &one.prices {
        if into.prices.insert(*k, v.clone()).is_some() {
            return Err(twice(cx, key));
        }
    }
    if let Some(m) = &one.tier_of {
        if into.tier_of.replace(m.clone()).is_some() {
            return Err(twice(cx, key));
        }
    }
    into.keys.extend(one.keys.iter().cloned());
    Ok(())
}
