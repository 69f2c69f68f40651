//! The reconciliation ledger (对账台账): the pipeline's memory from one month
//! to the next, in an SQLite file (`--ledger`, default `ledger.sqlite` beside
//! the output directory).
//!
//! Each run records its manifest (inputs' SHA-256, policy, as-of date, counts)
//! and every item of the refund, re-rating and missing-enrollment lists under a
//! stable key ([`keys`]). Against the previous run of the same region and
//! policy year, each item gets a lifecycle ([`lifecycle`]): `new`, `carried`,
//! `resolved` or `paid` (a refund confirmed with `ledger mark-paid`, [`paid`]).
//! `ledger history` reads one person's items back ([`history`]).
//!
//! A run holds the ledger's write lock (`BEGIN IMMEDIATE`) from before ingest
//! until its output directory is in place, and commits only then: a killed run
//! leaves the ledger as it was (SQLite ignores its uncommitted WAL frames), a second run on
//! the same ledger is refused, readers read the last committed state (WAL).
//! A new ledger's first run writes through a rollback journal instead and
//! switches the file to WAL after its commit (issue 15): killed before the
//! commit, the journal left beside the file empties it again on the next open.
//! See `docs/decisions.md` (Ledger, #13, #15 sixth session i25l) for the
//! order of the steps and why a kill at any point is safe.

mod bulk;
pub mod forget;
pub mod history;
pub mod keys;
pub mod lifecycle;
pub mod months;
pub mod outdir;
pub mod paid;
pub mod rerun;
pub mod schema;
pub mod snapshots;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use rusqlite::{Connection, ErrorCode};

use crate::domain::Fen;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::ingest::Origin;

pub use keys::ItemFacts;
pub use lifecycle::RunRecord;

/// Where an item stands this month (生命周期状态).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lifecycle {
    /// 新增: listed for the first time (or again after it was resolved).
    New,
    /// 延续: listed last run and still open.
    Carried,
    /// 已解决: listed last run, no longer applies.
    Resolved,
    /// 已退费: a refund confirmed paid; never listed as new again.
    Paid,
}

impl Lifecycle {
    pub fn code(self) -> &'static str {
        match self {
            Lifecycle::New => "new",
            Lifecycle::Carried => "carried",
            Lifecycle::Resolved => "resolved",
            Lifecycle::Paid => "paid",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Lifecycle::New => "新增",
            Lifecycle::Carried => "延续",
            Lifecycle::Resolved => "已解决",
            Lifecycle::Paid => "已退费",
        }
    }

    pub fn parse(code: &str) -> Option<Lifecycle> {
        [
            Lifecycle::New,
            Lifecycle::Carried,
            Lifecycle::Resolved,
            Lifecycle::Paid,
        ]
        .into_iter()
        .find(|l| l.code() == code)
    }

    /// Still on the clerk's desk (listed and not paid).
    pub fn is_open(self) -> bool {
        matches!(self, Lifecycle::New | Lifecycle::Carried)
    }
}

/// The lists the ledger follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ListKind {
    Refunds,
    Rerating,
    Missing,
}

impl ListKind {
    pub const ALL: [ListKind; 3] = [ListKind::Refunds, ListKind::Rerating, ListKind::Missing];

    /// The report's file stem, also stored in the ledger.
    pub fn code(self) -> &'static str {
        match self {
            ListKind::Refunds => "refunds",
            ListKind::Rerating => "rerating",
            ListKind::Missing => "missing_enrollment",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            ListKind::Refunds => "退费名单",
            ListKind::Rerating => "重新核定名单",
            ListKind::Missing => "应参未参名单",
        }
    }

    pub fn parse(code: &str) -> Option<ListKind> {
        ListKind::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// An item's lifecycle columns in this run's lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub lifecycle: Lifecycle,
    /// The as-of date of the run that first listed the item (this episode).
    pub first_listed: NaiveDate,
}

/// What changed since the previous run (`changes.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    New,
    Resolved,
    /// Confirmed paid since the previous run.
    Paid,
    /// Still listed, with another amount, reason or disposition.
    Changed,
}

impl ChangeKind {
    pub fn code(self) -> &'static str {
        match self {
            ChangeKind::New => "new",
            ChangeKind::Resolved => "resolved",
            ChangeKind::Paid => "paid",
            ChangeKind::Changed => "changed",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            ChangeKind::New => "新增",
            ChangeKind::Resolved => "已解决",
            ChangeKind::Paid => "已退费",
            ChangeKind::Changed => "有变化",
        }
    }
}

/// One line of `changes.csv`.
#[derive(Debug, Clone)]
pub struct Change {
    pub kind: ChangeKind,
    pub list: ListKind,
    pub county: String,
    pub person: String,
    pub name: String,
    pub year: i32,
    pub detail: String,
    pub amount: Fen,
    pub disposition: String,
    pub first_listed: NaiveDate,
    pub note: String,
    pub key: String,
}

/// A doubt the ledger raises (`conflicts.csv`): a paid refund that this
/// month's inputs contradict.
#[derive(Debug, Clone)]
pub struct LedgerConflict {
    /// The enrollment row behind the item, when this run still lists it.
    pub origin: Option<Origin>,
    pub person: String,
    pub name: String,
    pub code: &'static str,
    pub message: Msg,
}

/// Told a run's marks as soon as they are computed, before the run's rows
/// are written (issue 15).
pub type MarksKnown<'a> = &'a dyn Fn(&std::sync::Arc<Marks>);

/// Everything the ledger adds to a run's reports.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    /// Aligned with `Outcome::refunds`, `rerating`, `missing`.
    pub refunds: Vec<Mark>,
    pub rerating: Vec<Mark>,
    pub missing: Vec<Mark>,
    pub changes: Vec<Change>,
    pub conflicts: Vec<LedgerConflict>,
    /// As-of date of the run this one is compared with.
    pub previous: Option<NaiveDate>,
    /// The same month with the same inputs was recorded before: nothing written.
    pub replay: bool,
    /// The same month was recorded before with other inputs and is replaced.
    pub replaced: bool,
}

impl Marks {
    pub fn of(&self, list: ListKind) -> &[Mark] {
        match list {
            ListKind::Refunds => &self.refunds,
            ListKind::Rerating => &self.rerating,
            ListKind::Missing => &self.missing,
        }
    }

    /// Items per lifecycle, per list (for the summary).
    pub fn counts(&self) -> serde_json::Value {
        let mut out = serde_json::Map::new();
        for list in ListKind::ALL {
            let mut m = serde_json::Map::new();
            for l in [Lifecycle::New, Lifecycle::Carried, Lifecycle::Paid] {
                let n = self.of(list).iter().filter(|x| x.lifecycle == l).count();
                m.insert(l.code().into(), n.into());
            }
            let resolved = self
                .changes
                .iter()
                .filter(|c| c.list == list && c.kind == ChangeKind::Resolved)
                .count();
            m.insert("resolved".into(), resolved.into());
            out.insert(list.code().into(), m.into());
        }
        out.into()
    }
}

/// The page cache of a run's connection, in KiB (issue 15).
const RUN_CACHE_KIB: u32 = 64 * 1024;

/// An open ledger file. Dropping it without [`Ledger::commit`] rolls back,
/// and removes the file if this process created it (a failure before a new
/// ledger's first commit leaves no ledger behind).
pub struct Ledger {
    conn: Connection,
    path: PathBuf,
    in_tx: bool,
    /// This process created the file (it held nothing before).
    created: bool,
    /// `--no-ledger`: an empty ledger in memory; nothing is read or written.
    trial: bool,
    /// A new ledger's first transaction, in a rollback journal: the commit
    /// switches the file to WAL (issue 15).
    first_commit: bool,
}

impl Ledger {
    /// Opens the ledger (creating it, readable by the owner only, if missing)
    /// and takes its write lock. Another process holding the lock is an error
    /// at once, never a wait. The ledger is kept in WAL mode, so readers
    /// (`ledger runs`, `ledger history`) read the last committed state while
    /// a run holds the lock, in every phase of the run.
    pub fn open_locked(path: &Path) -> Result<Ledger> {
        let display = path.display().to_string();
        let created = create_private(path)?;
        let mut ledger = Ledger::open(path).inspect_err(|_| {
            if created {
                let _ = std::fs::remove_file(path);
            }
        })?;
        ledger.created = created;
        ledger
            .conn
            .busy_timeout(Duration::ZERO)
            .map_err(|e| sql_err(&display, e))?;
        // Another application's database is refused before anything,
        // even the journal mode, touches it.
        schema::check_ours(&ledger.conn, &display)?;
        if created {
            // Issue 15 (i25l): a new ledger's first transaction goes through
            // a rollback journal, not the WAL: the file holds nothing to
            // protect (the journal says "size 0"), so its pages are written
            // once, straight into the file, instead of into the WAL and
            // copied again by the commit's checkpoint (at 10 M persons a
            // 211 MB copy and its fsync, after the output is in place).
            // `EXTRA` syncs the directory once the journal is deleted (the
            // commit point), so a commit survives a power cut as the WAL's
            // does. Converted to WAL right after the commit
            // (`Ledger::commit`). docs/decisions.md, "#15 (sixth session,
            // i25l)", for why a kill at every step is still safe.
            ledger
                .conn
                .execute_batch("PRAGMA synchronous = EXTRA")
                .map_err(|e| sql_err(&display, e))?;
            ledger.first_commit = true;
        } else {
            ledger.wal(&display)?;
        }
        // Issue 15: a page cache of 64 MiB for the run's transaction (SQLite's
        // default is 2 MiB), so the pages it writes stay in memory until the
        // flush instead of spilling into the WAL one by one and being read
        // back. Memory only; durability is unchanged.
        //
        // Issue 15 (i25l): statement journals in memory. Each multi-row
        // insert ([`bulk`]) may abort half-way, so SQLite keeps a statement
        // journal of the pages it changes; with the default `temp_store`
        // that journal spills into a temporary file once one statement
        // wrote 64 KiB and stays a file for the rest of the transaction:
        // at 10 M persons 0.4 CPU-s of `pwrite` calls for bytes that are
        // never read. A statement journal serves only to undo one statement
        // in this process; the ledger's crash safety is the WAL's, so
        // durability is unchanged. Set before `BEGIN`: SQLite decides where
        // a transaction's statement journals live when it begins.
        ledger
            .conn
            .execute_batch(&format!(
                "PRAGMA cache_size = -{RUN_CACHE_KIB}; PRAGMA temp_store = MEMORY;"
            ))
            .map_err(|e| sql_err(&display, e))?;
        match ledger.conn.execute_batch("BEGIN IMMEDIATE") {
            Ok(()) => ledger.in_tx = true,
            Err(e) if is_busy(&e) => return Err(locked(&display)),
            Err(e) => return Err(schema::not_a_ledger(&display, e)),
        }
        // Held: later statements (the commit) may wait for readers to finish.
        ledger
            .conn
            .busy_timeout(Duration::from_secs(60))
            .map_err(|e| sql_err(&display, e))?;
        schema::ensure(&ledger.conn, &display)?;
        Ok(ledger)
    }

    /// Opens an existing ledger to read it.
    pub fn open_read(path: &Path) -> Result<Ledger> {
        if !path.is_file() {
            return Err(Error::io(
                path.display(),
                "no ledger here; a run creates it (default: ledger.sqlite beside the output directory)",
            ));
        }
        let mut ledger = Ledger::open(path)?;
        let display = ledger.display();
        ledger
            .conn
            .busy_timeout(Duration::from_secs(10))
            .map_err(|e| sql_err(&display, e))?;
        match ledger.conn.execute_batch("BEGIN") {
            Ok(()) => ledger.in_tx = true,
            Err(e) => return Err(sql_err(&display, e)),
        }
        let empty: i64 = ledger
            .conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(|e| schema::not_a_ledger(&display, e))?;
        if empty == 0 {
            return Err(Error::io(
                &display,
                "the ledger is empty: no run has been recorded",
            ));
        }
        schema::ensure(&ledger.conn, &display)?;
        Ok(ledger)
    }

    /// `--no-ledger`: an empty ledger in memory, so the run computes every
    /// item as a first run would (all `new`) and nothing on disk is read or
    /// written.
    pub fn trial() -> Result<Ledger> {
        let display = "--no-ledger";
        let conn = Connection::open_in_memory().map_err(|e| sql_err(display, e))?;
        conn.execute_batch("BEGIN")
            .map_err(|e| sql_err(display, e))?;
        schema::ensure(&conn, display)?;
        Ok(Ledger {
            conn,
            path: PathBuf::new(),
            in_tx: true,
            created: false,
            trial: true,
            first_commit: false,
        })
    }

    /// A trial ledger (`--no-ledger`).
    pub fn is_trial(&self) -> bool {
        self.trial
    }

    /// WAL (write-ahead log): SQLite gives `-wal` and `-shm` the ledger's
    /// own mode (0600). Converting an older ledger needs it to be idle.
    fn wal(&self, display: &str) -> Result<()> {
        self.conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
            .map_err(|e| match e.sqlite_error_code() {
                Some(ErrorCode::NotADatabase) => schema::not_a_ledger(display, e),
                _ => sql_err(display, e),
            })?;
        Ok(())
    }

    fn open(path: &Path) -> Result<Ledger> {
        let display = path.display().to_string();
        let conn = Connection::open(path).map_err(|e| sql_err(&display, e))?;
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;")
            .map_err(|e| match &e {
                e2 if is_busy(e2) => locked(&display),
                _ => schema::not_a_ledger(&display, e),
            })?;
        Ok(Ledger {
            conn,
            path: path.to_path_buf(),
            in_tx: false,
            created: false,
            trial: false,
            first_commit: false,
        })
    }

    /// Computes this run's lifecycles against the previous run and, unless
    /// it is a replay, records the run: all inside the lock's transaction.
    /// With `replace`, a month recorded with other inputs is replaced;
    /// without it that is refused (exit 2), saying what differs.
    pub fn record_run(
        &self,
        run: &RunRecord,
        policy: &crate::policy::Policy,
        outcome: &crate::rules::Outcome,
        (replace, known): (bool, MarksKnown<'_>),
    ) -> Result<std::sync::Arc<Marks>> {
        self.check_interrupted(run)?;
        let lists = keys::collect(policy, outcome);
        lifecycle::reconcile(&self.conn, &self.display(), run, &lists, (replace, known))
    }

    /// Writes the transaction's pages into the file now (the journal keeps
    /// the old ones), once the run's last row is in: a full disk fails the
    /// run here, before any output, and the commit after publishing only
    /// has to drop the journal. Issue 15: called after the snapshots too
    /// (it was called before them, and the commit then wrote their pages on
    /// the run's last serial stretch: 0.2 s at 10 M).
    pub fn write_pages(&self) -> Result<()> {
        self.conn
            .cache_flush()
            .map_err(|e| sql_err(&self.display(), e))
    }

    /// The marker a run leaves beside the ledger while its output goes into
    /// place (`ledger.sqlite.publishing`), removed once the ledger commits.
    pub fn marker_path(&self) -> PathBuf {
        let mut p = self.path.clone().into_os_string();
        p.push(".publishing");
        PathBuf::from(p)
    }

    /// Writes the publishing marker: from here until the commit, a kill
    /// leaves output the ledger does not know about yet.
    /// `out` is the output directory as an absolute path.
    pub fn mark_publishing(&self, run: &RunRecord, out: &Path) -> Result<()> {
        if self.trial {
            return Ok(());
        }
        let path = self.marker_path();
        let text = serde_json::json!({
            "series": run.series,
            "as_of": crate::domain::fmt_date(run.as_of),
            "fingerprint": run.fingerprint,
            "out": out.display().to_string(),
        })
        .to_string();
        // Written beside and renamed into place, so a kill leaves either no
        // marker or a whole one, never an empty file that names no run.
        let mut part = path.clone().into_os_string();
        part.push(".part");
        let part = PathBuf::from(part);
        crate::owner_only::write(&part, text)?;
        std::fs::rename(&part, &path).map_err(|e| Error::io(path.display(), e))
    }

    fn marker(&self) -> Option<serde_json::Value> {
        let text = std::fs::read_to_string(self.marker_path()).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Whether the ledger knows `out` (absolute) as the output of some run:
    /// named by the publishing marker or by a recorded run's manifest.
    /// Checked before ingest, to refuse a foreign non-empty `--out` early.
    pub fn may_own_output(&self, out: &Path) -> Result<bool> {
        if self.trial {
            return Ok(false);
        }
        let out = out.display().to_string();
        if self.marker().is_some_and(|m| m["out"] == out.as_str()) {
            return Ok(true);
        }
        self.conn
            .query_row(
                "SELECT count(*) > 0 FROM runs WHERE json_extract(manifest, '$.out') = ?1",
                [&out],
                |r| r.get(0),
            )
            .map_err(|e| sql_err(&self.display(), e))
    }

    /// Whether `out` (absolute) holds this very run's output, so that
    /// writing it again changes no byte: the run published there and was
    /// killed before its commit (the marker says so), or the ledger records
    /// this month with these inputs into `out`.
    pub fn owns_output(&self, run: &RunRecord, out: &Path) -> Result<bool> {
        if self.trial {
            return Ok(false);
        }
        let out = out.display().to_string();
        let as_of = crate::domain::fmt_date(run.as_of);
        let same = |m: &serde_json::Value| {
            m["series"] == run.series.as_str()
                && m["as_of"] == as_of.as_str()
                && m["fingerprint"] == run.fingerprint.as_str()
                && m["out"] == out.as_str()
        };
        if self.marker().is_some_and(|m| same(&m)) {
            return Ok(true);
        }
        self.conn
            .query_row(
                "SELECT count(*) > 0 FROM runs WHERE series = ?1 AND as_of = ?2 AND fingerprint = ?3 AND json_extract(manifest, '$.out') = ?4",
                rusqlite::params![run.series, as_of, run.fingerprint, out],
                |r| r.get(0),
            )
            .map_err(|e| sql_err(&self.display(), e))
    }

    /// A marker left by a run killed between publishing and committing: its
    /// output may be out there while the ledger never recorded it. Only the
    /// same month with the same inputs may run (it reproduces that output
    /// and records it); anything else is refused until then. A marker whose
    /// run the ledger holds is stale (killed after the commit) and removed.
    fn check_interrupted(&self, run: &RunRecord) -> Result<()> {
        if self.trial {
            return Ok(());
        }
        let path = self.marker_path();
        let Ok(text) = std::fs::read_to_string(&path) else {
            return Ok(());
        };
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else {
            // Not a whole marker (one written before markers were renamed
            // into place): it was cut while being written, before the
            // output was swapped in, so nothing was published under it.
            let _ = std::fs::remove_file(&path);
            return Ok(());
        };
        let field = |k: &str| v[k].as_str().unwrap_or("").to_string();
        let (series, as_of, fp) = (field("series"), field("as_of"), field("fingerprint"));
        let recorded: bool = self
            .conn
            .query_row(
                "SELECT count(*) > 0 FROM runs WHERE series = ?1 AND as_of = ?2 AND fingerprint = ?3",
                rusqlite::params![series, as_of, fp],
                |r| r.get(0),
            )
            .map_err(|e| sql_err(&self.display(), e))?;
        if recorded {
            let _ = std::fs::remove_file(&path);
            return Ok(());
        }
        if series == run.series
            && as_of == crate::domain::fmt_date(run.as_of)
            && fp == run.fingerprint
        {
            return Ok(());
        }
        Err(crate::error::usage(
            format!(
                "账本 {}：{as_of} 写入 {} 的运行在输出写完、账本记录之前被中断；请先用同样的输入重跑该月（输出相同，并会记入账本），若那份输出已弃用则删除 {}",
                self.display(),
                field("out"),
                path.display()
            ),
            format!(
                "ledger {}: the run of {as_of} into {} was interrupted after writing its output and before the ledger recorded it; run that month again with the same inputs first (it gives the same output and records it), or delete {} if that output was thrown away",
                self.display(),
                field("out"),
                path.display()
            ),
        ))
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn display(&self) -> String {
        self.path.display().to_string()
    }

    /// Makes the run's changes durable. Called only once the output
    /// directory is in place. A trial ledger is dropped (nothing to keep).
    pub fn commit(mut self) -> Result<()> {
        if self.trial {
            return Ok(());
        }
        let display = self.display();
        self.conn
            .execute_batch("COMMIT")
            .map_err(|e| sql_err(&display, e))?;
        self.in_tx = false;
        self.created = false;
        if self.first_commit {
            // The month is committed (the journal is gone); from now on the
            // ledger is in WAL mode, as every later run keeps it. Should the
            // switch fail (a reader holds the file this very moment), the
            // next run that opens it switches it (`open_locked`).
            pause_point("first-committed");
            let _ = self.wal(&display);
        }
        Ok(())
    }

    /// Commits a run whose output is in place, then drops its publishing marker.
    pub fn commit_run(self) -> Result<()> {
        let marker = self.marker_path();
        self.commit()?;
        let _ = std::fs::remove_file(marker);
        Ok(())
    }

    /// Drops the publishing marker of a run whose output did not go into place.
    pub fn clear_publishing(&self) {
        if !self.trial {
            let _ = std::fs::remove_file(self.marker_path());
        }
    }

    /// Closes the connection and removes the files of a ledger this
    /// process created and never committed.
    fn remove_uncommitted(&mut self) {
        let Ok(memory) = Connection::open_in_memory() else {
            return;
        };
        drop(std::mem::replace(&mut self.conn, memory));
        for suffix in [
            "",
            "-wal",
            "-shm",
            "-journal",
            ".publishing",
            ".publishing.part",
        ] {
            let mut p = self.path.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
    }
}

impl Drop for Ledger {
    fn drop(&mut self) {
        if self.in_tx {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        if self.created {
            self.remove_uncommitted();
        }
    }
}

/// Creates an empty file readable and writable by the owner only (0600),
/// unless one is there; `true` when it was created. SQLite gives the
/// ledger's `-wal` and `-shm` files the same mode.
fn create_private(path: &Path) -> Result<bool> {
    let display = path.display().to_string();
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() && !p.is_dir() => {
            return Err(Error::io(
                &display,
                "the ledger's directory does not exist; create it or choose another --ledger",
            ))
        }
        _ => {}
    }
    crate::owner_only::create_new_empty(path)
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

fn locked(display: &str) -> Error {
    Error::io(
        display,
        "账本正被另一个 yibao-recon 进程使用（另一次对账或导入尚未结束），本次未做任何改动；请等它结束后再运行 — \
         the ledger is in use by another yibao-recon process (a run or an import); nothing was changed; wait for it to finish, then run again",
    )
}

pub(crate) fn sql_err(display: &str, e: rusqlite::Error) -> Error {
    if is_busy(&e) {
        return locked(display);
    }
    Error::io(display, format!("ledger database error: {e}"))
}

/// A test hook: when `YIBAO_RECON_PAUSE_AT` names this point, the process
/// says so on stderr and sleeps, so a test can kill it there (`kill -9`).
/// Unset in normal use; it never changes what a run does.
pub fn pause_point(name: &str) {
    if std::env::var("YIBAO_RECON_PAUSE_AT").is_ok_and(|v| v == name) {
        eprintln!("PAUSED AT {name}");
        std::thread::sleep(Duration::from_secs(120));
    }
}
