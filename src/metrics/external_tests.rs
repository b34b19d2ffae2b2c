use super::*;

#[test]
fn perfect_and_permuted_agreement() {
    let a = [0, 0, 1, 1, 2, 2];
    let b = [5, 5, 3, 3, 9, 9];
    assert_eq!(adjusted_rand_index(&a, &b).unwrap(), 1.0);
    assert!((normalized_mutual_info(&a, &b).unwrap() - 1.0).abs() < 1e-12);
    assert_eq!(contingency(&a, &b).unwrap()[[0, 1]], 2);
    assert!(adjusted_rand_index(&a, &b[..5]).is_err());
    assert_eq!(normalized_mutual_info(&[1, 1], &[2, 2]).unwrap(), 1.0);
}
