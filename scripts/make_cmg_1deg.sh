#!/usr/bin/env bash
# A real 1-degree land file: the 0.05-degree MODIS CMG products of scripts/fetch_cmg_products.sh
# averaged to 1 degree with GDAL (docs/weights.md compares area weights on it).
#
#   NDVI_maximum, NDVI_minimum, fAPARmax, Topt: gdalwarp -r average (the mean of the 20 x 20
#       valid 0.05-degree cells of each 1-degree cell; NoData cells are left out of the mean)
#   MCD12C1 (IGBP land cover): gdalwarp -r mode (the most frequent class of the 400 cells;
#       0 = water, so a 1-degree cell that is mostly water is not land)
#
# Each output keeps its input's CRS (Clarke 1866 for MCD12C1 and the NDVI files, WGS 84 for the
# PT-JPL files) on the grid -180..180, -90..90 with 1-degree cells (360 x 180).
#
# Usage: scripts/make_cmg_1deg.sh SRC DEST
#   SRC  the folder written by scripts/fetch_cmg_products.sh
#   DEST the folder for the five 1-degree GeoTIFFs
# Prints the composite input that clusters the four continuous products on MODIS land, as
# fetch_cmg_products.sh does for the 0.05-degree files. Exit status: 0 done.
set -euo pipefail
src="${1:?usage: scripts/make_cmg_1deg.sh SRC DEST}"
dest="${2:?usage: scripts/make_cmg_1deg.sh SRC DEST}"
command -v gdalwarp >/dev/null || { echo "make_cmg_1deg.sh: gdalwarp not found (apt-get install gdal-bin)" >&2; exit 1; }
mkdir -p "$dest"
grid=(-tr 1 1 -te -180 -90 180 90)
for f in NDVI_maximum NDVI_minimum fAPARmax Topt; do
    gdalwarp -q -overwrite -r average "${grid[@]}" -ot Float32 "$src/$f.tif" "$dest/$f.tif"
done
gdalwarp -q -overwrite -r mode "${grid[@]}" "$src/MCD12C1.tif" "$dest/MCD12C1.tif"
d="$(realpath "$dest")"
echo "NDVImax=$d/NDVI_maximum.tif,NDVImin=$d/NDVI_minimum.tif,fAPARmax=$d/fAPARmax.tif?scale=1e-4,Topt=$d/Topt.tif?scale=0.01,LC=$d/MCD12C1.tif"
