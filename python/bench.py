"""Benchmark: landclust vs scikit-learn / fastcluster, same data.

    python python/bench.py [--n 64800] [--d 7] [--skip-sklearn]

1. silhouette_score on n x d points (6 clusters), landclust vs sklearn.metrics.silhouette_score,
   both in this process on the same array (sklearn's chunked pairwise distances).
2. Ward linkage on the same n points: landclust.ward_linkage vs
   fastcluster.linkage_vector(X, method="ward"), each in a fresh subprocess so its peak resident
   memory (VmHWM of /proc/self/status, including the interpreter, NumPy, scikit-learn for the
   data and the 64,800 x 7 input) is its own; the time is of the call alone. The heights are compared too.

The data: 64,800 = the 1-degree grid's 180 x 360 cells, 7 variables = the study's NDVI + 6 DHR
bands; Gaussian blobs (random_state=0) stand in for them.
"""

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

# This file sits beside the package's sources (python/landclust/, without the compiled
# module): import the installed package instead.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]

CHILD = r"""
import json, sys, time
import numpy as np
n, d, which = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
from sklearn.datasets import make_blobs
X, _ = make_blobs(n_samples=n, n_features=d, centers=6, random_state=0)
if which == "landclust":
    import landclust
    t = time.perf_counter(); Z = landclust.ward_linkage(X); dt = time.perf_counter() - t
else:
    import fastcluster
    t = time.perf_counter(); Z = fastcluster.linkage_vector(X, method="ward"); dt = time.perf_counter() - t
np.save(sys.argv[4], Z[:, 2])
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking parent across exec.
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(json.dumps({"seconds": dt, "peak_rss_mb": hwm / 1024}))
"""


def data(n, d):
    from sklearn.datasets import make_blobs

    return make_blobs(n_samples=n, n_features=d, centers=6, random_state=0)


def best_of(f, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        value = f()
        times.append(time.perf_counter() - t)
    return min(times), value


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=64_800)
    ap.add_argument("--d", type=int, default=7)
    ap.add_argument("--skip-sklearn", action="store_true", help="time landclust only")
    args = ap.parse_args()

    import landclust

    X, y = data(args.n, args.d)
    print(f"data: {args.n} x {args.d}, 6 blobs; {os.cpu_count()} CPU(s)")
    t_ours, s_ours = best_of(lambda: landclust.silhouette_score(X, y), 3)
    print(f"silhouette_score  landclust: {t_ours:8.3f} s  ({s_ours:.12f})")
    if not args.skip_sklearn:
        from sklearn.metrics import silhouette_score

        t_sk, s_sk = best_of(lambda: silhouette_score(X, y), 1)
        print(f"silhouette_score  sklearn:   {t_sk:8.3f} s  ({s_sk:.12f})  -> {t_sk / t_ours:.1f}x faster, |diff| = {abs(s_sk - s_ours):.1e}")

    results = {}
    for which in ("landclust", "fastcluster"):
        heights = f"/tmp/landclust-bench-{which}.npy"
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(args.n), str(args.d), which, heights],
            check=True, capture_output=True, text=True,
        )
        results[which] = json.loads(out.stdout.strip().splitlines()[-1])
        results[which]["heights"] = np.load(heights)
        os.remove(heights)
        r = results[which]
        print(f"ward linkage      {which + ':':12} {r['seconds']:8.3f} s, peak RSS {r['peak_rss_mb']:6.0f} MB")
    ours, theirs = results["landclust"], results["fastcluster"]
    rel = np.max(np.abs(ours["heights"] - theirs["heights"]) / np.maximum(theirs["heights"], 1e-300))
    print(f"ward linkage      landclust {theirs['seconds'] / ours['seconds']:.1f}x faster than fastcluster.linkage_vector; max relative height difference {rel:.1e}")


if __name__ == "__main__":
    main()
