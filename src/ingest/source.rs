//! Opening an export: sniffing its format (XLSX, CSV), encoding (UTF-8,
//! UTF-8 with BOM, UTF-16 with BOM, GBK/GB18030) and delimiter, and handing
//! out its records with the physical lines they came from ([`Source`]); the
//! file's SHA-256 is computed on the way through.

use std::io::{BufRead, Read};
use std::path::Path;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::lines::{CsvLines, Fields, Item};
use super::read::hex;
use crate::error::{Error, Result};

/// Bytes read from input files by this process, for the reading bar
/// (issue 16: progress by bytes across all inputs).
static BYTES_READ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How many bytes of input files this process has read so far.
pub fn bytes_read() -> u64 {
    BYTES_READ.load(std::sync::atomic::Ordering::Relaxed)
}

/// Counts `n` more bytes read from an input (a reader of its own, issue 15).
pub(super) fn note_read(n: usize) {
    BYTES_READ.fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
}

/// A reader that hands a copy of the bytes passing through it to a thread
/// that hashes them (the input's SHA-256), so hashing runs beside parsing.
/// Used under a decoder (GB18030, UTF-16): the hash is of the file's bytes.
struct HashingReader<R> {
    inner: R,
    to_hasher: std::sync::mpsc::SyncSender<Chunk>,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        BYTES_READ.fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        if n > 0 {
            // The hasher only stops when this reader is dropped.
            let _ = self.to_hasher.send(Arc::new(buf[..n].to_vec()));
        }
        Ok(n)
    }
}

/// A piece of the file, shared by the parser and the hashing thread.
type Chunk = Arc<Vec<u8>>;

/// Bytes read from the file at a time.
const CHUNK_BYTES: usize = 1 << 20;

/// The buffered reader of a UTF-8 file (issue 15): the parser reads the
/// very chunk the hashing thread hashes, so no byte is copied for the hash.
/// Chunks come back from the hasher (or are taken back once it is done)
/// to be filled again, so reading uses the same few megabytes throughout.
struct SharedChunks {
    src: Box<dyn Read>,
    cur: Chunk,
    at: usize,
    to_hasher: std::sync::mpsc::SyncSender<Chunk>,
    spare: std::sync::mpsc::Receiver<Vec<u8>>,
}

impl SharedChunks {
    /// An emptied buffer of [`CHUNK_BYTES`] (its bytes are overwritten).
    fn fresh(&mut self) -> Vec<u8> {
        let old = std::mem::take(&mut self.cur);
        let mut buf = Arc::try_unwrap(old)
            .ok()
            .or_else(|| self.spare.try_recv().ok())
            .unwrap_or_default();
        buf.resize(CHUNK_BYTES, 0);
        buf
    }
}

impl Read for SharedChunks {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = {
            let buf = self.fill_buf()?;
            let n = buf.len().min(out.len());
            out[..n].copy_from_slice(&buf[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl std::io::BufRead for SharedChunks {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.at >= self.cur.len() {
            let mut buf = self.fresh();
            let n = loop {
                match self.src.read(&mut buf) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            };
            buf.truncate(n);
            BYTES_READ.fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
            self.cur = Arc::new(buf);
            self.at = 0;
            if n > 0 {
                // The hasher only stops when this reader is dropped.
                let _ = self.to_hasher.send(Arc::clone(&self.cur));
            }
        }
        Ok(&self.cur[self.at..])
    }

    fn consume(&mut self, amt: usize) {
        self.at = (self.at + amt).min(self.cur.len());
    }
}

/// Starts the hashing thread: it hashes what arrives until every sender is
/// dropped, and hands each chunk back (to `back`) once it is the last
/// holder.
fn hasher() -> (
    std::sync::mpsc::SyncSender<Chunk>,
    std::sync::mpsc::Receiver<Vec<u8>>,
    std::thread::JoinHandle<String>,
) {
    let (tx, rx) = std::sync::mpsc::sync_channel::<Chunk>(16);
    let (back_tx, back_rx) = std::sync::mpsc::channel::<Vec<u8>>();
    let handle = std::thread::spawn(move || {
        let mut h = Sha256::new();
        for chunk in rx {
            h.update(chunk.as_slice());
            if let Ok(buf) = Arc::try_unwrap(chunk) {
                // The reader may have finished: then the chunk is freed.
                let _ = back_tx.send(buf);
            }
        }
        hex(&h.finalize())
    });
    (tx, back_rx, handle)
}

/// The bytes a CSV is parsed from: shared with the hasher (UTF-8), or
/// through a decoder.
enum Input {
    Shared(SharedChunks),
    Decoded(std::io::BufReader<Box<dyn Read>>),
}

impl Read for Input {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Input::Shared(r) => r.read(out),
            Input::Decoded(r) => r.read(out),
        }
    }
}

impl std::io::BufRead for Input {
    #[inline]
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        match self {
            Input::Shared(r) => r.fill_buf(),
            Input::Decoded(r) => r.fill_buf(),
        }
    }

    #[inline]
    fn consume(&mut self, amt: usize) {
        match self {
            Input::Shared(r) => r.consume(amt),
            Input::Decoded(r) => r.consume(amt),
        }
    }
}

/// Where rows come from: a CSV stream read by physical lines, or an XLSX
/// sheet read whole (sparse).
pub(super) struct Source {
    rows: Rows,
    hasher: Option<std::thread::JoinHandle<String>>,
    raw_path: std::path::PathBuf,
    pub(super) encoding: &'static str,
    pub(super) from_xlsx: bool,
    pub(super) delimiter: u8,
}

enum Rows {
    Csv(CsvLines<Input>),
    Xlsx(SheetRows),
}

/// A sheet's rows in order, blank ones included (made on the fly).
struct SheetRows {
    rows: std::iter::Peekable<std::vec::IntoIter<super::xlsx::SparseRow>>,
    /// The next sheet row (from 0).
    at: u32,
    height: u32,
}

impl Source {
    /// The next record into `rec`; `None` at the end of the file.
    pub(super) fn next_item(&mut self, rec: &mut Fields, display: &str) -> Result<Option<Item>> {
        match &mut self.rows {
            Rows::Csv(r) => r.next_record(rec).map_err(|e| Error::BadFile {
                file: display.to_string(),
                message: format!("line {}: cannot be read: {e}", r.lines_read() + 1),
            }),
            Rows::Xlsx(sheet) => {
                if sheet.at >= sheet.height {
                    return Ok(None);
                }
                rec.clear();
                if let Some((_, cells)) = sheet.rows.next_if(|(r, _)| *r == sheet.at) {
                    let mut col = 0u32;
                    for (c, text) in &cells {
                        while col < *c {
                            rec.push_field(b"");
                            col += 1;
                        }
                        rec.push_field(text.as_bytes());
                        col += 1;
                    }
                }
                sheet.at += 1;
                Ok(Some(Item::Record {
                    line: u64::from(sheet.at),
                    lines: 1,
                }))
            }
        }
    }

    /// Tells a CSV reader the header's width (see [`CsvLines::set_width`]).
    pub(super) fn set_width(&mut self, width: usize) {
        if let Rows::Csv(r) = &mut self.rows {
            r.set_width(width);
        }
    }

    /// Physical lines (sheet rows) read so far.
    pub(super) fn lines_read(&self) -> u64 {
        match &self.rows {
            Rows::Csv(r) => r.lines_read(),
            Rows::Xlsx(s) => u64::from(s.at),
        }
    }

    /// The SHA-256 of the file's bytes.
    pub(super) fn finish(mut self) -> Result<String> {
        let rows = std::mem::replace(&mut self.rows, Rows::Xlsx(SheetRows::default()));
        let Rows::Csv(r) = rows else {
            let bytes =
                std::fs::read(&self.raw_path).map_err(|e| Error::io(self.raw_path.display(), e))?;
            return Ok(hex(&Sha256::digest(&bytes)));
        };
        // Drain what the reader left unread (nothing, normally) so the hash
        // covers every byte; dropping the reader ends the hasher.
        let mut inner = r.into_inner();
        std::io::copy(&mut inner, &mut std::io::sink())
            .map_err(|e| Error::io(self.raw_path.display(), e))?;
        drop(inner);
        self.hasher
            .take()
            .ok_or_else(|| Error::Internal("the input was hashed twice".into()))?
            .join()
            .map_err(|_| Error::Internal("the hashing thread panicked".into()))
    }
}

impl Default for SheetRows {
    fn default() -> SheetRows {
        SheetRows {
            rows: Vec::new().into_iter().peekable(),
            at: 0,
            height: 0,
        }
    }
}

/// Opens a file, sniffs its format and encoding from the first 64 KiB, and
/// its delimiter unless `delimiter` names it (a CSV's header was found with
/// it, [`super::read::TableMeta::delimiter`]; UTF-16 text is always
/// tab-delimited).
pub(super) fn open(path: &Path, display: &str, delimiter: Option<u8>) -> Result<Source> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(display, e))?;
    let mut prefix = vec![0u8; 65_536];
    let mut got = 0;
    while got < prefix.len() {
        let n = file
            .read(&mut prefix[got..])
            .map_err(|e| Error::io(display, e))?;
        if n == 0 {
            break;
        }
        got += n;
    }
    prefix.truncate(got);
    if prefix.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(Error::BadFile {
            file: display.to_string(),
            message: "this is an old-format Excel workbook (.xls); save it as .xlsx or CSV (UTF-8 or GBK)".to_string(),
        });
    }
    if prefix.starts_with(b"PK\x03\x04") {
        let sheet = super::xlsx::read_xlsx(path, display)?;
        return Ok(Source {
            rows: Rows::Xlsx(SheetRows {
                height: sheet.height,
                rows: sheet.rows.into_iter().peekable(),
                at: 0,
            }),
            hasher: None,
            raw_path: path.to_path_buf(),
            encoding: "XLSX",
            from_xlsx: true,
            delimiter: b',',
        });
    }
    let encoding = sniff_encoding(&prefix);
    let text_start = String::from_utf8_lossy(&prefix[..prefix.len().min(4096)]).into_owned();
    let delimiter = delimiter.unwrap_or_else(|| {
        sniff_delimiter(match encoding {
            "UTF-16LE" | "UTF-16BE" => "",
            _ => &text_start,
        })
    });
    let (to_hasher, spare, hasher) = hasher();
    let raw: Box<dyn Read> = Box::new(std::io::Cursor::new(prefix).chain(file));
    let decoded =
        |r: Box<dyn Read>| Input::Decoded(std::io::BufReader::with_capacity(CHUNK_BYTES, r));
    let input = match encoding {
        "UTF-8" | "UTF-8-BOM" => {
            let mut r = Input::Shared(SharedChunks {
                src: raw,
                cur: Chunk::default(),
                at: 0,
                to_hasher,
                spare,
            });
            if encoding == "UTF-8-BOM" {
                let mut bom = [0u8; 3];
                r.read_exact(&mut bom).map_err(|e| Error::io(display, e))?;
            }
            r
        }
        "UTF-16LE" | "UTF-16BE" => decoded(Box::new(
            encoding_rs_io::DecodeReaderBytesBuilder::new().build(HashingReader {
                inner: raw,
                to_hasher,
            }),
        )),
        _ => decoded(Box::new(
            encoding_rs_io::DecodeReaderBytesBuilder::new()
                .encoding(Some(encoding_rs::GB18030))
                .build(HashingReader {
                    inner: raw,
                    to_hasher,
                }),
        )),
    };
    let delimiter = if matches!(encoding, "UTF-16LE" | "UTF-16BE") {
        b'\t'
    } else {
        delimiter
    };
    let lines = CsvLines::new(input, delimiter);
    Ok(Source {
        rows: Rows::Csv(lines),
        hasher: Some(hasher),
        raw_path: path.to_path_buf(),
        encoding,
        from_xlsx: false,
        delimiter,
    })
}

/// A BOM decides; otherwise a prefix that is valid UTF-8 (a character cut at
/// the end of the prefix allowed) means UTF-8, and anything else GB18030.
fn sniff_encoding(prefix: &[u8]) -> &'static str {
    if prefix.starts_with(b"\xEF\xBB\xBF") {
        return "UTF-8-BOM";
    }
    if prefix.starts_with(b"\xFF\xFE") {
        return "UTF-16LE";
    }
    if prefix.starts_with(b"\xFE\xFF") {
        return "UTF-16BE";
    }
    match std::str::from_utf8(prefix) {
        Ok(_) => "UTF-8",
        Err(e) if e.error_len().is_none() && prefix.len() - e.valid_up_to() < 4 => "UTF-8",
        Err(_) => "GB18030",
    }
}

/// Comma unless more of the first lines hold tabs and no commas than hold
/// commas (Excel's "Unicode text"). Several lines decide, not the first
/// alone: a title line above the header may hold anything.
fn sniff_delimiter(text: &str) -> u8 {
    let (mut tabs, mut commas) = (0, 0);
    for line in text.lines().take(20) {
        if line.contains(',') {
            commas += 1;
        } else if line.contains('\t') {
            tabs += 1;
        }
    }
    if tabs > commas {
        b'\t'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_encodings() {
        assert_eq!(sniff_encoding("姓名".as_bytes()), "UTF-8");
        assert_eq!(sniff_encoding(b"\xEF\xBB\xBFabc"), "UTF-8-BOM");
        let (gbk, _, _) = encoding_rs::GBK.encode("姓名,低保对象");
        assert_eq!(sniff_encoding(&gbk), "GB18030");
        // A prefix that cuts a character in half is still UTF-8.
        let cut = &"姓名".as_bytes()[..4];
        assert_eq!(sniff_encoding(cut), "UTF-8");
    }

    /// Every record read, and the SHA-256 the reader reports.
    fn read_whole(path: &Path) -> (Vec<Vec<String>>, String) {
        let mut src = open(path, "t.csv", None).unwrap();
        let mut rec = Fields::default();
        let mut rows = Vec::new();
        while let Some(item) = src.next_item(&mut rec, "t.csv").unwrap() {
            assert!(matches!(item, Item::Record { .. }), "{item:?}");
            rows.push(
                rec.iter()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect(),
            );
        }
        (rows, src.finish().unwrap())
    }

    #[test]
    fn the_hash_covers_every_byte_and_chunks_cut_no_row() {
        // Several chunks of rows of uneven width, so rows straddle the
        // chunk boundaries; UTF-8, UTF-8 with a BOM, and GB18030.
        let mut text = String::from("姓名,身份证号,备注\n");
        let mut i = 0u64;
        while text.len() < 3 * CHUNK_BYTES + 777 {
            text.push_str(&format!(
                "马{i},{},{}\n",
                640104 + i,
                "低保".repeat((i % 13) as usize)
            ));
            i += 1;
        }
        let dir = tempfile::tempdir().unwrap();
        let (gbk, _, _) = encoding_rs::GB18030.encode(&text);
        for bytes in [
            text.as_bytes().to_vec(),
            [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
            gbk.into_owned(),
        ] {
            let path = dir.path().join("t.csv");
            std::fs::write(&path, &bytes).unwrap();
            let (rows, sha) = read_whole(&path);
            assert_eq!(sha, hex(&Sha256::digest(&bytes)));
            assert_eq!(rows.len() as u64, i + 1);
            assert_eq!(rows[0], ["姓名", "身份证号", "备注"]);
            let last = i - 1;
            assert_eq!(
                rows[rows.len() - 1],
                [
                    format!("马{last}"),
                    (640104 + last).to_string(),
                    "低保".repeat((last % 13) as usize)
                ]
            );
            assert!(rows.iter().all(|r| r.len() == 3));
        }
    }

    #[test]
    fn sniffs_tab_delimited() {
        assert_eq!(sniff_delimiter("姓名\t身份证号\n"), b'\t');
        assert_eq!(sniff_delimiter("姓名,身份证号\n"), b',');
        // A title line with a tab above a comma-separated table.
        assert_eq!(sniff_delimiter("花名册\t2026\n姓名,身份证号\n马,1\n"), b',');
        assert_eq!(sniff_delimiter("花名册\n姓名\t身份证号\n马\t1\n"), b'\t');
    }
}
