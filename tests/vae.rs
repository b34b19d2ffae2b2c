//! Tests of the variational autoencoder (src/reduce/vae): autodiff gradients against finite
//! differences, the KL term against its closed form, training on two separated blobs, save/load
//! and seeded reproducibility.

use landclust::reduce::ReduceError;
use landclust::reduce::vae::{
    DenseWeights, Normalization, TrainedVae, Vae, VaeParams, VaeWeights, batch_loss, batch_loss_gradient,
    decoded_distance_profile, grad_norm_grid, kl_divergence,
};
use ndarray::{Array2, ArrayView2, array};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

fn normal_matrix(rows: usize, cols: usize, rng: &mut ChaCha8Rng) -> Array2<f64> {
    Array2::from_shape_fn((rows, cols), |_| StandardNormal.sample(rng))
}

/// Two Gaussian blobs in 7-D (centres -2 and +2 on every axis, unit noise 0.3), z-scored;
/// returns the data and the blob of each row.
fn two_blobs(n: usize, seed: u64) -> (Array2<f64>, Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let labels: Vec<usize> = (0..n).map(|i| i % 2).collect();
    let noise = normal_matrix(n, 7, &mut rng);
    let mut x = Array2::from_shape_fn((n, 7), |(i, j)| {
        let centre = if labels[i] == 0 { -2.0 } else { 2.0 };
        centre * (1.0 + 0.1 * j as f64) + 0.3 * noise[[i, j]]
    });
    for mut col in x.columns_mut() {
        let mean = col.mean().unwrap_or(0.0);
        let std = col.std(0.0);
        col.mapv_inplace(|v| (v - mean) / std);
    }
    (x, labels)
}

fn small_params() -> VaeParams {
    VaeParams::new(2).hidden(16).epochs(30).batch_size(64).seed(11)
}

/// Central finite difference of the f64 loss with respect to one weight.
fn finite_difference(
    weights: &VaeWeights,
    pick: impl Fn(&mut VaeWeights) -> &mut f64,
    x: ArrayView2<f64>,
    eps: ArrayView2<f64>,
    alpha: f64,
) -> f64 {
    let h = 1e-6;
    let mut plus = weights.clone();
    *pick(&mut plus) += h;
    let mut minus = weights.clone();
    *pick(&mut minus) -= h;
    let up = batch_loss(&plus, x, eps, alpha).unwrap().total;
    let down = batch_loss(&minus, x, eps, alpha).unwrap().total;
    (up - down) / (2.0 * h)
}

#[test]
fn autodiff_gradient_matches_finite_differences() {
    // f64 throughout; central differences with h = 1e-6 have error ~1e-9 here, so the relative
    // tolerance 1e-5 (absolute floor 1e-8) only allows rounding, not a wrong derivative.
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let weights = VaeWeights::init(5, 6, 4, 2, &mut rng);
    let x = normal_matrix(9, 5, &mut rng);
    let eps = normal_matrix(9, 2, &mut rng);
    let alpha = 0.05;
    let (loss, grad) = batch_loss_gradient(&weights, x.view(), eps.view(), alpha).unwrap();
    assert!((loss - batch_loss(&weights, x.view(), eps.view(), alpha).unwrap().total).abs() < 1e-12);
    type Pick = (
        Box<dyn Fn(&mut VaeWeights) -> &mut f64>,
        Box<dyn Fn(&VaeWeights) -> f64>,
    );
    let picks: Vec<Pick> = vec![
        (
            Box::new(|w| &mut w.encoder[0].weight[3]),
            Box::new(|g| g.encoder[0].weight[3]),
        ),
        (
            Box::new(|w| &mut w.encoder[2].bias[1]),
            Box::new(|g| g.encoder[2].bias[1]),
        ),
        (
            Box::new(|w| &mut w.mean_head.weight[7]),
            Box::new(|g| g.mean_head.weight[7]),
        ),
        (
            Box::new(|w| &mut w.logvar_head.weight[4]),
            Box::new(|g| g.logvar_head.weight[4]),
        ),
        (
            Box::new(|w| &mut w.logvar_head.bias[0]),
            Box::new(|g| g.logvar_head.bias[0]),
        ),
        (
            Box::new(|w| &mut w.decoder[0].weight[2]),
            Box::new(|g| g.decoder[0].weight[2]),
        ),
        (
            Box::new(|w| &mut w.decoder[3].weight[10]),
            Box::new(|g| g.decoder[3].weight[10]),
        ),
        (
            Box::new(|w| &mut w.decoder[3].bias[4]),
            Box::new(|g| g.decoder[3].bias[4]),
        ),
    ];
    for (i, (pick, read)) in picks.iter().enumerate() {
        let numeric = finite_difference(&weights, pick, x.view(), eps.view(), alpha);
        let analytic = read(&grad);
        let tol = 1e-5 * numeric.abs().max(analytic.abs()) + 1e-8;
        assert!(
            (numeric - analytic).abs() <= tol,
            "weight {i}: autodiff {analytic} vs finite difference {numeric}"
        );
    }
    assert!(grad.layers().all(|l| l.weight.iter().all(|v| v.is_finite())));
}

#[test]
fn kl_term_equals_closed_form() {
    // KL(N(mu, s^2) || N(0, 1)) = 1/2 (mu^2 + s^2 - 1 - ln s^2) per entry, summed.
    let mu = array![[0.0, 1.0], [-2.0, 0.5]];
    let logvar = array![[0.0, 0.0], [1.0_f64.ln(), -1.0]];
    let expected: f64 = mu
        .iter()
        .zip(logvar.iter())
        .map(|(m, l): (&f64, &f64)| 0.5 * (m * m + l.exp() - 1.0 - l))
        .sum();
    // By hand: 0 + 0.5 + 2 + 0.5 * (0.25 + e^-1 - 1 + 1) = 2.5 + 0.125 + 0.18394 = 2.80894
    assert!((expected - 2.808_939_720_585_721).abs() < 1e-12);
    let got = kl_divergence(mu.view(), logvar.view()).unwrap();
    assert!((got - expected).abs() < 1e-12, "KL {got} vs closed form {expected}");
    // The standard normal itself has zero divergence.
    assert_eq!(
        kl_divergence(Array2::zeros((3, 2)).view(), Array2::zeros((3, 2)).view()).unwrap(),
        0.0
    );
    // The loss reports the same KL with alpha weighting.
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let weights = VaeWeights::init(3, 4, 2, 2, &mut rng);
    let x = normal_matrix(4, 3, &mut rng);
    let e = normal_matrix(4, 2, &mut rng);
    let v = batch_loss(&weights, x.view(), e.view(), 0.25).unwrap();
    assert!((v.total - (v.reconstruction + 0.25 * v.kl)).abs() < 1e-12);
    assert!(v.kl >= 0.0);
}

/// Trains once on the blobs; shared by the tests that need a trained model.
fn trained_on_blobs() -> (TrainedVae, Array2<f64>, Vec<usize>) {
    let (x, labels) = two_blobs(2000, 1);
    let trained = Vae::fit(x.view(), &small_params(), None).unwrap();
    (trained, x, labels)
}

/// Fraction of rows whose side of the best single threshold on latent axis `k` matches the blob.
fn best_threshold_accuracy(latent: ArrayView2<f64>, labels: &[usize]) -> f64 {
    let mut best: f64 = 0.0;
    for k in 0..latent.ncols() {
        let mut pairs: Vec<(f64, usize)> = latent.column(k).iter().copied().zip(labels.iter().copied()).collect();
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let n = pairs.len();
        let ones_total = labels.iter().filter(|&&l| l == 1).count();
        let mut ones_below = 0;
        for (i, p) in pairs.iter().enumerate() {
            ones_below += p.1;
            let zeros_below = i + 1 - ones_below;
            let acc = (zeros_below + ones_total - ones_below) as f64 / n as f64;
            best = best.max(acc).max(1.0 - acc);
        }
    }
    best
}

#[test]
fn trains_separates_saves_and_reproduces() {
    let (trained, x, labels) = trained_on_blobs();
    let history = trained.history();
    assert_eq!(history.epochs.len(), 30);
    assert_eq!(history.histograms.len(), 30);
    let last = trained.final_stats().unwrap();
    assert!(last.r2 > 0.95, "final R2 {}", last.r2);
    assert!(last.loss < history.epochs[0].loss, "loss did not decrease");
    // The reported R2 is the R2 of the returned model on the training data.
    assert!((trained.r2(x.view()).unwrap() - last.r2).abs() < 1e-9);
    assert_eq!(history.histograms[0].mu.counts.iter().sum::<u64>(), 2 * 2000);

    // Clusters separate: one threshold on one latent axis splits the blobs exactly.
    let latent = trained.encode_mean(x.view()).unwrap();
    assert_eq!(latent.dim(), (2000, 2));
    assert_eq!(best_threshold_accuracy(latent.view(), &labels), 1.0);

    // Save -> load -> encode gives identical latents and normalization.
    let mut with_norm = trained.clone();
    with_norm
        .set_normalization(Normalization {
            variables: (0..7).map(|i| format!("v{i}")).collect(),
            mean: vec![0.5; 7],
            std: vec![2.0; 7],
        })
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vae.json");
    std::fs::write(&path, with_norm.to_json().unwrap()).unwrap();
    let loaded = TrainedVae::load(&path).unwrap();
    assert_eq!(loaded.weights(), with_norm.weights());
    assert_eq!(loaded.params(), with_norm.params());
    assert_eq!(loaded.normalization(), with_norm.normalization());
    assert_eq!(loaded.history().epochs.len(), 30);
    assert_eq!(loaded.encode_mean(x.view()).unwrap(), latent);

    // Same seed -> bit-identical training.
    let again = Vae::fit(x.view(), &small_params(), None).unwrap();
    assert_eq!(again.weights(), trained.weights());
    assert_eq!(again.encode_mean(x.view()).unwrap(), latent);
    // ... on 1 and 2 threads too (the scoring pass runs beside training on a second thread).
    let on_threads = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| Vae::fit(x.view(), &small_params().epochs(4), None).unwrap())
    };
    let (one, two) = (on_threads(1), on_threads(2));
    assert_eq!(one.weights(), two.weights());
    assert_eq!(one.history(), two.history());
    // A different seed gives different weights.
    let other = Vae::fit(x.view(), &small_params().seed(12).epochs(1), None).unwrap();
    assert_ne!(other.weights(), trained.weights());

    // Latent analyses on the same model.
    let grid = grad_norm_grid(&trained, [-2.0, -2.0], [2.0, 2.0], 5).unwrap();
    assert_eq!(grid.magnitude.dim(), (5, 5));
    assert!(grid.magnitude.iter().all(|v| v.is_finite() && *v >= 0.0));
    check_grad_norm_by_differences(&trained, &grid);
    let zs = array![[0.0, 0.0], [1.0, 0.0], [0.0, 3.0]];
    let profile = decoded_distance_profile(&trained, &[0.0, 0.0], zs.view()).unwrap();
    assert_eq!(profile.len(), 3);
    assert_eq!(profile[0], (0.0, 0.0));
    assert!((profile[2].0 - 3.0).abs() < 1e-12);
}

/// The autodiff gradient of `||decode(z)||` matches a central difference at one grid point.
fn check_grad_norm_by_differences(trained: &TrainedVae, grid: &landclust::reduce::vae::GradNormGrid) {
    let (i, j) = (1, 3);
    let (a, b) = (grid.z1[i], grid.z2[j]);
    let norm = |za: f64, zb: f64| {
        let z = array![[za, zb]];
        trained
            .decode(z.view())
            .unwrap()
            .iter()
            .map(|v| v * v)
            .sum::<f64>()
            .sqrt()
    };
    let h = 1e-2; // f32 network: a coarse step keeps rounding far below the tolerance
    let ga = (norm(a + h, b) - norm(a - h, b)) / (2.0 * h);
    let gb = (norm(a, b + h) - norm(a, b - h)) / (2.0 * h);
    let numeric = (ga * ga + gb * gb).sqrt();
    let analytic = grid.magnitude[[j, i]];
    assert!(
        (numeric - analytic).abs() <= 0.05 * analytic.max(1e-3),
        "grad norm {analytic} vs {numeric}"
    );
}

#[test]
fn rejects_bad_options_and_inputs() {
    let x = Array2::<f64>::zeros((10, 3));
    let bad = [
        VaeParams::new(0),
        VaeParams::new(2).hidden(0),
        VaeParams::new(2).epochs(0),
        VaeParams::new(2).batch_size(0),
        VaeParams::new(2).learning_rate(0.0),
        VaeParams::new(2).learning_rate(f64::NAN),
        VaeParams::new(2).alpha(-1.0),
        VaeParams::new(2).layers(0),
    ];
    for p in bad {
        let err = p.clone().build().unwrap_err();
        assert!(matches!(err, ReduceError::BadVaeOption { .. }), "{p:?}: {err}");
    }
    // Constant data has no variance to explain.
    assert!(matches!(
        Vae::fit(x.view(), &VaeParams::new(2), None),
        Err(ReduceError::VaeInput(_))
    ));
    let mut y = Array2::<f64>::ones((10, 3));
    y[[4, 1]] = f64::NAN;
    let msg = Vae::fit(y.view(), &VaeParams::new(2), None).unwrap_err().to_string();
    assert!(msg.contains("row 4, column 1"), "{msg}");
    assert!(matches!(
        Vae::fit(Array2::<f32>::zeros((1, 3)).view(), &VaeParams::new(2), None),
        Err(ReduceError::VaeInput(_))
    ));
}

#[test]
fn load_rejects_bad_files() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none.json");
    assert!(
        TrainedVae::load(&missing)
            .unwrap_err()
            .to_string()
            .contains("none.json")
    );
    let junk = dir.path().join("junk.json");
    std::fs::write(&junk, b"{\"format\": 3}").unwrap();
    let msg = TrainedVae::load(&junk).unwrap_err().to_string();
    assert!(
        msg.contains("junk.json") && msg.contains("not a landclust VAE file"),
        "{msg}"
    );
    // A layer with the wrong number of weights is caught on load.
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let x = normal_matrix(50, 3, &mut rng);
    let trained = Vae::fit(x.view(), &VaeParams::new(1).hidden(4).epochs(1), None).unwrap();
    let good = dir.path().join("good.json");
    std::fs::write(&good, trained.to_json().unwrap()).unwrap();
    let mut json: serde_json::Value = serde_json::from_slice(&std::fs::read(&good).unwrap()).unwrap();
    json["model"]["weights"]["decoder"][0]["bias"] = serde_json::json!([1.0]);
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, serde_json::to_vec(&json).unwrap()).unwrap();
    let msg = TrainedVae::load(&broken).unwrap_err().to_string();
    assert!(msg.contains("broken.json") && msg.contains("wrong length"), "{msg}");
    // Encoding data of the wrong width is an error, not a panic.
    assert!(matches!(
        trained.encode_mean(Array2::zeros((2, 5)).view()),
        Err(ReduceError::DimensionMismatch { expected: 3, got: 5 })
    ));
    assert!(matches!(
        grad_norm_grid(&trained, [0.0; 2], [1.0; 2], 3),
        Err(ReduceError::LatentDimension { .. })
    ));
    let _ = DenseWeights::init(2, 2, &mut rng);
}

#[test]
fn reads_shipped_mnist_idx_files() {
    use landclust::pipeline::mnist::{IMAGES_PATH, LABELS_PATH, load_mnist, read_idx_labels};
    use std::path::Path;
    let (images, labels) = load_mnist(Path::new(IMAGES_PATH), Path::new(LABELS_PATH)).unwrap();
    assert_eq!((images.n, images.rows, images.cols), (10_000, 28, 28));
    assert_eq!(labels.len(), 10_000);
    // All ten digits occur, each roughly a tenth of the set.
    for d in 0..10u8 {
        let count = labels.iter().filter(|&&l| l == d).count();
        assert!((700..1300).contains(&count), "digit {d}: {count}");
    }
    let x = images.to_unit_matrix();
    assert!(x.iter().all(|v| (0.0..=1.0).contains(v)));
    // The wrong kind of IDX file is named in a one-line error.
    let err = read_idx_labels(Path::new(IMAGES_PATH)).unwrap_err().to_string();
    assert!(err.contains("mnist10k-images") && err.contains("magic"), "{err}");
}
