//! Writes a 12-month stack at `DEG` degrees (default 0.1: 1800 x 3600 cells) three ways, for
//! `scripts/stack_memory.sh`, which measures a run's peak memory on each:
//!
//! - `ndvi_2020_01.tif` .. `ndvi_2020_12.tif` and `land.tif`: single-band GeoTIFFs as
//!   landclust writes them (cloud-optimised, 512 x 512 deflate tiles, above 2048 cells a side);
//! - `ndvi_01.nc` .. `ndvi_12.nc`: CF netCDF-4 files, `NDVI(time, lat, lon)` with one time each
//!   (`days since 2020-01-01`) and the same `LandPercentage` in every file;
//! - `monthly.nc`: the same values in one file, `NDVI(month, lat, lon)`.
//!
//! ```sh
//! cargo run --release --example stack_files -- /tmp/stack [DEG]
//! landclust run 'NDVI=/tmp/stack/ndvi_2020_*.tif,LandPercentage=/tmp/stack/land.tif' --vars 'NDVI[*]' --k 6 --out /tmp/o1
//! landclust run '/tmp/stack/ndvi_*.nc' --vars 'NDVI[*]' --k 6 --out /tmp/o2
//! ```
//!
//! The values are smooth made-up fields (a land mask of a few blobs, NDVI with a seasonal cycle
//! that flips between the hemispheres), deterministic, with no other meaning.

use landclust::io::geotiff::writer::{GeoRaster, RasterData, write_geotiff};
use landclust::io::netcdf::write::{AttrValue, NcFormat, OutData, OutVar, attrs, write_nc};
use std::f64::consts::PI;
use std::path::Path;

const MONTHS: usize = 12;
const FILL: f32 = -9999.0;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let out = Path::new(args.get(1).ok_or("usage: stack_files OUT_DIR [DEG]")?);
    let deg: f64 = args.get(2).map_or(Ok(0.1), |a| a.parse())?;
    let (rows, cols) = ((180.0 / deg).round() as usize, (360.0 / deg).round() as usize);
    std::fs::create_dir_all(out)?;
    let lat: Vec<f64> = (0..rows).map(|i| 90.0 - deg * (i as f64 + 0.5)).collect();
    let lon: Vec<f64> = (0..cols).map(|j| -180.0 + deg * (j as f64 + 0.5)).collect();
    let land: Vec<f32> = (0..rows * cols)
        .map(|k| {
            let (y, x) = (lat[k / cols].to_radians(), lon[k % cols].to_radians());
            let blobs = (2.0 * y).cos() * (3.0 * x).sin() + 0.5 * (5.0 * x + y).cos();
            if blobs > 0.2 { 100.0 } else { 0.0 }
        })
        .collect();
    let raster = |data: Vec<f32>, name: &str| GeoRaster {
        width: cols,
        height: rows,
        west: -180.0,
        north: 90.0,
        dlon: deg,
        dlat: deg,
        data: RasterData::F32(data),
        nodata: Some(f64::NAN),
        colormap: None,
        description: Some(name.into()),
    };
    write_geotiff(&out.join("land.tif"), &raster(land.clone(), "LandPercentage"))?;
    let (lat32, lon32): (Vec<f32>, Vec<f32>) = (
        lat.iter().map(|&v| v as f32).collect(),
        lon.iter().map(|&v| v as f32).collect(),
    );
    let coords = || {
        [
            OutVar::new("lat", &["lat"], OutData::F32(&lat32))
                .with_attrs(attrs([("units", AttrValue::Text("degrees_north".into()))])),
            OutVar::new("lon", &["lon"], OutData::F32(&lon32))
                .with_attrs(attrs([("units", AttrValue::Text("degrees_east".into()))])),
        ]
    };
    let fill = || attrs([("_FillValue", AttrValue::F32(vec![FILL]))]);
    let mut all_months: Vec<f32> = Vec::with_capacity(MONTHS * rows * cols);
    for m in 0..MONTHS {
        let ndvi: Vec<f32> = (0..rows * cols)
            .map(|k| {
                if land[k] == 0.0 {
                    return f32::NAN;
                }
                let (y, x) = (lat[k / cols], lon[k % cols]);
                let season = (2.0 * PI * (m as f64 - 6.0) / 12.0).cos() * (y / 90.0);
                let pattern = (y.to_radians() * 3.0).sin() * (x.to_radians() * 2.0).cos();
                let grain = ((k as f64 * 0.618_034).fract() - 0.5) * 0.02;
                (0.4 + 0.3 * pattern + 0.2 * season + grain) as f32
            })
            .collect();
        write_geotiff(
            &out.join(format!("ndvi_2020_{:02}.tif", m + 1)),
            &raster(ndvi.clone(), "NDVI"),
        )?;
        let stored: Vec<f32> = ndvi.iter().map(|&v| if v.is_nan() { FILL } else { v }).collect();
        let land_stored = land.clone();
        let time = [[
            0.0, 31.0, 60.0, 91.0, 121.0, 152.0, 182.0, 213.0, 244.0, 274.0, 305.0, 335.0,
        ][m]];
        let [vlat, vlon] = coords();
        let vars = [
            vlat,
            vlon,
            OutVar::new("time", &["time"], OutData::F64(&time))
                .with_attrs(attrs([("units", AttrValue::Text("days since 2020-01-01".into()))])),
            OutVar::new("LandPercentage", &["lat", "lon"], OutData::F32(&land_stored)),
            OutVar::new("NDVI", &["time", "lat", "lon"], OutData::F32(&stored)).with_attrs(fill()),
        ];
        let dims = [("time", 1), ("lat", rows), ("lon", cols)];
        write_nc(
            &out.join(format!("ndvi_{:02}.nc", m + 1)),
            NcFormat::Netcdf4,
            &dims,
            &vars,
            &[],
        )?;
        all_months.extend_from_slice(&stored);
    }
    let [vlat, vlon] = coords();
    let vars = [
        vlat,
        vlon,
        OutVar::new("LandPercentage", &["lat", "lon"], OutData::F32(&land)),
        OutVar::new("NDVI", &["month", "lat", "lon"], OutData::F32(&all_months)).with_attrs(fill()),
    ];
    let dims = [("month", MONTHS), ("lat", rows), ("lon", cols)];
    write_nc(&out.join("monthly.nc"), NcFormat::Netcdf4, &dims, &vars, &[])?;
    println!("{rows} x {cols} cells, 12 months: {}", out.display());
    Ok(())
}
