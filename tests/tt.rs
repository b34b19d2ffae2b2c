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
            "option --reduce: 'tt:4': expected none, pca:N, vae:N (N >= 1) or tt:R1,R2",
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
