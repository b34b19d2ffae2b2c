//! Projected coordinate reference systems: a map projection (method and parameters) on a
//! geographic base CRS, with a linear unit. A projected grid's cells are its pixels (rows north
//! first, columns west to east in projected x/y); each cell's longitude and latitude come from
//! the inverse projection of its centre, nothing is resampled.
//!
//! Projections are computed with the `proj4rs` crate: pure Rust (no C PROJ library to install
//! or link), a transcription of PROJ's own formulas (it is tested against PROJ to 1e-6 m), and
//! it has every method land products use (transverse Mercator/UTM, sinusoidal, Lambert
//! azimuthal equal-area, polar stereographic, Albers, Lambert conformal conic, cylindrical
//! equal-area). Methods and parameter names follow the EPSG Geodetic Parameter Dataset (IOGP
//! Guidance Note 7-2) and CF-1.8 appendix F.
//!
//! The inverse projection lands on the base CRS's own ellipsoid and prime meridian, no datum
//! shift: like geographic grids (see [`super::crs`]), longitudes and latitudes stay in the
//! input's datum.

use super::crs::GeographicCrs;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A map projection method (EPSG names; CF `grid_mapping_name` in [`ProjectionMethod::cf_name`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectionMethod {
    /// Transverse Mercator (EPSG method 9807), UTM among its zones.
    TransverseMercator,
    /// Sinusoidal (the MODIS land tiles' grid, on a sphere of radius 6371007.181 m).
    Sinusoidal,
    /// Lambert azimuthal equal-area (EPSG 9820), EASE-Grid 2.0 north and south.
    LambertAzimuthalEqualArea,
    /// Polar stereographic (EPSG 9810 variant A: scale at the pole; 9829 variant B: standard
    /// parallel).
    PolarStereographic,
    /// Albers equal-area (EPSG 9822).
    AlbersEqualArea,
    /// Lambert conformal conic with two standard parallels (EPSG 9802).
    LambertConformalConic2Sp,
    /// Lambert conformal conic with one standard parallel and a scale (EPSG 9801).
    LambertConformalConic1Sp,
    /// Lambert cylindrical equal-area (EPSG 9835), EASE-Grid 2.0 global.
    CylindricalEqualArea,
}

impl ProjectionMethod {
    /// The EPSG method name.
    pub fn name(self) -> &'static str {
        match self {
            ProjectionMethod::TransverseMercator => "Transverse Mercator",
            ProjectionMethod::Sinusoidal => "Sinusoidal",
            ProjectionMethod::LambertAzimuthalEqualArea => "Lambert Azimuthal Equal Area",
            ProjectionMethod::PolarStereographic => "Polar Stereographic",
            ProjectionMethod::AlbersEqualArea => "Albers Equal Area",
            ProjectionMethod::LambertConformalConic2Sp => "Lambert Conic Conformal (2SP)",
            ProjectionMethod::LambertConformalConic1Sp => "Lambert Conic Conformal (1SP)",
            ProjectionMethod::CylindricalEqualArea => "Lambert Cylindrical Equal Area",
        }
    }

    /// CF-1.8 appendix F `grid_mapping_name`.
    pub fn cf_name(self) -> &'static str {
        match self {
            ProjectionMethod::TransverseMercator => "transverse_mercator",
            ProjectionMethod::Sinusoidal => "sinusoidal",
            ProjectionMethod::LambertAzimuthalEqualArea => "lambert_azimuthal_equal_area",
            ProjectionMethod::PolarStereographic => "polar_stereographic",
            ProjectionMethod::AlbersEqualArea => "albers_conical_equal_area",
            ProjectionMethod::LambertConformalConic2Sp | ProjectionMethod::LambertConformalConic1Sp => {
                "lambert_conformal_conic"
            }
            ProjectionMethod::CylindricalEqualArea => "lambert_cylindrical_equal_area",
        }
    }
}

/// A projection's parameters: angles in degrees, false easting/northing in metres. Parameters
/// a method does not use are `None`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProjectionParameters {
    /// Latitude of the natural origin / projection centre / false origin (`lat_0`).
    pub latitude_of_origin: f64,
    /// Longitude of the central meridian / projection centre / straight vertical pole (`lon_0`).
    pub central_meridian: f64,
    /// First and second standard parallels (Albers, LCC 2SP; the standard parallel of polar
    /// stereographic variant B and of cylindrical equal-area in the first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard_parallel_1: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard_parallel_2: Option<f64>,
    /// Scale factor at the natural origin (transverse Mercator, LCC 1SP, polar stereographic A).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_factor: Option<f64>,
    /// False easting and northing in metres.
    pub false_easting: f64,
    pub false_northing: f64,
}

impl ProjectionParameters {
    /// The two standard parallels of a conic (Albers, LCC 2SP): a conic given one is tangent
    /// there (the second equals the first); given none, tangent at the latitude of origin.
    pub fn standard_parallels(&self) -> (f64, f64) {
        let first = self.standard_parallel_1.unwrap_or(self.latitude_of_origin);
        (first, self.standard_parallel_2.unwrap_or(first))
    }
}

/// A linear unit: its name, EPSG code and metres per unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinearUnit {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epsg: Option<u16>,
    pub metres: f64,
}

impl LinearUnit {
    /// The metre (EPSG:9001).
    pub fn metre() -> LinearUnit {
        LinearUnit {
            name: "metre".into(),
            epsg: Some(9001),
            metres: 1.0,
        }
    }

    /// An EPSG linear unit: metre 9001, foot 9002, US survey foot 9003, kilometre 9036.
    pub fn from_epsg(code: u16) -> Option<LinearUnit> {
        let (name, metres) = match code {
            9001 => ("metre", 1.0),
            9002 => ("foot", 0.3048),
            9003 => ("US survey foot", 1200.0 / 3937.0),
            9036 => ("kilometre", 1000.0),
            _ => return None,
        };
        Some(LinearUnit {
            name: name.into(),
            epsg: Some(code),
            metres,
        })
    }
}

/// A projected CRS (see the module notes). The grid's x/y axes are in `unit`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectedCrs {
    pub name: String,
    /// The projected CRS's EPSG code (e.g. 32633), `None` for a user-defined one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epsg: Option<u16>,
    pub base: GeographicCrs,
    pub method: ProjectionMethod,
    pub parameters: ProjectionParameters,
    pub unit: LinearUnit,
}

/// Why a projected CRS cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProjectionError {
    #[error("projected coordinate system EPSG:{0} is not one landclust knows")]
    UnknownEpsg(u16),
    #[error("projection {name}: {message}")]
    Invalid { name: String, message: String },
}

/// The WGS 84 UTM zone of an EPSG code 32601-32660 (north) / 32701-32760 (south), NAD83
/// 26901-26923, NAD27 26701-26722, ETRS89 25828-25838, SIRGAS 2000 31965-31976 (north, zones
/// 11-22) / 31977-31985 (south, 17-25): `(zone, south, base geographic EPSG code, datum name)`.
fn utm_zone(code: u16) -> Option<(u16, bool, u16, &'static str)> {
    match code {
        32601..=32660 => Some((code - 32600, false, 4326, "WGS 84")),
        32701..=32760 => Some((code - 32700, true, 4326, "WGS 84")),
        26901..=26923 => Some((code - 26900, false, 4269, "NAD83")),
        26701..=26722 => Some((code - 26700, false, 4267, "NAD27")),
        25828..=25838 => Some((code - 25800, false, 4258, "ETRS89")),
        31965..=31976 => Some((code - 31965 + 11, false, 4674, "SIRGAS 2000")),
        31977..=31985 => Some((code - 31977 + 17, true, 4674, "SIRGAS 2000")),
        _ => None,
    }
}

/// Transverse Mercator parameters of UTM zone `zone` (EPSG 16001-16060 / 16101-16160).
pub fn utm_parameters(zone: u16, south: bool) -> ProjectionParameters {
    ProjectionParameters {
        latitude_of_origin: 0.0,
        central_meridian: -183.0 + 6.0 * f64::from(zone),
        scale_factor: Some(0.9996),
        false_easting: 500_000.0,
        false_northing: if south { 10_000_000.0 } else { 0.0 },
        ..ProjectionParameters::default()
    }
}

/// Other EPSG projected CRSs: `(code, name, base geographic code, method, lat_0, lon_0,
/// standard parallel 1, 2, scale, false easting, false northing)`.
#[allow(clippy::type_complexity)]
const PROJECTED: &[(
    u16,
    &str,
    u16,
    ProjectionMethod,
    f64,
    f64,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    f64,
    f64,
)] = {
    use ProjectionMethod::*;
    &[
        (
            3413,
            "WGS 84 / NSIDC Sea Ice Polar Stereographic North",
            4326,
            PolarStereographic,
            90.0,
            -45.0,
            Some(70.0),
            None,
            None,
            0.0,
            0.0,
        ),
        (
            3031,
            "WGS 84 / Antarctic Polar Stereographic",
            4326,
            PolarStereographic,
            -90.0,
            0.0,
            Some(-71.0),
            None,
            None,
            0.0,
            0.0,
        ),
        (
            3976,
            "WGS 84 / NSIDC Sea Ice Polar Stereographic South",
            4326,
            PolarStereographic,
            -90.0,
            0.0,
            Some(-70.0),
            None,
            None,
            0.0,
            0.0,
        ),
        (
            3995,
            "WGS 84 / Arctic Polar Stereographic",
            4326,
            PolarStereographic,
            90.0,
            0.0,
            Some(71.0),
            None,
            None,
            0.0,
            0.0,
        ),
        (
            6931,
            "WGS 84 / NSIDC EASE-Grid 2.0 North",
            4326,
            LambertAzimuthalEqualArea,
            90.0,
            0.0,
            None,
            None,
            None,
            0.0,
            0.0,
        ),
        (
            6932,
            "WGS 84 / NSIDC EASE-Grid 2.0 South",
            4326,
            LambertAzimuthalEqualArea,
            -90.0,
            0.0,
            None,
            None,
            None,
            0.0,
            0.0,
        ),
        (
            6933,
            "WGS 84 / NSIDC EASE-Grid 2.0 Global",
            4326,
            CylindricalEqualArea,
            0.0,
            0.0,
            Some(30.0),
            None,
            None,
            0.0,
            0.0,
        ),
        (
            3035,
            "ETRS89-extended / LAEA Europe",
            4258,
            LambertAzimuthalEqualArea,
            52.0,
            10.0,
            None,
            None,
            None,
            4_321_000.0,
            3_210_000.0,
        ),
        (
            3034,
            "ETRS89-extended / LCC Europe",
            4258,
            LambertConformalConic2Sp,
            52.0,
            10.0,
            Some(35.0),
            Some(65.0),
            None,
            4_000_000.0,
            2_800_000.0,
        ),
        (
            5070,
            "NAD83 / Conus Albers",
            4269,
            AlbersEqualArea,
            23.0,
            -96.0,
            Some(29.5),
            Some(45.5),
            None,
            0.0,
            0.0,
        ),
    ]
};

impl ProjectedCrs {
    /// An EPSG projected CRS by code: the UTM zones of [`utm_zone`] and the table above.
    pub fn from_epsg(code: u16) -> Result<ProjectedCrs, ProjectionError> {
        if let Some((zone, south, base, datum)) = utm_zone(code) {
            let base = GeographicCrs::from_epsg(base).ok_or(ProjectionError::UnknownEpsg(code))?;
            return Ok(ProjectedCrs {
                name: format!("{datum} / UTM zone {zone}{}", if south { "S" } else { "N" }),
                epsg: Some(code),
                base,
                method: ProjectionMethod::TransverseMercator,
                parameters: utm_parameters(zone, south),
                unit: LinearUnit::metre(),
            });
        }
        let &(_, name, base, method, lat0, lon0, sp1, sp2, k, fe, fn_) = PROJECTED
            .iter()
            .find(|p| p.0 == code)
            .ok_or(ProjectionError::UnknownEpsg(code))?;
        Ok(ProjectedCrs {
            name: name.to_string(),
            epsg: Some(code),
            base: GeographicCrs::from_epsg(base).ok_or(ProjectionError::UnknownEpsg(code))?,
            method,
            parameters: ProjectionParameters {
                latitude_of_origin: lat0,
                central_meridian: lon0,
                standard_parallel_1: sp1,
                standard_parallel_2: sp2,
                scale_factor: k,
                false_easting: fe,
                false_northing: fn_,
            },
            unit: LinearUnit::metre(),
        })
    }

    /// The PROJ string of the projection (x/y in the CRS's unit; no datum, so that the
    /// inverse lands on the base CRS itself, see the module notes).
    pub fn proj4(&self) -> String {
        let p = &self.parameters;
        let mut s = match self.method {
            ProjectionMethod::TransverseMercator => format!(
                "+proj=tmerc +lat_0={} +lon_0={} +k_0={}",
                p.latitude_of_origin,
                p.central_meridian,
                p.scale_factor.unwrap_or(1.0)
            ),
            ProjectionMethod::Sinusoidal => format!("+proj=sinu +lon_0={}", p.central_meridian),
            ProjectionMethod::LambertAzimuthalEqualArea => format!(
                "+proj=laea +lat_0={} +lon_0={}",
                p.latitude_of_origin, p.central_meridian
            ),
            ProjectionMethod::PolarStereographic => {
                let pole = if p.latitude_of_origin < 0.0 { -90.0 } else { 90.0 };
                match (p.standard_parallel_1, p.scale_factor) {
                    (Some(ts), _) => format!("+proj=stere +lat_0={pole} +lat_ts={ts} +lon_0={}", p.central_meridian),
                    (None, k) => format!(
                        "+proj=stere +lat_0={pole} +lon_0={} +k_0={}",
                        p.central_meridian,
                        k.unwrap_or(1.0)
                    ),
                }
            }
            ProjectionMethod::AlbersEqualArea => format!(
                "+proj=aea +lat_0={} +lon_0={} +lat_1={} +lat_2={}",
                p.latitude_of_origin,
                p.central_meridian,
                p.standard_parallels().0,
                p.standard_parallels().1
            ),
            ProjectionMethod::LambertConformalConic2Sp => format!(
                "+proj=lcc +lat_0={} +lon_0={} +lat_1={} +lat_2={}",
                p.latitude_of_origin,
                p.central_meridian,
                p.standard_parallels().0,
                p.standard_parallels().1
            ),
            ProjectionMethod::LambertConformalConic1Sp => format!(
                "+proj=lcc +lat_0={0} +lat_1={0} +lon_0={1} +k_0={2}",
                p.latitude_of_origin,
                p.central_meridian,
                p.scale_factor.unwrap_or(1.0)
            ),
            ProjectionMethod::CylindricalEqualArea => format!(
                "+proj=cea +lon_0={} +lat_ts={}",
                p.central_meridian,
                p.standard_parallel_1.unwrap_or(0.0)
            ),
        };
        s.push_str(&format!(" +x_0={} +y_0={}", p.false_easting, p.false_northing));
        s.push_str(&format!(" {}", ellipsoid_proj4(&self.base)));
        if self.unit.metres != 1.0 {
            s.push_str(&format!(" +to_meter={}", self.unit.metres));
        }
        s.push_str(" +no_defs");
        s
    }

    /// The projector of this CRS, or why `proj4rs` cannot build it.
    pub fn projector(&self) -> Result<Projector, ProjectionError> {
        let invalid = |e: proj4rs::errors::Error| ProjectionError::Invalid {
            name: self.to_string(),
            message: e.to_string(),
        };
        let projected = proj4rs::proj::Proj::from_proj_string(&self.proj4()).map_err(invalid)?;
        let geographic =
            proj4rs::proj::Proj::from_proj_string(&format!("+proj=longlat {} +no_defs", ellipsoid_proj4(&self.base)))
                .map_err(invalid)?;
        Ok(Projector { projected, geographic })
    }

    /// OGC WKT 1 (`PROJCS[...]`, OGC 01-009, as GDAL writes it) for CF's `crs_wkt`.
    pub fn to_wkt(&self) -> String {
        let p = &self.parameters;
        let (projection, mut params): (&str, Vec<(&str, f64)>) = match self.method {
            ProjectionMethod::TransverseMercator => (
                "Transverse_Mercator",
                vec![
                    ("latitude_of_origin", p.latitude_of_origin),
                    ("central_meridian", p.central_meridian),
                    ("scale_factor", p.scale_factor.unwrap_or(1.0)),
                ],
            ),
            ProjectionMethod::Sinusoidal => ("Sinusoidal", vec![("longitude_of_center", p.central_meridian)]),
            ProjectionMethod::LambertAzimuthalEqualArea => (
                "Lambert_Azimuthal_Equal_Area",
                vec![
                    ("latitude_of_center", p.latitude_of_origin),
                    ("longitude_of_center", p.central_meridian),
                ],
            ),
            ProjectionMethod::PolarStereographic => {
                let pole = if p.latitude_of_origin < 0.0 { -90.0 } else { 90.0 };
                (
                    "Polar_Stereographic",
                    vec![
                        ("latitude_of_origin", p.standard_parallel_1.unwrap_or(pole)),
                        ("central_meridian", p.central_meridian),
                        ("scale_factor", p.scale_factor.unwrap_or(1.0)),
                    ],
                )
            }
            ProjectionMethod::AlbersEqualArea => (
                "Albers_Conic_Equal_Area",
                vec![
                    ("latitude_of_center", p.latitude_of_origin),
                    ("longitude_of_center", p.central_meridian),
                    ("standard_parallel_1", p.standard_parallels().0),
                    ("standard_parallel_2", p.standard_parallels().1),
                ],
            ),
            ProjectionMethod::LambertConformalConic2Sp => (
                "Lambert_Conformal_Conic_2SP",
                vec![
                    ("latitude_of_origin", p.latitude_of_origin),
                    ("central_meridian", p.central_meridian),
                    ("standard_parallel_1", p.standard_parallels().0),
                    ("standard_parallel_2", p.standard_parallels().1),
                ],
            ),
            ProjectionMethod::LambertConformalConic1Sp => (
                "Lambert_Conformal_Conic_1SP",
                vec![
                    ("latitude_of_origin", p.latitude_of_origin),
                    ("central_meridian", p.central_meridian),
                    ("scale_factor", p.scale_factor.unwrap_or(1.0)),
                ],
            ),
            ProjectionMethod::CylindricalEqualArea => (
                "Cylindrical_Equal_Area",
                vec![
                    ("standard_parallel_1", p.standard_parallel_1.unwrap_or(0.0)),
                    ("central_meridian", p.central_meridian),
                ],
            ),
        };
        let per_unit = self.unit.metres;
        params.push(("false_easting", p.false_easting / per_unit));
        params.push(("false_northing", p.false_northing / per_unit));
        let params: String = params.iter().map(|(n, v)| format!(",PARAMETER[\"{n}\",{v}]")).collect();
        let unit_id = self
            .unit
            .epsg
            .map_or(String::new(), |c| format!(",AUTHORITY[\"EPSG\",\"{c}\"]"));
        let id = self
            .epsg
            .map_or(String::new(), |c| format!(",AUTHORITY[\"EPSG\",\"{c}\"]"));
        format!(
            "PROJCS[\"{}\",{},PROJECTION[\"{projection}\"]{params},UNIT[\"{}\",{per_unit}{unit_id}],AXIS[\"Easting\",EAST],AXIS[\"Northing\",NORTH]{id}]",
            self.name.replace('"', "\"\""),
            self.base.to_wkt(),
            self.unit.name.replace('"', "\"\""),
        )
    }
}

impl ProjectedCrs {
    /// The CF-1.8 appendix F grid-mapping parameters of the projection (angles in degrees,
    /// false easting/northing in the CRS's unit, that of the x/y coordinates).
    pub fn cf_parameters(&self) -> Vec<(&'static str, Vec<f64>)> {
        let p = &self.parameters;
        let pole = if p.latitude_of_origin < 0.0 { -90.0 } else { 90.0 };
        let parallels = || -> Vec<f64> {
            [p.standard_parallel_1, p.standard_parallel_2]
                .into_iter()
                .flatten()
                .collect()
        };
        let mut out: Vec<(&'static str, Vec<f64>)> = match self.method {
            ProjectionMethod::TransverseMercator => vec![
                ("scale_factor_at_central_meridian", vec![p.scale_factor.unwrap_or(1.0)]),
                ("longitude_of_central_meridian", vec![p.central_meridian]),
                ("latitude_of_projection_origin", vec![p.latitude_of_origin]),
            ],
            ProjectionMethod::Sinusoidal => vec![("longitude_of_central_meridian", vec![p.central_meridian])],
            ProjectionMethod::LambertAzimuthalEqualArea => vec![
                ("longitude_of_projection_origin", vec![p.central_meridian]),
                ("latitude_of_projection_origin", vec![p.latitude_of_origin]),
            ],
            ProjectionMethod::PolarStereographic => {
                let mut v = vec![
                    ("straight_vertical_longitude_from_pole", vec![p.central_meridian]),
                    ("latitude_of_projection_origin", vec![pole]),
                ];
                match p.standard_parallel_1 {
                    Some(ts) => v.push(("standard_parallel", vec![ts])),
                    None => v.push(("scale_factor_at_projection_origin", vec![p.scale_factor.unwrap_or(1.0)])),
                }
                v
            }
            ProjectionMethod::AlbersEqualArea | ProjectionMethod::LambertConformalConic2Sp => vec![
                ("standard_parallel", parallels()),
                ("longitude_of_central_meridian", vec![p.central_meridian]),
                ("latitude_of_projection_origin", vec![p.latitude_of_origin]),
            ],
            ProjectionMethod::LambertConformalConic1Sp => vec![
                ("standard_parallel", vec![p.latitude_of_origin]),
                ("longitude_of_central_meridian", vec![p.central_meridian]),
                ("latitude_of_projection_origin", vec![p.latitude_of_origin]),
                ("scale_factor_at_projection_origin", vec![p.scale_factor.unwrap_or(1.0)]),
            ],
            ProjectionMethod::CylindricalEqualArea => vec![
                ("longitude_of_central_meridian", vec![p.central_meridian]),
                ("standard_parallel", vec![p.standard_parallel_1.unwrap_or(0.0)]),
            ],
        };
        out.push(("false_easting", vec![p.false_easting / self.unit.metres]));
        out.push(("false_northing", vec![p.false_northing / self.unit.metres]));
        out
    }

    /// The projection of a CF grid mapping (CF-1.8 appendix F): `grid_mapping_name` and a
    /// getter of its numeric attributes; false easting/northing in `unit`. `Err` names an
    /// unsupported mapping.
    pub fn from_cf(
        grid_mapping_name: &str,
        number: &dyn Fn(&str) -> Option<Vec<f64>>,
        base: GeographicCrs,
        unit: LinearUnit,
    ) -> Result<ProjectedCrs, String> {
        let one = |name: &str| number(name).and_then(|v| v.first().copied());
        let method = match grid_mapping_name {
            "transverse_mercator" => ProjectionMethod::TransverseMercator,
            "sinusoidal" => ProjectionMethod::Sinusoidal,
            "lambert_azimuthal_equal_area" => ProjectionMethod::LambertAzimuthalEqualArea,
            "polar_stereographic" => ProjectionMethod::PolarStereographic,
            "albers_conical_equal_area" => ProjectionMethod::AlbersEqualArea,
            "lambert_conformal_conic" => {
                if number("standard_parallel").is_some_and(|v| v.len() >= 2) {
                    ProjectionMethod::LambertConformalConic2Sp
                } else {
                    ProjectionMethod::LambertConformalConic1Sp
                }
            }
            "lambert_cylindrical_equal_area" => ProjectionMethod::CylindricalEqualArea,
            other => {
                return Err(format!(
                    "grid mapping '{other}' is not supported (supported: transverse_mercator, sinusoidal, lambert_azimuthal_equal_area, polar_stereographic, albers_conical_equal_area, lambert_conformal_conic, lambert_cylindrical_equal_area, latitude_longitude)"
                ));
            }
        };
        let parallels = number("standard_parallel").unwrap_or_default();
        let lon0 = one("longitude_of_central_meridian")
            .or_else(|| one("longitude_of_projection_origin"))
            .or_else(|| one("straight_vertical_longitude_from_pole"))
            .unwrap_or(0.0);
        let lat0 = one("latitude_of_projection_origin").unwrap_or(0.0);
        let mut p = ProjectionParameters {
            latitude_of_origin: lat0,
            central_meridian: lon0,
            standard_parallel_1: parallels.first().copied(),
            standard_parallel_2: parallels.get(1).copied(),
            scale_factor: one("scale_factor_at_central_meridian").or_else(|| one("scale_factor_at_projection_origin")),
            false_easting: one("false_easting").unwrap_or(0.0) * unit.metres,
            false_northing: one("false_northing").unwrap_or(0.0) * unit.metres,
        };
        match method {
            ProjectionMethod::LambertConformalConic1Sp => {
                p.latitude_of_origin = p.standard_parallel_1.unwrap_or(lat0);
                p.standard_parallel_1 = None;
            }
            ProjectionMethod::PolarStereographic if p.standard_parallel_1.is_some() => p.scale_factor = None,
            ProjectionMethod::TransverseMercator | ProjectionMethod::Sinusoidal => {
                p.standard_parallel_1 = None;
                p.standard_parallel_2 = None;
            }
            _ => {}
        }
        Ok(ProjectedCrs {
            name: "user-defined".into(),
            epsg: None,
            base,
            method,
            parameters: p,
            unit,
        })
    }
}

/// The ellipsoid of `crs` as PROJ parameters (`+R=` for a sphere).
fn ellipsoid_proj4(crs: &GeographicCrs) -> String {
    let e = &crs.ellipsoid;
    if e.inverse_flattening == 0.0 {
        format!("+R={}", e.semi_major_axis)
    } else {
        format!("+a={} +rf={}", e.semi_major_axis, e.inverse_flattening)
    }
}

impl fmt::Display for ProjectedCrs {
    /// `WGS 84 / UTM zone 33N (EPSG:32633)`, or `MODIS Sinusoidal (Sinusoidal, user-defined)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.epsg {
            Some(code) => write!(f, "{} (EPSG:{code})", self.name),
            None => write!(f, "{} ({}, user-defined)", self.name, self.method.name()),
        }
    }
}

/// The inverse and forward projection of one [`ProjectedCrs`], built once and used for many
/// points (building parses the PROJ string).
#[derive(Clone)]
pub struct Projector {
    projected: proj4rs::proj::Proj,
    geographic: proj4rs::proj::Proj,
}

impl Projector {
    /// Longitude and latitude in degrees of projected `(x, y)` (in the CRS's unit); `None`
    /// where the inverse is undefined (outside the projection's domain).
    pub fn inverse(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let mut p = (x, y, 0.0);
        proj4rs::transform::transform(&self.projected, &self.geographic, &mut p).ok()?;
        let (lon, lat) = (p.0.to_degrees(), p.1.to_degrees());
        (lon.is_finite() && lat.is_finite()).then_some((lon, lat))
    }

    /// Projected `(x, y)` of longitude and latitude in degrees; `None` outside the domain.
    pub fn forward(&self, lon: f64, lat: f64) -> Option<(f64, f64)> {
        let mut p = (lon.to_radians(), lat.to_radians(), 0.0);
        proj4rs::transform::transform(&self.geographic, &self.projected, &mut p).ok()?;
        (p.0.is_finite() && p.1.is_finite()).then_some((p.0, p.1))
    }
}

impl fmt::Debug for Projector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Projector")
    }
}

#[cfg(test)]
#[path = "crs_projected_tests.rs"]
mod tests;
