//! Parquet in and out, for the Spark interchange (`landclust export`, `import`).
//!
//! Written with the `parquet` crate's low-level column writer (no arrow crates): one file holds
//! one row group of flat columns, `INT32`, `INT64` or `DOUBLE`, all `REQUIRED` (no nulls: the export
//! writes only complete cells), compressed with Snappy (pure Rust), the codec Spark writes and
//! reads by default. Read back through the record API, which accepts what Spark writes
//! (`INT32` or `INT64` integers, nullable or not, any codec compiled in).

use super::IoError;
use ::parquet::basic::{Compression, Repetition, Type as PhysicalType};
use ::parquet::data_type::{DoubleType, Int32Type, Int64Type};
use ::parquet::file::properties::WriterProperties;
use ::parquet::file::reader::FileReader;
use ::parquet::file::serialized_reader::SerializedFileReader;
use ::parquet::file::writer::SerializedFileWriter;
use ::parquet::record::Field;
use ::parquet::schema::types::Type;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One column of a file being written.
#[derive(Debug, Clone, Copy)]
pub enum ColumnData<'a> {
    Int32(&'a [i32]),
    Int64(&'a [i64]),
    Double(&'a [f64]),
}

impl ColumnData<'_> {
    fn len(&self) -> usize {
        match self {
            ColumnData::Int32(v) => v.len(),
            ColumnData::Int64(v) => v.len(),
            ColumnData::Double(v) => v.len(),
        }
    }
}

fn format_err(path: &Path, e: impl std::fmt::Display) -> IoError {
    IoError::format(path, format!("parquet: {e}"))
}

/// Write `columns` (name, values; all the same length) as one Snappy-compressed row group of
/// `REQUIRED` columns at `path` (created or replaced).
pub fn write_columns(path: &Path, columns: &[(&str, ColumnData)]) -> Result<(), IoError> {
    let n = columns.first().map_or(0, |(_, c)| c.len());
    if let Some((name, _)) = columns.iter().find(|(_, c)| c.len() != n) {
        return Err(IoError::format(
            path,
            format!("column {name}: length differs from the others"),
        ));
    }
    let fills: Vec<(&str, ColumnFill)> = columns
        .iter()
        .map(|(name, c)| {
            let fill = match *c {
                ColumnData::Int32(v) => ColumnFill::Int32(Box::new(move |r, out| {
                    out.extend_from_slice(&v[r]);
                    Ok(())
                })),
                ColumnData::Int64(v) => ColumnFill::Int64(Box::new(move |r, out| out.extend_from_slice(&v[r]))),
                ColumnData::Double(v) => ColumnFill::Double(Box::new(move |r, out| out.extend_from_slice(&v[r]))),
            };
            (*name, fill)
        })
        .collect();
    write_column_batches(path, n, &fills)
}

/// Values of one column produced a batch of rows at a time (see [`write_column_batches`]):
/// `fill(rows, out)` appends the values of `rows` to `out`. An `Int32` fill may refuse a value
/// (one that does not fit 32 bits) with the message of the error.
pub enum ColumnFill<'a> {
    Int32(BatchFill<'a, i32, Result<(), String>>),
    Int64(BatchFill<'a, i64, ()>),
    Double(BatchFill<'a, f64, ()>),
}

/// A function filling one batch of a column.
pub type BatchFill<'a, T, R> = Box<dyn Fn(std::ops::Range<usize>, &mut Vec<T>) -> R + Sync + 'a>;

impl ColumnFill<'_> {
    fn physical(&self) -> PhysicalType {
        match self {
            ColumnFill::Int32(_) => PhysicalType::INT32,
            ColumnFill::Int64(_) => PhysicalType::INT64,
            ColumnFill::Double(_) => PhysicalType::DOUBLE,
        }
    }
}

/// Rows per batch of [`write_column_batches`]: the batch buffer is small (0.5 MB of f64) while
/// the column writer still cuts its pages by its own size limit.
const WRITE_BATCH_ROWS: usize = 1 << 16;

/// Write `n` rows of `columns` (name, values produced batch by batch) as one Snappy-compressed
/// row group of `REQUIRED` columns at `path` (created or replaced): the same file as
/// [`write_columns`] with those values, without a whole copy of any column in memory.
pub fn write_column_batches(path: &Path, n: usize, columns: &[(&str, ColumnFill)]) -> Result<(), IoError> {
    let fields = columns
        .iter()
        .map(|(name, c)| {
            Type::primitive_type_builder(name, c.physical())
                .with_repetition(Repetition::REQUIRED)
                .build()
                .map(Arc::new)
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format_err(path, e))?;
    let schema = Type::group_type_builder("landclust")
        .with_fields(fields)
        .build()
        .map_err(|e| format_err(path, e))?;
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_created_by(format!("landclust {}", env!("CARGO_PKG_VERSION")))
        .build();
    let file = File::create(path).map_err(|e| IoError::os(path, e))?;
    let mut writer =
        SerializedFileWriter::new(file, Arc::new(schema), Arc::new(props)).map_err(|e| format_err(path, e))?;
    let mut group = writer.next_row_group().map_err(|e| format_err(path, e))?;
    let (mut ints, mut longs, mut doubles) = (Vec::new(), Vec::new(), Vec::new());
    for (name, fill) in columns {
        let Some(mut col) = group.next_column().map_err(|e| format_err(path, e))? else {
            return Err(IoError::format(path, "parquet: fewer columns than the schema"));
        };
        let mut start = 0;
        while start < n {
            let rows = start..(start + WRITE_BATCH_ROWS).min(n);
            let written = match fill {
                ColumnFill::Int32(f) => {
                    ints.clear();
                    f(rows.clone(), &mut ints).map_err(|m| IoError::format(path, format!("column {name}: {m}")))?;
                    col.typed::<Int32Type>().write_batch(&ints, None, None)
                }
                ColumnFill::Int64(f) => {
                    longs.clear();
                    f(rows.clone(), &mut longs);
                    col.typed::<Int64Type>().write_batch(&longs, None, None)
                }
                ColumnFill::Double(f) => {
                    doubles.clear();
                    f(rows.clone(), &mut doubles);
                    col.typed::<DoubleType>().write_batch(&doubles, None, None)
                }
            }
            .map_err(|e| format_err(path, e))?;
            if written != rows.len() {
                return Err(IoError::format(
                    path,
                    format!("column {name}: length differs from the others"),
                ));
            }
            start = rows.end;
        }
        col.close().map_err(|e| format_err(path, e))?;
    }
    group.close().map_err(|e| format_err(path, e))?;
    writer.close().map_err(|e| format_err(path, e))?;
    Ok(())
}

/// The data files of a Parquet dataset folder (Spark's or landclust's), sorted by path: every
/// `*.parquet` file below `dir`, skipping names that start with `_` or `.` (Spark's `_SUCCESS`,
/// checksums, landclust's sidecar) as Spark does.
pub fn dataset_files(dir: &Path) -> Result<Vec<PathBuf>, IoError> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).map_err(|e| IoError::os(&d, e))? {
            let entry = entry.map_err(|e| IoError::os(&d, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('_') || name.starts_with('.') {
                continue;
            }
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if name.ends_with(".parquet") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// One numeric column as its Parquet type holds it: integers stay integers (a cluster id of
/// 2^60 + 3 is not 2^60 + 4, as it would be through `f64`).
#[derive(Debug, Clone, PartialEq)]
pub enum NumericColumn {
    /// `INT8` .. `INT64` (signed integer logical types and plain `INT32`/`INT64`).
    Signed(Vec<i64>),
    /// `UINT_8` .. `UINT_64`.
    Unsigned(Vec<u64>),
    /// `FLOAT`, `DOUBLE`.
    Float(Vec<f64>),
}

impl NumericColumn {
    fn empty_like(field: &Field, capacity: usize) -> Option<Self> {
        Some(match field {
            Field::Byte(_) | Field::Short(_) | Field::Int(_) | Field::Long(_) => {
                NumericColumn::Signed(Vec::with_capacity(capacity))
            }
            Field::UByte(_) | Field::UShort(_) | Field::UInt(_) | Field::ULong(_) => {
                NumericColumn::Unsigned(Vec::with_capacity(capacity))
            }
            Field::Float(_) | Field::Double(_) => NumericColumn::Float(Vec::with_capacity(capacity)),
            _ => return None,
        })
    }

    /// Append `field`; `false` when it is not of this column's kind.
    fn push(&mut self, field: &Field) -> bool {
        match (self, field) {
            (NumericColumn::Signed(v), Field::Byte(x)) => v.push(i64::from(*x)),
            (NumericColumn::Signed(v), Field::Short(x)) => v.push(i64::from(*x)),
            (NumericColumn::Signed(v), Field::Int(x)) => v.push(i64::from(*x)),
            (NumericColumn::Signed(v), Field::Long(x)) => v.push(*x),
            (NumericColumn::Unsigned(v), Field::UByte(x)) => v.push(u64::from(*x)),
            (NumericColumn::Unsigned(v), Field::UShort(x)) => v.push(u64::from(*x)),
            (NumericColumn::Unsigned(v), Field::UInt(x)) => v.push(u64::from(*x)),
            (NumericColumn::Unsigned(v), Field::ULong(x)) => v.push(*x),
            (NumericColumn::Float(v), Field::Float(x)) => v.push(f64::from(*x)),
            (NumericColumn::Float(v), Field::Double(x)) => v.push(*x),
            _ => return false,
        }
        true
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        match self {
            NumericColumn::Signed(v) => v.len(),
            NumericColumn::Unsigned(v) => v.len(),
            NumericColumn::Float(v) => v.len(),
        }
    }

    /// True when the column holds no value.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Value `i` as `f64` (integers beyond 2^53 rounded).
    pub fn f64_at(&self, i: usize) -> f64 {
        match self {
            NumericColumn::Signed(v) => v[i] as f64,
            NumericColumn::Unsigned(v) => v[i] as f64,
            NumericColumn::Float(v) => v[i],
        }
    }

    /// The values as `f64` (integers beyond 2^53 rounded).
    pub fn into_f64(self) -> Vec<f64> {
        match self {
            NumericColumn::Signed(v) => v.into_iter().map(|x| x as f64).collect(),
            NumericColumn::Unsigned(v) => v.into_iter().map(|x| x as f64).collect(),
            NumericColumn::Float(v) => v,
        }
    }
}

/// Open a Parquet file for reading, with every column chunk's byte range checked against the
/// file: the `parquet` crate asserts (panics) on a negative offset or size when it reads such a
/// chunk, and a range past the end of the file would only fail later, deep in decoding.
fn open_reader(path: &Path) -> Result<SerializedFileReader<File>, IoError> {
    let file = File::open(path).map_err(|e| IoError::os(path, e))?;
    let len = file.metadata().map_err(|e| IoError::os(path, e))?.len();
    let reader = SerializedFileReader::new(file).map_err(|e| format_err(path, e))?;
    for (g, group) in reader.metadata().row_groups().iter().enumerate() {
        for chunk in group.columns() {
            let start = chunk.dictionary_page_offset().unwrap_or(chunk.data_page_offset());
            let size = chunk.compressed_size();
            let inside = u64::try_from(start)
                .ok()
                .zip(u64::try_from(size).ok())
                .and_then(|(a, b)| a.checked_add(b))
                .is_some_and(|end| end <= len);
            if !inside {
                return Err(IoError::format(
                    path,
                    format!(
                        "parquet: row group {g}, column {}: byte range {start}+{size} is outside the {len}-byte file",
                        chunk.column_path()
                    ),
                ));
            }
        }
    }
    Ok(reader)
}

/// Rows reserved up front: the footer's row count is only a claim, so a lying footer costs
/// at most this much before the real rows are decoded.
const MAX_RESERVED_ROWS: usize = 1 << 20;

/// Numeric columns of one Parquet file, by name, each in its own type ([`NumericColumn`]), in
/// file order. A missing column, a null or a non-numeric value is an error naming the file and
/// the column; so is a file that decodes to more rows than its footer declares.
pub fn read_typed_columns(path: &Path, names: &[&str]) -> Result<Vec<NumericColumn>, IoError> {
    let reader = open_reader(path)?;
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let positions: Vec<usize> = names
        .iter()
        .map(|name| {
            schema
                .root_schema()
                .get_fields()
                .iter()
                .position(|f| f.name() == *name)
                .ok_or_else(|| IoError::format(path, format!("no column {name}")))
        })
        .collect::<Result<_, _>>()?;
    let declared = u64::try_from(reader.metadata().file_metadata().num_rows()).unwrap_or(0);
    let reserve = usize::try_from(declared).unwrap_or(usize::MAX).min(MAX_RESERVED_ROWS);
    let mut out: Vec<Option<NumericColumn>> = names.iter().map(|_| None).collect();
    let mut rows = 0u64;
    for row in reader.get_row_iter(None).map_err(|e| format_err(path, e))? {
        let row = row.map_err(|e| format_err(path, e))?;
        rows += 1;
        if rows > declared {
            return Err(IoError::format(
                path,
                format!("parquet: more rows than the {declared} its footer declares"),
            ));
        }
        let fields: Vec<&Field> = row.get_column_iter().map(|(_, f)| f).collect();
        for (k, &p) in positions.iter().enumerate() {
            let Some(field) = fields.get(p) else {
                return Err(IoError::format(path, format!("no column {}", names[k])));
            };
            let column = match &mut out[k] {
                Some(c) => c,
                slot => slot.insert(NumericColumn::empty_like(field, reserve).ok_or_else(|| {
                    IoError::format(path, format!("column {}: expected a number, found {field}", names[k]))
                })?),
            };
            if !column.push(field) {
                return Err(IoError::format(
                    path,
                    format!("column {}: expected a number, found {field}", names[k]),
                ));
            }
        }
    }
    Ok(out
        .into_iter()
        .map(|c| c.unwrap_or(NumericColumn::Float(Vec::new())))
        .collect())
}

/// Numeric columns of one Parquet file, by name: each requested column as `f64` (integers
/// converted exactly up to 2^53), in file order. A missing column, a null or a non-numeric value
/// is an error naming the file and the column.
pub fn read_numeric_columns(path: &Path, names: &[&str]) -> Result<Vec<Vec<f64>>, IoError> {
    Ok(read_typed_columns(path, names)?
        .into_iter()
        .map(NumericColumn::into_f64)
        .collect())
}

/// The row count a file's footer declares (read without decoding any data).
pub fn declared_rows(path: &Path) -> Result<u64, IoError> {
    let reader = open_reader(path)?;
    u64::try_from(reader.metadata().file_metadata().num_rows())
        .map_err(|_| IoError::format(path, "parquet: a negative row count in the footer"))
}

/// The top-level column names of one Parquet file, in schema order.
pub fn column_names(path: &Path) -> Result<Vec<String>, IoError> {
    let reader = open_reader(path)?;
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    Ok(schema
        .root_schema()
        .get_fields()
        .iter()
        .map(|f| f.name().to_string())
        .collect())
}

#[cfg(test)]
#[path = "parquet_tests.rs"]
mod tests;
