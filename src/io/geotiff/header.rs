//! The first image directory (IFD) read by hand before the `tiff` decoder sees the file, and the
//! bounds a GeoTIFF's header must respect before anything it sizes is allocated.
//!
//! A TIFF header states sizes (tag value counts, image width and height, rows per strip, tile
//! sizes) that the file need not back: a damaged or hostile file can declare a 2^31-value tag
//! in a few bytes, or one deflate strip that inflates to gigabytes (deflate's ratio reaches
//! about 1032:1). So, before decoding:
//! * every tag of the first IFD holds at most as many bytes as the file has (TIFF 6.0 section 2:
//!   a value is `count x size of its type` bytes, stored in the entry or at an offset in the
//!   file), so no value list is larger than the file;
//! * the decoded bytes of one row of chunks (what the reader keeps, see [`super::GeoTiffReader`])
//!   and the grid's axes fit the memory the reader is given ([`ReadLimits`]);
//! * the `tiff` decoder gets limits of the same size, so no chunk it inflates and no compressed
//!   chunk it reads is larger.
//!
//! The scan also finds PhotometricInterpretation: a palette image (value 3, TIFF 6.0 section 5)
//! is read as its indices, which the `tiff` decoder only does for a grey image.

use super::Layout;
use std::io::{Read, Seek, SeekFrom};

/// TIFF tags the scan looks at.
const TAG_PHOTOMETRIC: u16 = 262;
/// PhotometricInterpretation values: BlackIsZero (grey) and RGB palette.
const PHOTOMETRIC_BLACK_IS_ZERO: u16 = 1;
const PHOTOMETRIC_PALETTE: u16 = 3;

/// How much memory a reader may hold for decoded chunks (one row of strips or tiles) and the
/// grid's axes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadLimits {
    /// Bytes.
    pub memory: u64,
}

/// One entry of an IFD: tag, TIFF type, value count, and where its value field lies in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IfdEntry {
    pub tag: u16,
    pub kind: u16,
    pub count: u64,
    /// File offset of the entry's value field (the value itself when it fits, else its offset).
    pub field_at: u64,
    /// The first two bytes of the value field, in file byte order.
    pub first_short: [u8; 2],
}

/// The first IFD of a TIFF or BigTIFF file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub little_endian: bool,
    pub bigtiff: bool,
    pub entries: Vec<IfdEntry>,
}

/// Bytes of one value of TIFF type `kind` (TIFF 6.0 section 2, BigTIFF's LONG8/SLONG8/IFD8);
/// 0 for a type the `tiff` decoder does not read.
pub fn type_size(kind: u16) -> u64 {
    match kind {
        1 | 2 | 6 | 7 => 1,
        3 | 8 => 2,
        4 | 9 | 11 | 13 => 4,
        5 | 10 | 12 | 16 | 17 | 18 => 8,
        _ => 0,
    }
}

/// A u16/u32/u64 from `bytes` in the file's byte order.
fn uint(bytes: &[u8], little_endian: bool) -> u64 {
    let fold = |acc: u64, &b: &u8| (acc << 8) | u64::from(b);
    if little_endian {
        bytes.iter().rev().fold(0, fold)
    } else {
        bytes.iter().fold(0, fold)
    }
}

impl Header {
    /// Read the first IFD of `file` (`file_len` bytes long), refusing one whose entries
    /// declare more bytes than the file holds; the message says what is wrong (no file name).
    pub fn scan<R: Read + Seek>(file: &mut R, file_len: u64) -> Result<Header, String> {
        let damaged = |what: String| format!("damaged TIFF header: {what}");
        let mut read = |at: u64, n: usize| -> Result<Vec<u8>, String> {
            let mut buf = vec![0u8; n];
            file.seek(SeekFrom::Start(at))
                .and_then(|_| file.read_exact(&mut buf))
                .map_err(|_| damaged(format!("{n} bytes at offset {at} lie past its end ({file_len} bytes)")))?;
            Ok(buf)
        };
        let head = read(0, 8)?;
        let little_endian = match &head[..2] {
            b"II" => true,
            b"MM" => false,
            _ => return Err("not a TIFF file (no II or MM signature)".into()),
        };
        let bigtiff = match uint(&head[2..4], little_endian) {
            42 => false,
            43 => true,
            v => return Err(format!("not a TIFF file (version {v}, expected 42 or 43)")),
        };
        let ifd_at = if bigtiff {
            uint(&read(8, 8)?, little_endian)
        } else {
            uint(&head[4..8], little_endian)
        };
        let (count_len, entry_len, field_len) = if bigtiff { (8, 20, 8) } else { (2, 12, 4) };
        let n = uint(&read(ifd_at, count_len)?, little_endian);
        // Tags are distinct u16 ids, so no directory has more than 65536 entries.
        if n > 1 << 16 {
            return Err(damaged(format!("the first directory declares {n} entries")));
        }
        let ifd_bytes = n * entry_len;
        if ifd_at.saturating_add(count_len as u64).saturating_add(ifd_bytes) > file_len {
            return Err(damaged(format!(
                "the first directory declares {n} entries, more than the file's {file_len} bytes hold"
            )));
        }
        let raw = read(ifd_at + count_len as u64, ifd_bytes as usize)?;
        let mut entries = Vec::with_capacity(n as usize);
        for (k, e) in raw.chunks_exact(entry_len as usize).enumerate() {
            let tag = uint(&e[0..2], little_endian) as u16;
            let kind = uint(&e[2..4], little_endian) as u16;
            let count = uint(&e[4..entry_len as usize - field_len], little_endian);
            let bytes = count.saturating_mul(type_size(kind));
            if bytes > file_len {
                return Err(damaged(format!(
                    "tag {tag} declares {count} values ({bytes} bytes), more than the file's {file_len} bytes"
                )));
            }
            let field = entry_len as usize - field_len;
            entries.push(IfdEntry {
                tag,
                kind,
                count,
                field_at: ifd_at + count_len as u64 + k as u64 * entry_len + field as u64,
                first_short: [e[field], e[field + 1]],
            });
        }
        Ok(Header {
            little_endian,
            bigtiff,
            entries,
        })
    }

    /// Where to rewrite the first IFD's PhotometricInterpretation so a palette image reads as
    /// grey: `(file offset, the two bytes of BlackIsZero in file order)`; `None` for any other
    /// image. The palette indices are then the values and the ColorMap is not used.
    pub fn palette_as_grey(&self) -> Option<(u64, [u8; 2])> {
        let e = self.entries.iter().find(|e| e.tag == TAG_PHOTOMETRIC)?;
        let value = uint(&e.first_short, self.little_endian) as u16;
        if e.kind != 3 || e.count != 1 || value != PHOTOMETRIC_PALETTE {
            return None;
        }
        let grey = if self.little_endian {
            PHOTOMETRIC_BLACK_IS_ZERO.to_le_bytes()
        } else {
            PHOTOMETRIC_BLACK_IS_ZERO.to_be_bytes()
        };
        Some((e.field_at, grey))
    }
}

/// A file whose first IFD's PhotometricInterpretation reads as grey (see
/// [`Header::palette_as_grey`]); every other byte as stored.
#[derive(Debug)]
pub struct Patched<R> {
    inner: R,
    position: u64,
    patch: Option<(u64, [u8; 2])>,
}

impl<R> Patched<R> {
    pub fn new(inner: R, patch: Option<(u64, [u8; 2])>) -> Self {
        Patched {
            inner,
            position: 0,
            patch,
        }
    }
}

impl<R: Read> Read for Patched<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some((at, bytes)) = self.patch {
            for (k, b) in bytes.iter().enumerate() {
                let at = at + k as u64;
                if at >= self.position && at < self.position + n as u64 {
                    buf[(at - self.position) as usize] = *b;
                }
            }
        }
        self.position += n as u64;
        Ok(n)
    }
}

impl<R: Seek> Seek for Patched<R> {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        self.position = self.inner.seek(to)?;
        Ok(self.position)
    }
}

impl Layout {
    /// Samples per pixel of one decoded chunk: every band when pixel-interleaved, one when
    /// band-interleaved (planar).
    fn chunk_samples(&self) -> u64 {
        if self.planar { 1 } else { self.samples as u64 }
    }

    /// Rows one chunk decodes to: a tile is always whole, a strip taller than the image holds
    /// only the image's rows.
    fn decoded_chunk_rows(&self) -> u64 {
        if self.tiled {
            self.chunk_h as u64
        } else {
            self.chunk_h.min(self.height) as u64
        }
    }

    /// Bytes of one row of chunks once decoded (`bytes_per_sample` per sample): the most the
    /// reader keeps decoded at a time.
    pub(super) fn chunk_row_bytes(&self, bytes_per_sample: u64) -> u64 {
        (self.chunks_across() as u64)
            .saturating_mul(self.chunk_w as u64)
            .saturating_mul(self.decoded_chunk_rows())
            .saturating_mul(self.chunk_samples())
            .saturating_mul(bytes_per_sample.max(1))
    }

    /// Bytes of the grid's axes (latitudes and longitudes, their oriented copies and the
    /// per-axis work of orienting them: four f64 per row and per column).
    pub(super) fn axes_bytes(&self) -> u64 {
        (self.width as u64)
            .saturating_add(self.height as u64)
            .saturating_mul(32)
    }
}

/// The most one byte of compressed data decodes to under TIFF compression `code`: none 1,
/// PackBits 64 (2 bytes for a run of 128, TIFF 6.0 section 9), deflate 1032 (a 258-byte match in
/// 2 bits, RFC 1951; 1100 leaves a margin), LZW well under 4096 (one 9-12 bit code per string of
/// at most 4096 bytes, TIFF 6.0 section 13). `None` for a code the reader does not decode.
pub fn max_expansion(code: u16) -> Option<u64> {
    match code {
        1 => Some(1),
        32773 => Some(64),
        8 | 32946 => Some(1100),
        5 => Some(4096),
        _ => None,
    }
}

/// Refuse an image whose declared size its file cannot hold: `width x height x bands` samples
/// of `bytes_per_sample` decoded from at most `file_len` bytes of data compressed with `code`
/// (see [`max_expansion`]). The message (without the file name) gives the sizes.
pub(super) fn check_plausible(layout: &Layout, bytes_per_sample: u64, code: u16, file_len: u64) -> Result<(), String> {
    let Some(ratio) = max_expansion(code) else {
        return Ok(());
    };
    let image = (layout.width as u64)
        .saturating_mul(layout.height as u64)
        .saturating_mul(layout.samples as u64)
        .saturating_mul(bytes_per_sample.max(1));
    let most = file_len.saturating_mul(ratio);
    if image > most {
        use crate::dataset::format_bytes;
        return Err(format!(
            "damaged header: {} x {} pixels of {} band(s) would decode to {}, more than its {} bytes can hold (at most {}:1 for its compression)",
            layout.width,
            layout.height,
            layout.samples,
            format_bytes(image),
            file_len,
            ratio
        ));
    }
    Ok(())
}

/// Bytes per decoded sample of a `bits`-bit sample type.
pub fn bytes_per_sample(bits: u16) -> u64 {
    u64::from(bits).div_ceil(8).max(1)
}

impl ReadLimits {
    /// Refuse, before anything is decoded, a layout whose row of chunks or whose axes exceed
    /// the memory; the message (without the file name) says why and how to rewrite the file.
    pub(super) fn check(&self, layout: &Layout, bytes_per_sample: u64) -> Result<(), String> {
        use crate::dataset::format_bytes;
        let row = layout.chunk_row_bytes(bytes_per_sample);
        if row > self.memory {
            let what = if layout.tiled {
                format!("one row of {} x {} tiles", layout.chunk_w, layout.chunk_h)
            } else if layout.chunk_h >= layout.height {
                "its single strip".to_string()
            } else {
                format!("one strip of {} row(s)", layout.chunk_h)
            };
            return Err(format!(
                "{what} decodes to {}, over the {} this reader may use (--max-memory); rewrite it in tiles, e.g. gdal_translate -co TILED=YES in.tif out.tif (or smaller strips)",
                format_bytes(row),
                format_bytes(self.memory)
            ));
        }
        let axes = layout.axes_bytes();
        if axes > self.memory {
            return Err(format!(
                "a grid of {} x {} cells needs {} for its axes alone, over the {} this reader may use (--max-memory): damaged header?",
                layout.height,
                layout.width,
                format_bytes(axes),
                format_bytes(self.memory)
            ));
        }
        Ok(())
    }

    /// The `tiff` decoder's limits: no decoded chunk larger than the memory, no compressed chunk
    /// or tag value larger than the file (nor than the memory).
    pub fn decoder_limits(&self, file_len: u64) -> tiff::decoder::Limits {
        let clamp = |b: u64| usize::try_from(b).unwrap_or(usize::MAX);
        let mut limits = tiff::decoder::Limits::default();
        limits.decoding_buffer_size = clamp(self.memory);
        limits.intermediate_buffer_size = clamp(self.memory.min(file_len));
        limits.ifd_value_size = clamp(self.memory.min(file_len));
        limits
    }
}

#[cfg(test)]
#[path = "header_tests.rs"]
mod tests;
