//! Job files (`run --job job.toml`): every run flag in a file for the monthly
//! schedule. Relative paths are resolved against the job file's directory, so
//! the same job runs from any working directory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::domain::vocab::parse_toml;
use crate::domain::SourceKind;
use crate::error::{Error, Result};
use crate::ingest::InputSpec;
use crate::pipeline::RunConfig;
use crate::policy::raw::PolicyDate;
use crate::report::HeaderLang;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJob {
    policy: PathBuf,
    as_of: PolicyDate,
    out: PathBuf,
    #[serde(default)]
    force: bool,
    #[serde(default)]
    quiet: bool,
    header_lang: Option<String>,
    schemas: Option<PathBuf>,
    /// Issue 5: the reconciliation ledger (relative to the job file).
    ledger: Option<PathBuf>,
    /// Issue 5: masked IDs in the lists.
    #[serde(default)]
    mask_ids: bool,
    /// Source kind → files.
    inputs: BTreeMap<String, Vec<PathBuf>>,
}

/// Reads a job file into a run config.
pub fn load(path: &Path) -> Result<RunConfig> {
    let display = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(&display, e))?;
    let raw: RawJob = parse_toml(&text, &display).map_err(|m| {
        let (line, said) = crate::error::toml_message(&m, m.contains("key `"));
        let at = line.map(|n| format!("第 {n} 行")).unwrap_or_default();
        let zh = match said {
            Some(said) => format!("作业文件 {display}{at}有误：{said}"),
            None => format!("作业文件 {display}{at}有误：{}", m.replace('\n', "; ")),
        };
        crate::error::usage(zh, m.replace('\n', "; "))
    })?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let resolve = |p: &Path| {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            lexical_clean(&base.join(p))
        }
    };
    let mut inputs = Vec::new();
    // Fixed order (the CLI's), whatever order the file lists the kinds in.
    for kind in SourceKind::ALL {
        for p in raw.inputs.get(kind.key()).into_iter().flatten() {
            let path = resolve(p);
            inputs.push(InputSpec {
                kind,
                display: path.display().to_string(),
                path,
            });
        }
    }
    for key in raw.inputs.keys() {
        if SourceKind::from_key(key).is_none() {
            return Err(crate::error::usage(
                format!(
                    "{display}：inputs.{key} 不是来源类型；应为 enrollment、persons、civil、agri、disability、veterans、elsewhere 之一"
                ),
                format!(
                    "{display}: inputs.{key} is not a source kind; expected enrollment, persons, civil, agri, disability, veterans or elsewhere"
                ),
            ));
        }
    }
    let header_lang = match raw.header_lang.as_deref() {
        None | Some("zh") => HeaderLang::Zh,
        Some("en") => HeaderLang::En,
        Some(other) => {
            return Err(crate::error::usage(
                format!("{display}：header_lang `{other}` 只能是 zh 或 en"),
                format!("{display}: header_lang `{other}` must be zh or en"),
            ))
        }
    };
    Ok(RunConfig {
        policy: resolve(&raw.policy),
        as_of: raw.as_of.0,
        inputs,
        out: resolve(&raw.out),
        force: raw.force,
        header_lang,
        quiet: raw.quiet,
        schemas_dir: raw.schemas.as_deref().map(resolve),
        lang: crate::i18n::Lang::Zh,
        ledger: raw.ledger.as_deref().map(resolve),
        mask_ids: raw.mask_ids,
        partitions: None,
        memory: None,
        // Issue 13: command-line only, never a standing setting of a job.
        replace: false,
        no_ledger: false,
    })
}

/// Removes `.` and `name/..` pairs without touching the file system, so
/// reports name `sample_data/x.csv` rather than `jobs/../sample_data/x.csv`.
fn lexical_clean(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

#[cfg(test)]
mod tests {
    use super::lexical_clean;
    use std::path::{Path, PathBuf};

    #[test]
    fn cleans_relative_paths() {
        assert_eq!(
            lexical_clean(Path::new("jobs/../sample_data/a.csv")),
            PathBuf::from("sample_data/a.csv")
        );
        assert_eq!(lexical_clean(Path::new("./a/./b")), PathBuf::from("a/b"));
        assert_eq!(lexical_clean(Path::new("../x")), PathBuf::from("../x"));
        assert_eq!(
            lexical_clean(Path::new("/srv/jobs/../in.csv")),
            PathBuf::from("/srv/in.csv")
        );
    }
}
