//! The self-contained page kept small: large PNG figures embedded as JPEG.

use crate::error::Result;
use crate::report::Report;
use std::path::Path;

/// Largest PNG embedded as is; bigger ones (the maps, ~1 MB each) are embedded as JPEG.
const MAX_EMBEDDED_PNG: u64 = 300_000;

/// Write `report` with large PNG figures re-encoded as JPEG (quality 88) so the self-contained
/// page stays a few MB instead of tens; the PNG files beside it keep full quality.
pub fn write_compact(mut report: Report, path: &Path) -> Result<()> {
    use crate::report::FigureSource;
    for section in &mut report.sections {
        for figure in &mut section.figures {
            if let FigureSource::File(p) = &figure.source
                && std::fs::metadata(p)
                    .map(|m| m.len() > MAX_EMBEDDED_PNG)
                    .unwrap_or(false)
                && let Some(jpeg) = to_jpeg(p)
            {
                figure.source = FigureSource::Jpeg(jpeg);
            }
        }
    }
    report.write(path)?;
    Ok(())
}

fn to_jpeg(path: &Path) -> Option<Vec<u8>> {
    let img = image::open(path).ok()?.to_rgb8();
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 88);
    img.write_with_encoder(encoder).ok()?;
    Some(out)
}
