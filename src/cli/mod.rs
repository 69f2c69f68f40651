//! The command line: clap types live here only. Each subcommand parses its
//! raw arguments, validates them into the library's config, and runs.

pub mod check_policy;
pub mod explain;
pub mod generate;
pub mod inputs;
pub mod ledger;
pub mod run;
pub mod validate;
pub mod verify;

use clap::{Parser, Subcommand};

use crate::error::Result;

#[derive(Debug, Parser)]
#[command(
    name = "yibao-recon",
    version,
    about = "城乡居民医保困难群体参保对账 — monthly reconciliation of hardship rosters against the resident medical-insurance ledger",
    after_help = "Example:\n  yibao-recon run --policy policies/ningxia-2026.toml --as-of 2026-01-31 \\\n      --enrollment sample_data/ningxia/enrollment.csv --civil sample_data/ningxia/civil.csv \\\n      --out reports/2026-01"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Language of messages: errors, reject and conflict explanations (default zh).
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangArg>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum LangArg {
    Zh,
    En,
}

impl Cli {
    /// The message language asked for (zh when not given).
    pub fn lang(&self) -> crate::i18n::Lang {
        match self.lang {
            Some(LangArg::En) => crate::i18n::Lang::En,
            _ => crate::i18n::Lang::Zh,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Reconcile one month: rejects, refunds, re-ratings, missing enrollments, summary.
    Run(run::RunArgs),
    /// Every rule's verdict for one person, and why.
    Explain(explain::ExplainArgs),
    /// Validate a policy file and print its tier table.
    CheckPolicy(check_policy::CheckPolicyArgs),
    /// Check one export without a policy: counts and rejects.
    Validate(validate::ValidateArgs),
    /// Write deterministic synthetic exports for tests and benchmarks.
    Generate(generate::GenerateArgs),
    /// The reconciliation ledger: mark refunds paid, one person's history, the recorded runs.
    Ledger(ledger::LedgerArgs),
    /// Check a run's lists against a planted answer key (`generate --plant`).
    Verify(verify::VerifyArgs),
}

/// Runs the parsed command; returns the process exit code.
pub fn dispatch(cli: Cli) -> Result<i32> {
    let lang = cli.lang();
    match cli.command {
        Command::Run(a) => run::run(a, lang),
        Command::Explain(a) => explain::run(a, lang),
        Command::CheckPolicy(a) => check_policy::run(a),
        Command::Validate(a) => validate::run(a, lang),
        Command::Generate(a) => generate::run(a),
        Command::Ledger(a) => ledger::run(a),
        Command::Verify(a) => verify::run(a),
    }
}

/// Parses a `YYYY-MM-DD` (or any accepted form) date argument.
pub fn parse_date_arg(s: &str) -> std::result::Result<chrono::NaiveDate, String> {
    crate::domain::parse_date(s)
        .ok_or_else(|| format!("`{s}` is not a date; expected e.g. 2026-01-31"))
}
