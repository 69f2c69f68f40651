//! `yibao-recon verify`: checks a run's lists (written with `--header-lang
//! en`) against a planted answer key. For every planted person and every list
//! of [`LISTS`], the person's rows must be exactly the key's rows for that
//! list: each expected row matches one distinct actual row on the key's
//! columns, and no row is left over — so a planted person on a list the key
//! does not name for them is a mismatch too.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use super::LISTS;
use crate::error::{Error, Result};

/// One shape's tally.
#[derive(Debug, Default, Clone)]
pub struct ShapeResult {
    pub instances: u64,
    pub matched: u64,
    /// The first mismatching person: what the key says and what the lists hold.
    pub first_mismatch: Option<String>,
}

/// Expected rows of one planted person, by list.
#[derive(Default)]
struct Key {
    shape: String,
    rows: BTreeMap<String, Vec<Vec<(String, String)>>>,
}

type Row = HashMap<String, String>;

fn read_csv(path: &Path) -> Result<csv::Reader<std::fs::File>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path.display(), e))?;
    Ok(csv::ReaderBuilder::new().flexible(false).from_reader(file))
}

fn csv_err(path: &Path, e: csv::Error) -> Error {
    Error::Usage(format!("{}: {e}", path.display()))
}

/// Reads `answers.csv`.
fn read_key(path: &Path) -> Result<BTreeMap<String, Key>> {
    let mut rdr = read_csv(path)?;
    let mut keys: BTreeMap<String, Key> = BTreeMap::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| csv_err(path, e))?;
        let (shape, id, list, fields) = (&rec[0], &rec[1], &rec[3], &rec[4]);
        let key = keys.entry(id.to_string()).or_default();
        key.shape = shape.to_string();
        if list == "planted" {
            continue;
        }
        if !LISTS.contains(&list) {
            return Err(Error::Usage(format!(
                "{}: list `{list}` is not one the checker reads",
                path.display()
            )));
        }
        let pairs = fields
            .split('|')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        key.rows.entry(list.to_string()).or_default().push(pairs);
    }
    Ok(keys)
}

/// The rows of one output list that belong to planted persons.
fn read_list(path: &Path, planted: &HashSet<&str>) -> Result<HashMap<String, Vec<Row>>> {
    let mut out: HashMap<String, Vec<Row>> = HashMap::new();
    if !path.exists() {
        return Ok(out);
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path.display(), e))?;
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut rdr = csv::Reader::from_reader(text);
    let headers = rdr.headers().map_err(|e| csv_err(path, e))?.clone();
    let Some(id_col) = headers.iter().position(|h| h == "id_number") else {
        return Err(Error::Usage(format!(
            "{}: no `id_number` column (run with --header-lang en)",
            path.display()
        )));
    };
    for rec in rdr.records() {
        let rec = rec.map_err(|e| csv_err(path, e))?;
        let id = rec.get(id_col).unwrap_or("");
        if planted.contains(id) {
            let row = headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect();
            out.entry(id.to_string()).or_default().push(row);
        }
    }
    Ok(out)
}

/// `flags` is a `;`-list whose order the SPEC does not fix.
fn same_value(col: &str, want: &str, got: &str) -> bool {
    if col == "flags" {
        let mut a: Vec<&str> = want.split(';').filter(|s| !s.is_empty()).collect();
        let mut b: Vec<&str> = got.split(';').filter(|s| !s.is_empty()).collect();
        a.sort_unstable();
        b.sort_unstable();
        a == b
    } else {
        want == got
    }
}

fn matches(want: &[(String, String)], got: &Row) -> bool {
    want.iter()
        .all(|(k, v)| got.get(k).is_some_and(|g| same_value(k, v, g)))
}

/// Whether `got` is exactly `want` (each expected row matched once, nothing left).
fn same_rows(want: &[Vec<(String, String)>], got: &[Row]) -> bool {
    if want.len() != got.len() {
        return false;
    }
    let mut used = vec![false; got.len()];
    want.iter().all(|w| {
        let hit = got
            .iter()
            .enumerate()
            .position(|(i, g)| !used[i] && matches(w, g));
        hit.map(|i| used[i] = true).is_some()
    })
}

fn describe(id: &str, list: &str, want: &[Vec<(String, String)>], got: &[Row]) -> String {
    let cols: Vec<&str> = match want.first() {
        Some(w) => w.iter().map(|(k, _)| k.as_str()).collect(),
        None => vec!["county_code", "reason", "status", "flags", "conflict"],
    };
    let show_want: Vec<String> = want
        .iter()
        .map(|w| {
            let kv: Vec<String> = w.iter().map(|(k, v)| format!("{k}={v}")).collect();
            kv.join(" ")
        })
        .collect();
    let show_got: Vec<String> = got
        .iter()
        .map(|g| {
            let kv: Vec<String> = cols
                .iter()
                .filter_map(|k| g.get(*k).map(|v| format!("{k}={v}")))
                .collect();
            kv.join(" ")
        })
        .collect();
    format!(
        "{id} {list}: expected [{}] got [{}]",
        show_want.join("; "),
        show_got.join("; ")
    )
}

/// Checks the outputs in `out` against `answers`; per shape, in key order.
pub fn verify(answers: &Path, out: &Path) -> Result<BTreeMap<String, ShapeResult>> {
    let keys = read_key(answers)?;
    let planted: HashSet<&str> = keys.keys().map(String::as_str).collect();
    let mut lists = Vec::new();
    for list in LISTS {
        lists.push((list, read_list(&out.join(list), &planted)?));
    }
    let mut results: BTreeMap<String, ShapeResult> = BTreeMap::new();
    for (id, key) in &keys {
        let r = results.entry(key.shape.clone()).or_default();
        r.instances += 1;
        let mut first = None;
        for (list, rows) in &lists {
            let want = key.rows.get(*list).map(Vec::as_slice).unwrap_or(&[]);
            let got = rows.get(id).map(Vec::as_slice).unwrap_or(&[]);
            if first.is_none() && !same_rows(want, got) {
                first = Some(describe(id, list, want, got));
            }
        }
        match first {
            None => r.matched += 1,
            Some(m) => {
                r.first_mismatch.get_or_insert(m);
            }
        }
    }
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(kv: &[(&str, &str)]) -> Row {
        kv.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn want(kv: &[(&str, &str)]) -> Vec<(String, String)> {
        kv.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn an_unexpected_row_is_a_mismatch() {
        let got = [row(&[("reason", "DUPLICATE")])];
        assert!(!same_rows(&[], &got));
        assert!(same_rows(&[], &[]));
    }

    #[test]
    fn each_expected_row_needs_its_own_actual_row() {
        let w = want(&[("reason", "DECEASED")]);
        let got = [
            row(&[("reason", "DECEASED")]),
            row(&[("reason", "DUPLICATE")]),
        ];
        assert!(!same_rows(&[w.clone(), w.clone()], &got));
        let both = [
            row(&[("reason", "DECEASED")]),
            row(&[("reason", "DECEASED")]),
        ];
        assert!(same_rows(&[w.clone(), w], &both));
    }

    #[test]
    fn flags_compare_as_a_set() {
        assert!(same_value(
            "flags",
            "AMOUNT_MISMATCH;NO_HISTORY",
            "NO_HISTORY;AMOUNT_MISMATCH"
        ));
        assert!(!same_value("flags", "NO_HISTORY", ""));
        assert!(!same_value("status", "a;b", "b;a"));
    }
}
