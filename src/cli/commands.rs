//! The commands that run analyses: turn flags (+ config file) into a [`RunConfig`] and call the
//! pipeline; print a short summary on stdout.

use super::args::{
    AssignArgs, BenchArgs, CompareArgs, DeepMnistArgs, DeepOptions, EncodeArgs, ExportArgs, ImportArgs, MnistArgs,
    OutputArgs, RunArgs, RunOptions, StabilityArgs,
};
use crate::error::Result;
use crate::pipeline::config::{Region, option_error};
use crate::pipeline::{self, RunConfig};
use std::path::Path;

/// The options of a run: the config file's (if any) under the flags.
fn merged(a: &RunArgs) -> Result<RunOptions> {
    let file = a.config.as_deref().map(RunOptions::read_toml).transpose()?;
    Ok(file.unwrap_or_default().overlay(a.options.clone()))
}

/// The typed settings of `options` ([`RunOptions::resolve`]), with series variables expanded
/// against the input file.
fn resolve(options: &RunOptions) -> Result<RunConfig> {
    let mut cfg = options.resolve()?;
    cfg.vars = crate::pipeline::config::expand_series(&cfg.input, std::mem::take(&mut cfg.vars))?;
    Ok(cfg)
}

/// `landclust run`.
pub fn run(a: &RunArgs, progress: bool) -> Result<()> {
    let cfg = resolve(&merged(a)?)?;
    let summary = pipeline::run(&cfg, progress)?;
    let m = &summary.metrics;
    println!(
        "{} cells ({} selected, {} dropped for missing values), {} {} clusters in {}",
        m.n_points, m.n_selected, m.n_dropped, m.k, m.method, m.score_space
    );
    println!(
        "silhouette {:.4}  davies-bouldin {:.4}  calinski-harabasz {:.1}{}",
        m.silhouette,
        m.davies_bouldin,
        m.calinski_harabasz,
        m.inertia.map_or(String::new(), |i| format!("  inertia {i:.2}"))
    );
    for t in &m.truths {
        println!("against {}: ARI {:.4}  NMI {:.4}", t.variable, t.ari, t.nmi);
    }
    println!("wrote {}", summary.out.display());
    Ok(())
}

/// `landclust elbow` sweeps K-Means over k = 1..k-max on the whole selection (and the Gaussian
/// mixture's BIC and AIC with `--method gmm`): another method, a k or a truth would be ignored,
/// so they are refused rather than silently dropped.
fn check_elbow_flags(o: &RunOptions) -> Result<()> {
    let gmm = o.method.as_deref().map(str::trim) == Some("gmm");
    for (flag, given) in [
        ("--method", o.method.is_some() && !gmm),
        ("--k", o.k.is_some()),
        ("--truth", o.truth.is_some()),
    ] {
        if given {
            return Err(option_error(
                flag,
                "not used by `landclust elbow` (it sweeps K-Means over k = 1..--k-max, and the BIC and AIC of --method gmm); use `landclust run`",
            ));
        }
    }
    Ok(())
}

/// `landclust elbow`.
pub fn elbow(a: &RunArgs, progress: bool) -> Result<()> {
    check_elbow_flags(&a.options)?;
    let mut options = merged(a)?;
    options.out.get_or_insert_with(|| "landclust-elbow".into());
    let cfg = resolve(&options)?;
    let (out, sweep) = pipeline::elbow(&cfg, progress)?;
    let criteria = sweep.criteria.as_ref();
    println!(
        "k      WCSS        silhouette{}",
        if criteria.is_some() {
            "           BIC            AIC"
        } else {
            ""
        }
    );
    for (i, k) in sweep.ks.iter().enumerate() {
        let mark = if Some(*k) == sweep.knee { "  <- knee" } else { "" };
        let ic = criteria.map_or(String::new(), |c| format!("  {:>13.1}  {:>13.1}", c.bic[i], c.aic[i]));
        println!(
            "{k:<3} {:>12.2}  {}{ic}{mark}",
            sweep.wcss[i],
            sweep.silhouette[i].map_or("-".to_string(), |s| format!("{s:.4}"))
        );
    }
    println!("wrote {}", out.display());
    Ok(())
}

/// `A..B` (or `A-B`, or one k) as an inclusive range of k.
fn parse_k_range(text: &str) -> Result<(usize, usize)> {
    let bad = || option_error("--k", format!("'{text}': expected a range A..B (e.g. 2..10) or one k"));
    let num = |s: &str| s.trim().parse::<usize>().map_err(|_| bad());
    match text.split_once("..").or_else(|| text.split_once('-')) {
        Some((a, b)) => Ok((num(a)?, num(b.trim_start_matches('='))?)),
        None => num(text).map(|k| (k, k)),
    }
}

/// `landclust stability`.
pub fn stability(a: &StabilityArgs, progress: bool) -> Result<()> {
    let mut options = merged(&a.run)?;
    let (k_min, k_max) = parse_k_range(options.k.take().as_deref().unwrap_or("2..10"))?;
    options.out.get_or_insert_with(|| "landclust-stability".into());
    let cfg = resolve(&options)?;
    let params = pipeline::stability::StabilityParams::new(k_min, k_max)
        .runs(a.runs)
        .subsample(a.subsample)
        .confidence_k(a.confidence_k)
        .build()?;
    let (out, m) = pipeline::commands::stability::run_stability(&cfg, &params, progress)?;
    println!("{} cells, {} in {}; {}", m.n_points, m.method, m.space, m.space_note);
    println!("k   kind        runs  ARI mean  ARI std   ARI min");
    for r in &m.rows {
        println!(
            "{:<3} {:<11} {:>4}  {:>8.4}  {:>7.4}  {:>8.4}",
            r.k,
            r.kind.to_string(),
            r.runs,
            r.ari_mean,
            r.ari_std,
            r.ari_min
        );
    }
    if let Some(k) = m.best_k {
        println!("most stable over subsamples: k = {k}");
    }
    println!(
        "consensus confidence at k = {}: mean {:.4}; {:.1} s",
        m.confidence_k, m.confidence_mean, m.seconds
    );
    println!("wrote {}", out.display());
    Ok(())
}

/// `landclust plot`.
pub fn plot(dir: &Path, progress: bool) -> Result<()> {
    let n = pipeline::commands::replot::replot(dir, progress)?;
    println!("redrew {n} figures and report.html in {}", dir.display());
    Ok(())
}

/// `landclust demo`.
pub fn demo(out: &Path, seed: u64, epochs: Option<usize>, full: bool, progress: bool) -> Result<()> {
    use crate::pipeline::commands::study::{DemoTraining, demo};
    let training = if full { DemoTraining::Full } else { DemoTraining::Quick };
    let report = demo(out, seed, epochs, training, progress)?;
    println!("report: {}", report.display());
    Ok(())
}

/// `landclust bench`.
pub fn bench(a: &BenchArgs) -> Result<()> {
    crate::pipeline::commands::bench::run_bench(a.file.as_deref(), a.repeat, a.only.as_deref(), a.export.as_deref())
}

/// `landclust vae-mnist`.
pub fn vae_mnist(a: &MnistArgs, progress: bool) -> Result<()> {
    let params = crate::reduce::vae::VaeParams::new(2)
        .hidden(a.hidden)
        .epochs(a.epochs)
        .batch_size(a.batch_size)
        .alpha(a.alpha)
        .learning_rate(a.lr)
        .seed(a.seed)
        .build()?;
    let settings = crate::pipeline::mnist::MnistSettings {
        images: a.images.clone(),
        labels: a.labels.clone(),
        limit: a.limit,
        params,
        out: a.out.clone(),
    };
    let (out, s) = crate::pipeline::commands::mnist::run_mnist(&settings, progress)?;
    println!(
        "{} digits, {} epochs in {:.1} s: R2 VAE {:.4} (PCA-2 {:.4})",
        s.n, s.epochs, s.seconds, s.r2_vae, s.r2_pca
    );
    println!(
        "K-Means (k = 10) vs digits: ARI {:.4} on the VAE latent, {:.4} on PC1-PC2",
        s.ari_kmeans_latent, s.ari_kmeans_pca
    );
    println!("wrote {}", out.join("report.html").display());
    Ok(())
}

/// The IDEC/DCSS options of `deep-mnist`: the paper's defaults (embedding 10, architecture
/// 500-500-2000) with the given flags on top.
fn deep_mnist_params(d: &DeepOptions, n_init: usize, seed: u64) -> Result<crate::cluster::deep::DeepParams> {
    use crate::cluster::deep::{DeepParams, Objective};
    let mut p = DeepParams::new(10, Objective::Idec)
        .pretrain_epochs(
            d.pretrain_epochs
                .unwrap_or(crate::pipeline::commands::deep_mnist::DEFAULT_PRETRAIN_EPOCHS),
        )
        .kmeans_n_init(n_init)
        .seed(seed);
    if d.deep_arch.is_some() {
        return Err(option_error(
            "--deep-arch",
            "deep-mnist always uses the paper's 500,500,2000",
        ));
    }
    if let Some(v) = d.deep_latent {
        p = p.latent(v);
    }
    if let Some(v) = d.gamma {
        p = p.gamma(v);
    }
    if let Some(v) = d.tol {
        p = p.tol(v);
    }
    if let Some(v) = d.update_interval {
        p = p.update_interval(v);
    }
    if let Some(v) = d.maxiter {
        p = p.maxiter(v);
    }
    if let Some(v) = d.deep_batch {
        p = p.batch_size(v);
    }
    if let Some(v) = d.deep_lr {
        p = p.pretrain_lr(v).learning_rate(v);
    }
    if let Some(v) = &d.dcss_memberships {
        p = p.membership(crate::pipeline::config::parse_memberships(v)?);
    }
    Ok(p.build()?)
}

/// `landclust deep-mnist`.
pub fn deep_mnist(a: &DeepMnistArgs, progress: bool) -> Result<()> {
    let settings = crate::pipeline::commands::deep_mnist::DeepMnistSettings {
        images: a.images.clone(),
        labels: a.labels.clone(),
        limit: a.limit,
        params: deep_mnist_params(&a.deep, a.n_init, a.seed)?,
        dcss_gamma: a.dcss_gamma,
        out: a.out.clone(),
    };
    let (out, s) = crate::pipeline::commands::deep_mnist::run_deep_mnist(&settings, progress)?;
    println!("{} digits: method, accuracy, NMI, ARI, seconds", s.n);
    for r in &s.results {
        println!(
            "{:<14} {:.4}  {:.4}  {:.4}  {:.1}",
            r.method, r.accuracy, r.nmi, r.ari, r.seconds
        );
    }
    println!("wrote {}", out.join("results.csv").display());
    Ok(())
}

/// `landclust encode`.
pub fn encode(a: &EncodeArgs) -> Result<()> {
    let select = a
        .select
        .parse()
        .map_err(|e: crate::dataset::DatasetError| option_error("--select", e.to_string()))?;
    let settings = crate::pipeline::commands::encode::EncodeSettings {
        input: a.file.clone(),
        model: a.model.clone(),
        select,
        out: a.out.clone(),
    };
    let s = crate::pipeline::commands::encode::encode_file(&settings)?;
    println!(
        "encoded {} cells into {} latent dimensions ({} selected, {} dropped for missing values)",
        s.n_encoded, s.latent_dim, s.n_selected, s.n_dropped
    );
    println!(
        "wrote {} and {}",
        s.out.join("latent.csv").display(),
        s.out.join("latent.nc").display()
    );
    Ok(())
}

fn parse_select(text: &str) -> Result<crate::dataset::Selection> {
    text.parse()
        .map_err(|e: crate::dataset::DatasetError| option_error("--select", e.to_string()))
}

fn parse_region(text: Option<&str>) -> Result<Option<Region>> {
    text.map(str::parse).transpose()
}

/// `landclust export`.
pub fn export(a: &ExportArgs, progress: bool) -> Result<()> {
    let vars = match &a.vars {
        Some(v) => match a.files.first() {
            Some(first) => crate::pipeline::config::expand_series(first, crate::pipeline::config::canonical_vars(v)?)?,
            None => crate::pipeline::config::canonical_vars(v)?,
        },
        None => crate::pipeline::STUDY_VARIABLES.iter().map(|s| s.to_string()).collect(),
    };
    let settings = crate::pipeline::export::ExportSettings {
        inputs: a.files.clone(),
        vars,
        select: parse_select(&a.select)?,
        region: parse_region(a.region.as_deref())?,
        band_deg: a.band,
        out: a.out.clone(),
        block_cells: crate::dataset::BLOCK_CELLS,
    };
    let s = crate::pipeline::commands::export::export_cells(&settings, progress)?;
    let c = &s.sidecar;
    println!(
        "exported {} cells ({} selected, {} dropped for missing values) x {} variables into {} files",
        c.n_cells,
        c.n_selected,
        c.n_dropped,
        c.columns.len(),
        c.files.len()
    );
    println!("wrote {}", s.out.display());
    Ok(())
}

fn output_settings(o: &OutputArgs) -> crate::pipeline::commands::import::OutputSettings {
    let mut scale = crate::pipeline::config::ScaleSettings::default();
    if let Some(v) = o.silhouette_exact_max {
        scale.silhouette_exact_max = v;
    }
    if let Some(v) = o.silhouette_sample {
        scale.silhouette_sample = v;
    }
    crate::pipeline::commands::import::OutputSettings {
        out: o.out.clone(),
        figures: !o.no_figures,
        seed: o.seed,
        scale,
    }
}

fn print_imported(m: &crate::pipeline::run::outputs::RunMetrics, out: &Path) {
    println!(
        "{} cells, {} clusters: silhouette {:.4}  davies-bouldin {:.6}  calinski-harabasz {:.3}{}",
        m.n_points,
        m.k,
        m.silhouette,
        m.davies_bouldin,
        m.calinski_harabasz,
        m.inertia.map_or(String::new(), |i| format!("  inertia {i:.2}"))
    );
    println!("wrote {}", out.display());
}

/// `landclust import`.
pub fn import(a: &ImportArgs) -> Result<()> {
    let s = crate::pipeline::commands::import::import(&a.labels, &a.export, &output_settings(&a.output))?;
    print_imported(&s.metrics, &s.out);
    Ok(())
}

/// `landclust assign`.
pub fn assign(a: &AssignArgs, progress: bool) -> Result<()> {
    let select = a.select.as_deref().map(parse_select).transpose()?;
    let s = crate::pipeline::commands::import::assign(
        &a.file,
        &a.centers,
        select,
        parse_region(a.region.as_deref())?,
        &output_settings(&a.output),
        progress,
    )?;
    print_imported(&s.metrics, &s.out);
    Ok(())
}

/// `landclust compare`.
pub fn compare(a: &CompareArgs) -> Result<()> {
    use crate::pipeline::commands::compare_runs::{CompareSettings, Regrid, compare_runs};
    let settings = CompareSettings {
        run_a: a.run_a.clone(),
        run_b: a.run_b.clone(),
        out: a.out.clone(),
        regrid: a.regrid.as_deref().map(str::parse::<Regrid>).transpose()?,
    };
    let s = compare_runs(&settings)?;
    let (c, t) = (&s.comparison, &s.comparison.totals);
    println!("A: {}\nB: {}", s.a.label(), s.b.label());
    if let Some(r) = &s.regrid {
        println!(
            "run {} regridded by majority from {} onto {}",
            r.regridded.to_uppercase(),
            r.from_grid,
            r.onto_grid
        );
    }
    println!(
        "{} cells in both ({:.1} km2; {} only in A, {} only in B): ARI {:.4}  NMI {:.4}  V-measure {:.4}",
        t.shared_cells, t.shared_km2, t.only_a_cells, t.only_b_cells, c.scores.ari, c.scores.nmi, c.scores.v_measure
    );
    println!(
        "same matched type on {:.2} % of the area; {} cells changed type",
        100.0 * t.agreement_share,
        t.changed_cells
    );
    println!("wrote {}", s.out.display());
    Ok(())
}
