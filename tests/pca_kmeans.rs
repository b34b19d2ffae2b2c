//! Standardization, correlation, PCA and K-Means against scikit-learn / numpy results.
//!
//! Fixture: tests/fixtures/pca_kmeans.json, made by tests/reference/ref_pca_kmeans.py.
//! Tolerances: scaled values, correlations, PCA ratios/components/scores 1e-6 absolute
//! (components and scores up to the sign of each component); k-means inertia must be at most
//! scikit-learn's times (1 + 1e-3) (both are local optima of the same objective).

use landclust::cluster::kmeans::{KMeansParams, elbow};
use landclust::cluster::labels::matched_agreement;
use landclust::features::{Standardizer, correlation};
use landclust::reduce::pca::PcaParams;
use ndarray::Array2;
use serde_json::Value;

fn fixture() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pca_kmeans.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn matrix(v: &Value) -> Array2<f64> {
    let rows: Vec<Vec<f64>> = serde_json::from_value(v.clone()).unwrap();
    let (n, d) = (rows.len(), rows[0].len());
    Array2::from_shape_vec((n, d), rows.concat()).unwrap()
}

fn vector(v: &Value) -> Vec<f64> {
    serde_json::from_value(v.clone()).unwrap()
}

fn max_abs_diff(a: &Array2<f64>, b: &Array2<f64>) -> f64 {
    assert_eq!(a.dim(), b.dim());
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0.0, f64::max)
}

fn names(d: usize) -> Vec<String> {
    (0..d).map(|j| format!("v{j}")).collect()
}

/// Standardized correlated data (our own scaler).
fn scaled() -> Array2<f64> {
    let f = fixture();
    let x = matrix(&f["correlated"]["data"]);
    Standardizer::fit_transform(x.view(), &names(7)).unwrap().1
}

#[test]
fn standard_scaler_and_corrcoef_match() {
    let f = fixture();
    let c = &f["correlated"];
    let x = matrix(&c["data"]);
    let (scaler, z) = Standardizer::fit_transform(x.view(), &names(7)).unwrap();
    assert!(max_abs_diff(&z, &matrix(&c["scaled"])) < 1e-6);
    assert!(max_abs_diff(&scaler.inverse_transform(z.view()).unwrap(), &x) < 1e-9);
    assert!(max_abs_diff(&correlation(x.view()), &matrix(&c["corrcoef"])) < 1e-6);
}

#[test]
fn pca_matches_sklearn() {
    let f = fixture();
    let c = &f["correlated"];
    let z = scaled();
    let full = PcaParams::new(7).build().unwrap().fit(z.view()).unwrap();
    let ratio = vector(&c["pca_explained_variance_ratio"]);
    let variance = vector(&c["pca_explained_variance"]);
    for j in 0..7 {
        assert!((full.explained_variance_ratio[j] - ratio[j]).abs() < 1e-6, "ratio {j}");
        assert!((full.explained_variance[j] - variance[j]).abs() < 1e-6, "variance {j}");
    }
    let reference = matrix(&c["pca_components"]);
    // The last components carry ~1e-4 of the variance; compare the well separated ones.
    for j in 0..5 {
        let sign = full.components.row(j).dot(&reference.row(j)).signum();
        let diff = (&full.components.row(j) * sign - reference.row(j)).mapv(f64::abs);
        assert!(diff.iter().all(|&e| e < 1e-6), "component {j}: {diff}");
    }

    let pca3 = PcaParams::new(3).fit(z.view()).unwrap();
    let scores = pca3.transform(z.view()).unwrap();
    let mut expected = matrix(&c["pca3_transform"]);
    for j in 0..3 {
        if scores.column(j).dot(&expected.column(j)) < 0.0 {
            expected.column_mut(j).mapv_inplace(|v| -v);
        }
    }
    assert!(max_abs_diff(&scores, &expected) < 1e-6);
    let rec = pca3.reconstruction(z.view()).unwrap();
    assert!((rec.mse - c["pca3_mse"].as_f64().unwrap()).abs() < 1e-9);
    assert!((rec.r2 - c["pca3_r2"].as_f64().unwrap()).abs() < 1e-9);
}

#[test]
fn kmeans_inertia_not_worse_than_sklearn() {
    let f = fixture();
    let blobs = matrix(&f["blobs"]["data"]);
    let pca3 = PcaParams::new(3).fit(scaled().view()).unwrap();
    let reduced = pca3.transform(scaled().view()).unwrap();
    for case in f["kmeans"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let x = if name == "blobs" { &blobs } else { &reduced };
        let k = case["k"].as_u64().unwrap() as usize;
        let sk_inertia = case["inertia"].as_f64().unwrap();
        let model = KMeansParams::new(k).n_init(10).seed(0).fit(x.view()).unwrap();
        assert!(
            model.inertia <= sk_inertia * (1.0 + 1e-3),
            "{name} k={k}: ours {} vs sklearn {sk_inertia}",
            model.inertia
        );
        assert_eq!(model.labels.len(), x.nrows());
        assert!(model.converged);
        // Same optimum => same partition up to renumbering.
        if (model.inertia - sk_inertia).abs() <= 1e-9 * sk_inertia {
            let sk_labels: Vec<usize> = serde_json::from_value(case["labels"].clone()).unwrap();
            assert_eq!(
                matched_agreement(&sk_labels, &model.labels).unwrap(),
                1.0,
                "{name} k={k}"
            );
        }
    }
}

#[test]
fn elbow_matches_sklearn_curve_and_python_kneedle() {
    let f = fixture();
    let blobs = matrix(&f["blobs"]["data"]);
    let sk_wcss = vector(&f["blobs"]["elbow_wcss"]);
    let curve = elbow(blobs.view(), 10, &KMeansParams::new(1).seed(0)).unwrap();
    assert!(curve.wcss.windows(2).all(|w| w[1] <= w[0]));
    // Beyond the 5 true groups the WCSS has many near-equal local optima: 1% slack there.
    for (k, (ours, sk)) in curve.wcss.iter().zip(&sk_wcss).enumerate() {
        let slack = if k < 5 { 1e-3 } else { 1e-2 };
        assert!(*ours <= sk * (1.0 + slack), "k={}: ours {ours} vs sklearn {sk}", k + 1);
    }
    let knee = f["blobs"]["elbow_knee_k"].as_u64().map(|k| k as usize);
    assert_eq!(curve.knee, knee, "{:?}", curve.wcss);
}

#[test]
fn kmeans_is_bit_identical_on_one_and_two_threads() {
    // 6000 points = 3 chunks, so the chunked reductions really run in parallel.
    let x = Array2::from_shape_fn((6000, 3), |(i, j)| ((i * 3 + j) as f64 * 0.7123).sin() * (1 + j) as f64);
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| {
            let km = KMeansParams::new(6).seed(5).fit(x.view()).unwrap();
            let curve = elbow(x.view(), 5, &KMeansParams::new(1).n_init(3)).unwrap();
            (km, curve)
        })
    };
    let ((a, ea), (b, eb)) = (run(1), run(2));
    assert_eq!(a.labels, b.labels);
    assert_eq!(a.inertia.to_bits(), b.inertia.to_bits());
    assert_eq!(a.inertia_per_init, b.inertia_per_init);
    assert_eq!(ea, eb);
}
