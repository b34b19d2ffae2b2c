//! AVX2 + FMA distance kernel for the exact silhouette, written with `std::arch` intrinsics
//! because the compiler did not vectorize the norm-expansion form well (measured 1.7x slower).
//!
//! Squared distances use the expansion `|a - b|^2 = |a|^2 + |b|^2 - 2 a.b` (as scikit-learn's
//! `euclidean_distances` does), which needs one FMA per dimension instead of a subtraction, a
//! multiplication and an addition. Its rounding error is about `3 eps (|a|^2 + |b|^2)`, so
//! every step of 16 pairs that may hold a pair with `|a - b|^2 < NEAR (|a|^2 + |b|^2)` is
//! recomputed from the differences: every distance then has a relative error below 2e-13.
//!
//! One row is held in registers (its coordinates broadcast) against 16 columns per step: four
//! independent FMA chains, all column loads straight from the tile's packed block in L1.

use super::{NEAR, Pair, SLOTS, STEP};
use std::arch::x86_64::*;

/// Largest squared norm for this kernel, far from overflow of `|a|^2 + |b|^2 - 2 a.b`.
pub(super) const MAX_NORM: f64 = 1e29;
/// Largest dimension with a constant-width kernel; above it the portable kernel runs.
pub(super) const MAX_D: usize = 8;

/// Distance sums of the rows of `pair` against its columns: row sums into `rs`, column sums
/// added to `cs`.
///
/// Only called where `Tiles::avx2` holds: the CPU has AVX2 and FMA, `1 <= d <= MAX_D`.
pub(super) fn tile_pair(d: usize, pair: Pair, rs: &mut [f64], cs: Option<&mut [f64; SLOTS]>) {
    match d {
        1 => rows_d::<1>(pair, rs, cs),
        2 => rows_d::<2>(pair, rs, cs),
        3 => rows_d::<3>(pair, rs, cs),
        4 => rows_d::<4>(pair, rs, cs),
        5 => rows_d::<5>(pair, rs, cs),
        6 => rows_d::<6>(pair, rs, cs),
        7 => rows_d::<7>(pair, rs, cs),
        8 => rows_d::<8>(pair, rs, cs),
        _ => unreachable!("the AVX2 kernel takes 1..=MAX_D dimensions"),
    }
}

fn rows_d<const D: usize>(pair: Pair, rs: &mut [f64], cs: Option<&mut [f64; SLOTS]>) {
    let Pair {
        row_block,
        rows,
        col_block,
        len,
    } = pair;
    assert!(len <= SLOTS - STEP && col_block.len() >= (D + 2) * SLOTS && row_block.len() >= (D + 1) * SLOTS);
    let point = |i: usize| -> ([f64; D], f64) {
        (
            std::array::from_fn(|kk| row_block[kk * SLOTS + i]),
            row_block[D * SLOTS + i],
        )
    };
    match cs {
        // SAFETY (both arms): `Tiles::avx2` is only true where AVX2 and FMA were detected,
        // the block lengths are asserted above and `cs` holds SLOTS values.
        Some(cs) => {
            for (i, out) in rows.zip(rs.iter_mut()) {
                let (x, norm) = point(i);
                *out = unsafe { row_pass::<D, true>(&x, norm, col_block, len, cs.as_mut_ptr()) };
            }
        }
        None => {
            for (i, out) in rows.zip(rs.iter_mut()) {
                let (x, norm) = point(i);
                *out = unsafe { row_pass::<D, false>(&x, norm, col_block, len, std::ptr::null_mut()) };
            }
        }
    }
}

/// STEP all-ones lanes then STEP zero lanes: the mask of a step whose first `m` columns are
/// real is the STEP values from `STEP - m` on (a sliding window, so no table per `m`).
static LANE_MASK: [u64; 2 * STEP] = {
    let mut bits = [0u64; 2 * STEP];
    let mut l = 0;
    while l < STEP {
        bits[l] = u64::MAX;
        l += 1;
    }
    bits
};

/// One row (`x`, squared norm `norm`) against the first `len` columns of `col_block`: returns
/// the sum of its distances, and adds each distance to `cs[j]` when `COLS`.
///
/// # Safety
/// The CPU must support AVX2 and FMA; `col_block` must hold `(D + 2) * SLOTS` values with
/// `len <= SLOTS - STEP`; with `COLS`, `cs` must be valid for SLOTS values.
#[target_feature(enable = "avx2,fma")]
unsafe fn row_pass<const D: usize, const COLS: bool>(
    x: &[f64; D],
    norm: f64,
    col_block: &[f64],
    len: usize,
    cs: *mut f64,
) -> f64 {
    let cb = col_block.as_ptr();
    let minus_2x: [__m256d; D] = std::array::from_fn(|kk| _mm256_set1_pd(-2.0 * x[kk]));
    let na = _mm256_set1_pd(norm);
    let near_a = NEAR * norm;
    // SAFETY: every offset below is < (D + 2) * SLOTS: columns j + 15 < len + STEP <= SLOTS.
    let load = |o: usize| unsafe { _mm256_loadu_pd(cb.add(o)) };
    let (norms, near) = (D * SLOTS, (D + 1) * SLOTS);
    let (mut acc0, mut acc1) = (_mm256_setzero_pd(), _mm256_setzero_pd());
    // The step is a macro, not a function: a closure would not inherit `target_feature`,
    // and four named vectors (not an array) keep the squared distances in registers.
    macro_rules! step {
        ($j:expr, $real:expr) => {{
            let j: usize = $j;
            let mut d0 = _mm256_add_pd(na, load(norms + j));
            let mut d1 = _mm256_add_pd(na, load(norms + j + 4));
            let mut d2 = _mm256_add_pd(na, load(norms + j + 8));
            let mut d3 = _mm256_add_pd(na, load(norms + j + 12));
            for kk in 0..D {
                let o = kk * SLOTS + j;
                d0 = _mm256_fmadd_pd(load(o), minus_2x[kk], d0);
                d1 = _mm256_fmadd_pd(load(o + 4), minus_2x[kk], d1);
                d2 = _mm256_fmadd_pd(load(o + 8), minus_2x[kk], d2);
                d3 = _mm256_fmadd_pd(load(o + 12), minus_2x[kk], d3);
            }
            // Close pairs, where the expansion may have cancelled: one conservative test for
            // the 16 pairs (smallest d2 against NEAR times the largest norm sum).
            let smallest = _mm256_min_pd(_mm256_min_pd(d0, d1), _mm256_min_pd(d2, d3));
            // SAFETY: near + j < (D + 2) * SLOTS.
            let limit = _mm256_set1_pd(near_a + unsafe { *cb.add(near + j) });
            if _mm256_movemask_pd(_mm256_cmp_pd::<_CMP_LT_OQ>(smallest, limit)) != 0 {
                let mut exact = [0.0f64; STEP];
                // SAFETY: as for this function.
                unsafe { exact_step::<D>(x, cb, j, &mut exact) };
                let e = exact.as_ptr();
                // SAFETY: `exact` holds 16 values.
                (d0, d1, d2, d3) = unsafe {
                    (
                        _mm256_loadu_pd(e),
                        _mm256_loadu_pd(e.add(4)),
                        _mm256_loadu_pd(e.add(8)),
                        _mm256_loadu_pd(e.add(12)),
                    )
                };
            }
            let (mut r0, mut r1, mut r2, mut r3) = (
                _mm256_sqrt_pd(d0),
                _mm256_sqrt_pd(d1),
                _mm256_sqrt_pd(d2),
                _mm256_sqrt_pd(d3),
            );
            if let Some(real) = $real {
                let real: usize = real;
                // SAFETY: STEP - real + 16 <= 2 * STEP values of LANE_MASK (0 < real < STEP).
                let m = |q: usize| unsafe { _mm256_loadu_pd(LANE_MASK.as_ptr().add(STEP - real + 4 * q).cast()) };
                r0 = _mm256_and_pd(r0, m(0));
                r1 = _mm256_and_pd(r1, m(1));
                r2 = _mm256_and_pd(r2, m(2));
                r3 = _mm256_and_pd(r3, m(3));
            }
            acc0 = _mm256_add_pd(_mm256_add_pd(acc0, r0), r2);
            acc1 = _mm256_add_pd(_mm256_add_pd(acc1, r1), r3);
            if COLS {
                // SAFETY: j + 16 <= SLOTS and `cs` holds SLOTS values (contract).
                unsafe {
                    let p = cs.add(j);
                    _mm256_storeu_pd(p, _mm256_add_pd(_mm256_loadu_pd(p), r0));
                    _mm256_storeu_pd(p.add(4), _mm256_add_pd(_mm256_loadu_pd(p.add(4)), r1));
                    _mm256_storeu_pd(p.add(8), _mm256_add_pd(_mm256_loadu_pd(p.add(8)), r2));
                    _mm256_storeu_pd(p.add(12), _mm256_add_pd(_mm256_loadu_pd(p.add(12)), r3));
                }
            }
        }};
    }
    let full = len / STEP * STEP;
    for j in (0..full).step_by(STEP) {
        step!(j, None::<usize>);
    }
    if full < len {
        step!(full, Some(len - full));
    }
    let mut lanes = [0.0f64; 4];
    // SAFETY: `lanes` holds 4 f64.
    unsafe { _mm256_storeu_pd(lanes.as_mut_ptr(), _mm256_add_pd(acc0, acc1)) };
    (lanes[0] + lanes[2]) + (lanes[1] + lanes[3])
}

/// The 16 squared distances of `x` to columns `j..j + 16`, from the differences (fused
/// multiply-adds in dimension order). Out of line and cold, so the compiler keeps the fast
/// path's values in registers.
///
/// # Safety
/// As [`row_pass`], with `j + 16 <= SLOTS`.
#[target_feature(enable = "avx2,fma")]
#[inline(never)]
#[cold]
unsafe fn exact_step<const D: usize>(x: &[f64; D], cb: *const f64, j: usize, out: &mut [f64; STEP]) {
    for (l, v) in out.iter_mut().enumerate() {
        let mut d2 = 0.0f64;
        for (kk, &xk) in x.iter().enumerate() {
            // SAFETY: kk * SLOTS + j + l < D * SLOTS (contract).
            let t = unsafe { *cb.add(kk * SLOTS + j + l) } - xk;
            d2 = t.mul_add(t, d2);
        }
        *v = d2;
    }
}
