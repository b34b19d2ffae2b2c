//! Feature preparation: z-score standardization and the Pearson correlation matrix.
//!
//! The study (listing 7) standardizes every variable as `z = (x - mean) / std` with the
//! population standard deviation (ddof = 0), like scikit-learn's `StandardScaler`, so that each
//! physical parameter has the same weight in the Euclidean distance.
//!
//! All column reductions run in fixed chunks combined in order ([`crate::par::map_chunks`]), so
//! the results are bit-identical on any thread count.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis};
use rayon::prelude::*;

use crate::par::{CHUNK_ROWS, map_chunks};

/// Errors preparing features.
#[derive(Debug, thiserror::Error)]
pub enum FeatureError {
    #[error("variable {name}: constant over the selected cells (std = 0), cannot standardize")]
    ConstantColumn { name: String },
    #[error("need at least 2 points, got {0}")]
    TooFewPoints(usize),
    #[error("{names} variable names given for {columns} data columns")]
    NamesMismatch { names: usize, columns: usize },
    #[error("data have {got} columns, the standardizer was fitted on {expected}")]
    ColumnsMismatch { expected: usize, got: usize },
    #[error("variable {name}: non-finite value (NaN or infinite) at row {row}")]
    NonFinite { name: String, row: usize },
    #[error("{weights} weights given for {rows} rows")]
    WeightsMismatch { weights: usize, rows: usize },
    #[error("weight of row {row} is {value}: weights must be finite and > 0")]
    BadWeight { row: usize, value: f64 },
}

/// Cell weights scaled to mean 1 (they sum to `n`), or `None` when every weight is the same:
/// equal weights are the unweighted problem, so the unweighted code runs and its results stay
/// bit-identical. A weight that is not finite and positive is an error naming its row.
///
/// Why mean 1: K-Means' inertia, a mixture's log-likelihood and the Calinski-Harabasz ratio
/// then keep the scale of their unweighted values (a sum over `n` unit-weight cells).
pub fn normalised_weights(raw: &[f64]) -> Result<Option<Array1<f64>>, FeatureError> {
    if let Some((row, &value)) = raw.iter().enumerate().find(|(_, w)| !(w.is_finite() && **w > 0.0)) {
        return Err(FeatureError::BadWeight { row, value });
    }
    let Some(&first) = raw.first() else {
        return Ok(None);
    };
    if raw.iter().all(|&w| w == first) {
        return Ok(None);
    }
    let sums = map_chunks(raw.len(), CHUNK_ROWS, |a, b| raw[a..b].iter().sum::<f64>());
    let total: f64 = sums.iter().sum();
    let scale = raw.len() as f64 / total;
    Ok(Some(raw.iter().map(|&w| w * scale).collect()))
}

fn check_weights(w: ArrayView1<f64>, rows: usize) -> Result<(), FeatureError> {
    if w.len() != rows {
        return Err(FeatureError::WeightsMismatch { weights: w.len(), rows });
    }
    if let Some((row, &value)) = w.iter().enumerate().find(|(_, v)| !(v.is_finite() && **v > 0.0)) {
        return Err(FeatureError::BadWeight { row, value });
    }
    Ok(())
}

/// Weighted column means `m_j = sum_i w_i x_ij / sum_i w_i` (numpy's `average(x, axis=0,
/// weights=w)`), with the chunks of [`column_means`]: with every `w_i = 1` the bits are those
/// of [`column_means`].
pub fn weighted_column_means(x: ArrayView2<f64>, w: ArrayView1<f64>) -> Array1<f64> {
    let (n, d) = x.dim();
    let partial = map_chunks(n, CHUNK_ROWS, |start, end| {
        let mut sum = Array1::<f64>::zeros(d + 1);
        for i in start..end {
            for j in 0..d {
                sum[j] += w[i] * x[[i, j]];
            }
            sum[d] += w[i];
        }
        sum
    });
    let mut total = Array1::<f64>::zeros(d + 1);
    for part in &partial {
        total += part;
    }
    let weight = total[d];
    let mut mean = total.slice(ndarray::s![..d]).to_owned();
    if weight > 0.0 {
        mean /= weight;
    }
    mean
}

/// Sum of the weights in the chunks of [`weighted_column_means`].
pub fn weight_total(w: ArrayView1<f64>) -> f64 {
    map_chunks(w.len(), CHUNK_ROWS, |a, b| (a..b).map(|i| w[i]).sum::<f64>())
        .iter()
        .sum()
}

/// Weighted scatter matrix `S = sum_i w_i (x_i - mean)(x_i - mean)^T`, computed as the scatter
/// of the rows scaled by `sqrt(w_i)` so that with every `w_i = 1` the bits are those of
/// [`scatter_matrix`]; the weighted covariance is `S / sum_i w_i`.
pub fn weighted_scatter_matrix(x: ArrayView2<f64>, mean: ArrayView1<f64>, w: ArrayView1<f64>) -> Array2<f64> {
    let (n, d) = x.dim();
    let partial = map_chunks(n, CHUNK_ROWS, |start, end| {
        let mut centered = x.slice(ndarray::s![start..end, ..]).to_owned();
        centered -= &mean;
        for (r, mut row) in centered.rows_mut().into_iter().enumerate() {
            let s = w[start + r].sqrt();
            row.mapv_inplace(|v| v * s);
        }
        centered.t().dot(&centered)
    });
    let mut total = Array2::<f64>::zeros((d, d));
    for part in &partial {
        total += part;
    }
    total
}

/// Column means, summed in fixed chunks combined in chunk order (deterministic).
pub fn column_means(x: ArrayView2<f64>) -> Array1<f64> {
    let (n, d) = x.dim();
    // Element by element in row order, the additions `sum += &row` would make.
    let partial = map_chunks(n, CHUNK_ROWS, |start, end| {
        let mut sum = Array1::<f64>::zeros(d);
        for i in start..end {
            for (j, s) in sum.iter_mut().enumerate() {
                *s += x[[i, j]];
            }
        }
        sum
    });
    let mut total = Array1::<f64>::zeros(d);
    for part in &partial {
        total += part;
    }
    if n > 0 {
        total /= n as f64;
    }
    total
}

/// Scatter matrix `S = sum_i (x_i - mean)(x_i - mean)^T` (d x d), accumulated in fixed chunks
/// combined in chunk order; the covariance is `S / (n - ddof)`.
pub fn scatter_matrix(x: ArrayView2<f64>, mean: ArrayView1<f64>) -> Array2<f64> {
    let (n, d) = x.dim();
    let partial = map_chunks(n, CHUNK_ROWS, |start, end| {
        let mut centered = x.slice(ndarray::s![start..end, ..]).to_owned();
        centered -= &mean;
        centered.t().dot(&centered)
    });
    let mut total = Array2::<f64>::zeros((d, d));
    for part in &partial {
        total += part;
    }
    total
}

/// Fails on the first NaN or infinite entry, naming its variable and row.
fn check_finite(x: ArrayView2<f64>, names: &[String]) -> Result<(), FeatureError> {
    let d = x.ncols();
    let first_bad = map_chunks(x.nrows(), CHUNK_ROWS, |a, b| {
        (a..b).find_map(|row| (0..d).find(|&j| !x[[row, j]].is_finite()).map(|col| (row, col)))
    });
    if let Some((row, col)) = first_bad.into_iter().flatten().next() {
        let name = names.get(col).cloned().unwrap_or_else(|| format!("#{col}"));
        return Err(FeatureError::NonFinite { name, row });
    }
    Ok(())
}

/// Per-variable z-score: `z = (x - mean) / std`, `std` the population standard deviation
/// (ddof = 0), as scikit-learn's `StandardScaler` and the study's listing 7.
#[derive(Debug, Clone, PartialEq)]
pub struct Standardizer {
    /// Variable names, one per column.
    pub names: Vec<String>,
    /// Column means.
    pub mean: Array1<f64>,
    /// Column population standard deviations (ddof = 0).
    pub std: Array1<f64>,
}

impl Standardizer {
    /// Fits mean and population std per column of `x` (n x d, one name per column).
    ///
    /// A column is constant, and an error naming it, when `std == 0` or
    /// `std < 1e-12 * |mean|` (only rounding noise left).
    pub fn fit(x: ArrayView2<f64>, names: &[String]) -> Result<Self, FeatureError> {
        let (n, d) = x.dim();
        if names.len() != d {
            return Err(FeatureError::NamesMismatch {
                names: names.len(),
                columns: d,
            });
        }
        if n < 2 {
            return Err(FeatureError::TooFewPoints(n));
        }
        check_finite(x, names)?;
        let mean = column_means(x);
        let scatter = scatter_matrix(x, mean.view());
        let std = scatter.diag().mapv(|s| (s / n as f64).sqrt());
        for (j, (&s, &m)) in std.iter().zip(mean.iter()).enumerate() {
            if s == 0.0 || s < 1e-12 * m.abs() {
                return Err(FeatureError::ConstantColumn { name: names[j].clone() });
            }
        }
        Ok(Self {
            names: names.to_vec(),
            mean,
            std,
        })
    }

    /// [`Standardizer::fit`] with a weight per row: the weighted mean `m = sum w x / sum w` and
    /// the weighted population standard deviation `s = sqrt(sum w (x - m)^2 / sum w)` (numpy's
    /// `average(x, weights=w)` and `sqrt(average((x - m)**2, weights=w))`: the ddof = 0 of the
    /// unweighted fit, with no frequency or reliability correction). `None` is
    /// [`Standardizer::fit`]; weights all 1 give its bits.
    pub fn fit_weighted(
        x: ArrayView2<f64>,
        names: &[String],
        weights: Option<ArrayView1<f64>>,
    ) -> Result<Self, FeatureError> {
        let Some(w) = weights else {
            return Self::fit(x, names);
        };
        let (n, d) = x.dim();
        if names.len() != d {
            return Err(FeatureError::NamesMismatch {
                names: names.len(),
                columns: d,
            });
        }
        if n < 2 {
            return Err(FeatureError::TooFewPoints(n));
        }
        check_finite(x, names)?;
        check_weights(w, n)?;
        let mean = weighted_column_means(x, w);
        let scatter = weighted_scatter_matrix(x, mean.view(), w);
        let total = weight_total(w);
        let std = scatter.diag().mapv(|s| (s / total).sqrt());
        for (j, (&s, &m)) in std.iter().zip(mean.iter()).enumerate() {
            if s == 0.0 || s < 1e-12 * m.abs() {
                return Err(FeatureError::ConstantColumn { name: names[j].clone() });
            }
        }
        Ok(Self {
            names: names.to_vec(),
            mean,
            std,
        })
    }

    fn check_columns(&self, x: ArrayView2<f64>) -> Result<(), FeatureError> {
        if x.ncols() != self.mean.len() {
            return Err(FeatureError::ColumnsMismatch {
                expected: self.mean.len(),
                got: x.ncols(),
            });
        }
        Ok(())
    }

    /// `z = (x - mean) / std`.
    pub fn transform(&self, x: ArrayView2<f64>) -> Result<Array2<f64>, FeatureError> {
        self.check_columns(x)?;
        let (n, d) = x.dim();
        let mut z = Array2::<f64>::zeros((n, d));
        let (mean, std) = (&self.mean, &self.std);
        // Rows in parallel; each entry is `(x - mean) / std`, rounded as the two array steps
        // `z -= mean; z /= std` would round it.
        z.axis_chunks_iter_mut(Axis(0), CHUNK_ROWS)
            .into_par_iter()
            .enumerate()
            .for_each(|(c, mut block)| {
                for (r, mut row) in block.rows_mut().into_iter().enumerate() {
                    let i = c * CHUNK_ROWS + r;
                    for (j, v) in row.iter_mut().enumerate() {
                        *v = (x[[i, j]] - mean[j]) / std[j];
                    }
                }
            });
        Ok(z)
    }

    /// Fits on `x` and returns its standardized copy.
    pub fn fit_transform(x: ArrayView2<f64>, names: &[String]) -> Result<(Self, Array2<f64>), FeatureError> {
        let scaler = Self::fit(x, names)?;
        let z = scaler.transform(x)?;
        Ok((scaler, z))
    }

    /// `x = z * std + mean`, back to physical units.
    pub fn inverse_transform(&self, z: ArrayView2<f64>) -> Result<Array2<f64>, FeatureError> {
        self.check_columns(z)?;
        let mut x = z.to_owned();
        x *= &self.std;
        x += &self.mean;
        Ok(x)
    }
}

/// Pearson correlation matrix of the columns of `x` (d x d), as `numpy.corrcoef(x, rowvar=False)`:
/// `r_ij = S_ij / sqrt(S_ii S_jj)` with `S` the scatter matrix. A constant column gives NaN.
pub fn correlation(x: ArrayView2<f64>) -> Array2<f64> {
    let mean = column_means(x);
    let scatter = scatter_matrix(x, mean.view());
    let scale = scatter.diag().mapv(f64::sqrt);
    let d = scale.len();
    Array2::from_shape_fn((d, d), |(i, j)| {
        let r = scatter[[i, j]] / (scale[i] * scale[j]);
        // Rounding can push |r| a hair above 1; numpy clips the same way.
        if r.is_finite() { r.clamp(-1.0, 1.0) } else { f64::NAN }
    })
}

/// [`correlation`] with a weight per row (`None`: [`correlation`]): the same ratio of the
/// weighted scatter matrix, as `numpy.cov(x, rowvar=False, aweights=w)` normalised.
pub fn correlation_weighted(x: ArrayView2<f64>, weights: Option<ArrayView1<f64>>) -> Array2<f64> {
    let Some(w) = weights else {
        return correlation(x);
    };
    let mean = weighted_column_means(x, w);
    let scatter = weighted_scatter_matrix(x, mean.view(), w);
    let scale = scatter.diag().mapv(f64::sqrt);
    let d = scale.len();
    Array2::from_shape_fn((d, d), |(i, j)| {
        let r = scatter[[i, j]] / (scale[i] * scale[j]);
        if r.is_finite() { r.clamp(-1.0, 1.0) } else { f64::NAN }
    })
}

/// Population variance of all entries of `x` (numpy `x.var()`), used by the R^2 of listing 12.
pub fn total_variance(x: ArrayView2<f64>) -> f64 {
    let n = x.len();
    if n == 0 {
        return f64::NAN;
    }
    let flat: Vec<f64> = x.iter().copied().collect();
    let sums = map_chunks(n, CHUNK_ROWS * 8, |a, b| flat[a..b].iter().sum::<f64>());
    let mean = sums.iter().sum::<f64>() / n as f64;
    let sq = map_chunks(n, CHUNK_ROWS * 8, |a, b| {
        flat[a..b].iter().map(|v| (v - mean) * (v - mean)).sum::<f64>()
    });
    sq.iter().sum::<f64>() / n as f64
}

#[cfg(test)]
#[path = "features_tests.rs"]
mod tests;
