use super::*;
use ndarray::Array2;

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
