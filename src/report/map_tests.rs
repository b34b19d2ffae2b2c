use super::*;

fn grid() -> MapData {
    // 2 x 3 grid of 90 x 120 degree cells; cells listed out of grid order.
    MapData {
        geometry: GridGeometry {
            n_rows: 2,
            n_cols: 3,
            lat0_north: 45.0,
            lon0_west: -120.0,
            step_lat: 90.0,
            step_lon: 120.0,
        },
        cells: vec![(1, 1), (0, 1), (0, 2), (1, 0)],
        clusters: vec![0, 0, 1, 1],
        cluster_colors: vec![[255, 0, 0], [0, 128, 255]],
        cluster_names: vec![],
        variables: vec![MapVariable {
            name: "NDVI".into(),
            units: "1".into(),
            values: vec![1e-7, 0.123456, 0.5, f64::NAN],
        }],
    }
}

#[test]
fn json_is_compact_and_complete() {
    let encoded = grid().encode().unwrap();
    let json: serde_json::Value = serde_json::from_str(&encoded.json).unwrap();
    assert_eq!(json["rows"], 2);
    assert_eq!(
        (json["latNorth"].as_f64(), json["lonWest"].as_f64()),
        (Some(90.0), Some(-180.0))
    );
    assert_eq!(json["colors"], serde_json::json!(["#ff0000", "#0080ff"]));
    assert_eq!(json["names"], serde_json::json!(["Cluster 0", "Cluster 1"]));
    assert_eq!(json["counts"], serde_json::json!([2, 2]));
    assert_eq!(json["variables"][0]["min"].as_f64(), Some(1e-7));
    assert_eq!(json["variables"][0]["max"].as_f64(), Some(0.5));
    assert_eq!(json["hoverCells"], 4);
    assert_eq!(json["hoverStride"], 1);
    assert_eq!(
        json["layer"],
        serde_json::json!({"row0": 0, "col0": 0, "width": 3, "height": 2, "factor": 1})
    );
}

#[test]
fn hover_block_round_trips() {
    let map = grid();
    let encoded = map.encode().unwrap();
    let ranges = [(1e-7, 0.5)];
    let cells = decode_cells_with(&encoded.hover, Some(&ranges)).unwrap();
    // Sorted by grid index: (0,1)=1, (0,2)=2, (1,0)=3, (1,1)=4.
    let index: Vec<u64> = cells.iter().map(|c| c.index).collect();
    assert_eq!(index, vec![1, 2, 3, 4]);
    let clusters: Vec<u8> = cells.iter().map(|c| c.cluster).collect();
    assert_eq!(clusters, vec![0, 1, 1, 0]);
    let expect = [Some(0.123456), Some(0.5), None, Some(1e-7)];
    for (cell, want) in cells.iter().zip(expect) {
        match (cell.values[0], want) {
            (Some(got), Some(want)) => assert!((got - want).abs() <= 0.5 / 65534.0, "{got} vs {want}"),
            (got, want) => assert_eq!(got, want),
        }
    }
    // Long jumps need multi-byte varints; a large grid index survives.
    let mut big = map.clone();
    big.geometry.n_rows = 3600;
    big.geometry.n_cols = 7200;
    big.cells = vec![(0, 0), (0, 1), (1800, 3600), (3599, 7199)];
    let encoded = big.encode().unwrap();
    let index: Vec<u64> = decode_cells(&encoded.hover).unwrap().iter().map(|c| c.index).collect();
    assert_eq!(index, vec![0, 1, 1800 * 7200 + 3600, 3600 * 7200 - 1]);
    assert!(decode_cells(&encoded.hover[..20]).is_err());
}

#[test]
fn layer_is_the_majority_when_downscaled() {
    // 1 x 9000 cells: more than MAX_LAYER_SIZE wide, so 3 cells per layer pixel.
    let n = 9000;
    let map = MapData {
        geometry: GridGeometry::regular(2, n, 0.0, -180.0 + 360.0 / n as f64 / 2.0, 360.0 / n as f64),
        cells: (0..n).map(|c| (1, c)).collect(),
        // Block x of 3 cells holds labels (x % 2, 2, x % 2): its majority is x % 2.
        clusters: (0..n).map(|c| if c % 3 == 1 { 2 } else { (c / 3) % 2 }).collect(),
        cluster_colors: vec![[0; 3]; 3],
        cluster_names: vec![],
        variables: vec![],
    };
    let encoded = map.encode().unwrap();
    let json: serde_json::Value = serde_json::from_str(&encoded.json).unwrap();
    assert_eq!(json["layer"]["factor"], 3);
    assert_eq!(json["layer"]["width"], 3000);
    assert_eq!(json["layer"]["height"], 1);
    let image = image::load_from_memory(&encoded.layer_png).unwrap().to_luma8();
    assert_eq!(image.dimensions(), (3000, 1));
    for x in 0..3000u32 {
        assert_eq!(image.get_pixel(x, 0).0[0], (x % 2) as u8 + 1, "pixel {x}");
    }
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
    assert!(message.contains("variable NDVI: 3 values for 4 cells"), "{message}");
    let mut bad = grid();
    bad.geometry.step_lon = 0.0;
    assert!(bad.validate().is_err());
    let mut bad = grid();
    bad.cells[0] = (2, 0);
    assert!(bad.validate().unwrap_err().to_string().contains("outside the grid"));
    let mut bad = grid();
    bad.cells[0] = (0, 1);
    assert!(bad.encode().err().unwrap().to_string().contains("listed twice"));
}

#[test]
fn background_is_a_downscaled_jpeg() {
    let jpeg = background_jpeg().unwrap();
    let image = image::load_from_memory_with_format(jpeg, image::ImageFormat::Jpeg).unwrap();
    assert_eq!((image.width(), image.height()), (BACKGROUND_WIDTH, BACKGROUND_HEIGHT));
    assert!(jpeg.len() < BLUE_MARBLE_JPEG.len(), "{} bytes", jpeg.len());
}

#[test]
fn varint_lengths() {
    for (v, len) in [(0, 1), (127, 1), (128, 2), (16_383, 2), (16_384, 3), (u64::MAX, 10)] {
        assert_eq!(varint_len(v), len, "{v}");
    }
}
