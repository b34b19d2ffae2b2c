//! Geographic CRSs other than WGS 84, end to end: a MODIS CMG-like input on the Clarke 1866
//! ellipsoid (user-defined GeoKeys) runs, gives the labels of the same data in WGS 84, and its
//! CRS is named in metrics.json and `inspect` and written into labels.tif and labels.nc (read
//! back by landclust's own readers; tests/gis/check_gdal.sh checks them in GDAL). Coordinates in
//! radians are converted; inputs whose datums differ give one note on stderr. A prime meridian
//! other than Greenwich (Paris) is read in Greenwich degrees and written back in its own.

mod common;
mod tiffgen;

use common::{assert_one_line_error, bin, demo_file, label_rows, metrics, run_ok};
use landclust::dataset::BlockReader;
use tiffgen::{Keys, Samples, composite, composite_at, demo_layers};

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

/// The demo's variables as float GeoTIFFs at 1 degree, all tagged with `keys`, as one composite
/// input.
fn f32_composite(dir: &std::path::Path, tag: &str, shape: (usize, usize), layers: &[Vec<f64>], keys: Keys) -> String {
    composite(dir, tag, shape, &VARS, layers, |_| Samples::F32, |_| keys.clone(), 1.0)
}

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
    let wgs = f32_composite(dir.path(), "w", shape, &layers, Keys::wgs84());
    let clarke = f32_composite(dir.path(), "c", shape, &layers, Keys::clarke_1866(9102));
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

/// Same cells and clusters; longitudes equal but for the rounding of `+ meridian`.
fn assert_same_labels(got: &str, want: &str) {
    let (g, w) = (label_rows(got), label_rows(want));
    assert_eq!(g.len(), w.len());
    assert!(!g.is_empty());
    for (a, b) in g.iter().zip(&w) {
        assert_eq!((a.0, a.1, a.2, a.4), (b.0, b.1, b.2, b.4));
        assert!((a.3 - b.3).abs() < 1e-9, "{a:?} vs {b:?}");
    }
}

#[test]
fn a_paris_meridian_input_is_read_in_greenwich_degrees_and_written_in_its_own() {
    const PARIS: f64 = 2.33722917;
    let dir = tempfile::tempdir().unwrap();
    let (shape, layers) = demo_layers(demo_file(), &VARS);
    let wgs = f32_composite(dir.path(), "w", shape, &layers, Keys::wgs84());
    // The demo's cells, their longitudes measured from Paris: the west edge is 180 W + 2.337 E.
    let paris = composite_at(
        dir.path(),
        "p",
        shape,
        &VARS,
        &layers,
        |_| Samples::F32,
        |_| Keys::meridian(PARIS),
        1.0,
        -180.0 - PARIS,
    );
    let (want, _) = run_labels(&wgs, &dir.path().join("out_w"));
    let (got, _) = run_labels(&paris, &dir.path().join("out_p"));
    assert_same_labels(&got, &want);
    let m = metrics(&dir.path().join("out_p"));
    assert_eq!(m["crs"]["prime_meridian"]["longitude"], PARIS);
    assert_eq!(m["crs"]["name"], "WGS 84 / Paris meridian");

    // --region is in Greenwich degrees: the same cells as on the WGS 84 file.
    let region = |input: &str, out: &str| {
        let out = dir.path().join(out);
        run_ok(
            &[
                "run",
                input,
                "--k",
                "4",
                "--n-init",
                "2",
                "--no-figures",
                "--region",
                "-10,30,35,60",
                "--out",
                out.to_str().unwrap(),
            ],
            2,
        );
        std::fs::read_to_string(out.join("labels.csv")).unwrap()
    };
    assert_same_labels(&region(&paris, "reg_p"), &region(&wgs, "reg_w"));

    // labels.tif and labels.nc are in the input's CRS: longitudes from Paris, the meridian named.
    let tif_path = dir.path().join("out_p/labels.tif");
    let mut dec = tiff::decoder::Decoder::new(std::fs::File::open(&tif_path).unwrap()).unwrap();
    let tie = dec.get_tag_f64_vec(tiff::tags::Tag::ModelTiepointTag).unwrap();
    assert!((tie[3] - (-180.0 - PARIS)).abs() < 1e-9, "tiepoint {tie:?}");
    let nc_path = dir.path().join("out_p/labels.nc");
    let raw = netcdf_reader::NcFile::open(&nc_path).unwrap();
    let lon = raw.read_variable::<f64>("lon").unwrap();
    let lon: Vec<f64> = lon.iter().copied().collect();
    assert!(
        (lon[0] - (-179.5 - PARIS)).abs() < 1e-9,
        "labels.nc lon[0] = {}",
        lon[0]
    );
    // Read back, both give the WGS 84 run's Greenwich grid and the Paris meridian.
    let wgs_grid = landclust::io::open_input(&dir.path().join("out_w/labels.tif"))
        .unwrap()
        .grid()
        .clone();
    for path in [tif_path, nc_path] {
        let back = landclust::io::open_input(&path).unwrap();
        let g = back.grid();
        assert_eq!(g.crs().prime_meridian.longitude, PARIS, "{}", path.display());
        assert_eq!(g.orientation.lon_shift, 0, "{}: no turn", path.display());
        assert_eq!(g.lat, wgs_grid.lat);
        assert!(
            g.lon.iter().zip(&wgs_grid.lon).all(|(a, b)| (a - b).abs() < 1e-9),
            "{}",
            path.display()
        );
    }
}

/// Labels for an export folder: its own Parquet files with a cluster from the latitude band.
fn labels_for(export: &std::path::Path, labels: &std::path::Path) {
    use landclust::io::parquet::{ColumnData, dataset_files, read_numeric_columns, write_columns};
    std::fs::create_dir_all(labels).unwrap();
    for (i, f) in dataset_files(export).unwrap().iter().enumerate() {
        let c = read_numeric_columns(f, &["row", "col", "lat"]).unwrap();
        let row: Vec<i32> = c[0].iter().map(|&v| v as i32).collect();
        let col: Vec<i32> = c[1].iter().map(|&v| v as i32).collect();
        let cluster: Vec<i32> = c[2].iter().map(|&lat| if lat > 20.0 { 1 } else { 0 }).collect();
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
}

#[test]
fn export_records_the_input_crs_and_import_restores_it() {
    const PARIS: f64 = 2.33722917;
    let dir = tempfile::tempdir().unwrap();
    let (shape, layers) = demo_layers(demo_file(), &VARS);
    let input = composite_at(
        dir.path(),
        "p",
        shape,
        &VARS,
        &layers,
        |_| Samples::F32,
        |_| Keys::meridian(PARIS),
        1.0,
        -180.0 - PARIS,
    );
    let export = dir.path().join("exp");
    run_ok(
        &[
            "--quiet",
            "export",
            &input,
            "--vars",
            "NDVI,DHR443,DHR865",
            "--out",
            export.to_str().unwrap(),
        ],
        2,
    );
    let sidecar_path = export.join("_landclust.json");
    let sidecar: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&sidecar_path).unwrap()).unwrap();
    assert_eq!(sidecar["grid"]["crs"]["name"], "WGS 84 / Paris meridian");
    assert_eq!(sidecar["grid"]["crs"]["prime_meridian"]["longitude"], PARIS);
    // The sidecar's axes stay in Greenwich degrees, like the cells' lon column.
    assert!((sidecar["grid"]["lon"]["start"].as_f64().unwrap() + 179.5).abs() < 1e-9);

    let labels = dir.path().join("labels");
    labels_for(&export, &labels);
    let import = |out: &str| {
        let out = dir.path().join(out);
        run_ok(
            &[
                "--quiet",
                "import",
                labels.to_str().unwrap(),
                export.to_str().unwrap(),
                "--no-figures",
                "--out",
                out.to_str().unwrap(),
            ],
            2,
        );
        out
    };
    let imported = import("imported");
    assert_eq!(metrics(&imported)["crs"]["prime_meridian"]["longitude"], PARIS);
    let direct = dir.path().join("direct");
    run_ok(
        &[
            "--quiet",
            "run",
            &input,
            "--vars",
            "NDVI,DHR443,DHR865",
            "--k",
            "2",
            "--no-figures",
            "--out",
            direct.to_str().unwrap(),
        ],
        2,
    );
    for file in ["labels.tif", "labels.nc"] {
        let back = landclust::io::open_input(&imported.join(file)).unwrap();
        let own = landclust::io::open_input(&direct.join(file)).unwrap();
        assert_eq!(back.grid().crs(), own.grid().crs(), "{file}");
        assert_eq!(back.grid().crs().name, "WGS 84 / Paris meridian", "{file}");
        assert!(
            back.grid()
                .lon
                .iter()
                .zip(&own.grid().lon)
                .all(|(a, b)| (a - b).abs() < 1e-9),
            "{file}"
        );
    }
    let raw = |run: &std::path::Path| -> Vec<f64> {
        let f = netcdf_reader::NcFile::open(run.join("labels.nc")).unwrap();
        f.read_variable::<f64>("lon").unwrap().iter().copied().collect()
    };
    let (a, b) = (raw(&imported), raw(&direct));
    assert!((a[0] - (-179.5 - PARIS)).abs() < 1e-9 && a.iter().zip(&b).all(|(x, y)| (x - y).abs() < 1e-9));

    // An export written before the CRS was recorded still imports, as WGS 84.
    let mut old = sidecar.clone();
    old["grid"].as_object_mut().unwrap().remove("crs");
    std::fs::write(&sidecar_path, serde_json::to_string_pretty(&old).unwrap()).unwrap();
    let imported = import("imported_old");
    let back = landclust::io::open_input(&imported.join("labels.nc")).unwrap();
    assert!(back.grid().crs().is_wgs84());
    assert_eq!(metrics(&imported)["crs"]["epsg"], 4326);
}
