//! The autoencoder with a clustering layer, as a burn module: encoder
//! `Linear(d,h1) ReLU ... Linear(hL,z)` (linear embedding), decoder mirrored
//! `Linear(z,hL) ReLU ... Linear(h1,d)` (linear output), as `autoencoder()` in the DEC/IDEC
//! reference code; the cluster centres `mu_j` (`k x z`) are a trainable parameter (IDEC's
//! clustering layer), and DCSS's clustering head is a trainable `Linear(z,k)` + softmax.

use crate::reduce::vae::DenseWeights;
// The dense-layer and tensor conversions are the VAE's: one implementation for both networks.
pub(crate) use crate::reduce::vae::net::{dense, dense_back, tensor2, to_host};
use burn::module::{Module, Param};
use burn::nn::Linear;
use burn::tensor::activation::relu;
use burn::tensor::{DType, Device, Tensor};
use ndarray::{Array2, ArrayView2};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Host copy of the autoencoder weights plus the centres (row-major `k x z`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NetWeights {
    pub encoder: Vec<DenseWeights>,
    pub decoder: Vec<DenseWeights>,
    pub centres: Array2<f64>,
    /// DCSS's clustering head `z -> k` (logits; the memberships are their softmax).
    pub head: DenseWeights,
}

impl NetWeights {
    /// Fresh weights for `inputs - hidden... - latent`: Glorot-uniform weights and zero biases
    /// (Keras' `Dense` defaults, as the DEC/IDEC reference code), zero centres.
    pub fn init(inputs: usize, hidden: &[usize], latent: usize, k: usize, rng: &mut ChaCha8Rng) -> Self {
        let widths: Vec<usize> = std::iter::once(inputs)
            .chain(hidden.iter().copied())
            .chain(std::iter::once(latent))
            .collect();
        let encoder = widths.windows(2).map(|w| glorot(w[0], w[1], rng)).collect();
        let decoder = widths.windows(2).rev().map(|w| glorot(w[1], w[0], rng)).collect();
        Self {
            encoder,
            decoder,
            centres: Array2::zeros((k, latent)),
            head: DenseWeights {
                inputs: latent,
                outputs: k,
                weight: vec![0.0; latent * k],
                bias: vec![0.0; k],
            },
        }
    }

    /// Set the clustering head to the soft Voronoi partition of `centres`:
    /// `softmax_j(-beta |z - mu_j|^2 / 2) = softmax_j(beta mu_j . z - beta |mu_j|^2 / 2)` (the
    /// `|z|^2` term is common to every j), i.e. weights `beta mu_j` and biases
    /// `-beta |mu_j|^2 / 2`, with `beta = 1 / sigma^2` and `sigma^2` the mean squared distance of
    /// the rows of `z` to their centre per embedding dimension (an isotropic Gaussian mixture
    /// fitted to the K-Means partition). Its argmax is the nearest centre: DCSS starts from the
    /// K-Means labels, as IDEC does.
    pub fn set_voronoi_head(&mut self, z: ArrayView2<f64>, labels: &[usize]) {
        let (k, latent) = self.centres.dim();
        let sq: f64 = z
            .rows()
            .into_iter()
            .zip(labels)
            .map(|(row, &l)| {
                row.iter()
                    .zip(self.centres.row(l))
                    .map(|(a, b)| (a - b) * (a - b))
                    .sum::<f64>()
            })
            .sum();
        let sigma2 = (sq / (z.nrows() * latent).max(1) as f64).max(1e-12);
        let beta = 1.0 / sigma2;
        let mut weight = vec![0.0; latent * k];
        for j in 0..k {
            for i in 0..latent {
                weight[i * k + j] = beta * self.centres[[j, i]];
            }
        }
        let bias = (0..k)
            .map(|j| -0.5 * beta * self.centres.row(j).iter().map(|v| v * v).sum::<f64>())
            .collect();
        self.head = DenseWeights {
            inputs: latent,
            outputs: k,
            weight,
            bias,
        };
    }

    /// The head's memberships of the rows of `z`: `softmax(z W + b)` per row (max-shifted).
    pub fn head_memberships(&self, z: ArrayView2<f64>) -> Array2<f64> {
        let h = &self.head;
        let mut p = Array2::zeros((z.nrows(), h.outputs));
        for (r, row) in z.rows().into_iter().enumerate() {
            let logits: Vec<f64> = (0..h.outputs)
                .map(|j| {
                    h.bias[j]
                        + row
                            .iter()
                            .enumerate()
                            .map(|(i, v)| v * h.weight[i * h.outputs + j])
                            .sum::<f64>()
                })
                .collect();
            let top = logits.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let e: Vec<f64> = logits.iter().map(|l| (l - top).exp()).collect();
            let total: f64 = e.iter().sum();
            for j in 0..h.outputs {
                p[[r, j]] = e[j] / total;
            }
        }
        p
    }
}

/// Glorot & Bengio (2010) uniform: `W ~ U(-l, l)`, `l = sqrt(6 / (inputs + outputs))`, `b = 0`.
fn glorot(inputs: usize, outputs: usize, rng: &mut ChaCha8Rng) -> DenseWeights {
    let limit = (6.0 / (inputs + outputs) as f64).sqrt();
    DenseWeights {
        inputs,
        outputs,
        weight: (0..inputs * outputs)
            .map(|_| rng.random_range(-limit..limit) as f32 as f64)
            .collect(),
        bias: vec![0.0; outputs],
    }
}

#[derive(Module, Debug)]
pub(crate) struct ClusterNet {
    encoder: Vec<Linear>,
    decoder: Vec<Linear>,
    centres: Param<Tensor<2>>,
    head: Linear,
}

/// Applies `layers` with ReLU between them (none after the last).
fn stack(layers: &[Linear], x: Tensor<2>) -> Tensor<2> {
    let last = layers.len().saturating_sub(1);
    layers.iter().enumerate().fold(x, |h, (i, layer)| {
        let h = layer.forward(h);
        if i < last { relu(h) } else { h }
    })
}

impl ClusterNet {
    pub fn from_weights(w: &NetWeights, device: &Device, dtype: DType) -> Self {
        let centres = tensor2(
            w.centres.iter().copied().collect(),
            [w.centres.nrows(), w.centres.ncols()],
            device,
            dtype,
        );
        Self {
            encoder: w.encoder.iter().map(|l| dense(l, device, dtype)).collect(),
            decoder: w.decoder.iter().map(|l| dense(l, device, dtype)).collect(),
            centres: Param::from_tensor(centres),
            head: dense(&w.head, device, dtype),
        }
    }

    pub fn to_weights(&self) -> NetWeights {
        let c = self.centres.val();
        let [k, z] = c.dims();
        let centres = Array2::from_shape_vec((k, z), to_host(c)).unwrap_or_else(|_| Array2::zeros((k, z)));
        NetWeights {
            encoder: self.encoder.iter().map(dense_back).collect(),
            decoder: self.decoder.iter().map(dense_back).collect(),
            centres,
            head: dense_back(&self.head),
        }
    }

    pub fn encode(&self, x: Tensor<2>) -> Tensor<2> {
        stack(&self.encoder, x)
    }

    pub fn decode(&self, z: Tensor<2>) -> Tensor<2> {
        stack(&self.decoder, z)
    }

    pub fn centres(&self) -> Tensor<2> {
        self.centres.val()
    }

    /// DCSS's cluster probabilities of embeddings `z`: `softmax(head(z))` per row.
    pub fn memberships(&self, z: Tensor<2>) -> Tensor<2> {
        burn::tensor::activation::softmax(self.head.forward(z), 1)
    }
}

/// The embedding of every row of `x` by the encoder of `w`, in chunks (no autodiff, `f32`).
pub(crate) fn embed(w: &NetWeights, x: ArrayView2<f64>) -> Array2<f64> {
    const CHUNK: usize = 1024;
    let device = Device::flex();
    let net = ClusterNet::from_weights(w, &device, DType::F32);
    let latent = w.centres.ncols();
    let mut out = Vec::with_capacity(x.nrows() * latent);
    let cols = x.ncols();
    let rows: Vec<usize> = (0..x.nrows()).collect();
    for chunk in rows.chunks(CHUNK) {
        let values: Vec<f64> = chunk.iter().flat_map(|&r| x.row(r).to_vec()).collect();
        let t = tensor2(values, [chunk.len(), cols], &device, DType::F32);
        out.extend(to_host(net.encode(t)));
    }
    Array2::from_shape_vec((x.nrows(), latent), out).unwrap_or_else(|_| Array2::zeros((x.nrows(), latent)))
}
