//! The fitted mixture: parameters, diagnostics, and scoring of rows in fixed blocks.

use ndarray::{Array1, Array2, ArrayView2};
use rayon::prelude::*;

use super::em::{Components, Mixture, RowScratch, Run, argmax};
use super::{ComponentMatrices, CovarianceType, GmmError, check_data};
use crate::cluster::ClusterError;
use crate::par::{CHUNK_ROWS, map_chunks};

/// Per-row results of [`GaussianMixture::assign`].
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// Most probable component of each row (the first on ties; scikit-learn's `predict`).
    pub labels: Vec<usize>,
    /// Responsibility of that component, the row's largest membership probability.
    pub max_probability: Vec<f64>,
    /// Log-likelihood of each row under the mixture (scikit-learn's `score_samples`).
    pub log_likelihood: Vec<f64>,
}

impl Assignment {
    /// Mean log-likelihood (scikit-learn's `score`).
    pub fn mean_log_likelihood(&self) -> f64 {
        let n = self.log_likelihood.len();
        let parts = map_chunks(n, CHUNK_ROWS, |a, b| self.log_likelihood[a..b].iter().sum::<f64>());
        parts.iter().sum::<f64>() / n as f64
    }
}

/// A fitted Gaussian mixture with its diagnostics.
#[derive(Debug, Clone, PartialEq)]
pub struct GaussianMixture {
    pub(super) covariance: CovarianceType,
    pub(super) d: usize,
    pub(super) mixture: Mixture,
    pub(super) lower_bound: f64,
    pub(super) n_iter: usize,
    pub(super) converged: bool,
    pub(super) best_init: usize,
    pub(super) lower_bound_per_init: Vec<f64>,
    pub(super) fitted_rows: usize,
    pub(super) sampled: bool,
}

impl GaussianMixture {
    pub(super) fn from_run(
        run: Run,
        covariance: CovarianceType,
        d: usize,
        best_init: usize,
        lower_bound_per_init: Vec<f64>,
        fitted_rows: usize,
        sampled: bool,
    ) -> Self {
        Self {
            covariance,
            d,
            mixture: run.mixture,
            lower_bound: run.lower_bound,
            n_iter: run.n_iter,
            converged: run.converged,
            best_init,
            lower_bound_per_init,
            fitted_rows,
            sampled,
        }
    }

    /// Number of components.
    pub fn k(&self) -> usize {
        self.mixture.weights.len()
    }
    /// Number of variables.
    pub fn dim(&self) -> usize {
        self.d
    }
    /// Full or diagonal covariances.
    pub fn covariance_type(&self) -> CovarianceType {
        self.covariance
    }
    /// Mixing weights (`weights_`), summing to 1.
    pub fn weights(&self) -> Array1<f64> {
        Array1::from(self.mixture.weights.clone())
    }
    /// Component means (`means_`, k x d).
    pub fn means(&self) -> Array2<f64> {
        Array2::from_shape_fn((self.k(), self.d), |(j, a)| self.mixture.means[j * self.d + a])
    }
    /// Component covariances (`covariances_`: k x d x d or k x d), `reg_covar` included.
    pub fn covariances(&self) -> ComponentMatrices {
        ComponentMatrices::from_flat(self.covariance, self.k(), self.d, &self.mixture.covariances)
    }
    /// Cholesky factors of the precisions (`precisions_cholesky_`: upper triangular `P_k` with
    /// `P_k P_k^T = Sigma_k^{-1}`, or `1 / sigma` for diag).
    pub fn precisions_cholesky(&self) -> ComponentMatrices {
        ComponentMatrices::from_flat(self.covariance, self.k(), self.d, &self.mixture.prec_chol)
    }
    /// Mean log-likelihood of the fitted rows at the start of the last iteration
    /// (`lower_bound_`) of the kept restart.
    pub fn lower_bound(&self) -> f64 {
        self.lower_bound
    }
    /// EM iterations of the kept restart (`n_iter_`).
    pub fn n_iter(&self) -> usize {
        self.n_iter
    }
    /// Whether the kept restart met `tol` within `max_iter` (`converged_`).
    pub fn converged(&self) -> bool {
        self.converged
    }
    /// Index of the kept restart.
    pub fn best_init(&self) -> usize {
        self.best_init
    }
    /// Final lower bound of every restart, in restart order.
    pub fn lower_bound_per_init(&self) -> &[f64] {
        &self.lower_bound_per_init
    }
    /// Rows EM ran on (the sample size when sampled).
    pub fn fitted_rows(&self) -> usize {
        self.fitted_rows
    }
    /// Whether EM ran on a sample of the input.
    pub fn sampled(&self) -> bool {
        self.sampled
    }

    /// Free parameters (scikit-learn's `_n_parameters`): `k d (d + 1) / 2` (full) or `k d`
    /// (diag) covariance values, `k d` means and `k - 1` weights.
    pub fn n_parameters(&self) -> usize {
        let (k, d) = (self.k(), self.d);
        let cov = match self.covariance {
            CovarianceType::Full => k * d * (d + 1) / 2,
            CovarianceType::Diag => k * d,
        };
        cov + k * d + k - 1
    }

    /// BIC from a mean log-likelihood over `n` rows: `-2 n score + n_parameters ln n`.
    pub fn bic_from_score(&self, score: f64, n: usize) -> f64 {
        -2.0 * score * n as f64 + self.n_parameters() as f64 * (n as f64).ln()
    }
    /// AIC from a mean log-likelihood over `n` rows: `-2 n score + 2 n_parameters`.
    pub fn aic_from_score(&self, score: f64, n: usize) -> f64 {
        -2.0 * score * n as f64 + 2.0 * self.n_parameters() as f64
    }
    /// BIC from a mean log-likelihood over a total weight `n` (the number of rows they stand
    /// for): `-2 n score + n_parameters ln n`.
    pub fn bic_from_score_weighted(&self, score: f64, n: f64) -> f64 {
        -2.0 * score * n + self.n_parameters() as f64 * n.ln()
    }
    /// AIC from a mean log-likelihood over a total weight `n`: `-2 n score + 2 n_parameters`.
    pub fn aic_from_score_weighted(&self, score: f64, n: f64) -> f64 {
        -2.0 * score * n + 2.0 * self.n_parameters() as f64
    }

    /// The scoring terms after checking that `x` has the model's columns and finite values.
    pub(super) fn components_for(&self, x: ArrayView2<f64>) -> Result<Components, GmmError> {
        if x.ncols() != self.d {
            return Err(GmmError::DimensionMismatch {
                expected: self.d,
                got: x.ncols(),
            });
        }
        check_data(x)?;
        Ok(Components::new(&self.mixture, self.covariance, self.d))
    }

    /// Applies `f(weighted log-probabilities, normaliser)` to every row of `x` in fixed
    /// blocks, results in row order.
    pub(super) fn map_rows<T: Send>(
        &self,
        x: ArrayView2<f64>,
        f: impl Fn(&[f64], f64) -> T + Sync + Send,
    ) -> Result<Vec<T>, GmmError> {
        let components = self.components_for(x)?;
        let k = self.k();
        let parts = map_chunks(x.nrows(), CHUNK_ROWS, |a, b| {
            let mut scratch = RowScratch::new(self.d);
            let mut out = vec![0.0; k];
            (a..b)
                .map(|i| {
                    let norm = components.score_row(x, i, &mut scratch, &mut out)?;
                    Ok(f(&out, norm))
                })
                .collect::<Result<Vec<T>, GmmError>>()
        });
        let mut all = Vec::with_capacity(x.nrows());
        for p in parts {
            all.extend(p?);
        }
        Ok(all)
    }

    /// Per-row log-likelihood `ln sum_j w_j N(x | mu_j, Sigma_j)` (`score_samples`).
    pub fn score_samples(&self, x: ArrayView2<f64>) -> Result<Vec<f64>, GmmError> {
        self.map_rows(x, |_, norm| norm)
    }

    /// Mean per-row log-likelihood (`score`).
    pub fn score(&self, x: ArrayView2<f64>) -> Result<f64, GmmError> {
        let ll = self.score_samples(x)?;
        let parts = map_chunks(ll.len(), CHUNK_ROWS, |a, b| ll[a..b].iter().sum::<f64>());
        Ok(parts.iter().sum::<f64>() / ll.len() as f64)
    }

    /// Most probable component of each row (`predict`; the first on ties).
    pub fn predict(&self, x: ArrayView2<f64>) -> Result<Vec<usize>, GmmError> {
        self.map_rows(x, |w, _| argmax(w))
    }

    /// Responsibilities (`predict_proba`, n x k); each row sums to 1.
    pub fn predict_proba(&self, x: ArrayView2<f64>) -> Result<Array2<f64>, GmmError> {
        let components = self.components_for(x)?;
        let k = self.k();
        let mut flat = vec![0.0; x.nrows() * k];
        let blocks: Vec<Result<(), GmmError>> = flat
            .par_chunks_mut(CHUNK_ROWS * k)
            .enumerate()
            .map(|(c, block)| {
                let mut scratch = RowScratch::new(self.d);
                for (offset, out) in block.chunks_exact_mut(k).enumerate() {
                    let norm = components.score_row(x, c * CHUNK_ROWS + offset, &mut scratch, out)?;
                    out.iter_mut().for_each(|v| *v = (*v - norm).exp());
                }
                Ok(())
            })
            .collect();
        blocks.into_iter().collect::<Result<(), GmmError>>()?;
        Array2::from_shape_vec((x.nrows(), k), flat).map_err(|e| ClusterError::Invalid(e.to_string()).into())
    }

    /// Label, largest membership probability and log-likelihood of every row in one pass
    /// (what a clustering of all cells needs, without the n x k responsibilities).
    pub fn assign(&self, x: ArrayView2<f64>) -> Result<Assignment, GmmError> {
        let triples = self.map_rows(x, |w, norm| {
            let j = argmax(w);
            (j, (w[j] - norm).exp(), norm)
        })?;
        let mut out = Assignment {
            labels: Vec::with_capacity(triples.len()),
            max_probability: Vec::with_capacity(triples.len()),
            log_likelihood: Vec::with_capacity(triples.len()),
        };
        for (l, p, ll) in triples {
            out.labels.push(l);
            out.max_probability.push(p);
            out.log_likelihood.push(ll);
        }
        Ok(out)
    }

    /// Bayesian information criterion on `x` (`bic`; lower is better).
    pub fn bic(&self, x: ArrayView2<f64>) -> Result<f64, GmmError> {
        Ok(self.bic_from_score(self.score(x)?, x.nrows()))
    }

    /// Akaike information criterion on `x` (`aic`; lower is better).
    pub fn aic(&self, x: ArrayView2<f64>) -> Result<f64, GmmError> {
        Ok(self.aic_from_score(self.score(x)?, x.nrows()))
    }
}
