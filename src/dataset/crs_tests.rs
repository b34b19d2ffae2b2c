use super::*;

#[test]
fn epsg_tables_give_clarke_1866_for_modis_cmg_codes() {
    let c = GeographicCrs::from_epsg(4008).unwrap();
    assert_eq!(c.ellipsoid.name, "Clarke 1866");
    assert_eq!(
        (c.ellipsoid.semi_major_axis, c.ellipsoid.inverse_flattening),
        (6378206.4, 294.9786982)
    );
    assert_eq!(c.datum_epsg, Some(6008));
    let nad27 = GeographicCrs::from_epsg(4267).unwrap();
    assert_eq!(nad27.name, "NAD27");
    assert!(nad27.ellipsoid.same_figure(&c.ellipsoid));
    assert!(
        !nad27.same_datum(&c),
        "two EPSG datums on one ellipsoid are different datums"
    );
    assert!(GeographicCrs::wgs84().is_wgs84());
    assert!(!c.is_wgs84());
    assert!(GeographicCrs::from_epsg(4999).is_none());
    let user = GeographicCrs::on_ellipsoid("x", Ellipsoid::from_parameters(6378206.4, 294.9786982));
    assert_eq!(user.ellipsoid.epsg, Some(7008));
    assert!(user.same_datum(&c));
    assert!(!user.same_datum(&GeographicCrs::wgs84()));
}

#[test]
fn wkt_round_trips_and_reads_wkt2() {
    let c = GeographicCrs::from_epsg(4267).unwrap();
    let back = GeographicCrs::from_wkt(&c.to_wkt()).unwrap();
    assert_eq!(back, c);
    let wkt2 = r#"GEOGCRS["Unknown datum based upon the Clarke 1866 ellipsoid",
        DATUM["Not specified (based on Clarke 1866 ellipsoid)",
            ELLIPSOID["Clarke 1866",6378206.4,294.978698213898,LENGTHUNIT["metre",1]]],
        PRIMEM["Greenwich",0,ANGLEUNIT["degree",0.0174532925199433]],
        CS[ellipsoidal,2],
            AXIS["geodetic latitude (Lat)",north,ORDER[1]],
        ID["EPSG",4008]]"#;
    let c = GeographicCrs::from_wkt(wkt2).unwrap();
    assert_eq!(c.epsg, Some(4008));
    assert_eq!(c.ellipsoid.name, "Clarke 1866");
    assert!((c.ellipsoid.inverse_flattening - 294.978698213898).abs() < 1e-12);
    let e = GeographicCrs::from_wkt(r#"PROJCS["WGS 84 / UTM zone 33N",GEOGCS["WGS 84"]]"#).unwrap_err();
    assert!(e.contains("WGS 84 / UTM zone 33N"), "{e}");
    assert!(GeographicCrs::from_wkt("GEOGCS[\"x\"").is_err());
    assert!(GeographicCrs::from_wkt("GEOGCS[\"x\",DATUM[\"d\"]]").is_err());
}

#[test]
fn display_names_the_datum_only_when_not_wgs84() {
    assert_eq!(GeographicCrs::wgs84().to_string(), "WGS 84 (EPSG:4326)");
    let s = GeographicCrs::from_epsg(4008).unwrap().to_string();
    assert!(
        s.contains("Clarke 1866") && s.contains("6378206.4") && s.contains("EPSG:4008"),
        "{s}"
    );
    assert_eq!(angular_unit(9105), Some(("grad", 0.9)));
    assert!(angular_unit(9107).is_none());
}
