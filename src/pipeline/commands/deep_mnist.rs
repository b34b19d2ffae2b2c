//! `landclust deep-mnist`: the deep clustering methods on the MNIST digits,
//! as the study checked its VAE: K-Means on the pixels, K-Means on the pretrained autoencoder
//! embedding, IDEC and DCSS (one shared pretraining), each scored against the digit labels by
//! clustering accuracy (best one-to-one matching, Hungarian), NMI and ARI, with its run time.
//! Writes `results.csv`, `results.json` and `updates.csv` (the joint-training history) into the
//! output folder atomically.

use crate::cluster::deep::{Architecture, DeepFit, DeepParams, Objective};
use crate::cluster::kmeans::KMeansParams;
use crate::cluster::labels::matched_agreement;
use crate::error::Result;
use crate::metrics::{adjusted_rand_index, normalized_mutual_info};
use crate::pipeline::outdir::{MARKER, StagedDir};
use serde::Serialize;
use std::path::PathBuf;
use std::time::Instant;

/// Default pretraining epochs. The reference code pretrains 200 epochs on 70,000 digits; one
/// epoch of `784-500-500-2000-10` over 10,000 digits takes several seconds on one core, so the
/// default is a budget (about 40 x 40 = 1,600 Adam steps of 256 rows) rather than the paper's.
pub const DEFAULT_PRETRAIN_EPOCHS: usize = 40;

/// Settings of `landclust deep-mnist`.
#[derive(Debug, Clone)]
pub struct DeepMnistSettings {
    /// IDX image file; the embedded digits when `None`.
    pub images: Option<PathBuf>,
    /// IDX label file (needed with `images`).
    pub labels: Option<PathBuf>,
    /// Use only the first `limit` images.
    pub limit: Option<usize>,
    /// IDEC options (architecture, pretraining, gamma, schedule, seed); DCSS uses the same with
    /// its own objective and `dcss_gamma`.
    pub params: DeepParams,
    /// Weight of DCSS's `1 - S` term.
    pub dcss_gamma: f64,
    pub out: PathBuf,
}

/// One row of the table.
#[derive(Debug, Clone, Serialize)]
pub struct MethodScore {
    pub method: String,
    /// Clustering accuracy: fraction of digits whose cluster maps to their label under the best
    /// one-to-one matching (Hungarian).
    pub accuracy: f64,
    pub nmi: f64,
    pub ari: f64,
    /// Wall-clock seconds (deep methods include the shared pretraining).
    pub seconds: f64,
    /// Joint-training iterations (deep methods).
    pub iterations: Option<usize>,
}

/// A published figure (MNIST, 70,000 digits) for the side-by-side table.
#[derive(Debug, Clone, Serialize)]
pub struct Published {
    pub method: &'static str,
    pub accuracy: Option<f64>,
    pub nmi: Option<f64>,
    pub source: &'static str,
}

/// Guo et al. 2017, IJCAI, table 2 (MNIST, 70,000 digits).
pub const PUBLISHED: [Published; 4] = [
    Published {
        method: "kmeans-pixels",
        accuracy: Some(0.5323),
        nmi: Some(0.4998),
        source: "IDEC paper, table 2",
    },
    Published {
        method: "kmeans-ae",
        accuracy: Some(0.8184),
        nmi: Some(0.7473),
        source: "IDEC paper, table 2",
    },
    Published {
        method: "idec",
        accuracy: Some(0.8806),
        nmi: Some(0.8672),
        source: "IDEC paper, table 2",
    },
    Published {
        method: "dcss",
        accuracy: None,
        nmi: None,
        source: "Vardakas et al. 2024: figures not retrieved here",
    },
];

/// `results.json`.
#[derive(Debug, Clone, Serialize)]
pub struct DeepMnistSummary {
    pub command: &'static str,
    pub landclust_version: &'static str,
    pub n: usize,
    pub params: DeepParams,
    pub dcss_gamma: f64,
    pub results: Vec<MethodScore>,
    pub published: Vec<Published>,
}

fn score(
    method: &str,
    labels: &[usize],
    digits: &[usize],
    seconds: f64,
    iterations: Option<usize>,
) -> Result<MethodScore> {
    Ok(MethodScore {
        method: method.into(),
        accuracy: matched_agreement(digits, labels)?,
        nmi: normalized_mutual_info(digits, labels)?,
        ari: adjusted_rand_index(digits, labels)?,
        seconds,
        iterations,
    })
}

fn bar(progress: bool, what: &str) -> Option<crate::progress::Task> {
    crate::progress::bar(progress, what, 1)
}

fn deep_rows(fit: &DeepFit) -> impl Iterator<Item = Vec<String>> + '_ {
    fit.history.updates.iter().map(move |u| {
        vec![
            fit.objective.to_string(),
            u.iteration.to_string(),
            u.label_change.to_string(),
            u.loss.to_string(),
            u.reconstruction.to_string(),
            u.clustering.to_string(),
        ]
    })
}

/// Runs the four methods and writes the output folder; returns it and the summary.
pub fn run_deep_mnist(settings: &DeepMnistSettings, progress: bool) -> Result<(PathBuf, DeepMnistSummary)> {
    let started = Instant::now();
    let stage = StagedDir::new(&settings.out)?;
    let data = super::mnist::load(&super::mnist::MnistSettings {
        images: settings.images.clone(),
        labels: settings.labels.clone(),
        limit: settings.limit,
        params: crate::reduce::vae::VaeParams::default(),
        out: settings.out.clone(),
    })?;
    let x = data.images.to_unit_matrix();
    let digits: Vec<usize> = data.labels.iter().map(|&l| l as usize).collect();
    let params = settings
        .params
        .clone()
        .k(10)
        .architecture(Architecture::Paper)
        .build()?;
    let mut results = Vec::new();

    let t = Instant::now();
    let spinner = crate::progress::spinner(progress, "K-Means on the pixels");
    let pixels = KMeansParams::new(10)
        .n_init(params.n_init())
        .seed(params.rng_seed())
        .build()?
        .fit(x.view())?;
    crate::progress::done(spinner);
    results.push(score(
        "kmeans-pixels",
        &pixels.labels,
        &digits,
        t.elapsed().as_secs_f64(),
        None,
    )?);

    let pre_bar = bar(progress, "pretrain AE");
    let pretrained = params.pretrain(x.view(), pre_bar.as_ref())?;
    crate::progress::done(pre_bar);
    results.push(score(
        "kmeans-ae",
        &pretrained.initial_labels,
        &digits,
        pretrained.seconds,
        None,
    )?);

    let mut updates = Vec::new();
    for (objective, gamma) in [
        (Objective::Idec, params.clustering_weight()),
        (Objective::Dcss, settings.dcss_gamma),
    ] {
        let p = params.clone().objective(objective).gamma(gamma).build()?;
        let joint_bar = bar(progress, &format!("{objective} joint training"));
        let fit = p.fit_pretrained(x.view(), &pretrained, joint_bar.as_ref())?;
        crate::progress::done(joint_bar);
        results.push(score(
            &objective.to_string(),
            &fit.labels,
            &digits,
            fit.seconds,
            Some(fit.history.iterations),
        )?);
        updates.extend(deep_rows(&fit));
    }

    let summary = DeepMnistSummary {
        command: "deep-mnist",
        landclust_version: env!("CARGO_PKG_VERSION"),
        n: digits.len(),
        params,
        dcss_gamma: settings.dcss_gamma,
        results,
        published: PUBLISHED.to_vec(),
    };
    let table = summary.results.iter().map(|r| {
        vec![
            r.method.clone(),
            format!("{:.4}", r.accuracy),
            format!("{:.4}", r.nmi),
            format!("{:.4}", r.ari),
            format!("{:.1}", r.seconds),
            r.iterations.map_or_else(String::new, |i| i.to_string()),
        ]
    });
    crate::io::tables::write_csv(
        &stage.join("results.csv"),
        &["method", "accuracy", "nmi", "ari", "seconds", "iterations"],
        table,
    )?;
    crate::io::tables::write_csv(
        &stage.join("updates.csv"),
        &[
            "method",
            "iteration",
            "label_change",
            "loss",
            "reconstruction",
            "clustering",
        ],
        updates,
    )?;
    crate::io::tables::write_json(&stage.join("results.json"), &summary)?;
    crate::io::tables::write_json(
        &stage.join(MARKER),
        &serde_json::json!({
            "command": "deep-mnist", "results": "results.json",
            "seconds": started.elapsed().as_secs_f64(),
        }),
    )?;
    Ok((stage.commit()?, summary))
}
