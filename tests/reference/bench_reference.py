"""Time the Python references on a big matrix (the Rust side: examples/ward_speed.rs).

usage: bench_reference.py X.(npy|csv) [LABELS.(npy|csv)] [ward|silhouette|all]
Prints seconds for fastcluster.linkage_vector(X, 'ward') and sklearn silhouette_score(X, labels)
(labels default: the 6-cluster cut of the Ward tree). Measure peak memory with /usr/bin/time -v.
"""
import sys
import time

import numpy as np


def load(path, dtype):
    if path.endswith(".npy"):
        return np.load(path).astype(dtype)
    return np.loadtxt(path, delimiter=",", dtype=dtype)


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
    if what in ("all", "silhouette") and labels is not None:
        from sklearn.metrics import silhouette_score

        t = time.perf_counter()
        s = silhouette_score(x, labels)
        print(f"sklearn silhouette_score: {time.perf_counter() - t:.3f} s  (score {s:.12f})")


if __name__ == "__main__":
    main()
