//! The one place where `--reduce` becomes a reduction: the standardized variables themselves,
//! PCA, the VAE's latent means, or a tensor train (`tt:` over the grid window, `tt-cell:` over
//! the selected cells' series). Each [`Reduction`] says how its space is made, described,
//! counted and sized, so the run, `stability`, the study's comparison and the memory plan ask
//! it instead of each matching on [`Reduce`].
//!
//! A new reduction is one type implementing [`Reduction`] and one arm in [`reduction`] (and its
//! spelling in [`Reduce`]).

use super::prepare::Prepared;
use super::tt::TtOutcome;
use super::vae::VaeOutcome;
use crate::error::Result;
use crate::pipeline::config::{Reduce, RunConfig, option_error};
use crate::reduce::pca::Pca;
use crate::reduce::pca::PcaParams;
use ndarray::{Array2, Axis};

/// The coordinates of every selected cell in a reduced space.
#[derive(Debug, Clone)]
pub struct Transformed {
    /// n x m coordinates.
    pub coords: Array2<f64>,
    /// Reconstruction R2 of the standardized data from the space (1 for the z-scores).
    pub r2: f64,
    /// The tensor train of `tt:`/`tt-cell:`.
    pub tt: Option<TtOutcome>,
}

/// Bytes that a reduction adds to the memory plan ([`crate::pipeline::memory::plan`]), beyond
/// what every run holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReductionMemory {
    /// Per selected cell: its coordinates (`8 m`) and any working copies of the z-scores.
    pub per_cell: u64,
    /// Per cell of the output window (a dense grid tensor).
    pub per_window_cell: u64,
}

/// A reduction of the z-scores to the space the clustering runs in.
pub trait Reduction {
    /// `--reduce` as the run spells it.
    fn spec(&self) -> Reduce;

    /// Dimensions of the space for `d` standardized variables (before any rank truncation).
    fn dims(&self, d: usize) -> usize;

    /// Human description of the space, for score labels.
    fn describe(&self) -> String;

    /// Train what the reduction learns from the data (only the VAE does); notes on how it
    /// trained at this size go to `notes`.
    fn train(
        &self,
        cfg: &RunConfig,
        prepared: &Prepared,
        progress: bool,
        notes: &mut Vec<String>,
    ) -> Result<Option<VaeOutcome>> {
        let _ = (cfg, prepared, progress, notes);
        Ok(None)
    }

    /// Fit (PCA, the tensor train: cheap and deterministic) and transform every selected
    /// cell, given what [`Reduction::train`] trained or what was restored from a run folder.
    fn transform(&self, prepared: &Prepared, trained: Option<&VaeOutcome>) -> Result<Transformed>;

    /// What the reduction adds to the memory plan for `d` variables.
    fn memory(&self, d: u64) -> ReductionMemory {
        ReductionMemory {
            per_cell: 8 * self.dims(d as usize) as u64,
            per_window_cell: 0,
        }
    }

    /// Numbers that represent the `n x d` z-scores in the space (the study's comparison);
    /// `None` where they are not counted (the VAE's decoder).
    fn n_params(&self, space: &Space, n: usize, d: usize) -> Option<usize>;

    /// What a stability analysis repeats in this space (fitted once, clustered N times).
    fn stability_note(&self) -> &'static str;
}

/// The reduction of `reduce`.
pub fn reduction(reduce: Reduce) -> Box<dyn Reduction> {
    match reduce {
        Reduce::None => Box::new(Standardized),
        Reduce::Pca(n) => Box::new(PrincipalComponents { n }),
        Reduce::Vae(n) => Box::new(VaeLatent { n }),
        Reduce::Tt(r1, r2) => Box::new(TtWindow { r1, r2 }),
        Reduce::TtCell(r1, r2) => Box::new(TtCells { r1, r2 }),
    }
}

/// No reduction: the standardized variables.
pub struct Standardized;

impl Reduction for Standardized {
    fn spec(&self) -> Reduce {
        Reduce::None
    }
    fn dims(&self, d: usize) -> usize {
        d
    }
    fn describe(&self) -> String {
        "standardized variables (z-scores)".into()
    }
    fn transform(&self, prepared: &Prepared, _: Option<&VaeOutcome>) -> Result<Transformed> {
        Ok(Transformed {
            coords: prepared.z.clone(),
            r2: 1.0,
            tt: None,
        })
    }
    fn n_params(&self, _: &Space, n: usize, d: usize) -> Option<usize> {
        Some(n * d)
    }
    fn stability_note(&self) -> &'static str {
        "standardized variables clustered N times"
    }
}

/// The first `n` principal components of the z-scores (Pearson 1901; scikit-learn's `PCA`).
pub struct PrincipalComponents {
    pub n: usize,
}

impl Reduction for PrincipalComponents {
    fn spec(&self) -> Reduce {
        Reduce::Pca(self.n)
    }
    fn dims(&self, _: usize) -> usize {
        self.n
    }
    fn describe(&self) -> String {
        format!("first {} principal components of the z-scores", self.n)
    }
    fn transform(&self, prepared: &Prepared, _: Option<&VaeOutcome>) -> Result<Transformed> {
        let z = prepared.z.view();
        let d = z.ncols();
        if self.n > d {
            return Err(option_error(
                "--reduce",
                format!("pca:{}: the data have only {d} variables", self.n),
            ));
        }
        // With --weights area the axes are those of the area-weighted covariance.
        let weights = prepared.weights.as_ref().map(|w| w.view());
        let pca = PcaParams::new(self.n).build()?.fit_weighted(z, weights)?;
        Ok(Transformed {
            coords: pca.transform(z)?,
            r2: pca.reconstruction(z)?.r2,
            tt: None,
        })
    }
    /// Scores, axes and mean: `n k + k d + d`.
    fn n_params(&self, _: &Space, n: usize, d: usize) -> Option<usize> {
        Some(n * self.n + self.n * d + d)
    }
    fn stability_note(&self) -> &'static str {
        "PCA fitted once on all cells; its scores clustered N times"
    }
}

/// The `n`-D latent means of a VAE (Kingma & Welling 2014) trained on the z-scores.
pub struct VaeLatent {
    pub n: usize,
}

impl Reduction for VaeLatent {
    fn spec(&self) -> Reduce {
        Reduce::Vae(self.n)
    }
    fn dims(&self, _: usize) -> usize {
        self.n
    }
    fn describe(&self) -> String {
        format!("{}-D VAE latent means of the z-scores", self.n)
    }

    /// Above `ScaleSettings::vae_train_max` cells the VAE trains on that many cells drawn at
    /// random (ChaCha8 from the run's seed, in grid order) and then encodes every cell.
    fn train(
        &self,
        cfg: &RunConfig,
        prepared: &Prepared,
        progress: bool,
        notes: &mut Vec<String>,
    ) -> Result<Option<VaeOutcome>> {
        let z = prepared.z.view();
        let subset = training_subset(z.nrows(), cfg.scale.vae_train_max, cfg.seed);
        let mut outcome = match &subset {
            None => super::vae::train(cfg, z, self.n, progress)?,
            Some(rows) => {
                notes.push(format!(
                    "the VAE trained on {} of the {} cells, drawn at random (--vae-train-max), and encoded all of them",
                    rows.len(),
                    z.nrows()
                ));
                let sub = z.select(Axis(0), rows);
                super::vae::train(cfg, sub.view(), self.n, progress)?
            }
        };
        // Saved with the model so `landclust encode` standardizes other files the same way.
        outcome.model.set_normalization(crate::reduce::vae::Normalization {
            variables: prepared.scaler.names.clone(),
            mean: prepared.scaler.mean.to_vec(),
            std: prepared.scaler.std.to_vec(),
        })?;
        Ok(Some(outcome))
    }

    /// Latent means of every cell; R2 of the decoded means on all cells.
    fn transform(&self, prepared: &Prepared, trained: Option<&VaeOutcome>) -> Result<Transformed> {
        let Some(outcome) = trained else {
            return Err(option_error("--reduce", format!("{}: no trained VAE", self.spec())));
        };
        let z = prepared.z.view();
        Ok(Transformed {
            coords: outcome.model.encode_mean(z)?,
            r2: outcome.model.r2(z)?,
            tt: None,
        })
    }
    fn n_params(&self, _: &Space, _: usize, _: usize) -> Option<usize> {
        None
    }
    fn stability_note(&self) -> &'static str {
        "VAE trained once (run seed); its latent means clustered N times: the spread leaves out the VAE's own training variability"
    }
}

/// Tensor train of the (latitude, longitude, variable) z-score tensor over the output window
/// ([`super::tt`]); each cell embedded in R2 dimensions.
pub struct TtWindow {
    pub r1: usize,
    pub r2: usize,
}

impl Reduction for TtWindow {
    fn spec(&self) -> Reduce {
        Reduce::Tt(self.r1, self.r2)
    }
    fn dims(&self, _: usize) -> usize {
        self.r2
    }
    fn describe(&self) -> String {
        format!(
            "TT-ranks ({}, {}) cell embeddings of the z-score tensor",
            self.r1, self.r2
        )
    }
    fn transform(&self, prepared: &Prepared, _: Option<&VaeOutcome>) -> Result<Transformed> {
        let (coords, r2, outcome) = super::tt::reduce_window(prepared, self.r1, self.r2)?;
        Ok(Transformed {
            coords,
            r2,
            tt: Some(outcome),
        })
    }
    /// The dense window tensor is held as the data, its known-entry mask, the filled copy, the
    /// TT-SVD's working copy and the reconstruction (`4 x 8 d + d`), plus the embedding of every
    /// window cell (`8 R2`).
    fn memory(&self, d: u64) -> ReductionMemory {
        ReductionMemory {
            per_cell: 8 * self.r2 as u64,
            per_window_cell: 33 * d + 8 * self.r2 as u64,
        }
    }
    fn n_params(&self, space: &Space, _: usize, _: usize) -> Option<usize> {
        space.tt.as_ref().map(|t| t.n_params)
    }
    fn stability_note(&self) -> &'static str {
        "tensor train fitted once on the window; its cell embeddings clustered N times"
    }
}

/// Tensor train of the (cell, variable, month) z-score tensor of series variables
/// ([`super::tt::reduce_cells`]); each cell embedded in R1 dimensions.
pub struct TtCells {
    pub r1: usize,
    pub r2: usize,
}

impl Reduction for TtCells {
    fn spec(&self) -> Reduce {
        Reduce::TtCell(self.r1, self.r2)
    }
    fn dims(&self, _: usize) -> usize {
        self.r1
    }
    fn describe(&self) -> String {
        format!(
            "TT-ranks ({}, {}) cell embeddings of the (cell, variable, month) z-score tensor",
            self.r1, self.r2
        )
    }
    fn transform(&self, prepared: &Prepared, _: Option<&VaeOutcome>) -> Result<Transformed> {
        let (coords, r2, outcome) = super::tt::reduce_cells(prepared, self.r1, self.r2)?;
        Ok(Transformed {
            coords,
            r2,
            tt: Some(outcome),
        })
    }
    /// The (month, variable, cell) tensor, TT-SVD's working copy and its first projection:
    /// three more copies of the z-scores (`24 d`) beside the embedding (`8 R1`).
    fn memory(&self, d: u64) -> ReductionMemory {
        ReductionMemory {
            per_cell: 8 * self.r1 as u64 + 24 * d,
            per_window_cell: 0,
        }
    }
    fn n_params(&self, space: &Space, _: usize, _: usize) -> Option<usize> {
        space.tt.as_ref().map(|t| t.n_params)
    }
    fn stability_note(&self) -> &'static str {
        "tensor train fitted once on the selected cells; its cell embeddings clustered N times"
    }
}

/// The space the clustering runs in.
#[derive(Debug, Clone)]
pub struct Space {
    pub reduce: Reduce,
    /// n x m coordinates (z-scores, PCA scores or VAE latent means).
    pub coords: Array2<f64>,
    /// PCA fitted on all components of the z-scores (for figures), always present.
    pub pca_full: Pca,
    /// Reconstruction R2 of the reduction in the standardized space (1 for none).
    pub r2: f64,
    pub vae: Option<VaeOutcome>,
    /// The tensor train of `tt:R1,R2` or `tt-cell:R1,R2`.
    pub tt: Option<TtOutcome>,
    /// How the space was made at this size (e.g. the VAE's training subset), for metrics.json.
    pub notes: Vec<String>,
}

impl Space {
    /// Human description of the space, for score labels.
    pub fn describe(&self) -> String {
        reduction(self.reduce).describe()
    }
}

/// Reduce the z-scores as configured ([`super::reductions`]), training the VAE for `vae:N`.
pub fn reduce(cfg: &RunConfig, prepared: &Prepared, progress: bool) -> Result<Space> {
    let mut notes = Vec::new();
    let vae = reduction(cfg.reduce).train(cfg, prepared, progress, &mut notes)?;
    let mut space = space_from(cfg.reduce, prepared, vae)?;
    space.notes = notes;
    Ok(space)
}

/// `max` row indices of `0..n` drawn without replacement, sorted; `None` when `n <= max`.
pub fn training_subset(n: usize, max: usize, seed: u64) -> Option<Vec<usize>> {
    use rand::SeedableRng;
    if n <= max {
        return None;
    }
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_7a1e);
    let mut rows = rand::seq::index::sample(&mut rng, n, max).into_vec();
    rows.sort_unstable();
    Some(rows)
}

/// The clustering space for `reduce`, given the trained VAE when `reduce` is `vae:N`.
pub fn space_from(reduce: Reduce, prepared: &Prepared, vae: Option<VaeOutcome>) -> Result<Space> {
    let z = prepared.z.view();
    let pca_full = PcaParams::new(z.ncols()).build()?.fit(z)?;
    let transformed = reduction(reduce).transform(prepared, vae.as_ref())?;
    Ok(Space {
        reduce,
        coords: transformed.coords,
        pca_full,
        r2: transformed.r2,
        vae,
        tt: transformed.tt,
        notes: Vec::new(),
    })
}

#[cfg(test)]
#[path = "reductions_tests.rs"]
mod tests;
