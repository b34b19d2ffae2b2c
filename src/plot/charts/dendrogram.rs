//! Ward dendrogram, last merges, with the cut for k (study Fig. 5).

use super::caption_style;
use crate::plot::PlotError;
use crate::plot::render::{DrawResult, Figure, font, render};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;

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
