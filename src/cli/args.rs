//! Command-line arguments. `--help` is the manual: every option says what it does and its default.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

pub use crate::pipeline::options::{DeepOptions, RunOptions};

const ABOUT: &str = "Find land-surface types in gridded satellite climatologies (netCDF), without labels.";

const LONG_ABOUT: &str = "\
Find land-surface types in gridded satellite climatologies (netCDF), without labels.

landclust reads a netCDF file (netCDF-4/HDF5 or classic), keeps the land cells, standardizes the
chosen variables, optionally reduces them (PCA or a variational autoencoder), clusters them
(K-Means or Ward) on every cell, scores the clusters and draws maps and a report.

Start with `landclust demo`: it builds a POLDER-like demo file and runs the whole study on it.

VARIABLE NAMES
  NAME         a variable on the grid (2-D, or with the grid's two dimensions)
  NAME[i]      slice i of a variable with one extra dimension (e.g. month: AOD565[3])
  NAME:mean    mean over the extra dimension, ignoring missing values (also :min, :max)

GRIDS
  The grid comes from 2-D latitude/longitude variables (as in GRASP: Latitude, Longitude) or
  from 1-D CF coordinates (found by units/standard_name/axis or common names). Every grid is
  oriented north first, west to east, longitudes in -180..180. _FillValue, missing_value,
  valid_min/valid_max/valid_range, scale_factor/add_offset and NaN are honoured (CF).";

#[derive(Debug, Parser)]
#[command(name = "landclust", version, about = ABOUT, long_about = LONG_ABOUT)]
pub struct Cli {
    /// Hide progress bars.
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Describe a netCDF or GeoTIFF file: dimensions/bands, variables, fill values, valid cells, the grid.
    Inspect {
        /// The netCDF or GeoTIFF file (or several single-band GeoTIFFs as NAME=FILE,NAME=FILE).
        file: PathBuf,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Decode a variable as `run --decode` would (repeatable): NAME:KEY=VALUE,... with scale,
        /// offset, nodata, valid_min, valid_max, units; shown with the values it gives.
        #[arg(long, value_name = "NAME:KEY=VALUE,...")]
        decode: Vec<String>,
    },
    /// Write the POLDER-like demo file (real land mask, climate zones and measured spectra).
    Synth {
        /// Output file.
        #[arg(long, default_value = "landclust-demo.nc")]
        out: PathBuf,
        /// Random seed for the noise and gaps.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Write netCDF classic (64-bit offset) instead of netCDF-4.
        #[arg(long)]
        classic: bool,
        /// Grid resolution in degrees: 1 (180 x 360, the original demo), or finer down to 0.05
        /// (3600 x 7200) with 180/DEG and 360/DEG whole numbers, e.g. 0.5, 0.25, 0.1, 0.05.
        /// Finer grids take their land from the Natural Earth 1:50m polygons. The netCDF-4 file
        /// is encoded in memory: about 1.4 GB at 0.1 and 5 GB at 0.05 degree.
        #[arg(long, value_name = "DEG", default_value = "1")]
        resolution: String,
        /// Write the monthly demo instead (1 degree only): NDVI and DHR443..DHR1020 with a
        /// `month` dimension of 12 (phenology, winter snow, polar night), for series specs
        /// such as --vars 'NDVI[*],DHR670[*]' and --reduce tt-cell:R1,R2.
        #[arg(long)]
        monthly: bool,
    },
    /// Cluster the cells of a file and write labels, scores, figures and report.html.
    Run(RunArgs),
    /// WCSS (K-Means inertia) and silhouette for k = 1..k-max, with the knee of the curve.
    Elbow(RunArgs),
    /// Can the clusters be trusted? Pairwise ARI between repeated clusterings, per k.
    ///
    /// For every k of --k A..B, clusters the cells --runs times with other seeds and --runs
    /// times on random subsamples (--subsample of the cells, without replacement) and reports
    /// the mean, std and minimum of the adjusted Rand index between every pair of repetitions
    /// (subsamples compared on the cells they share; Ben-Hur et al. 2002): stability.csv,
    /// stability.png. Also the consensus confidence of every cell (Monti et al. 2003):
    /// confidence.csv and confidence.png, at --confidence-k (default: the k most stable over
    /// subsamples). Takes the options of `run` (method, reduce, vars, ...); a VAE is trained
    /// once and its latent clustered --runs times. Writes metrics.json and report.html.
    Stability(StabilityArgs),
    /// Redraw the figures and report of a finished run from its output folder.
    Plot {
        /// An output folder of `landclust run`, `elbow` or `demo`.
        dir: PathBuf,
    },
    /// Run the whole study on the demo file and print where the report is.
    Demo {
        /// Output folder.
        #[arg(long, default_value = "landclust-demo")]
        out: PathBuf,
        /// Random seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// VAE training epochs of the land runs (0 skips the VAE parts and the MNIST check).
        #[arg(long)]
        epochs: Option<usize>,
        /// Train IDEC, DCSS and the MNIST VAE with their full default settings (several minutes)
        /// instead of the demo's quick ones (about a minute in all); the report says which.
        #[arg(long)]
        full: bool,
    },
    /// Time the hot paths (load, k-means, elbow, Ward, silhouette, VAE) on the demo data.
    Bench(BenchArgs),
    /// The study's MNIST check of the VAE: latent vs PCA on 10,000 digits, decoded point, ARIs.
    ///
    /// Section 3.3.1 of the study, figs. 16-18: trains a 2-D VAE on 10,000 handwritten digits,
    /// plots its latent means and the first two principal components coloured by digit, decodes
    /// the point midway between the 5s and the 9s, and scores K-Means (k = 10) on both
    /// embeddings against the digits (adjusted Rand index). Writes mnist_latent.png,
    /// mnist_pca.png, mnist_decoded.png, training.csv, mnist.json and report.html into --out.
    /// The digits are built into the binary; --images/--labels read other IDX files (.gz or not).
    #[command(name = "vae-mnist")]
    VaeMnist(MnistArgs),
    /// Deep clustering on MNIST: K-Means on pixels and on the AE embedding, IDEC, DCSS.
    ///
    /// Pretrains the paper's 784-500-500-2000-10 autoencoder once on the 10,000
    /// built-in digits (or --images/--labels), clusters its embedding with K-Means (k = 10),
    /// then trains IDEC and DCSS from it. Scores every method against the digits (clustering
    /// accuracy with Hungarian matching, NMI, ARI) with its run time, and writes results.csv,
    /// results.json (with the published figures) and updates.csv into --out. Progress on
    /// stderr. Slow on 2 cores: --pretrain-epochs sets the budget.
    #[command(name = "deep-mnist")]
    DeepMnist(DeepMnistArgs),
    /// Encode a file's cells with a VAE saved by `run --reduce vae:N` (latent.csv, latent.nc).
    ///
    /// Reads the model's variables from FILE, standardizes them with the model's SAVED means and
    /// standard deviations (not the new file's, so latents compare with the training run's), and
    /// writes the latent means as latent.csv (row,col,lat,lon,z1..zN) and latent.nc (one float
    /// layer per latent dimension, fill elsewhere). Cells missing any variable are skipped.
    Encode(EncodeArgs),
    /// Write the selected cells as a Parquet dataset for Apache Spark (see jobs/spark/).
    ///
    /// One row per selected cell with every chosen variable present: row, col (INT32, in the
    /// grid of all FILEs), lat, lon and the variables in original units (DOUBLE, never null or
    /// NaN: a cell missing a variable is dropped, as in `run`). Files go into Hive-style folders
    /// OUT/lat_band=S/ (S = south edge of the cell's --band-degree band) so Spark finds a
    /// lat_band column; OUT/_landclust.json holds the grid, the settings and each variable's
    /// count, mean and population std. Several FILEs are tiles of one product (same variables,
    /// same resolution, aligned, not overlapping); row/col index their union grid. Memory stays
    /// bounded by one block of rows (4 M cells) whatever the grid.
    Export(ExportArgs),
    /// Turn labels fitted elsewhere (the Spark job's labels/) into a run folder.
    ///
    /// LABELS: a folder of Parquet files (or one file) with columns row, col, cluster, covering
    /// exactly the cells of EXPORT (a `landclust export` folder). Writes labels.csv, labels.nc,
    /// centers.csv, metrics.json (landclust's own silhouette, Davies-Bouldin, Calinski-Harabasz
    /// in the z-scores of the export's statistics), figures and report.html into --out.
    Import(ImportArgs),
    /// Label every selected cell of FILE with its nearest centre of a Spark centers.json.
    ///
    /// The cells are z-scored with the centres file's means and standard deviations (not FILE's),
    /// then assigned to the nearest centre (Euclidean). Writes a run folder as `import` does.
    Assign(AssignArgs),
    /// Compare two run folders: clusters matched by area, transition matrix, change map.
    ///
    /// Reads each run's labels and grid from its labels.nc (run, import and assign folders; a
    /// Spark job's labels become one with `landclust import`). Matches the clusters of A to those
    /// of B by the largest total overlapping area (Hungarian assignment), and writes
    /// transitions.csv (A cluster, B cluster, cells, km2), compare.json (matching, ARI, NMI,
    /// homogeneity, completeness and V-measure with A as reference, agreement share, cells in
    /// one run only), change.tif and change.png (cells whose matched type differs, coloured by
    /// transition) and report.html into --out. Runs on different grids are refused unless
    /// --regrid majority.
    Compare(CompareArgs),
}

/// Options of `compare`.
#[derive(Debug, Clone, Args)]
pub struct CompareArgs {
    /// The first run folder (A: the reference of homogeneity and completeness).
    pub run_a: PathBuf,
    /// The second run folder (B).
    pub run_b: PathBuf,
    /// Output folder.
    #[arg(long, default_value = "landclust-compare")]
    pub out: PathBuf,
    /// Runs on different grids: `majority` puts the finer grid onto the coarser when one nests
    /// in the other (a whole number of fine cells per coarse cell, edges aligned); each coarse
    /// cell takes the most frequent label of the fine cells whose centres fall in it, ties to the
    /// lower label.
    #[arg(long, value_name = "METHOD")]
    pub regrid: Option<String>,
}

/// Options of `import` and `assign` about the run folder they write.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Output folder (a run folder).
    #[arg(long)]
    pub out: PathBuf,
    /// Skip figures and report.html.
    #[arg(long)]
    pub no_figures: bool,
    /// Seed of the sampled silhouette.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// The silhouette is exact up to this many cells, a stratified estimate above [default: 200000].
    #[arg(long)]
    pub silhouette_exact_max: Option<usize>,
    /// Cells scored by the sampled silhouette [default: 20000].
    #[arg(long)]
    pub silhouette_sample: Option<usize>,
}

/// Options of `export`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// The netCDF file(s): one grid, or tiles of one product.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Variables to export, comma separated [default: NDVI,DHR443,DHR490,DHR565,DHR670,DHR865,DHR1020].
    #[arg(long, value_delimiter = ',')]
    pub vars: Option<Vec<String>>,
    /// Cells to export: land[:THRESHOLD[:VAR]] (LandPercentage >= 100 by default), sea, all, mask:VAR.
    #[arg(long, default_value = "land")]
    pub select: String,
    /// Only this region: lon_min,lon_max,lat_min,lat_max in degrees or a named region (as `run`).
    #[arg(long, allow_hyphen_values = true)]
    pub region: Option<String>,
    /// Width of the latitude bands of the partition folders, degrees.
    #[arg(long, value_name = "DEG", default_value_t = crate::pipeline::export::DEFAULT_BAND_DEG)]
    pub band: f64,
    /// Output folder (the Parquet dataset).
    #[arg(long)]
    pub out: PathBuf,
}

/// Options of `import`.
#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The labels: a folder of Parquet files (row, col, cluster), e.g. the Spark job's labels/.
    pub labels: PathBuf,
    /// The `landclust export` folder the labels were fitted on.
    pub export: PathBuf,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Options of `assign`.
#[derive(Debug, Clone, Args)]
pub struct AssignArgs {
    /// The netCDF file whose cells to label.
    pub file: PathBuf,
    /// The Spark job's centers.json (vars, mean, std, centers_z).
    #[arg(long)]
    pub centers: PathBuf,
    /// Cells to label [default: the selection recorded in the centres file, else land].
    #[arg(long)]
    pub select: Option<String>,
    /// Only this region: lon_min,lon_max,lat_min,lat_max in degrees or a named region.
    #[arg(long, allow_hyphen_values = true)]
    pub region: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Options of `vae-mnist`.
#[derive(Debug, Clone, Args)]
pub struct MnistArgs {
    /// IDX image file (e.g. t10k-images-idx3-ubyte.gz) instead of the built-in digits.
    #[arg(long, requires = "labels")]
    pub images: Option<PathBuf>,
    /// IDX label file matching --images.
    #[arg(long, requires = "images")]
    pub labels: Option<PathBuf>,
    /// Use only the first N images.
    #[arg(long)]
    pub limit: Option<usize>,
    /// Training epochs.
    #[arg(long, default_value_t = crate::pipeline::mnist::DEFAULT_EPOCHS)]
    pub epochs: usize,
    /// Width of the hidden layers.
    #[arg(long, default_value_t = crate::pipeline::mnist::DEFAULT_HIDDEN)]
    pub hidden: usize,
    /// Mini-batch size.
    #[arg(long, default_value_t = crate::pipeline::mnist::DEFAULT_BATCH)]
    pub batch_size: usize,
    /// Weight of the KL term in the loss (larger: more overlap, lower R2).
    #[arg(long, default_value_t = crate::pipeline::mnist::DEFAULT_ALPHA)]
    pub alpha: f64,
    /// Adam learning rate.
    #[arg(long, default_value_t = 1e-3)]
    pub lr: f64,
    /// Random seed (weights, shuffles, noise, k-means++).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Output folder.
    #[arg(long, default_value = "landclust-mnist")]
    pub out: PathBuf,
}

/// Options of `encode`.
#[derive(Debug, Clone, Args)]
pub struct EncodeArgs {
    /// The netCDF file whose cells to encode.
    pub file: PathBuf,
    /// The saved model: vae_model.json of a `run --reduce vae:N` output folder.
    #[arg(long)]
    pub model: PathBuf,
    /// Cells to encode: land[:THRESHOLD[:VAR]] (LandPercentage >= 100 by default), sea, all, mask:VAR.
    #[arg(long, default_value = "land")]
    pub select: String,
    /// Output folder.
    #[arg(long, default_value = "landclust-encode")]
    pub out: PathBuf,
}

/// Options of `run` and `elbow`: a config file, and the run's options, defined once in
/// [`RunOptions`] for the flags, the config file and the Python package.
#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    /// TOML file with the same settings: every option of this command is a key, spelled as its
    /// flag without `--` (`k-max` or `k_max`), plus `input` (FILE) and `figures` (true/false);
    /// flags win over the file.
    #[arg(long)]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub options: RunOptions,
}

/// Options of `deep-mnist`.
#[derive(Debug, Clone, Args)]
pub struct DeepMnistArgs {
    /// IDX image file (e.g. t10k-images-idx3-ubyte.gz) instead of the built-in digits.
    #[arg(long, requires = "labels")]
    pub images: Option<PathBuf>,
    /// IDX label file matching --images.
    #[arg(long, requires = "images")]
    pub labels: Option<PathBuf>,
    /// Use only the first N images.
    #[arg(long)]
    pub limit: Option<usize>,
    /// Weight of DCSS's 1 - soft-silhouette term (IDEC uses --gamma).
    #[arg(long, default_value_t = crate::cluster::deep::DeepParams::DCSS_GAMMA)]
    pub dcss_gamma: f64,
    /// K-Means restarts (pixels and initial centres; the reference code uses 20).
    #[arg(long, default_value_t = 20)]
    pub n_init: usize,
    /// Random seed (weights, shuffles, k-means++).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Output folder.
    #[arg(long, default_value = "landclust-deep-mnist")]
    pub out: PathBuf,
    #[command(flatten)]
    pub deep: DeepOptions,
}

/// Options of `stability`: those of `run` (its --k is a range A..B here) and the repetitions.
#[derive(Debug, Clone, Args)]
pub struct StabilityArgs {
    #[command(flatten)]
    pub run: RunArgs,
    /// Repetitions per kind (seeds, subsamples).
    #[arg(long, default_value_t = crate::pipeline::stability::DEFAULT_RUNS)]
    pub runs: usize,
    /// Fraction of the cells in each subsample (drawn without replacement).
    #[arg(long, default_value_t = crate::pipeline::stability::DEFAULT_SUBSAMPLE)]
    pub subsample: f64,
    /// k of the consensus confidence [default: the k with the highest mean subsample ARI].
    #[arg(long)]
    pub confidence_k: Option<usize>,
}

/// Options of `bench`.
#[derive(Debug, Clone, Args)]
pub struct BenchArgs {
    /// Benchmark on this file instead of the demo data.
    pub file: Option<PathBuf>,
    /// Repetitions of each measurement (the median is reported).
    #[arg(long, default_value_t = 3)]
    pub repeat: usize,
    /// Which parts: comma separated of load, kmeans, elbow, silhouette, silhouette-stratified,
    /// minibatch, microward, ward, vae (default: all).
    #[arg(long, value_delimiter = ',')]
    pub only: Option<Vec<String>>,
    /// Also write the 64,800 x 7 benchmark matrix as CSV here (for the Python reference script).
    #[arg(long)]
    pub export: Option<PathBuf>,
}
