#!/usr/bin/env bash
# labels.geojson checked with GDAL as the reference (tests/gis/compare_vector.py does the
# comparing with GDAL's Python bindings):
# - `ogrinfo -al -so` opens it with one feature per cluster and the CRS of labels.tif;
# - per cluster, the number of polygons and of holes equals gdal_polygonize's on labels.tif
#   (4-connected, NoData masked);
# - every geometry is valid for GEOS (OGR IsValid, and SpatiaLite's ST_IsValid through
#   `ogrinfo -dialect SQLite`), and OGR's MakeValid changes nothing;
# - each feature's area, in an equal-area cylindrical projection on the CRS's own ellipsoid
#   (parallels and meridians stay straight there, so a polygon along cell edges keeps its area
#   on the ellipsoid exactly), or in the input's projection when it is equal-area, is
#   metrics.json's area_km2 within 1e-6 relative.
# Runs: the demo with K-Means k = 6 and contiguous Ward k = 30, the demo as GeoTIFFs on the
# MODIS CMG Clarke 1866 system, and reprojected to UTM 33N (EPSG:32633) and MODIS sinusoidal
# (no EPSG code: the CRS goes as WKT).
#
# Usage: tests/gis/check_vector.sh [LANDCLUST_BINARY]
# Installs Debian's gdal-bin and python3-gdal when missing. Exit status: 0 pass, 1 failure.
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/gdal_common.sh" "$@"
if ! /usr/bin/python3 -c "from osgeo import ogr" 2>/dev/null; then
    echo "== installing python3-gdal"
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-gdal >/dev/null
fi
compare() { /usr/bin/python3 "$here/compare_vector.py" "$1" || exit 1; }

check() { # check NAME INPUT K [OPTIONS...]: run, then every check on out_NAME
    local name="$1" input="$2" k="$3"
    shift 3
    "$bin" --quiet run "$input" --k "$k" --seed 7 --no-figures --vector geojson --out "out_$name" "$@" \
        >/dev/null 2>"err_$name" || fail "landclust run on $name: $(cat "err_$name")"
    local info
    info="$(ogrinfo -al -so "out_$name/labels.geojson")" || fail "$name: ogrinfo cannot open labels.geojson"
    grep -q "^Feature Count: $k\$" <<<"$info" || fail "$name: ogrinfo does not count $k features"
    grep -q "^Geometry: Multi Polygon" <<<"$info" || fail "$name: not a MultiPolygon layer"
    local invalid
    invalid="$(ogrinfo -q -dialect SQLite -sql "SELECT count(*) AS invalid FROM labels WHERE NOT ST_IsValid(geometry)" \
        "out_$name/labels.geojson" | sed -n 's/.*invalid (Integer) = //p')"
    [ "$invalid" = 0 ] || fail "$name: ST_IsValid finds '$invalid' invalid geometries"
    compare "out_$name"
}

check kmeans demo.nc 6
check ward_contiguous demo.nc 30 --method ward --contiguous

demo_geotiffs w_
composite() { local p="$1" out=""; for v in "${vars[@]}"; do out="$out,$v=${p}_$v.tif"; done; echo "${out#,}"; }
clarke="+proj=longlat +a=6378206.4 +rf=294.9786982 +no_defs"
sinu="+proj=sinu +lon_0=0 +x_0=0 +y_0=0 +R=6371007.181 +units=m +no_defs"
for v in "${vars[@]}"; do
    gdal_translate -q -a_srs "$clarke" "w_$v.tif" "c_$v.tif"
    gdalwarp -q -r near -et 0 -t_srs EPSG:32633 -te 200000 0 800000 6000000 -tr 100000 100000 "w_$v.tif" "u_$v.tif"
    gdalwarp -q -r near -et 0 -t_srs "$sinu" -te -20015109 -10007555 20015109 10007555 -tr 100000 100000 \
        "w_$v.tif" "sn_$v.tif"
done
check clarke "$(composite c)" 6
grep -q 'Clarke 1866' <(ogrinfo -al -so out_clarke/labels.geojson) || fail "clarke: labels.geojson's CRS is not on Clarke 1866"
check utm33n "$(composite u)" 4 --select all
check sinusoidal "$(composite sn)" 6
echo "labels.geojson: ok"
