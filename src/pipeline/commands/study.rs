//! `landclust demo`: the whole study on the POLDER-like demo file, in one report. Clusters the
//! land cells in the original (standardized) space with K-Means and Ward, in the PCA space, and
//! in the latent spaces of 2-D and 1-D VAEs, then compares them (Tables 1-2 of the study, each
//! score given in its own space and in the standardized space), and K-Means on tensor-train
//! embeddings; every contender is a row of `comparison.csv` ([`super::comparison`]). The monthly
//! part ([`super::study_monthly`]) compares PCA and the (cell, variable, month) tensor train on
//! the monthly demo file; the regions part ([`super::study_regions`]) contiguous Ward regions.
//! With the VAE on, it also runs
//! the MNIST check of the VAE (section 3.3.1, files in `mnist/`).

use crate::error::Result;
use crate::pipeline::config::{KChoice, Method, Reduce, RunConfig};
use crate::pipeline::outdir::StagedDir;
use crate::pipeline::run::analysis::{self, Prepared, Space};
use crate::pipeline::run::figures::{self, build_report, scores_table, section};
use crate::pipeline::run::{Analysed, analyse, outputs};
use crate::report::{MethodScores, Table};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// One analysis of the study: a name, its settings, its space and results.
struct Part {
    name: &'static str,
    cfg: RunConfig,
    space: Space,
    analysed: Analysed,
}

/// One analysis of the demo and row of its comparison: adding a method is one entry in
/// [`CONTENDERS`] (its folder name, reduction, clustering method and k).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Contender {
    pub name: &'static str,
    pub reduce: Reduce,
    pub method: Method,
    pub k: usize,
}

pub(super) const fn contender(name: &'static str, reduce: Reduce, method: Method, k: usize) -> Contender {
    Contender {
        name,
        reduce,
        method,
        k,
    }
}

/// The demo's analyses. k = 6 follows the study's dendrogram and elbow for the original and PCA
/// spaces, k = 7 its elbow in the VAE latent space. The tensor train keeps 3 embedding
/// dimensions like PCA: `tt:36,3` has 45,381 parameters, about PCA-3's 45,631 on the demo's
/// 15,201 cells (does TT add anything at an equal number of parameters?); other ranks
/// are measured in docs/future-work.md, not here, to keep the demo (run by CI) short. IDEC and
/// DCSS run with the run defaults (small autoencoder, 2-D embedding).
pub const CONTENDERS: [Contender; 8] = [
    contender("kmeans", Reduce::None, Method::Kmeans, 6),
    contender("ward", Reduce::None, Method::Ward, 6),
    contender("pca3-kmeans", Reduce::Pca(3), Method::Kmeans, 6),
    contender("tt36x3-kmeans", Reduce::Tt(36, 3), Method::Kmeans, 6),
    contender("vae2-kmeans", Reduce::Vae(2), Method::Kmeans, 7),
    contender("vae1-kmeans", Reduce::Vae(1), Method::Kmeans, 7),
    contender("idec", Reduce::None, Method::Idec, 6),
    contender("dcss", Reduce::None, Method::Dcss, 6),
];

/// How much the demo trains its deep parts (IDEC, DCSS and the MNIST check of the VAE).
///
/// The first run of a new user should end in about a minute, so by default the deep parts
/// train less than a `run` would ([`DemoTraining::Quick`]); the report says which settings
/// made it, and `landclust demo --full` trains with the run defaults. Nothing else differs:
/// K-Means, Ward, PCA, the tensor trains and the land VAEs are the same in both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoTraining {
    /// [`QUICK_DEEP_MAXITER`] joint iterations after [`QUICK_PRETRAIN_EPOCHS`] pretraining
    /// epochs for IDEC and DCSS, [`QUICK_MNIST_EPOCHS`] epochs for the MNIST VAE.
    Quick,
    /// The run defaults (`--maxiter`, `--pretrain-epochs`) and the MNIST check's own epochs.
    Full,
}

/// IDEC/DCSS joint-training iterations of the quick demo (the run default is 20,000).
pub const QUICK_DEEP_MAXITER: usize = 2_000;
/// IDEC/DCSS autoencoder pretraining epochs of the quick demo (the run default is 50).
pub const QUICK_PRETRAIN_EPOCHS: usize = 20;
/// Epochs of the MNIST VAE in the quick demo (the check's default is
/// [`super::mnist::DEFAULT_EPOCHS`]).
pub const QUICK_MNIST_EPOCHS: usize = 10;

impl DemoTraining {
    /// `deep` with this training's iterations and epochs.
    fn deep(self, deep: &crate::pipeline::config::DeepSettings) -> crate::pipeline::config::DeepSettings {
        match self {
            DemoTraining::Full => deep.clone(),
            DemoTraining::Quick => crate::pipeline::config::DeepSettings {
                maxiter: QUICK_DEEP_MAXITER,
                pretrain_epochs: QUICK_PRETRAIN_EPOCHS,
                ..deep.clone()
            },
        }
    }

    /// Epochs of the MNIST VAE.
    fn mnist_epochs(self) -> usize {
        match self {
            DemoTraining::Full => super::mnist::DEFAULT_EPOCHS,
            DemoTraining::Quick => QUICK_MNIST_EPOCHS,
        }
    }

    /// Name recorded in demo.json.
    fn name(self) -> &'static str {
        match self {
            DemoTraining::Full => "full",
            DemoTraining::Quick => "quick",
        }
    }

    /// The sentence of the report that says which training made it.
    fn describe(self, deep: &crate::pipeline::config::DeepSettings) -> String {
        match self {
            DemoTraining::Full => format!(
                "Full training (landclust demo --full): IDEC and DCSS pretrain {} epochs and train up to {} joint iterations (the run defaults); the MNIST VAE trains {} epochs.",
                deep.pretrain_epochs,
                deep.maxiter,
                super::mnist::DEFAULT_EPOCHS
            ),
            DemoTraining::Quick => format!(
                "Quick training, so that the demo ends in about a minute: IDEC and DCSS pretrain {QUICK_PRETRAIN_EPOCHS} epochs (run default {}) and train up to {QUICK_DEEP_MAXITER} joint iterations (run default {}); the MNIST VAE trains {QUICK_MNIST_EPOCHS} epochs (its default {}). landclust demo --full trains with the defaults; every other part is the same in both.",
                deep.pretrain_epochs,
                deep.maxiter,
                super::mnist::DEFAULT_EPOCHS
            ),
        }
    }
}

/// Run the demo into `out` with `training` for its deep parts; returns the path of report.html.
pub fn demo(out: &Path, seed: u64, epochs: Option<usize>, training: DemoTraining, progress: bool) -> Result<PathBuf> {
    let stage = StagedDir::new(out)?;
    let input = stage.join("demo.nc");
    // Where demo.nc will be once the folder is committed: the path recorded in the settings,
    // so `landclust plot` finds the file from any working directory.
    let final_input = crate::pipeline::config::absolute(out)?.join("demo.nc");
    let synth = crate::synth::write_demo(
        &input,
        &crate::synth::SynthParams {
            seed,
            ..Default::default()
        },
    )?;
    crate::progress::note(format!(
        "demo: wrote the POLDER-like demo file ({} land cells)",
        synth.n_land_cells
    ));
    let mut base = study_config(&input, seed);
    if let Some(e) = epochs {
        base.vae.epochs = e;
    }
    let prepared = analysis::prepare(&base)?;
    let mut parts = Vec::new();
    for Contender {
        name,
        reduce,
        method,
        k,
    } in CONTENDERS
    {
        // `--epochs 0` (tests) leaves out every trained contender: the VAE and the deep methods.
        if (matches!(reduce, Reduce::Vae(_)) || matches!(method, Method::Idec | Method::Dcss)) && base.vae.epochs == 0 {
            continue;
        }
        let started = Instant::now();
        let deep = if matches!(method, Method::Idec | Method::Dcss) {
            training.deep(&base.deep)
        } else {
            base.deep.clone()
        };
        let cfg = RunConfig {
            reduce,
            method,
            k: KChoice::Fixed(k),
            out: out.join(name),
            deep,
            ..base.clone()
        };
        let space = analysis::reduce(&cfg, &prepared, progress)?;
        let (_, analysed) = analyse(
            &cfg,
            &prepared,
            &space,
            started,
            &mut crate::pipeline::run::stages::StageLog::new(false),
        )?;
        crate::progress::note(format!("demo: {name}: silhouette {:.4}", analysed.scores.silhouette));
        parts.push(Part {
            name,
            cfg,
            space,
            analysed,
        });
    }
    for part in &mut parts {
        part.cfg.input = final_input.clone();
    }
    write_parts(&stage, &prepared, &parts)?;
    super::comparison::write_csv(&stage.join("comparison.csv"), &comparison_rows(&prepared, &parts)?)?;
    let elbow = analysis::elbow_sweep(&base, prepared.z.view())?;
    outputs::write_elbow_csv(&stage.join("elbow.csv"), &elbow)?;
    let names: Vec<&str> = parts.iter().map(|p| p.name).collect();
    crate::io::tables::write_json(
        &stage.join(DEMO_MARKER),
        &serde_json::json!({
            "command": "demo",
            "seed": seed,
            "parts": names,
            "training": training.name(),
            "training_note": training.describe(&base.deep),
        }),
    )?;
    let mut report = demo_report(stage.path(), &prepared, &parts, &elbow, &training.describe(&base.deep))?;
    let kmeans = &parts[0];
    report.sections.push(super::study_weights::run_area_weights_study(
        stage.path(),
        &base,
        &prepared,
        &kmeans.analysed.clustering.labels,
        kmeans.analysed.clustering.k,
    )?);
    report.sections.push(super::study_regions::run_regions_part(
        &stage.join(super::study_regions::REGIONS_DIR),
        &base,
        &prepared,
        &final_input,
        progress,
    )?);
    let monthly = stage.join(super::study_monthly::MONTHLY_DIR);
    report
        .sections
        .push(super::study_monthly::run_monthly_study(&monthly, seed, progress)?);
    if base.vae.epochs > 0 {
        let mnist = super::mnist::demo_section(&stage.join("mnist"), seed, training.mnist_epochs(), progress)?;
        report.sections.push(mnist);
    }
    figures::write_compact(report, &stage.join("report.html"))?;
    let out = stage.commit()?;
    Ok(out.join("report.html"))
}

/// The settings every analysis of the demo starts from: the input, the seed and the ground truth
/// `SurfaceClass` of the synthetic files.
pub(super) fn study_config(input: &Path, seed: u64) -> RunConfig {
    let mut cfg = RunConfig::new(input);
    cfg.seed = seed;
    cfg.truth = vec!["SurfaceClass".into()];
    cfg
}

/// File marking a folder as written by `landclust demo` (the parts it holds, the seed).
pub const DEMO_MARKER: &str = "demo.json";

/// `landclust plot` on a demo folder: rebuild every part from its subfolder (labels, Ward tree,
/// VAE model; nothing is clustered or trained again) and redraw the demo's figures and report.
/// The MNIST check is not redrawn (its own report is in `mnist/`). Returns the figures drawn.
pub fn redraw_demo(dir: &Path) -> Result<usize> {
    let mut parts = Vec::new();
    let mut prepared = None;
    for Contender { name, .. } in CONTENDERS {
        let sub = dir.join(name);
        if !sub.join(crate::pipeline::outdir::MARKER).exists() {
            continue;
        }
        let r = crate::pipeline::run::restore::restore(&sub)?;
        if prepared.is_none() {
            prepared = Some(r.prepared);
        }
        parts.push(Part {
            name,
            cfg: r.cfg,
            space: r.space,
            analysed: r.analysed,
        });
    }
    let (Some(prepared), false) = (prepared, parts.is_empty()) else {
        return Err(crate::Error::File {
            path: dir.into(),
            message: "a demo folder without its parts (kmeans/, ward/, ...)".into(),
        });
    };
    let elbow = match crate::pipeline::run::restore::restore_elbow(dir)? {
        Some(e) => e,
        None => analysis::elbow_sweep(&parts[0].cfg, prepared.z.view())?,
    };
    let training_note = std::fs::read(dir.join(DEMO_MARKER))
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|v| v.get("training_note").and_then(|n| n.as_str()).map(str::to_string))
        .unwrap_or_default();
    let mut report = demo_report(dir, &prepared, &parts, &elbow, &training_note)?;
    if let Some(weights) = super::study_weights::redraw_area_weights(dir)? {
        report.sections.push(weights);
    }
    if let Some(regions) = super::study_regions::redraw_regions_part(&dir.join(super::study_regions::REGIONS_DIR))? {
        report.sections.push(regions);
    }
    if let Some(monthly) = super::study_monthly::redraw_monthly_study(&dir.join(super::study_monthly::MONTHLY_DIR))? {
        report.sections.push(monthly);
    }
    let mnist = dir.join("mnist");
    if mnist.join("mnist.json").exists() {
        // The MNIST check is not retrained: its saved figures are embedded again as they are.
        let figures = figures::saved_figures(&mnist);
        report.sections.push(section(
            "MNIST check of the VAE",
            "The figures saved in mnist/ by `landclust demo` (scores in mnist/mnist.json); `landclust plot` does not retrain the VAE.",
            figures,
            vec![],
        ));
    }
    let n = report.sections.iter().map(|s| s.figures.len()).sum();
    figures::write_compact(report, &dir.join("report.html"))?;
    Ok(n)
}

fn write_parts(stage: &StagedDir, prepared: &Prepared, parts: &[Part]) -> Result<()> {
    for part in parts {
        let dir = stage.join(part.name);
        std::fs::create_dir_all(&dir).map_err(|e| crate::Error::File {
            path: dir.clone(),
            message: e.to_string(),
        })?;
        outputs::write_data_files(&dir, &part.analysed.as_result(&part.cfg, prepared, &part.space))?;
    }
    // The main outputs (labels.csv, metrics.json, ...) at the top are those of K-Means.
    let main = &parts[0];
    outputs::write_data_files(stage.path(), &main.analysed.as_result(&main.cfg, prepared, &main.space))
}

fn demo_report(
    dir: &Path,
    prepared: &Prepared,
    parts: &[Part],
    elbow: &analysis::ElbowSweep,
    training_note: &str,
) -> Result<crate::report::Report> {
    let main = &parts[0];
    let main_run = main.analysed.as_result(&main.cfg, prepared, &main.space);
    let mut report = build_report(dir, &main_run)?;
    report.title = "landclust demo: land-surface types of the POLDER-like demo file".into();
    let mut d = figures::Drawn::new_in(dir);
    figures::elbow_figure(&mut d, elbow)?;
    for part in &parts[1..] {
        let what = format!("{} clusters in {}", part.cfg.method, part.space.describe());
        figures::cluster_maps_in(
            &mut d,
            prepared,
            &part.analysed.clustering,
            &format!("_{}", part.name),
            &what,
            &["world"],
        )?;
        if let Some(tree) = &part.analysed.clustering.ward {
            figures::dendrogram_figure(&mut d, tree, part.analysed.clustering.k)?;
        }
        if part.space.vae.is_some() {
            figures::vae_figures_tagged(&mut d, prepared, &part.space, &part.analysed.clustering, part.name)?;
        }
    }
    let tables = vec![
        super::comparison::table(&comparison_rows(prepared, parts)?),
        comparison_table(prepared, parts)?,
        agreement_table(parts)?,
    ];
    let text = format!("{COMPARISON_TEXT} {training_note}");
    report
        .sections
        .push(section("Comparison of methods", text.trim_end(), d.take(), tables));
    for part in &parts[1..] {
        let run = part.analysed.as_result(&part.cfg, prepared, &part.space);
        report.sections.push(section(
            &format!("{} ({})", part.name, part.space.describe()),
            &part
                .space
                .tt
                .as_ref()
                .map(crate::pipeline::run::tt::describe)
                .unwrap_or_default(),
            vec![],
            vec![scores_table(&run)],
        ));
    }
    Ok(report)
}

/// What the comparison section of the demo report compares.
const COMPARISON_TEXT: &str = "K-Means and Ward on the standardized variables, K-Means on the first 3 principal components, on tensor-train cell embeddings (TT-ranks (36, 3): about as many parameters as PCA-3), in the latent spaces of 2-D and 1-D VAEs (study Tables 1-2), and the deep clusterings IDEC (Guo et al. 2017) and DCSS (Vardakas et al. 2024: soft silhouette through a softmax clustering head) on a 2-D autoencoder embedding. DCSS is seed-sensitive on these data: docs/future-work.md compares three seeds. Scores from different spaces rank methods within a space; the rows 'in standardized space' score every labeling in the same space, so they compare across methods. The first table is also comparison.csv.";

fn comparison_rows(prepared: &Prepared, parts: &[Part]) -> Result<Vec<super::comparison::ComparisonRow>> {
    let entries: Vec<super::comparison::Entry> = parts
        .iter()
        .map(|p| super::comparison::Entry {
            name: p.name,
            cfg: &p.cfg,
            space: &p.space,
            analysed: &p.analysed,
        })
        .collect();
    super::comparison::rows(prepared, &entries)
}

fn comparison_table(prepared: &Prepared, parts: &[Part]) -> Result<Table> {
    let mut rows = Vec::new();
    for part in parts {
        let a = &part.analysed;
        let label = format!("{} ({}, k = {})", part.name, part.space.reduce, a.clustering.k);
        rows.push(MethodScores {
            method: label.clone(),
            space: part.space.describe(),
            silhouette: a.scores.silhouette,
            davies_bouldin: a.scores.davies_bouldin,
            calinski_harabasz: a.scores.calinski_harabasz,
        });
        let s = match a.scores_standardized {
            Some(s) => s,
            None => analysis::scores(prepared.z.view(), &a.clustering.labels, &part.cfg.scale, part.cfg.seed)?,
        };
        if part.space.reduce != Reduce::None {
            rows.push(MethodScores {
                method: label,
                space: "in standardized space (z-scores)".into(),
                silhouette: s.silhouette,
                davies_bouldin: s.davies_bouldin,
                calinski_harabasz: s.calinski_harabasz,
            });
        }
    }
    let mut t = Table::method_comparison(
        "Scores of every method, each in its own space and in the standardized space",
        &rows,
    );
    let truth: Vec<String> = parts
        .iter()
        .filter_map(|p| {
            p.analysed
                .truths
                .first()
                .map(|t| format!("{}: ARI {:.3}, NMI {:.3}", p.name, t.ari, t.nmi))
        })
        .collect();
    t.note = format!(
        "Against the generating surface class (SurfaceClass): {}",
        truth.join("; ")
    );
    Ok(t)
}

fn agreement_table(parts: &[Part]) -> Result<Table> {
    let mut t = Table::new(
        "Agreement with K-Means on the standardized variables (clusters matched by the Hungarian method)",
        vec!["method".into(), "matched agreement".into(), "ARI".into()],
    );
    let base = &parts[0].analysed.clustering.labels;
    for part in &parts[1..] {
        let labels = &part.analysed.clustering.labels;
        let agreement = crate::cluster::labels::matched_agreement(base, labels)?;
        let ari = crate::metrics::adjusted_rand_index(base, labels)?;
        t.rows.push(vec![
            part.name.to_string(),
            format!("{:.4}", agreement),
            format!("{ari:.4}"),
        ]);
    }
    Ok(t)
}

#[cfg(test)]
#[path = "study_tests.rs"]
mod tests;
