//! Clustering: K-Means ([`kmeans`], mini-batch for millions of points in [`minibatch`]), Ward hierarchical clustering ([`ward`], through micro-clusters for millions of points in [`microward`], restricted to neighbouring cells for contiguous regions in [`ward_contiguous`]), IDEC/DCSS ([`deep`]), stable labels, and the one interface every method implements ([`method`]).

pub mod deep;
pub mod gap;
pub mod gmm;
pub mod kmeans;
pub mod labels;
pub mod method;
pub mod microward;
pub mod minibatch;
pub mod ward;
pub mod ward_contiguous;
pub mod ward_contiguous_method;
pub mod ward_contiguous_regions;

/// Errors of the clustering stage.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error("{0}")]
    Invalid(String),
    #[error("k = 0: must be at least 1")]
    ZeroClusters,
    #[error("k = {k} exceeds the {points} points")]
    TooManyClusters { k: usize, points: usize },
    #[error("k-means option {option} = {value}: {message}")]
    BadKMeansOption {
        option: &'static str,
        value: String,
        message: &'static str,
    },
    #[error("clustering input: non-finite value at row {row}, column {column}")]
    NonFinite { row: usize, column: usize },
    #[error("clustering input has no points or no variables")]
    EmptyData,
    #[error("data have {got} columns, the model expects {expected}")]
    DimensionMismatch { expected: usize, got: usize },
    #[error("{what}: lengths differ ({left} vs {right})")]
    LengthMismatch {
        what: &'static str,
        left: usize,
        right: usize,
    },
    #[error("label {label} is out of range for {k} clusters")]
    LabelOutOfRange { label: usize, k: usize },
}
