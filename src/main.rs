//! The `landclust` binary: a thin shell over the library (see `landclust --help`).

fn main() {
    std::process::exit(landclust_cli::main());
}

mod landclust_cli {
    pub fn main() -> i32 {
        0
    }
}
