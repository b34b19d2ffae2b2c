//! The colours of a run's clusters, shared by its maps, the report's viewer and labels.tif:
//! by id ([`crate::plot::palette_by_id`]), or for contiguous regions a colouring of the regions
//! that touch ([`crate::plot::region_palette`]), so that neighbouring regions always differ
//! however many there are.

use crate::dataset::CellTable;
use crate::error::Result;
use crate::pipeline::config::RunConfig;
use crate::plot::RGBColor;

/// Colours of clusters `0..k` of `labels` (one per row of `table`).
pub fn cluster_colors(cfg: &RunConfig, table: &CellTable, labels: &[usize], k: usize) -> Result<Vec<RGBColor>> {
    if cfg.contiguous.is_none() {
        return Ok(crate::plot::palette_by_id(k));
    }
    let adjacency = super::methods::cell_adjacency(cfg, table)?;
    Ok(crate::plot::region_palette(k, &region_edges(&adjacency, labels)))
}

/// Pairs of regions with touching cells (each pair once, the smaller id first, sorted).
pub fn region_edges(adjacency: &crate::cluster::ward_contiguous::Adjacency, labels: &[usize]) -> Vec<(usize, usize)> {
    let mut edges: Vec<(usize, usize)> = (0..adjacency.len().min(labels.len()))
        .flat_map(|i| {
            adjacency
                .of(i)
                .iter()
                .map(move |&j| (labels[i], labels.get(j as usize).copied().unwrap_or(labels[i])))
        })
        .filter(|(a, b)| a != b)
        .map(|(a, b)| (a.min(b), a.max(b)))
        .collect();
    edges.sort_unstable();
    edges.dedup();
    edges
}
