//! Grid helpers shared by the netCDF and GeoTIFF readers: orienting file axes the landclust
//! way (north first, west to east, longitudes in -180..180), mapping grid columns back to file
//! columns, and suggesting the variable a mistyped name meant.

use crate::dataset::{GeographicCrs, Grid, GridSource, Orientation};

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

/// Give `grid` (from [`oriented`]) its CRS, with its longitudes moved from the CRS's prime
/// meridian to Greenwich: a file in a CRS whose prime meridian is not Greenwich (Paris, EPSG
/// 8903, 2.33722917 degrees east; GeoTIFF `GeogPrimeMeridianLongGeoKey`, CF
/// `longitude_of_prime_meridian`) measures longitudes from that meridian (EPSG Guidance Note 7-2,
/// 2.1), while landclust's grid, `--region`, the maps and the tables use Greenwich degrees like
/// every other input. Longitudes pushed past 180 (or below -180) wrap, and the columns turn so
/// that the grid still starts in the west, the file columns followed through
/// `orientation.lon_shift`. The writers of `labels.tif` and `labels.nc` subtract the meridian
/// again ([`file_longitude`]), so outputs stay in the input's CRS.
pub fn set_crs(grid: &mut Grid, crs: Option<GeographicCrs>) {
    let meridian = crs.as_ref().map_or(0.0, |c| c.prime_meridian.longitude);
    grid.crs = crs;
    let n = grid.n_cols;
    if meridian == 0.0 || !meridian.is_finite() || n == 0 {
        return;
    }
    let wrap = |l: f64| {
        if l >= 180.0 {
            l - 360.0
        } else if l < -180.0 {
            l + 360.0
        } else {
            l
        }
    };
    let moved: Vec<f64> = grid.lon.iter().map(|&l| wrap(l + meridian)).collect();
    // The westernmost column follows the one place where wrapping broke the increase.
    let start = (1..n).find(|&c| moved[c] < moved[c - 1]).unwrap_or(0);
    grid.lon = (0..n).map(|c| moved[(c + start) % n]).collect();
    grid.orientation.lon_shift = (grid.orientation.lon_shift + start) % n;
}

/// A Greenwich longitude of `grid` as the grid's CRS measures it (relative to its prime
/// meridian; see [`set_crs`]): what `labels.tif` and `labels.nc` write.
pub fn file_longitude(grid: &Grid, lon: f64) -> f64 {
    lon - grid.crs.as_ref().map_or(0.0, |c| c.prime_meridian.longitude)
}

#[cfg(test)]
#[path = "grid_tests.rs"]
mod tests;
