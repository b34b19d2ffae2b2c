//! The one place where a run's settings become a clustering method: `run`, `stability`,
//! `assign` and the study all build their method here, so they cluster the same way at every
//! size (the scale switches of [`crate::pipeline::config::ScaleSettings`] apply to all of them).
//!
//! A new method is one type implementing [`Clusterer`] (in `src/cluster/`) and one arm in
//! [`clusterer`].

use crate::cluster::gmm::GmmMethod;
use crate::cluster::method::{Clusterer, DeepMethod, KMeansMethod, WardMethod};
use crate::error::Result;
use crate::pipeline::config::{Method, RunConfig};

/// The clustering method of `cfg` (its `--method` with the run's settings: restarts, scale
/// switches, the deep methods' training options, validated here).
pub fn clusterer(cfg: &RunConfig) -> Result<Box<dyn Clusterer>> {
    Ok(match cfg.method {
        Method::Kmeans | Method::MiniBatchKmeans => Box::new(KMeansMethod {
            n_init: cfg.n_init,
            minibatch: cfg.method == Method::MiniBatchKmeans,
            minibatch_above: cfg.scale.minibatch_above,
        }),
        Method::Ward => Box::new(WardMethod {
            exact_max: cfg.scale.ward_exact_max,
            micro: cfg.scale.ward_micro,
        }),
        // k and the seed are set per fit; k = 1 only validates the other options now.
        Method::Idec | Method::Dcss => Box::new(DeepMethod {
            name: cfg.method.to_string(),
            params: cfg.deep.params(cfg.method, 1, cfg.seed)?,
        }),
        Method::Gmm => Box::new(mixture(cfg)),
    })
}

/// The Gaussian mixture with the run's settings: the method of `--method gmm`, and the model
/// whose BIC and AIC a sweep over k reports whatever the method.
pub fn mixture(cfg: &RunConfig) -> GmmMethod {
    GmmMethod {
        covariance: cfg.gmm_covariance.covariance_type(),
        n_init: cfg.n_init,
        sample_max: cfg.scale.gmm_fit_max,
    }
}

#[cfg(test)]
#[path = "methods_tests.rs"]
mod tests;
