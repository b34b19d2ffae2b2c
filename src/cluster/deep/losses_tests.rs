//! Reference values from tests/reference/ref_deep_losses.py (NumPy; scikit-learn for the hard
//! silhouette).
use super::*;
use ndarray::{Array2, array};

fn example() -> (Array2<f64>, Array2<f64>) {
    let z = array![[0.0, 0.0], [1.0, 0.5], [4.0, 4.0], [5.0, 3.5], [0.5, -1.0]];
    let mu = array![[0.5, 0.0], [4.5, 4.0]];
    (z, mu)
}

const Q: [f64; 10] = [
    0.9675324675324676,
    0.032467532467532464,
    0.9444444444444445,
    0.05555555555555556,
    0.04098360655737705,
    0.959016393442623,
    0.04285714285714286,
    0.9571428571428572,
    0.9545454545454545,
    0.04545454545454545,
];
const P: [f64; 10] = [
    0.9983816866370568,
    0.0016183133629431292,
    0.9950438672902935,
    0.0049561327097065585,
    0.001267123919074195,
    0.9987328760809258,
    0.001390880727567604,
    0.9986091192724323,
    0.9967465458394693,
    0.003253454160530714,
];
const KL: f64 = 0.03493682456424567;
const SOFT_SILHOUETTE_Q: f64 = 0.6565044208334441;
const SILHOUETTE_HARD: f64 = 0.783112853284347;

fn close(a: &[f64], b: &[f64], tol: f64) {
    assert_eq!(a.len(), b.len());
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        assert!((x - y).abs() <= tol, "entry {i}: {x} vs {y}");
    }
}

#[test]
fn soft_assignment_target_and_kl_match_numpy() {
    let (z, mu) = example();
    let q = soft_assignment(z.view(), mu.view(), 1.0).unwrap();
    close(q.as_slice().unwrap(), &Q, 1e-14);
    let p = target_distribution(q.view());
    close(p.as_slice().unwrap(), &P, 1e-14);
    assert!((kl_divergence(p.view(), q.view()).unwrap() - KL).abs() < 1e-14);
    // Hand check of the first entry: d^2 = 0.25 and 36.25, kernels 1/1.25 and 1/37.25.
    let (a, b) = (1.0 / 1.25, 1.0 / 37.25);
    assert!((q[[0, 0]] - a / (a + b)).abs() < 1e-15);
}

#[test]
fn soft_silhouette_matches_numpy_and_hard_silhouette() {
    let (z, mu) = example();
    let q = soft_assignment(z.view(), mu.view(), 1.0).unwrap();
    assert!((soft_silhouette(z.view(), q.view()).unwrap() - SOFT_SILHOUETTE_Q).abs() < 1e-12);
    let hard = [0, 0, 1, 1, 0];
    let onehot = Array2::from_shape_fn((5, 2), |(i, c)| f64::from(u8::from(hard[i] == c)));
    assert!((soft_silhouette(z.view(), onehot.view()).unwrap() - SILHOUETTE_HARD).abs() < 1e-12);
    let silhouette = crate::metrics::silhouette(z.view(), &hard).unwrap();
    assert!((silhouette - SILHOUETTE_HARD).abs() < 1e-12, "{silhouette}");
}

#[test]
fn tensor_forms_agree_with_the_definitions() {
    let (z, mu) = example();
    let q = soft_assignment(z.view(), mu.view(), 1.0).unwrap();
    let p = target_distribution(q.view());
    let (kl, _, _) = kl_loss_gradient(z.view(), mu.view(), p.view(), 1.0).unwrap();
    assert!((kl - KL).abs() < 1e-12, "{kl}");
    let (loss, _, _) = soft_silhouette_gradient(z.view(), mu.view(), 1.0).unwrap();
    assert!((loss - (1.0 - SOFT_SILHOUETTE_Q)).abs() < 1e-12, "{loss}");
}

/// Central finite differences of `f` with respect to every entry of `z` and of `mu`.
fn numeric_gradient(
    z: &Array2<f64>,
    mu: &Array2<f64>,
    f: impl Fn(&Array2<f64>, &Array2<f64>) -> f64,
) -> (Array2<f64>, Array2<f64>) {
    let h = 1e-6;
    let mut gz = Array2::zeros(z.dim());
    for idx in ndarray::indices(z.dim()) {
        let (mut up, mut down) = (z.clone(), z.clone());
        up[idx] += h;
        down[idx] -= h;
        gz[idx] = (f(&up, mu) - f(&down, mu)) / (2.0 * h);
    }
    let mut gm = Array2::zeros(mu.dim());
    for idx in ndarray::indices(mu.dim()) {
        let (mut up, mut down) = (mu.clone(), mu.clone());
        up[idx] += h;
        down[idx] -= h;
        gm[idx] = (f(z, &up) - f(z, &down)) / (2.0 * h);
    }
    (gz, gm)
}

fn assert_gradients(analytic: &Array2<f64>, numeric: &Array2<f64>, what: &str) {
    for ((idx, &a), &n) in analytic.indexed_iter().zip(numeric.iter()) {
        assert!(
            (a - n).abs() <= 1e-6 + 1e-5 * n.abs(),
            "{what} {idx:?}: autodiff {a} vs finite difference {n}"
        );
    }
    assert!(analytic.iter().any(|v| v.abs() > 1e-6), "{what}: gradient is all zero");
}

#[test]
fn kl_gradient_matches_finite_differences() {
    let (z, mu) = example();
    // A fixed target (IDEC holds P constant between updates).
    let p = target_distribution(soft_assignment(z.view(), mu.view(), 1.0).unwrap().view());
    let (_, gz, gm) = kl_loss_gradient(z.view(), mu.view(), p.view(), 1.0).unwrap();
    let f = |z: &Array2<f64>, mu: &Array2<f64>| {
        kl_divergence(p.view(), soft_assignment(z.view(), mu.view(), 1.0).unwrap().view()).unwrap()
    };
    let (nz, nm) = numeric_gradient(&z, &mu, f);
    assert_gradients(&gz, &nz, "dKL/dz");
    assert_gradients(&gm, &nm, "dKL/dmu");
}

#[test]
fn soft_silhouette_gradient_matches_finite_differences() {
    let (z, mu) = example();
    let (_, gz, gm) = soft_silhouette_gradient(z.view(), mu.view(), 1.0).unwrap();
    let f = |z: &Array2<f64>, mu: &Array2<f64>| {
        let q = soft_assignment(z.view(), mu.view(), 1.0).unwrap();
        1.0 - soft_silhouette(z.view(), q.view()).unwrap()
    };
    let (nz, nm) = numeric_gradient(&z, &mu, f);
    assert_gradients(&gz, &nz, "d(1-S)/dz");
    assert_gradients(&gm, &nm, "d(1-S)/dmu");
}

#[test]
fn bad_shapes_are_errors() {
    let (z, mu) = example();
    assert!(soft_assignment(z.view(), Array2::<f64>::zeros((2, 3)).view(), 1.0).is_err());
    assert!(kl_divergence(z.view(), mu.view()).is_err());
    assert!(soft_silhouette(z.view(), mu.view()).is_err());
    let one_cluster = Array2::<f64>::ones((5, 1));
    assert!(soft_silhouette(z.view(), one_cluster.view()).is_err());
}
