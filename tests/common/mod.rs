//! Helpers shared by the end-to-end tests of the `landclust` binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The binary under test.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_landclust"))
}

/// The 1-degree demo file, written once for all tests of one test binary.
pub fn demo_file() -> &'static Path {
    static DEMO: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = DEMO.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.nc");
        let out = bin().args(["synth", "--out"]).arg(&path).output().unwrap();
        assert!(
            out.status.success(),
            "synth failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        (dir, path)
    });
    path
}

/// Run the binary on `threads` rayon threads and assert it succeeded.
pub fn run_ok(args: &[&str], threads: usize) -> std::process::Output {
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

/// The `metrics.json` of an output folder.
pub fn metrics(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("metrics.json")).unwrap()).unwrap()
}

/// Assert a failed command: a non-zero exit and exactly one stderr line containing `needle`.
pub fn assert_one_line_error(out: &std::process::Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "expected failure; stderr: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "want one line, got: {stderr}");
    assert!(stderr.contains(needle), "stderr lacks {needle:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// labels.csv of an output folder as `(row, col) -> cluster`, columns found by name.
pub fn labels_by_cell(dir: &Path) -> std::collections::HashMap<(usize, usize), usize> {
    label_rows(&std::fs::read_to_string(dir.join("labels.csv")).unwrap())
        .into_iter()
        .map(|(r, c, _, _, k)| ((r, c), k))
        .collect()
}

/// `(row, col, lat, lon, cluster)` of each line of a labels.csv text, columns found by name.
pub fn label_rows(csv: &str) -> Vec<(usize, usize, f64, f64, usize)> {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("labels.csv has no column {name}: {header:?}"))
    };
    let (r, c, lat, lon, k) = (at("row"), at("col"), at("lat"), at("lon"), at("cluster"));
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                f[r].parse().unwrap(),
                f[c].parse().unwrap(),
                f[lat].parse().unwrap(),
                f[lon].parse().unwrap(),
                f[k].parse().unwrap(),
            )
        })
        .collect()
}
