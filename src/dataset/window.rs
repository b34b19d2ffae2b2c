//! Windows of a grid: the rows and columns a run reads, from a longitude/latitude box.
//!
//! A window is a contiguous range of rows and one or two contiguous ranges of columns (two
//! when the box wraps the dateline, e.g. `170,-170,...` on a -180..180 grid). A cell is in the
//! window when its centre is in the box (bounds inclusive).

// A window's columns are a list of segments; one segment is the common case, not a mistaken
// `vec![a..b]` for the numbers `a..b` that this lint looks for.
#![allow(clippy::single_range_in_vec_init)]

use super::{DatasetError, Grid};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// A longitude/latitude box in degrees. `lon_min > lon_max` means the box wraps the dateline
/// (from `lon_min` east to 180, then -180 east to `lon_max`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LonLatBox {
    pub lon_min: f64,
    pub lon_max: f64,
    pub lat_min: f64,
    pub lat_max: f64,
}

impl LonLatBox {
    /// Check the bounds: latitudes in -90..90 with `lat_min < lat_max`, longitudes in -180..180
    /// (or 0..360), not equal.
    pub fn validate(&self) -> Result<(), String> {
        let Self {
            lon_min,
            lon_max,
            lat_min,
            lat_max,
        } = *self;
        if ![lon_min, lon_max, lat_min, lat_max].iter().all(|v| v.is_finite()) {
            return Err("bounds must be finite numbers".into());
        }
        if !(-90.0..=90.0).contains(&lat_min) || !(-90.0..=90.0).contains(&lat_max) || lat_min >= lat_max {
            return Err(format!(
                "latitudes {lat_min}..{lat_max}: need -90 <= lat_min < lat_max <= 90"
            ));
        }
        if !(-180.0..=360.0).contains(&lon_min) || !(-180.0..=360.0).contains(&lon_max) || lon_min == lon_max {
            return Err(format!(
                "longitudes {lon_min}..{lon_max}: need two different values in -180..180 (or 0..360)"
            ));
        }
        Ok(())
    }

    /// Whether longitude `lon` (any convention) lies in the box.
    pub fn contains_lon(&self, lon: f64) -> bool {
        let norm = |l: f64| {
            let m = (l + 180.0).rem_euclid(360.0) - 180.0;
            if m == -180.0 && l > 0.0 { 180.0 } else { m }
        };
        let (lo, hi, x) = (norm(self.lon_min), norm(self.lon_max), norm(lon));
        let eps = 1e-9;
        if lo <= hi {
            x >= lo - eps && x <= hi + eps
        } else {
            x >= lo - eps || x <= hi + eps
        }
    }
}

impl LonLatBox {
    /// Whether `(lon, lat)` lies in the box (bounds inclusive, as [`Window::from_box`]); a NaN
    /// coordinate never does.
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        let eps = 1e-9;
        lat >= self.lat_min - eps && lat <= self.lat_max + eps && self.contains_lon(lon)
    }
}

impl std::fmt::Display for LonLatBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{},{},{},{}", self.lon_min, self.lon_max, self.lat_min, self.lat_max)
    }
}

impl std::str::FromStr for LonLatBox {
    type Err = String;

    /// `lon_min,lon_max,lat_min,lat_max` in degrees.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = s.split(',').map(str::trim).collect();
        let nums: Vec<f64> = parts
            .iter()
            .map(|p| p.parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| format!("'{s}': expected lon_min,lon_max,lat_min,lat_max in degrees"))?;
        if nums.len() != 4 {
            return Err(format!("'{s}': expected 4 numbers lon_min,lon_max,lat_min,lat_max"));
        }
        let b = LonLatBox {
            lon_min: nums[0],
            lon_max: nums[1],
            lat_min: nums[2],
            lat_max: nums[3],
        };
        b.validate()?;
        Ok(b)
    }
}

/// Rows `rows` and the columns of `cols` (segments, west to east, disjoint) of a grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub rows: Range<usize>,
    pub cols: Vec<Range<usize>>,
}

impl Window {
    /// The whole grid.
    pub fn full(grid: &Grid) -> Self {
        Window {
            rows: 0..grid.n_rows,
            cols: vec![0..grid.n_cols],
        }
    }

    /// Number of rows.
    pub fn n_rows(&self) -> usize {
        self.rows.len()
    }

    /// Number of columns (all segments).
    pub fn n_cols(&self) -> usize {
        self.cols.iter().map(|c| c.len()).sum()
    }

    /// Number of cells.
    pub fn len(&self) -> usize {
        self.n_rows() * self.n_cols()
    }

    /// True without cells.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the window is the whole of `grid`.
    pub fn is_full(&self, grid: &Grid) -> bool {
        self.rows == (0..grid.n_rows) && self.n_cols() == grid.n_cols
    }

    /// The grid columns of the window, in window order.
    pub fn columns(&self) -> impl Iterator<Item = usize> + '_ {
        self.cols.iter().flat_map(|c| c.clone())
    }

    /// Position of grid column `col` among the window's columns.
    pub fn col_position(&self, col: usize) -> Option<usize> {
        let mut before = 0;
        for seg in &self.cols {
            if seg.contains(&col) {
                return Some(before + col - seg.start);
            }
            before += seg.len();
        }
        None
    }

    /// The cells of `grid` whose centres lie in `bbox`; an error when there are none. On a
    /// projected grid, the smallest window holding every cell whose inverse-projected centre
    /// lies in the box (it holds other cells too: [`super::TableRequest::region`] drops them).
    pub fn from_box(grid: &Grid, bbox: &LonLatBox) -> Result<Self, DatasetError> {
        let empty = || DatasetError::EmptyRegion {
            region: bbox.to_string(),
        };
        if grid.is_projected() {
            let locator = grid.locator()?;
            let inside = (0..grid.n_rows)
                .flat_map(|r| (0..grid.n_cols).map(move |c| (r, c)))
                .filter(|&(r, c)| {
                    let (lon, lat) = locator.lon_lat(r, c);
                    bbox.contains(lon, lat)
                });
            return Window::bounding(inside).ok_or_else(empty);
        }
        let eps = 1e-9;
        let rows: Vec<usize> = (0..grid.n_rows)
            .filter(|&r| {
                let la = grid.row_lat(r);
                la >= bbox.lat_min - eps && la <= bbox.lat_max + eps
            })
            .collect();
        let inside: Vec<bool> = (0..grid.n_cols).map(|c| bbox.contains_lon(grid.col_lon(c))).collect();
        let (Some(&r0), Some(&r1)) = (rows.first(), rows.last()) else {
            return Err(empty());
        };
        // Segments of consecutive columns inside the box; a segment touching the east edge and
        // one touching the west edge join across the dateline (east part first).
        let mut segs: Vec<Range<usize>> = Vec::new();
        let mut c = 0;
        while c < grid.n_cols {
            if inside[c] {
                let start = c;
                while c < grid.n_cols && inside[c] {
                    c += 1;
                }
                segs.push(start..c);
            } else {
                c += 1;
            }
        }
        if segs.is_empty() {
            return Err(empty());
        }
        if segs.len() == 2 && segs[0].start == 0 && segs[1].end == grid.n_cols {
            segs.swap(0, 1);
        } else if segs.len() > 1 {
            let first = segs[0].start;
            let last = segs[segs.len() - 1].end;
            segs = vec![first..last];
        }
        Ok(Window {
            rows: r0..r1 + 1,
            cols: segs,
        })
    }

    /// The smallest window of `grid` holding every `(row, col)` of `cells` (one column
    /// segment, no dateline wrap); `None` without cells.
    pub fn bounding(cells: impl Iterator<Item = (usize, usize)>) -> Option<Self> {
        let mut b: Option<(usize, usize, usize, usize)> = None;
        for (r, c) in cells {
            b = Some(match b {
                None => (r, r, c, c),
                Some((r0, r1, c0, c1)) => (r0.min(r), r1.max(r), c0.min(c), c1.max(c)),
            });
        }
        b.map(|(r0, r1, c0, c1)| Window {
            rows: r0..r1 + 1,
            cols: vec![c0..c1 + 1],
        })
    }
}

#[cfg(test)]
#[path = "window_tests.rs"]
mod tests;
