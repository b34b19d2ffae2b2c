#!/usr/bin/env python3
"""Zarr stores written by xarray from the landclust demo, for the Zarr reader's tests.

Two uses:

* ``ref_zarr.py subset DEMO.nc OUTDIR`` writes the small committed fixtures of
  tests/fixtures/zarr/ from a coarse subset of the demo (every third cell of Europe and
  Africa, 54.5N..35.5S, 19.5W..54.5E): ``subset.nc`` (netCDF-4, the reference), ``subset_v2.zarr``
  (Zarr v2, consolidated ``.zmetadata``, 2-D ``Latitude``/``Longitude`` as in the demo, Blosc
  lz4 + byte shuffle: zarr-python 2's default, Blosc zstd + bit shuffle and gzip on some
  variables) and ``subset_v3.zarr`` (Zarr v3, consolidated ``zarr.json``, 1-D ``lat``/``lon`` CF
  coordinates stored south first with longitudes in 0..360, bytes + Zstd: zarr-python 3's
  default, gzip on one variable). All three hold the same values: the demo's variables read by
  ``run`` by default, a packed copy of NDVI (int16, ``scale_factor``/``add_offset``/``_FillValue``)
  and the six DHR bands again as one variable ``DHR(wavelength, ...)`` (a ``DHR[*]`` series).
  Chunks do not divide the grid, so row blocks cut through them.
* ``ref_zarr.py full DEMO.nc OUTDIR`` writes the whole demo as ``demo_v2.zarr`` and
  ``demo_v3.zarr`` (xarray's defaults, 2-D coordinates, chunks of 50 x 90 cells) for
  tests/zarr/check_zarr.sh, which compares ``landclust run`` on each with the run on the netCDF.

Run: /path/to/venv/bin/python tests/reference/ref_zarr.py subset demo.nc tests/fixtures/zarr
(the venv: pip install numpy xarray zarr netCDF4; the versions used are written to
OUTDIR/versions.txt).
"""
import pathlib
import shutil
import sys

import numcodecs
import numpy as np
import xarray as xr
import zarr

DHR = ["DHR443", "DHR490", "DHR565", "DHR670", "DHR865", "DHR1020"]
STUDY = ["LandPercentage", "NDVI"] + DHR


def open_demo(path):
    # Decoded as xarray users read it (NaN for missing); each variable keeps its netCDF
    # encoding (dtype, _FillValue), which to_zarr re-applies.
    return xr.open_dataset(path, decode_times=False)


def subset(demo):
    # Rows run north to south, 1 degree: row r is latitude 89.5 - r, column c longitude -179.5 + c.
    ds = demo[STUDY + ["Latitude", "Longitude", "Wavelength"]].isel(
        x=slice(35, 126, 3), y=slice(160, 235, 3)
    )
    ds["NDVI_packed"] = ds["NDVI"].copy()
    ds["NDVI_packed"].attrs = {"long_name": "NDVI packed as int16", "units": "1"}
    ds["NDVI_packed"].encoding = {
        "dtype": "int16",
        "scale_factor": 1e-4,
        "add_offset": 0.5,
        "_FillValue": np.int16(-32768),
    }
    stacked = xr.concat([ds[b] for b in DHR], dim="wavelength").astype("float32")
    stacked.attrs = {"long_name": "Directional hemispherical reflectance, six bands", "units": "1"}
    ds["DHR"] = stacked.transpose("wavelength", "x", "y")
    ds["DHR"].encoding = {"dtype": "float32", "_FillValue": np.float32(-9999.0)}
    return ds


def clean(ds):
    # Drop the netCDF storage options (chunk sizes of the whole demo, zlib) kept from the source.
    for v in ds.variables.values():
        for key in ["chunksizes", "zlib", "shuffle", "complevel", "fletcher32", "contiguous",
                    "szip", "zstd", "bzip2", "blosc", "preferred_chunks", "original_shape",
                    "source", "chunks", "compressor", "compressors", "filters"]:
            v.encoding.pop(key, None)
    return ds


def to_1d(ds):
    """1-D CF coordinates, stored south first with longitudes in 0..360 (sorted)."""
    lat = ds["Latitude"].values[:, 0].astype("float32")
    lon = ds["Longitude"].values[0, :].astype("float32")
    out = ds.drop_vars(["Latitude", "Longitude"]).rename({"x": "lat", "y": "lon"})
    out = out.assign_coords(lat=("lat", lat), lon=("lon", np.mod(lon, 360.0).astype("float32")))
    out["lat"].attrs = {"units": "degrees_north", "standard_name": "latitude"}
    out["lon"].attrs = {"units": "degrees_east", "standard_name": "longitude"}
    return out.sortby("lat").sortby("lon")


def write_subset(demo_path, out):
    out.mkdir(parents=True, exist_ok=True)
    ds = clean(subset(open_demo(demo_path)))
    for name in ["subset.nc", "subset_v2.zarr", "subset_v3.zarr"]:
        p = out / name
        shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
    nc_enc = {v: {**ds[v].encoding, "zlib": True, "complevel": 4} for v in ds.data_vars}
    ds.to_netcdf(out / "subset.nc", format="NETCDF4", encoding=nc_enc)

    # v2: zarr-python 2's default compressor, Blosc(lz4, shuffle); two others on some variables.
    # An encoding given to to_zarr replaces the variable's own (dtype, _FillValue, packing): merged.
    def enc(data, name, **extra):
        return {**data[name].encoding, **extra}

    lz4 = numcodecs.Blosc("lz4", 5, numcodecs.Blosc.SHUFFLE)
    v2 = {v: enc(ds, v, chunks=(12, 10), compressors=lz4) for v in ds.data_vars if ds[v].ndim == 2}
    v2["DHR"] = enc(ds, "DHR", chunks=(4, 12, 10),
                    compressors=numcodecs.Blosc("zstd", 3, numcodecs.Blosc.BITSHUFFLE))
    v2["DHR565"] = enc(ds, "DHR565", chunks=(12, 10), compressors=numcodecs.GZip(6))
    ds.to_zarr(out / "subset_v2.zarr", zarr_format=2, consolidated=True, encoding=v2)

    # v3: zarr-python 3's default codecs (bytes + Zstd); gzip on one variable.
    d1 = to_1d(ds)
    v3 = {v: enc(d1, v, chunks=(12, 9)) for v in d1.data_vars if d1[v].ndim == 2}
    v3["DHR"] = enc(d1, "DHR", chunks=(6, 12, 9))
    v3["DHR565"] = enc(d1, "DHR565", chunks=(12, 9), compressors=[zarr.codecs.GzipCodec(level=6)])
    d1.to_zarr(out / "subset_v3.zarr", zarr_format=3, consolidated=True, encoding=v3)
    write_versions(out)


def write_full(demo_path, out):
    out.mkdir(parents=True, exist_ok=True)
    ds = clean(open_demo(demo_path))
    enc = {v: {**ds[v].encoding, "chunks": (50, 90)} for v in ds.data_vars if ds[v].ndim == 2}
    for name, fmt in [("demo_v2.zarr", 2), ("demo_v3.zarr", 3)]:
        shutil.rmtree(out / name, ignore_errors=True)
        ds.to_zarr(out / name, zarr_format=fmt, consolidated=True, encoding=enc)
    write_versions(out)


def write_versions(out):
    (out / "versions.txt").write_text(
        f"xarray {xr.__version__}\nzarr {zarr.__version__}\nnumcodecs {numcodecs.__version__}\n"
        f"numpy {np.__version__}\n"
    )


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("subset", "full"):
        sys.exit(__doc__)
    what, demo, outdir = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
    (write_subset if what == "subset" else write_full)(demo, outdir)
