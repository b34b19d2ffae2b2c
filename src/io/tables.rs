//! Plain-text outputs of a run: labels.csv, centers.csv, elbow.csv, linkage.csv, JSON.
//! All written atomically.

use super::{IoError, atomic};
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
    #[derive(serde::Deserialize)]
    struct LabelRow {
        row: usize,
        col: usize,
        cluster: usize,
    }
    let rows: Vec<LabelRow> = read_csv(path)?;
    Ok(rows.into_iter().map(|r| (r.row, r.col, r.cluster)).collect())
}

/// Typed rows of a CSV file with a header row (RFC 4180, through the `csv` crate: quoted fields,
/// CRLF and a missing trailing newline are handled; columns are matched by header name and extra
/// columns are ignored). An error names the file and the line.
pub fn read_csv<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Vec<T>, IoError> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| csv_error(path, e))?;
    reader
        .deserialize()
        .map(|row| row.map_err(|e| csv_error(path, e)))
        .collect()
}

/// A `csv` error as an [`IoError`] naming the file (the `csv` message names the record, line
/// and field).
pub fn csv_error(path: &Path, e: csv::Error) -> IoError {
    if e.is_io_error() {
        if let csv::ErrorKind::Io(io) = e.into_kind() {
            return IoError::os(path, io);
        }
        return IoError::format(path, "read error");
    }
    IoError::format(path, e.to_string())
}

/// `centers.csv`: `cluster,size,area_km2,area_share,<var>...`, one line per
/// `(cluster, size, area, share, means)` of `centres`, means in original units (the run computes
/// them from its labels).
pub fn write_centres_csv<'a>(
    path: &Path,
    names: &[String],
    centres: impl IntoIterator<Item = (usize, usize, f64, f64, &'a [f64])>,
) -> Result<(), IoError> {
    atomic::write_with(path, |w| {
        writeln!(w, "cluster,size,area_km2,area_share,{}", names.join(","))?;
        for (cluster, size, km2, share, means) in centres {
            let means: Vec<String> = means.iter().map(|m| format!("{m}")).collect();
            writeln!(w, "{cluster},{size},{km2},{share},{}", means.join(","))?;
        }
        Ok(())
    })
}

/// A CSV with a header row, written atomically through the `csv` crate (fields that hold a comma
/// or a quote are quoted, as RFC 4180 asks).
pub fn write_csv(path: &Path, header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Result<(), IoError> {
    atomic::write_with(path, |w| {
        let mut out = csv::Writer::from_writer(w);
        out.write_record(header)?;
        for row in rows {
            out.write_record(&row)?;
        }
        out.flush()
    })
}

/// Pretty JSON of any serializable value.
pub fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<(), IoError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| IoError::format(path, e.to_string()))?;
    atomic::write_bytes(path, text.as_bytes())
}
