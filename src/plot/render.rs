//! Shared drawing plumbing: the embedded font, PNG/SVG output chosen by extension, atomic writes.

use super::PlotError;
use crate::io::atomic::write_bytes;
use image::ImageEncoder;
use plotters::backend::RGBPixel;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

/// Family name under which the embedded DejaVu Sans is registered.
pub(crate) const FONT: &str = "sans-serif";
static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static FONT_READY: OnceLock<bool> = OnceLock::new();

/// Register the embedded font with plotters once per process.
pub(crate) fn ensure_font() -> Result<(), PlotError> {
    let ok = *FONT_READY.get_or_init(|| plotters::style::register_font(FONT, FontStyle::Normal, FONT_BYTES).is_ok());
    if ok {
        Ok(())
    } else {
        Err(PlotError::Asset {
            name: "assets/fonts/DejaVuSans.ttf",
            message: "not a valid font".into(),
        })
    }
}

/// The drawing error of one backend, as text.
pub(crate) type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// A figure that can draw itself on any plotters backend.
pub(crate) trait Figure {
    /// Width and height in pixels.
    fn size(&self) -> (u32, u32);
    /// Draw on a white root area.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB>;
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Png,
    Svg,
}

fn format_of(path: &Path, allow_svg: bool) -> Result<Format, PlotError> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("png") => Ok(Format::Png),
        Some("svg") if allow_svg => Ok(Format::Svg),
        _ if allow_svg => Err(PlotError::figure(path, "unsupported file type: use .png or .svg")),
        _ => Err(PlotError::figure(
            path,
            "unsupported file type: this figure is written as .png",
        )),
    }
}

/// Draw `fig` and write it to `path` (PNG or SVG by extension) atomically.
pub(crate) fn render(path: &Path, fig: &impl Figure) -> Result<(), PlotError> {
    render_with(path, fig, true)
}

/// Like [`render`] but PNG only (for figures with many raster cells).
pub(crate) fn render_png(path: &Path, fig: &impl Figure) -> Result<(), PlotError> {
    render_with(path, fig, false)
}

fn render_with(path: &Path, fig: &impl Figure, allow_svg: bool) -> Result<(), PlotError> {
    ensure_font()?;
    let (w, h) = fig.size();
    let draw_err = |e: String| PlotError::figure(path, format!("drawing failed: {e}"));
    match format_of(path, allow_svg)? {
        Format::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
                root.fill(&WHITE).map_err(|e| draw_err(e.to_string()))?;
                fig.draw(&root).map_err(|e| draw_err(e.to_string()))?;
                root.present().map_err(|e| draw_err(e.to_string()))?;
            }
            write_bytes(path, svg.as_bytes())?;
        }
        Format::Png => {
            let mut rgb = vec![255u8; w as usize * h as usize * 3];
            draw_on_buffer(&mut rgb, (w, h), |root| fig.draw(root)).map_err(draw_err)?;
            write_png(path, &rgb, (w, h))?;
        }
    }
    Ok(())
}

/// Run `draw` on a bitmap backend over an existing RGB buffer (its pixels are kept).
pub(crate) fn draw_on_buffer<F>(rgb: &mut [u8], (w, h): (u32, u32), draw: F) -> Result<(), String>
where
    F: for<'a, 'b> FnOnce(&'a DrawingArea<BitMapBackend<'b>, Shift>) -> DrawResult<BitMapBackend<'b>>,
{
    let backend = BitMapBackend::<RGBPixel>::with_buffer_and_format(rgb, (w, h)).map_err(|e| e.to_string())?;
    let root = backend.into_drawing_area();
    draw(&root).map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}

/// Encode an RGB buffer as PNG and write it atomically.
pub(crate) fn write_png(path: &Path, rgb: &[u8], (w, h): (u32, u32)) -> Result<(), PlotError> {
    ensure_png_path(path)?;
    let mut bytes = Vec::new();
    image::codecs::png::PngEncoder::new(&mut bytes)
        .write_image(rgb, w, h, image::ExtendedColorType::Rgb8)
        .map_err(|e| PlotError::figure(path, format!("PNG encoding failed: {e}")))?;
    write_bytes(path, &bytes)?;
    Ok(())
}

/// Maps and raster figures are PNG only.
pub(crate) fn ensure_png_path(path: &Path) -> Result<(), PlotError> {
    format_of(path, false).map(|_| ())
}

/// A text style in the embedded font.
pub(crate) fn font(size: f64) -> TextStyle<'static> {
    (FONT, size).into_font().color(&BLACK)
}

/// Check that every value is finite, naming the input in the error.
pub(crate) fn check_finite(path: &Path, what: &str, values: &[f64]) -> Result<(), PlotError> {
    match values.iter().position(|v| !v.is_finite()) {
        Some(i) => Err(PlotError::figure(path, format!("{what}: value {i} is not finite"))),
        None => Ok(()),
    }
}
