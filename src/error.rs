//! Errors that stop a run. Row-level problems are not errors: they become
//! reject rows (`ingest::Reject`) and the run goes on.
//!
//! Data and usage errors name the file, line, column or policy key and say
//! what was expected; `Internal` is kept apart and says it is a bug.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum Error {
    /// A required column is absent: the run fails before any output.
    #[error("{file}: 缺少必需列 missing required column `{column}`; accepted headers: {accepted}")]
    MissingColumn {
        file: String,
        column: String,
        accepted: String,
    },

    /// Two headers of a file read the same and either could be the column.
    #[error(
        "{file}: 列名重复 duplicate header `{header}` ({column}) in columns {first} and {second}"
    )]
    DuplicateColumn {
        file: String,
        header: String,
        column: String,
        first: String,
        second: String,
    },

    /// No row among the first ones names enough of the kind's columns to be
    /// the header (issue 10): the file is of another kind, or its headers
    /// are named in a way `schemas/` does not know.
    #[error("{file}: 找不到表头 no header row found in the first {rows} rows; looked for a row naming {looked_for}; the file begins: {first_lines}")]
    NoHeader {
        file: String,
        rows: usize,
        looked_for: String,
        /// The first non-blank lines, IDs masked.
        first_lines: String,
    },

    /// A file could not be read or written.
    #[error("{path}: {message}")]
    Io { path: String, message: String },

    /// A file is not a readable table (not CSV, broken quoting, unsupported format).
    #[error("{file}: {message}")]
    BadFile { file: String, message: String },

    /// Rows of a file were refused as a whole (issue 16: `ledger mark-paid`),
    /// said in both languages; exit code 1 like `BadFile`.
    #[error("{file}: {message}")]
    Refused {
        file: String,
        message: crate::i18n::Msg,
    },

    /// A policy file is invalid; `key` is the path of the offending key.
    #[error("{file}: 政策文件错误 policy key `{key}`: {message}")]
    Policy {
        file: String,
        key: String,
        message: String,
    },

    /// A schema table under `schemas/` is invalid.
    #[error("schema: {message}")]
    Schema { message: String },

    /// The command line asks for something that cannot be done as asked.
    #[error("{0}")]
    Usage(String),

    /// A usage error said in both languages (issue 16): what `Usage` says,
    /// in the clerk's language. Exit code 2 like `Usage`.
    #[error("{0}")]
    UsageMsg(crate::i18n::Msg),

    /// A path given by a flag cannot be used (issue 16): names the flag and
    /// says whether the path is missing, a directory, or unreadable.
    #[error("{flag} {path}: {problem}")]
    Path {
        flag: String,
        path: String,
        problem: PathProblem,
    },

    /// A money total of the run does not fit in `i64` fen (the data holds
    /// absurdly large amounts): stopped before any output, never wrapped.
    #[error("金额合计溢出 money total overflows i64 fen: {what}")]
    MoneyOverflow { what: String },

    /// Something that should never happen: a bug in yibao-recon, not in the data.
    #[error("internal error (this is a bug in yibao-recon, please report it): {0}")]
    Internal(String),
}

impl Error {
    /// Exit code (SPEC §6): 1 bad input or policy, 2 usage. An internal bug
    /// also exits 1 (the run did not complete); its message says it is a bug.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) | Error::UsageMsg(_) => 2,
            _ => 1,
        }
    }

    /// The message in the clerk's language. The framing (what failed, where,
    /// what to do) follows `lang`; details quoted from the data or from a
    /// library stay as they are.
    pub fn localized(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::Lang::{En, Zh};
        match (self, lang) {
            (Error::MissingColumn { file, column, accepted }, Zh) => format!(
                "{file}：缺少必需列“{column}”，本次未生成任何输出。可接受的列名：{accepted}。请在导出时保留该列，或在 schemas/ 中为其列名登记别名"
            ),
            (Error::MissingColumn { file, column, accepted }, En) => format!(
                "{file}: missing required column `{column}`; nothing was written. Accepted headers: {}. Keep the column in the export or add its header as an alias in schemas/",
                crate::i18n::quote_cjk(accepted)
            ),
            (Error::DuplicateColumn { file, header, column, first, second }, Zh) => format!(
                "{file}：第 {first} 与第 {second} 列的列名都是“{header}”，无法确定哪一列是“{column}”，本次未生成任何输出。请删除或改名其中一列后重新导出"
            ),
            (Error::DuplicateColumn { file, header, column, first, second }, En) => format!(
                "{file}: columns {first} and {second} are both headed `{header}`, so which one is `{column}` cannot be told; nothing was written. Delete or rename one of them"
            ),
            (Error::NoHeader { file, rows, looked_for, first_lines }, Zh) => format!(
                "{file}：找不到表头，本次未生成任何输出。在前 {rows} 行中查找含有 {looked_for} 等列名的一行，没有一行符合。文件开头为：{first_lines}。请确认文件选对了类型（如 --civil 还是 --agri），或在 schemas/ 中为列名登记别名"
            ),
            (Error::NoHeader { file, rows, looked_for, first_lines }, En) => format!(
                "{file}: no header row found, nothing was written. Looked in the first {rows} rows for a row naming columns such as {}; none does. The file begins: `{first_lines}`. Check that the file is given as the right kind (e.g. --civil, not --agri), or add its headers as aliases in schemas/",
                crate::i18n::quote_cjk(&looked_for.replace('、', ", "))
            ),
            (Error::Io { path, message }, Zh) => format!("{path}：无法读取或写入（{message}）；请检查路径是否存在、磁盘空间与权限"),
            (Error::Io { path, message }, En) => format!("{path}: cannot read or write ({message}); check the path, free space and permissions"),
            (Error::BadFile { file, message }, Zh) => format!("{file}：文件无法按表格读取：{message}"),
            (Error::BadFile { file, message }, En) => format!("{file}: cannot be read as a table: {message}"),
            (Error::Refused { file, message }, Zh) => format!("{file}：{}", message.zh),
            (Error::Refused { file, message }, En) => format!("{file}: {}", message.en),
            (Error::Policy { file, .. }, Zh) => format!(
                "{}（运行 yibao-recon check-policy {file} 查看整张表）",
                self.policy_text(lang)
            ),
            (Error::Policy { file, .. }, En) => format!(
                "{} (run `yibao-recon check-policy {file}` to see the whole table)",
                self.policy_text(lang)
            ),
            (Error::Schema { message }, Zh) => format!("schemas 表有误：{message}"),
            (Error::Schema { message }, En) => format!("schema: {message}"),
            (Error::Usage(m), Zh) => format!("用法错误：{m}（yibao-recon <命令> --help 查看示例）"),
            (Error::Usage(m), En) => format!("usage: {m} (see `yibao-recon <command> --help` for an example)"),
            (Error::UsageMsg(m), Zh) => format!("用法错误：{}（yibao-recon <命令> --help 查看示例）", m.zh),
            (Error::UsageMsg(m), En) => format!("usage: {} (see `yibao-recon <command> --help` for an example)", m.en),
            (Error::Path { flag, path, problem }, _) => problem.localized(flag, path, lang),
            (Error::MoneyOverflow { what }, Zh) => format!("{what}：金额合计超出可计算范围（±92,233,720,368,547,758.07 元），本次未生成任何输出；输入中多半有异常大的金额（如实缴金额），请核对后重跑"),
            (Error::MoneyOverflow { what }, En) => format!("{what}: the money total is beyond what can be computed (±92,233,720,368,547,758.07 yuan); nothing was written. The inputs most likely hold absurdly large amounts (e.g. 实缴金额): check them and run again"),
            (Error::Internal(m), Zh) => format!("内部错误（这是 yibao-recon 的缺陷，不是数据问题，请报告）：{m}"),
            (Error::Internal(m), En) => format!("internal error (a bug in yibao-recon, not in the data; please report it): {m}"),
        }
    }

    /// The message as `check-policy` prints it: a policy error without the
    /// advice to run `check-policy` (issue 16), any other error as
    /// [`Error::localized`].
    pub fn localized_in_check_policy(&self, lang: crate::i18n::Lang) -> String {
        match self {
            Error::Policy { .. } => self.policy_text(lang),
            _ => self.localized(lang),
        }
    }

    fn policy_text(&self, lang: crate::i18n::Lang) -> String {
        let Error::Policy { file, key, message } = self else {
            return self.to_string();
        };
        let (line, said) = toml_message(message, key != "(file)");
        let at = line.map(|n| format!("第 {n} 行")).unwrap_or_default();
        let at_en = line.map(|n| format!(" (line {n})")).unwrap_or_default();
        match (lang, said, key.as_str()) {
            (crate::i18n::Lang::Zh, Some(said), "(file)") => {
                format!("{file}：政策文件{at}有误：{said}")
            }
            (crate::i18n::Lang::Zh, Some(said), _) => {
                format!("{file}：政策文件{at}的键 `{key}` 有误：{said}")
            }
            (crate::i18n::Lang::Zh, None, _) => {
                format!("{file}：政策文件键 `{key}` 有误：{}", one_line(message))
            }
            (crate::i18n::Lang::En, _, "(file)") => {
                format!("{file}{at_en}: {}", one_line(strip_line(message)))
            }
            (crate::i18n::Lang::En, _, _) => format!(
                "{file}: policy key `{key}`{at_en}: {}",
                one_line(strip_line(message))
            ),
        }
    }

    pub fn io(path: impl std::fmt::Display, e: impl std::fmt::Display) -> Error {
        Error::Io {
            path: path.to_string(),
            message: e.to_string(),
        }
    }
}

/// Why a path given by a flag cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathProblem {
    /// Nothing is at the path.
    Missing,
    /// The path is a directory where a file was expected.
    Directory,
    /// The file is there but cannot be opened (the system's reason, in
    /// both languages).
    Unreadable(crate::i18n::Msg),
}

impl std::fmt::Display for PathProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PathProblem::Missing => f.write_str("文件不存在 no such file"),
            PathProblem::Directory => f.write_str("是目录而不是文件 is a directory, not a file"),
            PathProblem::Unreadable(e) => write!(f, "无法读取 cannot be read ({})", e.en),
        }
    }
}

impl PathProblem {
    fn localized(&self, flag: &str, path: &str, lang: crate::i18n::Lang) -> String {
        use crate::i18n::Lang::{En, Zh};
        match (self, lang) {
            (PathProblem::Missing, Zh) => format!(
                "{flag} 给出的文件 {path} 不存在，本次未生成任何输出；请检查路径和文件名（含扩展名 .csv / .xlsx）"
            ),
            (PathProblem::Missing, En) => format!(
                "{flag} {path}: no such file, nothing was written; check the path and the file name (with its .csv / .xlsx extension)"
            ),
            (PathProblem::Directory, Zh) => format!(
                "{flag} 给出的 {path} 是一个目录，不是文件，本次未生成任何输出；请给出目录中的导出文件本身"
            ),
            (PathProblem::Directory, En) => format!(
                "{flag} {path}: is a directory, not a file, nothing was written; give the export file inside it"
            ),
            (PathProblem::Unreadable(e), Zh) => format!(
                "{flag} 给出的文件 {path} 无法读取（{}），本次未生成任何输出；请检查文件权限，或文件是否正被其他程序占用",
                e.zh
            ),
            (PathProblem::Unreadable(e), En) => format!(
                "{flag} {path}: cannot be read ({}), nothing was written; check the file's permissions, or whether another program holds it",
                e.en
            ),
        }
    }

    /// Checks that `path`, given by `flag`, is a file that opens for reading.
    pub fn check(flag: &str, path: &std::path::Path) -> Result<()> {
        let problem = match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => PathProblem::Missing,
            Err(e) => PathProblem::Unreadable(io_reason(&e)),
            Ok(m) if m.is_dir() => PathProblem::Directory,
            Ok(_) => match std::fs::File::open(path) {
                Ok(_) => return Ok(()),
                Err(e) => PathProblem::Unreadable(io_reason(&e)),
            },
        };
        Err(Error::Path {
            flag: flag.to_string(),
            path: path.display().to_string(),
            problem,
        })
    }
}

/// A message of the TOML reader (`(line 6): invalid table header …`,
/// `unknown field `x`, expected one of …`): its line, and what it says in
/// Chinese when it is one the reader gives (syntax, unknown or missing key,
/// a value of the wrong type); `None` for a message the policy's own checks
/// wrote. `has_key`: the message is about a key (not the file's syntax).
pub fn toml_message(message: &str, has_key: bool) -> (Option<usize>, Option<String>) {
    let line = message
        .split_once("(line ")
        .and_then(|(_, r)| r.split_once(')'))
        .and_then(|(n, _)| n.parse().ok());
    let msg = strip_line(message);
    let ticked =
        |s: &str| -> String { s.split(", ").map(str::trim).collect::<Vec<_>>().join("、") };
    let said = if let Some(rest) = msg.strip_prefix("unknown field ") {
        let (field, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let expected = expected.trim_start_matches("one of ");
        Some(if expected.is_empty() {
            format!("没有键 {field}（是不是写错了？）")
        } else {
            format!(
                "没有键 {field}（是不是写错了？）；此处可用的键：{}",
                ticked(expected)
            )
        })
    } else if let Some(rest) = msg.strip_prefix("missing field ") {
        Some(format!("缺少必需的键 {rest}"))
    } else if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let (got, want) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        Some(format!(
            "值的类型不对：应为 {}，写的是 {}",
            type_zh(want),
            type_zh(got)
        ))
    } else if let Some(rest) = msg.strip_prefix("duplicate key ") {
        Some(format!("键 {rest} 重复出现"))
    } else if msg.contains("too large") || msg.contains("out of range") {
        Some(format!("数值超出可用范围（{}）", one_line(msg)))
    } else if !has_key && message.contains("(line ") {
        // No key path: the text is not TOML at that line.
        Some(format!(
            "TOML 语法错误（{}）；请检查该行的引号、方括号和等号是否成对、完整",
            one_line(msg)
        ))
    } else {
        None
    };
    (line, said)
}

/// A TOML value type as the reader names it, in Chinese.
fn type_zh(t: &str) -> String {
    let t = t.trim();
    let kind = |s: &str| match s {
        "string" | "a string" => Some("文本"),
        "integer" | "i32" | "i64" | "u32" | "u64" | "u16" | "u8" | "usize" => Some("整数"),
        "float" | "f64" | "a float" => Some("数字"),
        "boolean" | "a boolean" => Some("true 或 false"),
        "sequence" | "a sequence" | "array" => Some("列表 [...]"),
        "map" | "a map" | "table" => Some("表 {...}"),
        _ => None,
    };
    if let Some(k) = kind(t) {
        return k.to_string();
    }
    // `string "x"`, `integer `5``: the kind, then the value as written.
    match t.split_once(' ') {
        Some((k, v)) if kind(k).is_some() => format!("{} {v}", kind(k).unwrap_or(k)),
        _ => format!("`{t}`"),
    }
}

/// `(line 6): invalid …` → `invalid …`.
fn strip_line(message: &str) -> &str {
    let m = message.trim();
    match m.split_once("(line ").and_then(|(_, r)| r.split_once("):")) {
        Some((_, rest)) => rest.trim(),
        None => m,
    }
}

/// A message of several lines (the TOML reader's) on one line.
fn one_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

/// The system's reason a file cannot be opened, in both languages: the
/// common kinds said in Chinese, any other quoted as the system gives it.
fn io_reason(e: &std::io::Error) -> crate::i18n::Msg {
    use std::io::ErrorKind as K;
    let zh = match e.kind() {
        K::PermissionDenied => "没有读取权限".to_string(),
        K::NotADirectory => "路径中有一段不是目录".to_string(),
        _ => format!("系统提示：{e}"),
    };
    crate::i18n::Msg::new(zh, e.to_string())
}

/// A usage error in both languages.
pub fn usage(zh: impl Into<String>, en: impl Into<String>) -> Error {
    Error::UsageMsg(crate::i18n::Msg::new(zh, en))
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
