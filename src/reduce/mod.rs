//! Dimension reduction: PCA ([`pca`]) and the variational autoencoder ([`vae`]).

/// Errors of the reduction stage.
#[derive(Debug, thiserror::Error)]
pub enum ReduceError {
    #[error("{0}")]
    Invalid(String),
}
