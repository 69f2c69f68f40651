//! Issue 15: the workbooks' bytes may change (compression level, writer
//! version, order of writing) but never a cell. This compares every sheet of
//! every workbook (`report.xlsx`, `by_county/*.xlsx`) of two output
//! directories with calamine: the same workbooks, the same sheets in the same
//! order, and in each sheet the same cells (value and type: text, number,
//! date) and the same merged ranges.
//!
//! `cargo run --release --locked --example same_cells -- OUT_A OUT_B`
//! prints one line per workbook and exits 1 at the first difference.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use calamine::{open_workbook, Reader, Xlsx};

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

/// Differences between the workbooks at `a` and `b` (empty: the same), and
/// the cells compared.
fn compare(a: &Path, b: &Path) -> Result<(Vec<String>, usize), String> {
    let open = |p: &Path| -> Result<Xlsx<_>, String> {
        open_workbook(p).map_err(|e| format!("{}: {e}", p.display()))
    };
    let (mut wa, mut wb) = (open(a)?, open(b)?);
    let mut diffs = Vec::new();
    if wa.sheet_names() != wb.sheet_names() {
        diffs.push(format!(
            "sheets {:?} != {:?}",
            wa.sheet_names(),
            wb.sheet_names()
        ));
        return Ok((diffs, 0));
    }
    let mut cells = 0;
    for name in wa.sheet_names() {
        let ra = wa.worksheet_range(&name).map_err(|e| e.to_string())?;
        let rb = wb.worksheet_range(&name).map_err(|e| e.to_string())?;
        if (ra.start(), ra.end()) != (rb.start(), rb.end()) {
            diffs.push(format!(
                "{name}: extent {:?}..{:?} != {:?}..{:?}",
                ra.start(),
                ra.end(),
                rb.start(),
                rb.end()
            ));
            continue;
        }
        for ((r, c, x), y) in ra.used_cells().zip(rb.used_cells().map(|(_, _, y)| y)) {
            cells += 1;
            if x != y && diffs.len() < 10 {
                diffs.push(format!("{name}!R{}C{}: {x:?} != {y:?}", r + 1, c + 1));
            }
        }
        if ra.used_cells().count() != rb.used_cells().count() {
            diffs.push(format!("{name}: different numbers of used cells"));
        }
        let merged = |w: &mut Xlsx<_>| {
            w.load_merged_regions().ok();
            let mut m: Vec<String> = w
                .merged_regions_by_sheet(&name)
                .iter()
                .map(|(_, _, d)| format!("{:?}-{:?}", d.start, d.end))
                .collect();
            m.sort();
            m
        };
        if merged(&mut wa) != merged(&mut wb) {
            diffs.push(format!("{name}: merged ranges differ"));
        }
    }
    Ok((diffs, cells))
}

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [a, b] = args.as_slice() else {
        eprintln!("usage: same_cells OUT_A OUT_B");
        return ExitCode::from(2);
    };
    let (books_a, books_b) = (workbooks(a), workbooks(b));
    let names = |books: &[PathBuf], out: &Path| -> Vec<PathBuf> {
        books
            .iter()
            .filter_map(|p| p.strip_prefix(out).ok().map(Path::to_path_buf))
            .collect()
    };
    if names(&books_a, a) != names(&books_b, b) {
        eprintln!("different workbooks in {} and {}", a.display(), b.display());
        return ExitCode::from(1);
    }
    let mut total = 0;
    for (x, y) in books_a.iter().zip(&books_b) {
        match compare(x, y) {
            Ok((diffs, cells)) if diffs.is_empty() => {
                total += cells;
                println!(
                    "same {cells} cells: {}",
                    x.strip_prefix(a).unwrap_or(x).display()
                );
            }
            Ok((diffs, _)) => {
                eprintln!("DIFFERENT: {} vs {}", x.display(), y.display());
                for d in diffs {
                    eprintln!("  {d}");
                }
                return ExitCode::from(1);
            }
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(1);
            }
        }
    }
    println!(
        "all {} workbooks have the same cells ({total} cells)",
        books_a.len()
    );
    ExitCode::SUCCESS
}
