use super::*;
use netcdf_reader::{NcAttrValue, NcFile};

fn values(f: &NcFile, name: &str) -> Vec<f64> {
    f.read_variable_as_f64(name).unwrap().iter().copied().collect()
}

fn attr(f: &NcFile, var: &str, name: &str) -> NcAttrValue {
    f.variable(var).unwrap().attribute(name).unwrap().value.clone()
}

#[test]
fn labels_on_a_regular_grid_are_cf_with_1d_coordinates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.nc");
    let grid = Grid::regular(2, 3, 45.0, -120.0, 90.0);
    let nan = f64::NAN;
    let cluster = [0.0, 1.0, nan, 2.0, nan, 0.0];
    let score = [0.5, nan, 0.25, 1.0, 2.0, 3.0];
    let layers = [
        LabelLayer {
            name: "cluster",
            values: (&cluster).into(),
            long_name: "cluster label",
            units: None,
        },
        LabelLayer {
            name: "score",
            values: (&score).into(),
            long_name: "a score",
            units: Some("1"),
        },
    ];
    let settings = vec![("landclust_k".to_string(), "3".to_string())];
    write_labels_nc(&path, NcFormat::Netcdf4, &grid, &layers, &settings).unwrap();
    let f = NcFile::open(&path).unwrap();
    assert_eq!(values(&f, "lat"), vec![45.0, -45.0]);
    assert_eq!(values(&f, "lon"), vec![-120.0, -30.0, 60.0]);
    assert_eq!(
        attr(&f, "lat", "standard_name").as_string().as_deref(),
        Some("latitude")
    );
    assert_eq!(attr(&f, "lon", "units").as_string().as_deref(), Some("degrees_east"));
    assert_eq!(attr(&f, "lat", "axis").as_string().as_deref(), Some("Y"));
    assert_eq!(f.variable("cluster").unwrap().dtype(), &netcdf_reader::NcType::Int);
    assert_eq!(values(&f, "cluster"), vec![0.0, 1.0, -1.0, 2.0, -1.0, 0.0]);
    assert_eq!(attr(&f, "cluster", "_FillValue"), NcAttrValue::Ints(vec![-1]));
    assert_eq!(attr(&f, "cluster", "flag_values"), NcAttrValue::Ints(vec![0, 1, 2]));
    assert_eq!(
        attr(&f, "cluster", "flag_meanings").as_string().as_deref(),
        Some("cluster_0 cluster_1 cluster_2")
    );
    assert_eq!(f.variable("score").unwrap().dtype(), &netcdf_reader::NcType::Double);
    assert_eq!(values(&f, "score"), vec![0.5, -9999.0, 0.25, 1.0, 2.0, 3.0]);
    let globals = f.global_attributes().unwrap();
    assert_eq!(globals[0].name, "Conventions");
    assert_eq!(globals[0].value.as_string().as_deref(), Some("CF-1.8"));
    assert_eq!(globals[1].value.as_string().as_deref(), Some("3"));
}

#[test]
fn labels_carry_a_wgs84_grid_mapping() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.nc");
    let grid = Grid::regular(2, 2, 10.0, 0.0, 1.0);
    let cluster = [0.0, 1.0, 1.0, 0.0];
    let layers = [LabelLayer {
        name: "cluster",
        values: (&cluster).into(),
        long_name: "c",
        units: None,
    }];
    write_labels_nc::<String>(&path, NcFormat::Classic, &grid, &layers, &[]).unwrap();
    let f = NcFile::open(&path).unwrap();
    assert_eq!(f.variable("lat").unwrap().shape(), vec![2]);
    assert_eq!(values(&f, "lat"), vec![10.0, 9.0]);
    assert_eq!(attr(&f, "cluster", "grid_mapping").as_string().as_deref(), Some("crs"));
    assert_eq!(
        attr(&f, "crs", "grid_mapping_name").as_string().as_deref(),
        Some("latitude_longitude")
    );
    assert!(
        attr(&f, "crs", "crs_wkt")
            .as_string()
            .unwrap()
            .contains("EPSG\",\"4326")
    );
    let short = [0.0; 3];
    let bad = [LabelLayer {
        name: "short",
        values: (&short).into(),
        long_name: "s",
        units: None,
    }];
    let err = write_labels_nc::<String>(&path, NcFormat::Classic, &grid, &bad, &[]).unwrap_err();
    assert!(
        err.to_string()
            .contains("variable short: has 3 values but the grid has 4 cells"),
        "{err}"
    );
}

#[test]
fn an_int_label_layer_writes_the_file_its_f64_form_writes() {
    let dir = tempfile::tempdir().unwrap();
    let grid = Grid::regular(2, 3, 45.0, -120.0, 90.0);
    let nan = f64::NAN;
    let reals = [0.0, 1.0, nan, 2.0, nan, 0.0];
    let ints = [0, 1, LABEL_FILL, 2, LABEL_FILL, 0];
    let write = |name: &str, values: LayerValues| {
        let path = dir.path().join(name);
        let layer = LabelLayer {
            name: "cluster",
            values,
            long_name: "cluster label",
            units: None,
        };
        write_labels_nc(&path, NcFormat::Netcdf4, &grid, &[layer], &[] as &[(String, String)]).unwrap();
        std::fs::read(path).unwrap()
    };
    assert_eq!(write("a.nc", (&reals).into()), write("b.nc", ints[..].into()));
}
