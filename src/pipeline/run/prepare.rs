//! The first stage of a run: read the selected cells of the grid into a table, in blocks of
//! rows under the memory plan, and standardize it.

use crate::dataset::{BlockReader, CellTable, TableRequest, Window};
use crate::error::Result;
use crate::features::{Standardizer, correlation_weighted, normalised_weights};
use crate::pipeline::config::{RunConfig, Weights};
use ndarray::Array2;

/// The loaded data of a run: the cell table (with its grid) and its z-scores.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The input file.
    pub path: std::path::PathBuf,
    pub table: CellTable,
    pub scaler: Standardizer,
    /// Standardized variables (n x d), the "original space" of the scores.
    pub z: Array2<f64>,
    pub correlation: Array2<f64>,
    /// Weight of each cell (`--weights area`: its area, scaled to mean 1); `None` when every
    /// cell counts once (`--weights none`, or cells of equal area).
    pub weights: Option<ndarray::Array1<f64>>,
    /// The stacks of files the input reads as series, with their entries' labels (recorded in
    /// metrics.json `input_stack`); empty for any other input.
    pub input_stack: Vec<crate::dataset::StackInfo>,
    /// The class names the input gives its truth variables (CF `flag_values`/`flag_meanings`),
    /// by variable; a variable without them is absent.
    pub truth_classes: std::collections::BTreeMap<String, Vec<(i64, String)>>,
}

/// Load the file, select cells, build the table and standardize it.
pub fn prepare(cfg: &RunConfig) -> Result<Prepared> {
    prepare_with(cfg, false)
}

/// [`prepare`], with progress bars on stderr when `progress`. The table is read in blocks of
/// rows (only the selected cells are kept) after the memory estimate is checked against the
/// limit ([`crate::pipeline::memory`]); `--region` reads only its rows and columns.
pub fn prepare_with(cfg: &RunConfig, progress: bool) -> Result<Prepared> {
    let reader = crate::pipeline::memory::open_input(cfg)?;
    prepare_from(cfg, reader.as_ref(), progress)
}

/// [`prepare_with`] on an already opened grid: a file, or an in-memory
/// [`crate::dataset::GridDataset`] (the Python package hands an xarray Dataset over this way).
/// `cfg.input` is only recorded as the input's name.
pub fn prepare_from(cfg: &RunConfig, reader: &dyn BlockReader, progress: bool) -> Result<Prepared> {
    check_default_variables(cfg, reader)?;
    let window = cfg
        .region
        .as_ref()
        .map(|r| Window::from_box(reader.grid(), r.bbox()))
        .transpose()?;
    let extras: Vec<String> = cfg.truth.iter().filter(|&t| !cfg.vars.contains(t)).cloned().collect();
    let request = TableRequest {
        extras,
        window,
        region: cfg.region.as_ref().map(|r| *r.bbox()),
        memory: Some(crate::pipeline::memory::plan(
            cfg,
            cfg.vars.len(),
            cfg.truth.iter().count(),
        )),
        progress,
        ..TableRequest::new(&cfg.vars, &cfg.select)
    };
    let table = CellTable::read(reader, &request)?;
    let weights = cell_weights(cfg.weights, &table)?;
    let w = weights.as_ref().map(|w| w.view());
    let scaler = Standardizer::fit_weighted(table.values.view(), &table.names, w)?;
    let z = scaler.transform(table.values.view())?;
    let correlation = correlation_weighted(z.view(), w);
    Ok(Prepared {
        path: cfg.input.clone(),
        table,
        scaler,
        z,
        correlation,
        weights,
        input_stack: reader.stacks(),
        truth_classes: cfg
            .truth
            .iter()
            .map(|t| (t.clone(), reader.class_names(t)))
            .filter(|(_, names)| !names.is_empty())
            .collect(),
    })
}

/// The weight of each cell of `table` under `weights` (see [`Prepared::weights`]).
pub fn cell_weights(weights: Weights, table: &CellTable) -> Result<Option<ndarray::Array1<f64>>> {
    Ok(match weights {
        Weights::None => None,
        Weights::Area => normalised_weights(&crate::dataset::area::cell_areas_km2(&table.grid, &table.cells))?,
    })
}

/// With the default variables (the GRASP study's, what `run` reads without `--vars`) on a file
/// that lacks one of them: a one-line error that lists the file's own variables and says how to
/// choose, rather than the reader's "NDVI: not in the file".
fn check_default_variables(cfg: &RunConfig, reader: &dyn BlockReader) -> Result<()> {
    let defaults = crate::pipeline::config::STUDY_VARIABLES;
    if cfg.vars.iter().map(String::as_str).ne(defaults.iter().copied()) {
        return Ok(());
    }
    let Some(missing) = defaults.iter().find(|v| reader.units(v).is_err()) else {
        return Ok(());
    };
    let names = reader.variable_names();
    // A variable with an extra dimension (months) is suggested as its mean over it.
    let readable: Vec<String> = names
        .iter()
        .map(|n| match reader.units(n) {
            Err(_) if reader.units(&format!("{n}:mean")).is_ok() => format!("{n}:mean"),
            _ => n.clone(),
        })
        .collect();
    let has = if names.is_empty() {
        String::new()
    } else {
        format!(
            "; its variables: {}; choose some with --vars {}",
            names.join(", "),
            readable.iter().take(3).cloned().collect::<Vec<_>>().join(",")
        )
    };
    let select = match cfg.select.variable() {
        Some(v) if reader.units(v).is_err() => format!("; it has no {v} either: add --select all (or mask:VAR)"),
        _ => String::new(),
    };
    Err(crate::pipeline::config::option_error(
        "--vars",
        format!(
            "not given, so the default variables ({}) are read, but {} has no {missing}{has}{select}",
            defaults.join(","),
            reader.source().display()
        ),
    ))
}
