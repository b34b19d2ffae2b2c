//! Projected grids on the equirectangular maps: the cells of a projected grid (UTM, sinusoidal,
//! polar stereographic, ...) shown at their place over the Blue Marble.
//!
//! The maps draw regular longitude/latitude grids ([`GridGeometry`]). A projected grid is shown
//! through a display grid in lon/lat over the cells' lon/lat bounding box, about one projected
//! cell per display cell: each display cell's centre is forward-projected and shows the
//! projected cell it falls in (nearest neighbour). Forward projection of the display cells,
//! rather than scattering the inverse-projected cell centres, leaves no holes where the
//! projection stretches cells (near the poles a cell of a polar grid spans many degrees of
//! longitude) and never shows a cell twice at one place.

use super::geo::{GridGeometry, Region};
use crate::dataset::{Cell, Grid};
use std::collections::HashMap;

/// Most display cells (a 2000 x 2000 grid): a projected grid finer than this is shown coarser.
pub const DISPLAY_MAX_CELLS: f64 = 4.0e6;

/// Metres per degree of latitude on the mean Earth sphere (radius 6371 km).
const METRES_PER_DEGREE: f64 = 111_195.0;

/// A projected grid's cells on a lon/lat display grid (see the module notes).
#[derive(Debug, Clone)]
pub struct DisplayGrid {
    pub geometry: GridGeometry,
    /// Display cells that show a data cell, with their display row/column and centre.
    pub cells: Vec<Cell>,
    /// For each display cell, the index of the data cell it shows (into the `cells` given).
    pub source: Vec<usize>,
    /// The cells' lon/lat bounding box with a margin: the region a map of them shows.
    pub region: Region,
}

impl DisplayGrid {
    /// `values` (one per data cell) on the display cells.
    pub fn pick<T: Copy>(&self, values: &[T]) -> Vec<T> {
        self.source.iter().map(|&i| values[i]).collect()
    }
}

/// The display grid of the kept `cells` of projected `grid`; `Err` says why it cannot be drawn
/// (a lat/lon grid needs none).
pub fn display_grid(grid: &Grid, cells: &[Cell]) -> Result<DisplayGrid, String> {
    let projection = grid
        .projection
        .as_ref()
        .ok_or_else(|| "the grid is not projected".to_string())?;
    let projector = projection.projector().map_err(|e| e.to_string())?;
    if grid.n_rows < 2 || grid.n_cols < 2 {
        return Err(format!("grid {} x {} is too small to map", grid.n_rows, grid.n_cols));
    }
    let finite = cells.iter().filter(|c| c.lon.is_finite() && c.lat.is_finite());
    let (mut lon_min, mut lon_max, mut lat_min, mut lat_max) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for c in finite {
        lon_min = lon_min.min(c.lon);
        lon_max = lon_max.max(c.lon);
        lat_min = lat_min.min(c.lat);
        lat_max = lat_max.max(c.lat);
    }
    if lon_min > lon_max {
        return Err("no cell has a longitude and latitude".into());
    }
    let (x0, y0) = (grid.col_lon(0), grid.row_lat(0));
    let dx = (grid.col_lon(grid.n_cols - 1) - x0) / (grid.n_cols - 1) as f64;
    let dy = (grid.row_lat(grid.n_rows - 1) - y0) / (grid.n_rows - 1) as f64;
    let cell_metres = (dx * dy).abs().sqrt() * projection.unit.metres;
    // Half a cell of margin (in degrees of latitude) so border cells are shown whole.
    let half = cell_metres / METRES_PER_DEGREE / 2.0;
    let (lat_min, lat_max) = ((lat_min - half).max(-90.0), (lat_max + half).min(90.0));
    let wraps = lon_max - lon_min > 300.0;
    let (lon_min, lon_max) = if wraps {
        (-180.0, 180.0)
    } else {
        (
            (lon_min - half / lat_max.abs().max(lat_min.abs()).to_radians().cos().max(0.05)).max(-180.0),
            (lon_max + half / lat_max.abs().max(lat_min.abs()).to_radians().cos().max(0.05)).min(180.0),
        )
    };
    let area = (lon_max - lon_min) * (lat_max - lat_min);
    let step = (2.0 * half).max((area / DISPLAY_MAX_CELLS).sqrt());
    let n_rows = (((lat_max - lat_min) / step).ceil() as usize).max(2);
    let n_cols = (((lon_max - lon_min) / step).ceil() as usize).max(2);
    let geometry = GridGeometry::regular(n_rows, n_cols, lat_max - step / 2.0, lon_min + step / 2.0, step);
    let kept: HashMap<(usize, usize), usize> = cells.iter().enumerate().map(|(i, c)| ((c.row, c.col), i)).collect();
    let mut display = Vec::new();
    let mut source = Vec::new();
    for i in 0..n_rows {
        let lat = geometry.lat0_north - i as f64 * step;
        for j in 0..n_cols {
            let lon = geometry.lon0_west + j as f64 * step;
            let Some((x, y)) = projector.forward(lon, lat) else {
                continue;
            };
            let (c, r) = (((x - x0) / dx).round(), ((y - y0) / dy).round());
            if !(c >= 0.0 && r >= 0.0 && c < grid.n_cols as f64 && r < grid.n_rows as f64) {
                continue;
            }
            if let Some(&k) = kept.get(&(r as usize, c as usize)) {
                display.push(Cell {
                    row: i,
                    col: j,
                    lat,
                    lon,
                });
                source.push(k);
            }
        }
    }
    let region = Region {
        name: "cells".into(),
        lon_min,
        lon_max,
        lat_min,
        lat_max,
    };
    Ok(DisplayGrid {
        geometry,
        cells: display,
        source,
        region,
    })
}

#[cfg(test)]
#[path = "reproject_tests.rs"]
mod tests;
