//! Times K-Means (k = 6, n_init = 10) and the elbow (k = 1..=20) on 64,800 x 7 synthetic data
//! (the size of a 1-degree global grid). Optionally writes the data for the scikit-learn run:
//! `cargo run --release --example kmeans_speed -- /tmp/kmeans_speed.f64`
//! (raw little-endian f64, row-major).

use std::time::Instant;

use landclust::cluster::kmeans::{KMeansParams, elbow};
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (n, d) = (64_800, 7);
    let mut rng = ChaCha8Rng::seed_from_u64(2024);
    let centres: Vec<f64> = (0..8 * d).map(|_| rng.random::<f64>() * 6.0).collect();
    let x = Array2::from_shape_fn((n, d), |(i, j)| {
        let g = (i * 7919) % 8;
        let noise: f64 = (0..4).map(|_| rng.random::<f64>()).sum::<f64>() - 2.0;
        centres[g * d + j] + noise
    });
    if let Some(path) = std::env::args().nth(1) {
        let bytes: Vec<u8> = x.iter().flat_map(|v| v.to_le_bytes()).collect();
        std::fs::write(path, bytes)?;
    }
    let start = Instant::now();
    let model = KMeansParams::new(6).n_init(10).seed(0).fit(x.view())?;
    let fit_s = start.elapsed().as_secs_f64();
    println!(
        "kmeans k=6 n_init=10: {fit_s:.3} s, inertia {:.6}, n_iter {}",
        model.inertia, model.n_iter
    );
    let start = Instant::now();
    let curve = elbow(x.view(), 20, &KMeansParams::new(1).n_init(10).seed(0))?;
    let elbow_s = start.elapsed().as_secs_f64();
    println!("elbow k=1..20 n_init=10: {elbow_s:.3} s, knee {:?}", curve.knee);
    println!(
        "wcss {:?}",
        curve.wcss.iter().map(|w| format!("{w:.1}")).collect::<Vec<_>>()
    );
    Ok(())
}
