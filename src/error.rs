//! The crate-wide error: each stage has its own error type; this one wraps them so the CLI
//! can print one line and exit non-zero. Only the top layers use it (`pipeline`, `cli`, the
//! binary and the crate root); the modules below return their own errors (see
//! `tests/layers.rs`).

use std::path::PathBuf;

/// Any failure of the pipeline, printed by the CLI as one line.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Io(#[from] crate::io::IoError),
    #[error(transparent)]
    Dataset(crate::dataset::DatasetError),
    #[error(transparent)]
    Features(#[from] crate::features::FeatureError),
    #[error(transparent)]
    Reduce(#[from] crate::reduce::ReduceError),
    #[error(transparent)]
    Cluster(#[from] crate::cluster::ClusterError),
    #[error(transparent)]
    Deep(#[from] crate::cluster::deep::DeepError),
    #[error(transparent)]
    Method(#[from] crate::cluster::method::MethodError),
    #[error(transparent)]
    Metrics(#[from] crate::metrics::MetricsError),
    #[error(transparent)]
    Plot(#[from] crate::plot::PlotError),
    #[error(transparent)]
    Report(#[from] crate::report::ReportError),
    /// A pipeline part's own error (the MNIST check's), as it said it. Boxed so that this
    /// module, used by the whole pipeline, names none of the pipeline's types.
    #[error(transparent)]
    Pipeline(Box<dyn std::error::Error + Send + Sync + 'static>),
    #[error("{path}: {message}")]
    File { path: PathBuf, message: String },
    /// A bad command-line or config option, named.
    #[error("option {option}: {message}")]
    Option { option: String, message: String },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A file reader's error that came up through the dataset layer (a
/// [`crate::dataset::BlockReader`]) is an [`Error::Io`] again, so callers can still tell file
/// errors apart (e.g. to name the model a missing variable belongs to).
impl From<crate::dataset::DatasetError> for Error {
    fn from(e: crate::dataset::DatasetError) -> Self {
        match e {
            crate::dataset::DatasetError::Source(source) => match source.downcast::<crate::io::IoError>() {
                Ok(io) => Error::Io(*io),
                Err(other) => Error::Dataset(crate::dataset::DatasetError::Source(other)),
            },
            other => Error::Dataset(other),
        }
    }
}
