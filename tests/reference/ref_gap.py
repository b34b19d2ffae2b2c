#!/usr/bin/env python3
"""Reference for the gap statistic (Tibshirani, Walther & Hastie 2001), written from the paper
with numpy + scikit-learn KMeans, on a small blob data set with a known number of blobs (4).

Makes tests/fixtures/gap.json: the data, the B = 10 reference sets (drawn here, uniformly in
the box aligned with the principal axes of the data: reference (b) of the paper) and the
expected log W_k, mean log W*_k, Gap(k), s_k and chosen k for k = 1..8. The Rust test clusters
the SAME reference sets, so only the K-Means fits differ between the two sides.

Run: tests/reference/.venv/bin/python tests/reference/ref_gap.py
"""
import json
import pathlib

import numpy as np
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs

K_MAX = 8
B = 10
SEED = 20260

x, truth = make_blobs(n_samples=240, centers=[[0, 0], [6, 1], [1, 7], [7, 7]], cluster_std=1.0,
                      random_state=SEED)

# Reference (b): centre, rotate onto the principal axes (V of the SVD), draw uniformly over the
# range of each rotated column, rotate back, add the mean back.
rng = np.random.default_rng(SEED)
mean = x.mean(axis=0)
xc = x - mean
_, _, vt = np.linalg.svd(xc, full_matrices=False)
xr = xc @ vt.T
lo, hi = xr.min(axis=0), xr.max(axis=0)
refs = [rng.uniform(lo, hi, size=xr.shape) @ vt + mean for _ in range(B)]


def log_w(data):
    """log W_k for k = 1..K_MAX: W_k = K-Means inertia (pooled within-cluster sum of squares)."""
    return np.array([np.log(KMeans(n_clusters=k, n_init=100, random_state=0).fit(data).inertia_)
                     for k in range(1, K_MAX + 1)])


lw = log_w(x)
lw_ref = np.array([log_w(r) for r in refs])  # B x K_MAX
gap = lw_ref.mean(axis=0) - lw
sd = lw_ref.std(axis=0)  # 1/B, as in the paper
s = sd * np.sqrt(1 + 1 / B)
k_hat = next((k + 1 for k in range(K_MAX - 1) if gap[k] >= gap[k + 1] - s[k + 1]), None)
print("gap", np.round(gap, 4), "s", np.round(s, 4), "k", k_hat)

out = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "gap.json"
out.write_text(json.dumps({
    "source": "tests/reference/ref_gap.py (numpy + scikit-learn KMeans n_init=100)",
    "k_max": K_MAX,
    "n_blobs": 4,
    "x": x.tolist(),
    "refs": [r.tolist() for r in refs],
    "log_w": lw.tolist(),
    "log_w_ref": lw_ref.mean(axis=0).tolist(),
    "gap": gap.tolist(),
    "s_k": s.tolist(),
    "k": k_hat,
}))
print("wrote", out)
