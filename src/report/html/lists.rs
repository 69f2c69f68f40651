//! The dashboard's list section (本月各清单): every list's rows and money,
//! and the subsidy by payer × status.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::texts::describe;
use super::{esc, refund_sum, yuan};
use crate::domain::Fen;
use crate::policy::Policy;
use crate::report::csv_out::ReportTable;
use crate::rules::subsidy::SubsidyStatus;
use crate::rules::{Outcome, RefundStatus};

pub(super) fn lists_section(
    h: &mut String,
    policy: &Policy,
    tables: &[ReportTable],
    outcome: &Outcome,
) {
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
