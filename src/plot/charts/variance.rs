//! PCA explained variance ratio and its cumulative sum (study Fig. 10).

use super::caption_style;
use crate::plot::PlotError;
use crate::plot::render::{DrawResult, Figure, check_finite, font, render};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

struct Variance<'a> {
    ratios: &'a [f64],
    threshold: Option<f64>,
    title: &'a str,
}

impl Figure for Variance<'_> {
    fn size(&self) -> (u32, u32) {
        ((self.ratios.len() as u32 * 60).max(560) + 120, 500)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let n = self.ratios.len();
        let mut chart = ChartBuilder::on(root)
            .caption(self.title, caption_style())
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(70)
            .build_cartesian_2d(0.4..n as f64 + 0.6, 0.0..1.05)?;
        let integer_label = |v: &f64| {
            if (v - v.round()).abs() < 1e-9 && *v >= 1.0 {
                format!("PC{v:.0}")
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_desc("principal component")
            .y_desc("explained variance ratio")
            .x_labels(n + 2)
            .x_label_formatter(&integer_label)
            .label_style(font(13.0))
            .axis_desc_style(font(14.0))
            .draw()?;
        let bar = RGBColor(0x4e, 0x79, 0xa7);
        chart
            .draw_series(self.ratios.iter().enumerate().map(|(i, &r)| {
                let x = i as f64 + 1.0;
                Rectangle::new([(x - 0.35, 0.0), (x + 0.35, r)], bar.filled())
            }))?
            .label("per component")
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 15, y + 5)], bar.filled()));
        let cumulative: Vec<(f64, f64)> = self
            .ratios
            .iter()
            .scan(0.0, |acc, &r| {
                *acc += r;
                Some(*acc)
            })
            .enumerate()
            .map(|(i, c)| (i as f64 + 1.0, c))
            .collect();
        let line = RGBColor(0xe1, 0x57, 0x59);
        chart
            .draw_series(LineSeries::new(cumulative.clone(), line.stroke_width(2)))?
            .label("cumulative")
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 15, y)], line.stroke_width(2)));
        chart.draw_series(cumulative.iter().map(|&p| Circle::new(p, 4, line.filled())))?;
        if let Some(t) = self.threshold {
            chart
                .draw_series(DashedLineSeries::new(
                    [(0.4, t), (n as f64 + 0.6, t)],
                    6,
                    4,
                    BLACK.stroke_width(1),
                ))?
                .label(format!("{:.0} %", t * 100.0))
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 15, y)], BLACK));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::MiddleRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font(font(13.0))
            .draw()
    }
}

/// PCA explained variance ratio per component as bars with the cumulative ratio as a line and
/// an optional dashed threshold such as 0.95 (study Fig. 10).
pub fn explained_variance(path: &Path, ratios: &[f64], threshold: Option<f64>, title: &str) -> Result<(), PlotError> {
    if ratios.is_empty() {
        return Err(PlotError::figure(path, "no explained variance ratio to plot"));
    }
    check_finite(path, "explained variance ratios", ratios)?;
    render(
        path,
        &Variance {
            ratios,
            threshold,
            title,
        },
    )
}
