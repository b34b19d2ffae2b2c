//! The study's diagnostic charts (correlation heatmap, dendrogram, elbow, PCA, scatter grids,
//! spectra, training curves, histograms, latent views), PNG or SVG by file extension.

use super::render::font;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Title and axis labels of a chart.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChartText {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
}

impl ChartText {
    pub fn new(title: &str, x_label: &str, y_label: &str) -> Self {
        ChartText {
            title: title.into(),
            x_label: x_label.into(),
            y_label: y_label.into(),
        }
    }
}

/// A named polyline for [`line_chart`].
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
}

/// A named sample for [`histogram`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HistSeries<'a> {
    pub name: &'a str,
    pub values: &'a [f64],
}

/// Mean and standard deviation of one cluster's spectrum, for [`cluster_spectra`].
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterSpectrum {
    pub id: usize,
    pub size: usize,
    pub mean: Vec<f64>,
    pub std: Vec<f64>,
}

pub(super) const CENTER: Pos = Pos {
    h_pos: HPos::Center,
    v_pos: VPos::Center,
};

/// Min and max of finite values, padded by 5 % (a unit window around a constant).
pub(super) fn padded_extent(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    if hi - lo < 1e-12 * lo.abs().max(1.0) {
        return (lo - 0.5, hi + 0.5);
    }
    let pad = (hi - lo) * 0.05;
    (lo - pad, hi + pad)
}

pub(super) fn caption_style() -> TextStyle<'static> {
    font(20.0)
}

mod dendrogram;
mod elbow;
mod heatmap;
mod histogram;
mod images;
mod lines;
mod parallel;
mod scatter;
mod spectra;
mod variance;

pub use dendrogram::dendrogram;
pub use elbow::elbow_chart;
pub use heatmap::correlation_heatmap;
pub use histogram::{component_histograms, histogram};
pub use images::{heat_field, image_grid};
pub use lines::line_chart;
pub use parallel::{ParallelLine, parallel_coordinates};
pub use scatter::{
    SCATTER_BINS, class_scatter, density_scatter_grid, density_scatter_grid_axes, latent_scatter, pc_scatter_clusters,
};
pub use spectra::cluster_spectra;
pub use variance::explained_variance;

/// A chart with two plain `f64` axes.
pub(super) type XyChart<'a, DB> =
    ChartContext<'a, DB, Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>>;

/// Cartesian axes without grid lines (heat fields, scatters): title, axis labels, usual fonts.
pub(super) fn plain_axes<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    text: &ChartText,
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
) -> Result<XyChart<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    let mut chart = ChartBuilder::on(area)
        .caption(&text.title, caption_style())
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(60)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(&text.x_label)
        .y_desc(&text.y_label)
        .label_style(font(13.0))
        .axis_desc_style(font(14.0))
        .draw()?;
    Ok(chart)
}
