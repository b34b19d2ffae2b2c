use super::*;

#[test]
fn chan_merge_matches_one_pass_over_all_values() {
    let all: Vec<f64> = (0..1000).map(|i| ((i * 37) % 101) as f64 * 0.3 + 1e6).collect();
    let mut acc = RunningStats::default();
    for chunk in all.chunks(77) {
        acc.merge(&RunningStats::of(chunk));
    }
    let direct = RunningStats::of(&all);
    assert_eq!(acc.count, 1000);
    assert!((acc.mean - direct.mean).abs() < 1e-9 * direct.mean.abs());
    assert!((acc.std() - direct.std()).abs() < 1e-9 * direct.std());
}

#[test]
fn bands_are_south_edges() {
    assert_eq!(band_of(5.0, 10.0), 0.0);
    assert_eq!(band_of(-0.05, 10.0), -10.0);
    assert_eq!(band_of(89.95, 10.0), 80.0);
    assert_eq!(band_of(-89.95, 10.0), -90.0);
    assert_eq!(band_of(1.3, 2.5), 0.0);
    assert_eq!(band_of(-1.3, 2.5), -2.5);
    assert_eq!(format!("{}", band_of(-0.0001, 0.1)), "-0.1");
}

#[test]
fn column_names_are_spark_safe() {
    assert_eq!(column_name("NDVI"), "NDVI");
    assert_eq!(column_name("AOD565[3]"), "AOD565_3_");
    assert_eq!(column_name("AOD565:mean"), "AOD565_mean");
}

#[test]
fn regular_axes_keep_start_and_step() {
    let lat: Vec<f64> = (0..180).map(|i| 89.5 - i as f64).collect();
    let spec = AxisSpec::of(&lat);
    assert_eq!(
        spec,
        AxisSpec::Regular {
            start: 89.5,
            step: -1.0
        }
    );
    assert_eq!(spec.values(180), lat);
    let odd = vec![1.0, 2.0, 4.0];
    assert_eq!(AxisSpec::of(&odd), AxisSpec::Explicit { values: odd.clone() });
    let json = serde_json::to_string(&spec).unwrap();
    assert_eq!(serde_json::from_str::<AxisSpec>(&json).unwrap(), spec);
}

#[test]
fn row_blocks_stop_at_band_edges_and_block_size() {
    let g = Grid::regular(40, 10, 19.75, -2.25, 0.5);
    let w = Window::full(&g);
    let blocks = row_blocks(&g, &w, 100, 10.0);
    // rows 0..20 are in band 10 (19.75 .. 10.25), rows 20..40 in band 0; 10 rows per block.
    assert_eq!(blocks, vec![0..10, 10..20, 20..30, 30..40]);
    let blocks = row_blocks(&g, &w, 150, 10.0);
    assert_eq!(blocks, vec![0..15, 15..20, 20..35, 35..40]);
}
