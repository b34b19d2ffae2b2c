//! Per-cell confidence of a K-Means run: `margin.csv` (`margin.parquet` on large runs), beside
//! labels.csv (whose five columns `landclust plot` reads back, so it is left as is).
//!
//! In the clustering space, with `c_l` the centre (mean) of cluster l of the final labels:
//!
//! ```text
//! own_distance   d_own(i)   = ||x_i - c_{l(i)}||
//! other_distance d_other(i) = min_{l != l(i)} ||x_i - c_l||
//! margin(i)                 = d_other(i) - d_own(i)        (< 0: another centre is nearer)
//! silhouette(i)             = (b_i - a_i) / max(a_i, b_i)  (Rousseeuw 1987; exact, scikit-learn's silhouette_samples)
//! ```
//!
//! A small margin or silhouette marks a cell on the border between two clusters.

use super::cell_tables::{CellColumn, write_cell_table};
use crate::error::Result;
use crate::pipeline::config::TableFormat;
use ndarray::{Array2, ArrayView2};
use std::path::Path;

/// Per-cell margins and silhouettes.
#[derive(Debug, Clone, PartialEq)]
pub struct Margins {
    pub own_distance: Vec<f64>,
    pub other_distance: Vec<f64>,
    pub silhouette: Vec<f64>,
}

impl Margins {
    /// `other_distance - own_distance` per cell.
    pub fn margin(&self) -> Vec<f64> {
        self.other_distance
            .iter()
            .zip(&self.own_distance)
            .map(|(o, d)| o - d)
            .collect()
    }
}

/// Margins of `labels` (`k` clusters) in `x` (n x m), centres = cluster means. The per-cell
/// silhouette is exact (O(n^2)) and computed only when `with_silhouette` (the run's cells are
/// within `--silhouette-exact-max`); otherwise `silhouette` is empty and margin.csv leaves the
/// column blank.
pub fn margins(x: ArrayView2<f64>, labels: &[usize], k: usize, with_silhouette: bool) -> Result<Margins> {
    let (n, m) = x.dim();
    let mut centres = Array2::<f64>::zeros((k, m));
    let mut sizes = vec![0usize; k];
    for (row, &l) in x.outer_iter().zip(labels) {
        if l >= k {
            return Err(crate::cluster::ClusterError::LabelOutOfRange { label: l, k }.into());
        }
        sizes[l] += 1;
        let mut c = centres.row_mut(l);
        c += &row;
    }
    for (mut c, &s) in centres.outer_iter_mut().zip(&sizes) {
        if s > 0 {
            c /= s as f64;
        }
    }
    // Each cell's distances depend on that cell alone: computed in parallel, in cell order.
    let distances: Vec<(f64, f64)> = {
        use rayon::prelude::*;
        (0..n.min(labels.len()))
            .into_par_iter()
            .with_min_len(4096)
            .map(|i| {
                let (row, l) = (x.row(i), labels[i]);
                let mut other = f64::INFINITY;
                let mut own = f64::NAN;
                for (c, centre) in centres.outer_iter().enumerate() {
                    if sizes[c] == 0 {
                        continue;
                    }
                    let d = row
                        .iter()
                        .zip(centre.iter())
                        .map(|(a, b)| (a - b) * (a - b))
                        .sum::<f64>()
                        .sqrt();
                    if c == l {
                        own = d;
                    } else {
                        other = other.min(d);
                    }
                }
                (own, other)
            })
            .collect()
    };
    let (own_distance, other_distance): (Vec<f64>, Vec<f64>) = distances.into_iter().unzip();
    let silhouette = if with_silhouette {
        crate::metrics::silhouette_samples(x, labels)?
    } else {
        Vec::new()
    };
    Ok(Margins {
        own_distance,
        other_distance,
        silhouette,
    })
}

/// `margin.csv` (or `margin.parquet`, see [`super::cell_tables`]):
/// `row,col,cluster,own_distance,other_distance,margin,silhouette` (silhouette empty where it was
/// not computed).
pub fn write_margin_table(
    dir: &Path,
    format: TableFormat,
    table: &crate::dataset::CellTable,
    labels: &[usize],
    mg: &Margins,
) -> Result<()> {
    let (cells, n) = (&table.cells, table.cells.len());
    let with_silhouette = mg.silhouette.len() == n;
    let columns = [
        ("row", CellColumn::IndexOf(n, Box::new(|i| cells[i].row))),
        ("col", CellColumn::IndexOf(n, Box::new(|i| cells[i].col))),
        ("cluster", CellColumn::IndexOf(labels.len(), Box::new(|i| labels[i]))),
        (
            "own_distance",
            CellColumn::FloatOf(mg.own_distance.len(), Box::new(|i| mg.own_distance[i])),
        ),
        (
            "other_distance",
            CellColumn::FloatOf(mg.other_distance.len(), Box::new(|i| mg.other_distance[i])),
        ),
        (
            "margin",
            CellColumn::FloatOf(
                mg.own_distance.len().min(mg.other_distance.len()),
                Box::new(|i| mg.other_distance[i] - mg.own_distance[i]),
            ),
        ),
        (
            "silhouette",
            CellColumn::FloatOf(
                n,
                Box::new(|i| if with_silhouette { mg.silhouette[i] } else { f64::NAN }),
            ),
        ),
    ];
    write_cell_table(dir, "margin", format, &columns)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn margins_measure_the_distance_to_the_other_centre() {
        let x = array![[0.0], [2.0], [10.0], [12.0]];
        let m = margins(x.view(), &[0, 0, 1, 1], 2, true).unwrap();
        assert_eq!(m.own_distance, vec![1.0, 1.0, 1.0, 1.0]);
        assert_eq!(m.other_distance, vec![11.0, 9.0, 9.0, 11.0]);
        assert_eq!(m.margin(), vec![10.0, 8.0, 8.0, 10.0]);
        // Cell 0: a = 2, b = mean(10, 12) = 11 -> (11 - 2) / 11.
        assert!((m.silhouette[0] - 9.0 / 11.0).abs() < 1e-12);
        assert!(margins(x.view(), &[0, 0, 1, 2], 2, true).is_err());
        assert!(
            margins(x.view(), &[0, 0, 1, 1], 2, false)
                .unwrap()
                .silhouette
                .is_empty()
        );
    }
}
