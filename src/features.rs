//! Feature preparation: z-score standardization and the Pearson correlation matrix.

/// Errors preparing features.
#[derive(Debug, thiserror::Error)]
pub enum FeatureError {
    #[error("variable {name}: constant over the selected cells (std = 0), cannot standardize")]
    ConstantColumn { name: String },
    #[error("need at least 2 points, got {0}")]
    TooFewPoints(usize),
}
