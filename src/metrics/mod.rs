//! Clustering scores: internal (silhouette, Davies-Bouldin, Calinski-Harabasz) and between two
//! labelings (adjusted Rand index, normalized mutual information, contingency table).
//!
//! All follow scikit-learn's definitions and special cases (checked against it by
//! `tests/ward_metrics.rs`). Labels are any `usize` values; only their equality matters.

mod agreement;
mod centres;
mod external;
mod internal;
mod silhouette;
mod weighted;

pub use agreement::{Agreement, agreement, agreement_from_table, weighted_contingency};
pub use centres::{ClusterCentre, cluster_centres};
pub use external::{adjusted_rand_index, contingency, normalized_mutual_info};
pub use internal::{calinski_harabasz, davies_bouldin};
pub use silhouette::{
    JACKKNIFE_GROUPS, REFERENCE_PER_CLUSTER, STRATUM_MIN, SampledSilhouette, TwoStageSilhouette, silhouette,
    silhouette_sampled, silhouette_samples, silhouette_stratified, silhouette_two_stage,
};
pub use weighted::{
    calinski_harabasz_weighted, davies_bouldin_weighted, silhouette_samples_weighted, silhouette_weighted,
    silhouette_weighted_subsample,
};

use ndarray::ArrayView2;

/// Errors computing scores.
#[derive(Debug, thiserror::Error)]
pub enum MetricsError {
    #[error("{0}")]
    Invalid(String),
    #[error("{what}: lengths differ ({left} vs {right})")]
    LengthMismatch {
        what: &'static str,
        left: usize,
        right: usize,
    },
    #[error("scores: non-finite value at row {row}, column {column}")]
    NonFinite { row: usize, column: usize },
    #[error("{labels} distinct labels for {points} points: internal scores need 2..=n-1 labels")]
    NumberOfLabels { labels: usize, points: usize },
}

/// Labels recoded to `0..k` in increasing order of their values, with `k`.
pub(crate) fn encode(labels: &[usize]) -> (Vec<usize>, usize) {
    let mut values: Vec<usize> = labels.to_vec();
    values.sort_unstable();
    values.dedup();
    let codes = labels.iter().map(|l| values.partition_point(|v| v < l)).collect();
    (codes, values.len())
}

/// Validate data + labels for an internal score; returns recoded labels and `k`.
pub(crate) fn check_internal(x: ArrayView2<f64>, labels: &[usize]) -> Result<(Vec<usize>, usize), MetricsError> {
    let n = x.nrows();
    if labels.len() != n {
        return Err(MetricsError::LengthMismatch {
            what: "data rows and labels",
            left: n,
            right: labels.len(),
        });
    }
    if x.ncols() == 0 {
        return Err(MetricsError::Invalid("scores: data have no columns".into()));
    }
    if let Some(((row, column), _)) = x.indexed_iter().find(|(_, v)| !v.is_finite()) {
        return Err(MetricsError::NonFinite { row, column });
    }
    let (codes, k) = encode(labels);
    if k < 2 || k + 1 > n {
        return Err(MetricsError::NumberOfLabels { labels: k, points: n });
    }
    Ok((codes, k))
}
