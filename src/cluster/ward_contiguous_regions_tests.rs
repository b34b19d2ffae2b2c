use super::*;
use crate::cluster::ward_contiguous::{ContiguousWardParams, Neighbourhood};
use ndarray::Array2;

/// A `rows x cols` grid with every cell land, values from an integer formula.
fn grid(rows: usize, cols: usize) -> (Vec<(usize, usize)>, Array2<f64>) {
    let positions: Vec<(usize, usize)> = (0..rows).flat_map(|r| (0..cols).map(move |c| (r, c))).collect();
    let x = Array2::from_shape_fn((positions.len(), 2), |(i, t)| {
        let (r, c) = positions[i];
        (((r * 31 + c * 17 + t * 7) % 23) as f64) / 4.0 + (r as f64) / 3.0 + (t as f64) * (c as f64) / 5.0
    });
    (positions, x)
}

/// Whether every cluster of `labels` is one connected piece of `adjacency` (flood fill).
fn every_cluster_connected(labels: &[usize], adjacency: &Adjacency) -> bool {
    let distinct: std::collections::HashSet<usize> = labels.iter().copied().collect();
    adjacency.connected_parts(labels) == distinct.len()
}

#[test]
fn small_regions_join_a_neighbour_and_regions_stay_connected() {
    let (positions, x) = grid(40, 50);
    let adjacency = Adjacency::grid(&positions, 50, Neighbourhood::Four, false).expect("grid");
    let tree = ContiguousWardParams::new().fit(x.view(), &adjacency).expect("fit");
    let labels = tree.tree.cut(120).expect("cut");
    let sizes = |l: &[usize]| {
        let mut s = vec![0usize; l.iter().max().unwrap() + 1];
        for &v in l {
            s[v] += 1;
        }
        s
    };
    let before = sizes(&labels);
    let small = before.iter().filter(|&&s| s < 20).count();
    assert!(small > 5, "the cut has small regions ({small})");
    let out = merge_small_regions(x.view(), &adjacency, &labels, 20).expect("merge");
    let after = sizes(&out.labels);
    assert_eq!(after.len(), out.regions);
    assert!(after.iter().all(|&s| s >= 20), "{after:?}");
    assert_eq!(out.isolated_small, 0);
    assert_eq!(out.regions + out.merged, 120);
    assert!(every_cluster_connected(&out.labels, &adjacency));
    // Merging only joins whole regions: every old region lies in one new region.
    let mut new_of = vec![usize::MAX; 120];
    for (&old, &new) in labels.iter().zip(&out.labels) {
        assert!(new_of[old] == usize::MAX || new_of[old] == new);
        new_of[old] = new;
    }
    // Regions of at least the minimum that touch no small one are kept as they were.
    assert!(before.iter().filter(|&&s| s >= 20).count() <= out.regions);
    // Deterministic.
    assert_eq!(
        merge_small_regions(x.view(), &adjacency, &labels, 20).expect("again"),
        out
    );
}

#[test]
fn the_smallest_region_joins_the_most_similar_neighbour() {
    // One row of 5 cells: regions {0,1}, {2} and {3,4}; cell 2 is closest to region {3,4}.
    let positions: Vec<(usize, usize)> = (0..5).map(|c| (0, c)).collect();
    let x = Array2::from_shape_vec((5, 1), vec![0.0, 0.0, 4.0, 5.0, 5.0]).expect("x");
    let adjacency = Adjacency::grid(&positions, 5, Neighbourhood::Four, false).expect("grid");
    let out = merge_small_regions(x.view(), &adjacency, &[0, 0, 1, 2, 2], 2).expect("merge");
    assert_eq!(out.labels, vec![0, 0, 1, 1, 1]);
    assert_eq!((out.regions, out.merged, out.isolated_small), (2, 1, 0));
    // An island smaller than the minimum has no neighbour and stays.
    let island = Adjacency::from_edges(5, &[(0, 1), (3, 4)]).expect("edges");
    let out = merge_small_regions(x.view(), &island, &[0, 0, 1, 2, 2], 2).expect("merge");
    assert_eq!(out.labels, vec![0, 0, 1, 2, 2]);
    assert_eq!((out.regions, out.merged, out.isolated_small), (3, 0, 1));
    assert!(merge_small_regions(x.view(), &island, &[0, 0, 1], 2).is_err());
}
