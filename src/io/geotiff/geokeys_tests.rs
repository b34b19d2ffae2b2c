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
    assert!(k.check_wgs84(false).is_ok());
    // User-defined geographic system on the WGS 84 datum.
    let k = keys(&[
        (GT_MODEL_TYPE, 2),
        (GEOGRAPHIC_TYPE, USER_DEFINED),
        (GEOG_GEODETIC_DATUM, DATUM_WGS84),
    ]);
    assert!(k.check_wgs84(false).is_ok());
}

#[test]
fn projected_and_other_systems_are_named() {
    let k = keys(&[(GT_MODEL_TYPE, 1), (PROJECTED_CS_TYPE, 32633)]);
    let e = k.check_wgs84(false).unwrap_err();
    assert!(
        e.starts_with("projected coordinate system EPSG:32633 is not supported yet"),
        "{e}"
    );
    assert!(e.contains("gdalwarp -t_srs EPSG:4326"), "{e}");
    let dir = vec![1, 1, 0, 2, GT_MODEL_TYPE, 0, 1, 1, PCS_CITATION, 34737, 11, 0];
    let k = GeoKeys::parse(&dir, &[], "Sinusoidal|").unwrap();
    assert!(k.check_wgs84(false).unwrap_err().contains("'Sinusoidal'"));
    let k = keys(&[
        (GT_MODEL_TYPE, 1),
        (PROJECTED_CS_TYPE, USER_DEFINED),
        (PROJ_COORD_TRANS, 24),
    ]);
    assert!(k.check_wgs84(false).unwrap_err().contains("(user-defined), sinusoidal"));
    let e = keys(&[(GT_MODEL_TYPE, 2), (GEOGRAPHIC_TYPE, 4269)])
        .check_wgs84(false)
        .unwrap_err();
    assert!(e.contains("EPSG:4269") && e.contains("not WGS 84"), "{e}");
    let e = keys(&[(GT_MODEL_TYPE, 2), (GEOGRAPHIC_TYPE, 4326)])
        .check_wgs84(true)
        .unwrap_err();
    assert!(e.contains("rotated"), "{e}");
    assert!(keys(&[]).check_wgs84(false).is_err());
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
