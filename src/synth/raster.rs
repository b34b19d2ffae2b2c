//! Land fraction of fine grid cells from the Natural Earth 1:50m land polygons: point in
//! polygon by the even-odd rule (Jordan curve theorem; the crossing-number test of Shimrat
//! 1962, "Algorithm 112: Position of point relative to polygon"), evaluated scanline by
//! scanline: for each sub-sample latitude the crossings of the polygon edges are sorted once,
//! and the sub-samples between the 1st and 2nd, 3rd and 4th ... crossings are land.
//!
//! Edges are those of the polygon rings of the TopoJSON land object. Rings that cross the
//! antimeridian hold a segment jumping by more than 180 degrees of longitude; it is cut at
//! +-180, and the cut points on the western edge (-180) are joined by vertical boundary edges,
//! which flip the parity of every sub-sample of a scanline once for each cut point at or below
//! it (the eastern closures at +180 lie east of every sample and never count). Edges are bucketed by 1-degree latitude band so a scanline only tests nearby edges.

use super::resolution::Resolution;
use crate::io::topojson::{LAND_50M, decode_topojson_rings};

/// One polygon edge `(x0, y0) -> (x1, y1)`, degrees of lon/lat, never horizontal.
#[derive(Debug, Clone, Copy)]
struct Edge {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Edge {
    /// Longitude where the edge crosses latitude `y`, if it does (half-open in y, so a vertex
    /// on the scanline is counted once).
    #[inline]
    fn crossing(&self, y: f64) -> Option<f64> {
        ((self.y0 <= y) != (self.y1 <= y)).then(|| self.x0 + (y - self.y0) * (self.x1 - self.x0) / (self.y1 - self.y0))
    }
}

/// Polygon edges bucketed by 1-degree latitude band, ready for scanlines.
#[derive(Debug, Clone)]
pub struct LandMask {
    /// `bands[b]` holds the edges whose latitude range meets `[89 - b, 90 - b]`.
    bands: Vec<Vec<Edge>>,
    /// Latitudes where rings leave or enter through the western edge (-180).
    west_cuts: Vec<f64>,
}

/// Sub-samples per cell side: about 80 per degree, between 4 and 16
/// (`clamp(round(DEG / 0.0125), 4, 16)`: 16 x 16 at 1 and 0.5 degree, 8 x 8 at 0.1, 4 x 4 at 0.05).
pub fn subsamples(res: Resolution) -> usize {
    ((res.deg() / 0.0125).round() as usize).clamp(4, 16)
}

impl LandMask {
    /// The mask of the embedded Natural Earth 1:50m land polygons.
    pub fn natural_earth_50m() -> Result<Self, String> {
        Ok(LandMask::from_rings(&decode_topojson_rings(LAND_50M)?))
    }

    /// The mask of closed rings (lon/lat polylines, first point = last point; antimeridian
    /// crossings as jumps of more than 180 degrees), by the even-odd rule.
    pub fn from_rings(rings: &[Vec<(f64, f64)>]) -> Self {
        let mut edges = Vec::new();
        let mut west_cuts = Vec::new();
        for ring in rings {
            for seg in ring.windows(2) {
                let ((x0, y0), (x1, y1)) = (seg[0], seg[1]);
                if (x1 - x0).abs() <= 180.0 {
                    edges.push(Edge { x0, y0, x1, y1 });
                    continue;
                }
                // unwrap the far end next to the near one, cut at the antimeridian
                let (west_first, x1u) = if x0 < x1 {
                    (true, x1 - 360.0)
                } else {
                    (false, x1 + 360.0)
                };
                let edge_x = if west_first { -180.0 } else { 180.0 };
                let t = if x1u == x0 { 0.0 } else { (edge_x - x0) / (x1u - x0) };
                let yc = y0 + t * (y1 - y0);
                edges.push(Edge {
                    x0,
                    y0,
                    x1: edge_x,
                    y1: yc,
                });
                edges.push(Edge {
                    x0: -edge_x,
                    y0: yc,
                    x1,
                    y1,
                });
                west_cuts.push(yc);
            }
        }
        let mut bands = vec![Vec::new(); 180];
        for e in edges.into_iter().filter(|e| e.y0 != e.y1) {
            let (lo, hi) = (e.y0.min(e.y1), e.y0.max(e.y1));
            let b_top = band_of(hi);
            let b_bottom = band_of(lo);
            for band in &mut bands[b_top..=b_bottom] {
                band.push(e);
            }
        }
        LandMask { bands, west_cuts }
    }

    /// Land sub-samples (of `n_sub * n_sub`) of each cell of grid row `i`, into `out` (one per
    /// column). `xs` is scratch space for the crossings.
    pub fn row_counts(&self, res: Resolution, n_sub: usize, i: usize, out: &mut [u16], xs: &mut Vec<f64>) {
        out.iter_mut().for_each(|c| *c = 0);
        let d = res.deg();
        let ds = d / n_sub as f64;
        let n_samples = res.cols() * n_sub;
        let top = 90.0 - i as f64 * d;
        for q in 0..n_sub {
            let y = top - (q as f64 + 0.5) * ds;
            xs.clear();
            xs.extend(self.bands[band_of(y)].iter().filter_map(|e| e.crossing(y)));
            if self.west_cuts.iter().filter(|&&c| c <= y).count() % 2 == 1 {
                xs.push(-180.0);
            }
            xs.sort_by(f64::total_cmp);
            if xs.len() % 2 == 1 {
                // the rest of the scanline is closed by the eastern edge (+180)
                xs.push(180.0);
            }
            // the first sample strictly east of x: x_s = -180 + (s + 1/2) ds > x
            let first_after = |x: f64| (((x + 180.0) / ds - 0.5).floor() + 1.0).clamp(0.0, n_samples as f64) as usize;
            for pair in xs.chunks_exact(2) {
                for s in first_after(pair[0])..first_after(pair[1]) {
                    out[s / n_sub] += 1;
                }
            }
        }
    }
}

/// The 1-degree band `b` with `89 - b <= y < 90 - b` (clamped to 0..=179).
#[inline]
fn band_of(y: f64) -> usize {
    (90.0 - y).floor().clamp(0.0, 179.0) as usize
}

#[cfg(test)]
#[path = "raster_tests.rs"]
mod tests;
