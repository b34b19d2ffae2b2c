#!/usr/bin/env bash
# Zarr check: the whole 1-degree demo written by xarray as Zarr v2 and Zarr v3
# (tests/reference/ref_zarr.py full: xarray's and zarr-python 3's defaults, chunks of 50 x 90)
# and `landclust run --k 6` on each: labels.csv, centers.csv, margin.csv and metrics.json
# (without the input's path, the output folder and the time) must equal the run on the netCDF,
# byte for byte. `inspect` must describe both stores.
# Installs what it needs: a virtual environment with numpy, xarray, zarr 3 and netCDF4 (PyPI)
# under $HOME/.cache/landclust/.
# Usage: tests/zarr/check_zarr.sh [path/to/landclust]   (default: $CARGO_TARGET_DIR/release)
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="${1:-${CARGO_TARGET_DIR:-target}/release/landclust}"
VENV="${LANDCLUST_ZARR_VENV:-$HOME/.cache/landclust/zarr-venv}"

if ! "$VENV/bin/python" -c "import numpy, xarray, zarr, netCDF4; assert int(zarr.__version__.split('.')[0]) >= 3" >/dev/null 2>&1; then
    echo "== creating $VENV with numpy, xarray, zarr>=3, netCDF4"
    python3 -m venv "$VENV" >/dev/null 2>&1 || {
        sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
        $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends python3-venv
        python3 -m venv "$VENV"
    }
    "$VENV/bin/pip" install -q numpy xarray "zarr>=3" netCDF4
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
t0=$SECONDS
"$BIN" --quiet synth --out "$work/demo.nc" >/dev/null
"$VENV/bin/python" -W ignore tests/reference/ref_zarr.py full "$work/demo.nc" "$work"
cat "$work/versions.txt"
"$BIN" --quiet run "$work/demo.nc" --k 6 --no-figures --out "$work/nc" >/dev/null
for store in demo_v2.zarr demo_v3.zarr; do
    "$BIN" --quiet inspect "$work/$store" > "$work/$store.inspect"
    grep -q "grid: 180 x 360 cells" "$work/$store.inspect" || { cat "$work/$store.inspect"; exit 1; }
    "$BIN" --quiet run "$work/$store" --k 6 --no-figures --out "$work/$store.out" >/dev/null
    for f in labels.csv centers.csv margin.csv; do
        cmp "$work/nc/$f" "$work/$store.out/$f" || { echo "$store: $f differs from the netCDF run"; exit 1; }
    done
    "$VENV/bin/python" - "$work/nc/metrics.json" "$work/$store.out/metrics.json" <<'PY'
import json, sys
def load(p):
    m = json.load(open(p))
    for k in ("input", "seconds"):
        m.pop(k)
    for k in ("input", "out"):
        m["settings"].pop(k)
    return m
a, b = load(sys.argv[1]), load(sys.argv[2])
if a != b:
    sys.exit(f"{sys.argv[2]}: metrics differ from the netCDF run: "
             + ", ".join(k for k in a if a.get(k) != b.get(k)))
print(f"{sys.argv[2]}: same metrics (silhouette {b['silhouette']:.6f}, {b['n_points']} cells)")
PY
done
echo "== zarr check passed in $((SECONDS - t0)) s"
