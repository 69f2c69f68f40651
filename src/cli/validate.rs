//! `yibao-recon validate --kind civil FILE`: one export checked on its own, with
//! no policy: counts and rejects. IDs are masked on screen; `--rejects` writes
//! the full reject list for the clerk who fixes the source.

use std::path::PathBuf;

use clap::Args;

use crate::domain::mask::mask_ids_in_text;
use crate::domain::{mask, SourceKind};
use crate::error::{Error, Result};
use crate::ingest::{ingest_for, InputSpec, ParseCtx, SpillOpts, Want};
use crate::pipeline::load_schemas;
use crate::progress::Progress;
use crate::report::lists;

#[derive(Debug, Args)]
#[command(
    after_help = "示例 Example:\n  yibao-recon validate --kind civil sample_data/ningxia/civil.csv --rejects /tmp/civil-rejects.csv"
)]
pub struct ValidateArgs {
    /// 来源类型 Source kind: civil 民政, agri 农业农村, disability 残联, veterans 退役军人,
    /// enrollment 参保缴费明细, persons 人员库, elsewhere 异地参保.
    #[arg(long, help_heading = super::H_IN)]
    pub kind: String,
    /// 要检查的导出文件 The export to check.
    #[arg(help_heading = super::H_IN)]
    pub file: PathBuf,
    /// 对账日期，出生日期晚于此日的拒收（默认今天） Birth dates after this are rejected (default: today).
    #[arg(long, value_name = "YYYY-MM-DD", help_heading = super::H_POLICY)]
    pub as_of: Option<String>,
    /// 把拒收行（含完整身份证号）写入此 CSV 文件 Write the reject rows (full IDs) to this CSV.
    #[arg(long, help_heading = super::H_OUT)]
    pub rejects: Option<PathBuf>,
    /// 列名别名表目录（默认用程序内置的一份） Directory of schema tables (default: the copy built into the binary).
    #[arg(long, help_heading = super::H_IN)]
    pub schemas: Option<PathBuf>,
}

/// What `validate` prints: the file's counts, its columns and each reject,
/// in the clerk's language. Only ID-shaped text in a rejected value is
/// masked (a date or a category stays readable); the ID column is masked.
fn report(data: &crate::ingest::Ingested, lang: crate::i18n::Lang) -> String {
    use std::fmt::Write;
    let zh = lang == crate::i18n::Lang::Zh;
    let f = &data.files[0];
    let c = &f.counts;
    let mut s = String::new();
    if zh {
        let _ = writeln!(s, "文件：{}", f.display);
        let _ = writeln!(s, "编码：{}", f.encoding);
        let _ = writeln!(
            s,
            "读取 {} 行：接受 {}，拒收 {}，合并完全相同的重复行 {}（跳过空行 {}）",
            c.read, c.accepted, c.rejected, c.merged_duplicates, c.blank_rows
        );
    } else {
        let _ = writeln!(s, "file: {}", f.display);
        let _ = writeln!(s, "encoding: {}", f.encoding);
        let _ = writeln!(
            s,
            "rows read {}: accepted {}, rejected {}, merged duplicates {} (blank rows skipped {})",
            c.read, c.accepted, c.rejected, c.merged_duplicates, c.blank_rows
        );
    }
    let _ = writeln!(s, "{}", f.binding_line());
    if let Some(table) = f.lines.console_line() {
        let _ = writeln!(s, "{} {table}", if zh { "表格：" } else { "table:" });
    }
    if !f.ignored_columns.is_empty() {
        let label = if zh {
            "未用的列："
        } else {
            "ignored columns: "
        };
        let _ = writeln!(s, "{label}{}", f.ignored_columns.join(", "));
    }
    let mut rejects: Vec<_> = data.rejects.iter().collect();
    rejects.sort_by_key(|r| r.line);
    for r in rejects {
        let (line, sep) = if zh {
            (format!("第 {} 行", r.line), "：")
        } else {
            (format!("line {}", r.line), ": ")
        };
        let _ = writeln!(
            s,
            "{line} [{}] {} `{}` ({}){sep}{}",
            r.reason.code(),
            r.column,
            mask_ids_in_text(&r.raw),
            mask(&r.id_raw),
            r.message.get(lang)
        );
    }
    s
}

pub fn run(args: ValidateArgs, lang: crate::i18n::Lang) -> Result<i32> {
    let kind = SourceKind::from_key(&args.kind).ok_or_else(|| {
        crate::error::usage(
            format!(
                "--kind `{}` 不是来源类型；应为 civil（民政）、agri（农业农村）、disability（残联）、veterans（退役军人）、enrollment（参保缴费明细）、persons（人员库）、elsewhere（异地参保）之一",
                args.kind
            ),
            format!(
                "--kind `{}` is not a source kind; expected one of civil, agri, disability, veterans, enrollment, persons, elsewhere",
                args.kind
            ),
        )
    })?;
    let schemas = load_schemas(args.schemas.as_deref())?;
    let as_of = match &args.as_of {
        Some(s) => super::as_of_arg(s)?,
        None => chrono::Local::now().date_naive(),
    };
    let ctx = ParseCtx {
        vocab: &schemas.vocab,
        as_of,
        region_prefix: None,
        policy_year: None,
        policy: None,
    };
    crate::error::PathProblem::check("validate FILE", &args.file)?;
    let input = InputSpec {
        kind,
        display: args.file.display().to_string(),
        path: args.file.clone(),
    };
    let data = ingest_for(
        std::slice::from_ref(&input),
        &schemas,
        ctx,
        &SpillOpts::in_temp_dir(),
        &Progress::new(false),
        Want::Findings,
    )?;
    print!("{}", report(&data, lang));
    if let Some(path) = &args.rejects {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("."));
        let t = lists::rejects(&data.files, &data.rejects, lang);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "rejects.csv".into());
        let tmp = crate::owner_only::tempdir_in(&dir, ".yibao-recon-rejects-")?;
        t.write(tmp.path(), &schemas, crate::report::HeaderLang::Zh)?;
        std::fs::rename(tmp.path().join("rejects.csv"), dir.join(&name))
            .map_err(|e| Error::io(path.display(), e))?;
    }
    Ok(0)
}
