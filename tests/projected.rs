//! Projected grids end to end: the demo's layers written as a MODIS-sinusoidal GeoTIFF
//! (user-defined GeoKeys, 100 km pixels, as GDAL writes MODIS tiles) run in their own CRS: each
//! cell's lon/lat is the inverse projection of its centre (checked against the closed form of
//! the spherical sinusoidal), `--region` selects by those lon/lat, and labels.tif and labels.nc
//! read back with the projection and the input's grid. tests/gis/check_projected.sh checks
//! the outputs in GDAL for every supported projection.

mod common;
mod tiffgen;

use common::{assert_one_line_error, bin, demo_file, metrics, run_ok};
use tiffgen::{Key, Keys, Samples, composite, demo_layers};

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

/// MODIS's sphere (SR-ORG:6842).
const R: f64 = 6371007.181;
const PIXEL: f64 = 100_000.0;

fn sinusoidal_keys() -> Keys {
    Keys::new(&[
        (1024, Key::Short(1)),
        (1025, Key::Short(1)),
        (1026, Key::Text("MODIS Sinusoidal")),
        (2048, Key::Short(32767)),
        (2050, Key::Short(32767)),
        (2054, Key::Short(9102)),
        (2056, Key::Short(32767)),
        (2057, Key::Double(R)),
        (2059, Key::Double(0.0)),
        (3072, Key::Short(32767)),
        (3074, Key::Short(32767)),
        (3075, Key::Short(24)),
        (3076, Key::Short(9001)),
        (3082, Key::Double(0.0)),
        (3083, Key::Double(0.0)),
        (3088, Key::Double(0.0)),
    ])
}

fn labels(dir: &std::path::Path) -> Vec<(usize, usize, f64, f64, usize)> {
    let text = std::fs::read_to_string(dir.join("labels.csv")).unwrap();
    text.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                f[0].parse().unwrap(),
                f[1].parse().unwrap(),
                f[2].parse().unwrap(),
                f[3].parse().unwrap(),
                f[4].parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn sinusoidal_geotiff_runs_in_its_own_projection() {
    let dir = tempfile::tempdir().unwrap();
    let (shape, layers) = demo_layers(demo_file(), &VARS);
    // The 1-degree demo's 360 x 180 cells as 100 km pixels from x -18000 km, y 9000 km.
    let input = composite(
        dir.path(),
        "sinu",
        shape,
        &VARS,
        &layers,
        |_| Samples::F32,
        |_| sinusoidal_keys(),
        PIXEL,
    );
    let out = dir.path().join("out");
    let args = |out: &std::path::Path, extra: &[&str]| {
        let mut a = vec![
            "run",
            input.as_str(),
            "--k",
            "4",
            "--seed",
            "3",
            "--n-init",
            "2",
            "--no-figures",
        ];
        a.extend_from_slice(extra);
        a.extend(["--out", out.to_str().unwrap()].iter().copied());
        a.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let a = args(&out, &[]);
    run_ok(&a.iter().map(String::as_str).collect::<Vec<_>>(), 2);
    let m = metrics(&out);
    assert_eq!(m["projection"]["method"], "sinusoidal");
    assert_eq!(m["crs"]["ellipsoid"]["semi_major_axis"], R);
    // Every cell's lon/lat is the spherical sinusoidal inverse of its pixel centre.
    let cells = labels(&out);
    assert!(cells.len() > 1000);
    for &(row, col, lat, lon, _) in &cells {
        let x = -180.0 * PIXEL + (col as f64 + 0.5) * PIXEL;
        let y = 90.0 * PIXEL - (row as f64 + 0.5) * PIXEL;
        let phi = y / R;
        let (want_lat, want_lon) = (phi.to_degrees(), (x / (R * phi.cos())).to_degrees());
        if want_lon.abs() > 180.0 {
            continue; // outside the projection's domain: no lon/lat to compare
        }
        assert!(
            (lat - want_lat).abs() < 1e-9 && (lon - want_lon).abs() < 1e-9,
            "cell {row},{col}: {lon},{lat} vs {want_lon},{want_lat}"
        );
    }
    // labels.tif and labels.nc carry the projection and the input's grid.
    let input_grid = landclust::io::open_input(std::path::Path::new(&input))
        .unwrap()
        .grid()
        .clone();
    let tif = landclust::io::open_input(&out.join("labels.tif")).unwrap();
    let g = tif.grid();
    assert_eq!(g.projection, input_grid.projection);
    assert_eq!((&g.lat, &g.lon), (&input_grid.lat, &input_grid.lon));
    let nc = landclust::io::netcdf::NcFile::open(out.join("labels.nc")).unwrap();
    let g = nc.grid().unwrap();
    let p = g.projection.clone().unwrap();
    assert_eq!(p.method, landclust::dataset::ProjectionMethod::Sinusoidal);
    assert_eq!(p.base.ellipsoid.semi_major_axis, R);
    assert_eq!((&g.lat, &g.lon), (&input_grid.lat, &input_grid.lon));

    // --region selects the cells whose centre's lon/lat lies in it, in degrees.
    let out_r = dir.path().join("out_r");
    let a = args(&out_r, &["--region", "0,40,-30,30"]);
    run_ok(&a.iter().map(String::as_str).collect::<Vec<_>>(), 2);
    let inside: Vec<(usize, usize)> = cells
        .iter()
        .filter(|c| (0.0..=40.0).contains(&c.3) && (-30.0..=30.0).contains(&c.2))
        .map(|c| (c.0, c.1))
        .collect();
    let region: Vec<(usize, usize)> = labels(&out_r).iter().map(|c| (c.0, c.1)).collect();
    assert!(!region.is_empty());
    assert_eq!(region, inside);
}

#[test]
fn unsupported_projections_are_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let (shape, layers) = demo_layers(demo_file(), &["NDVI"]);
    let path = dir.path().join("merc.tif");
    let keys = Keys::new(&[
        (1024, Key::Short(1)),
        (2048, Key::Short(4326)),
        (3072, Key::Short(32767)),
        (3075, Key::Short(7)),
    ]);
    tiffgen::write_band(&path, shape, &layers[0], Samples::F32, &keys, "NDVI", PIXEL);
    let out = dir.path().join("out");
    let o = bin()
        .args([
            "run",
            path.to_str().unwrap(),
            "--vars",
            "NDVI",
            "--select",
            "all",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert_one_line_error(&o, "the Mercator projection is not supported");
    assert!(!out.exists());
}
