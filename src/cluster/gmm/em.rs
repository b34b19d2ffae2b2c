//! The EM machinery of [`super::GaussianMixtureParams::fit`]: the rows, k-means++ seeding,
//! scikit-learn's initialisation, the E and M steps, Cholesky factors of the precisions and the
//! per-row log-densities.

use ndarray::ArrayView2;
use rayon::prelude::*;

use super::{CovarianceType, GaussianMixtureParams, GmmError, LN_2PI, NK_FLOOR};
use crate::cluster::ClusterError;
use crate::cluster::kmeans::{Data, kmeans_plus_plus, stream_rng};
use crate::par::{CHUNK_ROWS, map_chunks};
/// The rows EM runs on, row-major, with their weights (`--weights area`; `None`: each row
/// counts once).
pub(super) struct Rows {
    pub(super) x: Vec<f64>,
    pub(super) n: usize,
    pub(super) d: usize,
    pub(super) w: Option<Vec<f64>>,
}

impl Rows {
    pub(super) fn gather(x: ArrayView2<f64>, idx: &[usize]) -> Self {
        let d = x.ncols();
        let mut flat = Vec::with_capacity(idx.len() * d);
        for &i in idx {
            flat.extend(x.row(i).iter());
        }
        Self {
            x: flat,
            n: idx.len(),
            d,
            w: None,
        }
    }
    pub(super) fn gather_all(x: ArrayView2<f64>) -> Self {
        Self {
            x: x.iter().copied().collect(),
            n: x.nrows(),
            d: x.ncols(),
            w: None,
        }
    }
    pub(super) fn row(&self, i: usize) -> &[f64] {
        &self.x[i * self.d..(i + 1) * self.d]
    }
    /// The total weight of the rows: their number when unweighted.
    pub(super) fn total_weight(&self) -> f64 {
        match &self.w {
            None => self.n as f64,
            Some(w) => chunked_total(w),
        }
    }
}

/// Sum of `v` over fixed blocks of [`CHUNK_ROWS`], combined in block order.
pub(super) fn chunked_total(v: &[f64]) -> f64 {
    map_chunks(v.len(), CHUNK_ROWS, |a, b| v[a..b].iter().sum::<f64>())
        .iter()
        .sum()
}

/// Initial parameters the caller gave (flat, row-major).
pub(super) struct Given {
    pub(super) weights: Option<Vec<f64>>,
    pub(super) means: Option<Vec<f64>>,
    pub(super) prec_chol: Option<Vec<f64>>,
}

/// Mixture parameters, row-major: weights `k`, means `k d`, covariances and precision
/// Cholesky factors `k d d` (full) or `k d` (diag). `covariances` is empty only before the
/// first M-step when the precisions were given.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Mixture {
    pub(super) weights: Vec<f64>,
    pub(super) means: Vec<f64>,
    pub(super) covariances: Vec<f64>,
    pub(super) prec_chol: Vec<f64>,
}

/// Outcome of one restart.
pub(super) struct Run {
    pub(super) mixture: Mixture,
    pub(super) lower_bound: f64,
    pub(super) n_iter: usize,
    pub(super) converged: bool,
}

/// Rows of `n_init` greedy k-means++ draws (restart `r` on stream `r` of `seed`), found back
/// from the centres the crate's seeding returns (copies of rows of its centred data).
pub(super) fn kmeans_pp_rows(rows: &Rows, k: usize, seed: u64, n_init: usize) -> Result<Vec<Vec<usize>>, GmmError> {
    let view = ArrayView2::from_shape((rows.n, rows.d), &rows.x).map_err(|e| ClusterError::Invalid(e.to_string()))?;
    let weights = rows.w.as_deref().map(ndarray::ArrayView1::from);
    let data = Data::new(view)?.with_weights(weights)?;
    let d = rows.d;
    (0..n_init)
        .map(|r| {
            let centers = kmeans_plus_plus(&data, k, &mut stream_rng(seed, r as u64), &[]);
            centers
                .chunks_exact(d)
                .map(|c| {
                    (0..data.n).find(|&i| data.row(i) == c).ok_or_else(|| {
                        GmmError::Cluster(ClusterError::Invalid(
                            "k-means++ returned a centre that is not a data row".into(),
                        ))
                    })
                })
                .collect()
        })
        .collect()
}

/// scikit-learn's `_initialize`: one M-step from responsibilities one-hot at the seed rows
/// (weights divided by the row count, or the total weight, not normalised), then the given
/// parameters on top.
pub(super) fn initial_mixture(
    rows: &Rows,
    params: &GaussianMixtureParams,
    given: &Given,
    seed_rows: Option<&[usize]>,
    resp: &mut [f64],
) -> Result<Mixture, GmmError> {
    let k = params.k;
    let estimated = match seed_rows {
        Some(seeds) => {
            resp.iter_mut().for_each(|r| *r = 0.0);
            for (j, &i) in seeds.iter().enumerate() {
                resp[i * k + j] = 1.0;
            }
            let (nk, means, covariances) = estimate_parameters(rows, resp, k, params.reg_covar, params.covariance);
            let weights = nk.iter().map(|v| v / rows.total_weight()).collect();
            Some((weights, means, covariances))
        }
        None => None,
    };
    let missing = || GmmError::BadInit {
        what: "parameters",
        message: "neither seed rows nor all of weights, means and precisions".into(),
    };
    let (est_weights, est_means, est_cov) = match estimated {
        Some((w, m, c)) => (Some(w), Some(m), Some(c)),
        None => (None, None, None),
    };
    let weights = given.weights.clone().or(est_weights).ok_or_else(missing)?;
    let means = given.means.clone().or(est_means).ok_or_else(missing)?;
    let (covariances, prec_chol) = match &given.prec_chol {
        Some(p) => (Vec::new(), p.clone()),
        None => {
            let cov = est_cov.ok_or_else(missing)?;
            let chol = precision_cholesky(&cov, params.covariance, k, rows.d)?;
            (cov, chol)
        }
    };
    Ok(Mixture {
        weights,
        means,
        covariances,
        prec_chol,
    })
}

/// EM iterations from `mixture` (scikit-learn's loop in `BaseMixture.fit_predict`).
pub(super) fn em(
    rows: &Rows,
    params: &GaussianMixtureParams,
    mut mixture: Mixture,
    resp: &mut [f64],
) -> Result<Run, GmmError> {
    let k = params.k;
    let mut lower_bound = f64::NEG_INFINITY;
    let (mut converged, mut n_iter) = (false, params.max_iter);
    for iteration in 1..=params.max_iter {
        let previous = lower_bound;
        let components = Components::new(&mixture, params.covariance, rows.d);
        lower_bound = e_step(rows, &components, resp)?;
        let (nk, means, covariances) = estimate_parameters(rows, resp, k, params.reg_covar, params.covariance);
        let total: f64 = nk.iter().sum();
        let prec_chol = precision_cholesky(&covariances, params.covariance, k, rows.d)?;
        mixture = Mixture {
            weights: nk.iter().map(|v| v / total).collect(),
            means,
            covariances,
            prec_chol,
        };
        if (lower_bound - previous).abs() < params.tol {
            (converged, n_iter) = (true, iteration);
            break;
        }
    }
    Ok(Run {
        mixture,
        lower_bound,
        n_iter,
        converged,
    })
}

/// Responsibilities of all rows written into `resp` (n x k); returns the mean log-likelihood
/// (weighted: `sum_i w_i ln p(x_i) / sum_i w_i`).
pub(super) fn e_step(rows: &Rows, components: &Components, resp: &mut [f64]) -> Result<f64, GmmError> {
    let k = components.k;
    let sums: Vec<Result<f64, GmmError>> = resp
        .par_chunks_mut(CHUNK_ROWS * k)
        .enumerate()
        .map(|(c, block)| {
            let mut scratch = vec![0.0; components.d];
            let mut sum = 0.0;
            for (offset, r) in block.chunks_exact_mut(k).enumerate() {
                let i = c * CHUNK_ROWS + offset;
                components.weighted_log_prob(rows.row(i), r, &mut scratch);
                let norm = log_sum_exp(r);
                if !norm.is_finite() {
                    return Err(GmmError::NonFiniteLikelihood { row: i });
                }
                r.iter_mut().for_each(|v| *v = (*v - norm).exp());
                sum += match &rows.w {
                    None => norm,
                    Some(w) => w[i] * norm,
                };
            }
            Ok(sum)
        })
        .collect();
    let mut total = 0.0;
    for s in sums {
        total += s?;
    }
    Ok(total / rows.total_weight())
}

/// scikit-learn's `_estimate_gaussian_parameters`: `(n_k, means, covariances)` from the
/// responsibilities, with `reg_covar` on the covariance diagonals; a weighted row enters with
/// `w_i r_ik` in place of `r_ik` (as `w_i` copies of it would).
pub(super) fn estimate_parameters(
    rows: &Rows,
    resp: &[f64],
    k: usize,
    reg_covar: f64,
    covariance: CovarianceType,
) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let d = rows.d;
    let first: Vec<(Vec<f64>, Vec<f64>)> = map_chunks(rows.n, CHUNK_ROWS, |a, b| {
        let mut nk = vec![0.0; k];
        let mut sums = vec![0.0; k * d];
        for i in a..b {
            let x = rows.row(i);
            let wi = rows.w.as_ref().map(|w| w[i]);
            for (j, &r) in resp[i * k..(i + 1) * k].iter().enumerate() {
                let r = wi.map_or(r, |w| w * r);
                if r != 0.0 {
                    nk[j] += r;
                    sums[j * d..(j + 1) * d]
                        .iter_mut()
                        .zip(x)
                        .for_each(|(s, v)| *s += r * v);
                }
            }
        }
        (nk, sums)
    });
    let mut nk = vec![0.0; k];
    let mut means = vec![0.0; k * d];
    for (pn, ps) in &first {
        nk.iter_mut().zip(pn).for_each(|(t, v)| *t += v);
        means.iter_mut().zip(ps).for_each(|(t, v)| *t += v);
    }
    nk.iter_mut().for_each(|v| *v += NK_FLOOR);
    for (m, &count) in means.chunks_exact_mut(d).zip(&nk) {
        m.iter_mut().for_each(|v| *v /= count);
    }
    let per = covariance.per_component(d);
    let second: Vec<Vec<f64>> = map_chunks(rows.n, CHUNK_ROWS, |a, b| {
        let mut s = vec![0.0; k * per];
        let mut diff = vec![0.0; d];
        for i in a..b {
            let x = rows.row(i);
            let wi = rows.w.as_ref().map(|w| w[i]);
            for (j, &r) in resp[i * k..(i + 1) * k].iter().enumerate() {
                let r = wi.map_or(r, |w| w * r);
                if r == 0.0 {
                    continue;
                }
                diff.iter_mut()
                    .zip(x.iter().zip(&means[j * d..(j + 1) * d]))
                    .for_each(|(t, (v, m))| *t = v - m);
                let sj = &mut s[j * per..(j + 1) * per];
                match covariance {
                    CovarianceType::Full => {
                        for p in 0..d {
                            let rp = r * diff[p];
                            for q in p..d {
                                sj[p * d + q] += rp * diff[q];
                            }
                        }
                    }
                    CovarianceType::Diag => {
                        for p in 0..d {
                            sj[p] += r * diff[p] * diff[p];
                        }
                    }
                }
            }
        }
        s
    });
    let mut cov = vec![0.0; k * per];
    for part in &second {
        cov.iter_mut().zip(part).for_each(|(t, v)| *t += v);
    }
    for (j, cj) in cov.chunks_exact_mut(per).enumerate() {
        cj.iter_mut().for_each(|v| *v /= nk[j]);
        match covariance {
            CovarianceType::Full => {
                for p in 0..d {
                    for q in 0..p {
                        cj[p * d + q] = cj[q * d + p];
                    }
                    cj[p * d + p] += reg_covar;
                }
            }
            CovarianceType::Diag => cj.iter_mut().for_each(|v| *v += reg_covar),
        }
    }
    (nk, means, cov)
}

/// Lower Cholesky factor of the symmetric positive definite `a` (d x d, row-major); `None`
/// when a pivot is not positive (as LAPACK's `potrf`).
pub(super) fn cholesky_lower(a: &[f64], d: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; d * d];
    for i in 0..d {
        for j in 0..=i {
            let mut s = a[i * d + j];
            for p in 0..j {
                s -= l[i * d + p] * l[j * d + p];
            }
            if i == j {
                if !(s > 0.0 && s.is_finite()) {
                    return None;
                }
                l[i * d + i] = s.sqrt();
            } else {
                l[i * d + j] = s / l[j * d + j];
            }
        }
    }
    Some(l)
}

/// scikit-learn's `_compute_precision_cholesky`: `P_k = L_k^{-T}` (upper triangular) for full
/// covariances `Sigma_k = L_k L_k^T`, `1 / sqrt(sigma^2)` for diagonal ones.
pub(super) fn precision_cholesky(
    cov: &[f64],
    covariance: CovarianceType,
    k: usize,
    d: usize,
) -> Result<Vec<f64>, GmmError> {
    match covariance {
        CovarianceType::Full => {
            let mut out = vec![0.0; k * d * d];
            for j in 0..k {
                let l = cholesky_lower(&cov[j * d * d..(j + 1) * d * d], d)
                    .ok_or(GmmError::IllDefinedCovariance { component: j })?;
                // Z = L^{-1} (lower triangular) by forward substitution; P = Z^T.
                let mut z = vec![0.0; d * d];
                for c in 0..d {
                    for r in c..d {
                        let mut s = if r == c { 1.0 } else { 0.0 };
                        for p in c..r {
                            s -= l[r * d + p] * z[p * d + c];
                        }
                        z[r * d + c] = s / l[r * d + r];
                    }
                }
                let pj = &mut out[j * d * d..(j + 1) * d * d];
                for r in 0..d {
                    for c in 0..d {
                        pj[r * d + c] = z[c * d + r];
                    }
                }
            }
            Ok(out)
        }
        CovarianceType::Diag => {
            if let Some(pos) = cov.iter().position(|&v| !(v > 0.0 && v.is_finite())) {
                return Err(GmmError::IllDefinedCovariance { component: pos / d });
            }
            Ok(cov.iter().map(|v| 1.0 / v.sqrt()).collect())
        }
    }
}

/// scikit-learn's `_compute_precision_cholesky_from_precisions`: the upper triangular `U` with
/// `U U^T = Lambda`, from the Cholesky factor of `Lambda` with rows and columns reversed;
/// `sqrt(lambda)` for diagonal precisions. Checks symmetry and positive definiteness.
pub(super) fn precision_cholesky_from_precisions(
    prec: &[f64],
    covariance: CovarianceType,
    k: usize,
    d: usize,
) -> Result<Vec<f64>, GmmError> {
    let bad = |message: String| GmmError::BadInit {
        what: "precisions",
        message,
    };
    match covariance {
        CovarianceType::Full => {
            let mut out = vec![0.0; k * d * d];
            for j in 0..k {
                let p = &prec[j * d * d..(j + 1) * d * d];
                for a in 0..d {
                    for b in 0..d {
                        // numpy's isclose defaults, as scikit-learn's symmetry check.
                        let (x, y) = (p[a * d + b], p[b * d + a]);
                        if (x - y).abs() > 1e-8 + 1e-5 * y.abs() {
                            return Err(bad(format!("component {j} is not symmetric")));
                        }
                    }
                }
                let flipped: Vec<f64> = (0..d * d).map(|t| p[(d - 1 - t / d) * d + (d - 1 - t % d)]).collect();
                let l = cholesky_lower(&flipped, d)
                    .ok_or_else(|| bad(format!("component {j} is not positive definite")))?;
                let oj = &mut out[j * d * d..(j + 1) * d * d];
                for t in 0..d * d {
                    oj[t] = l[(d - 1 - t / d) * d + (d - 1 - t % d)];
                }
            }
            Ok(out)
        }
        CovarianceType::Diag => {
            if prec.iter().any(|&v| v <= 0.0) {
                return Err(bad("must be positive".into()));
            }
            Ok(prec.iter().map(|v| v.sqrt()).collect())
        }
    }
}

/// Per-thread buffers for scoring rows of a possibly strided view.
pub(super) struct RowScratch {
    pub(super) row: Vec<f64>,
    pub(super) diff: Vec<f64>,
}

impl RowScratch {
    pub(super) fn new(d: usize) -> Self {
        Self {
            row: vec![0.0; d],
            diff: vec![0.0; d],
        }
    }
}

/// What scoring a row needs: means, precision Cholesky factors, `ln det P_k` and `ln w_k`.
pub(super) struct Components {
    pub(super) k: usize,
    pub(super) d: usize,
    pub(super) covariance: CovarianceType,
    pub(super) means: Vec<f64>,
    pub(super) prec_chol: Vec<f64>,
    pub(super) log_det: Vec<f64>,
    pub(super) log_weights: Vec<f64>,
}

impl Components {
    pub(super) fn new(mixture: &Mixture, covariance: CovarianceType, d: usize) -> Self {
        let k = mixture.weights.len();
        let per = covariance.per_component(d);
        let log_det = mixture
            .prec_chol
            .chunks_exact(per)
            .map(|p| match covariance {
                CovarianceType::Full => (0..d).map(|a| p[a * d + a].ln()).sum(),
                CovarianceType::Diag => p.iter().map(|v| v.ln()).sum(),
            })
            .collect();
        Self {
            k,
            d,
            covariance,
            means: mixture.means.clone(),
            prec_chol: mixture.prec_chol.clone(),
            log_det,
            log_weights: mixture.weights.iter().map(|w| w.ln()).collect(),
        }
    }

    /// `ln w_j + ln N(x | mu_j, Sigma_j)` for every component into `out` (scikit-learn's
    /// `_estimate_weighted_log_prob`); `diff` is scratch of length d.
    pub(super) fn weighted_log_prob(&self, x: &[f64], out: &mut [f64], diff: &mut [f64]) {
        let d = self.d;
        let per = self.covariance.per_component(d);
        for (j, o) in out.iter_mut().enumerate() {
            diff.iter_mut()
                .zip(x.iter().zip(&self.means[j * d..(j + 1) * d]))
                .for_each(|(t, (v, m))| *t = v - m);
            let p = &self.prec_chol[j * per..(j + 1) * per];
            let mahalanobis: f64 = match self.covariance {
                CovarianceType::Full => (0..d)
                    .map(|c| {
                        let y: f64 = (0..=c).map(|a| diff[a] * p[a * d + c]).sum();
                        y * y
                    })
                    .sum(),
                CovarianceType::Diag => diff.iter().zip(p).map(|(t, s)| t * t * (s * s)).sum(),
            };
            *o = -0.5 * (d as f64 * LN_2PI + mahalanobis) + self.log_det[j] + self.log_weights[j];
        }
    }

    /// Weighted log-probabilities of row `i` of `x` into `out`; returns the row's
    /// log-likelihood (their log-sum-exp), an error when it is not finite.
    pub(super) fn score_row(
        &self,
        x: ArrayView2<f64>,
        i: usize,
        scratch: &mut RowScratch,
        out: &mut [f64],
    ) -> Result<f64, GmmError> {
        scratch.row.iter_mut().zip(x.row(i)).for_each(|(r, v)| *r = *v);
        self.weighted_log_prob(&scratch.row, out, &mut scratch.diff);
        let norm = log_sum_exp(out);
        if norm.is_finite() {
            Ok(norm)
        } else {
            Err(GmmError::NonFiniteLikelihood { row: i })
        }
    }
}

/// `ln sum_j exp(v_j)` with the maximum factored out (scipy's `logsumexp`).
pub(super) fn log_sum_exp(v: &[f64]) -> f64 {
    let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let shift = if max.is_finite() { max } else { 0.0 };
    v.iter().map(|a| (a - shift).exp()).sum::<f64>().ln() + shift
}

/// Index of the largest value, the first on ties (numpy's `argmax`).
pub(super) fn argmax(v: &[f64]) -> usize {
    (1..v.len()).fold(0, |b, j| if v[j] > v[b] { j } else { b })
}
