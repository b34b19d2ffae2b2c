//! Per-cell tables as CSV or Parquet (`--tables`): the same columns and values either way, and
//! `plot` redraws a run from either.

mod common;

use common::{assert_one_line_error, bin, demo_file, run_ok};
use std::path::Path;

fn run_into(out: &Path, tables: &str) {
    run_ok(
        &[
            "run",
            demo_file().to_str().unwrap(),
            "--k",
            "4",
            "--n-init",
            "2",
            "--no-figures",
            "--tables",
            tables,
            "--out",
            out.to_str().unwrap(),
        ],
        2,
    );
}

/// Columns of a CSV file as text fields, by header order.
fn csv_columns(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap().split(',').map(str::to_owned).collect();
    let mut cols = vec![Vec::new(); header.len()];
    for line in lines {
        for (c, v) in line.split(',').enumerate() {
            cols[c].push(v.to_owned());
        }
    }
    (header, cols)
}

#[test]
fn parquet_tables_hold_the_csv_values_and_plot_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let (csv_out, pq_out) = (dir.path().join("csv"), dir.path().join("pq"));
    run_into(&csv_out, "csv");
    run_into(&pq_out, "parquet");
    for stem in ["labels", "margin"] {
        assert!(csv_out.join(format!("{stem}.csv")).exists());
        assert!(!csv_out.join(format!("{stem}.parquet")).exists());
        assert!(pq_out.join(format!("{stem}.parquet")).exists(), "{stem}.parquet");
        assert!(
            !pq_out.join(format!("{stem}.csv")).exists(),
            "{stem}.csv beside Parquet"
        );
        let (header, text) = csv_columns(&csv_out.join(format!("{stem}.csv")));
        let names: Vec<&str> = header.iter().map(String::as_str).collect();
        let pq = pq_out.join(format!("{stem}.parquet"));
        assert_eq!(landclust::io::parquet::column_names(&pq).unwrap(), header);
        let values = landclust::io::parquet::read_numeric_columns(&pq, &names).unwrap();
        for (c, name) in names.iter().enumerate() {
            assert_eq!(values[c].len(), text[c].len(), "{stem}.{name}");
            for (v, t) in values[c].iter().zip(&text[c]) {
                // CSV writes the shortest text that reads back to the same f64; empty is NaN.
                let expected = if t.is_empty() {
                    f64::NAN
                } else {
                    t.parse::<f64>().unwrap()
                };
                assert!(
                    v.to_bits() == expected.to_bits() || (v.is_nan() && expected.is_nan()),
                    "{stem}.{name}: {v} vs {t}"
                );
            }
        }
    }
    let csv_metrics = common::metrics(&csv_out);
    let pq_metrics = common::metrics(&pq_out);
    assert_eq!(csv_metrics["inertia"], pq_metrics["inertia"]);
    // plot rebuilds the run from labels.parquet and draws its figures.
    run_ok(&["plot", pq_out.to_str().unwrap()], 2);
    assert!(pq_out.join("report.html").exists());
    assert!(pq_out.join("labels.parquet").exists());
}

#[test]
fn plot_refuses_a_parquet_label_outside_k_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pq");
    run_into(&out, "parquet");
    let path = out.join("labels.parquet");
    let names = ["row", "col", "lat", "lon", "cluster"];
    let cols = landclust::io::parquet::read_numeric_columns(&path, &names).unwrap();
    let ints = |v: &[f64]| v.iter().map(|&x| x as i32).collect::<Vec<i32>>();
    let (row, col) = (ints(&cols[0]), ints(&cols[1]));
    let mut cluster = ints(&cols[4]);
    cluster[0] = 9;
    use landclust::io::parquet::{ColumnData, write_columns};
    write_columns(
        &path,
        &[
            ("row", ColumnData::Int32(&row)),
            ("col", ColumnData::Int32(&col)),
            ("lat", ColumnData::Double(&cols[2])),
            ("lon", ColumnData::Double(&cols[3])),
            ("cluster", ColumnData::Int32(&cluster)),
        ],
    )
    .unwrap();
    let res = bin().args(["plot", out.to_str().unwrap()]).output().unwrap();
    assert_one_line_error(&res, "labels.parquet: row 1: cluster 9");
}

#[test]
fn an_unknown_table_format_is_one_line() {
    let res = bin()
        .args(["run", demo_file().to_str().unwrap(), "--tables", "xlsx", "--out"])
        .arg(tempfile::tempdir().unwrap().path().join("o"))
        .output()
        .unwrap();
    assert_one_line_error(&res, "--tables");
}
