//! Scatter grids: density, cluster-coloured and latent scatters (study Figs. 12, 15-17, 24, 30).

use super::{ChartText, caption_style, padded_extent, plain_axes};
use crate::plot::PlotError;
use crate::plot::binning::{self, LabelCounts};
use crate::plot::colormap::{Colormap, cluster_color};
use crate::plot::render::{DrawResult, Figure, font, render_png};
use ndarray::ArrayView2;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

const PANEL: u32 = 420;

/// Bins per axis of a cluster-coloured scatter panel (2-D histogram of the points).
pub const SCATTER_BINS: usize = 200;

/// How the bins of a scatter panel are coloured.
enum PointColors<'a> {
    /// Viridis of the log count of points in each of `bins` x `bins` bins.
    Density(usize),
    /// Cluster palette of the majority label of each of [`SCATTER_BINS`]^2 bins.
    Labels(&'a [usize]),
}

struct ScatterGrid<'a> {
    scores: ArrayView2<'a, f64>,
    pairs: Vec<(usize, usize)>,
    colors: PointColors<'a>,
    title: &'a str,
    marked: Option<(f64, f64)>,
    axis_prefix: &'a str,
}

impl ScatterGrid<'_> {
    fn grid_shape(&self) -> (u32, u32) {
        let n = self.pairs.len() as u32;
        let cols = n.min(3);
        (cols, n.div_ceil(cols))
    }
}

impl Figure for ScatterGrid<'_> {
    fn size(&self) -> (u32, u32) {
        let (c, r) = self.grid_shape();
        (
            c * PANEL,
            r * PANEL
                + 50
                + if matches!(self.colors, PointColors::Labels(_)) {
                    40
                } else {
                    0
                },
        )
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let root = root.titled(self.title, caption_style())?;
        let (cols, rows) = self.grid_shape();
        let root = if let PointColors::Labels(labels) = self.colors {
            let (_, h) = root.dim_in_pixel();
            let (body, legend) = root.split_vertically(h - 40);
            draw_label_legend(&legend, labels)?;
            body
        } else {
            root
        };
        let panels = root.split_evenly((rows as usize, cols as usize));
        for (&(a, b), area) in self.pairs.iter().zip(&panels) {
            self.panel(area, a, b)?;
        }
        Ok(())
    }
}

impl ScatterGrid<'_> {
    fn panel<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, a: usize, b: usize) -> DrawResult<DB> {
        let xs = self.scores.column(a);
        let ys = self.scores.column(b);
        let (x0, x1) = padded_extent(xs.iter().copied());
        let (y0, y1) = padded_extent(ys.iter().copied());
        let mut chart = ChartBuilder::on(area)
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(50)
            .build_cartesian_2d(x0..x1, y0..y1)?;
        let name = |i: usize| format!("{}{}", self.axis_prefix, i + 1);
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(name(a))
            .y_desc(name(b))
            .x_labels(5)
            .y_labels(5)
            .label_style(font(11.0))
            .axis_desc_style(font(13.0))
            .draw()?;
        // One pass over the points into a fixed raster, then one rectangle per non-empty bin:
        // O(n + bins) time, O(bins) memory (O(bins x k) for labels), whatever n is.
        let bins = match self.colors {
            PointColors::Density(bins) => bins,
            PointColors::Labels(_) => SCATTER_BINS,
        };
        let bin_of = |i: usize| {
            let bx = binning::bin_index(xs[i], (x0, x1), bins)?;
            let by = binning::bin_index(ys[i], (y0, y1), bins)?;
            Some(by * bins + bx)
        };
        let (dx, dy) = ((x1 - x0) / bins as f64, (y1 - y0) / bins as f64);
        let rect = |b: usize, color: RGBColor| {
            let (bx, by) = (b % bins, b / bins);
            let (xa, ya) = (x0 + bx as f64 * dx, y0 + by as f64 * dy);
            Rectangle::new([(xa, ya), (xa + dx, ya + dy)], color.filled())
        };
        match self.colors {
            PointColors::Density(_) => {
                let counts = binning::bin_counts(bins * bins, (0..xs.len()).map(bin_of));
                let max = counts.iter().copied().max().unwrap_or(1).max(2) as f64;
                chart.draw_series(counts.iter().enumerate().filter(|&(_, &c)| c > 0).map(|(b, &c)| {
                    let t = (c as f64).ln() / max.ln();
                    rect(b, Colormap::Viridis.color(t))
                }))?;
            }
            PointColors::Labels(labels) => {
                let k = labels.iter().max().map_or(0, |&m| m + 1);
                let counts = LabelCounts::new(
                    bins * bins,
                    k,
                    (0..xs.len()).filter_map(|i| Some((bin_of(i)?, labels[i]))),
                );
                chart.draw_series(
                    (0..bins * bins).filter_map(|b| counts.majority(b).map(|l| rect(b, cluster_color(l)))),
                )?;
            }
        }
        if let Some(p) = self.marked {
            chart.draw_series(std::iter::once(Cross::new(p, 10, RED.stroke_width(4))))?;
        }
        Ok(())
    }
}

fn draw_label_legend<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, labels: &[usize]) -> DrawResult<DB> {
    let mut present = vec![false; labels.iter().max().map_or(0, |&m| m + 1)];
    for &l in labels {
        present[l] = true;
    }
    let ids: Vec<usize> = (0..present.len()).filter(|&l| present[l]).collect();
    for (k, id) in ids.iter().enumerate() {
        let x = 20 + k as i32 * 70;
        area.draw(&Circle::new((x, 18), 7, cluster_color(*id).filled()))?;
        area.draw(&Text::new(format!("{id}"), (x + 12, 10), font(14.0)))?;
    }
    Ok(())
}

fn scatter_pairs(path: &Path, scores: &ArrayView2<f64>, max_pairs: usize) -> Result<Vec<(usize, usize)>, PlotError> {
    if scores.ncols() < 2 || scores.nrows() == 0 || max_pairs == 0 {
        return Err(PlotError::figure(
            path,
            "scatter grid needs at least 2 components, 1 sample and 1 panel",
        ));
    }
    Ok((0..scores.ncols() - 1).take(max_pairs).map(|i| (i, i + 1)).collect())
}

/// Panels of component i+1 against component i for the first `max_pairs` pairs, drawn as a
/// `bins` x `bins` 2-D histogram (like `numpy.histogram2d` over the padded data range): each
/// non-empty bin is a rectangle coloured (viridis) by `ln(count) / ln(max count)` (Fig. 12).
/// One pass over the points: O(n + bins^2) time, O(bins^2) memory, so millions of points draw
/// as fast as thousands.
pub fn density_scatter_grid(
    path: &Path,
    scores: ArrayView2<f64>,
    max_pairs: usize,
    bins: usize,
    title: &str,
) -> Result<(), PlotError> {
    density_scatter_grid_axes(path, scores, max_pairs, bins, title, "PC")
}

/// [`density_scatter_grid`] with axes named `{axis_prefix}1`, `{axis_prefix}2`, ... (e.g. `z`
/// for latent coordinates).
pub fn density_scatter_grid_axes(
    path: &Path,
    scores: ArrayView2<f64>,
    max_pairs: usize,
    bins: usize,
    title: &str,
    axis_prefix: &str,
) -> Result<(), PlotError> {
    let pairs = scatter_pairs(path, &scores, max_pairs)?;
    if bins == 0 {
        return Err(PlotError::figure(path, "density scatter needs bins > 0"));
    }
    let fig = ScatterGrid {
        scores,
        pairs,
        colors: PointColors::Density(bins),
        title,
        marked: None,
        axis_prefix,
    };
    render_png(path, &fig)
}

/// Panels of component i+1 against component i coloured by cluster label (study Fig. 15): a
/// [`SCATTER_BINS`] x [`SCATTER_BINS`] 2-D histogram per panel, each non-empty bin in the colour
/// of its majority cluster (ties: the lowest id). O(n + bins^2 x k) time and memory.
pub fn pc_scatter_clusters(
    path: &Path,
    scores: ArrayView2<f64>,
    labels: &[usize],
    max_pairs: usize,
    title: &str,
) -> Result<(), PlotError> {
    let pairs = scatter_pairs(path, &scores, max_pairs)?;
    if labels.len() != scores.nrows() {
        return Err(PlotError::figure(
            path,
            format!("{} labels for {} samples", labels.len(), scores.nrows()),
        ));
    }
    let fig = ScatterGrid {
        scores,
        pairs,
        colors: PointColors::Labels(labels),
        title,
        marked: None,
        axis_prefix: "PC",
    };
    render_png(path, &fig)
}

/// 2-D latent points (`points` n x 2) coloured by class, with an optional red cross at `marked`
/// (study Figs. 16, 17, 30): binned like [`pc_scatter_clusters`], majority class per bin.
pub fn latent_scatter(
    path: &Path,
    points: ArrayView2<f64>,
    classes: &[usize],
    marked: Option<(f64, f64)>,
    title: &str,
) -> Result<(), PlotError> {
    if points.ncols() != 2 || points.nrows() == 0 || classes.len() != points.nrows() {
        return Err(PlotError::figure(
            path,
            "latent scatter needs n x 2 points and one class per point",
        ));
    }
    let fig = ScatterGrid {
        scores: points,
        pairs: vec![(0, 1)],
        colors: PointColors::Labels(classes),
        title,
        marked,
        axis_prefix: "z",
    };
    render_png(path, &fig)
}

struct ClassScatter<'a> {
    points: ArrayView2<'a, f64>,
    classes: &'a [usize],
    marked: Option<(f64, f64)>,
    text: &'a ChartText,
}

impl Figure for ClassScatter<'_> {
    fn size(&self) -> (u32, u32) {
        (820, 760)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let (_, h) = root.dim_in_pixel();
        let (body, legend) = root.split_vertically(h - 40);
        draw_label_legend(&legend.margin(0, 0, 30, 0), self.classes)?;
        let (xs, ys) = (self.points.column(0), self.points.column(1));
        let (x0, x1) = padded_extent(xs.iter().copied());
        let (y0, y1) = padded_extent(ys.iter().copied());
        let mut chart = plain_axes(&body, self.text, (x0, x1), (y0, y1))?;
        chart.draw_series(
            (0..xs.len())
                .filter(|&i| xs[i].is_finite() && ys[i].is_finite())
                .map(|i| Circle::new((xs[i], ys[i]), 2, cluster_color(self.classes[i]).mix(0.7).filled())),
        )?;
        if let Some(p) = self.marked {
            chart.draw_series(std::iter::once(Cross::new(p, 12, RED.stroke_width(4))))?;
        }
        Ok(())
    }
}

/// A large single 2-D scatter (`points` n x 2) coloured by class with a one-row legend of all
/// classes, axis labels and an optional red cross (study Figs. 16-17 on ten MNIST digits).
pub fn class_scatter(
    path: &Path,
    points: ArrayView2<f64>,
    classes: &[usize],
    marked: Option<(f64, f64)>,
    text: &ChartText,
) -> Result<(), PlotError> {
    if points.ncols() != 2 || points.nrows() == 0 || classes.len() != points.nrows() {
        return Err(PlotError::figure(
            path,
            "class scatter needs n x 2 points and one class per point",
        ));
    }
    render_png(
        path,
        &ClassScatter {
            points,
            classes,
            marked,
            text,
        },
    )
}
