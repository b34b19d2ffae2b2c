"""Time the Python references on a big matrix (the Rust side: examples/ward_speed.rs).

usage: bench_reference.py X.(npy|csv) [LABELS.(npy|csv)|-] [ward|silhouette|kmeans|elbow|all]
Prints seconds for fastcluster.linkage_vector(X, 'ward'), sklearn silhouette_score(X, labels)
(labels default: the 6-cluster cut of the Ward tree), KMeans(6, n_init=10) and the elbow sweep
k = 1..20 with n_init=10. X may be the CSV written by `landclust bench --export X.csv` (header
skipped), so both sides time the same matrix. Measure peak memory with /usr/bin/time -v.
"""
import sys
import time

import numpy as np


def load(path, dtype):
    if path.endswith(".npy"):
        return np.load(path).astype(dtype)
    with open(path) as f:
        first = f.readline()
    header = 1 if any(c.isalpha() and c not in "eE" for c in first) else 0
    return np.loadtxt(path, delimiter=",", dtype=dtype, skiprows=header)


def main():
    x = np.ascontiguousarray(load(sys.argv[1], np.float64))
    labels = load(sys.argv[2], np.int64) if len(sys.argv) > 2 and sys.argv[2] != "-" else None
    what = sys.argv[3] if len(sys.argv) > 3 else "all"
    print(f"data {x.shape[0]} x {x.shape[1]}")
    if what in ("all", "ward"):
        import fastcluster
        from scipy.cluster.hierarchy import fcluster

        t = time.perf_counter()
        z = fastcluster.linkage_vector(x, "ward")
        secs = time.perf_counter() - t
        print(f"fastcluster.linkage_vector ward: {secs:.3f} s  (top height {z[-1, 2]:.6f})")
        print("ward last 5 heights: " + " ".join(f"{h:.9f}" for h in z[-5:, 2]))
        if labels is None:
            labels = fcluster(z, 6, criterion="maxclust")
    if what in ("all", "kmeans", "elbow"):
        from sklearn.cluster import KMeans

        t = time.perf_counter()
        km = KMeans(6, n_init=10, random_state=0).fit(x)
        print(f"sklearn KMeans k=6 n_init=10: {time.perf_counter() - t:.3f} s  (inertia {km.inertia_:.6e})")
        if labels is None:
            labels = km.labels_
    if what in ("all", "elbow"):
        t = time.perf_counter()
        wcss = [KMeans(k, n_init=10, random_state=0).fit(x).inertia_ for k in range(1, 21)]
        print(f"sklearn elbow k=1..20 n_init=10: {time.perf_counter() - t:.3f} s  (wcss k=20 {wcss[-1]:.6e})")
    if what in ("all", "silhouette") and labels is not None:
        from sklearn.metrics import silhouette_score

        t = time.perf_counter()
        s = silhouette_score(x, labels)
        print(f"sklearn silhouette_score: {time.perf_counter() - t:.3f} s  (score {s:.12f})")


if __name__ == "__main__":
    main()
