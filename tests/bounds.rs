//! Bounds on the number of clusters, checked before any work: `--k` and `--k-max` at most 255
//! (labels.tif holds 8-bit classes, 255 is NoData), and a sweep over k lowered, with a note, to
//! ten cells per cluster on average.

use std::process::Output;

mod common;
use common::{bin, demo_file};

fn landclust(args: &[&str], threads: usize) -> Output {
    let out = bin()
        .env("RAYON_NUM_THREADS", threads.to_string())
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn k_and_k_max_are_bounded_before_any_work() {
    let file = demo_file().to_str().unwrap();
    for (args, expect) in [
        (
            vec!["run", file, "--k", "auto", "--k-max", "1000000"],
            "option --k-max: 1000000: at most 255",
        ),
        (
            vec!["elbow", file, "--k-max", "1000000"],
            "option --k-max: 1000000: at most 255",
        ),
        (vec!["run", file, "--k", "256"], "option --k: 256: at most 255"),
    ] {
        let mut all = args.clone();
        all.extend(["--out", "/nonexistent/never"]);
        let out = bin().args(&all).output().unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains(expect), "{err}");
    }
    // Within 255 but more than the cells allow: lowered to ten cells per cluster, said on stderr.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("e");
    let o = landclust(
        &[
            "elbow",
            file,
            "--region",
            "10,12,0,4",
            "--k-max",
            "200",
            "--n-init",
            "1",
            "--no-figures",
            "--out",
            out.to_str().unwrap(),
        ],
        2,
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--k-max 200 lowered to"), "{err}");
    let rows = std::fs::read_to_string(out.join("elbow.csv")).unwrap().lines().count() - 1;
    assert!(rows < 200, "{rows} rows");
}
