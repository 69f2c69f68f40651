//! Reading the ledger back: one person's items across months (`ledger
//! history --id`) and the runs it holds (`ledger runs`). Output is
//! tab-separated text with a header line, so it pastes into a spreadsheet.
//! The person's ID is printed masked: the clerk typed it, logs keep no copy.
//! Headers and the list and lifecycle columns are in the clerk's language
//! (issue 16); what the rules wrote into an item (its detail) is data.

use chrono::NaiveDate;
use rusqlite::params;

use super::{sql_err, Ledger, Lifecycle, ListKind};
use crate::domain::{mask, parse_person_id, Fen};
use crate::error::Result;
use crate::i18n::Lang;

/// `zh` or `en` by `lang`.
fn say(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// The ledger's spelling of a person: the normalised resident ID, or
/// `type:number` for other documents (as the reports print it).
pub fn person_key(raw: &str, today: NaiveDate) -> Result<String> {
    if let Some((t, n)) = raw.split_once(':') {
        return Ok(format!("{}:{}", t.trim(), n.trim()));
    }
    parse_person_id(raw, crate::domain::id::RESIDENT_ID, today)
        .map(|p| p.to_string())
        .map_err(|e| {
            crate::error::usage(
                format!(
                    "--id `{}` 不是有效的身份证号（{e:?}）；其他证件请写成 证件类型:号码",
                    mask(raw)
                ),
                format!(
                    "--id `{}` is not a valid resident ID ({e:?}); for another document type write TYPE:NUMBER",
                    mask(raw)
                ),
            )
        })
}

/// Every item of one person, run by run, and the refunds confirmed paid.
pub fn history(ledger: &Ledger, person: &str, lang: Lang) -> Result<String> {
    let display = ledger.display();
    let err = |e| sql_err(&display, e);
    let conn = ledger.conn();
    let mut st = conn
        .prepare(
            "SELECT r.as_of, i.list, i.year, ir.county, ir.detail, ir.amount_fen, ir.disposition,
                    ir.lifecycle, ir.first_listed, i.pay_date, i.key
             FROM item_runs ir JOIN items i ON i.key = ir.key JOIN runs r ON r.run_id = ir.run_id
             WHERE i.person = ?1
             ORDER BY i.series, r.as_of, i.list, i.key",
        )
        .map_err(err)?;
    let mut out = match lang {
        Lang::Zh => format!("# 身份证号 {} 各月的清单条目\n", mask(person)),
        Lang::En => format!("# items of {} across months\n", mask(person)),
    };
    out.push_str(say(
        lang,
        "对账日期\t清单\t参保年度\t区划代码\t缴费日期\t事项\t金额\t处理状态\t生命周期状态\t首次列出日期\n",
        "as_of\tlist\tyear\tcounty\tpay_date\tdetail\tamount\tdisposition\tlifecycle\tfirst_listed\n",
    ));
    let mut n = 0;
    let rows = st
        .query_map(params![person], |r| {
            Ok([
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?.to_string(),
                r.get::<_, String>(3)?,
                r.get::<_, String>(9)?,
                r.get::<_, String>(4)?,
                Fen(r.get(5)?).to_string(),
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, String>(8)?,
            ])
        })
        .map_err(err)?;
    for row in rows {
        let mut row = row.map_err(err)?;
        if lang == Lang::En {
            row[5] = crate::i18n::quote_cjk(&row[5]);
        }
        // Chinese: the code the reports' 代码 columns hold, and its name.
        if let Some(l) = ListKind::parse(&row[1]) {
            row[1] = match lang {
                Lang::Zh => format!("{} {}", l.code(), l.zh()),
                Lang::En => l.code().to_string(),
            };
        }
        if let Some(l) = Lifecycle::parse(&row[8]) {
            row[8] = match lang {
                Lang::Zh => format!("{} {}", l.code(), l.zh()),
                Lang::En => l.code().to_string(),
            };
        }
        out.push_str(&row.join("\t"));
        out.push('\n');
        n += 1;
    }
    if n == 0 {
        return Err(crate::error::usage(
            format!(
                "账本 {display} 中没有 {} 的任何条目（已记录的各次运行中均无其退费、重新核定或应参未参）",
                mask(person)
            ),
            format!(
                "the ledger {display} lists no item for {} (no refund, re-rating or missing enrollment in any recorded run)",
                mask(person)
            ),
        ));
    }
    let mut st = conn
        .prepare(
            "SELECT i.year, i.county, i.pay_date, p.amount_fen, coalesce(p.paid_on, ''), p.source_file, p.source_line
             FROM payments p JOIN items i ON i.key = p.key WHERE i.person = ?1 ORDER BY i.key",
        )
        .map_err(err)?;
    let paid = st
        .query_map(params![person], |r| {
            let line = r.get::<_, i64>(6)?;
            let at = match lang {
                Lang::Zh => format!("第 {line} 行"),
                Lang::En => format!("line {line}"),
            };
            Ok(format!(
                "{}\t{}\t{}\t{}\t{}\t{} {at}",
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                Fen(r.get(3)?),
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })
        .map_err(err)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(err)?;
    if !paid.is_empty() {
        out.push_str(say(
            lang,
            "\n# 已确认退费（ledger mark-paid 导入）\n参保年度\t区划代码\t缴费日期\t退费金额\t退费日期\t导入文件及行号\n",
            "\n# refunds confirmed paid (ledger mark-paid)\nyear\tcounty\tpay_date\tamount\tpaid_on\tsource\n",
        ));
        for p in paid {
            out.push_str(&p);
            out.push('\n');
        }
    }
    Ok(out)
}

/// The recorded runs, oldest first, with their manifest's headline.
pub fn runs(ledger: &Ledger, lang: Lang) -> Result<String> {
    let display = ledger.display();
    let err = |e| sql_err(&display, e);
    let mut st = ledger
        .conn()
        .prepare(
            "SELECT r.series, r.as_of, r.policy_id, substr(r.policy_sha256, 1, 12), r.recorded_at, r.manifest,
                    (SELECT count(*) FROM item_runs ir WHERE ir.run_id = r.run_id AND ir.lifecycle <> 'resolved')
             FROM runs r ORDER BY r.series, r.as_of",
        )
        .map_err(err)?;
    let mut out = String::from(say(
        lang,
        "地区/年度\t对账日期\t政策\t政策 SHA-256\t记录时间\t输入文件数\t列出条目数\n",
        "series\tas_of\tpolicy\tpolicy_sha256\trecorded_at\tinputs\tlisted_items\n",
    ));
    let rows = st
        .query_map([], |r| {
            let manifest: String = r.get(5)?;
            let inputs = serde_json::from_str::<serde_json::Value>(&manifest)
                .ok()
                .and_then(|v| v["inputs"].as_array().map(Vec::len))
                .unwrap_or(0);
            Ok(format!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                inputs,
                r.get::<_, i64>(6)?
            ))
        })
        .map_err(err)?;
    for r in rows {
        out.push_str(&r.map_err(err)?);
        out.push('\n');
    }
    Ok(out)
}

/// The manifest of the run of `series` recorded as of `as_of` (issue 16:
/// the ending compares each input's rows with last month's).
pub fn manifest_of(
    ledger: &Ledger,
    series: &str,
    as_of: NaiveDate,
) -> Result<Option<serde_json::Value>> {
    use rusqlite::OptionalExtension;
    let display = ledger.display();
    let text: Option<String> = ledger
        .conn()
        .query_row(
            "SELECT manifest FROM runs WHERE series = ?1 AND as_of = ?2",
            params![series, crate::domain::fmt_date(as_of)],
            |r| r.get(0),
        )
        .optional()
        .map_err(|e| sql_err(&display, e))?;
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
}
