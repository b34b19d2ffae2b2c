use super::*;
use crate::cluster::deep::Architecture;
use crate::metrics::adjusted_rand_index;
use ndarray::Array2;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

/// Three Gaussian blobs in 5-D (blob c at 4 on axis c, 0 elsewhere; unit noise), z-scored.
fn blobs(n: usize, seed: u64) -> (Array2<f64>, Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let truth: Vec<usize> = (0..n).map(|i| i % 3).collect();
    let mut x = Array2::from_shape_fn((n, 5), |(i, j)| {
        let noise: f64 = StandardNormal.sample(&mut rng);
        let centre = if j == truth[i] { 4.0 } else { 0.0 };
        centre + noise
    });
    for mut col in x.columns_mut() {
        let mean = col.mean().unwrap_or(0.0);
        let std = col.std(0.0);
        col.mapv_inplace(|v| (v - mean) / std);
    }
    (x, truth)
}

fn small(objective: Objective) -> DeepParams {
    DeepParams::new(3, objective)
        .architecture(Architecture::Custom(vec![16, 16]))
        .latent(2)
        .pretrain_epochs(40)
        .batch_size(32)
        .update_interval(5)
        .maxiter(150)
        .kmeans_n_init(4)
        .seed(3)
}

#[test]
fn idec_does_not_do_worse_than_kmeans_on_its_embedding() {
    let (x, truth) = blobs(300, 1);
    let fit = small(Objective::Idec).fit(x.view()).unwrap();
    let idec = adjusted_rand_index(&fit.labels, &truth).unwrap();
    let kmeans = adjusted_rand_index(&fit.initial_labels, &truth).unwrap();
    assert!(
        idec >= kmeans - 0.02,
        "IDEC ARI {idec} vs K-Means on the embedding {kmeans}"
    );
    assert!(idec > 0.8, "IDEC ARI {idec}");
    assert_eq!(fit.embedding.dim(), (300, 2));
    assert_eq!(fit.soft.dim(), (300, 3));
    assert_eq!(fit.centres.dim(), (3, 2));
    assert_eq!(fit.history.pretrain_loss.len(), 40);
    assert!(!fit.history.updates.is_empty());
    assert!(fit.history.updates[0].loss.is_nan(), "no batch before the first update");
    for row in fit.soft.rows() {
        assert!((row.sum() - 1.0).abs() < 1e-9);
    }
}

#[test]
fn dcss_trains_and_labels_every_row() {
    let (x, truth) = blobs(240, 2);
    let fit = small(Objective::Dcss).maxiter(40).fit(x.view()).unwrap();
    assert_eq!(fit.labels.len(), 240);
    assert!(fit.labels.iter().all(|&l| l < 3));
    let ari = adjusted_rand_index(&fit.labels, &truth).unwrap();
    assert!(ari > 0.5, "DCSS ARI {ari}");
    assert!(fit.history.updates.iter().skip(1).all(|u| u.clustering.is_finite()));
}

#[test]
fn same_seed_same_bits_on_one_and_two_threads() {
    let (x, _) = blobs(150, 4);
    for (objective, membership) in [
        (Objective::Idec, Membership::StudentT),
        (Objective::Dcss, Membership::StudentT),
        (Objective::Dcss, Membership::Head),
    ] {
        let run = |threads| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| {
                small(objective)
                    .membership(membership)
                    .pretrain_epochs(5)
                    .maxiter(20)
                    .fit(x.view())
                    .unwrap()
            })
        };
        let (a, b) = (run(1), run(2));
        assert_eq!(a.labels, b.labels);
        let bits = |m: &Array2<f64>| m.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&a.embedding), bits(&b.embedding));
        assert_eq!(bits(&a.centres), bits(&b.centres));
        assert_eq!(format!("{:?}", a.history.updates), format!("{:?}", b.history.updates));
    }
}

#[test]
fn options_are_validated_and_named() {
    let err = DeepParams::new(3, Objective::Idec).gamma(-1.0).build().unwrap_err();
    assert!(err.to_string().contains("gamma"), "{err}");
    let err = DeepParams::new(3, Objective::Idec).tol(2.0).build().unwrap_err();
    assert!(err.to_string().contains("tol"), "{err}");
    let err = DeepParams::new(0, Objective::Dcss).build().unwrap_err();
    assert!(err.to_string().contains('k'), "{err}");
    let err = DeepParams::new(2, Objective::Idec)
        .architecture(Architecture::Custom(vec![8, 0]))
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("hidden"), "{err}");
    let mut x = Array2::<f64>::zeros((10, 2));
    x[[3, 1]] = f64::NAN;
    let err = small(Objective::Idec).fit(x.view()).unwrap_err();
    assert!(err.to_string().contains("row 3, column 1"), "{err}");
}

#[test]
fn one_pretraining_serves_both_objectives() {
    let (x, _) = blobs(120, 5);
    let params = small(Objective::Idec).pretrain_epochs(5).maxiter(10);
    let pretrained = params.pretrain(x.view(), None).unwrap();
    let idec = params.fit_pretrained(x.view(), &pretrained, None).unwrap();
    let whole = params.fit(x.view()).unwrap();
    assert_eq!(
        (&idec.labels, &idec.centres, &idec.embedding),
        (&whole.labels, &whole.centres, &whole.embedding)
    );
    let dcss = params
        .clone()
        .objective(Objective::Dcss)
        .fit_pretrained(x.view(), &pretrained, None)
        .unwrap();
    assert_eq!(dcss.initial_labels, idec.initial_labels);
    let err = params
        .clone()
        .k(4)
        .fit_pretrained(x.view(), &pretrained, None)
        .unwrap_err();
    assert!(err.to_string().contains("does not match"), "{err}");
}

#[test]
fn the_softmax_head_starts_at_the_kmeans_partition_and_trains() {
    let (x, truth) = blobs(240, 2);
    let params = small(Objective::Dcss).membership(Membership::Head).maxiter(40);
    let pretrained = params.pretrain(x.view(), None).unwrap();
    // The head is the soft Voronoi partition of the K-Means centres: its argmax is the K-Means label,
    // its probabilities are softmax(-beta |z - mu_j|^2 / 2).
    let w = &pretrained.weights;
    let z = &pretrained.initial_embedding;
    let p = w.head_memberships(z.view());
    assert_eq!(argmax_rows(&p), pretrained.initial_labels);
    let beta = w.head.weight[0] / w.centres[[0, 0]];
    for (i, row) in z.rows().into_iter().enumerate().take(20) {
        let e: Vec<f64> = w
            .centres
            .rows()
            .into_iter()
            .map(|c| (-0.5 * beta * row.iter().zip(c).map(|(a, b)| (a - b) * (a - b)).sum::<f64>()).exp())
            .collect();
        let total: f64 = e.iter().sum();
        for j in 0..3 {
            assert!((p[[i, j]] - e[j] / total).abs() < 1e-9, "row {i} cluster {j}");
        }
    }
    let fit = params.fit_pretrained(x.view(), &pretrained, None).unwrap();
    assert_eq!(fit.soft.dim(), (240, 3));
    for row in fit.soft.rows() {
        assert!((row.sum() - 1.0).abs() < 1e-9);
    }
    let ari = adjusted_rand_index(&fit.labels, &truth).unwrap();
    assert!(ari > 0.5, "DCSS (head) ARI {ari}");
    // With the head, the centres are the probability-weighted means of the embedding.
    let mass: f64 = fit.soft.column(0).sum();
    let c0: f64 = fit
        .soft
        .column(0)
        .iter()
        .zip(fit.embedding.column(0))
        .map(|(p, z)| p * z)
        .sum::<f64>()
        / mass;
    assert!((fit.centres[[0, 0]] - c0).abs() < 1e-9);
}

#[test]
fn gamma_and_memberships_default_per_objective() {
    let dcss = DeepParams::new(3, Objective::Dcss);
    assert_eq!(dcss.clustering_weight(), DeepParams::DCSS_GAMMA);
    assert_eq!(dcss.memberships(), Membership::Head);
    let idec = dcss.clone().objective(Objective::Idec);
    assert_eq!(idec.clustering_weight(), DeepParams::IDEC_GAMMA);
    assert_eq!(
        idec.memberships(),
        Membership::StudentT,
        "IDEC is defined on the Student-t kernel"
    );
    assert_eq!(dcss.gamma(0.5).objective(Objective::Idec).clustering_weight(), 0.5);
}
