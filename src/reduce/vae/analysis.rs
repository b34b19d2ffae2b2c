//! Latent-space analyses of a trained VAE (study section 3.3.2, figures 22-23) and numeric
//! diagnostics of the loss used by the tests.

use super::model::TrainedVae;
use super::net::{LossTerms, VaeNet, kl_divergence as kl_tensor, tensor2, to_host};
use super::weights::VaeWeights;
use crate::reduce::ReduceError;
use burn::tensor::{DType, Device};
use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

/// `|d ||x_hat|| / dz|` on a regular 2-D latent grid (study fig. 22).
#[derive(Debug, Clone, PartialEq)]
pub struct GradNormGrid {
    /// Grid coordinates along latent axis 1 (columns of `magnitude`).
    pub z1: Vec<f64>,
    /// Grid coordinates along latent axis 2 (rows of `magnitude`).
    pub z2: Vec<f64>,
    /// `magnitude[[j, i]]` = gradient norm at `(z1[i], z2[j])`.
    pub magnitude: Array2<f64>,
}

fn linspace(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    (0..n).map(|i| lo + (hi - lo) * i as f64 / (n - 1) as f64).collect()
}

fn need_latent(trained: &TrainedVae, what: &'static str, expected: usize) -> Result<(), ReduceError> {
    let got = trained.latent_dim();
    if got != expected {
        return Err(ReduceError::LatentDimension { what, expected, got });
    }
    Ok(())
}

/// Magnitude of the gradient of the decoded norm, `|grad_z ||decode(z)|| |`, on an `n x n` grid
/// spanning `lo..=hi` (per latent axis). Computed by reverse-mode autodiff through the decoder;
/// the rows are independent, so one backward pass of the summed norms gives every gradient.
pub fn grad_norm_grid(trained: &TrainedVae, lo: [f64; 2], hi: [f64; 2], n: usize) -> Result<GradNormGrid, ReduceError> {
    need_latent(trained, "grad_norm_grid", 2)?;
    if n < 2 || lo.iter().chain(&hi).any(|v| !v.is_finite()) || lo[0] >= hi[0] || lo[1] >= hi[1] {
        return Err(ReduceError::VaeInput(format!(
            "grad_norm_grid: need n >= 2 and finite lo < hi, got n = {n}, lo = {lo:?}, hi = {hi:?}"
        )));
    }
    let (z1, z2) = (linspace(lo[0], hi[0], n), linspace(lo[1], hi[1], n));
    let points: Vec<f64> = z2.iter().flat_map(|&b| z1.iter().flat_map(move |&a| [a, b])).collect();
    let device = Device::flex().autodiff();
    let net = VaeNet::from_weights(trained.weights(), &device, DType::F32);
    let z = tensor2(points, [n * n, 2], &device, DType::F32).require_grad();
    let norms = net.decode(z.clone()).square().sum_dim(1).sqrt();
    let grads = norms.sum().backward();
    let gradient = z.grad(&grads).map(to_host).unwrap_or_else(|| vec![0.0; n * n * 2]);
    let magnitude: Vec<f64> = gradient.chunks(2).map(|g| (g[0] * g[0] + g[1] * g[1]).sqrt()).collect();
    let magnitude =
        Array2::from_shape_vec((n, n), magnitude).map_err(|e| ReduceError::VaeInput(format!("grad_norm_grid: {e}")))?;
    Ok(GradNormGrid { z1, z2, magnitude })
}

/// For each latent point `zs[i]`: `(||zs[i] - z0||, ||decode(zs[i]) - decode(z0)||)`, in input
/// order (study fig. 23: decoded distances should grow with latent distances).
pub fn decoded_distance_profile(
    trained: &TrainedVae,
    z0: &[f64],
    zs: ArrayView2<f64>,
) -> Result<Vec<(f64, f64)>, ReduceError> {
    let latent = trained.latent_dim();
    if z0.len() != latent {
        return Err(ReduceError::DimensionMismatch {
            expected: latent,
            got: z0.len(),
        });
    }
    let origin = Array2::from_shape_vec((1, latent), z0.to_vec())
        .map_err(|e| ReduceError::VaeInput(format!("decoded_distance_profile: {e}")))?;
    let x0 = trained.decode(origin.view())?;
    let decoded = trained.decode(zs)?;
    let distance = |a: ndarray::ArrayView1<f64>, b: ndarray::ArrayView1<f64>| {
        a.iter()
            .zip(b.iter())
            .map(|(p, q)| (p - q) * (p - q))
            .sum::<f64>()
            .sqrt()
    };
    let z0_row = origin.row(0);
    let x0_row = x0.row(0);
    Ok(zs
        .rows()
        .into_iter()
        .zip(decoded.rows())
        .map(|(z, x)| (distance(z, z0_row), distance(x, x0_row)))
        .collect())
}

/// Loss of one batch with fixed noise `eps`, in `f64`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LossValues {
    /// `mean((x - x_hat)^2)`.
    pub reconstruction: f64,
    /// `-1/2 * sum(1 + logvar - mu^2 - exp(logvar))`.
    pub kl: f64,
    /// `reconstruction + alpha * kl`.
    pub total: f64,
}

fn check_batch(weights: &VaeWeights, x: ArrayView2<f64>, eps: ArrayView2<f64>) -> Result<(), ReduceError> {
    if let Some(problem) = weights.check() {
        return Err(ReduceError::VaeInput(problem));
    }
    if x.ncols() != weights.inputs() {
        return Err(ReduceError::DimensionMismatch {
            expected: weights.inputs(),
            got: x.ncols(),
        });
    }
    if eps.dim() != (x.nrows(), weights.latent()) || x.nrows() == 0 {
        return Err(ReduceError::VaeInput(format!(
            "noise must be {} x {}, got {} x {}",
            x.nrows(),
            weights.latent(),
            eps.nrows(),
            eps.ncols()
        )));
    }
    Ok(())
}

fn batch_terms(net: &VaeNet, x: ArrayView2<f64>, eps: ArrayView2<f64>, device: &Device) -> LossTerms {
    let xt = tensor2(x.iter().copied().collect(), [x.nrows(), x.ncols()], device, DType::F64);
    let et = tensor2(
        eps.iter().copied().collect(),
        [eps.nrows(), eps.ncols()],
        device,
        DType::F64,
    );
    let (x_hat, mu, logvar) = net.forward(xt.clone(), et);
    LossTerms::new(xt, x_hat, mu, logvar)
}

/// The training loss of batch `x` with noise `eps` for `weights`, computed by the same network
/// code as training but in `f64` (diagnostic: finite-difference checks).
pub fn batch_loss(
    weights: &VaeWeights,
    x: ArrayView2<f64>,
    eps: ArrayView2<f64>,
    alpha: f64,
) -> Result<LossValues, ReduceError> {
    check_batch(weights, x, eps)?;
    let device = Device::flex();
    let net = VaeNet::from_weights(weights, &device, DType::F64);
    let terms = batch_terms(&net, x, eps, &device);
    let total = terms.total(alpha).into_scalar::<f64>();
    Ok(LossValues {
        reconstruction: terms.reconstruction.into_scalar::<f64>(),
        kl: terms.kl.into_scalar::<f64>(),
        total,
    })
}

/// The loss of [`batch_loss`] and its gradient with respect to every weight, by reverse-mode
/// autodiff in `f64` (diagnostic: compared with finite differences in the tests).
pub fn batch_loss_gradient(
    weights: &VaeWeights,
    x: ArrayView2<f64>,
    eps: ArrayView2<f64>,
    alpha: f64,
) -> Result<(f64, VaeWeights), ReduceError> {
    check_batch(weights, x, eps)?;
    let device = Device::flex().autodiff();
    let net = VaeNet::from_weights(weights, &device, DType::F64);
    let loss = batch_terms(&net, x, eps, &device).total(alpha);
    let grads = loss.backward();
    Ok((loss.into_scalar::<f64>(), net.gradients(&grads)))
}

/// `-1/2 * sum(1 + logvar - mu^2 - exp(logvar))` over all entries, computed by the training
/// code path (in `f64`).
pub fn kl_divergence(mu: ArrayView2<f64>, logvar: ArrayView2<f64>) -> Result<f64, ReduceError> {
    if mu.dim() != logvar.dim() {
        return Err(ReduceError::VaeInput(format!(
            "mu is {:?} but logvar is {:?}",
            mu.dim(),
            logvar.dim()
        )));
    }
    let device = Device::flex();
    let shape = [mu.nrows(), mu.ncols()];
    let m = tensor2(mu.iter().copied().collect(), shape, &device, DType::F64);
    let l = tensor2(logvar.iter().copied().collect(), shape, &device, DType::F64);
    Ok(kl_tensor(m, l).into_scalar::<f64>())
}
