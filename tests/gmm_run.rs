//! `--method gmm` end to end through the binary, on the 1-degree demo file: the run completes
//! with scores, a membership map (labels.csv column, labels.nc variable, membership.tif) and the
//! mixture's log-likelihood, BIC and AIC in metrics.json; the same bits on 1 and 2 threads; every
//! clustering space; `stability` takes the membership as its confidence map; `elbow` and
//! `--k auto --k-rule bic` sweep the criteria over k. The numerics of the mixture itself are
//! checked against scikit-learn in tests/gmm.rs.

mod common;
use common::{assert_one_line_error, bin, demo_file, metrics, run_ok};

#[test]
fn gmm_on_the_demo_file_writes_scores_membership_and_criteria_with_the_same_bits_on_1_and_2_threads() {
    let dir = tempfile::tempdir().unwrap();
    let file = demo_file().to_str().unwrap();
    let mut runs = Vec::new();
    for threads in [1, 2] {
        let out = dir.path().join(format!("gmm{threads}"));
        let o = out.to_str().unwrap();
        run_ok(
            &[
                "run",
                file,
                "--method",
                "gmm",
                "--k",
                "6",
                "--n-init",
                "2",
                "--no-figures",
                "--out",
                o,
            ],
            threads,
        );
        runs.push(out);
    }
    let m = metrics(&runs[0]);
    let d = &m["method_diagnostics"];
    let (ll, bic, aic, p) = (
        d["log_likelihood"].as_f64().unwrap(),
        d["bic"].as_f64().unwrap(),
        d["aic"].as_f64().unwrap(),
        d["n_parameters"].as_f64().unwrap(),
    );
    let n = m["n_points"].as_f64().unwrap();
    // 6 components in 7 dimensions with full covariances: 6*28 + 6*7 + 5 free parameters.
    assert_eq!(p, 215.0);
    assert!(
        (bic - (-2.0 * ll + p * n.ln())).abs() <= 1e-9 * bic.abs(),
        "BIC {bic} vs ll {ll}"
    );
    assert!(
        (aic - (-2.0 * ll + 2.0 * p)).abs() <= 1e-9 * aic.abs(),
        "AIC {aic} vs ll {ll}"
    );
    let s = m["silhouette"].as_f64();
    assert!(
        s.is_some_and(|s| s > 0.0 && s < 1.0),
        "silhouette missing or out of range: {m}"
    );
    let mean = m["membership_mean"].as_f64().unwrap();
    assert!(mean > 1.0 / 6.0 && mean <= 1.0, "membership mean {mean}");

    let labels = std::fs::read_to_string(runs[0].join("labels.csv")).unwrap();
    let header: Vec<&str> = labels.lines().next().unwrap().split(',').collect();
    let col = header
        .iter()
        .position(|h| *h == "membership")
        .expect("membership column");
    for line in labels.lines().skip(1) {
        let v: f64 = line.split(',').nth(col).unwrap().parse().unwrap();
        // The largest of 6 posterior probabilities is at least 1/6.
        assert!((1.0 / 6.0 - 1e-12..=1.0 + 1e-12).contains(&v), "membership {v}");
    }
    assert!(runs[0].join("membership.tif").exists());
    let nc = std::fs::read(runs[0].join("labels.nc")).unwrap();
    assert!(
        nc.windows(10).any(|w| w == b"membership"),
        "labels.nc has no membership variable"
    );

    for name in ["labels.csv", "centers.csv", "labels.nc", "membership.tif"] {
        assert_eq!(
            std::fs::read(runs[0].join(name)).unwrap(),
            std::fs::read(runs[1].join(name)).unwrap(),
            "{name} differs between 1 and 2 threads"
        );
    }
    let (a, b) = (metrics(&runs[0]), metrics(&runs[1]));
    assert_eq!(a["method_diagnostics"], b["method_diagnostics"]);
    for key in ["silhouette", "davies_bouldin", "calinski_harabasz", "membership_mean"] {
        assert!(a[key].is_number(), "{key} missing");
        assert_eq!(a[key], b[key], "{key} differs between 1 and 2 threads");
    }
}

#[test]
fn gmm_runs_in_every_space() {
    let dir = tempfile::tempdir().unwrap();
    let file = demo_file().to_str().unwrap();
    for (tag, extra) in [
        ("pca", vec!["--reduce", "pca:3"]),
        ("tt", vec!["--reduce", "tt:36,3"]),
        ("vae", vec!["--reduce", "vae:2", "--epochs", "2"]),
        ("diag", vec!["--gmm-covariance", "diag"]),
    ] {
        let out = dir.path().join(tag);
        let mut args = vec![
            "run",
            file,
            "--method",
            "gmm",
            "--k",
            "4",
            "--n-init",
            "1",
            "--no-figures",
        ];
        args.extend(extra);
        args.extend(["--out", out.to_str().unwrap()]);
        run_ok(&args, 2);
        let m = metrics(&out);
        let d = &m["method_diagnostics"];
        assert!(d["bic"].as_f64().is_some_and(f64::is_finite), "{tag}: {m}");
        assert!(m["membership_mean"].as_f64().is_some(), "{tag}: no membership");
        if tag == "diag" {
            // Diagonal covariances: 4*7 variances + 4*7 means + 3 weights.
            assert_eq!(d["n_parameters"].as_f64(), Some(59.0));
            assert_eq!(m["settings"]["gmm_covariance"], "diag");
        }
    }
}

#[test]
fn stability_uses_the_membership_as_confidence() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("st");
    let file = demo_file().to_str().unwrap();
    run_ok(
        &[
            "stability",
            file,
            "--method",
            "gmm",
            "--k",
            "3..4",
            "--runs",
            "2",
            "--n-init",
            "1",
            "--confidence-k",
            "3",
            "--no-figures",
            "--out",
            out.to_str().unwrap(),
        ],
        2,
    );
    let m = metrics(&out);
    assert_eq!(m["confidence_source"], "membership", "{m}");
    let conf = std::fs::read_to_string(out.join("confidence.csv")).unwrap();
    assert!(conf.lines().count() > 1000);
}

#[test]
fn elbow_and_k_rule_sweep_bic_and_aic() {
    let dir = tempfile::tempdir().unwrap();
    let file = demo_file().to_str().unwrap();
    let out = dir.path().join("elbow");
    run_ok(
        &[
            "elbow",
            file,
            "--method",
            "gmm",
            "--k-max",
            "5",
            "--n-init",
            "1",
            "--no-figures",
            "--out",
            out.to_str().unwrap(),
        ],
        2,
    );
    let csv = std::fs::read_to_string(out.join("elbow.csv")).unwrap();
    assert!(csv.starts_with("k,wcss,silhouette,knee,bic,aic\n"), "{csv}");
    let bic: Vec<f64> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(4).unwrap().parse().unwrap())
        .collect();
    assert_eq!(bic.len(), 5);

    let run = dir.path().join("auto");
    run_ok(
        &[
            "run",
            file,
            "--method",
            "gmm",
            "--k",
            "auto",
            "--k-rule",
            "bic",
            "--k-max",
            "5",
            "--n-init",
            "1",
            "--no-figures",
            "--out",
            run.to_str().unwrap(),
        ],
        2,
    );
    let m = metrics(&run);
    let choice = &m["k_choice"];
    assert_eq!(choice["rule"], "bic");
    // The chosen k is the one of the smallest BIC in the sweep written beside it.
    let rows: Vec<(usize, f64)> = std::fs::read_to_string(run.join("elbow.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].parse().unwrap(), f[4].parse().unwrap())
        })
        .collect();
    let best = rows.iter().fold(rows[0], |b, &r| if r.1 < b.1 { r } else { b }).0;
    assert_eq!(choice["k"].as_u64(), Some(best as u64));
    assert_eq!(choice["bic_k"].as_u64(), Some(best as u64));
}

#[test]
fn bad_gmm_options_are_one_line_errors() {
    let file = demo_file().to_str().unwrap();
    for (args, expect) in [
        (vec!["--gmm-covariance", "tied"], "--gmm-covariance"),
        (vec!["--k-rule", "dic"], "--k-rule"),
        (vec!["--gmm-fit-max", "1"], "--gmm-fit-max"),
    ] {
        let mut all = vec!["run", file, "--method", "gmm", "--out", "/nonexistent/never"];
        all.extend(args);
        assert_one_line_error(&bin().args(&all).output().unwrap(), expect);
    }
}
