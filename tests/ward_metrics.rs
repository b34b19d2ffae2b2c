//! Ward linkage and clustering scores against scipy / scikit-learn
//! (fixtures from tests/reference/ref_ward_metrics.py).
//!
//! Tolerances: merge heights 1e-9 relative (scipy updates a distance matrix with Lance-Williams,
//! we use centroids: equal in exact arithmetic); scores 1e-9 absolute + relative; sizes and cut
//! labels exact (labels up to renumbering).

use landclust::cluster::ward::WardParams;
use landclust::metrics;
use ndarray::Array2;
use serde_json::Value;
use std::collections::HashMap;

const TOL: f64 = 1e-9;

fn fixture() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ward_metrics.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("json")
}

fn matrix(v: &Value) -> Array2<f64> {
    let rows: Vec<Vec<f64>> = serde_json::from_value(v.clone()).expect("matrix");
    let (n, d) = (rows.len(), rows[0].len());
    Array2::from_shape_vec((n, d), rows.concat()).expect("shape")
}

fn usizes(v: &Value) -> Vec<usize> {
    serde_json::from_value(v.clone()).expect("labels")
}

fn close(a: f64, b: f64, what: &str) {
    assert!((a - b).abs() <= TOL * (1.0 + b.abs()), "{what}: {a} vs reference {b}");
}

/// Same partition: a one-to-one map between label values.
fn same_partition(a: &[usize], b: &[usize]) -> bool {
    let (mut ab, mut ba) = (HashMap::new(), HashMap::new());
    a.iter()
        .zip(b)
        .all(|(x, y)| *ab.entry(x).or_insert(y) == y && *ba.entry(y).or_insert(x) == x)
}

#[test]
fn ward_linkage_matches_scipy() {
    for case in fixture()["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let x = matrix(&case["x"]);
        let tree = WardParams::new().fit(x.view()).unwrap();
        let z: Vec<Vec<f64>> = serde_json::from_value(case["linkage"].clone()).unwrap();
        assert_eq!(tree.linkage.len(), z.len(), "{name}");
        for (row, zr) in tree.linkage.iter().zip(&z) {
            assert!(
                (row.height - zr[2]).abs() <= TOL * zr[2],
                "{name}: height {} vs {}",
                row.height,
                zr[2]
            );
            assert_eq!(row.size, zr[3] as usize, "{name}: size");
            assert_eq!(
                (row.left, row.right),
                (zr[0] as usize, zr[1] as usize),
                "{name}: merged ids"
            );
        }
        for (k, labels) in case["cuts"].as_object().unwrap() {
            let k: usize = k.parse().unwrap();
            let ours = tree.cut(k).unwrap();
            assert!(same_partition(&ours, &usizes(labels)), "{name}: cut k = {k}");
        }
        let n = x.nrows();
        assert!(tree.cut(0).is_err() && tree.cut(n + 1).is_err());
    }
}

#[test]
fn internal_scores_match_sklearn() {
    for case in fixture()["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let x = matrix(&case["x"]);
        for s in case["scores"].as_array().unwrap() {
            let what = format!("{name}/{}", s["labels_name"].as_str().unwrap());
            let labels = usizes(&s["labels"]);
            let f = |key: &str| s[key].as_f64().unwrap();
            close(metrics::silhouette(x.view(), &labels).unwrap(), f("silhouette"), &what);
            let samples = metrics::silhouette_samples(x.view(), &labels).unwrap();
            let reference: Vec<f64> = serde_json::from_value(s["silhouette_samples"].clone()).unwrap();
            samples.iter().zip(&reference).for_each(|(a, b)| close(*a, *b, &what));
            close(
                metrics::davies_bouldin(x.view(), &labels).unwrap(),
                f("davies_bouldin"),
                &what,
            );
            close(
                metrics::calinski_harabasz(x.view(), &labels).unwrap(),
                f("calinski_harabasz"),
                &what,
            );
        }
    }
}

#[test]
fn agreement_scores_match_sklearn() {
    for pair in fixture()["agreement"].as_array().unwrap() {
        let (a, b) = (usizes(&pair["a"]), usizes(&pair["b"]));
        close(
            metrics::adjusted_rand_index(&a, &b).unwrap(),
            pair["ari"].as_f64().unwrap(),
            "ARI",
        );
        close(
            metrics::normalized_mutual_info(&a, &b).unwrap(),
            pair["nmi"].as_f64().unwrap(),
            "NMI",
        );
        let table = metrics::contingency(&a, &b).unwrap();
        assert_eq!(table.sum(), a.len());
    }
}

#[test]
fn sampled_silhouette_brackets_the_exact_one() {
    let cases = fixture();
    let case = &cases["cases"][2];
    let x = matrix(&case["x"]);
    let s = &case["scores"][0];
    let labels = usizes(&s["labels"]);
    let (mean, se) = metrics::silhouette_sampled(x.view(), &labels, 150, 42).unwrap();
    let exact = s["silhouette"].as_f64().unwrap();
    assert!(se > 0.0 && (mean - exact).abs() < 4.0 * se, "{mean} +- {se} vs {exact}");
}
