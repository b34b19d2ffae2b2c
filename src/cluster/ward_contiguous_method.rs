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
use super::ward_contiguous_regions::{clusters_at_height, merge_small_regions};
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
    /// Cut the tree at this height rather than at `k` (`--cut-height`; see
    /// [`clusters_at_height`]): the `k` a fit is given is then ignored.
    pub cut_height: Option<f64>,
    /// After the cut, merge every region with fewer cells into its most similar neighbour
    /// (`--min-region-cells`; see [`merge_small_regions`]).
    pub min_region_cells: Option<usize>,
}

impl ContiguousWardMethod {
    /// The method without its rows' adjacency (enough for the memory plan).
    pub fn new(neighbourhood: Neighbourhood) -> Self {
        ContiguousWardMethod {
            neighbourhood,
            adjacency: None,
            join: ContiguousWardParams::new().join_rule(),
            cut_height: None,
            min_region_cells: None,
        }
    }

    /// The full constrained tree of `x`.
    pub fn tree(&self, x: ArrayView2<f64>) -> Result<ContiguousTree, ClusterError> {
        ContiguousWardParams::new().join(self.join).fit(x, self.adjacency()?)
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

    /// The regions of `tree` cut at `k` (or at the cut height), small regions merged.
    fn fit_of(&self, x: ArrayView2<f64>, tree: &ContiguousTree, k: usize) -> Result<ClusterFit, ClusterError> {
        let mut diagnostics = vec![
            ("components".into(), tree.n_components as f64),
            ("unconstrained_merges".into(), tree.unconstrained_merges as f64),
        ];
        let mut notes = Vec::new();
        let k = match self.cut_height {
            Some(h) => {
                let k = clusters_at_height(&tree.tree, h)?;
                diagnostics.push(("cut_height".into(), h));
                diagnostics.push(("regions_at_cut_height".into(), k as f64));
                notes.push(format!(
                    "contiguous ward: the cut at height {h} (merges of Ward height >= {h} undone, as scikit-learn's distance_threshold) gives {k} regions"
                ));
                k
            }
            None => k,
        };
        let mut labels = tree.tree.cut(k)?;
        if let Some(min_cells) = self.min_region_cells {
            let adjacency = self.adjacency()?;
            let merged = merge_small_regions(x, adjacency, &labels, min_cells)?;
            diagnostics.push(("small_regions_merged".into(), merged.merged as f64));
            let isolated = if merged.isolated_small > 0 {
                format!(
                    "; {} smaller regions touch no other region (islands) and stay",
                    merged.isolated_small
                )
            } else {
                String::new()
            };
            notes.push(format!(
                "contiguous ward: {} of the {k} regions had fewer than {min_cells} cells and were merged into their most similar neighbour, leaving {} regions{isolated}",
                merged.merged, merged.regions
            ));
            labels = merged.labels;
        }
        Ok(ClusterFit {
            labels,
            diagnostics,
            scale_note: self.components_note(tree),
            notes,
            ..ClusterFit::default()
        })
    }

    fn adjacency(&self) -> Result<&Adjacency, ClusterError> {
        self.adjacency.as_deref().ok_or_else(|| {
            ClusterError::Invalid(
                "--contiguous: ward needs the grid position of every clustered cell; this command clusters rows without them".into(),
            )
        })
    }
}

impl Clusterer for ContiguousWardMethod {
    fn name(&self) -> &str {
        "ward"
    }

    fn fit(&self, x: ArrayView2<f64>, k: usize, _seed: u64) -> Result<ClusterFit, MethodError> {
        let tree = self.tree(x)?;
        let mut fit = self.fit_of(x, &tree, k)?;
        fit.tree = Some(tree.tree);
        Ok(fit)
    }

    fn fit_each_k(&self, x: ArrayView2<f64>, ks: &[usize], _seed: u64) -> Result<Vec<ClusterFit>, MethodError> {
        let tree = self.tree(x)?;
        ks.iter().map(|&k| Ok(self.fit_of(x, &tree, k)?)).collect()
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
