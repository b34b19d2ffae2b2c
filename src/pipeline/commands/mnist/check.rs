//! MNIST check of the VAE (study section 3.3.1, figures 16-18): read the IDX files, train a
//! 2-D VAE on the 10,000 digits, compare its latent means with the first two principal
//! components, decode a chosen latent point, and cluster both 2-D embeddings with K-Means.
//! The IDX reader is [`crate::io::idx`]; the wrappers here keep the MNIST error type.

use crate::cluster::ClusterError;
use crate::cluster::kmeans::KMeansParams;
use crate::io::idx;
pub use crate::io::idx::IdxImages;
use crate::metrics::{MetricsError, adjusted_rand_index};
use crate::progress::Task;
use crate::reduce::ReduceError;
use crate::reduce::pca::PcaParams;
use crate::reduce::vae::{TrainingHistory, Vae, VaeParams};
use ndarray::{Array2, ArrayView2};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The digit images shipped with landclust (10,000 real MNIST digits), in the source tree.
pub const IMAGES_PATH: &str = "assets/data/mnist10k-images-idx3-ubyte.gz";
/// Their labels.
pub const LABELS_PATH: &str = "assets/data/mnist10k-labels-idx1-ubyte.gz";
/// The images compiled into the binary (1.6 MB), so an installed `landclust` needs no files.
const EMBEDDED_IMAGES: &[u8] = include_bytes!("../../../../assets/data/mnist10k-images-idx3-ubyte.gz");
const EMBEDDED_LABELS: &[u8] = include_bytes!("../../../../assets/data/mnist10k-labels-idx1-ubyte.gz");

/// Errors of the MNIST check; each names the file where there is one.
#[derive(Debug, thiserror::Error)]
pub enum MnistError {
    #[error(transparent)]
    Idx(#[from] crate::io::idx::IdxError),
    #[error("{}: {message}", path.display())]
    Format { path: PathBuf, message: String },
    #[error("MNIST: {0}")]
    Invalid(String),
    #[error(transparent)]
    Reduce(#[from] ReduceError),
    #[error(transparent)]
    Cluster(#[from] ClusterError),
    #[error(transparent)]
    Metrics(#[from] MetricsError),
}

impl From<MnistError> for crate::Error {
    fn from(e: MnistError) -> Self {
        crate::Error::Pipeline(Box::new(e))
    }
}

fn format_error(path: &Path, message: impl Into<String>) -> MnistError {
    MnistError::Format {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// Parses the bytes of an IDX image file (see [`crate::io::idx::parse_idx_images`]).
pub fn parse_idx_images(path: &Path, raw: Vec<u8>) -> Result<IdxImages, MnistError> {
    Ok(idx::parse_idx_images(path, raw)?)
}

/// Parses the bytes of an IDX label file (see [`crate::io::idx::parse_idx_labels`]).
pub fn parse_idx_labels(path: &Path, raw: Vec<u8>) -> Result<Vec<u8>, MnistError> {
    Ok(idx::parse_idx_labels(path, raw)?)
}

/// Reads an IDX image file (see [`crate::io::idx::read_idx_images`]).
pub fn read_idx_images(path: &Path) -> Result<IdxImages, MnistError> {
    Ok(idx::read_idx_images(path)?)
}

/// Reads an IDX label file (see [`crate::io::idx::read_idx_labels`]).
pub fn read_idx_labels(path: &Path) -> Result<Vec<u8>, MnistError> {
    Ok(idx::read_idx_labels(path)?)
}

/// Digit images with their labels (one digit 0..=9 per image).
#[derive(Debug, Clone, PartialEq)]
pub struct MnistData {
    pub images: IdxImages,
    pub labels: Vec<u8>,
}

impl MnistData {
    /// Checks that images and labels match in number and that labels are digits;
    /// `labels_path` names the label source in errors.
    pub fn new(images: IdxImages, labels: Vec<u8>, labels_path: &Path) -> Result<Self, MnistError> {
        if images.n != labels.len() {
            return Err(format_error(
                labels_path,
                format!("{} labels for {} images", labels.len(), images.n),
            ));
        }
        if let Some(pos) = labels.iter().position(|&l| l > 9) {
            return Err(format_error(
                labels_path,
                format!("label {} at item {pos} is not a digit", labels[pos]),
            ));
        }
        Ok(MnistData { images, labels })
    }

    /// Number of images.
    pub fn len(&self) -> usize {
        self.images.n
    }

    /// True when there is no image.
    pub fn is_empty(&self) -> bool {
        self.images.n == 0
    }

    /// The first `n` images and labels (all of them when `n >= len`).
    pub fn head(mut self, n: usize) -> Self {
        let n = n.min(self.images.n);
        let d = self.images.rows * self.images.cols;
        self.images.pixels.truncate(n * d);
        self.images.n = n;
        self.labels.truncate(n);
        self
    }
}

impl MnistData {
    /// Images and labels from two IDX files, checked to match in number; labels must be digits.
    pub fn load(images: &Path, labels: &Path) -> Result<Self, MnistError> {
        MnistData::new(read_idx_images(images)?, read_idx_labels(labels)?, labels)
    }
}

/// [`MnistData::load`] as an `(images, labels)` pair.
pub fn load_mnist(images: &Path, labels: &Path) -> Result<(IdxImages, Vec<u8>), MnistError> {
    let data = MnistData::load(images, labels)?;
    Ok((data.images, data.labels))
}

/// The 10,000 digits compiled into the binary (the files at [`IMAGES_PATH`], [`LABELS_PATH`]).
pub fn embedded_mnist() -> Result<MnistData, MnistError> {
    let labels_path = Path::new(LABELS_PATH);
    let images = parse_idx_images(Path::new(IMAGES_PATH), EMBEDDED_IMAGES.to_vec())?;
    let labels = parse_idx_labels(labels_path, EMBEDDED_LABELS.to_vec())?;
    MnistData::new(images, labels, labels_path)
}

/// Outcome of [`vae_mnist`].
#[derive(Debug, Clone)]
pub struct MnistResult {
    /// Latent means `mu(x)` of every image (`n x 2`, study fig. 16).
    pub latent: Array2<f64>,
    /// Digit of every image.
    pub labels: Vec<u8>,
    /// First two principal-component scores (`n x 2`, study fig. 17).
    pub pca2: Array2<f64>,
    /// The decoded latent point (study fig. 18's red cross).
    pub chosen_point: [f64; 2],
    /// `decode(chosen_point)` as a `rows x cols` image in `[0, 1]` units (not clipped).
    pub decoded_image: Array2<f64>,
    /// R2 of the VAE reconstruction, `1 - MSE / var` over all pixels.
    pub r2_vae: f64,
    /// R2 of the reconstruction from the first two principal components (same definition).
    pub r2_pca: f64,
    /// K-Means (k = 10) labels on the latent means.
    pub kmeans_latent: Vec<usize>,
    /// K-Means (k = 10) labels on the two PC scores.
    pub kmeans_pca: Vec<usize>,
    /// Adjusted Rand index between the digits and `kmeans_latent`.
    pub ari_kmeans_latent: f64,
    /// Adjusted Rand index between the digits and `kmeans_pca`.
    pub ari_kmeans_pca: f64,
    /// Wall-clock seconds of the VAE training.
    pub train_seconds: f64,
    /// Per-epoch training diagnostics.
    pub history: TrainingHistory,
}

/// Centroid of the rows of `x` whose label is `digit`.
fn centroid(x: ArrayView2<f64>, labels: &[u8], digit: u8) -> Option<[f64; 2]> {
    let rows: Vec<_> = x
        .rows()
        .into_iter()
        .zip(labels)
        .filter(|(_, l)| **l == digit)
        .map(|(r, _)| r)
        .collect();
    let n = rows.len() as f64;
    (n > 0.0).then(|| {
        [
            rows.iter().map(|r| r[0]).sum::<f64>() / n,
            rows.iter().map(|r| r[1]).sum::<f64>() / n,
        ]
    })
}

/// Midpoint of the latent centroids of 5 and 9 (study fig. 18: "like both a 9 and a 5"),
/// the origin when either digit is absent.
fn chosen_point(latent: ArrayView2<f64>, labels: &[u8]) -> [f64; 2] {
    match (centroid(latent, labels, 5), centroid(latent, labels, 9)) {
        (Some(a), Some(b)) => [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0],
        _ => [0.0, 0.0],
    }
}

/// K-Means (k = 10, seeded) labels on a 2-D embedding and their ARI against the digits.
fn kmeans_ari(x: ArrayView2<f64>, digits: &[usize], seed: u64) -> Result<(Vec<usize>, f64), MnistError> {
    let labels = KMeansParams::new(10).seed(seed).build()?.fit(x)?.labels;
    let ari = adjusted_rand_index(digits, &labels)?;
    Ok((labels, ari))
}

/// Trains a 2-D VAE on `data` (pixels scaled to `[0, 1]`, not z-scored: many border pixels
/// are constant), encodes the images, runs PCA(2) and K-Means (k = 10, same seed) on both
/// embeddings, scores both against the digits with the adjusted Rand index, and decodes the
/// midpoint of the latent centroids of 5 and 9. `progress` advances once per epoch.
pub fn vae_mnist(data: &MnistData, params: &VaeParams, progress: Option<&Task>) -> Result<MnistResult, MnistError> {
    if params.latent_dim() != 2 {
        return Err(MnistError::Invalid(format!(
            "the MNIST check needs latent = 2, got {}",
            params.latent_dim()
        )));
    }
    if data.len() < 10 {
        return Err(MnistError::Invalid(format!(
            "{} images: K-Means with k = 10 needs at least 10",
            data.len()
        )));
    }
    let x = data.images.to_unit_matrix();
    let started = Instant::now();
    let trained = Vae::fit(x.view(), params, progress)?;
    let train_seconds = started.elapsed().as_secs_f64();
    let latent = trained.encode_mean(x.view())?;
    let r2_vae = trained.r2(x.view())?;
    let pca = PcaParams::new(2).build()?.fit(x.view())?;
    let pca2 = pca.transform(x.view())?;
    let r2_pca = pca.reconstruction(x.view())?.r2;
    let digits: Vec<usize> = data.labels.iter().map(|&l| l as usize).collect();
    let (kmeans_latent, ari_kmeans_latent) = kmeans_ari(latent.view(), &digits, params.rng_seed())?;
    let (kmeans_pca, ari_kmeans_pca) = kmeans_ari(pca2.view(), &digits, params.rng_seed())?;
    let chosen_point = chosen_point(latent.view(), &data.labels);
    let z = Array2::from_shape_vec((1, 2), chosen_point.to_vec()).map_err(|e| MnistError::Invalid(e.to_string()))?;
    let decoded = trained.decode(z.view())?;
    let (rows, cols) = (data.images.rows, data.images.cols);
    let decoded_image = Array2::from_shape_vec((rows, cols), decoded.iter().copied().collect())
        .map_err(|e| MnistError::Invalid(e.to_string()))?;
    Ok(MnistResult {
        latent,
        labels: data.labels.clone(),
        pca2,
        chosen_point,
        decoded_image,
        r2_vae,
        r2_pca,
        kmeans_latent,
        kmeans_pca,
        ari_kmeans_latent,
        ari_kmeans_pca,
        train_seconds,
        history: trained.history().clone(),
    })
}
