//! Exact silhouette over all points (Rousseeuw 1987, "Silhouettes: a graphical aid to the
//! interpretation and validation of cluster analysis", J. Comput. Appl. Math. 20:53-65).
//!
//! For point i in cluster A: `a(i)` = mean distance to the other points of A, `b(i)` = smallest
//! mean distance to the points of another cluster, `s(i) = (b - a) / max(a, b)`; `s(i) = 0` for
//! a singleton cluster (scikit-learn). The score is the mean of `s(i)`.
//!
//! Computation: points are sorted by label and cut into tiles of at most TILE points that never
//! straddle two clusters, so a tile pair contributes one cluster-sum per row. Each tile is
//! packed into its own small block (coordinates dimension-major, then squared norms), so a tile
//! pair stays in L1 cache. Each unordered tile pair is computed once (the distance matrix is
//! symmetric), giving row sums and column sums together. Pairs are scheduled in round-robin
//! rounds where no tile appears twice, so each point's sums are accumulated in round order:
//! the same bits on any thread count. Each round's pairs are generated arithmetically when it
//! starts (circle method), so memory is O(n (d + k)) at every size.
//!
//! At millions of points the exact score (O(n^2) distances) is out of reach; it is estimated
//! from a sample of points, each scored exactly against all n points: uniformly
//! ([`silhouette_sampled`]) or stratified by cluster ([`silhouette_stratified`], Cochran's
//! stratified estimator and standard error). Sampled points of one cluster are batched into
//! packed blocks and run through the same tile kernel (row sums only), about
//! `n_sample * n` distances in all. Above that, the two-stage estimate scores the sample against
//! a reference sample of every cluster ([`silhouette_two_stage`], in `silhouette_two_stage.rs`).

use super::{MetricsError, check_internal};
use ndarray::ArrayView2;
use rand::SeedableRng;
use rayon::prelude::*;
use std::ops::Range;

/// Points per tile; a tile pair is a TILE x TILE distance block.
const TILE: usize = 256;
/// Columns per step of the AVX2 kernel (four vectors of four).
const STEP: usize = 16;
/// Slots per tile row in a packed block: TILE plus one step of zero padding, so the last,
/// partial step of a tile can load a full step and mask the extra lanes.
const SLOTS: usize = TILE + STEP;
/// The AVX2 kernel recomputes a squared distance from differences below this fraction of
/// `|a|^2 + |b|^2` (where the norm expansion loses digits).
const NEAR: f64 = 1e-3;
/// Vector lanes of the portable kernel's accumulator (fixed, so the sum order is fixed).
const LANES: usize = 8;

/// One tile: sorted positions `start..start + len`, all in `cluster`.
#[derive(Debug, Clone, Copy)]
struct Tile {
    start: usize,
    len: usize,
    cluster: usize,
}

/// Data sorted by cluster and packed tile by tile.
struct Tiles {
    d: usize,
    k: usize,
    /// Original row of sorted position p.
    perm: Vec<usize>,
    /// Sorted positions `start[c]..start[c + 1]` hold cluster c.
    start: Vec<usize>,
    tiles: Vec<Tile>,
    /// Tile t is `blocks[t * (d + 2) * SLOTS..]`: `d` rows of SLOTS coordinates
    /// (dimension-major), SLOTS squared norms `|x|^2`, and SLOTS closeness thresholds
    /// `NEAR * max(|x|^2 over the STEP slots from here)` for the AVX2 kernel; zero padded.
    blocks: Vec<f64>,
    /// Whether the AVX2 + FMA kernel runs: the CPU has both, `d <= avx2::MAX_D` and every
    /// squared norm is below `avx2::MAX_NORM`. Depends only on the CPU and the data.
    avx2: bool,
}

impl Tiles {
    fn new(x: ArrayView2<f64>, codes: &[usize], k: usize) -> Self {
        let (n, d) = x.dim();
        let mut start = vec![0; k + 1];
        for &c in codes {
            start[c + 1] += 1;
        }
        for c in 0..k {
            start[c + 1] += start[c];
        }
        // Stable counting sort by cluster (the same order as a stable sort by label).
        let mut perm = vec![0; n];
        let mut next = start.clone();
        for (i, &c) in codes.iter().enumerate() {
            perm[next[c]] = i;
            next[c] += 1;
        }
        let mut tiles = Vec::new();
        for cluster in 0..k {
            for first in (start[cluster]..start[cluster + 1]).step_by(TILE) {
                let len = TILE.min(start[cluster + 1] - first);
                tiles.push(Tile {
                    start: first,
                    len,
                    cluster,
                });
            }
        }
        let size = (d + 2) * SLOTS;
        let mut blocks = vec![0.0; tiles.len() * size];
        blocks.par_chunks_mut(size).zip(&tiles).for_each(|(block, tile)| {
            for (o, &i) in perm[tile.start..tile.start + tile.len].iter().enumerate() {
                for kk in 0..d {
                    block[kk * SLOTS + o] = x[[i, kk]];
                }
                block[d * SLOTS + o] = (0..d).map(|kk| x[[i, kk]] * x[[i, kk]]).sum();
            }
            let (norms, near) = block[d * SLOTS..].split_at_mut(SLOTS);
            for (o, v) in near.iter_mut().enumerate() {
                *v = NEAR * norms[o..(o + STEP).min(SLOTS)].iter().copied().fold(0.0, f64::max);
            }
        });
        let max_norm = blocks
            .chunks(size)
            .flat_map(|block| &block[d * SLOTS..(d + 1) * SLOTS])
            .fold(0.0, |m: f64, &v| m.max(v));
        Tiles {
            d,
            k,
            perm,
            start,
            tiles,
            blocks,
            avx2: avx2_usable(d, max_norm),
        }
    }

    fn size(&self, c: usize) -> usize {
        self.start[c + 1] - self.start[c]
    }

    /// The packed block of tile t.
    fn block(&self, t: usize) -> &[f64] {
        let size = (self.d + 2) * SLOTS;
        &self.blocks[t * size..(t + 1) * size]
    }

    /// Tile and offset of sorted position p.
    fn locate(&self, p: usize) -> (usize, usize) {
        let t = self.tiles.partition_point(|tile| tile.start + tile.len <= p);
        (t, p - self.tiles[t].start)
    }
}

#[cfg(target_arch = "x86_64")]
fn avx2_usable(d: usize, max_norm: f64) -> bool {
    d <= avx2::MAX_D
        && max_norm <= avx2::MAX_NORM
        && std::arch::is_x86_feature_detected!("avx2")
        && std::arch::is_x86_feature_detected!("fma")
}

#[cfg(not(target_arch = "x86_64"))]
fn avx2_usable(_d: usize, _max_norm: f64) -> bool {
    false
}

/// Distance sums of rows `rows` of tile p against tile q: `rs[i - rows.start]` gets the row
/// sum of row i; `cs[j]` (when given, SLOTS long) gets the column sums added. Runs the AVX2
/// kernel where [`Tiles::avx2`] says so, else the portable one.
fn tile_pair(s: &Tiles, p: usize, rows: Range<usize>, q: usize, rs: &mut [f64], cs: Option<&mut [f64; SLOTS]>) {
    block_pair(s, s.block(p), rows, q, rs, cs)
}

/// As [`tile_pair`], with the rows taken from any block packed like [`Tiles::blocks`] (the
/// coordinates and squared norms are read; the closeness thresholds only from tile q).
fn block_pair(
    s: &Tiles,
    row_block: &[f64],
    rows: Range<usize>,
    q: usize,
    rs: &mut [f64],
    cs: Option<&mut [f64; SLOTS]>,
) {
    let pair = Pair {
        row_block,
        rows,
        col_block: s.block(q),
        len: s.tiles[q].len,
    };
    #[cfg(target_arch = "x86_64")]
    if s.avx2 {
        return avx2::tile_pair(s.d, pair, rs, cs);
    }
    portable_pair(s.d, pair, rs, cs)
}

/// A kernel's input: rows `rows` of the packed `row_block` against the first `len` columns
/// of the packed `col_block` (see [`Tiles::blocks`] for the layout).
struct Pair<'a> {
    row_block: &'a [f64],
    rows: Range<usize>,
    col_block: &'a [f64],
    len: usize,
}

/// Portable kernel: two rows at a time (sharing the column loads) against groups of LANES
/// columns, squared distances from the differences, dimension by dimension so the lanes
/// vectorize. `D` is the dimension when it is 1..=8 (the loops unroll), or 0 for any `d`.
/// An odd last row is paired with itself and its twin's sums are dropped.
fn portable_rows<const D: usize>(d: usize, pair: Pair, rs: &mut [f64], mut cs: Option<&mut [f64; SLOTS]>) {
    let Pair {
        row_block,
        rows,
        col_block,
        len,
    } = pair;
    let dims = if D == 0 { d } else { D };
    let first = rows.start;
    let (mut xa, mut xb) = (vec![0.0; dims], vec![0.0; dims]);
    for a in rows.clone().step_by(2) {
        let b = (a + 1).min(rows.end - 1);
        for kk in 0..dims {
            (xa[kk], xb[kk]) = (row_block[kk * SLOTS + a], row_block[kk * SLOTS + b]);
        }
        let (mut la, mut lb) = ([0.0f64; LANES], [0.0f64; LANES]);
        let full = len / LANES * LANES;
        for j0 in (0..full).step_by(LANES) {
            let (ra, rb) = two_rows::<D>((&xa, &xb), col_block, j0, LANES);
            accumulate(
                &mut la,
                &mut lb,
                cs.as_deref_mut().map(|c| &mut c[j0..j0 + LANES]),
                &ra,
                &rb,
                a == b,
            );
        }
        if full < len {
            // The padding makes the partial last group readable; its extra lanes are zeroed.
            let (ra, rb) = two_rows::<D>((&xa, &xb), col_block, full, len - full);
            accumulate(
                &mut la,
                &mut lb,
                cs.as_deref_mut().map(|c| &mut c[full..full + LANES]),
                &ra,
                &rb,
                a == b,
            );
        }
        rs[a - first] = combine(&la);
        if b != a {
            rs[b - first] = combine(&lb);
        }
    }
}

/// Distances of two rows (`xa`, `xb`) to columns `j0..j0 + LANES`; lanes from `width` on are 0.
#[inline(always)]
fn two_rows<const D: usize>(
    (xa, xb): (&[f64], &[f64]),
    col_block: &[f64],
    j0: usize,
    width: usize,
) -> ([f64; LANES], [f64; LANES]) {
    let dims = if D == 0 { xa.len() } else { D };
    let (xa, xb) = (&xa[..dims], &xb[..dims]);
    let (mut da, mut db) = ([0.0f64; LANES], [0.0f64; LANES]);
    for kk in 0..dims {
        let c = &col_block[kk * SLOTS + j0..kk * SLOTS + j0 + LANES];
        for l in 0..LANES {
            let (t, u) = (c[l] - xa[kk], c[l] - xb[kk]);
            da[l] += t * t;
            db[l] += u * u;
        }
    }
    let root = |v: f64, l: usize| if width == LANES || l < width { v.sqrt() } else { 0.0 };
    (
        std::array::from_fn(|l| root(da[l], l)),
        std::array::from_fn(|l| root(db[l], l)),
    )
}

/// Add a group's distances to the row lanes and (once if `same`) to the column sums.
#[inline(always)]
fn accumulate(
    la: &mut [f64; LANES],
    lb: &mut [f64; LANES],
    cs: Option<&mut [f64]>,
    ra: &[f64; LANES],
    rb: &[f64; LANES],
    same: bool,
) {
    for l in 0..LANES {
        la[l] += ra[l];
        lb[l] += rb[l];
    }
    if let Some(cs) = cs {
        for l in 0..LANES {
            cs[l] += if same { ra[l] } else { ra[l] + rb[l] };
        }
    }
}

/// Dispatch the portable kernel on the dimension (constant-`D` versions for 1..=8).
fn portable_pair(d: usize, pair: Pair, rs: &mut [f64], cs: Option<&mut [f64; SLOTS]>) {
    match d {
        1 => portable_rows::<1>(d, pair, rs, cs),
        2 => portable_rows::<2>(d, pair, rs, cs),
        3 => portable_rows::<3>(d, pair, rs, cs),
        4 => portable_rows::<4>(d, pair, rs, cs),
        5 => portable_rows::<5>(d, pair, rs, cs),
        6 => portable_rows::<6>(d, pair, rs, cs),
        7 => portable_rows::<7>(d, pair, rs, cs),
        8 => portable_rows::<8>(d, pair, rs, cs),
        _ => portable_rows::<0>(d, pair, rs, cs),
    }
}

/// Fixed pairwise combination of the lane accumulators.
fn combine(l: &[f64; LANES]) -> f64 {
    ((l[0] + l[4]) + (l[2] + l[6])) + ((l[1] + l[5]) + (l[3] + l[7]))
}

/// Sums of distances from every sorted point to each cluster, `sums[p * k + c]`.
fn cluster_sums(s: &Tiles) -> Vec<f64> {
    let k = s.k;
    let tiles = &s.tiles;
    let mut sums = vec![0.0; s.perm.len() * k];
    let diag: Vec<Vec<f64>> = (0..tiles.len())
        .into_par_iter()
        .map(|t| {
            let mut rs = vec![0.0; tiles[t].len];
            tile_pair(s, t, 0..tiles[t].len, t, &mut rs, None);
            rs
        })
        .collect();
    for (tile, rs) in tiles.iter().zip(&diag) {
        for (i, v) in rs.iter().enumerate() {
            sums[(tile.start + i) * k + tile.cluster] += v;
        }
    }
    let mut pairs: Vec<(usize, usize)> = Vec::with_capacity(tiles.len() / 2 + 1);
    for r in 0..n_rounds(tiles.len()) {
        pairs.clear();
        pairs.extend(round_pairs(tiles.len(), r));
        let parts: Vec<(Vec<f64>, Box<[f64; SLOTS]>)> = pairs
            .par_iter()
            .map(|&(p, q)| {
                let (mut rs, mut cs) = (vec![0.0; tiles[p].len], Box::new([0.0; SLOTS]));
                tile_pair(s, p, 0..tiles[p].len, q, &mut rs, Some(&mut cs));
                (rs, cs)
            })
            .collect();
        for (&(p, q), (rs, cs)) in pairs.iter().zip(&parts) {
            let (a, b) = (tiles[p], tiles[q]);
            rs.iter()
                .enumerate()
                .for_each(|(i, v)| sums[(a.start + i) * k + b.cluster] += v);
            cs[..b.len]
                .iter()
                .enumerate()
                .for_each(|(j, v)| sums[(b.start + j) * k + a.cluster] += v);
        }
    }
    sums
}

/// Pairs of round `r` of the circle method (round-robin tournament) over tiles `0..m`: every
/// unordered pair of `0..m` appears in exactly one of the `m2 - 1` rounds (`m2 = m + m % 2`)
/// and no tile appears twice in a round. Slot 0 of the ring is fixed and the other `m2 - 1`
/// rotate by one place per round, so in round `r` ring position `i >= 1` holds
/// `1 + (i - 1 - r) mod (m2 - 1)` and slot `i` pairs positions `i` and `m2 - 1 - i`; pairs with
/// the padding tile `m` (odd `m`) are dropped. Generated arithmetically: O(m) memory per round.
fn round_pairs(m: usize, r: usize) -> impl Iterator<Item = (usize, usize)> {
    let m2 = m + m % 2;
    let ring = move |i: usize| {
        if i == 0 {
            0
        } else {
            let period = m2 - 1;
            1 + (i - 1 + period - r % period) % period
        }
    };
    (0..m2 / 2)
        .map(move |i| (ring(i), ring(m2 - 1 - i)))
        .filter(move |&(p, q)| p < m && q < m)
}

/// Number of rounds of [`round_pairs`] over `m` tiles.
fn n_rounds(m: usize) -> usize {
    (m + m % 2).saturating_sub(1)
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
    let s = Tiles::new(x, &codes, k);
    let sums = cluster_sums(&s);
    let sizes: Vec<usize> = (0..k).map(|c| s.size(c)).collect();
    let mut out = vec![0.0; s.perm.len()];
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

/// Silhouette of the points at sorted positions `positions` (ascending), each scored exactly
/// against all n points, in the order of `positions`.
///
/// Batched: runs of at most TILE consecutive positions of one cluster are copied into a packed
/// block of their own and run through the tile-pair kernel against every tile (row sums only),
/// so a sampled point costs one kernel row per tile, as in the exact computation. A point's
/// sums are accumulated in tile order, so the bits do not depend on the batching or threads.
fn score_positions(s: &Tiles, positions: &[usize]) -> Vec<f64> {
    let (d, k) = (s.d, s.k);
    let sizes: Vec<usize> = (0..k).map(|c| s.size(c)).collect();
    let cluster_of = |p: usize| s.start.partition_point(|&st| st <= p) - 1;
    let mut groups: Vec<(Range<usize>, usize)> = Vec::new();
    let mut first = 0;
    while first < positions.len() {
        let cluster = cluster_of(positions[first]);
        let mut end = first + 1;
        while end < positions.len() && end - first < TILE && positions[end] < s.start[cluster + 1] {
            end += 1;
        }
        groups.push((first..end, cluster));
        first = end;
    }
    let size = (d + 2) * SLOTS;
    let parts: Vec<Vec<f64>> = groups
        .par_iter()
        .map(|(range, cluster)| {
            let rows = &positions[range.clone()];
            let mut block = vec![0.0; size];
            for (o, &p) in rows.iter().enumerate() {
                let (t, src) = s.locate(p);
                let from = s.block(t);
                for kk in 0..=d {
                    block[kk * SLOTS + o] = from[kk * SLOTS + src];
                }
            }
            let mut sums = vec![0.0; rows.len() * k];
            let mut rs = vec![0.0; rows.len()];
            for (q, tile) in s.tiles.iter().enumerate() {
                block_pair(s, &block, 0..rows.len(), q, &mut rs, None);
                for (o, v) in rs.iter().enumerate() {
                    sums[o * k + tile.cluster] += v;
                }
            }
            (0..rows.len())
                .map(|o| score(&sums[o * k..(o + 1) * k], *cluster, &sizes))
                .collect()
        })
        .collect();
    parts.concat()
}

/// Silhouette estimated on `n_sample` points drawn without replacement (ChaCha8 with `seed`),
/// each scored exactly against all points: `(mean, standard error)` with the standard error
/// `sqrt(var / m * (1 - m / n))` (sample variance, finite-population correction). With
/// `n_sample >= n` it is the exact score with error 0. See [`silhouette_stratified`] for the
/// estimate stratified by cluster (smaller error for the same sample size).
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
    let s = Tiles::new(x, &codes, k);
    let mut pos_of = vec![0; n];
    s.perm.iter().enumerate().for_each(|(p, &i)| pos_of[i] = p);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut picked = rand::seq::index::sample(&mut rng, n, n_sample).into_vec();
    picked.sort_unstable();
    // Score in sorted-position order (batched by cluster), sum in input-row order.
    let mut by_pos: Vec<(usize, usize)> = picked.iter().enumerate().map(|(j, &i)| (pos_of[i], j)).collect();
    by_pos.sort_unstable();
    let positions: Vec<usize> = by_pos.iter().map(|&(p, _)| p).collect();
    let mut scores = vec![0.0; picked.len()];
    for (&(_, j), v) in by_pos.iter().zip(score_positions(&s, &positions)) {
        scores[j] = v;
    }
    let m = scores.len() as f64;
    let mean = scores.iter().sum::<f64>() / m;
    let var = scores.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (m - 1.0);
    Ok((mean, (var / m * (1.0 - m / n as f64)).sqrt()))
}

/// Smallest sample per cluster in [`silhouette_stratified`] (or the whole cluster if smaller).
pub const STRATUM_MIN: usize = 50;

/// A silhouette estimated from a sample stratified by cluster ([`silhouette_stratified`]).
#[derive(Debug, Clone, PartialEq)]
pub struct SampledSilhouette {
    /// Estimate of the mean silhouette over all points (the exact value when `exact`).
    pub mean: f64,
    /// Standard error of `mean` (0 when `exact`).
    pub std_error: f64,
    /// Points scored (the sum of `per_cluster`; `n` when `exact`).
    pub n_sample: usize,
    /// Sample size per cluster, clusters in increasing order of their label values.
    pub per_cluster: Vec<usize>,
    /// Whether every point was scored (the exact silhouette).
    pub exact: bool,
}

/// Sample sizes per stratum: proportional allocation `n_sample * N_c / N` rounded by largest
/// remainders (ties to the lower cluster) so they sum to `n_sample`, then raised to at least
/// `min(N_c, STRATUM_MIN)` (the total may then exceed `n_sample`).
fn allocate(sizes: &[usize], n_sample: usize) -> Vec<usize> {
    let n: usize = sizes.iter().sum();
    let quota = |c: usize| (n_sample as u128 * sizes[c] as u128 / n as u128) as usize;
    let rem = |c: usize| n_sample as u128 * sizes[c] as u128 % n as u128;
    let mut m: Vec<usize> = (0..sizes.len()).map(quota).collect();
    let left = n_sample.saturating_sub(m.iter().sum());
    let mut order: Vec<usize> = (0..sizes.len()).collect();
    order.sort_by(|&a, &b| rem(b).cmp(&rem(a)).then(a.cmp(&b)));
    for &c in order.iter().take(left) {
        m[c] += 1;
    }
    m.iter()
        .zip(sizes)
        .map(|(&mc, &nc)| mc.max(nc.min(STRATUM_MIN)).min(nc))
        .collect()
}

/// Silhouette estimated by stratified random sampling (Cochran 1977, "Sampling Techniques",
/// ch. 5): the strata are the clusters. Cluster c (N_c points) gets a simple random sample of
/// `m_c` points, proportional to its size with at least `min(N_c, STRATUM_MIN)` (see
/// [`allocate`]), drawn without replacement with ChaCha8 from `seed`, cluster by cluster. Each
/// sampled point is scored exactly against all n points (`a(i)`, `b(i)` from full cluster
/// sums). With stratum means `mean_c`, sample variances `s_c^2` and weights `W_c = N_c / N`:
///
/// `estimate = sum_c W_c mean_c`,
/// `std_error = sqrt(sum_c W_c^2 s_c^2 / m_c (1 - m_c / N_c))`.
///
/// With `n_sample >= n` (or when every cluster is sampled whole) it returns the exact
/// [`silhouette`] with `std_error = 0` and `exact = true`. Scoring is batched per cluster
/// through the tile kernel and parallel over fixed groups: the same bits on any thread count.
/// Errors as [`silhouette`], and for `n_sample < 2`.
pub fn silhouette_stratified(
    x: ArrayView2<f64>,
    labels: &[usize],
    n_sample: usize,
    seed: u64,
) -> Result<SampledSilhouette, MetricsError> {
    let (codes, k) = check_internal(x, labels)?;
    let n = x.nrows();
    if n_sample < 2 {
        return Err(MetricsError::Invalid(format!(
            "silhouette sample size {n_sample}: must be at least 2"
        )));
    }
    let mut sizes = vec![0; k];
    codes.iter().for_each(|&c| sizes[c] += 1);
    let per_cluster = if n_sample >= n {
        sizes.clone()
    } else {
        allocate(&sizes, n_sample)
    };
    if per_cluster == sizes {
        return Ok(SampledSilhouette {
            mean: silhouette(x, labels)?,
            std_error: 0.0,
            n_sample: n,
            per_cluster,
            exact: true,
        });
    }
    let s = Tiles::new(x, &codes, k);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut positions = Vec::with_capacity(per_cluster.iter().sum());
    for c in 0..k {
        let mut idx = rand::seq::index::sample(&mut rng, sizes[c], per_cluster[c]).into_vec();
        idx.sort_unstable();
        positions.extend(idx.iter().map(|&i| s.start[c] + i));
    }
    let scores = score_positions(&s, &positions);
    let (mut mean, mut var) = (0.0, 0.0);
    let mut from = 0;
    for c in 0..k {
        let (mc, nc) = (per_cluster[c], sizes[c]);
        let part = &scores[from..from + mc];
        from += mc;
        let w = nc as f64 / n as f64;
        let mean_c = part.iter().sum::<f64>() / mc as f64;
        mean += w * mean_c;
        if mc >= 2 && mc < nc {
            let s2 = part.iter().map(|v| (v - mean_c) * (v - mean_c)).sum::<f64>() / (mc - 1) as f64;
            var += w * w * s2 / mc as f64 * (1.0 - mc as f64 / nc as f64);
        }
    }
    Ok(SampledSilhouette {
        mean,
        std_error: var.sqrt(),
        n_sample: positions.len(),
        per_cluster,
        exact: false,
    })
}

/// Row sums of `pair` with the AVX2 kernel when `avx2`, else the portable one.
fn run_kernel(d: usize, avx2: bool, pair: Pair, rs: &mut [f64]) {
    #[cfg(target_arch = "x86_64")]
    if avx2 {
        return avx2::tile_pair(d, pair, rs, None);
    }
    let _ = avx2;
    portable_pair(d, pair, rs, None)
}

#[cfg(target_arch = "x86_64")]
#[path = "silhouette_avx2.rs"]
mod avx2;

#[path = "silhouette_two_stage.rs"]
mod two_stage;
pub use two_stage::{JACKKNIFE_GROUPS, REFERENCE_PER_CLUSTER, TwoStageSilhouette, silhouette_two_stage};

#[cfg(test)]
#[path = "silhouette_tests.rs"]
mod tests;
