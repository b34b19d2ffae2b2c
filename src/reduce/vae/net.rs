//! The VAE as a burn module (Kingma & Welling 2014, "Auto-Encoding Variational Bayes"):
//! encoder `Linear(d,h) LeakyReLU(0.2) [Linear(h,h) ReLU]* Linear(h,h)`, heads `mu` and `logvar`
//! `Linear(h, latent)`, decoder `Linear(latent,h) ReLU [Linear(h,h) ReLU]* Linear(h,d)`,
//! as in listing 19 of the study.

use super::weights::{DenseWeights, VaeWeights};
use burn::module::{Module, Param};
use burn::nn::Linear;
use burn::tensor::activation::{leaky_relu, relu};
use burn::tensor::{DType, Device, Tensor, TensorData};

/// Slope of the first encoder activation (study: `nn.LeakyReLU(0.2)`).
const LEAKY_SLOPE: f64 = 0.2;

#[derive(Module, Debug)]
pub(crate) struct VaeNet {
    encoder: Vec<Linear>,
    mean_head: Linear,
    logvar_head: Linear,
    decoder: Vec<Linear>,
}

/// Builds a tensor of `dtype` on `device` from host values (row-major `shape`).
pub(crate) fn tensor2(values: Vec<f64>, shape: [usize; 2], device: &Device, dtype: DType) -> Tensor<2> {
    Tensor::from_data(TensorData::new(values, shape), (device, dtype))
}

/// Reads a tensor back as host `f64` values (row-major).
pub(crate) fn to_host(t: Tensor<2>) -> Vec<f64> {
    t.into_data().iter::<f64>().collect()
}

pub(crate) fn dense(w: &DenseWeights, device: &Device, dtype: DType) -> Linear {
    let weight = tensor2(w.weight.clone(), [w.inputs, w.outputs], device, dtype);
    let bias: Tensor<1> = Tensor::from_data(TensorData::new(w.bias.clone(), [w.outputs]), (device, dtype));
    Linear {
        weight: Param::from_tensor(weight),
        bias: Some(Param::from_tensor(bias)),
    }
}

pub(crate) fn dense_back(l: &Linear) -> DenseWeights {
    let weight = l.weight.val();
    let [inputs, outputs] = weight.dims();
    let bias = l
        .bias
        .as_ref()
        .map(|b| b.val().into_data().iter::<f64>().collect())
        .unwrap_or_else(|| vec![0.0; outputs]);
    DenseWeights {
        inputs,
        outputs,
        weight: to_host(weight),
        bias,
    }
}

fn dense_grad(l: &Linear, grads: &burn::tensor::Gradients) -> DenseWeights {
    let weight = l.weight.val();
    let [inputs, outputs] = weight.dims();
    let weight = weight
        .grad(grads)
        .map(to_host)
        .unwrap_or_else(|| vec![0.0; inputs * outputs]);
    let bias = l
        .bias
        .as_ref()
        .and_then(|b| b.val().grad(grads))
        .map(|g| g.into_data().iter::<f64>().collect())
        .unwrap_or_else(|| vec![0.0; outputs]);
    DenseWeights {
        inputs,
        outputs,
        weight,
        bias,
    }
}

impl VaeNet {
    /// The network holding `weights`, on `device` (autodiff or not) with float type `dtype`.
    pub(crate) fn from_weights(weights: &VaeWeights, device: &Device, dtype: DType) -> Self {
        Self {
            encoder: weights.encoder.iter().map(|w| dense(w, device, dtype)).collect(),
            mean_head: dense(&weights.mean_head, device, dtype),
            logvar_head: dense(&weights.logvar_head, device, dtype),
            decoder: weights.decoder.iter().map(|w| dense(w, device, dtype)).collect(),
        }
    }

    /// Copies the current weights back to the host.
    pub(crate) fn to_weights(&self) -> VaeWeights {
        VaeWeights {
            encoder: self.encoder.iter().map(dense_back).collect(),
            mean_head: dense_back(&self.mean_head),
            logvar_head: dense_back(&self.logvar_head),
            decoder: self.decoder.iter().map(dense_back).collect(),
        }
    }

    /// Gradients of every weight, laid out like [`VaeWeights`] (zeros where none was recorded).
    pub(crate) fn gradients(&self, grads: &burn::tensor::Gradients) -> VaeWeights {
        VaeWeights {
            encoder: self.encoder.iter().map(|l| dense_grad(l, grads)).collect(),
            mean_head: dense_grad(&self.mean_head, grads),
            logvar_head: dense_grad(&self.logvar_head, grads),
            decoder: self.decoder.iter().map(|l| dense_grad(l, grads)).collect(),
        }
    }

    /// Encoder: returns `(mu, logvar)`, each `rows x latent`.
    pub(crate) fn encode(&self, x: Tensor<2>) -> (Tensor<2>, Tensor<2>) {
        let last = self.encoder.len() - 1;
        let mut h = x;
        for (i, layer) in self.encoder.iter().enumerate() {
            h = layer.forward(h);
            if i < last {
                h = if i == 0 { leaky_relu(h, LEAKY_SLOPE) } else { relu(h) };
            }
        }
        (self.mean_head.forward(h.clone()), self.logvar_head.forward(h))
    }

    /// Decoder: `rows x latent` -> `rows x d`.
    pub(crate) fn decode(&self, z: Tensor<2>) -> Tensor<2> {
        let last = self.decoder.len() - 1;
        let mut h = z;
        for (i, layer) in self.decoder.iter().enumerate() {
            h = layer.forward(h);
            if i < last {
                h = relu(h);
            }
        }
        h
    }

    /// Reparameterised forward pass: `z = mu + exp(logvar / 2) * eps`; returns `(x_hat, mu, logvar)`.
    pub(crate) fn forward(&self, x: Tensor<2>, eps: Tensor<2>) -> (Tensor<2>, Tensor<2>, Tensor<2>) {
        let (mu, logvar) = self.encode(x);
        let z = mu.clone() + logvar.clone().mul_scalar(0.5).exp() * eps;
        (self.decode(z), mu, logvar)
    }
}

/// Per-term loss of one batch: reconstruction `mean((x - x_hat)^2)` over all cells, and
/// `KL = -1/2 * sum(1 + logvar - mu^2 - exp(logvar))` summed over rows and latent dimensions
/// (listing 19 of the study).
pub(crate) struct LossTerms {
    pub reconstruction: Tensor<1>,
    pub kl: Tensor<1>,
}

impl LossTerms {
    pub(crate) fn new(x: Tensor<2>, x_hat: Tensor<2>, mu: Tensor<2>, logvar: Tensor<2>) -> Self {
        let reconstruction = (x_hat - x).square().mean();
        Self {
            reconstruction,
            kl: kl_divergence(mu, logvar),
        }
    }

    /// `reconstruction + alpha * KL`.
    pub(crate) fn total(&self, alpha: f64) -> Tensor<1> {
        self.reconstruction.clone() + self.kl.clone().mul_scalar(alpha)
    }
}

/// `-1/2 * sum(1 + logvar - mu^2 - exp(logvar))`, the KL divergence of `N(mu, exp(logvar))`
/// from `N(0, 1)` summed over all entries.
pub(crate) fn kl_divergence(mu: Tensor<2>, logvar: Tensor<2>) -> Tensor<1> {
    let inner = logvar.clone().add_scalar(1.0) - mu.square() - logvar.exp();
    inner.sum().mul_scalar(-0.5)
}
