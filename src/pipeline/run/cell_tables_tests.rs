use super::*;
use crate::io::parquet::ColumnData;

fn columns() -> Vec<(&'static str, CellColumn<'static>)> {
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

/// The columns of [`columns`] computed per cell as they are written, over `cells`.
fn computed_columns(cells: &[(usize, usize, usize, f64)]) -> Vec<(&'static str, CellColumn<'_>)> {
    let n = cells.len();
    vec![
        ("row", CellColumn::IndexOf(n, Box::new(|i| cells[i].0))),
        ("col", CellColumn::IndexOf(n, Box::new(|i| cells[i].1))),
        ("cluster", CellColumn::IndexOf(n, Box::new(|i| cells[i].2))),
        ("membership", CellColumn::FloatOf(n, Box::new(|i| cells[i].3))),
    ]
}

#[test]
fn computed_columns_write_the_same_tables_as_held_ones() {
    let cells = [(0, 1, 2, 0.5), (0, 2, 0, f64::NAN), (3, 7, 1, 1.0)];
    for format in [TableFormat::Csv, TableFormat::Parquet] {
        let (held, computed) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let a = write_cell_table(held.path(), "labels", format, &columns()).unwrap();
        let b = write_cell_table(computed.path(), "labels", format, &computed_columns(&cells)).unwrap();
        assert_eq!(std::fs::read(a).unwrap(), std::fs::read(b).unwrap(), "{format}");
    }
}

#[test]
fn a_table_longer_than_a_batch_reads_back_whole() {
    // More rows than one batch of the Parquet writer: the batches join into one column.
    let n = 150_000;
    let cells: Vec<(usize, usize, usize, f64)> = (0..n).map(|i| (i / 700, i % 700, i % 7, i as f64 * 0.5)).collect();
    let dir = tempfile::tempdir().unwrap();
    write_cell_table(dir.path(), "labels", TableFormat::Parquet, &computed_columns(&cells)).unwrap();
    let t = read_labels_table(dir.path()).unwrap();
    assert_eq!(t.rows.len(), n);
    assert!(t.rows.iter().zip(&cells).all(|(r, c)| *r == (c.0, c.1, c.2)));
    let m = t.membership.unwrap();
    assert!(m.iter().zip(&cells).all(|(a, c)| *a == c.3));
}

#[test]
fn an_index_beyond_32_bits_or_a_short_column_is_refused_with_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let big = [("row", CellColumn::Index(vec![0, 1usize << 33]))];
    let err = write_cell_table(dir.path(), "labels", TableFormat::Parquet, &big)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("labels.parquet") && err.contains("row") && err.contains("32-bit"),
        "{err}"
    );
    let short = [
        ("row", CellColumn::Index(vec![0, 1])),
        ("lat", CellColumn::FloatOf(1, Box::new(|_| 0.0))),
    ];
    let err = write_cell_table(dir.path(), "labels", TableFormat::Parquet, &short)
        .unwrap_err()
        .to_string();
    assert!(err.contains("labels.parquet") && err.contains("lat"), "{err}");
}
