//! The enrollment ledger (一人一档参保缴费明细): one row per person × year × scheme.

use super::row::Row;
use super::schema::Col;
use super::{EnrollmentRow, HistoryRow, ParseCtx, Record, Records, Reject, RejectReason};
use crate::domain::id::fullwidth_to_ascii;
use crate::domain::{EnrollStatus, Fen, Scheme, Text};
use crate::findings::{Conflict, ConflictCode};
use crate::i18n::Msg;

pub fn parse(row: &Row<'_>, ctx: ParseCtx<'_>) -> Result<(Records, Vec<Conflict>), Box<Reject>> {
    let person = row.person_id(Col::IdNumber, ctx)?;
    let name = row.required(Col::Name, "姓名")?;
    let year_text = row.required(Col::Year, "参保年度")?;
    let year = parse_year(year_text).ok_or_else(|| {
        row.reject(
            Col::Year,
            RejectReason::BadDate,
            Msg::new(
                "应为四位参保年度；例：2026",
                "expected a four-digit insurance year, e.g. 2026",
            ),
        )
    })?;
    let scheme_text = row.required(Col::Scheme, "险种类型")?;
    let scheme = ctx.vocab.scheme(scheme_text).ok_or_else(|| {
        row.reject(
            Col::Scheme,
            RejectReason::UnknownCategory,
            Msg::new(
                format!("“{scheme_text}”不是已知险种；应为 390（城乡居民基本医疗保险）或 310（职工基本医疗保险）"),
                format!("`{scheme_text}` is not a known scheme; expected 390 (城乡居民基本医疗保险) or 310 (职工基本医疗保险)"),
            ),
        )
    })?;
    let status_text = row.required(Col::Status, "参保状态")?;
    let status = ctx.vocab.status(status_text).ok_or_else(|| {
        row.reject(
            Col::Status,
            RejectReason::UnknownCategory,
            Msg::new(
                format!("“{status_text}”不是已知参保状态；应为 参保缴费（1）、暂停（2）或 终止（4）"),
                format!("`{status_text}` is not a known status; expected 参保缴费 (1), 暂停 (2) or 终止 (4)"),
            ),
        )
    })?;
    let due = match (scheme, row.opt_amount(Col::Due)?) {
        (_, Some(d)) => d,
        (Scheme::Employee, None) => Fen::ZERO,
        (Scheme::Resident, None) => {
            return Err(row.reject(
                Col::Due,
                RejectReason::MissingField,
                Msg::new(
                    "城乡居民（390）行的应缴金额为空；例：400",
                    "应缴金额 is blank on a resident (390) row; e.g. 400",
                ),
            ))
        }
    };
    let paid = row.opt_amount(Col::Paid)?.unwrap_or(Fen::ZERO);
    let pay_date = row.opt_date(Col::PayDate)?;
    if paid > Fen::ZERO && pay_date.is_none() {
        return Err(row.reject(
            Col::PayDate,
            RejectReason::MissingField,
            Msg::new(
                format!("实缴金额为 {paid} 但缴费日期为空；有缴费就要有到账日期（例：2025-11-05）"),
                format!("实缴金额 is {paid} but 缴费日期 is blank; a payment needs its date (e.g. 2025-11-05)"),
            ),
        ));
    }
    let benefit_start = row.opt_date(Col::BenefitStart)?;
    let repair_text = row.get(Col::RepairYears);
    let repair_years = if repair_text.is_empty() {
        0
    } else {
        let t: String = repair_text.chars().map(fullwidth_to_ascii).collect();
        t.trim_end_matches('年').parse::<u32>().map_err(|_| {
            row.reject(
                Col::RepairYears,
                RejectReason::BadAmount,
                Msg::new(
                    "应为整数年数；例：0、1、2",
                    "expected a whole number of years, e.g. 0, 1, 2",
                ),
            )
        })?
    };
    let county = row.county(Col::RegionCode, "参保区划代码", ctx)?;
    let grade = super::grade::of_row(row, ctx, year)?;

    let mut conflicts = Vec::new();
    let rating_text = row.get(Col::Rating);
    let rating = if ctx.vocab.is_ordinary_rating(rating_text) {
        None
    } else {
        let r = ctx.vocab.category_by_text(rating_text);
        if r.is_none() {
            conflicts.push(Conflict::at(
                row.origin(),
                person.clone(),
                name,
                ConflictCode::UnknownRating,
                Msg::new(
                    format!("核定类别“{rating_text}”无法识别，本行按普通居民处理；请核实并更正核定类别"),
                    format!("核定类别 `{rating_text}` is not a known category text; the row is read as 普通居民"),
                ),
            ));
        }
        r
    };
    let dynamic_text = row.get(Col::DynamicGroup);
    let dynamic_group = if dynamic_text.is_empty() {
        None
    } else {
        let g = ctx.vocab.dynamic_group(dynamic_text);
        if g.is_none() {
            conflicts.push(Conflict::at(
                row.origin(),
                person.clone(),
                name,
                ConflictCode::UnknownDynamicGroup,
                Msg::new(
                    format!("动态参保类别“{dynamic_text}”无法识别（见 schemas/codes.toml），本行按无该标记处理"),
                    format!("动态参保类别 `{dynamic_text}` is not a known group (schemas/codes.toml); the row is read without it"),
                ),
            ));
        }
        g
    };
    if ctx.policy_year.is_some_and(|y| year < y) {
        // A year before Y: checked like any row, kept only as coverage.
        let history = HistoryRow {
            person,
            year,
            covered: match scheme {
                Scheme::Resident => paid >= due,
                Scheme::Employee => true,
            },
            origin: row.origin(),
        };
        return Ok((Records::from_buf([Record::History(history)]), conflicts));
    }
    let rec = EnrollmentRow {
        person,
        name: Text::new(name),
        year,
        scheme,
        county,
        grade,
        status,
        rating,
        rating_text: Text::new(rating_text),
        due,
        paid,
        pay_date,
        benefit_start,
        repair_years,
        tax_receipt: Text::new(row.get(Col::TaxReceipt)),
        dynamic_group: dynamic_group.map(Text::new),
        origin: row.origin(),
    };
    Ok((Records::from_buf([Record::Enrollment(rec)]), conflicts))
}

/// The row's 参保年度, if it can be read.
pub fn year_of(row: &Row<'_>) -> Option<i32> {
    parse_year(row.get(Col::Year))
}

pub(crate) fn parse_year(text: &str) -> Option<i32> {
    // The common form, `2026`, without allocating.
    if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok().filter(|y| (1990..=2100).contains(y));
    }
    let t: String = text.chars().map(fullwidth_to_ascii).collect();
    let t = t.trim().trim_end_matches('年').trim_end_matches("度");
    let t = t.trim_end_matches('年');
    let year = match t.len() {
        4 => Some(t),
        // A year-month (费款所属期): `202601`, `2026-01`, `2026/01`, `2026年01月`.
        _ => year_of_month(t),
    }?;
    if year.bytes().all(|b| b.is_ascii_digit()) {
        year.parse().ok().filter(|y| (1990..=2100).contains(y))
    } else {
        None
    }
}

/// The year of a year-month text, when the month is 1–12.
fn year_of_month(t: &str) -> Option<&str> {
    let t = t.strip_suffix('月').unwrap_or(t);
    let (year, month) = if t.len() == 6 && t.bytes().all(|b| b.is_ascii_digit()) {
        t.split_at(4)
    } else {
        let year = t.get(..4)?;
        let rest = t.get(4..)?;
        let month = ["-", "/", ".", "年"]
            .iter()
            .find_map(|sep| rest.strip_prefix(sep))?;
        (year, month)
    };
    let m: u32 = month.parse().ok().filter(|_| month.len() <= 2)?;
    (1..=12).contains(&m).then_some(year)
}

/// Whether a row is an active employee (310) enrollment.
pub fn is_active_employee(r: &EnrollmentRow) -> bool {
    r.scheme == Scheme::Employee && r.status == EnrollStatus::Active
}

#[cfg(test)]
mod tests {
    use super::parse_year;
    use crate::ingest::history::test_ctx;
    use crate::ingest::read::{all_blocks, read_meta, RowBlock};
    use crate::ingest::row::Row;
    use crate::ingest::schema::{Col, Schemas};
    use crate::ingest::Record;

    /// Issue 15: the texts a record keeps ([`crate::domain::Text`], inline
    /// up to 24 bytes) are the row's texts as `String`s held them: every
    /// length around the inline limit, ASCII, CJK, four-byte characters,
    /// blank, and texts the parser trims.
    #[test]
    fn record_texts_are_the_row_texts() {
        let pieces = [
            "",
            "任",
            "丹",
            "a",
            "·",
            "𠀀",
            "阿卜杜热合曼",
            "T0123456789",
        ];
        let mut texts: Vec<String> = Vec::new();
        for a in pieces {
            for b in pieces {
                for n in [1, 2, 3, 5, 9] {
                    texts.push(format!("{a}{}", b.repeat(n)));
                }
            }
        }
        texts.retain(|t| !t.is_empty() && !t.contains(','));
        texts.extend([
            " 任丹 ".to_string(),
            "x".repeat(24),
            "x".repeat(25),
            "任".repeat(8),
        ]);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("enrollment.csv");
        let mut csv = String::from("参保年度,身份证号,姓名,险种类型,参保区划代码,参保状态,核定类别,应缴金额,实缴金额,缴费日期,电子税票号,动态参保类别\n");
        for (i, t) in texts.iter().enumerate() {
            let group = ["", "退役军人", t][i % 3];
            csv.push_str(&format!(
                "2026,64020520141226732X,{t},390,640205,参保缴费,{t},320,320,2025-10-07,{t},{group}\n"
            ));
        }
        std::fs::write(&path, csv).unwrap();
        let schemas = Schemas::embedded().unwrap();
        let schema = schemas.source(crate::domain::SourceKind::Enrollment);
        let meta = read_meta(&path, "enrollment.csv", schema).unwrap();
        let blocks = all_blocks(&path, "enrollment.csv", &meta);
        let ctx = test_ctx(&schemas.vocab);
        let mut rows = 0;
        for raw in blocks.iter().flat_map(RowBlock::iter) {
            let row = Row::new(&meta, raw);
            let (records, _) = super::parse(&row, ctx).unwrap();
            let [Record::Enrollment(r)] = records.as_slice() else {
                panic!("line {}: {records:?}", raw.line);
            };
            assert_eq!(r.name.as_str(), row.get(Col::Name).to_string());
            assert_eq!(r.rating_text.as_str(), row.get(Col::Rating).to_string());
            assert_eq!(r.tax_receipt.as_str(), row.get(Col::TaxReceipt).to_string());
            let group = ctx.vocab.dynamic_group(row.get(Col::DynamicGroup));
            assert_eq!(r.dynamic_group.as_deref(), group);
            assert_eq!(r.name.len(), r.name.as_str().len());
            rows += 1;
        }
        assert_eq!(rows, texts.len());
    }

    #[test]
    fn years() {
        assert_eq!(parse_year("2026"), Some(2026));
        assert_eq!(parse_year("2026年"), Some(2026));
        assert_eq!(parse_year("2026年度"), Some(2026));
        assert_eq!(parse_year("26"), None);
        // 费款所属期 and other year-months give the year.
        assert_eq!(parse_year("202601"), Some(2026));
        assert_eq!(parse_year("2026-01"), Some(2026));
        assert_eq!(parse_year("2026年01月"), Some(2026));
        assert_eq!(parse_year("2026年1月"), Some(2026));
        assert_eq!(parse_year("2026/1"), Some(2026));
        assert_eq!(parse_year("202613"), None);
        assert_eq!(parse_year("2026-00"), None);
        assert_eq!(parse_year("2026-011"), None);
        assert_eq!(parse_year("20260101"), None);
        assert_eq!(parse_year("二〇二六"), None);
    }
}
