//! Clustering: K-Means ([`kmeans`]), Ward hierarchical clustering ([`ward`]) and stable labels.

/// Errors of the clustering stage.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error("{0}")]
    Invalid(String),
}
