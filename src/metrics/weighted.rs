//! The internal scores with a weight per point (`--weights area`: each cell counted by its
//! area). With every weight equal they are the unweighted scores of `metrics::silhouette`,
//! `metrics::davies_bouldin` and `metrics::calinski_harabasz`; the pipeline runs those in that
//! case, so an unweighted run keeps its bits.
//!
//! Definitions (`W_C = sum_{j in C} w_j`, `c_C = sum_{j in C} w_j x_j / W_C` the weighted
//! centroid, `N = sum_i w_i`, `m = sum_i w_i x_i / N`):
//!
//! * silhouette: for point i in cluster A, `a(i) = sum_{j in A, j != i} w_j d(i, j) /
//!   (W_A - w_i)` and `b(i) = min_{C != A} sum_{j in C} w_j d(i, j) / W_C` (the weighted mean
//!   distances of Rousseeuw 1987), `s(i) = (b - a) / max(a, b)`, 0 in a singleton cluster; the
//!   score is `sum_i w_i s(i) / N`.
//! * Davies-Bouldin: `S_C = sum_{j in C} w_j ||x_j - c_C|| / W_C`, then Davies & Bouldin's
//!   `(1/k) sum_A max_{C != A} (S_A + S_C) / ||c_A - c_C||` (each cluster counted once, as in
//!   the unweighted index).
//! * Calinski-Harabasz: `B = sum_C W_C ||c_C - m||^2`, `W = sum_j w_j ||x_j - c_{C(j)}||^2`,
//!   `CH = [B / (k - 1)] / [W / (N - k)]` (with weights of mean 1, `N = n`).

use super::{MetricsError, check_internal};
use crate::par::{CHUNK_ROWS, map_chunks};
use ndarray::{Array2, ArrayView1, ArrayView2};
use rand::SeedableRng;

fn check_weights(w: ArrayView1<f64>, n: usize) -> Result<(), MetricsError> {
    if w.len() != n {
        return Err(MetricsError::LengthMismatch {
            what: "data rows and weights",
            left: n,
            right: w.len(),
        });
    }
    match w.iter().enumerate().find(|(_, v)| !(v.is_finite() && **v > 0.0)) {
        Some((row, v)) => Err(MetricsError::Invalid(format!(
            "weight of row {row} is {v}: weights must be finite and > 0"
        ))),
        None => Ok(()),
    }
}

fn dist(a: ArrayView1<f64>, b: ArrayView1<f64>) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum::<f64>().sqrt()
}

/// Weighted centroids (`k x d`) and cluster weights, summed in row order.
fn weighted_centroids(x: ArrayView2<f64>, w: ArrayView1<f64>, codes: &[usize], k: usize) -> (Vec<f64>, Array2<f64>) {
    let mut weight = vec![0.0; k];
    let mut cent = Array2::<f64>::zeros((k, x.ncols()));
    for ((row, &c), &wi) in x.rows().into_iter().zip(codes).zip(w) {
        weight[c] += wi;
        cent.row_mut(c).zip_mut_with(&row, |s, v| *s += wi * v);
    }
    for (mut row, &wc) in cent.rows_mut().into_iter().zip(&weight) {
        row.mapv_inplace(|s| s / wc);
    }
    (weight, cent)
}

/// Weighted silhouette `s(i)` of every point (module docs), exact over all pairs: `O(n^2 d)`,
/// rows in fixed chunks (the same bits on any thread count).
pub fn silhouette_samples_weighted(
    x: ArrayView2<f64>,
    labels: &[usize],
    w: ArrayView1<f64>,
) -> Result<Vec<f64>, MetricsError> {
    let (codes, k) = check_internal(x, labels)?;
    check_weights(w, x.nrows())?;
    Ok(scores_against(x, &codes, k, w, x, &codes, w, true))
}

/// `s(i)` of the rows of `points` (clusters `point_codes`, weights `point_w`) against the
/// weighted mean distances to the rows of `reference`; `same` when the two are the same rows
/// (a point's own weight then leaves its cluster's weight).
#[allow(clippy::too_many_arguments)]
fn scores_against(
    points: ArrayView2<f64>,
    point_codes: &[usize],
    k: usize,
    point_w: ArrayView1<f64>,
    reference: ArrayView2<f64>,
    ref_codes: &[usize],
    ref_w: ArrayView1<f64>,
    same: bool,
) -> Vec<f64> {
    let mut cluster_weight = vec![0.0; k];
    for (&c, &wj) in ref_codes.iter().zip(ref_w) {
        cluster_weight[c] += wj;
    }
    let parts = map_chunks(points.nrows(), CHUNK_ROWS, |a, b| {
        let mut sums = vec![0.0; k];
        (a..b)
            .map(|i| {
                sums.iter_mut().for_each(|s| *s = 0.0);
                let xi = points.row(i);
                for (j, (&c, &wj)) in ref_codes.iter().zip(ref_w).enumerate() {
                    sums[c] += wj * dist(xi, reference.row(j));
                }
                let own = point_codes[i];
                let own_weight = cluster_weight[own] - if same { point_w[i] } else { 0.0 };
                // A cluster with no other point (weight left ~0 by rounding) is a singleton.
                if own_weight <= cluster_weight[own] * 1e-12 {
                    return 0.0;
                }
                let a_i = sums[own] / own_weight;
                let b_i = (0..k)
                    .filter(|&c| c != own && cluster_weight[c] > 0.0)
                    .map(|c| sums[c] / cluster_weight[c])
                    .fold(f64::INFINITY, f64::min);
                let m = a_i.max(b_i);
                if m == 0.0 || !b_i.is_finite() {
                    0.0
                } else {
                    (b_i - a_i) / m
                }
            })
            .collect::<Vec<f64>>()
    });
    parts.concat()
}

/// The weighted mean silhouette `sum_i w_i s(i) / sum_i w_i` (module docs), exact.
pub fn silhouette_weighted(x: ArrayView2<f64>, labels: &[usize], w: ArrayView1<f64>) -> Result<f64, MetricsError> {
    let s = silhouette_samples_weighted(x, labels, w)?;
    Ok(weighted_mean(&s, w))
}

fn weighted_mean(s: &[f64], w: ArrayView1<f64>) -> f64 {
    let (num, den) = s
        .iter()
        .zip(w)
        .fold((0.0, 0.0), |(a, b), (&si, &wi)| (a + wi * si, b + wi));
    num / den
}

/// The weighted silhouette of a uniform sample of `n_sample` rows (drawn without replacement
/// with `seed`), each scored against the same sample: the weighted score of a subsample, for
/// sizes where the exact `O(n^2)` one is out of reach. Ratio estimates of the weighted mean
/// distances and of the weighted mean of `s(i)`; no standard error is given.
pub fn silhouette_weighted_subsample(
    x: ArrayView2<f64>,
    labels: &[usize],
    w: ArrayView1<f64>,
    n_sample: usize,
    seed: u64,
) -> Result<f64, MetricsError> {
    check_internal(x, labels)?;
    check_weights(w, x.nrows())?;
    let n = x.nrows();
    if n_sample >= n {
        return silhouette_weighted(x, labels, w);
    }
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut picked = rand::seq::index::sample(&mut rng, n, n_sample).into_vec();
    picked.sort_unstable();
    let xs = x.select(ndarray::Axis(0), &picked);
    let ls: Vec<usize> = picked.iter().map(|&i| labels[i]).collect();
    let ws = w.select(ndarray::Axis(0), &picked);
    let (codes, k) = check_internal(xs.view(), &ls)?;
    let s = scores_against(xs.view(), &codes, k, ws.view(), xs.view(), &codes, ws.view(), true);
    Ok(weighted_mean(&s, ws.view()))
}

/// Weighted Davies-Bouldin index (module docs); the special cases of
/// `metrics::davies_bouldin` (0 when all scatters or all centroid distances are ~0, coincident
/// centroids ignored).
pub fn davies_bouldin_weighted(x: ArrayView2<f64>, labels: &[usize], w: ArrayView1<f64>) -> Result<f64, MetricsError> {
    let (codes, k) = check_internal(x, labels)?;
    check_weights(w, x.nrows())?;
    let (weight, cent) = weighted_centroids(x, w, &codes, k);
    let mut scatter = vec![0.0; k];
    for ((row, &c), &wi) in x.rows().into_iter().zip(&codes).zip(w) {
        scatter[c] += wi * dist(row, cent.row(c));
    }
    scatter.iter_mut().zip(&weight).for_each(|(s, wc)| *s /= wc);
    let cdist = Array2::from_shape_fn((k, k), |(i, j)| dist(cent.row(i), cent.row(j)));
    if scatter.iter().all(|s| s.abs() <= 1e-8) || cdist.iter().all(|v| v.abs() <= 1e-8) {
        return Ok(0.0);
    }
    let total: f64 = (0..k)
        .map(|i| {
            (0..k)
                .filter(|&j| cdist[[i, j]] != 0.0)
                .map(|j| (scatter[i] + scatter[j]) / cdist[[i, j]])
                .fold(0.0, f64::max)
        })
        .sum();
    Ok(total / k as f64)
}

/// Weighted Calinski-Harabasz index (module docs); 1.0 when `W = 0`, as
/// `metrics::calinski_harabasz`.
pub fn calinski_harabasz_weighted(
    x: ArrayView2<f64>,
    labels: &[usize],
    w: ArrayView1<f64>,
) -> Result<f64, MetricsError> {
    let (codes, k) = check_internal(x, labels)?;
    check_weights(w, x.nrows())?;
    let (weight, cent) = weighted_centroids(x, w, &codes, k);
    let total: f64 = weight.iter().sum();
    let mut mean = ndarray::Array1::<f64>::zeros(x.ncols());
    for (row, &wi) in x.rows().into_iter().zip(w) {
        mean.zip_mut_with(&row, |m, v| *m += wi * v);
    }
    mean /= total;
    let between: f64 = (0..k).map(|c| weight[c] * dist(cent.row(c), mean.view()).powi(2)).sum();
    let within: f64 = x
        .rows()
        .into_iter()
        .zip(&codes)
        .zip(w)
        .map(|((row, &c), &wi)| wi * row.iter().zip(cent.row(c)).map(|(a, b)| (a - b) * (a - b)).sum::<f64>())
        .sum();
    if within == 0.0 {
        return Ok(1.0);
    }
    Ok(between * (total - k as f64) / (within * (k as f64 - 1.0)))
}

#[cfg(test)]
#[path = "weighted_tests.rs"]
mod tests;
