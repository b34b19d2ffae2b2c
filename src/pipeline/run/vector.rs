//! `labels.geojson` of a run: the clusters (or contiguous regions) as dissolved polygons along
//! the cells' edges ([`crate::io::vector`]), when the run is small enough (`--vector`,
//! `--vector-max-cells`) and the polygons fit in what `--max-memory` leaves.

use super::outputs::AreaSummary;
use crate::error::{Error, Result};
use crate::io::vector::geojson::{CellEdges, FeatureAttributes, VectorCrs, write_geojson};
use crate::io::vector::polygonize::{NO_LABEL, polygonize};
use crate::pipeline::config::{RunConfig, option_error};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The file name of the vector output.
pub const LABELS_GEOJSON: &str = "labels.geojson";

/// Whether a run writes labels.geojson (`--vector`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum VectorFormat {
    /// When the run clusters at most [`VectorSettings::max_cells`] cells.
    #[default]
    Auto,
    /// Always (within the memory limit).
    Geojson,
    /// Never.
    None,
}

impl std::str::FromStr for VectorFormat {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim() {
            "auto" => Ok(VectorFormat::Auto),
            "geojson" => Ok(VectorFormat::Geojson),
            "none" => Ok(VectorFormat::None),
            _ => Err(option_error(
                "--vector",
                format!("'{s}': expected auto, geojson or none"),
            )),
        }
    }
}

impl std::fmt::Display for VectorFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            VectorFormat::Auto => "auto",
            VectorFormat::Geojson => "geojson",
            VectorFormat::None => "none",
        })
    }
}

impl From<VectorFormat> for String {
    fn from(value: VectorFormat) -> String {
        value.to_string()
    }
}

impl TryFrom<String> for VectorFormat {
    type Error = Error;
    fn try_from(text: String) -> Result<Self> {
        text.parse()
    }
}

/// The vector output's settings (`--vector`, `--vector-max-cells`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VectorSettings {
    pub format: VectorFormat,
    /// `auto` writes labels.geojson up to this many clustered cells.
    pub max_cells: usize,
}

impl VectorSettings {
    /// The default of `--vector-max-cells`: a 0.1-degree land run (about 1.9 M cells) is
    /// written, a 0.05-degree one (about 5.5 M, hundreds of MB of GeoJSON and seconds of
    /// tracing) is not unless asked for.
    pub const DEFAULT_MAX_CELLS: usize = 2_000_000;
}

impl Default for VectorSettings {
    fn default() -> Self {
        VectorSettings {
            format: VectorFormat::Auto,
            max_cells: Self::DEFAULT_MAX_CELLS,
        }
    }
}

/// Why a run of `cells` clustered cells does not write labels.geojson under `settings` by
/// its size (for metrics.json's `scale_notes`), `None` when it does or when `--vector none`
/// turned it off.
pub fn size_note(settings: &VectorSettings, cells: usize) -> Option<String> {
    (settings.format == VectorFormat::Auto && cells > settings.max_cells).then(|| {
        format!(
            "{LABELS_GEOJSON} not written: {cells} clustered cells are more than --vector-max-cells {} \
             (--vector geojson writes it whatever the size)",
            settings.max_cells
        )
    })
}

/// The labels of the output window as polygon labels ([`NO_LABEL`] where no cell).
fn raster_labels(window_labels: &[f64]) -> Vec<u32> {
    window_labels
        .iter()
        .map(|&v| if v.is_nan() { NO_LABEL } else { v as u32 })
        .collect()
}

/// Write labels.geojson into `dir` from the labels on the output window (`window_labels`, the
/// raster of labels.nc and labels.tif), with each cluster's name, cell count and area: nothing
/// when `--vector` says so, and a note instead when the polygons would not fit in memory.
pub fn write_labels_geojson(
    dir: &Path,
    cfg: &RunConfig,
    table: &crate::dataset::CellTable,
    window_labels: &[f64],
    names: &[String],
    sizes: &[usize],
    area: &AreaSummary,
) -> Result<()> {
    let cells = table.n_points();
    if cfg.vector.format == VectorFormat::None || size_note(&cfg.vector, cells).is_some() {
        return Ok(());
    }
    let window = table.output_window();
    let plan = crate::pipeline::memory::plan(cfg, table.names.len(), table.extras.len());
    let left = plan.limit.saturating_sub(plan.need(cells, window.len()));
    let need = crate::io::vector::memory_bytes(window.len(), cells);
    if need > left {
        crate::progress::note(format!(
            "{LABELS_GEOJSON} not written: its polygons need about {} MB, {} MB are left under --max-memory",
            need / 1_000_000,
            left / 1_000_000
        ));
        return Ok(());
    }
    let grid = table.grid.sub_grid(&window);
    let path = dir.join(LABELS_GEOJSON);
    let polygons = polygonize(&raster_labels(window_labels), grid.n_rows, grid.n_cols)
        .map_err(|e| crate::io::IoError::format(&path, e.to_string()))?;
    let features: Vec<FeatureAttributes> = sizes
        .iter()
        .enumerate()
        .map(|(id, &n)| FeatureAttributes {
            id: id as u32,
            name: names.get(id).cloned(),
            cells: n,
            area_km2: area.cluster_km2.get(id).copied().unwrap_or(f64::NAN),
        })
        .collect();
    write_geojson(&path, &polygons, &CellEdges::of(&grid), &features, &VectorCrs::of(&grid))?;
    Ok(())
}

#[cfg(test)]
#[path = "vector_tests.rs"]
mod tests;
