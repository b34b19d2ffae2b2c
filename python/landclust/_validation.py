"""Input conversion shared by the public functions: the library wants float64 2-D data (any
memory layout: strided views are read in place) and labels recoded to ``0..k-1``."""

import numbers

import numpy as np


def check_array(X, name="X"):
    """``X`` as a 2-D float64 array; float32/integer/bool input is converted, float64 input of
    any layout (C, Fortran, non-contiguous views) is passed through without a copy.

    Raises ``TypeError`` for non-numeric data and ``ValueError`` for a wrong number of
    dimensions or an empty array (non-finite values are reported by the library, with their
    position)."""
    if hasattr(X, "to_numpy") and not isinstance(X, np.ndarray):  # pandas, xarray
        X = X.to_numpy()
    try:
        arr = np.asarray(X)
    except Exception as e:  # ragged lists and the like
        raise TypeError(f"{name}: cannot be read as a numeric array ({e})") from None
    if arr.dtype.kind not in "fiub":
        raise TypeError(f"{name}: expected a numeric array, got dtype {arr.dtype}")
    if arr.ndim != 2:
        raise ValueError(
            f"{name}: expected a 2-D array (n_samples, n_features), got {arr.ndim} dimension(s) with shape {arr.shape}"
        )
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError(f"{name}: empty array of shape {arr.shape}")
    if arr.dtype != np.float64:  # float32, integers, non-native byte order
        arr = arr.astype(np.float64)
    return arr


def encode_labels(labels, name="labels"):
    """Labels (any integer or other sortable values, as scikit-learn accepts them) recoded to
    ``0..k-1`` in increasing order of their values, as a ``uintp`` array."""
    arr = np.asarray(labels)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr.ravel()
    if arr.ndim != 1:
        raise ValueError(f"{name}: expected a 1-D array, got shape {arr.shape}")
    if arr.dtype.kind == "f" and np.isnan(arr).any():
        raise ValueError(f"{name}: contains NaN")
    if arr.dtype.kind == "O":
        try:
            _, codes = np.unique(arr.astype(str) if any(isinstance(v, str) for v in arr) else arr, return_inverse=True)
        except TypeError as e:
            raise TypeError(f"{name}: values cannot be compared ({e})") from None
    else:
        _, codes = np.unique(arr, return_inverse=True)
    return np.ascontiguousarray(codes.reshape(-1), dtype=np.uintp)


def check_random_state(seed):
    """scikit-learn's ``check_random_state``: None -> NumPy's global RandomState, an int -> a new
    RandomState seeded with it, a RandomState -> itself."""
    if seed is None or seed is np.random:
        return np.random.mtrand._rand
    if isinstance(seed, numbers.Integral):
        return np.random.RandomState(seed)
    if isinstance(seed, np.random.RandomState):
        return seed
    raise ValueError(f"random_state: {seed!r} cannot be used to seed a numpy.random.RandomState instance")


def seed_from(random_state):
    """A 64-bit seed for the library's ChaCha streams: the int itself when one is given (>= 0),
    else a draw from the RandomState (None: NumPy's global one, as scikit-learn does)."""
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        if random_state < 0:
            raise ValueError(f"random_state: must be >= 0, got {random_state}")
        return int(random_state)
    return int(check_random_state(random_state).randint(0, 2**31 - 1))
