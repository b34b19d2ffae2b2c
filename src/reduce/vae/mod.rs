//! Variational autoencoder (Kingma & Welling 2014, "Auto-Encoding Variational Bayes"), as in
//! section 3.3 and listings 19-20 of the study.
//!
//! Architecture (defaults `h = 38`, 4 layers): encoder
//! `Linear(d,h) LeakyReLU(0.2) Linear(h,h) ReLU Linear(h,h) ReLU Linear(h,h)`, heads
//! `mu = Linear(h, latent)` and `logvar = Linear(h, latent)`, reparameterisation
//! `z = mu + exp(logvar / 2) * eps` with `eps ~ N(0, I)`, decoder
//! `Linear(latent,h) ReLU Linear(h,h) ReLU Linear(h,h) ReLU Linear(h,d)`.
//!
//! Loss of a batch: `mean((x - x_hat)^2) + alpha * KL`, with
//! `KL = -1/2 * sum(1 + logvar - mu^2 - exp(logvar))` summed over the batch rows and latent
//! dimensions, exactly as the study's `divergence_metric` (so alpha's effect grows with the
//! batch size). Adam (lr 1e-3, eps 1e-8), batch 256, 50 epochs by default. The default
//! `alpha` is [`DEFAULT_ALPHA`].
//!
//! Runs on burn's pure-Rust `flex` CPU backend. The mini-batch updates run on one thread (burn's
//! `rayon` feature is not enabled), so the same seed reproduces the same weights bit for bit on
//! any thread count; the per-epoch scoring pass over all rows runs beside the next epoch on a
//! second rayon thread when there is one.
//! Everything is in the standardized space: the caller standardizes and may record the
//! standardization with [`TrainedVae::set_normalization`] so it is saved with the model.
//!
//! ```no_run
//! use landclust::reduce::vae::{Vae, VaeParams};
//! # let x = ndarray::Array2::<f64>::zeros((100, 7));
//! let trained = Vae::fit(x.view(), &VaeParams::new(2).epochs(50).seed(7), None)?;
//! let latent = trained.encode_mean(x.view())?; // 100 x 2
//! # Ok::<(), landclust::reduce::ReduceError>(())
//! ```

mod activity;
mod analysis;
mod history;
mod model;
pub(crate) mod net;
mod params;
mod train;
mod weights;

pub use activity::{ACTIVE_THRESHOLD, LatentActivity, latent_activity};
pub use analysis::{
    GradNormGrid, LossValues, batch_loss, batch_loss_gradient, decoded_distance_profile, grad_norm_grid, kl_divergence,
};
pub use history::{EpochHistograms, EpochStats, Histogram, TrainingHistory};
pub use model::{Normalization, TrainedVae};
pub use params::{DEFAULT_ALPHA, VaeParams};
pub use train::Vae;
pub use weights::{DenseWeights, VaeWeights};
