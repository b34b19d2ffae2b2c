//! Exact silhouette over all points (Rousseeuw 1987, "Silhouettes: a graphical aid to the
//! interpretation and validation of cluster analysis", J. Comput. Appl. Math. 20:53-65).
//!
//! For point i in cluster A: `a(i)` = mean distance to the other points of A, `b(i)` = smallest
//! mean distance to the points of another cluster, `s(i) = (b - a) / max(a, b)`; `s(i) = 0` for
//! a singleton cluster (scikit-learn). The score is the mean of `s(i)`.
//!
//! Computation: points are sorted by label and cut into tiles that never straddle two clusters,
//! so a tile pair contributes one cluster-sum per row. Each unordered tile pair is computed
//! once (the distance matrix is symmetric), giving row sums and column sums together. Pairs
//! are scheduled in round-robin rounds where no tile appears twice, so each point's sums are
//! accumulated in round order: the same bits on any thread count. Memory is O(n (d + k)).

use super::{MetricsError, check_internal};
use crate::par::map_chunks;
use ndarray::ArrayView2;
use rand::SeedableRng;
use rayon::prelude::*;

/// Rows per tile; a tile pair is a TILE x TILE distance block (fits in L2).
const TILE: usize = 256;
/// The AVX2 kernel recomputes a squared distance from differences below this fraction of
/// `|a|^2 + |b|^2` (where the norm expansion loses digits).
const NEAR: f64 = 1e-3;
/// Vector lanes of the row-sum accumulator (fixed, so the sum order is fixed).
const LANES: usize = 8;

/// Data sorted by cluster, dimension-major (`cols[k * n + p]`), with cluster ranges.
struct Sorted {
    n: usize,
    d: usize,
    k: usize,
    /// Original row of sorted position p.
    perm: Vec<usize>,
    cols: Vec<f64>,
    /// Squared norm `|x_p|^2` of every sorted point (for the AVX2 kernel's expansion).
    norms: Vec<f64>,
    /// `NEAR * max(norms[p..p + LANES])`, the AVX2 kernel's closeness threshold per column group.
    near_window: Vec<f64>,
    /// Largest squared norm (the AVX2 kernel needs it below `avx2::MAX_NORM`).
    max_norm: f64,
    /// Sorted positions `start[c]..start[c + 1]` hold cluster c.
    start: Vec<usize>,
}

impl Sorted {
    fn new(x: ArrayView2<f64>, codes: &[usize], k: usize) -> Self {
        let (n, d) = x.dim();
        let mut perm: Vec<usize> = (0..n).collect();
        perm.sort_by_key(|&i| codes[i]);
        let mut cols = vec![0.0; n * d];
        for (p, &i) in perm.iter().enumerate() {
            for kk in 0..d {
                cols[kk * n + p] = x[[i, kk]];
            }
        }
        let norms: Vec<f64> = (0..n)
            .map(|p| (0..d).map(|kk| cols[kk * n + p] * cols[kk * n + p]).sum())
            .collect();
        let mut start = vec![0; k + 1];
        for &c in codes {
            start[c + 1] += 1;
        }
        for c in 0..k {
            start[c + 1] += start[c];
        }
        Sorted {
            n,
            d,
            k,
            perm,
            cols,
            max_norm: norms.iter().copied().fold(0.0, f64::max),
            near_window: (0..n)
                .map(|p| NEAR * norms[p..(p + LANES).min(n)].iter().copied().fold(0.0, f64::max))
                .collect(),
            norms,
            start,
        }
    }

    fn size(&self, c: usize) -> usize {
        self.start[c + 1] - self.start[c]
    }

    /// Tiles `(start, end, cluster)` of at most TILE sorted positions inside one cluster.
    fn tiles(&self) -> Vec<(usize, usize, usize)> {
        let mut tiles = Vec::new();
        for c in 0..self.k {
            let (s, e) = (self.start[c], self.start[c + 1]);
            let parts = (e - s).div_ceil(TILE);
            for t in 0..parts {
                // Even split so no tile is tiny.
                let (a, b) = (s + (e - s) * t / parts, s + (e - s) * (t + 1) / parts);
                tiles.push((a, b, c));
            }
        }
        tiles
    }
}

/// A pass of two rows `(a, b)` over the column groups `c0..full` (a multiple of LANES): adds
/// their distances to the lane accumulators and to `cs[j - c0]` (once when `a == b`).
pub(super) type GroupPass<'a> =
    &'a mut dyn FnMut((usize, usize), (usize, usize), &mut [f64; LANES], &mut [f64; LANES], Option<&mut [f64]>);

/// Distance block between sorted rows `rows` and columns `cols_range`, two rows per pass:
/// `row_sums[i]` gets the sum over the columns of `d(i, j)`; `col_sums[j - c0]` (if given) the
/// sum over the rows. `groups` does the full column groups (the kernel), `d2` the squared
/// distances of the last `< LANES` columns. An odd last row is paired with itself and its
/// twin's sums are discarded.
#[inline(always)]
fn row_pairs(
    rows: (usize, usize),
    (c0, c1): (usize, usize),
    row_sums: &mut [f64],
    mut col_sums: Option<&mut [f64]>,
    d2: impl Fn(usize, usize) -> f64,
    groups: GroupPass,
) {
    let full = c0 + (c1 - c0) / LANES * LANES;
    let mut i = rows.0;
    while i < rows.1 {
        let twin = (i + 1).min(rows.1 - 1);
        let (mut la, mut lb) = ([0.0f64; LANES], [0.0f64; LANES]);
        groups((i, twin), (c0, full), &mut la, &mut lb, col_sums.as_deref_mut());
        for (l, j) in (full..c1).enumerate() {
            let (ra, rb) = (d2(i, j).sqrt(), d2(twin, j).sqrt());
            la[l] += ra;
            lb[l] += rb;
            if let Some(cs) = col_sums.as_deref_mut() {
                cs[j - c0] += if twin == i { ra } else { ra + rb };
            }
        }
        row_sums[i - rows.0] = combine(&la);
        if twin != i {
            row_sums[twin - rows.0] = combine(&lb);
        }
        i += 2;
    }
}

/// `|x_a - x_b|^2` for `D` dimensions from the differences, in dimension order.
#[inline(always)]
fn portable_d2<const D: usize>(s: &Sorted, a: usize, b: usize) -> f64 {
    let n = s.n;
    (0..D).fold(0.0, |acc, kk| {
        let t = s.cols[kk * n + b] - s.cols[kk * n + a];
        acc + t * t
    })
}

/// Portable kernel for `D` dimensions: `D` is a constant so the squared distances of a column
/// group stay in registers, and two rows share each pass over the columns (half the loads).
#[inline(always)]
fn block_fixed<const D: usize>(
    s: &Sorted,
    rows: (usize, usize),
    cols_range: (usize, usize),
    row_sums: &mut [f64],
    col_sums: Option<&mut [f64]>,
) {
    let n = s.n;
    let point = |i: usize| -> [f64; D] { std::array::from_fn(|kk| s.cols[kk * n + i]) };
    let mut groups = |(a, b): (usize, usize),
                      (c0, full): (usize, usize),
                      la: &mut [f64; LANES],
                      lb: &mut [f64; LANES],
                      mut cs: Option<&mut [f64]>| {
        let (xa, xb) = (point(a), point(b));
        for j in (c0..full).step_by(LANES) {
            let (mut da, mut db) = ([0.0f64; LANES], [0.0f64; LANES]);
            for kk in 0..D {
                let c = &s.cols[kk * n + j..kk * n + j + LANES];
                for l in 0..LANES {
                    let (t, u) = (c[l] - xa[kk], c[l] - xb[kk]);
                    da[l] += t * t;
                    db[l] += u * u;
                }
            }
            let ra: [f64; LANES] = std::array::from_fn(|l| da[l].sqrt());
            let rb: [f64; LANES] = std::array::from_fn(|l| db[l].sqrt());
            for l in 0..LANES {
                la[l] += ra[l];
                lb[l] += rb[l];
            }
            if let Some(cs) = cs.as_deref_mut() {
                let cs = &mut cs[j - c0..j - c0 + LANES];
                for l in 0..LANES {
                    cs[l] += if a == b { ra[l] } else { ra[l] + rb[l] };
                }
            }
        }
    };
    row_pairs(
        rows,
        cols_range,
        row_sums,
        col_sums,
        |a, j| portable_d2::<D>(s, a, j),
        &mut groups,
    );
}

/// The same block for any number of dimensions (one row per pass).
fn block_any_d(
    s: &Sorted,
    rows: (usize, usize),
    cols_range: (usize, usize),
    row_sums: &mut [f64],
    mut col_sums: Option<&mut [f64]>,
) {
    let (n, d) = (s.n, s.d);
    let (c0, c1) = cols_range;
    for i in rows.0..rows.1 {
        let mut lanes = [0.0f64; LANES];
        for (l, j) in (c0..c1).enumerate() {
            let mut d2 = 0.0;
            for kk in 0..d {
                d2 = {
                    let t = s.cols[kk * n + j] - s.cols[kk * n + i];
                    d2 + t * t
                };
            }
            let dist = d2.sqrt();
            lanes[l % LANES] += dist;
            if let Some(cs) = col_sums.as_deref_mut() {
                cs[j - c0] += dist;
            }
        }
        row_sums[i - rows.0] = combine(&lanes);
    }
}

/// Dispatch on the number of dimensions (constant-`D` kernels for 1..=8).
#[inline(always)]
fn block_portable(s: &Sorted, rows: (usize, usize), cols: (usize, usize), rs: &mut [f64], cs: Option<&mut [f64]>) {
    match s.d {
        1 => block_fixed::<1>(s, rows, cols, rs, cs),
        2 => block_fixed::<2>(s, rows, cols, rs, cs),
        3 => block_fixed::<3>(s, rows, cols, rs, cs),
        4 => block_fixed::<4>(s, rows, cols, rs, cs),
        5 => block_fixed::<5>(s, rows, cols, rs, cs),
        6 => block_fixed::<6>(s, rows, cols, rs, cs),
        7 => block_fixed::<7>(s, rows, cols, rs, cs),
        8 => block_fixed::<8>(s, rows, cols, rs, cs),
        _ => block_any_d(s, rows, cols, rs, cs),
    }
}

/// Fixed pairwise combination of the lane accumulators.
fn combine(l: &[f64; LANES]) -> f64 {
    ((l[0] + l[4]) + (l[2] + l[6])) + ((l[1] + l[5]) + (l[3] + l[7]))
}

/// AVX2 + FMA kernel for `D` dimensions.
#[cfg(target_arch = "x86_64")]
fn block_avx2<const D: usize>(
    s: &Sorted,
    rows: (usize, usize),
    cols: (usize, usize),
    rs: &mut [f64],
    cs: Option<&mut [f64]>,
) {
    // SAFETY: only called after checking AVX2 and FMA and that `s.d == D`; the tiles and
    // buffers built by the callers satisfy the range contract of `avx2::block`.
    unsafe { avx2::block::<D>(s, rows, cols, rs, cs) }
}

/// Run the block kernel: AVX2 + FMA for 1 to 8 dimensions where the CPU has them (and the
/// squared norms are below `avx2::MAX_NORM`), else the portable one. Which one runs depends only on the CPU, never on the thread count.
fn block(s: &Sorted, rows: (usize, usize), cols: (usize, usize), rs: &mut [f64], cs: Option<&mut [f64]>) {
    #[cfg(target_arch = "x86_64")]
    if s.max_norm <= avx2::MAX_NORM
        && std::arch::is_x86_feature_detected!("avx2")
        && std::arch::is_x86_feature_detected!("fma")
    {
        match s.d {
            1 => return block_avx2::<1>(s, rows, cols, rs, cs),
            2 => return block_avx2::<2>(s, rows, cols, rs, cs),
            3 => return block_avx2::<3>(s, rows, cols, rs, cs),
            4 => return block_avx2::<4>(s, rows, cols, rs, cs),
            5 => return block_avx2::<5>(s, rows, cols, rs, cs),
            6 => return block_avx2::<6>(s, rows, cols, rs, cs),
            7 => return block_avx2::<7>(s, rows, cols, rs, cs),
            8 => return block_avx2::<8>(s, rows, cols, rs, cs),
            _ => {}
        }
    }
    block_portable(s, rows, cols, rs, cs)
}

/// Sums of distances from every sorted point to each cluster, `sums[p * k + c]`.
fn cluster_sums(s: &Sorted) -> Vec<f64> {
    let k = s.k;
    let tiles = s.tiles();
    let mut sums = vec![0.0; s.n * k];
    let diag: Vec<Vec<f64>> = tiles
        .par_iter()
        .map(|&(a, b, _)| {
            let mut rs = vec![0.0; b - a];
            block(s, (a, b), (a, b), &mut rs, None);
            rs
        })
        .collect();
    for (&(a, _, c), rs) in tiles.iter().zip(&diag) {
        for (i, v) in rs.iter().enumerate() {
            sums[(a + i) * k + c] += v;
        }
    }
    for pairs in round_robin(tiles.len()) {
        let parts: Vec<(Vec<f64>, Vec<f64>)> = pairs
            .par_iter()
            .map(|&(p, q)| {
                let ((a0, a1, _), (b0, b1, _)) = (tiles[p], tiles[q]);
                let (mut rs, mut cs) = (vec![0.0; a1 - a0], vec![0.0; b1 - b0]);
                block(s, (a0, a1), (b0, b1), &mut rs, Some(&mut cs));
                (rs, cs)
            })
            .collect();
        for (&(p, q), (rs, cs)) in pairs.iter().zip(&parts) {
            let ((a0, _, ca), (b0, _, cb)) = (tiles[p], tiles[q]);
            rs.iter().enumerate().for_each(|(i, v)| sums[(a0 + i) * k + cb] += v);
            cs.iter().enumerate().for_each(|(j, v)| sums[(b0 + j) * k + ca] += v);
        }
    }
    sums
}

/// Rounds of disjoint pairs covering every unordered pair of `0..m` once (circle method).
fn round_robin(m: usize) -> Vec<Vec<(usize, usize)>> {
    let m2 = m + m % 2;
    let mut ring: Vec<usize> = (0..m2).collect();
    let mut rounds = Vec::with_capacity(m2.saturating_sub(1));
    for _ in 0..m2.saturating_sub(1) {
        let pairs = (0..m2 / 2)
            .map(|i| (ring[i], ring[m2 - 1 - i]))
            .filter(|&(p, q)| p < m && q < m)
            .collect();
        rounds.push(pairs);
        ring[1..].rotate_right(1);
    }
    rounds
}

/// Silhouette of one point from its sums to every cluster (`own` = its cluster).
fn score(sums: &[f64], own: usize, sizes: &[usize]) -> f64 {
    if sizes[own] <= 1 {
        return 0.0;
    }
    let a = sums[own] / (sizes[own] - 1) as f64;
    let b = (0..sizes.len())
        .filter(|&c| c != own)
        .map(|c| sums[c] / sizes[c] as f64)
        .fold(f64::INFINITY, f64::min);
    let m = a.max(b);
    if m == 0.0 { 0.0 } else { (b - a) / m }
}

/// Silhouette `s(i)` of every point, in input order (exact, all pairs).
pub fn silhouette_samples(x: ArrayView2<f64>, labels: &[usize]) -> Result<Vec<f64>, MetricsError> {
    let (codes, k) = check_internal(x, labels)?;
    let s = Sorted::new(x, &codes, k);
    let sums = cluster_sums(&s);
    let sizes: Vec<usize> = (0..k).map(|c| s.size(c)).collect();
    let mut out = vec![0.0; s.n];
    for (p, &i) in s.perm.iter().enumerate() {
        out[i] = score(&sums[p * k..(p + 1) * k], codes[i], &sizes);
    }
    Ok(out)
}

/// Mean silhouette over all points (scikit-learn `silhouette_score`), exact.
/// Errors unless the number of distinct labels is in `2..=n-1`.
pub fn silhouette(x: ArrayView2<f64>, labels: &[usize]) -> Result<f64, MetricsError> {
    let samples = silhouette_samples(x, labels)?;
    Ok(samples.iter().sum::<f64>() / samples.len() as f64)
}

/// Silhouette estimated on `n_sample` points drawn without replacement (ChaCha8 with `seed`),
/// each scored exactly against all points: `(mean, standard error)` with the standard error
/// `sqrt(var / m * (1 - m / n))` (sample variance, finite-population correction). With
/// `n_sample >= n` it is the exact score with error 0.
pub fn silhouette_sampled(
    x: ArrayView2<f64>,
    labels: &[usize],
    n_sample: usize,
    seed: u64,
) -> Result<(f64, f64), MetricsError> {
    let (codes, k) = check_internal(x, labels)?;
    let n = x.nrows();
    if n_sample < 2 {
        return Err(MetricsError::Invalid(format!(
            "silhouette sample size {n_sample}: must be at least 2"
        )));
    }
    if n_sample >= n {
        return Ok((silhouette(x, labels)?, 0.0));
    }
    let s = Sorted::new(x, &codes, k);
    let mut pos_of = vec![0; n];
    s.perm.iter().enumerate().for_each(|(p, &i)| pos_of[i] = p);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut picked = rand::seq::index::sample(&mut rng, n, n_sample).into_vec();
    picked.sort_unstable();
    let sizes: Vec<usize> = (0..k).map(|c| s.size(c)).collect();
    let chunks = map_chunks(picked.len(), 64, |a, b| {
        picked[a..b]
            .iter()
            .map(|&i| {
                let p = pos_of[i];
                let mut sums = vec![0.0; k];
                for (c, v) in sums.iter_mut().enumerate() {
                    let mut one = [0.0];
                    block(&s, (p, p + 1), (s.start[c], s.start[c + 1]), &mut one, None);
                    *v = one[0];
                }
                score(&sums, codes[i], &sizes)
            })
            .collect::<Vec<f64>>()
    });
    let scores: Vec<f64> = chunks.into_iter().flatten().collect();
    let m = scores.len() as f64;
    let mean = scores.iter().sum::<f64>() / m;
    let var = scores.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (m - 1.0);
    Ok((mean, (var / m * (1.0 - m / n as f64)).sqrt()))
}

#[cfg(target_arch = "x86_64")]
#[path = "silhouette_avx2.rs"]
mod avx2;

#[cfg(test)]
#[path = "silhouette_tests.rs"]
mod tests;
