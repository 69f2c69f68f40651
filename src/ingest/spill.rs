//! Partitions of a run's rows, by person (分区): every row of one person lands
//! in the same partition, so the rules can judge one partition at a time and
//! memory stays bounded whatever the size of the province.
//!
//! A partition fills a [`RowBlock`]; each time the block passes
//! [`FLUSH_BYTES`] it is set aside in memory while the partitions together
//! hold less than the run's memory budget (`--memory`, issue 15), and
//! otherwise written to an unnamed temporary file (`O_TMPFILE`: it has no
//! name on disk and the kernel frees it when the process ends, even when it
//! is killed). Once one block has gone to a file every later one does, so a
//! partition's rows are always, in the order pushed: its blocks in memory,
//! its file, its last block. A province that fits the budget never touches
//! the disk. The files are created with owner-only permissions in the
//! output's parent directory, like the staging directory.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::read::{self, HistoryRec, RawRow, RowBlock, RowKey};
use crate::error::{Error, Result};

/// Input bytes per partition: a partition's rows and their parsed records
/// take a few times this in memory.
pub const PARTITION_INPUT_BYTES: u64 = 64 << 20;

/// A partition's buffer is written out when it grows past this.
const FLUSH_BYTES: usize = 1 << 20;

/// The memory budget when `--memory` is not given: none. Measured on a
/// 2-core Linux VM at 1 M persons (docs/decisions.md, issue 15), holding the
/// partitions in fresh memory cost more CPU (page faults, zeroing) than
/// writing them to the page cache and reading them back, so by default
/// every full block goes to its file; `--memory` holds blocks where the
/// temporary directory is slow (a spinning disk, a network share).
pub const DEFAULT_BUDGET: u64 = 0;

/// How many partitions a run with `input_bytes` of input needs.
pub fn partitions_for(input_bytes: u64) -> usize {
    usize::try_from(input_bytes.div_ceil(PARTITION_INPUT_BYTES).clamp(1, 4096)).unwrap_or(4096)
}

/// The partition of a person key (the high half of its mixed hash).
pub fn partition_of(key: u64, count: usize) -> usize {
    ((mix(key) >> 32) % count as u64) as usize
}

/// [`partition_of`] for one partition count, without a division per key
/// (issue 15: the parallel reader routes every row): `a % count` of the
/// 32-bit hash half as `((M * a) mod 2⁶⁴ * count) >> 64` with
/// `M = ⌈2⁶⁴ / count⌉`, exact for every 32-bit `a` and `count` (Lemire,
/// Kaser, Kurz: "Faster remainder by direct computation", 2019).
#[derive(Debug, Clone, Copy)]
pub struct PartitionOf {
    count: u64,
    m: u64,
}

impl PartitionOf {
    pub fn new(count: usize) -> PartitionOf {
        let count = (count.max(1) as u64).min(u64::from(u32::MAX));
        PartitionOf {
            count,
            // ⌈2⁶⁴ / count⌉; 0 for one partition (then every key gives 0).
            m: (u64::MAX / count).wrapping_add(1),
        }
    }

    /// The partition of a person key, as [`partition_of`] gives it.
    #[inline]
    pub fn of(&self, key: u64) -> usize {
        self.remainder(mix(key) >> 32)
    }

    /// `a % count` for `a` below 2³² (Lemire's multiplication).
    #[inline]
    fn remainder(&self, a: u64) -> usize {
        let low = self.m.wrapping_mul(a);
        ((u128::from(low) * u128::from(self.count)) >> 64) as usize
    }
}

/// The slice of a partition a person key falls in, when a partition is
/// judged `count` slices at a time (the low half of its mixed hash, so the
/// slices of one partition are even too).
pub fn slice_of(key: u64, count: usize) -> usize {
    ((mix(key) & 0xFFFF_FFFF) % count as u64) as usize
}

/// [`slice_of`] for one count of slices, without a division per key (issue
/// 15: every row and history row of a partition asks, some twice): the
/// remainder by the same multiplication as [`PartitionOf::of`], exact for
/// the 32-bit low half.
#[derive(Debug, Clone, Copy)]
pub struct SliceOf(PartitionOf);

impl SliceOf {
    pub fn new(count: usize) -> SliceOf {
        SliceOf(PartitionOf::new(count))
    }

    /// The slice of a person key, as [`slice_of`] gives it.
    #[inline]
    pub fn of(&self, key: u64) -> usize {
        self.0.remainder(mix(key) & 0xFFFF_FFFF)
    }
}

/// Fibonacci hashing: spreads sequential ID numbers evenly.
fn mix(key: u64) -> u64 {
    key.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

#[derive(Default)]
struct Part {
    /// Full blocks kept in memory (within the budget), oldest first.
    held: Vec<RowBlock>,
    buf: RowBlock,
    file: Option<std::fs::File>,
}

/// Every partition of a run, filled by [`Partitions::push`] while the inputs
/// are read, then handed out one per partition by [`Partitions::into_sources`].
pub struct Partitions {
    parts: Vec<Part>,
    dir: PathBuf,
    scratch: Vec<u8>,
    /// Bytes the held blocks may take together.
    budget: u64,
    /// Bytes the held blocks take.
    held_bytes: u64,
    /// A block has gone to a file: every later one does too.
    spilling: bool,
}

impl Partitions {
    /// `count` partitions holding up to `budget` bytes of full blocks in
    /// memory; beyond that (and only when `count > 1`) temporary files in
    /// `dir`.
    pub fn new(count: usize, dir: &Path, budget: u64) -> Partitions {
        Partitions {
            parts: (0..count.max(1)).map(|_| Part::default()).collect(),
            dir: dir.to_path_buf(),
            scratch: Vec::new(),
            budget,
            held_bytes: 0,
            spilling: false,
        }
    }

    /// Whether any rows went to a temporary file.
    pub fn spilled(&self) -> bool {
        self.spilling
    }

    pub fn count(&self) -> usize {
        self.parts.len()
    }

    /// Empties every partition but the one of person `key` (its rows are all
    /// that is wanted; the others' files are closed, and so freed).
    pub fn keep_only(&mut self, key: u64) {
        let keep = partition_of(key, self.parts.len());
        for (p, part) in self.parts.iter_mut().enumerate() {
            if p != keep {
                *part = Part::default();
            }
        }
    }

    /// Where the temporary files go.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Appends a row to the partition of its person `key`.
    pub fn push(&mut self, key: RowKey, row: &RawRow<'_>) -> Result<()> {
        let p = partition_of(key.key, self.parts.len());
        self.parts[p].buf.push_row(row, key);
        self.flush_if_full(p)
    }

    /// Appends a validated history row to the partition of its person.
    pub fn push_history(&mut self, rec: HistoryRec) -> Result<()> {
        let p = partition_of(rec.key, self.parts.len());
        self.parts[p].buf.history.push(rec);
        self.flush_if_full(p)
    }

    fn flush_if_full(&mut self, p: usize) -> Result<()> {
        let spills = self.parts.len() > 1;
        let part = &mut self.parts[p];
        if spills && part.buf.byte_len() >= FLUSH_BYTES {
            let size = part.buf.capacity_bytes() as u64;
            if !self.spilling && self.held_bytes + size <= self.budget {
                self.held_bytes += size;
                let next = RowBlock::shaped_like(&part.buf);
                part.held.push(std::mem::replace(&mut part.buf, next));
                return Ok(());
            }
            self.spilling = true;
            let dir = &self.dir;
            let file = match part.file.as_mut() {
                Some(f) => f,
                None => part
                    .file
                    .insert(crate::owner_only::unnamed_tempfile_in(dir)?),
            };
            self.scratch.clear();
            part.buf.encode(&mut self.scratch);
            file.write_all(&self.scratch)
                .map_err(|e| Error::io(dir.display(), e))?;
            part.buf.clear();
        }
        Ok(())
    }

    /// Whether every block goes to a file (no budget, several partitions):
    /// then the parallel reader encodes its pieces itself (issue 15).
    pub fn always_spills(&self) -> bool {
        self.budget == 0 && self.parts.len() > 1
    }

    /// Appends frames [`RowBlock::encode`] wrote to partition `p`'s file,
    /// after the rows it holds already (issue 15: a reading thread's piece
    /// of the partition, in the order of the file's ranges).
    /// The frames come in pieces (a range's chunks), written in one call.
    pub fn append_frames(&mut self, p: usize, frames: &[&[u8]]) -> Result<()> {
        self.seal(p)?;
        self.spilling = true;
        let (file, dir) = self.file_of(p)?;
        write_all_vectored(file, frames).map_err(|e| Error::io(dir.display(), e))
    }

    /// Appends a block of rows to partition `p`, after the rows it holds
    /// already: held while the budget allows, else to its file.
    pub fn append_block(&mut self, p: usize, block: RowBlock) -> Result<()> {
        self.seal(p)?;
        self.place(p, block)
    }

    /// Sets the partition's open block aside (held or written), so what is
    /// appended next comes after its rows.
    fn seal(&mut self, p: usize) -> Result<()> {
        let part = &mut self.parts[p];
        if part.buf.rows() == 0 && part.buf.history.is_empty() {
            return Ok(());
        }
        let block = std::mem::take(&mut part.buf);
        self.place(p, block)
    }

    /// A whole block: held within the budget (always, for one partition),
    /// else encoded into the partition's file.
    fn place(&mut self, p: usize, block: RowBlock) -> Result<()> {
        let size = block.capacity_bytes() as u64;
        if self.parts.len() == 1 || (!self.spilling && self.held_bytes + size <= self.budget) {
            self.held_bytes += size;
            self.parts[p].held.push(block);
            return Ok(());
        }
        self.spilling = true;
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        block.encode(&mut scratch);
        let written = self.write_frames(p, &scratch);
        self.scratch = scratch;
        written
    }

    fn write_frames(&mut self, p: usize, frames: &[u8]) -> Result<()> {
        let (file, dir) = self.file_of(p)?;
        file.write_all(frames)
            .map_err(|e| Error::io(dir.display(), e))
    }

    /// Partition `p`'s file (created owner-only at its first write) and the
    /// directory it lives in, for messages.
    fn file_of(&mut self, p: usize) -> Result<(&mut std::fs::File, &Path)> {
        let dir = &self.dir;
        let file = match &mut self.parts[p].file {
            Some(f) => f,
            none => none.insert(crate::owner_only::unnamed_tempfile_in(dir)?),
        };
        Ok((file, dir))
    }

    /// The partitions, each ready to be read back on its own (in parallel).
    pub fn into_sources(self) -> Vec<PartitionSource> {
        let dir = self.dir;
        self.parts
            .into_iter()
            .map(|p| PartitionSource {
                held: p.held,
                tail: p.buf,
                file: p.file,
                dir: dir.clone(),
            })
            .collect()
    }
}

/// One partition's rows: those in memory and its spill file.
pub struct PartitionSource {
    held: Vec<RowBlock>,
    tail: RowBlock,
    file: Option<std::fs::File>,
    dir: PathBuf,
}

impl PartitionSource {
    /// Reads the partition's spill file (if any) into `buf` (its capacity is
    /// reused from partition to partition) and returns the rows in memory;
    /// [`partition_rows`] then gives them all in the order pushed. The file
    /// is closed, and so freed.
    pub fn read_into(self, buf: &mut Vec<u8>) -> Result<InMemory> {
        let PartitionSource {
            held,
            tail,
            file,
            dir,
        } = self;
        let mut frames = read::Frames::default();
        match file {
            Some(mut file) => {
                let shown = dir.display();
                let len = file
                    .seek(SeekFrom::End(0))
                    .map_err(|e| Error::io(&shown, e))?;
                file.seek(SeekFrom::Start(0))
                    .map_err(|e| Error::io(&shown, e))?;
                sized(buf, usize::try_from(len).unwrap_or(0));
                match read_frames(&mut file, buf, &mut frames) {
                    Ok(true) => {}
                    Ok(false) => return Err(changed(&dir)),
                    Err(e) => return Err(Error::io(&shown, e)),
                }
            }
            None => buf.clear(),
        }
        Ok(InMemory { held, tail, frames })
    }
}

/// Bytes read from a spill file at a time: the frames' heads among them
/// are found while they are still in the cache ([`read::Frames::scan`]).
const READ_PIECE: usize = 256 << 10;

/// Fills `buf` (sized to the file) from `file`, finding the frames as the
/// bytes arrive; `false` when the file is shorter than it was or its bytes
/// are not frames.
fn read_frames(
    file: &mut std::fs::File,
    buf: &mut [u8],
    frames: &mut read::Frames,
) -> std::io::Result<bool> {
    let mut filled = 0;
    while filled < buf.len() {
        let upto = (filled + READ_PIECE).min(buf.len());
        match file.read(&mut buf[filled..upto]) {
            Ok(0) => return Ok(false),
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
        if frames.scan(&buf[..filled]).is_none() {
            return Ok(false);
        }
    }
    Ok(frames.finish(buf.len()).is_some())
}

/// `buf` holding `len` bytes, to be read over: what it held is not written
/// again (only bytes past its old length are zeroed, usually few: the
/// partitions are of about one size), and a buffer too small is replaced by
/// a fresh one (zeroed pages from the kernel) with an eighth more room, not
/// grown (growing copies the old bytes into fresh pages; issue 15).
fn sized(buf: &mut Vec<u8>, len: usize) {
    if buf.capacity() < len {
        *buf = Vec::new();
        *buf = vec![0; len + len / 8];
    }
    buf.resize(len, 0);
}

/// A partition's rows that were never in a file: the blocks held before any
/// went to a file, and the last block; and the file's frames.
pub struct InMemory {
    held: Vec<RowBlock>,
    tail: RowBlock,
    frames: read::Frames,
}

/// Every row of a partition read by [`PartitionSource::read_into`], and its
/// history rows, in the order pushed: held blocks, the file's, the last one.
pub fn partition_rows<'a>(
    bytes: &'a [u8],
    mem: &'a InMemory,
    dir: &Path,
) -> Result<(Vec<RawRow<'a>>, Vec<HistoryRec>)> {
    let (mut rows, mut history) = (Vec::new(), Vec::new());
    partition_rows_into(bytes, mem, dir, (&mut rows, &mut history))?;
    Ok((rows, history))
}

/// The error of a partition file that does not read back as written.
fn changed(dir: &Path) -> Error {
    Error::Internal(format!(
        "a temporary partition file in {} was changed while the run was reading it",
        dir.display()
    ))
}

/// How many rows [`partition_rows_into`] will give (issue 15: the slices
/// a partition is validated in are chosen before its history rows are read
/// into them).
/// The file's rows were counted as it was read ([`read::Frames`]).
pub fn partition_row_count(mem: &InMemory) -> usize {
    let held: usize = mem.held.iter().map(RowBlock::rows).sum();
    held + mem.frames.rows() + mem.tail.rows()
}

/// [`partition_rows`] into a vector emptied by [`SpareRows::put`] (its
/// memory is reused from partition to partition); the history rows into
/// `history` (a vector, or a partition's slices).
pub fn partition_rows_into<'a>(
    bytes: &'a [u8],
    mem: &'a InMemory,
    dir: &Path,
    (rows, history): (&mut Vec<RawRow<'a>>, &mut impl read::HistorySink),
) -> Result<()> {
    let changed = || changed(dir);
    let tail = &mem.tail;
    if mem.held.is_empty() {
        let spare = (tail.rows(), tail.history.len());
        read::frames_rows_into(bytes, &mem.frames, spare, rows, history).ok_or_else(changed)?;
    } else {
        let blocks = || mem.held.iter().chain(std::iter::once(tail));
        read::room_in(rows, blocks().map(RowBlock::rows).sum());
        history.room(blocks().map(|b| b.history.len()).sum());
        for b in &mem.held {
            rows.extend(b.iter());
            b.history.iter().for_each(|h| history.put(*h));
        }
        if !bytes.is_empty() {
            read::frames_rows_into(bytes, &mem.frames, (0, 0), rows, history)
                .ok_or_else(changed)?;
        }
    }
    rows.extend(tail.iter());
    tail.history.iter().for_each(|h| history.put(*h));
    Ok(())
}

/// Row vectors between partitions (a partition's rows are a few hundred MB
/// at 10 M persons, and fresh memory costs page faults; issue 15). Shared,
/// like the spill-file buffers, not one per thread.
#[derive(Default)]
pub struct SpareRows(std::sync::Mutex<Vec<Vec<RawRow<'static>>>>);

impl SpareRows {
    /// An empty vector, with room left by an earlier partition if one is spare.
    pub fn take(&self) -> Vec<RawRow<'static>> {
        let mut spare = self.0.lock().unwrap_or_else(|e| e.into_inner());
        spare.pop().unwrap_or_default()
    }

    /// Gives the vector's memory back, emptied ([`unborrowed`]).
    pub fn put(&self, rows: Vec<RawRow<'_>>) {
        let rows = unborrowed(rows);
        let mut spare = self.0.lock().unwrap_or_else(|e| e.into_inner());
        spare.push(rows);
    }
}

/// `rows` emptied, as a vector of rows that borrow nothing, keeping its
/// allocation: the rows borrow a partition's bytes, so they go first;
/// collecting the emptied vector into one of another lifetime reuses its
/// memory (same layout: Rust collects in place) without any unsafe code.
pub fn unborrowed(mut rows: Vec<RawRow<'_>>) -> Vec<RawRow<'static>> {
    rows.clear();
    // Not `filter`: the point is the item type, which `filter` keeps.
    #[allow(clippy::unnecessary_filter_map)]
    let rows: Vec<RawRow<'static>> = rows.into_iter().filter_map(|_| None).collect();
    rows
}

/// Writes every byte of `pieces`, in order, in as few calls as the
/// kernel takes.
fn write_all_vectored(file: &mut std::fs::File, pieces: &[&[u8]]) -> std::io::Result<()> {
    let mut slices: Vec<std::io::IoSlice<'_>> =
        pieces.iter().map(|b| std::io::IoSlice::new(b)).collect();
    let mut rest = &mut slices[..];
    while rest.iter().any(|s| !s.is_empty()) {
        match file.write_vectored(rest) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(n) => std::io::IoSlice::advance_slices(&mut rest, n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spilled_partitions_give_back_every_row_in_order() {
        // All spilled, some held then spilled, all held (issue 15).
        for budget in [0, 3 << 20, u64::MAX] {
            every_row_in_order(budget);
        }
    }

    fn every_row_in_order(budget: u64) {
        let dir = tempfile::tempdir().unwrap();
        let mut src = RowBlock::default();
        src.push_record(3, 1, &["ü", "", "姓名"].into_iter().collect(), b',');
        for i in 0..200_000u64 {
            let text = format!("row {i},{}", "x".repeat((i % 40) as usize));
            let rec: super::super::lines::Fields = text.split(',').collect();
            src.push_record(3, i + 2, &rec, b',');
        }
        let mut parts = Partitions::new(3, dir.path(), budget);
        for r in src.iter() {
            // Issue 15: the "ID read" flag travels with the key.
            let key = RowKey {
                key: r.line,
                id_read: r.line % 3 == 1,
            };
            parts.push(key, &r).unwrap();
        }
        let history: Vec<HistoryRec> = (0..30_000u64)
            .map(|i| HistoryRec {
                line: i + 2,
                key: i * 7,
                hash: i << 40 | 5,
                year: 2021 + (i % 5) as i32,
                file: 1,
                covered: i % 3 == 0,
            })
            .collect();
        for h in &history {
            parts.push_history(*h).unwrap();
        }
        assert_eq!(parts.spilled(), budget < u64::MAX, "budget {budget}");
        if budget > 0 && budget < u64::MAX {
            assert!(
                parts
                    .parts
                    .iter()
                    .any(|p| !p.held.is_empty() && p.file.is_some()),
                "some partition holds blocks and then spills"
            );
        }
        let mut whole = Vec::new();
        src.encode(&mut whole);
        let (back, _) = read::frame_rows(&whole, 0, 0).unwrap();
        assert_eq!(back.len(), 200_001);
        let first = back[0];
        assert_eq!(
            (first.get(0), first.get(1), first.get(2), first.get(3)),
            (Some("ü"), Some(""), Some("姓名"), None)
        );
        assert!(read::frame_rows(&whole[..whole.len() - 1], 0, 0).is_none());
        let mut lines = Vec::new();
        let mut history_back = Vec::new();
        let mut buf = Vec::new();
        for source in parts.into_sources() {
            let tail = source.read_into(&mut buf).unwrap();
            match budget {
                0 => assert!(!buf.is_empty(), "every partition spilled some rows"),
                u64::MAX => assert!(buf.is_empty(), "nothing spilled"),
                _ => {}
            }
            let (rows, hist) = partition_rows(&buf, &tail, dir.path()).unwrap();
            assert!(hist.windows(2).all(|w| w[0].line < w[1].line));
            history_back.extend(hist);
            let got: Vec<u64> = rows.iter().map(|r| r.line).collect();
            assert!(got.windows(2).all(|w| w[0] < w[1]));
            for r in rows.iter().filter(|r| r.line > 1) {
                assert_eq!(r.file, 3);
                assert_eq!(r.get(0), Some(format!("row {}", r.line - 2).as_str()));
                assert_eq!((r.key, r.id_read), (r.line, r.line % 3 == 1));
            }
            lines.extend(got);
        }
        history_back.sort_by_key(|h| h.line);
        assert_eq!(history_back, history);
        lines.sort_unstable();
        assert_eq!(lines, (1..200_002).collect::<Vec<_>>());
    }

    #[test]
    fn spare_rows_keep_their_memory() {
        let mut block = RowBlock::default();
        for i in 0..1000u64 {
            block.push_record(0, i, &["a", "b"].into_iter().collect(), b',');
        }
        let spare = SpareRows::default();
        let mut rows: Vec<RawRow<'_>> = spare.take();
        rows.extend(block.iter());
        let capacity = rows.capacity();
        spare.put(rows);
        let rows = spare.take();
        assert!(rows.is_empty());
        assert_eq!(rows.capacity(), capacity, "the allocation came back");
    }

    #[test]
    fn partitions_without_division_are_the_same() {
        let mut seed = 5u64;
        for count in (1..300).chain([4095, 4096, 65_537, u32::MAX as usize]) {
            let of = PartitionOf::new(count);
            let slice = SliceOf::new(count);
            for _ in 0..2_000 {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                for key in [seed, seed >> 20, u64::MAX - seed % 7, seed % 3] {
                    assert_eq!(of.of(key), partition_of(key, count), "{key} of {count}");
                    assert_eq!(slice.of(key), slice_of(key, count), "{key} in {count}");
                }
            }
        }
    }

    #[test]
    fn partitions_spread_sequential_keys() {
        let mut counts = [0u32; 8];
        for k in 0..80_000u64 {
            counts[partition_of(k * 11 + 3, 8)] += 1;
        }
        assert!(
            counts.iter().all(|&c| (9_000..11_000).contains(&c)),
            "{counts:?}"
        );
    }
}
