use super::*;
use ndarray::array;

fn blobs() -> Array2<f64> {
    array![
        [0.0, 0.0],
        [0.1, 0.2],
        [0.2, 0.1],
        [5.0, 5.0],
        [5.1, 5.2],
        [5.2, 4.9],
        [0.0, 9.0],
        [0.1, 9.1]
    ]
}

#[test]
fn kmeans_method_is_the_kmeans_algorithm() {
    let x = blobs();
    let method = KMeansMethod {
        n_init: 4,
        minibatch: false,
        sample_above: usize::MAX,
        minibatch_above: 1000,
        exact_memory: u64::MAX,
    };
    let fit = method.fit(x.view(), 3, 7).unwrap();
    let direct = KMeansParams::new(3).n_init(4).seed(7).fit(x.view()).unwrap();
    assert_eq!(fit.labels, direct.labels);
    assert_eq!(fit.centres.as_ref(), Some(&direct.centers));
    assert_eq!(fit.diagnostic("inertia"), Some(direct.inertia));
    assert_eq!(fit.diagnostic("n_iter"), Some(direct.n_iter as f64));
    assert!(fit.membership.is_none() && fit.scale_note.is_none() && fit.tree.is_none());
    let model = fit.model.expect("K-Means predicts");
    assert_eq!(model.predict(x.view()).unwrap(), direct.labels);
}

#[test]
fn kmeans_switches_to_minibatch_only_where_the_exact_working_set_does_not_fit() {
    let x = blobs();
    let (n, d) = x.dim();
    let need = KMeansParams::new(3).n_init(2).working_bytes(n, d);
    // 8 rows x 2 columns: a 16-byte copy per row plus 48 bytes per row and restart.
    assert_eq!(need, (n * (8 * d + 48 * 2)) as u64);
    let method = |exact_memory| KMeansMethod {
        n_init: 2,
        minibatch: false,
        sample_above: usize::MAX,
        minibatch_above: usize::MAX,
        exact_memory,
    };
    let fits = method(need).fit(x.view(), 3, 1).unwrap();
    assert!(fits.scale_note.is_none());
    let direct = KMeansParams::new(3).n_init(2).seed(1).fit(x.view()).unwrap();
    assert_eq!(fits.labels, direct.labels);
    let short = method(need - 1).fit(x.view(), 3, 1).unwrap();
    let note = short.scale_note.expect("the switch is noted");
    assert!(note.contains("exact K-Means with 2 restarts would hold"), "{note}");
    let mini = MiniBatchKMeansParams::new(3).n_init(2).seed(1).fit(x.view()).unwrap();
    assert_eq!(short.labels, mini.labels);
}

#[test]
fn kmeans_switches_to_minibatch_above_the_threshold_and_says_so() {
    let x = blobs();
    let method = KMeansMethod {
        n_init: 2,
        minibatch: false,
        sample_above: usize::MAX,
        minibatch_above: 4,
        exact_memory: u64::MAX,
    };
    let fit = method.fit(x.view(), 3, 1).unwrap();
    let note = fit.scale_note.expect("the switch is noted");
    assert!(note.contains("8 cells is over --minibatch-above 4"), "{note}");
    let direct = MiniBatchKMeansParams::new(3).n_init(2).seed(1).fit(x.view()).unwrap();
    assert_eq!(fit.labels, direct.labels);
}

#[test]
fn model_from_centres_assigns_the_nearest_centre_ties_to_the_lower_index() {
    let method = KMeansMethod {
        n_init: 1,
        minibatch: false,
        sample_above: usize::MAX,
        minibatch_above: 10,
        exact_memory: u64::MAX,
    };
    let model = method.model_from_centres(array![[0.0, 0.0], [1.0, 1.0]]).unwrap();
    let x = array![[0.0, 0.0], [1.0, 1.0], [0.5, 0.5], [-3.0, 0.0]];
    assert_eq!(model.predict(x.view()).unwrap(), vec![0, 1, 0, 0]);
    assert!(model.membership(x.view()).is_none());
    let wrong = array![[0.0, 0.0, 0.0]];
    assert!(model.predict(wrong.view()).is_err());
}

#[test]
fn ward_cuts_one_tree_for_every_k_and_ignores_the_seed() {
    let x = blobs();
    let method = WardMethod {
        exact_max: 100,
        micro: 4,
    };
    assert!(!method.is_seeded());
    let tree = WardParams::new().fit(x.view()).unwrap();
    let each = method.fit_each_k(x.view(), &[2, 3], 5).unwrap();
    assert_eq!(each[0].labels, tree.cut(2).unwrap());
    assert_eq!(each[1].labels, tree.cut(3).unwrap());
    let one = method.fit(x.view(), 3, 99).unwrap();
    assert_eq!(one.labels, tree.cut(3).unwrap());
    assert!(one.tree.is_some() && one.centres.is_none() && one.model.is_none());
    assert!(method.model_from_centres(array![[0.0, 0.0]]).is_none());
}

#[test]
fn ward_above_exact_max_runs_on_micro_clusters_and_says_so() {
    let x = blobs();
    let method = WardMethod { exact_max: 5, micro: 4 };
    let fit = method.fit(x.view(), 3, 1).unwrap();
    let note = fit.scale_note.expect("the switch is noted");
    assert!(note.contains("4 K-Means micro-clusters"), "{note}");
    assert_eq!(fit.tree.map(|t| t.to_scipy().len()), Some(3));
    assert_eq!(fit.labels.len(), 8);
}

#[test]
fn errors_of_the_algorithms_come_through() {
    let x = blobs();
    let method = KMeansMethod {
        n_init: 1,
        minibatch: false,
        sample_above: usize::MAX,
        minibatch_above: 100,
        exact_memory: u64::MAX,
    };
    let err = method.fit(x.view(), 9, 0).unwrap_err();
    assert!(
        matches!(
            err,
            MethodError::Cluster(ClusterError::TooManyClusters { k: 9, points: 8 })
        ),
        "{err}"
    );
}

#[test]
fn kmeans_samples_its_restarts_above_the_threshold_and_says_so() {
    // Just over the default 250,000-row sample, so the sample is a true subset.
    let n = 260_000;
    let x = ndarray::Array2::from_shape_fn((n, 2), |(i, j)| ((i * 7 + j * 3) % 11) as f64 + (i % 3) as f64 * 20.0);
    let method = |sample_above| KMeansMethod {
        n_init: 2,
        minibatch: false,
        sample_above,
        minibatch_above: usize::MAX,
        exact_memory: u64::MAX,
    };
    let sampled = method(100_000).fit(x.view(), 3, 1).unwrap();
    let note = sampled.scale_note.unwrap();
    assert!(
        note.contains("on 250000 of the 260000 cells (over --kmeans-sample-above 100000)"),
        "{note}"
    );
    assert_eq!(sampled.labels.len(), n);
    let exact = method(usize::MAX).fit(x.view(), 3, 1).unwrap();
    assert_eq!(exact.scale_note, None);
}
