//! The input flags `run` and `explain` share.

use std::path::PathBuf;

use clap::Args;

use crate::domain::SourceKind;
use crate::ingest::InputSpec;

#[derive(Debug, Args, Default)]
pub struct InputArgs {
    /// 一人一档参保缴费明细 (repeatable).
    #[arg(long)]
    pub enrollment: Vec<PathBuf>,
    /// 一人一档人员库 (repeatable).
    #[arg(long)]
    pub persons: Vec<PathBuf>,
    /// 民政 roster (repeatable).
    #[arg(long)]
    pub civil: Vec<PathBuf>,
    /// 农业农村 roster (repeatable).
    #[arg(long)]
    pub agri: Vec<PathBuf>,
    /// 残联 roster (repeatable).
    #[arg(long)]
    pub disability: Vec<PathBuf>,
    /// 退役军人事务 roster (repeatable).
    #[arg(long)]
    pub veterans: Vec<PathBuf>,
    /// 异地参保 list (repeatable).
    #[arg(long)]
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
