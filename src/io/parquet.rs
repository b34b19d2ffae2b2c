//! Parquet in and out, for the Spark interchange (`landclust export`, `import`).
//!
//! Written with the `parquet` crate's low-level column writer (no arrow crates): one file holds
//! one row group of flat columns, `INT32` or `DOUBLE`, all `REQUIRED` (no nulls: the export
//! writes only complete cells), compressed with Snappy (pure Rust), the codec Spark writes and
//! reads by default. Read back through the record API, which accepts what Spark writes
//! (`INT32` or `INT64` integers, nullable or not, any codec compiled in).

use super::IoError;
use ::parquet::basic::{Compression, Repetition, Type as PhysicalType};
use ::parquet::data_type::{DoubleType, Int32Type};
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
    Double(&'a [f64]),
}

impl ColumnData<'_> {
    fn len(&self) -> usize {
        match self {
            ColumnData::Int32(v) => v.len(),
            ColumnData::Double(v) => v.len(),
        }
    }

    fn physical(&self) -> PhysicalType {
        match self {
            ColumnData::Int32(_) => PhysicalType::INT32,
            ColumnData::Double(_) => PhysicalType::DOUBLE,
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
    for (_, data) in columns {
        let Some(mut col) = group.next_column().map_err(|e| format_err(path, e))? else {
            return Err(IoError::format(path, "parquet: fewer columns than the schema"));
        };
        match data {
            ColumnData::Int32(v) => col.typed::<Int32Type>().write_batch(v, None, None),
            ColumnData::Double(v) => col.typed::<DoubleType>().write_batch(v, None, None),
        }
        .map_err(|e| format_err(path, e))?;
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

/// Numeric columns of one Parquet file, by name: each requested column as `f64` (integers
/// converted exactly up to 2^53), in file order. A missing column, a null or a non-numeric value
/// is an error naming the file and the column.
pub fn read_numeric_columns(path: &Path, names: &[&str]) -> Result<Vec<Vec<f64>>, IoError> {
    let file = File::open(path).map_err(|e| IoError::os(path, e))?;
    let reader = SerializedFileReader::new(file).map_err(|e| format_err(path, e))?;
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
    let n = usize::try_from(reader.metadata().file_metadata().num_rows()).unwrap_or(0);
    let mut out: Vec<Vec<f64>> = names.iter().map(|_| Vec::with_capacity(n)).collect();
    for row in reader.get_row_iter(None).map_err(|e| format_err(path, e))? {
        let row = row.map_err(|e| format_err(path, e))?;
        let fields: Vec<&Field> = row.get_column_iter().map(|(_, f)| f).collect();
        for (k, &p) in positions.iter().enumerate() {
            let v = match fields.get(p) {
                Some(Field::Int(v)) => f64::from(*v),
                Some(Field::Long(v)) => *v as f64,
                Some(Field::Short(v)) => f64::from(*v),
                Some(Field::Byte(v)) => f64::from(*v),
                Some(Field::UInt(v)) => f64::from(*v),
                Some(Field::Double(v)) => *v,
                Some(Field::Float(v)) => f64::from(*v),
                Some(other) => {
                    return Err(IoError::format(
                        path,
                        format!("column {}: expected a number, found {other}", names[k]),
                    ));
                }
                None => return Err(IoError::format(path, format!("no column {}", names[k]))),
            };
            out[k].push(v);
        }
    }
    Ok(out)
}

/// The top-level column names of one Parquet file, in schema order.
pub fn column_names(path: &Path) -> Result<Vec<String>, IoError> {
    let file = File::open(path).map_err(|e| IoError::os(path, e))?;
    let reader = SerializedFileReader::new(file).map_err(|e| format_err(path, e))?;
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
