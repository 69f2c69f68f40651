//! The dashboard's month section (逐月走势, issue 16): from the ledger, this
//! month's new / carried / resolved / paid items per followed list; each
//! coverage group's rate and each list's size month by month, one small line
//! chart each (inline SVG, laid out from estimated text widths so nothing is
//! clipped); and the same numbers as a table. With `--no-ledger`, or while
//! the ledger holds one month only, the page says so instead of drawing a
//! chart of one point.
//!
//! Every point carries `data-series`, `data-as-of` and `data-value` (a
//! coverage point also `data-base` and `data-covered`) for tests and tools.

use std::fmt::Write;

use super::svg::{grouped, text_width};
use super::texts::describe;
use super::{esc, rate_text, BAD, GOOD, TARGET};
use crate::domain::fmt_date;
use crate::ledger::months::{MonthPoint, Months, CHARTED_LISTS};
use crate::policy::{CoverageGroup, Policy};
use crate::rules::CoverageRow;

// Small chart geometry (SVG user units; the chart scales to its cell).
const MW: f64 = 360.0;
const MH: f64 = 180.0;
const PAD: f64 = 8.0;
/// The plot's top: room for a value label above a point at the maximum.
const PLOT_TOP: f64 = 24.0;
/// The plot's bottom: the month labels go below.
const PLOT_BOTTOM: f64 = MH - 28.0;
const AXIS_FONT: f64 = 11.0;
const VALUE_FONT: f64 = 12.0;
const LINE: &str = "#1864ab";

pub(super) fn section(h: &mut String, policy: &Policy, m: &Months) {
    h.push_str("<section id=\"months\">\n<h2>逐月走势（对账台账）</h2>\n");
    if m.trial {
        h.push_str(
            "<p class=\"note\" data-months=\"trial\">本次为试运行（--no-ledger）：不读取也不写入对账台账，\
             只有本月一个月的数据，没有逐月走势，也没有与上月的新增/延续/已解决对比。</p>\n",
        );
        values_table(h, policy, &m.points);
        h.push_str("</section>\n");
        return;
    }
    let Some(first) = m.points.first() else {
        h.push_str(
            "<p class=\"note\" data-months=\"none\">本页没有读取对账台账，没有逐月走势。</p>\n</section>\n",
        );
        return;
    };
    if m.points.len() < 2 {
        let when = fmt_date(first.as_of);
        let _ = writeln!(
            h,
            "<p class=\"note\" data-months=\"one\">对账台账中目前只有一个月（{when}）的记录：\
             下个月对账后，这里按月画出各人群参保率和各清单行数的折线图。</p>"
        );
    }
    lifecycle_table(h, m);
    if m.points.len() >= 2 {
        charts(h, policy, &m.points);
    }
    values_table(h, policy, &m.points);
    h.push_str("</section>\n");
}

/// This month's items per followed list: new, carried, resolved, paid.
fn lifecycle_table(h: &mut String, m: &Months) {
    let against = match m.previous {
        Some(d) => format!("与上次对账（{}）相比", fmt_date(d)),
        None => "台账中没有更早的对账，本月各条目均为新增".to_string(),
    };
    let _ = writeln!(
        h,
        "<h3>本月变动：{against}</h3>\n<table class=\"lifecycle\">\n<thead><tr><th>清单</th>\
         <th>新增</th><th>延续</th><th>已解决</th><th>已退费</th></tr></thead>\n<tbody>"
    );
    for t in &m.current {
        let _ = writeln!(
            h,
            "<tr data-list=\"{}\" data-new=\"{}\" data-carried=\"{}\" data-resolved=\"{}\" data-paid=\"{}\">\
             <td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            t.list.code(),
            t.new,
            t.carried,
            t.resolved,
            t.paid,
            t.list.zh(),
            t.new,
            t.carried,
            t.resolved,
            t.paid
        );
    }
    h.push_str(
        "</tbody>\n</table>\n<p class=\"legend\">新增：本月首次列出（或解决后再次列出）；延续：上次已列出、仍未办结；\
         已解决：上次列出、本月不再适用；已退费：已用 ledger mark-paid 确认退费。明细见 changes.csv。</p>\n",
    );
}

/// A coverage group's totals in one month, as a coverage row.
fn group_row(p: &MonthPoint, g: usize, group: &CoverageGroup) -> Option<CoverageRow> {
    let gp = p.group(&group.id)?;
    Some(CoverageRow {
        group: g,
        county: None,
        base: gp.base,
        covered: gp.covered,
        target_percent: gp.target_percent,
    })
}

/// One value of a series in one month.
struct Value {
    y: f64,
    label: String,
    /// The `data-*` attributes of its point.
    attrs: String,
    below: bool,
}

/// One small chart: its title, its points (aligned with the months), and
/// the y range and ticks.
struct Series {
    id: String,
    title: String,
    values: Vec<Option<Value>>,
    lo: f64,
    hi: f64,
    ticks: Vec<(f64, String)>,
    target: Option<f64>,
}

fn charts(h: &mut String, policy: &Policy, points: &[MonthPoint]) {
    h.push_str("<h3>逐月折线图</h3>\n<div class=\"minis\">\n");
    for (g, group) in policy.coverage_groups.iter().enumerate() {
        mini(h, points, &coverage_series(points, g, group));
    }
    for (i, list) in CHARTED_LISTS.iter().enumerate() {
        mini(h, points, &list_series(points, i, list));
    }
    h.push_str("</div>\n");
}

fn coverage_series(points: &[MonthPoint], g: usize, group: &CoverageGroup) -> Series {
    let values: Vec<Option<Value>> = points
        .iter()
        .map(|p| {
            let r = group_row(p, g, group)?;
            let centi = r.rate_centi_percent()?;
            let rate = rate_text(&r);
            Some(Value {
                y: centi as f64 / 100.0,
                label: format!("{rate}%"),
                attrs: format!(
                    "data-value=\"{rate}\" data-base=\"{}\" data-covered=\"{}\"",
                    r.base, r.covered
                ),
                below: !r.meets_target(),
            })
        })
        .collect();
    let target = f64::from(group.target_percent);
    let low = values.iter().flatten().map(|v| v.y).fold(target, f64::min);
    // From a multiple of 10 below everything (and the target) up to 100%.
    let lo = ((low - 5.0) / 10.0).floor().clamp(0.0, 9.0) * 10.0;
    let step = if 100.0 - lo <= 40.0 {
        10.0
    } else if 100.0 - lo <= 80.0 {
        20.0
    } else {
        25.0
    };
    let mut ticks = Vec::new();
    let mut t = 100.0;
    while t >= lo - 0.01 {
        ticks.push((t, format!("{t}%")));
        t -= step;
    }
    Series {
        id: format!("coverage:{}", group.id),
        title: format!(
            "参保率 · {}（目标 {}%，虚线）",
            group.name, group.target_percent
        ),
        values,
        lo,
        hi: 100.0,
        ticks,
        target: Some(target),
    }
}

fn list_series(points: &[MonthPoint], i: usize, list: &str) -> Series {
    let values: Vec<Option<Value>> = points
        .iter()
        .map(|p| {
            let n = p.lists[i]?;
            Some(Value {
                y: n as f64,
                label: grouped(n),
                attrs: format!("data-value=\"{n}\""),
                below: false,
            })
        })
        .collect();
    let max = points.iter().filter_map(|p| p.lists[i]).max().unwrap_or(0);
    let hi = nice_ceiling(max);
    let mut ticks = vec![(hi as f64, grouped(hi)), (0.0, "0".to_string())];
    if hi % 2 == 0 {
        ticks.insert(1, ((hi / 2) as f64, grouped(hi / 2)));
    }
    Series {
        id: list.to_string(),
        title: format!("{}（行数）", describe(&format!("{list}.csv")).0),
        values,
        lo: 0.0,
        hi: hi as f64,
        ticks,
        target: None,
    }
}

/// The smallest 1, 2 or 5 × 10ⁿ at or above `n` (at least 2).
fn nice_ceiling(n: u64) -> u64 {
    let mut base = 1u64;
    loop {
        for m in [1u64, 2, 5] {
            let v = m.saturating_mul(base);
            if v >= n.max(2) {
                return v;
            }
        }
        base = base.saturating_mul(10);
    }
}

/// The month's label on the x axis: `2026-01`, or `2026-01-15` when two
/// runs fall in one month.
fn month_labels(points: &[MonthPoint]) -> Vec<String> {
    let short: Vec<String> = points
        .iter()
        .map(|p| p.as_of.format("%Y-%m").to_string())
        .collect();
    let unique = short.windows(2).all(|w| w[0] != w[1]);
    if unique {
        short
    } else {
        points.iter().map(|p| fmt_date(p.as_of)).collect()
    }
}

/// Where a small chart's parts go.
struct Frame {
    /// The plot's left and right edges (the grid lines).
    x0: f64,
    x1: f64,
    /// The first point's x, and the distance between months.
    px0: f64,
    step: f64,
    lo: f64,
    hi: f64,
    /// Show every `k`-th value label, every `k`-th month label (from the last).
    value_every: usize,
    month_every: usize,
}

impl Frame {
    fn new(s: &Series, months: &[String]) -> Frame {
        let n = months.len();
        let widest = |it: &mut dyn Iterator<Item = f64>| it.fold(0.0, f64::max);
        let month_w = widest(&mut months.iter().map(|m| text_width(m, AXIS_FONT, false)));
        let value_w = widest(
            &mut s
                .values
                .iter()
                .flatten()
                .map(|v| text_width(&v.label, VALUE_FONT, true)),
        );
        let tick_w = widest(&mut s.ticks.iter().map(|t| text_width(&t.1, AXIS_FONT, false)));
        let x0 = (PAD + tick_w + 6.0).ceil();
        let x1 = MW - PAD;
        // Points stay far enough inside that centred labels do not stick out.
        let inset = (month_w.max(value_w) / 2.0 + 2.0).ceil();
        let step = if n > 1 {
            (x1 - x0 - 2.0 * inset) / (n - 1) as f64
        } else {
            0.0
        };
        let every = |w: f64| -> usize {
            if step <= 0.0 {
                1
            } else {
                ((w + 6.0) / step).ceil().max(1.0) as usize
            }
        };
        Frame {
            x0,
            x1,
            px0: x0 + inset,
            step,
            lo: s.lo,
            hi: s.hi,
            value_every: every(value_w),
            month_every: every(month_w),
        }
    }

    fn x(&self, i: usize) -> f64 {
        self.px0 + self.step * i as f64
    }

    fn y(&self, v: f64) -> f64 {
        let f = if self.hi > self.lo {
            (v - self.lo) / (self.hi - self.lo)
        } else {
            0.0
        };
        PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * f.clamp(0.0, 1.0)
    }
}

/// Draws one small chart.
fn mini(h: &mut String, points: &[MonthPoint], s: &Series) {
    if s.values.iter().all(Option::is_none) {
        let _ = writeln!(
            h,
            "<figure class=\"mini\" data-series=\"{}\"><figcaption>{}</figcaption>\
             <p class=\"legend\">各月均无可计算的数值（该人群无人，或未提供一人一档人员库），不画折线。</p></figure>",
            esc(&s.id),
            esc(&s.title)
        );
        return;
    }
    let months = month_labels(points);
    let f = Frame::new(s, &months);
    let _ = writeln!(
        h,
        "<figure class=\"mini\" data-series=\"{}\"><figcaption>{}</figcaption>\n\
         <svg class=\"mini\" width=\"{MW}\" height=\"{MH}\" viewBox=\"0 0 {MW} {MH}\" role=\"img\" aria-label=\"{}\">",
        esc(&s.id),
        esc(&s.title),
        esc(&s.title)
    );
    grid(h, &f, s);
    line(h, &f, s);
    dots(h, &f, s, points, &months);
    for (i, m) in months.iter().enumerate() {
        if (months.len() - 1 - i) % f.month_every == 0 {
            let _ = writeln!(
                h,
                "<text class=\"axis\" x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{m}</text>",
                f.x(i),
                MH - 8.0
            );
        }
    }
    h.push_str("</svg></figure>\n");
}

/// The y ticks with their grid lines, and the target's dashed line.
fn grid(h: &mut String, f: &Frame, s: &Series) {
    let (x0, x1) = (f.x0, f.x1);
    for (v, label) in &s.ticks {
        let y = f.y(*v);
        let _ = writeln!(
            h,
            "<line x1=\"{x0}\" y1=\"{y:.1}\" x2=\"{x1}\" y2=\"{y:.1}\" stroke=\"#e4e7eb\" stroke-width=\"1\"/>\
             <text class=\"axis\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            x0 - 6.0,
            y + 4.0,
            esc(label)
        );
    }
    if let Some(t) = s.target {
        let y = f.y(t);
        let _ = writeln!(
            h,
            "<line class=\"target-line\" x1=\"{x0}\" y1=\"{y:.1}\" x2=\"{x1}\" y2=\"{y:.1}\" stroke=\"{TARGET}\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>"
        );
    }
}

/// The series' line, broken where a month has no value.
fn line(h: &mut String, f: &Frame, s: &Series) {
    let mut segment: Vec<String> = Vec::new();
    let flush = |h: &mut String, seg: &mut Vec<String>| {
        if seg.len() > 1 {
            let _ = writeln!(
                h,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{LINE}\" stroke-width=\"2\"/>",
                seg.join(" ")
            );
        }
        seg.clear();
    };
    for (i, v) in s.values.iter().enumerate() {
        match v {
            Some(v) => segment.push(format!("{:.1},{:.1}", f.x(i), f.y(v.y))),
            None => flush(h, &mut segment),
        }
    }
    flush(h, &mut segment);
}

/// Each month's point, and the value labels that fit.
fn dots(h: &mut String, f: &Frame, s: &Series, points: &[MonthPoint], months: &[String]) {
    let n = points.len();
    for (i, v) in s.values.iter().enumerate() {
        let Some(v) = v else { continue };
        let (x, y) = (f.x(i), f.y(v.y));
        let fill = match (s.target.is_some(), v.below) {
            (false, _) => LINE,
            (true, true) => BAD,
            (true, false) => GOOD,
        };
        let _ = writeln!(
            h,
            "<circle class=\"pt\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3.5\" fill=\"{fill}\" data-series=\"{}\" data-as-of=\"{}\" {}><title>{} {}</title></circle>",
            esc(&s.id),
            fmt_date(points[i].as_of),
            v.attrs,
            months[i],
            esc(&v.label)
        );
        if (n - 1 - i) % f.value_every == 0 {
            let ly = label_y(y, s.target.map(|t| f.y(t)));
            let _ = writeln!(
                h,
                "<text class=\"val\" x=\"{x:.1}\" y=\"{ly:.1}\" text-anchor=\"middle\">{}</text>",
                esc(&v.label)
            );
        }
    }
}

/// A value label's baseline: above its point, unless that leaves the chart or
/// puts the label across the target line; then below it.
fn label_y(y: f64, target_y: Option<f64>) -> f64 {
    let above = y - 8.0;
    let crosses = |base: f64| target_y.is_some_and(|t| t > base - VALUE_FONT && t < base + 3.0);
    // Below, the label must stay clear of the month labels.
    let below_fits = y + 16.0 + 4.0 <= MH - 8.0 - AXIS_FONT;
    if above - VALUE_FONT < 2.0 || (crosses(above) && below_fits && !crosses(y + 16.0)) {
        y + 16.0
    } else {
        above
    }
}

/// Every month's numbers as a table (the charts' values, for reading and printing).
fn values_table(h: &mut String, policy: &Policy, points: &[MonthPoint]) {
    h.push_str("<h3>逐月数值</h3>\n<table class=\"months\">\n<thead><tr><th>对账日期</th>");
    for g in &policy.coverage_groups {
        let _ = write!(h, "<th>参保率 · {}</th>", esc(&g.name));
    }
    for list in CHARTED_LISTS {
        let _ = write!(h, "<th>{}</th>", describe(&format!("{list}.csv")).0);
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for p in points {
        let _ = write!(
            h,
            "<tr data-as-of=\"{}\"><td>{}</td>",
            fmt_date(p.as_of),
            fmt_date(p.as_of)
        );
        for (g, group) in policy.coverage_groups.iter().enumerate() {
            let cell = match group_row(p, g, group) {
                Some(r) if r.base > 0 => format!("{}%（{}/{}）", rate_text(&r), r.covered, r.base),
                Some(_) => "无人".to_string(),
                None => "—".to_string(),
            };
            let _ = write!(h, "<td class=\"n\">{cell}</td>");
        }
        for n in p.lists {
            let cell = n.map(grouped).unwrap_or_else(|| "—".into());
            let _ = write!(h, "<td class=\"n\">{cell}</td>");
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");
}
