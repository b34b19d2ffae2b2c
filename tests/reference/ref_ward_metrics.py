"""Reference values for tests/ward_metrics.rs (Ward linkage and clustering scores).

Run: tests/reference/.venv/bin/python tests/reference/ref_ward_metrics.py
Writes tests/fixtures/ward_metrics.json: data sets (continuous, so no tied merge heights), the
scipy Ward linkage, scikit-learn Ward cuts, silhouette / Davies-Bouldin / Calinski-Harabasz for
given labels, and ARI / NMI for label pairs.
"""
import json
import pathlib

import numpy as np
import scipy
import sklearn
from scipy.cluster.hierarchy import linkage
from sklearn.cluster import AgglomerativeClustering
from sklearn.datasets import make_blobs
from sklearn.metrics import (adjusted_rand_score, calinski_harabasz_score, davies_bouldin_score,
                             normalized_mutual_info_score, silhouette_samples, silhouette_score)

OUT = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "ward_metrics.json"


def datasets():
    rng = np.random.default_rng(7)
    x1, y1 = make_blobs(n_samples=120, centers=4, n_features=3, random_state=0)
    yield "blobs_120x3", x1, y1
    yield "uniform_200x5", rng.uniform(size=(200, 5)), rng.integers(0, 3, 200)
    x3, y3 = make_blobs(n_samples=300, centers=6, n_features=7, cluster_std=[0.5, 1, 1.5, 2, 1, 3],
                        random_state=3)
    yield "blobs_300x7", x3, y3
    yield "gauss_3x2", rng.normal(size=(3, 2)), np.array([0, 1, 1])


def label_sets(x, truth, rng):
    n = len(x)
    sets = {"truth": truth}
    if n > 3:
        ward4 = AgglomerativeClustering(n_clusters=4, linkage="ward").fit(x).labels_
        sets["ward4"] = ward4
        rnd = rng.integers(0, 5, n) * 3 + 10  # gappy label values
        rnd[0] = 99  # a singleton cluster
        sets["random_singleton"] = rnd
    return {k: np.asarray(v, dtype=np.int64) for k, v in sets.items()}


def main():
    rng = np.random.default_rng(11)
    cases = []
    for name, x, truth in datasets():
        n = len(x)
        z = linkage(x, "ward")
        cuts = {}
        for k in sorted({1, 2, 3, 6, n - 1, n} & set(range(1, n + 1))):
            if k == 1:
                cuts[k] = [0] * n
            else:
                cuts[k] = AgglomerativeClustering(n_clusters=k, linkage="ward").fit(x).labels_.tolist()
        scores = []
        for lname, lab in label_sets(x, truth, rng).items():
            k = len(np.unique(lab))
            if not 2 <= k <= n - 1:
                continue
            scores.append({
                "labels_name": lname, "labels": lab.tolist(),
                "silhouette": float(silhouette_score(x, lab)),
                "silhouette_samples": silhouette_samples(x, lab).tolist(),
                "davies_bouldin": float(davies_bouldin_score(x, lab)),
                "calinski_harabasz": float(calinski_harabasz_score(x, lab)),
            })
        cases.append({"name": name, "x": x.tolist(), "linkage": z.tolist(),
                      "cuts": {str(k): v for k, v in cuts.items()}, "scores": scores})
    pairs = []
    for i in range(6):
        n = int(rng.integers(5, 300))
        a = rng.integers(0, int(rng.integers(1, 8)), n)
        b = np.where(rng.uniform(size=n) < 0.6, a * 2 + 1, rng.integers(0, 5, n))
        pairs.append((a, b))
    pairs.append((np.array([0, 0, 1, 1]), np.array([1, 1, 0, 0])))
    pairs.append((np.array([3, 3, 3]), np.array([0, 1, 2])))
    pairs.append((np.array([0, 0, 0, 0]), np.array([1, 1, 1, 1])))
    pairs.append((np.array([0, 1, 0, 1]), np.array([0, 0, 1, 1])))
    agreement = [{"a": a.tolist(), "b": b.tolist(), "ari": float(adjusted_rand_score(a, b)),
                  "nmi": float(normalized_mutual_info_score(a, b))} for a, b in pairs]
    doc = {"generator": "tests/reference/ref_ward_metrics.py",
           "versions": {"numpy": np.__version__, "scipy": scipy.__version__,
                        "sklearn": sklearn.__version__},
           "cases": cases, "agreement": agreement}
    OUT.write_text(json.dumps(doc, separators=(",", ":")))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
