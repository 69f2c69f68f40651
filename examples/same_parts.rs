//! Issue 15: the workbooks written by hand (rows spliced into the parts
//! rust_xlsxwriter writes) must hold the very same package as the writer's
//! own. This compares every workbook (`report.xlsx`, `by_county/*.xlsx`) of
//! two output directories part by part after decompression: the same part
//! names in the same order, and each part's bytes equal.
//!
//! `cargo run --release --locked --example same_parts -- OUT_A OUT_B`
//! prints one line per workbook and exits 1 at the first difference.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn workbooks(out: &Path) -> Vec<PathBuf> {
    let mut found = vec![out.join("report.xlsx")];
    if let Ok(dir) = std::fs::read_dir(out.join("by_county")) {
        let mut county: Vec<PathBuf> = dir
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "xlsx"))
            .collect();
        county.sort();
        found.extend(county);
    }
    found
}

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
fn compare(a: &Path, b: &Path) -> Result<(Vec<String>, usize, usize), String> {
    let (pa, pb) = (parts(a)?, parts(b)?);
    let names = |p: &[(String, Vec<u8>)]| p.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    if names(&pa) != names(&pb) {
        return Ok((
            vec![format!("parts {:?} != {:?}", names(&pa), names(&pb))],
            0,
            0,
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
    Ok((diffs, pa.len(), bytes))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [a, b] = args.as_slice() else {
        eprintln!("usage: same_parts OUT_A OUT_B");
        return ExitCode::from(2);
    };
    let (a, b) = (Path::new(a), Path::new(b));
    let (wa, wb) = (workbooks(a), workbooks(b));
    let rel = |p: &Path, root: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
    let (na, nb): (Vec<PathBuf>, Vec<PathBuf>) = (
        wa.iter().map(|p| rel(p, a)).collect(),
        wb.iter().map(|p| rel(p, b)).collect(),
    );
    if na != nb {
        println!("different workbooks: {na:?} != {nb:?}");
        return ExitCode::from(1);
    }
    let mut total = (0, 0);
    for (x, y) in wa.iter().zip(&wb) {
        match compare(x, y) {
            Ok((diffs, parts, bytes)) if diffs.is_empty() => {
                total = (total.0 + parts, total.1 + bytes);
                println!(
                    "{}: {parts} parts, {bytes} bytes, equal",
                    rel(x, a).display()
                );
            }
            Ok((diffs, ..)) => {
                println!("{}: DIFFERENT", rel(x, a).display());
                for d in diffs.iter().take(5) {
                    println!("  {d}");
                }
                return ExitCode::from(1);
            }
            Err(e) => {
                println!("{e}");
                return ExitCode::from(1);
            }
        }
    }
    println!(
        "all {} workbooks equal: {} parts, {} bytes uncompressed",
        wa.len(),
        total.0,
        total.1
    );
    ExitCode::SUCCESS
}
