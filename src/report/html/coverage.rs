//! The dashboard's coverage section (参保率): per policy group, a bar per county
//! against the group's target, and the table `coverage.csv` prints.

use std::fmt::Write;

use super::svg::text_width;
use super::{esc, rate_text, BAD, GOOD, TARGET};
use crate::policy::{CoverageGroup, CoverageKind, Policy};
use crate::report::ledgers::TOTAL;
use crate::rules::{CoverageRow, Outcome};

// Chart geometry (SVG user units). The label column and the value column
// are as wide as their longest text (estimated, [`super::svg`]); the bars
// take the rest of at least `MIN_W`, and never less than `MIN_BAR`.
const MIN_W: f64 = 960.0;
const MIN_BAR: f64 = 360.0;
const PAD: f64 = 8.0;
const GAP: f64 = 10.0;
const ROW_H: u32 = 26;
/// Row 1 (y 0–22): the target's label; row 2 (22–TOP): the axis ticks.
const TOP: u32 = 48;
const FONT: f64 = 13.0;

pub(super) fn coverage_section(h: &mut String, policy: &Policy, outcome: &Outcome) {
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

/// Where a coverage chart's columns go.
struct Layout {
    /// The right edge of the county labels (anchored at their end).
    label_end: f64,
    bar_x: f64,
    bar_w: f64,
    /// The left edge of the values beside the bars.
    value_x: f64,
    width: f64,
}

impl Layout {
    fn x_of(&self, centi: u64) -> f64 {
        self.bar_x + self.bar_w * (centi.min(10_000) as f64) / 10_000.0
    }
}

/// The texts beside one bar: rate, covered/base, and the mark of a county
/// below target.
fn value_text(r: &CoverageRow) -> String {
    let rate = rate_text(r);
    if rate.is_empty() {
        return "无人".to_string();
    }
    let mut text = format!("{rate}%  {}/{}", r.covered, r.base);
    if !r.meets_target() {
        let _ = write!(text, "  ▼ 未达标，还差 {} 人", r.needed());
    }
    text
}

fn layout(policy: &Policy, group: &CoverageGroup, rows: &[&CoverageRow]) -> Layout {
    let label_w = rows
        .iter()
        .map(|r| {
            let code = r.county.as_deref().unwrap_or(TOTAL);
            text_width(&county_label(policy, code), FONT, r.county.is_none())
        })
        .fold(0.0, f64::max);
    let value_w = rows
        .iter()
        .map(|r| text_width(&value_text(r), FONT, !r.meets_target()))
        .fold(0.0, f64::max);
    // The ticks and the target's label may stick out half their width.
    let half = text_width(&format!("目标 {}%", group.target_percent), 12.0, true) / 2.0;
    let label_end = (PAD + label_w).ceil().max(half + PAD);
    let bar_x = label_end + GAP;
    let fixed = bar_x + GAP + value_w.max(half) + PAD;
    let bar_w = (MIN_W - fixed).max(MIN_BAR).floor();
    Layout {
        label_end,
        bar_x,
        bar_w,
        value_x: bar_x + bar_w + GAP,
        width: (bar_x + bar_w + GAP + value_w.max(half) + PAD).ceil(),
    }
}

fn chart(h: &mut String, policy: &Policy, group: &CoverageGroup, rows: &[&CoverageRow]) {
    let n = rows.len() as u32;
    let height = TOP + n * ROW_H + 12;
    let l = layout(policy, group, rows);
    let w = l.width;
    let _ = writeln!(
        h,
        "<svg class=\"chart\" width=\"{w}\" height=\"{height}\" viewBox=\"0 0 {w} {height}\" role=\"img\" aria-label=\"{} 各区县参保率与目标 {}%\">",
        esc(&group.name),
        group.target_percent
    );
    // Axis: grid lines and ticks every 25%, in the second row.
    for pct in [0u64, 25, 50, 75, 100] {
        let x = l.x_of(pct * 100);
        let _ = writeln!(
            h,
            "<line x1=\"{x:.1}\" y1=\"{}\" x2=\"{x:.1}\" y2=\"{}\" stroke=\"#e4e7eb\" stroke-width=\"1\"/>\
             <text class=\"axis\" x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\">{pct}%</text>",
            TOP - 4,
            TOP + n * ROW_H,
            TOP - 9
        );
    }
    for (i, r) in rows.iter().enumerate() {
        bar_row(h, policy, &l, TOP + i as u32 * ROW_H, r);
    }
    // The target line, drawn last so it sits over the bars; its label in the
    // first row, above the ticks, so it never covers the `100%` tick.
    let tx = l.x_of(u64::from(group.target_percent) * 100);
    let _ = writeln!(
        h,
        "<line class=\"target-line\" x1=\"{tx:.1}\" y1=\"{}\" x2=\"{tx:.1}\" y2=\"{}\" stroke=\"{TARGET}\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/>\
         <text class=\"target\" x=\"{tx:.1}\" y=\"16\" text-anchor=\"middle\">目标 {}%</text>",
        TOP - 2,
        TOP + n * ROW_H + 4,
        group.target_percent
    );
    h.push_str("</svg>\n");
}

/// One county's (or the total's) row of the chart, `y` its top.
fn bar_row(h: &mut String, policy: &Policy, l: &Layout, y: u32, r: &CoverageRow) {
    let w = l.width;
    let below = !r.meets_target();
    let is_total = r.county.is_none();
    if is_total {
        let _ = writeln!(
            h,
            "<line x1=\"0\" y1=\"{y}\" x2=\"{w}\" y2=\"{y}\" stroke=\"#9aa5b1\" stroke-width=\"1\"/>"
        );
    }
    if below {
        let _ = writeln!(
            h,
            "<rect x=\"0\" y=\"{}\" width=\"{w}\" height=\"{}\" fill=\"#fff0f0\"/>",
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
        l.label_end,
        y + 18,
        esc(&label)
    );
    let colour = if below { BAD } else { GOOD };
    if let Some(centi) = r.rate_centi_percent() {
        let bw = l.x_of(centi) - l.bar_x;
        let _ = writeln!(
            h,
            "<rect class=\"bar{}\" x=\"{}\" y=\"{}\" width=\"{bw:.1}\" height=\"16\" fill=\"{colour}\"><title>{}：{}%</title></rect>",
            if below { " below" } else { "" },
            l.bar_x,
            y + 5,
            esc(&label),
            rate_text(r)
        );
    }
    let _ = writeln!(
        h,
        "<text{} x=\"{}\" y=\"{}\">{}</text>",
        if below { " class=\"below\"" } else { "" },
        l.value_x,
        y + 18,
        esc(&value_text(r))
    );
}

fn coverage_table(h: &mut String, policy: &Policy, group: &CoverageGroup, rows: &[&CoverageRow]) {
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
