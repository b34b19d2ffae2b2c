//! The crate-wide error: each stage has its own error type; this one wraps them so the CLI
//! can print one line and exit non-zero.

use std::path::PathBuf;

/// Any failure of the pipeline, printed by the CLI as one line.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Io(#[from] crate::io::IoError),
    #[error(transparent)]
    Dataset(#[from] crate::dataset::DatasetError),
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
    #[error(transparent)]
    Mnist(#[from] crate::pipeline::mnist::MnistError),
    #[error("{path}: {message}")]
    File { path: PathBuf, message: String },
    /// A bad command-line or config option, named.
    #[error("option {option}: {message}")]
    Option { option: String, message: String },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
