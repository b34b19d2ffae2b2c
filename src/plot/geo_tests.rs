use super::*;

#[test]
fn topojson_delta_decoding() {
    let json = br#"{"type":"Topology","transform":{"scale":[0.5,0.25],"translate":[-180,-90]},
        "arcs":[[[0,0],[2,4],[-1,0]]],"objects":{}}"#;
    let arcs = decode_topojson_arcs(json).unwrap();
    assert_eq!(arcs, vec![vec![(-180.0, -90.0), (-179.0, -89.0), (-179.5, -89.0)]]);
    assert!(decode_topojson_arcs(b"{}").is_err());
}

#[test]
fn embedded_coastlines_are_in_range() {
    let arcs = coastlines(Coastlines::Low, &Region::world()).unwrap();
    assert_eq!(arcs.len(), 130);
    for &(lon, lat) in arcs.iter().flatten() {
        assert!((-180.001..=180.001).contains(&lon) && (-90.001..=90.001).contains(&lat));
    }
}

#[test]
fn grid_cell_lookup() {
    let g = GridGeometry::from_grid(&Grid::regular(180, 360, 89.5, -179.5, 1.0)).unwrap();
    assert_eq!(g.row_of(23.5), Some(66));
    assert_eq!(g.col_of(10.5), Some(190));
    assert_eq!(g.row_of(-90.5), None);
    assert_eq!(g.col_of(180.2), None);
}
