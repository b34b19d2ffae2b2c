//! The POLDER-like demo file (`landclust::synth`), read back with the independent
//! `netcdf-reader` crate: GRASP layout and names, fill values, physics of the reflectances,
//! ground truth, both formats, determinism per seed.

use landclust::io::netcdf_write::NcFormat;
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
