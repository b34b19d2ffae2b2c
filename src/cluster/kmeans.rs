//! K-Means (Lloyd 1982) with k-means++ seeding (Arthur & Vassilvitskii 2007), study section 2.3.
//!
//! Minimizes the within-cluster sum of squares (WCSS, "inertia")
//! `J = sum_i ||x_i - c_{l(i)}||^2`. Semantics follow scikit-learn's `KMeans(algorithm="lloyd")`:
//! greedy k-means++ with `2 + floor(ln k)` local trials, tolerance relative to the data
//! (`tol * mean_j var(x_j)`), stop when `sum_j ||c_j^new - c_j||^2 <= tol` or when no label
//! changes, a final assignment step after a tolerance stop, empty clusters moved to the points
//! farthest from their centres, and the best inertia kept over `n_init` restarts.
//!
//! Speed: the assignment step uses Hamerly's bounds (Hamerly 2010, "Making k-means even faster"):
//! one upper bound to the own centre and one lower bound to all others skip most distance
//! computations. Bounds are rounded outwards and a point is skipped only on a strict margin, so
//! the labels are the ones plain Lloyd would give. Points are processed in fixed chunks whose
//! partial sums are combined in chunk order, and restart `r` draws from ChaCha8 stream `r` of the
//! seed, so the result is bit-identical for any number of threads.
//!
//! Scale: above [`RestartSampling::above`] rows (one million by default) the `n_init` restarts
//! run to convergence on a uniform sample of the rows and only the best few are refined by
//! exact Lloyd on all rows ([`RestartSampling`], module `sampled`); below it, and with
//! [`KMeansParams::restart_sampling`]`(None)`, every restart runs on all rows as above.

use ndarray::{Array2, ArrayView1, ArrayView2};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::ClusterError;
use crate::features::{column_means, scatter_matrix};
use crate::par::{CHUNK_ROWS, map_chunks};
use kernels::CentresByDim;

// First among the submodules, so that its `by_columns!` is in scope below.
#[macro_use]
#[path = "kmeans_kernels.rs"]
mod kernels;

/// Relative outward rounding of the Hamerly bounds; far above the f64 rounding of a distance.
const BOUND_SLACK: f64 = 1e-12;

/// How the restarts of a large fit are made cheap: the `n_init` k-means++ restarts run to
/// convergence on a uniform sample of `rows` rows (drawn without replacement from its own
/// random stream), the `refine` restarts of lowest sample inertia are then run by exact Lloyd
/// (Hamerly-accelerated, f64) on all rows from their sample centres, and the lowest full-data
/// inertia is kept. Applies only when the data have more than `above` rows.
///
/// Why: the cost of exact K-Means is `n_init` full k-means++ seedings and Lloyd runs over all
/// rows. The restarts only choose a basin; comparing them on a sample of a few hundred
/// thousand rows ranks them as the full data would up to sampling noise (the sample is the
/// same for every restart, so the comparison is paired), and the refinement of the best ones
/// on all rows (a warm start, as Sculley 2010 suggests for mini-batch centres) gives the
/// full-data local minimum of that basin. Labels and inertia are always the exact f64 ones of
/// the final centres. Below `above` rows nothing changes: every restart runs on all rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RestartSampling {
    /// Sample only when the data have more rows than this.
    pub above: usize,
    /// Rows in the sample (all rows when there are fewer).
    pub rows: usize,
    /// How many of the best sample restarts are refined on all rows.
    pub refine: usize,
}

impl Default for RestartSampling {
    /// One million rows and above, a 250,000-row sample and the best 2 restarts refined: the
    /// sample holds tens of thousands of rows per cluster at the study's k, and below one
    /// million rows exact restarts cost little.
    fn default() -> Self {
        Self {
            above: 1_000_000,
            rows: 250_000,
            refine: 2,
        }
    }
}

/// The default [`RestartSampling`] applied above `above` rows (`usize::MAX`: never, the exact
/// path at every size).
pub fn restart_sampling_above(above: usize) -> Option<RestartSampling> {
    (above < usize::MAX).then(|| RestartSampling {
        above,
        ..RestartSampling::default()
    })
}

/// Parameters of [`KMeans`]; defaults are scikit-learn's (`n_init = 10`, `max_iter = 300`,
/// `tol = 1e-4`) with `seed = 42` (the study's `random_state`) and the default
/// [`RestartSampling`] above one million rows.
#[derive(Debug, Clone, PartialEq)]
pub struct KMeansParams {
    k: usize,
    n_init: usize,
    max_iter: usize,
    tol: f64,
    seed: u64,
    sampling: Option<RestartSampling>,
}

impl KMeansParams {
    /// `k` clusters with default options.
    pub fn new(k: usize) -> Self {
        Self {
            k,
            n_init: 10,
            max_iter: 300,
            tol: 1e-4,
            seed: 42,
            sampling: Some(RestartSampling::default()),
        }
    }
    /// Restarts on a sample for large data ([`RestartSampling`]); `None` runs every restart on
    /// all rows at any size (the exact path).
    pub fn restart_sampling(mut self, sampling: Option<RestartSampling>) -> Self {
        self.sampling = sampling;
        self
    }
    /// The restart sampling that applies to `n` rows, if any.
    pub fn sampling_for(&self, n: usize) -> Option<RestartSampling> {
        self.sampling.filter(|s| n > s.above && s.rows < n)
    }
    /// Number of k-means++ restarts; the one with the lowest inertia is kept.
    pub fn n_init(mut self, n_init: usize) -> Self {
        self.n_init = n_init;
        self
    }
    /// Maximum Lloyd iterations per restart.
    pub fn max_iter(mut self, max_iter: usize) -> Self {
        self.max_iter = max_iter;
        self
    }
    /// Relative tolerance on the squared centre shift (times the mean per-variable variance).
    pub fn tol(mut self, tol: f64) -> Self {
        self.tol = tol;
        self
    }
    /// Seed of the random streams.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// Same options with another `k`.
    pub fn with_k(&self, k: usize) -> Self {
        Self { k, ..self.clone() }
    }
    /// Number of clusters.
    pub fn k(&self) -> usize {
        self.k
    }

    /// Bytes a fit on `n` rows of `d` columns may hold at its peak: the centred copy of the data
    /// (`8 d` per row) and, for every restart (all may be in flight at once under rayon's work
    /// stealing), its Hamerly state (label and two bounds, 24), the labels it returns (8) and
    /// k-means++'s distances and running sums (16). With [`RestartSampling`] the restarts hold
    /// this per sample row (plus the sample's copy) and only the refined ones per row.
    pub fn working_bytes(&self, n: usize, d: usize) -> u64 {
        let per_restart = 24 + 8 + 16;
        match self.sampling_for(n) {
            None => n as u64 * (8 * d as u64 + per_restart * self.n_init as u64),
            Some(s) => {
                let sample = s.rows as u64 * (8 * d as u64 + 8 + per_restart * self.n_init as u64);
                let refined = (s.refine.min(self.n_init) as u64) * (24 + 8);
                n as u64 * (8 * d as u64 + refined) + sample
            }
        }
    }

    /// Checks the options that do not depend on the data.
    pub fn build(self) -> Result<Self, ClusterError> {
        check_options(self.k, self.n_init, self.max_iter, self.tol)?;
        if let Some(s) = self.sampling {
            let bad = |option, value: String, message| ClusterError::BadKMeansOption { option, value, message };
            if s.rows < self.k {
                return Err(bad("sample rows", s.rows.to_string(), "must be at least k"));
            }
            if s.refine == 0 {
                return Err(bad("refined restarts", "0".into(), "must be at least 1"));
            }
        }
        Ok(self)
    }

    /// Fits K-Means on `x` (n x d).
    pub fn fit(&self, x: ArrayView2<f64>) -> Result<KMeans, ClusterError> {
        self.fit_weighted(x, None)
    }

    /// Fits K-Means on `x` (n x d) with a weight per row, as scikit-learn's `sample_weight`:
    /// k-means++ draws with probability `w_i D(x_i)^2` (the first centre with probability
    /// `w_i`) and scores candidates by `sum_i w_i min(D(x_i)^2, d(x_i, c)^2)`, centres are
    /// weighted means `sum w x / sum w`, and the inertia is `sum_i w_i ||x_i - c_{l(i)}||^2`.
    /// The tolerance is scaled by the unweighted variance, as scikit-learn's. `None` is
    /// [`KMeansParams::fit`].
    pub fn fit_weighted(&self, x: ArrayView2<f64>, weights: Option<ArrayView1<f64>>) -> Result<KMeans, ClusterError> {
        let params = self.clone().build()?;
        let data = Data::new(x)?.with_weights(weights)?;
        if params.k > data.n {
            return Err(ClusterError::TooManyClusters {
                k: params.k,
                points: data.n,
            });
        }
        Ok(match params.sampling_for(data.n) {
            Some(sampling) => {
                let sample = sampled::sample_rows(&data, sampling.rows, params.seed);
                sampled::fit_sampled(&data, &sample, &params, sampling, &[], None)
            }
            None => fit_runs(&data, &params, &[], None),
        })
    }
}

impl KMeansParams {
    /// One Lloyd run from the given centres (`k x d`, scikit-learn's `init=<array>, n_init=1`),
    /// with a weight per row when given (see [`KMeansParams::fit_weighted`]).
    pub fn fit_from(
        &self,
        x: ArrayView2<f64>,
        weights: Option<ArrayView1<f64>>,
        init: ArrayView2<f64>,
    ) -> Result<KMeans, ClusterError> {
        let params = self.clone().build()?;
        let data = Data::new(x)?.with_weights(weights)?;
        if init.ncols() != data.d {
            return Err(ClusterError::DimensionMismatch {
                expected: data.d,
                got: init.ncols(),
            });
        }
        if init.nrows() != params.k {
            return Err(ClusterError::LengthMismatch {
                what: "initial centres and k",
                left: init.nrows(),
                right: params.k,
            });
        }
        let centred: Vec<f64> = init
            .rows()
            .into_iter()
            .flat_map(|r| r.iter().zip(&data.mean).map(|(v, m)| v - m).collect::<Vec<_>>())
            .collect();
        let run = lloyd(&data, centred, params.max_iter, params.tol * data.mean_variance);
        let inertia = vec![run.inertia];
        Ok(into_model(&data, run, inertia, 0, KMeansAlgorithm::Lloyd))
    }
}

/// The options every K-Means variant shares: `k >= 1`, `n_init >= 1`, `max_iter >= 1`, finite
/// `tol >= 0` (also used by `MiniBatchKMeansParams::build`).
pub(crate) fn check_options(k: usize, n_init: usize, max_iter: usize, tol: f64) -> Result<(), ClusterError> {
    if k == 0 {
        return Err(ClusterError::ZeroClusters);
    }
    let bad = |option, value: String, message| ClusterError::BadKMeansOption { option, value, message };
    if n_init == 0 {
        return Err(bad("n_init", "0".into(), "must be at least 1"));
    }
    if max_iter == 0 {
        return Err(bad("max_iter", "0".into(), "must be at least 1"));
    }
    if !(tol.is_finite() && tol >= 0.0) {
        return Err(bad("tol", tol.to_string(), "must be finite and >= 0"));
    }
    Ok(())
}

/// A fitted K-Means with its diagnostics.
#[derive(Debug, Clone, PartialEq)]
pub struct KMeans {
    /// Cluster centres (k x d), in the units of the input.
    pub centers: Array2<f64>,
    /// Cluster of each input point.
    pub labels: Vec<usize>,
    /// WCSS `sum_i ||x_i - c_{l(i)}||^2` of the kept restart.
    pub inertia: f64,
    /// Lloyd iterations of the kept restart (scikit-learn's `n_iter_`); mini-batch steps for
    /// [`KMeansAlgorithm::MiniBatch`].
    pub n_iter: usize,
    /// Whether the kept restart stopped by tolerance or stable labels before `max_iter`.
    pub converged: bool,
    /// Number of restarts run.
    pub n_init_run: usize,
    /// Final inertia of every restart, in restart order.
    pub inertia_per_init: Vec<f64>,
    /// Index of the kept restart.
    pub best_init: usize,
    /// Algorithm that fitted the centres.
    pub algorithm: KMeansAlgorithm,
}

/// Which algorithm produced a [`KMeans`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KMeansAlgorithm {
    /// Exact Lloyd iterations over all points ([`KMeansParams::fit`]).
    #[default]
    Lloyd,
    /// Mini-batch updates, then full-data Lloyd steps and assignment
    /// (`MiniBatchKMeansParams::fit`); `n_iter` counts mini-batch steps.
    MiniBatch,
    /// Restarts on a sample of `sample_rows` rows, the best refined by exact Lloyd on all
    /// rows ([`RestartSampling`]); `inertia_per_init` holds the sample inertias, `n_iter` the
    /// full-data iterations of the kept one.
    SampledRestarts { sample_rows: usize },
}

impl KMeans {
    /// Number of clusters.
    pub fn k(&self) -> usize {
        self.centers.nrows()
    }

    /// Nearest centre of each row of `x` (lowest index on ties).
    pub fn predict(&self, x: ArrayView2<f64>) -> Result<Vec<usize>, ClusterError> {
        let d = self.centers.ncols();
        if x.ncols() != d {
            return Err(ClusterError::DimensionMismatch {
                expected: d,
                got: x.ncols(),
            });
        }
        let centers: Vec<f64> = self.centers.iter().copied().collect();
        let parts = map_chunks(x.nrows(), CHUNK_ROWS, |start, end| {
            let mut row = vec![0.0; d];
            (start..end)
                .map(|i| {
                    row.iter_mut().zip(x.row(i)).for_each(|(r, v)| *r = *v);
                    nearest(&row, &centers, d).0
                })
                .collect::<Vec<_>>()
        });
        Ok(parts.concat())
    }
}

/// The input, centred (as scikit-learn does, for accuracy) and stored row-major.
pub(super) struct Data {
    pub(super) x: Vec<f64>,
    pub(super) mean: Vec<f64>,
    pub(super) n: usize,
    pub(super) d: usize,
    /// Mean of the per-variable population variances (scales `tol`).
    pub(super) mean_variance: f64,
    /// Weight of each row (`None`: every row counts once, and the unweighted code runs).
    pub(super) w: Option<Vec<f64>>,
}

impl Data {
    pub(super) fn new(x: ArrayView2<f64>) -> Result<Self, ClusterError> {
        let (n, d) = x.dim();
        if n == 0 || d == 0 {
            return Err(ClusterError::EmptyData);
        }
        let first_bad = map_chunks(n, CHUNK_ROWS, |a, b| {
            (a..b).find_map(|i| (0..d).find(|&j| !x[[i, j]].is_finite()).map(|j| (i, j)))
        });
        if let Some((row, column)) = first_bad.into_iter().flatten().next() {
            return Err(ClusterError::NonFinite { row, column });
        }
        let mean = column_means(x);
        let scatter = scatter_matrix(x, mean.view());
        let mean_variance = scatter.diag().sum() / (n * d) as f64;
        let mut flat = vec![0.0; n * d];
        flat.par_chunks_mut(CHUNK_ROWS * d).enumerate().for_each(|(c, out)| {
            for (r, row) in out.chunks_exact_mut(d).enumerate() {
                let i = c * CHUNK_ROWS + r;
                for (j, v) in row.iter_mut().enumerate() {
                    *v = x[[i, j]] - mean[j];
                }
            }
        });
        Ok(Self {
            x: flat,
            mean: mean.to_vec(),
            n,
            d,
            mean_variance,
            w: None,
        })
    }

    /// The same data with a weight per row (checked: one per row, finite and > 0).
    pub(super) fn with_weights(mut self, weights: Option<ArrayView1<f64>>) -> Result<Self, ClusterError> {
        if let Some(w) = weights {
            check_weights(w, self.n)?;
            self.w = Some(w.to_vec());
        }
        Ok(self)
    }

    pub(super) fn row(&self, i: usize) -> &[f64] {
        &self.x[i * self.d..(i + 1) * self.d]
    }
}

/// `weights` unless every one is exactly 1: unit weights are the unweighted fit, and taking
/// the unweighted code for them keeps its bits (the weighted k-means++ draws its first centre
/// by weight, from another use of the random stream).
pub(crate) fn drop_unit_weights(weights: Option<ArrayView1<f64>>) -> Option<ArrayView1<f64>> {
    weights.filter(|w| w.iter().any(|&v| v != 1.0))
}

/// One weight per row, each finite and > 0.
pub(crate) fn check_weights(w: ArrayView1<f64>, rows: usize) -> Result<(), ClusterError> {
    if w.len() != rows {
        return Err(ClusterError::LengthMismatch {
            what: "weights and rows",
            left: w.len(),
            right: rows,
        });
    }
    match w.iter().enumerate().find(|(_, v)| !(v.is_finite() && **v > 0.0)) {
        Some((row, v)) => Err(ClusterError::Invalid(format!(
            "weight of row {row} is {v}: weights must be finite and > 0"
        ))),
        None => Ok(()),
    }
}

#[inline]
pub(super) fn dist2(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(p, q)| (p - q) * (p - q)).sum()
}

/// (index, squared distance) of the nearest centre; the first one on ties, as `argmin`.
pub(super) fn nearest(x: &[f64], centers: &[f64], d: usize) -> (usize, f64) {
    let mut best = (0, f64::INFINITY);
    for (j, c) in centers.chunks_exact(d).enumerate() {
        let dd = dist2(x, c);
        if dd < best.1 {
            best = (j, dd);
        }
    }
    best
}

/// Chunked parallel sum of `f(i)` over all points (deterministic order).
fn chunked_sum(n: usize, f: impl Fn(usize) -> f64 + Sync + Send) -> f64 {
    map_chunks(n, CHUNK_ROWS, |a, b| (a..b).map(&f).sum::<f64>())
        .iter()
        .sum()
}

/// Per-point Hamerly state: label, upper bound to its centre, lower bound to the others.
#[derive(Clone, Copy)]
struct PointState {
    label: usize,
    upper: f64,
    lower: f64,
}

/// Centre movements of the last update, applied lazily to the bounds.
struct Shifts {
    shift: Vec<f64>,
    largest: (usize, f64),
    second: f64,
}

impl Shifts {
    fn new(shift: Vec<f64>) -> Self {
        let mut largest = (0, 0.0);
        let mut second = 0.0;
        for (j, &s) in shift.iter().enumerate() {
            if s > largest.1 {
                second = largest.1;
                largest = (j, s);
            } else if s > second {
                second = s;
            }
        }
        Self { shift, largest, second }
    }
    /// Largest move among the centres other than `label`.
    fn others(&self, label: usize) -> f64 {
        if label == self.largest.0 {
            self.second
        } else {
            self.largest.1
        }
    }
}

/// Sums and counts of one chunk after its assignment step; with weights, `sums` are weighted
/// and `weight` holds each cluster's total weight.
struct Partial {
    sums: Vec<f64>,
    counts: Vec<usize>,
    weight: Vec<f64>,
    changed: usize,
}

/// Half the distance from each centre to its nearest other centre, rounded down.
fn half_separation(centers: &[f64], k: usize, d: usize) -> Vec<f64> {
    (0..k)
        .map(|a| {
            let ca = &centers[a * d..(a + 1) * d];
            let closest = (0..k)
                .filter(|&b| b != a)
                .map(|b| dist2(ca, &centers[b * d..(b + 1) * d]))
                .fold(f64::INFINITY, f64::min);
            if closest.is_finite() {
                0.5 * closest.sqrt() * (1.0 - BOUND_SLACK)
            } else {
                f64::INFINITY
            }
        })
        .collect()
}

/// Assignment of one chunk with Hamerly's test (or a full scan when `full`), then its sums.
///
/// Compiled for the baseline CPU and with AVX2 (chosen at run time), which widens the distance
/// kernel's vectors, and for each number of columns up to 8, whose loops then unroll. All give
/// the same bits: the operations and their order are those of the source (no fused
/// multiply-add is enabled), only the vector width and the loop shape differ.
#[allow(clippy::too_many_arguments)]
fn assign_chunk(
    data: &Data,
    start: usize,
    states: &mut [PointState],
    centers: &[f64],
    by_dim: &CentresByDim,
    half_sep: &[f64],
    shifts: Option<&Shifts>,
    full: bool,
) -> Partial {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, detected just above.
        return unsafe { assign_chunk_avx2(data, start, states, centers, by_dim, half_sep, shifts, full) };
    }
    by_columns!(
        data.d,
        assign_chunk_body(data, start, states, centers, by_dim, half_sep, shifts, full)
    )
}

/// [`assign_chunk_body`] compiled with AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[allow(clippy::too_many_arguments)]
unsafe fn assign_chunk_avx2(
    data: &Data,
    start: usize,
    states: &mut [PointState],
    centers: &[f64],
    by_dim: &CentresByDim,
    half_sep: &[f64],
    shifts: Option<&Shifts>,
    full: bool,
) -> Partial {
    by_columns!(
        data.d,
        assign_chunk_body(data, start, states, centers, by_dim, half_sep, shifts, full)
    )
}

/// The body of [`assign_chunk`] for `D` columns (`D = 0`: `data.d` columns).
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn assign_chunk_body<const D: usize>(
    data: &Data,
    start: usize,
    states: &mut [PointState],
    centers: &[f64],
    by_dim: &CentresByDim,
    half_sep: &[f64],
    shifts: Option<&Shifts>,
    full: bool,
) -> Partial {
    let (k, d) = (half_sep.len(), if D > 0 { D } else { data.d });
    let mut dists = vec![0.0; by_dim.padded()];
    let mut part = Partial {
        sums: vec![0.0; k * d],
        counts: vec![0; k],
        weight: vec![0.0; k],
        changed: 0,
    };
    for (offset, st) in states.iter_mut().enumerate() {
        let x = &data.x[(start + offset) * d..][..d];
        if let Some(s) = shifts {
            st.upper = (st.upper + s.shift[st.label]) * (1.0 + BOUND_SLACK);
            st.lower -= s.others(st.label) * (1.0 + BOUND_SLACK);
        }
        let old = st.label;
        let mut settled = false;
        if !full {
            let bound = half_sep[old].max(st.lower);
            if st.upper < bound {
                settled = true;
            } else {
                st.upper = dist2(x, &centers[old * d..(old + 1) * d]).sqrt() * (1.0 + BOUND_SLACK);
                settled = st.upper < bound;
            }
        }
        if !settled {
            scan_all::<D>(x, by_dim, &mut dists, st);
            if st.label != old {
                part.changed += 1;
            }
        }
        let l = st.label;
        part.counts[l] += 1;
        match &data.w {
            None => part.sums[l * d..(l + 1) * d]
                .iter_mut()
                .zip(x)
                .for_each(|(s, v)| *s += v),
            Some(w) => {
                let wi = w[start + offset];
                part.weight[l] += wi;
                part.sums[l * d..(l + 1) * d]
                    .iter_mut()
                    .zip(x)
                    .for_each(|(s, v)| *s += wi * v);
            }
        }
    }
    part
}

/// Exact nearest centre (first on ties, as Lloyd) and fresh bounds; `dists` is scratch of
/// at least `centers.padded()` values.
#[inline(always)]
fn scan_all<const D: usize>(x: &[f64], centers: &CentresByDim, dists: &mut [f64], st: &mut PointState) {
    centers.distances_fixed::<D>(x, dists);
    let (mut best, mut second, mut label) = (f64::INFINITY, f64::INFINITY, 0);
    for (j, &dd) in dists[..centers.k()].iter().enumerate() {
        if dd < best {
            second = best;
            best = dd;
            label = j;
        } else if dd < second {
            second = dd;
        }
    }
    st.label = label;
    st.upper = best.sqrt() * (1.0 + BOUND_SLACK);
    st.lower = if second.is_finite() {
        second.sqrt() * (1.0 - BOUND_SLACK)
    } else {
        f64::INFINITY
    };
}

/// One assignment pass over all points; partial sums combined in chunk order.
fn assign_all(data: &Data, states: &mut [PointState], centers: &[f64], shifts: Option<&Shifts>, full: bool) -> Partial {
    let k = centers.len() / data.d;
    let half_sep = half_separation(centers, k, data.d);
    let by_dim = CentresByDim::new(centers, data.d);
    let parts: Vec<Partial> = states
        .par_chunks_mut(CHUNK_ROWS)
        .enumerate()
        .map(|(c, chunk)| assign_chunk(data, c * CHUNK_ROWS, chunk, centers, &by_dim, &half_sep, shifts, full))
        .collect();
    let mut total = Partial {
        sums: vec![0.0; k * data.d],
        counts: vec![0; k],
        weight: vec![0.0; k],
        changed: 0,
    };
    for p in parts {
        total.sums.iter_mut().zip(&p.sums).for_each(|(t, s)| *t += s);
        total.counts.iter_mut().zip(&p.counts).for_each(|(t, c)| *t += c);
        total.weight.iter_mut().zip(&p.weight).for_each(|(t, c)| *t += c);
        total.changed += p.changed;
    }
    total
}

/// New centres as cluster means; an empty cluster takes the point farthest from its centre
/// (scikit-learn's `_relocate_empty_clusters`), removed from its old cluster's sum.
fn update_centers(data: &Data, states: &[PointState], old_centers: &[f64], mut total: Partial) -> Vec<f64> {
    let d = data.d;
    let empty: Vec<usize> = (0..total.counts.len()).filter(|&j| total.counts[j] == 0).collect();
    if !empty.is_empty() {
        let far = map_chunks(data.n, CHUNK_ROWS, |a, b| {
            (a..b)
                .map(|i| (dist2(data.row(i), &old_centers[states[i].label * d..][..d]), i))
                .collect::<Vec<_>>()
        })
        .concat();
        let mut far = far;
        far.sort_by(|p, q| q.0.total_cmp(&p.0).then(p.1.cmp(&q.1)));
        for (&j, &(_, i)) in empty.iter().zip(&far) {
            let from = states[i].label;
            let x = data.row(i);
            let wi = data.w.as_ref().map(|w| w[i]);
            total.sums[from * d..(from + 1) * d]
                .iter_mut()
                .zip(x)
                .for_each(|(s, v)| *s -= wi.map_or(*v, |w| w * v));
            total.counts[from] -= 1;
            let moved = &mut total.sums[j * d..(j + 1) * d];
            match wi {
                None => moved.copy_from_slice(x),
                Some(w) => {
                    moved.iter_mut().zip(x).for_each(|(s, v)| *s = w * v);
                    total.weight[from] -= w;
                    total.weight[j] = w;
                }
            }
            total.counts[j] = 1;
        }
    }
    let mut centers = total.sums;
    match &data.w {
        None => {
            for (c, &count) in centers.chunks_exact_mut(d).zip(&total.counts) {
                if count > 0 {
                    c.iter_mut().for_each(|v| *v /= count as f64);
                }
            }
        }
        Some(_) => {
            for ((c, &count), &weight) in centers.chunks_exact_mut(d).zip(&total.counts).zip(&total.weight) {
                if count > 0 {
                    c.iter_mut().for_each(|v| *v /= weight);
                }
            }
        }
    }
    centers
}

/// Outcome of one restart.
pub(super) struct Run {
    pub(super) centers: Vec<f64>,
    pub(super) labels: Vec<usize>,
    pub(super) inertia: f64,
    pub(super) n_iter: usize,
    pub(super) converged: bool,
}

/// Lloyd iterations from `centers` (scikit-learn's `_kmeans_single_lloyd`, Hamerly-accelerated).
pub(super) fn lloyd(data: &Data, mut centers: Vec<f64>, max_iter: usize, tol: f64) -> Run {
    let (n, d) = (data.n, data.d);
    let init = PointState {
        label: 0,
        upper: f64::INFINITY,
        lower: 0.0,
    };
    let mut states = vec![init; n];
    let mut shifts: Option<Shifts> = None;
    let (mut strict, mut converged, mut n_iter) = (false, false, max_iter);
    for i in 0..max_iter {
        let total = assign_all(data, &mut states, &centers, shifts.as_ref(), i == 0);
        let changed = total.changed;
        let new_centers = update_centers(data, &states, &centers, total);
        let shift: Vec<f64> = new_centers
            .chunks_exact(d)
            .zip(centers.chunks_exact(d))
            .map(|(a, b)| dist2(a, b).sqrt())
            .collect();
        let shift_total: f64 = shift.iter().map(|s| s * s).sum();
        centers = new_centers;
        shifts = Some(Shifts::new(shift));
        if i > 0 && changed == 0 {
            (strict, converged, n_iter) = (true, true, i + 1);
            break;
        }
        if shift_total <= tol {
            (converged, n_iter) = (true, i + 1);
            break;
        }
    }
    if !strict {
        // Final E-step so the labels match the final centres.
        assign_all(data, &mut states, &centers, shifts.as_ref(), false);
    }
    let labels: Vec<usize> = states.iter().map(|s| s.label).collect();
    let inertia = match &data.w {
        None => chunked_sum(n, |i| dist2(data.row(i), &centers[labels[i] * d..][..d])),
        Some(w) => chunked_sum(n, |i| w[i] * dist2(data.row(i), &centers[labels[i] * d..][..d])),
    };
    Run {
        centers,
        labels,
        inertia,
        n_iter,
        converged,
    }
}

/// The random stream of restart `run` (independent of thread scheduling).
pub(super) fn stream_rng(seed: u64, run: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(run);
    rng
}

/// `n_init` k-means++ restarts plus one restart per warm start, in parallel, each run to
/// convergence on `data`; the seedings are taken from and left in `cache` when given.
fn restart_runs(
    data: &Data,
    params: &KMeansParams,
    warm_starts: &[Vec<f64>],
    tol: f64,
    mut cache: Option<&mut SeedingCache>,
) -> Vec<Run> {
    let keep = cache.is_some();
    let mut slots = cache
        .as_deref_mut()
        .map(|c| std::mem::take(&mut c.0))
        .unwrap_or_default();
    slots.resize_with(params.n_init, || None);
    let trials = plus_plus_trials(params.k);
    let runs = slots
        .par_iter_mut()
        .enumerate()
        .map(|(r, slot)| {
            let mut seeding = match slot.take() {
                Some(s) if s.trials == trials && s.centers.len() <= params.k * data.d => s,
                _ => Seeding::start(data, stream_rng(params.seed, r as u64), &[], trials),
            };
            seeding.grow(data, params.k);
            let init = seeding.centers.clone();
            if keep {
                *slot = Some(seeding);
            }
            lloyd(data, init, params.max_iter, tol)
        })
        .chain(
            warm_starts
                .par_iter()
                .map(|init| lloyd(data, init.clone(), params.max_iter, tol)),
        )
        .collect();
    if let Some(c) = cache {
        c.0 = slots;
    }
    runs
}

/// Index of the lowest inertia (the earliest on ties).
fn lowest_inertia(runs: &[Run]) -> usize {
    (0..runs.len()).fold(0, |b, r| if runs[r].inertia < runs[b].inertia { r } else { b })
}

/// The kept run as a [`KMeans`], its centres moved back to the input's units.
fn into_model(
    data: &Data,
    run: Run,
    inertia_per_init: Vec<f64>,
    best_init: usize,
    algorithm: KMeansAlgorithm,
) -> KMeans {
    let d = data.d;
    let k = run.centers.len() / d;
    let centers = Array2::from_shape_fn((k, d), |(j, c)| run.centers[j * d + c] + data.mean[c]);
    KMeans {
        centers,
        labels: run.labels,
        inertia: run.inertia,
        n_iter: run.n_iter,
        converged: run.converged,
        n_init_run: inertia_per_init.len(),
        inertia_per_init,
        best_init,
        algorithm,
    }
}

/// `n_init` k-means++ restarts plus one restart per warm start, in parallel; keeps the lowest
/// inertia (the earliest restart on ties).
fn fit_runs(data: &Data, params: &KMeansParams, warm_starts: &[Vec<f64>], cache: Option<&mut SeedingCache>) -> KMeans {
    let tol = params.tol * data.mean_variance;
    let mut runs = restart_runs(data, params, warm_starts, tol, cache);
    let best = lowest_inertia(&runs);
    let inertia_per_init = runs.iter().map(|r| r.inertia).collect();
    let run = runs.swap_remove(best);
    into_model(data, run, inertia_per_init, best, KMeansAlgorithm::Lloyd)
}

#[path = "kmeans_elbow.rs"]
mod elbow;
pub use elbow::{Elbow, elbow, elbow_weighted, kneedle_decreasing_convex};
#[path = "kmeans_seeding.rs"]
mod seeding;
#[cfg(test)]
use seeding::candidate_potentials;
pub(in crate::cluster) use seeding::kmeans_plus_plus;
use seeding::{Seeding, SeedingCache, plus_plus_trials};
#[path = "kmeans_sampled.rs"]
mod sampled;

#[cfg(test)]
#[path = "kmeans_tests.rs"]
mod tests;
