//! Restarts on a sample, the best refined on all rows ([`super::RestartSampling`]).
//!
//! The k-means++ seeding (Arthur & Vassilvitskii 2007) and the Lloyd runs of the `n_init`
//! restarts are the exact ones of the parent module, applied to a uniform sample of the rows
//! that is centred with the full data's means and scales `tol` by the full data's variance, so a
//! sample restart stops where a full-data one with the same centres would. The refined restarts
//! are exact Hamerly-accelerated Lloyd runs (Hamerly 2010) over all rows. The sample is drawn
//! from its own ChaCha8 stream and sorted, restarts draw from the same streams as the exact
//! path, and every reduction is chunked: the result is the same bits on any thread count.

use rand::seq::index;

use super::{
    Data, KMeans, KMeansAlgorithm, KMeansParams, RestartSampling, Run, SeedingCache, lloyd, lowest_inertia,
    restart_runs,
};

/// Random stream of the row sample; restarts use streams `0..n_init` and the elbow's warm
/// starts streams counted down from `u64::MAX`.
const SAMPLE_STREAM: u64 = u64::MAX / 2;

/// A uniform sample of `rows` of the rows of `data` without replacement, in row order, with
/// the full data's centring and variance.
pub(super) fn sample_rows(data: &Data, rows: usize, seed: u64) -> Data {
    let rows = rows.min(data.n);
    let mut rng = super::stream_rng(seed, SAMPLE_STREAM);
    let mut picked = index::sample(&mut rng, data.n, rows).into_vec();
    picked.sort_unstable();
    let mut x = Vec::with_capacity(rows * data.d);
    for &i in &picked {
        x.extend_from_slice(data.row(i));
    }
    // A uniform sample keeps each row's weight: the weighted sample sums estimate the weighted
    // full-data sums.
    let w = data.w.as_ref().map(|w| picked.iter().map(|&i| w[i]).collect());
    Data {
        x,
        mean: data.mean.clone(),
        n: rows,
        d: data.d,
        mean_variance: data.mean_variance,
        w,
    }
}

/// The `n_init` k-means++ restarts run on `sample`; the `refine` of lowest sample inertia and
/// every warm start (already seeded, for the elbow: it keeps the k-1 centres, so its full-data
/// inertia cannot exceed the k-1 one) then run by exact Lloyd on all rows; the lowest full-data
/// inertia is kept (the earliest candidate on ties). `cache` keeps the sample seedings across
/// the k of an elbow sweep.
pub(super) fn fit_sampled(
    data: &Data,
    sample: &Data,
    params: &KMeansParams,
    sampling: RestartSampling,
    warm_starts: &[Vec<f64>],
    cache: Option<&mut SeedingCache>,
) -> KMeans {
    let tol = params.tol * data.mean_variance;
    let runs = restart_runs(sample, params, &[], tol, cache);
    let mut order: Vec<usize> = (0..runs.len()).collect();
    order.sort_by(|&a, &b| runs[a].inertia.total_cmp(&runs[b].inertia).then(a.cmp(&b)));
    order.truncate(sampling.refine);
    // Candidate `c` is restart `order[c]`, or warm start `c - order.len()` (index
    // `n_init + c - order.len()` among the restarts, as in the exact path).
    let starts: Vec<(usize, &[f64])> = order
        .iter()
        .map(|&r| (r, runs[r].centers.as_slice()))
        .chain(
            warm_starts
                .iter()
                .enumerate()
                .map(|(w, c)| (runs.len() + w, c.as_slice())),
        )
        .collect();
    // One refinement after the other, each parallel over the rows inside: a refinement holds
    // its per-row bounds (24 bytes a row) and labels, and run side by side they would double
    // the fresh memory of the stage for no gain on a machine whose cores they share anyway.
    let mut refined: Vec<Run> = starts
        .iter()
        .map(|(_, centers)| lloyd(data, centers.to_vec(), params.max_iter, tol))
        .collect();
    let best = lowest_inertia(&refined);
    let best_init = starts[best].0;
    let mut inertia_per_init: Vec<f64> = runs.iter().map(|r| r.inertia).collect();
    inertia_per_init.extend(refined[order.len()..].iter().map(|r| r.inertia));
    let run = refined.swap_remove(best);
    super::into_model(
        data,
        run,
        inertia_per_init,
        best_init,
        KMeansAlgorithm::SampledRestarts { sample_rows: sample.n },
    )
}
