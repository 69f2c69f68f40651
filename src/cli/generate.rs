//! `yibao-recon generate`: deterministic synthetic exports (persons, enrollment
//! with five years of history, civil in GBK, agri, disability, veterans,
//! elsewhere) for tests and benchmarks. The generator itself is
//! [`crate::generate`]; this file only parses flags and prints the counts.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;

use crate::error::Result;
use crate::generate::{
    generate_with_progress, DirtyKind, GenerateConfig, DEFAULT_DIRTY, DEFAULT_PLANT_SHARE,
};
use crate::progress::Progress;

const EXAMPLES: &str = "示例 Example:
  yibao-recon generate --persons 1000000 --seed 7 --policy policies/ningxia-2026.toml --out data/
The same seed gives byte-identical files. The policy supplies the counties, the year,
the concentrated period and the tier amounts; --as-of defaults to January 31 of its year.";

#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct GenerateArgs {
    /// 生成的居民人数（persons.csv 的行数） Number of residents (rows of persons.csv).
    #[arg(long, help_heading = super::H_IN)]
    pub persons: u64,
    /// 随机种子，同一种子生成逐字节相同的文件 RNG seed; the same seed gives byte-identical files.
    #[arg(long, default_value_t = 1, help_heading = super::H_IN)]
    pub seed: u64,
    /// 政策文件，如 policies/ningxia-2026.toml  Policy file, e.g. policies/ningxia-2026.toml.
    #[arg(long, help_heading = super::H_POLICY)]
    pub policy: PathBuf,
    /// 输出目录（不存在则创建；七个 CSV 文件被替换） Output directory (created if missing; the seven CSV files are replaced).
    #[arg(long, help_heading = super::H_OUT)]
    pub out: PathBuf,
    /// 数据对应的对账日期（默认为政策年度的 1 月 31 日） The as-of date the data is made for (default: January 31 of the policy year).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date_arg, help_heading = super::H_POLICY)]
    pub as_of: Option<chrono::NaiveDate>,
    /// 故意弄脏的行的比例（校验位错、15 位号码、坏日期、重复行、姓名冲突） Share of rows
    /// spoiled on purpose (bad checksums, 15-digit IDs, bad dates, duplicate rows, name conflicts).
    #[arg(long, default_value_t = DEFAULT_DIRTY, help_heading = super::H_IN)]
    pub dirty: f64,
    /// 埋入已知答案的人员并写出答案表 answers.csv（用 verify 核对） Plant persons of
    /// known shape and write the answer key `answers.csv` beside the data (check it with `verify`).
    #[arg(long, help_heading = super::H_OUT)]
    pub plant: bool,
    /// 配合 --plant：埋入人员的比例 With --plant: the share of persons planted, spread
    /// evenly over the shapes that apply to the policy and as-of date.
    #[arg(long, default_value_t = DEFAULT_PLANT_SHARE, requires = "plant", help_heading = super::H_OUT)]
    pub plant_share: f64,
    /// 不显示进度条和统计表 No progress bar and no table.
    #[arg(long, help_heading = super::H_RUN)]
    pub quiet: bool,
}

pub fn run(args: GenerateArgs) -> Result<i32> {
    let started = Instant::now();
    let cfg = GenerateConfig {
        persons: args.persons,
        seed: args.seed,
        policy: args.policy,
        out: args.out,
        as_of: args.as_of,
        dirty: args.dirty,
        plant: args.plant.then_some(args.plant_share),
    };
    let report = generate_with_progress(&cfg, &Progress::new(args.quiet))?;
    if args.quiet {
        return Ok(0);
    }
    println!(
        "生成 generated {} persons, seed {}, policy {}, as-of {} → {}",
        report.persons,
        report.seed,
        report.policy_id,
        report.as_of,
        report.out.display()
    );
    let kinds: Vec<&str> = DirtyKind::ALL.iter().map(|k| k.label()).collect();
    println!(
        "{:<16} {:>8} {:>12} {:>14}  dirty rows ({})",
        "file",
        "encoding",
        "rows",
        "bytes",
        kinds.join(" / ")
    );
    let (mut rows, mut bytes) = (0, 0);
    for f in &report.files {
        let dirty: Vec<String> = f.dirty.iter().map(u64::to_string).collect();
        println!(
            "{:<16} {:>8} {:>12} {:>14}  {}",
            f.file.file_name(),
            f.file.encoding(),
            f.rows,
            f.bytes,
            dirty.join(" / ")
        );
        rows += f.rows;
        bytes += f.bytes;
    }
    println!("{:<16} {:>8} {:>12} {:>14}", "total", "", rows, bytes);
    if !report.planted.is_empty() {
        let n: u64 = report.planted.iter().map(|(_, n)| n).sum();
        println!(
            "埋点 planted {n} persons of {} shapes → answers.csv",
            report.planted.len()
        );
    }
    println!("用时 elapsed {:.1} s", started.elapsed().as_secs_f64());
    Ok(0)
}
