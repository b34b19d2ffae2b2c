//! Zarr stores written by xarray (tests/fixtures/zarr, made by tests/reference/ref_zarr.py from
//! a coarse subset of the demo): `run --k 6` on the Zarr v2 and v3 stores gives the same labels,
//! centres and metrics as on the netCDF-4 file of the same values, bit for bit; a series over
//! the stores' extra dimension gives the labels of the bands named one by one; `inspect`
//! describes a store; a store without coordinates or with an unsupported codec is one line,
//! a non-zero exit and nothing written.

mod common;

use common::{assert_one_line_error, bin, metrics, run_ok};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/zarr")
        .join(name)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// metrics.json without what names the input or the run (its path, its folder, the time).
fn comparable_metrics(dir: &Path) -> serde_json::Value {
    let mut m = metrics(dir);
    let obj = m.as_object_mut().unwrap();
    obj.remove("input");
    obj.remove("seconds");
    let settings = obj["settings"].as_object_mut().unwrap();
    settings.remove("input");
    settings.remove("out");
    m
}

fn run(input: &Path, out: &Path, extra: &[&str]) {
    let mut args = vec![
        "--quiet",
        "run",
        input.to_str().unwrap(),
        "--k",
        "6",
        "--no-figures",
        "--out",
    ];
    args.push(out.to_str().unwrap());
    args.extend_from_slice(extra);
    run_ok(&args, 2);
}

#[test]
fn run_on_zarr_v2_and_v3_equals_run_on_netcdf() {
    let dir = tempfile::tempdir().unwrap();
    let nc_out = dir.path().join("nc");
    run(&fixture("subset.nc"), &nc_out, &[]);
    let want = comparable_metrics(&nc_out);
    assert!(want["n_points"].as_u64().unwrap() > 100, "{want}");
    for store in ["subset_v2.zarr", "subset_v3.zarr"] {
        let out = dir.path().join(store);
        run(&fixture(store), &out, &[]);
        for file in ["labels.csv", "centers.csv", "margin.csv"] {
            assert!(
                read(&out.join(file)) == read(&nc_out.join(file)),
                "{store}: {file} differs"
            );
        }
        assert_eq!(comparable_metrics(&out), want, "{store}: metrics differ");
        assert!(out.join("labels.nc").is_file() && out.join("labels.tif").is_file());
    }
}

#[test]
fn a_series_over_the_wavelength_dimension_clusters_like_the_bands() {
    let dir = tempfile::tempdir().unwrap();
    let bands = dir.path().join("bands");
    run(
        &fixture("subset.nc"),
        &bands,
        &["--vars", "NDVI,DHR443,DHR490,DHR565,DHR670,DHR865,DHR1020"],
    );
    let series = dir.path().join("series");
    run(&fixture("subset_v3.zarr"), &series, &["--vars", "NDVI,DHR[*]"]);
    assert!(read(&series.join("labels.csv")) == read(&bands.join("labels.csv")));
    let (a, b) = (metrics(&series), metrics(&bands));
    for key in ["silhouette", "davies_bouldin", "calinski_harabasz", "inertia"] {
        assert_eq!(a[key], b[key], "{key}");
    }
    assert_eq!(a["settings"]["vars"][6], "DHR[5]");
}

#[test]
fn inspect_describes_a_store() {
    let out = run_ok(&["inspect", fixture("subset_v3.zarr").to_str().unwrap()], 2);
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "(Zarr v3, consolidated)",
        "grid: 31 x 25 cells of 3 x 3 deg, from 1-D lat/lon",
        "rows flipped (file is south first)",
        "columns rolled by",
        "NDVI_packed",
        "yes, +wavelength=6",
        "storage:",
        "bytes, gzip",
    ] {
        assert!(text.contains(needle), "inspect lacks {needle:?}:\n{text}");
    }
    let out = run_ok(&["inspect", "--json", fixture("subset_v2.zarr").to_str().unwrap()], 2);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["format"], "Zarr v2, consolidated");
    assert_eq!(json["grid"]["n_rows"], 31);
    let dhr = json["storage"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "DHR")
        .unwrap();
    assert_eq!(dhr["codecs"][0], "blosc(zstd)");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

#[test]
fn a_store_without_coordinates_is_one_line_and_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("nocoords.zarr");
    copy_dir(&fixture("subset_v2.zarr"), &store);
    std::fs::remove_dir_all(store.join("Latitude")).unwrap();
    std::fs::remove_dir_all(store.join("Longitude")).unwrap();
    let out_dir = dir.path().join("out");
    let out = bin()
        .args([
            "run",
            store.to_str().unwrap(),
            "--k",
            "6",
            "--out",
            out_dir.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_one_line_error(
        &out,
        "nocoords.zarr: Zarr store without a latitude/longitude grid: no latitude and no longitude coordinates",
    );
    assert!(!out_dir.exists(), "an output folder was written");
}

#[test]
fn an_unsupported_codec_is_one_line_and_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("lzma.zarr");
    copy_dir(&fixture("subset_v2.zarr"), &store);
    let meta = store.join("DHR670/.zarray");
    let text = read(&meta).replace("\"id\": \"blosc\"", "\"id\": \"lzma\"");
    assert!(text.contains("lzma"));
    std::fs::write(&meta, text).unwrap();
    let out_dir = dir.path().join("out");
    let out = bin()
        .args([
            "run",
            store.to_str().unwrap(),
            "--k",
            "6",
            "--out",
            out_dir.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_one_line_error(&out, "variable DHR670: cannot open the array (codecs: lzma(lz4))");
    assert!(!out_dir.exists(), "an output folder was written");
    // inspect still describes the rest, then says which array cannot be decoded.
    let out = bin().args(["inspect", store.to_str().unwrap()]).output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("variable DHR670 cannot be decoded"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("NDVI"));
}
