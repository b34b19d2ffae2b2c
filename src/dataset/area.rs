//! Cell areas on the ellipsoid of a latitude-longitude grid.
//!
//! A cell between latitudes `phi1 < phi2` and of longitude width `dlambda` (radians) covers
//! `dlambda (S(phi2) - S(phi1))` on an ellipsoid of semi-major axis `a` and eccentricity `e`,
//! where `S` is the area from the equator per radian of longitude (the zone area of Snyder,
//! "Map Projections: A Working Manual", 1987, eqs. 3-12 and 14-15, through the authalic
//! latitude):
//!
//! `S(phi) = (b^2 / 2) [ sin(phi) / (1 - e^2 sin^2 phi) + atanh(e sin(phi)) / e ]`, `b^2 = a^2 (1 - e^2)`,
//!
//! which is `a^2 sin(phi)` on a sphere. Twice `S(pi/2)` times `2 pi` is the ellipsoid's surface
//! (WGS 84: 510,065,621.7 km2). Cell edges are halfway between the centres of neighbouring
//! rows and columns (the grid's outer edges half a step beyond its outer centres, clamped to the
//! poles), the convention of CF cell bounds when a file gives none.
//!
//! On a projected grid a cell is a rectangle of the projection: on an equal-area projection its
//! area is its width times its height; on the others it is the ellipsoid's area element
//! `M N cos(phi)` (meridian and prime-vertical radii of curvature) times the Jacobian of the
//! inverse projection, taken by central differences across the cell, times the cell's width and
//! height (exact to second order in the cell's size, far below a cell's own error at the sizes
//! landclust reads).

use super::crs::Ellipsoid;
use super::crs_projected::{ProjectedCrs, ProjectionMethod};
use super::{Cell, Grid};

/// `S(phi)` above in square metres per radian of longitude, for `sin(phi)`.
fn zone_area_per_radian(ellipsoid: &Ellipsoid, sin_phi: f64) -> f64 {
    let a = ellipsoid.semi_major_axis;
    if ellipsoid.inverse_flattening == 0.0 {
        return a * a * sin_phi;
    }
    let f = 1.0 / ellipsoid.inverse_flattening;
    let e2 = f * (2.0 - f);
    let e = e2.sqrt();
    let b2 = a * a * (1.0 - e2);
    0.5 * b2 * (sin_phi / (1.0 - e2 * sin_phi * sin_phi) + (e * sin_phi).atanh() / e)
}

/// Area in km2 of the band between latitudes `lat_a` and `lat_b` (degrees, either order,
/// clamped to -90..90) over `dlon` degrees of longitude.
pub fn band_area_km2(ellipsoid: &Ellipsoid, lat_a: f64, lat_b: f64, dlon: f64) -> f64 {
    let clamp = |l: f64| l.clamp(-90.0, 90.0).to_radians().sin();
    let (s1, s2) = (
        zone_area_per_radian(ellipsoid, clamp(lat_a)),
        zone_area_per_radian(ellipsoid, clamp(lat_b)),
    );
    (s2 - s1).abs() * dlon.abs().to_radians() * 1e-6
}

/// Surface of the whole ellipsoid in km2.
pub fn ellipsoid_area_km2(ellipsoid: &Ellipsoid) -> f64 {
    band_area_km2(ellipsoid, -90.0, 90.0, 360.0)
}

/// Edges between consecutive centres (halfway), the outer ones half a step beyond the outer
/// centres; `n + 1` values for `n` centres (one centre: a width of `fallback_step`). The cells'
/// areas are computed between these edges, and labels.geojson's polygons run along them.
pub fn edges(centres: &[f64], fallback_step: f64) -> Vec<f64> {
    let n = centres.len();
    if n == 0 {
        return Vec::new();
    }
    if n == 1 {
        return vec![centres[0] - fallback_step / 2.0, centres[0] + fallback_step / 2.0];
    }
    let mut e = Vec::with_capacity(n + 1);
    e.push(centres[0] - (centres[1] - centres[0]) / 2.0);
    for w in centres.windows(2) {
        e.push((w[0] + w[1]) / 2.0);
    }
    e.push(centres[n - 1] + (centres[n - 1] - centres[n - 2]) / 2.0);
    e
}

/// Area in km2 of the cells of each row and column of a latitude-longitude grid: the area of
/// cell `(i, j)` is `row_area[i] * col_width[j] / 360` ([`CellAreas::of`]), since it depends
/// on its latitudes and its longitude width only.
#[derive(Debug, Clone, PartialEq)]
pub struct CellAreas {
    /// Area of the whole latitude band of each row over 360 degrees, km2.
    pub row_band_km2: Vec<f64>,
    /// Longitude width of each column, degrees.
    pub col_width_deg: Vec<f64>,
}

impl CellAreas {
    /// Areas of the cells whose centres are `lat` (per row) and `lon` (per column), in degrees,
    /// on `ellipsoid`. A single row or column gets a width of 1 degree.
    pub fn new(ellipsoid: &Ellipsoid, lat: &[f64], lon: &[f64]) -> CellAreas {
        let lat_edges = edges(lat, 1.0);
        let lon_edges = edges(lon, 1.0);
        CellAreas {
            row_band_km2: lat_edges
                .windows(2)
                .map(|w| band_area_km2(ellipsoid, w[0], w[1], 360.0))
                .collect(),
            col_width_deg: lon_edges.windows(2).map(|w| (w[1] - w[0]).abs()).collect(),
        }
    }

    /// Area of cell `(row, col)` in km2.
    pub fn of(&self, row: usize, col: usize) -> f64 {
        self.row_band_km2[row] * self.col_width_deg[col] / 360.0
    }
}

/// Area in km2 of each of `cells` of `grid`, on the grid's ellipsoid (WGS 84 unless the file
/// declares another); NaN for a cell of a projected grid whose edges leave the projection's
/// domain.
pub fn cell_areas_km2(grid: &Grid, cells: &[Cell]) -> Vec<f64> {
    match CellAreaLookup::new(grid, cells) {
        CellAreaLookup::PerCell(areas) => areas,
        CellAreaLookup::Geographic(areas) => cells.iter().map(|c| areas.of(c.row, c.col)).collect(),
    }
}

/// The areas of [`cell_areas_km2`] looked up cell by cell: on a latitude-longitude grid from
/// its rows' bands and columns' widths, with no per-cell copy (at 0.05 degree a copy is 40 MB of
/// fresh memory each time a sum by cluster is taken); on a projected grid from the per-cell
/// areas, computed once.
#[derive(Debug, Clone, PartialEq)]
pub enum CellAreaLookup {
    Geographic(CellAreas),
    PerCell(Vec<f64>),
}

impl CellAreaLookup {
    /// The lookup for `cells` of `grid`.
    pub fn new(grid: &Grid, cells: &[Cell]) -> CellAreaLookup {
        match &grid.projection {
            Some(projection) => CellAreaLookup::PerCell(projected_cell_areas_km2(grid, projection, cells)),
            None => CellAreaLookup::Geographic(CellAreas::new(&grid.crs().ellipsoid, &grid.lat, &grid.lon)),
        }
    }

    /// The area in km2 of `cell`, the `i`-th of the cells the lookup was made for.
    pub fn km2(&self, i: usize, cell: &Cell) -> f64 {
        match self {
            CellAreaLookup::Geographic(areas) => areas.of(cell.row, cell.col),
            CellAreaLookup::PerCell(areas) => areas.get(i).copied().unwrap_or(f64::NAN),
        }
    }
}

/// True for the projections that keep areas (a cell's area is its width times its height).
fn is_equal_area(method: ProjectionMethod) -> bool {
    matches!(
        method,
        ProjectionMethod::Sinusoidal
            | ProjectionMethod::LambertAzimuthalEqualArea
            | ProjectionMethod::AlbersEqualArea
            | ProjectionMethod::CylindricalEqualArea
    )
}

/// Cell areas of a projected grid (see the module notes); the grid's `lat`/`lon` axes hold the
/// cells' projected y/x in the CRS's unit.
fn projected_cell_areas_km2(grid: &Grid, p: &ProjectedCrs, cells: &[Cell]) -> Vec<f64> {
    let widths =
        |centres: &[f64]| -> Vec<f64> { edges(centres, 1.0).windows(2).map(|w| (w[1] - w[0]).abs()).collect() };
    let (dx, dy) = (widths(&grid.lon), widths(&grid.lat));
    let m2 = p.unit.metres * p.unit.metres;
    if is_equal_area(p.method) {
        return cells.iter().map(|c| dx[c.col] * dy[c.row] * m2 * 1e-6).collect();
    }
    let Ok(projector) = p.projector() else {
        return vec![f64::NAN; cells.len()];
    };
    let a = p.base.ellipsoid.semi_major_axis;
    let e2 = if p.base.ellipsoid.inverse_flattening == 0.0 {
        0.0
    } else {
        let f = 1.0 / p.base.ellipsoid.inverse_flattening;
        f * (2.0 - f)
    };
    let radians = |q: Option<(f64, f64)>| q.map(|(lon, lat)| (lon.to_radians(), lat.to_radians()));
    // A longitude difference across the dateline is the short way round.
    let dlon = |a: f64, b: f64| {
        let d = a - b;
        d - (d / std::f64::consts::TAU).round() * std::f64::consts::TAU
    };
    cells
        .iter()
        .map(|c| {
            let (x, y, hx, hy) = (grid.lon[c.col], grid.lat[c.row], dx[c.col] / 2.0, dy[c.row] / 2.0);
            let (Some((_, phi)), Some(east), Some(west), Some(north), Some(south)) = (
                radians(projector.inverse(x, y)),
                radians(projector.inverse(x + hx, y)),
                radians(projector.inverse(x - hx, y)),
                radians(projector.inverse(x, y + hy)),
                radians(projector.inverse(x, y - hy)),
            ) else {
                return f64::NAN;
            };
            // d(lambda, phi) / d(x, y) times the cell's width and height.
            let (lx, px) = (dlon(east.0, west.0), east.1 - west.1);
            let (ly, py) = (dlon(north.0, south.0), north.1 - south.1);
            let jacobian_area = (lx * py - ly * px).abs();
            let s2 = phi.sin() * phi.sin();
            let m = a * (1.0 - e2) / (1.0 - e2 * s2).powf(1.5);
            let n = a / (1.0 - e2 * s2).sqrt();
            m * n * phi.cos() * jacobian_area * 1e-6
        })
        .collect()
}

#[cfg(test)]
#[path = "area_tests.rs"]
mod tests;
