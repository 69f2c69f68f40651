//! The vocabulary that turns department wording into canonical codes:
//! identity categories (困难身份类别), disability grades, schemes (险种),
//! enrollment statuses (参保状态) and dynamic-enrollment groups (动态参保类别).
//!
//! The tables are data (`schemas/categories.toml`, `schemas/codes.toml`, plus a
//! policy's own `[aliases]` and `[[category]]`); this module only indexes them.

use std::collections::{BTreeMap, HashMap};

/// A vocabulary table (text → value), hashed with foldhash (issue 15: every
/// row is looked up in several; SipHash was a measured cost). Its keys come
/// from the schema tables, not from the rows, and a fixed seed keeps the
/// iteration order the same from run to run.
type Table<V> = HashMap<String, V, foldhash::fast::FixedState>;
use std::fmt;

use serde::Deserialize;

use super::id::fullwidth_to_ascii;

impl EnrollStatus {
    pub fn zh(self) -> &'static str {
        match self {
            EnrollStatus::Active => "参保缴费",
            EnrollStatus::Suspended => "暂停",
            EnrollStatus::Terminated => "终止",
        }
    }
}

/// Which department export a record came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SourceKind {
    /// 民政 civil affairs.
    Civil,
    /// 农业农村 / 乡村振兴 / 农牧 agriculture (poverty monitoring).
    Agri,
    /// 残联 disabled persons' federation.
    Disability,
    /// 退役军人事务 veterans affairs.
    Veterans,
    /// 一人一档参保缴费 the enrollment ledger.
    Enrollment,
    /// 一人一档人员库 the resident register.
    Persons,
    /// 异地参保 people insured outside this ledger.
    Elsewhere,
}

impl SourceKind {
    pub const ALL: [SourceKind; 7] = [
        SourceKind::Civil,
        SourceKind::Agri,
        SourceKind::Disability,
        SourceKind::Veterans,
        SourceKind::Enrollment,
        SourceKind::Persons,
        SourceKind::Elsewhere,
    ];

    /// The CLI flag / schema file name.
    pub fn key(self) -> &'static str {
        match self {
            SourceKind::Civil => "civil",
            SourceKind::Agri => "agri",
            SourceKind::Disability => "disability",
            SourceKind::Veterans => "veterans",
            SourceKind::Enrollment => "enrollment",
            SourceKind::Persons => "persons",
            SourceKind::Elsewhere => "elsewhere",
        }
    }

    /// The department's name as clerks say it.
    pub fn zh(self) -> &'static str {
        match self {
            SourceKind::Civil => "民政",
            SourceKind::Agri => "农业农村",
            SourceKind::Disability => "残联",
            SourceKind::Veterans => "退役军人事务",
            SourceKind::Enrollment => "医保参保缴费",
            SourceKind::Persons => "一人一档人员库",
            SourceKind::Elsewhere => "异地参保",
        }
    }

    pub fn from_key(key: &str) -> Option<SourceKind> {
        SourceKind::ALL.into_iter().find(|k| k.key() == key)
    }

    /// Whether rows of this kind are hardship identities.
    pub fn is_identity(self) -> bool {
        matches!(
            self,
            SourceKind::Civil | SourceKind::Agri | SourceKind::Disability | SourceKind::Veterans
        )
    }
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// An identity category (困难身份类别), an index into the vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Category(pub u16);

/// What an agriculture record becomes from its 风险消除日期 on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterRiskCleared {
    Becomes(Category),
    Ends,
}

#[derive(Debug, Clone)]
pub struct CategoryInfo {
    pub code: String,
    pub zh: String,
    pub after_risk_cleared: Option<AfterRiskCleared>,
    pub disability_grade: Option<u8>,
}

/// 险种类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scheme {
    /// 390 城乡居民基本医疗保险.
    Resident,
    /// 310 职工基本医疗保险.
    Employee,
}

impl Scheme {
    /// The ledger code (`390`, `310`).
    pub fn code(self) -> &'static str {
        match self {
            Scheme::Resident => "390",
            Scheme::Employee => "310",
        }
    }
}

/// 参保状态.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EnrollStatus {
    /// 参保缴费 (1).
    Active,
    /// 暂停 (2).
    Suspended,
    /// 终止 (4).
    Terminated,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategories {
    category: Vec<RawCategory>,
    disability_grades: BTreeMap<String, Vec<String>>,
    disability_kinds: BTreeMap<String, Vec<String>>,
    ratings: RawRatings,
    #[serde(default)]
    text_forms: TextForms,
}

/// Forms of a category text that name the same category, by rule
/// (`[text_forms]` in `schemas/categories.toml`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextForms {
    /// `特困人员-7131`: a separator, then only digits, at the end.
    #[serde(default)]
    code_separators: Vec<String>,
    /// `低保对象(救助)`.
    #[serde(default)]
    suffixes: Vec<String>,
    /// `民政城乡低保对象`.
    #[serde(default)]
    prefixes: Vec<String>,
}

impl TextForms {
    fn normalised(self) -> TextForms {
        let all = |v: Vec<String>| v.iter().map(|t| norm_text(t)).collect();
        TextForms {
            code_separators: all(self.code_separators),
            suffixes: all(self.suffixes),
            prefixes: all(self.prefixes),
        }
    }

    /// The text without a name-code tail (`-7131`), if it has one.
    fn without_code<'t>(&self, t: &'t str) -> Option<&'t str> {
        self.code_separators.iter().find_map(|sep| {
            let (name, code) = t.rsplit_once(sep.as_str())?;
            (!name.is_empty() && !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit()))
                .then_some(name)
        })
    }

    fn without_suffix<'t>(&self, t: &'t str) -> Option<&'t str> {
        self.suffixes
            .iter()
            .find_map(|s| t.strip_suffix(s.as_str()).filter(|r| !r.is_empty()))
    }

    fn without_prefix<'t>(&self, t: &'t str) -> Option<&'t str> {
        self.prefixes
            .iter()
            .find_map(|p| t.strip_prefix(p.as_str()).filter(|r| !r.is_empty()))
    }

    /// The shorter forms of `t`, each rule alone, then code, suffix and
    /// prefix together in that order (`民政城乡低保对象(救助)-7019`).
    fn forms<'t>(&self, t: &'t str) -> Vec<&'t str> {
        let mut out = Vec::new();
        out.extend(self.without_code(t));
        out.extend(self.without_suffix(t));
        out.extend(self.without_prefix(t));
        let mut all = t;
        all = self.without_code(all).unwrap_or(all);
        all = self.without_suffix(all).unwrap_or(all);
        all = self.without_prefix(all).unwrap_or(all);
        out.push(all);
        out
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    code: String,
    zh: String,
    #[allow(dead_code)]
    source: Option<String>,
    #[serde(default)]
    texts: Vec<String>,
    after_risk_cleared: Option<String>,
    disability_grade: Option<u8>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRatings {
    ordinary: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCodes {
    schemes: BTreeMap<String, Vec<String>>,
    statuses: BTreeMap<String, Vec<String>>,
    civil_status: BTreeMap<String, Vec<String>>,
    dynamic_groups: BTreeMap<String, Vec<String>>,
}

/// A policy's finer category of its own (e.g. 农村牧区低收入人口 apart from
/// urban 低收入人口).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtraCategory {
    pub code: String,
    pub zh: String,
    #[serde(default)]
    pub texts: Vec<String>,
}

/// Every text→code table, indexed.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    categories: Vec<CategoryInfo>,
    by_code: Table<Category>,
    by_text: Table<Category>,
    ordinary_texts: Vec<String>,
    text_forms: TextForms,
    grades: Table<u8>,
    kinds: Table<u8>,
    schemes: Table<Scheme>,
    statuses: Table<EnrollStatus>,
    ended_status: Vec<String>,
    dynamic_groups: Table<String>,
    dynamic_group_codes: Vec<String>,
    /// Issue 11: the policy's county names (empty in the schema tables alone).
    counties: super::place::CountyNames,
}

/// Normalises a text for table look-up: no spaces, half-width characters.
/// Full-width forms (`（二级）`, `２`) become half-width, so the tables need
/// list each text once.
pub fn norm_text(s: &str) -> String {
    norm_key(s).into_owned()
}

/// [`norm_text`] without allocating when the text is already normal (the
/// usual case: every lookup of every row goes through here).
pub fn norm_key(s: &str) -> std::borrow::Cow<'_, str> {
    if s.bytes().all(|b| b.is_ascii_graphic()) {
        return std::borrow::Cow::Borrowed(s);
    }
    // No whitespace lies above U+3000, so a CJK character needs no table
    // lookup; only U+FEFF and the full-width forms there are not normal.
    let normal = |c: char| match u32::from(c) {
        0x3001.. => c != '\u{feff}' && fullwidth_to_ascii(c) == c,
        _ => !c.is_whitespace() && fullwidth_to_ascii(c) == c,
    };
    if s.chars().all(normal) {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(
            s.chars()
                .filter(|c| !c.is_whitespace() && *c != '\u{feff}')
                .map(fullwidth_to_ascii)
                .collect(),
        )
    }
}

/// The value of `text` in `table`, as looked up by its [`norm_key`].
/// Issue 15: a text written as the table lists it (the usual case) is
/// found by itself; normalising it would leave it as it is (the keys are
/// normal, and a normal text normalises to itself), so only a text that is
/// not found is normalised, and looked up again if that changed it.
fn look_up<'t, V>(table: &'t Table<V>, text: &str) -> Option<&'t V> {
    table.get(text).or_else(|| match norm_key(text) {
        std::borrow::Cow::Borrowed(_) => None,
        std::borrow::Cow::Owned(t) => table.get(&t),
    })
}

impl Vocabulary {
    /// Issue 11: the county names a region column may hold (the policy's
    /// `[counties]`; set by the policy, see [`super::place`]).
    pub fn counties(&self) -> &super::place::CountyNames {
        &self.counties
    }

    pub fn set_counties(&mut self, names: super::place::CountyNames) {
        self.counties = names;
    }

    /// Builds the vocabulary from the two schema tables; `origin` names them in errors.
    pub fn from_toml(categories: &str, codes: &str, origin: &str) -> Result<Vocabulary, String> {
        let cats: RawCategories = parse_toml(categories, &format!("{origin}/categories.toml"))?;
        let codes: RawCodes = parse_toml(codes, &format!("{origin}/codes.toml"))?;
        let mut v = Vocabulary {
            categories: Vec::new(),
            by_code: Table::default(),
            by_text: Table::default(),
            ordinary_texts: cats.ratings.ordinary.iter().map(|t| norm_text(t)).collect(),
            text_forms: cats.text_forms.normalised(),
            grades: Table::default(),
            kinds: Table::default(),
            schemes: Table::default(),
            statuses: Table::default(),
            ended_status: Vec::new(),
            dynamic_groups: Table::default(),
            dynamic_group_codes: Vec::new(),
            counties: Default::default(),
        };
        for c in &cats.category {
            v.add_category(&c.code, &c.zh, &c.texts)
                .map_err(|e| format!("{origin}/categories.toml: {e}"))?;
        }
        for (i, c) in cats.category.iter().enumerate() {
            let after = match c.after_risk_cleared.as_deref() {
                None => None,
                Some("end") => Some(AfterRiskCleared::Ends),
                Some(code) => Some(AfterRiskCleared::Becomes(v.category(code).ok_or_else(|| {
                    format!("{origin}/categories.toml: category[{i}].after_risk_cleared: unknown category `{code}`")
                })?)),
            };
            v.categories[i].after_risk_cleared = after;
            v.categories[i].disability_grade = c.disability_grade;
        }
        for (grade, texts) in &cats.disability_grades {
            let g: u8 = grade.parse().map_err(|_| {
                format!("{origin}/categories.toml: disability_grades.{grade}: expected 1–4")
            })?;
            for t in texts {
                v.grades.insert(norm_text(t), g);
            }
        }
        for (kind, texts) in &cats.disability_kinds {
            let k: u8 = kind.parse().map_err(|_| {
                format!("{origin}/categories.toml: disability_kinds.{kind}: expected 1–7")
            })?;
            for t in texts {
                v.kinds.insert(norm_text(t), k);
            }
        }
        for (code, texts) in &codes.schemes {
            let s = match code.as_str() {
                "resident" => Scheme::Resident,
                "employee" => Scheme::Employee,
                other => {
                    return Err(format!(
                        "{origin}/codes.toml: schemes.{other}: expected resident or employee"
                    ))
                }
            };
            for t in texts {
                v.schemes.insert(norm_text(t), s);
            }
        }
        for (code, texts) in &codes.statuses {
            let s = match code.as_str() {
                "active" => EnrollStatus::Active,
                "suspended" => EnrollStatus::Suspended,
                "terminated" => EnrollStatus::Terminated,
                other => {
                    return Err(format!(
                        "{origin}/codes.toml: statuses.{other}: expected active, suspended or terminated"
                    ))
                }
            };
            for t in texts {
                v.statuses.insert(norm_text(t), s);
            }
        }
        v.ended_status = codes
            .civil_status
            .get("ended")
            .map(|ts| ts.iter().map(|t| norm_text(t)).collect())
            .unwrap_or_default();
        for (code, texts) in &codes.dynamic_groups {
            v.dynamic_group_codes.push(code.clone());
            v.dynamic_groups.insert(norm_text(code), code.clone());
            for t in texts {
                v.dynamic_groups.insert(norm_text(t), code.clone());
            }
        }
        Ok(v)
    }

    fn add_category(&mut self, code: &str, zh: &str, texts: &[String]) -> Result<Category, String> {
        if self.by_code.contains_key(code) {
            return Err(format!("category `{code}` is defined twice"));
        }
        let idx =
            u16::try_from(self.categories.len()).map_err(|_| "too many categories".to_string())?;
        let cat = Category(idx);
        self.categories.push(CategoryInfo {
            code: code.to_string(),
            zh: zh.to_string(),
            after_risk_cleared: None,
            disability_grade: None,
        });
        self.by_code.insert(code.to_string(), cat);
        self.by_text.insert(norm_text(zh), cat);
        self.by_text.insert(norm_text(code), cat);
        for t in texts {
            self.by_text.insert(norm_text(t), cat);
        }
        Ok(cat)
    }

    /// Adds a policy's own categories and aliases. Later texts win, so a policy
    /// can move a text (e.g. 农村牧区低收入人口) to a finer category of its own.
    pub fn extend(
        &mut self,
        extra: &[ExtraCategory],
        aliases: &BTreeMap<String, String>,
    ) -> Result<(), String> {
        for (i, c) in extra.iter().enumerate() {
            self.add_category(&c.code, &c.zh, &c.texts)
                .map_err(|e| format!("category[{i}]: {e}"))?;
        }
        for (text, code) in aliases {
            let cat = self
                .category(code)
                .ok_or_else(|| format!("aliases.{text}: unknown category `{code}`"))?;
            self.by_text.insert(norm_text(text), cat);
        }
        Ok(())
    }

    pub fn category(&self, code: &str) -> Option<Category> {
        self.by_code.get(code).copied()
    }

    /// The category a text names: a listed text, or a form of one by the
    /// `[text_forms]` rules (`特困人员-7131`, `低保对象(救助)`, `民政城乡孤儿`).
    pub fn category_by_text(&self, text: &str) -> Option<Category> {
        // As listed (the usual case), no normalising needed (see [`look_up`]).
        if let Some(c) = self.by_text.get(text) {
            return Some(*c);
        }
        let t = norm_key(text);
        if let Some(c) = self.by_text.get(t.as_ref()) {
            return Some(*c);
        }
        self.text_forms
            .forms(&t)
            .into_iter()
            .find_map(|f| self.by_text.get(f).copied())
    }

    /// The known category texts nearest to an unknown one (for its reject):
    /// up to `n`, most similar first, ties in text order.
    pub fn nearest_texts(&self, text: &str, n: usize) -> Vec<String> {
        let t = norm_key(text);
        // Shared character pairs first (Sørensen–Dice), then edit distance.
        let mut scored: Vec<(f64, f64, &String)> = self
            .by_text
            .keys()
            .filter(|k| !k.is_ascii())
            .map(|k| {
                (
                    strsim::sorensen_dice(&t, k),
                    strsim::normalized_levenshtein(&t, k),
                    k,
                )
            })
            .filter(|(dice, lev, _)| *dice > 0.0 || *lev > 0.0)
            .collect();
        scored.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then_with(|| b.1.total_cmp(&a.1))
                .then_with(|| a.2.cmp(b.2))
        });
        scored
            .into_iter()
            .take(n)
            .map(|(_, _, k)| k.clone())
            .collect()
    }

    pub fn info(&self, c: Category) -> &CategoryInfo {
        &self.categories[usize::from(c.0)]
    }

    pub fn code(&self, c: Category) -> &str {
        &self.info(c).code
    }

    pub fn zh(&self, c: Category) -> &str {
        &self.info(c).zh
    }

    /// The category a disability certificate of this grade gives.
    pub fn disability_category(&self, grade: u8) -> Option<Category> {
        self.categories
            .iter()
            .position(|c| c.disability_grade == Some(grade))
            .and_then(|i| u16::try_from(i).ok())
            .map(Category)
    }

    pub fn grade(&self, text: &str) -> Option<u8> {
        look_up(&self.grades, text).copied()
    }

    pub fn disability_kind(&self, text: &str) -> Option<u8> {
        look_up(&self.kinds, text).copied()
    }

    pub fn scheme(&self, text: &str) -> Option<Scheme> {
        look_up(&self.schemes, text).copied()
    }

    pub fn status(&self, text: &str) -> Option<EnrollStatus> {
        look_up(&self.statuses, text).copied()
    }

    pub fn is_ordinary_rating(&self, text: &str) -> bool {
        // As listed (the usual case), no normalising needed (see [`look_up`]).
        if text.is_empty() || self.ordinary_texts.iter().any(|o| o == text) {
            return true;
        }
        let t = norm_key(text);
        t.is_empty() || self.ordinary_texts.iter().any(|o| *o == t)
    }

    /// Whether a civil 状态 text says the identity has ended.
    pub fn is_ended_status(&self, text: &str) -> bool {
        self.ended_status.iter().any(|o| *o == norm_key(text))
    }

    /// The canonical code of a 动态参保类别 text.
    pub fn dynamic_group(&self, text: &str) -> Option<&str> {
        look_up(&self.dynamic_groups, text).map(String::as_str)
    }

    pub fn is_dynamic_group_code(&self, code: &str) -> bool {
        self.dynamic_group_codes.iter().any(|c| c == code)
    }

    pub fn categories(&self) -> impl Iterator<Item = Category> + '_ {
        (0..self.categories.len()).filter_map(|i| u16::try_from(i).ok().map(Category))
    }
}

/// Parses TOML with the path of the failing key in the message.
pub fn parse_toml<T: serde::de::DeserializeOwned>(text: &str, origin: &str) -> Result<T, String> {
    let de = toml::Deserializer::new(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let msg = inner.message().to_string();
        let at = inner
            .span()
            .map(|s| {
                let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
                format!(" (line {line})")
            })
            .unwrap_or_default();
        if path == "." || path.is_empty() {
            format!("{origin}{at}: {msg}")
        } else {
            format!("{origin}: key `{path}`{at}: {msg}")
        }
    })
}
