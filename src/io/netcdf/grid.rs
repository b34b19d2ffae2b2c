//! Finding the latitude/longitude grid of a file and turning it north-first, west-to-east,
//! with longitudes in -180..180.
//!
//! Two layouts are recognised, without relying on dimension names:
//! 2-D latitude/longitude variables of the grid's shape (the GRASP product), and 1-D CF
//! coordinates found by `units`, `standard_name` or `axis`, falling back to common names.

use super::cf::{is_numeric, text_attr};
use crate::dataset::{Grid, GridSource, Orientation};
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

/// Maps grid cells (north-first, -180..180) to positions in a file array.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Remap {
    pub n_rows: usize,
    pub n_cols: usize,
    pub row_stride: usize,
    pub col_stride: usize,
    pub lat_flipped: bool,
    pub lon_shift: usize,
}

impl Remap {
    /// Flat index in the file array of grid cell (`row`, `col`).
    #[inline]
    pub(crate) fn source(&self, row: usize, col: usize) -> usize {
        let fr = if self.lat_flipped { self.n_rows - 1 - row } else { row };
        let fc = (col + self.lon_shift) % self.n_cols;
        fr * self.row_stride + fc * self.col_stride
    }

    /// Values of a file array in grid order.
    pub(crate) fn apply(&self, values: &[f64]) -> Vec<f64> {
        let mut out = Vec::with_capacity(self.n_rows * self.n_cols);
        for r in 0..self.n_rows {
            out.extend((0..self.n_cols).map(|c| values[self.source(r, c)]));
        }
        out
    }
}

/// For longitudes past 180 (a 0..360 grid): the first index whose longitude is >= 180, and
/// `true` to say those longitudes move to -180..0.
fn lon_shift(lon: &[f64]) -> (usize, bool) {
    if !lon.iter().any(|&l| l > 180.0) {
        return (0, false);
    }
    (lon.iter().position(|&l| l >= 180.0).unwrap_or(0), true)
}

fn wrap_lon(l: f64, wrap: bool) -> f64 {
    if wrap && l >= 180.0 { l - 360.0 } else { l }
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
    let lat_flipped = lat.len() > 1 && lat[0] < lat[lat.len() - 1];
    let (shift, wrap) = lon_shift(lon);
    let (n_rows, n_cols) = (lat.len(), lon.len());
    let mut glat = Vec::with_capacity(n_rows * n_cols);
    let mut glon = Vec::with_capacity(n_rows * n_cols);
    for r in 0..n_rows {
        let la = lat[if lat_flipped { n_rows - 1 - r } else { r }];
        for c in 0..n_cols {
            glat.push(la);
            glon.push(wrap_lon(lon[(c + shift) % n_cols], wrap));
        }
    }
    let source = GridSource::OneD {
        lat_var: lat_var.name.clone(),
        lon_var: lon_var.name.clone(),
    };
    let orientation = Orientation {
        lat_flipped,
        transposed: false,
        lon_shift: shift,
    };
    Ok(Grid {
        n_rows,
        n_cols,
        lat: glat,
        lon: glon,
        source,
        orientation,
    })
}

/// NaN-aware mean of the values at `indices`.
fn mean_at(values: &[f64], indices: impl Iterator<Item = usize>) -> f64 {
    let (mut sum, mut n) = (0.0, 0usize);
    for v in indices.map(|i| values[i]).filter(|v| !v.is_nan()) {
        sum += v;
        n += 1;
    }
    if n == 0 { f64::NAN } else { sum / n as f64 }
}

/// A grid from 2-D latitude/longitude arrays of shape `(a, b)` (already CF-decoded).
pub(crate) fn grid_from_2d(
    lat_var: &NcVariable,
    lon_var: &NcVariable,
    lat: &[f64],
    lon: &[f64],
) -> Result<Grid, String> {
    check_lat_lon(lat_var, lon_var, lat, lon)?;
    let (a, b) = (lat_var.dimensions[0].size as usize, lat_var.dimensions[1].size as usize);
    // Latitude changes along the row axis; if it changes more along the second axis, the file is lon-first.
    let along0 = (mean_at(lat, 0..b) - mean_at(lat, (0..b).map(|j| (a - 1) * b + j))).abs();
    let along1 = (mean_at(lat, (0..a).map(|i| i * b)) - mean_at(lat, (0..a).map(|i| i * b + b - 1))).abs();
    let transposed = along1 > along0;
    let (n_rows, n_cols, row_stride, col_stride) = if transposed { (b, a, 1, b) } else { (a, b, b, 1) };
    let first_row = mean_at(lat, (0..n_cols).map(|c| c * col_stride));
    let last_row = mean_at(lat, (0..n_cols).map(|c| (n_rows - 1) * row_stride + c * col_stride));
    let lat_flipped = first_row < last_row;
    let lon_by_col: Vec<f64> = (0..n_cols)
        .map(|c| mean_at(lon, (0..n_rows).map(|r| r * row_stride + c * col_stride)))
        .collect();
    let (shift, wrap) = lon_shift(&lon_by_col);
    let remap = Remap {
        n_rows,
        n_cols,
        row_stride,
        col_stride,
        lat_flipped,
        lon_shift: shift,
    };
    let source = GridSource::TwoD {
        lat_var: lat_var.name.clone(),
        lon_var: lon_var.name.clone(),
    };
    let orientation = Orientation {
        lat_flipped,
        transposed,
        lon_shift: shift,
    };
    let glon = remap.apply(lon).into_iter().map(|l| wrap_lon(l, wrap)).collect();
    Ok(Grid {
        n_rows,
        n_cols,
        lat: remap.apply(lat),
        lon: glon,
        source,
        orientation,
    })
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
