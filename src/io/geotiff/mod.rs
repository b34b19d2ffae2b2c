//! GeoTIFF input and output.
//!
//! Input ([`GeoTiffReader`]): a GeoTIFF in a geographic CRS (WGS 84 or any other datum, see
//! [`geokeys`]; the CRS rides on the grid into the outputs), striped or tiled,
//! any compression the `tiff` crate decodes (none, deflate, LZW, PackBits), any sample type
//! (8-64 bit integers, 16/32/64 bit floats), pixel- or band-interleaved. Bands are variables,
//! named by their GDAL band descriptions (GDAL_METADATA `role="description"`) or `band1..bandN`.
//! GDAL_NODATA values are missing (`NaN`) and GDAL scale/offset are applied
//! (`value = raw * scale + offset`, GDAL's `GetScale`/`GetOffset` convention). The grid is
//! oriented like every landclust grid: north first, longitudes 0..360 rotated to -180..180
//! (see [`crate::io::netcdf`]). Blocks of rows are read by decoding only the strips or tiles
//! that cover them, each once, in parallel (several decoders of the file, one per rayon thread
//! at work; see [`Decoding`]): memory is one block plus the rows of chunks decoded together
//! (one row of tiles, or one strip per thread: [`GeoTiffReader::buffer_bytes`]).
//! A palette image (PhotometricInterpretation 3, landclust's own labels.tif) reads as one band of
//! its indices; the ColorMap is not applied.
//!
//! Memory is bounded before anything is decoded ([`header`]): tag sizes against the file's size,
//! one decoded row of chunks and the grid's axes against the [`ReadLimits`] the reader is opened
//! with (a run's `--max-memory`, or [`DEFAULT_READ_MEMORY`]); a file whose single strip would
//! not fit is refused with the advice to tile it.
//!
//! Several single-band files read as one input: [`composite`] (`NAME=FILE,NAME=FILE`).
//! Output: [`writer`] (labels.tif, confidence.tif, cloud-optimised when large).

pub mod composite;
pub mod geokeys;
mod header;
pub mod metadata;
mod summary;
pub mod writer;

pub use header::ReadLimits;
pub use summary::{BandSummary, TiffSummary};

use super::IoError;
use crate::dataset::{Grid, GridSource};
use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use tiff::decoder::{ChunkType, Decoder, DecodingResult};
use tiff::tags::Tag;

/// The memory a reader may hold for decoded chunks and axes when no run's budget reaches it
/// (`inspect`, `export`, `encode`, `bench`).
pub const DEFAULT_READ_MEMORY: u64 = 2_000_000_000;

/// The file as the decoder reads it: buffered, a palette image seen as grey.
type Source = header::Patched<BufReader<File>>;

/// GDAL's private tags.
pub const TAG_GDAL_METADATA: u16 = 42112;
pub const TAG_GDAL_NODATA: u16 = 42113;

/// True when `path` names a GeoTIFF: extension `.tif`/`.tiff`, or the TIFF/BigTIFF signature.
pub fn is_geotiff(path: &Path) -> bool {
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase());
    if matches!(ext.as_deref(), Some("tif" | "tiff")) {
        return true;
    }
    let mut head = [0u8; 4];
    let read = File::open(path).and_then(|mut f| f.read_exact(&mut head));
    read.is_ok() && matches!(&head, b"II*\0" | b"MM\0*" | b"II+\0" | b"MM\0+")
}

/// One band: its variable name and how its raw samples become values.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub name: String,
    pub scale: f64,
    pub offset: f64,
    pub units: Option<String>,
    /// The user's decoding of this band (`--decode`), applied over the file's.
    pub decode: Option<crate::dataset::DecodeOverride>,
}

/// How the image is cut into chunks (strips or tiles).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Layout {
    width: usize,
    height: usize,
    samples: usize,
    planar: bool,
    tiled: bool,
    chunk_w: usize,
    chunk_h: usize,
}

impl Layout {
    fn chunks_across(&self) -> usize {
        if self.tiled {
            self.width.div_ceil(self.chunk_w)
        } else {
            1
        }
    }

    fn chunks_per_plane(&self) -> usize {
        self.chunks_across() * self.height.div_ceil(self.chunk_h)
    }
}

/// The decoders of one file and the chunks they last decoded.
///
/// A `tiff` decoder reads one chunk at a time, so chunks are decoded in parallel by several
/// decoders of the same file, one per rayon thread at work; each decodes its own chunks into
/// their own buffers, kept by chunk index, so the values read do not depend on the thread count.
struct Decoding {
    /// Decoders not in use (the first is the one the file was opened with); more are opened
    /// when more threads decode at once.
    idle: Vec<Decoder<Source>>,
    /// `(plane, chunk rows)` of the chunks kept: a block of rows is often thinner than a strip
    /// or tile row, and keeping the rows' chunks decodes each once rather than once per block.
    rows: Option<(usize, Range<usize>)>,
    /// The kept chunks, by chunk index.
    chunks: Vec<(usize, DecodingResult)>,
}

/// How to open one more decoder of a file (see [`Decoding`]).
#[derive(Debug, Clone)]
struct DecoderRecipe {
    path: PathBuf,
    palette_as_grey: Option<(u64, [u8; 2])>,
    limits: ReadLimits,
    file_len: u64,
}

impl DecoderRecipe {
    fn open(&self) -> Result<Decoder<Source>, tiff::TiffError> {
        let file = File::open(&self.path)?;
        let source = header::Patched::new(BufReader::new(file), self.palette_as_grey);
        Ok(Decoder::new(source)?.with_limits(self.limits.decoder_limits(self.file_len)))
    }
}

impl Decoding {
    /// Keep the chunks of `rows` of `plane` only, and decode those of `wanted` (chunk indices,
    /// ascending, all in `rows`) not kept yet, `threads` decoders at a time at most. On failure,
    /// the error of the first chunk (by index) that failed.
    fn decode(
        &mut self,
        recipe: &DecoderRecipe,
        layout: &Layout,
        plane: usize,
        rows: Range<usize>,
        wanted: &[usize],
        threads: usize,
    ) -> Result<u64, (usize, tiff::TiffError)> {
        let row_of = |index: usize| (index % layout.chunks_per_plane()) / layout.chunks_across();
        match &self.rows {
            Some((p, kept)) if *p == plane && kept.start <= rows.start && rows.end <= kept.end => {}
            _ => {
                self.chunks
                    .retain(|(i, _)| plane == i / layout.chunks_per_plane() && rows.contains(&row_of(*i)));
                self.rows = Some((plane, rows));
            }
        }
        let missing: Vec<usize> = wanted
            .iter()
            .copied()
            .filter(|i| self.chunks.iter().all(|(k, _)| k != i))
            .collect();
        if missing.is_empty() {
            return Ok(0);
        }
        let workers = threads.clamp(1, missing.len());
        while self.idle.len() < workers {
            let dec = recipe.open().map_err(|e| (missing[0], e))?;
            self.idle.push(dec);
        }
        // Contiguous runs of chunks per decoder: neighbours in the file, read forward.
        let per = missing.len().div_ceil(workers);
        let groups: Vec<&[usize]> = missing.chunks(per).collect();
        let mut decoders: Vec<Decoder<Source>> = self.idle.drain(..groups.len()).collect();
        let decoded: Vec<Vec<(usize, Result<DecodingResult, tiff::TiffError>)>> = if groups.len() == 1 {
            vec![decode_run(&mut decoders[0], groups[0])]
        } else {
            use rayon::prelude::*;
            decoders
                .par_iter_mut()
                .zip(groups.par_iter())
                .map(|(dec, group)| decode_run(dec, group))
                .collect()
        };
        self.idle.extend(decoders);
        let mut samples = 0u64;
        for (index, result) in decoded.into_iter().flatten() {
            let chunk = result.map_err(|e| (index, e))?;
            samples += chunk_len(&chunk) as u64;
            self.chunks.push((index, chunk));
        }
        Ok(samples)
    }

    /// The kept chunk `index`.
    fn chunk(&self, index: usize) -> Option<&DecodingResult> {
        self.chunks.iter().find(|(i, _)| *i == index).map(|(_, c)| c)
    }
}

/// Decode the chunks `indices` in order with one decoder; stops at the first failure.
fn decode_run(dec: &mut Decoder<Source>, indices: &[usize]) -> Vec<(usize, Result<DecodingResult, tiff::TiffError>)> {
    let mut out = Vec::with_capacity(indices.len());
    for &index in indices {
        let result = dec.read_chunk(index as u32);
        let failed = result.is_err();
        out.push((index, result));
        if failed {
            break;
        }
    }
    out
}

/// An open GeoTIFF with its grid and bands, read by [`crate::dataset::CellTable::read`] in
/// blocks of rows (the decoders are behind a mutex: one block is read at a time, its chunks
/// decoded in parallel, see [`Decoding`]).
pub struct GeoTiffReader {
    path: PathBuf,
    grid: Grid,
    bands: Vec<Band>,
    layout: Layout,
    bytes_per_sample: u64,
    nodata: Option<f64>,
    sample_type: String,
    compression: String,
    overviews: usize,
    decoder: Mutex<Decoding>,
    recipe: DecoderRecipe,
    /// Rows of chunks decoded together ([`rows_at_once`]).
    rows_at_once: usize,
    /// Bytes of the samples decoded so far, as stored ([`crate::dataset::ReadVolume`]).
    decoded_bytes: AtomicU64,
}

impl std::fmt::Debug for GeoTiffReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeoTiffReader")
            .field("path", &self.path)
            .field("bands", &self.bands)
            .finish()
    }
}

/// One line of a decoder error.
fn tiff_error(path: &Path, e: tiff::TiffError) -> IoError {
    let text = e.to_string().split_whitespace().collect::<Vec<_>>().join(" ");
    IoError::format(path, format!("cannot read as TIFF, damaged or unsupported? ({text})"))
}

/// The sample type in Rust spelling from BitsPerSample and SampleFormat (1 uint, 2 int, 3 float).
fn sample_type_name(bits: u16, format: u16) -> String {
    let kind = match format {
        2 => "i",
        3 => "f",
        _ => "u",
    };
    format!("{kind}{bits}")
}

/// The name of a TIFF compression code.
fn compression_name(code: u16) -> String {
    match code {
        1 => "none".into(),
        5 => "LZW".into(),
        8 | 32946 => "deflate".into(),
        32773 => "PackBits".into(),
        7 => "JPEG".into(),
        50000 => "zstd".into(),
        c => format!("code {c}"),
    }
}

/// Samples in a decoded chunk.
fn chunk_len(chunk: &DecodingResult) -> usize {
    match chunk {
        DecodingResult::U8(v) => v.len(),
        DecodingResult::U16(v) => v.len(),
        DecodingResult::U32(v) => v.len(),
        DecodingResult::U64(v) => v.len(),
        DecodingResult::I8(v) => v.len(),
        DecodingResult::I16(v) => v.len(),
        DecodingResult::I32(v) => v.len(),
        DecodingResult::I64(v) => v.len(),
        DecodingResult::F32(v) => v.len(),
        DecodingResult::F64(v) => v.len(),
        DecodingResult::F16(v) => v.len(),
    }
}

/// `out[k] = chunk[start + k * step]` as f64 (the caller keeps the indices inside the chunk):
/// one piece of one row, converted without a copy of the whole chunk.
fn chunk_samples(chunk: &DecodingResult, start: usize, step: usize, out: &mut [f64]) {
    macro_rules! pick {
        ($v:expr, $f:expr) => {
            for (o, x) in out.iter_mut().zip($v[start..].iter().step_by(step)) {
                *o = $f(x);
            }
        };
    }
    match chunk {
        DecodingResult::U8(v) => pick!(v, |&x: &u8| x as f64),
        DecodingResult::U16(v) => pick!(v, |&x: &u16| x as f64),
        DecodingResult::U32(v) => pick!(v, |&x: &u32| x as f64),
        DecodingResult::U64(v) => pick!(v, |&x: &u64| x as f64),
        DecodingResult::I8(v) => pick!(v, |&x: &i8| x as f64),
        DecodingResult::I16(v) => pick!(v, |&x: &i16| x as f64),
        DecodingResult::I32(v) => pick!(v, |&x: &i32| x as f64),
        DecodingResult::I64(v) => pick!(v, |&x: &i64| x as f64),
        DecodingResult::F32(v) => pick!(v, |&x: &f32| x as f64),
        DecodingResult::F64(v) => pick!(v, |&x: &f64| x),
        DecodingResult::F16(v) => {
            for (o, x) in out.iter_mut().zip(v[start..].iter().step_by(step)) {
                *o = x.to_f64();
            }
        }
    }
}

impl GeoTiffReader {
    /// Open `path` within [`DEFAULT_READ_MEMORY`] (see [`GeoTiffReader::open_within`]).
    pub fn open(path: &Path) -> Result<Self, IoError> {
        Self::open_within(
            path,
            ReadLimits {
                memory: DEFAULT_READ_MEMORY,
            },
        )
    }

    /// Open `path`: read its first image's layout, georeferencing and GDAL band metadata; a
    /// projected file is refused with a one-line error naming its system. A file
    /// whose header sizes more than it holds, or whose row of chunks or grid axes would not fit
    /// `limits`, is refused before any of it is allocated ([`header`]).
    pub fn open_within(path: &Path, limits: ReadLimits) -> Result<Self, IoError> {
        let meta = std::fs::metadata(path).map_err(|e| IoError::os(path, e))?;
        if meta.is_dir() {
            return Err(IoError::format(path, "is a directory, not a GeoTIFF file"));
        }
        let mut file = File::open(path).map_err(|e| IoError::os(path, e))?;
        let head = header::Header::scan(&mut file, meta.len()).map_err(|m| IoError::format(path, m))?;
        file.rewind().map_err(|e| IoError::os(path, e))?;
        let err = |e| tiff_error(path, e);
        let recipe = DecoderRecipe {
            path: path.to_path_buf(),
            palette_as_grey: head.palette_as_grey(),
            limits,
            file_len: meta.len(),
        };
        let source = header::Patched::new(BufReader::new(file), recipe.palette_as_grey);
        let mut dec = Decoder::new(source)
            .map_err(err)?
            .with_limits(limits.decoder_limits(meta.len()));
        let (w, h) = dec.dimensions().map_err(err)?;
        let ints = |dec: &mut Decoder<Source>, tag: Tag| -> Result<Option<Vec<u64>>, IoError> {
            dec.find_tag(tag)
                .and_then(|v| v.map(|v| v.into_u64_vec()).transpose())
                .map_err(err)
        };
        let samples = ints(&mut dec, Tag::SamplesPerPixel)?
            .and_then(|v| v.first().copied())
            .unwrap_or(1) as usize;
        let bits = ints(&mut dec, Tag::BitsPerSample)?
            .and_then(|v| v.first().copied())
            .unwrap_or(1) as u16;
        let format = ints(&mut dec, Tag::SampleFormat)?
            .and_then(|v| v.first().copied())
            .unwrap_or(1) as u16;
        let compression = ints(&mut dec, Tag::Compression)?
            .and_then(|v| v.first().copied())
            .unwrap_or(1) as u16;
        let planar = ints(&mut dec, Tag::PlanarConfiguration)?.and_then(|v| v.first().copied()) == Some(2);
        let tiled = dec.get_chunk_type() == ChunkType::Tile;
        let (chunk_w, chunk_h) = dec.chunk_dimensions();
        let layout = Layout {
            width: w as usize,
            height: h as usize,
            samples: samples.max(1),
            planar,
            tiled,
            chunk_w: (chunk_w as usize).max(1),
            chunk_h: (chunk_h as usize).max(1),
        };
        let bytes_per_sample = header::bytes_per_sample(bits);
        header::check_plausible(&layout, bytes_per_sample, compression, meta.len())
            .map_err(|m| IoError::format(path, m))?;
        limits
            .check(&layout, bytes_per_sample)
            .map_err(|m| IoError::format(path, m))?;
        let grid = read_grid(&mut dec, path, layout.width, layout.height)?;
        let text_tag = |dec: &mut Decoder<Source>, code: u16| -> Option<String> {
            dec.find_tag(Tag::from_u16_exhaustive(code))
                .ok()
                .flatten()
                .and_then(|v| v.into_string().ok())
        };
        let items = text_tag(&mut dec, TAG_GDAL_METADATA)
            .map(|x| metadata::parse_items(&x))
            .unwrap_or_default();
        let nodata = text_tag(&mut dec, TAG_GDAL_NODATA).and_then(|t| metadata::parse_nodata(&t));
        let bands = name_bands(path, &metadata::band_meta(&items, layout.samples))?;
        let mut overviews = 0;
        while dec.more_images() && dec.next_image().is_ok() {
            overviews += 1;
        }
        dec.seek_to_image(0).map_err(err)?;
        Ok(GeoTiffReader {
            path: path.to_path_buf(),
            grid,
            bands,
            layout,
            bytes_per_sample,
            nodata,
            sample_type: sample_type_name(bits, format),
            compression: compression_name(compression),
            overviews,
            decoder: Mutex::new(Decoding {
                idle: vec![dec],
                rows: None,
                chunks: Vec::new(),
            }),
            rows_at_once: rows_at_once(&layout, bytes_per_sample, limits, rayon::current_num_threads()),
            recipe,
            decoded_bytes: AtomicU64::new(0),
        })
    }

    /// The most this reader holds decoded at a time: the rows of chunks it decodes together
    /// ([`rows_at_once`]; a run's memory plan counts them).
    pub fn buffer_bytes(&self) -> u64 {
        self.layout
            .chunk_row_bytes(self.bytes_per_sample)
            .saturating_mul(self.rows_at_once as u64)
    }

    /// The samples decoded so far and the file's size ([`crate::dataset::ReadVolume`]).
    pub fn volume(&self) -> crate::dataset::ReadVolume {
        crate::dataset::ReadVolume {
            decoded_bytes: self.decoded_bytes.load(Ordering::Relaxed),
            input_bytes: self.recipe.file_len,
        }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The bands, in file order.
    pub fn bands(&self) -> &[Band] {
        &self.bands
    }

    /// The grid, oriented north first, -180..180.
    pub fn grid(&self) -> &Grid {
        &self.grid
    }

    /// Rename the bands (several single-band files read together name theirs).
    pub fn rename_band(&mut self, band: usize, name: &str) {
        if let Some(b) = self.bands.get_mut(band) {
            b.name = name.to_string();
        }
    }

    /// The no-data value of band `band`: the user's (`--decode NAME:nodata=`) or the file's.
    pub fn band_nodata(&self, band: usize) -> Option<f64> {
        self.bands
            .get(band)
            .and_then(|b| b.decode.as_ref())
            .and_then(|o| o.nodata)
            .or(self.nodata)
    }

    /// Apply the user's decoding to the bands it names: scale, offset, no-data, valid range
    /// and units replace the file's. A name that is no band is an error listing the bands.
    pub fn apply_decoding(&mut self, overrides: &crate::dataset::DecodeOverrides) -> Result<(), IoError> {
        for name in overrides.names() {
            let k = self.band_index(name).map_err(|_| {
                let names: Vec<&str> = self.bands.iter().map(|b| b.name.as_str()).collect();
                IoError::Variable {
                    path: self.path.clone(),
                    variable: name.to_string(),
                    message: format!("--decode names no band of the file (its bands: {})", names.join(", ")),
                }
            })?;
            self.set_band_decoding(k, overrides.get(name).cloned().unwrap_or_default());
        }
        Ok(())
    }

    /// Set the user's decoding of band `band` (see [`GeoTiffReader::apply_decoding`]).
    pub fn set_band_decoding(&mut self, band: usize, o: crate::dataset::DecodeOverride) {
        if let Some(b) = self.bands.get_mut(band) {
            b.scale = o.scale_or(b.scale);
            b.offset = o.offset_or(b.offset);
            if o.units.is_some() {
                b.units = o.units.clone();
            }
            b.decode = Some(o);
        }
    }

    fn variable_error(&self, variable: &str, message: impl Into<String>) -> IoError {
        IoError::Variable {
            path: self.path.clone(),
            variable: variable.to_string(),
            message: message.into(),
        }
    }

    /// The band index of a variable name, or an error listing the bands (or close names).
    pub fn band_index(&self, spec: &str) -> Result<usize, IoError> {
        if let Some(i) = self.bands.iter().position(|b| b.name == spec) {
            return Ok(i);
        }
        let names = self.bands.iter().map(|b| b.name.as_str());
        let close = super::grid::closest_names(spec, names.clone());
        let message = if close.is_empty() {
            format!("not in the file (its bands: {})", names.collect::<Vec<_>>().join(", "))
        } else {
            format!("not in the file; did you mean {}?", close.join(", "))
        };
        Err(self.variable_error(spec, message))
    }

    /// Values of band `band` on grid rows `rows` and grid column segments `cols`, row-major:
    /// no-data -> `NaN`, then `raw * scale + offset`. Decodes only the chunks covering the
    /// file rows and columns asked for.
    pub fn read_band_block(&self, band: usize, rows: Range<usize>, cols: &[Range<usize>]) -> Result<Vec<f64>, IoError> {
        let (nr, nc) = (self.grid.n_rows, self.grid.n_cols);
        let b = &self.bands[band.min(self.bands.len() - 1)];
        if rows.end > nr || cols.iter().any(|c| c.end > nc) {
            return Err(self.variable_error(&b.name, "block outside the grid"));
        }
        let flipped = self.grid.orientation.lat_flipped;
        let file_rows = if flipped {
            nr - rows.end..nr - rows.start
        } else {
            rows.clone()
        };
        let width: usize = cols.iter().map(|c| c.len()).sum();
        // (file columns, position in the output row) of every piece of every segment.
        let mut pieces = Vec::new();
        let mut offset = 0;
        for seg in cols {
            for (fc, at) in super::grid::file_segments(seg, self.grid.orientation.lon_shift, nc) {
                pieces.push((fc, offset + at));
            }
            offset += seg.len();
        }
        let mut out = vec![f64::NAN; rows.len() * width];
        if out.is_empty() {
            return Ok(out);
        }
        let l = self.layout;
        let (step, sample, plane) = if l.planar { (1, 0, band) } else { (l.samples, band, 0) };
        let mut state = self
            .decoder
            .lock()
            .map_err(|_| self.variable_error(&b.name, "reader poisoned by an earlier failure"))?;
        let nodata = self.band_nodata(band);
        let user = b.decode.as_ref().filter(|o| o.has_valid_range());
        let decode = |raw: f64| match nodata {
            Some(nd) if raw == nd || (nd.is_nan() && raw.is_nan()) => f64::NAN,
            _ => {
                let v = raw * b.scale + b.offset;
                if user.is_some_and(|o| o.out_of_range(v)) {
                    f64::NAN
                } else {
                    v
                }
            }
        };
        let threads = rayon::current_num_threads();
        let chunk_rows: Vec<usize> = (file_rows.start / l.chunk_h..file_rows.end.div_ceil(l.chunk_h)).collect();
        // The chunks of one row that hold a piece asked for.
        let across = |chunk_row: usize| -> Vec<(usize, usize, usize)> {
            (0..l.chunks_across())
                .filter_map(|chunk_col| {
                    let x0 = chunk_col * l.chunk_w;
                    let x1 = if l.tiled {
                        (x0 + l.chunk_w).min(l.width)
                    } else {
                        l.width
                    };
                    pieces.iter().any(|(fc, _)| fc.start < x1 && fc.end > x0).then_some((
                        plane * l.chunks_per_plane() + chunk_row * l.chunks_across() + chunk_col,
                        x0,
                        x1,
                    ))
                })
                .collect()
        };
        for batch in chunk_rows.chunks(self.rows_at_once.max(1)) {
            let (first, last) = (batch[0], batch[batch.len() - 1]);
            let wanted: Vec<usize> = batch.iter().flat_map(|&r| across(r)).map(|(i, _, _)| i).collect();
            let samples = state
                .decode(&self.recipe, &l, plane, first..last + 1, &wanted, threads)
                .map_err(|(index, e)| self.variable_error(&b.name, format!("cannot decode chunk {index} ({e})")))?;
            self.decoded_bytes
                .fetch_add(samples.saturating_mul(self.bytes_per_sample), Ordering::Relaxed);
            for &chunk_row in batch {
                let y0 = chunk_row * l.chunk_h;
                for (index, x0, x1) in across(chunk_row) {
                    let Some(chunk) = state.chunk(index) else {
                        return Err(self.variable_error(&b.name, format!("cannot decode chunk {index}")));
                    };
                    let cw = x1 - x0;
                    // Whole rows of this band's samples the chunk holds (a damaged one may hold fewer).
                    let samples = chunk_len(chunk).saturating_sub(sample).div_ceil(step);
                    let y1 = (y0 + samples / cw.max(1)).min(file_rows.end);
                    for y in y0.max(file_rows.start)..y1 {
                        let i = if flipped {
                            nr - 1 - y - rows.start
                        } else {
                            y - rows.start
                        };
                        let row_start = (y - y0) * cw;
                        for (fc, at) in &pieces {
                            let (a, z) = (fc.start.max(x0), fc.end.min(x1));
                            if a >= z {
                                continue;
                            }
                            let dst = &mut out[i * width + at + (a - fc.start)..i * width + at + (z - fc.start)];
                            chunk_samples(chunk, (row_start + a - x0) * step + sample, step, dst);
                            for v in dst.iter_mut() {
                                *v = decode(*v);
                            }
                        }
                    }
                }
            }
        }
        Ok(out)
    }
}

/// Rows of chunks decoded together by a reader with `threads` threads: enough that every thread
/// has a chunk to decode (one row of tiles is usually enough; strips need a row per thread), as
/// many as `limits` hold beside one another (at least one: a file whose single row does not fit
/// is refused when opened).
fn rows_at_once(layout: &Layout, bytes_per_sample: u64, limits: ReadLimits, threads: usize) -> usize {
    let wanted = threads.max(1).div_ceil(layout.chunks_across().max(1));
    let row = layout.chunk_row_bytes(bytes_per_sample).max(1);
    let fit = usize::try_from(limits.memory / row).unwrap_or(usize::MAX);
    wanted.min(fit).max(1)
}

/// Band names: the GDAL descriptions when every band has a distinct one, `band1..bandN`
/// otherwise (per band: a band without a description gets `bandK`); duplicates are an error.
fn name_bands(path: &Path, meta: &[metadata::BandMeta]) -> Result<Vec<Band>, IoError> {
    let bands: Vec<Band> = meta
        .iter()
        .enumerate()
        .map(|(k, m)| Band {
            name: m.description.clone().unwrap_or_else(|| format!("band{}", k + 1)),
            scale: m.scale,
            offset: m.offset,
            units: m.units.clone(),
            decode: None,
        })
        .collect();
    for (k, b) in bands.iter().enumerate() {
        if bands[..k].iter().any(|o| o.name == b.name) {
            return Err(IoError::format(
                path,
                format!("two bands are described as '{}'; band names must be unique", b.name),
            ));
        }
    }
    Ok(bands)
}

/// The grid of the first image: georeferencing tags + GeoKeys, checked to be geographic; its
/// CRS is kept on the grid when it is not WGS 84.
fn read_grid(dec: &mut Decoder<Source>, path: &Path, width: usize, height: usize) -> Result<Grid, IoError> {
    let fmt = |m: String| IoError::format(path, m);
    let mut doubles = |tag| dec.find_tag(tag).ok().flatten().and_then(|v| v.into_f64_vec().ok());
    let scale = doubles(Tag::ModelPixelScaleTag);
    let tiepoint = doubles(Tag::ModelTiepointTag);
    let transform = doubles(Tag::ModelTransformationTag);
    let key_doubles = doubles(Tag::GeoDoubleParamsTag).unwrap_or_default();
    let dir = dec
        .find_tag(Tag::GeoKeyDirectoryTag)
        .ok()
        .flatten()
        .and_then(|v| v.into_u16_vec().ok());
    let ascii = dec
        .find_tag(Tag::GeoAsciiParamsTag)
        .ok()
        .flatten()
        .and_then(|v| v.into_string().ok())
        .unwrap_or_default();
    let Some(dir) = dir else {
        return Err(fmt(
            "no GeoTIFF georeferencing (GeoKeyDirectory tag 34735); assign one, e.g. gdal_translate -a_srs EPSG:4326 -a_ullr W N E S".into(),
        ));
    };
    let keys = geokeys::GeoKeys::parse(&dir, &key_doubles, &ascii).map_err(fmt)?;
    let pixel_is_point = keys.short(geokeys::GT_RASTER_TYPE) == Some(geokeys::RASTER_PIXEL_IS_POINT);
    let centres = geokeys::cell_centres(
        scale.as_deref(),
        tiepoint.as_deref(),
        transform.as_deref(),
        pixel_is_point,
    );
    let rotated = matches!(&centres, Err(m) if m == "rotated");
    if keys.is_projected() {
        let projection = keys.projected_crs(rotated).map_err(fmt)?;
        return projected_grid(centres.map_err(fmt)?, projection, width, height).map_err(fmt);
    }
    let (crs, per_unit) = keys.geographic_crs(rotated).map_err(fmt)?;
    let c = centres.map_err(fmt)?;
    // Coordinates in radians, grads or arc-seconds become degrees here, once.
    let c = geokeys::CellCentres {
        lon0: c.lon0 * per_unit,
        lat0: c.lat0 * per_unit,
        dlon: c.dlon * per_unit,
        dlat: c.dlat * per_unit,
    };
    let lat: Vec<f64> = (0..height).map(|r| c.lat0 + r as f64 * c.dlat).collect();
    let lon: Vec<f64> = (0..width).map(|j| c.lon0 + j as f64 * c.dlon).collect();
    let eps = 1e-6;
    if lat.iter().any(|v| !(-90.0 - eps..=90.0 + eps).contains(v)) {
        return Err(fmt(format!(
            "cell-centre latitudes {:.4}..{:.4} fall outside -90..90: is this file really geographic (degrees)?",
            lat[0],
            lat[height.saturating_sub(1)]
        )));
    }
    if lon.iter().any(|v| !(-360.0 - eps..=360.0 + eps).contains(v)) || c.dlon * width as f64 > 360.0 + eps {
        return Err(fmt(format!(
            "cell-centre longitudes {:.4}..{:.4} are not within one turn of -360..360",
            lon[0],
            lon[width.saturating_sub(1)]
        )));
    }
    // A cell size too small for f64 to tell neighbouring centres apart (1e-300 degrees) would
    // collapse the grid onto one latitude or longitude: as damaged as a non-finite one.
    let distinct = |v: &[f64]| v.windows(2).all(|w| w[0] != w[1]);
    if !distinct(&lat) || !distinct(&lon) {
        return Err(fmt(format!(
            "cell size {:e} x {:e} degrees is too small to tell neighbouring cells apart: damaged georeferencing?",
            c.dlon,
            c.dlat.abs()
        )));
    }
    let source = GridSource::OneD {
        lat_var: "y".into(),
        lon_var: "x".into(),
    };
    let mut grid = super::grid::oriented(&lat, &lon, source, false);
    super::grid::set_crs(&mut grid, (!crs.is_wgs84()).then_some(crs));
    Ok(grid)
}

/// The grid of a projected GeoTIFF: one projected y per row (north first: a south-up file's
/// rows are flipped) and one x per column, in the CRS's linear unit; the cells' lon/lat come
/// from the inverse projection ([`Grid::locator`]), checked here to exist somewhere on the grid
/// so that a grid wholly outside the projection's domain is refused when opened.
fn projected_grid(
    c: geokeys::CellCentres,
    projection: crate::dataset::ProjectedCrs,
    width: usize,
    height: usize,
) -> Result<Grid, String> {
    let lat_flipped = c.dlat > 0.0;
    let y: Vec<f64> = (0..height)
        .map(|r| {
            let i = if lat_flipped { height - 1 - r } else { r };
            c.lat0 + i as f64 * c.dlat
        })
        .collect();
    let x: Vec<f64> = (0..width).map(|j| c.lon0 + j as f64 * c.dlon).collect();
    let distinct = |v: &[f64]| v.windows(2).all(|w| w[0] != w[1]);
    if !distinct(&y) || !distinct(&x) {
        return Err(format!(
            "cell size {:e} x {:e} is too small to tell neighbouring cells apart: damaged georeferencing?",
            c.dlon,
            c.dlat.abs()
        ));
    }
    let grid = Grid {
        n_rows: height,
        n_cols: width,
        lat: y,
        lon: x,
        source: GridSource::OneD {
            lat_var: "y".into(),
            lon_var: "x".into(),
        },
        orientation: crate::dataset::Orientation {
            lat_flipped,
            transposed: false,
            lon_shift: 0,
        },
        crs: Some(projection.base.clone()),
        projection: Some(projection),
    };
    // A global sinusoidal grid's corners lie outside the projection's domain (no lon/lat):
    // only a grid with none of a 9 x 9 lattice of cells inside it is refused.
    let locator = grid.locator().map_err(|e| e.to_string())?;
    let lattice = |n: usize| (0..9).map(move |i| i * n.saturating_sub(1) / 8);
    let inside = lattice(height).any(|r| {
        lattice(width).any(|col| {
            let (lon, lat) = locator.lon_lat(r, col);
            !(lon.is_nan() || lat.is_nan())
        })
    });
    if !inside {
        return Err(format!(
            "no cell of the grid (x {}..{}, y {}..{}) has a longitude/latitude in {}: the grid lies outside the projection's domain",
            grid.lon[0],
            grid.lon[width.saturating_sub(1)],
            grid.lat[height.saturating_sub(1)],
            grid.lat[0],
            grid.projection.as_ref().map_or(String::new(), |p| p.to_string())
        ));
    }
    Ok(grid)
}

impl crate::dataset::BlockReader for GeoTiffReader {
    fn source(&self) -> &Path {
        &self.path
    }

    fn grid(&self) -> &Grid {
        &self.grid
    }

    fn read_block(
        &self,
        spec: &str,
        rows: Range<usize>,
        cols: &[Range<usize>],
    ) -> Result<Vec<f64>, crate::dataset::DatasetError> {
        let band = self.band_index(spec)?;
        Ok(self.read_band_block(band, rows, cols)?)
    }

    fn units(&self, spec: &str) -> Result<Option<String>, crate::dataset::DatasetError> {
        let band = self.band_index(spec)?;
        Ok(self.bands[band].units.clone())
    }

    fn volume(&self) -> Option<crate::dataset::ReadVolume> {
        Some(GeoTiffReader::volume(self))
    }

    fn variable_names(&self) -> Vec<String> {
        self.bands.iter().map(|b| b.name.clone()).collect()
    }
}

#[cfg(test)]
#[path = "reader_tests.rs"]
mod tests;
