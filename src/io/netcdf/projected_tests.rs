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

/// [`cf_file`]'s grid with a grid mapping that holds only `crs_wkt` (no `grid_mapping_name`,
/// no CF parameters), as CF-1.7 allows.
fn wkt_only_file(path: &std::path::Path, wkt: &str) {
    let y = [-50_000.0, -25_000.0, 0.0];
    let x = [100_000.0, 125_000.0, 150_000.0, 175_000.0];
    let v: Vec<f64> = (0..12).map(f64::from).collect();
    let vars = [
        OutVar::new("y", &["y"], OutData::F64(&y)).with_attrs(attrs([
            ("standard_name", "projection_y_coordinate".into()),
            ("units", "m".into()),
        ])),
        OutVar::new("x", &["x"], OutData::F64(&x)).with_attrs(attrs([
            ("standard_name", "projection_x_coordinate".into()),
            ("units", "m".into()),
        ])),
        OutVar::new("crs", &[], OutData::I32(&[0])).with_attrs(attrs([("crs_wkt", wkt.into())])),
        OutVar::new("NDVI", &["y", "x"], OutData::F64(&v)).with_attrs(attrs([("grid_mapping", "crs".into())])),
    ];
    write_nc(path, NcFormat::Netcdf4, &[("y", 3), ("x", 4)], &vars, &attrs([])).unwrap();
}

#[test]
fn a_projected_crs_wkt_alone_is_read_by_its_epsg_identifier() {
    let dir = tempfile::tempdir().unwrap();
    for code in [32633u16, 3413, 6933] {
        let crs = ProjectedCrs::from_epsg(code).unwrap();
        let (alone, cf) = (
            dir.path().join(format!("{code}.nc")),
            dir.path().join(format!("{code}_cf.nc")),
        );
        wkt_only_file(&alone, &crs.to_wkt());
        cf_file(&cf, &crs, crs.method.cf_name(), true);
        let g = NcFile::open(&alone).unwrap().grid().unwrap();
        let want = NcFile::open(&cf).unwrap().grid().unwrap();
        assert_eq!(g.projection, want.projection, "EPSG:{code}");
        assert_eq!(g.projection.as_ref().unwrap().epsg, Some(code));
        assert_eq!((&g.lat, &g.lon), (&want.lat, &want.lon));
        let (a, b) = (g.locator().unwrap(), want.locator().unwrap());
        assert_eq!(a.lon_lat(1, 2), b.lon_lat(1, 2), "EPSG:{code}");
    }
}

#[test]
fn a_projected_crs_wkt_alone_without_a_known_epsg_identifier_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let mercator = r#"PROJCS["WGS 84 / Pseudo-Mercator",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Mercator_1SP"],PARAMETER["central_meridian",0],PARAMETER["scale_factor",1],PARAMETER["false_easting",0],PARAMETER["false_northing",0],UNIT["metre",1],AUTHORITY["EPSG","3857"]]"#;
    let mut utm = ProjectedCrs::from_epsg(32633).unwrap();
    utm.epsg = None;
    let anonymous = utm.to_wkt();
    assert!(
        !anonymous.contains("32633") && anonymous.contains("9001"),
        "{anonymous}"
    );
    for (wkt, why) in [
        (
            mercator.to_string(),
            "'WGS 84 / Pseudo-Mercator', EPSG:3857, a projection landclust does not know",
        ),
        (anonymous, "without an EPSG identifier"),
    ] {
        let path = dir.path().join("alone.nc");
        wkt_only_file(&path, &wkt);
        let e = NcFile::open(&path).unwrap().grid().unwrap_err().to_string();
        assert!(
            e.contains("grid mapping crs has no grid_mapping_name and its crs_wkt is the projected system")
                && e.contains(why)
                && e.contains("give the CF grid_mapping_name"),
            "{e}"
        );
        assert!(!e.contains('\n'), "{e}");
    }
}
