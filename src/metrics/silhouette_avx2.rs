//! AVX2 + FMA distance block for the exact silhouette, written with `std::arch` intrinsics
//! because the compiler did not vectorize the norm-expansion form well (measured 1.7x slower).
//!
//! Squared distances use the expansion `|a - b|^2 = |a|^2 + |b|^2 - 2 a.b` (as scikit-learn's
//! `euclidean_distances` does), which needs one FMA per dimension instead of a subtraction, a
//! multiplication and an addition. Its rounding error is about `3 eps (|a|^2 + |b|^2)`, so
//! every group of 2 x 8 pairs that may hold a pair with `|a - b|^2 < NEAR (|a|^2 + |b|^2)` is
//! recomputed from the differences: every distance then has a relative error below 2e-13.
//! The loop is bound by its vector operations (not by `vsqrtpd`: replacing half the roots by
//! `vrsqrtps` and Newton steps was slower), so each step is kept to the fewest operations.

use super::{LANES, NEAR, Sorted, row_pairs};
use std::arch::x86_64::*;

/// Largest squared norm for this kernel, far from overflow of `|a|^2 + |b|^2 - 2 a.b`.
pub(super) const MAX_NORM: f64 = 1e29;

/// `|a - b|^2` from the differences, fused multiply-adds in dimension order.
#[inline(always)]
fn exact_d2<const D: usize>(s: &Sorted, a: usize, b: usize) -> f64 {
    let n = s.n;
    let mut d2 = 0.0f64;
    for kk in 0..D {
        let t = s.cols[kk * n + b] - s.cols[kk * n + a];
        d2 = t.mul_add(t, d2);
    }
    d2
}

/// Row sums (and column sums) of the distance block `rows x cols` for `D = s.d` dimensions.
///
/// # Safety
/// The CPU must support AVX2 and FMA, `D` must equal `s.d`, `rows` and `cols` must lie in
/// `0..s.n`, `row_sums` must hold `rows.1 - rows.0` and `col_sums` `cols.1 - cols.0` values.
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn block<const D: usize>(
    s: &Sorted,
    rows: (usize, usize),
    cols: (usize, usize),
    row_sums: &mut [f64],
    col_sums: Option<&mut [f64]>,
) {
    let mut groups = |pair, (c0, full), la: &mut [f64; LANES], lb: &mut [f64; LANES], cs: Option<&mut [f64]>| {
        let cs = cs.map(|c| c.as_mut_ptr());
        // SAFETY: forwarded from this function's contract.
        unsafe { pair_rows::<D>(s, pair, (c0, full), la, lb, cs) };
    };
    row_pairs(
        rows,
        cols,
        row_sums,
        col_sums,
        |a, j| exact_d2::<D>(s, a, j),
        &mut groups,
    );
}

/// Rows `a` and `b` against columns `c0..full` (a multiple of 8): adds their distances to the
/// lane accumulators `la`, `lb` and, when `cs` is given, to `cs[j - c0]` (once if `a == b`).
///
/// # Safety
/// As [`block`]; `cs`, when given, must be valid for indices `0..full - c0`.
#[target_feature(enable = "avx2,fma")]
unsafe fn pair_rows<const D: usize>(
    s: &Sorted,
    (a, b): (usize, usize),
    (c0, full): (usize, usize),
    la: &mut [f64; LANES],
    lb: &mut [f64; LANES],
    cs: Option<*mut f64>,
) {
    let n = s.n;
    let xa: [f64; D] = std::array::from_fn(|kk| -2.0 * s.cols[kk * n + a]);
    let xb: [f64; D] = std::array::from_fn(|kk| -2.0 * s.cols[kk * n + b]);
    let (na, nb) = (_mm256_set1_pd(s.norms[a]), _mm256_set1_pd(s.norms[b]));
    let near_ab = NEAR * s.norms[a].max(s.norms[b]);
    let (cp, np) = (s.cols.as_ptr(), s.norms.as_ptr());
    let mut acc = [_mm256_setzero_pd(); 4];
    let mut j = c0;
    while j < full {
        // SAFETY: j + 8 <= full <= s.n, so every load stays inside its column of `cols`/`norms`.
        let (nc0, nc1) = unsafe { (_mm256_loadu_pd(np.add(j)), _mm256_loadu_pd(np.add(j + 4))) };
        let sum = [
            _mm256_add_pd(na, nc0),
            _mm256_add_pd(na, nc1),
            _mm256_add_pd(nb, nc0),
            _mm256_add_pd(nb, nc1),
        ];
        let mut d2 = sum;
        for kk in 0..D {
            // SAFETY: as above, kk < D = s.d.
            let (v0, v1) = unsafe {
                (
                    _mm256_loadu_pd(cp.add(kk * n + j)),
                    _mm256_loadu_pd(cp.add(kk * n + j + 4)),
                )
            };
            let (qa, qb) = (_mm256_set1_pd(xa[kk]), _mm256_set1_pd(xb[kk]));
            d2[0] = _mm256_fmadd_pd(v0, qa, d2[0]);
            d2[1] = _mm256_fmadd_pd(v1, qa, d2[1]);
            d2[2] = _mm256_fmadd_pd(v0, qb, d2[2]);
            d2[3] = _mm256_fmadd_pd(v1, qb, d2[3]);
        }
        // Close pairs, where the expansion may have cancelled. One conservative test for the
        // 16 pairs (smallest d2 against NEAR times the largest norm sum) keeps the loop short;
        // a group that fails it is recomputed from differences.
        let smallest = _mm256_min_pd(_mm256_min_pd(d2[0], d2[1]), _mm256_min_pd(d2[2], d2[3]));
        let limit = _mm256_set1_pd(near_ab + s.near_window[j]);
        let close = _mm256_cmp_pd::<_CMP_LT_OQ>(smallest, limit);
        let mut r = [_mm256_setzero_pd(); 4];
        if _mm256_movemask_pd(close) != 0 {
            let exact = exact_group::<D>(s, (a, b), j);
            for q in 0..4 {
                r[q] = _mm256_sqrt_pd(exact[q]);
            }
        } else {
            for q in 0..4 {
                r[q] = _mm256_sqrt_pd(d2[q]);
            }
        }
        for q in 0..4 {
            acc[q] = _mm256_add_pd(acc[q], r[q]);
        }
        if let Some(cs) = cs {
            let (s0, s1) = if a == b {
                (r[0], r[1])
            } else {
                (_mm256_add_pd(r[0], r[2]), _mm256_add_pd(r[1], r[3]))
            };
            // SAFETY: `cs` is valid for 0..full - c0 (contract) and j + 8 <= full.
            unsafe {
                let p = cs.add(j - c0);
                _mm256_storeu_pd(p, _mm256_add_pd(_mm256_loadu_pd(p), s0));
                _mm256_storeu_pd(p.add(4), _mm256_add_pd(_mm256_loadu_pd(p.add(4)), s1));
            }
        }
        j += LANES;
    }
    let mut lanes = [[0.0f64; 4]; 4];
    for q in 0..4 {
        // SAFETY: each `lanes[q]` holds 4 f64.
        unsafe { _mm256_storeu_pd(lanes[q].as_mut_ptr(), acc[q]) };
    }
    for l in 0..4 {
        la[l] += lanes[0][l];
        la[l + 4] += lanes[1][l];
        lb[l] += lanes[2][l];
        lb[l + 4] += lanes[3][l];
    }
}

/// The 16 squared distances of rows `a`, `b` to columns `j..j + 8`, from the differences.
#[target_feature(enable = "avx2,fma")]
fn exact_group<const D: usize>(s: &Sorted, (a, b): (usize, usize), j: usize) -> [__m256d; 4] {
    let ea: [f64; LANES] = std::array::from_fn(|l| exact_d2::<D>(s, a, j + l));
    let eb: [f64; LANES] = std::array::from_fn(|l| exact_d2::<D>(s, b, j + l));
    [
        _mm256_set_pd(ea[3], ea[2], ea[1], ea[0]),
        _mm256_set_pd(ea[7], ea[6], ea[5], ea[4]),
        _mm256_set_pd(eb[3], eb[2], eb[1], eb[0]),
        _mm256_set_pd(eb[7], eb[6], eb[5], eb[4]),
    ]
}
