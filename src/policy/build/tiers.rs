//! `[[tier]]`, `[[tier.price]]` and `[payers]`: the subsidised tiers, what
//! each prices per grade, and who pays — then the check that every
//! (population, grade, tier, county) adds up.

use std::collections::{BTreeMap, HashMap};

use super::Ctx;
use crate::domain::{Category, Fen, Vocabulary};
use crate::error::{Error, Result};
use crate::policy::model::{
    grade_by_ref, GradeRef, Population, PriceError, Split, Subsidy, TierPrice,
};
use crate::policy::raw::{RawPolicy, RawPrice};
use crate::policy::{Policy, Tier};

pub(in crate::policy) struct Tiers {
    pub tiers: Vec<Tier>,
    pub tier_of: HashMap<Category, usize>,
    pub prices: Vec<BTreeMap<GradeRef, TierPrice>>,
}

pub(super) fn tiers(
    raw: &RawPolicy,
    cx: &Ctx,
    vocab: &Vocabulary,
    pops: &[Population],
) -> Result<Tiers> {
    let default = default_ref(pops);
    let mut out = Tiers {
        tiers: Vec::new(),
        tier_of: HashMap::new(),
        prices: Vec::new(),
    };
    for (i, t) in raw.tier.iter().enumerate() {
        let key = format!("tier[{i}]");
        if let Some(j) = raw.tier[..i].iter().position(|o| o.id == t.id) {
            return Err(cx.err(
                format!("{key}.id"),
                format!(
                    "档次 id `{}` 已被 tier[{j}] 使用；tier id `{}` is used twice",
                    t.id, t.id
                ),
            ));
        }
        let cats = categories(cx, vocab, &key, &t.categories, &mut out.tier_of, i, raw)?;
        let mut prices = BTreeMap::new();
        let top = t.top_price();
        if top.is_given() {
            let (g, p) = price(cx, raw, pops, default, &key, &top)?;
            prices.insert(g, p);
        }
        for (j, rp) in t.price.iter().enumerate() {
            let pkey = format!("{key}.price[{j}]");
            let (g, p) = price(cx, raw, pops, default, &pkey, rp)?;
            if prices.insert(g, p).is_some() {
                return Err(cx.err(
                    format!("{pkey}.grade"),
                    "该档次已为此缴费档次定价（顶层 personal/payers 即默认档次的定价）；this tier already prices that grade (its top-level keys price the default grade)",
                ));
            }
        }
        if prices.is_empty() {
            return Err(cx.err(
                format!("{key}.personal"),
                "资助档次需要定价：personal、subsidy 或 subsidy_percent，或 [[tier.price]]；a tier needs a price (personal, subsidy or subsidy_percent, or [[tier.price]])",
            ));
        }
        out.tiers.push(Tier {
            id: t.id.clone(),
            name: t.name.clone(),
            personal: Fen::ZERO,
            categories: cats,
            payers: BTreeMap::new(),
        });
        out.prices.push(prices);
    }
    Ok(out)
}

fn default_ref(pops: &[Population]) -> GradeRef {
    GradeRef {
        population: 0,
        grade: pops[0].default_grade,
    }
}

/// A tier's categories: known codes, each in one tier only.
pub(super) fn categories(
    cx: &Ctx,
    vocab: &Vocabulary,
    key: &str,
    codes: &[String],
    tier_of: &mut HashMap<Category, usize>,
    tier: usize,
    raw: &RawPolicy,
) -> Result<Vec<Category>> {
    if codes.is_empty() {
        return Err(cx.err(
            format!("{key}.categories"),
            "资助档次至少需要一个身份类别；a tier needs at least one category",
        ));
    }
    let mut cats = Vec::new();
    for (j, code) in codes.iter().enumerate() {
        let ckey = format!("{key}.categories[{j}]");
        let c = cx.cat(vocab, &ckey, code)?;
        if let Some(other) = tier_of.insert(c, tier) {
            let other_id = raw.tier.get(other).map_or("", |t| t.id.as_str());
            return Err(cx.err(
                ckey,
                format!("类别 `{code}` 已在 tier[{other}]（`{other_id}`）中，一个类别只能属于一个资助档次；category `{code}` is already in tier[{other}] (`{other_id}`); a category belongs to one tier"),
            ));
        }
        cats.push(c);
    }
    Ok(cats)
}

/// One price as written at `key`: its grade, subsidy, cap and payers.
pub(super) fn price(
    cx: &Ctx,
    raw: &RawPolicy,
    pops: &[Population],
    default: GradeRef,
    key: &str,
    rp: &RawPrice,
) -> Result<(GradeRef, TierPrice)> {
    let grade_ref = |k: String, r: &str| {
        grade_by_ref(pops, r).ok_or_else(|| {
            cx.err(
                k,
                format!("`{r}` 不是本政策的缴费档次（写作 人员类别id.档次id，如 resident.g1）；`{r}` names no grade of this policy (write population.grade, e.g. resident.g1)"),
            )
        })
    };
    let grade = match &rp.grade {
        None => default,
        Some(r) => grade_ref(format!("{key}.grade"), r)?,
    };
    let subsidy = match (rp.personal, rp.subsidy, rp.subsidy_percent) {
        (Some(p), None, None) => Subsidy::Personal(p),
        (None, Some(s), None) => Subsidy::Fixed(s),
        (None, None, Some(pct)) => Subsidy::Percent(pct),
        _ => {
            return Err(cx.err(
                format!("{key}.personal"),
                "personal、subsidy、subsidy_percent 须且只能给出一个；give exactly one of personal, subsidy, subsidy_percent",
            ))
        }
    };
    let cap = match &rp.cap {
        None => None,
        Some(r) => {
            let g = grade_ref(format!("{key}.cap"), r)?;
            if g == grade {
                return Err(cx.err(
                    format!("{key}.cap"),
                    "封顶档次不能是本档次；a grade cannot be capped at itself",
                ));
            }
            Some(g)
        }
    };
    let split = split_of(cx, raw, key, rp)?;
    Ok((
        grade,
        TierPrice {
            subsidy,
            cap,
            split,
            key: key.to_string(),
        },
    ))
}

/// Who pays a price: `payers` (amounts) or `shares` (percent adding up to
/// 100), every payer named in `[payers]`.
fn split_of(cx: &Ctx, raw: &RawPolicy, key: &str, rp: &RawPrice) -> Result<Split> {
    let split = match (rp.payers.is_empty(), rp.shares.is_empty()) {
        (false, true) => Split::Amounts(rp.payers.clone()),
        (true, false) => {
            let sum: u64 = rp.shares.values().map(|v| u64::from(*v)).sum();
            if sum != 100 || rp.shares.values().any(|v| *v == 0) {
                return Err(cx.err(
                    format!("{key}.shares"),
                    format!("各资助方比例之和为 {sum}%，应为 100%，且每项大于 0；shares add up to {sum}%, expected 100% with every share above 0"),
                ));
            }
            Split::Shares(rp.shares.clone())
        }
        _ => {
            return Err(cx.err(
                format!("{key}.payers"),
                "payers（金额）与 shares（比例）须且只能给出一个；give exactly one of payers (amounts) or shares (percent)",
            ))
        }
    };
    let payer_keys = match &split {
        Split::Amounts(m) => m.keys().map(|k| ("payers", k)).collect::<Vec<_>>(),
        Split::Shares(m) => m.keys().map(|k| ("shares", k)).collect(),
    };
    for (table, payer) in payer_keys {
        if !raw.payers.contains_key(payer) {
            return Err(cx.err(
                format!("{key}.{table}.{payer}"),
                format!("资助方 `{payer}` 未在 [payers] 中登记；payer `{payer}` is not named in [payers]"),
            ));
        }
    }
    Ok(split)
}

/// Every (county, grade, tier) prices: the person's amount is within the
/// grade's, the subsidy is above zero, amounts add up, caps resolve. Counties
/// without an override all price as the policy's tables (checked once).
pub(super) fn check_every_price(p: &Policy, cx: &Ctx) -> Result<()> {
    let mut counties: Vec<&str> = vec![""];
    counties.extend(p.overrides.keys().map(String::as_str));
    for county in counties {
        for g in p.grades() {
            for t in 0..p.tiers.len() {
                if let Err(e) = p.try_price(county, g, t) {
                    return Err(price_error(p, cx, county, g, t, e));
                }
            }
        }
    }
    Ok(())
}

fn price_error(p: &Policy, cx: &Ctx, county: &str, g: GradeRef, t: usize, e: PriceError) -> Error {
    let Some(rule) = p.price_rule(county, g, t) else {
        return cx.err(format!("tier[{t}]"), "internal: no price");
    };
    let at = if county.is_empty() {
        format!("（{}）", p.grade_label(g))
    } else {
        format!(
            "（{} {} {}）",
            county,
            p.county_label(county),
            p.grade_label(g)
        )
    };
    let field = match rule.subsidy {
        Subsidy::Personal(_) => "personal",
        Subsidy::Fixed(_) => "subsidy",
        Subsidy::Percent(_) => "subsidy_percent",
    };
    let k = &rule.key;
    let full = p.full_in(county, g);
    match (e, rule.subsidy) {
        (PriceError::DoesNotAddUp { personal, payers, full }, _) => {
            let sum = Fen(personal.0 + payers.0);
            cx.err(
                format!("{k}.payers"),
                format!("{at}个人 {personal} + 资助方 {payers} = {sum}，但该档次普通缴费为 {full}，两者必须相等；personal {personal} + payers {payers} = {sum}, but the ordinary amount is {full}; they must add up"),
            )
        }
        (PriceError::BadCap, _) => cx.err(
            format!("{k}.cap"),
            format!("{at}封顶档次须由同一资助档次定价且本身不再封顶；the cap grade must be priced by the same tier and not capped itself"),
        ),
        (_, Subsidy::Personal(personal)) => cx.err(
            format!("{k}.personal"),
            format!("{at}个人缴费 {personal} 不低于该档次普通缴费 {full}，不是资助；{personal} is not below the ordinary amount {full}"),
        ),
        _ => cx.err(
            format!("{k}.{field}"),
            format!("{at}资助额须大于零且不超过该档次普通缴费 {full}；the subsidy must be above zero and at most the grade's amount {full}"),
        ),
    }
}

/// `tiers[i].personal` / `payers`: the price at the default grade outside
/// any override (the one-grade accessors).
pub(super) fn fill_default_prices(p: &mut Policy) {
    let g = p.default_grade();
    for t in 0..p.tiers.len() {
        let (personal, payers) = {
            let price = p.price("", g, Some(t));
            let payers: BTreeMap<String, Fen> = price
                .payers
                .iter()
                .map(|(c, a)| ((*c).to_owned(), *a))
                .collect();
            (price.personal, payers)
        };
        p.tiers[t].personal = personal;
        p.tiers[t].payers = payers;
    }
}
