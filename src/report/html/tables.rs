//! The dashboard's last sections: reject and conflict reasons, the inputs,
//! and the files of the run.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::esc;
use super::texts::{conflict_text, describe, reject_text};
use crate::ingest::Ingested;
use crate::report::csv_out::ReportTable;
use crate::rules::Outcome;

pub(super) fn rejects_section(h: &mut String, data: &Ingested, outcome: &Outcome) {
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

pub(super) fn inputs_section(h: &mut String, data: &Ingested) {
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

pub(super) fn files_section(h: &mut String, tables: &[ReportTable], workbooks: &[(&str, usize)]) {
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
