//! Per-epoch training diagnostics (losses, R2, histograms of `mu` and `logvar`), kept as data
//! so the caller can write `training.csv` and `histograms.json` and plot them (study figs. 19-21).

use serde::{Deserialize, Serialize};

/// Scores of one epoch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpochStats {
    /// 1-based epoch number.
    pub epoch: usize,
    /// Mean over the epoch's batches of `reconstruction + alpha * KL` (the minimised loss).
    pub loss: f64,
    /// Mean over batches of the reconstruction MSE with sampled `z` (study: "Ressemblance").
    pub reconstruction: f64,
    /// Mean over batches of the KL term summed over the batch rows and latent dimensions
    /// (not multiplied by alpha).
    pub kl: f64,
    /// MSE of the deterministic reconstruction `decode(mu(x))` over all training cells, after
    /// the epoch.
    pub mse: f64,
    /// `1 - mse / var(x)`, `var` over all cells of the training data (study: "Rsquared").
    pub r2: f64,
}

/// A histogram with equal-width bins over `[lo, hi]` (the last bin includes `hi`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    pub lo: f64,
    pub hi: f64,
    pub counts: Vec<u64>,
}

impl Histogram {
    /// Histogram of `values` with `bins` bins over their own range (a degenerate range is
    /// widened by 0.5 on each side so every value still falls in a bin).
    pub fn of(values: &[f64], bins: usize) -> Self {
        let bins = bins.max(1);
        let (mut lo, mut hi) = values
            .iter()
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
        if lo > hi {
            (lo, hi) = (0.0, 0.0);
        }
        if hi - lo <= f64::EPSILON * lo.abs().max(1.0) {
            (lo, hi) = (lo - 0.5, hi + 0.5);
        }
        let width = (hi - lo) / bins as f64;
        let mut counts = vec![0u64; bins];
        for &v in values.iter().filter(|v| v.is_finite()) {
            let bin = (((v - lo) / width) as usize).min(bins - 1);
            counts[bin] += 1;
        }
        Self { lo, hi, counts }
    }

    /// Centre of bin `i`.
    pub fn bin_center(&self, i: usize) -> f64 {
        self.lo + (i as f64 + 0.5) * (self.hi - self.lo) / self.counts.len() as f64
    }
}

/// Histograms of all `mu` and `logvar` values (latent dimensions pooled) of the training data
/// after one epoch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpochHistograms {
    pub epoch: usize,
    pub mu: Histogram,
    pub logvar: Histogram,
}

/// Everything recorded while training.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TrainingHistory {
    pub epochs: Vec<EpochStats>,
    pub histograms: Vec<EpochHistograms>,
}

impl TrainingHistory {
    /// `training.csv`: header `epoch,loss,reconstruction,kl,mse,r2`, one line per epoch.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("epoch,loss,reconstruction,kl,mse,r2\n");
        for e in &self.epochs {
            out.push_str(&format!(
                "{},{},{},{},{},{}\n",
                e.epoch, e.loss, e.reconstruction, e.kl, e.mse, e.r2
            ));
        }
        out
    }

    /// `histograms.json`: the per-epoch histograms as a JSON array.
    pub fn histograms_json(&self) -> String {
        serde_json::to_string_pretty(&self.histograms).unwrap_or_else(|_| "[]".into())
    }

    /// `(epoch, f(stats))` for every epoch, e.g. a training curve to plot.
    pub fn curve(&self, f: impl Fn(&EpochStats) -> f64) -> Vec<(f64, f64)> {
        self.epochs.iter().map(|e| (e.epoch as f64, f(e))).collect()
    }

    /// Scores of the last epoch, if any.
    pub fn last(&self) -> Option<&EpochStats> {
        self.epochs.last()
    }
}
