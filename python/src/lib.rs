//! `landclust._core`: the compiled half of the Python package (PyO3 + rust-numpy).
//!
//! The Python layer (`python/landclust/`) converts and validates its inputs (dtype, labels
//! recoded to `0..k`, 2-D shapes) and calls these functions with `float64` arrays of any
//! memory layout (strided views are read in place) and `uintp` labels; the landclust library
//! computes. Every call releases the GIL while it computes (`Python::detach`, PyO3's new name
//! for `allow_threads`). Library errors become `ValueError` (`OSError` for files) carrying the
//! library's one-line message; nothing here panics (no unwrap/expect).

mod cluster;
mod metrics;
mod run;

use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;

/// A library error as the Python exception the CLI's one-line message maps to.
pub(crate) fn to_py(e: landclust::Error) -> PyErr {
    match e {
        landclust::Error::Io(_) | landclust::Error::File { .. } => PyOSError::new_err(e.to_string()),
        _ => PyValueError::new_err(e.to_string()),
    }
}

/// Any displayable error as `ValueError`.
pub(crate) fn value_error(e: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(e.to_string())
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // As before the library reported through a callback: notes on stderr, bars when a call asks.
    landclust::progress::set_reporter(std::sync::Arc::new(landclust::cli::bars::TerminalReporter::new(true)));
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    metrics::register(m)?;
    cluster::register(m)?;
    run::register(m)?;
    Ok(())
}
