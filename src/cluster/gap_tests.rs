use super::*;
use ndarray::Array2;

/// `per` points around each of `centres` (deterministic jitter in [-0.5, 0.5)).
fn blobs(centres: &[[f64; 2]], per: usize) -> Array2<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut x = Array2::zeros((centres.len() * per, 2));
    for (c, centre) in centres.iter().enumerate() {
        for i in 0..per {
            for j in 0..2 {
                x[[c * per + i, j]] = centre[j] + rng.random::<f64>() - 0.5;
            }
        }
    }
    x
}

#[test]
fn first_se_max_takes_the_first_k_within_one_se() {
    assert_eq!(first_se_max(&[0.1, 0.5, 0.55, 0.9], &[0.0, 0.1, 0.1, 0.1]), Some(1));
    assert_eq!(first_se_max(&[0.1, 0.5, 0.9], &[0.0, 0.1, 0.1]), None);
    assert_eq!(first_se_max(&[0.3], &[0.1]), None);
}

#[test]
fn reference_sets_fill_the_rotated_box_and_repeat() {
    let x = blobs(&[[0.0, 0.0], [10.0, 10.0]], 50);
    let a = reference_sets(x.view(), 3, 1).unwrap();
    let b = reference_sets(x.view(), 3, 1).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.len(), 3);
    assert_eq!(a[0].dim(), (100, 2));
    assert_ne!(a[0], a[1]);
    // The box is aligned with the diagonal: no reference point far off it.
    for r in &a {
        for p in r.outer_iter() {
            assert!((p[0] - p[1]).abs() < 4.0, "{p}");
        }
    }
}

#[test]
fn gap_finds_three_blobs() {
    let x = blobs(&[[0.0, 0.0], [8.0, 0.0], [0.0, 8.0]], 40);
    let g = GapParams::new(6).seed(3).build().unwrap().fit(x.view()).unwrap();
    assert_eq!(g.k, Some(3), "{g:?}");
    assert_eq!(g.ks, vec![1, 2, 3, 4, 5, 6]);
    assert_eq!(g.n_refs, DEFAULT_REFERENCES);
    assert!(GapParams::new(1).build().is_err());
    assert!(GapParams::new(5).n_refs(0).build().is_err());
}

/// Four points on a line with weights 1, 3, 1, 3 and one reference set: the weighted `W_k`
/// by hand. Data 0, 1, 10, 11: weighted mean 46/8 = 5.75, `W_1 = 5.75^2 + 3 (4.75^2) + 4.25^2 +
/// 3 (5.25^2) = 201.5`; k = 2 splits {0, 1} | {10, 11} with weighted centres 0.75 and 10.75,
/// `W_2 = 2 (0.75^2 + 3 (0.25^2)) = 1.5`. Reference 0, 2, 9, 11 with the same weights: mean
/// 6, `W*_1 = 6^2 + 3 (4^2) + 3^2 + 3 (5^2) = 168`; k = 2 splits {0, 2} | {9, 11} (centres 1.5
/// and 10.5), `W*_2 = 2 (1.5^2 + 3 (0.5^2)) = 6`.
#[test]
fn weighted_gap_by_hand() {
    let x = Array2::from_shape_vec((4, 1), vec![0.0, 1.0, 10.0, 11.0]).unwrap();
    let reference = Array2::from_shape_vec((4, 1), vec![0.0, 2.0, 9.0, 11.0]).unwrap();
    let w = ndarray::Array1::from(vec![1.0, 3.0, 1.0, 3.0]);
    let g = GapParams::new(2)
        .fit_with_references_weighted(x.view(), Some(w.view()), &[reference.clone()])
        .unwrap();
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1.0);
    assert!(
        close(g.log_w[0], 201.5f64.ln()) && close(g.log_w[1], 1.5f64.ln()),
        "{g:?}"
    );
    assert!(
        close(g.log_w_ref[0], 168f64.ln()) && close(g.log_w_ref[1], 6f64.ln()),
        "{g:?}"
    );
    assert!(close(g.gap[1], 6f64.ln() - 1.5f64.ln()), "{g:?}");
    // Unweighted, W_1 of the data is another number (mean 5.5: 30.25 + 20.25 + 20.25 + 30.25).
    let plain = GapParams::new(2).fit_with_references(x.view(), &[reference]).unwrap();
    assert!(close(plain.log_w[0], 101f64.ln()), "{plain:?}");
}

#[test]
fn unit_weights_give_the_unweighted_gap() {
    let x = blobs(&[[0.0, 0.0], [8.0, 0.0], [0.0, 8.0]], 20);
    let params = GapParams::new(4).n_refs(3).n_init(2).seed(5);
    let ones = ndarray::Array1::from_elem(x.nrows(), 1.0);
    assert_eq!(
        params.fit(x.view()).unwrap(),
        params.fit_weighted(x.view(), Some(ones.view())).unwrap()
    );
    // Other weights change W_k.
    let w = ndarray::Array1::from_shape_fn(x.nrows(), |i| 0.5 + (i % 3) as f64);
    assert_ne!(
        params.fit(x.view()).unwrap().log_w,
        params.fit_weighted(x.view(), Some(w.view())).unwrap().log_w
    );
}
