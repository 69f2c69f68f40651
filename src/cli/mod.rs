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

/// The help page of every command, its labels in the clerk's language
/// (clap's own say `Usage:` and `Options:`).
fn help_template(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "{before-help}{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}",
        Lang::En => "{before-help}{about-with-newline}\nUsage: {usage}\n\n{all-args}{after-help}",
    }
}

use crate::i18n::{pick, Lang};

#[derive(Debug, Parser)]
#[command(
    name = "yibao-recon",
    version,
    about = "城乡居民医保困难群体参保对账 — Monthly reconciliation of hardship rosters against the resident medical-insurance ledger",
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
    /// 提示信息和帮助的语言（默认 zh；不给时 LANG=en_* 为 en） Language of messages and help (default zh; en when LANG is en_*).
    #[arg(long, global = true, value_enum, help_heading = H_RUN)]
    pub lang: Option<LangArg>,
    /// 显示帮助 Print help.
    #[arg(short, long, global = true, action = clap::ArgAction::Help, help_heading = H_RUN)]
    pub help: Option<bool>,
    /// 显示版本 Print version.
    #[arg(short = 'V', long, action = clap::ArgAction::Version, help_heading = H_RUN)]
    pub version: Option<bool>,
}

/// The command line with its help in Chinese (the default language).
pub fn command() -> clap::Command {
    command_in(Lang::Zh)
}

/// The command line with every help text, heading and example in `lang`
/// alone: each is written `中文 English` where it is declared and split
/// here ([`crate::i18n::split_bilingual`]), so a command added later is
/// localised with no list to keep (issue 16).
pub fn command_in(lang: Lang) -> clap::Command {
    localize(<Cli as clap::CommandFactory>::command(), lang)
}

fn localize(cmd: clap::Command, lang: Lang) -> clap::Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    let text = |s: Option<&clap::builder::StyledStr>| s.map(|s| pick(&s.to_string(), lang));
    let (about, long_about, after, long_after) = (
        text(cmd.get_about()),
        text(cmd.get_long_about()),
        text(cmd.get_after_help()),
        text(cmd.get_after_long_help()),
    );
    let args: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    let mut cmd = cmd
        .help_template(help_template(lang))
        .subcommand_help_heading(pick("命令 Commands", lang))
        .subcommand_value_name(pick("命令 COMMAND", lang));
    if let Some(t) = about {
        cmd = cmd.about(t);
    }
    if let Some(t) = long_about {
        cmd = cmd.long_about(t);
    }
    if let Some(t) = after {
        cmd = cmd.after_help(t);
    }
    if let Some(t) = long_after {
        cmd = cmd.after_long_help(t);
    }
    for id in args {
        cmd = cmd.mut_arg(id, |a| {
            let help = a.get_help().map(|s| pick(&s.to_string(), lang));
            let long = a.get_long_help().map(|s| pick(&s.to_string(), lang));
            let heading = a.get_help_heading().map(|h| pick(h, lang));
            let mut a = match heading {
                Some(h) => a.help_heading(h),
                None => a,
            };
            if let Some(h) = help {
                a = a.help(h);
            }
            if let Some(h) = long {
                a = a.long_help(h);
            }
            a
        });
    }
    for name in names {
        cmd = cmd.mut_subcommand(name, |c| localize(c, lang));
    }
    cmd
}

/// The language asked for on the command line (`--lang en`, `--lang=zh`),
/// else by the environment ([`crate::i18n::env_lang`]); read before
/// parsing, so help and usage errors follow it.
pub fn lang_of_args(args: &[std::ffi::OsString]) -> Lang {
    let named = args
        .windows(2)
        .filter(|w| w[0] == "--lang")
        .map(|w| w[1].clone())
        .chain(
            args.iter()
                .filter_map(|a| a.to_str()?.strip_prefix("--lang=").map(Into::into)),
        )
        .last();
    match named.as_ref().and_then(|v| v.to_str()) {
        Some("en") => Lang::En,
        Some("zh") => Lang::Zh,
        _ => crate::i18n::env_lang(),
    }
}

/// Parses the command line; help and usage errors are said in the clerk's
/// language ([`lang_of_args`]); a usage error exits 2, help exits 0.
pub fn parse() -> Cli {
    use clap::FromArgMatches;
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = lang_of_args(&args);
    let parsed = command_in(lang)
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m));
    match parsed {
        Ok(mut cli) => {
            if cli.lang.is_none() && lang == Lang::En {
                cli.lang = Some(LangArg::En);
            }
            cli
        }
        Err(e) => {
            use clap::error::ErrorKind;
            let shown = matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion);
            if shown || lang == Lang::En {
                e.exit();
            }
            eprintln!("{}", usage_error_zh(&e));
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
            let valid = ctx(ContextKind::ValidSubcommand);
            if valid.is_empty() {
                "缺少命令".to_string()
            } else {
                format!("缺少命令，应为 {valid} 之一")
            }
        }
        ErrorKind::InvalidValue => format!(
            "参数 {arg} 的值 `{}` 无效；可选值：{}",
            ctx(ContextKind::InvalidValue),
            ctx(ContextKind::ValidValue)
        ),
        ErrorKind::ValueValidation => format!(
            "参数 {arg} 的值 `{}` 无效{}",
            ctx(ContextKind::InvalidValue),
            expected_zh(std::error::Error::source(e).map(|s| s.to_string()))
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

/// What a value that did not parse should have been, from the parser's
/// (English) reason: numbers are the only values clap parses itself.
fn expected_zh(reason: Option<String>) -> &'static str {
    match reason.as_deref() {
        Some(r) if r.contains("is not a size") => "（应为大小，如 4G、512M）",
        Some(r) if r.contains("float") => "（应为数字，如 0.05）",
        Some(r) if r.contains("digit") || r.contains("number") => "（应为不带小数的整数，如 1000）",
        _ => "",
    }
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum LangArg {
    Zh,
    En,
}

impl Cli {
    /// The message language asked for: `--lang`, else the environment's
    /// ([`crate::i18n::env_lang`]), else zh.
    pub fn lang(&self) -> Lang {
        match self.lang {
            Some(LangArg::En) => Lang::En,
            Some(LangArg::Zh) => Lang::Zh,
            None => crate::i18n::env_lang(),
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
        Command::Generate(a) => generate::run(a, lang),
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

/// Parses a size in bytes: a whole number with an optional binary unit
/// (`K`, `M`, `G`, `T`, also written `KiB`/`KB`…): `4G`, `512M`, `0`.
pub fn parse_size_arg(s: &str) -> std::result::Result<u64, String> {
    let t = s.trim();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let unit = t[digits..].trim().to_ascii_uppercase();
    let unit = unit
        .strip_suffix("IB")
        .or_else(|| unit.strip_suffix('B'))
        .unwrap_or(&unit);
    let shift = match unit {
        "" => Some(0),
        "K" => Some(10),
        "M" => Some(20),
        "G" => Some(30),
        "T" => Some(40),
        _ => None,
    };
    shift
        .zip(t[..digits].parse::<u64>().ok())
        .and_then(|(shift, n)| n.checked_mul(1u64 << shift))
        .ok_or_else(|| format!("`{s}` is not a size; expected e.g. 4G or 512M"))
}

#[cfg(test)]
mod size_tests {
    use super::parse_size_arg;

    #[test]
    fn sizes() {
        assert_eq!(parse_size_arg("0"), Ok(0));
        assert_eq!(parse_size_arg("512M"), Ok(512 << 20));
        assert_eq!(parse_size_arg("4G"), Ok(4 << 30));
        assert_eq!(parse_size_arg("4GiB"), Ok(4 << 30));
        assert_eq!(parse_size_arg("2 gb"), Ok(2 << 30));
        assert_eq!(parse_size_arg("100k"), Ok(100 << 10));
        assert!(parse_size_arg("G").is_err());
        assert!(parse_size_arg("1.5G").is_err());
        assert!(parse_size_arg("4X").is_err());
        assert!(parse_size_arg("99999999999T").is_err());
    }
}
