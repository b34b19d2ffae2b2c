//! Area weights (`--weights area`) against scikit-learn and NumPy, and equal weights against
//! the unweighted code.
//!
//! Fixtures: tests/fixtures/weights.json, made by tests/reference/ref_weights.py, and
//! tests/fixtures/weights_methods.json (the weighted mini-batch step and the weighted Gaussian
//! mixture), made by tests/reference/ref_weights_methods.py.

mod common;

use landclust::cluster::gmm::{ComponentMatrices, GaussianMixtureParams};
use landclust::cluster::kmeans::KMeansParams;
use landclust::cluster::microward::MicroWardParams;
use landclust::cluster::minibatch::{MiniBatchKMeansParams, mini_batch_step_weighted};
use landclust::features::Standardizer;
use landclust::metrics;
use ndarray::{Array1, Array2, Array3};
use serde_json::Value;

fn fixture() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/weights.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn methods_fixture() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/weights_methods.json");
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
    // The clustered land area against the file's LandPercentage: the cluster areas of
    // metrics.json add up to the land of the clustered cells by LandPercentage (all land there),
    // and the land of the file by LandPercentage is that plus the land of the coastal cells.
    let cfg = landclust::pipeline::RunConfig::new(common::demo_file());
    let prepared = landclust::pipeline::run::analysis::prepare(&cfg).unwrap();
    let check = landclust::pipeline::commands::study_weights::land_area_check(&cfg, &prepared).unwrap();
    let clusters: f64 = area["area"]["cluster_km2"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .sum();
    assert!(close(clusters, check.clustered_km2, 1e-9), "{clusters} vs {check:?}");
    assert!(close(check.clustered_land_km2, check.clustered_km2, 1e-12), "{check:?}");
    assert_eq!(check.clustered_cells, area["n_selected"].as_u64().unwrap() as usize);
    // On the demo every cell that is all land is clustered (a missing cell misses
    // LandPercentage too), and the coasts hold the rest of the land.
    assert_eq!(check.full_land_cells, check.clustered_cells);
    assert!(
        close(check.land_km2, check.full_land_km2 + check.partial_land_km2, 1e-12),
        "{check:?}"
    );
    assert!(check.partial_land_km2 > 0.05 * check.land_km2, "{check:?}");
    // Below the Earth's 148.9 million km2 of land: LandPercentage is missing with the other
    // variables north of the demo's ragged 55-60 N edge.
    assert!(check.land_km2 > 100e6 && check.land_km2 < 148.9e6, "{check:?}");
    assert_eq!(none["settings"]["weights"], "none");
    assert_eq!(area["settings"]["weights"], "area");
    assert_ne!(none["inertia"], area["inertia"]);
    assert_ne!(none["silhouette"], area["silhouette"]);
    for (extra, needle) in [
        (vec!["--method", "idec"], "--method idec"),
        (vec!["--method", "ward", "--contiguous"], "--contiguous"),
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

#[test]
fn weighted_minibatch_step_matches_sklearn() {
    let f = &methods_fixture()["minibatch"];
    let (x, w) = (matrix(&f["x"]), vector(&f["weights"]));
    let mut centers = matrix(&f["init"]);
    let mut sums = vector(&f["weight_sums"]).to_vec();
    for (batch, want) in f["batches"]
        .as_array()
        .unwrap()
        .iter()
        .zip(f["steps"].as_array().unwrap())
    {
        let batch: Vec<usize> = serde_json::from_value(batch.clone()).unwrap();
        let inertia = mini_batch_step_weighted(x.view(), Some(w.view()), &batch, &mut centers, &mut sums).unwrap();
        let want_inertia = want["inertia"].as_f64().unwrap();
        assert!(
            close(inertia, want_inertia, 1e-12),
            "inertia {inertia} vs {want_inertia}"
        );
        for (got, want) in centers.iter().zip(matrix(&want["centers"]).iter()) {
            assert!((got - want).abs() <= 1e-12, "centre {got} vs {want}");
        }
        for (got, want) in sums.iter().zip(vector(&want["weight_sums"]).iter()) {
            assert!(
                (got - want).abs() <= 1e-12 * want.abs().max(1.0),
                "weight sum {got} vs {want}"
            );
        }
    }
    // The weights matter: unweighted, the same steps end elsewhere.
    let mut plain = matrix(&f["init"]);
    let mut counts = vector(&f["weight_sums"]).to_vec();
    for batch in f["batches"].as_array().unwrap() {
        let batch: Vec<usize> = serde_json::from_value(batch.clone()).unwrap();
        mini_batch_step_weighted(x.view(), None, &batch, &mut plain, &mut counts).unwrap();
    }
    assert!((&plain - &centers).iter().any(|v| v.abs() > 1e-3));
}

#[test]
fn unit_weights_give_the_unweighted_minibatch_and_micro_ward() {
    let f = &methods_fixture()["minibatch"];
    let x = matrix(&f["x"]);
    let ones = Array1::from_elem(x.nrows(), 1.0);
    // The weighted step itself (no shortcut) with weights 1 is the unweighted step, to the bit.
    let (mut a, mut b) = (matrix(&f["init"]), matrix(&f["init"]));
    let (mut sa, mut sb) = (vector(&f["weight_sums"]).to_vec(), vector(&f["weight_sums"]).to_vec());
    let batch: Vec<usize> = serde_json::from_value(f["batches"][0].clone()).unwrap();
    let ia = mini_batch_step_weighted(x.view(), None, &batch, &mut a, &mut sa).unwrap();
    let ib = mini_batch_step_weighted(x.view(), Some(ones.view()), &batch, &mut b, &mut sb).unwrap();
    assert_eq!((ia, &a, &sa), (ib, &b, &sb));
    let params = MiniBatchKMeansParams::new(3).batch_size(16).n_init(2);
    assert_eq!(
        params.fit(x.view()).unwrap(),
        params.fit_weighted(x.view(), Some(ones.view())).unwrap()
    );
    let micro = MicroWardParams::new().micro(12).batch_size(16);
    let (p, q) = (
        micro.fit(x.view()).unwrap(),
        micro.fit_weighted(x.view(), Some(ones.view())).unwrap(),
    );
    assert_eq!((p.labels, p.tree.linkage), (q.labels, q.tree.linkage));
}

/// Weighted micro-cluster Ward: cutting its tree into k clusters, the weighted within-cluster
/// sum of squares of the points, `sum_i w_i ||x_i - c_{l(i)}||^2` with weighted centroids,
/// equals that of the micro-clusters plus half the squared heights of the merges done
/// (Ward's height is `sqrt(2 x` the increase of that sum`)`): so the micro-clusters enter with
/// the sums of their cells' weights and their weighted centroids.
#[test]
fn weighted_micro_ward_heights_are_the_weighted_sum_of_squares() {
    let f = fixture();
    let (x, w) = (matrix(&f["x"]), vector(&f["weights"]));
    let fit = MicroWardParams::new()
        .micro(40)
        .batch_size(64)
        .fit_weighted(x.view(), Some(w.view()))
        .unwrap();
    assert!(!fit.exact);
    let wss = |labels: &[usize]| {
        let k = labels.iter().max().unwrap() + 1;
        let d = x.ncols();
        let mut sums = Array2::<f64>::zeros((k, d));
        let mut totals = vec![0.0; k];
        for ((row, &l), &wi) in x.outer_iter().zip(labels).zip(w.iter()) {
            totals[l] += wi;
            sums.row_mut(l).scaled_add(wi, &row);
        }
        x.outer_iter()
            .zip(labels)
            .zip(w.iter())
            .map(|((row, &l), &wi)| {
                wi * row
                    .iter()
                    .zip(sums.row(l))
                    .map(|(v, s)| (v - s / totals[l]).powi(2))
                    .sum::<f64>()
            })
            .sum::<f64>()
    };
    let within_micro = wss(&fit.labels);
    let m = fit.n_micro();
    for k in [2, 5, 12] {
        let merged: f64 = fit.tree.linkage[..m - k]
            .iter()
            .map(|r| r.height * r.height / 2.0)
            .sum();
        let got = wss(&fit.cut(k).unwrap());
        assert!(
            close(got, within_micro + merged, 1e-9),
            "k = {k}: {got} vs {}",
            within_micro + merged
        );
    }
    // The linkage's size column counts rows.
    assert_eq!(fit.tree.linkage.last().unwrap().size, x.nrows());
}

fn gmm_params(f: &Value) -> GaussianMixtureParams {
    let precisions = matrix(&Value::Array(
        f["precisions_init"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|m| m.as_array().unwrap().clone())
            .collect(),
    ));
    let k = f["weights_init"].as_array().unwrap().len();
    let d = precisions.ncols();
    let precisions = Array3::from_shape_vec((k, d, d), precisions.iter().copied().collect()).unwrap();
    GaussianMixtureParams::new(k)
        .tol(f["tol"].as_f64().unwrap())
        .max_iter(f["max_iter"].as_u64().unwrap() as usize)
        .weights_init(vector(&f["weights_init"]).to_vec())
        .means_init(matrix(&f["means_init"]))
        .precisions_init(ComponentMatrices::Full(precisions))
}

/// Weighted EM with integer weights is EM on the rows repeated `w_i` times: against
/// scikit-learn's `GaussianMixture` on the repeated rows and against landclust's own fit of
/// them, from the same initial parameters.
#[test]
fn weighted_gmm_is_the_fit_of_repeated_rows() {
    let f = &methods_fixture()["gmm"];
    let (x, w) = (matrix(&f["x"]), vector(&f["weights"]));
    let params = gmm_params(f);
    let weighted = params.fit_weighted(x.view(), Some(w.view())).unwrap();
    assert_eq!(weighted.n_iter(), f["n_iter"].as_u64().unwrap() as usize);
    let lb = f["lower_bound"].as_f64().unwrap();
    assert!(
        close(weighted.lower_bound(), lb, 1e-9),
        "{} vs {lb}",
        weighted.lower_bound()
    );
    for (got, want) in weighted.weights().iter().zip(vector(&f["mixing_weights"]).iter()) {
        assert!((got - want).abs() <= 1e-9, "weight {got} vs {want}");
    }
    for (got, want) in weighted.means().iter().zip(matrix(&f["means"]).iter()) {
        assert!((got - want).abs() <= 1e-9, "mean {got} vs {want}");
    }
    let ComponentMatrices::Full(cov) = weighted.covariances() else {
        panic!("full covariances expected")
    };
    let want_cov: Vec<f64> = f["covariances"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m.as_array().unwrap().iter().flat_map(|r| vector(r).to_vec()))
        .collect();
    for (got, want) in cov.iter().zip(&want_cov) {
        assert!((got - want).abs() <= 1e-9, "covariance {got} vs {want}");
    }
    // landclust's own unweighted fit of the repeated rows.
    let repeated: Vec<Vec<f64>> = x
        .outer_iter()
        .zip(w.iter())
        .flat_map(|(r, &wi)| std::iter::repeat_n(r.to_vec(), wi as usize))
        .collect();
    let repeated = Array2::from_shape_vec((repeated.len(), x.ncols()), repeated.concat()).unwrap();
    let plain = params.fit(repeated.view()).unwrap();
    assert_eq!(plain.n_iter(), weighted.n_iter());
    for (got, want) in weighted.means().iter().zip(plain.means().iter()) {
        assert!((got - want).abs() <= 1e-9, "mean {got} vs {want}");
    }
    // Unweighted on the rows once, the fit is another.
    let once = params.fit(x.view()).unwrap();
    assert!((&once.means() - &weighted.means()).iter().any(|v| v.abs() > 1e-3));
    // All weights 1: the unweighted fit, to the bit.
    let ones = Array1::from_elem(x.nrows(), 1.0);
    assert_eq!(once, params.fit_weighted(x.view(), Some(ones.view())).unwrap());
}

/// The forms that took no weights before now run with `--weights area` (on Africa, to stay
/// small): mini-batch K-Means (asked for, or switched to above --minibatch-above), micro-cluster
/// Ward above --ward-exact-max, the Gaussian mixture, and --k auto by the gap statistic and by
/// the mixture's BIC; each changes the fit against --weights none.
#[test]
fn weighted_forms_run_on_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let demo = common::demo_file().to_str().unwrap().to_string();
    let cases: [&[&str]; 6] = [
        &["--method", "minibatch-kmeans"],
        &["--minibatch-above", "1000"],
        &["--method", "ward", "--ward-exact-max", "2000"],
        &["--method", "gmm"],
        &["--k", "auto", "--k-max", "4", "--n-init", "2"],
        &[
            "--method", "gmm", "--k", "auto", "--k-rule", "bic", "--k-max", "4", "--n-init", "2",
        ],
    ];
    for (i, extra) in cases.iter().enumerate() {
        let run = |w: &str| {
            let out = dir.path().join(format!("{i}-{w}"));
            let mut args = vec![
                "run",
                demo.as_str(),
                "--region",
                "africa",
                "--weights",
                w,
                "--no-figures",
                "-q",
                "--out",
                out.to_str().unwrap(),
            ];
            args.extend_from_slice(extra);
            common::run_ok(&args, 2);
            common::metrics(&out)
        };
        let (none, area) = (run("none"), run("area"));
        assert_eq!(area["settings"]["weights"], "area", "{extra:?}");
        assert_ne!(none["silhouette"], area["silhouette"], "{extra:?}");
        if extra.contains(&"--ward-exact-max") {
            let notes = area["scale_notes"].to_string();
            assert!(notes.contains("sums of their cells' weights"), "{notes}");
        }
        if extra.contains(&"--minibatch-above") {
            let notes = area["scale_notes"].to_string();
            assert!(notes.contains("mini-batch"), "{notes}");
        }
    }
}
