//! R9: money reconciles exactly — county rows add up to the TOTAL rows, the
//! ledger adds up to the per-person detail, and the fiscal split's levels add
//! up to each county's total.

use crate::common;

use std::collections::BTreeMap;

use common::rows::fen;
use common::{read_csv, run_sample};

#[test]
fn subsidy_ledger_reconciles_with_detail_and_totals() {
    for region in ["ningxia", "hulunbuir"] {
        let w = run_sample(region, "out");
        let detail = read_csv(&w.path("out/subsidy_detail.csv"));
        let ledger = read_csv(&w.path("out/subsidy_ledger.csv"));
        let mut from_detail: BTreeMap<(String, String, String), (i64, i64)> = BTreeMap::new();
        for d in &detail {
            let e = from_detail
                .entry((
                    d["区划代码"].clone(),
                    d["资助方代码"].clone(),
                    d["资助状态"].clone(),
                ))
                .or_default();
            e.0 += 1;
            e.1 += fen(&d["资助金额"]);
        }
        let mut county_rows = BTreeMap::new();
        let mut totals: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
        for l in &ledger {
            let v = (l["人数"].parse::<i64>().unwrap(), fen(&l["资助金额"]));
            if l["区划代码"] == "TOTAL" {
                totals.insert((l["资助方代码"].clone(), l["资助状态"].clone()), v);
            } else {
                county_rows.insert(
                    (
                        l["区划代码"].clone(),
                        l["资助方代码"].clone(),
                        l["资助状态"].clone(),
                    ),
                    v,
                );
            }
        }
        assert_eq!(
            county_rows, from_detail,
            "{region}: ledger rows must equal the detail summed"
        );
        let mut summed: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
        for ((_, payer, status), (n, a)) in &county_rows {
            let e = summed.entry((payer.clone(), status.clone())).or_default();
            e.0 += n;
            e.1 += a;
        }
        assert_eq!(
            summed, totals,
            "{region}: TOTAL rows must equal the county rows summed"
        );
        // Each detail row's tier: personal + every payer = ordinary (400 in both seeds).
        let mut per_row: BTreeMap<(String, String), i64> = BTreeMap::new();
        for d in &detail {
            *per_row
                .entry((d["参保文件"].clone(), d["参保行号"].clone()))
                .or_insert(fen(&d["该档个人缴费"])) += fen(&d["资助金额"]);
        }
        assert!(
            per_row.values().all(|v| *v == 40000),
            "{region}: {per_row:?}"
        );
    }
}

#[test]
fn fiscal_ledger_levels_add_up_per_county_and_in_total() {
    let w = run_sample("hulunbuir", "out");
    let rows = read_csv(&w.path("out/fiscal_ledger.csv"));
    assert!(rows.len() >= 2, "at least one county and the TOTAL row");
    let levels = ["中央", "自治区", "市级", "旗市区", "未分档地方部分"];
    let adv = [
        "预拨中央",
        "预拨自治区",
        "预拨市级",
        "预拨旗市区",
        "预拨未分档地方部分",
    ];
    let mut sum: BTreeMap<&str, i64> = BTreeMap::new();
    for r in &rows {
        let parts: i64 = levels.iter().map(|k| fen(&r[*k])).sum();
        assert_eq!(parts, fen(&r["全年补助合计"]), "{r:?}");
        let adv_parts: i64 = adv.iter().map(|k| fen(&r[*k])).sum();
        assert_eq!(adv_parts, fen(&r["预拨合计"]), "{r:?}");
        let persons: i64 = r["人数"].parse().unwrap();
        assert_eq!(fen(&r["全年补助合计"]), persons * 70000);
        assert_eq!(fen(&r["预拨合计"]), persons * 42000);
        if r["区划代码"] == "150781" {
            assert_eq!(r["财政分档"], "untiered", "满洲里市 is in no tier");
            assert_eq!((fen(&r["市级"]), fen(&r["旗市区"])), (0, 0));
        }
        if r["区划代码"] != "TOTAL" {
            for k in levels
                .iter()
                .chain(adv.iter())
                .chain(["全年补助合计", "预拨合计", "人数"].iter())
            {
                *sum.entry(k).or_default() += if *k == "人数" {
                    r[*k].parse::<i64>().unwrap()
                } else {
                    fen(&r[*k])
                };
            }
        }
    }
    let total = rows.iter().find(|r| r["区划代码"] == "TOTAL").unwrap();
    for (k, v) in sum {
        let t = if k == "人数" {
            total[k].parse::<i64>().unwrap()
        } else {
            fen(&total[k])
        };
        assert_eq!(t, v, "TOTAL {k}");
    }
}

#[test]
fn ningxia_has_no_fiscal_ledger() {
    let w = run_sample("ningxia", "out");
    assert!(!w.path("out/fiscal_ledger.csv").exists());
}
