//! Mini-batch training with Adam (listing 20 of the study), seeded end to end.

use super::history::{EpochHistograms, EpochStats, Histogram, TrainingHistory};
use super::model::{Inference, TrainedVae};
use super::net::{LossTerms, VaeNet};
use super::params::VaeParams;
use super::weights::VaeWeights;
use crate::progress::Task;
use crate::reduce::ReduceError;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::tensor::{DType, Device};
use ndarray::{Array2, ArrayView2};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

/// Adam's epsilon as in PyTorch (burn's default is 1e-5).
const ADAM_EPSILON: f32 = 1e-8;

/// The variational autoencoder estimator: see [`Vae::fit`].
pub struct Vae;

impl Vae {
    /// Trains a VAE on `x` (rows = samples, columns = standardized variables).
    ///
    /// Loss per batch: `mean((x - x_hat)^2) + alpha * KL` with
    /// `KL = -1/2 * sum(1 + logvar - mu^2 - exp(logvar))` summed over the batch
    /// (Kingma & Welling 2014; listing 19 of the study). Weights, per-epoch shuffles and the
    /// reparameterisation noise all come from one ChaCha8 stream seeded with `params.seed`, and
    /// the CPU backend runs single-threaded, so the same seed gives bit-identical weights.
    pub fn fit<F: Copy + Into<f64>>(
        x: ArrayView2<F>,
        params: &VaeParams,
        progress: Option<&Task>,
    ) -> Result<TrainedVae, ReduceError> {
        let params = params.clone().build()?;
        let data = TrainingData::new(x)?;
        let mut rng = ChaCha8Rng::seed_from_u64(params.rng_seed());
        let weights = VaeWeights::init(
            data.cols,
            params.hidden_dim(),
            params.n_layers(),
            params.latent_dim(),
            &mut rng,
        );
        if let Some(bar) = progress {
            bar.restart(params.n_epochs() as u64);
        }
        let device = Device::flex().autodiff();
        let mut net = Some(VaeNet::from_weights(&weights, &device, DType::F32));
        let mut optimizer = AdamConfig::new().with_epsilon(ADAM_EPSILON).init();
        let mut history = TrainingHistory::default();
        let mut order: Vec<usize> = (0..data.rows).collect();
        // Epoch e is scored (a full pass over the data) while epoch e + 1 trains, on a second
        // rayon thread when there is one; the scores depend only on the weights, so any thread
        // count gives the same bits.
        let mut scored: Option<(VaeWeights, usize, BatchSums)> = None;
        for epoch in 1..=params.n_epochs() + 1 {
            let previous = scored.take();
            let train = || -> Option<BatchSums> {
                if epoch > params.n_epochs() {
                    return None;
                }
                let current = net.take()?;
                order.shuffle(&mut rng);
                let (trained, sums) = train_epoch(current, &mut optimizer, &data, &order, &params, &mut rng, &device);
                net = Some(trained);
                Some(sums)
            };
            let score = || previous.map(|(w, e, sums)| evaluate(&w, &data, e, &sums, &params));
            let (sums, finished) = rayon::join(train, score);
            if let Some((stats, histograms)) = finished {
                if let Some(bar) = progress {
                    bar.status(&format!("loss {:.4}  R2 {:.4}", stats.loss, stats.r2));
                    bar.inc(1);
                }
                history.epochs.push(stats);
                history.histograms.push(histograms);
            }
            if let Some(sums) = sums {
                check_finite_loss(epoch, &sums)?;
                scored = net.as_ref().map(|n| (n.to_weights(), epoch, sums));
            }
        }
        let weights = net.map(|n| n.to_weights()).unwrap_or(weights);
        Ok(TrainedVae::new(params, weights, data.variance, history))
    }
}

/// One pass of mini-batch Adam over the rows in `order`; returns the batch loss sums.
fn train_epoch(
    mut net: VaeNet,
    optimizer: &mut ModuleOptimizer,
    data: &TrainingData,
    order: &[usize],
    params: &VaeParams,
    rng: &mut ChaCha8Rng,
    device: &Device,
) -> (VaeNet, BatchSums) {
    let mut sums = BatchSums::default();
    for batch in order.chunks(params.batch()) {
        let (x_batch, eps) = data.batch(batch, params.latent_dim(), rng, device);
        let (x_hat, mu, logvar) = net.forward(x_batch.clone(), eps);
        let terms = LossTerms::new(x_batch, x_hat, mu, logvar);
        let loss = terms.total(params.kl_weight());
        sums.add(&terms, &loss);
        let grads = GradientsParams::from_grads(loss.backward(), &net);
        net = optimizer.step(params.lr(), net, grads);
    }
    (net, sums)
}

/// Stops training as soon as an epoch's mean loss is not finite.
fn check_finite_loss(epoch: usize, sums: &BatchSums) -> Result<(), ReduceError> {
    let loss = sums.mean(sums.loss);
    if loss.is_finite() {
        Ok(())
    } else {
        Err(ReduceError::VaeDiverged { epoch, loss })
    }
}

/// Training rows as `f32` (the backend's float type) plus their variance over all cells.
struct TrainingData {
    rows: usize,
    cols: usize,
    values: Vec<f32>,
    as_f64: Array2<f64>,
    variance: f64,
}

impl TrainingData {
    fn new<F: Copy + Into<f64>>(x: ArrayView2<F>) -> Result<Self, ReduceError> {
        let (rows, cols) = x.dim();
        if rows < 2 || cols < 1 {
            return Err(ReduceError::VaeInput(format!(
                "need at least 2 rows and 1 column, got {rows} x {cols}"
            )));
        }
        let as_f64 = x.mapv(|v| v.into());
        if let Some(((row, column), _)) = as_f64.indexed_iter().find(|(_, v)| !v.is_finite()) {
            return Err(ReduceError::VaeInput(format!(
                "non-finite value at row {row}, column {column}"
            )));
        }
        let variance = super::model::cell_variance(as_f64.view());
        if variance <= 0.0 {
            return Err(ReduceError::VaeInput("all values are equal (zero variance)".into()));
        }
        let values = as_f64.iter().map(|&v| v as f32).collect();
        Ok(Self {
            rows,
            cols,
            values,
            as_f64,
            variance,
        })
    }

    /// The batch `rows` and its standard-normal noise `eps` (`rows x latent`), as tensors.
    fn batch(
        &self,
        rows: &[usize],
        latent: usize,
        rng: &mut ChaCha8Rng,
        device: &Device,
    ) -> (burn::Tensor<2>, burn::Tensor<2>) {
        let mut values = Vec::with_capacity(rows.len() * self.cols);
        for &r in rows {
            values.extend_from_slice(&self.values[r * self.cols..(r + 1) * self.cols]);
        }
        let eps: Vec<f32> = (0..rows.len() * latent)
            .map(|_| StandardNormal.sample(&mut *rng))
            .collect();
        let x = burn::Tensor::from_data(burn::tensor::TensorData::new(values, [rows.len(), self.cols]), device);
        let eps = burn::Tensor::from_data(burn::tensor::TensorData::new(eps, [rows.len(), latent]), device);
        (x, eps)
    }
}

/// Running sums of the batch losses of one epoch.
#[derive(Default)]
struct BatchSums {
    batches: usize,
    loss: f64,
    reconstruction: f64,
    kl: f64,
}

impl BatchSums {
    fn add(&mut self, terms: &LossTerms, loss: &burn::Tensor<1>) {
        self.batches += 1;
        self.loss += loss.clone().into_scalar::<f32>() as f64;
        self.reconstruction += terms.reconstruction.clone().into_scalar::<f32>() as f64;
        self.kl += terms.kl.clone().into_scalar::<f32>() as f64;
    }

    fn mean(&self, v: f64) -> f64 {
        v / self.batches.max(1) as f64
    }
}

/// Scores and histograms of the deterministic pass `decode(mu(x))` over all training rows.
fn evaluate(
    weights: &VaeWeights,
    data: &TrainingData,
    epoch: usize,
    sums: &BatchSums,
    params: &VaeParams,
) -> (EpochStats, EpochHistograms) {
    let loss = sums.mean(sums.loss);
    let inference = Inference::new(weights);
    let pass = inference.full_pass(data.as_f64.view());
    let mse = super::model::mean_squared_difference(pass.x_hat.view(), data.as_f64.view());
    let stats = EpochStats {
        epoch,
        loss,
        reconstruction: sums.mean(sums.reconstruction),
        kl: sums.mean(sums.kl),
        mse,
        r2: 1.0 - mse / data.variance,
    };
    let histograms = EpochHistograms {
        epoch,
        mu: Histogram::of(pass.mu.as_slice().unwrap_or(&[]), params.bins()),
        logvar: Histogram::of(pass.logvar.as_slice().unwrap_or(&[]), params.bins()),
    };
    (stats, histograms)
}
