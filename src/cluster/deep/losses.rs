//! The clustering losses of IDEC and DCSS, twice: as plain `f64` functions on host arrays (the
//! definitions, tested against hand/NumPy values) and as burn tensor expressions (what training
//! differentiates), with `f64` autodiff diagnostics that the tests compare with finite differences.

use super::DeepError;
use super::net::{tensor2, to_host};
use burn::Tensor;
use burn::tensor::{DType, Device};
use ndarray::{Array2, ArrayView2};

/// Added under the square root of pairwise distances so that `d_ii` has a zero (not NaN) gradient.
const DISTANCE_FLOOR: f64 = 1e-24;
/// Floor of denominators (empty soft clusters, coincident points).
const TINY: f64 = 1e-12;
/// Added to `a_il` when `l = k` so that the minimum over `l` skips it.
const SKIP_OWN: f64 = 1e30;

fn same_width(what: &str, a: ArrayView2<f64>, b: ArrayView2<f64>) -> Result<(), DeepError> {
    if a.ncols() != b.ncols() || a.nrows() == 0 || b.nrows() == 0 {
        return Err(DeepError::Input(format!(
            "{what}: need non-empty arrays of equal width, got {:?} and {:?}",
            a.dim(),
            b.dim()
        )));
    }
    Ok(())
}

fn same_shape(what: &str, a: ArrayView2<f64>, b: ArrayView2<f64>) -> Result<(), DeepError> {
    if a.dim() != b.dim() || a.is_empty() {
        return Err(DeepError::Input(format!(
            "{what}: shapes differ or are empty: {:?} vs {:?}",
            a.dim(),
            b.dim()
        )));
    }
    Ok(())
}

/// Student-t soft assignment (DEC, Xie et al. 2016, eq. 1; IDEC eq. 5):
/// `q_ij = (1 + |z_i - mu_j|^2 / alpha)^(-(alpha + 1) / 2) / sum_j' (...)`.
pub fn soft_assignment(z: ArrayView2<f64>, centres: ArrayView2<f64>, alpha: f64) -> Result<Array2<f64>, DeepError> {
    same_width("soft_assignment", z, centres)?;
    let power = -(alpha + 1.0) / 2.0;
    let mut q = Array2::zeros((z.nrows(), centres.nrows()));
    for (i, zi) in z.rows().into_iter().enumerate() {
        for (j, mj) in centres.rows().into_iter().enumerate() {
            let d2: f64 = zi.iter().zip(mj.iter()).map(|(a, b)| (a - b) * (a - b)).sum();
            q[[i, j]] = (1.0 + d2 / alpha).powf(power);
        }
        let total: f64 = q.row(i).sum();
        q.row_mut(i).mapv_inplace(|v| v / total);
    }
    Ok(q)
}

/// Sharpened target (DEC eq. 3; IDEC eq. 6): `p_ij = (q_ij^2 / f_j) / sum_j' (q_ij'^2 / f_j')` with
/// soft cluster frequencies `f_j = sum_i q_ij`.
pub fn target_distribution(q: ArrayView2<f64>) -> Array2<f64> {
    let f = q.sum_axis(ndarray::Axis(0));
    let mut p = Array2::from_shape_fn(q.dim(), |(i, j)| q[[i, j]] * q[[i, j]] / f[j].max(TINY));
    for mut row in p.rows_mut() {
        let total = row.sum();
        row.mapv_inplace(|v| v / total.max(TINY));
    }
    p
}

/// `KL(P || Q)` averaged over rows: `1/n sum_i sum_j p_ij log(p_ij / q_ij)` (Keras' `kld` loss as
/// the IDEC reference code uses it; terms with `p_ij = 0` count 0).
pub fn kl_divergence(p: ArrayView2<f64>, q: ArrayView2<f64>) -> Result<f64, DeepError> {
    same_shape("kl_divergence", p, q)?;
    let total: f64 = p
        .iter()
        .zip(q.iter())
        .map(|(&pv, &qv)| if pv > 0.0 { pv * (pv / qv).ln() } else { 0.0 })
        .sum();
    Ok(total / p.nrows() as f64)
}

/// Soft silhouette (Vardakas et al. 2024) of points `z` with cluster probabilities `prob`
/// (rows sum to 1), Euclidean distances `d_ij`:
/// `a_ik = sum_{j != i} p_jk d_ij / sum_{j != i} p_jk` (soft mean distance of i to cluster k),
/// `b_ik = min_{l != k} a_il`, `s_ik = (b_ik - a_ik) / max(a_ik, b_ik)`, and
/// `S = 1/n sum_i sum_k p_ik s_ik`. With one-hot probabilities (and no singleton cluster) this is
/// Rousseeuw's silhouette (scikit-learn's `silhouette_score`). Needs `k >= 2`.
pub fn soft_silhouette(z: ArrayView2<f64>, prob: ArrayView2<f64>) -> Result<f64, DeepError> {
    if z.nrows() != prob.nrows() || z.nrows() < 2 || prob.ncols() < 2 {
        return Err(DeepError::Input(format!(
            "soft_silhouette: need >= 2 points and >= 2 clusters with one probability row per point, got {:?} and {:?}",
            z.dim(),
            prob.dim()
        )));
    }
    let (n, k) = prob.dim();
    let d = Array2::from_shape_fn((n, n), |(i, j)| {
        let d2: f64 = z
            .row(i)
            .iter()
            .zip(z.row(j).iter())
            .map(|(a, b)| (a - b) * (a - b))
            .sum();
        (d2 + DISTANCE_FLOOR).sqrt()
    });
    let mass = prob.sum_axis(ndarray::Axis(0));
    let mut total = 0.0;
    for i in 0..n {
        let a: Vec<f64> = (0..k)
            .map(|c| {
                let num: f64 = (0..n).map(|j| prob[[j, c]] * d[[i, j]]).sum();
                num / (mass[c] - prob[[i, c]]).max(TINY)
            })
            .collect();
        for c in 0..k {
            let b = (0..k).filter(|&l| l != c).map(|l| a[l]).fold(f64::INFINITY, f64::min);
            total += prob[[i, c]] * (b - a[c]) / a[c].max(b).max(TINY);
        }
    }
    Ok(total / n as f64)
}

/// Pairwise squared distances `|a_i - b_j|^2` (`n x m`), from the differences (exact at `i = j`).
pub(crate) fn pairwise_sq(a: Tensor<2>, b: Tensor<2>) -> Tensor<2> {
    let [n, _] = a.dims();
    let [m, _] = b.dims();
    let diff = a.unsqueeze_dim::<3>(1) - b.unsqueeze_dim::<3>(0);
    diff.square().sum_dim(2).reshape([n, m])
}

/// Tensor form of [`soft_assignment`].
pub(crate) fn soft_assignment_t(z: Tensor<2>, centres: Tensor<2>, alpha: f64) -> Tensor<2> {
    let kernel = pairwise_sq(z, centres)
        .div_scalar(alpha)
        .add_scalar(1.0)
        .powf_scalar(-(alpha + 1.0) / 2.0);
    let total = kernel.clone().sum_dim(1);
    kernel / total
}

/// Tensor form of [`kl_divergence`] for a fixed target `p` (strictly positive).
pub(crate) fn kl_t(p: Tensor<2>, q: Tensor<2>) -> Tensor<1> {
    let [n, _] = p.dims();
    (p.clone() * (p.log() - q.log())).sum().div_scalar(n as f64)
}

/// Tensor form of [`soft_silhouette`].
pub(crate) fn soft_silhouette_t(z: Tensor<2>, prob: Tensor<2>) -> Tensor<1> {
    let [n, k] = prob.dims();
    let device = z.device();
    let d = pairwise_sq(z.clone(), z).add_scalar(DISTANCE_FLOOR).sqrt();
    let num = d.matmul(prob.clone());
    let den = (prob.clone().sum_dim(0) - prob.clone()).clamp_min(TINY);
    let a = num / den;
    let skip: Tensor<2> = Tensor::<2>::eye(k, &device).cast(prob.dtype()).mul_scalar(SKIP_OWN);
    let b = (a.clone().unsqueeze_dim::<3>(1) + skip.unsqueeze_dim::<3>(0))
        .min_dim(2)
        .reshape([n, k]);
    let s = (b.clone() - a.clone()) / a.max_pair(b).clamp_min(TINY);
    (prob * s).sum().div_scalar(n as f64)
}

/// A loss value and its gradients with respect to the embedding and the centres.
pub type LossGradient = (f64, Array2<f64>, Array2<f64>);

fn autodiff_f64(
    z: ArrayView2<f64>,
    centres: ArrayView2<f64>,
    loss: impl Fn(Tensor<2>, Tensor<2>, &Device) -> Tensor<1>,
) -> Result<LossGradient, DeepError> {
    same_width("gradient", z, centres)?;
    let device = Device::flex().autodiff();
    let zt = tensor2(z.iter().copied().collect(), [z.nrows(), z.ncols()], &device, DType::F64).require_grad();
    let ct = tensor2(
        centres.iter().copied().collect(),
        [centres.nrows(), centres.ncols()],
        &device,
        DType::F64,
    )
    .require_grad();
    let value = loss(zt.clone(), ct.clone(), &device);
    let grads = value.backward();
    let grad = |t: Tensor<2>, shape: (usize, usize)| -> Result<Array2<f64>, DeepError> {
        let values = t
            .grad(&grads)
            .map(to_host)
            .unwrap_or_else(|| vec![0.0; shape.0 * shape.1]);
        Array2::from_shape_vec(shape, values).map_err(|e| DeepError::Input(e.to_string()))
    };
    Ok((value.into_scalar::<f64>(), grad(zt, z.dim())?, grad(ct, centres.dim())?))
}

/// `KL(P || Q(z, centres))` computed by the training code path in `f64`, with its autodiff gradients
/// with respect to `z` and `centres` (diagnostic for the finite-difference tests).
pub fn kl_loss_gradient(
    z: ArrayView2<f64>,
    centres: ArrayView2<f64>,
    p: ArrayView2<f64>,
    alpha: f64,
) -> Result<LossGradient, DeepError> {
    if p.dim() != (z.nrows(), centres.nrows()) {
        return Err(DeepError::Input(format!(
            "kl_loss_gradient: target is {:?}, expected {:?}",
            p.dim(),
            (z.nrows(), centres.nrows())
        )));
    }
    autodiff_f64(z, centres, |zt, ct, device| {
        let pt = tensor2(p.iter().copied().collect(), [p.nrows(), p.ncols()], device, DType::F64);
        kl_t(pt, soft_assignment_t(zt, ct, alpha))
    })
}

/// The DCSS clustering loss `1 - S(z, Q(z, centres))` computed by the training code path in `f64`,
/// with its autodiff gradients with respect to `z` and `centres` (diagnostic for the tests).
pub fn soft_silhouette_gradient(
    z: ArrayView2<f64>,
    centres: ArrayView2<f64>,
    alpha: f64,
) -> Result<LossGradient, DeepError> {
    autodiff_f64(z, centres, |zt, ct, _| {
        let q = soft_assignment_t(zt.clone(), ct, alpha);
        soft_silhouette_t(zt, q).neg().add_scalar(1.0)
    })
}

#[cfg(test)]
#[path = "losses_tests.rs"]
mod tests;
