"""Compare a run's labels.geojson with GDAL (check_vector.sh): feature count and CRS, per
cluster the polygons and holes of gdal_polygonize on labels.tif (4-connected), GEOS validity
(and MakeValid changing nothing), cells and area_km2 as metrics.json's, and each feature's area
in an equal-area cylindrical projection on the CRS's ellipsoid (in the input's own projection
when that is equal-area) against metrics.json's area_km2. Usage: compare_vector.py RUN_FOLDER"""
import json
import sys

from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()
run = sys.argv[1]


def fail(message):
    print(f"FAIL: {run}: {message}", file=sys.stderr)
    sys.exit(1)


metrics = json.load(open(f"{run}/metrics.json"))
k = metrics["k"]
vector = ogr.Open(f"{run}/labels.geojson")
if vector is None:
    fail("GDAL cannot open labels.geojson")
layer = vector.GetLayer(0)
if layer.GetFeatureCount() != k:
    fail(f"{layer.GetFeatureCount()} features, expected {k}")

# The CRS: the same system as labels.tif's.
raster = gdal.Open(f"{run}/labels.tif")
raster_srs = raster.GetSpatialRef()
vector_srs = layer.GetSpatialRef()
# Compared as PROJ strings (the names may differ: an EPSG code's official name against the
# GeoTIFF citation), and by EPSG code where labels.tif has one.
if vector_srs is None or vector_srs.ExportToProj4() != raster_srs.ExportToProj4():
    fail(f"CRS {vector_srs and vector_srs.ExportToProj4()} is not labels.tif's {raster_srs.ExportToProj4()}")
code = raster_srs.GetAuthorityCode(None)
if code is not None and vector_srs.GetAuthorityCode(None) != code:
    fail(f"CRS EPSG:{vector_srs.GetAuthorityCode(None)}, labels.tif has EPSG:{code}")

# gdal_polygonize's polygons of labels.tif (4-connected, NoData masked).
memory = ogr.GetDriverByName("Memory").CreateDataSource("gdal")
reference = memory.CreateLayer("gdal", srs=raster_srs)
reference.CreateField(ogr.FieldDefn("cluster", ogr.OFTInteger))
band = raster.GetRasterBand(1)
gdal.Polygonize(band, band.GetMaskBand(), reference, 0, [])
expected = {}
for f in reference:
    g = f.GetGeometryRef()
    n, h = expected.get(f.GetField(0), (0, 0))
    expected[f.GetField(0)] = (n + 1, h + g.GetGeometryCount() - 1)

# Area: cylindrical equal-area on the CRS's own ellipsoid keeps parallels and meridians
# straight, so a cell-edge polygon's planar area there is its area on the ellipsoid.
geographic = raster_srs.CloneGeogCS()
cea = osr.SpatialReference()
cea.ImportFromProj4(
    f"+proj=cea +a={geographic.GetSemiMajor()} +rf={geographic.GetInvFlattening() or 0} +units=m +no_defs"
    if geographic.GetInvFlattening()
    else f"+proj=cea +R={geographic.GetSemiMajor()} +units=m +no_defs"
)
for s in (vector_srs, geographic, cea):
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
to_geographic = osr.CoordinateTransformation(vector_srs, geographic)
to_cea = osr.CoordinateTransformation(geographic, cea)
projected = vector_srs.IsProjected()
# On an equal-area projection a cell's area is its width times its height, as metrics.json has it.
equal_area = any(f"+proj={p} " in vector_srs.ExportToProj4() + " " for p in ("sinu", "laea", "aea", "cea"))

layer.ResetReading()
for f in layer:
    cluster = f.GetField("id")
    g = f.GetGeometryRef()
    if not g.IsValid():
        fail(f"cluster {cluster}: invalid geometry")
    if g.MakeValid().ExportToIsoWkt() != g.ExportToIsoWkt():
        fail(f"cluster {cluster}: MakeValid changes the geometry")
    if f.GetField("cells") != metrics["cluster_sizes"][cluster]:
        fail(f"cluster {cluster}: cells {f.GetField('cells')} vs {metrics['cluster_sizes'][cluster]}")
    got = (g.GetGeometryCount(), sum(g.GetGeometryRef(i).GetGeometryCount() - 1 for i in range(g.GetGeometryCount())))
    if got != expected.get(cluster, (0, 0)):
        fail(f"cluster {cluster}: {got} polygons and holes, gdal_polygonize gives {expected.get(cluster)}")
    km2 = metrics["area"]["cluster_km2"][cluster]
    if f.GetField("area_km2") != km2:
        fail(f"cluster {cluster}: area_km2 {f.GetField('area_km2')} vs metrics.json {km2}")
    if projected and equal_area:
        area = g.GetArea() * vector_srs.GetLinearUnits() ** 2 / 1e6
        if abs(area - km2) > 1e-6 * km2:
            fail(f"cluster {cluster}: {area} km2 in the input's equal-area projection vs {km2}")
    if not projected:
        c = g.Clone()
        c.Transform(to_geographic)
        c.Transform(to_cea)
        area = c.GetArea() / 1e6
        if abs(area - km2) > 1e-6 * km2:
            fail(f"cluster {cluster}: {area} km2 in equal-area CEA vs {km2}")
print(f"ok: {run}: {k} features in {vector_srs.GetName()}, polygons and holes as gdal_polygonize's "
      f"({sum(n for n, _ in expected.values())} polygons, {sum(h for _, h in expected.values())} holes), all valid"
      + (", areas within 1e-6" if equal_area or not projected else ""))
