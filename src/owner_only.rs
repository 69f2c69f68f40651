//! Files and directories readable by their owner only (仅本人可读), from the
//! moment they exist: every path the tool creates goes through here.
//!
//! A file is opened with mode 0600 and a directory made with mode 0700, so no
//! other local user can open them at any time, whatever the umask (a umask
//! only removes bits; it never adds them). What the tool creates:
//! - `run`: `--out`'s parent (when missing), the hidden staging directory and
//!   every output in it, the workbook writer's temporary sheets (kept in the
//!   staging directory), the partition files (unnamed, `O_TMPFILE`), the
//!   ledger, its publishing marker; SQLite gives the ledger's `-wal` and
//!   `-shm` files the ledger's own mode;
//! - `validate --rejects FILE`: the reject list.

use std::fs::{DirBuilder, File, OpenOptions};
use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// Mode of every file the tool creates.
pub const FILE_MODE: u32 = 0o600;
/// Mode of every directory the tool creates.
pub const DIR_MODE: u32 = 0o700;

/// Creates `dir` and any missing parents, each 0700. Existing directories
/// are left as they are (they are not ours).
pub fn create_dir_all(dir: &Path) -> Result<()> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    let mut b = DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(DIR_MODE);
    }
    b.create(dir).map_err(|e| Error::io(dir.display(), e))
}

/// A new temporary directory in `parent` named `<prefix><random>`, 0700.
pub fn tempdir_in(parent: &Path, prefix: &str) -> Result<tempfile::TempDir> {
    let mut b = tempfile::Builder::new();
    b.prefix(prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(std::fs::Permissions::from_mode(DIR_MODE));
    }
    b.tempdir_in(parent)
        .map_err(|e| Error::io(parent.display(), e))
}

/// Opens `path` for writing, created 0600 (or truncated when it exists).
pub fn create_file(path: &Path) -> Result<File> {
    options()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
        .map_err(|e| Error::io(path.display(), e))
}

/// Creates `path` 0600 only if nothing is there; `Ok(false)` if something is.
pub fn create_new_empty(path: &Path) -> Result<bool> {
    match options().write(true).create_new(true).open(path) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(Error::io(path.display(), e)),
    }
}

/// Writes `bytes` to `path` (created 0600).
pub fn write(path: &Path, bytes: impl AsRef<[u8]>) -> Result<()> {
    let mut f = create_file(path)?;
    f.write_all(bytes.as_ref())
        .and_then(|()| f.flush())
        .map_err(|e| Error::io(path.display(), e))
}

/// A temporary file in `dir` that has no name (Linux `O_TMPFILE`: nobody can
/// open it, and the kernel frees it when the process ends, even on a kill),
/// mode 0600. Where the file system has no `O_TMPFILE`, a named 0600 file is
/// created and unlinked at once.
pub fn unnamed_tempfile_in(dir: &Path) -> Result<File> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let opened = options()
            .read(true)
            .write(true)
            .custom_flags(libc::O_TMPFILE)
            .open(dir);
        match opened {
            Ok(f) => return Ok(f),
            Err(e)
                if !matches!(
                    e.raw_os_error(),
                    Some(libc::EOPNOTSUPP | libc::EISDIR | libc::ENOENT)
                ) =>
            {
                return Err(Error::io(dir.display(), e))
            }
            Err(_) => {}
        }
    }
    let mut b = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(std::fs::Permissions::from_mode(FILE_MODE));
    }
    let named = b
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir.display(), e))?;
    Ok(named.into_file())
}

/// Sets the process's umask to 077 before anything is created, so the files
/// that libraries create on their own (the workbook writer's temporary
/// sheets, anything SQLite adds) are owner-only too, whatever umask the
/// tool was started with. The explicit modes above hold without it.
pub fn restrict_umask() {
    #[cfg(unix)]
    // SAFETY: umask(2) only swaps the process's file-creation mask; it
    // cannot fail and touches no memory.
    unsafe {
        libc::umask(0o077);
    }
}

fn options() -> OpenOptions {
    let mut o = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(FILE_MODE);
    }
    o
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn everything_created_is_owner_only() {
        let d = tempfile::tempdir().unwrap();
        let nested = d.path().join("a/b");
        create_dir_all(&nested).unwrap();
        assert_eq!(mode(&d.path().join("a")), 0o700);
        assert_eq!(mode(&nested), 0o700);
        write(&nested.join("x.csv"), "x").unwrap();
        assert_eq!(mode(&nested.join("x.csv")), 0o600);
        let t = tempdir_in(d.path(), ".stage-").unwrap();
        assert_eq!(mode(t.path()), 0o700);
        assert!(create_new_empty(&d.path().join("l")).unwrap());
        assert!(!create_new_empty(&d.path().join("l")).unwrap());
        assert_eq!(mode(&d.path().join("l")), 0o600);
        let f = unnamed_tempfile_in(d.path()).unwrap();
        assert_eq!(f.metadata().unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::read_dir(t.path()).unwrap().count(), 0);
    }
}
