//! `yibao-recon explain --id …`: every identity found for one person, the tier
//! chosen and why, and each rule's verdict with amounts — what an auditor needs
//! when a citizen asks "why am I on this list?".

use std::fmt::Write;
use std::path::PathBuf;

use clap::Args;

use super::inputs::InputArgs;
use crate::domain::{fmt_date, parse_person_id};
use crate::error::{Error, Result};
use crate::ingest::{ingest_for, ParseCtx, SpillOpts, Want};
use crate::pipeline::load_schemas;
use crate::policy::Policy;
use crate::progress::Progress;
use crate::rules::tier::best;
use crate::rules::{judge_one, PersonFile, RunDates, Verdicts};

const EXAMPLE: &str = "Example:
  yibao-recon explain --id 640104196804121025 --policy policies/ningxia-2026.toml --as-of 2026-01-31 \\
      --enrollment sample_data/ningxia/enrollment.csv --civil sample_data/ningxia/civil.csv
  yibao-recon explain --id 640104196804121025 --job jobs/ningxia-sample.toml";

#[derive(Debug, Args)]
#[command(after_help = EXAMPLE)]
pub struct ExplainArgs {
    /// The person's 身份证号 (any accepted form: 15 or 18 digits, wrappers stripped).
    #[arg(long)]
    pub id: String,
    /// 证件类型 when not a resident ID card (default 01).
    #[arg(long, default_value = "01")]
    pub doc_type: String,
    /// Take policy, as-of date and inputs from a run's job file.
    #[arg(long, conflicts_with_all = ["policy", "as_of"])]
    pub job: Option<PathBuf>,
    #[arg(long, required_unless_present = "job")]
    pub policy: Option<PathBuf>,
    #[arg(long, value_parser = super::parse_date_arg, required_unless_present = "job")]
    pub as_of: Option<chrono::NaiveDate>,
    #[command(flatten)]
    pub inputs: InputArgs,
    #[arg(long)]
    pub schemas: Option<PathBuf>,
    /// Issue 11: the run's ledger, so an undated roster's identity gets the
    /// start the run gave it (default with --job: the job's ledger, if it
    /// exists). Read only.
    #[arg(long)]
    pub ledger: Option<PathBuf>,
}

pub fn run(args: ExplainArgs, lang: crate::i18n::Lang) -> Result<i32> {
    let mut ledger = args.ledger.clone();
    let (policy_path, as_of, inputs, schemas_dir) = match &args.job {
        Some(job) => {
            let cfg = crate::job::load(job)?;
            if ledger.is_none() {
                ledger = Some(cfg.ledger_path()).filter(|p| p.is_file());
            }
            (cfg.policy, cfg.as_of, cfg.inputs, cfg.schemas_dir)
        }
        None => (
            args.policy
                .clone()
                .ok_or_else(|| Error::Usage("--policy is required".into()))?,
            args.as_of
                .ok_or_else(|| Error::Usage("--as-of is required".into()))?,
            args.inputs.into_specs(),
            args.schemas.clone(),
        ),
    };
    let schemas = load_schemas(schemas_dir.as_deref())?;
    let policy = Policy::load(&policy_path, &schemas.vocab)?;
    let id = parse_person_id(&args.id, &args.doc_type, as_of)
        .map_err(|e| Error::Usage(format!("--id is not a valid ID ({e:?}); check the digits")))?;
    let ctx = ParseCtx {
        vocab: &policy.vocab,
        as_of,
        region_prefix: Some(&policy.region_prefix),
        policy_year: Some(policy.year),
    };
    let mut data = ingest_for(
        &inputs,
        &schemas,
        ctx,
        &SpillOpts::in_temp_dir(),
        &Progress::hidden(),
        Want::Person(&id),
    )?;
    if let Some(path) = &ledger {
        let l = crate::ledger::Ledger::open_read(path)?;
        let series = crate::ledger::keys::series(&policy);
        crate::ledger::snapshots::load(&l, &series, as_of)?
            .apply(&mut data.identities, |c| policy.vocab.code(c).to_string());
    }
    let dates = RunDates {
        t: as_of,
        year: policy.year,
    };
    let rejects: Vec<String> = data
        .rejects
        .iter()
        .filter(|r| crate::domain::id::normalise_id_text(&r.id_raw).starts_with(&id.number()))
        .map(|r| {
            format!(
                "  {}:{} [{}] {} `{}`: {}",
                data.files[usize::from(r.file)].display,
                r.line,
                r.reason.code(),
                r.column,
                r.raw,
                r.message.get(lang)
            )
        })
        .collect();
    let files: Vec<String> = data.files.iter().map(|f| f.display.clone()).collect();
    let text = match judge_one(&policy, dates, &mut data, &id) {
        Some((p, v)) => render(&policy, dates, &files, &p, &v, &rejects, lang),
        None => format!(
            "{}: no accepted record in any input{}\n{}",
            id.masked(),
            if rejects.is_empty() {
                ""
            } else {
                "; rejected rows:"
            },
            rejects.join("\n")
        ),
    };
    print!("{text}");
    Ok(0)
}

fn render(
    policy: &Policy,
    dates: RunDates,
    files: &[String],
    p: &PersonFile<'_>,
    v: &Verdicts,
    rejects: &[String],
    lang: crate::i18n::Lang,
) -> String {
    let mut s = String::new();
    let vocab = &policy.vocab;
    let at = |o: crate::ingest::Origin| format!("{}:{}", files[usize::from(o.file)], o.line);
    let _ = writeln!(
        s,
        "{}  {}  (policy {}, as of {})",
        p.id.masked(),
        p.name(),
        policy.id,
        fmt_date(dates.t)
    );
    let _ = writeln!(s, "\n身份记录 identities ({}):", p.identities.len());
    for i in p.identities {
        let tier = policy.tier_of(i.category);
        let _ = writeln!(
            s,
            "  [{}] {}  {} {}  {} … {}  区划 {}  → {} (personal {}){}",
            i.source.zh(),
            at(i.origin),
            vocab.code(i.category),
            vocab.zh(i.category),
            i.known_start()
                .map(fmt_date)
                .unwrap_or_else(|| "认定日期未知 (start unknown)".into()),
            i.end.map(fmt_date).unwrap_or_else(|| "(open)".into()),
            i.county,
            tier.map(|t| policy.tiers[t].id.as_str())
                .unwrap_or("no tier: ordinary"),
            policy.personal(tier),
            if i.overlaps(dates.t, dates.t) {
                "  valid at T"
            } else {
                ""
            }
        );
    }
    let _ = writeln!(s, "\n参保记录 enrollment ({}):", p.enrollment.len());
    for r in p.enrollment {
        let _ = writeln!(
            s,
            "  {} {} {} {} 核定 `{}` 应缴 {} 实缴 {} 缴费 {}{}  {}",
            r.year,
            r.scheme.code(),
            r.county,
            r.status.zh(),
            r.rating_text,
            r.due,
            r.paid,
            r.pay_date.map(fmt_date).unwrap_or_else(|| "-".into()),
            if r.is_paid() { " (paid)" } else { "" },
            at(r.origin)
        );
    }
    if !p.history.is_empty() {
        let years: Vec<String> = p
            .history
            .iter()
            .map(|h| {
                format!(
                    "{} {} ({})",
                    h.year,
                    if h.covered { "covered" } else { "not covered" },
                    at(h.origin)
                )
            })
            .collect();
        let _ = writeln!(s, "参保历史 history: {}", years.join("; "));
    }
    match p.register {
        Some(r) => {
            let _ = writeln!(
                s,
                "\n人员库 register: 常住 {} {}, {}  {}",
                r.county,
                policy.county_name(&r.county),
                r.death
                    .map(|d| format!("死亡 {}", fmt_date(d)))
                    .unwrap_or_else(|| "无死亡记录".into()),
                at(r.origin)
            );
        }
        None if p.have_register => {
            let _ = writeln!(s, "\n人员库 register: not in the register");
        }
        None => {
            let _ = writeln!(
                s,
                "\n人员库 register: no persons file in this run (deaths unknown)"
            );
        }
    }
    for e in p.elsewhere {
        let _ = writeln!(
            s,
            "异地参保 elsewhere: {} ({})  {}",
            e.note,
            e.year
                .map(|y| y.to_string())
                .unwrap_or_else(|| "every year".into()),
            at(e.origin)
        );
    }

    let b = best(policy, p.identities, dates.t, dates.t);
    let _ = writeln!(s, "\nR1 tier at {}:", fmt_date(dates.t));
    match (b.tier, b.identity) {
        (Some(t), Some(i)) => {
            let ties: Vec<&str> = p
                .identities
                .iter()
                .filter(|o| o.overlaps(dates.t, dates.t) && o.category != i.category)
                .filter(|o| policy.personal(policy.tier_of(o.category)) == b.personal)
                .map(|o| vocab.code(o.category))
                .collect();
            let _ = writeln!(
                s,
                "  {} {} in tier {} — personal {}, the lowest of the identities valid at T{}",
                vocab.code(i.category),
                vocab.zh(i.category),
                policy.tiers[t].id,
                b.personal,
                if ties.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; ties with {} are settled by the policy's tier order",
                        ties.join(", ")
                    )
                }
            );
        }
        _ => {
            let _ = writeln!(
                s,
                "  ordinary (普通居民) — no identity with a tier is valid at T"
            );
        }
    }
    let _ = writeln!(s, "\nR2/R3 refunds:");
    for r in &v.refunds {
        let _ = writeln!(
            s,
            "  {} {} {}: {} (paid {} on {}) {}",
            r.reason.code(),
            r.reason.zh(),
            r.status.code(),
            r.amount,
            r.paid,
            r.pay_date.map(fmt_date).unwrap_or_default(),
            r.note
        );
    }
    if v.refunds.is_empty() {
        let _ = writeln!(s, "  none");
    }
    let _ = writeln!(s, "R4 re-rating:");
    for r in &v.rerating {
        let _ = writeln!(
            s,
            "  `{}` {} → {} {} (difference {}) {}",
            r.old_rating_text,
            r.old_due,
            r.new_category.map(|c| vocab.code(c)).unwrap_or("ordinary"),
            r.new_due,
            r.difference,
            r.note
        );
    }
    if v.rerating.is_empty() {
        let _ = writeln!(s, "  none");
    }
    let _ = writeln!(s, "R5 missing enrollment:");
    match &v.missing {
        Some(m) => {
            let _ = writeln!(
                s,
                "  listed: due {}, {}, dynamic enrollment {} ({})",
                m.due,
                if m.registered {
                    "登记未缴费"
                } else {
                    "未登记"
                },
                if m.dynamic_open { "open" } else { "closed" },
                m.dynamic_basis
            );
        }
        None => {
            let _ = writeln!(s, "  not listed");
        }
    }
    let _ = writeln!(s, "R6 late payment / waiting period:");
    for l in &v.late {
        let _ = writeln!(
            s,
            "  paid {} on {}: expected {}, gap {} year(s), repaired {}, benefit start {} {}",
            l.paid,
            fmt_date(l.pay_date),
            l.expected_amount,
            l.gap_years,
            l.repair_years,
            fmt_date(l.expected_start),
            l.flags()
        );
    }
    if v.late.is_empty() {
        let _ = writeln!(s, "  none (not late, no gap wait, or exempt)");
    }
    let _ = writeln!(s, "R7 transfer:");
    for t in &v.transfers {
        let _ = writeln!(
            s,
            "  recognised in {}, enrolled in {}",
            t.county, t.enrolled_county
        );
    }
    if v.transfers.is_empty() {
        let _ = writeln!(s, "  none");
    }
    let _ = writeln!(s, "R8 coverage:");
    for m in &v.coverage {
        let _ = writeln!(
            s,
            "  group {} in {}: {}",
            policy.coverage_groups[m.group].id,
            m.county,
            if m.covered { "covered" } else { "NOT covered" }
        );
    }
    if v.coverage.is_empty() {
        let _ = writeln!(s, "  in no coverage group");
    }
    let _ = writeln!(s, "R9 subsidy:");
    for x in &v.subsidy {
        let _ = writeln!(
            s,
            "  {} {} {}",
            policy.payer_name(&x.payer),
            x.amount,
            x.status.code()
        );
    }
    if v.subsidy.is_empty() {
        let _ = writeln!(s, "  none");
    }
    if let Some(c) = &v.fiscal_county {
        let _ = writeln!(s, "  counted for the fiscal subsidy in {c}");
    }
    if !v.conflicts.is_empty() {
        let _ = writeln!(s, "conflicts:");
        for c in &v.conflicts {
            let _ = writeln!(
                s,
                "  {} {}: {}",
                at(c.origin),
                c.code.code(),
                c.message.get(lang)
            );
        }
    }
    if !rejects.is_empty() {
        let _ = writeln!(s, "rejected rows with this ID:");
        for r in rejects {
            let _ = writeln!(s, "{r}");
        }
    }
    s
}
