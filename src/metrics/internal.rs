//! Davies-Bouldin and Calinski-Harabasz indices (scikit-learn definitions).

use super::{MetricsError, check_internal};
use crate::cluster::labels::ClusterSums;
use ndarray::{Array2, ArrayView2};

/// Cluster sizes and centroids (k x d), summing points in row order
/// ([`crate::cluster::labels::ClusterSums`]).
fn centroids(x: ArrayView2<f64>, codes: &[usize], k: usize) -> Result<(Vec<f64>, Array2<f64>), MetricsError> {
    let sums = ClusterSums::of(x, codes, k).map_err(|e| MetricsError::Invalid(e.to_string()))?;
    Ok((sums.sizes.iter().map(|&n| n as f64).collect(), sums.means(f64::NAN)))
}

fn dist(a: ndarray::ArrayView1<f64>, b: ndarray::ArrayView1<f64>) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum::<f64>().sqrt()
}

/// Davies-Bouldin index (Davies & Bouldin 1979), lower is better:
/// `DB = (1/k) sum_i max_{j != i} (S_i + S_j) / ||c_i - c_j||`, with `S_i` the mean distance of
/// cluster i's points to its centroid `c_i`. Like scikit-learn, 0 when all `S_i` or all
/// centroid distances are ~0 (|.| <= 1e-8), and coincident centroids are ignored.
pub fn davies_bouldin(x: ArrayView2<f64>, labels: &[usize]) -> Result<f64, MetricsError> {
    let (codes, k) = check_internal(x, labels)?;
    let (counts, cent) = centroids(x, &codes, k)?;
    let mut scatter = vec![0.0; k];
    for (row, &c) in x.rows().into_iter().zip(&codes) {
        scatter[c] += dist(row, cent.row(c));
    }
    scatter.iter_mut().zip(&counts).for_each(|(s, n)| *s /= n);
    let cdist = Array2::from_shape_fn((k, k), |(i, j)| dist(cent.row(i), cent.row(j)));
    if scatter.iter().all(|s| s.abs() <= 1e-8) || cdist.iter().all(|v| v.abs() <= 1e-8) {
        return Ok(0.0);
    }
    let mut total = 0.0;
    for i in 0..k {
        let worst = (0..k)
            .filter(|&j| cdist[[i, j]] != 0.0)
            .map(|j| (scatter[i] + scatter[j]) / cdist[[i, j]])
            .fold(0.0, f64::max);
        total += worst;
    }
    Ok(total / k as f64)
}

/// Calinski-Harabasz index (Calinski & Harabasz 1974), higher is better:
/// `CH = [B / (k - 1)] / [W / (n - k)]`, `B = sum_c n_c ||c_c - c||^2` (between-cluster
/// dispersion), `W = sum_c sum_{x in c} ||x - c_c||^2` (within). 1.0 when `W = 0`.
pub fn calinski_harabasz(x: ArrayView2<f64>, labels: &[usize]) -> Result<f64, MetricsError> {
    let (codes, k) = check_internal(x, labels)?;
    let n = x.nrows() as f64;
    let (counts, cent) = centroids(x, &codes, k)?;
    let mean = x.sum_axis(ndarray::Axis(0)) / n;
    let mut between = 0.0;
    for (c, &cnt) in counts.iter().enumerate() {
        between += cnt
            * cent
                .row(c)
                .iter()
                .zip(&mean)
                .map(|(a, b)| (a - b) * (a - b))
                .sum::<f64>();
    }
    let mut within = 0.0;
    for (row, &c) in x.rows().into_iter().zip(&codes) {
        within += row.iter().zip(cent.row(c)).map(|(a, b)| (a - b) * (a - b)).sum::<f64>();
    }
    if within == 0.0 {
        return Ok(1.0);
    }
    Ok(between * (n - k as f64) / (within * (k as f64 - 1.0)))
}
