//! Issue 14's policy model: populations (人员类别) and their contribution
//! grades (缴费档次), tiers priced per (category, grade), several payers,
//! county overrides (区县代缴标准) and attribute-narrowed categories — and the
//! functions the rules and the forecast ask (`/work/wt/API14.md`).

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use smallvec::SmallVec;

use super::{Band, Policy};
use crate::domain::{Category, County, Fen, SourceKind};

/// 档次 of a population (人员类别: 城乡居民, 大学生, 中小学生…): indices into
/// the policy's populations and that population's grades.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GradeRef {
    pub population: u16,
    pub grade: u16,
}

/// The paying departments of a price (code, amount). Issue 15: the codes are
/// the policy's own texts, borrowed, and a tier's few payers are held inline,
/// so pricing a person allocates nothing (the rules price every person).
pub type Payers<'p> = SmallVec<[(&'p str, Fen); 2]>;

/// What one person owes and who pays the rest, for a (county, grade, tier).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Price<'p> {
    /// The grade's full amount (the ordinary amount of that grade in that county).
    pub full: Fen,
    /// What the person pays (应缴个人部分): full − Σ payers.
    pub personal: Fen,
    /// Each paying department (code, amount), in the policy's payer order
    /// (payer code order); amounts ≥ 0.
    pub payers: Payers<'p>,
}

/// A population (人员类别) with its own grades.
#[derive(Debug, Clone)]
pub struct Population {
    pub id: String,
    pub name: String,
    /// Export texts naming it (normalised), besides `id` and `name`.
    pub texts: Vec<String>,
    pub grades: Vec<Grade>,
    pub default_grade: u16,
}

/// A contribution grade (缴费档次): its ordinary amount and late-payment bands.
#[derive(Debug, Clone)]
pub struct Grade {
    pub id: String,
    pub name: String,
    /// Export texts naming it (normalised), besides `id` and `name`.
    pub texts: Vec<String>,
    pub ordinary: Fen,
    pub bands: Vec<Band>,
}

/// What a tier's categories get on one grade (资助标准).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subsidy {
    /// The person pays this; the payers the rest of the grade's amount.
    Personal(Fen),
    /// The payers pay this fixed amount; the person the rest.
    Fixed(Fen),
    /// The payers pay this percentage of the grade's amount, rounded half-up
    /// to the fen ("按不低于60%定额资助" is written 60).
    Percent(u32),
}

/// Who pays a subsidy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Split {
    /// Fixed amounts per payer: they must add up to the subsidy.
    Amounts(BTreeMap<String, Fen>),
    /// Percent shares per payer (adding up to 100): the subsidy is split by
    /// largest remainder, so the amounts add up to it exactly.
    Shares(BTreeMap<String, u32>),
}

/// A tier's price on one grade.
#[derive(Debug, Clone)]
pub struct TierPrice {
    pub subsidy: Subsidy,
    /// Cap the subsidy at this tier's subsidy on another grade (特困 on 二档
    /// pays what 一档's full subsidy leaves).
    pub cap: Option<GradeRef>,
    pub split: Split,
    /// The policy key it was written at (`tier[2].price[1]`), for errors.
    pub key: String,
}

/// What differs in a listed county (区县代缴标准).
#[derive(Debug, Clone, Default)]
pub struct CountyOverride {
    pub ordinary: BTreeMap<GradeRef, Fen>,
    pub bands: BTreeMap<GradeRef, Vec<Band>>,
    /// (tier, grade) → price.
    pub prices: BTreeMap<(usize, GradeRef), TierPrice>,
    /// Tier → its categories there (and the key that says so), where replaced.
    pub categories: BTreeMap<usize, (String, Vec<Category>)>,
    /// The whole category → tier map in that county, when a tier's
    /// categories are replaced there.
    pub tier_of: Option<HashMap<Category, usize>>,
    /// The override keys that apply (`county_override[0]`), for the table.
    pub keys: Vec<String>,
}

/// A category narrowed by an attribute of its source record (优抚对象 不含
/// 1–6级残疾军人: a veteran record's 伤残等级).
#[derive(Debug, Clone)]
pub struct Narrowing {
    pub source: SourceKind,
    pub category: Category,
    /// The schema column key read (`injury_grade`).
    pub column: String,
    /// Normalised values ([`norm_attr`]) that narrow.
    pub values: Vec<String>,
    pub becomes: Category,
}

/// Why a (county, grade, tier) does not price: the checks report it with its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PriceError {
    /// The person's amount is above the grade's amount.
    PersonalAboveFull { personal: Fen, full: Fen },
    /// A fixed subsidy above the grade's amount.
    SubsidyAboveFull { subsidy: Fen, full: Fen },
    /// The subsidy is zero: not a subsidised tier.
    NoSubsidy { full: Fen },
    /// Payer amounts do not add up to the subsidy.
    DoesNotAddUp {
        personal: Fen,
        payers: Fen,
        full: Fen,
    },
    /// The cap grade has no price for this tier, or is capped itself.
    BadCap,
}

/// Normalises an export's text for matching: trimmed, full-width forms to
/// ASCII, inner spaces removed, ASCII lower-case.
pub fn norm_text(s: &str) -> String {
    s.trim()
        .chars()
        .map(crate::domain::id::fullwidth_to_ascii)
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Normalises an attribute value for a narrowing: as [`norm_text`], Chinese
/// numerals 一…十 as digits, a trailing 级/等 dropped (`一级`, `1级`, `1` all
/// read `1`).
pub fn norm_attr(s: &str) -> String {
    let t = norm_text(s);
    let t = t
        .strip_suffix('级')
        .or_else(|| t.strip_suffix('等'))
        .unwrap_or(&t);
    let digits = |c: char| match c {
        '一' => Some("1"),
        '二' => Some("2"),
        '三' => Some("3"),
        '四' => Some("4"),
        '五' => Some("5"),
        '六' => Some("6"),
        '七' => Some("7"),
        '八' => Some("8"),
        '九' => Some("9"),
        '十' => Some("10"),
        _ => None,
    };
    t.chars()
        .map(|c| digits(c).map_or_else(|| c.to_string(), str::to_string))
        .collect()
}

/// `v × pct / 100`, rounded half-up to the fen.
pub fn percent_of(v: Fen, pct: u32) -> Fen {
    let x = i128::from(v.0) * i128::from(pct);
    Fen(i64::try_from((x + 50).div_euclid(100)).unwrap_or(i64::MAX))
}

/// `total` split by percent shares (adding up to 100), largest remainder
/// first, ties to the earlier payer: the parts add up to `total` exactly.
pub fn split_shares(total: Fen, shares: &BTreeMap<String, u32>) -> Payers<'_> {
    let sum: u32 = shares.values().sum::<u32>().max(1);
    let mut parts: Vec<(&str, i64, i128)> = shares
        .iter()
        .map(|(code, s)| {
            let x = i128::from(total.0) * i128::from(*s);
            let q = x.div_euclid(i128::from(sum));
            let r = x.rem_euclid(i128::from(sum));
            (code.as_str(), i64::try_from(q).unwrap_or(0), r)
        })
        .collect();
    let given: i64 = parts.iter().map(|p| p.1).sum();
    let mut left = total.0 - given;
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|a, b| parts[*b].2.cmp(&parts[*a].2).then(a.cmp(b)));
    for i in order {
        if left <= 0 {
            break;
        }
        parts[i].1 += 1;
        left -= 1;
    }
    parts.into_iter().map(|(c, v, _)| (c, Fen(v))).collect()
}

impl Policy {
    /// The grade every row without a grade/population column gets (both seeds: their only grade).
    pub fn default_grade(&self) -> GradeRef {
        let population = self.default_population;
        let grade = self.populations[usize::from(population)].default_grade;
        GradeRef { population, grade }
    }

    /// Every (population, grade), in declaration order.
    pub fn grades(&self) -> Vec<GradeRef> {
        let mut out = Vec::new();
        for (p, pop) in self.populations.iter().enumerate() {
            for g in 0..pop.grades.len() {
                out.push(GradeRef {
                    population: p as u16,
                    grade: g as u16,
                });
            }
        }
        out
    }

    /// More than one population × grade: lists then show 人员类别/缴费档次
    /// columns. A one-grade policy (both seeds) shows none.
    pub fn has_grades(&self) -> bool {
        // Asked once per enrollment row and list row: counted without a Vec.
        self.populations
            .iter()
            .map(|p| p.grades.len())
            .sum::<usize>()
            > 1
    }

    pub fn grade(&self, g: GradeRef) -> &Grade {
        &self.populations[usize::from(g.population)].grades[usize::from(g.grade)]
    }

    pub fn population_name(&self, g: GradeRef) -> &str {
        &self.populations[usize::from(g.population)].name
    }

    pub fn grade_name(&self, g: GradeRef) -> &str {
        &self.grade(g).name
    }

    /// "城乡居民 一档"-style label for lists and tables.
    pub fn grade_label(&self, g: GradeRef) -> String {
        format!("{} {}", self.population_name(g), self.grade_name(g))
    }

    /// Population and grade from an export's texts (either may be absent →
    /// the default for that side); `None` when a present text names no
    /// population / grade of this policy. A policy that declares no
    /// `[[population]]` has one grade, which every text names.
    pub fn grade_of_text(&self, population: Option<&str>, grade: Option<&str>) -> Option<GradeRef> {
        let population = population.map(norm_text).filter(|t| !t.is_empty());
        let grade = grade.map(norm_text).filter(|t| !t.is_empty());
        if self.implicit_grades {
            return Some(self.default_grade());
        }
        let names = |id: &str, name: &str, texts: &[String], t: &str| {
            norm_text(id) == t || norm_text(name) == t || texts.iter().any(|x| x == t)
        };
        let find_grade = |p: usize, t: &str| {
            self.populations[p]
                .grades
                .iter()
                .position(|g| names(&g.id, &g.name, &g.texts, t))
        };
        let pop = match &population {
            Some(t) => Some(
                self.populations
                    .iter()
                    .position(|p| names(&p.id, &p.name, &p.texts, t))?,
            ),
            None => None,
        };
        let p = pop.unwrap_or(usize::from(self.default_population));
        let g = match &grade {
            None => usize::from(self.populations[p].default_grade),
            Some(t) => match find_grade(p, t) {
                Some(g) => g,
                // No population column: a grade text unique to another
                // population names that population (大学生档).
                None if pop.is_none() => {
                    let hits: Vec<(usize, usize)> = (0..self.populations.len())
                        .filter_map(|q| find_grade(q, t).map(|g| (q, g)))
                        .collect();
                    match hits.as_slice() {
                        [(q, g)] => return Some(gref(*q, *g)),
                        _ => return None,
                    }
                }
                None => return None,
            },
        };
        Some(gref(p, g))
    }

    /// Whether the policy lists this county (`[counties]`; a policy with no
    /// county table lists every county under its region prefix).
    pub fn lists_county(&self, county: &str) -> bool {
        if self.counties.is_empty() {
            county.len() == 6 && county.starts_with(&self.region_prefix)
        } else {
            // Every `[counties]` key is a 6-digit code (`check_codes`), and
            // `listed` holds them all (issue 15: the string map's search was
            // a measured cost of every history row).
            county.len() == 6 && County::parse(county).is_some_and(|c| self.lists(c))
        }
    }

    /// [`Policy::lists_county`] for a county already parsed (issue 15: every
    /// row asks, and the string map's look-up was a measured cost).
    pub fn lists(&self, county: County) -> bool {
        if self.counties.is_empty() {
            county.starts_with(&self.region_prefix)
        } else {
            self.listed.contains(county)
        }
    }

    /// The tier pricing category `c` in `county` (county overrides applied); `None` = ordinary.
    pub fn tier_in(&self, county: impl CountyKey, c: Category) -> Option<usize> {
        match county.override_in(self).and_then(|o| o.tier_of.as_ref()) {
            Some(map) => map.get(&c).copied(),
            None => self.tier_of(c),
        }
    }

    /// The grade's ordinary amount in `county`.
    pub fn full_in(&self, county: impl CountyKey, g: GradeRef) -> Fen {
        self.full_at(county.override_in(self), g)
    }

    fn full_at(&self, o: Option<&CountyOverride>, g: GradeRef) -> Fen {
        o.and_then(|o| o.ordinary.get(&g).copied())
            .unwrap_or_else(|| self.grade(g).ordinary)
    }

    /// The price rule of (county, grade, tier), county override first.
    pub fn price_rule(
        &self,
        county: impl CountyKey,
        g: GradeRef,
        tier: usize,
    ) -> Option<&TierPrice> {
        self.rule_at(county.override_in(self), g, tier)
    }

    fn rule_at<'p>(
        &'p self,
        o: Option<&'p CountyOverride>,
        g: GradeRef,
        tier: usize,
    ) -> Option<&'p TierPrice> {
        o.and_then(|o| o.prices.get(&(tier, g)))
            .or_else(|| self.prices.get(tier).and_then(|m| m.get(&g)))
    }

    /// Price of (county, grade, tier); tier `None` = ordinary payer of that
    /// grade (no payers). Percentages are of the grade's full amount, rounded
    /// half-up to the fen; a cap at another grade's subsidy is applied here.
    /// A tier that does not price this grade leaves it at the full amount.
    pub fn price(&self, county: impl CountyKey, g: GradeRef, tier: Option<usize>) -> Price<'_> {
        self.price_in(county.override_in(self), g, tier)
    }

    /// [`Policy::price`] in a county whose override (if any) is `o`.
    pub(crate) fn price_in<'p>(
        &'p self,
        o: Option<&'p CountyOverride>,
        g: GradeRef,
        tier: Option<usize>,
    ) -> Price<'p> {
        let full = self.full_at(o, g);
        let ordinary = Price {
            full,
            personal: full,
            payers: Payers::new(),
        };
        match tier {
            None => ordinary,
            // The checks ran every combination at load, so an error here
            // cannot happen for a loaded policy; the ordinary price is the
            // safe answer if it did.
            Some(t) => self.price_at(o, g, t).unwrap_or(ordinary),
        }
    }

    /// The subsidy of (county, grade, tier) before any cap.
    fn uncapped(&self, full: Fen, rule: &TierPrice) -> Result<Fen, PriceError> {
        match rule.subsidy {
            Subsidy::Personal(p) if p > full => {
                Err(PriceError::PersonalAboveFull { personal: p, full })
            }
            Subsidy::Personal(p) => Ok(Fen(full.0 - p.0)),
            Subsidy::Fixed(s) if s > full => Err(PriceError::SubsidyAboveFull { subsidy: s, full }),
            Subsidy::Fixed(s) => Ok(s),
            Subsidy::Percent(pct) => Ok(percent_of(full, pct)),
        }
    }

    /// [`Policy::price`] with the reason it does not add up.
    pub fn try_price(
        &self,
        county: impl CountyKey,
        g: GradeRef,
        t: usize,
    ) -> Result<Price<'_>, PriceError> {
        self.price_at(county.override_in(self), g, t)
    }

    /// [`Policy::try_price`] in a county whose override (if any) is `o`.
    fn price_at<'p>(
        &'p self,
        o: Option<&'p CountyOverride>,
        g: GradeRef,
        t: usize,
    ) -> Result<Price<'p>, PriceError> {
        let full = self.full_at(o, g);
        let Some(rule) = self.rule_at(o, g, t) else {
            return Ok(Price {
                full,
                personal: full,
                payers: Payers::new(),
            });
        };
        let mut subsidy = self.uncapped(full, rule)?;
        if let Some(cg) = rule.cap {
            let cap_rule = self.rule_at(o, cg, t).ok_or(PriceError::BadCap)?;
            if cap_rule.cap.is_some() {
                return Err(PriceError::BadCap);
            }
            let cap = self.uncapped(self.full_at(o, cg), cap_rule)?;
            subsidy = subsidy.min(cap);
        }
        if subsidy <= Fen::ZERO {
            return Err(PriceError::NoSubsidy { full });
        }
        let payers = match &rule.split {
            Split::Amounts(m) => {
                let sum = m
                    .values()
                    .try_fold(Fen::ZERO, |a, b| a.checked_add(*b))
                    .unwrap_or(Fen(i64::MAX));
                if sum != subsidy {
                    return Err(PriceError::DoesNotAddUp {
                        personal: Fen(full.0 - subsidy.0),
                        payers: sum,
                        full,
                    });
                }
                m.iter().map(|(c, a)| (c.as_str(), *a)).collect()
            }
            Split::Shares(s) => split_shares(subsidy, s),
        };
        Ok(Price {
            full,
            personal: Fen(full.0 - subsidy.0),
            payers,
        })
    }

    /// Late-payment band amount for a payment on `paid_on`, for that grade in that county.
    pub fn band_for_in(
        &self,
        county: impl CountyKey,
        g: GradeRef,
        paid_on: NaiveDate,
    ) -> Option<Fen> {
        let bands = county
            .override_in(self)
            .and_then(|o| o.bands.get(&g))
            .unwrap_or(&self.grade(g).bands);
        bands
            .iter()
            .find(|b| b.from <= paid_on && paid_on <= b.to)
            .map(|b| b.amount)
    }

    /// Attribute-narrowed categories: the category a source record gets once
    /// its attribute is known. `attr(column_key)` returns the record's value of
    /// a schema column key. Returns `base` when no narrowing applies (and when
    /// the record has no value).
    pub fn narrow(
        &self,
        source: SourceKind,
        base: Category,
        attr: &dyn Fn(&str) -> Option<String>,
    ) -> Category {
        for n in &self.narrowings {
            if n.source != source || n.category != base {
                continue;
            }
            if let Some(v) = attr(&n.column) {
                if n.values.contains(&norm_attr(&v)) {
                    return n.becomes;
                }
            }
        }
        base
    }

    /// The schema column keys any narrowing of `source` reads (so ingest binds them).
    pub fn narrowing_columns(&self, source: SourceKind) -> Vec<String> {
        let mut cols: Vec<String> = self
            .narrowings
            .iter()
            .filter(|n| n.source == source)
            .map(|n| n.column.clone())
            .collect();
        cols.sort();
        cols.dedup();
        cols
    }

    /// The grade a `population.grade` (or unique bare grade id) reference names.
    pub fn grade_by_ref(&self, r: &str) -> Option<GradeRef> {
        grade_by_ref(&self.populations, r)
    }
}

/// A county as the price look-ups take it: a code's text (`""` = outside
/// every override) or a parsed [`County`]. Issue 15: the rules price every
/// person in a `County`; that form makes no text of the code unless the
/// policy has county overrides to look it up in.
pub trait CountyKey {
    /// The override of this county, if the policy has one.
    fn override_in(self, p: &Policy) -> Option<&CountyOverride>;
}

impl CountyKey for &str {
    fn override_in(self, p: &Policy) -> Option<&CountyOverride> {
        p.overrides.get(self)
    }
}

impl CountyKey for &String {
    fn override_in(self, p: &Policy) -> Option<&CountyOverride> {
        p.overrides.get(self.as_str())
    }
}

impl CountyKey for County {
    fn override_in(self, p: &Policy) -> Option<&CountyOverride> {
        if p.overrides.is_empty() {
            None
        } else {
            p.overrides.get(&*self)
        }
    }
}

pub(crate) fn gref(p: usize, g: usize) -> GradeRef {
    GradeRef {
        population: p as u16,
        grade: g as u16,
    }
}

/// `resident.g2`, or `g2` when only one population has a grade of that id.
pub(crate) fn grade_by_ref(pops: &[Population], r: &str) -> Option<GradeRef> {
    if let Some((p, g)) = r.split_once('.') {
        let pi = pops.iter().position(|x| x.id == p)?;
        let gi = pops[pi].grades.iter().position(|x| x.id == g)?;
        return Some(gref(pi, gi));
    }
    let hits: Vec<GradeRef> = pops
        .iter()
        .enumerate()
        .flat_map(|(pi, p)| {
            p.grades
                .iter()
                .enumerate()
                .filter(|(_, x)| x.id == r)
                .map(move |(gi, _)| gref(pi, gi))
        })
        .collect();
    match hits.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}
