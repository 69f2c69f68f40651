//! `yibao-recon run`: the monthly job, from flags or from a job file.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::inputs::InputArgs;
use crate::error::{Error, Result};
use crate::pipeline::{self, RunConfig};
use crate::report::HeaderLang;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Lang {
    Zh,
    En,
}

const EXAMPLES: &str = "Examples:
  yibao-recon run --policy policies/ningxia-2026.toml --as-of 2026-01-31 \\
      --enrollment sample_data/ningxia/enrollment.csv --persons sample_data/ningxia/persons.csv \\
      --civil sample_data/ningxia/civil.csv --agri sample_data/ningxia/agri.csv \\
      --disability sample_data/ningxia/disability.csv --out reports/2026-01
  yibao-recon run --job jobs/ningxia-sample.toml
  yibao-recon run --policy policies/ningxia-2026.toml --as-of 2026-01-31 \\
      --enrollment sample_data/ningxia/enrollment.csv --civil sample_data/ningxia/civil.csv \\
      --out reports/trial --no-ledger      # a trial: no ledger read or written";

#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct RunArgs {
    /// A job file holding every flag below (paths relative to the job file).
    #[arg(long, conflicts_with_all = ["policy", "as_of", "out", "header_lang", "schemas"])]
    pub job: Option<PathBuf>,
    /// Policy file, e.g. policies/ningxia-2026.toml.
    #[arg(long, required_unless_present = "job")]
    pub policy: Option<PathBuf>,
    /// The date the run reconciles at (normally the month's last day).
    #[arg(long, value_parser = super::parse_date_arg, required_unless_present = "job")]
    pub as_of: Option<chrono::NaiveDate>,
    #[command(flatten)]
    pub inputs: InputArgs,
    /// Output directory (must be new or empty unless --force).
    #[arg(long, required_unless_present = "job")]
    pub out: Option<PathBuf>,
    /// Replace a non-empty output directory.
    #[arg(long)]
    pub force: bool,
    /// Report header language (default zh).
    #[arg(long, value_enum)]
    pub header_lang: Option<Lang>,
    /// No progress bars or per-file lines.
    #[arg(long)]
    pub quiet: bool,
    /// Directory of schema tables (default: the copy built into the binary).
    #[arg(long)]
    pub schemas: Option<PathBuf>,
    /// Reconciliation ledger (SQLite) that remembers earlier months (default:
    /// ledger.sqlite beside the output directory). Overrides a job file's.
    #[arg(long)]
    pub ledger: Option<PathBuf>,
    /// Write the lists with masked IDs (640104********1025), for sharing with
    /// village and community outreach staff.
    #[arg(long)]
    pub mask_ids: bool,
    /// Re-run a month the ledger recorded with other inputs, replacing its
    /// record on purpose (without it, such a run is refused and says what differs).
    #[arg(long, conflicts_with = "no_ledger")]
    pub replace: bool,
    /// A trial run: reads and writes no ledger (every item is listed as new).
    #[arg(long, conflicts_with = "ledger")]
    pub no_ledger: bool,
    /// Split the rows into this many partitions by person (default: one per
    /// 64 MiB of input). More partitions use less memory.
    #[arg(long, value_name = "N", hide = true)]
    pub partitions: Option<usize>,
}

impl RunArgs {
    /// Validates the raw arguments into the library's run config.
    pub fn into_config(self) -> Result<RunConfig> {
        if let Some(job) = &self.job {
            if !self.inputs.into_specs().is_empty() {
                return Err(Error::Usage(
                    "--job takes its inputs from the job file; give no input flags with it".into(),
                ));
            }
            let mut cfg = crate::job::load(job)?;
            cfg.force |= self.force;
            cfg.quiet |= self.quiet;
            // Issue 5: the ledger flags add to a job file's settings.
            cfg.mask_ids |= self.mask_ids;
            cfg.replace = self.replace;
            cfg.no_ledger = self.no_ledger;
            if self.ledger.is_some() {
                cfg.ledger = self.ledger;
            }
            if self.partitions.is_some() {
                cfg.partitions = self.partitions;
            }
            return Ok(cfg);
        }
        let missing = |what: &str| Error::Usage(format!("{what} is required (or give --job)"));
        let inputs = self.inputs.into_specs();
        if !inputs
            .iter()
            .any(|i| i.kind == crate::domain::SourceKind::Enrollment)
        {
            return Err(missing("--enrollment"));
        }
        Ok(RunConfig {
            policy: self.policy.ok_or_else(|| missing("--policy"))?,
            as_of: self.as_of.ok_or_else(|| missing("--as-of"))?,
            inputs,
            out: self.out.ok_or_else(|| missing("--out"))?,
            force: self.force,
            header_lang: match self.header_lang.unwrap_or(Lang::Zh) {
                Lang::Zh => HeaderLang::Zh,
                Lang::En => HeaderLang::En,
            },
            quiet: self.quiet,
            schemas_dir: self.schemas,
            lang: crate::i18n::Lang::Zh,
            ledger: self.ledger,
            mask_ids: self.mask_ids,
            partitions: self.partitions,
            replace: self.replace,
            no_ledger: self.no_ledger,
        })
    }
}

pub fn run(args: RunArgs, lang: crate::i18n::Lang) -> Result<i32> {
    let mut cfg = args.into_config()?;
    cfg.lang = lang;
    let quiet = cfg.quiet;
    let report = pipeline::run(&cfg)?;
    if !quiet {
        for l in &report.lines {
            eprintln!("{l}");
        }
        eprintln!("输出目录 output: {}", report.out.display());
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::SourceKind;
    use clap::Parser;

    fn parse(args: &[&str]) -> std::result::Result<crate::cli::Cli, clap::Error> {
        crate::cli::Cli::try_parse_from(std::iter::once("yibao-recon").chain(args.iter().copied()))
    }

    fn config(args: &[&str]) -> Result<RunConfig> {
        let crate::cli::Command::Run(a) = parse(args)
            .map_err(|e| Error::Usage(e.to_string()))?
            .command
        else {
            return Err(Error::Usage("not run".into()));
        };
        a.into_config()
    }

    #[test]
    fn repeatable_inputs_keep_their_kind_and_order() {
        let cfg = config(&[
            "run",
            "--policy",
            "p.toml",
            "--as-of",
            "2026-01-31",
            "--enrollment",
            "e1.csv",
            "--enrollment",
            "e2.csv",
            "--civil",
            "c.csv",
            "--out",
            "o",
        ])
        .unwrap();
        let kinds: Vec<_> = cfg
            .inputs
            .iter()
            .map(|i| (i.kind, i.display.as_str()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (SourceKind::Enrollment, "e1.csv"),
                (SourceKind::Enrollment, "e2.csv"),
                (SourceKind::Civil, "c.csv")
            ]
        );
        assert_eq!(cfg.header_lang, HeaderLang::Zh);
    }

    #[test]
    fn as_of_must_be_a_date() {
        assert!(parse(&[
            "run",
            "--policy",
            "p",
            "--as-of",
            "soon",
            "--enrollment",
            "e",
            "--out",
            "o"
        ])
        .is_err());
    }

    #[test]
    fn policy_as_of_and_out_are_required_without_a_job() {
        assert!(parse(&[
            "run",
            "--as-of",
            "2026-01-31",
            "--enrollment",
            "e",
            "--out",
            "o"
        ])
        .is_err());
        assert!(parse(&["run", "--policy", "p", "--enrollment", "e", "--out", "o"]).is_err());
        assert!(parse(&[
            "run",
            "--policy",
            "p",
            "--as-of",
            "2026-01-31",
            "--enrollment",
            "e"
        ])
        .is_err());
    }

    #[test]
    fn enrollment_is_required() {
        let e = config(&[
            "run",
            "--policy",
            "p",
            "--as-of",
            "2026-01-31",
            "--out",
            "o",
        ])
        .unwrap_err();
        assert!(e.to_string().contains("--enrollment"), "{e}");
        assert_eq!(e.exit_code(), 2);
    }

    #[test]
    fn header_lang_force_and_quiet() {
        let cfg = config(&[
            "run",
            "--policy",
            "p",
            "--as-of",
            "2026-01-31",
            "--enrollment",
            "e",
            "--out",
            "o",
            "--header-lang",
            "en",
            "--quiet",
            "--force",
        ])
        .unwrap();
        assert_eq!(cfg.header_lang, HeaderLang::En);
        assert!(cfg.quiet && cfg.force);
    }

    #[test]
    fn ledger_and_mask_ids_flags() {
        let base = [
            "run",
            "--policy",
            "p",
            "--as-of",
            "2026-01-31",
            "--enrollment",
            "e",
            "--out",
            "o",
        ];
        let cfg = config(&base).unwrap();
        assert_eq!(cfg.ledger, None);
        assert!(!cfg.mask_ids);
        let mut args = base.to_vec();
        args.extend(["--ledger", "l.sqlite", "--mask-ids"]);
        let cfg = config(&args).unwrap();
        assert_eq!(cfg.ledger, Some(PathBuf::from("l.sqlite")));
        assert!(cfg.mask_ids);
        assert!(!cfg.replace && !cfg.no_ledger);
        let mut args = base.to_vec();
        args.push("--replace");
        assert!(config(&args).unwrap().replace);
        let mut args = base.to_vec();
        args.push("--no-ledger");
        assert!(config(&args).unwrap().no_ledger);
        args.push("--replace");
        assert!(parse(&args).is_err(), "--replace needs a ledger");
    }

    #[test]
    fn job_conflicts_with_run_flags() {
        assert!(parse(&["run", "--job", "j.toml", "--policy", "p"]).is_err());
        let e = config(&["run", "--job", "j.toml", "--enrollment", "e.csv"]).unwrap_err();
        assert_eq!(e.exit_code(), 2);
    }
}
