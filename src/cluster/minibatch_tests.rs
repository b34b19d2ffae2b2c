use super::*;
use crate::cluster::kmeans::KMeansParams;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

/// `n` points of 8 isotropic blobs in 5-D (unequal spreads), deterministic.
fn blobs(n: usize, seed: u64) -> Array2<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let centres: Vec<Vec<f64>> = (0..8)
        .map(|_| (0..5).map(|_| rng.random::<f64>() * 20.0).collect())
        .collect();
    let mut x = Array2::zeros((n, 5));
    for i in 0..n {
        let c = rng.random_range(0..8);
        for j in 0..5 {
            let z: f64 = StandardNormal.sample(&mut rng);
            x[[i, j]] = centres[c][j] + (0.5 + 0.25 * c as f64) * z;
        }
    }
    x
}

/// `n` points in 7-D with correlated variables and no clear groups (like climatology
/// features): `x = A z + m_c` with a fixed random mixing `A`, `z ~ N(0, I)` and three broad,
/// overlapping modes `m_c`.
fn correlated(n: usize, seed: u64) -> Array2<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let a: Vec<f64> = (0..49).map(|_| rng.random::<f64>() * 2.0 - 1.0).collect();
    let modes = [
        [0.0; 7],
        [2.0, 1.0, 0.0, -1.0, 0.5, 0.0, 1.0],
        [-1.0, 2.0, 1.0, 0.0, 0.0, -2.0, 0.5],
    ];
    let mut x = Array2::zeros((n, 7));
    for i in 0..n {
        let z: Vec<f64> = (0..7).map(|_| StandardNormal.sample(&mut rng)).collect();
        let m = &modes[rng.random_range(0..3)];
        for j in 0..7 {
            x[[i, j]] = m[j] + (0..7).map(|l| a[j * 7 + l] * z[l]).sum::<f64>();
        }
    }
    x
}

#[test]
fn params_are_validated() {
    assert!(MiniBatchKMeansParams::new(0).build().is_err());
    assert!(MiniBatchKMeansParams::new(3).batch_size(0).build().is_err());
    assert!(MiniBatchKMeansParams::new(3).n_init(0).build().is_err());
    assert!(MiniBatchKMeansParams::new(3).max_iter(0).build().is_err());
    assert!(MiniBatchKMeansParams::new(3).tol(-1.0).build().is_err());
    assert!(
        MiniBatchKMeansParams::new(3)
            .max_no_improvement(Some(0))
            .build()
            .is_err()
    );
    assert!(MiniBatchKMeansParams::new(3).init_size(Some(2)).build().is_err());
    assert!(MiniBatchKMeansParams::new(3).max_no_improvement(None).build().is_ok());
    let x = Array2::<f64>::zeros((5, 2));
    assert!(matches!(
        MiniBatchKMeansParams::new(9).fit(x.view()),
        Err(ClusterError::TooManyClusters { k: 9, points: 5 })
    ));
}

#[test]
fn labels_are_nearest_centres_and_inertia_is_full_data() {
    let x = blobs(20_000, 3);
    for refine in [0, 1] {
        let model = MiniBatchKMeansParams::new(8)
            .batch_size(1024)
            .refine_iter(refine)
            .fit(x.view())
            .unwrap();
        assert_eq!(model.algorithm, KMeansAlgorithm::MiniBatch);
        assert_eq!(model.labels.len(), 20_000);
        assert_eq!(model.predict(x.view()).unwrap(), model.labels);
        let direct: f64 = (0..x.nrows())
            .map(|i| dist2(&x.row(i).to_vec(), &model.centers.row(model.labels[i]).to_vec()))
            .sum();
        assert!((direct - model.inertia).abs() <= 1e-9 * direct);
        assert!(model.inertia <= model.inertia_per_init[model.best_init]);
        if refine == 0 {
            assert_eq!(model.inertia, model.inertia_per_init[model.best_init]);
        }
        assert_eq!(model.inertia_per_init.len(), 10);
    }
}

/// Inertia of mini-batch K-Means against exact K-Means (n_init = 10), both k = 8.
fn compare(x: &Array2<f64>, what: &str) {
    let t = std::time::Instant::now();
    let exact = KMeansParams::new(8).n_init(10).fit(x.view()).unwrap();
    let t_exact = t.elapsed().as_secs_f64();
    for refine in [0, 10] {
        let t = std::time::Instant::now();
        let mb = MiniBatchKMeansParams::new(8).refine_iter(refine).fit(x.view()).unwrap();
        let gap = mb.inertia / exact.inertia - 1.0;
        eprintln!(
            "{what}: exact {:.6e} ({t_exact:.2} s), mini-batch refine {refine}: {:.6e} ({:.2} s, {} steps), gap {:+.4} %",
            exact.inertia,
            mb.inertia,
            t.elapsed().as_secs_f64(),
            mb.n_iter,
            100.0 * gap
        );
        if refine == 10 {
            assert!(
                gap < 0.01,
                "{what}: mini-batch inertia {} vs exact {}",
                mb.inertia,
                exact.inertia
            );
        }
    }
}

#[test]
fn inertia_within_one_percent_of_exact_on_blobs() {
    compare(&blobs(200_000, 5), "blobs 200k x 5");
}

#[test]
fn inertia_within_one_percent_of_exact_on_correlated_data() {
    compare(&correlated(200_000, 6), "correlated 200k x 7");
}

#[test]
fn same_bits_on_one_and_two_threads() {
    let x = correlated(30_000, 7);
    let run = |threads| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| {
            MiniBatchKMeansParams::new(6)
                .batch_size(512)
                .seed(4)
                .fit(x.view())
                .unwrap()
        })
    };
    let (a, b) = (run(1), run(2));
    assert_eq!(a.labels, b.labels);
    assert_eq!(a.inertia.to_bits(), b.inertia.to_bits());
    assert_eq!(a.centers, b.centers);
    assert_eq!(a.inertia_per_init, b.inertia_per_init);
}

/// Timing at scale (by hand: `cargo test --release --lib minibatch_timing -- --ignored --nocapture`).
#[test]
#[ignore]
fn minibatch_timing() {
    let x = correlated(1_500_000, 8);
    let t = std::time::Instant::now();
    let mb = MiniBatchKMeansParams::new(8).fit(x.view()).unwrap();
    let t_mb = t.elapsed().as_secs_f64();
    let t = std::time::Instant::now();
    let exact = KMeansParams::new(8).n_init(10).fit(x.view()).unwrap();
    let t_exact = t.elapsed().as_secs_f64();
    eprintln!(
        "1.5M x 7, k = 8: exact (n_init 10) {t_exact:.2} s inertia {:.6e}; mini-batch {t_mb:.2} s inertia {:.6e} ({:+.4} %)",
        exact.inertia,
        mb.inertia,
        100.0 * (mb.inertia / exact.inertia - 1.0)
    );
}

#[test]
#[ignore]
fn minibatch_phases() {
    let x = correlated(1_500_000, 8);
    let t = std::time::Instant::now();
    let _ = Data::new(x.view()).unwrap();
    eprintln!("data {:.2}", t.elapsed().as_secs_f64());
    for (ni, refine) in [(1, 0), (1, 10), (10, 0), (10, 10)] {
        let t = std::time::Instant::now();
        let mb = MiniBatchKMeansParams::new(8)
            .n_init(ni)
            .refine_iter(refine)
            .fit(x.view())
            .unwrap();
        eprintln!(
            "n_init {ni} refine {refine}: {:.2} s, steps {}, inertia {:.6e}",
            t.elapsed().as_secs_f64(),
            mb.n_iter,
            mb.inertia
        );
    }
}

#[test]
fn projected_search_equals_full_scan() {
    let x = correlated(20_000, 9);
    let data = Data::new(x.view()).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    for k in [64, 300] {
        let mut centers: Vec<f64> = (0..k)
            .flat_map(|_| data.row(rng.random_range(0..data.n)).to_vec())
            .collect();
        // Duplicate centres and a point equal to a centre: ties go to the first index.
        let copy = centers[..7].to_vec();
        centers[7 * 5..7 * 6].copy_from_slice(&copy);
        let axis = principal_axis(&centers, 7);
        let index = Projected::new(&centers, 7, &axis);
        for i in 0..data.n {
            assert_eq!(
                index.nearest(data.row(i)),
                nearest(data.row(i), &centers, 7),
                "k = {k}, point {i}"
            );
        }
        assert_eq!(index.nearest(&copy), (0, 0.0));
        let fast = assign_projected(&data, centers.clone(), &axis);
        let slow = lloyd(&data, centers, 0, 0.0);
        assert_eq!(fast.labels, slow.labels);
        assert_eq!(fast.inertia.to_bits(), slow.inertia.to_bits());
    }
}
