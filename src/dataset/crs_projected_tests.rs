use super::*;
use crate::dataset::crs::Ellipsoid;

/// The reference points of tests/fixtures/projections.json (PROJ through gdaltransform, see
/// tests/reference/ref_projections.py).
fn fixture() -> serde_json::Value {
    let text = include_str!("../../tests/fixtures/projections.json");
    serde_json::from_str(text).expect("projections.json parses")
}

/// The landclust CRS of a fixture case: its EPSG code, or the MODIS sinusoidal user-defined one.
fn crs_of(case: &serde_json::Value) -> ProjectedCrs {
    match case["epsg"].as_u64() {
        Some(code) => ProjectedCrs::from_epsg(code as u16).expect("known EPSG code"),
        None => {
            assert!(case["proj4"].as_str().unwrap().contains("+proj=sinu"));
            ProjectedCrs {
                name: "MODIS Sinusoidal".into(),
                epsg: None,
                base: GeographicCrs::on_ellipsoid("sphere", Ellipsoid::from_parameters(6371007.181, 0.0)),
                method: ProjectionMethod::Sinusoidal,
                parameters: ProjectionParameters::default(),
                unit: LinearUnit::metre(),
            }
        }
    }
}

#[test]
fn inverse_projection_matches_proj_for_every_method() {
    let f = fixture();
    let tol = f["tolerance_degrees"].as_f64().unwrap();
    assert_eq!(tol, 1e-7);
    let mut methods = std::collections::BTreeSet::new();
    for case in f["cases"].as_array().unwrap() {
        let crs = crs_of(case);
        methods.insert(crs.method.cf_name());
        let p = crs.projector().unwrap();
        for pt in case["points"].as_array().unwrap() {
            let v: Vec<f64> = pt.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect();
            let (lon, lat) = p.inverse(v[0], v[1]).unwrap();
            // Longitude is meaningless at a pole itself.
            let lon_tol = if v[3].abs() > 90.0 - 1e-6 { 1e-3 } else { tol };
            assert!(
                (lat - v[3]).abs() < tol && (lon - v[2]).abs() < lon_tol,
                "{}: ({}, {}) -> ({lon}, {lat}), PROJ ({}, {})",
                case["name"],
                v[0],
                v[1],
                v[2],
                v[3]
            );
            // The forward projection returns to the point (to 1 mm).
            let (x, y) = p.forward(lon, lat).unwrap();
            assert!(
                (x - v[0]).abs() < 1e-3 && (y - v[1]).abs() < 1e-3,
                "{}: forward",
                case["name"]
            );
        }
    }
    // The six projections of land products (and EASE-Grid 2.0 global's cylindrical one).
    for m in [
        "transverse_mercator",
        "sinusoidal",
        "lambert_azimuthal_equal_area",
        "polar_stereographic",
        "albers_conical_equal_area",
        "lambert_conformal_conic",
        "lambert_cylindrical_equal_area",
    ] {
        assert!(methods.contains(m), "no reference for {m}");
    }
}

#[test]
fn utm_codes_name_zone_and_hemisphere() {
    let n = ProjectedCrs::from_epsg(32633).unwrap();
    assert_eq!(n.name, "WGS 84 / UTM zone 33N");
    assert_eq!(n.parameters.central_meridian, 15.0);
    assert_eq!(n.parameters.false_northing, 0.0);
    let s = ProjectedCrs::from_epsg(32725).unwrap();
    assert_eq!(s.parameters.central_meridian, -33.0);
    assert_eq!(s.parameters.false_northing, 10_000_000.0);
    assert_eq!(ProjectedCrs::from_epsg(26910).unwrap().base.epsg, Some(4269));
    assert_eq!(
        ProjectedCrs::from_epsg(3857).unwrap_err(),
        ProjectionError::UnknownEpsg(3857)
    );
}

#[test]
fn feet_scale_the_coordinates() {
    // The same transverse Mercator in US survey feet: x/y in feet give the same lon/lat.
    let m = ProjectedCrs::from_epsg(32633).unwrap();
    let mut ft = m.clone();
    ft.unit = LinearUnit::from_epsg(9003).unwrap();
    let (x, y) = (351706.794, 6710139.095);
    let a = m.projector().unwrap().inverse(x, y).unwrap();
    let b = ft
        .projector()
        .unwrap()
        .inverse(x / ft.unit.metres, y / ft.unit.metres)
        .unwrap();
    assert!((a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9, "{a:?} {b:?}");
}

#[test]
fn cf_parameters_read_back() {
    for code in [32633u16, 32733, 6931, 3413, 3031, 5070, 3034, 6933] {
        let crs = ProjectedCrs::from_epsg(code).unwrap();
        let params = crs.cf_parameters();
        let get = |n: &str| params.iter().find(|(k, _)| *k == n).map(|(_, v)| v.clone());
        let back = ProjectedCrs::from_cf(crs.method.cf_name(), &get, crs.base.clone(), crs.unit.clone()).unwrap();
        assert_eq!(back.method, crs.method, "EPSG:{code}");
        assert_eq!(back.parameters, crs.parameters, "EPSG:{code}");
    }
    let none = |_: &str| None;
    let err = ProjectedCrs::from_cf("mercator", &none, GeographicCrs::wgs84(), LinearUnit::metre()).unwrap_err();
    assert!(err.contains("'mercator' is not supported"), "{err}");
}

#[test]
fn wkt_names_projection_and_base() {
    let wkt = ProjectedCrs::from_epsg(3413).unwrap().to_wkt();
    assert!(wkt.starts_with("PROJCS[\"WGS 84 / NSIDC Sea Ice Polar Stereographic North\",GEOGCS[\"WGS 84\""));
    assert!(wkt.contains("PROJECTION[\"Polar_Stereographic\"],PARAMETER[\"latitude_of_origin\",70]"));
    assert!(wkt.ends_with("AUTHORITY[\"EPSG\",\"3413\"]]"));
}

#[test]
fn a_conic_with_one_standard_parallel_is_tangent_there() {
    let p = |sp1, sp2| ProjectionParameters {
        latitude_of_origin: 23.0,
        standard_parallel_1: sp1,
        standard_parallel_2: sp2,
        ..Default::default()
    };
    assert_eq!(p(Some(29.5), Some(45.5)).standard_parallels(), (29.5, 45.5));
    assert_eq!(p(Some(29.5), None).standard_parallels(), (29.5, 29.5));
    assert_eq!(p(None, None).standard_parallels(), (23.0, 23.0));
}
