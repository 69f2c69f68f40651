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
                "{file}: missing required column `{column}`; nothing was written. Accepted headers: {accepted}. Keep the column in the export or add its header as an alias in schemas/"
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
                "{file}: no header row found, nothing was written. Looked in the first {rows} rows for a row naming columns such as {looked_for}; none does. The file begins: {first_lines}. Check that the file is given as the right kind (e.g. --civil, not --agri), or add its headers as aliases in schemas/"
            ),
            (Error::Io { path, message }, Zh) => format!("{path}：无法读取或写入（{message}）；请检查路径是否存在、磁盘空间与权限"),
            (Error::Io { path, message }, En) => format!("{path}: cannot read or write ({message}); check the path, free space and permissions"),
            (Error::BadFile { file, message }, Zh) => format!("{file}：文件无法按表格读取：{message}"),
            (Error::BadFile { file, message }, En) => format!("{file}: cannot be read as a table: {message}"),
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
        match lang {
            crate::i18n::Lang::Zh => format!("{file}：政策文件键 `{key}` 有误：{message}"),
            crate::i18n::Lang::En => format!("{file}: policy key `{key}`: {message}"),
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
    /// The file is there but cannot be opened (the system's reason).
    Unreadable(String),
}

impl std::fmt::Display for PathProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PathProblem::Missing => f.write_str("文件不存在 no such file"),
            PathProblem::Directory => f.write_str("是目录而不是文件 is a directory, not a file"),
            PathProblem::Unreadable(e) => write!(f, "无法读取 cannot be read ({e})"),
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
                "{flag} 给出的文件 {path} 无法读取（{e}），本次未生成任何输出；请检查文件权限，或文件是否正被其他程序占用"
            ),
            (PathProblem::Unreadable(e), En) => format!(
                "{flag} {path}: cannot be read ({e}), nothing was written; check the file's permissions, or whether another program holds it"
            ),
        }
    }

    /// Checks that `path`, given by `flag`, is a file that opens for reading.
    pub fn check(flag: &str, path: &std::path::Path) -> Result<()> {
        let problem = match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => PathProblem::Missing,
            Err(e) => PathProblem::Unreadable(e.to_string()),
            Ok(m) if m.is_dir() => PathProblem::Directory,
            Ok(_) => match std::fs::File::open(path) {
                Ok(_) => return Ok(()),
                Err(e) => PathProblem::Unreadable(e.to_string()),
            },
        };
        Err(Error::Path {
            flag: flag.to_string(),
            path: path.display().to_string(),
            problem,
        })
    }
}

/// A usage error in both languages.
pub fn usage(zh: impl Into<String>, en: impl Into<String>) -> Error {
    Error::UsageMsg(crate::i18n::Msg::new(zh, en))
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
