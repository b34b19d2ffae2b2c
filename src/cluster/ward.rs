//! Ward hierarchical clustering of all points, exact, in O(n d) memory; optionally of weighted
//! points ([`WardParams::fit_weighted`], used on micro-clusters by `microward`).
//!
//! Ward's method (Ward 1963) merges at each step the two clusters whose union increases the
//! within-cluster sum of squares the least. With centroids `c` and sizes `|A|`, the merge
//! height reported (as by `scipy.cluster.hierarchy.linkage(X, "ward")`) is
//!
//! `d(A, B) = sqrt(2 |A| |B| / (|A| + |B|)) * ||c_A - c_B||`.
//!
//! Ward's distance is reducible, so the nearest-neighbour chain algorithm (Murtagh 1983;
//! Müllner 2011, "Modern hierarchical, agglomerative clustering algorithms", arXiv:1109.2378)
//! gives the same tree as the greedy algorithm while storing only centroids and sizes.
//! The nearest-neighbour search, the hot loop, scans the active clusters stored in spatially
//! ordered blocks (k-d order, dimension-major inside a block so the distance loop vectorizes)
//! and skips a block when a lower bound from its bounding box exceeds the best distance found.
//! Ties are broken by the smallest point index of the cluster, so the tree is the same on any
//! thread count.

use super::ClusterError;
use crate::par::map_chunks;
use ndarray::ArrayView2;

/// Points per block of active clusters (the unit of pruning and of vectorized distance loops).
const BLOCK: usize = 64;
/// Blocks per super-block (a second, coarser level of bounding boxes).
const SUPER: usize = 16;
/// Blocks per parallel chunk; fixed so the search order never depends on the thread count.
const CHUNK_BLOCKS: usize = 4 * SUPER;
/// Below this many blocks the search runs on one thread (rayon overhead would dominate).
const PAR_MIN_BLOCKS: usize = 256;
/// Relative slack on pruning bounds so that rounding can never prune the true neighbour.
const BOUND_SLACK: f64 = 1.0 - 1e-12;

/// Parameters of Ward clustering; `fit` validates the data.
#[derive(Debug, Clone, Default)]
pub struct WardParams {
    serial: bool,
}

impl WardParams {
    /// Default parameters (parallel nearest-neighbour search).
    pub fn new() -> Self {
        Self::default()
    }

    /// Force a single-threaded search (the result is identical either way).
    pub fn serial(mut self, serial: bool) -> Self {
        self.serial = serial;
        self
    }

    /// Validate the parameters (all settings are valid; the data are checked by `fit`).
    pub fn build(self) -> Result<Self, ClusterError> {
        Ok(self)
    }

    /// Check that `x` has at least two rows, at least one column and only finite values.
    pub fn check(&self, x: ArrayView2<f64>) -> Result<(), ClusterError> {
        let (n, d) = x.dim();
        if n == 0 || d == 0 {
            return Err(ClusterError::EmptyData);
        }
        if n < 2 {
            return Err(ClusterError::Invalid(format!("ward: needs at least 2 points, got {n}")));
        }
        if n >= u32::MAX as usize {
            return Err(ClusterError::Invalid(format!("ward: too many points ({n})")));
        }
        for ((row, column), v) in x.indexed_iter() {
            if !v.is_finite() {
                return Err(ClusterError::NonFinite { row, column });
            }
        }
        Ok(())
    }

    /// Build the full Ward tree of the rows of `x` (n x d).
    pub fn fit(&self, x: ArrayView2<f64>) -> Result<WardTree, ClusterError> {
        self.fit_inner(x, None)
    }

    /// Build the Ward tree of weighted points: row i of `x` stands for `weights[i] >= 1`
    /// identical points (or is the centroid of a cluster of that many points, e.g. a
    /// micro-cluster). The chain starts from clusters of sizes `n_i = weights[i]`, so every
    /// height is `sqrt(2 n_a n_b / (n_a + n_b)) * ||c_a - c_b||` with the weighted sizes and
    /// centroids (the Lance-Williams update of Ward's distance with initial sizes); with all
    /// weights 1 the tree is bit-identical to [`WardParams::fit`]. The heights equal those of
    /// the merges above the duplicates in the unweighted tree of the expanded points. Each
    /// linkage row's `size` is the total weight of the merged cluster (points, not rows); leaves
    /// `0..n` keep their weights outside the tree (see `MicroWard`).
    pub fn fit_weighted(&self, x: ArrayView2<f64>, weights: &[usize]) -> Result<WardTree, ClusterError> {
        if weights.len() != x.nrows() {
            return Err(ClusterError::LengthMismatch {
                what: "ward: data rows and weights",
                left: x.nrows(),
                right: weights.len(),
            });
        }
        if let Some(i) = weights.iter().position(|&w| w == 0) {
            return Err(ClusterError::Invalid(format!("ward: weight of row {i} is 0")));
        }
        let total = weights.iter().try_fold(0usize, |a, &w| a.checked_add(w));
        if total.is_none_or(|t| t as f64 >= 2f64.powi(53)) {
            return Err(ClusterError::Invalid("ward: total weight exceeds 2^53".into()));
        }
        self.fit_inner(x, Some(weights))
    }

    /// The Ward tree of rows with real weights (`--weights area`: each cell by its area): the
    /// chain of [`WardParams::fit_weighted`] started from clusters of sizes `w_i`, so each merge
    /// costs the increase of the weighted within-cluster sum of squares
    /// `sum_i w_i ||x_i - c||^2` (weighted centroids). With all weights 1 the tree is
    /// bit-identical to [`WardParams::fit`]. The linkage's `size` column still counts rows.
    pub fn fit_real_weighted(&self, x: ArrayView2<f64>, weights: &[f64]) -> Result<WardTree, ClusterError> {
        check_real_weights(x.nrows(), weights)?;
        self.fit_sized(x, Some(weights.to_vec()), None)
    }

    /// [`WardParams::fit_real_weighted`] of groups of rows (weighted micro-clusters): row `i`
    /// starts as a cluster of weight `weights[i]` made of `counts[i]` rows, so the linkage's
    /// `size` column counts the rows.
    pub fn fit_real_weighted_counted(
        &self,
        x: ArrayView2<f64>,
        weights: &[f64],
        counts: &[usize],
    ) -> Result<WardTree, ClusterError> {
        if counts.len() != x.nrows() {
            return Err(ClusterError::LengthMismatch {
                what: "ward: data rows and counts",
                left: x.nrows(),
                right: counts.len(),
            });
        }
        check_real_weights(x.nrows(), weights)?;
        self.fit_sized(x, Some(weights.to_vec()), Some(counts))
    }

    fn fit_inner(&self, x: ArrayView2<f64>, weights: Option<&[usize]>) -> Result<WardTree, ClusterError> {
        let sizes = weights.map(|w| w.iter().map(|&v| v as f64).collect());
        self.fit_sized(x, sizes, weights)
    }

    /// The chain from clusters of sizes `sizes` (1 each when `None`); the linkage counts
    /// `counts` points per row (1 each when `None`).
    fn fit_sized(
        &self,
        x: ArrayView2<f64>,
        sizes: Option<Vec<f64>>,
        counts: Option<&[usize]>,
    ) -> Result<WardTree, ClusterError> {
        self.check(x)?;
        let (n, d) = x.dim();
        let rows: Vec<f64> = x.iter().copied().collect();
        let mut chain = NnChain::new(&rows, n, d, !self.serial, sizes);
        let raw = chain.run();
        let linkage = scipy_order(raw, n, counts);
        Ok(WardTree {
            n_points: n,
            linkage,
            nn_searches: chain.nn_searches,
            blocks_scanned: chain.blocks_scanned,
            blocks_pruned: chain.blocks_pruned,
        })
    }
}

/// One merge of the linkage, in scipy's format: clusters `left < right` (points are `0..n`,
/// the cluster formed by row `i` is `n + i`), merge `height` and the `size` of the union.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkageRow {
    pub left: usize,
    pub right: usize,
    pub height: f64,
    pub size: usize,
}

/// A fitted Ward tree: the `n - 1` merges sorted by height, with search diagnostics.
#[derive(Debug, Clone)]
pub struct WardTree {
    pub n_points: usize,
    pub linkage: Vec<LinkageRow>,
    /// Nearest-neighbour searches run by the chain algorithm.
    pub nn_searches: u64,
    /// Blocks whose distances were computed / skipped by the bounding-box bound.
    pub blocks_scanned: u64,
    pub blocks_pruned: u64,
}

impl WardTree {
    /// The linkage as scipy's `Z` rows `[left, right, height, size]`.
    pub fn to_scipy(&self) -> Vec<[f64; 4]> {
        self.linkage
            .iter()
            .map(|r| [r.left as f64, r.right as f64, r.height, r.size as f64])
            .collect()
    }

    /// Labels `0..k` of the `k` clusters left after undoing the last `k - 1` merges (like
    /// scikit-learn's `AgglomerativeClustering(n_clusters=k)`); clusters are numbered by their
    /// first point.
    pub fn cut(&self, k: usize) -> Result<Vec<usize>, ClusterError> {
        let n = self.n_points;
        if k == 0 {
            return Err(ClusterError::ZeroClusters);
        }
        if k > n {
            return Err(ClusterError::TooManyClusters { k, points: n });
        }
        Ok(self.labels_after(n - k))
    }

    /// Labels of the clusters formed by all merges of height `<= h` (scipy `fcluster` with
    /// `criterion="distance"`), numbered by their first point.
    pub fn cut_height(&self, h: f64) -> Result<Vec<usize>, ClusterError> {
        if h.is_nan() {
            return Err(ClusterError::Invalid("ward cut height is NaN".into()));
        }
        let merges = self.linkage.iter().take_while(|r| r.height <= h).count();
        Ok(self.labels_after(merges))
    }

    /// Labels after applying the first `merges` rows of the linkage.
    fn labels_after(&self, merges: usize) -> Vec<usize> {
        let n = self.n_points;
        let mut uf = UnionFind::new(n);
        let mut leaf_of: Vec<usize> = (0..n).collect();
        for row in &self.linkage[..merges] {
            let (a, b) = (leaf_of[row.left], leaf_of[row.right]);
            uf.union(a, b);
            leaf_of.push(a);
        }
        let mut label_of_root = vec![usize::MAX; n];
        let mut next = 0;
        (0..n)
            .map(|i| {
                let root = uf.find(i);
                if label_of_root[root] == usize::MAX {
                    label_of_root[root] = next;
                    next += 1;
                }
                label_of_root[root]
            })
            .collect()
    }

    /// The tree truncated to its last `p - 1` merges (scipy `dendrogram(truncate_mode="lastp")`),
    /// as plain coordinates for plotting. `p` must be in `1..=n`.
    pub fn dendrogram_last_p(&self, p: usize) -> Result<Dendrogram, ClusterError> {
        let n = self.n_points;
        if p == 0 {
            return Err(ClusterError::ZeroClusters);
        }
        if p > n {
            return Err(ClusterError::TooManyClusters { k: p, points: n });
        }
        let first_kept = n - p; // rows before this one are hidden inside leaves
        let size_of = |id: usize| if id < n { 1 } else { self.linkage[id - n].size };
        let mut out = Dendrogram::default();
        // (x, height) of each finished subtree, in post-order, via an explicit stack.
        let mut done: Vec<(f64, f64)> = Vec::new();
        let mut stack = vec![(2 * n - 2, false)];
        if p == 1 || n == 1 {
            stack = vec![];
            let root = if n == 1 { 0 } else { 2 * n - 2 };
            out.leaves.push(DendrogramLeaf {
                cluster: root,
                count: n,
                x: 5.0,
            });
        }
        while let Some((id, expanded)) = stack.pop() {
            let is_leaf = id < n || id - n < first_kept;
            if is_leaf {
                let x = 5.0 + 10.0 * out.leaves.len() as f64;
                out.leaves.push(DendrogramLeaf {
                    cluster: id,
                    count: size_of(id),
                    x,
                });
                done.push((x, 0.0));
            } else if !expanded {
                let row = self.linkage[id - n];
                stack.push((id, true));
                stack.push((row.right, false));
                stack.push((row.left, false));
            } else {
                let row = self.linkage[id - n];
                let (xr, hr) = done.pop().unwrap_or((0.0, 0.0));
                let (xl, hl) = done.pop().unwrap_or((0.0, 0.0));
                out.links.push(DendrogramLink {
                    cluster: id,
                    x: [xl, xl, xr, xr],
                    y: [hl, row.height, row.height, hr],
                    height: row.height,
                    count: row.size,
                });
                done.push(((xl + xr) / 2.0, row.height));
            }
        }
        Ok(out)
    }
}

/// A truncated dendrogram: leaves (clusters with their point counts) left to right and the
/// U-shaped links, with scipy's coordinates (leaf `i` at `x = 10 i + 5`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dendrogram {
    pub leaves: Vec<DendrogramLeaf>,
    pub links: Vec<DendrogramLink>,
}

/// A leaf of a truncated dendrogram: scipy cluster id, number of points, x position.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DendrogramLeaf {
    pub cluster: usize,
    pub count: usize,
    pub x: f64,
}

/// One merge drawn as a U: `x`/`y` are the four corners (left foot, left top, right top,
/// right foot) like scipy's `icoord`/`dcoord`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DendrogramLink {
    pub cluster: usize,
    pub x: [f64; 4],
    pub y: [f64; 4],
    pub height: f64,
    pub count: usize,
}

/// Union-find over `0..n` with path halving; the root of a union is the first argument's.
struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        Self {
            parent: (0..n).collect(),
        }
    }
    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        self.parent[rb] = ra;
    }
}

/// A merge in chain order, clusters named by their smallest point.
struct RawMerge {
    a: usize,
    b: usize,
    height: f64,
}

/// Stable sort by height and relabel with scipy's numbering (scipy's `label` step).
/// Leaves have size 1, or their weight when `weights` is given.
fn scipy_order(mut raw: Vec<RawMerge>, n: usize, weights: Option<&[usize]>) -> Vec<LinkageRow> {
    raw.sort_by(|x, y| x.height.total_cmp(&y.height));
    let mut uf = UnionFind::new(2 * n - 1);
    let mut size = vec![1usize; 2 * n - 1];
    if let Some(w) = weights {
        size[..n].copy_from_slice(w);
    }
    raw.iter()
        .enumerate()
        .map(|(i, m)| {
            let (ra, rb) = (uf.find(m.a), uf.find(m.b));
            let (left, right) = if ra < rb { (ra, rb) } else { (rb, ra) };
            let id = n + i;
            uf.parent[left] = id;
            uf.parent[right] = id;
            size[id] = size[left] + size[right];
            LinkageRow {
                left,
                right,
                height: m.height,
                size: size[id],
            }
        })
        .collect()
}

/// Active clusters in blocks of `BLOCK` slots; block `b` holds `count[b]` clusters.
struct Blocks {
    d: usize,
    n_blocks: usize,
    /// Centroids, `[block][dim][slot]`.
    coords: Vec<f64>,
    /// Cluster sizes as f64, `[block][slot]`.
    sizes: Vec<f64>,
    /// Cluster name (smallest point index), `[block][slot]`.
    names: Vec<u32>,
    count: Vec<usize>,
    /// Bounding boxes `[block][dim]` and smallest cluster size per block.
    lo: Vec<f64>,
    hi: Vec<f64>,
    min_size: Vec<f64>,
    /// Bounding boxes and smallest size of each run of `SUPER` blocks.
    super_lo: Vec<f64>,
    super_hi: Vec<f64>,
    super_min_size: Vec<f64>,
    /// Global slot (`block * BLOCK + j`) of each cluster name.
    slot_of: Vec<u32>,
}

impl Blocks {
    /// Pack clusters `(name, centroid, size)` into blocks in k-d order.
    fn build(items: &mut [(u32, f64)], cent: &[f64], d: usize, n_names: usize) -> Self {
        kd_order(items, cent, d);
        let n_blocks = items.len().div_ceil(BLOCK);
        let mut b = Blocks {
            d,
            n_blocks,
            coords: vec![0.0; n_blocks * d * BLOCK],
            sizes: vec![0.0; n_blocks * BLOCK],
            names: vec![0; n_blocks * BLOCK],
            count: vec![0; n_blocks],
            lo: vec![0.0; n_blocks * d],
            hi: vec![0.0; n_blocks * d],
            min_size: vec![0.0; n_blocks],
            super_lo: vec![0.0; n_blocks.div_ceil(SUPER) * d],
            super_hi: vec![0.0; n_blocks.div_ceil(SUPER) * d],
            super_min_size: vec![0.0; n_blocks.div_ceil(SUPER)],
            slot_of: vec![u32::MAX; n_names],
        };
        for (i, &(name, size)) in items.iter().enumerate() {
            let (blk, j) = (i / BLOCK, i % BLOCK);
            let c = &cent[name as usize * d..(name as usize + 1) * d];
            for (k, &v) in c.iter().enumerate() {
                b.coords[(blk * d + k) * BLOCK + j] = v;
            }
            b.sizes[blk * BLOCK + j] = size;
            b.names[blk * BLOCK + j] = name;
            b.count[blk] += 1;
            b.slot_of[name as usize] = i as u32;
        }
        for blk in 0..n_blocks {
            b.refresh(blk);
        }
        b
    }

    /// Recompute the bounding box and smallest size of a block.
    fn refresh(&mut self, blk: usize) {
        let (d, cnt) = (self.d, self.count[blk]);
        for k in 0..d {
            let col = &self.coords[(blk * d + k) * BLOCK..][..cnt];
            let lo = col.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = col.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            self.lo[blk * d + k] = lo;
            self.hi[blk * d + k] = hi;
        }
        let sizes = &self.sizes[blk * BLOCK..][..cnt];
        self.min_size[blk] = sizes.iter().copied().fold(f64::INFINITY, f64::min);
        let sb = blk / SUPER;
        let members = sb * SUPER..((sb + 1) * SUPER).min(self.n_blocks);
        for k in 0..d {
            let lo = members
                .clone()
                .map(|b| self.lo[b * d + k])
                .fold(f64::INFINITY, f64::min);
            let hi = members
                .clone()
                .map(|b| self.hi[b * d + k])
                .fold(f64::NEG_INFINITY, f64::max);
            self.super_lo[sb * d + k] = lo;
            self.super_hi[sb * d + k] = hi;
        }
        self.super_min_size[sb] = members.map(|b| self.min_size[b]).fold(f64::INFINITY, f64::min);
    }

    /// Lower bound of the search value over a box `lo..hi` holding sizes `>= smin`.
    fn bound(q: &[f64], nq: f64, lo: &[f64], hi: &[f64], smin: f64) -> f64 {
        if !smin.is_finite() {
            return f64::INFINITY; // empty
        }
        let mut gap2 = 0.0;
        for ((&qk, &l), &h) in q.iter().zip(lo).zip(hi) {
            let g = (l - qk).max(qk - h).max(0.0);
            gap2 += g * g;
        }
        gap2 * (smin / (nq + smin)) * BOUND_SLACK
    }

    fn centroid_into(&self, name: u32, out: &mut [f64]) -> f64 {
        let slot = self.slot_of[name as usize] as usize;
        let (blk, j) = (slot / BLOCK, slot % BLOCK);
        for (k, o) in out.iter_mut().enumerate() {
            *o = self.coords[(blk * self.d + k) * BLOCK + j];
        }
        self.sizes[slot]
    }

    /// Remove a cluster: the block's last cluster moves into its slot.
    fn remove(&mut self, name: u32) {
        let slot = self.slot_of[name as usize] as usize;
        let (blk, j) = (slot / BLOCK, slot % BLOCK);
        let last = self.count[blk] - 1;
        if j != last {
            for k in 0..self.d {
                let base = (blk * self.d + k) * BLOCK;
                self.coords[base + j] = self.coords[base + last];
            }
            self.sizes[blk * BLOCK + j] = self.sizes[blk * BLOCK + last];
            let moved = self.names[blk * BLOCK + last];
            self.names[blk * BLOCK + j] = moved;
            self.slot_of[moved as usize] = slot as u32;
        }
        self.count[blk] = last;
        self.slot_of[name as usize] = u32::MAX;
        self.refresh(blk);
    }

    /// Overwrite a cluster's centroid, size and name in place.
    fn replace(&mut self, old: u32, new: u32, centroid: &[f64], size: f64) {
        let slot = self.slot_of[old as usize] as usize;
        let (blk, j) = (slot / BLOCK, slot % BLOCK);
        for (k, &v) in centroid.iter().enumerate() {
            self.coords[(blk * self.d + k) * BLOCK + j] = v;
        }
        self.sizes[slot] = size;
        self.names[slot] = new;
        self.slot_of[old as usize] = u32::MAX;
        self.slot_of[new as usize] = slot as u32;
        self.refresh(blk);
    }

    /// Best `(value, name)` over blocks `[b0, b1)` for query `q` of size `nq`, where
    /// value = ||q - c||^2 * s / (nq + s) (Ward's squared distance over 2 nq); blocks whose
    /// bound exceeds `best` are skipped. Returns (best, scanned, pruned).
    fn search(
        &self,
        q: &[f64],
        nq: f64,
        me: u32,
        b0: usize,
        b1: usize,
        mut best: (f64, u32),
    ) -> ((f64, u32), u64, u64) {
        let d = self.d;
        let mut acc = [0.0f64; BLOCK];
        let (mut scanned, mut pruned) = (0, 0);
        let mut skip_to = 0;
        for blk in b0..b1 {
            if blk % SUPER == 0 && blk + SUPER <= b1 {
                let sb = blk / SUPER;
                let (lo, hi) = (&self.super_lo[sb * d..][..d], &self.super_hi[sb * d..][..d]);
                if Self::bound(q, nq, lo, hi, self.super_min_size[sb]) > best.0 {
                    pruned += SUPER as u64;
                    skip_to = blk + SUPER;
                }
            }
            if blk < skip_to {
                continue;
            }
            let cnt = self.count[blk];
            if cnt == 0 {
                continue;
            }
            let (lo, hi) = (&self.lo[blk * d..][..d], &self.hi[blk * d..][..d]);
            if Self::bound(q, nq, lo, hi, self.min_size[blk]) > best.0 {
                pruned += 1;
                continue;
            }
            scanned += 1;
            let acc = &mut acc[..cnt];
            acc.fill(0.0);
            for (k, &qk) in q.iter().enumerate() {
                let col = &self.coords[(blk * d + k) * BLOCK..][..cnt];
                for (a, &c) in acc.iter_mut().zip(col) {
                    let t = c - qk;
                    *a += t * t;
                }
            }
            let sizes = &self.sizes[blk * BLOCK..][..cnt];
            for (a, &s) in acc.iter_mut().zip(sizes) {
                *a *= s / (nq + s);
            }
            let names = &self.names[blk * BLOCK..][..cnt];
            for (&v, &name) in acc.iter().zip(names) {
                if name != me && (v < best.0 || (v == best.0 && name < best.1)) {
                    best = (v, name);
                }
            }
        }
        (best, scanned, pruned)
    }
}

/// Value of the search criterion between a query and one cluster, bit-identical to `search`.
fn pair_value(q: &[f64], nq: f64, c: &[f64], s: f64) -> f64 {
    let mut acc = 0.0;
    for (&qk, &ck) in q.iter().zip(c) {
        let t = ck - qk;
        acc += t * t;
    }
    acc * (s / (nq + s))
}

/// Order `(name, size)` items so that consecutive runs of `BLOCK` are spatially compact:
/// recursive median splits along the widest centroid coordinate.
fn kd_order(items: &mut [(u32, f64)], cent: &[f64], d: usize) {
    if items.len() <= BLOCK {
        return;
    }
    let mut widest = (0, f64::NEG_INFINITY);
    for k in 0..d {
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for &(name, _) in items.iter() {
            let v = cent[name as usize * d + k];
            lo = lo.min(v);
            hi = hi.max(v);
        }
        if hi - lo > widest.1 {
            widest = (k, hi - lo);
        }
    }
    let k = widest.0;
    let mid = (items.len().div_ceil(BLOCK) / 2) * BLOCK;
    items.select_nth_unstable_by(mid, |a, b| {
        let (va, vb) = (cent[a.0 as usize * d + k], cent[b.0 as usize * d + k]);
        va.total_cmp(&vb).then(a.0.cmp(&b.0))
    });
    let (left, right) = items.split_at_mut(mid);
    kd_order(left, cent, d);
    kd_order(right, cent, d);
}

/// State of the nearest-neighbour chain over all points.
struct NnChain {
    n: usize,
    d: usize,
    parallel: bool,
    /// Centroid of each cluster by name, row-major (used to rebuild blocks).
    cent: Vec<f64>,
    size: Vec<f64>,
    blocks: Blocks,
    active: usize,
    nn_searches: u64,
    blocks_scanned: u64,
    blocks_pruned: u64,
}

impl NnChain {
    /// Clusters start as the rows, of size 1 or `sizes[i]`.
    fn new(rows: &[f64], n: usize, d: usize, parallel: bool, sizes: Option<Vec<f64>>) -> Self {
        let cent = rows.to_vec();
        let size: Vec<f64> = sizes.unwrap_or_else(|| vec![1.0; n]);
        let mut items: Vec<(u32, f64)> = (0..n as u32).map(|i| (i, size[i as usize])).collect();
        let blocks = Blocks::build(&mut items, &cent, d, n);
        NnChain {
            n,
            d,
            parallel,
            cent,
            size,
            blocks,
            active: n,
            nn_searches: 0,
            blocks_scanned: 0,
            blocks_pruned: 0,
        }
    }

    /// Nearest neighbour `(value, name)` of cluster `me` (exact, ties to the smallest name);
    /// `known` is a candidate's exact value, a starting bound that tightens pruning.
    fn nearest(&mut self, me: u32, q: &[f64], nq: f64, known: Option<(f64, u32)>) -> (f64, u32) {
        self.nn_searches += 1;
        let b = &self.blocks;
        let own = b.slot_of[me as usize] as usize / BLOCK;
        let start = known.unwrap_or((f64::INFINITY, u32::MAX));
        let (seed, s0, p0) = b.search(q, nq, me, own, own + 1, start);
        let parts = if self.parallel && b.n_blocks >= PAR_MIN_BLOCKS {
            map_chunks(b.n_blocks, CHUNK_BLOCKS, |b0, b1| b.search(q, nq, me, b0, b1, seed))
        } else {
            vec![b.search(q, nq, me, 0, b.n_blocks, seed)]
        };
        let mut best = seed;
        let (mut scanned, mut pruned) = (s0, p0);
        for (cand, s, p) in parts {
            if cand.0 < best.0 || (cand.0 == best.0 && cand.1 < best.1) {
                best = cand;
            }
            scanned += s;
            pruned += p;
        }
        self.blocks_scanned += scanned;
        self.blocks_pruned += pruned;
        best
    }

    /// Run the chain until one cluster is left; merges in the order they happen.
    fn run(&mut self) -> Vec<RawMerge> {
        let d = self.d;
        let mut merges = Vec::with_capacity(self.n - 1);
        let mut chain: Vec<u32> = Vec::new();
        let mut q = vec![0.0; d];
        let mut qp = vec![0.0; d];
        while self.active > 1 {
            if chain.is_empty() {
                chain.push(self.first_active());
            }
            loop {
                let top = chain[chain.len() - 1];
                let nq = self.blocks.centroid_into(top, &mut q);
                let prev = (chain.len() >= 2).then(|| chain[chain.len() - 2]);
                let known = prev.map(|p| {
                    let sp = self.blocks.centroid_into(p, &mut qp);
                    (pair_value(&q, nq, &qp, sp), p)
                });
                let (val, mut nn) = self.nearest(top, &q, nq, known);
                // On a tie the previous chain element wins, which guarantees termination.
                if let Some((vp, p)) = known {
                    if vp <= val {
                        nn = p;
                    }
                    if nn == p {
                        break;
                    }
                }
                chain.push(nn);
            }
            let b = chain.pop().unwrap_or(0);
            let a = chain.pop().unwrap_or(0);
            merges.push(self.merge(a, b));
            self.maybe_rebuild();
        }
        merges
    }

    fn first_active(&self) -> u32 {
        let b = &self.blocks;
        (0..b.n_blocks)
            .find(|&blk| b.count[blk] > 0)
            .map_or(0, |blk| b.names[blk * BLOCK])
    }

    /// Merge clusters `a` and `b` into one named by the smaller name.
    fn merge(&mut self, a: u32, b: u32) -> RawMerge {
        let d = self.d;
        let (mut ca, mut cb) = (vec![0.0; d], vec![0.0; d]);
        let na = self.blocks.centroid_into(a, &mut ca);
        let nb = self.blocks.centroid_into(b, &mut cb);
        let dist2: f64 = ca.iter().zip(&cb).map(|(x, y)| (x - y) * (x - y)).sum();
        let height = (2.0 * (na * nb / (na + nb)) * dist2).sqrt();
        let nm = na + nb;
        let merged: Vec<f64> = ca.iter().zip(&cb).map(|(x, y)| (na * x + nb * y) / nm).collect();
        let (keep, drop) = if a < b { (a, b) } else { (b, a) };
        self.blocks.remove(drop);
        self.blocks.replace(keep, keep, &merged, nm);
        self.cent[keep as usize * d..(keep as usize + 1) * d].copy_from_slice(&merged);
        self.size[keep as usize] = nm;
        self.active -= 1;
        RawMerge {
            a: a as usize,
            b: b as usize,
            height,
        }
    }

    /// Repack the blocks in fresh k-d order when they are less than a quarter full.
    fn maybe_rebuild(&mut self) {
        let b = &self.blocks;
        if self.active * 4 > b.n_blocks * BLOCK || b.n_blocks <= 1 {
            return;
        }
        let mut items: Vec<(u32, f64)> = Vec::with_capacity(self.active);
        for blk in 0..b.n_blocks {
            for j in 0..b.count[blk] {
                let name = b.names[blk * BLOCK + j];
                items.push((name, self.size[name as usize]));
            }
        }
        items.sort_by_key(|it| it.0);
        self.blocks = Blocks::build(&mut items, &self.cent, self.d, self.n);
    }
}

#[cfg(test)]
#[path = "ward_tests.rs"]
mod tests;

/// Real weights for Ward: one per row, each finite and positive (a zero weight would make a
/// cluster without mass, whose merge cost divides by zero).
fn check_real_weights(rows: usize, weights: &[f64]) -> Result<(), ClusterError> {
    if weights.len() != rows {
        return Err(ClusterError::LengthMismatch {
            what: "ward: data rows and weights",
            left: rows,
            right: weights.len(),
        });
    }
    if let Some(i) = weights.iter().position(|w| !(w.is_finite() && *w > 0.0)) {
        return Err(ClusterError::Invalid(format!(
            "ward: weight of row {i} is {}: weights must be finite and > 0",
            weights[i]
        )));
    }
    Ok(())
}
