//! Continuous colormaps (piecewise-linear in sRGB through matplotlib's control colours) and the
//! fixed qualitative cluster palette.

use super::PlotError;
use plotters::style::RGBColor;

/// Continuous colormaps for values scaled to 0..1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Colormap {
    /// Perceptually uniform, dark blue -> yellow (matplotlib `viridis`).
    #[default]
    Viridis,
    /// Perceptually uniform, black -> pale yellow (matplotlib `magma`).
    Magma,
    /// Diverging blue -> grey -> red for signed values such as correlations (matplotlib `coolwarm`).
    Coolwarm,
    /// Diverging red -> yellow -> green, the usual NDVI scale (ColorBrewer `RdYlGn`).
    RdYlGn,
    /// Black -> white.
    Gray,
}

const VIRIDIS: [(u8, u8, u8); 9] = [
    (0x44, 0x01, 0x54),
    (0x47, 0x2c, 0x7a),
    (0x3b, 0x51, 0x8b),
    (0x2c, 0x71, 0x8e),
    (0x21, 0x90, 0x8d),
    (0x27, 0xad, 0x81),
    (0x5c, 0xc8, 0x63),
    (0xaa, 0xdc, 0x32),
    (0xfd, 0xe7, 0x25),
];
const MAGMA: [(u8, u8, u8); 9] = [
    (0x00, 0x00, 0x04),
    (0x1c, 0x10, 0x44),
    (0x4f, 0x12, 0x7b),
    (0x81, 0x25, 0x81),
    (0xb5, 0x36, 0x7a),
    (0xe5, 0x50, 0x64),
    (0xfb, 0x87, 0x61),
    (0xfe, 0xc2, 0x87),
    (0xfc, 0xfd, 0xbf),
];
const COOLWARM: [(u8, u8, u8); 9] = [
    (59, 76, 192),
    (98, 130, 234),
    (141, 176, 254),
    (184, 208, 249),
    (221, 221, 221),
    (245, 196, 173),
    (244, 154, 123),
    (222, 96, 77),
    (180, 4, 38),
];
const RDYLGN: [(u8, u8, u8); 11] = [
    (0xa5, 0x00, 0x26),
    (0xd7, 0x30, 0x27),
    (0xf4, 0x6d, 0x43),
    (0xfd, 0xae, 0x61),
    (0xfe, 0xe0, 0x8b),
    (0xff, 0xff, 0xbf),
    (0xd9, 0xef, 0x8b),
    (0xa6, 0xd9, 0x6a),
    (0x66, 0xbd, 0x63),
    (0x1a, 0x98, 0x50),
    (0x00, 0x68, 0x37),
];
const GRAY: [(u8, u8, u8); 2] = [(0, 0, 0), (255, 255, 255)];

impl Colormap {
    /// Parse `viridis`, `magma`, `coolwarm`, `rdylgn` or `gray` (case-insensitive).
    pub fn parse(name: &str) -> Result<Self, PlotError> {
        match name.to_ascii_lowercase().as_str() {
            "viridis" => Ok(Colormap::Viridis),
            "magma" => Ok(Colormap::Magma),
            "coolwarm" => Ok(Colormap::Coolwarm),
            "rdylgn" => Ok(Colormap::RdYlGn),
            "gray" | "grey" => Ok(Colormap::Gray),
            other => Err(PlotError::Invalid(format!(
                "colormap {other:?}: expected viridis, magma, coolwarm, rdylgn or gray"
            ))),
        }
    }

    fn stops(self) -> &'static [(u8, u8, u8)] {
        match self {
            Colormap::Viridis => &VIRIDIS,
            Colormap::Magma => &MAGMA,
            Colormap::Coolwarm => &COOLWARM,
            Colormap::RdYlGn => &RDYLGN,
            Colormap::Gray => &GRAY,
        }
    }

    /// Colour at `t` in 0..1 (clamped; NaN maps to 0).
    pub fn color(self, t: f64) -> RGBColor {
        let stops = self.stops();
        let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
        let pos = t * (stops.len() - 1) as f64;
        let i = (pos.floor() as usize).min(stops.len() - 2);
        let f = pos - i as f64;
        let (a, b) = (stops[i], stops[i + 1]);
        let mix = |x: u8, y: u8| (x as f64 + (y as f64 - x as f64) * f).round() as u8;
        RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }
}

/// Fixed qualitative palette: Tableau 10 followed by ten further Tableau 20 tones, so that
/// cluster `i` has the same colour in every map and chart.
pub const CLUSTER_PALETTE: [RGBColor; 20] = [
    RGBColor(0x4e, 0x79, 0xa7),
    RGBColor(0xf2, 0x8e, 0x2b),
    RGBColor(0xe1, 0x57, 0x59),
    RGBColor(0x76, 0xb7, 0xb2),
    RGBColor(0x59, 0xa1, 0x4f),
    RGBColor(0xed, 0xc9, 0x48),
    RGBColor(0xb0, 0x7a, 0xa1),
    RGBColor(0xff, 0x9d, 0xa7),
    RGBColor(0x9c, 0x75, 0x5f),
    RGBColor(0xba, 0xb0, 0xac),
    RGBColor(0xa0, 0xcb, 0xe8),
    RGBColor(0xff, 0xbe, 0x7d),
    RGBColor(0x8c, 0xd1, 0x7d),
    RGBColor(0xb6, 0x99, 0x2d),
    RGBColor(0x49, 0x98, 0x94),
    RGBColor(0x86, 0xbc, 0xb6),
    RGBColor(0xd3, 0x72, 0x95),
    RGBColor(0xfa, 0xbf, 0xd2),
    RGBColor(0xd4, 0xa6, 0xc8),
    RGBColor(0x79, 0x70, 0x6e),
];

/// The colour of cluster `i` (the palette repeats after 20 clusters).
pub fn cluster_color(i: usize) -> RGBColor {
    CLUSTER_PALETTE[i % CLUSTER_PALETTE.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_and_clamping() {
        assert_eq!(Colormap::Viridis.color(0.0), RGBColor(0x44, 0x01, 0x54));
        assert_eq!(Colormap::Viridis.color(1.0), RGBColor(0xfd, 0xe7, 0x25));
        assert_eq!(Colormap::Gray.color(2.0), RGBColor(255, 255, 255));
        assert_eq!(Colormap::Gray.color(0.5), RGBColor(128, 128, 128));
        assert!(Colormap::parse("jet").is_err());
        assert_eq!(cluster_color(23), cluster_color(3));
    }
}
