import numpy as np
import pytest


@pytest.fixture(scope="session")
def blobs():
    from sklearn.datasets import make_blobs

    X, y = make_blobs(n_samples=600, n_features=5, centers=4, cluster_std=1.5, random_state=0)
    return X, y


@pytest.fixture(scope="session")
def random_data():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(500, 4))
    labels = rng.integers(0, 5, size=500)
    return X, labels
