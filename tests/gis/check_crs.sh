#!/usr/bin/env bash
# Geographic CRSs other than WGS 84, checked with GDAL as the reference: GeoTIFFs that GDAL
# assigns a non-WGS 84 CRS (`gdal_translate -a_srs`: the MODIS CMG Clarke 1866 system and NAD27)
# from the demo file run end to end, give the labels of the WGS 84 files, and `gdalinfo` of
# their labels.tif and labels.nc reports the input's CRS (Clarke 1866 ellipsoid, NAD27), not
# WGS 84. A file on another datum among several gives one note on stderr.
#
# Usage: tests/gis/check_crs.sh [LANDCLUST_BINARY]
# Installs Debian's gdal-bin (and python3 for parsing gdalinfo -json) when missing.
# Exit status: 0 pass, 1 failure.
source "$(dirname "$0")/gdal_common.sh" "$@"
demo_geotiffs w_
# MODIS CMG's CRS: geographic on the Clarke 1866 ellipsoid, no named datum.
clarke="+proj=longlat +a=6378206.4 +rf=294.9786982 +no_defs"
for v in "${vars[@]}"; do
    gdal_translate -q -a_srs "$clarke" "w_$v.tif" "c_$v.tif"
    gdal_translate -q -a_srs EPSG:4267 "w_$v.tif" "n_$v.tif"
done
composite() { local p="$1" out=""; for v in "${vars[@]}"; do out="$out,$v=${p}_$v.tif"; done; echo "${out#,}"; }

run() { # run NAME INPUT: labels of a K-Means run, stderr kept
    "$bin" run "$2" --out "out_$1" --k 6 --seed 7 --no-figures >/dev/null 2>"err_$1" ||
        fail "landclust run on $1: $(cat "err_$1")"
}
run wgs84 "$(composite w)"
run clarke "$(composite c)"
run nad27 "$(composite n)"
for r in clarke nad27; do
    cmp -s out_wgs84/labels.csv "out_$r/labels.csv" || fail "labels of $r differ from those of WGS 84"
    echo "ok: labels $r = wgs84"
done

check() { # FILE WHAT PYTHON-CONDITION-ON-wkt
    gdalinfo -json "$1" >info.json || fail "gdalinfo cannot open $1"
    python3 - "$1" "$2" "$3" <<'PY' || fail "gdalinfo of $1 does not report $2"
import json, sys
path, what, cond = sys.argv[1:]
info = json.load(open("info.json"))
wkt = info.get("coordinateSystem", {}).get("wkt", "")
assert eval(cond, {"wkt": wkt}), f"{path}: {what} not in {wkt[:400]}"
gt = info["geoTransform"]
assert abs(gt[0] + 180) < 1e-9 and abs(gt[3] - 90) < 1e-9 and abs(gt[1] - 1) < 1e-9, f"{path}: geotransform {gt}"
print(f"ok: gdalinfo {path}: {what}")
PY
}
is_clarke='"6378206.4" in wkt and "294.978698" in wkt and "WGS 84" not in wkt and "EPSG\",4326" not in wkt'
check out_clarke/labels.tif "Clarke 1866 ellipsoid" "$is_clarke"
check "NETCDF:\"out_clarke/labels.nc\":cluster" "Clarke 1866 ellipsoid" "$is_clarke"
check out_nad27/labels.tif "NAD27 (EPSG:4267)" '"NAD27" in wkt and "ID[\"EPSG\",4267]" in wkt'
check "NETCDF:\"out_nad27/labels.nc\":cluster" "NAD27" '"NAD27" in wkt and "6378206.4" in wkt'
grep -q '"Clarke 1866"' out_clarke/metrics.json || fail "metrics.json of the Clarke run does not name Clarke 1866"
"$bin" inspect "c_NDVI.tif" >inspect.txt || fail "inspect c_NDVI.tif"
grep -q "ellipsoid Clarke 1866" inspect.txt || fail "inspect does not name Clarke 1866: $(cat inspect.txt)"
echo "ok: metrics.json and inspect name Clarke 1866"

# One file on another datum: one note on stderr, the run goes on.
mixed="$(composite c | sed 's/NDVI=c_NDVI/NDVI=w_NDVI/')"
run mixed "$mixed"
[ "$(grep -c 'datum' err_mixed)" = 1 ] || fail "mixed datums: expected one note, got: $(cat err_mixed)"
echo "ok: mixed datums: $(grep datum err_mixed)"
echo "PASS: geographic CRSs other than WGS 84 agree with GDAL"
