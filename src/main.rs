//! The `landclust` binary: a thin shell over the library (see `landclust --help`).

/// mimalloc instead of the system allocator: VAE training allocates and frees thousands of
/// small tensors per epoch, where glibc's malloc cost about a third of the time (measured with
/// `examples/vae_speed`). It changes no result: allocation never touches the arithmetic.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Transparent huge pages off for this process, unless `MIMALLOC_ALLOW_THP` is set (mimalloc's
/// own switch; `MIMALLOC_ALLOW_THP=1` keeps them). landclust's large arrays (the table, the
/// standardized copy, the clustering's bounds, the output rasters) are each written once or a few
/// times; a huge page costs a 2 MB zeroing at its first touch, and on a virtual machine the host
/// must also back the whole 2 MB at that moment, where 4 KB pages are backed as they are touched.
/// docs/benchmarks.md gives the measured difference; no result changes (pages are zeroed either way).
#[cfg(target_os = "linux")]
fn disable_transparent_huge_pages() {
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        // SAFETY: PR_SET_THP_DISABLE takes integer arguments only and changes no memory.
        unsafe {
            libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
        }
    }
}

fn main() {
    #[cfg(target_os = "linux")]
    disable_transparent_huge_pages();
    // Without it, Ctrl-C or a scheduler's SIGTERM would strand the hidden staging folder.
    if let Err(e) = landclust::pipeline::outdir::remove_staging_on_signal() {
        eprintln!("landclust: warning: {e}");
    }
    std::process::exit(landclust::cli::main());
}
