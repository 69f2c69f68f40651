//! The resident register (一人一档人员库) and the list of people insured
//! elsewhere (异地参保).

use super::row::Row;
use super::schema::Col;
use super::{ElsewhereRecord, ParseCtx, PersonRecord, Record, Reject, RejectReason};
use crate::domain::id::fullwidth_to_ascii;
use crate::domain::Text;
use crate::i18n::Msg;

pub fn parse_person(row: &Row<'_>, ctx: ParseCtx<'_>) -> Result<Record, Box<Reject>> {
    let person = row.person_id(Col::IdNumber, ctx)?;
    let name = Text::new(row.required(Col::Name, "姓名")?);
    let death = row.opt_date(Col::DeathDate)?;
    let county = row.county(Col::RegionCode, "常住区划代码", ctx)?;
    Ok(Record::Person(PersonRecord {
        person,
        name,
        county,
        death,
        origin: row.origin(),
    }))
}

pub fn parse_elsewhere(row: &Row<'_>, ctx: ParseCtx<'_>) -> Result<Record, Box<Reject>> {
    let person = row.person_id(Col::IdNumber, ctx)?;
    let name = Text::new(row.required(Col::Name, "姓名")?);
    let note = Text::new(row.get(Col::Note));
    let year_text: String = row.get(Col::Year).chars().map(fullwidth_to_ascii).collect();
    let year_text = year_text.trim_end_matches('年');
    let year = if year_text.is_empty() {
        None
    } else {
        Some(
            year_text
                .parse::<i32>()
                .ok()
                .filter(|y| (1990..=2100).contains(y))
                .ok_or_else(|| {
                    row.reject(
                        Col::Year,
                        RejectReason::BadDate,
                        Msg::new(
                            "应为四位年度；例：2026",
                            "expected a four-digit year, e.g. 2026",
                        ),
                    )
                })?,
        )
    };
    Ok(Record::Elsewhere(ElsewhereRecord {
        person,
        name,
        note,
        year,
        origin: row.origin(),
    }))
}
