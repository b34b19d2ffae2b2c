use super::*;
use crate::dataset::{CellTable, Grid, GridDataset, GridVariable, Selection, TableRequest};
use crate::features::{Standardizer, correlation};
use crate::pipeline::config::{KChoice, Method, Reduce};
use crate::pipeline::run::analysis::{self, Prepared, Scores};

/// A 2 x 3 land grid with one variable.
fn prepared() -> Prepared {
    let var = |name: &str, values: Vec<f64>| GridVariable {
        name: name.into(),
        units: None,
        long_name: None,
        values,
    };
    let dataset = GridDataset {
        path: "mem".into(),
        grid: Grid::regular(2, 3, 10.0, 20.0, 1.0),
        variables: vec![
            var("LandPercentage", vec![100.0; 6]),
            var("A", vec![1.0, 2.0, 3.0, 10.0, 11.0, 12.0]),
        ],
    };
    let names = ["A".to_string()];
    let sel = Selection::default();
    let table = CellTable::read(&dataset, &TableRequest::new(&names, &sel)).unwrap();
    let scaler = Standardizer::fit(table.values.view(), &table.names).unwrap();
    let z = scaler.transform(table.values.view()).unwrap();
    Prepared {
        path: dataset.path.clone(),
        correlation: correlation(z.view()),
        weights: None,
        input_stack: Vec::new(),
        truth_classes: Default::default(),
        table,
        scaler,
        z,
    }
}

/// What a mixture gives: labels, a membership per cell and named diagnostics.
fn soft_clustering() -> Clustering {
    Clustering {
        method: Method::Ward,
        k: 2,
        labels: vec![0, 0, 0, 1, 1, 1],
        inertia: None,
        ward: None,
        embedding: None,
        membership: Some(vec![0.9, 0.8, 0.7, 1.0, f64::NAN, 0.6]),
        diagnostics: vec![("log_likelihood".into(), -3.5), ("bic".into(), 12.25)],
        notes: Vec::new(),
        names: Vec::new(),
    }
}

#[test]
fn a_membership_is_written_beside_the_labels() {
    let prepared = prepared();
    let space = analysis::space_from(Reduce::None, &prepared, None).unwrap();
    let clustering = soft_clustering();
    let mut cfg = RunConfig::new("mem");
    cfg.k = KChoice::Fixed(2);
    cfg.method = Method::Ward;
    let run = RunResult {
        cfg: &cfg,
        prepared: &prepared,
        space: &space,
        clustering: &clustering,
        scores: Scores {
            silhouette: 0.5,
            davies_bouldin: 0.5,
            calinski_harabasz: 10.0,
            silhouette_std_error: None,
            silhouette_sample_size: None,
        },
        scores_standardized: None,
        truths: Vec::new(),
        elbow: None,
        gap: None,
        k_choice: None,
        seconds: 0.0,
    };
    let dir = tempfile::tempdir().unwrap();
    write_data_files(dir.path(), &run).unwrap();

    let csv = std::fs::read_to_string(dir.path().join("labels.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "row,col,lat,lon,cluster,membership");
    assert!(lines[1].ends_with(",0,0.9"), "{}", lines[1]);
    assert!(lines[5].ends_with(",1,"), "NaN is left empty: {}", lines[5]);

    let metrics: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("metrics.json")).unwrap()).unwrap();
    assert_eq!(metrics["method_diagnostics"]["bic"], 12.25);
    assert_eq!(metrics["method_diagnostics"]["log_likelihood"], -3.5);
    let mean = metrics["membership_mean"].as_f64().unwrap();
    assert!((mean - 0.8).abs() < 1e-12, "{mean}");

    let nc = crate::io::netcdf::NcFile::open(dir.path().join("labels.nc")).unwrap();
    assert!(
        nc.grid_variables().iter().any(|v| v == "membership"),
        "{:?}",
        nc.grid_variables()
    );
    assert!(dir.path().join("membership.tif").is_file());
}

#[test]
fn a_hard_clustering_writes_no_membership() {
    let prepared = prepared();
    let space = analysis::space_from(Reduce::None, &prepared, None).unwrap();
    let clustering = Clustering {
        membership: None,
        diagnostics: Vec::new(),
        ..soft_clustering()
    };
    let cfg = RunConfig::new("mem");
    let run = RunResult {
        cfg: &cfg,
        prepared: &prepared,
        space: &space,
        clustering: &clustering,
        scores: Scores {
            silhouette: 0.5,
            davies_bouldin: 0.5,
            calinski_harabasz: 10.0,
            silhouette_std_error: None,
            silhouette_sample_size: None,
        },
        scores_standardized: None,
        truths: Vec::new(),
        elbow: None,
        gap: None,
        k_choice: None,
        seconds: 0.0,
    };
    let metrics = serde_json::to_value(run.metrics()).unwrap();
    assert!(metrics.get("method_diagnostics").is_none() && metrics.get("membership_mean").is_none());
    let dir = tempfile::tempdir().unwrap();
    write_data_files(dir.path(), &run).unwrap();
    let csv = std::fs::read_to_string(dir.path().join("labels.csv")).unwrap();
    assert_eq!(csv.lines().next(), Some("row,col,lat,lon,cluster"));
    assert!(!dir.path().join("membership.tif").exists());
}
