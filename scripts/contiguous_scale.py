#!/usr/bin/env python3
"""Contiguous Ward at scale: `landclust run --method ward --contiguous` against scikit-learn's
`AgglomerativeClustering(linkage="ward", connectivity=...)` on the same cells and the same
connectivity, side by side, each under /usr/bin/time -v (wall time and peak memory).

The peer reads the variables (netCDF4), keeps the land cells with every variable present,
z-scores them (population standard deviation, as landclust), builds the grid connectivity of
the kept cells (4 or 8 neighbours, the columns wrapping at the dateline on a global grid, as
landclust) and fits the tree with n_clusters=k. Both sides' labels are compared cell by cell
(adjusted Rand index; 1.0 is the same partition). scikit-learn joins separate pieces (islands)
by an edge between the closest cells of every pair of pieces before building the tree;
landclust merges the pieces by their centroids after their constrained trees (docs/regions.md),
so on a grid with islands the partitions differ and the index measures how much.

Usage (0.25 degree: `landclust synth --resolution 0.25 --out /tmp/s025.nc`):

    python3 scripts/contiguous_scale.py /tmp/s025.nc --landclust target/release/landclust \
        [--python VENV/bin/python] [--k 30] [--neighbours 4] [--vars NDVI,DHR443,DHR670,DHR865] \
        [--skip-peer]

Prints the load average with the figures: the machine may be shared. On a whole global grid
scikit-learn's join of the pieces needs the distances between the cells of every two pieces at
once (a 200,000 x 50,000 matrix between two continents: it ran out of 20 GB at 0.25 degree), so
compare on a `--region` box of one continent, e.g. `--region -10,40,-30,30` (Africa).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

PEER = r'''
import json, sys, time, warnings
t0 = time.perf_counter()
import netCDF4
import numpy as np
import scipy.sparse as sp
from sklearn.cluster import AgglomerativeClustering
path, names, k, nb, out, region = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
stages = {}
t = time.perf_counter()
with netCDF4.Dataset(path) as ds:
    cols = [np.asarray(ds[v][:].astype(np.float64).filled(np.nan)) for v in names]
    keep = np.all([np.isfinite(c) for c in cols], axis=0)
    keep &= np.asarray(ds["LandPercentage"][:].filled(np.nan)) == 100
    # the demo files carry 2-D Latitude/Longitude (cell centres)
    lat2 = np.asarray(ds["Latitude"][:], dtype=np.float64)
    lon2 = np.asarray(ds["Longitude"][:], dtype=np.float64)
    lon = lon2[0]
    if region != "-":
        lon0, lon1, lat0, lat1 = map(float, region.split(","))
        keep &= (lat2 >= lat0) & (lat2 <= lat1) & (lon2 >= lon0) & (lon2 <= lon1)
x = np.column_stack([c[keep] for c in cols])
del cols
stages["read"] = time.perf_counter() - t
z = (x - x.mean(axis=0)) / x.std(axis=0)
t = time.perf_counter()
n_rows, n_cols = keep.shape
wrap = False
if region == "-" and n_cols > 2:
    step = (lon[-1] - lon[0]) / (n_cols - 1)
    wrap = abs(abs(step * n_cols) - 360) < 0.5 * abs(step)
index = -np.ones(keep.shape, dtype=np.int64)
index[keep] = np.arange(int(keep.sum()))
steps = [(0, 1), (1, 0)] + ([(1, 1), (1, -1)] if nb == 8 else [])
rows, cols = [], []
for dr, dc in steps:
    a = index[: n_rows - dr, :] if dr else index
    b = index[dr:, :] if dr else index
    if wrap:
        b = np.roll(b, -dc, axis=1)
        a2 = a
    else:
        if dc > 0:
            a2, b = a[:, : n_cols - dc], b[:, dc:]
        elif dc < 0:
            a2, b = a[:, -dc:], b[:, : n_cols + dc]
        else:
            a2 = a
    ok = (a2 >= 0) & (b >= 0)
    rows.append(a2[ok]); cols.append(b[ok])
rows, cols = np.concatenate(rows), np.concatenate(cols)
n = int(keep.sum())
conn = sp.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n)).tocsr()
conn = conn + conn.T
stages["graph"] = time.perf_counter() - t
t = time.perf_counter()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    model = AgglomerativeClustering(n_clusters=k, linkage="ward", connectivity=conn).fit(z)
stages["cluster"] = time.perf_counter() - t
rr, cc = np.nonzero(keep)
np.save(out, np.column_stack([rr, cc, model.labels_]))
print(json.dumps({"n": n, "stages": stages, "wrap": bool(wrap),
                  "warnings": [str(w.message) for w in caught], "in_process_seconds": time.perf_counter() - t0}))
'''


def timed(cmd):
    """Run `cmd` under /usr/bin/time -v: (stdout, wall seconds, peak RSS in MB)."""
    done = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{done.stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    h, m, s = (float(g) if g else 0.0 for g in wall.groups())
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1))
    return done.stdout, h * 3600 + m * 60 + s, rss / 1024


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("file")
    p.add_argument("--landclust", default="target/release/landclust")
    p.add_argument("--python", default=sys.executable)
    p.add_argument("--vars", default="NDVI,DHR443,DHR670,DHR865")
    p.add_argument("--k", type=int, default=30)
    p.add_argument("--neighbours", type=int, default=4, choices=[4, 8])
    p.add_argument("--region", default="-",
                   help="lon_min,lon_max,lat_min,lat_max: both sides on the cells of this box (no dateline wrap)")
    p.add_argument("--skip-peer", action="store_true", help="time landclust only (the 0.05-degree file)")
    args = p.parse_args()
    tmp = tempfile.mkdtemp(prefix="contiguous-scale-")
    print(f"file {args.file}, vars {args.vars}, k {args.k}, {args.neighbours} neighbours, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the start", flush=True)
    out = os.path.join(tmp, "landclust")
    cmd = [args.landclust, "run", args.file, "--vars", args.vars, "--k", str(args.k), "--method", "ward",
           "--contiguous", "--neighbours", str(args.neighbours), "--no-figures", "--tables", "csv",
           "--out", out, "-q"] + (["--region", args.region] if args.region != "-" else [])
    _, wall, rss = timed(cmd)
    with open(os.path.join(out, "timing.json")) as f:
        timing = json.load(f)
    with open(os.path.join(out, "metrics.json")) as f:
        metrics = json.load(f)
    stages = " ".join(f"{s['name']} {s['seconds']:.1f}" for s in timing["stages"])
    print(f"landclust: {timing['n_points']} cells, wall {wall:.1f} s ({stages}), peak {rss:.0f} MB, "
          f"load {os.getloadavg()[0]:.2f}", flush=True)
    for note in metrics.get("scale_notes", []):
        print(f"  note: {note}")
    print(f"  method_diagnostics: {metrics.get('method_diagnostics')}")
    if args.skip_peer:
        return
    labels_npy = os.path.join(tmp, "peer.npy")
    stdout, pwall, prss = timed([args.python, "-c", PEER, args.file, args.vars, str(args.k),
                                 str(args.neighbours), labels_npy, args.region])
    peer = json.loads(stdout.strip().splitlines()[-1])
    pst = " ".join(f"{k} {v:.1f}" for k, v in peer["stages"].items())
    print(f"scikit-learn: {peer['n']} cells, wall {pwall:.1f} s ({pst}), peak {prss:.0f} MB, "
          f"wrap {peer['wrap']}, load {os.getloadavg()[0]:.2f}", flush=True)
    for w in peer["warnings"]:
        print(f"  warning: {w[:200]}")
    print(f"ratio (scikit-learn / landclust): wall {pwall / wall:.2f}x, "
          f"clustering stage {peer['stages']['cluster'] / next(s['seconds'] for s in timing['stages'] if s['name'] == 'cluster'):.2f}x, "
          f"peak memory {prss / rss:.2f}x")
    compare = r'''
import csv, sys
import numpy as np
from sklearn.metrics import adjusted_rand_score
peer = np.load(sys.argv[1])
ours = {}
with open(sys.argv[2]) as f:
    for row in csv.DictReader(f):
        ours[(int(row["row"]), int(row["col"]))] = int(row["cluster"])
a = [ours[(int(r), int(c))] for r, c, _ in peer]
print(f"adjusted Rand index landclust vs scikit-learn at k: {adjusted_rand_score(a, peer[:, 2]):.12f}")
'''
    labels_csv = os.path.join(out, "labels.csv")
    done = subprocess.run([args.python, "-c", compare, labels_npy, labels_csv], capture_output=True, text=True)
    print(done.stdout.strip() or done.stderr[-1000:])


if __name__ == "__main__":
    main()
