//! Binding a file's header row to the columns of its schema (表头绑定).
//!
//! Every header of the file gets exactly one outcome ([`ColumnUse`]): bound to
//! a column, or ignored with the reason. Columns are bound in the order the
//! schema lists them; each takes, among the headers still free, the one whose
//! alias ranks highest in `schemas/<kind>.toml` (the order of `aliases`,
//! never string length). A header listed in a column's `checked` binds only
//! when at least half of its first [`FIT_SAMPLE_ROWS`] non-blank values fit
//! the column (`fit`); otherwise the next candidate is tried. Two headers that
//! read the same and would bind are an error naming both (which one is the
//! person's is not ours to guess).

use super::schema::{norm_header, ColumnSpec, Fit, SourceSchema};
use crate::domain::id::normalise_id_text;
use crate::domain::Vocabulary;
use crate::error::{Error, Result};

/// Data rows after the header that the value-fit check reads.
pub const FIT_SAMPLE_ROWS: usize = 50;

/// Sample values shown when a column's values do not fit.
const SHOWN_SAMPLES: usize = 3;

/// What became of one header of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnUse {
    /// Read as the schema column `key` (`zh` its canonical header); `rank` 0
    /// is the most specific header for it.
    Bound {
        key: String,
        zh: String,
        rank: usize,
    },
    /// Names no column of the schema.
    Unknown,
    /// Could be column `key`, but the header at position `by` ranks higher.
    Outranked { key: String, zh: String, by: usize },
    /// Could be column `key`, but its first values do not look like one.
    Unfit {
        key: String,
        zh: String,
        samples: Vec<String>,
    },
}

/// One header of a file and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderColumn {
    /// 0-based position in the row.
    pub position: usize,
    pub header: String,
    pub usage: ColumnUse,
}

impl HeaderColumn {
    /// The spreadsheet letter of the column (`A`, `B`, … `AA`).
    pub fn letter(&self) -> String {
        column_letter(self.position)
    }

    /// One line for the console and the summary, e.g.
    /// `C 人员身份类别 → 核定类别` or `D 人员类别: 未用（…）`.
    pub fn describe(&self, header: &[HeaderColumn]) -> String {
        let name = |pos: usize| {
            header
                .iter()
                .find(|h| h.position == pos)
                .map(|h| format!("{} {}", h.letter(), h.header))
                .unwrap_or_default()
        };
        let at = format!("{} {}", self.letter(), self.header);
        match &self.usage {
            ColumnUse::Bound { zh, .. } => format!("{at} → {zh}"),
            ColumnUse::Unknown => format!("{at}: 未用 ignored (不是本表所需的列 not a column this kind needs)"),
            ColumnUse::Outranked { zh, by, .. } => format!(
                "{at}: 未用 ignored ({zh} 已取自更具体的列 taken from the more specific column {})",
                name(*by)
            ),
            ColumnUse::Unfit { zh, samples, .. } => format!(
                "{at}: 未用 ignored (前几行的值不像{zh} its first values do not look like {zh}: {})",
                samples.join("、")
            ),
        }
    }
}

impl super::InputFile {
    /// How each header was bound, on one line (the console says it once per file).
    pub fn binding_line(&self) -> String {
        let parts: Vec<String> = self
            .columns
            .iter()
            .map(|c| c.describe(&self.columns))
            .collect();
        format!(
            "{} {} 列 columns: {}",
            self.kind.key(),
            self.display,
            parts.join("; ")
        )
    }
}

/// The spreadsheet letter of a 0-based column position.
pub fn column_letter(position: usize) -> String {
    let mut n = position + 1;
    let mut out = Vec::new();
    while n > 0 {
        let d = (n - 1) % 26;
        out.push(char::from(b'A' + d as u8));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// A file's header bound to its schema.
#[derive(Debug, Clone, Default)]
pub struct Binding {
    /// Column key → index into a row, sorted by key.
    pub columns: Vec<(String, usize)>,
    /// Every header in file order, with its outcome.
    pub report: Vec<HeaderColumn>,
}

impl Binding {
    /// The headers that were not bound, as written.
    pub fn ignored(&self) -> Vec<String> {
        self.report
            .iter()
            .filter(|h| !matches!(h.usage, ColumnUse::Bound { .. }))
            .filter(|h| !h.header.trim().is_empty())
            .map(|h| h.header.clone())
            .collect()
    }
}

/// The population texts a policy declares (issue 14), for the value-fit
/// check of a 人员类别 header (implemented by the policy).
pub trait PopulationTexts: Sync + std::fmt::Debug {
    /// Whether the policy has populations worth a column at all (grades).
    fn has_populations(&self) -> bool;
    /// Whether `text` names a population (人员类别) of the policy.
    fn names_population(&self, text: &str) -> bool;
}

/// Decides whether a value fits a column. Without a vocabulary (a command
/// that reads no categories) category and rating values always fit; without
/// a policy no value is a population (nothing would read the column).
#[derive(Debug, Clone, Copy, Default)]
pub struct FitCheck<'a> {
    pub vocab: Option<&'a Vocabulary>,
    pub populations: Option<&'a dyn PopulationTexts>,
}

impl FitCheck<'_> {
    pub fn fits(&self, fit: Fit, value: &str) -> bool {
        match fit {
            Fit::Category => self
                .vocab
                .is_none_or(|v| v.category_by_text(value).is_some()),
            Fit::Rating => self
                .vocab
                .is_none_or(|v| v.is_ordinary_rating(value) || v.category_by_text(value).is_some()),
            Fit::CertNumber => normalise_id_text(value).chars().count() >= 20,
            Fit::IdNumber => matches!(normalise_id_text(value).chars().count(), 15 | 18),
            Fit::Population => self.populations.is_some_and(|p| p.names_population(value)),
        }
    }

    /// Whether at least half of the column's non-blank sample values fit (a
    /// column with none fits: nothing contradicts it).
    fn column_fits(&self, fit: Fit, values: &[&str]) -> bool {
        if fit == Fit::Population && !self.populations.is_some_and(|p| p.has_populations()) {
            return false;
        }
        let fitting = values.iter().filter(|v| self.fits(fit, v)).count();
        fitting * 2 >= values.len()
    }
}

/// Binds `header` to `schema`; `samples` are the first data rows (up to
/// [`FIT_SAMPLE_ROWS`]). A required column that stays unbound is an error
/// naming the file, the column, the accepted headers and any header refused
/// for its values; so are two headers that read the same and would bind.
pub fn bind(
    schema: &SourceSchema,
    header: &[String],
    samples: &[Vec<String>],
    check: FitCheck<'_>,
    (display, header_line): (&str, u64),
) -> Result<Binding> {
    let norm: Vec<String> = header.iter().map(|h| norm_header(h)).collect();
    let mut usage: Vec<ColumnUse> = vec![ColumnUse::Unknown; header.len()];
    let mut taken = vec![false; header.len()];
    let mut columns = std::collections::BTreeMap::new();
    for col in &schema.columns {
        let mut candidates: Vec<(usize, usize)> = norm
            .iter()
            .enumerate()
            .filter_map(|(pos, h)| col.rank(h).map(|r| (r, pos)))
            .collect();
        candidates.sort_unstable();
        let mut bound: Option<usize> = None;
        for (rank, pos) in candidates {
            if taken[pos] {
                continue;
            }
            if let Some(by) = bound {
                usage[pos] = ColumnUse::Outranked {
                    key: col.key.clone(),
                    zh: col.zh.clone(),
                    by,
                };
                continue;
            }
            // A header whose values do not fit never binds, so a same-named
            // header beside it is no ambiguity; nor is one whose values do
            // not fit. An earlier column's verdict on the header (outranked)
            // says more than a later column's refusal, and is kept.
            if let Some(values) = unfit_values(col, &norm[pos], pos, samples, check) {
                if usage[pos] == ColumnUse::Unknown {
                    usage[pos] = ColumnUse::Unfit {
                        key: col.key.clone(),
                        zh: col.zh.clone(),
                        samples: values,
                    };
                }
                continue;
            }
            if let Some(other) = (0..norm.len()).find(|&q| {
                q != pos
                    && !taken[q]
                    && norm[q] == norm[pos]
                    && unfit_values(col, &norm[q], q, samples, check).is_none()
            }) {
                return Err(duplicate(display, header, pos, other, col));
            }
            taken[pos] = true;
            bound = Some(pos);
            columns.insert(col.key.clone(), pos);
            usage[pos] = ColumnUse::Bound {
                key: col.key.clone(),
                zh: col.zh.clone(),
                rank,
            };
        }
        if col.required && bound.is_none() {
            return Err(missing((display, header_line), header, &usage, col));
        }
    }
    let report = header
        .iter()
        .zip(usage)
        .enumerate()
        .map(|(position, (h, usage))| HeaderColumn {
            position,
            header: h.clone(),
            usage,
        })
        .collect();
    Ok(Binding {
        columns: columns.into_iter().collect(),
        report,
    })
}

/// The first values of a checked header that does not fit (masked, for the
/// report), or `None` when it fits or is not checked.
fn unfit_values(
    col: &ColumnSpec,
    normalised: &str,
    pos: usize,
    samples: &[Vec<String>],
    check: FitCheck<'_>,
) -> Option<Vec<String>> {
    let fit = col.fit.filter(|_| col.is_checked(normalised))?;
    let values: Vec<&str> = samples
        .iter()
        .filter_map(|r| r.get(pos))
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .take(FIT_SAMPLE_ROWS)
        .collect();
    if check.column_fits(fit, &values) {
        return None;
    }
    let mut shown: Vec<String> = Vec::new();
    for v in values.iter().filter(|v| !check.fits(fit, v)) {
        // ID-shaped values are masked; category texts are shown as written.
        let m = crate::domain::mask_ids_in_text(v);
        if !shown.contains(&m) {
            shown.push(m);
        }
        if shown.len() == SHOWN_SAMPLES {
            break;
        }
    }
    Some(shown)
}

fn duplicate(display: &str, header: &[String], a: usize, b: usize, col: &ColumnSpec) -> Error {
    let (first, second) = (a.min(b), a.max(b));
    Error::DuplicateColumn {
        file: display.to_string(),
        header: header[first].clone(),
        column: col.zh.clone(),
        first: format!("{}（第{}列）", column_letter(first), first + 1),
        second: format!("{}（第{}列）", column_letter(second), second + 1),
    }
}

/// A required column no header binds. The headers found are echoed with
/// ID-shaped text masked: a file with no header row has data there.
fn missing(
    (display, header_line): (&str, u64),
    header: &[String],
    usage: &[ColumnUse],
    col: &ColumnSpec,
) -> Error {
    let mut accepted = vec![col.zh.clone()];
    accepted.extend(col.aliases.iter().filter(|a| **a != col.zh).cloned());
    let found: Vec<&str> = header
        .iter()
        .map(String::as_str)
        .filter(|h| !norm_header(h).is_empty())
        .collect();
    let refused: Vec<String> = usage
        .iter()
        .enumerate()
        .filter_map(|(pos, u)| match u {
            ColumnUse::Unfit { key, samples, .. } if *key == col.key => Some(format!(
                "{} {}: {}",
                column_letter(pos),
                header[pos],
                samples.join("、")
            )),
            _ => None,
        })
        .collect();
    let refused = if refused.is_empty() {
        String::new()
    } else {
        format!(
            "; 这些列的值不像“{}” these columns' values do not look like it: {}",
            col.zh,
            refused.join("; ")
        )
    };
    Error::MissingColumn {
        file: display.to_string(),
        column: col.zh.clone(),
        accepted: format!(
            "{} (header found on line {header_line}: {}){refused}",
            accepted.join(", "),
            crate::domain::mask_ids_in_text(&found.join(", "))
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::SourceKind;
    use crate::ingest::schema::Schemas;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    /// Binds `header` with `rows` as the sample, checking values against the
    /// embedded vocabulary.
    fn bind_kind(kind: SourceKind, header: &[&str], rows: &[&[&str]]) -> Result<Binding> {
        let s = Schemas::embedded().unwrap();
        let samples: Vec<Vec<String>> = rows.iter().map(|r| strings(r)).collect();
        let check = FitCheck {
            vocab: Some(&s.vocab),
            populations: None,
        };
        bind(
            s.source(kind),
            &strings(header),
            &samples,
            check,
            ("f.csv", 1),
        )
    }

    fn bound(b: &Binding, key: &str) -> Option<String> {
        let pos = b.columns.iter().find(|(k, _)| k == key).map(|(_, p)| *p)?;
        Some(b.report[pos].header.clone())
    }

    const ENROLL: [&str; 10] = [
        "身份证号",
        "姓名",
        "参保年度",
        "险种类型",
        "参保区划代码",
        "参保状态",
        "应缴金额",
        "实缴金额",
        "缴费日期",
        "人员类别",
    ];

    #[test]
    fn the_more_specific_header_binds_whatever_the_column_order() {
        for rating_first in [true, false] {
            let mut header: Vec<&str> = ENROLL.to_vec();
            if rating_first {
                header.insert(0, "人员身份类别");
            } else {
                header.push("人员身份类别");
            }
            let b = bind_kind(SourceKind::Enrollment, &header, &[]).unwrap();
            assert_eq!(bound(&b, "rating").as_deref(), Some("人员身份类别"));
            let other = b.report.iter().find(|h| h.header == "人员类别").unwrap();
            assert!(matches!(other.usage, ColumnUse::Outranked { ref key, .. } if key == "rating"));
        }
    }

    #[test]
    fn a_person_type_column_is_not_a_rating() {
        let row: [&str; 10] = ["", "", "", "", "", "", "", "", "", "在职"];
        let rows: Vec<[&str; 10]> = ["在职", "退休", "居民", "居民"]
            .iter()
            .map(|v| {
                let mut r = row;
                r[9] = v;
                r
            })
            .collect();
        let rows: Vec<&[&str]> = rows.iter().map(|r| &r[..]).collect();
        let err = bind_kind(SourceKind::Enrollment, &ENROLL, &rows).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, Error::MissingColumn { ref column, .. } if column == "核定类别"));
        assert!(msg.contains("J 人员类别: 在职、退休、居民"), "{msg}");
        // The same header holding ratings binds.
        let mut r = row;
        r[9] = "低保对象";
        let b = bind_kind(SourceKind::Enrollment, &ENROLL, &[&r, &row]).unwrap();
        assert_eq!(bound(&b, "rating").as_deref(), Some("人员类别"));
    }

    #[test]
    fn household_type_yields_to_the_monitoring_type_and_is_kept_as_fallback() {
        let header = [
            "户类型",
            "姓名",
            "身份证号",
            "监测对象类型",
            "识别监测时间",
            "行政区划代码",
        ];
        let b = bind_kind(SourceKind::Agri, &header, &[]).unwrap();
        assert_eq!(bound(&b, "category").as_deref(), Some("监测对象类型"));
        assert_eq!(bound(&b, "household_type").as_deref(), Some("户类型"));
        assert_eq!(bound(&b, "start_date").as_deref(), Some("识别监测时间"));
        // Alone, 户类型 is the category.
        let header = ["户类型", "姓名", "身份证号", "识别监测时间", "行政区划代码"];
        let b = bind_kind(SourceKind::Agri, &header, &[]).unwrap();
        assert_eq!(bound(&b, "category").as_deref(), Some("户类型"));
        assert_eq!(bound(&b, "household_type"), None);
    }

    #[test]
    fn two_headers_that_read_the_same_are_an_error_naming_both() {
        let header = [
            "姓名",
            "身份证号",
            "救助类别",
            "姓名",
            "认定日期",
            "行政区划代码",
        ];
        let err = bind_kind(SourceKind::Civil, &header, &[]).unwrap_err();
        match err {
            Error::DuplicateColumn {
                header,
                first,
                second,
                ..
            } => {
                assert_eq!(header, "姓名");
                assert!(
                    first.starts_with('A') && second.starts_with('D'),
                    "{first} {second}"
                );
            }
            other => panic!("{other}"),
        }
        // 身份证号 and 身份证号码 read the same.
        let header = [
            "姓名",
            "身份证号码",
            "救助类别",
            "身份证号",
            "认定日期",
            "行政区划代码",
        ];
        assert!(matches!(
            bind_kind(SourceKind::Civil, &header, &[]),
            Err(Error::DuplicateColumn { .. })
        ));
    }

    #[test]
    fn repeated_headers_nobody_reads_are_only_reported() {
        let header = [
            "姓名",
            "备注",
            "身份证号",
            "救助类别",
            "认定日期",
            "行政区划代码",
            "备注",
        ];
        let b = bind_kind(SourceKind::Civil, &header, &[]).unwrap();
        assert_eq!(b.ignored(), vec!["备注".to_string(), "备注".to_string()]);
    }

    #[test]
    fn repeated_headers_a_more_specific_one_outranks_are_only_reported() {
        let mut header: Vec<&str> = ENROLL.to_vec();
        header.push("人员类别");
        header.push("人员身份类别");
        let b = bind_kind(SourceKind::Enrollment, &header, &[]).unwrap();
        assert_eq!(bound(&b, "rating").as_deref(), Some("人员身份类别"));
        let outranked = b
            .report
            .iter()
            .filter(|h| matches!(h.usage, ColumnUse::Outranked { by: 11, .. }))
            .count();
        assert_eq!(outranked, 2);
    }

    #[test]
    fn household_head_columns_are_not_the_persons_own() {
        let header = [
            "户主姓名",
            "户主身份证号",
            "姓名",
            "身份证号码",
            "救助类别",
            "认定日期",
            "行政区划代码",
        ];
        let b = bind_kind(SourceKind::Civil, &header, &[]).unwrap();
        assert_eq!(bound(&b, "name").as_deref(), Some("姓名"));
        assert_eq!(bound(&b, "id_number").as_deref(), Some("身份证号码"));
        assert_eq!(b.report[0].usage, ColumnUse::Unknown);
        assert_eq!(b.report[1].usage, ColumnUse::Unknown);
        // Without the member's own columns the file is refused, not read by the head's.
        let header = [
            "户主姓名",
            "户主身份证号",
            "救助类别",
            "认定日期",
            "行政区划代码",
        ];
        assert!(matches!(
            bind_kind(SourceKind::Civil, &header, &[]),
            Err(Error::MissingColumn { ref column, .. }) if column == "姓名"
        ));
    }

    #[test]
    fn a_certificate_or_an_id_in_a_column_headed_zhengjianhaoma() {
        let header = ["姓名", "证件号码", "残疾等级", "发证日期", "行政区划代码"];
        let cert: &[&str] = &[
            "张三",
            "64010519590923211042",
            "二级",
            "2024-03-01",
            "640105",
        ];
        let b = bind_kind(SourceKind::Disability, &header, &[cert]).unwrap();
        assert_eq!(bound(&b, "cert_number").as_deref(), Some("证件号码"));
        assert_eq!(bound(&b, "id_number"), None);
        // An ID there, beside the certificate number: the ID column.
        let header = [
            "姓名",
            "证件号码",
            "残疾人证号",
            "残疾等级",
            "发证日期",
            "行政区划代码",
        ];
        let row: &[&str] = &[
            "张三",
            "640105195909232110",
            "64010519590923211042",
            "二级",
            "2024-03-01",
            "640105",
        ];
        let b = bind_kind(SourceKind::Disability, &header, &[row]).unwrap();
        assert_eq!(bound(&b, "cert_number").as_deref(), Some("残疾人证号"));
        assert_eq!(bound(&b, "id_number").as_deref(), Some("证件号码"));
    }

    #[test]
    fn headers_differing_only_in_form_match() {
        let header = [
            "*姓名",
            "身份证号码",
            "社会救助类别",
            "救助开始日期",
            "行政区划代码",
            "乡镇（街道）",
            "村【社区】",
            "联系 电话",
        ];
        let b = bind_kind(SourceKind::Civil, &header, &[]).unwrap();
        assert!(b.ignored().is_empty(), "{:?}", b.ignored());
        let mut header = ENROLL.to_vec();
        header[7] = "个人缴费金额（元）";
        header.push("费款所属期");
        let b = bind_kind(SourceKind::Enrollment, &header, &[]).unwrap();
        assert_eq!(bound(&b, "paid").as_deref(), Some("个人缴费金额（元）"));
        assert_eq!(bound(&b, "year").as_deref(), Some("参保年度"));
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }
}
