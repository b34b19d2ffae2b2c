//! The resolved, typed settings of a run ([`RunConfig`]) and the typed values of its options.
//!
//! Every option value is text on the command line, in the `--config` file and in the Python
//! package; [`super::options::RunOptions::resolve`] turns it into the types here, once, before
//! anything runs. Each type parses with `FromStr` (the one place its syntax and its error line
//! live) and is serialized back as the text it was given (`Display`), so the `settings` of
//! metrics.json read like the options that made them.

use crate::cluster::deep::{Architecture, Membership};
use crate::dataset::{LonLatBox, Selection};
use crate::error::Error;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The study's seven variables: NDVI and the six DHR bands.
pub const STUDY_VARIABLES: [&str; 7] = ["NDVI", "DHR443", "DHR490", "DHR565", "DHR670", "DHR865", "DHR1020"];

/// How the standardized features are reduced before clustering. Serialized as written on the
/// command line (`"vae:2"`), so metrics.json reads like the options that made it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Reduce {
    None,
    Pca(usize),
    Vae(usize),
    /// Tensor train of the (latitude, longitude, variable) z-score tensor with TT-ranks
    /// `(R1, R2)`: each cell is embedded in R2 dimensions ([`crate::pipeline::run::tt`]).
    Tt(usize, usize),
    /// Tensor train of the (cell, variable, month) z-score tensor of series variables
    /// (`NAME[*]`) with TT-ranks `(R1, R2)`: each cell is embedded in R1 dimensions
    /// ([`crate::pipeline::run::tt::reduce_cells`]).
    TtCell(usize, usize),
}

impl std::str::FromStr for Reduce {
    type Err = Error;

    /// `none`, `pca:N`, `vae:N`, `tt:R1,R2`, `tt-cell:R1,R2`.
    fn from_str(s: &str) -> Result<Self, Error> {
        let bad = || {
            option_error(
                "--reduce",
                format!("'{s}': expected none, pca:N, vae:N (N >= 1), tt:R1,R2 or tt-cell:R1,R2 (TT-ranks >= 1)"),
            )
        };
        let count = |n: &str| n.parse::<usize>().ok().filter(|&n| n >= 1).ok_or_else(bad);
        match s.split_once(':') {
            None if s == "none" => Ok(Reduce::None),
            Some(("pca", n)) => Ok(Reduce::Pca(count(n)?)),
            Some(("vae", n)) => Ok(Reduce::Vae(count(n)?)),
            Some(("tt", ranks)) => match ranks.split_once(',') {
                Some((r1, r2)) => Ok(Reduce::Tt(count(r1.trim())?, count(r2.trim())?)),
                None => Err(bad()),
            },
            Some(("tt-cell", ranks)) => match ranks.split_once(',') {
                Some((r1, r2)) => Ok(Reduce::TtCell(count(r1.trim())?, count(r2.trim())?)),
                None => Err(bad()),
            },
            _ => Err(bad()),
        }
    }
}

impl std::fmt::Display for Reduce {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reduce::None => write!(f, "none"),
            Reduce::Pca(n) => write!(f, "pca:{n}"),
            Reduce::Vae(n) => write!(f, "vae:{n}"),
            Reduce::Tt(r1, r2) => write!(f, "tt:{r1},{r2}"),
            Reduce::TtCell(r1, r2) => write!(f, "tt-cell:{r1},{r2}"),
        }
    }
}

/// Serde through the command-line spelling (`Display` and `FromStr`).
macro_rules! serde_as_text {
    ($($t:ty),*) => {$(
        impl From<$t> for String {
            fn from(value: $t) -> String {
                value.to_string()
            }
        }
        impl TryFrom<String> for $t {
            type Error = Error;
            fn try_from(text: String) -> Result<Self, Error> {
                text.parse()
            }
        }
    )*};
}
serde_as_text!(
    Reduce,
    KChoice,
    Method,
    Region,
    GmmCovariance,
    KRule,
    TableFormat,
    Weights
);

/// The clustering method (serialized as `--method` spells it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Method {
    Kmeans,
    /// Mini-batch K-Means (Sculley 2010): chosen with `--method minibatch-kmeans`, or by
    /// `kmeans` itself above [`ScaleSettings::minibatch_above`] points.
    MiniBatchKmeans,
    Ward,
    /// IDEC (Guo et al. 2017): autoencoder + K-Means centres + `L_rec + gamma KL(P||Q)`; the
    /// clusters are scored in the learned embedding ([`DeepSettings`]).
    Idec,
    /// DCSS (Vardakas et al. 2024): the same autoencoder trained on `L_rec + gamma (1 - soft
    /// silhouette)`; scored in the learned embedding ([`DeepSettings`]).
    Dcss,
    /// A Gaussian mixture fitted by EM (Dempster et al. 1977), with the covariance model of
    /// [`RunConfig::gmm_covariance`]; each cell takes its most probable component.
    Gmm,
}

impl Method {
    /// Whether the method learns its own embedding (IDEC, DCSS).
    pub fn is_deep(self) -> bool {
        matches!(self, Method::Idec | Method::Dcss)
    }
}

impl std::str::FromStr for Method {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s {
            "kmeans" | "k-means" => Ok(Method::Kmeans),
            "minibatch-kmeans" | "minibatch" | "mini-batch-kmeans" => Ok(Method::MiniBatchKmeans),
            "ward" | "hac" => Ok(Method::Ward),
            "idec" => Ok(Method::Idec),
            "dcss" => Ok(Method::Dcss),
            "gmm" => Ok(Method::Gmm),
            _ => Err(option_error(
                "--method",
                format!("'{s}': expected kmeans, minibatch-kmeans, ward, idec, dcss or gmm"),
            )),
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Method::Kmeans => "kmeans",
            Method::MiniBatchKmeans => "minibatch-kmeans",
            Method::Ward => "ward",
            Method::Idec => "idec",
            Method::Dcss => "dcss",
            Method::Gmm => "gmm",
        })
    }
}

/// The number of clusters: fixed, or the knee of the elbow curve (serialized as `"6"`/`"auto"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum KChoice {
    Fixed(usize),
    Auto,
}

impl std::str::FromStr for KChoice {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        if s == "auto" {
            return Ok(KChoice::Auto);
        }
        match s.parse::<usize>() {
            Ok(0) => Err(option_error("--k", "k = 0: must be at least 1")),
            Ok(k) => Ok(KChoice::Fixed(k)),
            Err(_) => Err(option_error(
                "--k",
                format!("'{s}': expected a positive integer or auto"),
            )),
        }
    }
}

impl std::fmt::Display for KChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KChoice::Fixed(k) => write!(f, "{k}"),
            KChoice::Auto => write!(f, "auto"),
        }
    }
}

/// How `--k auto` picks k: the gap statistic (Tibshirani et al. 2001), or the smallest Bayesian
/// (Schwarz 1978) or Akaike (Akaike 1974) information criterion of a fitted mixture.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum KRule {
    #[default]
    Gap,
    Bic,
    Aic,
}

impl std::str::FromStr for KRule {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.trim() {
            "gap" => Ok(KRule::Gap),
            "bic" => Ok(KRule::Bic),
            "aic" => Ok(KRule::Aic),
            _ => Err(option_error("--k-rule", format!("'{s}': expected gap, bic or aic"))),
        }
    }
}

impl std::fmt::Display for KRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            KRule::Gap => "gap",
            KRule::Bic => "bic",
            KRule::Aic => "aic",
        })
    }
}

/// Format of the per-cell tables (labels, margin, latent; `--tables`): CSV up to
/// [`TableFormat::PARQUET_ABOVE`] cells and Parquet above (`auto`), or always one of them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum TableFormat {
    #[default]
    Auto,
    Csv,
    Parquet,
}

impl TableFormat {
    /// Above this many cells `auto` writes Parquet: a 0.05-degree land run (5.5 M cells) gives
    /// hundreds of MB of CSV, while a 0.1-degree one (about 1.9 M) and anything coarser than
    /// 0.25 degree (about 0.24 M) stay text a spreadsheet still opens (Excel stops at 1,048,576
    /// lines).
    pub const PARQUET_ABOVE: usize = 1_000_000;

    /// True when a table of `n` cells is written as Parquet.
    pub fn parquet_for(self, n: usize) -> bool {
        match self {
            TableFormat::Auto => n > Self::PARQUET_ABOVE,
            TableFormat::Csv => false,
            TableFormat::Parquet => true,
        }
    }
}

impl std::str::FromStr for TableFormat {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.trim() {
            "auto" => Ok(TableFormat::Auto),
            "csv" => Ok(TableFormat::Csv),
            "parquet" => Ok(TableFormat::Parquet),
            _ => Err(option_error(
                "--tables",
                format!("'{s}': expected auto, csv or parquet"),
            )),
        }
    }
}

impl std::fmt::Display for TableFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TableFormat::Auto => "auto",
            TableFormat::Csv => "csv",
            TableFormat::Parquet => "parquet",
        })
    }
}

/// Covariance model of each Gaussian mixture component (scikit-learn's `covariance_type`
/// names): a full d x d matrix, or its diagonal only.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum GmmCovariance {
    #[default]
    Full,
    Diag,
}

impl std::str::FromStr for GmmCovariance {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.trim() {
            "full" => Ok(GmmCovariance::Full),
            "diag" => Ok(GmmCovariance::Diag),
            _ => Err(option_error(
                "--gmm-covariance",
                format!("'{s}': expected full or diag"),
            )),
        }
    }
}

impl GmmCovariance {
    /// The mixture's covariance model.
    pub fn covariance_type(self) -> crate::cluster::gmm::CovarianceType {
        match self {
            GmmCovariance::Full => crate::cluster::gmm::CovarianceType::Full,
            GmmCovariance::Diag => crate::cluster::gmm::CovarianceType::Diag,
        }
    }
}

impl std::fmt::Display for GmmCovariance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            GmmCovariance::Full => "full",
            GmmCovariance::Diag => "diag",
        })
    }
}

/// How much each cell counts (`--weights`): once (`none`, the study's choice), or by its area on
/// the grid's ellipsoid (`area`, [`crate::dataset::area`]). Area weights enter the
/// standardization, PCA, K-Means, Ward, the Gaussian mixture, the gap statistic and the scores
/// (docs/weights.md gives the formulas).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Weights {
    #[default]
    None,
    Area,
}

impl std::str::FromStr for Weights {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.trim() {
            "none" => Ok(Weights::None),
            "area" => Ok(Weights::Area),
            _ => Err(option_error("--weights", format!("'{s}': expected none or area"))),
        }
    }
}

impl std::fmt::Display for Weights {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Weights::None => "none",
            Weights::Area => "area",
        })
    }
}

impl Weights {
    /// Refuses area weights where a stage of the run cannot use them yet, in one line naming
    /// the option, rather than weighting some stages and not others: the deep methods train
    /// their autoencoder on unweighted mini-batches, the VAE and tensor-train reductions have
    /// no weighted form, and contiguous Ward merges grid neighbours by its own unweighted rule.
    pub fn check(self, cfg: &RunConfig) -> Result<(), Error> {
        if self == Weights::None {
            return Ok(());
        }
        let unsupported = if matches!(cfg.method, Method::Idec | Method::Dcss) {
            Some(format!("--method {}", cfg.method))
        } else if !matches!(cfg.reduce, Reduce::None | Reduce::Pca(_)) {
            Some(format!("--reduce {}", cfg.reduce))
        } else if cfg.contiguous.is_some() {
            Some("--contiguous".to_string())
        } else {
            None
        };
        match unsupported {
            Some(what) => Err(option_error(
                "--weights",
                format!(
                    "area is not supported with {what} (area weights run with --method kmeans, minibatch-kmeans, ward (not --contiguous) or gmm and --reduce none or pca:N; or use --weights none)"
                ),
            )),
            None => Ok(()),
        }
    }
}

/// `--region`: a longitude/latitude box or a named region, parsed once. Kept with the text the
/// user gave (trimmed), which is how it is recorded in metrics.json and export sidecars.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Region {
    text: String,
    bbox: LonLatBox,
}

impl Region {
    /// The region's box in degrees (`lon_min > lon_max` wraps the dateline).
    pub fn bbox(&self) -> &LonLatBox {
        &self.bbox
    }
}

impl std::str::FromStr for Region {
    type Err = Error;

    /// `lon_min,lon_max,lat_min,lat_max` in degrees, or a region name known to the maps
    /// (`africa`, `europe`, `asia`, ...).
    fn from_str(s: &str) -> Result<Self, Error> {
        let text = s.trim();
        let bbox = if text.contains(',') {
            text.parse::<LonLatBox>().map_err(|e| option_error("--region", e))?
        } else {
            let named = crate::plot::Region::parse(text).map_err(|e| option_error("--region", e.to_string()))?;
            LonLatBox {
                lon_min: named.lon_min,
                lon_max: named.lon_max,
                lat_min: named.lat_min,
                lat_max: named.lat_max,
            }
        };
        Ok(Region {
            text: text.to_string(),
            bbox,
        })
    }
}

impl std::fmt::Display for Region {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// `--max-memory` in bytes (SI or binary units on input, `512MB`, `4GiB`; bytes in
/// metrics.json).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MemoryLimit(u64);

impl MemoryLimit {
    pub fn bytes(self) -> u64 {
        self.0
    }
}

impl From<u64> for MemoryLimit {
    fn from(bytes: u64) -> Self {
        MemoryLimit(bytes)
    }
}

impl std::str::FromStr for MemoryLimit {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        crate::dataset::parse_bytes(s)
            .map(MemoryLimit)
            .map_err(|e| option_error("--max-memory", e))
    }
}

/// `--dcss-memberships`: `student-t` or `head`.
pub fn parse_memberships(text: &str) -> Result<Membership, Error> {
    text.parse()
        .map_err(|()| option_error("--dcss-memberships", format!("'{text}': expected student-t or head")))
}

/// `--deep-arch`: `small`, `paper` or comma-separated hidden widths (each >= 1).
pub fn parse_architecture(text: &str) -> Result<Architecture, Error> {
    let bad = || {
        option_error(
            "--deep-arch",
            format!("'{text}': expected small, paper or comma-separated widths >= 1"),
        )
    };
    match text.trim() {
        "small" => Ok(Architecture::Small),
        "paper" => Ok(Architecture::Paper),
        list => list
            .split(',')
            .map(|w| w.trim().parse::<usize>().ok().filter(|&w| w >= 1).ok_or_else(bad))
            .collect::<Result<Vec<_>, _>>()
            .map(Architecture::Custom),
    }
}

/// The `--deep-arch` spelling of an architecture (`small`, `paper`, `500,500,2000`).
pub fn architecture_text(architecture: &Architecture) -> String {
    match architecture {
        Architecture::Small => "small".into(),
        Architecture::Paper => "paper".into(),
        Architecture::Custom(widths) => widths.iter().map(usize::to_string).collect::<Vec<_>>().join(","),
    }
}

/// Serde of [`Architecture`] as its `--deep-arch` text, so metrics.json keeps that spelling.
mod architecture_as_text {
    use crate::cluster::deep::Architecture;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Architecture, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::architecture_text(value))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Architecture, D::Error> {
        let text = String::deserialize(d)?;
        super::parse_architecture(&text).map_err(serde::de::Error::custom)
    }
}

/// Serde of [`Membership`] as its `--dcss-memberships` text.
mod membership_as_text {
    use crate::cluster::deep::Membership;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Membership, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(value)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Membership, D::Error> {
        let text = String::deserialize(d)?;
        super::parse_memberships(&text).map_err(serde::de::Error::custom)
    }
}

/// VAE training settings (used with `--reduce vae:N`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VaeSettings {
    pub epochs: usize,
    pub batch_size: usize,
    pub alpha: f64,
    pub lr: f64,
    pub hidden: usize,
}

impl Default for VaeSettings {
    fn default() -> Self {
        VaeSettings {
            epochs: 50,
            batch_size: 256,
            alpha: crate::reduce::vae::DEFAULT_ALPHA,
            lr: 1e-3,
            hidden: 38,
        }
    }
}

/// IDEC/DCSS settings (used with `--method idec|dcss`); the rest of the options are the
/// reference code's defaults in [`crate::cluster::deep::DeepParams`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeepSettings {
    /// Autoencoder pretraining epochs (`--pretrain-epochs`).
    pub pretrain_epochs: usize,
    /// Embedding dimension (`--deep-latent`).
    pub latent: usize,
    /// Hidden layers: `small` (38 x 4, the VAE's), `paper` (500,500,2000) or widths `a,b,..`
    /// (`--deep-arch`).
    #[serde(with = "architecture_as_text")]
    pub architecture: Architecture,
    /// Weight of the clustering loss (`--gamma`); `None`: the method's default (IDEC 0.1,
    /// DCSS 0.03).
    pub gamma: Option<f64>,
    /// Label-change fraction that stops training (`--tol`).
    pub tol: f64,
    /// Iterations between target/label updates (`--update-interval`).
    pub update_interval: usize,
    /// Most joint-training iterations (`--maxiter`).
    pub maxiter: usize,
    /// Mini-batch size of both stages (`--deep-batch`).
    pub batch_size: usize,
    /// Adam learning rate of both stages (`--deep-lr`).
    pub lr: f64,
    /// DCSS's cluster probabilities: `student-t` or `head` (`--dcss-memberships`).
    #[serde(with = "membership_as_text")]
    pub memberships: Membership,
}

impl Default for DeepSettings {
    fn default() -> Self {
        DeepSettings {
            pretrain_epochs: 50,
            latent: 2,
            architecture: Architecture::Small,
            gamma: None,
            tol: 1e-3,
            update_interval: 140,
            maxiter: 20_000,
            batch_size: 256,
            lr: 1e-3,
            memberships: Membership::Head,
        }
    }
}

impl DeepSettings {
    /// The validated IDEC/DCSS parameters for `method` (idec or dcss), `k` clusters and `seed`.
    pub fn params(&self, method: Method, k: usize, seed: u64) -> Result<crate::cluster::deep::DeepParams, Error> {
        use crate::cluster::deep::{DeepParams, Objective};
        let objective = match method {
            Method::Dcss => Objective::Dcss,
            Method::Idec => Objective::Idec,
            other => {
                return Err(option_error(
                    "--method",
                    format!("{other}: not a deep method (idec or dcss)"),
                ));
            }
        };
        let mut params = DeepParams::new(k, objective)
            .architecture(self.architecture.clone())
            .latent(self.latent)
            .pretrain_epochs(self.pretrain_epochs)
            .tol(self.tol)
            .update_interval(self.update_interval)
            .maxiter(self.maxiter)
            .batch_size(self.batch_size)
            .pretrain_lr(self.lr)
            .learning_rate(self.lr)
            .membership(self.memberships)
            .seed(seed);
        if let Some(g) = self.gamma {
            params = params.gamma(g);
        }
        params
            .build()
            .map_err(|e| option_error(&format!("--method {method}"), e.to_string()))
    }
}

/// Where exact algorithms give way to their scalable forms, by number of selected cells.
/// Each is a flag of `run`; the run says on stderr and in metrics.json when it switched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScaleSettings {
    /// K-Means runs as mini-batch K-Means above this many points (`--minibatch-above`; by
    /// default no row limit). Without it exact Lloyd/Hamerly with restarts runs wherever its
    /// working set fits half the memory limit ([`crate::pipeline::run::methods::exact_kmeans_memory`]),
    /// and mini-batch only where it does not: exact K-Means with restarts reaches a lower
    /// inertia than mini-batch refined by Lloyd steps at millions of cells.
    pub minibatch_above: usize,
    /// Exact K-Means runs its restarts on a sample and refines the best on all cells above
    /// this many points (`--kmeans-sample-above`,
    /// [`crate::cluster::kmeans::RestartSampling`]); below it every restart runs on all cells.
    #[serde(default = "default_kmeans_sample_above")]
    pub kmeans_sample_above: usize,
    /// Ward runs exactly (nearest-neighbour chain, O(n^2) time) up to this many points, and on
    /// K-Means micro-clusters weighted by their sizes above it (`--ward-exact-max`; about 25 s
    /// at 100,000 points on 2 cores).
    pub ward_exact_max: usize,
    /// Micro-clusters of the scalable Ward (`--ward-micro`).
    pub ward_micro: usize,
    /// The silhouette is exact (all pairs, O(n^2)) up to this many points and a stratified
    /// sampled estimate with its standard error above (`--silhouette-exact-max`; the exact
    /// score takes about 11 s at 200,000 points on 2 cores). A limit above the number of
    /// cells asks for the exact score at any size.
    pub silhouette_exact_max: usize,
    /// Points scored by the sampled silhouette (`--silhouette-sample`).
    pub silhouette_sample: usize,
    /// Reference points per cluster that each sampled point is scored against (the whole
    /// cluster when smaller; [`crate::metrics::silhouette_two_stage`], whose standard error
    /// includes this second stage). Set it to the number of cells to score against all cells.
    #[serde(default = "default_silhouette_reference")]
    pub silhouette_reference: usize,
    /// The VAE trains on a random subset of at most this many cells (`--vae-train-max`) and then
    /// encodes every cell; R2 is computed on all cells.
    pub vae_train_max: usize,
    /// The Gaussian mixture's EM runs on a random subset of at most this many cells
    /// (`--gmm-fit-max`), then every cell is assigned; the log-likelihood, BIC and AIC are over
    /// all cells ([`crate::cluster::gmm`] explains the default by its memory and sampling error).
    #[serde(default = "default_gmm_fit_max")]
    pub gmm_fit_max: usize,
}

fn default_kmeans_sample_above() -> usize {
    crate::cluster::kmeans::RestartSampling::default().above
}

fn default_silhouette_reference() -> usize {
    crate::metrics::REFERENCE_PER_CLUSTER
}

fn default_gmm_fit_max() -> usize {
    crate::cluster::gmm::DEFAULT_SAMPLE_MAX
}

impl Default for ScaleSettings {
    fn default() -> Self {
        ScaleSettings {
            minibatch_above: usize::MAX,
            kmeans_sample_above: default_kmeans_sample_above(),
            ward_exact_max: 100_000,
            ward_micro: 2_000,
            silhouette_exact_max: 200_000,
            silhouette_sample: 20_000,
            silhouette_reference: crate::metrics::REFERENCE_PER_CLUSTER,
            vae_train_max: 200_000,
            gmm_fit_max: crate::cluster::gmm::DEFAULT_SAMPLE_MAX,
        }
    }
}

/// Every setting of a run, resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunConfig {
    pub input: PathBuf,
    pub out: PathBuf,
    pub vars: Vec<String>,
    pub select: Selection,
    pub reduce: Reduce,
    pub method: Method,
    pub k: KChoice,
    pub k_max: usize,
    pub n_init: usize,
    pub seed: u64,
    /// The class variables the clusters are compared with (`--truth`, repeatable); recorded as
    /// one name when there is one, as a list when several.
    #[serde(
        serialize_with = "crate::pipeline::naming::serialize_truths",
        deserialize_with = "crate::pipeline::naming::deserialize_truths"
    )]
    pub truth: Vec<String>,
    /// Class names of truth variables given by `--truth-names` (variable -> value -> name).
    #[serde(default, skip_serializing_if = "crate::pipeline::naming::TruthClassNames::is_empty")]
    pub truth_names: crate::pipeline::naming::TruthClassNames,
    /// The user's cluster names (`--names`), by cluster id.
    #[serde(default, skip_serializing_if = "crate::pipeline::naming::ClusterNames::is_empty")]
    pub names: crate::pipeline::naming::ClusterNames,
    pub figures: bool,
    pub vae: VaeSettings,
    #[serde(default)]
    pub deep: DeepSettings,
    /// Only the cells in this region (`--region`): `lon_min,lon_max,lat_min,lat_max` in degrees
    /// (`lon_min > lon_max` wraps the dateline) or a named region (africa, europe, ...).
    #[serde(default)]
    pub region: Option<Region>,
    /// Memory limit (`--max-memory`, bytes in metrics.json); `None` =
    /// [`super::memory::DEFAULT_SHARE`] of the machine's memory.
    #[serde(default)]
    pub max_memory: Option<MemoryLimit>,
    /// Covariance model of `--method gmm` (`--gmm-covariance`).
    #[serde(default)]
    pub gmm_covariance: GmmCovariance,
    /// How much each cell counts (`--weights`).
    #[serde(default)]
    pub weights: Weights,
    /// How `--k auto` chooses k (`--k-rule`).
    #[serde(default)]
    pub k_rule: KRule,
    #[serde(default)]
    pub scale: ScaleSettings,
    /// Per-cell tables as CSV or Parquet (`--tables`).
    #[serde(default)]
    pub tables: TableFormat,
    /// Whether labels.geojson is written (`--vector`, `--vector-max-cells`).
    #[serde(default)]
    pub vector: super::vector_settings::VectorSettings,
    /// The user's decoding of some variables (`--decode`), over what the file says.
    #[serde(default, skip_serializing_if = "crate::dataset::DecodeOverrides::is_empty")]
    pub decode: crate::dataset::DecodeOverrides,
    /// Contiguous Ward (`--contiguous`): the grid neighbours a cell has, 4 or 8
    /// (`--neighbours`); `None` for Ward without the constraint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contiguous: Option<u8>,
    /// Contiguous Ward: cut the tree at this Ward height rather than at `--k`
    /// (`--cut-height`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cut_height: Option<f64>,
    /// Contiguous Ward: merge regions of fewer cells into their most similar neighbour
    /// (`--min-region-cells`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_region_cells: Option<usize>,
}

impl RunConfig {
    /// The defaults for an input file: the study's variables, land cells, K-Means with k = 6.
    pub fn new(input: impl Into<PathBuf>) -> Self {
        RunConfig {
            input: input.into(),
            out: PathBuf::from("landclust-out"),
            vars: STUDY_VARIABLES.iter().map(|s| s.to_string()).collect(),
            select: Selection::default(),
            reduce: Reduce::None,
            method: Method::Kmeans,
            k: KChoice::Fixed(6),
            k_max: 20,
            n_init: 10,
            seed: 42,
            truth: Vec::new(),
            truth_names: Default::default(),
            names: Default::default(),
            figures: true,
            vae: VaeSettings::default(),
            deep: DeepSettings::default(),
            region: None,
            max_memory: None,
            gmm_covariance: GmmCovariance::default(),
            weights: Weights::default(),
            k_rule: KRule::default(),
            scale: ScaleSettings::default(),
            tables: TableFormat::default(),
            vector: Default::default(),
            decode: Default::default(),
            contiguous: None,
            cut_height: None,
            min_region_cells: None,
        }
    }
}

/// The canonical spelling of a variable spec (`" AOD565[ 3 ]"` -> `AOD565[3]`), the name the
/// reader gives the loaded variable, so every later lookup uses the same string.
pub fn canonical_var(option: &str, spec: &str) -> Result<String, Error> {
    spec.parse::<crate::dataset::varspec::VarSpec>()
        .map(|s| s.to_string())
        .map_err(|e| option_error(option, e.to_string()))
}

/// [`canonical_var`] of every entry; blank entries are skipped, none left is an error.
pub fn canonical_vars(specs: &[String]) -> Result<Vec<String>, Error> {
    let vars = specs
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| canonical_var("--vars", s))
        .collect::<Result<Vec<_>, _>>()?;
    if vars.is_empty() {
        return Err(option_error("--vars", "no variable given"));
    }
    Ok(vars)
}

/// `vars` with every series `NAME[*]` expanded to `NAME[0] .. NAME[n-1]` over the variable's
/// extra dimension in `input` ([`crate::dataset::BlockReader::expand`]); the file is opened only
/// when there is a series, so the other specs keep their canonical spelling and no extra I/O.
pub fn expand_series(input: &Path, vars: Vec<String>) -> Result<Vec<String>, Error> {
    if !vars.iter().any(|v| v.ends_with("[*]")) {
        return Ok(vars);
    }
    let reader = crate::io::open_input(input)?;
    Ok(crate::dataset::expand_specs(reader.as_ref(), &vars)?)
}

/// `path` made absolute against the current directory (no file access), so a path recorded in
/// an output folder still names the same file from another working directory.
pub fn absolute(path: &Path) -> Result<PathBuf, Error> {
    std::path::absolute(path).map_err(|e| Error::File {
        path: path.into(),
        message: e.to_string(),
    })
}

impl RunConfig {
    /// The settings as recorded in an output folder: the input path made absolute.
    pub fn recorded(&self) -> RunConfig {
        let mut cfg = self.clone();
        if let Ok(p) = std::path::absolute(&self.input) {
            cfg.input = p;
        }
        cfg
    }
}

/// An error about one option, named.
pub fn option_error(option: &str, message: impl Into<String>) -> Error {
    Error::Option {
        option: option.into(),
        message: message.into(),
    }
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
