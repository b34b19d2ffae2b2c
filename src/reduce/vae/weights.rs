//! Host-side copy of the network weights: what is initialised from the seed, saved to disk and
//! loaded back. Kept in `f64` so an `f32` model round-trips exactly and gradient checks can run
//! in double precision.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// One dense layer `y = x W + b`, with `W` stored row-major as `inputs x outputs`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DenseWeights {
    pub inputs: usize,
    pub outputs: usize,
    /// `inputs * outputs` values, row-major (`W[i][o]` at `i * outputs + o`).
    pub weight: Vec<f64>,
    /// `outputs` values.
    pub bias: Vec<f64>,
}

impl DenseWeights {
    /// PyTorch's default `nn.Linear` initialisation: `W, b ~ U(-1/sqrt(in), 1/sqrt(in))`.
    pub fn init(inputs: usize, outputs: usize, rng: &mut ChaCha8Rng) -> Self {
        let bound = 1.0 / (inputs as f64).sqrt();
        let mut draw =
            |n: usize| -> Vec<f64> { (0..n).map(|_| rng.random_range(-bound..bound) as f32 as f64).collect() };
        let weight = draw(inputs * outputs);
        let bias = draw(outputs);
        Self {
            inputs,
            outputs,
            weight,
            bias,
        }
    }

    /// Whether the stored vectors have the sizes the shape promises.
    fn is_consistent(&self) -> bool {
        self.weight.len() == self.inputs * self.outputs && self.bias.len() == self.outputs
    }

    fn all_finite(&self) -> bool {
        self.weight.iter().chain(&self.bias).all(|v| v.is_finite())
    }
}

/// All weights of the VAE: encoder layers, the two heads (mean and log-variance), decoder
/// layers, in forward order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VaeWeights {
    pub encoder: Vec<DenseWeights>,
    pub mean_head: DenseWeights,
    pub logvar_head: DenseWeights,
    pub decoder: Vec<DenseWeights>,
}

impl VaeWeights {
    /// Fresh weights for the architecture `(inputs, hidden, layers, latent)`, drawn from `rng`.
    pub fn init(inputs: usize, hidden: usize, layers: usize, latent: usize, rng: &mut ChaCha8Rng) -> Self {
        let encoder = (0..layers)
            .map(|i| DenseWeights::init(if i == 0 { inputs } else { hidden }, hidden, rng))
            .collect();
        let mean_head = DenseWeights::init(hidden, latent, rng);
        let logvar_head = DenseWeights::init(hidden, latent, rng);
        let decoder = (0..layers)
            .map(|i| {
                let from = if i == 0 { latent } else { hidden };
                let to = if i + 1 == layers { inputs } else { hidden };
                DenseWeights::init(from, to, rng)
            })
            .collect();
        Self {
            encoder,
            mean_head,
            logvar_head,
            decoder,
        }
    }

    /// Number of input variables (width of the first encoder layer).
    pub fn inputs(&self) -> usize {
        self.encoder.first().map_or(0, |l| l.inputs)
    }

    /// Latent dimension (width of the mean head).
    pub fn latent(&self) -> usize {
        self.mean_head.outputs
    }

    /// Every layer in forward order (encoder, mean head, log-variance head, decoder).
    pub fn layers(&self) -> impl Iterator<Item = &DenseWeights> {
        self.encoder
            .iter()
            .chain([&self.mean_head, &self.logvar_head])
            .chain(&self.decoder)
    }

    /// Mutable view of every layer in the order of [`VaeWeights::layers`].
    pub fn layers_mut(&mut self) -> impl Iterator<Item = &mut DenseWeights> {
        self.encoder
            .iter_mut()
            .chain([&mut self.mean_head, &mut self.logvar_head])
            .chain(self.decoder.iter_mut())
    }

    /// Total number of trainable values.
    pub fn n_parameters(&self) -> usize {
        self.layers().map(|l| l.weight.len() + l.bias.len()).sum()
    }

    /// Checks that the layers chain (each layer's input is the previous one's output) and that
    /// all values are finite; `None` when fine, else what is wrong (for a loaded file).
    pub fn check(&self) -> Option<String> {
        if self.encoder.is_empty() || self.decoder.is_empty() {
            return Some("the network has no encoder or decoder layer".into());
        }
        if let Some(bad) = self.layers().position(|l| !l.is_consistent()) {
            return Some(format!("layer {bad} has weight or bias of the wrong length"));
        }
        if self.layers().any(|l| !l.all_finite()) {
            return Some("the weights contain a non-finite value".into());
        }
        let chained = |a: &[DenseWeights]| a.windows(2).all(|w| w[0].outputs == w[1].inputs);
        let hidden = self.encoder[self.encoder.len() - 1].outputs;
        let ok = chained(&self.encoder)
            && chained(&self.decoder)
            && self.mean_head.inputs == hidden
            && self.logvar_head.inputs == hidden
            && self.logvar_head.outputs == self.latent()
            && self.decoder[0].inputs == self.latent()
            && self.decoder[self.decoder.len() - 1].outputs == self.inputs();
        (!ok).then(|| "the layer sizes do not chain".to_string())
    }
}
