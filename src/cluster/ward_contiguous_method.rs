//! Contiguous Ward as a clustering method (`--method ward --contiguous`): the [`Clusterer`] of
//! [`super::ward_contiguous`], exact at every size (the algorithm is O(n log n), so unlike
//! unconstrained Ward it never switches to micro-clusters).
//!
//! A clusterer sees only the rows of its matrix; contiguity needs where each row lies on the
//! grid, so the pipeline hands the rows' [`Adjacency`] over when it builds the method for a
//! table of cells ([`ContiguousWardMethod::adjacency`]). A command that clusters rows without
//! grid positions (resampled rows) gets an error rather than unconstrained Ward.

use super::ClusterError;
use super::method::{ClusterFit, Clusterer, MethodError};
use super::ward_contiguous::{Adjacency, ComponentJoin, ContiguousTree, ContiguousWardParams, Neighbourhood};
use ndarray::ArrayView2;
use std::sync::Arc;

/// Ward restricted to merges of neighbouring cells and regions.
#[derive(Debug, Clone)]
pub struct ContiguousWardMethod {
    /// Which grid cells touch (`--neighbours 4|8`).
    pub neighbourhood: Neighbourhood,
    /// The neighbours of each row, from the cells' grid positions; `None` until the pipeline
    /// sets it.
    pub adjacency: Option<Arc<Adjacency>>,
    /// How separate components (islands) are joined.
    pub join: ComponentJoin,
}

impl ContiguousWardMethod {
    /// The method without its rows' adjacency (enough for the memory plan).
    pub fn new(neighbourhood: Neighbourhood) -> Self {
        ContiguousWardMethod {
            neighbourhood,
            adjacency: None,
            join: ContiguousWardParams::new().join_rule(),
        }
    }

    /// The full constrained tree of `x`.
    pub fn tree(&self, x: ArrayView2<f64>) -> Result<ContiguousTree, ClusterError> {
        let adjacency = self.adjacency.as_deref().ok_or_else(|| {
            ClusterError::Invalid(
                "--contiguous: ward needs the grid position of every clustered cell; this command clusters rows without them".into(),
            )
        })?;
        ContiguousWardParams::new().join(self.join).fit(x, adjacency)
    }

    /// What the tree says about separate components, for the run's notes.
    pub fn components_note(&self, tree: &ContiguousTree) -> Option<String> {
        let c = tree.n_components;
        let cells = tree.tree.n_points;
        let k = match self.neighbourhood {
            Neighbourhood::Four => 4,
            Neighbourhood::Eight => 8,
        };
        match tree.joined_by? {
            ComponentJoin::NearestPoints => Some(format!(
                "contiguous ward: the {cells} cells form {c} separate pieces under {k}-neighbour adjacency; as scikit-learn does, every pair of pieces was joined by one edge between its two most similar cells before the tree was built, so a region may span pieces joined this way"
            )),
            _ => Some(format!(
                "contiguous ward: the {cells} cells form {c} separate pieces under {k}-neighbour adjacency; each piece's tree was built under the constraint, then the pieces were merged by unconstrained Ward on their centroids (the last {} merges), so at k >= {c} every region is connected",
                tree.unconstrained_merges
            )),
        }
    }

    fn fit_of(&self, tree: &ContiguousTree, labels: Vec<usize>, with_tree: bool) -> ClusterFit {
        ClusterFit {
            labels,
            diagnostics: vec![
                ("components".into(), tree.n_components as f64),
                ("unconstrained_merges".into(), tree.unconstrained_merges as f64),
            ],
            scale_note: self.components_note(tree),
            tree: with_tree.then(|| tree.tree.clone()),
            ..ClusterFit::default()
        }
    }
}

impl Clusterer for ContiguousWardMethod {
    fn name(&self) -> &str {
        "ward"
    }

    fn fit(&self, x: ArrayView2<f64>, k: usize, _seed: u64) -> Result<ClusterFit, MethodError> {
        let tree = self.tree(x)?;
        let labels = tree.tree.cut(k)?;
        let mut fit = self.fit_of(&tree, labels, false);
        fit.tree = Some(tree.tree);
        Ok(fit)
    }

    fn fit_each_k(&self, x: ArrayView2<f64>, ks: &[usize], _seed: u64) -> Result<Vec<ClusterFit>, MethodError> {
        let tree = self.tree(x)?;
        ks.iter()
            .map(|&k| Ok(self.fit_of(&tree, tree.tree.cut(k)?, false)))
            .collect()
    }

    fn is_seeded(&self) -> bool {
        false
    }

    /// The tree's state per cell beyond the clustering space: its own copy of the rows (`8 m`),
    /// the adjacency, the heap of candidate merges (at most twice its live entries), the
    /// neighbour lists, union-find and slot indices and the linkage rows.
    fn extra_bytes_per_row(&self, m: usize, _k: usize) -> u64 {
        let neighbours: u64 = match self.neighbourhood {
            Neighbourhood::Four => 4,
            Neighbourhood::Eight => 8,
        };
        8 * m as u64 + 160 + 24 * neighbours
    }
}

#[cfg(test)]
#[path = "ward_contiguous_method_tests.rs"]
mod tests;
