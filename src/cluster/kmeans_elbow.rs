//! The elbow sweep of K-Means: WCSS for k = 1..k_max with warm starts across k, and the
//! Kneedle knee of the curve.

use super::*;

/// WCSS for k = 1..=k_max and the Kneedle knee (study figure 13, listing 16).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Elbow {
    pub ks: Vec<usize>,
    /// Best inertia for each k.
    pub wcss: Vec<f64>,
    /// The knee of the curve (Kneedle, sensitivity 1), if any.
    pub knee: Option<usize>,
    /// Labels of the kept fit for each k (for per-k scores such as the silhouette).
    pub labels: Vec<Vec<usize>>,
}

/// Fits K-Means for every k in 1..=k_max with `params` (its k is ignored) and finds the knee.
///
/// Reuse across k: besides the `n_init` k-means++ restarts, each k > 1 gets one warm restart
/// from the best k-1 centres plus one greedy k-means++ centre. Lloyd never increases the WCSS,
/// so the curve is non-increasing in k, which keeps Kneedle away from restart noise. Restart
/// `r` at k is seeded by growing its k-means++ seeding at k - 1 by one centre, which gives the
/// same centres as seeding from the start ([`Seeding`]) at a fraction of the passes.
pub fn elbow(x: ArrayView2<f64>, k_max: usize, params: &KMeansParams) -> Result<Elbow, ClusterError> {
    elbow_weighted(x, None, k_max, params)
}

/// [`elbow`] with a weight per row ([`KMeansParams::fit_weighted`]): the curve is the weighted
/// inertia.
pub fn elbow_weighted(
    x: ArrayView2<f64>,
    weights: Option<ArrayView1<f64>>,
    k_max: usize,
    params: &KMeansParams,
) -> Result<Elbow, ClusterError> {
    let params = params.with_k(k_max).build()?;
    let data = Data::new(x)?.with_weights(weights)?;
    if k_max > data.n {
        return Err(ClusterError::TooManyClusters {
            k: k_max,
            points: data.n,
        });
    }
    let (mut ks, mut wcss, mut labels) = (Vec::new(), Vec::new(), Vec::new());
    // One sample for every k: drawn once, it also seeds the warm starts' extra centre.
    let sampling = params.sampling_for(data.n);
    let sample = sampling.map(|s| sampled::sample_rows(&data, s.rows, params.seed));
    let mut previous: Option<Vec<f64>> = None;
    let mut seedings = SeedingCache::default();
    for k in 1..=k_max {
        let seeding_data = sample.as_ref().unwrap_or(&data);
        let warm: Vec<Vec<f64>> = previous
            .iter()
            .map(|prev| {
                let mut rng = stream_rng(params.seed, u64::MAX - k as u64);
                kmeans_plus_plus(seeding_data, k, &mut rng, prev)
            })
            .collect();
        let params_k = params.with_k(k);
        let model = match (sampling, &sample) {
            (Some(sampling), Some(sample)) => {
                sampled::fit_sampled(&data, sample, &params_k, sampling, &warm, Some(&mut seedings))
            }
            _ => fit_runs(&data, &params_k, &warm, Some(&mut seedings)),
        };
        let centered: Vec<f64> = model
            .centers
            .rows()
            .into_iter()
            .flat_map(|r| r.iter().zip(&data.mean).map(|(v, m)| v - m).collect::<Vec<_>>())
            .collect();
        previous = Some(centered);
        ks.push(k);
        wcss.push(model.inertia);
        labels.push(model.labels);
    }
    let xs: Vec<f64> = ks.iter().map(|&k| k as f64).collect();
    let knee = kneedle_decreasing_convex(&xs, &wcss, 1.0).map(|i| ks[i]);
    Ok(Elbow { ks, wcss, knee, labels })
}

/// Kneedle (Satopaa et al. 2011) for a decreasing convex curve; returns the knee's index.
///
/// With `x` and `y` scaled to [0, 1], the difference curve is `D_i = (1 - y_i) - x_i`. A local
/// maximum `i` of `D` is the knee when `D` later falls below `D_i - S * mean(diff(x))` before
/// the next local maximum (offline mode: the first such knee).
pub fn kneedle_decreasing_convex(x: &[f64], y: &[f64], sensitivity: f64) -> Option<usize> {
    let n = x.len();
    if n < 3 || y.len() != n {
        return None;
    }
    let scale = |v: &[f64]| {
        let (lo, hi) = v
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &t| (a.min(t), b.max(t)));
        let span = hi - lo;
        v.iter()
            .map(|&t| if span > 0.0 { (t - lo) / span } else { 0.0 })
            .collect::<Vec<_>>()
    };
    let (xn, yn) = (scale(x), scale(y));
    let diff: Vec<f64> = (0..n).map(|i| (1.0 - yn[i]) - xn[i]).collect();
    let step = (xn[n - 1] - xn[0]) / (n - 1) as f64;
    let mut candidate: Option<(usize, f64)> = None;
    for i in 1..n {
        let is_local_max = i + 1 < n && diff[i] >= diff[i - 1] && diff[i] > diff[i + 1];
        if let Some((knee, threshold)) = candidate
            && diff[i] < threshold
        {
            return Some(knee);
        }
        if is_local_max {
            candidate = Some((i, diff[i] - sensitivity * step));
        }
    }
    None
}
