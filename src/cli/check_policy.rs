//! `yibao-recon check-policy FILE`: validate a policy and print it as a table.

use std::path::PathBuf;

use clap::Args;

use crate::error::Result;
use crate::pipeline::load_schemas;
use crate::policy::{table, Policy};

#[derive(Debug, Args)]
#[command(after_help = "Example:\n  yibao-recon check-policy policies/hulunbuir-2026.toml")]
pub struct CheckPolicyArgs {
    /// Policy file to check.
    pub file: PathBuf,
    /// Directory of schema tables (default: the copy built into the binary).
    #[arg(long)]
    pub schemas: Option<PathBuf>,
}

pub fn run(args: CheckPolicyArgs) -> Result<i32> {
    let schemas = load_schemas(args.schemas.as_deref())?;
    let policy = Policy::load(&args.file, &schemas.vocab)?;
    print!("{}", table::render(&policy));
    Ok(0)
}
