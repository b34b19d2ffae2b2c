//! Glue between `landclust run --reduce vae:N` and [`crate::reduce::vae`]: builds the
//! parameters from the run's settings, shows a progress bar, times the training. Data flow one
//! way: `analysis` calls this module, never the reverse.

use crate::error::Result;
use crate::pipeline::config::{RunConfig, VaeSettings};
use crate::reduce::vae::{Vae, VaeParams};
use ndarray::ArrayView2;
use std::time::Instant;

/// What the VAE training produced.
#[derive(Debug, Clone)]
pub struct VaeOutcome {
    pub model: crate::reduce::vae::TrainedVae,
    pub train_seconds: f64,
    pub epochs: usize,
}

/// The VAE parameters of a run.
pub fn params(settings: &VaeSettings, seed: u64, latent: usize) -> VaeParams {
    VaeParams::new(latent)
        .hidden(settings.hidden)
        .epochs(settings.epochs)
        .batch_size(settings.batch_size)
        .learning_rate(settings.lr)
        .alpha(settings.alpha)
        .seed(seed)
}

/// Train on the z-scores `z` with the run's settings.
pub fn train(cfg: &RunConfig, z: ArrayView2<f64>, latent: usize, progress: bool) -> Result<VaeOutcome> {
    train_with(&cfg.vae, cfg.seed, z, latent, progress)
}

/// Train on `z` with explicit settings and seed.
pub fn train_with(
    settings: &VaeSettings,
    seed: u64,
    z: ArrayView2<f64>,
    latent: usize,
    progress: bool,
) -> Result<VaeOutcome> {
    let params = params(settings, seed, latent).build()?;
    let bar = crate::progress::bar(progress, &format!("VAE latent {latent} epochs"), settings.epochs as u64);
    let started = Instant::now();
    let model = Vae::fit(z, &params, bar.as_ref())?;
    let train_seconds = started.elapsed().as_secs_f64();
    crate::progress::done(bar);
    Ok(VaeOutcome {
        model,
        train_seconds,
        epochs: settings.epochs,
    })
}
