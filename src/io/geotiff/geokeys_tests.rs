use super::*;

fn keys(entries: &[(u16, u16)]) -> GeoKeys {
    let mut dir = vec![1, 1, 0, entries.len() as u16];
    for &(id, v) in entries {
        dir.extend([id, 0, 1, v]);
    }
    GeoKeys::parse(&dir, &[], "").unwrap()
}

#[test]
fn wgs84_is_accepted_and_round_trips() {
    let (dir, ascii) = crate::io::geotiff::writer::wgs84_geokeys();
    let k = GeoKeys::parse(&dir, &[], &ascii).unwrap();
    assert_eq!(k.short(GT_MODEL_TYPE), Some(MODEL_GEOGRAPHIC));
    assert_eq!(k.text(GEOG_CITATION), Some("WGS 84"));
    assert!(k.geographic_crs(false).is_ok());
    // User-defined geographic system on the WGS 84 datum.
    let k = keys(&[
        (GT_MODEL_TYPE, 2),
        (GEOGRAPHIC_TYPE, USER_DEFINED),
        (GEOG_GEODETIC_DATUM, DATUM_WGS84),
    ]);
    assert!(k.geographic_crs(false).is_ok());
}

#[test]
fn projected_and_other_systems_are_named() {
    // A projected system is not geographic; unknown or unsupported ones name themselves.
    let k = keys(&[(GT_MODEL_TYPE, 1), (PROJECTED_CS_TYPE, 32633)]);
    assert!(k.geographic_crs(false).is_err());
    assert_eq!(k.projected_crs(false).unwrap().name, "WGS 84 / UTM zone 33N");
    let e = keys(&[(GT_MODEL_TYPE, 1), (PROJECTED_CS_TYPE, 3857)])
        .projected_crs(false)
        .unwrap_err();
    assert!(
        e.starts_with("projected coordinate system EPSG:3857 is not one landclust knows"),
        "{e}"
    );
    assert!(e.contains("gdalwarp -t_srs EPSG:4326"), "{e}");
    let e = keys(&[
        (GT_MODEL_TYPE, 1),
        (PROJECTED_CS_TYPE, USER_DEFINED),
        (GEOGRAPHIC_TYPE, 4326),
        (PROJ_COORD_TRANS, 7),
    ])
    .projected_crs(false)
    .unwrap_err();
    assert!(
        e.contains("(user-defined), Mercator: the Mercator projection is not supported"),
        "{e}"
    );
    let e = keys(&[(GT_MODEL_TYPE, 1), (PROJECTED_CS_TYPE, 32633)])
        .projected_crs(true)
        .unwrap_err();
    assert!(e.contains("rotated"), "{e}");
    let e = keys(&[(GT_MODEL_TYPE, 2), (GEOGRAPHIC_TYPE, 4999)])
        .geographic_crs(false)
        .unwrap_err();
    assert!(e.contains("EPSG:4999") && e.contains("not one landclust knows"), "{e}");
    let e = keys(&[(GT_MODEL_TYPE, 2), (GEOGRAPHIC_TYPE, 4326)])
        .geographic_crs(true)
        .unwrap_err();
    assert!(e.contains("rotated"), "{e}");
    assert!(keys(&[]).geographic_crs(false).is_err());
}

#[test]
fn utm_projection_code_on_a_user_defined_base() {
    // What stars' olinda_dem_utm25s.tif holds: ProjectionGeoKey 16125 (UTM 25S) on a
    // user-defined GRS 1980 base.
    let dir = vec![
        1,
        1,
        0,
        8,
        GT_MODEL_TYPE,
        0,
        1,
        1,
        GEOGRAPHIC_TYPE,
        0,
        1,
        USER_DEFINED,
        GEOG_GEODETIC_DATUM,
        0,
        1,
        USER_DEFINED,
        GEOG_ELLIPSOID,
        0,
        1,
        USER_DEFINED,
        GEOG_SEMI_MAJOR_AXIS,
        34736,
        1,
        0,
        GEOG_INV_FLATTENING,
        34736,
        1,
        1,
        PROJECTED_CS_TYPE,
        0,
        1,
        USER_DEFINED,
        PROJECTION,
        0,
        1,
        16125,
    ];
    let k = GeoKeys::parse(&dir, &[6378137.0, 298.257222101], "").unwrap();
    let p = k.projected_crs(false).unwrap();
    assert_eq!(p.method, ProjectionMethod::TransverseMercator);
    assert_eq!(p.parameters, utm_parameters(25, true));
    assert_eq!(p.base.ellipsoid.epsg, Some(7019));
}

#[test]
fn projected_keys_round_trip_through_the_writer() {
    use crate::io::geotiff::writer::projected_geokeys;
    for code in [32633u16, 32733, 6931, 3413, 3031, 5070, 3034, 6933, 3035] {
        let crs = ProjectedCrs::from_epsg(code).unwrap();
        // By EPSG code.
        let (dir, d, text) = projected_geokeys(&crs);
        let back = GeoKeys::parse(&dir, &d, &text).unwrap().projected_crs(false).unwrap();
        assert_eq!(back.epsg, Some(code));
        assert_eq!(back.parameters, crs.parameters);
        // User-defined: the method and parameter keys, and the base CRS's.
        let mut user = crs.clone();
        user.epsg = None;
        let (dir, d, text) = projected_geokeys(&user);
        let back = GeoKeys::parse(&dir, &d, &text).unwrap().projected_crs(false).unwrap();
        assert_eq!(back.method, crs.method, "EPSG:{code}");
        assert_eq!(back.parameters, crs.parameters, "EPSG:{code}");
        assert_eq!(back.base.epsg, crs.base.epsg, "EPSG:{code}");
        assert_eq!(back.name, crs.name);
    }
    // A user-defined base (MODIS sinusoidal's sphere) and a foot unit.
    let sinu = ProjectedCrs {
        name: "MODIS Sinusoidal".into(),
        epsg: None,
        base: GeographicCrs::on_ellipsoid("sphere", Ellipsoid::from_parameters(6371007.181, 0.0)),
        method: ProjectionMethod::Sinusoidal,
        parameters: crate::dataset::crs_projected::ProjectionParameters {
            false_easting: 0.3048 * 1000.0,
            ..Default::default()
        },
        unit: LinearUnit::from_epsg(9002).unwrap(),
    };
    let (dir, d, text) = projected_geokeys(&sinu);
    let back = GeoKeys::parse(&dir, &d, &text).unwrap().projected_crs(false).unwrap();
    assert_eq!(back.base.ellipsoid, sinu.base.ellipsoid);
    assert_eq!(back.unit, sinu.unit);
    assert!((back.parameters.false_easting - sinu.parameters.false_easting).abs() < 1e-9);
}

#[test]
fn malformed_directories_are_errors() {
    assert!(GeoKeys::parse(&[1, 1, 0], &[], "").is_err());
    assert!(GeoKeys::parse(&[1, 1, 0, 2, 1024, 0, 1, 2], &[], "").is_err());
    assert!(GeoKeys::parse(&[1, 1, 0, 1, 2049, 34737, 40, 0], &[], "WGS 84|").is_err());
}

#[test]
fn cell_centres_follow_raster_type() {
    let s = [1.0, 1.0, 0.0];
    let t = [0.0, 0.0, 0.0, -180.0, 90.0, 0.0];
    let area = cell_centres(Some(&s), Some(&t), None, false).unwrap();
    assert_eq!((area.lon0, area.lat0, area.dlon, area.dlat), (-179.5, 89.5, 1.0, -1.0));
    let point = cell_centres(Some(&s), Some(&t), None, true).unwrap();
    assert_eq!((point.lon0, point.lat0), (-180.0, 90.0));
    // A tie point at another raster position.
    let t2 = [10.0, 5.0, 0.0, -170.0, 85.0, 0.0];
    assert_eq!(cell_centres(Some(&s), Some(&t2), None, false).unwrap(), area);
    // South-up transformation (positive row step), and a rotated one.
    let m = [
        0.5, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, -90.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0,
    ];
    let c = cell_centres(None, None, Some(&m), false).unwrap();
    assert_eq!((c.lon0, c.lat0, c.dlat), (0.25, -89.75, 0.5));
    let mut r = m;
    r[1] = 0.1;
    assert_eq!(cell_centres(None, None, Some(&r), false).unwrap_err(), "rotated");
    assert!(cell_centres(None, None, None, false).is_err());
}

#[test]
fn other_datums_are_read_into_a_typed_crs() {
    // NAD27 by code.
    let (c, per) = keys(&[(GT_MODEL_TYPE, 2), (GEOGRAPHIC_TYPE, 4267)])
        .geographic_crs(false)
        .unwrap();
    assert_eq!((c.name.as_str(), c.epsg, per), ("NAD27", Some(4267), 1.0));
    assert_eq!(c.ellipsoid.name, "Clarke 1866");
    // MODIS CMG: user-defined, datum user-defined, ellipsoid Clarke 1866 by code.
    let (c, _) = keys(&[
        (GT_MODEL_TYPE, 2),
        (GEOGRAPHIC_TYPE, USER_DEFINED),
        (GEOG_GEODETIC_DATUM, USER_DEFINED),
        (GEOG_ELLIPSOID, 7008),
    ])
    .geographic_crs(false)
    .unwrap();
    assert_eq!((c.epsg, c.ellipsoid.semi_major_axis), (None, 6378206.4));
    // ... or by parameters, with a citation, in grads on the Paris meridian.
    let dir = vec![
        1,
        1,
        0,
        8,
        GT_MODEL_TYPE,
        0,
        1,
        2,
        GEOGRAPHIC_TYPE,
        0,
        1,
        USER_DEFINED,
        GEOG_CITATION,
        34737,
        9,
        0,
        GEOG_PRIME_MERIDIAN,
        0,
        1,
        8903,
        GEOG_ANGULAR_UNITS,
        0,
        1,
        9105,
        GEOG_ELLIPSOID,
        0,
        1,
        USER_DEFINED,
        GEOG_SEMI_MAJOR_AXIS,
        34736,
        1,
        0,
        GEOG_INV_FLATTENING,
        34736,
        1,
        1,
    ];
    let (c, per) = GeoKeys::parse(&dir, &[6378206.4, 294.9786982], "MODIS CMG|")
        .unwrap()
        .geographic_crs(false)
        .unwrap();
    assert_eq!(c.name, "MODIS CMG");
    assert_eq!(c.ellipsoid.epsg, Some(7008), "parameters matched to the EPSG ellipsoid");
    assert_eq!(c.prime_meridian.name, "Paris");
    assert_eq!((c.angular_unit.as_str(), per), ("grad", 0.9));
    // Semi-minor axis instead of the inverse flattening; user-defined unit size in radians.
    let dir = vec![
        1,
        1,
        0,
        4,
        GT_MODEL_TYPE,
        0,
        1,
        2,
        GEOG_ANGULAR_UNITS,
        0,
        1,
        USER_DEFINED,
        GEOG_ANGULAR_UNIT_SIZE,
        34736,
        1,
        0,
        GEOG_SEMI_MAJOR_AXIS,
        34736,
        1,
        1,
    ];
    let (c, per) = GeoKeys::parse(&dir, &[std::f64::consts::PI / 180.0, 6371000.0], "")
        .unwrap()
        .geographic_crs(false)
        .unwrap();
    assert!((per - 1.0).abs() < 1e-12);
    assert_eq!(c.ellipsoid.inverse_flattening, 0.0, "no flattening given: a sphere");
    // Nothing but the model type: one line naming what is missing.
    let e = keys(&[(GT_MODEL_TYPE, 2)]).geographic_crs(false).unwrap_err();
    assert!(e.contains("declares no datum or ellipsoid"), "{e}");
    let e = keys(&[(GT_MODEL_TYPE, 2), (GEOGRAPHIC_TYPE, 4326), (GEOG_ANGULAR_UNITS, 9107)])
        .geographic_crs(false)
        .unwrap_err();
    assert!(e.contains("angular unit 9107"), "{e}");
}

#[test]
fn written_geokeys_read_back_as_the_same_crs() {
    use crate::dataset::GeographicCrs;
    use crate::dataset::crs::{Ellipsoid, PrimeMeridian};
    let mut paris = GeographicCrs::on_ellipsoid("x", Ellipsoid::from_parameters(6378249.2, 293.4660213));
    paris.prime_meridian = PrimeMeridian::from_epsg(8903).unwrap();
    let mut odd = GeographicCrs::on_ellipsoid("odd", Ellipsoid::from_parameters(6378000.0, 300.0));
    odd.prime_meridian = PrimeMeridian::from_longitude(1.5);
    for crs in [
        GeographicCrs::wgs84(),
        GeographicCrs::from_epsg(4267).unwrap(),
        GeographicCrs::from_epsg(4008).unwrap(),
        GeographicCrs::from_datum(6269).unwrap(),
        GeographicCrs::on_ellipsoid("Clarke 1866 CMG", Ellipsoid::from_epsg(7008).unwrap()),
        paris,
        odd,
    ] {
        let (dir, doubles, ascii) = crate::io::geotiff::writer::geographic_geokeys(&crs);
        let ids: Vec<u16> = dir[4..].chunks(4).map(|e| e[0]).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "keys ascending: {ids:?}");
        let (back, per) = GeoKeys::parse(&dir, &doubles, &ascii)
            .unwrap()
            .geographic_crs(false)
            .unwrap();
        assert_eq!(per, 1.0);
        assert!(
            back.same_datum(&crs) && back.ellipsoid.same_figure(&crs.ellipsoid),
            "{crs} -> {back}"
        );
        assert_eq!((back.epsg, &back.name), (crs.epsg, &crs.name));
        assert_eq!(back.datum, crs.datum, "the datum's name survives");
        assert!((back.prime_meridian.longitude - crs.prime_meridian.longitude).abs() < 1e-12);
    }
    assert_eq!(
        crate::io::geotiff::writer::geographic_geokeys(&GeographicCrs::wgs84()),
        {
            let (d, a) = crate::io::geotiff::writer::wgs84_geokeys();
            (d, Vec::new(), a)
        },
        "WGS 84 is written as before"
    );
}

#[test]
fn gdal_esri_style_citations_give_clean_names() {
    assert_eq!(
        parse_citation("GCS Name = unknown|Datum = unknown|Ellipsoid = Clarke 1866|Primem = Greenwich|"),
        (
            Some("Unknown datum based upon the Clarke 1866 ellipsoid".to_string()),
            None
        )
    );
    assert_eq!(
        parse_citation("GCS Name = NAD27|Datum = North_American_1927|"),
        (Some("NAD27".to_string()), Some("North_American_1927".to_string()))
    );
    assert_eq!(parse_citation("MODIS CMG"), (Some("MODIS CMG".to_string()), None));
    assert_eq!(parse_citation("  "), (None, None));
}
