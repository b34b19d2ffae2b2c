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

use ndarray::{Array1, Array2, Array3, ArrayView2};
use rayon::prelude::*;

use super::ClusterError;
use super::kmeans::{Data, kmeans_plus_plus, stream_rng};
use crate::par::{CHUNK_ROWS, map_chunks};

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
        let params = self.clone().build()?;
        check_data(x)?;
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
        let rows = match &sample {
            Some(idx) => Rows::gather(x, idx),
            None => Rows::gather_all(x),
        };
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

/// The rows EM runs on, row-major.
struct Rows {
    x: Vec<f64>,
    n: usize,
    d: usize,
}

impl Rows {
    fn gather(x: ArrayView2<f64>, idx: &[usize]) -> Self {
        let d = x.ncols();
        let mut flat = Vec::with_capacity(idx.len() * d);
        for &i in idx {
            flat.extend(x.row(i).iter());
        }
        Self {
            x: flat,
            n: idx.len(),
            d,
        }
    }
    fn gather_all(x: ArrayView2<f64>) -> Self {
        Self {
            x: x.iter().copied().collect(),
            n: x.nrows(),
            d: x.ncols(),
        }
    }
    fn row(&self, i: usize) -> &[f64] {
        &self.x[i * self.d..(i + 1) * self.d]
    }
}

/// Initial parameters the caller gave (flat, row-major).
struct Given {
    weights: Option<Vec<f64>>,
    means: Option<Vec<f64>>,
    prec_chol: Option<Vec<f64>>,
}

/// Mixture parameters, row-major: weights `k`, means `k d`, covariances and precision
/// Cholesky factors `k d d` (full) or `k d` (diag). `covariances` is empty only before the
/// first M-step when the precisions were given.
#[derive(Debug, Clone, PartialEq)]
struct Mixture {
    weights: Vec<f64>,
    means: Vec<f64>,
    covariances: Vec<f64>,
    prec_chol: Vec<f64>,
}

/// Outcome of one restart.
struct Run {
    mixture: Mixture,
    lower_bound: f64,
    n_iter: usize,
    converged: bool,
}

/// Rows of `n_init` greedy k-means++ draws (restart `r` on stream `r` of `seed`), found back
/// from the centres the crate's seeding returns (copies of rows of its centred data).
fn kmeans_pp_rows(rows: &Rows, k: usize, seed: u64, n_init: usize) -> Result<Vec<Vec<usize>>, GmmError> {
    let view = ArrayView2::from_shape((rows.n, rows.d), &rows.x).map_err(|e| ClusterError::Invalid(e.to_string()))?;
    let data = Data::new(view)?;
    let d = rows.d;
    (0..n_init)
        .map(|r| {
            let centers = kmeans_plus_plus(&data, k, &mut stream_rng(seed, r as u64), &[]);
            centers
                .chunks_exact(d)
                .map(|c| {
                    (0..data.n).find(|&i| data.row(i) == c).ok_or_else(|| {
                        GmmError::Cluster(ClusterError::Invalid(
                            "k-means++ returned a centre that is not a data row".into(),
                        ))
                    })
                })
                .collect()
        })
        .collect()
}

/// scikit-learn's `_initialize`: one M-step from responsibilities one-hot at the seed rows
/// (weights divided by the row count, not normalised), then the given parameters on top.
fn initial_mixture(
    rows: &Rows,
    params: &GaussianMixtureParams,
    given: &Given,
    seed_rows: Option<&[usize]>,
    resp: &mut [f64],
) -> Result<Mixture, GmmError> {
    let k = params.k;
    let estimated = match seed_rows {
        Some(seeds) => {
            resp.iter_mut().for_each(|r| *r = 0.0);
            for (j, &i) in seeds.iter().enumerate() {
                resp[i * k + j] = 1.0;
            }
            let (nk, means, covariances) = estimate_parameters(rows, resp, k, params.reg_covar, params.covariance);
            let weights = nk.iter().map(|v| v / rows.n as f64).collect();
            Some((weights, means, covariances))
        }
        None => None,
    };
    let missing = || GmmError::BadInit {
        what: "parameters",
        message: "neither seed rows nor all of weights, means and precisions".into(),
    };
    let (est_weights, est_means, est_cov) = match estimated {
        Some((w, m, c)) => (Some(w), Some(m), Some(c)),
        None => (None, None, None),
    };
    let weights = given.weights.clone().or(est_weights).ok_or_else(missing)?;
    let means = given.means.clone().or(est_means).ok_or_else(missing)?;
    let (covariances, prec_chol) = match &given.prec_chol {
        Some(p) => (Vec::new(), p.clone()),
        None => {
            let cov = est_cov.ok_or_else(missing)?;
            let chol = precision_cholesky(&cov, params.covariance, k, rows.d)?;
            (cov, chol)
        }
    };
    Ok(Mixture {
        weights,
        means,
        covariances,
        prec_chol,
    })
}

/// EM iterations from `mixture` (scikit-learn's loop in `BaseMixture.fit_predict`).
fn em(rows: &Rows, params: &GaussianMixtureParams, mut mixture: Mixture, resp: &mut [f64]) -> Result<Run, GmmError> {
    let k = params.k;
    let mut lower_bound = f64::NEG_INFINITY;
    let (mut converged, mut n_iter) = (false, params.max_iter);
    for iteration in 1..=params.max_iter {
        let previous = lower_bound;
        let components = Components::new(&mixture, params.covariance, rows.d);
        lower_bound = e_step(rows, &components, resp)?;
        let (nk, means, covariances) = estimate_parameters(rows, resp, k, params.reg_covar, params.covariance);
        let total: f64 = nk.iter().sum();
        let prec_chol = precision_cholesky(&covariances, params.covariance, k, rows.d)?;
        mixture = Mixture {
            weights: nk.iter().map(|v| v / total).collect(),
            means,
            covariances,
            prec_chol,
        };
        if (lower_bound - previous).abs() < params.tol {
            (converged, n_iter) = (true, iteration);
            break;
        }
    }
    Ok(Run {
        mixture,
        lower_bound,
        n_iter,
        converged,
    })
}

/// Responsibilities of all rows written into `resp` (n x k); returns the mean log-likelihood.
fn e_step(rows: &Rows, components: &Components, resp: &mut [f64]) -> Result<f64, GmmError> {
    let k = components.k;
    let sums: Vec<Result<f64, GmmError>> = resp
        .par_chunks_mut(CHUNK_ROWS * k)
        .enumerate()
        .map(|(c, block)| {
            let mut scratch = vec![0.0; components.d];
            let mut sum = 0.0;
            for (offset, r) in block.chunks_exact_mut(k).enumerate() {
                let i = c * CHUNK_ROWS + offset;
                components.weighted_log_prob(rows.row(i), r, &mut scratch);
                let norm = log_sum_exp(r);
                if !norm.is_finite() {
                    return Err(GmmError::NonFiniteLikelihood { row: i });
                }
                r.iter_mut().for_each(|v| *v = (*v - norm).exp());
                sum += norm;
            }
            Ok(sum)
        })
        .collect();
    let mut total = 0.0;
    for s in sums {
        total += s?;
    }
    Ok(total / rows.n as f64)
}

/// scikit-learn's `_estimate_gaussian_parameters`: `(n_k, means, covariances)` from the
/// responsibilities, with `reg_covar` on the covariance diagonals.
fn estimate_parameters(
    rows: &Rows,
    resp: &[f64],
    k: usize,
    reg_covar: f64,
    covariance: CovarianceType,
) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let d = rows.d;
    let first: Vec<(Vec<f64>, Vec<f64>)> = map_chunks(rows.n, CHUNK_ROWS, |a, b| {
        let mut nk = vec![0.0; k];
        let mut sums = vec![0.0; k * d];
        for i in a..b {
            let x = rows.row(i);
            for (j, &r) in resp[i * k..(i + 1) * k].iter().enumerate() {
                if r != 0.0 {
                    nk[j] += r;
                    sums[j * d..(j + 1) * d]
                        .iter_mut()
                        .zip(x)
                        .for_each(|(s, v)| *s += r * v);
                }
            }
        }
        (nk, sums)
    });
    let mut nk = vec![0.0; k];
    let mut means = vec![0.0; k * d];
    for (pn, ps) in &first {
        nk.iter_mut().zip(pn).for_each(|(t, v)| *t += v);
        means.iter_mut().zip(ps).for_each(|(t, v)| *t += v);
    }
    nk.iter_mut().for_each(|v| *v += NK_FLOOR);
    for (m, &count) in means.chunks_exact_mut(d).zip(&nk) {
        m.iter_mut().for_each(|v| *v /= count);
    }
    let per = covariance.per_component(d);
    let second: Vec<Vec<f64>> = map_chunks(rows.n, CHUNK_ROWS, |a, b| {
        let mut s = vec![0.0; k * per];
        let mut diff = vec![0.0; d];
        for i in a..b {
            let x = rows.row(i);
            for (j, &r) in resp[i * k..(i + 1) * k].iter().enumerate() {
                if r == 0.0 {
                    continue;
                }
                diff.iter_mut()
                    .zip(x.iter().zip(&means[j * d..(j + 1) * d]))
                    .for_each(|(t, (v, m))| *t = v - m);
                let sj = &mut s[j * per..(j + 1) * per];
                match covariance {
                    CovarianceType::Full => {
                        for p in 0..d {
                            let rp = r * diff[p];
                            for q in p..d {
                                sj[p * d + q] += rp * diff[q];
                            }
                        }
                    }
                    CovarianceType::Diag => {
                        for p in 0..d {
                            sj[p] += r * diff[p] * diff[p];
                        }
                    }
                }
            }
        }
        s
    });
    let mut cov = vec![0.0; k * per];
    for part in &second {
        cov.iter_mut().zip(part).for_each(|(t, v)| *t += v);
    }
    for (j, cj) in cov.chunks_exact_mut(per).enumerate() {
        cj.iter_mut().for_each(|v| *v /= nk[j]);
        match covariance {
            CovarianceType::Full => {
                for p in 0..d {
                    for q in 0..p {
                        cj[p * d + q] = cj[q * d + p];
                    }
                    cj[p * d + p] += reg_covar;
                }
            }
            CovarianceType::Diag => cj.iter_mut().for_each(|v| *v += reg_covar),
        }
    }
    (nk, means, cov)
}

/// Lower Cholesky factor of the symmetric positive definite `a` (d x d, row-major); `None`
/// when a pivot is not positive (as LAPACK's `potrf`).
fn cholesky_lower(a: &[f64], d: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; d * d];
    for i in 0..d {
        for j in 0..=i {
            let mut s = a[i * d + j];
            for p in 0..j {
                s -= l[i * d + p] * l[j * d + p];
            }
            if i == j {
                if !(s > 0.0 && s.is_finite()) {
                    return None;
                }
                l[i * d + i] = s.sqrt();
            } else {
                l[i * d + j] = s / l[j * d + j];
            }
        }
    }
    Some(l)
}

/// scikit-learn's `_compute_precision_cholesky`: `P_k = L_k^{-T}` (upper triangular) for full
/// covariances `Sigma_k = L_k L_k^T`, `1 / sqrt(sigma^2)` for diagonal ones.
fn precision_cholesky(cov: &[f64], covariance: CovarianceType, k: usize, d: usize) -> Result<Vec<f64>, GmmError> {
    match covariance {
        CovarianceType::Full => {
            let mut out = vec![0.0; k * d * d];
            for j in 0..k {
                let l = cholesky_lower(&cov[j * d * d..(j + 1) * d * d], d)
                    .ok_or(GmmError::IllDefinedCovariance { component: j })?;
                // Z = L^{-1} (lower triangular) by forward substitution; P = Z^T.
                let mut z = vec![0.0; d * d];
                for c in 0..d {
                    for r in c..d {
                        let mut s = if r == c { 1.0 } else { 0.0 };
                        for p in c..r {
                            s -= l[r * d + p] * z[p * d + c];
                        }
                        z[r * d + c] = s / l[r * d + r];
                    }
                }
                let pj = &mut out[j * d * d..(j + 1) * d * d];
                for r in 0..d {
                    for c in 0..d {
                        pj[r * d + c] = z[c * d + r];
                    }
                }
            }
            Ok(out)
        }
        CovarianceType::Diag => {
            if let Some(pos) = cov.iter().position(|&v| !(v > 0.0 && v.is_finite())) {
                return Err(GmmError::IllDefinedCovariance { component: pos / d });
            }
            Ok(cov.iter().map(|v| 1.0 / v.sqrt()).collect())
        }
    }
}

/// scikit-learn's `_compute_precision_cholesky_from_precisions`: the upper triangular `U` with
/// `U U^T = Lambda`, from the Cholesky factor of `Lambda` with rows and columns reversed;
/// `sqrt(lambda)` for diagonal precisions. Checks symmetry and positive definiteness.
fn precision_cholesky_from_precisions(
    prec: &[f64],
    covariance: CovarianceType,
    k: usize,
    d: usize,
) -> Result<Vec<f64>, GmmError> {
    let bad = |message: String| GmmError::BadInit {
        what: "precisions",
        message,
    };
    match covariance {
        CovarianceType::Full => {
            let mut out = vec![0.0; k * d * d];
            for j in 0..k {
                let p = &prec[j * d * d..(j + 1) * d * d];
                for a in 0..d {
                    for b in 0..d {
                        // numpy's isclose defaults, as scikit-learn's symmetry check.
                        let (x, y) = (p[a * d + b], p[b * d + a]);
                        if (x - y).abs() > 1e-8 + 1e-5 * y.abs() {
                            return Err(bad(format!("component {j} is not symmetric")));
                        }
                    }
                }
                let flipped: Vec<f64> = (0..d * d).map(|t| p[(d - 1 - t / d) * d + (d - 1 - t % d)]).collect();
                let l = cholesky_lower(&flipped, d)
                    .ok_or_else(|| bad(format!("component {j} is not positive definite")))?;
                let oj = &mut out[j * d * d..(j + 1) * d * d];
                for t in 0..d * d {
                    oj[t] = l[(d - 1 - t / d) * d + (d - 1 - t % d)];
                }
            }
            Ok(out)
        }
        CovarianceType::Diag => {
            if prec.iter().any(|&v| v <= 0.0) {
                return Err(bad("must be positive".into()));
            }
            Ok(prec.iter().map(|v| v.sqrt()).collect())
        }
    }
}

/// Per-thread buffers for scoring rows of a possibly strided view.
struct RowScratch {
    row: Vec<f64>,
    diff: Vec<f64>,
}

impl RowScratch {
    fn new(d: usize) -> Self {
        Self {
            row: vec![0.0; d],
            diff: vec![0.0; d],
        }
    }
}

/// What scoring a row needs: means, precision Cholesky factors, `ln det P_k` and `ln w_k`.
struct Components {
    k: usize,
    d: usize,
    covariance: CovarianceType,
    means: Vec<f64>,
    prec_chol: Vec<f64>,
    log_det: Vec<f64>,
    log_weights: Vec<f64>,
}

impl Components {
    fn new(mixture: &Mixture, covariance: CovarianceType, d: usize) -> Self {
        let k = mixture.weights.len();
        let per = covariance.per_component(d);
        let log_det = mixture
            .prec_chol
            .chunks_exact(per)
            .map(|p| match covariance {
                CovarianceType::Full => (0..d).map(|a| p[a * d + a].ln()).sum(),
                CovarianceType::Diag => p.iter().map(|v| v.ln()).sum(),
            })
            .collect();
        Self {
            k,
            d,
            covariance,
            means: mixture.means.clone(),
            prec_chol: mixture.prec_chol.clone(),
            log_det,
            log_weights: mixture.weights.iter().map(|w| w.ln()).collect(),
        }
    }

    /// `ln w_j + ln N(x | mu_j, Sigma_j)` for every component into `out` (scikit-learn's
    /// `_estimate_weighted_log_prob`); `diff` is scratch of length d.
    fn weighted_log_prob(&self, x: &[f64], out: &mut [f64], diff: &mut [f64]) {
        let d = self.d;
        let per = self.covariance.per_component(d);
        for (j, o) in out.iter_mut().enumerate() {
            diff.iter_mut()
                .zip(x.iter().zip(&self.means[j * d..(j + 1) * d]))
                .for_each(|(t, (v, m))| *t = v - m);
            let p = &self.prec_chol[j * per..(j + 1) * per];
            let mahalanobis: f64 = match self.covariance {
                CovarianceType::Full => (0..d)
                    .map(|c| {
                        let y: f64 = (0..=c).map(|a| diff[a] * p[a * d + c]).sum();
                        y * y
                    })
                    .sum(),
                CovarianceType::Diag => diff.iter().zip(p).map(|(t, s)| t * t * (s * s)).sum(),
            };
            *o = -0.5 * (d as f64 * LN_2PI + mahalanobis) + self.log_det[j] + self.log_weights[j];
        }
    }

    /// Weighted log-probabilities of row `i` of `x` into `out`; returns the row's
    /// log-likelihood (their log-sum-exp), an error when it is not finite.
    fn score_row(
        &self,
        x: ArrayView2<f64>,
        i: usize,
        scratch: &mut RowScratch,
        out: &mut [f64],
    ) -> Result<f64, GmmError> {
        scratch.row.iter_mut().zip(x.row(i)).for_each(|(r, v)| *r = *v);
        self.weighted_log_prob(&scratch.row, out, &mut scratch.diff);
        let norm = log_sum_exp(out);
        if norm.is_finite() {
            Ok(norm)
        } else {
            Err(GmmError::NonFiniteLikelihood { row: i })
        }
    }
}

/// `ln sum_j exp(v_j)` with the maximum factored out (scipy's `logsumexp`).
fn log_sum_exp(v: &[f64]) -> f64 {
    let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let shift = if max.is_finite() { max } else { 0.0 };
    v.iter().map(|a| (a - shift).exp()).sum::<f64>().ln() + shift
}

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
    covariance: CovarianceType,
    d: usize,
    mixture: Mixture,
    lower_bound: f64,
    n_iter: usize,
    converged: bool,
    best_init: usize,
    lower_bound_per_init: Vec<f64>,
    fitted_rows: usize,
    sampled: bool,
}

impl GaussianMixture {
    fn from_run(
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

    /// The scoring terms after checking that `x` has the model's columns and finite values.
    fn components_for(&self, x: ArrayView2<f64>) -> Result<Components, GmmError> {
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
    fn map_rows<T: Send>(
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

/// Index of the largest value, the first on ties (numpy's `argmax`).
fn argmax(v: &[f64]) -> usize {
    (1..v.len()).fold(0, |b, j| if v[j] > v[b] { j } else { b })
}

/// `--method gmm` through the clustering seam ([`super::method::Clusterer`]): EM on all rows
/// (or on a sample above `sample_max`), then every row assigned with its largest posterior
/// probability as its membership; the log-likelihood, BIC and AIC are over every row.
#[derive(Debug, Clone)]
pub struct GmmMethod {
    /// Full or diagonal covariances (`--gmm-covariance`).
    pub covariance: CovarianceType,
    /// EM restarts; the largest lower bound is kept (`--n-init`).
    pub n_init: usize,
    /// EM runs on a seeded sample of this many rows above it.
    pub sample_max: usize,
}

impl GmmMethod {
    fn params(&self, k: usize, seed: u64) -> GaussianMixtureParams {
        GaussianMixtureParams::new(k)
            .covariance_type(self.covariance)
            .n_init(self.n_init)
            .seed(seed)
            .sample_max(Some(self.sample_max))
    }
}

impl super::method::Predictor for GaussianMixture {
    /// The most probable component.
    fn predict(&self, x: ArrayView2<f64>) -> Result<Vec<usize>, super::method::MethodError> {
        GaussianMixture::predict(self, x).map_err(super::method::MethodError::other)
    }

    /// The largest posterior probability.
    fn membership(&self, x: ArrayView2<f64>) -> Option<Result<Vec<f64>, super::method::MethodError>> {
        Some(
            self.assign(x)
                .map(|a| a.max_probability)
                .map_err(super::method::MethodError::other),
        )
    }
}

impl super::method::Clusterer for GmmMethod {
    fn name(&self) -> &str {
        "gmm"
    }

    fn fit(
        &self,
        x: ArrayView2<f64>,
        k: usize,
        seed: u64,
    ) -> Result<super::method::ClusterFit, super::method::MethodError> {
        use super::method::{ClusterFit, MethodError};
        let model = self.params(k, seed).fit(x).map_err(MethodError::other)?;
        let all = model.assign(x).map_err(MethodError::other)?;
        let n = x.nrows();
        let score = all.mean_log_likelihood();
        let scale_note = model.sampled().then(|| {
            format!(
                "gmm: EM ran on a random sample of {} of the {n} cells (above {}), then every cell was \
                 assigned; log-likelihood, BIC and AIC are over all cells",
                model.fitted_rows(),
                self.sample_max
            )
        });
        let mut notes = Vec::new();
        if !model.converged() {
            notes.push(format!(
                "gmm: EM did not converge within {} iterations (k = {k}); the result is the last iterate",
                model.n_iter()
            ));
        }
        Ok(ClusterFit {
            labels: all.labels,
            centres: Some(model.means()),
            diagnostics: vec![
                ("log_likelihood".into(), score * n as f64),
                ("log_likelihood_per_cell".into(), score),
                ("bic".into(), model.bic_from_score(score, n)),
                ("aic".into(), model.aic_from_score(score, n)),
                ("n_parameters".into(), model.n_parameters() as f64),
                ("n_iter".into(), model.n_iter() as f64),
                ("converged".into(), if model.converged() { 1.0 } else { 0.0 }),
                ("fitted_cells".into(), model.fitted_rows() as f64),
            ],
            membership: Some(all.max_probability),
            scale_note,
            notes,
            model: Some(std::sync::Arc::new(model)),
            ..ClusterFit::default()
        })
    }

    fn extra_bytes_per_row(&self, m: usize, k: usize) -> u64 {
        // The responsibilities (k per fitted row) and the per-row outputs of the assignment
        // (label, membership, log-likelihood); the fit's own copy is bounded by the sample.
        let _ = m;
        8 * k as u64 + 24
    }
}

#[cfg(test)]
#[path = "gmm_tests.rs"]
mod tests;
