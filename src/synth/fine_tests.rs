use super::*;

#[test]
fn bilinear_weights_sum_to_one_and_wrap() {
    for &(lat, lon) in &[(0.0, 0.0), (89.9, 179.9), (-89.9, -179.9), (10.25, -179.75)] {
        let w = bilinear(lat, lon);
        let total: f64 = w.iter().map(|x| x.1).sum();
        assert!((total - 1.0).abs() < 1e-12);
        assert!(w.iter().all(|&(k, x)| k < ROWS * COLS && (0.0..=1.0).contains(&x)));
    }
    // at a 1-degree cell centre all weight is on that cell
    let w = bilinear(10.5, 20.5);
    assert_eq!(w[0], (coarse_cell(10.5, 20.5), 1.0));
    assert_eq!(coarse_cell(89.99, -180.0), 0);
    assert_eq!(coarse_cell(-89.99, 179.99), ROWS * COLS - 1);
}

#[test]
fn nearest_fill_reaches_every_cell() {
    let shape = Shape { rows: 3, cols: 5 };
    let mut v = vec![None; 15];
    v[0] = Some(1);
    v[14] = Some(2);
    let f = fill_nearest(shape, &v);
    assert!(f.iter().all(|x| x.is_some()));
    assert_eq!(f[1], Some(1));
    assert_eq!(f[13], Some(2));
    assert_eq!(f[4], Some(1), "column 4 wraps next to column 0");
}

#[test]
fn every_coarse_cell_has_a_class_and_a_zone() {
    let c = Coarse::new().unwrap();
    assert_eq!(c.class.len(), ROWS * COLS);
    assert!(c.koppen.iter().all(|z| (1..=31).contains(z)));
    // Sahara stays sand desert
    assert_eq!(c.class[coarse_cell(23.5, 10.5)], LandClass::SandDesert);
}
