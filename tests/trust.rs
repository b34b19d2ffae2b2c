//! User-reported bugs: each test here failed before its fix. `plot` on the folders of
//! `run`, `elbow` and `demo`, from another working directory; names normalized where parsed;
//! labels.csv checked on restore; `elbow` rejecting the options it does not use; `bench --only`
//! rejecting unknown names; `--k auto` saying which rule chose k.

use std::path::Path;
use std::process::Output;

mod common;
use common::{bin, demo_file};

/// Run the binary in `cwd`.
fn run_in(cwd: &Path, args: &[&str]) -> Output {
    bin()
        .current_dir(cwd)
        .env("RAYON_NUM_THREADS", "2")
        .args(args)
        .output()
        .unwrap()
}

fn assert_ok(out: &Output) {
    assert!(
        out.status.success(),
        "failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
}

/// Assert a failed command: exit code non-zero, exactly one stderr line containing every needle.
fn assert_error(out: &Output, needles: &[&str]) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "expected failure, got success; stderr: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "want one line, got: {stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "stderr lacks {needle:?}: {stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// A working folder holding a copy of the demo file as `demo.nc` (so paths can be relative).
fn workdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(demo_file(), dir.path().join("demo.nc")).unwrap();
    dir
}

#[test]
fn plot_works_on_run_elbow_and_demo_folders_from_another_directory() {
    let work = workdir();
    let elsewhere = tempfile::tempdir().unwrap();
    let w = work.path();
    assert_ok(&run_in(
        w,
        &[
            "run",
            "demo.nc",
            "--k",
            "4",
            "--n-init",
            "2",
            "--no-figures",
            "--out",
            "out-run",
        ],
    ));
    assert_ok(&run_in(
        w,
        &[
            "elbow",
            "demo.nc",
            "--k-max",
            "4",
            "--n-init",
            "2",
            "--no-figures",
            "--out",
            "out-elbow",
        ],
    ));
    assert_ok(&run_in(w, &["demo", "--epochs", "0", "--out", "out-demo"]));
    // The demo records (and its report states) that its deep parts ran with the quick training.
    let marker: serde_json::Value =
        serde_json::from_slice(&std::fs::read(w.join("out-demo/demo.json")).unwrap()).unwrap();
    assert_eq!(marker["training"], "quick", "{marker}");
    assert!(marker["training_note"].as_str().unwrap().contains("--full"), "{marker}");
    for folder in [
        "out-run",
        "out-elbow",
        "out-demo",
        "out-demo/kmeans",
        "out-demo/ward",
        "out-demo/pca3-kmeans",
    ] {
        let dir = w.join(folder);
        let o = run_in(elsewhere.path(), &["plot", dir.to_str().unwrap()]);
        assert_ok(&o);
    }
    assert!(w.join("out-elbow/elbow.png").exists());
    assert!(w.join("out-run/report.html").exists());
    // The demo's report is still the demo's (every method compared), not one run's.
    let report = std::fs::read_to_string(w.join("out-demo/report.html")).unwrap();
    assert!(
        report.contains("landclust demo --full"),
        "the redrawn report lost the training note"
    );
    assert!(
        report.contains("Comparison of methods"),
        "demo report lost its comparison"
    );
    // The area-weights part is redrawn from its area_weights.json.
    assert!(w.join("out-demo/area_weights.json").exists());
    assert!(
        report.contains("Area weights"),
        "demo report lost its area-weights part"
    );
    // No staging path is recorded anywhere.
    let metrics = std::fs::read_to_string(w.join("out-demo/metrics.json")).unwrap();
    assert!(!metrics.contains(".partial-"), "staging path recorded: {metrics}");
}

#[test]
fn names_are_normalized_where_they_are_parsed() {
    let work = workdir();
    let w = work.path();
    std::fs::write(
        w.join("settings.toml"),
        "vars = [\" NDVI\", \"DHR443 \", \"DHR865\"]\ntruth = \" SurfaceClass\"\nk = 3\nn-init = 2\nfigures = false\nout = \"out-names\"\n",
    )
    .unwrap();
    let o = run_in(w, &["run", "demo.nc", "--config", "settings.toml"]);
    assert_ok(&o);
    let metrics = std::fs::read_to_string(w.join("out-names/metrics.json")).unwrap();
    let m: serde_json::Value = serde_json::from_str(&metrics).unwrap();
    assert_eq!(m["settings"]["vars"], serde_json::json!(["NDVI", "DHR443", "DHR865"]));
    assert_eq!(m["settings"]["truth"], "SurfaceClass");
    // The same on the command line, with a spaced index spelling refused only for a real reason.
    let o = run_in(
        w,
        &[
            "run",
            "demo.nc",
            "--vars",
            " NDVI, DHR443",
            "--k",
            "3",
            "--n-init",
            "2",
            "--no-figures",
            "--out",
            "out-flags",
        ],
    );
    assert_ok(&o);
}

#[test]
fn plot_rejects_an_edited_label_with_one_line() {
    let work = workdir();
    let w = work.path();
    assert_ok(&run_in(
        w,
        &[
            "run",
            "demo.nc",
            "--k",
            "3",
            "--n-init",
            "2",
            "--no-figures",
            "--out",
            "out",
        ],
    ));
    let path = w.join("out/labels.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let (head, _) = lines[5].rsplit_once(',').unwrap();
    lines[5] = format!("{head},7");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let o = run_in(w, &["plot", "out"]);
    assert_error(&o, &["labels.csv", "line 6", "7"]);
}

#[test]
fn elbow_rejects_options_it_does_not_use() {
    let work = workdir();
    let w = work.path();
    for (flag, value) in [("--method", "ward"), ("--k", "5"), ("--truth", "SurfaceClass")] {
        let o = run_in(
            w,
            &[
                "elbow",
                "demo.nc",
                "--k-max",
                "3",
                flag,
                value,
                "--no-figures",
                "--out",
                "e",
            ],
        );
        assert_error(&o, &[flag, "elbow"]);
        assert!(!w.join("e").exists());
    }
}

#[test]
fn bench_only_rejects_unknown_names() {
    let work = workdir();
    let o = run_in(work.path(), &["bench", "--only", "kmeans,wrad"]);
    assert_error(&o, &["wrad", "load", "kmeans", "elbow", "ward", "silhouette", "vae"]);
}

#[test]
fn k_auto_names_its_rule_and_never_defaults_silently() {
    let work = workdir();
    let w = work.path();
    // NDVI alone: the gap statistic finds a k (2); stderr says so when elbow or silhouette differ.
    let args = [
        "run",
        "demo.nc",
        "--vars",
        "NDVI",
        "--k",
        "auto",
        "--k-max",
        "8",
        "--n-init",
        "2",
        "--no-figures",
    ];
    let o = run_in(w, &[&args[..], &["--out", "auto"]].concat());
    assert_ok(&o);
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(w.join("auto/metrics.json")).unwrap()).unwrap();
    let choice = &m["k_choice"];
    assert_eq!(choice["rule"], "gap", "{m}");
    assert_eq!(choice["k"], m["k"]);
    assert_eq!(choice["gap_k"], m["k"]);
    for key in ["elbow_k", "silhouette_k", "n_refs"] {
        assert!(!choice[key].is_null(), "k_choice lacks {key}: {choice}");
    }
    assert!(w.join("auto/gap.csv").exists() && w.join("auto/elbow.csv").exists());
    let elbow = std::fs::read_to_string(w.join("auto/elbow.csv")).unwrap();
    let first = elbow.lines().nth(1).unwrap();
    assert!(
        first.starts_with("1,") && first.contains(",,"),
        "silhouette at k = 1 must be empty: {elbow}"
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    let disagree = choice["elbow_k"] != choice["k"] || choice["silhouette_k"] != choice["k"];
    assert_eq!(disagree, stderr.contains("gap chose"), "{choice}: {stderr}");
    // The 7 study variables: the gap still rises at k = 6 -> the elbow knee takes over, and
    // the run says so on stderr and in metrics.json: never a silent k.
    let o = run_in(
        w,
        &[
            "run",
            "demo.nc",
            "--k",
            "auto",
            "--k-max",
            "6",
            "--n-init",
            "1",
            "--no-figures",
            "--out",
            "auto7",
        ],
    );
    assert_ok(&o);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("gap statistic has no first SE maximum up to k = 6"),
        "{stderr}"
    );
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(w.join("auto7/metrics.json")).unwrap()).unwrap();
    let choice = &m["k_choice"];
    assert!(choice["gap_k"].is_null(), "{choice}");
    let rule = choice["rule"].as_str().unwrap();
    assert!(rule.contains("still rises"), "{rule}");
    let expected = if rule.starts_with("elbow") {
        &choice["elbow_k"]
    } else {
        &choice["silhouette_k"]
    };
    assert_eq!(&choice["k"], expected, "{choice}");
    assert_eq!(m["k"], choice["k"]);
}

#[test]
fn vae_runs_report_active_dimensions_and_kl_per_dimension() {
    let work = workdir();
    let w = work.path();
    let o = run_in(
        w,
        &[
            "run",
            "demo.nc",
            "--reduce",
            "vae:3",
            "--epochs",
            "3",
            "--k",
            "3",
            "--n-init",
            "1",
            "--no-figures",
            "--out",
            "vae",
        ],
    );
    assert_ok(&o);
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(w.join("vae/metrics.json")).unwrap()).unwrap();
    let active = m["vae_active_dims"].as_u64().expect("vae_active_dims") as usize;
    let a = &m["vae_latent_activity"];
    assert_eq!(a["threshold"], 0.01);
    let var: Vec<f64> = serde_json::from_value(a["mean_variance"].clone()).unwrap();
    let kl: Vec<f64> = serde_json::from_value(a["kl_per_dim"].clone()).unwrap();
    assert_eq!((var.len(), kl.len()), (3, 3));
    assert_eq!(active, var.iter().filter(|&&v| v > 0.01).count());
    assert!(kl.iter().all(|&k| k >= -1e-9), "{kl:?}");
}

#[test]
fn kmeans_runs_write_per_cell_margins_and_silhouettes() {
    let work = workdir();
    let w = work.path();
    assert_ok(&run_in(
        w,
        &[
            "run",
            "demo.nc",
            "--k",
            "4",
            "--n-init",
            "2",
            "--no-figures",
            "--out",
            "km",
        ],
    ));
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(w.join("km/metrics.json")).unwrap()).unwrap();
    let text = std::fs::read_to_string(w.join("km/margin.csv")).unwrap();
    assert!(text.starts_with("row,col,cluster,own_distance,other_distance,margin,silhouette\n"));
    let rows: Vec<Vec<f64>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
        .collect();
    assert_eq!(rows.len() as u64, m["n_points"].as_u64().unwrap());
    let mean_silhouette = rows.iter().map(|r| r[6]).sum::<f64>() / rows.len() as f64;
    assert!((mean_silhouette - m["silhouette"].as_f64().unwrap()).abs() < 1e-9);
    // K-Means labels sit with their nearest centre (up to the last Lloyd step): margins >= 0 nearly everywhere.
    let negative = rows.iter().filter(|r| r[5] < 0.0).count();
    assert!(negative * 100 < rows.len(), "{negative} negative margins");
    // labels.csv keeps its five columns (plot reads it back).
    let labels = std::fs::read_to_string(w.join("km/labels.csv")).unwrap();
    assert!(labels.starts_with("row,col,lat,lon,cluster\n"));
}
