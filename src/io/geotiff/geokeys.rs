//! GeoTIFF georeferencing, read by hand: the GeoKey directory (tag 34735 with its double and
//! ASCII parameter tags 34736/34737), ModelPixelScale (33550), ModelTiepoint (33922) and
//! ModelTransformation (34264), following the OGC GeoTIFF 1.1 standard (OGC 19-008r4),
//! sections 7.1 (GeoKey directory) and 7.2-7.4 (raster-to-model transformation).
//!
//! Any geographic coordinate system is accepted ([`GeoKeys::geographic_crs`]): an EPSG code, or a
//! user-defined one (32767) built from its datum, ellipsoid (code, or semi-major axis with
//! inverse flattening or semi-minor axis), prime meridian and angular unit keys (annex B.2);
//! coordinates in another angular unit are converted to degrees. Projected systems
//! ([`GeoKeys::projected_crs`]): the EPSG codes of [`ProjectedCrs::from_epsg`] and user-defined
//! ones of the supported methods; any other is refused with a message that names it and says
//! how to reproject.

use crate::dataset::GeographicCrs;
use crate::dataset::crs::{Ellipsoid, PrimeMeridian};
use crate::dataset::crs_projected::{LinearUnit, ProjectionParameters, utm_parameters};
use crate::dataset::{ProjectedCrs, ProjectionMethod};

/// How to make a file landclust cannot read georeferenced readable.
const HINT: &str = "reproject to EPSG:4326 (e.g. gdalwarp -t_srs EPSG:4326)";

/// GeoKey ids used here (OGC 19-008r4, annex B).
pub const GT_MODEL_TYPE: u16 = 1024;
pub const GT_RASTER_TYPE: u16 = 1025;
pub const GT_CITATION: u16 = 1026;
pub const GEOGRAPHIC_TYPE: u16 = 2048;
pub const GEOG_CITATION: u16 = 2049;
pub const GEOG_GEODETIC_DATUM: u16 = 2050;
pub const GEOG_PRIME_MERIDIAN: u16 = 2051;
pub const GEOG_ANGULAR_UNITS: u16 = 2054;
pub const GEOG_ANGULAR_UNIT_SIZE: u16 = 2055;
pub const GEOG_ELLIPSOID: u16 = 2056;
pub const GEOG_SEMI_MAJOR_AXIS: u16 = 2057;
pub const GEOG_SEMI_MINOR_AXIS: u16 = 2058;
pub const GEOG_INV_FLATTENING: u16 = 2059;
pub const GEOG_PRIME_MERIDIAN_LONG: u16 = 2061;
pub const PROJECTED_CS_TYPE: u16 = 3072;
pub const PCS_CITATION: u16 = 3073;
pub const PROJECTION: u16 = 3074;
pub const PROJ_COORD_TRANS: u16 = 3075;
pub const PROJ_LINEAR_UNITS: u16 = 3076;
pub const PROJ_LINEAR_UNIT_SIZE: u16 = 3077;
pub const PROJ_STD_PARALLEL1: u16 = 3078;
pub const PROJ_STD_PARALLEL2: u16 = 3079;
pub const PROJ_NAT_ORIGIN_LONG: u16 = 3080;
pub const PROJ_NAT_ORIGIN_LAT: u16 = 3081;
pub const PROJ_FALSE_EASTING: u16 = 3082;
pub const PROJ_FALSE_NORTHING: u16 = 3083;
pub const PROJ_FALSE_ORIGIN_LONG: u16 = 3084;
pub const PROJ_FALSE_ORIGIN_LAT: u16 = 3085;
pub const PROJ_FALSE_ORIGIN_EASTING: u16 = 3086;
pub const PROJ_FALSE_ORIGIN_NORTHING: u16 = 3087;
pub const PROJ_CENTER_LONG: u16 = 3088;
pub const PROJ_CENTER_LAT: u16 = 3089;
pub const PROJ_CENTER_EASTING: u16 = 3090;
pub const PROJ_CENTER_NORTHING: u16 = 3091;
pub const PROJ_SCALE_AT_NAT_ORIGIN: u16 = 3092;
pub const PROJ_SCALE_AT_CENTER: u16 = 3093;
pub const PROJ_STRAIGHT_VERT_POLE_LONG: u16 = 3095;
/// ProjCoordTransGeoKey values (OGC 19-008r4 annex C.3.2) of the supported methods.
pub const CT_TRANSVERSE_MERCATOR: u16 = 1;
pub const CT_LAMBERT_CONF_CONIC_2SP: u16 = 8;
pub const CT_LAMBERT_CONF_CONIC_1SP: u16 = 9;
pub const CT_LAMBERT_AZIM_EQUAL_AREA: u16 = 10;
pub const CT_ALBERS_EQUAL_AREA: u16 = 11;
pub const CT_POLAR_STEREOGRAPHIC: u16 = 15;
pub const CT_SINUSOIDAL: u16 = 24;
pub const CT_CYLINDRICAL_EQUAL_AREA: u16 = 28;
/// GTModelType values.
pub const MODEL_PROJECTED: u16 = 1;
pub const MODEL_GEOGRAPHIC: u16 = 2;
/// GTRasterType values.
pub const RASTER_PIXEL_IS_AREA: u16 = 1;
pub const RASTER_PIXEL_IS_POINT: u16 = 2;
/// EPSG codes.
pub const EPSG_WGS84: u16 = 4326;
pub const DATUM_WGS84: u16 = 6326;
pub const ANGULAR_DEGREE: u16 = 9102;
/// "User-defined" in GeoKeys.
pub const USER_DEFINED: u16 = 32767;

/// One GeoKey value.
#[derive(Debug, Clone, PartialEq)]
pub enum KeyValue {
    Short(u16),
    Doubles(Vec<f64>),
    Ascii(String),
}

/// The parsed GeoKey directory: `(key id, value)` in file order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GeoKeys {
    pub keys: Vec<(u16, KeyValue)>,
}

impl GeoKeys {
    /// Parse the directory `dir` (u16: header `[1, 1, minor, n]`, then `n` entries `[id,
    /// location, count, value]`); `location` 0 holds the value inline, 34736 points into
    /// `doubles`, 34737 into `ascii` (strings end with `|`).
    pub fn parse(dir: &[u16], doubles: &[f64], ascii: &str) -> Result<Self, String> {
        let bad = |what: &str| format!("malformed GeoKeyDirectory ({what})");
        if dir.len() < 4 {
            return Err(bad("shorter than its header"));
        }
        let n = usize::from(dir[3]);
        if dir.len() < 4 + 4 * n {
            return Err(bad("fewer entries than it declares"));
        }
        let mut keys = Vec::with_capacity(n);
        for e in dir[4..4 + 4 * n].chunks_exact(4) {
            let (id, loc, count, at) = (e[0], e[1], usize::from(e[2]), usize::from(e[3]));
            let value = match loc {
                0 => KeyValue::Short(e[3]),
                34736 => KeyValue::Doubles(
                    doubles
                        .get(at..at + count)
                        .ok_or_else(|| bad("double out of range"))?
                        .to_vec(),
                ),
                34737 => {
                    let s = ascii.get(at..at + count).ok_or_else(|| bad("text out of range"))?;
                    KeyValue::Ascii(s.trim_end_matches(['|', '\0']).to_string())
                }
                _ => continue,
            };
            keys.push((id, value));
        }
        Ok(GeoKeys { keys })
    }

    /// A short-valued key.
    pub fn short(&self, id: u16) -> Option<u16> {
        self.keys.iter().find_map(|(k, v)| match v {
            KeyValue::Short(s) if *k == id => Some(*s),
            _ => None,
        })
    }

    /// A text-valued key.
    pub fn text(&self, id: u16) -> Option<&str> {
        self.keys.iter().find_map(|(k, v)| match v {
            KeyValue::Ascii(s) if *k == id => Some(s.as_str()),
            _ => None,
        })
    }

    /// The coordinate system for messages: `EPSG:32633 (WGS 84 / UTM zone 33N)`, or the citation
    /// of a user-defined one.
    fn projected_name(&self) -> String {
        let citation = self
            .text(PCS_CITATION)
            .or_else(|| self.text(GT_CITATION))
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty());
        let name = match (self.short(PROJECTED_CS_TYPE).filter(|&c| c != USER_DEFINED), citation) {
            (Some(code), Some(c)) => format!("EPSG:{code} ({c})"),
            (Some(code), None) => format!("EPSG:{code}"),
            (None, Some(c)) => format!("'{c}'"),
            (None, None) => "(user-defined)".to_string(),
        };
        match self.short(PROJ_COORD_TRANS).and_then(transformation_name) {
            Some(method) => format!("{name}, {method}"),
            None => name,
        }
    }

    /// A double-valued key (its first value).
    pub fn double(&self, id: u16) -> Option<f64> {
        self.keys.iter().find_map(|(k, v)| match v {
            KeyValue::Doubles(d) if *k == id => d.first().copied(),
            _ => None,
        })
    }

    /// The geographic coordinate system the keys declare, and the degrees per unit of its
    /// coordinates (1 for degrees); otherwise the message of the one-line error (without the
    /// file name). The EPSG code wins; a user-defined system (32767, or no code) is built from
    /// its datum code, else its ellipsoid code, else its ellipsoid parameters; prime meridian
    /// and angular unit keys apply to both (OGC 19-008r4, 7.5.2 and annex B.2).
    pub fn geographic_crs(&self, rotated: bool) -> Result<(GeographicCrs, f64), String> {
        let model = self.short(GT_MODEL_TYPE);
        if self.is_projected() {
            return Err(format!(
                "projected coordinate system {} is read by GeoKeys::projected_crs; {HINT}",
                self.projected_name()
            ));
        }
        if rotated {
            return Err(format!(
                "a rotated or sheared grid (ModelTransformation) is not supported yet; {HINT}"
            ));
        }
        match model {
            Some(MODEL_GEOGRAPHIC) => {}
            Some(other) => {
                return Err(format!(
                    "model type {other} is not supported (expected geographic); {HINT}"
                ));
            }
            None => return Err(format!("no GTModelTypeGeoKey: coordinate system unknown; {HINT}")),
        }
        self.base_geographic_crs()
    }

    /// True when the keys declare a projected system (model type or ProjectedCSTypeGeoKey).
    pub fn is_projected(&self) -> bool {
        self.short(GT_MODEL_TYPE) == Some(MODEL_PROJECTED) || self.short(PROJECTED_CS_TYPE).is_some()
    }

    /// The geographic system of the Geog* keys (a geographic grid's own, a projected one's
    /// base) with the degrees per unit of its angles.
    fn base_geographic_crs(&self) -> Result<(GeographicCrs, f64), String> {
        let (citation, cited_datum) = self.text(GEOG_CITATION).map(parse_citation).unwrap_or_default();
        let citation = citation.as_deref();
        let unknown =
            |what: String| format!("geographic coordinate system with {what} is not one landclust knows; {HINT}");
        let epsg = self.short(GEOGRAPHIC_TYPE).filter(|&c| c != USER_DEFINED);
        let datum = self.short(GEOG_GEODETIC_DATUM).filter(|&c| c != USER_DEFINED);
        let ellipsoid_code = self.short(GEOG_ELLIPSOID).filter(|&c| c != USER_DEFINED);
        let mut crs = if let Some(code) = epsg {
            GeographicCrs::from_epsg(code).ok_or_else(|| unknown(format!("code EPSG:{code}")))?
        } else if let Some(code) = datum {
            GeographicCrs::from_datum(code).ok_or_else(|| unknown(format!("datum EPSG:{code}")))?
        } else {
            let ellipsoid = match ellipsoid_code {
                Some(code) => Ellipsoid::from_epsg(code).ok_or_else(|| unknown(format!("ellipsoid EPSG:{code}")))?,
                None => self.user_ellipsoid().ok_or_else(|| {
                    format!(
                        "geographic coordinate system {} declares no datum or ellipsoid (GeographicTypeGeoKey, \
                         GeogGeodeticDatumGeoKey, GeogEllipsoidGeoKey or GeogSemiMajorAxisGeoKey); {HINT}",
                        citation.map_or("(user-defined)".to_string(), |c| format!("'{c}'"))
                    )
                })?,
            };
            GeographicCrs::on_ellipsoid(citation.unwrap_or("user-defined"), ellipsoid)
        };
        if epsg.is_none()
            && let Some(c) = citation
        {
            crs.name = c.to_string();
        }
        if epsg.is_none()
            && datum.is_none()
            && let Some(d) = cited_datum
        {
            crs.datum = d;
        }
        // Explicit ellipsoid keys of a user-defined system refine one built from a datum code.
        if epsg.is_none()
            && datum.is_some()
            && self.double(GEOG_SEMI_MAJOR_AXIS).is_some()
            && let Some(e) = self.user_ellipsoid()
            && !e.same_figure(&crs.ellipsoid)
        {
            crs.ellipsoid = e;
            crs.datum_epsg = None;
        }
        let (unit, per_unit) = match self.short(GEOG_ANGULAR_UNITS) {
            None => ("degree".to_string(), 1.0),
            Some(USER_DEFINED) => {
                let radians = self
                    .double(GEOG_ANGULAR_UNIT_SIZE)
                    .filter(|r| r.is_finite() && *r > 0.0)
                    .ok_or_else(|| format!("user-defined angular unit without GeogAngularUnitSizeGeoKey; {HINT}"))?;
                ("user-defined angular unit".to_string(), radians.to_degrees())
            }
            Some(code) => {
                let (name, per) = crate::dataset::crs::angular_unit(code)
                    .ok_or_else(|| format!("angular unit {code} is not one landclust converts (radian 9101, degree 9102, arc-minute 9103, arc-second 9104, grad 9105, gon 9106); {HINT}"))?;
                (name.to_string(), per)
            }
        };
        crs.angular_unit = unit;
        match self.short(GEOG_PRIME_MERIDIAN) {
            None | Some(8901) => {}
            Some(USER_DEFINED) => {
                let long = self.double(GEOG_PRIME_MERIDIAN_LONG).ok_or_else(|| {
                    format!("user-defined prime meridian without GeogPrimeMeridianLongGeoKey; {HINT}")
                })?;
                crs.prime_meridian = PrimeMeridian::from_longitude(long * per_unit);
            }
            Some(code) => {
                crs.prime_meridian =
                    PrimeMeridian::from_epsg(code).ok_or_else(|| unknown(format!("prime meridian EPSG:{code}")))?;
            }
        }
        Ok((crs, per_unit))
    }

    /// The projected coordinate system the keys declare (OGC 19-008r4, 7.5.3 and annex B.3):
    /// an EPSG code of [`ProjectedCrs::from_epsg`], or a user-defined one (32767) from its base
    /// geographic keys, its ProjectionGeoKey (a UTM zone, 16001-16060 / 16101-16160) or its
    /// ProjCoordTransGeoKey with the parameter keys, and its linear unit. Angles are in the
    /// base CRS's angular unit; false eastings/northings in the linear unit. `Err`: the message
    /// of the one-line error naming the system.
    pub fn projected_crs(&self, rotated: bool) -> Result<ProjectedCrs, String> {
        let name = self.projected_name();
        if rotated {
            return Err(format!(
                "a rotated or sheared grid (ModelTransformation) in {name} is not supported yet; {HINT}"
            ));
        }
        let unit = match self.short(PROJ_LINEAR_UNITS) {
            None => LinearUnit::metre(),
            Some(USER_DEFINED) => {
                let metres = self
                    .double(PROJ_LINEAR_UNIT_SIZE)
                    .filter(|m| m.is_finite() && *m > 0.0)
                    .ok_or_else(|| format!("{name}: user-defined linear unit without ProjLinearUnitSizeGeoKey; {HINT}"))?;
                LinearUnit {
                    name: "user-defined linear unit".into(),
                    epsg: None,
                    metres,
                }
            }
            Some(code) => LinearUnit::from_epsg(code).ok_or_else(|| {
                format!("{name}: linear unit {code} is not one landclust converts (metre 9001, foot 9002, US survey foot 9003, kilometre 9036); {HINT}")
            })?,
        };
        if let Some(code) = self.short(PROJECTED_CS_TYPE).filter(|&c| c != USER_DEFINED) {
            let mut crs = ProjectedCrs::from_epsg(code)
                .map_err(|_| format!("projected coordinate system {name} is not one landclust knows; {HINT}"))?;
            if let Some(c) = self.text(PCS_CITATION).map(str::trim).filter(|c| !c.is_empty()) {
                crs.name = c.to_string();
            }
            return Ok(crs);
        }
        let (base, per_unit) = self.base_geographic_crs()?;
        let deg = |ids: &[u16]| ids.iter().find_map(|&id| self.double(id)).map(|v| v * per_unit);
        let metres = |ids: &[u16]| {
            ids.iter()
                .find_map(|&id| self.double(id))
                .map_or(0.0, |v| v * unit.metres)
        };
        let citation = self
            .text(PCS_CITATION)
            .or_else(|| self.text(GT_CITATION))
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string);
        let projection = self.short(PROJECTION).filter(|&c| c != USER_DEFINED);
        let (method, parameters) = if let Some(code) = projection {
            let (zone, south) = match code {
                16001..=16060 => (code - 16000, false),
                16101..=16160 => (code - 16100, true),
                _ => {
                    return Err(format!(
                        "projected coordinate system {name}: projection code {code} is not one landclust knows (UTM zones 16001-16060, 16101-16160); {HINT}"
                    ));
                }
            };
            (ProjectionMethod::TransverseMercator, utm_parameters(zone, south))
        } else {
            let ct = self.short(PROJ_COORD_TRANS).ok_or_else(|| {
                format!("projected coordinate system {name} has neither an EPSG code, a ProjectionGeoKey nor a ProjCoordTransGeoKey; {HINT}")
            })?;
            let method = match ct {
                CT_TRANSVERSE_MERCATOR => ProjectionMethod::TransverseMercator,
                CT_SINUSOIDAL => ProjectionMethod::Sinusoidal,
                CT_LAMBERT_AZIM_EQUAL_AREA => ProjectionMethod::LambertAzimuthalEqualArea,
                CT_POLAR_STEREOGRAPHIC => ProjectionMethod::PolarStereographic,
                CT_ALBERS_EQUAL_AREA => ProjectionMethod::AlbersEqualArea,
                CT_LAMBERT_CONF_CONIC_2SP => ProjectionMethod::LambertConformalConic2Sp,
                CT_LAMBERT_CONF_CONIC_1SP => ProjectionMethod::LambertConformalConic1Sp,
                CT_CYLINDRICAL_EQUAL_AREA => ProjectionMethod::CylindricalEqualArea,
                other => {
                    let method =
                        transformation_name(other).map_or(format!("coordinate transformation {other}"), str::to_string);
                    return Err(format!(
                        "projected coordinate system {name}: the {method} projection is not supported (supported: transverse Mercator, sinusoidal, Lambert azimuthal equal-area, polar stereographic, Albers, Lambert conformal conic, cylindrical equal-area); {HINT}"
                    ));
                }
            };
            let mut p = ProjectionParameters {
                latitude_of_origin: deg(&[PROJ_NAT_ORIGIN_LAT, PROJ_FALSE_ORIGIN_LAT, PROJ_CENTER_LAT]).unwrap_or(0.0),
                central_meridian: deg(&[
                    PROJ_NAT_ORIGIN_LONG,
                    PROJ_FALSE_ORIGIN_LONG,
                    PROJ_CENTER_LONG,
                    PROJ_STRAIGHT_VERT_POLE_LONG,
                ])
                .unwrap_or(0.0),
                standard_parallel_1: deg(&[PROJ_STD_PARALLEL1]),
                standard_parallel_2: deg(&[PROJ_STD_PARALLEL2]),
                scale_factor: [PROJ_SCALE_AT_NAT_ORIGIN, PROJ_SCALE_AT_CENTER]
                    .iter()
                    .find_map(|&id| self.double(id)),
                false_easting: metres(&[PROJ_FALSE_EASTING, PROJ_FALSE_ORIGIN_EASTING, PROJ_CENTER_EASTING]),
                false_northing: metres(&[PROJ_FALSE_NORTHING, PROJ_FALSE_ORIGIN_NORTHING, PROJ_CENTER_NORTHING]),
            };
            match method {
                // GeoTIFF (as GDAL writes it) gives polar stereographic's latitude of true scale in
                // ProjNatOriginLat: the pole itself (variant A, with a scale) or a standard
                // parallel (variant B).
                ProjectionMethod::PolarStereographic if p.latitude_of_origin.abs() < 90.0 - 1e-9 => {
                    p.standard_parallel_1 = Some(p.latitude_of_origin);
                    p.latitude_of_origin = 90.0f64.copysign(p.latitude_of_origin);
                    p.scale_factor = None;
                }
                ProjectionMethod::LambertConformalConic2Sp | ProjectionMethod::AlbersEqualArea => p.scale_factor = None,
                ProjectionMethod::CylindricalEqualArea => p.latitude_of_origin = 0.0,
                _ => {}
            }
            (method, p)
        };
        Ok(ProjectedCrs {
            name: citation.unwrap_or_else(|| "user-defined".into()),
            epsg: None,
            base,
            method,
            parameters,
            unit,
        })
    }

    /// The ellipsoid of GeogSemiMajorAxisGeoKey with GeogInvFlatteningGeoKey or
    /// GeogSemiMinorAxisGeoKey (a sphere when neither is given or b = a).
    fn user_ellipsoid(&self) -> Option<Ellipsoid> {
        let a = self
            .double(GEOG_SEMI_MAJOR_AXIS)
            .filter(|a| a.is_finite() && *a > 0.0)?;
        let rf = match (self.double(GEOG_INV_FLATTENING), self.double(GEOG_SEMI_MINOR_AXIS)) {
            (Some(rf), _) => rf,
            (None, Some(b)) if b < a => a / (a - b),
            _ => 0.0,
        };
        Some(Ellipsoid::from_parameters(a, rf))
    }
}

/// The name and datum of a GeogCitationGeoKey: plain text, or GDAL's ESRI-style
/// `GCS Name = X|Datum = Y|Ellipsoid = Z|Primem = W|` (an `unknown` part is no name; with no
/// name, the ellipsoid names the system as GDAL does).
fn parse_citation(text: &str) -> (Option<String>, Option<String>) {
    let text = text.trim();
    if !text.contains(" = ") {
        return ((!text.is_empty()).then(|| text.to_string()), None);
    }
    let part = |key: &str| {
        text.split('|')
            .find_map(|p| p.trim().strip_prefix(key))
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty() && !v.eq_ignore_ascii_case("unknown"))
    };
    let name = part("GCS Name = ")
        .or_else(|| part("Ellipsoid = ").map(|e| format!("Unknown datum based upon the {e} ellipsoid")));
    (name, part("Datum = "))
}

/// The name of a ProjCoordTransGeoKey code (OGC 19-008r4, annex C.3.2).
fn transformation_name(code: u16) -> Option<&'static str> {
    Some(match code {
        1 => "Transverse Mercator",
        7 => "Mercator",
        8 => "Lambert conformal conic (2SP)",
        10 => "Lambert azimuthal equal-area",
        11 => "Albers equal-area",
        15 => "polar stereographic",
        17 => "equirectangular",
        24 => "sinusoidal",
        _ => return None,
    })
}

/// The affine raster-to-model map of a north-up (or south-up) grid: the centre of pixel
/// `(col, row)` is at `(lon0 + col * dlon, lat0 + row * dlat)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellCentres {
    pub lon0: f64,
    pub lat0: f64,
    pub dlon: f64,
    pub dlat: f64,
}

/// Cell centres from ModelPixelScale `(sx, sy, _)` + the first ModelTiepoint `(i, j, _, x, y, _)`
/// (model x = x + (col - i) sx, y = y - (row - j) sy, OGC 19-008r4 7.2), or from a
/// ModelTransformation `[a b 0 d; e f 0 h; ...]` without rotation (b = e = 0). With
/// PixelIsArea the raster point `(col, row)` is the pixel's corner, so its centre is at
/// `col + 0.5`; with PixelIsPoint it is the centre itself.
pub fn cell_centres(
    scale: Option<&[f64]>,
    tiepoint: Option<&[f64]>,
    transform: Option<&[f64]>,
    pixel_is_point: bool,
) -> Result<CellCentres, String> {
    let half = if pixel_is_point { 0.0 } else { 0.5 };
    let (x0, y0, sx, sy) = match (scale, tiepoint, transform) {
        (Some(s), Some(t), _) if s.len() >= 2 && t.len() >= 6 => (t[3] - t[0] * s[0], t[4] + t[1] * s[1], s[0], -s[1]),
        (_, _, Some(m)) if m.len() >= 8 => {
            if m[1] != 0.0 || m[4] != 0.0 {
                return Err("rotated".into());
            }
            (m[3], m[7], m[0], m[5])
        }
        _ => {
            return Err(
                "no georeferencing: expected ModelPixelScale + ModelTiepoint or ModelTransformation tags".into(),
            );
        }
    };
    if !(sx.is_finite() && sy.is_finite() && sx > 0.0 && sy != 0.0 && x0.is_finite() && y0.is_finite()) {
        return Err(format!("invalid pixel size {sx} x {sy}"));
    }
    Ok(CellCentres {
        lon0: x0 + half * sx,
        lat0: y0 + half * sy,
        dlon: sx,
        dlat: sy,
    })
}

#[cfg(test)]
#[path = "geokeys_tests.rs"]
mod tests;
