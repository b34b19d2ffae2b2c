//! End-to-end tests of IDEC and DCSS through the binary: `run --method idec|dcss` (scores in the
//! learned embedding, same bits on 1 and 2 threads), one-line errors for bad options, and a tiny
//! `deep-mnist` run writing its table.

use std::process::Output;

mod common;
use common::{bin, demo_file};

fn run(args: &[&str], threads: usize) -> Output {
    bin()
        .env("RAYON_NUM_THREADS", threads.to_string())
        .args(args)
        .output()
        .unwrap()
}

fn metrics(dir: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("metrics.json")).unwrap()).unwrap()
}

#[test]
fn idec_and_dcss_runs_score_in_their_embedding_and_repeat_on_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    for method in ["idec", "dcss"] {
        let mut scores = Vec::new();
        for threads in [1, 2] {
            let out = dir.path().join(format!("{method}{threads}"));
            let args = [
                "-q",
                "run",
                demo_file().to_str().unwrap(),
                "--method",
                method,
                "--k",
                "4",
                "--pretrain-epochs",
                "2",
                "--maxiter",
                "30",
                "--update-interval",
                "10",
                "--no-figures",
                "--out",
                out.to_str().unwrap(),
            ];
            let o = run(&args, threads);
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            let m = metrics(&out);
            let space = m["score_space"].as_str().unwrap().to_string();
            assert!(space.starts_with(&format!("2-D {method} embedding")), "{space}");
            assert!(m["scores_in_standardized_space"].is_object(), "{m}");
            scores.push(m["silhouette"].as_f64().unwrap().to_bits());
        }
        assert_eq!(scores[0], scores[1], "{method}: 1 and 2 threads differ");
    }
}

#[test]
fn bad_deep_options_are_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bad");
    for (flag, value, needle) in [
        ("--gamma", "-1", "gamma"),
        ("--tol", "2", "tol"),
        ("--deep-arch", "8,x", "--deep-arch"),
        ("--update-interval", "0", "update-interval"),
    ] {
        let flag_value = format!("{flag}={value}");
        let args = [
            "run",
            demo_file().to_str().unwrap(),
            "--method",
            "idec",
            &flag_value,
            "--out",
            out.to_str().unwrap(),
        ];
        let o = run(&args, 2);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{flag}: expected failure");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{flag}: {stderr}");
        assert!(
            stderr.contains(needle) && !stderr.contains("panicked"),
            "{flag}: {stderr}"
        );
        assert!(!out.exists(), "{flag}: wrote output");
    }
}

#[test]
fn deep_mnist_writes_its_table() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("mnist");
    let args = [
        "-q",
        "deep-mnist",
        "--limit",
        "300",
        "--pretrain-epochs",
        "1",
        "--maxiter",
        "4",
        "--update-interval",
        "2",
        "--n-init",
        "2",
        "--out",
        out.to_str().unwrap(),
    ];
    let o = run(&args, 2);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = std::fs::read_to_string(out.join("results.csv")).unwrap();
    let methods: Vec<&str> = csv.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(methods, ["kmeans-pixels", "kmeans-ae", "idec", "dcss"]);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("results.json")).unwrap()).unwrap();
    assert_eq!(json["n"], 300);
    assert!(json["published"].as_array().unwrap().len() == 4);
    assert!(
        std::fs::read_to_string(out.join("updates.csv"))
            .unwrap()
            .lines()
            .count()
            > 2
    );
}
