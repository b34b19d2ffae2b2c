//! `landclust stability`: can the clusters be trusted? The clustering of a run is repeated for
//! every k of a range, N times with other seeds and N times on random subsamples, and the
//! agreement between repetitions is measured (Ben-Hur, Elisseeff & Guyon 2002, "A stability
//! based method for discovering structure in clustered data", PSB 7:6-17):
//!
//! * `seeds`: the whole selection clustered with seeds `seed, seed + 1, ..., seed + N - 1`.
//!   Ward is deterministic (no seed): its N seed runs are one run, ARI 1 by construction.
//! * `subsamples`: N subsamples of `round(F n)` cells drawn without replacement (ChaCha8 stream
//!   `1000 + i` of the seed), each clustered with the run's seed; two subsamples are compared on
//!   the cells they share (Ben-Hur et al.'s similarity of two subsample clusterings).
//!
//! For each k and kind, the adjusted Rand index of every pair of runs (N (N - 1) / 2 pairs) is
//! summarized as mean, standard deviation (population, 1 / pairs) and minimum.
//!
//! Consensus (Monti, Tamayo, Mesirov & Golub 2003, "Consensus clustering", Mach. Learn. 52:91-118):
//! with the reference run (the whole selection, the run's own seed) labelling cell i as c_i, the
//! `confidence` of cell i is its item consensus pooled over the other runs r that hold i:
//!
//! ```text
//! confidence_i = sum_r #{j != i in c_i : l_r(j) = l_r(i), j in run r} / sum_r #{j != i in c_i : j in run r}
//! ```
//!
//! i.e. how often the cells of its reference cluster land with it (Monti's m_i(k) with the
//! pair counts pooled over runs; equal to it when every run holds every cell). It is computed
//! from the contingency table of each run against the reference in O(n) per run.
//!
//! The space is built once (z-scores, PCA, or the VAE trained ONCE with the run's seed; its
//! latent means are then clustered N times: the spread does not include the VAE's own training
//! variability). Everything runs in a fixed order; K-Means is bit-identical for any thread
//! count, so the outputs are the same bits on 1 or 2 threads.

use crate::cluster::method::Clusterer;
use crate::error::Result;
use crate::pipeline::config::{RunConfig, option_error};
use crate::pipeline::run::analysis::{self, Prepared, Space};
use crate::pipeline::run::{methods, reductions};
use ndarray::Axis;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// Default number of repetitions per kind.
pub const DEFAULT_RUNS: usize = 10;
/// Default subsample fraction (Ben-Hur et al. used 0.8).
pub const DEFAULT_SUBSAMPLE: f64 = 0.8;
/// First ChaCha8 stream of the subsample draws (apart from K-Means' streams).
const SUBSAMPLE_STREAM: u64 = 1000;

/// Settings of a stability analysis; [`StabilityParams::build`] validates them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StabilityParams {
    pub k_min: usize,
    pub k_max: usize,
    pub runs: usize,
    pub subsample: f64,
    /// k of the consensus confidence; `None`: the k with the highest mean subsample ARI.
    pub confidence_k: Option<usize>,
}

impl StabilityParams {
    /// k = `k_min..=k_max`, [`DEFAULT_RUNS`] runs, subsample [`DEFAULT_SUBSAMPLE`].
    pub fn new(k_min: usize, k_max: usize) -> Self {
        StabilityParams {
            k_min,
            k_max,
            runs: DEFAULT_RUNS,
            subsample: DEFAULT_SUBSAMPLE,
            confidence_k: None,
        }
    }
    /// Repetitions per kind (seeds, subsamples).
    pub fn runs(mut self, runs: usize) -> Self {
        self.runs = runs;
        self
    }
    /// Fraction of the cells in each subsample, in (0, 1].
    pub fn subsample(mut self, fraction: f64) -> Self {
        self.subsample = fraction;
        self
    }
    /// The k of the consensus confidence (within the range).
    pub fn confidence_k(mut self, k: Option<usize>) -> Self {
        self.confidence_k = k;
        self
    }

    /// Checks 2 <= k_min <= k_max, runs >= 2, 0 < subsample <= 1, confidence k in range.
    pub fn build(self) -> Result<Self> {
        if self.k_min < 2 || self.k_min > self.k_max {
            return Err(option_error(
                "--k",
                format!("{}..{}: expected a range A..B with 2 <= A <= B", self.k_min, self.k_max),
            ));
        }
        if self.runs < 2 {
            return Err(option_error(
                "--runs",
                format!("{}: at least 2 runs are needed to compare", self.runs),
            ));
        }
        if !(self.subsample > 0.0 && self.subsample <= 1.0) {
            return Err(option_error(
                "--subsample",
                format!("{}: expected a fraction in (0, 1]", self.subsample),
            ));
        }
        if let Some(k) = self.confidence_k
            && !(self.k_min..=self.k_max).contains(&k)
        {
            return Err(option_error(
                "--confidence-k",
                format!("{k}: outside the k range {}..{}", self.k_min, self.k_max),
            ));
        }
        Ok(self)
    }
}

/// Which repetitions a row summarizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Seeds,
    Subsamples,
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Kind::Seeds => "seeds",
            Kind::Subsamples => "subsamples",
        })
    }
}

/// Pairwise ARI summary of one k and kind (a row of stability.csv).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StabilityRow {
    pub k: usize,
    pub kind: Kind,
    pub runs: usize,
    pub ari_mean: f64,
    pub ari_std: f64,
    pub ari_min: f64,
}

/// One repetition: the cells it clustered (sorted; `None` = all) and their labels.
#[derive(Debug, Clone, PartialEq)]
pub struct Labeling {
    pub cells: Option<Vec<usize>>,
    pub labels: Vec<usize>,
}

impl Labeling {
    /// Label of every cell of the selection (`usize::MAX` where not clustered).
    fn spread(&self, n: usize) -> Vec<usize> {
        match &self.cells {
            None => self.labels.clone(),
            Some(cells) => {
                let mut out = vec![usize::MAX; n];
                for (&c, &l) in cells.iter().zip(&self.labels) {
                    out[c] = l;
                }
                out
            }
        }
    }
}

/// The result of [`analyse`].
#[derive(Debug, Clone, Serialize)]
pub struct Stability {
    pub rows: Vec<StabilityRow>,
    pub confidence_k: usize,
    /// Stable labels of the reference run at `confidence_k` (see [`analysis::stable_order`]).
    pub reference_labels: Vec<usize>,
    /// Confidence per cell: the consensus (NaN where no other run held the cell), or the
    /// method's membership when it gives one (see `confidence_source`).
    pub confidence: Vec<f64>,
    pub confidence_source: ConfidenceSource,
}

/// Where the confidence map comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ConfidenceSource {
    /// The consensus of the repetitions (Monti et al. 2003; the module doc).
    #[default]
    Consensus,
    /// The method's own per-cell membership in its cluster (a mixture's largest posterior
    /// probability) in the reference run.
    Membership,
}

impl Stability {
    /// The k with the highest mean ARI over subsamples (ties: the smaller k).
    pub fn best_k(&self) -> Option<usize> {
        self.rows
            .iter()
            .filter(|r| r.kind == Kind::Subsamples)
            .fold(None, |best: Option<&StabilityRow>, r| match best {
                Some(b) if b.ari_mean >= r.ari_mean => Some(b),
                _ => Some(r),
            })
            .map(|r| r.k)
    }
}

/// `round(fraction n)` distinct cells of `0..n` (at least 2), sorted; partial Fisher-Yates on
/// ChaCha8 stream `stream` of `seed`.
pub fn subsample_indices(n: usize, fraction: f64, seed: u64, stream: u64) -> Vec<usize> {
    let m = ((fraction * n as f64).round() as usize).clamp(2.min(n), n);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    let mut idx: Vec<usize> = (0..n).collect();
    for i in 0..m {
        let j = rng.random_range(i..n);
        idx.swap(i, j);
    }
    idx.truncate(m);
    idx.sort_unstable();
    idx
}

/// ARI of two repetitions on the cells both clustered.
pub fn shared_ari(a: &Labeling, b: &Labeling, n: usize) -> Result<f64> {
    let (la, lb) = (a.spread(n), b.spread(n));
    let (x, y): (Vec<usize>, Vec<usize>) = la
        .iter()
        .zip(&lb)
        .filter(|(p, q)| **p != usize::MAX && **q != usize::MAX)
        .map(|(p, q)| (*p, *q))
        .unzip();
    Ok(crate::metrics::adjusted_rand_index(&x, &y)?)
}

/// Mean, population standard deviation and minimum of the ARI over all pairs of `runs`.
pub fn pairwise_ari(runs: &[Labeling], n: usize) -> Result<(f64, f64, f64)> {
    let mut aris = Vec::new();
    for i in 0..runs.len() {
        for j in i + 1..runs.len() {
            aris.push(shared_ari(&runs[i], &runs[j], n)?);
        }
    }
    if aris.is_empty() {
        return Ok((f64::NAN, f64::NAN, f64::NAN));
    }
    let p = aris.len() as f64;
    let mean = aris.iter().sum::<f64>() / p;
    let var = aris.iter().map(|a| (a - mean).powi(2)).sum::<f64>() / p;
    let min = aris.iter().copied().fold(f64::INFINITY, f64::min);
    Ok((mean, var.sqrt(), min))
}

/// Consensus confidence of every cell against `reference` (labels of all n cells, `k` clusters)
/// over `runs` (see the module doc); NaN for a cell no run holds with another cell of its cluster.
pub fn consensus_confidence(reference: &[usize], k: usize, runs: &[Labeling]) -> Vec<f64> {
    let n = reference.len();
    let mut together = vec![0u64; n];
    let mut sampled = vec![0u64; n];
    for run in runs {
        let labels = run.spread(n);
        let k_run = run.labels.iter().max().map_or(0, |&m| m + 1);
        let mut table = vec![0u64; k * k_run];
        let mut rows = vec![0u64; k];
        for (&c, &l) in reference.iter().zip(&labels) {
            if l != usize::MAX {
                table[c * k_run + l] += 1;
                rows[c] += 1;
            }
        }
        for ((&c, &l), (t, s)) in reference
            .iter()
            .zip(&labels)
            .zip(together.iter_mut().zip(sampled.iter_mut()))
        {
            if l != usize::MAX {
                *t += table[c * k_run + l] - 1;
                *s += rows[c] - 1;
            }
        }
    }
    together
        .iter()
        .zip(&sampled)
        .map(|(&t, &s)| if s == 0 { f64::NAN } else { t as f64 / s as f64 })
        .collect()
}

/// Repeat the clustering of `cfg` in `space` as `params` says and measure its stability.
pub fn analyse(
    cfg: &RunConfig,
    prepared: &Prepared,
    space: &Space,
    params: &StabilityParams,
    progress: bool,
) -> Result<Stability> {
    // The run's own method (scale switches included), so stability measures what `run` fits.
    let method = methods::clusterer(cfg)?;
    analyse_with(method.as_ref(), cfg, prepared, space, params, progress)
}

/// [`analyse`] with the clustering method `method` (its seed is the run's, `cfg.seed`).
pub fn analyse_with(
    method: &dyn Clusterer,
    cfg: &RunConfig,
    prepared: &Prepared,
    space: &Space,
    params: &StabilityParams,
    progress: bool,
) -> Result<Stability> {
    let params = params.clone().build()?;
    let x = space.coords.view();
    let n = x.nrows();
    if params.k_max > n {
        return Err(option_error(
            "--k",
            format!("k = {} exceeds the {n} selected cells", params.k_max),
        ));
    }
    let ks: Vec<usize> = (params.k_min..=params.k_max).collect();
    // The membership of the reference run (seed run 0) per k, when the method gives one.
    let mut memberships: Vec<Option<Vec<f64>>> = vec![None; ks.len()];
    // per_k[kind][k index] = the runs' labelings.
    let mut seeds: Vec<Vec<Labeling>> = vec![Vec::new(); ks.len()];
    let mut subs: Vec<Vec<Labeling>> = vec![Vec::new(); ks.len()];
    let seed_runs = if method.is_seeded() { params.runs } else { 1 };
    for r in 0..seed_runs {
        if progress {
            crate::progress::note(format!("stability: seed run {}/{seed_runs}", r + 1));
        }
        let weights = prepared.weights.as_ref().map(|w| w.view());
        let all = method.fit_each_k_weighted(x, weights, &ks, cfg.seed.wrapping_add(r as u64))?;
        for ((slot, fit), membership) in seeds.iter_mut().zip(all).zip(&mut memberships) {
            if r == 0 {
                *membership = fit.membership;
            }
            slot.push(Labeling {
                cells: None,
                labels: fit.labels,
            });
        }
    }
    if !method.is_seeded() {
        for slot in &mut seeds {
            let first = slot[0].clone();
            slot.resize(params.runs, first);
        }
    }
    for r in 0..params.runs {
        if progress {
            crate::progress::note(format!("stability: subsample run {}/{}", r + 1, params.runs));
        }
        let cells = subsample_indices(n, params.subsample, cfg.seed, SUBSAMPLE_STREAM + r as u64);
        let xs = x.select(Axis(0), &cells);
        // A subsample's cells keep their weights.
        let ws = prepared.weights.as_ref().map(|w| w.select(Axis(0), &cells));
        let all = method.fit_each_k_weighted(xs.view(), ws.as_ref().map(|w| w.view()), &ks, cfg.seed)?;
        for (slot, fit) in subs.iter_mut().zip(all) {
            slot.push(Labeling {
                cells: Some(cells.clone()),
                labels: fit.labels,
            });
        }
    }
    let mut rows = Vec::new();
    for (i, &k) in ks.iter().enumerate() {
        for (kind, runs) in [(Kind::Seeds, &seeds[i]), (Kind::Subsamples, &subs[i])] {
            let (ari_mean, ari_std, ari_min) = pairwise_ari(runs, n)?;
            rows.push(StabilityRow {
                k,
                kind,
                runs: runs.len(),
                ari_mean,
                ari_std,
                ari_min,
            });
        }
    }
    let mut result = Stability {
        rows,
        confidence_k: 0,
        reference_labels: Vec::new(),
        confidence: Vec::new(),
        confidence_source: ConfidenceSource::Consensus,
    };
    let ck = match params.confidence_k {
        Some(k) => k,
        None => result.best_k().unwrap_or(params.k_min),
    };
    let ci = ck - params.k_min;
    let reference = &seeds[ci][0].labels;
    let mut others: Vec<Labeling> = seeds[ci][1..seed_runs].to_vec();
    others.extend(subs[ci].iter().cloned());
    // A method's own per-cell membership, when it gives one, is the confidence map; else the
    // consensus over the repetitions.
    match memberships[ci].take() {
        Some(membership) => {
            result.confidence = membership;
            result.confidence_source = ConfidenceSource::Membership;
        }
        None => result.confidence = consensus_confidence(reference, ck, &others),
    }
    result.reference_labels = analysis::stable_order(prepared, reference, ck);
    result.confidence_k = ck;
    Ok(result)
}

/// Everything the folder's metrics.json holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StabilityMetrics {
    pub command: String,
    pub landclust_version: String,
    pub input: String,
    pub n_points: usize,
    pub method: String,
    pub reduce: String,
    pub space: String,
    pub space_note: String,
    pub params: StabilityParams,
    pub rows: Vec<StabilityRow>,
    /// The k with the highest mean ARI over subsamples.
    pub best_k: Option<usize>,
    pub confidence_k: usize,
    /// What `confidence` is: the consensus, or the method's membership.
    #[serde(default, skip_serializing_if = "is_consensus")]
    pub confidence_source: ConfidenceSource,
    /// Mean confidence over the cells at `confidence_k`.
    pub confidence_mean: f64,
    /// VAE: latent dimensions in use and KL per dimension.
    pub vae_activity: Option<crate::reduce::vae::LatentActivity>,
    pub settings: RunConfig,
    pub seconds: f64,
}

/// `landclust stability`: load, reduce (VAE trained once), repeat the clustering, write
/// stability.csv, confidence.csv, confidence.nc, confidence.tif, metrics.json and (unless `--no-figures`) stability.png,
/// confidence.png and report.html into `cfg.out`, atomically.
pub fn run_stability(
    cfg: &RunConfig,
    params: &StabilityParams,
    progress: bool,
) -> Result<(std::path::PathBuf, StabilityMetrics)> {
    let started = std::time::Instant::now();
    let params = params.clone().build()?;
    let stage = crate::pipeline::outdir::StagedDir::new(&cfg.out)?;
    let prepared = analysis::prepare(cfg)?;
    let space = analysis::reduce(cfg, &prepared, progress)?;
    let result = analyse(cfg, &prepared, &space, &params, progress)?;
    let valid: Vec<f64> = result.confidence.iter().copied().filter(|c| !c.is_nan()).collect();
    let space_note = reductions::reduction(space.reduce).stability_note().to_string();
    let metrics = StabilityMetrics {
        command: "stability".into(),
        landclust_version: env!("CARGO_PKG_VERSION").into(),
        input: cfg.recorded().input.display().to_string(),
        n_points: prepared.table.n_points(),
        method: cfg.method.to_string(),
        reduce: space.reduce.to_string(),
        space: space.describe(),
        space_note: if !methods::clusterer(cfg)?.is_seeded() {
            format!("{space_note}; Ward is deterministic, so its seed runs are one run (ARI 1 by construction)")
        } else {
            space_note
        },
        params: params.clone(),
        rows: result.rows.clone(),
        best_k: result.best_k(),
        confidence_k: result.confidence_k,
        confidence_source: result.confidence_source,
        confidence_mean: valid.iter().sum::<f64>() / valid.len().max(1) as f64,
        vae_activity: space
            .vae
            .as_ref()
            .map(|v| {
                crate::reduce::vae::latent_activity(&v.model, prepared.z.view(), crate::reduce::vae::ACTIVE_THRESHOLD)
            })
            .transpose()?,
        settings: cfg.recorded(),
        seconds: 0.0,
    };
    write_stability_csv(&stage.join("stability.csv"), &result.rows)?;
    write_confidence_csv(&stage.join("confidence.csv"), &prepared, &result)?;
    write_confidence_nc(&stage.join("confidence.nc"), cfg, &prepared, &result)?;
    crate::pipeline::run::outputs::write_window_tif(
        &stage.join("confidence.tif"),
        &prepared.table,
        &result.confidence,
        crate::pipeline::run::outputs::TifLayer::Confidence,
    )?;
    if cfg.figures {
        super::stability_figures::draw_stability(stage.path(), &prepared, &result, &metrics)?;
    }
    let metrics = StabilityMetrics {
        seconds: started.elapsed().as_secs_f64(),
        ..metrics
    };
    crate::io::tables::write_json(&stage.join(crate::pipeline::outdir::MARKER), &metrics)?;
    Ok((stage.commit()?, metrics))
}

fn is_consensus(source: &ConfidenceSource) -> bool {
    *source == ConfidenceSource::Consensus
}

/// `stability.csv`: `k,kind,runs,ari_mean,ari_std,ari_min`.
pub fn write_stability_csv(path: &std::path::Path, rows: &[StabilityRow]) -> Result<()> {
    let lines = rows.iter().map(|r| {
        vec![
            r.k.to_string(),
            r.kind.to_string(),
            r.runs.to_string(),
            format!("{}", r.ari_mean),
            format!("{}", r.ari_std),
            format!("{}", r.ari_min),
        ]
    });
    Ok(crate::io::tables::write_csv(
        path,
        &["k", "kind", "runs", "ari_mean", "ari_std", "ari_min"],
        lines,
    )?)
}

/// `confidence.csv`: `row,col,lat,lon,cluster,confidence` (cluster of the reference run).
pub fn write_confidence_csv(path: &std::path::Path, prepared: &Prepared, s: &Stability) -> Result<()> {
    let lines = prepared
        .table
        .cells
        .iter()
        .zip(&s.reference_labels)
        .zip(&s.confidence)
        .map(|((c, l), v)| {
            vec![
                c.row.to_string(),
                c.col.to_string(),
                format!("{}", c.lat),
                format!("{}", c.lon),
                l.to_string(),
                if v.is_nan() { String::new() } else { format!("{v}") },
            ]
        });
    Ok(crate::io::tables::write_csv(
        path,
        &["row", "col", "lat", "lon", "cluster", "confidence"],
        lines,
    )?)
}

/// `confidence.nc`: the confidence map as CF-1.8 netCDF on the run's output window, laid out as
/// labels.nc ([`crate::pipeline::labels_nc`]): `lat`, `lon`, `crs`, the reference run's stable
/// `cluster` (flagged `int`, `_FillValue = -1`) and `confidence` (`double`, units `1`,
/// `valid_range = 0, 1`, `_FillValue = -9999`: cells not selected, or held by no other run),
/// with labels.nc's global attributes (`landclust_k` = the confidence k) and
/// `landclust_confidence_source` (consensus or membership).
pub fn write_confidence_nc(path: &std::path::Path, cfg: &RunConfig, prepared: &Prepared, s: &Stability) -> Result<()> {
    use crate::io::netcdf::write::{AttrValue, NcFormat, attrs};
    use crate::pipeline::labels_nc::{LabelLayer, LayerSpec, run_attributes, write_layers_nc};
    let table = &prepared.table;
    let window = table.output_window();
    let labels: Vec<f64> = s.reference_labels.iter().map(|&l| l as f64).collect();
    let grid_labels = table.to_window(&window, &labels);
    let grid_confidence = table.to_window(&window, &s.confidence);
    let long_name = match s.confidence_source {
        ConfidenceSource::Consensus => {
            "consensus confidence: how often the cells of its cluster land with the cell over the repetitions (0 to 1)"
        }
        ConfidenceSource::Membership => "the method's membership of the cell in its cluster (0 to 1)",
    };
    let layers = [
        LayerSpec {
            layer: LabelLayer {
                name: "cluster",
                values: (&grid_labels).into(),
                long_name: "land-surface cluster of the reference run (0 = lowest mean NDVI)",
                units: None,
            },
            always_values: false,
            attrs: Vec::new(),
        },
        LayerSpec {
            layer: LabelLayer {
                name: "confidence",
                values: (&grid_confidence).into(),
                long_name,
                units: Some("1"),
            },
            always_values: true,
            attrs: attrs([("valid_range", AttrValue::F64(vec![0.0, 1.0]))]),
        },
    ];
    let mut globals = run_attributes(cfg, s.confidence_k);
    let source = match s.confidence_source {
        ConfidenceSource::Consensus => "consensus",
        ConfidenceSource::Membership => "membership",
    };
    globals.push(("landclust_confidence_source".to_string(), source.to_string()));
    Ok(write_layers_nc(
        path,
        NcFormat::Netcdf4,
        &table.grid.sub_grid(&window),
        &layers,
        &globals,
    )?)
}

/// `landclust plot` on a stability folder: redraw stability.png, confidence.png and report.html
/// from metrics.json and confidence.csv (the input file is read again for the map's grid).
pub fn redraw_stability(dir: &std::path::Path) -> Result<usize> {
    let bad = |path: std::path::PathBuf, message: String| crate::Error::File { path, message };
    let mpath = dir.join(crate::pipeline::outdir::MARKER);
    let text = std::fs::read_to_string(&mpath).map_err(|e| bad(mpath.clone(), e.to_string()))?;
    let m: StabilityMetrics = serde_json::from_str(&text).map_err(|e| bad(mpath.clone(), e.to_string()))?;
    let prepared = analysis::prepare(&m.settings)?;
    let cpath = dir.join("confidence.csv");
    #[derive(serde::Deserialize)]
    struct Row {
        cluster: usize,
        confidence: Option<f64>,
    }
    let rows: Vec<Row> = crate::io::tables::read_csv(&cpath)?;
    if let Some((i, r)) = rows.iter().enumerate().find(|(_, r)| r.cluster >= m.confidence_k) {
        return Err(bad(
            cpath.clone(),
            format!("line {}: cluster {} but k = {}", i + 2, r.cluster, m.confidence_k),
        ));
    }
    let reference_labels: Vec<usize> = rows.iter().map(|r| r.cluster).collect();
    let confidence: Vec<f64> = rows.iter().map(|r| r.confidence.unwrap_or(f64::NAN)).collect();
    if confidence.len() != prepared.table.n_points() {
        return Err(bad(
            cpath,
            format!(
                "{} cells but the input now gives {}",
                confidence.len(),
                prepared.table.n_points()
            ),
        ));
    }
    let s = Stability {
        rows: m.rows.clone(),
        confidence_k: m.confidence_k,
        reference_labels,
        confidence,
        confidence_source: m.confidence_source,
    };
    super::stability_figures::draw_stability(dir, &prepared, &s, &m)?;
    Ok(2)
}

#[cfg(test)]
#[path = "stability_tests.rs"]
mod tests;
