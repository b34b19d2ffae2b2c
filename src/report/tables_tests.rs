use super::*;

#[test]
fn centres_table_has_units_and_sizes() {
    let table = cluster_centres_table(
        "centres",
        &["A".into(), "B".into()],
        &[10, 20],
        &[("NDVI".into(), "".into()), ("DHR670".into(), "sr-1".into())],
        &[vec![0.5, 0.1], vec![0.25, 0.123456]],
    )
    .unwrap();
    assert_eq!(table.header, ["cluster", "cells", "NDVI", "DHR670 (sr-1)"]);
    assert_eq!(table.rows[1], ["B", "20", "0.2500", "0.1235"]);
    table.validate().unwrap();
}

#[test]
fn centres_table_rejects_ragged_input() {
    let err = cluster_centres_table("c", &["A".into()], &[1], &[("x".into(), "".into())], &[vec![]]).unwrap_err();
    assert!(
        err.to_string().contains("centre 0 has 0 means for 1 variables"),
        "{err}"
    );
}

#[test]
fn method_comparison_rows() {
    let table = Table::method_comparison(
        "scores",
        &[MethodScores {
            method: "PCA".into(),
            space: "PCA, 3 components".into(),
            silhouette: 0.41234,
            davies_bouldin: 0.9,
            calinski_harabasz: 12345.6,
        }],
    );
    assert_eq!(table.rows[0], ["PCA", "PCA, 3 components", "0.4123", "0.9000", "12346"]);
}
