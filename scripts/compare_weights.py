#!/usr/bin/env python3
"""Compare a `--weights none` and a `--weights area` run of the same file (docs/weights.md).

Usage: compare_weights.py NONE_DIR AREA_DIR
Prints, for each run, the cluster areas and shares, the scores and the agreement with the
truth (metrics.json `truth`, by cell and by area), then how far the two partitions differ:
the ARI between them and the share of cells and of area that change cluster after the clusters
are matched one to one (Hungarian assignment on the cell counts; scipy's when installed, else
a brute-force search over the permutations). Standard library otherwise."""
import csv
import itertools
import json
import math
import sys
from pathlib import Path


def load(run):
    m = json.loads((run / "metrics.json").read_text())
    with open(run / "labels.csv") as f:
        rows = list(csv.DictReader(f))
    return m, rows


def ari(a, b):
    pairs = {}
    for x, y in zip(a, b):
        pairs[(x, y)] = pairs.get((x, y), 0) + 1
    c2 = lambda n: n * (n - 1) / 2
    rows, cols = {}, {}
    for (x, y), n in pairs.items():
        rows[x] = rows.get(x, 0) + n
        cols[y] = cols.get(y, 0) + n
    index = sum(c2(n) for n in pairs.values())
    sa, sb, total = sum(c2(n) for n in rows.values()), sum(c2(n) for n in cols.values()), c2(len(a))
    expected = sa * sb / total
    return (index - expected) / ((sa + sb) / 2 - expected)


def best_matching(table, k):
    """Permutation of 0..k maximising the matched count: scipy's Hungarian assignment when
    scipy is there, else brute force (fine up to k = 8 or so)."""
    try:
        from scipy.optimize import linear_sum_assignment
    except ImportError:
        return max(itertools.permutations(range(k)), key=lambda p: sum(table[i][p[i]] for i in range(k)))
    rows, cols = linear_sum_assignment([[-v for v in r] for r in table])
    p = [0] * k
    for r, c in zip(rows, cols):
        p[r] = int(c)
    return tuple(p)


def main():
    none_dir, area_dir = Path(sys.argv[1]), Path(sys.argv[2])
    (mn, rn), (ma, ra) = load(none_dir), load(area_dir)
    k = mn["k"]
    for name, m in [("none", mn), ("area", ma)]:
        t = m.get("truth") or {}
        km2 = ", ".join(f"{a / 1e6:.2f}" for a in m["area"]["cluster_km2"])
        share = ", ".join(f"{100 * s:.1f}" for s in m["area"]["cluster_share"])
        print(f"--weights {name}: cells {m['cluster_sizes']}; area (million km2) [{km2}]; share % [{share}]")
        print(f"  silhouette {m['silhouette']:.4f}  DB {m['davies_bouldin']:.4f}  CH {m['calinski_harabasz']:.1f}"
              f"  inertia {m.get('inertia')}")
        if t:
            aw = t.get("agreement_area_weighted") or {}
            print(f"  vs {t['variable']}: ARI {t['ari']:.4f}  NMI {t['nmi']:.4f}  accuracy by cell "
                  f"{t['agreement']['overall_accuracy']:.4f}, by area {aw.get('overall_accuracy', float('nan')):.4f}"
                  f"  V-measure by area {aw.get('v_measure', float('nan')):.4f}")
    key = lambda r: (r["row"], r["col"])
    la = {key(r): int(r["cluster"]) for r in ra}
    cells = [key(r) for r in rn]
    a = [int(r["cluster"]) for r in rn]
    b = [la[c] for c in cells]
    weight = [math.cos(math.radians(float(r["lat"]))) for r in rn]
    table = [[0] * k for _ in range(k)]
    for x, y in zip(a, b):
        table[x][y] += 1
    p = best_matching(table, k)
    moved = [x_b != p[x_a] for x_a, x_b in zip(a, b)]
    cell_share = sum(moved) / len(moved)
    area_share = sum(w for w, m in zip(weight, moved) if m) / sum(weight)
    print(f"between the partitions: ARI {ari(a, b):.4f}; after matching clusters {p}, "
          f"{100 * cell_share:.1f} % of the cells and {100 * area_share:.1f} % of the area "
          f"(cos(latitude) weights) change cluster")


if __name__ == "__main__":
    main()
