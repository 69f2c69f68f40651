//! `report.html`: the clerk's dashboard (看板) for one run — one self-contained
//! page (inline CSS and inline SVG, no script, no network) with the headline
//! numbers, every list's row count and money totals, coverage of each policy
//! group per county against its target, the reject and conflict reasons, and
//! links to every CSV of the run.
//!
//! The page is deterministic (no timestamps) and every text that comes from
//! data or a policy file is HTML-escaped. Coverage numbers are printed exactly
//! as `coverage.csv` prints them, and each coverage row carries `data-*` hooks
//! (`data-group`, `data-county`, `data-rate`, `data-base`, `data-covered`,
//! `data-needed`, `data-target`, `data-meets`) for tests and tools.

use std::collections::BTreeMap;
use std::fmt::Write;

use chrono::NaiveDate;

use super::csv_out::ReportTable;
use super::ledgers::TOTAL;
use crate::domain::{fmt_date, Fen};
use crate::ingest::Ingested;
use crate::policy::{CoverageKind, Policy};
use crate::rules::subsidy::SubsidyStatus;
use crate::rules::{CoverageRow, Outcome, RefundStatus};

/// Escapes text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The rate as `coverage.csv` prints it (`73.68`; empty for an empty base).
fn rate_text(r: &CoverageRow) -> String {
    r.rate_centi_percent()
        .map(|c| format!("{}.{:02}", c / 100, c % 100))
        .unwrap_or_default()
}

/// `1,680.00 元`
fn yuan(f: Fen) -> String {
    format!("{} 元", f.grouped())
}

/// What each report is and what the clerk does with it.
fn describe(file: &str) -> (&'static str, &'static str) {
    match file {
        "refunds.csv" => (
            "退费名单",
            "可退费行交税务部门办理退费；待复核行先人工确认；已过期限行不再受理",
        ),
        "rerating.csv" => (
            "重新核定名单",
            "在参保系统中按新核定类别和新应缴金额更正未缴费记录",
        ),
        "missing_enrollment.csv" => ("应参未参名单", "交乡镇街道、村社区逐人动员参保（促保名单）"),
        "transfers.csv" => (
            "转移接续名单",
            "与参保地医保局核实，必要时办理转移或更正认定地",
        ),
        "late_payment.csv" => (
            "补缴及等待期核查",
            "核对金额不符、待遇开始日期不符的记录并更正",
        ),
        "coverage.csv" => ("参保率", "未达标区县见下方参保率图表"),
        "subsidy_detail.csv" => ("资助明细", "逐人资助金额，供资助方核对"),
        "subsidy_ledger.csv" => ("资助台账", "按区县×资助方汇总，报各资助方结算"),
        "fiscal_ledger.csv" => ("财政补助分担", "按区县、各级财政分担，报财政部门"),
        "rejects.csv" => ("拒收清单", "按原因退回来源部门更正后重新导出，下月重跑"),
        "conflicts.csv" => ("待核实清单", "逐条人工核实，必要时更正来源数据"),
        "changes.csv" => (
            "变动清单",
            "与上次对账相比新增、已解决、已退费和有变化的条目；新增的逐条办理",
        ),
        _ => ("", ""),
    }
}

/// A reject reason in Chinese, and what to do about it.
pub(crate) fn reject_text(code: &str) -> (&'static str, &'static str) {
    match code {
        "ID_LENGTH" => (
            "身份证号位数或字符不对",
            "核对原始证件，补全为 18 位（末位可为 X）后由来源部门重新导出",
        ),
        "ID_CHECKSUM" => (
            "身份证号校验位不符",
            "多为某一位录入错误；XLSX 导出时注意 Excel 只保留 15 位有效数字",
        ),
        "ID_BIRTHDATE" => (
            "身份证号中的出生日期不存在",
            "核对证件第 7–14 位出生日期，更正后重新导出",
        ),
        "ID_REGION" => ("身份证号省级代码不存在", "核对证件前两位，更正录入错误"),
        "MISSING_FIELD" => ("必填项为空", "请来源部门补全该列后重新导出"),
        "BAD_DATE" => ("日期无法识别", "改为 2026-01-31 或 20260131 等格式"),
        "BAD_AMOUNT" => ("金额无法识别", "改为 400 或 400.00 等格式，不能为负"),
        "UNKNOWN_CATEGORY" => (
            "身份类别文字无法识别",
            "改用标准名称，或在政策文件中增加别名",
        ),
        "DATE_ORDER" => ("终止日期早于起始日期", "核对认定日期与退出日期"),
        "DISABILITY_CERT_MISMATCH" => (
            "残疾等级/类别与残疾人证号不符",
            "以残疾人证号末两位为准，请残联核对",
        ),
        "OUT_OF_REGION" => (
            "区划代码不在本统筹区",
            "核实是否本地人员；外地人员交其所在地处理",
        ),
        "BROKEN_QUOTE" => (
            "该行有未配对的英文双引号",
            "请来源部门删去多余的引号后重新导出；其他行照常读取",
        ),
        "ID_DIGITS_LOST" => (
            "身份证号被 Excel 存成数字，后几位已丢失",
            "把该列设为“文本”格式后重新录入或导出",
        ),
        "ROW_TOO_WIDE" => ("该行列数超过 16384", "检查分隔符是否错乱，删去多余的列"),
        "UNKNOWN_GRADE" => (
            "缴费档次或人员类别无法识别",
            "改用政策文件所列的档次、人员类别名称，或在政策文件中增加别名",
        ),
        _ => ("", ""),
    }
}

/// A conflict code in Chinese, and what to do about it.
pub(crate) fn conflict_text(code: &str) -> (&'static str, &'static str) {
    match code {
        "NAME_MISMATCH" => (
            "同一身份证号姓名不一致",
            "核实正确姓名，更正有误的一方（报表以参保缴费记录为准）",
        ),
        "UNKNOWN_RATING" => (
            "核定类别无法识别（按普通居民处理）",
            "在参保系统中更正核定类别",
        ),
        "UNSUPPORTED_RATING" => (
            "按资助档缴费但找不到对应身份",
            "人工复核该资助是否有依据；本工具不会向群众追缴",
        ),
        "UNKNOWN_DYNAMIC_GROUP" => (
            "动态参保类别无法识别",
            "改用政策文件中列出的动态参保类别名称",
        ),
        _ => ("", ""),
    }
}

pub(crate) const CSS: &str = r#"
*{box-sizing:border-box}
body{margin:0;padding:24px 32px;font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC","WenQuanYi Micro Hei",sans-serif;font-size:14px;line-height:1.5;color:#1f2933;background:#f5f7fa}
main{max-width:1200px;margin:0 auto}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:18px;margin:28px 0 10px;padding-bottom:4px;border-bottom:2px solid #d9e2ec}
h3{font-size:15px;margin:18px 0 6px}
p.meta{margin:0;color:#52606d}
.note{background:#fff8db;border:1px solid #f0c36d;padding:8px 12px;border-radius:4px;margin:12px 0}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{background:#fff;border:1px solid #d9e2ec;border-radius:6px;padding:10px 14px;min-width:170px}
.card .k{color:#52606d;font-size:13px}
.card .v{font-size:20px;font-weight:bold}
.card.bad{border-color:#e03131;background:#fff5f5}
.card.bad .v{color:#c92a2a}
.card.good .v{color:#2b8a3e}
table{border-collapse:collapse;background:#fff;margin:6px 0 12px;width:100%}
th,td{border:1px solid #d9e2ec;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef2f7;font-weight:bold}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.below td{background:#fff0f0}
tr.total td{font-weight:bold}
.flag{color:#c92a2a;font-weight:bold}
.ok{color:#2b8a3e}
.legend{color:#52606d;font-size:13px}
.sw{display:inline-block;width:12px;height:12px;vertical-align:-1px;margin:0 4px 0 10px}
svg.chart{display:block;background:#fff;border:1px solid #d9e2ec;border-radius:4px;max-width:100%;height:auto}
svg.chart text{font-size:13px;fill:#1f2933}
svg.chart text.below{fill:#c92a2a;font-weight:bold}
svg.chart text.axis{fill:#7b8794;font-size:11px}
svg.chart text.target{fill:#b35c00;font-size:12px;font-weight:bold}
footer{margin-top:32px;color:#7b8794;font-size:12px}
a{color:#1864ab}
"#;

const GOOD: &str = "#2b8a3e";
const BAD: &str = "#e03131";
const TARGET: &str = "#e8590c";

/// The dashboard page of one run (`report.html`).
pub fn dashboard(
    policy: &Policy,
    as_of: NaiveDate,
    tables: &[ReportTable],
    outcome: &Outcome,
    data: &Ingested,
) -> String {
    let warnings = super::warnings::collect(&super::warnings::Facts {
        data,
        as_of,
        policy_year: policy.year,
        have_register: outcome.have_register,
        previous: None,
    });
    dashboard_with_workbooks(policy, as_of, tables, outcome, data, &[], &warnings)
}

/// The dashboard, its file list naming each county's workbook (issue 15:
/// file relative to the output directory, rows).
pub fn dashboard_with_workbooks(
    policy: &Policy,
    as_of: NaiveDate,
    tables: &[ReportTable],
    outcome: &Outcome,
    data: &Ingested,
    workbooks: &[(&str, usize)],
    warnings: &[super::warnings::Warning],
) -> String {
    let mut h = String::with_capacity(32 * 1024);
    let region = esc(&policy.region_name);
    let as_of = fmt_date(as_of);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{region} 居民医保参保对账看板 · {} · {as_of}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n",
        esc(&policy.id)
    );
    let _ = writeln!(
        h,
        "<header>\n<h1>{region}（{}）城乡居民医保参保对账看板</h1>\n\
         <p class=\"meta\">政策 <b>{}</b>（{}） · 参保年度 {} · 对账日期（as-of） <b>{as_of}</b></p>\n</header>",
        esc(&policy.region_code),
        esc(&policy.id),
        esc(&policy.source),
        policy.year,
    );
    // Issue 16: the run's warnings (no persons file among them) on top.
    h.push_str(&super::warnings::html_box(warnings, esc));
    headline(&mut h, policy, outcome, data);
    lists_section(&mut h, policy, tables, outcome);
    coverage_section(&mut h, policy, outcome);
    rejects_section(&mut h, data, outcome);
    inputs_section(&mut h, data);
    files_section(&mut h, tables, workbooks);
    let _ = writeln!(
        h,
        "<footer>由 {} {} 生成 · 本页不联网、不含脚本，可直接用浏览器打开或打印 · 金额单位：元</footer>\n</main>\n</body>\n</html>",
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_VERSION")
    );
    h
}

fn refund_sum(outcome: &Outcome, status: RefundStatus) -> (usize, Fen) {
    let v: Vec<Fen> = outcome
        .refunds
        .iter()
        .filter(|r| r.status == status)
        .map(|r| r.amount)
        .collect();
    (v.len(), v.into_iter().sum())
}

fn headline(h: &mut String, policy: &Policy, outcome: &Outcome, data: &Ingested) {
    h.push_str("<section id=\"headline\" class=\"cards\">\n");
    let card = |h: &mut String, class: &str, k: &str, v: String| {
        let _ = writeln!(
            h,
            "<div class=\"card {class}\"><div class=\"k\">{}</div><div class=\"v\">{}</div></div>",
            esc(k),
            esc(&v)
        );
    };
    let (n, amount) = refund_sum(outcome, RefundStatus::Payable);
    card(
        h,
        "",
        "可退费（交税务）",
        format!("{n} 笔 · {}", yuan(amount)),
    );
    let due: Fen = outcome.missing.iter().map(|m| m.due).sum();
    card(
        h,
        "",
        "应参未参",
        format!("{} 人 · 应缴 {}", outcome.missing.len(), yuan(due)),
    );
    card(h, "", "重新核定", format!("{} 笔", outcome.rerating.len()));
    let rejects = data.rejects.len();
    card(
        h,
        if rejects > 0 { "bad" } else { "good" },
        "拒收行（退回来源部门）",
        format!("{rejects} 行"),
    );
    for r in outcome.coverage.iter().filter(|r| r.county.is_none()) {
        let g = &policy.coverage_groups[r.group];
        let rate = rate_text(r);
        let class = if r.meets_target() { "good" } else { "bad" };
        let v = if rate.is_empty() {
            "无人".to_string()
        } else {
            format!("{rate}%（目标 {}%）", r.target_percent)
        };
        card(h, class, &format!("参保率 · {}", g.name), v);
    }
    h.push_str("</section>\n");
}

fn lists_section(h: &mut String, policy: &Policy, tables: &[ReportTable], outcome: &Outcome) {
    h.push_str(
        "<section id=\"lists\">\n<h2>本月各清单：行数与金额</h2>\n<table>\n\
         <thead><tr><th>清单</th><th>行数</th><th>金额与分项</th><th>下一步</th></tr></thead>\n<tbody>\n",
    );
    for t in tables {
        let (zh, action) = describe(t.file);
        let detail = list_detail(t.file, policy, outcome);
        let title = if zh.is_empty() {
            esc(t.file)
        } else {
            format!("{}<br><small>{}</small>", esc(zh), esc(t.file))
        };
        let _ = writeln!(
            h,
            "<tr data-file=\"{}\" data-rows=\"{}\"><td><a href=\"{}\">{title}</a></td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
            esc(t.file),
            t.rows.len(),
            esc(t.file),
            t.rows.len(),
            esc(&detail),
            esc(action)
        );
    }
    h.push_str("</tbody>\n</table>\n");

    // Subsidy by payer × status.
    let mut by_payer: BTreeMap<(&str, SubsidyStatus), (u64, Fen)> = BTreeMap::new();
    for s in &outcome.subsidy {
        let e = by_payer.entry((s.payer.as_str(), s.status)).or_default();
        e.0 += 1;
        e.1 = e.1 + s.amount;
    }
    h.push_str("<h3 id=\"subsidy\">资助金额（按资助方）</h3>\n");
    if by_payer.is_empty() {
        h.push_str("<p>本次没有资助记录。</p>\n");
    } else {
        h.push_str(
            "<table>\n<thead><tr><th>资助方</th><th>资助状态</th><th>人数</th><th>资助金额（元）</th></tr></thead>\n<tbody>\n",
        );
        for ((payer, status), (n, amount)) in &by_payer {
            let _ = writeln!(
                h,
                "<tr data-payer=\"{}\" data-status=\"{}\" data-amount=\"{amount}\"><td>{}</td><td>{}</td><td class=\"n\">{n}</td><td class=\"n\">{}</td></tr>",
                esc(payer),
                status.code(),
                esc(policy.payer_name(payer)),
                status.zh(),
                amount.grouped(),
            );
        }
        h.push_str("</tbody>\n</table>\n");
    }
    h.push_str("</section>\n");
}

/// The money and sub-counts of one list, in one line of Chinese.
fn list_detail(file: &str, policy: &Policy, o: &Outcome) -> String {
    let count =
        |f: &dyn Fn(&crate::rules::LateItem) -> bool| o.late.iter().filter(|x| f(x)).count();
    match file {
        "refunds.csv" => {
            let total: Fen = o.refunds.iter().map(|r| r.amount).sum();
            let (pn, pa) = refund_sum(o, RefundStatus::Payable);
            let (rn, ra) = refund_sum(o, RefundStatus::Review);
            let (en, ea) = refund_sum(o, RefundStatus::Expired);
            format!(
                "退费合计 {}；可退费 {pn} 笔 {}；待复核 {rn} 笔 {}；已过期限 {en} 笔 {}",
                yuan(total),
                yuan(pa),
                yuan(ra),
                yuan(ea)
            )
        }
        "rerating.csv" => {
            let total: Fen = o.rerating.iter().map(|r| r.difference).sum();
            let up: Fen = o
                .rerating
                .iter()
                .map(|r| r.difference)
                .filter(|d| d.0 > 0)
                .sum();
            let down: Fen = o
                .rerating
                .iter()
                .map(|r| r.difference)
                .filter(|d| d.0 < 0)
                .sum();
            format!(
                "差额合计 {}（应缴增加 {}，应缴减少 {}）",
                yuan(total),
                yuan(up),
                yuan(down)
            )
        }
        "missing_enrollment.csv" => {
            let due: Fen = o.missing.iter().map(|m| m.due).sum();
            let unregistered = o.missing.iter().filter(|m| !m.registered).count();
            let open = o.missing.iter().filter(|m| m.dynamic_open).count();
            let newborn = o.missing.iter().filter(|m| m.newborn).count();
            format!(
                "应缴合计 {}；未登记 {unregistered} 人，登记未缴费 {} 人；可动态参保 {open} 人；新生儿 {newborn} 人",
                yuan(due),
                o.missing.len() - unregistered
            )
        }
        "transfers.csv" => {
            let paid = o.transfers.iter().filter(|t| t.paid).count();
            format!("已缴费 {paid} 人，未缴费 {} 人", o.transfers.len() - paid)
        }
        "late_payment.csv" => format!(
            "集中征缴期后缴费 {} 人；金额不符 {}；待遇开始日期不符 {}；无历史记录 {}",
            count(&|x| x.late),
            count(&|x| x.amount_mismatch),
            count(&|x| x.start_mismatch),
            count(&|x| x.no_history)
        ),
        "coverage.csv" => {
            let below = o.coverage.iter().filter(|r| !r.meets_target()).count();
            let groups = o.coverage.iter().filter(|r| r.county.is_none()).count();
            format!("{groups} 个人群；{below} 行低于目标（含合计行）")
        }
        "subsidy_detail.csv" | "subsidy_ledger.csv" => {
            let sum = |st: SubsidyStatus| -> Fen {
                o.subsidy
                    .iter()
                    .filter(|s| s.status == st)
                    .map(|s| s.amount)
                    .sum()
            };
            let settled = sum(SubsidyStatus::Settled);
            let pending = sum(SubsidyStatus::PendingReview);
            format!(
                "资助合计 {}（已确定 {}，待复核 {}）",
                yuan(settled + pending),
                yuan(settled),
                yuan(pending)
            )
        }
        "fiscal_ledger.csv" => match &policy.fiscal {
            Some(f) => {
                let (mut n, mut full, mut adv) = (0u64, Fen::ZERO, Fen::ZERO);
                for persons in o.fiscal_persons.values() {
                    let total = f.per_capita.times(*persons);
                    n += persons;
                    full = full + total;
                    adv = adv + total.share(f.advance_percent, 100);
                }
                format!(
                    "{n} 人 × {} = 全年 {}；预拨 {}% 合计 {}",
                    yuan(f.per_capita),
                    yuan(full),
                    f.advance_percent,
                    yuan(adv)
                )
            }
            None => String::new(),
        },
        "rejects.csv" => String::from("拒收原因见下方“拒收原因”"),
        "conflicts.csv" => String::from("问题代码见下方“待核实问题”"),
        _ => String::new(),
    }
}

// Chart geometry (SVG user units).
const W: u32 = 960;
const LABEL_W: u32 = 200;
const BAR_X: u32 = 210;
const BAR_W: u32 = 500;
const ROW_H: u32 = 26;
const TOP: u32 = 40;

fn coverage_section(h: &mut String, policy: &Policy, outcome: &Outcome) {
    h.push_str("<section id=\"coverage\">\n<h2>参保率（按人群、区县，对照目标）</h2>\n");
    let _ = writeln!(
        h,
        "<p class=\"legend\">图例：<span class=\"sw\" style=\"background:{GOOD}\"></span>达到目标\
         <span class=\"sw\" style=\"background:{BAD}\"></span>低于目标（并标注“未达标”）\
         <span class=\"sw\" style=\"background:{TARGET};height:3px\"></span>目标线。\
         数字与 coverage.csv 一致：参保率保留两位小数，“还差”为距目标还差人数。</p>"
    );
    for (g, group) in policy.coverage_groups.iter().enumerate() {
        let rows: Vec<&CoverageRow> = outcome.coverage.iter().filter(|r| r.group == g).collect();
        let _ = writeln!(
            h,
            "<div class=\"group\" id=\"group-{}\" data-group=\"{}\">\n<h3>{}（{}） · 目标 {}%</h3>",
            esc(&group.id),
            esc(&group.id),
            esc(&group.name),
            esc(&group.id),
            group.target_percent
        );
        if rows.is_empty() {
            let why = if group.kind != CoverageKind::Categories && !outcome.have_register {
                "本次未提供一人一档人员库，无法计算该人群。"
            } else {
                "本次该人群无人。"
            };
            let _ = writeln!(h, "<p>{why}</p>\n</div>");
            continue;
        }
        let below: Vec<String> = rows
            .iter()
            .filter(|r| !r.meets_target())
            .filter_map(|r| r.county.as_deref())
            .map(|c| county_label(policy, c))
            .collect();
        if below.is_empty() {
            h.push_str("<p class=\"ok\">各区县均达到目标。</p>\n");
        } else {
            let _ = writeln!(
                h,
                "<p class=\"flag\">低于目标的区县（{}个）：{}</p>",
                below.len(),
                esc(&below.join("、"))
            );
        }
        chart(h, policy, group, &rows);
        coverage_table(h, policy, group, &rows);
        h.push_str("</div>\n");
    }
    h.push_str("</section>\n");
}

fn county_label(policy: &Policy, code: &str) -> String {
    if code == TOTAL {
        return "合计".into();
    }
    match policy.county_name(code) {
        "" => code.to_string(),
        name => format!("{name} {code}"),
    }
}

fn chart(
    h: &mut String,
    policy: &Policy,
    group: &crate::policy::CoverageGroup,
    rows: &[&CoverageRow],
) {
    let n = rows.len() as u32;
    let height = TOP + n * ROW_H + 12;
    let x_of =
        |centi: u64| f64::from(BAR_X) + f64::from(BAR_W) * (centi.min(10_000) as f64) / 10_000.0;
    let _ = writeln!(
        h,
        "<svg class=\"chart\" width=\"{W}\" height=\"{height}\" viewBox=\"0 0 {W} {height}\" role=\"img\" aria-label=\"{} 各区县参保率与目标 {}%\">",
        esc(&group.name),
        group.target_percent
    );
    // Axis: grid lines and ticks every 25%.
    for pct in [0u64, 25, 50, 75, 100] {
        let x = x_of(pct * 100);
        let _ = writeln!(
            h,
            "<line x1=\"{x:.1}\" y1=\"{}\" x2=\"{x:.1}\" y2=\"{}\" stroke=\"#e4e7eb\" stroke-width=\"1\"/>\
             <text class=\"axis\" x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\">{pct}%</text>",
            TOP - 6,
            TOP + n * ROW_H,
            TOP - 10
        );
    }
    for (i, r) in rows.iter().enumerate() {
        let y = TOP + i as u32 * ROW_H;
        let below = !r.meets_target();
        let is_total = r.county.is_none();
        if is_total {
            let _ = writeln!(
                h,
                "<line x1=\"0\" y1=\"{y}\" x2=\"{W}\" y2=\"{y}\" stroke=\"#9aa5b1\" stroke-width=\"1\"/>"
            );
        }
        if below {
            let _ = writeln!(
                h,
                "<rect x=\"0\" y=\"{}\" width=\"{W}\" height=\"{}\" fill=\"#fff0f0\"/>",
                y + 1,
                ROW_H - 2
            );
        }
        let code = r.county.as_deref().unwrap_or(TOTAL);
        let label = county_label(policy, code);
        let weight = if is_total {
            " font-weight=\"bold\""
        } else {
            ""
        };
        let _ = writeln!(
            h,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\"{weight}>{}</text>",
            LABEL_W,
            y + 18,
            esc(&label)
        );
        let colour = if below { BAD } else { GOOD };
        let rate = rate_text(r);
        if let Some(centi) = r.rate_centi_percent() {
            let w = x_of(centi) - f64::from(BAR_X);
            let _ = writeln!(
                h,
                "<rect class=\"bar{}\" x=\"{BAR_X}\" y=\"{}\" width=\"{w:.1}\" height=\"16\" fill=\"{colour}\"><title>{}：{rate}%</title></rect>",
                if below { " below" } else { "" },
                y + 5,
                esc(&label)
            );
        }
        let text = if rate.is_empty() {
            "无人".to_string()
        } else {
            format!("{rate}%  {}/{}", r.covered, r.base)
        };
        let mark = if below {
            format!("  ▼ 未达标，还差 {} 人", r.needed())
        } else {
            String::new()
        };
        let _ = writeln!(
            h,
            "<text{} x=\"{}\" y=\"{}\">{}{}</text>",
            if below { " class=\"below\"" } else { "" },
            BAR_X + BAR_W + 10,
            y + 18,
            esc(&text),
            esc(&mark)
        );
    }
    // The target line, drawn last so it sits over the bars.
    let tx = x_of(u64::from(group.target_percent) * 100);
    let _ = writeln!(
        h,
        "<line x1=\"{tx:.1}\" y1=\"{}\" x2=\"{tx:.1}\" y2=\"{}\" stroke=\"{TARGET}\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/>\
         <text class=\"target\" x=\"{tx:.1}\" y=\"14\" text-anchor=\"middle\">目标 {}%</text>",
        TOP - 20,
        TOP + n * ROW_H + 4,
        group.target_percent
    );
    h.push_str("</svg>\n");
}

fn coverage_table(
    h: &mut String,
    policy: &Policy,
    group: &crate::policy::CoverageGroup,
    rows: &[&CoverageRow],
) {
    h.push_str(
        "<table class=\"coverage\">\n<thead><tr><th>区县</th><th>区划代码</th><th>应参保人数</th><th>已参保人数</th>\
         <th>参保率(%)</th><th>目标(%)</th><th>距目标还差人数</th><th>是否达标</th></tr></thead>\n<tbody>\n",
    );
    for r in rows {
        let code = r.county.as_deref().unwrap_or(TOTAL);
        let name = if r.county.is_some() {
            policy.county_name(code)
        } else {
            "合计"
        };
        let rate = rate_text(r);
        let below = !r.meets_target();
        let mut class = Vec::new();
        if below {
            class.push("below");
        }
        if r.county.is_none() {
            class.push("total");
        }
        let class = if class.is_empty() {
            String::new()
        } else {
            format!(" class=\"{}\"", class.join(" "))
        };
        let meets = if below { "否" } else { "是" };
        let verdict = if below {
            "<span class=\"flag\">否（未达标）</span>"
        } else {
            "是"
        };
        let _ = writeln!(
            h,
            "<tr{class} data-group=\"{}\" data-county=\"{}\" data-county-name=\"{}\" data-rate=\"{rate}\" data-base=\"{}\" \
             data-covered=\"{}\" data-target=\"{}\" data-needed=\"{}\" data-meets=\"{meets}\">\
             <td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td>{verdict}</td></tr>",
            esc(&group.id),
            esc(code),
            esc(name),
            r.base,
            r.covered,
            r.target_percent,
            r.needed(),
            esc(name),
            esc(code),
            r.base,
            r.covered,
            if rate.is_empty() { "—" } else { rate.as_str() },
            r.target_percent,
            r.needed(),
        );
    }
    h.push_str("</tbody>\n</table>\n");
}

fn rejects_section(h: &mut String, data: &Ingested, outcome: &Outcome) {
    let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &data.rejects {
        *reasons.entry(r.reason.code()).or_default() += 1;
    }
    let mut sorted: Vec<(&str, usize)> = reasons.into_iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let _ = writeln!(
        h,
        "<section id=\"rejects\">\n<h2>拒收原因（共 {} 行，详见 <a href=\"rejects.csv\">rejects.csv</a>）</h2>",
        data.rejects.len()
    );
    if sorted.is_empty() {
        h.push_str("<p class=\"ok\">本次没有拒收行。</p>\n");
    } else {
        h.push_str(
            "<table>\n<thead><tr><th>原因代码</th><th>含义</th><th>行数</th><th>怎么处理</th></tr></thead>\n<tbody>\n",
        );
        for (code, n) in &sorted {
            let (zh, todo) = reject_text(code);
            let _ = writeln!(
                h,
                "<tr data-reason=\"{}\" data-count=\"{n}\"><td><code>{}</code></td><td>{}</td><td class=\"n\">{n}</td><td>{}</td></tr>",
                esc(code),
                esc(code),
                esc(zh),
                esc(todo)
            );
        }
        h.push_str("</tbody>\n</table>\n");
    }

    let mut conflicts: BTreeMap<&str, usize> = BTreeMap::new();
    for c in data.conflicts.iter().chain(outcome.conflicts.iter()) {
        *conflicts.entry(c.code.code()).or_default() += 1;
    }
    let total: usize = conflicts.values().sum();
    let _ = writeln!(
        h,
        "<h3>待核实问题（共 {total} 行，详见 <a href=\"conflicts.csv\">conflicts.csv</a>）</h3>"
    );
    if conflicts.is_empty() {
        h.push_str("<p class=\"ok\">本次没有待核实问题。</p>\n");
    } else {
        let mut sorted: Vec<(&str, usize)> = conflicts.into_iter().collect();
        sorted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        h.push_str(
            "<table>\n<thead><tr><th>问题代码</th><th>含义</th><th>行数</th><th>怎么处理</th></tr></thead>\n<tbody>\n",
        );
        for (code, n) in &sorted {
            let (zh, todo) = conflict_text(code);
            let _ = writeln!(
                h,
                "<tr data-conflict=\"{}\" data-count=\"{n}\"><td><code>{}</code></td><td>{}</td><td class=\"n\">{n}</td><td>{}</td></tr>",
                esc(code),
                esc(code),
                esc(zh),
                esc(todo)
            );
        }
        h.push_str("</tbody>\n</table>\n");
    }
    h.push_str("</section>\n");
}

fn inputs_section(h: &mut String, data: &Ingested) {
    h.push_str(
        "<section id=\"inputs\">\n<h2>输入文件</h2>\n<table>\n<thead><tr><th>来源</th><th>文件</th><th>编码</th>\
         <th>读取行数</th><th>接受</th><th>拒收</th><th>合并重复</th><th>忽略的列</th></tr></thead>\n<tbody>\n",
    );
    for f in &data.files {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(f.kind.zh()),
            esc(&f.display),
            esc(f.encoding),
            f.counts.read,
            f.counts.accepted,
            f.counts.rejected,
            f.counts.merged_duplicates,
            esc(&f.ignored_columns.join("、"))
        );
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

fn files_section(h: &mut String, tables: &[ReportTable], workbooks: &[(&str, usize)]) {
    h.push_str("<section id=\"files\">\n<h2>本目录下的文件</h2>\n<ul>\n");
    for t in tables {
        let (zh, _) = describe(t.file);
        let _ = writeln!(
            h,
            "<li><a href=\"{}\">{}</a> {}（{} 行）</li>",
            esc(t.file),
            esc(t.file),
            esc(zh),
            t.rows.len()
        );
    }
    h.push_str(
        "<li><a href=\"report.xlsx\">report.xlsx</a> 全省（区）看的工作簿：参保率、资助与财政台账、各区县名单汇总、拒收与待核实；个人名单较小时也在其中</li>\n",
    );
    for (file, rows) in workbooks {
        let _ = writeln!(
            h,
            "<li><a href=\"{}\">{}</a> 该区县的个人名单工作簿（{} 行）</li>",
            esc(file),
            esc(file),
            rows
        );
    }
    h.push_str(
        "<li><a href=\"summary.json\">summary.json</a> 运行摘要（输入文件校验值、行数、金额合计）</li>\n</ul>\n</section>\n",
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::schema::Schemas;

    fn policy() -> Policy {
        let schemas = Schemas::embedded().unwrap();
        Policy::from_str(
            include_str!("../../policies/ningxia-2026.toml"),
            "policies/ningxia-2026.toml",
            &schemas.vocab,
        )
        .unwrap()
    }

    fn row(group: usize, county: Option<&str>, base: u64, covered: u64) -> CoverageRow {
        CoverageRow {
            group,
            county: county.and_then(crate::domain::County::parse),
            base,
            covered,
            target_percent: 99,
        }
    }

    #[test]
    fn money_reads_with_thousands_separators_and_every_list_has_a_chinese_name() {
        assert_eq!(yuan(Fen(240_000)), "2,400.00 元");
        assert_eq!(yuan(Fen(-123_456_700)), "-1,234,567.00 元");
        assert_eq!(describe("changes.csv").0, "变动清单");
    }

    /// The dashboard and the run's ending name every reject reason in
    /// Chinese, the three of issue 10 included.
    #[test]
    fn every_reject_reason_has_a_chinese_name_and_a_next_step() {
        for r in crate::findings::RejectReason::ALL {
            let (zh, todo) = reject_text(r.code());
            assert!(!zh.is_empty() && !todo.is_empty(), "{}", r.code());
        }
    }

    #[test]
    fn escapes_every_special_character() {
        assert_eq!(
            esc(r#"<a href="x">'兴庆&区'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;兴庆&amp;区&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn data_texts_are_escaped_in_the_page() {
        let mut p = policy();
        p.region_name = "<script>alert(1)</script>宁夏".into();
        p.counties
            .insert("640104".into(), "兴庆<b>区</b>\"&'".into());
        p.coverage_groups[0].name = "低收入<i>人口</i>".into();
        let outcome = Outcome {
            coverage: vec![row(0, Some("640104"), 2, 1), row(0, None, 2, 1)],
            have_register: true,
            ..Outcome::default()
        };
        let page = dashboard(
            &p,
            NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
            &[],
            &outcome,
            &Ingested::default(),
        );
        assert!(!page.contains("<script"), "{page}");
        assert!(!page.contains("<b>区"), "{page}");
        assert!(!page.contains("<i>人口"), "{page}");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;宁夏"));
        assert!(page.contains("兴庆&lt;b&gt;区&lt;/b&gt;&quot;&amp;&#39;"));
        assert!(page.contains("低收入&lt;i&gt;人口&lt;/i&gt;"));
    }

    #[test]
    fn below_target_county_is_highlighted_in_colour_and_text() {
        let p = policy();
        let outcome = Outcome {
            coverage: vec![
                row(0, Some("640104"), 3, 3),
                row(0, Some("640122"), 2, 1),
                row(0, None, 5, 4),
            ],
            have_register: true,
            ..Outcome::default()
        };
        let page = dashboard(
            &p,
            NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
            &[],
            &outcome,
            &Ingested::default(),
        );
        // 贺兰县 640122: 1 of 2 → 50.00%, 1 needed; flagged in the table row…
        let tr = page
            .lines()
            .find(|l| l.contains("data-county=\"640122\""))
            .expect("row for 640122");
        assert!(tr.starts_with("<tr class=\"below\""), "{tr}");
        assert!(tr.contains("data-rate=\"50.00\""), "{tr}");
        assert!(tr.contains("data-needed=\"1\""), "{tr}");
        assert!(tr.contains("未达标"), "{tr}");
        // …in the chart (the bar's colour and a text mark)…
        assert!(page.contains(&format!("class=\"bar below\" x=\"{BAR_X}\"")));
        assert!(page.contains(&format!("fill=\"{BAD}\"><title>贺兰县 640122：50.00%")));
        assert!(page.contains("▼ 未达标，还差 1 人"));
        assert!(page.contains("低于目标的区县（1个）：贺兰县 640122"));
        // …and a county at target is not.
        let ok = page
            .lines()
            .find(|l| l.contains("data-county=\"640104\""))
            .unwrap();
        assert!(ok.starts_with("<tr data-group"), "{ok}");
        assert!(ok.contains("data-rate=\"100.00\""));
        assert!(page.contains(&format!("fill=\"{GOOD}\"><title>兴庆区 640104：100.00%")));
    }

    #[test]
    fn the_page_is_self_contained_and_deterministic() {
        let p = policy();
        let outcome = Outcome {
            coverage: vec![row(0, Some("640104"), 3, 2), row(0, None, 3, 2)],
            ..Outcome::default()
        };
        let d = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
        let a = dashboard(&p, d, &[], &outcome, &Ingested::default());
        let b = dashboard(&p, d, &[], &outcome, &Ingested::default());
        assert_eq!(a, b);
        for bad in ["<script", "http://", "https://", "<link", "<img", "@import"] {
            assert!(!a.contains(bad), "{bad}");
        }
        assert!(a.contains("<meta charset=\"utf-8\">"));
        assert!(a.contains("<html lang=\"zh-CN\">"));
        assert!(a.contains("href=\"report.xlsx\""));
        // No register: the groups that need it say so.
        assert!(a.contains("本次未提供一人一档人员库，无法计算该人群。"));
    }
}
