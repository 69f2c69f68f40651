//! Issue 15: the workbooks' bytes may change (compression level, writer
//! version, order of writing) but never a cell. This compares every sheet of
//! every workbook (`report.xlsx`, `by_county/*.xlsx`) of two output
//! directories with calamine: the same workbooks, the same sheets in the same
//! order, and in each sheet the same cells (value and type: text, number,
//! date) and the same merged ranges.
//!
//! `cargo run --release --locked --example same_cells -- OUT_A OUT_B`
//! prints one line per workbook and exits 1 at the first difference.

use std::path::Path;
use std::process::ExitCode;

use calamine::{open_workbook, Reader, Xlsx};

mod common;

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
    common::compare_pairs(
        "same_cells",
        compare,
        |book, cells| format!("same {cells} cells: {}", book.display()),
        |books, cells| {
            let total: usize = cells.iter().sum();
            format!("all {books} workbooks have the same cells ({total} cells)")
        },
    )
}
