//! What a GeoTIFF holds, for `landclust inspect`: layout, georeferencing, and each band (the
//! variables) with its type, scale/offset, no-data and valid-cell count. Serializes to JSON;
//! `Display` prints the same aligned table as the netCDF summary.
//!
//! Counting valid cells decodes every chunk; a file whose row of chunks decodes to more than
//! [`SUMMARY_CHUNK_ROW_MAX`] is described without the counts (a note says why), so `inspect`
//! never inflates a strip bomb.

use super::GeoTiffReader;
use crate::dataset::BLOCK_CELLS;
use crate::io::summary::{GridSummary, number, write_table};
use serde::Serialize;
use std::fmt;

/// The largest decoded row of chunks `inspect` decodes to count valid cells (about the `tiff` crate's
/// own default decoding limit).
pub const SUMMARY_CHUNK_ROW_MAX: u64 = 256_000_000;

/// One band (variable) of the file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BandSummary {
    pub name: String,
    /// Stored type in Rust spelling (`i16`, `f32`, ...).
    #[serde(rename = "type")]
    pub dtype: String,
    pub units: Option<String>,
    pub scale: f64,
    pub offset: f64,
    pub nodata: Option<f64>,
    /// The user's decoding applied over the file's (`--decode`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decode: Option<crate::dataset::DecodeOverride>,
    /// Cells with a value (not no-data, not NaN); `None` when the band cannot be decoded.
    pub n_valid: Option<u64>,
    pub n_cells: u64,
}

/// Everything `landclust inspect` shows about a GeoTIFF.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TiffSummary {
    pub path: String,
    pub format: String,
    pub width: usize,
    pub height: usize,
    /// `strips of N rows` or `tiles of W x H`, and `pixel`/`band` interleaving.
    pub layout: String,
    pub compression: String,
    pub overviews: usize,
    pub crs: String,
    /// The CRS in parts (datum, ellipsoid, prime meridian, angular unit).
    pub geographic_crs: crate::dataset::GeographicCrs,
    pub grid: GridSummary,
    pub bands: Vec<BandSummary>,
    /// Why a band could not be read.
    pub error: Option<String>,
    /// Why the valid cells were not counted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl GeoTiffReader {
    /// Describe the file; each band's valid cells are counted in blocks of rows.
    #[allow(clippy::single_range_in_vec_init)] // one column segment: the whole width
    pub fn summary(&self) -> TiffSummary {
        let g = &self.grid;
        let l = &self.layout;
        let block_rows = (BLOCK_CELLS / g.n_cols.max(1)).max(1);
        let mut error = None;
        let decoded = self.buffer_bytes();
        let count = decoded <= SUMMARY_CHUNK_ROW_MAX;
        let note = (!count).then(|| {
            format!(
                "valid cells not counted: one row of {} decodes to {} (inspect decodes at most {}); gdal_translate -co TILED=YES in.tif out.tif rewrites it in tiles",
                if l.tiled { "tiles" } else { "strips" },
                crate::dataset::format_bytes(decoded),
                crate::dataset::format_bytes(SUMMARY_CHUNK_ROW_MAX)
            )
        });
        let bands = self
            .bands
            .iter()
            .enumerate()
            .map(|(k, b)| {
                let mut valid = 0u64;
                let mut r = 0;
                let mut ok = count;
                while r < g.n_rows && ok {
                    let r1 = (r + block_rows).min(g.n_rows);
                    match self.read_band_block(k, r..r1, &[0..g.n_cols]) {
                        Ok(v) => valid += v.iter().filter(|x| !x.is_nan()).count() as u64,
                        Err(e) => {
                            if error.is_none() {
                                error = Some(e.to_string());
                            }
                            ok = false;
                        }
                    }
                    r = r1;
                }
                BandSummary {
                    name: b.name.clone(),
                    dtype: self.sample_type.clone(),
                    units: b.units.clone(),
                    scale: b.scale,
                    offset: b.offset,
                    nodata: self.band_nodata(k),
                    decode: b.decode.clone(),
                    n_valid: ok.then_some(valid),
                    n_cells: g.len() as u64,
                }
            })
            .collect();
        let chunks = if l.tiled {
            format!("tiles of {} x {}", l.chunk_w, l.chunk_h)
        } else {
            format!("strips of {} rows", l.chunk_h)
        };
        let interleave = if l.planar || l.samples == 1 { "band" } else { "pixel" };
        TiffSummary {
            path: self.path.display().to_string(),
            format: "GeoTIFF".into(),
            width: l.width,
            height: l.height,
            layout: format!("{chunks}, {interleave} interleaved"),
            compression: self.compression.clone(),
            overviews: self.overviews,
            crs: match (&g.projection, &g.crs) {
                (Some(p), _) => format!("{p}, projected ({}) on {}", p.method.name(), p.base),
                (None, None) => "EPSG:4326 (WGS 84, geographic)".into(),
                (None, Some(c)) => format!("{c}, geographic"),
            },
            geographic_crs: g.crs(),
            grid: GridSummary::of(g),
            bands,
            error,
            note,
        }
    }
}

impl fmt::Display for TiffSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} ({})", self.path, self.format)?;
        let g = &self.grid;
        writeln!(
            f,
            "grid: {} x {} cells of {}, {}; lat {}..{}, lon {}..{}",
            g.n_rows,
            g.n_cols,
            g.cell_text(),
            self.crs,
            number(g.lat_range.0),
            number(g.lat_range.1),
            number(g.lon_range.0),
            number(g.lon_range.1)
        )?;
        let o = &g.orientation;
        let mut steps = Vec::new();
        if o.lat_flipped {
            steps.push("rows flipped (file is south first)".to_string());
        }
        if o.lon_shift > 0 {
            steps.push(format!("columns rotated by {} (0..360 -> -180..180)", o.lon_shift));
        }
        let orient = if steps.is_empty() {
            "as stored".to_string()
        } else {
            steps.join(", ")
        };
        writeln!(f, "orientation: {orient}")?;
        writeln!(
            f,
            "layout: {}, compression {}, {} overview(s)",
            self.layout, self.compression, self.overviews
        )?;
        writeln!(f, "variables ({} bands):", self.bands.len())?;
        let header = ["name", "type", "units", "scale", "offset", "nodata", "valid"];
        let mut rows = vec![header.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
        for b in &self.bands {
            rows.push(vec![
                b.name.clone(),
                b.dtype.clone(),
                b.units.clone().unwrap_or_default(),
                number(b.scale),
                number(b.offset),
                b.nodata.map(number).unwrap_or_default(),
                b.n_valid.map_or("-".into(), |n| format!("{n}/{}", b.n_cells)),
            ]);
        }
        write_table(f, &rows)?;
        for b in &self.bands {
            if let Some(o) = &b.decode {
                writeln!(f, "decoding of {} set by --decode: {}", b.name, o.describe())?;
            }
        }
        if let Some(e) = &self.error {
            writeln!(f, "error: {e}")?;
        }
        if let Some(n) = &self.note {
            writeln!(f, "note: {n}")?;
        }
        Ok(())
    }
}
