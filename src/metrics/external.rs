//! Agreement between two labelings: contingency table, adjusted Rand index, normalized mutual
//! information (scikit-learn definitions).

use super::{MetricsError, encode};
use ndarray::Array2;

fn check_pair(a: &[usize], b: &[usize]) -> Result<(), MetricsError> {
    if a.len() != b.len() {
        return Err(MetricsError::LengthMismatch {
            what: "the two labelings",
            left: a.len(),
            right: b.len(),
        });
    }
    Ok(())
}

/// Contingency table `n_ij` = number of points with the i-th smallest label of `a` and the
/// j-th smallest label of `b`.
pub fn contingency(a: &[usize], b: &[usize]) -> Result<Array2<usize>, MetricsError> {
    check_pair(a, b)?;
    let ((ca, ka), (cb, kb)) = (encode(a), encode(b));
    let mut table = Array2::<usize>::zeros((ka, kb));
    for (&i, &j) in ca.iter().zip(&cb) {
        table[[i, j]] += 1;
    }
    Ok(table)
}

/// Adjusted Rand index (Hubert & Arabie 1985) from the pair confusion matrix, computed in
/// exact integers: `ARI = 2 (tp tn - fn fp) / ((tp + fn)(fn + tn) + (tp + fp)(fp + tn))`;
/// 1.0 when both labelings agree on every pair (including empty input).
pub fn adjusted_rand_index(a: &[usize], b: &[usize]) -> Result<f64, MetricsError> {
    let table = contingency(a, b)?;
    let n = a.len() as i128;
    let sum_sq: i128 = table.iter().map(|&v| (v as i128) * (v as i128)).sum();
    let rows: Vec<i128> = table
        .rows()
        .into_iter()
        .map(|r| r.iter().sum::<usize>() as i128)
        .collect();
    let cols: Vec<i128> = table
        .columns()
        .into_iter()
        .map(|c| c.iter().sum::<usize>() as i128)
        .collect();
    let tp = sum_sq - n;
    let fp = rows.iter().map(|r| r * r).sum::<i128>() - sum_sq;
    let fn_ = cols.iter().map(|c| c * c).sum::<i128>() - sum_sq;
    let tn = n * n - fp - fn_ - sum_sq;
    if fn_ == 0 && fp == 0 {
        return Ok(1.0);
    }
    let num = 2 * (tp * tn - fn_ * fp);
    let den = (tp + fn_) * (fn_ + tn) + (tp + fp) * (fp + tn);
    Ok(num as f64 / den as f64)
}

/// Entropy (natural log) of a labeling from its counts.
fn entropy(counts: &[f64]) -> f64 {
    let total: f64 = counts.iter().sum();
    -counts
        .iter()
        .filter(|&&c| c > 0.0)
        .map(|&c| (c / total) * (c.ln() - total.ln()))
        .sum::<f64>()
}

/// Normalized mutual information with the arithmetic mean of entropies (Vinh, Epps & Bailey
/// 2010; scikit-learn's default): `NMI = I(A; B) / ((H(A) + H(B)) / 2)`, with
/// `I = sum_ij (n_ij / n) ln(n n_ij / (a_i b_j))`. 1.0 when both have one label, 0.0 when I = 0.
pub fn normalized_mutual_info(a: &[usize], b: &[usize]) -> Result<f64, MetricsError> {
    let table = contingency(a, b)?;
    let (ka, kb) = table.dim();
    if ka == kb && (ka == 1 || ka == 0) {
        return Ok(1.0);
    }
    let rows: Vec<f64> = table
        .rows()
        .into_iter()
        .map(|r| r.iter().sum::<usize>() as f64)
        .collect();
    let cols: Vec<f64> = table
        .columns()
        .into_iter()
        .map(|c| c.iter().sum::<usize>() as f64)
        .collect();
    let mi = mutual_info(&table, &rows, &cols);
    if mi == 0.0 {
        return Ok(0.0);
    }
    let norm = (entropy(&rows) + entropy(&cols)) / 2.0;
    Ok(mi / norm)
}

/// Mutual information from a contingency table, as scikit-learn evaluates it.
fn mutual_info(table: &Array2<usize>, rows: &[f64], cols: &[f64]) -> f64 {
    if rows.len() == 1 || cols.len() == 1 {
        return 0.0;
    }
    let total: f64 = rows.iter().sum();
    let mut mi = 0.0;
    for ((i, j), &v) in table.indexed_iter() {
        if v == 0 {
            continue;
        }
        let nij = v as f64;
        let p = nij / total;
        let outer = rows[i] * cols[j];
        let term = p * (nij.ln() - total.ln()) + p * (-outer.ln() + total.ln() + total.ln());
        if term.abs() >= f64::EPSILON {
            mi += term;
        }
    }
    mi.max(0.0)
}

#[cfg(test)]
#[path = "external_tests.rs"]
mod tests;
