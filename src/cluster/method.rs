//! One seam for every clustering method: a [`Clusterer`] fits `k` clusters on the rows of a
//! matrix and returns a [`ClusterFit`] that carries everything the rest of a run needs (labels,
//! centres, named diagnostics, an optional per-row membership, an optional learned embedding,
//! the note of a switch to a scalable form, a merge tree), and, where it means something, a
//! fitted model that assigns new rows ([`Predictor`]).
//!
//! A method is one type implementing [`Clusterer`] plus one line in the pipeline's factory that
//! builds it from the run's settings. The implementations of the methods landclust has today
//! (K-Means with its mini-batch form, Ward with its micro-cluster form, IDEC and DCSS) are here,
//! each a thin adapter over its algorithm module, so the numerics are those of the algorithm.

use super::ClusterError;
use super::deep::{DeepError, DeepParams};
use super::kmeans::{KMeans, KMeansAlgorithm, KMeansParams, restart_sampling_above};
use super::microward::{MicroWard, MicroWardParams};
use super::minibatch::MiniBatchKMeansParams;
use super::ward::{WardParams, WardTree};
use ndarray::{Array2, ArrayView1, ArrayView2};
use std::fmt::Debug;
use std::sync::Arc;

/// Errors of a clustering method: those of the algorithms it runs.
#[derive(Debug, thiserror::Error)]
pub enum MethodError {
    #[error(transparent)]
    Cluster(#[from] ClusterError),
    #[error(transparent)]
    Deep(#[from] DeepError),
    /// Weights given to a method (or a form of it) that does not take them.
    #[error("--weights: {0} does not take cell weights (use --weights none)")]
    Unweighted(String),
    /// The own error of a method whose algorithm module has its own error type.
    #[error(transparent)]
    Other(Box<dyn std::error::Error + Send + Sync + 'static>),
}

impl MethodError {
    /// Wrap an algorithm's own error (see [`MethodError::Other`]).
    pub fn other(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        MethodError::Other(Box::new(e))
    }
}

/// A fitted model that assigns rows to its clusters.
pub trait Predictor: Debug + Send + Sync {
    /// The cluster of each row of `x` (columns as in the fit).
    fn predict(&self, x: ArrayView2<f64>) -> Result<Vec<usize>, MethodError>;
    /// Membership in [0, 1] of each row of `x` in its cluster (a mixture's largest posterior
    /// probability); `None` for a hard assignment.
    fn membership(&self, x: ArrayView2<f64>) -> Option<Result<Vec<f64>, MethodError>> {
        let _ = x;
        None
    }
}

impl Predictor for KMeans {
    /// Nearest centre (squared Euclidean, the lower index on ties).
    fn predict(&self, x: ArrayView2<f64>) -> Result<Vec<usize>, MethodError> {
        Ok(KMeans::predict(self, x)?)
    }
}

/// What a clustering method gives back. Labels are the method's own numbering `0..k`; the run
/// renumbers them into its stable order afterwards.
#[derive(Debug, Clone, Default)]
pub struct ClusterFit {
    /// Cluster of each row.
    pub labels: Vec<usize>,
    /// `k x m` centres in the clustering space (K-Means' centres, a mixture's means, IDEC/DCSS's
    /// centres in their embedding); `None` for a method without centres (Ward).
    pub centres: Option<Array2<f64>>,
    /// Named numbers for metrics.json, in the method's order (K-Means: `inertia`, `n_iter`; a
    /// mixture: `log_likelihood`, `bic`, `aic`).
    pub diagnostics: Vec<(String, f64)>,
    /// Membership in [0, 1] of each row in its cluster (a mixture's largest posterior
    /// probability); `None` for a hard clustering (K-Means, Ward).
    pub membership: Option<Vec<f64>>,
    /// The learned embedding (`n x latent`) of a method that learns its own space (IDEC, DCSS):
    /// the space its clusters are scored in.
    pub embedding: Option<Array2<f64>>,
    /// Said when the method switched to its scalable form at this size (mini-batch K-Means
    /// above a number of rows, Ward on micro-clusters).
    pub scale_note: Option<String>,
    /// Other notes on how the fit ran (a deep method's training summary).
    pub notes: Vec<String>,
    /// The merge tree of a hierarchical method (of the rows, or of its micro-clusters).
    pub tree: Option<WardTree>,
    /// The fitted model, where assigning new rows means something (K-Means: nearest centre).
    pub model: Option<Arc<dyn Predictor>>,
}

impl ClusterFit {
    /// The value of the diagnostic `name`.
    pub fn diagnostic(&self, name: &str) -> Option<f64> {
        self.diagnostics.iter().find(|(n, _)| n == name).map(|(_, v)| *v)
    }

    /// The scale note and the other notes, in that order.
    pub fn all_notes(&self) -> Vec<String> {
        self.scale_note.iter().chain(&self.notes).cloned().collect()
    }
}

/// A clustering method with its settings, ready to fit.
pub trait Clusterer: Send + Sync {
    /// The method's name as the command line spells it (`kmeans`, `ward`, ...).
    fn name(&self) -> &str;

    /// Fit `k` clusters on the rows of `x`, drawing its random streams from `seed`.
    fn fit(&self, x: ArrayView2<f64>, k: usize, seed: u64) -> Result<ClusterFit, MethodError>;

    /// One fit for each k of `ks` (the stability analysis): by default a fit per k; a
    /// hierarchical method cuts one tree instead.
    fn fit_each_k(&self, x: ArrayView2<f64>, ks: &[usize], seed: u64) -> Result<Vec<ClusterFit>, MethodError> {
        ks.iter().map(|&k| self.fit(x, k, seed)).collect()
    }

    /// [`Clusterer::fit`] with a weight per row (`--weights area`); `None` is [`Clusterer::fit`]
    /// itself, so an unweighted run is unchanged. A method that does not take weights says so
    /// ([`MethodError::Unweighted`]) rather than ignoring them.
    fn fit_weighted(
        &self,
        x: ArrayView2<f64>,
        weights: Option<ArrayView1<f64>>,
        k: usize,
        seed: u64,
    ) -> Result<ClusterFit, MethodError> {
        match weights {
            None => self.fit(x, k, seed),
            Some(_) => Err(MethodError::Unweighted(self.name().to_string())),
        }
    }

    /// [`Clusterer::fit_each_k`] with a weight per row; `None` is [`Clusterer::fit_each_k`].
    fn fit_each_k_weighted(
        &self,
        x: ArrayView2<f64>,
        weights: Option<ArrayView1<f64>>,
        ks: &[usize],
        seed: u64,
    ) -> Result<Vec<ClusterFit>, MethodError> {
        match weights {
            None => self.fit_each_k(x, ks, seed),
            Some(_) => ks.iter().map(|&k| self.fit_weighted(x, weights, k, seed)).collect(),
        }
    }

    /// Whether another seed can give another clustering. Ward is deterministic: repeating it
    /// with other seeds measures nothing (Ben-Hur et al. 2002 compare seeded restarts).
    fn is_seeded(&self) -> bool {
        true
    }

    /// The model of given `centres` (`k x m`), for assigning rows to centres fitted elsewhere
    /// (`landclust assign`); `None` where centres alone do not make a model.
    fn model_from_centres(&self, centres: Array2<f64>) -> Option<Arc<dyn Predictor>> {
        let _ = centres;
        None
    }

    /// Bytes per row that this method holds beyond what the memory plan counts for every
    /// method (the input, labels, one distance per row), for `m` columns and `k` clusters: a
    /// mixture's `n x k` responsibilities (`8 k`); 0 for K-Means, Ward and the deep methods.
    fn extra_bytes_per_row(&self, m: usize, k: usize) -> u64 {
        let _ = (m, k);
        0
    }
}

/// K-Means (Lloyd with Hamerly's bounds and `n_init` k-means++ restarts, [`super::kmeans`]), or
/// mini-batch K-Means ([`super::minibatch`], Sculley 2010) when asked for, above
/// `minibatch_above` rows, or where exact K-Means's working set
/// ([`KMeansParams::working_bytes`]) would pass `exact_memory`.
///
/// Why exact wherever memory allows: with restarts it reaches a lower inertia than the
/// mini-batch fit refined by Lloyd steps (on a 5.5 M-cell 0.05-degree product, 0.2 % lower),
/// and Hamerly's bounds keep its passes cheap; mini-batch holds only its batches and so is
/// the fallback when the exact working set does not fit.
#[derive(Debug, Clone)]
pub struct KMeansMethod {
    pub n_init: usize,
    /// Fit mini-batch K-Means at every size.
    pub minibatch: bool,
    /// Above this many rows exact K-Means switches to mini-batch (said in the scale note).
    pub minibatch_above: usize,
    /// Above this many rows exact K-Means runs its restarts on a sample and refines the best on
    /// all rows ([`super::kmeans::RestartSampling`]; said in the scale note).
    pub sample_above: usize,
    /// Bytes exact K-Means may hold; above them it switches to mini-batch (said in the scale
    /// note).
    pub exact_memory: u64,
}

impl Clusterer for KMeansMethod {
    fn name(&self) -> &str {
        if self.minibatch { "minibatch-kmeans" } else { "kmeans" }
    }

    fn fit(&self, x: ArrayView2<f64>, k: usize, seed: u64) -> Result<ClusterFit, MethodError> {
        self.fit_weighted(x, None, k, seed)
    }

    fn fit_weighted(
        &self,
        x: ArrayView2<f64>,
        weights: Option<ArrayView1<f64>>,
        k: usize,
        seed: u64,
    ) -> Result<ClusterFit, MethodError> {
        let n = x.nrows();
        let exact = KMeansParams::new(k)
            .n_init(self.n_init)
            .seed(seed)
            .restart_sampling(restart_sampling_above(self.sample_above))
            .build()?;
        let exact_bytes = exact.working_bytes(n, x.ncols());
        let by_rows = n > self.minibatch_above;
        let by_memory = exact_bytes > self.exact_memory;
        let auto = !self.minibatch && (by_rows || by_memory);
        let model = if self.minibatch || auto {
            MiniBatchKMeansParams::new(k)
                .n_init(self.n_init)
                .seed(seed)
                .build()?
                .fit_weighted(x, weights)?
        } else {
            exact.fit_weighted(x, weights)?
        };
        let scale_note = auto.then(|| {
            let why = if by_rows {
                format!("{n} cells is over --minibatch-above {}", self.minibatch_above)
            } else {
                format!(
                    "exact K-Means with {} restarts would hold {} MB at {n} cells, over its {} MB share of the memory limit",
                    self.n_init,
                    exact_bytes / 1_000_000,
                    self.exact_memory / 1_000_000
                )
            };
            format!("kmeans ran as mini-batch K-Means: {why}; inertia is on all cells")
        });
        let scale_note = scale_note.or_else(|| match (model.algorithm, exact.sampling_for(n)) {
            (KMeansAlgorithm::SampledRestarts { sample_rows }, Some(s)) => Some(format!(
                "kmeans ran its {} restarts on {sample_rows} of the {n} cells (over --kmeans-sample-above {}) and refined the best {} on all cells; labels and inertia are on all cells",
                self.n_init, s.above, s.refine
            )),
            _ => None,
        });
        Ok(ClusterFit {
            labels: model.labels.clone(),
            centres: Some(model.centers.clone()),
            diagnostics: vec![
                ("inertia".into(), model.inertia),
                ("n_iter".into(), model.n_iter as f64),
            ],
            scale_note,
            model: Some(Arc::new(model)),
            ..ClusterFit::default()
        })
    }

    fn model_from_centres(&self, centres: Array2<f64>) -> Option<Arc<dyn Predictor>> {
        Some(Arc::new(KMeans {
            centers: centres,
            labels: Vec::new(),
            inertia: f64::NAN,
            n_iter: 0,
            converged: true,
            n_init_run: 0,
            inertia_per_init: Vec::new(),
            best_init: 0,
            algorithm: Default::default(),
        }))
    }
}

/// A Ward hierarchy: exact over the rows, or over weighted micro-clusters.
#[derive(Debug)]
pub enum Hierarchy {
    Exact(WardTree),
    Micro(MicroWard),
}

impl Hierarchy {
    /// One label per row for `k` clusters.
    pub fn cut(&self, k: usize) -> Result<Vec<usize>, ClusterError> {
        match self {
            Hierarchy::Exact(t) => t.cut(k),
            Hierarchy::Micro(m) => m.cut(k),
        }
    }

    /// The tree (of the rows, or of the micro-clusters).
    pub fn into_tree(self) -> WardTree {
        match self {
            Hierarchy::Exact(t) => t,
            Hierarchy::Micro(m) => m.tree,
        }
    }
}

/// Ward's minimum-variance hierarchy ([`super::ward`]): exact up to `exact_max` rows, on
/// `micro` K-Means micro-clusters weighted by their sizes above ([`super::microward`]).
#[derive(Debug, Clone)]
pub struct WardMethod {
    pub exact_max: usize,
    pub micro: usize,
}

impl WardMethod {
    /// The hierarchy of `x` (micro-clusters seeded with `seed`) and the note of the switch.
    pub fn hierarchy(&self, x: ArrayView2<f64>, seed: u64) -> Result<(Hierarchy, Option<String>), ClusterError> {
        self.hierarchy_weighted(x, None, seed)
    }

    /// [`WardMethod::hierarchy`] with a weight per row (`--weights area`): the exact tree
    /// starts from clusters of sizes `w_i` ([`WardParams::fit_real_weighted`]), the
    /// micro-cluster tree from micro-clusters weighted by the sums of their rows' weights
    /// ([`MicroWardParams::fit_weighted`]).
    pub fn hierarchy_weighted(
        &self,
        x: ArrayView2<f64>,
        weights: Option<ArrayView1<f64>>,
        seed: u64,
    ) -> Result<(Hierarchy, Option<String>), ClusterError> {
        let n = x.nrows();
        if n <= self.exact_max {
            let params = WardParams::new().build()?;
            let tree = match weights {
                None => params.fit(x)?,
                Some(w) => params.fit_real_weighted(x, &w.to_vec())?,
            };
            return Ok((Hierarchy::Exact(tree), None));
        }
        let micro = MicroWardParams::new()
            .micro(self.micro)
            .seed(seed)
            .build()?
            .fit_weighted(x, weights)?;
        let by = if weights.is_some() {
            "the sums of their cells' weights"
        } else {
            "their sizes"
        };
        let note = format!(
            "ward ran on {} K-Means micro-clusters weighted by {by}: {n} cells is over --ward-exact-max {}; the dendrogram and linkage.csv are those of the micro-clusters",
            micro.n_micro(),
            self.exact_max
        );
        Ok((Hierarchy::Micro(micro), Some(note)))
    }
}

impl Clusterer for WardMethod {
    fn name(&self) -> &str {
        "ward"
    }

    fn fit(&self, x: ArrayView2<f64>, k: usize, seed: u64) -> Result<ClusterFit, MethodError> {
        self.fit_weighted(x, None, k, seed)
    }

    fn fit_weighted(
        &self,
        x: ArrayView2<f64>,
        weights: Option<ArrayView1<f64>>,
        k: usize,
        seed: u64,
    ) -> Result<ClusterFit, MethodError> {
        let (hierarchy, scale_note) = self.hierarchy_weighted(x, weights, seed)?;
        Ok(ClusterFit {
            labels: hierarchy.cut(k)?,
            scale_note,
            tree: Some(hierarchy.into_tree()),
            ..ClusterFit::default()
        })
    }

    fn fit_each_k_weighted(
        &self,
        x: ArrayView2<f64>,
        weights: Option<ArrayView1<f64>>,
        ks: &[usize],
        seed: u64,
    ) -> Result<Vec<ClusterFit>, MethodError> {
        let (hierarchy, scale_note) = self.hierarchy_weighted(x, weights, seed)?;
        ks.iter()
            .map(|&k| {
                Ok(ClusterFit {
                    labels: hierarchy.cut(k)?,
                    scale_note: scale_note.clone(),
                    ..ClusterFit::default()
                })
            })
            .collect()
    }

    fn fit_each_k(&self, x: ArrayView2<f64>, ks: &[usize], seed: u64) -> Result<Vec<ClusterFit>, MethodError> {
        self.fit_each_k_weighted(x, None, ks, seed)
    }

    fn is_seeded(&self) -> bool {
        false
    }
}

/// IDEC (Guo et al. 2017) or DCSS (Vardakas et al. 2024) on an autoencoder
/// ([`super::deep`]); `params` are the run's, `k` and the seed are set per fit.
#[derive(Debug, Clone)]
pub struct DeepMethod {
    pub name: String,
    pub params: DeepParams,
}

impl Clusterer for DeepMethod {
    fn name(&self) -> &str {
        &self.name
    }

    fn fit(&self, x: ArrayView2<f64>, k: usize, seed: u64) -> Result<ClusterFit, MethodError> {
        let fit = self.params.clone().k(k).seed(seed).build()?.fit(x)?;
        let note = format!(
            "{}: {} joint iterations after {} pretraining epochs, {}; scores in its {}-D embedding",
            self.name,
            fit.history.iterations,
            fit.history.pretrain_loss.len(),
            if fit.history.converged {
                "converged (label change < --tol)"
            } else {
                "stopped at --maxiter"
            },
            fit.embedding.ncols()
        );
        Ok(ClusterFit {
            labels: fit.labels,
            centres: Some(fit.centres),
            diagnostics: vec![("iterations".into(), fit.history.iterations as f64)],
            embedding: Some(fit.embedding),
            notes: vec![note],
            ..ClusterFit::default()
        })
    }
}

#[cfg(test)]
#[path = "method_tests.rs"]
mod tests;
