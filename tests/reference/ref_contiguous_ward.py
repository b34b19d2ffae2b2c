"""Reference values for the contiguous Ward tests (src/cluster/ward_contiguous_tests.rs).

Run: tests/reference/.venv/bin/python tests/reference/ref_contiguous_ward.py
Writes tests/fixtures/contiguous_ward.json: for grids of land cells with islands (a mask per
grid, stored as strings of 0/1 rows) and values given by an integer formula that the Rust test
repeats (multiples of 1/64, so both sides read the same doubles), scikit-learn's
AgglomerativeClustering(linkage="ward", connectivity=..., compute_full_tree=True,
compute_distances=True): `children_`, `distances_` and `labels_` at a cut; and the labels of
AgglomerativeClustering(n_clusters=None, distance_threshold=h, ...) at a few heights h (the cut
at a distance, `height_cuts`). Connectivity is
`grid_to_graph` for 4 neighbours, and a hand-built graph for 8 neighbours with the columns
wrapping (a global grid's dateline). scikit-learn joins the islands by one edge between the
closest cells of every pair of components (`_fix_connectivity`, which warns).
"""
import json
import pathlib
import warnings

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.image import grid_to_graph

OUT = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "contiguous_ward.json"
D = 3


def value(r, c, t):
    """The value of variable t at grid cell (r, c); repeated in the Rust test."""
    h = ((r * 73856093) ^ (c * 19349663) ^ (t * 83492791)) % 1021
    return h / 64 + (r * (t + 1)) / 8 + (c * (3 - t)) / 16


def make_mask(n_rows, n_cols, seed):
    """Land: the grid less a sea band and scattered sea cells, plus islands cut out of the sea."""
    rng = np.random.default_rng(seed)
    mask = np.ones((n_rows, n_cols), dtype=bool)
    band = n_cols // 3
    mask[:, band:band + 3] = False  # a strait splitting the grid in two
    mask[rng.random((n_rows, n_cols)) < 0.08] = False
    # a sea box holding islands of 1 to 6 cells
    r0, c0 = n_rows // 2, 2 * n_cols // 3
    mask[r0:r0 + 8, c0:c0 + 10] = False
    mask[r0 + 2, c0 + 2] = True
    mask[r0 + 4:r0 + 6, c0 + 5:c0 + 8] = True
    return mask


def connectivity(mask, eight, wrap):
    n_rows, n_cols = mask.shape
    if not eight and not wrap:
        return grid_to_graph(n_rows, n_cols, mask=mask)
    index = -np.ones(mask.shape, dtype=np.int64)
    index[mask] = np.arange(mask.sum())
    steps = [(0, 1), (1, 0)] + ([(1, 1), (1, -1)] if eight else [])
    rows, cols = [], []
    for r in range(n_rows):
        for c in range(n_cols):
            if not mask[r, c]:
                continue
            for dr, dc in steps:
                rr, cc = r + dr, c + dc
                if wrap:
                    cc %= n_cols
                if not (0 <= rr < n_rows and 0 <= cc < n_cols) or not mask[rr, cc]:
                    continue
                rows.append(index[r, c])
                cols.append(index[rr, cc])
    n = int(mask.sum())
    g = sp.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    return (g + g.T).tocsr()


def case(name, n_rows, n_cols, seed, eight, wrap, k):
    mask = make_mask(n_rows, n_cols, seed)
    rr, cc = np.nonzero(mask)  # row-major, the order of grid_to_graph's nodes
    x = np.array([[value(int(r), int(c), t) for t in range(D)] for r, c in zip(rr, cc)])
    conn = connectivity(mask, eight, wrap)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = AgglomerativeClustering(n_clusters=k, linkage="ward", connectivity=conn,
                                        compute_full_tree=True, compute_distances=True).fit(x)
        from sklearn.cluster._agglomerative import _fix_connectivity
        _, n_components = _fix_connectivity(x, conn, affinity="euclidean")
    height_cuts = []
    ordered = np.sort(model.distances_)
    # At a merge's height (the cut counts heights >= h), between two heights, and low.
    for h in (ordered[-4], (ordered[-12] + ordered[-13]) / 2, ordered[-40], ordered[len(ordered) // 2]):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cut = AgglomerativeClustering(n_clusters=None, distance_threshold=float(h), linkage="ward",
                                          connectivity=conn, compute_full_tree=True).fit(x)
        height_cuts.append({"height": float(h), "n_clusters": int(cut.n_clusters_),
                            "labels": cut.labels_.astype(int).tolist()})
    return {
        "name": name,
        "n_rows": n_rows,
        "n_cols": n_cols,
        "neighbours": 8 if eight else 4,
        "wrap": wrap,
        "mask": ["".join("1" if v else "0" for v in row) for row in mask],
        "n_points": int(mask.sum()),
        "n_components": int(n_components),
        "children": model.children_.astype(int).ravel().tolist(),
        "distances": model.distances_.tolist(),
        "k": k,
        "labels": model.labels_.astype(int).tolist(),
        "height_cuts": height_cuts,
    }


def main():
    cases = [
        case("grid_30x40_4", 30, 40, 1, False, False, 6),
        case("grid_30x40_8_wrap", 30, 40, 2, True, True, 9),
        case("grid_100x200_4", 100, 200, 3, False, False, 30),
    ]
    meta = {"sklearn": sklearn.__version__, "numpy": np.__version__, "variables": D}
    OUT.write_text(json.dumps({"meta": meta, "cases": cases}, separators=(",", ":")) + "\n")
    for c in cases:
        print(c["name"], c["n_points"], "points,", c["n_components"], "components")


if __name__ == "__main__":
    main()
