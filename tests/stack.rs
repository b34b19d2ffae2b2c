//! Stacks of files as one input: 12 monthly GeoTIFFs (`NAME=GLOB` / `NAME=[LIST]` in a composite
//! input) and 12 monthly netCDF files (a glob as the input) cut from the monthly demo
//! (`synth --monthly`) cluster exactly as the one netCDF file with a month dimension; bad
//! stacks fail with one line and write nothing.

#![allow(clippy::single_range_in_vec_init)]

mod common;
mod tiffgen;

use common::{assert_one_line_error, bin, metrics, run_ok};
use landclust::io::netcdf::write::{AttrValue, NcFormat, OutData, OutVar, attrs, write_nc};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tiffgen::{Keys, Samples, write_band};

const MONTHS: usize = 12;
const FILL: f32 = -9999.0;

/// The monthly demo and the per-month files cut from it, written once for this file's tests.
struct Fixture {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    monthly: PathBuf,
    /// `NDVI=<glob>,DHR865=[<list>],LandPercentage=<file>`.
    tiff_input: String,
    /// A glob of 12 netCDF files whose names run against their months.
    nc_input: String,
}

fn f32s(values: &[f64]) -> Vec<f32> {
    values
        .iter()
        .map(|&v| if v.is_nan() { FILL } else { v as f32 })
        .collect()
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        let monthly = dir.join("monthly.nc");
        run_ok(&["synth", "--monthly", "--out", monthly.to_str().unwrap()], 2);
        let reader = landclust::io::open_input(&monthly).unwrap();
        let g = reader.grid().clone();
        let shape = (g.n_rows, g.n_cols);
        let read = |spec: &str| reader.read_block(spec, 0..g.n_rows, &[0..g.n_cols]).unwrap();
        let land = read("LandPercentage");
        let (lat, lon) = (f32s(&read("Latitude")), f32s(&read("Longitude")));
        let tif = |path: &Path, values: &[f64], name: &str| {
            write_band(path, shape, values, Samples::F32, &Keys::wgs84(), name, 1.0)
        };
        tif(&dir.join("land.tif"), &land, "LandPercentage");
        let mut dhr_list = Vec::new();
        for m in 0..MONTHS {
            let ndvi = read(&format!("NDVI[{m}]"));
            let dhr = read(&format!("DHR865[{m}]"));
            tif(&dir.join(format!("ndvi_2020_{:02}.tif", m + 1)), &ndvi, "NDVI");
            let dhr_file = dir.join(format!(
                "dhr865_{}.tif",
                [
                    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
                ][m]
            ));
            tif(&dhr_file, &dhr, "DHR865");
            dhr_list.push(dhr_file.display().to_string());
            // Names z, y, x, ... run against the months: only the time coordinate orders them.
            let name = format!("era_{}.nc", (b'z' - m as u8) as char);
            let time = [[
                0.0, 31.0, 60.0, 91.0, 121.0, 152.0, 182.0, 213.0, 244.0, 274.0, 305.0, 335.0,
            ][m]];
            let (ndvi, dhr, landv) = (f32s(&ndvi), f32s(&dhr), f32s(&land));
            let fill = || attrs([("_FillValue", AttrValue::F32(vec![FILL]))]);
            let vars = [
                OutVar::new("Latitude", &["x", "y"], OutData::F32(&lat))
                    .with_attrs(attrs([("units", AttrValue::Text("degrees_north".into()))])),
                OutVar::new("Longitude", &["x", "y"], OutData::F32(&lon))
                    .with_attrs(attrs([("units", AttrValue::Text("degrees_east".into()))])),
                OutVar::new("time", &["time"], OutData::F64(&time)).with_attrs(attrs([
                    ("units", AttrValue::Text("days since 2020-01-01".into())),
                    ("calendar", AttrValue::Text("standard".into())),
                ])),
                OutVar::new("LandPercentage", &["x", "y"], OutData::F32(&landv)).with_attrs(fill()),
                OutVar::new("NDVI", &["time", "x", "y"], OutData::F32(&ndvi)).with_attrs(fill()),
                OutVar::new("DHR865", &["time", "x", "y"], OutData::F32(&dhr)).with_attrs(fill()),
            ];
            let dims = [("time", 1), ("x", g.n_rows), ("y", g.n_cols)];
            write_nc(&dir.join(name), NcFormat::Netcdf4, &dims, &vars, &[]).unwrap();
        }
        let tiff_input = format!(
            "NDVI={}/ndvi_2020_*.tif,DHR865=[{}],LandPercentage={}/land.tif",
            dir.display(),
            dhr_list.join(";"),
            dir.display()
        );
        let nc_input = format!("{}/era_*.nc", dir.display());
        Fixture {
            _dir: tmp,
            dir,
            monthly,
            tiff_input,
            nc_input,
        }
    })
}

/// `(row, col, cluster)` of every line of labels.csv.
fn labels(out: &Path) -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(out.join("labels.csv")).unwrap();
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = |name: &str| head.iter().position(|h| *h == name).unwrap();
    let (r, c, k) = (at("row"), at("col"), at("cluster"));
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[r].to_string(), f[c].to_string(), f[k].to_string())
        })
        .collect()
}

fn run(input: &str, vars: &str, out: &Path) -> serde_json::Value {
    run_ok(
        &[
            "run",
            input,
            "--vars",
            vars,
            "--k",
            "6",
            "--no-figures",
            "--out",
            out.to_str().unwrap(),
        ],
        2,
    );
    metrics(out)
}

/// The scores and counts that must agree bit for bit.
fn scores(m: &serde_json::Value) -> Vec<(&'static str, serde_json::Value)> {
    [
        "n_points",
        "n_selected",
        "n_dropped",
        "missing_per_variable",
        "silhouette",
        "davies_bouldin",
        "calinski_harabasz",
        "inertia",
        "cluster_sizes",
        "pca_explained_variance_ratio",
    ]
    .into_iter()
    .map(|k| (k, m[k].clone()))
    .collect()
}

#[test]
fn monthly_stacks_of_geotiffs_and_netcdf_files_cluster_as_the_month_dimension() {
    let f = fixture();
    let out = tempfile::tempdir().unwrap();
    let vars = "NDVI[*],DHR865[*]";
    let one = run(f.monthly.to_str().unwrap(), vars, &out.path().join("one"));
    let tif = run(&f.tiff_input, vars, &out.path().join("tif"));
    let nc = run(&f.nc_input, vars, &out.path().join("nc"));
    assert_eq!(scores(&tif), scores(&one));
    assert_eq!(scores(&nc), scores(&one));
    let want = labels(&out.path().join("one"));
    assert!(want.len() > 1_000, "{} cells", want.len());
    assert_eq!(labels(&out.path().join("tif")), want);
    assert_eq!(labels(&out.path().join("nc")), want);
    // The entries' labels: dates from the netCDF files' time coordinate, file stems for the
    // GeoTIFFs (by name for the glob, as listed for the list).
    let stack = &nc["input_stack"][0];
    assert_eq!(stack["order"], "time");
    assert_eq!(stack["labels"][0], "2020-01-01");
    assert_eq!(stack["labels"][11], "2020-12-01");
    assert!(stack["files"][0].as_str().unwrap().ends_with("era_z.nc"));
    let stacks = tif["input_stack"].as_array().unwrap();
    assert_eq!(stacks.len(), 2);
    assert_eq!(
        (&stacks[0]["variable"], &stacks[0]["order"]),
        (&"NDVI".into(), &"name".into())
    );
    assert_eq!(stacks[0]["labels"][1], "ndvi_2020_02");
    assert_eq!(
        (&stacks[1]["variable"], &stacks[1]["order"]),
        (&"DHR865".into(), &"list".into())
    );
    assert_eq!(stacks[1]["labels"][1], "dhr865_feb");
    assert!(one.get("input_stack").is_none());
    // labels.nc carries the same labels as global attributes, one list per stack.
    let globals = |run: &str| -> Vec<(String, String)> {
        let f = netcdf_reader::NcFile::open(out.path().join(run).join("labels.nc")).unwrap();
        f.global_attributes()
            .unwrap()
            .iter()
            .filter(|a| a.name.starts_with("landclust_input_stack_"))
            .map(|a| (a.name.clone(), a.value.as_string().unwrap()))
            .collect()
    };
    let joined = |s: &serde_json::Value| {
        let labels: Vec<&str> = s["labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        labels.join(", ")
    };
    let text = |s: &serde_json::Value, key: &str| s[key].as_str().unwrap().to_string();
    let pair = |k: &str, v: String| (k.to_string(), v);
    assert_eq!(
        globals("nc"),
        [
            pair("landclust_input_stack_1_pattern", text(stack, "pattern")),
            pair("landclust_input_stack_1_order", "time".into()),
            pair("landclust_input_stack_1_labels", joined(stack)),
        ]
    );
    assert!(joined(stack).starts_with("2020-01-01, 2020-02-01, "));
    assert_eq!(
        globals("tif"),
        [
            pair("landclust_input_stack_1_pattern", text(&stacks[0], "pattern")),
            pair("landclust_input_stack_1_variable", "NDVI".into()),
            pair("landclust_input_stack_1_order", "name".into()),
            pair("landclust_input_stack_1_labels", joined(&stacks[0])),
            pair("landclust_input_stack_2_pattern", text(&stacks[1], "pattern")),
            pair("landclust_input_stack_2_variable", "DHR865".into()),
            pair("landclust_input_stack_2_order", "list".into()),
            pair("landclust_input_stack_2_labels", joined(&stacks[1])),
        ]
    );
    assert!(globals("one").is_empty());
}

#[test]
fn reductions_over_a_stack_match_those_over_the_month_dimension() {
    let f = fixture();
    let out = tempfile::tempdir().unwrap();
    let vars = "NDVI:mean,NDVI:max,DHR865:median";
    let one = run(f.monthly.to_str().unwrap(), vars, &out.path().join("one"));
    let tif = run(&f.tiff_input, vars, &out.path().join("tif"));
    assert_eq!(scores(&tif), scores(&one));
    assert_eq!(labels(&out.path().join("tif")), labels(&out.path().join("one")));
}

/// Run `input` and assert one error line containing every needle and no output folder.
fn fails(input: &str, needles: &[&str]) {
    let out = tempfile::tempdir().unwrap();
    let dest = out.path().join("out");
    let o = bin()
        .args(["run", input, "--vars", "NDVI[*]", "--k", "3", "--no-figures", "--out"])
        .arg(&dest)
        .output()
        .unwrap();
    assert_one_line_error(&o, needles[0]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    for n in needles {
        assert!(stderr.contains(n), "stderr lacks {n:?}: {stderr}");
    }
    assert!(!dest.exists(), "a failed run wrote {}", dest.display());
}

#[test]
fn a_file_on_another_grid_is_named_with_the_first() {
    let f = fixture();
    let odd = f.dir.join("odd").join("ndvi_2020_13.tif");
    std::fs::create_dir_all(odd.parent().unwrap()).unwrap();
    write_band(
        &odd,
        (90, 360),
        &vec![0.5; 90 * 360],
        Samples::F32,
        &Keys::wgs84(),
        "NDVI",
        1.0,
    );
    let first = f.dir.join("ndvi_2020_01.tif");
    let input = format!(
        "NDVI=[{};{}],LandPercentage={}/land.tif",
        first.display(),
        odd.display(),
        f.dir.display()
    );
    fails(
        &input,
        &[
            &format!("{}: grid 90x360", odd.display()),
            &format!("differs from that of {}", first.display()),
        ],
    );
}

#[test]
fn a_glob_matching_nothing_is_named() {
    let f = fixture();
    let pattern = format!("{}/era5_t2m_*.nc", f.dir.display());
    fails(&pattern, &[&format!("{pattern}: matches no file")]);
    let in_composite = format!(
        "NDVI={}/MOD13C2.A2020*.tif,LandPercentage={}/land.tif",
        f.dir.display(),
        f.dir.display()
    );
    fails(&in_composite, &["MOD13C2.A2020*.tif: matches no file"]);
}

#[test]
fn a_stack_mixing_geotiff_and_netcdf_is_refused() {
    let f = fixture();
    let input = format!("{d}/[era_z.nc;ndvi_2020_02.tif]", d = f.dir.display());
    fails(
        &input,
        &["mixes formats", "ndvi_2020_02.tif is a GeoTIFF but", "era_z.nc is not"],
    );
    let in_composite = format!(
        "NDVI={d}/[ndvi_2020_01.tif;era_y.nc],LandPercentage={d}/land.tif",
        d = f.dir.display()
    );
    fails(&in_composite, &["mixes formats", "era_y.nc is not"]);
}
