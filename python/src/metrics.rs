//! Scores: thin wrappers of `landclust::metrics` (see the docstrings in `landclust/metrics.py`).

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;

use crate::value_error;
use landclust::metrics;

/// Mean silhouette of all rows of `x` (f64, any layout) for labels `0..k`.
#[pyfunction]
fn silhouette_score(
    py: Python<'_>,
    x: PyReadonlyArray2<'_, f64>,
    labels: PyReadonlyArray1<'_, usize>,
) -> PyResult<f64> {
    let (x, labels) = (x.as_array(), labels.as_array());
    py.detach(|| metrics::silhouette(x, &labels.to_vec()))
        .map_err(value_error)
}

/// Silhouette of each row of `x`.
#[pyfunction]
fn silhouette_samples<'py>(
    py: Python<'py>,
    x: PyReadonlyArray2<'py, f64>,
    labels: PyReadonlyArray1<'py, usize>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let (xv, lv) = (x.as_array(), labels.as_array());
    let s = py
        .detach(|| metrics::silhouette_samples(xv, &lv.to_vec()))
        .map_err(value_error)?;
    Ok(s.into_pyarray(py))
}

/// Davies-Bouldin index.
#[pyfunction]
fn davies_bouldin_score(
    py: Python<'_>,
    x: PyReadonlyArray2<'_, f64>,
    labels: PyReadonlyArray1<'_, usize>,
) -> PyResult<f64> {
    let (x, labels) = (x.as_array(), labels.as_array());
    py.detach(|| metrics::davies_bouldin(x, &labels.to_vec()))
        .map_err(value_error)
}

/// Calinski-Harabasz index.
#[pyfunction]
fn calinski_harabasz_score(
    py: Python<'_>,
    x: PyReadonlyArray2<'_, f64>,
    labels: PyReadonlyArray1<'_, usize>,
) -> PyResult<f64> {
    let (x, labels) = (x.as_array(), labels.as_array());
    py.detach(|| metrics::calinski_harabasz(x, &labels.to_vec()))
        .map_err(value_error)
}

/// Adjusted Rand index of two labelings `0..k`.
#[pyfunction]
fn adjusted_rand_score(
    py: Python<'_>,
    a: PyReadonlyArray1<'_, usize>,
    b: PyReadonlyArray1<'_, usize>,
) -> PyResult<f64> {
    let (a, b) = (a.as_array().to_vec(), b.as_array().to_vec());
    py.detach(|| metrics::adjusted_rand_index(&a, &b)).map_err(value_error)
}

/// Normalized mutual information (arithmetic mean of the entropies) of two labelings.
#[pyfunction]
fn normalized_mutual_info_score(
    py: Python<'_>,
    a: PyReadonlyArray1<'_, usize>,
    b: PyReadonlyArray1<'_, usize>,
) -> PyResult<f64> {
    let (a, b) = (a.as_array().to_vec(), b.as_array().to_vec());
    py.detach(|| metrics::normalized_mutual_info(&a, &b))
        .map_err(value_error)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(silhouette_score, m)?)?;
    m.add_function(wrap_pyfunction!(silhouette_samples, m)?)?;
    m.add_function(wrap_pyfunction!(davies_bouldin_score, m)?)?;
    m.add_function(wrap_pyfunction!(calinski_harabasz_score, m)?)?;
    m.add_function(wrap_pyfunction!(adjusted_rand_score, m)?)?;
    m.add_function(wrap_pyfunction!(normalized_mutual_info_score, m)?)?;
    Ok(())
}
