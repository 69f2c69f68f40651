//! Thin binary: parse arguments, run, map the result to an exit code
//! (0 done, 1 bad input or policy, 2 usage).

/// Ingest allocates many small strings from several threads; mimalloc keeps
/// that off the critical path (glibc's malloc took ~40% of ingest time).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    yibao_recon::memory::no_huge_pages();
    yibao_recon::memory::keep_freed_memory();
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
    yibao_recon::memory::exit_now(code);
}
