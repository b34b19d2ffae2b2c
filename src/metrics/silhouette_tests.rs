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
