//! Source schemas (`schemas/<kind>.toml`): canonical headers, aliases, and
//! which columns are required. Loaded from a directory given with `--schemas`,
//! or from the copy compiled into the binary from this repository's `schemas/`.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use crate::domain::vocab::{norm_text, parse_toml};
use crate::domain::{SourceKind, Vocabulary};
use crate::error::Error;

/// One column of a source export.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnSpec {
    /// Stable English key the code reads the column by.
    pub key: String,
    /// Canonical Chinese header.
    pub zh: String,
    #[serde(default)]
    pub required: bool,
    /// Other headers for the column, ranked: when several headers of one
    /// file could be this column, the one listed first binds. The canonical
    /// `zh` ranks first unless `aliases` lists it, at its place there.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// What the column's values look like, for the value-fit check of the
    /// headers listed in `checked` (see [`super::bind`]).
    #[serde(default)]
    pub fit: Option<Fit>,
    /// Headers whose meaning differs between systems (e.g. 人员类别: a
    /// hardship rating in some exports, the person type 在职/退休/居民 on the
    /// medical-insurance platform): such a column binds only when its first
    /// values fit (`fit`).
    #[serde(default)]
    pub checked: Vec<String>,
}

/// The kinds of value a column's first rows are checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fit {
    /// A category text the vocabulary knows.
    Category,
    /// A 核定类别: a category text or an ordinary-resident text.
    Rating,
    /// A 残疾人证号 (the 18-character ID and two digits, maybe a suffix).
    CertNumber,
    /// A 身份证号 (15 or 18 characters).
    IdNumber,
    /// Issue 14: a population (人员类别: 成年居民, 大学生 …) the policy declares.
    Population,
}

impl ColumnSpec {
    /// The rank of a normalised header for this column (0 = most specific),
    /// or `None` when the header does not name it.
    pub fn rank(&self, normalised: &str) -> Option<usize> {
        if normalised.is_empty() {
            return None;
        }
        let zh = norm_header(&self.zh);
        let listed = self.aliases.iter().any(|a| norm_header(a) == zh);
        let canonical = (!listed).then_some(zh);
        canonical
            .into_iter()
            .chain(self.aliases.iter().map(|a| norm_header(a)))
            .position(|a| a == normalised)
    }

    /// Whether a header's values are checked before it binds.
    pub fn is_checked(&self, normalised: &str) -> bool {
        self.fit.is_some() && self.checked.iter().any(|c| norm_header(c) == normalised)
    }
}

/// The columns of one source kind.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSchema {
    pub kind: String,
    pub zh: String,
    #[serde(rename = "column")]
    pub columns: Vec<ColumnSpec>,
}

impl SourceSchema {
    /// Finds the column a header text names (canonical name or alias): the
    /// first column of the schema that lists it. Which column a header binds
    /// in a file also depends on the other headers and on the values
    /// ([`super::bind::bind`]).
    pub fn column_for_header(&self, header: &str) -> Option<&ColumnSpec> {
        let h = norm_header(header);
        self.columns.iter().find(|c| c.rank(&h).is_some())
    }
}

/// Header matching ignores what varies between exports without changing the
/// meaning: spaces, full-width forms, brackets and punctuation (`乡镇（街道）`
/// = `乡镇街道`), `号码` for `号` (`身份证号码` = `身份证号`), a trailing unit
/// `（元）` and a `*` marking a required column.
pub fn norm_header(h: &str) -> String {
    let t = norm_text(h);
    let t = t.trim_matches('*');
    let t = t
        .strip_suffix("(元)")
        .or_else(|| t.strip_suffix("[元]"))
        .unwrap_or(t);
    t.chars()
        .filter(|c| !is_header_punctuation(*c))
        .collect::<String>()
        .replace("号码", "号")
}

/// Brackets and punctuation, which header matching ignores.
fn is_header_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '、' | '，'
                | '。'
                | '：'
                | '；'
                | '【'
                | '】'
                | '〔'
                | '〕'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '·'
                | '《'
                | '》'
        )
}

/// Every schema table the pipeline needs.
#[derive(Debug, Clone)]
pub struct Schemas {
    pub sources: HashMap<SourceKind, SourceSchema>,
    pub vocab: Vocabulary,
    /// Report column labels: key → Chinese header.
    pub labels: HashMap<String, String>,
    /// Report sheet names: report key → Chinese name.
    pub sheets: HashMap<String, String>,
    /// How the county workbooks' lists print (issue 16).
    pub print: PrintTexts,
    /// How the workbooks are packed (issue 15).
    pub workbook: WorkbookSettings,
    /// Where the tables came from (`embedded` or a directory), for the summary.
    pub origin: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReports {
    sheets: HashMap<String, String>,
    labels: HashMap<String, String>,
    print: PrintTexts,
    #[serde(default)]
    workbook: WorkbookSettings,
}

/// How the workbooks are packed (`[workbook]` of `schemas/reports.toml`,
/// issue 15).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkbookSettings {
    /// The deflate level of every part of `report.xlsx` and the county
    /// workbooks, 1 (fastest) to 9 (smallest); absent: the writer's default
    /// (6). Cells are the same at every level; only size and time change.
    pub compression_level: Option<u8>,
}

/// The deflate levels a workbook can be packed at.
const COMPRESSION_LEVELS: std::ops::RangeInclusive<u8> = 1..=9;

/// The texts of a printed list (`[print]` of `schemas/reports.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrintTexts {
    /// The title row; `{region}`, `{county}`, `{year}`, `{month}` and
    /// `{list}` are filled in.
    pub title: String,
    /// The page footer, in Excel's header/footer codes (`&P` page, `&N` pages).
    pub footer: String,
    /// The sign-off line under the table, one part per blank to sign.
    pub sign: Vec<String>,
}

/// Excel ignores a page footer longer than this.
const MAX_FOOTER_CHARS: usize = 255;

const EMBEDDED: [(&str, &str); 10] = [
    ("civil.toml", include_str!("../../schemas/civil.toml")),
    ("agri.toml", include_str!("../../schemas/agri.toml")),
    (
        "disability.toml",
        include_str!("../../schemas/disability.toml"),
    ),
    ("veterans.toml", include_str!("../../schemas/veterans.toml")),
    (
        "enrollment.toml",
        include_str!("../../schemas/enrollment.toml"),
    ),
    ("persons.toml", include_str!("../../schemas/persons.toml")),
    (
        "elsewhere.toml",
        include_str!("../../schemas/elsewhere.toml"),
    ),
    (
        "categories.toml",
        include_str!("../../schemas/categories.toml"),
    ),
    ("codes.toml", include_str!("../../schemas/codes.toml")),
    ("reports.toml", include_str!("../../schemas/reports.toml")),
];

impl Schemas {
    /// The tables compiled into the binary.
    pub fn embedded() -> Result<Schemas, Error> {
        Schemas::build("embedded", |name| {
            EMBEDDED
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, text)| (*text).to_string())
                .ok_or_else(|| Error::Internal(format!("no embedded schema {name}")))
        })
    }

    /// The tables in a directory (same file names as `schemas/`).
    pub fn from_dir(dir: &Path) -> Result<Schemas, Error> {
        Schemas::build(&dir.display().to_string(), |name| {
            let path = dir.join(name);
            std::fs::read_to_string(&path).map_err(|e| Error::Io {
                path: path.display().to_string(),
                message: e.to_string(),
            })
        })
    }

    fn build(origin: &str, read: impl Fn(&str) -> Result<String, Error>) -> Result<Schemas, Error> {
        let schema_err = |message: String| Error::Schema { message };
        let mut sources = HashMap::new();
        for kind in SourceKind::ALL {
            let name = format!("{}.toml", kind.key());
            let s: SourceSchema =
                parse_toml(&read(&name)?, &format!("{origin}/{name}")).map_err(schema_err)?;
            if s.kind != kind.key() {
                return Err(schema_err(format!(
                    "{origin}/{name}: key `kind` is `{}`, expected `{}`",
                    s.kind,
                    kind.key()
                )));
            }
            sources.insert(kind, s);
        }
        let vocab = Vocabulary::from_toml(&read("categories.toml")?, &read("codes.toml")?, origin)
            .map_err(schema_err)?;
        let reports: RawReports =
            parse_toml(&read("reports.toml")?, &format!("{origin}/reports.toml"))
                .map_err(schema_err)?;
        if reports.print.footer.chars().count() > MAX_FOOTER_CHARS {
            return Err(schema_err(format!(
                "{origin}/reports.toml: key `print.footer` has {} characters, expected at most {MAX_FOOTER_CHARS} (Excel's limit)",
                reports.print.footer.chars().count()
            )));
        }
        if let Some(level) = reports.workbook.compression_level {
            if !COMPRESSION_LEVELS.contains(&level) {
                return Err(schema_err(format!(
                    "{origin}/reports.toml: key `workbook.compression_level` is {level}, expected 1 (fastest) to 9 (smallest)"
                )));
            }
        }
        Ok(Schemas {
            sources,
            vocab,
            labels: reports.labels,
            sheets: reports.sheets,
            print: reports.print,
            workbook: reports.workbook,
            origin: origin.to_string(),
        })
    }

    pub fn source(&self, kind: SourceKind) -> &SourceSchema {
        // Every kind is loaded in `build`, so the index cannot miss.
        &self.sources[&kind]
    }

    /// The Chinese label of a report column, or the key itself when none is set.
    pub fn label<'a>(&'a self, key: &'a str) -> &'a str {
        self.labels.get(key).map(String::as_str).unwrap_or(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_schemas_load_and_match_aliases() {
        let s = Schemas::embedded().unwrap();
        let civil = s.source(SourceKind::Civil);
        assert_eq!(
            civil.column_for_header("身份证号码").unwrap().key,
            "id_number"
        );
        assert_eq!(civil.column_for_header(" 姓 名 ").unwrap().key, "name");
        assert_eq!(
            civil.column_for_header("*认定日期").unwrap().key,
            "start_date"
        );
        assert!(civil.column_for_header("备注").is_none());
    }

    #[test]
    fn category_texts_resolve() {
        let v = Schemas::embedded().unwrap().vocab;
        let code = |t: &str| v.category_by_text(t).map(|c| v.code(c).to_string());
        assert_eq!(code("城市低保").as_deref(), Some("dibao"));
        assert_eq!(code("特困人员").as_deref(), Some("tekun"));
        assert_eq!(
            code("因病突发严重困难户").as_deref(),
            Some("monitored_sudden")
        );
        assert_eq!(code("脱贫不稳定户").as_deref(), Some("monitored_unstable"));
        assert_eq!(code("二级").as_deref(), Some("disabled_g2"));
        assert_eq!(code("临时救助对象"), None);
        // Forms by rule: name-code, (救助) suffix, 民政 prefix, and all three.
        assert_eq!(code("特困人员-7131").as_deref(), Some("tekun"));
        assert_eq!(code("低保对象(救助)").as_deref(), Some("dibao"));
        assert_eq!(code("低保对象（救助）").as_deref(), Some("dibao"));
        assert_eq!(code("民政城乡孤儿").as_deref(), Some("orphan"));
        assert_eq!(
            code("民政城乡低保对象(救助)-7019").as_deref(),
            Some("dibao")
        );
        assert_eq!(code("返贫致贫人口-7202").as_deref(), Some("relapsed_poor"));
        // A dash inside a name is not a code.
        assert_eq!(code("低保-对象"), None);
        assert_eq!(code("-7131"), None);
        // The nearest known texts of an unknown one.
        let near = v.nearest_texts("低保对像", 3);
        assert!(near.iter().any(|t| t == "低保对象"), "{near:?}");
        assert_eq!(v.grade("Ⅲ级"), Some(3));
        assert_eq!(v.grade("1"), Some(1));
        assert_eq!(v.disability_kind("肢体"), Some(4));
    }

    /// The embedded tables with `reports.toml` replaced by `reports`.
    fn with_reports(reports: &str) -> Result<Schemas, Error> {
        Schemas::build("test", |name| {
            if name == "reports.toml" {
                return Ok(reports.to_string());
            }
            EMBEDDED
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, text)| (*text).to_string())
                .ok_or_else(|| Error::Internal(name.to_string()))
        })
    }

    const REPORTS: &str = include_str!("../../schemas/reports.toml");

    #[test]
    fn reports_without_a_print_section_are_refused_naming_the_file() {
        let cut = &REPORTS[..REPORTS.find("[print]").unwrap()];
        match with_reports(cut) {
            Err(Error::Schema { message }) => {
                assert!(message.contains("test/reports.toml"), "{message}");
                assert!(message.contains("print"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_compression_level_outside_1_to_9_is_refused() {
        let level = |text: &str| with_reports(text).map(|s| s.workbook.compression_level);
        assert!(REPORTS.contains("\n[workbook]\n"));
        let set = |n: &str| {
            let start = REPORTS.find("compression_level = ").unwrap();
            let end = start + REPORTS[start..].find('\n').unwrap();
            format!(
                "{}compression_level = {n}{}",
                &REPORTS[..start],
                &REPORTS[end..]
            )
        };
        for bad in ["0", "10"] {
            match level(&set(bad)) {
                Err(Error::Schema { message }) => {
                    assert!(message.contains("test/reports.toml"), "{message}");
                    assert!(message.contains("workbook.compression_level"), "{message}");
                    assert!(message.contains(&format!("is {bad},")), "{message}");
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
        assert_eq!(level(&set("1")).unwrap(), Some(1));
        assert_eq!(level(&set("9")).unwrap(), Some(9));
        // Without the section: the writer's default.
        let cut = &REPORTS[..REPORTS.find("\n[workbook]\n").unwrap()];
        assert_eq!(level(cut).unwrap(), None);
    }

    #[test]
    fn a_footer_longer_than_excel_takes_is_refused() {
        let long = "页".repeat(MAX_FOOTER_CHARS + 1);
        let text = REPORTS.replace(
            "footer = \"&C第 &P 页 共 &N 页\"",
            &format!("footer = \"{long}\""),
        );
        assert_ne!(text, REPORTS);
        match with_reports(&text) {
            Err(Error::Schema { message }) => {
                assert!(message.contains("print.footer"), "{message}");
                assert!(message.contains("255"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        let fits = REPORTS.replace("&C第 &P 页 共 &N 页", &"页".repeat(MAX_FOOTER_CHARS));
        assert_eq!(
            with_reports(&fits).unwrap().print.footer.chars().count(),
            255
        );
    }
}

/// The input columns the row parsers read, by their schema key
/// (`schemas/*.toml`). A row's field is found by indexing with one of these
/// (a table of positions built once per file), not by comparing key texts
/// on every read of every row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    BenefitStart,
    Category,
    CertNumber,
    ContributionGrade,
    DeathDate,
    DisabilityKind,
    DocType,
    Due,
    DynamicGroup,
    EndDate,
    ExitYear,
    Grade,
    HouseholdType,
    HukouRegion,
    IdNumber,
    Name,
    Note,
    Paid,
    PayDate,
    Phone,
    Population,
    Rating,
    RegionCode,
    RepairYears,
    RiskClearedDate,
    RosterDate,
    Scheme,
    StartDate,
    Status,
    TaxReceipt,
    Township,
    ValidUntil,
    Village,
    Year,
}

impl Col {
    pub const ALL: [Col; 34] = [
        Col::BenefitStart,
        Col::Category,
        Col::CertNumber,
        Col::ContributionGrade,
        Col::DeathDate,
        Col::DisabilityKind,
        Col::DocType,
        Col::Due,
        Col::DynamicGroup,
        Col::EndDate,
        Col::ExitYear,
        Col::Grade,
        Col::HouseholdType,
        Col::HukouRegion,
        Col::IdNumber,
        Col::Name,
        Col::Note,
        Col::Paid,
        Col::PayDate,
        Col::Phone,
        Col::Population,
        Col::Rating,
        Col::RegionCode,
        Col::RepairYears,
        Col::RiskClearedDate,
        Col::RosterDate,
        Col::Scheme,
        Col::StartDate,
        Col::Status,
        Col::TaxReceipt,
        Col::Township,
        Col::ValidUntil,
        Col::Village,
        Col::Year,
    ];

    /// The schema key (`key = "…"` in `schemas/*.toml`).
    pub fn key(self) -> &'static str {
        match self {
            Col::BenefitStart => "benefit_start",
            Col::Category => "category",
            Col::CertNumber => "cert_number",
            Col::ContributionGrade => "contribution_grade",
            Col::DeathDate => "death_date",
            Col::DisabilityKind => "disability_kind",
            Col::DocType => "doc_type",
            Col::Due => "due",
            Col::DynamicGroup => "dynamic_group",
            Col::EndDate => "end_date",
            Col::ExitYear => "poverty_exit_year",
            Col::Grade => "grade",
            Col::HouseholdType => "household_type",
            Col::HukouRegion => "hukou_region",
            Col::IdNumber => "id_number",
            Col::Name => "name",
            Col::Note => "note",
            Col::Paid => "paid",
            Col::PayDate => "pay_date",
            Col::Phone => "phone",
            Col::Population => "population",
            Col::Rating => "rating",
            Col::RegionCode => "region_code",
            Col::RepairYears => "repair_years",
            Col::RiskClearedDate => "risk_cleared_date",
            Col::RosterDate => "roster_date",
            Col::Scheme => "scheme",
            Col::StartDate => "start_date",
            Col::Status => "status",
            Col::TaxReceipt => "tax_receipt",
            Col::Township => "township",
            Col::ValidUntil => "valid_until",
            Col::Village => "village",
            Col::Year => "year",
        }
    }
}
