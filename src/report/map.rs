//! The interactive map's data: the selected cells with their cluster and hover values, an
//! image of the cluster layer, and the Blue Marble background downscaled to a JPEG.
//!
//! Sized for 0.1 and 0.05 degree grids (millions of cells) in ONE offline file:
//!
//! * the cluster layer is a grey-level PNG (value = cluster id + 1, 0 = no cell) over the
//!   selected cells' bounding box at the grid's resolution, or coarser by an integer factor so
//!   it is at most [`MAX_LAYER_SIZE`] pixels on a side, each pixel then showing the majority
//!   cluster of its cells (ties: the lowest id); the viewer colours it and draws it scaled;
//! * hover data is one compact binary block (base64), see [`encode_cells`]: per cell its grid
//!   index (delta-coded LEB128 varints), cluster id (u8) and each variable quantized to u16 over
//!   its range. About 16 bytes a cell for 7 variables; beyond [`MAX_HOVER_BYTES`] only every
//!   `s`-th cell keeps hover values and the viewer says so.

use super::ReportError;
use crate::plot::GridGeometry;
use crate::plot::binning::LabelCounts;
use serde::Serialize;
use std::sync::OnceLock;

/// Size of the embedded background (equirectangular, -180..180 E, 90..-90 N).
pub const BACKGROUND_WIDTH: u32 = 2048;
pub const BACKGROUND_HEIGHT: u32 = 1024;
/// JPEG quality of the embedded background.
pub const BACKGROUND_QUALITY: u8 = 80;
/// Longest side of the cluster layer image, pixels.
pub const MAX_LAYER_SIZE: usize = 4096;
/// Largest hover block before cells are subsampled (bytes before base64).
pub const MAX_HOVER_BYTES: usize = 30_000_000;
/// Quantized value marking a missing variable value.
pub const MISSING_U16: u16 = u16::MAX;
/// Largest quantized value: `v = min + q / QUANT_MAX * (max - min)`.
pub const QUANT_MAX: f64 = 65534.0;
/// First bytes of the hover block (format version 1).
pub const HOVER_MAGIC: &[u8; 4] = b"LCM1";

/// NASA Blue Marble, 4096 x 2048, shipped in assets/map (public domain, see assets/NOTICE.md).
const BLUE_MARBLE_JPEG: &[u8] = include_bytes!("../../assets/map/blue_marble_4096x2048.jpg");

/// One variable shown when hovering a cell.
#[derive(Debug, Clone, PartialEq)]
pub struct MapVariable {
    pub name: String,
    pub units: String,
    /// One value per selected cell, like [`MapData::cells`]; NaN where missing.
    pub values: Vec<f64>,
}

/// The selected cells of a regular latitude-longitude grid, with their cluster and values.
///
/// `geometry` gives the cell centres (row 0 northmost, column 0 westmost); cell `(i, j)` spans
/// half a step either side of its centre. For the POLDER 1-degree grid: 180 x 360 cells,
/// centres from 89.5 N and 179.5 W, steps 1.
#[derive(Debug, Clone, PartialEq)]
pub struct MapData {
    pub geometry: GridGeometry,
    /// `(row, col)` of each selected cell, any order, no duplicates.
    pub cells: Vec<(usize, usize)>,
    /// Cluster id of each cell (`< 255`).
    pub clusters: Vec<usize>,
    /// Colour of each cluster id (index = id).
    pub cluster_colors: Vec<[u8; 3]>,
    /// Name of each cluster id; empty means "Cluster 0", "Cluster 1", ...
    pub cluster_names: Vec<String>,
    pub variables: Vec<MapVariable>,
}

/// What the viewer script reads (`<script type="application/json" id="map-data">`).
#[derive(Serialize)]
struct MapJson {
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
    colors: Vec<String>,
    names: Vec<String>,
    /// Cells per cluster.
    counts: Vec<usize>,
    variables: Vec<VariableJson>,
    layer: LayerJson,
    /// Cells in the hover block, and the stride they were kept with (1 = all).
    #[serde(rename = "hoverCells")]
    hover_cells: usize,
    #[serde(rename = "hoverStride")]
    hover_stride: usize,
    /// A few cells decoded by Rust, which the viewer's self-test decodes again and compares.
    probes: Vec<ProbeJson>,
}

#[derive(Serialize)]
struct VariableJson {
    name: String,
    units: String,
    min: f64,
    max: f64,
}

/// Where the layer image lies: pixel (x, y) covers rows `row0 + y * factor ..` and columns
/// `col0 + x * factor ..`, `factor` cells a side.
#[derive(Serialize, Debug, Clone, Copy, PartialEq)]
pub struct LayerJson {
    pub row0: usize,
    pub col0: usize,
    pub width: usize,
    pub height: usize,
    pub factor: usize,
}

#[derive(Serialize)]
struct ProbeJson {
    index: u64,
    cluster: usize,
    values: Vec<Option<f64>>,
}

/// The map's parts as embedded in the page.
pub struct EncodedMap {
    /// The JSON for `<script id="map-data">` (not yet escaped for a `<script>` element).
    pub json: String,
    /// The grey-level PNG of the cluster layer (value = cluster id + 1).
    pub layer_png: Vec<u8>,
    /// The binary hover block, see [`encode_cells`].
    pub hover: Vec<u8>,
}

/// One decoded cell of a hover block.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedCell {
    /// Grid index `row * n_cols + col`.
    pub index: u64,
    pub cluster: u8,
    /// Values after quantization; `None` where missing.
    pub values: Vec<Option<f64>>,
}

impl MapData {
    fn n_clusters(&self) -> usize {
        self.cluster_colors.len()
    }

    /// Check shapes and ids; errors name the offending field.
    pub fn validate(&self) -> Result<(), ReportError> {
        let bad = |message: String| Err(ReportError::Map(message));
        let g = &self.geometry;
        if let Err(m) = g.validate() {
            return bad(m);
        }
        if self.clusters.len() != self.cells.len() {
            return bad(format!(
                "clusters has {} values for {} cells",
                self.clusters.len(),
                self.cells.len()
            ));
        }
        if self.n_clusters() > 255 {
            return bad(format!("{} clusters: the map shows at most 255", self.n_clusters()));
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
            .find(|&(_, &id)| id >= self.n_clusters())
        {
            return bad(format!(
                "cell {cell} has cluster id {id}, expected 0..{} (one colour per cluster)",
                self.n_clusters()
            ));
        }
        if let Some((i, (r, c))) = self
            .cells
            .iter()
            .enumerate()
            .find(|(_, (r, c))| *r >= g.n_rows || *c >= g.n_cols)
        {
            return bad(format!(
                "cell {i} at row {r}, column {c} is outside the grid of {} x {} cells",
                g.n_rows, g.n_cols
            ));
        }
        for variable in &self.variables {
            if variable.values.len() != self.cells.len() {
                return bad(format!(
                    "variable {}: {} values for {} cells",
                    variable.name,
                    variable.values.len(),
                    self.cells.len()
                ));
            }
        }
        Ok(())
    }

    /// Grid index of cell `i`.
    fn index(&self, i: usize) -> u64 {
        let (r, c) = self.cells[i];
        (r * self.geometry.n_cols + c) as u64
    }

    /// Cell positions sorted by grid index (checked for duplicates).
    fn order(&self) -> Result<Vec<usize>, ReportError> {
        let mut order: Vec<usize> = (0..self.cells.len()).collect();
        if !self.cells.windows(2).all(|w| w[0] < w[1]) {
            order.sort_unstable_by_key(|&i| self.index(i));
        }
        if let Some(w) = order.windows(2).find(|w| self.index(w[0]) == self.index(w[1])) {
            let (r, c) = self.cells[w[0]];
            return Err(ReportError::Map(format!("cell at row {r}, column {c} is listed twice")));
        }
        Ok(order)
    }

    /// Range of each variable's finite values (`(0, 0)` without one).
    fn ranges(&self) -> Vec<(f64, f64)> {
        self.variables
            .iter()
            .map(|v| {
                let (lo, hi) = v
                    .values
                    .iter()
                    .filter(|x| x.is_finite())
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| (a.min(x), b.max(x)));
                if lo.is_finite() { (lo, hi) } else { (0.0, 0.0) }
            })
            .collect()
    }

    /// Everything the page embeds: JSON, layer PNG and hover block.
    pub fn encode(&self) -> Result<EncodedMap, ReportError> {
        self.validate()?;
        let order = self.order()?;
        let ranges = self.ranges();
        let stride = hover_stride(self, &order);
        let kept: Vec<usize> = order.iter().copied().step_by(stride).collect();
        let hover = encode_cells(self, &kept, &ranges);
        let (layer, layer_png) = self.layer_png(&order)?;
        let g = &self.geometry;
        let mut counts = vec![0usize; self.n_clusters()];
        for &c in &self.clusters {
            counts[c] += 1;
        }
        let probes = if kept.is_empty() {
            Vec::new()
        } else {
            let decoded = decode_cells_with(&hover, Some(&ranges)).map_err(ReportError::Map)?;
            [0, decoded.len() / 2, decoded.len() - 1]
                .iter()
                .map(|&i| ProbeJson {
                    index: decoded[i].index,
                    cluster: decoded[i].cluster as usize,
                    values: decoded[i].values.clone(),
                })
                .collect()
        };
        let json = MapJson {
            rows: g.n_rows,
            cols: g.n_cols,
            lat_north: g.lat0_north + g.step_lat / 2.0,
            lon_west: g.lon0_west - g.step_lon / 2.0,
            step_lat: g.step_lat,
            step_lon: g.step_lon,
            colors: self.cluster_colors.iter().map(|c| hex_color(*c)).collect(),
            names: (0..self.n_clusters())
                .map(|i| {
                    self.cluster_names
                        .get(i)
                        .cloned()
                        .unwrap_or_else(|| format!("Cluster {i}"))
                })
                .collect(),
            counts,
            variables: self
                .variables
                .iter()
                .zip(&ranges)
                .map(|(v, &(min, max))| VariableJson {
                    name: v.name.clone(),
                    units: v.units.clone(),
                    min,
                    max,
                })
                .collect(),
            layer,
            hover_cells: kept.len(),
            hover_stride: stride,
            probes,
        };
        let json =
            serde_json::to_string(&json).map_err(|e| ReportError::Map(format!("cannot encode map data: {e}")))?;
        Ok(EncodedMap { json, layer_png, hover })
    }

    /// The cluster layer over the cells' bounding box, majority per pixel when downscaled, as a
    /// grey-level PNG (cluster id + 1, 0 = empty). Processes one band of `factor` grid rows at
    /// a time (cells in grid order), so memory is O(layer width x k), not O(pixels x k).
    fn layer_png(&self, order: &[usize]) -> Result<(LayerJson, Vec<u8>), ReportError> {
        let (mut r0, mut r1, mut c0, mut c1) = (usize::MAX, 0, usize::MAX, 0);
        for &(r, c) in &self.cells {
            (r0, r1, c0, c1) = (r0.min(r), r1.max(r), c0.min(c), c1.max(c));
        }
        if self.cells.is_empty() {
            (r0, r1, c0, c1) = (0, 0, 0, 0);
        }
        let (h, w) = (r1 - r0 + 1, c1 - c0 + 1);
        let factor = w.max(h).div_ceil(MAX_LAYER_SIZE).max(1);
        let (lw, lh) = (w.div_ceil(factor), h.div_ceil(factor));
        let mut pixels = vec![0u8; lw * lh];
        let k = self.n_clusters();
        let mut start = 0;
        while start < order.len() {
            let band = (self.cells[order[start]].0 - r0) / factor;
            let mut end = start;
            while end < order.len() && (self.cells[order[end]].0 - r0) / factor == band {
                end += 1;
            }
            let row = &mut pixels[band * lw..(band + 1) * lw];
            if factor == 1 {
                for &i in &order[start..end] {
                    row[self.cells[i].1 - c0] = self.clusters[i] as u8 + 1;
                }
            } else {
                let counts = LabelCounts::new(
                    lw,
                    k,
                    order[start..end]
                        .iter()
                        .map(|&i| ((self.cells[i].1 - c0) / factor, self.clusters[i])),
                );
                for (x, px) in row.iter_mut().enumerate() {
                    *px = counts.majority(x).map_or(0, |l| l as u8 + 1);
                }
            }
            start = end;
        }
        let mut png = Vec::new();
        image::ImageEncoder::write_image(
            image::codecs::png::PngEncoder::new(&mut png),
            &pixels,
            lw as u32,
            lh as u32,
            image::ExtendedColorType::L8,
        )
        .map_err(|e| ReportError::Map(format!("cannot encode the cluster layer: {e}")))?;
        let layer = LayerJson {
            row0: r0,
            col0: c0,
            width: lw,
            height: lh,
            factor,
        };
        Ok((layer, png))
    }
}

/// Keep every `stride`-th cell so the hover block fits in [`MAX_HOVER_BYTES`]: its exact size
/// with all cells (varint bytes counted) divided by the budget, rounded up.
fn hover_stride(map: &MapData, order: &[usize]) -> usize {
    let mut prev = 0u64;
    let mut varint_bytes = 0usize;
    for &i in order {
        let index = map.index(i);
        varint_bytes += varint_len(index - prev);
        prev = index;
    }
    let total = 17 + varint_bytes + order.len() * (1 + 2 * map.variables.len());
    total.div_ceil(MAX_HOVER_BYTES).max(1)
}

/// Bytes of the LEB128 varint of `v`.
fn varint_len(v: u64) -> usize {
    ((64 - v.leading_zeros() as usize).max(1)).div_ceil(7)
}

/// The hover block of cells `kept` (positions into `map.cells`, in increasing grid index):
///
/// ```text
/// "LCM1"  u32 n  u32 n_vars  u32 varint_bytes        (little-endian)
/// n unsigned LEB128 varints: grid index minus the previous one (the first from 0)
/// n x u8 cluster id
/// 0 or 1 padding byte (the u16 columns start at an even offset)
/// n_vars columns of n x u16: round((v - min) / (max - min) * 65534), 65535 = missing
/// ```
///
/// Decoding in the viewer (JavaScript `DataView`) mirrors [`decode_cells`].
pub fn encode_cells(map: &MapData, kept: &[usize], ranges: &[(f64, f64)]) -> Vec<u8> {
    let n = kept.len();
    let n_vars = map.variables.len();
    let mut varints = Vec::with_capacity(n * 2);
    let mut prev = 0u64;
    for &i in kept {
        let index = map.index(i);
        let mut delta = index - prev;
        prev = index;
        loop {
            let byte = (delta & 0x7f) as u8;
            delta >>= 7;
            if delta == 0 {
                varints.push(byte);
                break;
            }
            varints.push(byte | 0x80);
        }
    }
    let mut out = Vec::with_capacity(16 + varints.len() + n + 1 + 2 * n * n_vars);
    out.extend_from_slice(HOVER_MAGIC);
    for v in [n, n_vars, varints.len()] {
        out.extend_from_slice(&(v as u32).to_le_bytes());
    }
    out.extend_from_slice(&varints);
    out.extend(kept.iter().map(|&i| map.clusters[i] as u8));
    if out.len() % 2 == 1 {
        out.push(0);
    }
    for (variable, &(min, max)) in map.variables.iter().zip(ranges) {
        for &i in kept {
            out.extend_from_slice(&quantize(variable.values[i], min, max).to_le_bytes());
        }
    }
    out
}

/// `v` as u16 over `min..max` ([`MISSING_U16`] for NaN or infinities).
pub fn quantize(v: f64, min: f64, max: f64) -> u16 {
    if !v.is_finite() {
        return MISSING_U16;
    }
    if max <= min {
        return 0;
    }
    ((v - min) / (max - min) * QUANT_MAX).round().clamp(0.0, QUANT_MAX) as u16
}

/// The value a quantized `q` stands for (`None` for [`MISSING_U16`]).
pub fn dequantize(q: u16, min: f64, max: f64) -> Option<f64> {
    (q != MISSING_U16).then(|| min + q as f64 / QUANT_MAX * (max - min))
}

/// Decode a hover block the way the viewer does, values left as their u16 codes (see
/// [`decode_cells_with`] for values).
pub fn decode_cells(block: &[u8]) -> Result<Vec<DecodedCell>, String> {
    decode_cells_with(block, None)
}

/// [`decode_cells`] with each variable's `(min, max)` to turn u16 back into values; without
/// ranges the raw u16 is returned as the value.
pub fn decode_cells_with(block: &[u8], ranges: Option<&[(f64, f64)]>) -> Result<Vec<DecodedCell>, String> {
    let u32_at = |o: usize| -> Result<usize, String> {
        let b = block.get(o..o + 4).ok_or("hover block truncated in its header")?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    if block.get(0..4) != Some(HOVER_MAGIC.as_slice()) {
        return Err("hover block does not start with LCM1".into());
    }
    let (n, n_vars, varint_bytes) = (u32_at(4)?, u32_at(8)?, u32_at(12)?);
    let mut pos = 16;
    let mut index = 0u64;
    let mut cells = Vec::with_capacity(n);
    for _ in 0..n {
        let (mut delta, mut shift) = (0u64, 0);
        loop {
            let byte = *block.get(pos).ok_or("hover block truncated in its indices")?;
            pos += 1;
            delta |= u64::from(byte & 0x7f) << shift;
            shift += 7;
            if byte & 0x80 == 0 {
                break;
            }
        }
        index += delta;
        cells.push(DecodedCell {
            index,
            cluster: 0,
            values: Vec::with_capacity(n_vars),
        });
    }
    if pos != 16 + varint_bytes {
        return Err(format!(
            "hover block: indices take {} bytes, header says {varint_bytes}",
            pos - 16
        ));
    }
    let clusters = block.get(pos..pos + n).ok_or("hover block truncated in its clusters")?;
    for (cell, &c) in cells.iter_mut().zip(clusters) {
        cell.cluster = c;
    }
    pos += n;
    pos += pos % 2;
    for v in 0..n_vars {
        let column = block
            .get(pos + 2 * n * v..pos + 2 * n * (v + 1))
            .ok_or("hover block truncated in its values")?;
        for (cell, q) in cells.iter_mut().zip(column.chunks_exact(2)) {
            let q = u16::from_le_bytes([q[0], q[1]]);
            let value = match ranges {
                Some(r) => dequantize(q, r[v].0, r[v].1),
                None => (q != MISSING_U16).then_some(q as f64),
            };
            cell.values.push(value);
        }
    }
    Ok(cells)
}

/// `#rrggbb`.
pub fn hex_color([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
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
