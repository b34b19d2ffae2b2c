//! Reading gridded variables from Zarr v2 and v3 stores, as xarray writes them (`to_zarr`).
//!
//! A store is a local folder whose root group holds the arrays ([`meta`] reads their
//! metadata). Each array is described as a netCDF variable, so that the netCDF reader's rules
//! apply unchanged: the latitude/longitude grid is found and oriented the same way (2-D
//! `Latitude`/`Longitude` arrays or 1-D CF coordinates; see [`crate::io::netcdf`]), values are
//! CF-decoded the same way (`_FillValue`, `missing_value`, valid range, `scale_factor`/
//! `add_offset`, the user's `--decode`), an extra dimension is read as `NAME[i]`, `NAME[*]` or
//! `NAME:mean`. The chunks are decoded by the `zarrs` crate (codecs: Blosc, Zstd, gzip,
//! bytes); a block of grid rows decodes only the chunks it overlaps.

mod meta;
pub mod summary;

use super::IoError;
use super::netcdf::cf::{CfDecoder, is_numeric, text_attr};
use super::netcdf::grid::{self, FileAxes, Placement};
use super::netcdf::plan::{self, Extent, ReadPlan, extra_dims};
use crate::dataset::varspec::{Extra, VarSpec};
use crate::dataset::{Grid, GridSource};
use crate::io::grid::closest_names;
use crate::io::grid_file::{GridFile, GridReader};
use meta::{ArrayMeta, Element, StoreMeta};
use netcdf_reader::NcVariable;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use zarrs::array::{Array, ArraySubset};
use zarrs::filesystem::FilesystemStore;

/// True when `path` is a folder holding a Zarr store's root group (`.zgroup`, `.zmetadata` or
/// `zarr.json`).
pub fn is_zarr(path: &Path) -> bool {
    path.is_dir() && meta::MARKERS.iter().any(|m| path.join(m).is_file())
}

/// One line of an error that may nest its causes over several lines.
fn one_line(e: impl std::fmt::Display) -> String {
    e.to_string().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An open Zarr store: its metadata, and each array opened for reading when first read.
pub struct ZarrStore {
    path: PathBuf,
    meta: StoreMeta,
    /// The arrays as netCDF variables, in the order of `meta.arrays`.
    vars: Vec<NcVariable>,
    store: Arc<FilesystemStore>,
    opened: Vec<OnceLock<Result<Array<FilesystemStore>, String>>>,
    /// The user's decoding (`--decode`), applied over each array's CF attributes.
    decode: crate::dataset::DecodeOverrides,
}

impl std::fmt::Debug for ZarrStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZarrStore")
            .field("path", &self.path)
            .field("zarr_format", &self.meta.zarr_format)
            .field("arrays", &self.vars.len())
            .finish()
    }
}

impl ZarrStore {
    /// Open the store at `path` and read its metadata; fails with a one-line error naming the
    /// store when it is no Zarr store or its metadata cannot be read.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, IoError> {
        let path = path.as_ref();
        if !is_zarr(path) {
            return Err(IoError::format(
                path,
                "not a Zarr store: expected a folder with .zgroup, .zmetadata or zarr.json",
            ));
        }
        let meta = meta::read_store(path).map_err(|m| IoError::format(path, m))?;
        let store = FilesystemStore::new(path).map_err(|e| IoError::format(path, one_line(e)))?;
        let vars = meta.arrays.iter().map(|a| a.var.clone()).collect();
        let opened = meta.arrays.iter().map(|_| OnceLock::new()).collect();
        Ok(ZarrStore {
            path: path.to_path_buf(),
            meta,
            vars,
            store: Arc::new(store),
            opened,
            decode: Default::default(),
        })
    }

    /// The store's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `Zarr v2` or `Zarr v3`, and whether its metadata is consolidated.
    pub fn format_name(&self) -> String {
        let consolidated = if self.meta.consolidated { ", consolidated" } else { "" };
        format!("Zarr v{}{consolidated}", self.meta.zarr_format)
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

    /// The position of array `name`, or an error suggesting the closest names.
    fn find(&self, name: &str) -> Result<usize, IoError> {
        if let Some(i) = self.vars.iter().position(|v| v.name == name) {
            return Ok(i);
        }
        let close = closest_names(name, self.vars.iter().map(|v| v.name.as_str()));
        let message = if close.is_empty() {
            let listed: Vec<&str> = self.vars.iter().take(12).map(|v| v.name.as_str()).collect();
            let more = if self.vars.len() > 12 {
                format!(" and {} more", self.vars.len() - 12)
            } else {
                String::new()
            };
            format!("not in the store (its arrays: {}{more})", listed.join(", "))
        } else {
            format!("not in the store; did you mean {}?", close.join(", "))
        };
        Err(self.variable_error(name, message))
    }

    /// The array `i`, opened (its codecs set up) on first use.
    fn array(&self, i: usize) -> Result<&Array<FilesystemStore>, IoError> {
        let opened = self.opened[i].get_or_init(|| {
            Array::open(self.store.clone(), &format!("/{}", self.vars[i].name)).map_err(|e| {
                let codecs = self.meta.arrays[i].codecs.join(", ");
                format!("cannot open the array (codecs: {codecs}): {}", one_line(e))
            })
        });
        opened
            .as_ref()
            .map_err(|m| self.variable_error(&self.vars[i].name, m.clone()))
    }

    /// Stored values of array `i` in the hyperslab `extents` (all of it when `None`), promoted to
    /// f64, in C order. Only the chunks overlapping the hyperslab are read and decoded.
    fn read_raw(&self, i: usize, extents: Option<&[Extent]>) -> Result<Vec<f64>, IoError> {
        let a = &self.meta.arrays[i];
        let Some(element) = a.element else {
            return Err(self.variable_error(&a.var.name, format!("has type {}, not a number", a.data_type)));
        };
        let array = self.array(i)?;
        let ranges: Vec<std::ops::Range<u64>> = match extents {
            Some(ext) => ext
                .iter()
                .map(|e| match e {
                    Extent::Range(r) => r.clone(),
                    Extent::Index(k) => *k..*k + 1,
                })
                .collect(),
            None => a.var.dimensions.iter().map(|d| 0..d.size).collect(),
        };
        let subset = ArraySubset::new_with_ranges(&ranges);
        macro_rules! read_as {
            ($t:ty) => {
                array
                    .retrieve_array_subset::<Vec<$t>>(&subset)
                    .map(|v| v.into_iter().map(|x| x as f64).collect::<Vec<f64>>())
            };
        }
        let read = match element {
            Element::Bool => array
                .retrieve_array_subset::<Vec<bool>>(&subset)
                .map(|v| v.into_iter().map(|b| f64::from(u8::from(b))).collect()),
            Element::I8 => read_as!(i8),
            Element::U8 => read_as!(u8),
            Element::I16 => read_as!(i16),
            Element::U16 => read_as!(u16),
            Element::I32 => read_as!(i32),
            Element::U32 => read_as!(u32),
            Element::I64 => read_as!(i64),
            Element::U64 => read_as!(u64),
            Element::F32 => read_as!(f32),
            Element::F64 => read_as!(f64),
        };
        read.map_err(|e| self.variable_error(&a.var.name, format!("cannot read ({})", one_line(e))))
    }

    /// All values of a numeric array, CF-decoded, in store order.
    pub(crate) fn read_decoded(&self, i: usize) -> Result<Vec<f64>, IoError> {
        let mut values = self.read_raw(i, None)?;
        self.decoder(&self.vars[i]).decode_all(&mut values);
        Ok(values)
    }

    /// How `var`'s stored values are decoded: its CF attributes, with the user's override.
    fn decoder(&self, var: &NcVariable) -> CfDecoder {
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

    /// Apply the user's decoding (`--decode`) to the arrays it names; a name that is no array of
    /// the store is an error listing close names or the arrays.
    pub fn apply_decoding(&mut self, overrides: &crate::dataset::DecodeOverrides) -> Result<(), IoError> {
        for name in overrides.names() {
            if self.vars.iter().all(|v| v.name != name) {
                let names: Vec<&str> = self.vars.iter().map(|v| v.name.as_str()).collect();
                let close = closest_names(name, names.iter().copied());
                let hint = if close.is_empty() {
                    format!("its arrays: {}", names.join(", "))
                } else {
                    format!("did you mean {}?", close.join(", "))
                };
                return Err(self.variable_error(name, format!("--decode names no array of the store ({hint})")));
            }
        }
        self.decode = overrides.clone();
        Ok(())
    }

    /// Find the latitude/longitude grid and orient it north-first, -180..180, as for a netCDF
    /// file ([`crate::io::netcdf::NcFile::grid`]); 2-D coordinates are read in blocks of rows.
    pub fn grid(&self) -> Result<Grid, IoError> {
        let Some((lat_var, lon_var, two_d)) = grid::find_coordinates(&self.vars) else {
            return Err(self.format_error(self.missing_coordinates()));
        };
        let index = |v: &NcVariable| self.vars.iter().position(|x| x.name == v.name).unwrap_or(0);
        let built = if two_d {
            let lat = self.axis_stats(index(lat_var))?;
            let lon = self.axis_stats(index(lon_var))?;
            grid::grid_from_2d(lat_var, lon_var, &lat, &lon)
        } else {
            let lat = self.read_decoded(index(lat_var))?;
            let lon = self.read_decoded(index(lon_var))?;
            grid::grid_from_1d(lat_var, lon_var, &lat, &lon)
        };
        let mut grid = built.map_err(|m| self.format_error(m))?;
        let crs = grid::grid_mapping_crs(&self.vars).map_err(|m| self.format_error(m))?;
        crate::io::grid::set_crs(&mut grid, crs);
        Ok(grid)
    }

    /// What is missing for a grid: which coordinate, and how it is recognised.
    fn missing_coordinates(&self) -> String {
        let found = |axis: grid::Axis| {
            self.vars
                .iter()
                .any(|v| matches!(v.dimensions.len(), 1 | 2) && grid::evidence(v, axis) > 0)
        };
        let what = match (found(grid::Axis::Lat), found(grid::Axis::Lon)) {
            (false, false) => "no latitude and no longitude coordinates",
            (false, true) => "no latitude coordinate",
            (true, false) => "no longitude coordinate",
            (true, true) => "no latitude/longitude pair on distinct dimensions",
        };
        let names: Vec<&str> = self.vars.iter().take(12).map(|v| v.name.as_str()).collect();
        format!(
            "Zarr store without a latitude/longitude grid: {what} (expected 1-D arrays with units degrees_north/degrees_east, or 2-D Latitude/Longitude arrays; its arrays: {})",
            names.join(", ")
        )
    }

    /// Row and column summaries of a 2-D coordinate array, read in blocks of store rows.
    fn axis_stats(&self, i: usize) -> Result<grid::AxisStats, IoError> {
        let var = &self.vars[i];
        let (a, b) = (var.dimensions[0].size, var.dimensions[1].size);
        let mut stats = grid::AxisStats::new(a as usize, b as usize);
        let block_rows = ((crate::dataset::BLOCK_CELLS as u64) / b.max(1)).max(1);
        let decoder = self.decoder(var);
        let mut r = 0;
        while r < a {
            let r1 = (r + block_rows).min(a);
            let mut block = self.read_raw(i, Some(&[Extent::Range(r..r1), Extent::Range(0..b)]))?;
            decoder.decode_all(&mut block);
            stats.add_rows(r as usize, &block);
            r = r1;
        }
        Ok(stats)
    }

    /// The store dimensions of `grid`'s rows and columns; `grid` must come from this store.
    fn file_axes(&self, grid: &Grid) -> Result<FileAxes, IoError> {
        let (GridSource::OneD { lat_var, lon_var } | GridSource::TwoD { lat_var, lon_var }) = &grid.source;
        let foreign = || self.format_error(format!("the grid ({lat_var}/{lon_var}) does not belong to this store"));
        let lat = self.vars.iter().find(|v| v.name == *lat_var).ok_or_else(foreign)?;
        let lon = self.vars.iter().find(|v| v.name == *lon_var).ok_or_else(foreign)?;
        let axes = grid::file_axes(lat, lon, grid).ok_or_else(foreign)?;
        if (axes.row_dim.size as usize, axes.col_dim.size as usize) != (grid.n_rows, grid.n_cols) {
            return Err(foreign());
        }
        Ok(axes)
    }

    /// The parsed spec, its array's position, and a check that the array is numeric.
    fn resolve(&self, spec: &str) -> Result<(VarSpec, usize), IoError> {
        let parsed: VarSpec = spec.parse().map_err(|e| self.format_error(one_line(e)))?;
        let i = self.find(&parsed.name)?;
        if !is_numeric(&self.vars[i].dtype) {
            let message = format!(
                "has type {}, landclust reads numeric arrays only",
                self.meta.arrays[i].data_type
            );
            return Err(self.variable_error(&parsed.name, message));
        }
        Ok((parsed, i))
    }

    fn shape_error(&self, var: &NcVariable, axes: &FileAxes) -> IoError {
        let dims: Vec<String> = (0..var.dimensions.len()).map(|k| plan::dim_text(var, k)).collect();
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

    /// The array of `spec`, where it sits on `grid`, and how it is read.
    fn locate(&self, spec: &str, grid: &Grid) -> Result<(usize, Placement, ReadPlan), IoError> {
        let (parsed, i) = self.resolve(spec)?;
        let var = &self.vars[i];
        let axes = self.file_axes(grid)?;
        let placement = axes.place(var).ok_or_else(|| self.shape_error(var, &axes))?;
        let plan = ReadPlan::new(var, &placement, &parsed).map_err(|m| self.variable_error(&var.name, m))?;
        Ok((i, placement, plan))
    }

    /// Units of a variable spec, after checking that it can be read on `grid`.
    pub fn spec_units(&self, spec: &str, grid: &Grid) -> Result<Option<String>, IoError> {
        let (i, _, _) = self.locate(spec, grid)?;
        let var = &self.vars[i];
        let user = self.decode.get(&var.name).and_then(|o| o.units.clone());
        Ok(user.or_else(|| text_attr(var, "units")))
    }

    /// The specs `spec` stands for on `grid`: `NAME[*]` is `NAME[0] .. NAME[n-1]` over the
    /// array's one extra dimension of length `n`; any other spec is itself.
    pub fn expand_spec(&self, spec: &str, grid: &Grid) -> Result<Vec<String>, IoError> {
        let (parsed, i) = self.resolve(spec)?;
        if parsed.extra != Extra::All {
            return Ok(vec![spec.to_string()]);
        }
        let var = &self.vars[i];
        let axes = self.file_axes(grid)?;
        let placement = axes.place(var).ok_or_else(|| self.shape_error(var, &axes))?;
        plan::expand_series(var, &placement, &parsed.name).map_err(|m| self.variable_error(&var.name, m))
    }

    /// Values of spec `spec` on grid rows `rows` and the grid columns of `cols` (segments in
    /// order), row-major `rows.len() x sum(len)`: CF-decoded, `NaN` where missing (see
    /// [`plan::read_block_with`]). Each piece is one hyperslab, of which only the overlapping
    /// chunks are decoded.
    pub fn read_block(
        &self,
        spec: &str,
        grid: &Grid,
        rows: std::ops::Range<usize>,
        cols: &[std::ops::Range<usize>],
    ) -> Result<Vec<f64>, IoError> {
        let (i, placement, plan) = self.locate(spec, grid)?;
        let var = &self.vars[i];
        plan::read_block_with(
            var,
            &placement,
            &plan,
            &self.decoder(var),
            grid,
            rows,
            cols,
            |slab| self.read_raw(i, Some(&slab.extents)),
            |m| self.variable_error(&var.name, m),
        )
    }

    /// Names of the arrays that read as plain `NAME` on `grid` (numeric, on the grid, no extra
    /// dimension longer than 1), without the coordinates.
    pub fn grid_variables_on(&self, grid: &Grid) -> Vec<String> {
        let Ok(axes) = self.file_axes(grid) else {
            return Vec::new();
        };
        self.data_variable_names(grid)
            .into_iter()
            .filter(|name| {
                self.vars.iter().find(|v| v.name == *name).is_some_and(|v| {
                    axes.place(v)
                        .is_some_and(|p| extra_dims(v, &p).iter().all(|&k| v.dimensions[k].size == 1))
                })
            })
            .collect()
    }

    /// The metadata of array `name` (for tests and `inspect`).
    fn array_meta(&self, i: usize) -> &ArrayMeta {
        &self.meta.arrays[i]
    }
}

/// A Zarr store with its grid, read by [`crate::dataset::CellTable::read`] in blocks of rows.
pub type ZarrGridReader = GridReader<ZarrStore>;

impl GridReader<ZarrStore> {
    /// Open the store at `path` and read its grid.
    pub fn open(path: &Path) -> Result<Self, IoError> {
        Self::open_decoded(path, &Default::default())
    }

    /// Open the store at `path` with the user's decoding of some arrays (see
    /// [`ZarrStore::apply_decoding`]).
    pub fn open_decoded(path: &Path, decode: &crate::dataset::DecodeOverrides) -> Result<Self, IoError> {
        let mut store = ZarrStore::open(path)?;
        store.apply_decoding(decode)?;
        let grid = store.grid()?;
        Ok(GridReader::new(store, grid))
    }
}

impl GridFile for ZarrStore {
    fn path(&self) -> &Path {
        ZarrStore::path(self)
    }

    fn variables(&self) -> &[NcVariable] {
        &self.vars
    }

    fn read_block(
        &self,
        spec: &str,
        grid: &Grid,
        rows: std::ops::Range<usize>,
        cols: &[std::ops::Range<usize>],
    ) -> Result<Vec<f64>, IoError> {
        ZarrStore::read_block(self, spec, grid, rows, cols)
    }

    fn spec_units(&self, spec: &str, grid: &Grid) -> Result<Option<String>, IoError> {
        ZarrStore::spec_units(self, spec, grid)
    }

    fn expand_spec(&self, spec: &str, grid: &Grid) -> Result<Vec<String>, IoError> {
        ZarrStore::expand_spec(self, spec, grid)
    }
}

#[cfg(test)]
#[path = "reader_tests.rs"]
mod tests;
