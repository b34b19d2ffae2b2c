use super::*;
use netcdf_reader::{NcAttrValue, NcAttribute, NcType};

fn var(name: &str, attrs: Vec<(&str, NcAttrValue)>) -> NcVariable {
    NcVariable {
        name: name.into(),
        dimensions: vec![],
        dtype: NcType::Int,
        attributes: attrs
            .into_iter()
            .map(|(n, value)| NcAttribute { name: n.into(), value })
            .collect(),
        data_offset: 0,
        _data_size: 0,
        is_record_var: false,
        record_size: 0,
    }
}

fn text(s: &str) -> NcAttrValue {
    NcAttrValue::Chars(s.into())
}

#[test]
fn cf_latitude_longitude_mapping_gives_the_ellipsoid() {
    let data = var("NDVI", vec![("grid_mapping", text("crs"))]);
    let crs = var(
        "crs",
        vec![
            ("grid_mapping_name", text("latitude_longitude")),
            ("semi_major_axis", NcAttrValue::Doubles(vec![6378206.4])),
            ("inverse_flattening", NcAttrValue::Doubles(vec![294.9786982])),
            ("longitude_of_prime_meridian", NcAttrValue::Doubles(vec![0.0])),
        ],
    );
    let c = grid_mapping_crs(&[data, crs]).unwrap().unwrap();
    assert_eq!(c.ellipsoid.name, "Clarke 1866");
    assert_eq!(c.name, "Unknown datum based upon the Clarke 1866 ellipsoid");
    // crs_wkt wins and names the system.
    let wkt = crate::dataset::GeographicCrs::from_epsg(4267).unwrap().to_wkt();
    let c = grid_mapping_crs(&[var(
        "crs",
        vec![
            ("grid_mapping_name", text("latitude_longitude")),
            ("crs_wkt", text(&wkt)),
        ],
    )])
    .unwrap()
    .unwrap();
    assert_eq!((c.name.as_str(), c.epsg), ("NAD27", Some(4267)));
    // No mapping, WGS 84 parameters, or no ellipsoid: the WGS 84 default.
    assert_eq!(grid_mapping_crs(&[var("NDVI", vec![])]).unwrap(), None);
    let wgs = var(
        "crs",
        vec![
            ("grid_mapping_name", text("latitude_longitude")),
            ("semi_major_axis", NcAttrValue::Doubles(vec![6378137.0])),
            ("inverse_flattening", NcAttrValue::Doubles(vec![298.257223563])),
        ],
    );
    assert_eq!(grid_mapping_crs(&[wgs]).unwrap(), None);
    let bare = var("crs", vec![("grid_mapping_name", text("latitude_longitude"))]);
    assert_eq!(grid_mapping_crs(&[bare]).unwrap(), None);
}

#[test]
fn projected_mappings_are_named() {
    let data = var("NDVI", vec![("grid_mapping", text("proj"))]);
    let proj = var("proj", vec![("grid_mapping_name", text("sinusoidal"))]);
    let e = grid_mapping_crs(&[data, proj]).unwrap_err();
    assert!(
        e.contains("grid mapping proj is 'sinusoidal'") && e.contains("not supported yet"),
        "{e}"
    );
}
