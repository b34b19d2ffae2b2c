"""K-Means and Ward as scikit-learn estimators (fit, predict, fit_predict, labels_,
cluster_centers_, inertia_, get_params/set_params), usable in ``sklearn.pipeline.Pipeline``."""

import inspect

import numpy as np

from . import _core
from ._validation import check_array, seed_from

try:  # subclass scikit-learn's bases when it is installed (tags, clone, repr, Pipeline checks)
    from sklearn.base import BaseEstimator, ClusterMixin
except ImportError:  # pragma: no cover - exercised only without scikit-learn

    class BaseEstimator:
        """Minimal stand-in for ``sklearn.base.BaseEstimator``: parameters are the keyword
        arguments of ``__init__``, stored under their own names."""

        @classmethod
        def _get_param_names(cls):
            sig = inspect.signature(cls.__init__)
            return sorted(p.name for p in sig.parameters.values() if p.name != "self" and p.kind != p.VAR_KEYWORD)

        def get_params(self, deep=True):
            return {name: getattr(self, name) for name in self._get_param_names()}

        def set_params(self, **params):
            valid = self._get_param_names()
            for key, value in params.items():
                if key not in valid:
                    raise ValueError(f"Invalid parameter {key!r} for estimator {type(self).__name__}; valid: {valid}")
                setattr(self, key, value)
            return self

        def __repr__(self):
            args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
            return f"{type(self).__name__}({args})"

    class ClusterMixin:
        """Minimal stand-in for ``sklearn.base.ClusterMixin``."""

        _estimator_type = "clusterer"

        def fit_predict(self, X, y=None):
            self.fit(X)
            return self.labels_


def _check_k(k):
    """``n_clusters`` must be an integer; its range is checked by the library (its messages)."""
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise TypeError(f"n_clusters: expected an integer, got {type(k).__name__}")
    if k < 0:
        raise ValueError(f"k = {k}: must be at least 1")
    return int(k)


class _Fitted:
    def _check_fitted(self):
        if not hasattr(self, "cluster_centers_"):
            raise AttributeError(f"this {type(self).__name__} instance is not fitted yet; call fit first")

    def predict(self, X):
        """Index of the nearest cluster centre of each row of ``X`` (lowest index on ties).

        Returns
        -------
        ndarray of shape (n_samples,), int64
        """
        self._check_fitted()
        X = check_array(X)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features, but {type(self).__name__} was fitted with {self.n_features_in_}")
        return _core.nearest_center(self.cluster_centers_, X).astype(np.int64)

    def fit_predict(self, X, y=None):
        """Fit on ``X`` and return ``labels_``."""
        return self.fit(X).labels_


class KMeans(_Fitted, ClusterMixin, BaseEstimator):
    """K-Means (Lloyd) with greedy k-means++ seeding, as ``sklearn.cluster.KMeans(algorithm="lloyd")``.

    Minimizes the inertia ``J = sum_i ||x_i - c_{l(i)}||^2`` over ``n_init`` restarts, keeping the
    best; stops a restart when ``sum_j ||c_j^new - c_j||^2 <= tol * mean_j var(x_j)`` or no label
    changes. Same semantics as scikit-learn (Hamerly's bounds make it faster, not different);
    the random streams differ, so labels match scikit-learn's up to the local optimum found.

    Parameters
    ----------
    n_clusters : int, default 8
    n_init : int or "auto", default 10
        Restarts ("auto" = 1, scikit-learn's choice for k-means++).
    max_iter : int, default 300
    tol : float, default 1e-4
    random_state : int, RandomState or None
        Seed of the library's ChaCha8 streams (an int is used as is; otherwise a seed is drawn).

    Attributes
    ----------
    cluster_centers_ : ndarray (n_clusters, n_features)
    labels_ : ndarray (n_samples,)
    inertia_ : float
    n_iter_ : int
    n_features_in_ : int
    """

    def __init__(self, n_clusters=8, *, n_init=10, max_iter=300, tol=1e-4, random_state=None):
        self.n_clusters = n_clusters
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    def fit(self, X, y=None):
        """Compute the clustering of ``X`` (n_samples, n_features)."""
        X = check_array(X)
        k = _check_k(self.n_clusters)
        n_init = 1 if self.n_init == "auto" else self.n_init
        for name, value in (("n_init", n_init), ("max_iter", self.max_iter)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"{name}: must be an integer >= 1, got {value!r}")
        centers, labels, inertia, n_iter = _core.kmeans_fit(
            X, k, int(n_init), int(self.max_iter), float(self.tol), seed_from(self.random_state)
        )
        self.cluster_centers_ = centers
        self.labels_ = labels.astype(np.int64)
        self.inertia_ = inertia
        self.n_iter_ = n_iter
        self.n_features_in_ = X.shape[1]
        return self


class Ward(_Fitted, ClusterMixin, BaseEstimator):
    """Exact Ward agglomerative clustering, as ``sklearn.cluster.AgglomerativeClustering(linkage="ward")``.

    Builds the full Ward tree (see :func:`landclust.ward_linkage`, O(n d) memory) and cuts it
    into ``n_clusters`` clusters, i.e. undoes the last ``n_clusters - 1`` merges, the same
    partition as ``scipy.cluster.hierarchy.fcluster(Z, n_clusters, "maxclust")``. Clusters are
    numbered by their first sample. Unlike scikit-learn's estimator it also has
    ``cluster_centers_`` (cluster means), ``inertia_`` (within-cluster sum of squares) and
    ``predict`` (nearest centre).

    Parameters
    ----------
    n_clusters : int, default 2

    Attributes
    ----------
    labels_, cluster_centers_, inertia_, n_features_in_ :
        As for :class:`KMeans`.
    linkage_ : ndarray (n_samples - 1, 4)
        The scipy linkage matrix of the tree.
    """

    def __init__(self, n_clusters=2):
        self.n_clusters = n_clusters

    def fit(self, X, y=None):
        """Build the Ward tree of ``X`` and cut it."""
        X = check_array(X)
        k = _check_k(self.n_clusters)
        Z, labels = _core.ward_fit(X, k)
        counts = np.bincount(labels, minlength=k).astype(np.float64)
        centers = np.zeros((k, X.shape[1]))
        np.add.at(centers, labels, X)
        centers /= counts[:, None]
        self.linkage_ = Z
        self.labels_ = labels.astype(np.int64)
        self.cluster_centers_ = centers
        self.inertia_ = _core.inertia(X, centers, labels)
        self.n_features_in_ = X.shape[1]
        return self
