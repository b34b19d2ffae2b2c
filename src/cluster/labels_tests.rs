use super::*;

#[test]
fn relabel_orders_by_key_and_breaks_ties_by_old_index() {
    let (labels, mapping) = relabel_by_key(&[0, 1, 2, 3, 1], 4, &[0.5, -1.0, 0.5, 0.1]).unwrap();
    assert_eq!(mapping, vec![2, 0, 3, 1]);
    assert_eq!(labels, vec![2, 0, 3, 1, 0]);
    let (_, nan_map) = relabel_by_key(&[0, 1], 2, &[f64::NAN, 3.0]).unwrap();
    assert_eq!(nan_map, vec![1, 0]);
    assert!(relabel_by_key(&[0, 5], 2, &[0.0, 1.0]).is_err());
    assert!(relabel_by_key(&[0, 1], 2, &[0.0]).is_err());
}

#[test]
fn best_match_with_more_or_fewer_clusters_on_either_side() {
    // b has 4 clusters, a has 2: the two largest overlaps win, the others are left over.
    let a = [0, 0, 0, 1, 1, 1, 1, 0];
    let b = [1, 1, 1, 3, 3, 3, 0, 2];
    assert_eq!(best_match(&a, &b).unwrap(), vec![None, Some(0), None, Some(1)]);
    // The other way round every b cluster is matched.
    assert_eq!(best_match(&b, &a).unwrap(), vec![Some(1), Some(3)]);
    // Maximum total agreement, not greedy: b0 overlaps a0 by 3 and a1 by 2, b1 overlaps a0 by 3
    // and a2 by 1. Greedy (b0 -> a0, then b1 -> a2) agrees on 4 points; the optimum
    // (b0 -> a1, b1 -> a0) on 5.
    let a = [0, 0, 0, 1, 1, 0, 0, 0, 2];
    let b = [0, 0, 0, 0, 0, 1, 1, 1, 1];
    assert_eq!(best_match(&a, &b).unwrap(), vec![Some(1), Some(0)]);
    assert!((matched_agreement(&a, &b).unwrap() - 5.0 / 9.0).abs() < 1e-15);
}

#[test]
fn best_match_recovers_a_permutation() {
    let a = [0, 0, 1, 1, 2, 2, 2];
    let b = [2, 2, 0, 0, 1, 1, 0];
    assert_eq!(best_match(&a, &b).unwrap(), vec![Some(1), Some(2), Some(0)]);
    assert!((matched_agreement(&a, &b).unwrap() - 6.0 / 7.0).abs() < 1e-15);
    assert!(best_match(&a, &b[..3]).is_err());
}

#[test]
fn cluster_sums_sizes_means_and_bad_labels() {
    let x = ndarray::array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]];
    let s = ClusterSums::of(x.view(), &[1, 1, 0], 3).unwrap();
    assert_eq!(s.sizes, vec![1, 2, 0]);
    let m = s.means(f64::INFINITY);
    assert_eq!(m.row(0).to_vec(), vec![5.0, 6.0]);
    assert_eq!(m.row(1).to_vec(), vec![2.0, 3.0]);
    assert!(m.row(2).iter().all(|v| v.is_infinite()));
    assert!(ClusterSums::of(x.view(), &[0, 3, 0], 3).is_err());
    assert!(ClusterSums::of(x.view(), &[0, 1], 3).is_err());
}
