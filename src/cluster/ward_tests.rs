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
