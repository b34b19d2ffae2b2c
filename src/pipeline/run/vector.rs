//! `labels.geojson` of a run: the clusters (or contiguous regions) as dissolved polygons along
//! the cells' edges ([`crate::io::vector`]), when the run is small enough (`--vector`,
//! `--vector-max-cells`) and the polygons fit in what `--max-memory` leaves.

use crate::error::Result;
use crate::io::vector::geojson::{CellEdges, FeatureAttributes, VectorCrs, write_geojson};
use crate::io::vector::polygonize::{NO_LABEL, polygonize};
use crate::pipeline::config::RunConfig;
pub use crate::pipeline::vector_settings::{VectorFormat, VectorSettings};
use std::path::Path;

/// The file name of the vector output.
pub const LABELS_GEOJSON: &str = "labels.geojson";

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
fn raster_labels(window_labels: &[i32]) -> Vec<u32> {
    window_labels
        .iter()
        .map(|&v| u32::try_from(v).unwrap_or(NO_LABEL))
        .collect()
}

/// Write labels.geojson into `dir` from the labels on the output window (`window_labels`, the
/// raster of labels.nc and labels.tif), with each cluster's name, cell count and area in km2
/// (`cluster_km2`, metrics.json's): nothing
/// when `--vector` says so, and a note instead when the polygons would not fit in memory.
pub fn write_labels_geojson(
    dir: &Path,
    cfg: &RunConfig,
    table: &crate::dataset::CellTable,
    window_labels: &[i32],
    names: &[String],
    sizes: &[usize],
    cluster_km2: &[f64],
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
            area_km2: cluster_km2.get(id).copied().unwrap_or(f64::NAN),
        })
        .collect();
    write_geojson(
        &path,
        &polygons,
        &CellEdges::of(&grid),
        &features,
        &VectorCrs::of(&grid),
    )?;
    Ok(())
}

#[cfg(test)]
#[path = "vector_tests.rs"]
mod tests;
