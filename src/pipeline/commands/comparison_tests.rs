use super::*;

fn row(reduce: Reduce, r2: f64) -> ComparisonRow {
    ComparisonRow {
        name: "x".into(),
        reduce,
        method: "kmeans".into(),
        k: 6,
        dims: 3,
        n_params: None,
        r2,
        silhouette_own: 0.5,
        davies_bouldin_own: 0.7,
        silhouette_std: 0.4,
        davies_bouldin_std: 0.8,
        ari: Some(0.5),
        nmi: None,
        seconds: 1.0,
    }
}

#[test]
fn csv_quotes_tt_ranks_once_and_leaves_undefined_cells_blank() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("comparison.csv");
    write_csv(&path, &[row(Reduce::Tt(36, 3), 0.99), row(Reduce::None, f64::NAN)]).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(",\"tt:36,3\",kmeans,"), "{text}");
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(&records[0][1], "tt:36,3");
    assert_eq!(records[0].len(), HEADER.len());
    // No R2 (IDEC/DCSS), no parameter count, no NMI: blank, not "NaN".
    assert_eq!(&records[1][6], "");
    assert_eq!(&records[1][5], "");
    assert_eq!(&records[1][12], "");
}
