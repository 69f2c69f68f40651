//! Row helpers shared by the integration tests that check report rows:
//! expected fields are written as `"header=value; header=value"` specs and
//! compared exactly (a blank value is written `header=`).
#![allow(dead_code)]

use std::collections::BTreeMap;

use super::{read_csv, Workdir};

pub type Row = BTreeMap<String, String>;

pub const OUT: &str = "out";

pub fn report(w: &Workdir, name: &str) -> Vec<Row> {
    read_csv(&w.path(&format!("{OUT}/{name}")))
}

pub fn for_id<'a>(rows: &'a [Row], id: &str) -> Vec<&'a Row> {
    rows.iter().filter(|r| r["身份证号"] == id).collect()
}

/// The one row of `rows` for this 身份证号 (fails on zero or several).
pub fn one(rows: &[Row], id: &str, what: &str) -> Row {
    let hits = for_id(rows, id);
    assert_eq!(hits.len(), 1, "{what} {id}: {hits:#?}");
    hits[0].clone()
}

pub fn none(rows: &[Row], id: &str, what: &str) {
    let hits = for_id(rows, id);
    assert!(hits.is_empty(), "{what} {id}: {hits:#?}");
}

/// Asserts every `header=value` of `spec` (separated by `;`) exactly.
pub fn check(row: &Row, spec: &str) {
    for kv in spec.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        let (k, v) = kv.split_once('=').expect("header=value");
        let got = row.get(k).map(String::as_str);
        assert_eq!(got, Some(v), "field {k} of {row:#?}");
    }
}

/// The sorted 身份证号 column.
pub fn ids(rows: &[Row]) -> Vec<&str> {
    let mut v: Vec<&str> = rows.iter().map(|r| r["身份证号"].as_str()).collect();
    v.sort();
    v
}

/// Splits a whitespace-separated list.
pub fn words(s: &str) -> Vec<&str> {
    s.split_whitespace().collect()
}

/// "320.00" → 32000 fen, without floats.
pub fn fen(s: &str) -> i64 {
    let (y, f) = s.split_once('.').unwrap_or((s, "0"));
    let sign = if y.starts_with('-') { -1 } else { 1 };
    let y: i64 = y.trim_start_matches('-').parse().unwrap();
    let f: i64 = format!("{f:0<2}")[..2].parse().unwrap();
    sign * (y * 100 + f)
}
