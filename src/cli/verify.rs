//! `yibao-recon verify`: per planted shape, how many persons the run's lists
//! got exactly right, and the first mismatching row. The checker itself is
//! [`crate::generate::plant::check`].

use std::path::PathBuf;

use clap::Args;

use crate::error::Result;
use crate::generate::plant::check::verify;

const EXAMPLES: &str = "示例 Example:
  yibao-recon generate --persons 100000 --plant --policy policies/ningxia-2026.toml --out data/
  yibao-recon run … --header-lang en --out reports/x
  yibao-recon verify --answers data/answers.csv --out reports/x
全部埋入人员都对上时退出码为 0，否则为 1 — Exit code 0 when every planted person matched, 1 otherwise.";

#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct VerifyArgs {
    /// generate --plant 写出的答案表（answers.csv） The answer key `generate --plant` wrote.
    #[arg(long, help_heading = super::H_IN)]
    pub answers: PathBuf,
    /// 该次运行的输出目录（须用 --header-lang en 生成） The run's output directory (lists written with --header-lang en).
    #[arg(long, help_heading = super::H_IN)]
    pub out: PathBuf,
}

pub fn run(args: VerifyArgs) -> Result<i32> {
    let results = verify(&args.answers, &args.out)?;
    let (mut all, mut ok) = (0, 0);
    println!("{:<36} {:>13}", "shape", "matched");
    for (shape, r) in &results {
        let tally = format!("{}/{}", r.matched, r.instances);
        println!("{shape:<36} {tally:>13}");
        all += r.instances;
        ok += r.matched;
    }
    println!("{:<36} {:>13}", "total", format!("{ok}/{all}"));
    for (shape, r) in &results {
        if let Some(m) = &r.first_mismatch {
            println!("MISMATCH {shape}: {m}");
        }
    }
    Ok(if ok == all { 0 } else { 1 })
}
