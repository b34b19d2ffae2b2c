use super::*;

#[test]
fn gdal_items_give_band_names_scale_offset() {
    let xml = r#"<GDALMetadata>
  <Item name="DESCRIPTION" sample="0" role="description">NDVI</Item>
  <Item name="DESCRIPTION" sample="1" role="description">DHR&amp;670</Item>
  <Item name="SCALE" sample="1" role="scale">0.0001</Item>
  <Item name="OFFSET" sample="1" role="offset">-1.5</Item>
  <Item name="UNITTYPE" sample="1" role="unittype">1</Item>
  <Item name="AREA_OR_POINT">Area</Item>
  <Item name="empty" sample="2"/>
</GDALMetadata>"#;
    let items = parse_items(xml);
    assert_eq!(items.len(), 7);
    assert_eq!(items[5].sample, None);
    let bands = band_meta(&items, 3);
    assert_eq!(bands[0].description.as_deref(), Some("NDVI"));
    assert_eq!(bands[1].description.as_deref(), Some("DHR&670"));
    assert_eq!((bands[1].scale, bands[1].offset), (0.0001, -1.5));
    assert_eq!(bands[1].units.as_deref(), Some("1"));
    assert_eq!(bands[2], BandMeta::default());
}

#[test]
fn written_items_read_back() {
    let xml = write_items(&[(0, "description", "DESCRIPTION", "a<b\"c".to_string())]);
    let bands = band_meta(&parse_items(&xml), 1);
    assert_eq!(bands[0].description.as_deref(), Some("a<b\"c"));
}

#[test]
fn nodata_text_parses() {
    assert_eq!(parse_nodata("-9999\0"), Some(-9999.0));
    assert!(parse_nodata("nan").is_some_and(f64::is_nan));
    assert_eq!(parse_nodata(" 1e+20 "), Some(1e20));
    assert_eq!(parse_nodata("none"), None);
}
