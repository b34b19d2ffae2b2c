//! Rebuild a finished run from its output folder (for `landclust plot`): settings and scores
//! from metrics.json, labels from labels.csv (or labels.parquet), the Ward tree from linkage.csv, the elbow from
//! elbow.csv, the VAE from its saved model. Only the cheap, deterministic steps (reading the
//! file, z-scores, PCA) are recomputed; no clustering or training is run again.

use super::Analysed;
use super::analysis::{self, Clustering, ElbowSweep, Prepared, Scores, Space, TruthComparison};
use super::vae::VaeOutcome;
use crate::cluster::ward::{LinkageRow, WardTree};
use crate::error::{Error, Result};
use crate::pipeline::config::{Reduce, RunConfig};
use crate::reduce::vae::TrainedVae;
use serde::Deserialize;
use std::path::Path;

/// File name of the saved VAE inside a run folder.
pub const VAE_MODEL: &str = "vae_model.json";

/// The parts of metrics.json that `plot` needs.
#[derive(Debug, Deserialize)]
struct SavedMetrics {
    k: usize,
    silhouette: f64,
    davies_bouldin: f64,
    calinski_harabasz: f64,
    #[serde(default)]
    silhouette_std_error: Option<f64>,
    #[serde(default)]
    silhouette_sample_size: Option<usize>,
    #[serde(default)]
    scale_notes: Vec<String>,
    scores_in_standardized_space: Option<Scores>,
    inertia: Option<f64>,
    #[serde(default)]
    method_diagnostics: std::collections::BTreeMap<String, f64>,
    truth: Option<TruthComparison>,
    #[serde(default)]
    truths: Vec<TruthComparison>,
    #[serde(default)]
    k_choice: Option<analysis::KChoiceReport>,
    vae_epochs: Option<usize>,
    vae_train_seconds: Option<f64>,
    seconds: f64,
    settings: RunConfig,
}

/// A run read back from its folder.
pub struct Restored {
    pub cfg: RunConfig,
    pub prepared: Prepared,
    pub space: Space,
    pub analysed: Analysed,
}

fn bad(path: &Path, message: impl Into<String>) -> Error {
    Error::File {
        path: path.into(),
        message: message.into(),
    }
}

/// `vae-mnist` and `encode` folders carry a metrics.json naming their command: say so plainly.
fn check_written_by_run(path: &Path, text: &str) -> Result<()> {
    let command = serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| v.get("command").and_then(|c| c.as_str()).map(str::to_owned));
    match command {
        Some(c) if c != "run" => Err(bad(
            path,
            format!("written by `landclust {c}`; `landclust plot` redraws the folders of `landclust run`"),
        )),
        _ => Ok(()),
    }
}

/// Read the run in `dir`.
pub fn restore(dir: &Path) -> Result<Restored> {
    let metrics_path = dir.join(crate::pipeline::outdir::MARKER);
    let text = std::fs::read_to_string(&metrics_path)
        .map_err(|e| bad(&metrics_path, format!("{e} (is this a landclust run folder?)")))?;
    check_written_by_run(&metrics_path, &text)?;
    let saved: SavedMetrics = serde_json::from_str(&text).map_err(|e| bad(&metrics_path, e.to_string()))?;
    let mut cfg = saved.settings;
    cfg.out = dir.to_path_buf();
    let prepared = analysis::prepare(&cfg)?;
    let space = restore_space(dir, &cfg, &prepared, saved.vae_epochs, saved.vae_train_seconds)?;
    let table = super::cell_tables::read_labels_table(dir)?;
    let labels = restore_labels(&table, &prepared, saved.k)?;
    let ward = restore_linkage(dir, prepared.table.n_points())?;
    let clustering = Clustering {
        method: cfg.method,
        k: saved.k,
        labels,
        inertia: saved.inertia,
        ward,
        embedding: None,
        membership: table.membership,
        diagnostics: saved.method_diagnostics.clone().into_iter().collect(),
        notes: saved.scale_notes.clone(),
        names: Vec::new(),
    };
    let elbow = restore_elbow(dir)?;
    // Folders written before several truths were possible hold only `truth`.
    let truths = if saved.truths.is_empty() {
        saved.truth.into_iter().collect()
    } else {
        saved.truths
    };
    let mut clustering = clustering;
    let profiles = super::explain::profiles(&prepared, &clustering.labels, clustering.k, &truths);
    clustering.names = super::explain::cluster_names(&cfg, &profiles)?;
    let scores = Scores {
        silhouette: saved.silhouette,
        davies_bouldin: saved.davies_bouldin,
        calinski_harabasz: saved.calinski_harabasz,
        silhouette_std_error: saved.silhouette_std_error,
        silhouette_sample_size: saved.silhouette_sample_size,
    };
    let analysed = Analysed {
        clustering,
        scores,
        scores_standardized: saved.scores_in_standardized_space,
        truths,
        elbow,
        gap: None,
        k_choice: saved.k_choice,
        seconds: saved.seconds,
    };
    Ok(Restored {
        cfg,
        prepared,
        space,
        analysed,
    })
}

fn restore_space(
    dir: &Path,
    cfg: &RunConfig,
    p: &Prepared,
    epochs: Option<usize>,
    seconds: Option<f64>,
) -> Result<Space> {
    let vae = match cfg.reduce {
        Reduce::Vae(_) => Some(VaeOutcome {
            model: TrainedVae::load(&dir.join(VAE_MODEL))?,
            train_seconds: seconds.unwrap_or(0.0),
            epochs: epochs.unwrap_or(0),
        }),
        _ => None,
    };
    analysis::space_from(cfg.reduce, p, vae)
}

/// The labels of labels.csv (or labels.parquet), checked against the input's cells and `k` (an
/// edited file with a cluster id >= k is refused with its line, never indexed).
fn restore_labels(table: &super::cell_tables::LabelsTable, p: &Prepared, k: usize) -> Result<Vec<usize>> {
    let (path, rows) = (&table.path, &table.rows);
    // A CSV's first data line is line 2 (after the header); a Parquet file has rows from 1.
    let csv = path.extension().is_some_and(|e| e == "csv");
    let position = |i: usize| {
        if csv {
            format!("line {}", i + 2)
        } else {
            format!("row {}", i + 1)
        }
    };
    if rows.len() != p.table.n_points() {
        return Err(bad(
            path,
            format!(
                "{} labels but the input now gives {} cells; was the input file changed?",
                rows.len(),
                p.table.n_points()
            ),
        ));
    }
    rows.iter()
        .zip(&p.table.cells)
        .enumerate()
        .map(|(i, (&(r, c, label), cell))| {
            if (r, c) != (cell.row, cell.col) {
                Err(bad(path, format!("cell ({r}, {c}) does not match the input file")))
            } else if label >= k {
                Err(bad(
                    path,
                    format!(
                        "{}: cluster {label} but the run has k = {k} (ids 0..{})",
                        position(i),
                        k.saturating_sub(1)
                    ),
                ))
            } else {
                Ok(label)
            }
        })
        .collect()
}

fn restore_linkage(dir: &Path, n: usize) -> Result<Option<WardTree>> {
    let path = dir.join("linkage.csv");
    if !path.exists() {
        return Ok(None);
    }
    #[derive(serde::Deserialize)]
    struct Row {
        idx1: usize,
        idx2: usize,
        height: f64,
        size: usize,
    }
    let rows: Vec<Row> = crate::io::tables::read_csv(&path)?;
    let linkage: Vec<LinkageRow> = rows
        .into_iter()
        .map(|r| LinkageRow {
            left: r.idx1,
            right: r.idx2,
            height: r.height,
            size: r.size,
        })
        .collect();
    // The leaves are the points, or the micro-clusters of Ward at scale: one more than the merges.
    let leaves = linkage.len() + 1;
    if leaves > n.max(1) {
        return Err(bad(&path, format!("{} merges for {n} cells", linkage.len())));
    }
    Ok(Some(WardTree {
        n_points: leaves,
        linkage,
        nn_searches: 0,
        blocks_scanned: 0,
        blocks_pruned: 0,
    }))
}

/// The elbow sweep saved as elbow.csv in `dir`, if any.
pub fn restore_elbow(dir: &Path) -> Result<Option<ElbowSweep>> {
    let path = dir.join("elbow.csv");
    if !path.exists() {
        return Ok(None);
    }
    #[derive(serde::Deserialize)]
    struct Row {
        k: usize,
        wcss: f64,
        silhouette: Option<f64>,
        knee: bool,
        #[serde(default)]
        bic: Option<f64>,
        #[serde(default)]
        aic: Option<f64>,
    }
    let rows: Vec<Row> = crate::io::tables::read_csv(&path)?;
    let criteria = rows
        .iter()
        .map(|r| r.bic.zip(r.aic))
        .collect::<Option<Vec<_>>>()
        .filter(|c| !c.is_empty())
        .map(|c| super::analysis::InformationCriteria {
            bic: c.iter().map(|p| p.0).collect(),
            aic: c.iter().map(|p| p.1).collect(),
        });
    let e = ElbowSweep {
        ks: rows.iter().map(|r| r.k).collect(),
        wcss: rows.iter().map(|r| r.wcss).collect(),
        silhouette: rows.iter().map(|r| r.silhouette).collect(),
        knee: rows.iter().find(|r| r.knee).map(|r| r.k),
        criteria,
    };
    Ok(Some(e))
}
