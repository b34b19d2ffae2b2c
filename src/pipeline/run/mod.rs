//! The chain behind `landclust run`: read the file into a table ([`analysis::prepare_from`]),
//! reduce it ([`analysis::reduce`]), cluster it with the configured method ([`methods`]), score
//! it, then write the files ([`outputs`]) and draw the figures and report ([`figures`]).
//! [`restore`] reads a finished run back for `landclust plot`.

pub mod analysis;
pub mod cell_tables;
pub mod explain;
pub mod figures;
pub mod margin;
pub mod methods;
pub mod outputs;
pub mod palette;
pub mod prepare;
pub mod reductions;
pub mod restore;
pub mod stages;
pub mod tt;
pub mod vae;
pub mod vector;

use crate::cluster::gap::GapStatistic;
use crate::dataset::BlockReader;
use crate::error::Result;
use crate::pipeline::config::{self, KChoice, KRule, Reduce, RunConfig};
use crate::pipeline::outdir::StagedDir;
use analysis::{Prepared, Space};
use outputs::{RunMetrics, RunResult};
use std::path::PathBuf;
use std::time::Instant;

/// What `run` reports back.
#[derive(Debug, Clone)]
pub struct RunSummary {
    pub out: PathBuf,
    pub metrics: RunMetrics,
}

/// Run one configuration end to end and write its output folder atomically.
pub fn run(cfg: &RunConfig, progress: bool) -> Result<RunSummary> {
    let stage = StagedDir::new(&cfg.out)?;
    let reader = crate::pipeline::memory::open_input(cfg)?;
    let computed = compute(cfg, reader.as_ref(), progress)?;
    let out = computed.write_into(stage)?;
    Ok(RunSummary {
        out,
        metrics: computed.metrics,
    })
}

/// A run computed in memory, nothing written yet: what [`run`] writes, and what the Python
/// package's `landclust.run` returns (its `.write(out_dir)` calls [`Computed::write`]).
pub struct Computed {
    pub cfg: RunConfig,
    pub prepared: Prepared,
    pub space: Space,
    pub analysed: Analysed,
    pub metrics: RunMetrics,
    log: stages::StageLog,
}

/// Read (from any [`BlockReader`]: a file or an in-memory grid), reduce, cluster and score as
/// `cfg` says, without writing anything (`cfg.out` is not used).
pub fn compute(cfg: &RunConfig, reader: &dyn BlockReader, progress: bool) -> Result<Computed> {
    let started = Instant::now();
    let mut log = stages::StageLog::new(progress);
    // The grid was read when the input was opened: only what this stage decodes counts.
    let before = reader.volume();
    let prepared = analysis::prepare_from(cfg, reader, progress)?;
    let after = reader.volume();
    log.mark_volume(
        "read",
        after.map(|a| a.decoded_bytes.saturating_sub(before.map_or(0, |b| b.decoded_bytes))),
        after.map(|a| a.input_bytes),
    );
    let space = analysis::reduce(cfg, &prepared, progress)?;
    log.mark("reduce");
    let (metrics, analysed) = analyse(cfg, &prepared, &space, started, &mut log)?;
    Ok(Computed {
        cfg: cfg.clone(),
        prepared,
        space,
        analysed,
        metrics,
        log,
    })
}

impl Computed {
    /// Write the run's output folder (the same files as `landclust run`) atomically to `out`.
    pub fn write(&self, out: &std::path::Path) -> Result<PathBuf> {
        self.write_into(StagedDir::new(out)?)
    }

    fn write_into(&self, stage: StagedDir) -> Result<PathBuf> {
        let mut log = stages::StageLog::new(self.log.verbose());
        log.stages = self.log.stages.clone();
        let run = self.analysed.as_result(&self.cfg, &self.prepared, &self.space);
        let before = stages::folder_bytes(stage.path());
        outputs::write_data_files(stage.path(), &run)?;
        let written = stages::folder_bytes(stage.path()).saturating_sub(before);
        log.mark_volume("write", Some(written), None);
        if self.cfg.figures {
            figures::draw_run(&stage, &run)?;
            log.mark("figures");
        }
        crate::io::tables::write_json(
            &stage.join("timing.json"),
            &serde_json::json!({ "n_points": self.prepared.table.n_points(), "stages": log.stages }),
        )?;
        stage.commit()
    }
}

/// The clustering-dependent part of a run, kept so figures can be drawn from it.
pub struct Analysed {
    pub clustering: analysis::Clustering,
    pub scores: analysis::Scores,
    pub scores_standardized: Option<analysis::Scores>,
    /// One comparison per `--truth`, in order.
    pub truths: Vec<analysis::TruthComparison>,
    pub elbow: Option<analysis::ElbowSweep>,
    /// The gap statistic and how k was chosen (`--k auto`).
    pub gap: Option<GapStatistic>,
    pub k_choice: Option<analysis::KChoiceReport>,
    pub seconds: f64,
}

impl Analysed {
    /// View as a [`RunResult`].
    pub fn as_result<'a>(&'a self, cfg: &'a RunConfig, prepared: &'a Prepared, space: &'a Space) -> RunResult<'a> {
        RunResult {
            cfg,
            prepared,
            space,
            clustering: &self.clustering,
            scores: self.scores,
            scores_standardized: self.scores_standardized,
            truths: self.truths.clone(),
            elbow: self.elbow.clone(),
            gap: self.gap.clone(),
            k_choice: self.k_choice.clone(),
            seconds: self.seconds,
        }
    }
}

/// Elbow (when asked), clustering, scores and truth comparison in `space`.
pub fn analyse(
    cfg: &RunConfig,
    prepared: &Prepared,
    space: &Space,
    started: Instant,
    log: &mut stages::StageLog,
) -> Result<(RunMetrics, Analysed)> {
    let x = space.coords.view();
    let weights = prepared.weights.as_ref().map(|w| w.view());
    let (elbow, gap) = match cfg.k {
        // The information criteria choose k by themselves: the gap statistic's B + 1 K-Means
        // sweeps are not run for them.
        KChoice::Auto if matches!(cfg.k_rule, KRule::Bic | KRule::Aic) => {
            (Some(analysis::elbow_sweep_weighted(cfg, x, weights)?), None)
        }
        KChoice::Auto => (
            Some(analysis::elbow_sweep_weighted(cfg, x, weights)?),
            Some(analysis::gap_sweep(cfg, x, weights)?),
        ),
        KChoice::Fixed(_) => (None, None),
    };
    if elbow.is_some() {
        log.mark("choice of k");
    }
    let (k, k_choice) = analysis::resolve_k(cfg, elbow.as_ref(), gap.as_ref())?;
    if let Some(note) = k_choice.as_ref().and_then(|c| c.disagreement()) {
        crate::progress::note(note);
    }
    let mut clustering = analysis::cluster(cfg, prepared, x, k)?;
    // --cut-height and --min-region-cells choose the number of regions.
    let k = clustering.k;
    log.mark("cluster");
    if k < 2 {
        return Err(config::option_error("--k", "k = 1: scores need at least 2 clusters"));
    }
    // IDEC/DCSS are scored in their learned embedding (their clustering space).
    let score_x = clustering.embedding.as_ref().map_or(x, |e| e.view());
    let scores = analysis::scores_weighted(score_x, &clustering.labels, weights, &cfg.scale, cfg.seed)?;
    let scores_standardized = match space.reduce {
        Reduce::None if clustering.embedding.is_none() => None,
        _ => Some(analysis::scores_weighted(
            prepared.z.view(),
            &clustering.labels,
            weights,
            &cfg.scale,
            cfg.seed,
        )?),
    };
    log.mark("score");
    let truths = cfg
        .truth
        .iter()
        .map(|t| analysis::compare_truth_named(prepared, t, &clustering.labels, cfg.truth_names.of(t)))
        .collect::<Result<Vec<_>>>()?;
    let profiles = explain::profiles(prepared, &clustering.labels, k, &truths);
    clustering.names = explain::cluster_names(cfg, &profiles)?;
    let analysed = Analysed {
        clustering,
        scores,
        scores_standardized,
        truths,
        elbow,
        gap,
        k_choice,
        seconds: started.elapsed().as_secs_f64(),
    };
    let metrics = analysed.as_result(cfg, prepared, space).metrics();
    Ok((metrics, analysed))
}
