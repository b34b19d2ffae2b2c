//! VAE training speed and quality on the demo's land cells (benchmark; compare with
//! tests/reference/torch_vae_bench.py on the same .npy file and the same cores).
//!
//!     cargo run --release --example vae_speed -- [--rows 64800] [--epochs 50] [--latent 2]
//!         [--alpha 1e-4] [--seed 0] [--write-npy PATH] [--demo-only]
//!
//! Data: the 7 study features (DHR443..DHR1020, NDVI) of the synthetic demo's land cells
//! (`LandPercentage == 100`, not missing), resampled with replacement to `--rows` rows (unless
//! `--demo-only`), z-scored per column.

/// The same allocator as the `landclust` binary (see src/main.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use landclust::reduce::vae::{DEFAULT_ALPHA, Vae, VaeParams};
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::Instant;

fn arg<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> T {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The demo's land rows, 7 features.
fn demo_land_rows() -> Result<Vec<[f64; 7]>, Box<dyn std::error::Error>> {
    let demo = landclust::synth::generate(0)?;
    let rows = (0..demo.land_percentage.len())
        .filter(|&k| demo.land_percentage[k] == 100.0 && !demo.missing[k])
        .map(|k| {
            let mut r = [0.0; 7];
            for (b, band) in demo.dhr.iter().enumerate() {
                r[b] = band[k] as f64;
            }
            r[6] = demo.ndvi[k] as f64;
            r
        })
        .collect();
    Ok(rows)
}

fn zscore(mut x: Array2<f64>) -> Array2<f64> {
    for mut col in x.columns_mut() {
        let mean = col.mean().unwrap_or(0.0);
        let std = col.std(0.0).max(f64::MIN_POSITIVE);
        col.mapv_inplace(|v| (v - mean) / std);
    }
    x
}

/// Writes a little-endian float32 `.npy` (format 1.0).
fn write_npy(path: &str, x: &Array2<f64>) -> std::io::Result<()> {
    let mut header = format!(
        "{{'descr': '<f4', 'fortran_order': False, 'shape': ({}, {}), }}",
        x.nrows(),
        x.ncols()
    );
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
    bytes.extend_from_slice(&(header.len() as u16).to_le_bytes());
    bytes.extend_from_slice(header.as_bytes());
    for v in x.iter() {
        bytes.extend_from_slice(&(*v as f32).to_le_bytes());
    }
    std::fs::write(path, bytes)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let epochs: usize = arg(&args, "--epochs", 50);
    let latent: usize = arg(&args, "--latent", 2);
    let alpha: f64 = arg(&args, "--alpha", DEFAULT_ALPHA);
    let seed: u64 = arg(&args, "--seed", 0);
    let land = demo_land_rows()?;
    let demo_only = args.iter().any(|a| a == "--demo-only");
    let rows = if demo_only {
        land.len()
    } else {
        arg(&args, "--rows", 64_800)
    };
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let picks: Vec<usize> = if demo_only {
        (0..rows).collect()
    } else {
        (0..rows).map(|_| rng.random_range(0..land.len())).collect()
    };
    let x = Array2::from_shape_fn((rows, 7), |(i, j)| land[picks[i]][j]);
    let x = zscore(x);
    if let Some(i) = args.iter().position(|a| a == "--write-npy") {
        let path = args.get(i + 1).ok_or("--write-npy needs a path")?;
        write_npy(path, &x)?;
        println!("wrote {path} ({} x 7)", x.nrows());
    }
    let params = VaeParams::new(latent).epochs(epochs).alpha(alpha).seed(seed);
    let start = Instant::now();
    let trained = Vae::fit(x.view(), &params, None)?;
    let elapsed = start.elapsed().as_secs_f64();
    let last = trained.final_stats().ok_or("no epochs")?;
    let eval_start = Instant::now();
    let r2 = trained.r2(x.view())?;
    println!(
        "one scoring pass decode(mu(x)) over all rows: {:.4} s (R2 {r2:.4})",
        eval_start.elapsed().as_secs_f64()
    );
    println!(
        "landclust burn-flex n={} d=7 latent={latent} alpha={alpha:e} epochs={epochs}: {:.4} s/epoch, R2 = {:.4}, |mu| max = {:.2}",
        x.nrows(),
        elapsed / epochs as f64,
        last.r2,
        trained
            .encode_mean(x.view())?
            .iter()
            .fold(0.0_f64, |a, v| a.max(v.abs()))
    );
    Ok(())
}
