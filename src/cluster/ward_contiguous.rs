//! Ward hierarchical clustering restricted to merges between neighbouring clusters
//! (connectivity-constrained Ward): spatially contiguous regions of grid cells.
//!
//! The algorithm is scikit-learn's `ward_tree` with a `connectivity` graph (Pedregosa et al.
//! 2011, `sklearn.cluster.AgglomerativeClustering(linkage="ward", connectivity=...)`): every
//! edge `(i, j)` of the cluster adjacency graph is a candidate merge in a binary heap keyed by
//! Ward's increase of the within-cluster sum of squares,
//!
//! `Δ(A, B) = |A| |B| / (|A| + |B|) * ||c_A - c_B||^2`,
//!
//! computed from each cluster's size and coordinate sums (its first moments). The smallest
//! candidate whose two clusters are both still active is merged; the union's neighbours are
//! the active clusters next to either part, and their candidates are pushed. Entries of merged
//! clusters stay in the heap and are skipped when popped (lazy invalidation), so each merge costs
//! O(degree * (log E + d)) and the tree O(E log E) for E edges: O(n log n) on a grid, where a
//! region has a handful of neighbouring regions. Memory is O(n d + E).
//!
//! Heights are `sqrt(2 Δ)`, scikit-learn's `distances_` and scipy's Ward heights. Unlike
//! unconstrained Ward the heights need not increase along the merge order (a union can be
//! closer to a new neighbour than its parts were to each other), so the linkage is kept in
//! merge order, as scikit-learn's `children_`; cutting at `k` undoes the last `k - 1` merges.
//!
//! Ties: the heap orders candidates by `(Δ, larger cluster id, smaller cluster id)`, the order
//! in which scikit-learn's heap of `(inertia, i, j)` tuples pops them, with scipy's cluster ids
//! (points `0..n`, the cluster of merge `s` is `n + s`); Δ is computed with scikit-learn's
//! operations in its order, so equal inputs give the same tree.
//!
//! A graph of several connected components (islands) cannot be merged into one tree under the
//! constraint. [`ComponentJoin::NearestPoints`] does what scikit-learn does (`_fix_connectivity`):
//! before the tree is built, each pair of components gets one edge between its two closest
//! points (Euclidean); this costs a distance per pair of points in different components.
//! [`ComponentJoin::Centroids`] instead builds the constrained tree of every component and
//! then merges the components' clusters by unconstrained Ward on their centroids weighted by
//! their sizes (the nearest centroids in Ward's sense first), in O(c^2) for c components.
//! [`ComponentJoin::Auto`] takes the first while its pairs of points and of components are
//! within budgets. The default is [`ComponentJoin::Centroids`] (see [`ContiguousWardParams::new`]).

use super::ClusterError;
use super::ward::{LinkageRow, WardParams, WardTree};
use ndarray::ArrayView2;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Pairs of points in different components up to which [`ComponentJoin::Auto`] joins
/// components the way scikit-learn does.
pub const NEAREST_POINTS_PAIR_BUDGET: u64 = 200_000_000;

/// Components up to which [`ComponentJoin::Auto`] joins them the way scikit-learn does (it
/// adds an edge per pair of components).
pub const NEAREST_POINTS_COMPONENT_MAX: usize = 1_000;

/// How the components of a disconnected adjacency graph are joined into one tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComponentJoin {
    /// Add an edge between the closest points of every pair of components before building the
    /// tree (scikit-learn's `_fix_connectivity`).
    NearestPoints,
    /// Build each component's constrained tree, then merge the components by unconstrained Ward
    /// on their centroids.
    Centroids,
    /// [`ComponentJoin::NearestPoints`] while the pairs of points in different components are
    /// at most `pair_budget`, else [`ComponentJoin::Centroids`].
    Auto { pair_budget: u64 },
}

/// The neighbours of each point: a symmetric graph without self loops, stored as compressed
/// rows (the neighbours of point `i` are `neighbours[offsets[i]..offsets[i + 1]]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adjacency {
    offsets: Vec<usize>,
    neighbours: Vec<u32>,
}

/// Which grid cells touch: the 4 sharing an edge, or the 8 sharing an edge or a corner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Neighbourhood {
    #[default]
    Four,
    Eight,
}

impl Adjacency {
    /// The adjacency of an undirected edge list on `n` points; duplicate edges and self loops
    /// are dropped.
    pub fn from_edges(n: usize, edges: &[(usize, usize)]) -> Result<Self, ClusterError> {
        if n >= u32::MAX as usize {
            return Err(ClusterError::Invalid(format!("contiguous ward: too many points ({n})")));
        }
        let mut pairs = Vec::with_capacity(edges.len());
        for &(a, b) in edges {
            if a >= n || b >= n {
                return Err(ClusterError::Invalid(format!(
                    "contiguous ward: edge ({a}, {b}) names a point outside 0..{n}"
                )));
            }
            pairs.push((a as u32, b as u32));
        }
        Ok(Self::from_pairs(n, &pairs))
    }

    /// Compressed rows of valid `pairs` (both ends below `n`), counted then filled, each row
    /// sorted and deduplicated: two indices per edge, no per-point allocation.
    fn from_pairs(n: usize, pairs: &[(u32, u32)]) -> Self {
        let mut degree = vec![0usize; n + 1];
        for &(a, b) in pairs.iter().filter(|(a, b)| a != b) {
            degree[a as usize] += 1;
            degree[b as usize] += 1;
        }
        let mut start = Vec::with_capacity(n + 1);
        let mut acc = 0;
        for &g in &degree[..n] {
            start.push(acc);
            acc += g;
        }
        start.push(acc);
        let mut fill = start.clone();
        let mut slots = vec![0u32; acc];
        for &(a, b) in pairs.iter().filter(|(a, b)| a != b) {
            slots[fill[a as usize]] = b;
            fill[a as usize] += 1;
            slots[fill[b as usize]] = a;
            fill[b as usize] += 1;
        }
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0);
        let mut write = 0;
        for i in 0..n {
            let row = &mut slots[start[i]..start[i + 1]];
            row.sort_unstable();
            let mut last = u32::MAX;
            for r in start[i]..start[i + 1] {
                let v = slots[r];
                if v != last {
                    slots[write] = v;
                    write += 1;
                    last = v;
                }
            }
            offsets.push(write);
        }
        slots.truncate(write);
        slots.shrink_to_fit();
        Adjacency {
            offsets,
            neighbours: slots,
        }
    }

    /// The adjacency of grid cells at `(row, col)` positions on an `n_rows x n_cols` grid, each
    /// point one cell (positions distinct); cells not listed break adjacency. With
    /// `wrap_columns` (a global longitude grid) the first and last columns touch across the
    /// dateline. Memory is one index per grid cell of the rows spanned, two rows at a time.
    pub fn grid(
        positions: &[(usize, usize)],
        n_cols: usize,
        neighbourhood: Neighbourhood,
        wrap_columns: bool,
    ) -> Result<Self, ClusterError> {
        let n = positions.len();
        if n >= u32::MAX as usize {
            return Err(ClusterError::Invalid(format!("contiguous ward: too many points ({n})")));
        }
        // Points sorted by position; two dense rows of point indices at a time.
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_unstable_by_key(|&i| positions[i as usize]);
        let mut edges: Vec<(u32, u32)> = Vec::with_capacity(n * 4);
        let mut prev_row: Vec<u32> = vec![u32::MAX; n_cols];
        let mut cur_row: Vec<u32> = vec![u32::MAX; n_cols];
        let mut prev_index: Option<usize> = None;
        let mut s = 0;
        while s < n {
            let r = positions[order[s] as usize].0;
            let mut e = s;
            while e < n && positions[order[e] as usize].0 == r {
                e += 1;
            }
            let adjacent_row = prev_index.is_some_and(|p| p + 1 == r);
            if !adjacent_row {
                prev_row.fill(u32::MAX);
            }
            cur_row.fill(u32::MAX);
            for &i in &order[s..e] {
                let c = positions[i as usize].1;
                if c >= n_cols {
                    return Err(ClusterError::Invalid(format!(
                        "contiguous ward: column {c} outside the grid's {n_cols} columns"
                    )));
                }
                if cur_row[c] != u32::MAX {
                    return Err(ClusterError::Invalid(format!(
                        "contiguous ward: two points at grid cell ({r}, {c})"
                    )));
                }
                cur_row[c] = i;
            }
            let step = |c: usize, delta: isize| -> Option<usize> {
                let t = c as isize + delta;
                if (0..n_cols as isize).contains(&t) {
                    Some(t as usize)
                } else if wrap_columns && n_cols > 2 {
                    Some(t.rem_euclid(n_cols as isize) as usize)
                } else {
                    None
                }
            };
            for &i in &order[s..e] {
                let c = positions[i as usize].1;
                let mut link = |j: u32| {
                    if j != u32::MAX {
                        edges.push((i, j));
                    }
                };
                if let Some(w) = step(c, -1) {
                    link(cur_row[w]);
                }
                link(prev_row[c]);
                if neighbourhood == Neighbourhood::Eight {
                    if let Some(w) = step(c, -1) {
                        link(prev_row[w]);
                    }
                    if let Some(w) = step(c, 1) {
                        link(prev_row[w]);
                    }
                }
            }
            std::mem::swap(&mut prev_row, &mut cur_row);
            prev_index = Some(r);
            s = e;
        }
        Ok(Self::from_pairs(n, &edges))
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// True for a graph without points.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The neighbours of point `i`, ascending.
    pub fn of(&self, i: usize) -> &[u32] {
        &self.neighbours[self.offsets[i]..self.offsets[i + 1]]
    }

    /// The number of connected parts of `labels` over this graph: each part is a maximal set of
    /// points of one label reached through neighbours of that label (a flood fill). A labelling
    /// whose every label is one connected region has as many parts as labels.
    pub fn connected_parts(&self, labels: &[usize]) -> usize {
        let n = labels.len().min(self.len());
        let mut reached = vec![false; n];
        let mut parts = 0;
        let mut stack = Vec::new();
        for start in 0..n {
            if reached[start] {
                continue;
            }
            parts += 1;
            reached[start] = true;
            stack.push(start);
            while let Some(p) = stack.pop() {
                for &q in self.of(p) {
                    let q = q as usize;
                    if q < n && !reached[q] && labels[q] == labels[p] {
                        reached[q] = true;
                        stack.push(q);
                    }
                }
            }
        }
        parts
    }

    /// Number of undirected edges.
    pub fn n_edges(&self) -> usize {
        self.neighbours.len() / 2
    }

    /// The connected component of each point, numbered in the order of each component's
    /// smallest point (as `scipy.sparse.csgraph.connected_components` numbers them), and
    /// the number of components.
    pub fn components(&self) -> (Vec<u32>, usize) {
        let n = self.len();
        let mut label = vec![u32::MAX; n];
        let mut stack = Vec::new();
        let mut count = 0u32;
        for start in 0..n {
            if label[start] != u32::MAX {
                continue;
            }
            label[start] = count;
            stack.push(start as u32);
            while let Some(p) = stack.pop() {
                for &q in self.of(p as usize) {
                    if label[q as usize] == u32::MAX {
                        label[q as usize] = count;
                        stack.push(q);
                    }
                }
            }
            count += 1;
        }
        (label, count as usize)
    }
}

/// A candidate merge: Ward's increase `delta` of clusters `hi > lo` (scipy ids).
#[derive(Debug, Clone, Copy)]
struct Candidate {
    delta: f64,
    hi: u32,
    lo: u32,
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Candidate {}
impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Candidate {
    /// Reversed, so that `BinaryHeap` (a max-heap) pops the smallest `(delta, hi, lo)`.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .delta
            .total_cmp(&self.delta)
            .then(other.hi.cmp(&self.hi))
            .then(other.lo.cmp(&self.lo))
    }
}

/// What the constrained tree says about the components of its graph.
#[derive(Debug, Clone)]
pub struct ContiguousTree {
    /// The merges in the order they happened (scikit-learn's `children_` and `distances_`),
    /// as a [`WardTree`] whose rows are not sorted by height.
    pub tree: WardTree,
    /// Connected components of the adjacency graph.
    pub n_components: usize,
    /// How the components were joined (`None` when there was only one).
    pub joined_by: Option<ComponentJoin>,
    /// Merges made without the constraint (the last `c - 1` with [`ComponentJoin::Centroids`];
    /// with [`ComponentJoin::NearestPoints`] the `c - 1` added edges are merged under the
    /// constraint and this is 0).
    pub unconstrained_merges: usize,
}

/// Parameters of contiguous Ward.
#[derive(Debug, Clone, Copy)]
pub struct ContiguousWardParams {
    join: ComponentJoin,
}

impl Default for ContiguousWardParams {
    fn default() -> Self {
        ContiguousWardParams {
            join: ComponentJoin::Centroids,
        }
    }
}

impl ContiguousWardParams {
    /// Default parameters: components joined by [`ComponentJoin::Centroids`], which keeps
    /// every region connected at any cut of at least as many clusters as components.
    /// scikit-learn's join adds an edge per pair of components (a thousand for the demo's 46
    /// pieces of land), through which a region can leave a piece and come back into it
    /// elsewhere, so its regions need not be connected even within a piece.
    pub fn new() -> Self {
        Self::default()
    }

    /// How components are joined (the rule, before [`ComponentJoin::Auto`] decides).
    pub fn join_rule(&self) -> ComponentJoin {
        self.join
    }

    /// How components are joined.
    pub fn join(mut self, join: ComponentJoin) -> Self {
        self.join = join;
        self
    }

    /// The full constrained Ward tree of the rows of `x` with the neighbours of `adjacency`.
    pub fn fit(&self, x: ArrayView2<f64>, adjacency: &Adjacency) -> Result<ContiguousTree, ClusterError> {
        WardParams::new().check(x)?;
        let (n, d) = x.dim();
        if adjacency.len() != n {
            return Err(ClusterError::LengthMismatch {
                what: "contiguous ward: data rows and adjacency points",
                left: n,
                right: adjacency.len(),
            });
        }
        let (component, n_components) = adjacency.components();
        let join = match self.join {
            ComponentJoin::Auto { pair_budget } => {
                let small = n_components <= NEAREST_POINTS_COMPONENT_MAX;
                if small && cross_component_pairs(&component, n_components) <= pair_budget {
                    ComponentJoin::NearestPoints
                } else {
                    ComponentJoin::Centroids
                }
            }
            other => other,
        };
        let rows: Vec<f64> = x.iter().copied().collect();
        let bridged = if n_components > 1 && join == ComponentJoin::NearestPoints {
            let bridges = nearest_point_bridges(&rows, d, &component, n_components);
            let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(adjacency.neighbours.len() / 2 + bridges.len());
            for i in 0..n {
                let lower = adjacency.of(i).iter().filter(|&&j| (j as usize) < i);
                pairs.extend(lower.map(|&j| (i as u32, j)));
            }
            pairs.extend(bridges);
            Some(Adjacency::from_pairs(n, &pairs))
        } else {
            None
        };
        drop(component);
        let mut state = State::new(rows, n, d);
        let mut linkage = state.run(bridged.as_ref().unwrap_or(adjacency));
        let unconstrained = n - 1 - linkage.len();
        state.finish_by_centroids(&mut linkage)?;
        Ok(ContiguousTree {
            tree: WardTree {
                n_points: n,
                linkage,
                nn_searches: 0,
                blocks_scanned: 0,
                blocks_pruned: 0,
            },
            n_components,
            joined_by: (n_components > 1).then_some(join),
            unconstrained_merges: unconstrained,
        })
    }
}

/// Pairs of points lying in different components.
fn cross_component_pairs(component: &[u32], n_components: usize) -> u64 {
    let mut sizes = vec![0u64; n_components];
    for &c in component {
        sizes[c as usize] += 1;
    }
    let total: u64 = sizes.iter().sum();
    let same: u64 = sizes.iter().map(|s| s * s).sum();
    (total * total - same) / 2
}

/// One edge between the closest points of every pair of components (scikit-learn's
/// `_fix_connected_components`: for components `i > j` the first minimum of the distances
/// from the points of `i` to those of `j`, both in ascending point order).
fn nearest_point_bridges(rows: &[f64], d: usize, component: &[u32], n_components: usize) -> Vec<(u32, u32)> {
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); n_components];
    for (p, &c) in component.iter().enumerate() {
        members[c as usize].push(p as u32);
    }
    let closest = |ci: usize, cj: usize| {
        let mut best = (f64::INFINITY, 0u32, 0u32);
        for &a in &members[ci] {
            let xa = &rows[a as usize * d..(a as usize + 1) * d];
            for &b in &members[cj] {
                let xb = &rows[b as usize * d..(b as usize + 1) * d];
                let dist2: f64 = xa.iter().zip(xb).map(|(u, v)| (u - v) * (u - v)).sum();
                if dist2 < best.0 {
                    best = (dist2, a, b);
                }
            }
        }
        (best.1, best.2)
    };
    crate::par::map_chunks(n_components, 1, |ci, _| {
        (0..ci).map(|cj| closest(ci, cj)).collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect()
}

/// Clusters by scipy id: sizes and coordinate sums in slots reused by merged clusters.
struct State {
    n: usize,
    d: usize,
    /// Cluster size (first moment of order 0) per slot.
    count: Vec<f64>,
    /// Coordinate sums per slot, `[slot][dim]`.
    sums: Vec<f64>,
    /// Slot of each cluster id.
    slot_of: Vec<u32>,
    /// Parent cluster id of each merged cluster (itself while active).
    parent: Vec<u32>,
}

impl State {
    fn new(rows: Vec<f64>, n: usize, d: usize) -> Self {
        let ids = (2 * n - 1) as u32;
        State {
            n,
            d,
            count: vec![1.0; n],
            sums: rows,
            slot_of: (0..ids).map(|i| if (i as usize) < n { i } else { u32::MAX }).collect(),
            parent: (0..ids).collect(),
        }
    }

    /// The active cluster containing cluster `i` (path halving).
    fn root(&mut self, mut i: u32) -> u32 {
        while self.parent[i as usize] != i {
            let up = self.parent[self.parent[i as usize] as usize];
            self.parent[i as usize] = up;
            i = up;
        }
        i
    }

    /// Ward's increase of merging clusters `a` and `b`, with scikit-learn's operations in its
    /// order (`compute_ward_dist`): the squared differences of the means, times the harmonic
    /// size factor.
    fn delta(&self, a: u32, b: u32) -> f64 {
        let (sa, sb) = (self.slot_of[a as usize] as usize, self.slot_of[b as usize] as usize);
        let (na, nb) = (self.count[sa], self.count[sb]);
        let factor = (na * nb) / (na + nb);
        let d = self.d;
        let (xa, xb) = (&self.sums[sa * d..(sa + 1) * d], &self.sums[sb * d..(sb + 1) * d]);
        let mut pa = 0.0;
        for (u, v) in xa.iter().zip(xb) {
            let t = u / na - v / nb;
            pa += t * t;
        }
        pa * factor
    }

    /// Merge under the constraint until no candidate is left (one cluster per component).
    fn run(&mut self, adjacency: &Adjacency) -> Vec<LinkageRow> {
        let n = self.n;
        let mut heap: BinaryHeap<Candidate> = BinaryHeap::with_capacity(adjacency.neighbours.len() / 2);
        for i in 0..n {
            for &j in adjacency.of(i).iter().filter(|&&j| (j as usize) < i) {
                heap.push(Candidate {
                    delta: self.delta(i as u32, j),
                    hi: i as u32,
                    lo: j,
                });
            }
        }
        // Neighbour lists of merged clusters by slot (a slot never merged keeps its point's row
        // of `adjacency`); entries are cluster ids, resolved to the active cluster through
        // `parent` when read.
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut merged_slot = vec![false; n];
        let mut seen: Vec<u32> = vec![u32::MAX; 2 * n - 1];
        let mut active = vec![true; 2 * n - 1];
        let mut linkage: Vec<LinkageRow> = Vec::with_capacity(n - 1);
        let mut sizes: Vec<usize> = vec![1; n];
        let mut compact_at = 2 * heap.len().max(1024);
        let mut merged = Vec::new();
        while let Some(c) = heap.pop() {
            if !(active[c.hi as usize] && active[c.lo as usize]) {
                continue;
            }
            let k = (n + linkage.len()) as u32;
            let (si, sj) = (
                self.slot_of[c.hi as usize] as usize,
                self.slot_of[c.lo as usize] as usize,
            );
            let (keep, gone) = (si.min(sj), si.max(sj));
            let d = self.d;
            // scikit-learn adds the moments of its `i` (here `hi`) and `j` (`lo`); a sum of two
            // numbers does not depend on their order.
            for t in 0..d {
                self.sums[keep * d + t] += self.sums[gone * d + t];
            }
            self.count[keep] += self.count[gone];
            let size = sizes[keep] + sizes[gone];
            sizes[keep] = size;
            active[c.hi as usize] = false;
            active[c.lo as usize] = false;
            self.parent[c.hi as usize] = k;
            self.parent[c.lo as usize] = k;
            self.slot_of[k as usize] = keep as u32;
            linkage.push(LinkageRow {
                left: c.lo as usize,
                right: c.hi as usize,
                height: (2.0 * c.delta).sqrt(),
                size,
            });
            merged.clear();
            seen[k as usize] = k;
            for slot in [keep, gone] {
                let list = std::mem::take(&mut lists[slot]);
                let from: &[u32] = if merged_slot[slot] { &list } else { adjacency.of(slot) };
                for &j in from {
                    let r = self.root(j);
                    if seen[r as usize] != k {
                        seen[r as usize] = k;
                        merged.push(r);
                    }
                }
            }
            merged_slot[keep] = true;
            for &r in &merged {
                heap.push(Candidate {
                    delta: self.delta(k, r),
                    hi: k,
                    lo: r,
                });
            }
            lists[keep] = merged.clone();
            // Entries of merged clusters would otherwise pile up: drop them once the heap has
            // doubled since it last held only live ones.
            if heap.len() > compact_at {
                let live: Vec<Candidate> = heap
                    .drain()
                    .filter(|c| active[c.hi as usize] && active[c.lo as usize])
                    .collect();
                compact_at = 2 * live.len().max(1024);
                heap = BinaryHeap::from(live);
            }
        }
        linkage
    }

    /// Join the active clusters left by [`State::run`] (one per component) by unconstrained
    /// Ward on their centroids weighted by their sizes, appending the merges to `linkage`.
    fn finish_by_centroids(&mut self, linkage: &mut Vec<LinkageRow>) -> Result<(), ClusterError> {
        let n = self.n;
        let roots: Vec<u32> = (0..(n + linkage.len()) as u32)
            .filter(|&i| self.parent[i as usize] == i)
            .collect();
        if roots.len() < 2 {
            return Ok(());
        }
        let d = self.d;
        let mut centroids = ndarray::Array2::<f64>::zeros((roots.len(), d));
        let mut weights = Vec::with_capacity(roots.len());
        for (r, &id) in roots.iter().enumerate() {
            let s = self.slot_of[id as usize] as usize;
            for t in 0..d {
                centroids[[r, t]] = self.sums[s * d + t] / self.count[s];
            }
            weights.push(self.count[s] as usize);
        }
        let top = WardParams::new().fit_weighted(centroids.view(), &weights)?;
        // The finishing tree's leaves are the components' clusters; its merges continue the
        // numbering.
        let mut id_of: Vec<usize> = roots.iter().map(|&i| i as usize).collect();
        for row in &top.linkage {
            let (a, b) = (id_of[row.left], id_of[row.right]);
            id_of.push(n + linkage.len());
            linkage.push(LinkageRow {
                left: a.min(b),
                right: a.max(b),
                height: row.height,
                size: row.size,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "ward_contiguous_tests.rs"]
mod tests;
