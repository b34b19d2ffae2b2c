use super::*;
use crate::dataset::GeographicCrs;
use crate::dataset::area::{CellAreas, band_area_km2};
use crate::io::vector::polygonize::{NO_LABEL, polygonize};

/// Area in km2 of a ring of lon/lat cell edges on `ellipsoid`, by Green's theorem: the area
/// element is `S'(phi) dphi dlambda` (`S` the zone area from the equator per unit of
/// longitude), so a counter-clockwise ring encloses `-sum S(phi) dlambda` over its east-west
/// edges (meridian edges add nothing); signed, holes negative.
fn green_area_km2(ellipsoid: &crate::dataset::crs::Ellipsoid, ring: &[serde_json::Value]) -> f64 {
    let p: Vec<(f64, f64)> = ring
        .iter()
        .map(|q| (q[0].as_f64().unwrap(), q[1].as_f64().unwrap()))
        .collect();
    p.windows(2)
        .filter(|w| w[0].1 == w[1].1)
        .map(|w| {
            let lat = w[0].1;
            let zone_per_degree = lat.signum() * band_area_km2(ellipsoid, 0.0, lat, 1.0);
            -zone_per_degree * (w[1].0 - w[0].0)
        })
        .sum()
}

fn write_and_read(grid: &Grid, labels: &[u32], features: &[FeatureAttributes]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.geojson");
    let polygons = polygonize(labels, grid.n_rows, grid.n_cols).unwrap();
    write_geojson(&path, &polygons, &CellEdges::of(grid), features, &VectorCrs::of(grid)).unwrap();
    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap()
}

fn attributes(labels: &[u32], k: u32) -> Vec<FeatureAttributes> {
    (0..k)
        .map(|id| FeatureAttributes {
            id,
            name: (id == 1).then(|| "forest".to_string()),
            cells: labels.iter().filter(|&&l| l == id).count(),
            area_km2: 0.0,
        })
        .collect()
}

/// A 5 x 6 raster: label 1 is a ring with a hole (label 0) and a separate cell; label 2 fills
/// the rest; one missing cell.
fn labels() -> Vec<u32> {
    vec![
        2, 2, 2, 2, 2, 1, //
        1, 1, 1, 2, 2, 2, //
        1, 0, 1, 2, NO_LABEL, 2, //
        1, 1, 1, 2, 2, 2, //
        2, 2, 2, 2, 0, 0, //
    ]
}

#[test]
fn areas_on_the_ellipsoid_are_the_sums_of_the_cells_areas_and_rings_follow_rfc_7946() {
    let labels = labels();
    let north_first = Grid::regular(5, 6, 60.0, 10.0, 2.5);
    let mut south_first = north_first.clone();
    south_first.lat.reverse();
    let mut clarke = north_first.clone();
    clarke.crs = GeographicCrs::from_epsg(4008);
    for grid in [&north_first, &south_first, &clarke] {
        let ellipsoid = grid.crs().ellipsoid;
        let areas = CellAreas::new(&ellipsoid, &grid.lat, &grid.lon);
        let json = write_and_read(grid, &labels, &attributes(&labels, 3));
        let features = json["features"].as_array().unwrap();
        assert_eq!(features.len(), 3);
        for (id, f) in features.iter().enumerate() {
            assert_eq!(f["properties"]["id"], id);
            assert_eq!(f["id"], id);
            assert_eq!(f["geometry"]["type"], "MultiPolygon");
            let expected: f64 = (0..labels.len())
                .filter(|&i| labels[i] == id as u32)
                .map(|i| areas.of(i / 6, i % 6))
                .sum();
            let mut total = 0.0;
            for polygon in f["geometry"]["coordinates"].as_array().unwrap() {
                for (r, ring) in polygon.as_array().unwrap().iter().enumerate() {
                    let a = green_area_km2(&ellipsoid, ring.as_array().unwrap());
                    // RFC 7946: outer ring counter-clockwise (positive), holes clockwise.
                    assert_eq!(a > 0.0, r == 0, "ring {r} of feature {id}: {a}");
                    total += a;
                }
            }
            assert!(
                (total - expected).abs() <= 1e-9 * expected,
                "{id}: {total} vs {expected}"
            );
        }
        let one = &features[1];
        assert_eq!(one["properties"]["name"], "forest");
        assert!(features[0]["properties"].get("name").is_none());
        assert_eq!(one["geometry"]["coordinates"].as_array().unwrap().len(), 2);
        // Polygons in the order of their north-west-most cell: the lone cell, then the ring.
        assert_eq!(one["geometry"]["coordinates"][0].as_array().unwrap().len(), 1);
        assert_eq!(one["geometry"]["coordinates"][1].as_array().unwrap().len(), 2);
    }
}

#[test]
fn the_crs_member_names_the_inputs_crs() {
    let labels = vec![0, 1, 1, 0];
    let mut grid = Grid::regular(2, 2, 1.0, 1.0, 1.0);
    let json = write_and_read(&grid, &labels, &attributes(&labels, 2));
    assert!(json.get("crs").is_none(), "WGS 84 is RFC 7946's own");
    assert_eq!(json["type"], "FeatureCollection");
    grid.crs = GeographicCrs::from_epsg(4267);
    let json = write_and_read(&grid, &labels, &attributes(&labels, 2));
    assert_eq!(json["crs"]["properties"]["name"], "urn:ogc:def:crs:EPSG::4267");
    grid.crs = GeographicCrs::from_datum(6008);
    let json = write_and_read(&grid, &labels, &attributes(&labels, 2));
    assert_eq!(json["crs"]["properties"]["name"], "urn:ogc:def:crs:EPSG::4008");
    let mut custom = GeographicCrs::on_ellipsoid(
        "sphere",
        crate::dataset::crs::Ellipsoid {
            name: "sphere".into(),
            epsg: None,
            semi_major_axis: 6371007.181,
            inverse_flattening: 0.0,
        },
    );
    custom.prime_meridian.longitude = 2.5;
    grid.crs = Some(custom);
    let json = write_and_read(&grid, &labels, &attributes(&labels, 2));
    let wkt = json["crs"]["properties"]["name"].as_str().unwrap();
    assert!(wkt.starts_with("GEOGCS[\"sphere\"") && !wkt.contains("AXIS"), "{wkt}");
    // Longitudes in the file's CRS: from its prime meridian.
    assert_eq!(json["features"][0]["geometry"]["coordinates"][0][0][0][0], -2.0);
}

#[test]
fn cell_edges_are_halfway_and_clamped_to_the_poles() {
    let grid = Grid::regular(180, 360, 89.5, -179.5, 1.0);
    let e = CellEdges::of(&grid);
    assert_eq!((e.x[0], e.x[360], e.y[0], e.y[180]), (-180.0, 180.0, 90.0, -90.0));
    // Centres rounded to float32 (the 0.05-degree synth file): the outer edges land just beyond
    // the antimeridian and are put on it; a window past it (lon > 180) keeps its edges.
    let mut f32_grid = Grid::regular(2, 7200, 0.025, -179.975, 0.05);
    f32_grid.lon = f32_grid.lon.iter().map(|&v| f64::from(v as f32)).collect();
    let e = CellEdges::of(&f32_grid);
    let raw = crate::dataset::area::edges(&f32_grid.lon, 1.0);
    assert!(raw[0] < -180.0 && raw[7200] > 180.0, "{} {}", raw[0], raw[7200]);
    assert_eq!((e.x[0], e.x[7200]), (-180.0, 180.0));
    assert_eq!(e.x[1], (f32_grid.lon[0] + f32_grid.lon[1]) / 2.0);
    let past = Grid::regular(1, 4, 0.5, 178.5, 1.0);
    assert_eq!(CellEdges::of(&past).x, vec![178.0, 179.0, 180.0, 181.0, 182.0]);
    let mut poles = Grid::regular(3, 2, 90.0, 0.0, 90.0);
    poles.lon = vec![0.0, 90.0];
    let e = CellEdges::of(&poles);
    assert_eq!(e.y, vec![90.0, 45.0, -45.0, -90.0]);
}

#[test]
fn corners_beyond_the_edges_are_refused() {
    let grid = Grid::regular(2, 2, 1.0, 1.0, 1.0);
    let polygons = polygonize(&[0, 0, 0, 0], 2, 2).unwrap();
    let edges = CellEdges {
        x: vec![0.0, 1.0],
        y: vec![0.0, 1.0, 2.0],
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.geojson");
    let err = write_geojson(&path, &polygons, &edges, &attributes(&[0], 1), &VectorCrs::of(&grid)).unwrap_err();
    assert!(err.to_string().contains("columns"), "{err}");
    assert!(!path.exists());
}
