//! Times K-Means on a large matrix written by a script (raw little-endian f64, row-major), with
//! the restart sampling of large fits and, on request, the exact path (every restart on all
//! rows), to compare the inertias with scikit-learn's on the same matrix:
//! `cargo run --release --example kmeans_scale -- FILE D K [exact] [elbow] [seeds=42,1,2]
//! [rows=250000] [refine=2]`.

use std::time::Instant;

use landclust::cluster::kmeans::{KMeansParams, RestartSampling, elbow};
use ndarray::Array2;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (path, d, k) = (&args[1], args[2].parse::<usize>()?, args[3].parse::<usize>()?);
    let bytes = std::fs::read(path)?;
    let values: Vec<f64> = bytes
        .chunks_exact(8)
        .map(|b| f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
        .collect();
    let x = Array2::from_shape_vec((values.len() / d, d), values)?;
    let flags: Vec<&str> = args[4..].iter().map(String::as_str).collect();
    let value = |key: &str| flags.iter().find_map(|f| f.strip_prefix(key));
    let seeds: Vec<u64> = match value("seeds=") {
        Some(list) => list.split(',').map(str::parse).collect::<Result<_, _>>()?,
        None => vec![42],
    };
    let mut sampling = RestartSampling::default();
    if let Some(rows) = value("rows=") {
        sampling.rows = rows.parse()?;
    }
    if let Some(refine) = value("refine=") {
        sampling.refine = refine.parse()?;
    }
    let mut variants = Vec::new();
    for &seed in &seeds {
        variants.push((
            format!("sampled seed {seed}"),
            KMeansParams::new(k).seed(seed).restart_sampling(Some(sampling)),
        ));
        if flags.contains(&"exact") {
            variants.push((
                format!("exact seed {seed}"),
                KMeansParams::new(k).seed(seed).restart_sampling(None),
            ));
        }
    }
    for (name, params) in variants {
        let start = Instant::now();
        let model = params.fit(x.view())?;
        println!(
            "{name}: {:.3} s, inertia {:.4}, n_iter {}, best {}, per init {:?}",
            start.elapsed().as_secs_f64(),
            model.inertia,
            model.n_iter,
            model.best_init,
            model
                .inertia_per_init
                .iter()
                .map(|v| format!("{v:.1}"))
                .collect::<Vec<_>>()
        );
    }
    if flags.contains(&"elbow") {
        let start = Instant::now();
        let curve = elbow(x.view(), 20, &KMeansParams::new(1))?;
        println!(
            "elbow k=1..20: {:.3} s, knee {:?}, wcss {:?}",
            start.elapsed().as_secs_f64(),
            curve.knee,
            curve.wcss.iter().map(|w| format!("{w:.2}")).collect::<Vec<_>>()
        );
    }
    Ok(())
}
