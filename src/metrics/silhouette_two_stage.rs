//! The two-stage sampled silhouette ([`silhouette_two_stage`]): a stratified sample of scored
//! points against a stratified reference sample of every cluster, for grids where scoring a
//! sample against every point costs too much. It shares the exact silhouette's packed tiles
//! and kernels (the parent module).

use super::*;

/// Reference cells per cluster of [`silhouette_two_stage`] by default (the whole cluster when
/// smaller). With 10 clusters and 20,000 scored cells this is 2e9 distances, where scoring
/// against all cells of a 5.5 M-cell grid is 1.1e11; its share of the standard error is
/// reported apart (`stage2_std_error`) and is below the first stage's on the synth grids.
pub const REFERENCE_PER_CLUSTER: usize = 10_000;

/// Random groups per cluster's reference sample for the jackknife of [`silhouette_two_stage`].
pub const JACKKNIFE_GROUPS: usize = 10;

/// A silhouette estimated in two stages ([`silhouette_two_stage`]).
#[derive(Debug, Clone, PartialEq)]
pub struct TwoStageSilhouette {
    /// Estimate of the mean silhouette over all points (the exact value when `exact`).
    pub mean: f64,
    /// Standard error of `mean`, both stages: `sqrt(stage1^2 + stage2^2)` (0 when `exact`).
    pub std_error: f64,
    /// The first stage's part: Cochran's stratified standard error of the scored cells' values.
    pub stage1_std_error: f64,
    /// The second stage's part: the stratified delete-a-group jackknife over the reference sample.
    pub stage2_std_error: f64,
    /// Points scored (the sum of `per_cluster`; `n` when `exact`).
    pub n_sample: usize,
    /// Scored points per cluster, clusters in increasing order of their label values.
    pub per_cluster: Vec<usize>,
    /// Reference points per cluster (`min(N_c, reference)`), in the same order.
    pub reference_per_cluster: Vec<usize>,
    /// Whether every point was scored against every point (the exact silhouette).
    pub exact: bool,
}

/// Silhouette estimated in two stages, for grids where scoring a sample against every point
/// costs too much.
///
/// **Stage 1** (which points are scored): the stratified sample of [`silhouette_stratified`],
/// `m_c` points of cluster c (proportional allocation with a floor, [`allocate`]).
/// **Stage 2** (what they are scored against): from each cluster j a simple random sample
/// `R_j` of `r_j = min(N_j, reference)` points, drawn without replacement independently of
/// stage 1. A scored point i of cluster c gets `D_ij = mean_{r in R_j, r != i} d(i, r)`, the
/// unbiased estimate of its mean distance to cluster j (to the other points of c when j = c),
/// then `a = D_ic`, `b = min_{j != c} D_ij`, `s(i) = (b - a) / max(a, b)` (0 in a singleton
/// cluster). The estimate is Cochran's stratified mean `S = sum_c W_c mean_{i in S_c} s(i)`,
/// `W_c = N_c / N`.
///
/// **Variance**: the two stages are independent draws, so (law of total variance, the
/// decomposition behind Cochran 1977, "Sampling Techniques", 3rd ed., ch. 10, eq. 10.5 and
/// theorem 10.1) `Var(S) = Var_1(E_2[S | stage 1]) + E_1[Var_2(S | stage 1)]`.
/// - The first term is estimated by Cochran's stratified formula (ch. 5, eq. 5.6) on the
///   scored values: `v1 = sum_c W_c^2 s_c^2 / m_c (1 - m_c / N_c)`. The `s(i)` carry their own
///   small stage-2 noise, so `v1` is slightly conservative.
/// - The second term cannot take Cochran's closed two-stage form: that form subsamples each
///   first-stage unit independently, while here every scored point shares the same reference
///   sample, so the stage-2 errors are correlated across points, and `s` is a non-linear
///   (ratio and minimum) function of the `D_ij`. It is estimated by the stratified
///   delete-a-group jackknife (Wolter 2007, "Introduction to Variance Estimation", 2nd ed.,
///   ch. 4.5): each `R_j` is split at random into `G = JACKKNIFE_GROUPS` groups; replicate
///   `(j, g)` recomputes S with group g of cluster j left out, and
///   `v2 = sum_j (1 - r_j / N_j) (G - 1) / G sum_g (S_(jg) - S_(j.))^2`
///   (with the finite-population factor, 0 for a cluster taken whole).
///
/// `std_error = sqrt(v1 + v2)`; both parts are returned. The bias of `s(i)` from the
/// non-linearity is of order `1 / r_j` and far below the standard error at the default sizes.
///
/// Cost: `sum_c m_c * sum_j r_j` distances (tile kernel of the exact silhouette, rows = scored
/// points, columns = reference points sorted by cluster and group), parallel over fixed
/// groups of scored points, summed in a fixed order: the same bits on any thread count. Draws
/// use ChaCha8 from `seed`: stage 1 exactly as [`silhouette_stratified`], then the reference
/// samples cluster by cluster. With `n_sample >= n` (or every cluster scored whole) it returns
/// the exact [`silhouette`]. Errors as [`silhouette`], for `n_sample < 2` and for `reference` below
/// two points per jackknife group.
pub fn silhouette_two_stage(
    x: ArrayView2<f64>,
    labels: &[usize],
    n_sample: usize,
    reference: usize,
    seed: u64,
) -> Result<TwoStageSilhouette, MetricsError> {
    use rand::seq::SliceRandom;
    let (codes, k) = check_internal(x, labels)?;
    let (n, d) = x.dim();
    // Two points per jackknife group at least, so a replicate never empties a cluster.
    let reference_min = 2 * JACKKNIFE_GROUPS;
    if n_sample < 2 || reference < reference_min {
        return Err(MetricsError::Invalid(format!(
            "two-stage silhouette: sample {n_sample} must be at least 2 and reference {reference} at least {reference_min}"
        )));
    }
    let mut sizes = vec![0; k];
    codes.iter().for_each(|&c| sizes[c] += 1);
    let per_cluster = if n_sample >= n {
        sizes.clone()
    } else {
        allocate(&sizes, n_sample)
    };
    let reference_per_cluster: Vec<usize> = sizes.iter().map(|&nc| nc.min(reference)).collect();
    if per_cluster == sizes {
        return Ok(TwoStageSilhouette {
            mean: silhouette(x, labels)?,
            std_error: 0.0,
            stage1_std_error: 0.0,
            stage2_std_error: 0.0,
            n_sample: n,
            per_cluster,
            reference_per_cluster,
            exact: true,
        });
    }
    // Rows of each cluster in input order (a stable counting sort, as `Tiles::new`).
    let mut start = vec![0; k + 1];
    codes.iter().for_each(|&c| start[c + 1] += 1);
    (0..k).for_each(|c| start[c + 1] += start[c]);
    let mut members = vec![0; n];
    let mut next = start.clone();
    for (i, &c) in codes.iter().enumerate() {
        members[next[c]] = i;
        next[c] += 1;
    }
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    // Stage 1: the same draws as `silhouette_stratified`, as rows.
    let mut scored: Vec<usize> = Vec::with_capacity(per_cluster.iter().sum());
    for c in 0..k {
        let mut idx = rand::seq::index::sample(&mut rng, sizes[c], per_cluster[c]).into_vec();
        idx.sort_unstable();
        scored.extend(idx.iter().map(|&i| members[start[c] + i]));
    }
    // Stage 2: per cluster a random sample split into G random groups; pseudo-cluster
    // `c * G + g` holds group g of cluster c, each group sorted by row.
    let groups = JACKKNIFE_GROUPS;
    let mut ref_rows: Vec<usize> = Vec::with_capacity(reference_per_cluster.iter().sum());
    let mut ref_codes: Vec<usize> = Vec::with_capacity(ref_rows.capacity());
    // (row, group) of every reference point of cluster c, sorted by row, for the overlap test.
    let mut ref_lookup: Vec<Vec<(usize, usize)>> = Vec::with_capacity(k);
    let mut group_size = vec![0usize; k * groups];
    for c in 0..k {
        let mut idx = rand::seq::index::sample(&mut rng, sizes[c], reference_per_cluster[c]).into_vec();
        idx.shuffle(&mut rng);
        let r = idx.len();
        let mut lookup = Vec::with_capacity(r);
        for g in 0..groups {
            let mut part: Vec<usize> = idx[g * r / groups..(g + 1) * r / groups]
                .iter()
                .map(|&i| members[start[c] + i])
                .collect();
            part.sort_unstable();
            group_size[c * groups + g] = part.len();
            lookup.extend(part.iter().map(|&row| (row, g)));
            ref_codes.extend(std::iter::repeat_n(c * groups + g, part.len()));
            ref_rows.extend(part);
        }
        lookup.sort_unstable();
        ref_lookup.push(lookup);
    }
    let gather = |rows: &[usize]| ndarray::Array2::from_shape_fn((rows.len(), d), |(i, j)| x[[rows[i], j]]);
    let scored_codes: Vec<usize> = scored.iter().map(|&i| codes[i]).collect();
    let rows_tiles = Tiles::new(gather(&scored).view(), &scored_codes, k);
    let cols_tiles = Tiles::new(gather(&ref_rows).view(), &ref_codes, k * groups);
    let sums = cross_sums(&rows_tiles, &cols_tiles);
    // Per scored point (in `rows_tiles` order: by cluster, then as drawn): the sums per
    // (cluster, group), the reference counts without the point itself, and its values.
    let kg = k * groups;
    let point_inputs: Vec<(usize, Vec<f64>, Vec<usize>)> = rows_tiles
        .perm
        .iter()
        .enumerate()
        .map(|(p, &j)| {
            let (row, c) = (scored[j], scored_codes[j]);
            let mut counts = group_size.clone();
            if let Ok(at) = ref_lookup[c].binary_search_by(|&(r, _)| r.cmp(&row)) {
                counts[c * groups + ref_lookup[c][at].1] -= 1;
            }
            (c, sums[p * kg..(p + 1) * kg].to_vec(), counts)
        })
        .collect();
    // Mean distance of a point to cluster j's reference rows, leaving out group `drop`.
    let mean_to = |sums: &[f64], counts: &[usize], j: usize, drop: Option<usize>| -> f64 {
        let (mut s, mut m) = (0.0, 0usize);
        for g in 0..groups {
            if drop != Some(g) {
                s += sums[j * groups + g];
                m += counts[j * groups + g];
            }
        }
        if m == 0 { f64::NAN } else { s / m as f64 }
    };
    // The silhouette of a point of cluster c from its mean distance to each cluster.
    let point_value = |c: usize, mean: &dyn Fn(usize) -> f64| -> f64 {
        if sizes[c] <= 1 {
            return 0.0;
        }
        let a = mean(c);
        let b = (0..k).filter(|&j| j != c).map(mean).fold(f64::INFINITY, f64::min);
        let m = a.max(b);
        if !(m > 0.0) { 0.0 } else { (b - a) / m }
    };
    // Each point's mean distances with every group in: a jackknife replicate recomputes only
    // the one cluster whose group it leaves out (the others are these same sums, same bits).
    let full_means: Vec<f64> = point_inputs
        .iter()
        .flat_map(|(_, s, m)| (0..k).map(move |j| mean_to(s, m, j, None)))
        .collect();
    // The stratified mean of per-point values `value(p)`.
    let stratified_mean = |values: &[f64]| -> f64 {
        let mut mean = 0.0;
        let mut from = 0;
        for c in 0..k {
            let part = &values[from..from + per_cluster[c]];
            from += per_cluster[c];
            mean += sizes[c] as f64 / n as f64 * part.iter().sum::<f64>() / part.len() as f64;
        }
        mean
    };
    let values: Vec<f64> = point_inputs
        .iter()
        .enumerate()
        .map(|(p, (c, _, _))| point_value(*c, &|j| full_means[p * k + j]))
        .collect();
    let mean = stratified_mean(&values);
    let mut v1 = 0.0;
    let mut from = 0;
    for c in 0..k {
        let (mc, nc) = (per_cluster[c], sizes[c]);
        let part = &values[from..from + mc];
        from += mc;
        if mc >= 2 && mc < nc {
            let w = nc as f64 / n as f64;
            let mean_c = part.iter().sum::<f64>() / mc as f64;
            let s2 = part.iter().map(|v| (v - mean_c) * (v - mean_c)).sum::<f64>() / (mc - 1) as f64;
            v1 += w * w * s2 / mc as f64 * (1.0 - mc as f64 / nc as f64);
        }
    }
    // Stratified delete-a-group jackknife over the reference sample.
    let replicates: Vec<f64> = (0..kg)
        .into_par_iter()
        .map(|jg| {
            let (dropped, group) = (jg / groups, jg % groups);
            let values: Vec<f64> = point_inputs
                .iter()
                .enumerate()
                .map(|(p, (c, s, m))| {
                    point_value(*c, &|j| {
                        if j == dropped {
                            mean_to(s, m, j, Some(group))
                        } else {
                            full_means[p * k + j]
                        }
                    })
                })
                .collect();
            stratified_mean(&values)
        })
        .collect();
    let mut v2 = 0.0;
    for j in 0..k {
        let (r, nj) = (reference_per_cluster[j], sizes[j]);
        if r >= nj {
            // Taken whole: no second-stage error from this cluster.
            continue;
        }
        let reps = &replicates[j * groups..(j + 1) * groups];
        let centre = reps.iter().sum::<f64>() / groups as f64;
        let spread: f64 = reps.iter().map(|v| (v - centre) * (v - centre)).sum();
        v2 += (1.0 - r as f64 / nj as f64) * (groups - 1) as f64 / groups as f64 * spread;
    }
    Ok(TwoStageSilhouette {
        mean,
        std_error: (v1 + v2).sqrt(),
        stage1_std_error: v1.sqrt(),
        stage2_std_error: v2.sqrt(),
        n_sample: scored.len(),
        per_cluster,
        reference_per_cluster,
        exact: false,
    })
}

/// Distance sums of every point of `rows` (in its sorted order) to each cluster of `cols`:
/// `sums[p * cols.k + c]`. Parallel over the tiles of `rows`; each row's sums are added in
/// the order of the column tiles, so the bits do not depend on the threads.
fn cross_sums(rows: &Tiles, cols: &Tiles) -> Vec<f64> {
    let kc = cols.k;
    let avx2 = rows.avx2 && cols.avx2;
    let parts: Vec<Vec<f64>> = (0..rows.tiles.len())
        .into_par_iter()
        .map(|t| {
            let len = rows.tiles[t].len;
            let mut sums = vec![0.0; len * kc];
            let mut rs = vec![0.0; len];
            for (q, tile) in cols.tiles.iter().enumerate() {
                let pair = Pair {
                    row_block: rows.block(t),
                    rows: 0..len,
                    col_block: cols.block(q),
                    len: tile.len,
                };
                run_kernel(cols.d, avx2, pair, &mut rs);
                for (o, v) in rs.iter().enumerate() {
                    sums[o * kc + tile.cluster] += v;
                }
            }
            sums
        })
        .collect();
    parts.concat()
}
