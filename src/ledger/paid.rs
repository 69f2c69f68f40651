//! `ledger mark-paid FILE` (退费到账确认): imports the refunds actually paid,
//! so later runs show them as `paid` and never as new again.
//!
//! A row names 身份证号, 参保年度 and 退费金额 (optionally 参保区划代码 and
//! 缴费日期 to pick one of several refunds, and 退费日期). It must match a
//! refund the ledger has listed, with the amount listed. The file is imported
//! whole or not at all: any refused row (named by its line) leaves the ledger
//! untouched. The file is read like any export (CSV in UTF-8 / GBK, or XLSX).

use std::collections::HashSet;
use std::path::Path;

use chrono::NaiveDate;
use rusqlite::params;

use super::lifecycle::next_seq;
use super::{sql_err, Ledger};
use crate::domain::{fmt_date, mask, parse_date, parse_person_id, parse_yuan, Fen};
use crate::error::{Error, Result};
use crate::ingest::read::{read_meta, stream_rows, RawRow, RowBlock, TableMeta};
use crate::ingest::schema::{ColumnSpec, SourceSchema};

/// The columns of a paid-refunds file.
fn schema() -> SourceSchema {
    let col = |key: &str, zh: &str, required: bool, aliases: &[&str]| ColumnSpec {
        key: key.into(),
        zh: zh.into(),
        required,
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        ..ColumnSpec::default()
    };
    SourceSchema {
        kind: "paid_refunds".into(),
        zh: "已退费名单".into(),
        columns: vec![
            col(
                "id_number",
                "身份证号",
                true,
                &["身份证号码", "公民身份号码", "证件号码", "id_number"],
            ),
            col("year", "参保年度", true, &["年度", "year"]),
            col(
                "refund_amount",
                "退费金额",
                true,
                &["实退金额", "已退金额", "金额", "refund_amount", "amount"],
            ),
            col(
                "county_code",
                "参保区划代码",
                false,
                &["区划代码", "county_code"],
            ),
            col("pay_date", "缴费日期", false, &["pay_date"]),
            col(
                "paid_on",
                "退费日期",
                false,
                &["到账日期", "支付日期", "paid_on"],
            ),
        ],
    }
}

/// One row of the file, parsed.
struct PaidRow {
    line: u64,
    person: String,
    year: i32,
    amount: Fen,
    county: Option<String>,
    pay_date: Option<String>,
    paid_on: Option<String>,
}

/// A listed refund a row may confirm.
struct Candidate {
    key: String,
    county: String,
    pay_date: String,
    amount: Fen,
    paid: Option<(String, i64)>,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub rows: usize,
    pub total: Fen,
    /// The same file (by its SHA-256) was imported before: nothing was
    /// done this time (issue 16: a second identical import is a no-op).
    pub already: bool,
}

/// Imports `file` into the ledger, or refuses it whole naming every bad line.
pub fn mark_paid(ledger: Ledger, file: &Path, today: NaiveDate) -> Result<Imported> {
    let display = file.display().to_string();
    let ldisplay = ledger.display();
    let err = |e| sql_err(&ldisplay, e);
    let schema = schema();
    let meta = read_meta(file, &display, &schema)?;
    let mut blocks: Vec<RowBlock> = Vec::new();
    let stats = stream_rows(
        file,
        &display,
        0,
        &meta,
        || None,
        |block| {
            blocks.push(block);
            Ok(())
        },
    )?;
    if let Some(done) = imported_before(&ledger, &stats.sha256)? {
        return Ok(done);
    }
    // Byte-identical rows (see the refusal below).
    let mut seen = crate::ingest::read::RowHashSet::default();
    let mut merged_duplicates = 0u64;
    let mut raw_rows: Vec<RawRow<'_>> = Vec::new();
    for r in blocks.iter().flat_map(RowBlock::iter) {
        if seen.insert(r.content_hash()) {
            raw_rows.push(r);
        } else {
            merged_duplicates += 1;
        }
    }

    // (line, message); line 0 is about the whole file.
    let mut refused: Vec<(u64, String)> = Vec::new();
    let mut rows = Vec::new();
    for r in &raw_rows {
        match parse_row(&meta, r, today) {
            Ok(p) => rows.push(p),
            Err(m) => refused.push((r.line, m)),
        }
    }
    // A broken quote or a row too wide (issue 10) is a bad line too.
    for r in &stats.rejects {
        refused.push((r.line, format!("{} — {}", r.message.zh, r.message.en)));
    }

    if merged_duplicates > 0 {
        // Two identical rows are one payment listed twice or two payments
        // that cannot be told apart: either way a person must look.
        refused.push((0, format!(
            "{n} 行与前面某行完全相同，无法区分是重复登记还是两笔退费；请删去重复行，或加上参保区划代码/缴费日期加以区分 — {n} row(s) repeat an earlier row exactly; remove the repeat, or add 参保区划代码 / 缴费日期 to tell two refunds apart",
            n = merged_duplicates
        )));
    }
    let conn = ledger.conn();
    let mut taken: HashSet<String> = HashSet::new();
    let mut chosen: Vec<(&PaidRow, String)> = Vec::new();
    let mut cands_q = conn
        .prepare(
            "SELECT i.key, i.county, i.pay_date,
               (SELECT ir.amount_fen FROM item_runs ir JOIN runs r ON r.run_id = ir.run_id
                 WHERE ir.key = i.key AND ir.lifecycle <> 'resolved'
                 ORDER BY r.as_of DESC, r.run_id DESC LIMIT 1),
               p.source_file, p.source_line
             FROM items i LEFT JOIN payments p ON p.key = i.key
             WHERE i.list = 'refunds' AND i.person = ?1 AND i.year = ?2
             ORDER BY i.key",
        )
        .map_err(err)?;
    for row in &rows {
        let cands: Vec<Candidate> = cands_q
            .query_map(params![row.person, row.year], |r| {
                Ok(Candidate {
                    key: r.get(0)?,
                    county: r.get(1)?,
                    pay_date: r.get(2)?,
                    amount: Fen(r.get::<_, Option<i64>>(3)?.unwrap_or(-1)),
                    paid: match r.get::<_, Option<String>>(4)? {
                        Some(f) => Some((f, r.get(5)?)),
                        None => None,
                    },
                })
            })
            .and_then(|it| it.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(err)?
            .into_iter()
            .filter(|c| row.county.as_ref().is_none_or(|x| *x == c.county))
            .filter(|c| row.pay_date.as_ref().is_none_or(|x| *x == c.pay_date))
            .collect();
        let who = format!("{} {}", mask(&row.person), row.year);
        let say = |m: String| (row.line, format!("{who}: {m}"));
        if cands.is_empty() {
            refused.push(say(
                "账本中没有列出过这笔退费 — matches no refund the ledger has listed".into(),
            ));
            continue;
        }
        let open = cands
            .iter()
            .find(|c| c.paid.is_none() && !taken.contains(&c.key) && c.amount == row.amount);
        if let Some(c) = open {
            taken.insert(c.key.clone());
            chosen.push((row, c.key.clone()));
            continue;
        }
        if let Some(c) = cands.iter().find(|c| c.amount == row.amount) {
            let by = match &c.paid {
                Some((f, l)) => format!("{f} line {l}"),
                None => "an earlier line of this file".into(),
            };
            refused.push(say(format!(
                "这笔退费已确认支付过（{by}）— already confirmed paid ({by}); a second payment needs a person's review"
            )));
            continue;
        }
        let listed: Vec<String> = cands.iter().map(|c| c.amount.to_string()).collect();
        refused.push(say(format!(
            "金额 {} 与列出的退费金额 {} 不符 — the amount differs from the listed refund amount ({})",
            row.amount,
            listed.join(" / "),
            listed.join(" / ")
        )));
    }
    drop(cands_q);
    if !refused.is_empty() {
        refused.sort_by_key(|r| r.0);
        let lines: Vec<(String, String)> = refused
            .iter()
            .map(|(l, m)| {
                use crate::i18n::{dash_half, quote_cjk, Lang};
                let (zh, en) = (dash_half(m, Lang::Zh), quote_cjk(dash_half(m, Lang::En)));
                match l {
                    0 => (zh.to_string(), en),
                    l => (format!("第 {l} 行：{zh}"), format!("line {l}: {en}")),
                }
            })
            .collect();
        let n = refused.len();
        let (zh, en): (Vec<String>, Vec<String>) = lines.into_iter().unzip();
        return Err(Error::Refused {
            file: display,
            message: crate::i18n::Msg::new(
                format!("{n} 行被拒绝，本次未导入任何记录：\n  {}", zh.join("\n  ")),
                format!(
                    "{n} row(s) refused, nothing was imported:\n  {}",
                    en.join("\n  ")
                ),
            ),
        });
    }
    let seq = next_seq(conn).map_err(err)?;
    let now = chrono::Local::now().to_rfc3339();
    let mut ins = conn
        .prepare(
            "INSERT INTO payments (key, seq, amount_fen, paid_on, source_file, source_line, source_sha256, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .map_err(err)?;
    let mut total = Fen::ZERO;
    for (row, key) in &chosen {
        ins.execute(params![
            key,
            seq,
            row.amount.0,
            row.paid_on,
            display,
            row.line as i64,
            stats.sha256,
            now
        ])
        .map_err(err)?;
        // Checked: an absurd file must not wrap the printed total.
        total = total
            .checked_add(row.amount)
            .ok_or_else(|| Error::MoneyOverflow {
                what: format!("{display} 退费金额"),
            })?;
    }
    drop(ins);
    ledger.commit()?;
    Ok(Imported {
        rows: chosen.len(),
        total,
        already: false,
    })
}

/// The payments a file with this content recorded before, if any. An
/// import is all or nothing, so any payment from the same bytes means the
/// whole file was imported: running it again changes nothing.
fn imported_before(ledger: &Ledger, sha256: &str) -> Result<Option<Imported>> {
    let (rows, total): (i64, Option<i64>) = ledger
        .conn()
        .query_row(
            "SELECT count(*), sum(amount_fen) FROM payments WHERE source_sha256 = ?1",
            [sha256],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(|e| sql_err(&ledger.display(), e))?;
    Ok((rows > 0).then(|| Imported {
        rows: usize::try_from(rows).unwrap_or(usize::MAX),
        total: Fen(total.unwrap_or(0)),
        already: true,
    }))
}

fn parse_row(
    meta: &TableMeta,
    r: &RawRow<'_>,
    today: NaiveDate,
) -> std::result::Result<PaidRow, String> {
    let line = r.line;
    let get = |key: &str| -> &str {
        meta.column(key)
            .and_then(|i| r.get(i))
            .map(str::trim)
            .unwrap_or("")
    };
    let raw_id = get("id_number");
    let person = parse_person_id(raw_id, crate::domain::id::RESIDENT_ID, today)
        .map(|p| p.to_string())
        .map_err(|_| format!("身份证号 `{}` 无效 — not a valid 身份证号", mask(raw_id)))?;
    let year: i32 = get("year").trim_end_matches('年').parse().map_err(|_| {
        format!(
            "参保年度 `{}` 不是年份 — 参保年度 is not a year",
            get("year")
        )
    })?;
    let amount = parse_yuan(get("refund_amount")).ok_or_else(|| {
        format!(
            "退费金额 `{}` 无法识别 — 退费金额 is not an amount such as 320.00",
            get("refund_amount")
        )
    })?;
    let opt_date = |key: &str, what: &str| -> std::result::Result<Option<String>, String> {
        let v = get(key);
        if v.is_empty() {
            return Ok(None);
        }
        parse_date(v)
            .map(|d| Some(fmt_date(d)))
            .ok_or_else(|| format!("{what} `{v}` 不是日期 — {what} is not a date"))
    };
    let county = match get("county_code") {
        "" => None,
        c => Some(
            crate::domain::County::parse(c)
                .map(|c| c.to_string())
                .ok_or_else(|| format!("参保区划代码 `{c}` 无效 — not a 6-digit county code"))?,
        ),
    };
    Ok(PaidRow {
        line,
        person,
        year,
        amount,
        county,
        pay_date: opt_date("pay_date", "缴费日期")?,
        paid_on: opt_date("paid_on", "退费日期")?,
    })
}
