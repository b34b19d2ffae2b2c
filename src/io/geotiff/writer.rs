//! A small GeoTIFF writer for landclust's single-band rasters (labels.tif, confidence.tif).
//!
//! Written by hand rather than with the `tiff` crate's encoder because that encoder (0.11)
//! writes strips only: no internal tiles, no reduced-resolution IFDs (overviews) and no control
//! over where IFDs and data go, all of which a cloud-optimised GeoTIFF needs. This writer knows
//! exactly one layout: little-endian classic TIFF, one band, deflate (zlib, code 8) chunks.
//!
//! * Small grids (both sides <= [`COG_MIN_SIDE`]): one image in strips.
//! * Larger grids: a cloud-optimised GeoTIFF (COG, as GDAL's COG driver writes and
//!   `validate_cloud_optimized_geotiff.py` checks): [`COG_TILE`] x [`COG_TILE`] tiles, overviews
//!   halving the size until the image fits one tile (labels: the mode of each 2x2 block, like
//!   GDAL's `-r mode`; floats: the mean of the valid values, `-r average`), every IFD at the start
//!   of the file (full resolution first), then tile data from the smallest overview to the full
//!   resolution.
//!
//! Georeferencing: ModelPixelScale + ModelTiepoint (upper-left corner), GeoKeys of the input's
//! geographic CRS (WGS 84, EPSG:4326, by default; [`geographic_geokeys`]), PixelIsArea
//! (OGC 19-008r4). NoData goes in GDAL_NODATA, the band name in
//! GDAL_METADATA, a palette in ColorMap (TIFF 6.0 section 5: 16-bit values, all reds first).

use super::metadata;
use crate::io::IoError;
use std::io::Write;
use std::path::Path;

/// Grids with a side above this are written as cloud-optimised GeoTIFFs.
pub const COG_MIN_SIDE: usize = 2048;
/// Tile side of a cloud-optimised GeoTIFF (GDAL's COG default).
pub const COG_TILE: usize = 512;

/// The pixels of a single-band raster, row-major, north first.
#[derive(Debug, Clone, PartialEq)]
pub enum RasterData {
    U8(Vec<u8>),
    /// Labels of more than 255 classes (65535 the no-data value); written without a palette.
    U16(Vec<u16>),
    F32(Vec<f32>),
}

impl RasterData {
    fn len(&self) -> usize {
        match self {
            RasterData::U8(v) => v.len(),
            RasterData::U16(v) => v.len(),
            RasterData::F32(v) => v.len(),
        }
    }

    fn bytes_per_sample(&self) -> usize {
        match self {
            RasterData::U8(_) => 1,
            RasterData::U16(_) => 2,
            RasterData::F32(_) => 4,
        }
    }
}

/// A single-band raster on a regular lat/lon grid with what its file should say about it.
#[derive(Debug, Clone, PartialEq)]
pub struct GeoRaster {
    pub width: usize,
    pub height: usize,
    /// Longitude of the western edge of the first column (degrees east).
    pub west: f64,
    /// Latitude of the northern edge of the first row (degrees north).
    pub north: f64,
    /// Cell size in longitude and latitude (degrees, both positive).
    pub dlon: f64,
    pub dlat: f64,
    pub data: RasterData,
    /// The no-data value (255 for labels, NaN for floats).
    pub nodata: Option<f64>,
    /// A palette (entry k = colour of value k), 8-bit rasters only (a 16-bit raster is written
    /// without one: a 16-bit ColorMap holds 65536 entries per channel).
    pub colormap: Option<Vec<[u8; 3]>>,
    /// The band description (its variable name when read back).
    pub description: Option<String>,
}

/// One IFD entry: tag, TIFF type, count and the value bytes (little endian).
struct Entry {
    tag: u16,
    kind: u16,
    count: u32,
    data: Vec<u8>,
}

fn shorts(tag: u16, v: &[u16]) -> Entry {
    Entry {
        tag,
        kind: 3,
        count: v.len() as u32,
        data: v.iter().flat_map(|x| x.to_le_bytes()).collect(),
    }
}

fn longs(tag: u16, v: &[u32]) -> Entry {
    Entry {
        tag,
        kind: 4,
        count: v.len() as u32,
        data: v.iter().flat_map(|x| x.to_le_bytes()).collect(),
    }
}

fn doubles(tag: u16, v: &[f64]) -> Entry {
    Entry {
        tag,
        kind: 12,
        count: v.len() as u32,
        data: v.iter().flat_map(|x| x.to_le_bytes()).collect(),
    }
}

fn ascii(tag: u16, text: &str) -> Entry {
    let mut data = text.as_bytes().to_vec();
    data.push(0);
    Entry {
        tag,
        kind: 2,
        count: data.len() as u32,
        data,
    }
}

/// Bytes an IFD with these entries takes, its out-of-line values included (word aligned).
fn ifd_len(entries: &[Entry]) -> usize {
    let extra: usize = entries
        .iter()
        .filter(|e| e.data.len() > 4)
        .map(|e| e.data.len().next_multiple_of(2))
        .sum();
    2 + 12 * entries.len() + 4 + extra
}

/// The IFD bytes for an IFD placed at `at`, pointing to `next` (0: the last).
fn ifd_bytes(entries: &mut [Entry], at: usize, next: u32) -> Vec<u8> {
    entries.sort_by_key(|e| e.tag);
    let mut head = Vec::with_capacity(ifd_len(entries));
    let mut tail = Vec::new();
    let mut tail_at = at + 2 + 12 * entries.len() + 4;
    head.extend((entries.len() as u16).to_le_bytes());
    for e in entries.iter() {
        head.extend(e.tag.to_le_bytes());
        head.extend(e.kind.to_le_bytes());
        head.extend(e.count.to_le_bytes());
        if e.data.len() <= 4 {
            let mut inline = e.data.clone();
            inline.resize(4, 0);
            head.extend(inline);
        } else {
            head.extend((tail_at as u32).to_le_bytes());
            tail.extend(&e.data);
            if e.data.len() % 2 == 1 {
                tail.push(0);
            }
            tail_at += e.data.len().next_multiple_of(2);
        }
    }
    head.extend(next.to_le_bytes());
    head.extend(tail);
    head
}

/// One image (the full resolution or an overview) and its compressed chunks.
struct Image {
    width: usize,
    height: usize,
    chunks: Vec<Vec<u8>>,
}

/// Deflate (zlib) a chunk.
fn deflate(raw: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
    enc.write_all(raw)?;
    enc.finish()
}

/// Little-endian bytes of the samples of rows `y0..y1`, columns `x0..x0 + w` (padded with
/// `fill` to `w` columns and `h` rows: edge tiles are stored whole).
fn chunk_bytes(
    data: &RasterData,
    width: usize,
    height: usize,
    (x0, y0, w, h): (usize, usize, usize, usize),
) -> Vec<u8> {
    let bps = data.bytes_per_sample();
    let mut out = Vec::with_capacity(w * h * bps);
    for y in y0..y0 + h {
        for x in x0..x0 + w {
            let inside = y < height && x < width;
            match data {
                RasterData::U8(v) => out.push(if inside { v[y * width + x] } else { 0 }),
                RasterData::U16(v) => out.extend((if inside { v[y * width + x] } else { 0 }).to_le_bytes()),
                RasterData::F32(v) => out.extend((if inside { v[y * width + x] } else { f32::NAN }).to_le_bytes()),
            }
        }
    }
    out
}

/// The next overview: half the size, each pixel from its 2x2 block (mode of the valid labels,
/// ties to the smallest; mean of the valid floats). `nodata` pixels are not counted.
fn downsample(data: &RasterData, width: usize, height: usize, nodata: Option<f64>) -> (RasterData, usize, usize) {
    let (w2, h2) = (width.div_ceil(2), height.div_ceil(2));
    let block = |x: usize, y: usize| {
        [(0, 0), (1, 0), (0, 1), (1, 1)]
            .into_iter()
            .map(move |(dx, dy)| (2 * x + dx, 2 * y + dy))
            .filter(move |&(a, b)| a < width && b < height)
    };
    // Mode of the valid labels of each 2x2 block, ties to the smallest label.
    fn mode<T: Copy + Ord, I: Iterator<Item = (usize, usize)>>(
        v: &[T],
        width: usize,
        (w2, h2): (usize, usize),
        nd: Option<T>,
        zero: T,
        block: impl Fn(usize, usize) -> I,
    ) -> Vec<T> {
        let mut o = Vec::with_capacity(w2 * h2);
        for y in 0..h2 {
            for x in 0..w2 {
                let mut counts: Vec<(T, u8)> = Vec::with_capacity(4);
                for (a, b) in block(x, y) {
                    let value = v[b * width + a];
                    if Some(value) == nd {
                        continue;
                    }
                    match counts.iter_mut().find(|(k, _)| *k == value) {
                        Some((_, c)) => *c += 1,
                        None => counts.push((value, 1)),
                    }
                }
                let best = counts.iter().max_by(|p, q| p.1.cmp(&q.1).then(q.0.cmp(&p.0)));
                o.push(best.map_or(nd.unwrap_or(zero), |&(k, _)| k));
            }
        }
        o
    }
    let out = match data {
        RasterData::U8(v) => RasterData::U8(mode(v, width, (w2, h2), nodata.map(|n| n as u8), 0, block)),
        RasterData::U16(v) => RasterData::U16(mode(v, width, (w2, h2), nodata.map(|n| n as u16), 0, block)),
        RasterData::F32(v) => {
            let mut o = Vec::with_capacity(w2 * h2);
            for y in 0..h2 {
                for x in 0..w2 {
                    let (s, n) = block(x, y)
                        .map(|(a, b)| v[b * width + a])
                        .filter(|f| !f.is_nan())
                        .fold((0.0f64, 0usize), |(s, n), f| (s + f64::from(f), n + 1));
                    o.push(if n == 0 { f32::NAN } else { (s / n as f64) as f32 });
                }
            }
            RasterData::F32(o)
        }
    };
    (out, w2, h2)
}

/// Compress one image into chunks: tiles of `tile` when given, otherwise strips of about 64 kB.
fn encode_image(data: &RasterData, width: usize, height: usize, tile: Option<usize>) -> std::io::Result<Image> {
    let rects: Vec<(usize, usize, usize, usize)> = match tile {
        Some(t) => (0..height.div_ceil(t))
            .flat_map(|ty| (0..width.div_ceil(t)).map(move |tx| (tx * t, ty * t, t, t)))
            .collect(),
        None => {
            let rps = strip_rows(width, data.bytes_per_sample());
            (0..height.div_ceil(rps))
                .map(|s| (0, s * rps, width, rps.min(height - s * rps)))
                .collect()
        }
    };
    let chunks = rects
        .iter()
        .map(|&r| deflate(&chunk_bytes(data, width, height, r)))
        .collect::<std::io::Result<_>>()?;
    Ok(Image { width, height, chunks })
}

/// Rows per strip for strips of about 64 kB.
fn strip_rows(width: usize, bps: usize) -> usize {
    (65536 / (width * bps).max(1)).max(1)
}

/// The GeoKey directory of geographic WGS 84, PixelIsArea, and its ASCII parameters.
pub fn wgs84_geokeys() -> (Vec<u16>, String) {
    use super::geokeys as k;
    let keys = [
        (k::GT_MODEL_TYPE, 0, 1, k::MODEL_GEOGRAPHIC),
        (k::GT_RASTER_TYPE, 0, 1, k::RASTER_PIXEL_IS_AREA),
        (k::GEOGRAPHIC_TYPE, 0, 1, k::EPSG_WGS84),
        (k::GEOG_CITATION, 34737, 7, 0),
        (k::GEOG_ANGULAR_UNITS, 0, 1, k::ANGULAR_DEGREE),
    ];
    let mut dir = vec![1, 1, 0, keys.len() as u16];
    for (id, loc, count, value) in keys {
        dir.extend([id, loc, count, value]);
    }
    (dir, "WGS 84|".to_string())
}

/// The GeoKey directory, its double and ASCII parameters for a geographic CRS: WGS 84 exactly
/// as [`wgs84_geokeys`]; an EPSG system by its code; a user-defined one (32767) by its datum
/// code, else ellipsoid code, else semi-major axis and inverse flattening, with its prime
/// meridian (OGC 19-008r4 annex B.2; keys in ascending order as 7.1 requires). Coordinates are
/// written in degrees whatever unit the input used.
pub fn geographic_geokeys(crs: &crate::dataset::GeographicCrs) -> (Vec<u16>, Vec<f64>, String) {
    use super::geokeys as k;
    if crs.is_wgs84() {
        let (dir, text) = wgs84_geokeys();
        return (dir, Vec::new(), text);
    }
    let mut text = String::new();
    let mut doubles: Vec<f64> = Vec::new();
    let mut keys: Vec<(u16, u16, u16, u16)> = vec![
        (k::GT_MODEL_TYPE, 0, 1, k::MODEL_GEOGRAPHIC),
        (k::GT_RASTER_TYPE, 0, 1, k::RASTER_PIXEL_IS_AREA),
        (k::GEOGRAPHIC_TYPE, 0, 1, crs.epsg.unwrap_or(k::USER_DEFINED)),
    ];
    let clean = |s: &str| s.replace('|', "/");
    // A datum that no EPSG code names survives only in the citation: GDAL's ESRI-style form
    // (as GDAL writes MODIS CMG's Clarke 1866 system) carries it, and GDAL and this reader
    // parse it back.
    let citation = if crs.epsg.is_none() && crs.datum_epsg.is_none() {
        format!(
            "GCS Name = {}|Datum = {}|Ellipsoid = {}|Primem = {}|",
            clean(&crs.name),
            clean(&crs.datum),
            clean(&crs.ellipsoid.name),
            clean(&crs.prime_meridian.name)
        )
    } else {
        format!("{}|", clean(&crs.name))
    };
    keys.push((k::GEOG_CITATION, 34737, citation.len() as u16, text.len() as u16));
    text.push_str(&citation);
    let mut double = |keys: &mut Vec<(u16, u16, u16, u16)>, id: u16, v: f64| {
        keys.push((id, 34736, 1, doubles.len() as u16));
        doubles.push(v);
    };
    let pm = &crs.prime_meridian;
    if crs.epsg.is_none() {
        keys.push((k::GEOG_GEODETIC_DATUM, 0, 1, crs.datum_epsg.unwrap_or(k::USER_DEFINED)));
    }
    if crs.epsg.is_none() || pm.longitude != 0.0 {
        keys.push((k::GEOG_PRIME_MERIDIAN, 0, 1, pm.epsg.unwrap_or(k::USER_DEFINED)));
    }
    keys.push((k::GEOG_ANGULAR_UNITS, 0, 1, k::ANGULAR_DEGREE));
    if crs.epsg.is_none() && crs.datum_epsg.is_none() {
        let e = &crs.ellipsoid;
        keys.push((k::GEOG_ELLIPSOID, 0, 1, e.epsg.unwrap_or(k::USER_DEFINED)));
        double(&mut keys, k::GEOG_SEMI_MAJOR_AXIS, e.semi_major_axis);
        double(&mut keys, k::GEOG_INV_FLATTENING, e.inverse_flattening);
    }
    if pm.epsg.is_none() && pm.longitude != 0.0 {
        double(&mut keys, k::GEOG_PRIME_MERIDIAN_LONG, pm.longitude);
    }
    keys.sort_by_key(|e| e.0);
    let mut dir = vec![1, 1, 0, keys.len() as u16];
    for (id, loc, count, value) in keys {
        dir.extend([id, loc, count, value]);
    }
    (dir, doubles, text)
}

/// The GeoKey directory, its double and ASCII parameters for a projected CRS (OGC 19-008r4,
/// 7.5.3 and annex B.3, keys ascending): an EPSG system by its ProjectedCSTypeGeoKey; a
/// user-defined one (32767) by its base geographic keys, ProjCoordTransGeoKey and parameter
/// keys, laid out as GDAL writes and reads each method, angles in degrees and false
/// eastings/northings in the linear unit.
pub fn projected_geokeys(crs: &crate::dataset::ProjectedCrs) -> (Vec<u16>, Vec<f64>, String) {
    use super::geokeys as k;
    use crate::dataset::ProjectionMethod as M;
    let mut text = String::new();
    let mut doubles: Vec<f64> = Vec::new();
    let mut keys: Vec<(u16, u16, u16, u16)> = vec![
        (k::GT_MODEL_TYPE, 0, 1, k::MODEL_PROJECTED),
        (k::GT_RASTER_TYPE, 0, 1, k::RASTER_PIXEL_IS_AREA),
    ];
    let mut ascii_key = |keys: &mut Vec<(u16, u16, u16, u16)>, id: u16, value: &str| {
        let v = format!("{}|", value.replace('|', "/"));
        keys.push((id, 34737, v.len() as u16, text.len() as u16));
        text.push_str(&v);
    };
    ascii_key(&mut keys, k::GT_CITATION, &crs.name);
    let mut double = |keys: &mut Vec<(u16, u16, u16, u16)>, id: u16, v: f64| {
        keys.push((id, 34736, 1, doubles.len() as u16));
        doubles.push(v);
    };
    let unit = crs.unit.epsg.unwrap_or(k::USER_DEFINED);
    keys.push((k::PROJ_LINEAR_UNITS, 0, 1, unit));
    if unit == k::USER_DEFINED {
        double(&mut keys, k::PROJ_LINEAR_UNIT_SIZE, crs.unit.metres);
    }
    if let Some(code) = crs.epsg {
        keys.push((k::PROJECTED_CS_TYPE, 0, 1, code));
    } else {
        let base = &crs.base;
        keys.push((k::GEOGRAPHIC_TYPE, 0, 1, base.epsg.unwrap_or(k::USER_DEFINED)));
        ascii_key(&mut keys, k::GEOG_CITATION, &base.name);
        keys.push((k::GEOG_ANGULAR_UNITS, 0, 1, k::ANGULAR_DEGREE));
        if base.epsg.is_none() {
            keys.push((k::GEOG_GEODETIC_DATUM, 0, 1, base.datum_epsg.unwrap_or(k::USER_DEFINED)));
            if base.datum_epsg.is_none() {
                let e = &base.ellipsoid;
                keys.push((k::GEOG_ELLIPSOID, 0, 1, e.epsg.unwrap_or(k::USER_DEFINED)));
                double(&mut keys, k::GEOG_SEMI_MAJOR_AXIS, e.semi_major_axis);
                double(&mut keys, k::GEOG_INV_FLATTENING, e.inverse_flattening);
            }
        }
        keys.push((k::PROJECTED_CS_TYPE, 0, 1, k::USER_DEFINED));
        keys.push((k::PROJECTION, 0, 1, k::USER_DEFINED));
        let p = &crs.parameters;
        let (fe, fn_) = (p.false_easting / crs.unit.metres, p.false_northing / crs.unit.metres);
        let pole = if p.latitude_of_origin < 0.0 { -90.0 } else { 90.0 };
        let (std1, std2) = p.standard_parallels();
        let (ct, params): (u16, Vec<(u16, f64)>) = match crs.method {
            M::TransverseMercator => (
                k::CT_TRANSVERSE_MERCATOR,
                vec![
                    (k::PROJ_NAT_ORIGIN_LAT, p.latitude_of_origin),
                    (k::PROJ_NAT_ORIGIN_LONG, p.central_meridian),
                    (k::PROJ_SCALE_AT_NAT_ORIGIN, p.scale_factor.unwrap_or(1.0)),
                    (k::PROJ_FALSE_EASTING, fe),
                    (k::PROJ_FALSE_NORTHING, fn_),
                ],
            ),
            M::Sinusoidal => (
                k::CT_SINUSOIDAL,
                vec![
                    (k::PROJ_CENTER_LONG, p.central_meridian),
                    (k::PROJ_FALSE_EASTING, fe),
                    (k::PROJ_FALSE_NORTHING, fn_),
                ],
            ),
            M::LambertAzimuthalEqualArea => (
                k::CT_LAMBERT_AZIM_EQUAL_AREA,
                vec![
                    (k::PROJ_CENTER_LAT, p.latitude_of_origin),
                    (k::PROJ_CENTER_LONG, p.central_meridian),
                    (k::PROJ_FALSE_EASTING, fe),
                    (k::PROJ_FALSE_NORTHING, fn_),
                ],
            ),
            M::PolarStereographic => (
                k::CT_POLAR_STEREOGRAPHIC,
                vec![
                    (k::PROJ_NAT_ORIGIN_LAT, p.standard_parallel_1.unwrap_or(pole)),
                    (k::PROJ_STRAIGHT_VERT_POLE_LONG, p.central_meridian),
                    (k::PROJ_SCALE_AT_NAT_ORIGIN, p.scale_factor.unwrap_or(1.0)),
                    (k::PROJ_FALSE_EASTING, fe),
                    (k::PROJ_FALSE_NORTHING, fn_),
                ],
            ),
            M::AlbersEqualArea => (
                k::CT_ALBERS_EQUAL_AREA,
                vec![
                    (k::PROJ_STD_PARALLEL1, std1),
                    (k::PROJ_STD_PARALLEL2, std2),
                    (k::PROJ_NAT_ORIGIN_LAT, p.latitude_of_origin),
                    (k::PROJ_NAT_ORIGIN_LONG, p.central_meridian),
                    (k::PROJ_FALSE_EASTING, fe),
                    (k::PROJ_FALSE_NORTHING, fn_),
                ],
            ),
            M::LambertConformalConic2Sp => (
                k::CT_LAMBERT_CONF_CONIC_2SP,
                vec![
                    (k::PROJ_STD_PARALLEL1, std1),
                    (k::PROJ_STD_PARALLEL2, std2),
                    (k::PROJ_FALSE_ORIGIN_LAT, p.latitude_of_origin),
                    (k::PROJ_FALSE_ORIGIN_LONG, p.central_meridian),
                    (k::PROJ_FALSE_ORIGIN_EASTING, fe),
                    (k::PROJ_FALSE_ORIGIN_NORTHING, fn_),
                ],
            ),
            M::LambertConformalConic1Sp => (
                k::CT_LAMBERT_CONF_CONIC_1SP,
                vec![
                    (k::PROJ_NAT_ORIGIN_LAT, p.latitude_of_origin),
                    (k::PROJ_NAT_ORIGIN_LONG, p.central_meridian),
                    (k::PROJ_SCALE_AT_NAT_ORIGIN, p.scale_factor.unwrap_or(1.0)),
                    (k::PROJ_FALSE_EASTING, fe),
                    (k::PROJ_FALSE_NORTHING, fn_),
                ],
            ),
            M::CylindricalEqualArea => (
                k::CT_CYLINDRICAL_EQUAL_AREA,
                vec![
                    (k::PROJ_STD_PARALLEL1, p.standard_parallel_1.unwrap_or(0.0)),
                    (k::PROJ_NAT_ORIGIN_LONG, p.central_meridian),
                    (k::PROJ_FALSE_EASTING, fe),
                    (k::PROJ_FALSE_NORTHING, fn_),
                ],
            ),
        };
        keys.push((k::PROJ_COORD_TRANS, 0, 1, ct));
        for (id, v) in params {
            double(&mut keys, id, v);
        }
    }
    keys.sort_by_key(|e| e.0);
    let mut dir = vec![1, 1, 0, keys.len() as u16];
    for (id, loc, count, value) in keys {
        dir.extend([id, loc, count, value]);
    }
    (dir, doubles, text)
}

/// The entries of image `level` (0 = full resolution) placed with its chunks at `offsets`.
fn entries(r: &GeoRaster, img: &Image, level: usize, tile: Option<usize>, offsets: &[u32], crs: Georef) -> Vec<Entry> {
    let bps = r.data.bytes_per_sample();
    let counts: Vec<u32> = img.chunks.iter().map(|c| c.len() as u32).collect();
    let mut e = vec![
        longs(256, &[img.width as u32]),
        longs(257, &[img.height as u32]),
        shorts(258, &[8 * bps as u16]),
        shorts(259, &[8]),
        shorts(
            262,
            &[if r.colormap.is_some() && matches!(r.data, RasterData::U8(_)) {
                3
            } else {
                1
            }],
        ),
        shorts(277, &[1]),
        shorts(284, &[1]),
        shorts(339, &[if matches!(r.data, RasterData::F32(_)) { 3 } else { 1 }]),
    ];
    if level > 0 {
        e.push(longs(254, &[1]));
    }
    match tile {
        Some(t) => e.extend([
            longs(322, &[t as u32]),
            longs(323, &[t as u32]),
            longs(324, offsets),
            longs(325, &counts),
        ]),
        None => e.extend([
            longs(273, offsets),
            longs(278, &[strip_rows(img.width, bps) as u32]),
            longs(279, &counts),
        ]),
    }
    if let (Some(map), RasterData::U8(_)) = (&r.colormap, &r.data) {
        let mut table = vec![0u16; 3 * 256];
        for (k, c) in map.iter().take(256).enumerate() {
            for (ch, &v) in c.iter().enumerate() {
                table[ch * 256 + k] = u16::from(v) * 257;
            }
        }
        e.push(shorts(320, &table));
    }
    if let Some(nd) = r.nodata {
        let text = if nd.is_nan() {
            "nan".to_string()
        } else {
            format!("{nd}")
        };
        e.push(ascii(super::TAG_GDAL_NODATA, &text));
    }
    if level == 0 {
        e.push(doubles(33550, &[r.dlon, r.dlat, 0.0]));
        e.push(doubles(33922, &[0.0, 0.0, 0.0, r.west, r.north, 0.0]));
        let (dir, key_doubles, text) = match crs {
            Georef::Geographic(g) => geographic_geokeys(g),
            Georef::Projected(p) => projected_geokeys(p),
        };
        e.push(shorts(34735, &dir));
        if !key_doubles.is_empty() {
            e.push(doubles(34736, &key_doubles));
        }
        e.push(ascii(34737, &text));
        if let Some(d) = &r.description {
            let xml = metadata::write_items(&[(0, "description", "DESCRIPTION", d.clone())]);
            e.push(ascii(super::TAG_GDAL_METADATA, &xml));
        }
    }
    e
}

/// The cell geometry `(west, north, dlon, dlat)` of a regular north-first grid (its edges are half
/// a cell beyond the first centres; `west` in the grid's CRS, from its prime meridian:
/// [`crate::io::grid::file_longitude`]), or why it is not regular (a GeoTIFF needs one step per
/// axis). The step is the mean spacing `(last - first) / (n - 1)`; every centre must lie within
/// [`REGULAR_TOLERANCE`] of a cell of its position (coordinates stored as f32 are off by ~1e-6
/// degree). Longitudes must increase west to east (`Grid::sub_grid` unwraps the antimeridian).
pub fn grid_geometry(grid: &crate::dataset::Grid) -> Result<(f64, f64, f64, f64), String> {
    let step = |v: &[f64], sign: f64, what: &str| -> Result<Option<f64>, String> {
        let n = v.len();
        if n < 2 {
            return Ok(None);
        }
        let d = sign * (v[n - 1] - v[0]) / (n - 1) as f64;
        let off = |i: usize| (sign * (v[i] - v[0]) - i as f64 * d).abs();
        if d.is_nan() || d <= 0.0 || (0..n).any(|i| off(i) > REGULAR_TOLERANCE * d) {
            return Err(format!(
                "the {what} of the cell centres are not evenly spaced; a GeoTIFF needs a regular grid"
            ));
        }
        Ok(Some(d))
    };
    let dlat = step(&grid.lat, -1.0, "latitudes")?;
    let dlon = step(&grid.lon, 1.0, "longitudes")?;
    let (dlon, dlat) = match (dlon, dlat) {
        (Some(x), Some(y)) => (x, y),
        (Some(x), None) => (x, x),
        (None, Some(y)) => (y, y),
        (None, None) => (1.0, 1.0),
    };
    let (Some(&lat0), Some(&lon0)) = (grid.lat.first(), grid.lon.first()) else {
        return Err("the grid is empty".into());
    };
    // The raster is written in the grid's CRS: west from its prime meridian.
    let west = crate::io::grid::file_longitude(grid, lon0) - dlon / 2.0;
    Ok((snap(west), snap(lat0 + dlat / 2.0), snap(dlon), snap(dlat)))
}

/// `v` rounded to 1e-9 when that changes it by rounding noise only (a 0.1-degree step computed
/// as a mean comes out as 0.099999999999994).
fn snap(v: f64) -> f64 {
    let s = (v * 1e9).round() / 1e9;
    if (s - v).abs() <= 1e-12 * v.abs().max(1.0) {
        s
    } else {
        v
    }
}

/// How far (in cells) a centre may lie from a regular grid for [`grid_geometry`].
pub const REGULAR_TOLERANCE: f64 = 0.01;

/// Write `raster` to `path` atomically in WGS 84 (see [`write_geotiff_in`]).
pub fn write_geotiff(path: &Path, raster: &GeoRaster) -> Result<(), IoError> {
    write_geotiff_in(path, raster, &crate::dataset::GeographicCrs::wgs84())
}

/// Write `raster` to `path` atomically, georeferenced in `crs` (the input's geographic CRS):
/// strips when small, a cloud-optimised GeoTIFF when a side exceeds [`COG_MIN_SIDE`] (see the
/// module notes).
pub fn write_geotiff_in(path: &Path, raster: &GeoRaster, crs: &crate::dataset::GeographicCrs) -> Result<(), IoError> {
    write_georeferenced(path, raster, Georef::Geographic(crs))
}

/// Write `raster` to `path` atomically on a projected grid in `crs` (the input's): `west`,
/// `north`, `dlon`, `dlat` of `raster` are then projected x/y in the CRS's unit.
pub fn write_geotiff_projected(
    path: &Path,
    raster: &GeoRaster,
    crs: &crate::dataset::ProjectedCrs,
) -> Result<(), IoError> {
    write_georeferenced(path, raster, Georef::Projected(crs))
}

/// The coordinate system a GeoTIFF is written in.
#[derive(Debug, Clone, Copy)]
enum Georef<'a> {
    Geographic(&'a crate::dataset::GeographicCrs),
    Projected(&'a crate::dataset::ProjectedCrs),
}

fn write_georeferenced(path: &Path, raster: &GeoRaster, crs: Georef) -> Result<(), IoError> {
    if raster.data.len() != raster.width * raster.height || raster.width == 0 || raster.height == 0 {
        return Err(IoError::format(
            path,
            format!(
                "raster of {} values is not {} x {}",
                raster.data.len(),
                raster.width,
                raster.height
            ),
        ));
    }
    let cog = raster.width > COG_MIN_SIDE || raster.height > COG_MIN_SIDE;
    let tile = cog.then_some(COG_TILE);
    let os = |e| IoError::os(path, e);
    let mut images = vec![encode_image(&raster.data, raster.width, raster.height, tile).map_err(os)?];
    if cog {
        let (mut data, mut w, mut h) = (raster.data.clone(), raster.width, raster.height);
        while w > COG_TILE || h > COG_TILE {
            (data, w, h) = downsample(&data, w, h, raster.nodata);
            images.push(encode_image(&data, w, h, tile).map_err(os)?);
        }
    }
    // IFD sizes do not depend on the offsets they hold: measure with zeros, then place.
    let mut at = 8;
    let mut ifd_at = Vec::with_capacity(images.len());
    for (level, img) in images.iter().enumerate() {
        ifd_at.push(at);
        at += ifd_len(&entries(raster, img, level, tile, &vec![0; img.chunks.len()], crs));
    }
    let mut offsets: Vec<Vec<u32>> = vec![Vec::new(); images.len()];
    for level in (0..images.len()).rev() {
        for c in &images[level].chunks {
            offsets[level].push(
                u32::try_from(at).map_err(|_| IoError::format(path, "larger than 4 GB (BigTIFF is not written)"))?,
            );
            at += c.len();
        }
    }
    crate::io::atomic::write_with(path, |out| {
        out.write_all(b"II*\0")?;
        out.write_all(&8u32.to_le_bytes())?;
        for (level, img) in images.iter().enumerate() {
            let next = ifd_at.get(level + 1).map_or(0, |&n| n as u32);
            let mut e = entries(raster, img, level, tile, &offsets[level], crs);
            out.write_all(&ifd_bytes(&mut e, ifd_at[level], next))?;
        }
        for img in images.iter().rev() {
            for c in &img.chunks {
                out.write_all(c)?;
            }
        }
        Ok(())
    })
}

/// The path of the GDAL PAM sidecar of `tif`: `labels.tif.aux.xml`.
pub fn aux_xml_path(tif: &Path) -> std::path::PathBuf {
    let mut name = tif.as_os_str().to_os_string();
    name.push(".aux.xml");
    std::path::PathBuf::from(name)
}

/// Write the category names of band 1 of `tif` (`names[v]` names pixel value `v`) as GDAL's
/// persistent auxiliary metadata beside it (`<tif>.aux.xml`, `PAMDataset/PAMRasterBand/
/// CategoryNames`, GDAL's PAM format), atomically. GDAL (gdalinfo, QGIS's paletted renderer)
/// reads them as the band's category names; TIFF itself has no tag for them.
pub fn write_category_names(tif: &Path, names: &[String]) -> Result<(), IoError> {
    let mut xml = String::from("<PAMDataset>\n  <PAMRasterBand band=\"1\">\n    <CategoryNames>\n");
    for name in names {
        xml.push_str("      <Category>");
        xml.push_str(&xml_escape(name));
        xml.push_str("</Category>\n");
    }
    xml.push_str("    </CategoryNames>\n  </PAMRasterBand>\n</PAMDataset>\n");
    crate::io::atomic::write_bytes(&aux_xml_path(tif), xml.as_bytes())
}

/// `text` with XML's five special characters as entities (and control characters, which XML 1.0
/// cannot hold, dropped).
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
#[path = "writer_tests.rs"]
pub(crate) mod tests;
