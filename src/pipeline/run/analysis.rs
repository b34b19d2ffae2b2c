//! The analysis of one run, in memory, in the reduced space: the choice of k (elbow, gap
//! statistic), the clustering (through the method seam of [`super::methods`]), the stable cluster
//! order, the scores and the comparison with a truth variable. The table and the space come from
//! [`super::prepare`] and [`super::reductions`] (re-exported here); no file is written here.

use crate::cluster::gap::{GapParams, GapStatistic};
use crate::cluster::kmeans::{self, Elbow, KMeansParams};
use crate::cluster::labels::relabel_by_key;
use crate::cluster::ward::WardTree;
use crate::error::{Error, Result};
use crate::metrics;
use crate::pipeline::config::{KChoice, KRule, Method, RunConfig, ScaleSettings};
use crate::reduce::pca::PcaParams;
use ndarray::{Array2, ArrayView1, ArrayView2, Axis};
use serde::{Deserialize, Serialize};

pub use super::prepare::{Prepared, prepare, prepare_from, prepare_with};
pub use super::reductions::{Space, reduce, space_from, training_subset};

/// The elbow sweep: WCSS and silhouette per k, with the knee.
#[derive(Debug, Clone, Serialize)]
pub struct ElbowSweep {
    pub ks: Vec<usize>,
    pub wcss: Vec<f64>,
    /// Silhouette per k (`None` for k = 1, where it is undefined).
    pub silhouette: Vec<Option<f64>>,
    pub knee: Option<usize>,
    /// The Gaussian mixture's information criteria per k (`--method gmm`, or `--k-rule bic|aic`),
    /// each over all cells; lower is better.
    pub criteria: Option<InformationCriteria>,
}

/// BIC (Schwarz 1978) and AIC (Akaike 1974) of the run's Gaussian mixture at each k of a sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InformationCriteria {
    pub bic: Vec<f64>,
    pub aic: Vec<f64>,
}

impl InformationCriteria {
    /// The k of the smallest value of `rule`'s criterion among `ks` (the first on ties).
    pub fn best_k(&self, ks: &[usize], rule: KRule) -> Option<usize> {
        let values = match rule {
            KRule::Bic => &self.bic,
            KRule::Aic => &self.aic,
            KRule::Gap => return None,
        };
        ks.iter()
            .zip(values)
            .filter(|(_, v)| v.is_finite())
            .fold(None, |best: Option<(usize, f64)>, (&k, &v)| match best {
                Some((_, b)) if b <= v => best,
                _ => Some((k, v)),
            })
            .map(|(k, _)| k)
    }
}

/// Whether a sweep over k fits the Gaussian mixture for its BIC and AIC: with `--method gmm`,
/// or when one of them chooses k.
pub fn sweeps_criteria(cfg: &RunConfig) -> bool {
    cfg.method == Method::Gmm || matches!(cfg.k_rule, KRule::Bic | KRule::Aic)
}

/// The mixture's BIC and AIC at each k of `ks` (the run's `--gmm-covariance`, restarts, seed
/// and `--gmm-fit-max`, whatever `--method` is); with a weight per row, those of the weighted
/// mixture (docs/weights.md).
pub fn criteria_sweep(
    cfg: &RunConfig,
    x: ArrayView2<f64>,
    weights: Option<ArrayView1<f64>>,
    ks: &[usize],
) -> Result<InformationCriteria> {
    let mixture = super::methods::mixture(cfg);
    let mut out = InformationCriteria {
        bic: Vec::with_capacity(ks.len()),
        aic: Vec::with_capacity(ks.len()),
    };
    for &k in ks {
        let fit = crate::cluster::method::Clusterer::fit_weighted(&mixture, x, weights, k, cfg.seed)?;
        out.bic.push(fit.diagnostic("bic").unwrap_or(f64::NAN));
        out.aic.push(fit.diagnostic("aic").unwrap_or(f64::NAN));
    }
    Ok(out)
}

/// Fewest cells per cluster, on average, that a sweep over k asks for: a sweep towards as many
/// clusters as cells costs O(n k) per K-Means fit and measures nothing.
pub const MIN_CELLS_PER_CLUSTER: usize = 10;

/// The largest k of a sweep over `n` cells: `--k-max`, lowered (with a note) to
/// n / [`MIN_CELLS_PER_CLUSTER`] (at least 2).
pub fn sweep_k_max(cfg: &RunConfig, n: usize) -> usize {
    let bound = k_max_bound(n);
    if cfg.k_max > bound {
        crate::progress::note(format!(
            "--k-max {} lowered to {bound}: {n} cells allow at most {MIN_CELLS_PER_CLUSTER} cells per cluster on average",
            cfg.k_max
        ));
    }
    cfg.k_max.min(bound)
}

fn k_max_bound(n: usize) -> usize {
    (n / MIN_CELLS_PER_CLUSTER).max(2).min(n)
}

/// K-Means for k = 1..k_max on `x`, with the silhouette of each k (exact, or sampled above
/// `--silhouette-exact-max` cells as in [`scores`]).
pub fn elbow_sweep(cfg: &RunConfig, x: ArrayView2<f64>) -> Result<ElbowSweep> {
    elbow_sweep_weighted(cfg, x, None)
}

/// [`elbow_sweep`] with a weight per row (`--weights area`): weighted K-Means inertia and the
/// weighted silhouette.
pub fn elbow_sweep_weighted(
    cfg: &RunConfig,
    x: ArrayView2<f64>,
    weights: Option<ArrayView1<f64>>,
) -> Result<ElbowSweep> {
    let k_max = sweep_k_max(cfg, x.nrows());
    if k_max < 2 {
        return Err(crate::pipeline::config::option_error(
            "--k-max",
            format!("{}: must be at least 2", cfg.k_max),
        ));
    }
    let params = KMeansParams::new(1)
        .n_init(cfg.n_init)
        .seed(cfg.seed)
        .restart_sampling(kmeans::restart_sampling_above(cfg.scale.kmeans_sample_above));
    let Elbow { ks, wcss, knee, labels } = kmeans::elbow_weighted(x, weights, k_max, &params)?;
    let silhouette = ks
        .iter()
        .zip(&labels)
        .map(|(&k, l)| {
            if k < 2 {
                Ok(None)
            } else {
                silhouette_score_weighted(x, l, weights, &cfg.scale, cfg.seed).map(|(s, _, _)| Some(s))
            }
        })
        .collect::<Result<Vec<_>>>()?;
    let criteria = sweeps_criteria(cfg)
        .then(|| criteria_sweep(cfg, x, weights, &ks))
        .transpose()?;
    Ok(ElbowSweep {
        ks,
        wcss,
        silhouette,
        knee,
        criteria,
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
    /// Membership in [0, 1] of each cell in its cluster, when the method gives one (a
    /// mixture's largest posterior probability): written beside the labels.
    pub membership: Option<Vec<f64>>,
    /// The method's named numbers ([`crate::cluster::method::ClusterFit::diagnostics`]).
    pub diagnostics: Vec<(String, f64)>,
    /// How the clustering ran at this size (mini-batch, micro-clusters), for metrics.json.
    pub notes: Vec<String>,
    /// One name per cluster (the user's `--names`, else the name proposed from the cluster's
    /// profile, see clusters.csv); empty until the run names its clusters.
    pub names: Vec<String>,
}

/// Cluster `x` into `k` groups with the configured method ([`super::methods::clusterer`]);
/// labels renumbered stably.
pub fn cluster(cfg: &RunConfig, prepared: &Prepared, x: ArrayView2<f64>, k: usize) -> Result<Clustering> {
    let n = x.nrows();
    if k > n {
        return Err(crate::pipeline::config::option_error(
            "--k",
            format!("k = {k} exceeds the {n} selected cells"),
        ));
    }
    let weights = prepared.weights.as_ref().map(|w| w.view());
    let fit = super::methods::clusterer_for_cells(cfg, &prepared.table)?.fit_weighted(x, weights, k, cfg.seed)?;
    let notes = fit.all_notes();
    for note in &notes {
        crate::progress::note(note);
    }
    // A cut at a height or the merge of small regions chooses the number of regions itself.
    let k = if cfg.cut_height.is_some() || cfg.min_region_cells.is_some() {
        let regions = fit.labels.iter().max().map_or(0, |&m| m + 1);
        if regions > crate::pipeline::options::MAX_CLUSTERS {
            return Err(crate::pipeline::config::option_error(
                if cfg.cut_height.is_some() {
                    "--cut-height"
                } else {
                    "--k"
                },
                format!(
                    "{regions} regions: at most {} (labels.tif stores 8-bit classes); raise --cut-height or --min-region-cells",
                    crate::pipeline::options::MAX_CLUSTERS
                ),
            ));
        }
        regions
    } else {
        k
    };
    let labels = stable_order(prepared, &fit.labels, k);
    Ok(Clustering {
        method: cfg.method,
        k,
        labels,
        inertia: fit.diagnostic("inertia"),
        ward: fit.tree,
        embedding: fit.embedding,
        membership: fit.membership,
        diagnostics: fit.diagnostics,
        notes,
        names: Vec::new(),
    })
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
    /// Exact mean silhouette, or its two-stage sampled estimate above
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
/// `scale.silhouette_exact_max` points and above it the two-stage estimate of
/// [`metrics::silhouette_two_stage`]: `scale.silhouette_sample` points stratified by cluster,
/// each scored against `scale.silhouette_reference` reference points of every cluster (drawn
/// with `seed`), with a standard error of both stages.
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

/// [`scores`] with a weight per row (`None`: [`scores`] itself): the weighted silhouette mean,
/// Davies-Bouldin and Calinski-Harabasz of [`metrics::silhouette_weighted`] and its siblings.
pub fn scores_weighted(
    x: ArrayView2<f64>,
    labels: &[usize],
    weights: Option<ArrayView1<f64>>,
    scale: &ScaleSettings,
    seed: u64,
) -> Result<Scores> {
    let Some(w) = weights else {
        return scores(x, labels, scale, seed);
    };
    let (silhouette, std_error, sample) = silhouette_score_weighted(x, labels, weights, scale, seed)?;
    Ok(Scores {
        silhouette,
        davies_bouldin: metrics::davies_bouldin_weighted(x, labels, w)?,
        calinski_harabasz: metrics::calinski_harabasz_weighted(x, labels, w)?,
        silhouette_std_error: std_error,
        silhouette_sample_size: sample,
    })
}

/// [`silhouette_score`] with a weight per row: exact up to `scale.silhouette_exact_max` rows,
/// above it the weighted silhouette of a uniform sample of `scale.silhouette_sample` rows
/// ([`metrics::silhouette_weighted_subsample`], sample size reported, no standard error).
pub fn silhouette_score_weighted(
    x: ArrayView2<f64>,
    labels: &[usize],
    weights: Option<ArrayView1<f64>>,
    scale: &ScaleSettings,
    seed: u64,
) -> Result<(f64, Option<f64>, Option<usize>)> {
    let Some(w) = weights else {
        return silhouette_score(x, labels, scale, seed);
    };
    if x.nrows() <= scale.silhouette_exact_max {
        return Ok((metrics::silhouette_weighted(x, labels, w)?, None, None));
    }
    let s = metrics::silhouette_weighted_subsample(x, labels, w, scale.silhouette_sample, seed)?;
    Ok((s, None, Some(scale.silhouette_sample)))
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
    let est = metrics::silhouette_two_stage(x, labels, scale.silhouette_sample, scale.silhouette_reference, seed)?;
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
    /// The name of each class of `classes`: from `--truth-names`, else the variable's CF
    /// `flag_meanings`, else the value itself.
    #[serde(default)]
    pub class_names: Vec<String>,
    /// clusters x classes; row `i` is cluster `i` (k rows, empty for a cluster without truth).
    pub contingency: Vec<Vec<usize>>,
    /// The same table in km2 (each cell counted by its area on the grid's ellipsoid).
    #[serde(default)]
    pub contingency_km2: Vec<Vec<f64>>,
    /// Homogeneity, completeness, V-measure, Cramer's V, and overall accuracy and Cohen's kappa
    /// after mapping each cluster to its majority class, each cell counted once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement: Option<metrics::Agreement>,
    /// The same measures with each cell counted by its area.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement_area_weighted: Option<metrics::Agreement>,
}

/// Compare `labels` with the integer-valued variable `name` over the table's cells, its classes
/// named as the input names them.
pub fn compare_truth(prepared: &Prepared, name: &str, labels: &[usize]) -> Result<TruthComparison> {
    compare_truth_named(prepared, name, labels, None)
}

/// [`compare_truth`] with the user's class names (`--truth-names`) over the input's.
pub fn compare_truth_named(
    prepared: &Prepared,
    name: &str,
    labels: &[usize],
    given: Option<&std::collections::BTreeMap<i64, String>>,
) -> Result<TruthComparison> {
    let table = &prepared.table;
    let column: Vec<f64> = match table.extra(name) {
        Some(values) => values.to_vec(),
        None => match table.names.iter().position(|n| n == name) {
            Some(j) => table.values.column(j).to_vec(),
            None => {
                return Err(crate::pipeline::config::option_error(
                    "--truth",
                    format!("variable {name} was not read with the table"),
                ));
            }
        },
    };
    let cell_area = crate::dataset::area::CellAreaLookup::new(&table.grid, &table.cells);
    let mut classes: Vec<i64> = Vec::new();
    let mut pairs: Vec<(usize, i64)> = Vec::new();
    let mut areas: Vec<f64> = Vec::new();
    for (i, ((cell, &l), &v)) in table.cells.iter().zip(labels).zip(&column).enumerate() {
        let area = cell_area.km2(i, cell);
        if v.is_nan() {
            continue;
        }
        if v.fract() != 0.0 || v.abs() > 1e15 {
            return Err(crate::pipeline::config::option_error(
                "--truth",
                format!(
                    "variable {name} is not integer-like (value {v} at lat {}, lon {})",
                    cell.lat, cell.lon
                ),
            ));
        }
        pairs.push((l, v as i64));
        areas.push(area);
        classes.push(v as i64);
    }
    classes.sort_unstable();
    classes.dedup();
    let from_file = prepared.truth_classes.get(name);
    let class_names = classes
        .iter()
        .map(|c| {
            given
                .and_then(|g| g.get(c).cloned())
                .or_else(|| from_file.and_then(|f| f.iter().find(|(v, _)| v == c).map(|(_, n)| n.clone())))
                .unwrap_or_else(|| c.to_string())
        })
        .collect();
    if pairs.is_empty() {
        return Err(crate::pipeline::config::option_error(
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
    let mut table_km2 = vec![vec![0.0f64; classes.len()]; k];
    for ((&l, &c), &a) in cluster_labels.iter().zip(&truth_index).zip(&areas) {
        table[l][c] += 1;
        table_km2[l][c] += a;
    }
    Ok(TruthComparison {
        variable: name.into(),
        n_compared: pairs.len(),
        n_missing_truth: labels.len() - pairs.len(),
        ari: metrics::adjusted_rand_index(&cluster_labels, &truth_index)?,
        nmi: metrics::normalized_mutual_info(&cluster_labels, &truth_index)?,
        classes,
        class_names,
        contingency: table,
        contingency_km2: table_km2,
        agreement: Some(metrics::agreement(&truth_index, &cluster_labels, None)?),
        agreement_area_weighted: Some(metrics::agreement(&truth_index, &cluster_labels, Some(&areas))?),
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
    /// The k of the smallest BIC and AIC of the Gaussian mixture, when swept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bic_k: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aic_k: Option<usize>,
    /// Number of uniform reference sets B of the gap statistic (0 when it was not computed).
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

/// `--k auto --k-rule bic|aic`: the k of the smallest criterion of the Gaussian mixture over
/// k = 1..k-max (an error when it is k = 1: no cluster structure), with the gap statistic left
/// out and the elbow knee and best silhouette reported beside it.
fn resolve_k_by_criterion(cfg: &RunConfig, elbow: Option<&ElbowSweep>) -> Result<(usize, Option<KChoiceReport>)> {
    let rule = cfg.k_rule;
    let Some((e, c)) = elbow.and_then(|e| e.criteria.as_ref().map(|c| (e, c))) else {
        return Err(crate::pipeline::config::option_error(
            "--k-rule",
            format!("{rule}: needs the sweep of the mixture's information criteria"),
        ));
    };
    let silhouette_k = best_silhouette_k(e);
    let k = match c.best_k(&e.ks, rule) {
        Some(k) if k >= 2 => k,
        Some(_) => {
            return Err(crate::pipeline::config::option_error(
                "--k",
                format!("auto: the smallest {rule} is at k = 1 (no cluster structure for the mixture); give --k N"),
            ));
        }
        None => {
            return Err(crate::pipeline::config::option_error(
                "--k",
                format!("auto: no finite {rule} for k = 1..{}; give --k N", cfg.k_max),
            ));
        }
    };
    if Some(&k) == e.ks.last() {
        crate::progress::note(format!(
            "--k auto: the smallest {rule} is at --k-max = {k}; it may fall further above it (raise --k-max to look)"
        ));
    }
    let rule_text = match rule {
        KRule::Bic => "bic",
        _ => "aic",
    };
    Ok((
        k,
        Some(KChoiceReport {
            rule: rule_text.to_string(),
            k,
            gap_k: None,
            elbow_k: e.knee,
            silhouette_k,
            bic_k: c.best_k(&e.ks, KRule::Bic),
            aic_k: c.best_k(&e.ks, KRule::Aic),
            n_refs: 0,
        }),
    ))
}

/// The k of the best silhouette in a sweep (the smallest k on ties).
fn best_silhouette_k(e: &ElbowSweep) -> Option<usize> {
    e.ks.iter()
        .zip(&e.silhouette)
        .filter_map(|(&k, s)| s.map(|s| (k, s)))
        .fold(None, |best: Option<(usize, f64)>, (k, s)| match best {
            Some((_, b)) if b >= s => best,
            _ => Some((k, s)),
        })
        .map(|(k, _)| k)
}

/// The gap statistic of `x` for k = 1..k_max (B = [`crate::cluster::gap::DEFAULT_REFERENCES`] reference sets,
/// the run's n_init and seed), weighted when `weights` are given ([`GapParams::fit_weighted`]).
pub fn gap_sweep(cfg: &RunConfig, x: ArrayView2<f64>, weights: Option<ArrayView1<f64>>) -> Result<GapStatistic> {
    // The elbow sweep beside it has said when --k-max was lowered.
    let k_max = cfg.k_max.min(k_max_bound(x.nrows()));
    Ok(GapParams::new(k_max)
        .n_init(cfg.n_init)
        .seed(cfg.seed)
        .build()?
        .fit_weighted(x, weights)?)
}

/// Resolve `--k`: fixed, or the gap statistic's k for `auto` (an error, never a silent default,
/// when the gap statistic finds no k in 2..k_max), with the elbow and silhouette beside it.
pub fn resolve_k(
    cfg: &RunConfig,
    elbow: Option<&ElbowSweep>,
    gap: Option<&GapStatistic>,
) -> Result<(usize, Option<KChoiceReport>)> {
    let KChoice::Fixed(k) = cfg.k else {
        if matches!(cfg.k_rule, KRule::Bic | KRule::Aic) {
            return resolve_k_by_criterion(cfg, elbow);
        }
        let (Some(e), Some(g)) = (elbow, gap) else {
            return Err(Error::Option {
                option: "--k".into(),
                message: "auto needs the elbow sweep and the gap statistic".into(),
            });
        };
        let silhouette_k = best_silhouette_k(e);
        let beside = format!(
            "(elbow knee: {}, best silhouette: {})",
            e.knee.map_or("none".into(), |k| format!("k = {k}")),
            silhouette_k.map_or("none".into(), |k| format!("k = {k}"))
        );
        let (k, rule) = match g.k {
            Some(k) if k >= 2 => (k, "gap".to_string()),
            Some(_) => {
                return Err(crate::pipeline::config::option_error(
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
                    return Err(crate::pipeline::config::option_error(
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
            crate::progress::note(format!(
                "--k auto: the gap statistic has no first SE maximum up to k = {}; using the {rule}: k = {k} {beside}",
                g.ks.len()
            ));
        }
        return Ok((
            k,
            Some(KChoiceReport {
                rule,
                k,
                gap_k: g.k,
                elbow_k: e.knee,
                silhouette_k,
                bic_k: e.criteria.as_ref().and_then(|c| c.best_k(&e.ks, KRule::Bic)),
                aic_k: e.criteria.as_ref().and_then(|c| c.best_k(&e.ks, KRule::Aic)),
                n_refs: g.n_refs,
            }),
        ));
    };
    Ok((k, None))
}

#[cfg(test)]
#[path = "analysis_tests.rs"]
mod tests;
