//! Active latent dimensions of a trained VAE (Burda, Grosse & Salakhutdinov 2016, "Importance
//! weighted autoencoders", section 5.2): dimension u is active when the variance over the data
//! of its latent mean, `A_u = Var_x(E_q(z|x)[z_u]) = Var_x(mu_u(x))`, exceeds a threshold
//! (Burda et al. use 0.01). An inactive dimension carries no information about x: its posterior
//! equals the prior for every cell (posterior collapse), and its KL term is ~0.
//!
//! The KL per dimension is the mean over cells of `-1/2 (1 + logvar_u - mu_u^2 - exp(logvar_u))`
//! (nats per cell), the dimension's share of the training loss's KL term.

use super::model::TrainedVae;
use crate::reduce::ReduceError;
use ndarray::{ArrayView2, Axis};
use serde::{Deserialize, Serialize};

/// Default activity threshold on `Var_x(mu_u(x))` (Burda et al. 2016).
pub const ACTIVE_THRESHOLD: f64 = 0.01;

/// Per latent dimension: variance of the latent mean, KL; and the count of active dimensions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LatentActivity {
    pub threshold: f64,
    /// Dimensions with `Var_x(mu_u) > threshold`.
    pub active_dims: usize,
    /// `Var_x(mu_u)` (population variance over the cells), per dimension.
    pub mean_variance: Vec<f64>,
    /// Mean KL(q(z_u|x) || N(0, 1)) over the cells, nats, per dimension.
    pub kl_per_dim: Vec<f64>,
}

/// [`LatentActivity`] of `trained` on `x` (the standardized data it encodes).
pub fn latent_activity(
    trained: &TrainedVae,
    x: ArrayView2<f64>,
    threshold: f64,
) -> Result<LatentActivity, ReduceError> {
    if x.nrows() == 0 {
        return Err(ReduceError::VaeInput("latent activity needs at least one cell".into()));
    }
    let mu = trained.encode_mean(x)?;
    let pass = trained.inference().full_pass(x);
    let n = x.nrows() as f64;
    let mean_variance: Vec<f64> = mu
        .axis_iter(Axis(1))
        .map(|c| {
            let m = c.iter().sum::<f64>() / n;
            c.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / n
        })
        .collect();
    let kl_per_dim: Vec<f64> = pass
        .mu
        .axis_iter(Axis(1))
        .zip(pass.logvar.axis_iter(Axis(1)))
        .map(|(m, l)| {
            m.iter()
                .zip(l.iter())
                .map(|(m, l)| -0.5 * (1.0 + l - m * m - l.exp()))
                .sum::<f64>()
                / n
        })
        .collect();
    Ok(LatentActivity {
        threshold,
        active_dims: mean_variance.iter().filter(|&&v| v > threshold).count(),
        mean_variance,
        kl_per_dim,
    })
}
