//! Finding the latitude/longitude grid of a file and turning it north-first, west-to-east,
//! with longitudes in -180..180.
//!
//! Two layouts are recognised, without relying on dimension names:
//! 2-D latitude/longitude variables of the grid's shape (the GRASP product), and 1-D CF
//! coordinates found by `units`, `standard_name` or `axis`, falling back to common names.

use super::cf::{is_numeric, text_attr};
use crate::dataset::crs::{Ellipsoid, PrimeMeridian};
use crate::dataset::{GeographicCrs, Grid, GridSource};
use crate::io::grid::oriented;
use netcdf_reader::{NcDimension, NcVariable};

const LAT_UNITS: [&str; 8] = [
    "degrees_north",
    "degree_north",
    "degree_n",
    "degrees_n",
    "degreen",
    "degreesn",
    "deg_n",
    "degn",
];
const LON_UNITS: [&str; 8] = [
    "degrees_east",
    "degree_east",
    "degree_e",
    "degrees_e",
    "degreee",
    "degreese",
    "deg_e",
    "dege",
];
const LAT_NAMES: [&str; 8] = ["lat", "latitude", "lats", "y", "nav_lat", "coadsy", "ylat", "latitudes"];
const LON_NAMES: [&str; 8] = [
    "lon",
    "longitude",
    "lons",
    "x",
    "nav_lon",
    "coadsx",
    "xlon",
    "longitudes",
];

/// Which horizontal axis a coordinate variable describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Axis {
    Lat,
    Lon,
}

impl Axis {
    fn units(self) -> &'static [&'static str] {
        if self == Axis::Lat { &LAT_UNITS } else { &LON_UNITS }
    }
    fn names(self) -> &'static [&'static str] {
        if self == Axis::Lat { &LAT_NAMES } else { &LON_NAMES }
    }
    fn standard_name(self) -> &'static str {
        if self == Axis::Lat { "latitude" } else { "longitude" }
    }
    fn cf_axis(self) -> &'static str {
        if self == Axis::Lat { "Y" } else { "X" }
    }
}

/// How sure we are that a variable is a coordinate of `axis`: 2 by its attributes, 1 by its
/// name or `axis` alone (unless its units say it is something else, e.g. metres), 0 not at all.
pub(crate) fn evidence(var: &NcVariable, axis: Axis) -> u8 {
    if !is_numeric(&var.dtype) {
        return 0;
    }
    let units = text_attr(var, "units").map(|u| u.to_lowercase().replace(' ', "_"));
    let by_units = units.as_deref().is_some_and(|u| axis.units().contains(&u));
    let by_standard_name = text_attr(var, "standard_name").is_some_and(|s| s == axis.standard_name());
    if by_units || by_standard_name {
        return 2;
    }
    let foreign_units = units.as_deref().is_some_and(|u| !u.is_empty() && !u.starts_with("deg"));
    let by_name = axis.names().contains(&var.name.to_lowercase().as_str());
    let by_axis = text_attr(var, "axis").is_some_and(|a| a.eq_ignore_ascii_case(axis.cf_axis()));
    u8::from((by_name || by_axis) && !foreign_units)
}

/// The file dimensions that carry the grid's rows (latitude) and columns (longitude).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FileAxes {
    pub row_dim: NcDimension,
    pub col_dim: NcDimension,
}

/// Where a variable's grid dimensions are, and its other dimensions.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Placement {
    pub row_axis: usize,
    pub col_axis: usize,
}

impl FileAxes {
    /// Locate the grid in `var`'s dimensions: by dimension identity, else by the lengths of
    /// two adjacent dimensions (for files whose coordinates use other dimension names).
    pub(crate) fn place(&self, var: &NcVariable) -> Option<Placement> {
        let dims = &var.dimensions;
        let find = |d: &NcDimension| dims.iter().position(|x| x.name == d.name && x.size == d.size);
        if let (Some(row_axis), Some(col_axis)) = (find(&self.row_dim), find(&self.col_dim))
            && row_axis != col_axis
        {
            return Some(Placement { row_axis, col_axis });
        }
        let (nr, nc) = (self.row_dim.size, self.col_dim.size);
        let n = dims.len();
        let pairs = (0..n.saturating_sub(1)).rev().map(|i| (i, i + 1));
        for (a, b) in pairs {
            if (dims[a].size, dims[b].size) == (nr, nc) {
                return Some(Placement {
                    row_axis: a,
                    col_axis: b,
                });
            }
            if nr != nc && (dims[a].size, dims[b].size) == (nc, nr) {
                return Some(Placement {
                    row_axis: b,
                    col_axis: a,
                });
            }
        }
        None
    }
}

/// Checks shared by both layouts; `what` names the variable in the message.
fn check_range(values: &[f64], lo: f64, hi: f64, what: &str) -> Result<(), String> {
    match values.iter().find(|v| !v.is_nan() && !(lo..=hi).contains(*v)) {
        Some(v) => Err(format!("{what} has value {v}, outside {lo}..{hi}")),
        None if values.iter().all(|v| v.is_nan()) => Err(format!("{what} has no valid value")),
        None => Ok(()),
    }
}

fn strictly_monotonic(v: &[f64]) -> bool {
    v.windows(2).all(|w| w[1] > w[0]) || v.windows(2).all(|w| w[1] < w[0])
}

/// Latitudes within -90..90 and longitudes within -360..360 (both grid layouts).
fn check_lat_lon(lat_var: &NcVariable, lon_var: &NcVariable, lat: &[f64], lon: &[f64]) -> Result<(), String> {
    check_range(lat, -90.0, 90.0, &format!("latitude {}", lat_var.name))?;
    check_range(lon, -360.0, 360.0, &format!("longitude {}", lon_var.name))
}

/// A grid from 1-D latitude and longitude coordinates (already CF-decoded).
pub(crate) fn grid_from_1d(
    lat_var: &NcVariable,
    lon_var: &NcVariable,
    lat: &[f64],
    lon: &[f64],
) -> Result<Grid, String> {
    check_lat_lon(lat_var, lon_var, lat, lon)?;
    if lat.iter().chain(lon).any(|v| v.is_nan()) {
        return Err(format!(
            "coordinates {}/{} have missing values",
            lat_var.name, lon_var.name
        ));
    }
    if !strictly_monotonic(lat) {
        return Err(format!("latitude {} is not monotonic", lat_var.name));
    }
    if lon.windows(2).any(|w| w[1] <= w[0]) {
        return Err(format!("longitude {} does not increase west to east", lon_var.name));
    }
    let source = GridSource::OneD {
        lat_var: lat_var.name.clone(),
        lon_var: lon_var.name.clone(),
    };
    Ok(oriented(lat, lon, source, false))
}

/// Per-row and per-column summaries of a 2-D coordinate array `(a, b)`, gathered block by block
/// so that the array is never held whole: NaN-aware mean and spread (max - min).
#[derive(Debug, Clone)]
pub(crate) struct AxisStats {
    row_sum: Vec<f64>,
    row_n: Vec<usize>,
    row_min: Vec<f64>,
    row_max: Vec<f64>,
    col_sum: Vec<f64>,
    col_n: Vec<usize>,
    col_min: Vec<f64>,
    col_max: Vec<f64>,
}

impl AxisStats {
    pub(crate) fn new(a: usize, b: usize) -> Self {
        AxisStats {
            row_sum: vec![0.0; a],
            row_n: vec![0; a],
            row_min: vec![f64::INFINITY; a],
            row_max: vec![f64::NEG_INFINITY; a],
            col_sum: vec![0.0; b],
            col_n: vec![0; b],
            col_min: vec![f64::INFINITY; b],
            col_max: vec![f64::NEG_INFINITY; b],
        }
    }

    /// Add file rows `r0..` (a block of whole rows, row-major, decoded).
    pub(crate) fn add_rows(&mut self, r0: usize, block: &[f64]) {
        let b = self.col_sum.len();
        for (k, row) in block.chunks(b.max(1)).enumerate() {
            let r = r0 + k;
            // The row's running figures in registers, the columns' in lock-step slices: the
            // same additions in the same order as one cell at a time, without re-indexing
            // eight vectors per value (a 0.05-degree file has two 26 M-value coordinate arrays).
            let (mut sum, mut n, mut lo, mut hi) = (self.row_sum[r], self.row_n[r], self.row_min[r], self.row_max[r]);
            let columns = self
                .col_sum
                .iter_mut()
                .zip(self.col_n.iter_mut())
                .zip(self.col_min.iter_mut().zip(self.col_max.iter_mut()));
            for (&v, ((col_sum, col_n), (col_min, col_max))) in row.iter().zip(columns) {
                if v.is_nan() {
                    continue;
                }
                sum += v;
                n += 1;
                lo = lo.min(v);
                hi = hi.max(v);
                *col_sum += v;
                *col_n += 1;
                *col_min = col_min.min(v);
                *col_max = col_max.max(v);
            }
            (self.row_sum[r], self.row_n[r], self.row_min[r], self.row_max[r]) = (sum, n, lo, hi);
        }
    }

    fn means(sum: &[f64], n: &[usize]) -> Vec<f64> {
        sum.iter()
            .zip(n)
            .map(|(&s, &n)| if n == 0 { f64::NAN } else { s / n as f64 })
            .collect()
    }

    fn spread(min: &[f64], max: &[f64]) -> f64 {
        min.iter()
            .zip(max)
            .filter(|(lo, hi)| lo.is_finite() && hi.is_finite())
            .map(|(lo, hi)| hi - lo)
            .fold(0.0, f64::max)
    }
}

/// A grid from the block summaries of 2-D latitude/longitude arrays of shape `(a, b)`.
///
/// Latitude changes along the row axis; if it changes more along the second axis the file is
/// lon-first (transposed). The axes are the NaN-aware means across each row and column, so
/// missing coordinates in part of a row do no harm. A grid whose latitude varies along a row
/// (or longitude along a column) by more than half a cell is curvilinear and refused.
pub(crate) fn grid_from_2d(
    lat_var: &NcVariable,
    lon_var: &NcVariable,
    lat: &AxisStats,
    lon: &AxisStats,
) -> Result<Grid, String> {
    let lat_rows = AxisStats::means(&lat.row_sum, &lat.row_n);
    let lat_cols = AxisStats::means(&lat.col_sum, &lat.col_n);
    let lon_rows = AxisStats::means(&lon.row_sum, &lon.row_n);
    let lon_cols = AxisStats::means(&lon.col_sum, &lon.col_n);
    let all: Vec<f64> = lat_rows.iter().chain(&lat_cols).copied().collect();
    check_range(&all, -90.0, 90.0, &format!("latitude {}", lat_var.name))?;
    let all: Vec<f64> = lon_rows.iter().chain(&lon_cols).copied().collect();
    check_range(&all, -360.0, 360.0, &format!("longitude {}", lon_var.name))?;
    let diff = |v: &[f64]| (v[0] - v[v.len() - 1]).abs();
    let transposed = diff(&lat_cols) > diff(&lat_rows);
    let (lat_axis, lon_axis, lat_spread, lon_spread) = if transposed {
        (
            lat_cols,
            lon_rows,
            AxisStats::spread(&lat.col_min, &lat.col_max),
            AxisStats::spread(&lon.row_min, &lon.row_max),
        )
    } else {
        (
            lat_rows,
            lon_cols,
            AxisStats::spread(&lat.row_min, &lat.row_max),
            AxisStats::spread(&lon.col_min, &lon.col_max),
        )
    };
    if let Some(i) = lat_axis.iter().position(|v| v.is_nan()) {
        return Err(format!("latitude {} has no valid value in grid row {i}", lat_var.name));
    }
    if let Some(j) = lon_axis.iter().position(|v| v.is_nan()) {
        return Err(format!(
            "longitude {} has no valid value in grid column {j}",
            lon_var.name
        ));
    }
    let step = |v: &[f64]| {
        if v.len() > 1 {
            diff(v) / (v.len() - 1) as f64
        } else {
            f64::INFINITY
        }
    };
    let (lat_step, lon_step) = (step(&lat_axis), step(&lon_axis));
    if lat_spread > 0.5 * lat_step + 1e-6 || lon_spread > 0.5 * lon_step + 1e-6 {
        return Err(format!(
            "curvilinear grid: latitude {} varies by {lat_spread} degrees along a row (longitude {} by {lon_spread} along a column), more than half a cell; landclust reads rectilinear latitude/longitude grids",
            lat_var.name, lon_var.name
        ));
    }
    let source = GridSource::TwoD {
        lat_var: lat_var.name.clone(),
        lon_var: lon_var.name.clone(),
    };
    Ok(oriented(&lat_axis, &lon_axis, source, transposed))
}

/// The best pair of coordinate variables: (lat, lon, 2-D?).
pub(crate) fn find_coordinates(vars: &[NcVariable]) -> Option<(&NcVariable, &NcVariable, bool)> {
    let best = |axis: Axis, ndim: usize, min: u8| {
        vars.iter()
            .filter(|v| v.dimensions.len() == ndim && v.dimensions.iter().all(|d| d.size > 0))
            .map(|v| (evidence(v, axis), v))
            .filter(|(e, _)| *e >= min)
            .max_by_key(|(e, _)| *e)
            .map(|(_, v)| v)
    };
    let one_d = |min: u8| match (best(Axis::Lat, 1, min), best(Axis::Lon, 1, min)) {
        (Some(la), Some(lo)) if la.dimensions[0].name != lo.dimensions[0].name => Some((la, lo, false)),
        _ => None,
    };
    let two_d = || match (best(Axis::Lat, 2, 1), best(Axis::Lon, 2, 1)) {
        (Some(la), Some(lo)) if la.shape() == lo.shape() => Some((la, lo, true)),
        _ => None,
    };
    one_d(2).or_else(two_d).or_else(|| one_d(1))
}

/// The dimensions of the grid's rows and columns, given the grid's coordinate variables.
/// `None` when the variables do not have the shape the grid's source says (a foreign grid).
pub(crate) fn file_axes(lat_var: &NcVariable, lon_var: &NcVariable, grid: &Grid) -> Option<FileAxes> {
    match (
        &grid.source,
        lat_var.dimensions.as_slice(),
        lon_var.dimensions.as_slice(),
    ) {
        (GridSource::OneD { .. }, [row], [col]) => Some(FileAxes {
            row_dim: row.clone(),
            col_dim: col.clone(),
        }),
        (GridSource::TwoD { .. }, [d0, d1], [_, _]) => {
            let (row_dim, col_dim) = if grid.orientation.transposed {
                (d1, d0)
            } else {
                (d0, d1)
            };
            Some(FileAxes {
                row_dim: row_dim.clone(),
                col_dim: col_dim.clone(),
            })
        }
        _ => None,
    }
}
/// The geographic CRS of a CF grid mapping (CF-1.11 section 5.6 and appendix F): the variable
/// that data variables name in their `grid_mapping` attribute (or, when none does, any variable
/// with a `grid_mapping_name`). `latitude_longitude` gives the CRS from `crs_wkt` (or GDAL's
/// `spatial_ref`) when present, else from `semi_major_axis` with `inverse_flattening` (or
/// `semi_minor_axis`, or `earth_radius` for a sphere) and `longitude_of_prime_meridian`.
/// `Ok(None)`: no grid mapping, WGS 84 by default. A projected mapping is an error naming it.
pub(crate) fn grid_mapping_crs(vars: &[NcVariable]) -> Result<Option<GeographicCrs>, String> {
    let referenced = vars
        .iter()
        .filter_map(|v| text_attr(v, "grid_mapping"))
        .find_map(|name| {
            // The extended form `crs: x y` names the mapping first.
            let name = name.split([':', ' ']).next().unwrap_or("").to_string();
            vars.iter().find(|v| v.name == name)
        });
    let Some(gm) = referenced.or_else(|| vars.iter().find(|v| text_attr(v, "grid_mapping_name").is_some())) else {
        return Ok(None);
    };
    let kind = text_attr(gm, "grid_mapping_name").unwrap_or_default();
    if kind != "latitude_longitude" {
        let wkt = text_attr(gm, "crs_wkt").or_else(|| text_attr(gm, "spatial_ref"));
        if kind.is_empty()
            && let Some(w) = wkt
        {
            return GeographicCrs::from_wkt(&w)
                .map(Some)
                .map_err(|e| format!("grid mapping {}: {e}", gm.name));
        }
        return Err(format!(
            "grid mapping {} is {}: projected grids are not supported yet; reproject to EPSG:4326 (e.g. gdalwarp -t_srs EPSG:4326)",
            gm.name,
            if kind.is_empty() {
                "not named (no grid_mapping_name)".to_string()
            } else {
                format!("'{kind}'")
            }
        ));
    }
    let number = |name: &str| gm.attribute(name).and_then(|a| a.value.as_f64());
    if let Some(w) = text_attr(gm, "crs_wkt").or_else(|| text_attr(gm, "spatial_ref")) {
        let crs = GeographicCrs::from_wkt(&w).map_err(|e| format!("grid mapping {}: {e}", gm.name))?;
        return Ok((!crs.is_wgs84()).then_some(crs));
    }
    let a = number("semi_major_axis").or_else(|| number("earth_radius"));
    let Some(a) = a.filter(|a| a.is_finite() && *a > 0.0) else {
        // latitude_longitude without an ellipsoid: CF leaves the datum unspecified.
        return Ok(None);
    };
    let rf = match (number("inverse_flattening"), number("semi_minor_axis")) {
        (Some(rf), _) => rf,
        (None, Some(b)) if b < a => a / (a - b),
        _ => 0.0,
    };
    let ellipsoid = Ellipsoid::from_parameters(a, rf);
    let name = text_attr(gm, "geographic_crs_name")
        .unwrap_or_else(|| format!("Unknown datum based upon the {} ellipsoid", ellipsoid.name));
    let mut crs = GeographicCrs::on_ellipsoid(&name, ellipsoid);
    if let Some(d) = text_attr(gm, "horizontal_datum_name") {
        crs.datum = d;
    }
    if let Some(e) = text_attr(gm, "reference_ellipsoid_name") {
        crs.ellipsoid.name = e;
    }
    if let Some(pm) = number("longitude_of_prime_meridian") {
        crs.prime_meridian = PrimeMeridian::from_longitude(pm);
    }
    if let Some(pm) = text_attr(gm, "prime_meridian_name") {
        crs.prime_meridian.name = pm;
    }
    if crs.ellipsoid.epsg == Some(7030) && crs.prime_meridian.longitude == 0.0 {
        return Ok(None);
    }
    Ok(Some(crs))
}

#[cfg(test)]
#[path = "grid_tests.rs"]
mod tests;
