//! The `landclust` binary: a thin shell over the library (see `landclust --help`).

/// mimalloc instead of the system allocator: VAE training allocates and frees thousands of
/// small tensors per epoch, where glibc's malloc cost about a third of the time (measured with
/// `examples/vae_speed`). It changes no result: allocation never touches the arithmetic.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // Without it, Ctrl-C or a scheduler's SIGTERM would strand the hidden staging folder.
    if let Err(e) = landclust::pipeline::outdir::remove_staging_on_signal() {
        eprintln!("landclust: warning: {e}");
    }
    std::process::exit(landclust::cli::main());
}
