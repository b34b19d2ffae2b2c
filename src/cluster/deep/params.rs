//! Hyper-parameters of IDEC and DCSS, validated by [`DeepParams::build`]. Defaults follow the
//! IDEC paper and its reference code (`XifengGuo/IDEC`, `IDEC.py` and `DEC.py`).

use super::DeepError;
use serde::{Deserialize, Serialize};

/// The clustering objective trained jointly with the autoencoder (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Objective {
    /// `L_rec + gamma * KL(P || Q)` (Guo et al. 2017).
    Idec,
    /// `L_rec + gamma * (1 - soft silhouette)` (Vardakas et al. 2024).
    Dcss,
}

impl std::fmt::Display for Objective {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Objective::Idec => "idec",
            Objective::Dcss => "dcss",
        })
    }
}

/// Where DCSS's cluster probabilities come from (IDEC always uses the Student-t kernel).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Membership {
    /// The Student-t soft assignment of trainable centres initialised by K-Means (IDEC's
    /// clustering layer): memberships stay tied to the geometry of the embedding.
    StudentT,
    /// A clustering head, `softmax(Linear(z, k))`, as the DCSS paper's architecture has one;
    /// initialised to the soft Voronoi partition of the K-Means centres.
    Head,
}

impl std::str::FromStr for Membership {
    type Err = ();

    /// `student-t` or `head`.
    fn from_str(s: &str) -> Result<Self, ()> {
        match s.trim() {
            "student-t" => Ok(Membership::StudentT),
            "head" => Ok(Membership::Head),
            _ => Err(()),
        }
    }
}

impl std::fmt::Display for Membership {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Membership::StudentT => "student-t",
            Membership::Head => "head",
        })
    }
}

/// Hidden widths of the autoencoder's encoder (the decoder mirrors them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Architecture {
    /// `d-500-500-2000-z`, the DEC/IDEC architecture for MNIST.
    Paper,
    /// `d-38-38-38-38-z`, the VAE's hidden width and depth (study listing 19) for the grids.
    Small,
    /// Any hidden widths.
    Custom(Vec<usize>),
}

impl Architecture {
    /// The hidden widths, encoder order.
    pub fn hidden(&self) -> Vec<usize> {
        match self {
            Architecture::Paper => vec![500, 500, 2000],
            Architecture::Small => vec![38; 4],
            Architecture::Custom(h) => h.clone(),
        }
    }
}

/// Hyper-parameters of [`DeepParams::fit`]. Defaults: embedding 10, paper architecture,
/// 200 pretraining epochs (DEC.py), Adam lr 1e-3 in both stages (IDEC.py uses Adam for MNIST),
/// batch 256, gamma 0.1 (IDEC) or 0.03 (DCSS), update interval 140, tol 0.001, maxiter 20,000,
/// Student-t alpha 1, K-Means n_init 20; DCSS memberships from a softmax head.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeepParams {
    k: usize,
    objective: Objective,
    latent: usize,
    architecture: Architecture,
    pretrain_epochs: usize,
    pretrain_lr: f64,
    learning_rate: f64,
    batch_size: usize,
    /// `None`: the objective's default ([`DeepParams::IDEC_GAMMA`], [`DeepParams::DCSS_GAMMA`]).
    gamma: Option<f64>,
    update_interval: usize,
    tol: f64,
    maxiter: usize,
    alpha: f64,
    kmeans_n_init: usize,
    seed: u64,
    #[serde(default = "head")]
    membership: Membership,
}

fn head() -> Membership {
    Membership::Head
}

fn bad(option: &'static str, value: impl ToString, message: &'static str) -> DeepError {
    DeepError::BadOption {
        option,
        value: value.to_string(),
        message,
    }
}

fn positive(option: &'static str, v: f64) -> Result<(), DeepError> {
    if v.is_finite() && v > 0.0 {
        Ok(())
    } else {
        Err(bad(option, v, "must be a finite number > 0"))
    }
}

fn at_least_one(option: &'static str, v: usize) -> Result<(), DeepError> {
    if v >= 1 {
        Ok(())
    } else {
        Err(bad(option, v, "must be at least 1"))
    }
}

impl DeepParams {
    /// IDEC's default gamma (Guo et al. 2017 and their reference code).
    pub const IDEC_GAMMA: f64 = 0.1;
    /// DCSS's default gamma: not given in what was available of the paper; measured here (the
    /// best mean over 3 seeds on the demo and the best on MNIST-10k, docs/future-work.md).
    pub const DCSS_GAMMA: f64 = 0.03;

    /// Paper defaults for `k` clusters and `objective`.
    pub fn new(k: usize, objective: Objective) -> Self {
        Self {
            k,
            objective,
            latent: 10,
            architecture: Architecture::Paper,
            pretrain_epochs: 200,
            pretrain_lr: 1e-3,
            learning_rate: 1e-3,
            batch_size: 256,
            gamma: None,
            update_interval: 140,
            tol: 1e-3,
            maxiter: 20_000,
            alpha: 1.0,
            kmeans_n_init: 20,
            seed: 0,
            membership: Membership::Head,
        }
    }
    /// DCSS's cluster probabilities: a softmax head (default) or the Student-t of centres.
    pub fn membership(mut self, membership: Membership) -> Self {
        self.membership = membership;
        self
    }
    /// Number of clusters.
    pub fn k(mut self, k: usize) -> Self {
        self.k = k;
        self
    }
    /// Clustering objective.
    pub fn objective(mut self, objective: Objective) -> Self {
        self.objective = objective;
        self
    }
    /// Embedding dimension `z` (the paper: 10).
    pub fn latent(mut self, latent: usize) -> Self {
        self.latent = latent;
        self
    }
    /// Hidden layers of the autoencoder.
    pub fn architecture(mut self, architecture: Architecture) -> Self {
        self.architecture = architecture;
        self
    }
    /// Epochs of reconstruction-only pretraining (DEC.py: 200).
    pub fn pretrain_epochs(mut self, epochs: usize) -> Self {
        self.pretrain_epochs = epochs;
        self
    }
    /// Adam learning rate of pretraining (Keras' default 1e-3).
    pub fn pretrain_lr(mut self, lr: f64) -> Self {
        self.pretrain_lr = lr;
        self
    }
    /// Adam learning rate of joint training (Keras' default 1e-3).
    pub fn learning_rate(mut self, lr: f64) -> Self {
        self.learning_rate = lr;
        self
    }
    /// Rows per mini-batch in both stages (256).
    pub fn batch_size(mut self, batch: usize) -> Self {
        self.batch_size = batch;
        self
    }
    /// Weight of the clustering loss (default: 0.1 for IDEC as its paper, 0.03 for DCSS).
    pub fn gamma(mut self, gamma: f64) -> Self {
        self.gamma = Some(gamma);
        self
    }
    /// Iterations (mini-batches) between recomputations of the target and the labels (MNIST: 140).
    pub fn update_interval(mut self, iterations: usize) -> Self {
        self.update_interval = iterations;
        self
    }
    /// Stop when fewer than this fraction of labels change between two updates (0.001).
    pub fn tol(mut self, tol: f64) -> Self {
        self.tol = tol;
        self
    }
    /// Upper bound on joint-training iterations (20,000).
    pub fn maxiter(mut self, maxiter: usize) -> Self {
        self.maxiter = maxiter;
        self
    }
    /// Degrees of freedom of the Student-t kernel (1).
    pub fn alpha(mut self, alpha: f64) -> Self {
        self.alpha = alpha;
        self
    }
    /// K-Means restarts for the initial centres (20).
    pub fn kmeans_n_init(mut self, n_init: usize) -> Self {
        self.kmeans_n_init = n_init;
        self
    }
    /// Seed of the weights, the pretraining shuffles and K-Means.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Validates every option; the error names the option and its value.
    pub fn build(self) -> Result<Self, DeepError> {
        at_least_one("k", self.k)?;
        at_least_one("latent", self.latent)?;
        at_least_one("pretrain-epochs", self.pretrain_epochs)?;
        at_least_one("batch", self.batch_size)?;
        at_least_one("update-interval", self.update_interval)?;
        at_least_one("maxiter", self.maxiter)?;
        at_least_one("kmeans n_init", self.kmeans_n_init)?;
        if let Some(&w) = self.architecture.hidden().iter().find(|&&w| w == 0) {
            return Err(bad("hidden", w, "every hidden width must be at least 1"));
        }
        positive("pretrain-lr", self.pretrain_lr)?;
        positive("lr", self.learning_rate)?;
        positive("alpha", self.alpha)?;
        let gamma = self.clustering_weight();
        if !(gamma.is_finite() && gamma >= 0.0) {
            return Err(bad("gamma", gamma, "must be a finite number >= 0"));
        }
        if !(self.tol.is_finite() && (0.0..=1.0).contains(&self.tol)) {
            return Err(bad("tol", self.tol, "must be a fraction in [0, 1]"));
        }
        Ok(self)
    }

    pub fn n_clusters(&self) -> usize {
        self.k
    }
    pub fn clustering_objective(&self) -> Objective {
        self.objective
    }
    pub fn latent_dim(&self) -> usize {
        self.latent
    }
    pub fn hidden(&self) -> Vec<usize> {
        self.architecture.hidden()
    }
    pub fn n_pretrain_epochs(&self) -> usize {
        self.pretrain_epochs
    }
    pub fn pretrain_rate(&self) -> f64 {
        self.pretrain_lr
    }
    pub fn rate(&self) -> f64 {
        self.learning_rate
    }
    pub fn batch(&self) -> usize {
        self.batch_size
    }
    /// Gamma: as set, else [`DeepParams::IDEC_GAMMA`] or [`DeepParams::DCSS_GAMMA`].
    pub fn clustering_weight(&self) -> f64 {
        self.gamma.unwrap_or(match self.objective {
            Objective::Idec => Self::IDEC_GAMMA,
            Objective::Dcss => Self::DCSS_GAMMA,
        })
    }
    pub fn interval(&self) -> usize {
        self.update_interval
    }
    pub fn tolerance(&self) -> f64 {
        self.tol
    }
    pub fn max_iterations(&self) -> usize {
        self.maxiter
    }
    pub fn student_alpha(&self) -> f64 {
        self.alpha
    }
    pub fn n_init(&self) -> usize {
        self.kmeans_n_init
    }
    pub fn rng_seed(&self) -> u64 {
        self.seed
    }
    /// The membership model of the clustering loss: DCSS's setting; always Student-t for IDEC.
    pub fn memberships(&self) -> Membership {
        match self.objective {
            Objective::Idec => Membership::StudentT,
            Objective::Dcss => self.membership,
        }
    }
}
