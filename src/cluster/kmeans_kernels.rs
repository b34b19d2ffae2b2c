//! Distance kernels of K-Means that give the same bits as the plain per-centre loop.
//!
//! A squared distance is `sum_j (x_j - c_j)^2` summed over the coordinates in order, as
//! [`super::dist2`]. The kernels below keep that order for every centre and only change which
//! centres are computed side by side: the centres are stored coordinate-major so the distances
//! from one point to all k centres are k independent running sums the compiler can keep in
//! vector lanes (the layout of scikit-learn's `_euclidean_dense_dense` chunks, without its
//! `||x||^2 - 2 x.c + ||c||^2` expansion, which would change the rounding).

/// The centres coordinate-major: `by_dim[j * k + c]` is coordinate `j` of centre `c`.
pub(super) struct CentresByDim {
    by_dim: Vec<f64>,
    k: usize,
}

impl CentresByDim {
    /// From row-major centres (`k x d`).
    pub(super) fn new(centers: &[f64], d: usize) -> Self {
        let k = centers.len() / d.max(1);
        let mut by_dim = vec![0.0; k * d];
        for (c, centre) in centers.chunks_exact(d).enumerate() {
            for (j, &v) in centre.iter().enumerate() {
                by_dim[j * k + c] = v;
            }
        }
        Self { by_dim, k }
    }

    /// Number of centres.
    pub(super) fn k(&self) -> usize {
        self.k
    }

    /// Squared distance from `x` to every centre, into `out` (length k); each equals
    /// `dist2(x, centre)` bit for bit (same terms, same order; `0 + t = t` for `t >= 0`).
    #[inline]
    pub(super) fn distances(&self, x: &[f64], out: &mut [f64]) {
        let k = self.k;
        let out = &mut out[..k];
        out.fill(0.0);
        for (&xj, row) in x.iter().zip(self.by_dim.chunks_exact(k)) {
            for (o, &c) in out.iter_mut().zip(row) {
                let t = xj - c;
                *o += t * t;
            }
        }
    }
}
