//! `yibao-recon forecast` (预算测算, issue 14): with the people recognised
//! today, what does next year's policy cost? The rosters (and, optionally,
//! the enrollment export for each person's grade and the register for
//! deaths) are read by the same ingest as a run — every line accounted for,
//! rejects listed — and each person recognised at `T` is priced as R1
//! prices them ([`price`]), under the next policy and, with `--compare`,
//! under this year's. The output directory is written as a run's is
//! (owner-only, staged and renamed into place, a non-empty `--out` refused
//! without `--force`); no ledger is read or written.

pub mod costs;
pub mod page;
pub mod price;
pub mod tables;

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::NaiveDate;
use serde_json::{json, Value};

use crate::error::{Error, Result};
use crate::ingest::schema::Schemas;
use crate::ingest::{scatter, InputFile, InputSpec, ParseCtx, Reject, SpillOpts};
use crate::pipeline::{self, load_schemas};
use crate::policy::Policy;
use crate::progress::Progress;
use crate::report::{HeaderLang, ReportTable};
use costs::{Comparison, Costs};
use price::{Counted, Pricing};

/// A validated forecast request (the CLI builds it).
#[derive(Debug, Clone)]
pub struct ForecastConfig {
    /// The policy being forecast (next year's).
    pub policy: PathBuf,
    /// `--compare`: this year's policy.
    pub compare: Option<PathBuf>,
    pub as_of: NaiveDate,
    pub inputs: Vec<InputSpec>,
    pub out: PathBuf,
    pub force: bool,
    pub header_lang: HeaderLang,
    pub quiet: bool,
    pub schemas_dir: Option<PathBuf>,
    pub lang: crate::i18n::Lang,
    pub mask_ids: bool,
}

/// The policies and schemas a forecast stands on.
struct Prepared {
    schemas: Schemas,
    next: Policy,
    this: Option<Policy>,
    parent: PathBuf,
}

/// What the read stage found.
struct Read {
    files: Vec<InputFile>,
    rejects: Vec<Reject>,
    conflicts: u64,
    counted: Counted,
    ms: u128,
}

/// The forecast priced: next year's costs, this year's with `--compare`.
struct Priced {
    next: Costs,
    this: Option<Costs>,
    comparison: Option<Comparison>,
}

/// Runs the forecast; returns the lines the CLI prints.
pub fn run(cfg: &ForecastConfig) -> Result<Vec<String>> {
    let t = Instant::now();
    let progress = Progress::new(cfg.quiet);
    let p = prepare(cfg)?;
    let read = read(cfg, &p, &progress)?;
    let priced = price_all(&p, &read)?;
    let mut tables = build_tables(cfg, &p, &read, &priced)?;
    if cfg.mask_ids {
        crate::report::mask_ids(&mut tables);
    }
    crate::owner_only::create_dir_all(&p.parent)?;
    let staging =
        crate::owner_only::tempdir_in(&p.parent, &crate::ledger::outdir::staging_prefix())?;
    write(cfg, &p, &read, &priced, &tables, staging.path(), t)?;
    let aside = pipeline::move_into_place(staging, &cfg.out, cfg.force)?;
    if let Some(aside) = aside {
        let _ = std::fs::remove_dir_all(aside);
    }
    Ok(console_lines(cfg, &read, &priced))
}

/// Schemas, both policies, and `--out` checked before a row is read.
fn prepare(cfg: &ForecastConfig) -> Result<Prepared> {
    let schemas = load_schemas(cfg.schemas_dir.as_deref())?;
    let next = Policy::load(&cfg.policy, &schemas.vocab)?;
    let this = match &cfg.compare {
        Some(path) => Some(Policy::load(path, &schemas.vocab)?),
        None => None,
    };
    for i in &cfg.inputs {
        if !i.path.is_file() {
            return Err(Error::io(
                &i.display,
                "no such file (expected a CSV export)",
            ));
        }
    }
    let parent = pipeline::out_parent(&cfg.out);
    crate::ledger::outdir::recover(&parent);
    if pipeline::check_out_dir(&cfg.out, &cfg.inputs, cfg.force)? {
        return Err(pipeline::out_not_empty_at(&cfg.out));
    }
    Ok(Prepared {
        schemas,
        next,
        this,
        parent,
    })
}

/// Reads every input as a run does (partitioned by person, validated in
/// parallel) and counts each partition's recognised persons.
fn read(cfg: &ForecastConfig, p: &Prepared, progress: &Progress) -> Result<Read> {
    let t = Instant::now();
    let ctx = ParseCtx {
        vocab: &p.next.vocab,
        as_of: cfg.as_of,
        region_prefix: Some(&p.next.region_prefix),
        // Rows of T's year and later keep their grade; earlier ones are history.
        policy_year: Some(chrono::Datelike::year(&cfg.as_of)),
        // The grades of enrollment rows are read by the forecast policy.
        policy: Some(&p.next),
    };
    let spill = SpillOpts {
        partitions: None,
        memory: None,
        dir: if p.parent.is_dir() {
            p.parent.clone()
        } else {
            std::env::temp_dir()
        },
    };
    let scattered = scatter(&cfg.inputs, &p.schemas, ctx, &spill, progress)?;
    let pricing = Pricing {
        next: &p.next,
        this: p.this.as_ref(),
        t: cfg.as_of,
    };
    let stage = progress.bar(
        scattered.partitions() as u64,
        "测算 pricing recognised persons",
        "个分区 partitions",
    );
    type Acc = (Counted, Vec<Reject>, u64);
    let reduced = scattered.reduce(
        ctx,
        || -> Acc { (Counted::default(), Vec::new(), 0) },
        |acc, mut data| {
            pricing.count(&mut data, &mut acc.0);
            acc.1.append(&mut data.rejects);
            acc.2 += data.conflicts.len() as u64;
        },
        |a, b| (a.0.merge(b.0), [a.1, b.1].concat(), a.2 + b.2),
        || stage.inc(1),
    )?;
    stage.finish_and_clear();
    let (mut counted, mut rejects, conflicts) = reduced.acc;
    rejects.extend(reduced.rejects);
    rejects.sort_by_key(|r| (r.file, r.line));
    if p.this.is_some() && counted.this.is_none() {
        counted.this = Some(Default::default());
    }
    Ok(Read {
        files: reduced.files,
        rejects,
        conflicts: conflicts + reduced.conflicts.len() as u64,
        counted,
        ms: t.elapsed().as_millis(),
    })
}

/// Prices both tallies (checked) and checks the fiscal totals fit.
fn price_all(p: &Prepared, read: &Read) -> Result<Priced> {
    let next = costs::cost(&p.next, &read.counted.next, "forecast.csv 资助金额")?;
    let this = match (&p.this, &read.counted.this) {
        (Some(policy), Some(tally)) => Some(costs::cost(
            policy,
            tally,
            "forecast_compare.csv 本年资助金额",
        )?),
        _ => None,
    };
    if let Some(f) = &p.next.fiscal {
        f.per_capita
            .checked_times(next.total.persons)
            .ok_or_else(|| Error::MoneyOverflow {
                what: "forecast_fiscal.csv 全年补助合计".to_string(),
            })?;
    }
    let comparison = this.as_ref().map(|t| costs::compare(t, &next));
    Ok(Priced {
        next,
        this,
        comparison,
    })
}

/// The CSV tables, in the order they are written.
fn build_tables(
    cfg: &ForecastConfig,
    p: &Prepared,
    read: &Read,
    priced: &Priced,
) -> Result<Vec<ReportTable>> {
    let mut out = vec![tables::forecast(&p.next, &priced.next)];
    if let (Some(this), Some(c)) = (&p.this, &priced.comparison) {
        out.push(tables::compare(&p.next, this, c));
    }
    if let Some(f) = &p.next.fiscal {
        let ctx = crate::report::lists::Ctx {
            policy: &p.next,
            files: &read.files,
            lang: cfg.lang,
        };
        let mut t = crate::report::ledgers::fiscal_ledger(&ctx, f, &priced.next.persons_by_county);
        t.file = "forecast_fiscal.csv";
        out.push(t);
    }
    out.push(crate::report::lists::rejects(
        &read.files,
        &read.rejects,
        cfg.lang,
    ));
    Ok(out)
}

/// Writes the CSV files, `report.xlsx`, `report.html` and `summary.json`
/// into the staging directory.
fn write(
    cfg: &ForecastConfig,
    p: &Prepared,
    read: &Read,
    priced: &Priced,
    tables: &[ReportTable],
    dir: &Path,
    started: Instant,
) -> Result<()> {
    let t = Instant::now();
    for table in tables {
        table.write(dir, &p.schemas, cfg.header_lang)?;
    }
    let header = |k: &str| match cfg.header_lang {
        HeaderLang::Zh => p.schemas.label(k).to_string(),
        HeaderLang::En => k.to_string(),
    };
    let sheets: Vec<crate::report::xlsx_out::SheetSpec> = tables
        .iter()
        .map(|t| {
            let stem = t.file.trim_end_matches(".csv");
            let name = p.schemas.sheets.get(stem).cloned();
            crate::report::xlsx_out::SheetSpec {
                name: name.unwrap_or_else(|| stem.to_string()),
                table: t,
                rows: None,
                print: None,
            }
        })
        .collect();
    crate::report::xlsx_out::write_report_xlsx(
        &dir.join("report.xlsx"),
        &sheets,
        &header,
        &p.schemas.workbook,
    )?;
    let facts = page::Facts {
        next: &p.next,
        this: p.this.as_ref(),
        as_of: cfg.as_of,
        files: &read.files,
        rejects: read.rejects.len(),
        priced: (&priced.next, priced.this.as_ref()),
        tables,
        label: &|k| p.schemas.label(k).to_string(),
    };
    let mut html = page::dashboard(&facts);
    if cfg.mask_ids {
        html = crate::domain::mask_ids_in_text(&html);
    }
    crate::owner_only::write(&dir.join("report.html"), html)?;
    let mut summary = summary(cfg, p, read, priced, tables);
    if let Some(o) = summary.as_object_mut() {
        o.insert(
            "timings_ms".into(),
            json!({
                "read": read.ms as u64,
                "write": t.elapsed().as_millis() as u64,
                "total": started.elapsed().as_millis() as u64,
            }),
        );
    }
    if cfg.mask_ids {
        crate::report::mask_ids_in_json(&mut summary);
    }
    let text =
        serde_json::to_string_pretty(&summary).map_err(|e| Error::Internal(e.to_string()))?;
    crate::owner_only::write(&dir.join("summary.json"), text + "\n")
}

/// The policy as `summary.json` names it.
fn policy_json(policy: &Policy, path: &Path) -> Value {
    json!({
        "id": policy.id,
        "path": path.display().to_string(),
        "sha256": policy.sha256,
        "year": policy.year,
        "region_code": policy.region_code,
    })
}

/// Persons and money of one year's costs.
fn costs_json(c: &Costs) -> Value {
    json!({
        "persons": c.total.persons,
        "subsidy_total": c.total.amount.to_string(),
        "personal_total": c.personal.to_string(),
        "by_payer": c.by_payer.iter().map(|(k, s)| {
            (k.clone(), json!({ "persons": s.persons, "amount": s.amount.to_string() }))
        }).collect::<serde_json::Map<_, _>>(),
    })
}

fn summary(
    cfg: &ForecastConfig,
    p: &Prepared,
    read: &Read,
    priced: &Priced,
    tables: &[ReportTable],
) -> Value {
    let outputs: serde_json::Map<String, Value> = tables
        .iter()
        .map(|t| (t.file.to_string(), json!({ "rows": t.rows.len() })))
        .chain(
            ["report.xlsx", "report.html"]
                .into_iter()
                .map(|f| (f.to_string(), json!({}))),
        )
        .collect();
    let mut notes = vec![format!(
        "按 {} 的名单测算：在该日有身份的人，按 R1 选定资助档次，按参保缴费台账中的档次（无则默认档次）计价；不读写对账台账 — persons recognised at the as-of date, priced as R1 prices them; no ledger read or written",
        crate::domain::fmt_date(cfg.as_of)
    )];
    if p.next.fiscal.is_some() {
        notes.push("forecast_fiscal.csv 仅计入被测算的困难群众（每人一次），不是全体参保人 — the fiscal split counts the forecast's persons only, not every insured resident".to_string());
    }
    json!({
        "tool": { "name": env!("CARGO_PKG_NAME"), "version": env!("CARGO_PKG_VERSION") },
        "command": "forecast",
        "policy": policy_json(&p.next, &cfg.policy),
        "compare_policy": match (&p.this, &cfg.compare) {
            (Some(t), Some(path)) => policy_json(t, path),
            _ => Value::Null,
        },
        "as_of": crate::domain::fmt_date(cfg.as_of),
        "inputs": read.files.iter().map(crate::report::summary::input_json).collect::<Vec<_>>(),
        "rejects": read.rejects.len(),
        "conflicts_not_listed": read.conflicts,
        "forecast": {
            "next": costs_json(&priced.next),
            "current": priced.this.as_ref().map(costs_json),
            "difference": priced.comparison.as_ref().map(|c| c.total.difference().to_string()),
            "deceased_excluded": read.counted.deceased,
            "not_recognised": read.counted.not_recognised,
        },
        "outputs": outputs,
        "notes": notes,
        "ledger": { "read": false, "written": false },
    })
}

/// What the CLI prints: each input's counts, then the totals and where
/// the results are.
fn console_lines(cfg: &ForecastConfig, read: &Read, priced: &Priced) -> Vec<String> {
    let mut lines = Vec::new();
    for f in &read.files {
        lines.push(format!(
            "{} {}: 读取 {} 行, 接受 {}, 拒收 {}, 合并重复 {} ({})",
            f.kind.key(),
            f.display,
            f.counts.read,
            f.counts.accepted,
            f.counts.rejected,
            f.counts.merged_duplicates,
            f.encoding
        ));
    }
    let n = &priced.next;
    lines.push(match cfg.lang {
        crate::i18n::Lang::Zh => format!(
            "预算测算：{} 人，资助合计 {} 元，个人缴费合计 {} 元",
            n.total.persons,
            n.total.amount.grouped(),
            n.personal.grouped()
        ),
        crate::i18n::Lang::En => format!(
            "forecast: {} persons, subsidies {} yuan, personal contributions {} yuan",
            n.total.persons,
            n.total.amount.grouped(),
            n.personal.grouped()
        ),
    });
    if let Some(c) = &priced.comparison {
        lines.push(match cfg.lang {
            crate::i18n::Lang::Zh => format!(
                "与本年政策相比：资助 {} 元 → {} 元，差额 {} 元",
                c.total.this.amount.grouped(),
                c.total.next.amount.grouped(),
                c.total.difference().grouped()
            ),
            crate::i18n::Lang::En => format!(
                "against this year's policy: subsidies {} → {} yuan, difference {} yuan",
                c.total.this.amount.grouped(),
                c.total.next.amount.grouped(),
                c.total.difference().grouped()
            ),
        });
    }
    if !read.rejects.is_empty() {
        lines.push(match cfg.lang {
            crate::i18n::Lang::Zh => format!("拒收 {} 行，见 rejects.csv", read.rejects.len()),
            crate::i18n::Lang::En => {
                format!("{} rows rejected, see rejects.csv", read.rejects.len())
            }
        });
    }
    lines.push(match cfg.lang {
        crate::i18n::Lang::Zh => format!("结果在 {}", cfg.out.display()),
        crate::i18n::Lang::En => format!("results in {}", cfg.out.display()),
    });
    lines
}
