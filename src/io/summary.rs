//! Pieces of `landclust inspect`'s file summaries shared by the netCDF and GeoTIFF readers:
//! the grid found, and the aligned text table with its short numbers.

use crate::dataset::{GridSource, Orientation};
use serde::Serialize;
use std::fmt;

/// The grid found in the file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GridSummary {
    pub n_rows: usize,
    pub n_cols: usize,
    pub source: GridSource,
    pub orientation: Orientation,
    /// Mean spacing (latitude, longitude) in degrees.
    pub resolution_deg: (f64, f64),
    pub lat_range: (f64, f64),
    pub lon_range: (f64, f64),
}

/// Print rows as left-aligned columns separated by two spaces.
pub fn write_table(f: &mut fmt::Formatter<'_>, rows: &[Vec<String>]) -> fmt::Result {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..n)
        .map(|c| {
            rows.iter()
                .map(|r| r.get(c).map_or(0, |s| s.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, s)| format!("{s:<w$}", w = widths[c]))
            .collect();
        writeln!(f, "  {}", cells.join("  ").trim_end())?;
    }
    Ok(())
}

/// A number in at most 6 significant digits, exponent form when very large or small.
pub fn number(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    if v.abs() >= 1e6 || v.abs() < 1e-3 {
        return format!("{v:.4e}");
    }
    let decimals = (5 - v.abs().log10().floor() as i32).max(0) as usize;
    let fixed = format!("{v:.decimals$}");
    if fixed.contains('.') {
        fixed.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        fixed
    }
}

#[cfg(test)]
#[path = "summary_tests.rs"]
mod tests;
