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

const EXAMPLES: &str = "Example:
  yibao-recon generate --persons 1000000 --seed 7 --policy policies/ningxia-2026.toml --out data/
The same seed gives byte-identical files. The policy supplies the counties, the year,
the concentrated period and the tier amounts; --as-of defaults to January 31 of its year.";

#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct GenerateArgs {
    /// Number of residents (rows of persons.csv).
    #[arg(long)]
    pub persons: u64,
    /// RNG seed; the same seed gives byte-identical files.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Policy file, e.g. policies/ningxia-2026.toml.
    #[arg(long)]
    pub policy: PathBuf,
    /// Output directory (created if missing; the seven CSV files are replaced).
    #[arg(long)]
    pub out: PathBuf,
    /// The as-of date the data is made for (default: January 31 of the policy year).
    #[arg(long, value_parser = super::parse_date_arg)]
    pub as_of: Option<chrono::NaiveDate>,
    /// Share of rows spoiled on purpose (bad checksums, 15-digit IDs, bad dates,
    /// duplicate rows, name conflicts).
    #[arg(long, default_value_t = DEFAULT_DIRTY)]
    pub dirty: f64,
    /// Plant persons of known shape among the random ones and write the
    /// answer key `answers.csv` beside the data (check it with `verify`).
    #[arg(long)]
    pub plant: bool,
    /// With --plant: the share of persons planted, spread evenly over the
    /// shapes that apply to the policy and as-of date.
    #[arg(long, default_value_t = DEFAULT_PLANT_SHARE, requires = "plant")]
    pub plant_share: f64,
    /// No progress bar and no table.
    #[arg(long)]
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
