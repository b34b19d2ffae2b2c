//! The dataset model: a regular lat/lon grid, named variables on it, a cell selection
//! (land, sea, all, or a mask variable) and the table of selected cells x chosen variables.
//!
//! Every grid in landclust is oriented the same way once read: row 0 is the northernmost row,
//! columns run west to east, longitudes are in -180..180. Values are `f64` with `NaN` for
//! missing (fill values, out-of-range and unselected cells are all `NaN`).

pub mod area;
pub mod crs;
pub mod crs_projected;
pub mod decode;
mod table;
pub mod varspec;
mod window;

pub use area::CellAreas;
pub use crs::GeographicCrs;
pub use crs_projected::{ProjectedCrs, ProjectionError, ProjectionMethod, Projector};
pub use decode::{DecodeOverride, DecodeOverrides};
pub use table::{
    BLOCK_CELLS, BlockReader, MemoryPlan, ReadVolume, StackInfo, TableRequest, expand_specs, format_bytes, parse_bytes,
};
pub use window::{LonLatBox, Window};

use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// Errors of the dataset stage: selection and table building.
#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    #[error("variable {name}: has {got} cells but the grid has {expected}")]
    ShapeMismatch { name: String, got: usize, expected: usize },
    #[error("selection {selection}: no cell is selected")]
    EmptySelection { selection: String },
    #[error("selection {selection}: none of the {selected} selected cells has a value for every variable ({detail})")]
    NoCompleteCell {
        selection: String,
        selected: usize,
        detail: String,
    },
    /// A source failed to give a variable or a block: the reader's own error (for a file,
    /// its message names the file and the variable).
    #[error(transparent)]
    Source(Box<dyn std::error::Error + Send + Sync + 'static>),
    #[error("{path}: variable {variable}: has no extra dimension to expand with [*]")]
    NoExtraDimension { path: std::path::PathBuf, variable: String },
    #[error("no variable was chosen")]
    NoVariables,
    #[error("variable {name}: not loaded")]
    NotLoaded { name: String },
    #[error("selection {0}: expected land[:THRESHOLD[:VAR]], sea[:THRESHOLD[:VAR]], all or mask:VAR")]
    BadSelection(String),
    #[error(transparent)]
    Projection(#[from] ProjectionError),
    #[error("option --region {region}: no cell of the grid lies in it")]
    EmptyRegion { region: String },
    /// The run would not fit in memory; says what to change.
    #[error(
        "option --max-memory: this run needs {need} ({detail}), over the limit of {limit}; choose fewer variables, a --region, a coarser grid, or raise --max-memory"
    )]
    Memory {
        need: String,
        limit: String,
        detail: String,
    },
}

/// Where the grid's latitude and longitude came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum GridSource {
    /// 2-D latitude/longitude variables of the grid's shape (the GRASP layout).
    TwoD { lat_var: String, lon_var: String },
    /// 1-D coordinate variables (CF style).
    OneD { lat_var: String, lon_var: String },
}

/// How the file's own layout was turned into landclust's north-first, -180..180 orientation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Orientation {
    /// The file's latitude ran south to north; rows were flipped.
    pub lat_flipped: bool,
    /// The file's first axis was longitude; axes were swapped.
    pub transposed: bool,
    /// Columns were rotated left by this many to bring longitudes from 0..360 to -180..180.
    pub lon_shift: usize,
}

/// A rectilinear latitude/longitude grid, north first, west to east: one latitude per row and
/// one longitude per column (CF 1-D coordinates, CF-1.8 section 5.1). Files with 2-D
/// `Latitude`/`Longitude` variables (the GRASP layout) are reduced to these axes when read; a
/// curvilinear grid is refused by the reader. The axes are all a run keeps of the grid: a
/// 36000 x 18000 grid costs 432 KB here, never a full-grid array.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grid {
    pub n_rows: usize,
    pub n_cols: usize,
    /// Latitude of the cell centres of each row (`n_rows` values), degrees north.
    pub lat: Vec<f64>,
    /// Longitude of the cell centres of each column (`n_cols` values), degrees east in -180..180.
    pub lon: Vec<f64>,
    pub source: GridSource,
    pub orientation: Orientation,
    /// The geographic CRS the file declares; `None`: WGS 84, the default (see [`Grid::crs`]).
    /// On a projected grid, its base CRS (the CRS of the cells' inverse-projected lon/lat).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crs: Option<GeographicCrs>,
    /// The projected CRS of a projected grid (MODIS sinusoidal, UTM, EASE-Grid 2.0, ...): then
    /// `lat` holds the projected y of each row (decreasing, north first) and `lon` the x of each
    /// column, in the projection's unit, and each cell's longitude and latitude come from the
    /// inverse projection of its centre ([`Grid::locator`]). `None`: a lat/lon grid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub projection: Option<ProjectedCrs>,
}

impl Grid {
    /// Number of cells.
    pub fn len(&self) -> usize {
        self.n_rows * self.n_cols
    }

    /// True for a grid without cells.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row-major index of a cell.
    pub fn index(&self, row: usize, col: usize) -> usize {
        row * self.n_cols + col
    }

    /// Latitude of the centres of row `row` (degrees north).
    pub fn row_lat(&self, row: usize) -> f64 {
        self.lat[row]
    }

    /// Longitude of the centres of column `col` (degrees east, -180..180).
    pub fn col_lon(&self, col: usize) -> f64 {
        self.lon[col]
    }

    /// A grid with cell centres `lat0 - i * step`, `lon0 + j * step` (north first), e.g. the
    /// 1-degree GRASP grid is `regular(180, 360, 89.5, -179.5, 1.0)`.
    pub fn regular(n_rows: usize, n_cols: usize, lat0: f64, lon0: f64, step: f64) -> Self {
        Grid {
            n_rows,
            n_cols,
            lat: (0..n_rows).map(|i| lat0 - i as f64 * step).collect(),
            lon: (0..n_cols).map(|j| lon0 + j as f64 * step).collect(),
            source: GridSource::TwoD {
                lat_var: "Latitude".into(),
                lon_var: "Longitude".into(),
            },
            orientation: Orientation::default(),
            crs: None,
            projection: None,
        }
    }

    /// The grid's geographic CRS (WGS 84 unless the file declared another).
    pub fn crs(&self) -> GeographicCrs {
        self.crs.clone().unwrap_or_default()
    }

    /// Mean spacing between rows and between columns in degrees (NaN for a single row/column).
    pub fn resolution(&self) -> (f64, f64) {
        let step = |a: f64, b: f64, n: usize| {
            if n > 1 {
                (a - b).abs() / (n - 1) as f64
            } else {
                f64::NAN
            }
        };
        let lat_step = step(self.row_lat(0), self.row_lat(self.n_rows - 1), self.n_rows);
        let lon_step = step(self.col_lon(0), self.col_lon(self.n_cols - 1), self.n_cols);
        (lat_step, lon_step)
    }

    /// True for a projected grid (see [`Grid::projection`]).
    pub fn is_projected(&self) -> bool {
        self.projection.is_some()
    }

    /// The locator of the cells' longitudes and latitudes (an inverse projection for a
    /// projected grid), or why the projection cannot be computed.
    pub fn locator(&self) -> Result<CellLocator<'_>, ProjectionError> {
        let projector = self.projection.as_ref().map(ProjectedCrs::projector).transpose()?;
        Ok(CellLocator { grid: self, projector })
    }

    /// The longitude/latitude bounding box `(lon_min, lon_max, lat_min, lat_max)` of the cell
    /// centres (every cell of a projected grid is inverse-projected); `None` when no centre
    /// has coordinates.
    pub fn lon_lat_bounds(&self) -> Option<(f64, f64, f64, f64)> {
        let locator = self.locator().ok()?;
        let mut b: Option<(f64, f64, f64, f64)> = None;
        for r in 0..self.n_rows {
            for c in 0..self.n_cols {
                let (lon, lat) = locator.lon_lat(r, c);
                if lon.is_nan() || lat.is_nan() {
                    continue;
                }
                b = Some(match b {
                    None => (lon, lon, lat, lat),
                    Some((a, bb, cc, d)) => (a.min(lon), bb.max(lon), cc.min(lat), d.max(lat)),
                });
            }
        }
        b
    }

    /// The sub-grid of `window` (its rows, its column segments in order). Longitudes of a
    /// window that wraps the dateline continue past 180 so that they keep increasing.
    pub fn sub_grid(&self, window: &Window) -> Grid {
        let mut lon: Vec<f64> = window.columns().map(|c| self.col_lon(c)).collect();
        // Projected x never wraps: a window of a projected grid is one column segment.
        for j in (1..lon.len()).filter(|_| !self.is_projected()) {
            if lon[j] < lon[j - 1] {
                lon[j] += 360.0;
            }
        }
        Grid {
            n_rows: window.rows.len(),
            n_cols: lon.len(),
            lat: window.rows.clone().map(|r| self.row_lat(r)).collect(),
            lon,
            source: self.source.clone(),
            orientation: self.orientation.clone(),
            crs: self.crs.clone(),
            projection: self.projection.clone(),
        }
    }
}

/// Each cell's longitude and latitude (degrees): the grid's axes on a lat/lon grid, the inverse
/// projection of the cell centre on a projected one (built once per grid, used for every cell).
#[derive(Debug, Clone)]
pub struct CellLocator<'a> {
    grid: &'a Grid,
    projector: Option<Projector>,
}

impl CellLocator<'_> {
    /// `(lon, lat)` of the centre of cell `(row, col)`; NaN where the inverse projection is
    /// undefined.
    pub fn lon_lat(&self, row: usize, col: usize) -> (f64, f64) {
        match &self.projector {
            None => (self.grid.col_lon(col), self.grid.row_lat(row)),
            Some(p) => p
                .inverse(self.grid.col_lon(col), self.grid.row_lat(row))
                .unwrap_or((f64::NAN, f64::NAN)),
        }
    }
}

/// One variable on the grid, oriented like the grid, `NaN` where missing.
#[derive(Debug, Clone, PartialEq)]
pub struct GridVariable {
    /// The name as the user chose it (e.g. `NDVI`, `AOD565[3]`, `AOD565:mean`).
    pub name: String,
    pub units: Option<String>,
    pub long_name: Option<String>,
    pub values: Vec<f64>,
}

impl GridVariable {
    /// Number of non-missing cells.
    pub fn n_valid(&self) -> usize {
        self.values.iter().filter(|v| !v.is_nan()).count()
    }
}

/// A grid with the variables loaded from one file.
#[derive(Debug, Clone)]
pub struct GridDataset {
    pub path: std::path::PathBuf,
    pub grid: Grid,
    pub variables: Vec<GridVariable>,
}

impl GridDataset {
    /// A loaded variable by name.
    pub fn variable(&self, name: &str) -> Result<&GridVariable, DatasetError> {
        self.variables
            .iter()
            .find(|v| v.name == name)
            .ok_or_else(|| DatasetError::NotLoaded { name: name.into() })
    }
}

/// Which cells take part in the analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Selection {
    /// Cells whose land percentage `>= threshold` (default `LandPercentage == 100`).
    Land { variable: String, threshold: f64 },
    /// Cells whose land percentage `< threshold`.
    Sea { variable: String, threshold: f64 },
    /// Every cell.
    All,
    /// Cells where a mask variable is non-zero and not missing.
    Mask { variable: String },
}

/// Name of the land-percentage variable in the GRASP product.
pub const LAND_PERCENTAGE: &str = "LandPercentage";

impl Default for Selection {
    fn default() -> Self {
        Selection::Land {
            variable: LAND_PERCENTAGE.into(),
            threshold: 100.0,
        }
    }
}

impl std::str::FromStr for Selection {
    type Err = DatasetError;

    /// `land`, `land:99`, `land:50:LandFraction`, `sea`, `all`, `mask:VAR`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || DatasetError::BadSelection(s.to_string());
        let parts: Vec<&str> = s.split(':').collect();
        let threshold = |i: usize| -> Result<f64, DatasetError> {
            parts.get(i).map_or(Ok(100.0), |t| t.parse::<f64>().map_err(|_| bad()))
        };
        let variable = |i: usize| parts.get(i).map_or(LAND_PERCENTAGE.to_string(), |v| v.to_string());
        match parts[0] {
            "land" if parts.len() <= 3 => Ok(Selection::Land {
                threshold: threshold(1)?,
                variable: variable(2),
            }),
            "sea" if parts.len() <= 3 => Ok(Selection::Sea {
                threshold: threshold(1)?,
                variable: variable(2),
            }),
            "all" if parts.len() == 1 => Ok(Selection::All),
            "mask" if parts.len() == 2 && !parts[1].is_empty() => Ok(Selection::Mask {
                variable: parts[1].into(),
            }),
            _ => Err(bad()),
        }
    }
}

impl std::fmt::Display for Selection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Selection::Land { variable, threshold } => write!(f, "land ({variable} >= {threshold})"),
            Selection::Sea { variable, threshold } => write!(f, "sea ({variable} < {threshold})"),
            Selection::All => write!(f, "all"),
            Selection::Mask { variable } => write!(f, "mask ({variable} != 0)"),
        }
    }
}

impl Selection {
    /// The variable the selection reads, if any.
    pub fn variable(&self) -> Option<&str> {
        match self {
            Selection::Land { variable, .. } | Selection::Sea { variable, .. } | Selection::Mask { variable } => {
                Some(variable)
            }
            Selection::All => None,
        }
    }

    /// Whether a cell with mask-variable value `v` is selected (a missing value never is).
    pub fn keeps(&self, v: f64) -> bool {
        if v.is_nan() {
            return false;
        }
        match self {
            Selection::Land { threshold, .. } => v >= *threshold,
            Selection::Sea { threshold, .. } => v < *threshold,
            Selection::Mask { .. } => v != 0.0,
            Selection::All => true,
        }
    }

    /// The selected cells as a mask over an in-memory grid dataset.
    pub fn mask(&self, ds: &GridDataset) -> Result<Vec<bool>, DatasetError> {
        let n = ds.grid.len();
        let Some(name) = self.variable() else {
            return Ok(vec![true; n]);
        };
        let var = ds.variable(name)?;
        check_shape(var, n)?;
        Ok(var.values.iter().map(|&v| self.keeps(v)).collect())
    }
}

fn check_shape(var: &GridVariable, expected: usize) -> Result<(), DatasetError> {
    if var.values.len() != expected {
        return Err(DatasetError::ShapeMismatch {
            name: var.name.clone(),
            got: var.values.len(),
            expected,
        });
    }
    Ok(())
}

/// The grid position of one table row: its row and column, and the longitude and latitude of
/// its centre (inverse-projected on a projected grid, see [`Grid::locator`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    pub row: usize,
    pub col: usize,
    pub lat: f64,
    pub lon: f64,
}

/// Selected cells x chosen variables, in original units; only cells with every variable present.
///
/// Built by [`CellTable::read`] from any [`BlockReader`] (a netCDF file, an in-memory
/// [`GridDataset`]) in blocks of rows: what it holds grows with the selected cells and the chosen
/// variables, never with the grid.
#[derive(Debug, Clone)]
pub struct CellTable {
    pub names: Vec<String>,
    pub units: Vec<Option<String>>,
    /// `n x d`, row `i` is `cells[i]`.
    pub values: Array2<f64>,
    /// Kept cells in grid order (row-major); `row`/`col` index the whole grid.
    pub cells: Vec<Cell>,
    pub grid: Grid,
    /// The part of the grid that was read (the whole grid without `--region`).
    pub window: Window,
    /// Cells chosen by the selection, before dropping incomplete ones.
    pub n_selected: usize,
    /// Selected cells dropped because at least one chosen variable was missing.
    pub n_dropped: usize,
    /// For each chosen variable, how many selected cells lack it.
    pub missing_per_variable: Vec<(String, usize)>,
    pub selection: Selection,
    /// Extra per-cell columns read along (e.g. the truth for `--truth`), `NaN` where missing.
    pub extras: Vec<(String, Vec<f64>)>,
}

impl CellTable {
    /// Number of rows (cells kept).
    pub fn n_points(&self) -> usize {
        self.cells.len()
    }

    /// Grid shape `(rows, cols)`.
    pub fn grid_shape(&self) -> (usize, usize) {
        (self.grid.n_rows, self.grid.n_cols)
    }

    /// Build the table of `selection`'s cells for `names` from an in-memory dataset.
    pub fn build(ds: &GridDataset, names: &[String], selection: &Selection) -> Result<Self, DatasetError> {
        Self::read(ds, &TableRequest::new(names, selection))
    }

    /// An extra column by name.
    pub fn extra(&self, name: &str) -> Option<&[f64]> {
        self.extras.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_slice())
    }

    /// The window that output grids (labels.nc) cover: the window read when it is a region or
    /// the grid is small, else (grids over [`OUTPUT_FULL_GRID_MAX`] cells) the bounding box of
    /// the kept cells, so a 1 M-cell selection on a 648 M-cell grid writes a 1 M-cell file.
    pub fn output_window(&self) -> Window {
        if !self.window.is_full(&self.grid) || self.grid.len() <= OUTPUT_FULL_GRID_MAX {
            return self.window.clone();
        }
        Window::bounding(self.cells.iter().map(|c| (c.row, c.col))).unwrap_or_else(|| self.window.clone())
    }

    /// Scatter per-row values onto `window` (row-major over its rows and columns, `NaN`
    /// elsewhere), e.g. labels for labels.nc.
    pub fn to_window(&self, window: &Window, per_row: &[f64]) -> Vec<f64> {
        let nc = window.n_cols();
        let mut out = vec![f64::NAN; window.len()];
        for (cell, &v) in self.cells.iter().zip(per_row) {
            if let Some(c) = window.col_position(cell.col)
                && window.rows.contains(&cell.row)
            {
                out[(cell.row - window.rows.start) * nc + c] = v;
            }
        }
        out
    }

    /// Scatter per-row cluster labels onto `window` (row-major over its rows and columns,
    /// [`NO_LABEL`] elsewhere): the label raster of labels.nc, labels.tif and labels.geojson, in
    /// the `int` those files hold rather than [`CellTable::to_window`]'s `f64` (half the memory,
    /// and no second conversion). Labels beyond `i32::MAX` saturate (k is far below it).
    pub fn labels_to_window(&self, window: &Window, labels: &[usize]) -> Vec<i32> {
        let nc = window.n_cols();
        let mut out = vec![NO_LABEL; window.len()];
        for (cell, &l) in self.cells.iter().zip(labels) {
            if let Some(c) = window.col_position(cell.col)
                && window.rows.contains(&cell.row)
            {
                out[(cell.row - window.rows.start) * nc + c] = i32::try_from(l).unwrap_or(i32::MAX);
            }
        }
        out
    }

    /// Scatter per-row values back onto the whole grid (`NaN` elsewhere). Only for small grids
    /// (tests, 1-degree figures); large runs use [`CellTable::to_window`] or per-cell data.
    pub fn to_grid(&self, per_row: &[f64]) -> Vec<f64> {
        self.to_window(&Window::full(&self.grid), per_row)
    }
}

/// The label of a grid cell that holds no table row in [`CellTable::labels_to_window`].
pub const NO_LABEL: i32 = -1;

/// Grids up to this many cells are written whole in labels.nc (the 0.05-degree grid has 25.9 M).
pub const OUTPUT_FULL_GRID_MAX: usize = 50_000_000;

#[cfg(test)]
mod tests;
