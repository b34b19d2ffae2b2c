use crate::dataset::ProjectedCrs;
use crate::io::netcdf::NcFile;
use crate::io::netcdf::write::{AttrValue, NcFormat, OutData, OutVar, attrs, write_nc};

/// A CF file of 3 x 4 cells of 25 km in `crs`, y south to north (flipped when read), with the
/// grid mapping's CF parameters and (optionally) its WKT.
fn cf_file(path: &std::path::Path, crs: &ProjectedCrs, kind: &str, with_wkt: bool) {
    let y = [-50_000.0, -25_000.0, 0.0];
    let x = [100_000.0, 125_000.0, 150_000.0, 175_000.0];
    let v: Vec<f64> = (0..12).map(f64::from).collect();
    let mut gm = attrs([("grid_mapping_name", kind.into())]);
    for (name, values) in crs.cf_parameters() {
        gm.push((name.into(), AttrValue::F64(values)));
    }
    gm.push(("semi_major_axis".into(), crs.base.ellipsoid.semi_major_axis.into()));
    gm.push((
        "inverse_flattening".into(),
        crs.base.ellipsoid.inverse_flattening.into(),
    ));
    if with_wkt {
        gm.push(("crs_wkt".into(), crs.to_wkt().into()));
    }
    let vars = [
        OutVar::new("y", &["y"], OutData::F64(&y)).with_attrs(attrs([
            ("standard_name", "projection_y_coordinate".into()),
            ("units", "m".into()),
        ])),
        OutVar::new("x", &["x"], OutData::F64(&x)).with_attrs(attrs([
            ("standard_name", "projection_x_coordinate".into()),
            ("units", "m".into()),
        ])),
        OutVar::new("crs", &[], OutData::I32(&[0])).with_attrs(gm),
        OutVar::new("NDVI", &["y", "x"], OutData::F64(&v)).with_attrs(attrs([("grid_mapping", "crs".into())])),
    ];
    write_nc(path, NcFormat::Netcdf4, &[("y", 3), ("x", 4)], &vars, &attrs([])).unwrap();
}

#[test]
fn cf_projections_are_read_with_their_parameters() {
    let dir = tempfile::tempdir().unwrap();
    for code in [32633u16, 32733, 6931, 3413, 3031, 5070, 3034, 6933] {
        let crs = ProjectedCrs::from_epsg(code).unwrap();
        for with_wkt in [false, true] {
            let path = dir.path().join(format!("{code}_{with_wkt}.nc"));
            cf_file(&path, &crs, crs.method.cf_name(), with_wkt);
            let f = NcFile::open(&path).unwrap();
            let g = f.grid().unwrap();
            let p = g.projection.clone().unwrap();
            assert_eq!(p.method, crs.method, "EPSG:{code}");
            assert_eq!(p.parameters, crs.parameters, "EPSG:{code}");
            // The WKT's identifier gives the EPSG system back.
            assert_eq!(p.epsg, with_wkt.then_some(code), "EPSG:{code}");
            // North first: the file's y ran south to north.
            assert_eq!(g.lat, vec![0.0, -25_000.0, -50_000.0]);
            assert!(g.orientation.lat_flipped);
            assert_eq!(g.lon, vec![100_000.0, 125_000.0, 150_000.0, 175_000.0]);
            // The first grid row is the file's last.
            let row0 = f.read_variable("NDVI", &g).unwrap();
            assert_eq!(&row0.values[..4], &[8.0, 9.0, 10.0, 11.0]);
            // Cells' lon/lat are the inverse projection of their centres.
            let (lon, lat) = g.locator().unwrap().lon_lat(0, 0);
            let (x, y) = crs.projector().unwrap().forward(lon, lat).unwrap();
            assert!((x - 100_000.0).abs() < 1e-3 && y.abs() < 1e-3, "EPSG:{code}");
        }
    }
}

#[test]
fn unsupported_mappings_are_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("merc.nc");
    cf_file(&path, &ProjectedCrs::from_epsg(32633).unwrap(), "mercator", false);
    let e = NcFile::open(&path).unwrap().grid().unwrap_err().to_string();
    assert!(
        e.contains("grid mapping crs is 'mercator': this projection is not supported"),
        "{e}"
    );
    assert!(!e.contains('\n'));
}
