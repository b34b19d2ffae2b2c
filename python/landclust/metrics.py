"""Clustering scores with scikit-learn's signatures and results (``sklearn.metrics``), computed by
landclust's library in O(n d) memory with the GIL released."""

import numpy as np

from . import _core
from ._validation import check_array, check_random_state, encode_labels


def _data_and_labels(X, labels):
    X = check_array(X)
    labels = encode_labels(labels)
    if labels.shape[0] != X.shape[0]:
        raise ValueError(f"data rows and labels: lengths differ ({X.shape[0]} vs {labels.shape[0]})")
    return X, labels


def silhouette_samples(X, labels):
    """Silhouette coefficient of each sample.

    For sample ``i`` in cluster ``A``, with ``a(i)`` the mean Euclidean distance to the other
    members of ``A`` and ``b(i)`` the smallest mean distance to the members of another cluster,

    ``s(i) = (b(i) - a(i)) / max(a(i), b(i))``, and ``s(i) = 0`` when ``|A| = 1``.

    Equivalent to ``sklearn.metrics.silhouette_samples(X, labels)`` (Euclidean metric), without its
    O(n^2) distance matrix.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        float32 or float64, any memory layout.
    labels : array-like of shape (n_samples,)
        Cluster of each sample (any integers; recoded to 0..k-1). Needs 2 <= k <= n_samples - 1.

    Returns
    -------
    ndarray of shape (n_samples,), float64

    Raises
    ------
    ValueError
        Wrong shapes, non-finite values, labels of the wrong length or a bad number of clusters.
    TypeError
        Non-numeric ``X``.
    """
    X, labels = _data_and_labels(X, labels)
    return _core.silhouette_samples(X, labels)


def silhouette_score(X, labels, *, sample_size=None, random_state=None):
    """Mean silhouette coefficient ``S = (1/n) sum_i s(i)`` (see :func:`silhouette_samples`).

    Equivalent to ``sklearn.metrics.silhouette_score(X, labels, sample_size=..., random_state=...)``
    (Euclidean metric). With ``sample_size``, the score is computed on the same random subset as
    scikit-learn draws (``check_random_state(random_state).permutation(n)[:sample_size]``), so the
    result equals scikit-learn's for the same ``random_state``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    labels : array-like of shape (n_samples,)
    sample_size : int, optional
        Score a random subset of this many samples.
    random_state : int, RandomState or None
        Draws the subset (as in scikit-learn).

    Returns
    -------
    float in [-1, 1]
    """
    X, labels = _data_and_labels(X, labels)
    if sample_size is not None:
        indices = check_random_state(random_state).permutation(X.shape[0])[:sample_size]
        X, labels = X[indices], encode_labels(labels[indices])
    return _core.silhouette_score(X, labels)


def davies_bouldin_score(X, labels):
    """Davies-Bouldin index (Davies & Bouldin 1979); lower is better.

    With centroids ``c_i`` and ``s_i`` the mean distance of cluster ``i``'s members to ``c_i``,

    ``DB = (1/k) sum_i max_{j != i} (s_i + s_j) / ||c_i - c_j||``.

    Equivalent to ``sklearn.metrics.davies_bouldin_score(X, labels)``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    labels : array-like of shape (n_samples,)

    Returns
    -------
    float >= 0
    """
    X, labels = _data_and_labels(X, labels)
    return _core.davies_bouldin_score(X, labels)


def calinski_harabasz_score(X, labels):
    """Calinski-Harabasz index (variance ratio criterion, Calinski & Harabasz 1974); higher is better.

    ``CH = [tr(B) / (k - 1)] / [tr(W) / (n - k)]`` with ``B`` the between-cluster and ``W`` the
    within-cluster scatter matrices.

    Equivalent to ``sklearn.metrics.calinski_harabasz_score(X, labels)``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    labels : array-like of shape (n_samples,)

    Returns
    -------
    float >= 0
    """
    X, labels = _data_and_labels(X, labels)
    return _core.calinski_harabasz_score(X, labels)


def _two_labelings(labels_true, labels_pred):
    a = encode_labels(labels_true, "labels_true")
    b = encode_labels(labels_pred, "labels_pred")
    if a.shape[0] != b.shape[0]:
        raise ValueError(f"labels_true and labels_pred: lengths differ ({a.shape[0]} vs {b.shape[0]})")
    return a, b


def adjusted_rand_score(labels_true, labels_pred):
    """Adjusted Rand index (Hubert & Arabie 1985) of two labelings.

    With the contingency table ``n_ij``, row sums ``a_i``, column sums ``b_j``,

    ``ARI = (sum_ij C(n_ij, 2) - E) / ((sum_i C(a_i, 2) + sum_j C(b_j, 2)) / 2 - E)``,
    ``E = sum_i C(a_i, 2) sum_j C(b_j, 2) / C(n, 2)``.

    Equivalent to ``sklearn.metrics.adjusted_rand_score(labels_true, labels_pred)`` (1.0 for
    identical partitions, including the special cases scikit-learn defines).

    Parameters
    ----------
    labels_true, labels_pred : array-like of shape (n_samples,)

    Returns
    -------
    float <= 1
    """
    a, b = _two_labelings(labels_true, labels_pred)
    return _core.adjusted_rand_score(a, b)


def normalized_mutual_info_score(labels_true, labels_pred, *, average_method="arithmetic"):
    """Normalized mutual information with arithmetic averaging.

    ``NMI = I(U; V) / ((H(U) + H(V)) / 2)`` with natural-log entropies.

    Equivalent to ``sklearn.metrics.normalized_mutual_info_score(labels_true, labels_pred)``
    (its default ``average_method="arithmetic"``, the only one offered here).

    Parameters
    ----------
    labels_true, labels_pred : array-like of shape (n_samples,)
    average_method : {"arithmetic"}

    Returns
    -------
    float in [0, 1]
    """
    if average_method != "arithmetic":
        raise ValueError(f"average_method: only 'arithmetic' is implemented, got {average_method!r}")
    a, b = _two_labelings(labels_true, labels_pred)
    return _core.normalized_mutual_info_score(a, b)
