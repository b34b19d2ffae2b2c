//! Mean spectrum of each cluster with +- 1 std.

use super::{ClusterSpectrum, caption_style, padded_extent};
use crate::plot::PlotError;
use crate::plot::colormap::cluster_color;
use crate::plot::render::{DrawResult, Figure, check_finite, font, render};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

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
