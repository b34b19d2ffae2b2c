//! Vector output of a label raster: polygons along the cells' edges ([`polygonize`]) written as
//! GeoJSON ([`geojson`]), one dissolved MultiPolygon per cluster or region.

pub mod geojson;
pub mod polygonize;

/// Why a label raster could not be turned into polygons.
#[derive(Debug, thiserror::Error)]
pub enum VectorError {
    #[error("{values} labels for a raster of {n_rows} x {n_cols} cells")]
    Shape {
        values: usize,
        n_rows: usize,
        n_cols: usize,
    },
    #[error("a raster of {n_rows} x {n_cols} cells is too large to polygonize")]
    TooLarge { n_rows: usize, n_cols: usize },
    #[error("a ring of the cell boundaries did not close")]
    Unclosed,
    #[error("{what}: {n} values for {expected} cell edges")]
    Edges {
        what: &'static str,
        n: usize,
        expected: usize,
    },
}

/// Bytes the vector output holds at most for an output window of `window_cells` cells of which
/// `cells` are labelled: per window cell its label, its component, the flood fill's stack and
/// the walked-edge flag (13 bytes); per labelled cell at most four ring corners (8 bytes each)
/// and, while its cluster's Feature is written, their GeoJSON positions (32 bytes each).
pub fn memory_bytes(window_cells: usize, cells: usize) -> u64 {
    (window_cells as u64)
        .saturating_mul(13)
        .saturating_add((cells as u64).saturating_mul(4 * (8 + 32)))
}
