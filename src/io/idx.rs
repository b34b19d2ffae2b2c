//! IDX files (LeCun et al., <http://yann.lecun.com/exdb/mnist/>): big-endian `u32` magic
//! `0x00000803` (u8 data, 3 dimensions) or `0x00000801` (1 dimension), then one big-endian `u32`
//! per dimension, then the bytes row-major. Files may be gzip-compressed (`.gz`).

use flate2::read::GzDecoder;
use ndarray::Array2;
use std::io::Read;
use std::path::{Path, PathBuf};

const IMAGES_MAGIC: u32 = 0x0000_0803;
const LABELS_MAGIC: u32 = 0x0000_0801;
/// Upper bound on the items of one file, so a corrupt header cannot ask for terabytes.
const MAX_ITEMS: usize = 10_000_000;

/// Errors reading an IDX file; each names the file.
#[derive(Debug, thiserror::Error)]
pub enum IdxError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}: {message}", path.display())]
    Format { path: PathBuf, message: String },
}

fn format_error(path: &Path, message: impl Into<String>) -> IdxError {
    IdxError::Format {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// Digit images: `n` images of `rows x cols` bytes, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct IdxImages {
    pub n: usize,
    pub rows: usize,
    pub cols: usize,
    pub pixels: Vec<u8>,
}

impl IdxImages {
    /// Pixels scaled to `[0, 1]`, one image per row (`n x rows*cols`).
    pub fn to_unit_matrix(&self) -> Array2<f64> {
        let d = self.rows * self.cols;
        Array2::from_shape_fn((self.n, d), |(i, j)| self.pixels[i * d + j] as f64 / 255.0)
    }
}

fn read_file(path: &Path) -> Result<Vec<u8>, IdxError> {
    std::fs::read(path).map_err(|source| IdxError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// `raw` itself, or its decompressed content when it starts with the gzip magic bytes.
fn maybe_gunzip(path: &Path, raw: Vec<u8>) -> Result<Vec<u8>, IdxError> {
    if !raw.starts_with(&[0x1f, 0x8b]) {
        return Ok(raw);
    }
    let mut out = Vec::new();
    GzDecoder::new(raw.as_slice())
        .read_to_end(&mut out)
        .map_err(|e| format_error(path, format!("bad gzip data: {e}")))?;
    Ok(out)
}

/// Parses an IDX header with the expected magic; returns the dimensions and the data bytes.
fn parse_idx<'a>(path: &Path, bytes: &'a [u8], magic: u32, ndim: usize) -> Result<(Vec<usize>, &'a [u8]), IdxError> {
    let word = |i: usize| -> Option<u32> {
        bytes
            .get(4 * i..4 * i + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    let found = word(0).ok_or_else(|| format_error(path, "file is too short for an IDX header"))?;
    if found != magic {
        return Err(format_error(
            path,
            format!("IDX magic {found:#010x}, expected {magic:#010x}"),
        ));
    }
    let dims: Vec<usize> = (1..=ndim)
        .map(|i| word(i).map(|v| v as usize))
        .collect::<Option<_>>()
        .ok_or_else(|| format_error(path, "IDX header is truncated"))?;
    let items = dims
        .iter()
        .try_fold(1usize, |a, &d| a.checked_mul(d))
        .filter(|&n| n <= MAX_ITEMS * 28 * 28);
    let items = items.ok_or_else(|| format_error(path, format!("IDX dimensions {dims:?} are too large")))?;
    let data = &bytes[4 * (ndim + 1)..];
    if data.len() != items {
        return Err(format_error(
            path,
            format!(
                "IDX dimensions {dims:?} need {items} bytes, the file has {}",
                data.len()
            ),
        ));
    }
    Ok((dims, data))
}

/// Parses the bytes of an IDX image file (`0x00000803`, optionally gzip-compressed); `path`
/// only names the source in errors.
pub fn parse_idx_images(path: &Path, raw: Vec<u8>) -> Result<IdxImages, IdxError> {
    let bytes = maybe_gunzip(path, raw)?;
    let (dims, data) = parse_idx(path, &bytes, IMAGES_MAGIC, 3)?;
    if dims.contains(&0) {
        return Err(format_error(
            path,
            format!("IDX image dimensions {dims:?} contain a zero"),
        ));
    }
    Ok(IdxImages {
        n: dims[0],
        rows: dims[1],
        cols: dims[2],
        pixels: data.to_vec(),
    })
}

/// Parses the bytes of an IDX label file (`0x00000801`, optionally gzip-compressed).
pub fn parse_idx_labels(path: &Path, raw: Vec<u8>) -> Result<Vec<u8>, IdxError> {
    let bytes = maybe_gunzip(path, raw)?;
    let (_, data) = parse_idx(path, &bytes, LABELS_MAGIC, 1)?;
    Ok(data.to_vec())
}

/// Reads an IDX image file (`0x00000803`, optionally gzip-compressed).
pub fn read_idx_images(path: &Path) -> Result<IdxImages, IdxError> {
    parse_idx_images(path, read_file(path)?)
}

/// Reads an IDX label file (`0x00000801`, optionally gzip-compressed).
pub fn read_idx_labels(path: &Path) -> Result<Vec<u8>, IdxError> {
    parse_idx_labels(path, read_file(path)?)
}
