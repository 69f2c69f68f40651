//! Reading one export into rows: encoding detection (UTF-8, UTF-8 with BOM,
//! UTF-16 with BOM, GBK/GB18030), CSV parsing, header matching against the
//! source schema, and merging of byte-identical duplicate rows.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::schema::{norm_header, SourceSchema};
use crate::error::{Error, Result};

/// One export as read: matched header, data rows, and what reading saw.
#[derive(Debug)]
pub struct Table {
    /// Header texts as written in the file.
    pub header: Vec<String>,
    /// Column key → index into a row.
    pub columns: HashMap<String, usize>,
    /// Data rows that survived duplicate merging, with their line numbers
    /// (the header is line 1, the first data row line 2).
    pub rows: Vec<RawRow>,
    pub encoding: &'static str,
    pub sha256: String,
    /// Headers that matched no column of the schema (named in the summary).
    pub ignored_columns: Vec<String>,
    /// Data rows seen (blank rows excluded).
    pub rows_read: u64,
    /// Byte-identical repeats of an earlier row, merged into it.
    pub merged_duplicates: u64,
    /// Entirely blank rows (spreadsheets leave them at the end), skipped.
    pub blank_rows: u64,
    /// Read from an XLSX workbook: a bare number in a date column is an Excel
    /// serial date there, and a long ID may have been stored as a number.
    pub from_xlsx: bool,
}

#[derive(Debug, Clone)]
pub struct RawRow {
    pub line: u64,
    pub fields: Vec<String>,
}

/// Reads and decodes a file, then matches its header against `schema`.
/// A missing required column is an error naming the file, the column and the
/// headers accepted for it.
pub fn read_table(path: &Path, display: &str, schema: &SourceSchema) -> Result<Table> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(display, e))?;
    let sha256 = hex(&Sha256::digest(&bytes));
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(Error::BadFile {
            file: display.to_string(),
            message: "this is an old-format Excel workbook (.xls); save it as .xlsx or CSV (UTF-8 or GBK)".to_string(),
        });
    }
    if bytes.starts_with(b"PK\x03\x04") {
        let (header, rows) = super::xlsx::read_xlsx(path, display)?;
        let rows = rows.into_iter().map(Ok);
        return assemble(display, schema, header, rows, "XLSX", sha256, true);
    }
    let (text, encoding) = decode(&bytes);
    let delimiter = sniff_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header: Vec<String> = match records.next() {
        Some(Ok(r)) => r.iter().map(str::to_string).collect(),
        Some(Err(e)) => {
            return Err(Error::BadFile {
                file: display.to_string(),
                message: format!("line 1: the header row cannot be read as CSV: {e}"),
            })
        }
        None => {
            return Err(Error::BadFile {
                file: display.to_string(),
                message: "the file is empty: expected a header row".to_string(),
            })
        }
    };
    let rows =
        records.map(|r| r.map(|rec| rec.iter().map(str::to_string).collect::<Vec<String>>()));
    assemble(display, schema, header, rows, encoding, sha256, false)
}

/// Matches the header, numbers the rows (header = line 1), skips blank rows and
/// merges byte-identical duplicates — the same for CSV and XLSX.
fn assemble(
    display: &str,
    schema: &SourceSchema,
    header: Vec<String>,
    rows: impl Iterator<Item = std::result::Result<Vec<String>, csv::Error>>,
    encoding: &'static str,
    sha256: String,
    from_xlsx: bool,
) -> Result<Table> {
    let header: Vec<String> = header
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let (columns, ignored_columns) = match_header(&header, schema, display)?;
    let mut out = Vec::new();
    let mut seen: HashSet<Vec<String>> = HashSet::new();
    let (mut rows_read, mut merged, mut blank) = (0u64, 0u64, 0u64);
    for (i, rec) in rows.enumerate() {
        let line = i as u64 + 2;
        let fields = rec.map_err(|e| Error::BadFile {
            file: display.to_string(),
            message: format!("line {line}: cannot be read as CSV: {e}"),
        })?;
        if fields.iter().all(|f| f.trim().is_empty()) {
            blank += 1;
            continue;
        }
        rows_read += 1;
        if !seen.insert(fields.clone()) {
            merged += 1;
            continue;
        }
        out.push(RawRow { line, fields });
    }
    Ok(Table {
        header,
        columns,
        rows: out,
        encoding,
        sha256,
        ignored_columns,
        rows_read,
        merged_duplicates: merged,
        blank_rows: blank,
        from_xlsx,
    })
}

fn match_header(
    header: &[String],
    schema: &SourceSchema,
    display: &str,
) -> Result<(HashMap<String, usize>, Vec<String>)> {
    let mut columns = HashMap::new();
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
    Ok((columns, ignored))
}

/// Detects the encoding: a BOM decides; otherwise valid UTF-8 is UTF-8 and
/// anything else is read as GB18030 (a superset of GBK and GB2312).
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (String::from_utf8_lossy(rest).into_owned(), "UTF-8-BOM");
    }
    if bytes.starts_with(b"\xFF\xFE") {
        let (t, _, _) = encoding_rs::UTF_16LE.decode(bytes);
        return (t.into_owned(), "UTF-16LE");
    }
    if bytes.starts_with(b"\xFE\xFF") {
        let (t, _, _) = encoding_rs::UTF_16BE.decode(bytes);
        return (t.into_owned(), "UTF-16BE");
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), "UTF-8"),
        Err(_) => {
            let (t, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            let name = if had_errors {
                "GB18030 (with undecodable bytes)"
            } else {
                "GB18030"
            };
            (t.into_owned(), name)
        }
    }
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

/// SHA-256 of a file's bytes, hex.
pub fn sha256_file(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path.display(), e))?;
    Ok(hex(&Sha256::digest(&bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_encodings() {
        assert_eq!(decode("姓名".as_bytes()), ("姓名".to_string(), "UTF-8"));
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice("姓名".as_bytes());
        assert_eq!(decode(&bom), ("姓名".to_string(), "UTF-8-BOM"));
        let (gbk, _, _) = encoding_rs::GBK.encode("姓名,低保对象");
        assert_eq!(decode(&gbk), ("姓名,低保对象".to_string(), "GB18030"));
    }

    #[test]
    fn sniffs_tab_delimited() {
        assert_eq!(sniff_delimiter("姓名\t身份证号\n"), b'\t');
        assert_eq!(sniff_delimiter("姓名,身份证号\n"), b',');
    }
}
