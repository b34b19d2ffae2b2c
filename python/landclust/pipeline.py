"""``landclust.run``: the pipeline of ``landclust run`` on a netCDF file or an xarray Dataset."""

import json
import os
import pathlib

import numpy as np

from . import _core

_LAT_NAMES = ("lat", "latitude", "nav_lat")
_LON_NAMES = ("lon", "longitude", "nav_lon")


class RunResult:
    """What :func:`run` returns.

    Attributes
    ----------
    labels : xarray.DataArray or ndarray
        Cluster of each grid cell, on landclust's orientation of the grid (north first, west to
        east, longitudes in -180..180; a Dataset's coordinate names are kept). With xarray installed, a float DataArray named ``cluster`` with ``NaN``
        where no cell was kept (as in the CLI's labels.nc); without it an int64 2-D array with
        ``-1`` there (axes in ``lat``/``lon``).
    cell_labels : ndarray (n_cells,)
        Cluster of each kept cell, in grid order.
    lat, lon : ndarray
        Axes of the labels grid (1-D); on a projected grid (UTM, sinusoidal, ...) the 2-D
        latitude and longitude of every cell centre in degrees (the inverse projection, ``NaN``
        outside the projection's domain), as labels.nc's auxiliary ``lat``/``lon``.
    y, x : ndarray or None
        On a projected grid the axes of the labels grid in the projection's unit (north first,
        west to east); ``None`` on a geographic one. The DataArray's dims are then ``y``/``x``,
        with ``lat``/``lon`` as 2-D coordinates and the CRS's name in ``attrs["crs"]``.
    crs : str or None
        The projected CRS's name (``None`` on a geographic grid).
    metrics : dict
        The content of the CLI's ``metrics.json`` (k, silhouette, Davies-Bouldin,
        Calinski-Harabasz, inertia, ...).
    """

    def __init__(self, computed, lat_name="lat", lon_name="lon"):
        self._computed = computed
        self.metrics = json.loads(computed.metrics_json())
        self.cell_labels = computed.labels().astype(np.int64)
        lat, lon, grid = computed.labels_grid()
        projected = computed.projected_lat_lon()
        self.y = self.x = self.crs = None
        if projected is None:
            self.lat, self.lon = lat, lon
            dims, coords, attrs = (lat_name, lon_name), {lat_name: lat, lon_name: lon}, {}
        else:
            # The axes of a projected grid are y/x in the projection's unit, not degrees.
            self.y, self.x = lat, lon
            self.lat, self.lon, self.crs = projected
            dims = ("y", "x")
            coords = {"y": self.y, "x": self.x, "lat": (dims, self.lat), "lon": (dims, self.lon)}
            attrs = {"crs": self.crs}
        try:
            import xarray as xr
        except ImportError:
            labels = np.where(np.isnan(grid), -1, grid).astype(np.int64)
            self.labels = labels
        else:
            self.labels = xr.DataArray(
                grid,
                dims=dims,
                coords=coords,
                name="cluster",
                attrs={"long_name": "cluster label (NaN: cell not kept)", "k": self.metrics.get("k"), **attrs},
            )

    def write(self, out_dir):
        """Write the same output folder as ``landclust run --out out_dir`` (labels.nc, metrics.json,
        tables, figures, report), atomically; returns its path."""
        return pathlib.Path(self._computed.write(os.fspath(out_dir)))

    def __repr__(self):
        m = self.metrics
        return (
            f"RunResult(k={m.get('k')}, method={m.get('method')!r}, n_points={m.get('n_points')}, "
            f"silhouette={m.get('silhouette'):.4f})"
        )


def _find(names, candidates, what):
    for n in names:
        if str(n).lower() in candidates:
            return n
    raise ValueError(f"Dataset: no {what} coordinate (looked for {', '.join(candidates)})")


def _axes(ds):
    """``(lat, lon, lat_dim, lon_dim, lat_var, lon_var)``: 1-D axes of a Dataset's grid, from 1-D
    coordinates (CF) or from rectilinear 2-D latitude/longitude variables (the GRASP layout, as
    ``landclust synth`` writes it and the library reads it)."""
    names = list(ds.coords) + list(ds.data_vars)
    lat_var = _find(names, _LAT_NAMES, "latitude")
    lon_var = _find(names, _LON_NAMES, "longitude")
    lat2, lon2 = ds[lat_var], ds[lon_var]
    if lat2.ndim == 1 and lon2.ndim == 1:
        lat, lon = lat2.values, lon2.values
        lat_dim, lon_dim = lat2.dims[0], lon2.dims[0]
    elif lat2.ndim == 2 and lon2.dims == lat2.dims:
        a, b = lat2.dims
        lat_v, lon_v = np.asarray(lat2.values, np.float64), np.asarray(lon2.values, np.float64)
        if np.allclose(lat_v, lat_v[:, :1]) and np.allclose(lon_v, lon_v[:1, :]):
            lat, lon, lat_dim, lon_dim = lat_v[:, 0], lon_v[0, :], a, b
        elif np.allclose(lat_v, lat_v[:1, :]) and np.allclose(lon_v, lon_v[:, :1]):
            lat, lon, lat_dim, lon_dim = lat_v[0, :], lon_v[:, 0], b, a
        else:
            raise ValueError(f"Dataset: {lat_var}/{lon_var} describe a curvilinear grid (not supported)")
    else:
        raise ValueError(f"Dataset: {lat_var}/{lon_var} must be 1-D coordinates or 2-D variables on the same dimensions")
    if lat_dim == lon_dim:
        raise ValueError(f"Dataset: {lat_var} and {lon_var} run along the same dimension {lat_dim}")
    return np.asarray(lat, np.float64), np.asarray(lon, np.float64), lat_dim, lon_dim, str(lat_var), str(lon_var)


def _grid_arrays(ds, names):
    """Oriented axes (north first, west to east, -180..180) and variables of a Dataset."""
    lat, lon, lat_dim, lon_dim, lat_var, lon_var = _axes(ds)
    lat_order = np.argsort(-lat, kind="stable")
    lon_wrapped = (lon + 180.0) % 360.0 - 180.0
    lon_order = np.argsort(lon_wrapped, kind="stable")
    variables = []
    for name in names:
        if name not in ds.variables:
            raise ValueError(f"variable {name}: not in the Dataset (it has: {', '.join(map(str, ds.data_vars))})")
        da = ds[name].squeeze(drop=True)
        if set(da.dims) != {lat_dim, lon_dim}:
            raise ValueError(f"variable {name}: dimensions {da.dims} are not ({lat_dim}, {lon_dim})")
        values = np.asarray(da.transpose(lat_dim, lon_dim).values, dtype=np.float64)
        values = np.ascontiguousarray(values[np.ix_(lat_order, lon_order)])
        units = da.attrs.get("units")
        variables.append((name, values, None if units is None else str(units)))
    return (lat[lat_order], lon_wrapped[lon_order], lat_var, lon_var), variables


def _plain(value):
    """A keyword argument as JSON: NumPy scalars as Python numbers, paths as text, sequences as
    lists."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


# Keys ``run`` does not take from its keywords: the source is the first argument, the output
# folder that of :meth:`RunResult.write`.
_NOT_KEYWORDS = {"input", "out"}


def run(
    source,
    vars=None,
    select=None,
    reduce=None,
    method=None,
    k=None,
    seed=None,
    *,
    n_init=None,
    region=None,
    figures=None,
    progress=False,
    **options,
):
    """Run landclust's pipeline (``landclust run``) on a file or an xarray Dataset, in memory.

    Cells chosen by ``select`` with every variable present are standardized (z-scores),
    optionally reduced (PCA or VAE), clustered into ``k`` types and scored (silhouette,
    Davies-Bouldin, Calinski-Harabasz in the clustering space and in the z-scores).

    Every option of ``landclust run`` is a keyword: its flag without ``--``, ``_`` for ``-``
    (``k_max=30``, ``max_memory="4GB"``, ``gmm_covariance="diag"``, ``k_rule="bic"``, ...), the
    same keys as its ``--config`` file. They are checked by the same code as the command line,
    so a bad value raises ``ValueError`` with the CLI's message (``option --k: 'x': expected a
    positive integer or auto``). ``None`` (the default) leaves an option at the CLI's default.

    Parameters
    ----------
    source : str, os.PathLike or xarray.Dataset
        A netCDF file (read by the library), or a Dataset with 1-D latitude/longitude
        coordinates (``lat``/``latitude``, ``lon``/``longitude``) whose variables are 2-D on
        them. A Dataset is handed to the library in memory (no temporary file); any axis order
        and 0..360 longitudes are accepted.
    vars : list of str, optional
        Variables to cluster (default: the study's NDVI and six DHR bands). From a file, a
        variable with an extra dimension is ``NAME[i]``, ``NAME:mean`` or ``NAME[*]`` (every
        entry, one column each).
    select : str, optional
        ``land[:THRESHOLD[:VAR]]`` (default ``land``: LandPercentage == 100), ``sea[...]``,
        ``all`` or ``mask:VAR``.
    reduce : str, optional
        ``none`` (default), ``pca:N``, ``vae:N``, ``tt:R1,R2`` (tensor train of the (lat, lon,
        variable) tensor) or ``tt-cell:R1,R2`` (of the (cell, variable, month) tensor of series
        variables ``NAME[*]``, from a file).
    method : str, optional
        ``kmeans`` (default), ``minibatch-kmeans``, ``ward``, ``idec``, ``dcss`` or ``gmm``.
    k : int or "auto", optional
        Number of clusters (default 6).
    seed : int, optional
        Random seed (default 42).
    n_init : int, optional
        K-Means restarts (default 10).
    region : str, optional
        ``lon_min,lon_max,lat_min,lat_max`` box or a region name (as ``--region``).
    figures : bool, optional
        Draw the figures when writing (:meth:`RunResult.write`; default True).
    progress : bool
        Progress bars and stage timings on stderr.
    **options
        Any other option of ``landclust run`` (see above).

    Returns
    -------
    RunResult
        ``.labels`` (xarray.DataArray on the grid, or NumPy array), ``.metrics`` (dict) and
        ``.write(out_dir)``.

    Raises
    ------
    ValueError
        Bad options (the CLI's one-line messages), missing variables, k out of range.
    TypeError
        An unknown keyword, or ``k`` neither an integer nor text.
    OSError
        The file cannot be read.
    """
    if k is not None and (isinstance(k, bool) or not isinstance(k, (int, np.integer, str))):
        raise TypeError(f"k: expected an integer or 'auto', got {type(k).__name__}")
    known = set(_core.option_keys()) - _NOT_KEYWORDS
    for key in options:
        if key not in known:
            raise TypeError(f"run() got an unexpected keyword argument {key!r}")
    given = dict(
        vars=vars,
        select=select,
        reduce=reduce,
        method=method,
        k=k,
        seed=seed,
        n_init=n_init,
        region=region,
        figures=figures,
        **options,
    )
    text = json.dumps({key: _plain(v) for key, v in given.items() if v is not None})
    if isinstance(source, (str, os.PathLike)):
        return RunResult(_core.run_file(os.fspath(source), text, bool(progress)))
    if not (hasattr(source, "data_vars") and hasattr(source, "coords")):
        raise TypeError(f"source: expected a path or an xarray.Dataset, got {type(source).__name__}")
    (lat, lon, lat_var, lon_var), variables = _grid_arrays(source, _core.needed_variables(text))
    name = source.encoding.get("source", "<xarray.Dataset>")
    computed = _core.run_grid(str(name), lat, lon, lat_var, lon_var, variables, text, bool(progress))
    one_d = source[lat_var].ndim == 1
    return RunResult(computed, lat_var if one_d else "lat", lon_var if one_d else "lon")


def read_labels(folder):
    """The per-cell labels of a run folder written by ``landclust run`` (or ``RunResult.write``),
    from ``labels.csv`` or, on runs above 1,000,000 cells, ``labels.parquet``.

    Returns a dict of NumPy arrays: ``row`` and ``col`` (the cell's grid indices, north first),
    ``cluster``, and ``membership`` when the run's method gave one (e.g. ``method="gmm"``).
    """
    row, col, cluster, membership = _core.read_labels(os.fspath(folder))
    out = {"row": row, "col": col, "cluster": cluster}
    if membership is not None:
        out["membership"] = membership
    return out
