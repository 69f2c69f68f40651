//! `yibao-recon run`: the monthly job.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::domain::SourceKind;
use crate::error::Result;
use crate::ingest::InputSpec;
use crate::pipeline::{self, RunConfig};
use crate::report::HeaderLang;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Lang {
    Zh,
    En,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  yibao-recon run --policy policies/ningxia-2026.toml --as-of 2026-01-31 \\\n      --enrollment sample_data/ningxia/enrollment.csv --persons sample_data/ningxia/persons.csv \\\n      --civil sample_data/ningxia/civil.csv --agri sample_data/ningxia/agri.csv \\\n      --disability sample_data/ningxia/disability.csv --out reports/2026-01"
)]
pub struct RunArgs {
    /// Policy file, e.g. policies/ningxia-2026.toml.
    #[arg(long)]
    pub policy: PathBuf,
    /// The date the run reconciles at (normally the month's last day).
    #[arg(long, value_parser = super::parse_date_arg)]
    pub as_of: chrono::NaiveDate,
    /// 一人一档参保缴费明细 (repeatable).
    #[arg(long, required = true)]
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
    /// Output directory (must be new or empty unless --force).
    #[arg(long)]
    pub out: PathBuf,
    /// Replace a non-empty output directory.
    #[arg(long)]
    pub force: bool,
    /// Report header language.
    #[arg(long, value_enum, default_value = "zh")]
    pub header_lang: Lang,
    /// No progress bars or per-file lines.
    #[arg(long)]
    pub quiet: bool,
    /// Directory of schema tables (default: the copy built into the binary).
    #[arg(long)]
    pub schemas: Option<PathBuf>,
}

impl RunArgs {
    /// Validates the raw arguments into the library's run config.
    pub fn into_config(self) -> RunConfig {
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
        RunConfig {
            policy: self.policy,
            as_of: self.as_of,
            inputs,
            out: self.out,
            force: self.force,
            header_lang: match self.header_lang {
                Lang::Zh => HeaderLang::Zh,
                Lang::En => HeaderLang::En,
            },
            quiet: self.quiet,
            schemas_dir: self.schemas,
        }
    }
}

pub fn run(args: RunArgs) -> Result<i32> {
    let cfg = args.into_config();
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
    use clap::Parser;

    fn parse(args: &[&str]) -> std::result::Result<crate::cli::Cli, clap::Error> {
        crate::cli::Cli::try_parse_from(std::iter::once("yibao-recon").chain(args.iter().copied()))
    }

    #[test]
    fn repeatable_inputs_keep_their_kind_and_order() {
        let cli = parse(&[
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
        let crate::cli::Command::Run(a) = cli.command else {
            panic!("not run")
        };
        let cfg = a.into_config();
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
    fn enrollment_is_required() {
        assert!(parse(&[
            "run",
            "--policy",
            "p",
            "--as-of",
            "2026-01-31",
            "--out",
            "o"
        ])
        .is_err());
    }

    #[test]
    fn header_lang_en() {
        let cli = parse(&[
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
        let crate::cli::Command::Run(a) = cli.command else {
            panic!("not run")
        };
        let cfg = a.into_config();
        assert_eq!(cfg.header_lang, HeaderLang::En);
        assert!(cfg.quiet && cfg.force);
    }
}
