use super::*;

fn mean_ndvi(demo: &MonthlyDemo, t: usize, keep: impl Fn(usize) -> bool) -> f64 {
    let n = demo.land_percentage.len();
    let values: Vec<f64> = (0..n)
        .filter(|&k| keep(k) && demo.ndvi[t * n + k] != FILL)
        .map(|k| f64::from(demo.ndvi[t * n + k]))
        .collect();
    assert!(!values.is_empty(), "no cell with data in month {t}");
    values.iter().sum::<f64>() / values.len() as f64
}

#[test]
fn phenology_follows_the_hemisphere_and_the_class() {
    let demo = generate(42).unwrap();
    let lat = |k: usize| f64::from(demo.latitude[k]);
    let of = |k: usize, c: LandClass| demo.surface_class[k] == c.code();
    let deciduous_north = |k: usize| of(k, LandClass::DeciduousForest) && lat(k) > 0.0;
    // Northern deciduous forest: green in July, brown (and snowy) in January.
    assert!(mean_ndvi(&demo, 6, deciduous_north) > mean_ndvi(&demo, 0, deciduous_north) + 0.15);
    // Southern savanna peaks half a year after the northern one.
    let savanna_south = |k: usize| of(k, LandClass::Savanna) && lat(k) < 0.0;
    assert!(mean_ndvi(&demo, 2, savanna_south) > mean_ndvi(&demo, 8, savanna_south) + 0.05);
    // Sand deserts have no season beyond noise.
    let desert = |k: usize| of(k, LandClass::SandDesert);
    assert!((mean_ndvi(&demo, 0, desert) - mean_ndvi(&demo, 6, desert)).abs() < 0.01);
}

#[test]
fn polar_night_is_missing_and_summer_is_not() {
    let demo = generate(42).unwrap();
    let n = demo.land_percentage.len();
    let at = |i: usize, j: usize| i * COLS + j;
    // 70.5 N, 100.5 E (Siberian tundra): missing in January, present in July.
    let k = at(19, 280);
    assert_eq!(demo.land_percentage[k], 100.0);
    assert_eq!(demo.ndvi[k], FILL);
    assert_ne!(demo.ndvi[6 * n + k], FILL);
    // Every present value is a valid NDVI, and the DHRs are reflectances.
    for (t, v) in demo.ndvi.iter().enumerate().filter(|(_, v)| **v != FILL) {
        assert!((-1.0..=1.0).contains(v), "NDVI {v} at {t}");
    }
    assert!(
        demo.dhr
            .iter()
            .flatten()
            .all(|&v| v == FILL || (0.0005..=1.0).contains(&v))
    );
}

#[test]
fn same_seed_same_bits() {
    let a = generate(7).unwrap();
    let b = generate(7).unwrap();
    assert_eq!(a.ndvi, b.ndvi);
    assert_eq!(a.dhr, b.dhr);
    assert_ne!(a.ndvi, generate(8).unwrap().ndvi);
}
