//! Per-cell tables of a run (labels, margins, latent coordinates) as CSV or Parquet.
//!
//! A table with one line per selected cell grows with the grid: at 0.05 degree (5.5 M land
//! cells) labels.csv and margin.csv are hundreds of megabytes of text beside a labels.nc of a
//! megabyte or two. Above [`TableFormat::PARQUET_ABOVE`] cells (and always with `--tables
//! parquet`) the same columns are written as `NAME.parquet` instead of `NAME.csv`: Snappy
//! compressed, typed (`INT32` ids, `DOUBLE` values), readable by Spark, pandas
//! (`pd.read_parquet`), polars and DuckDB. Below it nothing changes, so small runs stay
//! readable in a text editor; `--tables csv` keeps CSV at any size.
//!
//! Missing values: CSV leaves the field empty; Parquet stores `NaN` (the columns are
//! `REQUIRED`, as in the Spark export, so every reader sees the same schema).

use crate::error::{Error, Result};
use crate::io::parquet::{ColumnData, write_columns};
use crate::io::tables::write_csv;
use crate::pipeline::config::TableFormat;
use std::path::{Path, PathBuf};

/// One column of a per-cell table.
pub enum CellColumn {
    /// Grid indices and cluster ids (`INT32` in Parquet: grids and k are far below 2^31; a
    /// larger value is refused with the file's name rather than wrapped).
    Index(Vec<usize>),
    /// Coordinates, distances, memberships: `NaN` is written as an empty CSV field.
    Float(Vec<f64>),
}

impl CellColumn {
    fn len(&self) -> usize {
        match self {
            CellColumn::Index(v) => v.len(),
            CellColumn::Float(v) => v.len(),
        }
    }

    fn csv_field(&self, i: usize) -> String {
        match self {
            CellColumn::Index(v) => v[i].to_string(),
            CellColumn::Float(v) if v[i].is_nan() => String::new(),
            CellColumn::Float(v) => format!("{}", v[i]),
        }
    }
}

/// Where a table named `stem` goes in `dir` in `format` for `n` cells.
pub fn table_path(dir: &Path, stem: &str, format: TableFormat, n: usize) -> PathBuf {
    if format.parquet_for(n) {
        dir.join(format!("{stem}.parquet"))
    } else {
        dir.join(format!("{stem}.csv"))
    }
}

/// Write the table `stem` (`labels`, `margin`, `latent`) into `dir` as CSV or Parquet
/// (see the module docs); every column has one value per cell. Returns the path written.
pub fn write_cell_table(
    dir: &Path,
    stem: &str,
    format: TableFormat,
    columns: &[(&str, CellColumn)],
) -> Result<PathBuf> {
    let n = columns.first().map_or(0, |(_, c)| c.len());
    let path = table_path(dir, stem, format, n);
    if format.parquet_for(n) {
        // The 32-bit copies of the index columns (empty for the float ones), borrowed below.
        let ints: Vec<Vec<i32>> = columns
            .iter()
            .map(|(name, c)| match c {
                CellColumn::Index(v) => v
                    .iter()
                    .map(|&x| i32::try_from(x))
                    .collect::<Result<Vec<i32>, _>>()
                    .map_err(|_| Error::File {
                        path: path.clone(),
                        message: format!("column {name}: a value does not fit a 32-bit integer"),
                    }),
                CellColumn::Float(_) => Ok(Vec::new()),
            })
            .collect::<Result<_>>()?;
        let data: Vec<(&str, ColumnData)> = columns
            .iter()
            .zip(&ints)
            .map(|((name, c), int)| match c {
                CellColumn::Index(_) => (*name, ColumnData::Int32(int)),
                CellColumn::Float(v) => (*name, ColumnData::Double(v)),
            })
            .collect();
        write_columns(&path, &data)?;
    } else {
        let header: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
        let rows = (0..n).map(|i| columns.iter().map(|(_, c)| c.csv_field(i)).collect::<Vec<_>>());
        write_csv(&path, &header, rows)?;
    }
    Ok(path)
}

/// The labels table of a run folder as written by [`write_cell_table`]: `labels.parquet` when
/// present, else `labels.csv`.
pub struct LabelsTable {
    pub path: PathBuf,
    /// (row, col, cluster) per cell, in file order.
    pub rows: Vec<(usize, usize, usize)>,
    /// The `membership` column, when the run's method gave one (`NaN` where empty).
    pub membership: Option<Vec<f64>>,
}

/// Read the labels table of the run folder `dir` (see [`LabelsTable`]).
pub fn read_labels_table(dir: &Path) -> Result<LabelsTable> {
    let parquet = dir.join("labels.parquet");
    if parquet.exists() {
        return read_labels_parquet(&parquet);
    }
    let path = dir.join("labels.csv");
    #[derive(serde::Deserialize)]
    struct Row {
        row: usize,
        col: usize,
        cluster: usize,
        #[serde(default)]
        membership: Option<f64>,
    }
    let rows: Vec<Row> = crate::io::tables::read_csv(&path)?;
    let membership = if rows.iter().any(|r| r.membership.is_some()) {
        Some(rows.iter().map(|r| r.membership.unwrap_or(f64::NAN)).collect())
    } else {
        None
    };
    Ok(LabelsTable {
        path,
        rows: rows.iter().map(|r| (r.row, r.col, r.cluster)).collect(),
        membership,
    })
}

fn read_labels_parquet(path: &Path) -> Result<LabelsTable> {
    let has_membership = crate::io::parquet::column_names(path)?
        .iter()
        .any(|c| c == "membership");
    let mut names = vec!["row", "col", "cluster"];
    if has_membership {
        names.push("membership");
    }
    let mut columns = crate::io::parquet::read_numeric_columns(path, &names)?;
    let membership = if has_membership { columns.pop() } else { None };
    let index = |name: &str, v: &[f64]| -> Result<Vec<usize>> {
        v.iter()
            .enumerate()
            .map(|(i, &x)| {
                if x >= 0.0 && x.fract() == 0.0 && x <= u32::MAX as f64 {
                    Ok(x as usize)
                } else {
                    Err(Error::File {
                        path: path.to_path_buf(),
                        message: format!("column {name}, row {}: {x} is not a non-negative integer", i + 1),
                    })
                }
            })
            .collect()
    };
    let (r, c, l) = (
        index("row", &columns[0])?,
        index("col", &columns[1])?,
        index("cluster", &columns[2])?,
    );
    Ok(LabelsTable {
        path: path.to_path_buf(),
        rows: r.into_iter().zip(c).zip(l).map(|((r, c), l)| (r, c, l)).collect(),
        membership,
    })
}

#[cfg(test)]
#[path = "cell_tables_tests.rs"]
mod tests;
