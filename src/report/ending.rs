//! The run's ending on the console (issue 16): what the clerk acts on this
//! month — refunds, re-ratings, missing enrollments, coverage against the
//! targets, the change since last month, rejects and conflicts, warnings —
//! and where the dashboard and workbooks are. Every figure is read from the
//! run's `summary.json` value, so the screen and the file cannot disagree.

use std::path::Path;

use serde_json::Value;

use crate::domain::{parse_yuan, Fen};
use crate::i18n::Lang;
use crate::rules::RefundStatus;

/// How many reasons the ending names for rejects and for conflicts.
const TOP_REASONS: usize = 3;

/// The ending's lines, in `lang`, for the run whose summary is `s` and
/// whose output directory is `out`.
pub fn lines(s: &Value, out: &Path, lang: Lang) -> Vec<String> {
    let zh = lang == Lang::Zh;
    let o = &s["outputs"];
    let as_of = s["as_of"].as_str().unwrap_or("");
    let mut v = vec![if zh {
        format!("—— 本月对账结果（对账日期 {as_of}）——")
    } else {
        format!("—— This month's results (as of {as_of}) ——")
    }];
    v.push(refunds(&o["refunds.csv"], zh));
    v.push(rerating(&o["rerating.csv"], zh));
    v.push(missing(&o["missing_enrollment.csv"], zh));
    v.extend(coverage(&s["coverage"], zh));
    v.push(since_last(&s["ledger"], zh));
    v.push(reasons(
        count(&o["rejects.csv"]["rows"]),
        &s["rejects_by_reason"],
        super::html::reject_text,
        if zh { "拒收" } else { "rejected rows" },
        zh,
    ));
    v.push(reasons(
        count(&o["conflicts.csv"]["rows"]),
        &s["conflicts_by_reason"],
        super::html::conflict_text,
        if zh {
            "待核实"
        } else {
            "conflicts to check"
        },
        zh,
    ));
    for w in s["warnings"].as_array().into_iter().flatten() {
        let m = w["message"].as_str().unwrap_or("");
        v.push(if zh {
            format!("请注意：{m}")
        } else {
            format!("Warning: {m}")
        });
    }
    v.extend(paths(s, out, zh));
    v
}

fn count(v: &Value) -> u64 {
    v.as_u64().unwrap_or(0)
}

/// A summary amount (`-140.00`) with thousands separators and the unit.
fn money(v: &Value, zh: bool) -> String {
    let raw = v.as_str().unwrap_or("0.00");
    let (sign, digits) = match raw.strip_prefix('-') {
        Some(d) => (-1, d),
        None => (1, raw),
    };
    let text = parse_yuan(digits).map_or(raw.to_string(), |f| Fen(sign * f.0).grouped());
    if zh {
        format!("{text} 元")
    } else {
        format!("CNY {text}")
    }
}

fn refunds(r: &Value, zh: bool) -> String {
    let parts: Vec<String> = [
        RefundStatus::Payable,
        RefundStatus::Review,
        RefundStatus::Expired,
    ]
    .iter()
    .map(|st| {
        let e = &r["by_status"][st.code()];
        let (n, amount) = (count(&e["rows"]), money(&e["amount"], zh));
        if zh {
            format!("{} {n} 人 {amount}", st.zh())
        } else {
            format!("{} {n} ({amount})", st.code())
        }
    })
    .collect();
    if zh {
        format!("退费：{}", parts.join("；"))
    } else {
        format!("Refunds: {}", parts.join("; "))
    }
}

fn rerating(r: &Value, zh: bool) -> String {
    let (n, diff) = (count(&r["rows"]), money(&r["total_difference"], zh));
    if zh {
        format!("重新核定：{n} 人，应缴差额合计 {diff}")
    } else {
        format!("Re-ratings: {n}, difference in contributions {diff}")
    }
}

fn missing(m: &Value, zh: bool) -> String {
    let (n, due) = (count(&m["rows"]), money(&m["total_due"], zh));
    let unreg = count(&m["by_kind"]["unregistered"]["rows"]);
    let unpaid = count(&m["by_kind"]["registered_unpaid"]["rows"]);
    if zh {
        format!("应参未参：{n} 人（未登记 {unreg}，登记未缴费 {unpaid}），应缴合计 {due}")
    } else {
        format!("Missing enrollment: {n} (not registered {unreg}, registered but unpaid {unpaid}), due {due}")
    }
}

fn coverage(groups: &Value, zh: bool) -> Vec<String> {
    groups
        .as_array()
        .into_iter()
        .flatten()
        .map(|g| {
            let name = g["name"].as_str().unwrap_or("");
            // A group's name is the policy's text: data, quoted in English.
            let name = if zh {
                name.to_string()
            } else {
                crate::i18n::quote_cjk(name)
            };
            let target = count(&g["target_percent"]);
            let needed = count(&g["needed"]);
            let (base, covered) = (count(&g["base"]), count(&g["covered"]));
            let rate = g["rate_percent"].as_str().map(|r| format!("{r}%"));
            match (zh, rate, needed) {
                (true, None, _) => format!("参保率：{name} 无应参人员（目标 {target}%）"),
                (true, Some(r), 0) => {
                    format!("参保率：{name} {r}（{covered}/{base}），目标 {target}%，已达标")
                }
                (true, Some(r), n) => {
                    format!("参保率：{name} {r}（{covered}/{base}），目标 {target}%，还差 {n} 人")
                }
                (false, None, _) => {
                    format!("Coverage: {name} has nobody to cover (target {target}%)")
                }
                (false, Some(r), 0) => {
                    format!("Coverage: {name} {r} ({covered}/{base}), target {target}%, met")
                }
                (false, Some(r), n) => format!(
                    "Coverage: {name} {r} ({covered}/{base}), target {target}%, {n} more persons needed"
                ),
            }
        })
        .collect()
}

/// New and resolved items of the three tracked lists against the ledger's
/// previous run.
fn since_last(l: &Value, zh: bool) -> String {
    if l["no_ledger"].as_bool() == Some(true) {
        return if zh {
            "与上月相比：试算（--no-ledger），不与上月比较".to_string()
        } else {
            "Since last month: trial run (--no-ledger), not compared".to_string()
        };
    }
    let Some(prev) = l["previous_as_of"].as_str() else {
        return if zh {
            "与上月相比：账本中没有更早的对账，本月条目都是新增".to_string()
        } else {
            "Since last month: the ledger holds no earlier run; every item is new".to_string()
        };
    };
    let sum = |state: &str| -> u64 {
        l["lifecycle"]
            .as_object()
            .into_iter()
            .flat_map(|m| m.values())
            .map(|list| count(&list[state]))
            .sum()
    };
    let (new, resolved) = (sum("new"), sum("resolved"));
    if zh {
        format!("与上次对账（{prev}）相比：新增 {new} 条，已解决 {resolved} 条（退费、重新核定、应参未参）")
    } else {
        format!("Since the last run ({prev}): {new} new, {resolved} resolved (refunds, re-ratings, missing enrollment)")
    }
}

/// `拒收 12 行，最多的原因：必填项为空 2 行、…` — the top reasons by rows,
/// ties by code.
fn reasons(
    total: u64,
    by: &Value,
    text: fn(&str) -> (&'static str, &'static str),
    what: &str,
    zh: bool,
) -> String {
    let mut top: Vec<(&str, u64)> = by
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, n)| (k.as_str(), count(n)))
        .collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let named: Vec<String> = top
        .iter()
        .take(TOP_REASONS)
        .map(|(code, n)| match (zh, text(code).0) {
            (true, "") => format!("{code} {n} 行"),
            (true, t) => format!("{t} {n} 行"),
            (false, _) => format!("{code} {n}"),
        })
        .collect();
    match (zh, named.is_empty()) {
        (true, true) => format!("{what}：{total} 行"),
        (true, false) => format!("{what}：{total} 行，最多的原因：{}", named.join("、")),
        (false, true) => format!("{what}: {total}"),
        (false, false) => format!("{what}: {total}, most often {}", named.join(", ")),
    }
}

/// Where the clerk opens the results.
fn paths(s: &Value, out: &Path, zh: bool) -> Vec<String> {
    let books = s["outputs"].as_object().map_or(0, |m| {
        m.keys().filter(|k| k.starts_with("by_county/")).count()
    });
    let (html, xlsx, counties) = (
        out.join("report.html"),
        out.join("report.xlsx"),
        out.join("by_county"),
    );
    if zh {
        vec![
            format!("看板：{}", html.display()),
            format!("汇总工作簿：{}", xlsx.display()),
            format!("各区县工作簿（{books} 个）：{}/", counties.display()),
        ]
    } else {
        vec![
            format!("Dashboard: {}", html.display()),
            format!("Workbook: {}", xlsx.display()),
            format!("County workbooks ({books}): {}/", counties.display()),
        ]
    }
}
