#!/usr/bin/env bash
# GeoTIFF interoperability check with GDAL: GeoTIFFs written by GDAL from the demo
# netCDF are read by landclust and give the same labels as the netCDF; labels.tif / labels.nc
# read back in GDAL with EPSG:4326, the right extent and pixel size, NoData and a colour table;
# projected GeoTIFFs are read in their own CRS; an unsupported projection is refused with one line.
#
# Usage: tests/gis/check_gdal.sh [LANDCLUST_BINARY]
# Installs Debian's gdal-bin (and python3 for parsing gdalinfo -json, python3-xarray and
# python3-netcdf4 for reading labels.nc; LANDCLUST_XARRAY_PYTHON picks another interpreter) when missing.
# Exit status: 0 pass, 1 failure.
source "$(dirname "$0")/gdal_common.sh" "$@"
# xarray: the given interpreter, else Debian's (the python3 on the PATH may be another one,
# which does not see Debian's packages), installed by apt when missing.
xr_python="${LANDCLUST_XARRAY_PYTHON:-python3}"
if ! "$xr_python" -c "import xarray, netCDF4" >/dev/null 2>&1; then
    xr_python=/usr/bin/python3
    if ! "$xr_python" -c "import xarray, netCDF4" >/dev/null 2>&1; then
        echo "== installing python3-xarray and python3-netcdf4"
        sudo=""
        [ "$(id -u)" = 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-xarray python3-netcdf4 >/dev/null
    fi
fi
demo_geotiffs ""
# Multi-band, band descriptions = variable names (GDAL has no option for them: edit the VRT).
gdalbuildvrt -q -separate multi.vrt "${vars[@]/%/.tif}"
python3 - "${vars[@]}" <<'PY'
import re, sys
names = sys.argv[1:]
text = open("multi.vrt").read()
def describe(m):
    return m.group(0) + "\n    <Description>%s</Description>" % names[int(m.group(1)) - 1]
open("multi.vrt", "w").write(re.sub(r'<VRTRasterBand[^>]*band="(\d+)"[^>]*>', describe, text))
PY
gdal_translate -q -co TILED=YES -co BLOCKXSIZE=64 -co BLOCKYSIZE=64 -co COMPRESS=DEFLATE multi.vrt tiled_deflate.tif
gdal_translate -q -co COMPRESS=LZW -co BLOCKYSIZE=7 multi.vrt striped_lzw.tif
gdal_translate -q -co INTERLEAVE=BAND -co COMPRESS=DEFLATE -co PREDICTOR=2 multi.vrt band_interleaved.tif
# Scale/offset: Int16 with scale 1e-4 (NoData kept as -32768); GDAL's own unscaled copy as reference.
for v in NDVI DHR670 DHR865; do
    gdal_translate -q -ot Int16 -scale -1 1 -10000 10000 -a_scale 0.0001 -a_offset 0 -a_nodata -32768 "$v.tif" "q_$v.tif"
    gdal_translate -q -unscale -ot Float32 "q_$v.tif" "u_$v.tif"
done

run() { # run NAME INPUT [ARGS...]: labels.csv of a K-Means run
    local name="$1" input="$2"
    shift 2
    "$bin" --quiet run "$input" --out "out_$name" --k 6 --seed 7 --no-figures "$@" >/dev/null 2>"err_$name" ||
        fail "landclust run on $input: $(cat "err_$name")"
}
same() { cmp -s "out_$1/labels.csv" "out_$2/labels.csv" || fail "labels of $1 differ from those of $2"; echo "ok: labels $1 = $2"; }

run nc demo.nc
for f in tiled_deflate striped_lzw band_interleaved; do
    run "$f" "$f.tif"
    same "$f" nc
done
per_var=""
for v in "${vars[@]}"; do per_var="$per_var,$v=$v.tif"; done
run per_variable "${per_var#,}"
same per_variable nc
south=""
for v in "${vars[@]}"; do south="$south,$v=s_$v.tif"; done
run south_first "${south#,}"
same south_first nc
# A land mask from a band: land:50:VAR and mask:VAR on the multi-band file.
run nc_land50 demo.nc --select land:50:LandPercentage
run tif_land50 tiled_deflate.tif --select land:50:LandPercentage
same tif_land50 nc_land50
sub=(--vars NDVI,DHR670,DHR865 --select land:50:LandPercentage)
run scaled "NDVI=q_NDVI.tif,DHR670=q_DHR670.tif,DHR865=q_DHR865.tif,LandPercentage=LandPercentage.tif" "${sub[@]}"
run unscaled "NDVI=u_NDVI.tif,DHR670=u_DHR670.tif,DHR865=u_DHR865.tif,LandPercentage=LandPercentage.tif" "${sub[@]}"
same scaled unscaled
"$bin" inspect tiled_deflate.tif >inspect.txt || fail "inspect tiled_deflate.tif"
grep -q "DHR1020" inspect.txt || fail "inspect does not list the band names: $(cat inspect.txt)"

# labels.tif and labels.nc in GDAL.
check_gdalinfo() { # FILE: EPSG:4326, extent -180..180 x -90..90, 1 degree, NoData, colour table
    gdalinfo -json "$1" >info.json || fail "gdalinfo cannot open $1"
    python3 - "$1" <<'PY' || fail "gdalinfo of $1"
import json, sys
path = sys.argv[1]
info = json.load(open("info.json"))
wkt = info.get("coordinateSystem", {}).get("wkt", "")
assert 'ID["EPSG",4326]' in wkt or ('WGS 84' in wkt and 'GEOGCRS' in wkt), f"{path}: CRS is not EPSG:4326: {wkt[:200]}"
gt = info["geoTransform"]
assert abs(gt[0] + 180) < 1e-9 and abs(gt[3] - 90) < 1e-9, f"{path}: origin {gt[0]}, {gt[3]}"
assert abs(gt[1] - 1) < 1e-9 and abs(gt[5] + 1) < 1e-9, f"{path}: pixel size {gt[1]} x {gt[5]}"
assert info["size"] == [360, 180], f"{path}: size {info['size']}"
band = info["bands"][0]
assert "noDataValue" in band, f"{path}: no NoData"
if path.endswith(".tif"):
    assert band["noDataValue"] == 255, band["noDataValue"]
    table = band.get("colorTable", {}).get("entries", [])
    assert len(table) >= 6, f"{path}: colour table has {len(table)} entries"
    assert table[0][:3] == [0x4e, 0x79, 0xa7], f"{path}: colour 0 is {table[0]}"
    assert band["type"] == "Byte", band["type"]
print(f"ok: gdalinfo {path}")
PY
}
check_gdalinfo out_nc/labels.tif
check_gdalinfo "NETCDF:\"out_nc/labels.nc\":cluster"
# Same cells, same clusters: labels.tif agrees with labels.nc (GDAL reads both).
gdal_translate -q -of XYZ out_nc/labels.tif tif.xyz
gdal_translate -q -of XYZ "NETCDF:\"out_nc/labels.nc\":cluster" nc.xyz
python3 - <<'PY' || fail "labels.tif and labels.nc hold different clusters"
def cells(path, nodata):
    out = {}
    for line in open(path):
        x, y, v = line.split()
        out[(round(float(x), 6), round(float(y), 6))] = None if float(v) == nodata else int(float(v))
    return out
tif, nc = cells("tif.xyz", 255), cells("nc.xyz", -1)
assert tif.keys() == nc.keys(), "different cell centres"
bad = [k for k in tif if tif[k] != nc[k]]
assert not bad, f"{len(bad)} cells differ, e.g. {bad[:3]}"
assert sum(v is not None for v in tif.values()) > 1000
PY
echo "ok: labels.tif = labels.nc"

# Cluster names: --names over the proposed names, as GDAL categories of labels.tif (its PAM
# sidecar) and as CF flag_meanings of labels.nc decoded by xarray.
printf '[names]\n0 = "bare desert"\n3 = "forest"\n' >names.toml
run names demo.nc --truth SurfaceClass --truth KoppenGeiger --names names.toml
gdalinfo -json out_names/labels.tif >names.json || fail "gdalinfo cannot open out_names/labels.tif"
python3 - <<'PY' || fail "gdalinfo does not list the cluster names of labels.tif"
import json
band = json.load(open("names.json"))["bands"][0]
names = json.load(open("out_names/metrics.json"))["cluster_names"]
cats = band.get("categories", [])
assert cats == names, f"categories {cats} != cluster_names {names}"
assert cats[0] == "bare desert" and cats[3] == "forest", cats
print(f"ok: gdalinfo lists labels.tif's categories: {cats[0]!r}, ..., {cats[-1]!r}")
PY
"$xr_python" - <<'PY' || fail "xarray does not show labels.nc's flag meanings"
import json
import xarray as xr
ds = xr.open_dataset("out_names/labels.nc")
c = ds["cluster"]
names = json.load(open("out_names/metrics.json"))["cluster_names"]
meanings = c.attrs["flag_meanings"].split()
assert list(c.attrs["flag_values"]) == list(range(len(names))), c.attrs["flag_values"]
assert len(meanings) == len(names) and meanings[0] == "bare_desert" and meanings[3] == "forest", meanings
# The flags decode the map: each value present is one of the named clusters.
present = sorted(int(v) for v in set(c.values[~c.isnull().values].ravel()))
assert present == list(range(len(names))), present
print(f"ok: xarray decodes labels.nc's flag_meanings: {' '.join(meanings[:2])} ...")
PY

# A projected GeoTIFF (UTM 33N) is read in its own CRS and labels.tif keeps it.
gdalwarp -q -t_srs EPSG:32633 -te 300000 4000000 700000 6000000 -tr 20000 20000 NDVI.tif utm.tif
"$bin" --quiet run utm.tif --vars band1 --select all --k 3 --no-figures --out out_utm >/dev/null 2>err_utm ||
    fail "a UTM GeoTIFF was not clustered: $(cat err_utm)"
gdalsrsinfo -o epsg out_utm/labels.tif | grep -q "EPSG:32633" ||
    fail "labels.tif of a UTM input is not in EPSG:32633: $(gdalsrsinfo -o epsg out_utm/labels.tif)"
echo "ok: UTM 33N input clustered, labels.tif in EPSG:32633"
# MODIS sinusoidal (a user-defined projection): read and named.
gdalwarp -q -t_srs "+proj=sinu +lon_0=0 +x_0=0 +y_0=0 +R=6371007.181 +units=m +no_defs" -tr 100000 100000 NDVI.tif sinu.tif
"$bin" --quiet inspect sinu.tif >inspect_sinu.txt 2>err_sinu || fail "a sinusoidal GeoTIFF was not read: $(cat err_sinu)"
grep -qi "sinusoidal" inspect_sinu.txt || fail "inspect does not name the sinusoidal projection: $(cat inspect_sinu.txt)"
echo "ok: sinusoidal input read"
# A projection landclust does not support (Web Mercator): one line naming it, non-zero exit.
gdalwarp -q -t_srs EPSG:3857 -te 1000000 4000000 2000000 6000000 -tr 20000 20000 NDVI.tif merc.tif
if "$bin" --quiet run merc.tif --vars band1 --select all --out out_merc >/dev/null 2>err_merc; then
    fail "a Web Mercator GeoTIFF was clustered"
fi
[ "$(wc -l <err_merc)" = 1 ] && grep -q "3857" err_merc ||
    fail "Web Mercator GeoTIFF: unexpected message: $(cat err_merc)"
[ ! -e out_merc ] || fail "a refused input left an output folder"
echo "ok: unsupported projection refused: $(cat err_merc)"
echo "PASS: GeoTIFF in/out agrees with GDAL"
