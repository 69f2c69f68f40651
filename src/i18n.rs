//! Messages in the clerk's language (`--lang zh|en`, default zh). Every
//! message a person acts on — reject and conflict explanations, run errors —
//! is written in both languages where it is made, and picked when printed.

use std::fmt;

/// The language of messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// 中文 (default: the users are county clerks).
    #[default]
    Zh,
    En,
}

/// A message in both languages.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Msg {
    pub zh: String,
    pub en: String,
}

impl Msg {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Msg {
        Msg {
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// Appends a sentence in both languages.
    pub fn and(mut self, more: Msg) -> Msg {
        self.zh.push_str(&more.zh);
        self.en.push_str("; ");
        self.en.push_str(&more.en);
        self
    }
}

/// Shown in Chinese (the default) where no language is chosen.
impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.zh)
    }
}

/// Whether `c` is a Chinese character or Chinese punctuation (CJK ideographs,
/// CJK symbols such as `，。：`, full-width forms such as `（）：；`).
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303f}'
        | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{f900}'..='\u{faff}'
        | '\u{ff00}'..='\u{ffef}'
        | '\u{20000}'..='\u{2fa1f}')
}

/// Whether `s` holds Chinese outside quoted data (`…`, “…”, 「…」): the
/// test of an English line, where a quoted column name may stay Chinese.
pub fn has_cjk_outside_quotes(s: &str) -> bool {
    let mut closing: Option<char> = None;
    for c in s.chars() {
        match closing {
            Some(end) if c == end => closing = None,
            Some(_) => {}
            None => match c {
                '`' => closing = Some('`'),
                '“' => closing = Some('”'),
                '「' => closing = Some('」'),
                c if is_cjk(c) => return true,
                _ => {}
            },
        }
    }
    false
}

/// Splits one line written `中文 English` — the convention of every help
/// text, heading and example comment of the command line — into its Chinese
/// and English halves. The English half is the first word starting with a
/// capital letter, after Chinese, from which on nothing but quoted data is
/// Chinese; a ` — ` between the halves is dropped. A comment after `# ` is
/// split on its own, the command before it kept in both. A line without
/// Chinese is the same in both languages; a Chinese line with no English
/// half stays whole in both (and the language test says so).
pub fn split_bilingual(line: &str) -> (String, String) {
    if let Some(at) = line.find("# ") {
        let (head, comment) = line.split_at(at + 2);
        if !head.chars().any(is_cjk) && comment.chars().any(is_cjk) {
            let (zh, en) = split_bilingual(comment);
            return (format!("{head}{zh}"), format!("{head}{en}"));
        }
    }
    if !line.chars().any(is_cjk) {
        return (line.to_string(), line.to_string());
    }
    let mut prev: Option<char> = None;
    for (i, c) in line.char_indices() {
        let starts_word = prev.is_none_or(|p| p.is_whitespace() || is_cjk(p));
        if c.is_ascii_uppercase()
            && starts_word
            && line[..i].chars().any(is_cjk)
            && !has_cjk_outside_quotes(&line[i..])
        {
            let zh = line[..i]
                .trim_end()
                .trim_end_matches(['—', '-', '|'])
                .trim_end();
            let en = line[i..].trim_end();
            let mut zh = zh.to_string();
            if en.ends_with(':') && !zh.ends_with(['：', ':']) {
                zh.push('：');
            }
            return (zh, en.to_string());
        }
        prev = Some(c);
    }
    (line.to_string(), line.to_string())
}

/// English text with Chinese data in it (a column name, a category text, a
/// county name): each run of Chinese not already quoted is put in backticks,
/// so the reader sees it is data, not an untranslated word.
pub fn quote_cjk(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut closing: Option<char> = None;
    let mut in_run = false;
    for c in s.chars() {
        if let Some(end) = closing {
            out.push(c);
            if c == end {
                closing = None;
            }
            continue;
        }
        let cjk = is_cjk(c) && !matches!(c, '（' | '）' | '，' | '：' | '；' | '、' | '。');
        if cjk && !in_run {
            out.push('`');
            in_run = true;
        } else if !cjk && in_run {
            out.push('`');
            in_run = false;
        }
        match c {
            '`' if !in_run => closing = Some('`'),
            '“' if !in_run => closing = Some('”'),
            _ => {}
        }
        out.push(c);
    }
    if in_run {
        out.push('`');
    }
    out
}

/// The half of a `中文 — English` text for `lang` (the form of messages
/// made in both languages on one line); the whole text when it has no ` — `.
pub fn dash_half(s: &str, lang: Lang) -> &str {
    match (s.split_once(" — "), lang) {
        (Some((zh, _)), Lang::Zh) => zh,
        (Some((_, en)), Lang::En) => en,
        (None, _) => s,
    }
}

/// Every line of `text` split with [`split_bilingual`]; the half of `lang`.
pub fn pick(text: &str, lang: Lang) -> String {
    text.split('\n')
        .map(|l| {
            let (zh, en) = split_bilingual(l);
            match lang {
                Lang::Zh => zh,
                Lang::En => en,
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The language the environment asks for when `--lang` is not given: the
/// first set of `LC_ALL`, `LC_MESSAGES`, `LANG` (POSIX order) — English when
/// it names English (`en_US.UTF-8`), Chinese otherwise (`zh_CN.UTF-8`, `C`,
/// unset: the users are county clerks).
pub fn env_lang() -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty())
        .filter(|v| v.starts_with("en"))
        .map_or(Lang::Zh, |_| Lang::En)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bilingual_lines_split_at_the_english_half() {
        let cases = [
            ("输入 Inputs", "输入", "Inputs"),
            ("示例 Example:", "示例：", "Example:"),
            (
                "月度对账：拒收、退费 — Reconcile one month.",
                "月度对账：拒收、退费",
                "Reconcile one month.",
            ),
            (
                "政策文件，如 policies/ningxia-2026.toml  Policy file, e.g. policies/x.toml.",
                "政策文件，如 policies/ningxia-2026.toml",
                "Policy file, e.g. policies/x.toml.",
            ),
            (
                "对账日期，如 2026-01-31  The as-of date.",
                "对账日期，如 2026-01-31",
                "The as-of date.",
            ),
            (
                "已支付退费的 CSV 或 XLSX：身份证号 — CSV or XLSX of refunds (`身份证号`).",
                "已支付退费的 CSV 或 XLSX：身份证号",
                "CSV or XLSX of refunds (`身份证号`).",
            ),
            (
                "  yibao-recon run --out x",
                "  yibao-recon run --out x",
                "  yibao-recon run --out x",
            ),
            (
                "  --no-ledger   # 试算：不读写台账 A trial run",
                "  --no-ledger   # 试算：不读写台账",
                "  --no-ledger   # A trial run",
            ),
        ];
        for (line, zh, en) in cases {
            assert_eq!(
                split_bilingual(line),
                (zh.to_string(), en.to_string()),
                "{line}"
            );
        }
    }

    #[test]
    fn chinese_data_in_english_text_is_quoted() {
        assert_eq!(quote_cjk("认定日期 is blank"), "`认定日期` is blank");
        assert_eq!(quote_cjk("texts: 甲, 乙丙"), "texts: `甲`, `乙丙`");
        assert_eq!(
            quote_cjk("already `身份证号` and “姓名”"),
            "already `身份证号` and “姓名”"
        );
        assert_eq!(dash_half("中文 — English", Lang::En), "English");
        assert_eq!(dash_half("中文 — English", Lang::Zh), "中文");
    }

    #[test]
    fn quoted_chinese_is_data_in_an_english_line() {
        assert!(!has_cjk_outside_quotes("column `身份证号` and “姓名”"));
        assert!(has_cjk_outside_quotes("civil 民政"));
        assert!(has_cjk_outside_quotes("amount，total"));
    }
}
