//! The metadata of a Zarr store, read from its JSON documents: the root group's attributes and,
//! for each array of the root group, its shape, dimension names, data type, chunks, codecs and
//! attributes, with xarray's conventions turned into the netCDF ones the CF decoding reads.
//!
//! Zarr v2 (<https://zarr-specs.readthedocs.io/en/latest/v2/v2.0.html>): `.zgroup`, `.zattrs`,
//! `.zarray` per array; the dimension names in the attribute `_ARRAY_DIMENSIONS` and the fill
//! value in `.zarray`'s `fill_value`, which xarray reads as `_FillValue`. Zarr v3
//! (<https://zarr-specs.readthedocs.io/en/latest/v3/core/index.html>): one `zarr.json` per node,
//! `dimension_names` in the array's metadata; xarray keeps its `_FillValue` as an attribute
//! (floats as the base64 of the little-endian f64, xarray's `FillValueCoder`) since the array's
//! own `fill_value` only says what unwritten chunks hold. Each array's own metadata is read, not
//! the consolidated copy (`.zmetadata`, or `consolidated_metadata` in the root `zarr.json`): on
//! a local store it is the authority and costs one small file per array.

use base64::Engine;
use netcdf_reader::{NcAttrValue, NcAttribute, NcDimension, NcType, NcVariable};
use serde_json::{Map, Value};
use std::path::Path;

/// The element types landclust reads as numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Element {
    Bool,
    I8,
    U8,
    I16,
    U16,
    I32,
    U32,
    I64,
    U64,
    F32,
    F64,
}

impl Element {
    /// From a Zarr v3 data type name.
    fn from_v3(name: &str) -> Option<Self> {
        Some(match name {
            "bool" => Element::Bool,
            "int8" => Element::I8,
            "uint8" => Element::U8,
            "int16" => Element::I16,
            "uint16" => Element::U16,
            "int32" => Element::I32,
            "uint32" => Element::U32,
            "int64" => Element::I64,
            "uint64" => Element::U64,
            "float32" => Element::F32,
            "float64" => Element::F64,
            _ => return None,
        })
    }

    /// From a Zarr v2 (NumPy) type string: byte order, kind, size (`<f4`, `|u1`).
    fn from_v2(dtype: &str) -> Option<Self> {
        let body = dtype.trim_start_matches(['<', '>', '|', '=']);
        Some(match body {
            "b1" => Element::Bool,
            "i1" => Element::I8,
            "u1" => Element::U8,
            "i2" => Element::I16,
            "u2" => Element::U16,
            "i4" => Element::I32,
            "u4" => Element::U32,
            "i8" => Element::I64,
            "u8" => Element::U64,
            "f4" => Element::F32,
            "f8" => Element::F64,
            _ => return None,
        })
    }

    /// The netCDF type of the same values (a boolean as an unsigned byte: 0 or 1), which picks
    /// the CF decoding's rules for the type.
    pub(crate) fn nc_type(self) -> NcType {
        match self {
            Element::Bool | Element::U8 => NcType::UByte,
            Element::I8 => NcType::Byte,
            Element::I16 => NcType::Short,
            Element::U16 => NcType::UShort,
            Element::I32 => NcType::Int,
            Element::U32 => NcType::UInt,
            Element::I64 => NcType::Int64,
            Element::U64 => NcType::UInt64,
            Element::F32 => NcType::Float,
            Element::F64 => NcType::Double,
        }
    }

    fn is_float(self) -> bool {
        matches!(self, Element::F32 | Element::F64)
    }
}

/// One array of the root group.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ArrayMeta {
    /// The array as a netCDF variable (name, dimensions, type, CF attributes), for the CF
    /// decoding and the grid search shared with the netCDF reader. A non-numeric array has the
    /// type `String`.
    pub var: NcVariable,
    /// The element type when numeric.
    pub element: Option<Element>,
    /// The data type as the store spells it (`float32`, `<f4`, ...).
    pub data_type: String,
    /// Chunk shape (empty when the chunk grid is not regular).
    pub chunks: Vec<u64>,
    /// The codecs, in order, as `name` or `name(detail)`.
    pub codecs: Vec<String>,
    /// A `_FillValue` is declared (xarray's reading); otherwise none masks values.
    pub fill_declared: bool,
}

/// A store's metadata.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StoreMeta {
    /// 2 or 3.
    pub zarr_format: u8,
    /// The store has consolidated metadata.
    pub consolidated: bool,
    /// The root group's attributes.
    pub attributes: Vec<NcAttribute>,
    /// The arrays of the root group, by name.
    pub arrays: Vec<ArrayMeta>,
}

/// The documents that mark a directory as a Zarr store (its root group).
pub(crate) const MARKERS: [&str; 3] = [".zgroup", ".zmetadata", "zarr.json"];

/// The JSON document `rel` of the store at `root`, if it exists; messages name it within the store.
fn read_json(root: &Path, rel: &str) -> Result<Option<Value>, String> {
    let path = root.join(rel);
    if !path.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {rel}: {e}"))?;
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| format!("{rel} is not valid JSON: {e}"))
}

fn object(value: Option<&Value>) -> Map<String, Value> {
    value.and_then(Value::as_object).cloned().unwrap_or_default()
}

/// Read the metadata of the store at `root`; errors are messages about the store.
pub(crate) fn read_store(root: &Path) -> Result<StoreMeta, String> {
    if let Some(doc) = read_json(root, "zarr.json")? {
        return read_v3(root, &doc);
    }
    let attributes = attributes_of(&object(read_json(root, ".zattrs")?.as_ref()));
    let consolidated = root.join(".zmetadata").is_file();
    let mut arrays = Vec::new();
    for name in children(root)? {
        let Some(zarray) = read_json(root, &format!("{name}/.zarray"))? else {
            continue;
        };
        let zattrs = object(read_json(root, &format!("{name}/.zattrs"))?.as_ref());
        arrays.push(array_v2(&name, &zarray, zattrs).map_err(|m| format!("array {name}: {m}"))?);
    }
    Ok(StoreMeta {
        zarr_format: 2,
        consolidated,
        attributes,
        arrays,
    })
}

fn read_v3(root: &Path, doc: &Value) -> Result<StoreMeta, String> {
    match doc.get("node_type").and_then(Value::as_str) {
        Some("group") => {}
        Some("array") => {
            return Err(
                "is a single Zarr array, not a group: give the store (the folder) that holds the dataset".to_string(),
            );
        }
        other => return Err(format!("zarr.json has node_type {other:?}, expected \"group\"")),
    }
    let mut arrays = Vec::new();
    for name in children(root)? {
        let Some(meta) = read_json(root, &format!("{name}/zarr.json"))? else {
            continue;
        };
        if meta.get("node_type").and_then(Value::as_str) != Some("array") {
            continue;
        }
        arrays.push(array_v3(&name, &meta).map_err(|m| format!("array {name}: {m}"))?);
    }
    Ok(StoreMeta {
        zarr_format: 3,
        consolidated: doc.get("consolidated_metadata").is_some_and(|c| !c.is_null()),
        attributes: attributes_of(&object(doc.get("attributes"))),
        arrays,
    })
}

/// The names of the sub-folders of `root` (candidate nodes), sorted; hidden ones are skipped.
fn children(root: &Path) -> Result<Vec<String>, String> {
    let entries = std::fs::read_dir(root).map_err(|e| format!("cannot list the store: {e}"))?;
    let mut out: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| !name.starts_with('.'))
        .collect();
    out.sort();
    Ok(out)
}

fn shape_of(meta: &Value) -> Result<Vec<u64>, String> {
    meta.get("shape")
        .and_then(Value::as_array)
        .and_then(|s| s.iter().map(Value::as_u64).collect::<Option<Vec<u64>>>())
        .ok_or_else(|| "no valid shape in its metadata".to_string())
}

fn u64_list(value: Option<&Value>) -> Vec<u64> {
    value
        .and_then(Value::as_array)
        .and_then(|s| s.iter().map(Value::as_u64).collect::<Option<Vec<u64>>>())
        .unwrap_or_default()
}

fn array_v2(name: &str, zarray: &Value, mut attrs: Map<String, Value>) -> Result<ArrayMeta, String> {
    let shape = shape_of(zarray)?;
    let data_type = match zarray.get("dtype") {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => return Err("no dtype in .zarray".to_string()),
    };
    let element = Element::from_v2(&data_type);
    let mut codecs: Vec<String> = zarray
        .get("filters")
        .and_then(Value::as_array)
        .map(|f| f.iter().map(codec_v2).collect())
        .unwrap_or_default();
    if let Some(c) = zarray.get("compressor").filter(|c| !c.is_null()) {
        codecs.push(codec_v2(c));
    }
    let dims = dimension_names(name, &shape, None, &mut attrs);
    // xarray reads a v2 array's fill_value as its _FillValue (unless the attributes carry one).
    if !attrs.contains_key("_FillValue")
        && let Some(fill) = zarray.get("fill_value").filter(|f| !f.is_null())
    {
        attrs.insert("_FillValue".to_string(), fill.clone());
    }
    Ok(finish(
        name,
        shape,
        dims,
        element,
        data_type,
        u64_list(zarray.get("chunks")),
        codecs,
        attrs,
    ))
}

fn codec_v2(c: &Value) -> String {
    let id = c.get("id").and_then(Value::as_str).unwrap_or("?");
    match c.get("cname").and_then(Value::as_str) {
        Some(cname) => format!("{id}({cname})"),
        None => id.to_string(),
    }
}

fn array_v3(name: &str, meta: &Value) -> Result<ArrayMeta, String> {
    let shape = shape_of(meta)?;
    let (data_type, element) = match meta.get("data_type") {
        Some(Value::String(s)) => (s.clone(), Element::from_v3(s)),
        Some(other) => (
            other
                .get("name")
                .and_then(Value::as_str)
                .map_or_else(|| other.to_string(), str::to_string),
            None,
        ),
        None => return Err("no data_type in zarr.json".to_string()),
    };
    let chunks = meta
        .get("chunk_grid")
        .filter(|g| g.get("name").and_then(Value::as_str) == Some("regular"))
        .map(|g| u64_list(g.pointer("/configuration/chunk_shape")))
        .unwrap_or_default();
    let codecs = meta
        .get("codecs")
        .and_then(Value::as_array)
        .map(|cs| cs.iter().map(codec_v3).collect())
        .unwrap_or_default();
    let mut attrs = object(meta.get("attributes"));
    let dims = dimension_names(name, &shape, meta.get("dimension_names"), &mut attrs);
    Ok(finish(name, shape, dims, element, data_type, chunks, codecs, attrs))
}

fn codec_v3(c: &Value) -> String {
    let name = match c {
        Value::String(s) => s.as_str(),
        _ => c.get("name").and_then(Value::as_str).unwrap_or("?"),
    };
    match c.pointer("/configuration/cname").and_then(Value::as_str) {
        Some(cname) => format!("{name}({cname})"),
        None => name.to_string(),
    }
}

/// The dimension names: Zarr v3's `dimension_names`, else xarray's `_ARRAY_DIMENSIONS`
/// attribute (removed from the attributes), else names made unique to the array so that
/// unnamed dimensions never match another array's.
fn dimension_names(name: &str, shape: &[u64], v3: Option<&Value>, attrs: &mut Map<String, Value>) -> Vec<String> {
    let listed = |v: Option<&Value>| -> Option<Vec<String>> {
        let names: Vec<String> = v?
            .as_array()?
            .iter()
            .map(|n| n.as_str().map(str::to_string))
            .collect::<Option<_>>()?;
        (names.len() == shape.len()).then_some(names)
    };
    let from_attr = attrs.remove("_ARRAY_DIMENSIONS");
    listed(v3)
        .or_else(|| listed(from_attr.as_ref()))
        .unwrap_or_else(|| (0..shape.len()).map(|k| format!("{name}#dim{k}")).collect())
}

#[allow(clippy::too_many_arguments)] // the pieces of one array's metadata, assembled once
fn finish(
    name: &str,
    shape: Vec<u64>,
    dims: Vec<String>,
    element: Option<Element>,
    data_type: String,
    chunks: Vec<u64>,
    codecs: Vec<String>,
    mut attrs: Map<String, Value>,
) -> ArrayMeta {
    let fill = attrs
        .remove("_FillValue")
        .and_then(|f| element.and_then(|e| fill_number(&f, e)));
    let mut attributes = attributes_of(&attrs);
    let fill_declared = fill.is_some();
    // Without a declared fill, NaN: it masks nothing more (NaN is missing anyway), and keeps the
    // CF decoding from applying netCDF's default fill values, which Zarr does not have.
    attributes.push(NcAttribute {
        name: "_FillValue".to_string(),
        value: NcAttrValue::Doubles(vec![fill.unwrap_or(f64::NAN)]),
    });
    let dimensions = dims
        .into_iter()
        .zip(&shape)
        .map(|(name, &size)| NcDimension {
            name,
            size,
            is_unlimited: false,
        })
        .collect();
    ArrayMeta {
        var: NcVariable {
            name: name.to_string(),
            dimensions,
            dtype: element.map_or(NcType::String, Element::nc_type),
            attributes,
            data_offset: 0,
            _data_size: 0,
            is_record_var: false,
            record_size: 0,
        },
        element,
        data_type,
        chunks,
        codecs,
        fill_declared,
    }
}

/// A fill value as JSON holds it: a number, `NaN`/`Infinity`/`-Infinity`, a boolean, or (xarray
/// on Zarr v3, floats) the base64 of its little-endian bytes; `None` for anything else.
pub(crate) fn fill_number(value: &Value, element: Element) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        Value::String(s) => match s.as_str() {
            "NaN" => Some(f64::NAN),
            "Infinity" => Some(f64::INFINITY),
            "-Infinity" => Some(f64::NEG_INFINITY),
            _ if element.is_float() => {
                let bytes = base64::engine::general_purpose::STANDARD.decode(s).ok()?;
                match bytes.len() {
                    8 => Some(f64::from_le_bytes(bytes.try_into().ok()?)),
                    4 => Some(f64::from(f32::from_le_bytes(bytes.try_into().ok()?))),
                    _ => None,
                }
            }
            _ => None,
        },
        _ => None,
    }
}

/// JSON attributes as netCDF attributes: text as `Chars`, integers as `Int64s` (`UInt64s` past
/// `i64`), other numbers as `Doubles` (so a float `valid_range` on packed integers stays a float
/// attribute, in unpacked units), lists likewise, a list of text as `Strings`; anything else
/// (objects, mixed lists) as its JSON text.
pub(crate) fn attributes_of(attrs: &Map<String, Value>) -> Vec<NcAttribute> {
    attrs
        .iter()
        .map(|(name, v)| NcAttribute {
            name: name.clone(),
            value: attr_value(v),
        })
        .collect()
}

fn attr_value(v: &Value) -> NcAttrValue {
    let items: Vec<&Value> = match v {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    if let Some(texts) = items.iter().map(|i| i.as_str()).collect::<Option<Vec<&str>>>() {
        return match (v, texts.as_slice()) {
            (Value::String(s), _) => NcAttrValue::Chars(s.clone()),
            (_, [one]) => NcAttrValue::Chars(one.to_string()),
            _ => NcAttrValue::Strings(texts.iter().map(|s| s.to_string()).collect()),
        };
    }
    let numbers: Option<Vec<&serde_json::Number>> = items
        .iter()
        .map(|i| match i {
            Value::Number(n) => Some(n),
            _ => None,
        })
        .collect();
    match numbers {
        Some(ns) if !ns.is_empty() => {
            if let Some(ints) = ns.iter().map(|n| n.as_i64()).collect::<Option<Vec<i64>>>() {
                NcAttrValue::Int64s(ints)
            } else if let Some(uints) = ns.iter().map(|n| n.as_u64()).collect::<Option<Vec<u64>>>() {
                NcAttrValue::UInt64s(uints)
            } else {
                NcAttrValue::Doubles(ns.iter().filter_map(|n| n.as_f64()).collect())
            }
        }
        _ => match v {
            Value::Bool(b) => NcAttrValue::UBytes(vec![u8::from(*b)]),
            other => NcAttrValue::Chars(other.to_string()),
        },
    }
}

#[cfg(test)]
#[path = "meta_tests.rs"]
mod tests;
