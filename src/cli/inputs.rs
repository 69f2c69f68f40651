//! The input flags `run` and `explain` share.

use std::path::{Path, PathBuf};

use clap::Args;

use crate::domain::SourceKind;
use crate::error::{PathProblem, Result};
use crate::ingest::InputSpec;

#[derive(Debug, Args, Default)]
pub struct InputArgs {
    /// 一人一档参保缴费明细（可重复） Enrollment ledger export (repeatable).
    #[arg(long, help_heading = super::H_IN)]
    pub enrollment: Vec<PathBuf>,
    /// 一人一档人员库（可重复） Persons register (repeatable).
    #[arg(long, help_heading = super::H_IN)]
    pub persons: Vec<PathBuf>,
    /// 民政名单（可重复） Civil-affairs roster (repeatable).
    #[arg(long, help_heading = super::H_IN)]
    pub civil: Vec<PathBuf>,
    /// 农业农村名单（可重复） Agriculture roster (repeatable).
    #[arg(long, help_heading = super::H_IN)]
    pub agri: Vec<PathBuf>,
    /// 残联名单（可重复） Disability federation roster (repeatable).
    #[arg(long, help_heading = super::H_IN)]
    pub disability: Vec<PathBuf>,
    /// 退役军人事务名单（可重复） Veterans-affairs roster (repeatable).
    #[arg(long, help_heading = super::H_IN)]
    pub veterans: Vec<PathBuf>,
    /// 异地参保名单（可重复） Enrolled-elsewhere list (repeatable).
    #[arg(long, help_heading = super::H_IN)]
    pub elsewhere: Vec<PathBuf>,
}

impl InputArgs {
    /// The inputs in a fixed order of kinds, each kind in the order given.
    pub fn into_specs(self) -> Vec<InputSpec> {
        let mut inputs = Vec::new();
        let mut add = |kind: SourceKind, paths: Vec<PathBuf>| {
            for p in paths {
                inputs.push(InputSpec {
                    kind,
                    display: p.display().to_string(),
                    path: p,
                });
            }
        };
        add(SourceKind::Enrollment, self.enrollment);
        add(SourceKind::Persons, self.persons);
        add(SourceKind::Civil, self.civil);
        add(SourceKind::Agri, self.agri);
        add(SourceKind::Disability, self.disability);
        add(SourceKind::Veterans, self.veterans);
        add(SourceKind::Elsewhere, self.elsewhere);
        inputs
    }
}

/// Every input and the policy must be a readable file; an error names the
/// flag (or the job file's key) the path came from (issue 16).
pub fn check_paths(policy: &Path, inputs: &[InputSpec], job: Option<&Path>) -> Result<()> {
    let flag = |key: &str| match job {
        Some(j) => format!("{} {key}", j.display()),
        None => format!("--{key}"),
    };
    PathProblem::check(&flag("policy"), policy)?;
    for i in inputs {
        let key = match job {
            Some(_) => format!("inputs.{}", i.kind.key()),
            None => i.kind.key().to_string(),
        };
        PathProblem::check(&flag(&key), &i.path)?;
    }
    Ok(())
}
