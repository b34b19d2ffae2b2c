//! Clustering scores: internal (silhouette, Davies-Bouldin, Calinski-Harabasz) and between two
//! labelings (adjusted Rand index, normalized mutual information, contingency table).

/// Errors computing scores.
#[derive(Debug, thiserror::Error)]
pub enum MetricsError {
    #[error("{0}")]
    Invalid(String),
}
