#!/usr/bin/env bash
# Projected grids, checked with GDAL (PROJ) as the reference: the demo file, as GeoTIFFs,
# reprojected by `gdalwarp -r near -et 0` (nearest neighbour, exact transformation) into UTM
# 33N and 33S, MODIS sinusoidal, EASE-Grid 2.0 north (LAEA) and global (cylindrical equal-area),
# polar stereographic north and south, Albers (CONUS) and a user-defined Lambert conformal
# conic, at 100 km (near the demo's 1 degree), runs end to end in its own projection:
# - `gdalinfo -json` of labels.tif reports the input's CRS (the same PROJ string, and the
#   same EPSG code where the input has one) and the input's geotransform;
# - `landclust assign` of the warped file to centres of a run on the demo gives each pixel the
#   label that `assign` gives the demo cell its centre falls in: the warped pixel holds that
#   cell's values (nearest neighbour), so the labels must be identical (up to assign's
#   renumbering of the clusters it finds by mean NDVI: a one-to-one map). Checked on every
#   pixel whose inverse-projected centre (landclust's lon/lat in labels.csv) lies more than
#   1e-6 degree from a demo cell's edge (where PROJ and proj4rs, 1e-7 degree apart, could pick
#   different cells); the count of those that are the only pixel of their demo cell is shown.
# - labels.nc opens in GDAL with the projection.
#
# Usage: tests/gis/check_projected.sh [LANDCLUST_BINARY]
# Installs Debian's gdal-bin (and python3) when missing. Exit status: 0 pass, 1 failure.
source "$(dirname "$0")/gdal_common.sh" "$@"
demo_geotiffs w_
composite() { local p="$1" out=""; for v in "${vars[@]}"; do out="$out,$v=${p}_$v.tif"; done; echo "${out#,}"; }

# Centres: a K-Means run on the demo (geographic GeoTIFFs), written as assign's centers.json
# (z-space centres with the means and standard deviations of the selected cells).
"$bin" --quiet run "$(composite w)" --k 6 --seed 7 --reduce none --no-figures --out out_geo >/dev/null 2>err_geo ||
    fail "run on the demo: $(cat err_geo)"
python3 - <<'PY' || fail "centers.json"
import csv, json, math
rows = list(csv.DictReader(open("out_geo/centers.csv")))
names = [k for k in rows[0] if k not in ("cluster", "size", "area_km2", "area_share")]
sizes = [float(r["size"]) for r in rows]
n = sum(sizes)
mean = [sum(float(r[v]) * s for r, s in zip(rows, sizes)) / n for v in names]
# The spread of the centres stands in for the data's standard deviation: assign only needs
# one fixed standardisation for both files.
std = [math.sqrt(sum(s * (float(r[v]) - m) ** 2 for r, s in zip(rows, sizes)) / n) or 1.0 for v, m in zip(names, mean)]
centers = [[(float(r[v]) - m) / sd for v, m, sd in zip(names, mean, std)] for r in rows]
json.dump({"vars": names, "mean": mean, "std": std, "centers_z": centers}, open("centers.json", "w"))
PY
"$bin" --quiet assign "$(composite w)" --centers centers.json --out ref >/dev/null 2>err_ref ||
    fail "assign on the demo: $(cat err_ref)"

lcc="+proj=lcc +lat_0=52 +lon_0=10 +lat_1=35 +lat_2=65 +x_0=4000000 +y_0=2800000 +ellps=GRS80 +units=m +no_defs"
sinu="+proj=sinu +lon_0=0 +x_0=0 +y_0=0 +R=6371007.181 +units=m +no_defs"
# name | target CRS | extent (xmin ymin xmax ymax, metres) | EPSG code or -
cases=(
    "utm33n|EPSG:32633|200000 0 800000 6000000|32633"
    "utm33s|EPSG:32733|200000 4000000 800000 10000000|32733"
    "modis|$sinu|-20015109 -10007555 20015109 10007555|-"
    "ease_north|EPSG:6931|-8000000 -8000000 8000000 8000000|6931"
    "ease_global|EPSG:6933|-17367530 -7314540 17367530 7314540|6933"
    "polar_north|EPSG:3413|-3850000 -5350000 3750000 5850000|3413"
    "polar_south|EPSG:3031|-3950000 -3950000 3950000 4350000|3031"
    "albers|EPSG:5070|-2400000 200000 2300000 3200000|5070"
    "lcc|$lcc|1000000 -1000000 8000000 7000000|-"
)
for c in "${cases[@]}"; do
    IFS='|' read -r name srs extent epsg <<<"$c"
    for v in "${vars[@]}"; do
        # shellcheck disable=SC2086
        gdalwarp -q -r near -et 0 -t_srs "$srs" -te $extent -tr 100000 100000 "w_$v.tif" "${name}_$v.tif"
    done
    input="$(composite "$name")"
    "$bin" --quiet run "$input" --k 6 --seed 7 --out "run_$name" >/dev/null 2>"err_$name" ||
        fail "run on $name: $(cat "err_$name")"
    "$bin" --quiet assign "$input" --centers centers.json --out "as_$name" >/dev/null 2>"err_$name" ||
        fail "assign on $name: $(cat "err_$name")"
    gdalsrsinfo -o proj4 "${name}_NDVI.tif" | tr -s ' ' >srs_in.txt
    for f in "run_$name/labels.tif" "as_$name/labels.tif"; do
        gdalsrsinfo -o proj4 "$f" | tr -s ' ' >srs_out.txt || fail "gdalsrsinfo cannot read $f"
        cmp -s srs_in.txt srs_out.txt || fail "$f: CRS $(cat srs_out.txt) is not the input's $(cat srs_in.txt)"
    done
    gdalinfo -json "${name}_NDVI.tif" >in.json
    gdalinfo -json "run_$name/labels.tif" >out.json || fail "gdalinfo cannot open labels.tif of $name"
    gdalinfo "NETCDF:\"run_$name/labels.nc\":cluster" >nc.txt 2>&1 || fail "gdalinfo cannot open labels.nc of $name"
    python3 - "$name" "$epsg" <<'PY' || fail "$name"
import csv, json, math, sys
name, epsg = sys.argv[1:]
a, b = json.load(open("in.json")), json.load(open("out.json"))
assert a["size"] == b["size"], (a["size"], b["size"])
ga, gb = a["geoTransform"], b["geoTransform"]
assert all(abs(x - y) <= 1e-6 * max(1.0, abs(x)) for x, y in zip(ga, gb)), (ga, gb)
if epsg != "-":
    assert f'ID["EPSG",{epsg}]' in b["coordinateSystem"]["wkt"].splitlines()[-1] or \
        b["coordinateSystem"]["wkt"].rstrip().endswith(f'ID["EPSG",{epsg}]]'), b["coordinateSystem"]["wkt"][-200:]
nc = open("nc.txt").read()
assert "PROJCRS" in nc or "PROJCS" in nc, nc[:500]
# The demo grid: 1 degree, north first; reference labels per demo cell.
ref = {(int(r["row"]), int(r["col"])): r["cluster"] for r in csv.DictReader(open("ref/labels.csv"))}
pix = list(csv.DictReader(open(f"as_{name}/labels.csv")))
checked = 0
per_cell = {}
pairs = set()
for p in pix:
    lat, lon = float(p["lat"]), float(p["lon"])
    y, x = 90.0 - lat, lon + 180.0
    if min(y - math.floor(y), math.ceil(y) - y, x - math.floor(x), math.ceil(x) - x) < 1e-6:
        continue
    cell = (int(math.floor(y)), int(math.floor(x)) % 360)
    if cell not in ref:
        raise SystemExit(f"{name}: pixel {p['row']},{p['col']} at {lon},{lat} is land but demo cell {cell} is not")
    per_cell.setdefault(cell, []).append(p)
    pairs.add((p["cluster"], ref[cell]))
    checked += 1
one = sum(1 for v in per_cell.values() if len(v) == 1)
assert checked >= 20, f"{name}: only {checked} pixels checked"
# assign numbers the clusters it finds by their mean NDVI (landclust's stable order), so the
# same centres may carry other numbers: the labels must be the same up to that renumbering,
# i.e. a one-to-one map between pixel labels and demo-cell labels.
fwd, back = {}, {}
for a, r in pairs:
    assert fwd.setdefault(a, r) == r and back.setdefault(r, a) == a, f"{name}: labels differ from the demo's: {sorted(pairs)}"
print(f"ok: {name}: labels.tif in the input's CRS and geotransform {gb[:2]}; assign labels = demo cell's on all "
      f"{checked} land pixels ({one} alone in their demo cell), clusters {sorted(pairs)}")
PY
done
echo "ok: projected grids"
