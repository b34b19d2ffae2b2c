//! Tensor-train decomposition: TT-SVD (Oseledets 2011, "Tensor-train decomposition", SIAM J.
//! Sci. Comput. 33(5), Algorithm 1) and an EM-style completion for tensors with missing entries.
//!
//! A d-way tensor `A(i_1, ..., i_d)` is written as a product of cores
//! `A(i_1, ..., i_d) ~ G_1[i_1] G_2[i_2] ... G_d[i_d]`, where `G_k[i_k]` is the
//! `r_{k-1} x r_k` slice of core `k` (shape `r_{k-1} x n_k x r_k`, `r_0 = r_d = 1`).
//!
//! TT-SVD sweeps left to right: with `C = reshape(A, [n_1, n_2 ... n_d])`, at each step the
//! unfolding `C` (`r_{k-1} n_k x rest`) is split by a truncated SVD `C ~ U_r S_r V_r^T`; `U_r`
//! becomes core `k` and `C <- reshape(S_r V_r^T, [r_k n_{k+1}, ...])` carries on. The rank `r_k`
//! is the smaller of the given rank (if any) and the smallest `r` whose discarded energy
//! `sum_{i > r} sigma_i^2 <= delta^2`, `delta = eps / sqrt(d - 1) * ||A||_F` (if `eps` is given).
//! Theorem 2.2 of the paper then bounds the result: `||A - B||_F <= eps ||A||_F`.
//!
//! Tensors are flat `Vec<f64>` in C order (last index fastest); a core is an
//! [`Array3`] `(r_{k-1}, n_k, r_k)`, so its flat data is the row-major `r_{k-1} n_k x r_k` matrix.

use nalgebra::{DMatrix, SymmetricEigen};
use ndarray::{Array2, Array3, ArrayView2, Axis, s};

use super::ReduceError;

/// Validated-on-build parameters of TT-SVD and of the completion.
#[derive(Debug, Clone, PartialEq)]
pub struct TtParams {
    ranks: Option<Vec<usize>>,
    eps: Option<f64>,
    tol: f64,
    max_iter: usize,
}

impl Default for TtParams {
    fn default() -> Self {
        Self::new()
    }
}

impl TtParams {
    /// No rank cap, no accuracy (exact TT-SVD up to rounding); completion `tol = 1e-4`,
    /// `max_iter = 100`.
    pub fn new() -> Self {
        TtParams {
            ranks: None,
            eps: None,
            tol: 1e-4,
            max_iter: 100,
        }
    }

    /// The largest TT-ranks `r_1 .. r_{d-1}` (one per bond; d - 1 of them).
    pub fn ranks(mut self, ranks: Vec<usize>) -> Self {
        self.ranks = Some(ranks);
        self
    }

    /// The relative accuracy `eps`: `||A - B||_F <= eps ||A||_F`.
    pub fn eps(mut self, eps: f64) -> Self {
        self.eps = Some(eps);
        self
    }

    /// Completion stops when the relative change of the filled entries is below `tol`.
    pub fn tol(mut self, tol: f64) -> Self {
        self.tol = tol;
        self
    }

    /// Completion stops after `max_iter` TT-SVDs at most.
    pub fn max_iter(mut self, max_iter: usize) -> Self {
        self.max_iter = max_iter;
        self
    }

    /// Checks ranks >= 1, `0 <= eps < 1`, `tol > 0`, `max_iter >= 1`.
    pub fn build(self) -> Result<Self, ReduceError> {
        let bad = |option: &'static str, value: String, message: &'static str| ReduceError::BadTtOption {
            option,
            value,
            message,
        };
        if let Some(r) = &self.ranks
            && r.contains(&0)
        {
            return Err(bad("ranks", format!("{r:?}"), "every TT-rank must be at least 1"));
        }
        if let Some(e) = self.eps
            && !(e.is_finite() && (0.0..1.0).contains(&e))
        {
            return Err(bad("eps", e.to_string(), "must be in [0, 1)"));
        }
        if !(self.tol.is_finite() && self.tol > 0.0) {
            return Err(bad("tol", self.tol.to_string(), "must be a positive number"));
        }
        if self.max_iter == 0 {
            return Err(bad("max_iter", "0".into(), "must be at least 1"));
        }
        Ok(self)
    }

    /// TT-SVD (Algorithm 1) of the tensor `data` of shape `shape` (C order).
    pub fn decompose(&self, data: &[f64], shape: &[usize]) -> Result<TensorTrain, ReduceError> {
        let d = shape.len();
        let total: usize = shape.iter().product();
        if d < 2 || total == 0 || data.len() != total {
            return Err(ReduceError::Invalid(format!(
                "TT-SVD: a tensor of shape {shape:?} needs {total} > 0 values and at least 2 modes, got {}",
                data.len()
            )));
        }
        if let Some(r) = &self.ranks
            && r.len() != d - 1
        {
            return Err(ReduceError::Invalid(format!(
                "TT-SVD: a {d}-way tensor has {} TT-ranks, {} given",
                d - 1,
                r.len()
            )));
        }
        if let Some(pos) = data.iter().position(|v| !v.is_finite()) {
            return Err(ReduceError::Invalid(format!(
                "TT-SVD input: non-finite value at index {pos}"
            )));
        }
        let norm_sq: f64 = data.iter().map(|v| v * v).sum();
        let delta_sq = self.eps.map_or(0.0, |e| e * e / (d - 1) as f64 * norm_sq);
        let mut cores = Vec::with_capacity(d);
        let mut r_prev = 1;
        let mut c = Array2::from_shape_vec((shape[0], total / shape[0]), data.to_vec())
            .map_err(|e| ReduceError::Invalid(e.to_string()))?;
        for k in 0..d - 1 {
            let cap = self.ranks.as_ref().map_or(usize::MAX, |r| r[k]);
            let (u, w) = truncated_split(c.view(), cap, self.eps.map(|_| delta_sq))?;
            let r = u.ncols();
            cores.push(reshape3(u, r_prev, shape[k], r)?);
            let rest = w.ncols() / shape[k + 1];
            c = w
                .into_shape_with_order((r * shape[k + 1], rest))
                .map_err(|e| ReduceError::Invalid(e.to_string()))?;
            r_prev = r;
        }
        let last = shape[d - 1];
        cores.push(reshape3(c, r_prev, last, 1)?);
        Ok(TensorTrain {
            shape: shape.to_vec(),
            cores,
        })
    }

    /// EM-style completion: entries where `observed` is false are unknown (not zeros). Start
    /// from 0 there (the mean of z-scores), then alternate a TT-SVD of the filled tensor and
    /// refilling only the unknown entries with its reconstruction, until the relative change
    /// `||B_new - B_old||_F / ||A_observed||_F` over the unknown entries is below `tol`, or
    /// `max_iter` TT-SVDs (the hard-impute scheme of Mazumder, Hastie & Tibshirani 2010 with
    /// TT-SVD as the low-rank step). Without unknown entries it is one TT-SVD.
    pub fn complete(&self, data: &[f64], observed: &[bool], shape: &[usize]) -> Result<TtCompletion, ReduceError> {
        if observed.len() != data.len() {
            return Err(ReduceError::Invalid(format!(
                "TT completion: {} mask entries for {} values",
                observed.len(),
                data.len()
            )));
        }
        let mut x: Vec<f64> = data
            .iter()
            .zip(observed)
            .map(|(&v, &o)| if o { v } else { 0.0 })
            .collect();
        let observed_norm = x.iter().map(|v| v * v).sum::<f64>().sqrt().max(f64::MIN_POSITIVE);
        let any_missing = observed.iter().any(|&o| !o);
        let mut iterations = 0;
        loop {
            iterations += 1;
            let train = self.decompose(&x, shape)?;
            if !any_missing {
                return Ok(TtCompletion {
                    train,
                    iterations,
                    converged: true,
                    change: 0.0,
                });
            }
            let full = train.full();
            let mut change_sq = 0.0;
            for ((xi, &fi), &o) in x.iter_mut().zip(&full).zip(observed) {
                if !o {
                    change_sq += (fi - *xi) * (fi - *xi);
                    *xi = fi;
                }
            }
            let change = change_sq.sqrt() / observed_norm;
            if change < self.tol || iterations >= self.max_iter {
                // One last split of the refilled tensor, so the cores match the filled values.
                let train = self.decompose(&x, shape)?;
                return Ok(TtCompletion {
                    train,
                    iterations,
                    converged: change < self.tol,
                    change,
                });
            }
        }
    }
}

/// A completed tensor train and how the completion went.
#[derive(Debug, Clone)]
pub struct TtCompletion {
    pub train: TensorTrain,
    /// TT-SVDs run (the last split after convergence not counted).
    pub iterations: usize,
    /// Whether the change fell below `tol` before `max_iter`.
    pub converged: bool,
    /// The last relative change of the unknown entries.
    pub change: f64,
}

/// Splits `c` (m x n) as `c ~ U W` with `U` (m x r) orthonormal columns and `W = U^T c`.
///
/// Wide or square unfoldings (`m <= n`, e.g. the first one, `n_lat x (n_lon d)`, 1800 x 25,200
/// at 0.1 degree) go through the Gram matrix `c c^T` (m x m) and its symmetric eigenvectors:
/// nalgebra's SVD bidiagonalizes the whole m x n matrix with unblocked Householder steps and
/// forms the n-column `V` we never use, while the Gram route is one matrix product and an
/// m x m eigenproblem whose eigenvalues are the `sigma^2` the truncation rule needs. Squaring
/// loses singular values below about `1e-8 sigma_max`, which the truncation discards anyway; the
/// next core is the projection `U^T c`, never `V` scaled by `1 / sigma`, so no small sigma is
/// divided by and a tensor of exact TT-rank is reproduced to rounding. Tall unfoldings (few
/// columns, e.g. the last one, `r n_lon x d`) use nalgebra's thin SVD directly.
///
/// `r` is `min(cap, rank(c))` and, with `delta_sq`, at most the smallest `r >= 1` with
/// `sum_{i > r} sigma_i^2 <= delta_sq`.
fn truncated_split(
    c: ArrayView2<f64>,
    cap: usize,
    delta_sq: Option<f64>,
) -> Result<(Array2<f64>, Array2<f64>), ReduceError> {
    let (m, n) = c.dim();
    let (sigma_sq, basis) = if m <= n {
        let gram = c.dot(&c.t());
        let matrix = DMatrix::from_fn(m, m, |i, j| gram[[i, j]]);
        let eigen = SymmetricEigen::try_new(matrix, f64::EPSILON, 10_000).ok_or(ReduceError::NoConvergence)?;
        (
            eigen.eigenvalues.iter().map(|&v| v.max(0.0)).collect::<Vec<_>>(),
            eigen.eigenvectors,
        )
    } else {
        let matrix = DMatrix::from_fn(m, n, |i, j| c[[i, j]]);
        let svd =
            nalgebra::SVD::try_new(matrix, true, false, f64::EPSILON, 10_000).ok_or(ReduceError::NoConvergence)?;
        let u = svd.u.ok_or(ReduceError::NoConvergence)?;
        (svd.singular_values.iter().map(|&s| s * s).collect(), u)
    };
    let mut order: Vec<usize> = (0..sigma_sq.len()).collect();
    order.sort_by(|&a, &b| sigma_sq[b].total_cmp(&sigma_sq[a]).then(a.cmp(&b)));
    let largest = sigma_sq.get(order[0]).copied().unwrap_or(0.0);
    // Numerical rank: directions above rounding of the largest sigma^2 (the Gram route's floor).
    let numeric = order
        .iter()
        .filter(|&&i| sigma_sq[i] > largest * 1e-28 && sigma_sq[i] > 0.0)
        .count()
        .max(1);
    let mut r = cap.min(numeric).max(1);
    if let Some(delta_sq) = delta_sq {
        let mut tail: f64 = order.iter().map(|&i| sigma_sq[i]).sum();
        let mut by_eps = order.len();
        for (kept, &i) in order.iter().enumerate() {
            if tail <= delta_sq {
                by_eps = kept;
                break;
            }
            tail -= sigma_sq[i];
        }
        r = r.min(by_eps.max(1));
    }
    let mut u = Array2::<f64>::zeros((m, r));
    for (col, &i) in order.iter().take(r).enumerate() {
        let sign = largest_sign(basis.column(i).iter().copied());
        for row in 0..m {
            u[[row, col]] = sign * basis[(row, i)];
        }
    }
    let w = u.t().dot(&c);
    Ok((u, w))
}

/// +1 or -1 so that the entry of largest |value| is positive: deterministic core signs.
fn largest_sign(values: impl Iterator<Item = f64>) -> f64 {
    let best = values.fold(0.0f64, |b, v| if v.abs() > b.abs() { v } else { b });
    if best < 0.0 { -1.0 } else { 1.0 }
}

fn reshape3(m: Array2<f64>, r0: usize, n: usize, r1: usize) -> Result<Array3<f64>, ReduceError> {
    let flat: Vec<f64> = m.iter().copied().collect();
    Array3::from_shape_vec((r0, n, r1), flat).map_err(|e| ReduceError::Invalid(e.to_string()))
}

/// A tensor in TT format.
#[derive(Debug, Clone, PartialEq)]
pub struct TensorTrain {
    /// Mode sizes `n_1 .. n_d`.
    pub shape: Vec<usize>,
    /// Cores `(r_{k-1}, n_k, r_k)`.
    pub cores: Vec<Array3<f64>>,
}

impl TensorTrain {
    /// TT-ranks `r_1 .. r_{d-1}`.
    pub fn ranks(&self) -> Vec<usize> {
        self.cores
            .iter()
            .take(self.cores.len().saturating_sub(1))
            .map(|c| c.dim().2)
            .collect()
    }

    /// Number of parameters: `sum_k r_{k-1} n_k r_k`.
    pub fn n_params(&self) -> usize {
        self.cores.iter().map(|c| c.len()).sum()
    }

    /// The contraction of the first `d - 1` cores: one row per multi-index `(i_1 .. i_{d-1})`
    /// (C order), `r_{d-1}` columns. For a (latitude, longitude, variable) tensor, row
    /// `i n_lon + j` is `G_1[i] G_2[:, j, :]`, the cell's embedding; the last core maps it back
    /// to the variables: `A(i, j, :) ~ row G_d`.
    pub fn left_interface(&self) -> Array2<f64> {
        let mut m = Array2::<f64>::ones((1, 1));
        for core in &self.cores[..self.cores.len() - 1] {
            m = contract(&m, core);
        }
        m
    }

    /// The last core as an `r_{d-1} x n_d` matrix.
    pub fn last_matrix(&self) -> Array2<f64> {
        let last = &self.cores[self.cores.len() - 1];
        last.index_axis(Axis(2), 0).to_owned()
    }

    /// The full tensor (flat, C order).
    pub fn full(&self) -> Vec<f64> {
        let left = self.left_interface();
        left.dot(&self.last_matrix()).iter().copied().collect()
    }

    /// Make the last core's rows orthonormal (`G_d = U S V^T`: `G_d <- V^T`, `G_{d-1} <- G_{d-1} U S`),
    /// leaving the tensor unchanged. Then distances between rows of [`Self::left_interface`] equal
    /// distances between the reconstructed fibres `A(.., :)`, and its columns come in decreasing
    /// order of energy (like PCA scores), so keeping the first `r` of them is the best rank-`r`
    /// truncation of the last bond.
    pub fn orthogonalize_last(&mut self) -> Result<(), ReduceError> {
        let d = self.cores.len();
        let g = self.last_matrix();
        let (r, n) = g.dim();
        let svd = nalgebra::SVD::try_new(
            DMatrix::from_fn(r, n, |i, j| g[[i, j]]),
            true,
            true,
            f64::EPSILON,
            10_000,
        )
        .ok_or(ReduceError::NoConvergence)?;
        let (Some(u), Some(vt)) = (svd.u, svd.v_t) else {
            return Err(ReduceError::NoConvergence);
        };
        let p = svd.singular_values.len();
        let mut order: Vec<usize> = (0..p).collect();
        let sv = &svd.singular_values;
        order.sort_by(|&a, &b| sv[b].total_cmp(&sv[a]).then(a.cmp(&b)));
        let signs: Vec<f64> = order.iter().map(|&i| largest_sign(vt.row(i).iter().copied())).collect();
        let us = Array2::from_shape_fn((r, p), |(i, c)| u[(i, order[c])] * sv[order[c]] * signs[c]);
        let new_last = Array3::from_shape_fn((p, n, 1), |(c, j, _)| vt[(order[c], j)] * signs[c]);
        let prev = &self.cores[d - 2];
        let (a, m, _) = prev.dim();
        let flat = prev
            .view()
            .into_shape_with_order((a * m, r))
            .map_err(|e| ReduceError::Invalid(e.to_string()))?
            .dot(&us);
        self.cores[d - 2] = reshape3(flat, a, m, p)?;
        self.cores[d - 1] = new_last;
        Ok(())
    }
}

/// `(P x r) . core (r, n, r')` -> `(P n) x r'`.
fn contract(m: &Array2<f64>, core: &Array3<f64>) -> Array2<f64> {
    let (r, n, r1) = core.dim();
    let p = m.nrows();
    let mut out = Array2::<f64>::zeros((p * n, r1));
    for i in 0..n {
        let slice = core.slice(s![.., i, ..]);
        let block = m.dot(&slice);
        for row in 0..p {
            out.row_mut(row * n + i).assign(&block.row(row));
        }
    }
    debug_assert_eq!(r, m.ncols());
    out
}

#[cfg(test)]
#[path = "tt_tests.rs"]
mod tests;
