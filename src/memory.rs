//! Process-wide memory settings, made once at start-up by the binary.

/// Turns transparent huge pages off for this process (issue 15).
///
/// mimalloc asks the kernel for huge pages on its arenas (`madvise`), and
/// the kernel then zeroes 2 MiB at a time when a page is first touched and
/// again after each purge: 12 % of a 1 M run's CPU samples went to that
/// (`clear_page_erms` under `do_huge_pmd_anonymous_page`), against under
/// 1 % with huge pages off, and a run spent about a second less in the
/// kernel (docs/decisions.md, "#15 (memory and the kernel, i19m)").
/// `MIMALLOC_ALLOW_THP`, when set, still decides (mimalloc reads it itself).
/// Elsewhere than Linux, nothing to do.
pub fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        // SAFETY: prctl(PR_SET_THP_DISABLE) only sets a flag on this
        // process's memory map, read by the kernel at each page fault; it
        // touches no memory of ours. Failing (a kernel without it) leaves
        // huge pages as they were, which is harmless.
        unsafe {
            libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
        }
    }
}

/// Ends the process with `code` once everything is written, without the
/// allocator's clean-up (issue 15).
///
/// `std::process::exit` runs the C library's exit handlers, and mimalloc's
/// hands every free page back to the kernel there, one `madvise` per
/// region: 59 ms of a 1 M run and 0.23 s of a 10 M run on the main thread
/// after the ledger had committed, for memory the kernel takes back at exit
/// anyway. Standard output is flushed first (standard error is unbuffered);
/// every file and the ledger are closed before the run returns, so no exit
/// handler of ours is skipped.
pub fn exit_now(code: i32) -> ! {
    use std::io::Write;
    let _ = std::io::stdout().flush();
    #[cfg(unix)]
    {
        // SAFETY: `_exit` ends the process at once; it reads no memory of
        // ours. What it skips (exit handlers, destructors) is said above.
        unsafe { libc::_exit(code) }
    }
    #[cfg(not(unix))]
    std::process::exit(code)
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn huge_pages_are_off_for_the_process() {
        if std::env::var_os("MIMALLOC_ALLOW_THP").is_some() {
            return; // the allocator's own setting decides then
        }
        super::no_huge_pages();
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        // Kernels since 5.0 say so in the status; older ones have no line.
        if let Some(line) = status.lines().find(|l| l.starts_with("THP_enabled:")) {
            assert_eq!(line.split_whitespace().nth(1), Some("0"), "{line}");
        }
    }
}
