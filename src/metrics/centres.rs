//! Each cluster's size and mean of every chosen variable, in the table's original units (the
//! centres of `centers.csv`, the map legends and the report's table).

use crate::cluster::labels::ClusterSums;
use crate::dataset::CellTable;
use serde::Serialize;

/// Per-cluster size and mean of every variable in original units.
#[derive(Debug, Clone, Serialize)]
pub struct ClusterCentre {
    pub cluster: usize,
    pub size: usize,
    pub means: Vec<f64>,
}

/// Sizes and means of each cluster's cells in the table's original units. `labels` come from a
/// clustering of the table (in `0..k`, one per row); labels that do not fit give empty centres
/// rather than a panic.
pub fn cluster_centres(table: &CellTable, labels: &[usize], k: usize) -> Vec<ClusterCentre> {
    let d = table.names.len();
    let sums = ClusterSums::of(table.values.view(), labels, k).unwrap_or_else(|_| ClusterSums {
        sizes: vec![0; k],
        sums: ndarray::Array2::zeros((k, d)),
    });
    let means = sums.means(0.0);
    (0..k)
        .map(|c| ClusterCentre {
            cluster: c,
            size: sums.sizes[c],
            means: means.row(c).to_vec(),
        })
        .collect()
}
