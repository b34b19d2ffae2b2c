//! Geographic CRSs other than WGS 84, end to end: a MODIS CMG-like input on the Clarke 1866
//! ellipsoid (user-defined GeoKeys) runs, gives the labels of the same data in WGS 84, and its
//! CRS is named in metrics.json and `inspect` and written into labels.tif and labels.nc (read
//! back by landclust's own readers; tests/gis/check_gdal.sh checks them in GDAL). Coordinates in
//! radians are converted; inputs whose datums differ give one note on stderr.

mod common;
mod tiffgen;

use common::{assert_one_line_error, bin, demo_file, metrics, run_ok};
use landclust::dataset::BlockReader;
use tiffgen::{Keys, Samples, composite, demo_layers};

const VARS: [&str; 8] = [
    "NDVI",
    "DHR443",
    "DHR490",
    "DHR565",
    "DHR670",
    "DHR865",
    "DHR1020",
    "LandPercentage",
];

fn run_labels(input: &str, out: &std::path::Path) -> (String, std::process::Output) {
    let o = run_ok(
        &[
            "run",
            input,
            "--k",
            "5",
            "--seed",
            "3",
            "--n-init",
            "2",
            "--no-figures",
            "--out",
            out.to_str().unwrap(),
        ],
        2,
    );
    (std::fs::read_to_string(out.join("labels.csv")).unwrap(), o)
}

#[test]
fn clarke_1866_input_runs_and_its_crs_reaches_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let (shape, layers) = demo_layers(demo_file(), &VARS);
    let wgs = composite(
        dir.path(),
        "w",
        shape,
        &VARS,
        &layers,
        |_| Samples::F32,
        |_| Keys::wgs84(),
        1.0,
    );
    let clarke = composite(
        dir.path(),
        "c",
        shape,
        &VARS,
        &layers,
        |_| Samples::F32,
        |_| Keys::clarke_1866(9102),
        1.0,
    );
    let radians = composite(
        dir.path(),
        "r",
        shape,
        &VARS,
        &layers,
        |_| Samples::F32,
        |_| Keys::clarke_1866(9101),
        std::f64::consts::PI / 180.0,
    );
    let (want, _) = run_labels(&wgs, &dir.path().join("out_w"));
    let (got, o) = run_labels(&clarke, &dir.path().join("out_c"));
    assert_eq!(got, want, "the datum changes no label");
    assert!(
        !String::from_utf8_lossy(&o.stderr).contains("datum"),
        "one datum: no note"
    );
    let (rad, _) = run_labels(&radians, &dir.path().join("out_r"));
    assert_eq!(rad, want, "coordinates in radians are converted to degrees");

    let m = metrics(&dir.path().join("out_c"));
    assert_eq!(m["crs"]["ellipsoid"]["name"], "Clarke 1866");
    assert_eq!(m["crs"]["ellipsoid"]["semi_major_axis"], 6378206.4);
    assert_eq!(m["crs"]["ellipsoid"]["inverse_flattening"], 294.9786982);
    assert_eq!(m["crs"]["name"], "Clarke 1866 CMG");
    assert_eq!(metrics(&dir.path().join("out_w"))["crs"]["epsg"], 4326);
    assert_eq!(metrics(&dir.path().join("out_r"))["crs"]["angular_unit"], "radian");

    // labels.tif keeps the CRS (not relabelled 4326) and reads back on the same grid.
    let tif = landclust::io::geotiff::GeoTiffReader::open(&dir.path().join("out_c/labels.tif")).unwrap();
    let crs = tif.grid().crs();
    assert_eq!(crs.ellipsoid.name, "Clarke 1866");
    assert_eq!(crs.epsg, None);
    assert_eq!(crs.name, "Clarke 1866 CMG");
    let wtif = landclust::io::geotiff::GeoTiffReader::open(&dir.path().join("out_w/labels.tif")).unwrap();
    assert!(wtif.grid().crs().is_wgs84());
    assert_eq!(tif.grid().lat, wtif.grid().lat);
    // labels.nc: a latitude_longitude grid mapping with the ellipsoid and crs_wkt.
    let nc = landclust::io::netcdf::NcGridReader::open(&dir.path().join("out_c/labels.nc")).unwrap();
    let ncrs = nc.grid().crs();
    assert!(ncrs.ellipsoid.same_figure(&crs.ellipsoid), "{ncrs:?}");
    assert_eq!(ncrs.ellipsoid.name, "Clarke 1866");
    let out = bin()
        .arg("inspect")
        .arg(dir.path().join("out_c/labels.nc"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("crs: Clarke 1866 CMG") && text.contains("6378206.4"),
        "{text}"
    );
    let out = bin().args(["inspect", &clarke]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("ellipsoid Clarke 1866 (a = 6378206.4 m, 1/f = 294.9786982)"),
        "{text}"
    );
    // The radian input's labels.tif is written in degrees on the same grid.
    let rtif = landclust::io::geotiff::GeoTiffReader::open(&dir.path().join("out_r/labels.tif")).unwrap();
    assert_eq!(rtif.grid().crs().angular_unit, "degree");
    assert!(
        rtif.grid()
            .lon
            .iter()
            .zip(&wtif.grid().lon)
            .all(|(a, b)| (a - b).abs() < 1e-9)
    );
}

#[test]
fn inputs_on_different_datums_give_one_note() {
    let dir = tempfile::tempdir().unwrap();
    let (shape, layers) = demo_layers(demo_file(), &VARS);
    let mixed = composite(
        dir.path(),
        "m",
        shape,
        &VARS,
        &layers,
        |_| Samples::F32,
        |n| {
            if n == "NDVI" {
                Keys::wgs84()
            } else {
                Keys::clarke_1866(9102)
            }
        },
        1.0,
    );
    let (_, o) = run_labels(&mixed, &dir.path().join("out"));
    let stderr = String::from_utf8_lossy(&o.stderr);
    let notes: Vec<&str> = stderr.lines().filter(|l| l.contains("datum")).collect();
    assert_eq!(notes.len(), 1, "one line for all the files that differ: {stderr}");
    assert!(
        notes[0].contains("differs") && notes[0].contains("Clarke 1866") && notes[0].contains("and 6 more files"),
        "{stderr}"
    );
}

#[test]
fn unknown_angular_unit_and_projected_systems_are_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let (shape, layers) = demo_layers(demo_file(), &["NDVI"]);
    let path = dir.path().join("dms.tif");
    let mut keys = Keys::clarke_1866(9107);
    tiffgen::write_band(&path, shape, &layers[0], Samples::F32, &keys, "NDVI", 1.0);
    let out = bin()
        .args(["run", path.to_str().unwrap(), "--vars", "NDVI", "--select", "all"])
        .output()
        .unwrap();
    assert_one_line_error(&out, "angular unit 9107");
    keys = Keys::new(&[(1024, tiffgen::Key::Short(1)), (3072, tiffgen::Key::Short(3857))]);
    tiffgen::write_band(&path, shape, &layers[0], Samples::F32, &keys, "NDVI", 1.0);
    let out = bin()
        .args(["run", path.to_str().unwrap(), "--vars", "NDVI", "--select", "all"])
        .output()
        .unwrap();
    assert_one_line_error(&out, "projected coordinate system EPSG:3857 is not one landclust knows");
}
