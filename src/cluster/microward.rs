//! Ward clustering of millions of points through micro-clusters (two-stage clustering as in
//! BIRCH, Zhang et al. 1996, and scikit-learn's `Birch(n_clusters=AgglomerativeClustering)`).
//!
//! 1. The points are cut into `m` micro-clusters (default [`DEFAULT_MICRO`] = 2000) by
//!    mini-batch K-Means ([`super::minibatch`]: one restart, no full-data Lloyd steps, then the
//!    assignment of every point to its nearest centre). Mini-batch because its cost barely
//!    grows with `m` (k-means++ runs on a subset of `3 * batch_size` points, at least `3 m`);
//!    only the final assignment scans all points against all `m` centres. Micro-clusters left
//!    empty by the final assignment are dropped.
//! 2. EXACT Ward on the micro-cluster centroids, weighted by their sizes
//!    ([`WardParams::fit_weighted`]): clusters `a`, `b` of sizes `n_a`, `n_b` and centroids
//!    `c_a`, `c_b` are at `sqrt(2 n_a n_b / (n_a + n_b)) * ||c_a - c_b||`, scipy's Ward height
//!    when all sizes are 1. This is Ward's method on the points under the constraint that a
//!    micro-cluster is never split.
//!
//! With a weight per point ([`MicroWardParams::fit_weighted`], `--weights area`) the
//! micro-clusters come from the weighted mini-batch K-Means and enter Ward with the sums of
//! their points' weights and their weighted centroids.
//!
//! With `n <= m` there is nothing to compress: every point is its own micro-cluster and the
//! tree is the exact Ward tree of the points.
//!
//! Memory: O(n) labels plus the K-Means working copy of the data; the tree is O(m).

use ndarray::{Array2, ArrayView1, ArrayView2};

use super::ClusterError;
use super::minibatch::MiniBatchKMeansParams;
use super::ward::{Dendrogram, WardParams, WardTree};

/// Default number of micro-clusters.
pub const DEFAULT_MICRO: usize = 2000;

/// Parameters of [`MicroWard`]: `micro` micro-clusters (default [`DEFAULT_MICRO`]), the
/// mini-batch K-Means seed (default 42) and batch size (default 4096).
#[derive(Debug, Clone, PartialEq)]
pub struct MicroWardParams {
    micro: usize,
    seed: u64,
    batch_size: usize,
    serial: bool,
}

impl Default for MicroWardParams {
    fn default() -> Self {
        Self::new()
    }
}

impl MicroWardParams {
    /// Default parameters.
    pub fn new() -> Self {
        Self {
            micro: DEFAULT_MICRO,
            seed: 42,
            batch_size: 4096,
            serial: false,
        }
    }
    /// Number of micro-clusters `m` (at least 2).
    pub fn micro(mut self, micro: usize) -> Self {
        self.micro = micro;
        self
    }
    /// Seed of the micro-clustering.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// Mini-batch size of the micro-clustering.
    pub fn batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = batch_size;
        self
    }
    /// Single-threaded Ward search (same result either way).
    pub fn serial(mut self, serial: bool) -> Self {
        self.serial = serial;
        self
    }

    /// Checks the options that do not depend on the data.
    pub fn build(self) -> Result<Self, ClusterError> {
        if self.micro < 2 {
            return Err(ClusterError::BadKMeansOption {
                option: "micro",
                value: self.micro.to_string(),
                message: "must be at least 2",
            });
        }
        self.kmeans(self.micro).build()?;
        Ok(self)
    }

    fn kmeans(&self, k: usize) -> MiniBatchKMeansParams {
        MiniBatchKMeansParams::new(k)
            .n_init(1)
            .refine_iter(0)
            .seed(self.seed)
            .batch_size(self.batch_size)
    }

    /// Micro-clusters of the rows of `x` (n x d), then the weighted Ward tree over them.
    pub fn fit(&self, x: ArrayView2<f64>) -> Result<MicroWard, ClusterError> {
        self.fit_weighted(x, None)
    }

    /// [`MicroWardParams::fit`] with a weight per row (`--weights area`): the micro-clusters
    /// are those of the weighted mini-batch K-Means
    /// ([`MiniBatchKMeansParams::fit_weighted`]), each micro-cluster's centroid is the
    /// weighted mean of its rows and its initial Ward weight the sum of their weights
    /// ([`WardParams::fit_real_weighted_counted`]), so a merge costs the increase of
    /// `sum_i w_i ||x_i - c||^2` over the rows, as exact weighted Ward
    /// ([`WardParams::fit_real_weighted`], which runs when `n <= micro`). `sizes` and the
    /// linkage's `size` column still count rows. `None` is [`MicroWardParams::fit`].
    pub fn fit_weighted(
        &self,
        x: ArrayView2<f64>,
        weights: Option<ArrayView1<f64>>,
    ) -> Result<MicroWard, ClusterError> {
        let params = self.clone().build()?;
        let ward = WardParams::new().serial(params.serial);
        ward.check(x)?;
        let n = x.nrows();
        if let Some(w) = weights {
            super::kmeans::check_weights(w, n)?;
        }
        // All weights 1 are the unweighted fit, to the bit.
        let weights = super::kmeans::drop_unit_weights(weights);
        if n <= params.micro {
            let tree = match weights {
                None => ward.fit(x)?,
                Some(w) => ward.fit_real_weighted(x, &w.to_vec())?,
            };
            return Ok(MicroWard {
                labels: (0..n).collect(),
                centers: x.to_owned(),
                sizes: vec![1; n],
                micro_inertia: 0.0,
                exact: true,
                tree,
            });
        }
        let km = params.kmeans(params.micro).fit_weighted(x, weights)?;
        let mut sizes = vec![0usize; params.micro];
        km.labels.iter().for_each(|&l| sizes[l] += 1);
        // Drop empty micro-clusters, keeping the order of the others.
        let mut new_id = vec![usize::MAX; params.micro];
        let kept: Vec<usize> = (0..params.micro).filter(|&c| sizes[c] > 0).collect();
        kept.iter().enumerate().for_each(|(j, &c)| new_id[c] = j);
        let labels: Vec<usize> = km.labels.iter().map(|&l| new_id[l]).collect();
        let sizes: Vec<usize> = kept.iter().map(|&c| sizes[c]).collect();
        // The centroid of each micro-cluster is the mean of the points assigned to it (not the
        // mini-batch centre, which also remembers points of earlier steps): Ward's cost of a
        // merge is exact for the points only with the true means.
        let mut centers = Array2::<f64>::zeros((kept.len(), x.ncols()));
        if kept.len() < 2 {
            return Err(ClusterError::Invalid(
                "micro-ward: all points fell into one micro-cluster".into(),
            ));
        }
        let tree = match weights {
            None => {
                for (row, &l) in x.outer_iter().zip(&labels) {
                    let mut c = centers.row_mut(l);
                    c += &row;
                }
                for (mut c, &size) in centers.outer_iter_mut().zip(&sizes) {
                    c /= size as f64;
                }
                ward.fit_weighted(centers.view(), &sizes)?
            }
            Some(w) => {
                let mut totals = vec![0.0; kept.len()];
                for ((row, &l), &wi) in x.outer_iter().zip(&labels).zip(w) {
                    totals[l] += wi;
                    centers.row_mut(l).scaled_add(wi, &row);
                }
                for (mut c, &total) in centers.outer_iter_mut().zip(&totals) {
                    c /= total;
                }
                ward.fit_real_weighted_counted(centers.view(), &totals, &sizes)?
            }
        };
        Ok(MicroWard {
            labels,
            centers,
            sizes,
            micro_inertia: km.inertia,
            exact: false,
            tree,
        })
    }
}

/// Ward tree over micro-clusters, with the micro-cluster of every point.
#[derive(Debug, Clone)]
pub struct MicroWard {
    /// Micro-cluster of each point (`0..m`).
    pub labels: Vec<usize>,
    /// Micro-cluster centroids (m x d), in the units of the input.
    pub centers: Array2<f64>,
    /// Points per micro-cluster (all >= 1).
    pub sizes: Vec<usize>,
    /// Within-micro-cluster sum of squares (the K-Means inertia; 0 when `exact`).
    pub micro_inertia: f64,
    /// Whether every point is its own micro-cluster (`n <= micro`): the exact Ward tree.
    pub exact: bool,
    /// Weighted Ward tree over the micro-clusters (leaves `0..m`; a linkage row's `size`
    /// counts points). Its own helpers work on it; `cut` labels micro-clusters, not points.
    pub tree: WardTree,
}

impl MicroWard {
    /// Number of micro-clusters (leaves of the tree).
    pub fn n_micro(&self) -> usize {
        self.sizes.len()
    }

    /// Labels `0..k` of every POINT after cutting the tree into `k` clusters (numbered by
    /// their first micro-cluster, as [`WardTree::cut`]). `k` must be in `1..=m`.
    pub fn cut(&self, k: usize) -> Result<Vec<usize>, ClusterError> {
        let micro = self.tree.cut(k)?;
        Ok(self.labels.iter().map(|&l| micro[l]).collect())
    }

    /// Labels of every point for the clusters formed by all merges of height `<= h`.
    pub fn cut_height(&self, h: f64) -> Result<Vec<usize>, ClusterError> {
        let micro = self.tree.cut_height(h)?;
        Ok(self.labels.iter().map(|&l| micro[l]).collect())
    }

    /// [`WardTree::dendrogram_last_p`] of the micro-cluster tree with the leaf counts in
    /// points (a leaf that is a single micro-cluster counts its points, not 1).
    pub fn dendrogram_last_p(&self, p: usize) -> Result<Dendrogram, ClusterError> {
        let mut den = self.tree.dendrogram_last_p(p)?;
        let m = self.sizes.len();
        for leaf in &mut den.leaves {
            leaf.count = match leaf.cluster.checked_sub(m) {
                None => self.sizes[leaf.cluster],
                Some(row) => self.tree.linkage.get(row).map_or(leaf.count, |r| r.size),
            };
        }
        Ok(den)
    }
}

#[cfg(test)]
#[path = "microward_tests.rs"]
mod tests;
