use super::*;
use ndarray::{Array2, array};
use rand::Rng;

fn naive(x: &Array2<f64>, labels: &[usize]) -> Vec<f64> {
    let n = x.nrows();
    let k = labels.iter().max().unwrap() + 1;
    (0..n)
        .map(|i| {
            let mut sums = vec![0.0; k];
            let mut cnt = vec![0usize; k];
            for j in 0..n {
                let d: f64 = (0..x.ncols())
                    .map(|c| (x[[i, c]] - x[[j, c]]).powi(2))
                    .sum::<f64>()
                    .sqrt();
                sums[labels[j]] += d;
                cnt[labels[j]] += 1;
            }
            score(&sums, labels[i], &cnt)
        })
        .collect()
}

fn data(n: usize, k: usize) -> (Array2<f64>, Vec<usize>) {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
    let x = Array2::from_shape_fn((n, 3), |_| rng.random::<f64>());
    let labels = (0..n).map(|_| rng.random_range(0..k)).collect();
    (x, labels)
}

#[test]
fn matches_naive_definition() {
    for (n, k) in [(3, 2), (40, 3), (1300, 4)] {
        let (x, labels) = data(n, k);
        let fast = silhouette_samples(x.view(), &labels).unwrap();
        for (a, b) in fast.iter().zip(naive(&x, &labels)) {
            assert!((a - b).abs() < 1e-12, "{a} vs {b}");
        }
    }
}

#[test]
fn bit_identical_on_1_and_2_threads() {
    let (x, labels) = data(3000, 5);
    let run = |t: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(t).build().unwrap();
        pool.install(|| {
            (
                silhouette(x.view(), &labels).unwrap(),
                silhouette_sampled(x.view(), &labels, 500, 3).unwrap(),
            )
        })
    };
    let (a, b) = (run(1), run(2));
    assert_eq!(a.0.to_bits(), b.0.to_bits());
    assert_eq!(a.1, b.1);
    let (mean, se) = a.1;
    assert!((mean - a.0).abs() < 5.0 * se + 1e-12 && se > 0.0);
}

#[test]
fn singleton_and_label_errors() {
    let x = array![[0.0], [0.1], [5.0], [9.0]];
    let s = silhouette_samples(x.view(), &[7, 7, 3, 1]).unwrap();
    assert_eq!(s[2], 0.0);
    assert!(matches!(
        silhouette(x.view(), &[1, 1, 1, 1]),
        Err(MetricsError::NumberOfLabels { labels: 1, .. })
    ));
    assert!(silhouette(x.view(), &[0, 1, 2, 3]).is_err());
    assert!(silhouette(x.view(), &[0, 1]).is_err());
    assert!(silhouette_sampled(x.view(), &[0, 0, 1, 1], 1, 0).is_err());
}

#[test]
fn every_kernel_width_matches_naive_definition() {
    // d = 1..=8 use the constant-width kernels (odd tiles pair a row with itself), 12 the general one.
    for d in [1, 2, 5, 7, 8, 12] {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(d as u64);
        let n = 301;
        let x = Array2::from_shape_fn((n, d), |_| rng.random::<f64>());
        let labels: Vec<usize> = (0..n).map(|_| rng.random_range(0..3)).collect();
        let fast = silhouette_samples(x.view(), &labels).unwrap();
        for (a, b) in fast.iter().zip(naive(&x, &labels)) {
            assert!((a - b).abs() < 1e-12, "d = {d}: {a} vs {b}");
        }
    }
}

#[test]
fn duplicate_and_near_points_match_naive_definition() {
    // Exact duplicates and 1e-9 neighbours take the kernel's recompute-from-differences path.
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let base = Array2::from_shape_fn((150, 7), |_| rng.random::<f64>() * 100.0 + 1000.0);
    let x = Array2::from_shape_fn((450, 7), |(i, j)| base[[i % 150, j]] + (i / 150) as f64 * 1e-9);
    let labels: Vec<usize> = (0..450).map(|i| (i * 7) % 4).collect();
    let fast = silhouette_samples(x.view(), &labels).unwrap();
    for (a, b) in fast.iter().zip(naive(&x, &labels)) {
        assert!((a - b).abs() < 1e-10, "{a} vs {b}");
    }
}

#[test]
fn portable_kernel_matches_naive_definition() {
    // Squared norms above the AVX2 kernel's limit (1e29) take the portable constant-width kernel.
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(21);
    let x = Array2::from_shape_fn((203, 7), |_| rng.random::<f64>() * 1e15);
    let labels: Vec<usize> = (0..203).map(|_| rng.random_range(0..3)).collect();
    let fast = silhouette_samples(x.view(), &labels).unwrap();
    for (a, b) in fast.iter().zip(naive(&x, &labels)) {
        assert!((a - b).abs() < 1e-12, "{a} vs {b}");
    }
}

#[test]
fn avx2_and_portable_kernels_agree() {
    // Both kernels on the same tiles (clusters of 700 points: full, partial and 1-point steps).
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(31);
    for d in [2, 7] {
        let x = Array2::from_shape_fn((1401, d), |_| rng.random::<f64>() * 3.0 - 1.0);
        let labels: Vec<usize> = (0..1401).map(|i| i % 2).collect();
        let mut tiles = Tiles::new(x.view(), &labels, 2);
        let fast = cluster_sums(&tiles);
        tiles.avx2 = false;
        let portable = cluster_sums(&tiles);
        for (a, b) in fast.iter().zip(&portable) {
            assert!((a - b).abs() <= 1e-12 * b.abs(), "d = {d}: {a} vs {b}");
        }
    }
}

/// The schedule as it was materialized before (rotate the ring once per round).
fn materialized_round_robin(m: usize) -> Vec<Vec<(usize, usize)>> {
    let m2 = m + m % 2;
    let mut ring: Vec<usize> = (0..m2).collect();
    let mut rounds = Vec::new();
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

#[test]
fn arithmetic_rounds_equal_the_rotated_ring() {
    for m in [0, 1, 2, 3, 4, 7, 10, 33, 64] {
        let old = materialized_round_robin(m);
        assert_eq!(n_rounds(m), old.len(), "m = {m}");
        let mut seen = std::collections::HashSet::new();
        for (r, pairs) in old.iter().enumerate() {
            let new: Vec<(usize, usize)> = round_pairs(m, r).collect();
            assert_eq!(&new, pairs, "m = {m}, round {r}");
            for &(p, q) in pairs {
                assert!(seen.insert((p.min(q), p.max(q))));
            }
        }
        assert_eq!(seen.len(), m * m.saturating_sub(1) / 2);
    }
}

/// Gaussian mixture: `n` points in 5-D from 4 components of unequal sizes and spreads,
/// labelled by their component (overlapping clusters, silhouettes of both signs).
fn mixture(n: usize, seed: u64) -> (Array2<f64>, Vec<usize>) {
    use rand_distr::{Distribution, StandardNormal};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let centres = [
        [0.0; 5],
        [3.0, 0.0, 1.0, 0.0, 0.0],
        [0.0, 4.0, 0.0, 2.0, 0.0],
        [5.0, 5.0, 5.0, 0.0, 1.0],
    ];
    let (weights, spreads) = ([0.5, 0.25, 0.15, 0.1], [1.0, 0.7, 1.5, 2.0]);
    let mut x = Array2::zeros((n, 5));
    let mut labels = vec![0; n];
    for i in 0..n {
        let u: f64 = rng.random();
        let mut c = 0;
        let mut acc = weights[0];
        while u > acc && c < 3 {
            c += 1;
            acc += weights[c];
        }
        labels[i] = c;
        for j in 0..5 {
            let z: f64 = StandardNormal.sample(&mut rng);
            x[[i, j]] = centres[c][j] + spreads[c] * z;
        }
    }
    (x, labels)
}

#[test]
fn batched_scoring_matches_exact_samples() {
    let (x, labels) = mixture(3000, 2);
    let exact = silhouette_samples(x.view(), &labels).unwrap();
    let (codes, k) = crate::metrics::encode(&labels);
    let s = Tiles::new(x.view(), &codes, k);
    let positions: Vec<usize> = (0..3000).step_by(7).collect();
    let scores = score_positions(&s, &positions);
    for (&p, v) in positions.iter().zip(&scores) {
        let e = exact[s.perm[p]];
        assert!((v - e).abs() < 1e-12, "{v} vs {e}");
    }
}

#[test]
fn allocation_is_proportional_with_a_floor() {
    assert_eq!(allocate(&[500, 300, 200], 100), vec![50, 50, 50]);
    assert_eq!(allocate(&[5000, 3000, 2000], 1000), vec![500, 300, 200]);
    assert_eq!(allocate(&[6, 3, 1], 5), vec![6, 3, 1]);
    let m = allocate(&[3333, 3333, 3334], 1000);
    assert_eq!(m.iter().sum::<usize>(), 1000);
}

#[test]
fn stratified_is_exact_when_the_sample_covers_all_points() {
    let (x, labels) = mixture(700, 3);
    let exact = silhouette(x.view(), &labels).unwrap();
    for n_sample in [700, 5000] {
        let est = silhouette_stratified(x.view(), &labels, n_sample, 1).unwrap();
        assert!(est.exact && est.std_error == 0.0 && est.n_sample == 700);
        assert_eq!(est.mean.to_bits(), exact.to_bits());
        assert_eq!(est.per_cluster.iter().sum::<usize>(), 700);
    }
    assert!(silhouette_stratified(x.view(), &labels, 1, 1).is_err());
}

#[test]
fn stratified_estimate_brackets_the_exact_value() {
    let (x, labels) = mixture(50_000, 4);
    let exact = silhouette(x.view(), &labels).unwrap();
    let mut last_se = f64::INFINITY;
    for n_sample in [300, 1500, 6000] {
        let mut ses = Vec::new();
        for seed in 0..4 {
            let est = silhouette_stratified(x.view(), &labels, n_sample, seed).unwrap();
            assert!(!est.exact && est.std_error > 0.0);
            assert_eq!(est.n_sample, est.per_cluster.iter().sum::<usize>());
            assert!(
                (est.mean - exact).abs() < 3.0 * est.std_error,
                "n_sample {n_sample}, seed {seed}: {} +- {} vs {exact}",
                est.mean,
                est.std_error
            );
            ses.push(est.std_error);
        }
        let se = ses.iter().sum::<f64>() / ses.len() as f64;
        assert!(se < 0.7 * last_se, "standard error {se} after {last_se}");
        last_se = se;
    }
}

#[test]
fn stratified_bit_identical_on_1_and_2_threads() {
    let (x, labels) = mixture(20_000, 5);
    let run = |t: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(t).build().unwrap();
        pool.install(|| silhouette_stratified(x.view(), &labels, 2000, 9).unwrap())
    };
    let (a, b) = (run(1), run(2));
    assert_eq!(a.mean.to_bits(), b.mean.to_bits());
    assert_eq!(a.std_error.to_bits(), b.std_error.to_bits());
    assert_eq!(a.per_cluster, b.per_cluster);
}

#[test]
fn two_stage_with_whole_clusters_as_reference_is_the_stratified_estimate() {
    let (x, labels) = mixture(6000, 6);
    let one = silhouette_stratified(x.view(), &labels, 600, 11).unwrap();
    let two = silhouette_two_stage(x.view(), &labels, 600, 6000, 11).unwrap();
    assert!(!two.exact);
    assert_eq!(two.per_cluster, one.per_cluster);
    assert_eq!(two.n_sample, one.n_sample);
    let sizes: Vec<usize> = (0..4).map(|c| labels.iter().filter(|&&l| l == c).count()).collect();
    assert_eq!(two.reference_per_cluster, sizes);
    // Same scored points, scored against every point (only the summation order differs).
    assert!((two.mean - one.mean).abs() < 1e-12, "{} vs {}", two.mean, one.mean);
    assert!((two.std_error - one.std_error).abs() < 1e-12 * one.std_error.max(1e-300) + 1e-15);
    assert_eq!(two.stage2_std_error, 0.0);
}

#[test]
fn two_stage_is_exact_when_every_point_is_scored_and_rejects_small_references() {
    let (x, labels) = mixture(700, 3);
    let exact = silhouette(x.view(), &labels).unwrap();
    let est = silhouette_two_stage(x.view(), &labels, 700, 100, 1).unwrap();
    assert!(est.exact && est.std_error == 0.0);
    assert_eq!(est.mean.to_bits(), exact.to_bits());
    assert!(silhouette_two_stage(x.view(), &labels, 100, 2 * JACKKNIFE_GROUPS - 1, 1).is_err());
    assert!(silhouette_two_stage(x.view(), &labels, 1, 100, 1).is_err());
}

/// The standard error of both stages is the spread of the estimate over repeated draws: with a
/// small reference sample (the second stage then dominates) the mean squared standardized
/// error over 60 seeds is near 1 (a first-stage-only error would give several times more).
#[test]
fn two_stage_standard_error_matches_the_spread_over_draws() {
    let (x, labels) = mixture(20_000, 7);
    let exact = silhouette(x.view(), &labels).unwrap();
    let (mut z2, mut stage1_only, mut stage2_share) = (0.0, 0.0, 0.0);
    let seeds = 60;
    for seed in 0..seeds {
        let est = silhouette_two_stage(x.view(), &labels, 1000, 100, seed).unwrap();
        assert!(est.stage2_std_error > 0.0 && est.stage1_std_error > 0.0);
        let err = est.mean - exact;
        z2 += err * err / (est.std_error * est.std_error);
        stage1_only += err * err / (est.stage1_std_error * est.stage1_std_error);
        stage2_share += est.stage2_std_error / est.std_error;
    }
    let (z2, stage1_only) = (z2 / seeds as f64, stage1_only / seeds as f64);
    eprintln!(
        "two-stage: mean z^2 {z2:.2} (stage 1 alone {stage1_only:.2}), stage-2 share of the error {:.2}",
        stage2_share / seeds as f64
    );
    assert!((0.4..=1.8).contains(&z2), "mean squared standardized error {z2}");
    assert!(
        stage1_only > 2.0 * z2,
        "the second stage matters here: {stage1_only} vs {z2}"
    );
}

#[test]
fn two_stage_within_three_errors_at_the_default_reference() {
    let (x, labels) = mixture(50_000, 8);
    let exact = silhouette(x.view(), &labels).unwrap();
    for seed in 0..3 {
        let est = silhouette_two_stage(x.view(), &labels, 4000, REFERENCE_PER_CLUSTER, seed).unwrap();
        assert!(
            (est.mean - exact).abs() < 3.0 * est.std_error,
            "seed {seed}: {} +- {} vs {exact}",
            est.mean,
            est.std_error
        );
        assert!(est.stage2_std_error < est.stage1_std_error, "{est:?}");
    }
}

#[test]
fn two_stage_bit_identical_on_1_and_2_threads() {
    let (x, labels) = mixture(20_000, 5);
    let run = |t: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(t).build().unwrap();
        pool.install(|| silhouette_two_stage(x.view(), &labels, 2000, 500, 9).unwrap())
    };
    let (a, b) = (run(1), run(2));
    assert_eq!(a.mean.to_bits(), b.mean.to_bits());
    assert_eq!(a.std_error.to_bits(), b.std_error.to_bits());
    assert_eq!(a.per_cluster, b.per_cluster);
}

/// Timing at scale (run by hand: `cargo test --release --lib stratified_timing -- --ignored --nocapture`).
#[test]
#[ignore]
fn stratified_timing() {
    use rand_distr::{Distribution, StandardNormal};
    for n in [1_500_000, 5_000_000] {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let labels: Vec<usize> = (0..n).map(|i| (i * 7919) % 6).collect();
        let x = Array2::from_shape_fn((n, 7), |(i, j)| {
            let z: f64 = StandardNormal.sample(&mut rng);
            (labels[i] * (j + 1)) as f64 * 0.7 + z
        });
        for n_sample in [10_000, 20_000] {
            let t = std::time::Instant::now();
            let est = silhouette_stratified(x.view(), &labels, n_sample, 3).unwrap();
            eprintln!(
                "stratified silhouette n = {n} x 7, n_sample {n_sample}: {:.2} s, {:.5} +- {:.5} ({:?})",
                t.elapsed().as_secs_f64(),
                est.mean,
                est.std_error,
                est.per_cluster
            );
        }
    }
}
