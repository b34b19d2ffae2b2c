//! `landclust.run`: the pipeline of `landclust run` on a file or on in-memory grids (an xarray
//! Dataset's variables, handed over as a [`GridDataset`], no temporary file).

use std::path::PathBuf;

use ndarray::Array2;
use numpy::{IntoPyArray, PyArray1, PyArray2, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;

use crate::{to_py, value_error};
use landclust::dataset::{Grid, GridDataset, GridSource, GridVariable, Orientation, Selection};
use landclust::pipeline::{self, Computed, RunConfig};

/// The options of `landclust.run`, as the CLI spells them.
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
struct Options {
    vars: Vec<String>,
    select: String,
    reduce: String,
    method: String,
    k: String,
    seed: u64,
    n_init: usize,
    region: Option<String>,
    figures: bool,
    progress: bool,
}

impl Options {
    /// The run's configuration, every option parsed (and checked) as on the command line.
    fn config(&self, input: PathBuf) -> PyResult<RunConfig> {
        let mut cfg = RunConfig::new(input);
        cfg.vars = self.vars.clone();
        cfg.select = self.select.parse().map_err(value_error)?;
        cfg.reduce = self.reduce.parse().map_err(to_py)?;
        cfg.method = self.method.parse().map_err(to_py)?;
        cfg.k = self.k.parse().map_err(to_py)?;
        cfg.seed = self.seed;
        cfg.n_init = self.n_init;
        cfg.region = self.region.clone();
        cfg.figures = self.figures;
        Ok(cfg)
    }
}

/// A computed run (see `landclust.RunResult`).
#[pyclass(name = "Computed", module = "landclust._core")]
struct PyComputed {
    computed: Computed,
}

#[pymethods]
impl PyComputed {
    /// metrics.json's content, as JSON text.
    fn metrics_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.computed.metrics).map_err(value_error)
    }

    /// Cluster of each kept cell, in grid order.
    fn labels<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<usize>> {
        self.computed.analysed.clustering.labels.clone().into_pyarray(py)
    }

    /// `(lat, lon, labels)`: the axes of the output window (north first, west to east) and the
    /// labels on it, `NaN` where no cell was kept (as in labels.nc).
    #[allow(clippy::type_complexity)]
    fn labels_grid<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(
        Bound<'py, PyArray1<f64>>,
        Bound<'py, PyArray1<f64>>,
        Bound<'py, PyArray2<f64>>,
    )> {
        let table = &self.computed.prepared.table;
        let window = table.output_window();
        let sub = table.grid.sub_grid(&window);
        let per_row: Vec<f64> = self
            .computed
            .analysed
            .clustering
            .labels
            .iter()
            .map(|&l| l as f64)
            .collect();
        let values = table.to_window(&window, &per_row);
        let grid = Array2::from_shape_vec((sub.n_rows, sub.n_cols), values).map_err(value_error)?;
        Ok((
            sub.lat.into_pyarray(py),
            sub.lon.into_pyarray(py),
            grid.into_pyarray(py),
        ))
    }

    /// Write the output folder of `landclust run` to `out` (atomically); returns its path.
    fn write(&self, py: Python<'_>, out: PathBuf) -> PyResult<String> {
        let computed = &self.computed;
        let path = py.detach(|| computed.write(&out)).map_err(to_py)?;
        Ok(path.display().to_string())
    }
}

/// Run the pipeline on a file (netCDF, or anything `landclust run` opens).
#[pyfunction]
fn run_file(py: Python<'_>, path: PathBuf, options: Options) -> PyResult<PyComputed> {
    let mut cfg = options.config(path)?;
    // Series `NAME[*]` become `NAME[0] .. NAME[n-1]`, as on the command line.
    cfg.vars = landclust::pipeline::config::expand_series(&cfg.input, std::mem::take(&mut cfg.vars)).map_err(to_py)?;
    let progress = options.progress;
    let computed = py
        .detach(|| {
            let reader = landclust::io::open_input(&cfg.input)?;
            pipeline::compute(&cfg, reader.as_ref(), progress)
        })
        .map_err(to_py)?;
    Ok(PyComputed { computed })
}

/// Run the pipeline on in-memory variables `(name, values n_rows x n_cols, units)` on the grid of
/// 1-D axes `lat` (north first) and `lon` (west to east, -180..180); `name` names the input.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn run_grid(
    py: Python<'_>,
    name: String,
    lat: PyReadonlyArray1<'_, f64>,
    lon: PyReadonlyArray1<'_, f64>,
    lat_var: String,
    lon_var: String,
    variables: Vec<(String, PyReadonlyArray2<'_, f64>, Option<String>)>,
    options: Options,
) -> PyResult<PyComputed> {
    let (lat, lon) = (lat.as_array().to_vec(), lon.as_array().to_vec());
    let (n_rows, n_cols) = (lat.len(), lon.len());
    let mut loaded = Vec::with_capacity(variables.len());
    for (var, values, units) in &variables {
        let v = values.as_array();
        if v.dim() != (n_rows, n_cols) {
            return Err(value_error(format!(
                "variable {var}: shape {:?} is not the grid's ({n_rows}, {n_cols})",
                v.dim()
            )));
        }
        loaded.push(GridVariable {
            name: var.clone(),
            units: units.clone(),
            long_name: None,
            values: v.iter().copied().collect(),
        });
    }
    let ds = GridDataset {
        path: PathBuf::from(&name),
        grid: Grid {
            n_rows,
            n_cols,
            lat,
            lon,
            source: GridSource::OneD { lat_var, lon_var },
            orientation: Orientation::default(),
        },
        variables: loaded,
    };
    let cfg = options.config(PathBuf::from(name))?;
    let progress = options.progress;
    let computed = py.detach(|| pipeline::compute(&cfg, &ds, progress)).map_err(to_py)?;
    Ok(PyComputed { computed })
}

/// The variable a selection (`land`, `sea:50:LandFraction`, `mask:VAR`, `all`) reads, if any.
#[pyfunction]
fn selection_variable(select: &str) -> PyResult<Option<String>> {
    let selection: Selection = select.parse().map_err(value_error)?;
    Ok(selection.variable().map(str::to_string))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyComputed>()?;
    m.add_function(wrap_pyfunction!(run_file, m)?)?;
    m.add_function(wrap_pyfunction!(run_grid, m)?)?;
    m.add_function(wrap_pyfunction!(selection_variable, m)?)?;
    Ok(())
}
