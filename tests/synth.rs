//! The POLDER-like demo file (`landclust::synth`), read back with the independent
//! `netcdf-reader` crate: GRASP layout and names, fill values, physics of the reflectances,
//! ground truth, both formats, determinism per seed.

use landclust::io::netcdf::write::NcFormat;
use landclust::synth::{SynthParams, SynthSummary, write_demo};
use netcdf_reader::{NcAttrValue, NcFile};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const FILL: f64 = -9999.0;
const BANDS: [&str; 6] = ["DHR443", "DHR490", "DHR565", "DHR670", "DHR865", "DHR1020"];

/// Demo files already written: (seed, format, path and summary).
type Written = Vec<(u64, NcFormat, &'static (PathBuf, SynthSummary))>;

/// Write the demo once per (seed, format) for all tests.
fn demo(seed: u64, format: NcFormat) -> &'static (PathBuf, SynthSummary) {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    static FILES: OnceLock<std::sync::Mutex<Written>> = OnceLock::new();
    let dir = DIR.get_or_init(|| tempfile::tempdir().unwrap());
    let mut files = FILES.get_or_init(Default::default).lock().unwrap();
    if let Some((_, _, f)) = files.iter().find(|(s, f, _)| *s == seed && *f == format) {
        return f;
    }
    let path = dir.path().join(format!("demo_{seed}_{format}.nc"));
    let summary = write_demo(&path, &SynthParams { seed, format }).unwrap();
    let leaked: &'static (PathBuf, SynthSummary) = Box::leak(Box::new((path, summary)));
    files.push((seed, format, leaked));
    leaked
}

fn open(path: &Path) -> NcFile {
    NcFile::open(path).unwrap()
}

fn read(f: &NcFile, name: &str) -> Vec<f64> {
    f.read_variable_as_f64(name).unwrap().iter().copied().collect()
}

fn attr(f: &NcFile, var: &str, name: &str) -> NcAttrValue {
    f.variable(var)
        .unwrap()
        .attribute(name)
        .unwrap_or_else(|| panic!("{var} lacks {name}"))
        .value
        .clone()
}

/// Cell index of the 1-degree cell centred at (`lat`, `lon`), north first.
fn cell(lat: f64, lon: f64) -> usize {
    let i = (89.5 - lat) as usize;
    let j = (lon + 179.5) as usize;
    i * 360 + j
}

/// Valid values of `v` in the 3 x 3 block around (`lat`, `lon`) (robust to a random gap).
fn block(v: &[f64], lat: f64, lon: f64) -> Vec<f64> {
    let c = cell(lat, lon);
    [-361, -360, -359, -1, 0, 1, 359, 360, 361]
        .iter()
        .map(|d| v[(c as i64 + d) as usize])
        .filter(|&x| x != FILL)
        .collect()
}

fn mean(v: &[f64]) -> f64 {
    assert!(!v.is_empty());
    v.iter().sum::<f64>() / v.len() as f64
}

#[test]
fn netcdf4_demo_has_the_grasp_layout() {
    let (path, summary) = demo(42, NcFormat::Netcdf4);
    let f = open(path);
    assert_eq!(f.format(), netcdf_reader::NcFormat::Nc4);
    assert_eq!(f.dimension("x").unwrap().size, 180);
    assert_eq!(f.dimension("y").unwrap().size, 360);
    for name in [
        "Latitude",
        "Longitude",
        "LandPercentage",
        "NDVI",
        "AOD443",
        "AOD565",
        "AOD865",
        "AExp",
        "SSA565",
    ]
    .iter()
    .chain(BANDS.iter())
    {
        let v = f.variable(name).unwrap();
        assert_eq!(v.shape(), vec![180, 360], "{name}");
        assert_eq!(v.dtype(), &netcdf_reader::NcType::Float, "{name}");
    }
    assert_eq!(f.variable("Wavelength").unwrap().shape(), vec![6]);
    assert_eq!(read(&f, "Wavelength"), vec![443.0, 490.0, 565.0, 670.0, 865.0, 1020.0]);
    assert!(f.variable("time").unwrap().shape().is_empty(), "time is a scalar");
    let (lat, lon) = (read(&f, "Latitude"), read(&f, "Longitude"));
    assert_eq!((lat[0], lat[359], lat[360], lat[64799]), (89.5, 89.5, 88.5, -89.5));
    assert_eq!((lon[0], lon[359], lon[360]), (-179.5, 179.5, -179.5));
    assert_eq!(attr(&f, "NDVI", "_FillValue"), NcAttrValue::Floats(vec![-9999.0]));
    assert_eq!(
        attr(&f, "LandPercentage", "_FillValue"),
        NcAttrValue::Floats(vec![-9999.0])
    );
    let source = f
        .global_attributes()
        .unwrap()
        .iter()
        .find(|a| a.name == "source")
        .unwrap()
        .value
        .as_string();
    assert_eq!(
        source.as_deref(),
        Some("landclust synth (POLDER-like demo, not real GRASP data)")
    );
    assert_eq!(summary.n_cells, 64800);
    assert_eq!(summary.seed, 42);
}

#[test]
fn far_north_and_random_gaps_are_fill_in_every_variable() {
    let (path, summary) = demo(42, NcFormat::Netcdf4);
    let f = open(path);
    let grid_vars = ["LandPercentage", "NDVI", "DHR865", "AOD565", "AExp", "SSA565"];
    let data: Vec<Vec<f64>> = grid_vars.iter().map(|v| read(&f, v)).collect();
    let class = read(&f, "SurfaceClass");
    // north of 60 N everything is missing; south of 55 N only random gaps (about 2 %)
    for k in 0..(30 * 360) {
        assert!(data.iter().all(|v| v[k] == FILL), "cell {k} north of 60 N has data");
        assert_eq!(class[k], -1.0);
    }
    let missing = |k: usize| data[0][k] == FILL;
    for k in 0..64800 {
        assert_eq!(
            data.iter().all(|v| v[k] == FILL),
            missing(k),
            "cell {k}: fill in some variables only"
        );
    }
    let south = (35 * 360)..64800;
    let gaps = south.clone().filter(|&k| missing(k)).count() as f64 / south.len() as f64;
    assert!((0.01..0.03).contains(&gaps), "gap fraction south of 55 N: {gaps}");
    assert_eq!((0..64800).filter(|&k| missing(k)).count(), summary.n_missing);
    // the edge is ragged: rows between 55 and 60 N are partly valid
    let band_valid = (30 * 360..35 * 360).filter(|&k| !missing(k)).count();
    assert!(
        band_valid > 0 && band_valid < 5 * 360 * 98 / 100,
        "valid cells in 55-60 N: {band_valid}"
    );
}

#[test]
fn reflectances_are_physical_and_ndvi_follows_them() {
    let (path, summary) = demo(42, NcFormat::Netcdf4);
    let f = open(path);
    let dhr: Vec<Vec<f64>> = BANDS.iter().map(|b| read(&f, b)).collect();
    let ndvi = read(&f, "NDVI");
    let land = read(&f, "LandPercentage");
    let mut n_valid = 0;
    for k in 0..64800 {
        if ndvi[k] == FILL {
            assert!(dhr.iter().all(|v| v[k] == FILL), "cell {k}: DHR without NDVI");
            continue;
        }
        n_valid += 1;
        assert!(land[k] > 0.0, "cell {k}: surface data over open ocean");
        assert!(
            dhr.iter().all(|v| v[k] > 0.0 && v[k] <= 1.0),
            "cell {k}: reflectance outside (0, 1]"
        );
        let (nir, red) = (dhr[4][k], dhr[3][k]);
        let expected = ((nir - red) / (nir + red)) as f32 as f64;
        // the file's NDVI is the f32 rounding of the formula on the stored f32 reflectances
        assert!(
            (ndvi[k] - expected).abs() <= 1e-6,
            "cell {k}: NDVI {} vs {expected}",
            ndvi[k]
        );
    }
    assert!(n_valid > 15000, "{n_valid}");
    let n_land = (0..64800).filter(|&k| land[k] == 100.0).count();
    assert_eq!(n_land, summary.n_land_cells);
    assert!(n_land > 10000, "land cells with data: {n_land}");
}

#[test]
fn regions_look_like_the_earth() {
    let (path, _) = demo(42, NcFormat::Netcdf4);
    let f = open(path);
    let (ndvi, nir, blue, class) = (
        read(&f, "NDVI"),
        read(&f, "DHR865"),
        read(&f, "DHR443"),
        read(&f, "SurfaceClass"),
    );
    let aod = read(&f, "AOD565");
    let aexp = read(&f, "AExp");
    // Sahara (23.5 N, 10.5 E): bright, red-sloped, barely green, dusty
    let sahara = (23.5, 10.5);
    assert!(mean(&block(&ndvi, sahara.0, sahara.1)) < 0.12);
    assert!(mean(&block(&nir, sahara.0, sahara.1)) > 0.3);
    assert!(mean(&block(&blue, sahara.0, sahara.1)) < mean(&block(&nir, sahara.0, sahara.1)));
    assert!(
        block(&class, sahara.0, sahara.1).contains(&2.0),
        "Sahara is sand_desert (2)"
    );
    assert!(mean(&block(&aod, sahara.0, sahara.1)) > 0.3 && mean(&block(&aexp, sahara.0, sahara.1)) < 0.6);
    // Amazon (3.5 S, 60.5 W): dense forest
    let amazon = (-3.5, -60.5);
    assert!(mean(&block(&ndvi, amazon.0, amazon.1)) > 0.7);
    assert!(mean(&block(&blue, amazon.0, amazon.1)) < 0.06);
    assert!(
        block(&class, amazon.0, amazon.1).contains(&8.0),
        "Amazon is evergreen_broadleaf (8)"
    );
    // Antarctic plateau (80.5 S, 100.5 E): snow, bright in the blue, NDVI near zero
    let antarctica = (-80.5, 100.5);
    assert!(mean(&block(&blue, antarctica.0, antarctica.1)) > 0.8);
    assert!(mean(&block(&ndvi, antarctica.0, antarctica.1)).abs() < 0.1);
    // clean remote ocean (30.5 S, 120.5 W) has little aerosol
    assert!(aod[cell(-30.5, -120.5)] < 0.2 || aod[cell(-30.5, -120.5)] == FILL);
}

#[test]
fn surface_class_is_labelled_ground_truth() {
    let (path, summary) = demo(42, NcFormat::Netcdf4);
    let f = open(path);
    assert_eq!(attr(&f, "SurfaceClass", "_FillValue"), NcAttrValue::Shorts(vec![-1]));
    assert_eq!(
        attr(&f, "SurfaceClass", "flag_values"),
        NcAttrValue::Shorts((1..=11).collect())
    );
    let meanings = attr(&f, "SurfaceClass", "flag_meanings").as_string().unwrap();
    assert!(
        meanings.starts_with("snow_ice sand_desert dry_soil steppe savanna"),
        "{meanings}"
    );
    let class = read(&f, "SurfaceClass");
    let land = read(&f, "LandPercentage");
    let counted: usize = summary.class_counts.iter().map(|c| c.n_land_cells).sum();
    assert_eq!(counted, summary.n_land_cells);
    for c in &summary.class_counts {
        let in_file = (0..64800)
            .filter(|&k| land[k] == 100.0 && class[k] == f64::from(c.code))
            .count();
        assert_eq!(in_file, c.n_land_cells, "{}", c.name);
        assert!(
            c.n_land_cells > 50,
            "class {} has only {} land cells",
            c.name,
            c.n_land_cells
        );
    }
}

#[test]
fn classic_file_holds_the_same_values() {
    let (nc4, _) = demo(42, NcFormat::Netcdf4);
    let (classic, summary) = demo(42, NcFormat::Classic);
    let (a, b) = (open(nc4), open(classic));
    assert_eq!(b.format(), netcdf_reader::NcFormat::Offset64);
    assert_eq!(summary.format, NcFormat::Classic);
    for name in [
        "Latitude",
        "LandPercentage",
        "NDVI",
        "DHR443",
        "DHR1020",
        "AOD865",
        "SurfaceClass",
        "Wavelength",
        "time",
    ] {
        assert_eq!(read(&a, name), read(&b, name), "{name}");
    }
    assert_eq!(attr(&b, "DHR670", "_FillValue"), NcAttrValue::Floats(vec![-9999.0]));
}

#[test]
fn same_seed_same_data_other_seed_other_noise() {
    let (first, _) = demo(42, NcFormat::Netcdf4);
    let dir = tempfile::tempdir().unwrap();
    let again = dir.path().join("again.nc");
    write_demo(
        &again,
        &SynthParams {
            seed: 42,
            format: NcFormat::Netcdf4,
        },
    )
    .unwrap();
    let (a, b) = (open(first), open(&again));
    for v in a.variables().unwrap() {
        let name = v.name();
        assert_eq!(
            a.read_variable_raw_bytes(name).unwrap(),
            b.read_variable_raw_bytes(name).unwrap(),
            "{name}"
        );
    }
    let (other, _) = demo(7, NcFormat::Netcdf4);
    let c = open(other);
    let (x, y) = (read(&a, "DHR865"), read(&c, "DHR865"));
    let both: Vec<usize> = (0..64800).filter(|&k| x[k] != FILL && y[k] != FILL).collect();
    let changed = both.iter().filter(|&&k| x[k] != y[k]).count();
    assert!(
        changed > both.len() * 9 / 10,
        "seed 7 changed {changed} of {} cells",
        both.len()
    );
    // the land itself does not depend on the seed
    let (la, lc) = (read(&a, "LandPercentage"), read(&c, "LandPercentage"));
    assert!((0..64800).all(|k| la[k] == FILL || lc[k] == FILL || la[k] == lc[k]));
}

// ---- finer resolutions (0.5 degree: fast enough for CI; 0.1 and 0.05 are not generated here)

use landclust::synth::{Resolution, write_demo_at};

/// 0.5-degree demo files already written: (seed, path and summary).
type FineFiles = Vec<(u64, &'static (PathBuf, SynthSummary))>;

/// The 0.5-degree demo for `seed`, written once per seed.
fn fine(seed: u64) -> &'static (PathBuf, SynthSummary) {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    static FILES: OnceLock<std::sync::Mutex<FineFiles>> = OnceLock::new();
    let dir = DIR.get_or_init(|| tempfile::tempdir().unwrap());
    let mut files = FILES.get_or_init(Default::default).lock().unwrap();
    if let Some((_, f)) = files.iter().find(|(s, _)| *s == seed) {
        return f;
    }
    let path = dir.path().join(format!("fine_{seed}.nc"));
    let params = SynthParams {
        seed,
        format: NcFormat::Netcdf4,
    };
    let summary = write_demo_at(&path, &params, Resolution::new(0.5).unwrap(), false).unwrap();
    let leaked: &'static (PathBuf, SynthSummary) = Box::leak(Box::new((path, summary)));
    files.push((seed, leaked));
    leaked
}

const FINE_ROWS: usize = 360;
const FINE_COLS: usize = 720;

#[test]
fn half_degree_demo_has_the_same_layout_as_the_one_degree_demo() {
    let (path, summary) = fine(42);
    let (one, _) = demo(42, NcFormat::Netcdf4);
    let (f, g) = (open(path), open(one));
    assert_eq!(f.format(), netcdf_reader::NcFormat::Nc4);
    assert_eq!(f.dimension("x").unwrap().size, FINE_ROWS as u64);
    assert_eq!(f.dimension("y").unwrap().size, FINE_COLS as u64);
    let names = |f: &NcFile| {
        f.variables()
            .unwrap()
            .iter()
            .map(|v| v.name().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&f), names(&g), "same variables in the same order");
    for v in g.variables().unwrap() {
        let w = f.variable(v.name()).unwrap();
        assert_eq!(w.dtype(), v.dtype(), "{}", v.name());
        let shape = if v.shape() == vec![180, 360] {
            vec![FINE_ROWS as u64, FINE_COLS as u64]
        } else {
            v.shape()
        };
        assert_eq!(w.shape(), shape, "{}", v.name());
        let attr_names =
            |x: &netcdf_reader::NcVariable| x.attributes().iter().map(|a| a.name.clone()).collect::<Vec<_>>();
        assert_eq!(attr_names(w), attr_names(v), "{} attributes", v.name());
    }
    for name in ["NDVI", "LandPercentage", "SurfaceClass", "KoppenGeiger"] {
        assert_eq!(attr(&f, name, "_FillValue"), attr(&g, name, "_FillValue"), "{name}");
    }
    let (lat, lon) = (read(&f, "Latitude"), read(&f, "Longitude"));
    assert_eq!((lat[0], lat[FINE_COLS - 1], lat[FINE_COLS]), (89.75, 89.75, 89.25));
    assert_eq!(lat[FINE_ROWS * FINE_COLS - 1], -89.75);
    assert_eq!((lon[0], lon[FINE_COLS - 1], lon[FINE_COLS]), (-179.75, 179.75, -179.75));
    assert_eq!(summary.n_cells, FINE_ROWS * FINE_COLS);
    let title = f
        .global_attributes()
        .unwrap()
        .iter()
        .find(|a| a.name == "title")
        .unwrap()
        .value
        .as_string()
        .unwrap();
    assert!(title.contains("0.5 degree"), "{title}");
}

#[test]
fn half_degree_land_matches_the_one_degree_land() {
    let (path, _) = fine(42);
    let (one, _) = demo(42, NcFormat::Netcdf4);
    // mean land percentage of the valid cells south of 55 N (rows weighted alike in both)
    let mean_land = |v: &[f64], cols: usize, rows_north_of_55: usize| {
        let valid: Vec<f64> = v[rows_north_of_55 * cols..]
            .iter()
            .copied()
            .filter(|&x| x != FILL)
            .collect();
        valid.iter().sum::<f64>() / valid.len() as f64 / 100.0
    };
    let fine_land = read(&open(path), "LandPercentage");
    let one_land = read(&open(one), "LandPercentage");
    let (a, b) = (mean_land(&fine_land, FINE_COLS, 70), mean_land(&one_land, 360, 35));
    assert!((a - b).abs() < 0.02, "land share {a} at 0.5 degree vs {b} at 1 degree");
    let valid: Vec<f64> = fine_land.iter().copied().filter(|&x| x != FILL).collect();
    assert!(valid.iter().all(|&x| (0.0..=100.0).contains(&x)));
    let pure = valid.iter().filter(|&&x| x == 0.0 || x == 100.0).count() as f64 / valid.len() as f64;
    let coast = 1.0 - pure;
    assert!(pure > 0.85, "share of pure land/sea cells {pure}");
    assert!(coast > 0.01, "a coastal band of partial cells: {coast}");
}

#[test]
fn half_degree_missing_data_and_physics_follow_the_one_degree_rules() {
    let (path, summary) = fine(42);
    let f = open(path);
    let n = FINE_ROWS * FINE_COLS;
    let grid_vars = ["LandPercentage", "AOD565", "AExp", "SSA565"];
    let data: Vec<Vec<f64>> = grid_vars.iter().map(|v| read(&f, v)).collect();
    let missing = |k: usize| data[0][k] == FILL;
    for k in 0..n {
        assert_eq!(data.iter().all(|v| v[k] == FILL), missing(k), "cell {k}");
    }
    assert!((0..60 * FINE_COLS).all(missing), "north of 60 N is missing");
    let south = (70 * FINE_COLS)..n;
    let gaps = south.clone().filter(|&k| missing(k)).count() as f64 / south.len() as f64;
    assert!((0.015..0.025).contains(&gaps), "gap fraction {gaps}");
    assert_eq!((0..n).filter(|&k| missing(k)).count(), summary.n_missing);
    let band_valid = (60 * FINE_COLS..70 * FINE_COLS).filter(|&k| !missing(k)).count();
    assert!(
        band_valid > 0 && band_valid < 10 * FINE_COLS * 98 / 100,
        "ragged edge: {band_valid}"
    );
    // surface variables exactly where there is land and data; NDVI from the stored reflectances
    let dhr: Vec<Vec<f64>> = BANDS.iter().map(|b| read(&f, b)).collect();
    let (ndvi, class, koppen) = (read(&f, "NDVI"), read(&f, "SurfaceClass"), read(&f, "KoppenGeiger"));
    for k in 0..n {
        let land = !missing(k) && data[0][k] > 0.0;
        assert_eq!(ndvi[k] != FILL, land, "cell {k}");
        assert_eq!(class[k] != -1.0, land, "cell {k}");
        if land {
            assert!(dhr.iter().all(|v| v[k] > 0.0 && v[k] <= 1.0));
            assert!((1.0..=11.0).contains(&class[k]) && (1.0..=31.0).contains(&koppen[k]));
            let expected = ((dhr[4][k] - dhr[3][k]) / (dhr[4][k] + dhr[3][k])) as f32 as f64;
            assert!((ndvi[k] - expected).abs() <= 1e-6);
        }
    }
    // summary counts agree with the file, every class is present
    let land = read(&f, "LandPercentage");
    for c in &summary.class_counts {
        let in_file = (0..n)
            .filter(|&k| land[k] == 100.0 && class[k] == f64::from(c.code))
            .count();
        assert_eq!(in_file, c.n_land_cells, "{}", c.name);
        assert!(c.n_land_cells > 100, "{}: {}", c.name, c.n_land_cells);
    }
    // not 1-degree blocks: within 1-degree blocks of pure land, NIR varies between the 4 cells
    let nir = &dhr[4];
    let (mut blocks, mut varied) = (0, 0);
    for bi in (80..300).step_by(2) {
        for bj in (0..FINE_COLS).step_by(2) {
            let ks = [
                bi * FINE_COLS + bj,
                bi * FINE_COLS + bj + 1,
                (bi + 1) * FINE_COLS + bj,
                (bi + 1) * FINE_COLS + bj + 1,
            ];
            if ks.iter().all(|&k| land[k] == 100.0) {
                blocks += 1;
                let spread = ks.iter().map(|&k| nir[k]).fold(f64::MIN, f64::max)
                    - ks.iter().map(|&k| nir[k]).fold(f64::MAX, f64::min);
                varied += usize::from(spread > 0.005);
            }
        }
    }
    assert!(
        blocks > 1000 && varied > blocks * 9 / 10,
        "{varied} of {blocks} blocks vary"
    );
}

#[test]
fn half_degree_regions_look_like_the_earth() {
    let (path, _) = fine(42);
    let f = open(path);
    let (ndvi, class) = (read(&f, "NDVI"), read(&f, "SurfaceClass"));
    let cell = |lat: f64, lon: f64| {
        ((89.75 - lat) / 0.5).round() as usize * FINE_COLS + ((lon + 179.75) / 0.5).round() as usize
    };
    let near = |v: &[f64], lat: f64, lon: f64| {
        let c = cell(lat, lon);
        [
            c - FINE_COLS - 1,
            c - FINE_COLS,
            c - 1,
            c,
            c + 1,
            c + FINE_COLS,
            c + FINE_COLS + 1,
        ]
        .iter()
        .map(|&k| v[k])
        .filter(|&x| x != FILL && x != -1.0)
        .collect::<Vec<_>>()
    };
    assert!(near(&class, 23.25, 10.25).contains(&2.0), "Sahara is sand_desert");
    assert!(mean(&near(&ndvi, 23.25, 10.25)) < 0.15);
    assert!(
        near(&class, -3.25, -60.25).contains(&8.0),
        "Amazon is evergreen_broadleaf"
    );
    assert!(mean(&near(&ndvi, -3.25, -60.25)) > 0.6);
    assert_eq!(
        read(&f, "LandPercentage")[cell(-30.25, -120.25)].max(0.0),
        0.0,
        "open Pacific"
    );
}

#[test]
fn half_degree_same_seed_same_bytes_other_seed_other_values() {
    let (first, _) = fine(42);
    let dir = tempfile::tempdir().unwrap();
    let again = dir.path().join("again.nc");
    let params = SynthParams {
        seed: 42,
        format: NcFormat::Netcdf4,
    };
    write_demo_at(&again, &params, Resolution::new(0.5).unwrap(), false).unwrap();
    assert!(
        std::fs::read(first).unwrap() == std::fs::read(&again).unwrap(),
        "same seed, same file bytes"
    );
    let (other, _) = fine(7);
    let (a, c) = (open(first), open(other));
    let (x, y) = (read(&a, "DHR865"), read(&c, "DHR865"));
    let both: Vec<usize> = (0..x.len()).filter(|&k| x[k] != FILL && y[k] != FILL).collect();
    let changed = both.iter().filter(|&&k| x[k] != y[k]).count();
    assert!(
        changed > both.len() * 9 / 10,
        "seed 7 changed {changed} of {}",
        both.len()
    );
    let (la, lc) = (read(&a, "LandPercentage"), read(&c, "LandPercentage"));
    assert!(
        (0..la.len()).all(|k| la[k] == FILL || lc[k] == FILL || la[k] == lc[k]),
        "land does not depend on the seed"
    );
}

#[test]
fn half_degree_file_reads_back_with_landclust() {
    let (path, _) = fine(42);
    let f = landclust::io::netcdf::NcFile::open(path).unwrap();
    let grid = f.grid().unwrap();
    assert_eq!((grid.n_rows, grid.n_cols), (FINE_ROWS, FINE_COLS));
    assert_eq!(grid.row_lat(0), 89.75);
    assert_eq!(grid.col_lon(0), -179.75);
    let vars = f.grid_variables_on(&grid);
    for name in ["LandPercentage", "NDVI", "DHR865", "SurfaceClass"] {
        assert!(vars.iter().any(|v| v == name), "{name} in {vars:?}");
    }
    let ndvi = f.read_variable("NDVI", &grid).unwrap();
    assert_eq!(ndvi.values.len(), FINE_ROWS * FINE_COLS);
    assert!(ndvi.n_valid() > 50_000, "{}", ndvi.n_valid());
}

#[test]
fn resolutions_must_divide_the_globe() {
    for deg in [1.0, 0.5, 0.25, 0.2, 0.1, 0.05] {
        let r = Resolution::new(deg).unwrap();
        assert_eq!(
            (r.rows(), r.cols()),
            ((180.0 / deg).round() as usize, (360.0 / deg).round() as usize)
        );
    }
    for bad in [0.7, 2.0, 0.0, -1.0, 0.01, f64::NAN, 0.33] {
        assert!(Resolution::new(bad).is_err(), "{bad}");
    }
    assert!("0.25".parse::<Resolution>().is_ok());
    assert!("abc".parse::<Resolution>().is_err());
    // the CLI rejects it with one line that names the option
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_landclust"))
        .args(["synth", "--resolution", "0.7", "--out"])
        .arg(dir.path().join("x.nc"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("--resolution") && stderr.contains("0.7"), "{stderr}");
    assert!(!dir.path().join("x.nc").exists());
}
