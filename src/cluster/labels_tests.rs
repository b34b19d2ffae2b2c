use super::*;
use ndarray::array;

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
fn hungarian_known_square_matrix() {
    // Optimal: row0->col1 (1), row1->col0 (2), row2->col2 (2): total 5.
    let cost = array![[4.0, 1.0, 3.0], [2.0, 0.0, 5.0], [3.0, 2.0, 2.0]];
    assert_eq!(hungarian(&cost), vec![Some(1), Some(0), Some(2)]);
}

#[test]
fn hungarian_rectangular_both_ways() {
    let wide = array![[10.0, 1.0, 7.0, 9.0], [1.0, 10.0, 8.0, 0.5]];
    assert_eq!(hungarian(&wide), vec![Some(1), Some(3)]);
    let tall = wide.t().to_owned();
    assert_eq!(hungarian(&tall), vec![None, Some(0), None, Some(1)]);
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
