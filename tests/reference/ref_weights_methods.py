#!/usr/bin/env python3
"""Reference results for the weighted mini-batch step and the weighted Gaussian mixture in
tests/weights.rs (`--weights area` with `--method minibatch-kmeans`, micro-cluster Ward and
`--method gmm`).

Run: /root/.cache/landclust/py-venv/bin/python tests/reference/ref_weights_methods.py
(any Python with numpy and scikit-learn). Writes tests/fixtures/weights_methods.json. Inputs
are rounded to 6 decimals first, so Rust and Python see the same values.

* mini-batch step: two consecutive steps of scikit-learn's `_mini_batch_step` (the step of
  `MiniBatchKMeans.partial_fit`) with `sample_weight`, `random_reassign=False`, on given batch
  rows from given centres and weight sums; the script also checks it against a NumPy
  transcription of `_minibatch_update_dense` (`c <- (c W_c + sum_b w_b x_b) / (W_c + sum_b w_b)`,
  `W_c += sum_b w_b`; the batch inertia `sum_b w_b min_c ||x_b - c||^2`).
* Gaussian mixture with integer weights: scikit-learn's `GaussianMixture` fitted on the rows
  repeated `w_i` times (`numpy.repeat`) from given `weights_init`, `means_init` and
  `precisions_init`; landclust's weighted EM on the rows with weights `w_i` must give the same
  fit (the weighted M-step and lower bound are those of the repeated rows).
"""
import json
import pathlib

import numpy as np
import sklearn
from sklearn.cluster._kmeans import _mini_batch_step
from sklearn.mixture import GaussianMixture

OUT = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "weights_methods.json"


def minibatch_case():
    rng = np.random.default_rng(11)
    centres = np.array([[0.0, 0.0, 0.0], [4.0, 1.0, 0.0], [1.0, 4.0, 3.0]])
    x = np.round(centres[rng.integers(0, 3, 60)] + rng.normal(size=(60, 3)), 6)
    w = np.round(rng.uniform(0.3, 2.0, 60), 6)
    init = np.round(x[[3, 17, 41]] + 0.25, 6)
    weight_sums = np.array([0.0, 1.5, 4.25])
    batches = [np.sort(rng.integers(0, 60, 24)), np.sort(rng.integers(0, 60, 24))]
    steps = []
    centers = init.copy()
    sums = weight_sums.copy()
    mine_c, mine_s = init.copy(), weight_sums.copy()
    for b in batches:
        new = np.empty_like(centers)
        inertia = _mini_batch_step(
            x[b], w[b], centers, new, sums, np.random.RandomState(0), random_reassign=False, n_threads=1
        )
        # NumPy transcription of _minibatch_update_dense.
        d2 = ((x[b][:, None, :] - mine_c[None, :, :]) ** 2).sum(axis=2)
        labels = d2.argmin(axis=1)
        mine_inertia = float((w[b] * d2.min(axis=1)).sum())
        upd = mine_c.copy()
        for c in range(len(mine_c)):
            sel = labels == c
            ws = w[b][sel].sum()
            if ws > 0:
                upd[c] = (mine_c[c] * mine_s[c] + (w[b][sel, None] * x[b][sel]).sum(axis=0)) / (mine_s[c] + ws)
                mine_s[c] += ws
        mine_c = upd
        assert np.allclose(new, mine_c, rtol=0, atol=1e-12), (new, mine_c)
        assert np.allclose(sums, mine_s, rtol=0, atol=1e-12)
        assert abs(inertia - mine_inertia) <= 1e-12 * max(1.0, mine_inertia)
        centers = new
        steps.append({"centers": new.tolist(), "weight_sums": sums.tolist(), "inertia": float(inertia)})
    return {
        "x": x.tolist(),
        "weights": w.tolist(),
        "init": init.tolist(),
        "weight_sums": weight_sums.tolist(),
        "batches": [b.tolist() for b in batches],
        "steps": steps,
    }


def gmm_case():
    rng = np.random.default_rng(5)
    means = np.array([[0.0, 0.0], [3.0, 0.5], [0.5, 3.0]])
    x = np.round(means[rng.integers(0, 3, 90)] + rng.normal(scale=0.8, size=(90, 2)), 6)
    w = rng.integers(1, 5, 90)
    weights_init = np.array([0.5, 0.25, 0.25])
    means_init = np.round(x[[2, 30, 61]], 6)
    precisions_init = np.array([np.eye(2), np.eye(2) * 2.0, np.array([[1.5, 0.25], [0.25, 1.0]])])
    gm = GaussianMixture(
        n_components=3,
        covariance_type="full",
        tol=1e-9,
        max_iter=500,
        weights_init=weights_init,
        means_init=means_init,
        precisions_init=precisions_init,
    ).fit(np.repeat(x, w, axis=0))
    assert gm.converged_
    return {
        "x": x.tolist(),
        "weights": w.astype(float).tolist(),
        "weights_init": weights_init.tolist(),
        "means_init": means_init.tolist(),
        "precisions_init": precisions_init.tolist(),
        "tol": 1e-9,
        "max_iter": 500,
        "mixing_weights": gm.weights_.tolist(),
        "means": gm.means_.tolist(),
        "covariances": gm.covariances_.tolist(),
        "lower_bound": float(gm.lower_bound_),
        "n_iter": int(gm.n_iter_),
    }


def main():
    out = {
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "minibatch": minibatch_case(),
        "gmm": gmm_case(),
    }
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
