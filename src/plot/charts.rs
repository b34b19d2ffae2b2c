//! The study's diagnostic charts (correlation heatmap, dendrogram, elbow, PCA, scatter grids,
//! spectra, training curves, histograms, latent views), PNG or SVG by file extension.

use super::PlotError;
use super::colormap::{Colormap, cluster_color};
use super::map::draw_colorbar;
use super::render::{DrawResult, Figure, check_finite, font, render, render_png};
use ndarray::ArrayView2;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;

/// Title and axis labels of a chart.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChartText {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
}

impl ChartText {
    pub fn new(title: &str, x_label: &str, y_label: &str) -> Self {
        ChartText {
            title: title.into(),
            x_label: x_label.into(),
            y_label: y_label.into(),
        }
    }
}

/// A named polyline for [`line_chart`].
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
}

/// A named sample for [`histogram`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HistSeries<'a> {
    pub name: &'a str,
    pub values: &'a [f64],
}

/// Mean and standard deviation of one cluster's spectrum, for [`cluster_spectra`].
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterSpectrum {
    pub id: usize,
    pub size: usize,
    pub mean: Vec<f64>,
    pub std: Vec<f64>,
}

const CENTER: Pos = Pos {
    h_pos: HPos::Center,
    v_pos: VPos::Center,
};

/// Min and max of finite values, padded by 5 % (a unit window around a constant).
fn padded_extent(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    if hi - lo < 1e-12 * lo.abs().max(1.0) {
        return (lo - 0.5, hi + 0.5);
    }
    let pad = (hi - lo) * 0.05;
    (lo - pad, hi + pad)
}

fn caption_style() -> TextStyle<'static> {
    font(20.0)
}

// ---------------------------------------------------------------- correlation heatmap

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

// ---------------------------------------------------------------- dendrogram

struct Dendrogram {
    links: Vec<[(f64, f64); 4]>,
    labels: Vec<String>,
    top: f64,
    cut: Option<(f64, usize)>,
    title: String,
}

impl Figure for Dendrogram {
    fn size(&self) -> (u32, u32) {
        ((self.labels.len() as u32 * 28).max(500) + 120, 560)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let p = self.labels.len();
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, caption_style())
            .margin(15)
            .x_label_area_size(80)
            .y_label_area_size(70)
            .build_cartesian_2d(0.0..p as f64, 0.0..self.top * 1.05)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_desc("merge height (distance)")
            .label_style(font(13.0))
            .axis_desc_style(font(14.0))
            .draw()?;
        // Leaf labels sit exactly under the leaves, rotated, in pixel coordinates.
        let style = font(12.0).transform(FontTransform::Rotate90);
        for (i, label) in self.labels.iter().enumerate() {
            let (x, y) = chart.backend_coord(&(i as f64 + 0.5, 0.0));
            root.draw(&Text::new(label.clone(), (x + 6, y + 8), style.clone()))?;
        }
        let ink = RGBColor(40, 40, 90);
        chart.draw_series(
            self.links
                .iter()
                .map(|l| PathElement::new(l.to_vec(), ink.stroke_width(2))),
        )?;
        if let Some((h, k)) = self.cut {
            let line = [(0.0, h), (p as f64, h)];
            chart.draw_series(DashedLineSeries::new(line, 8, 5, RED.stroke_width(2)))?;
            let style = font(14.0).color(&RED).pos(Pos::new(HPos::Left, VPos::Bottom));
            chart.draw_series(std::iter::once(Text::new(format!("cut for k = {k}"), (0.1, h), style)))?;
        }
        Ok(())
    }
}

/// Truncated dendrogram of a scipy-format linkage (rows `(a, b, height, size)`, merged node of
/// row `r` has id `n + r`): the last `p - 1` merges over `p` leaves labelled `(size)`, like
/// scipy's `truncate_mode="lastp"`, with a dashed cut line giving `cut_k` clusters (study Fig. 5).
pub fn dendrogram(
    path: &Path,
    linkage: &[(usize, usize, f64, usize)],
    p: usize,
    cut_k: Option<usize>,
    title: &str,
) -> Result<(), PlotError> {
    let n = linkage.len() + 1;
    validate_linkage(path, linkage)?;
    if p < 2 {
        return Err(PlotError::figure(
            path,
            format!("dendrogram p = {p}: show at least 2 leaves"),
        ));
    }
    let p = p.min(n);
    let mut fig = Dendrogram {
        links: Vec::new(),
        labels: Vec::new(),
        top: 0.0,
        cut: None,
        title: title.into(),
    };
    let first_shown = 2 * n - p;
    dendrogram_node(linkage, n, first_shown, 2 * n - 2, &mut fig);
    fig.top = linkage.iter().map(|r| r.2).fold(0.0, f64::max).max(f64::MIN_POSITIVE);
    if let Some(k) = cut_k {
        if k == 0 || k > n {
            return Err(PlotError::figure(
                path,
                format!("dendrogram cut k = {k}: must be in 1..={n}"),
            ));
        }
        let h = |r: usize| linkage[r].2;
        let cut = match k {
            1 => fig.top * 1.02,
            k if k == n => h(0) / 2.0,
            k => (h(n - 1 - k) + h(n - k)) / 2.0,
        };
        fig.cut = Some((cut, k));
    }
    render(path, &fig)
}

fn validate_linkage(path: &Path, linkage: &[(usize, usize, f64, usize)]) -> Result<(), PlotError> {
    let n = linkage.len() + 1;
    if linkage.is_empty() {
        return Err(PlotError::figure(path, "linkage has no merge"));
    }
    for (r, &(a, b, h, _)) in linkage.iter().enumerate() {
        if a >= n + r || b >= n + r || a == b || !h.is_finite() || h < 0.0 {
            let msg = format!("linkage row {r} ({a}, {b}, {h}) is not a valid scipy merge for {n} leaves");
            return Err(PlotError::figure(path, msg));
        }
    }
    Ok(())
}

/// Lay out `node` left to right; returns its (x, height). Nodes below `first_shown` are leaves.
fn dendrogram_node(
    linkage: &[(usize, usize, f64, usize)],
    n: usize,
    first_shown: usize,
    node: usize,
    fig: &mut Dendrogram,
) -> (f64, f64) {
    if node < first_shown {
        let x = fig.labels.len() as f64 + 0.5;
        let label = if node < n {
            node.to_string()
        } else {
            format!("({})", linkage[node - n].3)
        };
        fig.labels.push(label);
        return (x, 0.0);
    }
    let (a, b, h, _) = linkage[node - n];
    let (xa, ha) = dendrogram_node(linkage, n, first_shown, a, fig);
    let (xb, hb) = dendrogram_node(linkage, n, first_shown, b, fig);
    fig.links.push([(xa, ha), (xa, h), (xb, h), (xb, hb)]);
    ((xa + xb) / 2.0, h)
}

// ---------------------------------------------------------------- elbow

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
        let pts: Vec<(f64, f64)> = self.ks.iter().zip(ys).map(|(&k, &y)| (k as f64, y)).collect();
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

// ---------------------------------------------------------------- PCA explained variance

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

// ---------------------------------------------------------------- histograms

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

// ---------------------------------------------------------------- scatter grids

const PANEL: u32 = 420;

/// Colour of each point of a scatter panel and the order to draw them in.
enum PointColors<'a> {
    /// Viridis of log 2-D histogram density, densest drawn last.
    Density(usize),
    /// Cluster palette by label.
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
        let finite = |i: &usize| xs[*i].is_finite() && ys[*i].is_finite();
        match self.colors {
            PointColors::Density(bins) => {
                let counts = hist2d_counts(&xs.to_vec(), &ys.to_vec(), (x0, x1), (y0, y1), bins);
                let max = counts.iter().copied().max().unwrap_or(1).max(2) as f64;
                let mut order: Vec<usize> = (0..xs.len()).filter(finite).collect();
                let cell = |i: usize| hist2d_index(xs[i], ys[i], (x0, x1), (y0, y1), bins);
                order.sort_by_key(|&i| counts[cell(i)]);
                chart.draw_series(order.iter().map(|&i| {
                    let t = (counts[cell(i)] as f64).ln() / max.ln();
                    Circle::new((xs[i], ys[i]), 2, Colormap::Viridis.color(t).filled())
                }))?;
            }
            PointColors::Labels(labels) => {
                chart.draw_series(
                    (0..xs.len())
                        .filter(finite)
                        .map(|i| Circle::new((xs[i], ys[i]), 2, cluster_color(labels[i]).filled())),
                )?;
            }
        }
        if let Some(p) = self.marked {
            chart.draw_series(std::iter::once(Cross::new(p, 10, RED.stroke_width(4))))?;
        }
        Ok(())
    }
}

fn hist2d_index(x: f64, y: f64, (x0, x1): (f64, f64), (y0, y1): (f64, f64), bins: usize) -> usize {
    let bx = (((x - x0) / (x1 - x0) * bins as f64) as usize).min(bins - 1);
    let by = (((y - y0) / (y1 - y0) * bins as f64) as usize).min(bins - 1);
    by * bins + bx
}

fn hist2d_counts(xs: &[f64], ys: &[f64], xr: (f64, f64), yr: (f64, f64), bins: usize) -> Vec<usize> {
    let mut counts = vec![0usize; bins * bins];
    for (&x, &y) in xs.iter().zip(ys) {
        if x.is_finite() && y.is_finite() {
            counts[hist2d_index(x, y, xr, yr, bins)] += 1;
        }
    }
    counts
}

fn draw_label_legend<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, labels: &[usize]) -> DrawResult<DB> {
    let mut ids: Vec<usize> = labels.to_vec();
    ids.sort_unstable();
    ids.dedup();
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

/// Panels of component i+1 against component i for the first `max_pairs` pairs, each point
/// coloured (viridis) by the log count of its cell in a `bins` x `bins` 2-D histogram (Fig. 12).
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

/// Panels of component i+1 against component i coloured by cluster label (study Fig. 15).
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
/// (study Figs. 16, 17).
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

// ---------------------------------------------------------------- cluster spectra

struct Spectra<'a> {
    wavelengths: &'a [f64],
    spectra: &'a [ClusterSpectrum],
    title: &'a str,
}

impl Figure for Spectra<'_> {
    fn size(&self) -> (u32, u32) {
        (900, 560)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let (x0, x1) = padded_extent(self.wavelengths.iter().copied());
        let hi = self
            .spectra
            .iter()
            .flat_map(|s| s.mean.iter().zip(&s.std).map(|(m, d)| m + d))
            .fold(0.0f64, f64::max);
        let lo = self
            .spectra
            .iter()
            .flat_map(|s| s.mean.iter().zip(&s.std).map(|(m, d)| m - d))
            .fold(0.0f64, f64::min);
        let mut chart = ChartBuilder::on(root)
            .caption(self.title, caption_style())
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(70)
            .build_cartesian_2d(x0..x1, lo..(hi * 1.05).max(lo + 1e-9))?;
        chart
            .configure_mesh()
            .x_desc("wavelength (nm)")
            .y_desc("DHR (directional-hemispherical reflectance)")
            .label_style(font(13.0))
            .axis_desc_style(font(14.0))
            .draw()?;
        for s in self.spectra {
            let color = cluster_color(s.id);
            let upper = self
                .wavelengths
                .iter()
                .zip(s.mean.iter().zip(&s.std))
                .map(|(&w, (m, d))| (w, m + d));
            let lower = self
                .wavelengths
                .iter()
                .zip(s.mean.iter().zip(&s.std))
                .map(|(&w, (m, d))| (w, m - d))
                .rev();
            chart.draw_series(std::iter::once(Polygon::new(
                upper.chain(lower).collect::<Vec<_>>(),
                color.mix(0.18).filled(),
            )))?;
            let mean: Vec<(f64, f64)> = self.wavelengths.iter().copied().zip(s.mean.iter().copied()).collect();
            chart
                .draw_series(LineSeries::new(mean.clone(), color.stroke_width(2)))?
                .label(format!("cluster {} (n={})", s.id, s.size))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(3)));
            chart.draw_series(mean.iter().map(|&p| Circle::new(p, 3, color.filled())))?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font(font(13.0))
            .draw()
    }
}

/// Mean spectrum of each cluster (DHR per band) with a +-1 standard deviation band.
pub fn cluster_spectra(
    path: &Path,
    wavelengths: &[f64],
    spectra: &[ClusterSpectrum],
    title: &str,
) -> Result<(), PlotError> {
    if wavelengths.is_empty() || spectra.is_empty() {
        return Err(PlotError::figure(
            path,
            "cluster spectra need wavelengths and at least one cluster",
        ));
    }
    check_finite(path, "wavelengths", wavelengths)?;
    for s in spectra {
        if s.mean.len() != wavelengths.len() || s.std.len() != wavelengths.len() {
            return Err(PlotError::figure(
                path,
                format!("cluster {}: spectrum length differs from the wavelengths", s.id),
            ));
        }
        check_finite(path, &format!("cluster {} mean", s.id), &s.mean)?;
        check_finite(path, &format!("cluster {} std", s.id), &s.std)?;
    }
    render(
        path,
        &Spectra {
            wavelengths,
            spectra,
            title,
        },
    )
}

// ---------------------------------------------------------------- line chart

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

// ---------------------------------------------------------------- raster figures

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

/// A chart with two plain `f64` axes.
type XyChart<'a, DB> =
    ChartContext<'a, DB, Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>>;

/// Cartesian axes without grid lines (heat fields, scatters): title, axis labels, usual fonts.
fn plain_axes<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    text: &ChartText,
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
) -> Result<XyChart<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    let mut chart = ChartBuilder::on(area)
        .caption(&text.title, caption_style())
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(60)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(&text.x_label)
        .y_desc(&text.y_label)
        .label_style(font(13.0))
        .axis_desc_style(font(14.0))
        .draw()?;
    Ok(chart)
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

// ---------------------------------------------------------------- class scatter

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
