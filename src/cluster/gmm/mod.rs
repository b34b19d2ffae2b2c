//! Gaussian mixture model fitted by expectation-maximisation (Dempster, Laird & Rubin 1977;
//! Bishop 2006, "Pattern Recognition and Machine Learning", section 9.2), following
//! scikit-learn's `GaussianMixture` (`sklearn/mixture/_gaussian_mixture.py` and `_base.py`)
//! step for step, for `covariance_type` `"full"` (the default) and `"diag"`.
//!
//! - **Initialisation** (`init_params="k-means++"`): the crate's greedy k-means++ seeding
//!   ([`super::kmeans`]) picks `k` rows; the responsibilities are one-hot at those rows (row
//!   `s_j` belongs to component `j`, every other row to none) and one M-step gives the starting
//!   parameters, with the weights divided by `n` instead of normalised, exactly as scikit-learn's
//!   `_initialize`. Given `weights_init`, `means_init` and `precisions_init` (or covariances)
//!   replace the corresponding estimates; when all three are given no seeding is done.
//! - **M-step**: `n_k = sum_i r_ik + 10 eps`, `mu_k = sum_i r_ik x_i / n_k`,
//!   `Sigma_k = sum_i r_ik (x_i - mu_k)(x_i - mu_k)^T / n_k + reg_covar I` (the diagonal of it for
//!   `"diag"`), `w_k = n_k / sum_j n_j`; then the Cholesky factor of each precision,
//!   `P_k = L_k^{-T}` with `Sigma_k = L_k L_k^T` (upper triangular, `P_k P_k^T = Sigma_k^{-1}`).
//!   A covariance that is not positive definite is an error (scikit-learn's "ill-defined
//!   empirical covariance"), never a panic. For `"diag"` the variances are summed as
//!   `r (x - mu)^2` rather than scikit-learn's `E[x^2] - mu^2`: the same quantity without its
//!   cancellation (they differ by rounding only).
//! - **E-step**: `log N(x | mu_k, Sigma_k) = -(d ln(2 pi) + ||(x - mu_k) P_k||^2) / 2 + ln det P_k`
//!   (the log-determinant from the Cholesky diagonal), plus `ln w_k`; the per-row normaliser
//!   by log-sum-exp; the lower bound is the mean of the normalisers, i.e. the mean
//!   log-likelihood under the parameters BEFORE the M-step of that iteration.
//! - **Stop** when `|lower_bound - previous| < tol` (`converged`) or after `max_iter`
//!   iterations; over `n_init` restarts the largest final lower bound is kept (the earliest on
//!   ties). Restart `r` seeds from ChaCha8 stream `r` of the seed.
//!
//! **Determinism**: rows are processed in fixed blocks of [`CHUNK_ROWS`] whose partial sums are
//! combined in block order, so a fit gives the same bits on any number of threads.
//!
//! **Memory** (f64 = 8 bytes; `m` rows fitted, `b = ceil(m / CHUNK_ROWS)` blocks,
//! `S = k d^2` (full) or `k d` (diag)): the fit holds the row-major copy of the fitted rows
//! (`m d`), the responsibilities (`m k`, the only per-row state: the log-probabilities of a row
//! are turned into its responsibilities in place), the per-block partial sums
//! (`b (k + k d + S)`) and the parameters (`k (d + 2 S + 2)`); while seeding (before the
//! responsibilities exist) the k-means++ copy of the data and two distance vectors
//! (`m (d + 2)`). [`memory_estimate`] adds these up.
//!
//! **Large inputs**: above `sample_max` rows (default [`DEFAULT_SAMPLE_MAX`]) EM runs on a
//! seeded uniform sample of that many rows and every row is then scored in blocks by
//! [`GaussianMixture::assign`] (or `predict` / `predict_proba`), which hold no per-row state
//! beyond their outputs. The default of 200,000 rows keeps the fit below
//! `8 * 200,000 * (d + k + 2)` bytes plus the partial sums (about 50 MB at `d = 10`, `k = 20`)
//! and one EM iteration at `O(200,000 k d^2)`, while every component of weight above 1 % still
//! rests on at least 2,000 rows, so the sampling error of its mean is below 2.5 % of its
//! standard deviation.

use std::str::FromStr;

use ndarray::{Array2, Array3, ArrayView1, ArrayView2};

use super::ClusterError;
use super::kmeans::stream_rng;
use crate::par::CHUNK_ROWS;

mod em;
mod method;
mod model;

use em::*;
pub use method::GmmMethod;
pub use model::{Assignment, GaussianMixture};

/// Default number of rows above which EM runs on a random sample (see the module docs).
pub const DEFAULT_SAMPLE_MAX: usize = 200_000;

/// `ln(2 pi)`.
const LN_2PI: f64 = 1.837_877_066_409_345_3;

/// scikit-learn's guard against empty components: `10 * finfo(float64).eps` added to `n_k`.
const NK_FLOOR: f64 = 10.0 * f64::EPSILON;

/// Errors of the Gaussian mixture.
#[derive(Debug, thiserror::Error)]
pub enum GmmError {
    #[error("Gaussian mixture: k = 0 components, must be at least 1")]
    ZeroComponents,
    #[error("Gaussian mixture: k = {k} components exceeds the {rows} rows fitted")]
    TooManyComponents { k: usize, rows: usize },
    #[error("Gaussian mixture option {option} = {value}: {message}")]
    BadOption {
        option: &'static str,
        value: String,
        message: &'static str,
    },
    #[error("Gaussian mixture input has no rows or no columns")]
    EmptyData,
    #[error("Gaussian mixture input: non-finite value at row {row}, column {column}")]
    NonFinite { row: usize, column: usize },
    #[error("Gaussian mixture: data have {got} columns, the model expects {expected}")]
    DimensionMismatch { expected: usize, got: usize },
    #[error("Gaussian mixture initial {what}: {message}")]
    BadInit { what: &'static str, message: String },
    #[error(
        "Fitting the mixture model failed because some components have ill-defined empirical \
         covariance (for instance caused by singleton or collapsed samples): component {component} \
         is not positive definite. Try to decrease the number of components, increase reg_covar, \
         or scale the input data."
    )]
    IllDefinedCovariance { component: usize },
    #[error("Gaussian mixture: the log-likelihood of row {row} is not finite (overflow or zero density)")]
    NonFiniteLikelihood { row: usize },
    #[error(transparent)]
    Cluster(#[from] ClusterError),
}

/// Shape of the component covariances (scikit-learn's `covariance_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CovarianceType {
    /// One general `d x d` covariance per component.
    #[default]
    Full,
    /// One diagonal covariance (`d` variances) per component.
    Diag,
}

impl CovarianceType {
    /// scikit-learn's name: `"full"` or `"diag"`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::Diag => "diag",
        }
    }

    /// Stored values per component of a covariance, precision or Cholesky factor.
    fn per_component(self, d: usize) -> usize {
        match self {
            Self::Full => d * d,
            Self::Diag => d,
        }
    }
}

impl FromStr for CovarianceType {
    type Err = GmmError;
    fn from_str(s: &str) -> Result<Self, GmmError> {
        match s {
            "full" => Ok(Self::Full),
            "diag" => Ok(Self::Diag),
            _ => Err(GmmError::BadOption {
                option: "covariance_type",
                value: s.to_string(),
                message: "must be full or diag",
            }),
        }
    }
}

/// Per-component matrices: `k x d x d` for [`CovarianceType::Full`], `k x d` diagonals for
/// [`CovarianceType::Diag`] (covariances, precisions or precision Cholesky factors).
#[derive(Debug, Clone, PartialEq)]
pub enum ComponentMatrices {
    Full(Array3<f64>),
    Diag(Array2<f64>),
}

impl ComponentMatrices {
    /// The covariance type this shape stands for.
    pub fn covariance_type(&self) -> CovarianceType {
        match self {
            Self::Full(_) => CovarianceType::Full,
            Self::Diag(_) => CovarianceType::Diag,
        }
    }

    fn from_flat(covariance: CovarianceType, k: usize, d: usize, flat: &[f64]) -> Self {
        match covariance {
            CovarianceType::Full => Self::Full(Array3::from_shape_fn((k, d, d), |(j, a, b)| flat[(j * d + a) * d + b])),
            CovarianceType::Diag => Self::Diag(Array2::from_shape_fn((k, d), |(j, a)| flat[j * d + a])),
        }
    }

    /// Row-major values after checking the shape `(k, d, d)` or `(k, d)` and finiteness.
    fn to_flat(&self, what: &'static str, k: usize, d: usize) -> Result<Vec<f64>, GmmError> {
        let (shape, flat): (Vec<usize>, Vec<f64>) = match self {
            Self::Full(a) => (a.shape().to_vec(), a.iter().copied().collect()),
            Self::Diag(a) => (a.shape().to_vec(), a.iter().copied().collect()),
        };
        let expected = match self {
            Self::Full(_) => vec![k, d, d],
            Self::Diag(_) => vec![k, d],
        };
        if shape != expected {
            return Err(GmmError::BadInit {
                what,
                message: format!("shape {shape:?}, expected {expected:?}"),
            });
        }
        if flat.iter().any(|v| !v.is_finite()) {
            return Err(GmmError::BadInit {
                what,
                message: "non-finite value".into(),
            });
        }
        Ok(flat)
    }
}

/// Given spread of the components at the start (scikit-learn's `precisions_init`, or the
/// covariances it stands for).
#[derive(Debug, Clone, PartialEq)]
enum SpreadInit {
    Precisions(ComponentMatrices),
    Covariances(ComponentMatrices),
}

/// Parameters of [`GaussianMixture`]; defaults are scikit-learn's (`covariance_type = "full"`,
/// `tol = 1e-3`, `reg_covar = 1e-6`, `max_iter = 100`, `n_init = 1`, k-means++ initialisation)
/// with `seed = 42` and `sample_max = 200,000` rows (see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct GaussianMixtureParams {
    k: usize,
    covariance: CovarianceType,
    tol: f64,
    reg_covar: f64,
    max_iter: usize,
    n_init: usize,
    seed: u64,
    sample_max: Option<usize>,
    weights_init: Option<Vec<f64>>,
    means_init: Option<Array2<f64>>,
    spread_init: Option<SpreadInit>,
    seed_rows: Option<Vec<usize>>,
}

impl GaussianMixtureParams {
    /// `k` components with default options.
    pub fn new(k: usize) -> Self {
        Self {
            k,
            covariance: CovarianceType::Full,
            tol: 1e-3,
            reg_covar: 1e-6,
            max_iter: 100,
            n_init: 1,
            seed: 42,
            sample_max: Some(DEFAULT_SAMPLE_MAX),
            weights_init: None,
            means_init: None,
            spread_init: None,
            seed_rows: None,
        }
    }
    /// Full or diagonal covariances.
    pub fn covariance_type(mut self, covariance: CovarianceType) -> Self {
        self.covariance = covariance;
        self
    }
    /// Stop when the mean log-likelihood lower bound changes by less than `tol`.
    pub fn tol(mut self, tol: f64) -> Self {
        self.tol = tol;
        self
    }
    /// Non-negative value added to the covariance diagonals (keeps them positive definite).
    pub fn reg_covar(mut self, reg_covar: f64) -> Self {
        self.reg_covar = reg_covar;
        self
    }
    /// Maximum EM iterations per restart.
    pub fn max_iter(mut self, max_iter: usize) -> Self {
        self.max_iter = max_iter;
        self
    }
    /// Number of restarts; the largest lower bound is kept. Restarts differ only by their
    /// k-means++ draw, so with all initial parameters or explicit seed rows given one run is
    /// done (the others would repeat it).
    pub fn n_init(mut self, n_init: usize) -> Self {
        self.n_init = n_init;
        self
    }
    /// Seed of the k-means++ seeding and of the row sample.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// Above this many rows EM runs on a seeded sample of this many rows (`None`: always all).
    pub fn sample_max(mut self, sample_max: Option<usize>) -> Self {
        self.sample_max = sample_max;
        self
    }
    /// Initial weights (`k`, non-negative, summing to 1; scikit-learn's `weights_init`).
    pub fn weights_init(mut self, weights: Vec<f64>) -> Self {
        self.weights_init = Some(weights);
        self
    }
    /// Initial means (`k x d`; scikit-learn's `means_init`).
    pub fn means_init(mut self, means: Array2<f64>) -> Self {
        self.means_init = Some(means);
        self
    }
    /// Initial precisions (inverse covariances; scikit-learn's `precisions_init`).
    pub fn precisions_init(mut self, precisions: ComponentMatrices) -> Self {
        self.spread_init = Some(SpreadInit::Precisions(precisions));
        self
    }
    /// Initial covariances (used as given, without `reg_covar`); replaces `precisions_init`.
    pub fn covariances_init(mut self, covariances: ComponentMatrices) -> Self {
        self.spread_init = Some(SpreadInit::Covariances(covariances));
        self
    }
    /// Seed rows replacing the k-means++ draw: component `j` starts one-hot at row
    /// `rows[j]` of the input (as scikit-learn after `kmeans_plusplus` returned these
    /// indices). Needs EM on all rows (input not above `sample_max`).
    pub fn seed_rows(mut self, rows: Vec<usize>) -> Self {
        self.seed_rows = Some(rows);
        self
    }
    /// Same options with another `k` (initial parameters and seed rows are dropped).
    pub fn with_k(&self, k: usize) -> Self {
        Self {
            k,
            weights_init: None,
            means_init: None,
            spread_init: None,
            seed_rows: None,
            ..self.clone()
        }
    }
    /// Number of components.
    pub fn k(&self) -> usize {
        self.k
    }
    /// The covariance type.
    pub fn covariance(&self) -> CovarianceType {
        self.covariance
    }
    /// The sample threshold.
    pub fn sample_limit(&self) -> Option<usize> {
        self.sample_max
    }

    /// Checks the options that do not depend on the data.
    pub fn build(self) -> Result<Self, GmmError> {
        if self.k == 0 {
            return Err(GmmError::ZeroComponents);
        }
        let bad = |option, value: String, message| GmmError::BadOption { option, value, message };
        if self.n_init == 0 {
            return Err(bad("n_init", "0".into(), "must be at least 1"));
        }
        if self.max_iter == 0 {
            return Err(bad("max_iter", "0".into(), "must be at least 1"));
        }
        if !(self.tol.is_finite() && self.tol >= 0.0) {
            return Err(bad("tol", self.tol.to_string(), "must be finite and >= 0"));
        }
        if !(self.reg_covar.is_finite() && self.reg_covar >= 0.0) {
            return Err(bad("reg_covar", self.reg_covar.to_string(), "must be finite and >= 0"));
        }
        if let Some(m) = self.sample_max
            && m < self.k
        {
            return Err(bad("sample_max", m.to_string(), "must be at least k"));
        }
        if let Some(rows) = &self.seed_rows
            && rows.len() != self.k
        {
            return Err(GmmError::BadInit {
                what: "seed rows",
                message: format!("{} rows for {} components", rows.len(), self.k),
            });
        }
        if let Some(w) = &self.weights_init {
            check_weights(w, self.k)?;
        }
        let spread = match &self.spread_init {
            Some(SpreadInit::Precisions(p) | SpreadInit::Covariances(p)) => Some(p),
            None => None,
        };
        if let Some(p) = spread
            && p.covariance_type() != self.covariance
        {
            return Err(GmmError::BadInit {
                what: "precisions",
                message: format!(
                    "{} matrices for covariance_type {}",
                    p.covariance_type().name(),
                    self.covariance.name()
                ),
            });
        }
        Ok(self)
    }

    /// Bytes the fit and a following [`GaussianMixture::assign`] of all `n` rows hold at most:
    /// [`memory_estimate`] on the rows EM sees (`min(n, sample_max)`) plus the assignment
    /// outputs (label, probability and log-likelihood, 24 bytes a row).
    pub fn memory_estimate(&self, n: usize, d: usize) -> u64 {
        let m = self.sample_max.map_or(n, |s| n.min(s));
        memory_estimate(m, d, self.k, self.covariance) + 24 * n as u64
    }

    /// Fits the mixture on `x` (n x d), on a seeded sample of `sample_max` rows when n is larger.
    pub fn fit(&self, x: ArrayView2<f64>) -> Result<GaussianMixture, GmmError> {
        self.fit_weighted(x, None)
    }

    /// Fits the mixture with a weight per row (`--weights area`): weighted EM, a row entering
    /// the M-step with `w_i r_ik` and the lower bound with `w_i ln p(x_i)` (over `sum_i w_i`),
    /// so with integer weights the fit is that of the rows repeated `w_i` times; the k-means++
    /// seeding is the weighted one of K-Means, and a sample above `sample_max` keeps its rows'
    /// weights. All weights 1 are [`GaussianMixtureParams::fit`], to the bit.
    pub fn fit_weighted(
        &self,
        x: ArrayView2<f64>,
        weights: Option<ArrayView1<f64>>,
    ) -> Result<GaussianMixture, GmmError> {
        let params = self.clone().build()?;
        check_data(x)?;
        if let Some(w) = weights {
            crate::cluster::kmeans::check_weights(w, x.nrows())?;
        }
        let weights = crate::cluster::kmeans::drop_unit_weights(weights);
        let (n, d) = x.dim();
        let sample: Option<Vec<usize>> = match params.sample_max {
            Some(m) if n > m => {
                let mut rng = stream_rng(params.seed, u64::MAX);
                let mut rows = rand::seq::index::sample(&mut rng, n, m).into_vec();
                rows.sort_unstable();
                Some(rows)
            }
            _ => None,
        };
        let mut rows = match &sample {
            Some(idx) => Rows::gather(x, idx),
            None => Rows::gather_all(x),
        };
        rows.w = weights.map(|w| match &sample {
            Some(idx) => idx.iter().map(|&i| w[i]).collect(),
            None => w.to_vec(),
        });
        if params.k > rows.n {
            return Err(GmmError::TooManyComponents {
                k: params.k,
                rows: rows.n,
            });
        }
        let given = params.given(d)?;
        let all_given = given.weights.is_some() && given.means.is_some() && given.prec_chol.is_some();
        // One run when nothing is random: every restart would start from the same parameters.
        let seeds: Vec<Option<Vec<usize>>> = if all_given {
            vec![None]
        } else if let Some(seed_rows) = &params.seed_rows {
            if sample.is_some() {
                return Err(GmmError::BadInit {
                    what: "seed rows",
                    message: format!("the input's {n} rows exceed sample_max; seed rows need EM on all rows"),
                });
            }
            if let Some(&r) = seed_rows.iter().find(|&&r| r >= n) {
                return Err(GmmError::BadInit {
                    what: "seed rows",
                    message: format!("row {r} out of range for {n} rows"),
                });
            }
            vec![Some(seed_rows.clone())]
        } else {
            kmeans_pp_rows(&rows, params.k, params.seed, params.n_init)?
                .into_iter()
                .map(Some)
                .collect()
        };
        let mut resp = vec![0.0; rows.n * params.k];
        let mut best: Option<(usize, Run)> = None;
        let mut lower_bound_per_init = Vec::with_capacity(seeds.len());
        for (r, seed) in seeds.iter().enumerate() {
            let start = initial_mixture(&rows, &params, &given, seed.as_deref(), &mut resp)?;
            let run = em(&rows, &params, start, &mut resp)?;
            lower_bound_per_init.push(run.lower_bound);
            let better = match &best {
                None => true,
                Some((_, b)) => run.lower_bound > b.lower_bound || b.lower_bound == f64::NEG_INFINITY,
            };
            if better {
                best = Some((r, run));
            }
        }
        let Some((best_init, run)) = best else {
            return Err(GmmError::BadOption {
                option: "n_init",
                value: "0".into(),
                message: "must be at least 1",
            });
        };
        Ok(GaussianMixture::from_run(
            run,
            params.covariance,
            d,
            best_init,
            lower_bound_per_init,
            rows.n,
            sample.is_some(),
        ))
    }

    /// The given initial parameters, checked against `d`, the precisions as Cholesky factors.
    fn given(&self, d: usize) -> Result<Given, GmmError> {
        let k = self.k;
        let means = match &self.means_init {
            Some(m) => {
                if m.dim() != (k, d) {
                    return Err(GmmError::BadInit {
                        what: "means",
                        message: format!("shape {:?}, expected ({k}, {d})", m.dim()),
                    });
                }
                if m.iter().any(|v| !v.is_finite()) {
                    return Err(GmmError::BadInit {
                        what: "means",
                        message: "non-finite value".into(),
                    });
                }
                Some(m.iter().copied().collect())
            }
            None => None,
        };
        let prec_chol = match &self.spread_init {
            Some(SpreadInit::Precisions(p)) => {
                let flat = p.to_flat("precisions", k, d)?;
                Some(precision_cholesky_from_precisions(&flat, self.covariance, k, d)?)
            }
            Some(SpreadInit::Covariances(c)) => {
                let flat = c.to_flat("covariances", k, d)?;
                let chol = precision_cholesky(&flat, self.covariance, k, d).map_err(|_| GmmError::BadInit {
                    what: "covariances",
                    message: "not positive definite".into(),
                })?;
                Some(chol)
            }
            None => None,
        };
        Ok(Given {
            weights: self.weights_init.clone(),
            means,
            prec_chol,
        })
    }
}

/// Bytes the EM fit on `n` rows of `d` columns with `k` components holds at most (see the
/// module docs): the row copy, the responsibilities or (while seeding) the k-means++ copy and
/// its distance vectors, the per-block partial sums and the parameters.
pub fn memory_estimate(n: usize, d: usize, k: usize, covariance: CovarianceType) -> u64 {
    let (n, d, k) = (n as u64, d as u64, k as u64);
    let s = covariance.per_component(d as usize) as u64 * k;
    let blocks = n.div_ceil(CHUNK_ROWS as u64);
    let per_row = (n * (d + 2)).max(n * k);
    8 * (n * d + per_row + blocks * (k + k * d + s) + k * (d + 2) + 2 * s)
}

fn check_weights(w: &[f64], k: usize) -> Result<(), GmmError> {
    let bad = |message: String| GmmError::BadInit {
        what: "weights",
        message,
    };
    if w.len() != k {
        return Err(bad(format!("{} weights for {k} components", w.len())));
    }
    if w.iter().any(|v| !(0.0..=1.0).contains(v)) {
        return Err(bad("must lie in [0, 1]".into()));
    }
    let sum: f64 = w.iter().sum();
    // scikit-learn's tolerance for float64 weights.
    if (1.0 - sum).abs() > 1e-8 {
        return Err(bad(format!("must sum to 1, sum is {sum}")));
    }
    Ok(())
}

fn check_data(x: ArrayView2<f64>) -> Result<(), GmmError> {
    let (n, d) = x.dim();
    if n == 0 || d == 0 {
        return Err(GmmError::EmptyData);
    }
    for (row, values) in x.rows().into_iter().enumerate() {
        if let Some(column) = values.iter().position(|v| !v.is_finite()) {
            return Err(GmmError::NonFinite { row, column });
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "gmm_tests.rs"]
mod tests;
