//! `landclust import` and `landclust assign`: a clustering made elsewhere (Apache Spark, see
//! `jobs/spark/`) turned into a normal run folder: labels.csv, labels.nc, centers.csv,
//! metrics.json, figures and report.html, by the same output code as `landclust run`.
//!
//! - `import LABELS EXPORT`: the labels (`row, col, cluster` Parquet, as the Spark job writes
//!   them) of the cells of a `landclust export` folder. The cells and their values are read back
//!   from the export's Parquet files, standardized with the sidecar's means and population
//!   standard deviations (the statistics the job used), and every exported cell must have
//!   exactly one label.
//! - `assign FILE --centers centers.json`: every selected cell of FILE gets the nearest centre
//!   (Euclidean in z-space, ties to the lower index), z-scored with the centres file's own means
//!   and standard deviations, as `landclust encode` does with a saved VAE.
//!
//! landclust then scores the labels itself, as `run` does: Davies-Bouldin and
//! Calinski-Harabasz exact, the silhouette exact up to `--silhouette-exact-max` cells and a
//! stratified sample above. Cluster numbers are renumbered by landclust's stable order
//! ([`crate::pipeline::run::analysis::stable_order`]: 0 = lowest mean NDVI); metrics.json's `scale_notes` give
//! the mapping from the engine's numbers.

use super::export::{AxisSpec, SIDECAR, Sidecar};
use crate::dataset::{Cell, CellTable, TableRequest, Window};
use crate::error::{Error, Result};
use crate::features::{Standardizer, correlation};
use crate::io::parquet::{NumericColumn, dataset_files, declared_rows, read_typed_columns};
use crate::pipeline::config::{Method, Reduce, RunConfig, ScaleSettings};
use crate::pipeline::outdir::StagedDir;
use crate::pipeline::run::analysis::{self, Clustering, Prepared};
use crate::pipeline::run::{Analysed, RunSummary, outputs};
use ndarray::{Array1, Array2, ArrayView2};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Settings shared by `import` and `assign`.
#[derive(Debug, Clone)]
pub struct OutputSettings {
    pub out: PathBuf,
    pub figures: bool,
    pub seed: u64,
    pub scale: ScaleSettings,
}

fn bad(path: &Path, message: impl Into<String>) -> Error {
    Error::File {
        path: path.into(),
        message: message.into(),
    }
}

/// Largest grid side an export writes: `row` and `col` are `INT32`.
const MAX_SIDE: usize = 1 << 31;

/// Relative slack on a longitude span of 360 degrees (a 0.1-degree step summed 3600 times).
const SPAN_TOL: f64 = 1e-9;

/// An error about one key of the sidecar at `path`.
fn sidecar_error(path: &Path, key: &str, message: impl std::fmt::Display) -> Error {
    bad(path, format!("{key}: {message}"))
}

/// The sidecar checked against itself before anything is sized by it: the grid's sides, its
/// axes (finite, non-zero steps, latitudes within -90..90 going south, longitudes going east
/// within -360..360 and spanning at most 360 degrees), the columns (some, each once, finite means,
/// finite positive standard deviations, one count per exported cell) and the cell counts.
fn check_sidecar(path: &Path, s: &Sidecar) -> Result<()> {
    let g = &s.grid;
    for (key, n) in [("grid.n_rows", g.n_rows), ("grid.n_cols", g.n_cols)] {
        if n == 0 || n > MAX_SIDE {
            return Err(sidecar_error(
                path,
                key,
                format!("{n}: must be 1 to 2^31 (row and col are INT32)"),
            ));
        }
    }
    check_axis(path, "grid.lat", &g.lat, g.n_rows, AxisKind::Latitude)?;
    check_axis(path, "grid.lon", &g.lon, g.n_cols, AxisKind::Longitude)?;
    if s.columns.is_empty() {
        return Err(sidecar_error(
            path,
            "columns",
            "the list is empty: an export holds at least one variable",
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    for (i, c) in s.columns.iter().enumerate() {
        let key = |field: &str| format!("columns[{i}].{field} (variable {})", c.variable);
        if !seen.insert(c.variable.as_str()) {
            return Err(sidecar_error(path, &key("variable"), "listed twice"));
        }
        if !c.mean.is_finite() {
            return Err(sidecar_error(
                path,
                &key("mean"),
                format!("{}: must be a finite number", c.mean),
            ));
        }
        if !(c.std.is_finite() && c.std > 0.0) {
            return Err(sidecar_error(
                path,
                &key("std"),
                format!(
                    "{}: must be a finite number > 0 (the population standard deviation the values are divided by)",
                    c.std
                ),
            ));
        }
        if c.count != s.n_cells {
            return Err(sidecar_error(
                path,
                &key("count"),
                format!(
                    "{} but n_cells is {}: every exported cell has every variable",
                    c.count, s.n_cells
                ),
            ));
        }
    }
    let grid_cells = (g.n_rows as u64).saturating_mul(g.n_cols as u64);
    if s.n_cells == 0 || s.n_cells > grid_cells {
        return Err(sidecar_error(
            path,
            "n_cells",
            format!(
                "{}: must be 1 to the {} x {} grid's {grid_cells} cells",
                s.n_cells, g.n_rows, g.n_cols
            ),
        ));
    }
    if s.n_selected < s.n_cells || s.n_dropped != s.n_selected - s.n_cells {
        return Err(sidecar_error(
            path,
            "n_dropped",
            format!(
                "{} with n_selected {} and n_cells {}: expected n_dropped = n_selected - n_cells",
                s.n_dropped, s.n_selected, s.n_cells
            ),
        ));
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum AxisKind {
    Latitude,
    Longitude,
}

/// One axis of the sidecar's grid against the orientation it states (row 0 northernmost,
/// columns west to east) and the globe.
fn check_axis(path: &Path, key: &str, axis: &AxisSpec, n: usize, kind: AxisKind) -> Result<()> {
    let (lo, hi, what, direction, sense) = match kind {
        AxisKind::Latitude => (
            -90.0,
            90.0,
            "rows",
            -1.0,
            "row 0 is the northernmost: the step must be < 0",
        ),
        AxisKind::Longitude => (
            -360.0,
            360.0,
            "columns",
            1.0,
            "columns run west to east: the step must be > 0",
        ),
    };
    let inside = |v: f64| (lo..=hi).contains(&v);
    let (first, last, step) = match axis {
        AxisSpec::Regular { start, step } => {
            if !(start.is_finite() && inside(*start)) {
                return Err(sidecar_error(
                    path,
                    &format!("{key}.start"),
                    format!("{start}: must lie within {lo}..{hi}"),
                ));
            }
            if !(step.is_finite() && *step != 0.0) {
                return Err(sidecar_error(
                    path,
                    &format!("{key}.step"),
                    format!("{step}: must be a finite number other than 0"),
                ));
            }
            if n > 1 && step.signum() != direction {
                return Err(sidecar_error(path, &format!("{key}.step"), format!("{step}: {sense}")));
            }
            let last = start + (n - 1) as f64 * step;
            if !inside(last) {
                let n_key = if kind == AxisKind::Latitude {
                    "grid.n_rows"
                } else {
                    "grid.n_cols"
                };
                return Err(sidecar_error(
                    path,
                    &format!("{n_key} with {key}"),
                    format!("{n} {what} of {step} degrees from {start} reach {last}, outside {lo}..{hi}"),
                ));
            }
            (*start, last, step.abs())
        }
        AxisSpec::Explicit { values } => {
            if values.len() != n {
                return Err(sidecar_error(
                    path,
                    &format!("{key}.values"),
                    format!("{} values for the grid's {n} {what}", values.len()),
                ));
            }
            if let Some((i, v)) = values.iter().enumerate().find(|(_, v)| !(v.is_finite() && inside(**v))) {
                return Err(sidecar_error(
                    path,
                    &format!("{key}.values[{i}]"),
                    format!("{v}: must lie within {lo}..{hi}"),
                ));
            }
            if let Some(i) = values.windows(2).position(|w| (w[1] - w[0]) * direction <= 0.0) {
                return Err(sidecar_error(
                    path,
                    &format!("{key}.values[{}]", i + 1),
                    format!("{}: not strictly monotonic ({sense})", values[i + 1]),
                ));
            }
            let (first, last) = (values[0], values[n - 1]);
            (first, last, 0.0)
        }
    };
    if kind == AxisKind::Longitude && (last - first).abs() + step > 360.0 * (1.0 + SPAN_TOL) {
        return Err(sidecar_error(
            path,
            key,
            format!("{n} columns from {first} to {last} cover more than 360 degrees"),
        ));
    }
    Ok(())
}

/// Refuse an export whose grid and cells would not fit the memory limit, before the grid's axes
/// and the cells are allocated (the sizes are the sidecar's claims, checked against the Parquet
/// footers next).
fn check_memory(path: &Path, s: &Sidecar, cfg: &RunConfig) -> Result<()> {
    let plan = crate::pipeline::memory::plan(cfg, s.columns.len(), 0);
    let g = &s.grid;
    let grid_cells = (g.n_rows as u64).saturating_mul(g.n_cols as u64);
    // The output window is the whole grid up to OUTPUT_FULL_GRID_MAX cells, else at least the cells.
    let window = if grid_cells <= crate::dataset::OUTPUT_FULL_GRID_MAX as u64 {
        grid_cells
    } else {
        s.n_cells
    };
    let axes = 8u64.saturating_mul(g.n_rows as u64 + g.n_cols as u64);
    let need = plan
        .need(
            usize::try_from(s.n_cells).unwrap_or(usize::MAX),
            usize::try_from(window).unwrap_or(usize::MAX),
        )
        .saturating_add(axes);
    if need > plan.limit {
        return Err(sidecar_error(
            path,
            "grid.n_rows, grid.n_cols, n_cells",
            format!(
                "a {} x {} grid with {} cells needs about {}, over the memory limit of {}",
                g.n_rows,
                g.n_cols,
                s.n_cells,
                crate::dataset::format_bytes(need),
                crate::dataset::format_bytes(plan.limit)
            ),
        ));
    }
    Ok(())
}

/// Rows the footers of `files` declare, at most `expected` (`what` names the rows); checked
/// before any row is decoded, so files cannot make landclust decode more than the sidecar said
/// (fewer are decoded, then refused with what is wrong with them).
fn check_declared_rows(dir: &Path, files: &[PathBuf], expected: u64, what: &str) -> Result<()> {
    let mut declared = 0u64;
    for f in files {
        declared = declared.saturating_add(declared_rows(f)?);
    }
    if declared > expected {
        return Err(bad(dir, format!("{declared} {what}")));
    }
    Ok(())
}

/// Grid index `i` of a `row` or `col` column (whole, >= 0, below `n`), `None` otherwise.
fn index_at(column: &NumericColumn, i: usize, n: usize) -> Option<usize> {
    match column {
        NumericColumn::Signed(v) => usize::try_from(v[i]).ok().filter(|&x| x < n),
        NumericColumn::Unsigned(v) => usize::try_from(v[i]).ok().filter(|&x| x < n),
        NumericColumn::Float(v) => {
            let x = v[i];
            (x >= 0.0 && x.fract() == 0.0 && x < n as f64).then_some(x as usize)
        }
    }
}

/// Value `i` of a column as written (integers exactly).
fn value_text(column: &NumericColumn, i: usize) -> String {
    match column {
        NumericColumn::Signed(v) => v[i].to_string(),
        NumericColumn::Unsigned(v) => v[i].to_string(),
        NumericColumn::Float(v) => v[i].to_string(),
    }
}

/// `row`, `col` of entry `i` as grid indices, or an error naming the file when outside the grid.
fn cell_at(file: &Path, rows: &NumericColumn, cols: &NumericColumn, i: usize, s: &Sidecar) -> Result<(usize, usize)> {
    match (index_at(rows, i, s.grid.n_rows), index_at(cols, i, s.grid.n_cols)) {
        (Some(r), Some(c)) => Ok((r, c)),
        _ => Err(bad(
            file,
            format!(
                "row {}, col {} lies outside the export's {} x {} grid",
                value_text(rows, i),
                value_text(cols, i),
                s.grid.n_rows,
                s.grid.n_cols
            ),
        )),
    }
}

/// One axis of the sidecar's grid read value by value, so the cells are checked against it
/// before the axis is allocated.
struct AxisProbe<'a> {
    axis: &'a AxisSpec,
    /// How far a cell's coordinate may lie from its row's (column's) centre: half the axis'
    /// smallest spacing (the centre inside its own cell), 1e-6 degree for a one-value axis.
    tolerance: f64,
}

impl<'a> AxisProbe<'a> {
    fn new(axis: &'a AxisSpec) -> Self {
        let tolerance = match axis {
            AxisSpec::Regular { step, .. } => step.abs() / 2.0,
            AxisSpec::Explicit { values } => values
                .windows(2)
                .map(|w| (w[1] - w[0]).abs() / 2.0)
                .fold(None, |m: Option<f64>, d| Some(m.map_or(d, |m| m.min(d))))
                .unwrap_or(1e-6),
        };
        AxisProbe { axis, tolerance }
    }

    /// Value `i`, as [`AxisSpec::values`] computes it.
    fn at(&self, i: usize) -> f64 {
        match self.axis {
            AxisSpec::Regular { start, step } => start + i as f64 * step,
            AxisSpec::Explicit { values } => values[i],
        }
    }
}

/// Distance in degrees between two longitudes, across the antimeridian.
fn lon_distance(a: f64, b: f64) -> f64 {
    let d = (a - b).rem_euclid(360.0);
    d.min(360.0 - d)
}

/// The cells of an export folder, in grid order, with their values (n x d). Every cell's `lat`
/// and `lon` must lie in its row and column of the sidecar's grid.
fn read_export(dir: &Path, sidecar: &Sidecar) -> Result<(Vec<Cell>, Array2<f64>)> {
    let files = dataset_files(dir)?;
    if files.is_empty() {
        return Err(bad(dir, "no Parquet file in the export folder"));
    }
    let too_few_or_many = format!(
        "rows in the Parquet files but {SIDECAR} says n_cells = {}",
        sidecar.n_cells
    );
    check_declared_rows(dir, &files, sidecar.n_cells, &too_few_or_many)?;
    let (lat_axis, lon_axis) = (AxisProbe::new(&sidecar.grid.lat), AxisProbe::new(&sidecar.grid.lon));
    let d = sidecar.columns.len();
    let mut names: Vec<&str> = vec!["row", "col", "lat", "lon"];
    names.extend(sidecar.columns.iter().map(|c| c.column.as_str()));
    let mut rows: Vec<(u64, Cell, Vec<f64>)> = Vec::new();
    for f in &files {
        let cols = read_typed_columns(f, &names)?;
        for i in 0..cols[0].len() {
            let (r, c) = cell_at(f, &cols[0], &cols[1], i, sidecar)?;
            let (lat, lon) = (cols[2].f64_at(i), cols[3].f64_at(i));
            let (glat, glon) = (lat_axis.at(r), lon_axis.at(c));
            if !((lat - glat).abs() <= lat_axis.tolerance && lon_distance(lon, glon) <= lon_axis.tolerance) {
                return Err(bad(
                    f,
                    format!(
                        "row {r}, col {c} is at lat {lat}, lon {lon} but the grid of {SIDECAR} puts it at lat {glat}, lon {glon}: the sidecar does not describe these files"
                    ),
                ));
            }
            let cell = Cell {
                row: r,
                col: c,
                lat,
                lon,
            };
            rows.push((
                key(r, c, sidecar),
                cell,
                (0..d).map(|j| cols[4 + j].f64_at(i)).collect(),
            ));
        }
    }
    if rows.len() as u64 != sidecar.n_cells {
        return Err(bad(dir, format!("{} {too_few_or_many}", rows.len())));
    }
    rows.sort_by_key(|r| r.0);
    if let Some(w) = rows.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(bad(
            dir,
            format!("cell row {}, col {} is exported twice", w[0].1.row, w[0].1.col),
        ));
    }
    let n = rows.len();
    let mut values = Array2::zeros((n, d));
    let mut cells = Vec::with_capacity(n);
    for (i, (_, cell, v)) in rows.into_iter().enumerate() {
        for (j, x) in v.into_iter().enumerate() {
            values[[i, j]] = x;
        }
        cells.push(cell);
    }
    Ok((cells, values))
}

fn key(r: usize, c: usize, s: &Sidecar) -> u64 {
    r as u64 * s.grid.n_cols as u64 + c as u64
}

/// The export as a prepared table, standardized with the sidecar's statistics. The sidecar is
/// checked first ([`check_sidecar`], [`check_memory`]), then the Parquet files against it.
fn prepared_from_export(dir: &Path, sidecar: &Sidecar, cfg: &RunConfig) -> Result<Prepared> {
    let sidecar_path = dir.join(SIDECAR);
    check_sidecar(&sidecar_path, sidecar)?;
    check_memory(&sidecar_path, sidecar, cfg)?;
    let (cells, values) = read_export(dir, sidecar)?;
    let grid = sidecar.grid.to_grid();
    let names: Vec<String> = sidecar.columns.iter().map(|c| c.variable.clone()).collect();
    let scaler = Standardizer {
        names: names.clone(),
        mean: sidecar.columns.iter().map(|c| c.mean).collect(),
        std: sidecar.columns.iter().map(|c| c.std).collect(),
    };
    let table = CellTable {
        names,
        units: sidecar.columns.iter().map(|c| c.units.clone()).collect(),
        values,
        cells,
        window: Window::full(&grid),
        grid,
        n_selected: sidecar.n_selected as usize,
        n_dropped: sidecar.n_dropped as usize,
        missing_per_variable: sidecar
            .missing_per_variable
            .iter()
            .map(|(v, m)| (v.clone(), *m as usize))
            .collect(),
        selection: sidecar.settings.select.clone(),
        extras: Vec::new(),
    };
    // The real output window, now that the cells are known.
    crate::pipeline::memory::plan(cfg, table.names.len(), 0).check(
        table.cells.len(),
        table.output_window().len(),
        false,
    )?;
    finish_prepared(dir.to_path_buf(), table, scaler)
}

fn finish_prepared(path: PathBuf, table: CellTable, scaler: Standardizer) -> Result<Prepared> {
    let z = scaler.transform(table.values.view())?;
    let correlation = correlation(z.view());
    Ok(Prepared {
        path,
        table,
        scaler,
        z,
        correlation,
        weights: None,
        input_stack: Vec::new(),
        truth_classes: Default::default(),
    })
}

/// Cluster id `i` of a `cluster` column, kept whole: any integer type, or floats holding whole
/// numbers; `None` for a negative, fractional or non-finite value.
fn cluster_id(column: &NumericColumn, i: usize) -> Option<u64> {
    match column {
        NumericColumn::Signed(v) => u64::try_from(v[i]).ok(),
        NumericColumn::Unsigned(v) => Some(v[i]),
        NumericColumn::Float(v) => {
            let x = v[i];
            // 2^64: every whole float below it is a u64 exactly.
            (x >= 0.0 && x.fract() == 0.0 && x < 18_446_744_073_709_551_616.0).then_some(x as u64)
        }
    }
}

/// The labels of `cells` from a labels folder (or one file): every cell exactly one label.
/// Returns the engine's cluster ids compacted to `0..k` (distinct ids in increasing order) and
/// those ids. Ids stay integers end to end (any Parquet integer type, `UINT_64` included).
fn labels_for(labels_dir: &Path, cells: &[Cell], sidecar: &Sidecar) -> Result<(Vec<usize>, Vec<u64>)> {
    let files = if labels_dir.is_file() {
        vec![labels_dir.to_path_buf()]
    } else if labels_dir.is_dir() {
        dataset_files(labels_dir)?
    } else {
        return Err(bad(labels_dir, "no such labels folder or file"));
    };
    if files.is_empty() {
        return Err(bad(labels_dir, "no Parquet file in the labels folder"));
    }
    check_declared_rows(
        labels_dir,
        &files,
        cells.len() as u64,
        &format!(
            "labels for the export's {} cells: the labels must cover exactly the exported cells",
            cells.len()
        ),
    )?;
    let mut found: Vec<(u64, u64)> = Vec::with_capacity(cells.len());
    for f in &files {
        let cols = read_typed_columns(f, &["row", "col", "cluster"])?;
        for i in 0..cols[0].len() {
            let (r, c) = cell_at(f, &cols[0], &cols[1], i, sidecar)?;
            let Some(cluster) = cluster_id(&cols[2], i) else {
                return Err(bad(
                    f,
                    format!(
                        "cluster {} at row {r}, col {c}: not a whole number >= 0",
                        value_text(&cols[2], i)
                    ),
                ));
            };
            found.push((key(r, c, sidecar), cluster));
        }
    }
    found.sort_unstable();
    if let Some(w) = found.windows(2).find(|w| w[0].0 == w[1].0) {
        let n = sidecar.grid.n_cols as u64;
        return Err(bad(
            labels_dir,
            format!("cell row {}, col {} has two labels", w[0].0 / n, w[0].0 % n),
        ));
    }
    if found.len() != cells.len() {
        return Err(bad(
            labels_dir,
            format!(
                "{} labels for the export's {} cells: the labels must cover exactly the exported cells",
                found.len(),
                cells.len()
            ),
        ));
    }
    let mut ids: Vec<u64> = found.iter().map(|f| f.1).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut labels = Vec::with_capacity(cells.len());
    for (cell, (k, cluster)) in cells.iter().zip(&found) {
        if *k != key(cell.row, cell.col, sidecar) {
            return Err(bad(
                labels_dir,
                format!("cell row {}, col {} of the export has no label", cell.row, cell.col),
            ));
        }
        labels.push(ids.partition_point(|i| i < cluster));
    }
    Ok((labels, ids))
}

/// `landclust import LABELS EXPORT --out RUN`.
pub fn import(labels_dir: &Path, export_dir: &Path, o: &OutputSettings) -> Result<RunSummary> {
    let started = Instant::now();
    let sidecar = Sidecar::read(export_dir)?;
    let mut cfg = config_for(&sidecar, export_dir, o);
    let prepared = prepared_from_export(export_dir, &sidecar, &cfg)?;
    let (raw, ids) = labels_for(labels_dir, &prepared.table.cells, &sidecar)?;
    let k = ids.len();
    cfg.k = crate::pipeline::config::KChoice::Fixed(k);
    let centres = cluster_means(prepared.z.view(), &raw, k);
    let note = format!(
        "labels imported from {} (fitted outside landclust); inertia is about the clusters' means in z-space",
        labels_dir.display()
    );
    finish(&cfg, prepared, raw, &ids, centres, note, started)
}

/// The run settings of an import: the export's variables, selection and region, and its input
/// when it came from one file (so `landclust plot` can re-read it).
fn config_for(sidecar: &Sidecar, export_dir: &Path, o: &OutputSettings) -> RunConfig {
    let input = match sidecar.settings.inputs.as_slice() {
        [one] => PathBuf::from(&one.path),
        _ => export_dir.to_path_buf(),
    };
    let mut cfg = RunConfig::new(input);
    cfg.vars = sidecar.settings.vars.clone();
    cfg.select = sidecar.settings.select.clone();
    cfg.region = sidecar.settings.region.clone();
    apply_output(&mut cfg, o);
    cfg
}

fn apply_output(cfg: &mut RunConfig, o: &OutputSettings) {
    cfg.out = o.out.clone();
    cfg.figures = o.figures;
    cfg.seed = o.seed;
    cfg.scale = o.scale.clone();
    cfg.method = Method::Kmeans;
    cfg.reduce = Reduce::None;
}

/// Mean of each cluster's rows of `x` (k x d).
fn cluster_means(x: ArrayView2<f64>, labels: &[usize], k: usize) -> Array2<f64> {
    let mut sums = Array2::<f64>::zeros((k, x.ncols()));
    let mut counts = vec![0usize; k];
    for (row, &l) in x.outer_iter().zip(labels) {
        let mut s = sums.row_mut(l);
        s += &row;
        counts[l] += 1;
    }
    for (mut s, &c) in sums.outer_iter_mut().zip(&counts) {
        s /= c.max(1) as f64;
    }
    sums
}

/// Sum of squared distances of the rows of `x` to their centres.
fn inertia(x: ArrayView2<f64>, labels: &[usize], centres: &Array2<f64>) -> f64 {
    x.outer_iter()
        .zip(labels)
        .map(|(row, &l)| {
            row.iter()
                .zip(centres.row(l).iter())
                .map(|(a, b)| (a - b) * (a - b))
                .sum::<f64>()
        })
        .sum()
}

/// Score the labels and write the run folder, as `landclust run` does.
#[allow(clippy::too_many_arguments)]
fn finish(
    cfg: &RunConfig,
    prepared: Prepared,
    raw: Vec<usize>,
    engine_ids: &[u64],
    centres: Array2<f64>,
    note: String,
    started: Instant,
) -> Result<RunSummary> {
    let k = engine_ids.len();
    if k < 2 {
        return Err(bad(&cfg.input, format!("{k} cluster(s): scores need at least 2")));
    }
    // The maps colour at most MAX_CLUSTERS clusters; the data files hold any number (labels.tif
    // turns 16-bit), so a larger import is written without figures, when asked for.
    let most = crate::pipeline::options::MAX_CLUSTERS;
    if cfg.figures && k > most {
        return Err(crate::pipeline::config::option_error(
            "--no-figures",
            format!(
                "{k} clusters imported but the maps and report.html show at most {most}: add --no-figures (labels.nc, labels.tif and labels.csv hold them all)"
            ),
        ));
    }
    let stage = StagedDir::new(&cfg.out)?;
    let space = analysis::space_from(Reduce::None, &prepared, None)?;
    let z = prepared.z.view();
    let inertia = inertia(z, &raw, &centres);
    let labels = analysis::stable_order(&prepared, &raw, k);
    let mut mapping = vec![0usize; k];
    for (&r, &l) in raw.iter().zip(&labels) {
        mapping[r] = l;
    }
    let map_text = engine_ids
        .iter()
        .zip(&mapping)
        .map(|(e, l)| format!("{e}->{l}"))
        .collect::<Vec<_>>()
        .join(", ");
    let notes = vec![
        note,
        format!("cluster numbers renumbered by landclust's stable order (engine -> landclust): {map_text}"),
    ];
    let scores = analysis::scores(z, &labels, &cfg.scale, cfg.seed)?;
    let analysed = Analysed {
        clustering: Clustering {
            method: Method::Kmeans,
            k,
            labels,
            inertia: Some(inertia),
            ward: None,
            embedding: None,
            membership: None,
            diagnostics: vec![("inertia".into(), inertia)],
            notes,
            names: Vec::new(),
        },
        scores,
        scores_standardized: None,
        truths: Vec::new(),
        elbow: None,
        gap: None,
        k_choice: None,
        seconds: started.elapsed().as_secs_f64(),
    };
    let run = analysed.as_result(cfg, &prepared, &space);
    outputs::write_data_files(stage.path(), &run)?;
    if cfg.figures {
        crate::pipeline::run::figures::draw_run(&stage, &run)?;
    }
    let metrics = run.metrics();
    let out = stage.commit()?;
    Ok(RunSummary { out, metrics })
}

/// The parts of the Spark job's `centers.json` that `assign` needs.
#[derive(Debug, Clone, Deserialize)]
pub struct CentresFile {
    /// Variable specs, one per coordinate.
    pub vars: Vec<String>,
    /// Means and population standard deviations the job standardized with.
    pub mean: Vec<f64>,
    pub std: Vec<f64>,
    /// k rows of z-space coordinates.
    pub centers_z: Vec<Vec<f64>>,
    /// The export's selection (default: land).
    #[serde(default)]
    pub select: Option<crate::dataset::Selection>,
}

impl CentresFile {
    /// Read and check a centres file: one mean, std and centre coordinate per variable.
    pub fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| crate::io::IoError::os(path, e))?;
        let c: CentresFile =
            serde_json::from_str(&text).map_err(|e| bad(path, format!("not a centers.json of the Spark job: {e}")))?;
        let d = c.vars.len();
        if c.mean.len() != d || c.std.len() != d {
            return Err(bad(
                path,
                format!(
                    "{} variables but {} means and {} standard deviations",
                    d,
                    c.mean.len(),
                    c.std.len()
                ),
            ));
        }
        if let Some((i, row)) = c.centers_z.iter().enumerate().find(|(_, r)| r.len() != d) {
            return Err(bad(
                path,
                format!(
                    "centre {i} has {} coordinates for the {d} variables {}",
                    row.len(),
                    c.vars.join(",")
                ),
            ));
        }
        if c.centers_z.len() < 2 {
            return Err(bad(path, "fewer than 2 centres"));
        }
        if c.std.iter().any(|s| !(s.is_finite() && *s > 0.0)) {
            return Err(bad(path, "a standard deviation is not a positive number"));
        }
        Ok(c)
    }
}

/// `landclust assign FILE --centers centers.json --out RUN`.
pub fn assign(
    input: &Path,
    centres_path: &Path,
    select: Option<crate::dataset::Selection>,
    region: Option<crate::pipeline::config::Region>,
    o: &OutputSettings,
    progress: bool,
) -> Result<RunSummary> {
    let started = Instant::now();
    let c = CentresFile::read(centres_path)?;
    let mut cfg = RunConfig::new(input);
    cfg.vars = c.vars.clone();
    cfg.select = select.or_else(|| c.select.clone()).unwrap_or_default();
    cfg.region = region;
    apply_output(&mut cfg, o);
    let k = c.centers_z.len();
    cfg.k = crate::pipeline::config::KChoice::Fixed(k);
    let reader = crate::pipeline::memory::open_input(&cfg)?;
    let window = cfg
        .region
        .as_ref()
        .map(|r| Window::from_box(reader.grid(), r.bbox()))
        .transpose()?;
    let request = TableRequest {
        window,
        region: cfg.region.as_ref().map(|r| *r.bbox()),
        memory: Some(crate::pipeline::memory::plan(&cfg, cfg.vars.len(), 0)),
        progress,
        ..TableRequest::new(&cfg.vars, &cfg.select)
    };
    let table = CellTable::read(reader.as_ref(), &request)?;
    let scaler = Standardizer {
        names: c.vars.clone(),
        mean: Array1::from(c.mean.clone()),
        std: Array1::from(c.std.clone()),
    };
    let prepared = finish_prepared(input.to_path_buf(), table, scaler)?;
    let centres = Array2::from_shape_fn((k, c.vars.len()), |(i, j)| c.centers_z[i][j]);
    // K-Means' own assignment (nearest centre, the lower index on ties) through the method seam.
    let model = crate::pipeline::run::methods::clusterer(&cfg)?
        .model_from_centres(centres.clone())
        .ok_or_else(|| bad(centres_path, "K-Means builds no model from centres"))?;
    let nearest_raw = model.predict(prepared.z.view())?;
    // Centres nearest to no cell of this file are left out (k shrinks; the note says which).
    let mut used = vec![false; k];
    nearest_raw.iter().for_each(|&l| used[l] = true);
    let ids: Vec<u64> = (0..k).filter(|&i| used[i]).map(|i| i as u64).collect();
    let raw: Vec<usize> = nearest_raw
        .iter()
        .map(|&l| ids.partition_point(|&i| i < l as u64))
        .collect();
    let kept = Array2::from_shape_fn((ids.len(), c.vars.len()), |(i, j)| centres[[ids[i] as usize, j]]);
    cfg.k = crate::pipeline::config::KChoice::Fixed(ids.len());
    let mut note = format!(
        "labels assigned to the nearest of the {k} centres of {} (z-scored with its statistics); inertia is about those centres",
        centres_path.display()
    );
    if ids.len() < k {
        note.push_str(&format!(
            "; {} centre(s) nearest to no cell were left out",
            k - ids.len()
        ));
    }
    finish(&cfg, prepared, raw, &ids, kept, note, started)
}

#[cfg(test)]
#[path = "import_tests.rs"]
mod tests;
