use super::*;
use ndarray::Array2;
use serde_json::Value;

/// The fixture's value of variable `t` at grid cell `(r, c)` (tests/reference/ref_contiguous_ward.py).
fn value(r: u64, c: u64, t: u64) -> f64 {
    let h = ((r * 73856093) ^ (c * 19349663) ^ (t * 83492791)) % 1021;
    h as f64 / 64.0 + (r * (t + 1)) as f64 / 8.0 + (c * (3 - t)) as f64 / 16.0
}

struct Case {
    name: String,
    positions: Vec<(usize, usize)>,
    n_cols: usize,
    neighbourhood: Neighbourhood,
    wrap: bool,
    x: Array2<f64>,
    n_components: usize,
    children: Vec<usize>,
    distances: Vec<f64>,
    k: usize,
    labels: Vec<usize>,
    /// scikit-learn's cuts at a distance: (threshold, n_clusters_, labels_).
    height_cuts: Vec<(f64, usize, Vec<usize>)>,
}

fn cases() -> Vec<Case> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/contiguous_ward.json");
    let text = std::fs::read_to_string(path).expect("fixture");
    let json: Value = serde_json::from_str(&text).expect("json");
    let d = json["meta"]["variables"].as_u64().expect("variables") as usize;
    let uints = |v: &Value| -> Vec<usize> {
        v.as_array()
            .expect("array")
            .iter()
            .map(|x| x.as_u64().expect("uint") as usize)
            .collect()
    };
    json["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| {
            let mask: Vec<&str> = c["mask"]
                .as_array()
                .expect("mask")
                .iter()
                .map(|r| r.as_str().expect("row"))
                .collect();
            let positions: Vec<(usize, usize)> = mask
                .iter()
                .enumerate()
                .flat_map(|(r, row)| {
                    row.bytes()
                        .enumerate()
                        .filter(|(_, b)| *b == b'1')
                        .map(move |(col, _)| (r, col))
                })
                .collect();
            let mut x = Array2::zeros((positions.len(), d));
            for (i, &(r, col)) in positions.iter().enumerate() {
                for t in 0..d {
                    x[[i, t]] = value(r as u64, col as u64, t as u64);
                }
            }
            Case {
                name: c["name"].as_str().expect("name").to_string(),
                n_cols: c["n_cols"].as_u64().expect("n_cols") as usize,
                neighbourhood: if c["neighbours"].as_u64() == Some(8) {
                    Neighbourhood::Eight
                } else {
                    Neighbourhood::Four
                },
                wrap: c["wrap"].as_bool().expect("wrap"),
                x,
                n_components: c["n_components"].as_u64().expect("components") as usize,
                children: uints(&c["children"]),
                distances: c["distances"]
                    .as_array()
                    .expect("distances")
                    .iter()
                    .map(|v| v.as_f64().expect("f64"))
                    .collect(),
                k: c["k"].as_u64().expect("k") as usize,
                labels: uints(&c["labels"]),
                height_cuts: c["height_cuts"]
                    .as_array()
                    .expect("height_cuts")
                    .iter()
                    .map(|h| {
                        (
                            h["height"].as_f64().expect("height"),
                            h["n_clusters"].as_u64().expect("n_clusters") as usize,
                            uints(&h["labels"]),
                        )
                    })
                    .collect(),
                positions,
            }
        })
        .collect()
}

/// True when two labelings are the same partition.
fn same_partition(a: &[usize], b: &[usize]) -> bool {
    let mut ab = std::collections::HashMap::new();
    let mut ba = std::collections::HashMap::new();
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(&x, &y)| *ab.entry(x).or_insert(y) == y && *ba.entry(y).or_insert(x) == x)
}

/// Whether every cluster of `labels` is one connected piece of `adjacency` (a flood fill from
/// each cluster's first point reaches all its points).
fn every_cluster_connected(labels: &[usize], adjacency: &Adjacency) -> bool {
    let distinct: std::collections::HashSet<usize> = labels.iter().copied().collect();
    adjacency.connected_parts(labels) == distinct.len()
}

/// The fixture's tree, its islands joined by their nearest points (scikit-learn's fallback).
fn fit_joining_islands(case: &Case) -> ContiguousTree {
    let adjacency = Adjacency::grid(&case.positions, case.n_cols, case.neighbourhood, case.wrap).expect("grid");
    ContiguousWardParams::new()
        .join(ComponentJoin::NearestPoints)
        .fit(case.x.view(), &adjacency)
        .expect("fit")
}

#[test]
fn merges_and_heights_match_scikit_learn_with_islands() {
    for case in cases() {
        let fit = fit_joining_islands(&case);
        assert_eq!(fit.n_components, case.n_components, "{}", case.name);
        assert!(case.n_components > 1, "{}: the fixture has islands", case.name);
        assert_eq!(fit.joined_by, Some(ComponentJoin::NearestPoints));
        let n = case.positions.len();
        assert_eq!(fit.tree.linkage.len(), n - 1, "{}", case.name);
        for (s, row) in fit.tree.linkage.iter().enumerate() {
            assert_eq!(
                [row.left, row.right],
                [case.children[2 * s], case.children[2 * s + 1]],
                "{}: merge {s}",
                case.name
            );
            let want = case.distances[s];
            assert!(
                (row.height - want).abs() <= 1e-9 * want.max(1.0),
                "{}: height of merge {s}: {} vs {want}",
                case.name,
                row.height
            );
        }
        let labels = fit.tree.cut(case.k).expect("cut");
        assert!(
            same_partition(&labels, &case.labels),
            "{}: labels at k = {}",
            case.name,
            case.k
        );
    }
}

#[test]
fn cut_at_a_height_matches_scikit_learns_distance_threshold() {
    use crate::cluster::ward_contiguous_regions::clusters_at_height;
    let mut undone_below = 0;
    for case in cases() {
        let fit = fit_joining_islands(&case);
        assert_eq!(case.height_cuts.len(), 4, "{}", case.name);
        for (h, want_k, want_labels) in &case.height_cuts {
            let k = clusters_at_height(&fit.tree, *h).expect("height");
            assert_eq!(k, *want_k, "{}: clusters at height {h}", case.name);
            let labels = fit.tree.cut(k).expect("cut");
            assert!(
                same_partition(&labels, want_labels),
                "{}: labels at height {h}",
                case.name
            );
            // Merges below h that the cut undoes (they came after one at or above h).
            let n = case.positions.len();
            undone_below += fit.tree.linkage[n - k..].iter().filter(|r| r.height < *h).count();
        }
    }
    // The fixtures exercise heights that do not grow along the merge order.
    assert!(undone_below > 0);
    let case = &cases()[0];
    let adjacency = Adjacency::grid(&case.positions, case.n_cols, case.neighbourhood, case.wrap).expect("grid");
    let fit = ContiguousWardParams::new().fit(case.x.view(), &adjacency).expect("fit");
    assert_eq!(clusters_at_height(&fit.tree, f64::INFINITY).ok(), None);
    assert!(clusters_at_height(&fit.tree, -1.0).is_err());
    assert_eq!(clusters_at_height(&fit.tree, 0.0).expect("zero"), case.positions.len());
}

#[test]
fn auto_join_is_scikit_learns_within_its_budgets() {
    let case = &cases()[0];
    let adjacency = Adjacency::grid(&case.positions, case.n_cols, case.neighbourhood, case.wrap).expect("grid");
    let auto = ContiguousWardParams::new()
        .join(ComponentJoin::Auto {
            pair_budget: NEAREST_POINTS_PAIR_BUDGET,
        })
        .fit(case.x.view(), &adjacency)
        .expect("fit");
    assert_eq!(auto.joined_by, Some(ComponentJoin::NearestPoints));
    let default = ContiguousWardParams::new().fit(case.x.view(), &adjacency).expect("fit");
    assert_eq!(default.joined_by, Some(ComponentJoin::Centroids));
    let over = ContiguousWardParams::new()
        .join(ComponentJoin::Auto { pair_budget: 10 })
        .fit(case.x.view(), &adjacency)
        .expect("fit");
    assert_eq!(over.joined_by, Some(ComponentJoin::Centroids));
}

#[test]
fn regions_are_connected_when_components_are_joined_by_centroids() {
    for case in cases() {
        let adjacency = Adjacency::grid(&case.positions, case.n_cols, case.neighbourhood, case.wrap).expect("grid");
        let fit = ContiguousWardParams::new()
            .join(ComponentJoin::Centroids)
            .fit(case.x.view(), &adjacency)
            .expect("fit");
        let n = case.positions.len();
        assert_eq!(fit.tree.linkage.len(), n - 1);
        assert_eq!(fit.unconstrained_merges, case.n_components - 1);
        for k in [case.n_components, case.n_components + 1, 30, 200] {
            let labels = fit.tree.cut(k).expect("cut");
            assert!(every_cluster_connected(&labels, &adjacency), "{}: k = {k}", case.name);
        }
        // Below the number of components a cluster holds several islands.
        let labels = fit.tree.cut(1).expect("cut");
        assert!(!every_cluster_connected(&labels, &adjacency));
        // The constrained merges are those of each component alone: the merge tree of the
        // points of the first component is the same as fitting that component by itself.
        let (component, _) = adjacency.components();
        let first: Vec<usize> = (0..n).filter(|&i| component[i] == 0).collect();
        let sub_positions: Vec<(usize, usize)> = first.iter().map(|&i| case.positions[i]).collect();
        let sub_x = case.x.select(ndarray::Axis(0), &first);
        let sub_adj = Adjacency::grid(&sub_positions, case.n_cols, case.neighbourhood, case.wrap).expect("grid");
        let sub = ContiguousWardParams::new().fit(sub_x.view(), &sub_adj).expect("fit");
        let mut heights: Vec<f64> = fit
            .tree
            .linkage
            .iter()
            .take(n - case.n_components)
            .filter(|r| r.right < n + n && leaf_component(&fit.tree, r.left, &component) == 0)
            .map(|r| r.height)
            .collect();
        let mut sub_heights: Vec<f64> = sub.tree.linkage.iter().map(|r| r.height).collect();
        heights.sort_by(f64::total_cmp);
        sub_heights.sort_by(f64::total_cmp);
        assert_eq!(heights, sub_heights, "{}", case.name);
    }
}

/// The component of the first point under cluster `id`.
fn leaf_component(tree: &WardTree, mut id: usize, component: &[u32]) -> u32 {
    while id >= tree.n_points {
        id = tree.linkage[id - tree.n_points].left;
    }
    component[id]
}

#[test]
fn centroid_join_merges_components_by_wards_distance_of_their_centroids() {
    // Three islands on a 1 x 7 strip: {0, 1}, {3}, {5, 6}.
    let positions = [(0, 0), (0, 1), (0, 3), (0, 5), (0, 6)];
    let x = ndarray::array![[0.0], [2.0], [10.0], [20.0], [22.0]];
    let adjacency = Adjacency::grid(&positions, 7, Neighbourhood::Four, false).expect("grid");
    assert_eq!(adjacency.components().1, 3);
    let fit = ContiguousWardParams::new()
        .join(ComponentJoin::Centroids)
        .fit(x.view(), &adjacency)
        .expect("fit");
    let rows: Vec<(usize, usize, f64, usize)> = fit
        .tree
        .linkage
        .iter()
        .map(|r| (r.left, r.right, r.height, r.size))
        .collect();
    // Within islands: {0,1} and {3,4} at sqrt(2 * 1/2 * 4) = 2 (ties: the smaller pair id first).
    assert_eq!((rows[0].0, rows[0].1, rows[0].3), (0, 1, 2));
    assert_eq!((rows[1].0, rows[1].1, rows[1].3), (3, 4, 2));
    assert!((rows[0].2 - 2.0).abs() < 1e-12 && (rows[1].2 - 2.0).abs() < 1e-12);
    // Then centroids 1 (size 2), 10 (size 1), 21 (size 2): {1, 10} first at
    // sqrt(2 * 2/3) * 9, then with {21} at sqrt(2 * 3 * 2 / 5) * (21 - 4).
    assert_eq!((rows[2].0, rows[2].1, rows[2].3), (2, 5, 3));
    assert!((rows[2].2 - (4.0f64 / 3.0).sqrt() * 9.0).abs() < 1e-12);
    assert_eq!((rows[3].0, rows[3].1, rows[3].3), (6, 7, 5));
    assert!((rows[3].2 - (12.0f64 / 5.0).sqrt() * 17.0).abs() < 1e-12);
    assert_eq!(fit.unconstrained_merges, 2);
}

#[test]
fn grid_adjacency_follows_neighbourhood_wrap_and_gaps() {
    // 3 x 4 grid without cell (1, 1).
    let positions: Vec<(usize, usize)> = (0..3)
        .flat_map(|r| (0..4).map(move |c| (r, c)))
        .filter(|&p| p != (1, 1))
        .collect();
    let index = |p: (usize, usize)| positions.iter().position(|&q| q == p).expect("cell") as u32;
    let four = Adjacency::grid(&positions, 4, Neighbourhood::Four, false).expect("grid");
    assert_eq!(four.of(index((0, 1)) as usize), &[index((0, 0)), index((0, 2))]);
    assert_eq!(four.of(index((0, 0)) as usize), &[index((0, 1)), index((1, 0))]);
    let wrap = Adjacency::grid(&positions, 4, Neighbourhood::Four, true).expect("grid");
    assert_eq!(
        wrap.of(index((0, 0)) as usize),
        &[index((0, 1)), index((0, 3)), index((1, 0))]
    );
    let eight = Adjacency::grid(&positions, 4, Neighbourhood::Eight, false).expect("grid");
    // (1, 1) is missing, so (1, 0)'s 8 neighbours are (0, 0), (0, 1), (2, 0), (2, 1).
    assert_eq!(
        eight.of(index((1, 0)) as usize),
        &[index((0, 0)), index((0, 1)), index((2, 0)), index((2, 1))]
    );
    // Rows that are not adjacent do not touch.
    let gap = Adjacency::grid(&[(0, 0), (2, 0)], 1, Neighbourhood::Eight, false).expect("grid");
    assert_eq!(gap.n_edges(), 0);
    assert_eq!(gap.components().1, 2);
    // Positions in any order give the same graph on the points.
    let reversed: Vec<(usize, usize)> = positions.iter().rev().copied().collect();
    let rev = Adjacency::grid(&reversed, 4, Neighbourhood::Four, false).expect("grid");
    assert_eq!(rev.n_edges(), four.n_edges());
}

#[test]
fn bad_input_is_refused() {
    let x = ndarray::array![[0.0], [1.0], [2.0]];
    let two = Adjacency::from_edges(2, &[(0, 1)]).expect("edges");
    assert!(ContiguousWardParams::new().fit(x.view(), &two).is_err());
    assert!(Adjacency::from_edges(2, &[(0, 2)]).is_err());
    assert!(Adjacency::grid(&[(0, 0), (0, 0)], 2, Neighbourhood::Four, false).is_err());
    assert!(Adjacency::grid(&[(0, 5)], 2, Neighbourhood::Four, false).is_err());
    let three = Adjacency::from_edges(3, &[(0, 1), (1, 2), (1, 0), (2, 2)]).expect("edges");
    assert_eq!(three.n_edges(), 2);
    let nan = ndarray::array![[0.0], [f64::NAN], [2.0]];
    assert!(ContiguousWardParams::new().fit(nan.view(), &three).is_err());
}
