//! Thin binary: parse arguments, run, map the result to an exit code
//! (0 done, 1 bad input or policy, 2 usage).

/// Ingest allocates many small strings from several threads; mimalloc keeps
/// that off the critical path (glibc's malloc took ~40% of ingest time).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Transparent huge pages off for this process (issue 15). mimalloc asks the
/// kernel for them on its arenas (`madvise`), and the kernel then zeroes
/// 2 MiB at a time on first touch and again after every purge: 12 % of a
/// 1 M run's CPU samples went to that, against under 1 % with them off, and
/// the run took a second less system time (docs/decisions.md, #15 memory).
/// `MIMALLOC_ALLOW_THP`, when set, still decides (mimalloc reads it itself).
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        // SAFETY: prctl(PR_SET_THP_DISABLE) only sets a flag of this
        // process's memory map, read at each page fault; it touches no
        // memory of ours. Failing (an old kernel) leaves huge pages as
        // they were, which is harmless.
        unsafe {
            libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
        }
    }
}

fn main() {
    no_huge_pages();
    yibao_recon::owner_only::restrict_umask();
    let cli = yibao_recon::cli::parse();
    let lang = cli.lang();
    let code = match yibao_recon::cli::dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            let label = match lang {
                yibao_recon::i18n::Lang::Zh => "错误：",
                yibao_recon::i18n::Lang::En => "error: ",
            };
            eprintln!("{label}{}", e.localized(lang));
            e.exit_code()
        }
    };
    std::process::exit(code);
}
