//! `yibao-recon run`: the monthly job, from flags or from a job file.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::inputs::InputArgs;
use crate::error::Result;
use crate::pipeline::{self, RunConfig};
use crate::report::HeaderLang;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Lang {
    Zh,
    En,
}

const EXAMPLES: &str = "示例 Examples:
  yibao-recon run --policy policies/ningxia-2026.toml --as-of 2026-01-31 \\
      --enrollment sample_data/ningxia/enrollment.csv --persons sample_data/ningxia/persons.csv \\
      --civil sample_data/ningxia/civil.csv --agri sample_data/ningxia/agri.csv \\
      --disability sample_data/ningxia/disability.csv --out reports/2026-01
  yibao-recon run --job jobs/ningxia-sample.toml
  yibao-recon run --policy policies/ningxia-2026.toml --as-of 2026-01-31 \\
      --enrollment sample_data/ningxia/enrollment.csv --civil sample_data/ningxia/civil.csv \\
      --out reports/trial --no-ledger      # 试算：不读写台账 A trial: no ledger read or written";

#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct RunArgs {
    /// 作业文件，写有下面的全部参数（路径相对作业文件） A job file holding every flag below (paths relative to the job file).
    #[arg(long, help_heading = super::H_IN, conflicts_with_all = ["policy", "as_of", "out", "header_lang", "schemas"])]
    pub job: Option<PathBuf>,
    /// 政策文件，如 policies/ningxia-2026.toml  Policy file, e.g. policies/ningxia-2026.toml.
    #[arg(long, help_heading = super::H_POLICY, required_unless_present = "job")]
    pub policy: Option<PathBuf>,
    /// 对账日期（通常是月末），如 2026-01-31  The date the run reconciles at (normally the month's last day).
    #[arg(long, value_name = "YYYY-MM-DD", help_heading = super::H_POLICY, required_unless_present = "job")]
    pub as_of: Option<String>,
    #[command(flatten)]
    pub inputs: InputArgs,
    /// 输出目录（须为新目录或空目录，除非加 --force） Output directory (must be new or empty unless --force).
    #[arg(long, help_heading = super::H_OUT, required_unless_present = "job")]
    pub out: Option<PathBuf>,
    /// 替换非空的输出目录 Replace a non-empty output directory.
    #[arg(long, help_heading = super::H_OUT)]
    pub force: bool,
    /// 清单表头语言（默认 zh） Report header language (default zh).
    #[arg(long, value_enum, help_heading = super::H_OUT)]
    pub header_lang: Option<Lang>,
    /// 不显示进度条和逐个文件的统计 No progress bars or per-file lines.
    #[arg(long, help_heading = super::H_RUN)]
    pub quiet: bool,
    /// 列名别名表目录（默认用程序内置的一份） Directory of schema tables (default: the copy built into the binary).
    #[arg(long, help_heading = super::H_IN)]
    pub schemas: Option<PathBuf>,
    /// 对账台账（SQLite，记住以前各月；默认为输出目录旁的 ledger.sqlite） Reconciliation
    /// ledger that remembers earlier months (default: ledger.sqlite beside the
    /// output directory). Overrides a job file's.
    #[arg(long, help_heading = super::H_OUT)]
    pub ledger: Option<PathBuf>,
    /// 清单中的身份证号遮盖（640104********1025），供发给村居工作人员 Write the lists
    /// with masked IDs, for sharing with village and community outreach staff.
    #[arg(long, help_heading = super::H_OUT)]
    pub mask_ids: bool,
    /// 用本次输入替换台账中该月的记录（不加则拒绝并说明差异） Re-run a month the ledger
    /// recorded with other inputs, replacing its record on purpose (without it,
    /// such a run is refused and says what differs).
    #[arg(long, help_heading = super::H_RUN, conflicts_with = "no_ledger")]
    pub replace: bool,
    /// 试算：不读写台账（所有条目都列为新增） A trial run: reads and writes no ledger (every item is listed as new).
    #[arg(long, help_heading = super::H_RUN, conflicts_with = "ledger")]
    pub no_ledger: bool,
    /// Split the rows into this many partitions by person (default: one per
    /// 64 MiB of input). More partitions use less memory.
    #[arg(long, value_name = "N", hide = true)]
    pub partitions: Option<usize>,
    /// 读取时在内存中保留的分区数据上限（如 2G、512M；默认 0：超出部分暂存到临时文件，通常更快），临时目录所在磁盘较慢时可调大
    /// Memory the partitions' rows may take while the inputs are read (e.g.
    /// 2G, 512M; default 0: they wait in temporary files, which is usually
    /// faster); raise it when the temporary directory is on a slow disk.
    #[arg(long, value_name = "SIZE", value_parser = super::parse_size_arg, help_heading = super::H_RUN)]
    pub memory: Option<u64>,
}

impl RunArgs {
    /// Validates the raw arguments into the library's run config.
    pub fn into_config(self) -> Result<RunConfig> {
        if let Some(job) = &self.job {
            if !self.inputs.into_specs().is_empty() {
                return Err(crate::error::usage(
                    "--job 从作业文件读取输入文件，不能再同时给出输入参数（如 --civil）",
                    "--job takes its inputs from the job file; give no input flags with it",
                ));
            }
            crate::error::PathProblem::check("--job", job)?;
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
            if self.memory.is_some() {
                cfg.memory = self.memory;
            }
            return Ok(cfg);
        }
        let missing = |what: &str| {
            crate::error::usage(
                format!("缺少 {what}（或用 --job 给出作业文件）"),
                format!("{what} is required (or give --job)"),
            )
        };
        let inputs = self.inputs.into_specs();
        if !inputs
            .iter()
            .any(|i| i.kind == crate::domain::SourceKind::Enrollment)
        {
            return Err(missing("--enrollment"));
        }
        Ok(RunConfig {
            policy: self.policy.ok_or_else(|| missing("--policy"))?,
            as_of: super::as_of_arg(&self.as_of.ok_or_else(|| missing("--as-of"))?)?,
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
            memory: self.memory,
            replace: self.replace,
            no_ledger: self.no_ledger,
        })
    }
}

pub fn run(args: RunArgs, lang: crate::i18n::Lang) -> Result<i32> {
    let from_job = args.job.clone();
    let mut cfg = args.into_config()?;
    cfg.lang = lang;
    super::inputs::check_paths(&cfg.policy, &cfg.inputs, from_job.as_deref())?;
    let quiet = cfg.quiet;
    let report = pipeline::run(&cfg)?;
    if !quiet {
        for l in &report.lines {
            eprintln!("{l}");
        }
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::SourceKind;
    use crate::error::Error;
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
        let e = config(&[
            "run",
            "--policy",
            "p",
            "--as-of",
            "soon",
            "--enrollment",
            "e",
            "--out",
            "o",
        ])
        .unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(
            e.localized(crate::i18n::Lang::Zh)
                .contains("--as-of `soon` 不是日期"),
            "{e}"
        );
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
