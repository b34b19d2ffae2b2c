//! The three stages of IDEC/DCSS (see the module docs): pretraining, K-Means initialisation,
//! joint training with the label-change stopping rule.

use super::DeepError;
use super::losses::{kl_t, soft_assignment, soft_assignment_t, soft_silhouette_t, target_distribution};
use super::net::{ClusterNet, NetWeights, embed};
use super::params::{DeepParams, Membership, Objective};
use crate::cluster::kmeans::KMeansParams;
use crate::progress::Task;
use burn::Tensor;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::tensor::{DType, Device, TensorData};
use ndarray::{Array2, ArrayView2};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::time::Instant;

/// Adam's epsilon as in PyTorch (burn's default is 1e-5), as the VAE.
const ADAM_EPSILON: f32 = 1e-8;

/// One recomputation of the target and the labels during joint training.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpdateRecord {
    /// Joint-training iteration at which the update ran.
    pub iteration: usize,
    /// Fraction of rows whose label changed since the previous update (the K-Means labels for the first).
    pub label_change: f64,
    /// Mean batch loss `L_rec + gamma * L_clu` since the previous update (NaN before the first batch).
    pub loss: f64,
    /// Mean batch reconstruction loss since the previous update.
    pub reconstruction: f64,
    /// Mean batch clustering loss (`KL` or `1 - S`) since the previous update.
    pub clustering: f64,
}

/// Training history of a deep clustering fit.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DeepHistory {
    /// Mean reconstruction loss of every pretraining epoch.
    pub pretrain_loss: Vec<f64>,
    /// Every update of joint training, in order.
    pub updates: Vec<UpdateRecord>,
    /// Joint-training iterations run.
    pub iterations: usize,
    /// Whether training stopped by the label-change tolerance (rather than `maxiter`).
    pub converged: bool,
    /// Seconds of pretraining (including the K-Means initialisation).
    pub pretrain_seconds: f64,
}

/// Result of [`DeepParams::fit`].
#[derive(Debug, Clone, PartialEq)]
pub struct DeepFit {
    pub objective: Objective,
    /// Cluster of each row, `argmax_j q_ij` after training.
    pub labels: Vec<usize>,
    /// Cluster centres in the embedding (`k x z`): the trained centres, or with a softmax head
    /// the probability-weighted means of the embedding.
    pub centres: Array2<f64>,
    /// Embedding of each row by the trained encoder (`n x z`): the clustering space.
    pub embedding: Array2<f64>,
    /// Cluster probabilities (`n x k`): the Student-t `q`, or DCSS's head with `Membership::Head`.
    pub soft: Array2<f64>,
    /// K-Means labels on the pretrained embedding (the initialisation; "K-Means on the AE").
    pub initial_labels: Vec<usize>,
    /// The pretrained embedding that K-Means clustered.
    pub initial_embedding: Array2<f64>,
    pub history: DeepHistory,
    /// Wall-clock seconds of the whole fit.
    pub seconds: f64,
}

/// Rows as `f32` (the training float type).
struct Rows {
    n: usize,
    d: usize,
    values: Vec<f32>,
}

impl Rows {
    fn new(x: ArrayView2<f64>, k: usize) -> Result<Self, DeepError> {
        let (n, d) = x.dim();
        if n < 2 || d < 1 || n < k {
            return Err(DeepError::Input(format!(
                "need at least 2 rows, 1 column and k = {k} rows, got {n} x {d}"
            )));
        }
        if let Some(((row, column), _)) = x.indexed_iter().find(|(_, v)| !v.is_finite()) {
            return Err(DeepError::Input(format!(
                "non-finite value at row {row}, column {column}"
            )));
        }
        Ok(Self {
            n,
            d,
            values: x.iter().map(|&v| v as f32).collect(),
        })
    }

    fn batch(&self, rows: impl Iterator<Item = usize>, device: &Device) -> Tensor<2> {
        let mut values = Vec::new();
        for r in rows {
            values.extend_from_slice(&self.values[r * self.d..(r + 1) * self.d]);
        }
        let len = values.len() / self.d.max(1);
        Tensor::from_data(TensorData::new(values, [len, self.d]), device)
    }
}

fn scalar(t: &Tensor<1>) -> f64 {
    t.clone().into_scalar::<f32>() as f64
}

fn reconstruction(net: &ClusterNet, xb: Tensor<2>) -> (Tensor<2>, Tensor<1>) {
    let z = net.encode(xb.clone());
    let rec = (net.decode(z.clone()) - xb).square().mean();
    (z, rec)
}

fn argmax_rows(q: &Array2<f64>) -> Vec<usize> {
    q.rows()
        .into_iter()
        .map(|r| {
            r.iter()
                .enumerate()
                .fold(
                    (0, f64::NEG_INFINITY),
                    |best, (j, &v)| if v > best.1 { (j, v) } else { best },
                )
                .0
        })
        .collect()
}

/// A pretrained autoencoder with its K-Means initialisation: stages 1 and 2, shared by IDEC and
/// DCSS runs of the same data, architecture, `k` and seed ([`DeepParams::pretrain`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Pretrained {
    weights: NetWeights,
    /// K-Means labels on the pretrained embedding ("K-Means on the AE embedding").
    pub initial_labels: Vec<usize>,
    /// The pretrained embedding (`n x z`).
    pub initial_embedding: Array2<f64>,
    /// Mean reconstruction loss of every pretraining epoch.
    pub pretrain_loss: Vec<f64>,
    /// Seconds of pretraining and K-Means.
    pub seconds: f64,
}

impl DeepParams {
    /// Fits IDEC or DCSS on `x` (rows = samples); see the module docs for the stages and losses.
    pub fn fit(&self, x: ArrayView2<f64>) -> Result<DeepFit, DeepError> {
        self.fit_with_progress(x, None)
    }

    /// [`DeepParams::fit`] reporting progress (pretraining epochs, then updates) on `progress`.
    pub fn fit_with_progress(&self, x: ArrayView2<f64>, progress: Option<&Task>) -> Result<DeepFit, DeepError> {
        let pretrained = self.pretrain(x, progress)?;
        self.fit_pretrained(x, &pretrained, progress)
    }

    /// Stages 1 and 2: pretrains the autoencoder on reconstruction and clusters its embedding
    /// with K-Means (`n_init` restarts, seeded).
    pub fn pretrain(&self, x: ArrayView2<f64>, progress: Option<&Task>) -> Result<Pretrained, DeepError> {
        let start = Instant::now();
        let params = self.clone().build()?;
        let rows = Rows::new(x, params.n_clusters())?;
        let mut rng = ChaCha8Rng::seed_from_u64(params.rng_seed());
        let init = NetWeights::init(
            rows.d,
            &params.hidden(),
            params.latent_dim(),
            params.n_clusters(),
            &mut rng,
        );
        let (mut weights, pretrain_loss) = pretrain(&params, &rows, init, &mut rng, progress)?;
        let initial_embedding = embed(&weights, x);
        let kmeans = KMeansParams::new(params.n_clusters())
            .n_init(params.n_init())
            .seed(params.rng_seed())
            .build()?
            .fit(initial_embedding.view())?;
        weights.centres = kmeans.centers;
        weights.set_voronoi_head(initial_embedding.view(), &kmeans.labels);
        Ok(Pretrained {
            weights,
            initial_labels: kmeans.labels,
            initial_embedding,
            pretrain_loss,
            seconds: start.elapsed().as_secs_f64(),
        })
    }

    /// Stage 3 from `pretrained` (made by [`DeepParams::pretrain`] on the same `x` with the same
    /// architecture, `latent` and `k`): joint training with this objective, gamma and schedule.
    pub fn fit_pretrained(
        &self,
        x: ArrayView2<f64>,
        pretrained: &Pretrained,
        progress: Option<&Task>,
    ) -> Result<DeepFit, DeepError> {
        let start = Instant::now();
        let params = self.clone().build()?;
        let rows = Rows::new(x, params.n_clusters())?;
        let w = &pretrained.weights;
        let inputs = w.encoder.first().map_or(0, |l| l.inputs);
        if inputs != rows.d
            || w.centres.dim() != (params.n_clusters(), params.latent_dim())
            || pretrained.initial_labels.len() != rows.n
        {
            return Err(DeepError::Input(format!(
                "the pretrained model ({inputs} inputs, {} rows, {} centres of dimension {}) does not match the data \
                 ({} x {}) and options (k = {}, latent = {})",
                pretrained.initial_labels.len(),
                w.centres.nrows(),
                w.centres.ncols(),
                rows.n,
                rows.d,
                params.n_clusters(),
                params.latent_dim()
            )));
        }
        let mut history = DeepHistory {
            pretrain_loss: pretrained.pretrain_loss.clone(),
            pretrain_seconds: pretrained.seconds,
            ..DeepHistory::default()
        };
        let weights = joint(
            &params,
            &rows,
            x,
            w.clone(),
            &pretrained.initial_labels,
            &mut history,
            progress,
        )?;
        let embedding = embed(&weights, x);
        let soft = memberships(&params, &weights, embedding.view())?;
        let centres = match params.memberships() {
            Membership::StudentT => weights.centres,
            Membership::Head => soft_centroids(embedding.view(), soft.view()),
        };
        Ok(DeepFit {
            objective: params.clustering_objective(),
            labels: argmax_rows(&soft),
            centres,
            embedding,
            soft,
            initial_labels: pretrained.initial_labels.clone(),
            initial_embedding: pretrained.initial_embedding.clone(),
            history,
            seconds: pretrained.seconds + start.elapsed().as_secs_f64(),
        })
    }
}

/// The cluster probabilities of embeddings `z`: the Student-t `q` of the centres (IDEC, DCSS
/// by default), or DCSS's softmax head.
fn memberships(params: &DeepParams, w: &NetWeights, z: ArrayView2<f64>) -> Result<Array2<f64>, DeepError> {
    match params.memberships() {
        Membership::StudentT => soft_assignment(z, w.centres.view(), params.student_alpha()),
        Membership::Head => Ok(w.head_memberships(z)),
    }
}

/// Probability-weighted means of the rows of `z` per cluster (`k x z`): DCSS's centres, which
/// its head does not hold. A cluster without mass keeps zeros.
fn soft_centroids(z: ArrayView2<f64>, prob: ArrayView2<f64>) -> Array2<f64> {
    let mass = prob.sum_axis(ndarray::Axis(0));
    let mut c = prob.t().dot(&z);
    for (mut row, m) in c.rows_mut().into_iter().zip(mass.iter()) {
        if *m > 0.0 {
            row.mapv_inplace(|v| v / m);
        }
    }
    c
}

/// Reconstruction-only training on shuffled mini-batches.
fn pretrain(
    params: &DeepParams,
    rows: &Rows,
    init: NetWeights,
    rng: &mut ChaCha8Rng,
    progress: Option<&Task>,
) -> Result<(NetWeights, Vec<f64>), DeepError> {
    let device = Device::flex().autodiff();
    let mut net = ClusterNet::from_weights(&init, &device, DType::F32);
    let mut optimizer: ModuleOptimizer = AdamConfig::new().with_epsilon(ADAM_EPSILON).init();
    let mut order: Vec<usize> = (0..rows.n).collect();
    let mut losses = Vec::with_capacity(params.n_pretrain_epochs());
    if let Some(bar) = progress {
        bar.restart(params.n_pretrain_epochs() as u64);
    }
    for epoch in 1..=params.n_pretrain_epochs() {
        order.shuffle(rng);
        let (mut total, mut batches) = (0.0, 0usize);
        for batch in order.chunks(params.batch()) {
            let (_, loss) = reconstruction(&net, rows.batch(batch.iter().copied(), &device));
            total += scalar(&loss);
            batches += 1;
            let grads = GradientsParams::from_grads(loss.backward(), &net);
            net = optimizer.step(params.pretrain_rate(), net, grads);
        }
        let mean = total / batches.max(1) as f64;
        if !mean.is_finite() {
            return Err(DeepError::Diverged {
                stage: "pretraining",
                step: epoch,
                loss: mean,
            });
        }
        losses.push(mean);
        if let Some(bar) = progress {
            bar.status(&format!("pretrain loss {mean:.5}"));
            bar.inc(1);
        }
    }
    Ok((net.to_weights(), losses))
}

/// Running sums of the batch losses between two updates.
#[derive(Default)]
struct Sums {
    batches: usize,
    loss: f64,
    reconstruction: f64,
    clustering: f64,
}

impl Sums {
    fn mean(&self, v: f64) -> f64 {
        if self.batches == 0 {
            f64::NAN
        } else {
            v / self.batches as f64
        }
    }
}

/// Joint training of the network and the centres (IDEC or DCSS objective).
fn joint(
    params: &DeepParams,
    rows: &Rows,
    x: ArrayView2<f64>,
    weights: NetWeights,
    initial_labels: &[usize],
    history: &mut DeepHistory,
    progress: Option<&Task>,
) -> Result<NetWeights, DeepError> {
    let device = Device::flex().autodiff();
    let mut net = ClusterNet::from_weights(&weights, &device, DType::F32);
    let mut optimizer: ModuleOptimizer = AdamConfig::new().with_epsilon(ADAM_EPSILON).init();
    let alpha = params.student_alpha();
    let k = params.n_clusters();
    let mut last_labels = initial_labels.to_vec();
    let mut target: Vec<f32> = Vec::new();
    let mut sums = Sums::default();
    let mut index = 0usize;
    if let Some(bar) = progress {
        bar.restart(params.max_iterations().div_ceil(params.interval()) as u64);
    }
    for ite in 0..params.max_iterations() {
        if ite % params.interval() == 0 {
            let current = net.to_weights();
            let q = memberships(params, &current, embed(&current, x).view())?;
            let labels = argmax_rows(&q);
            let changed = labels.iter().zip(&last_labels).filter(|(a, b)| a != b).count();
            let label_change = changed as f64 / rows.n as f64;
            history.updates.push(UpdateRecord {
                iteration: ite,
                label_change,
                loss: sums.mean(sums.loss),
                reconstruction: sums.mean(sums.reconstruction),
                clustering: sums.mean(sums.clustering),
            });
            if let Some(bar) = progress {
                bar.status(&format!(
                    "{} label change {:.4}",
                    params.clustering_objective(),
                    label_change
                ));
                bar.inc(1);
            }
            if sums.batches > 0 && !sums.mean(sums.loss).is_finite() {
                return Err(DeepError::Diverged {
                    stage: "joint training",
                    step: ite,
                    loss: sums.mean(sums.loss),
                });
            }
            sums = Sums::default();
            last_labels = labels;
            if ite > 0 && label_change < params.tolerance() {
                history.converged = true;
                history.iterations = ite;
                return Ok(current);
            }
            if params.clustering_objective() == Objective::Idec {
                target = target_distribution(q.view()).iter().map(|&v| v as f32).collect();
            }
        }
        let start = index * params.batch();
        let end = (start + params.batch()).min(rows.n);
        index = if end == rows.n { 0 } else { index + 1 };
        let xb = rows.batch(start..end, &device);
        let (z, rec) = reconstruction(&net, xb);
        let clustering = match params.clustering_objective() {
            Objective::Idec => {
                let q = soft_assignment_t(z, net.centres(), alpha);
                let p = Tensor::from_data(
                    TensorData::new(target[start * k..end * k].to_vec(), [end - start, k]),
                    &device,
                );
                kl_t(p, q)
            }
            Objective::Dcss => {
                let prob = match params.memberships() {
                    Membership::StudentT => soft_assignment_t(z.clone(), net.centres(), alpha),
                    Membership::Head => net.memberships(z.clone()),
                };
                soft_silhouette_t(z, prob).neg().add_scalar(1.0)
            }
        };
        let loss = rec.clone() + clustering.clone().mul_scalar(params.clustering_weight());
        sums.batches += 1;
        sums.loss += scalar(&loss);
        sums.reconstruction += scalar(&rec);
        sums.clustering += scalar(&clustering);
        let grads = GradientsParams::from_grads(loss.backward(), &net);
        net = optimizer.step(params.rate(), net, grads);
    }
    history.iterations = params.max_iterations();
    Ok(net.to_weights())
}

#[cfg(test)]
#[path = "train_tests.rs"]
mod tests;
