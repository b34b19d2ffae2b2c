//! `landclust vae-mnist`: the study's MNIST check of the VAE (section 3.3.1, figures 16-18)
//! written as an output folder: the latent means and the first two principal components
//! coloured by digit, the decoded chosen point, `training.csv`, `mnist.json` and `report.html`.

mod check;

pub use check::*;

use crate::error::Result;
use crate::pipeline::outdir::{MARKER, StagedDir};
use crate::pipeline::run::figures::section;
use crate::plot;
use crate::reduce::vae::VaeParams;
use crate::report::{Figure, Report, Section, Table};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Default epochs: on 2 cores 30 epochs take about 30 s and reach the best K-Means ARI on the
/// latent (0.37 against 0.24 on PC1-PC2 with the other defaults; 50 epochs: 0.37, R2 +0.02).
pub const DEFAULT_EPOCHS: usize = 30;
/// Default width of the hidden layers. The study gives 38 only for its 7-variable data; 784
/// pixels need a wider network (256 is twice as slow for no better ARI).
pub const DEFAULT_HIDDEN: usize = 128;
/// Default mini-batch: smaller than the land runs' 256 so 10,000 images give enough Adam steps.
pub const DEFAULT_BATCH: usize = 64;
/// Default KL weight. The reconstruction term is a mean over 784 pixels, so the land runs'
/// 1e-4 squeezes the digits onto one curve (ARI 0.10); 1e-5 gives the study's overlapping but
/// ordered clusters (fig. 16: "a high value of alpha, leading to some overlaps").
pub const DEFAULT_ALPHA: f64 = 1e-5;

/// Settings of `landclust vae-mnist`.
#[derive(Debug, Clone)]
pub struct MnistSettings {
    /// IDX image file; the embedded digits when `None`.
    pub images: Option<PathBuf>,
    /// IDX label file (needed with `images`).
    pub labels: Option<PathBuf>,
    /// Use only the first `limit` images.
    pub limit: Option<usize>,
    pub params: VaeParams,
    pub out: PathBuf,
}

/// `mnist.json`: what was run and how well it did.
#[derive(Debug, Clone, Serialize)]
pub struct MnistSummary {
    pub command: &'static str,
    pub landclust_version: &'static str,
    pub images: String,
    pub n: usize,
    pub epochs: usize,
    pub hidden: usize,
    pub batch_size: usize,
    pub alpha: f64,
    pub learning_rate: f64,
    pub seed: u64,
    /// Seconds of VAE training.
    pub seconds: f64,
    pub r2_vae: f64,
    pub r2_pca: f64,
    pub ari_kmeans_latent: f64,
    pub ari_kmeans_pca: f64,
    pub chosen_point: [f64; 2],
}

impl MnistSummary {
    fn new(settings: &MnistSettings, result: &MnistResult) -> Self {
        let p = &settings.params;
        MnistSummary {
            command: "vae-mnist",
            landclust_version: env!("CARGO_PKG_VERSION"),
            images: settings.images.as_ref().map_or_else(
                || "embedded MNIST (10,000 test digits)".into(),
                |p| p.display().to_string(),
            ),
            n: result.labels.len(),
            epochs: p.n_epochs(),
            hidden: p.hidden_dim(),
            batch_size: p.batch(),
            alpha: p.kl_weight(),
            learning_rate: p.lr(),
            seed: p.rng_seed(),
            seconds: result.train_seconds,
            r2_vae: result.r2_vae,
            r2_pca: result.r2_pca,
            ari_kmeans_latent: result.ari_kmeans_latent,
            ari_kmeans_pca: result.ari_kmeans_pca,
            chosen_point: result.chosen_point,
        }
    }
}

/// The digits the settings name (files or the embedded set), cut to `limit`.
pub fn load(settings: &MnistSettings) -> Result<MnistData> {
    let data = match (&settings.images, &settings.labels) {
        (None, None) => embedded_mnist()?,
        (Some(images), Some(labels)) => MnistData::load(images, labels)?,
        (Some(_), None) => {
            return Err(crate::pipeline::config::option_error(
                "--labels",
                "needed with --images",
            ));
        }
        (None, Some(_)) => {
            return Err(crate::pipeline::config::option_error(
                "--images",
                "needed with --labels",
            ));
        }
    };
    Ok(match settings.limit {
        Some(n) => data.head(n),
        None => data,
    })
}

/// Train with a progress bar on stderr when `progress`.
pub fn train(data: &MnistData, params: &VaeParams, progress: bool) -> Result<MnistResult> {
    let bar = crate::progress::bar(progress, "VAE on MNIST epochs", params.n_epochs() as u64);
    let result = vae_mnist(data, params, bar.as_ref())?;
    crate::progress::done(bar);
    Ok(result)
}

/// Run `vae-mnist` and write its output folder atomically; returns the folder and the summary.
pub fn run_mnist(settings: &MnistSettings, progress: bool) -> Result<(PathBuf, MnistSummary)> {
    let started = Instant::now();
    let stage = StagedDir::new(&settings.out)?;
    let data = load(settings)?;
    let result = train(&data, &settings.params, progress)?;
    let (summary, figures) = write_outputs(stage.path(), settings, &result)?;
    // metrics.json marks the folder as landclust output, so a rerun may replace it.
    crate::io::tables::write_json(
        &stage.join(MARKER),
        &serde_json::json!({
            "command": "vae-mnist", "results": "mnist.json",
            "seconds": started.elapsed().as_secs_f64(),
        }),
    )?;
    let mut report = Report::new("landclust vae-mnist: the VAE on MNIST digits");
    report.subtitle = format!("{} images, {} epochs", summary.n, summary.epochs);
    report.settings = settings_rows(&summary);
    report.sections.push(mnist_section(&result, figures));
    crate::pipeline::run::figures::write_compact(report, &stage.join("report.html"))?;
    Ok((stage.commit()?, summary))
}

/// `training.csv`, `mnist.json` and the three figures in `dir` (which must exist).
pub fn write_outputs(
    dir: &Path,
    settings: &MnistSettings,
    result: &MnistResult,
) -> Result<(MnistSummary, Vec<Figure>)> {
    let summary = MnistSummary::new(settings, result);
    crate::io::atomic::write_bytes(&dir.join("training.csv"), result.history.to_csv().as_bytes())?;
    crate::io::tables::write_json(&dir.join("mnist.json"), &summary)?;
    let figures = draw_figures(dir, result, "")?;
    Ok((summary, figures))
}

/// The default settings with `seed`, writing into `out`.
pub fn default_settings(seed: u64, out: &Path) -> Result<MnistSettings> {
    let params = VaeParams::new(2)
        .hidden(DEFAULT_HIDDEN)
        .epochs(DEFAULT_EPOCHS)
        .batch_size(DEFAULT_BATCH)
        .alpha(DEFAULT_ALPHA)
        .seed(seed)
        .build()?;
    Ok(MnistSettings {
        images: None,
        labels: None,
        limit: None,
        params,
        out: out.to_path_buf(),
    })
}

/// The MNIST section of `landclust demo`: default settings but `epochs` on the embedded digits,
/// files in `dir` (created).
pub fn demo_section(dir: &Path, seed: u64, epochs: usize, progress: bool) -> Result<Section> {
    std::fs::create_dir_all(dir).map_err(|e| crate::Error::File {
        path: dir.into(),
        message: e.to_string(),
    })?;
    let mut settings = default_settings(seed, dir)?;
    settings.params = settings.params.clone().epochs(epochs).build()?;
    let result = train(&load(&settings)?, &settings.params, progress)?;
    let (summary, figures) = write_outputs(dir, &settings, &result)?;
    crate::progress::note(format!(
        "demo: MNIST: ARI {:.4} on the VAE latent, {:.4} on PC1-PC2",
        summary.ari_kmeans_latent, summary.ari_kmeans_pca
    ));
    Ok(mnist_section(&result, figures))
}

fn settings_rows(s: &MnistSummary) -> Vec<(String, String)> {
    vec![
        ("images".into(), s.images.clone()),
        ("epochs".into(), s.epochs.to_string()),
        ("hidden width".into(), s.hidden.to_string()),
        ("batch size".into(), s.batch_size.to_string()),
        ("alpha (KL weight)".into(), format!("{:e}", s.alpha)),
        ("learning rate".into(), format!("{:e}", s.learning_rate)),
        ("seed".into(), s.seed.to_string()),
        ("training seconds".into(), format!("{:.1}", s.seconds)),
    ]
}

/// Draw `mnist_latent{tag}.png`, `mnist_pca{tag}.png`, `mnist_decoded{tag}.png` (study
/// figures 16-18) and `mnist_training{tag}.png` into `dir`.
pub fn draw_figures(dir: &Path, r: &MnistResult, tag: &str) -> Result<Vec<Figure>> {
    let digits: Vec<usize> = r.labels.iter().map(|&l| l as usize).collect();
    let [z1, z2] = r.chosen_point;
    let latent = dir.join(format!("mnist_latent{tag}.png"));
    let text = plot::ChartText::new(
        "VAE latent means of the MNIST digits (colour = digit, red cross = decoded point)",
        "z1 (latent mean)",
        "z2 (latent mean)",
    );
    plot::class_scatter(&latent, r.latent.view(), &digits, Some((z1, z2)), &text)?;
    let pca = dir.join(format!("mnist_pca{tag}.png"));
    let text = plot::ChartText::new(
        "First two principal components of the MNIST digits (colour = digit)",
        "PC1",
        "PC2",
    );
    plot::class_scatter(&pca, r.pca2.view(), &digits, None, &text)?;
    let decoded = dir.join(format!("mnist_decoded{tag}.png"));
    let (rows, cols) = r.decoded_image.dim();
    plot::image_grid(
        &decoded,
        &[r.decoded_image.iter().copied().collect()],
        (cols, rows),
        1,
        12,
        &[format!("decode(z = ({z1:.2}, {z2:.2}))")],
    )?;
    let training = dir.join(format!("mnist_training{tag}.png"));
    let series = [
        plot::Series {
            name: "R2 of decode(mu(x))".into(),
            points: r.history.curve(|e| e.r2),
        },
        plot::Series {
            name: "reconstruction MSE (sampled z)".into(),
            points: r.history.curve(|e| e.reconstruction),
        },
    ];
    plot::line_chart(
        &training,
        &series,
        &plot::ChartText::new("VAE training on the MNIST digits", "epoch", "value"),
    )?;
    Ok(vec![
        Figure::file(
            latent,
            "Latent means mu(x) of the 2-D VAE, one colour per digit (study fig. 16). The red cross, midway between the centroids of 5 and 9, is decoded below.",
        ),
        Figure::file(
            pca,
            "The same digits on their first two principal components (study fig. 17): the classes overlap much more.",
        ),
        Figure::file(
            decoded,
            format!(
                "The decoded red cross z = ({z1:.3}, {z2:.3}), a point of no image (study fig. 18): it looks like both a 5 and a 9."
            ),
        ),
        Figure::file(training, "R2 and reconstruction error of the MNIST VAE per epoch."),
    ])
}

/// The report section: the figures and a table of the ARIs and R2 of both embeddings.
pub fn mnist_section(r: &MnistResult, figures: Vec<Figure>) -> Section {
    let mut table = Table::new(
        "K-Means (k = 10) on each 2-D embedding against the true digits",
        vec![
            "embedding".into(),
            "ARI of K-Means vs digits".into(),
            "reconstruction R2".into(),
        ],
    );
    table.rows.push(vec![
        "VAE latent means (2-D)".into(),
        format!("{:.4}", r.ari_kmeans_latent),
        format!("{:.4}", r.r2_vae),
    ]);
    table.rows.push(vec![
        "first 2 principal components".into(),
        format!("{:.4}", r.ari_kmeans_pca),
        format!("{:.4}", r.r2_pca),
    ]);
    table.note = "ARI: adjusted Rand index (1 = the clusters are the digits, 0 = chance). R2 = 1 - MSE / variance over all pixels.".into();
    section(
        "The VAE on MNIST digits (study 3.3.1)",
        &format!(
            "A 2-D VAE trained for {} epochs on {} handwritten digits (pixels in [0, 1]), compared with PCA. The digits are not given to either method; they only colour the points and score the clusters.",
            r.history.epochs.len(),
            r.labels.len()
        ),
        figures,
        vec![table],
    )
}
