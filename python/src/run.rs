//! `landclust.run`: the pipeline of `landclust run` on a file or on in-memory grids (an xarray
//! Dataset's variables, handed over as a [`GridDataset`], no temporary file).

use std::path::PathBuf;

use ndarray::Array2;
use numpy::{IntoPyArray, PyArray1, PyArray2, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;

use crate::{to_py, value_error};
use landclust::dataset::{Grid, GridDataset, GridSource, GridVariable, Orientation};
use landclust::pipeline::options::RunOptions;
use landclust::pipeline::{self, Computed, RunConfig};

/// The run's configuration from `landclust.run`'s keyword arguments, handed over as a JSON
/// object whose keys are the config file's ([`RunOptions::keys`], `_` for `-`): parsed and
/// checked by the same code as the command line's flags and `--config` file, so a bad value
/// raises the CLI's own one-line message. `input` names the source.
fn config(options: &str, input: PathBuf) -> PyResult<RunConfig> {
    let mut options = RunOptions::from_json(options).map_err(to_py)?;
    if options.input.is_some() {
        return Err(value_error("option input: give the source as run()'s first argument"));
    }
    options.input = Some(input);
    options.resolve().map_err(to_py)
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

    /// `None` on a geographic grid (`labels_grid`'s axes are then latitude and longitude);
    /// on a projected one `(lat, lon, crs)`: the latitude and longitude (degrees) of each cell
    /// centre of the labels grid by the inverse projection, `NaN` outside the projection's
    /// domain (as labels.nc's 2-D `lat`/`lon`), and the projected CRS's name, since
    /// `labels_grid`'s axes are then the projection's y and x.
    #[allow(clippy::type_complexity)]
    fn projected_lat_lon<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<Option<(Bound<'py, PyArray2<f64>>, Bound<'py, PyArray2<f64>>, String)>> {
        let table = &self.computed.prepared.table;
        let sub = table.grid.sub_grid(&table.output_window());
        let Some(projection) = sub.projection.clone() else {
            return Ok(None);
        };
        let locator = sub.locator().map_err(value_error)?;
        let shape = (sub.n_rows, sub.n_cols);
        let mut lat = Array2::<f64>::zeros(shape);
        let mut lon = Array2::<f64>::zeros(shape);
        for r in 0..sub.n_rows {
            for c in 0..sub.n_cols {
                let (x, y) = locator.lon_lat(r, c);
                lon[[r, c]] = x;
                lat[[r, c]] = y;
            }
        }
        Ok(Some((
            lat.into_pyarray(py),
            lon.into_pyarray(py),
            projection.to_string(),
        )))
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
fn run_file(py: Python<'_>, path: PathBuf, options: &str, progress: bool) -> PyResult<PyComputed> {
    let mut cfg = config(options, path)?;
    // Series `NAME[*]` become `NAME[0] .. NAME[n-1]`, as on the command line.
    cfg.vars = landclust::pipeline::config::expand_series(&cfg.input, std::mem::take(&mut cfg.vars)).map_err(to_py)?;
    let computed = py
        .detach(|| {
            let reader = landclust::pipeline::memory::open_input(&cfg)?;
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
    options: &str,
    progress: bool,
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
            crs: None,
            projection: None,
        },
        variables: loaded,
    };
    let cfg = config(options, PathBuf::from(name))?;
    let computed = py.detach(|| pipeline::compute(&cfg, &ds, progress)).map_err(to_py)?;
    Ok(PyComputed { computed })
}

/// The variables a run with `options` reads from an in-memory Dataset: the chosen variables
/// (canonical spelling), then the selection's and the truth's when they are others.
#[pyfunction]
fn needed_variables(options: &str) -> PyResult<Vec<String>> {
    let cfg = config(options, PathBuf::from("<xarray.Dataset>"))?;
    let mut names = cfg.vars.clone();
    for extra in cfg
        .select
        .variable()
        .into_iter()
        .chain(cfg.truth.iter().map(String::as_str))
    {
        if !names.iter().any(|n| n == extra) {
            names.push(extra.to_string());
        }
    }
    Ok(names)
}

/// The keyword arguments `landclust.run` passes on: the config file's keys with `_` for `-`.
#[pyfunction]
fn option_keys() -> Vec<String> {
    RunOptions::keys().iter().map(|k| k.replace('-', "_")).collect()
}

/// The labels table of a run folder (`labels.csv` or `labels.parquet`): `(row, col, cluster,
/// membership)`, membership `None` when the run's method gave none.
#[pyfunction]
#[allow(clippy::type_complexity)]
fn read_labels<'py>(
    py: Python<'py>,
    folder: PathBuf,
) -> PyResult<(
    Bound<'py, PyArray1<usize>>,
    Bound<'py, PyArray1<usize>>,
    Bound<'py, PyArray1<usize>>,
    Option<Bound<'py, PyArray1<f64>>>,
)> {
    let table = py
        .detach(|| pipeline::run::cell_tables::read_labels_table(&folder))
        .map_err(to_py)?;
    let (mut row, mut col, mut cluster) = (Vec::new(), Vec::new(), Vec::new());
    for &(r, c, l) in &table.rows {
        row.push(r);
        col.push(c);
        cluster.push(l);
    }
    Ok((
        row.into_pyarray(py),
        col.into_pyarray(py),
        cluster.into_pyarray(py),
        table.membership.map(|m| m.into_pyarray(py)),
    ))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyComputed>()?;
    m.add_function(wrap_pyfunction!(run_file, m)?)?;
    m.add_function(wrap_pyfunction!(run_grid, m)?)?;
    m.add_function(wrap_pyfunction!(needed_variables, m)?)?;
    m.add_function(wrap_pyfunction!(option_keys, m)?)?;
    m.add_function(wrap_pyfunction!(read_labels, m)?)?;
    Ok(())
}
