//! The analysis chain of one run, in memory: table -> z-scores -> reduced space -> k -> labels
//! -> scores. No file is written here (see [`super::outputs`]).

use super::config::{KChoice, Method, Reduce, RunConfig, ScaleSettings};
use super::vae::VaeOutcome;
use crate::cluster::gap::{GapParams, GapStatistic};
use crate::cluster::kmeans::{self, Elbow, KMeans, KMeansParams};
use crate::cluster::labels::relabel_by_key;
use crate::cluster::microward::MicroWardParams;
use crate::cluster::minibatch::MiniBatchKMeansParams;
use crate::cluster::ward::{WardParams, WardTree};
use crate::dataset::{BlockReader, CellTable, TableRequest, Window};
use crate::error::{Error, Result};
use crate::features::{Standardizer, correlation};
use crate::metrics;
use crate::reduce::pca::{Pca, PcaParams};
use ndarray::{Array2, ArrayView2, Axis};
use serde::{Deserialize, Serialize};

/// The loaded data of a run: the cell table (with its grid) and its z-scores.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The input file.
    pub path: std::path::PathBuf,
    pub table: CellTable,
    pub scaler: Standardizer,
    /// Standardized variables (n x d), the "original space" of the scores.
    pub z: Array2<f64>,
    pub correlation: Array2<f64>,
}

/// Load the file, select cells, build the table and standardize it.
pub fn prepare(cfg: &RunConfig) -> Result<Prepared> {
    prepare_with(cfg, false)
}

/// [`prepare`], with progress bars on stderr when `progress`. The table is read in blocks of
/// rows (only the selected cells are kept) after the memory estimate is checked against the
/// limit ([`super::memory`]); `--region` reads only its rows and columns.
pub fn prepare_with(cfg: &RunConfig, progress: bool) -> Result<Prepared> {
    let reader = crate::io::open_input(&cfg.input)?;
    prepare_from(cfg, reader.as_ref(), progress)
}

/// [`prepare_with`] on an already opened grid: a file, or an in-memory
/// [`crate::dataset::GridDataset`] (the Python package hands an xarray Dataset over this way).
/// `cfg.input` is only recorded as the input's name.
pub fn prepare_from(cfg: &RunConfig, reader: &dyn BlockReader, progress: bool) -> Result<Prepared> {
    let window = cfg
        .region
        .as_ref()
        .map(|r| Window::from_box(reader.grid(), r.bbox()))
        .transpose()?;
    let extras: Vec<String> = cfg.truth.iter().filter(|&t| !cfg.vars.contains(t)).cloned().collect();
    let request = TableRequest {
        extras,
        window,
        memory: Some(super::memory::plan(cfg, cfg.vars.len(), cfg.truth.iter().count())),
        progress,
        ..TableRequest::new(&cfg.vars, &cfg.select)
    };
    let table = CellTable::read(reader, &request)?;
    let scaler = Standardizer::fit(table.values.view(), &table.names)?;
    let z = scaler.transform(table.values.view())?;
    let correlation = correlation(z.view());
    Ok(Prepared {
        path: cfg.input.clone(),
        table,
        scaler,
        z,
        correlation,
    })
}

/// The space the clustering runs in.
#[derive(Debug, Clone)]
pub struct Space {
    pub reduce: Reduce,
    /// n x m coordinates (z-scores, PCA scores or VAE latent means).
    pub coords: Array2<f64>,
    /// PCA fitted on all components of the z-scores (for figures), always present.
    pub pca_full: Pca,
    /// Reconstruction R2 of the reduction in the standardized space (1 for none).
    pub r2: f64,
    pub vae: Option<VaeOutcome>,
    /// The tensor train of `tt:R1,R2` or `tt-cell:R1,R2`.
    pub tt: Option<super::tt::TtOutcome>,
    /// How the space was made at this size (e.g. the VAE's training subset), for metrics.json.
    pub notes: Vec<String>,
}

impl Space {
    /// Human description of the space, for score labels.
    pub fn describe(&self) -> String {
        match self.reduce {
            Reduce::None => "standardized variables (z-scores)".into(),
            Reduce::Pca(n) => format!("first {n} principal components of the z-scores"),
            Reduce::Vae(n) => format!("{n}-D VAE latent means of the z-scores"),
            Reduce::Tt(r1, r2) => format!("TT-ranks ({r1}, {r2}) cell embeddings of the z-score tensor"),
            Reduce::TtCell(r1, r2) => {
                format!("TT-ranks ({r1}, {r2}) cell embeddings of the (cell, variable, month) z-score tensor")
            }
        }
    }
}

/// Reduce the z-scores as configured (training the VAE for `vae:N`). Above
/// `ScaleSettings::vae_train_max` cells the VAE trains on that many cells drawn at random
/// (ChaCha8 from the run's seed, in grid order) and then encodes every cell; its R2 is computed
/// on all cells.
pub fn reduce(cfg: &RunConfig, prepared: &Prepared, progress: bool) -> Result<Space> {
    let mut notes = Vec::new();
    let vae = match cfg.reduce {
        Reduce::Vae(n) => {
            let z = prepared.z.view();
            let subset = training_subset(z.nrows(), cfg.scale.vae_train_max, cfg.seed);
            let mut outcome = match &subset {
                None => super::vae::train(cfg, z, n, progress)?,
                Some(rows) => {
                    notes.push(format!(
                        "the VAE trained on {} of the {} cells, drawn at random (--vae-train-max), and encoded all of them",
                        rows.len(),
                        z.nrows()
                    ));
                    let sub = z.select(Axis(0), rows);
                    super::vae::train(cfg, sub.view(), n, progress)?
                }
            };
            // Saved with the model so `landclust encode` standardizes other files the same way.
            outcome.model.set_normalization(crate::reduce::vae::Normalization {
                variables: prepared.scaler.names.clone(),
                mean: prepared.scaler.mean.to_vec(),
                std: prepared.scaler.std.to_vec(),
            })?;
            Some(outcome)
        }
        _ => None,
    };
    let mut space = space_from(cfg.reduce, prepared, vae)?;
    space.notes = notes;
    Ok(space)
}

/// `max` row indices of `0..n` drawn without replacement, sorted; `None` when `n <= max`.
pub fn training_subset(n: usize, max: usize, seed: u64) -> Option<Vec<usize>> {
    use rand::SeedableRng;
    if n <= max {
        return None;
    }
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_7a1e);
    let mut rows = rand::seq::index::sample(&mut rng, n, max).into_vec();
    rows.sort_unstable();
    Some(rows)
}

/// The clustering space for `reduce`, given the trained VAE when `reduce` is `vae:N`.
pub fn space_from(reduce: Reduce, prepared: &Prepared, vae: Option<VaeOutcome>) -> Result<Space> {
    let z = prepared.z.view();
    let d = z.ncols();
    let pca_full = PcaParams::new(d).build()?.fit(z)?;
    let mut tt = None;
    let (coords, r2) = match (reduce, &vae) {
        (Reduce::None, _) => (prepared.z.clone(), 1.0),
        (Reduce::Tt(r1, r2), _) => {
            let (coords, r2, outcome) = super::tt::reduce(prepared, r1, r2)?;
            tt = Some(outcome);
            (coords, r2)
        }
        (Reduce::TtCell(r1, r2), _) => {
            let (coords, r2, outcome) = super::tt::reduce_cells(prepared, r1, r2)?;
            tt = Some(outcome);
            (coords, r2)
        }
        (Reduce::Pca(n), _) => {
            if n > d {
                return Err(super::config::option_error(
                    "--reduce",
                    format!("pca:{n}: the data have only {d} variables"),
                ));
            }
            let pca = PcaParams::new(n).build()?.fit(z)?;
            (pca.transform(z)?, pca.reconstruction(z)?.r2)
        }
        (Reduce::Vae(_), Some(outcome)) => (outcome.model.encode_mean(z)?, outcome.model.r2(z)?),
        (Reduce::Vae(_), None) => {
            return Err(super::config::option_error(
                "--reduce",
                format!("{reduce}: no trained VAE"),
            ));
        }
    };
    Ok(Space {
        reduce,
        coords,
        pca_full,
        r2,
        vae,
        tt,
        notes: Vec::new(),
    })
}

/// The elbow sweep: WCSS and silhouette per k, with the knee.
#[derive(Debug, Clone, Serialize)]
pub struct ElbowSweep {
    pub ks: Vec<usize>,
    pub wcss: Vec<f64>,
    /// Silhouette per k (`None` for k = 1, where it is undefined).
    pub silhouette: Vec<Option<f64>>,
    pub knee: Option<usize>,
}

/// K-Means for k = 1..k_max on `x`, with the silhouette of each k (exact, or sampled above
/// `--silhouette-exact-max` cells as in [`scores`]).
pub fn elbow_sweep(cfg: &RunConfig, x: ArrayView2<f64>) -> Result<ElbowSweep> {
    let k_max = cfg.k_max.min(x.nrows());
    if k_max < 2 {
        return Err(super::config::option_error(
            "--k-max",
            format!("{}: must be at least 2", cfg.k_max),
        ));
    }
    let params = KMeansParams::new(1).n_init(cfg.n_init).seed(cfg.seed);
    let Elbow { ks, wcss, knee, labels } = kmeans::elbow(x, k_max, &params)?;
    let silhouette = ks
        .iter()
        .zip(&labels)
        .map(|(&k, l)| {
            if k < 2 {
                Ok(None)
            } else {
                silhouette_score(x, l, &cfg.scale, cfg.seed).map(|(s, _, _)| Some(s))
            }
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(ElbowSweep {
        ks,
        wcss,
        silhouette,
        knee,
    })
}

/// The clustering of a run.
#[derive(Debug, Clone)]
pub struct Clustering {
    pub method: Method,
    pub k: usize,
    /// Stable labels (see [`stable_order`]).
    pub labels: Vec<usize>,
    /// K-Means inertia (sum of squared distances to the centres) in the clustering space.
    pub inertia: Option<f64>,
    pub ward: Option<WardTree>,
    /// The learned embedding of IDEC/DCSS (`n x latent`): their clustering space, where the
    /// scores are computed.
    pub embedding: Option<Array2<f64>>,
    /// How the clustering ran at this size (mini-batch, micro-clusters), for metrics.json.
    pub notes: Vec<String>,
}

/// Cluster `x` into `k` groups with the configured method; labels renumbered stably.
pub fn cluster(cfg: &RunConfig, prepared: &Prepared, x: ArrayView2<f64>, k: usize) -> Result<Clustering> {
    let n = x.nrows();
    if k > n {
        return Err(super::config::option_error(
            "--k",
            format!("k = {k} exceeds the {n} selected cells"),
        ));
    }
    let mut notes: Vec<String> = Vec::new();
    let mut embedding = None;
    let (raw, inertia, ward) = match cfg.method {
        Method::Kmeans | Method::MiniBatchKmeans => {
            let (model, note) = fit_kmeans(cfg, x, k, cfg.seed)?;
            notes.extend(note);
            (model.labels, Some(model.inertia), None)
        }
        Method::Ward => {
            let (hierarchy, note) = fit_ward(cfg, x, cfg.seed)?;
            notes.extend(note);
            (hierarchy.cut(k)?, None, Some(hierarchy.into_tree()))
        }
        Method::Idec | Method::Dcss => {
            let fit = fit_deep(cfg, x, k, cfg.seed)?;
            notes.push(format!(
                "{}: {} joint iterations after {} pretraining epochs, {}; scores in its {}-D embedding",
                cfg.method,
                fit.history.iterations,
                fit.history.pretrain_loss.len(),
                if fit.history.converged {
                    "converged (label change < --tol)"
                } else {
                    "stopped at --maxiter"
                },
                fit.embedding.ncols()
            ));
            embedding = Some(fit.embedding);
            (fit.labels, None, None)
        }
        Method::Gmm => return Err(super::config::option_error("--method", "gmm: not wired")),
    };
    for note in &notes {
        eprintln!("landclust: {note}");
    }
    let labels = stable_order(prepared, &raw, k);
    Ok(Clustering {
        method: cfg.method,
        k,
        labels,
        inertia,
        ward,
        embedding,
        notes,
    })
}

/// IDEC or DCSS (`cfg.method`) with the run's [`super::config::DeepSettings`] on `x`, `k`
/// clusters, `seed`. Shared by `run` and `stability`.
pub fn fit_deep(cfg: &RunConfig, x: ArrayView2<f64>, k: usize, seed: u64) -> Result<crate::cluster::deep::DeepFit> {
    let params = cfg.deep.params(cfg.method, k, seed)?;
    Ok(params.fit(x)?)
}

/// K-Means of `cfg` on `x` with `seed`: exact Lloyd/Hamerly, or mini-batch K-Means for
/// `--method minibatch-kmeans` and above `--minibatch-above` cells (then a note saying so).
/// Shared by `run` and `stability`, so both cluster the same way at every size.
pub fn fit_kmeans(cfg: &RunConfig, x: ArrayView2<f64>, k: usize, seed: u64) -> Result<(KMeans, Option<String>)> {
    let n = x.nrows();
    let auto = cfg.method == Method::Kmeans && n > cfg.scale.minibatch_above;
    if cfg.method == Method::MiniBatchKmeans || auto {
        let model = MiniBatchKMeansParams::new(k)
            .n_init(cfg.n_init)
            .seed(seed)
            .build()?
            .fit(x)?;
        let note = auto.then(|| {
            format!(
                "kmeans ran as mini-batch K-Means: {n} cells is over --minibatch-above {}; inertia is on all cells",
                cfg.scale.minibatch_above
            )
        });
        return Ok((model, note));
    }
    Ok((
        KMeansParams::new(k).n_init(cfg.n_init).seed(seed).build()?.fit(x)?,
        None,
    ))
}

/// A Ward hierarchy: exact over the points, or over weighted micro-clusters.
#[derive(Debug)]
pub enum Hierarchy {
    Exact(WardTree),
    Micro(crate::cluster::microward::MicroWard),
}

impl Hierarchy {
    /// One label per point for `k` clusters.
    pub fn cut(&self, k: usize) -> Result<Vec<usize>> {
        Ok(match self {
            Hierarchy::Exact(t) => t.cut(k)?,
            Hierarchy::Micro(m) => m.cut(k)?,
        })
    }

    /// The tree (of the points, or of the micro-clusters).
    pub fn into_tree(self) -> WardTree {
        match self {
            Hierarchy::Exact(t) => t,
            Hierarchy::Micro(m) => m.tree,
        }
    }
}

/// Ward of `cfg` on `x`: exact up to `--ward-exact-max` cells, on `--ward-micro` K-Means
/// micro-clusters (seeded with `seed`) weighted by their sizes above (then a note saying so).
/// Shared by `run` and `stability`.
pub fn fit_ward(cfg: &RunConfig, x: ArrayView2<f64>, seed: u64) -> Result<(Hierarchy, Option<String>)> {
    let n = x.nrows();
    if n <= cfg.scale.ward_exact_max {
        return Ok((Hierarchy::Exact(WardParams::new().build()?.fit(x)?), None));
    }
    let micro = MicroWardParams::new()
        .micro(cfg.scale.ward_micro)
        .seed(seed)
        .build()?
        .fit(x)?;
    let note = format!(
        "ward ran on {} K-Means micro-clusters weighted by their sizes: {n} cells is over --ward-exact-max {}; the dendrogram and linkage.csv are those of the micro-clusters",
        micro.n_micro(),
        cfg.scale.ward_exact_max
    );
    Ok((Hierarchy::Micro(micro), Some(note)))
}

/// Renumber clusters by ascending mean NDVI of their cells when NDVI is a chosen variable,
/// else by ascending mean score on the first principal component; so cluster 0 is the least
/// vegetated (desert, snow) and colours mean the same across methods and runs.
pub fn stable_order(prepared: &Prepared, raw: &[usize], k: usize) -> Vec<usize> {
    let key_column: Vec<f64> = match prepared.table.names.iter().position(|n| n == "NDVI") {
        Some(c) => prepared.table.values.column(c).to_vec(),
        None => {
            let pc1 = first_pc_scores(prepared.z.view());
            pc1.to_vec()
        }
    };
    let column = ndarray::ArrayView2::from_shape((key_column.len(), 1), &key_column);
    let key: Vec<f64> = match column
        .map_err(|e| e.to_string())
        .and_then(|c| crate::cluster::labels::ClusterSums::of(c, raw, k).map_err(|e| e.to_string()))
    {
        Ok(sums) => sums.means(f64::INFINITY).column(0).to_vec(),
        Err(_) => return raw.to_vec(),
    };
    relabel_by_key(raw, k, &key)
        .map(|(labels, _)| labels)
        .unwrap_or_else(|_| raw.to_vec())
}

fn first_pc_scores(z: ArrayView2<f64>) -> ndarray::Array1<f64> {
    match PcaParams::new(1).fit(z).and_then(|p| p.transform(z)) {
        Ok(scores) => scores.index_axis(Axis(1), 0).to_owned(),
        Err(_) => z.index_axis(Axis(1), 0).to_owned(),
    }
}

/// Internal scores of one labeling in one space.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Scores {
    /// Exact mean silhouette, or its stratified sampled estimate above
    /// `ScaleSettings::silhouette_exact_max` points (then `silhouette_std_error` and
    /// `silhouette_sample_size` say so).
    pub silhouette: f64,
    pub davies_bouldin: f64,
    pub calinski_harabasz: f64,
    /// Standard error of a sampled silhouette (`None`: exact over all points).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub silhouette_std_error: Option<f64>,
    /// Points scored by a sampled silhouette (`None`: exact over all points).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub silhouette_sample_size: Option<usize>,
}

/// Silhouette, Davies-Bouldin and Calinski-Harabasz of `labels` in `x`. Davies-Bouldin and
/// Calinski-Harabasz are always exact (O(n)); the silhouette is exact up to
/// `scale.silhouette_exact_max` points and a stratified sampled estimate of
/// `scale.silhouette_sample` points (drawn with `seed`) above.
pub fn scores(x: ArrayView2<f64>, labels: &[usize], scale: &ScaleSettings, seed: u64) -> Result<Scores> {
    let (silhouette, std_error, sample) = silhouette_score(x, labels, scale, seed)?;
    Ok(Scores {
        silhouette,
        davies_bouldin: metrics::davies_bouldin(x, labels)?,
        calinski_harabasz: metrics::calinski_harabasz(x, labels)?,
        silhouette_std_error: std_error,
        silhouette_sample_size: sample,
    })
}

/// The silhouette as [`scores`] computes it: `(value, standard error, sample size)`, the last two
/// `None` when exact.
pub fn silhouette_score(
    x: ArrayView2<f64>,
    labels: &[usize],
    scale: &ScaleSettings,
    seed: u64,
) -> Result<(f64, Option<f64>, Option<usize>)> {
    if x.nrows() <= scale.silhouette_exact_max {
        return Ok((metrics::silhouette(x, labels)?, None, None));
    }
    let est = metrics::silhouette_stratified(x, labels, scale.silhouette_sample, seed)?;
    if est.exact {
        return Ok((est.mean, None, None));
    }
    Ok((est.mean, Some(est.std_error), Some(est.n_sample)))
}

/// Agreement of the clusters with a class variable of the file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TruthComparison {
    pub variable: String,
    /// Cells compared (truth present).
    pub n_compared: usize,
    /// Cells left out because the truth was missing there.
    pub n_missing_truth: usize,
    pub ari: f64,
    pub nmi: f64,
    /// The truth's class values, in the order of the contingency table's columns.
    pub classes: Vec<i64>,
    /// clusters x classes; row `i` is cluster `i` (k rows, empty for a cluster without truth).
    pub contingency: Vec<Vec<usize>>,
}

/// Compare `labels` with the integer-valued variable `name` over the table's cells.
pub fn compare_truth(prepared: &Prepared, name: &str, labels: &[usize]) -> Result<TruthComparison> {
    let table = &prepared.table;
    let column: Vec<f64> = match table.extra(name) {
        Some(values) => values.to_vec(),
        None => match table.names.iter().position(|n| n == name) {
            Some(j) => table.values.column(j).to_vec(),
            None => {
                return Err(super::config::option_error(
                    "--truth",
                    format!("variable {name} was not read with the table"),
                ));
            }
        },
    };
    let mut classes: Vec<i64> = Vec::new();
    let mut pairs: Vec<(usize, i64)> = Vec::new();
    for ((cell, &l), &v) in table.cells.iter().zip(labels).zip(&column) {
        if v.is_nan() {
            continue;
        }
        if v.fract() != 0.0 || v.abs() > 1e15 {
            return Err(super::config::option_error(
                "--truth",
                format!(
                    "variable {name} is not integer-like (value {v} at lat {}, lon {})",
                    cell.lat, cell.lon
                ),
            ));
        }
        pairs.push((l, v as i64));
        classes.push(v as i64);
    }
    classes.sort_unstable();
    classes.dedup();
    if pairs.is_empty() {
        return Err(super::config::option_error(
            "--truth",
            format!("variable {name} is missing on every selected cell"),
        ));
    }
    let truth_index: Vec<usize> = pairs
        .iter()
        .map(|(_, c)| classes.binary_search(c).unwrap_or(0))
        .collect();
    let cluster_labels: Vec<usize> = pairs.iter().map(|(l, _)| *l).collect();
    // Indexed by the real cluster id (k rows, k from every cell's label): a cluster whose cells
    // all lack the truth keeps its own, empty row instead of shifting the later ones up.
    let k = labels.iter().max().map_or(0, |&m| m + 1);
    let mut table = vec![vec![0usize; classes.len()]; k];
    for (&l, &c) in cluster_labels.iter().zip(&truth_index) {
        table[l][c] += 1;
    }
    Ok(TruthComparison {
        variable: name.into(),
        n_compared: pairs.len(),
        n_missing_truth: labels.len() - pairs.len(),
        ari: metrics::adjusted_rand_index(&cluster_labels, &truth_index)?,
        nmi: metrics::normalized_mutual_info(&cluster_labels, &truth_index)?,
        classes,
        contingency: table,
    })
}

/// How `--k auto` chose k: metrics.json `k_choice`. The rule is the gap statistic (first SE
/// max, [`crate::cluster::gap`]); the elbow knee (Kneedle) and the k of the best silhouette are
/// computed beside it and reported, never used in its place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KChoiceReport {
    /// The rule that chose k: `"gap"` (first SE max), or, when the gap statistic still rises
    /// at `--k-max`, the elbow knee, else the best silhouette (named with the reason).
    pub rule: String,
    /// The k used.
    pub k: usize,
    pub gap_k: Option<usize>,
    pub elbow_k: Option<usize>,
    pub silhouette_k: Option<usize>,
    /// Number of uniform reference sets B of the gap statistic.
    pub n_refs: usize,
}

impl KChoiceReport {
    /// Whether the elbow or the silhouette point to another k than the gap statistic.
    pub fn disagreement(&self) -> Option<String> {
        let others: Vec<String> = [("elbow knee", self.elbow_k), ("best silhouette", self.silhouette_k)]
            .iter()
            .filter_map(|(name, k)| k.filter(|&k| k != self.k).map(|k| format!("{name} k = {k}")))
            .collect();
        (!others.is_empty()).then(|| {
            format!(
                "--k auto: the {} chose k = {} (gap statistic with B = {}); the {} disagree{}",
                self.rule,
                self.k,
                self.n_refs,
                others.join(" and the "),
                if others.len() == 1 { "s" } else { "" }
            )
        })
    }
}

/// The gap statistic of `x` for k = 1..k_max (B = [`crate::cluster::gap::DEFAULT_REFERENCES`] reference sets,
/// the run's n_init and seed).
pub fn gap_sweep(cfg: &RunConfig, x: ArrayView2<f64>) -> Result<GapStatistic> {
    let k_max = cfg.k_max.min(x.nrows());
    Ok(GapParams::new(k_max)
        .n_init(cfg.n_init)
        .seed(cfg.seed)
        .build()?
        .fit(x)?)
}

/// Resolve `--k`: fixed, or the gap statistic's k for `auto` (an error, never a silent default,
/// when the gap statistic finds no k in 2..k_max), with the elbow and silhouette beside it.
pub fn resolve_k(
    cfg: &RunConfig,
    elbow: Option<&ElbowSweep>,
    gap: Option<&GapStatistic>,
) -> Result<(usize, Option<KChoiceReport>)> {
    let KChoice::Fixed(k) = cfg.k else {
        let (Some(e), Some(g)) = (elbow, gap) else {
            return Err(Error::Option {
                option: "--k".into(),
                message: "auto needs the elbow sweep and the gap statistic".into(),
            });
        };
        let silhouette_k =
            e.ks.iter()
                .zip(&e.silhouette)
                .filter_map(|(&k, s)| s.map(|s| (k, s)))
                .fold(None, |best: Option<(usize, f64)>, (k, s)| match best {
                    Some((_, b)) if b >= s => best,
                    _ => Some((k, s)),
                })
                .map(|(k, _)| k);
        let beside = format!(
            "(elbow knee: {}, best silhouette: {})",
            e.knee.map_or("none".into(), |k| format!("k = {k}")),
            silhouette_k.map_or("none".into(), |k| format!("k = {k}"))
        );
        let (k, rule) = match g.k {
            Some(k) if k >= 2 => (k, "gap".to_string()),
            Some(_) => {
                return Err(super::config::option_error(
                    "--k",
                    format!("auto: the gap statistic finds no cluster structure (k = 1) {beside}; give --k N"),
                ));
            }
            // The gap still rises at k_max (common on continuous land-surface data): the next
            // rule takes over, said on stderr and in metrics.json, never silently.
            None => match (e.knee.filter(|&k| k >= 2), silhouette_k) {
                (Some(k), _) => (k, "elbow knee (the gap statistic still rises at --k-max)".to_string()),
                (None, Some(k)) => (
                    k,
                    "best silhouette (the gap statistic still rises at --k-max, no elbow knee)".to_string(),
                ),
                (None, None) => {
                    return Err(super::config::option_error(
                        "--k",
                        format!(
                            "auto: the gap statistic still rises at k = {} and neither the elbow nor the silhouette gives a k {beside}; raise --k-max or give --k N",
                            g.ks.len()
                        ),
                    ));
                }
            },
        };
        if g.k.is_none() {
            eprintln!(
                "landclust: --k auto: the gap statistic has no first SE maximum up to k = {}; using the {rule}: k = {k} {beside}",
                g.ks.len()
            );
        }
        return Ok((
            k,
            Some(KChoiceReport {
                rule,
                k,
                gap_k: g.k,
                elbow_k: e.knee,
                silhouette_k,
                n_refs: g.n_refs,
            }),
        ));
    };
    Ok((k, None))
}

#[cfg(test)]
#[path = "analysis_tests.rs"]
mod tests;
