//! CF projected grids (CF-1.8 sections 4.4 note, 5.6 and appendix F): a grid mapping whose
//! `grid_mapping_name` is a supported projection, with 1-D `projection_x_coordinate` /
//! `projection_y_coordinate` axes. The cells are the grid's own (rows north first, columns in
//! increasing x); their lon/lat come from the inverse projection (see
//! [`crate::dataset::crs_projected`]). Any 2-D lat/lon auxiliary coordinates are not read.

use super::cf::{is_numeric, text_attr};
use crate::dataset::crs::{Ellipsoid, PrimeMeridian};
use crate::dataset::crs_projected::LinearUnit;
use crate::dataset::{GeographicCrs, Grid, GridSource, Orientation, ProjectedCrs};
use netcdf_reader::NcVariable;

/// The grid-mapping variable the data variables name (or the one with a `grid_mapping_name`).
fn grid_mapping_variable(vars: &[NcVariable]) -> Option<&NcVariable> {
    let referenced = vars
        .iter()
        .filter_map(|v| text_attr(v, "grid_mapping"))
        .find_map(|name| {
            let name = name.split([':', ' ']).next().unwrap_or("").to_string();
            vars.iter().find(|v| v.name == name)
        });
    referenced.or_else(|| vars.iter().find(|v| text_attr(v, "grid_mapping_name").is_some()))
}

/// The names of the projections this reader supports (CF `grid_mapping_name`).
const SUPPORTED: [&str; 7] = [
    "transverse_mercator",
    "sinusoidal",
    "lambert_azimuthal_equal_area",
    "polar_stereographic",
    "albers_conical_equal_area",
    "lambert_conformal_conic",
    "lambert_cylindrical_equal_area",
];

/// The x (`Y` = false) or y projection coordinate: 1-D, by `standard_name`, else named `x`/`y`
/// with a length unit.
fn projection_axis(vars: &[NcVariable], is_y: bool) -> Option<&NcVariable> {
    let (standard, name, axis) = if is_y {
        ("projection_y_coordinate", "y", "Y")
    } else {
        ("projection_x_coordinate", "x", "X")
    };
    let one_d = |v: &&NcVariable| v.dimensions.len() == 1 && is_numeric(&v.dtype);
    vars.iter()
        .filter(one_d)
        .find(|v| text_attr(v, "standard_name").is_some_and(|s| s == standard))
        .or_else(|| {
            vars.iter().filter(one_d).find(|v| {
                (v.name.eq_ignore_ascii_case(name) || text_attr(v, "axis").is_some_and(|a| a == axis))
                    && text_attr(v, "units").is_some_and(|u| linear_unit(&u).is_some())
            })
        })
}

/// The linear unit of a CF `units` string of projection coordinates.
fn linear_unit(units: &str) -> Option<LinearUnit> {
    let code = match units.trim() {
        "m" | "metre" | "meter" | "metres" | "meters" => 9001,
        "km" | "kilometre" | "kilometer" | "kilometres" | "kilometers" => 9036,
        "ft" | "foot" | "feet" | "international_foot" => 9002,
        "US_survey_foot" | "US_survey_feet" | "us_survey_foot" => 9003,
        _ => return None,
    };
    LinearUnit::from_epsg(code)
}

/// The EPSG code a WKT ends with (`AUTHORITY["EPSG","32633"]]` or `ID["EPSG",32633]]`): the
/// identifier of the system itself, not that of its last unit (`UNIT["metre",1,AUTHORITY[...]]]`).
fn wkt_epsg(wkt: &str) -> Option<u16> {
    let t = wkt.trim_end().strip_suffix(']')?.trim_end().strip_suffix(']')?;
    let at = t.rfind("\"EPSG\"")?;
    let tail = t[at + 6..].trim_start().strip_prefix(',')?.trim();
    let digits = tail.strip_prefix('"').and_then(|d| d.strip_suffix('"')).unwrap_or(tail);
    (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

/// The base geographic CRS of a CF grid mapping: its ellipsoid attributes and names (WGS 84
/// without them, the CF default being unspecified).
fn base_crs(gm: &NcVariable) -> GeographicCrs {
    let number = |name: &str| gm.attribute(name).and_then(|a| a.value.as_f64());
    let Some(a) = number("semi_major_axis")
        .or_else(|| number("earth_radius"))
        .filter(|a| a.is_finite() && *a > 0.0)
    else {
        return GeographicCrs::wgs84();
    };
    let rf = match (number("inverse_flattening"), number("semi_minor_axis")) {
        (Some(rf), _) => rf,
        (None, Some(b)) if b < a => a / (a - b),
        _ => 0.0,
    };
    let ellipsoid = Ellipsoid::from_parameters(a, rf);
    let pm = number("longitude_of_prime_meridian").unwrap_or(0.0);
    if ellipsoid.epsg == Some(7030) && pm == 0.0 {
        return GeographicCrs::wgs84();
    }
    let name = text_attr(gm, "geographic_crs_name")
        .unwrap_or_else(|| format!("Unknown datum based upon the {} ellipsoid", ellipsoid.name));
    let mut crs = GeographicCrs::on_ellipsoid(&name, ellipsoid);
    if let Some(d) = text_attr(gm, "horizontal_datum_name") {
        crs.datum = d;
    }
    if let Some(e) = text_attr(gm, "reference_ellipsoid_name") {
        crs.ellipsoid.name = e;
    }
    crs.prime_meridian = PrimeMeridian::from_longitude(pm);
    crs
}

/// The grid mapping's WKT (`crs_wkt`, or GDAL's `spatial_ref`) when it is a projected system
/// (WKT 1 `PROJCS` or WKT 2 `PROJCRS`).
fn projected_wkt(gm: &NcVariable) -> Option<String> {
    text_attr(gm, "crs_wkt")
        .or_else(|| text_attr(gm, "spatial_ref"))
        .filter(|w| {
            let head = w.trim_start().to_ascii_uppercase();
            head.starts_with("PROJCS") || head.starts_with("PROJCRS")
        })
}

/// True when the file's grid mapping is a projection (supported or not): a projected
/// `grid_mapping_name`, or none with a projected WKT (CF-1.7 allows `crs_wkt` alone). Then its
/// grid is read by [`projected_grid`], not from latitude/longitude coordinates.
pub(crate) fn is_projected(vars: &[NcVariable]) -> bool {
    grid_mapping_variable(vars).is_some_and(|gm| match text_attr(gm, "grid_mapping_name") {
        Some(k) if !k.is_empty() => k != "latitude_longitude",
        _ => projected_wkt(gm).is_some(),
    })
}

/// The projection of a grid mapping that has only a projected WKT: the EPSG system its
/// identifier names. The WKT's own parameters are not read, so a system without an EPSG
/// identifier landclust knows stops with one line saying what to add.
fn projection_from_wkt_alone(gm: &NcVariable, wkt: &str) -> Result<ProjectedCrs, String> {
    let name = wkt.split('"').nth(1).unwrap_or("?");
    let why = match wkt_epsg(wkt) {
        Some(code) => match ProjectedCrs::from_epsg(code) {
            Ok(p) => return Ok(p),
            Err(_) => format!("EPSG:{code}, a projection landclust does not know"),
        },
        None => "without an EPSG identifier".to_string(),
    };
    Err(format!(
        "grid mapping {} has no grid_mapping_name and its crs_wkt is the projected system '{name}', {why}; \
         give the CF grid_mapping_name and its parameters (GDAL writes them) or reproject to EPSG:4326 \
         (e.g. gdalwarp -t_srs EPSG:4326)",
        gm.name
    ))
}

/// The projected grid of a file whose grid mapping is a projection, given a reader of 1-D
/// variables; `Err` is the one-line message (without the file name).
pub(crate) fn projected_grid(
    vars: &[NcVariable],
    read: &dyn Fn(&NcVariable) -> Result<Vec<f64>, String>,
) -> Result<Grid, String> {
    let gm = grid_mapping_variable(vars).ok_or_else(|| "no grid mapping".to_string())?;
    let kind = text_attr(gm, "grid_mapping_name").unwrap_or_default();
    let wkt_alone = match (kind.is_empty(), projected_wkt(gm)) {
        (true, Some(w)) => Some(projection_from_wkt_alone(gm, &w)?),
        _ => None,
    };
    if wkt_alone.is_none() && !SUPPORTED.contains(&kind.as_str()) {
        return Err(format!(
            "grid mapping {} is '{kind}': this projection is not supported (supported: {}); reproject to EPSG:4326 (e.g. gdalwarp -t_srs EPSG:4326)",
            gm.name,
            SUPPORTED.join(", ")
        ));
    }
    let (Some(yv), Some(xv)) = (projection_axis(vars, true), projection_axis(vars, false)) else {
        return Err(format!(
            "grid mapping {} is '{kind}' but no 1-D projection_x_coordinate/projection_y_coordinate variables (with units m) were found",
            gm.name
        ));
    };
    let unit = text_attr(xv, "units").as_deref().and_then(linear_unit).ok_or_else(|| {
        format!(
            "variable {}: units are not a length (m, km, ft, US_survey_foot)",
            xv.name
        )
    })?;
    let wkt = text_attr(gm, "crs_wkt").or_else(|| text_attr(gm, "spatial_ref"));
    let known = wkt
        .as_deref()
        .filter(|w| w.trim_start().starts_with("PROJ"))
        .and_then(wkt_epsg)
        .and_then(|code| ProjectedCrs::from_epsg(code).ok());
    let number = |name: &str| gm.attribute(name).and_then(|a| a.value.as_f64_vec());
    let mut projection = match (known.or(wkt_alone), kind.is_empty()) {
        (Some(p), _) if unit.metres == 1.0 => p,
        // The EPSG systems landclust knows are in metres; CF parameters are unit-free.
        (Some(p), true) => {
            return Err(format!(
                "variable {}: units are {} but {} is in metres",
                xv.name, unit.name, p
            ));
        }
        _ => ProjectedCrs::from_cf(&kind, &number, base_crs(gm), unit)
            .map_err(|e| format!("grid mapping {}: {e}", gm.name))?,
    };
    if let Some(name) = text_attr(gm, "projected_crs_name").filter(|n| !n.is_empty()) {
        projection.name = name;
    }
    let y = read(yv)?;
    let x = read(xv)?;
    let monotonic = |v: &[f64], sign: f64| v.windows(2).all(|w| sign * (w[1] - w[0]) > 0.0);
    if x.is_empty() || y.is_empty() || x.iter().chain(&y).any(|v| !v.is_finite()) {
        return Err(format!(
            "variables {}/{}: missing or non-finite coordinates",
            yv.name, xv.name
        ));
    }
    if !monotonic(&x, 1.0) {
        return Err(format!("variable {}: x must increase west to east", xv.name));
    }
    let lat_flipped = y.len() > 1 && y[0] < y[y.len() - 1];
    if !(monotonic(&y, 1.0) || monotonic(&y, -1.0)) {
        return Err(format!("variable {}: y is not strictly monotonic", yv.name));
    }
    let rows: Vec<f64> = if lat_flipped {
        y.iter().rev().copied().collect()
    } else {
        y
    };
    let grid = Grid {
        n_rows: rows.len(),
        n_cols: x.len(),
        lat: rows,
        lon: x,
        source: GridSource::OneD {
            lat_var: yv.name.clone(),
            lon_var: xv.name.clone(),
        },
        orientation: Orientation {
            lat_flipped,
            transposed: false,
            lon_shift: 0,
        },
        crs: Some(projection.base.clone()),
        projection: Some(projection),
    };
    let locator = grid.locator().map_err(|e| e.to_string())?;
    let (lon, lat) = locator.lon_lat(grid.n_rows / 2, grid.n_cols / 2);
    if lon.is_nan() || lat.is_nan() {
        return Err(format!(
            "the grid's centre has no longitude/latitude in {}: the grid lies outside the projection's domain",
            grid.projection.as_ref().map_or(String::new(), |p| p.to_string())
        ));
    }
    Ok(grid)
}

#[cfg(test)]
#[path = "projected_tests.rs"]
mod tests;
