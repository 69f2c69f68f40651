//! Typed access to one data row, and the checks every source shares:
//! person IDs, dates, amounts, region codes. Each failure is a [`Reject`]
//! carrying the file, line, column (as written), raw value and reason.

use chrono::NaiveDate;

use super::read::{RawRow, TableMeta};
use super::schema::Col;
use super::{FileIdx, Origin, ParseCtx, Reject, RejectReason};
use crate::domain::id::fullwidth_to_ascii;
use crate::domain::{
    parse_date, parse_person_id, parse_yuan, trim_ws, County, Fen, IdError, PersonId,
};
use crate::i18n::Msg;

pub struct Row<'a> {
    table: &'a TableMeta,
    raw: RawRow<'a>,
    file: FileIdx,
}

impl<'a> Row<'a> {
    pub fn new(table: &'a TableMeta, raw: RawRow<'a>) -> Row<'a> {
        Row {
            table,
            raw,
            file: raw.file,
        }
    }

    /// The row as read.
    pub fn raw(&self) -> &RawRow<'a> {
        &self.raw
    }

    /// The file's columns (issue 15: the history fast path resolves its
    /// columns once per file, not once per field).
    pub fn table(&self) -> &'a TableMeta {
        self.table
    }

    pub fn origin(&self) -> Origin {
        Origin {
            file: self.file,
            line: u32::try_from(self.raw.line).unwrap_or(u32::MAX),
        }
    }

    /// The trimmed value of a column; "" when the column or the field is absent.
    pub fn get(&self, key: Col) -> &'a str {
        trim_ws(self.untrimmed(key))
    }

    /// The value of a column exactly as written (not trimmed); "" when the
    /// column or the field is absent.
    #[inline]
    pub fn untrimmed(&self, key: Col) -> &'a str {
        self.table
            .col(key)
            .and_then(|i| self.raw.get(i))
            .unwrap_or("")
    }

    /// The trimmed, non-blank value of a schema column by its key (issue 14:
    /// the attribute a policy's narrowing reads, e.g. `injury_grade`).
    pub fn get_key(&self, key: &str) -> Option<&'a str> {
        self.table
            .column(key)
            .and_then(|i| self.raw.get(i))
            .map(trim_ws)
            .filter(|v| !v.is_empty())
    }

    /// Whether the file has the column at all (issue 11: a roster without a
    /// start-date or region column).
    pub fn has(&self, key: Col) -> bool {
        self.table.col(key).is_some()
    }

    /// The header of a column as written in the file (its key when absent).
    pub fn header(&self, key: Col) -> String {
        self.table
            .col(key)
            .and_then(|i| self.table.header.get(i))
            .cloned()
            .unwrap_or_else(|| key.key().to_string())
    }

    /// Builds a reject for `key` with the row's name and ID as written.
    pub fn reject(&self, key: Col, reason: RejectReason, message: Msg) -> Box<Reject> {
        let id_raw = match self.get(Col::IdNumber) {
            "" => self.get(Col::CertNumber),
            v => v,
        };
        Box::new(Reject {
            file: self.file,
            line: self.raw.line,
            column: self.header(key),
            raw: self.get(key).to_string(),
            name: self.get(Col::Name).to_string(),
            id_raw: id_raw.to_string(),
            reason,
            message,
        })
    }

    /// A value that must not be blank.
    pub fn required(&self, key: Col, what: &str) -> Result<&'a str, Box<Reject>> {
        match self.get(key) {
            "" => Err(self.reject(
                key,
                RejectReason::MissingField,
                Msg::new(
                    format!("{what}为空，此项必填"),
                    format!("{what} is blank; it is required"),
                ),
            )),
            v => Ok(v),
        }
    }

    /// The person ID in `key`, validated (GB 11643 for resident IDs).
    /// A resident ID read already when the row was routed is taken as it
    /// was read ([`RawRow::id_read`](crate::ingest::read::RawRow), issue 15):
    /// the same text, type and date gave it, and such an ID has no `E` for
    /// [`digits_lost`] to find.
    pub fn person_id(&self, key: Col, ctx: ParseCtx<'_>) -> Result<PersonId, Box<Reject>> {
        if key == Col::IdNumber && self.raw.id_read {
            return Ok(PersonId::Resident(self.raw.key));
        }
        let raw = self.get(key);
        if digits_lost(raw) {
            return Err(self.digits_lost_reject(key));
        }
        let doc_type = self.get(Col::DocType);
        parse_person_id(raw, doc_type, ctx.as_of).map_err(|e| self.id_reject(key, e, ctx.as_of))
    }

    pub fn id_reject(&self, key: Col, e: IdError, as_of: NaiveDate) -> Box<Reject> {
        let (reason, msg) = match e {
            IdError::Blank => (
                RejectReason::MissingField,
                Msg::new("身份证号为空，此项必填", "身份证号 is blank; it is required"),
            ),
            IdError::Length => (
                RejectReason::IdLength,
                Msg::new(
                    "应为18位（17位数字加1位数字或X），或15位老身份证号；例：11010519491231002X",
                    "expected 18 characters (17 digits then a digit or X) or a 15-digit legacy ID, e.g. 11010519491231002X",
                ),
            ),
            IdError::Checksum => (
                RejectReason::IdChecksum,
                Msg::new(
                    "第18位校验码与前17位不符（GB 11643 MOD 11-2），多为某一位录错；请与户籍或证件核对",
                    "the check character (18th) does not match the first 17 digits (GB 11643 MOD 11-2); a digit is probably mistyped — check against the ID card",
                ),
            ),
            IdError::BirthDate => (
                RejectReason::IdBirthdate,
                Msg::new(
                    format!("第7–14位不是{as_of}或之前的真实出生日期（例：19800101）"),
                    format!("digits 7–14 are not a real birth date on or before {as_of} (e.g. 19800101)"),
                ),
            ),
            IdError::Region => (
                RejectReason::IdRegion,
                Msg::new(
                    "前两位不是省级代码（11–15、21–23、31–37、41–46、50–54、61–65、71、81–83），例：64开头为宁夏",
                    "the first two digits are not a province code (11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81–83); e.g. 64 is Ningxia",
                ),
            ),
        };
        // The 文本 hint only where Excel's damage shows (issue 10): an
        // all-digit number whose last digits became zeros.
        let msg = if matches!(reason, RejectReason::IdChecksum | RejectReason::IdLength)
            && zeros_where_digits_were(self.get(key))
        {
            msg.and(text_column_hint())
        } else {
            msg
        };
        self.reject(key, reason, msg)
    }

    /// An ID Excel turned into a number and cut to 15 digits (ID_DIGITS_LOST).
    pub fn digits_lost_reject(&self, key: Col) -> Box<Reject> {
        self.reject(
            key,
            RejectReason::IdDigitsLost,
            Msg::new(
                "号码已被 Excel 当作数字保存（科学计数法或超过15位有效数字），末几位已丢失，无法还原",
                "Excel stored the number as a number (scientific notation or more than 15 significant digits): its last digits are lost and cannot be recovered",
            )
            .and(text_column_hint()),
        )
    }

    /// A date that must be present.
    pub fn date(&self, key: Col, what: &str) -> Result<NaiveDate, Box<Reject>> {
        let v = self.required(key, what)?;
        self.parse_date(v).ok_or_else(|| self.bad_date(key))
    }

    /// A date that may be blank.
    pub fn opt_date(&self, key: Col) -> Result<Option<NaiveDate>, Box<Reject>> {
        match self.get(key) {
            "" => Ok(None),
            v => self
                .parse_date(v)
                .map(Some)
                .ok_or_else(|| self.bad_date(key)),
        }
    }

    /// Every text form, plus an Excel serial day number in a workbook
    /// (a date typed into a cell without a date format).
    fn parse_date(&self, v: &str) -> Option<NaiveDate> {
        parse_date(v).or_else(|| {
            let serial_like = self.table.from_xlsx
                && (1..=6).contains(&v.len())
                && v.bytes().all(|b| b.is_ascii_digit());
            if serial_like {
                v.parse::<f64>()
                    .ok()
                    .and_then(crate::domain::date::from_excel_serial)
            } else {
                None
            }
        })
    }

    fn bad_date(&self, key: Col) -> Box<Reject> {
        self.reject(
            key,
            RejectReason::BadDate,
            Msg::new(
                "不是有效日期；可写作 2025-11-05、2025/11/5、20251105、2025年11月5日，或月份 202511",
                "not a date; expected e.g. 2025-11-05, 2025/11/5, 20251105, 2025年11月5日 or a month 202511",
            ),
        )
    }

    /// An amount in yuan that may be blank (`None`).
    pub fn opt_amount(&self, key: Col) -> Result<Option<Fen>, Box<Reject>> {
        match self.get(key) {
            "" => Ok(None),
            v => parse_yuan(v).map(Some).ok_or_else(|| {
                self.reject(
                    key,
                    RejectReason::BadAmount,
                    Msg::new(
                        "不是以元为单位的金额（最多两位小数）；例：400、400.00、￥400、1,100.00",
                        "not an amount in yuan (at most two decimals); expected e.g. 400, 400.00, ￥400 or 1,100.00",
                    ),
                )
            }),
        }
    }

    /// A 区划代码 (6, 9 or 12 digits) reduced to its 6-digit county, checked
    /// against the policy's region.
    pub fn county(&self, key: Col, what: &str, ctx: ParseCtx<'_>) -> Result<County, Box<Reject>> {
        let v = self.required(key, what)?;
        // Plain ASCII digits (the usual case) need no cleaning or allocation.
        let cleaned: std::borrow::Cow<'_, str> = if v.bytes().all(|b| b.is_ascii_digit()) {
            v.into()
        } else {
            v.chars()
                .map(fullwidth_to_ascii)
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .into()
        };
        let digits = cleaned.trim_start_matches('\'');
        // Issue 11: a county name (`兴庆区`, `银川市兴庆区`), or a code
        // followed by its name (`640104 兴庆区`).
        let lead = digits.bytes().take_while(u8::is_ascii_digit).count();
        let digits = if lead == 0 {
            return self.county_by_name(key, v, ctx);
        } else if matches!(lead, 6 | 9 | 12) && !digits[lead..].bytes().any(|b| b.is_ascii_digit())
        {
            &digits[..lead]
        } else {
            digits
        };
        if !matches!(digits.len(), 6 | 9 | 12) || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.reject(
                key,
                RejectReason::OutOfRegion,
                Msg::new(
                    "应为6、9或12位行政区划代码或区县名称；例：640104 或 兴庆区",
                    "expected a 6-, 9- or 12-digit administrative division code (区划代码) or a county name, e.g. 640104 or 兴庆区",
                ),
            ));
        }
        let county = &digits[..6];
        if let Some(prefix) = ctx.region_prefix {
            if !county.starts_with(prefix) {
                return Err(self.reject(
                    key,
                    RejectReason::OutOfRegion,
                    Msg::new(
                        format!("区县 {county} 不在本政策地区内（应以 {prefix} 开头）；请转交所属地区"),
                        format!("county {county} lies outside the policy's region (codes starting {prefix}); pass the row to its own region"),
                    ),
                ));
            }
        }
        let county = County::parse(county).ok_or_else(|| {
            self.reject(
                key,
                RejectReason::OutOfRegion,
                Msg::new(
                    "不是行政区划代码；例：640104",
                    "not a division code, e.g. 640104",
                ),
            )
        })?;
        self.listed(key, county, ctx)
    }

    /// Issue 14: a county under the region's prefix that the policy's
    /// `[counties]` does not list is out of its region too (a policy with
    /// no county table lists every county under its prefix). Such a row is
    /// rejected naming the county, never kept with a blank county name:
    /// its prices, county overrides and fiscal tier are the listed
    /// counties' (docs/decisions.md, issue 14).
    fn listed(&self, key: Col, county: County, ctx: ParseCtx<'_>) -> Result<County, Box<Reject>> {
        let Some(policy) = ctx.policy.filter(|p| !p.lists(county)) else {
            return Ok(county);
        };
        let n = policy.counties.len();
        Err(self.reject(
            key,
            RejectReason::OutOfRegion,
            Msg::new(
                format!("区县 {county} 不在政策文件 [counties] 所列的 {n} 个区县之中；请核对区划代码，如确为本地区新设区县，请在政策文件中补列"),
                format!("county {county} is not one of the {n} counties the policy's [counties] lists; check the division code, or add the county to the policy if it is a new county of the region"),
            ),
        ))
    }

    /// Issue 11: a region column holding a county's name, matched against
    /// the policy's `[counties]` ([`crate::domain::place`]). Without a
    /// policy (`validate`), a name is taken as it is: nothing to check it by.
    fn county_by_name(&self, key: Col, v: &str, ctx: ParseCtx<'_>) -> Result<County, Box<Reject>> {
        use crate::domain::place::PlaceMiss;
        let names = ctx.vocab.counties();
        if ctx.region_prefix.is_none() && names.is_empty() {
            return Ok(County::UNPLACED);
        }
        names.resolve(v).map_err(|miss| {
            let msg = match miss {
                PlaceMiss::Ambiguous(c) => Msg::new(
                    format!("“{v}”可指多个区县：{}；请改用行政区划代码", c.join("、")),
                    format!("`{v}` names several counties: {}; use the division code instead", c.join(", ")),
                ),
                PlaceMiss::Unknown(near) if near.is_empty() => Msg::new(
                    format!("“{v}”不是区划代码，政策文件 [counties] 也未列出区县名称；请改用行政区划代码（例：640104）"),
                    format!("`{v}` is not a division code and the policy's [counties] lists no county names; use the code (e.g. 640104)"),
                ),
                PlaceMiss::Unknown(near) => Msg::new(
                    format!("“{v}”不是本政策地区的区县名称；最接近的有：{}；请核对或改用行政区划代码", near.join("、")),
                    format!("`{v}` is not a county of the policy's region; nearest: {}; check it or use the division code", near.join(", ")),
                ),
            };
            self.reject(key, RejectReason::OutOfRegion, msg)
        })
    }
}

/// What to do about an ID Excel stored as a number.
fn text_column_hint() -> Msg {
    Msg::new(
        "；Excel 中以数字录入的身份证号只保留15位有效数字，请把该列设为“文本”后按证件重新录入",
        "in Excel an ID typed as a number keeps only 15 significant digits — format the column as text (文本) and retype it from the ID card",
    )
}

/// An ID written in scientific notation (`6.40104E+17`, as Excel shows a
/// long number, or as a CSV re-saved by Excel holds it): its digits are lost.
pub fn digits_lost(raw: &str) -> bool {
    // Most IDs hold no exponent at all: no need to trim and split.
    if !raw.bytes().any(|b| b | 0x20 == b'e') {
        return false;
    }
    let t = raw.trim();
    let Some((mantissa, exp)) = t.split_once(['E', 'e']) else {
        return false;
    };
    let exp = exp.strip_prefix('+').unwrap_or(exp);
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !exp.is_empty()
        && exp.bytes().all(|b| b.is_ascii_digit())
        && exp.parse::<u32>().is_ok_and(|e| e >= 10)
}

/// 16 to 18 plain digits ending in `000`: how an 18-digit ID looks once
/// Excel kept only its first 15 digits and the file was saved again.
fn zeros_where_digits_were(raw: &str) -> bool {
    let t = raw.trim();
    (16..=18).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()) && t.ends_with("000")
}

#[cfg(test)]
mod tests {
    use super::{digits_lost, zeros_where_digits_were};

    /// `digits_lost` as it was before its exponent pre-check.
    fn digits_lost_long_way(raw: &str) -> bool {
        let t = raw.trim();
        let Some((mantissa, exp)) = t.split_once(['E', 'e']) else {
            return false;
        };
        let exp = exp.strip_prefix('+').unwrap_or(exp);
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        !int.is_empty()
            && int.bytes().all(|b| b.is_ascii_digit())
            && frac.bytes().all(|b| b.is_ascii_digit())
            && !exp.is_empty()
            && exp.bytes().all(|b| b.is_ascii_digit())
            && exp.parse::<u32>().is_ok_and(|e| e >= 10)
    }

    #[test]
    fn digits_lost_pre_check_is_the_long_way() {
        let pieces = [
            "",
            "6",
            "6.4",
            "6.40104",
            "E",
            "e",
            "+",
            "17",
            "9",
            "10",
            "x",
            "X",
            " ",
            "\u{3000}",
            "ｅ",
            "Ｅ",
            "640104197003121222",
            "64010419700312122X",
            ".",
            "-",
        ];
        let mut n = 0;
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    for d in ["", "E", "e", " "] {
                        let s = format!("{a}{d}{b}{c}");
                        assert_eq!(digits_lost(&s), digits_lost_long_way(&s), "{s:?}");
                        n += 1;
                    }
                }
            }
        }
        assert_eq!(n, 20 * 20 * 20 * 4);
    }

    #[test]
    fn excel_damage_is_told_from_typos() {
        for t in [
            "6.40104E+17",
            "6.40104195909232E+17",
            "6.4E17",
            " 6.40104e+17 ",
        ] {
            assert!(digits_lost(t), "{t}");
        }
        for t in [
            "640104197003121222",
            "6.4",
            "E+17",
            "6.4E+5",
            "1.5E+1x",
            "视力E+17",
        ] {
            assert!(!digits_lost(t), "{t}");
        }
        assert!(zeros_where_digits_were("640104195909232000"));
        assert!(!zeros_where_digits_were("640104195909232110"));
        assert!(
            !zeros_where_digits_were("640104590923000"),
            "15-digit legacy IDs are whole"
        );
    }
}
