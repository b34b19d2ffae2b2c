use super::*;

fn ds() -> GridDataset {
    let grid = Grid::regular(2, 3, 45.0, -120.0, 90.0);
    let nan = f64::NAN;
    GridDataset {
        path: "mem".into(),
        grid,
        variables: vec![
            GridVariable {
                name: "LandPercentage".into(),
                units: None,
                long_name: None,
                values: vec![100.0, 100.0, 50.0, nan, 100.0, 0.0],
            },
            GridVariable {
                name: "A".into(),
                units: Some("1".into()),
                long_name: None,
                values: vec![1.0, nan, 3.0, 4.0, 5.0, 6.0],
            },
            GridVariable {
                name: "B".into(),
                units: None,
                long_name: None,
                values: vec![1.0, 2.0, 3.0, 4.0, nan, 6.0],
            },
        ],
    }
}

#[test]
fn land_table_drops_incomplete_cells_and_counts_them() {
    let t = CellTable::build(&ds(), &["A".into(), "B".into()], &Selection::default()).unwrap();
    assert_eq!(t.n_selected, 3);
    assert_eq!(t.n_points(), 1);
    assert_eq!(t.n_dropped, 2);
    assert_eq!(t.missing_per_variable, vec![("A".into(), 1), ("B".into(), 1)]);
    assert_eq!(
        t.cells[0],
        Cell {
            row: 0,
            col: 0,
            lat: 45.0,
            lon: -120.0
        }
    );
    assert_eq!(t.values[[0, 1]], 1.0);
}

#[test]
fn selections_parse_and_select() {
    let d = ds();
    let sea: Selection = "sea".parse().unwrap();
    assert_eq!(sea.mask(&d).unwrap(), vec![false, false, true, false, false, true]);
    let all: Selection = "all".parse().unwrap();
    assert_eq!(all.mask(&d).unwrap().iter().filter(|&&m| m).count(), 6);
    let half: Selection = "land:50".parse().unwrap();
    assert_eq!(half.mask(&d).unwrap().iter().filter(|&&m| m).count(), 4);
    assert!("lnd".parse::<Selection>().is_err());
    assert!("mask:".parse::<Selection>().is_err());
}

#[test]
fn empty_selection_is_an_error() {
    let mut d = ds();
    d.variables[0].values = vec![0.0; 6];
    let e = CellTable::build(&d, &["A".into()], &Selection::default()).unwrap_err();
    assert!(e.to_string().contains("no cell is selected"), "{e}");
}

#[test]
fn the_label_window_is_the_f64_window_as_int() {
    let t = CellTable::build(&ds(), &["A".into()], &Selection::All).unwrap();
    let labels: Vec<usize> = (0..t.n_points()).map(|i| (i * 7) % 4).collect();
    let window = Window::full(&t.grid);
    let reals = t.to_window(&window, &labels.iter().map(|&l| l as f64).collect::<Vec<_>>());
    let ints = t.labels_to_window(&window, &labels);
    assert_eq!(ints.len(), reals.len());
    for (i, r) in ints.iter().zip(&reals) {
        assert_eq!(*i, if r.is_nan() { NO_LABEL } else { *r as i32 });
    }
    // The missing cell (A is NaN at row 0, col 1) has no label.
    assert_eq!(ints[1], NO_LABEL);
    assert!(ints.iter().filter(|&&l| l != NO_LABEL).count() == t.n_points());
}
