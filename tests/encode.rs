//! `landclust encode`: a model saved by `run --reduce vae:2` encodes the same file to the very
//! latent means the run wrote, with the run's saved standardization, and bad models or files
//! give one clear error line.

use landclust::dataset::Selection;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

fn landclust(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_landclust"))
        .args(args)
        .output()
        .unwrap()
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn assert_error(out: &Output, needles: &[&str]) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "expected failure: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "want one line, got: {stderr}");
    for n in needles {
        assert!(stderr.contains(n), "stderr lacks {n:?}: {stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// The demo file and a 2-epoch `run --reduce vae:2` on it, made once for all tests.
fn trained() -> &'static (tempfile::TempDir, PathBuf, PathBuf) {
    static RUN: OnceLock<(tempfile::TempDir, PathBuf, PathBuf)> = OnceLock::new();
    RUN.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("demo.nc");
        let run = dir.path().join("run");
        ok(&landclust(&["synth", "--out", file.to_str().unwrap()]));
        ok(&landclust(&[
            "-q",
            "run",
            file.to_str().unwrap(),
            "--reduce",
            "vae:2",
            "--epochs",
            "2",
            "--k",
            "3",
            "--no-figures",
            "--out",
            run.to_str().unwrap(),
        ]));
        (dir, file, run)
    })
}

/// `latent.csv` as (row, col) -> the z columns as written (text, so equality is bit for bit).
fn latent_csv(path: &Path) -> HashMap<(usize, usize), Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let z0 = header.iter().position(|h| *h == "z1").unwrap();
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let key = (f[0].parse().unwrap(), f[1].parse().unwrap());
            (key, f[z0..].iter().map(|s| s.to_string()).collect())
        })
        .collect()
}

fn encode(file: &Path, model: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "encode",
        file.to_str().unwrap(),
        "--model",
        model.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    landclust(&args)
}

#[test]
fn encoding_the_training_file_reproduces_the_runs_latent() {
    let (_, file, run) = trained();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("enc");
    let stdout = ok(&encode(file, &run.join("vae_model.json"), &out, &[]));
    let expected = latent_csv(&run.join("latent.csv"));
    assert!(
        stdout.contains(&format!("encoded {} cells", expected.len())),
        "{stdout}"
    );
    let header = std::fs::read_to_string(out.join("latent.csv")).unwrap();
    assert!(header.starts_with("row,col,lat,lon,z1,z2\n"), "{header}");
    let got = latent_csv(&out.join("latent.csv"));
    assert_eq!(got.len(), expected.len());
    assert_eq!(got, expected, "encode must give the run's latent means bit for bit");

    // latent.nc holds the same values on the grid, fill (NaN once read) elsewhere.
    let specs = vec!["z1".to_string(), "z2".to_string()];
    let ds = landclust::io::netcdf::load(&out.join("latent.nc"), &specs, &Selection::All).unwrap();
    let n_cols = ds.grid.n_cols;
    for (k, name) in specs.iter().enumerate() {
        let var = ds.variable(name).unwrap();
        assert_eq!(var.n_valid(), expected.len());
        for ((row, col), z) in &expected {
            assert_eq!(var.values[row * n_cols + col], z[k].parse::<f64>().unwrap());
        }
    }
}

#[test]
fn other_cells_use_the_saved_standardization() {
    // land:50 selects more cells, so the new file's own means/stds would differ from the run's;
    // the cells of the run must still get exactly the run's latent means.
    let (_, file, run) = trained();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("enc50");
    ok(&encode(
        file,
        &run.join("vae_model.json"),
        &out,
        &["--select", "land:50"],
    ));
    let expected = latent_csv(&run.join("latent.csv"));
    let got = latent_csv(&out.join("latent.csv"));
    assert!(got.len() > expected.len(), "{} vs {}", got.len(), expected.len());
    for (cell, z) in &expected {
        assert_eq!(got.get(cell), Some(z), "cell {cell:?}");
    }
}

#[test]
fn bad_models_and_missing_variables_are_one_line_errors() {
    let (_, file, run) = trained();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("never");
    let absent = tmp.path().join("absent.json");
    assert_error(
        &encode(file, &absent, &out, &[]),
        &["absent.json", "no such model file"],
    );
    let garbage = tmp.path().join("garbage.json");
    std::fs::write(&garbage, "{\"format\": 1}").unwrap();
    assert_error(
        &encode(file, &garbage, &out, &[]),
        &["garbage.json", "not a landclust VAE file"],
    );

    let text = std::fs::read_to_string(run.join("vae_model.json")).unwrap();
    let mut model: serde_json::Value = serde_json::from_str(&text).unwrap();
    model["model"]["normalization"]["variables"][2] = "DHR999".into();
    let renamed = tmp.path().join("renamed.json");
    std::fs::write(&renamed, model.to_string()).unwrap();
    assert_error(
        &encode(file, &renamed, &out, &[]),
        &["demo.nc", "variable DHR999", "not in the file", "renamed.json"],
    );
    model["model"]["normalization"] = serde_json::Value::Null;
    let bare = tmp.path().join("bare.json");
    std::fs::write(&bare, model.to_string()).unwrap();
    assert_error(
        &encode(file, &bare, &out, &[]),
        &["bare.json", "no saved standardization"],
    );
    let model = run.join("vae_model.json");
    assert_error(&encode(file, &model, &out, &["--select", "nowhere"]), &["--select"]);
    assert!(!out.exists(), "failed runs leave no folder");
}
