//! `[counties]` and `[[county_override]]`: the region's counties, and the
//! tiers and amounts that differ in some of them (区县代缴标准).

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::tiers::{categories, price, Tiers};
use super::Ctx;
use crate::domain::Vocabulary;
use crate::error::Result;
use crate::policy::model::{grade_by_ref, CountyOverride, GradeRef, Population};
use crate::policy::raw::{RawGradeOverride, RawPolicy, RawTierOverride};

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
    let mut out: BTreeMap<String, CountyOverride> = BTreeMap::new();
    for (i, o) in raw.county_override.iter().enumerate() {
        let key = format!("county_override[{i}]");
        listed_counties(raw, cx, &key, &o.counties)?;
        let mut one = CountyOverride {
            keys: vec![key.clone()],
            ..CountyOverride::default()
        };
        grade_changes(cx, pops, &key, &o.grade, c1, &mut one)?;
        tier_changes(raw, cx, vocab, pops, &key, &o.tier, &mut one)?;
        for c in &o.counties {
            merge(cx, &key, out.entry(c.clone()).or_default(), &one)?;
        }
    }
    for o in out.values_mut() {
        county_tier_of(cx, vocab, tiers, o)?;
    }
    Ok(out)
}

/// A county's whole category → tier map once its tables are merged: each
/// replaced tier holds its listed categories only, and a category is still
/// in one tier only.
fn county_tier_of(
    cx: &Ctx,
    vocab: &Vocabulary,
    tiers: &Tiers,
    o: &mut CountyOverride,
) -> Result<()> {
    if o.categories.is_empty() {
        return Ok(());
    }
    let mut map = tiers.tier_of.clone();
    map.retain(|_, t| !o.categories.contains_key(t));
    for (t, (key, cats)) in &o.categories {
        for (j, c) in cats.iter().enumerate() {
            if let Some(other) = map.insert(*c, *t) {
                if other != *t {
                    let code = vocab.code(*c);
                    let other_id = &tiers.tiers[other].id;
                    return Err(cx.err(
                        format!("{key}.categories[{j}]"),
                        format!("类别 `{code}` 在该区县已属于 `{other_id}`，一个类别只能属于一个资助档次；category `{code}` is already in tier `{other_id}` in this county; a category belongs to one tier"),
                    ));
                }
            }
        }
    }
    o.tier_of = Some(map);
    Ok(())
}

/// An override names at least one county, each listed in `[counties]`.
fn listed_counties(raw: &RawPolicy, cx: &Ctx, key: &str, counties: &[String]) -> Result<()> {
    if counties.is_empty() {
        return Err(cx.err(
            format!("{key}.counties"),
            "至少需要一个区县代码；an override needs at least one county",
        ));
    }
    for (j, c) in counties.iter().enumerate() {
        if !raw.counties.contains_key(c) {
            return Err(cx.err(
                format!("{key}.counties[{j}]"),
                format!(
                    "区县 `{c}` 未在 [counties] 中登记；county `{c}` is not listed in [counties]"
                ),
            ));
        }
    }
    Ok(())
}

/// `[[county_override.grade]]`: a grade's amount and bands there.
fn grade_changes(
    cx: &Ctx,
    pops: &[Population],
    key: &str,
    changes: &[RawGradeOverride],
    c1: NaiveDate,
    one: &mut CountyOverride,
) -> Result<()> {
    for (j, g) in changes.iter().enumerate() {
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
    Ok(())
}

/// `[[county_override.tier]]`: a tier's categories, or its price on a grade, there.
#[allow(clippy::too_many_arguments)]
fn tier_changes(
    raw: &RawPolicy,
    cx: &Ctx,
    vocab: &Vocabulary,
    pops: &[Population],
    key: &str,
    changes: &[RawTierOverride],
    one: &mut CountyOverride,
) -> Result<()> {
    let default = GradeRef {
        population: 0,
        grade: pops[0].default_grade,
    };
    for (j, t) in changes.iter().enumerate() {
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
            // Checked against one another once every table is merged.
            let mut alone = HashMap::new();
            let cats = categories(cx, vocab, &tkey, codes, &mut alone, ti, raw)?;
            if one.categories.insert(ti, (tkey.clone(), cats)).is_some() {
                return Err(twice(cx, &tkey));
            }
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
    Ok(())
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
    for (t, v) in &one.categories {
        if into.categories.insert(*t, v.clone()).is_some() {
            return Err(twice(cx, key));
        }
    }
    into.keys.extend(one.keys.iter().cloned());
    Ok(())
}
