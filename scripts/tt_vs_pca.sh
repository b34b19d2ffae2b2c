#!/usr/bin/env bash
# The numbers of docs/future-work.md: K-Means (k = 6) on PCA scores and on tensor-train cell
# embeddings of the 1-degree demo file, one `landclust run` each, metrics.json summarised as a
# table (reduce, dims, parameters, reconstruction R2, TT completion iterations, silhouette and
# Davies-Bouldin in the standardized space, ARI/NMI against SurfaceClass, seconds).
# Usage: scripts/tt_vs_pca.sh [LANDCLUST] [DEMO.nc]
set -euo pipefail
bin="${1:-${CARGO_TARGET_DIR:-target}/release/landclust}"
out="$(mktemp -d)"
demo="${2:-$out/demo.nc}"
[ -f "$demo" ] || "$bin" --quiet synth --out "$demo"
printf 'reduce\tdims\tn_params\tR2\titer\tsil_own\tsil_std\tDB_std\tARI\tNMI\tseconds\n'
for reduce in pca:1 pca:2 pca:3 tt:4,3 tt:12,3 tt:36,3 tt:90,3 tt:180,3 tt:18,7; do
    dir="$out/${reduce/[:,]/_}"
    "$bin" --quiet run "$demo" --reduce "$reduce" --k 6 --truth SurfaceClass --no-figures --out "$dir" >/dev/null 2>&1
    python3 - "$dir/metrics.json" "$reduce" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
n, d = m["n_points"], 7
tt = m.get("tt")
red = sys.argv[2]
if tt:
    dims, params, it = tt["ranks"][-1], tt["n_params"], tt["iterations"]
else:
    k = int(red.split(":")[1]); dims, params, it = k, n * k + k * d + d, ""
s = m["scores_in_standardized_space"]
print(f'{red}\t{dims}\t{params}\t{m["reconstruction_r2"]:.4f}\t{it}\t{m["silhouette"]:.4f}\t{s["silhouette"]:.4f}\t{s["davies_bouldin"]:.4f}\t{m["ari"]:.4f}\t{m["nmi"]:.4f}\t{m["seconds"]:.2f}')
PY
done
