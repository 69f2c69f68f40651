//! Output directories that survive a kill and keep personal data private:
//! staging directories are named after the process that owns them, so the
//! next run can remove those a killed run left; an `--out` moved aside by a
//! run killed mid-swap is put back. Every output is owner-only from its
//! creation (`crate::owner_only`).

use std::path::{Path, PathBuf};

/// Prefix of a run's hidden staging directory (`.yibao-recon-staging-<pid>-…`).
pub const STAGING: &str = ".yibao-recon-staging-";
/// Prefix of an old `--out` moved aside during `--force` (`.yibao-recon-old-<name>`).
pub const ASIDE: &str = ".yibao-recon-old-";

/// The staging prefix of this process.
pub fn staging_prefix() -> String {
    format!("{STAGING}{}-", std::process::id())
}

/// Where `--force` moves the old `out` while the new one takes its place.
pub fn aside_path(parent: &Path, out: &Path) -> PathBuf {
    parent.join(format!(
        "{ASIDE}{}",
        out.file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default()
    ))
}

/// Cleans up after runs that were killed in `parent`: removes the staging
/// directories of processes that no longer exist, puts an `--out` that was
/// moved aside back when nothing replaced it, and removes an old copy that
/// was replaced. Best effort: a failure here never stops a run.
pub fn recover(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let path = e.path();
        if let Some(rest) = name.strip_prefix(STAGING) {
            let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
            if pid.is_some_and(|p| !alive(p)) {
                let _ = std::fs::remove_dir_all(&path);
            }
        } else if let Some(out_name) = name.strip_prefix(ASIDE) {
            let target = parent.join(out_name);
            if out_name.is_empty() {
                continue;
            }
            if target.exists() {
                let _ = std::fs::remove_dir_all(&path);
            } else {
                let _ = std::fs::rename(&path, &target);
            }
        }
    }
}

/// Whether `out` already holds the output now staged in `staged`, so that
/// putting the new one in its place changes no byte but the timings: every
/// entry of `out` is a file the run also wrote, and the two `summary.json`
/// agree once `timings` and `generated_at` are left out (the summary names
/// the tool version, policy, as-of date, every input's SHA-256 and every
/// output's rows and totals). A run killed after publishing and before its
/// ledger commit left exactly that; anything else in `out` is not ours.
pub fn holds_same_output(out: &Path, staged: &Path) -> bool {
    if !names_within(out, staged) {
        return false;
    }
    let summary = |dir: &Path| -> Option<serde_json::Value> {
        let text = std::fs::read_to_string(dir.join("summary.json")).ok()?;
        let mut v: serde_json::Value = serde_json::from_str(&text).ok()?;
        let o = v.as_object_mut()?;
        o.remove("timings");
        o.remove("timings_ms");
        o.remove("generated_at");
        Some(v)
    };
    summary(out).is_some_and(|a| Some(a) == summary(staged))
}

/// Whether every entry of `out` is a file the staging directory also holds,
/// or a folder it also holds whose entries are (issue 15: `by_county/`).
fn names_within(out: &Path, staged: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(out) else {
        return false;
    };
    for e in entries {
        let Ok(e) = e else { return false };
        let (Ok(kind), theirs) = (e.file_type(), staged.join(e.file_name())) else {
            return false;
        };
        let same = if kind.is_file() {
            theirs.is_file()
        } else if kind.is_dir() {
            theirs.is_dir() && names_within(&e.path(), &theirs)
        } else {
            false
        };
        if !same {
            return false;
        }
    }
    true
}

/// Whether process `pid` still runs (Linux: `/proc/<pid>`). Where that cannot
/// be told, every process counts as alive, so nothing is removed.
fn alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return true;
    }
    proc.join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_dead_staging_and_restores_a_moved_aside_output() {
        let d = tempfile::tempdir().unwrap();
        let dead = d.path().join(format!("{STAGING}4000000000-abc"));
        let mine = d.path().join(format!("{}xyz", staging_prefix()));
        std::fs::create_dir_all(&dead).unwrap();
        std::fs::create_dir_all(&mine).unwrap();
        let aside = aside_path(d.path(), &d.path().join("out"));
        std::fs::create_dir_all(&aside).unwrap();
        std::fs::write(aside.join("refunds.csv"), "x").unwrap();
        recover(d.path());
        assert!(!dead.exists());
        assert!(mine.exists(), "a live process's staging stays");
        assert!(!aside.exists());
        assert_eq!(
            std::fs::read_to_string(d.path().join("out/refunds.csv")).unwrap(),
            "x"
        );
        // A leftover aside copy next to a present output is removed.
        std::fs::create_dir_all(&aside).unwrap();
        recover(d.path());
        assert!(!aside.exists());
        assert!(d.path().join("out/refunds.csv").exists());
    }
}
