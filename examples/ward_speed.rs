//! Timing of exact Ward clustering and silhouette on a big matrix (a benchmark, not a test).
//!
//! `cargo run --release --example ward_speed -- X.npy [LABELS.npy] [ward|silhouette|all]`
//! X.npy: little-endian f64 C-order (n x d); LABELS.npy: little-endian i64 (n). Compare with
//! `tests/reference/bench_reference.py X.npy LABELS.npy` on the same files.

use landclust::cluster::ward::WardParams;
use landclust::metrics::silhouette;
use ndarray::Array2;
use std::time::Instant;

/// Read a version-1 .npy of dtype `<f8` or `<i8`: (shape, raw 8-byte words).
fn read_npy(path: &str) -> Result<(Vec<usize>, Vec<[u8; 8]>), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    if bytes.len() < 10 || &bytes[..6] != b"\x93NUMPY" {
        return Err(format!("{path}: not a .npy file"));
    }
    let hlen = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
    let header = String::from_utf8_lossy(&bytes[10..10 + hlen]).to_string();
    if !(header.contains("'<f8'") || header.contains("'<i8'")) || header.contains("'fortran_order': True") {
        return Err(format!("{path}: need C-order <f8 or <i8, header {header}"));
    }
    let shape_txt = header
        .split("'shape': (")
        .nth(1)
        .and_then(|s| s.split(')').next())
        .unwrap_or("");
    let shape: Vec<usize> = shape_txt.split(',').filter_map(|t| t.trim().parse().ok()).collect();
    let words = bytes[10 + hlen..]
        .chunks_exact(8)
        .map(|c| c.try_into().unwrap_or([0; 8]))
        .collect();
    Ok((shape, words))
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let x_path = args
        .get(1)
        .ok_or("usage: ward_speed X.npy [LABELS.npy] [ward|silhouette|all]")?;
    let (shape, words) = read_npy(x_path)?;
    let (n, d) = (shape[0], *shape.get(1).unwrap_or(&1));
    let x = Array2::from_shape_vec((n, d), words.iter().map(|w| f64::from_le_bytes(*w)).collect())
        .map_err(|e| e.to_string())?;
    let what = args.get(3).map_or("all", |s| s.as_str());
    println!("data {n} x {d}, rayon threads {}", rayon::current_num_threads());
    if what == "all" || what == "ward" {
        let t = Instant::now();
        let tree = WardParams::new().fit(x.view()).map_err(|e| e.to_string())?;
        let secs = t.elapsed().as_secs_f64();
        let top = &tree.linkage[n - 2];
        println!(
            "ward: {secs:.3} s  (top height {:.6}, nn searches {}, blocks scanned {}, pruned {})",
            top.height, tree.nn_searches, tree.blocks_scanned, tree.blocks_pruned
        );
        let last: Vec<String> = tree.linkage[n - 6..]
            .iter()
            .map(|r| format!("{:.9}", r.height))
            .collect();
        println!("ward last 5 heights: {}", last.join(" "));
    }
    if let Some(lp) = args.get(2).filter(|_| what == "all" || what == "silhouette") {
        let (_, lw) = read_npy(lp)?;
        let labels: Vec<usize> = lw.iter().map(|w| i64::from_le_bytes(*w) as usize).collect();
        let t = Instant::now();
        let s = silhouette(x.view(), &labels).map_err(|e| e.to_string())?;
        println!("silhouette: {:.3} s  (score {s:.12})", t.elapsed().as_secs_f64());
    }
    Ok(())
}
