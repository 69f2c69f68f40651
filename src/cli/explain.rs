//! `yibao-recon explain --id …`: every identity found for one person, the tier
//! chosen and why, and each rule's verdict with amounts — what an auditor needs
//! when a citizen asks "why am I on this list?".

use std::fmt::Write;
use std::path::PathBuf;

use clap::Args;

use super::inputs::InputArgs;
use crate::domain::{fmt_date, parse_person_id};
use crate::error::Result;
use crate::ingest::{ingest_for, ParseCtx, SpillOpts, Want};
use crate::pipeline::load_schemas;
use crate::policy::Policy;
use crate::progress::Progress;
use crate::rules::tier::{best, priced, At};
use crate::rules::{judge_one, PersonFile, RunDates, Verdicts};

const EXAMPLE: &str = "示例 Example:
  yibao-recon explain --id 640104196804121025 --policy policies/ningxia-2026.toml --as-of 2026-01-31 \\
      --enrollment sample_data/ningxia/enrollment.csv --civil sample_data/ningxia/civil.csv
  yibao-recon explain --id 640104196804121025 --job jobs/ningxia-sample.toml";

#[derive(Debug, Args)]
#[command(after_help = EXAMPLE)]
pub struct ExplainArgs {
    /// 此人的身份证号（15 或 18 位均可） The person's ID number (15 or 18 digits, wrappers stripped).
    #[arg(long, help_heading = super::H_PERSON)]
    pub id: String,
    /// 证件类型（不是居民身份证时填写，默认 01） Document type when not a resident ID card.
    #[arg(long, default_value = "01", help_heading = super::H_PERSON)]
    pub doc_type: String,
    /// 从作业文件读取政策、对账日期和输入 Take policy, as-of date and inputs from a run's job file.
    #[arg(long, help_heading = super::H_IN, conflicts_with_all = ["policy", "as_of"])]
    pub job: Option<PathBuf>,
    /// 政策文件 Policy file.
    #[arg(long, help_heading = super::H_POLICY, required_unless_present = "job")]
    pub policy: Option<PathBuf>,
    /// 对账日期，如 2026-01-31  The as-of date, e.g. 2026-01-31.
    #[arg(long, value_name = "YYYY-MM-DD", help_heading = super::H_POLICY, required_unless_present = "job")]
    pub as_of: Option<String>,
    #[command(flatten)]
    pub inputs: InputArgs,
    /// 列名别名表目录（默认用程序内置的一份） Directory of schema tables (default: built in).
    #[arg(long, help_heading = super::H_IN)]
    pub schemas: Option<PathBuf>,
    /// 对账台账（只读；未注明日期的名单按台账中的开始日期） The run's ledger, so an
    /// undated roster's identity gets the start the run gave it (default with
    /// --job: the job's ledger, if it exists). Read only.
    #[arg(long, help_heading = super::H_IN)]
    pub ledger: Option<PathBuf>,
}

pub fn run(args: ExplainArgs, lang: crate::i18n::Lang) -> Result<i32> {
    let mut ledger = args.ledger.clone();
    let (policy_path, as_of, inputs, schemas_dir) = match &args.job {
        Some(job) => {
            crate::error::PathProblem::check("--job", job)?;
            let cfg = crate::job::load(job)?;
            if ledger.is_none() {
                ledger = Some(cfg.ledger_path()).filter(|p| p.is_file());
            }
            (cfg.policy, cfg.as_of, cfg.inputs, cfg.schemas_dir)
        }
        None => (
            args.policy.clone().ok_or_else(|| {
                crate::error::usage("缺少 --policy（或用 --job）", "--policy is required")
            })?,
            super::as_of_arg(&args.as_of.clone().ok_or_else(|| {
                crate::error::usage("缺少 --as-of（或用 --job）", "--as-of is required")
            })?)?,
            args.inputs.into_specs(),
            args.schemas.clone(),
        ),
    };
    super::inputs::check_paths(&policy_path, &inputs, args.job.as_deref())?;
    let schemas = load_schemas(schemas_dir.as_deref())?;
    let policy = Policy::load(&policy_path, &schemas.vocab)?;
    let id = parse_person_id(&args.id, &args.doc_type, as_of).map_err(|e| {
        crate::error::usage(
            format!("--id 不是有效的证件号（{e:?}），请核对号码"),
            format!("--id is not a valid ID ({e:?}); check the digits"),
        )
    })?;
    let ctx = ParseCtx {
        vocab: &policy.vocab,
        as_of,
        region_prefix: Some(&policy.region_prefix),
        policy_year: Some(policy.year),
        policy: Some(&policy),
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
        None => {
            let (none, rejected) = match lang {
                crate::i18n::Lang::Zh => ("：各输入文件中都没有此人被接受的记录", "；被拒收的行："),
                crate::i18n::Lang::En => (": no accepted record in any input", "; rejected rows:"),
            };
            format!(
                "{}{none}{}\n{}",
                id.masked(),
                if rejects.is_empty() { "" } else { rejected },
                rejects.join("\n")
            )
        }
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
    let word = |zh: &'static str, en: &'static str| match lang {
        crate::i18n::Lang::Zh => zh,
        crate::i18n::Lang::En => en,
    };
    let none = word("无", "none");
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
        // Each identity priced in its own county at the default grade.
        let (tier, price) = priced(policy, &i.county, policy.default_grade(), i.category);
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
            price.personal,
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

    let b = best(
        policy,
        p.identities,
        (dates.t, dates.t),
        At::own(policy),
        crate::domain::County::UNPLACED,
    );
    let _ = writeln!(s, "\nR1 tier at {}:", fmt_date(dates.t));
    match (b.tier, b.identity) {
        (Some(t), Some(i)) => {
            let ties: Vec<&str> = p
                .identities
                .iter()
                .filter(|o| o.overlaps(dates.t, dates.t) && o.category != i.category)
                .filter(|o| {
                    priced(policy, &o.county, policy.default_grade(), o.category)
                        .1
                        .personal
                        == b.personal()
                })
                .map(|o| vocab.code(o.category))
                .collect();
            let _ = writeln!(
                s,
                "  {} {} in tier {} — personal {}, the lowest of the identities valid at T{}",
                vocab.code(i.category),
                vocab.zh(i.category),
                policy.tiers[t].id,
                b.personal(),
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
        let _ = writeln!(s, "  {none}");
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
        let _ = writeln!(s, "  {none}");
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
            let _ = writeln!(s, "  {}", word("不在名单上", "not listed"));
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
        let _ = writeln!(
            s,
            "  {}",
            word(
                "无（未逾期、无断缴等待期或已豁免）",
                "none (not late, no gap wait, or exempt)"
            )
        );
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
        let _ = writeln!(s, "  {none}");
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
        let _ = writeln!(
            s,
            "  {}",
            word("不属于任何参保率统计组", "in no coverage group")
        );
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
        let _ = writeln!(s, "  {none}");
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
