//! `yibao-recon forecast`: next year's policy priced on the people
//! recognised today (预算测算, issue 14).

use std::path::PathBuf;

use clap::Args;

use super::run::Lang;
use crate::domain::SourceKind;
use crate::error::Result;
use crate::forecast::{self, ForecastConfig};
use crate::report::HeaderLang;

const EXAMPLES: &str = "示例 Examples:
  yibao-recon forecast --policy policies/ningxia-2026.toml --as-of 2026-01-31 \\
      --civil sample_data/ningxia/civil.csv --agri sample_data/ningxia/agri.csv \\
      --disability sample_data/ningxia/disability.csv --out reports/forecast
  yibao-recon forecast --policy next-year.toml --compare policies/ningxia-2026.toml \\
      --as-of 2026-01-31 --civil sample_data/ningxia/civil.csv \\
      --enrollment sample_data/ningxia/enrollment.csv --out reports/forecast-compare";

#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct ForecastArgs {
    /// 要测算的政策文件（通常是下一年度的） The policy to forecast (normally next year's).
    #[arg(long, help_heading = super::H_POLICY)]
    pub policy: PathBuf,
    /// 名单日期：按此日有效的身份测算，如 2026-09-30  The date whose recognised identities are priced, e.g. 2026-09-30.
    #[arg(long, value_name = "YYYY-MM-DD", help_heading = super::H_POLICY)]
    pub as_of: String,
    /// 对比的政策文件（通常是本年度的）：同样的人按两份政策计价并列出差额
    /// The policy to compare with (normally this year's): the same people priced under both, with the difference.
    #[arg(long, value_name = "THIS.toml", help_heading = super::H_POLICY)]
    pub compare: Option<PathBuf>,
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
    /// 可选：一人一档参保缴费明细，给出每人的缴费档次（不给则按默认档次）
    /// Optional: the enrollment export, for each person's contribution grade (default grade without it).
    #[arg(long, help_heading = super::H_IN)]
    pub enrollment: Vec<PathBuf>,
    /// 可选：一人一档人员库（已死亡者不计入；名单无区划列时据此定区县）
    /// Optional: the persons register (the dead are not counted; places rosters without a region column).
    #[arg(long, help_heading = super::H_IN)]
    pub persons: Vec<PathBuf>,
    /// 列名别名表目录（默认用程序内置的一份） Directory of schema tables (default: built in).
    #[arg(long, help_heading = super::H_IN)]
    pub schemas: Option<PathBuf>,
    /// 输出目录（须为新目录或空目录，除非加 --force） Output directory (must be new or empty unless --force).
    #[arg(long, help_heading = super::H_OUT)]
    pub out: PathBuf,
    /// 替换非空的输出目录 Replace a non-empty output directory.
    #[arg(long, help_heading = super::H_OUT)]
    pub force: bool,
    /// 表头语言（默认 zh） Report header language (default zh).
    #[arg(long, value_enum, help_heading = super::H_OUT)]
    pub header_lang: Option<Lang>,
    /// 拒收清单中的身份证号遮盖（640104********1025） Mask IDs in the outputs (rejects list).
    #[arg(long, help_heading = super::H_OUT)]
    pub mask_ids: bool,
    /// 不显示进度条和逐个文件的统计 No progress bars or per-file lines.
    #[arg(long, help_heading = super::H_RUN)]
    pub quiet: bool,
}

impl ForecastArgs {
    /// Validates the raw arguments into the library's forecast config.
    pub fn into_config(self, lang: crate::i18n::Lang) -> Result<ForecastConfig> {
        let inputs = super::inputs::InputArgs {
            enrollment: self.enrollment,
            persons: self.persons,
            civil: self.civil,
            agri: self.agri,
            disability: self.disability,
            veterans: self.veterans,
            elsewhere: Vec::new(),
        }
        .into_specs();
        if !inputs.iter().any(|i| {
            matches!(
                i.kind,
                SourceKind::Civil
                    | SourceKind::Agri
                    | SourceKind::Disability
                    | SourceKind::Veterans
            )
        }) {
            return Err(crate::error::usage(
                "forecast 至少需要一份名单（--civil、--agri、--disability 或 --veterans）",
                "forecast needs at least one roster (--civil, --agri, --disability or --veterans)",
            ));
        }
        Ok(ForecastConfig {
            as_of: super::as_of_arg(&self.as_of)?,
            policy: self.policy,
            compare: self.compare,
            inputs,
            out: self.out,
            force: self.force,
            header_lang: match self.header_lang.unwrap_or(Lang::Zh) {
                Lang::Zh => HeaderLang::Zh,
                Lang::En => HeaderLang::En,
            },
            quiet: self.quiet,
            schemas_dir: self.schemas,
            lang,
            mask_ids: self.mask_ids,
        })
    }
}

pub fn run(args: ForecastArgs, lang: crate::i18n::Lang) -> Result<i32> {
    let cfg = args.into_config(lang)?;
    super::inputs::check_paths(&cfg.policy, &cfg.inputs, None)?;
    if let Some(c) = &cfg.compare {
        crate::error::PathProblem::check("--compare", c)?;
    }
    let lines = forecast::run(&cfg)?;
    if !cfg.quiet {
        for l in &lines {
            eprintln!("{l}");
        }
    }
    Ok(0)
}
