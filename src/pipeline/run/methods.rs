//! The one place where a run's settings become a clustering method: `run`, `stability`,
//! `assign` and the study all build their method here, so they cluster the same way at every
//! size (the scale switches of [`crate::pipeline::config::ScaleSettings`] apply to all of them).
//!
//! A new method is one type implementing [`Clusterer`] (in `src/cluster/`) and one arm in
//! [`clusterer`].

use crate::cluster::gmm::GmmMethod;
use crate::cluster::method::{Clusterer, DeepMethod, KMeansMethod, WardMethod};
use crate::cluster::ward_contiguous::{Adjacency, Neighbourhood};
use crate::cluster::ward_contiguous_method::ContiguousWardMethod;
use crate::dataset::{CellTable, Grid};
use crate::error::Result;
use crate::pipeline::config::{Method, RunConfig};
use std::sync::Arc;

/// The clustering method of `cfg` (its `--method` with the run's settings: restarts, scale
/// switches, the deep methods' training options, validated here).
pub fn clusterer(cfg: &RunConfig) -> Result<Box<dyn Clusterer>> {
    Ok(match cfg.method {
        Method::Kmeans | Method::MiniBatchKmeans => Box::new(KMeansMethod {
            n_init: cfg.n_init,
            minibatch: cfg.method == Method::MiniBatchKmeans,
            minibatch_above: cfg.scale.minibatch_above,
            sample_above: cfg.scale.kmeans_sample_above,
            exact_memory: exact_kmeans_memory(cfg),
        }),
        Method::Ward if cfg.contiguous.is_some() => Box::new(contiguous_ward(cfg)),
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

/// The clustering method of `cfg` for the rows of `table` (one row per cell, in the table's
/// order): [`clusterer`], with contiguous Ward given the cells' grid adjacency.
pub fn clusterer_for_cells(cfg: &RunConfig, table: &CellTable) -> Result<Box<dyn Clusterer>> {
    if cfg.method != Method::Ward || cfg.contiguous.is_none() {
        return clusterer(cfg);
    }
    let mut method = contiguous_ward(cfg);
    method.adjacency = Some(Arc::new(cell_adjacency(cfg, table)?));
    Ok(Box::new(method))
}

/// Which rows of `table` touch on the grid under `cfg`'s `--neighbours` (4 when not
/// contiguous), longitude wrapping at the dateline on a global grid.
pub fn cell_adjacency(cfg: &RunConfig, table: &CellTable) -> Result<Adjacency> {
    let positions: Vec<(usize, usize)> = table.cells.iter().map(|c| (c.row, c.col)).collect();
    Ok(Adjacency::grid(
        &positions,
        table.grid.n_cols,
        neighbourhood(cfg),
        wraps_dateline(&table.grid),
    )
    .map_err(crate::cluster::method::MethodError::from)?)
}

/// Contiguous Ward with `cfg`'s neighbours, cut height and smallest region, without the rows'
/// adjacency.
fn contiguous_ward(cfg: &RunConfig) -> ContiguousWardMethod {
    let mut method = ContiguousWardMethod::new(neighbourhood(cfg));
    method.cut_height = cfg.cut_height;
    method.min_region_cells = cfg.min_region_cells;
    method
}

fn neighbourhood(cfg: &RunConfig) -> Neighbourhood {
    if cfg.contiguous == Some(8) {
        Neighbourhood::Eight
    } else {
        Neighbourhood::Four
    }
}

/// Whether the first and last columns of `grid` touch across the dateline: a longitude grid
/// (not projected) whose columns span 360 degrees, within half a column.
pub fn wraps_dateline(grid: &Grid) -> bool {
    if grid.projection.is_some() || grid.n_cols < 3 {
        return false;
    }
    let (first, last) = (grid.lon[0], grid.lon[grid.n_cols - 1]);
    let step = (last - first) / (grid.n_cols - 1) as f64;
    ((step * grid.n_cols as f64).abs() - 360.0).abs() < 0.5 * step.abs()
}

/// Bytes exact K-Means may hold: half the run's memory limit (`--max-memory`, else
/// [`crate::pipeline::memory::DEFAULT_SHARE`] of the machine), the other half being left to
/// what the memory plan counts for every method (table, z-scores, labels, outputs; a few
/// hundred bytes per cell). Mini-batch K-Means takes over above it.
pub fn exact_kmeans_memory(cfg: &RunConfig) -> u64 {
    let limit = cfg
        .max_memory
        .map(crate::pipeline::config::MemoryLimit::bytes)
        .unwrap_or_else(|| {
            (crate::pipeline::memory::machine_memory() as f64 * crate::pipeline::memory::DEFAULT_SHARE) as u64
        });
    limit / 2
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
