//! Principal component analysis (Wold et al., 1987), study section 3.1.
//!
//! With `C = (X - mean)^T (X - mean) / (n - 1)` the d x d sample covariance, the components are
//! the eigenvectors of `C` sorted by descending eigenvalue `lambda_j`;
//! `explained_variance_j = lambda_j` (ddof = 1, as scikit-learn) and
//! `explained_variance_ratio_j = lambda_j / trace(C)`. Scores are `Z = (X - mean) W^T`.
//!
//! Sign convention (scikit-learn >= 1.5 `svd_flip(u_based_decision=False)`): the entry of largest
//! absolute value of each component is positive, so the result is deterministic.

use nalgebra::{DMatrix, SymmetricEigen};
use ndarray::{Array1, Array2, ArrayView1, ArrayView2};

use super::ReduceError;
use crate::features::{
    column_means, scatter_matrix, total_variance, weight_total, weighted_column_means, weighted_scatter_matrix,
};

/// Validated-on-build parameters of [`Pca`].
#[derive(Debug, Clone, PartialEq)]
pub struct PcaParams {
    n_components: usize,
}

impl PcaParams {
    /// Keep the first `n_components` principal components.
    pub fn new(n_components: usize) -> Self {
        Self { n_components }
    }

    /// Checks what can be checked without data (`n_components >= 1`).
    pub fn build(self) -> Result<Self, ReduceError> {
        if self.n_components == 0 {
            return Err(ReduceError::ZeroComponents);
        }
        Ok(self)
    }

    /// Number of components kept.
    pub fn n_components(&self) -> usize {
        self.n_components
    }

    /// Fits the PCA on `x` (n x d, rows are points).
    pub fn fit(&self, x: ArrayView2<f64>) -> Result<Pca, ReduceError> {
        self.fit_weighted(x, None)
    }

    /// [`PcaParams::fit`] with a weight per row (`--weights area`): the weighted mean
    /// `m = sum w x / N` and the weighted covariance `C = sum_i w_i (x_i - m)(x_i - m)^T /
    /// (N - 1)`, `N = sum_i w_i` (`n` for weights of mean 1, so with all weights 1 this is the
    /// ddof = 1 covariance above, to the bit). `None` is [`PcaParams::fit`].
    pub fn fit_weighted(&self, x: ArrayView2<f64>, weights: Option<ArrayView1<f64>>) -> Result<Pca, ReduceError> {
        let (n, d) = x.dim();
        if self.n_components == 0 {
            return Err(ReduceError::ZeroComponents);
        }
        if self.n_components > d {
            return Err(ReduceError::TooManyComponents {
                requested: self.n_components,
                variables: d,
            });
        }
        if n < 2 {
            return Err(ReduceError::TooFewPoints(n));
        }
        if let Some(pos) = x.iter().position(|v| !v.is_finite()) {
            return Err(ReduceError::NonFinite {
                row: pos / d,
                column: pos % d,
            });
        }
        let (mean, covariance, dof) = match weights {
            None => {
                let mean = column_means(x);
                let covariance = scatter_matrix(x, mean.view()) / (n - 1) as f64;
                (mean, covariance, (n - 1) as f64)
            }
            Some(w) => {
                if w.len() != n || w.iter().any(|v| !(v.is_finite() && *v > 0.0)) {
                    return Err(ReduceError::Invalid(format!(
                        "PCA: {} weights for {n} rows, each must be finite and > 0",
                        w.len()
                    )));
                }
                let mean = weighted_column_means(x, w);
                let dof = weight_total(w) - 1.0;
                (mean.clone(), weighted_scatter_matrix(x, mean.view(), w) / dof, dof)
            }
        };
        let (eigenvalues, vectors) = sorted_eigen(&covariance)?;
        let total: f64 = eigenvalues.iter().sum();
        let k = self.n_components;
        let mut components = Array2::<f64>::zeros((k, d));
        for c in 0..k {
            let sign = sign_of_largest(vectors.column(c).iter().copied());
            for j in 0..d {
                components[[c, j]] = sign * vectors[(j, c)];
            }
        }
        let explained_variance = Array1::from_iter(eigenvalues.iter().take(k).copied());
        let explained_variance_ratio = explained_variance.mapv(|v| v / total);
        let singular_values = explained_variance.mapv(|v| (v * dof).sqrt());
        Ok(Pca {
            mean,
            components,
            explained_variance,
            explained_variance_ratio,
            singular_values,
            n_samples: n,
        })
    }
}

/// Eigen-decomposition of a symmetric matrix, sorted by descending eigenvalue (nalgebra returns
/// them unsorted). Negative rounding noise on null directions is clipped to 0.
fn sorted_eigen(covariance: &Array2<f64>) -> Result<(Vec<f64>, DMatrix<f64>), ReduceError> {
    let d = covariance.nrows();
    let matrix = DMatrix::from_fn(d, d, |i, j| covariance[[i, j]]);
    let eigen = SymmetricEigen::try_new(matrix, f64::EPSILON, 10_000).ok_or(ReduceError::NoConvergence)?;
    let mut order: Vec<usize> = (0..d).collect();
    order.sort_by(|&a, &b| eigen.eigenvalues[b].total_cmp(&eigen.eigenvalues[a]).then(a.cmp(&b)));
    let values = order.iter().map(|&i| eigen.eigenvalues[i].max(0.0)).collect();
    let vectors = DMatrix::from_fn(d, d, |r, c| eigen.eigenvectors[(r, order[c])]);
    Ok((values, vectors))
}

/// +1 or -1 so that the entry of largest |value| becomes positive (first one on ties).
fn sign_of_largest(values: impl Iterator<Item = f64>) -> f64 {
    let mut best = 0.0f64;
    for v in values {
        if v.abs() > best.abs() {
            best = v;
        }
    }
    if best < 0.0 { -1.0 } else { 1.0 }
}

/// A fitted PCA with its diagnostics.
#[derive(Debug, Clone, PartialEq)]
pub struct Pca {
    /// Column means of the training data (d).
    pub mean: Array1<f64>,
    /// Principal axes, one per row (k x d), by descending explained variance.
    pub components: Array2<f64>,
    /// Eigenvalues of the sample covariance (ddof = 1) for the kept components.
    pub explained_variance: Array1<f64>,
    /// `explained_variance / total variance` (over all d directions).
    pub explained_variance_ratio: Array1<f64>,
    /// Singular values of the centred data, `sqrt(lambda (n - 1))`.
    pub singular_values: Array1<f64>,
    /// Number of points the model was fitted on.
    pub n_samples: usize,
}

/// Reconstruction quality of listing 12: `mse = mean((X - X_hat)^2)` over all entries and
/// `r2 = 1 - mse / var(X)`, `var` the population variance of all entries (numpy `X.var()`).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Reconstruction {
    pub mse: f64,
    pub r2: f64,
}

impl Pca {
    /// Number of kept components.
    pub fn n_components(&self) -> usize {
        self.components.nrows()
    }

    fn check_columns(&self, got: usize, expected: usize) -> Result<(), ReduceError> {
        if got != expected {
            return Err(ReduceError::DimensionMismatch { expected, got });
        }
        Ok(())
    }

    /// Scores `Z = (X - mean) W^T` (n x k).
    pub fn transform(&self, x: ArrayView2<f64>) -> Result<Array2<f64>, ReduceError> {
        self.check_columns(x.ncols(), self.mean.len())?;
        let centered = &x - &self.mean;
        Ok(centered.dot(&self.components.t()))
    }

    /// Back-projection `X_hat = Z W + mean` (n x d).
    pub fn inverse_transform(&self, z: ArrayView2<f64>) -> Result<Array2<f64>, ReduceError> {
        self.check_columns(z.ncols(), self.n_components())?;
        Ok(z.dot(&self.components) + &self.mean)
    }

    /// MSE and R^2 of `x` against its projection on the kept components (listing 12).
    pub fn reconstruction(&self, x: ArrayView2<f64>) -> Result<Reconstruction, ReduceError> {
        let x_hat = self.inverse_transform(self.transform(x)?.view())?;
        let mse = (&x_hat - &x).mapv(|e| e * e).mean().unwrap_or(f64::NAN);
        let r2 = 1.0 - mse / total_variance(x);
        Ok(Reconstruction { mse, r2 })
    }
}

#[cfg(test)]
#[path = "pca_tests.rs"]
mod tests;
