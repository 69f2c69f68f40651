//! A month run again (重跑已记录月份): what differs between the run the
//! ledger recorded for that month and this one, so that replacing a month's
//! record is never an accident. The same inputs replay silently; other
//! inputs are refused unless `--replace` says so, and the refusal names
//! every input added, dropped or changed.

use serde_json::Value;

use crate::error::Error;

/// One input as a manifest records it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Input {
    kind: String,
    path: String,
    sha256: String,
}

fn inputs(manifest: &Value) -> Vec<Input> {
    manifest["inputs"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|i| Input {
                    kind: i["kind"].as_str().unwrap_or("").to_string(),
                    path: i["path"].as_str().unwrap_or("").to_string(),
                    sha256: i["sha256"].as_str().unwrap_or("").to_string(),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn short(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}

/// The differences between the recorded manifest `old` and this run's `new`,
/// one line each (inputs compared by kind and SHA-256, so a renamed file
/// with the same bytes is the same input).
pub fn differences(old: &Value, new: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let (mut was, now) = (inputs(old), inputs(new));
    let mut added = Vec::new();
    for n in &now {
        match was
            .iter()
            .position(|w| w.kind == n.kind && w.sha256 == n.sha256)
        {
            Some(i) => {
                was.remove(i);
            }
            None => added.push(n),
        }
    }
    for n in added {
        match was
            .iter()
            .position(|w| w.kind == n.kind && w.path == n.path)
        {
            Some(i) => {
                let w = was.remove(i);
                out.push(format!(
                    "内容已变 changed: --{} {} (SHA-256 {}… → {}…)",
                    n.kind,
                    n.path,
                    short(&w.sha256),
                    short(&n.sha256)
                ));
            }
            None => out.push(format!("新增 added: --{} {}", n.kind, n.path)),
        }
    }
    for w in was {
        out.push(format!("缺少 dropped: --{} {}", w.kind, w.path));
    }
    for (key, what) in [
        ("/policy/sha256", "政策文件 policy file"),
        ("/schemas", "表头表 schemas"),
        ("/tool_version", "yibao-recon 版本 version"),
    ] {
        if old.pointer(key) != new.pointer(key) {
            out.push(format!(
                "{what}: {} → {}",
                show(old.pointer(key)),
                show(new.pointer(key))
            ));
        }
    }
    if out.is_empty() {
        out.push("输入文件相同但顺序不同 the same inputs in another order".into());
    }
    out
}

fn show(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => short(s).to_string(),
        Some(v) => v.to_string(),
        None => "-".into(),
    }
}

/// The refusal of a run that would replace a recorded month by accident.
pub fn refusal(ledger: &str, as_of: &str, diffs: &[String]) -> Error {
    // The differences are listed in both languages where they are made.
    let diffs = diffs.join("\n  ");
    crate::error::usage(
        format!(
            "账本 {ledger} 已记录 {as_of} 的运行，本次输入与之不同，未做任何改动：\n  {diffs}\n\
             确需用本次输入替换该月记录请加 --replace；只想试算请加 --no-ledger"
        ),
        format!(
            "the ledger {ledger} already records the run of {as_of} with other inputs; nothing was changed:\n  {diffs}\n\
             to replace that month's record with these inputs on purpose, pass --replace; for a trial run that leaves the ledger alone, pass --no-ledger"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn manifest(inputs: &[(&str, &str, &str)]) -> Value {
        json!({
            "tool_version": "0.1.0",
            "schemas": "embedded",
            "policy": {"sha256": "p"},
            "inputs": inputs.iter().map(|(k, p, s)| json!({"kind": k, "path": p, "sha256": s})).collect::<Vec<_>>(),
        })
    }

    #[test]
    fn names_inputs_added_dropped_and_changed() {
        let old = manifest(&[
            ("enrollment", "e.csv", "aaaa"),
            ("civil", "c.csv", "cccc"),
            ("agri", "a.csv", "dddd"),
        ]);
        let new = manifest(&[
            ("enrollment", "e.csv", "bbbb"),
            ("civil", "renamed.csv", "cccc"),
            ("veterans", "v.csv", "eeee"),
        ]);
        assert_eq!(
            differences(&old, &new),
            vec![
                "内容已变 changed: --enrollment e.csv (SHA-256 aaaa… → bbbb…)".to_string(),
                "新增 added: --veterans v.csv".to_string(),
                "缺少 dropped: --agri a.csv".to_string(),
            ]
        );
    }

    #[test]
    fn a_policy_change_is_named() {
        let old = manifest(&[("enrollment", "e.csv", "aaaa")]);
        let mut new = old.clone();
        new["policy"]["sha256"] = json!("q");
        assert_eq!(
            differences(&old, &new),
            vec!["政策文件 policy file: p → q".to_string()]
        );
    }
}
