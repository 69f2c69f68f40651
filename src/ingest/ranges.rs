//! Reading a UTF-8 or GB18030 (GBK) CSV on every core (issue 15): the file
//! is cut into byte ranges at newlines, each range is parsed and its rows
//! routed to their partitions by whichever thread is free, and the pieces
//! of each partition are appended in the order of the ranges — so every
//! partition holds the very rows, in the very order, that reading the file
//! in one piece gives ([`super::read::stream_rows`], still the way for
//! UTF-16 and XLSX inputs), whatever the thread count.
//!
//! - **GB18030.** The raw bytes are cut and their lines counted as a UTF-8
//!   file's are: `\n`, `\r`, `"` and the delimiters are bytes below 0x30,
//!   which in GB18030 are never part of a character and always read as
//!   themselves, so they are the decoded text's. The thread that parses a
//!   range first decodes it to UTF-8 ([`decode_range`]); a cut just after
//!   a `\n` leaves the decoder in its first state, so the ranges decode to
//!   the very text the whole file does, U+FFFD for malformed bytes
//!   included. The SHA-256 is of the raw bytes.
//! - **Where a cut is safe.** A record spans at most
//!   [`MAX_RECORD_LINES`](super::lines::MAX_RECORD_LINES) lines and only a
//!   line with a quote can open a multi-line record, so a file is cut only
//!   after a newline with no quote in the lines before it ([`cut_point`]);
//!   each range then reads exactly as it would in the whole. A range
//!   without a quote is split straight into the row block (one UTF-8
//!   check for the range, then one pass over each chunk of about 512 KiB,
//!   `split::split_plain_range`, whose rows are routed and encoded
//!   before the next chunk is split, while in the core's cache); a range
//!   with quotes, or not valid UTF-8, is read by
//!   [`CsvLines`](super::lines::CsvLines) as before. A file whose first
//!   32 MiB offer no safe cut is read the serial way.
//! - **Line numbers.** The reading thread counts each range's lines
//!   ([`scan_range`], which also finds whether it holds a quote) before handing it out, so rows carry their physical
//!   line numbers, and every line is accounted for, as before.
//! - **Totals and notes.** A row without an ID after a totals row is a
//!   note: the one state carried from row to row. A range is read as if no
//!   totals row came before; where a row of it would read otherwise, the
//!   range is read again once the state is known.
//! - **SHA-256** of the file's bytes on a thread of its own, from the very
//!   buffers the ranges are parsed from.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::{mpsc, Arc, Mutex};

use sha2::{Digest, Sha256};

use super::history::Memo;
use super::lines::{cut_point, scan_range};
use super::read::{self, FileStats, RowBlock, TableMeta};
use super::spill::{self, Partitions};
use crate::domain::SourceKind;
use crate::error::{Error, Result};
use crate::findings::{Conflict, FileIdx, Reject};

/// Bytes per range at most: large enough that a range's piece of each
/// partition is worth a write.
pub const RANGE_BYTES: usize = 8 << 20;

/// Bytes per range at least, however small the file.
const MIN_RANGE_BYTES: usize = 1 << 20;

/// Ranges per thread a file is cut into when it is smaller than that many
/// [`RANGE_BYTES`]: enough that the last range parsed, while another core
/// may have nothing left to do, is a small part of the file (issue 15:
/// the 10 M bench's small rosters were 1, 4, 5 and 6 ranges of 8 MiB).
const RANGES_PER_THREAD: u64 = 4;

/// Room kept in a range's buffer for the bytes carried over from the last
/// (what follows the previous range's last safe cut).
const CARRY_ROOM: usize = 1 << 20;

/// With no safe cut in this many bytes from the start (a file whose every
/// few lines hold a quote), the file is read the serial way.
const FALLBACK_BYTES: usize = 32 << 20;

/// Bytes per range for a file of `size` bytes: [`RANGE_BYTES`], less for
/// a file too small to give every thread [`RANGES_PER_THREAD`] of them
/// (not below [`MIN_RANGE_BYTES`]); or `YIBAO_READ_RANGE_BYTES` (an
/// internal knob for tests, which cut small files into many ranges; `0`
/// reads every file the serial way).
pub fn range_bytes(size: u64) -> usize {
    let knob = std::env::var("YIBAO_READ_RANGE_BYTES").ok();
    if let Some(bytes) = knob.and_then(|v| v.trim().parse().ok()) {
        return bytes;
    }
    let cut = RANGES_PER_THREAD * rayon::current_num_threads().max(1) as u64;
    usize::try_from(size / cut)
        .unwrap_or(RANGE_BYTES)
        .clamp(MIN_RANGE_BYTES, RANGE_BYTES)
}

/// Range buffers and frame buffers kept from one file to the next, and
/// freed by [`release_buffers`] once every input is read: a file would
/// otherwise fill fresh buffers (tens of MiB) before the first went back to
/// be filled again, and fresh memory costs page faults here (issue 15:
/// about 0.6 s per GiB).
static SPARE: Mutex<Spare> = Mutex::new(Spare {
    ranges: Vec::new(),
    frames: Vec::new(),
});

struct Spare {
    ranges: Vec<Vec<u8>>,
    frames: Vec<Vec<u8>>,
}

/// The buffers kept, taken (to be used, or freed).
fn take_spare() -> Spare {
    let mut spare = SPARE.lock().unwrap_or_else(|e| e.into_inner());
    Spare {
        ranges: std::mem::take(&mut spare.ranges),
        frames: std::mem::take(&mut spare.frames),
    }
}

/// Frees the buffers kept from file to file (once every input is read).
pub(super) fn release_buffers() {
    drop(take_spare());
}

/// A buffer that goes back to the reading thread when the last of its
/// users (parser, hasher, merger) lets go of it: the same few buffers
/// serve the whole file, and the next ([`SPARE`]).
struct Pooled {
    bytes: Vec<u8>,
    back: mpsc::Sender<Vec<u8>>,
}

impl Drop for Pooled {
    fn drop(&mut self) {
        // The reader may have finished: then the buffer is freed.
        let _ = self.back.send(std::mem::take(&mut self.bytes));
    }
}

/// One range of the file: `data[start..end]`, starting on physical line
/// `first_line` and holding `lines` lines.
struct Range {
    index: usize,
    data: Arc<Pooled>,
    start: usize,
    end: usize,
    first_line: u64,
    /// Whether it holds a quote (found as its lines were counted).
    quoted: bool,
    /// Bytes of the file up to the range's end (for the bar).
    end_at: u64,
}

/// What the threads share about the file being read.
struct Env<'a> {
    file: FileIdx,
    kind: SourceKind,
    meta: &'a TableMeta,
    ctx: super::ParseCtx<'a>,
    /// The file's encoding when it is not UTF-8 (GB18030): each range is
    /// decoded to UTF-8 by the thread that parses it.
    decode: Option<&'static encoding_rs::Encoding>,
    delimiter: u8,
    partitions: usize,
    /// The partition of a person key, among `partitions`.
    partition_of: spill::PartitionOf,
    /// Encode the pieces into frames (every block goes to a file anyway).
    frames: bool,
    /// Emptied frame buffers, to be filled again.
    frame_pool: Mutex<Vec<Vec<u8>>>,
    /// Bytes of a plain range split, routed and encoded at a time.
    chunk: usize,
}

/// A range's rows routed to their partitions.
enum Pieces {
    /// Encoded frames, and each partition's part of them.
    Frames(Vec<u8>, Vec<(usize, std::ops::Range<usize>)>),
    /// A block per partition that has rows.
    Blocks(Vec<(usize, RowBlock)>),
}

/// What a range gave.
struct RangeOut {
    range: Range,
    /// Assumed at the start: a totals or notes row came just before.
    assumed_trailer: bool,
    /// A row of the range would read otherwise with the other assumption.
    sensitive: bool,
    /// The state at the end; `None`: no row settled it (it is the start's).
    end_trailer: Option<bool>,
    stats: FileStats,
    early_rejects: Vec<(u128, Reject)>,
    early_conflicts: Vec<(u128, Conflict)>,
    pieces: Pieces,
}

/// A thread's reusable working memory.
#[derive(Default)]
struct Scratch {
    block: RowBlock,
    pieces: Vec<RowBlock>,
    /// Per partition: the block's rows (index, person key) and history rows
    /// going there (when the pieces are encoded straight from the block).
    routed: Vec<Routed>,
    memo: Memo,
    ends: Vec<usize>,
    /// A GB18030 range decoded to UTF-8.
    decoded: String,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// Everything reading one file in ranges gave, for the caller's summary.
pub(super) struct FileOut {
    pub stats: FileStats,
    pub early_rejects: Vec<(FileIdx, u128, Reject)>,
    pub early_conflicts: Vec<(FileIdx, u128, Conflict)>,
}

/// Ranges parsed ahead of the one being appended, at most.
fn in_flight() -> usize {
    2 * rayon::current_num_threads() + 2
}

/// Waits until one more range may be handed out; `false` when the merger
/// has stopped. On a pool thread (a caller inside rayon) the wait runs
/// pending ranges meanwhile, so even one thread never waits on itself.
fn wait_permit(permits: &mpsc::Receiver<()>) -> bool {
    loop {
        match permits.try_recv() {
            Ok(()) => return true,
            Err(mpsc::TryRecvError::Disconnected) => return false,
            Err(mpsc::TryRecvError::Empty) => match rayon::yield_now() {
                Some(rayon::Yield::Executed) => {}
                None => return permits.recv().is_ok(),
                Some(rayon::Yield::Idle) => {
                    match permits.recv_timeout(std::time::Duration::from_millis(1)) {
                        Ok(()) => return true,
                        Err(mpsc::RecvTimeoutError::Disconnected) => return false,
                        Err(mpsc::RecvTimeoutError::Timeout) => {}
                    }
                }
            },
        }
    }
}

/// Reads a UTF-8 or GB18030 CSV in ranges into `parts`; `Ok(None)` when
/// this file is to be read the serial way (UTF-16 or XLSX, the knob says
/// so, or no safe cut near its start). `on_bytes` is told how far into the
/// file the rows appended reach.
pub(super) fn read_file(
    spec: &super::InputSpec,
    file: FileIdx,
    meta: &TableMeta,
    ctx: super::ParseCtx<'_>,
    parts: &mut Partitions,
    on_bytes: impl FnMut(u64) + Send,
) -> Result<Option<FileOut>> {
    let size = std::fs::metadata(&spec.path).map_or(0, |m| m.len());
    read_file_in(range_bytes(size), spec, (file, meta, ctx), parts, on_bytes)
}

/// [`read_file`] with ranges of about `target` bytes.
fn read_file_in(
    target: usize,
    spec: &super::InputSpec,
    (file, meta, ctx): (FileIdx, &TableMeta, super::ParseCtx<'_>),
    parts: &mut Partitions,
    on_bytes: impl FnMut(u64) + Send,
) -> Result<Option<FileOut>> {
    let decode = match meta.encoding {
        _ if meta.from_xlsx || target == 0 => return Ok(None),
        "UTF-8" | "UTF-8-BOM" => None,
        "GB18030" => Some(encoding_rs::GB18030),
        _ => return Ok(None),
    };
    let f = std::fs::File::open(&spec.path).map_err(|e| Error::io(&spec.display, e))?;
    let env = Env {
        file,
        kind: spec.kind,
        meta,
        ctx,
        decode,
        delimiter: meta.delimiter,
        partitions: parts.count(),
        partition_of: spill::PartitionOf::new(parts.count()),
        frames: parts.always_spills(),
        frame_pool: Mutex::new(Vec::new()),
        // Small ranges (the tests') are cut into several chunks too.
        chunk: CHUNK_BYTES.min(target / 4).max(1),
    };
    let bom = if meta.encoding == "UTF-8-BOM" { 3 } else { 0 };
    let spare = take_spare();
    *env.frame_pool.lock().unwrap_or_else(|e| e.into_inner()) = spare.frames;
    let (back_tx, back_rx) = mpsc::channel::<Vec<u8>>();
    for buf in spare.ranges {
        let _ = back_tx.send(buf);
    }
    let (hash_tx, hash_rx) = mpsc::sync_channel::<(Arc<Pooled>, usize)>(in_flight() + 2);
    let hasher = std::thread::spawn(move || {
        let mut h = Sha256::new();
        for (data, from) in hash_rx {
            h.update(data.bytes.get(from..).unwrap_or(&[]));
        }
        read::hex(&h.finalize())
    });
    let (out_tx, out_rx) = mpsc::channel::<RangeOut>();
    let (permit_tx, permit_rx) = mpsc::sync_channel::<()>(in_flight());
    for _ in 0..in_flight() {
        let _ = permit_tx.send(());
    }
    let (merged, cut) = std::thread::scope(|s| {
        let env = &env;
        let merger = s.spawn(move || merge(out_rx, env, parts, permit_tx, on_bytes));
        let cut = rayon::in_place_scope(|rs| {
            let spawn = |range: Range| -> bool {
                if !wait_permit(&permit_rx) {
                    return false; // the merger stopped (its error is reported)
                }
                let tx = out_tx.clone();
                rs.spawn(move |_| {
                    let out = parse_range(range, false, env);
                    let _ = tx.send(out);
                });
                true
            };
            let pool = (&back_tx, &back_rx);
            cut_ranges(f, (bom, target), pool, &hash_tx, spawn)
        });
        drop(out_tx);
        let merged = merger
            .join()
            .map_err(|_| Error::Internal("the range merger panicked".into()));
        (merged, cut)
    });
    drop(hash_tx);
    let sha256 = hasher
        .join()
        .map_err(|_| Error::Internal("the hashing thread panicked".into()))?;
    // Every range is done: its buffers are back, to serve the next file.
    drop(back_tx);
    let mut spare = SPARE.lock().unwrap_or_else(|e| e.into_inner());
    spare.ranges.extend(back_rx.try_iter());
    spare.frames = env
        .frame_pool
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    drop(spare);
    let mut out = merged??;
    match cut.map_err(|e| Error::io(&spec.display, e))? {
        Cut::Serial => Ok(None),
        Cut::Done(lines) => {
            out.stats.sha256 = sha256;
            out.stats.lines.physical = lines;
            out.stats.lines.header_line = meta.header_line;
            out.stats.lines.header = meta.header_lines;
            Ok(Some(out))
        }
    }
}

/// How cutting a file ended.
enum Cut {
    /// Every range handed out; the file's physical lines.
    Done(u64),
    /// No safe cut near the start: nothing handed out.
    Serial,
}

/// Reads the file in buffers of about `target` bytes, cuts each at the last
/// safe place ([`cut_point`]; what follows it starts the next buffer), and
/// hands out the ranges in order; every byte goes to the hasher.
fn cut_ranges(
    mut f: std::fs::File,
    (bom, target): (usize, usize),
    (back_tx, back_rx): (&mpsc::Sender<Vec<u8>>, &mpsc::Receiver<Vec<u8>>),
    hash_tx: &mpsc::SyncSender<(Arc<Pooled>, usize)>,
    mut spawn: impl FnMut(Range) -> bool,
) -> std::io::Result<Cut> {
    let mut carry: Vec<u8> = Vec::new();
    let (mut line, mut index, mut skip, mut at) = (1u64, 0usize, bom, 0u64);
    loop {
        let mut buf = back_rx.try_recv().unwrap_or_default();
        // The carry is seldom more than a line: with that much more room a
        // returned buffer serves every range.
        read::room_for(&mut buf, carry.len().max(CARRY_ROOM) + target);
        buf.extend_from_slice(&carry);
        let fresh = buf.len();
        let n = (&mut f).take(target as u64).read_to_end(&mut buf)?;
        super::source::note_read(n);
        at += n as u64;
        let eof = n < target;
        let data = Arc::new(Pooled {
            bytes: buf,
            back: back_tx.clone(),
        });
        // The hasher only stops when the sender is dropped.
        let _ = hash_tx.send((Arc::clone(&data), fresh));
        let all = &data.bytes;
        let cut = match eof {
            true => Some(all.len()),
            false => cut_point(all.get(skip..).unwrap_or(&[])).map(|c| c + skip),
        };
        let Some(cut) = cut else {
            if index == 0 && all.len() >= FALLBACK_BYTES {
                return Ok(Cut::Serial);
            }
            carry.clear();
            carry.extend_from_slice(all);
            continue;
        };
        let scan = scan_range(all.get(skip..cut).unwrap_or(&[]), eof);
        carry.clear();
        carry.extend_from_slice(all.get(cut..).unwrap_or(&[]));
        let range = Range {
            index,
            data,
            start: skip,
            end: cut,
            first_line: line,
            quoted: scan.quoted,
            end_at: at - carry.len() as u64,
        };
        if !spawn(range) {
            return Ok(Cut::Done(line));
        }
        line += scan.lines;
        index += 1;
        skip = 0;
        if eof {
            return Ok(Cut::Done(line - 1));
        }
    }
}

/// Appends the ranges' pieces to their partitions in range order, reading a
/// range again where the totals state it assumed was wrong; returns a permit
/// to the reader for each range done.
fn merge(
    outs: mpsc::Receiver<RangeOut>,
    env: &Env<'_>,
    parts: &mut Partitions,
    permits: mpsc::SyncSender<()>,
    mut on_bytes: impl FnMut(u64) + Send,
) -> Result<FileOut> {
    let mut total = FileOut {
        stats: FileStats::default(),
        early_rejects: Vec::new(),
        early_conflicts: Vec::new(),
    };
    let mut waiting: BTreeMap<usize, RangeOut> = BTreeMap::new();
    let (mut next, mut trailer) = (0usize, false);
    for out in outs {
        waiting.insert(out.range.index, out);
        while let Some(mut out) = waiting.remove(&next) {
            if out.sensitive && out.assumed_trailer != trailer {
                out = parse_range(out.range, trailer, env);
            }
            trailer = out.end_trailer.unwrap_or(trailer);
            add(&mut total, &mut out, env.file);
            match std::mem::replace(&mut out.pieces, Pieces::Blocks(Vec::new())) {
                Pieces::Frames(bytes, mut at) => {
                    // A partition's pieces (one per chunk), in order, in
                    // one write.
                    at.sort_by_key(|(p, _)| *p);
                    for group in at.chunk_by(|a, b| a.0 == b.0) {
                        let pieces: Vec<&[u8]> = group
                            .iter()
                            .map(|(_, r)| bytes.get(r.clone()).unwrap_or(&[]))
                            .collect();
                        parts.append_frames(group[0].0, &pieces)?;
                    }
                    let mut pool = env.frame_pool.lock().unwrap_or_else(|e| e.into_inner());
                    pool.push(bytes);
                }
                Pieces::Blocks(blocks) => {
                    for (p, b) in blocks {
                        parts.append_block(p, b)?;
                    }
                }
            }
            on_bytes(out.range.end_at);
            next += 1;
            // The reader may have finished.
            let _ = permits.try_send(());
        }
    }
    Ok(total)
}

/// Adds a range's counts and findings to the file's.
fn add(total: &mut FileOut, out: &mut RangeOut, file: FileIdx) {
    let (t, s) = (&mut total.stats, &mut out.stats);
    t.rows_read += s.rows_read;
    t.blank_rows += s.blank_rows;
    t.lines.rows += s.lines.rows;
    t.lines.blank += s.lines.blank;
    t.lines.note_lines += s.lines.note_lines;
    t.lines.notes.append(&mut s.lines.notes);
    t.rejects.append(&mut s.rejects);
    total
        .early_rejects
        .extend(out.early_rejects.drain(..).map(|(h, r)| (file, h, r)));
    total
        .early_conflicts
        .extend(out.early_conflicts.drain(..).map(|(h, c)| (file, h, c)));
}

/// Parses one range and routes its rows, on the calling thread.
fn parse_range(range: Range, trailer: bool, env: &Env<'_>) -> RangeOut {
    SCRATCH.with(|s| {
        let mut s = s.borrow_mut();
        let Scratch {
            block,
            pieces,
            routed,
            memo,
            ends,
            decoded,
        } = &mut *s;
        block.clear();
        let mut sorter = Sorter {
            env,
            block,
            stats: FileStats::default(),
            trailer,
            settled: false,
            sensitive: false,
        };
        // The range's bytes, held apart from `range` (which moves into the
        // result while its rows are routed).
        let data = Arc::clone(&range.data);
        let raw = data.bytes.get(range.start..range.end).unwrap_or(&[]);
        let first_line = range.first_line;
        let mut out = RangeOut {
            range,
            assumed_trailer: trailer,
            sensitive: false,
            end_trailer: None,
            stats: FileStats::default(),
            early_rejects: Vec::new(),
            early_conflicts: Vec::new(),
            pieces: Pieces::Blocks(Vec::new()),
        };
        let quoted = out.range.quoted;
        // Rows of a plain range lie in it (pushed in place), unless a row
        // number column had to be emptied (then they are copied).
        let in_place = env.meta.shape.ordinal_cols.is_empty();
        let utf8 = match (quoted, env.decode) {
            (false, None) => simdutf8::basic::from_utf8(raw).ok(),
            _ => None,
        };
        if !quoted && in_place && env.frames && (utf8.is_some() || env.decode.is_some()) {
            let mut frames = FramesOut::from_pool(env);
            let mut line = first_line;
            // A GB18030 range is decoded a piece at a time, each while the
            // piece is split (its text then stays in the core's cache).
            for chunk in chunks(raw, env.chunk) {
                let text = match env.decode {
                    Some(e) => decode_range(e, raw.get(chunk).unwrap_or(&[]), decoded),
                    None => utf8.and_then(|t| t.get(chunk)).unwrap_or(""),
                };
                sorter.block.clear();
                line = split_plain_range(text, line, &mut sorter, ends);
                let block = (&*sorter.block, text);
                encode_routed(env, block, routed, memo, &mut out, &mut frames);
            }
            out.pieces = Pieces::Frames(frames.bytes, frames.at);
        } else {
            let text = env.decode.map(|e| decode_range(e, raw, decoded)).or(utf8);
            match text.filter(|_| !quoted) {
                Some(text) => {
                    split_plain_range(text, first_line, &mut sorter, ends);
                }
                None => {
                    let bytes = text.map_or(raw, str::as_bytes);
                    read_quoted_range(bytes, first_line, &mut sorter);
                }
            }
            let block = &*sorter.block;
            let text = match text {
                Some(text) if !quoted && in_place => text,
                _ => block.text(),
            };
            if env.frames {
                let mut frames = FramesOut::from_pool(env);
                encode_routed(env, (block, text), routed, memo, &mut out, &mut frames);
                out.pieces = Pieces::Frames(frames.bytes, frames.at);
            } else {
                route_rows(env, (block, text), pieces, memo, &mut out);
            }
        }
        out.stats = std::mem::take(&mut sorter.stats);
        out.end_trailer = sorter.settled.then_some(sorter.trailer);
        out.sensitive = sorter.sensitive;
        out
    })
}

/// A range of a GB18030 file decoded to UTF-8 into `out` (malformed bytes
/// become U+FFFD). A range ends just after a `\n` or at the file's end,
/// and every byte below 0x30 (`\n`, `\r`, `"`, `,`, tab) is itself in
/// GB18030 — never a trail byte, and after a lead byte it ends the
/// malformed sequence and is decoded as itself — so the decoder is in its
/// first state at each cut, and the ranges decode to exactly the text the
/// whole file decodes to (the serial way's decoder,
/// `encoding_rs_io`, removes no BOM for GB18030 either). The lines, quotes
/// and delimiters of the raw bytes are the text's.
fn decode_range<'s>(
    encoding: &'static encoding_rs::Encoding,
    raw: &[u8],
    out: &'s mut String,
) -> &'s str {
    out.clear();
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut at = 0;
    loop {
        // Two bytes of GB18030 (a Chinese character) are three of UTF-8.
        out.reserve((raw.len() - at) / 2 * 3 + 16);
        let rest = raw.get(at..).unwrap_or(&[]);
        let (result, read, _) = decoder.decode_to_string(rest, out, true);
        at += read;
        if result == encoding_rs::CoderResult::InputEmpty {
            return out;
        }
    }
}

/// Bytes of a plain range split, routed and encoded at a time (issue 15):
/// its lines, their field ends and the frames they go to then stay in the
/// core's cache from one step to the next. Measured at 1 M persons (a
/// range of 8 MiB in one piece): gathering each partition's rows into its
/// frame cost 2.3 times as much when the range had left the cache.
const CHUNK_BYTES: usize = 512 << 10;

/// A plain range in pieces of about `size` bytes (where they lie in it),
/// each cut just after a `\n` (so a `\r\n` is never cut, nor a UTF-8 or
/// GB18030 character; a range without `\n` is one piece).
fn chunks(b: &[u8], size: usize) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        let rest = b.get(at..).filter(|r| !r.is_empty())?;
        let cut = match rest.len() > size {
            false => rest.len(),
            true => memchr::memrchr(b'\n', &rest[..size])
                .or_else(|| memchr::memchr(b'\n', &rest[size..]).map(|i| i + size))
                .map_or(rest.len(), |i| i + 1),
        };
        at += cut;
        Some(at - cut..at)
    })
}

mod route;
mod split;
use route::{encode_routed, route_rows, FramesOut, Routed};
use split::{read_quoted_range, split_plain_range, Sorter};
#[cfg(test)]
mod tests;
