//! A trained VAE: encode, decode, score, save and load.

use super::history::{EpochStats, TrainingHistory};
use super::net::{VaeNet, tensor2, to_host};
use super::params::VaeParams;
use super::weights::VaeWeights;
use crate::reduce::ReduceError;
use burn::tensor::{DType, Device};
use ndarray::{Array2, ArrayView2, Axis, s};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Rows per forward pass at inference (bounds memory, keeps matrices large).
const INFERENCE_ROWS: usize = 16_384;
/// Identifies a landclust VAE file.
const FILE_FORMAT: &str = "landclust-vae";
const FILE_VERSION: u32 = 1;

/// Per-variable standardization the caller applied before training (`z = (x - mean) / std`),
/// stored with the model so another file can be encoded the same way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Normalization {
    pub variables: Vec<String>,
    pub mean: Vec<f64>,
    pub std: Vec<f64>,
}

/// A fitted VAE with its training diagnostics. All inputs and outputs are in the standardized
/// space the model was trained in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainedVae {
    params: VaeParams,
    weights: VaeWeights,
    /// Variance over all cells of the training data (denominator of R2).
    data_variance: f64,
    history: TrainingHistory,
    normalization: Option<Normalization>,
}

/// What a saved file holds.
#[derive(Serialize, Deserialize)]
struct VaeFile {
    format: String,
    version: u32,
    model: TrainedVae,
}

/// Population variance over all cells of `x`.
pub(crate) fn cell_variance(x: ArrayView2<f64>) -> f64 {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n
}

/// `mean((a - b)^2)` over all cells.
pub(crate) fn mean_squared_difference(a: ArrayView2<f64>, b: ArrayView2<f64>) -> f64 {
    let sse: f64 = a.iter().zip(b.iter()).map(|(p, q)| (p - q) * (p - q)).sum();
    sse / a.len().max(1) as f64
}

/// Outputs of the deterministic pass over a data set.
pub(crate) struct FullPass {
    pub mu: Array2<f64>,
    pub logvar: Array2<f64>,
    pub x_hat: Array2<f64>,
}

/// The network on the plain (no autodiff) CPU device, for inference.
pub(crate) struct Inference {
    net: VaeNet,
    device: Device,
    inputs: usize,
    latent: usize,
}

impl Inference {
    pub(crate) fn new(weights: &VaeWeights) -> Self {
        let device = Device::flex();
        let net = VaeNet::from_weights(weights, &device, DType::F32);
        Self {
            net,
            device,
            inputs: weights.inputs(),
            latent: weights.latent(),
        }
    }

    fn tensor(&self, x: ArrayView2<f64>) -> burn::Tensor<2> {
        tensor2(
            x.iter().copied().collect(),
            [x.nrows(), x.ncols()],
            &self.device,
            DType::F32,
        )
    }

    /// `mu`, `logvar` and `decode(mu)` for all rows, in chunks.
    pub(crate) fn full_pass(&self, x: ArrayView2<f64>) -> FullPass {
        let n = x.nrows();
        let mut pass = FullPass {
            mu: Array2::zeros((n, self.latent)),
            logvar: Array2::zeros((n, self.latent)),
            x_hat: Array2::zeros((n, self.inputs)),
        };
        for start in (0..n).step_by(INFERENCE_ROWS) {
            let end = (start + INFERENCE_ROWS).min(n);
            let (mu, logvar) = self.net.encode(self.tensor(x.slice(s![start..end, ..])));
            let x_hat = self.net.decode(mu.clone());
            fill(&mut pass.mu, start, to_host(mu));
            fill(&mut pass.logvar, start, to_host(logvar));
            fill(&mut pass.x_hat, start, to_host(x_hat));
        }
        pass
    }

    /// `mu(x)` for all rows.
    fn encode_mean(&self, x: ArrayView2<f64>) -> Array2<f64> {
        let mut mu = Array2::zeros((x.nrows(), self.latent));
        for start in (0..x.nrows()).step_by(INFERENCE_ROWS) {
            let end = (start + INFERENCE_ROWS).min(x.nrows());
            let (m, _) = self.net.encode(self.tensor(x.slice(s![start..end, ..])));
            fill(&mut mu, start, to_host(m));
        }
        mu
    }

    /// `decode(z)` for all rows.
    fn decode(&self, z: ArrayView2<f64>) -> Array2<f64> {
        let mut out = Array2::zeros((z.nrows(), self.inputs));
        for start in (0..z.nrows()).step_by(INFERENCE_ROWS) {
            let end = (start + INFERENCE_ROWS).min(z.nrows());
            let x_hat = self.net.decode(self.tensor(z.slice(s![start..end, ..])));
            fill(&mut out, start, to_host(x_hat));
        }
        out
    }
}

/// Copies row-major `values` into `target` from row `start` on.
fn fill(target: &mut Array2<f64>, start: usize, values: Vec<f64>) {
    let cols = target.ncols();
    let rows = values.len() / cols.max(1);
    for (i, mut row) in target
        .slice_mut(s![start..start + rows, ..])
        .axis_iter_mut(Axis(0))
        .enumerate()
    {
        row.iter_mut()
            .zip(&values[i * cols..(i + 1) * cols])
            .for_each(|(t, v)| *t = *v);
    }
}

fn check_finite(x: ArrayView2<f64>, what: &str) -> Result<(), ReduceError> {
    match x.indexed_iter().find(|(_, v)| !v.is_finite()) {
        Some(((row, column), _)) => Err(ReduceError::VaeInput(format!(
            "{what}: non-finite value at row {row}, column {column}"
        ))),
        None => Ok(()),
    }
}

impl TrainedVae {
    pub(crate) fn new(params: VaeParams, weights: VaeWeights, data_variance: f64, history: TrainingHistory) -> Self {
        Self {
            params,
            weights,
            data_variance,
            history,
            normalization: None,
        }
    }

    /// Hyper-parameters used for training.
    pub fn params(&self) -> &VaeParams {
        &self.params
    }
    /// The trained weights.
    pub fn weights(&self) -> &VaeWeights {
        &self.weights
    }
    /// Per-epoch losses, R2 and histograms.
    pub fn history(&self) -> &TrainingHistory {
        &self.history
    }
    /// Scores of the last epoch.
    pub fn final_stats(&self) -> Option<&EpochStats> {
        self.history.last()
    }
    /// Number of input variables.
    pub fn n_inputs(&self) -> usize {
        self.weights.inputs()
    }
    /// Latent dimension.
    pub fn latent_dim(&self) -> usize {
        self.weights.latent()
    }
    /// Variance over all cells of the training data.
    pub fn data_variance(&self) -> f64 {
        self.data_variance
    }
    /// The standardization recorded by the caller, if any.
    pub fn normalization(&self) -> Option<&Normalization> {
        self.normalization.as_ref()
    }
    /// Records the standardization applied before training (saved with the model).
    pub fn set_normalization(&mut self, normalization: Normalization) -> Result<(), ReduceError> {
        let d = self.n_inputs();
        let n = &normalization;
        if n.mean.len() != d || n.std.len() != d || n.variables.len() != d {
            return Err(ReduceError::DimensionMismatch {
                expected: d,
                got: n.mean.len().max(n.std.len()),
            });
        }
        self.normalization = Some(normalization);
        Ok(())
    }

    pub(crate) fn inference(&self) -> Inference {
        Inference::new(&self.weights)
    }

    fn check_columns(&self, x: ArrayView2<f64>, expected: usize) -> Result<(), ReduceError> {
        if x.ncols() != expected {
            return Err(ReduceError::DimensionMismatch {
                expected,
                got: x.ncols(),
            });
        }
        check_finite(x, "VAE input")
    }

    /// Latent means `mu(x)` (`rows x latent`), the representation used for clustering.
    pub fn encode_mean(&self, x: ArrayView2<f64>) -> Result<Array2<f64>, ReduceError> {
        self.check_columns(x, self.n_inputs())?;
        Ok(self.inference().encode_mean(x))
    }

    /// Decoded points `decode(z)` (`rows x d`).
    pub fn decode(&self, z: ArrayView2<f64>) -> Result<Array2<f64>, ReduceError> {
        self.check_columns(z, self.latent_dim())?;
        Ok(self.inference().decode(z))
    }

    /// `1 - mean((decode(mu(x)) - x)^2) / var(x)`, mean and variance over all cells.
    pub fn r2(&self, x: ArrayView2<f64>) -> Result<f64, ReduceError> {
        self.check_columns(x, self.n_inputs())?;
        let variance = cell_variance(x);
        if x.nrows() == 0 || variance <= 0.0 {
            return Err(ReduceError::VaeInput("R2 needs data with non-zero variance".into()));
        }
        let pass = self.inference().full_pass(x);
        Ok(1.0 - mean_squared_difference(pass.x_hat.view(), x) / variance)
    }

    /// The model (params, weights, normalization, history) as the JSON that
    /// [`TrainedVae::load`] reads. Writing it is the caller's (the run writes it atomically
    /// with its other outputs): the algorithms write no files.
    pub fn to_json(&self) -> Result<Vec<u8>, ReduceError> {
        let file = VaeFile {
            format: FILE_FORMAT.into(),
            version: FILE_VERSION,
            model: self.clone(),
        };
        serde_json::to_vec(&file)
            .map_err(|e| ReduceError::VaeInput(format!("the model cannot be written as JSON: {e}")))
    }

    /// Reads a model written by [`TrainedVae::save`], checking its format and weights.
    pub fn load(path: &Path) -> Result<Self, ReduceError> {
        let bytes = std::fs::read(path).map_err(|e| file_error(path, e.to_string()))?;
        let file: VaeFile =
            serde_json::from_slice(&bytes).map_err(|e| file_error(path, format!("not a landclust VAE file: {e}")))?;
        if file.format != FILE_FORMAT || file.version != FILE_VERSION {
            return Err(file_error(
                path,
                format!(
                    "format {} version {}, expected {FILE_FORMAT} version {FILE_VERSION}",
                    file.format, file.version
                ),
            ));
        }
        let mut model = file.model;
        if let Some(problem) = model.weights.check() {
            return Err(file_error(path, problem));
        }
        // The network runs in f32; rounding undoes serde_json's last-ulp f64 parse error.
        for layer in model.weights.layers_mut() {
            layer
                .weight
                .iter_mut()
                .chain(layer.bias.iter_mut())
                .for_each(|v| *v = *v as f32 as f64);
        }
        Ok(model)
    }
}

fn file_error(path: &Path, message: String) -> ReduceError {
    ReduceError::VaeModelFile {
        path: path.to_path_buf(),
        message,
    }
}
