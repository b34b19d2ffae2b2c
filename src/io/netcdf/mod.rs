//! Reading gridded variables from netCDF files (netCDF-4/HDF5 and classic CDF-1/2/5).
//!
//! [`NcFile::grid`] finds the latitude/longitude grid (2-D `Latitude`/`Longitude` as in the
//! GRASP product, or 1-D CF coordinates) and orients it north-first, west to east, longitudes
//! in -180..180; [`NcFile::read_variable`] reads one variable spec (see [`crate::dataset::varspec`]),
//! applies the CF conventions (fill, missing, valid range, packing) and orients it the same way.
//! Only the variables asked for are read.

pub(crate) mod cf;
pub(crate) mod grid;
pub(crate) mod plan;
mod projected;
pub(crate) mod summary;
pub mod write;

pub use summary::{AttributeSummary, DimensionSummary, FileSummary, VariableSummary};

use super::IoError;
use crate::dataset::varspec::{Extra, VarSpec};
use crate::dataset::{Grid, GridDataset, GridSource, GridVariable, Selection};
use crate::io::grid::closest_names;
use cf::{CfDecoder, is_numeric, text_attr};
use grid::{FileAxes, Placement};
use netcdf_reader::{NcFormat, NcSliceInfo, NcSliceInfoElem, NcVariable};
pub(crate) use plan::dim_text;
use plan::{Extent, ReadPlan, extra_dims};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// An open netCDF file.
pub struct NcFile {
    path: PathBuf,
    inner: netcdf_reader::NcFile,
    /// The user's decoding (`--decode`), applied over each variable's CF attributes.
    decode: crate::dataset::DecodeOverrides,
    /// Bytes of the values decoded so far, as stored ([`crate::dataset::ReadVolume`]).
    decoded_bytes: AtomicU64,
    /// The file's length on disk.
    file_bytes: u64,
}

impl std::fmt::Debug for NcFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NcFile")
            .field("path", &self.path)
            .field("format", &self.inner.format())
            .finish()
    }
}

/// One line of a reader error (some nest their causes over several lines).
fn one_line(e: impl std::fmt::Display) -> String {
    e.to_string().split_whitespace().collect::<Vec<_>>().join(" ")
}

fn open_error(path: &Path, e: netcdf_reader::Error) -> IoError {
    use netcdf_reader::Error as E;
    let message = match &e {
        E::InvalidMagic => "not a netCDF file (neither a CDF nor an HDF5 signature)".to_string(),
        E::UnexpectedEof { .. } => format!("truncated netCDF file ({})", one_line(&e)),
        E::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            format!("truncated netCDF file ({})", one_line(&e))
        }
        _ => format!("cannot read as netCDF, damaged or truncated? ({})", one_line(&e)),
    };
    IoError::format(path, message)
}

/// The file length an HDF5 superblock at offset 0 declares (base address + end-of-file
/// address), or `None` when it cannot be told. Superblock layouts: HDF5 file format spec, 2.2.
fn hdf5_declared_len(path: &Path) -> Option<u64> {
    use std::io::Read;
    let mut head = [0u8; 96];
    let n = std::fs::File::open(path).ok()?.read(&mut head).ok()?;
    let head = &head[..n];
    if head.get(..8)? != b"\x89HDF\r\n\x1a\n" {
        return None;
    }
    let (offset_size, base_at) = match head.get(8)? {
        0 => (*head.get(13)? as usize, 24),
        1 => (*head.get(13)? as usize, 28),
        2 | 3 => (*head.get(9)? as usize, 12),
        _ => return None,
    };
    if !(1..=8).contains(&offset_size) {
        return None;
    }
    let address = |at: usize| -> Option<u64> {
        let bytes = head.get(at..at + offset_size)?;
        let value = bytes.iter().rev().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        (value != u64::MAX >> (64 - 8 * offset_size)).then_some(value)
    };
    address(base_at)?.checked_add(address(base_at + 2 * offset_size)?)
}

/// The name of a file format for people.
pub fn format_name(format: NcFormat) -> &'static str {
    match format {
        NcFormat::Classic => "classic CDF-1",
        NcFormat::Offset64 => "classic CDF-2 (64-bit offset)",
        NcFormat::Cdf5 => "classic CDF-5",
        NcFormat::Nc4 => "netCDF-4",
        NcFormat::Nc4Classic => "netCDF-4 classic model",
    }
}

impl NcFile {
    /// Open a netCDF file; fails with a one-line error naming the file if it is missing, not
    /// netCDF, or truncated.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, IoError> {
        Self::open_with_chunk_cache(path, netcdf_reader::NcOpenOptions::default().chunk_cache_bytes)
    }

    /// [`NcFile::open`] with a netCDF-4 chunk cache of at most `cache_bytes` (decompressed
    /// chunks kept between reads; the reader's default is 64 MiB per file). The files of a
    /// stack of files share one default's worth, so their memory does not grow
    /// with their number.
    pub fn open_with_chunk_cache(path: impl AsRef<Path>, cache_bytes: usize) -> Result<Self, IoError> {
        let path = path.as_ref();
        let meta = std::fs::metadata(path).map_err(|e| IoError::os(path, e))?;
        if meta.is_dir() {
            return Err(IoError::format(path, "is a directory, not a netCDF file"));
        }
        if let Some(declared) = hdf5_declared_len(path).filter(|&d| d > meta.len()) {
            let message = format!(
                "truncated netCDF-4 file: its HDF5 superblock declares {declared} bytes but the file has {}",
                meta.len()
            );
            return Err(IoError::format(path, message));
        }
        let options = netcdf_reader::NcOpenOptions {
            chunk_cache_bytes: cache_bytes,
            ..Default::default()
        };
        let inner = netcdf_reader::NcFile::open_with_options(path, options).map_err(|e| open_error(path, e))?;
        let file = NcFile {
            path: path.to_path_buf(),
            inner,
            decode: Default::default(),
            decoded_bytes: AtomicU64::new(0),
            file_bytes: meta.len(),
        };
        file.check_complete(meta.len())?;
        Ok(file)
    }

    /// The metadata can be read, and a classic file holds every variable's first bytes.
    fn check_complete(&self, file_len: u64) -> Result<(), IoError> {
        let vars = self.inner.variables().map_err(|e| open_error(&self.path, e))?;
        if self.inner.as_classic().is_none() {
            return Ok(());
        }
        for v in vars {
            let end = if v.is_record_var {
                let records = v.dimensions.first().map_or(0, |d| d.size);
                if records == 0 {
                    0
                } else {
                    v.data_offset.saturating_add(v.record_size)
                }
            } else {
                v.data_offset.saturating_add(v._data_size)
            };
            if end > file_len {
                let message = format!(
                    "truncated netCDF file: variable {} needs {end} bytes but the file has {file_len}",
                    v.name
                );
                return Err(IoError::format(&self.path, message));
            }
        }
        Ok(())
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file format.
    pub fn format(&self) -> NcFormat {
        self.inner.format()
    }

    /// Variables of the root group.
    pub(crate) fn variables(&self) -> &[NcVariable] {
        self.inner.variables().unwrap_or(&[])
    }

    fn format_error(&self, message: impl Into<String>) -> IoError {
        IoError::format(&self.path, message)
    }

    fn variable_error(&self, variable: &str, message: impl Into<String>) -> IoError {
        IoError::Variable {
            path: self.path.clone(),
            variable: variable.to_string(),
            message: message.into(),
        }
    }

    /// A variable by name, or an error suggesting the closest names.
    fn find_variable(&self, name: &str) -> Result<&NcVariable, IoError> {
        let vars = self.variables();
        if let Some(v) = vars.iter().find(|v| v.name == name) {
            return Ok(v);
        }
        let close = closest_names(name, vars.iter().map(|v| v.name.as_str()));
        let message = if close.is_empty() {
            let listed: Vec<&str> = vars.iter().take(12).map(|v| v.name.as_str()).collect();
            let more = if vars.len() > 12 {
                format!(" and {} more", vars.len() - 12)
            } else {
                String::new()
            };
            format!("not in the file (its variables: {}{more})", listed.join(", "))
        } else {
            format!("not in the file; did you mean {}?", close.join(", "))
        };
        Err(self.variable_error(name, message))
    }

    /// All values of a numeric variable (or a hyperslab of it) as stored, promoted to f64,
    /// in C order. Reads the stored type and converts here: faster than the reader's own f64 path.
    ///
    /// The chunks of a netCDF-4 hyperslab are decompressed in parallel on the current rayon
    /// pool (the reader's own chunk-level path): each chunk inflates into its own buffer and
    /// is copied to its disjoint place in the result, so the values do not depend on the
    /// thread count. What is held beyond the result is a few copies of one chunk per
    /// thread ([`NcFile::decode_buffer_bytes`]). Classic files read sequentially.
    fn read_raw(&self, var: &NcVariable, selection: Option<&NcSliceInfo>) -> Result<Vec<f64>, IoError> {
        use netcdf_reader::NcType as T;
        macro_rules! read_as {
            ($t:ty) => {{
                let array = match selection {
                    None => self.inner.read_variable_parallel::<$t>(&var.name),
                    Some(sel) => self.inner.read_variable_slice_parallel::<$t>(&var.name, sel),
                };
                array.map(|a| match a.as_slice() {
                    Some(flat) => flat.iter().map(|&v| v as f64).collect::<Vec<f64>>(),
                    None => a.iter().map(|&v| v as f64).collect(),
                })
            }};
        }
        let read = match var.dtype {
            T::Byte => read_as!(i8),
            T::UByte => read_as!(u8),
            T::Short => read_as!(i16),
            T::UShort => read_as!(u16),
            T::Int => read_as!(i32),
            T::UInt => read_as!(u32),
            T::Int64 => read_as!(i64),
            T::UInt64 => read_as!(u64),
            T::Float => read_as!(f32),
            T::Double => read_as!(f64),
            _ => {
                return Err(self.variable_error(
                    &var.name,
                    format!("has type {}, not a number", cf::type_name(&var.dtype)),
                ));
            }
        };
        let values = read.map_err(|e| self.variable_error(&var.name, format!("cannot read ({})", one_line(e))))?;
        let stored = var.dtype.size().unwrap_or(8) as u64;
        self.decoded_bytes
            .fetch_add((values.len() as u64).saturating_mul(stored), Ordering::Relaxed);
        Ok(values)
    }

    /// The values decoded so far and the file's size ([`crate::dataset::ReadVolume`]).
    pub fn volume(&self) -> crate::dataset::ReadVolume {
        crate::dataset::ReadVolume {
            decoded_bytes: self.decoded_bytes.load(Ordering::Relaxed),
            input_bytes: self.file_bytes,
        }
    }

    /// What the parallel chunk decoding of [`NcFile::read_raw`] holds beyond the values it
    /// returns: per rayon thread, the compressed, inflated and unshuffled copies of the largest
    /// chunk among the gridded (2-D and more) variables. The chunk shape comes from each
    /// variable's first chunk; a classic file, or a variable stored without chunks, adds nothing.
    pub fn decode_buffer_bytes(&self) -> u64 {
        if self.inner.as_classic().is_some() {
            return 0;
        }
        let largest = self
            .variables()
            .iter()
            .filter(|v| v.dimensions.len() >= 2 && is_numeric(&v.dtype))
            .filter_map(|v| {
                let chunk = self.inner.iter_variable_chunks(&v.name).ok()?.next()?.ok()?;
                Some(chunk.bytes().len() as u64)
            })
            .max()
            .unwrap_or(0);
        largest
            .saturating_mul(3)
            .saturating_mul(rayon::current_num_threads() as u64)
    }

    /// All values of a numeric variable, CF-decoded, in file order.
    pub(crate) fn read_decoded(&self, var: &NcVariable) -> Result<Vec<f64>, IoError> {
        let mut values = self.read_raw(var, None)?;
        self.decoder(var).decode_all(&mut values);
        Ok(values)
    }

    /// Find the latitude/longitude grid and orient it north-first, -180..180. 2-D coordinate
    /// variables are read in blocks of rows and reduced to one latitude per row and one
    /// longitude per column (see [`grid::grid_from_2d`]).
    pub fn grid(&self) -> Result<Grid, IoError> {
        if projected::is_projected(self.variables()) {
            let read = |v: &NcVariable| self.read_decoded(v).map_err(|e| e.to_string());
            return projected::projected_grid(self.variables(), &read).map_err(|m| self.format_error(m));
        }
        let Some((lat_var, lon_var, two_d)) = grid::find_coordinates(self.variables()) else {
            return Err(self.format_error(
                "no latitude/longitude grid found: expected 2-D Latitude/Longitude variables or 1-D coordinates \
                 with units degrees_north/degrees_east",
            ));
        };
        let built = if two_d {
            let lat = self.axis_stats(lat_var)?;
            let lon = self.axis_stats(lon_var)?;
            grid::grid_from_2d(lat_var, lon_var, &lat, &lon)
        } else {
            let lat = self.read_decoded(lat_var)?;
            let lon = self.read_decoded(lon_var)?;
            grid::grid_from_1d(lat_var, lon_var, &lat, &lon)
        };
        let mut grid = built.map_err(|m| self.format_error(m))?;
        let crs = grid::grid_mapping_crs(self.variables()).map_err(|m| self.format_error(m))?;
        crate::io::grid::set_crs(&mut grid, crs);
        Ok(grid)
    }

    /// Row and column summaries of a 2-D coordinate variable, read in blocks of file rows.
    fn axis_stats(&self, var: &NcVariable) -> Result<grid::AxisStats, IoError> {
        let (a, b) = (var.dimensions[0].size, var.dimensions[1].size);
        let mut stats = grid::AxisStats::new(a as usize, b as usize);
        let block_rows = ((crate::dataset::BLOCK_CELLS as u64) / b.max(1)).max(1);
        let decoder = self.decoder(var);
        let mut r = 0;
        while r < a {
            let r1 = (r + block_rows).min(a);
            let sel = NcSliceInfo {
                selections: vec![
                    NcSliceInfoElem::Slice {
                        start: r,
                        end: r1,
                        step: 1,
                    },
                    NcSliceInfoElem::Slice {
                        start: 0,
                        end: b,
                        step: 1,
                    },
                ],
            };
            let whole = r == 0 && r1 == a;
            let mut block = self.read_raw(var, (!whole).then_some(&sel))?;
            decoder.decode_all(&mut block);
            stats.add_rows(r as usize, &block);
            r = r1;
        }
        Ok(stats)
    }

    /// The file dimensions of `grid`'s rows and columns; `grid` must come from this file.
    fn file_axes(&self, grid: &Grid) -> Result<FileAxes, IoError> {
        let (GridSource::OneD { lat_var, lon_var } | GridSource::TwoD { lat_var, lon_var }) = &grid.source;
        let foreign = || self.format_error(format!("the grid ({lat_var}/{lon_var}) does not belong to this file"));
        let (lat, lon) = (
            self.find_variable(lat_var).map_err(|_| foreign())?,
            self.find_variable(lon_var).map_err(|_| foreign())?,
        );
        let axes = grid::file_axes(lat, lon, grid).ok_or_else(foreign)?;
        if (axes.row_dim.size as usize, axes.col_dim.size as usize) != (grid.n_rows, grid.n_cols) {
            return Err(foreign());
        }
        Ok(axes)
    }

    /// Names of the variables that [`NcFile::read_variable`] can read as plain `NAME` (numeric,
    /// on the grid, no extra dimension longer than 1), in file order, without the coordinates.
    /// Empty when the file has no grid.
    pub fn grid_variables(&self) -> Vec<String> {
        self.grid().map(|g| self.grid_variables_on(&g)).unwrap_or_default()
    }

    /// [`NcFile::grid_variables`] for an already read grid.
    pub fn grid_variables_on(&self, grid: &Grid) -> Vec<String> {
        let Ok(axes) = self.file_axes(grid) else {
            return Vec::new();
        };
        let (GridSource::OneD { lat_var, lon_var } | GridSource::TwoD { lat_var, lon_var }) = &grid.source;
        self.variables()
            .iter()
            .filter(|v| v.name != *lat_var && v.name != *lon_var && is_numeric(&v.dtype))
            .filter(|v| {
                axes.place(v)
                    .is_some_and(|p| extra_dims(v, &p).iter().all(|&k| v.dimensions[k].size == 1))
            })
            .map(|v| v.name.clone())
            .collect()
    }

    /// Read one variable spec (`NAME`, `NAME[i]`, `NAME:mean|min|max|median`) on `grid`
    /// (from [`NcFile::grid`] of this file): CF-decoded, `NaN` where missing, oriented like `grid`.
    /// The whole grid at once: for small grids; runs read blocks ([`NcFile::read_block`]).
    #[allow(clippy::single_range_in_vec_init)] // one column segment: the whole width
    pub fn read_variable(&self, spec: &str, grid: &Grid) -> Result<GridVariable, IoError> {
        let (parsed, var) = self.resolve(spec)?;
        let values = self.read_block(spec, grid, 0..grid.n_rows, &[0..grid.n_cols])?;
        Ok(GridVariable {
            name: parsed.to_string(),
            units: text_attr(var, "units"),
            long_name: text_attr(var, "long_name"),
            values,
        })
    }

    /// The parsed spec and its numeric variable.
    fn resolve(&self, spec: &str) -> Result<(VarSpec, &NcVariable), IoError> {
        let parsed: VarSpec = spec.parse().map_err(|e| self.format_error(one_line(e)))?;
        let var = self.find_variable(&parsed.name)?;
        if !is_numeric(&var.dtype) {
            let message = format!(
                "has type {}, landclust reads numeric variables only",
                cf::type_name(&var.dtype)
            );
            return Err(self.variable_error(&var.name, message));
        }
        Ok((parsed, var))
    }

    /// Units of a variable spec, after checking that it can be read on `grid` (exists, numeric,
    /// on the grid, a valid extra-dimension choice).
    pub fn spec_units(&self, spec: &str, grid: &Grid) -> Result<Option<String>, IoError> {
        let (parsed, var) = self.resolve(spec)?;
        let axes = self.file_axes(grid)?;
        let placement = axes.place(var).ok_or_else(|| self.shape_error(var, &axes))?;
        self.plan(var, &placement, &parsed)?;
        let user = self.decode.get(&var.name).and_then(|o| o.units.clone());
        Ok(user.or_else(|| text_attr(var, "units")))
    }

    /// How `var`'s stored values are decoded: its CF attributes, with the user's override.
    pub(crate) fn decoder(&self, var: &NcVariable) -> CfDecoder {
        let d = CfDecoder::from_variable(var);
        match self.decode.get(&var.name) {
            Some(o) => d.with_override(o),
            None => d,
        }
    }

    /// The user's decoding override of `name`, if any.
    pub fn decode_override(&self, name: &str) -> Option<&crate::dataset::DecodeOverride> {
        self.decode.get(name)
    }

    /// Apply the user's decoding (`--decode`) to the variables it names; a name that is no
    /// variable of the file is an error listing close names or the numeric variables.
    pub fn apply_decoding(&mut self, overrides: &crate::dataset::DecodeOverrides) -> Result<(), IoError> {
        for name in overrides.names() {
            if self.variables().iter().all(|v| v.name != name) {
                let names: Vec<&str> = self.variables().iter().map(|v| v.name.as_str()).collect();
                let close = crate::io::grid::closest_names(name, names.iter().copied());
                let hint = if close.is_empty() {
                    format!("its variables: {}", names.join(", "))
                } else {
                    format!("did you mean {}?", close.join(", "))
                };
                return Err(self.variable_error(name, format!("--decode names no variable of the file ({hint})")));
            }
        }
        self.decode = overrides.clone();
        Ok(())
    }

    /// The specs `spec` stands for on `grid`: `NAME[*]` is `NAME[0] .. NAME[n-1]` over the
    /// variable's one extra dimension of length `n`; any other spec is itself.
    pub fn expand_spec(&self, spec: &str, grid: &Grid) -> Result<Vec<String>, IoError> {
        let (parsed, var) = self.resolve(spec)?;
        if parsed.extra != Extra::All {
            return Ok(vec![spec.to_string()]);
        }
        let axes = self.file_axes(grid)?;
        let placement = axes.place(var).ok_or_else(|| self.shape_error(var, &axes))?;
        plan::expand_series(var, &placement, &parsed.name).map_err(|m| self.variable_error(&var.name, m))
    }

    /// Values of spec `spec` on grid rows `rows` and the grid columns of `cols` (segments in
    /// order), row-major `rows.len() x sum(len)`: CF-decoded, `NaN` where missing. Each piece
    /// is one hyperslab of the file: the grid rows map to a contiguous range of file rows
    /// (reversed for a south-first file) and a column segment to one or two ranges of file
    /// columns (two where it crosses the file's 0/360 seam).
    pub fn read_block(
        &self,
        spec: &str,
        grid: &Grid,
        rows: std::ops::Range<usize>,
        cols: &[std::ops::Range<usize>],
    ) -> Result<Vec<f64>, IoError> {
        let (parsed, var) = self.resolve(spec)?;
        let axes = self.file_axes(grid)?;
        let placement = axes.place(var).ok_or_else(|| self.shape_error(var, &axes))?;
        let plan = self.plan(var, &placement, &parsed)?;
        let decoder = self.decoder(var);
        plan::read_block_with(
            var,
            &placement,
            &plan,
            &decoder,
            grid,
            rows,
            cols,
            |slab| self.read_raw(var, (!slab.whole).then(|| slice_info(&slab.extents)).as_ref()),
            |m| self.variable_error(&var.name, m),
        )
    }

    fn shape_error(&self, var: &NcVariable, axes: &FileAxes) -> IoError {
        let dims: Vec<String> = var
            .dimensions
            .iter()
            .map(|d| format!("{}={}", d.name, d.size))
            .collect();
        let message = format!(
            "shape [{}] is not on the grid [{}={}, {}={}]",
            dims.join(", "),
            axes.row_dim.name,
            axes.row_dim.size,
            axes.col_dim.name,
            axes.col_dim.size
        );
        self.variable_error(&var.name, message)
    }

    /// Which hyperslab to read and what to do with the extra dimension.
    fn plan(&self, var: &NcVariable, placement: &Placement, spec: &VarSpec) -> Result<ReadPlan, IoError> {
        ReadPlan::new(var, placement, spec).map_err(|m| self.variable_error(&var.name, m))
    }
}

/// The netCDF selection of a hyperslab.
fn slice_info(extents: &[Extent]) -> NcSliceInfo {
    let selections = extents
        .iter()
        .map(|e| match e {
            Extent::Range(r) => NcSliceInfoElem::Slice {
                start: r.start,
                end: r.end,
                step: 1,
            },
            Extent::Index(i) => NcSliceInfoElem::Index(*i),
        })
        .collect();
    NcSliceInfo { selections }
}

/// A netCDF file with its grid, read by [`crate::dataset::CellTable::read`] in blocks of rows.
#[derive(Debug)]
pub struct NcGridReader {
    file: NcFile,
    grid: Grid,
}

impl NcGridReader {
    /// Open `path` and read its grid.
    pub fn open(path: &Path) -> Result<Self, IoError> {
        Self::open_decoded(path, &Default::default())
    }

    /// Open `path` with the user's decoding of some variables (see [`NcFile::apply_decoding`]).
    pub fn open_decoded(path: &Path, decode: &crate::dataset::DecodeOverrides) -> Result<Self, IoError> {
        Self::from_file(NcFile::open(path)?, decode)
    }

    /// [`NcGridReader::open_decoded`] of a file opened with its own chunk cache size (see
    /// [`NcFile::open_with_chunk_cache`]).
    pub fn from_file(mut file: NcFile, decode: &crate::dataset::DecodeOverrides) -> Result<Self, IoError> {
        file.apply_decoding(decode)?;
        let grid = file.grid()?;
        Ok(NcGridReader { file, grid })
    }

    /// The open file.
    pub fn file(&self) -> &NcFile {
        &self.file
    }
}

impl crate::dataset::BlockReader for NcGridReader {
    fn source(&self) -> &Path {
        self.file.path()
    }

    fn grid(&self) -> &Grid {
        &self.grid
    }

    fn read_block(
        &self,
        spec: &str,
        rows: std::ops::Range<usize>,
        cols: &[std::ops::Range<usize>],
    ) -> Result<Vec<f64>, crate::dataset::DatasetError> {
        Ok(self.file.read_block(spec, &self.grid, rows, cols)?)
    }

    fn units(&self, spec: &str) -> Result<Option<String>, crate::dataset::DatasetError> {
        Ok(self.file.spec_units(spec, &self.grid)?)
    }

    fn expand(&self, spec: &str) -> Result<Vec<String>, crate::dataset::DatasetError> {
        Ok(self.file.expand_spec(spec, &self.grid)?)
    }

    fn volume(&self) -> Option<crate::dataset::ReadVolume> {
        Some(self.file.volume())
    }

    fn class_names(&self, spec: &str) -> Vec<(i64, String)> {
        let name = spec
            .parse::<crate::dataset::varspec::VarSpec>()
            .map_or_else(|_| spec.to_string(), |s| s.name);
        self.file
            .variables()
            .iter()
            .find(|v| v.name == name)
            .map(cf::flag_names)
            .unwrap_or_default()
    }

    fn variable_names(&self) -> Vec<String> {
        let (GridSource::OneD { lat_var, lon_var } | GridSource::TwoD { lat_var, lon_var }) = &self.grid.source;
        self.file
            .variables()
            .iter()
            .filter(|v| is_numeric(&v.dtype) && v.dimensions.len() >= 2 && v.name != *lat_var && v.name != *lon_var)
            .map(|v| v.name.clone())
            .collect()
    }
}

/// Open `path`, read its grid, the variable `specs` and the variable `selection` needs.
/// Repeated specs are read once.
pub fn load(path: &Path, specs: &[String], selection: &Selection) -> Result<GridDataset, IoError> {
    let file = NcFile::open(path)?;
    let grid = file.grid()?;
    let mut wanted: Vec<String> = Vec::with_capacity(specs.len() + 1);
    for s in specs
        .iter()
        .map(|s| s.trim().to_string())
        .chain(selection.variable().map(str::to_string))
    {
        if !wanted.contains(&s) {
            wanted.push(s);
        }
    }
    let variables = wanted
        .iter()
        .map(|s| file.read_variable(s, &grid))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(GridDataset {
        path: path.to_path_buf(),
        grid,
        variables,
    })
}

#[cfg(test)]
#[path = "reader_tests.rs"]
mod reader_tests;
