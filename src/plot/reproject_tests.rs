use super::*;
use crate::dataset::{GridSource, Orientation, ProjectedCrs};

/// A 40 x 30 grid of 100 km cells in EPSG:3413 around the North Pole, every cell kept.
fn polar() -> (Grid, Vec<Cell>) {
    let (n_rows, n_cols) = (40, 30);
    let grid = Grid {
        n_rows,
        n_cols,
        lat: (0..n_rows).map(|r| 2_000_000.0 - 100_000.0 * r as f64).collect(),
        lon: (0..n_cols).map(|c| -1_500_000.0 + 100_000.0 * c as f64).collect(),
        source: GridSource::OneD {
            lat_var: "y".into(),
            lon_var: "x".into(),
        },
        orientation: Orientation::default(),
        crs: None,
        projection: Some(ProjectedCrs::from_epsg(3413).unwrap()),
    };
    let locator = grid.locator().unwrap();
    let cells = (0..n_rows)
        .flat_map(|r| (0..n_cols).map(move |c| (r, c)))
        .map(|(row, col)| {
            let (lon, lat) = locator.lon_lat(row, col);
            Cell { row, col, lat, lon }
        })
        .collect();
    (grid, cells)
}

#[test]
fn every_cell_is_shown_where_it_lies() {
    let (grid, cells) = polar();
    let d = display_grid(&grid, &cells).unwrap();
    // A grid around the pole spans every longitude.
    assert_eq!((d.region.lon_min, d.region.lon_max), (-180.0, 180.0));
    assert!(d.region.lat_min < 70.0 && d.region.lat_max == 90.0);
    // Every display cell lies within one data cell of the cell it shows (forward projection
    // picks the cell its centre falls in).
    let projector = grid.projection.as_ref().unwrap().projector().unwrap();
    for (shown, &k) in d.cells.iter().zip(&d.source) {
        let (x, y) = projector.forward(shown.lon, shown.lat).unwrap();
        let c = &cells[k];
        assert!((x - grid.lon[c.col]).abs() <= 50_000.0 + 1e-6 && (y - grid.lat[c.row]).abs() <= 50_000.0 + 1e-6);
    }
    // Every data cell is shown at least once (no hole where the projection stretches cells).
    let mut seen = vec![false; cells.len()];
    for &k in &d.source {
        seen[k] = true;
    }
    assert!(
        seen.iter().all(|&s| s),
        "{} cells not shown",
        seen.iter().filter(|s| !**s).count()
    );
    assert_eq!(d.pick(&(0..cells.len()).collect::<Vec<_>>()), d.source);
}

#[test]
fn a_lat_lon_grid_needs_no_display_grid() {
    let grid = Grid::regular(10, 10, 4.5, 0.5, 1.0);
    assert!(display_grid(&grid, &[]).is_err());
}
