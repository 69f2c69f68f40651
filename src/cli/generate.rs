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
use crate::i18n::Lang;
use crate::progress::Progress;

const EXAMPLES: &str = "示例 Example:
  yibao-recon generate --persons 1000000 --seed 7 --policy policies/ningxia-2026.toml --out data/
同一种子生成逐字节相同的文件 The same seed gives byte-identical files.
区县、年度、集中征缴期和档次金额取自政策文件 The policy supplies the counties, the year, the concentrated period and the tier amounts.";

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
    #[arg(long, value_name = "YYYY-MM-DD", help_heading = super::H_POLICY)]
    pub as_of: Option<String>,
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

pub fn run(args: GenerateArgs, lang: Lang) -> Result<i32> {
    let started = Instant::now();
    let as_of = args.as_of.as_deref().map(super::as_of_arg).transpose()?;
    let cfg = GenerateConfig {
        persons: args.persons,
        seed: args.seed,
        policy: args.policy,
        out: args.out,
        as_of,
        dirty: args.dirty,
        plant: args.plant.then_some(args.plant_share),
    };
    let report = generate_with_progress(&cfg, &Progress::new(args.quiet))?;
    if args.quiet {
        return Ok(0);
    }
    let zh = lang == Lang::Zh;
    let (p, seed, pol, t, out) = (
        report.persons,
        report.seed,
        &report.policy_id,
        report.as_of,
        report.out.display(),
    );
    if zh {
        println!("已生成 {p} 人，种子 {seed}，政策 {pol}，对账日期 {t} → {out}");
    } else {
        println!("generated {p} persons, seed {seed}, policy {pol}, as-of {t} → {out}");
    }
    let kinds: Vec<&str> = DirtyKind::ALL.iter().map(|k| k.label()).collect();
    let head = if zh {
        ["文件", "编码", "行数", "字节", "故意弄脏的行"]
    } else {
        ["file", "encoding", "rows", "bytes", "dirty rows"]
    };
    println!(
        "{:<16} {:>8} {:>12} {:>14}  {} ({})",
        head[0],
        head[1],
        head[2],
        head[3],
        head[4],
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
    let total = if zh { "合计" } else { "total" };
    println!("{total:<16} {:>8} {:>12} {:>14}", "", rows, bytes);
    if !report.planted.is_empty() {
        let n: u64 = report.planted.iter().map(|(_, n)| n).sum();
        let shapes = report.planted.len();
        if zh {
            println!("埋入 {n} 人，{shapes} 种情形 → answers.csv");
        } else {
            println!("planted {n} persons of {shapes} shapes → answers.csv");
        }
    }
    let secs = started.elapsed().as_secs_f64();
    if zh {
        println!("用时 {secs:.1} 秒");
    } else {
        println!("elapsed {secs:.1} s");
    }
    Ok(0)
}
