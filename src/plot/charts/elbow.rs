//! Elbow curve with the knee and the silhouette per k (study Fig. 13).

use super::{caption_style, padded_extent};
use crate::plot::PlotError;
use crate::plot::render::{DrawResult, Figure, check_finite, font, render};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

struct Elbow<'a> {
    ks: &'a [usize],
    wcss: &'a [f64],
    knee: Option<usize>,
    silhouette: Option<&'a [f64]>,
    title: &'a str,
}

impl Figure for Elbow<'_> {
    fn size(&self) -> (u32, u32) {
        (820, if self.silhouette.is_some() { 820 } else { 480 })
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let root = root.titled(self.title, caption_style())?;
        let panels = if self.silhouette.is_some() {
            root.split_evenly((2, 1))
        } else {
            vec![root]
        };
        self.panel(&panels[0], self.wcss, "WCSS (within-cluster sum of squares)", BLUE)?;
        if let (Some(s), Some(area)) = (self.silhouette, panels.get(1)) {
            self.panel(area, s, "mean silhouette", RGBColor(0, 130, 60))?;
        }
        Ok(())
    }
}

impl Elbow<'_> {
    fn panel<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        ys: &[f64],
        name: &str,
        color: RGBColor,
    ) -> DrawResult<DB> {
        let (k0, k1) = padded_extent(self.ks.iter().map(|&k| k as f64));
        let (y0, y1) = padded_extent(ys.iter().copied());
        let mut chart = ChartBuilder::on(area)
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(80)
            .build_cartesian_2d(k0..k1, y0..y1)?;
        chart
            .configure_mesh()
            .x_desc("number of clusters k")
            .y_desc(name)
            .x_labels(self.ks.len().min(20))
            .x_label_formatter(&|v| format!("{v:.0}"))
            .label_style(font(13.0))
            .axis_desc_style(font(14.0))
            .draw()?;
        // Undefined values (the silhouette at k = 1) are left out, not drawn.
        let pts: Vec<(f64, f64)> = self
            .ks
            .iter()
            .zip(ys)
            .filter(|(_, y)| y.is_finite())
            .map(|(&k, &y)| (k as f64, y))
            .collect();
        chart.draw_series(LineSeries::new(pts.clone(), color.stroke_width(2)))?;
        chart.draw_series(pts.iter().map(|&p| Circle::new(p, 4, color.filled())))?;
        if let Some(knee) = self.knee
            && let Some(&(x, y)) = pts.iter().find(|p| p.0 == knee as f64)
        {
            chart.draw_series(DashedLineSeries::new([(x, y0), (x, y1)], 6, 4, RED.stroke_width(1)))?;
            chart.draw_series(std::iter::once(Circle::new((x, y), 9, RED.stroke_width(3))))?;
            let style = font(15.0).color(&RED);
            chart.draw_series(std::iter::once(Text::new(format!("k = {knee}"), (x, y1), style)))?;
        }
        Ok(())
    }
}

/// Elbow curve: WCSS per k with the knee marked, and the silhouette per k in a second panel
/// (study Fig. 13).
pub fn elbow_chart(
    path: &Path,
    ks: &[usize],
    wcss: &[f64],
    knee: Option<usize>,
    silhouette: Option<&[f64]>,
    title: &str,
) -> Result<(), PlotError> {
    if ks.is_empty() || wcss.len() != ks.len() || silhouette.is_some_and(|s| s.len() != ks.len()) {
        return Err(PlotError::figure(
            path,
            "elbow chart needs one WCSS (and silhouette) value per k",
        ));
    }
    check_finite(path, "WCSS", wcss)?;
    render(
        path,
        &Elbow {
            ks,
            wcss,
            knee,
            silhouette,
            title,
        },
    )
}
