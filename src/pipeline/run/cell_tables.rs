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
use crate::io::parquet::{ColumnFill, write_column_batches};
use crate::io::tables::write_csv;
use crate::pipeline::config::TableFormat;
use std::path::{Path, PathBuf};

/// One column of a per-cell table.
pub enum CellColumn<'a> {
    /// Grid indices and cluster ids (`INT32` in Parquet: grids and k are far below 2^31; a
    /// larger value is refused with the file's name rather than wrapped).
    Index(Vec<usize>),
    /// Coordinates, distances, memberships: `NaN` is written as an empty CSV field.
    Float(Vec<f64>),
    /// [`CellColumn::Index`] of `len` cells computed from the cell's position as it is written:
    /// no copy of the column is held.
    IndexOf(usize, CellValue<'a, usize>),
    /// [`CellColumn::Float`] computed as it is written.
    FloatOf(usize, CellValue<'a, f64>),
}

/// The value of a column at one cell (by its position in the table).
pub type CellValue<'a, T> = Box<dyn Fn(usize) -> T + Sync + 'a>;

impl CellColumn<'_> {
    fn len(&self) -> usize {
        match self {
            CellColumn::Index(v) => v.len(),
            CellColumn::Float(v) => v.len(),
            CellColumn::IndexOf(n, _) | CellColumn::FloatOf(n, _) => *n,
        }
    }

    fn index(&self, i: usize) -> Option<usize> {
        match self {
            CellColumn::Index(v) => Some(v[i]),
            CellColumn::IndexOf(_, f) => Some(f(i)),
            _ => None,
        }
    }

    fn float(&self, i: usize) -> Option<f64> {
        match self {
            CellColumn::Float(v) => Some(v[i]),
            CellColumn::FloatOf(_, f) => Some(f(i)),
            _ => None,
        }
    }

    fn is_index(&self) -> bool {
        matches!(self, CellColumn::Index(_) | CellColumn::IndexOf(..))
    }

    fn csv_field(&self, i: usize) -> String {
        match (self.index(i), self.float(i)) {
            (Some(x), _) => x.to_string(),
            (None, Some(v)) if v.is_nan() => String::new(),
            (None, Some(v)) => format!("{v}"),
            (None, None) => String::new(),
        }
    }

    /// The Parquet fill of this column (see [`crate::io::parquet::write_column_batches`]).
    fn fill(&self) -> ColumnFill<'_> {
        if self.is_index() {
            ColumnFill::Int32(Box::new(move |rows, out| {
                for i in rows {
                    let x = self.index(i).unwrap_or(0);
                    out.push(i32::try_from(x).map_err(|_| format!("{x} does not fit a 32-bit integer"))?);
                }
                Ok(())
            }))
        } else {
            match self {
                CellColumn::Float(v) => ColumnFill::Double(Box::new(move |rows, out| out.extend_from_slice(&v[rows]))),
                _ => ColumnFill::Double(Box::new(move |rows, out| {
                    out.extend(rows.map(|i| self.float(i).unwrap_or(f64::NAN)))
                })),
            }
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
    if let Some((name, _)) = columns.iter().find(|(_, c)| c.len() != n) {
        return Err(Error::File {
            path,
            message: format!("column {name}: length differs from the others"),
        });
    }
    if format.parquet_for(n) {
        // Each batch of each column is made as it is written: no copy of a column is held.
        let fills: Vec<(&str, ColumnFill)> = columns.iter().map(|(name, c)| (*name, c.fill())).collect();
        write_column_batches(&path, n, &fills)?;
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
