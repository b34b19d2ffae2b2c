use super::*;
use crate::metrics::adjusted_rand_index;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

/// `n` points in 7-D from a mixture of 6 gaussians with unequal weights and spreads (and one
/// elongated component), deterministic.
fn mixture(n: usize, seed: u64) -> Array2<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let centres: Vec<Vec<f64>> = (0..6)
        .map(|_| (0..7).map(|_| rng.random::<f64>() * 12.0).collect())
        .collect();
    let weights = [0.3, 0.2, 0.15, 0.15, 0.12, 0.08];
    let spreads = [1.0, 0.6, 1.4, 0.8, 1.8, 0.5];
    let mut x = Array2::zeros((n, 7));
    for i in 0..n {
        let u: f64 = rng.random();
        let (mut c, mut acc) = (0, weights[0]);
        while u > acc && c < 5 {
            c += 1;
            acc += weights[c];
        }
        for j in 0..7 {
            let z: f64 = StandardNormal.sample(&mut rng);
            let stretch = if c == 2 && j == 0 { 3.0 } else { 1.0 };
            x[[i, j]] = centres[c][j] + spreads[c] * stretch * z;
        }
    }
    x
}

#[test]
fn params_are_validated() {
    assert!(MicroWardParams::new().micro(1).build().is_err());
    assert!(MicroWardParams::new().batch_size(0).build().is_err());
    assert!(MicroWardParams::new().build().is_ok());
    let one = Array2::<f64>::zeros((1, 3));
    assert!(MicroWardParams::new().fit(one.view()).is_err());
}

#[test]
fn few_points_give_the_exact_tree() {
    let x = mixture(500, 1);
    let micro = MicroWardParams::new().micro(500).fit(x.view()).unwrap();
    let exact = WardParams::new().fit(x.view()).unwrap();
    assert!(micro.exact);
    assert_eq!(micro.tree.linkage, exact.linkage);
    assert_eq!(micro.cut(6).unwrap(), exact.cut(6).unwrap());
}

#[test]
fn cuts_label_every_point_and_dendrogram_counts_points() {
    let x = mixture(5000, 2);
    let mw = MicroWardParams::new().micro(300).fit(x.view()).unwrap();
    assert!(!mw.exact && mw.n_micro() <= 300 && mw.n_micro() > 250);
    assert_eq!(mw.sizes.iter().sum::<usize>(), 5000);
    assert!(mw.sizes.iter().all(|&s| s > 0));
    let labels = mw.cut(6).unwrap();
    assert_eq!(labels.len(), 5000);
    assert_eq!(labels.iter().max(), Some(&5));
    assert_eq!(mw.tree.linkage.last().unwrap().size, 5000);
    for p in [1, 6, 30, mw.n_micro()] {
        let den = mw.dendrogram_last_p(p).unwrap();
        assert_eq!(den.leaves.len(), p);
        assert_eq!(den.leaves.iter().map(|l| l.count).sum::<usize>(), 5000);
    }
    let h = mw.tree.linkage[mw.n_micro() - 6].height;
    assert_eq!(mw.cut_height(h * 0.999999).unwrap(), labels);
    assert!(mw.cut(0).is_err());
}

#[test]
fn same_result_on_one_and_two_threads() {
    let x = mixture(8000, 3);
    let fit = |t: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(t).build().unwrap();
        pool.install(|| MicroWardParams::new().micro(500).fit(x.view()).unwrap())
    };
    let (a, b) = (fit(1), fit(2));
    assert_eq!(a.labels, b.labels);
    assert_eq!(a.tree.linkage, b.tree.linkage);
}

#[test]
fn agrees_with_exact_ward() {
    let x = mixture(30_000, 4);
    let t = std::time::Instant::now();
    let exact = WardParams::new().fit(x.view()).unwrap().cut(6).unwrap();
    let t_exact = t.elapsed().as_secs_f64();
    let t = std::time::Instant::now();
    let mw = MicroWardParams::new().fit(x.view()).unwrap();
    let t_micro = t.elapsed().as_secs_f64();
    let ari = adjusted_rand_index(&mw.cut(6).unwrap(), &exact).unwrap();
    eprintln!(
        "30,000 x 7, k = 6: ARI(micro-ward m = {}, exact ward) = {ari:.4}; exact {t_exact:.2} s, micro {t_micro:.2} s",
        mw.n_micro()
    );
    assert!(ari >= 0.9, "ARI {ari}");
}

/// Timing at scale (by hand: `cargo test --release --lib microward_timing -- --ignored --nocapture`).
#[test]
#[ignore]
fn microward_timing() {
    let x = mixture(1_500_000, 5);
    let t = std::time::Instant::now();
    let mw = MicroWardParams::new().fit(x.view()).unwrap();
    eprintln!(
        "micro-ward 1.5M x 7, m = {}: {:.2} s, micro inertia {:.6e}",
        mw.n_micro(),
        t.elapsed().as_secs_f64(),
        mw.micro_inertia
    );
}
