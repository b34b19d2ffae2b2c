use super::*;

#[test]
fn columns_round_trip_through_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.parquet");
    let rows = [3, 4, 5];
    let vals = [0.5, -1.25, 1e300];
    write_columns(
        &path,
        &[("row", ColumnData::Int32(&rows)), ("NDVI", ColumnData::Double(&vals))],
    )
    .unwrap();
    let back = read_numeric_columns(&path, &["NDVI", "row"]).unwrap();
    assert_eq!(back[0], vals.to_vec());
    assert_eq!(back[1], vec![3.0, 4.0, 5.0]);
    let err = read_numeric_columns(&path, &["cluster"]).unwrap_err().to_string();
    assert!(err.contains("no column cluster"), "{err}");
}

#[test]
fn unequal_columns_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.parquet");
    let err = write_columns(
        &path,
        &[("row", ColumnData::Int32(&[1, 2])), ("x", ColumnData::Double(&[1.0]))],
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("column x"), "{err}");
}

#[test]
fn dataset_files_skip_hidden_and_underscore_names() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("lat_band=10");
    std::fs::create_dir_all(&sub).unwrap();
    for name in ["part-0.parquet", "_SUCCESS", ".part-0.parquet.crc"] {
        std::fs::write(sub.join(name), b"").unwrap();
    }
    std::fs::write(dir.path().join("_landclust.json"), b"{}").unwrap();
    let files = dataset_files(dir.path()).unwrap();
    assert_eq!(files, vec![sub.join("part-0.parquet")]);
}
