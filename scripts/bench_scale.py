#!/usr/bin/env python3
"""landclust against the Python peer pipeline at the field's scale, side by side.

The peer is what a scientist would write instead of `landclust run`: read the variables
(netCDF4), keep the land cells with every variable present, NumPy z-scores (population standard
deviation, as landclust), scikit-learn `KMeans(n_clusters=k, n_init=10, random_state=seed)`,
`silhouette_score(sample_size=20000, random_state=seed)`, `davies_bouldin_score` and
`calinski_harabasz_score`. landclust runs `landclust run FILE --vars ... --k K --no-figures`
(its stages from timing.json, its inertia and silhouette with standard error from
metrics.json). The two alternate (landclust, peer, landclust, peer, ...), `--repeats` times
each (default 3), and the best wall time of each is compared. With `--baseline OTHER_BINARY`
(say, a build of the main branch) that landclust runs too, first in each round
(baseline, landclust, peer, ...), so before/after figures come from the same invocation and
load.

Usage (the 0.05-degree synth file: `landclust synth --resolution 0.05 --out /work/s005.nc`):

    python3 scripts/bench_scale.py /work/s005.nc --landclust target/release/landclust \
        [--vars NDVI,DHR443,DHR670,DHR865] [--k 10] [--repeats 3] [--python VENV/bin/python] \
        [--baseline OTHER/landclust]

The input may also be a GeoTIFF or a `NAME=FILE?scale=..&nodata=..,...` composite of GeoTIFFs, as
landclust takes it; the peer then reads with rasterio (NoData masked, the file's or the given
scale/offset applied). The real 0.05-degree MODIS CMG products (scripts/fetch_cmg_products.sh
prints their composite; docs/benchmarks.md):

    python3 scripts/bench_scale.py "$(scripts/fetch_cmg_products.sh /work/cmg)" \
        --vars NDVImax,NDVImin,fAPARmax,Topt --select mask:LC --landclust target/release/landclust

`--select` is `land` (LandPercentage == 100), `all` or `mask:VAR` (VAR non-zero and present).
The peer runs in `--python` (default: this interpreter), which needs numpy, scikit-learn and
netCDF4 (rasterio for GeoTIFFs). Output: one line per run, then the best of each with the per-stage times, the ratio
(peer / landclust) and both inertias (the relative difference in percent).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

PEER = r'''
import json, sys, time
t0 = time.perf_counter()
import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score
path, names, k, seed, select = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
stages = {}
t = time.perf_counter()

def geotiff_variables(path):
    """NAME -> (file, band, {scale, offset, nodata}) of a GeoTIFF or a NAME=FILE?k=v&...,... input."""
    if "=" not in path:
        import rasterio
        with rasterio.open(path) as ds:
            return {(d or f"band{i + 1}"): (path, i + 1, {}) for i, d in enumerate(ds.descriptions)}
    out = {}
    for entry in path.split(","):
        name, _, rest = entry.partition("=")
        file, _, query = rest.partition("?")
        opts = dict(kv.split("=", 1) for kv in query.split("&") if kv)
        out[name] = (file, 1, {k: float(v) for k, v in opts.items()})
    return out


def read_geotiff(variable):
    import rasterio
    file, band, opts = variable
    with rasterio.open(file) as ds:
        raw = ds.read(band)
        nodata = opts.get("nodata", ds.nodatavals[band - 1])
        scale = opts.get("scale", ds.scales[band - 1] or 1.0)
        offset = opts.get("offset", ds.offsets[band - 1] or 0.0)
    x = raw.astype(np.float64)
    if nodata is not None:
        x[raw == nodata] = np.nan
    return x * scale + offset


if path.endswith(".nc"):
    import netCDF4
    with netCDF4.Dataset(path) as ds:
        read = lambda v: np.asarray(ds[v][:].astype(np.float64).filled(np.nan))
        cols = [read(v) for v in names]
        select_column = read(select.split(":")[1] if select.startswith("mask:") else "LandPercentage") \
            if select != "all" else None
else:
    variables = geotiff_variables(path)
    cols = [read_geotiff(variables[v]) for v in names]
    select_column = read_geotiff(variables[select.split(":")[1] if select.startswith("mask:") else "LandPercentage"]) \
        if select != "all" else None
keep = np.all([np.isfinite(c) for c in cols], axis=0)
if select == "land":
    keep &= select_column == 100
elif select.startswith("mask:"):
    keep &= np.isfinite(select_column) & (select_column != 0)
x = np.column_stack([c[keep] for c in cols])
del cols
stages["read"] = time.perf_counter() - t
t = time.perf_counter()
z = (x - x.mean(axis=0)) / x.std(axis=0)
stages["zscore"] = time.perf_counter() - t
t = time.perf_counter()
km = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(z)
stages["cluster"] = time.perf_counter() - t
t = time.perf_counter()
sil = silhouette_score(z, km.labels_, sample_size=20000, random_state=seed)
db = davies_bouldin_score(z, km.labels_)
ch = calinski_harabasz_score(z, km.labels_)
stages["score"] = time.perf_counter() - t
print(json.dumps({"n": int(len(z)), "stages": stages, "inertia": float(km.inertia_), "silhouette": float(sil),
                  "davies_bouldin": float(db), "calinski_harabasz": float(ch), "n_iter": int(km.n_iter_),
                  "in_process_seconds": time.perf_counter() - t0}))
'''


def run_landclust(args, out, binary=None):
    cmd = [binary or args.landclust, "run", args.file, "--vars", args.vars, "--k", str(args.k), "--no-figures",
           "--seed", str(args.seed), "--out", out, "-q"] + (["--select", args.select] if args.select != "land" else [])
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    with open(os.path.join(out, "timing.json")) as f:
        timing = json.load(f)
    with open(os.path.join(out, "metrics.json")) as f:
        metrics = json.load(f)
    return {
        "wall": wall,
        "n": timing["n_points"],
        "stages": {s["name"]: s["seconds"] for s in timing["stages"]},
        "peak_rss_mb": max(s["peak_rss_bytes"] for s in timing["stages"]) / 1e6,
        "inertia": metrics["inertia"],
        "silhouette": metrics["silhouette"],
        "silhouette_std_error": metrics.get("silhouette_std_error"),
        "davies_bouldin": metrics["davies_bouldin"],
        "calinski_harabasz": metrics["calinski_harabasz"],
        "notes": metrics.get("scale_notes", []),
    }


def run_peer(args):
    cmd = [args.python, "-c", PEER, args.file, args.vars, str(args.k), str(args.seed), args.select]
    t = time.perf_counter()
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - t
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall"] = wall
    return result


def stages_text(stages):
    return " ".join(f"{name} {seconds:.1f}" for name, seconds in stages.items())


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("file")
    p.add_argument("--landclust", default="target/release/landclust")
    p.add_argument("--python", default=sys.executable)
    p.add_argument("--vars", default="NDVI,DHR443,DHR670,DHR865")
    p.add_argument("--select", default="land", help="land (LandPercentage == 100), all, or mask:VAR (VAR non-zero)")
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--baseline", help="another landclust binary (before a change) run in the same rounds")
    p.add_argument("--json", help="also write every run's figures here")
    args = p.parse_args()
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = float("nan")
    print(f"file {args.file}, vars {args.vars}, k {args.k}, {args.repeats} runs each, "
          f"{os.cpu_count()} CPUs, load average {load:.2f} at the start", flush=True)
    ours, peers, bases = [], [], []
    tmp = tempfile.mkdtemp(prefix="bench-scale-")
    try:
        for r in range(args.repeats):
            if args.baseline:
                out = os.path.join(tmp, f"base{r}")
                c = run_landclust(args, out, args.baseline)
                bases.append(c)
                print(f"baseline   run {r + 1}: {c['wall']:.1f} s ({stages_text(c['stages'])}), "
                      f"inertia {c['inertia']:.1f}, peak {c['peak_rss_mb']:.0f} MB, load {os.getloadavg()[0]:.2f}",
                      flush=True)
                shutil.rmtree(out, ignore_errors=True)
            out = os.path.join(tmp, f"run{r}")
            a = run_landclust(args, out)
            ours.append(a)
            print(f"landclust  run {r + 1}: {a['wall']:.1f} s ({stages_text(a['stages'])}), "
                  f"inertia {a['inertia']:.1f}, silhouette {a['silhouette']:.4f} +- {a['silhouette_std_error'] or 0:.4f}, "
                  f"peak {a['peak_rss_mb']:.0f} MB, load {os.getloadavg()[0]:.2f}", flush=True)
            shutil.rmtree(out, ignore_errors=True)
            b = run_peer(args)
            peers.append(b)
            print(f"python     run {r + 1}: {b['wall']:.1f} s ({stages_text(b['stages'])}), "
                  f"inertia {b['inertia']:.1f}, silhouette {b['silhouette']:.4f}, load {os.getloadavg()[0]:.2f}",
                  flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    best_a = min(ours, key=lambda r: r["wall"])
    best_b = min(peers, key=lambda r: r["wall"])
    print()
    print(f"cells: landclust {best_a['n']}, python {best_b['n']}")
    print(f"best landclust: {best_a['wall']:.1f} s ({stages_text(best_a['stages'])})")
    print(f"best python:    {best_b['wall']:.1f} s ({stages_text(best_b['stages'])})")
    print(f"ratio python / landclust: {best_b['wall'] / best_a['wall']:.2f}")
    if bases:
        best_c = min(bases, key=lambda r: r["wall"])
        print(f"best baseline:  {best_c['wall']:.1f} s ({stages_text(best_c['stages'])})")
        print(f"ratio python / baseline: {best_b['wall'] / best_c['wall']:.2f}; "
              f"baseline / landclust: {best_c['wall'] / best_a['wall']:.2f}")
        rel_c = (best_c["inertia"] - best_b["inertia"]) / best_b["inertia"] * 100
        print(f"inertia: baseline {best_c['inertia']:.3f} ({rel_c:+.4f} % against scikit-learn)")
    rel = (best_a["inertia"] - best_b["inertia"]) / best_b["inertia"] * 100
    print(f"inertia: landclust {best_a['inertia']:.3f}, scikit-learn KMeans(n_init=10) {best_b['inertia']:.3f} "
          f"({rel:+.4f} %)")
    print(f"silhouette: landclust {best_a['silhouette']:.5f} +- {best_a['silhouette_std_error'] or 0:.5f}, "
          f"scikit-learn (sample_size=20000) {best_b['silhouette']:.5f}")
    print(f"davies-bouldin: {best_a['davies_bouldin']:.6f} vs {best_b['davies_bouldin']:.6f}; "
          f"calinski-harabasz: {best_a['calinski_harabasz']:.2f} vs {best_b['calinski_harabasz']:.2f}")
    for note in best_a["notes"]:
        print(f"landclust note: {note}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"landclust": ours, "python": peers, "baseline": bases}, f, indent=1)


if __name__ == "__main__":
    main()
