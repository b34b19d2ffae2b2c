//! Stable cluster labels: a reproducible numbering and the best matching between two partitions.
//!
//! Cluster numbers out of K-Means or Ward are arbitrary. landclust renumbers them with
//! [`relabel_by_key`] so that cluster 0 has the smallest key; the pipeline's rule is: the key is
//! the mean NDVI of the cluster centre when NDVI is among the variables, else the first principal
//! component score of the centre; ties keep the old order. Two partitions (K-Means vs Ward) are
//! compared after [`best_match`], the Kuhn-Munkres assignment that maximizes agreement.

use ndarray::{Array2, ArrayView2};

use super::ClusterError;

/// Per-cluster sizes and coordinate sums of the rows of `x`, summed in row order (so the bits
/// do not depend on threads). The one place where landclust adds up clusters for centres,
/// Davies-Bouldin/Calinski-Harabasz centroids, the stable numbering and `centers.csv`; the
/// K-Means inner loops keep their own fused sums for speed.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterSums {
    /// Points in each cluster.
    pub sizes: Vec<usize>,
    /// `k x d` sums of the points' coordinates.
    pub sums: Array2<f64>,
}

impl ClusterSums {
    /// Sums of `x`'s rows by `labels` (each in `0..k`).
    pub fn of(x: ArrayView2<f64>, labels: &[usize], k: usize) -> Result<Self, ClusterError> {
        if labels.len() != x.nrows() {
            return Err(ClusterError::LengthMismatch {
                what: "data rows and labels",
                left: x.nrows(),
                right: labels.len(),
            });
        }
        let mut sizes = vec![0usize; k];
        let mut sums = Array2::<f64>::zeros((k, x.ncols()));
        for (row, &l) in x.rows().into_iter().zip(labels) {
            if l >= k {
                return Err(ClusterError::LabelOutOfRange { label: l, k });
            }
            sizes[l] += 1;
            sums.row_mut(l).zip_mut_with(&row, |s, v| *s += v);
        }
        Ok(ClusterSums { sizes, sums })
    }

    /// `k x d` means; `empty` fills the rows of empty clusters.
    pub fn means(&self, empty: f64) -> Array2<f64> {
        let mut means = self.sums.clone();
        for (mut row, &n) in means.rows_mut().into_iter().zip(&self.sizes) {
            if n == 0 {
                row.fill(empty);
            } else {
                row.mapv_inplace(|s| s / n as f64);
            }
        }
        means
    }
}

/// Renumbers clusters by ascending `key[old]` (ties broken by the old index; NaN keys last).
///
/// Returns `(new_labels, mapping)` with `mapping[old] = new`.
pub fn relabel_by_key(labels: &[usize], k: usize, key: &[f64]) -> Result<(Vec<usize>, Vec<usize>), ClusterError> {
    if key.len() != k {
        return Err(ClusterError::LengthMismatch {
            what: "relabel keys vs clusters",
            left: key.len(),
            right: k,
        });
    }
    if let Some(&label) = labels.iter().find(|&&l| l >= k) {
        return Err(ClusterError::LabelOutOfRange { label, k });
    }
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| nan_last(key[a], key[b]).then(a.cmp(&b)));
    let mut mapping = vec![0; k];
    for (new, &old) in order.iter().enumerate() {
        mapping[old] = new;
    }
    Ok((labels.iter().map(|&l| mapping[l]).collect(), mapping))
}

fn nan_last(a: f64, b: f64) -> std::cmp::Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => std::cmp::Ordering::Equal,
        (true, false) => std::cmp::Ordering::Greater,
        (false, true) => std::cmp::Ordering::Less,
        _ => a.total_cmp(&b),
    }
}

/// Minimum-cost assignment (Kuhn 1955, Munkres 1957; the O(n^2 m) potentials form) of a rows x
/// cols cost matrix. Returns for each row its column, or `None` for rows left over when
/// rows > cols. Costs must be finite.
pub fn hungarian(cost: &Array2<f64>) -> Vec<Option<usize>> {
    let (rows, cols) = cost.dim();
    if rows <= cols {
        return assign_rows(rows, cols, |i, j| cost[[i, j]])
            .into_iter()
            .map(Some)
            .collect();
    }
    let col_to_row = assign_rows(cols, rows, |i, j| cost[[j, i]]);
    let mut result = vec![None; rows];
    for (col, &row) in col_to_row.iter().enumerate() {
        result[row] = Some(col);
    }
    result
}

/// Potentials (Jonker-Volgenant style) Hungarian method for n <= m; returns row -> column.
fn assign_rows(n: usize, m: usize, cost: impl Fn(usize, usize) -> f64) -> Vec<usize> {
    // 1-based arrays as in the classic formulation; index 0 is the virtual column.
    let mut u = vec![0.0; n + 1];
    let mut v = vec![0.0; m + 1];
    let mut p = vec![0usize; m + 1];
    let mut way = vec![0usize; m + 1];
    for i in 1..=n {
        p[0] = i;
        let mut j0 = 0;
        let mut minv = vec![f64::INFINITY; m + 1];
        let mut used = vec![false; m + 1];
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let mut delta = f64::INFINITY;
            let mut j1 = 0;
            for j in 1..=m {
                if !used[j] {
                    let cur = cost(i0 - 1, j - 1) - u[i0] - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            for j in 0..=m {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 || j1 == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    let mut row_to_col = vec![0; n];
    for j in 1..=m {
        if p[j] > 0 {
            row_to_col[p[j] - 1] = j - 1;
        }
    }
    row_to_col
}

/// Contingency table `c[i][j]` = number of points with `a = i` and `b = j`.
pub fn contingency(a: &[usize], b: &[usize]) -> Result<Array2<usize>, ClusterError> {
    if a.len() != b.len() {
        return Err(ClusterError::LengthMismatch {
            what: "label vectors",
            left: a.len(),
            right: b.len(),
        });
    }
    let ka = a.iter().max().map_or(0, |m| m + 1);
    let kb = b.iter().max().map_or(0, |m| m + 1);
    let mut table = Array2::<usize>::zeros((ka, kb));
    for (&i, &j) in a.iter().zip(b) {
        table[[i, j]] += 1;
    }
    Ok(table)
}

/// Maps each cluster of `b` to a cluster of `a` so that the number of points with
/// `a = mapping[b]` is maximal (Hungarian on the contingency table). `mapping[j]` is `None`
/// when `b` has more clusters than `a` and cluster `j` is left over.
pub fn best_match(a: &[usize], b: &[usize]) -> Result<Vec<Option<usize>>, ClusterError> {
    let table = contingency(a, b)?;
    let most = table.iter().copied().max().unwrap_or(0) as f64;
    // Rows are b's clusters; maximizing agreement = minimizing (most - count).
    let cost = Array2::from_shape_fn((table.ncols(), table.nrows()), |(j, i)| most - table[[i, j]] as f64);
    Ok(hungarian(&cost))
}

/// Fraction of points whose `b` cluster, mapped by [`best_match`], equals their `a` cluster.
pub fn matched_agreement(a: &[usize], b: &[usize]) -> Result<f64, ClusterError> {
    let mapping = best_match(a, b)?;
    if a.is_empty() {
        return Ok(1.0);
    }
    let same = a.iter().zip(b).filter(|&(&x, &y)| mapping[y] == Some(x)).count();
    Ok(same as f64 / a.len() as f64)
}

#[cfg(test)]
#[path = "labels_tests.rs"]
mod tests;
