use super::*;
use netcdf_reader::NcFile;

fn values(f: &NcFile, name: &str) -> Vec<f64> {
    f.read_variable_as_f64(name).unwrap().iter().copied().collect()
}

fn attr(f: &NcFile, var: &str, name: &str) -> NcAttrValue {
    f.variable(var).unwrap().attribute(name).unwrap().value.clone()
}

fn small_file(path: &Path, format: NcFormat) -> Result<(), IoError> {
    let t = [1.5f32, -9999.0, 3.0, 4.0, 5.0, 6.0];
    let c = [1i16, 2, -1, 4, 5, 6];
    let w = [443.0f64, 865.0];
    let vars = [
        OutVar::new("T", &["x", "y"], OutData::F32(&t))
            .with_attrs(attrs([("units", "K".into()), ("_FillValue", (-9999.0f32).into())])),
        OutVar::new("C", &["x", "y"], OutData::I16(&c)).with_attrs(attrs([("_FillValue", (-1i16).into())])),
        OutVar::new("W", &["w"], OutData::F64(&w)),
        OutVar::new("scalar", &[], OutData::I32(&[7])),
    ];
    write_nc(
        path,
        format,
        &[("x", 2), ("y", 3), ("w", 2)],
        &vars,
        &attrs([("title", "t".into()), ("n", 3i32.into())]),
    )
}

#[test]
fn both_formats_round_trip_values_attributes_and_fill() {
    let dir = tempfile::tempdir().unwrap();
    for (format, expected) in [
        (NcFormat::Netcdf4, netcdf_reader::NcFormat::Nc4),
        (NcFormat::Classic, netcdf_reader::NcFormat::Offset64),
    ] {
        let path = dir.path().join(format!("{format}.nc"));
        small_file(&path, format).unwrap();
        let f = NcFile::open(&path).unwrap();
        assert_eq!(f.format(), expected);
        assert_eq!(values(&f, "T"), vec![1.5, -9999.0, 3.0, 4.0, 5.0, 6.0]);
        assert_eq!(f.variable("T").unwrap().shape(), vec![2, 3]);
        assert_eq!(values(&f, "C"), vec![1.0, 2.0, -1.0, 4.0, 5.0, 6.0]);
        assert_eq!(values(&f, "W"), vec![443.0, 865.0]);
        assert_eq!(values(&f, "scalar"), vec![7.0]);
        assert_eq!(attr(&f, "T", "_FillValue"), NcAttrValue::Floats(vec![-9999.0]));
        assert_eq!(attr(&f, "T", "units").as_string().as_deref(), Some("K"));
        assert_eq!(attr(&f, "C", "_FillValue"), NcAttrValue::Shorts(vec![-1]));
        let globals = f.global_attributes().unwrap();
        assert_eq!(
            globals.iter().find(|a| a.name == "n").unwrap().value,
            NcAttrValue::Ints(vec![3])
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            if format == NcFormat::Classic { 2 } else { 1 }
        );
    }
}

#[test]
fn bad_definitions_name_the_variable_and_leave_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.nc");
    let short = [1.0f32; 5];
    let cases: Vec<(NcFormat, OutVar, &str)> = vec![
        (
            NcFormat::Netcdf4,
            OutVar::new("A", &["x", "y"], OutData::F32(&short)),
            "has 5 values",
        ),
        (
            NcFormat::Netcdf4,
            OutVar::new("B", &["z"], OutData::F32(&short)),
            "unknown dimension z",
        ),
        (
            NcFormat::Classic,
            OutVar::new("U", &["v"], OutData::U8(&[1, 2, 3, 4, 5])),
            "unsigned bytes",
        ),
        (
            NcFormat::Netcdf4,
            OutVar::new("F", &["v"], OutData::F32(&short)).with_attrs(attrs([("_FillValue", (-1i16).into())])),
            "_FillValue must be one float",
        ),
    ];
    for (format, var, needle) in cases {
        let name = var.name.clone();
        let err = write_nc(&path, format, &[("x", 2), ("y", 3), ("v", 5)], &[var], &[]).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains(&format!("variable {name}")) && msg.contains(needle),
            "{msg}"
        );
        assert!(msg.contains("bad.nc"), "{msg}");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "nothing is left behind"
        );
    }
}

#[test]
fn row_blocks_make_the_same_file_as_whole_variables() {
    let dir = tempfile::tempdir().unwrap();
    for format in [NcFormat::Netcdf4, NcFormat::Classic] {
        let path = dir.path().join(format!("rows_{format}.nc"));
        let globals = attrs([("title", "t".into())]);
        let mut w = RowBlockWriter::new(&path, format, &[("x", 3), ("y", 4), ("w", 2)], &globals).unwrap();
        let fill = attrs([("_FillValue", (-9999.0f32).into()), ("units", "K".into())]);
        w.declare("T", &["x", "y"], OutType::F32, &fill, Some(&[2, 4])).unwrap();
        w.declare(
            "C",
            &["x", "y"],
            OutType::I16,
            &attrs([("_FillValue", (-1i16).into())]),
            None,
        )
        .unwrap();
        w.add(&OutVar::new("W", &["w"], OutData::F64(&[443.0, 865.0]))).unwrap();
        // rows in any order, one or several at a time
        w.write_rows("T", 2, OutData::F32(&[9.0, 10.0, 11.0, -9999.0])).unwrap();
        w.write_rows("T", 0, OutData::F32(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]))
            .unwrap();
        for i in 0..3 {
            w.write_rows("C", i, OutData::I16(&[i as i16; 4])).unwrap();
        }
        let err = w.write_rows("T", 2, OutData::F32(&[1.0; 8])).unwrap_err().to_string();
        assert!(err.contains("variable T") && err.contains("whole rows"), "{err}");
        assert!(w.write_rows("C", 0, OutData::F32(&[1.0; 4])).is_err(), "wrong type");
        w.finish().unwrap();
        let f = NcFile::open(&path).unwrap();
        let t = values(&f, "T");
        assert_eq!(t[..11], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0]);
        assert_eq!(attr(&f, "T", "_FillValue"), NcAttrValue::Floats(vec![-9999.0]));
        assert_eq!(
            values(&f, "C"),
            vec![0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 2.0]
        );
        assert_eq!(values(&f, "W"), vec![443.0, 865.0]);
    }
}

#[test]
fn row_block_files_with_missing_rows_or_bad_chunks_are_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("partial.nc");
    let mut w = RowBlockWriter::new(&path, NcFormat::Netcdf4, &[("x", 3), ("y", 4)], &[]).unwrap();
    let bad = w.declare("B", &["x", "y"], OutType::F32, &[], Some(&[4, 4]));
    assert!(bad.unwrap_err().to_string().contains("chunk shape"));
    w.declare("T", &["x", "y"], OutType::F32, &[], None).unwrap();
    w.write_rows("T", 0, OutData::F32(&[1.0; 4])).unwrap();
    let err = w.finish().unwrap_err().to_string();
    assert!(err.contains("only 1 of 3 rows"), "{err}");
    assert!(!path.exists());
    // a declaration that fails half-way (bad fill value type) poisons the writer
    let mut w = RowBlockWriter::new(&path, NcFormat::Netcdf4, &[("x", 1)], &[]).unwrap();
    let fill = attrs([("_FillValue", (-1i16).into())]);
    assert!(w.declare("F", &["x"], OutType::F32, &fill, None).is_err());
    let err = w.finish().unwrap_err().to_string();
    assert!(err.contains("declaration failed"), "{err}");
    assert!(!path.exists());
}
