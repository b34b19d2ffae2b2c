use super::*;
use ndarray::{Array2, array};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn random(n: usize, d: usize, seed: u64) -> Array2<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    Array2::from_shape_fn((n, d), |_| rng.random::<f64>())
}

/// Naive O(n^3) greedy Ward on centroids, heights sorted.
fn naive_heights(x: &Array2<f64>) -> Vec<f64> {
    let (n, d) = x.dim();
    let mut cl: Vec<(Vec<f64>, f64)> = (0..n).map(|i| (x.row(i).to_vec(), 1.0)).collect();
    let mut hs = vec![];
    while cl.len() > 1 {
        let mut best = (f64::INFINITY, 0, 0);
        for i in 0..cl.len() {
            for j in i + 1..cl.len() {
                let dd: f64 = (0..d).map(|k| (cl[i].0[k] - cl[j].0[k]).powi(2)).sum();
                let h = (2.0 * cl[i].1 * cl[j].1 / (cl[i].1 + cl[j].1) * dd).sqrt();
                if h < best.0 {
                    best = (h, i, j);
                }
            }
        }
        let (h, i, j) = best;
        let (ci, cj) = (cl[i].clone(), cl[j].clone());
        let s = ci.1 + cj.1;
        let c = (0..d).map(|k| (ci.1 * ci.0[k] + cj.1 * cj.0[k]) / s).collect();
        cl.remove(j);
        cl[i] = (c, s);
        hs.push(h);
    }
    hs.sort_by(f64::total_cmp);
    hs
}

#[test]
fn matches_naive_greedy_ward() {
    for (n, seed) in [(2, 1), (7, 2), (150, 3), (700, 4)] {
        let x = random(n, 3, seed);
        let tree = WardParams::new().fit(x.view()).unwrap();
        let naive = naive_heights(&x);
        assert_eq!(tree.linkage.len(), n - 1);
        for (r, h) in tree.linkage.iter().zip(&naive) {
            assert!((r.height - h).abs() <= 1e-10 * h.max(1e-300), "{} vs {h}", r.height);
        }
        assert_eq!(tree.linkage[n - 2].size, n);
    }
}

#[test]
fn bit_identical_on_1_and_2_threads() {
    let x = random(20_000, 4, 9);
    let fit = |t: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(t).build().unwrap();
        pool.install(|| WardParams::new().fit(x.view()).unwrap())
    };
    let (a, b) = (fit(1), fit(2));
    let serial = WardParams::new().serial(true).fit(x.view()).unwrap();
    assert_eq!(a.linkage, b.linkage);
    assert_eq!(a.linkage, serial.linkage);
    assert!(a.blocks_pruned > 0);
}

#[test]
fn cuts_and_errors() {
    let x = array![[0.0, 0.0], [0.0, 1.0], [10.0, 0.0], [10.0, 1.5], [30.0, 0.0]];
    let tree = WardParams::new().fit(x.view()).unwrap();
    assert_eq!(tree.cut(1).unwrap(), vec![0; 5]);
    assert_eq!(tree.cut(3).unwrap(), vec![0, 0, 1, 1, 2]);
    assert_eq!(tree.cut(5).unwrap(), vec![0, 1, 2, 3, 4]);
    assert!(matches!(tree.cut(0), Err(ClusterError::ZeroClusters)));
    assert!(matches!(
        tree.cut(6),
        Err(ClusterError::TooManyClusters { k: 6, points: 5 })
    ));
    assert_eq!(tree.cut_height(0.5).unwrap(), vec![0, 1, 2, 3, 4]);
    assert_eq!(tree.cut_height(1.2).unwrap(), vec![0, 0, 1, 2, 3]);
    assert_eq!(tree.cut_height(1.6).unwrap(), vec![0, 0, 1, 1, 2]);
    assert!(tree.cut_height(f64::NAN).is_err());
    let den = tree.dendrogram_last_p(3).unwrap();
    assert_eq!(den.leaves.len(), 3);
    assert_eq!(den.links.len(), 2);
    assert_eq!(den.leaves.iter().map(|l| l.count).sum::<usize>(), 5);
    assert!(tree.dendrogram_last_p(0).is_err() && tree.dendrogram_last_p(6).is_err());
    assert_eq!(tree.dendrogram_last_p(5).unwrap().links.len(), 4);
}

#[test]
fn rejects_bad_input() {
    let one = Array2::<f64>::zeros((1, 3));
    assert!(WardParams::new().fit(one.view()).is_err());
    let empty = Array2::<f64>::zeros((4, 0));
    assert!(matches!(
        WardParams::new().fit(empty.view()),
        Err(ClusterError::EmptyData)
    ));
    let mut bad = Array2::<f64>::zeros((4, 2));
    bad[[2, 1]] = f64::NAN;
    let err = WardParams::new().fit(bad.view()).unwrap_err();
    assert!(matches!(err, ClusterError::NonFinite { row: 2, column: 1 }));
}

/// Naive O(n^3) greedy Ward from clusters of the given initial sizes, heights sorted.
fn naive_weighted_heights(x: &Array2<f64>, w: &[usize]) -> Vec<f64> {
    let (n, d) = x.dim();
    let mut cl: Vec<(Vec<f64>, f64)> = (0..n).map(|i| (x.row(i).to_vec(), w[i] as f64)).collect();
    let mut hs = vec![];
    while cl.len() > 1 {
        let mut best = (f64::INFINITY, 0, 0);
        for i in 0..cl.len() {
            for j in i + 1..cl.len() {
                let dd: f64 = (0..d).map(|k| (cl[i].0[k] - cl[j].0[k]).powi(2)).sum();
                let h = (2.0 * cl[i].1 * cl[j].1 / (cl[i].1 + cl[j].1) * dd).sqrt();
                if h < best.0 {
                    best = (h, i, j);
                }
            }
        }
        let (h, i, j) = best;
        let (ci, cj) = (cl[i].clone(), cl[j].clone());
        let s = ci.1 + cj.1;
        let c = (0..d).map(|k| (ci.1 * ci.0[k] + cj.1 * cj.0[k]) / s).collect();
        cl.remove(j);
        cl[i] = (c, s);
        hs.push(h);
    }
    hs.sort_by(f64::total_cmp);
    hs
}

#[test]
fn weights_of_one_give_the_unweighted_tree_exactly() {
    for (n, seed) in [(2, 1), (150, 3), (5000, 4)] {
        let x = random(n, 3, seed);
        let plain = WardParams::new().fit(x.view()).unwrap();
        let weighted = WardParams::new().fit_weighted(x.view(), &vec![1; n]).unwrap();
        assert_eq!(plain.linkage, weighted.linkage);
    }
}

#[test]
fn weighted_matches_naive_greedy_and_parallel_search() {
    let x = random(300, 4, 12);
    let mut rng = ChaCha8Rng::seed_from_u64(13);
    let w: Vec<usize> = (0..300).map(|_| rng.random_range(1..50)).collect();
    let tree = WardParams::new().fit_weighted(x.view(), &w).unwrap();
    for (r, h) in tree.linkage.iter().zip(naive_weighted_heights(&x, &w)) {
        assert!((r.height - h).abs() <= 1e-10 * h, "{} vs {h}", r.height);
    }
    assert_eq!(tree.linkage[298].size, w.iter().sum::<usize>());
    // Many blocks: the parallel search path, same bits on 1 and 2 threads.
    let big = random(30_000, 3, 14);
    let wb: Vec<usize> = (0..30_000).map(|_| rng.random_range(1..1000)).collect();
    let fit = |t: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(t).build().unwrap();
        pool.install(|| WardParams::new().fit_weighted(big.view(), &wb).unwrap())
    };
    assert_eq!(fit(1).linkage, fit(2).linkage);
}

#[test]
fn a_weight_equals_identical_points() {
    // Point i of weight w_i against w_i copies of it: after the sum(w_i - 1) merges of height 0
    // among the copies (up to centroid rounding: (2x + x) / 3 may differ from x by an ulp), the
    // heights are the weighted tree's.
    let x = random(60, 3, 15);
    let mut rng = ChaCha8Rng::seed_from_u64(16);
    let w: Vec<usize> = (0..60).map(|_| rng.random_range(1..5)).collect();
    let rows: Vec<usize> = (0..60).flat_map(|i| std::iter::repeat_n(i, w[i])).collect();
    let expanded = Array2::from_shape_fn((rows.len(), 3), |(r, c)| x[[rows[r], c]]);
    let plain = WardParams::new().fit(expanded.view()).unwrap();
    let weighted = WardParams::new().fit_weighted(x.view(), &w).unwrap();
    let zeros = rows.len() - 60;
    assert!(plain.linkage[..zeros].iter().all(|r| r.height < 1e-13));
    assert!(plain.linkage[zeros].height > 1e-3);
    for (a, b) in plain.linkage[zeros..].iter().zip(&weighted.linkage) {
        assert!(
            (a.height - b.height).abs() <= 1e-10 * b.height,
            "{} vs {}",
            a.height,
            b.height
        );
        assert_eq!(a.size, b.size);
    }
    // Cuts agree too: the expanded points take their original point's cluster.
    let (cw, cp) = (weighted.cut(5).unwrap(), plain.cut(5).unwrap());
    let mut map = std::collections::HashMap::new();
    for (r, &i) in rows.iter().enumerate() {
        assert_eq!(*map.entry(cp[r]).or_insert(cw[i]), cw[i]);
    }
}

#[test]
fn weighted_rejects_bad_weights() {
    let x = random(4, 2, 1);
    assert!(WardParams::new().fit_weighted(x.view(), &[1, 2, 3]).is_err());
    assert!(WardParams::new().fit_weighted(x.view(), &[1, 0, 3, 1]).is_err());
}

#[test]
fn real_weights_of_one_are_the_unweighted_tree_and_integer_weights_the_counted_one() {
    let x = ndarray::Array2::from_shape_fn((40, 2), |(i, j)| ((i * 37 + j * 11) % 17) as f64 * 0.5 + j as f64);
    let ward = WardParams::new().build().unwrap();
    let plain = ward.fit(x.view()).unwrap();
    let ones = ward.fit_real_weighted(x.view(), &[1.0; 40]).unwrap();
    assert_eq!(plain.linkage, ones.linkage);
    let counts: Vec<usize> = (0..40).map(|i| 1 + i % 3).collect();
    let real: Vec<f64> = counts.iter().map(|&c| c as f64).collect();
    let counted = ward.fit_weighted(x.view(), &counts).unwrap();
    let weighted = ward.fit_real_weighted(x.view(), &real).unwrap();
    let heights = |t: &WardTree| t.linkage.iter().map(|r| r.height).collect::<Vec<_>>();
    assert_eq!(heights(&counted), heights(&weighted));
    assert_ne!(heights(&plain), heights(&weighted));
    assert!(ward.fit_real_weighted(x.view(), &[0.0; 40]).is_err());
}
