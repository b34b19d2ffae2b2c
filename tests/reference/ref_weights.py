#!/usr/bin/env python3
"""Reference results for tests/weights.rs (area weights, `--weights area`).

Run: tests/reference/.venv/bin/python tests/reference/ref_weights.py
Writes tests/fixtures/weights.json. Data and weights are rounded to 6 decimals first and every
result is computed from the rounded values, so Rust and Python see the same input. Weights are
scaled to mean 1, as landclust scales them.

* weighted standardization: numpy's `average` (mean) and `sqrt(average((x - m)**2))` (the
  population standard deviation with weights);
* K-Means with `sample_weight`: scikit-learn's `KMeans(init=<given centres>, n_init=1,
  algorithm="lloyd")`, so both start from the same centres;
* the weighted PCA of the standardized data: the eigenvalues of
  `sum_i w_i (z_i - m)(z_i - m)^T / (sum_i w_i - 1)` (`numpy.linalg.eigh`), largest first;
* the weighted silhouette, Davies-Bouldin and Calinski-Harabasz: a direct NumPy transcription
  of the definitions in src/metrics/weighted.rs.
"""
import json
import pathlib

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.metrics import pairwise_distances

OUT = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "weights.json"


def data(n=400, seed=3):
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0, 0.0], [3.0, 3.0, 0.0], [0.0, 3.5, 3.0], [3.0, 0.0, 3.0]])
    x = centres[rng.integers(0, 4, n)] + rng.normal(scale=1.1, size=(n, 3))
    x = x * [1.0, 10.0, 0.1] + [5.0, -20.0, 0.3]
    # Weights like cos(latitude) of cells between 0 and 75 degrees.
    lat = rng.uniform(0.0, 75.0, n)
    w = np.cos(np.radians(lat))
    x = np.round(x, 6)
    w = np.round(w, 6)
    return x, w / w.mean()


def weighted_silhouette(x, labels, w):
    d = pairwise_distances(x)
    k = labels.max() + 1
    s = np.zeros(len(x))
    for i in range(len(x)):
        own = labels[i]
        cw = np.array([w[labels == c].sum() for c in range(k)])
        sums = np.array([(w[labels == c] * d[i, labels == c]).sum() for c in range(k)])
        own_w = cw[own] - w[i]
        if own_w <= 0:
            continue
        a = sums[own] / own_w
        b = min(sums[c] / cw[c] for c in range(k) if c != own)
        s[i] = (b - a) / max(a, b)
    return float(np.average(s, weights=w))


def weighted_db_ch(x, labels, w):
    k = labels.max() + 1
    W = np.array([w[labels == c].sum() for c in range(k)])
    cent = np.array([np.average(x[labels == c], axis=0, weights=w[labels == c]) for c in range(k)])
    scat = np.array([np.average(np.linalg.norm(x[labels == c] - cent[c], axis=1), weights=w[labels == c])
                     for c in range(k)])
    cd = np.linalg.norm(cent[:, None, :] - cent[None, :, :], axis=2)
    db = np.mean([max((scat[i] + scat[j]) / cd[i, j] for j in range(k) if j != i) for i in range(k)])
    m = np.average(x, axis=0, weights=w)
    between = float((W * ((cent - m) ** 2).sum(axis=1)).sum())
    within = float((w * ((x - cent[labels]) ** 2).sum(axis=1)).sum())
    n = w.sum()
    ch = between * (n - k) / (within * (k - 1))
    return float(db), float(ch)


def main():
    x, w = data()
    mean = np.average(x, axis=0, weights=w)
    std = np.sqrt(np.average((x - mean) ** 2, axis=0, weights=w))
    z = (x - mean) / std
    k = 4
    init = z[[3, 50, 120, 300]]
    km = KMeans(n_clusters=k, init=init, n_init=1, algorithm="lloyd", max_iter=300, tol=1e-4)
    km.fit(z, sample_weight=w)
    labels = km.labels_
    sil = weighted_silhouette(z, labels, w)
    zm = np.average(z, axis=0, weights=w)
    cov = ((z - zm) * w[:, None]).T @ (z - zm) / (w.sum() - 1.0)
    values, vectors = np.linalg.eigh(cov)
    order = np.argsort(values)[::-1]
    values, vectors = values[order], vectors[:, order]
    # Sign convention of landclust and scikit-learn >= 1.5: the largest |entry| positive.
    signs = np.sign(vectors[np.abs(vectors).argmax(axis=0), range(vectors.shape[1])])
    vectors = vectors * signs
    db, ch = weighted_db_ch(z, labels, w)
    out = {
        "sklearn_version": sklearn.__version__,
        "x": x.tolist(),
        "weights": w.tolist(),
        "mean": mean.tolist(),
        "std": std.tolist(),
        "k": k,
        "init": init.tolist(),
        "labels": labels.tolist(),
        "inertia": float(km.inertia_),
        "centres": km.cluster_centers_.tolist(),
        "n_iter": int(km.n_iter_),
        "pca_explained_variance": values.tolist(),
        "pca_components": vectors.T.tolist(),
        "silhouette": sil,
        "davies_bouldin": db,
        "calinski_harabasz": ch,
    }
    OUT.write_text(json.dumps(out))
    print(f"wrote {OUT}: inertia {out['inertia']:.6f}, n_iter {out['n_iter']}, silhouette {sil:.6f}, "
          f"DB {db:.6f}, CH {ch:.3f}")


if __name__ == "__main__":
    main()
