#!/usr/bin/env python3
"""Reference results for tests/pca_kmeans.rs (StandardScaler, corrcoef, PCA, KMeans).

Run: tests/reference/.venv/bin/python tests/reference/ref_pca_kmeans.py
Writes tests/fixtures/pca_kmeans.json (data rounded to 6 decimals, then all results computed
from the rounded data, so Rust and Python see the same input).
"""
import json
import pathlib

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler

OUT = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "pca_kmeans.json"


def correlated(n=300, seed=1):
    """7 variables mimicking the study's reflectances: strongly correlated pairs + offsets."""
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=(n, 3)) * [3.0, 1.5, 0.5]
    mix = rng.normal(size=(3, 7))
    noise = 0.05 * rng.normal(size=(n, 7))
    x = latent @ mix + noise
    return x * [0.02, 0.03, 0.05, 0.04, 0.06, 1.0, 10.0] + [0.1, 0.12, 0.15, 0.2, 0.25, 0.5, 40.0]


def kmeans_case(name, x, k):
    km = KMeans(n_clusters=k, n_init=10, random_state=0).fit(x)
    return {"name": name, "k": k, "inertia": float(km.inertia_), "labels": km.labels_.tolist(),
            "n_iter": int(km.n_iter_)}


def kneedle_decreasing_convex(x, y, sensitivity=1.0):
    """Kneedle (Satopaa et al. 2011), offline, for a decreasing convex curve: knee index."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    xn = (x - x.min()) / (x.max() - x.min())
    yn = (y - y.min()) / (y.max() - y.min())
    diff = (1.0 - yn) - xn
    step = np.mean(np.diff(xn))
    candidate = None
    for i in range(1, len(x)):
        if candidate is not None and diff[i] < candidate[1]:
            return candidate[0]
        if i + 1 < len(x) and diff[i] >= diff[i - 1] and diff[i] > diff[i + 1]:
            candidate = (i, diff[i] - sensitivity * step)
    return None


def main():
    x7 = np.round(correlated(), 6)
    blobs, _ = make_blobs(n_samples=300, n_features=4, centers=5, cluster_std=1.5, random_state=3)
    blobs = np.round(blobs, 6)
    z7 = StandardScaler().fit_transform(x7)
    pca_full = PCA(n_components=7).fit(z7)
    pca3 = PCA(n_components=3).fit(z7)
    z3 = pca3.transform(z7)
    back = pca3.inverse_transform(z3)
    mse = float(np.mean((back - z7) ** 2))  # listing 12: F.mse_loss
    r2 = 1.0 - mse / float(z7.var())
    ks = list(range(1, 11))
    wcss = [float(KMeans(n_clusters=k, n_init=10, random_state=0).fit(blobs).inertia_) for k in ks]
    knee = kneedle_decreasing_convex(ks, wcss)
    fixture = {
        "sklearn_version": sklearn.__version__,
        "correlated": {
            "data": x7.tolist(),
            "scaled": z7.tolist(),
            "corrcoef": np.corrcoef(x7, rowvar=False).tolist(),
            "pca_explained_variance": pca_full.explained_variance_.tolist(),
            "pca_explained_variance_ratio": pca_full.explained_variance_ratio_.tolist(),
            "pca_components": pca_full.components_.tolist(),
            "pca3_transform": z3.tolist(),
            "pca3_mse": mse,
            "pca3_r2": r2,
        },
        "blobs": {"data": blobs.tolist(), "elbow_wcss": wcss, "elbow_knee_k": knee + 1},
        "kmeans": [kmeans_case("blobs", blobs, k) for k in (3, 5, 8)]
        + [kmeans_case("correlated_pca3", z3, k) for k in (4, 6)],
    }
    OUT.write_text(json.dumps(fixture, separators=(",", ":")))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
