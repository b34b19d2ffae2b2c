//! Correlation heatmap (study Fig. 4).

use super::{CENTER, caption_style};
use crate::plot::PlotError;
use crate::plot::colormap::Colormap;
use crate::plot::map::draw_colorbar;
use crate::plot::render::{DrawResult, Figure, check_finite, font, render};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;

struct Heatmap<'a, S> {
    names: &'a [S],
    matrix: &'a [f64],
    title: &'a str,
    cell: u32,
}

impl<S: AsRef<str>> Figure for Heatmap<'_, S> {
    fn size(&self) -> (u32, u32) {
        let n = self.names.len() as u32;
        (n * self.cell + 130 + 130, n * self.cell + 60 + 110)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let n = self.names.len();
        let (w, _) = self.size();
        let (main, bar) = root.split_horizontally(w - 130);
        let mut chart = ChartBuilder::on(&main)
            .caption(self.title, caption_style())
            .margin(10)
            .x_label_area_size(70)
            .y_label_area_size(110)
            .build_cartesian_2d(0.0..n as f64, 0.0..n as f64)?;
        chart.configure_mesh().disable_mesh().x_labels(0).y_labels(0).draw()?;
        let text_size = (self.cell as f64 * 0.22).clamp(9.0, 16.0);
        // Row i is drawn at y = n - 1 - i so that the first variable is at the top.
        for i in 0..n {
            for j in 0..n {
                let r = self.matrix[i * n + j];
                let color = Colormap::Coolwarm.color((r + 1.0) / 2.0);
                let (x, y) = (j as f64, (n - 1 - i) as f64);
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x, y), (x + 1.0, y + 1.0)],
                    color.filled(),
                )))?;
                let luminance = 0.299 * color.0 as f64 + 0.587 * color.1 as f64 + 0.114 * color.2 as f64;
                let ink = if luminance < 110.0 { WHITE } else { BLACK };
                let style = font(text_size).color(&ink).pos(CENTER);
                chart.draw_series(std::iter::once(Text::new(format!("{r:.2}"), (x + 0.5, y + 0.5), style)))?;
            }
        }
        for (k, name) in self.names.iter().enumerate() {
            let name = name.as_ref().to_string();
            let (x, y) = chart.backend_coord(&(k as f64 + 0.5, 0.0));
            let below = font(14.0).pos(Pos::new(HPos::Center, VPos::Top));
            main.draw(&Text::new(name.clone(), (x, y + 8), below))?;
            let (x, y) = chart.backend_coord(&(0.0, (n - 1 - k) as f64 + 0.5));
            let left = font(14.0).pos(Pos::new(HPos::Right, VPos::Center));
            main.draw(&Text::new(name, (x - 8, y), left))?;
        }
        let bar = bar.margin(50, 90, 10, 10);
        draw_colorbar(&bar, Colormap::Coolwarm, -1.0, 1.0, "correlation")
    }
}

/// Correlation matrix (`matrix` row-major n x n, values in -1..1) as a coolwarm heatmap with
/// every coefficient written in its cell (study Fig. 4).
pub fn correlation_heatmap<S: AsRef<str>>(
    path: &Path,
    names: &[S],
    matrix: &[f64],
    title: &str,
) -> Result<(), PlotError> {
    let n = names.len();
    if n == 0 || matrix.len() != n * n {
        return Err(PlotError::figure(
            path,
            format!("correlation matrix has {} values for {n} names", matrix.len()),
        ));
    }
    check_finite(path, "correlation matrix", matrix)?;
    let cell = (640 / n as u32).clamp(28, 90);
    render(
        path,
        &Heatmap {
            names,
            matrix,
            title,
            cell,
        },
    )
}
