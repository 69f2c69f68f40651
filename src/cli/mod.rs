//! The command line: clap types live here only. Each subcommand parses its
//! raw arguments, validates them into the library's config, and runs.

pub mod check_policy;
pub mod explain;
pub mod forecast;
pub mod generate;
pub mod inputs;
pub mod ledger;
pub mod run;
pub mod validate;
pub mod verify;

use clap::{Parser, Subcommand};

use crate::error::Result;

/// Help headings: every option sits under one, so `--help` groups the
/// flags as a clerk fills them in (issue 16).
pub const H_IN: &str = "输入 Inputs";
pub const H_POLICY: &str = "政策与日期 Policy and date";
pub const H_PERSON: &str = "查询对象 Person";
pub const H_OUT: &str = "输出 Output";
pub const H_RUN: &str = "运行方式 Behaviour";

/// The help page of every command, with Chinese labels (clap's own say
/// `Usage:` and `Options:`).
const HELP_TEMPLATE: &str = "\
{before-help}{about-with-newline}
用法 Usage: {usage}

{all-args}{after-help}";

#[derive(Debug, Parser)]
#[command(
    name = "yibao-recon",
    version,
    about = "城乡居民医保困难群体参保对账 — monthly reconciliation of hardship rosters against the resident medical-insurance ledger",
    after_help = "示例 Example:\n  yibao-recon run --policy policies/ningxia-2026.toml --as-of 2026-01-31 \\\n      --enrollment sample_data/ningxia/enrollment.csv --civil sample_data/ningxia/civil.csv \\\n      --out reports/2026-01",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    subcommand_help_heading = "命令 Commands",
    subcommand_value_name = "命令 COMMAND"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// 提示信息的语言（默认 zh）：错误、拒收与冲突说明 Language of messages (default zh).
    #[arg(long, global = true, value_enum, help_heading = H_RUN)]
    pub lang: Option<LangArg>,
    /// 显示帮助 Print help.
    #[arg(short, long, global = true, action = clap::ArgAction::Help, help_heading = H_RUN)]
    pub help: Option<bool>,
    /// 显示版本 Print version.
    #[arg(short = 'V', long, action = clap::ArgAction::Version, help_heading = H_RUN)]
    pub version: Option<bool>,
}

/// The command line with the Chinese help page on every command.
pub fn command() -> clap::Command {
    localize(<Cli as clap::CommandFactory>::command())
}

fn localize(cmd: clap::Command) -> clap::Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    let mut cmd = cmd
        .help_template(HELP_TEMPLATE)
        .subcommand_help_heading("命令 Commands")
        .subcommand_value_name("命令 COMMAND");
    for name in names {
        cmd = cmd.mut_subcommand(name, localize);
    }
    cmd
}

/// Parses the command line; a usage error is said in the clerk's language
/// (`--lang` as written, Chinese by default) and exits 2, help exits 0.
pub fn parse() -> Cli {
    use clap::FromArgMatches;
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let parsed = command()
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m));
    match parsed {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            let wants_en = args.windows(2).any(|w| w[0] == "--lang" && w[1] == "en")
                || args.iter().any(|a| a == "--lang=en");
            let shown = matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion);
            if shown || wants_en {
                e.exit();
            }
            eprintln!("错误: {}", usage_error_zh(&e));
            std::process::exit(2);
        }
    }
}

/// clap's usage error in Chinese: what was wrong, the argument it was
/// about, and where to look.
pub fn usage_error_zh(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let ctx = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(v) => v.to_string(),
        None => String::new(),
    };
    let arg = ctx(ContextKind::InvalidArg);
    let what = match e.kind() {
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数 {arg}"),
        ErrorKind::UnknownArgument => format!("没有参数 {arg}"),
        ErrorKind::InvalidSubcommand => {
            format!("没有命令 {}", ctx(ContextKind::InvalidSubcommand))
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "缺少命令：run、explain、forecast、check-policy、validate、generate、ledger、verify 之一".into()
        }
        ErrorKind::InvalidValue => format!(
            "参数 {arg} 的值 `{}` 无效；可选值：{}",
            ctx(ContextKind::InvalidValue),
            ctx(ContextKind::ValidValue)
        ),
        ErrorKind::ValueValidation => format!(
            "参数 {arg} 的值 `{}` 无效（{}）",
            ctx(ContextKind::InvalidValue),
            std::error::Error::source(e)
                .map(|s| s.to_string())
                .unwrap_or_default()
        ),
        ErrorKind::ArgumentConflict => {
            format!("参数 {arg} 不能与 {} 同时使用", ctx(ContextKind::PriorArg))
        }
        ErrorKind::NoEquals | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("参数 {arg} 缺少值")
        }
        _ => format!("{arg} {}", e.kind()).trim().to_string(),
    };
    let suggested = ctx(ContextKind::SuggestedArg) + &ctx(ContextKind::SuggestedSubcommand);
    let hint = if suggested.is_empty() {
        String::new()
    } else {
        format!("；是不是要写 {suggested}")
    };
    format!("用法错误：{what}{hint}（yibao-recon <命令> --help 查看说明和示例）")
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
    /// 月度对账：拒收、退费、重新核定、应参未参、汇总 — Reconcile one month.
    Run(run::RunArgs),
    /// 查询某人：各条规则的结论及理由 — Every rule's verdict for one person, and why.
    Explain(explain::ExplainArgs),
    /// 预算测算：按今日认定的人员测算下一年度政策的资助 — Next year's policy priced on the people recognised today.
    Forecast(forecast::ForecastArgs),
    /// 检查政策文件并打印档次表 — Validate a policy file and print its tier table.
    CheckPolicy(check_policy::CheckPolicyArgs),
    /// 单独检查一个导出文件（无需政策）：行数与拒收 — Check one export without a policy.
    Validate(validate::ValidateArgs),
    /// 生成测试用的合成数据 — Write deterministic synthetic exports for tests and benchmarks.
    Generate(generate::GenerateArgs),
    /// 对账台账：登记已付退费、个人历史、运行记录 — The reconciliation ledger.
    Ledger(ledger::LedgerArgs),
    /// 用埋入的答案核对一次运行的清单 — Check a run's lists against a planted answer key.
    Verify(verify::VerifyArgs),
}

/// Runs the parsed command; returns the process exit code.
pub fn dispatch(cli: Cli) -> Result<i32> {
    let lang = cli.lang();
    match cli.command {
        Command::Run(a) => run::run(a, lang),
        Command::Explain(a) => explain::run(a, lang),
        Command::Forecast(a) => forecast::run(a, lang),
        Command::CheckPolicy(a) => check_policy::run(a, lang),
        Command::Validate(a) => validate::run(a, lang),
        Command::Generate(a) => generate::run(a),
        Command::Ledger(a) => ledger::run(a, lang),
        Command::Verify(a) => verify::run(a),
    }
}

/// Parses `--as-of` in the validated-config step rather than in clap, so a
/// bad date is said in the clerk's language (issue 16).
pub fn as_of_arg(s: &str) -> Result<chrono::NaiveDate> {
    crate::domain::parse_date(s).ok_or_else(|| {
        crate::error::usage(
            format!("--as-of `{s}` 不是日期，应写成 年-月-日，如 2026-01-31"),
            format!("--as-of `{s}` is not a date; expected e.g. 2026-01-31"),
        )
    })
}

/// Parses a `YYYY-MM-DD` (or any accepted form) date argument.
pub fn parse_date_arg(s: &str) -> std::result::Result<chrono::NaiveDate, String> {
    crate::domain::parse_date(s)
        .ok_or_else(|| format!("`{s}` is not a date; expected e.g. 2026-01-31"))
}
