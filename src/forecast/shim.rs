//! Until issue 14's policy API lands (i14a): the grade and price functions
//! of a one-grade policy, with the shapes `src/policy/` will give them.

use crate::domain::Fen;
use crate::policy::Policy;

/// 档次 of a population (see `policy::GradeRef`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GradeRef {
    pub population: u16,
    pub grade: u16,
}

/// What one person owes and who pays the rest (see `policy::Price`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Price {
    pub full: Fen,
    pub personal: Fen,
    pub payers: Vec<(String, Fen)>,
}

pub trait PolicyApi {
    fn default_grade(&self) -> GradeRef;
    fn has_grades(&self) -> bool;
    fn grade_label(&self, g: GradeRef) -> String;
    fn tier_in(&self, county: &str, c: crate::domain::Category) -> Option<usize>;
    fn price(&self, county: &str, g: GradeRef, tier: Option<usize>) -> Price;
}

impl PolicyApi for Policy {
    fn default_grade(&self) -> GradeRef {
        GradeRef {
            population: 0,
            grade: 0,
        }
    }
    fn has_grades(&self) -> bool {
        false
    }
    fn grade_label(&self, _g: GradeRef) -> String {
        String::new()
    }
    fn tier_in(&self, _county: &str, c: crate::domain::Category) -> Option<usize> {
        self.tier_of(c)
    }
    fn price(&self, _county: &str, _g: GradeRef, tier: Option<usize>) -> Price {
        Price {
            full: self.ordinary,
            personal: self.personal(tier),
            payers: tier
                .map(|t| {
                    self.tiers[t]
                        .payers
                        .iter()
                        .map(|(c, a)| (c.clone(), *a))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }
}
