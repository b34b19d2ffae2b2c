use super::*;
use serde_json::json;

fn write(dir: &Path, rel: &str, value: &Value) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, serde_json::to_string(value).unwrap()).unwrap();
}

fn attr<'a>(a: &'a ArrayMeta, name: &str) -> Option<&'a NcAttrValue> {
    a.var.attribute(name).map(|x| &x.value)
}

#[test]
fn element_types_from_both_spellings() {
    assert_eq!(Element::from_v2("<f4"), Some(Element::F32));
    assert_eq!(Element::from_v2(">i2"), Some(Element::I16));
    assert_eq!(Element::from_v2("|u1"), Some(Element::U8));
    assert_eq!(Element::from_v2("|b1"), Some(Element::Bool));
    assert_eq!(Element::from_v2("<M8[ns]"), None);
    assert_eq!(Element::from_v2("<f2"), None);
    assert_eq!(Element::from_v3("float64"), Some(Element::F64));
    assert_eq!(Element::from_v3("uint16"), Some(Element::U16));
    assert_eq!(Element::from_v3("float16"), None);
    assert_eq!(Element::from_v3("string"), None);
    assert_eq!(Element::I16.nc_type(), NcType::Short);
    assert_eq!(Element::Bool.nc_type(), NcType::UByte);
}

#[test]
fn fill_values_as_xarray_writes_them() {
    // xarray on Zarr v3: a float _FillValue is the base64 of the little-endian f64.
    assert_eq!(fill_number(&json!("AAAAAICHw8A="), Element::F32), Some(-9999.0));
    assert_eq!(
        fill_number(
            &json!(base64::engine::general_purpose::STANDARD.encode(1.5f32.to_le_bytes())),
            Element::F32
        ),
        Some(1.5)
    );
    assert!(fill_number(&json!("AAAAAAAA+H8="), Element::F64).unwrap().is_nan());
    assert!(fill_number(&json!("NaN"), Element::F32).unwrap().is_nan());
    assert_eq!(fill_number(&json!("-Infinity"), Element::F64), Some(f64::NEG_INFINITY));
    assert_eq!(fill_number(&json!(-32768), Element::I16), Some(-32768.0));
    assert_eq!(fill_number(&json!(true), Element::Bool), Some(1.0));
    // Text on an integer array is no number; neither is base64 of the wrong length.
    assert_eq!(fill_number(&json!("AAAA"), Element::I16), None);
    assert_eq!(fill_number(&json!("AAA="), Element::F64), None);
}

#[test]
fn json_attributes_keep_their_netcdf_kinds() {
    let attrs = json!({
        "units": "1",
        "scale_factor": 0.0001,
        "valid_range": [0, 100],
        "valid_max": 5.0,
        "flag_meanings": ["a", "b"],
        "big": [18446744073709551615u64],
        "flag": true,
        "nested": {"a": 1}
    });
    let out = attributes_of(attrs.as_object().unwrap());
    let get = |n: &str| out.iter().find(|a| a.name == n).unwrap().value.clone();
    assert_eq!(get("units"), NcAttrValue::Chars("1".into()));
    assert_eq!(get("scale_factor"), NcAttrValue::Doubles(vec![0.0001]));
    assert_eq!(get("valid_range"), NcAttrValue::Int64s(vec![0, 100]));
    // 5.0 is a float in JSON: a float valid range on packed integers is in unpacked units.
    assert_eq!(get("valid_max"), NcAttrValue::Doubles(vec![5.0]));
    assert_eq!(get("flag_meanings"), NcAttrValue::Strings(vec!["a".into(), "b".into()]));
    assert_eq!(get("big"), NcAttrValue::UInt64s(vec![u64::MAX]));
    assert_eq!(get("flag"), NcAttrValue::UBytes(vec![1]));
    assert_eq!(get("nested"), NcAttrValue::Chars("{\"a\":1}".into()));
}

#[test]
fn v2_store_dimensions_fill_and_codecs() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, ".zgroup", &json!({"zarr_format": 2}));
    write(root, ".zattrs", &json!({"title": "t"}));
    write(
        root,
        "v/.zarray",
        &json!({"shape": [2, 3], "chunks": [1, 3], "dtype": "<i2", "fill_value": -1, "order": "C",
                "filters": [{"id": "delta", "dtype": "<i2"}],
                "compressor": {"id": "blosc", "cname": "lz4", "clevel": 5, "shuffle": 1}, "zarr_format": 2}),
    );
    write(
        root,
        "v/.zattrs",
        &json!({"_ARRAY_DIMENSIONS": ["y", "x"], "scale_factor": 0.5}),
    );
    // No dimension names, no fill value.
    write(
        root,
        "w/.zarray",
        &json!({"shape": [4], "chunks": [4], "dtype": "<f8", "fill_value": null, "compressor": null, "zarr_format": 2}),
    );
    // A sub-group is not read; nor are hidden folders.
    write(root, "sub/.zgroup", &json!({"zarr_format": 2}));
    write(root, ".hidden/.zarray", &json!({"shape": [1]}));
    let m = read_store(root).unwrap();
    assert_eq!((m.zarr_format, m.consolidated), (2, false));
    assert_eq!(
        m.attributes,
        vec![NcAttribute {
            name: "title".into(),
            value: NcAttrValue::Chars("t".into())
        }]
    );
    let names: Vec<&str> = m.arrays.iter().map(|a| a.var.name.as_str()).collect();
    assert_eq!(names, ["v", "w"]);
    let v = &m.arrays[0];
    let dims: Vec<(&str, u64)> = v.var.dimensions.iter().map(|d| (d.name.as_str(), d.size)).collect();
    assert_eq!(dims, [("y", 2), ("x", 3)]);
    assert_eq!(v.var.dtype, NcType::Short);
    assert_eq!(v.codecs, ["delta", "blosc(lz4)"]);
    assert_eq!(v.chunks, [1, 3]);
    assert!(v.fill_declared);
    assert_eq!(attr(v, "_FillValue"), Some(&NcAttrValue::Doubles(vec![-1.0])));
    assert!(attr(v, "_ARRAY_DIMENSIONS").is_none());
    let w = &m.arrays[1];
    assert_eq!(w.var.dimensions[0].name, "w#dim0");
    assert!(!w.fill_declared);
    assert!(matches!(attr(w, "_FillValue"), Some(NcAttrValue::Doubles(f)) if f[0].is_nan()));
    assert!(w.codecs.is_empty());
}

#[test]
fn v3_store_fill_from_the_attribute_not_the_array() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "zarr.json",
        &json!({"zarr_format": 3, "node_type": "group", "attributes": {"n": 3},
                "consolidated_metadata": {"kind": "inline", "metadata": {}}}),
    );
    write(
        root,
        "a/zarr.json",
        &json!({"zarr_format": 3, "node_type": "array", "shape": [5, 6], "data_type": "float32",
                "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [2, 6]}},
                "fill_value": "NaN",
                "codecs": [{"name": "bytes", "configuration": {"endian": "little"}},
                           {"name": "blosc", "configuration": {"cname": "zstd"}}],
                "attributes": {"_FillValue": "AAAAAICHw8A=", "units": "1"},
                "dimension_names": ["lat", "lon"]}),
    );
    // A v3 array without a _FillValue attribute: its fill_value is no missing value.
    write(
        root,
        "b/zarr.json",
        &json!({"zarr_format": 3, "node_type": "array", "shape": [5], "data_type": "int32",
                "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [5]}},
                "fill_value": 0, "codecs": ["bytes"], "attributes": {},
                "dimension_names": [null]}),
    );
    write(root, "g/zarr.json", &json!({"zarr_format": 3, "node_type": "group"}));
    let m = read_store(root).unwrap();
    assert_eq!((m.zarr_format, m.consolidated), (3, true));
    assert_eq!(m.arrays.len(), 2);
    let a = &m.arrays[0];
    assert_eq!(a.data_type, "float32");
    assert_eq!(a.codecs, ["bytes", "blosc(zstd)"]);
    assert_eq!(attr(a, "_FillValue"), Some(&NcAttrValue::Doubles(vec![-9999.0])));
    assert_eq!(a.var.dimensions[1].name, "lon");
    let b = &m.arrays[1];
    assert!(!b.fill_declared);
    assert_eq!(b.var.dimensions[0].name, "b#dim0");
    assert_eq!(b.codecs, ["bytes"]);
}

#[test]
fn a_single_array_or_bad_json_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "zarr.json",
        &json!({"zarr_format": 3, "node_type": "array", "shape": [1]}),
    );
    let e = read_store(dir.path()).unwrap_err();
    assert!(e.contains("single Zarr array"), "{e}");
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".zgroup", &json!({"zarr_format": 2}));
    std::fs::create_dir_all(dir.path().join("v")).unwrap();
    std::fs::write(dir.path().join("v/.zarray"), "{not json").unwrap();
    let e = read_store(dir.path()).unwrap_err();
    assert!(e.starts_with("v/.zarray is not valid JSON"), "{e}");
}
