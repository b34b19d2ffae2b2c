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
    /// The projected CRS of a projected grid: then `resolution_deg` is unknown (NaN), the cell
    /// size is `cell_size` (y, x) in the projection's unit, and the ranges are those of the
    /// cells' inverse-projected centres.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projection: Option<crate::dataset::ProjectedCrs>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell_size: Option<(f64, f64)>,
}

impl GridSummary {
    /// The summary of `grid`.
    pub fn of(grid: &crate::dataset::Grid) -> GridSummary {
        // Finite min and max.
        let range = |v: &[f64]| {
            v.iter()
                .filter(|v| v.is_finite())
                .fold((f64::NAN, f64::NAN), |(lo, hi), &v| (lo.min(v), hi.max(v)))
        };
        let mut s = GridSummary {
            n_rows: grid.n_rows,
            n_cols: grid.n_cols,
            source: grid.source.clone(),
            orientation: grid.orientation.clone(),
            resolution_deg: grid.resolution(),
            lat_range: range(&grid.lat),
            lon_range: range(&grid.lon),
            projection: grid.projection.clone(),
            cell_size: None,
        };
        if grid.is_projected() {
            s.cell_size = Some(grid.resolution());
            s.resolution_deg = (f64::NAN, f64::NAN);
            let (lon0, lon1, lat0, lat1) = grid
                .lon_lat_bounds()
                .unwrap_or((f64::NAN, f64::NAN, f64::NAN, f64::NAN));
            s.lat_range = (lat0, lat1);
            s.lon_range = (lon0, lon1);
        }
        s
    }

    /// `0.1 x 0.1 deg`, or on a projected grid `500 x 500 m` (the unit's name otherwise).
    pub fn cell_text(&self) -> String {
        match (&self.projection, self.cell_size) {
            (Some(p), Some((dy, dx))) => {
                let unit = if p.unit.metres == 1.0 {
                    "m".to_string()
                } else {
                    p.unit.name.clone()
                };
                format!("{} x {} {unit}", number(dy), number(dx))
            }
            _ => format!(
                "{} x {} deg",
                number(self.resolution_deg.0),
                number(self.resolution_deg.1)
            ),
        }
    }
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
