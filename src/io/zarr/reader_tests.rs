//! The Zarr reader against the netCDF reader on the committed fixtures (tests/fixtures/zarr:
//! the same values as netCDF-4, Zarr v2 and Zarr v3 written by xarray).

use super::*;
use crate::dataset::{BlockReader, DecodeOverrides};
use crate::io::netcdf::NcGridReader;
use std::ops::Range;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/zarr")
        .join(name)
}

const STORES: [&str; 2] = ["subset_v2.zarr", "subset_v3.zarr"];

const SPECS: [&str; 14] = [
    "LandPercentage",
    "NDVI",
    "DHR443",
    "DHR490",
    "DHR565",
    "DHR670",
    "DHR865",
    "DHR1020",
    "NDVI_packed",
    "DHR[0]",
    "DHR[5]",
    "DHR:mean",
    "DHR:max",
    "DHR:median",
];

fn netcdf() -> NcGridReader {
    NcGridReader::open(&fixture("subset.nc")).unwrap()
}

fn whole(r: &dyn BlockReader, spec: &str) -> Vec<f64> {
    let g = r.grid();
    r.read_block(spec, 0..g.n_rows, &[0..g.n_cols]).unwrap()
}

/// Bit for bit, NaN where the other is NaN.
fn assert_same(what: &str, got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            g.to_bits() == w.to_bits() || (g.is_nan() && w.is_nan()),
            "{what}: element {i}: {g} != {w}"
        );
    }
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

/// A copy of fixture `name` in a fresh temporary folder.
fn copy_of(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    copy_dir(&fixture(name), &path);
    (dir, path)
}

#[test]
fn stores_are_recognised_by_their_root_documents() {
    for s in STORES {
        assert!(is_zarr(&fixture(s)), "{s}");
    }
    assert!(!is_zarr(&fixture("subset.nc")));
    assert!(!is_zarr(&fixture("subset_v2.zarr/NDVI")), "an array is no store");
    assert!(!is_zarr(Path::new(env!("CARGO_MANIFEST_DIR")).join("src").as_path()));
}

#[test]
fn grids_match_the_netcdf_grid_in_both_layouts() {
    let nc = netcdf();
    let want = nc.grid();
    for s in STORES {
        let z = ZarrGridReader::open(&fixture(s)).unwrap();
        let g = z.grid();
        assert_eq!((g.n_rows, g.n_cols), (want.n_rows, want.n_cols), "{s}");
        assert_same(&format!("{s} lat"), &g.lat, &want.lat);
        assert_same(&format!("{s} lon"), &g.lon, &want.lon);
        assert_eq!(g.crs, None, "{s}: WGS 84");
    }
    // v2 keeps the demo's 2-D coordinates; v3 has 1-D ones stored south first in 0..360.
    let v2 = ZarrGridReader::open(&fixture("subset_v2.zarr")).unwrap();
    assert!(matches!(v2.grid().source, GridSource::TwoD { .. }));
    assert!(!v2.grid().orientation.lat_flipped);
    let v3 = ZarrGridReader::open(&fixture("subset_v3.zarr")).unwrap();
    assert!(matches!(&v3.grid().source, GridSource::OneD { lat_var, lon_var } if lat_var == "lat" && lon_var == "lon"));
    assert!(v3.grid().orientation.lat_flipped);
    assert!(v3.grid().orientation.lon_shift > 0);
}

#[test]
fn every_spec_reads_as_the_netcdf_reader_reads_it() {
    let nc = netcdf();
    for s in STORES {
        let z = ZarrGridReader::open(&fixture(s)).unwrap();
        for spec in SPECS {
            let want = whole(&nc, spec);
            assert!(want.iter().any(|v| !v.is_nan()), "{spec}: no value in the fixture");
            assert_same(&format!("{s} {spec}"), &whole(&z, spec), &want);
            assert_eq!(z.units(spec).unwrap(), nc.units(spec).unwrap(), "{s} {spec}");
        }
    }
}

/// The block of `rows` x `cols` cut out of a whole-grid read.
fn cut(all: &[f64], n_cols: usize, rows: Range<usize>, cols: &[Range<usize>]) -> Vec<f64> {
    let mut out = Vec::new();
    for r in rows {
        for c in cols {
            out.extend_from_slice(&all[r * n_cols + c.start..r * n_cols + c.end]);
        }
    }
    out
}

#[test]
fn row_blocks_and_column_segments_cut_through_chunks() {
    for s in STORES {
        let z = ZarrGridReader::open(&fixture(s)).unwrap();
        let (nr, nc) = (z.grid().n_rows, z.grid().n_cols);
        // Grid column `nc - shift` is store column 0: a segment around it reads two hyperslabs.
        let seam = (nc - z.grid().orientation.lon_shift) % nc;
        let segments: Vec<Vec<Range<usize>>> = vec![
            vec![0..nc],
            vec![0..4, 10..nc],
            vec![7..8],
            vec![seam.saturating_sub(2)..(seam + 3).min(nc)],
        ];
        for spec in ["NDVI", "NDVI_packed", "DHR[3]", "DHR:mean"] {
            let all = whole(&z, spec);
            for block_rows in [1, 5, 7, 13] {
                for cols in &segments {
                    let mut r = 0;
                    while r < nr {
                        let r1 = (r + block_rows).min(nr);
                        let got = z.read_block(spec, r..r1, cols).unwrap();
                        let what = format!("{s} {spec} rows {r}..{r1} cols {cols:?}");
                        assert_same(&what, &got, &cut(&all, nc, r..r1, cols));
                        r = r1;
                    }
                }
            }
        }
        let e = z.read_block("NDVI", 0..nr + 1, &[0..nc]).unwrap_err().to_string();
        assert!(e.contains("block outside the grid"), "{e}");
    }
}

#[test]
fn only_the_chunks_a_block_overlaps_are_decoded() {
    // NDVI's chunks are 12 rows high (v2, north first): chunk row 2 holds grid rows 24..31.
    let (_dir, store) = copy_of("subset_v2.zarr");
    for c in 0..3 {
        std::fs::write(store.join(format!("NDVI/2.{c}")), b"not a blosc frame").unwrap();
    }
    let z = ZarrGridReader::open(&store).unwrap();
    let nc = z.grid().n_cols;
    let clean = z.read_block("NDVI", 0..24, &[0..nc]).unwrap();
    assert_same(
        "rows 0..24",
        &clean,
        &cut(&whole(&netcdf(), "NDVI"), nc, 0..24, &[0..nc]),
    );
    let e = z.read_block("NDVI", 20..26, &[0..nc]).unwrap_err().to_string();
    assert!(e.contains("variable NDVI: cannot read"), "{e}");
    assert_eq!(e.lines().count(), 1, "{e}");
}

#[test]
fn a_series_expands_over_the_extra_dimension() {
    for s in STORES {
        let z = ZarrGridReader::open(&fixture(s)).unwrap();
        let specs = z.expand("DHR[*]").unwrap();
        assert_eq!(specs, (0..6).map(|i| format!("DHR[{i}]")).collect::<Vec<_>>());
        assert_same(&format!("{s} DHR[2]"), &whole(&z, "DHR[2]"), &whole(&z, "DHR565"));
        assert_eq!(z.expand("NDVI").unwrap(), ["NDVI"]);
        let e = z.units("DHR").unwrap_err().to_string();
        assert!(e.contains("has an extra dimension wavelength=6"), "{e}");
        let e = z.expand("NDVI[*]").unwrap_err().to_string();
        assert!(e.contains("has no extra dimension to expand"), "{e}");
        let e = z.units("DHR[6]").unwrap_err().to_string();
        assert!(e.contains("index 6 is out of range"), "{e}");
    }
}

#[test]
fn decode_overrides_apply_as_on_netcdf() {
    let ov = DecodeOverrides::parse_all(&["NDVI_packed:scale=2e-4,offset=0,nodata=0,units=percent"]).unwrap();
    let nc = NcGridReader::open_decoded(&fixture("subset.nc"), &ov).unwrap();
    let want = whole(&nc, "NDVI_packed");
    assert!(
        want.iter()
            .zip(whole(&netcdf(), "NDVI_packed"))
            .any(|(a, b)| a.to_bits() != b.to_bits() && !a.is_nan()),
        "the override changes the values"
    );
    for s in STORES {
        let z = ZarrGridReader::open_decoded(&fixture(s), &ov).unwrap();
        assert_same(&format!("{s} NDVI_packed overridden"), &whole(&z, "NDVI_packed"), &want);
        assert_eq!(z.units("NDVI_packed").unwrap().as_deref(), Some("percent"));
    }
    let bad = DecodeOverrides::parse_all(&["NDVI_pakced:scale=2"]).unwrap();
    let e = ZarrGridReader::open_decoded(&fixture("subset_v3.zarr"), &bad)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("--decode names no array of the store (did you mean NDVI_packed?)"),
        "{e}"
    );
}

#[test]
fn unknown_names_and_non_grid_arrays_are_named() {
    let z = ZarrGridReader::open(&fixture("subset_v3.zarr")).unwrap();
    let e = z.units("NDVl").unwrap_err().to_string();
    assert!(e.contains("variable NDVl: not in the store; did you mean NDVI"), "{e}");
    let e = z.units("Wavelength").unwrap_err().to_string();
    assert!(e.contains("is not on the grid"), "{e}");
    let names = z.variable_names();
    assert!(
        names.contains(&"NDVI".to_string()) && names.contains(&"DHR".to_string()),
        "{names:?}"
    );
    assert!(!names.contains(&"lat".to_string()));
    let plain = z.file().grid_variables_on(z.grid());
    assert!(
        plain.contains(&"NDVI_packed".to_string()) && !plain.contains(&"DHR".to_string()),
        "{plain:?}"
    );
}

#[test]
fn an_unsupported_codec_is_one_line_naming_array_and_codec() {
    let (_dir, store) = copy_of("subset_v3.zarr");
    let meta = store.join("NDVI/zarr.json");
    let text = std::fs::read_to_string(&meta).unwrap().replace("\"zstd\"", "\"lzma\"");
    std::fs::write(&meta, text).unwrap();
    // The grid and the other arrays still read; NDVI does not.
    let z = ZarrGridReader::open(&store).unwrap();
    assert!(z.read_block("DHR443", 0..2, &[0..3]).is_ok());
    // Like a damaged netCDF variable: its metadata reads, its data does not.
    assert_eq!(z.units("NDVI").unwrap().as_deref(), Some("1"));
    let e = z.read_block("NDVI", 0..2, &[0..3]).unwrap_err().to_string();
    assert!(
        e.contains("variable NDVI: cannot open the array (codecs: bytes, lzma)"),
        "{e}"
    );
    assert_eq!(e.lines().count(), 1, "{e}");
}

#[test]
fn a_store_without_coordinates_says_what_is_missing() {
    let (_dir, store) = copy_of("subset_v3.zarr");
    std::fs::remove_dir_all(store.join("lat")).unwrap();
    std::fs::remove_dir_all(store.join("lon")).unwrap();
    let e = ZarrGridReader::open(&store).unwrap_err().to_string();
    assert!(
        e.starts_with(&format!(
            "{}: Zarr store without a latitude/longitude grid: no latitude and no longitude",
            store.display()
        )),
        "{e}"
    );
    assert_eq!(e.lines().count(), 1, "{e}");
    let (_dir, store) = copy_of("subset_v2.zarr");
    std::fs::remove_dir_all(store.join("Longitude")).unwrap();
    let e = ZarrGridReader::open(&store).unwrap_err().to_string();
    assert!(e.contains("no longitude coordinate"), "{e}");
}

#[test]
fn the_summary_describes_arrays_storage_and_grid() {
    let want = crate::io::netcdf::NcFile::open(fixture("subset.nc")).unwrap().summary();
    for (s, format, codec) in [
        ("subset_v2.zarr", "Zarr v2, consolidated", "blosc(lz4)"),
        ("subset_v3.zarr", "Zarr v3, consolidated", "zstd"),
    ] {
        let store = ZarrStore::open(fixture(s)).unwrap();
        let sum = store.summary();
        assert_eq!(sum.file.format, format);
        assert!(sum.file.grid.is_some() && sum.file.grid_error.is_none());
        for name in ["NDVI", "NDVI_packed", "DHR", "LandPercentage"] {
            let got = sum.file.variables.iter().find(|v| v.name == name).unwrap();
            let nc = want.variables.iter().find(|v| v.name == name).unwrap();
            assert_eq!((got.n_valid, got.n_elements), (nc.n_valid, nc.n_elements), "{s} {name}");
            assert_eq!(
                (&got.dtype, &got.units, got.on_grid),
                (&nc.dtype, &nc.units, nc.on_grid),
                "{s} {name}"
            );
            assert_eq!(got.extra_dim, nc.extra_dim, "{s} {name}");
        }
        let packed = sum.file.variables.iter().find(|v| v.name == "NDVI_packed").unwrap();
        assert!((packed.fill_value.unwrap() - (-32768.0 * 1e-4 + 0.5)).abs() < 1e-9);
        let ndvi = sum.storage.iter().find(|a| a.name == "NDVI").unwrap();
        assert!(ndvi.codecs.iter().any(|c| c == codec), "{s}: {:?}", ndvi.codecs);
        let gz = sum.storage.iter().find(|a| a.name == "DHR565").unwrap();
        assert!(gz.codecs.iter().any(|c| c == "gzip"), "{s}: {:?}", gz.codecs);
        assert!(sum.undecodable(&store).is_none());
        let text = sum.to_string();
        assert!(
            text.contains("storage:") && text.contains(&format!("({format})")),
            "{text}"
        );
        let json = serde_json::to_value(&sum).unwrap();
        assert_eq!(json["format"], format);
        assert!(json["storage"].is_array() && json["variables"].is_array());
    }
}
