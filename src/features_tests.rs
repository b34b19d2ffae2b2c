use super::*;
use ndarray::array;

fn names(d: usize) -> Vec<String> {
    (0..d).map(|j| format!("v{j}")).collect()
}

#[test]
fn standardizes_to_zero_mean_unit_population_std() {
    let x = array![[1.0, 10.0], [2.0, 20.0], [3.0, 40.0], [6.0, 10.0]];
    let (s, z) = Standardizer::fit_transform(x.view(), &names(2)).unwrap();
    assert!((s.mean[0] - 3.0).abs() < 1e-15);
    assert!((s.std[0] - 3.5f64.sqrt()).abs() < 1e-15);
    for col in z.columns() {
        assert!(col.mean().unwrap().abs() < 1e-15);
        assert!((col.mapv(|v| v * v).mean().unwrap() - 1.0).abs() < 1e-14);
    }
    let back = s.inverse_transform(z.view()).unwrap();
    assert!((back - &x).iter().all(|v| v.abs() < 1e-12));
}

#[test]
fn constant_column_is_named() {
    let x = array![[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]];
    let err = Standardizer::fit(x.view(), &["DHR443".into(), "LandPercentage".into()]);
    let msg = err.unwrap_err().to_string();
    assert!(msg.contains("LandPercentage"), "{msg}");
}

#[test]
fn bad_inputs_are_errors() {
    let x = array![[1.0, f64::NAN], [2.0, 3.0]];
    let msg = Standardizer::fit(x.view(), &names(2)).unwrap_err().to_string();
    assert!(msg.contains("v1") && msg.contains("row 0"), "{msg}");
    assert!(Standardizer::fit(x.view(), &names(3)).is_err());
    assert!(Standardizer::fit(array![[1.0, 2.0]].view(), &names(2)).is_err());
    let s = Standardizer::fit(array![[1.0], [2.0]].view(), &names(1)).unwrap();
    assert!(s.transform(array![[1.0, 2.0]].view()).is_err());
}

#[test]
fn correlation_of_linear_columns() {
    let x = array![[1.0, 2.0, 3.0], [2.0, 4.0, 1.0], [3.0, 6.0, 2.0]];
    let r = correlation(x.view());
    assert!((r[[0, 1]] - 1.0).abs() < 1e-15);
    assert!((r[[0, 2]] + 0.5).abs() < 1e-12);
    assert_eq!(r[[1, 0]], r[[0, 1]]);
}
