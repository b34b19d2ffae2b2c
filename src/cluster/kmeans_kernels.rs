//! Distance kernels of K-Means that give the same bits as the plain per-centre loop.
//!
//! A squared distance is `sum_j (x_j - c_j)^2` summed over the coordinates in order, as
//! [`super::dist2`]. The kernels below keep that order for every centre and only change which
//! centres are computed side by side: the centres are stored in blocks of [`LANES`], each block
//! coordinate-major, so the distances from one point to a block of centres are [`LANES`]
//! independent running sums the compiler keeps in vector registers across all coordinates (the
//! layout of scikit-learn's `_euclidean_dense_dense` chunks, without its
//! `||x||^2 - 2 x.c + ||c||^2` expansion, which would change the rounding). The padding centres
//! of the last block are computed and never read.

/// Calls `$f::<D>(args)` with `D` the number of columns `$d` when it is 1..=8, else `$f::<0>`
/// (any number of columns).
macro_rules! by_columns {
    ($d:expr, $f:ident($($arg:expr),*)) => {
        match $d {
            1 => $f::<1>($($arg),*),
            2 => $f::<2>($($arg),*),
            3 => $f::<3>($($arg),*),
            4 => $f::<4>($($arg),*),
            5 => $f::<5>($($arg),*),
            6 => $f::<6>($($arg),*),
            7 => $f::<7>($($arg),*),
            8 => $f::<8>($($arg),*),
            _ => $f::<0>($($arg),*),
        }
    };
}

/// Centres per block: two AVX2 registers or four SSE2 registers of running sums.
const LANES: usize = 8;

/// The centres in blocks of [`LANES`]: `blocks[(b * d + j) * LANES + l]` is coordinate `j` of
/// centre `b * LANES + l` (zero for the padding centres).
pub(super) struct CentresByDim {
    blocks: Vec<f64>,
    k: usize,
    d: usize,
}

impl CentresByDim {
    /// From row-major centres (`k x d`).
    pub(super) fn new(centers: &[f64], d: usize) -> Self {
        let k = centers.len() / d.max(1);
        let n_blocks = k.div_ceil(LANES);
        let mut blocks = vec![0.0; n_blocks * d * LANES];
        for (c, centre) in centers.chunks_exact(d.max(1)).enumerate() {
            let (b, l) = (c / LANES, c % LANES);
            for (j, &v) in centre.iter().enumerate() {
                blocks[(b * d + j) * LANES + l] = v;
            }
        }
        Self { blocks, k, d }
    }

    /// Number of centres.
    pub(super) fn k(&self) -> usize {
        self.k
    }

    /// Length of the scratch that [`CentresByDim::distances`] writes (k rounded up to a block).
    pub(super) fn padded(&self) -> usize {
        self.k.div_ceil(LANES) * LANES
    }

    /// Squared distance from `x` to every centre, into `out[..k]` (`out` holds at least
    /// [`CentresByDim::padded`] values); each equals `dist2(x, centre)` bit for bit (same terms,
    /// same order; `0 + t = t` for `t >= 0`).
    #[cfg(test)]
    pub(super) fn distances(&self, x: &[f64], out: &mut [f64]) {
        self.distances_fixed::<0>(x, out)
    }

    /// [`CentresByDim::distances`] for `D` columns (`D = 0`: any number), so the loops over
    /// the columns unroll.
    #[inline(always)]
    pub(super) fn distances_fixed<const D: usize>(&self, x: &[f64], out: &mut [f64]) {
        let d = if D > 0 { D } else { self.d };
        if d == 0 {
            out[..self.k].fill(0.0);
            return;
        }
        for (block, sums) in self.blocks.chunks_exact(d * LANES).zip(out.chunks_exact_mut(LANES)) {
            let mut acc = [0.0f64; LANES];
            for (&xj, row) in x[..d].iter().zip(block.chunks_exact(LANES)) {
                for (a, &c) in acc.iter_mut().zip(row) {
                    let t = xj - c;
                    *a += t * t;
                }
            }
            sums.copy_from_slice(&acc);
        }
    }
}
