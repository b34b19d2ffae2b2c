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

use super::export::Sidecar;
use crate::dataset::{Cell, CellTable, TableRequest, Window};
use crate::error::{Error, Result};
use crate::features::{Standardizer, correlation};
use crate::io::parquet::{dataset_files, read_numeric_columns};
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

/// The cells of an export folder, in grid order, with their values (n x d).
fn read_export(dir: &Path, sidecar: &Sidecar) -> Result<(Vec<Cell>, Array2<f64>)> {
    let files = dataset_files(dir)?;
    if files.is_empty() {
        return Err(bad(dir, "no Parquet file in the export folder"));
    }
    let d = sidecar.columns.len();
    let mut names: Vec<&str> = vec!["row", "col", "lat", "lon"];
    names.extend(sidecar.columns.iter().map(|c| c.column.as_str()));
    let mut rows: Vec<(u64, Cell, Vec<f64>)> = Vec::new();
    for f in &files {
        let cols = read_numeric_columns(f, &names)?;
        for (i, (&row, &col)) in cols[0].iter().zip(&cols[1]).enumerate() {
            let (r, c) = check_cell(f, row, col, sidecar)?;
            let cell = Cell {
                row: r,
                col: c,
                lat: cols[2][i],
                lon: cols[3][i],
            };
            rows.push((key(r, c, sidecar), cell, (0..d).map(|j| cols[4 + j][i]).collect()));
        }
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

/// `row`, `col` as grid indices, or an error naming the file when outside the grid.
fn check_cell(file: &Path, row: f64, col: f64, s: &Sidecar) -> Result<(usize, usize)> {
    let inside = |v: f64, n: usize| v >= 0.0 && v.fract() == 0.0 && v < n as f64;
    if !inside(row, s.grid.n_rows) || !inside(col, s.grid.n_cols) {
        return Err(bad(
            file,
            format!(
                "row {row}, col {col} lies outside the export's {} x {} grid",
                s.grid.n_rows, s.grid.n_cols
            ),
        ));
    }
    Ok((row as usize, col as usize))
}

/// The export as a prepared table, standardized with the sidecar's statistics.
fn prepared_from_export(dir: &Path, sidecar: &Sidecar) -> Result<Prepared> {
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
    })
}

/// The labels of `cells` from a labels folder (or one file): every cell exactly one label.
/// Returns the engine's cluster numbers compacted to `0..k` (in increasing order) and `k`.
fn labels_for(labels_dir: &Path, cells: &[Cell], sidecar: &Sidecar) -> Result<(Vec<usize>, Vec<i64>)> {
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
    let mut found: Vec<(u64, i64)> = Vec::with_capacity(cells.len());
    for f in &files {
        let cols = read_numeric_columns(f, &["row", "col", "cluster"])?;
        for ((&row, &col), &cluster) in cols[0].iter().zip(&cols[1]).zip(&cols[2]) {
            let (r, c) = check_cell(f, row, col, sidecar)?;
            if cluster.fract() != 0.0 || cluster < 0.0 {
                return Err(bad(
                    f,
                    format!("cluster {cluster} at row {r}, col {c}: not a whole number >= 0"),
                ));
            }
            found.push((key(r, c, sidecar), cluster as i64));
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
    let mut ids: Vec<i64> = found.iter().map(|f| f.1).collect();
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
    let prepared = prepared_from_export(export_dir, &sidecar)?;
    let (raw, ids) = labels_for(labels_dir, &prepared.table.cells, &sidecar)?;
    let k = ids.len();
    let mut cfg = config_for(&sidecar, export_dir, o);
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
    engine_ids: &[i64],
    centres: Array2<f64>,
    note: String,
    started: Instant,
) -> Result<RunSummary> {
    let k = engine_ids.len();
    if k < 2 {
        return Err(bad(&cfg.input, format!("{k} cluster(s): scores need at least 2")));
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
        },
        scores,
        scores_standardized: None,
        truth: None,
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
    let reader = crate::io::open_input(input)?;
    let window = cfg
        .region
        .as_ref()
        .map(|r| Window::from_box(reader.grid(), r.bbox()))
        .transpose()?;
    let request = TableRequest {
        window,
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
    let ids: Vec<i64> = (0..k).filter(|&i| used[i]).map(|i| i as i64).collect();
    let raw: Vec<usize> = nearest_raw
        .iter()
        .map(|&l| ids.partition_point(|&i| i < l as i64))
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
