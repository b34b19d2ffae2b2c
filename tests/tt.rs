//! End-to-end checks of `landclust run --reduce tt:R1,R2` on the 1-degree demo file.

mod common;

use common::{bin, demo_file};
use std::process::Output;

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn assert_one_line_error(out: &Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "expected failure; stderr: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "want one line, got: {stderr}");
    assert!(stderr.contains(needle), "stderr lacks {needle:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn tt_reduction_runs_and_reports_its_ranks() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("tt");
    let demo = demo_file().to_str().unwrap();
    let o = run(&[
        "run",
        demo,
        "--reduce",
        "tt:3,2",
        "--region",
        "africa",
        "--truth",
        "SurfaceClass",
        "--no-figures",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("metrics.json")).unwrap()).unwrap();
    assert_eq!(m["reduce"], "tt:3,2");
    let tt = &m["tt"];
    assert_eq!(tt["ranks"], serde_json::json!([3, 2]));
    let shape: Vec<u64> = tt["shape"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert_eq!(shape[2], 7);
    assert_eq!(
        tt["n_params"].as_u64().unwrap(),
        shape[0] * 3 + 3 * shape[1] * 2 + 2 * 7,
        "n_lat R1 + R1 n_lon R2 + R2 d"
    );
    let per_rank: Vec<f64> = tt["r2_per_rank"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(per_rank.len(), 2);
    assert!(
        per_rank[0] <= per_rank[1] + 1e-12 && per_rank[1] <= 1.0 && per_rank[0] > 0.5,
        "{per_rank:?}"
    );
    assert_eq!(m["reconstruction_r2"].as_f64().unwrap(), per_rank[1]);
    assert!(tt["iterations"].as_u64().unwrap() >= 1);
    assert!(m["ari"].as_f64().unwrap() > 0.0);
}

#[test]
fn bad_tt_spellings_are_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bad");
    let demo = demo_file().to_str().unwrap();
    for (spec, needle) in [
        (
            "tt:4",
            "option --reduce: 'tt:4': expected none, pca:N, vae:N (N >= 1), tt:R1,R2 or tt-cell:R1,R2",
        ),
        ("tt:0,2", "'tt:0,2'"),
        ("tt:a,b", "'tt:a,b'"),
        ("tt:4,9", "tt:4,9: R2 = 9 exceeds the 7 variables"),
        ("tt:500,2", "tt:500,2: R1 = 500 exceeds the 180 latitude rows"),
    ] {
        let o = run(&[
            "run",
            demo,
            "--reduce",
            spec,
            "--no-figures",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_one_line_error(&o, needle);
        assert!(!out.exists());
    }
}

#[test]
fn tt_tensor_over_the_memory_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("big");
    // Without TT the run plans about 408 MB; the dense 180 x 360 x 7 tensor adds about 20 MB.
    let o = run(&[
        "run",
        demo_file().to_str().unwrap(),
        "--reduce",
        "tt:3,2",
        "--max-memory",
        "415MB",
        "--no-figures",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_one_line_error(&o, "option --max-memory: this run needs");
    assert!(String::from_utf8_lossy(&o.stderr).contains("--region"));
    assert!(!out.exists());
}

/// The monthly demo (`synth --monthly`), written once for the tests of this file.
fn monthly_file() -> &'static std::path::Path {
    static MONTHLY: std::sync::OnceLock<(tempfile::TempDir, std::path::PathBuf)> = std::sync::OnceLock::new();
    let (_, path) = MONTHLY.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("monthly.nc");
        let o = bin().args(["synth", "--monthly", "--out"]).arg(&path).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        (dir, path)
    });
    path
}

const SERIES: &str = "NDVI[*],DHR565[*],DHR670[*],DHR865[*]";

fn metrics(dir: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("metrics.json")).unwrap()).unwrap()
}

fn run_monthly(reduce: &str, out: &std::path::Path) -> serde_json::Value {
    let o = run(&[
        "run",
        monthly_file().to_str().unwrap(),
        "--vars",
        SERIES,
        "--reduce",
        reduce,
        "--truth",
        "SurfaceClass",
        "--no-figures",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    metrics(out)
}

fn floats(v: &serde_json::Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()
}

#[test]
fn series_specs_expand_to_one_column_per_month() {
    let dir = tempfile::tempdir().unwrap();
    let m = run_monthly("none", &dir.path().join("none"));
    let vars: Vec<&str> = m["settings"]["vars"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(vars.len(), 4 * 12);
    assert_eq!(&vars[..3], ["NDVI[0]", "NDVI[1]", "NDVI[2]"]);
    assert_eq!(vars[47], "DHR865[11]");
}

/// With R2 = the 12 months, the month bond is not truncated and the (cell | variable month)
/// split is the truncated SVD of the centred z-scores: tt-cell:R1,12 is PCA-R1, to rounding.
/// With R2 < 12 the loadings are compressed: fewer parameters, R2 no higher.
#[test]
fn tt_cell_with_every_month_is_pca_and_smaller_ranks_compress_the_loadings() {
    let dir = tempfile::tempdir().unwrap();
    let pca = run_monthly("pca:3", &dir.path().join("pca"));
    let full = run_monthly("tt-cell:3,12", &dir.path().join("full"));
    let small = run_monthly("tt-cell:3,2", &dir.path().join("small"));
    let ratio = floats(&pca["pca_explained_variance_ratio"]);
    let cumulative: Vec<f64> = ratio
        .iter()
        .scan(0.0, |s, r| {
            *s += r;
            Some(*s)
        })
        .take(3)
        .collect();
    let per_rank = floats(&full["tt"]["r2_per_rank"]);
    for (a, b) in per_rank.iter().zip(&cumulative) {
        assert!(
            (a - b).abs() < 1e-9,
            "tt-cell:3,12 R2 per rank {per_rank:?} vs PCA {cumulative:?}"
        );
    }
    assert!((full["reconstruction_r2"].as_f64().unwrap() - pca["reconstruction_r2"].as_f64().unwrap()).abs() < 1e-9);
    // Same clustering: K-Means sees the same distances.
    assert!(
        (full["inertia"].as_f64().unwrap() - pca["inertia"].as_f64().unwrap()).abs()
            < 1e-6 * pca["inertia"].as_f64().unwrap()
    );
    assert_eq!(full["ari"], pca["ari"]);
    let shape: Vec<u64> = full["tt"]["shape"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    let n = pca["n_points"].as_u64().unwrap();
    assert_eq!(shape, [n, 4, 12]);
    assert_eq!(
        full["tt"]["modes"],
        "cell, variable (NDVI, DHR565, DHR670, DHR865), month"
    );
    // M R2 + R2 V R1 + R1 N
    assert_eq!(small["tt"]["n_params"].as_u64().unwrap(), 12 * 2 + 2 * 4 * 3 + 3 * n);
    assert_eq!(small["tt"]["ranks"], serde_json::json!([3, 2]));
    assert!(small["reconstruction_r2"].as_f64().unwrap() <= pca["reconstruction_r2"].as_f64().unwrap() + 1e-12);
    assert!(small["reconstruction_r2"].as_f64().unwrap() > 0.8);
}

#[test]
fn bad_series_are_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bad");
    let monthly = monthly_file().to_str().unwrap();
    let demo = demo_file().to_str().unwrap();
    for (file, vars, reduce, needle) in [
        (monthly, "NDVI", "none", "NDVI[*]"),
        (
            demo,
            "NDVI[*]",
            "none",
            "variable NDVI: has no extra dimension to expand",
        ),
        (
            monthly,
            "NDVI[*],DHR670[3]",
            "tt-cell:2,2",
            "variables NDVI and DHR670 have different entries",
        ),
        (
            monthly,
            "NDVI[0],NDVI[1],DHR670:mean",
            "tt-cell:2,2",
            "DHR670:mean is not an entry of a series",
        ),
        (
            monthly,
            "NDVI[*],DHR670[*]",
            "tt-cell:3,13",
            "R2 = 13 exceeds the 12 entries",
        ),
        (
            monthly,
            "NDVI[*],DHR670[*]",
            "tt-cell:5,2",
            "R1 = 5 exceeds R2 x 2 variables",
        ),
    ] {
        let o = run(&[
            "run",
            file,
            "--vars",
            vars,
            "--reduce",
            reduce,
            "--no-figures",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_one_line_error(&o, needle);
        assert!(!out.exists());
    }
}
