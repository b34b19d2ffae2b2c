#!/usr/bin/env bash
# The DCSS table of docs/future-work.md: `landclust run --method dcss` (k = 6) on the 1-degree
# demo file for both membership models (--dcss-memberships student-t|head), three weights gamma
# and three seeds, plus IDEC and K-Means on the z-scores at the same seeds for reference; one
# line per run: non-empty clusters, ARI/NMI against SurfaceClass, silhouette in the embedding and
# in the standardized space, seconds. Two runs at a time (the 2-core machine).
# Usage: scripts/dcss_grid.sh [LANDCLUST] [DEMO.nc] > table.tsv
set -euo pipefail
bin="${1:-${CARGO_TARGET_DIR:-target}/release/landclust}"
out="$(mktemp -d)"
demo="${2:-$out/demo.nc}"
[ -f "$demo" ] || "$bin" --quiet synth --out "$demo"
jobs_file="$out/jobs"
for seed in 42 1 2; do
    echo "kmeans - - $seed" >>"$jobs_file"
    echo "idec - 0.1 $seed" >>"$jobs_file"
    for m in student-t head; do
        for g in 0.01 0.03 0.1; do
            echo "dcss $m $g $seed" >>"$jobs_file"
        done
    done
done
one() {
    read -r method memberships gamma seed <<<"$1"
    dir="$out/${method}_${memberships}_${gamma}_${seed}"
    args=(run "$demo" --method "$method" --k 6 --seed "$seed" --truth SurfaceClass --no-figures --out "$dir")
    [ "$gamma" = - ] || args+=(--gamma "$gamma")
    [ "$memberships" = - ] || args+=(--dcss-memberships "$memberships")
    "$bin" --quiet "${args[@]}" >/dev/null 2>&1
    # One file per run, printed in job order at the end: parallel prints would interleave.
    python3 - "$dir/metrics.json" "$method" "$memberships" "$gamma" "$seed" >"$dir.tsv" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
s = m["scores_in_standardized_space"] or {"silhouette": m["silhouette"]}
used = sum(1 for c in m["cluster_sizes"] if c > 0)
print("\t".join(sys.argv[2:6]) + f'\t{used}\t{m["ari"]:.4f}\t{m["nmi"]:.4f}\t{m["silhouette"]:.4f}\t{s["silhouette"]:.4f}\t{m["seconds"]:.1f}')
PY
}
export -f one
export bin demo out
printf 'method\tmemberships\tgamma\tseed\tclusters\tARI\tNMI\tsil_own\tsil_std\tseconds\n'
xargs -P 2 -I{} bash -c 'one "$@"' _ {} <"$jobs_file"
while read -r method memberships gamma seed; do
    cat "$out/${method}_${memberships}_${gamma}_${seed}.tsv"
done <"$jobs_file"
