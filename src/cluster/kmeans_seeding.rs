//! Greedy k-means++ seeding (Arthur & Vassilvitskii 2007; scikit-learn's `_kmeans_plusplus`),
//! and the seedings the elbow sweep keeps from one k to the next.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::{Data, chunked_sum, dist2, nearest};
use crate::par::{CHUNK_ROWS, map_chunks};

/// Greedy k-means++ (scikit-learn's `_kmeans_plusplus`): each new centre is the best, by
/// resulting potential, of `2 + floor(ln k)` candidates drawn with probability ~ D(x)^2.
/// Starts from `initial` centres when given (warm start), else from one uniform point.
pub(in crate::cluster) fn kmeans_plus_plus(data: &Data, k: usize, rng: &mut ChaCha8Rng, initial: &[f64]) -> Vec<f64> {
    let mut seeding = Seeding::start(data, rng.clone(), initial, plus_plus_trials(k));
    seeding.grow(data, k);
    *rng = seeding.rng;
    seeding.centers
}

/// Candidates per new centre of greedy k-means++ for `k` centres (scikit-learn's).
pub(super) fn plus_plus_trials(k: usize) -> usize {
    2 + (k as f64).ln() as usize
}

/// A greedy k-means++ seeding in progress: its random stream, the centres chosen so far and
/// each point's squared distance to the nearest of them. Growing it from `k` to `k + 1`
/// centres takes the same draws and gives the same centre as a fresh seeding to `k + 1` with
/// the same stream, as long as both use the same number of candidates (`2 + floor(ln k)` is
/// the same for k = 1..2, 3..7, 8..20), so the elbow sweep keeps one per restart across k.
pub(super) struct Seeding {
    rng: ChaCha8Rng,
    pub(super) centers: Vec<f64>,
    closest: Vec<f64>,
    potential: f64,
    pub(super) trials: usize,
}

impl Seeding {
    /// The first centre (`initial`, or one point drawn with probability ~ its weight) and the
    /// distances to it.
    pub(super) fn start(data: &Data, mut rng: ChaCha8Rng, initial: &[f64], trials: usize) -> Self {
        let (n, d) = (data.n, data.d);
        let mut centers = initial.to_vec();
        if centers.is_empty() {
            let first = match &data.w {
                None => rng.random_range(0..n),
                Some(w) => {
                    let mut cumulative = vec![0.0; n];
                    let mut running = 0.0;
                    for (c, v) in cumulative.iter_mut().zip(w) {
                        running += v;
                        *c = running;
                    }
                    let target = rng.random::<f64>() * running;
                    cumulative.partition_point(|&c| c < target).min(n - 1)
                }
            };
            centers.extend_from_slice(data.row(first));
        }
        let closest: Vec<f64> = (0..n)
            .into_par_iter()
            .map(|i| nearest(data.row(i), &centers, d).1)
            .collect();
        let potential = match &data.w {
            None => chunked_sum(n, |i| closest[i]),
            Some(w) => chunked_sum(n, |i| w[i] * closest[i]),
        };
        Self {
            rng,
            centers,
            closest,
            potential,
            trials,
        }
    }

    /// Adds centres until there are `k`.
    pub(super) fn grow(&mut self, data: &Data, k: usize) {
        let (n, d) = (data.n, data.d);
        if self.centers.len() >= k * d {
            return;
        }
        let mut cumulative = vec![0.0; n];
        while self.centers.len() < k * d {
            let mut running = 0.0;
            match &data.w {
                None => {
                    for (c, v) in cumulative.iter_mut().zip(&self.closest) {
                        running += v;
                        *c = running;
                    }
                }
                Some(w) => {
                    for ((c, v), wi) in cumulative.iter_mut().zip(&self.closest).zip(w) {
                        running += wi * v;
                        *c = running;
                    }
                }
            }
            let candidates: Vec<usize> = (0..self.trials)
                .map(|_| {
                    let target = self.rng.random::<f64>() * self.potential;
                    cumulative.partition_point(|&c| c < target).min(n - 1)
                })
                .collect();
            let potentials = candidate_potentials(data, &self.closest, &candidates);
            let best = (0..self.trials).fold(0, |b, t| if potentials[t] < potentials[b] { t } else { b });
            let cx = data.row(candidates[best]).to_vec();
            self.closest
                .par_iter_mut()
                .enumerate()
                .for_each(|(i, c)| *c = c.min(dist2(data.row(i), &cx)));
            self.potential = potentials[best];
            self.centers.extend_from_slice(&cx);
        }
    }
}

/// The potential `sum_i min(closest_i, ||x_i - x_cand||^2)` of every candidate, in one pass
/// over the data: each candidate's sum runs over the same fixed chunks in the same order as a
/// separate pass would, so the bits do not depend on how many candidates share the pass.
pub(super) fn candidate_potentials(data: &Data, closest: &[f64], candidates: &[usize]) -> Vec<f64> {
    let rows: Vec<&[f64]> = candidates.iter().map(|&c| data.row(c)).collect();
    let parts = map_chunks(data.n, CHUNK_ROWS, |a, b| {
        let mut sums = vec![0.0; rows.len()];
        for i in a..b {
            let x = data.row(i);
            match &data.w {
                None => {
                    for (sum, cand) in sums.iter_mut().zip(&rows) {
                        *sum += closest[i].min(dist2(x, cand));
                    }
                }
                Some(w) => {
                    for (sum, cand) in sums.iter_mut().zip(&rows) {
                        *sum += w[i] * closest[i].min(dist2(x, cand));
                    }
                }
            }
        }
        sums
    });
    (0..rows.len())
        .map(|t| parts.iter().map(|p| p[t]).sum::<f64>())
        .collect()
}

/// The k-means++ seedings of the restarts, kept from one call to the next on the same data
/// with growing k (the elbow sweep): restart `r` at k + 1 then only adds one centre to its
/// seeding at k instead of seeding again from the start ([`Seeding`]).
#[derive(Default)]
pub(super) struct SeedingCache(pub(super) Vec<Option<Seeding>>);
