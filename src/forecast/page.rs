//! The forecast's `report.html`: the run dashboard's look (its CSS, no
//! script, no network) with one section, `#forecast` — the headline, each
//! payer's and each county × payer's persons and subsidy, the comparison
//! with this year's policy, the inputs and their rejects, and the files.

use std::fmt::Write;

use chrono::NaiveDate;

use super::costs::Costs;
use crate::domain::{fmt_date, Fen};
use crate::ingest::InputFile;
use crate::policy::Policy;
use crate::report::html::esc;
use crate::report::{Cell, ReportTable};

/// What the page shows.
pub struct Facts<'a> {
    pub next: &'a Policy,
    pub this: Option<&'a Policy>,
    pub as_of: NaiveDate,
    pub files: &'a [InputFile],
    pub rejects: usize,
    /// Next year's costs and, with `--compare`, this year's.
    pub priced: (&'a Costs, Option<&'a Costs>),
    pub tables: &'a [ReportTable],
    /// A column key's Chinese label.
    pub label: &'a dyn Fn(&str) -> String,
}

fn yuan(f: Fen) -> String {
    format!("{} 元", f.grouped())
}

/// The page (deterministic: no timestamps).
pub fn dashboard(f: &Facts<'_>) -> String {
    let mut h = String::with_capacity(16 * 1024);
    let region = esc(&f.next.region_name);
    let as_of = fmt_date(f.as_of);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{region} 居民医保资助预算测算 · {} · {as_of}</title>\n<style>{}</style>\n</head>\n<body>\n<main>\n",
        esc(&f.next.id),
        crate::report::html::CSS
    );
    let compare = match f.this {
        Some(t) => format!(" · 对比政策 <b>{}</b>（{}）", esc(&t.id), esc(&t.source)),
        None => String::new(),
    };
    let _ = writeln!(
        h,
        "<header>\n<h1>{region}（{}）城乡居民医保资助预算测算</h1>\n\
         <p class=\"meta\">测算政策 <b>{}</b>（{}） · 参保年度 {}{compare} · 名单日期（as-of） <b>{as_of}</b></p>\n</header>",
        esc(&f.next.region_code),
        esc(&f.next.id),
        esc(&f.next.source),
        f.next.year,
    );
    h.push_str(
        "<section id=\"forecast\">\n<h2>预算测算：按今日认定的困难群众测算下一年度资助</h2>\n",
    );
    headline(&mut h, f);
    for t in f.tables {
        if t.file != "rejects.csv" {
            table(&mut h, f, t);
        }
    }
    inputs(&mut h, f);
    h.push_str("</section>\n");
    let _ = writeln!(
        h,
        "<footer>由 {} {} 生成 · 本页不联网、不含脚本 · 金额单位：元 · 不读写对账台账</footer>\n</main>\n</body>\n</html>",
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_VERSION")
    );
    h
}

fn card(h: &mut String, k: &str, v: &str) {
    let _ = writeln!(
        h,
        "<div class=\"card\"><div class=\"k\">{}</div><div class=\"v\">{}</div></div>",
        esc(k),
        esc(v)
    );
}

fn headline(h: &mut String, f: &Facts<'_>) {
    let (next, this) = f.priced;
    h.push_str("<div class=\"cards\" id=\"forecast-headline\">\n");
    card(h, "测算人数", &format!("{} 人", next.total.persons));
    card(h, "资助合计（下一年度）", &yuan(next.total.amount));
    card(h, "个人缴费合计", &yuan(next.personal));
    if let Some(this) = this {
        card(h, "资助合计（本年政策）", &yuan(this.total.amount));
        card(h, "差额", &yuan(next.total.amount - this.total.amount));
    }
    card(h, "拒收行（见 rejects.csv）", &format!("{} 行", f.rejects));
    h.push_str("</div>\n");
}

/// One table of the forecast as the CSV holds it, Chinese headers.
fn table(h: &mut String, f: &Facts<'_>, t: &ReportTable) {
    let _ = writeln!(
        h,
        "<h3>{}</h3>\n<table data-file=\"{}\">\n<thead><tr>",
        esc(match t.file {
            "forecast.csv" => "按区县 × 资助档次 × 缴费档次 × 资助方",
            "forecast_compare.csv" => "与本年政策对比：按区县 × 资助方",
            _ => "财政补助分担（仅计测算人员）",
        }),
        esc(t.file)
    );
    for c in t.columns {
        let _ = write!(h, "<th>{}</th>", esc(&(f.label)(c)));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for row in &t.rows {
        let total =
            matches!(row.first(), Some(Cell::Text(s)) if s == crate::report::ledgers::TOTAL);
        h.push_str(if total {
            "<tr class=\"total\">"
        } else {
            "<tr>"
        });
        for c in row {
            match c {
                Cell::Money(_) | Cell::Int(_) => {
                    let _ = write!(h, "<td class=\"n\">{}</td>", esc(&c.render()));
                }
                _ => {
                    let _ = write!(h, "<td>{}</td>", esc(&c.render()));
                }
            }
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");
}

fn inputs(h: &mut String, f: &Facts<'_>) {
    h.push_str(
        "<h3>输入文件</h3>\n<table>\n<thead><tr><th>类型</th><th>文件</th><th>读取行</th>\
         <th>接受</th><th>拒收</th><th>合并重复</th></tr></thead>\n<tbody>\n",
    );
    for i in f.files {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(i.kind.key()),
            esc(&i.display),
            i.counts.read,
            i.counts.accepted,
            i.counts.rejected,
            i.counts.merged_duplicates
        );
    }
    h.push_str("</tbody>\n</table>\n<p>");
    for t in f.tables {
        let _ = write!(h, "<a href=\"{0}\">{0}</a> · ", esc(t.file));
    }
    h.push_str(
        "<a href=\"report.xlsx\">report.xlsx</a> · <a href=\"summary.json\">summary.json</a></p>\n",
    );
}
