#!/usr/bin/env python3
"""Reference results for tests/gmm.rs (scikit-learn's GaussianMixture, full and diag).

Run: tests/reference/.venv/bin/python tests/reference/ref_gmm.py
Writes tests/fixtures/gmm.json. Data are rounded to 4 decimals BEFORE fitting, so the JSON holds
exactly what scikit-learn saw. For every data set and covariance type two fits are stored:

- "given": weights_init, means_init and precisions_init computed here from a fixed KMeans run
  (cluster fractions, centres, inverse of the cluster covariances plus reg_covar);
- "kmeans++": init_params="k-means++" with random_state=0, plus the seed rows that
  sklearn.cluster.kmeans_plusplus draws from the same RandomState(0), so the Rust side can start
  from the same rows (GaussianMixture passes its RandomState straight to kmeans_plusplus).

Both with n_init=1 and a tol/max_iter that converge.
"""
import json
import pathlib

import numpy as np
import sklearn
from sklearn.cluster import KMeans, kmeans_plusplus
from sklearn.mixture import GaussianMixture

OUT = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "gmm.json"
TOL = 1e-4
MAX_ITER = 500
REG_COVAR = 1e-6
FEW = 12  # rows whose score_samples / predict_proba are stored


def blobs2d(seed=5):
    """3 groups in 2-D with different shapes: round, elongated and tilted, small and tight."""
    rng = np.random.default_rng(seed)
    a = rng.multivariate_normal([0.0, 0.0], [[1.0, 0.0], [0.0, 1.0]], size=200)
    b = rng.multivariate_normal([5.0, 1.0], [[2.5, 1.2], [1.2, 0.8]], size=180)
    c = rng.multivariate_normal([1.5, 5.0], [[0.15, -0.05], [-0.05, 0.3]], size=120)
    x = np.vstack([a, b, c])
    return np.round(x[rng.permutation(len(x))], 4)


def aniso5d(seed=11):
    """4 overlapping anisotropic groups in 5-D (random rotations, scales 0.2 to 3)."""
    rng = np.random.default_rng(seed)
    parts = []
    for size, shift in zip([220, 160, 140, 80], [0.0, 3.0, -3.0, 6.0]):
        q, _ = np.linalg.qr(rng.normal(size=(5, 5)))
        scales = rng.uniform(0.2, 3.0, size=5)
        centre = rng.normal(size=5) * 2.0 + shift
        parts.append(centre + (rng.normal(size=(size, 5)) * scales) @ q.T)
    x = np.vstack(parts)
    return np.round(x[rng.permutation(len(x))], 4)


def initial_parameters(x, k, covariance_type):
    """weights, means and precisions of a fixed KMeans partition (plus reg_covar)."""
    km = KMeans(n_clusters=k, n_init=10, random_state=0).fit(x)
    weights = np.bincount(km.labels_, minlength=k) / len(x)
    means = km.cluster_centers_
    precisions = []
    for j in range(k):
        part = x[km.labels_ == j]
        cov = np.cov(part.T, bias=True) + REG_COVAR * np.eye(x.shape[1])
        precisions.append(np.linalg.inv(cov) if covariance_type == "full" else 1.0 / np.diag(cov))
    precisions = np.array(precisions)
    if covariance_type == "full":
        precisions = (precisions + precisions.transpose(0, 2, 1)) / 2.0
    return weights, means, precisions


def results(gm, x):
    return {
        "weights": gm.weights_.tolist(),
        "means": gm.means_.tolist(),
        "covariances": gm.covariances_.tolist(),
        "precisions_cholesky": gm.precisions_cholesky_.tolist(),
        "lower_bound": float(gm.lower_bound_),
        "n_iter": int(gm.n_iter_),
        "converged": bool(gm.converged_),
        "score": float(gm.score(x)),
        "score_samples_head": gm.score_samples(x[:FEW]).tolist(),
        "predict_proba_head": gm.predict_proba(x[:FEW]).tolist(),
        "bic": float(gm.bic(x)),
        "aic": float(gm.aic(x)),
        "n_parameters": int(gm._n_parameters()),
        "labels": gm.predict(x).tolist(),
    }


def cases(name, x, k):
    out = []
    for covariance_type in ("full", "diag"):
        weights, means, precisions = initial_parameters(x, k, covariance_type)
        gm = GaussianMixture(
            n_components=k, covariance_type=covariance_type, tol=TOL, reg_covar=REG_COVAR,
            max_iter=MAX_ITER, n_init=1, weights_init=weights, means_init=means,
            precisions_init=precisions,
        ).fit(x)
        assert gm.converged_, (name, covariance_type, "given")
        out.append({
            "data": name, "k": k, "covariance_type": covariance_type, "init": "given",
            "weights_init": weights.tolist(), "means_init": means.tolist(),
            "precisions_init": precisions.tolist(), **results(gm, x),
        })
        _, seed_rows = kmeans_plusplus(x, k, random_state=np.random.RandomState(0))
        gm = GaussianMixture(
            n_components=k, covariance_type=covariance_type, tol=TOL, reg_covar=REG_COVAR,
            max_iter=MAX_ITER, n_init=1, init_params="k-means++", random_state=0,
        ).fit(x)
        assert gm.converged_, (name, covariance_type, "kmeans++")
        out.append({
            "data": name, "k": k, "covariance_type": covariance_type, "init": "kmeans++",
            "seed_rows": [int(i) for i in seed_rows], **results(gm, x),
        })
    return out


def main():
    data = {"blobs2d": blobs2d(), "aniso5d": aniso5d()}
    fixture = {
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "tol": TOL,
        "max_iter": MAX_ITER,
        "reg_covar": REG_COVAR,
        "few": FEW,
        "data": {name: x.tolist() for name, x in data.items()},
        "cases": cases("blobs2d", data["blobs2d"], 3) + cases("aniso5d", data["aniso5d"], 4),
    }
    OUT.write_text(json.dumps(fixture, separators=(",", ":")))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
    for c in fixture["cases"]:
        print(c["data"], c["covariance_type"], c["init"], "n_iter", c["n_iter"], "lower_bound", c["lower_bound"])


if __name__ == "__main__":
    main()
