import numpy as np
import pytest
import sklearn.metrics as skm

import landclust as lc

INTERNAL = [
    (lc.silhouette_score, skm.silhouette_score),
    (lc.davies_bouldin_score, skm.davies_bouldin_score),
    (lc.calinski_harabasz_score, skm.calinski_harabasz_score),
]


@pytest.mark.parametrize("ours,theirs", INTERNAL)
@pytest.mark.parametrize("data", ["blobs", "random_data"])
def test_internal_scores_match_sklearn(ours, theirs, data, request):
    X, labels = request.getfixturevalue(data)
    assert ours(X, labels) == pytest.approx(theirs(X, labels), rel=1e-9, abs=1e-12)


def test_silhouette_samples_match_sklearn(blobs):
    X, y = blobs
    np.testing.assert_allclose(lc.silhouette_samples(X, y), skm.silhouette_samples(X, y), rtol=1e-9, atol=1e-12)


def test_silhouette_singleton_cluster_is_zero():
    X = np.array([[0.0], [0.1], [5.0], [5.2], [9.0]])
    labels = [0, 0, 1, 1, 2]
    np.testing.assert_allclose(lc.silhouette_samples(X, labels), skm.silhouette_samples(X, labels), atol=1e-12)


@pytest.mark.parametrize("seed", [0, 7])
def test_sampled_silhouette_draws_sklearns_subset(blobs, seed):
    X, y = blobs
    ours = lc.silhouette_score(X, y, sample_size=200, random_state=seed)
    theirs = skm.silhouette_score(X, y, sample_size=200, random_state=seed)
    assert ours == pytest.approx(theirs, rel=1e-9)


def test_any_integer_labels_and_layouts(blobs):
    X, y = blobs
    ref = skm.silhouette_score(X, y)
    weird = np.array([-7, 3, 1000, 42])[y].astype(np.int16)
    assert lc.silhouette_score(X, weird) == pytest.approx(ref, rel=1e-9)
    assert lc.silhouette_score(np.asfortranarray(X), y) == pytest.approx(ref, rel=1e-9)
    wide = np.zeros((X.shape[0] * 2, X.shape[1] * 3))
    wide[::2, ::3] = X
    view = wide[::2, ::3]
    assert not view.flags.c_contiguous
    assert lc.silhouette_score(view, y) == pytest.approx(ref, rel=1e-9)
    assert lc.silhouette_score(X[::-1], y[::-1]) == pytest.approx(ref, rel=1e-9)
    x32 = X.astype(np.float32)
    assert lc.silhouette_score(x32, y) == pytest.approx(skm.silhouette_score(x32.astype(np.float64), y), rel=1e-9)
    assert lc.calinski_harabasz_score(x32, y) == pytest.approx(skm.calinski_harabasz_score(x32.astype(np.float64), y), rel=1e-9)


@pytest.mark.parametrize("data", ["blobs", "random_data"])
def test_external_scores_match_sklearn(data, request):
    rng = np.random.default_rng(3)
    _, a = request.getfixturevalue(data)
    b = np.where(rng.random(a.size) < 0.3, rng.integers(0, 6, a.size), a)
    assert lc.adjusted_rand_score(a, b) == pytest.approx(skm.adjusted_rand_score(a, b), rel=1e-9, abs=1e-12)
    assert lc.normalized_mutual_info_score(a, b) == pytest.approx(
        skm.normalized_mutual_info_score(a, b), rel=1e-9, abs=1e-12
    )


@pytest.mark.parametrize(
    "a,b",
    [([0, 0, 0], [1, 1, 1]), ([0, 1, 2], [5, 6, 7]), ([0, 0, 1, 1], [0, 1, 0, 1]), ([3, 3, 2, 2], [0, 0, 1, 1])],
)
def test_external_special_cases(a, b):
    assert lc.adjusted_rand_score(a, b) == pytest.approx(skm.adjusted_rand_score(a, b), abs=1e-12)
    assert lc.normalized_mutual_info_score(a, b) == pytest.approx(skm.normalized_mutual_info_score(a, b), abs=1e-12)


def test_bad_inputs_raise(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match="lengths differ"):
        lc.silhouette_score(X, y[:-1])
    with pytest.raises(ValueError, match="2-D"):
        lc.davies_bouldin_score(X[:, 0], y)
    bad = X.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="non-finite value at row 3, column 1"):
        lc.calinski_harabasz_score(bad, y)
    with pytest.raises(ValueError, match="distinct labels"):
        lc.silhouette_score(X, np.zeros(len(y), dtype=int))
    with pytest.raises(TypeError):
        lc.silhouette_score(np.array([["a", "b"], ["c", "d"]]), [0, 1])
    with pytest.raises(ValueError, match="lengths differ"):
        lc.adjusted_rand_score([0, 1, 1], [0, 1])
