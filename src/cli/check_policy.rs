//! `yibao-recon check-policy FILE`: validate a policy and print it as a table.

use std::path::PathBuf;

use clap::Args;

use crate::error::{Error, PathProblem, Result};
use crate::i18n::Lang;
use crate::pipeline::load_schemas;
use crate::policy::{table, Policy};

#[derive(Debug, Args)]
#[command(after_help = "示例 Example:\n  yibao-recon check-policy policies/hulunbuir-2026.toml")]
pub struct CheckPolicyArgs {
    /// 要检查的政策文件 Policy file to check.
    #[arg(help_heading = super::H_IN)]
    pub file: PathBuf,
    /// 列名别名表目录（默认用程序内置的一份） Directory of schema tables (default: the copy built into the binary).
    #[arg(long, help_heading = super::H_IN)]
    pub schemas: Option<PathBuf>,
}

pub fn run(args: CheckPolicyArgs, lang: Lang) -> Result<i32> {
    PathProblem::check("check-policy FILE", &args.file)?;
    let schemas = load_schemas(args.schemas.as_deref())?;
    match Policy::load(&args.file, &schemas.vocab) {
        Ok(policy) => {
            print!("{}", table::render(&policy));
            Ok(0)
        }
        // Said here without the advice to run check-policy (this is it).
        Err(e @ Error::Policy { .. }) => {
            let label = match lang {
                Lang::Zh => "错误",
                Lang::En => "error",
            };
            eprintln!("{label}: {}", e.localized_in_check_policy(lang));
            Ok(e.exit_code())
        }
        Err(e) => Err(e),
    }
}
