//! End-to-end tests of the `landclust` binary: outputs of `run`, determinism across thread
//! counts, and one clear error line (non-zero exit, no output files) for each kind of bad input.

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

/// Assert a failed command: exit code non-zero, exactly one stderr line containing `needle`.
fn assert_error(out: &Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "expected failure, got success; stderr: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "want one line, got: {stderr}");
    assert!(stderr.contains(needle), "stderr lacks {needle:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn inspect_shows_grasp_layout() {
    let out = run(&["inspect", demo_file().to_str().unwrap()], 2);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    for name in ["Latitude", "Longitude", "NDVI", "DHR1020", "LandPercentage"] {
        assert!(text.contains(name), "inspect lacks {name}:\n{text}");
    }
    let json = run(&["inspect", "--json", demo_file().to_str().unwrap()], 2);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(value.is_object());
}

#[test]
fn run_writes_every_output_and_is_deterministic_across_threads() {
    let dir = tempfile::tempdir().unwrap();
    let file = demo_file().to_str().unwrap();
    let mut labels = Vec::new();
    for threads in [1, 2] {
        let out_dir = dir.path().join(format!("out{threads}"));
        let o = run(
            &[
                "run",
                file,
                "--k",
                "5",
                "--n-init",
                "3",
                "--truth",
                "SurfaceClass",
                "--no-figures",
                "--out",
                out_dir.to_str().unwrap(),
            ],
            threads,
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        for f in ["labels.csv", "labels.nc", "metrics.json", "centers.csv"] {
            assert!(out_dir.join(f).exists(), "{f} missing");
        }
        let metrics: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out_dir.join("metrics.json")).unwrap()).unwrap();
        for key in [
            "n_points",
            "k",
            "method",
            "silhouette",
            "davies_bouldin",
            "calinski_harabasz",
            "inertia",
            "ari",
            "nmi",
            "settings",
        ] {
            assert!(!metrics[key].is_null(), "metrics.json lacks {key}");
        }
        assert_eq!(metrics["k"], 5);
        let csv = std::fs::read_to_string(out_dir.join("labels.csv")).unwrap();
        assert!(csv.starts_with("row,col,lat,lon,cluster\n"));
        assert_eq!(csv.lines().count() as u64 - 1, metrics["n_points"].as_u64().unwrap());
        labels.push((
            csv,
            metrics["silhouette"].as_f64().unwrap(),
            metrics["inertia"].as_f64().unwrap(),
        ));
    }
    assert_eq!(labels[0].0, labels[1].0, "labels differ between 1 and 2 threads");
    assert_eq!(labels[0].1.to_bits(), labels[1].1.to_bits());
    assert_eq!(labels[0].2.to_bits(), labels[1].2.to_bits());
}

#[test]
fn bad_files_give_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.nc");
    assert_error(&run(&["inspect", missing.to_str().unwrap()], 2), "nope.nc");
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "hello, this is not netCDF\n").unwrap();
    assert_error(&run(&["inspect", text.to_str().unwrap()], 2), "not a netCDF file");
    let bytes = std::fs::read(demo_file()).unwrap();
    let truncated = dir.path().join("truncated.nc");
    std::fs::write(&truncated, &bytes[..bytes.len() / 3]).unwrap();
    let out_dir = dir.path().join("out");
    let o = run(
        &["run", truncated.to_str().unwrap(), "--out", out_dir.to_str().unwrap()],
        2,
    );
    assert_error(&o, "truncated.nc");
    assert!(!out_dir.exists());
    // `plot` on a folder of another command (here `encode`) names that command.
    let other = dir.path().join("encoded");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("metrics.json"), r#"{"command": "encode", "n_encoded": 3}"#).unwrap();
    assert_error(
        &run(&["plot", other.to_str().unwrap()], 2),
        "written by `landclust encode`",
    );
}

#[test]
fn bad_options_give_one_line_errors_and_no_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let file = demo_file().to_str().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["--vars", "NDVI,DHR666"], "DHR666"),
        (&["--vars", "NDVI,Latitude,Wavelength"], "Wavelength"),
        (&["--k", "0"], "k = 0"),
        (&["--k", "1000000"], "at most 255"),
        (&["--k", "200", "--region", "10,12,0,4"], "exceeds"),
        (&["--reduce", "pca:9"], "pca:9"),
        (&["--select", "land:101"], "no cell"),
        (&["--truth", "NDVI"], "not integer-like"),
        (&["--method", "dbscan"], "--method"),
    ];
    for (i, (extra, needle)) in cases.iter().enumerate() {
        let out_dir = dir.path().join(format!("out{i}"));
        let mut args = vec![
            "run",
            file,
            "--no-figures",
            "--n-init",
            "1",
            "--out",
            out_dir.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        assert_error(&run(&args, 2), needle);
        assert!(!out_dir.exists(), "{extra:?} left {out_dir:?}");
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "a staging folder was left behind"
    );
}

#[test]
fn unknown_variable_suggests_close_names() {
    let out = run(
        &["run", demo_file().to_str().unwrap(), "--vars", "NDVl", "--no-figures"],
        2,
    );
    assert_error(&out, "NDVI");
}

#[test]
fn file_without_land_cells_is_a_clear_error() {
    use landclust::io::netcdf::write::{NcFormat, OutData, OutVar, write_nc};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ocean.nc");
    let (nr, nc) = (4usize, 8usize);
    let lat: Vec<f32> = (0..nr * nc).map(|i| 67.5 - 45.0 * (i / nc) as f32).collect();
    let lon: Vec<f32> = (0..nr * nc).map(|i| -157.5 + 45.0 * (i % nc) as f32).collect();
    let land = vec![0.0f32; nr * nc];
    let ndvi = vec![0.1f32; nr * nc];
    let vars = [
        OutVar::new("Latitude", &["y", "x"], OutData::F32(&lat)),
        OutVar::new("Longitude", &["y", "x"], OutData::F32(&lon)),
        OutVar::new("LandPercentage", &["y", "x"], OutData::F32(&land)),
        OutVar::new("NDVI", &["y", "x"], OutData::F32(&ndvi)),
    ];
    write_nc(&path, NcFormat::Netcdf4, &[("y", nr), ("x", nc)], &vars, &[]).unwrap();
    let out_dir = dir.path().join("out");
    let o = run(
        &[
            "run",
            path.to_str().unwrap(),
            "--vars",
            "NDVI",
            "--out",
            out_dir.to_str().unwrap(),
        ],
        2,
    );
    assert_error(&o, "no cell is selected");
    assert!(!out_dir.exists());
}

#[test]
fn vae_run_draws_training_and_latent_figures() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("vae");
    let args = [
        "-q",
        "run",
        demo_file().to_str().unwrap(),
        "--reduce",
        "vae:2",
        "--epochs",
        "3",
        "--k",
        "4",
    ];
    let o = run(&[&args[..], &["--out", out.to_str().unwrap()]].concat(), 2);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    for name in [
        "vae_training.png",
        "vae_r2.png",
        "vae_mu_hist.png",
        "vae_mu_epochs.png",
        "vae_logvar_epochs.png",
        "vae_gradient.png",
        "vae_distances.png",
        "vae_density.png",
    ] {
        let bytes = std::fs::read(out.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() > 5_000, "{name}");
    }
    // Figures 19-20: one curve per chosen epoch, with their captions in the report.
    assert!(report.contains("TensorBoard view, Fig. 19") && report.contains("TensorBoard view, Fig. 20"));
}

#[test]
fn a_run_that_cannot_fit_is_refused_before_reading_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("big");
    let demo = demo_file().to_str().unwrap();
    // `all` is counted without reading anything: 64,800 cells x ~300 bytes is over 1 MB.
    let o = run(
        &[
            "run",
            demo,
            "--select",
            "all",
            "--max-memory",
            "1MB",
            "--out",
            out_dir.to_str().unwrap(),
        ],
        2,
    );
    assert_error(&o, "option --max-memory: this run needs");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("64800 selected cells") && stderr.contains("--region"),
        "{stderr}"
    );
    assert!(!out_dir.exists());
    // With the land mask the count is a lower bound as soon as it passes the limit.
    let o = run(
        &["run", demo, "--max-memory", "401MB", "--out", out_dir.to_str().unwrap()],
        2,
    );
    assert_error(&o, "option --max-memory");
    assert!(!out_dir.exists());
    let o = run(
        &["run", demo, "--max-memory", "lots", "--out", out_dir.to_str().unwrap()],
        2,
    );
    assert_error(&o, "option --max-memory: 'lots'");
}

#[test]
fn region_reads_only_its_cells_and_scale_switches_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("africa");
    let demo = demo_file().to_str().unwrap();
    let args = [
        "-q",
        "run",
        demo,
        "--region",
        "africa",
        "--k",
        "4",
        "--silhouette-exact-max",
        "1000",
        "--silhouette-sample",
        "500",
        "--no-figures",
        "--out",
        out.to_str().unwrap(),
    ];
    let o = run(&args, 2);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("metrics.json")).unwrap()).unwrap();
    let n = m["n_points"].as_u64().unwrap();
    assert!(n > 1000 && n < 10_000, "{n} cells in Africa");
    assert_eq!(m["silhouette_sample_size"].as_u64(), Some(500));
    assert!(m["silhouette_std_error"].as_f64().unwrap() > 0.0);
    let labels = std::fs::read_to_string(out.join("labels.csv")).unwrap();
    for line in labels.lines().skip(1) {
        let f: Vec<f64> = line.split(',').map(|x| x.parse().unwrap()).collect();
        assert!(
            (-20.0..=55.0).contains(&f[3]) && (-37.0..=38.0).contains(&f[2]),
            "{line}"
        );
    }
    // labels.nc covers the region's window only.
    let nc = landclust::io::netcdf::NcFile::open(out.join("labels.nc")).unwrap();
    let grid = nc.grid().unwrap();
    assert_eq!((grid.n_rows, grid.n_cols), (75, 75));
    let bad = run(
        &["run", demo, "--region", "10,20,95,0", "--out", out.to_str().unwrap()],
        2,
    );
    assert_error(&bad, "option --region");
}
