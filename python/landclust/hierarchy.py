"""Exact Ward linkage in scipy's format, in O(n d) memory."""

from . import _core
from ._validation import check_array


def ward_linkage(X):
    """Ward hierarchical clustering of the rows of ``X`` as scipy's linkage matrix.

    Each merge joins the two clusters ``A``, ``B`` whose union increases the within-cluster sum
    of squares the least; its height is Ward's distance

    ``d(A, B) = sqrt(2 |A| |B| / (|A| + |B|)) * ||c_A - c_B||``

    with ``c`` the centroids. Computed by the nearest-neighbour chain algorithm (Murtagh 1983;
    Müllner 2011) on centroids only, so memory is O(n d) where scipy needs the O(n^2) condensed
    distance matrix.

    Equivalent to ``scipy.cluster.hierarchy.linkage(X, method="ward")``: row ``i`` is
    ``[id_1, id_2, height, size]`` with ``id_1 < id_2``, points numbered ``0..n-1`` and the
    cluster formed by row ``i`` numbered ``n + i``, rows in increasing height, sizes counting
    points. Usable with ``scipy.cluster.hierarchy.fcluster`` and ``dendrogram``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        At least 2 rows; float32 or float64, any layout.

    Returns
    -------
    Z : ndarray of shape (n_samples - 1, 4), float64
    """
    return _core.ward_linkage(check_array(X))
