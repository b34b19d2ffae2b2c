#!/usr/bin/env bash
# Peak memory (maximum resident set size, /usr/bin/time -v) of `landclust run --vars 'NDVI[*]'`
# on a 12-month series at 0.1 degree (1800 x 3600 cells) read three ways: a stack of 12
# GeoTIFFs (NAME=GLOB), a stack of 12 netCDF files (a glob as the input), and one netCDF file
# with a month dimension. A stack reads each file by row blocks, so its peak stays that of
# the one file. Usage: scripts/stack_memory.sh [DEG] (default 0.1). Figures: docs/formats.md.
set -euo pipefail
cd "$(dirname "$0")/.."
deg="${1:-0.1}"
target="${CARGO_TARGET_DIR:-target}"
cargo build --release --quiet --example stack_files
cargo build --release --quiet
bin="$target/release/landclust"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
"$target/release/examples/stack_files" "$dir" "$deg"
measure() {
  local key="$1" label="$2" input="$3"
  /usr/bin/time -v "$bin" run "$input" --vars 'NDVI[*]' --k 6 --no-figures \
    --out "$dir/out-$key" >/dev/null 2>"$dir/time-$key.txt"
  local kb secs
  kb=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$dir/time-$key.txt")
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$dir/time-$key.txt")
  printf '%-28s peak %6d MB  wall %s\n' "$label" $((kb / 1024)) "$secs"
}
echo "landclust run --vars 'NDVI[*]' --k 6 at $deg degree, 12 months:"
measure one "one file (month dim)" "$dir/monthly.nc"
measure nc "12 netCDF files (glob)" "$dir/ndvi_*.nc"
measure tif "12 GeoTIFFs (NDVI=glob)" "NDVI=$dir/ndvi_2020_*.tif,LandPercentage=$dir/land.tif"
python3 - "$dir" <<'PY'
import json, sys
d = sys.argv[1]
m = [json.load(open(f"{d}/out-{k}/metrics.json")) for k in ("one", "nc", "tif")]
same = all(x["silhouette"] == m[0]["silhouette"] and x["cluster_sizes"] == m[0]["cluster_sizes"] for x in m)
print(f"cells clustered: {m[0]['n_points']}; same clusters and scores all three ways: {same}")
PY
