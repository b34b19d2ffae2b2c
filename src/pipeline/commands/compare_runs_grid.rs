//! Putting two runs' labels on one grid for `landclust compare`: the same grid (same CRS and
//! cell size, centres on one lattice, windows that may differ), or with `--regrid majority` a
//! finer grid nested in a coarser one (an integer number of fine cells per coarse cell on each
//! axis, cell edges aligned), each coarse cell taking the majority label of the fine cells whose
//! centres fall in it.

use crate::dataset::Grid;

/// How far (in cells) a centre may lie off the other grid's lattice and still count as on it:
/// coordinates stored as `float` are off by about 1e-6 degree (the GeoTIFF writer's tolerance).
pub const LATTICE_TOLERANCE: f64 = crate::io::geotiff::writer::REGULAR_TOLERANCE;

/// Relative difference below which two cell sizes (or a size ratio and a whole number) are equal.
const STEP_TOLERANCE: f64 = 1e-6;

/// A grid's cell size `(rows, columns)`: the mean spacing of its centres (longitudes modulo
/// 360 degrees, so that a window across the antimeridian read back as -180..180 keeps its
/// step), the other axis's for an axis of one cell, 1 for a grid of one cell.
pub fn steps(grid: &Grid) -> (f64, f64) {
    let mean = |v: &[f64], wrap: bool| match v {
        [first, .., last] => {
            let span = if wrap {
                (last - first).rem_euclid(360.0)
            } else {
                (last - first).abs()
            };
            span / (v.len() - 1) as f64
        }
        _ => f64::NAN,
    };
    let (lat, lon) = (mean(&grid.lat, false), mean(&grid.lon, !grid.is_projected()));
    match (lat.is_finite(), lon.is_finite()) {
        (true, true) => (lat, lon),
        (true, false) => (lat, lat),
        (false, true) => (lon, lon),
        (false, false) => (1.0, 1.0),
    }
}

/// One line naming a grid: its size, cell size and CRS, e.g. `180 x 360 cells of 1 degree (WGS 84)`.
pub fn describe(grid: &Grid) -> String {
    let (dy, dx) = steps(grid);
    let unit = if grid.is_projected() { " m" } else { " degree" };
    let size = if (dy - dx).abs() <= STEP_TOLERANCE * dy.abs().max(dx.abs()) {
        format!("{}{unit}", round_step(dy))
    } else {
        format!("{} x {}{unit}", round_step(dy), round_step(dx))
    };
    let crs = match &grid.projection {
        Some(p) => p.name.clone(),
        None => grid.crs().name,
    };
    format!("{} x {} cells of {size} ({crs})", grid.n_rows, grid.n_cols)
}

/// A step printed without rounding noise (0.49999999999 as 0.5).
fn round_step(step: f64) -> f64 {
    (step * 1e9).round() / 1e9
}

/// Whether two grids are in the same CRS (geographic: ellipsoid and prime meridian; projected:
/// the same projection), so that equal coordinates mean the same place.
pub fn same_crs(a: &Grid, b: &Grid) -> bool {
    match (&a.projection, &b.projection) {
        (Some(pa), Some(pb)) => {
            pa.method == pb.method
                && pa.parameters == pb.parameters
                && pa.unit.metres == pb.unit.metres
                && same_geographic(&pa.base, &pb.base)
        }
        (None, None) => same_geographic(&a.crs(), &b.crs()),
        _ => false,
    }
}

fn same_geographic(a: &crate::dataset::GeographicCrs, b: &crate::dataset::GeographicCrs) -> bool {
    a.ellipsoid.semi_major_axis == b.ellipsoid.semi_major_axis
        && a.ellipsoid.inverse_flattening == b.ellipsoid.inverse_flattening
        && a.prime_meridian.longitude == b.prime_meridian.longitude
}

fn same_step(a: f64, b: f64) -> bool {
    (a - b).abs() <= STEP_TOLERANCE * a.abs().max(b.abs())
}

/// The offset of `v` from `origin` in steps along an axis: latitudes (y) count southwards from
/// the first row, longitudes (x) eastwards, modulo 360 degrees on a geographic grid so that
/// windows across the antimeridian line up.
fn offset(v: f64, origin: f64, step: f64, axis: Axis, geographic: bool) -> f64 {
    match axis {
        Axis::Rows => (origin - v) / step,
        Axis::Cols if geographic => (v - origin).rem_euclid(360.0) / step,
        Axis::Cols => (v - origin) / step,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Axis {
    Rows,
    Cols,
}

/// For each centre of `from`, the index of the centre of `onto` at the same place (`None`
/// outside `onto`'s window); `None` when some centre of `from` lies off `onto`'s lattice.
fn axis_map(from: &[f64], onto: &[f64], step: f64, axis: Axis, geographic: bool) -> Option<Vec<Option<usize>>> {
    let origin = *onto.first()?;
    let index: std::collections::HashMap<i64, usize> = onto
        .iter()
        .enumerate()
        .map(|(i, &v)| (offset(v, origin, step, axis, geographic).round() as i64, i))
        .collect();
    from.iter()
        .map(|&v| {
            let k = offset(v, origin, step, axis, geographic);
            ((k - k.round()).abs() <= LATTICE_TOLERANCE).then(|| index.get(&(k.round() as i64)).copied())
        })
        .collect()
}

/// Where each row and each column of one grid falls on another: `None` outside it.
#[derive(Debug, Clone, PartialEq)]
pub struct CellMap {
    pub rows: Vec<Option<usize>>,
    pub cols: Vec<Option<usize>>,
}

impl CellMap {
    /// The other grid's row-major index of cell `(row, col)`, given its number of columns.
    pub fn index(&self, row: usize, col: usize, n_cols: usize) -> Option<usize> {
        Some(self.rows[row]? * n_cols + self.cols[col]?)
    }
}

/// How `from`'s cells fall on `onto` when both are the same grid (same CRS, same cell size,
/// centres on one lattice; their windows may differ); `None` otherwise.
pub fn same_grid_map(from: &Grid, onto: &Grid) -> Option<CellMap> {
    if !same_crs(from, onto) {
        return None;
    }
    let ((fy, fx), (oy, ox)) = (steps(from), steps(onto));
    if !(same_step(fy, oy) && same_step(fx, ox)) {
        return None;
    }
    let geographic = !onto.is_projected();
    Some(CellMap {
        rows: axis_map(&from.lat, &onto.lat, oy, Axis::Rows, geographic)?,
        cols: axis_map(&from.lon, &onto.lon, ox, Axis::Cols, geographic)?,
    })
}

/// The whole number `coarse / fine`, when it is one (>= 1).
fn whole_ratio(coarse: f64, fine: f64) -> Option<usize> {
    let r = coarse / fine;
    let n = r.round();
    (n >= 1.0 && (r - n).abs() <= STEP_TOLERANCE * n).then_some(n as usize)
}

/// For each centre of the fine axis, the coarse cell it falls in (`None` outside the coarse
/// window); `None` when the fine cells' edges do not line up with the coarse cells' edges.
fn nested_axis(
    fine: &[f64],
    fine_step: f64,
    coarse: &[f64],
    coarse_step: f64,
    axis: Axis,
    geographic: bool,
) -> Option<Vec<Option<usize>>> {
    let (c0, f0) = (*coarse.first()?, *fine.first()?);
    // The first coarse cell's outer edge (north, or west), and the fine cells' counted from it.
    let edge = match axis {
        Axis::Rows => c0 + coarse_step / 2.0,
        Axis::Cols => c0 - coarse_step / 2.0,
    };
    let first_fine_edge = offset(f0, edge, fine_step, axis, geographic) - 0.5;
    let first_fine_edge = if axis == Axis::Cols && geographic {
        // Modulo 360 degrees the fine edge may sit just below a whole number of steps.
        let period = 360.0 / fine_step;
        let k = first_fine_edge.rem_euclid(period);
        if (k - period).abs() <= LATTICE_TOLERANCE {
            0.0
        } else {
            k
        }
    } else {
        first_fine_edge
    };
    if (first_fine_edge - first_fine_edge.round()).abs() > LATTICE_TOLERANCE {
        return None;
    }
    let n = coarse.len();
    Some(
        fine.iter()
            .map(|&v| {
                let k = offset(v, edge, coarse_step, axis, geographic).floor();
                (k >= 0.0 && (k as usize) < n).then_some(k as usize)
            })
            .collect(),
    )
}

/// How the cells of the finer grid `fine` fall in the cells of the coarser grid `coarse` when
/// `fine` nests in it (same CRS, a whole number of fine cells per coarse cell on each axis, one
/// or more, cell edges aligned); `None` otherwise.
pub fn nested_map(fine: &Grid, coarse: &Grid) -> Option<CellMap> {
    if !same_crs(fine, coarse) {
        return None;
    }
    let ((fy, fx), (cy, cx)) = (steps(fine), steps(coarse));
    whole_ratio(cy, fy)?;
    whole_ratio(cx, fx)?;
    let geographic = !coarse.is_projected();
    Some(CellMap {
        rows: nested_axis(&fine.lat, fy, &coarse.lat, cy, Axis::Rows, geographic)?,
        cols: nested_axis(&fine.lon, fx, &coarse.lon, cx, Axis::Cols, geographic)?,
    })
}

/// Whether `a`'s cells are finer than `b`'s (smaller in area).
pub fn is_finer(a: &Grid, b: &Grid) -> bool {
    let ((ay, ax), (by, bx)) = (steps(a), steps(b));
    ay * ax < by * bx
}

/// Labels of one run on the cells of another grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// One per cell of the target grid, row-major; `None` where the run has no label there.
    pub labels: Vec<Option<u32>>,
    /// Labelled cells of the run that fall outside the target grid's window (with their areas
    /// in km2 on the run's own grid).
    pub outside_cells: usize,
    pub outside_km2: f64,
}

/// The labels of a run on `from` (one per cell, `None` where unlabelled) placed on a grid of
/// `n_rows x n_cols` cells by `map`. On the same grid each cell keeps its label; on a coarser
/// one ([`nested_map`]) each coarse cell takes the most frequent label among the labelled fine
/// cells whose centres fall in it, ties going to the lower label (unlabelled fine cells do not
/// vote, so a coarse cell with any labelled fine cell has a label).
pub fn place(from: &Grid, labels: &[Option<u32>], map: &CellMap, n_rows: usize, n_cols: usize) -> Placed {
    // The cells of `from` under each target row and column (one each on the same grid).
    let mut rows_of = vec![Vec::new(); n_rows];
    for (r, t) in map.rows.iter().enumerate() {
        if let Some(t) = t.filter(|&t| t < n_rows) {
            rows_of[t].push(r);
        }
    }
    let mut cols_of = vec![Vec::new(); n_cols];
    for (c, t) in map.cols.iter().enumerate() {
        if let Some(t) = t.filter(|&t| t < n_cols) {
            cols_of[t].push(c);
        }
    }
    let mut placed = vec![None; n_rows * n_cols];
    let mut votes: Vec<(u32, u32)> = Vec::new();
    for (tr, rows) in rows_of.iter().enumerate() {
        for (tc, cols) in cols_of.iter().enumerate() {
            votes.clear();
            for &r in rows {
                for &c in cols {
                    let Some(label) = labels[r * from.n_cols + c] else {
                        continue;
                    };
                    match votes.iter_mut().find(|(l, _)| *l == label) {
                        Some(entry) => entry.1 += 1,
                        None => votes.push((label, 1)),
                    }
                }
            }
            placed[tr * n_cols + tc] = votes
                .iter()
                .max_by(|(la, na), (lb, nb)| na.cmp(nb).then(lb.cmp(la)))
                .map(|&(l, _)| l);
        }
    }
    let mut outside = Vec::new();
    for r in 0..from.n_rows {
        for c in 0..from.n_cols {
            let inside = map.rows[r].is_some_and(|t| t < n_rows) && map.cols[c].is_some_and(|t| t < n_cols);
            if labels[r * from.n_cols + c].is_some() && !inside {
                outside.push(crate::dataset::Cell {
                    row: r,
                    col: c,
                    lat: from.row_lat(r),
                    lon: from.col_lon(c),
                });
            }
        }
    }
    let outside_km2 = crate::dataset::area::cell_areas_km2(from, &outside)
        .iter()
        .filter(|a| a.is_finite())
        .fold(0.0, |sum, a| sum + a);
    Placed {
        labels: placed,
        outside_cells: outside.len(),
        outside_km2,
    }
}

#[cfg(test)]
#[path = "compare_runs_grid_tests.rs"]
mod tests;
