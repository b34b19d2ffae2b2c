//! Parallel coordinates of cluster centres (Inselberg 1985): one vertical axis per variable, one
//! polyline per cluster in its map colour, so what sets each cluster apart reads at a glance.

use super::{caption_style, padded_extent};
use crate::plot::PlotError;
use crate::plot::colormap::cluster_color;
use crate::plot::render::{DrawResult, Figure, font, render};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// One cluster's polyline: its id (its colour is [`cluster_color`]`(id)`), its legend text and
/// one value per variable.
#[derive(Debug, Clone, PartialEq)]
pub struct ParallelLine {
    pub id: usize,
    pub label: String,
    pub values: Vec<f64>,
}

struct Parallel<'a> {
    variables: &'a [String],
    lines: &'a [ParallelLine],
    title: &'a str,
    y_label: &'a str,
}

impl Figure for Parallel<'_> {
    fn size(&self) -> (u32, u32) {
        (1000, 560)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let d = self.variables.len();
        let (y0, y1) = padded_extent(self.lines.iter().flat_map(|l| l.values.iter().copied()).chain([0.0]));
        let x1 = (d.max(2) - 1) as f64;
        let mut chart = ChartBuilder::on(root)
            .caption(self.title, caption_style())
            .margin(15)
            .x_label_area_size(60)
            .y_label_area_size(70)
            .build_cartesian_2d(-0.25..x1 + 0.25, y0..y1)?;
        let names = self.variables;
        // One tick per variable axis: the labels sit on whole x values only.
        let label = |x: &f64| {
            let i = x.round();
            if (x - i).abs() < 1e-6 && i >= 0.0 {
                names.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(d.max(2))
            .x_label_formatter(&label)
            .y_desc(self.y_label)
            .label_style(font(12.0))
            .axis_desc_style(font(14.0))
            .draw()?;
        for i in 0..d {
            chart.draw_series(LineSeries::new(
                [(i as f64, y0), (i as f64, y1)],
                BLACK.mix(0.35).stroke_width(1),
            ))?;
        }
        chart.draw_series(LineSeries::new([(-0.25, 0.0), (x1 + 0.25, 0.0)], BLACK.mix(0.6)))?;
        for line in self.lines {
            let color = cluster_color(line.id);
            let points: Vec<(f64, f64)> = line
                .values
                .iter()
                .enumerate()
                .filter(|(_, v)| v.is_finite())
                .map(|(i, &v)| (i as f64, v))
                .collect();
            chart
                .draw_series(LineSeries::new(points.clone(), color.stroke_width(3)))?
                .label(line.label.as_str())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(3)));
            chart.draw_series(points.into_iter().map(|p| Circle::new(p, 3, color.filled())))?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font(font(12.0))
            .draw()
    }
}

/// Parallel coordinates of `lines` over `variables` (one value per variable each), e.g. the
/// clusters' standardized centres; an error when there is no variable or no finite value.
pub fn parallel_coordinates(
    path: &Path,
    variables: &[String],
    lines: &[ParallelLine],
    title: &str,
    y_label: &str,
) -> Result<(), PlotError> {
    if variables.is_empty() {
        return Err(PlotError::figure(
            path,
            "parallel coordinates need at least one variable",
        ));
    }
    if let Some(l) = lines.iter().find(|l| l.values.len() != variables.len()) {
        return Err(PlotError::figure(
            path,
            format!(
                "cluster {} has {} values for {} variables",
                l.id,
                l.values.len(),
                variables.len()
            ),
        ));
    }
    if !lines.iter().flat_map(|l| &l.values).any(|v| v.is_finite()) {
        return Err(PlotError::figure(path, "parallel coordinates have no finite value"));
    }
    render(
        path,
        &Parallel {
            variables,
            lines,
            title,
            y_label,
        },
    )
}
