//! Issue 15: the workbooks written by hand (rows spliced into the parts
//! rust_xlsxwriter writes) must hold the very same package as the writer's
//! own. This compares every workbook (`report.xlsx`, `by_county/*.xlsx`) of
//! two output directories part by part after decompression: the same part
//! names in the same order, and each part's bytes equal.
//!
//! `cargo run --release --locked --example same_parts -- OUT_A OUT_B`
//! prints one line per workbook and exits 1 at the first difference.

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

mod common;

/// Every part of the package at `path`, in order: name and bytes.
fn parts(path: &Path) -> Result<Vec<(String, Vec<u8>)>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let mut part = zip
            .by_index(i)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let mut bytes = Vec::new();
        part.read_to_end(&mut bytes)
            .map_err(|e| format!("{}: {}: {e}", path.display(), part.name()))?;
        out.push((part.name().to_string(), bytes));
    }
    Ok(out)
}

/// Differences between the packages at `a` and `b` (empty: the same), and
/// the parts and bytes compared.
fn compare(a: &Path, b: &Path) -> common::Compared<(usize, usize)> {
    let (pa, pb) = (parts(a)?, parts(b)?);
    let names = |p: &[(String, Vec<u8>)]| p.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    if names(&pa) != names(&pb) {
        return Ok((
            vec![format!("parts {:?} != {:?}", names(&pa), names(&pb))],
            (0, 0),
        ));
    }
    let mut diffs = Vec::new();
    let mut bytes = 0;
    for ((name, x), (_, y)) in pa.iter().zip(&pb) {
        bytes += x.len();
        if x != y {
            let at = x
                .iter()
                .zip(y)
                .position(|(p, q)| p != q)
                .unwrap_or(x.len().min(y.len()));
            let show = |v: &[u8]| {
                String::from_utf8_lossy(&v[at.saturating_sub(80)..(at + 80).min(v.len())])
                    .into_owned()
            };
            diffs.push(format!(
                "{name}: {} vs {} bytes, first difference at byte {at}:\n  {}\n  {}",
                x.len(),
                y.len(),
                show(x),
                show(y)
            ));
        }
    }
    Ok((diffs, (pa.len(), bytes)))
}

fn main() -> ExitCode {
    common::compare_pairs(
        "same_parts",
        compare,
        |book, (parts, bytes)| format!("{}: {parts} parts, {bytes} bytes, equal", book.display()),
        |books, each| {
            let (parts, bytes) = each.iter().fold((0, 0), |(p, b), (q, c)| (p + q, b + c));
            format!("all {books} workbooks equal: {parts} parts, {bytes} bytes uncompressed")
        },
    )
}
