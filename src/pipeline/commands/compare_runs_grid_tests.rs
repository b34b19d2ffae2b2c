use super::*;

fn regular(n_rows: usize, n_cols: usize, lat0: f64, lon0: f64, step: f64) -> Grid {
    Grid::regular(n_rows, n_cols, lat0, lon0, step)
}

#[test]
fn the_same_grid_maps_cell_to_cell_across_windows() {
    let whole = regular(10, 20, 4.5, -9.5, 1.0);
    // Rows 2..5 and columns 3..8 of the whole grid.
    let window = regular(3, 5, 2.5, -6.5, 1.0);
    let map = same_grid_map(&window, &whole).unwrap();
    assert_eq!(map.rows, vec![Some(2), Some(3), Some(4)]);
    assert_eq!(map.cols, vec![Some(3), Some(4), Some(5), Some(6), Some(7)]);
    let back = same_grid_map(&whole, &window).unwrap();
    assert_eq!(back.rows.iter().flatten().count(), 3);
    assert_eq!(back.rows[2], Some(0));
    assert_eq!(back.rows[1], None);
    assert_eq!(back.cols[7], Some(4));
    assert_eq!(back.cols[8], None);
}

#[test]
fn longitudes_line_up_across_the_antimeridian() {
    // Columns at 178.5, 179.5, -179.5, -178.5 (a window written past 180 comes back wrapped).
    let mut wrapped = regular(2, 4, 0.5, 178.5, 1.0);
    wrapped.lon = vec![178.5, 179.5, -179.5, -178.5];
    let onto = regular(2, 4, 0.5, 178.5, 1.0);
    let map = same_grid_map(&wrapped, &onto).unwrap();
    assert_eq!(map.cols, vec![Some(0), Some(1), Some(2), Some(3)]);
    assert_eq!(steps(&wrapped), (1.0, 1.0));
}

#[test]
fn other_steps_offsets_and_crs_are_other_grids() {
    let one = regular(10, 20, 4.5, -9.5, 1.0);
    assert!(same_grid_map(&regular(20, 40, 4.75, -9.75, 0.5), &one).is_none());
    assert!(
        same_grid_map(&regular(10, 20, 4.0, -9.5, 1.0), &one).is_none(),
        "half a cell off"
    );
    let mut sphere = one.clone();
    sphere.crs = Some(crate::dataset::GeographicCrs::from_epsg(4008).unwrap());
    assert!(same_grid_map(&sphere, &one).is_none());
}

#[test]
fn a_nested_grid_falls_in_its_coarse_cells() {
    let coarse = regular(2, 3, 1.5, 0.5, 1.0);
    let fine = regular(4, 6, 1.75, 0.25, 0.5);
    let map = nested_map(&fine, &coarse).unwrap();
    assert_eq!(map.rows, vec![Some(0), Some(0), Some(1), Some(1)]);
    assert_eq!(map.cols, vec![Some(0), Some(0), Some(1), Some(1), Some(2), Some(2)]);
    // A fine grid larger than the coarse window: the extra cells fall outside.
    let wider = regular(4, 10, 1.75, -0.75, 0.5);
    let map = nested_map(&wider, &coarse).unwrap();
    assert_eq!(map.cols[..3], [None, None, Some(0)]);
    assert_eq!(map.cols[7..], [Some(2), None, None]);
}

#[test]
fn unaligned_or_fractional_nesting_is_refused() {
    let coarse = regular(2, 3, 1.5, 0.5, 1.0);
    // Edges a quarter of a coarse cell off.
    assert!(nested_map(&regular(4, 6, 1.5, 0.5, 0.5), &coarse).is_none());
    // 2.5 fine cells per coarse cell.
    assert!(nested_map(&regular(5, 8, 1.8, 0.2, 0.4), &coarse).is_none());
}

#[test]
fn majority_takes_the_most_frequent_label_and_the_lower_on_ties() {
    let coarse = regular(1, 3, 0.5, 0.5, 1.0);
    let fine = regular(2, 6, 0.75, 0.25, 0.5);
    let map = nested_map(&fine, &coarse).unwrap();
    // Row-major fine labels; coarse cell 0: {2, 1, 1, 2} tie -> 1; cell 1: {3, 3, 0, None} -> 3;
    // cell 2: none labelled -> None.
    let labels = vec![
        Some(2),
        Some(1),
        Some(3),
        Some(3),
        None,
        None,
        Some(1),
        Some(2),
        Some(0),
        None,
        None,
        None,
    ];
    let placed = place(&fine, &labels, &map, 1, 3);
    assert_eq!(placed.labels, vec![Some(1), Some(3), None]);
    assert_eq!(placed.outside_cells, 0);
    assert_eq!(placed.outside_km2, 0.0);
}

#[test]
fn cells_outside_the_target_are_counted_with_their_area() {
    let onto = regular(1, 2, 0.5, 0.5, 1.0);
    let from = regular(1, 3, 0.5, 0.5, 1.0);
    let map = same_grid_map(&from, &onto).unwrap();
    let placed = place(&from, &[Some(0), None, Some(4)], &map, 1, 2);
    assert_eq!(placed.labels, vec![Some(0), None]);
    assert_eq!(placed.outside_cells, 1);
    let one_cell = crate::dataset::area::cell_areas_km2(
        &from,
        &[crate::dataset::Cell {
            row: 0,
            col: 2,
            lat: 0.5,
            lon: 2.5,
        }],
    )[0];
    assert_eq!(placed.outside_km2, one_cell);
    assert!(one_cell > 12_000.0 && one_cell < 12_500.0, "{one_cell}");
}

#[test]
fn descriptions_name_size_step_and_crs() {
    assert_eq!(
        describe(&regular(180, 360, 89.5, -179.5, 1.0)),
        "180 x 360 cells of 1 degree (WGS 84)"
    );
    assert_eq!(
        describe(&regular(360, 720, 89.75, -179.75, 0.5)),
        "360 x 720 cells of 0.5 degree (WGS 84)"
    );
}
