//! Line charts (training curves, TensorBoard-style histograms).

use super::{ChartText, Series, caption_style, padded_extent};
use crate::plot::PlotError;
use crate::plot::colormap::cluster_color;
use crate::plot::render::{DrawResult, Figure, font, render};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

struct Lines<'a> {
    series: &'a [Series],
    text: &'a ChartText,
}

impl Figure for Lines<'_> {
    fn size(&self) -> (u32, u32) {
        (900, 520)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let (x0, x1) = padded_extent(self.series.iter().flat_map(|s| s.points.iter().map(|p| p.0)));
        let (y0, y1) = padded_extent(self.series.iter().flat_map(|s| s.points.iter().map(|p| p.1)));
        let mut chart = ChartBuilder::on(root)
            .caption(&self.text.title, caption_style())
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(80)
            .build_cartesian_2d(x0..x1, y0..y1)?;
        chart
            .configure_mesh()
            .x_desc(&self.text.x_label)
            .y_desc(&self.text.y_label)
            .label_style(font(13.0))
            .axis_desc_style(font(14.0))
            .draw()?;
        for (k, s) in self.series.iter().enumerate() {
            let color = cluster_color(k);
            chart
                .draw_series(LineSeries::new(
                    s.points.iter().copied().filter(|p| p.0.is_finite() && p.1.is_finite()),
                    color.stroke_width(2),
                ))?
                .label(s.name.as_str())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(3)));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font(font(13.0))
            .draw()
    }
}

/// Named polylines on shared axes, e.g. training loss and R² per epoch (study Fig. 21).
pub fn line_chart(path: &Path, series: &[Series], text: &ChartText) -> Result<(), PlotError> {
    if series
        .iter()
        .all(|s| s.points.iter().all(|p| !(p.0.is_finite() && p.1.is_finite())))
    {
        return Err(PlotError::figure(path, "line chart has no finite point"));
    }
    render(path, &Lines { series, text })
}
