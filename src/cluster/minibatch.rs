//! Mini-batch K-Means (Sculley 2010, "Web-scale k-means clustering", WWW '10) for millions of
//! points, following scikit-learn's `MiniBatchKMeans`.
//!
//! Each restart (`n_init` of them, restart `r` drawing from ChaCha8 stream `r` of the seed):
//!
//! 1. **Init**: greedy k-means++ (as [`super::kmeans`]) on `init_size` points drawn uniformly
//!    with replacement (scikit-learn's `init_size`, default `3 * batch_size`, at least `3 k`,
//!    at most n).
//! 2. **Mini-batch steps**: each step draws `batch_size` points with replacement, assigns each
//!    to its nearest centre and moves every centre `c` that received `b_c` points with sum
//!    `S_c` to `c <- (c * w_c + S_c) / (w_c + b_c)`, `w_c <- w_c + b_c` (per-centre counts
//!    as learning rates `1 / w_c`, scikit-learn's `_mini_batch_step`; counts start at 0).
//!    At most `max_iter * n / batch_size` steps (`max_iter` epochs). Early stopping as
//!    scikit-learn's `_mini_batch_convergence`: the batch inertia per point `I_t` (against the
//!    centres before the step) is smoothed as `E_t = (1 - a) E_{t-1} + a I_t` with
//!    `a = min(1, 2 batch_size / (n + 1))` (step 0 ignored, `E_1 = I_1`); the run stops after
//!    `max_no_improvement` consecutive steps without a new minimum of `E`, or when `tol > 0`
//!    and the squared centre change of a step `sum_c ||c_new - c_old||^2 <= tol * mean_j var(x_j)`.
//!    scikit-learn's random reassignment of starved centres is not done; an empty cluster is
//!    handled by the full-data step below.
//! 3. **Full data**: every point is assigned to its nearest centre and the inertia over all
//!    points computed (Hamerly-accelerated, fixed chunks: deterministic).
//!
//! With a weight per row ([`MiniBatchKMeansParams::fit_weighted`], scikit-learn's
//! `sample_weight`) the init subset keeps its rows' weights, `b_c` and `S_c` become the sums of
//! the weights and of the weighted points a centre received, and every inertia is weighted.
//!
//! The restart with the lowest full-data inertia is kept (unlike scikit-learn, which picks the
//! init by inertia on the init subset and runs one mini-batch fit); only the kept one then gets
//! at most `refine_iter` exact Lloyd iterations over all points (default 10, stopping early
//! when no label changes or by `tol`; 0 gives scikit-learn's centres), ending with the
//! assignment of EVERY point to its nearest centre and the inertia over all points
//! (`inertia_per_init` holds the inertias before this refinement). The mini-batch steps are
//! sequential within a restart (their cost is tiny); restarts run in parallel. The result is
//! the same bits on any thread count.

use ndarray::{Array2, ArrayView1, ArrayView2};
use rand::Rng;
use rayon::prelude::*;

use super::ClusterError;
use super::kmeans::{
    Data, KMeans, KMeansAlgorithm, Run, check_weights, dist2, drop_unit_weights, kmeans_plus_plus, lloyd, nearest,
    stream_rng,
};
use crate::par::{CHUNK_ROWS, map_chunks};

/// From this many centres on, nearest-centre searches scan centres sorted by projection
/// ([`Projected`]) instead of all of them.
const PROJECTED_MIN_K: usize = 64;

/// Parameters of mini-batch K-Means.
///
/// Defaults: `batch_size = 4096` (scikit-learn's default is 1024; its documentation advises
/// more than `256 * cores`, and larger batches give less noisy centres at the same cost per
/// point), `max_iter = 100` epochs, `n_init = 10` (as exact K-Means; a restart costs a few
/// full-data passes), `tol = 0` (off, as scikit-learn), `max_no_improvement = 10`,
/// `init_size = 3 * batch_size`, `refine_iter = 10`, `seed = 42`.
///
/// Why the full-data Lloyd steps: the per-centre learning rate `1 / w_c` makes a centre the
/// average of every point it was ever given, including those of early, misplaced steps; on
/// continuous 7-D data (200k points, k = 8) the mini-batch centres alone end 1.0 % above the
/// exact inertia with 3 restarts, and the best of 10 restarts refined by up to 10 Lloyd steps
/// ends within 0.5 % (see the tests).
#[derive(Debug, Clone, PartialEq)]
pub struct MiniBatchKMeansParams {
    k: usize,
    batch_size: usize,
    max_iter: usize,
    n_init: usize,
    seed: u64,
    tol: f64,
    max_no_improvement: Option<usize>,
    init_size: Option<usize>,
    refine_iter: usize,
}

impl MiniBatchKMeansParams {
    /// `k` clusters with default options.
    pub fn new(k: usize) -> Self {
        Self {
            k,
            batch_size: 4096,
            max_iter: 100,
            n_init: 10,
            seed: 42,
            tol: 0.0,
            max_no_improvement: Some(10),
            init_size: None,
            refine_iter: 10,
        }
    }
    /// Points per mini-batch (drawn with replacement; capped at n).
    pub fn batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = batch_size;
        self
    }
    /// Maximum number of epochs: at most `max_iter * n / batch_size` steps.
    pub fn max_iter(mut self, max_iter: usize) -> Self {
        self.max_iter = max_iter;
        self
    }
    /// Number of restarts; the one with the lowest full-data inertia is kept.
    pub fn n_init(mut self, n_init: usize) -> Self {
        self.n_init = n_init;
        self
    }
    /// Seed of the random streams.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// Relative tolerance on the squared centre change of one step (0 disables it).
    pub fn tol(mut self, tol: f64) -> Self {
        self.tol = tol;
        self
    }
    /// Stop after this many steps without improvement of the smoothed batch inertia
    /// (`None` disables early stopping).
    pub fn max_no_improvement(mut self, steps: Option<usize>) -> Self {
        self.max_no_improvement = steps;
        self
    }
    /// Points drawn for the k-means++ initialisation (`None`: `3 * batch_size`).
    pub fn init_size(mut self, init_size: Option<usize>) -> Self {
        self.init_size = init_size;
        self
    }
    /// Most exact Lloyd iterations over all points after the mini-batch steps (0: none).
    pub fn refine_iter(mut self, refine_iter: usize) -> Self {
        self.refine_iter = refine_iter;
        self
    }
    /// Number of clusters.
    pub fn k(&self) -> usize {
        self.k
    }

    /// Checks the options that do not depend on the data.
    pub fn build(self) -> Result<Self, ClusterError> {
        super::kmeans::check_options(self.k, self.n_init, self.max_iter, self.tol)?;
        let bad = |option, value: String, message| ClusterError::BadKMeansOption { option, value, message };
        if self.batch_size == 0 {
            return Err(bad("batch_size", "0".into(), "must be at least 1"));
        }
        if self.max_no_improvement == Some(0) {
            return Err(bad("max_no_improvement", "0".into(), "must be at least 1 (or None)"));
        }
        if let Some(size) = self.init_size
            && size < self.k
        {
            return Err(bad("init_size", size.to_string(), "must be at least k"));
        }
        Ok(self)
    }

    /// Fits mini-batch K-Means on `x` (n x d); labels and inertia cover every point.
    pub fn fit(&self, x: ArrayView2<f64>) -> Result<KMeans, ClusterError> {
        self.fit_weighted(x, None)
    }

    /// Fits mini-batch K-Means on `x` (n x d) with a weight per row, as scikit-learn's
    /// `MiniBatchKMeans` with `sample_weight` in the form of its `partial_fit` (the batch step
    /// `_mini_batch_step` given the batch's weights): the init subset keeps its rows' weights
    /// for the weighted k-means++ ([`super::kmeans::KMeansParams::fit_weighted`]), a batch is
    /// drawn uniformly and each centre moves to `c <- (c W_c + sum_b w_b x_b) / (W_c + sum_b w_b)`,
    /// `W_c` the sum of the weights it has received (scikit-learn's `weight_sums`); the batch
    /// inertia, the restart choice and the refinement are weighted. scikit-learn's `fit`
    /// instead draws the batch with probability `w_i / sum w` and steps with unit weights,
    /// which is the same update in expectation; the uniform draw keeps the random stream of the
    /// unweighted fit. All weights 1 are the unweighted fit (its bits: the weighted k-means++ would
    /// draw its first centre from another use of the random stream). `None` is
    /// [`MiniBatchKMeansParams::fit`].
    pub fn fit_weighted(&self, x: ArrayView2<f64>, weights: Option<ArrayView1<f64>>) -> Result<KMeans, ClusterError> {
        let params = self.clone().build()?;
        if let Some(w) = weights {
            check_weights(w, x.nrows())?;
        }
        let data = Data::new(x)?.with_weights(drop_unit_weights(weights))?;
        if params.k > data.n {
            return Err(ClusterError::TooManyClusters {
                k: params.k,
                points: data.n,
            });
        }
        let runs: Vec<Run> = (0..params.n_init)
            .into_par_iter()
            .map(|r| run(&data, &params, r as u64))
            .collect();
        let best = (0..runs.len()).fold(0, |b, r| if runs[r].inertia < runs[b].inertia { r } else { b });
        let inertia_per_init = runs.iter().map(|r| r.inertia).collect();
        let mut runs = runs;
        let chosen = runs.swap_remove(best);
        let kept = if params.refine_iter > 0 {
            let tol = params.tol * data.mean_variance;
            let refined = lloyd(&data, chosen.centers, params.refine_iter, tol);
            Run {
                n_iter: chosen.n_iter,
                converged: chosen.converged,
                ..refined
            }
        } else {
            chosen
        };
        let d = data.d;
        let centers = Array2::from_shape_fn((params.k, d), |(j, c)| kept.centers[j * d + c] + data.mean[c]);
        Ok(KMeans {
            centers,
            labels: kept.labels,
            inertia: kept.inertia,
            n_iter: kept.n_iter,
            converged: kept.converged,
            n_init_run: params.n_init,
            inertia_per_init,
            best_init: best,
            algorithm: KMeansAlgorithm::MiniBatch,
        })
    }
}

/// One restart: init on a subset, mini-batch steps, then the assignment of all points and the
/// full-data inertia. `n_iter` and `converged` of the result describe the mini-batch phase.
fn run(data: &Data, params: &MiniBatchKMeansParams, stream: u64) -> Run {
    let (n, d, k) = (data.n, data.d, params.k);
    let mut rng = stream_rng(params.seed, stream);
    let batch_size = params.batch_size.min(n);
    let init_size = params
        .init_size
        .unwrap_or(3 * params.batch_size)
        .max(3 * k)
        .min(n)
        .max(k);
    let mut subset = Vec::with_capacity(init_size * d);
    let mut subset_weights = data.w.as_ref().map(|_| Vec::with_capacity(init_size));
    for _ in 0..init_size {
        let i = rng.random_range(0..n);
        subset.extend_from_slice(data.row(i));
        if let (Some(sw), Some(w)) = (subset_weights.as_mut(), data.w.as_ref()) {
            sw.push(w[i]);
        }
    }
    let init_data = Data {
        x: subset,
        mean: vec![0.0; d],
        n: init_size,
        d,
        mean_variance: data.mean_variance,
        w: subset_weights,
    };
    let mut centers = kmeans_plus_plus(&init_data, k, &mut rng, &[]);
    drop(init_data);
    let axis = principal_axis(&centers, d);

    let n_steps = (params.max_iter.saturating_mul(n) / batch_size).max(1);
    let tol = params.tol * data.mean_variance;
    let alpha = (2.0 * batch_size as f64 / (n as f64 + 1.0)).min(1.0);
    let mut weight = vec![0.0f64; k];
    let mut scratch = StepScratch::new(k, d);
    let mut batch = vec![0usize; batch_size];
    let (mut ewa, mut ewa_min): (Option<f64>, Option<f64>) = (None, None);
    let (mut no_improvement, mut steps, mut converged) = (0usize, n_steps, false);
    for step in 0..n_steps {
        batch.iter_mut().for_each(|b| *b = rng.random_range(0..n));
        // Ascending rows: the same batch, read in memory order (fewer cache and TLB misses).
        batch.sort_unstable();
        let (inertia, change) = mini_batch_step(data, &batch, &mut centers, &mut weight, &axis, &mut scratch);
        // scikit-learn's _mini_batch_convergence; step 0 measures the initial centres.
        if step == 0 {
            continue;
        }
        let batch_inertia = inertia / batch_size as f64;
        let smoothed = match ewa {
            None => batch_inertia,
            Some(e) => e * (1.0 - alpha) + batch_inertia * alpha,
        };
        ewa = Some(smoothed);
        if tol > 0.0 && change <= tol {
            (steps, converged) = (step + 1, true);
            break;
        }
        if ewa_min.is_none_or(|m| smoothed < m) {
            no_improvement = 0;
            ewa_min = Some(smoothed);
        } else {
            no_improvement += 1;
        }
        if params.max_no_improvement.is_some_and(|limit| no_improvement >= limit) {
            (steps, converged) = (step + 1, true);
            break;
        }
    }
    let full = if k >= PROJECTED_MIN_K {
        assign_projected(data, centers, &axis)
    } else {
        lloyd(data, centers, 0, tol)
    };
    Run {
        n_iter: steps,
        converged,
        ..full
    }
}

/// Buffers of one mini-batch step: per-centre sums of the weighted rows, their weights and
/// counts.
struct StepScratch {
    sums: Vec<f64>,
    batch_weight: Vec<f64>,
    counts: Vec<usize>,
}

impl StepScratch {
    fn new(k: usize, d: usize) -> Self {
        Self {
            sums: vec![0.0; k * d],
            batch_weight: vec![0.0; k],
            counts: vec![0; k],
        }
    }
}

/// One mini-batch step (scikit-learn's `_mini_batch_step` without the random reassignment):
/// assigns each row of `batch` to its nearest centre, then moves every centre that received
/// rows to `(c W_c + sum w x) / (W_c + sum w)` and adds the received weight to `W_c`
/// (`weight`; counts when the data are unweighted). Returns the batch inertia against the
/// centres before the step (weighted) and the squared centre change `sum_c ||c_new - c_old||^2`.
fn mini_batch_step(
    data: &Data,
    batch: &[usize],
    centers: &mut [f64],
    weight: &mut [f64],
    axis: &[f64],
    scratch: &mut StepScratch,
) -> (f64, f64) {
    let (d, k) = (data.d, weight.len());
    let StepScratch {
        sums,
        batch_weight,
        counts,
    } = scratch;
    sums.fill(0.0);
    counts.fill(0);
    batch_weight.fill(0.0);
    let nearest_of: Vec<(usize, f64)> = if k >= PROJECTED_MIN_K {
        // Many centres: the searches dominate, run them in parallel (the sums below stay
        // sequential in batch order, so the bits do not depend on the threads).
        let index = Projected::new(centers, d, axis);
        map_chunks(batch.len(), 256, |a, b| {
            batch[a..b]
                .iter()
                .map(|&i| index.nearest(data.row(i)))
                .collect::<Vec<_>>()
        })
        .concat()
    } else {
        batch.iter().map(|&i| nearest(data.row(i), centers, d)).collect()
    };
    let mut inertia = 0.0;
    match &data.w {
        None => {
            for (&i, &(c, dd)) in batch.iter().zip(&nearest_of) {
                let x = data.row(i);
                inertia += dd;
                counts[c] += 1;
                sums[c * d..(c + 1) * d].iter_mut().zip(x).for_each(|(s, v)| *s += v);
            }
        }
        Some(w) => {
            for (&i, &(c, dd)) in batch.iter().zip(&nearest_of) {
                let (x, wi) = (data.row(i), w[i]);
                inertia += wi * dd;
                counts[c] += 1;
                batch_weight[c] += wi;
                sums[c * d..(c + 1) * d]
                    .iter_mut()
                    .zip(x)
                    .for_each(|(s, v)| *s += wi * v);
            }
        }
    }
    let mut change = 0.0;
    for c in 0..k {
        if counts[c] == 0 {
            continue;
        }
        let received = match data.w {
            None => counts[c] as f64,
            Some(_) => batch_weight[c],
        };
        let total = weight[c] + received;
        let centre = &mut centers[c * d..(c + 1) * d];
        let old: Vec<f64> = centre.to_vec();
        for (v, s) in centre.iter_mut().zip(&sums[c * d..(c + 1) * d]) {
            *v = (*v * weight[c] + s) / total;
        }
        change += dist2(&old, centre);
        weight[c] = total;
    }
    (inertia, change)
}

/// One weighted mini-batch step on given batch rows, in the input's units: the centres
/// `centers` (k x d) and their weight sums `weight_sums` (scikit-learn's `_counts`) are
/// updated in place and the batch inertia returned, as scikit-learn's
/// `_mini_batch_step(X[batch], sample_weight[batch], centers, centers_new, weight_sums, ...)`
/// with `random_reassign=False`. For checking the step against scikit-learn.
pub fn mini_batch_step_weighted(
    x: ArrayView2<f64>,
    weights: Option<ArrayView1<f64>>,
    batch: &[usize],
    centers: &mut Array2<f64>,
    weight_sums: &mut [f64],
) -> Result<f64, ClusterError> {
    let data = Data::new(x)?.with_weights(weights)?;
    let (k, d) = centers.dim();
    if d != data.d {
        return Err(ClusterError::DimensionMismatch {
            expected: data.d,
            got: d,
        });
    }
    if weight_sums.len() != k {
        return Err(ClusterError::LengthMismatch {
            what: "weight sums and centres",
            left: weight_sums.len(),
            right: k,
        });
    }
    if let Some(&bad) = batch.iter().find(|&&i| i >= data.n) {
        return Err(ClusterError::Invalid(format!(
            "batch row {bad} out of range for {} rows",
            data.n
        )));
    }
    let mut flat: Vec<f64> = centers
        .rows()
        .into_iter()
        .flat_map(|r| r.iter().zip(&data.mean).map(|(v, m)| v - m).collect::<Vec<_>>())
        .collect();
    let axis = principal_axis(&flat, d);
    let mut scratch = StepScratch::new(k, d);
    let (inertia, _) = mini_batch_step(&data, batch, &mut flat, weight_sums, &axis, &mut scratch);
    for (j, mut row) in centers.rows_mut().into_iter().enumerate() {
        row.iter_mut()
            .enumerate()
            .for_each(|(c, v)| *v = flat[j * d + c] + data.mean[c]);
    }
    Ok(inertia)
}

/// Nearest centre of every point and the full-data (weighted) inertia with the [`Projected`]
/// search: the same labels and bits as `lloyd(data, centers, 0, _)` (exact nearest, first index on ties;
/// inertia summed over the same fixed chunks), much faster for many centres.
fn assign_projected(data: &Data, centers: Vec<f64>, axis: &[f64]) -> Run {
    let (n, d) = (data.n, data.d);
    let index = Projected::new(&centers, d, axis);
    let labels: Vec<usize> = map_chunks(n, CHUNK_ROWS, |a, b| {
        (a..b).map(|i| index.nearest(data.row(i)).0).collect::<Vec<_>>()
    })
    .concat();
    let inertia = map_chunks(n, CHUNK_ROWS, |a, b| match &data.w {
        None => (a..b)
            .map(|i| dist2(data.row(i), &centers[labels[i] * d..][..d]))
            .sum::<f64>(),
        Some(w) => (a..b)
            .map(|i| w[i] * dist2(data.row(i), &centers[labels[i] * d..][..d]))
            .sum::<f64>(),
    })
    .iter()
    .sum();
    Run {
        centers,
        labels,
        inertia,
        n_iter: 0,
        converged: true,
    }
}

/// Unit principal axis of the centres (power iteration on their scatter matrix, from the
/// all-ones direction); the first coordinate axis if the centres do not spread.
fn principal_axis(centers: &[f64], d: usize) -> Vec<f64> {
    let k = centers.len() / d;
    let mut mean = vec![0.0; d];
    centers
        .chunks_exact(d)
        .for_each(|c| mean.iter_mut().zip(c).for_each(|(m, v)| *m += v / k as f64));
    let mut scatter = vec![0.0; d * d];
    for c in centers.chunks_exact(d) {
        for a in 0..d {
            for b in 0..d {
                scatter[a * d + b] += (c[a] - mean[a]) * (c[b] - mean[b]);
            }
        }
    }
    let mut u = vec![1.0 / (d as f64).sqrt(); d];
    for _ in 0..50 {
        let v: Vec<f64> = (0..d)
            .map(|a| (0..d).map(|b| scatter[a * d + b] * u[b]).sum())
            .collect();
        let norm = v.iter().map(|t| t * t).sum::<f64>().sqrt();
        if !(norm > 0.0 && norm.is_finite()) {
            let mut e = vec![0.0; d];
            e[0] = 1.0;
            return e;
        }
        u = v.iter().map(|t| t / norm).collect();
    }
    u
}

/// Centres sorted by their projection `u . c` on a unit axis `u`. Since
/// `||x - c|| >= |u . x - u . c|`, the search scans outwards from the projection of `x` and
/// stops on a side once the projected gap alone exceeds the best distance (with a slack for
/// the rounding of the dot products). Exact: the nearest centre, the first index on ties, with
/// the same squared distance as a full scan.
struct Projected<'a> {
    centers: &'a [f64],
    d: usize,
    axis: &'a [f64],
    /// Centre indices by increasing projection, and the sorted projections.
    order: Vec<usize>,
    proj: Vec<f64>,
    /// Largest `sum_j |u_j c_j|` over the centres (scales the rounding slack).
    scale: f64,
}

impl<'a> Projected<'a> {
    fn new(centers: &'a [f64], d: usize, axis: &'a [f64]) -> Self {
        let dot = |c: &[f64]| c.iter().zip(axis).map(|(a, b)| a * b).sum::<f64>();
        let raw: Vec<f64> = centers.chunks_exact(d).map(dot).collect();
        let mut order: Vec<usize> = (0..raw.len()).collect();
        order.sort_by(|&a, &b| raw[a].total_cmp(&raw[b]).then(a.cmp(&b)));
        let proj = order.iter().map(|&j| raw[j]).collect();
        let scale = centers
            .chunks_exact(d)
            .map(|c| c.iter().zip(axis).map(|(a, b)| (a * b).abs()).sum::<f64>())
            .fold(0.0, f64::max);
        Self {
            centers,
            d,
            axis,
            order,
            proj,
            scale,
        }
    }

    fn nearest(&self, x: &[f64]) -> (usize, f64) {
        let d = self.d;
        let p: f64 = x.iter().zip(self.axis).map(|(a, b)| a * b).sum();
        let px: f64 = x.iter().zip(self.axis).map(|(a, b)| (a * b).abs()).sum();
        let slack = 1e-9 * (px + self.scale) + f64::MIN_POSITIVE;
        let m = self.proj.len();
        let start = self.proj.partition_point(|&v| v < p);
        let (mut down, mut up) = (start, start); // next candidates: down - 1 and up
        let mut best = (usize::MAX, f64::INFINITY);
        let pruned = |gap: f64, best: f64| {
            let g = (gap - slack).max(0.0);
            g * g > best
        };
        loop {
            let gap_down = if down > 0 {
                p - self.proj[down - 1]
            } else {
                f64::INFINITY
            };
            let gap_up = if up < m { self.proj[up] - p } else { f64::INFINITY };
            let take_down = gap_down <= gap_up;
            let gap = if take_down { gap_down } else { gap_up };
            if !gap.is_finite() || pruned(gap, best.1) {
                break; // the closer side is pruned, so is the farther one
            }
            let j = if take_down {
                down -= 1;
                self.order[down]
            } else {
                up += 1;
                self.order[up - 1]
            };
            let dd = dist2(x, &self.centers[j * d..(j + 1) * d]);
            if dd < best.1 || (dd == best.1 && j < best.0) {
                best = (j, dd);
            }
        }
        best
    }
}

#[cfg(test)]
#[path = "minibatch_tests.rs"]
mod tests;
