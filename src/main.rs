//! Thin binary: parse arguments, run, map the result to an exit code
//! (0 done, 1 bad input or policy, 2 usage).

use clap::Parser;

/// Ingest allocates many small strings from several threads; mimalloc keeps
/// that off the critical path (glibc's malloc took ~40% of ingest time).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = yibao_recon::cli::Cli::parse();
    let code = match yibao_recon::cli::dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误 error: {e}");
            e.exit_code()
        }
    };
    std::process::exit(code);
}
