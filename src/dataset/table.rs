//! Building the cell table in blocks of rows, with a memory estimate before the values are read.
//!
//! Two passes over the window, each in blocks of about [`BLOCK_CELLS`] cells:
//! 1. the selection variable alone (`LandPercentage` by default) gives the selected cells; the
//!    run's memory estimate ([`MemoryPlan`]) is checked as the count grows, so a selection that
//!    cannot fit stops after reading only the mask, and `--select all` stops before reading
//!    anything;
//! 2. each chosen variable (then each extra column, e.g. the truth) is read block by block and
//!    only its values at the selected cells are kept. Blocks without a selected cell are skipped.
//!
//! What is held: one block of one variable (`BLOCK_CELLS` f64, 32 MB), the selected positions
//! (8 bytes each) and the selected cells' values (`8 (d + extras)` bytes each). Cells are kept
//! in grid order, row-major, so the table of a file is the same whatever the block size.

use super::{Cell, CellTable, DatasetError, Grid, GridDataset, Selection, Window};
use ndarray::Array2;
use std::ops::Range;
use std::path::Path;

type Result<T, E = DatasetError> = std::result::Result<T, E>;

/// Cells per block read (4 M cells: 32 MB of f64 per variable block).
pub const BLOCK_CELLS: usize = 1 << 22;

/// A gridded source read in blocks: a netCDF file, a GeoTIFF, an in-memory dataset.
///
/// Readers of files (netCDF, GeoTIFF) report their own failures as
/// [`DatasetError::Source`], whose message names the file and the variable.
pub trait BlockReader {
    /// The file (or a name) for messages.
    fn source(&self) -> &Path;
    /// The grid, north first, west to east, longitudes in -180..180.
    fn grid(&self) -> &Grid;
    /// Values of variable spec `spec` on grid rows `rows` and the grid columns of `cols`
    /// (segments, in order): `rows.len() x (sum of segment lengths)` values, row-major,
    /// CF-decoded, `NaN` where missing.
    fn read_block(&self, spec: &str, rows: Range<usize>, cols: &[Range<usize>]) -> Result<Vec<f64>>;
    /// Units of a variable spec, if it has any; errors when the spec cannot be read (checked
    /// before any block is).
    fn units(&self, spec: &str) -> Result<Option<String>>;
    /// The names of the variables on the grid, for messages that help choose (empty when the
    /// source cannot list them).
    fn variable_names(&self) -> Vec<String> {
        Vec::new()
    }
    /// The stacks of files the source reads as series (see [`StackInfo`]); empty for a source
    /// of one file or none.
    fn stacks(&self) -> Vec<StackInfo> {
        Vec::new()
    }
    /// The class names of an integer class variable, `(value, name)`, from its CF `flag_values`
    /// and `flag_meanings` (CF-1.8 section 3.5); empty when it has none or the source keeps no
    /// attributes.
    fn class_names(&self, _spec: &str) -> Vec<(i64, String)> {
        Vec::new()
    }
    /// How much the reader has decoded so far and its input's size on disk ([`ReadVolume`]),
    /// for the read stage's rate; `None` for sources that do not count (in-memory grids).
    fn volume(&self) -> Option<ReadVolume> {
        None
    }
    /// The specs `spec` stands for: a series `NAME[*]` is `NAME[0] .. NAME[n-1]` over the
    /// variable's extra dimension (see [`crate::dataset::varspec`]); any other spec is itself. The
    /// default (sources without extra dimensions: GeoTIFF, in-memory grids) refuses a series.
    fn expand(&self, spec: &str) -> Result<Vec<String>> {
        match spec.parse::<super::varspec::VarSpec>() {
            Ok(parsed) if parsed.extra == super::varspec::Extra::All => Err(DatasetError::NoExtraDimension {
                path: self.source().to_path_buf(),
                variable: parsed.name,
            }),
            _ => Ok(vec![spec.to_string()]),
        }
    }
}

/// A stack of files read as one input: entry `i` of a series (`NAME[i]`) is file `i`. The
/// outputs record it (metrics.json `input_stack`) so that a series column can be traced to its
/// file and date.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StackInfo {
    /// The input as given (a glob or a list).
    pub pattern: String,
    /// The one variable the stack holds (`NAME=FILES` in a composite input); `None` when every
    /// variable of the files is a series (a stack of netCDF files).
    pub variable: Option<String>,
    /// How the files were ordered: `time` (their CF time coordinate), `name` (a glob, by file
    /// name) or `list` (as listed).
    pub order: String,
    /// One label per entry: the file's date where ordered by time, else the file's stem.
    pub labels: Vec<String>,
    /// The files, in entry order.
    pub files: Vec<String>,
}

/// What a file reader has decoded (the bytes of the values as stored, e.g. 4 per float32
/// sample) and the bytes of its input on disk (compressed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadVolume {
    pub decoded_bytes: u64,
    pub input_bytes: u64,
}

/// Every spec of `specs` expanded by [`BlockReader::expand`], in order.
pub fn expand_specs(reader: &dyn BlockReader, specs: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::with_capacity(specs.len());
    for s in specs {
        out.extend(reader.expand(s)?);
    }
    Ok(out)
}

/// The memory a run will need, as a linear estimate, and the limit it must stay under.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MemoryPlan {
    /// Bytes per selected cell over the whole run (table, z-scores, space, labels, fit state).
    pub per_cell: u64,
    /// Bytes per cell of the output window (labels.nc layers).
    pub per_window_cell: u64,
    /// Bytes independent of the data (program, background image, block buffers, VAE).
    pub fixed: u64,
    /// The limit (`--max-memory`).
    pub limit: u64,
}

impl MemoryPlan {
    /// The estimate for `cells` selected cells and an output window of `window_cells`.
    pub fn need(&self, cells: usize, window_cells: usize) -> u64 {
        self.fixed
            .saturating_add(self.per_cell.saturating_mul(cells as u64))
            .saturating_add(self.per_window_cell.saturating_mul(window_cells as u64))
    }

    /// An error when the estimate exceeds the limit; `at_least` says the count is a lower bound
    /// (the mask was not read to the end).
    pub fn check(&self, cells: usize, window_cells: usize, at_least: bool) -> Result<(), DatasetError> {
        let need = self.need(cells, window_cells);
        if need <= self.limit {
            return Ok(());
        }
        let more = if at_least { "more than " } else { "" };
        Err(DatasetError::Memory {
            need: format!("{more}{}", format_bytes(need)),
            limit: format_bytes(self.limit),
            detail: format!(
                "{more}{cells} selected cells x {} bytes + {} bytes per output cell + {} fixed",
                self.per_cell,
                self.per_window_cell,
                format_bytes(self.fixed)
            ),
        })
    }
}

/// Bytes for people: `512 MB`, `3.2 GB` (decimal units, as `--max-memory` reads them).
pub fn format_bytes(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1e9 {
        format!("{:.1} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.0} MB", b / 1e6)
    } else {
        format!("{:.0} kB", b / 1e3)
    }
}

/// Parse a size: `512MB`, `4GB`, `4G`, `1.5GiB`, `800000000` (bytes). Decimal units (kB, MB,
/// GB, TB, and K, M, G, T) are powers of 1000; binary units (KiB, MiB, GiB, TiB) of 1024.
pub fn parse_bytes(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let value: f64 = num
        .parse()
        .map_err(|_| format!("'{text}': expected a size such as 512MB or 4GB"))?;
    let scale = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "m" | "mb" => 1e6,
        "g" | "gb" => 1e9,
        "t" | "tb" => 1e12,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        "tib" => 1024.0f64.powi(4),
        _ => return Err(format!("'{text}': unknown unit (use kB, MB, GB, TB or KiB, MiB, GiB)")),
    };
    let bytes = value * scale;
    if !bytes.is_finite() || bytes < 1.0 {
        return Err(format!("'{text}': must be a positive size"));
    }
    Ok(bytes as u64)
}

/// What to read into a [`CellTable`].
#[derive(Debug, Clone)]
pub struct TableRequest<'a> {
    /// The chosen variables (the table's columns).
    pub names: &'a [String],
    /// Extra per-cell columns (e.g. the truth), kept where the chosen variables are complete.
    pub extras: Vec<String>,
    pub selection: &'a Selection,
    /// The part of the grid to read; `None` = the whole grid.
    pub window: Option<Window>,
    /// On a projected grid, keep only cells whose centre's lon/lat lies in this box (the
    /// window is then the box's bounding rectangle of rows and columns, which also holds cells
    /// outside it); unused on lat/lon grids, whose window is the region exactly.
    pub region: Option<super::LonLatBox>,
    /// The memory estimate to check; `None` = no check.
    pub memory: Option<MemoryPlan>,
    /// Cells per block (default [`BLOCK_CELLS`]; tests use tiny blocks).
    pub block_cells: usize,
    /// Draw a progress bar on stderr.
    pub progress: bool,
}

impl<'a> TableRequest<'a> {
    /// Read `names` on the cells of `selection`, whole grid, no memory check.
    pub fn new(names: &'a [String], selection: &'a Selection) -> Self {
        TableRequest {
            names,
            extras: Vec::new(),
            selection,
            window: None,
            region: None,
            memory: None,
            block_cells: BLOCK_CELLS,
            progress: false,
        }
    }
}

/// Positions (window-relative, row-major) of the selected cells, read block by block.
fn select_cells(reader: &dyn BlockReader, req: &TableRequest, window: &Window, out_cells: usize) -> Result<Vec<u64>> {
    // While the mask is read, the count so far is checked (a lower bound, output not counted).
    let ncw = window.n_cols();
    let block_rows = (req.block_cells / ncw.max(1)).max(1);
    let Some(var) = req.selection.variable() else {
        if let Some(plan) = &req.memory {
            plan.check(window.len(), out_cells, false)?;
        }
        return Ok((0..window.len() as u64).collect());
    };
    let bar = crate::progress::bar(req.progress, "read: selection", window.n_rows() as u64);
    let mut selected: Vec<u64> = Vec::new();
    let mut r = window.rows.start;
    while r < window.rows.end {
        let r1 = (r + block_rows).min(window.rows.end);
        let block = reader.read_block(var, r..r1, &window.cols)?;
        let base = ((r - window.rows.start) * ncw) as u64;
        selected.extend(
            block
                .iter()
                .enumerate()
                .filter(|(_, v)| req.selection.keeps(**v))
                .map(|(i, _)| base + i as u64),
        );
        if let Some(plan) = &req.memory {
            plan.check(selected.len(), 0, r1 < window.rows.end)?;
        }
        crate::progress::inc(&bar, (r1 - r) as u64);
        r = r1;
    }
    crate::progress::done(bar);
    Ok(selected)
}

impl CellTable {
    /// Read the table of `req.selection`'s cells for `req.names` from `reader`, in blocks of rows
    /// (see the module notes); errors name the file, variable or option at fault.
    pub fn read(reader: &dyn BlockReader, req: &TableRequest) -> Result<Self> {
        if req.names.is_empty() {
            return Err(DatasetError::NoVariables.into());
        }
        let grid = reader.grid();
        let window = req.window.clone().unwrap_or_else(|| Window::full(grid));
        // Every spec is checked (exists, readable) before the first block is read.
        let units: Vec<Option<String>> = req.names.iter().map(|n| reader.units(n)).collect::<Result<_>>()?;
        for e in &req.extras {
            reader.units(e)?;
        }
        if let Some(v) = req.selection.variable() {
            reader.units(v)?;
        }
        // Without a region on a huge grid, labels.nc covers the selection's bounding box: not
        // known before the mask is read, so the window is counted only for grids written whole.
        let out_cells = if window.is_full(grid) && grid.len() > super::OUTPUT_FULL_GRID_MAX {
            0
        } else {
            window.len()
        };
        let mut selected = select_cells(reader, req, &window, out_cells)?;
        if let Some(bbox) = req.region.as_ref().filter(|_| grid.is_projected()) {
            let locator = grid.locator()?;
            let window_cols: Vec<usize> = window.columns().collect();
            let ncw = window_cols.len().max(1);
            selected.retain(|&p| {
                let (lon, lat) = locator.lon_lat(window.rows.start + p as usize / ncw, window_cols[p as usize % ncw]);
                bbox.contains(lon, lat)
            });
        }
        if selected.is_empty() {
            return Err(DatasetError::EmptySelection {
                selection: req.selection.to_string(),
            }
            .into());
        }
        if let Some(plan) = &req.memory {
            plan.check(selected.len(), out_cells, false)?;
        }
        let d = req.names.len();
        let e = req.extras.len();
        let width = d + e;
        let n_sel = selected.len();
        let ncw = window.n_cols();
        let block_rows = (req.block_cells / ncw.max(1)).max(1);
        let specs: Vec<&String> = req.names.iter().chain(&req.extras).collect();
        let window_cols: Vec<usize> = window.columns().collect();
        let locator = grid.locator()?;
        // The complete rows are kept as each block is read: the table grows to its final size
        // only (the capacity of every selected cell, checked against the memory plan above, is
        // reserved but touched only as rows are kept), with no table-wide scratch of the
        // selected cells and no compaction copy.
        let mut values: Vec<f64> = Vec::with_capacity(n_sel * d);
        let mut extra_values: Vec<Vec<f64>> = (0..e).map(|_| Vec::with_capacity(n_sel)).collect();
        let mut cells: Vec<Cell> = Vec::with_capacity(n_sel);
        let mut missing = vec![0usize; d];
        let mut block_values: Vec<f64> = Vec::new();
        let bar = crate::progress::bar(req.progress, "read: variables", (window.n_rows() * specs.len()) as u64);
        let mut r = window.rows.start;
        let mut lo = 0usize;
        while r < window.rows.end {
            let r1 = (r + block_rows).min(window.rows.end);
            let end = ((r1 - window.rows.start) * ncw) as u64;
            let hi = lo + selected[lo..].partition_point(|&p| p < end);
            if hi > lo {
                let base = ((r - window.rows.start) * ncw) as u64;
                let in_block = &selected[lo..hi];
                block_values.clear();
                block_values.resize(in_block.len() * width, f64::NAN);
                for (j, spec) in specs.iter().enumerate() {
                    let block = reader.read_block(spec, r..r1, &window.cols)?;
                    for (i, &p) in in_block.iter().enumerate() {
                        block_values[i * width + j] = block[(p - base) as usize];
                    }
                    crate::progress::inc(&bar, (r1 - r) as u64);
                }
                for (row_values, &p) in block_values.chunks_exact(width).zip(in_block) {
                    let mut complete = true;
                    for (m, v) in missing.iter_mut().zip(&row_values[..d]) {
                        if v.is_nan() {
                            *m += 1;
                            complete = false;
                        }
                    }
                    if !complete {
                        continue;
                    }
                    values.extend_from_slice(&row_values[..d]);
                    for (column, &v) in extra_values.iter_mut().zip(&row_values[d..]) {
                        column.push(v);
                    }
                    let row = window.rows.start + p as usize / ncw;
                    let col = window_cols[p as usize % ncw];
                    let (lon, lat) = locator.lon_lat(row, col);
                    cells.push(Cell { row, col, lat, lon });
                }
            } else {
                crate::progress::inc(&bar, ((r1 - r) * specs.len()) as u64);
            }
            lo = hi;
            r = r1;
        }
        crate::progress::done(bar);
        drop(block_values);
        let missing_per_variable: Vec<(String, usize)> = req.names.iter().cloned().zip(missing).collect();
        drop(selected);
        let kept = cells.len();
        if kept == 0 {
            let detail = missing_per_variable
                .iter()
                .map(|(v, c)| format!("{v}: {c} missing"))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(DatasetError::NoCompleteCell {
                selection: req.selection.to_string(),
                selected: n_sel,
                detail,
            }
            .into());
        }
        let extras: Vec<(String, Vec<f64>)> = req.extras.iter().cloned().zip(extra_values).collect();
        let table_values = Array2::from_shape_vec((kept, d), values).map_err(|err| DatasetError::ShapeMismatch {
            name: err.to_string(),
            got: 0,
            expected: kept * d,
        })?;
        Ok(CellTable {
            names: req.names.to_vec(),
            units,
            values: table_values,
            cells,
            grid: grid.clone(),
            window,
            n_selected: n_sel,
            n_dropped: n_sel - kept,
            missing_per_variable,
            selection: req.selection.clone(),
            extras,
        })
    }
}

impl BlockReader for GridDataset {
    fn source(&self) -> &Path {
        &self.path
    }

    fn grid(&self) -> &Grid {
        &self.grid
    }

    fn read_block(&self, spec: &str, rows: Range<usize>, cols: &[Range<usize>]) -> Result<Vec<f64>> {
        let var = self.variable(spec)?;
        super::check_shape(var, self.grid.len())?;
        let mut out = Vec::with_capacity(rows.len() * cols.iter().map(|c| c.len()).sum::<usize>());
        for r in rows {
            for seg in cols {
                out.extend_from_slice(&var.values[r * self.grid.n_cols + seg.start..r * self.grid.n_cols + seg.end]);
            }
        }
        Ok(out)
    }

    fn units(&self, spec: &str) -> Result<Option<String>> {
        Ok(self.variable(spec)?.units.clone())
    }
}

#[cfg(test)]
#[path = "table_tests.rs"]
mod tests;
