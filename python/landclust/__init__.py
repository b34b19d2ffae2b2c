"""landclust from Python: scikit-learn/scipy-compatible clustering scores, exact Ward linkage,
K-Means and Ward estimators, and the land-surface clustering pipeline on netCDF files or
xarray Datasets. The work is done by the compiled Rust library (``landclust._core``), with the
GIL released."""

from ._core import __version__
from .estimators import KMeans, Ward
from .hierarchy import ward_linkage
from .metrics import (
    adjusted_rand_score,
    calinski_harabasz_score,
    davies_bouldin_score,
    normalized_mutual_info_score,
    silhouette_samples,
    silhouette_score,
)
from .pipeline import RunResult, read_labels, run

__all__ = [
    "KMeans",
    "RunResult",
    "Ward",
    "__version__",
    "adjusted_rand_score",
    "calinski_harabasz_score",
    "davies_bouldin_score",
    "normalized_mutual_info_score",
    "read_labels",
    "run",
    "silhouette_samples",
    "silhouette_score",
    "ward_linkage",
]
