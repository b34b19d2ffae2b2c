//! Area weights (`--weights area`) against scikit-learn and NumPy, and equal weights against
//! the unweighted code.
//!
//! Fixture: tests/fixtures/weights.json, made by tests/reference/ref_weights.py.

mod common;

use landclust::cluster::kmeans::KMeansParams;
use landclust::features::Standardizer;
use landclust::metrics;
use ndarray::{Array1, Array2};
use serde_json::Value;

fn fixture() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/weights.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn matrix(v: &Value) -> Array2<f64> {
    let rows: Vec<Vec<f64>> = serde_json::from_value(v.clone()).unwrap();
    let d = rows[0].len();
    Array2::from_shape_vec((rows.len(), d), rows.concat()).unwrap()
}

fn vector(v: &Value) -> Array1<f64> {
    Array1::from(serde_json::from_value::<Vec<f64>>(v.clone()).unwrap())
}

fn names(d: usize) -> Vec<String> {
    (0..d).map(|j| format!("v{j}")).collect()
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1.0)
}

/// The fixture's data standardized with its weights, and the weights.
fn standardized() -> (Array2<f64>, Array1<f64>) {
    let f = fixture();
    let (x, w) = (matrix(&f["x"]), vector(&f["weights"]));
    let s = Standardizer::fit_weighted(x.view(), &names(x.ncols()), Some(w.view())).unwrap();
    (s.transform(x.view()).unwrap(), w)
}

#[test]
fn weighted_standardization_is_numpy_average() {
    let f = fixture();
    let (x, w) = (matrix(&f["x"]), vector(&f["weights"]));
    let s = Standardizer::fit_weighted(x.view(), &names(x.ncols()), Some(w.view())).unwrap();
    for (got, want) in s.mean.iter().zip(vector(&f["mean"]).iter()) {
        assert!(close(*got, *want, 1e-12), "mean {got} vs {want}");
    }
    for (got, want) in s.std.iter().zip(vector(&f["std"]).iter()) {
        assert!(close(*got, *want, 1e-12), "std {got} vs {want}");
    }
    // The weights matter here: the unweighted mean is elsewhere.
    let plain = Standardizer::fit(x.view(), &names(x.ncols())).unwrap();
    assert!((plain.mean[0] - s.mean[0]).abs() > 1e-4);
}

#[test]
fn weighted_kmeans_matches_sklearn_sample_weight() {
    let f = fixture();
    let (z, w) = standardized();
    let k = f["k"].as_u64().unwrap() as usize;
    let init = Array2::from_shape_fn((k, z.ncols()), |(c, j)| f["init"][c][j].as_f64().unwrap());
    let model = KMeansParams::new(k)
        .fit_from(z.view(), Some(w.view()), init.view())
        .unwrap();
    let labels: Vec<usize> = serde_json::from_value(f["labels"].clone()).unwrap();
    assert_eq!(model.labels, labels);
    let inertia = f["inertia"].as_f64().unwrap();
    assert!(
        close(model.inertia, inertia, 1e-9),
        "inertia {} vs {inertia}",
        model.inertia
    );
    let centres = matrix(&f["centres"]);
    for (a, b) in model.centers.iter().zip(centres.iter()) {
        assert!((a - b).abs() < 1e-9, "centre {a} vs {b}");
    }
    assert_eq!(model.n_iter, f["n_iter"].as_u64().unwrap() as usize);
    // Unweighted from the same centres is another fit.
    let plain = KMeansParams::new(k).fit_from(z.view(), None, init.view()).unwrap();
    assert!((plain.inertia - model.inertia).abs() > 1e-6);
}

#[test]
fn weighted_pca_is_the_weighted_covariance() {
    let f = fixture();
    let (z, w) = standardized();
    let d = z.ncols();
    let pca = landclust::reduce::pca::PcaParams::new(d)
        .fit_weighted(z.view(), Some(w.view()))
        .unwrap();
    for (got, want) in pca
        .explained_variance
        .iter()
        .zip(vector(&f["pca_explained_variance"]).iter())
    {
        assert!(close(*got, *want, 1e-10), "eigenvalue {got} vs {want}");
    }
    let components = matrix(&f["pca_components"]);
    for (a, b) in pca.components.iter().zip(components.iter()) {
        assert!((a - b).abs() < 1e-9, "axis entry {a} vs {b}");
    }
    let ones = Array1::from_elem(z.nrows(), 1.0);
    let plain = landclust::reduce::pca::PcaParams::new(2).fit(z.view()).unwrap();
    let unit = landclust::reduce::pca::PcaParams::new(2)
        .fit_weighted(z.view(), Some(ones.view()))
        .unwrap();
    assert_eq!(plain, unit);
}

#[test]
fn weighted_scores_match_the_numpy_definitions() {
    let f = fixture();
    let (z, w) = standardized();
    let labels: Vec<usize> = serde_json::from_value(f["labels"].clone()).unwrap();
    let sil = metrics::silhouette_weighted(z.view(), &labels, w.view()).unwrap();
    let db = metrics::davies_bouldin_weighted(z.view(), &labels, w.view()).unwrap();
    let ch = metrics::calinski_harabasz_weighted(z.view(), &labels, w.view()).unwrap();
    for (name, got) in [("silhouette", sil), ("davies_bouldin", db), ("calinski_harabasz", ch)] {
        let want = f[name].as_f64().unwrap();
        assert!(close(got, want, 1e-10), "{name}: {got} vs {want}");
    }
}

#[test]
fn unit_weights_give_the_unweighted_bits() {
    let f = fixture();
    let x = matrix(&f["x"]);
    let ones = Array1::from_elem(x.nrows(), 1.0);
    let names = names(x.ncols());
    let plain = Standardizer::fit(x.view(), &names).unwrap();
    let unit = Standardizer::fit_weighted(x.view(), &names, Some(ones.view())).unwrap();
    assert_eq!(plain, unit);
    let z = plain.transform(x.view()).unwrap();
    let init = Array2::from_shape_fn((4, z.ncols()), |(c, j)| z[[c * 90 + 7, j]]);
    let a = KMeansParams::new(4).fit_from(z.view(), None, init.view()).unwrap();
    let b = KMeansParams::new(4)
        .fit_from(z.view(), Some(ones.view()), init.view())
        .unwrap();
    assert_eq!(a, b);
    assert_eq!(
        landclust::features::correlation(z.view()),
        landclust::features::correlation_weighted(z.view(), Some(ones.view()))
    );
    // Equal weights are dropped: the unweighted code runs.
    assert!(
        landclust::features::normalised_weights(&vec![2.5; 10])
            .unwrap()
            .is_none()
    );
}

/// On the demo (a 1-degree lat-lon grid, so cell areas differ): `--weights area` is recorded,
/// changes the fit, and leaves the cell-count run alone; the unsupported combinations are
/// refused in one line with nothing written.
#[test]
fn area_weights_on_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let demo = common::demo_file().to_str().unwrap().to_string();
    let run = |w: &str| {
        let out = dir.path().join(w);
        let args = [
            "run",
            &demo,
            "--k",
            "6",
            "--weights",
            w,
            "--no-figures",
            "-q",
            "--out",
            out.to_str().unwrap(),
        ];
        common::run_ok(&args, 2);
        common::metrics(&out)
    };
    let (none, area) = (run("none"), run("area"));
    assert_eq!(none["settings"]["weights"], "none");
    assert_eq!(area["settings"]["weights"], "area");
    assert_ne!(none["inertia"], area["inertia"]);
    assert_ne!(none["silhouette"], area["silhouette"]);
    for (extra, needle) in [
        (vec!["--method", "gmm"], "--method gmm"),
        (vec!["--k", "auto"], "--k auto"),
        (vec!["--reduce", "vae:2"], "--reduce vae:2"),
    ] {
        let out = dir.path().join("refused");
        let mut args = vec![
            "run",
            demo.as_str(),
            "--weights",
            "area",
            "-q",
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend(extra);
        let result = common::bin().args(&args).output().unwrap();
        common::assert_one_line_error(&result, needle);
        assert!(!out.exists());
    }
    let bad = common::bin().args(["run", &demo, "--weights", "cos"]).output().unwrap();
    common::assert_one_line_error(&bad, "--weights");
}
