# Shared set-up of the GDAL checks (check_gdal.sh, check_crs.sh, check_projected.sh): sourced by
# them, not run on its own. After `source tests/gis/gdal_common.sh "$@"`:
# - $bin is the landclust binary (the first argument, else the release build, built if missing);
# - fail MESSAGE prints "FAIL: MESSAGE" and exits 1;
# - gdal-bin and python3 are installed (Debian's, when missing);
# - the working directory is a fresh temporary folder, removed on exit, holding the demo file
#   demo.nc; $vars lists its variables;
# - demo_geotiffs PREFIX writes each variable as a north-up 1-degree GeoTIFF PREFIX$v.tif, and
#   its south-up reading by GDAL as s_$v.tif.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/landclust/target}"
bin="${1:-$CARGO_TARGET_DIR/release/landclust}"
[ -x "$bin" ] || cargo build --release --locked
bin="$(realpath "$bin")"
fail() { echo "FAIL: $*" >&2; exit 1; }

if ! command -v gdalinfo >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
    echo "== installing gdal-bin and python3"
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq gdal-bin python3 >/dev/null
fi
echo "== $(gdalinfo --version)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
"$bin" --quiet synth --out demo.nc >/dev/null
vars=(NDVI DHR443 DHR490 DHR565 DHR670 DHR865 DHR1020 LandPercentage)

# GDAL sees the demo's 2-D Latitude/Longitude as plain rows (south first, row 0 = 89.5 S):
# assign the grid (south-up: upper-left corner -180,-90), then warp each variable north-up.
demo_geotiffs() {
    local prefix="$1" v
    for v in "${vars[@]}"; do
        gdal_translate -q -a_srs EPSG:4326 -a_ullr -180 -90 180 90 "NETCDF:\"demo.nc\":$v" "s_$v.tif"
        gdalwarp -q -r near -te -180 -90 180 90 -tr 1 1 "s_$v.tif" "$prefix$v.tif"
    done
}
