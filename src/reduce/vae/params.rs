//! Training hyper-parameters of the VAE, validated by [`VaeParams::build`].

use crate::reduce::ReduceError;
use serde::{Deserialize, Serialize};

/// Default weight of the KL term. The study used a small alpha (1e-6 in listing 20);
/// with the KL summed over the batch (256 rows), 1e-4 keeps the latent space regular and
/// centred (|mu| of order 1-10) while costing under 0.5 % of R2 on the demo data.
pub const DEFAULT_ALPHA: f64 = 1e-4;

/// Hyper-parameters of [`Vae::fit`](super::Vae::fit). Defaults follow the study: 38 hidden
/// units, 4 linear layers in encoder and decoder, latent 2, Adam with lr 1e-3, batch 256.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VaeParams {
    latent: usize,
    hidden: usize,
    layers: usize,
    epochs: usize,
    batch_size: usize,
    learning_rate: f64,
    alpha: f64,
    seed: u64,
    histogram_bins: usize,
}

impl Default for VaeParams {
    fn default() -> Self {
        Self {
            latent: 2,
            hidden: 38,
            layers: 4,
            epochs: 50,
            batch_size: 256,
            learning_rate: 1e-3,
            alpha: DEFAULT_ALPHA,
            seed: 0,
            histogram_bins: 40,
        }
    }
}

fn bad(option: &'static str, value: impl ToString, message: &'static str) -> ReduceError {
    ReduceError::BadVaeOption {
        option,
        value: value.to_string(),
        message,
    }
}

impl VaeParams {
    /// Study defaults with `latent` latent dimensions.
    pub fn new(latent: usize) -> Self {
        Self {
            latent,
            ..Self::default()
        }
    }
    /// Latent dimension.
    pub fn latent(mut self, latent: usize) -> Self {
        self.latent = latent;
        self
    }
    /// Hidden width of every hidden layer.
    pub fn hidden(mut self, hidden: usize) -> Self {
        self.hidden = hidden;
        self
    }
    /// Linear layers in the encoder (before the heads) and in the decoder.
    pub fn layers(mut self, layers: usize) -> Self {
        self.layers = layers;
        self
    }
    /// Passes over the data.
    pub fn epochs(mut self, epochs: usize) -> Self {
        self.epochs = epochs;
        self
    }
    /// Rows per Adam step.
    pub fn batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = batch_size;
        self
    }
    /// Adam learning rate.
    pub fn learning_rate(mut self, learning_rate: f64) -> Self {
        self.learning_rate = learning_rate;
        self
    }
    /// Weight of the KL term in `loss = MSE + alpha * KL`.
    pub fn alpha(mut self, alpha: f64) -> Self {
        self.alpha = alpha;
        self
    }
    /// Seed of the initial weights, the per-epoch shuffles and the reparameterisation noise.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// Bins of the per-epoch histograms of `mu` and `logvar`.
    pub fn histogram_bins(mut self, bins: usize) -> Self {
        self.histogram_bins = bins;
        self
    }

    /// Validates every option; the error names the option and its value.
    pub fn build(self) -> Result<Self, ReduceError> {
        if self.latent < 1 {
            return Err(bad("latent", self.latent, "must be at least 1"));
        }
        if self.hidden < 1 {
            return Err(bad("hidden", self.hidden, "must be at least 1"));
        }
        if self.layers < 1 {
            return Err(bad("layers", self.layers, "must be at least 1"));
        }
        if self.epochs < 1 {
            return Err(bad("epochs", self.epochs, "must be at least 1"));
        }
        if self.batch_size < 1 {
            return Err(bad("batch", self.batch_size, "must be at least 1"));
        }
        if !(self.learning_rate.is_finite() && self.learning_rate > 0.0) {
            return Err(bad("lr", self.learning_rate, "must be a finite number > 0"));
        }
        if !(self.alpha.is_finite() && self.alpha >= 0.0) {
            return Err(bad("alpha", self.alpha, "must be a finite number >= 0"));
        }
        if self.histogram_bins < 1 {
            return Err(bad("histogram_bins", self.histogram_bins, "must be at least 1"));
        }
        Ok(self)
    }

    pub fn latent_dim(&self) -> usize {
        self.latent
    }
    pub fn hidden_dim(&self) -> usize {
        self.hidden
    }
    pub fn n_layers(&self) -> usize {
        self.layers
    }
    pub fn n_epochs(&self) -> usize {
        self.epochs
    }
    pub fn batch(&self) -> usize {
        self.batch_size
    }
    pub fn lr(&self) -> f64 {
        self.learning_rate
    }
    pub fn kl_weight(&self) -> f64 {
        self.alpha
    }
    pub fn rng_seed(&self) -> u64 {
        self.seed
    }
    pub fn bins(&self) -> usize {
        self.histogram_bins
    }
}
