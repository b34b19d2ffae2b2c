//! The grid resolution of the demo: a whole number of cells per 180 degrees of latitude and
//! per 360 degrees of longitude, cell centres at `90 - (i + 1/2) DEG` and `-180 + (j + 1/2) DEG`.

use std::str::FromStr;

/// The finest resolution accepted (0.05 degree: 3600 x 7200 cells, about 5 GB peak to write).
pub const FINEST_DEG: f64 = 0.05;

/// A regular global lat/lon grid resolution in degrees (`0.05 <= DEG <= 1`, `180/DEG` and
/// `360/DEG` whole numbers within 1e-9).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resolution {
    deg: f64,
    rows: usize,
    cols: usize,
}

/// A resolution that does not divide the globe into whole cells (or is out of range).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "{input} is not a supported grid resolution: need 0.05 <= DEG <= 1 with 180/DEG and 360/DEG whole numbers \
     (e.g. 1, 0.5, 0.25, 0.1, 0.05)"
)]
pub struct InvalidResolution {
    pub input: String,
}

impl Resolution {
    /// The 1-degree grid of the GRASP product (180 x 360).
    pub const ONE_DEGREE: Resolution = Resolution {
        deg: 1.0,
        rows: 180,
        cols: 360,
    };

    /// Check `deg` (see [`Resolution`]).
    pub fn new(deg: f64) -> Result<Self, InvalidResolution> {
        let bad = || InvalidResolution { input: deg.to_string() };
        if !(FINEST_DEG - 1e-12..=1.0 + 1e-12).contains(&deg) {
            return Err(bad());
        }
        let whole = |x: f64| (x - x.round()).abs() <= 1e-9;
        let (r, c) = (180.0 / deg, 360.0 / deg);
        if !whole(r) || !whole(c) {
            return Err(bad());
        }
        Ok(Resolution {
            deg,
            rows: r.round() as usize,
            cols: c.round() as usize,
        })
    }

    /// Cell size in degrees.
    pub fn deg(&self) -> f64 {
        self.deg
    }

    /// Rows (latitudes, north first).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Columns (longitudes, from -180 east).
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Cells in the grid.
    pub fn len(&self) -> usize {
        self.rows * self.cols
    }

    /// Never true (a grid has at least 180 x 360 cells).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True for the 1-degree grid (written by the original 1-degree generator).
    pub fn is_one_degree(&self) -> bool {
        self.rows == 180
    }

    /// Latitude of the centre of row `i`, `90 - (i + 1/2) DEG`.
    pub fn row_lat(&self, i: usize) -> f64 {
        90.0 - (i as f64 + 0.5) * self.deg
    }

    /// Longitude of the centre of column `j`, `-180 + (j + 1/2) DEG`.
    pub fn col_lon(&self, j: usize) -> f64 {
        -180.0 + (j as f64 + 0.5) * self.deg
    }
}

impl Default for Resolution {
    fn default() -> Self {
        Resolution::ONE_DEGREE
    }
}

impl FromStr for Resolution {
    type Err = InvalidResolution;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || InvalidResolution {
            input: format!("{s:?}"),
        };
        let deg: f64 = s.trim().parse().map_err(|_| bad())?;
        Resolution::new(deg).map_err(|_| bad())
    }
}
