//! Maps of grid values and cluster labels over the Blue Marble, drawn as one RGB raster
//! (background, cells, coastlines) with plotters axes, title and legend around it.

use super::PlotError;
use super::binning::{self, LabelCounts};
use super::colormap::Colormap;
use super::geo::{
    GridGeometry, MapKind, MapLayout, MapOptions, Raster, X_LABELS, Y_LABELS, background, coastlines, draw_coastlines,
};
use super::palette::palette_by_id;
use super::render::{DrawResult, draw_on_buffer, ensure_font, ensure_png_path, font, write_png};
use crate::dataset::Cell;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// One line of a cluster map's legend.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterLegend {
    /// Cluster id (its colour is the map's colour of that id).
    pub id: usize,
    /// Number of cells in the cluster.
    pub size: usize,
    pub mean_ndvi: Option<f64>,
    pub name: Option<String>,
}

/// Map one value per selected cell (`cells[i]` holds `values[i]`, NaN = missing, shown as
/// background) on a grid of shape `geometry` with `colormap` over `opts.value_range` (default:
/// 1st..99th percentile, see [`binning::robust_range`]) and a colour bar in `units`.
///
/// Cells larger than pixels are looked up per pixel (each pixel shows its cell); where cells are
/// smaller than pixels a pixel shows the mean of the cells whose centres fall in it. Time
/// O(cells + pixels), memory O(pixels): no full-grid array is needed.
#[allow(clippy::too_many_arguments)]
pub fn variable_map(
    path: &Path,
    geometry: &GridGeometry,
    cells: &[Cell],
    values: &[f64],
    title: &str,
    units: &str,
    colormap: Colormap,
    opts: &MapOptions,
) -> Result<(), PlotError> {
    let layout = prepare(path, geometry, cells, values.len(), opts, MapKind::Variable)?;
    let (vmin, vmax) = match opts.value_range {
        Some(range) => range,
        None => binning::robust_range(values, 0.01, 0.99)
            .ok_or_else(|| PlotError::figure(path, "no finite value to map"))?,
    };
    let bins = MapBins::new(geometry, &layout);
    let means = binning::bin_mean(
        bins.len(),
        cells
            .iter()
            .zip(values)
            .filter_map(|(c, &v)| Some((bins.of_cell(c)?, v))),
    );
    let color_of = |bin: usize| {
        let v = means[bin];
        (!v.is_nan()).then(|| colormap.color((v - vmin) / (vmax - vmin)))
    };
    let raster = map_raster(&bins, &layout, opts, color_of)?;
    let legend = |root: &DrawingArea<BitMapBackend, Shift>| {
        let area = legend_area(root, &layout);
        draw_colorbar(&area, colormap, vmin, vmax, units)
    };
    finish_map(path, &layout, raster, title, legend)
}

/// Map the cluster label of each selected cell (`cells[i]` in cluster `labels[i]`, drawn in
/// [`super::colormap::cluster_color`]`(labels[i])`; cells not listed show the background) with a legend
/// of cluster sizes and mean NDVI: [`cluster_map_colored`] with the palette by id.
///
/// Cells larger than pixels are looked up per pixel; where cells are smaller than pixels a pixel
/// shows the majority cluster of the cells whose centres fall in it (ties: the lowest id). Time
/// O(cells + pixels), memory O(pixels x k).
pub fn cluster_map(
    path: &Path,
    geometry: &GridGeometry,
    cells: &[Cell],
    labels: &[usize],
    legend: &[ClusterLegend],
    title: &str,
    opts: &MapOptions,
) -> Result<(), PlotError> {
    let k = labels
        .iter()
        .chain(legend.iter().map(|e| &e.id))
        .max()
        .map_or(0, |&m| m + 1);
    cluster_map_colored(path, geometry, cells, labels, legend, &palette_by_id(k), title, opts)
}

/// [`cluster_map`] with cluster `i` drawn in `colors[i]` (e.g. the regions' colours of
/// [`super::palette::region_palette`]). A legend with more lines than fit lists the largest clusters
/// by cells and says how many more there are.
#[allow(clippy::too_many_arguments)]
pub fn cluster_map_colored(
    path: &Path,
    geometry: &GridGeometry,
    cells: &[Cell],
    labels: &[usize],
    legend: &[ClusterLegend],
    colors: &[RGBColor],
    title: &str,
    opts: &MapOptions,
) -> Result<(), PlotError> {
    if let Some(&id) = labels
        .iter()
        .chain(legend.iter().map(|e| &e.id))
        .find(|&&id| id >= colors.len())
    {
        let msg = format!("cluster {id} has no colour ({} colours given)", colors.len());
        return Err(PlotError::figure(path, msg));
    }
    let layout = prepare(path, geometry, cells, labels.len(), opts, MapKind::Cluster)?;
    let bins = MapBins::new(geometry, &layout);
    let k = labels.iter().max().map_or(0, |&m| m + 1);
    let counts = LabelCounts::new(
        bins.len(),
        k,
        cells
            .iter()
            .zip(labels)
            .filter_map(|(c, &l)| Some((bins.of_cell(c)?, l))),
    );
    let raster = map_raster(&bins, &layout, opts, |bin| counts.majority(bin).map(|l| colors[l]))?;
    let draw_legend = |root: &DrawingArea<BitMapBackend, Shift>| {
        let area = legend_area(root, &layout);
        draw_cluster_legend(&area, legend, colors)
    };
    finish_map(path, &layout, raster, title, draw_legend)
}

fn prepare(
    path: &Path,
    geometry: &GridGeometry,
    cells: &[Cell],
    n_values: usize,
    opts: &MapOptions,
    kind: MapKind,
) -> Result<MapLayout, PlotError> {
    ensure_png_path(path)?;
    opts.validate().map_err(|m| PlotError::figure(path, m))?;
    geometry.validate().map_err(|m| PlotError::figure(path, m))?;
    if n_values != cells.len() {
        let msg = format!("{n_values} values for {} cells", cells.len());
        return Err(PlotError::figure(path, msg));
    }
    if let Some((i, c)) = cells
        .iter()
        .enumerate()
        .find(|(_, c)| c.row >= geometry.n_rows || c.col >= geometry.n_cols)
    {
        let msg = format!(
            "cell {i} at row {}, column {} is outside the grid of {} x {} cells",
            c.row, c.col, geometry.n_rows, geometry.n_cols
        );
        return Err(PlotError::figure(path, msg));
    }
    Ok(MapLayout::new(opts, kind))
}

/// The bins a map aggregates cells into, one axis at a time: where a grid step spans at least
/// one pixel the bins are the grid columns (rows) in view and every pixel looks up the cell
/// under its centre (the look of a coarse grid); where cells are smaller than pixels the bins
/// are the pixels and each cell goes to the pixel holding its centre.
pub(crate) struct MapBins {
    /// Bin of each grid column / row (`None` out of view).
    col_bin: Vec<Option<u32>>,
    row_bin: Vec<Option<u32>>,
    /// Bin under each map-area pixel column / row.
    x_bin: Vec<Option<u32>>,
    y_bin: Vec<Option<u32>>,
    nx: usize,
    ny: usize,
}

/// One axis of [`MapBins`]: `(bin of each grid index, bin of each pixel, number of bins)`.
fn axis_bins(
    n_cells: usize,
    n_pixels: u32,
    cell_center: impl Fn(usize) -> f64,
    pixel_of: impl Fn(f64) -> f64,
    cell_of_pixel: impl Fn(u32) -> Option<usize>,
    cells_cover_pixels: bool,
) -> (Vec<Option<u32>>, Vec<Option<u32>>, usize) {
    if cells_cover_pixels {
        // Cells at least a pixel wide: bins = grid indices in view.
        let pixel_cell: Vec<Option<usize>> = (0..n_pixels).map(&cell_of_pixel).collect();
        let first = pixel_cell.iter().flatten().copied().min();
        let last = pixel_cell.iter().flatten().copied().max();
        let (Some(first), Some(last)) = (first, last) else {
            return (vec![None; n_cells], vec![None; n_pixels as usize], 0);
        };
        let cell_bin = (0..n_cells)
            .map(|i| (first..=last).contains(&i).then(|| (i - first) as u32))
            .collect();
        let pixel_bin = pixel_cell.iter().map(|c| c.map(|i| (i - first) as u32)).collect();
        (cell_bin, pixel_bin, last - first + 1)
    } else {
        // Cells smaller than pixels: bins = pixels, a cell in the pixel holding its centre.
        let cell_bin = (0..n_cells)
            .map(|i| {
                let p = pixel_of(cell_center(i)).floor();
                (p >= 0.0 && p < n_pixels as f64).then_some(p as u32)
            })
            .collect();
        let pixel_bin = (0..n_pixels).map(Some).collect();
        (cell_bin, pixel_bin, n_pixels as usize)
    }
}

impl MapBins {
    pub(crate) fn new(geometry: &GridGeometry, layout: &MapLayout) -> Self {
        let r = &layout.region;
        let px_per_lon = layout.plot_width as f64 / r.lon_span();
        let px_per_lat = layout.plot_height as f64 / r.lat_span();
        let (col_bin, x_bin, nx) = axis_bins(
            geometry.n_cols,
            layout.plot_width,
            |j| geometry.lon0_west + j as f64 * geometry.step_lon,
            |lon| layout.plot_xy(lon, 0.0).0,
            |x| geometry.col_of(layout.pixel_center(x, 0).0),
            geometry.step_lon * px_per_lon >= 1.0,
        );
        let (row_bin, y_bin, ny) = axis_bins(
            geometry.n_rows,
            layout.plot_height,
            |i| geometry.lat0_north - i as f64 * geometry.step_lat,
            |lat| layout.plot_xy(0.0, lat).1,
            |y| geometry.row_of(layout.pixel_center(0, y).1),
            geometry.step_lat * px_per_lat >= 1.0,
        );
        MapBins {
            col_bin,
            row_bin,
            x_bin,
            y_bin,
            nx,
            ny,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.nx * self.ny
    }

    /// The bin of a cell, `None` out of view.
    pub(crate) fn of_cell(&self, cell: &Cell) -> Option<usize> {
        let bx = (*self.col_bin.get(cell.col)?)? as usize;
        let by = (*self.row_bin.get(cell.row)?)? as usize;
        Some(by * self.nx + bx)
    }
}

/// Background, data bins (looked up per pixel, not drawn per cell) and coastlines.
fn map_raster<F>(bins: &MapBins, layout: &MapLayout, opts: &MapOptions, color_of: F) -> Result<Raster, PlotError>
where
    F: Fn(usize) -> Option<RGBColor>,
{
    let mut raster = Raster::from_background(background(layout)?.as_ref(), opts.dim);
    for (y, by) in bins.y_bin.iter().enumerate() {
        let Some(by) = by else { continue };
        for (x, bx) in bins.x_bin.iter().enumerate() {
            if let Some(bx) = bx
                && let Some(color) = color_of(*by as usize * bins.nx + *bx as usize)
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

/// Legend lines kept on a map whose legend area is `height` pixels high: every line while each
/// gets at least [`MIN_LEGEND_PITCH`] pixels, else the largest clusters (by cells, ties: the
/// smaller id) and the number of those left out, which one last line reports.
pub(crate) fn legend_lines(legend: &[ClusterLegend], height: u32) -> (Vec<&ClusterLegend>, usize) {
    let fit = (height as usize / MIN_LEGEND_PITCH as usize).max(2);
    if legend.len() <= fit {
        return (legend.iter().collect(), 0);
    }
    let mut largest: Vec<&ClusterLegend> = legend.iter().collect();
    largest.sort_by(|a, b| b.size.cmp(&a.size).then(a.id.cmp(&b.id)));
    largest.truncate(fit - 1);
    let left_out = legend.len() - largest.len();
    (largest, left_out)
}

/// The smallest line pitch of a map legend in pixels (text of 8 points).
const MIN_LEGEND_PITCH: u32 = 12;

/// Swatches with "id name (n cells, NDVI x)" lines; see [`legend_lines`] for a long legend.
fn draw_cluster_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    legend: &[ClusterLegend],
    colors: &[RGBColor],
) -> DrawResult<DB> {
    let (_, h) = area.dim_in_pixel();
    let (lines, left_out) = legend_lines(legend, h);
    let n_lines = lines.len() + usize::from(left_out > 0);
    let pitch = if n_lines == 0 {
        24
    } else {
        (h as i32 / n_lines as i32).clamp(8, 24)
    };
    let text_size = (pitch as f64 * 0.6).clamp(8.0, 14.0);
    let swatch = (pitch - 6).max(4);
    for (k, entry) in lines.iter().enumerate() {
        let y = k as i32 * pitch;
        let color = colors.get(entry.id).copied().unwrap_or(BLACK);
        area.draw(&Rectangle::new([(0, y), (swatch, y + swatch)], color.filled()))?;
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
    if left_out > 0 {
        let y = lines.len() as i32 * pitch;
        let line = format!("... and {left_out} smaller (every id in labels.nc)");
        area.draw(&Text::new(
            line,
            (0, y + (swatch - text_size as i32) / 2),
            font(text_size),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
#[path = "map_tests.rs"]
mod tests;
