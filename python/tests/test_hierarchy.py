import numpy as np
import pytest
from scipy.cluster.hierarchy import dendrogram, fcluster, linkage
from sklearn.metrics import adjusted_rand_score

import landclust as lc


@pytest.mark.parametrize("data", ["blobs", "random_data"])
def test_ward_linkage_matches_scipy(data, request):
    X, _ = request.getfixturevalue(data)
    ours = lc.ward_linkage(X)
    ref = linkage(X, method="ward")
    assert ours.shape == ref.shape == (X.shape[0] - 1, 4)
    assert ours.dtype == np.float64
    np.testing.assert_allclose(ours[:, 2], ref[:, 2], rtol=1e-9)
    # scipy's conventions: smaller id first, new cluster n + i, counts in column 3
    assert (ours[:, 0] < ours[:, 1]).all()
    np.testing.assert_array_equal(ours[:, 3], ref[:, 3])
    np.testing.assert_array_equal(ours[:, :2], ref[:, :2])
    for k in (2, 3, 4, 7):
        np.testing.assert_array_equal(fcluster(ours, k, "maxclust"), fcluster(ref, k, "maxclust"))
    m = len(ref) // 2  # cut midway between two merges (a cut at a merge height is ill-conditioned)
    h = (ref[m, 2] + ref[m + 1, 2]) / 2
    np.testing.assert_array_equal(fcluster(ours, h, "distance"), fcluster(ref, h, "distance"))
    d = dendrogram(ours, no_plot=True, truncate_mode="lastp", p=10)
    assert d["ivl"] == dendrogram(ref, no_plot=True, truncate_mode="lastp", p=10)["ivl"]


def test_ward_linkage_float32_and_views(blobs):
    X, _ = blobs
    ref = lc.ward_linkage(X)
    np.testing.assert_array_equal(lc.ward_linkage(np.asfortranarray(X)), ref)
    x32 = X.astype(np.float32)
    np.testing.assert_allclose(lc.ward_linkage(x32)[:, 2], linkage(x32.astype(np.float64), "ward")[:, 2], rtol=1e-9)


def test_ward_estimator_cut_equals_fcluster(blobs):
    X, _ = blobs
    model = lc.Ward(n_clusters=4).fit(X)
    cut = fcluster(linkage(X, "ward"), 4, "maxclust")
    assert adjusted_rand_score(model.labels_, cut) == 1.0
    assert model.cluster_centers_.shape == (4, X.shape[1])
    wcss = sum(((X[model.labels_ == j] - model.cluster_centers_[j]) ** 2).sum() for j in range(4))
    assert model.inertia_ == pytest.approx(wcss, rel=1e-9)
    np.testing.assert_array_equal(model.linkage_, lc.ward_linkage(X))


def test_ward_bad_inputs():
    with pytest.raises(ValueError, match="at least 2 points"):
        lc.ward_linkage(np.zeros((1, 3)))
    with pytest.raises(ValueError, match="non-finite"):
        lc.ward_linkage(np.array([[0.0, 1.0], [np.inf, 2.0], [1.0, 1.0]]))
    with pytest.raises(ValueError, match="k = 10 exceeds the 5 points"):
        lc.Ward(n_clusters=10).fit(np.zeros((5, 2)))
