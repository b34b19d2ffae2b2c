//! Clusterers: exact Ward linkage and K-Means from `landclust::cluster`.

use ndarray::Array2;
use numpy::{IntoPyArray, PyArray1, PyArray2, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;

use crate::value_error;
use landclust::cluster::ClusterError;
use landclust::cluster::kmeans::{KMeans, KMeansAlgorithm, KMeansParams};
use landclust::cluster::ward::{WardParams, WardTree};

/// scipy's `(n - 1, 4)` Ward linkage matrix of the rows of `x`.
#[pyfunction]
fn ward_linkage<'py>(py: Python<'py>, x: PyReadonlyArray2<'py, f64>) -> PyResult<Bound<'py, PyArray2<f64>>> {
    let xv = x.as_array();
    let tree = py.detach(|| WardParams::new().fit(xv)).map_err(value_error)?;
    Ok(scipy_matrix(&tree)?.into_pyarray(py))
}

/// Ward tree of the rows of `x` cut into `k` clusters: `(linkage, labels)`, labels `0..k`
/// numbered by first point.
#[pyfunction]
#[allow(clippy::type_complexity)]
fn ward_fit<'py>(
    py: Python<'py>,
    x: PyReadonlyArray2<'py, f64>,
    k: usize,
) -> PyResult<(Bound<'py, PyArray2<f64>>, Bound<'py, PyArray1<usize>>)> {
    let xv = x.as_array();
    // k is checked before the tree is built (the library's messages, as `cut` would give them).
    if k == 0 {
        return Err(value_error(ClusterError::ZeroClusters));
    }
    if k > xv.nrows() {
        return Err(value_error(ClusterError::TooManyClusters { k, points: xv.nrows() }));
    }
    let (tree, labels) = py
        .detach(|| {
            let tree = WardParams::new().fit(xv)?;
            let labels = tree.cut(k)?;
            Ok::<_, ClusterError>((tree, labels))
        })
        .map_err(value_error)?;
    Ok((scipy_matrix(&tree)?.into_pyarray(py), labels.into_pyarray(py)))
}

/// The tree as scipy's `(n - 1, 4)` matrix.
fn scipy_matrix(tree: &WardTree) -> PyResult<Array2<f64>> {
    let z = tree.to_scipy();
    let flat: Vec<f64> = z.iter().flatten().copied().collect();
    Array2::from_shape_vec((z.len(), 4), flat).map_err(value_error)
}

/// K-Means fit: `(centers, labels, inertia, n_iter)`.
#[pyfunction]
#[allow(clippy::type_complexity)]
fn kmeans_fit<'py>(
    py: Python<'py>,
    x: PyReadonlyArray2<'py, f64>,
    k: usize,
    n_init: usize,
    max_iter: usize,
    tol: f64,
    seed: u64,
) -> PyResult<(Bound<'py, PyArray2<f64>>, Bound<'py, PyArray1<usize>>, f64, usize)> {
    let xv = x.as_array();
    let params = KMeansParams::new(k)
        .n_init(n_init)
        .max_iter(max_iter)
        .tol(tol)
        .seed(seed);
    let fitted = py
        .detach(|| params.build().and_then(|p| p.fit(xv)))
        .map_err(value_error)?;
    Ok((
        fitted.centers.into_pyarray(py),
        fitted.labels.into_pyarray(py),
        fitted.inertia,
        fitted.n_iter,
    ))
}

/// Nearest centre (lowest index on ties) of each row of `x`.
#[pyfunction]
fn nearest_center<'py>(
    py: Python<'py>,
    centers: PyReadonlyArray2<'py, f64>,
    x: PyReadonlyArray2<'py, f64>,
) -> PyResult<Bound<'py, PyArray1<usize>>> {
    let model = KMeans {
        centers: centers.as_array().to_owned(),
        labels: Vec::new(),
        inertia: f64::NAN,
        n_iter: 0,
        converged: true,
        n_init_run: 0,
        inertia_per_init: Vec::new(),
        best_init: 0,
        algorithm: KMeansAlgorithm::Lloyd,
    };
    let xv = x.as_array();
    let labels = py.detach(|| model.predict(xv)).map_err(value_error)?;
    Ok(labels.into_pyarray(py))
}

/// Within-cluster sum of squares `sum_i ||x_i - c_{l_i}||^2` (the estimators' `inertia_`).
#[pyfunction]
fn inertia(
    py: Python<'_>,
    x: PyReadonlyArray2<'_, f64>,
    centers: PyReadonlyArray2<'_, f64>,
    labels: PyReadonlyArray1<'_, usize>,
) -> PyResult<f64> {
    let (xv, cv, lv) = (x.as_array(), centers.as_array(), labels.as_array());
    if lv.len() != xv.nrows() || cv.ncols() != xv.ncols() || lv.iter().any(|&l| l >= cv.nrows()) {
        return Err(value_error("inertia: labels, centres and data do not match"));
    }
    Ok(py.detach(|| {
        xv.outer_iter()
            .zip(lv.iter())
            .map(|(row, &l)| row.iter().zip(cv.row(l)).map(|(a, b)| (a - b) * (a - b)).sum::<f64>())
            .sum()
    }))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(ward_linkage, m)?)?;
    m.add_function(wrap_pyfunction!(ward_fit, m)?)?;
    m.add_function(wrap_pyfunction!(kmeans_fit, m)?)?;
    m.add_function(wrap_pyfunction!(nearest_center, m)?)?;
    m.add_function(wrap_pyfunction!(inertia, m)?)?;
    Ok(())
}
