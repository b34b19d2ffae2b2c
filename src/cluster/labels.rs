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
/// `a = mapping[b]` is maximal: a maximum-weight assignment on the contingency table (Kuhn 1955,
/// Munkres 1957), by the `pathfinding` crate's `kuhn_munkres` on the integer counts (exact, no
/// floating-point ties). `mapping[j]` is `None` when `b` has more clusters than `a` and cluster
/// `j` is left over.
pub fn best_match(a: &[usize], b: &[usize]) -> Result<Vec<Option<usize>>, ClusterError> {
    use pathfinding::kuhn_munkres::kuhn_munkres;
    use pathfinding::matrix::Matrix;
    let table = contingency(a, b)?;
    let (ka, kb) = table.dim();
    if ka == 0 || kb == 0 {
        return Ok(vec![None; kb]);
    }
    let count = |i: usize, j: usize| table[[i, j]] as i64;
    // kuhn_munkres assigns every row of a rows <= columns matrix.
    if kb <= ka {
        let weights = Matrix::from_fn(kb, ka, |(j, i)| count(i, j));
        let (_, row_to_col) = kuhn_munkres(&weights);
        Ok(row_to_col.into_iter().map(Some).collect())
    } else {
        let weights = Matrix::from_fn(ka, kb, |(i, j)| count(i, j));
        let (_, a_to_b) = kuhn_munkres(&weights);
        let mut mapping = vec![None; kb];
        for (i, &j) in a_to_b.iter().enumerate() {
            mapping[j] = Some(i);
        }
        Ok(mapping)
    }
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
