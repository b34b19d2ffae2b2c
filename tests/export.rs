//! `landclust export`, `import` and `assign` end to end on the 1-degree demo file, with the bad
//! inputs users sent: one clear line each, non-zero exit, nothing written.

mod common;

use common::{bin, demo_file};
use std::path::Path;

const VARS: &str = "NDVI,DHR443,DHR865";

fn export(out: &Path) {
    let o = bin()
        .args(["--quiet", "export"])
        .arg(demo_file())
        .args(["--vars", VARS, "--out"])
        .arg(out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn one_error_line(o: &std::process::Output) -> String {
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.starts_with("landclust: error:"), "{err}");
    err
}

fn sidecar(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("_landclust.json")).unwrap()).unwrap()
}

#[test]
fn export_writes_partitioned_parquet_and_a_sidecar_matching_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("exp");
    export(&out);
    let s = sidecar(&out);
    assert_eq!(s["grid"]["n_rows"], 180);
    assert_eq!(s["grid"]["lat"]["start"], 89.5);
    assert_eq!(s["grid"]["lat"]["step"], -1.0);
    let files = s["files"].as_array().unwrap();
    assert!(files.iter().all(|f| f.as_str().unwrap().starts_with("lat_band=")));
    for f in files {
        assert!(out.join(f.as_str().unwrap()).is_file());
    }
    // The same cells and statistics as `landclust run` standardizes with.
    let run_dir = dir.path().join("run");
    let o = bin()
        .args(["--quiet", "run"])
        .arg(demo_file())
        .args(["--vars", VARS, "--k", "3", "--no-figures", "--out"])
        .arg(&run_dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run_dir.join("metrics.json")).unwrap()).unwrap();
    assert_eq!(s["n_cells"], m["n_points"]);
    assert_eq!(s["n_selected"], m["n_selected"]);
    let ndvi = &s["columns"][0];
    assert_eq!(ndvi["variable"], "NDVI");
    assert_eq!(ndvi["count"], m["n_points"]);
    // A second export replaces the first (the folder is recognised as an export).
    export(&out);
}

#[test]
fn region_and_bands_partition_the_export() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("exp");
    let o = bin()
        .args(["--quiet", "export"])
        .arg(demo_file())
        .args(["--vars", VARS, "--region", "europe", "--band", "5", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let s = sidecar(&out);
    assert_eq!(s["settings"]["region"], "europe");
    assert_eq!(s["partitioning"]["band_deg"], 5.0);
    for f in s["files"].as_array().unwrap() {
        let band: f64 = f.as_str().unwrap()["lat_band=".len()..]
            .split('/')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(band % 5.0, 0.0, "{f}");
    }
}

#[test]
fn import_of_the_export_own_labels_writes_a_run_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("exp");
    export(&out);
    // Labels: the export's own files with a cluster column made from the latitude band.
    let labels = dir.path().join("labels");
    std::fs::create_dir_all(&labels).unwrap();
    for (i, f) in landclust::io::parquet::dataset_files(&out).unwrap().iter().enumerate() {
        let c = landclust::io::parquet::read_numeric_columns(f, &["row", "col", "lat"]).unwrap();
        let row: Vec<i32> = c[0].iter().map(|&v| v as i32).collect();
        let col: Vec<i32> = c[1].iter().map(|&v| v as i32).collect();
        let cluster: Vec<i32> = c[2].iter().map(|&lat| if lat > 0.0 { 7 } else { 3 }).collect();
        use landclust::io::parquet::{ColumnData, write_columns};
        write_columns(
            &labels.join(format!("part-{i}.parquet")),
            &[
                ("row", ColumnData::Int32(&row)),
                ("col", ColumnData::Int32(&col)),
                ("cluster", ColumnData::Int32(&cluster)),
            ],
        )
        .unwrap();
    }
    let run = dir.path().join("imported");
    let o = bin()
        .args(["--quiet", "import"])
        .arg(&labels)
        .arg(&out)
        .arg("--out")
        .arg(&run)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in ["labels.nc", "labels.csv", "metrics.json", "centers.csv", "report.html"] {
        assert!(run.join(f).is_file(), "{f}");
    }
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.join("metrics.json")).unwrap()).unwrap();
    assert_eq!(m["k"], 2);
    assert!(m["scale_notes"][1].as_str().unwrap().contains("3->"));

    // Labels outside the grid: one line, nothing written.
    let bad = dir.path().join("bad_labels");
    std::fs::create_dir_all(&bad).unwrap();
    use landclust::io::parquet::{ColumnData, write_columns};
    write_columns(
        &bad.join("part-0.parquet"),
        &[
            ("row", ColumnData::Int32(&[5, 180])),
            ("col", ColumnData::Int32(&[5, 3])),
            ("cluster", ColumnData::Int32(&[0, 1])),
        ],
    )
    .unwrap();
    let target = dir.path().join("bad_run");
    let o = bin()
        .arg("import")
        .arg(&bad)
        .arg(&out)
        .arg("--out")
        .arg(&target)
        .output()
        .unwrap();
    let err = one_error_line(&o);
    assert!(
        err.contains("row 180, col 3 lies outside the export's 180 x 360 grid"),
        "{err}"
    );
    assert!(!target.exists());
}

#[test]
fn export_folder_without_sidecar_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("not_an_export");
    std::fs::create_dir_all(&empty).unwrap();
    let target = dir.path().join("run");
    let o = bin()
        .arg("import")
        .arg(&empty)
        .arg(&empty)
        .arg("--out")
        .arg(&target)
        .output()
        .unwrap();
    let err = one_error_line(&o);
    assert!(
        err.contains("no _landclust.json: not a `landclust export` folder"),
        "{err}"
    );
    assert!(!target.exists());
}

#[test]
fn assign_uses_the_centres_file_and_refuses_wrong_dimensions() {
    let dir = tempfile::tempdir().unwrap();
    let centers = dir.path().join("centers.json");
    let good = serde_json::json!({
        "vars": ["NDVI", "DHR865"], "mean": [0.3, 0.25], "std": [0.2, 0.1],
        "centers_z": [[-1.0, -1.0], [1.0, 1.0], [0.0, 2.0]],
        "select": {"kind": "land", "variable": "LandPercentage", "threshold": 100.0}
    });
    std::fs::write(&centers, good.to_string()).unwrap();
    let run = dir.path().join("assigned");
    let o = bin()
        .args(["--quiet", "assign"])
        .arg(demo_file())
        .arg("--centers")
        .arg(&centers)
        .args(["--no-figures", "--out"])
        .arg(&run)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(run.join("labels.nc").is_file());

    let bad = serde_json::json!({
        "vars": ["NDVI", "DHR865"], "mean": [0.3, 0.25], "std": [0.2, 0.1],
        "centers_z": [[-1.0, -1.0, 0.0], [1.0, 1.0, 0.0]]
    });
    std::fs::write(&centers, bad.to_string()).unwrap();
    let target = dir.path().join("bad");
    let o = bin()
        .arg("assign")
        .arg(demo_file())
        .arg("--centers")
        .arg(&centers)
        .arg("--out")
        .arg(&target)
        .output()
        .unwrap();
    let err = one_error_line(&o);
    assert!(err.contains("centre 0 has 3 coordinates for the 2 variables"), "{err}");
    assert!(!target.exists());
}
