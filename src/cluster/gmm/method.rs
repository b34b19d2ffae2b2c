//! `--method gmm` through the clustering seam.

use ndarray::{ArrayView1, ArrayView2};

use super::{CovarianceType, GaussianMixture, GaussianMixtureParams};

/// `--method gmm` through the clustering seam ([`crate::cluster::method::Clusterer`]): EM on all rows
/// (or on a sample above `sample_max`), then every row assigned with its largest posterior
/// probability as its membership; the log-likelihood, BIC and AIC are over every row.
#[derive(Debug, Clone)]
pub struct GmmMethod {
    /// Full or diagonal covariances (`--gmm-covariance`).
    pub covariance: CovarianceType,
    /// EM restarts; the largest lower bound is kept (`--n-init`).
    pub n_init: usize,
    /// EM runs on a seeded sample of this many rows above it.
    pub sample_max: usize,
}

impl GmmMethod {
    fn params(&self, k: usize, seed: u64) -> GaussianMixtureParams {
        GaussianMixtureParams::new(k)
            .covariance_type(self.covariance)
            .n_init(self.n_init)
            .seed(seed)
            .sample_max(Some(self.sample_max))
    }
}

impl crate::cluster::method::Predictor for GaussianMixture {
    /// The most probable component.
    fn predict(&self, x: ArrayView2<f64>) -> Result<Vec<usize>, crate::cluster::method::MethodError> {
        GaussianMixture::predict(self, x).map_err(crate::cluster::method::MethodError::other)
    }

    /// The largest posterior probability.
    fn membership(&self, x: ArrayView2<f64>) -> Option<Result<Vec<f64>, crate::cluster::method::MethodError>> {
        Some(
            self.assign(x)
                .map(|a| a.max_probability)
                .map_err(crate::cluster::method::MethodError::other),
        )
    }
}

impl crate::cluster::method::Clusterer for GmmMethod {
    fn name(&self) -> &str {
        "gmm"
    }

    fn fit(
        &self,
        x: ArrayView2<f64>,
        k: usize,
        seed: u64,
    ) -> Result<crate::cluster::method::ClusterFit, crate::cluster::method::MethodError> {
        self.fit_weighted(x, None, k, seed)
    }

    /// With weights ([`GaussianMixtureParams::fit_weighted`]) the log-likelihood is
    /// `sum_i w_i ln p(x_i)`, its mean per cell is over `N = sum_i w_i`, and the BIC and AIC are
    /// those of the weighted log-likelihood with `N` as the number of observations
    /// (`-2 LL + p ln N`, `-2 LL + 2 p`): the criteria of the rows repeated `w_i` times. With
    /// the run's mean-1 area weights `N` is the number of cells, so the penalty is unchanged.
    fn fit_weighted(
        &self,
        x: ArrayView2<f64>,
        weights: Option<ArrayView1<f64>>,
        k: usize,
        seed: u64,
    ) -> Result<crate::cluster::method::ClusterFit, crate::cluster::method::MethodError> {
        use crate::cluster::method::{ClusterFit, MethodError};
        let weights = crate::cluster::kmeans::drop_unit_weights(weights);
        let model = self
            .params(k, seed)
            .fit_weighted(x, weights)
            .map_err(MethodError::other)?;
        let all = model.assign(x).map_err(MethodError::other)?;
        let n = x.nrows();
        let (score, observations) = match weights {
            None => (all.mean_log_likelihood(), n as f64),
            Some(w) => {
                let w = w.to_vec();
                let total = super::em::chunked_total(&w);
                let weighted: Vec<f64> = all.log_likelihood.iter().zip(&w).map(|(l, wi)| wi * l).collect();
                (super::em::chunked_total(&weighted) / total, total)
            }
        };
        let scale_note = model.sampled().then(|| {
            format!(
                "gmm: EM ran on a random sample of {} of the {n} cells (above {}), then every cell was \
                 assigned; log-likelihood, BIC and AIC are over all cells",
                model.fitted_rows(),
                self.sample_max
            )
        });
        let mut notes = Vec::new();
        if !model.converged() {
            notes.push(format!(
                "gmm: EM did not converge within {} iterations (k = {k}); the result is the last iterate",
                model.n_iter()
            ));
        }
        Ok(ClusterFit {
            labels: all.labels,
            centres: Some(model.means()),
            diagnostics: vec![
                ("log_likelihood".into(), score * observations),
                ("log_likelihood_per_cell".into(), score),
                ("bic".into(), model.bic_from_score_weighted(score, observations)),
                ("aic".into(), model.aic_from_score_weighted(score, observations)),
                ("n_parameters".into(), model.n_parameters() as f64),
                ("n_iter".into(), model.n_iter() as f64),
                ("converged".into(), if model.converged() { 1.0 } else { 0.0 }),
                ("fitted_cells".into(), model.fitted_rows() as f64),
            ],
            membership: Some(all.max_probability),
            scale_note,
            notes,
            model: Some(std::sync::Arc::new(model)),
            ..ClusterFit::default()
        })
    }

    fn extra_bytes_per_row(&self, m: usize, k: usize) -> u64 {
        // The responsibilities (k per fitted row) and the per-row outputs of the assignment
        // (label, membership, log-likelihood); the fit's own copy is bounded by the sample.
        let _ = m;
        8 * k as u64 + 24
    }
}
