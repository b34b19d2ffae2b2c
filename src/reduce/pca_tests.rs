use super::*;
use ndarray::array;

#[test]
fn params_are_validated() {
    assert!(PcaParams::new(0).build().is_err());
    let x = Array2::from_shape_fn((10, 7), |(i, j)| ((i * 7 + j) as f64).sin());
    let err = PcaParams::new(9).build().unwrap().fit(x.view()).unwrap_err();
    assert_eq!(err.to_string(), "--reduce pca:9: the data have only 7 variables");
    let mut bad = x.clone();
    bad[[3, 2]] = f64::NAN;
    assert!(PcaParams::new(2).fit(bad.view()).is_err());
}

#[test]
fn line_in_2d_has_one_component() {
    let x = array![[0.0, 0.0], [1.0, 2.0], [2.0, 4.0], [3.0, 6.0]];
    let pca = PcaParams::new(2).fit(x.view()).unwrap();
    assert!((pca.explained_variance_ratio[0] - 1.0).abs() < 1e-12);
    let w = pca.components.row(0);
    assert!((w[0] - 1.0 / 5f64.sqrt()).abs() < 1e-12 && w[1] > 0.0);
    let one = PcaParams::new(1).fit(x.view()).unwrap();
    let rec = one.reconstruction(x.view()).unwrap();
    assert!(rec.mse < 1e-24 && (rec.r2 - 1.0).abs() < 1e-12);
}

#[test]
fn full_pca_round_trips() {
    let x = Array2::from_shape_fn((50, 4), |(i, j)| ((i * 4 + j) as f64 * 0.37).sin() + j as f64);
    let pca = PcaParams::new(4).fit(x.view()).unwrap();
    let z = pca.transform(x.view()).unwrap();
    let back = pca.inverse_transform(z.view()).unwrap();
    assert!((back - &x).iter().all(|e| e.abs() < 1e-12));
    assert!((pca.explained_variance_ratio.sum() - 1.0).abs() < 1e-12);
    let evr = &pca.explained_variance_ratio;
    assert!(evr.windows(2).into_iter().all(|w| w[0] >= w[1]));
}
