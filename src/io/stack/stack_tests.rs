#![allow(clippy::single_range_in_vec_init)]

use super::*;
use crate::io::netcdf::write::{AttrValue, NcFormat, OutData, OutVar, attrs, write_nc};

/// A 2 x 2 netCDF file with `V` and, when `time` is given, a CF time coordinate of one value.
fn nc_file(path: &Path, v: f32, time: Option<(f64, &str)>) {
    let lat = [10.0f32, 0.0];
    let lon = [0.0f32, 10.0];
    let values = [v; 4];
    let t = time.map(|(t, _)| [t]);
    let mut vars = vec![
        OutVar::new("lat", &["lat"], OutData::F32(&lat))
            .with_attrs(attrs([("units", AttrValue::Text("degrees_north".into()))])),
        OutVar::new("lon", &["lon"], OutData::F32(&lon))
            .with_attrs(attrs([("units", AttrValue::Text("degrees_east".into()))])),
        OutVar::new("V", &["lat", "lon"], OutData::F32(&values)),
    ];
    if let (Some(t), Some((_, units))) = (&t, time) {
        vars.push(
            OutVar::new("time", &["time"], OutData::F64(t))
                .with_attrs(attrs([("units", AttrValue::Text(units.into()))])),
        );
    }
    write_nc(
        path,
        NcFormat::Netcdf4,
        &[("lat", 2), ("lon", 2), ("time", 1)],
        &vars,
        &[],
    )
    .unwrap();
}

fn open(text: &str) -> Result<Box<dyn BlockReader + Send + Sync>, IoError> {
    open_within(
        Path::new(text),
        ReadLimits {
            memory: geotiff::DEFAULT_READ_MEMORY,
        },
        &DecodeOverrides::default(),
    )
}

#[test]
fn netcdf_files_are_ordered_by_their_time_and_labelled_by_date() {
    let dir = tempfile::tempdir().unwrap();
    // File names in the reverse order of their times.
    nc_file(&dir.path().join("a.nc"), 3.0, Some((60.0, "days since 2020-01-01")));
    nc_file(
        &dir.path().join("b.nc"),
        2.0,
        Some((744.0, "hours since 2020-01-01 00:00:00")),
    );
    nc_file(&dir.path().join("c.nc"), 1.0, Some((0.0, "days since 2020-01-01")));
    let s = open(&format!("{}/*.nc", dir.path().display())).unwrap();
    let info = &s.stacks()[0];
    assert_eq!(info.order, "time");
    assert_eq!(info.labels, ["2020-01-01", "2020-02-01", "2020-03-01"]);
    assert_eq!(s.read_block("V[0]", 0..1, &[0..1]).unwrap(), [1.0]);
    assert_eq!(s.read_block("V[2]", 0..1, &[0..1]).unwrap(), [3.0]);
    assert_eq!(s.read_block("V:mean", 0..1, &[0..1]).unwrap(), [2.0]);
}

#[test]
fn without_times_a_glob_is_ordered_by_name_and_a_list_as_listed() {
    let dir = tempfile::tempdir().unwrap();
    nc_file(&dir.path().join("b.nc"), 2.0, None);
    nc_file(&dir.path().join("a.nc"), 1.0, None);
    let glob = open(&format!("{}/?.nc", dir.path().display())).unwrap();
    assert_eq!(glob.stacks()[0].labels, ["a", "b"]);
    assert_eq!(glob.stacks()[0].order, "name");
    let list = open(&format!("{}/[b.nc;a.nc]", dir.path().display())).unwrap();
    assert_eq!(list.stacks()[0].labels, ["b", "a"]);
    assert_eq!(list.stacks()[0].order, "list");
    assert_eq!(list.read_block("V[0]", 0..1, &[0..1]).unwrap(), [2.0]);
}

#[test]
fn two_files_of_one_time_and_mixed_formats_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    nc_file(&dir.path().join("a.nc"), 1.0, Some((1.0, "days since 2020-01-01")));
    nc_file(&dir.path().join("b.nc"), 2.0, Some((24.0, "hours since 2020-01-01")));
    let e = open(&format!("{}/*.nc", dir.path().display()))
        .err()
        .unwrap()
        .to_string();
    assert!(
        e.contains("b.nc: has the time 2020-01-02 of") && e.contains("a.nc too"),
        "{e}"
    );
    std::fs::write(dir.path().join("c.tif"), b"II*\0").unwrap();
    let e = open(&format!("{}/[a.nc;c.tif]", dir.path().display()))
        .err()
        .unwrap()
        .to_string();
    assert!(
        e.contains("mixes formats") && e.contains("c.tif is a GeoTIFF but") && e.contains("a.nc is not"),
        "{e}"
    );
}

#[test]
fn netcdf_files_of_a_stack_share_one_chunk_cache() {
    let one = chunk_cache_share(1);
    assert_eq!(one, netcdf_reader::NcOpenOptions::default().chunk_cache_bytes);
    assert!(chunk_cache_share(12) * 12 <= one);
    assert_eq!(chunk_cache_share(10_000), MIN_CHUNK_CACHE);
}
