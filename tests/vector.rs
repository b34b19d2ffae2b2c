//! labels.geojson of a run on the demo: per cluster (K-Means) or region (contiguous Ward) one
//! MultiPolygon whose area on the WGS 84 ellipsoid is the sum of its cells' areas, with as many
//! polygons as the cluster has 4-connected pieces, and the cells, names and areas of
//! metrics.json; `--vector` and `--vector-max-cells` turn it off.

mod common;

use common::{assert_one_line_error, bin, demo_file, metrics, run_ok};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// WGS 84's zone area from the equator to latitude `lat` (degrees) per radian of longitude, in
/// km2 (Snyder 1987, eqs. 3-12 and 14-15), negative south of the equator.
fn zone_km2(lat: f64) -> f64 {
    let (a, f): (f64, f64) = (6378137.0, 1.0 / 298.257223563);
    let e2 = f * (2.0 - f);
    let e = e2.sqrt();
    let s = lat.to_radians().sin();
    0.5 * a * a * (1.0 - e2) * (s / (1.0 - e2 * s * s) + (e * s).atanh() / e) * 1e-6
}

/// Signed area in km2 of a lon/lat ring along parallels and meridians, by Green's theorem
/// (`-sum S(phi) dlambda` over the edges along parallels; positive counter-clockwise).
fn ring_km2(ring: &[serde_json::Value]) -> f64 {
    let p: Vec<(f64, f64)> = ring
        .iter()
        .map(|q| (q[0].as_f64().unwrap(), q[1].as_f64().unwrap()))
        .collect();
    p.windows(2)
        .map(|w| {
            if w[0].1 == w[1].1 {
                -zone_km2(w[0].1) * (w[1].0 - w[0].0).to_radians()
            } else {
                assert_eq!(w[0].0, w[1].0, "an edge along neither a parallel nor a meridian: {w:?}");
                0.0
            }
        })
        .sum()
}

/// 4-connected pieces of each cluster, by flood fill over labels.csv's rows and columns.
fn pieces(out: &Path) -> BTreeMap<usize, usize> {
    let mut reader = csv::Reader::from_path(out.join("labels.csv")).unwrap();
    let mut cluster: HashMap<(i64, i64), usize> = HashMap::new();
    for record in reader.records() {
        let r = record.unwrap();
        cluster.insert((r[0].parse().unwrap(), r[1].parse().unwrap()), r[4].parse().unwrap());
    }
    let mut seen: HashMap<(i64, i64), bool> = HashMap::new();
    let mut count = BTreeMap::new();
    for (&start, &c) in &cluster {
        if seen.contains_key(&start) {
            continue;
        }
        *count.entry(c).or_insert(0) += 1;
        let mut stack = vec![start];
        seen.insert(start, true);
        while let Some((r, col)) = stack.pop() {
            for next in [(r + 1, col), (r - 1, col), (r, col + 1), (r, col - 1)] {
                if cluster.get(&next) == Some(&c) && !seen.contains_key(&next) {
                    seen.insert(next, true);
                    stack.push(next);
                }
            }
        }
    }
    count
}

fn run(out: &Path, extra: &[&str]) {
    let mut args = vec![
        "--quiet",
        "run",
        demo_file().to_str().unwrap(),
        "--no-figures",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run_ok(&args, 2);
}

fn check_against_metrics_and_cells(out: &Path) {
    let m = metrics(out);
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("labels.geojson")).unwrap()).unwrap();
    assert_eq!(json["type"], "FeatureCollection");
    assert!(json.get("crs").is_none(), "WGS 84 is written as plain RFC 7946");
    let features = json["features"].as_array().unwrap();
    let k = m["k"].as_u64().unwrap() as usize;
    assert_eq!(features.len(), k);
    let pieces = pieces(out);
    for (id, f) in features.iter().enumerate() {
        let p = &f["properties"];
        assert_eq!(p["id"], id);
        assert_eq!(p["cells"], m["cluster_sizes"][id]);
        assert_eq!(p["area_km2"], m["area"]["cluster_km2"][id]);
        assert_eq!(p["name"], m["cluster_names"][id]);
        let polygons = f["geometry"]["coordinates"].as_array().unwrap();
        assert_eq!(
            polygons.len(),
            pieces[&id],
            "cluster {id}: polygons vs 4-connected pieces"
        );
        let mut km2 = 0.0;
        for polygon in polygons {
            for (r, ring) in polygon.as_array().unwrap().iter().enumerate() {
                let ring = ring.as_array().unwrap();
                assert_eq!(ring.first(), ring.last());
                let a = ring_km2(ring);
                assert_eq!(a > 0.0, r == 0, "cluster {id}: RFC 7946 winding");
                km2 += a;
            }
        }
        let expected = m["area"]["cluster_km2"][id].as_f64().unwrap();
        assert!(
            (km2 - expected).abs() <= 1e-9 * expected,
            "cluster {id}: {km2} vs {expected} km2"
        );
    }
}

#[test]
fn kmeans_clusters_are_polygons_whose_areas_are_their_cells() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run(&out, &["--k", "6"]);
    check_against_metrics_and_cells(&out);
}

#[test]
fn contiguous_regions_are_polygons_whose_areas_are_their_cells() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run(&out, &["--method", "ward", "--contiguous", "--k", "30"]);
    check_against_metrics_and_cells(&out);
}

#[test]
fn vector_none_and_the_cell_limit_turn_it_off() {
    let dir = tempfile::tempdir().unwrap();
    let none = dir.path().join("none");
    run(&none, &["--k", "3", "--vector", "none"]);
    assert!(!none.join("labels.geojson").exists());
    assert!(metrics(&none)["scale_notes"].as_array().unwrap().is_empty());
    let small = dir.path().join("small");
    run(&small, &["--k", "3", "--vector-max-cells", "1000"]);
    assert!(!small.join("labels.geojson").exists());
    let notes = metrics(&small)["scale_notes"].to_string();
    assert!(
        notes.contains("--vector-max-cells 1000") && notes.contains("--vector geojson"),
        "{notes}"
    );
    let forced = dir.path().join("forced");
    run(
        &forced,
        &["--k", "3", "--vector-max-cells", "1000", "--vector", "geojson"],
    );
    assert!(forced.join("labels.geojson").exists());
    assert_eq!(metrics(&forced)["settings"]["vector"]["format"], "geojson");
}

#[test]
fn a_bad_vector_option_is_one_line_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let result = bin()
        .args(["run", demo_file().to_str().unwrap(), "--vector", "shp", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_one_line_error(&result, "--vector");
    assert!(!out.exists());
}
