//! `yibao-recon explain --id …`: every identity found for one person, the tier
//! chosen and why, and each rule's verdict with amounts — what an auditor needs
//! when a citizen asks "why am I on this list?".

use std::fmt::Write;
use std::path::PathBuf;

use clap::Args;

use super::inputs::InputArgs;
use crate::domain::{fmt_date, parse_person_id};
use crate::error::Result;
use crate::i18n::Lang;
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

pub fn run(args: ExplainArgs, lang: Lang) -> Result<i32> {
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
            let (file, line, code) = (
                &data.files[usize::from(r.file)].display,
                r.line,
                r.reason.code(),
            );
            let (column, raw) = (&r.column, crate::domain::mask::mask_ids_in_text(&r.raw));
            match lang {
                Lang::Zh => format!(
                    "  {file}:{line} [{code}] {column} `{raw}`：{}",
                    r.message.zh
                ),
                Lang::En => format!(
                    "  {file}:{line} [{code}] `{column}` `{raw}`: {}",
                    crate::i18n::quote_cjk(&r.message.en)
                ),
            }
        })
        .collect();
    let files: Vec<String> = data.files.iter().map(|f| f.display.clone()).collect();
    let text = match judge_one(&policy, dates, &mut data, &id) {
        Some((p, v)) => render(&policy, dates, &files, &p, &v, &rejects, lang),
        None => {
            let (none, rejected) = match lang {
                Lang::Zh => ("：各输入文件中都没有此人被接受的记录", "；被拒收的行："),
                Lang::En => (": no accepted record in any input", "; rejected rows:"),
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

/// `zh` or `en` by `lang`.
fn say<'a>(lang: Lang, zh: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// Drops the blank a line ends in when its last field (a note) was empty.
fn trim_line_end(s: &mut String) {
    if s.ends_with(" \n") {
        s.truncate(s.trim_end().len());
        s.push('\n');
    }
}

/// Text from the data (a name, a category's Chinese name, a note the rules
/// wrote): as it is in Chinese, quoted in English (issue 16).
fn data(lang: Lang, text: &str) -> String {
    match lang {
        Lang::Zh => text.to_string(),
        Lang::En if text.is_empty() => String::new(),
        Lang::En => format!("`{text}`"),
    }
}

fn render(
    policy: &Policy,
    dates: RunDates,
    files: &[String],
    p: &PersonFile<'_>,
    v: &Verdicts,
    rejects: &[String],
    lang: Lang,
) -> String {
    let mut s = String::new();
    let head = match lang {
        Lang::Zh => format!(
            "{}  {}（政策 {}，对账日期 {}）",
            p.id.masked(),
            p.name(),
            policy.id,
            fmt_date(dates.t)
        ),
        Lang::En => format!(
            "{}  {}  (policy {}, as of {})",
            p.id.masked(),
            data(lang, p.name()),
            policy.id,
            fmt_date(dates.t)
        ),
    };
    let _ = writeln!(s, "{head}");
    let at = |o: crate::ingest::Origin| format!("{}:{}", files[usize::from(o.file)], o.line);
    records(&mut s, policy, dates, &at, p, lang);
    tier_choice(&mut s, policy, dates, p, lang);
    verdicts(&mut s, policy, &at, v, lang);
    if !rejects.is_empty() {
        let _ = writeln!(
            s,
            "{}",
            say(
                lang,
                "此身份证号被拒收的行：",
                "rejected rows with this ID:"
            )
        );
        for r in rejects {
            let _ = writeln!(s, "{r}");
        }
    }
    s
}

/// The person's records: identities, enrollment rows, history, register,
/// 异地参保.
fn records(
    s: &mut String,
    policy: &Policy,
    dates: RunDates,
    at: &dyn Fn(crate::ingest::Origin) -> String,
    p: &PersonFile<'_>,
    lang: Lang,
) {
    let vocab = &policy.vocab;
    let n = p.identities.len();
    let _ = match lang {
        Lang::Zh => writeln!(s, "\n身份记录（{n} 条）："),
        Lang::En => writeln!(s, "\nidentities ({n}):"),
    };
    for i in p.identities {
        // Each identity priced in its own county at the default grade.
        let (tier, price) = priced(policy, i.county, policy.default_grade(), i.category);
        let start = i
            .known_start()
            .map(fmt_date)
            .unwrap_or_else(|| say(lang, "认定日期未知", "start unknown").to_string());
        let end = i
            .end
            .map(fmt_date)
            .unwrap_or_else(|| say(lang, "至今", "(open)").to_string());
        let tier_id = tier.map(|t| policy.tiers[t].id.as_str()).unwrap_or(say(
            lang,
            "无档次（普通居民）",
            "no tier: ordinary",
        ));
        let valid = if i.overlaps(dates.t, dates.t) {
            say(lang, "  对账日有效", "  valid at T")
        } else {
            ""
        };
        let (code, name, personal) = (
            vocab.code(i.category),
            data(lang, vocab.zh(i.category)),
            price.personal,
        );
        let _ = match lang {
            Lang::Zh => writeln!(
                s,
                "  [{}] {}  {code} {name}  {start} … {end}  区划 {}  → {tier_id}（个人缴费 {personal}）{valid}",
                i.source.zh(),
                at(i.origin),
                i.county
            ),
            Lang::En => writeln!(
                s,
                "  [{}] {}  {code} {name}  {start} … {end}  county {}  → {tier_id} (personal {personal}){valid}",
                i.source.key(),
                at(i.origin),
                i.county
            ),
        };
    }
    let n = p.enrollment.len();
    let _ = match lang {
        Lang::Zh => writeln!(s, "\n参保记录（{n} 条）："),
        Lang::En => writeln!(s, "\nenrollment ({n}):"),
    };
    for r in p.enrollment {
        // Issue 14: the row's population and grade, where the policy has grades.
        let grade = if policy.has_grades() {
            format!(" {}", data(lang, &policy.grade_label(r.grade)))
        } else {
            String::new()
        };
        let pay = r.pay_date.map(fmt_date).unwrap_or_else(|| "-".into());
        let paid = if r.is_paid() {
            say(lang, "（已缴费）", " (paid)")
        } else {
            ""
        };
        let _ = match lang {
            Lang::Zh => writeln!(
                s,
                "  {} {} {} {}{grade} 核定 `{}` 应缴 {} 实缴 {} 缴费日期 {pay}{paid}  {}",
                r.year,
                r.scheme.code(),
                r.county,
                r.status.zh(),
                r.rating_text,
                r.due,
                r.paid,
                at(r.origin)
            ),
            Lang::En => writeln!(
                s,
                "  {} {} {}{grade} status `{}` rating `{}` due {} paid {} on {pay}{paid}  {}",
                r.year,
                r.scheme.code(),
                r.county,
                r.status.zh(),
                r.rating_text,
                r.due,
                r.paid,
                at(r.origin)
            ),
        };
    }
    if !p.history.is_empty() {
        let years: Vec<String> = p
            .history
            .iter()
            .map(|h| {
                let covered = match (h.covered, lang) {
                    (true, Lang::Zh) => "已参保",
                    (false, Lang::Zh) => "未参保",
                    (true, Lang::En) => "covered",
                    (false, Lang::En) => "not covered",
                };
                format!("{} {covered} ({})", h.year, at(h.origin))
            })
            .collect();
        let _ = match lang {
            Lang::Zh => writeln!(s, "参保历史：{}", years.join("；")),
            Lang::En => writeln!(s, "history: {}", years.join("; ")),
        };
    }
    register(s, policy, at, p, lang);
    for e in p.elsewhere {
        let year = e
            .year
            .map(|y| y.to_string())
            .unwrap_or_else(|| say(lang, "各年度", "every year").to_string());
        let _ = match lang {
            Lang::Zh => writeln!(s, "异地参保：{}（{year}）  {}", e.note, at(e.origin)),
            Lang::En => writeln!(
                s,
                "enrolled elsewhere: {} ({year})  {}",
                data(lang, &e.note),
                at(e.origin)
            ),
        };
    }
}

/// The resident register's line (一人一档人员库).
fn register(
    s: &mut String,
    policy: &Policy,
    at: &dyn Fn(crate::ingest::Origin) -> String,
    p: &PersonFile<'_>,
    lang: Lang,
) {
    let line = match (p.register, lang) {
        (Some(r), Lang::Zh) => format!(
            "人员库：常住 {} {}，{}  {}",
            r.county,
            policy.county_name(&r.county),
            r.death
                .map(|d| format!("死亡日期 {}", fmt_date(d)))
                .unwrap_or_else(|| "无死亡记录".into()),
            at(r.origin)
        ),
        (Some(r), Lang::En) => format!(
            "register: resident in {} {}, {}  {}",
            r.county,
            data(lang, policy.county_name(&r.county)),
            r.death
                .map(|d| format!("died {}", fmt_date(d)))
                .unwrap_or_else(|| "no death recorded".into()),
            at(r.origin)
        ),
        (None, _) if p.have_register => say(
            lang,
            "人员库：人员库中没有此人",
            "register: not in the register",
        )
        .to_string(),
        (None, _) => say(
            lang,
            "人员库：本次没有人员库文件（不知是否已去世）",
            "register: no persons file in this run (deaths unknown)",
        )
        .to_string(),
    };
    let _ = writeln!(s, "\n{line}");
}

/// R1: the tier at T and why.
fn tier_choice(s: &mut String, policy: &Policy, dates: RunDates, p: &PersonFile<'_>, lang: Lang) {
    let vocab = &policy.vocab;
    let b = best(
        policy,
        p.identities,
        (dates.t, dates.t),
        At::own(policy),
        crate::domain::County::UNPLACED,
    );
    let t = fmt_date(dates.t);
    let _ = match lang {
        Lang::Zh => writeln!(s, "\nR1 对账日 {t} 的档次："),
        Lang::En => writeln!(s, "\nR1 tier at {t}:"),
    };
    let (Some(tier), Some(i)) = (b.tier, b.identity) else {
        let _ = writeln!(
            s,
            "  {}",
            say(
                lang,
                "普通居民：对账日没有有资助档次的有效身份",
                "ordinary: no identity with a tier is valid at T"
            )
        );
        return;
    };
    let ties: Vec<&str> = p
        .identities
        .iter()
        .filter(|o| o.overlaps(dates.t, dates.t) && o.category != i.category)
        .filter(|o| {
            priced(policy, o.county, policy.default_grade(), o.category)
                .1
                .personal
                == b.personal()
        })
        .map(|o| vocab.code(o.category))
        .collect();
    let (code, name, id) = (
        vocab.code(i.category),
        data(lang, vocab.zh(i.category)),
        &policy.tiers[tier].id,
    );
    let personal = b.personal();
    let _ = match lang {
        Lang::Zh => writeln!(
            s,
            "  {code} {name} 属 {id} 档，个人缴费 {personal}，是对账日有效身份中最低的{}",
            if ties.is_empty() {
                String::new()
            } else {
                format!("；与 {} 并列，按政策的档次顺序取", ties.join("、"))
            }
        ),
        Lang::En => writeln!(
            s,
            "  {code} {name} in tier {id} — personal {personal}, the lowest of the identities valid at T{}",
            if ties.is_empty() {
                String::new()
            } else {
                format!(
                    "; ties with {} are settled by the policy's tier order",
                    ties.join(", ")
                )
            }
        ),
    };
}

/// R2–R9 verdicts, conflicts.
fn verdicts(
    s: &mut String,
    policy: &Policy,
    at: &dyn Fn(crate::ingest::Origin) -> String,
    v: &Verdicts,
    lang: Lang,
) {
    let vocab = &policy.vocab;
    let none = say(lang, "无", "none");
    let _ = writeln!(s, "\n{}", say(lang, "R2/R3 退费：", "R2/R3 refunds:"));
    for r in &v.refunds {
        let (code, status, amount, paid) = (r.reason.code(), r.status.code(), r.amount, r.paid);
        let on = r.pay_date.map(fmt_date).unwrap_or_default();
        let _ = match lang {
            Lang::Zh => writeln!(
                s,
                "  {code} {} {status}：退 {amount}（{on} 实缴 {paid}）{}",
                r.reason.zh(),
                r.note
            ),
            Lang::En => writeln!(
                s,
                "  {code} {status}: {amount} (paid {paid} on {on}) {}",
                data(lang, &r.note)
            )
            .map(|()| trim_line_end(s)),
        };
    }
    if v.refunds.is_empty() {
        let _ = writeln!(s, "  {none}");
    }
    let _ = writeln!(s, "{}", say(lang, "R4 重新核定：", "R4 re-rating:"));
    for r in &v.rerating {
        let new =
            r.new_category
                .map(|c| vocab.code(c))
                .unwrap_or(say(lang, "普通居民", "ordinary"));
        let (old, old_due, new_due, diff) =
            (&r.old_rating_text, r.old_due, r.new_due, r.difference);
        let _ = match lang {
            Lang::Zh => writeln!(
                s,
                "  `{old}` {old_due} → {new} {new_due}（差额 {diff}）{}",
                r.note
            ),
            Lang::En => writeln!(
                s,
                "  `{old}` {old_due} → {new} {new_due} (difference {diff}) {}",
                data(lang, &r.note)
            )
            .map(|()| trim_line_end(s)),
        };
    }
    if v.rerating.is_empty() {
        let _ = writeln!(s, "  {none}");
    }
    let _ = writeln!(
        s,
        "{}",
        say(lang, "R5 应参未参：", "R5 missing enrollment:")
    );
    match &v.missing {
        Some(m) => {
            let _ = match lang {
                Lang::Zh => writeln!(
                    s,
                    "  列入名单：应缴 {}，{}，{}（{}）",
                    m.due,
                    if m.registered {
                        "登记未缴费"
                    } else {
                        "未登记"
                    },
                    if m.dynamic_open {
                        "可动态参保"
                    } else {
                        "不可动态参保"
                    },
                    m.dynamic_basis
                ),
                Lang::En => writeln!(
                    s,
                    "  listed: due {}, {}, dynamic enrollment {} ({})",
                    m.due,
                    if m.registered {
                        "registered but unpaid"
                    } else {
                        "not registered"
                    },
                    if m.dynamic_open { "open" } else { "closed" },
                    data(lang, &m.dynamic_basis)
                ),
            };
        }
        None => {
            let _ = writeln!(s, "  {}", say(lang, "不在名单上", "not listed"));
        }
    }
    late_and_after(s, policy, at, v, lang);
}

/// R6–R9 verdicts and conflicts.
fn late_and_after(
    s: &mut String,
    policy: &Policy,
    at: &dyn Fn(crate::ingest::Origin) -> String,
    v: &Verdicts,
    lang: Lang,
) {
    let none = say(lang, "无", "none");
    let _ = writeln!(
        s,
        "{}",
        say(
            lang,
            "R6 补缴及等待期：",
            "R6 late payment / waiting period:"
        )
    );
    for l in &v.late {
        let (paid, on, exp, gap, rep, start) = (
            l.paid,
            fmt_date(l.pay_date),
            l.expected_amount,
            l.gap_years,
            l.repair_years,
            fmt_date(l.expected_start),
        );
        let flags = l.flags();
        let _ = match lang {
            Lang::Zh => writeln!(
                s,
                "  {on} 实缴 {paid}：应缴标准 {exp}，连续断保 {gap} 年，已修复 {rep} 年，应享待遇开始日期 {start} {flags}"
            ),
            Lang::En => writeln!(
                s,
                "  paid {paid} on {on}: expected {exp}, gap {gap} year(s), repaired {rep}, benefit start {start} {flags}"
            ),
        };
    }
    if v.late.is_empty() {
        let _ = writeln!(
            s,
            "  {}",
            say(
                lang,
                "无（未逾期、无断缴等待期或已豁免）",
                "none (not late, no gap wait, or exempt)"
            )
        );
    }
    let _ = writeln!(s, "{}", say(lang, "R7 转移接续：", "R7 transfer:"));
    for t in &v.transfers {
        let _ = match lang {
            Lang::Zh => writeln!(s, "  认定地 {}，参保地 {}", t.county, t.enrolled_county),
            Lang::En => writeln!(
                s,
                "  recognised in {}, enrolled in {}",
                t.county, t.enrolled_county
            ),
        };
    }
    if v.transfers.is_empty() {
        let _ = writeln!(s, "  {none}");
    }
    let _ = writeln!(s, "{}", say(lang, "R8 参保率：", "R8 coverage:"));
    for m in &v.coverage {
        let group = &policy.coverage_groups[m.group].id;
        let _ = match lang {
            Lang::Zh => writeln!(
                s,
                "  人群 {group}（{}）：{}",
                m.county,
                if m.covered { "已参保" } else { "未参保" }
            ),
            Lang::En => writeln!(
                s,
                "  group {group} in {}: {}",
                m.county,
                if m.covered { "covered" } else { "NOT covered" }
            ),
        };
    }
    if v.coverage.is_empty() {
        let _ = writeln!(
            s,
            "  {}",
            say(lang, "不属于任何参保率统计人群", "in no coverage group")
        );
    }
    let _ = writeln!(s, "{}", say(lang, "R9 资助：", "R9 subsidy:"));
    for x in &v.subsidy {
        let _ = writeln!(
            s,
            "  {} {} {}",
            data(lang, policy.payer_name(&x.payer)),
            x.amount,
            x.status.code()
        );
    }
    if v.subsidy.is_empty() {
        let _ = writeln!(s, "  {none}");
    }
    if let Some(c) = &v.fiscal_county {
        let _ = match lang {
            Lang::Zh => writeln!(s, "  计入 {c} 的财政补助人数"),
            Lang::En => writeln!(s, "  counted for the fiscal subsidy in {c}"),
        };
    }
    if !v.conflicts.is_empty() {
        let _ = writeln!(s, "{}", say(lang, "待核实：", "conflicts:"));
        for c in &v.conflicts {
            let _ = writeln!(
                s,
                "  {} {}: {}",
                at(c.origin),
                c.code.code(),
                match lang {
                    Lang::Zh => c.message.zh.clone(),
                    Lang::En => crate::i18n::quote_cjk(&c.message.en),
                }
            );
        }
    }
}
