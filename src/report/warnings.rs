//! Warnings (提示) about a run that finished but may not mean what the clerk
//! thinks (issue 16): an input with no accepted row, an as-of date outside
//! the policy year, no persons file (so no overall coverage), an input much
//! smaller than last month's of the same kind. They appear in the console
//! ending, in `summary.json` (`warnings`) and in a box near the top of
//! `report.html`.

use std::collections::BTreeMap;
use std::fmt::Write;

use chrono::{Datelike, NaiveDate};
use serde_json::{json, Value};

use crate::domain::SourceKind;
use crate::i18n::{Lang, Msg};
use crate::ingest::Ingested;

/// An input this month under half the rows of last month's same kind is
/// worth a word (issue 16: "much smaller").
const SHRINK_PERCENT: u64 = 50;

/// One warning: a stable code for tools and the text for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub code: &'static str,
    pub message: Msg,
}

/// What the warnings are judged on.
pub struct Facts<'a> {
    pub data: &'a Ingested,
    pub as_of: NaiveDate,
    pub policy_year: i32,
    /// A persons file (一人一档人员库) was given.
    pub have_register: bool,
    /// The manifest of the run this one is compared with (the ledger's last
    /// month), when there is one.
    pub previous: Option<&'a Value>,
}

/// The as-of date is neither in the policy year nor in the year before it
/// (enrollment for a year runs through the autumn before it).
pub fn as_of_outside(as_of: NaiveDate, policy_year: i32) -> bool {
    as_of.year() != policy_year && as_of.year() != policy_year - 1
}

/// Every warning of the run, in a fixed order: inputs as given, then the
/// as-of date, the persons file, and the inputs against last month.
pub fn collect(f: &Facts<'_>) -> Vec<Warning> {
    let mut out = Vec::new();
    for file in f.data.files.iter().filter(|x| x.counts.accepted == 0) {
        out.push(Warning {
            code: "NO_ACCEPTED_ROWS",
            message: Msg::new(
                format!(
                    "{}（{}）没有一行被接受（读取 {} 行，拒收 {} 行）：多半是导错了文件或列名不对，本月结果不含这个文件",
                    file.display,
                    file.kind.zh(),
                    file.counts.read,
                    file.counts.rejected
                ),
                format!(
                    "{} ({}) has no accepted row ({} read, {} rejected): probably the wrong file or wrong headers; this month's results do not include it",
                    file.display,
                    file.kind.key(),
                    file.counts.read,
                    file.counts.rejected
                ),
            ),
        });
    }
    if as_of_outside(f.as_of, f.policy_year) {
        out.push(Warning {
            code: "AS_OF_OUTSIDE_POLICY_YEAR",
            message: Msg::new(
                format!(
                    "对账日期 {} 不在政策年度 {} 及其前一年内：请核对 --as-of 和政策文件",
                    f.as_of, f.policy_year
                ),
                format!(
                    "as-of date {} is outside policy year {} and the year before it: check --as-of and the policy file",
                    f.as_of, f.policy_year
                ),
            ),
        });
    }
    if !f.have_register {
        out.push(Warning {
            code: "NO_PERSONS_FILE",
            message: Msg::new(
                "未提供一人一档人员库（--persons）：死亡情况未知，所有人按在世处理；参保率不含“全民参保”“新生儿”等需要人员库的人群",
                "no persons file (--persons): deaths are unknown and everyone is taken as alive; coverage has no overall group and no newborns",
            ),
        });
    }
    if let Some(prev) = f.previous {
        out.extend(smaller_than_last_month(f.data, prev));
    }
    out
}

/// Rows read per input kind, this run's files against a manifest's inputs.
fn rows_by_kind_now(data: &Ingested) -> BTreeMap<&'static str, u64> {
    let mut m = BTreeMap::new();
    for f in &data.files {
        *m.entry(f.kind.key()).or_default() += f.counts.read;
    }
    m
}

fn rows_by_kind_then(manifest: &Value) -> BTreeMap<String, u64> {
    let mut m = BTreeMap::new();
    for i in manifest["inputs"].as_array().into_iter().flatten() {
        if let (Some(k), Some(n)) = (i["kind"].as_str(), i["rows_read"].as_u64()) {
            *m.entry(k.to_string()).or_default() += n;
        }
    }
    m
}

/// Each kind of input with under half last month's rows (none given this
/// month counts as 0 rows).
fn smaller_than_last_month(data: &Ingested, prev: &Value) -> Vec<Warning> {
    let now = rows_by_kind_now(data);
    let month = prev["as_of"].as_str().unwrap_or("");
    let mut out = Vec::new();
    for (kind, then) in rows_by_kind_then(prev) {
        let rows = now.get(kind.as_str()).copied().unwrap_or(0);
        if then == 0 || rows * 100 >= then * SHRINK_PERCENT {
            continue;
        }
        let zh_kind = SourceKind::from_key(&kind).map_or(kind.as_str(), |k| k.zh());
        out.push(Warning {
            code: "INPUT_MUCH_SMALLER",
            message: Msg::new(
                format!(
                    "{kind}（{zh_kind}）本月读取 {rows} 行，不到上次对账（{month}）{then} 行的一半：请确认导出的是全量名单"
                ),
                format!(
                    "{kind} has {rows} rows this month, under half of the {then} rows of the last run ({month}): check that the export is complete"
                ),
            ),
        });
    }
    out
}

/// `summary.json`'s `warnings`: `[{code, message}]`, in the run's language.
pub fn to_json(ws: &[Warning], lang: Lang) -> Value {
    Value::Array(
        ws.iter()
            .map(|w| json!({ "code": w.code, "message": w.message.get(lang) }))
            .collect(),
    )
}

/// The dashboard's warnings box (nothing when there is none); `esc` is the
/// page's HTML escaping.
pub fn html_box(ws: &[Warning], esc: fn(&str) -> String) -> String {
    if ws.is_empty() {
        return String::new();
    }
    let mut h = String::from("<section id=\"warnings\" class=\"note\">\n<b>请注意</b>\n<ul>\n");
    for w in ws {
        let _ = writeln!(
            h,
            "<li data-code=\"{}\">{}</li>",
            w.code,
            esc(&w.message.zh)
        );
    }
    h.push_str("</ul>\n</section>\n");
    h
}
