//! `yibao-recon validate --kind civil FILE`: one export checked on its own, with
//! no policy: counts and rejects. IDs are masked on screen; `--rejects` writes
//! the full reject list for the clerk who fixes the source.

use std::path::PathBuf;

use clap::Args;

use crate::domain::{mask, SourceKind};
use crate::error::{Error, Result};
use crate::ingest::{ingest_for, InputSpec, ParseCtx, SpillOpts, Want};
use crate::pipeline::load_schemas;
use crate::progress::Progress;
use crate::report::lists;

#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  yibao-recon validate --kind civil sample_data/ningxia/civil.csv --rejects /tmp/civil-rejects.csv"
)]
pub struct ValidateArgs {
    /// Source kind: civil, agri, disability, veterans, enrollment, persons, elsewhere.
    #[arg(long)]
    pub kind: String,
    /// The export to check.
    pub file: PathBuf,
    /// Birth dates after this are rejected (default: today).
    #[arg(long, value_parser = super::parse_date_arg)]
    pub as_of: Option<chrono::NaiveDate>,
    /// Write the reject rows (full IDs) to this CSV.
    #[arg(long)]
    pub rejects: Option<PathBuf>,
    /// Directory of schema tables (default: the copy built into the binary).
    #[arg(long)]
    pub schemas: Option<PathBuf>,
}

pub fn run(args: ValidateArgs, lang: crate::i18n::Lang) -> Result<i32> {
    let kind = SourceKind::from_key(&args.kind).ok_or_else(|| {
        Error::Usage(format!(
            "--kind `{}` is not a source kind; expected one of civil, agri, disability, veterans, enrollment, persons, elsewhere",
            args.kind
        ))
    })?;
    let schemas = load_schemas(args.schemas.as_deref())?;
    let as_of = args
        .as_of
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let ctx = ParseCtx {
        vocab: &schemas.vocab,
        as_of,
        region_prefix: None,
        policy_year: None,
    };
    if !args.file.is_file() {
        return Err(Error::io(args.file.display(), "no such file"));
    }
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
    let f = &data.files[0];
    println!("file: {}", f.display);
    println!("encoding: {}", f.encoding);
    println!(
        "rows read {}: accepted {}, rejected {}, merged duplicates {} (blank rows skipped {})",
        f.counts.read,
        f.counts.accepted,
        f.counts.rejected,
        f.counts.merged_duplicates,
        f.counts.blank_rows
    );
    println!("{}", f.binding_line());
    if !f.ignored_columns.is_empty() {
        println!("ignored columns: {}", f.ignored_columns.join(", "));
    }
    let mut rejects = data.rejects.clone();
    rejects.sort_by_key(|r| r.line);
    for r in &rejects {
        println!(
            "line {} [{}] {} `{}` ({}): {}",
            r.line,
            r.reason.code(),
            r.column,
            mask(&r.raw),
            mask(&r.id_raw),
            r.message.get(lang)
        );
    }
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
        let tmp = tempfile::tempdir_in(&dir).map_err(|e| Error::io(dir.display(), e))?;
        t.write(tmp.path(), &schemas, crate::report::HeaderLang::Zh)?;
        std::fs::rename(tmp.path().join("rejects.csv"), dir.join(&name))
            .map_err(|e| Error::io(path.display(), e))?;
    }
    Ok(0)
}
