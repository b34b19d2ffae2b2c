import numpy as np
import pytest
from sklearn.base import clone
from sklearn.cluster import KMeans as SkKMeans
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

import landclust as lc


@pytest.mark.parametrize("k", [2, 4, 8])
@pytest.mark.parametrize("data", ["blobs", "random_data"])
def test_kmeans_inertia_not_worse_than_sklearn(k, data, request):
    X, _ = request.getfixturevalue(data)
    ours = lc.KMeans(k, n_init=10, random_state=0).fit(X)
    theirs = SkKMeans(k, n_init=10, random_state=0).fit(X)
    assert ours.inertia_ <= theirs.inertia_ * (1 + 1e-3)
    assert ours.cluster_centers_.shape == (k, X.shape[1])
    assert ours.labels_.shape == (X.shape[0],)
    np.testing.assert_array_equal(ours.predict(X), ours.labels_)
    d2 = ((X - ours.cluster_centers_[ours.labels_]) ** 2).sum()
    assert ours.inertia_ == pytest.approx(d2, rel=1e-9)


def test_kmeans_params_and_fit_predict(blobs):
    X, _ = blobs
    km = lc.KMeans(3, random_state=1)
    assert km.get_params() == {"n_clusters": 3, "n_init": 10, "max_iter": 300, "tol": 1e-4, "random_state": 1}
    km.set_params(n_clusters=4)
    labels = km.fit_predict(X)
    np.testing.assert_array_equal(labels, km.labels_)
    assert km.n_features_in_ == X.shape[1]
    again = clone(km).fit(X)
    np.testing.assert_array_equal(again.labels_, km.labels_)  # same seed, same result


def test_pipeline_with_standard_scaler(blobs):
    X, _ = blobs
    X = X * np.array([1, 10, 100, 1000, 0.1])
    for est in (lc.KMeans(4, random_state=0), lc.Ward(4)):
        pipe = Pipeline([("scale", StandardScaler()), ("cluster", est)])
        labels = pipe.fit_predict(X)
        Z = StandardScaler().fit_transform(X)
        direct = clone(est).fit(Z)
        np.testing.assert_array_equal(labels, direct.labels_)
        np.testing.assert_array_equal(pipe.predict(X), direct.predict(Z))
        pipe.set_params(cluster__n_clusters=3)
        assert pipe.fit(X).named_steps["cluster"].cluster_centers_.shape == (3, 5)


def test_estimator_bad_inputs(blobs):
    X, _ = blobs
    with pytest.raises(ValueError, match="k = 0: must be at least 1"):
        lc.KMeans(0).fit(X)
    with pytest.raises(ValueError, match="exceeds the 600 points"):
        lc.KMeans(X.shape[0] + 1).fit(X)
    bad = X.copy()
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="non-finite"):
        lc.KMeans(3).fit(bad)
    km = lc.KMeans(3, random_state=0).fit(X)
    with pytest.raises(ValueError, match="features"):
        km.predict(X[:, :2])
    with pytest.raises(AttributeError, match="not fitted"):
        lc.KMeans(3).predict(X)
    with pytest.raises(TypeError):
        lc.KMeans(2.5).fit(X)
    with pytest.raises(ValueError, match="tol"):
        lc.KMeans(3, tol=-1.0).fit(X)
