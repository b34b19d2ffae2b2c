//! Areas and agreement measures in a run's outputs: metrics.json `area`, centers.csv's area
//! columns and `truth.agreement` (by cells and by area).

mod common;

use common::{demo_file, metrics, run_ok};

#[test]
fn a_run_reports_each_clusters_area_and_its_agreement_with_the_truth() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_ok(
        &[
            "--quiet",
            "run",
            demo_file().to_str().unwrap(),
            "--k",
            "6",
            "--truth",
            "SurfaceClass",
            "--no-figures",
            "--out",
            out.to_str().unwrap(),
        ],
        2,
    );
    let m = metrics(&out);
    let area = &m["area"];
    assert_eq!(area["ellipsoid"], "WGS 84");
    let km2: Vec<f64> = area["cluster_km2"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    let share: Vec<f64> = area["cluster_share"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    let total = area["clustered_km2"].as_f64().unwrap();
    assert_eq!(km2.len(), 6);
    assert!((km2.iter().sum::<f64>() - total).abs() / total < 1e-12);
    assert!((share.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    // 15,201 one-degree land cells: between the land outside Antarctica (about 1.3e8 km2 with
    // lakes) at the low end of what the demo's mask keeps, and nowhere near the Earth's surface.
    assert!(total > 9e7 && total < 1.5e8, "{total}");
    // Cell-weighted shares differ from area-weighted ones: high-latitude cells are smaller.
    let sizes: Vec<f64> = m["cluster_sizes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    let n: f64 = sizes.iter().sum();
    assert!(sizes.iter().zip(&share).any(|(s, a)| (s / n - a).abs() > 0.01));

    // centers.csv carries the same areas.
    let centers = std::fs::read_to_string(out.join("centers.csv")).unwrap();
    let mut lines = centers.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("cluster,size,area_km2,area_share,NDVI")
    );
    for (i, line) in lines.enumerate() {
        let f: Vec<&str> = line.split(',').collect();
        // serde_json reads floats to within an ulp; the CSV holds Rust's shortest round trip.
        assert!((f[2].parse::<f64>().unwrap() - km2[i]).abs() <= 1e-14 * km2[i]);
        assert!((f[3].parse::<f64>().unwrap() - share[i]).abs() <= 1e-14);
    }

    // The V-measure is NMI with the arithmetic mean (Becker 2011), so the two must agree; every
    // measure is present by cells and by area, and the km2 table sums to the compared area.
    let truth = &m["truth"];
    let cells = &truth["agreement"];
    let by_area = &truth["agreement_area_weighted"];
    let v = cells["v_measure"].as_f64().unwrap();
    assert!((v - m["nmi"].as_f64().unwrap()).abs() < 1e-12, "{v} vs {}", m["nmi"]);
    for key in [
        "homogeneity",
        "completeness",
        "v_measure",
        "cramers_v",
        "overall_accuracy",
        "kappa",
    ] {
        let (a, b) = (cells[key].as_f64().unwrap(), by_area[key].as_f64().unwrap());
        assert!((0.0..=1.0).contains(&a) && (-1.0..=1.0).contains(&b), "{key}: {a} {b}");
    }
    let km2_table: f64 = truth["contingency_km2"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r.as_array().unwrap().iter().map(|v| v.as_f64().unwrap()))
        .sum();
    assert!((km2_table - total).abs() / total < 1e-9, "{km2_table} vs {total}");
}
