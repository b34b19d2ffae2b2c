//! Colours of clusters on maps and in labels.tif: the fixed cluster palette by id, or for
//! contiguous regions a colouring of the region adjacency graph with the same palette.
//!
//! With more clusters than the palette has colours, colouring by id repeats colours at random
//! places. Regions are spatially connected, so what a map reader needs is that two regions that
//! touch differ: a greedy colouring of the graph whose vertices are the regions and whose edges
//! join regions with touching cells (Welsh and Powell, "An upper bound for the chromatic number
//! of a graph", The Computer Journal 10(1), 1967: vertices by decreasing degree, each given a
//! colour its coloured neighbours do not have). Regions of a map touch a handful of others, far
//! fewer than the palette's 20 colours, which leaves room to also balance how often each colour
//! is used.

use super::colormap::{CLUSTER_PALETTE, cluster_color};
use plotters::style::RGBColor;

/// The colour of cluster `i` as RGB bytes (the palette repeats after 20 clusters), as written
/// into GeoTIFF palettes and the report's viewer.
pub fn cluster_rgb(i: usize) -> [u8; 3] {
    let c = cluster_color(i);
    [c.0, c.1, c.2]
}

/// The colours of clusters `0..k` by id ([`cluster_color`]).
pub fn palette_by_id(k: usize) -> Vec<RGBColor> {
    (0..k).map(cluster_color).collect()
}

/// RGB bytes of `colors`.
pub fn to_rgb(colors: &[RGBColor]) -> Vec<[u8; 3]> {
    colors.iter().map(|c| [c.0, c.1, c.2]).collect()
}

/// Colours of regions `0..k` such that regions joined by an edge of `edges` (pairs of region
/// ids, any order, duplicates allowed) differ whenever a region has fewer than 20 neighbours.
///
/// Regions are coloured by decreasing number of neighbours (ties: the smaller id). Each takes,
/// among the palette colours none of its coloured neighbours has, the one used least so far
/// (ties: the palette's order), so the colours spread over the whole palette. A region whose
/// neighbours already hold every colour takes the colour fewest of them hold. Deterministic:
/// the result depends only on `k` and the set of edges. Pairs naming a region `>= k` or a
/// region with itself are ignored.
pub fn region_palette(k: usize, edges: &[(usize, usize)]) -> Vec<RGBColor> {
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); k];
    for &(a, b) in edges {
        if a != b && a < k && b < k {
            neighbours[a].push(b);
            neighbours[b].push(a);
        }
    }
    for list in &mut neighbours {
        list.sort_unstable();
        list.dedup();
    }
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| neighbours[b].len().cmp(&neighbours[a].len()).then(a.cmp(&b)));
    let n_colors = CLUSTER_PALETTE.len();
    let mut color_of: Vec<Option<usize>> = vec![None; k];
    let mut used = vec![0usize; n_colors];
    for &region in &order {
        let mut held = vec![0usize; n_colors];
        for &nb in &neighbours[region] {
            if let Some(c) = color_of[nb] {
                held[c] += 1;
            }
        }
        // Free colours first, then the least used overall, then the palette's order.
        let chosen = (0..n_colors).min_by_key(|&c| (held[c], used[c], c)).unwrap_or(0);
        color_of[region] = Some(chosen);
        used[chosen] += 1;
    }
    color_of.into_iter().map(|c| CLUSTER_PALETTE[c.unwrap_or(0)]).collect()
}

#[cfg(test)]
#[path = "palette_tests.rs"]
mod tests;
