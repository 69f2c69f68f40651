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
//!
//! Issue 16: the months (逐月走势) from the ledger — coverage per group and
//! each list's size month by month as small line charts, this month's new /
//! carried / resolved counts ([`months`]). Every SVG is laid out from an
//! estimate of its texts' widths ([`svg`]) so that no label is clipped or
//! overlaps another at any number of counties.
//!
//! One module per section: [`lists`], [`months`], [`coverage`], [`tables`]
//! (rejects, inputs, files); the words in [`texts`].

mod coverage;
mod lists;
mod months;
mod svg;
mod tables;
#[cfg(test)]
mod tests;
mod texts;

pub(crate) use texts::{conflict_text, reject_text};

use std::fmt::Write;

use chrono::NaiveDate;

use super::csv_out::ReportTable;
use crate::domain::{fmt_date, Fen};
use crate::ingest::Ingested;
use crate::ledger::months::Months;
use crate::policy::Policy;
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
table.lifecycle{width:auto}
table.months td.n,table.lifecycle td.n{min-width:4em}
.minis{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:12px;margin:8px 0 16px}
figure.mini{margin:0;background:#fff;border:1px solid #d9e2ec;border-radius:4px;padding:6px 8px;min-width:0}
figure.mini figcaption{font-size:13px;font-weight:bold;margin-bottom:4px}
svg.mini{display:block;width:100%;height:auto}
svg.mini text{font-size:11px;fill:#52606d}
svg.mini text.val{font-size:12px;fill:#1f2933;font-weight:bold}
footer{margin-top:32px;color:#7b8794;font-size:12px}
a{color:#1864ab}
"#;

const GOOD: &str = "#2b8a3e";
const BAD: &str = "#e03131";
const TARGET: &str = "#e8590c";

/// Everything one dashboard shows.
pub struct Page<'a> {
    pub policy: &'a Policy,
    pub as_of: NaiveDate,
    pub tables: &'a [ReportTable],
    pub outcome: &'a Outcome,
    pub data: &'a Ingested,
    /// Issue 15: each county's workbook (file relative to the output
    /// directory, rows).
    pub workbooks: &'a [(&'a str, usize)],
    pub warnings: &'a [super::warnings::Warning],
    /// Issue 16: the months the ledger holds.
    pub months: &'a Months,
}

/// The dashboard page of one run (`report.html`), without workbooks or
/// ledger (tests and tools).
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
    render(&Page {
        policy,
        as_of,
        tables,
        outcome,
        data,
        workbooks: &[],
        warnings: &warnings,
        months: &Months::default(),
    })
}

/// The dashboard page (`report.html`).
pub fn render(p: &Page<'_>) -> String {
    let (policy, outcome, data) = (p.policy, p.outcome, p.data);
    let mut h = String::with_capacity(32 * 1024);
    let region = esc(&policy.region_name);
    let as_of = fmt_date(p.as_of);
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
    h.push_str(&super::warnings::html_box(p.warnings, esc));
    headline(&mut h, policy, outcome, data);
    lists::lists_section(&mut h, policy, p.tables, outcome);
    months::section(&mut h, policy, p.months);
    coverage::coverage_section(&mut h, policy, outcome);
    tables::rejects_section(&mut h, data, outcome);
    tables::inputs_section(&mut h, data);
    tables::files_section(&mut h, p.tables, p.workbooks);
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
