//! Figures: maps over the Blue Marble background and the study's diagnostic plots.
//!
//! Every function takes plain data (slices, [`ndarray::ArrayView2`], the [`crate::dataset::Grid`]),
//! draws with `plotters` using the embedded DejaVu Sans font (no system fonts), and writes its
//! file atomically (drawn in memory, written to a temporary sibling, renamed). Maps are PNG;
//! charts are PNG or SVG chosen by the file extension.

pub mod binning;
mod charts;
mod colormap;
mod geo;
mod map;
mod palette;
mod render;
pub mod reproject;

pub use charts::{
    ChartText, ClusterSpectrum, HistSeries, ParallelLine, SCATTER_BINS, Series, class_scatter, cluster_spectra,
    component_histograms, correlation_heatmap, dendrogram, density_scatter_grid, density_scatter_grid_axes,
    elbow_chart, explained_variance, heat_field, histogram, image_grid, latent_scatter, line_chart,
    parallel_coordinates, pc_scatter_clusters,
};
pub use colormap::{CLUSTER_PALETTE, Colormap, cluster_color};
pub use geo::{Coastlines, GridGeometry, MapKind, MapLayout, MapOptions, Region, lonlat_to_pixel};
pub use map::{ClusterLegend, cluster_map, cluster_map_colored, variable_map};
pub use palette::{cluster_rgb, palette_by_id, region_palette, to_rgb};
/// An sRGB colour of the figures (plotters' type).
pub use plotters::style::RGBColor;

use std::path::{Path, PathBuf};

/// Errors drawing figures; each names the file or the option at fault.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    #[error("{0}")]
    Invalid(String),
    /// Bad input data or a drawing failure for one figure file.
    #[error("{path}: {message}")]
    Figure { path: PathBuf, message: String },
    /// A region string that is neither a known name nor four numbers.
    #[error(
        "region {input:?}: {message} (expected world, africa, south-america, north-america, europe, asia, oceania or lon_min,lon_max,lat_min,lat_max)"
    )]
    BadRegion { input: String, message: String },
    /// An embedded asset (font, background, coastlines) could not be decoded.
    #[error("embedded asset {name}: {message}")]
    Asset { name: &'static str, message: String },
    #[error(transparent)]
    Io(#[from] crate::io::IoError),
}

impl PlotError {
    /// An error about the figure written to `path`.
    pub(crate) fn figure(path: &Path, message: impl Into<String>) -> Self {
        PlotError::Figure {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }
}
