//! Issue 14: the contribution grade (缴费档次) and population (人员类别) of an
//! enrollment row, read by the policy's texts where the export has the
//! columns and the policy declares grades.

use super::bind::PopulationTexts;
use crate::policy::Policy;

impl PopulationTexts for Policy {
    fn names_population(&self, _text: &str) -> bool {
        false
    }
}
