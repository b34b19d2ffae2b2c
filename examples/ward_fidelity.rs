//! How far micro-cluster Ward can agree with exact Ward on the synth files, and how stable
//! exact Ward's own cut is (a measurement, not a test).
//!
//! `cargo run --release --example ward_fidelity -- FILE [K] [REPEATS]`
//!
//! On the z-scores of the study's seven variables over the land cells of FILE (a `landclust
//! synth` file), it cuts exact Ward at K (default 6) and prints, as a Markdown table:
//! - exact Ward on the data with 1 % and 0.1 % Gaussian noise added (standard deviation 0.01
//!   and 0.001 in z-units, i.e. of each variable's standard deviation; REPEATS draws, default
//!   5): the ARI of each perturbed cut against the unperturbed one. This is the agreement that
//!   exact Ward itself guarantees under a perturbation far below the data's measurement error;
//! - micro-cluster Ward with m = 2000, 8000 and 32000 micro-clusters (where m < n/4) and with
//!   three seeds at m = 2000: the ARI against exact Ward;
//! - K-Means (k = K, 10 restarts) against exact Ward, for scale.
//!
//! The results and the command are recorded in docs/benchmarks.md.

use landclust::cluster::kmeans::KMeansParams;
use landclust::cluster::microward::MicroWardParams;
use landclust::cluster::ward::WardParams;
use landclust::metrics::adjusted_rand_index;
use landclust::pipeline::config::RunConfig;
use landclust::pipeline::run::analysis::prepare;
use ndarray::Array2;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use std::time::Instant;

fn exact_cut(x: &Array2<f64>, k: usize) -> Result<Vec<usize>, String> {
    WardParams::new()
        .fit(x.view())
        .and_then(|t| t.cut(k))
        .map_err(|e| e.to_string())
}

fn ari(a: &[usize], b: &[usize]) -> Result<f64, String> {
    adjusted_rand_index(a, b).map_err(|e| e.to_string())
}

fn summary(values: &[f64]) -> String {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    format!("{mean:.3} (min {min:.3}, max {max:.3}, {} draws)", values.len())
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let file = args.get(1).ok_or("usage: ward_fidelity FILE [K] [REPEATS]")?;
    let k: usize = args
        .get(2)
        .map_or(Ok(6), |s| s.parse())
        .map_err(|e| format!("K: {e}"))?;
    let repeats: usize = args
        .get(3)
        .map_or(Ok(5), |s| s.parse())
        .map_err(|e| format!("REPEATS: {e}"))?;
    let prepared = prepare(&RunConfig::new(file)).map_err(|e| e.to_string())?;
    let z = prepared.z;
    let (n, d) = z.dim();
    eprintln!("{file}: {n} cells x {d} variables, k = {k}");

    let t = Instant::now();
    let exact = exact_cut(&z, k)?;
    let exact_s = t.elapsed().as_secs_f64();
    println!("| {file} ({n} cells), k = {k} | ARI against exact Ward |");
    println!("|---|---|");
    println!("| exact Ward ({exact_s:.1} s) | 1 |");

    for (label, sd) in [("1 %", 0.01), ("0.1 %", 0.001)] {
        let mut aris = Vec::with_capacity(repeats);
        for draw in 0..repeats {
            let mut rng = ChaCha8Rng::seed_from_u64(1000 + draw as u64);
            let noisy = z.mapv(|v| {
                let e: f64 = StandardNormal.sample(&mut rng);
                v + sd * e
            });
            aris.push(ari(&exact_cut(&noisy, k)?, &exact)?);
            eprintln!("  noise {label}, draw {draw}: ARI {:.4}", aris[draw]);
        }
        println!(
            "| exact Ward on the data + {label} Gaussian noise | {} |",
            summary(&aris)
        );
    }

    for m in [2000usize, 8000, 32000] {
        if m * 4 > n {
            continue;
        }
        let t = Instant::now();
        let mw = MicroWardParams::new()
            .micro(m)
            .fit(z.view())
            .map_err(|e| e.to_string())?;
        let labels = mw.cut(k).map_err(|e| e.to_string())?;
        println!(
            "| micro-cluster Ward, m = {m}, seed 42 ({:.1} s) | {:.3} |",
            t.elapsed().as_secs_f64(),
            ari(&labels, &exact)?
        );
    }
    let mut seeds = Vec::new();
    for seed in 1..=3u64 {
        let mw = MicroWardParams::new()
            .seed(seed)
            .fit(z.view())
            .map_err(|e| e.to_string())?;
        seeds.push(ari(&mw.cut(k).map_err(|e| e.to_string())?, &exact)?);
    }
    println!("| micro-cluster Ward, m = 2000, seeds 1-3 | {} |", summary(&seeds));

    let km = KMeansParams::new(k)
        .seed(42)
        .build()
        .and_then(|p| p.fit(z.view()))
        .map_err(|e| e.to_string())?;
    let km_labels = km.predict(z.view()).map_err(|e| e.to_string())?;
    println!("| K-Means, 10 restarts | {:.3} |", ari(&km_labels, &exact)?);
    Ok(())
}
