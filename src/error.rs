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

    pub fn io(path: impl std::fmt::Display, e: impl std::fmt::Display) -> Error {
        Error::Io {
            path: path.to_string(),
            message: e.to_string(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
