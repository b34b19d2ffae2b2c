use super::*;
use crate::dataset::GridVariable;

/// A 6 x 8 dataset: LandPercentage 100 on a checkerboard of 2 x 2 blocks, A = row * 10 + col,
/// B missing on column 3.
fn ds() -> GridDataset {
    let grid = Grid::regular(6, 8, 50.0, -175.0, 10.0);
    let n = grid.len();
    let land: Vec<f64> = (0..n)
        .map(|i| {
            if ((i / 8) / 2 + (i % 8) / 2) % 2 == 0 {
                100.0
            } else {
                0.0
            }
        })
        .collect();
    let a: Vec<f64> = (0..n).map(|i| ((i / 8) * 10 + i % 8) as f64).collect();
    let b: Vec<f64> = (0..n).map(|i| if i % 8 == 3 { f64::NAN } else { i as f64 }).collect();
    let var = |name: &str, values: Vec<f64>| GridVariable {
        name: name.into(),
        units: None,
        long_name: None,
        values,
    };
    GridDataset {
        path: "mem".into(),
        grid,
        variables: vec![
            var("LandPercentage", land),
            var("A", a),
            var("B", b),
            var("T", vec![7.0; n]),
        ],
    }
}

fn names() -> Vec<String> {
    vec!["A".into(), "B".into()]
}

#[test]
fn block_size_does_not_change_the_table() {
    let d = ds();
    let n = names();
    let sel = Selection::default();
    let whole = CellTable::read(&d, &TableRequest::new(&n, &sel)).unwrap();
    for block in [1, 3, 8, 9, 17, 1000] {
        let t = CellTable::read(
            &d,
            &TableRequest {
                block_cells: block,
                ..TableRequest::new(&n, &sel)
            },
        )
        .unwrap();
        assert_eq!(t.values, whole.values, "block {block}");
        assert_eq!(t.cells, whole.cells, "block {block}");
        assert_eq!(t.missing_per_variable, whole.missing_per_variable);
    }
    // 24 land cells, 2 of them (rows 2-3) in column 3, which lacks B.
    assert_eq!(whole.n_selected, 24);
    assert_eq!(whole.n_dropped, 2);
    assert_eq!(whole.n_points(), 22);
    assert!(
        whole
            .cells
            .windows(2)
            .all(|c| (c[0].row, c[0].col) < (c[1].row, c[1].col))
    );
    for (c, row) in whole.cells.iter().zip(whole.values.outer_iter()) {
        assert_eq!(row[0], (c.row * 10 + c.col) as f64);
        assert_eq!(row[1], (c.row * 8 + c.col) as f64);
    }
}

#[test]
fn a_window_reads_only_its_cells_and_wraps_the_dateline() {
    let d = ds();
    let n = names();
    let sel = Selection::All;
    // Columns 6, 7 then 0, 1 (east part first), rows 1..3.
    let w = Window {
        rows: 1..3,
        cols: vec![6..8, 0..2],
    };
    let t = CellTable::read(
        &d,
        &TableRequest {
            window: Some(w.clone()),
            block_cells: 3,
            ..TableRequest::new(&n, &sel)
        },
    )
    .unwrap();
    let got: Vec<(usize, usize)> = t.cells.iter().map(|c| (c.row, c.col)).collect();
    assert_eq!(
        got,
        vec![(1, 6), (1, 7), (1, 0), (1, 1), (2, 6), (2, 7), (2, 0), (2, 1)]
    );
    assert_eq!(t.output_window(), w);
    let labels: Vec<f64> = (0..t.n_points()).map(|i| i as f64).collect();
    assert_eq!(t.to_window(&w, &labels), labels);
}

#[test]
fn extras_ride_along_and_truth_is_not_a_column() {
    let d = ds();
    let n = names();
    let sel = Selection::default();
    let t = CellTable::read(
        &d,
        &TableRequest {
            extras: vec!["T".into()],
            ..TableRequest::new(&n, &sel)
        },
    )
    .unwrap();
    assert_eq!(t.values.ncols(), 2);
    assert_eq!(t.extra("T").unwrap(), vec![7.0; t.n_points()].as_slice());
    assert!(t.extra("A").is_none());
}

#[test]
fn memory_plan_refuses_before_reading_variables() {
    let d = ds();
    let n = names();
    let sel = Selection::All;
    let plan = MemoryPlan {
        per_cell: 1000,
        per_window_cell: 0,
        fixed: 0,
        limit: 10_000,
    };
    let e = CellTable::read(
        &d,
        &TableRequest {
            memory: Some(plan),
            ..TableRequest::new(&n, &sel)
        },
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("--max-memory") && e.contains("48 selected cells"), "{e}");
    // With a mask, the count is checked as the mask is read: a lower bound.
    let sel = Selection::default();
    let e = CellTable::read(
        &d,
        &TableRequest {
            memory: Some(plan),
            block_cells: 8,
            ..TableRequest::new(&n, &sel)
        },
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("more than"), "{e}");
}

#[test]
fn sizes_parse_and_print() {
    assert_eq!(parse_bytes("512MB").unwrap(), 512_000_000);
    assert_eq!(parse_bytes("4GB").unwrap(), 4_000_000_000);
    assert_eq!(parse_bytes("4g").unwrap(), 4_000_000_000);
    assert_eq!(parse_bytes("1.5GiB").unwrap(), 1_610_612_736);
    assert_eq!(parse_bytes("1000").unwrap(), 1000);
    assert!(parse_bytes("lots").is_err());
    assert!(parse_bytes("4XB").is_err());
    assert!(parse_bytes("0").is_err());
    assert_eq!(format_bytes(3_200_000_000), "3.2 GB");
    assert_eq!(format_bytes(512_000_000), "512 MB");
}
