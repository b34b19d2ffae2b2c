//! Geography for maps: regions, the equirectangular layout, the Blue Marble background and the
//! Natural Earth coastlines (TopoJSON), all embedded in the binary.

use super::PlotError;
use crate::dataset::Grid;
use image::RgbImage;
use image::imageops::FilterType;
use plotters::style::RGBColor;
use std::str::FromStr;
use std::sync::{Arc, Mutex, OnceLock};

/// A lon/lat window of the equirectangular map, degrees.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    pub name: String,
    pub lon_min: f64,
    pub lon_max: f64,
    pub lat_min: f64,
    pub lat_max: f64,
}

const NAMED_REGIONS: [(&str, [f64; 4]); 7] = [
    ("world", [-180.0, 180.0, -90.0, 90.0]),
    ("africa", [-20.0, 55.0, -37.0, 38.0]),
    ("south-america", [-85.0, -30.0, -57.0, 14.0]),
    ("north-america", [-170.0, -50.0, 7.0, 84.0]),
    ("europe", [-25.0, 45.0, 34.0, 72.0]),
    ("asia", [25.0, 150.0, -12.0, 78.0]),
    ("oceania", [110.0, 180.0, -50.0, 0.0]),
];

impl Region {
    /// The whole globe, -180..180 x -90..90.
    pub fn world() -> Self {
        Region {
            name: "world".into(),
            lon_min: -180.0,
            lon_max: 180.0,
            lat_min: -90.0,
            lat_max: 90.0,
        }
    }

    /// A named region (`world`, `africa`, `south-america`, `north-america`, `europe`, `asia`,
    /// `oceania`) or `lon_min,lon_max,lat_min,lat_max` in degrees.
    pub fn parse(input: &str) -> Result<Self, PlotError> {
        let key = input.trim().to_ascii_lowercase().replace('_', "-");
        if let Some((name, [a, b, c, d])) = NAMED_REGIONS.iter().find(|(n, _)| *n == key) {
            return Ok(Region {
                name: name.to_string(),
                lon_min: *a,
                lon_max: *b,
                lat_min: *c,
                lat_max: *d,
            });
        }
        let bad = |message: &str| PlotError::BadRegion {
            input: input.to_string(),
            message: message.into(),
        };
        let parts: Vec<&str> = key.split(',').map(str::trim).collect();
        if parts.len() != 4 {
            return Err(bad("unknown region name"));
        }
        let mut v = [0.0; 4];
        for (slot, part) in v.iter_mut().zip(&parts) {
            *slot = part
                .parse::<f64>()
                .map_err(|_| bad(&format!("{part:?} is not a number")))?;
        }
        let [lon_min, lon_max, lat_min, lat_max] = v;
        if !(-180.0..=180.0).contains(&lon_min) || !(-180.0..=180.0).contains(&lon_max) || lon_min >= lon_max {
            return Err(bad("longitudes must satisfy -180 <= lon_min < lon_max <= 180"));
        }
        if !(-90.0..=90.0).contains(&lat_min) || !(-90.0..=90.0).contains(&lat_max) || lat_min >= lat_max {
            return Err(bad("latitudes must satisfy -90 <= lat_min < lat_max <= 90"));
        }
        Ok(Region {
            name: key,
            lon_min,
            lon_max,
            lat_min,
            lat_max,
        })
    }

    pub fn lon_span(&self) -> f64 {
        self.lon_max - self.lon_min
    }

    pub fn lat_span(&self) -> f64 {
        self.lat_max - self.lat_min
    }
}

impl FromStr for Region {
    type Err = PlotError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Region::parse(s)
    }
}

/// Which Natural Earth coastlines to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Coastlines {
    None,
    /// 1:110m for the world, 1:50m for smaller regions.
    #[default]
    Auto,
    Low,
    High,
}

/// Options shared by all maps.
#[derive(Debug, Clone)]
pub struct MapOptions {
    pub region: Region,
    /// Longer side of the map area in pixels (the world at 1440 is 4 px per degree).
    pub plot_size: u32,
    /// Darken the background: 0 = as is, 1 = black.
    pub dim: f64,
    pub coastlines: Coastlines,
    pub coastline_color: RGBColor,
    /// Opacity of the data cells over the background, 0..1.
    pub cell_alpha: f64,
    /// Colour range of variable maps; `None` = 1st..99th percentile of the shown values.
    pub value_range: Option<(f64, f64)>,
}

impl Default for MapOptions {
    fn default() -> Self {
        MapOptions {
            region: Region::world(),
            plot_size: 1440,
            dim: 0.2,
            coastlines: Coastlines::Auto,
            coastline_color: RGBColor(235, 235, 235),
            cell_alpha: 1.0,
            value_range: None,
        }
    }
}

impl MapOptions {
    pub(crate) fn validate(&self) -> Result<(), String> {
        if !(0.0..=1.0).contains(&self.dim) {
            return Err(format!("map option dim = {} must be in 0..1", self.dim));
        }
        if !(0.0..=1.0).contains(&self.cell_alpha) {
            return Err(format!("map option cell_alpha = {} must be in 0..1", self.cell_alpha));
        }
        if !(64..=8192).contains(&self.plot_size) {
            return Err(format!("map option plot_size = {} must be in 64..8192", self.plot_size));
        }
        if let Some((a, b)) = self.value_range
            && !(a.is_finite() && b.is_finite() && a < b)
        {
            return Err(format!(
                "map option value_range = ({a}, {b}) must be finite with min < max"
            ));
        }
        Ok(())
    }
}

/// The kind of map, which sets the width of the legend column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapKind {
    /// A continuous variable with a colour bar.
    Variable,
    /// Cluster labels with a legend of sizes and mean NDVI.
    Cluster,
}

const MARGIN: u32 = 10;
const TITLE_HEIGHT: u32 = 40;
pub(crate) const X_LABELS: u32 = 40;
pub(crate) const Y_LABELS: u32 = 60;

/// Pixel layout of a map figure: the map area is an exact equirectangular window.
#[derive(Debug, Clone, PartialEq)]
pub struct MapLayout {
    pub width: u32,
    pub height: u32,
    pub plot_left: u32,
    pub plot_top: u32,
    pub plot_width: u32,
    pub plot_height: u32,
    pub region: Region,
}

impl MapLayout {
    /// The layout for `opts` and `kind`.
    pub fn new(opts: &MapOptions, kind: MapKind) -> Self {
        let r = &opts.region;
        let size = opts.plot_size as f64;
        let (pw, ph) = if r.lon_span() >= r.lat_span() {
            (size, (size * r.lat_span() / r.lon_span()).round().max(32.0))
        } else {
            ((size * r.lon_span() / r.lat_span()).round().max(32.0), size)
        };
        let legend = match kind {
            MapKind::Variable => 130,
            MapKind::Cluster => 330,
        };
        let (plot_width, plot_height) = (pw as u32, ph as u32);
        let plot_left = MARGIN + Y_LABELS;
        let plot_top = TITLE_HEIGHT + MARGIN;
        MapLayout {
            width: plot_left + plot_width + legend + MARGIN,
            height: plot_top + plot_height + X_LABELS + MARGIN,
            plot_left,
            plot_top,
            plot_width,
            plot_height,
            region: r.clone(),
        }
    }

    /// Pixels right of the map area reserved for the legend.
    pub(crate) fn legend_width(&self) -> u32 {
        self.width - self.plot_left - self.plot_width - MARGIN
    }

    /// Fractional map-area pixel coordinates of a point (may lie outside the area).
    pub(crate) fn plot_xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        let r = &self.region;
        let x = (lon - r.lon_min) / r.lon_span() * self.plot_width as f64;
        let y = (r.lat_max - lat) / r.lat_span() * self.plot_height as f64;
        (x, y)
    }

    /// The figure pixel (column, row) that shows `(lon, lat)`, or `None` outside the map area.
    pub fn lonlat_to_pixel(&self, lon: f64, lat: f64) -> Option<(u32, u32)> {
        let (x, y) = self.plot_xy(lon, lat);
        let (w, h) = (self.plot_width as f64, self.plot_height as f64);
        if !(x >= 0.0 && x <= w && y >= 0.0 && y <= h) {
            return None;
        }
        let px = (x.floor() as u32).min(self.plot_width - 1);
        let py = (y.floor() as u32).min(self.plot_height - 1);
        Some((self.plot_left + px, self.plot_top + py))
    }

    /// Longitude and latitude at the centre of map-area pixel `(x, y)`.
    pub(crate) fn pixel_center(&self, x: u32, y: u32) -> (f64, f64) {
        let r = &self.region;
        let lon = r.lon_min + (x as f64 + 0.5) / self.plot_width as f64 * r.lon_span();
        let lat = r.lat_max - (y as f64 + 0.5) / self.plot_height as f64 * r.lat_span();
        (lon, lat)
    }
}

/// The figure pixel that shows `(lon, lat)` on a map drawn with `opts` (see [`MapLayout`]).
pub fn lonlat_to_pixel(opts: &MapOptions, kind: MapKind, lon: f64, lat: f64) -> Option<(u32, u32)> {
    MapLayout::new(opts, kind).lonlat_to_pixel(lon, lat)
}

/// A regular grid: cell `(i, j)` is centred at `lat0_north - i * step_lat`, `lon0_west + j * step_lon`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GridGeometry {
    pub n_rows: usize,
    pub n_cols: usize,
    pub lat0_north: f64,
    pub lon0_west: f64,
    pub step_lat: f64,
    pub step_lon: f64,
}

impl GridGeometry {
    /// The geometry of a dataset grid (north first, west to east), or why it is not regular.
    /// Reads the grid through its accessors only (`row_lat`, `col_lon`, `resolution`), so it
    /// works whether the grid stores one coordinate per row/column or per cell.
    pub fn from_grid(grid: &Grid) -> Result<Self, String> {
        if grid.n_rows < 2 || grid.n_cols < 2 {
            return Err(format!("grid {} x {} is too small to map", grid.n_rows, grid.n_cols));
        }
        let (step_lat, step_lon) = grid.resolution();
        let geometry = GridGeometry {
            n_rows: grid.n_rows,
            n_cols: grid.n_cols,
            lat0_north: grid.row_lat(0),
            lon0_west: grid.col_lon(0),
            step_lat,
            step_lon,
        };
        if grid.row_lat(1) >= grid.row_lat(0) {
            return Err("grid is not a regular north-first lat/lon grid".into());
        }
        geometry.validate()?;
        Ok(geometry)
    }

    /// A regular grid of `n_rows` x `n_cols` cells of `step` degrees, cell (0, 0) centred at
    /// (`lat0_north`, `lon0_west`).
    pub fn regular(n_rows: usize, n_cols: usize, lat0_north: f64, lon0_west: f64, step: f64) -> Self {
        GridGeometry {
            n_rows,
            n_cols,
            lat0_north,
            lon0_west,
            step_lat: step,
            step_lon: step,
        }
    }

    /// Finite, positive steps and at least one cell.
    pub fn validate(&self) -> Result<(), String> {
        let finite = [self.step_lat, self.step_lon, self.lat0_north, self.lon0_west]
            .iter()
            .all(|v| v.is_finite());
        if self.is_empty() || !finite || self.step_lat <= 0.0 || self.step_lon <= 0.0 {
            return Err(format!(
                "grid geometry {} x {} (north {}, west {}, steps {} x {}) is not a regular north-first lat/lon grid",
                self.n_rows, self.n_cols, self.lat0_north, self.lon0_west, self.step_lat, self.step_lon
            ));
        }
        Ok(())
    }

    /// Number of cells.
    pub fn len(&self) -> usize {
        self.n_rows * self.n_cols
    }

    /// True without cells.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The row holding latitude `lat`, if any.
    pub fn row_of(&self, lat: f64) -> Option<usize> {
        let i = ((self.lat0_north + self.step_lat / 2.0 - lat) / self.step_lat).floor();
        (i >= 0.0 && i < self.n_rows as f64).then_some(i as usize)
    }

    /// The column holding longitude `lon`, if any.
    pub fn col_of(&self, lon: f64) -> Option<usize> {
        let j = ((lon - self.lon0_west + self.step_lon / 2.0) / self.step_lon).floor();
        (j >= 0.0 && j < self.n_cols as f64).then_some(j as usize)
    }
}

static BLUE_MARBLE_JPEG: &[u8] = include_bytes!("../../assets/map/blue_marble_4096x2048.jpg");
static BLUE_MARBLE: OnceLock<Result<RgbImage, String>> = OnceLock::new();
/// Recently resized backgrounds, keyed by region and size (maps of one run share them).
static BACKGROUND_CACHE: Mutex<Vec<(String, Arc<RgbImage>)>> = Mutex::new(Vec::new());
const CACHE_LEN: usize = 4;

fn blue_marble() -> Result<&'static RgbImage, PlotError> {
    let decoded = BLUE_MARBLE.get_or_init(|| {
        image::load_from_memory_with_format(BLUE_MARBLE_JPEG, image::ImageFormat::Jpeg)
            .map(|img| img.to_rgb8())
            .map_err(|e| e.to_string())
    });
    decoded.as_ref().map_err(|e| PlotError::Asset {
        name: "assets/map/blue_marble_4096x2048.jpg",
        message: e.clone(),
    })
}

/// The Blue Marble cropped to the layout's region and resampled to its map-area size.
pub(crate) fn background(layout: &MapLayout) -> Result<Arc<RgbImage>, PlotError> {
    let r = &layout.region;
    let key = format!(
        "{},{},{},{}:{}x{}",
        r.lon_min, r.lon_max, r.lat_min, r.lat_max, layout.plot_width, layout.plot_height
    );
    if let Ok(cache) = BACKGROUND_CACHE.lock()
        && let Some((_, img)) = cache.iter().find(|(k, _)| *k == key)
    {
        return Ok(img.clone());
    }
    let full = blue_marble()?;
    let (fw, fh) = (full.width() as f64, full.height() as f64);
    let x0 = ((r.lon_min + 180.0) / 360.0 * fw).floor().max(0.0) as u32;
    let x1 = ((r.lon_max + 180.0) / 360.0 * fw).ceil().min(fw) as u32;
    let y0 = ((90.0 - r.lat_max) / 180.0 * fh).floor().max(0.0) as u32;
    let y1 = ((90.0 - r.lat_min) / 180.0 * fh).ceil().min(fh) as u32;
    let crop = image::imageops::crop_imm(full, x0, y0, (x1 - x0).max(1), (y1 - y0).max(1)).to_image();
    let resized = Arc::new(image::imageops::resize(
        &crop,
        layout.plot_width,
        layout.plot_height,
        FilterType::Triangle,
    ));
    if let Ok(mut cache) = BACKGROUND_CACHE.lock() {
        if cache.len() >= CACHE_LEN {
            cache.remove(0);
        }
        cache.push((key, resized.clone()));
    }
    Ok(resized)
}

/// The TopoJSON arc decoder, shared with `synth` (moved to `crate::io::topojson`).
pub(crate) use crate::io::topojson::decode_topojson_arcs;
use crate::io::topojson::{LAND_50M, LAND_110M};
/// Decoded coastline polylines (lon, lat), or why the embedded file could not be read.
type Arcs = Result<Vec<Vec<(f64, f64)>>, String>;
static ARCS_110M: OnceLock<Arcs> = OnceLock::new();
static ARCS_50M: OnceLock<Arcs> = OnceLock::new();

/// Coastline polylines (lon, lat) for the option and region.
pub(crate) fn coastlines(choice: Coastlines, region: &Region) -> Result<&'static [Vec<(f64, f64)>], PlotError> {
    let high = match choice {
        Coastlines::None => return Ok(&[]),
        Coastlines::Low => false,
        Coastlines::High => true,
        Coastlines::Auto => region.lon_span() < 180.0,
    };
    let (cell, bytes, name) = if high {
        (&ARCS_50M, LAND_50M, "assets/map/natural_earth_land_50m.topo.json")
    } else {
        (&ARCS_110M, LAND_110M, "assets/map/natural_earth_land_110m.topo.json")
    };
    cell.get_or_init(|| decode_topojson_arcs(bytes))
        .as_ref()
        .map(|v| v.as_slice())
        .map_err(|e| PlotError::Asset {
            name,
            message: e.clone(),
        })
}

/// An RGB raster of the map area with alpha blending and antialiased lines.
pub(crate) struct Raster {
    pub width: u32,
    pub height: u32,
    pub rgb: Vec<u8>,
}

impl Raster {
    /// The background darkened by `dim`.
    pub fn from_background(img: &RgbImage, dim: f64) -> Self {
        let keep = 1.0 - dim;
        let rgb = img.as_raw().iter().map(|&c| (c as f64 * keep).round() as u8).collect();
        Raster {
            width: img.width(),
            height: img.height(),
            rgb,
        }
    }

    /// Blend `color` with opacity `alpha` into pixel `(x, y)` (ignored outside).
    #[inline]
    pub fn blend(&mut self, x: i64, y: i64, color: RGBColor, alpha: f64) {
        if x < 0 || y < 0 || x >= self.width as i64 || y >= self.height as i64 || alpha <= 0.0 {
            return;
        }
        let k = (y as usize * self.width as usize + x as usize) * 3;
        let a = alpha.min(1.0);
        for (c, new) in [color.0, color.1, color.2].into_iter().enumerate() {
            let old = self.rgb[k + c] as f64;
            self.rgb[k + c] = (old + (new as f64 - old) * a).round() as u8;
        }
    }

    /// Xiaolin Wu's antialiased line between fractional pixel positions.
    pub fn line(&mut self, (mut x0, mut y0): (f64, f64), (mut x1, mut y1): (f64, f64), color: RGBColor, alpha: f64) {
        let steep = (y1 - y0).abs() > (x1 - x0).abs();
        if steep {
            std::mem::swap(&mut x0, &mut y0);
            std::mem::swap(&mut x1, &mut y1);
        }
        if x0 > x1 {
            std::mem::swap(&mut x0, &mut x1);
            std::mem::swap(&mut y0, &mut y1);
        }
        let gradient = if x1 - x0 < 1e-9 { 0.0 } else { (y1 - y0) / (x1 - x0) };
        let start = x0.round() as i64;
        let end = x1.round() as i64;
        for x in start..=end {
            let y = y0 + gradient * (x as f64 - x0) - 0.5;
            let yf = y.floor();
            let frac = y - yf;
            let (ya, yb) = (yf as i64, yf as i64 + 1);
            if steep {
                self.blend(ya, x, color, alpha * (1.0 - frac));
                self.blend(yb, x, color, alpha * frac);
            } else {
                self.blend(x, ya, color, alpha * (1.0 - frac));
                self.blend(x, yb, color, alpha * frac);
            }
        }
    }
}

/// Draw coastline polylines on the map raster, skipping segments that jump across the
/// antimeridian or run along the frame of the projection.
pub(crate) fn draw_coastlines(raster: &mut Raster, layout: &MapLayout, arcs: &[Vec<(f64, f64)>], color: RGBColor) {
    let r = &layout.region;
    let on_frame =
        |a: (f64, f64), b: (f64, f64)| (a.0.abs() > 179.99 && b.0.abs() > 179.99) || (a.1 < -89.9 && b.1 < -89.9);
    for arc in arcs {
        for seg in arc.windows(2) {
            let (a, b) = (seg[0], seg[1]);
            if (a.0 - b.0).abs() > 180.0 || on_frame(a, b) {
                continue;
            }
            let outside = a.0.max(b.0) < r.lon_min
                || a.0.min(b.0) > r.lon_max
                || a.1.max(b.1) < r.lat_min
                || a.1.min(b.1) > r.lat_max;
            if outside {
                continue;
            }
            raster.line(layout.plot_xy(a.0, a.1), layout.plot_xy(b.0, b.1), color, 0.9);
        }
    }
}

#[cfg(test)]
#[path = "geo_tests.rs"]
mod tests;
