//! What the netCDF and Zarr readers share: a file of named, CF-described variables on a
//! latitude-longitude (or projected) grid, read in blocks of rows ([`GridFile`]), and the one
//! [`crate::dataset::BlockReader`] over any such file ([`GridReader`]).

use super::IoError;
use crate::dataset::{Grid, GridSource, ReadVolume};
use crate::io::netcdf::cf::{flag_names, is_numeric};
use netcdf_reader::NcVariable;
use std::ops::Range;
use std::path::Path;

/// A gridded file whose variables are read by name (or by a variable spec such as `NAME[i]`).
pub trait GridFile: std::fmt::Debug {
    /// The file (or store) path, for messages.
    fn path(&self) -> &Path;
    /// The variables of the file, as netCDF describes them (Zarr arrays are mapped onto the
    /// same description).
    fn variables(&self) -> &[NcVariable];
    /// The values of `spec` in `rows` x `cols` of `grid`, decoded, row-major.
    fn read_block(
        &self,
        spec: &str,
        grid: &Grid,
        rows: Range<usize>,
        cols: &[Range<usize>],
    ) -> Result<Vec<f64>, IoError>;
    /// The units of `spec`, where the file says.
    fn spec_units(&self, spec: &str, grid: &Grid) -> Result<Option<String>, IoError>;
    /// The plain specs `spec` stands for (`NAME[*]` -> each entry).
    fn expand_spec(&self, spec: &str, grid: &Grid) -> Result<Vec<String>, IoError>;
    /// Bytes read and decoded so far, where the format counts them.
    fn volume(&self) -> Option<ReadVolume> {
        None
    }

    /// The class names of the variable of `spec` from its CF `flag_values`/`flag_meanings`
    /// (empty where it has none).
    fn class_names(&self, spec: &str) -> Vec<(i64, String)> {
        let name = spec
            .parse::<crate::dataset::varspec::VarSpec>()
            .map_or_else(|_| spec.to_string(), |s| s.name);
        self.variables()
            .iter()
            .find(|v| v.name == name)
            .map(flag_names)
            .unwrap_or_default()
    }

    /// Names of the numeric variables with at least two dimensions, besides the grid's
    /// coordinates.
    fn data_variable_names(&self, grid: &Grid) -> Vec<String> {
        let (GridSource::OneD { lat_var, lon_var } | GridSource::TwoD { lat_var, lon_var }) = &grid.source;
        self.variables()
            .iter()
            .filter(|v| is_numeric(&v.dtype) && v.dimensions.len() >= 2 && v.name != *lat_var && v.name != *lon_var)
            .map(|v| v.name.clone())
            .collect()
    }
}

/// An open gridded file with its grid, read by [`crate::dataset::CellTable::read`] in blocks of
/// rows.
#[derive(Debug)]
pub struct GridReader<F> {
    pub(crate) file: F,
    pub(crate) grid: Grid,
}

impl<F: GridFile> GridReader<F> {
    /// The reader of `file` on `grid` (the grid read from that file).
    pub(crate) fn new(file: F, grid: Grid) -> Self {
        GridReader { file, grid }
    }

    /// The open file.
    pub fn file(&self) -> &F {
        &self.file
    }
}

impl<F: GridFile> crate::dataset::BlockReader for GridReader<F> {
    fn source(&self) -> &Path {
        self.file.path()
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
        Ok(self.file.read_block(spec, &self.grid, rows, cols)?)
    }

    fn units(&self, spec: &str) -> Result<Option<String>, crate::dataset::DatasetError> {
        Ok(self.file.spec_units(spec, &self.grid)?)
    }

    fn expand(&self, spec: &str) -> Result<Vec<String>, crate::dataset::DatasetError> {
        Ok(self.file.expand_spec(spec, &self.grid)?)
    }

    fn volume(&self) -> Option<ReadVolume> {
        self.file.volume()
    }

    fn variable_names(&self) -> Vec<String> {
        self.file.data_variable_names(&self.grid)
    }

    fn class_names(&self, spec: &str) -> Vec<(i64, String)> {
        self.file.class_names(spec)
    }
}
