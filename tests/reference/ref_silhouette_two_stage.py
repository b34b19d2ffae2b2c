"""Exact silhouettes of the synth grids at 0.25 and 0.1 degree, the reference of the two-stage
sampled silhouette (tests/silhouette_two_stage.rs).

For each file: landclust's pipeline (`landclust.run`, k = 6, the study's seven variables, land
cells, seed 42: the run the test repeats) gives the labels; the z-scores are rebuilt here with
NumPy (population standard deviation, as the run); the exact silhouette over all cells is then
landclust's exact all-pairs kernel (`landclust.silhouette_score` without `sample_size`, checked
against scikit-learn's `silhouette_score` in tests/fixtures/ward_metrics.json and
python/tests). scikit-learn's own exact `silhouette_score` would take hours at 1.66 M cells
(O(n^2) distances in blocks); the script checks that its z-scores are the run's by comparing
the exact Davies-Bouldin and Calinski-Harabasz (scikit-learn's) with the run's metrics.

Usage (the synth files from `landclust synth --resolution 0.25 --out s025.nc` and
`--resolution 0.1 --out s01.nc`; about 10 CPU-minutes for the 0.1-degree grid):

    python tests/reference/ref_silhouette_two_stage.py s025.nc s01.nc \
        > tests/fixtures/silhouette_two_stage.json
"""

import json
import sys
import time

import netCDF4
import numpy as np
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score

import landclust

VARS = ["NDVI", "DHR443", "DHR490", "DHR565", "DHR670", "DHR865", "DHR1020"]


def grid_labels(result, shape):
    labels = np.asarray(result.labels, dtype=float)
    if labels.shape != shape:
        labels = labels.T
    assert labels.shape == shape, (labels.shape, shape)
    return labels


def one(path):
    with netCDF4.Dataset(path) as ds:
        land = np.asarray(ds["LandPercentage"][:].filled(np.nan)) == 100
        cols = [np.asarray(ds[v][:].astype(np.float64).filled(np.nan)) for v in VARS]
    shape = land.shape
    present = land & np.all([np.isfinite(c) for c in cols], axis=0)
    result = landclust.run(path, k=6, seed=42, figures=False)
    labels_grid = grid_labels(result, shape)
    assert np.array_equal(np.isfinite(labels_grid), present), "cells differ from the run's"
    x = np.column_stack([c[present] for c in cols])
    z = (x - x.mean(axis=0)) / x.std(axis=0)
    labels = labels_grid[present].astype(np.int64)
    m = result.metrics
    db, ch = davies_bouldin_score(z, labels), calinski_harabasz_score(z, labels)
    assert abs(db - m["davies_bouldin"]) <= 1e-9 * abs(db), (db, m["davies_bouldin"])
    assert abs(ch - m["calinski_harabasz"]) <= 1e-9 * abs(ch), (ch, m["calinski_harabasz"])
    t = time.time()
    exact = landclust.silhouette_score(z, labels)
    seconds = time.time() - t
    print(f"{path}: {len(labels)} cells, exact silhouette {exact!r} in {seconds:.0f} s", file=sys.stderr)
    return {
        "file": path.split("/")[-1],
        "n_cells": int(len(labels)),
        "k": 6,
        "vars": VARS,
        "seed": 42,
        "exact_silhouette": exact,
        "davies_bouldin": db,
        "calinski_harabasz": ch,
        "run_sampled_silhouette": m["silhouette"],
        "exact_seconds": round(seconds, 1),
    }


def main():
    out = {"generator": "tests/reference/ref_silhouette_two_stage.py", "grids": {}}
    for path in sys.argv[1:]:
        entry = one(path)
        out["grids"][entry["file"]] = entry
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
