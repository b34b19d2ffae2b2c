use super::*;
use rand::{Rng, SeedableRng};

/// A random tensor of exact TT-ranks `ranks` (cores with N(0,1)-like entries).
fn random_tt(shape: &[usize], ranks: &[usize], seed: u64) -> TensorTrain {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut full = vec![1];
    full.extend_from_slice(ranks);
    full.push(1);
    let cores = shape
        .iter()
        .enumerate()
        .map(|(k, &n)| Array3::from_shape_fn((full[k], n, full[k + 1]), |_| rng.random::<f64>() * 2.0 - 1.0))
        .collect();
    TensorTrain {
        shape: shape.to_vec(),
        cores,
    }
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}

fn diff_norm(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum::<f64>().sqrt()
}

#[test]
fn params_are_validated() {
    assert!(TtParams::new().ranks(vec![2, 0]).build().is_err());
    assert!(TtParams::new().eps(1.5).build().is_err());
    assert!(TtParams::new().eps(f64::NAN).build().is_err());
    assert!(TtParams::new().tol(0.0).build().is_err());
    assert!(TtParams::new().max_iter(0).build().is_err());
    let p = TtParams::new().ranks(vec![2]).build().unwrap();
    let err = p.decompose(&[0.0; 24], &[2, 3, 4]).unwrap_err();
    assert!(
        err.to_string().contains("3-way tensor has 2 TT-ranks, 1 given"),
        "{err}"
    );
    assert!(p.decompose(&[0.0; 5], &[2, 3]).is_err());
    let mut bad = vec![1.0; 6];
    bad[4] = f64::NAN;
    assert!(p.decompose(&bad, &[2, 3]).is_err());
}

#[test]
fn reconstructs_a_tensor_of_known_tt_rank_exactly() {
    // Wide first unfolding (Gram route) and tall last one (thin SVD), 3 and 4 modes.
    for (shape, ranks) in [(vec![6usize, 9, 5], vec![3usize, 4]), (vec![4, 5, 6, 3], vec![2, 3, 2])] {
        let a = random_tt(&shape, &ranks, 7).full();
        let tt = TtParams::new()
            .ranks(ranks.clone())
            .build()
            .unwrap()
            .decompose(&a, &shape)
            .unwrap();
        assert_eq!(tt.ranks(), ranks);
        let err = diff_norm(&a, &tt.full()) / norm(&a);
        assert!(err < 1e-10, "relative error {err:e}");
        // Without a cap the exact ranks are found from the singular values. eps = 1e-6, not
        // 1e-12: the Gram route sees a zero sigma^2 as rounding noise of about 1e-16 sigma_max^2.
        let found = TtParams::new()
            .eps(1e-6)
            .build()
            .unwrap()
            .decompose(&a, &shape)
            .unwrap();
        assert_eq!(found.ranks(), ranks);
        assert!(diff_norm(&a, &found.full()) / norm(&a) < 1e-10);
    }
}

#[test]
fn truncation_respects_the_error_bound() {
    let shape = [8usize, 10, 7];
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
    let a: Vec<f64> = (0..560).map(|_| rng.random::<f64>() - 0.5).collect();
    for eps in [0.05, 0.2, 0.5, 0.8] {
        let tt = TtParams::new().eps(eps).build().unwrap().decompose(&a, &shape).unwrap();
        let err = diff_norm(&a, &tt.full());
        assert!(
            err <= eps * norm(&a) * (1.0 + 1e-12),
            "eps {eps}: {err} > {}",
            eps * norm(&a)
        );
        assert!(tt.ranks().iter().all(|&r| r >= 1));
    }
    // Coarser accuracy never needs larger ranks.
    let fine = TtParams::new()
        .eps(0.05)
        .build()
        .unwrap()
        .decompose(&a, &shape)
        .unwrap();
    let coarse = TtParams::new().eps(0.5).build().unwrap().decompose(&a, &shape).unwrap();
    assert!(coarse.n_params() < fine.n_params());
}

#[test]
fn completion_recovers_masked_entries_of_a_low_rank_tensor() {
    let shape = [12usize, 15, 6];
    let a = random_tt(&shape, &[2, 2], 11).full();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
    // 20 % of the (i, j) fibres missing entirely, as unselected cells are.
    let fibre_seen: Vec<bool> = (0..12 * 15).map(|_| rng.random::<f64>() > 0.2).collect();
    let observed: Vec<bool> = (0..a.len()).map(|i| fibre_seen[i / 6]).collect();
    let holes: Vec<f64> = a
        .iter()
        .zip(&observed)
        .map(|(&v, &o)| if o { v } else { 99.0 })
        .collect();
    let params = TtParams::new()
        .ranks(vec![2, 2])
        .tol(1e-10)
        .max_iter(2000)
        .build()
        .unwrap();
    let done = params.complete(&holes, &observed, &shape).unwrap();
    assert!(
        done.converged,
        "change {} after {} iterations",
        done.change, done.iterations
    );
    let full = done.train.full();
    let missing: Vec<usize> = (0..a.len()).filter(|&i| !observed[i]).collect();
    let err: f64 = missing.iter().map(|&i| (full[i] - a[i]).powi(2)).sum::<f64>().sqrt();
    let scale: f64 = missing.iter().map(|&i| a[i].powi(2)).sum::<f64>().sqrt();
    assert!(
        err / scale < 1e-4,
        "relative error on the masked entries {:e}",
        err / scale
    );
    // Nothing missing: one TT-SVD.
    let all = params.complete(&a, &vec![true; a.len()], &shape).unwrap();
    assert_eq!(all.iterations, 1);
}

#[test]
fn embeddings_have_one_row_per_cell_and_keep_distances() {
    let shape = [5usize, 7, 4];
    let a = random_tt(&shape, &[3, 2], 2).full();
    let mut tt = TtParams::new()
        .ranks(vec![3, 2])
        .build()
        .unwrap()
        .decompose(&a, &shape)
        .unwrap();
    let before = tt.full();
    tt.orthogonalize_last().unwrap();
    assert!(diff_norm(&before, &tt.full()) < 1e-10 * norm(&before));
    let e = tt.left_interface();
    assert_eq!(e.dim(), (35, 2));
    assert_eq!(tt.last_matrix().dim(), (2, 4));
    // Rows of the last core are orthonormal, so embedding distances are fibre distances.
    let g = tt.last_matrix();
    let gram = g.dot(&g.t());
    for i in 0..2 {
        for j in 0..2 {
            assert!((gram[[i, j]] - if i == j { 1.0 } else { 0.0 }).abs() < 1e-12);
        }
    }
    let (p, q) = (3usize, 20usize);
    let de = (&e.row(p) - &e.row(q)).mapv(|v| v * v).sum().sqrt();
    let da = diff_norm(&before[p * 4..p * 4 + 4], &before[q * 4..q * 4 + 4]);
    assert!((de - da).abs() < 1e-10);
    assert_eq!(tt.n_params(), 5 * 3 + 3 * 7 * 2 + 2 * 4);
}

#[test]
fn same_input_same_bits() {
    let shape = [6usize, 8, 3];
    let a = random_tt(&shape, &[2, 2], 9).full();
    let p = TtParams::new().ranks(vec![2, 2]).build().unwrap();
    assert_eq!(p.decompose(&a, &shape).unwrap(), p.decompose(&a, &shape).unwrap());
}
