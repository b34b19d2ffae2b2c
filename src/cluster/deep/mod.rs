//! Deep clustering on an autoencoder embedding: IDEC (Guo, Gao, Liu & Yin 2017, "Improved Deep
//! Embedded Clustering with Local Structure Preservation", IJCAI; reference code
//! `XifengGuo/IDEC`) and DCSS (Vardakas, Papakostas & Likas 2024, "Deep Clustering Using the
//! Soft Silhouette Score: Towards Compact and Well-Separated Clusters", arXiv:2402.00608).
//!
//! Both methods share three stages:
//! 1. **Pretraining**: a plain deterministic autoencoder `d - h1 - ... - hL - z` (ReLU on every
//!    hidden layer, linear embedding and linear output; decoder mirrored) is trained on the
//!    reconstruction loss `mean((x - x_hat)^2)` with Adam on shuffled mini-batches. The paper's
//!    MNIST architecture is `d-500-500-2000-10` ([`Architecture::Paper`]); the 7-variable grids use
//!    the VAE's smaller one (`d-38-38-38-38-z`, [`Architecture::Small`]).
//! 2. **Initial centres**: landclust's K-Means (`n_init` 20 as the reference code) on the
//!    pretrained embedding.
//! 3. **Joint training** of encoder, decoder and centres `mu_j` on mini-batches taken in order
//!    (as the reference code), with the Student-t soft assignment ([`soft_assignment`])
//!    `q_ij = (1 + |z_i - mu_j|^2 / a)^(-(a+1)/2) / sum_j' (...)` (`a` = 1):
//!    - IDEC: `L = mean((x - x_hat)^2) + gamma * KL(P || Q)`, where `KL = 1/n sum_i sum_j p_ij
//!      log(p_ij / q_ij)` over the batch (Keras' `kld`, averaged over rows) and the sharpened target
//!      `p_ij = (q_ij^2 / f_j) / sum_j' (q_ij'^2 / f_j')`, `f_j = sum_i q_ij` ([`target_distribution`]),
//!      is recomputed on all rows every `update_interval` iterations and held fixed in between.
//!    - DCSS: `L = mean((x - x_hat)^2) + gamma * (1 - S)` with `S` the soft silhouette of the batch
//!      embedding under cluster probabilities ([`soft_silhouette`]). The paper's abstract and
//!      summary say its autoencoder carries a clustering head that outputs the probabilities; its
//!      full text (head architecture, any balance term) was not available here. Two membership
//!      models are offered ([`Membership`]):
//!      - `head` (default): a linear softmax head `softmax(z W + b)`, initialised to the soft
//!        Voronoi partition of the K-Means centres (`W = beta mu`, `b = -beta |mu|^2 / 2`, see
//!        `NetWeights::set_voronoi_head`), so training starts from the K-Means labels;
//!      - `student-t`: the Student-t `q` of trainable centres initialised by K-Means (the IDEC
//!        layer).
//!
//!      gamma is not in what was available of the paper; the default 0.03 and the head were
//!      the best measured (demo, 3 seeds x 3 gammas x both models; MNIST-10k: 71.7 % against
//!      54.0 % for Student-t at 0.1). The soft silhouette tends to empty clusters (it prefers
//!      few, well-separated ones); docs/future-work.md has the numbers.
//!
//!    Every `update_interval` iterations the labels `argmax_j q_ij` of all rows are recomputed;
//!    training stops when the fraction of labels that changed since the previous update is below
//!    `tol` (or after `maxiter` iterations).
//!
//! Runs on burn's `flex` CPU backend, single-threaded mini-batch updates (as the VAE), weights and
//! shuffles from one ChaCha8 stream: the same seed gives the same bits on any thread count.
//!
//! ```no_run
//! use landclust::cluster::deep::{DeepParams, Objective};
//! # let x = ndarray::Array2::<f64>::zeros((100, 7));
//! let fit = DeepParams::new(4, Objective::Idec).pretrain_epochs(20).seed(1).build()?.fit(x.view())?;
//! println!("{:?} after {} updates", &fit.labels[..5], fit.history.updates.len());
//! # Ok::<(), landclust::cluster::deep::DeepError>(())
//! ```

mod losses;
mod net;
mod params;
mod train;

pub use losses::{
    kl_divergence, kl_loss_gradient, soft_assignment, soft_silhouette, soft_silhouette_gradient, target_distribution,
};
pub use params::{Architecture, DeepParams, Membership, Objective};
pub use train::{DeepFit, DeepHistory, Pretrained, UpdateRecord};

use crate::cluster::ClusterError;

/// Errors of deep clustering.
#[derive(Debug, thiserror::Error)]
pub enum DeepError {
    #[error("deep clustering option {option} = {value}: {message}")]
    BadOption {
        option: &'static str,
        value: String,
        message: &'static str,
    },
    #[error("deep clustering input: {0}")]
    Input(String),
    #[error("deep clustering diverged in {stage} at step {step}: loss is {loss}")]
    Diverged {
        stage: &'static str,
        step: usize,
        loss: f64,
    },
    #[error(transparent)]
    Cluster(#[from] ClusterError),
}
