//! Surface reflectance spectra of the demo's classes at the six POLDER bands, built as linear
//! mixtures of measured and simulated earthlib spectra (group medians) plus a shade term.
//!
//! Linear spectral mixing: `R(lambda) = sum_k f_k R_k(lambda)`, `sum_k f_k = 1`, with a
//! zero-reflectance shade endmember for canopy shadows (Roberts et al. 1998, Remote Sens.
//! Environ. 65, 267-279). Snow after Warren (1982), Rev. Geophys. 20, 67-89.

use super::classes::LandClass;
use crate::io::IoError;

/// The POLDER band centres in nm, in file order.
pub const BANDS_NM: [f32; 6] = [443.0, 490.0, 565.0, 670.0, 865.0, 1020.0];

/// A reflectance at each of the six bands.
pub type Spectrum = [f64; 6];

/// Fresh snow, about 0.99 / 0.99 / 0.99 / 0.97 / 0.91 / 0.78 at the six bands.
pub const SNOW: Spectrum = [0.99, 0.99, 0.99, 0.97, 0.91, 0.78];

/// Dark open water, mixed into coastal cells by their water fraction.
pub const WATER: Spectrum = [0.05, 0.045, 0.03, 0.015, 0.008, 0.005];

/// The earthlib CSV shipped with the crate (7,261 spectra at the POLDER bands).
const EARTHLIB_CSV: &str = include_str!("../../assets/data/earthlib_spectra_polder_bands.csv");
const EARTHLIB_NAME: &str = "<embedded earthlib_spectra_polder_bands.csv>";

/// The mixing endmembers: earthlib group medians, snow, and shade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endmember {
    CanopySparse,
    CanopyMedium,
    CanopyDense,
    SoilDark,
    SoilMidDark,
    SoilMidBright,
    SoilBright,
    Sand,
    Litter,
    Urban,
    Snow,
    Shade,
}

/// The endmember spectra derived from earthlib.
#[derive(Debug, Clone)]
pub struct Endmembers {
    canopy: [Spectrum; 3],
    soil: [Spectrum; 4],
    sand: Spectrum,
    litter: Spectrum,
    urban: Spectrum,
}

/// One parsed earthlib row.
#[derive(serde::Deserialize)]
struct Row {
    #[serde(rename = "NAME")]
    name: String,
    #[serde(rename = "LEVEL_2")]
    level2: String,
    #[serde(rename = "LEVEL_3")]
    level3: String,
    bands: Spectrum,
}

impl Endmembers {
    /// Parse the embedded earthlib table and take group medians: canopies by LAI (< 1.5,
    /// 1.5..3.5, >= 3.5), soils by brightness quartile, sand, litter (non-photosynthetic
    /// vegetation), urban (built surfaces).
    pub fn from_earthlib() -> Result<Self, IoError> {
        Self::from_csv(EARTHLIB_CSV, EARTHLIB_NAME)
    }

    fn from_csv(text: &str, source: &str) -> Result<Self, IoError> {
        let rows = parse_rows(text, source)?;
        let lai = |r: &Row| {
            r.name
                .split("LAI-")
                .nth(1)
                .and_then(|s| s.split('-').next()?.parse::<f64>().ok())
        };
        let group = |what: &str, keep: &dyn Fn(&Row) -> bool| -> Result<Spectrum, IoError> {
            let members: Vec<&Spectrum> = rows.iter().filter(|r| keep(r)).map(|r| &r.bands).collect();
            median_spectrum(&members).ok_or_else(|| IoError::format(source, format!("no {what} spectra")))
        };
        let canopy =
            |lo: f64, hi: f64| move |r: &Row| r.level3 == "canopy" && lai(r).is_some_and(|l| (lo..hi).contains(&l));
        let mut soils: Vec<&Row> = rows.iter().filter(|r| r.level3 == "soil").collect();
        soils.sort_by(|a, b| {
            brightness(&a.bands)
                .total_cmp(&brightness(&b.bands))
                .then(a.name.cmp(&b.name))
        });
        let quartile = |q: usize| -> Result<Spectrum, IoError> {
            let n = soils.len();
            let part: Vec<&Spectrum> = soils[q * n / 4..(q + 1) * n / 4].iter().map(|r| &r.bands).collect();
            median_spectrum(&part).ok_or_else(|| IoError::format(source, "too few soil spectra"))
        };
        Ok(Endmembers {
            canopy: [
                group("sparse canopy", &canopy(0.0, 1.5))?,
                group("medium canopy", &canopy(1.5, 3.5))?,
                group("dense canopy", &canopy(3.5, f64::INFINITY))?,
            ],
            soil: [quartile(0)?, quartile(1)?, quartile(2)?, quartile(3)?],
            sand: group("sand", &|r| r.level3 == "sand")?,
            litter: group("litter", &|r| r.level2 == "npv")?,
            urban: group("urban", &|r| r.level2 == "built")?,
        })
    }

    fn spectrum(&self, e: Endmember) -> Spectrum {
        use Endmember::*;
        match e {
            CanopySparse => self.canopy[0],
            CanopyMedium => self.canopy[1],
            CanopyDense => self.canopy[2],
            SoilDark => self.soil[0],
            SoilMidDark => self.soil[1],
            SoilMidBright => self.soil[2],
            SoilBright => self.soil[3],
            Sand => self.sand,
            Litter => self.litter,
            Urban => self.urban,
            Snow => SNOW,
            Shade => [0.0; 6],
        }
    }

    /// The class's mean spectrum: its endmember fractions times the endmember spectra.
    pub fn class_spectrum(&self, class: LandClass) -> Spectrum {
        mix(mixture(class).iter().map(|&(e, f)| (self.spectrum(e), f)))
    }

    /// Spectrum a cell drifts towards when it is greener than its class (a medium canopy).
    pub fn greener(&self) -> Spectrum {
        self.canopy[1]
    }

    /// Spectrum a cell drifts towards when it is barer than its class (a mid-bright soil).
    pub fn barer(&self) -> Spectrum {
        self.soil[2]
    }
}

/// Endmember fractions of each class (they sum to 1).
fn mixture(class: LandClass) -> &'static [(Endmember, f64)] {
    use Endmember::*;
    match class {
        LandClass::SnowIce => &[(Snow, 0.92), (SoilMidDark, 0.03), (Shade, 0.05)],
        LandClass::SandDesert => &[(Sand, 0.45), (SoilBright, 0.50), (Shade, 0.05)],
        LandClass::DrySoil => &[
            (SoilMidBright, 0.65),
            (CanopySparse, 0.10),
            (Litter, 0.15),
            (Shade, 0.10),
        ],
        LandClass::Steppe => &[
            (SoilMidBright, 0.40),
            (CanopySparse, 0.25),
            (Litter, 0.25),
            (Shade, 0.10),
        ],
        LandClass::Savanna => &[(CanopyMedium, 0.35), (SoilMidDark, 0.30), (Litter, 0.25), (Shade, 0.10)],
        LandClass::MediterraneanShrub => &[
            (CanopyMedium, 0.35),
            (SoilMidBright, 0.30),
            (Litter, 0.20),
            (Shade, 0.15),
        ],
        LandClass::CroplandMixed => &[
            (CanopyMedium, 0.55),
            (SoilMidDark, 0.25),
            (Urban, 0.05),
            (Litter, 0.05),
            (Shade, 0.10),
        ],
        LandClass::EvergreenBroadleaf => &[(CanopyDense, 0.85), (Shade, 0.15)],
        LandClass::DeciduousForest => &[(CanopyDense, 0.55), (Litter, 0.15), (SoilDark, 0.10), (Shade, 0.20)],
        LandClass::BorealNeedleleaf => &[(CanopyMedium, 0.50), (Snow, 0.10), (Litter, 0.10), (Shade, 0.30)],
        LandClass::Tundra => &[
            (CanopySparse, 0.35),
            (SoilDark, 0.25),
            (Litter, 0.20),
            (Snow, 0.10),
            (Shade, 0.10),
        ],
    }
}

/// `sum_k f_k R_k` over `(R_k, f_k)`.
pub fn mix(parts: impl IntoIterator<Item = (Spectrum, f64)>) -> Spectrum {
    let mut out = [0.0; 6];
    for (s, f) in parts {
        for (o, v) in out.iter_mut().zip(s) {
            *o += f * v;
        }
    }
    out
}

/// NDVI = (R865 - R670) / (R865 + R670).
pub fn ndvi(s: &Spectrum) -> f64 {
    (s[4] - s[3]) / (s[4] + s[3])
}

fn brightness(s: &Spectrum) -> f64 {
    s.iter().sum::<f64>() / 6.0
}

/// Band-wise median (mean of the two middle values for an even count).
fn median_spectrum(members: &[&Spectrum]) -> Option<Spectrum> {
    if members.is_empty() {
        return None;
    }
    let mut out = [0.0; 6];
    for (b, o) in out.iter_mut().enumerate() {
        let mut v: Vec<f64> = members.iter().map(|s| s[b]).collect();
        v.sort_by(f64::total_cmp);
        let n = v.len();
        *o = if n % 2 == 1 {
            v[n / 2]
        } else {
            0.5 * (v[n / 2 - 1] + v[n / 2])
        };
    }
    Some(out)
}

/// The table's columns in use: name, class levels and the six POLDER-band reflectances.
#[derive(serde::Deserialize)]
struct CsvRow {
    #[serde(rename = "NAME")]
    name: String,
    #[serde(rename = "LEVEL_2")]
    level2: String,
    #[serde(rename = "LEVEL_3")]
    level3: String,
    #[serde(rename = "R443")]
    r443: Option<f64>,
    #[serde(rename = "R490")]
    r490: Option<f64>,
    #[serde(rename = "R565")]
    r565: Option<f64>,
    #[serde(rename = "R670")]
    r670: Option<f64>,
    #[serde(rename = "R865")]
    r865: Option<f64>,
    #[serde(rename = "R1020")]
    r1020: Option<f64>,
}

/// Rows with six positive, finite reflectances (one all-zero litter row is skipped), read with
/// the `csv` crate by header name.
fn parse_rows(text: &str, source: &str) -> Result<Vec<Row>, IoError> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.deserialize::<CsvRow>() {
        let r = record.map_err(|e| crate::io::tables::csv_error(std::path::Path::new(source), e))?;
        let bands = [r.r443, r.r490, r.r565, r.r670, r.r865, r.r1020].map(|b| b.unwrap_or(f64::NAN));
        if bands.iter().all(|b| b.is_finite() && *b > 0.0) {
            rows.push(Row {
                name: r.name,
                level2: r.level2,
                level3: r.level3,
                bands,
            });
        }
    }
    Ok(rows)
}

#[cfg(test)]
#[path = "spectra_tests.rs"]
mod tests;
