use super::*;

fn columns() -> Vec<(&'static str, CellColumn)> {
    vec![
        ("row", CellColumn::Index(vec![0, 0, 3])),
        ("col", CellColumn::Index(vec![1, 2, 7])),
        ("cluster", CellColumn::Index(vec![2, 0, 1])),
        ("membership", CellColumn::Float(vec![0.5, f64::NAN, 1.0])),
    ]
}

#[test]
fn auto_switches_to_parquet_above_the_threshold_only() {
    assert!(!TableFormat::Auto.parquet_for(TableFormat::PARQUET_ABOVE));
    assert!(TableFormat::Auto.parquet_for(TableFormat::PARQUET_ABOVE + 1));
    assert!(!TableFormat::Csv.parquet_for(usize::MAX));
    assert!(TableFormat::Parquet.parquet_for(1));
    assert_eq!("parquet".parse::<TableFormat>().unwrap(), TableFormat::Parquet);
    assert!("xlsx".parse::<TableFormat>().is_err());
}

#[test]
fn csv_leaves_missing_values_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_cell_table(dir.path(), "labels", TableFormat::Csv, &columns()).unwrap();
    assert_eq!(path, dir.path().join("labels.csv"));
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text, "row,col,cluster,membership\n0,1,2,0.5\n0,2,0,\n3,7,1,1\n");
}

#[test]
fn parquet_and_csv_read_back_the_same_labels() {
    for format in [TableFormat::Csv, TableFormat::Parquet] {
        let dir = tempfile::tempdir().unwrap();
        write_cell_table(dir.path(), "labels", format, &columns()).unwrap();
        let t = read_labels_table(dir.path()).unwrap();
        assert_eq!(t.rows, vec![(0, 1, 2), (0, 2, 0), (3, 7, 1)], "{format}");
        let m = t.membership.unwrap();
        assert_eq!((m[0], m[2]), (0.5, 1.0));
        assert!(m[1].is_nan());
    }
}

#[test]
fn parquet_columns_are_typed() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_cell_table(dir.path(), "labels", TableFormat::Parquet, &columns()).unwrap();
    assert_eq!(
        crate::io::parquet::column_names(&path).unwrap(),
        vec!["row", "col", "cluster", "membership"]
    );
    use ::parquet::file::reader::FileReader;
    let reader =
        ::parquet::file::serialized_reader::SerializedFileReader::new(std::fs::File::open(&path).unwrap()).unwrap();
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let types: Vec<_> = (0..4).map(|i| schema.column(i).physical_type()).collect();
    use ::parquet::basic::Type;
    assert_eq!(types, vec![Type::INT32, Type::INT32, Type::INT32, Type::DOUBLE]);
}

#[test]
fn a_label_that_is_not_an_integer_is_refused_with_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.parquet");
    crate::io::parquet::write_columns(
        &path,
        &[
            ("row", ColumnData::Int32(&[0])),
            ("col", ColumnData::Int32(&[0])),
            ("cluster", ColumnData::Double(&[1.5])),
        ],
    )
    .unwrap();
    let err = read_labels_table(dir.path()).err().unwrap().to_string();
    assert!(err.contains("labels.parquet") && err.contains("cluster"), "{err}");
}
