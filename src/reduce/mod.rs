//! Dimension reduction: PCA ([`pca`]), tensor trains ([`tt`]) and the variational autoencoder ([`vae`]).

pub mod pca;
pub mod tt;
pub mod vae;

/// Errors of the reduction stage.
#[derive(Debug, thiserror::Error)]
pub enum ReduceError {
    #[error("{0}")]
    Invalid(String),
    #[error("--reduce pca:0: need at least 1 component")]
    ZeroComponents,
    #[error("--reduce pca:{requested}: the data have only {variables} variables")]
    TooManyComponents { requested: usize, variables: usize },
    #[error("PCA needs at least 2 points, got {0}")]
    TooFewPoints(usize),
    #[error("PCA input: non-finite value at row {row}, column {column}")]
    NonFinite { row: usize, column: usize },
    #[error("data have {got} columns, the model expects {expected}")]
    DimensionMismatch { expected: usize, got: usize },
    #[error("PCA: the covariance eigen-decomposition did not converge")]
    NoConvergence,
    #[error("VAE option {option} = {value}: {message}")]
    BadVaeOption {
        option: &'static str,
        value: String,
        message: &'static str,
    },
    #[error("TT option {option} = {value}: {message}")]
    BadTtOption {
        option: &'static str,
        value: String,
        message: &'static str,
    },
    #[error("VAE input: {0}")]
    VaeInput(String),
    #[error("VAE training diverged at epoch {epoch}: mean loss is {loss}")]
    VaeDiverged { epoch: usize, loss: f64 },
    #[error("{what} needs a {expected}-D latent space, the model has {got}")]
    LatentDimension {
        what: &'static str,
        expected: usize,
        got: usize,
    },
    #[error("{}: {message}", path.display())]
    VaeModelFile { path: std::path::PathBuf, message: String },
}
