//! The options of a run, defined once: [`RunOptions`] is at the same time the flags of
//! `landclust run`/`elbow`/`stability` (clap derive), the keys of their `--config` TOML file and
//! the keyword arguments of the Python package's `landclust.run` (serde derive), and
//! [`RunOptions::resolve`] is the one place their values become the typed [`RunConfig`].
//!
//! Why clap + serde on one struct rather than reading the config file as extra arguments (as
//! ripgrep does with its config file): the file and Python hand over typed values (`k = 7`,
//! `figures = false`, `vars = [..]`) that a TOML or JSON map already carries, and one struct
//! lets the compiler check that every option is merged ([`RunOptions::overlay`]) and resolved
//! ([`RunOptions::resolve`]) by destructuring it whole. Every field is an `Option` so sources
//! merge: flags win over the file, the file over the defaults of [`RunConfig::new`].
//!
//! Values with a syntax of their own (`--k`, `--reduce`, `--region`, `--max-memory`, ...) stay the
//! text the user gave until [`RunOptions::resolve`]: if clap or serde parsed them, a bad value
//! would read differently from a flag (clap's report) and from a file key (serde's), while from
//! `resolve` it is the same line, `option --k: 'x': expected a positive integer or auto`,
//! wherever it came from. Plain numbers are parsed by clap and serde and range-checked in
//! `resolve`.
//!
//! File and Python keys are the long flag names without `--`, with `-` or `_`
//! (`k-max` = `k_max`), plus `input` (the FILE argument) and `figures` (`--no-figures` is
//! `figures = false`).

use super::config::{
    GmmCovariance, KChoice, KRule, MemoryLimit, Method, Reduce, Region, RunConfig, TableFormat, Weights, canonical_var,
    canonical_vars, option_error, parse_architecture, parse_memberships,
};
use crate::dataset::varspec::{ECHO_MAX_CHARS, echo, echo_line};
use crate::error::Error;
use clap::Args;
use serde::{Deserialize, Deserializer};
use std::path::{Path, PathBuf};

/// Every option of a run, as given (see the module docs); `None`: not given by this source.
#[derive(Debug, Clone, Default, PartialEq, Args, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct RunOptions {
    /// The netCDF or GeoTIFF file (may also come from the config file's `input`); several
    /// single-band GeoTIFFs as variables: NAME=FILE,NAME=FILE (e.g. NDVI=ndvi.tif,DHR670=b4.tif).
    #[arg(value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// Variables to cluster, comma separated [default: NDVI,DHR443,DHR490,DHR565,DHR670,DHR865,DHR1020].
    /// A variable with an extra dimension (e.g. month) is read as NAME[i] (one entry), NAME:mean
    /// (or :min, :max, :median over it) or NAME[*] (a series: every entry, one column each).
    #[arg(long, value_delimiter = ',')]
    pub vars: Option<Vec<String>>,
    /// Cells to use: land[:THRESHOLD[:VAR]] (LandPercentage >= 100 by default), sea, all, mask:VAR.
    #[arg(long)]
    pub select: Option<String>,
    /// Reduction before clustering: none, pca:N, vae:N, tt:R1,R2 or tt-cell:R1,R2 [default: none].
    /// tt:R1,R2 is a tensor train (TT-SVD, Oseledets 2011) of the (latitude, longitude, variable)
    /// tensor of z-scores over the output window with TT-ranks R1 <= rows and R2 <= variables;
    /// unselected cells are unknowns filled by EM imputation, each cell is clustered on its R2-D
    /// embedding. tt-cell:R1,R2 is the tensor train of the (cell, variable, month) tensor of
    /// series variables (--vars 'NDVI[*],DHR670[*]'), R2 <= months, R1 <= R2 x variables; each
    /// cell is clustered on its R1-D embedding (R2 = months gives PCA-R1 exactly).
    #[arg(long)]
    pub reduce: Option<String>,
    /// Clustering method: kmeans, minibatch-kmeans, ward, idec, dcss or gmm [default: kmeans].
    /// idec (Guo et al. 2017) and dcss (Vardakas et al. 2024) pretrain an autoencoder on the
    /// (reduced) z-scores, start from K-Means centres in its embedding and train both jointly;
    /// their scores are computed in that embedding (and in the standardized space). gmm is a
    /// Gaussian mixture fitted by EM (see --gmm-covariance).
    #[arg(long)]
    pub method: Option<String>,
    /// Number of clusters, or `auto`: by default the gap statistic (Tibshirani et al. 2001, B = 10
    /// uniform reference sets in the principal-axes box, smallest k with Gap(k) >= Gap(k+1) -
    /// s(k+1), k <= --k-max), with the elbow knee and the best silhouette reported beside it
    /// (stderr when they disagree, metrics.json `k_choice`); an error when no k qualifies; see
    /// --k-rule [default: 6].
    #[arg(long)]
    #[serde(default, deserialize_with = "text_or_integer")]
    pub k: Option<String>,
    /// How --k auto chooses k: gap (the gap statistic), bic or aic (the smallest Bayesian or
    /// Akaike information criterion of a Gaussian mixture) [default: gap].
    #[arg(long)]
    pub k_rule: Option<String>,
    /// Largest k of the elbow sweep and of --k auto [default: 20].
    #[arg(long)]
    pub k_max: Option<usize>,
    /// K-Means restarts; the lowest inertia is kept [default: 10].
    #[arg(long)]
    pub n_init: Option<usize>,
    /// Covariance of each component of --method gmm: full (a d x d matrix) or diag [default: full].
    #[arg(long)]
    pub gmm_covariance: Option<String>,
    /// Weight of each cell in the standardization, the clustering and the scores: none (every
    /// cell counts once, the study's choice) or area (each cell by its area on the grid's
    /// ellipsoid, so a 1-degree cell at 60 degrees counts half one at the equator); see
    /// docs/weights.md [default: none].
    #[arg(long)]
    pub weights: Option<String>,
    /// Random seed (k-means++, VAE) [default: 42].
    #[arg(long)]
    pub seed: Option<u64>,
    /// An integer class variable of the file to score the clusters against (ARI, NMI, V-measure,
    /// Cramer's V, accuracy and kappa after majority mapping); repeatable, one reference map
    /// each (a config file or Python: one name or a list).
    #[arg(long)]
    #[serde(default, deserialize_with = "crate::pipeline::naming::one_or_many")]
    pub truth: Option<Vec<String>>,
    /// Class names of a truth variable: a CSV file of `value,name` lines, as VAR=FILE (or FILE
    /// with one --truth); repeatable. Over the variable's CF flag_values/flag_meanings.
    #[arg(long, value_name = "[VAR=]FILE")]
    #[serde(default, deserialize_with = "crate::pipeline::naming::one_or_many")]
    pub truth_names: Option<Vec<String>>,
    /// Names of the clusters: a TOML file with a [names] table, `0 = "desert"`; over the
    /// proposed names in the legends, the report, clusters.csv, labels.nc and labels.tif.
    #[arg(long, value_name = "FILE")]
    pub names: Option<PathBuf>,
    /// Output folder [default: landclust-out].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Per-cell tables (labels, margin, latent): auto (CSV up to 1,000,000 cells, Parquet
    /// above), csv or parquet [default: auto].
    #[arg(long)]
    pub tables: Option<String>,
    /// labels.geojson, the clusters (or regions) as polygons along the cells' edges: auto
    /// (written up to --vector-max-cells clustered cells), geojson (always) or none [default: auto].
    #[arg(long)]
    pub vector: Option<String>,
    /// Largest run (clustered cells) that --vector auto writes labels.geojson for [default: 2000000].
    #[arg(long)]
    pub vector_max_cells: Option<usize>,
    /// Skip figures and report.html (config file and Python: `figures = false`).
    #[arg(long)]
    #[serde(skip)]
    pub no_figures: bool,
    /// Draw figures and report.html: the config file's and Python's spelling of --no-figures.
    #[arg(skip)]
    pub figures: Option<bool>,
    /// VAE: training epochs [default: 50].
    #[arg(long)]
    pub epochs: Option<usize>,
    /// VAE: mini-batch size [default: 256].
    #[arg(long)]
    pub batch_size: Option<usize>,
    /// VAE: weight of the KL term in the loss [default: 1e-4].
    #[arg(long)]
    pub alpha: Option<f64>,
    /// VAE: Adam learning rate [default: 1e-3].
    #[arg(long)]
    pub lr: Option<f64>,
    /// VAE: width of the hidden layers [default: 38].
    #[arg(long)]
    pub hidden: Option<usize>,
    /// Read only this region: lon_min,lon_max,lat_min,lat_max in degrees (lon_min > lon_max
    /// wraps the dateline, e.g. 170,-170,-20,0), or a name: africa, south-america,
    /// north-america, europe, asia, oceania. Only its rows and columns are read.
    #[arg(long, allow_hyphen_values = true)]
    pub region: Option<String>,
    /// Memory limit, e.g. 512MB, 4GB [default: 75% of the machine's memory]. The run estimates
    /// what it needs once the selection is known (before the variables are read) and stops
    /// with one line when the estimate is over the limit.
    #[arg(long)]
    #[serde(default, deserialize_with = "text_or_integer")]
    pub max_memory: Option<String>,
    /// K-Means becomes mini-batch K-Means above this many cells [default: no limit; exact K-Means
    /// runs wherever its working set fits half of --max-memory, mini-batch above].
    #[arg(long)]
    pub minibatch_above: Option<usize>,
    /// Above this many cells exact K-Means runs its restarts on a 250,000-cell sample and
    /// refines the best 2 on all cells [default: 1000000; a larger value keeps every restart on
    /// all cells].
    #[arg(long)]
    pub kmeans_sample_above: Option<usize>,
    /// Ward is exact up to this many cells, on K-Means micro-clusters above [default: 100000].
    #[arg(long)]
    pub ward_exact_max: Option<usize>,
    /// Micro-clusters of Ward above --ward-exact-max (at least 2) [default: 2000].
    #[arg(long)]
    pub ward_micro: Option<usize>,
    /// The silhouette is exact up to this many cells, a stratified estimate above [default: 200000].
    #[arg(long)]
    pub silhouette_exact_max: Option<usize>,
    /// Cells scored by the sampled silhouette (at least 2) [default: 20000].
    #[arg(long)]
    pub silhouette_sample: Option<usize>,
    /// VAE: train on at most this many randomly drawn cells (at least 2), then encode all
    /// [default: 200000].
    #[arg(long)]
    pub vae_train_max: Option<usize>,
    /// Gaussian mixture: EM runs on at most this many randomly drawn cells (at least 2), then
    /// every cell is assigned [default: 200000].
    #[arg(long)]
    pub gmm_fit_max: Option<usize>,
    /// How one variable's stored numbers become values, over what the file says (repeatable):
    /// NAME:KEY=VALUE,... with scale, offset (value = stored * scale + offset), nodata (a stored
    /// value meaning missing), valid_min, valid_max (physical units) and units, e.g.
    /// --decode 'fAPAR:scale=1e-4,nodata=-999'. In a config file: a [decode.NAME] table.
    #[arg(long, value_name = "NAME:KEY=VALUE,...")]
    #[serde(default, deserialize_with = "decode_items")]
    pub decode: Option<Vec<String>>,
    #[command(flatten)]
    #[serde(flatten)]
    pub deep: DeepOptions,
    #[command(flatten)]
    #[serde(flatten)]
    pub regions: RegionOptions,
}

/// Options of contiguous Ward (`run --method ward --contiguous`), as given.
#[derive(Debug, Clone, Default, PartialEq, Args, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct RegionOptions {
    /// Ward: merge only neighbouring cells and regions, so every cluster is a spatially
    /// connected region (exact at every size; separate islands are joined as said in
    /// metrics.json's scale_notes). Only with --method ward.
    #[arg(long)]
    #[serde(default)]
    pub contiguous: bool,
    /// --contiguous: grid cells touch through their 4 edges or also their 4 corners (8)
    /// [default: 4]; longitude wraps at the dateline on a global grid.
    #[arg(long, value_name = "4|8")]
    pub neighbours: Option<usize>,
    /// --contiguous: cut the tree at this Ward merge height instead of at --k (the number of
    /// regions is one plus the merges at or above it, as scikit-learn's distance_threshold).
    #[arg(long, value_name = "H")]
    pub cut_height: Option<f64>,
    /// --contiguous: merge every region of fewer cells into its most similar neighbouring region
    /// (smallest Ward increase), smallest first.
    #[arg(long, value_name = "N")]
    pub min_region_cells: Option<usize>,
}

impl RegionOptions {
    /// `self` with every option that `over` gives replaced by `over`'s (a flag only turns on).
    pub fn overlay(self, over: RegionOptions) -> RegionOptions {
        let RegionOptions {
            contiguous,
            neighbours,
            cut_height,
            min_region_cells,
        } = over;
        RegionOptions {
            contiguous: contiguous || self.contiguous,
            neighbours: neighbours.or(self.neighbours),
            cut_height: cut_height.or(self.cut_height),
            min_region_cells: min_region_cells.or(self.min_region_cells),
        }
    }

    /// The given options onto `cfg`, checked against its method; `k_given`: whether --k was
    /// given (a cut height replaces it).
    pub fn apply(&self, cfg: &mut RunConfig, k_given: bool) -> Result<(), Error> {
        let RegionOptions {
            contiguous,
            neighbours,
            cut_height,
            min_region_cells,
        } = self;
        if let Some(h) = cut_height {
            if !contiguous {
                return Err(option_error(
                    "--cut-height",
                    "only with --method ward --contiguous (the tree whose merge heights it cuts)",
                ));
            }
            if k_given {
                return Err(option_error(
                    "--cut-height",
                    "give either --k or --cut-height: the height sets the number of regions",
                ));
            }
            if !h.is_finite() || *h < 0.0 {
                return Err(option_error(
                    "--cut-height",
                    format!("{h}: expected a finite number >= 0"),
                ));
            }
            cfg.cut_height = Some(*h);
        }
        if let Some(n) = min_region_cells {
            if !contiguous {
                return Err(option_error(
                    "--min-region-cells",
                    "only with --method ward --contiguous",
                ));
            }
            if *n < 1 {
                return Err(option_error("--min-region-cells", "0: must be at least 1"));
            }
            cfg.min_region_cells = Some(*n);
        }
        if let Some(n) = neighbours {
            if *n != 4 && *n != 8 {
                return Err(option_error("--neighbours", format!("{n}: expected 4 or 8")));
            }
            if !contiguous {
                return Err(option_error("--neighbours", "only with --contiguous"));
            }
        }
        if *contiguous {
            if cfg.method != Method::Ward {
                return Err(option_error(
                    "--contiguous",
                    format!("only with --method ward (the method is {})", cfg.method),
                ));
            }
            cfg.contiguous = Some(neighbours.unwrap_or(4) as u8);
        }
        Ok(())
    }
}

/// Options of IDEC and DCSS (`run --method idec|dcss`, `deep-mnist`), as given.
#[derive(Debug, Clone, Default, PartialEq, Args, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct DeepOptions {
    /// IDEC/DCSS: autoencoder pretraining epochs on reconstruction [default: 50; deep-mnist 40;
    /// the reference code uses 200].
    #[arg(long)]
    pub pretrain_epochs: Option<usize>,
    /// IDEC/DCSS: embedding dimension [default: 2; deep-mnist 10 as the paper].
    #[arg(long)]
    pub deep_latent: Option<usize>,
    /// IDEC/DCSS: hidden layers, `small` (4 x 38, the VAE's), `paper` (500,500,2000) or widths
    /// `a,b,...` [default: small; deep-mnist always paper].
    #[arg(long)]
    pub deep_arch: Option<String>,
    /// IDEC/DCSS: weight gamma of the clustering loss in L = L_rec + gamma * L_clu [default: 0.1
    /// for idec, as its paper; 0.03 for dcss, measured in docs/future-work.md].
    #[arg(long)]
    pub gamma: Option<f64>,
    /// IDEC/DCSS: stop when fewer than this fraction of labels change between two updates
    /// [default: 0.001].
    #[arg(long)]
    pub tol: Option<f64>,
    /// IDEC/DCSS: mini-batch iterations between recomputations of the target P and the labels
    /// [default: 140].
    #[arg(long)]
    pub update_interval: Option<usize>,
    /// IDEC/DCSS: most joint-training iterations [default: 20000].
    #[arg(long)]
    pub maxiter: Option<usize>,
    /// IDEC/DCSS: mini-batch size of pretraining and joint training [default: 256].
    #[arg(long)]
    pub deep_batch: Option<usize>,
    /// IDEC/DCSS: Adam learning rate of pretraining and joint training [default: 1e-3].
    #[arg(long)]
    pub deep_lr: Option<f64>,
    /// DCSS: where the cluster probabilities of the soft silhouette come from: `head` (a softmax
    /// clustering head as in the paper, started at the K-Means partition) or `student-t`
    /// (trainable centres, IDEC's kernel) [default: head].
    #[arg(long, value_name = "MODEL")]
    pub dcss_memberships: Option<String>,
}

/// A key given as text or as a whole number (`k = 7`, `max-memory = 4000000000`), as text.
fn text_or_integer<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct TextOrInteger;
    impl<'de> serde::de::Visitor<'de> for TextOrInteger {
        type Value = Option<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("text or a whole number")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
    }
    d.deserialize_any(TextOrInteger)
}

/// `--decode` items from a config file or Python: a list of `NAME:KEY=VALUE,...` texts, one
/// such text, or a table of tables `{NAME = {KEY = VALUE}}` (TOML's `[decode.NAME]`), as texts.
fn decode_items<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    /// A scalar as the text `DecodeOverrides::parse_all` reads.
    struct Scalar(String);
    impl<'de> Deserialize<'de> for Scalar {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> serde::de::Visitor<'de> for V {
                type Value = Scalar;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a number or text")
                }
                fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Scalar, E> {
                    Ok(Scalar(v.to_string()))
                }
                fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Scalar, E> {
                    Ok(Scalar(v.to_string()))
                }
                fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Scalar, E> {
                    Ok(Scalar(v.to_string()))
                }
                fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Scalar, E> {
                    Ok(Scalar(format!("{v:e}")))
                }
            }
            d.deserialize_any(V)
        }
    }
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Given {
        One(String),
        List(Vec<String>),
        Table(std::collections::BTreeMap<String, std::collections::BTreeMap<String, Scalar>>),
    }
    Ok(Some(match Given::deserialize(d)? {
        Given::One(s) => vec![s],
        Given::List(v) => v,
        Given::Table(t) => t
            .into_iter()
            .map(|(name, keys)| {
                let pairs: Vec<String> = keys.into_iter().map(|(k, v)| format!("{k}={}", v.0)).collect();
                format!("{name}:{}", pairs.join(","))
            })
            .collect(),
    }))
}

impl RunOptions {
    /// The keys of a config file or of Python's `landclust.run`: the long flags without `--`,
    /// `input` for FILE and `figures` for `--no-figures`, read from the clap definition itself.
    pub fn keys() -> Vec<String> {
        let command = Self::augment_args(clap::Command::new("run"));
        command
            .get_arguments()
            .map(|a| match a.get_long() {
                Some("no-figures") => "figures".to_string(),
                Some(long) => long.to_string(),
                None => a.get_id().to_string(),
            })
            .collect()
    }

    /// Options from a map of keys (`-` or `_`) to values: a parsed config file, or Python's
    /// keyword arguments. An unknown key, a key given twice or a value of the wrong type is an
    /// error naming the key.
    pub fn from_table(table: toml::Table) -> Result<RunOptions, Error> {
        Self::from_table_given(table).map_err(echo_shortened)
    }

    fn from_table_given(table: toml::Table) -> Result<RunOptions, Error> {
        let keys = Self::keys();
        let mut options = RunOptions::default();
        let mut seen = std::collections::BTreeSet::new();
        for (given, value) in table {
            let key = given.replace('_', "-");
            if !keys.contains(&key) {
                return Err(option_error(
                    &given,
                    format!("unknown option (expected one of: {})", keys.join(", ")),
                ));
            }
            if !seen.insert(key.clone()) {
                return Err(option_error(&given, "given twice (`-` and `_` spell the same key)"));
            }
            let name = match key.as_str() {
                "input" | "figures" => key.clone(),
                flag => format!("--{flag}"),
            };
            // One key at a time, so a type error names its key (serde's own message does not).
            let one = toml::Value::Table(toml::Table::from_iter([(key, value)]))
                .try_into::<RunOptions>()
                .map_err(|e| option_error(&name, e.message().trim()))?;
            options = options.overlay(one);
        }
        Ok(options)
    }

    /// A `--config` TOML file; its syntax errors name the file.
    pub fn read_toml(path: &Path) -> Result<RunOptions, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::File {
            path: path.into(),
            message: e.to_string(),
        })?;
        let table: toml::Table = toml::from_str(&text).map_err(|e| Error::File {
            path: path.into(),
            message: e.message().trim().to_string(),
        })?;
        Self::from_table(table)
    }

    /// Options from a JSON object (the Python package's keyword arguments; `null` = not given).
    pub fn from_json(text: &str) -> Result<RunOptions, Error> {
        let map: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(text).map_err(|e| option_error("options", e.to_string()))?;
        let mut table = toml::Table::new();
        for (key, value) in map {
            if value.is_null() {
                continue;
            }
            let value = toml::Value::deserialize(value).map_err(|e| option_error(&key, e.to_string()))?;
            table.insert(key, value);
        }
        Self::from_table(table)
    }

    /// `self` with every option that `over` gives replaced by `over`'s (flags over a file).
    pub fn overlay(self, over: RunOptions) -> RunOptions {
        let RunOptions {
            input,
            vars,
            select,
            reduce,
            method,
            k,
            k_rule,
            k_max,
            n_init,
            gmm_covariance,
            weights,
            seed,
            truth,
            truth_names,
            names,
            out,
            tables,
            vector,
            vector_max_cells,
            no_figures,
            figures,
            epochs,
            batch_size,
            alpha,
            lr,
            hidden,
            region,
            max_memory,
            minibatch_above,
            kmeans_sample_above,
            ward_exact_max,
            ward_micro,
            silhouette_exact_max,
            silhouette_sample,
            vae_train_max,
            gmm_fit_max,
            decode,
            deep,
            regions,
        } = over;
        RunOptions {
            input: input.or(self.input),
            vars: vars.or(self.vars),
            select: select.or(self.select),
            reduce: reduce.or(self.reduce),
            method: method.or(self.method),
            k: k.or(self.k),
            k_rule: k_rule.or(self.k_rule),
            k_max: k_max.or(self.k_max),
            n_init: n_init.or(self.n_init),
            gmm_covariance: gmm_covariance.or(self.gmm_covariance),
            weights: weights.or(self.weights),
            seed: seed.or(self.seed),
            truth: truth.or(self.truth),
            truth_names: truth_names.or(self.truth_names),
            names: names.or(self.names),
            out: out.or(self.out),
            tables: tables.or(self.tables),
            vector: vector.or(self.vector),
            vector_max_cells: vector_max_cells.or(self.vector_max_cells),
            // `--no-figures` is `figures = false` given by the flags.
            no_figures,
            figures: if no_figures {
                Some(false)
            } else {
                figures.or(self.figures)
            },
            epochs: epochs.or(self.epochs),
            batch_size: batch_size.or(self.batch_size),
            alpha: alpha.or(self.alpha),
            lr: lr.or(self.lr),
            hidden: hidden.or(self.hidden),
            region: region.or(self.region),
            max_memory: max_memory.or(self.max_memory),
            minibatch_above: minibatch_above.or(self.minibatch_above),
            kmeans_sample_above: kmeans_sample_above.or(self.kmeans_sample_above),
            ward_exact_max: ward_exact_max.or(self.ward_exact_max),
            ward_micro: ward_micro.or(self.ward_micro),
            silhouette_exact_max: silhouette_exact_max.or(self.silhouette_exact_max),
            silhouette_sample: silhouette_sample.or(self.silhouette_sample),
            vae_train_max: vae_train_max.or(self.vae_train_max),
            gmm_fit_max: gmm_fit_max.or(self.gmm_fit_max),
            decode: decode.or(self.decode),
            deep: self.deep.overlay(deep),
            regions: self.regions.overlay(regions),
        }
    }

    /// The typed settings: every value parsed and checked here, before anything runs; the
    /// defaults of [`RunConfig::new`] where nothing was given. Series variables (`NAME[*]`) are
    /// expanded later, against the file ([`super::config::expand_series`]).
    pub fn resolve(&self) -> Result<RunConfig, Error> {
        self.resolve_given().map_err(echo_shortened)
    }

    fn resolve_given(&self) -> Result<RunConfig, Error> {
        let RunOptions {
            input,
            vars,
            select,
            reduce,
            method,
            k,
            k_rule,
            k_max,
            n_init,
            gmm_covariance,
            weights,
            seed,
            truth,
            truth_names,
            names,
            out,
            tables,
            vector,
            vector_max_cells,
            no_figures,
            figures,
            epochs,
            batch_size,
            alpha,
            lr,
            hidden,
            region,
            max_memory,
            minibatch_above,
            kmeans_sample_above,
            ward_exact_max,
            ward_micro,
            silhouette_exact_max,
            silhouette_sample,
            vae_train_max,
            gmm_fit_max,
            decode,
            deep,
            regions,
        } = self;
        let input = input
            .clone()
            .ok_or_else(|| option_error("FILE", "no input file given (argument or `input` in --config)"))?;
        let mut cfg = RunConfig::new(input);
        if let Some(v) = out {
            cfg.out = v.clone();
        }
        if let Some(v) = vars {
            cfg.vars = canonical_vars(v)?;
            refuse_repeated_vars(&cfg.vars)?;
        }
        if let Some(v) = select {
            cfg.select = v
                .parse()
                .map_err(|e: crate::dataset::DatasetError| option_error("--select", e.to_string()))?;
        }
        set_parsed::<Reduce>(&mut cfg.reduce, reduce)?;
        set_parsed::<Method>(&mut cfg.method, method)?;
        set_parsed::<KChoice>(&mut cfg.k, k)?;
        set_parsed::<KRule>(&mut cfg.k_rule, k_rule)?;
        set_parsed::<GmmCovariance>(&mut cfg.gmm_covariance, gmm_covariance)?;
        set_parsed::<Weights>(&mut cfg.weights, weights)?;
        set_parsed::<TableFormat>(&mut cfg.tables, tables)?;
        set_parsed::<super::vector_settings::VectorFormat>(&mut cfg.vector.format, vector)?;
        set(&mut cfg.vector.max_cells, *vector_max_cells);
        set(&mut cfg.k_max, *k_max);
        set(&mut cfg.n_init, *n_init);
        set(&mut cfg.seed, *seed);
        if let Some(t) = truth {
            cfg.truth = t
                .iter()
                .map(|t| canonical_var("--truth", t))
                .collect::<Result<_, _>>()?;
        }
        (cfg.truth_names, cfg.names) =
            crate::pipeline::naming::resolve_names(&cfg.truth, truth_names.as_deref(), names.as_deref())?;
        cfg.figures = !no_figures && figures.unwrap_or(cfg.figures);
        set(&mut cfg.vae.epochs, *epochs);
        set(&mut cfg.vae.batch_size, *batch_size);
        set(&mut cfg.vae.alpha, *alpha);
        set(&mut cfg.vae.lr, *lr);
        set(&mut cfg.vae.hidden, *hidden);
        cfg.region = region.as_deref().map(str::parse::<Region>).transpose()?;
        cfg.max_memory = max_memory.as_deref().map(str::parse::<MemoryLimit>).transpose()?;
        let sc = &mut cfg.scale;
        set(&mut sc.minibatch_above, *minibatch_above);
        set(&mut sc.kmeans_sample_above, *kmeans_sample_above);
        set(&mut sc.ward_exact_max, *ward_exact_max);
        set(&mut sc.ward_micro, *ward_micro);
        set(&mut sc.silhouette_exact_max, *silhouette_exact_max);
        set(&mut sc.silhouette_sample, *silhouette_sample);
        set(&mut sc.vae_train_max, *vae_train_max);
        set(&mut sc.gmm_fit_max, *gmm_fit_max);
        deep.apply(&mut cfg.deep)?;
        regions.apply(&mut cfg, k.is_some())?;
        if let Some(items) = decode {
            cfg.decode = crate::dataset::DecodeOverrides::parse_all(items)
                .map_err(|e| option_error("--decode", e.to_string()))?;
        }
        at_least("--n-init", cfg.n_init, 1)?;
        at_least("--k-max", cfg.k_max, 1)?;
        at_most("--k-max", cfg.k_max, MAX_CLUSTERS)?;
        if let KChoice::Fixed(k) = cfg.k {
            at_most("--k", k, MAX_CLUSTERS)?;
        }
        at_least("--ward-micro", cfg.scale.ward_micro, 2)?;
        at_least("--silhouette-sample", cfg.scale.silhouette_sample, 2)?;
        at_least("--vae-train-max", cfg.scale.vae_train_max, 2)?;
        at_least("--gmm-fit-max", cfg.scale.gmm_fit_max, 2)?;
        cfg.weights.check(&cfg)?;
        Ok(cfg)
    }
}

impl DeepOptions {
    /// `self` with every option that `over` gives replaced by `over`'s.
    pub fn overlay(self, over: DeepOptions) -> DeepOptions {
        let DeepOptions {
            pretrain_epochs,
            deep_latent,
            deep_arch,
            gamma,
            tol,
            update_interval,
            maxiter,
            deep_batch,
            deep_lr,
            dcss_memberships,
        } = over;
        DeepOptions {
            pretrain_epochs: pretrain_epochs.or(self.pretrain_epochs),
            deep_latent: deep_latent.or(self.deep_latent),
            deep_arch: deep_arch.or(self.deep_arch),
            gamma: gamma.or(self.gamma),
            tol: tol.or(self.tol),
            update_interval: update_interval.or(self.update_interval),
            maxiter: maxiter.or(self.maxiter),
            deep_batch: deep_batch.or(self.deep_batch),
            deep_lr: deep_lr.or(self.deep_lr),
            dcss_memberships: dcss_memberships.or(self.dcss_memberships),
        }
    }

    /// The given options onto `settings`, parsed (the rest is checked when the method's
    /// parameters are built, [`super::config::DeepSettings::params`]).
    pub fn apply(&self, settings: &mut super::config::DeepSettings) -> Result<(), Error> {
        let DeepOptions {
            pretrain_epochs,
            deep_latent,
            deep_arch,
            gamma,
            tol,
            update_interval,
            maxiter,
            deep_batch,
            deep_lr,
            dcss_memberships,
        } = self;
        set(&mut settings.pretrain_epochs, *pretrain_epochs);
        set(&mut settings.latent, *deep_latent);
        if let Some(text) = deep_arch {
            settings.architecture = parse_architecture(text)?;
        }
        if gamma.is_some() {
            settings.gamma = *gamma;
        }
        set(&mut settings.tol, *tol);
        set(&mut settings.update_interval, *update_interval);
        set(&mut settings.maxiter, *maxiter);
        set(&mut settings.batch_size, *deep_batch);
        set(&mut settings.lr, *deep_lr);
        if let Some(text) = dcss_memberships {
            settings.memberships = parse_memberships(text)?;
        }
        Ok(())
    }
}

/// A variable given twice would be a duplicated column: it weighs twice in every distance and
/// makes the correlation matrix singular. Compared in canonical spelling (`NDVI` and ` NDVI `).
fn refuse_repeated_vars(vars: &[String]) -> Result<(), Error> {
    let mut seen = std::collections::BTreeSet::new();
    match vars.iter().find(|v| !seen.insert(v.as_str())) {
        Some(v) => Err(option_error(
            "--vars",
            format!("{} is given more than once: name each variable once", echo(v)),
        )),
        None => Ok(()),
    }
}

/// An option error with the values it echoes shortened ([`echo`]): a 20 MB value is shown as its
/// first characters and its size, wherever it came from.
fn echo_shortened(e: Error) -> Error {
    match e {
        Error::Option { option, message } => Error::Option {
            option: echo(&option),
            message: echo_line(&message, ECHO_MAX_CHARS),
        },
        other => other,
    }
}

fn set<T>(slot: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *slot = v;
    }
}

/// `text` parsed into `slot` when given (the type's `FromStr` names its option on error).
fn set_parsed<T: std::str::FromStr<Err = Error>>(slot: &mut T, text: &Option<String>) -> Result<(), Error> {
    if let Some(t) = text {
        *slot = t.parse()?;
    }
    Ok(())
}

/// The most clusters a run writes: labels.tif holds 8-bit classes with 255 as NoData.
pub const MAX_CLUSTERS: usize = 255;

fn at_most(option: &str, value: usize, max: usize) -> Result<(), Error> {
    if value > max {
        return Err(option_error(
            option,
            format!("{value}: at most {max} clusters (labels.tif stores 8-bit classes, 255 is NoData)"),
        ));
    }
    Ok(())
}

fn at_least(option: &str, value: usize, min: usize) -> Result<(), Error> {
    if value < min {
        return Err(option_error(option, format!("{value}: must be at least {min}")));
    }
    Ok(())
}

#[cfg(test)]
#[path = "options_tests.rs"]
mod tests;
