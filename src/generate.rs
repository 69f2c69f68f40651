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

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{Datelike, Duration, NaiveDate};
use fastrand::Rng;
use rayon::prelude::*;

use crate::domain::id::check_char;
use crate::domain::{add_months, Category, Fen};
use crate::error::{Error, Result};
use crate::ingest::schema::Schemas;
use crate::policy::Policy;
use crate::progress::Progress;

/// The default share of spoiled rows.
pub const DEFAULT_DIRTY: f64 = 0.002;

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

    let mut rows = [0u64; 7];
    let mut dirty = [[0u64; 5]; 7];
    let bar = progress.bar(cfg.persons, "生成 generating persons");
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
    Ok(GenerateReport {
        out: cfg.out.clone(),
        persons: cfg.persons,
        seed: cfg.seed,
        as_of,
        policy_id: policy.id.clone(),
        files,
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

// ---------------------------------------------------------------------------
// Randomness

/// SplitMix64 finaliser: a well-mixed 64-bit hash.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The RNG of one person's stream (0: ID allocation, 1: everything else).
fn person_rng(seed: u64, idx: u64, stream: u64) -> Rng {
    Rng::with_seed(mix(
        mix(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F)) ^ idx
    ))
}

fn chance(rng: &mut Rng, p: f64) -> bool {
    rng.f64() < p
}

/// An index drawn with the given weights.
fn weighted(rng: &mut Rng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut x = rng.u32(0..total);
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.len() - 1
}

/// A uniform date in `[lo, hi]`, or `None` when the window is empty.
fn date_in(rng: &mut Rng, lo: NaiveDate, hi: NaiveDate) -> Option<NaiveDate> {
    let span = (hi - lo).num_days();
    (span >= 0).then(|| lo + Duration::days(rng.i64(0..=span)))
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

// ---------------------------------------------------------------------------
// Vocabulary of the synthetic people

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任",
    "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "贾", "白", "海", "纳",
    "撒", "冶", "穆", "哈", "锁", "虎",
];

const GIVEN: &[&str] = &[
    "建", "国", "华", "明", "丽", "娟", "秀", "英", "桂", "兰", "玉", "芳", "志", "强", "伟", "军",
    "杰", "涛", "斌", "超", "勇", "敏", "静", "燕", "霞", "红", "梅", "文", "博", "思", "琪", "子",
    "轩", "雨", "桐", "浩", "宇", "欣", "怡", "俊", "佳", "慧", "晓", "东", "海", "波", "春", "花",
    "福", "贵", "成", "德", "永", "生", "金", "山", "学", "林", "凤", "莲", "淑", "珍", "翠", "萍",
    "彦", "鹏", "鑫", "磊", "婷", "倩", "晨", "阳", "宏", "刚", "平", "峰", "亮", "艳", "丹", "莉",
];

const TOWNS: &[&str] = &[
    "城关镇",
    "新华街道",
    "东关街道",
    "南关街道",
    "河东镇",
    "红星乡",
    "杨河乡",
    "清水镇",
    "三营镇",
    "丁塘镇",
    "海城镇",
    "习岗镇",
    "望远镇",
    "兴泾镇",
    "新堡镇",
    "王团镇",
];

const VILLAGES: &[&str] = &[
    "红星村",
    "新民村",
    "和平村",
    "团结村",
    "东风村",
    "胜利村",
    "五里村",
    "光明村",
    "山门村",
    "新平村",
    "丁塘村",
    "永安社区",
    "幸福社区",
    "富民社区",
    "南园社区",
    "北塔社区",
];

const BAD_DATES: &[&str] = &["2025-13-40", "2025-02-30", "20251341", "2025/00/12", "无"];

/// Texts the generator writes for each identity (all accepted by
/// `schemas/categories.toml`), first = most common.
const TEXT_DIBAO_URBAN: &[&str] = &["低保对象", "城市低保", "低保"];
const TEXT_DIBAO_RURAL: &[&str] = &["农村低保", "低保对象", "低保"];
const TEXT_TEKUN: &[&str] = &["特困人员", "城乡特困人员", "特困供养人员"];
const TEXT_YOUFU: &[&str] = &[
    "优抚对象",
    "残疾军人",
    "烈士遗属",
    "在乡复员军人",
    "带病回乡退伍军人",
    "参战退役人员",
];
const DYNAMIC_GROUPS: &[&str] = &["退役军人", "刑满释放人员", "高校新生", "职工断保"];
/// 残疾类别 digit 1–7 → the column text.
const DISABILITY_KINDS: [&str; 7] = ["视力", "听力", "言语", "肢体", "智力", "精神", "多重"];
const GRADE_TEXTS: [&str; 4] = ["一级", "二级", "三级", "四级"];
const ELSEWHERE_NOTES: &[&str] = &["外省参保", "军人", "异地就学"];

/// The categories the generator draws, by code.
struct Cats {
    tekun: Category,
    orphan: Category,
    defacto_orphan: Category,
    dibao: Category,
    low_income: Category,
    elderly_low_income: Category,
    unstable: Category,
    marginal: Category,
    sudden: Category,
    alleviated: Category,
    disabled: [Category; 4],
    youfu: Category,
    widow: Category,
}

struct CountyInfo {
    code: String,
    rural: bool,
    /// Share of 已脱贫人口 among residents (rural counties only).
    alleviated_rate: f64,
}

// ---------------------------------------------------------------------------
// Phase A: ID allocation

/// Earliest birth date generated.
fn base_date() -> NaiveDate {
    ymd(1920, 1, 1)
}

/// The per-slot counters of the ID allocation (see the module doc).
struct Alloc {
    seed: u64,
    base: NaiveDate,
    ndays: usize,
    counters: Vec<u16>,
}

/// What phase A fixes for a person.
struct Core {
    idx: u64,
    county: usize,
    birth: NaiveDate,
    male: bool,
    id: String,
}

const SLOT: u16 = 500;

impl Alloc {
    fn new(gen: &Gen, persons: u64) -> Result<Alloc> {
        let base = base_date();
        if gen.as_of < base + Duration::days(400) {
            return Err(Error::Usage(format!("--as-of {} is too early", gen.as_of)));
        }
        let ndays = usize::try_from((gen.as_of - base).num_days() + 1)
            .map_err(|_| Error::Internal("day count".into()))?;
        let capacity = gen.counties.len() as u64 * ndays as u64 * 2 * u64::from(SLOT);
        // Far below capacity, so that a full slot always finds a free day nearby.
        if persons > capacity / 8 {
            return Err(Error::Usage(format!(
                "--persons {persons} is more than this region's ID space allows ({} at most)",
                capacity / 8
            )));
        }
        Ok(Alloc {
            seed: gen.seed,
            base,
            ndays,
            counters: vec![0; gen.counties.len() * ndays * 2],
        })
    }

    fn core(&mut self, gen: &Gen, idx: u64) -> Result<Core> {
        let mut rng = person_rng(self.seed, idx, 0);
        let county = gen.pick_county(&mut rng);
        let birth = gen.birth_date(&mut rng);
        let male = rng.bool();
        let mut day = usize::try_from((birth - self.base).num_days())
            .map_err(|_| Error::Internal("birth before the base date".into()))?;
        for _ in 0..self.ndays {
            let slot = (county * self.ndays + day) * 2 + usize::from(male);
            let c = self.counters[slot];
            if c < SLOT {
                self.counters[slot] = c + 1;
                let off = (mix(self.seed ^ ((slot as u64) << 1) ^ 0x5EED) % u64::from(SLOT)) as u32;
                let j = (317 * u32::from(c) + off) % u32::from(SLOT);
                let seq = 2 * j + u32::from(male);
                let birth = self.base + Duration::days(day as i64);
                let mut id = String::with_capacity(18);
                id.push_str(&gen.counties[county].code);
                push_num(&mut id, birth.year() as u32, 4);
                push_num(&mut id, birth.month(), 2);
                push_num(&mut id, birth.day(), 2);
                push_num(&mut id, seq, 3);
                let check = check_char(id.as_bytes())
                    .ok_or_else(|| Error::Internal("check character".into()))?;
                id.push(check as char);
                return Ok(Core {
                    idx,
                    county,
                    birth,
                    male,
                    id,
                });
            }
            day = if day == 0 { self.ndays - 1 } else { day - 1 };
        }
        Err(Error::Internal("ID space exhausted".into()))
    }
}

// ---------------------------------------------------------------------------
// Phase B: the rows of each person

/// A held identity, as the rules will see it: `[start, end)`.
#[derive(Clone, Copy)]
struct Span {
    cat: Category,
    start: NaiveDate,
    end: Option<NaiveDate>,
}

/// The output of one chunk of persons.
struct Chunk {
    bufs: [Vec<u8>; 7],
    rows: [u64; 7],
    dirty: [[u64; 5]; 7],
}

/// Date spellings the exports use.
#[derive(Clone, Copy)]
enum DateForm {
    Iso,
    Slash,
    Compact,
    Chinese,
    DateTime,
    Month,
    MonthDash,
}

/// The person a row is about, and how this row spells them.
struct Who<'a> {
    id: &'a str,
    name: &'a str,
    alt_name: &'a str,
}

/// The text buffer of one chunk and file, with the row bookkeeping.
struct Out {
    text: String,
    rows: u64,
    dirty: [u64; 5],
}

impl Out {
    fn new() -> Out {
        Out {
            text: String::new(),
            rows: 0,
            dirty: [0; 5],
        }
    }
}

struct Gen<'p> {
    policy: &'p Policy,
    seed: u64,
    dirty: f64,
    as_of: NaiveDate,
    year: i32,
    c0: NaiveDate,
    c1: NaiveDate,
    /// Payment window inside the concentrated period, up to as-of.
    in_period: Option<(NaiveDate, NaiveDate)>,
    /// Late window: after C1, up to as-of.
    late: Option<(NaiveDate, NaiveDate)>,
    counties: Vec<CountyInfo>,
    county_weights: Vec<u32>,
    cats: Cats,
    /// Every tiered category (for deliberately wrong ratings).
    tiered: Vec<Category>,
    /// The 核定类别 text of each category (its Chinese name).
    rating_text: Vec<String>,
}

impl<'p> Gen<'p> {
    fn new(policy: &'p Policy, cfg: &GenerateConfig, as_of: NaiveDate) -> Result<Gen<'p>> {
        let vocab = &policy.vocab;
        let cat = |code: &str| {
            vocab.category(code).ok_or_else(|| {
                Error::Internal(format!("the schema vocabulary has no category `{code}`"))
            })
        };
        let cats = Cats {
            tekun: cat("tekun")?,
            orphan: cat("orphan")?,
            defacto_orphan: cat("defacto_orphan")?,
            dibao: cat("dibao")?,
            low_income: cat("low_income")?,
            elderly_low_income: cat("elderly_low_income")?,
            unstable: cat("monitored_unstable")?,
            marginal: cat("monitored_marginal")?,
            sudden: cat("monitored_sudden")?,
            alleviated: cat("poverty_alleviated")?,
            disabled: [
                cat("disabled_g1")?,
                cat("disabled_g2")?,
                cat("disabled_g3")?,
                cat("disabled_g4")?,
            ],
            youfu: cat("youfu")?,
            widow: cat("retiree_widow")?,
        };
        let rating_text: Vec<String> = vocab
            .categories()
            .map(|c| vocab.zh(c).to_string())
            .collect();
        for c in vocab.categories() {
            let text = &rating_text[usize::from(c.0)];
            if vocab.category_by_text(text) != Some(c) {
                return Err(Error::Internal(format!(
                    "category `{}`'s name `{text}` is not one of its texts",
                    vocab.code(c)
                )));
            }
        }
        if policy.counties.is_empty() {
            return Err(Error::Usage(format!(
                "{}: the policy lists no [counties] to generate residents in",
                cfg.policy.display()
            )));
        }
        let mut counties = Vec::new();
        let mut county_weights = Vec::new();
        for (code, name) in &policy.counties {
            let rural = name.ends_with('县') || name.ends_with('旗');
            let h = mix(cfg.seed ^ mix(code.parse::<u64>().unwrap_or(0)));
            // Urban districts are the most populous, then cities, then counties.
            let weight = if name.ends_with('区') {
                30
            } else if name.ends_with('市') {
                20
            } else {
                15
            } + (h % 10) as u32;
            counties.push(CountyInfo {
                code: code.clone(),
                rural,
                alleviated_rate: 0.05 + 0.10 * ((h >> 16) % 1001) as f64 / 1000.0,
            });
            county_weights.push(weight);
        }
        let c0 = policy.c0;
        let c1 = policy.c1;
        let window = |lo: NaiveDate, hi: NaiveDate| (lo <= hi).then_some((lo, hi));
        Ok(Gen {
            policy,
            seed: cfg.seed,
            dirty: cfg.dirty,
            as_of,
            year: policy.year,
            c0,
            c1,
            in_period: window(c0, c1.min(as_of)),
            late: window(c1 + Duration::days(1), as_of),
            counties,
            county_weights,
            tiered: policy
                .tiers
                .iter()
                .flat_map(|t| t.categories.iter().copied())
                .collect(),
            cats,
            rating_text,
        })
    }

    fn pick_county(&self, rng: &mut Rng) -> usize {
        weighted(rng, &self.county_weights)
    }

    /// ~1% newborns (0–180 days old), the rest by a plain age pyramid.
    fn birth_date(&self, rng: &mut Rng) -> NaiveDate {
        if chance(rng, 0.01) {
            return self.as_of - Duration::days(rng.i64(0..=180));
        }
        let ages: [(i64, i64); 5] = [(0, 18), (18, 40), (40, 60), (60, 80), (80, 100)];
        let (lo, hi) = ages[weighted(rng, &[20, 28, 30, 18, 4])];
        let max_days = (self.as_of - base_date()).num_days();
        // Past the newborn window (>180 days old): the newborns are drawn above.
        let days = rng.i64((lo * 365).max(181)..hi * 365).min(max_days);
        self.as_of - Duration::days(days)
    }

    fn chunk(&self, cores: &[Core]) -> Result<Chunk> {
        let mut outs: [Out; 7] = std::array::from_fn(|_| Out::new());
        for core in cores {
            self.person(core, &mut outs);
        }
        let mut bufs: [Vec<u8>; 7] = Default::default();
        let mut rows = [0; 7];
        let mut dirty = [[0; 5]; 7];
        for (f, out) in OutFile::ALL.into_iter().zip(outs) {
            let k = f.index();
            rows[k] = out.rows;
            dirty[k] = out.dirty;
            bufs[k] = encode(f, out.text)?;
        }
        Ok(Chunk { bufs, rows, dirty })
    }

    fn name(&self, rng: &mut Rng) -> String {
        let mut s = String::with_capacity(9);
        s.push_str(SURNAMES[rng.usize(0..SURNAMES.len())]);
        s.push_str(GIVEN[rng.usize(0..GIVEN.len())]);
        if chance(rng, 0.7) {
            s.push_str(GIVEN[rng.usize(0..GIVEN.len())]);
        }
        s
    }

    /// A 区划代码 for a record in county `k`: 6, 9 or 12 digits.
    fn region_code(&self, rng: &mut Rng, k: usize) -> String {
        let mut s = self.counties[k].code.clone();
        match weighted(rng, &[70, 20, 10]) {
            0 => {}
            1 => push_num(&mut s, rng.u32(1..=20), 3),
            _ => {
                push_num(&mut s, rng.u32(1..=20), 3);
                push_num(&mut s, rng.u32(1..=30), 3);
            }
        }
        s
    }

    /// The county of an identity record: the person's own, 3% another (R7).
    fn record_county(&self, rng: &mut Rng, home: usize) -> usize {
        if self.counties.len() > 1 && chance(rng, 0.03) {
            (home + 1 + rng.usize(0..self.counties.len() - 1)) % self.counties.len()
        } else {
            home
        }
    }

    /// A recognition date: mostly years back, ~10% inside the concentrated
    /// period, ~3% after it (up to as-of); never before `not_before`.
    fn recognised(&self, rng: &mut Rng, from: NaiveDate, not_before: NaiveDate) -> NaiveDate {
        let r = rng.f64();
        let d = match (r, self.late, self.in_period) {
            (r, Some((lo, hi)), _) if r < 0.03 => date_in(rng, lo, hi),
            (r, _, Some((lo, hi))) if r < 0.13 => date_in(rng, lo, hi),
            _ => date_in(rng, from, (self.c0 - Duration::days(1)).min(self.as_of)),
        };
        d.unwrap_or(from).max(not_before).min(self.as_of)
    }

    /// The category with the lowest personal amount held on `d` (ties: tier
    /// order), with its tier; `None` = ordinary.
    fn best_at(&self, spans: &[Span], d: NaiveDate) -> Option<(Category, usize)> {
        spans
            .iter()
            .filter(|s| s.start <= d && s.end.is_none_or(|e| d < e))
            .filter_map(|s| self.policy.tier_of(s.cat).map(|t| (s.cat, t)))
            .min_by_key(|&(_, t)| (self.policy.tiers[t].personal, t))
    }

    /// With probability `dirty`, one of the spoils in `allowed`.
    fn spoil(&self, rng: &mut Rng, allowed: &[DirtyKind]) -> Option<DirtyKind> {
        if self.dirty > 0.0 && chance(rng, self.dirty) && !allowed.is_empty() {
            Some(allowed[rng.usize(0..allowed.len())])
        } else {
            None
        }
    }

    fn person(&self, core: &Core, outs: &mut [Out; 7]) {
        let mut rng = person_rng(self.seed, core.idx, 1);
        let name = self.name(&mut rng);
        let alt_name = loop {
            let n = self.name(&mut rng);
            if n != name {
                break n;
            }
        };
        let who = Who {
            id: &core.id,
            name: &name,
            alt_name: &alt_name,
        };
        let born19 = core.birth.year() < 2000;
        let age_days = (self.as_of - core.birth).num_days();
        let age = age_days / 365;
        let newborn = age_days <= 180;
        let died = (!newborn && chance(&mut rng, 0.005))
            .then(|| self.as_of - Duration::days(rng.i64(1..=365)));
        let home = core.county;
        let mut spans: Vec<Span> = Vec::new();

        self.civil(&mut rng, core, &who, born19, age, &mut spans, &mut outs[2]);
        self.agri(&mut rng, core, &who, born19, &mut spans, &mut outs[3]);
        self.disability(&mut rng, core, &who, &mut spans, &mut outs[4]);
        self.veterans(&mut rng, core, &who, born19, age, &mut spans, &mut outs[5]);

        let elsewhere = chance(&mut rng, 0.01);
        if elsewhere {
            let out = &mut outs[6];
            let dk = self.spoil(
                &mut rng,
                legacy_if(
                    born19,
                    &[
                        DirtyKind::BadChecksum,
                        DirtyKind::Duplicate,
                        DirtyKind::Legacy15,
                    ],
                ),
            );
            let start = out.text.len();
            push_id(&mut out.text, who.id, dk, &mut rng);
            out.text.push(',');
            out.text.push_str(who.name);
            out.text.push(',');
            out.text
                .push_str(ELSEWHERE_NOTES[weighted(&mut rng, &[70, 10, 20])]);
            out.text.push(',');
            push_num(&mut out.text, self.year as u32, 4);
            finish(out, OutFile::Elsewhere, start, dk);
        }

        self.enrollment(
            &mut rng,
            core,
            &who,
            born19,
            newborn,
            died,
            elsewhere,
            &spans,
            &mut outs[1],
        );

        // persons.csv
        let out = &mut outs[0];
        let mut allowed = vec![DirtyKind::BadChecksum, DirtyKind::Duplicate];
        if born19 {
            allowed.push(DirtyKind::Legacy15);
        }
        if died.is_some() {
            allowed.push(DirtyKind::BadDate);
        }
        let dk = self.spoil(&mut rng, &allowed);
        let start = out.text.len();
        push_id(&mut out.text, who.id, dk, &mut rng);
        out.text.push(',');
        out.text.push_str(who.name);
        out.text.push(',');
        out.text.push_str(&self.counties[home].code);
        out.text.push(',');
        if let Some(d) = died {
            push_date_or_bad(&mut out.text, d, DateForm::Iso, dk, &mut rng);
        }
        out.text.push(',');
        if chance(&mut rng, 0.3) {
            out.text.push_str(&self.counties[home].code);
        }
        finish(out, OutFile::Persons, start, dk);
    }

    #[allow(clippy::too_many_arguments)]
    fn civil(
        &self,
        rng: &mut Rng,
        core: &Core,
        who: &Who,
        born19: bool,
        age: i64,
        spans: &mut Vec<Span>,
        out: &mut Out,
    ) {
        let c = &self.cats;
        let rural = self.counties[core.county].rural;
        let mut held: Vec<(Category, &str)> = Vec::new();
        if chance(rng, 0.045) {
            let texts = if rural {
                TEXT_DIBAO_RURAL
            } else {
                TEXT_DIBAO_URBAN
            };
            held.push((c.dibao, texts[weighted(rng, &[60, 30, 10])]));
        }
        if chance(rng, 0.006) {
            held.push((c.tekun, TEXT_TEKUN[weighted(rng, &[60, 25, 15])]));
        }
        if age < 18 && chance(rng, 0.003) {
            held.push((c.orphan, "孤儿"));
        }
        if age < 18 && chance(rng, 0.004) {
            held.push((c.defacto_orphan, "事实无人抚养儿童"));
        }
        if chance(rng, 0.015) {
            held.push((c.low_income, "低收入人口"));
        }
        if age >= 80 && chance(rng, 0.03) {
            held.push((c.elderly_low_income, "高龄低收入老年人"));
        }
        for (cat, text) in held {
            let start = self.recognised(rng, ymd(2014, 1, 1), core.birth);
            let end = if chance(rng, 0.10) {
                date_in(rng, start + Duration::days(30), self.as_of)
            } else {
                None
            };
            spans.push(Span { cat, start, end });
            let county = self.record_county(rng, core.county);
            let dk = self.spoil(rng, legacy_if(born19, &ROSTER_SPOILS));
            let form = match weighted(rng, &[85, 5, 5, 5]) {
                0 => DateForm::Iso,
                1 => DateForm::Slash,
                2 => DateForm::Compact,
                _ => DateForm::Chinese,
            };
            let s = out.text.len();
            let t = &mut out.text;
            t.push_str(name_for(who, dk));
            t.push(',');
            push_id(t, who.id, dk, rng);
            t.push(',');
            t.push_str(text);
            t.push(',');
            push_date_or_bad(t, start, form, dk, rng);
            t.push(',');
            let code = self.region_code(rng, county);
            t.push_str(&code);
            t.push(',');
            if let Some(e) = end {
                push_date(t, e, DateForm::Iso);
            }
            t.push(',');
            t.push_str(if end.is_some() { "已退出" } else { "正常" });
            t.push(',');
            self.outreach(rng, t);
            finish(out, OutFile::Civil, s, dk);
        }
    }

    fn agri(
        &self,
        rng: &mut Rng,
        core: &Core,
        who: &Who,
        born19: bool,
        spans: &mut Vec<Span>,
        out: &mut Out,
    ) {
        let c = &self.cats;
        let county = &self.counties[core.county];
        let monitored_rate = if county.rural { 0.01 } else { 0.001 };
        let (cat, text, start, cleared) = if chance(rng, monitored_rate) {
            let (cat, text, clear_p) = match weighted(rng, &[50, 35, 15]) {
                0 => (c.unstable, "脱贫不稳定户", 0.35),
                1 => (c.marginal, "边缘易致贫户", 0.25),
                _ => (c.sudden, "突发严重困难户", 0.30),
            };
            let start = self.recognised(rng, ymd(2021, 1, 1), core.birth);
            let cleared = if chance(rng, clear_p) {
                date_in(rng, start + Duration::days(60), self.as_of)
            } else {
                None
            };
            (cat, text, start, cleared)
        } else if county.rural && chance(rng, county.alleviated_rate) {
            let start = date_in(rng, ymd(2014, 1, 1), ymd(2020, 12, 31))
                .unwrap_or(self.as_of)
                .max(core.birth)
                .min(self.as_of);
            (c.alleviated, "已脱贫人口", start, None)
        } else {
            return;
        };
        // 识别日期: the monitoring system exports months (202104, 2021-04).
        let form = match weighted(rng, &[50, 20, 30]) {
            0 => DateForm::Month,
            1 => DateForm::MonthDash,
            _ => DateForm::Iso,
        };
        let start = match form {
            DateForm::Month | DateForm::MonthDash => first_of_month(start).max(core.birth),
            _ => start,
        };
        let start_form = if first_of_month(start) == start {
            form
        } else {
            DateForm::Iso
        };
        if cat == c.unstable {
            // From 风险消除日期 on, still 已脱贫人口 (SPEC §1 agriculture rule).
            spans.push(Span {
                cat,
                start,
                end: cleared,
            });
            if let Some(e) = cleared {
                spans.push(Span {
                    cat: c.alleviated,
                    start: e,
                    end: None,
                });
            }
        } else {
            spans.push(Span {
                cat,
                start,
                end: cleared,
            });
        }
        let rec_county = self.record_county(rng, core.county);
        let dk = self.spoil(rng, legacy_if(born19, &ROSTER_SPOILS));
        let s = out.text.len();
        let t = &mut out.text;
        push_id(t, who.id, dk, rng);
        t.push(',');
        t.push_str(name_for(who, dk));
        t.push(',');
        let code = self.region_code(rng, rec_county);
        t.push_str(&code);
        t.push(',');
        t.push_str(text);
        t.push(',');
        push_date_or_bad(t, start, start_form, dk, rng);
        t.push(',');
        if let Some(e) = cleared {
            push_date(t, e, DateForm::Iso);
        }
        t.push(',');
        self.outreach(rng, t);
        finish(out, OutFile::Agri, s, dk);
    }

    fn disability(
        &self,
        rng: &mut Rng,
        core: &Core,
        who: &Who,
        spans: &mut Vec<Span>,
        out: &mut Out,
    ) {
        // Certificates are issued from age 1 on.
        let one = core.birth + Duration::days(365);
        if one > self.as_of || !chance(rng, 0.06) {
            return;
        }
        let grade = weighted(rng, &[12, 23, 30, 35]); // 0 = 一级
        let kind = weighted(rng, &[12, 15, 3, 45, 8, 10, 7]); // 0 = 视力
        let issued = self.recognised(rng, ymd(2008, 1, 1), one);
        let valid_to = chance(rng, 0.2).then(|| add_months(issued, 120));
        spans.push(Span {
            cat: self.cats.disabled[grade],
            start: issued,
            end: valid_to,
        });
        let county = self.record_county(rng, core.county);
        let dk = self.spoil(
            rng,
            &[
                DirtyKind::BadChecksum,
                DirtyKind::BadDate,
                DirtyKind::Duplicate,
                DirtyKind::NameConflict,
            ],
        );
        let s = out.text.len();
        let t = &mut out.text;
        push_id(t, who.id, dk, rng);
        push_num(t, kind as u32 + 1, 1);
        push_num(t, grade as u32 + 1, 1);
        match weighted(rng, &[95, 4, 1]) {
            0 => {}
            1 => t.push_str("B1"),
            _ => t.push_str("B2"),
        }
        t.push(',');
        t.push_str(name_for(who, dk));
        t.push(',');
        t.push_str(DISABILITY_KINDS[kind]);
        t.push(',');
        if chance(rng, 0.1) {
            push_num(t, grade as u32 + 1, 1);
        } else {
            t.push_str(GRADE_TEXTS[grade]);
        }
        t.push(',');
        let form = if chance(rng, 0.2) {
            DateForm::Compact
        } else {
            DateForm::Iso
        };
        push_date_or_bad(t, issued, form, dk, rng);
        t.push(',');
        if let Some(v) = valid_to {
            push_date(t, v, DateForm::Iso);
        }
        t.push(',');
        let code = self.region_code(rng, county);
        t.push_str(&code);
        finish(out, OutFile::Disability, s, dk);
    }

    #[allow(clippy::too_many_arguments)]
    fn veterans(
        &self,
        rng: &mut Rng,
        core: &Core,
        who: &Who,
        born19: bool,
        age: i64,
        spans: &mut Vec<Span>,
        out: &mut Out,
    ) {
        let (cat, text) = if age >= 30 && chance(rng, 0.008) {
            (
                self.cats.youfu,
                TEXT_YOUFU[weighted(rng, &[70, 8, 8, 6, 4, 4])],
            )
        } else if !core.male && age >= 75 && chance(rng, 0.004) {
            (self.cats.widow, "离休干部遗孀")
        } else {
            return;
        };
        let start = self.recognised(rng, ymd(1995, 1, 1), core.birth);
        let end = if chance(rng, 0.02) {
            date_in(rng, start + Duration::days(30), self.as_of)
        } else {
            None
        };
        spans.push(Span { cat, start, end });
        let county = self.record_county(rng, core.county);
        let dk = self.spoil(rng, legacy_if(born19, &ROSTER_SPOILS));
        let s = out.text.len();
        let t = &mut out.text;
        t.push_str(name_for(who, dk));
        t.push(',');
        push_id(t, who.id, dk, rng);
        t.push(',');
        t.push_str(text);
        t.push(',');
        push_date_or_bad(t, start, DateForm::Iso, dk, rng);
        t.push(',');
        let code = self.region_code(rng, county);
        t.push_str(&code);
        t.push(',');
        if let Some(e) = end {
            push_date(t, e, DateForm::Iso);
        }
        finish(out, OutFile::Veterans, s, dk);
    }

    /// 乡镇街道, 村社区, 联系电话 — filled on ~30% of identity rows.
    fn outreach(&self, rng: &mut Rng, t: &mut String) {
        if chance(rng, 0.3) {
            t.push_str(TOWNS[rng.usize(0..TOWNS.len())]);
            t.push(',');
            t.push_str(VILLAGES[rng.usize(0..VILLAGES.len())]);
            t.push(',');
            t.push_str(["13", "15", "18"][rng.usize(0..3)]);
            push_num(t, rng.u32(0..1_000_000_000), 9);
        } else {
            t.push_str(",,");
        }
    }

    /// The ordinary amount of a history year: the policy's ordinary amount in
    /// `Y`-1, 20 yuan less for each year before (a plausible rising schedule).
    fn hist_ordinary(&self, year: i32) -> Fen {
        let back = i64::from((self.year - 1 - year).max(0));
        Fen((self.policy.ordinary.0 - back * 2_000).max(0))
    }

    #[allow(clippy::too_many_arguments)]
    fn enrollment(
        &self,
        rng: &mut Rng,
        core: &Core,
        who: &Who,
        born19: bool,
        newborn: bool,
        died: Option<NaiveDate>,
        elsewhere: bool,
        spans: &[Span],
        out: &mut Out,
    ) {
        let y = self.year;
        let first = y - 5;
        let age_y = y - core.birth.year();
        // ~8% employees (310) for a run of years.
        let employee = ((18..60).contains(&age_y) && chance(rng, 0.135)).then(|| {
            let a = rng.i32(first..=y);
            (a, rng.i32(a..=y))
        });
        // ~8% with gap years (no row, or registered and unpaid), some ≥ 4 years.
        let gap = (!newborn && chance(rng, 0.08)).then(|| {
            let len = [1, 2, 3, 4, 5][weighted(rng, &[40, 25, 15, 12, 8])];
            let last = if chance(rng, 0.7) {
                y - 1
            } else {
                rng.i32(first + len - 1..=y - 1)
            };
            (last - len + 1, last)
        });
        // 1%: enrolled in another county than they live (R7 transfers).
        let county = self.record_county_p(rng, core.county, 0.01);
        let ccode = &self.counties[county].code;
        let spoils = legacy_if(
            born19,
            &[
                DirtyKind::BadChecksum,
                DirtyKind::Duplicate,
                DirtyKind::BadDate,
                DirtyKind::Legacy15,
            ],
        );
        let employee_amount = Fen::yuan(i64::from(rng.u32(24..=60)) * 100);

        for yr in first..y {
            if core.birth.year() > yr {
                continue;
            }
            let in_job = employee.is_some_and(|(a, b)| a <= yr && yr <= b);
            let in_gap = gap.is_some_and(|(a, b)| a <= yr && yr <= b);
            let mut row = ERow::new(yr, ccode);
            if in_job {
                row.scheme = "310";
                row.due = employee_amount;
                row.paid = Some(employee_amount);
                row.date = Some((ymd(yr, 1, 15), DateForm::Iso));
            } else if in_gap {
                if !chance(rng, 0.3) {
                    continue;
                }
                row.due = self.hist_ordinary(yr);
            } else {
                let d = date_in(rng, ymd(yr - 1, 9, 1), ymd(yr - 1, 12, 31))
                    .unwrap_or(ymd(yr - 1, 12, 1))
                    .max(core.birth)
                    .min(ymd(yr, 12, 31));
                let ord = self.hist_ordinary(yr);
                match self.best_at(spans, d) {
                    Some((cat, t)) => {
                        row.rating = &self.rating_text[usize::from(cat.0)];
                        row.due = self.policy.tiers[t].personal.min(ord);
                    }
                    None => row.due = ord,
                }
                row.paid = Some(row.due);
                row.date = Some((d, DateForm::Iso));
            }
            let dk = self.spoil(rng, spoils);
            row.write(out, who, dk, rng);
        }

        // Year Y.
        let in_job = employee.is_some_and(|(_, b)| b == y);
        if in_job {
            let mut row = ERow::new(y, ccode);
            row.scheme = "310";
            row.status = ["参保缴费", "暂停", "终止"][weighted(rng, &[92, 5, 3])];
            row.due = employee_amount;
            row.paid = Some(employee_amount);
            row.date = Some((ymd(y - 1, 12, 20), DateForm::Iso));
            let dk = self.spoil(rng, spoils);
            row.write(out, who, dk, rng);
        }
        #[derive(PartialEq)]
        enum Plan {
            None,
            Unpaid,
            InPeriod,
            Late,
        }
        let plan = if newborn {
            match weighted(rng, &[75, 10, 15]) {
                0 => Plan::Late, // paid after birth, whenever that was
                1 => Plan::Unpaid,
                _ => Plan::None,
            }
        } else if elsewhere && !chance(rng, 0.1) {
            Plan::None
        } else if in_job {
            if chance(rng, 0.05) {
                Plan::InPeriod
            } else {
                Plan::None
            }
        } else {
            match weighted(rng, &[4, 6, 3, 87]) {
                0 => Plan::None,
                1 => Plan::Unpaid,
                2 => Plan::Late,
                _ => Plan::InPeriod,
            }
        };
        if plan == Plan::None {
            return;
        }
        // The payment (or registration) date.
        let paid_on = match plan {
            Plan::Late if newborn => {
                let lo = self.c0.max(core.birth);
                date_in(rng, lo, self.as_of)
            }
            Plan::Late => match self.late {
                Some((lo, hi)) => date_in(rng, lo.max(core.birth), hi),
                None => self
                    .in_period
                    .and_then(|(lo, hi)| date_in(rng, lo.max(core.birth), hi)),
            },
            Plan::InPeriod => self
                .in_period
                .and_then(|(lo, hi)| date_in(rng, lo.max(core.birth), hi)),
            _ => None,
        };
        // Nobody pays after their death: such a row stays registered, unpaid.
        let paid_on = paid_on.filter(|d| died.is_none_or(|x| *d < x));
        let rated_on = match paid_on {
            Some(d) => d,
            None => self
                .in_period
                .and_then(|(lo, hi)| date_in(rng, lo.max(core.birth), hi))
                .unwrap_or(self.as_of),
        };
        let best = self.best_at(spans, rated_on);
        let late_price = |d: NaiveDate| {
            if d > self.c1 && !newborn {
                self.policy.band_for(d).unwrap_or(self.policy.ordinary)
            } else {
                self.policy.ordinary
            }
        };
        let mut row = ERow::new(y, ccode);
        match best {
            Some((cat, t)) => {
                row.rating = &self.rating_text[usize::from(cat.0)];
                row.due = self.policy.tiers[t].personal;
            }
            None => row.due = late_price(rated_on),
        }
        // A few percent rated wrong on purpose: 8% of identity holders rated
        // ordinary (refunds when paid, re-ratings when not), 1% of the others
        // rated with a hardship category no identity supports.
        match best {
            Some(_) if chance(rng, 0.08) => {
                row.rating = "普通居民";
                row.due = late_price(rated_on);
            }
            None if !self.tiered.is_empty() && chance(rng, 0.01) => {
                let cat = self.tiered[rng.usize(0..self.tiered.len())];
                row.rating = &self.rating_text[usize::from(cat.0)];
                row.due = self.policy.personal(self.policy.tier_of(cat));
            }
            _ => {}
        }
        row.decimals = chance(rng, 0.1);
        if let Some(d) = paid_on {
            row.paid = Some(row.due);
            let form = match weighted(rng, &[80, 10, 5, 5]) {
                0 => DateForm::Iso,
                1 => DateForm::DateTime,
                2 => DateForm::Slash,
                _ => DateForm::Compact,
            };
            // Rows due 0 often carry no date.
            if !(row.due.is_zero() && chance(rng, 0.5)) {
                row.date = Some((d, form));
            }
            if !row.due.is_zero() && chance(rng, 0.9) {
                row.tax = Some(d);
                row.tax_seq = core.idx;
            }
            if d > self.c1 {
                if chance(rng, 0.03) {
                    row.dynamic = DYNAMIC_GROUPS[rng.usize(0..DYNAMIC_GROUPS.len())];
                }
                let exempt = newborn || best.is_some() || !row.dynamic.is_empty();
                if !exempt {
                    let from = d.max(ymd(y, 1, 1));
                    let w = &self.policy.waiting;
                    let start = add_months(
                        from + Duration::days(i64::from(w.fixed_days)),
                        w.fixed_months,
                    );
                    row.benefit_start = match weighted(rng, &[80, 5, 15]) {
                        0 => Some(start),
                        1 => Some(add_months(start, 1)),
                        _ => None,
                    };
                }
                if gap.is_some() && chance(rng, 0.1) {
                    row.repair_years = 1;
                }
            }
        } else if chance(rng, 0.03) {
            row.status = "暂停";
        }
        let dk = self.spoil(rng, spoils);
        row.write(out, who, dk, rng);

        // 0.3% of payers paid twice (R3 DUPLICATE), mostly in another county.
        if let (Some(d), Some((lo, hi))) = (paid_on, self.in_period) {
            if chance(rng, 0.003) {
                let other = self.record_county_p(rng, county, 0.7);
                let d2 = date_in(rng, lo.max(core.birth), hi).unwrap_or(d);
                row.county = &self.counties[other].code;
                row.date = Some((d2, DateForm::Iso));
                row.tax = (!row.due.is_zero()).then_some(d2);
                row.tax_seq = core.idx + 500_000_000;
                row.benefit_start = None;
                let dk = self.spoil(rng, spoils);
                row.write(out, who, dk, rng);
            }
        }
    }

    fn record_county_p(&self, rng: &mut Rng, home: usize, p: f64) -> usize {
        if self.counties.len() > 1 && chance(rng, p) {
            (home + 1 + rng.usize(0..self.counties.len() - 1)) % self.counties.len()
        } else {
            home
        }
    }
}

const ROSTER_SPOILS: [DirtyKind; 5] = [
    DirtyKind::BadChecksum,
    DirtyKind::BadDate,
    DirtyKind::Duplicate,
    DirtyKind::NameConflict,
    DirtyKind::Legacy15,
];

/// `kinds` without a trailing `Legacy15` unless the person was born 19xx
/// (15-digit IDs only ever held 19xx birth years).
fn legacy_if(born19: bool, kinds: &[DirtyKind]) -> &[DirtyKind] {
    match kinds.split_last() {
        Some((DirtyKind::Legacy15, rest)) if !born19 => rest,
        _ => kinds,
    }
}

fn name_for<'a>(who: &'a Who, dk: Option<DirtyKind>) -> &'a str {
    if dk == Some(DirtyKind::NameConflict) {
        who.alt_name
    } else {
        who.name
    }
}

/// One enrollment row (SPEC §2 `enrollment`).
struct ERow<'a> {
    year: i32,
    scheme: &'static str,
    county: &'a str,
    status: &'static str,
    rating: &'a str,
    due: Fen,
    paid: Option<Fen>,
    date: Option<(NaiveDate, DateForm)>,
    benefit_start: Option<NaiveDate>,
    repair_years: u32,
    tax: Option<NaiveDate>,
    tax_seq: u64,
    dynamic: &'static str,
    decimals: bool,
}

impl<'a> ERow<'a> {
    fn new(year: i32, county: &'a str) -> ERow<'a> {
        ERow {
            year,
            scheme: "390",
            county,
            status: "参保缴费",
            rating: "普通居民",
            due: Fen::ZERO,
            paid: None,
            date: None,
            benefit_start: None,
            repair_years: 0,
            tax: None,
            tax_seq: 0,
            dynamic: "",
            decimals: false,
        }
    }

    fn write(&self, out: &mut Out, who: &Who, dk: Option<DirtyKind>, rng: &mut Rng) {
        // A bad date needs a date to spoil.
        let dk = match dk {
            Some(DirtyKind::BadDate) if self.date.is_none() => Some(DirtyKind::Duplicate),
            d => d,
        };
        let s = out.text.len();
        let t = &mut out.text;
        push_num(t, self.year as u32, 4);
        t.push(',');
        push_id(t, who.id, dk, rng);
        t.push(',');
        t.push_str(who.name);
        t.push(',');
        t.push_str(self.scheme);
        t.push(',');
        t.push_str(self.county);
        t.push(',');
        t.push_str(self.status);
        t.push(',');
        t.push_str(self.rating);
        t.push(',');
        push_yuan(t, self.due, self.decimals);
        t.push(',');
        if let Some(p) = self.paid {
            push_yuan(t, p, self.decimals);
        }
        t.push(',');
        if let Some((d, form)) = self.date {
            push_date_or_bad(t, d, form, dk, rng);
        }
        t.push(',');
        if let Some(d) = self.benefit_start {
            push_date(t, d, DateForm::Iso);
        }
        t.push(',');
        if self.repair_years > 0 {
            push_num(t, self.repair_years, 1);
        }
        t.push(',');
        if let Some(d) = self.tax {
            // 18-digit 电子税票号: 3, province, year and month paid, a serial.
            t.push('3');
            t.push_str(&who.id[..2]);
            push_num(t, d.year() as u32, 4);
            push_num(t, d.month(), 2);
            push_num(t, (self.tax_seq % 1_000_000_000) as u32, 9);
        }
        t.push(',');
        t.push_str(self.dynamic);
        finish(out, OutFile::Enrollment, s, dk);
    }
}

/// Ends the row begun at byte `start`: line end, row count, and a second
/// byte-identical copy for a duplicate.
fn finish(out: &mut Out, f: OutFile, start: usize, dk: Option<DirtyKind>) {
    out.text.push_str(f.eol());
    out.rows += 1;
    if let Some(k) = dk {
        out.dirty[DirtyKind::ALL.iter().position(|x| *x == k).unwrap_or(0)] += 1;
        if k == DirtyKind::Duplicate {
            let line = out.text[start..].to_string();
            out.text.push_str(&line);
            out.rows += 1;
        }
    }
}

/// Writes the ID as this row spells it.
fn push_id(t: &mut String, id: &str, dk: Option<DirtyKind>, rng: &mut Rng) {
    match dk {
        Some(DirtyKind::BadChecksum) => {
            const CHECK: &[u8; 11] = b"10X98765432";
            let good = id.as_bytes()[17];
            let pos = CHECK.iter().position(|c| *c == good).unwrap_or(0);
            let bad = CHECK[(pos + 1 + rng.usize(0..10)) % 11];
            t.push_str(&id[..17]);
            t.push(bad as char);
        }
        Some(DirtyKind::Legacy15) => {
            // The 15-digit form: no century, no check character.
            t.push_str(&id[..6]);
            t.push_str(&id[8..17]);
        }
        _ => t.push_str(id),
    }
}

/// `n` in decimal, zero-padded to `width`.
fn push_num(t: &mut String, n: u32, width: usize) {
    let mut buf = [0u8; 10];
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for _ in (buf.len() - i)..width {
        t.push('0');
    }
    for b in &buf[i..] {
        t.push(*b as char);
    }
}

fn push_date(t: &mut String, d: NaiveDate, form: DateForm) {
    let (y, m, day) = (d.year() as u32, d.month(), d.day());
    match form {
        DateForm::Iso | DateForm::DateTime => {
            push_num(t, y, 4);
            t.push('-');
            push_num(t, m, 2);
            t.push('-');
            push_num(t, day, 2);
            if matches!(form, DateForm::DateTime) {
                t.push_str(" 10:");
                push_num(t, (day * 7) % 60, 2);
                t.push_str(":00");
            }
        }
        DateForm::Slash => {
            push_num(t, y, 4);
            t.push('/');
            push_num(t, m, 1);
            t.push('/');
            push_num(t, day, 1);
        }
        DateForm::Compact => {
            push_num(t, y, 4);
            push_num(t, m, 2);
            push_num(t, day, 2);
        }
        DateForm::Chinese => {
            push_num(t, y, 4);
            t.push('年');
            push_num(t, m, 1);
            t.push('月');
            push_num(t, day, 1);
            t.push('日');
        }
        DateForm::Month => {
            push_num(t, y, 4);
            push_num(t, m, 2);
        }
        DateForm::MonthDash => {
            push_num(t, y, 4);
            t.push('-');
            push_num(t, m, 2);
        }
    }
}

fn push_date_or_bad(
    t: &mut String,
    d: NaiveDate,
    form: DateForm,
    dk: Option<DirtyKind>,
    rng: &mut Rng,
) {
    if dk == Some(DirtyKind::BadDate) {
        t.push_str(BAD_DATES[rng.usize(0..BAD_DATES.len())]);
    } else {
        push_date(t, d, form);
    }
}

/// Yuan as the ledger writes them: `400` or `400.00`.
fn push_yuan(t: &mut String, f: Fen, decimals: bool) {
    let v = f.0.max(0) as u64;
    let (whole, cents) = (v / 100, (v % 100) as u32);
    t.push_str(&whole.to_string());
    if decimals || cents != 0 {
        t.push('.');
        push_num(t, cents, 2);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    use crate::domain::id::validate_resident_id;
    use crate::domain::parse_date;

    fn policy_path(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("policies")
            .join(name)
    }

    fn config(out: &Path, persons: u64, seed: u64, dirty: f64) -> GenerateConfig {
        GenerateConfig {
            persons,
            seed,
            policy: policy_path("ningxia-2026.toml"),
            out: out.to_path_buf(),
            as_of: None,
            dirty,
        }
    }

    #[test]
    fn same_seed_gives_byte_identical_files() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let c = tempfile::tempdir().unwrap();
        generate(&config(a.path(), 2_000, 7, 0.01)).unwrap();
        generate(&config(b.path(), 2_000, 7, 0.01)).unwrap();
        generate(&config(c.path(), 2_000, 8, 0.01)).unwrap();
        // Neither the thread count nor the chunk size matters.
        let d = tempfile::tempdir().unwrap();
        rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(|| {
                generate_chunked(&config(d.path(), 2_000, 7, 0.01), &Progress::hidden(), 97)
            })
            .unwrap();
        let mut differs = false;
        for f in OutFile::ALL {
            let x = std::fs::read(a.path().join(f.file_name())).unwrap();
            let y = std::fs::read(b.path().join(f.file_name())).unwrap();
            let z = std::fs::read(c.path().join(f.file_name())).unwrap();
            assert!(
                x == y,
                "{} differs between two runs of one seed",
                f.file_name()
            );
            let w = std::fs::read(d.path().join(f.file_name())).unwrap();
            assert!(x == w, "{} differs with one thread", f.file_name());
            differs |= x != z;
        }
        assert!(differs, "another seed should give other data");
        // No temporary files are left behind.
        let names: Vec<_> = std::fs::read_dir(a.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        assert_eq!(names.len(), 7, "{names:?}");
    }

    #[test]
    fn ids_are_unique_valid_and_in_their_county() {
        let dir = tempfile::tempdir().unwrap();
        let report = generate(&config(dir.path(), 100_000, 3, 0.0)).unwrap();
        let schemas = Schemas::embedded().unwrap();
        let policy = Policy::load(&policy_path("ningxia-2026.toml"), &schemas.vocab).unwrap();
        let text = std::fs::read_to_string(dir.path().join("persons.csv")).unwrap();
        let mut ids = HashSet::new();
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some(OutFile::Persons.header()));
        for line in lines {
            let cols: Vec<&str> = line.split(',').collect();
            let id = cols[0];
            assert_eq!(validate_resident_id(id, report.as_of).as_deref(), Ok(id));
            assert_eq!(&id[..6], cols[2], "ID county = 常住区划代码");
            assert!(policy.counties.contains_key(cols[2]));
            assert!(ids.insert(id.to_string()), "duplicate ID {id}");
        }
        assert_eq!(ids.len(), 100_000);
        assert_eq!(report.file(OutFile::Persons).rows, 100_000);
        // Roughly 1% newborns (born within 180 days of as-of).
        let newborns = ids
            .iter()
            .filter(|id| {
                let b = parse_date(&id[6..14]).unwrap();
                (report.as_of - b).num_days() <= 180
            })
            .count();
        assert!((700..1_400).contains(&newborns), "{newborns} newborns");
    }

    #[test]
    fn rows_use_known_texts_and_parse() {
        let dir = tempfile::tempdir().unwrap();
        let report = generate(&config(dir.path(), 20_000, 11, 0.0)).unwrap();
        let schemas = Schemas::embedded().unwrap();
        let vocab = &schemas.vocab;
        let read = |f: OutFile| {
            let bytes = std::fs::read(dir.path().join(f.file_name())).unwrap();
            if f == OutFile::Civil {
                let (text, _, bad) = encoding_rs::GBK.decode(&bytes);
                assert!(!bad);
                assert!(text.contains("\r\n"));
                text.replace("\r\n", "\n")
            } else {
                String::from_utf8(bytes).unwrap()
            }
        };
        let civil = read(OutFile::Civil);
        for line in civil.lines().skip(1) {
            let c: Vec<&str> = line.split(',').collect();
            assert_eq!(c.len(), 10, "{line}");
            assert!(vocab.category_by_text(c[2]).is_some(), "{line}");
            assert!(parse_date(c[3]).is_some(), "{line}");
        }
        let agri = read(OutFile::Agri);
        for line in agri.lines().skip(1) {
            let c: Vec<&str> = line.split(',').collect();
            assert_eq!(c.len(), 9, "{line}");
            assert!(vocab.category_by_text(c[3]).is_some(), "{line}");
            assert!(parse_date(c[4]).is_some(), "{line}");
        }
        let disability = read(OutFile::Disability);
        for line in disability.lines().skip(1) {
            let c: Vec<&str> = line.split(',').collect();
            let cert = c[0];
            assert!(cert.len() == 20 || cert.len() == 22, "{line}");
            assert_eq!(
                vocab.disability_kind(c[2]),
                Some(cert.as_bytes()[18] - b'0')
            );
            assert_eq!(vocab.grade(c[3]), Some(cert.as_bytes()[19] - b'0'));
        }
        let veterans = read(OutFile::Veterans);
        for line in veterans.lines().skip(1) {
            let c: Vec<&str> = line.split(',').collect();
            assert!(vocab.category_by_text(c[2]).is_some(), "{line}");
        }
        let enrollment = read(OutFile::Enrollment);
        let mut years = HashSet::new();
        for line in enrollment.lines().skip(1) {
            let c: Vec<&str> = line.split(',').collect();
            assert_eq!(c.len(), 14, "{line}");
            years.insert(c[0].to_string());
            assert!(
                vocab.is_ordinary_rating(c[6]) || vocab.category_by_text(c[6]).is_some(),
                "{line}"
            );
            if !c[8].is_empty() && c[8] != "0" && c[8] != "0.00" {
                assert!(
                    parse_date(c[9]).is_some(),
                    "paid row without a date: {line}"
                );
            }
        }
        assert_eq!(years.len(), 6, "five history years and Y");
        for f in OutFile::ALL {
            assert!(report.file(f).rows > 0, "{} is empty", f.file_name());
        }
    }

    #[test]
    fn dirty_rows_are_spread_and_counted() {
        let dir = tempfile::tempdir().unwrap();
        let report = generate(&config(dir.path(), 20_000, 5, 0.02)).unwrap();
        let mut by_kind = [0u64; 5];
        for f in &report.files {
            for (k, n) in by_kind.iter_mut().zip(f.dirty) {
                *k += n;
            }
        }
        assert!(by_kind.iter().all(|n| *n > 0), "{by_kind:?}");
        let total: u64 = report.files.iter().map(|f| f.rows).sum();
        let dirty: u64 = by_kind.iter().sum();
        let share = dirty as f64 / total as f64;
        assert!((0.015..0.025).contains(&share), "share {share}");
    }

    #[test]
    fn id_sequence_is_a_bijection() {
        for off in [0u32, 1, 499] {
            let seen: HashSet<u32> = (0..500u32).map(|c| (317 * c + off) % 500).collect();
            assert_eq!(seen.len(), 500);
        }
    }
}
