//! The interactive map's data: the cell grid with cluster ids and hover values, encoded as
//! compact JSON, and the Blue Marble background downscaled to a JPEG for embedding.

use super::ReportError;
use super::encode::compact_number;
use serde::Serialize;
use std::sync::OnceLock;

/// Significant digits kept for hover values: enough to read, small enough to embed 64,800 cells.
pub const HOVER_DIGITS: usize = 4;

/// Size of the embedded background (equirectangular, -180..180 E, 90..-90 N).
pub const BACKGROUND_WIDTH: u32 = 2048;
pub const BACKGROUND_HEIGHT: u32 = 1024;
/// JPEG quality of the embedded background.
pub const BACKGROUND_QUALITY: u8 = 80;

/// NASA Blue Marble, 4096 x 2048, shipped in assets/map (public domain, see assets/NOTICE.md).
const BLUE_MARBLE_JPEG: &[u8] = include_bytes!("../../assets/map/blue_marble_4096x2048.jpg");

/// One variable shown when hovering a cell.
#[derive(Debug, Clone, PartialEq)]
pub struct MapVariable {
    pub name: String,
    pub units: String,
    /// One value per cell, row-major like [`MapData::clusters`]; NaN where missing.
    pub values: Vec<f64>,
}

/// A regular latitude-longitude grid of cells, row 0 northmost, column 0 westmost.
///
/// Cell `(i, j)` spans latitudes `lat_north - (i + 1) * step_lat ..= lat_north - i * step_lat`
/// and longitudes `lon_west + j * step_lon ..= lon_west + (j + 1) * step_lon`; for the POLDER
/// 1-degree grid: 180 x 360, `lat_north = 90`, `lon_west = -180`, steps 1.
#[derive(Debug, Clone, PartialEq)]
pub struct MapData {
    pub n_rows: usize,
    pub n_cols: usize,
    /// Northern edge of row 0 (degrees north), not its centre.
    pub lat_north: f64,
    /// Western edge of column 0 (degrees east), not its centre.
    pub lon_west: f64,
    pub step_lat: f64,
    pub step_lon: f64,
    /// Cluster id per cell, row-major, `-1` where the cell was not clustered.
    pub clusters: Vec<i32>,
    /// Colour of each cluster id (index = id).
    pub cluster_colors: Vec<[u8; 3]>,
    /// Name of each cluster id; empty means "Cluster 0", "Cluster 1", ...
    pub cluster_names: Vec<String>,
    pub variables: Vec<MapVariable>,
}

/// What the viewer script reads (`<script type="application/json" id="map-data">`).
#[derive(Serialize)]
struct MapJson<'a> {
    rows: usize,
    cols: usize,
    #[serde(rename = "latNorth")]
    lat_north: f64,
    #[serde(rename = "lonWest")]
    lon_west: f64,
    #[serde(rename = "stepLat")]
    step_lat: f64,
    #[serde(rename = "stepLon")]
    step_lon: f64,
    clusters: &'a [i32],
    colors: Vec<String>,
    names: Vec<String>,
    variables: Vec<VariableJson<'a>>,
}

/// Values as one comma-separated string, empty where missing: a third the size of a JSON
/// array with `null`s for the mostly-ocean global grid.
#[derive(Serialize)]
struct VariableJson<'a> {
    name: &'a str,
    units: &'a str,
    values: String,
}

impl MapData {
    fn n_clusters(&self) -> usize {
        self.cluster_colors.len()
    }

    /// Check shapes and ids; errors name the offending field.
    pub fn validate(&self) -> Result<(), ReportError> {
        let bad = |message: String| Err(ReportError::Map(message));
        let n_cells = self.n_rows * self.n_cols;
        if n_cells == 0 {
            return bad(format!("empty grid {} x {}", self.n_rows, self.n_cols));
        }
        let geometry = [self.lat_north, self.lon_west, self.step_lat, self.step_lon];
        if geometry.iter().any(|v| !v.is_finite()) || self.step_lat <= 0.0 || self.step_lon <= 0.0 {
            return bad(format!(
                "grid geometry must be finite with positive steps (lat_north {}, lon_west {}, step_lat {}, step_lon {})",
                self.lat_north, self.lon_west, self.step_lat, self.step_lon
            ));
        }
        if self.clusters.len() != n_cells {
            return bad(format!(
                "clusters has {} values, grid {} x {} has {n_cells} cells",
                self.clusters.len(),
                self.n_rows,
                self.n_cols
            ));
        }
        if !self.cluster_names.is_empty() && self.cluster_names.len() != self.n_clusters() {
            return bad(format!(
                "{} cluster names for {} cluster colours",
                self.cluster_names.len(),
                self.n_clusters()
            ));
        }
        if let Some((cell, id)) = self
            .clusters
            .iter()
            .enumerate()
            .find(|&(_, &id)| id < -1 || id >= self.n_clusters() as i32)
        {
            return bad(format!(
                "cell {cell} has cluster id {id}, expected -1 or 0..{} (one colour per cluster)",
                self.n_clusters()
            ));
        }
        for variable in &self.variables {
            if variable.values.len() != n_cells {
                return bad(format!(
                    "variable {}: {} values for {n_cells} cells",
                    variable.name,
                    variable.values.len()
                ));
            }
        }
        Ok(())
    }

    /// The compact JSON the viewer reads (not yet escaped for a `<script>` element).
    pub fn to_json(&self) -> Result<String, ReportError> {
        self.validate()?;
        let names = (0..self.n_clusters())
            .map(|i| {
                self.cluster_names
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| format!("Cluster {i}"))
            })
            .collect();
        let json = MapJson {
            rows: self.n_rows,
            cols: self.n_cols,
            lat_north: self.lat_north,
            lon_west: self.lon_west,
            step_lat: self.step_lat,
            step_lon: self.step_lon,
            clusters: &self.clusters,
            colors: self.cluster_colors.iter().map(|c| hex_color(*c)).collect(),
            names,
            variables: self
                .variables
                .iter()
                .map(|v| VariableJson {
                    name: &v.name,
                    units: &v.units,
                    values: joined_values(&v.values),
                })
                .collect(),
        };
        serde_json::to_string(&json).map_err(|e| ReportError::Map(format!("cannot encode map data: {e}")))
    }
}

/// `#rrggbb`.
pub fn hex_color([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

fn joined_values(values: &[f64]) -> String {
    let mut out = String::with_capacity(values.len() * 4);
    for (i, &v) in values.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if let Some(text) = compact_number(v, HOVER_DIGITS) {
            out.push_str(&text);
        }
    }
    out
}

/// The Blue Marble downscaled to [`BACKGROUND_WIDTH`] x [`BACKGROUND_HEIGHT`] JPEG, made once
/// per process (decoding and resizing the 4096 x 2048 original takes a noticeable moment).
pub fn background_jpeg() -> Result<&'static [u8], ReportError> {
    static CACHE: OnceLock<Result<Vec<u8>, String>> = OnceLock::new();
    CACHE
        .get_or_init(|| downscale_jpeg(BLUE_MARBLE_JPEG, BACKGROUND_WIDTH, BACKGROUND_HEIGHT))
        .as_ref()
        .map(Vec::as_slice)
        .map_err(|e| ReportError::Background(e.clone()))
}

/// Decode a JPEG, resize it to `width` x `height`, and encode it again at [`BACKGROUND_QUALITY`].
pub fn downscale_jpeg(jpeg: &[u8], width: u32, height: u32) -> Result<Vec<u8>, String> {
    let image = image::load_from_memory_with_format(jpeg, image::ImageFormat::Jpeg)
        .map_err(|e| format!("cannot decode the Blue Marble JPEG: {e}"))?;
    // Triangle (bilinear) averages the 2x2 source pixels of a halving: no aliasing, and fast.
    let small = image
        .resize_exact(width, height, image::imageops::FilterType::Triangle)
        .to_rgb8();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, BACKGROUND_QUALITY)
        .encode_image(&small)
        .map_err(|e| format!("cannot encode the map background: {e}"))?;
    Ok(out)
}

#[cfg(test)]
#[path = "map_tests.rs"]
mod tests;
