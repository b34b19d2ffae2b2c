//! The `landclust` binary: a thin shell over the library (see `landclust --help`).

fn main() {
    std::process::exit(landclust::cli::main());
}
