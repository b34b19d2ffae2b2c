//! Regions from a contiguous Ward tree other than its cut at `k`: the cut at a height, as
//! scikit-learn's `AgglomerativeClustering(distance_threshold=h, n_clusters=None)` makes it, and
//! the merge of regions smaller than a number of cells into their most similar neighbour.

use super::ClusterError;
use super::ward::WardTree;
use super::ward_contiguous::Adjacency;
use ndarray::ArrayView2;
use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};

/// The number of clusters of the cut at height `h`: one plus the number of merges whose
/// height is at least `h` (scikit-learn's `n_clusters_ = count_nonzero(distances_ >= h) + 1`).
///
/// The cut then undoes that many of the **last** merges ([`WardTree::cut`]), as scikit-learn's
/// `_hc_cut` does. Under the contiguity constraint heights need not grow along the merge order,
/// so this is not "every merge below `h` applied": a merge below `h` made after one at or above
/// `h` can be undone too. On a tree whose heights grow (unconstrained Ward) both readings agree.
pub fn clusters_at_height(tree: &WardTree, h: f64) -> Result<usize, ClusterError> {
    if !h.is_finite() || h < 0.0 {
        return Err(ClusterError::Invalid(format!(
            "cut height {h}: expected a finite number >= 0"
        )));
    }
    let above = tree.linkage.iter().filter(|r| r.height >= h).count();
    Ok((above + 1).min(tree.n_points.max(1)))
}

/// What [`merge_small_regions`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct SmallRegionMerge {
    /// Region of each row, numbered `0..regions` by first row.
    pub labels: Vec<usize>,
    pub regions: usize,
    /// Regions merged into a neighbour.
    pub merged: usize,
    /// Regions still smaller than the minimum: they have no neighbouring region (an island).
    pub isolated_small: usize,
}

/// Merge every region of `labels` with fewer than `min_cells` rows into the adjacent region
/// whose union with it increases the within-cluster sum of squares of `x` the least (Ward's
/// criterion, `|A| |B| / (|A| + |B|) ||c_A - c_B||^2`), one region at a time, the smallest
/// region first (ties: the smaller id; among neighbours, ties: the smaller id), until every
/// region has at least `min_cells` rows or no neighbour. Regions are adjacent when two of their
/// rows are neighbours in `adjacency`, so the union of connected regions stays connected.
///
/// Deterministic; time O(n + r log r + merges x neighbours x m) for r regions.
pub fn merge_small_regions(
    x: ArrayView2<f64>,
    adjacency: &Adjacency,
    labels: &[usize],
    min_cells: usize,
) -> Result<SmallRegionMerge, ClusterError> {
    let (n, d) = x.dim();
    if labels.len() != n || adjacency.len() != n {
        return Err(ClusterError::LengthMismatch {
            what: "small regions: labels, rows and adjacency points",
            left: labels.len(),
            right: if labels.len() != n { n } else { adjacency.len() },
        });
    }
    let k = labels.iter().max().map_or(0, |&m| m + 1);
    let mut size = vec![0usize; k];
    let mut sums = vec![0.0f64; k * d];
    for (i, &l) in labels.iter().enumerate() {
        size[l] += 1;
        for (s, v) in sums[l * d..(l + 1) * d].iter_mut().zip(x.row(i)) {
            *s += v;
        }
    }
    let mut neighbours: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); k];
    for i in 0..n {
        for &j in adjacency.of(i) {
            let (a, b) = (labels[i], labels[j as usize]);
            if a != b {
                neighbours[a].insert(b);
            }
        }
    }
    let mut merged_into: Vec<Option<usize>> = vec![None; k];
    let mut queue: BinaryHeap<Reverse<(usize, usize)>> = (0..k)
        .filter(|&r| size[r] > 0 && size[r] < min_cells)
        .map(|r| Reverse((size[r], r)))
        .collect();
    let mut merged = 0;
    while let Some(Reverse((s, a))) = queue.pop() {
        if merged_into[a].is_some() || size[a] != s || neighbours[a].is_empty() {
            continue;
        }
        let increase = |b: usize| {
            let (na, nb) = (size[a] as f64, size[b] as f64);
            let dist2: f64 = (0..d)
                .map(|c| {
                    let diff = sums[a * d + c] / na - sums[b * d + c] / nb;
                    diff * diff
                })
                .sum();
            na * nb / (na + nb) * dist2
        };
        let Some(b) = neighbours[a]
            .iter()
            .copied()
            .min_by(|&p, &q| increase(p).total_cmp(&increase(q)).then(p.cmp(&q)))
        else {
            continue;
        };
        size[b] += size[a];
        size[a] = 0;
        for c in 0..d {
            sums[b * d + c] += sums[a * d + c];
        }
        let moved = std::mem::take(&mut neighbours[a]);
        for &other in &moved {
            neighbours[other].remove(&a);
            if other != b {
                neighbours[other].insert(b);
                neighbours[b].insert(other);
            }
        }
        merged_into[a] = Some(b);
        merged += 1;
        if size[b] < min_cells {
            queue.push(Reverse((size[b], b)));
        }
    }
    let root = |mut r: usize| {
        while let Some(next) = merged_into[r] {
            r = next;
        }
        r
    };
    let mut number = vec![usize::MAX; k];
    let mut regions = 0;
    let labels: Vec<usize> = labels
        .iter()
        .map(|&l| {
            let r = root(l);
            if number[r] == usize::MAX {
                number[r] = regions;
                regions += 1;
            }
            number[r]
        })
        .collect();
    let isolated_small = (0..k)
        .filter(|&r| merged_into[r].is_none() && size[r] > 0 && size[r] < min_cells)
        .count();
    Ok(SmallRegionMerge {
        labels,
        regions,
        merged,
        isolated_small,
    })
}

#[cfg(test)]
#[path = "ward_contiguous_regions_tests.rs"]
mod tests;
