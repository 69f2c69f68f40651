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
