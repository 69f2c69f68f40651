//! Issue 14: the contribution grade (缴费档次) and population (人员类别) of an
//! enrollment row, read by the policy's texts where the export has the
//! columns and the policy declares grades; and the attribute that narrows an
//! identity's category (a veteran's 伤残等级).

use super::bind::PopulationTexts;
use super::row::Row;
use super::schema::Col;
use super::{ParseCtx, Reject, RejectReason};
use crate::domain::{Category, SourceKind};
use crate::i18n::Msg;
use crate::policy::{GradeRef, Policy};

impl PopulationTexts for Policy {
    /// Only a policy with grades has populations worth a column.
    fn has_populations(&self) -> bool {
        self.has_grades()
    }

    fn names_population(&self, text: &str) -> bool {
        self.has_grades() && self.grade_of_text(Some(text), None).is_some()
    }
}

/// The grade of a row read without a policy (`validate`): nothing prices it.
const UNPRICED: GradeRef = GradeRef {
    population: 0,
    grade: 0,
};

/// The grade of an enrollment row of year `year`. A one-grade policy, a
/// year other than `Y` (history keeps only coverage; later years are not
/// judged) and absent or blank columns give the policy's default; a text the
/// policy does not declare is UNKNOWN_GRADE, naming the policy's grades.
pub fn of_row(row: &Row<'_>, ctx: ParseCtx<'_>, year: i32) -> Result<GradeRef, Box<Reject>> {
    let Some(policy) = ctx.policy else {
        return Ok(UNPRICED);
    };
    if !policy.has_grades() || ctx.policy_year.is_some_and(|y| y != year) {
        return Ok(policy.default_grade());
    }
    let text = |c: Col| Some(row.get(c)).filter(|t| !t.is_empty());
    let (population, grade) = (text(Col::Population), text(Col::ContributionGrade));
    if let Some(g) = policy.grade_of_text(population, grade) {
        return Ok(g);
    }
    let known: Vec<String> = policy
        .grades()
        .into_iter()
        .map(|g| policy.grade_label(g))
        .collect();
    let known = known.join("、");
    let (col, what, value) = match population {
        Some(p) if policy.grade_of_text(Some(p), None).is_none() => {
            (Col::Population, ("人员类别", "population"), p)
        }
        _ => (
            Col::ContributionGrade,
            ("缴费档次", "grade"),
            grade.unwrap_or(""),
        ),
    };
    Err(row.reject(
        col,
        RejectReason::UnknownGrade,
        Msg::new(
            format!("{}“{value}”不是政策文件所列的{}；本政策的人员类别和档次有：{known}；请更正本行，或在政策文件中为它增加别名", what.0, what.0),
            format!("{} `{value}` is not one the policy declares; its populations and grades: {known}; correct the row, or add the text to the policy as an alias", what.1),
        ),
    ))
}

/// The category of an identity once its record's attributes are known
/// (`narrow` in the policy, e.g. 优抚对象 with 伤残等级 1–6).
pub fn narrowed(row: &Row<'_>, ctx: ParseCtx<'_>, source: SourceKind, base: Category) -> Category {
    match ctx.policy {
        Some(p) => p.narrow(source, base, &|key: &str| {
            row.get_key(key).map(str::to_string)
        }),
        None => base,
    }
}
