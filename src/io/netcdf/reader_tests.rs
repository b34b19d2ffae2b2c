//! Reading a chunked netCDF-4 file with the chunks of a block decoded in parallel.
#![allow(clippy::single_range_in_vec_init)] // one column segment: the whole width

use super::write::{NcFormat as OutFormat, OutData, OutType, OutVar, RowBlockWriter, attrs};
use super::*;
use crate::dataset::BlockReader;

/// A 40 x 100 grid (latitudes south first, longitudes 0..360) of one float32 variable in
/// chunks of 4 x 30 (edge chunks partial), fill -9999 every 17th value.
fn chunked_file(path: &Path) -> Vec<f32> {
    let (ny, nx) = (40usize, 100usize);
    let lat: Vec<f64> = (0..ny).map(|i| -39.0 + 2.0 * i as f64).collect();
    let lon: Vec<f64> = (0..nx).map(|j| 1.8 + 3.6 * j as f64).collect();
    let v: Vec<f32> = (0..ny * nx)
        .map(|i| {
            if i % 17 == 0 {
                -9999.0
            } else {
                (i * 31 % 1009) as f32 * 0.5
            }
        })
        .collect();
    let mut w = RowBlockWriter::new(path, OutFormat::Netcdf4, &[("lat", ny), ("lon", nx)], &[]).unwrap();
    w.add(&OutVar::new("lat", &["lat"], OutData::F64(&lat)).with_attrs(attrs([("units", "degrees_north".into())])))
        .unwrap();
    w.add(&OutVar::new("lon", &["lon"], OutData::F64(&lon)).with_attrs(attrs([("units", "degrees_east".into())])))
        .unwrap();
    w.declare(
        "v",
        &["lat", "lon"],
        OutType::F32,
        &attrs([("_FillValue", (-9999.0f32).into())]),
        Some(&[4, 30]),
    )
    .unwrap();
    w.write_rows("v", 0, OutData::F32(&v)).unwrap();
    w.finish().unwrap();
    v
}

/// Every value of `v`, in blocks of `block_rows` grid rows over two column segments (the second
/// crossing the file's 0/360 seam), on a pool of `threads` threads.
fn read_on_threads(path: &Path, threads: usize, block_rows: usize) -> Vec<f64> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    pool.install(|| {
        let r = NcGridReader::open(path).unwrap();
        let n = r.grid().n_rows;
        let mut out = Vec::new();
        let mut row = 0;
        while row < n {
            let end = (row + block_rows).min(n);
            out.extend(r.read_block("v", row..end, &[0..30, 40..100]).unwrap());
            row = end;
        }
        out
    })
}

#[test]
fn chunks_decoded_in_parallel_read_the_same_values_as_one_thread() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chunked.nc");
    let stored = chunked_file(&path);
    let one = read_on_threads(&path, 1, 7);
    let two = read_on_threads(&path, 2, 7);
    let four = read_on_threads(&path, 4, 40);
    let same = |a: &[f64], b: &[f64]| a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits());
    assert!(same(&one, &two) && same(&one, &four));
    // The values are the file's: fill as NaN, the rest as stored (oriented, so compare sets).
    let mut got: Vec<f64> = one.iter().copied().filter(|v| !v.is_nan()).collect();
    let grid = NcGridReader::open(&path).unwrap().grid().clone();
    let seam = grid.orientation.lon_shift;
    let read_cols: Vec<usize> = (0..30).chain(40..100).map(|c| (c + seam) % 100).collect();
    let stored = &stored;
    let mut want: Vec<f64> = (0..40)
        .flat_map(|r| read_cols.iter().map(move |&c| stored[r * 100 + c]))
        .filter(|&v| v != -9999.0)
        .map(f64::from)
        .collect();
    got.sort_by(f64::total_cmp);
    want.sort_by(f64::total_cmp);
    assert_eq!(got, want);
    assert_eq!(one.iter().filter(|v| v.is_nan()).count(), 90 * 40 - want.len());
}

#[test]
fn the_reader_counts_what_it_decodes_and_its_chunk_buffers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chunked.nc");
    chunked_file(&path);
    let r = NcGridReader::open(&path).unwrap();
    let before = r.volume().unwrap();
    assert_eq!(before.input_bytes, std::fs::metadata(&path).unwrap().len());
    r.read_block("v", 0..10, &[0..100]).unwrap();
    // Ten rows of 100 float32 values.
    assert_eq!(r.volume().unwrap().decoded_bytes - before.decoded_bytes, 10 * 100 * 4);
    let pool = |threads: usize| rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    let one = pool(1).install(|| r.file().decode_buffer_bytes());
    // Three copies of one 4 x 30 float32 chunk per thread.
    assert_eq!(one, 3 * 4 * 30 * 4);
    assert_eq!(pool(3).install(|| r.file().decode_buffer_bytes()), 3 * one);
}

#[test]
fn a_classic_file_needs_no_chunk_buffers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("classic.nc");
    let mut w = RowBlockWriter::new(&path, OutFormat::Classic, &[("lat", 2), ("lon", 3)], &[]).unwrap();
    w.declare("v", &["lat", "lon"], OutType::F32, &[], None).unwrap();
    w.write_rows("v", 0, OutData::F32(&[1.0; 6])).unwrap();
    w.finish().unwrap();
    assert_eq!(NcFile::open(&path).unwrap().decode_buffer_bytes(), 0);
}
