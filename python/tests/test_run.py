import json
import os
import shutil
import subprocess

import numpy as np
import pytest
import xarray as xr

import landclust as lc
from sklearn.metrics import adjusted_rand_score


def _small_dataset(lon_0_360=False, south_first=False):
    """A 30 x 60 grid with three well separated surface types, land on 80 % of the cells."""
    rng = np.random.default_rng(5)
    lat = np.linspace(44.75, 30.25, 30)
    lon = np.linspace(-29.75, 0.25 + 29.5, 60)
    kind = (np.arange(60)[None, :] // 20 + np.zeros((30, 1), int)).astype(int)
    means = np.array([[0.1, 1.0, 3.0], [0.5, 2.0, 1.0], [0.9, 0.0, 2.0]])
    data = means[kind] + 0.05 * rng.normal(size=(30, 60, 3))
    land = np.where(rng.random((30, 60)) < 0.8, 100.0, 0.0)
    ds = xr.Dataset(
        {
            "A": (("lat", "lon"), data[..., 0].astype(np.float32), {"units": "1"}),
            "B": (("lat", "lon"), data[..., 1]),
            "C": (("lat", "lon"), data[..., 2]),
            "LandPercentage": (("lat", "lon"), land),
        },
        coords={"lat": lat, "lon": lon},
    )
    ds["B"][3, 4] = np.nan  # a gap: that cell is dropped
    if south_first:
        ds = ds.isel(lat=slice(None, None, -1))
    if lon_0_360:
        ds = ds.assign_coords(lon=(ds.lon % 360)).sortby("lon")
    return ds, kind, land


def test_run_on_dataset_labels_and_metrics(tmp_path):
    ds, kind, land = _small_dataset()
    res = lc.run(ds, vars=["A", "B", "C"], k=3, seed=1, figures=False)
    assert isinstance(res.labels, xr.DataArray)
    assert res.labels.dims == ("lat", "lon") and res.labels.shape == (30, 60)
    lab = res.labels.values
    kept = ~np.isnan(lab)
    assert kept.sum() == (land == 100).sum() - (land[3, 4] == 100)
    assert adjusted_rand_score(kind[kept], lab[kept]) == 1.0
    assert res.metrics["k"] == 3 and res.metrics["n_points"] == kept.sum()
    X = np.stack([ds[v].values[kept] for v in "ABC"], axis=1).astype(np.float64)
    Z = (X - X.mean(0)) / X.std(0)
    assert res.metrics["silhouette"] == pytest.approx(lc.silhouette_score(Z, lab[kept]), rel=1e-6)
    out = res.write(tmp_path / "out")
    assert (out / "metrics.json").exists() and (out / "labels.nc").exists()
    assert json.loads((out / "metrics.json").read_text())["k"] == 3


@pytest.mark.parametrize("lon_0_360,south_first", [(True, False), (False, True), (True, True)])
def test_run_orientation_independent(lon_0_360, south_first):
    ref = lc.run(_small_dataset()[0], vars=["A", "B", "C"], k=3, figures=False)
    other = lc.run(_small_dataset(lon_0_360, south_first)[0], vars=["A", "B", "C"], k=3, figures=False)
    np.testing.assert_array_equal(other.labels.values, ref.labels.values)
    np.testing.assert_allclose(other.labels.lat, ref.labels.lat)
    np.testing.assert_allclose(other.labels.lon, ref.labels.lon)


def test_run_bad_inputs():
    ds, _, _ = _small_dataset()
    with pytest.raises(ValueError, match="variable Z"):
        lc.run(ds, vars=["A", "Z"], k=3)
    with pytest.raises(ValueError, match="--method"):
        lc.run(ds, vars=["A", "B"], method="dbscan")
    with pytest.raises(ValueError, match="--reduce"):
        lc.run(ds, vars=["A", "B"], reduce="pca:x")
    with pytest.raises(ValueError, match="k"):
        lc.run(ds, vars=["A", "B"], k=0)
    with pytest.raises(ValueError):
        lc.run(ds, vars=["A", "B"], k=100000)
    with pytest.raises(TypeError):
        lc.run(42)
    with pytest.raises(OSError):
        lc.run("/nonexistent/file.nc")


def _synth_file(tmp_path_factory):
    exe = os.environ.get("LANDCLUST_BIN") or shutil.which("landclust")
    if not exe:
        pytest.skip("no landclust binary (set LANDCLUST_BIN) to make a synth file")
    path = tmp_path_factory.mktemp("synth") / "demo.nc"
    subprocess.run([exe, "synth", "--out", str(path), "--quiet"], check=True)
    return path


@pytest.fixture(scope="module")
def synth_file(tmp_path_factory):
    return _synth_file(tmp_path_factory)


def test_run_file_and_xarray_agree(synth_file, tmp_path):
    from_file = lc.run(synth_file, k=6, reduce="pca:3", figures=False)
    with xr.open_dataset(synth_file) as ds:
        from_ds = lc.run(ds, k=6, reduce="pca:3", figures=False)
    assert from_file.labels.shape == (180, 360)
    assert adjusted_rand_score(from_file.cell_labels, from_ds.cell_labels) > 0.999
    assert from_ds.metrics["silhouette"] == pytest.approx(from_file.metrics["silhouette"], rel=1e-4)
    out = from_file.write(tmp_path / "run")
    for name in ("metrics.json", "labels.nc"):
        assert (out / name).exists(), name


def test_run_file_matches_cli(synth_file, tmp_path):
    exe = os.environ.get("LANDCLUST_BIN") or shutil.which("landclust")
    cli_out = tmp_path / "cli"
    subprocess.run([exe, "run", str(synth_file), "--out", str(cli_out), "--k", "5", "--quiet", "--no-figures"], check=True)
    res = lc.run(synth_file, k=5, figures=False)
    py_out = res.write(tmp_path / "py")
    assert sorted(p.name for p in py_out.iterdir()) == sorted(p.name for p in cli_out.iterdir())
    cli_metrics = json.loads((cli_out / "metrics.json").read_text())
    for key in ("k", "n_points", "silhouette", "davies_bouldin", "calinski_harabasz", "inertia"):
        assert res.metrics[key] == cli_metrics[key], key


def test_run_file_series_and_tt_cell_match_cli(tmp_path_factory, tmp_path):
    exe = os.environ.get("LANDCLUST_BIN") or shutil.which("landclust")
    if not exe:
        pytest.skip("no landclust binary (set LANDCLUST_BIN) to make a synth file")
    monthly = tmp_path_factory.mktemp("monthly") / "monthly.nc"
    subprocess.run([exe, "synth", "--monthly", "--out", str(monthly), "--quiet"], check=True)
    cli_out = tmp_path / "cli"
    series = ["NDVI[*]", "DHR670[*]"]
    subprocess.run(
        [exe, "run", str(monthly), "--vars", ",".join(series), "--reduce", "tt-cell:2,2", "--k", "4",
         "--out", str(cli_out), "--quiet", "--no-figures"],
        check=True,
    )
    res = lc.run(monthly, vars=series, reduce="tt-cell:2,2", k=4, figures=False)
    cli = json.loads((cli_out / "metrics.json").read_text())
    assert res.metrics["settings"]["vars"] == [f"{v}[{m}]" for v in ("NDVI", "DHR670") for m in range(12)]
    assert res.metrics["settings"]["vars"] == cli["settings"]["vars"]
    assert res.metrics["tt"]["modes"] == "cell, variable (NDVI, DHR670), month"
    for key in ("n_points", "silhouette", "inertia", "reconstruction_r2"):
        assert res.metrics[key] == cli[key], key


def _comparable(value):
    """metrics.json without what differs between two runs of the same settings: timings, paths."""
    if isinstance(value, dict):
        return {
            k: _comparable(v)
            for k, v in value.items()
            if k not in ("seconds", "input", "out") and not k.endswith("_seconds")
        }
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    return value


def test_same_run_from_cli_and_python_writes_the_same_metrics(synth_file, tmp_path):
    exe = os.environ.get("LANDCLUST_BIN") or shutil.which("landclust")
    cli_out = tmp_path / "cli"
    subprocess.run(
        [exe, "run", str(synth_file), "--vars", "NDVI,DHR670,DHR865", "--reduce", "pca:2", "--k", "4",
         "--k-max", "8", "--n-init", "2", "--seed", "7", "--region", "africa", "--max-memory", "2GB",
         "--silhouette-exact-max", "1000", "--silhouette-sample", "400", "--k-rule", "bic",
         "--gmm-covariance", "diag", "--deep-arch", "16,8", "--no-figures", "--quiet", "--out", str(cli_out)],
        check=True,
    )
    res = lc.run(
        synth_file, vars=["NDVI", "DHR670", "DHR865"], reduce="pca:2", k=4, k_max=8, n_init=2, seed=7,
        region="africa", max_memory="2GB", silhouette_exact_max=1000, silhouette_sample=400, k_rule="bic",
        gmm_covariance="diag", deep_arch="16,8", figures=False,
    )
    py_out = res.write(tmp_path / "py")
    cli = json.loads((cli_out / "metrics.json").read_text())
    py = json.loads((py_out / "metrics.json").read_text())
    assert cli["settings"]["k_rule"] == "bic" and cli["settings"]["max_memory"] == 2_000_000_000
    assert _comparable(py) == _comparable(cli)


@pytest.mark.parametrize(
    "key,value",
    [("k", "x"), ("region", "1,2,3"), ("max_memory", "12XB"), ("reduce", "pca:0"), ("k_rule", "best"),
     ("gmm_covariance", "tied"), ("method", "dbscan")],
)
def test_a_bad_value_reads_as_on_the_command_line(synth_file, tmp_path, key, value):
    exe = os.environ.get("LANDCLUST_BIN") or shutil.which("landclust")
    flag = "--" + key.replace("_", "-")
    cli = subprocess.run(
        [exe, "run", str(synth_file), flag, value, "--out", str(tmp_path / "out")], capture_output=True, text=True
    )
    assert cli.returncode != 0
    line = cli.stderr.strip()
    assert line.startswith("landclust: error: option " + flag + ": "), line
    with pytest.raises(ValueError) as err:
        lc.run(synth_file, **{key: value})
    assert str(err.value) == line[len("landclust: error: "):]


def test_every_cli_option_is_a_keyword():
    with pytest.raises(TypeError, match="clusters"):
        lc.run("unused.nc", clusters=4)
    with pytest.raises(TypeError, match="out"):
        lc.run("unused.nc", out="somewhere")
    with pytest.raises(ValueError, match="option --ward-micro: 1: must be at least 2"):
        lc.run("unused.nc", ward_micro=1)


@pytest.mark.parametrize("tables", ["csv", "parquet"])
def test_read_labels_reads_csv_and_parquet_tables(synth_file, tmp_path, tables):
    exe = os.environ.get("LANDCLUST_BIN") or shutil.which("landclust")
    if not exe:
        pytest.skip("no landclust binary (set LANDCLUST_BIN)")
    out = tmp_path / tables
    subprocess.run(
        [exe, "run", str(synth_file), "--out", str(out), "--k", "4", "--quiet", "--no-figures", "--tables", tables],
        check=True,
    )
    assert (out / f"labels.{tables}").exists()
    table = lc.read_labels(out)
    res = lc.run(synth_file, k=4, figures=False)
    assert np.array_equal(table["cluster"], res.cell_labels)
    assert set(table) == {"row", "col", "cluster"}
    assert table["row"].shape == table["col"].shape == res.cell_labels.shape


def test_labels_on_a_projected_grid_carry_y_x_axes_and_2d_lat_lon(tmp_path):
    # A CF file on UTM zone 33N (transverse Mercator on WGS 84), y south to north.
    path = tmp_path / "utm.nc"
    y = 5_000_000.0 + 1000.0 * np.arange(30)
    x = 470_000.0 + 1000.0 * np.arange(61)
    yy, xx = np.meshgrid(y, x, indexing="ij")
    ds = xr.Dataset(
        {
            "a": (("y", "x"), np.sin(xx / 7000.0) + yy / 1e5, {"grid_mapping": "crs"}),
            "b": (("y", "x"), np.cos(yy / 5000.0), {"grid_mapping": "crs"}),
            "crs": ((), 0, {
                "grid_mapping_name": "transverse_mercator",
                "longitude_of_central_meridian": 15.0,
                "latitude_of_projection_origin": 0.0,
                "scale_factor_at_central_meridian": 0.9996,
                "false_easting": 500_000.0,
                "false_northing": 0.0,
                "semi_major_axis": 6378137.0,
                "inverse_flattening": 298.257223563,
            }),
        },
        coords={
            "y": ("y", y, {"standard_name": "projection_y_coordinate", "units": "m"}),
            "x": ("x", x, {"standard_name": "projection_x_coordinate", "units": "m"}),
        },
    )
    ds.to_netcdf(path)
    res = lc.run(path, vars=["a", "b"], select="all", k=3, figures=False)
    # Axes in metres, north first; lat/lon are 2-D degrees of every cell.
    np.testing.assert_array_equal(res.y, y[::-1])
    np.testing.assert_array_equal(res.x, x)
    assert res.lat.shape == res.lon.shape == (30, 61)
    assert "UTM" in res.crs or "Transverse" in res.crs, res.crs
    # The central meridian's column (x = 500 km) is at 15 degrees east.
    np.testing.assert_allclose(res.lon[:, 30], 15.0, atol=1e-9)
    assert 45.0 < res.lat.min() < res.lat.max() < 45.5
    assert np.all(np.diff(res.lat[:, 30]) < 0), "north first"
    assert res.labels.dims == ("y", "x")
    np.testing.assert_array_equal(res.labels["lat"].values, res.lat)
    assert res.labels.attrs["crs"] == res.crs
    # The same 2-D lat/lon as the CLI's labels.nc auxiliary coordinates.
    out = res.write(tmp_path / "run")
    with xr.open_dataset(out / "labels.nc") as nc:
        np.testing.assert_array_equal(nc["lat"].values, res.lat)
        np.testing.assert_array_equal(nc["lon"].values, res.lon)
        np.testing.assert_array_equal(nc["y"].values, res.y)
