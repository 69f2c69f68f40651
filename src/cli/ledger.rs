//! `yibao-recon ledger …`: the reconciliation ledger between monthly runs —
//! `mark-paid FILE` imports the refunds actually paid, `history --id X` shows
//! one person's items across months, `runs` lists the recorded runs,
//! `forget --id X` removes one person's data on request.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::error::{PathProblem, Result};
use crate::i18n::{Lang, Msg};
use crate::ledger::{history, paid, Ledger};

const EXAMPLES: &str = "示例 Examples:
  yibao-recon ledger mark-paid paid-2026-01.csv --ledger reports/ledger.sqlite
  yibao-recon ledger history --id 640104196804121025 --ledger reports/ledger.sqlite
  yibao-recon ledger runs --ledger reports/ledger.sqlite
  yibao-recon ledger forget --id 640104196804121025 --ledger reports/ledger.sqlite";

#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct LedgerArgs {
    #[command(subcommand)]
    pub command: LedgerCommand,
}

#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// 导入已实际支付的退费（身份证号、参保年度、退费金额），此后的运行将其列为 paid — Import refunds actually paid.
    MarkPaid(MarkPaidArgs),
    /// 某人各月的退费、重新核定和应参未参条目 — One person's items across months.
    History(HistoryArgs),
    /// 台账记录的各次运行：地区/年度、对账日期、政策、输入 — The runs the ledger holds.
    Runs(LedgerPath),
    /// 从台账删除某人的全部条目、状态和支付记录（应本人删除请求） — Remove one person's
    /// data from the ledger (a deletion request); the file is rewritten so no copy remains in it.
    Forget(HistoryArgs),
}

#[derive(Debug, Args)]
pub struct LedgerPath {
    /// 对账台账文件（run 默认写在 --out 旁的 ledger.sqlite） The ledger file runs record into (run's default: ledger.sqlite beside --out).
    #[arg(long, help_heading = super::H_IN)]
    pub ledger: PathBuf,
}

#[derive(Debug, Args)]
pub struct MarkPaidArgs {
    /// 已支付退费的 CSV 或 XLSX：身份证号、参保年度、退费金额，可选参保区划代码、缴费日期、退费日期
    /// — CSV or XLSX of refunds paid (columns `身份证号`, `参保年度`, `退费金额`; optional
    /// `参保区划代码`, `缴费日期`, `退费日期`).
    #[arg(help_heading = super::H_IN)]
    pub file: PathBuf,
    #[command(flatten)]
    pub ledger: LedgerPath,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// 此人的身份证号（其他证件写成 证件类型:号码） The person's ID (or TYPE:NUMBER for another document type).
    #[arg(long, help_heading = super::H_PERSON)]
    pub id: String,
    #[command(flatten)]
    pub ledger: LedgerPath,
}

/// The ledger a subcommand works on must be there (a file, readable).
fn check_ledger(path: &std::path::Path) -> Result<()> {
    PathProblem::check("--ledger", path)
}

pub fn run(args: LedgerArgs, lang: Lang) -> Result<i32> {
    let today = chrono::Local::now().date_naive();
    match args.command {
        LedgerCommand::MarkPaid(a) => {
            PathProblem::check("ledger mark-paid FILE", &a.file)?;
            check_ledger(&a.ledger.ledger)?;
            let ledger = Ledger::open_locked(&a.ledger.ledger)?;
            let done = paid::mark_paid(ledger, &a.file, today)?;
            println!("{}", paid_line(&done, &a.file, lang));
        }
        LedgerCommand::History(a) => {
            let person = history::person_key(&a.id, today)?;
            check_ledger(&a.ledger.ledger)?;
            let ledger = Ledger::open_read(&a.ledger.ledger)?;
            print!("{}", history::history(&ledger, &person, lang)?);
        }
        LedgerCommand::Forget(a) => {
            let person = history::person_key(&a.id, today)?;
            check_ledger(&a.ledger.ledger)?;
            let ledger = Ledger::open_locked(&a.ledger.ledger)?;
            let done = crate::ledger::forget::forget(ledger, &person)?;
            let who = crate::domain::mask(&person);
            let said = Msg::new(
                format!(
                    "已删除 {who} 的 {} 个条目（{} 条月度记录、{} 笔已付退费、{} 条名单快照）；此前的输出目录中仍有此人的行",
                    done.items, done.states, done.payments, done.listings
                ),
                format!(
                    "removed {} item(s) of {who} ({} monthly state(s), {} payment(s), {} roster listing(s)); earlier output directories still hold the person's rows",
                    done.items, done.states, done.payments, done.listings
                ),
            );
            println!("{}", said.get(lang));
        }
        LedgerCommand::Runs(a) => {
            check_ledger(&a.ledger)?;
            let ledger = Ledger::open_read(&a.ledger)?;
            print!("{}", history::runs(&ledger, lang)?);
        }
    }
    Ok(0)
}

/// What `mark-paid` says it did: the refunds it recorded, or that this very
/// file was imported before and nothing changed.
fn paid_line(done: &paid::Imported, file: &std::path::Path, lang: Lang) -> String {
    let file = file.display();
    let (n, total) = (done.rows, done.total);
    let said = if done.already {
        Msg::new(
            format!("{file} 已导入过（同一文件的 {n} 笔退费、合计 {total} 元已记入账本），本次未做任何改动"),
            format!("{file} was imported before ({n} refund(s), total {total}, already recorded); nothing was changed"),
        )
    } else {
        Msg::new(
            format!("已确认退费 {n} 笔，合计 {total} 元"),
            format!("marked {n} refund(s) paid, total {total}"),
        )
    };
    said.get(lang).to_string()
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    fn parse(args: &[&str]) -> std::result::Result<crate::cli::Cli, clap::Error> {
        crate::cli::Cli::try_parse_from(std::iter::once("yibao-recon").chain(args.iter().copied()))
    }

    #[test]
    fn subcommands_need_a_ledger() {
        assert!(parse(&["ledger", "runs"]).is_err());
        assert!(parse(&["ledger", "history", "--id", "x"]).is_err());
        assert!(parse(&["ledger", "mark-paid", "f.csv"]).is_err());
        assert!(parse(&["ledger", "mark-paid", "f.csv", "--ledger", "l"]).is_ok());
        assert!(parse(&["ledger", "history", "--id", "x", "--ledger", "l"]).is_ok());
    }
}
