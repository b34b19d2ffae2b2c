//! Gaussian mixture (EM, full and diagonal covariances) against scikit-learn's `GaussianMixture`.
//!
//! Fixture: tests/fixtures/gmm.json, made by tests/reference/ref_gmm.py (scikit-learn version
//! recorded in it). Every case starts from the same initial parameters as scikit-learn: either
//! the given `weights_init`, `means_init` and `precisions_init`, or the k-means++ seed rows that
//! scikit-learn drew (one-hot responsibilities at those rows, then an M-step).
//!
//! Tolerances (the two implementations differ only by floating-point summation order):
//! - `n_iter`, `converged`, `n_parameters` and the labels of every row: equal;
//! - `lower_bound`, `score`, per-row `score_samples`, BIC and AIC: 1e-6 relative;
//! - weights, means, covariances and precision Cholesky factors: `|ours - sklearn| <= 1e-6 *
//!   max(1, |sklearn|)` (1e-6 absolute below 1, relative above);
//! - `predict_proba`: 1e-6 absolute, and every row sums to 1 within 1e-12.

use landclust::cluster::gmm::{ComponentMatrices, CovarianceType, GaussianMixture, GaussianMixtureParams};
use ndarray::{Array2, Array3};
use serde_json::Value;

fn fixture() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/gmm.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn matrix(v: &Value) -> Array2<f64> {
    let rows: Vec<Vec<f64>> = serde_json::from_value(v.clone()).unwrap();
    let (n, d) = (rows.len(), rows[0].len());
    Array2::from_shape_vec((n, d), rows.concat()).unwrap()
}

fn cube(v: &Value) -> Array3<f64> {
    let m: Vec<Vec<Vec<f64>>> = serde_json::from_value(v.clone()).unwrap();
    let (k, a, b) = (m.len(), m[0].len(), m[0][0].len());
    Array3::from_shape_vec((k, a, b), m.concat().concat()).unwrap()
}

fn vector(v: &Value) -> Vec<f64> {
    serde_json::from_value(v.clone()).unwrap()
}

fn matrices(v: &Value, covariance: CovarianceType) -> ComponentMatrices {
    match covariance {
        CovarianceType::Full => ComponentMatrices::Full(cube(v)),
        CovarianceType::Diag => ComponentMatrices::Diag(matrix(v)),
    }
}

fn flat(m: &ComponentMatrices) -> Vec<f64> {
    match m {
        ComponentMatrices::Full(a) => a.iter().copied().collect(),
        ComponentMatrices::Diag(a) => a.iter().copied().collect(),
    }
}

/// Checks `|a - b| <= 1e-6 max(1, |b|)` element-wise; returns the largest `|a - b| / max(1, |b|)`.
fn assert_close_values(what: &str, ours: &[f64], theirs: &[f64]) -> f64 {
    assert_eq!(ours.len(), theirs.len(), "{what}: lengths");
    let mut worst: f64 = 0.0;
    for (i, (a, b)) in ours.iter().zip(theirs).enumerate() {
        let scaled = (a - b).abs() / b.abs().max(1.0);
        assert!(scaled <= 1e-6, "{what}[{i}]: ours {a} vs sklearn {b}");
        worst = worst.max(scaled);
    }
    worst
}

fn assert_relative(what: &str, ours: f64, theirs: f64) {
    assert!(
        (ours - theirs).abs() <= 1e-6 * theirs.abs(),
        "{what}: ours {ours} vs sklearn {theirs}"
    );
}

/// Fits the case from the same starting point as scikit-learn.
fn fit_case(f: &Value, case: &Value) -> (GaussianMixture, Array2<f64>) {
    let x = matrix(&f["data"][case["data"].as_str().unwrap()]);
    let covariance: CovarianceType = case["covariance_type"].as_str().unwrap().parse().unwrap();
    let k = case["k"].as_u64().unwrap() as usize;
    let mut params = GaussianMixtureParams::new(k)
        .covariance_type(covariance)
        .tol(f["tol"].as_f64().unwrap())
        .max_iter(f["max_iter"].as_u64().unwrap() as usize)
        .reg_covar(f["reg_covar"].as_f64().unwrap())
        .sample_max(None);
    params = match case["init"].as_str().unwrap() {
        "given" => params
            .weights_init(vector(&case["weights_init"]))
            .means_init(matrix(&case["means_init"]))
            .precisions_init(matrices(&case["precisions_init"], covariance)),
        "kmeans++" => params.seed_rows(serde_json::from_value(case["seed_rows"].clone()).unwrap()),
        other => panic!("unknown init {other}"),
    };
    (params.fit(x.view()).unwrap(), x)
}

fn name(case: &Value) -> String {
    let field = |key: &str| case[key].as_str().unwrap().to_string();
    format!("{} {} {}", field("data"), field("covariance_type"), field("init"))
}

#[test]
fn em_matches_sklearn_from_the_same_start() {
    let f = fixture();
    let cases = f["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 8);
    for case in cases {
        let what = name(case);
        let (model, _) = fit_case(&f, case);
        assert_eq!(
            model.n_iter(),
            case["n_iter"].as_u64().unwrap() as usize,
            "{what}: n_iter"
        );
        assert_eq!(model.converged(), case["converged"].as_bool().unwrap(), "{what}");
        assert_relative(
            &format!("{what} lower_bound"),
            model.lower_bound(),
            case["lower_bound"].as_f64().unwrap(),
        );
        let mut worst = assert_close_values(
            &format!("{what} weights"),
            &model.weights().to_vec(),
            &vector(&case["weights"]),
        );
        let means: Vec<f64> = model.means().iter().copied().collect();
        worst = worst.max(assert_close_values(
            &format!("{what} means"),
            &means,
            &matrix(&case["means"]).iter().copied().collect::<Vec<_>>(),
        ));
        let covariance = model.covariance_type();
        worst = worst.max(assert_close_values(
            &format!("{what} covariances"),
            &flat(&model.covariances()),
            &flat(&matrices(&case["covariances"], covariance)),
        ));
        worst = worst.max(assert_close_values(
            &format!("{what} precisions_cholesky"),
            &flat(&model.precisions_cholesky()),
            &flat(&matrices(&case["precisions_cholesky"], covariance)),
        ));
        let lower_bound = case["lower_bound"].as_f64().unwrap();
        let relative = (model.lower_bound() - lower_bound).abs() / lower_bound.abs();
        eprintln!("{what}: parameters within {worst:.1e}, lower bound within {relative:.1e} relative");
    }
}

#[test]
fn scores_and_criteria_match_sklearn() {
    let f = fixture();
    let few = f["few"].as_u64().unwrap() as usize;
    for case in f["cases"].as_array().unwrap() {
        let what = name(case);
        let (model, x) = fit_case(&f, case);
        assert_eq!(
            model.n_parameters(),
            case["n_parameters"].as_u64().unwrap() as usize,
            "{what}"
        );
        assert_relative(
            &format!("{what} score"),
            model.score(x.view()).unwrap(),
            case["score"].as_f64().unwrap(),
        );
        assert_relative(
            &format!("{what} bic"),
            model.bic(x.view()).unwrap(),
            case["bic"].as_f64().unwrap(),
        );
        assert_relative(
            &format!("{what} aic"),
            model.aic(x.view()).unwrap(),
            case["aic"].as_f64().unwrap(),
        );
        let head = x.slice(ndarray::s![..few, ..]);
        let samples = model.score_samples(head).unwrap();
        for (i, (a, b)) in samples.iter().zip(vector(&case["score_samples_head"])).enumerate() {
            assert_relative(&format!("{what} score_samples[{i}]"), *a, b);
        }
        let proba = model.predict_proba(head).unwrap();
        let expected = matrix(&case["predict_proba_head"]);
        assert_eq!(proba.dim(), expected.dim());
        for (a, b) in proba.iter().zip(&expected) {
            assert!((a - b).abs() <= 1e-6, "{what} predict_proba: ours {a} vs sklearn {b}");
        }
        for row in model.predict_proba(x.view()).unwrap().rows() {
            assert!((row.sum() - 1.0).abs() <= 1e-12, "{what}: row sums to {}", row.sum());
        }
        let labels: Vec<usize> = serde_json::from_value(case["labels"].clone()).unwrap();
        assert_eq!(model.predict(x.view()).unwrap(), labels, "{what}: labels");
        let assigned = model.assign(x.view()).unwrap();
        assert_eq!(assigned.labels, labels, "{what}: assign labels");
        assert_relative(
            &format!("{what} assign mean"),
            assigned.mean_log_likelihood(),
            case["score"].as_f64().unwrap(),
        );
    }
}
