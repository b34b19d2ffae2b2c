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
//!
//! The distances are computed as each batch of the table is written, not held per cell: at
//! 0.05 degree three per-cell columns are about 130 MB of fresh memory, which costs more to
//! obtain from the kernel than the k + 1 distances per cell cost to recompute.

use super::cell_tables::{CellColumn, write_cell_table};
use crate::error::Result;
use crate::pipeline::config::TableFormat;
use ndarray::{Array2, ArrayView2, CowArray, Ix2};
use std::path::Path;

/// The cluster centres of a labelling, from which each cell's margin is computed on demand.
#[derive(Debug, Clone)]
pub struct MarginModel<'a> {
    /// The clustering space, row-major (a borrowed view when it already is).
    x: CowArray<'a, f64, Ix2>,
    labels: &'a [usize],
    /// Centres row-major, `k x m`.
    centres: Vec<f64>,
    sizes: Vec<usize>,
    /// The exact per-cell silhouette, or empty when it was not computed.
    pub silhouette: Vec<f64>,
}

impl<'a> MarginModel<'a> {
    /// The margins of `labels` (`k` clusters) in `x` (n x m), centres = cluster means. The
    /// per-cell silhouette is exact (O(n^2)) and computed only when `with_silhouette` (the run's
    /// cells are within `--silhouette-exact-max`); otherwise `silhouette` is empty and the table
    /// leaves the column blank.
    pub fn new(x: ArrayView2<'a, f64>, labels: &'a [usize], k: usize, with_silhouette: bool) -> Result<Self> {
        let m = x.ncols();
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
        let silhouette = if with_silhouette {
            crate::metrics::silhouette_samples(x, labels)?
        } else {
            Vec::new()
        };
        Ok(Self {
            x: if x.is_standard_layout() {
                CowArray::from(x)
            } else {
                CowArray::from(x.as_standard_layout().into_owned())
            },
            labels,
            centres: centres.into_iter().collect(),
            sizes,
            silhouette,
        })
    }

    /// Cells described (the shorter of the data and the labels).
    pub fn len(&self) -> usize {
        self.x.nrows().min(self.labels.len())
    }

    /// True when there is no cell.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The coordinates of cell `i` and the distance from them to centre `c`.
    fn row(&self, i: usize) -> &[f64] {
        let m = self.x.ncols();
        // Standard layout (see `new`): row i is one slice.
        self.x.as_slice().map_or(&[][..], |all| &all[i * m..(i + 1) * m])
    }

    fn distance(&self, row: &[f64], c: usize) -> f64 {
        let m = row.len();
        row.iter()
            .zip(&self.centres[c * m..(c + 1) * m])
            .map(|(a, b)| (a - b) * (a - b))
            .sum::<f64>()
            .sqrt()
    }

    /// `d_own(i)`: the distance of cell `i` to the centre of its own cluster.
    pub fn own_distance(&self, i: usize) -> f64 {
        self.distance(self.row(i), self.labels[i])
    }

    /// `d_other(i)`: the distance of cell `i` to the nearest centre of another (non-empty)
    /// cluster; infinite when there is none.
    pub fn other_distance(&self, i: usize) -> f64 {
        let (own, row) = (self.labels[i], self.row(i));
        (0..self.sizes.len())
            .filter(|&c| c != own && self.sizes[c] > 0)
            .map(|c| self.distance(row, c))
            .fold(f64::INFINITY, f64::min)
    }

    /// `d_other(i) - d_own(i)`.
    pub fn margin(&self, i: usize) -> f64 {
        self.other_distance(i) - self.own_distance(i)
    }

    /// The exact silhouette of cell `i`, `NaN` when it was not computed.
    pub fn silhouette(&self, i: usize) -> f64 {
        self.silhouette.get(i).copied().unwrap_or(f64::NAN)
    }
}

/// `margin.csv` (or `margin.parquet`, see [`super::cell_tables`]):
/// `row,col,cluster,own_distance,other_distance,margin,silhouette` (silhouette empty where it was
/// not computed).
pub fn write_margin_table(
    dir: &Path,
    format: TableFormat,
    table: &crate::dataset::CellTable,
    model: &MarginModel,
) -> Result<()> {
    let (cells, n) = (&table.cells, table.cells.len());
    let labels = model.labels;
    let rows = model.len();
    let columns = [
        ("row", CellColumn::IndexOf(n, Box::new(|i| cells[i].row))),
        ("col", CellColumn::IndexOf(n, Box::new(|i| cells[i].col))),
        ("cluster", CellColumn::IndexOf(labels.len(), Box::new(|i| labels[i]))),
        (
            "own_distance",
            CellColumn::FloatOf(rows, Box::new(|i| model.own_distance(i))),
        ),
        (
            "other_distance",
            CellColumn::FloatOf(rows, Box::new(|i| model.other_distance(i))),
        ),
        ("margin", CellColumn::FloatOf(rows, Box::new(|i| model.margin(i)))),
        ("silhouette", CellColumn::FloatOf(n, Box::new(|i| model.silhouette(i)))),
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
        let labels = [0, 0, 1, 1];
        let m = MarginModel::new(x.view(), &labels, 2, true).unwrap();
        let own: Vec<f64> = (0..4).map(|i| m.own_distance(i)).collect();
        let other: Vec<f64> = (0..4).map(|i| m.other_distance(i)).collect();
        let margin: Vec<f64> = (0..4).map(|i| m.margin(i)).collect();
        assert_eq!(own, vec![1.0, 1.0, 1.0, 1.0]);
        assert_eq!(other, vec![11.0, 9.0, 9.0, 11.0]);
        assert_eq!(margin, vec![10.0, 8.0, 8.0, 10.0]);
        // Cell 0: a = 2, b = mean(10, 12) = 11 -> (11 - 2) / 11.
        assert!((m.silhouette(0) - 9.0 / 11.0).abs() < 1e-12);
        assert!(MarginModel::new(x.view(), &[0, 0, 1, 2], 2, true).is_err());
        let without = MarginModel::new(x.view(), &labels, 2, false).unwrap();
        assert!(without.silhouette.is_empty() && without.silhouette(0).is_nan());
        // An empty cluster is no "other" centre.
        let lone = MarginModel::new(x.view(), &labels, 3, false).unwrap();
        assert_eq!(lone.other_distance(0), 11.0);
    }
}
