//! The gap statistic (Tibshirani, Walther & Hastie 2001, "Estimating the number of clusters in
//! a data set via the gap statistic", J. R. Statist. Soc. B 63(2), 411-423) for choosing k.
//!
//! With `W_k` the pooled within-cluster sum of squares of the K-Means fit with k clusters (the
//! inertia, `sum_r (1 / 2 n_r) D_r` in the paper's notation) and `W*_kb` the same on reference
//! set `b = 1..B` drawn uniformly in the box aligned with the principal axes of the data (the
//! paper's reference (b): centre the data, rotate by `V` of the SVD `X = U D V^T`, draw uniformly
//! over the range of each rotated column, rotate back by `V^T` and add the mean back):
//!
//! ```text
//! Gap(k) = (1/B) sum_b log W*_kb - log W_k
//! sd_k   = sqrt((1/B) sum_b (log W*_kb - lbar_k)^2)        (lbar_k the mean above, 1/B as in the paper)
//! s_k    = sd_k sqrt(1 + 1/B)
//! k^     = smallest k with Gap(k) >= Gap(k+1) - s_{k+1}     (the paper's "first SE max" rule)
//! ```
//!
//! With a weight per row ([`GapParams::fit_weighted`], `--weights area`) `W_k` is the weighted
//! within-cluster sum of squares `sum_i w_i ||x_i - c_{l(i)}||^2` of the weighted K-Means
//! ([`super::kmeans::elbow_weighted`]), and reference point `i` of every set carries the
//! weight `w_i` of data row `i`, so data and references have the same total weight and the same
//! spread of weights. The box is the same as without weights: its extent is that of the rows
//! and its axes those of their (unweighted) principal axes, so a reference set is a uniform
//! cover of where the cells lie. All weights 1 give the unweighted result to the bit.
//!
//! K-Means per k is [`super::kmeans::elbow`] (k-means++ restarts plus a warm restart from the
//! k-1 solution, so `W_k` is non-increasing in k). Reference set `b` draws from ChaCha8 stream
//! `b` of the seed, and the sets are clustered one after the other, so the result is the same
//! bits for any number of threads.

use super::ClusterError;
use super::kmeans::{self, KMeansParams};
use ndarray::{Array2, ArrayView1, ArrayView2, Axis};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Default number of reference sets `B` (Tibshirani et al. used B = 10 in their simulations
/// and note that more rarely changes the estimate).
pub const DEFAULT_REFERENCES: usize = 10;

/// Parameters of [`GapStatistic`]: k = 1..=`k_max`, `B` reference sets, K-Means restarts, seed.
#[derive(Debug, Clone, PartialEq)]
pub struct GapParams {
    k_max: usize,
    n_refs: usize,
    n_init: usize,
    seed: u64,
}

impl GapParams {
    /// k = 1..=`k_max` with B = [`DEFAULT_REFERENCES`], 10 K-Means restarts, seed 42.
    pub fn new(k_max: usize) -> Self {
        GapParams {
            k_max,
            n_refs: DEFAULT_REFERENCES,
            n_init: 10,
            seed: 42,
        }
    }
    /// Number of uniform reference sets `B`.
    pub fn n_refs(mut self, n_refs: usize) -> Self {
        self.n_refs = n_refs;
        self
    }
    /// K-Means restarts per k (data and references alike).
    pub fn n_init(mut self, n_init: usize) -> Self {
        self.n_init = n_init;
        self
    }
    /// Seed of the reference draws and of K-Means.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Checks the options that do not depend on the data (k_max >= 2, B >= 1, n_init >= 1).
    pub fn build(self) -> Result<Self, ClusterError> {
        if self.k_max < 2 {
            return Err(ClusterError::Invalid(format!(
                "gap statistic: k_max = {} must be at least 2",
                self.k_max
            )));
        }
        if self.n_refs == 0 {
            return Err(ClusterError::Invalid("gap statistic: B = 0 reference sets".into()));
        }
        KMeansParams::new(1).n_init(self.n_init).build()?;
        Ok(self)
    }

    /// The gap statistic of `x` (n x d) with `B` reference sets drawn by [`reference_sets`].
    pub fn fit(&self, x: ArrayView2<f64>) -> Result<GapStatistic, ClusterError> {
        self.fit_weighted(x, None)
    }

    /// [`GapParams::fit`] with a weight per row (see the module docs); `None` is
    /// [`GapParams::fit`].
    pub fn fit_weighted(
        &self,
        x: ArrayView2<f64>,
        weights: Option<ArrayView1<f64>>,
    ) -> Result<GapStatistic, ClusterError> {
        let params = self.clone().build()?;
        let refs = reference_sets(x, params.n_refs, params.seed)?;
        params.fit_with_references_weighted(x, weights, &refs)
    }

    /// The gap statistic of `x` against given reference sets (their number overrides `B`); for
    /// tests that share the reference draws with another implementation.
    pub fn fit_with_references(&self, x: ArrayView2<f64>, refs: &[Array2<f64>]) -> Result<GapStatistic, ClusterError> {
        self.fit_with_references_weighted(x, None, refs)
    }

    /// [`GapParams::fit_with_references`] with a weight per row of `x`, carried by the row of
    /// the same index in every reference set.
    pub fn fit_with_references_weighted(
        &self,
        x: ArrayView2<f64>,
        weights: Option<ArrayView1<f64>>,
        refs: &[Array2<f64>],
    ) -> Result<GapStatistic, ClusterError> {
        let params = self.clone().build()?;
        if let Some(w) = weights {
            kmeans::check_weights(w, x.nrows())?;
        }
        let weights = kmeans::drop_unit_weights(weights);
        if refs.is_empty() {
            return Err(ClusterError::Invalid("gap statistic: no reference set".into()));
        }
        for r in refs {
            if r.ncols() != x.ncols() {
                return Err(ClusterError::DimensionMismatch {
                    expected: x.ncols(),
                    got: r.ncols(),
                });
            }
            if weights.is_some() && r.nrows() != x.nrows() {
                return Err(ClusterError::LengthMismatch {
                    what: "weighted gap statistic: reference rows and data rows",
                    left: r.nrows(),
                    right: x.nrows(),
                });
            }
        }
        let k_max = params.k_max;
        let km = KMeansParams::new(1).n_init(params.n_init).seed(params.seed);
        let log_w = log_wcss(x, weights, k_max, &km)?;
        let ref_logs = refs
            .iter()
            .map(|r| log_wcss(r.view(), weights, k_max, &km))
            .collect::<Result<Vec<_>, _>>()?;
        let b = refs.len() as f64;
        let mut log_w_ref = Vec::with_capacity(k_max);
        let mut gap = Vec::with_capacity(k_max);
        let mut s_k = Vec::with_capacity(k_max);
        for (i, lw) in log_w.iter().enumerate() {
            let mean = ref_logs.iter().map(|l| l[i]).sum::<f64>() / b;
            let var = ref_logs.iter().map(|l| (l[i] - mean).powi(2)).sum::<f64>() / b;
            log_w_ref.push(mean);
            gap.push(mean - lw);
            s_k.push(var.sqrt() * (1.0 + 1.0 / b).sqrt());
        }
        let k = first_se_max(&gap, &s_k).map(|i| i + 1);
        Ok(GapStatistic {
            ks: (1..=k_max).collect(),
            log_w,
            log_w_ref,
            gap,
            s_k,
            n_refs: refs.len(),
            k,
        })
    }
}

/// The gap statistic for k = 1..=k_max and the chosen k.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GapStatistic {
    pub ks: Vec<usize>,
    /// `log W_k` of the data.
    pub log_w: Vec<f64>,
    /// `(1/B) sum_b log W*_kb` of the reference sets.
    pub log_w_ref: Vec<f64>,
    /// `Gap(k)`.
    pub gap: Vec<f64>,
    /// `s_k = sd_k sqrt(1 + 1/B)`.
    pub s_k: Vec<f64>,
    /// Number of reference sets `B`.
    pub n_refs: usize,
    /// The smallest k with `Gap(k) >= Gap(k+1) - s_{k+1}`; `None` when no k < k_max qualifies.
    pub k: Option<usize>,
}

/// Index `i` of the first entry with `gap[i] >= gap[i+1] - s[i+1]` (the "first SE max" rule).
pub fn first_se_max(gap: &[f64], s: &[f64]) -> Option<usize> {
    (0..gap.len().saturating_sub(1)).find(|&i| gap[i] >= gap[i + 1] - s[i + 1])
}

fn log_wcss(
    x: ArrayView2<f64>,
    weights: Option<ArrayView1<f64>>,
    k_max: usize,
    params: &KMeansParams,
) -> Result<Vec<f64>, ClusterError> {
    let e = kmeans::elbow_weighted(x, weights, k_max, params)?;
    // A zero WCSS (k points at k distinct places) has log -inf; floor it at the smallest normal.
    Ok(e.wcss.iter().map(|w| w.max(f64::MIN_POSITIVE).ln()).collect())
}

/// `B` sets of n points drawn uniformly in the principal-axes box of `x` (n x d): reference
/// (b) of Tibshirani et al. 2001. Set `b` uses ChaCha8 stream `b` of `seed`.
pub fn reference_sets(x: ArrayView2<f64>, b: usize, seed: u64) -> Result<Vec<Array2<f64>>, ClusterError> {
    let (n, d) = x.dim();
    if n == 0 || d == 0 {
        return Err(ClusterError::EmptyData);
    }
    if let Some(pos) = x.iter().position(|v| !v.is_finite()) {
        return Err(ClusterError::NonFinite {
            row: pos / d,
            column: pos % d,
        });
    }
    let mean = x.mean_axis(Axis(0)).ok_or(ClusterError::EmptyData)?;
    let centered = &x - &mean;
    // V: eigenvectors of the scatter matrix X^T X (the right singular vectors of X).
    let scatter = centered.t().dot(&centered);
    let m = nalgebra::DMatrix::from_fn(d, d, |i, j| scatter[[i, j]]);
    let eig = nalgebra::SymmetricEigen::new(m);
    let v = Array2::from_shape_fn((d, d), |(i, j)| eig.eigenvectors[(i, j)]);
    let rotated = centered.dot(&v);
    let lo: Vec<f64> = rotated
        .columns()
        .into_iter()
        .map(|c| c.fold(f64::INFINITY, |a, &b| a.min(b)))
        .collect();
    let hi: Vec<f64> = rotated
        .columns()
        .into_iter()
        .map(|c| c.fold(f64::NEG_INFINITY, |a, &b| a.max(b)))
        .collect();
    let sets = (0..b)
        .map(|s| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(s as u64);
            let z = Array2::from_shape_fn((n, d), |(_, j)| lo[j] + (hi[j] - lo[j]) * rng.random::<f64>());
            z.dot(&v.t()) + &mean
        })
        .collect();
    Ok(sets)
}

#[cfg(test)]
#[path = "gap_tests.rs"]
mod tests;
