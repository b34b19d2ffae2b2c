//! Histograms of samples and of principal components (study Figs. 11, 20, 27).

use super::{ChartText, HistSeries, caption_style, padded_extent};
use crate::plot::PlotError;
use crate::plot::colormap::cluster_color;
use crate::plot::render::{DrawResult, Figure, font, render};
use ndarray::ArrayView2;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// Probability density of `values` over `bins` equal bins spanning `lo..hi`.
fn density(values: &[f64], lo: f64, hi: f64, bins: usize) -> Vec<f64> {
    let mut counts = vec![0usize; bins];
    let width = (hi - lo) / bins as f64;
    let mut total = 0usize;
    for &v in values.iter().filter(|v| v.is_finite()) {
        let b = (((v - lo) / width).floor() as isize).clamp(0, bins as isize - 1) as usize;
        counts[b] += 1;
        total += 1;
    }
    counts
        .iter()
        .map(|&c| c as f64 / (total.max(1) as f64 * width))
        .collect()
}

struct Histograms<'a> {
    series: Vec<(String, &'a [f64])>,
    bins: usize,
    text: ChartText,
}

impl Figure for Histograms<'_> {
    fn size(&self) -> (u32, u32) {
        (900, 540)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let (lo, hi) = padded_extent(self.series.iter().flat_map(|s| s.1.iter().copied()));
        let densities: Vec<Vec<f64>> = self.series.iter().map(|s| density(s.1, lo, hi, self.bins)).collect();
        let top = densities
            .iter()
            .flatten()
            .fold(0.0f64, |a, &b| a.max(b))
            .max(f64::MIN_POSITIVE)
            * 1.05;
        let mut chart = ChartBuilder::on(root)
            .caption(&self.text.title, caption_style())
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(80)
            .build_cartesian_2d(lo..hi, 0.0..top)?;
        chart
            .configure_mesh()
            .x_desc(&self.text.x_label)
            .y_desc(if self.text.y_label.is_empty() {
                "density"
            } else {
                &self.text.y_label
            })
            .label_style(font(13.0))
            .axis_desc_style(font(14.0))
            .draw()?;
        let width = (hi - lo) / self.bins as f64;
        for (k, (d, (name, _))) in densities.iter().zip(&self.series).enumerate() {
            let color = cluster_color(k);
            chart.draw_series(d.iter().enumerate().map(|(b, &v)| {
                let x = lo + b as f64 * width;
                Rectangle::new([(x, 0.0), (x + width, v)], color.mix(0.3).filled())
            }))?;
            let step: Vec<(f64, f64)> = d
                .iter()
                .enumerate()
                .flat_map(|(b, &v)| [(lo + b as f64 * width, v), (lo + (b + 1) as f64 * width, v)])
                .collect();
            chart
                .draw_series(LineSeries::new(step, color.stroke_width(2)))?
                .label(name.as_str())
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 15, y + 5)], color.filled()));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font(font(13.0))
            .draw()
    }
}

/// Overlaid density histograms of one or more samples on shared bins (study Figs. 19, 20, 27).
pub fn histogram(path: &Path, series: &[HistSeries], bins: usize, text: &ChartText) -> Result<(), PlotError> {
    if series.is_empty() || bins == 0 || series.iter().all(|s| s.values.iter().all(|v| !v.is_finite())) {
        return Err(PlotError::figure(
            path,
            "histogram needs bins > 0 and at least one finite value",
        ));
    }
    let series = series.iter().map(|s| (s.name.to_string(), s.values)).collect();
    render(
        path,
        &Histograms {
            series,
            bins,
            text: text.clone(),
        },
    )
}

/// Overlaid density histograms of every column of `scores` (samples x components), labelled
/// PC1, PC2, ... (study Fig. 11).
pub fn component_histograms(path: &Path, scores: ArrayView2<f64>, bins: usize, title: &str) -> Result<(), PlotError> {
    if scores.ncols() == 0 || scores.nrows() == 0 || bins == 0 {
        return Err(PlotError::figure(
            path,
            "component histograms need samples, components and bins > 0",
        ));
    }
    let columns: Vec<Vec<f64>> = scores.columns().into_iter().map(|c| c.to_vec()).collect();
    let series = columns
        .iter()
        .enumerate()
        .map(|(i, c)| (format!("PC{}", i + 1), c.as_slice()))
        .collect();
    let text = ChartText::new(title, "component score", "density");
    render(path, &Histograms { series, bins, text })
}
