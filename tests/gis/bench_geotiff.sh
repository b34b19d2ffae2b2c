#!/usr/bin/env bash
# Time and peak memory of `landclust run` on a multi-band GeoTIFF against the same run on the
# netCDF it was made from.
#
# Usage: tests/gis/bench_geotiff.sh SYNTH.nc OUT_DIR [LANDCLUST_BINARY]
#   SYNTH.nc: a `landclust synth --resolution R` file (e.g. /work/data/scaling/synth_0.1.nc);
#   OUT_DIR keeps the GeoTIFF (tiled, deflate; GDAL), the runs and bench.txt.
# Needs gdal-bin and GNU time (/usr/bin/time).
set -euo pipefail
nc="$(realpath "$1")"
out="$2"
bin="${3:-${CARGO_TARGET_DIR:-$HOME/.cache/landclust/target}/release/landclust}"
mkdir -p "$out"
cd "$out"
vars=(NDVI DHR443 DHR490 DHR565 DHR670 DHR865 DHR1020 LandPercentage)
step="$(gdalinfo "NETCDF:\"$nc\":NDVI" | awk '/^Size is/ {gsub(",", ""); print 360 / $3}')"
tif="$(basename "${nc%.nc}")_multiband.tif"
if [ ! -f "$tif" ]; then
    for v in "${vars[@]}"; do
        # The demo's rows are south first: assign the grid south-up, warp north-up.
        gdal_translate -q -a_srs EPSG:4326 -a_ullr -180 -90 180 90 "NETCDF:\"$nc\":$v" "s_$v.tif"
        gdalwarp -q -r near -te -180 -90 180 90 -tr "$step" "$step" "s_$v.tif" "$v.tif"
        rm "s_$v.tif"
    done
    gdalbuildvrt -q -separate multi.vrt "${vars[@]/%/.tif}"
    python3 - "${vars[@]}" <<'PY'
import re, sys
names = sys.argv[1:]
text = open("multi.vrt").read()
text = re.sub(r'<VRTRasterBand[^>]*band="(\d+)"[^>]*>',
              lambda m: m.group(0) + "\n    <Description>%s</Description>" % names[int(m.group(1)) - 1], text)
open("multi.vrt", "w").write(text)
PY
    gdal_translate -q -co TILED=YES -co COMPRESS=DEFLATE -co BIGTIFF=IF_SAFER multi.vrt "$tif"
    rm -f multi.vrt "${vars[@]/%/.tif}"
fi
: >bench.txt
for input in "$nc" "$tif"; do
    name="run_$(basename "$input" | tr . _)"
    rm -rf "$name"
    /usr/bin/time -v "$bin" -q run "$input" --k 6 --no-figures --out "$name" 2>"$name.time" >/dev/null
    wall="$(awk -F': ' '/Elapsed/ {print $2}' "$name.time")"
    rss="$(awk -F': ' '/Maximum resident/ {print $2}' "$name.time")"
    echo "$(basename "$input"): wall $wall, peak RSS $((rss / 1024)) MiB" | tee -a bench.txt
done
cmp -s "run_$(basename "$nc" | tr . _)/labels.csv" "run_$(basename "$tif" | tr . _)/labels.csv" &&
    echo "labels identical" | tee -a bench.txt
