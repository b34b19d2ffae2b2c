use super::*;

#[test]
fn formats_read_back_as_written() {
    for f in [VectorFormat::Auto, VectorFormat::Geojson, VectorFormat::None] {
        assert_eq!(f.to_string().parse::<VectorFormat>().unwrap(), f);
    }
    let err = "shp".parse::<VectorFormat>().unwrap_err().to_string();
    assert!(err.contains("--vector") && err.contains("'shp'"), "{err}");
}

#[test]
fn auto_skips_runs_above_the_limit_with_a_note() {
    let settings = VectorSettings {
        format: VectorFormat::Auto,
        max_cells: 10,
    };
    assert_eq!(size_note(&settings, 10), None);
    let note = size_note(&settings, 11).unwrap();
    assert!(
        note.contains("11 clustered cells") && note.contains("--vector-max-cells 10"),
        "{note}"
    );
    for format in [VectorFormat::Geojson, VectorFormat::None] {
        assert_eq!(size_note(&VectorSettings { format, ..settings }, 11), None);
    }
    assert_eq!(VectorSettings::default().max_cells, VectorSettings::DEFAULT_MAX_CELLS);
}

#[test]
fn missing_cells_have_no_label() {
    assert_eq!(raster_labels(&[0, -1, 3]), vec![0, NO_LABEL, 3]);
}
