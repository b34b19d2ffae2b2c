use super::*;

fn grid() -> MapData {
    MapData {
        n_rows: 2,
        n_cols: 3,
        lat_north: 90.0,
        lon_west: -180.0,
        step_lat: 90.0,
        step_lon: 120.0,
        clusters: vec![-1, 0, 1, 1, 0, -1],
        cluster_colors: vec![[255, 0, 0], [0, 128, 255]],
        cluster_names: vec![],
        variables: vec![MapVariable {
            name: "NDVI".into(),
            units: "1".into(),
            values: vec![f64::NAN, 0.123456, 0.5, -0.25, 1e-7, 3.0],
        }],
    }
}

#[test]
fn json_is_compact_and_complete() {
    let json: serde_json::Value = serde_json::from_str(&grid().to_json().unwrap()).unwrap();
    assert_eq!(json["rows"], 2);
    assert_eq!(json["clusters"], serde_json::json!([-1, 0, 1, 1, 0, -1]));
    assert_eq!(json["colors"], serde_json::json!(["#ff0000", "#0080ff"]));
    assert_eq!(json["names"], serde_json::json!(["Cluster 0", "Cluster 1"]));
    assert_eq!(json["variables"][0]["values"], ",0.1235,0.5,-0.25,1e-7,3");
}

#[test]
fn validation_names_the_problem() {
    let mut bad = grid();
    bad.clusters[2] = 2;
    let message = bad.validate().unwrap_err().to_string();
    assert!(message.contains("cell 2 has cluster id 2"), "{message}");
    let mut bad = grid();
    bad.variables[0].values.pop();
    let message = bad.validate().unwrap_err().to_string();
    assert!(message.contains("variable NDVI: 5 values for 6 cells"), "{message}");
    let mut bad = grid();
    bad.step_lon = 0.0;
    assert!(bad.validate().is_err());
}

#[test]
fn background_is_a_downscaled_jpeg() {
    let jpeg = background_jpeg().unwrap();
    let image = image::load_from_memory_with_format(jpeg, image::ImageFormat::Jpeg).unwrap();
    assert_eq!((image.width(), image.height()), (BACKGROUND_WIDTH, BACKGROUND_HEIGHT));
    assert!(jpeg.len() < BLUE_MARBLE_JPEG.len(), "{} bytes", jpeg.len());
}
