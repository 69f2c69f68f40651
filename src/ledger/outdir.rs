//! Output directories that survive a kill and keep personal data private:
//! staging directories are named after the process that owns them, so the
//! next run can remove those a killed run left; an `--out` moved aside by a
//! run killed mid-swap is put back; every output is readable by the owner
//! only (files 0600, directories 0700).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

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

/// Makes every file under `dir` readable by the owner only (0600) and every
/// directory 0700. The staging directory itself is 0700 from its creation,
/// so nobody else could open a file inside it in between.
pub fn make_private(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let set = |p: &Path, mode: u32| {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode))
                .map_err(|e| Error::io(p.display(), e))
        };
        set(dir, 0o700)?;
        for e in std::fs::read_dir(dir).map_err(|e| Error::io(dir.display(), e))? {
            let e = e.map_err(|e| Error::io(dir.display(), e))?;
            let path = e.path();
            if e.file_type()
                .map_err(|e| Error::io(path.display(), e))?
                .is_dir()
            {
                make_private(&path)?;
            } else {
                set(&path, 0o600)?;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
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

    #[cfg(unix)]
    #[test]
    fn outputs_become_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("sub")).unwrap();
        std::fs::write(d.path().join("a.csv"), "x").unwrap();
        std::fs::write(d.path().join("sub/b.csv"), "y").unwrap();
        make_private(d.path()).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(d.path()), 0o700);
        assert_eq!(mode(&d.path().join("sub")), 0o700);
        assert_eq!(mode(&d.path().join("a.csv")), 0o600);
        assert_eq!(mode(&d.path().join("sub/b.csv")), 0o600);
    }
}
