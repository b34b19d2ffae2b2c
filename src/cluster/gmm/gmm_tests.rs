//! Unit tests of the Gaussian mixture. Tolerances: the density check against the closed form
//! 1e-12 relative; probabilities summing to 1 within 1e-12; thread determinism bit-exact.

use super::*;
use ndarray::{Array2, array};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Three separated groups of `per` points in 2-D with different spreads, deterministic.
fn blobs(per: usize, seed: u64) -> Array2<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let centres = [[0.0, 0.0], [10.0, 2.0], [3.0, 9.0]];
    let spread = [1.0, 2.0, 0.5];
    Array2::from_shape_fn((3 * per, 2), |(i, j)| {
        let g = i % 3;
        centres[g][j] + spread[g] * (rng.random::<f64>() - 0.5)
    })
}

#[test]
fn params_are_validated() {
    assert_eq!(
        GaussianMixtureParams::new(0).build().unwrap_err().to_string(),
        "Gaussian mixture: k = 0 components, must be at least 1"
    );
    assert!(GaussianMixtureParams::new(2).n_init(0).build().is_err());
    assert!(GaussianMixtureParams::new(2).max_iter(0).build().is_err());
    assert!(GaussianMixtureParams::new(2).tol(f64::NAN).build().is_err());
    assert!(GaussianMixtureParams::new(2).tol(-1.0).build().is_err());
    assert!(matches!(
        GaussianMixtureParams::new(2).reg_covar(-1e-6).build(),
        Err(GmmError::BadOption {
            option: "reg_covar",
            ..
        })
    ));
    assert!(GaussianMixtureParams::new(3).sample_max(Some(2)).build().is_err());
    assert!(
        GaussianMixtureParams::new(2)
            .weights_init(vec![0.5, 0.6])
            .build()
            .is_err()
    );
    assert!(GaussianMixtureParams::new(2).weights_init(vec![1.0]).build().is_err());
    assert!(GaussianMixtureParams::new(2).seed_rows(vec![1]).build().is_err());
    let diag_for_full = GaussianMixtureParams::new(1).precisions_init(ComponentMatrices::Diag(array![[1.0, 1.0]]));
    assert!(diag_for_full.build().is_err());
    assert!("spherical".parse::<CovarianceType>().is_err());
    assert_eq!("diag".parse::<CovarianceType>().unwrap(), CovarianceType::Diag);

    let x = blobs(4, 1);
    let err = GaussianMixtureParams::new(13).fit(x.view()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Gaussian mixture: k = 13 components exceeds the 12 rows fitted"
    );
    let mut bad = x.clone();
    bad[[5, 1]] = f64::NAN;
    assert!(matches!(
        GaussianMixtureParams::new(2).fit(bad.view()),
        Err(GmmError::NonFinite { row: 5, column: 1 })
    ));
    let empty = Array2::<f64>::zeros((0, 2));
    assert!(matches!(
        GaussianMixtureParams::new(1).fit(empty.view()),
        Err(GmmError::EmptyData)
    ));
    let wrong_means = GaussianMixtureParams::new(2).means_init(Array2::zeros((2, 3)));
    assert!(matches!(
        wrong_means.fit(x.view()),
        Err(GmmError::BadInit { what: "means", .. })
    ));
    let asymmetric = ComponentMatrices::Full(Array3::from_shape_vec((1, 2, 2), vec![1.0, 0.5, 0.0, 1.0]).unwrap());
    let err = GaussianMixtureParams::new(1).precisions_init(asymmetric).fit(x.view());
    assert!(matches!(err, Err(GmmError::BadInit { what: "precisions", .. })));
    let indefinite = ComponentMatrices::Full(Array3::from_shape_vec((1, 2, 2), vec![1.0, 2.0, 2.0, 1.0]).unwrap());
    assert!(
        GaussianMixtureParams::new(1)
            .precisions_init(indefinite)
            .fit(x.view())
            .is_err()
    );
    assert!(
        GaussianMixtureParams::new(2)
            .seed_rows(vec![0, 12])
            .fit(x.view())
            .is_err()
    );
    let model = GaussianMixtureParams::new(2).fit(x.view()).unwrap();
    assert!(matches!(
        model.predict(Array2::zeros((3, 3)).view()),
        Err(GmmError::DimensionMismatch { expected: 2, got: 3 })
    ));
    let mut nan_rows = Array2::zeros((3, 2));
    nan_rows[[2, 0]] = f64::NAN;
    assert!(model.score_samples(nan_rows.view()).is_err());
}

/// The log-density of one component equals the closed form `-(d ln 2pi + ln det S +
/// (x-mu)^T S^-1 (x-mu)) / 2` computed with an explicit 2 x 2 inverse.
#[test]
fn log_density_matches_closed_form() {
    let sigma = [2.0, 0.6, 0.6, 0.5];
    let mean = [1.0, -2.0];
    let chol = precision_cholesky(&sigma, CovarianceType::Full, 1, 2).unwrap();
    let mixture = Mixture {
        weights: vec![1.0],
        means: mean.to_vec(),
        covariances: sigma.to_vec(),
        prec_chol: chol.clone(),
    };
    let components = Components::new(&mixture, CovarianceType::Full, 2);
    let det = sigma[0] * sigma[3] - sigma[1] * sigma[2];
    let inv = [sigma[3] / det, -sigma[1] / det, -sigma[2] / det, sigma[0] / det];
    // P P^T is the inverse covariance.
    for a in 0..2 {
        for b in 0..2 {
            let pp: f64 = (0..2).map(|c| chol[a * 2 + c] * chol[b * 2 + c]).sum();
            assert!((pp - inv[a * 2 + b]).abs() < 1e-12);
        }
    }
    for x in [[0.0, 0.0], [1.0, -2.0], [3.5, 1.25], [-4.0, 7.0]] {
        let dx = [x[0] - mean[0], x[1] - mean[1]];
        let q = dx[0] * (inv[0] * dx[0] + inv[1] * dx[1]) + dx[1] * (inv[2] * dx[0] + inv[3] * dx[1]);
        let expected = -0.5 * (2.0 * LN_2PI + det.ln() + q);
        let mut out = [0.0];
        components.weighted_log_prob(&x, &mut out, &mut [0.0; 2]);
        assert!(
            (out[0] - expected).abs() <= 1e-12 * expected.abs(),
            "{} vs {expected}",
            out[0]
        );
    }
    // The precision route gives the same factor as the covariance route.
    let from_precision = precision_cholesky_from_precisions(&inv, CovarianceType::Full, 1, 2).unwrap();
    for (a, b) in from_precision.iter().zip(&chol) {
        assert!((a - b).abs() < 1e-12, "{from_precision:?} vs {chol:?}");
    }
}

#[test]
fn recovers_separated_groups_and_scores_consistently() {
    let x = blobs(60, 3);
    for covariance in [CovarianceType::Full, CovarianceType::Diag] {
        let model = GaussianMixtureParams::new(3)
            .covariance_type(covariance)
            .fit(x.view())
            .unwrap();
        assert!(model.converged());
        let labels = model.predict(x.view()).unwrap();
        for g in 0..3 {
            let first = labels[g];
            assert!((g..x.nrows()).step_by(3).all(|i| labels[i] == first), "group {g}");
        }
        let weights = model.weights();
        assert!((weights.sum() - 1.0).abs() < 1e-12);
        assert!(weights.iter().all(|&w| (w - 1.0 / 3.0).abs() < 1e-6));
        let proba = model.predict_proba(x.view()).unwrap();
        let samples = model.score_samples(x.view()).unwrap();
        let assigned = model.assign(x.view()).unwrap();
        for (i, row) in proba.rows().into_iter().enumerate() {
            assert!((row.sum() - 1.0).abs() <= 1e-12);
            assert_eq!(argmax(row.as_slice().unwrap()), labels[i]);
            assert_eq!(assigned.max_probability[i], row[labels[i]]);
        }
        assert_eq!(assigned.labels, labels);
        assert_eq!(assigned.log_likelihood, samples);
        let score = model.score(x.view()).unwrap();
        assert_eq!(score, assigned.mean_log_likelihood());
        let n = x.nrows() as f64;
        let p = match covariance {
            CovarianceType::Full => 3 * 3 + 6 + 2,
            CovarianceType::Diag => 6 + 6 + 2,
        };
        assert_eq!(model.n_parameters(), p);
        assert_eq!(model.bic(x.view()).unwrap(), -2.0 * score * n + p as f64 * n.ln());
        assert_eq!(model.aic(x.view()).unwrap(), -2.0 * score * n + 2.0 * p as f64);
        // The last E-step saw the fitted parameters one M-step earlier: close, not identical.
        assert!((model.lower_bound() - score).abs() < 1e-3);
    }
}

#[test]
fn same_bits_on_one_and_two_threads() {
    // More rows than two blocks so the partial sums really split.
    let x = blobs(2000, 9);
    for covariance in [CovarianceType::Full, CovarianceType::Diag] {
        let run = |threads| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| {
                let model = GaussianMixtureParams::new(4)
                    .covariance_type(covariance)
                    .n_init(2)
                    .tol(1e-6)
                    .seed(5)
                    .fit(x.view())
                    .unwrap();
                let assigned = model.assign(x.view()).unwrap();
                (model, assigned)
            })
        };
        let (a, b) = (run(1), run(2));
        assert_eq!(a.0.lower_bound().to_bits(), b.0.lower_bound().to_bits());
        let bits = |m: &GaussianMixture| -> Vec<u64> {
            let mut v: Vec<f64> = m.weights().to_vec();
            v.extend(m.means().iter());
            v.extend(flat_of(&m.covariances()));
            v.iter().map(|f| f.to_bits()).collect()
        };
        assert_eq!(bits(&a.0), bits(&b.0));
        assert_eq!(a.0, b.0);
        assert_eq!(a.1, b.1);
        assert_eq!(a.0.lower_bound_per_init().len(), 2);
    }
}

fn flat_of(m: &ComponentMatrices) -> Vec<f64> {
    match m {
        ComponentMatrices::Full(a) => a.iter().copied().collect(),
        ComponentMatrices::Diag(a) => a.iter().copied().collect(),
    }
}

#[test]
fn seeding_is_deterministic_and_picks_data_rows() {
    let x = blobs(50, 4);
    let rows = Rows::gather_all(x.view());
    let a = kmeans_pp_rows(&rows, 3, 7, 3).unwrap();
    assert_eq!(a, kmeans_pp_rows(&rows, 3, 7, 3).unwrap());
    assert_eq!(a.len(), 3);
    for seeds in &a {
        assert_eq!(seeds.len(), 3);
        assert!(seeds.iter().all(|&i| i < x.nrows()));
    }
    // k-means++ spreads the seeds over the three groups.
    let groups: std::collections::BTreeSet<usize> = a[0].iter().map(|&i| i % 3).collect();
    assert_eq!(groups.len(), 3);
    // The fit from the seeding equals the fit from those seed rows given explicitly.
    let seeded = GaussianMixtureParams::new(3).seed(7).fit(x.view()).unwrap();
    let explicit = GaussianMixtureParams::new(3)
        .seed_rows(a[0].clone())
        .fit(x.view())
        .unwrap();
    assert_eq!(seeded, explicit);
}

/// A component left alone on identical points has a zero covariance when `reg_covar = 0`:
/// the fit reports scikit-learn's error instead of panicking; `reg_covar` cures it.
#[test]
fn collapsed_component_is_an_error() {
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    // Five copies of the origin (its mean is exact, so its scatter is exactly zero) far from
    // twenty scattered points.
    let mut x = Array2::from_shape_fn((25, 2), |_| 1000.0 + rng.random::<f64>());
    for i in 0..5 {
        x.row_mut(i).fill(0.0);
    }
    for covariance in [CovarianceType::Full, CovarianceType::Diag] {
        let spread = match covariance {
            CovarianceType::Full => {
                ComponentMatrices::Full(Array3::from_shape_fn((2, 2, 2), |(_, a, b)| f64::from(a == b)))
            }
            CovarianceType::Diag => ComponentMatrices::Diag(Array2::ones((2, 2))),
        };
        let params = GaussianMixtureParams::new(2)
            .covariance_type(covariance)
            .weights_init(vec![0.5, 0.5])
            .means_init(array![[0.0, 0.0], [1000.5, 1000.5]])
            .covariances_init(spread);
        let err = params.clone().reg_covar(0.0).fit(x.view()).unwrap_err();
        assert!(matches!(err, GmmError::IllDefinedCovariance { component: 0 }), "{err}");
        assert!(err.to_string().contains("increase reg_covar"));
        let model = params.reg_covar(1e-6).fit(x.view()).unwrap();
        assert!((model.weights()[0] - 0.2).abs() < 1e-9);
    }
}

#[test]
fn sampled_fit_assigns_every_row() {
    let x = blobs(1000, 8);
    let params = GaussianMixtureParams::new(3).sample_max(Some(600)).seed(1);
    let model = params.fit(x.view()).unwrap();
    assert!(model.sampled());
    assert_eq!(model.fitted_rows(), 600);
    let assigned = model.assign(x.view()).unwrap();
    assert_eq!(assigned.labels.len(), 3000);
    for g in 0..3 {
        let first = assigned.labels[g];
        assert!((g..3000).step_by(3).all(|i| assigned.labels[i] == first));
    }
    assert!(assigned.max_probability.iter().all(|&p| p > 1.0 / 3.0 && p <= 1.0));
    // Same seed, same sample, same model; seed rows need all rows.
    assert_eq!(model, params.fit(x.view()).unwrap());
    assert!(params.seed_rows(vec![0, 1, 2]).fit(x.view()).is_err());
    let all = GaussianMixtureParams::new(3).sample_max(None).fit(x.view()).unwrap();
    assert!(!all.sampled());
    assert_eq!(all.fitted_rows(), 3000);
}

#[test]
fn memory_estimate_follows_the_formula() {
    // n = 4096 rows (2 blocks), d = 3, k = 2, full: S = k d^2 = 18.
    let full = memory_estimate(4096, 3, 2, CovarianceType::Full);
    let per_row = 4096 * 5; // seeding m (d + 2) > responsibilities m k
    assert_eq!(full, 8 * (4096 * 3 + per_row + 2 * (2 + 6 + 18) + 2 * 5 + 2 * 18));
    assert!(memory_estimate(4096, 3, 2, CovarianceType::Diag) < full);
    // Responsibilities dominate for many components.
    assert!(memory_estimate(1000, 2, 50, CovarianceType::Diag) > 8 * 1000 * 52);
    let params = GaussianMixtureParams::new(2).sample_max(Some(1000));
    assert_eq!(
        params.memory_estimate(1_000_000, 3),
        memory_estimate(1000, 3, 2, CovarianceType::Full) + 24_000_000
    );
}
