use super::*;

#[test]
fn normals_have_unit_variance() {
    let n = 200_000;
    let v: Vec<f64> = (0..n).map(|k| normal(hash(1, 2, k, 0))).collect();
    let mean = v.iter().sum::<f64>() / n as f64;
    let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
    assert!(mean.abs() < 0.01 && (var - 1.0).abs() < 0.02, "mean {mean} var {var}");
}

#[test]
fn fbm_is_smooth_standardized_and_seeded() {
    let oct = [(1.0, 1.0), (0.25, 0.5)];
    let pts: Vec<(f64, f64)> = (0..400)
        .flat_map(|i| (0..400).map(move |j| (60.0 - i as f64 * 0.3, -170.0 + j as f64 * 0.8)))
        .collect();
    let v: Vec<f64> = pts.iter().map(|&(la, lo)| fbm(5, 3, &oct, la, lo)).collect();
    let var = v.iter().map(|x| x * x).sum::<f64>() / v.len() as f64;
    assert!((var - 1.0).abs() < 0.15, "variance {var}");
    // neighbours 0.02 degree apart are nearly equal; another seed gives other values
    let d = (fbm(5, 3, &oct, 10.0, 20.0) - fbm(5, 3, &oct, 10.0, 20.02)).abs();
    assert!(d < 0.2, "{d}");
    assert_ne!(fbm(5, 3, &oct, 10.0, 20.0), fbm(6, 3, &oct, 10.0, 20.0));
    assert_eq!(fbm(5, 3, &oct, 10.0, 20.0), fbm(5, 3, &oct, 10.0, 20.0));
    // longitude wraps: -180 and 180 are the same place
    assert!((fbm(5, 3, &oct, 10.0, -180.0) - fbm(5, 3, &oct, 10.0, 180.0)).abs() < 1e-12);
}
