"""Reference values of the agreement measures (src/metrics/agreement.rs) from scikit-learn and
scipy: homogeneity, completeness, V-measure, overall accuracy and Cohen's kappa after mapping
each cluster to its majority class, and Cramer's V.

Weighted measures are checked with integer weights: a point of weight w counts as w copies of
itself, so the reference is the unweighted measure of the repeated points (np.repeat) and, for
accuracy and kappa, scikit-learn's own sample_weight as well.

Usage: python tests/reference/ref_agreement.py  (writes tests/fixtures/agreement.json)
"""
import json
import pathlib

import numpy as np
import scipy
import sklearn
from scipy.stats.contingency import association, crosstab
from sklearn.metrics import (accuracy_score, cohen_kappa_score, completeness_score,
                             homogeneity_score, v_measure_score)


def majority_map(classes, clusters):
    """Each cluster's majority class (ties: the smallest class), applied to every point."""
    cls = np.unique(classes)
    mapping = {}
    for k in np.unique(clusters):
        counts = np.array([np.sum((clusters == k) & (classes == c)) for c in cls])
        mapping[k] = cls[int(np.argmax(counts))]
    return np.array([mapping[k] for k in clusters]), [int(np.searchsorted(cls, mapping[k])) for k in np.unique(clusters)]


def measures(classes, clusters):
    mapped, majority = majority_map(classes, clusters)
    table = crosstab(classes, clusters).count
    cramer = 0.0 if min(table.shape) < 2 else float(association(table, method="cramer"))
    return {
        "homogeneity": float(homogeneity_score(classes, clusters)),
        "completeness": float(completeness_score(classes, clusters)),
        "v_measure": float(v_measure_score(classes, clusters)),
        "cramers_v": cramer,
        "overall_accuracy": float(accuracy_score(classes, mapped)),
        "kappa": float(cohen_kappa_score(classes, mapped)),
        "majority_class": majority,
    }


def case(name, classes, clusters, weights):
    classes, clusters, weights = np.asarray(classes), np.asarray(clusters), np.asarray(weights)
    unweighted = measures(classes, clusters)
    weighted = measures(np.repeat(classes, weights), np.repeat(clusters, weights))
    mapped, _ = majority_map(np.repeat(classes, weights), np.repeat(clusters, weights))
    # The same mapping applied to the unrepeated points, scored with sample_weight.
    order = np.unique(clusters)
    per_cluster = {k: mapped[np.repeat(clusters, weights) == k][0] for k in order}
    mapped_points = np.array([per_cluster[k] for k in clusters])
    weighted["accuracy_sample_weight"] = float(accuracy_score(classes, mapped_points, sample_weight=weights))
    weighted["kappa_sample_weight"] = float(cohen_kappa_score(classes, mapped_points, sample_weight=weights))
    return {
        "name": name,
        "classes": classes.tolist(),
        "clusters": clusters.tolist(),
        "weights": weights.tolist(),
        "unweighted": unweighted,
        "weighted": weighted,
    }


def main():
    rng = np.random.default_rng(20261207)
    cases = []
    # Clusters that follow the classes with noise: 5 classes, 6 clusters, 2000 points.
    classes = rng.integers(0, 5, 2000)
    clusters = np.where(rng.random(2000) < 0.7, classes, rng.integers(0, 6, 2000))
    cases.append(case("noisy_5x6", classes * 10 + 3, clusters, rng.integers(1, 5, 2000)))
    # More classes than clusters (a cluster maps to one class, others stay unmapped).
    classes = rng.integers(0, 8, 1500)
    clusters = (classes // 3 + (rng.random(1500) < 0.2)).astype(int)
    cases.append(case("classes_8_clusters_4", classes, clusters, rng.integers(1, 9, 1500)))
    # Independent labelings: everything near 0.
    cases.append(case("independent", rng.integers(0, 4, 3000), rng.integers(0, 7, 3000), rng.integers(1, 3, 3000)))
    # A cluster whose top two classes tie (the smaller class wins).
    classes = np.array([0, 0, 1, 1, 2, 2, 2, 0, 1, 2])
    clusters = np.array([0, 0, 0, 0, 1, 1, 1, 2, 2, 2])
    cases.append(case("tie", classes, clusters, np.ones(10, dtype=int)))
    # 2 x 2 (scipy would apply Yates's correction only if asked; association() does not).
    classes = rng.integers(0, 2, 500)
    clusters = np.where(rng.random(500) < 0.8, classes, 1 - classes)
    cases.append(case("two_by_two", classes, clusters, rng.integers(1, 4, 500)))
    out = {
        "made_by": "tests/reference/ref_agreement.py",
        "versions": {"numpy": np.__version__, "scipy": scipy.__version__, "scikit-learn": sklearn.__version__},
        "cases": cases,
    }
    path = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "agreement.json"
    path.write_text(json.dumps(out, indent=None, separators=(",", ":")) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
