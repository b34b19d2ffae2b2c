use super::*;

#[test]
fn counts_skip_points_outside() {
    let xs = [0.0, 0.1, 0.5, 0.99, 1.0, 1.5, f64::NAN, -0.1];
    let counts = bin_counts(4, xs.iter().map(|&x| bin_index(x, (0.0, 1.0), 4)));
    assert_eq!(counts, vec![2, 0, 1, 2]);
}

#[test]
fn majority_breaks_ties_by_lowest_id() {
    // bin 0: labels 2, 1, 2, 1 -> tie between 1 and 2 -> 1; bin 1: 3, 3, 0 -> 3; bin 2 empty.
    let pairs = [(0, 2), (0, 1), (1, 3), (0, 2), (1, 3), (0, 1), (1, 0)];
    assert_eq!(bin_majority(3, 4, pairs.into_iter()), vec![Some(1), Some(3), None]);
    let counts = LabelCounts::new(3, 4, pairs.into_iter());
    assert_eq!(counts.bin(0), &[0, 2, 2, 0]);
}

#[test]
fn mean_ignores_missing_values() {
    let pairs = [(0, 1.0), (0, 3.0), (1, f64::NAN), (2, 5.0), (0, 2.0)];
    let means = bin_mean(3, pairs.into_iter());
    assert_eq!(means[0], 2.0);
    assert!(means[1].is_nan());
    assert_eq!(means[2], 5.0);
}

#[test]
fn robust_range_is_exact_when_small_and_close_when_subsampled() {
    let small: Vec<f64> = (0..=100).map(f64::from).collect();
    assert_eq!(robust_range(&small, 0.01, 0.99), Some((1.0, 99.0)));
    let big: Vec<f64> = (0..2_000_000u64)
        .map(|i| ((i * 7919) % 2_000_000) as f64 / 2e6)
        .collect();
    let (lo, hi) = robust_range(&big, 0.01, 0.99).unwrap();
    assert!((lo - 0.01).abs() < 1e-3 && (hi - 0.99).abs() < 1e-3, "{lo} {hi}");
    assert_eq!(robust_range(&[f64::NAN, 2.0], 0.01, 0.99), Some((1.5, 2.5)));
    assert_eq!(robust_range(&[f64::NAN], 0.01, 0.99), None);
}
