//! File input and output: netCDF, GeoTIFF and Zarr in ([`netcdf`], [`geotiff`], [`zarr`]), MNIST IDX ([`idx`]),
//! results out (CSV, JSON, netCDF, GeoTIFF), always written atomically ([`atomic`]) so a failed run never leaves a half-written file.

pub mod atomic;
pub mod geotiff;
pub mod grid;
pub mod grid_file;
pub mod idx;
pub mod netcdf;
pub mod parquet;
pub mod stack;
pub mod summary;
pub mod tables;
pub mod topojson;
pub mod vector;
pub mod zarr;

use std::path::{Path, PathBuf};

/// Errors reading or writing files; each names the file (and the variable where there is one).
#[derive(Debug, thiserror::Error)]
pub enum IoError {
    #[error("{path}: {source}")]
    Os {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Format { path: PathBuf, message: String },
    #[error("{path}: variable {variable}: {message}")]
    Variable {
        path: PathBuf,
        variable: String,
        message: String,
    },
}

/// Readers hand their errors to the dataset layer (through [`crate::dataset::BlockReader`])
/// unchanged, so the message still names the file and the variable.
impl From<IoError> for crate::dataset::DatasetError {
    fn from(e: IoError) -> Self {
        crate::dataset::DatasetError::Source(Box::new(e))
    }
}

impl IoError {
    /// An OS error on `path`.
    pub fn os(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        IoError::Os {
            path: path.into(),
            source,
        }
    }

    /// A malformed or unsupported file.
    pub fn format(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        IoError::Format {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// Open an input grid for reading in row blocks, whatever its format: a GeoTIFF (extension
/// `.tif`/`.tiff` or the TIFF signature, see [`geotiff::GeoTiffReader`]), several single-band
/// GeoTIFFs given as `NAME=FILE,NAME=FILE` ([`geotiff::composite`]), a stack of files given
/// by a glob or a `[FILE;FILE]` list ([`stack`]), a Zarr store (a folder with `.zgroup`,
/// `.zmetadata` or `zarr.json`, see [`zarr::ZarrGridReader`]), otherwise a netCDF file
/// (netCDF-4/HDF5 or classic, see [`netcdf::NcGridReader`]). Every command that reads cells
/// (`run`, `elbow`, `stability`, `encode`, `export`, `bench`) opens its input here; a run
/// opens it within its memory budget ([`open_input_within`]).
pub fn open_input(path: &Path) -> Result<Box<dyn crate::dataset::BlockReader + Send + Sync>, IoError> {
    open_input_with(
        path,
        geotiff::ReadLimits {
            memory: geotiff::DEFAULT_READ_MEMORY,
        },
        &crate::dataset::DecodeOverrides::default(),
    )
}

/// [`open_input`] with the memory a GeoTIFF reader may hold for decoded chunks and axes (see
/// [`geotiff::GeoTiffReader::open_within`]).
pub fn open_input_within(
    path: &Path,
    limits: geotiff::ReadLimits,
) -> Result<Box<dyn crate::dataset::BlockReader + Send + Sync>, IoError> {
    open_input_with(path, limits, &crate::dataset::DecodeOverrides::default())
}

/// [`open_input`] with the user's decoding of some variables (`--decode`, see
/// [`crate::dataset::decode`]) applied over what the file says, in the reader itself so that
/// block reading and memory are those of any input.
pub fn open_input_decoded(
    path: &Path,
    decode: &crate::dataset::DecodeOverrides,
) -> Result<Box<dyn crate::dataset::BlockReader + Send + Sync>, IoError> {
    open_input_with(
        path,
        geotiff::ReadLimits {
            memory: geotiff::DEFAULT_READ_MEMORY,
        },
        decode,
    )
}

/// [`open_input`] within `limits` (see [`open_input_within`]) and with `decode` applied (see
/// [`open_input_decoded`]).
pub fn open_input_with(
    path: &Path,
    limits: geotiff::ReadLimits,
    decode: &crate::dataset::DecodeOverrides,
) -> Result<Box<dyn crate::dataset::BlockReader + Send + Sync>, IoError> {
    if zarr::is_zarr(path) {
        return Ok(Box::new(zarr::ZarrGridReader::open_decoded(path, decode)?));
    }
    if geotiff::composite::is_composite(path) {
        let mut reader = geotiff::composite::CompositeReader::open_within(path, limits)?;
        reader.apply_decoding(decode)?;
        if let Some(note) = reader.datum_note() {
            crate::progress::note(note);
        }
        return Ok(Box::new(reader));
    }
    if stack::is_stack(path) {
        return stack::open_within(path, limits, decode);
    }
    if geotiff::is_geotiff(path) {
        let mut reader = geotiff::GeoTiffReader::open_within(path, limits)?;
        reader.apply_decoding(decode)?;
        return Ok(Box::new(reader));
    }
    Ok(Box::new(netcdf::NcGridReader::open_decoded(path, decode)?))
}

/// The most an input's reader holds decoded at a time beyond the blocks it returns: a GeoTIFF
/// (one file, `NAME=FILE,...` or a stack) from its header, a netCDF-4 file its parallel chunk
/// buffers ([`netcdf::NcFile::decode_buffer_bytes`]); 0 for any other input or one that cannot
/// be opened (opening it reports why).
pub fn input_buffer_bytes(path: &Path, limits: geotiff::ReadLimits) -> u64 {
    if geotiff::composite::is_composite(path) {
        return geotiff::composite::CompositeReader::open_within(path, limits).map_or(0, |c| c.buffer_bytes());
    }
    if stack::is_stack(path) {
        return stack::buffer_bytes(path, limits);
    }
    if geotiff::is_geotiff(path) && path.is_file() {
        return geotiff::GeoTiffReader::open_within(path, limits).map_or(0, |r| r.buffer_bytes());
    }
    if path.is_file() {
        return netcdf::NcFile::open(path).map_or(0, |f| f.decode_buffer_bytes());
    }
    0
}
