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
