//! Maps of grid values and cluster labels over the Blue Marble, drawn as one RGB raster
//! (background, cells, coastlines) with plotters axes, title and legend around it.

use super::PlotError;
use super::colormap::{Colormap, cluster_color};
use super::geo::{
    GridGeometry, MapKind, MapLayout, MapOptions, Raster, X_LABELS, Y_LABELS, background, coastlines, draw_coastlines,
};
use super::render::{DrawResult, draw_on_buffer, ensure_font, ensure_png_path, font, write_png};
use crate::dataset::Grid;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// One line of a cluster map's legend.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterLegend {
    /// Cluster id (its colour is [`cluster_color`]`(id)`).
    pub id: usize,
    /// Number of cells in the cluster.
    pub size: usize,
    pub mean_ndvi: Option<f64>,
    pub name: Option<String>,
}

/// Map a grid variable (`values` row-major on `grid`, NaN = missing, shown as background) with
/// `colormap` over `opts.value_range` (default: 1st..99th percentile) and a colour bar in `units`.
pub fn variable_map(
    path: &Path,
    grid: &Grid,
    values: &[f64],
    title: &str,
    units: &str,
    colormap: Colormap,
    opts: &MapOptions,
) -> Result<(), PlotError> {
    let (geometry, layout) = prepare(path, grid, values.len(), opts, MapKind::Variable)?;
    let (vmin, vmax) = match opts.value_range {
        Some(range) => range,
        None => robust_range(values).ok_or_else(|| PlotError::figure(path, "no finite value to map"))?,
    };
    let color_of = |cell: usize| {
        let v = values[cell];
        (!v.is_nan()).then(|| colormap.color((v - vmin) / (vmax - vmin)))
    };
    let raster = map_raster(&geometry, &layout, opts, color_of)?;
    let legend = |root: &DrawingArea<BitMapBackend, Shift>| {
        let area = legend_area(root, &layout);
        draw_colorbar(&area, colormap, vmin, vmax, units)
    };
    finish_map(path, &layout, raster, title, legend)
}

/// Map cluster labels (`None` = not clustered, shown as background), cluster `i` in
/// [`cluster_color`]`(i)`, with a legend of cluster sizes and mean NDVI.
pub fn cluster_map(
    path: &Path,
    grid: &Grid,
    labels: &[Option<usize>],
    legend: &[ClusterLegend],
    title: &str,
    opts: &MapOptions,
) -> Result<(), PlotError> {
    let (geometry, layout) = prepare(path, grid, labels.len(), opts, MapKind::Cluster)?;
    let raster = map_raster(&geometry, &layout, opts, |cell| labels[cell].map(cluster_color))?;
    let draw_legend = |root: &DrawingArea<BitMapBackend, Shift>| {
        let area = legend_area(root, &layout);
        draw_cluster_legend(&area, legend)
    };
    finish_map(path, &layout, raster, title, draw_legend)
}

fn prepare(
    path: &Path,
    grid: &Grid,
    n_values: usize,
    opts: &MapOptions,
    kind: MapKind,
) -> Result<(GridGeometry, MapLayout), PlotError> {
    ensure_png_path(path)?;
    opts.validate().map_err(|m| PlotError::figure(path, m))?;
    let geometry = GridGeometry::from_grid(grid).map_err(|m| PlotError::figure(path, m))?;
    if n_values != geometry.len() {
        let msg = format!(
            "{n_values} values for a grid of {} x {} cells",
            geometry.n_rows, geometry.n_cols
        );
        return Err(PlotError::figure(path, msg));
    }
    Ok((geometry, MapLayout::new(opts, kind)))
}

/// 1st and 99th percentiles of the finite values (min..max for tiny samples), widened if equal.
fn robust_range(values: &[f64]) -> Option<(f64, f64)> {
    let mut finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if finite.is_empty() {
        return None;
    }
    finite.sort_by(f64::total_cmp);
    let at = |q: f64| finite[((finite.len() - 1) as f64 * q).round() as usize];
    let (lo, hi) = (at(0.01), at(0.99));
    if hi > lo {
        Some((lo, hi))
    } else {
        Some((lo - 0.5, lo + 0.5))
    }
}

/// Background, data cells (looked up per pixel, not drawn per cell) and coastlines.
fn map_raster<F>(
    geometry: &GridGeometry,
    layout: &MapLayout,
    opts: &MapOptions,
    color_of: F,
) -> Result<Raster, PlotError>
where
    F: Fn(usize) -> Option<RGBColor>,
{
    let mut raster = Raster::from_background(background(layout)?.as_ref(), opts.dim);
    let cols: Vec<Option<usize>> = (0..layout.plot_width)
        .map(|x| geometry.col_of(layout.pixel_center(x, 0).0))
        .collect();
    for y in 0..layout.plot_height {
        let Some(row) = geometry.row_of(layout.pixel_center(0, y).1) else {
            continue;
        };
        for (x, col) in cols.iter().enumerate() {
            if let Some(col) = col
                && let Some(color) = color_of(row * geometry.n_cols + col)
            {
                raster.blend(x as i64, y as i64, color, opts.cell_alpha);
            }
        }
    }
    let arcs = coastlines(opts.coastlines, &layout.region)?;
    draw_coastlines(&mut raster, layout, arcs, opts.coastline_color);
    Ok(raster)
}

/// Paste the map raster into a white figure, draw axes, title and legend, write the PNG.
fn finish_map<L>(path: &Path, layout: &MapLayout, raster: Raster, title: &str, legend: L) -> Result<(), PlotError>
where
    L: for<'a, 'b> FnOnce(&'a DrawingArea<BitMapBackend<'b>, Shift>) -> DrawResult<BitMapBackend<'b>>,
{
    ensure_font()?;
    let (w, h) = (layout.width, layout.height);
    let mut rgb = vec![255u8; w as usize * h as usize * 3];
    let row_bytes = raster.width as usize * 3;
    for y in 0..raster.height as usize {
        let dst = ((layout.plot_top as usize + y) * w as usize + layout.plot_left as usize) * 3;
        rgb[dst..dst + row_bytes].copy_from_slice(&raster.rgb[y * row_bytes..(y + 1) * row_bytes]);
    }
    draw_on_buffer(&mut rgb, (w, h), |root| {
        draw_axes(root, layout)?;
        root.draw(&Text::new(title.to_string(), (layout.plot_left as i32, 12), font(22.0)))?;
        legend(root)
    })
    .map_err(|e| PlotError::figure(path, format!("drawing failed: {e}")))?;
    write_png(path, &rgb, (w, h))
}

fn lon_label(v: &f64) -> String {
    match *v {
        v if v > 0.0 => format!("{v:.0}°E"),
        v if v < 0.0 => format!("{:.0}°W", -v),
        _ => "0°".into(),
    }
}

fn lat_label(v: &f64) -> String {
    match *v {
        v if v > 0.0 => format!("{v:.0}°N"),
        v if v < 0.0 => format!("{:.0}°S", -v),
        _ => "0°".into(),
    }
}

/// Axes in degrees around the map area; the label areas are sized so the plotting area is
/// exactly the layout's map rectangle.
fn draw_axes<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, layout: &MapLayout) -> DrawResult<DB> {
    let r = &layout.region;
    let right = layout.width - layout.plot_left - layout.plot_width;
    let bottom = layout.height - layout.plot_top - layout.plot_height;
    let mut chart = ChartBuilder::on(root)
        .margin_top(layout.plot_top)
        .margin_right(right)
        .margin_left(layout.plot_left - Y_LABELS)
        .margin_bottom(bottom - X_LABELS)
        .x_label_area_size(X_LABELS)
        .y_label_area_size(Y_LABELS)
        .build_cartesian_2d(r.lon_min..r.lon_max, r.lat_min..r.lat_max)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(9)
        .y_labels(7)
        .x_label_formatter(&lon_label)
        .y_label_formatter(&lat_label)
        .label_style(font(14.0))
        .draw()
}

fn legend_area<'b>(
    root: &DrawingArea<BitMapBackend<'b>, Shift>,
    layout: &MapLayout,
) -> DrawingArea<BitMapBackend<'b>, Shift> {
    let left = (layout.plot_left + layout.plot_width + 20) as i32;
    root.clone().shrink(
        (left, layout.plot_top as i32),
        (layout.legend_width() - 20, layout.plot_height),
    )
}

/// A vertical colour bar over `vmin..vmax` with tick labels and the units.
pub(crate) fn draw_colorbar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    colormap: Colormap,
    vmin: f64,
    vmax: f64,
    units: &str,
) -> DrawResult<DB> {
    let mut chart = ChartBuilder::on(area)
        .margin_top(8)
        .margin_bottom(8)
        .set_label_area_size(LabelAreaPosition::Right, 75)
        .build_cartesian_2d(0.0..1.0, vmin..vmax)?;
    let steps = 256;
    let dv = (vmax - vmin) / steps as f64;
    chart.draw_series((0..steps).map(|i| {
        let v0 = vmin + i as f64 * dv;
        let color = colormap.color((i as f64 + 0.5) / steps as f64);
        Rectangle::new([(0.0, v0), (1.0, v0 + dv)], color.filled())
    }))?;
    chart
        .configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .y_labels(8)
        .y_desc(units)
        .label_style(font(13.0))
        .axis_desc_style(font(14.0))
        .draw()
}

/// Swatches with "id name (n cells, NDVI x)" lines.
fn draw_cluster_legend<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, legend: &[ClusterLegend]) -> DrawResult<DB> {
    let (_, h) = area.dim_in_pixel();
    let pitch = if legend.is_empty() {
        24
    } else {
        (h as i32 / legend.len() as i32).clamp(8, 24)
    };
    let text_size = (pitch as f64 * 0.6).clamp(8.0, 14.0);
    for (k, entry) in legend.iter().enumerate() {
        let y = k as i32 * pitch;
        let swatch = (pitch - 6).max(4);
        area.draw(&Rectangle::new(
            [(0, y), (swatch, y + swatch)],
            cluster_color(entry.id).filled(),
        ))?;
        area.draw(&Rectangle::new([(0, y), (swatch, y + swatch)], BLACK.stroke_width(1)))?;
        let name = entry.name.as_deref().map(|n| format!(" {n}")).unwrap_or_default();
        let ndvi = entry.mean_ndvi.map(|v| format!(", NDVI {v:.2}")).unwrap_or_default();
        let line = format!("{}{name} (n={}{ndvi})", entry.id, entry.size);
        area.draw(&Text::new(
            line,
            (swatch + 6, y + (swatch - text_size as i32) / 2),
            font(text_size),
        ))?;
    }
    Ok(())
}
