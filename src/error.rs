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

    /// Something that should never happen: a bug in yibao-recon, not in the data.
    #[error("internal error (this is a bug in yibao-recon, please report it): {0}")]
    Internal(String),
}

impl Error {
    /// Exit code (SPEC §6): 1 bad input or policy, 2 usage. An internal bug
    /// also exits 1 (the run did not complete); its message says it is a bug.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => 2,
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
            (Error::Io { path, message }, Zh) => format!("{path}：无法读取或写入（{message}）；请检查路径是否存在、磁盘空间与权限"),
            (Error::Io { path, message }, En) => format!("{path}: cannot read or write ({message}); check the path, free space and permissions"),
            (Error::BadFile { file, message }, Zh) => format!("{file}：文件无法按表格读取：{message}"),
            (Error::BadFile { file, message }, En) => format!("{file}: cannot be read as a table: {message}"),
            (Error::Policy { file, key, message }, Zh) => format!(
                "{file}：政策文件键 `{key}` 有误：{message}（运行 yibao-recon check-policy {file} 查看整张表）"
            ),
            (Error::Policy { file, key, message }, En) => format!(
                "{file}: policy key `{key}`: {message} (run `yibao-recon check-policy {file}` to see the whole table)"
            ),
            (Error::Schema { message }, Zh) => format!("schemas 表有误：{message}"),
            (Error::Schema { message }, En) => format!("schema: {message}"),
            (Error::Usage(m), Zh) => format!("用法错误：{m}（yibao-recon <命令> --help 查看示例）"),
            (Error::Usage(m), En) => format!("usage: {m} (see `yibao-recon <command> --help` for an example)"),
            (Error::Internal(m), Zh) => format!("内部错误（这是 yibao-recon 的缺陷，不是数据问题，请报告）：{m}"),
            (Error::Internal(m), En) => format!("internal error (a bug in yibao-recon, not in the data; please report it): {m}"),
        }
    }

    pub fn io(path: impl std::fmt::Display, e: impl std::fmt::Display) -> Error {
        Error::Io {
            path: path.to_string(),
            message: e.to_string(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
