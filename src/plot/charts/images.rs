//! Raster figures: image grids (MNIST digits) and scalar heat fields (study Fig. 22).

use super::{ChartText, plain_axes};
use crate::plot::PlotError;
use crate::plot::colormap::Colormap;
use crate::plot::map::draw_colorbar;
use crate::plot::render::{DrawResult, Figure, font, render_png};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

struct ImageGrid<'a> {
    images: &'a [Vec<f64>],
    shape: (usize, usize),
    n_cols: usize,
    scale: u32,
    titles: &'a [String],
}

impl Figure for ImageGrid<'_> {
    fn size(&self) -> (u32, u32) {
        let (w, h) = (self.shape.0 as u32 * self.scale, self.shape.1 as u32 * self.scale);
        let rows = self.images.len().div_ceil(self.n_cols) as u32;
        let title_h = if self.titles.is_empty() { 0 } else { 22 };
        (self.n_cols as u32 * (w + 8) + 8, rows * (h + 8 + title_h) + 8)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let (w, h) = (self.shape.0 as i32, self.shape.1 as i32);
        let s = self.scale as i32;
        let title_h = if self.titles.is_empty() { 0 } else { 22 };
        for (k, img) in self.images.iter().enumerate() {
            let (gx, gy) = ((k % self.n_cols) as i32, (k / self.n_cols) as i32);
            let (ox, oy) = (8 + gx * (w * s + 8), 8 + gy * (h * s + 8 + title_h) + title_h);
            if let Some(t) = self.titles.get(k) {
                root.draw(&Text::new(t.clone(), (ox, oy - title_h + 2), font(14.0)))?;
            }
            for (i, &v) in img.iter().enumerate() {
                let g = (v.clamp(0.0, 1.0) * 255.0).round() as u8;
                let (x, y) = (ox + (i as i32 % w) * s, oy + (i as i32 / w) * s);
                root.draw(&Rectangle::new([(x, y), (x + s, y + s)], RGBColor(g, g, g).filled()))?;
            }
        }
        Ok(())
    }
}

/// Grayscale images (each `width * height` values row-major, 0 = black .. 1 = white) in a grid
/// of `n_cols` columns, each pixel drawn `scale` x `scale`, optional titles (study Fig. 18).
pub fn image_grid(
    path: &Path,
    images: &[Vec<f64>],
    (width, height): (usize, usize),
    n_cols: usize,
    scale: u32,
    titles: &[String],
) -> Result<(), PlotError> {
    if images.is_empty() || n_cols == 0 || scale == 0 || width == 0 || height == 0 {
        return Err(PlotError::figure(
            path,
            "image grid needs images, columns, a scale and a shape",
        ));
    }
    if let Some(k) = images.iter().position(|im| im.len() != width * height) {
        return Err(PlotError::figure(
            path,
            format!("image {k} has {} values, expected {width} x {height}", images[k].len()),
        ));
    }
    render_png(
        path,
        &ImageGrid {
            images,
            shape: (width, height),
            n_cols: n_cols.min(images.len()),
            scale,
            titles,
        },
    )
}

struct HeatField<'a> {
    values: &'a [f64],
    shape: (usize, usize),
    x_range: (f64, f64),
    y_range: (f64, f64),
    vrange: (f64, f64),
    colormap: Colormap,
    units: &'a str,
    marked: Option<(f64, f64)>,
    text: &'a ChartText,
}

impl Figure for HeatField<'_> {
    fn size(&self) -> (u32, u32) {
        (780, 640)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let (main, bar) = root.split_horizontally(660);
        let (nx, ny) = self.shape;
        let (x0, x1) = self.x_range;
        let (y0, y1) = self.y_range;
        let mut chart = plain_axes(&main, self.text, (x0, x1), (y0, y1))?;
        let (dx, dy) = ((x1 - x0) / nx as f64, (y1 - y0) / ny as f64);
        let (vmin, vmax) = self.vrange;
        chart.draw_series((0..nx * ny).filter(|&k| self.values[k].is_finite()).map(|k| {
            let (i, j) = (k / nx, k % nx);
            let (xa, ya) = (x0 + j as f64 * dx, y0 + i as f64 * dy);
            let color = self.colormap.color((self.values[k] - vmin) / (vmax - vmin));
            Rectangle::new([(xa, ya), (xa + dx, ya + dy)], color.filled())
        }))?;
        if let Some(p) = self.marked {
            chart.draw_series(std::iter::once(Cross::new(p, 10, RED.stroke_width(4))))?;
        }
        draw_colorbar(&bar.margin(50, 50, 0, 5), self.colormap, vmin, vmax, self.units)
    }
}

/// A scalar field on a regular 2-D grid (`values[i * n_x + j]` at x bin j, y bin i, row 0 at
/// the bottom) with a colour bar, e.g. the decoder's gradient magnitude over the latent plane
/// (study Fig. 22), with an optional red cross.
#[allow(clippy::too_many_arguments)]
pub fn heat_field(
    path: &Path,
    values: &[f64],
    (n_x, n_y): (usize, usize),
    x_range: (f64, f64),
    y_range: (f64, f64),
    colormap: Colormap,
    units: &str,
    marked: Option<(f64, f64)>,
    text: &ChartText,
) -> Result<(), PlotError> {
    if n_x == 0 || n_y == 0 || values.len() != n_x * n_y {
        return Err(PlotError::figure(
            path,
            format!("{} values for a {n_x} x {n_y} field", values.len()),
        ));
    }
    let ranges_ok = x_range.0.is_finite() && y_range.0.is_finite() && x_range.0 < x_range.1 && y_range.0 < y_range.1;
    if !ranges_ok || !x_range.1.is_finite() || !y_range.1.is_finite() {
        return Err(PlotError::figure(path, "field ranges must be finite with min < max"));
    }
    let (lo, hi) = values
        .iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    if !lo.is_finite() {
        return Err(PlotError::figure(path, "field has no finite value"));
    }
    let vrange = if hi > lo { (lo, hi) } else { (lo - 0.5, lo + 0.5) };
    let fig = HeatField {
        values,
        shape: (n_x, n_y),
        x_range,
        y_range,
        vrange,
        colormap,
        units,
        marked,
        text,
    };
    render_png(path, &fig)
}
