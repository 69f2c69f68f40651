//! Reading one export as a stream of rows: encoding detection (UTF-8, UTF-8
//! with BOM, UTF-16 with BOM, GBK/GB18030), CSV or XLSX parsing, header
//! matching against the source schema, and merging of byte-identical duplicate
//! rows. Rows arrive in chunks, so a file of any size is read in bounded memory
//! (only a 16-byte hash per distinct row is kept, for duplicate merging).

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::schema::{norm_header, SourceSchema};
use crate::error::{Error, Result};

/// Column key → index into a row.
pub type Columns = Vec<(String, usize)>;

/// What is known of an export once its header is read.
#[derive(Debug, Clone)]
pub struct TableMeta {
    /// Header texts as written in the file.
    pub header: Vec<String>,
    /// Column key → index into a row (a dozen entries: a scan beats hashing).
    pub columns: Columns,
    pub encoding: &'static str,
    /// Headers that matched no column of the schema (named in the summary).
    pub ignored_columns: Vec<String>,
    /// Read from an XLSX workbook: a bare number in a date column is an Excel
    /// serial date there, and a long ID may have been stored as a number.
    pub from_xlsx: bool,
}

impl TableMeta {
    /// The index of a column by key, if the file has it.
    pub fn column(&self, key: &str) -> Option<usize> {
        self.columns.iter().find(|(k, _)| k == key).map(|(_, i)| *i)
    }
}

/// What reading the whole file saw.
#[derive(Debug, Clone, Default)]
pub struct FileStats {
    pub sha256: String,
    /// Data rows seen (blank rows excluded).
    pub rows_read: u64,
    /// Byte-identical repeats of an earlier row, merged into it.
    pub merged_duplicates: u64,
    /// Entirely blank rows (spreadsheets leave them at the end), skipped.
    pub blank_rows: u64,
}

/// One data row and its line number (the header is line 1).
#[derive(Debug, Clone)]
pub struct RawRow {
    pub line: u64,
    pub record: csv::StringRecord,
}

/// Rows handed to the caller at a time.
pub const CHUNK_ROWS: usize = 65_536;

/// Reads only the header and matches it: a missing required column is an
/// error naming the file, the column and the headers accepted for it.
pub fn read_meta(path: &Path, display: &str, schema: &SourceSchema) -> Result<TableMeta> {
    let mut meta = None;
    let mut source = open(path, display)?;
    if let Some(header) = source.next_record(display)? {
        meta = Some(header);
    }
    let header = meta.ok_or_else(|| Error::BadFile {
        file: display.to_string(),
        message: "the file is empty: expected a header row".to_string(),
    })?;
    build_meta(display, schema, header, source.encoding, source.from_xlsx)
}

/// Streams the data rows of a file to `on_chunk` in chunks of [`CHUNK_ROWS`],
/// after skipping blank rows and merging byte-identical duplicates.
pub fn stream_rows(
    path: &Path,
    display: &str,
    mut on_chunk: impl FnMut(Vec<RawRow>) -> Result<()>,
) -> Result<FileStats> {
    let mut source = open(path, display)?;
    source.next_record(display)?; // the header, already matched
    let mut stats = FileStats::default();
    let mut seen: HashSet<u128, BuildHasherDefault<PreHashed>> = HashSet::default();
    let mut chunk = Vec::with_capacity(CHUNK_ROWS);
    let mut line = 1u64;
    while let Some(fields) = source.next_string_record(display, line + 1)? {
        line += 1;
        if fields.iter().all(|f| f.trim().is_empty()) {
            stats.blank_rows += 1;
            continue;
        }
        stats.rows_read += 1;
        if !seen.insert(row_hash(&fields)) {
            stats.merged_duplicates += 1;
            continue;
        }
        chunk.push(RawRow {
            line,
            record: fields,
        });
        if chunk.len() == CHUNK_ROWS {
            on_chunk(std::mem::replace(
                &mut chunk,
                Vec::with_capacity(CHUNK_ROWS),
            ))?;
        }
    }
    if !chunk.is_empty() {
        on_chunk(chunk)?;
    }
    stats.sha256 = source.finish()?;
    Ok(stats)
}

/// The keys of the duplicate set are already xxh3 hashes: use their low bits
/// as the table hash instead of hashing them again.
#[derive(Default)]
struct PreHashed(u64);

impl Hasher for PreHashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes.iter().take(8) {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }
    fn write_u128(&mut self, v: u128) {
        self.0 = v as u64;
    }
}

/// A 128-bit hash of a row's fields and their boundaries ("a,bc" ≠ "ab,c").
/// Two distinct rows collide with probability 2⁻¹²⁸: duplicate merging keeps
/// no row text in memory.
fn row_hash(r: &csv::StringRecord) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for f in r.iter() {
        h.update(&(f.len() as u64).to_le_bytes());
        h.update(f.as_bytes());
    }
    h.digest128()
}

/// A reader that hashes the bytes passing through it (the input's SHA-256).
struct HashingReader<R> {
    inner: R,
    hasher: std::sync::Arc<std::sync::Mutex<Sha256>>,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Ok(mut h) = self.hasher.lock() {
            h.update(&buf[..n]);
        }
        Ok(n)
    }
}

/// Where rows come from: a CSV stream, or an XLSX sheet read whole.
struct Source {
    csv: Option<csv::Reader<Box<dyn Read>>>,
    xlsx: Option<std::vec::IntoIter<Vec<String>>>,
    hasher: std::sync::Arc<std::sync::Mutex<Sha256>>,
    raw_path: std::path::PathBuf,
    encoding: &'static str,
    from_xlsx: bool,
}

impl Source {
    fn next_record(&mut self, display: &str) -> Result<Option<Vec<String>>> {
        Ok(self
            .next_string_record(display, 1)?
            .map(|r| r.iter().map(str::to_string).collect()))
    }

    fn next_string_record(
        &mut self,
        display: &str,
        line: u64,
    ) -> Result<Option<csv::StringRecord>> {
        if let Some(rows) = self.xlsx.as_mut() {
            return Ok(rows.next().map(csv::StringRecord::from));
        }
        let Some(reader) = self.csv.as_mut() else {
            return Ok(None);
        };
        let mut rec = csv::ByteRecord::new();
        let more = reader
            .read_byte_record(&mut rec)
            .map_err(|e| Error::BadFile {
                file: display.to_string(),
                message: format!("line {line}: cannot be read as CSV: {e}"),
            })?;
        if !more {
            return Ok(None);
        }
        match csv::StringRecord::from_byte_record(rec) {
            Ok(r) => Ok(Some(r)),
            // A stray byte that is not UTF-8 becomes U+FFFD: the row is still
            // validated (and rejected where it matters), never lost.
            Err(e) => {
                let fields: Vec<String> = e
                    .into_byte_record()
                    .iter()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect();
                Ok(Some(csv::StringRecord::from(fields)))
            }
        }
    }

    /// The SHA-256 of the file's bytes.
    fn finish(mut self) -> Result<String> {
        if self.from_xlsx {
            let bytes =
                std::fs::read(&self.raw_path).map_err(|e| Error::io(self.raw_path.display(), e))?;
            return Ok(hex(&Sha256::digest(&bytes)));
        }
        // Drain what the CSV reader left unread (nothing, normally) so the hash covers every byte.
        if let Some(r) = self.csv.take() {
            let mut inner = r.into_inner();
            std::io::copy(&mut inner, &mut std::io::sink())
                .map_err(|e| Error::io(self.raw_path.display(), e))?;
        }
        let h = self
            .hasher
            .lock()
            .map_err(|_| Error::Internal("hash lock poisoned".into()))?
            .clone();
        Ok(hex(&h.finalize()))
    }
}

/// Opens a file, sniffs its format and encoding from the first 64 KiB.
fn open(path: &Path, display: &str) -> Result<Source> {
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
    let hasher = std::sync::Arc::new(std::sync::Mutex::new(Sha256::new()));
    if prefix.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(Error::BadFile {
            file: display.to_string(),
            message: "this is an old-format Excel workbook (.xls); save it as .xlsx or CSV (UTF-8 or GBK)".to_string(),
        });
    }
    if prefix.starts_with(b"PK\x03\x04") {
        let (header, rows) = super::xlsx::read_xlsx(path, display)?;
        let mut all = vec![header];
        all.extend(rows);
        return Ok(Source {
            csv: None,
            xlsx: Some(all.into_iter()),
            hasher,
            raw_path: path.to_path_buf(),
            encoding: "XLSX",
            from_xlsx: true,
        });
    }
    let encoding = sniff_encoding(&prefix);
    let text_start = String::from_utf8_lossy(&prefix[..prefix.len().min(4096)]).into_owned();
    let delimiter = sniff_delimiter(match encoding {
        "UTF-16LE" | "UTF-16BE" => "",
        _ => &text_start,
    });
    let raw = HashingReader {
        inner: std::io::Cursor::new(prefix).chain(file),
        hasher: hasher.clone(),
    };
    let reader: Box<dyn Read> = match encoding {
        "UTF-8" => Box::new(raw),
        "UTF-8-BOM" => {
            let mut r = raw;
            let mut bom = [0u8; 3];
            r.read_exact(&mut bom).map_err(|e| Error::io(display, e))?;
            Box::new(r)
        }
        "UTF-16LE" | "UTF-16BE" => {
            Box::new(encoding_rs_io::DecodeReaderBytesBuilder::new().build(raw))
        }
        _ => Box::new(
            encoding_rs_io::DecodeReaderBytesBuilder::new()
                .encoding(Some(encoding_rs::GB18030))
                .build(raw),
        ),
    };
    let delimiter = if matches!(encoding, "UTF-16LE" | "UTF-16BE") {
        b'\t'
    } else {
        delimiter
    };
    let csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .buffer_capacity(1 << 20)
        .from_reader(reader);
    Ok(Source {
        csv: Some(csv),
        xlsx: None,
        hasher,
        raw_path: path.to_path_buf(),
        encoding,
        from_xlsx: false,
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

fn build_meta(
    display: &str,
    schema: &SourceSchema,
    header: Vec<String>,
    encoding: &'static str,
    from_xlsx: bool,
) -> Result<TableMeta> {
    let header: Vec<String> = header
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let (columns, ignored_columns) = match_header(&header, schema, display)?;
    Ok(TableMeta {
        header,
        columns,
        encoding,
        ignored_columns,
        from_xlsx,
    })
}

fn match_header(
    header: &[String],
    schema: &SourceSchema,
    display: &str,
) -> Result<(Columns, Vec<String>)> {
    let mut columns: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    let mut ignored = Vec::new();
    for (i, h) in header.iter().enumerate() {
        match schema.column_for_header(h) {
            Some(col) if !columns.contains_key(&col.key) => {
                columns.insert(col.key.clone(), i);
            }
            _ => ignored.push(h.clone()),
        }
    }
    for col in schema.columns.iter().filter(|c| c.required) {
        if !columns.contains_key(&col.key) {
            let mut accepted = vec![col.zh.clone()];
            accepted.extend(col.aliases.iter().cloned());
            let found: Vec<&str> = header
                .iter()
                .map(String::as_str)
                .filter(|h| !norm_header(h).is_empty())
                .collect();
            return Err(Error::MissingColumn {
                file: display.to_string(),
                column: col.zh.clone(),
                accepted: format!(
                    "{} (header found: {})",
                    accepted.join(", "),
                    found.join(", ")
                ),
            });
        }
    }
    Ok((columns.into_iter().collect(), ignored))
}

/// Comma unless the first line has tabs and no commas (Excel's "Unicode text").
fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    if first.contains('\t') && !first.contains(',') {
        b'\t'
    } else {
        b','
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
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

    #[test]
    fn sniffs_tab_delimited() {
        assert_eq!(sniff_delimiter("姓名\t身份证号\n"), b'\t');
        assert_eq!(sniff_delimiter("姓名,身份证号\n"), b',');
    }
}
