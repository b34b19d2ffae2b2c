#!/usr/bin/env python3
"""Compare two `landclust demo` output folders: the scores of each run folder (K-Means, Ward,
PCA-3 K-Means, ...) must be the same bits, and so must their labels.

Usage: compare_demo.py BEFORE_DIR AFTER_DIR [RUN ...]   (default runs: kmeans ward pca3-kmeans)
Prints one line per run and key; exits 1 on any difference. Timings, paths and settings keys
that later versions added are not compared."""
import hashlib, json, sys
from pathlib import Path

SCORES = ["n_points", "k", "silhouette", "davies_bouldin", "calinski_harabasz", "inertia",
          "ari", "nmi", "reconstruction_r2", "pca_explained_variance_ratio", "cluster_sizes",
          "scores_in_standardized_space"]

def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.exists() else None

def main():
    before, after = Path(sys.argv[1]), Path(sys.argv[2])
    runs = sys.argv[3:] or ["kmeans", "ward", "pca3-kmeans"]
    bad = 0
    for run in runs:
        a = json.loads((before / run / "metrics.json").read_text())
        b = json.loads((after / run / "metrics.json").read_text())
        for key in SCORES:
            same = a.get(key) == b.get(key)
            bad += not same
            print(f"{'same' if same else 'DIFF'} {run} {key}: {a.get(key)!r}" + ("" if same else f" -> {b.get(key)!r}"))
        for name in ["labels.csv", "centers.csv", "linkage.csv"]:
            da, db = digest(before / run / name), digest(after / run / name)
            if da is None and db is None:
                continue
            if name == "labels.csv" and da != db:
                # A membership column may be added by newer versions; compare the first 5 columns.
                la = [l.split(",")[:5] for l in (before / run / name).read_text().splitlines()]
                lb = [l.split(",")[:5] for l in (after / run / name).read_text().splitlines()]
                da, db = ("same", "same") if la == lb else (da, db)
            same = da == db
            bad += not same
            print(f"{'same' if same else 'DIFF'} {run} {name}")
    print(f"{bad} differences")
    sys.exit(1 if bad else 0)

main()
