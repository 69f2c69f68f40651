//! `generate`: deterministic synthetic exports in the exact input formats of
//! SPEC §2, for tests and province-scale benchmarks.
//!
//! One seed gives byte-identical files whatever the thread count: every person
//! draws from their own RNG stream (`seed`, person index), the ID allocation
//! runs in person order, and chunks are written in order. Output is streamed:
//! a batch of chunks is generated in parallel, written through `BufWriter`s,
//! and dropped, so memory stays flat however many persons are asked for.
//!
//! # ID allocation (collision-free by construction)
//!
//! An ID is `county (6) · birth date (8) · sequence (3) · check`. For each
//! (county, birth day, sex) a counter `c` counts the persons already given that
//! slot (at most 500). The sequence is `2·((317·c + b) mod 500) + sex`, where
//! `b` is a per-slot offset: `c ↦ (317·c + b) mod 500` is a bijection of ℤ₅₀₀
//! (gcd(317, 500) = 1) and the last digit's parity is the sex (GB 11643: odd =
//! male), so two persons share an ID only if they share county, birth day, sex
//! and counter — which the counter rules out. A full slot moves the person to
//! the previous day (never needed at realistic densities, but it keeps the
//! argument total). Check characters are ISO 7064 MOD 11-2.
//!
//! # Dirty rows
//!
//! With probability `dirty` a row is spoiled in one of five ways (those that
//! apply to its file): a wrong check character (ID_CHECKSUM reject), the
//! 15-digit legacy form of the ID (valid after conversion, only for birth years
//! 19xx), an impossible date (BAD_DATE), a byte-identical duplicate line
//! (merged), or another 姓名 for the same ID in a roster (NAME_MISMATCH).

//!
//! # Files
//!
//! `ids` (phase A: the ID allocation), `person` (phase B: one person's rows),
//! `rosters` (each department's roster), `enrollment` (the 一人一档 history and
//! the policy year's row), `dirty` (spoiled rows), `text` (how values are
//! spelled), `random` and `vocab`.

mod dirty;
mod enrollment;
mod ids;
mod person;
pub mod plant;
mod random;
mod rosters;
mod text;
mod vocab;

#[cfg(test)]
mod tests;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::ingest::schema::Schemas;
use crate::policy::Policy;
use crate::progress::Progress;
use ids::{Alloc, Core};
use person::{Chunk, Gen};

/// The default share of spoiled rows.
pub const DEFAULT_DIRTY: f64 = 0.002;

/// The default share of persons planted with `--plant`: at 100,000 persons
/// and ~60 shapes, a few hundred of each.
pub const DEFAULT_PLANT_SHARE: f64 = 0.2;

/// What to generate (the CLI builds it; no clap types here).
#[derive(Debug, Clone)]
pub struct GenerateConfig {
    /// Number of residents (rows of `persons.csv`).
    pub persons: u64,
    /// RNG seed: the same seed gives byte-identical files.
    pub seed: u64,
    /// Policy file: counties, year, concentrated period, tiers and bands.
    pub policy: PathBuf,
    /// Output directory (created if missing; the seven files are replaced).
    pub out: PathBuf,
    /// As-of date the data is made for (default: `Y`-01-31).
    pub as_of: Option<NaiveDate>,
    /// Share of rows spoiled on purpose (0 ≤ dirty ≤ 0.5).
    pub dirty: f64,
    /// Planted mode: the share of persons replaced by planted shapes
    /// (`None`: no planting, no `answers.csv`).
    pub plant: Option<f64>,
}

/// The files written, in output order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutFile {
    Persons,
    Enrollment,
    Civil,
    Agri,
    Disability,
    Veterans,
    Elsewhere,
}

impl OutFile {
    pub const ALL: [OutFile; 7] = [
        OutFile::Persons,
        OutFile::Enrollment,
        OutFile::Civil,
        OutFile::Agri,
        OutFile::Disability,
        OutFile::Veterans,
        OutFile::Elsewhere,
    ];

    /// The file name under the output directory.
    pub fn file_name(self) -> &'static str {
        match self {
            OutFile::Persons => "persons.csv",
            OutFile::Enrollment => "enrollment.csv",
            OutFile::Civil => "civil.csv",
            OutFile::Agri => "agri.csv",
            OutFile::Disability => "disability.csv",
            OutFile::Veterans => "veterans.csv",
            OutFile::Elsewhere => "elsewhere.csv",
        }
    }

    /// The header row: the canonical Chinese names, in the sample files' order.
    fn header(self) -> &'static str {
        match self {
            OutFile::Persons => "身份证号,姓名,常住区划代码,死亡日期,户籍区划代码",
            OutFile::Enrollment => "参保年度,身份证号,姓名,险种类型,参保区划代码,参保状态,核定类别,应缴金额,实缴金额,缴费日期,待遇开始日期,修复年数,电子税票号,动态参保类别",
            OutFile::Civil => "姓名,身份证号,救助类别,认定日期,行政区划代码,退出日期,状态,乡镇街道,村社区,联系电话",
            OutFile::Agri => "身份证号,姓名,行政区划代码,人员类别,识别日期,风险消除日期,乡镇街道,村社区,联系电话",
            OutFile::Disability => "残疾人证号,姓名,残疾类别,残疾等级,发证日期,有效期至,行政区划代码",
            OutFile::Veterans => "姓名,身份证号,优抚类别,认定日期,行政区划代码,退出日期",
            OutFile::Elsewhere => "身份证号,姓名,说明,年度",
        }
    }

    /// The civil roster is a GBK export with Windows line ends, as 民政 systems
    /// write it; everything else is UTF-8 with LF.
    pub fn encoding(self) -> &'static str {
        if self == OutFile::Civil {
            "GBK"
        } else {
            "UTF-8"
        }
    }

    fn eol(self) -> &'static str {
        if self == OutFile::Civil {
            "\r\n"
        } else {
            "\n"
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The ways a row is spoiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirtyKind {
    BadChecksum,
    Legacy15,
    BadDate,
    Duplicate,
    NameConflict,
}

impl DirtyKind {
    pub const ALL: [DirtyKind; 5] = [
        DirtyKind::BadChecksum,
        DirtyKind::Legacy15,
        DirtyKind::BadDate,
        DirtyKind::Duplicate,
        DirtyKind::NameConflict,
    ];

    pub fn label(self) -> &'static str {
        match self {
            DirtyKind::BadChecksum => "bad checksum",
            DirtyKind::Legacy15 => "15-digit ID",
            DirtyKind::BadDate => "bad date",
            DirtyKind::Duplicate => "duplicate row",
            DirtyKind::NameConflict => "name conflict",
        }
    }
}

/// One written file.
#[derive(Debug, Clone)]
pub struct FileStats {
    pub file: OutFile,
    pub path: PathBuf,
    /// Data rows (header excluded; duplicated lines counted twice).
    pub rows: u64,
    pub bytes: u64,
    /// Spoiled rows by [`DirtyKind`] (in `DirtyKind::ALL` order).
    pub dirty: [u64; 5],
}

/// What a generation wrote.
#[derive(Debug, Clone)]
pub struct GenerateReport {
    pub out: PathBuf,
    pub persons: u64,
    pub seed: u64,
    pub as_of: NaiveDate,
    pub policy_id: String,
    pub files: Vec<FileStats>,
    /// Planted mode: persons planted per shape (shape name, count).
    pub planted: Vec<(&'static str, u64)>,
}

impl GenerateReport {
    pub fn file(&self, f: OutFile) -> &FileStats {
        &self.files[f.index()]
    }
}

/// Generates the seven files for `cfg` (no progress output).
pub fn generate(cfg: &GenerateConfig) -> Result<GenerateReport> {
    generate_with_progress(cfg, &Progress::hidden())
}

/// Persons per chunk (one RNG-independent unit of parallel work).
const CHUNK: u64 = 16_384;

/// Generates the seven files for `cfg`, with a progress bar on `progress`.
pub fn generate_with_progress(cfg: &GenerateConfig, progress: &Progress) -> Result<GenerateReport> {
    generate_chunked(cfg, progress, CHUNK)
}

/// The generator with its chunk size as a parameter (the output does not
/// depend on it; the tests check that).
fn generate_chunked(
    cfg: &GenerateConfig,
    progress: &Progress,
    chunk_size: u64,
) -> Result<GenerateReport> {
    if cfg.persons == 0 {
        return Err(Error::Usage("--persons must be at least 1".into()));
    }
    if !(0.0..=0.5).contains(&cfg.dirty) {
        return Err(Error::Usage(format!(
            "--dirty {} is not a fraction between 0 and 0.5",
            cfg.dirty
        )));
    }
    if cfg.plant.is_some_and(|p| !(p > 0.0 && p <= 1.0)) {
        return Err(Error::Usage(
            "--plant-share must be a fraction above 0 and at most 1".into(),
        ));
    }
    let schemas = Schemas::embedded()?;
    let policy = Policy::load(&cfg.policy, &schemas.vocab)?;
    let as_of = match cfg.as_of {
        Some(d) => d,
        None => NaiveDate::from_ymd_opt(policy.year, 1, 31)
            .ok_or_else(|| Error::Internal("policy year has no January 31".into()))?,
    };
    let gen = Gen::new(&policy, cfg, as_of)?;
    let mut alloc = Alloc::new(&gen, cfg.persons)?;

    std::fs::create_dir_all(&cfg.out).map_err(|e| Error::io(cfg.out.display(), e))?;
    let mut writers = Vec::new();
    for f in OutFile::ALL {
        let tmp = tmp_path(&cfg.out, f);
        let file = File::create(&tmp).map_err(|e| Error::io(tmp.display(), e))?;
        let mut w = BufWriter::with_capacity(1 << 20, file);
        let header = format!("{}{}", f.header(), f.eol());
        let bytes = encode(f, header)?;
        w.write_all(&bytes)
            .map_err(|e| Error::io(tmp.display(), e))?;
        writers.push((w, tmp, bytes.len() as u64));
    }

    let mut key = match cfg.plant {
        Some(_) => Some(plant::AnswerKey::create(&cfg.out, gen.plants.len())?),
        None => None,
    };
    let mut rows = [0u64; 7];
    let mut dirty = [[0u64; 5]; 7];
    let bar = progress.bar(cfg.persons, "生成 generating persons", "人");
    let batch = chunk_size * 2 * rayon::current_num_threads().max(1) as u64;
    let mut next = 0u64;
    while next < cfg.persons {
        let end = (next + batch).min(cfg.persons);
        // Phase A, in person order: birth, county, sex and the ID.
        let cores: Vec<Core> = (next..end)
            .map(|i| alloc.core(&gen, i))
            .collect::<Result<_>>()?;
        // Phase B, in parallel: every row of every person of each chunk.
        let chunks: Vec<Chunk> = cores
            .par_chunks(chunk_size as usize)
            .map(|cs| gen.chunk(cs))
            .collect::<Result<_>>()?;
        for chunk in chunks {
            for f in OutFile::ALL {
                let k = f.index();
                let (w, tmp, bytes) = &mut writers[k];
                w.write_all(&chunk.bufs[k])
                    .map_err(|e| Error::io(tmp.display(), e))?;
                *bytes += chunk.bufs[k].len() as u64;
                rows[k] += chunk.rows[k];
                for (d, n) in dirty[k].iter_mut().zip(chunk.dirty[k]) {
                    *d += n;
                }
            }
            if let Some(key) = key.as_mut() {
                key.add(&chunk)?;
            }
        }
        bar.inc(end - next);
        next = end;
    }
    bar.finish_and_clear();

    let mut files = Vec::new();
    for (f, (w, tmp, bytes)) in OutFile::ALL.into_iter().zip(writers) {
        let file = w
            .into_inner()
            .map_err(|e| Error::io(tmp.display(), e.error()))?;
        file.sync_all().ok();
        drop(file);
        let path = cfg.out.join(f.file_name());
        std::fs::rename(&tmp, &path).map_err(|e| Error::io(path.display(), e))?;
        files.push(FileStats {
            file: f,
            path,
            rows: rows[f.index()],
            bytes,
            dirty: dirty[f.index()],
        });
    }
    let planted = match key {
        Some(key) => key.finish(&gen.plants)?,
        None => Vec::new(),
    };
    Ok(GenerateReport {
        out: cfg.out.clone(),
        persons: cfg.persons,
        seed: cfg.seed,
        as_of,
        policy_id: policy.id.clone(),
        files,
        planted,
    })
}

fn tmp_path(out: &Path, f: OutFile) -> PathBuf {
    out.join(format!("{}.tmp", f.file_name()))
}

/// UTF-8 text as the file's bytes (GBK for the civil roster).
fn encode(f: OutFile, text: String) -> Result<Vec<u8>> {
    if f.encoding() == "GBK" {
        let (bytes, _, unmappable) = encoding_rs::GBK.encode(&text);
        if unmappable {
            return Err(Error::Internal(
                "generated civil text has a character GBK cannot encode".into(),
            ));
        }
        Ok(bytes.into_owned())
    } else {
        Ok(text.into_bytes())
    }
}
