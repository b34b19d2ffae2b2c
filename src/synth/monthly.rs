//! The monthly demo (`landclust synth --monthly`): the demo's grid, land and classes with
//! `NDVI` and `DHR443`..`DHR1020` as 12 monthly climatologies, dimensions `(month, x, y)`, the
//! layout of a CF file with a time-like extra dimension. It exercises the series specs
//! (`--vars 'NDVI[*]'`) and the (cell, variable, month) tensor of `--reduce tt-cell:R1,R2`.
//!
//! Each land cell's month-`t` spectrum is the 1-degree recipe of the seasonal demo ([`super`])
//! with two seasonal terms on top, mixed over the 3 x 3 soft-border class shares:
//!
//! - **phenology**: a greenness drift `A_c cos(2 pi (t' - peak_c) / 12)` toward the greener
//!   (positive) or barer endmember, with a class amplitude `A_c` and peak month `peak_c`
//!   ([`phenology`]); `t'` is the month shifted by 6 in the southern hemisphere;
//! - **snow**: in the cold half-year, `S_c max(0, cos(2 pi (t' - 0.5) / 12))` of the snow
//!   spectrum, scaled from 0 at 38 to 1 at 53 degrees of latitude.
//!
//! Missing (fill value) by month: the seasonal demo's random gaps in every month; north of its
//! ragged 55-60 N edge from November to February, 5 degrees further north in October and March
//! (polar night); south of 62 S from May to August. Per-band noise is drawn anew for every
//! month. Deterministic: one `ChaCha8Rng` for the seasonal draws (as in [`super::generate`]),
//! another seeded from the same seed for the monthly noise.

use super::{
    BAND_NOISE_SD, BRIGHTNESS_SD, Base, COLS, FILL, GREENNESS_SD, LAND_PERCENTAGE_U8, ROWS, SynthParams, SynthSummary,
    border_weights, global_attrs, grid_specs,
};
use super::{ClassCount, LandClass};
use crate::io::IoError;
use crate::io::netcdf::write::{AttrValue, OutData, OutVar, attrs, write_nc};
use crate::synth::spectra::{BANDS_NM, WATER, mix};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use std::f64::consts::PI;
use std::path::Path;

/// Months of the year (January = 0).
pub const MONTHS: usize = 12;

/// Greenness amplitude and northern-hemisphere peak month (January = 0) of a class.
pub fn phenology(class: LandClass) -> (f64, f64) {
    match class {
        LandClass::SnowIce | LandClass::SandDesert => (0.0, 0.0),
        LandClass::DrySoil => (0.03, 7.0),
        LandClass::Steppe => (0.10, 5.0),
        LandClass::Savanna => (0.18, 8.0),
        LandClass::MediterraneanShrub => (0.10, 3.0),
        LandClass::CroplandMixed => (0.20, 6.0),
        LandClass::EvergreenBroadleaf => (0.03, 0.0),
        LandClass::DeciduousForest => (0.28, 6.0),
        LandClass::BorealNeedleleaf => (0.15, 6.0),
        LandClass::Tundra => (0.15, 6.0),
    }
}

/// Largest winter snow cover of a class (on top of its own snow share).
fn snow_cover(class: LandClass) -> f64 {
    match class {
        LandClass::Tundra => 0.85,
        LandClass::BorealNeedleleaf => 0.6,
        LandClass::DeciduousForest | LandClass::CroplandMixed => 0.5,
        LandClass::Steppe => 0.4,
        LandClass::DrySoil => 0.2,
        _ => 0.0,
    }
}

/// The monthly demo in memory: `ndvi` and `dhr[b]` hold `MONTHS x ROWS x COLS` values
/// (month-major), [`FILL`] where missing; the 2-D variables are those of the seasonal demo
/// with `LandPercentage`, `SurfaceClass` and `KoppenGeiger` missing only in the random gaps.
#[derive(Debug, Clone)]
pub struct MonthlyDemo {
    pub seed: u64,
    pub latitude: Vec<f32>,
    pub longitude: Vec<f32>,
    pub land_percentage: Vec<f32>,
    pub ndvi: Vec<f32>,
    pub dhr: [Vec<f32>; 6],
    pub surface_class: Vec<i16>,
    pub koppen: Vec<i16>,
}

/// Whether cell `k` (latitude `lat`, S1 edge `edge`) has no retrieval in month `t`.
fn dark(t: usize, lat: f64, edge: f64) -> bool {
    match t {
        10 | 11 | 0 | 1 => lat > edge,
        9 | 2 => lat > edge + 5.0,
        4..=7 => lat < -62.0,
        _ => false,
    }
}

/// Build the monthly demo for `seed` (no file is written).
pub fn generate(seed: u64) -> Result<MonthlyDemo, IoError> {
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
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x6d6f_6e74_686c_7921);
    let snow = endmembers.class_spectrum(LandClass::SnowIce);
    let mut dhr: [Vec<f32>; 6] = std::array::from_fn(|_| vec![FILL; MONTHS * n]);
    let mut ndvi = vec![FILL; MONTHS * n];
    for t in 0..MONTHS {
        // Noise is drawn for every cell, land or not, so the draws do not depend on the mask.
        let band_noise: Vec<[f64; 6]> = (0..n)
            .map(|_| std::array::from_fn(|_| rng.sample::<f64, _>(StandardNormal).clamp(-3.0, 3.0)))
            .collect();
        for k in 0..n {
            let lat = f64::from(latitude[k]);
            if land[k] == 0.0 || draws.gap[k] || dark(t, lat, draws.edge[k % COLS]) {
                continue;
            }
            let weights = border_weights(shape, k, class);
            let mixed = mix(weights.iter().zip(class_spectra).map(|(&w, &s)| (s, w)));
            let own_snow = weights[LandClass::SnowIce.index()];
            let shifted = if lat >= 0.0 { t as f64 } else { (t as f64 + 6.0) % 12.0 };
            let mut green = 0.0;
            let mut cover = 0.0;
            for (c, &w) in LandClass::ALL.iter().zip(&weights) {
                let (amp, peak) = phenology(*c);
                green += w * amp * (2.0 * PI * (shifted - peak) / 12.0).cos();
                cover += w * snow_cover(*c);
            }
            let winter = (2.0 * PI * (shifted - 0.5) / 12.0).cos().max(0.0);
            let snow_share = (cover * winter * ((lat.abs() - 38.0) / 15.0).clamp(0.0, 1.0)).min(1.0 - own_snow);
            let drift = ((GREENNESS_SD * draws.greenness[k]).clamp(-0.2, 0.2) + green).clamp(-0.45, 0.45)
                * (1.0 - own_snow - snow_share);
            let target = if drift > 0.0 {
                endmembers.greener()
            } else {
                endmembers.barer()
            };
            let drifted = mix([(mixed, 1.0 - drift.abs()), (target, drift.abs())]);
            let surface = mix([(drifted, 1.0 - snow_share), (snow, snow_share)]);
            let brightness = (1.0 + BRIGHTNESS_SD * draws.brightness[k]).clamp(0.6, 1.4);
            let at = t * n + k;
            for b in 0..6 {
                let noisy = surface[b] * brightness * (1.0 + BAND_NOISE_SD * band_noise[k][b]);
                dhr[b][at] = (land[k] * noisy + (1.0 - land[k]) * WATER[b]).clamp(0.0005, 1.0) as f32;
            }
            let (nir, red) = (f64::from(dhr[4][at]), f64::from(dhr[3][at]));
            ndvi[at] = ((nir - red) / (nir + red)) as f32;
        }
    }
    let (surface_class, koppen) = base.codes(|k| draws.gap[k]);
    Ok(MonthlyDemo {
        seed,
        land_percentage: (0..n)
            .map(|k| {
                if draws.gap[k] {
                    FILL
                } else {
                    f32::from(LAND_PERCENTAGE_U8[k].min(100))
                }
            })
            .collect(),
        surface_class,
        koppen,
        latitude: base.latitude.clone(),
        longitude: base.longitude.clone(),
        ndvi,
        dhr,
    })
}

/// Generate the monthly demo for `params.seed` and write it to `path` (atomically).
pub fn write_monthly(path: &Path, params: &SynthParams) -> Result<SynthSummary, IoError> {
    let demo = generate(params.seed)?;
    let specs = grid_specs();
    let spec = |name: &str| {
        specs
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.attrs.clone())
            .unwrap_or_default()
    };
    let grid = ["x", "y"];
    let series = ["month", "x", "y"];
    let months: Vec<i16> = (1..=MONTHS as i16).collect();
    let mut vars = vec![
        OutVar::new("Latitude", &grid, OutData::F32(&demo.latitude)).with_attrs(spec("Latitude")),
        OutVar::new("Longitude", &grid, OutData::F32(&demo.longitude)).with_attrs(spec("Longitude")),
        OutVar::new("LandPercentage", &grid, OutData::F32(&demo.land_percentage)).with_attrs(spec("LandPercentage")),
        OutVar::new("month", &["month"], OutData::I16(&months)).with_attrs(attrs([
            ("long_name", "Month of the climatology (1 = January)".into()),
            ("units", "1".into()),
        ])),
        OutVar::new("NDVI", &series, OutData::F32(&demo.ndvi)).with_attrs(spec("NDVI")),
    ];
    for (b, nm) in BANDS_NM.iter().enumerate() {
        let name = format!("DHR{nm}");
        vars.push(OutVar::new(&name, &series, OutData::F32(&demo.dhr[b])).with_attrs(spec(&name)));
    }
    vars.push(OutVar::new("SurfaceClass", &grid, OutData::I16(&demo.surface_class)).with_attrs(spec("SurfaceClass")));
    vars.push(OutVar::new("KoppenGeiger", &grid, OutData::I16(&demo.koppen)).with_attrs(spec("KoppenGeiger")));
    let mut global = global_attrs(params.seed);
    for (name, value) in global.iter_mut() {
        match name.as_str() {
            "title" => *value = "POLDER-like L3 monthly climatology, 1 degree (synthetic demo)".into(),
            "comment" => {
                *value = AttrValue::from(
                    "The seasonal demo's recipe per month, plus class phenology (greenness drift) and winter snow \
                     cover; missing in the polar night and in 2% random gaps",
                )
            }
            _ => {}
        }
    }
    write_nc(
        path,
        params.format,
        &[("month", MONTHS), ("x", ROWS), ("y", COLS)],
        &vars,
        &global,
    )?;
    Ok(demo.summary(path, params))
}

impl MonthlyDemo {
    /// Counts: land cells (`LandPercentage == 100`) with data in every month, by class.
    pub fn summary(&self, path: &Path, params: &SynthParams) -> SynthSummary {
        let n = self.land_percentage.len();
        let complete = |k: usize| (0..MONTHS).all(|t| self.ndvi[t * n + k] != FILL);
        let land: Vec<usize> = (0..n)
            .filter(|&k| self.land_percentage[k] == 100.0 && complete(k))
            .collect();
        SynthSummary {
            path: path.display().to_string(),
            format: params.format,
            seed: self.seed,
            n_cells: n,
            n_land_cells: land.len(),
            n_missing: (0..n).filter(|&k| self.land_percentage[k] == FILL).count(),
            class_counts: LandClass::ALL
                .iter()
                .map(|c| ClassCount {
                    code: c.code(),
                    name: c.name(),
                    n_land_cells: land.iter().filter(|&&k| self.surface_class[k] == c.code()).count(),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
#[path = "monthly_tests.rs"]
mod tests;
