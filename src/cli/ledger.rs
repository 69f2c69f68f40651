//! `yibao-recon ledger …`: the reconciliation ledger between monthly runs —
//! `mark-paid FILE` imports the refunds actually paid, `history --id X` shows
//! one person's items across months, `runs` lists the recorded runs,
//! `forget --id X` removes one person's data on request.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::error::{Error, Result};
use crate::ledger::{history, paid, Ledger};

const EXAMPLES: &str = "Examples:
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
    /// Import refunds actually paid (身份证号, 参保年度, 退费金额): later runs list them as `paid`.
    MarkPaid(MarkPaidArgs),
    /// One person's refund, re-rating and missing-enrollment items across months.
    History(HistoryArgs),
    /// The runs the ledger holds: region/year, as-of date, policy, inputs.
    Runs(LedgerPath),
    /// Remove one person's items, states and payments from the ledger (a
    /// deletion request); the file is rewritten so no copy remains in it.
    Forget(HistoryArgs),
}

#[derive(Debug, Args)]
pub struct LedgerPath {
    /// The ledger file runs record into (run's default: ledger.sqlite beside --out).
    #[arg(long)]
    pub ledger: PathBuf,
}

#[derive(Debug, Args)]
pub struct MarkPaidArgs {
    /// CSV or XLSX with 身份证号, 参保年度, 退费金额; optional 参保区划代码 and
    /// 缴费日期 (to pick one of a person's refunds) and 退费日期.
    pub file: PathBuf,
    #[command(flatten)]
    pub ledger: LedgerPath,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The person's 身份证号 (or TYPE:NUMBER for another document type).
    #[arg(long)]
    pub id: String,
    #[command(flatten)]
    pub ledger: LedgerPath,
}

pub fn run(args: LedgerArgs) -> Result<i32> {
    let today = chrono::Local::now().date_naive();
    match args.command {
        LedgerCommand::MarkPaid(a) => {
            if !a.file.is_file() {
                return Err(Error::io(a.file.display(), "no such file"));
            }
            if !a.ledger.ledger.is_file() {
                return Err(Error::io(
                    a.ledger.ledger.display(),
                    "no ledger here; mark-paid needs the ledger the monthly runs recorded into",
                ));
            }
            let ledger = Ledger::open_locked(&a.ledger.ledger)?;
            let done = paid::mark_paid(ledger, &a.file, today)?;
            println!(
                "已确认退费 {} 笔，合计 {} 元 — marked {} refund(s) paid, total {}",
                done.rows, done.total, done.rows, done.total
            );
        }
        LedgerCommand::History(a) => {
            let person = history::person_key(&a.id, today)?;
            let ledger = Ledger::open_read(&a.ledger.ledger)?;
            print!("{}", history::history(&ledger, &person)?);
        }
        LedgerCommand::Forget(a) => {
            let person = history::person_key(&a.id, today)?;
            if !a.ledger.ledger.is_file() {
                return Err(Error::io(a.ledger.ledger.display(), "no ledger here"));
            }
            let ledger = Ledger::open_locked(&a.ledger.ledger)?;
            let done = crate::ledger::forget::forget(ledger, &person)?;
            println!(
                "已删除 {} 的 {} 个条目（{} 条月度记录、{} 笔已付退费、{} 条名单快照）— removed {} item(s) of {} ({} monthly state(s), {} payment(s), {} roster listing(s)); earlier output directories still hold the person's rows",
                crate::domain::mask(&person),
                done.items,
                done.states,
                done.payments,
                done.listings,
                done.items,
                crate::domain::mask(&person),
                done.states,
                done.payments,
                done.listings
            );
        }
        LedgerCommand::Runs(a) => {
            let ledger = Ledger::open_read(&a.ledger)?;
            print!("{}", history::runs(&ledger)?);
        }
    }
    Ok(0)
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
