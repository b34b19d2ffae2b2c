#!/usr/bin/env python3
"""Reference inverse projections for src/dataset/crs_projected_tests.rs, computed by PROJ through
GDAL's gdaltransform (apt-get install gdal-bin): for each projected CRS, a few points are
projected forward from chosen lon/lat, their x/y rounded to the millimetre, and those x/y are
inverse-projected to the base geographic CRS (no datum shift). Writes
tests/fixtures/projections.json.

Usage: python3 tests/reference/ref_projections.py
"""
import json
import os
import subprocess

# (name, source CRS for GDAL, base geographic CRS, landclust's EPSG code or None, lon/lat points)
CASES = [
    ("UTM 33N (WGS 84)", "EPSG:32633", "EPSG:4326", 32633, [(15.0, 42.0), (12.3, 60.5), (17.9, 0.5)]),
    ("UTM 33S (WGS 84)", "EPSG:32733", "EPSG:4326", 32733, [(15.0, -42.0), (12.3, -0.5), (17.9, -70.2)]),
    ("UTM 25S (SIRGAS 2000)", "EPSG:31985", "EPSG:4674", 31985, [(-34.9, -7.95), (-33.0, -20.0)]),
    ("NAD83 / UTM 10N", "EPSG:26910", "EPSG:4269", 26910, [(-123.1, 49.2), (-121.0, 37.5)]),
    ("MODIS sinusoidal",
     "+proj=sinu +lon_0=0 +x_0=0 +y_0=0 +R=6371007.181 +units=m +no_defs",
     "+proj=longlat +R=6371007.181 +no_defs", None, [(10.0, 45.0), (-60.0, -10.0), (120.0, 70.0)]),
    ("EASE-Grid 2.0 North (LAEA)", "EPSG:6931", "EPSG:4326", 6931, [(0.0, 90.0 - 1e-9), (-45.0, 70.0), (100.0, 30.0)]),
    ("LAEA Europe", "EPSG:3035", "EPSG:4258", 3035, [(10.0, 52.0), (-5.0, 40.0), (30.0, 65.0)]),
    ("NSIDC polar stereographic north", "EPSG:3413", "EPSG:4326", 3413, [(-45.0, 75.0), (30.0, 60.0), (170.0, 85.0)]),
    ("Antarctic polar stereographic", "EPSG:3031", "EPSG:4326", 3031, [(0.0, -75.0), (120.0, -65.0), (-100.0, -85.0)]),
    ("NAD83 / Conus Albers", "EPSG:5070", "EPSG:4269", 5070, [(-96.0, 23.0), (-120.0, 45.0), (-75.0, 35.0)]),
    ("ETRS89 / LCC Europe", "EPSG:3034", "EPSG:4258", 3034, [(10.0, 52.0), (-8.0, 38.0), (25.0, 68.0)]),
    ("EASE-Grid 2.0 Global (cylindrical equal-area)", "EPSG:6933", "EPSG:4326", 6933, [(0.0, 0.0), (-120.0, 50.0), (60.0, -80.0)]),
]


def transform(src, dst, points):
    text = "".join(f"{a!r} {b!r}\n" for a, b in points)
    out = subprocess.run(["gdaltransform", "-s_srs", src, "-t_srs", dst, "-output_xy"], input=text,
                         capture_output=True, text=True, check=True).stdout
    return [tuple(float(v) for v in line.split()) for line in out.strip().splitlines()]


def main():
    cases = []
    for name, src, base, epsg, lonlat in CASES:
        xy = [(round(x, 3), round(y, 3)) for x, y in transform(base, src, lonlat)]
        inv = transform(src, base, xy)
        case = {"name": name, "epsg": epsg, "points": [[x, y, lon, lat] for (x, y), (lon, lat) in zip(xy, inv)]}
        if epsg is None:
            case["proj4"] = src
        cases.append(case)
    version = subprocess.run(["gdalinfo", "--version"], capture_output=True, text=True).stdout.strip()
    out = {
        "source": f"tests/reference/ref_projections.py with {version} (PROJ via gdaltransform)",
        "tolerance_degrees": 1e-7,
        "cases": cases,
    }
    path = os.path.join(os.path.dirname(__file__), "..", "fixtures", "projections.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote", os.path.normpath(path))


if __name__ == "__main__":
    main()
