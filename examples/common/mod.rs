//! What the workbook-comparing examples (`same_cells`, `same_parts`) share
//! (issue 15): the workbooks of an output directory, and the walk over two
//! output directories' workbooks in pairs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `report.xlsx` and then `by_county/*.xlsx` in name order.
pub fn workbooks(out: &Path) -> Vec<PathBuf> {
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

/// One pair of workbooks compared: the differences (empty: the same) and
/// what was compared (cells, parts and bytes, …).
pub type Compared<T> = Result<(Vec<String>, T), String>;

/// Reads `OUT_A OUT_B` from the command line, checks that both hold the
/// same workbooks, and compares them pair by pair with `compare`. An equal
/// pair prints `line(workbook, &what)`; the first difference prints its
/// differences and exits 1; at the end `done(workbooks, whats)` is printed.
pub fn compare_pairs<T>(
    tool: &str,
    compare: impl Fn(&Path, &Path) -> Compared<T>,
    line: impl Fn(&Path, &T) -> String,
    done: impl FnOnce(usize, Vec<T>) -> String,
) -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [a, b] = args.as_slice() else {
        eprintln!("usage: {tool} OUT_A OUT_B");
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
    let mut whats = Vec::with_capacity(books_a.len());
    for (x, y) in books_a.iter().zip(&books_b) {
        match compare(x, y) {
            Ok((diffs, what)) if diffs.is_empty() => {
                println!("{}", line(x.strip_prefix(a).unwrap_or(x), &what));
                whats.push(what);
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
    println!("{}", done(books_a.len(), whats));
    ExitCode::SUCCESS
}
