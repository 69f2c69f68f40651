//! Hardship identities from the department rosters: civil affairs (民政),
//! veterans (退役军人事务), agriculture (农业农村 防返贫监测) and the disabled
//! persons' federation (残联).

use super::dating::{household_start, start_of, Dating};
use super::row::Row;
use super::schema::Col;
use super::{HardshipIdentity, Outreach, ParseCtx, Record, Records, Reject, RejectReason};
use crate::domain::id::normalise_id_text;
use crate::domain::vocab::AfterRiskCleared;
use crate::domain::{parse_person_id, Category, County, SourceKind, Text};
use crate::findings::Conflict;
use crate::i18n::Msg;

type Parsed = Result<(Records, Vec<Conflict>), Box<Reject>>;

/// The fields every identity row shares.
struct Common {
    person: crate::domain::PersonId,
    name: Text,
    outreach: Option<Box<Outreach>>,
}

fn common(row: &Row<'_>, ctx: ParseCtx<'_>) -> Result<Common, Box<Reject>> {
    let person = row.person_id(Col::IdNumber, ctx)?;
    let name = Text::new(row.required(Col::Name, "姓名")?);
    Ok(Common {
        person,
        name,
        outreach: outreach(row),
    })
}

fn category(row: &Row<'_>, ctx: ParseCtx<'_>) -> Result<Category, Box<Reject>> {
    category_in(row, ctx, Col::Category)
}

/// The category of the text in column `col`; blank is MISSING_FIELD and an
/// unknown text UNKNOWN_CATEGORY (naming the nearest known texts).
fn category_in(row: &Row<'_>, ctx: ParseCtx<'_>, col: Col) -> Result<Category, Box<Reject>> {
    let text = row.required(col, "类别")?;
    ctx.vocab.category_by_text(text).ok_or_else(|| {
        let near = ctx.vocab.nearest_texts(text, 3);
        let (near_zh, near_en) = if near.is_empty() {
            (
                "例：低保对象、特困人员、脱贫不稳定户".to_string(),
                "e.g. 低保对象, 特困人员, 脱贫不稳定户".to_string(),
            )
        } else {
            (
                format!("最接近的已知名称：{}", near.join("、")),
                format!("nearest known texts: {}", near.join(", ")),
            )
        };
        row.reject(
            col,
            RejectReason::UnknownCategory,
            Msg::new(
                format!("“{text}”不是已知的类别名称（{near_zh}）；如确属某类别，请在 schemas/categories.toml 或政策文件 [aliases] 中登记"),
                format!("`{text}` is not a known category text ({near_en}); if it is one, add it to schemas/categories.toml or the policy's [aliases]"),
            ),
        )
    })
}

fn identity(
    c: &Common,
    county: County,
    (row, ctx): (&Row<'_>, ParseCtx<'_>),
    source: SourceKind,
    cat: Category,
    (start, dating): (chrono::NaiveDate, Dating),
    end: Option<chrono::NaiveDate>,
) -> HardshipIdentity {
    HardshipIdentity {
        person: c.person.clone(),
        name: c.name.clone(),
        category: super::grade::narrowed(row, ctx, source, cat),
        start,
        end,
        source,
        county,
        origin: row.origin(),
        outreach: c.outreach.clone(),
        dating,
    }
}

fn check_order(
    row: &Row<'_>,
    end_key: Col,
    start: chrono::NaiveDate,
    end: Option<chrono::NaiveDate>,
) -> Result<(), Box<Reject>> {
    match end {
        Some(e) if e < start => Err(row.reject(
            end_key,
            RejectReason::DateOrder,
            Msg::new(
                format!("结束日期 {e} 早于开始日期 {start}；请核对两个日期"),
                format!("ends {e} before it starts {start}; check both dates"),
            ),
        )),
        _ => Ok(()),
    }
}

/// A civil-affairs or veterans roster row: one identity.
pub fn parse_roster(source: SourceKind, row: &Row<'_>, ctx: ParseCtx<'_>) -> Parsed {
    let c = common(row, ctx)?;
    let cat = category(row, ctx)?;
    let start = start_of(row, Col::StartDate, "认定日期", ctx)?;
    let end = row.opt_date(Col::EndDate)?;
    if end.is_none() && ctx.vocab.is_ended_status(row.get(Col::Status)) {
        return Err(row.reject(
            Col::EndDate,
            RejectReason::MissingField,
            Msg::new(
                format!("状态为“{}”（已退出）但退出日期为空；请补填退出日期（例：2025-12-15）", row.get(Col::Status)),
                format!("状态 is `{}` (ended) but 退出日期 is blank; fill in the exit date (e.g. 2025-12-15)", row.get(Col::Status)),
            ),
        ));
    }
    check_order(row, Col::EndDate, start.0, end)?;
    let county = region(row, ctx)?;
    Ok((
        Records::from_buf([Record::Identity(identity(
            &c,
            county,
            (row, ctx),
            source,
            cat,
            start,
            end,
        ))]),
        vec![],
    ))
}

/// An agriculture row. A 脱贫不稳定 record whose 风险消除日期 is set turns into
/// 已脱贫人口 from that date on; 边缘易致贫 and 突发严重困难 simply end (the rule
/// is the category's `after_risk_cleared` in `schemas/categories.toml`).
///
/// When the monitoring-type column is blank, the household-type column (户类型,
/// e.g. 脱贫户 → 已脱贫人口) gives the category (SPEC §2).
pub fn parse_agri(row: &Row<'_>, ctx: ParseCtx<'_>) -> Parsed {
    let c = common(row, ctx)?;
    let from_household =
        row.get(Col::Category).is_empty() && !row.get(Col::HouseholdType).is_empty();
    let cat = if from_household {
        category_in(row, ctx, Col::HouseholdType)?
    } else {
        category(row, ctx)?
    };
    // Issue 11 (SPEC §2): a category from 户类型 starts on 1 January of its
    // 脱贫年度 where given, else is undated (a snapshot).
    let start = if from_household {
        household_start(row, ctx)?
    } else {
        start_of(row, Col::StartDate, "识别日期", ctx)?
    };
    let cleared = row.opt_date(Col::RiskClearedDate)?;
    check_order(row, Col::RiskClearedDate, start.0, cleared)?;
    let county = region(row, ctx)?;
    let mut out = Records::from_buf([Record::Identity(identity(
        &c,
        county,
        (row, ctx),
        SourceKind::Agri,
        cat,
        start,
        cleared,
    ))]);
    if let (Some(day), Some(AfterRiskCleared::Becomes(next))) =
        (cleared, &ctx.vocab.info(cat).after_risk_cleared)
    {
        out.push(Record::Identity(identity(
            &c,
            county,
            (row, ctx),
            SourceKind::Agri,
            *next,
            (day, Dating::Dated),
            None,
        )));
    }
    Ok((out, vec![]))
}

/// A 身份证号 column beside the certificate number must name the same person
/// (a blank one says nothing).
fn check_id_beside_cert(
    row: &Row<'_>,
    person: &crate::domain::PersonId,
    ctx: ParseCtx<'_>,
) -> Result<(), Box<Reject>> {
    if row.get(Col::IdNumber).is_empty() {
        return Ok(());
    }
    let beside = row.person_id(Col::IdNumber, ctx)?;
    if beside == *person {
        return Ok(());
    }
    Err(row.reject(
        Col::IdNumber,
        RejectReason::DisabilityCertMismatch,
        Msg::new(
            format!("身份证号 {} 与残疾人证号的前18位 {} 不是同一人；请与残联核对", beside.masked(), person.masked()),
            format!("身份证号 {} and the certificate's first 18 characters {} are not the same person; check with the federation", beside.masked(), person.masked()),
        ),
    ))
}

/// A disability certificate (残疾人证): 18-character ID, category digit, grade
/// digit, optional reissue suffix `B1`, `B2` …
pub fn parse_disability(row: &Row<'_>, ctx: ParseCtx<'_>) -> Parsed {
    let raw = row.required(Col::CertNumber, "残疾人证号")?;
    if super::row::digits_lost(raw) {
        return Err(row.digits_lost_reject(Col::CertNumber));
    }
    let cert = normalise_id_text(raw);
    let cert = strip_reissue(&cert);
    let b = cert.as_bytes();
    if !is_cert_shape(b) {
        return Err(row.reject(
            Col::CertNumber,
            RejectReason::IdLength,
            Msg::new(
                "残疾人证号应为20位：18位身份证号 + 残疾类别（1–7）+ 残疾等级（1–4），换证可再加 B1、B2…；例：11010519491231002X42",
                "expected 20 characters: the 18-character ID, the 残疾类别 digit (1–7) and the 残疾等级 digit (1–4), optionally followed by B1, B2 …; e.g. 11010519491231002X42",
            ),
        ));
    }
    let person = parse_person_id(
        cert.get(..18).unwrap_or(""),
        row.get(Col::DocType),
        ctx.as_of,
    )
    .map_err(|e| row.id_reject(Col::CertNumber, e, ctx.as_of))?;
    let cert_kind = b[18] - b'0';
    let cert_grade = b[19] - b'0';
    if !(1..=7).contains(&cert_kind) || !(1..=4).contains(&cert_grade) {
        return Err(row.reject(
            Col::CertNumber,
            RejectReason::DisabilityCertMismatch,
            Msg::new(
                format!("证号第19–20位为“{cert_kind}{cert_grade}”，应为残疾类别 1–7 加残疾等级 1–4"),
                format!("certificate digits 19–20 are `{cert_kind}{cert_grade}`; expected 残疾类别 1–7 then 残疾等级 1–4"),
            ),
        ));
    }
    check_id_beside_cert(row, &person, ctx)?;
    let name = Text::new(row.required(Col::Name, "姓名")?);
    let grade_text = row.required(Col::Grade, "残疾等级")?;
    let grade = ctx.vocab.grade(grade_text).ok_or_else(|| {
        row.reject(
            Col::Grade,
            RejectReason::UnknownCategory,
            Msg::new(
                format!("“{grade_text}”不是残疾等级；应为 一级…四级 或 1…4"),
                format!("`{grade_text}` is not a disability grade; expected 一级 … 四级 or 1 … 4"),
            ),
        )
    })?;
    if grade != cert_grade {
        return Err(row.reject(
            Col::Grade,
            RejectReason::DisabilityCertMismatch,
            Msg::new(
                format!("残疾等级列为{grade}级，但证号最后一位为{cert_grade}级；请与残联核对"),
                format!("残疾等级 says grade {grade} but the certificate number's last digit says grade {cert_grade}; check with the federation"),
            ),
        ));
    }
    let kind_text = row.get(Col::DisabilityKind);
    if !kind_text.is_empty() {
        let kind = ctx.vocab.disability_kind(kind_text).ok_or_else(|| {
            row.reject(
                Col::DisabilityKind,
                RejectReason::UnknownCategory,
                Msg::new(
                    format!("“{kind_text}”不是残疾类别；应为 视力/听力/言语/肢体/智力/精神/多重"),
                    format!("`{kind_text}` is not a disability category; expected 视力/听力/言语/肢体/智力/精神/多重"),
                ),
            )
        })?;
        if kind != cert_kind {
            return Err(row.reject(
                Col::DisabilityKind,
                RejectReason::DisabilityCertMismatch,
                Msg::new(
                    format!("残疾类别列为{kind}，但证号第19位为{cert_kind}；请与残联核对"),
                    format!("残疾类别 says {kind} but the certificate number's 19th digit says {cert_kind}; check with the federation"),
                ),
            ));
        }
    }
    let cat = ctx.vocab.disability_category(grade).ok_or_else(|| {
        row.reject(
            Col::Grade,
            RejectReason::UnknownCategory,
            Msg::new(
                format!("schemas/categories.toml 中没有 disability_grade = {grade} 的类别"),
                format!("no category in schemas/categories.toml has disability_grade = {grade}"),
            ),
        )
    })?;
    let start = start_of(row, Col::StartDate, "发证日期", ctx)?;
    let end = row.opt_date(Col::ValidUntil)?;
    check_order(row, Col::ValidUntil, start.0, end)?;
    let county = region(row, ctx)?;
    let c = Common {
        person,
        name,
        outreach: outreach(row),
    };
    Ok((
        Records::from_buf([Record::Identity(identity(
            &c,
            county,
            (row, ctx),
            SourceKind::Disability,
            cat,
            start,
            end,
        ))]),
        vec![],
    ))
}

/// The row's county: its region column (a code or a county name), or, when
/// the roster has none, [`County::UNPLACED`] until `ingest::regionless` places it.
fn region(row: &Row<'_>, ctx: ParseCtx<'_>) -> Result<County, Box<Reject>> {
    if row.has(Col::RegionCode) {
        row.county(Col::RegionCode, "行政区划代码", ctx)
    } else {
        Ok(County::UNPLACED)
    }
}

/// The outreach columns, boxed, only when the row has any.
fn outreach(row: &Row<'_>) -> Option<Box<Outreach>> {
    let o = Outreach {
        township: row.get(Col::Township).to_string(),
        village: row.get(Col::Village).to_string(),
        phone: row.get(Col::Phone).to_string(),
    };
    (o != Outreach::default()).then(|| Box::new(o))
}

/// Drops a reissue suffix (`B1`, `B2` …) after the 20 characters.
/// 20 characters whose last two are digits (the ID part is checked apart).
fn is_cert_shape(b: &[u8]) -> bool {
    b.len() == 20 && b[18].is_ascii_digit() && b[19].is_ascii_digit()
}

/// The ID part of a disability certificate number as [`parse_disability`]
/// reads it, when the number has the certificate's shape (used to send the
/// row to its person's partition).
pub fn cert_id_text(raw: &str) -> Option<String> {
    let cert = normalise_id_text(raw);
    let cert = strip_reissue(&cert);
    (is_cert_shape(cert.as_bytes()))
        .then(|| cert.get(..18).map(str::to_string))
        .flatten()
}

/// Byte 20 may fall inside a character (`640105195909232110视力`): such a
/// number has no reissue suffix and is checked (and rejected) as written.
fn strip_reissue(cert: &str) -> &str {
    if let (Some(head), Some(tail)) = (cert.get(..20), cert.get(20..)) {
        if let Some(n) = tail.strip_prefix('B') {
            if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) {
                return head;
            }
        }
    }
    cert
}

#[cfg(test)]
mod tests {
    use super::strip_reissue;

    #[test]
    fn reissue_suffix_is_ignored() {
        assert_eq!(
            strip_reissue("64010419800101123X42B1"),
            "64010419800101123X42"
        );
        assert_eq!(
            strip_reissue("64010419800101123X42"),
            "64010419800101123X42"
        );
        assert_eq!(
            strip_reissue("64010419800101123X42Q1"),
            "64010419800101123X42Q1"
        );
        // Text after the 18-character ID: byte 20 inside a character.
        assert_eq!(
            strip_reissue("640105195909232110视力"),
            "640105195909232110视力"
        );
        assert_eq!(
            strip_reissue("64010519590923211042B视"),
            "64010519590923211042B视"
        );
    }
}
