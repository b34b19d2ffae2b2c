//! The first stage of a run: read the selected cells of the grid into a table, in blocks of
//! rows under the memory plan, and standardize it.

use crate::dataset::{BlockReader, CellTable, TableRequest, Window};
use crate::error::Result;
use crate::features::{Standardizer, correlation};
use crate::pipeline::config::RunConfig;
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
    let window = cfg
        .region
        .as_ref()
        .map(|r| Window::from_box(reader.grid(), r.bbox()))
        .transpose()?;
    let extras: Vec<String> = cfg.truth.iter().filter(|&t| !cfg.vars.contains(t)).cloned().collect();
    let request = TableRequest {
        extras,
        window,
        memory: Some(crate::pipeline::memory::plan(
            cfg,
            cfg.vars.len(),
            cfg.truth.iter().count(),
        )),
        progress,
        ..TableRequest::new(&cfg.vars, &cfg.select)
    };
    let table = CellTable::read(reader, &request)?;
    let scaler = Standardizer::fit(table.values.view(), &table.names)?;
    let z = scaler.transform(table.values.view())?;
    let correlation = correlation(z.view());
    Ok(Prepared {
        path: cfg.input.clone(),
        table,
        scaler,
        z,
        correlation,
    })
}
