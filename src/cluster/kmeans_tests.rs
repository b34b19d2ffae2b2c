use super::*;
use ndarray::Array2;
use rand::Rng;

/// Three well separated groups of 40 points in 3-D, deterministic.
fn blobs() -> Array2<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let centres = [[0.0, 0.0, 0.0], [8.0, 8.0, 0.0], [0.0, 8.0, 8.0]];
    Array2::from_shape_fn((120, 3), |(i, j)| centres[i / 40][j] + rng.random::<f64>() - 0.5)
}

#[test]
fn params_are_validated() {
    assert_eq!(
        KMeansParams::new(0).build().unwrap_err().to_string(),
        "k = 0: must be at least 1"
    );
    assert!(KMeansParams::new(2).n_init(0).build().is_err());
    assert!(KMeansParams::new(2).tol(f64::NAN).build().is_err());
    let x = Array2::<f64>::zeros((5, 2));
    let err = KMeansParams::new(9).fit(x.view()).unwrap_err();
    assert_eq!(err.to_string(), "k = 9 exceeds the 5 points");
    let mut bad = blobs();
    bad[[4, 1]] = f64::INFINITY;
    assert!(KMeansParams::new(2).fit(bad.view()).is_err());
}

#[test]
fn finds_separated_groups_and_predicts() {
    let x = blobs();
    let model = KMeansParams::new(3).fit(x.view()).unwrap();
    for g in 0..3 {
        let first = model.labels[g * 40];
        assert!(model.labels[g * 40..(g + 1) * 40].iter().all(|&l| l == first));
    }
    assert_eq!(model.predict(x.view()).unwrap(), model.labels);
    assert_eq!(model.inertia_per_init.len(), 10);
    assert_eq!(model.inertia, model.inertia_per_init[model.best_init]);
    let direct: f64 = (0..120)
        .map(|i| dist2(&x.row(i).to_vec(), &model.centers.row(model.labels[i]).to_vec()))
        .sum();
    assert!((direct - model.inertia).abs() <= 1e-9 * direct);
}

#[test]
fn same_bits_on_one_and_two_threads() {
    let x = blobs();
    let run = |threads| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| KMeansParams::new(4).seed(3).fit(x.view()).unwrap())
    };
    let (a, b) = (run(1), run(2));
    assert_eq!(a.labels, b.labels);
    assert_eq!(a.inertia.to_bits(), b.inertia.to_bits());
    assert_eq!(a.centers, b.centers);
}

#[test]
fn hamerly_matches_plain_lloyd() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let x = Array2::from_shape_fn((3000, 3), |_| rng.random::<f64>());
    let data = Data::new(x.view()).unwrap();
    let init = kmeans_plus_plus(&data, 7, &mut stream_rng(1, 0), &[]);
    let fast = lloyd(&data, init.clone(), 50, 0.0);
    // Plain Lloyd: full scan of every point every iteration.
    let mut centers = init;
    for _ in 0..fast.n_iter {
        let mut states = vec![
            PointState {
                label: 0,
                upper: 0.0,
                lower: 0.0
            };
            data.n
        ];
        let total = assign_all(&data, &mut states, &centers, None, true);
        centers = update_centers(&data, &states, &centers, total);
    }
    let final_labels: Vec<usize> = (0..data.n).map(|i| nearest(data.row(i), &centers, 3).0).collect();
    assert_eq!(fast.centers, centers);
    assert_eq!(fast.labels, final_labels);
}

#[test]
fn empty_cluster_takes_the_farthest_point() {
    let x = ndarray::array![[0.0], [0.1], [0.2], [10.0]];
    let data = Data::new(x.view()).unwrap();
    let m = data.mean[0];
    // Centre 1 is far from everything and gets no point at the first step.
    let run = lloyd(&data, vec![0.0 - m, 100.0 - m], 10, 0.0);
    assert_eq!(run.labels, vec![0, 0, 0, 1]);
    assert!((run.centers[1] + m - 10.0).abs() < 1e-12);
}

#[test]
fn kneedle_known_curve() {
    let x = [0.0, 1.0, 2.0, 3.0, 4.0];
    let y = [1.0, 0.2, 0.1, 0.05, 0.0];
    assert_eq!(kneedle_decreasing_convex(&x, &y, 1.0), Some(1));
    assert_eq!(kneedle_decreasing_convex(&x, &[1.0, 0.75, 0.5, 0.25, 0.0], 1.0), None);
}

#[test]
fn elbow_is_non_increasing_with_knee_at_three() {
    let x = blobs();
    let curve = elbow(x.view(), 8, &KMeansParams::new(1).n_init(4)).unwrap();
    assert_eq!(curve.ks, (1..=8).collect::<Vec<_>>());
    assert!(curve.wcss.windows(2).all(|w| w[1] <= w[0]));
    assert_eq!(curve.knee, Some(3));
}

/// Four overlapping groups of points in 3-D (continuous, so restarts end in different minima).
fn overlapping(n: usize) -> Array2<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(21);
    let centres = [[0.0, 0.0, 0.0], [2.0, 1.0, 0.0], [0.0, 2.5, 1.0], [1.5, 1.5, 2.0]];
    Array2::from_shape_fn((n, 3), |(i, j)| {
        centres[(i * 7) % 4][j] + 1.2 * (rng.random::<f64>() - 0.5) * 2.0
    })
}

fn sampling(rows: usize, refine: usize) -> Option<RestartSampling> {
    Some(RestartSampling { above: 0, rows, refine })
}

#[test]
fn restart_sampling_applies_only_above_its_threshold() {
    let params = KMeansParams::new(10);
    // The demo (15,201 cells) and anything up to one million rows keep the exact path.
    assert_eq!(params.sampling_for(15_201), None);
    assert_eq!(params.sampling_for(1_000_000), None);
    assert_eq!(params.sampling_for(1_000_001), Some(RestartSampling::default()));
    assert_eq!(params.clone().restart_sampling(None).sampling_for(10_000_000), None);
    // A sample as large as the data is no sample.
    let small = params.restart_sampling(sampling(5_000, 2));
    assert_eq!(small.sampling_for(5_000), None);
    assert!(small.working_bytes(100_000, 4) < KMeansParams::new(10).restart_sampling(None).working_bytes(100_000, 4));
}

#[test]
fn restart_sampling_options_are_validated() {
    let err = KMeansParams::new(10)
        .restart_sampling(sampling(5, 2))
        .build()
        .unwrap_err();
    assert_eq!(err.to_string(), "k-means option sample rows = 5: must be at least k");
    assert!(KMeansParams::new(3).restart_sampling(sampling(100, 0)).build().is_err());
    let x = blobs();
    assert!(
        KMeansParams::new(3)
            .restart_sampling(sampling(2, 1))
            .fit(x.view())
            .is_err()
    );
}

#[test]
fn distance_kernel_gives_the_bits_of_dist2() {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    for (k, d) in [(1, 1), (3, 2), (10, 4), (7, 7), (8, 7), (9, 7), (20, 3), (20, 7)] {
        let centers: Vec<f64> = (0..k * d).map(|_| rng.random::<f64>() * 4.0 - 2.0).collect();
        let by_dim = CentresByDim::new(&centers, d);
        let mut out = vec![f64::NAN; by_dim.padded()];
        for _ in 0..50 {
            let x: Vec<f64> = (0..d).map(|_| rng.random::<f64>() * 6.0 - 3.0).collect();
            by_dim.distances(&x, &mut out);
            for (j, c) in centers.chunks_exact(d).enumerate() {
                assert_eq!(out[j].to_bits(), dist2(&x, c).to_bits());
            }
        }
    }
}

#[test]
fn candidate_potentials_in_one_pass_match_separate_passes() {
    let x = overlapping(5000);
    let data = Data::new(x.view()).unwrap();
    let closest: Vec<f64> = (0..data.n).map(|i| dist2(data.row(i), data.row(0))).collect();
    let candidates = [17, 4000, 2, 999];
    let together = candidate_potentials(&data, &closest, &candidates);
    for (t, &c) in candidates.iter().enumerate() {
        let alone = chunked_sum(data.n, |i| closest[i].min(dist2(data.row(i), data.row(c))));
        assert_eq!(together[t].to_bits(), alone.to_bits());
    }
}

#[test]
fn sampled_restarts_are_exact_on_all_rows_and_close_to_the_exact_fit() {
    let x = overlapping(20_000);
    let exact = KMeansParams::new(6).restart_sampling(None).fit(x.view()).unwrap();
    let fast = KMeansParams::new(6)
        .restart_sampling(sampling(3_000, 2))
        .fit(x.view())
        .unwrap();
    assert_eq!(fast.algorithm, KMeansAlgorithm::SampledRestarts { sample_rows: 3_000 });
    assert_eq!(exact.algorithm, KMeansAlgorithm::Lloyd);
    assert_eq!(fast.inertia_per_init.len(), 10);
    // Labels and inertia are the full-data ones of the returned centres.
    assert_eq!(fast.predict(x.view()).unwrap(), fast.labels);
    let direct: f64 = (0..x.nrows())
        .map(|i| dist2(&x.row(i).to_vec(), &fast.centers.row(fast.labels[i]).to_vec()))
        .sum();
    assert!((direct - fast.inertia).abs() <= 1e-9 * direct);
    // The kept centres were refined on all rows: one more Lloyd step over all rows moves them
    // by about the tolerance (scikit-learn's stopping rule, tol = 1e-4 relative, checked on
    // the step before), where centres of a 3,000-row sample would be off by ~100 times more.
    let data = Data::new(x.view()).unwrap();
    let mut sums = vec![[0.0; 3]; 6];
    let mut counts = [0usize; 6];
    for (i, &l) in fast.labels.iter().enumerate() {
        counts[l] += 1;
        (0..3).for_each(|j| sums[l][j] += x[[i, j]]);
    }
    let shift: f64 = (0..6)
        .map(|l| {
            (0..3)
                .map(|j| (sums[l][j] / counts[l] as f64 - fast.centers[[l, j]]).powi(2))
                .sum::<f64>()
        })
        .sum();
    assert!(shift <= 1e-3 * data.mean_variance, "shift {shift}");
    // On these overlapping groups restarts end in minima a fraction of a percent apart; the
    // best of the sampled restarts lands among them.
    let gap = (fast.inertia - exact.inertia) / exact.inertia;
    assert!(gap.abs() < 1e-2, "sampled {} vs exact {}", fast.inertia, exact.inertia);
}

#[test]
fn sampled_restarts_same_bits_on_one_and_two_threads() {
    let x = overlapping(9_000);
    let run = |threads| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| {
            KMeansParams::new(5)
                .seed(9)
                .restart_sampling(sampling(2_500, 3))
                .fit(x.view())
                .unwrap()
        })
    };
    let (a, b) = (run(1), run(2));
    assert_eq!(a.labels, b.labels);
    assert_eq!(a.inertia.to_bits(), b.inertia.to_bits());
    assert_eq!(a.centers, b.centers);
    assert_eq!(a.best_init, b.best_init);
}

#[test]
fn sampled_elbow_is_non_increasing() {
    let x = overlapping(6_000);
    let params = KMeansParams::new(1).n_init(3).restart_sampling(sampling(1_500, 1));
    let curve = elbow(x.view(), 8, &params).unwrap();
    assert!(curve.wcss.windows(2).all(|w| w[1] <= w[0]), "{:?}", curve.wcss);
    let exact = elbow(x.view(), 8, &params.restart_sampling(None)).unwrap();
    for (s, e) in curve.wcss.iter().zip(&exact.wcss) {
        assert!((s - e).abs() / e < 1e-2, "sampled {s} vs exact {e}");
    }
}

#[test]
fn seedings_grown_across_k_equal_fresh_seedings() {
    // k = 1..12 crosses both changes of the number of local trials (at k = 3 and k = 8).
    let x = overlapping(3000);
    let data = Data::new(x.view()).unwrap();
    let mut cache = SeedingCache::default();
    for k in 1..=12 {
        let params = KMeansParams::new(k).n_init(3).seed(9);
        let tol = params.tol * data.mean_variance;
        let cached = restart_runs(&data, &params, &[], tol, Some(&mut cache));
        let fresh = restart_runs(&data, &params, &[], tol, None);
        for (r, (a, b)) in cached.iter().zip(&fresh).enumerate() {
            let seeded = kmeans_plus_plus(&data, k, &mut stream_rng(9, r as u64), &[]);
            let kept = cache.0[r].as_ref().map(|s| s.centers.clone()).unwrap();
            assert_eq!(kept, seeded, "k = {k}, restart {r}: seeding");
            assert_eq!(a.centers, b.centers, "k = {k}, restart {r}: centres");
            assert_eq!(a.inertia.to_bits(), b.inertia.to_bits(), "k = {k}, restart {r}");
            assert_eq!(a.labels, b.labels);
        }
    }
}
