//! `landclust bench`: times the hot paths on the study's problem size (64,800 points x 7
//! standardized variables), reporting the median of repeated runs. The same matrix can be
//! exported for `tests/reference/bench_reference.py`, which times scikit-learn / fastcluster /
//! PyTorch on it, so the two can be compared side by side on one machine.

use crate::cluster::kmeans::{self, KMeansParams};
use crate::cluster::microward::MicroWardParams;
use crate::cluster::minibatch::MiniBatchKMeansParams;
use crate::cluster::ward::WardParams;
use crate::dataset::{CellTable, Selection};
use crate::error::{Error, Result};
use crate::features::Standardizer;
use crate::metrics;
use crate::pipeline::config::STUDY_VARIABLES;
use ndarray::Array2;
use rand::SeedableRng;
use rand_distr::{Distribution, Normal};
use std::path::Path;
use std::time::Instant;

/// Points in the benchmark matrix: every cell of a 180 x 360 grid, as in the study.
pub const BENCH_POINTS: usize = 64_800;

/// The benchmark matrix: the demo's land cells (z-scored study variables), tiled to 64,800 rows
/// with a small deterministic jitter (sd 0.02) so no two rows coincide.
pub fn bench_matrix(table: &CellTable) -> Result<Array2<f64>> {
    let z = Standardizer::fit(table.values.view(), &table.names)?.transform(table.values.view())?;
    let n = z.nrows();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let noise = Normal::new(0.0, 0.02).map_err(|e| Error::Option {
        option: "bench".into(),
        message: e.to_string(),
    })?;
    Ok(Array2::from_shape_fn((BENCH_POINTS, z.ncols()), |(i, j)| {
        z[[i % n, j]] + if i < n { 0.0 } else { noise.sample(&mut rng) }
    }))
}

fn median_seconds(repeat: usize, mut f: impl FnMut() -> Result<()>) -> Result<f64> {
    let mut times = Vec::with_capacity(repeat);
    for _ in 0..repeat.max(1) {
        let t = Instant::now();
        f()?;
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}

fn wanted(only: Option<&[String]>, name: &str) -> bool {
    only.is_none_or(|o| o.iter().any(|s| s == name))
}

/// The parts `--only` may name, in the order they run.
pub const PARTS: [&str; 9] = [
    "load",
    "kmeans",
    "elbow",
    "silhouette",
    "silhouette-stratified",
    "minibatch",
    "microward",
    "ward",
    "vae",
];

/// Refuse an `--only` list naming a part that does not exist (instead of silently timing nothing).
pub fn check_only(only: Option<&[String]>) -> Result<()> {
    for name in only.unwrap_or(&[]) {
        if !PARTS.contains(&name.as_str()) {
            return Err(crate::pipeline::config::option_error(
                "--only",
                format!("unknown part '{name}'; valid parts: {}", PARTS.join(", ")),
            ));
        }
    }
    Ok(())
}

/// Run the benchmarks and print one line per measurement.
pub fn run_bench(file: Option<&Path>, repeat: usize, only: Option<&[String]>, export: Option<&Path>) -> Result<()> {
    check_only(only)?;
    let tmp = tempdir()?;
    let path = match file {
        Some(p) => p.to_path_buf(),
        None => {
            let p = tmp.join("demo.nc");
            crate::synth::write_demo(&p, &crate::synth::SynthParams::default())?;
            p
        }
    };
    let vars: Vec<String> = STUDY_VARIABLES.iter().map(|s| s.to_string()).collect();
    let selection = Selection::default();
    let load = || -> Result<CellTable> {
        let reader = crate::io::open_input(&path)?;
        Ok(CellTable::read(
            reader.as_ref(),
            &crate::dataset::TableRequest::new(&vars, &selection),
        )?)
    };
    let table = load()?;
    println!(
        "landclust bench: {} threads, median of {repeat}",
        rayon::current_num_threads()
    );
    if wanted(only, "load") {
        let s = median_seconds(repeat, || load().map(|_| ()))?;
        println!(
            "{:<44} {s:>9.4} s",
            format!("load + land selection ({} cells)", table.n_points())
        );
    }
    let x = bench_matrix(&table)?;
    if let Some(p) = export {
        crate::io::tables::write_csv(
            p,
            &STUDY_VARIABLES,
            x.outer_iter().map(|r| r.iter().map(|v| format!("{v:e}")).collect()),
        )?;
        println!("exported the {} x {} matrix to {}", x.nrows(), x.ncols(), p.display());
    }
    let xv = x.view();
    let mut labels = vec![0usize; x.nrows()];
    if wanted(only, "kmeans") {
        let params = KMeansParams::new(6).n_init(10).seed(0).build()?;
        let mut inertia = 0.0;
        let s = median_seconds(repeat, || {
            let m = params.fit(xv)?;
            inertia = m.inertia;
            labels = m.labels;
            Ok(())
        })?;
        println!(
            "{:<44} {s:>9.4} s   inertia {inertia:.6e}",
            "kmeans k=6 n_init=10 (64,800 x 7)"
        );
    }
    if wanted(only, "elbow") {
        let params = KMeansParams::new(1).n_init(10).seed(0);
        let s = median_seconds(repeat, || {
            kmeans::elbow(xv, 20, &params).map(|_| ()).map_err(Error::from)
        })?;
        println!("{:<44} {s:>9.4} s", "elbow k=1..20 n_init=10");
    }
    if wanted(only, "silhouette") {
        if labels.iter().all(|&l| l == 0) {
            labels = KMeansParams::new(6).n_init(1).seed(0).build()?.fit(xv)?.labels;
        }
        let mut value = 0.0;
        let s = median_seconds(repeat, || {
            value = metrics::silhouette(xv, &labels)?;
            Ok(())
        })?;
        println!(
            "{:<44} {s:>9.4} s   silhouette {value:.9}",
            "silhouette exact (64,800 points)"
        );
    }
    if wanted(only, "silhouette-stratified") {
        if labels.iter().all(|&l| l == 0) {
            labels = KMeansParams::new(6).n_init(1).seed(0).build()?.fit(xv)?.labels;
        }
        let mut est = None;
        let s = median_seconds(repeat, || {
            est = Some(metrics::silhouette_stratified(xv, &labels, 10_000, 0)?);
            Ok(())
        })?;
        if let Some(e) = est {
            println!(
                "{:<44} {s:>9.4} s   silhouette {:.6} +- {:.6}",
                "silhouette stratified n_sample=10,000", e.mean, e.std_error
            );
        }
    }
    if wanted(only, "minibatch") {
        let params = MiniBatchKMeansParams::new(6).seed(0).build()?;
        let mut inertia = 0.0;
        let s = median_seconds(repeat, || {
            inertia = params.fit(xv)?.inertia;
            Ok(())
        })?;
        println!(
            "{:<44} {s:>9.4} s   inertia {inertia:.6e}",
            "minibatch kmeans k=6 n_init=10 (64,800 x 7)"
        );
    }
    if wanted(only, "microward") {
        let params = MicroWardParams::new().build()?;
        let mut top = 0.0;
        let s = median_seconds(repeat, || {
            let mw = params.fit(xv)?;
            top = mw.tree.linkage.last().map_or(0.0, |r| r.height);
            Ok(())
        })?;
        println!(
            "{:<44} {s:>9.4} s   top height {top:.9e}",
            "micro-ward m=2000 (64,800 points)"
        );
    }
    if wanted(only, "ward") {
        let mut top = 0.0;
        let s = median_seconds(repeat, || {
            let tree = WardParams::new().build()?.fit(xv)?;
            top = tree.linkage.last().map_or(0.0, |r| r.height);
            Ok(())
        })?;
        println!(
            "{:<44} {s:>9.4} s   top height {top:.9e}",
            "ward linkage (64,800 points)"
        );
    }
    if wanted(only, "vae") {
        bench_vae(xv, repeat)?;
    }
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(())
}

fn bench_vae(x: ndarray::ArrayView2<f64>, repeat: usize) -> Result<()> {
    let settings = crate::pipeline::config::VaeSettings::default();
    let mut r2 = 0.0;
    let s = median_seconds(repeat.min(1), || {
        let outcome = crate::pipeline::run::vae::train_with(&settings, 42, x, 2, false)?;
        r2 = outcome.model.r2(x)?;
        Ok(())
    })?;
    println!(
        "{:<44} {s:>9.4} s   {:.4} s/epoch, R2 {r2:.4}",
        format!(
            "vae latent 2, {} epochs, batch {}",
            settings.epochs, settings.batch_size
        ),
        s / settings.epochs as f64
    );
    Ok(())
}

fn tempdir() -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("landclust-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| Error::File {
        path: dir.clone(),
        message: e.to_string(),
    })?;
    Ok(dir)
}
