//! `landclust export`: the selected cells of one or more files as a Parquet dataset for Apache
//! Spark (or any Parquet reader), with a JSON sidecar.
//!
//! Layout of `--out DIR`:
//! - `DIR/lat_band=<S>/part-f<F>-r<R>.parquet`: Hive-style partition folders by latitude band,
//!   `S = floor(lat / W) * W` the band's south edge for a band width `W` (`--band`, default
//!   [`DEFAULT_BAND_DEG`] degrees), so Spark discovers a `lat_band` partition column. One file per
//!   row block of input file `F` (0-based, in the order given) starting at union-grid row `R`; a
//!   block never crosses a band edge and holds at most [`crate::dataset::BLOCK_CELLS`] grid cells.
//! - Columns: `row`, `col` (`INT32`, in the union grid), `lat`, `lon` (`DOUBLE`, the cell centre
//!   as the input file gives it), then one `DOUBLE` per chosen variable in original units (CF
//!   decoded). Column names are the variable names with every character other than
//!   `[A-Za-z0-9_]` replaced by `_` (the sidecar maps them back).
//! - Missing values: none are written. As in `landclust run`, a selected cell lacking any chosen
//!   variable is dropped (counted in the sidecar), so every column is `REQUIRED` (never null,
//!   never NaN) and Spark's `VectorAssembler` needs no `handleInvalid`.
//! - `DIR/_landclust.json` ([`Sidecar`]; Spark skips names starting with `_`): the grid, the
//!   settings, and per variable the count, mean and population standard deviation (ddof = 0)
//!   of the written cells, from the same streaming pass.
//!
//! Several input files are tiles of one product: same variables, same resolution, aligned on
//! one lattice, not overlapping. The sidecar's grid is their union (north first, west to east)
//! and `row`/`col` index it; misaligned or overlapping tiles are refused before anything is
//! written. Tiles are exported in parallel (one per rayon task), their statistics merged in
//! tile order. Each tile is read in row blocks through [`BlockReader::read_block`]: what is held is
//! one block of the selection and of each variable (at most `BLOCK_CELLS` f64 each) plus the
//! block's selected values, whatever the grid size. The folder is staged and renamed into place
//! at the end, so a failure leaves nothing.

use crate::dataset::{BlockReader, Grid, LonLatBox, Selection, Window};
use crate::error::{Error, Result};
use crate::io::parquet::{ColumnData, write_columns};
use crate::pipeline::config::option_error;
use crate::pipeline::outdir::StagedDir;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Default latitude band width of the partition folders, degrees.
pub const DEFAULT_BAND_DEG: f64 = 10.0;

/// Name of the sidecar file in an export folder.
pub const SIDECAR: &str = "_landclust.json";

/// Format tag of the sidecar.
pub const FORMAT: &str = "landclust-export/1";

/// Relative tolerance (in steps) for regular axes and tile alignment.
const AXIS_TOL: f64 = 1e-4;

/// Settings of `landclust export`.
#[derive(Debug, Clone)]
pub struct ExportSettings {
    pub inputs: Vec<PathBuf>,
    pub vars: Vec<String>,
    pub select: Selection,
    /// `--region` (a box or a named region; recorded as given).
    pub region: Option<crate::pipeline::config::Region>,
    pub band_deg: f64,
    pub out: PathBuf,
    /// Cells per row block (default [`crate::dataset::BLOCK_CELLS`]; tests use tiny blocks).
    pub block_cells: usize,
}

/// One axis of the union grid: `start + i * step` when regular, else every value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AxisSpec {
    Regular { start: f64, step: f64 },
    Explicit { values: Vec<f64> },
}

impl AxisSpec {
    /// Regular when every value is within [`AXIS_TOL`] steps of `start + i * step`.
    pub fn of(values: &[f64]) -> Self {
        match regular_step(values) {
            Some(step) => AxisSpec::Regular { start: values[0], step },
            None => AxisSpec::Explicit {
                values: values.to_vec(),
            },
        }
    }

    /// The `n` values of the axis.
    pub fn values(&self, n: usize) -> Vec<f64> {
        match self {
            AxisSpec::Regular { start, step } => (0..n).map(|i| start + i as f64 * step).collect(),
            AxisSpec::Explicit { values } => values.clone(),
        }
    }
}

/// The union grid of an export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SidecarGrid {
    pub n_rows: usize,
    pub n_cols: usize,
    /// Latitude of each row's centres (row 0 northernmost, decreasing), degrees north.
    pub lat: AxisSpec,
    /// Longitude of each column's centres (west to east, -180..180), degrees east of Greenwich.
    pub lon: AxisSpec,
    pub orientation: String,
    /// The input's geographic CRS (the first input's for several), absent for WGS 84 and in
    /// exports made before it was recorded, which import as WGS 84. `import` gives it back to the
    /// grid, so the imported run's `labels.tif`/`labels.nc` name it as a run on the input would.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crs: Option<crate::dataset::GeographicCrs>,
}

impl SidecarGrid {
    /// The grid as landclust holds it.
    pub fn to_grid(&self) -> Grid {
        Grid {
            n_rows: self.n_rows,
            n_cols: self.n_cols,
            lat: self.lat.values(self.n_rows),
            lon: self.lon.values(self.n_cols),
            source: crate::dataset::GridSource::OneD {
                lat_var: "lat".into(),
                lon_var: "lon".into(),
            },
            orientation: Default::default(),
            crs: self.crs.clone(),
            projection: None,
        }
    }
}

/// One exported variable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportColumn {
    /// The variable spec as chosen (`NDVI`, `AOD565[3]`).
    pub variable: String,
    /// Its Parquet column name.
    pub column: String,
    pub units: Option<String>,
    /// Cells written (all of them: no value is missing).
    pub count: u64,
    pub mean: f64,
    /// Population standard deviation (ddof = 0), as landclust standardizes.
    pub std: f64,
}

/// Where one input file sits in the union grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportInput {
    pub path: String,
    pub row_offset: usize,
    pub col_offset: usize,
    pub n_rows: usize,
    pub n_cols: usize,
    /// Cells written from this file.
    pub n_cells: u64,
}

/// The settings an export was made with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportRecord {
    pub vars: Vec<String>,
    pub select: Selection,
    pub region: Option<crate::pipeline::config::Region>,
    pub inputs: Vec<ExportInput>,
}

/// The partitioning of the dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Partitioning {
    pub column: String,
    pub band_deg: f64,
    pub rule: String,
}

/// `_landclust.json`: everything a reader needs besides the Parquet files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sidecar {
    pub format: String,
    pub landclust_version: String,
    pub grid: SidecarGrid,
    pub settings: ExportRecord,
    pub partitioning: Partitioning,
    /// Key columns, then `columns[*].column`.
    pub key_columns: Vec<String>,
    pub columns: Vec<ExportColumn>,
    /// Cells written (rows of the dataset).
    pub n_cells: u64,
    /// Cells the selection chose, before dropping incomplete ones.
    pub n_selected: u64,
    pub n_dropped: u64,
    /// For each variable, how many selected cells lack it.
    pub missing_per_variable: Vec<(String, u64)>,
    /// Data files, relative to the folder.
    pub files: Vec<String>,
}

impl Sidecar {
    /// Read `DIR/_landclust.json`; a folder without it is not a landclust export.
    pub fn read(dir: &Path) -> Result<Self> {
        let path = dir.join(SIDECAR);
        if !path.is_file() {
            return Err(Error::File {
                path: dir.into(),
                message: format!("no {SIDECAR}: not a `landclust export` folder"),
            });
        }
        let text = std::fs::read_to_string(&path).map_err(|e| crate::io::IoError::os(&path, e))?;
        let sidecar: Sidecar = serde_json::from_str(&text).map_err(|e| Error::File {
            path: path.clone(),
            message: format!("not a landclust export sidecar: {e}"),
        })?;
        if sidecar.format != FORMAT {
            return Err(Error::File {
                path,
                message: format!("format {:?}, expected {FORMAT:?}", sidecar.format),
            });
        }
        Ok(sidecar)
    }
}

/// What `export` did.
#[derive(Debug, Clone)]
pub struct ExportSummary {
    pub out: PathBuf,
    pub sidecar: Sidecar,
}

/// Mean and sum of squared deviations of a stream, merged block by block (Chan, Golub & LeVeque
/// 1979): for parts `a`, `b`, `delta = mean_b - mean_a`, `n = n_a + n_b`,
/// `mean = mean_a + delta n_b / n`, `M2 = M2_a + M2_b + delta^2 n_a n_b / n`; each block's own
/// mean and `M2` are two-pass. Blocks are merged in file and row order, so the result does not
/// depend on threads.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RunningStats {
    pub count: u64,
    pub mean: f64,
    pub m2: f64,
}

impl RunningStats {
    /// The statistics of one block of values.
    pub fn of(values: &[f64]) -> Self {
        if values.is_empty() {
            return Self::default();
        }
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let m2 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
        RunningStats {
            count: values.len() as u64,
            mean,
            m2,
        }
    }

    /// Merge `b` (the later part) into `self`.
    pub fn merge(&mut self, b: &RunningStats) {
        if b.count == 0 {
            return;
        }
        if self.count == 0 {
            *self = *b;
            return;
        }
        let (na, nb) = (self.count as f64, b.count as f64);
        let n = na + nb;
        let delta = b.mean - self.mean;
        self.mean += delta * nb / n;
        self.m2 += b.m2 + delta * delta * na * nb / n;
        self.count += b.count;
    }

    /// Population standard deviation `sqrt(M2 / n)`.
    pub fn std(&self) -> f64 {
        if self.count == 0 {
            f64::NAN
        } else {
            (self.m2 / self.count as f64).sqrt()
        }
    }
}

/// The Parquet column name of a variable spec: `[A-Za-z0-9_]` kept, anything else `_`.
pub fn column_name(spec: &str) -> String {
    spec.chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' })
        .collect()
}

/// South edge of the latitude band of `lat` for bands of `width` degrees.
pub fn band_of(lat: f64, width: f64) -> f64 {
    let s = (lat / width).floor() * width;
    // -0 and 1e-15 noise would make two folders of one band.
    if s.abs() < 1e-9 { 0.0 } else { (s * 1e6).round() / 1e6 }
}

/// The step of a regular axis (within [`AXIS_TOL`] steps), `None` otherwise; a one-value axis
/// has no step.
fn regular_step(values: &[f64]) -> Option<f64> {
    let n = values.len();
    if n < 2 {
        return None;
    }
    let step = (values[n - 1] - values[0]) / (n - 1) as f64;
    if step == 0.0 || !step.is_finite() {
        return None;
    }
    let ok = values
        .iter()
        .enumerate()
        .all(|(i, v)| (v - (values[0] + i as f64 * step)).abs() <= AXIS_TOL * step.abs());
    ok.then_some(step)
}

/// One input file, opened, with its place in the union grid.
struct Tile {
    path: PathBuf,
    reader: Box<dyn BlockReader + Send + Sync>,
    row_offset: usize,
    col_offset: usize,
}

/// Place the tiles in their union grid (see the module notes); one file is its own union.
fn union_grid(paths: &[PathBuf], readers: Vec<Box<dyn BlockReader + Send + Sync>>) -> Result<(SidecarGrid, Vec<Tile>)> {
    // The sidecar and the latitude bands describe lat/lon axes: a projected grid's are x/y.
    if let Some((r, p)) = readers.iter().zip(paths).find(|(r, _)| r.grid().is_projected()) {
        let name = r.grid().projection.as_ref().map_or(String::new(), |c| c.to_string());
        return Err(Error::File {
            path: p.clone(),
            message: format!("export needs a latitude/longitude grid; this file is projected ({name})"),
        });
    }
    if readers.len() == 1 {
        let g = readers[0].grid();
        let grid = SidecarGrid {
            n_rows: g.n_rows,
            n_cols: g.n_cols,
            lat: AxisSpec::of(&g.lat),
            lon: AxisSpec::of(&g.lon),
            orientation: ORIENTATION.into(),
            crs: g.crs.clone(),
        };
        let tiles = readers
            .into_iter()
            .zip(paths)
            .map(|(reader, p)| Tile {
                path: p.clone(),
                reader,
                row_offset: 0,
                col_offset: 0,
            })
            .collect();
        return Ok((grid, tiles));
    }
    let mut steps = Vec::new();
    for (r, p) in readers.iter().zip(paths) {
        let g = r.grid();
        let misfit = |what: &str| Error::File {
            path: p.clone(),
            message: format!("tiles of one export need regular axes; this file's {what} is not"),
        };
        let lat_step = regular_step(&g.lat).ok_or_else(|| misfit("latitude"))?;
        let lon_step = regular_step(&g.lon).ok_or_else(|| misfit("longitude"))?;
        steps.push((lat_step, lon_step));
    }
    let (lat_step, lon_step) = steps[0];
    for ((ls, cs), p) in steps.iter().zip(paths) {
        if (ls - lat_step).abs() > AXIS_TOL * lat_step.abs() || (cs - lon_step).abs() > AXIS_TOL * lon_step.abs() {
            return Err(Error::File {
                path: p.clone(),
                message: format!(
                    "resolution {}x{} degrees differs from the first tile's {}x{}: tiles must share one grid",
                    ls.abs(),
                    cs.abs(),
                    lat_step.abs(),
                    lon_step.abs()
                ),
            });
        }
    }
    let north = readers
        .iter()
        .map(|r| r.grid().lat[0])
        .fold(f64::NEG_INFINITY, f64::max);
    let west = readers.iter().map(|r| r.grid().lon[0]).fold(f64::INFINITY, f64::min);
    let crs = readers.first().and_then(|r| r.grid().crs.clone());
    let mut tiles = Vec::new();
    let (mut n_rows, mut n_cols) = (0usize, 0usize);
    for (reader, p) in readers.into_iter().zip(paths) {
        let g = reader.grid();
        let offset = |x: f64, step: f64, what: &str| -> Result<usize> {
            let o = x / step;
            if (o - o.round()).abs() > 1e-3 {
                return Err(Error::File {
                    path: p.clone(),
                    message: format!(
                        "{what} of the first cell is off the first tile's lattice by {:.4} cells: tiles must be aligned",
                        o - o.round()
                    ),
                });
            }
            Ok(o.round() as usize)
        };
        let row_offset = offset(g.lat[0] - north, lat_step, "the latitude")?;
        let col_offset = offset(g.lon[0] - west, lon_step, "the longitude")?;
        n_rows = n_rows.max(row_offset + g.n_rows);
        n_cols = n_cols.max(col_offset + g.n_cols);
        tiles.push(Tile {
            path: p.clone(),
            reader,
            row_offset,
            col_offset,
        });
    }
    check_overlap(&tiles)?;
    let grid = SidecarGrid {
        n_rows,
        n_cols,
        lat: AxisSpec::Regular {
            start: north,
            step: lat_step,
        },
        lon: AxisSpec::Regular {
            start: west,
            step: lon_step,
        },
        orientation: ORIENTATION.into(),
        crs,
    };
    Ok((grid, tiles))
}

const ORIENTATION: &str = "row 0 is the northernmost row, columns run west to east, longitudes in -180..180";

fn check_overlap(tiles: &[Tile]) -> Result<()> {
    for (i, a) in tiles.iter().enumerate() {
        for b in &tiles[..i] {
            let (ga, gb) = (a.reader.grid(), b.reader.grid());
            let rows = a.row_offset < b.row_offset + gb.n_rows && b.row_offset < a.row_offset + ga.n_rows;
            let cols = a.col_offset < b.col_offset + gb.n_cols && b.col_offset < a.col_offset + ga.n_cols;
            if rows && cols {
                return Err(Error::File {
                    path: a.path.clone(),
                    message: format!("overlaps the tile {}: tiles must not share cells", b.path.display()),
                });
            }
        }
    }
    Ok(())
}

/// Export the selected cells of `s.inputs` into `s.out` (see the module notes).
pub fn export_cells(s: &ExportSettings, progress: bool) -> Result<ExportSummary> {
    check_settings(s)?;
    let readers = s
        .inputs
        .iter()
        .map(|p| crate::io::open_input(p).map_err(Error::from))
        .collect::<Result<Vec<_>>>()?;
    run_readers(s, readers, progress)
}

/// [`run`] on opened readers, one per `s.inputs` entry (in-memory grids in tests).
pub fn run_readers(
    s: &ExportSettings,
    readers: Vec<Box<dyn BlockReader + Send + Sync>>,
    progress: bool,
) -> Result<ExportSummary> {
    check_settings(s)?;
    // Every spec is checked in every file before the first block is read.
    let mut units = Vec::new();
    for r in &readers {
        units = s
            .vars
            .iter()
            .map(|v| r.units(v))
            .collect::<Result<Vec<_>, crate::dataset::DatasetError>>()?;
        if let Some(v) = s.select.variable() {
            r.units(v)?;
        }
    }
    let (grid, tiles) = union_grid(&s.inputs, readers)?;
    let bbox = s.region.as_ref().map(|r| *r.bbox());
    let stage = StagedDir::new(&s.out)?;
    // Tiles in parallel (one per task), merged in tile order: the same bits on any thread count.
    let parts = crate::par::map_chunks(tiles.len(), 1, |f, _| -> Result<Accumulator> {
        let tile = &tiles[f];
        let mut part = Accumulator::new(s.vars.len());
        if let Some(window) = tile_window(tile, bbox.as_ref())? {
            export_tile(s, f, tile, &window, stage.path(), &mut part, progress)?;
        }
        Ok(part)
    });
    let mut acc = Accumulator::new(s.vars.len());
    let mut inputs = Vec::new();
    for (tile, part) in tiles.iter().zip(parts) {
        let part = part?;
        let g = tile.reader.grid();
        inputs.push(ExportInput {
            path: crate::pipeline::config::absolute(&tile.path)?.display().to_string(),
            row_offset: tile.row_offset,
            col_offset: tile.col_offset,
            n_rows: g.n_rows,
            n_cols: g.n_cols,
            n_cells: part.n_cells,
        });
        acc.merge(part);
    }
    let sidecar = acc.finish(s, grid, inputs, units)?;
    crate::io::tables::write_json(&stage.join(SIDECAR), &sidecar)?;
    let out = stage.commit()?;
    Ok(ExportSummary { out, sidecar })
}

fn check_settings(s: &ExportSettings) -> Result<()> {
    if s.inputs.is_empty() {
        return Err(option_error("FILE", "no input file given"));
    }
    if s.vars.is_empty() {
        return Err(option_error("--vars", "no variable chosen"));
    }
    if !(s.band_deg.is_finite() && s.band_deg > 0.0 && s.band_deg <= 180.0) {
        return Err(option_error(
            "--band",
            format!("{}: must be in (0, 180] degrees", s.band_deg),
        ));
    }
    let mut columns: Vec<String> = s.vars.iter().map(|v| column_name(v)).collect();
    columns.sort();
    if let Some(w) = columns.windows(2).find(|w| w[0] == w[1]) {
        return Err(option_error(
            "--vars",
            format!("two variables share the column name {}", w[0]),
        ));
    }
    if let Some(c) = columns
        .iter()
        .find(|c| KEY_COLUMNS.contains(&c.as_str()) || c.as_str() == "lat_band")
    {
        return Err(option_error("--vars", format!("{c}: the name of a key column")));
    }
    Ok(())
}

const KEY_COLUMNS: [&str; 4] = ["row", "col", "lat", "lon"];

/// The window of `tile` inside the region (`None`: the region misses this tile).
fn tile_window(tile: &Tile, bbox: Option<&LonLatBox>) -> Result<Option<Window>> {
    let g = tile.reader.grid();
    match bbox {
        None => Ok(Some(Window::full(g))),
        Some(b) => match Window::from_box(g, b) {
            Ok(w) => Ok(Some(w)),
            Err(crate::dataset::DatasetError::EmptyRegion { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        },
    }
}

/// Running totals of an export.
struct Accumulator {
    stats: Vec<RunningStats>,
    missing: Vec<u64>,
    n_cells: u64,
    n_selected: u64,
    files: Vec<String>,
}

impl Accumulator {
    fn new(d: usize) -> Self {
        Accumulator {
            stats: vec![RunningStats::default(); d],
            missing: vec![0; d],
            n_cells: 0,
            n_selected: 0,
            files: Vec::new(),
        }
    }

    /// Add a later part (the next tile).
    fn merge(&mut self, part: Accumulator) {
        for (a, b) in self.stats.iter_mut().zip(&part.stats) {
            a.merge(b);
        }
        for (a, b) in self.missing.iter_mut().zip(&part.missing) {
            *a += b;
        }
        self.n_cells += part.n_cells;
        self.n_selected += part.n_selected;
        self.files.extend(part.files);
    }

    fn finish(
        self,
        s: &ExportSettings,
        grid: SidecarGrid,
        inputs: Vec<ExportInput>,
        units: Vec<Option<String>>,
    ) -> Result<Sidecar> {
        if self.n_selected == 0 {
            return Err(crate::dataset::DatasetError::EmptySelection {
                selection: s.select.to_string(),
            }
            .into());
        }
        if self.n_cells == 0 {
            return Err(Error::File {
                path: s.inputs[0].clone(),
                message: format!(
                    "none of the {} selected cells ({}) has a value for every variable",
                    self.n_selected, s.select
                ),
            });
        }
        let mut columns = Vec::new();
        for ((v, st), u) in s.vars.iter().zip(&self.stats).zip(units) {
            let std = st.std();
            if std == 0.0 || std < 1e-12 * st.mean.abs() {
                return Err(Error::File {
                    path: s.inputs[0].clone(),
                    message: format!("variable {v}: constant over the exported cells, cannot be standardized"),
                });
            }
            columns.push(ExportColumn {
                variable: v.clone(),
                column: column_name(v),
                units: u,
                count: st.count,
                mean: st.mean,
                std,
            });
        }
        Ok(Sidecar {
            format: FORMAT.into(),
            landclust_version: env!("CARGO_PKG_VERSION").into(),
            grid,
            settings: ExportRecord {
                vars: s.vars.clone(),
                select: s.select.clone(),
                region: s.region.clone(),
                inputs,
            },
            partitioning: Partitioning {
                column: "lat_band".into(),
                band_deg: s.band_deg,
                rule: format!(
                    "lat_band = floor(lat / {w}) * {w}: the south edge of the cell's {w}-degree band",
                    w = s.band_deg
                ),
            },
            key_columns: KEY_COLUMNS.iter().map(|c| c.to_string()).collect(),
            columns,
            n_cells: self.n_cells,
            n_selected: self.n_selected,
            n_dropped: self.n_selected - self.n_cells,
            missing_per_variable: s.vars.iter().cloned().zip(self.missing).collect(),
            files: self.files,
        })
    }
}

/// Row blocks of `window`: at most `block_cells` cells, never across a band edge.
fn row_blocks(g: &Grid, window: &Window, block_cells: usize, band: f64) -> Vec<std::ops::Range<usize>> {
    let max_rows = (block_cells / window.n_cols().max(1)).max(1);
    let mut out = Vec::new();
    let mut r = window.rows.start;
    while r < window.rows.end {
        let b = band_of(g.row_lat(r), band);
        let mut r1 = r + 1;
        while r1 < window.rows.end && r1 - r < max_rows && band_of(g.row_lat(r1), band) == b {
            r1 += 1;
        }
        out.push(r..r1);
        r = r1;
    }
    out
}

/// Export one tile, block by block.
fn export_tile(
    s: &ExportSettings,
    f: usize,
    tile: &Tile,
    window: &Window,
    dir: &Path,
    acc: &mut Accumulator,
    progress: bool,
) -> Result<()> {
    let reader = tile.reader.as_ref();
    let g = reader.grid();
    let cols: Vec<usize> = window.columns().collect();
    let ncw = cols.len();
    let blocks = row_blocks(g, window, s.block_cells, s.band_deg);
    let label = format!("export: file {}/{}", f + 1, s.inputs.len());
    let bar = crate::progress::bar(progress, &label, window.n_rows() as u64);
    for rows in blocks {
        let n = rows.len() * ncw;
        let selected: Vec<usize> = match s.select.variable() {
            None => (0..n).collect(),
            Some(var) => {
                let mask = reader.read_block(var, rows.clone(), &window.cols)?;
                (0..n).filter(|&i| s.select.keeps(mask[i])).collect()
            }
        };
        acc.n_selected += selected.len() as u64;
        if selected.is_empty() {
            crate::progress::inc(&bar, rows.len() as u64);
            continue;
        }
        let mut values: Vec<Vec<f64>> = Vec::with_capacity(s.vars.len());
        for (j, v) in s.vars.iter().enumerate() {
            let block = reader.read_block(v, rows.clone(), &window.cols)?;
            let vals: Vec<f64> = selected.iter().map(|&i| block[i]).collect();
            acc.missing[j] += vals.iter().filter(|x| x.is_nan()).count() as u64;
            values.push(vals);
        }
        let keep: Vec<usize> = (0..selected.len())
            .filter(|&i| values.iter().all(|col| !col[i].is_nan()))
            .collect();
        if !keep.is_empty() {
            let first_row = tile.row_offset + rows.start;
            let name = format!("part-f{f:03}-r{first_row:06}.parquet");
            let band = band_of(g.row_lat(rows.start), s.band_deg);
            let rel = format!("lat_band={band}/{name}");
            write_block(s, tile, &rows, &cols, &selected, &keep, &values, &dir.join(&rel), acc)?;
            acc.files.push(rel);
        }
        crate::progress::inc(&bar, rows.len() as u64);
    }
    crate::progress::done(bar);
    Ok(())
}

/// Write the kept cells of one block as one Parquet file and merge their statistics.
#[allow(clippy::too_many_arguments)]
fn write_block(
    s: &ExportSettings,
    tile: &Tile,
    rows: &std::ops::Range<usize>,
    cols: &[usize],
    selected: &[usize],
    keep: &[usize],
    values: &[Vec<f64>],
    path: &Path,
    acc: &mut Accumulator,
) -> Result<()> {
    let g = tile.reader.grid();
    let ncw = cols.len();
    let cell = |i: usize| (rows.start + selected[i] / ncw, cols[selected[i] % ncw]);
    let to_i32 = |v: usize| i32::try_from(v).map_err(|_| option_error("FILE", "grid over 2^31 rows or columns"));
    let row: Vec<i32> = keep
        .iter()
        .map(|&i| to_i32(tile.row_offset + cell(i).0))
        .collect::<Result<_>>()?;
    let col: Vec<i32> = keep
        .iter()
        .map(|&i| to_i32(tile.col_offset + cell(i).1))
        .collect::<Result<_>>()?;
    let lat: Vec<f64> = keep.iter().map(|&i| g.row_lat(cell(i).0)).collect();
    let lon: Vec<f64> = keep.iter().map(|&i| g.col_lon(cell(i).1)).collect();
    let kept: Vec<Vec<f64>> = values.iter().map(|v| keep.iter().map(|&i| v[i]).collect()).collect();
    let names: Vec<String> = s.vars.iter().map(|v| column_name(v)).collect();
    let mut columns: Vec<(&str, ColumnData)> = vec![
        ("row", ColumnData::Int32(&row)),
        ("col", ColumnData::Int32(&col)),
        ("lat", ColumnData::Double(&lat)),
        ("lon", ColumnData::Double(&lon)),
    ];
    columns.extend(
        names
            .iter()
            .zip(&kept)
            .map(|(n, v)| (n.as_str(), ColumnData::Double(v))),
    );
    if let Some(parent) = path.parent() {
        // `create_dir`, not `create_dir_all`: the band folder's parent is the staging folder,
        // which a SIGINT/SIGTERM handler may have just removed; recreating it would leave a
        // staging folder behind a process that is exiting.
        match std::fs::create_dir(parent) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(crate::io::IoError::os(parent, e).into()),
        }
    }
    write_columns(path, &columns)?;
    for (st, v) in acc.stats.iter_mut().zip(&kept) {
        st.merge(&RunningStats::of(v));
    }
    acc.n_cells += keep.len() as u64;
    Ok(())
}

#[cfg(test)]
#[path = "export_tests.rs"]
mod tests;
