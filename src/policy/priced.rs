//! Issue 15: every (county override, grade, category) priced once, when the
//! policy is built. R1's `best` ranks each of a person's identities by its
//! tier and price at the person's grade; the rules ask it for every person,
//! and the direct way (the county's override, the category's tier, the
//! tier's price rule, its cap, its payers split by shares) was a measured
//! cost. The table answers what [`crate::rules::tier::priced`] answers, by
//! index; the policy's own look-ups stay the definition, and a test holds
//! the table to them for every combination.

use smallvec::SmallVec;

use super::{CountyOverride, GradeRef, Policy, Price};
use crate::domain::{Category, County, Fen};

/// One (county override, grade, category): its tier and price.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    /// `None`: ordinary (no tier, or a tier that does not subsidise here).
    tier: Option<usize>,
    /// The category's place in its tier's list (0 for ordinary).
    pos: usize,
    full: Fen,
    personal: Fen,
    /// Payers as indices into [`PriceTable::codes`], in the price's order.
    payers: SmallVec<[(u16, Fen); 2]>,
}

/// The priced combinations of a policy (see the module's text).
#[derive(Debug, Clone, Default)]
pub struct PriceTable {
    /// Counties with an override, sorted, and their slot (1…; 0 = none).
    slots: Vec<(County, usize)>,
    /// Per population: the flat index of its first grade.
    grade_base: Vec<usize>,
    grades: usize,
    /// Categories `0..categories` are in the table (every tiered one).
    categories: usize,
    /// `[(slot × grades + grade) × categories + category]`.
    entries: Vec<Entry>,
    /// The payer codes the prices name.
    codes: Vec<String>,
}

/// A table entry as `best` ranks it, with its price on request.
#[derive(Clone, Copy)]
pub struct Tiered<'p> {
    pub tier: Option<usize>,
    pub pos: usize,
    pub personal: Fen,
    entry: &'p Entry,
    codes: &'p [String],
}

impl<'p> Tiered<'p> {
    /// The full price (the same as [`Policy::price`] of the tier).
    pub fn price(&self) -> Price<'p> {
        let codes = self.codes;
        Price {
            full: self.entry.full,
            personal: self.entry.personal,
            payers: self
                .entry
                .payers
                .iter()
                .map(|(i, a)| (codes[usize::from(*i)].as_str(), *a))
                .collect(),
        }
    }
}

impl PriceTable {
    /// Prices every combination of `p` (after its checks ran).
    pub(crate) fn build(p: &Policy) -> PriceTable {
        let mut grade_base = Vec::with_capacity(p.populations.len());
        let mut grades = 0;
        for pop in &p.populations {
            grade_base.push(grades);
            grades += pop.grades.len();
        }
        let tiered = p
            .tiers
            .iter()
            .flat_map(|t| t.categories.iter())
            .chain(p.tier_of.keys())
            .chain(
                p.overrides
                    .values()
                    .filter_map(|o| o.tier_of.as_ref())
                    .flat_map(|m| m.keys()),
            );
        let categories = tiered.map(|c| usize::from(c.0) + 1).max().unwrap_or(0);
        let mut table = PriceTable {
            slots: Vec::new(),
            grade_base,
            grades,
            categories,
            entries: Vec::new(),
            codes: Vec::new(),
        };
        let mut overrides: Vec<Option<&CountyOverride>> = vec![None];
        for (code, o) in &p.overrides {
            // Only a six-digit code is ever looked up by a parsed county.
            if let Some(c) = County::parse(code).filter(|_| code.len() == 6) {
                table.slots.push((c, overrides.len()));
                overrides.push(Some(o));
            }
        }
        table.slots.sort_unstable();
        for o in overrides {
            table.price_slot(p, o);
        }
        table
    }

    /// Appends the entries of one override slot, grade by grade.
    fn price_slot(&mut self, p: &Policy, o: Option<&CountyOverride>) {
        for (pi, pop) in p.populations.iter().enumerate() {
            for gi in 0..pop.grades.len() {
                let g = super::model::gref(pi, gi);
                for c in 0..self.categories {
                    let c = Category(c as u16);
                    let (tier, price) = p.priced_at(o, g, c);
                    let entry = self.entry(p, tier, c, price);
                    self.entries.push(entry);
                }
            }
        }
    }

    fn entry(&mut self, p: &Policy, tier: Option<usize>, c: Category, price: Price) -> Entry {
        let pos = p.place_in_tier(tier, c);
        let payers = price
            .payers
            .iter()
            .map(|(code, a)| (self.code_index(code), *a))
            .collect();
        Entry {
            tier,
            pos,
            full: price.full,
            personal: price.personal,
            payers,
        }
    }

    fn code_index(&mut self, code: &str) -> u16 {
        let i = match self.codes.iter().position(|c| c == code) {
            Some(i) => i,
            None => {
                self.codes.push(code.to_owned());
                self.codes.len() - 1
            }
        };
        // A policy names a handful of payers.
        u16::try_from(i).unwrap_or(u16::MAX)
    }

    /// The entry of (county, grade, category); `None` outside the table (an
    /// untiered category past every tiered one), where the caller asks the
    /// policy directly.
    pub fn get(&self, county: County, g: GradeRef, c: Category) -> Option<Tiered<'_>> {
        let slot = if self.slots.is_empty() {
            0
        } else {
            self.slots
                .binary_search_by(|(k, _)| k.cmp(&county))
                .map_or(0, |i| self.slots[i].1)
        };
        let grade = self.grade_base.get(usize::from(g.population))? + usize::from(g.grade);
        let c = usize::from(c.0);
        if c >= self.categories || grade >= self.grades {
            return None;
        }
        let entry = self
            .entries
            .get((slot * self.grades + grade) * self.categories + c)?;
        Some(Tiered {
            tier: entry.tier,
            pos: entry.pos,
            personal: entry.personal,
            entry,
            codes: &self.codes,
        })
    }
}

impl Policy {
    /// [`crate::rules::tier::priced`] in a county whose override (if any) is `o`.
    pub(crate) fn priced_at<'p>(
        &'p self,
        o: Option<&'p CountyOverride>,
        g: GradeRef,
        c: Category,
    ) -> (Option<usize>, Price<'p>) {
        let tier = match o.and_then(|o| o.tier_of.as_ref()) {
            Some(map) => map.get(&c).copied(),
            None => self.tier_of(c),
        };
        let price = self.price_in(o, g, tier);
        if price.payers.is_empty() {
            (None, price)
        } else {
            (tier, price)
        }
    }

    /// The category's place in its tier's list, which `best` ranks by
    /// (0 for ordinary, no tier).
    pub(crate) fn place_in_tier(&self, tier: Option<usize>, c: Category) -> usize {
        tier.and_then(|t| self.tiers[t].categories.iter().position(|x| *x == c))
            .unwrap_or(0)
    }

    /// The table of every (county override, grade, category)'s tier and price.
    pub fn price_table(&self) -> &PriceTable {
        &self.price_table
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::{Category, County};
    use crate::policy::Policy;
    use crate::rules::tier::priced;

    fn policies() -> Vec<Policy> {
        let vocab = crate::ingest::schema::Schemas::embedded().unwrap().vocab;
        let mut out: Vec<Policy> = [
            include_str!("../../policies/ningxia-2026.toml"),
            include_str!("../../policies/hulunbuir-2026.toml"),
        ]
        .iter()
        .map(|text| Policy::from_str(text, "test.toml", &vocab).unwrap())
        .collect();
        out.push(crate::policy::invented_tests::luting());
        out
    }

    /// A price's payers with their codes, for comparing table and policy.
    fn owned(p: &crate::policy::Payers) -> Vec<(String, crate::domain::Fen)> {
        p.iter().map(|(c, a)| ((*c).to_owned(), *a)).collect()
    }

    /// The table gives what the policy's look-ups give, for every county
    /// the policy lists or overrides (and one it does not), every grade and
    /// every category up to past the last tiered one.
    #[test]
    fn the_table_is_the_policy() {
        for p in policies() {
            let mut counties: Vec<County> =
                p.counties.keys().filter_map(|k| County::parse(k)).collect();
            counties.extend(p.overrides.keys().filter_map(|k| County::parse(k)));
            counties.push(County::parse("999999").unwrap());
            let table = p.price_table();
            let mut tiered = 0;
            for county in counties {
                for g in p.grades() {
                    for c in 0..table.categories + 3 {
                        let c = Category(c as u16);
                        let (tier, price) = priced(&p, county, g, c);
                        let Some(t) = table.get(county, g, c) else {
                            assert!(c.0 as usize >= table.categories);
                            assert_eq!(tier, None);
                            continue;
                        };
                        let pos = tier
                            .and_then(|t| p.tiers[t].categories.iter().position(|x| *x == c))
                            .unwrap_or(0);
                        let got = t.price();
                        assert_eq!((t.tier, t.pos, t.personal), (tier, pos, price.personal));
                        assert_eq!(
                            (got.full, got.personal, owned(&got.payers)),
                            (price.full, price.personal, owned(&price.payers)),
                            "{} {county:?} {g:?} {c:?}",
                            p.id
                        );
                        tiered += usize::from(tier.is_some());
                    }
                }
            }
            assert!(tiered > 0, "{}", p.id);
        }
    }
}
