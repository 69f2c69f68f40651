//! Process-wide memory settings, made once at start-up by the binary, and
//! the cache hint the hot loops share.

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

/// Keeps the memory the run frees mapped, for its next allocations,
/// instead of handing it back to the kernel (issue 15).
///
/// By default mimalloc purges (decommits) pages that stay free for a
/// second; the next stage then faults them in again and the kernel zeroes
/// each one. A run frees and refills gigabytes between its stages (blocks,
/// partitions, records, tables), so at 10 M that was about 250,000 extra page
/// faults and 1.5 CPU-s, against a peak RSS 0–5 % higher without purging
/// (docs/decisions.md, "#15 (seventh session, lead: freed memory kept)").
/// The process ends as soon as the outputs are written, so nothing is held
/// longer than the run. `MIMALLOC_PURGE_DELAY`, when set, still decides
/// (mimalloc reads it itself at start-up).
pub fn keep_freed_memory() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    if let Some(option) = purge_delay_option() {
        // SAFETY: `mi_option_set` stores a number in mimalloc's option
        // table (an atomic write); it touches no memory of ours. -1 means
        // "never purge".
        unsafe { mi_option_set(option, -1) }
    }
}

/// The number of mimalloc's `mi_option_purge_delay`: its position in the
/// `mi_option_t` enum of `mimalloc.h`, 15 in every 2.x and 3.x release
/// (mimalloc keeps retired options in the enum as `deprecated_*` so that the
/// numbers stay). Another major version is left at its default.
fn purge_delay_option() -> Option<std::ffi::c_int> {
    // SAFETY: `mi_version` only returns a constant.
    let version = unsafe { mi_version() };
    (20_000..40_000).contains(&version).then_some(15)
}

// mimalloc's C functions, compiled and linked by `libmimalloc-sys` (the
// `mimalloc` crate's dependency); `use mimalloc as _` links them into every
// target of this library, tests included.
use mimalloc as _;
extern "C" {
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    fn mi_version() -> std::ffi::c_int;
    #[cfg(test)]
    fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
}

/// Asks the processor to start fetching the cache line holding `at` (any
/// address at all), ahead of its use: a hint, with no effect on what the
/// program computes (issue 15: the steps that visit rows or records in an
/// order other than memory's, in `ingest::reduce` and `rules::order`).
/// Does nothing on other processors than x86-64.
#[inline(always)]
pub fn prefetch_line(at: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch only reads into the cache; it never faults,
    // whatever the address, and changes no memory. SSE, which it needs, is
    // part of every x86-64 processor.
    unsafe {
        use core::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>(at.cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = at;
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

#[cfg(test)]
mod purge_tests {
    #[test]
    fn freed_memory_is_kept_with_the_mimalloc_this_build_links() {
        // A mimalloc outside 2.x–3.x would silently leave purging on: this
        // fails first, so that the option's number is checked again.
        let option = super::purge_delay_option().expect("mimalloc 2.x or 3.x");
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            super::keep_freed_memory();
            // SAFETY: reads mimalloc's option table.
            assert_eq!(unsafe { super::mi_option_get(option) }, -1);
        }
    }
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
