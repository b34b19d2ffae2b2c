//! Bounds on the number of clusters, checked before any work: `--k` and `--k-max` at most 255
//! (labels.tif holds 8-bit classes, 255 is NoData), and a sweep over k lowered, with a note, to
//! ten cells per cluster on average.

mod common;
use common::{assert_one_line_error, bin, demo_file, run_ok};

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
        assert_one_line_error(&bin().args(&all).output().unwrap(), expect);
    }
    // Within 255 but more than the cells allow: lowered to ten cells per cluster, said on stderr.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("e");
    let o = run_ok(
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
