//! Writing grid files as netCDF (netCDF-4 with deflate, or classic CDF-2), atomically.
//!
//! Built on the pure-Rust `netcdf-writer` crate: a file is described by its dimensions, its
//! variables ([`OutVar`]) and global attributes, then encoded in memory and written through
//! [`crate::io::atomic::write_via_temp`], so a failure never leaves a partial file.

use crate::io::IoError;
use crate::io::atomic::write_via_temp;
use netcdf_writer::{DimensionId, NcAttrValue, NcFileBuilder, NcWriteFormat, NcWriteOptions, VariableId};
use std::path::Path;

/// On-disk format of a written file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NcFormat {
    /// netCDF-4 (HDF5-based); grid variables are chunked and deflated (level 4, shuffle).
    #[default]
    Netcdf4,
    /// Classic netCDF, CDF-2 ("64-bit offset"); no compression and no unsigned types.
    Classic,
}

impl NcFormat {
    /// Short name (`netcdf4`, `classic`).
    pub fn as_str(self) -> &'static str {
        match self {
            NcFormat::Netcdf4 => "netcdf4",
            NcFormat::Classic => "classic",
        }
    }
}

impl std::fmt::Display for NcFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for NcFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "netcdf4" | "nc4" => Ok(NcFormat::Netcdf4),
            "classic" | "cdf2" => Ok(NcFormat::Classic),
            _ => Err(format!("unknown netCDF format {s:?} (expected netcdf4 or classic)")),
        }
    }
}

/// An attribute value (global or per variable).
#[derive(Debug, Clone, PartialEq)]
pub enum AttrValue {
    Text(String),
    F32(Vec<f32>),
    F64(Vec<f64>),
    I16(Vec<i16>),
    I32(Vec<i32>),
    U8(Vec<u8>),
}

impl From<&str> for AttrValue {
    fn from(s: &str) -> Self {
        AttrValue::Text(s.to_string())
    }
}

impl From<String> for AttrValue {
    fn from(s: String) -> Self {
        AttrValue::Text(s)
    }
}

impl From<f32> for AttrValue {
    fn from(v: f32) -> Self {
        AttrValue::F32(vec![v])
    }
}

impl From<f64> for AttrValue {
    fn from(v: f64) -> Self {
        AttrValue::F64(vec![v])
    }
}

impl From<i16> for AttrValue {
    fn from(v: i16) -> Self {
        AttrValue::I16(vec![v])
    }
}

impl From<i32> for AttrValue {
    fn from(v: i32) -> Self {
        AttrValue::I32(vec![v])
    }
}

impl AttrValue {
    fn to_nc(&self) -> NcAttrValue {
        match self {
            AttrValue::Text(s) => NcAttrValue::Chars(s.clone()),
            AttrValue::F32(v) => NcAttrValue::Floats(v.clone()),
            AttrValue::F64(v) => NcAttrValue::Doubles(v.clone()),
            AttrValue::I16(v) => NcAttrValue::Shorts(v.clone()),
            AttrValue::I32(v) => NcAttrValue::Ints(v.clone()),
            AttrValue::U8(v) => NcAttrValue::UBytes(v.clone()),
        }
    }
}

/// `(name, value)` pairs, in the order they are written.
pub type Attrs = Vec<(String, AttrValue)>;

/// Build an attribute list from `(name, value)` pairs.
pub fn attrs<const N: usize>(pairs: [(&str, AttrValue); N]) -> Attrs {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// The values of one variable, row-major over its dimensions.
#[derive(Debug, Clone, Copy)]
pub enum OutData<'a> {
    F32(&'a [f32]),
    F64(&'a [f64]),
    I16(&'a [i16]),
    I32(&'a [i32]),
    /// Unsigned bytes: netCDF-4 only (classic CDF-2 has no unsigned type).
    U8(&'a [u8]),
}

impl OutData<'_> {
    fn len(&self) -> usize {
        match self {
            OutData::F32(v) => v.len(),
            OutData::F64(v) => v.len(),
            OutData::I16(v) => v.len(),
            OutData::I32(v) => v.len(),
            OutData::U8(v) => v.len(),
        }
    }

    fn type_name(&self) -> &'static str {
        match self {
            OutData::F32(_) => "float",
            OutData::F64(_) => "double",
            OutData::I16(_) => "short",
            OutData::I32(_) => "int",
            OutData::U8(_) => "ubyte",
        }
    }
}

/// One variable to write. A `_FillValue` attribute must be a single value of the variable's
/// own type; it is written as the variable's fill value.
#[derive(Debug, Clone)]
pub struct OutVar<'a> {
    pub name: String,
    /// Dimension names, outermost first; empty for a scalar.
    pub dims: Vec<String>,
    pub data: OutData<'a>,
    pub attrs: Attrs,
}

impl<'a> OutVar<'a> {
    /// A variable on `dims` with no attributes yet.
    pub fn new(name: &str, dims: &[&str], data: OutData<'a>) -> Self {
        OutVar {
            name: name.into(),
            dims: dims.iter().map(|d| d.to_string()).collect(),
            data,
            attrs: Vec::new(),
        }
    }

    /// Add attributes (builder style).
    pub fn with_attrs(mut self, attrs: Attrs) -> Self {
        self.attrs.extend(attrs);
        self
    }
}

/// Deflate level used for netCDF-4 variables (a good size/speed trade-off for float grids).
const DEFLATE_LEVEL: u8 = 4;

/// Write a netCDF file with `dims` (`(name, size)`), `vars` and `global_attrs`, atomically.
///
/// Errors name the file and, where there is one, the variable (unknown dimension, data length
/// that does not match the dimensions, fill value of the wrong type, `U8` data in classic).
pub fn write_nc(
    path: &Path,
    format: NcFormat,
    dims: &[(&str, usize)],
    vars: &[OutVar],
    global_attrs: &[(String, AttrValue)],
) -> Result<(), IoError> {
    let builder = build(path, format, dims, vars, global_attrs)?;
    let options = match format {
        NcFormat::Netcdf4 => NcWriteOptions {
            format: NcWriteFormat::Nc4,
        },
        NcFormat::Classic => NcWriteOptions::offset64(),
    };
    let (_, bytes) = builder
        .to_vec(options)
        .map_err(|e| IoError::format(path, format!("cannot encode {format}: {e}")))?;
    write_via_temp(path, |tmp| std::fs::write(tmp, &bytes))
}

fn build(
    path: &Path,
    format: NcFormat,
    dims: &[(&str, usize)],
    vars: &[OutVar],
    global_attrs: &[(String, AttrValue)],
) -> Result<NcFileBuilder, IoError> {
    let mut b = NcFileBuilder::new();
    let mut dim_ids: Vec<(&str, DimensionId, usize)> = Vec::with_capacity(dims.len());
    for &(name, size) in dims {
        let id = b
            .add_dimension(name, size as u64)
            .map_err(|e| IoError::format(path, format!("dimension {name}: {e}")))?;
        dim_ids.push((name, id, size));
    }
    for (name, value) in global_attrs {
        b.add_attribute(name.as_str(), value.to_nc())
            .map_err(|e| IoError::format(path, format!("global attribute {name}: {e}")))?;
    }
    for var in vars {
        add_var(&mut b, format, &dim_ids, var).map_err(|message| IoError::Variable {
            path: path.to_path_buf(),
            variable: var.name.clone(),
            message,
        })?;
    }
    Ok(b)
}

fn add_var(
    b: &mut NcFileBuilder,
    format: NcFormat,
    dim_ids: &[(&str, DimensionId, usize)],
    var: &OutVar,
) -> Result<VariableId, String> {
    let mut ids = Vec::with_capacity(var.dims.len());
    let mut expected = 1usize;
    for d in &var.dims {
        let &(_, id, size) = dim_ids
            .iter()
            .find(|(n, _, _)| n == d)
            .ok_or_else(|| format!("unknown dimension {d}"))?;
        ids.push(id);
        expected *= size;
    }
    if var.data.len() != expected {
        return Err(format!(
            "has {} values but its dimensions {:?} hold {expected}",
            var.data.len(),
            var.dims
        ));
    }
    if format == NcFormat::Classic && matches!(var.data, OutData::U8(_)) {
        return Err("unsigned bytes cannot be written to classic netCDF; use i16 or netCDF-4".into());
    }
    let id = define(b, var, &ids).map_err(|e| e.to_string())?;
    for (name, value) in &var.attrs {
        if name == "_FillValue" {
            set_fill(b, id, &var.data, value)?;
        } else {
            b.add_variable_attribute(id, name.as_str(), value.to_nc())
                .map_err(|e| format!("attribute {name}: {e}"))?;
        }
    }
    if format == NcFormat::Netcdf4 && !var.dims.is_empty() && expected > 0 {
        b.set_variable_deflate(id, Some(DEFLATE_LEVEL), true)
            .map_err(|e| e.to_string())?;
    }
    Ok(id)
}

/// Declare the variable with its type and store its values.
fn define(b: &mut NcFileBuilder, var: &OutVar, dim_ids: &[DimensionId]) -> netcdf_writer::Result<VariableId> {
    let name = var.name.as_str();
    Ok(match var.data {
        OutData::F32(v) => {
            let id = b.add_variable::<f32>(name, dim_ids)?;
            b.write_variable(id, v)?;
            id
        }
        OutData::F64(v) => {
            let id = b.add_variable::<f64>(name, dim_ids)?;
            b.write_variable(id, v)?;
            id
        }
        OutData::I16(v) => {
            let id = b.add_variable::<i16>(name, dim_ids)?;
            b.write_variable(id, v)?;
            id
        }
        OutData::I32(v) => {
            let id = b.add_variable::<i32>(name, dim_ids)?;
            b.write_variable(id, v)?;
            id
        }
        OutData::U8(v) => {
            let id = b.add_variable::<u8>(name, dim_ids)?;
            b.write_variable(id, v)?;
            id
        }
    })
}

/// Store a `_FillValue` attribute as the variable's fill value (type must match the data).
fn set_fill(b: &mut NcFileBuilder, id: VariableId, data: &OutData, value: &AttrValue) -> Result<(), String> {
    let mismatch = || format!("_FillValue must be one {} value, got {value:?}", data.type_name());
    let r = match (data, value) {
        (OutData::F32(_), AttrValue::F32(v)) if v.len() == 1 => b.set_variable_fill_value(id, v[0]),
        (OutData::F64(_), AttrValue::F64(v)) if v.len() == 1 => b.set_variable_fill_value(id, v[0]),
        (OutData::I16(_), AttrValue::I16(v)) if v.len() == 1 => b.set_variable_fill_value(id, v[0]),
        (OutData::I32(_), AttrValue::I32(v)) if v.len() == 1 => b.set_variable_fill_value(id, v[0]),
        (OutData::U8(_), AttrValue::U8(v)) if v.len() == 1 => b.set_variable_fill_value(id, v[0]),
        _ => return Err(mismatch()),
    };
    r.map_err(|e| format!("_FillValue: {e}"))
}

/// The element type of a variable declared on a [`RowBlockWriter`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutType {
    F32,
    F64,
    I16,
    I32,
    U8,
}

impl OutType {
    /// An empty slice of this type (carries the type to [`set_fill`]).
    fn empty(self) -> OutData<'static> {
        match self {
            OutType::F32 => OutData::F32(&[]),
            OutType::F64 => OutData::F64(&[]),
            OutType::I16 => OutData::I16(&[]),
            OutType::I32 => OutData::I32(&[]),
            OutType::U8 => OutData::U8(&[]),
        }
    }

    fn of(data: &OutData) -> Self {
        match data {
            OutData::F32(_) => OutType::F32,
            OutData::F64(_) => OutType::F64,
            OutData::I16(_) => OutType::I16,
            OutData::I32(_) => OutType::I32,
            OutData::U8(_) => OutType::U8,
        }
    }
}

/// A declared variable of a [`RowBlockWriter`] and how many of its rows have been written.
#[derive(Debug)]
struct BlockVar {
    name: String,
    id: VariableId,
    ty: OutType,
    /// Sizes of the variable's dimensions, outermost (rows) first.
    shape: Vec<usize>,
    rows_written: usize,
}

/// A netCDF file filled row block by row block, for grids too large to hold as one array per
/// variable in the caller: [`RowBlockWriter::declare`] the variables (with optional chunk shape),
/// hand each block of rows to [`RowBlockWriter::write_rows`] (in any order; each row once),
/// then [`RowBlockWriter::finish`] encodes the file and writes it atomically.
///
/// The `netcdf-writer` crate encodes a whole file in memory (no streaming API): the values
/// are stored in the builder as they arrive (`write_variable_slice`, big-endian), and
/// netCDF-4 encoding makes a little-endian copy for HDF5 before compressing chunk by chunk, so
/// the peak memory is about twice (transiently three times) the raw size of the variables plus
/// the compressed file. `finish` streams the encoded bytes to the file (no extra copy).
#[derive(Debug)]
pub struct RowBlockWriter {
    path: std::path::PathBuf,
    format: NcFormat,
    builder: NcFileBuilder,
    dims: Vec<(String, DimensionId, usize)>,
    vars: Vec<BlockVar>,
    /// Set when a declaration failed half-way: the builder may hold a variable without data.
    broken: Option<String>,
}

impl RowBlockWriter {
    /// A file at `path` with dimensions `dims` (`(name, size)`) and `global_attrs`.
    pub fn new(
        path: &Path,
        format: NcFormat,
        dims: &[(&str, usize)],
        global_attrs: &[(String, AttrValue)],
    ) -> Result<Self, IoError> {
        let mut builder = NcFileBuilder::new();
        let mut ids = Vec::with_capacity(dims.len());
        for &(name, size) in dims {
            let id = builder
                .add_dimension(name, size as u64)
                .map_err(|e| IoError::format(path, format!("dimension {name}: {e}")))?;
            ids.push((name.to_string(), id, size));
        }
        for (name, value) in global_attrs {
            builder
                .add_attribute(name.as_str(), value.to_nc())
                .map_err(|e| IoError::format(path, format!("global attribute {name}: {e}")))?;
        }
        Ok(RowBlockWriter {
            path: path.to_path_buf(),
            format,
            builder,
            dims: ids,
            vars: Vec::new(),
            broken: None,
        })
    }

    fn var_error(&self, variable: &str, message: String) -> IoError {
        IoError::Variable {
            path: self.path.clone(),
            variable: variable.to_string(),
            message,
        }
    }

    fn dim_refs(dims: &[(String, DimensionId, usize)]) -> Vec<(&str, DimensionId, usize)> {
        dims.iter().map(|(n, id, s)| (n.as_str(), *id, *s)).collect()
    }

    /// Add a variable with all its values now (small variables: coordinates, scalars).
    pub fn add(&mut self, var: &OutVar) -> Result<(), IoError> {
        let dims = Self::dim_refs(&self.dims);
        let added = add_var(&mut self.builder, self.format, &dims, var);
        let shape: Vec<usize> = var
            .dims
            .iter()
            .filter_map(|d| dims.iter().find(|(n, _, _)| n == d).map(|(_, _, s)| *s))
            .collect();
        let id = match added {
            Ok(id) => id,
            Err(m) => {
                self.broken = Some(var.name.clone());
                return Err(self.var_error(&var.name, m));
            }
        };
        let rows = shape.first().copied().unwrap_or(1);
        self.vars.push(BlockVar {
            name: var.name.clone(),
            id,
            ty: OutType::of(&var.data),
            shape,
            rows_written: rows,
        });
        Ok(())
    }

    /// Declare a variable of type `ty` on `dims` (at least one) whose values come later by
    /// rows of its first dimension. `chunk` sets the netCDF-4 chunk shape (one size per
    /// dimension; ignored in classic files); without it the writer's default (about 1 MiB) is used.
    /// A `_FillValue` among `attrs` must be one value of type `ty`.
    pub fn declare(
        &mut self,
        name: &str,
        dims: &[&str],
        ty: OutType,
        attrs: &[(String, AttrValue)],
        chunk: Option<&[usize]>,
    ) -> Result<(), IoError> {
        let known = Self::dim_refs(&self.dims);
        let mut ids = Vec::with_capacity(dims.len());
        let mut shape = Vec::with_capacity(dims.len());
        for d in dims {
            let &(_, id, size) = known
                .iter()
                .find(|(n, _, _)| n == d)
                .ok_or_else(|| self.var_error(name, format!("unknown dimension {d}")))?;
            ids.push(id);
            shape.push(size);
        }
        if dims.is_empty() {
            return Err(self.var_error(name, "a row-block variable needs at least one dimension".into()));
        }
        if self.format == NcFormat::Classic && ty == OutType::U8 {
            return Err(self.var_error(
                name,
                "unsigned bytes cannot be written to classic netCDF; use i16 or netCDF-4".into(),
            ));
        }
        if let Some(c) = chunk
            && (c.len() != shape.len() || c.iter().zip(&shape).any(|(&c, &s)| c == 0 || c > s))
        {
            return Err(self.var_error(name, format!("chunk shape {c:?} does not fit the dimensions {shape:?}")));
        }
        let result = declare_var(&mut self.builder, self.format, name, &ids, ty, attrs, chunk, &shape);
        let id = result.map_err(|m| {
            self.broken = Some(name.to_string());
            self.var_error(name, m)
        })?;
        self.vars.push(BlockVar {
            name: name.to_string(),
            id,
            ty,
            shape,
            rows_written: 0,
        });
        Ok(())
    }

    /// Store rows `row0 ..` of variable `name` (whole rows, row-major; the number of rows is
    /// the data length over the row length).
    pub fn write_rows(&mut self, name: &str, row0: usize, data: OutData) -> Result<(), IoError> {
        let Some(k) = self.vars.iter().position(|v| v.name == name) else {
            return Err(self.var_error(name, "not declared".into()));
        };
        let var = &self.vars[k];
        let row_len: usize = var.shape[1..].iter().product();
        let (ty, id) = (var.ty, var.id);
        if OutType::of(&data) != ty {
            return Err(self.var_error(name, format!("declared {ty:?}, got {} values", data.type_name())));
        }
        let n = data.len();
        if row_len == 0 || !n.is_multiple_of(row_len) || row0 + n / row_len > var.shape[0] {
            return Err(self.var_error(
                name,
                format!(
                    "{n} values from row {row0} are not whole rows of {row_len} within {} rows",
                    var.shape[0]
                ),
            ));
        }
        let rows = n / row_len;
        let mut selections = vec![netcdf_writer::NcSliceInfoElem::Slice {
            start: row0 as u64,
            end: (row0 + rows) as u64,
            step: 1,
        }];
        for &size in &var.shape[1..] {
            selections.push(netcdf_writer::NcSliceInfoElem::Slice {
                start: 0,
                end: size as u64,
                step: 1,
            });
        }
        let sel = netcdf_writer::NcSliceInfo { selections };
        let b = &mut self.builder;
        let r = match data {
            OutData::F32(v) => b.write_variable_slice(id, &sel, v),
            OutData::F64(v) => b.write_variable_slice(id, &sel, v),
            OutData::I16(v) => b.write_variable_slice(id, &sel, v),
            OutData::I32(v) => b.write_variable_slice(id, &sel, v),
            OutData::U8(v) => b.write_variable_slice(id, &sel, v),
        };
        r.map_err(|e| self.var_error(name, e.to_string()))?;
        self.vars[k].rows_written += rows;
        Ok(())
    }

    /// Encode the file and write it atomically; fails if a declared variable lacks rows or a
    /// declaration failed.
    pub fn finish(self) -> Result<(), IoError> {
        if let Some(name) = &self.broken {
            return Err(self.var_error(name, "its declaration failed; the file is not written".into()));
        }
        if let Some(v) = self
            .vars
            .iter()
            .find(|v| v.rows_written < v.shape.first().copied().unwrap_or(1))
        {
            return Err(self.var_error(
                &v.name,
                format!("only {} of {} rows written", v.rows_written, v.shape[0]),
            ));
        }
        let options = match self.format {
            NcFormat::Netcdf4 => NcWriteOptions {
                format: NcWriteFormat::Nc4,
            },
            NcFormat::Classic => NcWriteOptions::offset64(),
        };
        let (builder, format) = (self.builder, self.format);
        write_via_temp(&self.path, |tmp| -> Result<(), String> {
            let file = std::fs::File::create(tmp).map_err(|e| e.to_string())?;
            let mut out = std::io::BufWriter::new(file);
            builder
                .write(&mut out, options)
                .map_err(|e| format!("cannot encode {format}: {e}"))?;
            std::io::Write::flush(&mut out).map_err(|e| e.to_string())?;
            out.get_ref().sync_all().map_err(|e| e.to_string())
        })
    }
}

/// Declare one row-block variable: type, attributes, fill value, chunking and deflate.
#[allow(clippy::too_many_arguments)]
fn declare_var(
    b: &mut NcFileBuilder,
    format: NcFormat,
    name: &str,
    ids: &[DimensionId],
    ty: OutType,
    attrs: &[(String, AttrValue)],
    chunk: Option<&[usize]>,
    shape: &[usize],
) -> Result<VariableId, String> {
    let id = match ty {
        OutType::F32 => b.add_variable::<f32>(name, ids),
        OutType::F64 => b.add_variable::<f64>(name, ids),
        OutType::I16 => b.add_variable::<i16>(name, ids),
        OutType::I32 => b.add_variable::<i32>(name, ids),
        OutType::U8 => b.add_variable::<u8>(name, ids),
    }
    .map_err(|e| e.to_string())?;
    for (attr, value) in attrs {
        if attr == "_FillValue" {
            set_fill(b, id, &ty.empty(), value)?;
        } else {
            b.add_variable_attribute(id, attr.as_str(), value.to_nc())
                .map_err(|e| format!("attribute {attr}: {e}"))?;
        }
    }
    if format == NcFormat::Netcdf4 && shape.iter().product::<usize>() > 0 {
        if let Some(c) = chunk {
            b.set_variable_chunking(id, c.iter().map(|&c| c as u64).collect::<Vec<_>>())
                .map_err(|e| e.to_string())?;
        }
        b.set_variable_deflate(id, Some(DEFLATE_LEVEL), true)
            .map_err(|e| e.to_string())?;
    }
    Ok(id)
}

#[cfg(test)]
#[path = "write_tests.rs"]
mod tests;
