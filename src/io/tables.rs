//! Plain-text outputs of a run: labels.csv, centers.csv, elbow.csv, linkage.csv, JSON.
//! All written atomically.

use super::{IoError, atomic};
use crate::cluster::labels::ClusterSums;
use crate::dataset::CellTable;
use serde::Serialize;
use std::path::Path;

/// `labels.csv`: `row,col,lat,lon,cluster`, one line per selected cell.
pub fn write_labels_csv(path: &Path, table: &CellTable, labels: &[usize]) -> Result<(), IoError> {
    atomic::write_with(path, |w| {
        writeln!(w, "row,col,lat,lon,cluster")?;
        for (cell, label) in table.cells.iter().zip(labels) {
            writeln!(w, "{},{},{},{},{}", cell.row, cell.col, cell.lat, cell.lon, label)?;
        }
        Ok(())
    })
}

/// Read back a `labels.csv` as (row, col, cluster) triples.
pub fn read_labels_csv(path: &Path) -> Result<Vec<(usize, usize, usize)>, IoError> {
    let text = std::fs::read_to_string(path).map_err(|e| IoError::os(path, e))?;
    let mut lines = text.lines();
    if lines.next() != Some("row,col,lat,lon,cluster") {
        return Err(IoError::format(path, "expected header row,col,lat,lon,cluster"));
    }
    lines
        .enumerate()
        .map(|(i, line)| {
            let f: Vec<&str> = line.split(',').collect();
            let parse = |s: &str| s.parse::<usize>().ok();
            match (
                f.len(),
                parse(f[0]),
                f.get(1).and_then(|s| parse(s)),
                f.get(4).and_then(|s| parse(s)),
            ) {
                (5, Some(r), Some(c), Some(k)) => Ok((r, c, k)),
                _ => Err(IoError::format(path, format!("line {}: malformed", i + 2))),
            }
        })
        .collect()
}

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

/// `centers.csv`: `cluster,size,<var>...` with means in original units.
pub fn write_centres_csv(path: &Path, names: &[String], centres: &[ClusterCentre]) -> Result<(), IoError> {
    atomic::write_with(path, |w| {
        writeln!(w, "cluster,size,{}", names.join(","))?;
        for c in centres {
            let means: Vec<String> = c.means.iter().map(|m| format!("{m}")).collect();
            writeln!(w, "{},{},{}", c.cluster, c.size, means.join(","))?;
        }
        Ok(())
    })
}

/// A CSV with a header and numeric rows.
pub fn write_csv(path: &Path, header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Result<(), IoError> {
    atomic::write_with(path, |w| {
        writeln!(w, "{}", header.join(","))?;
        for row in rows {
            writeln!(w, "{}", row.join(","))?;
        }
        Ok(())
    })
}

/// Pretty JSON of any serializable value.
pub fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<(), IoError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| IoError::format(path, e.to_string()))?;
    atomic::write_bytes(path, text.as_bytes())
}
