#!/usr/bin/env python3
"""Checks of tests/engine/check_spark.sh (numpy only): WORK holds spark/centers.json,
imported/ (landclust import of the job's labels) and own/ (landclust run, same k)."""
import csv
import json
import sys

import numpy as np


def labels(path):
    with open(path) as f:
        rows = [(int(r["row"]), int(r["col"]), int(r["cluster"])) for r in csv.DictReader(f)]
    rows.sort()
    return rows


def ari(a, b):
    """Adjusted Rand index (Hubert & Arabie 1985), as scikit-learn's adjusted_rand_score."""
    _, ai = np.unique(a, return_inverse=True)
    _, bi = np.unique(b, return_inverse=True)
    table = np.zeros((ai.max() + 1, bi.max() + 1))
    np.add.at(table, (ai, bi), 1)
    comb = lambda x: (x * (x - 1) / 2).sum()
    n = len(a)
    s_ij, s_a, s_b = comb(table), comb(table.sum(1)), comb(table.sum(0))
    expected = s_a * s_b / (n * (n - 1) / 2)
    return (s_ij - expected) / (0.5 * (s_a + s_b) - expected)


def main(work):
    spark = json.load(open(f"{work}/spark/centers.json"))
    imported = json.load(open(f"{work}/imported/metrics.json"))
    own = json.load(open(f"{work}/own/metrics.json"))
    failures = []

    rel = abs(spark["inertia"] - own["inertia"]) / own["inertia"]
    print(f"inertia: spark {spark['inertia']:.6f}  landclust {own['inertia']:.6f}  relative difference {rel:.2e}")
    if rel > 0.01:
        failures.append(f"inertia differs by {rel:.2%} (> 1 %)")

    a, b = labels(f"{work}/imported/labels.csv"), labels(f"{work}/own/labels.csv")
    if [r[:2] for r in a] != [r[:2] for r in b]:
        failures.append("the imported and landclust runs label different cells")
    else:
        score = ari(np.array([r[2] for r in a]), np.array([r[2] for r in b]))
        print(f"ARI(spark, landclust) = {score:.6f} over {len(a)} cells")
        if score < 0.95:
            failures.append(f"ARI {score:.4f} < 0.95")

    for key in ["davies_bouldin", "calinski_harabasz"]:
        x, y = spark[key], imported[key]
        rel = abs(x - y) / abs(y)
        print(f"{key}: job {x!r}  landclust {y!r}  relative difference {rel:.2e}")
        if rel > 1e-9:
            failures.append(f"{key} differs by {rel:.2e} relative (> 1e-9)")
    # Both silhouettes are estimates of the same labels' silhouette from independent samples:
    # they must agree within three standard errors of their difference.
    s_job, se_job = spark["silhouette"], spark["silhouette_std_error"]
    s_own, se_own = imported["silhouette"], imported.get("silhouette_std_error") or 0.0
    bound = 3.0 * (se_job ** 2 + se_own ** 2) ** 0.5 + 1e-9
    print(f"silhouette: job {s_job:.5f} +- {se_job:.5f} ({spark['silhouette_sample_size']} cells, "
          f"{spark['silhouette_estimator'].get('method')}), landclust {s_own:.5f} +- {se_own:.5f}; "
          f"difference {abs(s_job - s_own):.5f}, bound {bound:.5f}")
    if not abs(s_job - s_own) <= bound:
        failures.append(f"silhouettes differ by {abs(s_job - s_own):.5f} (> 3 standard errors, {bound:.5f})")
    for f in failures:
        print(f"FAIL: {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
