//! Settings of `landclust run`, from the command line and/or a TOML file (`--config`);
//! command-line flags win over the file, the file over the defaults.

use crate::dataset::Selection;
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
    /// `(R1, R2)`: each cell is embedded in R2 dimensions ([`crate::pipeline::tt`]).
    Tt(usize, usize),
    /// Tensor train of the (cell, variable, month) z-score tensor of series variables
    /// (`NAME[*]`) with TT-ranks `(R1, R2)`: each cell is embedded in R1 dimensions
    /// ([`crate::pipeline::tt::reduce_cells`]).
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
serde_as_text!(Reduce, KChoice);

/// The clustering method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    Kmeans,
    /// Mini-batch K-Means (Sculley 2010): chosen with `--method minibatch-kmeans`, or by
    /// `kmeans` itself above [`ScaleSettings::minibatch_above`] points.
    #[serde(rename = "minibatch-kmeans")]
    MiniBatchKmeans,
    Ward,
    /// IDEC (Guo et al. 2017): autoencoder + K-Means centres + `L_rec + gamma KL(P||Q)`; the
    /// clusters are scored in the learned embedding ([`DeepSettings`]).
    Idec,
    /// DCSS (Vardakas et al. 2024): the same autoencoder trained on `L_rec + gamma (1 - soft
    /// silhouette)`; scored in the learned embedding ([`DeepSettings`]).
    Dcss,
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
            _ => Err(option_error(
                "--method",
                format!("'{s}': expected kmeans, minibatch-kmeans, ward, idec or dcss"),
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
    pub architecture: String,
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
    pub memberships: String,
}

impl Default for DeepSettings {
    fn default() -> Self {
        DeepSettings {
            pretrain_epochs: 50,
            latent: 2,
            architecture: "small".into(),
            gamma: None,
            tol: 1e-3,
            update_interval: 140,
            maxiter: 20_000,
            batch_size: 256,
            lr: 1e-3,
            memberships: "head".into(),
        }
    }
}

/// Parses `student-t` or `head` (`--dcss-memberships`).
pub fn parse_memberships(text: &str) -> Result<crate::cluster::deep::Membership, Error> {
    text.parse()
        .map_err(|()| option_error("--dcss-memberships", format!("'{text}': expected student-t or head")))
}

/// Parses `small`, `paper` or comma-separated hidden widths.
pub fn parse_architecture(text: &str) -> Result<crate::cluster::deep::Architecture, Error> {
    use crate::cluster::deep::Architecture;
    match text.trim() {
        "small" => Ok(Architecture::Small),
        "paper" => Ok(Architecture::Paper),
        list => list
            .split(',')
            .map(|w| w.trim().parse::<usize>())
            .collect::<Result<Vec<_>, _>>()
            .map(Architecture::Custom)
            .map_err(|_| {
                option_error(
                    "--deep-arch",
                    format!("'{text}': expected small, paper or comma-separated widths"),
                )
            }),
    }
}

impl DeepSettings {
    /// The validated IDEC/DCSS parameters for `method` (idec or dcss), `k` clusters and `seed`.
    pub fn params(&self, method: Method, k: usize, seed: u64) -> Result<crate::cluster::deep::DeepParams, Error> {
        use crate::cluster::deep::{DeepParams, Objective};
        let objective = match method {
            Method::Dcss => Objective::Dcss,
            _ => Objective::Idec,
        };
        let mut params = DeepParams::new(k, objective)
            .architecture(parse_architecture(&self.architecture)?)
            .latent(self.latent)
            .pretrain_epochs(self.pretrain_epochs)
            .tol(self.tol)
            .update_interval(self.update_interval)
            .maxiter(self.maxiter)
            .batch_size(self.batch_size)
            .pretrain_lr(self.lr)
            .learning_rate(self.lr)
            .membership(parse_memberships(&self.memberships)?)
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
    /// K-Means runs as mini-batch K-Means above this many points (`--minibatch-above`).
    /// Exact Lloyd/Hamerly with 10 restarts takes about 80 s at 6 M points x 7 on 2 cores.
    pub minibatch_above: usize,
    /// Ward runs exactly (nearest-neighbour chain, O(n^2) time) up to this many points, and on
    /// K-Means micro-clusters weighted by their sizes above it (`--ward-exact-max`; about 25 s
    /// at 100,000 points on 2 cores).
    pub ward_exact_max: usize,
    /// Micro-clusters of the scalable Ward (`--ward-micro`).
    pub ward_micro: usize,
    /// The silhouette is exact (all pairs, O(n^2)) up to this many points and a stratified
    /// sampled estimate with its standard error above (`--silhouette-exact-max`; the exact
    /// score takes about 11 s at 200,000 points on 2 cores).
    pub silhouette_exact_max: usize,
    /// Points scored by the sampled silhouette (`--silhouette-sample`).
    pub silhouette_sample: usize,
    /// The VAE trains on a random subset of at most this many cells (`--vae-train-max`) and then
    /// encodes every cell; R2 is computed on all cells.
    pub vae_train_max: usize,
}

impl Default for ScaleSettings {
    fn default() -> Self {
        ScaleSettings {
            minibatch_above: 2_000_000,
            ward_exact_max: 100_000,
            ward_micro: 2_000,
            silhouette_exact_max: 200_000,
            silhouette_sample: 20_000,
            vae_train_max: 200_000,
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
    pub truth: Option<String>,
    pub figures: bool,
    pub vae: VaeSettings,
    #[serde(default)]
    pub deep: DeepSettings,
    /// Only the cells in this region (`--region`): `lon_min,lon_max,lat_min,lat_max` in degrees
    /// (`lon_min > lon_max` wraps the dateline) or a named region (africa, europe, ...).
    #[serde(default)]
    pub region: Option<String>,
    /// Memory limit in bytes (`--max-memory`); `None` = [`super::memory::DEFAULT_SHARE`] of the
    /// machine's memory.
    #[serde(default)]
    pub max_memory: Option<u64>,
    #[serde(default)]
    pub scale: ScaleSettings,
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
            truth: None,
            figures: true,
            vae: VaeSettings::default(),
            deep: DeepSettings::default(),
            region: None,
            max_memory: None,
            scale: ScaleSettings::default(),
        }
    }
}

/// The `--config` TOML file: every key optional, same names as the flags (`-` or `_`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    pub input: Option<PathBuf>,
    pub out: Option<PathBuf>,
    pub vars: Option<Vec<String>>,
    pub select: Option<String>,
    pub reduce: Option<String>,
    pub method: Option<String>,
    pub k: Option<toml::Value>,
    pub k_max: Option<usize>,
    pub n_init: Option<usize>,
    pub seed: Option<u64>,
    pub truth: Option<String>,
    pub figures: Option<bool>,
    pub epochs: Option<usize>,
    pub batch_size: Option<usize>,
    pub alpha: Option<f64>,
    pub lr: Option<f64>,
    pub hidden: Option<usize>,
    pub region: Option<String>,
    pub max_memory: Option<String>,
    pub minibatch_above: Option<usize>,
    pub ward_exact_max: Option<usize>,
    pub ward_micro: Option<usize>,
    pub silhouette_exact_max: Option<usize>,
    pub silhouette_sample: Option<usize>,
    pub vae_train_max: Option<usize>,
    pub pretrain_epochs: Option<usize>,
    pub deep_latent: Option<usize>,
    pub deep_arch: Option<String>,
    pub dcss_memberships: Option<String>,
    pub gamma: Option<f64>,
    pub tol: Option<f64>,
    pub update_interval: Option<usize>,
    pub maxiter: Option<usize>,
    pub deep_batch: Option<usize>,
    pub deep_lr: Option<f64>,
}

impl ConfigFile {
    /// Read and parse a TOML config file.
    pub fn read(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::File {
            path: path.into(),
            message: e.to_string(),
        })?;
        toml::from_str(&text).map_err(|e| Error::File {
            path: path.into(),
            message: e.message().to_string(),
        })
    }

    /// Apply the file's keys onto `cfg`.
    pub fn apply(&self, cfg: &mut RunConfig) -> Result<(), Error> {
        if let Some(v) = &self.input {
            cfg.input = v.clone();
        }
        if let Some(v) = &self.out {
            cfg.out = v.clone();
        }
        if let Some(v) = &self.vars {
            cfg.vars = canonical_vars(v)?;
        }
        if let Some(v) = &self.select {
            cfg.select = v
                .parse()
                .map_err(|e: crate::dataset::DatasetError| option_error("--select", e.to_string()))?;
        }
        if let Some(v) = &self.reduce {
            cfg.reduce = v.parse()?;
        }
        if let Some(v) = &self.method {
            cfg.method = v.parse()?;
        }
        if let Some(v) = &self.k {
            let text = match v {
                toml::Value::String(s) => s.clone(),
                toml::Value::Integer(i) if *i >= 0 => i.to_string(),
                other => {
                    return Err(option_error(
                        "k",
                        format!("{other}: expected a positive integer or \"auto\""),
                    ));
                }
            };
            cfg.k = text.parse()?;
        }
        set(&mut cfg.k_max, self.k_max);
        set(&mut cfg.n_init, self.n_init);
        set(&mut cfg.seed, self.seed);
        if let Some(t) = &self.truth {
            cfg.truth = Some(canonical_var("--truth", t)?);
        }
        set(&mut cfg.figures, self.figures);
        set(&mut cfg.vae.epochs, self.epochs);
        set(&mut cfg.vae.batch_size, self.batch_size);
        set(&mut cfg.vae.alpha, self.alpha);
        set(&mut cfg.vae.lr, self.lr);
        set(&mut cfg.vae.hidden, self.hidden);
        if let Some(r) = &self.region {
            super::memory::parse_region(r)?;
            cfg.region = Some(r.trim().to_string());
        }
        if let Some(m) = &self.max_memory {
            cfg.max_memory = Some(crate::dataset::parse_bytes(m).map_err(|e| option_error("--max-memory", e))?);
        }
        let dp = &mut cfg.deep;
        set(&mut dp.pretrain_epochs, self.pretrain_epochs);
        set(&mut dp.latent, self.deep_latent);
        set(&mut dp.architecture, self.deep_arch.clone());
        if self.gamma.is_some() {
            dp.gamma = self.gamma;
        }
        set(&mut dp.tol, self.tol);
        set(&mut dp.update_interval, self.update_interval);
        set(&mut dp.maxiter, self.maxiter);
        set(&mut dp.batch_size, self.deep_batch);
        set(&mut dp.lr, self.deep_lr);
        set(&mut dp.memberships, self.dcss_memberships.clone());
        let sc = &mut cfg.scale;
        set(&mut sc.minibatch_above, self.minibatch_above);
        set(&mut sc.ward_exact_max, self.ward_exact_max);
        set(&mut sc.ward_micro, self.ward_micro);
        set(&mut sc.silhouette_exact_max, self.silhouette_exact_max);
        set(&mut sc.silhouette_sample, self.silhouette_sample);
        set(&mut sc.vae_train_max, self.vae_train_max);
        if sc.ward_micro < 2 {
            return Err(option_error("--ward-micro", "must be at least 2"));
        }
        if sc.silhouette_sample < 2 {
            return Err(option_error("--silhouette-sample", "must be at least 2"));
        }
        if sc.vae_train_max < 2 {
            return Err(option_error("--vae-train-max", "must be at least 2"));
        }
        Ok(())
    }
}

fn set<T>(slot: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *slot = v;
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
