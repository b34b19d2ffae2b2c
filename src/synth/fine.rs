//! The demo at resolutions finer than 1 degree (`--resolution 0.5 ... 0.05`), computed in row
//! blocks and written through [`RowBlockWriter`] (never a full-grid `f64` array).
//!
//! - `LandPercentage`: share of `n x n` sub-samples per cell inside the Natural Earth 1:50m
//!   land polygons ([`LandMask`], even-odd rule), times 100.
//! - Climate zone and class from the 1-degree ingredients: the 1-degree cell under a slightly
//!   displaced position (domain warping by smooth noise of about 0.4 degree, so class borders
//!   are not 1-degree staircases). 1-degree cells without a class (ocean in the 1-degree land
//!   grid) take the nearest class (breadth-first over 8-neighbours, after the 1-degree
//!   generator's own 3 x 3 majority fill of coastal gaps); `KoppenGeiger` likewise.
//! - Soft borders: class weights `1/3 one-hot(class) + 2/3 bilinear(one-hot of the 1-degree
//!   classes)` at the displaced position (the 1-degree file uses `4/12` centre + `8/12` 3 x 3).
//! - Variability: hashed value-noise octaves of 5, 1 and 0.2 degree spacing (greenness,
//!   brightness), 10/2/0.5 (aerosol), 5/1 (Angstrom) plus 5 % per-band per-cell noise; each a
//!   pure function of (seed, position), so the same seed gives the same bits on any thread count.
//! - Aerosol sources (land nearby, dust) bilinearly interpolated from the 1-degree fields.
//! - Missing: north of a ragged 55-60 N edge (value noise along longitude) and 2 % of the
//!   cells at random (hashed per cell), fill in every grid variable.

use super::fields::{Shape, neighbours};
use super::noise::{fbm, hash, normal, unit};
use super::raster::{LandMask, subsamples};
use super::resolution::Resolution;
use super::spectra::{Endmembers, Spectrum, mix};
use super::{
    CLASS_FILL, COLS, CellNoise, ClassCount, FILL, GAP_FRACTION, KOPPEN_U8, LAND_PERCENTAGE_U8, LandClass, ROWS,
    SynthParams, SynthSummary, aerosol_cell, aerosol_sources, classes, extra_variables, finish_spectrum, grid_specs,
    land_classes,
};
use crate::io::IoError;
use crate::io::netcdf::write::{OutData, RowBlockWriter};
use rayon::prelude::*;
use std::collections::VecDeque;
use std::path::Path;

/// Noise streams (one per field).
const S_GREEN: u64 = 1;
const S_BRIGHT: u64 = 2;
const S_AEROSOL: u64 = 3;
const S_ANGSTROM: u64 = 4;
const S_WARP_LAT: u64 = 5;
const S_WARP_LON: u64 = 6;
const S_EDGE: u64 = 7;
const S_GAP: u64 = 8;
const S_BAND: u64 = 16;

/// Octaves (spacing in degrees, amplitude) of the surface noise fields.
const SURFACE_OCTAVES: [(f64, f64); 3] = [(5.0, 1.0), (1.0, 0.7), (0.2, 0.5)];
const AEROSOL_OCTAVES: [(f64, f64); 3] = [(10.0, 1.0), (2.0, 0.5), (0.5, 0.25)];
const ANGSTROM_OCTAVES: [(f64, f64); 2] = [(5.0, 1.0), (1.0, 0.5)];
const WARP_OCTAVES: [(f64, f64); 2] = [(2.0, 1.0), (0.5, 0.5)];
const EDGE_OCTAVES: [(f64, f64); 2] = [(10.0, 1.0), (2.0, 0.5)];
/// Standard deviation of the class-border displacement, degrees.
const WARP_DEG: f64 = 0.4;

/// Rows computed in parallel before they are handed to the writer.
const BLOCK_ROWS: usize = 64;
/// Target elements per netCDF-4 chunk (1 MiB of f32): chunks are blocks of whole rows.
const CHUNK_ELEMENTS: usize = 1 << 18;

/// The 1-degree ingredients the fine grid samples.
struct Coarse {
    endmembers: Endmembers,
    class_spectra: Vec<Spectrum>,
    /// Class of every 1-degree cell (gaps filled from the nearest land class).
    class: Vec<LandClass>,
    /// Koppen-Geiger zone 1..31 of every 1-degree cell (gaps filled from the nearest zone).
    koppen: Vec<u8>,
    land_near: Vec<f64>,
    dust: Vec<f64>,
}

impl Coarse {
    fn new() -> Result<Self, IoError> {
        let shape = Shape { rows: ROWS, cols: COLS };
        if LAND_PERCENTAGE_U8.len() != shape.len() || KOPPEN_U8.len() != shape.len() {
            return Err(IoError::format(
                "<embedded demo grids>",
                format!("expected {} cells per grid", shape.len()),
            ));
        }
        let endmembers = Endmembers::from_earthlib()?;
        let class_spectra = LandClass::ALL.iter().map(|&c| endmembers.class_spectrum(c)).collect();
        let land: Vec<f64> = LAND_PERCENTAGE_U8
            .iter()
            .map(|&p| f64::from(p.min(100)) / 100.0)
            .collect();
        let class_some = land_classes(shape, &land);
        let (land_near, dust) = aerosol_sources(shape, &land, &class_some);
        let class = fill_nearest(shape, &class_some)
            .into_iter()
            .map(|c| c.unwrap_or(LandClass::CroplandMixed))
            .collect();
        let zones: Vec<Option<u8>> = KOPPEN_U8
            .iter()
            .map(|&z| classes::class_of_koppen(z).map(|_| z))
            .collect();
        let koppen = fill_nearest(shape, &zones)
            .into_iter()
            .map(|z| z.unwrap_or(0))
            .collect();
        Ok(Coarse {
            endmembers,
            class_spectra,
            class,
            koppen,
            land_near,
            dust,
        })
    }
}

/// Every `None` takes the value of the nearest `Some` (breadth-first over the 3 x 3
/// neighbourhoods, longitude wrapping; ties go to the cell queued first, so deterministic).
fn fill_nearest<T: Copy>(shape: Shape, values: &[Option<T>]) -> Vec<Option<T>> {
    let mut out = values.to_vec();
    let mut queue: VecDeque<usize> = (0..out.len()).filter(|&k| out[k].is_some()).collect();
    while let Some(k) = queue.pop_front() {
        let v = out[k];
        for m in neighbours(shape, k / shape.cols, k % shape.cols) {
            if out[m].is_none() {
                out[m] = v;
                queue.push_back(m);
            }
        }
    }
    out
}

/// The 1-degree cell holding (`lat`, `lon`).
fn coarse_cell(lat: f64, lon: f64) -> usize {
    let i = (90.0 - lat).floor().clamp(0.0, (ROWS - 1) as f64) as usize;
    let j = ((lon + 180.0).floor().rem_euclid(COLS as f64) as usize) % COLS;
    i * COLS + j
}

/// The four 1-degree cell centres around (`lat`, `lon`) with their bilinear weights
/// (latitude clamped at the poles, longitude wrapping).
fn bilinear(lat: f64, lon: f64) -> [(usize, f64); 4] {
    let fi = (89.5 - lat).clamp(0.0, (ROWS - 1) as f64);
    let i0 = (fi.floor() as usize).min(ROWS - 2);
    let ti = fi - i0 as f64;
    let fj = lon + 179.5;
    let j0f = fj.floor();
    let tj = fj - j0f;
    let j0 = (j0f.rem_euclid(COLS as f64) as usize) % COLS;
    let j1 = (j0 + 1) % COLS;
    [
        (i0 * COLS + j0, (1.0 - ti) * (1.0 - tj)),
        (i0 * COLS + j1, (1.0 - ti) * tj),
        ((i0 + 1) * COLS + j0, ti * (1.0 - tj)),
        ((i0 + 1) * COLS + j1, ti * tj),
    ]
}

fn interpolate(field: &[f64], lat: f64, lon: f64) -> f64 {
    bilinear(lat, lon).iter().map(|&(k, w)| w * field[k]).sum()
}

/// Longitude wrapped into `[-180, 180)`.
fn wrap_lon(lon: f64) -> f64 {
    (lon + 180.0).rem_euclid(360.0) - 180.0
}

/// Number of float grid variables (`Latitude` .. `SSA565`) and their slots.
const N_FLOAT: usize = 15;
const LAT: usize = 0;
const LON: usize = 1;
const LAND: usize = 2;
const NDVI: usize = 3;
const DHR: usize = 4;
const AOD: usize = 10;
const AEXP: usize = 13;
const SSA: usize = 14;

/// One computed grid row.
struct Row {
    floats: [Vec<f32>; N_FLOAT],
    /// `SurfaceClass`, `KoppenGeiger`.
    shorts: [Vec<i16>; 2],
    n_missing: usize,
    /// Cells with `LandPercentage == 100` and data, by class index.
    land_by_class: [usize; LandClass::ALL.len()],
}

/// Everything a row needs, shared by the threads.
struct Generator<'a> {
    seed: u64,
    res: Resolution,
    n_sub: usize,
    mask: &'a LandMask,
    coarse: &'a Coarse,
    /// Northern edge of valid data per column (55..60 N).
    edge: Vec<f64>,
}

impl Generator<'_> {
    fn row(&self, i: usize) -> Row {
        let cols = self.res.cols();
        let mut counts = vec![0u16; cols];
        self.mask
            .row_counts(self.res, self.n_sub, i, &mut counts, &mut Vec::new());
        let per_cell = (self.n_sub * self.n_sub) as f64;
        let lat = self.res.row_lat(i);
        let mut row = Row {
            floats: std::array::from_fn(|_| vec![FILL; cols]),
            shorts: std::array::from_fn(|_| vec![CLASS_FILL; cols]),
            n_missing: 0,
            land_by_class: [0; LandClass::ALL.len()],
        };
        for (j, &count) in counts.iter().enumerate() {
            let lon = self.res.col_lon(j);
            row.floats[LAT][j] = lat as f32;
            row.floats[LON][j] = lon as f32;
            let gap = unit(hash(self.seed, S_GAP, i as u64, j as u64)) < GAP_FRACTION;
            if gap || lat > self.edge[j] {
                row.n_missing += 1;
                continue;
            }
            let p = f64::from(count) / per_cell;
            row.floats[LAND][j] = (100.0 * p) as f32;
            let c = self.coarse;
            let aerosol = aerosol_cell(
                lat,
                interpolate(&c.land_near, lat, lon),
                interpolate(&c.dust, lat, lon),
                fbm(self.seed, S_AEROSOL, &AEROSOL_OCTAVES, lat, lon),
                fbm(self.seed, S_ANGSTROM, &ANGSTROM_OCTAVES, lat, lon),
            );
            for (slot, v) in aerosol.aod.into_iter().enumerate() {
                row.floats[AOD + slot][j] = v;
            }
            row.floats[AEXP][j] = aerosol.angstrom;
            row.floats[SSA][j] = aerosol.ssa565;
            if p == 0.0 {
                continue;
            }
            let (class, koppen, r) = self.surface(i, j, lat, lon, p);
            for (b, v) in r.iter().enumerate() {
                row.floats[DHR + b][j] = *v as f32;
            }
            let (nir, red) = (f64::from(row.floats[DHR + 4][j]), f64::from(row.floats[DHR + 3][j]));
            row.floats[NDVI][j] = ((nir - red) / (nir + red)) as f32;
            row.shorts[0][j] = class.code();
            row.shorts[1][j] = if (1..=31).contains(&koppen) {
                i16::from(koppen)
            } else {
                CLASS_FILL
            };
            if f64::from(count) == per_cell {
                row.land_by_class[class.index()] += 1;
            }
        }
        row
    }

    /// Class, Koppen zone and reflectances of a cell with land fraction `p > 0`.
    fn surface(&self, i: usize, j: usize, lat: f64, lon: f64, p: f64) -> (LandClass, u8, Spectrum) {
        let c = self.coarse;
        let wlat = (lat + WARP_DEG * fbm(self.seed, S_WARP_LAT, &WARP_OCTAVES, lat, lon)).clamp(-89.99, 89.99);
        let wlon = wrap_lon(lon + WARP_DEG * fbm(self.seed, S_WARP_LON, &WARP_OCTAVES, lat, lon));
        let k = coarse_cell(wlat, wlon);
        let class = c.class[k];
        let mut weights = [0.0; LandClass::ALL.len()];
        weights[class.index()] += 1.0 / 3.0;
        for (m, w) in bilinear(wlat, wlon) {
            weights[c.class[m].index()] += 2.0 / 3.0 * w;
        }
        let total: f64 = weights.iter().sum();
        let base = mix(weights.iter().zip(&c.class_spectra).map(|(&w, &s)| (s, w / total)));
        let snow_share = weights[LandClass::SnowIce.index()] / total;
        let noise = CellNoise {
            greenness: fbm(self.seed, S_GREEN, &SURFACE_OCTAVES, lat, lon),
            brightness: fbm(self.seed, S_BRIGHT, &SURFACE_OCTAVES, lat, lon),
            bands: std::array::from_fn(|b| {
                normal(hash(self.seed, S_BAND + b as u64, i as u64, j as u64)).clamp(-3.0, 3.0)
            }),
        };
        let r = finish_spectrum(base, snow_share, &noise, &c.endmembers, p);
        (class, c.koppen[k], r)
    }
}

/// Write the demo at `res` (finer than 1 degree) to `path`; `progress` prints rows done on stderr.
pub(super) fn write_fine(
    path: &Path,
    params: &SynthParams,
    res: Resolution,
    progress: bool,
) -> Result<SynthSummary, IoError> {
    let mask =
        LandMask::natural_earth_50m().map_err(|e| IoError::format("<embedded natural_earth_land_50m.topo.json>", e))?;
    let coarse = Coarse::new()?;
    let (rows, cols) = (res.rows(), res.cols());
    let edge = (0..cols)
        .map(|j| (57.5 + 1.5 * fbm(params.seed, S_EDGE, &EDGE_OCTAVES, 0.0, res.col_lon(j))).clamp(55.0, 60.0))
        .collect();
    let generator = Generator {
        seed: params.seed,
        res,
        n_sub: subsamples(res),
        mask: &mask,
        coarse: &coarse,
        edge,
    };
    let dims = [("x", rows), ("y", cols), ("wavelength", 6)];
    let mut writer = RowBlockWriter::new(path, params.format, &dims, &super::global_attrs_at(params.seed, res))?;
    let specs = grid_specs();
    let chunk = [(CHUNK_ELEMENTS / cols).clamp(1, rows), cols];
    for spec in &specs {
        writer.declare(&spec.name, &super::GRID, spec.ty, &spec.attrs, Some(&chunk))?;
    }
    for var in extra_variables() {
        writer.add(&var)?;
    }
    let (mut n_missing, mut land_by_class) = (0usize, [0usize; LandClass::ALL.len()]);
    let bar = crate::progress::bar(progress, "synth: rows", rows as u64);
    for r0 in (0..rows).step_by(BLOCK_ROWS) {
        let r1 = (r0 + BLOCK_ROWS).min(rows);
        let block: Vec<Row> = (r0..r1).into_par_iter().map(|i| generator.row(i)).collect();
        for (i, row) in (r0..r1).zip(&block) {
            for (spec, values) in specs.iter().zip(&row.floats) {
                writer.write_rows(&spec.name, i, OutData::F32(values))?;
            }
            for (spec, values) in specs[N_FLOAT..].iter().zip(&row.shorts) {
                writer.write_rows(&spec.name, i, OutData::I16(values))?;
            }
            n_missing += row.n_missing;
            for (total, n) in land_by_class.iter_mut().zip(row.land_by_class) {
                *total += n;
            }
        }
        crate::progress::inc(&bar, (r1 - r0) as u64);
    }
    crate::progress::done(bar);
    let encoding = crate::progress::spinner(progress, &format!("synth: encoding and compressing {}", path.display()));
    writer.finish()?;
    crate::progress::done(encoding);
    Ok(SynthSummary {
        path: path.display().to_string(),
        format: params.format,
        seed: params.seed,
        n_cells: res.len(),
        n_land_cells: land_by_class.iter().sum(),
        n_missing,
        class_counts: LandClass::ALL
            .iter()
            .map(|c| ClassCount {
                code: c.code(),
                name: c.name(),
                n_land_cells: land_by_class[c.index()],
            })
            .collect(),
    })
}

#[cfg(test)]
#[path = "fine_tests.rs"]
mod tests;
