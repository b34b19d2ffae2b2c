//! Grid helpers shared by the netCDF and GeoTIFF readers: orienting file axes the landclust
//! way (north first, west to east, longitudes in -180..180), mapping grid columns back to file
//! columns, and suggesting the variable a mistyped name meant.

use crate::dataset::{Grid, GridSource, Orientation};

/// Up to three names close to `name` (ignoring case), closest first: within Levenshtein
/// distance 3 (counted in characters) and half the name's length (at least 1), so that short
/// names get no far-fetched ones.
pub fn closest_names<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let lower = name.to_lowercase();
    let limit = (name.chars().count() / 2).clamp(1, 3);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&lower, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, c)| c.to_string()).collect()
}

/// The file column ranges of grid column segment `seg` with the grid rotated by `shift`
/// (grid column `c` is file column `(c + shift) % n`), each with its offset within `seg`.
pub fn file_segments(seg: &std::ops::Range<usize>, shift: usize, n: usize) -> Vec<(std::ops::Range<usize>, usize)> {
    if seg.is_empty() {
        return Vec::new();
    }
    let f0 = (seg.start + shift) % n;
    let len = seg.len();
    if f0 + len <= n {
        vec![(f0..f0 + len, 0)]
    } else {
        let first = n - f0;
        vec![(f0..n, 0), (0..len - first, first)]
    }
}

/// For longitudes past 180 (a 0..360 grid): the first index whose longitude is >= 180, and
/// `true` to say those longitudes move to -180..0.
fn lon_shift(lon: &[f64]) -> (usize, bool) {
    if !lon.iter().any(|&l| l > 180.0) {
        return (0, false);
    }
    (lon.iter().position(|&l| l >= 180.0).unwrap_or(0), true)
}

fn wrap_lon(l: f64, wrap: bool) -> f64 {
    if wrap && l >= 180.0 { l - 360.0 } else { l }
}

/// The grid of file-order axes `lat` (per file row) and `lon` (per file column): flipped to
/// north first, longitudes rotated from 0..360 to -180..180.
pub fn oriented(lat: &[f64], lon: &[f64], source: GridSource, transposed: bool) -> Grid {
    let lat_flipped = lat.len() > 1 && lat[0] < lat[lat.len() - 1];
    let (shift, wrap) = lon_shift(lon);
    let n_rows = lat.len();
    let n_cols = lon.len();
    let glat = (0..n_rows)
        .map(|r| lat[if lat_flipped { n_rows - 1 - r } else { r }])
        .collect();
    let glon = (0..n_cols).map(|c| wrap_lon(lon[(c + shift) % n_cols], wrap)).collect();
    Grid {
        n_rows,
        n_cols,
        lat: glat,
        lon: glon,
        source,
        orientation: Orientation {
            lat_flipped,
            transposed,
            lon_shift: shift,
        },
        crs: None,
        projection: None,
    }
}

#[cfg(test)]
#[path = "grid_tests.rs"]
mod tests;
